/* The route grammar shared by the configuration and the API (see route_grammar.h). */
#include "config/route_grammar.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attr/attr.h"
#include "config/attr_values.h"
#include "wire/buf.h"

/* Most routes a single statement may expand into with "split". */
#define RG_MAX_SPLIT (1u << 24)

struct cursor {
	const struct token *t;
	int n, i;
};

static const struct token *next(struct cursor *c)
{
	return c->i < c->n ? &c->t[c->i++] : NULL;
}

static const struct token *peek(const struct cursor *c)
{
	return c->i < c->n ? &c->t[c->i] : NULL;
}

static int is_value(const struct token *t)
{
	return t && (t->type == TOK_WORD || t->type == TOK_STRING);
}

__attribute__((format(printf, 3, 4))) static int fail(struct rg_ctx *g, const struct token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err.msg, sizeof(g->err.msg), fmt, ap);
	va_end(ap);
	g->err.line = t ? t->line : 0;
	g->err.col = t ? t->col : 0;
	return -1;
}

__attribute__((format(printf, 3, 4))) static int fail_at(struct rg_ctx *g, struct rg_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err.msg, sizeof(g->err.msg), fmt, ap);
	va_end(ap);
	g->err.line = p.line;
	g->err.col = p.col;
	return -1;
}

/* The value of kw: one word (or string).  Errors point at what is there
 * instead, or at the keyword when the statement ended. */
static const struct token *value(struct rg_ctx *g, struct cursor *c, const struct token *kw)
{
	const struct token *t = next(c);
	if (!t) {
		fail(g, kw, "%s needs a value", kw->s);
		return NULL;
	}
	if (!is_value(t)) {
		fail(g, t, "unexpected %s: %s needs a value", token_describe(t), kw->s);
		return NULL;
	}
	return t;
}

typedef int (*item_fn)(struct rg_ctx *g, const struct token *t, void *ud);

/* "[ a b c ]" or a single "a"; commas between items are ignored. */
static int list(struct rg_ctx *g, struct cursor *c, const struct token *kw, item_fn fn, void *ud)
{
	const struct token *t = next(c);
	if (!t)
		return fail(g, kw, "%s needs a value", kw->s);
	if (t->type != TOK_LBRACKET) {
		if (!is_value(t))
			return fail(g, t, "unexpected %s: %s needs a value", token_describe(t), kw->s);
		return fn(g, t, ud);
	}
	for (;;) {
		t = next(c);
		if (!t)
			return fail(g, kw, "missing ']' to close the %s list", kw->s);
		if (t->type == TOK_RBRACKET)
			return 0;
		if (t->type == TOK_COMMA)
			continue;
		if (!is_value(t))
			return fail(g, t, "unexpected %s in the %s list", token_describe(t), kw->s);
		if (fn(g, t, ud) < 0)
			return -1;
	}
}

static int set_attr(struct rg_ctx *g, const struct token *kw, uint8_t code, uint8_t flags, const void *v, size_t len)
{
	if (attr_builder_has(&g->b, code))
		return 0; /* as ExaBGP: the first value given is kept */
	if (attr_builder_set(&g->b, code, flags, v, len) < 0)
		return fail(g, kw, "%s: value too long or too many attributes", kw->s);
	return 0;
}

/* ------------------------------------------------------------ keywords */

#define KW_ARGS struct rg_ctx *g, struct rg_route *r, struct cursor *c, const struct token *kw

