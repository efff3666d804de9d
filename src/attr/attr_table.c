/* The path attribute table (see attr_table.h) and the attributes of
 * RFC 4271 / RFC 4456 / RFC 4760 / RFC 6793 that need no file of their own.
 *
 * RFC 7606 handling per attribute (section 7 unless noted):
 *   ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES, ORIGINATOR_ID,
 *   CLUSTER_LIST, EXTENDED/IPv6/LARGE COMMUNITIES: treat-as-withdraw;
 *   LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST from an external peer: discard;
 *   ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR (RFC 6793 6),
 *   AIGP (RFC 7311): attribute discard;
 *   MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 7): session reset 3/9.
 * A flag conflict is treat-as-withdraw (section 3.c), for the MP
 * attributes too (update_parse.c). */
#include <string.h>

#include "attr/attr_table.h"
#include "wire/notification.h"

int attr_malformed(const struct attr_def *d, struct attr_verdict *v, const char *reason)
{
	v->action = d->malformed;
	v->reason = reason;
	if (v->action == ATTR_RESET) {
		v->code = BGP_ERR_UPDATE;
		v->subcode = BGP_ERR_UPD_OPTIONAL_ATTR;
	}
	return v->action;
}

/* ---- validation of the simple attributes ---- */

static ATTR_VALIDATE_FN(origin_validate)
{
	(void)ctx;
	if (len != 1)
		return attr_malformed(d, v, "ORIGIN length is not 1");
	if (val[0] > ORIGIN_INCOMPLETE)
		return attr_malformed(d, v, "undefined ORIGIN value");
	return v->action = ATTR_OK;
}

/* NEXT_HOP, MED, LOCAL_PREF, ORIGINATOR_ID, AS4_AGGREGATOR... */
static int fixed_len(const struct attr_def *d, size_t len, size_t want, struct attr_verdict *v)
{
	if (len != want)
		return attr_malformed(d, v, "wrong attribute length");
	return v->action = ATTR_OK;
}

static ATTR_VALIDATE_FN(len4_validate)
{
	(void)val, (void)ctx;
	return fixed_len(d, len, 4, v);
}

/* Attributes that only mean something inside an AS, from an external peer:
 * attribute discard, whatever their value. */
static int discard(struct attr_verdict *v, const char *reason)
{
	v->action = ATTR_DISCARD;
	v->reason = reason;
	return v->action;
}

static ATTR_VALIDATE_FN(localpref_validate)
{
	(void)val;
	if (ctx->ebgp) /* RFC 7606 7.5 */
		return discard(v, "LOCAL_PREF from an external peer");
	return fixed_len(d, len, 4, v);
}

static ATTR_VALIDATE_FN(atomic_validate)
{
	(void)val, (void)ctx;
	return fixed_len(d, len, 0, v);
}

static ATTR_VALIDATE_FN(aggregator_validate)
{
	(void)val;
	return fixed_len(d, len, ctx->asn4 ? 8 : 6, v);
}

static ATTR_VALIDATE_FN(as4aggregator_validate)
{
	(void)val;
	if (ctx->asn4) /* RFC 6793 4.1 */
		return discard(v, "AS4_AGGREGATOR from a 4-octet AS speaker");
	return fixed_len(d, len, 8, v);
}

/* RFC 7606 7.9: an ORIGINATOR_ID from an external peer is discarded (it
 * only has meaning inside an AS, RFC 4456 8). */
static ATTR_VALIDATE_FN(originator_validate)
{
	(void)val;
	if (ctx->ebgp)
		return discard(v, "ORIGINATOR_ID from an external peer");
	return fixed_len(d, len, 4, v);
}

/* RFC 7606 7.10: likewise a CLUSTER_LIST from an external peer. */
static ATTR_VALIDATE_FN(clusterlist_validate)
{
	(void)val;
	if (ctx->ebgp)
		return discard(v, "CLUSTER_LIST from an external peer");
	if (len == 0 || len % 4)
		return attr_malformed(d, v, "CLUSTER_LIST length is not a non-zero multiple of 4");
	return v->action = ATTR_OK;
}

