/* Link-State NLRI (RFC 9552 5.2; AFI 16388, SAFI 71 "bgp-ls", SAFI 72
 * "bgp-ls-vpn" with a route distinguisher first):
 *
 *   [NLRI type:2][total length:2][(RD:8)][value]
 *   node (1):   [protocol-id:1][identifier:8][local node descriptors TLV 256]
 *   link (2):   ... [TLV 256][remote node descriptors TLV 257][link descriptors]
 *   prefix (3 IPv4, 4 IPv6): ... [TLV 256][prefix descriptors]
 *
 * The NLRI is kept as received (it is its own rib key) and printed from
 * its bytes, in the JSON of Debian's ExaBGP 4.2 (its text is the same
 * string).  Where 4.2 fails (a link with link identifiers 258 raises, a
 * link or prefix with a multi-topology id 263 never returns) fastbgp
 * prints what 4.2 meant, under ExaBGP 5.0's names:
 *   , "link-identifiers": { "link-local-id": 1, "link-remote-id": 2 }
 *   , "multi-topology-ids": [ 0, 2 ]
 * An NLRI type fastbgp does not know prints as 4.2's generic one:
 *   { "code": 7, "parsed": false, "raw": "0703..." } */
#include "nlri/bgpls.h"

#include "attr/attr_table.h" /* sb_* writers */
#include "nlri/family.h"
#include "nlri/nlri_codec.h"
#include "nlri/vpn.h"
#include "wire/buf.h"

/* RFC 9552 5.2 NLRI types */
enum { LS_NODE = 1, LS_LINK = 2, LS_PREFIX_V4 = 3, LS_PREFIX_V6 = 4 };
/* RFC 9552 5.2.1.4, 5.2.2, 5.2.3 TLV code points of the NLRI */
enum {
	LS_LOCAL_NODE = 256,
	LS_REMOTE_NODE = 257,
	LS_LINK_IDS = 258,
	LS_IF_ADDR4 = 259,
	LS_NEIGH_ADDR4 = 260,
	LS_IF_ADDR6 = 261,
	LS_NEIGH_ADDR6 = 262,
	LS_MT_ID = 263,
	LS_OSPF_ROUTE = 264,
	LS_IP_REACH = 265,
	LS_ND_AS = 512,
	LS_ND_BGPLS_ID = 513,
	LS_ND_OSPF_AREA = 514,
	LS_ND_IGP_RID = 515,
};

#define LS_HDR 9 /* protocol-id + identifier (RFC 9552 5.2) */

bool ls_tlvs_walk(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	struct ls_tlv t;
	int rc;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0)
		;
	return rc == 0;
}

void ls_hex(struct wbuf *w, const uint8_t *a, size_t len)
{
	sb_hex(w, a, len, 0);
}

void ls_addr(struct wbuf *w, const uint8_t *a, size_t len)
{
	if (len == 4)
		sb_ipv4(w, a);
	else if (len == 16)
		sb_ipv6(w, a);
	else {
		sb_puts(w, "0x");
		sb_hex(w, a, len, 1);
	}
}

/* RFC 9552 5.2.1.4: node descriptor sub-TLVs; the lengths are fixed but
 * for the IGP router-id (4 OSPF, 6 IS-IS, 7 IS-IS pseudonode, 8 OSPF
 * pseudonode). */
static const char *node_desc_check(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	struct ls_tlv t;
	int rc;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0) {
		switch (t.type) {
		case LS_ND_AS:
		case LS_ND_BGPLS_ID:
		case LS_ND_OSPF_AREA:
			if (t.len != 4)
				return "node descriptor of the wrong length";
			break;
		case LS_ND_IGP_RID:
			if (t.len < 4 || t.len > 8 || t.len == 5)
				return "IGP router-id of the wrong length";
			break;
		default:
			break; /* RFC 9552 5.2.1.4: other sub-TLVs (RFC 9086's) pass */
		}
	}
	return rc < 0 ? "node descriptor sub-TLV overruns" : NULL;
}

/* RFC 9552 5.2.3.2: [prefix length][the bytes of the prefix it needs]. */
static bool ip_reach_ok(uint16_t nlri_type, const struct ls_tlv *t)
{
	unsigned max = nlri_type == LS_PREFIX_V4 ? 32 : 128;
	return t->len >= 1 && t->v[0] <= max && t->len == 1 + (t->v[0] + 7u) / 8u;
}

