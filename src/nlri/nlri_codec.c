/* The codecs of the NLRI layouts (see nlri_codec.h): decode, encode, rib
 * key, ExaBGP's text and JSON, one small set of functions per layout. */
#include "nlri/nlri_codec.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "attr/attr_table.h" /* sb_* writers */
#include "nlri/family.h"
#include "nlri/flowspec.h"
#include "nlri/vpn.h"
#include "wire/buf.h"

/* ---- prefixes, labeled prefixes, VPN prefixes ---- */

static long prefix_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			  struct nlri_item *out)
{
	(void)withdraw;
	return nlri_prefix_decode(p, len, afi_addr_len(fd->afi), &out->pfx);
}

static long labeled_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			   struct nlri_item *out)
{
	return labeled_nlri_decode(p, len, afi_addr_len(fd->afi), fd->kind == NLRI_KIND_VPN, withdraw, &out->pfx);
}

static size_t prefix_encode(const struct nlri_item *it, uint8_t *out)
{
	const struct labeled_prefix *x = &it->pfx;
	return labeled_nlri_encode(out, NULL, 0, NULL, x->addr, x->plen);
}

static size_t labeled_encode(const struct nlri_item *it, uint8_t *out)
{
	const struct labeled_prefix *x = &it->pfx;
	return labeled_nlri_encode(out, x->labels, x->nlabels, x->has_rd ? x->rd : NULL, x->addr, x->plen);
}

/* RFC 8277 2 / RFC 4364: a route is named by its RD and prefix; the labels
 * it carries are attributes of the announcement. */
static size_t labeled_key(const struct nlri_item *it, uint8_t *out)
{
	const struct labeled_prefix *x = &it->pfx;
	return labeled_nlri_encode(out, NULL, 0, x->has_rd ? x->rd : NULL, x->addr, x->plen);
}

/* "ADDRESS/LEN", written straight into w: this runs for every received
 * prefix, and inet_ntop and snprintf go through printf (a third of the
 * time of handing a million routes to a helper). */
static void sb_prefix(struct wbuf *w, const struct nlri_item *it)
{
	if (family_table[it->family].afi == AFI_IPV6)
		sb_ipv6(w, it->pfx.addr);
	else
		sb_ipv4(w, it->pfx.addr);
	wb_u8(w, '/');
	sb_u32(w, it->pfx.plen);
}

static void sb_path_id(struct wbuf *w, uint32_t id)
{
	sb_printf(w, "%u.%u.%u.%u", id >> 24, (id >> 16) & 0xFF, (id >> 8) & 0xFF, id & 0xFF);
}

static void prefix_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	sb_prefix(w, it);
	if (it->has_path_id) {
		sb_puts(w, " path-information ");
		sb_path_id(w, it->path_id);
	}
	if (it->pfx.nlabels) {
		char labels[16 * NLRI_MAX_LABELS + 16];
		label_stack_format(labels, sizeof(labels), it->pfx.labels, it->pfx.nlabels);
		sb_puts(w, labels);
	}
	if (nexthop) {
		sb_puts(w, " next-hop ");
		sb_puts(w, nexthop);
	}
	if (it->pfx.has_rd) {
		char rd[32];
		rd_format(rd, sizeof(rd), it->pfx.rd);
		sb_puts(w, " rd ");
		sb_puts(w, rd);
	}
}

static void prefix_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)nexthop; /* the JSON groups routes under their next-hop */
	const struct labeled_prefix *pf = &it->pfx;
	bool extra = it->has_path_id || pf->nlabels || pf->has_rd;
	if (!extra && compact) {
		wb_u8(w, '"');
		sb_prefix(w, it);
		wb_u8(w, '"');
		return;
	}
	sb_puts(w, "{ \"nlri\": \"");
	sb_prefix(w, it);
	wb_u8(w, '"');
	if (it->has_path_id) {
		sb_puts(w, ", \"path-information\": \"");
		sb_path_id(w, it->path_id);
		wb_u8(w, '"');
	}
	if (pf->nlabels) {
		sb_puts(w, ", \"label\": [ ");
		for (int i = 0; i < pf->nlabels; i++)
			sb_printf(w, "%s[%u]", i ? ", " : "", pf->labels[i]);
		sb_puts(w, " ]");
	}
	if (pf->has_rd) {
		char buf[32];
		rd_format(buf, sizeof(buf), pf->rd);
		sb_printf(w, ", \"rd\": \"%s\"", buf);
	}
	sb_puts(w, " }");
}

const struct nlri_codec nlri_codec_prefix = {prefix_decode, prefix_encode, NULL, prefix_text, prefix_json, true};
const struct nlri_codec nlri_codec_labeled = {labeled_decode, labeled_encode, labeled_key, prefix_text, prefix_json,
					      true};
const struct nlri_codec nlri_codec_vpn = {labeled_decode, labeled_encode, labeled_key, prefix_text, prefix_json, true};

/* ---- l2vpn vpls ---- */

static long vpls_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			struct nlri_item *out)
{
	(void)fd;
	(void)withdraw;
	return vpls_nlri_decode(p, len, &out->vpls);
}

static size_t vpls_encode(const struct nlri_item *it, uint8_t *out)
{
	return vpls_nlri_encode(out, &it->vpls);
}

static void vpls_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	char buf[256];
	vpls_format(buf, sizeof(buf), &it->vpls, nexthop);
	sb_puts(w, buf);
}

static void vpls_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)nexthop;
	(void)compact;
	const struct vpls_nlri *v = &it->vpls;
	char rd[32];
	rd_format(rd, sizeof(rd), v->rd);
	sb_printf(w, "{ \"rd\": \"%s\", \"endpoint\": %u, \"base\": %u, \"offset\": %u, \"size\": %u }", rd, v->endpoint,
		  v->base, v->offset, v->size);
}

const struct nlri_codec nlri_codec_vpls = {vpls_decode, vpls_encode, NULL, vpls_text, vpls_json, true};

/* ---- FlowSpec ---- */

/* The rule's length delimits it; a rule malformed inside (RFC 8955 4.2)
 * is kept as bad so that the UPDATE is treat-as-withdraw (RFC 8955 7). */
static long flow_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			struct nlri_item *out)
{
	(void)withdraw;
	long sz = flow_nlri_size(p, len);
	if (sz <= 0 || sz > 0xFFFF)
		return -1;
	out->bad = flow_nlri_check(fd->afi, fd->safi, p, (size_t)sz, NULL, 0) < 0;
	return sz;
}

static size_t flow_reencode(const struct nlri_item *it, uint8_t *out)
{
	(void)it;
	(void)out;
	return 0; /* a rule is kept and re-sent as received */
}

static void flow_print(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool json)
{
	const struct family_def *fd = &family_table[it->family];
	char err[128];
	if (flow_format(fd->afi, fd->safi, it->nlri, it->nlri_len, nexthop, json ? NULL : w, json ? w : NULL, err,
			sizeof(err)) < 0)
		sb_puts(w, json ? "null" : "flow"); /* never reached: bad rules are not shown */
}

static void flow_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	flow_print(w, it, nexthop, false);
}

static void flow_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)compact;
	flow_print(w, it, nexthop, true);
}

const struct nlri_codec nlri_codec_flow = {flow_decode, flow_reencode, NULL, flow_text, flow_json, false};