/* [AFI:2][SAFI:1][NH len:1][NH][reserved:1][NLRI]; the next-hop and NLRI
 * contents are checked by update_parse() which knows the families. */
static ATTR_VALIDATE_FN(mpreach_validate)
{
	(void)ctx;
	if (len < 5 || len < 5u + val[3])
		return attr_malformed(d, v, "MP_REACH_NLRI too short");
	return v->action = ATTR_OK;
}

static ATTR_VALIDATE_FN(mpunreach_validate)
{
	(void)val, (void)ctx;
	if (len < 3)
		return attr_malformed(d, v, "MP_UNREACH_NLRI too short");
	return v->action = ATTR_OK;
}

/* ---- printing of the simple attributes ---- */

static ATTR_PRINT_FN(origin_json)
{
	static const char *const names[] = {"igp", "egp", "incomplete"};
	if (len != 1) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_printf(w, "\"origin\": \"%s\"", val[0] <= 2 ? names[val[0]] : "invalid");
}

static ATTR_PRINT_FN(origin_text)
{
	static const char *const names[] = {"igp", "egp", "incomplete"};
	if (len != 1) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_printf(w, " origin %s", val[0] <= 2 ? names[val[0]] : "invalid");
}

static ATTR_PRINT_FN(u32_json)
{
	if (len != 4) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_printf(w, "\"%s\": ", code == ATTR_MED ? "med" : "local-preference");
	sb_u32(w, get_u32(val));
}

static ATTR_PRINT_FN(u32_text)
{
	if (len != 4) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_printf(w, " %s ", code == ATTR_MED ? "med" : "local-preference");
	sb_u32(w, get_u32(val));
}

static ATTR_PRINT_FN(atomic_json)
{
	(void)code, (void)flags, (void)val, (void)len;
	sb_puts(w, "\"atomic-aggregate\": true");
}

static ATTR_PRINT_FN(atomic_text)
{
	(void)code, (void)flags, (void)val, (void)len;
	sb_puts(w, " atomic-aggregate");
}

/* "65000:10.0.0.1"; 8 bytes in sets, 6 accepted too. */
static void put_aggregator(struct wbuf *w, const uint8_t *val, size_t len)
{
	sb_u32(w, len == 8 ? get_u32(val) : get_u16(val));
	wb_u8(w, ':');
	sb_ipv4(w, val + len - 4);
}

static ATTR_PRINT_FN(aggregator_json)
{
	if (len != 8 && len != 6) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"aggregator\": \"");
	put_aggregator(w, val, len);
	wb_u8(w, '"');
}

static ATTR_PRINT_FN(aggregator_text)
{
	if (len != 8 && len != 6) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " aggregator ( ");
	put_aggregator(w, val, len);
	sb_puts(w, " )");
}

static ATTR_PRINT_FN(originator_json)
{
	if (len != 4) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"originator-id\": \"");
	sb_ipv4(w, val);
	wb_u8(w, '"');
}

static ATTR_PRINT_FN(originator_text)
{
	if (len != 4) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " originator-id ");
	sb_ipv4(w, val);
}

static ATTR_PRINT_FN(clusterlist_json)
{
	if (len == 0 || len % 4) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"cluster-list\": [ ");
	for (size_t i = 0; i < len; i += 4) {
		if (i)
			sb_puts(w, ", ");
		wb_u8(w, '"');
		sb_ipv4(w, val + i);
		wb_u8(w, '"');
	}
	sb_puts(w, " ]");
}

/* ExaBGP always brackets the list, even with one cluster id. */
static ATTR_PRINT_FN(clusterlist_text)
{
	if (len == 0 || len % 4) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " cluster-list [ ");
	for (size_t i = 0; i < len; i += 4) {
		if (i)
			wb_u8(w, ' ');
		sb_ipv4(w, val + i);
	}
	sb_puts(w, " ]");
}

void attr_generic_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	sb_printf(w, "\"attribute-0x%02X-0x%02X\": \"0x", code, flags);
	sb_hex(w, val, len, 0);
	wb_u8(w, '"');
}