static int kw_next_hop(KW_ARGS)
{
	(void)r;
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	struct nexthop nh;
	memset(&nh, 0, sizeof(nh));
	if (!strcasecmp(t->s, "self")) {
		nh.kind = NH_SELF;
	} else {
		struct ip_addr ip;
		if (av_ip(t->s, &ip) < 0)
			return fail(g, t, "\"%s\" is not a valid next-hop", t->s);
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
	const struct token *t = value(g, c, kw);
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
		return fail(g, t, "unknown origin %s (igp, egp or incomplete)", t->s);
	return set_attr(g, kw, ATTR_ORIGIN, ATTR_FLAG_TRANSITIVE, &v, 1);
}

static int parse_asn_token(struct rg_ctx *g, const struct token *t, uint32_t *asn)
{
	uint64_t v;
	if (!is_value(t) || av_uint(t->s, UINT32_MAX, &v) < 0)
		return fail(g, t, "could not parse as-path: \"%s\" is not an AS number", token_describe(t));
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
		fail(g, kw, "as-path needs a value");
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
				fail(g, kw, "missing ']' to close the as-path");
				goto out;
			}
			if (t->type == TOK_COMMA)
				continue;
			if (t->type == TOK_LPAREN || t->type == TOK_LBRACKET) {
				if (inset) {
					fail(g, t, "could not parse as-path: nested AS_SET");
					goto out;
				}
				inset = t->type;
				continue;
			}
			if (t->type == TOK_RPAREN || t->type == TOK_RBRACKET) {
				if (inset) {
					if ((inset == TOK_LPAREN) != (t->type == TOK_RPAREN)) {
						fail(g, t, "could not parse as-path: unbalanced %s", token_describe(t));
						goto out;
					}
					inset = 0;
					continue;
				}
				if (t->type == TOK_RPAREN) {
					fail(g, t, "could not parse as-path: unbalanced ')'");
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
					fail(g, kw, "out of memory");
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
		fail(g, kw, "out of memory");
		goto out;
	}
	rc = set_attr(g, kw, ATTR_AS_PATH, ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len);
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
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (av_uint(t->s, UINT32_MAX, &v) < 0)
		return fail(g, t, "invalid %s %s", what, t->s);
	uint8_t b[4];
	put_u32(b, (uint32_t)v);
	return set_attr(g, kw, code, flags, b, 4);
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
	return set_attr(g, kw, ATTR_ATOMIC_AGGREGATE, ATTR_FLAG_TRANSITIVE, NULL, 0);
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
		return fail(g, t ? t : kw, "invalid aggregator (expecting ( ASN:IP ))");
	const char *colon = strchr(t->s, ':');
	char asn_text[16];
	uint64_t asn;
	uint8_t v[8];
	if (!colon || (size_t)(colon - t->s) >= sizeof(asn_text))
		return fail(g, t, "invalid aggregator %s (expecting ASN:IP)", t->s);
	memcpy(asn_text, t->s, (size_t)(colon - t->s));
	asn_text[colon - t->s] = '\0';
	if (av_uint(asn_text, UINT32_MAX, &asn) < 0 || av_ipv4(colon + 1, v + 4) < 0)
		return fail(g, t, "invalid aggregator %s (expecting ASN:IP)", t->s);
	put_u32(v, (uint32_t)asn);
	if (paren) {
		const struct token *e = next(c);
		if (!e || e->type != TOK_RPAREN)
			return fail(g, e ? e : t, "invalid aggregator: missing ')'");
	}
	return set_attr(g, kw, ATTR_AGGREGATOR, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, v, 8);
}

static int kw_originator_id(KW_ARGS)
{
	(void)r;
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	uint8_t v[4];
	if (av_ipv4(t->s, v) < 0)
		return fail(g, t, "invalid Originator ID %s", t->s);
	return set_attr(g, kw, ATTR_ORIGINATOR_ID, ATTR_FLAG_OPTIONAL, v, 4);
}

static int cluster_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	(void)ud;
	uint8_t v[4];
	if (av_ipv4(t->s, v) < 0)
		return fail(g, t, "invalid cluster-id %s in the cluster list", t->s);
	wb_bytes(&g->tmp, v, 4);
	return 0;
}

static int kw_cluster_list(KW_ARGS)
{
	(void)r;
	wb_reset(&g->tmp);
	if (list(g, c, kw, cluster_item, NULL) < 0)
		return -1;
	if (!g->tmp.len)
		return fail(g, kw, "no cluster-id in the cluster list");
	return set_attr(g, kw, ATTR_CLUSTER_LIST, ATTR_FLAG_OPTIONAL, g->tmp.data, g->tmp.len);
}

static int community_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	char why[200];
	(void)ud;
	uint32_t v;
	if (av_community(t->s, &v, why, sizeof(why)) < 0)
		return fail(g, t, "%s", why);
	wb_u32(&g->tmp, v);
	return 0;
}

static int kw_community(KW_ARGS)
{
	(void)r;
	wb_reset(&g->tmp);
	if (list(g, c, kw, community_item, NULL) < 0)
		return -1;
	if (!g->tmp.len)
		return 0; /* an empty list sends nothing, as in ExaBGP */
	return set_attr(g, kw, ATTR_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len);
}

static int large_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	char why[200];
	(void)ud;
	uint8_t v[12];
	if (av_large_community(t->s, v, why, sizeof(why)) < 0)
		return fail(g, t, "%s", why);
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
	if (list(g, c, kw, large_item, NULL) < 0)
		return -1;
	if (!g->tmp.len)
		return 0;
	return set_attr(g, kw, ATTR_LARGE_COMMUNITY, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data,
			g->tmp.len);
}

static int ext_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	char why[200];
	(void)ud;
	uint8_t v[8];
	if (av_ext_community(t->s, v, why, sizeof(why)) < 0)
		return fail(g, t, "%s", why);
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
	if (list(g, c, kw, ext_item, NULL) < 0)
		return -1;
	if (g->tmp.len == prev_len)
		return 0;
	if (prev) {
		if (attr_builder_set(&g->b, ATTR_EXT_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE,
				     g->tmp.data, g->tmp.len) < 0)
			return fail(g, kw, "extended-community: too many values");
		return 0;
	}
	return set_attr(g, kw, ATTR_EXT_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data,
			g->tmp.len);
}

