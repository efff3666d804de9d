/* JSON of OPEN messages (capabilities) and of the negotiated session. */
#include <stdio.h>
#include <string.h>

#include "api/fmt.h"
#include "api/json.h"
#include "attr/attr_table.h"
#include "wire/open.h"

static const char *addpath_mode(uint8_t m)
{
	static const char *const s[] = {"disabled", "receive", "send", "send/receive"};
	return m < 4 ? s[m] : "unknown";
}

static void fam_slash(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	char a[32], s[32];
	sb_printf(w, "%s/%s", fmt_afi(afi, a), fmt_safi(safi, s));
}

static void cap_unknown(struct wbuf *w, uint8_t code, const uint8_t *v, size_t len)
{
	const char *iana = code >= 128 ? "reserved" : code >= 70 ? "unassigned" : "unknown";
	sb_printf(w, "{ \"name\": \"unknown\", \"iana\": \"%s\", \"value\": %u, \"raw\": \"", iana, code);
	sb_hex(w, v, len, 1);
	sb_puts(w, "\" }");
}

/* A [len][text] field as a JSON string, the length cut to what is there:
 * returns the bytes it covers. */
static size_t json_len_string(struct wbuf *w, const uint8_t *v, size_t len)
{
	size_t l = len ? v[0] : 0;
	if (l + 1 > len)
		l = len ? len - 1 : 0;
	fmt_json_str(w, len ? (const char *)v + 1 : "", l);
	return len ? 1 + l : 0;
}

/* draft-walton-bgp-hostname: [len][host][len][domain] (5.0 prints it). */
static void cap_hostname(struct wbuf *w, const uint8_t *v, size_t len)
{
	sb_puts(w, "{ \"host-name\": ");
	size_t used = json_len_string(w, v, len);
	sb_puts(w, ", \"domain-name\": ");
	json_len_string(w, v + used, len - used);
	sb_puts(w, " }");
}

/* draft-ietf-idr-software-version: [len][text] (5.0 prints it). */
static void cap_software(struct wbuf *w, const uint8_t *v, size_t len)
{
	sb_puts(w, "{ \"software\": ");
	json_len_string(w, v, len);
	sb_puts(w, " }");
}

/* PATHS-LIMIT: [AFI(2) SAFI(1) limit(2)]..., entries of limit 0 left out
 * and the first entry of a family kept, as ExaBGP 5 reads it. */
static void cap_paths_limit(struct wbuf *w, const uint8_t *v, size_t len)
{
	uint32_t seen[OPEN_LIST_MAX];
	int nseen = 0;
	sb_puts(w, "{ \"name\": \"paths-limit\"");
	for (size_t o = 0; o + 5 <= len; o += 5) {
		uint32_t key = (uint32_t)get_u16(v + o) << 8 | v[o + 2];
		uint16_t limit = get_u16(v + o + 3);
		int i;
		for (i = 0; i < nseen && seen[i] != key; i++)
			;
		if (!limit || i < nseen || nseen == OPEN_LIST_MAX)
			continue;
		seen[nseen++] = key;
		sb_puts(w, ", \"");
		fam_slash(w, get_u16(v + o), v[o + 2]);
		sb_printf(w, "\": %u", limit);
	}
	sb_puts(w, " }");
}

/* The capabilities ExaBGP 5 knows and 4.2 does not: their names, or
 * NULL.  4.2's JSON prints them as it prints any unknown capability. */
static const char *exabgp5_cap_name(uint8_t code)
{
	switch (code) {
	case CAP_FQDN: return "hostname";
	case CAP_SOFTWARE_VERSION: return "software-version";
	case CAP_PATHS_LIMIT: return "paths-limit";
	case CAP_LINK_LOCAL_NEXTHOP: return "link-local-nexthop";
	default: return NULL;
	}
}

static const char *cap_name(const struct api_fmt *f, uint8_t code, char b[40])
{
	const char *n5 = exabgp5_cap_name(code);
	return f->version >= 5 && n5 ? n5 : fmt_capability_name(code, b);
}