void attr_generic_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	sb_printf(w, " attribute [ 0x%02X 0x%02X 0x", code, flags);
	sb_hex(w, val, len, 0);
	sb_puts(w, " ]");
}

/* ---- the table ---- */

#define OPT ATTR_FLAG_OPTIONAL
#define TRANS ATTR_FLAG_TRANSITIVE
#define TAW ATTR_TREAT_AS_WITHDRAW

static const struct attr_def table[256] = {
	[ATTR_ORIGIN] = {ATTR_ORIGIN, TRANS, TAW, "origin", origin_validate, origin_json, origin_text},
	[ATTR_AS_PATH] = {ATTR_AS_PATH, TRANS, TAW, "as-path", aspath_validate, aspath_json, aspath_text},
	[ATTR_NEXT_HOP] = {ATTR_NEXT_HOP, TRANS, TAW, "next-hop", len4_validate, NULL, NULL},
	[ATTR_MED] = {ATTR_MED, OPT, TAW, "med", len4_validate, u32_json, u32_text},
	[ATTR_LOCAL_PREF] = {ATTR_LOCAL_PREF, TRANS, TAW, "local-preference", localpref_validate, u32_json,
			     u32_text},
	[ATTR_ATOMIC_AGGREGATE] = {ATTR_ATOMIC_AGGREGATE, TRANS, ATTR_DISCARD, "atomic-aggregate", atomic_validate,
				   atomic_json, atomic_text},
	[ATTR_AGGREGATOR] = {ATTR_AGGREGATOR, OPT | TRANS, ATTR_DISCARD, "aggregator", aggregator_validate,
			     aggregator_json, aggregator_text},
	[ATTR_COMMUNITIES] = {ATTR_COMMUNITIES, OPT | TRANS, TAW, "community", community_validate, community_json,
			      community_text},
	[ATTR_ORIGINATOR_ID] = {ATTR_ORIGINATOR_ID, OPT, TAW, "originator-id", originator_validate, originator_json,
				originator_text},
	[ATTR_CLUSTER_LIST] = {ATTR_CLUSTER_LIST, OPT, TAW, "cluster-list", clusterlist_validate, clusterlist_json,
			       clusterlist_text},
	[ATTR_MP_REACH_NLRI] = {ATTR_MP_REACH_NLRI, OPT, ATTR_RESET, "mp-reach-nlri", mpreach_validate, NULL, NULL},
	[ATTR_MP_UNREACH_NLRI] = {ATTR_MP_UNREACH_NLRI, OPT, ATTR_RESET, "mp-unreach-nlri", mpunreach_validate, NULL,
				  NULL},
	[ATTR_EXT_COMMUNITIES] = {ATTR_EXT_COMMUNITIES, OPT | TRANS, TAW, "extended-community",
				  extcommunity_validate, extcommunity_json, extcommunity_text},
	[ATTR_AS4_PATH] = {ATTR_AS4_PATH, OPT | TRANS, ATTR_DISCARD, "as4-path", as4path_validate, as4path_json,
			   as4path_text},
	[ATTR_AS4_AGGREGATOR] = {ATTR_AS4_AGGREGATOR, OPT | TRANS, ATTR_DISCARD, "as4-aggregator",
				 as4aggregator_validate, aggregator_json, aggregator_text},
	[ATTR_PMSI_TUNNEL] = {ATTR_PMSI_TUNNEL, OPT | TRANS, TAW, "pmsi-tunnel", pmsi_validate, pmsi_json,
			      pmsi_text},
	[ATTR_IPV6_EXT_COMMUNITIES] = {ATTR_IPV6_EXT_COMMUNITIES, OPT | TRANS, TAW, "extended-community-ipv6",
				       ipv6_extcommunity_validate, ipv6_extcommunity_json, ipv6_extcommunity_text},
	[ATTR_AIGP] = {ATTR_AIGP, OPT, ATTR_DISCARD, "aigp", aigp_validate, aigp_json, aigp_text},
	/* RFC 9552 8.2.2: a malformed BGP-LS attribute is discarded */
	[ATTR_BGP_LS] = {ATTR_BGP_LS, OPT, ATTR_DISCARD, "bgp-ls", bgpls_validate, bgpls_attr_json,
			  bgpls_attr_text},
	[ATTR_LARGE_COMMUNITY] = {ATTR_LARGE_COMMUNITY, OPT | TRANS, TAW, "large-community",
				  largecommunity_validate, largecommunity_json, largecommunity_text},
	[ATTR_PREFIX_SID] = {ATTR_PREFIX_SID, OPT | TRANS, TAW, "bgp-prefix-sid", prefixsid_validate,
			     prefixsid_json, prefixsid_text},
};

