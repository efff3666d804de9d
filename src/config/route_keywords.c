/* The route grammar's words for path attributes and pseudo-attributes, and
 * the keyword table (see route_grammar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attr/attr.h"
#include "config/attr_values.h"
#include "config/route_grammar_int.h"
#include "wire/buf.h"

static int kw_next_hop(KW_ARGS)
{
	(void)r;
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	struct nexthop nh;
	memset(&nh, 0, sizeof(nh));
	if (!strcasecmp(t->s, "self")) {
		nh.kind = NH_SELF;
	} else {
		struct ip_addr ip;
		if (av_ip(t->s, &ip) < 0)
			return rg_fail(g, t, "\"%s\" is not a valid next-hop", t->s);
		nh.kind = NH_IP;
		nh.len = (uint8_t)afi_addr_len(ip.afi);
		memcpy(nh.addr, ip.addr, nh.len);
	}
	if (g->b.nh.kind == NH_NONE)
		g->b.nh = nh;
	return 0;
}

static int kw_origin(KW_ARGS)
{
	(void)r;
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint8_t v;
	if (!strcasecmp(t->s, "igp"))
		v = ORIGIN_IGP;
	else if (!strcasecmp(t->s, "egp"))
		v = ORIGIN_EGP;
	else if (!strcasecmp(t->s, "incomplete"))
		v = ORIGIN_INCOMPLETE;
	else
		return rg_fail(g, t, "unknown origin %s (igp, egp or incomplete)", t->s);
	return rg_set_attr(g, kw, ATTR_ORIGIN, ATTR_FLAG_TRANSITIVE, &v, 1);
}

static int parse_asn_token(struct rg_ctx *g, const struct token *t, uint32_t *asn)
{
	uint64_t v;
	if (!is_value(t) || av_uint(t->s, UINT32_MAX, &v) < 0)
		return rg_fail(g, t, "could not parse as-path: \"%s\" is not an AS number", token_describe(t));
	*asn = (uint32_t)v;
	return 0;
}

static void put_segments(struct wbuf *w, uint8_t type, const uint32_t *asn, size_t n)
{
	while (n) {
		size_t k = n > 255 ? 255 : n;
		wb_u8(w, type);
		wb_u8(w, (uint8_t)k);
		for (size_t i = 0; i < k; i++)
			wb_u32(w, asn[i]);
		asn += k;
		n -= k;
	}
}

/* "[ 1 2 ( 3 4 ) ]" or a single number.  As ExaBGP, the numbers outside
 * parentheses form one AS_SEQUENCE and those inside one AS_SET, which
 * follows it. */
static int kw_as_path(KW_ARGS)
{
	(void)r;
	/* Collected in tmp: the sequence first, then the set (both host order). */
	size_t cap = 64, nseq = 0, nset = 0;
	uint32_t stack_seq[64], stack_set[64];
	uint32_t *seq = stack_seq, *set = stack_set;
	size_t capseq = cap, capset = cap;
	int rc = -1;
	const struct token *t = next(c);
	if (!t) {
		rg_fail(g, kw, "as-path needs a value");
		goto out;
	}
	if (t->type != TOK_LBRACKET) {
		if (parse_asn_token(g, t, &seq[0]) < 0)
			goto out;
		nseq = 1;
	} else {
		int inset = 0;
		for (;;) {
			t = next(c);
			if (!t) {
				rg_fail(g, kw, "missing ']' to close the as-path");
				goto out;
			}
			if (t->type == TOK_COMMA)
				continue;
			if (t->type == TOK_LPAREN || t->type == TOK_LBRACKET) {
				if (inset) {
					rg_fail(g, t, "could not parse as-path: nested AS_SET");
					goto out;
				}
				inset = t->type;
				continue;
			}
			if (t->type == TOK_RPAREN || t->type == TOK_RBRACKET) {
				if (inset) {
					if ((inset == TOK_LPAREN) != (t->type == TOK_RPAREN)) {
						rg_fail(g, t, "could not parse as-path: unbalanced %s", token_describe(t));
						goto out;
					}
					inset = 0;
					continue;
				}
				if (t->type == TOK_RPAREN) {
					rg_fail(g, t, "could not parse as-path: unbalanced ')'");
					goto out;
				}
				break;
			}
			uint32_t asn;
			if (parse_asn_token(g, t, &asn) < 0)
				goto out;
			uint32_t **arr = inset ? &set : &seq;
			size_t *cnt = inset ? &nset : &nseq;
			size_t *acap = inset ? &capset : &capseq;
			uint32_t *stack = inset ? stack_set : stack_seq;
			if (*cnt == *acap) {
				size_t ncap = *acap * 2;
				uint32_t *nv = malloc(ncap * sizeof(*nv));
				if (!nv) {
					rg_fail(g, kw, "out of memory");
					goto out;
				}
				memcpy(nv, *arr, *cnt * sizeof(*nv));
				if (*arr != stack)
					free(*arr);
				*arr = nv;
				*acap = ncap;
			}
			(*arr)[(*cnt)++] = asn;
		}
	}
	wb_reset(&g->tmp);
	put_segments(&g->tmp, AS_SEQUENCE, seq, nseq);
	put_segments(&g->tmp, AS_SET, set, nset);
	if (g->tmp.err) {
		rg_fail(g, kw, "out of memory");
		goto out;
	}
	rc = rg_set_attr(g, kw, ATTR_AS_PATH, ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len);
out:
	if (seq != stack_seq)
		free(seq);
	if (set != stack_set)
		free(set);
	return rc;
}