/* RFC 7311: one AIGP TLV (type 1, length 11) carrying the metric. */
static int kw_aigp(KW_ARGS)
{
	(void)r;
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (av_number(t->s, UINT64_MAX, &v) < 0)
		return fail(g, t, "aigp requires number (decimal or hexadecimal 0x prefixed)");
	uint8_t b[11] = {1, 0, 11};
	put_u32(b + 3, (uint32_t)(v >> 32));
	put_u32(b + 7, (uint32_t)v);
	return set_attr(g, kw, ATTR_AIGP, ATTR_FLAG_OPTIONAL, b, sizeof(b));
}

/* "attribute [ 0xCODE 0xFLAGS 0xDATA ]": stored as given, flags included. */
static int kw_generic(KW_ARGS)
{
	(void)r;
	const struct token *t = next(c);
	if (!t || t->type != TOK_LBRACKET)
		return fail(g, t ? t : kw, "invalid attribute, does not start with [");
	const struct token *tc = next(c), *tf = next(c), *td = next(c), *te = next(c);
	uint64_t code, flags;
	if (!is_value(tc) || strncasecmp(tc->s, "0x", 2) || av_number(tc->s, 255, &code) < 0)
		return fail(g, tc ? tc : kw, "invalid attribute, code is not 0x hexadecimal");
	if (!is_value(tf) || strncasecmp(tf->s, "0x", 2) || av_number(tf->s, 255, &flags) < 0)
		return fail(g, tf ? tf : kw, "invalid attribute, flag is not 0x hexadecimal");
	if (!is_value(td))
		return fail(g, td ? td : kw, "invalid attribute, data is not 0x hexadecimal");
	wb_reset(&g->tmp);
	size_t need = td->len / 2 + 1;
	if (wb_room(&g->tmp, need) < 0)
		return fail(g, td, "out of memory");
	long n = av_hex_bytes(td->s, g->tmp.data, 65535);
	if (n < 0)
		return fail(g, td, "invalid attribute, data is not 0x hexadecimal");
	if (!te || te->type != TOK_RBRACKET)
		return fail(g, te ? te : td, "invalid attribute, does not end with ]");
	if (code == ATTR_NEXT_HOP || code == ATTR_MP_REACH_NLRI || code == ATTR_MP_UNREACH_NLRI)
		return fail(g, tc, "attribute 0x%02X can not be given as a generic attribute (use next-hop)",
			    (unsigned)code);
	return set_attr(g, kw, (uint8_t)code, (uint8_t)flags, g->tmp.data, (size_t)n);
}

static int kw_path_information(KW_ARGS)
{
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	uint8_t ip[4];
	if (av_uint(t->s, UINT32_MAX, &v) == 0) {
		r->path_id = (uint32_t)v;
	} else if (av_ipv4(t->s, ip) == 0) {
		r->path_id = get_u32(ip);
	} else {
		return fail(g, t, "invalid path-information %s (a number or an IPv4 address)", t->s);
	}
	r->has_path_id = true;
	return 0;
}

static int label_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	struct rg_route *r = ud;
	uint64_t v;
	if (av_uint(t->s, 0xFFFFF, &v) < 0)
		return fail(g, t, "invalid label %s (0..1048575)", t->s);
	if (r->nlabels == RG_MAX_LABELS)
		return fail(g, t, "too many labels (at most %d)", RG_MAX_LABELS);
	r->labels[r->nlabels++] = (uint32_t)v;
	return 0;
}

static int kw_label(KW_ARGS)
{
	if (r->fixed_safi)
		return fail(g, kw, "label is not valid in this section");
	r->nlabels = 0;
	if (list(g, c, kw, label_item, r) < 0)
		return -1;
	if (!r->nlabels)
		return fail(g, kw, "label needs a value");
	r->label_at = (struct rg_pos){kw->line, kw->col};
	return 0;
}

static int kw_rd(KW_ARGS)
{
	char why[200];
	if (r->fixed_safi)
		return fail(g, kw, "%s is not valid in this section", kw->s);
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	if (av_route_distinguisher(t->s, r->rd, why, sizeof(why)) < 0)
		return fail(g, t, "%s", why);
	r->has_rd = true;
	r->rd_at = (struct rg_pos){kw->line, kw->col};
	return 0;
}

/* bgp-prefix-sid [ INDEX ] or [ INDEX, [ ( BASE,RANGE ) ... ] ] (RFC 8669):
 * a Label-Index TLV, then an Originator SRGB TLV when ranges are given. */