const struct attr_def *attr_def_get(uint8_t code)
{
	return table[code].name ? &table[code] : NULL;
}

const char *attr_name(uint8_t code, char buf[32])
{
	const struct attr_def *d = attr_def_get(code);
	if (d)
		return d->name;
	if (code == 23) /* ExaBGP names it without decoding it */
		return "tunnel-encaps";
	struct wbuf w;
	wb_init_fixed(&w, buf, 32);
	sb_printf(&w, "unknown-attribute-0x%x", code);
	return sb_cstr(&w);
}

int attr_validate(uint8_t code, uint8_t flags, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
		  struct attr_verdict *v)
{
	const struct attr_def *d = attr_def_get(code);
	memset(v, 0, sizeof(*v));
	if (!d) {
		if (!(flags & ATTR_FLAG_OPTIONAL)) { /* RFC 4271 6.3 */
			v->action = ATTR_RESET;
			v->code = BGP_ERR_UPDATE;
			v->subcode = BGP_ERR_UPD_UNKNOWN_WK;
			v->reason = "unrecognized well-known attribute";
		} else if (!(flags & ATTR_FLAG_TRANSITIVE)) {
			v->action = ATTR_DISCARD; /* RFC 4271 5: quietly ignored */
			v->reason = "unknown optional non-transitive attribute";
		}
		return v->action;
	}
	if ((flags & (OPT | TRANS)) != d->flags) {
		/* RFC 7606 3.c: treat-as-withdraw, whatever the attribute's
		 * handling of a malformed value (discard for ATOMIC_AGGREGATE,
		 * AGGREGATOR...), as no attribute's specification says otherwise
		 * for its flags; MP_REACH/MP_UNREACH: see update_parse.c. */
		attr_malformed(d, v, "attribute flags conflict with the attribute type");
		if (v->action == ATTR_RESET)
			v->subcode = BGP_ERR_UPD_ATTR_FLAGS;
		else
			v->action = ATTR_TREAT_AS_WITHDRAW;
		return v->action;
	}
	return d->validate(d, val, len, ctx, v);
}

/* ---- printing ---- */

void attr_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	const struct attr_def *d = attr_def_get(code);
	if (!d || (!d->json && code != ATTR_NEXT_HOP)) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	if (d->json)
		d->json(w, code, flags, val, len);
}

void attr_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	const struct attr_def *d = attr_def_get(code);
	if (!d || (!d->text && code != ATTR_NEXT_HOP)) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	if (d->text)
		d->text(w, code, flags, val, len);
}

void attrset_json(struct wbuf *w, const struct attrset *s)
{
	struct attr_iter it;
	struct attr_view a;
	int first = 1;
	attr_iter_init(&it, s);
	while (attr_iter_next(&it, &a)) {
		size_t mark = w->len;
		if (!first)
			sb_puts(w, ", ");
		size_t body = w->len;
		attr_json(w, a.code, a.flags, a.val, a.len);
		if (w->err)
			return;
		if (w->len == body) /* nothing printed for this one: drop the separator */
			w->len = mark;
		else
			first = 0;
	}
}

void attrset_text(struct wbuf *w, const struct attrset *s)
{
	struct attr_iter it;
	struct attr_view a;
	attr_iter_init(&it, s);
	while (attr_iter_next(&it, &a))
		attr_text(w, a.code, a.flags, a.val, a.len);
}