static int u32_attr(KW_ARGS, uint8_t code, uint8_t flags, const char *what)
{
	(void)r;
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (av_uint(t->s, UINT32_MAX, &v) < 0)
		return rg_fail(g, t, "invalid %s %s", what, t->s);
	uint8_t b[4];
	put_u32(b, (uint32_t)v);
	return rg_set_attr(g, kw, code, flags, b, 4);
}

static int kw_med(KW_ARGS)
{
	return u32_attr(g, r, c, kw, ATTR_MED, ATTR_FLAG_OPTIONAL, "MED");
}

static int kw_local_pref(KW_ARGS)
{
	return u32_attr(g, r, c, kw, ATTR_LOCAL_PREF, ATTR_FLAG_TRANSITIVE, "local preference");
}

static int kw_atomic_aggregate(KW_ARGS)
{
	(void)r;
	(void)c;
	return rg_set_attr(g, kw, ATTR_ATOMIC_AGGREGATE, ATTR_FLAG_TRANSITIVE, NULL, 0);
}

/* "( ASN:IP )" or "ASN:IP". */
static int kw_aggregator(KW_ARGS)
{
	(void)r;
	const struct token *t = next(c);
	int paren = 0;
	if (t && t->type == TOK_LPAREN) {
		paren = 1;
		t = next(c);
	}
	if (!is_value(t))
		return rg_fail(g, t ? t : kw, "invalid aggregator (expecting ( ASN:IP ))");
	const char *colon = strchr(t->s, ':');
	char asn_text[16];
	uint64_t asn;
	uint8_t v[8];
	if (!colon || (size_t)(colon - t->s) >= sizeof(asn_text))
		return rg_fail(g, t, "invalid aggregator %s (expecting ASN:IP)", t->s);
	memcpy(asn_text, t->s, (size_t)(colon - t->s));
	asn_text[colon - t->s] = '\0';
	if (av_uint(asn_text, UINT32_MAX, &asn) < 0 || av_ipv4(colon + 1, v + 4) < 0)
		return rg_fail(g, t, "invalid aggregator %s (expecting ASN:IP)", t->s);
	put_u32(v, (uint32_t)asn);
	if (paren) {
		const struct token *e = next(c);
		if (!e || e->type != TOK_RPAREN)
			return rg_fail(g, e ? e : t, "invalid aggregator: missing ')'");
	}
	return rg_set_attr(g, kw, ATTR_AGGREGATOR, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, v, 8);
}

static int kw_originator_id(KW_ARGS)
{
	(void)r;
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint8_t v[4];
	if (av_ipv4(t->s, v) < 0)
		return rg_fail(g, t, "invalid Originator ID %s", t->s);
	return rg_set_attr(g, kw, ATTR_ORIGINATOR_ID, ATTR_FLAG_OPTIONAL, v, 4);
}

static int cluster_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	(void)ud;
	uint8_t v[4];
	if (av_ipv4(t->s, v) < 0)
		return rg_fail(g, t, "invalid cluster-id %s in the cluster list", t->s);
	wb_bytes(&g->tmp, v, 4);
	return 0;
}

static int kw_cluster_list(KW_ARGS)
{
	(void)r;
	wb_reset(&g->tmp);
	if (rg_list(g, c, kw, cluster_item, NULL) < 0)
		return -1;
	if (!g->tmp.len)
		return rg_fail(g, kw, "no cluster-id in the cluster list");
	return rg_set_attr(g, kw, ATTR_CLUSTER_LIST, ATTR_FLAG_OPTIONAL, g->tmp.data, g->tmp.len);
}

static int community_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	char why[200];
	(void)ud;
	uint32_t v;
	if (av_community(t->s, &v, why, sizeof(why)) < 0)
		return rg_fail(g, t, "%s", why);
	wb_u32(&g->tmp, v);
	return 0;
}

static int kw_community(KW_ARGS)
{
	(void)r;
	wb_reset(&g->tmp);
	if (rg_list(g, c, kw, community_item, NULL) < 0)
		return -1;
	if (!g->tmp.len)
		return 0; /* an empty list sends nothing, as in ExaBGP */
	return rg_set_attr(g, kw, ATTR_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len);
}