static void cap_json(const struct api_fmt *f, struct wbuf *w, const struct open_listing *ov, uint8_t code, bool sent)
{
	const uint8_t *v = ov->val[code];
	size_t len = ov->vlen[code];
	if (f->version < 5 && exabgp5_cap_name(code)) {
		cap_unknown(w, code, v, len);
		return;
	}
	switch (code) {
	case CAP_MULTIPROTOCOL:
		sb_puts(w, "{ \"name\": \"multiprotocol\", \"families\": [");
		for (int i = 0; i < ov->nmp; i++) {
			sb_puts(w, i ? ", \"" : " \"");
			fam_slash(w, ov->mp[i].afi, ov->mp[i].safi);
			sb_puts(w, "\"");
		}
		sb_puts(w, " ] }");
		return;
	case CAP_ROUTE_REFRESH:
	case CAP_ROUTE_REFRESH_CISCO:
		sb_printf(w, "{ \"name\": \"route-refresh\", \"variant\": \"%s\" }",
			  code == CAP_ROUTE_REFRESH ? "RFC" : "Cisco");
		return;
	case CAP_EXTENDED_NEXTHOP:
		sb_puts(w, "{ \"name\": \"nexthop\", \"conversion\": [");
		for (int i = 0; i < ov->nnh; i++) {
			char a[32];
			sb_puts(w, i ? ", \"" : " \"");
			fam_slash(w, ov->nh[i].afi, ov->nh[i].safi);
			sb_printf(w, "/%s\"", fmt_afi(ov->nh[i].nh_afi, a));
		}
		sb_puts(w, " ] }");
		return;
	case CAP_EXTENDED_MESSAGE:
		sb_puts(w, "{ \"name\": \"extended-message\", \"size\": 65535 }");
		return;
	case CAP_GRACEFUL_RESTART: {
		uint16_t r = len >= 2 ? get_u16(v) : 0;
		sb_printf(w, "{ \"name\": \"graceful restart\", \"time\": %u, \"address-family-flags\": { ", r & 0xFFF);
		for (size_t o = 2, i = 0; o + 4 <= len; o += 4, i++) {
			if (i)
				sb_puts(w, ", ");
			sb_puts(w, "\"");
			fam_slash(w, get_u16(v + o), v[o + 2]);
			/* ExaBGP's words: the per-family F bit is shown as "restart" */
			sb_printf(w, "\": [%s ] ", v[o + 3] & 0x80 ? " \"restart\"" : "");
		}
		/* ... and the R bit as "forwarding" */
		sb_printf(w, "}, \"restart-flags\": [%s] }", (r >> 12) & 0x8 ? " \"forwarding\" " : " ");
		return;
	}
	case CAP_ASN4:
		sb_printf(w, "{ \"name\": \"asn4\", \"asn4\": %u }", len >= 4 ? get_u32(v) : 0);
		return;
	case CAP_MULTISESSION:
	case CAP_MULTISESSION_CISCO:
		sb_printf(w, "{ \"name\": \"multisession\", \"variant\": \"%s\", \"capabilities\": [",
			  code == CAP_MULTISESSION ? "RFC" : "Cisco");
		/* ExaBGP prints the codes of the OPEN it built, none of a received one */
		for (size_t i = 1; sent && i < len; i++) {
			char b[40];
			sb_printf(w, "%s \"%s\"", i > 1 ? "," : "", fmt_capability_name(v[i], b));
		}
		sb_puts(w, " ] }");
		return;
	case CAP_ADD_PATH:
		sb_puts(w, "{ \"name\": \"addpath\"");
		for (int i = 0; i < ov->nap; i++) {
			sb_puts(w, i ? ",\"" : ", \"");
			fam_slash(w, ov->ap[i].afi, ov->ap[i].safi);
			sb_printf(w, "\": \"%s\"", addpath_mode(ov->ap[i].mode));
		}
		sb_puts(w, " }");
		return;
	case CAP_ENHANCED_ROUTE_REFRESH:
		sb_puts(w, "{ \"name\": \"enhanced-route-refresh\" }");
		return;
	case CAP_OPERATIONAL:
		sb_puts(w, "{ \"name\": \"operational\" }");
		return;
	case CAP_FQDN:
		cap_hostname(w, v, len);
		return;
	case CAP_SOFTWARE_VERSION:
		cap_software(w, v, len);
		return;
	case CAP_PATHS_LIMIT:
		cap_paths_limit(w, v, len);
		return;
	case CAP_LINK_LOCAL_NEXTHOP:
		sb_puts(w, "{ \"name\": \"link-local-nexthop\" }");
		return;
	default:
		cap_unknown(w, code, v, len);
	}
}

void json_open_kv(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)n;
	const struct open_listing *ov = e->ov;
	bool sent = e->dir == API_DIR_SEND;
	uint32_t asn = ov->asn;
	/* ExaBGP's own OPEN object holds the real local ASN */
	if (sent && ov->val[CAP_ASN4] && ov->vlen[CAP_ASN4] >= 4)
		asn = get_u32(ov->val[CAP_ASN4]);
	char rid[16];
	fmt_ipv4_host(rid, ov->router_id);
	sb_printf(w, "\"open\": { \"version\": %u, \"asn\": %u, \"hold_time\": %u, \"router_id\": \"%s\", \"capabilities\": { ",
		  ov->version, asn, ov->hold_time, rid);
	for (int i = 0; i < ov->norder; i++) {
		uint8_t code = ov->order[i];
		char b[40];
		if (i)
			sb_puts(w, ", ");
		if (sent)
			sb_printf(w, "\"%s\": ", cap_name(f, code, b));
		else
			sb_printf(w, "\"%u\": ", code);
		cap_json(f, w, ov, code, sent);
	}
	sb_puts(w, " } }");
}

/* ---- negotiated ----------------------------------------------------------- */

static void fam_space(struct wbuf *w, int fam)
{
	sb_printf(w, "%s %s", family_table[fam].afi_name, family_table[fam].safi_name);
}