static const char *desc_check(uint16_t type, const struct ls_tlv *t, bool *reach)
{
	switch (t->type) {
	case LS_LINK_IDS:
		return t->len == 8 ? NULL : "link identifiers of the wrong length";
	case LS_IF_ADDR4:
	case LS_NEIGH_ADDR4:
		return t->len == 4 ? NULL : "IPv4 link address of the wrong length";
	case LS_IF_ADDR6:
	case LS_NEIGH_ADDR6:
		return t->len == 16 ? NULL : "IPv6 link address of the wrong length";
	case LS_MT_ID:
		return t->len && t->len % 2 == 0 ? NULL : "multi-topology id of the wrong length";
	case LS_OSPF_ROUTE:
		return t->len == 1 ? NULL : "OSPF route type of the wrong length";
	case LS_IP_REACH:
		if (type != LS_PREFIX_V4 && type != LS_PREFIX_V6)
			return "IP reachability outside a prefix NLRI";
		*reach = true;
		return ip_reach_ok(type, t) ? NULL : "malformed IP reachability";
	default:
		return NULL;
	}
}

/* RFC 9552 8.2.2: the TLVs must fill the NLRI exactly, the local node
 * descriptors come first and are mandatory, a link names its remote node
 * and a prefix its IP reachability. */
const char *bgpls_nlri_check(uint16_t type, const uint8_t *v, size_t len)
{
	if (type < LS_NODE || type > LS_PREFIX_V6)
		return NULL; /* an NLRI type of a later RFC: kept as it is */
	if (len < LS_HDR)
		return "Link-State NLRI too short";
	const uint8_t *p = v + LS_HDR, *end = v + len;
	struct ls_tlv t;
	int rc, n = 0;
	bool remote = false, reach = false;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0) {
		const char *why = NULL;
		if (n++ == 0 && t.type != LS_LOCAL_NODE)
			return "Link-State NLRI without local node descriptors first";
		if (t.type == LS_LOCAL_NODE || t.type == LS_REMOTE_NODE) {
			if (t.type == LS_REMOTE_NODE && type != LS_LINK)
				return "remote node descriptors outside a link NLRI";
			remote |= t.type == LS_REMOTE_NODE;
			why = node_desc_check(t.v, t.len);
		} else if (type == LS_NODE) {
			return "node NLRI with descriptors after the node's";
		} else {
			why = desc_check(type, &t, &reach);
		}
		if (why)
			return why;
	}
	if (rc < 0)
		return "Link-State NLRI TLV overruns";
	if (!n)
		return "Link-State NLRI without local node descriptors";
	if (type == LS_LINK && !remote)
		return "link NLRI without remote node descriptors";
	if ((type == LS_PREFIX_V4 || type == LS_PREFIX_V6) && !reach)
		return "prefix NLRI without IP reachability";
	return NULL;
}

/* ---- codec ---- */

static bool is_vpn(const struct family_def *fd) { return fd->safi == SAFI_BGPLS_VPN; }

static long bgpls_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			 struct nlri_item *out)
{
	(void)withdraw;
	if (len < 4)
		return -1;
	size_t vlen = (size_t)(p[2] << 8 | p[3]);
	if (4 + vlen > len)
		return -1;
	size_t rd = is_vpn(fd) ? RD_LEN : 0;
	uint16_t type = (uint16_t)(p[0] << 8 | p[1]);
	/* RFC 9552 8.2.2: delimited by its length but malformed inside:
	 * treat-as-withdraw */
	out->bad = vlen < rd || bgpls_nlri_check(type, p + 4 + rd, vlen - rd) != NULL;
	return (long)(4 + vlen);
}

static size_t bgpls_reencode(const struct nlri_item *it, uint8_t *out)
{
	(void)it;
	(void)out;
	return 0; /* kept and re-sent as received */
}

/* The fields of one node descriptors TLV (256 or 257), joined by ", ",
 * one per sub-TLV in the order received, as ExaBGP 4.2 prints them. */