static int large_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	char why[200];
	(void)ud;
	uint8_t v[12];
	if (av_large_community(t->s, v, why, sizeof(why)) < 0)
		return rg_fail(g, t, "%s", why);
	for (size_t off = 0; off < g->tmp.len; off += 12)
		if (!memcmp(g->tmp.data + off, v, 12))
			return 0; /* ExaBGP keeps one copy of a repeated large community */
	wb_bytes(&g->tmp, v, 12);
	return 0;
}

static int kw_large_community(KW_ARGS)
{
	(void)r;
	wb_reset(&g->tmp);
	if (rg_list(g, c, kw, large_item, NULL) < 0)
		return -1;
	if (!g->tmp.len)
		return 0;
	return rg_set_attr(g, kw, ATTR_LARGE_COMMUNITY, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data,
			g->tmp.len);
}

static int ext_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	char why[200];
	(void)ud;
	uint8_t v[8];
	if (av_ext_community(t->s, v, why, sizeof(why)) < 0)
		return rg_fail(g, t, "%s", why);
	wb_bytes(&g->tmp, v, 8);
	return 0;
}

static int kw_ext_community(KW_ARGS)
{
	(void)r;
	wb_reset(&g->tmp);
	size_t prev_len = 0;
	const uint8_t *prev = NULL;
	if (g->merge_ext)
		prev = attr_builder_get(&g->b, ATTR_EXT_COMMUNITIES, &prev_len);
	if (prev)
		wb_bytes(&g->tmp, prev, prev_len); /* block form: the values merge */
	if (rg_list(g, c, kw, ext_item, NULL) < 0)
		return -1;
	if (g->tmp.len == prev_len)
		return 0;
	if (prev) {
		if (attr_builder_set(&g->b, ATTR_EXT_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE,
				     g->tmp.data, g->tmp.len) < 0)
			return rg_fail(g, kw, "extended-community: too many values");
		return 0;
	}
	return rg_set_attr(g, kw, ATTR_EXT_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data,
			g->tmp.len);
}

/* RFC 7311: one AIGP TLV (type 1, length 11) carrying the metric. */
static int kw_aigp(KW_ARGS)
{
	(void)r;
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (av_number(t->s, UINT64_MAX, &v) < 0)
		return rg_fail(g, t, "aigp requires number (decimal or hexadecimal 0x prefixed)");
	uint8_t b[11] = {1, 0, 11};
	put_u32(b + 3, (uint32_t)(v >> 32));
	put_u32(b + 7, (uint32_t)v);
	return rg_set_attr(g, kw, ATTR_AIGP, ATTR_FLAG_OPTIONAL, b, sizeof(b));
}

/* "attribute [ 0xCODE 0xFLAGS 0xDATA ]": stored as given, flags included. */
static int kw_generic(KW_ARGS)
{
	(void)r;
	const struct token *t = next(c);
	if (!t || t->type != TOK_LBRACKET)
		return rg_fail(g, t ? t : kw, "invalid attribute, does not start with [");
	const struct token *tc = next(c), *tf = next(c), *td = next(c), *te = next(c);
	uint64_t code, flags;
	if (!is_value(tc) || strncasecmp(tc->s, "0x", 2) || av_number(tc->s, 255, &code) < 0)
		return rg_fail(g, tc ? tc : kw, "invalid attribute, code is not 0x hexadecimal");
	if (!is_value(tf) || strncasecmp(tf->s, "0x", 2) || av_number(tf->s, 255, &flags) < 0)
		return rg_fail(g, tf ? tf : kw, "invalid attribute, flag is not 0x hexadecimal");
	if (!is_value(td))
		return rg_fail(g, td ? td : kw, "invalid attribute, data is not 0x hexadecimal");
	wb_reset(&g->tmp);
	size_t need = td->len / 2 + 1;
	if (wb_room(&g->tmp, need) < 0)
		return rg_fail(g, td, "out of memory");
	long n = av_hex_bytes(td->s, g->tmp.data, 65535);
	if (n < 0)
		return rg_fail(g, td, "invalid attribute, data is not 0x hexadecimal");
	if (!te || te->type != TOK_RBRACKET)
		return rg_fail(g, te ? te : td, "invalid attribute, does not end with ]");
	if (code == ATTR_NEXT_HOP || code == ATTR_MP_REACH_NLRI || code == ATTR_MP_UNREACH_NLRI)
		return rg_fail(g, tc, "attribute 0x%02X can not be given as a generic attribute (use next-hop)",
			    (unsigned)code);
	return rg_set_attr(g, kw, (uint8_t)code, (uint8_t)flags, g->tmp.data, (size_t)n);
}