static int kw_prefix_sid(KW_ARGS)
{
	(void)r;
	const struct token *t = next(c);
	uint64_t index, base, range;
	if (!t || t->type != TOK_LBRACKET)
		return fail(g, t ? t : kw, "could not parse BGP PrefixSid attribute: expecting [");
	t = next(c);
	if (!is_value(t) || av_uint(t->s, UINT32_MAX, &index) < 0)
		return fail(g, t ? t : kw, "could not parse BGP PrefixSid attribute: invalid label index");
	uint8_t srgb[6 * 32];
	size_t nsrgb = 0;
	int depth = 1;
	while (depth) {
		t = next(c);
		if (!t)
			return fail(g, kw, "could not parse BGP PrefixSid attribute: missing ']'");
		if (t->type == TOK_COMMA)
			continue;
		if (t->type == TOK_RBRACKET) {
			depth--;
			continue;
		}
		if (t->type == TOK_LBRACKET && depth == 1) {
			depth++;
			continue;
		}
		if (t->type == TOK_LPAREN && depth == 2) {
			const struct token *tb = next(c), *tcomma = next(c), *tr = next(c), *te = next(c);
			if (!is_value(tb) || av_uint(tb->s, 0xFFFFFF, &base) < 0 || !tcomma ||
			    tcomma->type != TOK_COMMA || !is_value(tr) || av_uint(tr->s, 0xFFFFFF, &range) < 0 || !te ||
			    te->type != TOK_RPAREN)
				return fail(g, t, "could not parse SRGB tuple (expecting ( BASE,RANGE ))");
			if (nsrgb == 32)
				return fail(g, t, "too many SRGB ranges");
			uint8_t *p = srgb + 6 * nsrgb++;
			p[0] = (uint8_t)(base >> 16);
			p[1] = (uint8_t)(base >> 8);
			p[2] = (uint8_t)base;
			p[3] = (uint8_t)(range >> 16);
			p[4] = (uint8_t)(range >> 8);
			p[5] = (uint8_t)range;
			continue;
		}
		return fail(g, t, "could not parse BGP PrefixSid attribute: unexpected %s", token_describe(t));
	}
	wb_reset(&g->tmp);
	wb_u8(&g->tmp, 1); /* Label-Index TLV */
	wb_u16(&g->tmp, 7);
	wb_u8(&g->tmp, 0);
	wb_u16(&g->tmp, 0);
	wb_u32(&g->tmp, (uint32_t)index);
	if (nsrgb) {
		wb_u8(&g->tmp, 3); /* Originator SRGB TLV */
		wb_u16(&g->tmp, (uint16_t)(2 + 6 * nsrgb));
		wb_u16(&g->tmp, 0);
		wb_bytes(&g->tmp, srgb, 6 * nsrgb);
	}
	return set_attr(g, kw, ATTR_PREFIX_SID, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len);
}

static int kw_not_yet(KW_ARGS)
{
	(void)r;
	(void)c;
	return fail(g, kw, "%s is not supported yet", kw->s);
}

static int copy_name(struct rg_ctx *g, const struct token *t, char *dst, size_t size)
{
	if (t->len >= size)
		return fail(g, t, "name too long (at most %zu characters)", size - 1);
	memcpy(dst, t->s, t->len + 1);
	return 0;
}

static int kw_name(KW_ARGS)
{
	const struct token *t = value(g, c, kw);
	return t ? copy_name(g, t, r->name, sizeof(r->name)) : -1;
}

static int kw_split(KW_ARGS)
{
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (t->s[0] != '/' || av_uint(t->s + 1, 128, &v) < 0)
		return fail(g, t, "split needs /<number>");
	r->split = (uint8_t)v;
	return 0;
}

