/* The route grammar shared by the configuration and the API (see
 * route_grammar.h): shared helpers, turning a parsed route into struct
 * route, the entry points and the API command form.  The words live in
 * route_keywords.c, route_mpls.c and route_vpls.c. */
#include "config/route_grammar.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attr.h"
#include "config/attr_values.h"
#include "config/route_grammar_int.h"
#include "nlri/labeled.h"
#include "wire/buf.h"

/* Most routes a single statement may expand into with "split". */
#define RG_MAX_SPLIT (1u << 24)

int rg_fail(struct rg_ctx *g, const struct token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err.msg, sizeof(g->err.msg), fmt, ap);
	va_end(ap);
	g->err.line = t ? t->line : 0;
	g->err.col = t ? t->col : 0;
	return -1;
}

int rg_fail_at(struct rg_ctx *g, struct rg_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err.msg, sizeof(g->err.msg), fmt, ap);
	va_end(ap);
	g->err.line = p.line;
	g->err.col = p.col;
	return -1;
}

const struct token *rg_value(struct rg_ctx *g, struct cursor *c, const struct token *kw)
{
	const struct token *t = next(c);
	if (!t) {
		rg_fail(g, kw, "%s needs a value", kw->s);
		return NULL;
	}
	if (!is_value(t)) {
		rg_fail(g, t, "unexpected %s: %s needs a value", token_describe(t), kw->s);
		return NULL;
	}
	return t;
}

int rg_list(struct rg_ctx *g, struct cursor *c, const struct token *kw, item_fn fn, void *ud)
{
	const struct token *t = next(c);
	if (!t)
		return rg_fail(g, kw, "%s needs a value", kw->s);
	if (t->type != TOK_LBRACKET) {
		if (!is_value(t))
			return rg_fail(g, t, "unexpected %s: %s needs a value", token_describe(t), kw->s);
		return fn(g, t, ud);
	}
	for (;;) {
		t = next(c);
		if (!t)
			return rg_fail(g, kw, "missing ']' to close the %s list", kw->s);
		if (t->type == TOK_RBRACKET)
			return 0;
		if (t->type == TOK_COMMA)
			continue;
		if (!is_value(t))
			return rg_fail(g, t, "unexpected %s in the %s list", token_describe(t), kw->s);
		if (fn(g, t, ud) < 0)
			return -1;
	}
}