static int copy_name(struct rg_ctx *g, const struct token *t, char *dst, size_t size)
{
	if (t->len >= size)
		return rg_fail(g, t, "name too long (at most %zu characters)", size - 1);
	memcpy(dst, t->s, t->len + 1);
	return 0;
}

static int kw_name(KW_ARGS)
{
	const struct token *t = rg_value(g, c, kw);
	return t ? copy_name(g, t, r->name, sizeof(r->name)) : -1;
}

static int kw_split(KW_ARGS)
{
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (t->s[0] != '/' || av_uint(t->s + 1, 128, &v) < 0)
		return rg_fail(g, t, "split needs /<number>");
	r->split = (uint8_t)v;
	return 0;
}

static int kw_watchdog(KW_ARGS)
{
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	if (!strcasecmp(t->s, "announce") || !strcasecmp(t->s, "withdraw"))
		return rg_fail(g, t, "invalid watchdog name %s", t->s);
	return copy_name(g, t, r->watchdog, sizeof(r->watchdog));
}

static int kw_withdraw(KW_ARGS)
{
	(void)g;
	(void)c;
	(void)kw;
	r->withdraw = true;
	return 0;
}

/* One entry per word that may follow a prefix, with the word's length
 * (compared first when looking a word up). */
struct kw_entry {
	struct rg_keyword k;
	uint8_t len;
};
#define KW(name, fn) {{name, fn}, sizeof(name) - 1}
static const struct kw_entry keywords[] = {
	KW("next-hop", kw_next_hop),
	KW("origin", kw_origin),
	KW("as-path", kw_as_path),
	KW("med", kw_med),
	KW("local-preference", kw_local_pref),
	KW("atomic-aggregate", kw_atomic_aggregate),
	KW("aggregator", kw_aggregator),
	KW("originator-id", kw_originator_id),
	KW("cluster-list", kw_cluster_list),
	KW("community", kw_community),
	KW("large-community", kw_large_community),
	KW("extended-community", kw_ext_community),
	KW("aigp", kw_aigp),
	KW("attribute", kw_generic),
	KW("path-information", rg_kw_path_information),
	KW("label", rg_kw_label),
	KW("rd", rg_kw_rd),
	KW("route-distinguisher", rg_kw_rd),
	KW("bgp-prefix-sid", rg_kw_prefix_sid),
	KW("bgp-prefix-sid-srv6", rg_kw_prefix_sid_srv6),
	KW("name", kw_name),
	KW("split", kw_split),
	KW("watchdog", kw_watchdog),
	KW("withdraw", kw_withdraw),
};

#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

const char *const rg_keyword_names[] = {
	"next-hop", "origin", "as-path", "med", "local-preference", "atomic-aggregate", "aggregator",
	"originator-id", "cluster-list", "community", "large-community", "extended-community", "aigp",
	"attribute", "path-information", "label", "rd", "route-distinguisher", "bgp-prefix-sid",
	"bgp-prefix-sid-srv6", "name", "split", "watchdog", "withdraw", "endpoint", "base", "offset", "size", NULL,
};

const struct rg_keyword *rg_find_keyword(const struct token *t)
{
	if (t->type != TOK_WORD)
		return NULL;
	/* Length first: most candidates are rejected without reading the word
	 * (next-hop comes first and is by far the most common). */
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (keywords[i].len == t->len && !memcmp(keywords[i].k.name, t->s, t->len))
			return &keywords[i].k;
	return NULL;
}

int rg_keyword(struct rg_ctx *g, struct rg_route *r, struct cursor *c, const struct token *kw)
{
	const struct rg_keyword *k = NULL;
	if (r->kind == RG_KIND_VPLS) {
		k = rg_find_vpls_keyword(kw);
		if (!k && kw->type == TOK_WORD &&
		    (!strcmp(kw->s, "label") || !strcmp(kw->s, "path-information") || !strcmp(kw->s, "split") ||
		     !strncmp(kw->s, "bgp-prefix-sid", 14)))
			return rg_fail(g, kw, "%s is not valid for a vpls route", kw->s);
	}
	if (!k)
		k = rg_find_keyword(kw);
	if (!k) {
		if (kw->type == TOK_WORD || kw->type == TOK_STRING)
			return rg_fail(g, kw, "unknown route attribute \"%s\"", kw->s);
		return rg_fail(g, kw, "unexpected %s", token_describe(kw));
	}
	return k->parse(g, r, c, kw);
}

int rg_parse_keywords(struct rg_ctx *g, struct rg_route *r, struct cursor *c, bool stop_at_nlri)
{
	const struct token *kw;
	while ((kw = next(c))) {
		if (stop_at_nlri && kw->type == TOK_WORD && kw->len == 4 && !memcmp(kw->s, "nlri", 4))
			return 1;
		if (rg_keyword(g, r, c, kw) < 0)
			return -1;
	}
	return 0;
}