static void node_desc_json(struct wbuf *w, uint8_t proto, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	struct ls_tlv t;
	bool first = true;
	while (ls_tlv_next(&p, end, &t) > 0) {
		if (!first)
			sb_puts(w, ", ");
		first = false;
		switch (t.type) {
		case LS_ND_AS:
			sb_puts(w, "\"autonomous-system\": ");
			sb_u32(w, get_u32(t.v));
			break;
		case LS_ND_BGPLS_ID:
			sb_puts(w, "\"bgp-ls-identifier\": \"");
			sb_u32(w, get_u32(t.v));
			wb_u8(w, '"');
			break;
		case LS_ND_OSPF_AREA:
			sb_puts(w, "\"ospf-area-id\": \"");
			sb_ipv4(w, t.v);
			wb_u8(w, '"');
			break;
		case LS_ND_IGP_RID:
			/* RFC 9552 5.2.1.4: the length (and protocol) says which
			 * router-id: OSPF 4, OSPF LAN pseudonode 8 (router-id
			 * then the DR's), IS-IS 6, IS-IS pseudonode 7 (PSN last). */
			if (t.len == 8) {
				sb_puts(w, "\"designated-router-id\": \"");
				sb_ipv4(w, t.v + 4);
				sb_puts(w, "\", ");
			} else if (t.len == 7) {
				sb_puts(w, "\"psn\": \"");
				sb_u32(w, t.v[6]);
				sb_puts(w, "\", ");
			}
			sb_puts(w, "\"router-id\": \"");
			if (t.len == 4 || t.len == 8)
				sb_ipv4(w, t.v);
			else
				ls_hex(w, t.v, t.len < 6 ? t.len : 6);
			wb_u8(w, '"');
			break;
		default:
			/* RFC 9086 BGP router-id, member AS, ...: 4.2 knows none */
			sb_printf(w, "\"node-descriptor-%u\": \"0x", t.type);
			sb_hex(w, t.v, t.len, 1);
			wb_u8(w, '"');
			break;
		}
	}
	(void)proto;
}

static void header_json(struct wbuf *w, const char *name, const uint8_t *v)
{
	uint64_t id = 0;
	for (int i = 1; i < LS_HDR; i++)
		id = id << 8 | v[i];
	sb_puts(w, "{ \"ls-nlri-type\": \"");
	sb_puts(w, name);
	sb_puts(w, "\", \"l3-routing-topology\": ");
	sb_u64(w, id);
	sb_puts(w, ", \"protocol-id\": ");
	sb_u32(w, v[0]);
}

static void nexthop_json(struct wbuf *w, const char *nexthop)
{
	sb_puts(w, ", \"nexthop\": \"");
	sb_puts(w, nexthop ? nexthop : "None"); /* Python's None in a withdrawal */
	wb_u8(w, '"');
}

/* RFC 9552 5.2.2.1: 4 reserved bits, then a 12-bit MT-ID, per entry. */
static void mt_ids_json(struct wbuf *w, const uint8_t *v, size_t len, bool *first)
{
	if (*first)
		sb_puts(w, ", \"multi-topology-ids\": [ ");
	for (size_t i = 0; i + 1 < len; i += 2) {
		if (!*first)
			sb_puts(w, ", ");
		*first = false;
		sb_u32(w, (uint32_t)((v[i] & 0x0F) << 8 | v[i + 1]));
	}
}

static void link_json(struct wbuf *w, const uint8_t *v, size_t len)
{
	const uint8_t *end = v + len, *p;
	struct ls_tlv t;
	header_json(w, "bgpls-link", v);
	/* ExaBGP 4.2 groups the TLVs by kind, the last node descriptors of
	 * each side winning */
	struct ls_tlv local = {0}, remote = {0};
	for (p = v + LS_HDR; ls_tlv_next(&p, end, &t) > 0;)
		if (t.type == LS_LOCAL_NODE)
			local = t;
		else if (t.type == LS_REMOTE_NODE)
			remote = t;
	sb_puts(w, ", \"local-node-descriptors\": { ");
	node_desc_json(w, v[0], local.v, local.len);
	sb_puts(w, " }, \"remote-node-descriptors\": { ");
	node_desc_json(w, v[0], remote.v, remote.len);
	sb_puts(w, " }");
	static const char *const group[2] = {"interface-address", "neighbor-address"};
	for (int g = 0; g < 2; g++) {
		bool first = true;
		sb_printf(w, ", \"%s\": { ", group[g]);
		for (p = v + LS_HDR; ls_tlv_next(&p, end, &t) > 0;) {
			bool in_group = g == 0 ? t.type == LS_IF_ADDR4 || t.type == LS_IF_ADDR6
					       : t.type == LS_NEIGH_ADDR4 || t.type == LS_NEIGH_ADDR6;
			if (!in_group)
				continue;
			sb_printf(w, "%s\"%s\": \"", first ? "" : ", ", group[g]);
			ls_addr(w, t.v, t.len);
			wb_u8(w, '"');
			first = false;
		}
		sb_puts(w, " }");
	}
	bool first_mt = true;
	for (p = v + LS_HDR; ls_tlv_next(&p, end, &t) > 0;) {
		if (t.type == LS_LINK_IDS) {
			sb_puts(w, ", \"link-identifiers\": { \"link-local-id\": ");
			sb_u32(w, get_u32(t.v));
			sb_puts(w, ", \"link-remote-id\": ");
			sb_u32(w, get_u32(t.v + 4));
			sb_puts(w, " }");
		} else if (t.type == LS_MT_ID) {
			mt_ids_json(w, t.v, t.len, &first_mt);
		}
	}
	if (!first_mt)
		sb_puts(w, " ]");
}