int rg_set_attr(struct rg_ctx *g, const struct token *kw, uint8_t code, uint8_t flags, const void *v, size_t len)
{
	if (attr_builder_has(&g->b, code))
		return 0; /* as ExaBGP: the first value given is kept */
	if (attr_builder_set(&g->b, code, flags, v, len) < 0)
		return rg_fail(g, kw, "%s: value too long or too many attributes", kw->s);
	return 0;
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

struct attrset *rg_intern(struct rg_ctx *g)
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

void rg_route_begin(struct rg_ctx *g, struct rg_route *r)
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
		return rg_fail(g, t, "expected a prefix, found %s", token_describe(t));
	if (av_prefix(t->s, true, &r->addr, &r->plen, why, sizeof(why)) < 0)
		return rg_fail(g, t, "%s", why);
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

int rg_push_route(struct rg_ctx *g, const struct rg_route *r, int fam, const uint8_t *nlri, size_t nlri_len,
		  struct attrset *set, struct route_list *out)
{
	size_t lname = r->name[0] ? strlen(r->name) + 1 : 0;
	size_t lwd = r->watchdog[0] ? strlen(r->watchdog) + 1 : 0;
	size_t size = sizeof(struct route) + nlri_len + lname + lwd;
	struct route *rt = g->arena ? arena_alloc(g->arena, size) : malloc(size);
	if (!rt || route_list_push(out, rt) < 0) {
		if (rt && !g->arena)
			free(rt);
		attrset_unref(g->pool, set);
		return rg_fail_at(g, r->where, "out of memory");
	}
	rt->attrs = set;
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
	return 0;
}

void rg_note_family(struct rg_ctx *g, const struct rg_route *r, int fam)
{
	if (g->fam_first && !g->fam_first[fam].line)
		g->fam_first[fam] = r->where;
}

/* The SAFI of a parsed prefix route: fixed by an announce section, else
 * mpls-vpn with an rd, nlri-mpls with labels, as ExaBGP decides. */
static uint8_t route_safi(const struct rg_route *r)
{
	if (r->fixed_safi)
		return r->safi;
	if (r->has_rd)
		return SAFI_MPLS_VPN;
	if (r->nlabels)
		return SAFI_MPLS_LABEL;
	if (r->safi)
		return r->safi;
	if (r->addr.afi == AFI_IPV4 && r->addr.addr[0] >= 224 && r->addr.addr[0] < 240)
		return SAFI_MULTICAST; /* as ExaBGP: a class D prefix is a multicast route */
	return SAFI_UNICAST;
}

/* Turns the parsed route into one or more struct route (split), appended to out. */
static int route_finish(struct rg_ctx *g, struct rg_route *r, struct route_list *out)
{
	uint16_t afi = r->addr.afi;
	int maxlen = afi == AFI_IPV4 ? 32 : 128;
	uint8_t safi = route_safi(r);
	int fam = family_find(afi, safi);
	const struct rg_nlri_kind *kind = rg_find_kind(safi);
	if (fam < 0 || !kind)
		return rg_fail_at(g, r->where, "routes of family %s %u are not supported",
				  afi == AFI_IPV4 ? "ipv4" : "ipv6", safi);
	if (!g->withdraw_cmd && g->b.nh.kind == NH_NONE) {
		if (safi == SAFI_UNICAST || safi == SAFI_MULTICAST)
			return rg_fail_at(g, r->where, "invalid route (missing next-hop, label or rd ?)");
		/* ExaBGP would send an empty next-hop: refused here */
		return rg_fail_at(g, r->where, "invalid route (missing next-hop)");
	}
	if (g->b.nh.kind == NH_SELF)
		g->b.nh.len = (uint8_t)afi_addr_len(afi);
	if (r->split > maxlen)
		return rg_fail_at(g, r->where, "split /%u is longer than the address (/%d)", r->split, maxlen);

	uint64_t count = 1;
	uint8_t plen = r->plen;
	if (r->split && r->split > r->plen) {
		if (r->split - r->plen > 24)
			return rg_fail_at(g, r->where, "split /%u of a /%u would make more than %u routes", r->split,
					  r->plen, RG_MAX_SPLIT);
		count = 1ull << (r->split - r->plen);
		plen = r->split;
	}

	uint8_t nlri[LABELED_NLRI_MAX];
	size_t nlri_len;
	uint8_t addr[16];
	memcpy(addr, r->addr.addr, 16);
	/* Check the NLRI kind can build this route before anything is allocated. */
	if (kind->build(g, r, addr, plen, nlri, &nlri_len) < 0)
		return -1;

	struct attrset *set = rg_intern(g);
	if (!set)
		return rg_fail_at(g, r->where, "out of memory");
	size_t n0 = out->n;
	for (uint64_t i = 0; i < count; i++) {
		if (i) {
			addr_add(addr, maxlen / 8, 1, maxlen - plen);
			kind->build(g, r, addr, plen, nlri, &nlri_len);
		}
		if (rg_push_route(g, r, fam, nlri, nlri_len, attrset_ref(set), out) < 0) {
			attrset_unref(g->pool, set);
			release_from(g, out, n0);
			return -1;
		}
	}
	attrset_unref(g->pool, set);
	rg_note_family(g, r, fam);
	return 0;
}

/* ------------------------------------------------------------ entry points */

int rg_parse_route(struct rg_ctx *g, const struct token *t, int n, struct route_list *out)
{
	struct rg_route r;
	struct cursor c = {t, n, 0};
	rg_route_begin(g, &r);
	g->merge_ext = false;
	if (n < 1)
		return rg_fail(g, NULL, "route needs a prefix");
	if (parse_prefix(g, &r, next(&c)) < 0 || rg_parse_keywords(g, &r, &c, false) < 0)
		return -1;
	return route_finish(g, &r, out);
}

int rg_parse_attributes(struct rg_ctx *g, const struct token *t, int n, struct route_list *out)
{
	struct rg_route r;
	struct cursor c = {t, n, 0};
	rg_route_begin(g, &r);
	g->merge_ext = false;
	int rc = rg_parse_keywords(g, &r, &c, true);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return rg_fail(g, n ? &t[n - 1] : NULL, "attributes needs \"nlri\" followed by prefixes");
	if (!peek(&c))
		return rg_fail(g, &t[c.i - 1], "nlri needs at least one prefix");
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
	rg_route_begin(g, &r);
	g->merge_ext = false;
	const char *afi_name = afi == AFI_IPV4 ? "ipv4" : "ipv6";
	int fam = family_by_name(afi_name, safi_word->s);
	if (fam < 0)
		return rg_fail(g, safi_word, "unknown family %s %s", afi_name, safi_word->s);
	uint8_t safi = family_table[fam].safi;
	if (safi == SAFI_FLOW || safi == SAFI_FLOW_VPN)
		return rg_fail(g, safi_word, "announce %s %s is not supported yet", afi_name, safi_word->s);
	if (!rg_find_kind(safi))
		return rg_fail(g, safi_word, "announce %s %s is not supported", afi_name, safi_word->s);
	/* The section decides the family: label is only for nlri-mpls and
	 * mpls-vpn, rd only for mpls-vpn. */
	r.safi = safi;
	r.fixed_safi = true;
	if (n < 1)
		return rg_fail(g, safi_word, "%s needs a prefix", safi_word->s);
	if (parse_prefix(g, &r, next(&c)) < 0)
		return -1;
	if (r.addr.afi != afi)
		return rg_fail(g, &t[0], "%s is not an %s prefix", t[0].s, afi_name);
	if (rg_parse_keywords(g, &r, &c, false) < 0)
		return -1;
	/* as ExaBGP: a labeled route needs its label, a VPN route its label and rd */
	if (safi == SAFI_MPLS_LABEL && !r.nlabels && !g->withdraw_cmd)
		return rg_fail(g, safi_word, "invalid announcement (missing next-hop or label ?)");
	if (safi == SAFI_MPLS_VPN && (!r.has_rd || (!r.nlabels && !g->withdraw_cmd)))
		return rg_fail(g, safi_word, "invalid announcement (missing next-hop, label or rd ?)");
	return route_finish(g, &r, out);
}

int rg_block_begin(struct rg_ctx *g, struct rg_route *r, const struct token *t, int n)
{
	rg_route_begin(g, r);
	g->merge_ext = true;
	if (n < 1)
		return rg_fail(g, NULL, "route needs a prefix");
	if (parse_prefix(g, r, &t[0]) < 0)
		return -1;
	if (n > 1)
		return rg_fail(g, &t[1], "unexpected \"%s\" before '{'", token_describe(&t[1]));
	return 0;
}

int rg_block_statement(struct rg_ctx *g, struct rg_route *r, const struct token *t, int n)
{
	struct cursor c = {t, n, 0};
	const struct token *kw = next(&c);
	if (!kw)
		return 0;
	if (!is_value(kw))
		return rg_fail(g, kw, "unknown route attribute \"%s\"", token_describe(kw));
	if (rg_keyword(g, r, &c, kw) < 0)
		return -1;
	const struct token *extra = next(&c);
	if (extra)
		return rg_fail(g, extra, "unexpected %s after %s (one attribute per statement)",
			    token_describe(extra), kw->s);
	return 0;
}

int rg_block_end(struct rg_ctx *g, struct rg_route *r, struct route_list *out)
{
	int rc = r->kind == RG_KIND_VPLS ? rg_vpls_finish(g, r, out) : route_finish(g, r, out);
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
			return rg_fail(g, NULL, "out of memory");
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
			return rg_fail(g, &t, "%s", lx.err);
		if (tokvec_push(&g->toks, &t) < 0)
			return rg_fail(g, &t, "out of memory");
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
					return rg_fail(g, &t[i + 1], "unexpected %s after '}'", token_describe(&t[i + 1]));
				return rg_block_end(g, &r, out);
			}
		} else if (t[i].type == TOK_LBRACE) {
			return rg_fail(g, &t[i], "unexpected '{'");
		}
	}
	return rg_fail(g, &t[n - 1], "missing '}'");
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
		rc = rg_fail(g, NULL, form == RG_CMD_ROUTE ? "a prefix is required" : "attributes are required");
	} else if (form == RG_CMD_ATTRIBUTES) {
		rc = rg_parse_attributes(g, g->toks.v, g->toks.n, out);
	} else if (form == RG_CMD_VPLS) {
		rc = rg_parse_vpls(g, NULL, g->toks.v, g->toks.n, out);
	} else if (form == RG_CMD_IPV4 || form == RG_CMD_IPV6) {
		const struct token *w = &g->toks.v[0];
		if (w->type != TOK_WORD)
			rc = rg_fail(g, w, "unexpected %s (expecting unicast, multicast, nlri-mpls or mpls-vpn)",
				     token_describe(w));
		else
			rc = rg_parse_announce(g, form == RG_CMD_IPV4 ? AFI_IPV4 : AFI_IPV6, w, g->toks.v + 1,
					       g->toks.n - 1, out);
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