static int kw_watchdog(KW_ARGS)
{
	const struct token *t = value(g, c, kw);
	if (!t)
		return -1;
	if (!strcasecmp(t->s, "announce") || !strcasecmp(t->s, "withdraw"))
		return fail(g, t, "invalid watchdog name %s", t->s);
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

struct rg_keyword {
	const char *name;
	int (*parse)(KW_ARGS);
};

/* One entry per word that may follow a prefix. */
static const struct rg_keyword keywords[] = {
	{"next-hop", kw_next_hop},
	{"origin", kw_origin},
	{"as-path", kw_as_path},
	{"med", kw_med},
	{"local-preference", kw_local_pref},
	{"atomic-aggregate", kw_atomic_aggregate},
	{"aggregator", kw_aggregator},
	{"originator-id", kw_originator_id},
	{"cluster-list", kw_cluster_list},
	{"community", kw_community},
	{"large-community", kw_large_community},
	{"extended-community", kw_ext_community},
	{"aigp", kw_aigp},
	{"attribute", kw_generic},
	{"path-information", kw_path_information},
	{"label", kw_label},
	{"rd", kw_rd},
	{"route-distinguisher", kw_rd},
	{"bgp-prefix-sid", kw_prefix_sid},
	{"bgp-prefix-sid-srv6", kw_not_yet},
	{"name", kw_name},
	{"split", kw_split},
	{"watchdog", kw_watchdog},
	{"withdraw", kw_withdraw},
};

#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

const char *const rg_keyword_names[] = {
	"next-hop", "origin", "as-path", "med", "local-preference", "atomic-aggregate", "aggregator",
	"originator-id", "cluster-list", "community", "large-community", "extended-community", "aigp",
	"attribute", "path-information", "label", "rd", "route-distinguisher", "bgp-prefix-sid",
	"bgp-prefix-sid-srv6", "name", "split", "watchdog", "withdraw", NULL,
};

static const struct rg_keyword *find_keyword(const struct token *t)
{
	if (t->type != TOK_WORD)
		return NULL;
	/* next-hop comes first and is by far the most common */
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (!strcmp(keywords[i].name, t->s))
			return &keywords[i];
	return NULL;
}

/* Parses keywords until the cursor is exhausted, or (stop_at_nlri) until the
 * word "nlri", which is consumed. */
static int parse_keywords(struct rg_ctx *g, struct rg_route *r, struct cursor *c, bool stop_at_nlri)
{
	const struct token *kw;
	while ((kw = next(c))) {
		if (stop_at_nlri && kw->type == TOK_WORD && !strcmp(kw->s, "nlri"))
			return 1;
		const struct rg_keyword *k = find_keyword(kw);
		if (!k) {
			if (kw->type == TOK_WORD || kw->type == TOK_STRING)
				return fail(g, kw, "unknown route attribute \"%s\"", kw->s);
			return fail(g, kw, "unexpected %s", token_describe(kw));
		}
		if (k->parse(g, r, c, kw) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ NLRI kinds */

struct rg_nlri_kind {
	uint8_t safi;
	/* Writes the NLRI of addr/plen for route r into out (at most 64 bytes). */
	int (*build)(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
		     size_t *len);
};

static int build_prefix(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
			size_t *len)
{
	(void)g;
	(void)r;
	*len = prefix_nlri_encode(out, addr, plen);
	return 0;
}

static int build_labeled(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
			 size_t *len)
{
	(void)addr;
	(void)plen;
	(void)out;
	(void)len;
	return fail_at(g, r->label_at, "labeled routes (label, SAFI nlri-mpls) are not supported yet");
}

static int build_vpn(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
		     size_t *len)
{
	(void)addr;
	(void)plen;
	(void)out;
	(void)len;
	return fail_at(g, r->rd_at, "VPN routes (rd, SAFI mpls-vpn) are not supported yet");
}

static const struct rg_nlri_kind nlri_kinds[] = {
	{SAFI_UNICAST, build_prefix},
	{SAFI_MULTICAST, build_prefix},
	{SAFI_MPLS_LABEL, build_labeled},
	{SAFI_MPLS_VPN, build_vpn},
};

static const struct rg_nlri_kind *find_kind(uint8_t safi)
{
	for (size_t i = 0; i < sizeof(nlri_kinds) / sizeof(nlri_kinds[0]); i++)
		if (nlri_kinds[i].safi == safi)
			return &nlri_kinds[i];
	return NULL;
}

/* ------------------------------------------------------------ building */

void rg_init(struct rg_ctx *g, struct attr_pool *pool, struct arena *arena)
{
	memset(g, 0, sizeof(*g));
	g->pool = pool;
	g->arena = arena;
	attr_builder_init(&g->b);
	attr_builder_init(&g->last_b);
	wb_init(&g->tmp, 256);
}

void rg_free(struct rg_ctx *g)
{
	if (g->last_set)
		attrset_unref(g->pool, g->last_set);
	g->last_set = NULL;
	attr_builder_free(&g->b);
	attr_builder_free(&g->last_b);
	wb_free(&g->tmp);
	free(g->buf);
	g->buf = NULL;
	g->bufcap = 0;
	tokvec_free(&g->toks);
}

void rg_route_release(struct rg_ctx *g, struct route *r)
{
	attrset_unref(g->pool, r->attrs);
	r->attrs = NULL;
	if (!g->arena)
		free(r);
}

static bool builder_equal(const struct attr_builder *a, const struct attr_builder *b)
{
	if (a->count != b->count || memcmp(&a->nh, &b->nh, sizeof(a->nh)))
		return false;
	for (int i = 0; i < a->count; i++) {
		if (a->a[i].code != b->a[i].code || a->a[i].flags != b->a[i].flags || a->a[i].len != b->a[i].len ||
		    memcmp(a->vals.data + a->a[i].off, b->vals.data + b->a[i].off, a->a[i].len))
			return false;
	}
	return true;
}

/* The interned set for g->b, with one reference for the caller. */
static struct attrset *intern(struct rg_ctx *g)
{
	if (g->last_set && builder_equal(&g->b, &g->last_b))
		return attrset_ref(g->last_set);
	struct attrset *s = attr_pool_intern(g->pool, &g->b);
	if (!s)
		return NULL;
	if (g->last_set)
		attrset_unref(g->pool, g->last_set);
	g->last_set = attrset_ref(s);
	attr_builder_copy(&g->last_b, &g->b);
	return s;
}

static void route_begin(struct rg_ctx *g, struct rg_route *r)
{
	memset(r, 0, offsetof(struct rg_route, name));
	r->name[0] = '\0';
	r->watchdog[0] = '\0';
	attr_builder_reset(&g->b);
}

static int parse_prefix(struct rg_ctx *g, struct rg_route *r, const struct token *t)
{
	char why[200];
	if (!is_value(t))
		return fail(g, t, "expected a prefix, found %s", token_describe(t));
	if (av_prefix(t->s, true, &r->addr, &r->plen, why, sizeof(why)) < 0)
		return fail(g, t, "%s", why);
	r->where = (struct rg_pos){t->line, t->col};
	return 0;
}

static void release_from(struct rg_ctx *g, struct route_list *out, size_t n0)
{
	while (out->n > n0)
		rg_route_release(g, out->v[--out->n]);
}

/* Adds inc << shift to a 16-byte big-endian address. */
static void addr_add(uint8_t *addr, int bytes, uint64_t inc, int shift)
{
	/* shift is the number of host bits after the split length */
	int byte = bytes - 1 - shift / 8;
	unsigned carry_bits = (unsigned)(shift % 8);
	uint64_t v = inc << carry_bits;
	for (int i = byte; i >= 0 && v; i--) {
		uint64_t s = (uint64_t)addr[i] + (v & 0xFF);
		addr[i] = (uint8_t)s;
		v = (v >> 8) + (s >> 8);
	}
}

/* Turns the parsed route into one or more struct route (split), appended to out. */
static int route_finish(struct rg_ctx *g, struct rg_route *r, struct route_list *out)
{
	uint16_t afi = r->addr.afi;
	int maxlen = afi == AFI_IPV4 ? 32 : 128;
	uint8_t safi;
	if (r->has_rd)
		safi = SAFI_MPLS_VPN;
	else if (r->nlabels)
		safi = SAFI_MPLS_LABEL;
	else if (r->safi)
		safi = r->safi;
	else if (afi == AFI_IPV4 && r->addr.addr[0] >= 224 && r->addr.addr[0] < 240)
		safi = SAFI_MULTICAST; /* as ExaBGP: a class D prefix is a multicast route */
	else
		safi = SAFI_UNICAST;
	int fam = family_find(afi, safi);
	const struct rg_nlri_kind *kind = find_kind(safi);
	if (fam < 0 || !kind)
		return fail_at(g, r->where, "routes of family %s %u are not supported",
			       afi == AFI_IPV4 ? "ipv4" : "ipv6", safi);
	if (!g->withdraw_cmd && (safi == SAFI_UNICAST || safi == SAFI_MULTICAST) && g->b.nh.kind == NH_NONE)
		return fail_at(g, r->where, "invalid route (missing next-hop, label or rd ?)");
	if (g->b.nh.kind == NH_SELF)
		g->b.nh.len = (uint8_t)afi_addr_len(afi);
	if (r->split > maxlen)
		return fail_at(g, r->where, "split /%u is longer than the address (/%d)", r->split, maxlen);

	uint64_t count = 1;
	uint8_t plen = r->plen;
	if (r->split && r->split > r->plen) {
		if (r->split - r->plen > 24)
			return fail_at(g, r->where, "split /%u of a /%u would make more than %u routes", r->split,
				       r->plen, RG_MAX_SPLIT);
		count = 1ull << (r->split - r->plen);
		plen = r->split;
	}

	uint8_t nlri[64];
	size_t nlri_len;
	uint8_t addr[16];
	memcpy(addr, r->addr.addr, 16);
	/* Check the NLRI kind can build this route before anything is allocated. */
	if (kind->build(g, r, addr, plen, nlri, &nlri_len) < 0)
		return -1;

	struct attrset *set = intern(g);
	if (!set)
		return fail_at(g, r->where, "out of memory");
	size_t lname = r->name[0] ? strlen(r->name) + 1 : 0;
	size_t lwd = r->watchdog[0] ? strlen(r->watchdog) + 1 : 0;
	size_t n0 = out->n;
	for (uint64_t i = 0; i < count; i++) {
		if (i) {
			addr_add(addr, maxlen / 8, 1, maxlen - plen);
			kind->build(g, r, addr, plen, nlri, &nlri_len);
		}
		size_t size = sizeof(struct route) + nlri_len + lname + lwd;
		struct route *rt = g->arena ? arena_alloc(g->arena, size) : malloc(size);
		if (!rt || route_list_push(out, rt) < 0) {
			if (rt && !g->arena)
				free(rt);
			attrset_unref(g->pool, set);
			release_from(g, out, n0);
			return fail_at(g, r->where, "out of memory");
		}
		rt->attrs = i ? attrset_ref(set) : set;
		rt->family = (uint8_t)fam;
		rt->flags = (uint8_t)((r->withdraw ? ROUTE_WITHDRAWN : 0) | (r->has_path_id ? ROUTE_PATH_ID : 0));
		rt->path_id = r->path_id;
		rt->nlri_len = (uint16_t)nlri_len;
		memcpy(rt->nlri, nlri, nlri_len);
		char *extra = (char *)rt->nlri + nlri_len;
		rt->name = NULL;
		rt->watchdog = NULL;
		if (lname) {
			memcpy(extra, r->name, lname);
			rt->name = extra;
			extra += lname;
		}
		if (lwd) {
			memcpy(extra, r->watchdog, lwd);
			rt->watchdog = extra;
		}
	}
	if (g->fam_first && !g->fam_first[fam].line)
		g->fam_first[fam] = r->where;
	return 0;
}

/* ------------------------------------------------------------ entry points */

int rg_parse_route(struct rg_ctx *g, const struct token *t, int n, struct route_list *out)
{
	struct rg_route r;
	struct cursor c = {t, n, 0};
	route_begin(g, &r);
	g->merge_ext = false;
	if (n < 1)
		return fail(g, NULL, "route needs a prefix");
	if (parse_prefix(g, &r, next(&c)) < 0 || parse_keywords(g, &r, &c, false) < 0)
		return -1;
	return route_finish(g, &r, out);
}

int rg_parse_attributes(struct rg_ctx *g, const struct token *t, int n, struct route_list *out)
{
	struct rg_route r;
	struct cursor c = {t, n, 0};
	route_begin(g, &r);
	g->merge_ext = false;
	int rc = parse_keywords(g, &r, &c, true);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return fail(g, n ? &t[n - 1] : NULL, "attributes needs \"nlri\" followed by prefixes");
	if (!peek(&c))
		return fail(g, &t[c.i - 1], "nlri needs at least one prefix");
	/* As ExaBGP, "next-hop self" takes the AFI of the last prefix. */
	size_t n0 = out->n;
	const struct token *p;
	struct attr_builder *b = &g->b;
	struct nexthop nh = b->nh;
	while ((p = next(&c))) {
		struct rg_route one = r;
		b->nh = nh;
		if (parse_prefix(g, &one, p) < 0 || route_finish(g, &one, out) < 0) {
			release_from(g, out, n0);
			return -1;
		}
	}
	return 0;
}

int rg_parse_announce(struct rg_ctx *g, uint16_t afi, const struct token *safi_word, const struct token *t, int n,
		      struct route_list *out)
{
	struct rg_route r;
	struct cursor c = {t, n, 0};
	route_begin(g, &r);
	g->merge_ext = false;
	const char *afi_name = afi == AFI_IPV4 ? "ipv4" : "ipv6";
	int fam = family_by_name(afi_name, safi_word->s);
	if (fam < 0)
		return fail(g, safi_word, "unknown family %s %s", afi_name, safi_word->s);
	uint8_t safi = family_table[fam].safi;
	if (safi == SAFI_FLOW || safi == SAFI_FLOW_VPN)
		return fail(g, safi_word, "announce %s %s is not supported yet", afi_name, safi_word->s);
	if (!find_kind(safi))
		return fail(g, safi_word, "announce %s %s is not supported", afi_name, safi_word->s);
	if (safi == SAFI_UNICAST || safi == SAFI_MULTICAST) {
		r.safi = safi;
		r.fixed_safi = true;
	}
	if (n < 1)
		return fail(g, safi_word, "%s needs a prefix", safi_word->s);
	if (parse_prefix(g, &r, next(&c)) < 0)
		return -1;
	if (r.addr.afi != afi)
		return fail(g, &t[0], "%s is not an %s prefix", t[0].s, afi_name);
	if (parse_keywords(g, &r, &c, false) < 0)
		return -1;
	if (safi == SAFI_MPLS_LABEL && !r.nlabels)
		return fail(g, safi_word, "invalid announcement (missing label ?)");
	if (safi == SAFI_MPLS_VPN && !r.has_rd)
		return fail(g, safi_word, "invalid announcement (missing rd ?)");
	return route_finish(g, &r, out);
}

int rg_block_begin(struct rg_ctx *g, struct rg_route *r, const struct token *t, int n)
{
	route_begin(g, r);
	g->merge_ext = true;
	if (n < 1)
		return fail(g, NULL, "route needs a prefix");
	if (parse_prefix(g, r, &t[0]) < 0)
		return -1;
	if (n > 1)
		return fail(g, &t[1], "unexpected \"%s\" before '{'", token_describe(&t[1]));
	return 0;
}

int rg_block_statement(struct rg_ctx *g, struct rg_route *r, const struct token *t, int n)
{
	struct cursor c = {t, n, 0};
	const struct token *kw = next(&c);
	if (!kw)
		return 0;
	const struct rg_keyword *k = find_keyword(kw);
	if (!k)
		return fail(g, kw, "unknown route attribute \"%s\"", token_describe(kw));
	if (k->parse(g, r, &c, kw) < 0)
		return -1;
	const struct token *extra = next(&c);
	if (extra)
		return fail(g, extra, "unexpected %s after %s (one attribute per statement)",
			    token_describe(extra), kw->s);
	return 0;
}

int rg_block_end(struct rg_ctx *g, struct rg_route *r, struct route_list *out)
{
	int rc = route_finish(g, r, out);
	g->merge_ext = false;
	return rc;
}

/* ------------------------------------------------------------ API */

static int lex_command(struct rg_ctx *g, const char *text)
{
	size_t len = strlen(text);
	if (len + 1 > g->bufcap) {
		char *nb = realloc(g->buf, len + 1);
		if (!nb)
			return fail(g, NULL, "out of memory");
		g->buf = nb;
		g->bufcap = len + 1;
	}
	memcpy(g->buf, text, len + 1);
	struct lexer lx;
	struct token t;
	lexer_init(&lx, g->buf, len);
	g->toks.n = 0;
	for (;;) {
		int type = lexer_next(&lx, &t);
		if (type == TOK_EOF)
			break;
		if (type == TOK_ERROR)
			return fail(g, &t, "%s", lx.err);
		if (tokvec_push(&g->toks, &t) < 0)
			return fail(g, &t, "out of memory");
	}
	/* A command may end with ';' (ExaBGP adds one when it is missing). */
	if (g->toks.n && g->toks.v[g->toks.n - 1].type == TOK_SEMI)
		g->toks.n--;
	return 0;
}

static int command_block(struct rg_ctx *g, struct route_list *out)
{
	const struct token *t = g->toks.v;
	int n = g->toks.n, i = 0;
	struct rg_route r;
	while (i < n && t[i].type != TOK_LBRACE)
		i++;
	if (rg_block_begin(g, &r, t, i) < 0)
		return -1;
	int start = ++i;
	for (; i < n; i++) {
		if (t[i].type == TOK_SEMI || t[i].type == TOK_RBRACE) {
			if (rg_block_statement(g, &r, &t[start], i - start) < 0)
				return -1;
			start = i + 1;
			if (t[i].type == TOK_RBRACE) {
				if (i + 1 < n)
					return fail(g, &t[i + 1], "unexpected %s after '}'", token_describe(&t[i + 1]));
				return rg_block_end(g, &r, out);
			}
		} else if (t[i].type == TOK_LBRACE) {
			return fail(g, &t[i], "unexpected '{'");
		}
	}
	return fail(g, &t[n - 1], "missing '}'");
}

int route_grammar_parse_command(struct rg_ctx *g, enum rg_command form, bool withdraw, const char *text,
				struct route_list *out)
{
	size_t n0 = out->n;
	int rc;
	g->err.msg[0] = '\0';
	if (lex_command(g, text) < 0)
		return -1;
	g->withdraw_cmd = withdraw;
	if (!g->toks.n) {
		rc = fail(g, NULL, form == RG_CMD_ROUTE ? "a prefix is required" : "attributes are required");
	} else if (form == RG_CMD_ATTRIBUTES) {
		rc = rg_parse_attributes(g, g->toks.v, g->toks.n, out);
	} else {
		int brace = 0;
		for (int i = 0; i < g->toks.n; i++)
			if (g->toks.v[i].type == TOK_LBRACE)
				brace = 1;
		rc = brace ? command_block(g, out) : rg_parse_route(g, g->toks.v, g->toks.n, out);
	}
	g->withdraw_cmd = false;
	if (rc < 0) {
		release_from(g, out, n0);
		if (!g->err.line)
			g->err.line = 1;
		return -1;
	}
	return (int)(out->n - n0);
}