/* RFC 9552 5.2.3.2: the prefix's bytes, zero padded to an address. */
static void ip_reach_json(struct wbuf *w, bool v6, const struct ls_tlv *t)
{
	uint8_t a[16] = {0};
	size_t n = t->len - 1u;
	memcpy(a, t->v + 1, n < sizeof(a) ? n : sizeof(a));
	sb_puts(w, ", \"ip-reachability-tlv\": \"");
	ls_addr(w, a, v6 ? 16 : 4);
	sb_puts(w, "\", \"ip-reach-prefix\": \"");
	ls_addr(w, a, v6 ? 16 : 4);
	wb_u8(w, '/');
	sb_u32(w, t->v[0]);
	wb_u8(w, '"');
}

static void bgpls_nlri_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)compact;
	const struct family_def *fd = &family_table[it->family];
	const uint8_t *p = it->nlri;
	uint16_t type = get_u16(p);
	size_t rd = is_vpn(fd) ? RD_LEN : 0;
	const uint8_t *v = p + 4 + rd;
	size_t len = it->nlri_len >= 4u + rd ? it->nlri_len - 4u - rd : 0;
	const uint8_t *end = v + len, *q;
	struct ls_tlv t;
	if (it->nlri_len < 4u + rd) {
		sb_puts(w, "null"); /* never shown: a bad NLRI is treat-as-withdraw */
		return;
	}
	/* an NLRI of a later RFC, or a malformed one (only ever in logs: it
	 * withdraws its UPDATE's routes and is not shown) */
	if (type < LS_NODE || type > LS_PREFIX_V6 || it->bad) {
		/* ExaBGP 4.2's generic BGP-LS NLRI: its raw form has a one-byte
		 * type and length */
		sb_printf(w, "{ \"code\": %u, \"parsed\": false, \"raw\": \"%02X%02X", type, type & 0xFF,
			  (unsigned)(len & 0xFF));
		sb_hex(w, v, len, 1);
		sb_puts(w, "\" }");
		return;
	}
	if (type == LS_LINK) {
		link_json(w, v, len);
	} else {
		static const char *const names[] = {"bgpls-node", "", "bgpls-prefix-v4", "bgpls-prefix-v6"};
		header_json(w, names[type - 1], v);
		struct ls_tlv local = {0};
		for (q = v + LS_HDR; ls_tlv_next(&q, end, &t) > 0;)
			if (t.type == LS_LOCAL_NODE)
				local = t;
		sb_puts(w, ", \"node-descriptors\": { ");
		node_desc_json(w, v[0], local.v, local.len);
		sb_puts(w, " }");
		if (type != LS_NODE) {
			int route_type = -1;
			bool first_mt = true;
			for (q = v + LS_HDR; ls_tlv_next(&q, end, &t) > 0;)
				if (t.type == LS_IP_REACH)
					ip_reach_json(w, type == LS_PREFIX_V6, &t);
			nexthop_json(w, nexthop);
			for (q = v + LS_HDR; ls_tlv_next(&q, end, &t) > 0;)
				if (t.type == LS_OSPF_ROUTE)
					route_type = t.v[0];
			if (route_type >= 0)
				sb_printf(w, ", \"ospf-route-type\": %d", route_type);
			for (q = v + LS_HDR; ls_tlv_next(&q, end, &t) > 0;)
				if (t.type == LS_MT_ID)
					mt_ids_json(w, t.v, t.len, &first_mt);
			if (!first_mt)
				sb_puts(w, " ]");
		} else {
			nexthop_json(w, nexthop);
		}
	}
	if (rd) {
		char buf[32];
		rd_format(buf, sizeof(buf), p + 4);
		sb_printf(w, ", \"rd\": \"%s\"", buf);
	}
	sb_puts(w, " }");
}

/* ExaBGP 4.2's text of a BGP-LS route is its JSON object. */
static void bgpls_nlri_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	bgpls_nlri_json(w, it, nexthop, false);
}

/* ExaBGP 4.2 has no ADD-PATH for BGP-LS. */
const struct nlri_codec nlri_codec_bgpls = {bgpls_decode, bgpls_reencode, NULL, bgpls_nlri_text, bgpls_nlri_json, false};