/* The negotiated families in the order of the received OPEN (ExaBGP walks
 * its multiprotocol list). */
static int neg_families(const struct api_neighbor *n, family_mask fams, int out[FAM_COUNT])
{
	int k = 0;
	family_mask done = 0;
	for (int i = 0; i < n->nrx_mp; i++) {
		int f = n->rx_mp[i];
		if (f < FAM_COUNT && (fams & FAM_BIT(f)) && !(done & FAM_BIT(f))) {
			out[k++] = f;
			done |= FAM_BIT(f);
		}
	}
	for (int f = 0; f < FAM_COUNT; f++)
		if ((fams & FAM_BIT(f)) && !(done & FAM_BIT(f)))
			out[k++] = f;
	return k;
}

static void str_list(const struct api_fmt *f, struct wbuf *w, const char *const *items, int n, const char *sep4)
{
	if (f->version >= 5) {
		sb_puts(w, "[");
		for (int i = 0; i < n; i++)
			sb_printf(w, "%s\"%s\"", i ? ", " : "", items[i]);
		sb_puts(w, "]");
		return;
	}
	sb_puts(w, "[ ");
	for (int i = 0; i < n; i++)
		sb_printf(w, "%s\"%s\"", i ? sep4 : "", items[i]);
	sb_puts(w, " ]");
}

void json_negotiated_kv(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n)
{
	static const struct negotiated none = {.max_msg = 4096};
	const struct negotiated *neg = n->neg ? n->neg : &none;
	bool ms = n->sent && n->received && n->sent->caps.multisession && n->received->caps.multisession;
	bool op = n->sent && n->received && n->sent->caps.operational && n->received->caps.operational;
	const char *refresh = neg->enhanced_route_refresh ? "enhanced" : neg->route_refresh ? "normal" : "absent";
	int fams[FAM_COUNT];
	int nf = neg_families(n, neg->families, fams);

	char names[3][FAM_COUNT][40];
	const char *fl[FAM_COUNT], *snd[FAM_COUNT], *rcv[FAM_COUNT];
	int ns = 0, nr = 0;
	for (int i = 0; i < nf; i++) {
		struct wbuf t;
		wb_init_fixed(&t, names[0][i], sizeof(names[0][i]) - 1);
		fam_space(&t, fams[i]);
		names[0][i][t.err ? 0 : t.len] = '\0';
		fl[i] = names[0][i];
		if (neg->addpath_send & FAM_BIT(fams[i]))
			snd[ns++] = fl[i];
		if (neg->addpath_receive & FAM_BIT(fams[i]))
			rcv[nr++] = fl[i];
	}
	/* extended next-hop: the received capability's order, kept when we sent it too */
	const char *nhl[MAX_NEXTHOP_CAPS];
	int nn = 0;
	if (n->sent && n->received) {
		const struct capabilities *rc = &n->received->caps, *sc = &n->sent->caps;
		for (int i = 0; i < rc->nnexthop && nn < MAX_NEXTHOP_CAPS && nn < FAM_COUNT; i++) {
			int found = 0;
			for (int j = 0; j < sc->nnexthop; j++)
				if (sc->nexthop[j].afi == rc->nexthop[i].afi && sc->nexthop[j].safi == rc->nexthop[i].safi &&
				    sc->nexthop[j].nh_afi == rc->nexthop[i].nh_afi)
					found = 1;
			if (!found)
				continue;
			char a[32], s[32], h[32];
			snprintf(names[1][nn], sizeof(names[1][nn]), "%s %s %s", fmt_afi(rc->nexthop[i].afi, a),
				 fmt_safi((uint8_t)rc->nexthop[i].safi, s), fmt_afi(rc->nexthop[i].nh_afi, h));
			nhl[nn] = names[1][nn];
			nn++;
		}
	}
	sb_printf(w,
		  "\"negotiated\": { \"message_size\": %zu, \"hold_time\": %u, \"asn4\": %s, \"multisession\": %s, "
		  "\"operational\": %s, \"refresh\": \"%s\", \"families\": ",
		  neg->max_msg, neg->hold_time, neg->asn4 ? "true" : "false", ms ? "true" : "false", op ? "true" : "false",
		  refresh);
	str_list(f, w, fl, nf, " ,");
	sb_puts(w, ", \"nexthop\": ");
	str_list(f, w, nhl, nn, " ,");
	if (f->version >= 5) {
		sb_puts(w, ", \"add_path\": {\"send\": ");
		str_list(f, w, snd, ns, ", ");
		sb_puts(w, ", \"receive\": ");
		str_list(f, w, rcv, nr, ", ");
		sb_puts(w, "} } ");
	} else {
		sb_puts(w, ", \"add_path\": { \"send\": ");
		str_list(f, w, snd, ns, ", ");
		sb_puts(w, ", \"receive\": ");
		str_list(f, w, rcv, nr, ", ");
		sb_puts(w, " } } ");
	}
}
