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

static void memo_free(struct rg_ctx *g);
static struct attrset *memo_intern(struct rg_ctx *g, uint16_t afi);

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
	memo_free(g);
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
	int fam = r->has_rd ? family_pick(r->addr.afi, NLRI_KIND_VPN, true)
		  : r->nlabels ? family_pick(r->addr.afi, NLRI_KIND_LABELED, false)
			       : -1;
	if (fam >= 0)
		return family_table[fam].safi;
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
	const struct rg_nlri_kind *kind = rg_find_kind(fam);
	if (fam < 0 || !kind)
		return rg_fail_at(g, r->where, "routes of family %s %u are not supported",
				  afi == AFI_IPV4 ? "ipv4" : "ipv6", safi);
	if (!g->withdraw_cmd && g->b.nh.kind == NH_NONE) {
		if (family_table[fam].kind == NLRI_KIND_PREFIX)
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

	struct attrset *set = g->memo_hit ? memo_intern(g, afi) : rg_intern(g);
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
	if (family_table[fam].kind == NLRI_KIND_FLOW)
		return rg_fail(g, safi_word, "announce %s %s is not supported yet", afi_name, safi_word->s);
	if (!rg_find_kind(fam))
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
	uint8_t words = family_table[fam].route_kw;
	if (words == FAM_KW_LABEL && !r.nlabels && !g->withdraw_cmd)
		return rg_fail(g, safi_word, "invalid announcement (missing next-hop or label ?)");
	if ((words & FAM_KW_RD) && (!r.has_rd || (!r.nlabels && !g->withdraw_cmd)))
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

/* Character classes of the command tokeniser (lex_simple). */
enum { LC_WORD = 0, LC_BLANK, LC_PUNCT, LC_HARD };

static const uint8_t lex_class[256] = {
	[' '] = LC_BLANK,
	[';'] = LC_PUNCT, ['{'] = LC_PUNCT, ['}'] = LC_PUNCT, ['['] = LC_PUNCT, [']'] = LC_PUNCT,
	['('] = LC_PUNCT, [')'] = LC_PUNCT, [','] = LC_PUNCT,
	/* what only the full lexer handles: quotes, comments, continuations,
	 * other whitespace (line counting) */
	['"'] = LC_HARD, ['\''] = LC_HARD, ['#'] = LC_HARD, ['\\'] = LC_HARD, ['\t'] = LC_HARD,
	['\n'] = LC_HARD, ['\r'] = LC_HARD, ['\f'] = LC_HARD, ['\v'] = LC_HARD,
};

static const struct {
	char text[2];
	uint8_t type;
} lex_punct[256] = {
	[';'] = {";", TOK_SEMI}, ['{'] = {"{", TOK_LBRACE}, ['}'] = {"}", TOK_RBRACE},
	['['] = {"[", TOK_LBRACKET}, [']'] = {"]", TOK_RBRACKET}, ['('] = {"(", TOK_LPAREN},
	[')'] = {")", TOK_RPAREN}, [','] = {",", TOK_COMMA},
};

static struct token *tok_add(struct rg_ctx *g)
{
	struct tokvec *tv = &g->toks;
	if (tv->n == tv->cap) {
		int cap = tv->cap ? tv->cap * 2 : 64;
		struct token *v = realloc(tv->v, (size_t)cap * sizeof(*v));
		if (!v)
			return NULL;
		tv->v = v;
		tv->cap = cap;
	}
	return &tv->v[tv->n++];
}

/* Would ExaBGP's normalisation of command lines (api_normalise) leave
 * punctuation ch alone, given a blank before it or not and the character
 * after it?  It puts blanks after "[" "(", before "]" ")", around ",". */
static bool punct_normal(unsigned char ch, bool blank_before, char after)
{
	switch (ch) {
	case '[':
	case '(':
		return after == ' ';
	case ']':
	case ')':
		return blank_before;
	case ',':
		return blank_before && after == ' ';
	default:
		return true;
	}
}

static void set_punct(struct token *t, unsigned char ch, size_t i, uint8_t flags)
{
	t->line = 1;
	t->col = (int)i + 1;
	t->flags = flags;
	t->s = lex_punct[ch].text;
	t->len = 1;
	t->type = lex_punct[ch].type;
}

/* The tokens of a one-line command made only of words, blanks and
 * punctuation (what helpers write), in one pass over g->buf: the same
 * tokens, positions and flags as the configuration lexer gives (line 1,
 * column = offset + 1, words NUL-terminated in place), without its
 * per-character state.  Returns 1 when the text holds anything else (a
 * quote, a comment, a backslash, a tab or another control blank): the
 * caller then runs the full lexer on a fresh copy.
 *
 * On the way it also tells (g->lex_normal) whether the text, following
 * the blank after the command's words, is in the normal form of command
 * lines (see api_normalise): not empty, no blank first or last, no double
 * blank, blanks where normalisation puts them around punctuation.  The API
 * then needs no normalised copy of the line (route_grammar_parse_normal). */
static int lex_simple(struct rg_ctx *g, size_t len)
{
	char *buf = g->buf;
	size_t i = 0;
	bool glued = false, normal = len > 0;
	bool blank_before = true; /* the text follows the command words' blank */
	g->toks.n = 0;
	g->lex_normal = false;
	while (i < len) {
		unsigned char ch = (unsigned char)buf[i];
		uint8_t cls = lex_class[ch];
		if (cls == LC_BLANK) {
			normal &= !blank_before; /* first or doubled */
			blank_before = true;
			glued = false;
			i++;
			continue;
		}
		if (cls == LC_HARD)
			return 1;
		struct token *t = tok_add(g);
		if (!t)
			return rg_fail(g, NULL, "out of memory");
		uint8_t flags = (uint8_t)((g->toks.n == 1 ? TOKF_BOL : 0) | (glued ? TOKF_GLUED : 0));
		glued = true;
		if (cls == LC_PUNCT) {
			normal &= punct_normal(ch, blank_before, i + 1 < len ? buf[i + 1] : '\0');
			blank_before = false;
			set_punct(t, ch, i, flags);
			i++;
			continue;
		}
		blank_before = false;
		size_t start = i;
		while (i < len && lex_class[(unsigned char)buf[i]] == LC_WORD)
			i++;
		if (i < len && lex_class[(unsigned char)buf[i]] == LC_HARD)
			return 1;
		t->line = 1;
		t->col = (int)start + 1;
		t->flags = flags;
		t->s = buf + start;
		t->len = (uint32_t)(i - start);
		t->type = TOK_WORD;
		if (i < len && lex_class[(unsigned char)buf[i]] == LC_BLANK) {
			buf[i++] = '\0'; /* the blank ends the word */
			blank_before = true;
			glued = false;
		} else if (i < len) {
			/* punctuation right after the word: it is read from
			 * the buffer before the word's NUL overwrites it */
			struct token *p = tok_add(g);
			if (!p)
				return rg_fail(g, NULL, "out of memory");
			ch = (unsigned char)buf[i];
			normal &= punct_normal(ch, false, i + 1 < len ? buf[i + 1] : '\0');
			set_punct(p, ch, i, TOKF_GLUED);
			buf[i++] = '\0';
		}
	}
	g->lex_normal = normal && !blank_before; /* blank_before here: a blank last */
	return 0;
}

static int copy_text(struct rg_ctx *g, const char *text, size_t len)
{
	if (len + 1 > g->bufcap) {
		char *nb = realloc(g->buf, len + 1);
		if (!nb)
			return rg_fail(g, NULL, "out of memory");
		g->buf = nb;
		g->bufcap = len + 1;
	}
	memcpy(g->buf, text, len + 1);
	return 0;
}

/* Tokenises a command's text: 1 when lex_simple took it, 0 when the full
 * lexer did, -1 on error.  only_simple: return 2 instead of running the full
 * lexer (text it needs is never in normal form, route_grammar_parse_normal;
 * its errors must be the ones of the normalised text). */
static int lex_command(struct rg_ctx *g, const char *text, bool only_simple)
{
	size_t len = strlen(text);
	if (copy_text(g, text, len) < 0)
		return -1;
	int rc = lex_simple(g, len);
	if (rc < 0)
		return -1;
	bool simple = rc == 0;
	if (!simple && only_simple)
		return 2;
	if (!simple) {
		/* the full lexer, on a fresh copy (lex_simple wrote NULs) */
		if (copy_text(g, text, len) < 0)
			return -1;
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
	}
	/* A command may end with ';' (ExaBGP adds one when it is missing). */
	if (g->toks.n && g->toks.v[g->toks.n - 1].type == TOK_SEMI)
		g->toks.n--;
	return simple ? 1 : 0;
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

/* ---- the attribute memo of "announce route P ATTRIBUTES"
 *
 * Helpers announce many prefixes with the same attribute words, one command
 * per prefix.  The attribute words do not depend on the prefix (no keyword
 * reads it), so their result is remembered: the builder and the route
 * fields after the keywords, keyed by the exact text after the prefix.  A
 * command whose text after the prefix is byte-for-byte one remembered is
 * then neither tokenised nor parsed past its prefix; the route is finished
 * from the remembered state exactly as after parsing.  Only texts the
 * simple tokeniser took whole and whose keywords parsed without error are
 * remembered, so errors always come from a full parse.  Positions kept in
 * the route (label_at, rd_at) are moved by the difference of prefix
 * lengths. */

/* Enough for a helper cycling through a few dozen attribute sets (each
 * with an IPv4 and an IPv6 next-hop); about 1.2 KB each, allocated on the
 * first "announce route". */
#define RG_MEMO_SLOTS 32
#define RG_MEMO_MAX_TEXT 2048

struct rg_memo {
	char *text;             /* the text after the prefix and its blank */
	size_t len, cap;
	uint64_t hash;
	size_t off;             /* where that text started in its command */
	struct attr_builder b;  /* g->b after the keywords */
	struct rg_route r;      /* the route after the keywords */
	struct attrset *set[2]; /* interned g->b once finished for an IPv4 / IPv6 prefix (a reference each) */
	bool normal;            /* the command text was in normal form (see lex_simple) */
	bool used;
};

static void memo_free(struct rg_ctx *g)
{
	if (!g->memo)
		return;
	for (int i = 0; i < RG_MEMO_SLOTS; i++) {
		free(g->memo[i].text);
		attr_builder_free(&g->memo[i].b);
		for (int k = 0; k < 2; k++)
			if (g->memo[i].set[k])
				attrset_unref(g->pool, g->memo[i].set[k]);
	}
	free(g->memo);
	free(g->memo_hash);
	g->memo = NULL;
	g->memo_hash = NULL;
}

/* rg_intern for a route finished from memo entry g->memo_hit: g->b is the
 * entry's builder, with the next-hop length route_finish set from the
 * AFI for "next-hop self"; so the set only depends on the AFI and is
 * interned once per entry and AFI. */
static struct attrset *memo_intern(struct rg_ctx *g, uint16_t afi)
{
	struct rg_memo *m = g->memo_hit;
	int k = afi == AFI_IPV6;
	if (!m->set[k]) {
		struct attrset *s = rg_intern(g);
		if (!s)
			return NULL;
		m->set[k] = attrset_ref(s);
		return s;
	}
	return attrset_ref(m->set[k]);
}

/* 8 bytes at a time: the texts are about a hundred bytes. */
static uint64_t memo_hash(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		h = (h ^ x) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 29;
	}
	uint64_t x = 0;
	memcpy(&x, s + i, n - i);
	h = (h ^ x) * 0xC4CEB9FE1A85EC53ull;
	return h ^ (h >> 32);
}

/* Where the attribute text of a route command starts: the text is blanks,
 * one word of plain characters (the prefix) and one blank.  Returns the
 * offset after that blank and the prefix's place in *p0 / *plen, or 0 when
 * the text does not start that way. */
static size_t attr_text_start(const char *text, size_t len, size_t *p0, size_t *plen)
{
	size_t i = 0;
	while (i < len && text[i] == ' ')
		i++;
	size_t start = i;
	while (i < len && lex_class[(unsigned char)text[i]] == LC_WORD)
		i++;
	if (i == start || i >= len || text[i] != ' ')
		return 0;
	*p0 = start;
	*plen = i - start;
	return i + 1;
}

static struct rg_memo *memo_find(struct rg_ctx *g, const char *s, size_t n, uint64_t h)
{
	if (!g->memo)
		return NULL;
	/* the hashes sit together: the scan reads four cache lines */
	for (int i = 0; i < RG_MEMO_SLOTS; i++) {
		if (g->memo_hash[i] != h)
			continue;
		struct rg_memo *m = &g->memo[i];
		if (m->used && m->len == n && !memcmp(m->text, s, n))
			return m;
	}
	return NULL;
}

static void memo_store(struct rg_ctx *g, const struct rg_route *r, const char *s, size_t n, uint64_t h, size_t off,
		       bool normal)
{
	if (!g->memo) {
		g->memo = calloc(RG_MEMO_SLOTS, sizeof(*g->memo));
		g->memo_hash = calloc(RG_MEMO_SLOTS, sizeof(*g->memo_hash));
		if (!g->memo || !g->memo_hash) {
			free(g->memo);
			free(g->memo_hash);
			g->memo = NULL;
			g->memo_hash = NULL;
			return; /* no memo: every command is parsed */
		}
		for (int i = 0; i < RG_MEMO_SLOTS; i++)
			attr_builder_init(&g->memo[i].b);
	}
	struct rg_memo *m = &g->memo[g->memo_next];
	if (m->cap < n + 1) {
		char *t = realloc(m->text, n + 1);
		if (!t) {
			m->used = false;
			g->memo_hash[g->memo_next] = 0;
			return;
		}
		m->text = t;
		m->cap = n + 1;
	}
	g->memo_hash[g->memo_next] = h;
	g->memo_next = (g->memo_next + 1) % RG_MEMO_SLOTS;
	for (int k = 0; k < 2; k++) {
		if (m->set[k])
			attrset_unref(g->pool, m->set[k]);
		m->set[k] = NULL;
	}
	memcpy(m->text, s, n);
	m->text[n] = '\0';
	m->len = n;
	m->hash = h;
	m->off = off;
	m->normal = normal;
	attr_builder_copy(&m->b, &g->b);
	m->r = *r;
	m->used = !m->b.vals.err;
}

static void move_pos(struct rg_pos *p, size_t from, size_t to)
{
	if (p->line)
		p->col += (int)to - (int)from;
}

/* "announce route" / "withdraw route".  Returns what
 * route_grammar_parse_command's parsers return, -2 when the text could not
 * be tokenised, or -3 (need_normal, nothing parsed) when the text is not
 * in normal form. */
static int command_route(struct rg_ctx *g, const char *text, struct route_list *out, bool need_normal)
{
	size_t len = strlen(text), p0 = 0, plen = 0;
	size_t off = len <= RG_MEMO_MAX_TEXT ? attr_text_start(text, len, &p0, &plen) : 0;
	uint64_t h = 0;
	struct rg_memo *m = NULL;
	if (off) {
		h = memo_hash(text + off, len - off);
		m = memo_find(g, text + off, len - off, h);
		/* normal when the text it came from was: only the prefix, plain
		 * characters, differs (and nothing may come before it) */
		if (m && need_normal && (p0 || !m->normal))
			m = NULL;
	}
	struct rg_route r;
	if (m) {
		/* the prefix alone, as the tokeniser would give it */
		if (copy_text(g, text + p0, plen) < 0)
			return -2;
		g->buf[plen] = '\0';
		struct token t = {g->buf, (uint32_t)plen, 1, (int)p0 + 1, TOK_WORD, TOKF_BOL};
		/* the remembered route, then its prefix: what rg_route_begin,
		 * parse_prefix and the keywords would make */
		memcpy(&r, &m->r, offsetof(struct rg_route, name));
		strcpy(r.name, m->r.name);
		strcpy(r.watchdog, m->r.watchdog);
		g->merge_ext = false;
		if (parse_prefix(g, &r, &t) < 0)
			return -1;
		move_pos(&r.label_at, m->off, off);
		move_pos(&r.rd_at, m->off, off);
		attr_builder_copy(&g->b, &m->b);
		g->memo_hit = m;
		int rc = route_finish(g, &r, out);
		g->memo_hit = NULL;
		return rc;
	}
	int simple = lex_command(g, text, need_normal);
	if (simple < 0)
		return -2;
	if (simple == 2)
		return -3;
	bool normal = simple && g->lex_normal;
	if (need_normal && !normal)
		return -3;
	if (!g->toks.n)
		return rg_fail(g, NULL, "a prefix is required");
	for (int i = 0; i < g->toks.n; i++)
		if (g->toks.v[i].type == TOK_LBRACE)
			return command_block(g, out);
	/* rg_parse_route, remembering the attributes when it may */
	rg_route_begin(g, &r);
	g->merge_ext = false;
	struct cursor c = {g->toks.v, g->toks.n, 0};
	if (parse_prefix(g, &r, next(&c)) < 0 || rg_parse_keywords(g, &r, &c, false) < 0)
		return -1;
	if (off && simple)
		memo_store(g, &r, text + off, len - off, h, off, normal && !p0);
	return route_finish(g, &r, out);
}

static int parse_command(struct rg_ctx *g, enum rg_command form, bool withdraw, const char *text,
			 struct route_list *out, bool need_normal)
{
	size_t n0 = out->n;
	int rc;
	g->err.msg[0] = '\0';
	if (form == RG_CMD_ROUTE) {
		g->withdraw_cmd = withdraw;
		rc = command_route(g, text, out, need_normal);
		if (rc == -2 || rc == -3) { /* nothing was parsed */
			g->withdraw_cmd = false;
			return rc == -3 ? RG_NOT_NORMAL : -1;
		}
	} else if (need_normal) {
		return RG_NOT_NORMAL;
	} else {
		if (lex_command(g, text, false) < 0)
			return -1;
		g->withdraw_cmd = withdraw;
		const struct token *w = g->toks.n ? &g->toks.v[0] : NULL;
		if (!w)
			rc = rg_fail(g, NULL, "attributes are required");
		else if (form == RG_CMD_ATTRIBUTES)
			rc = rg_parse_attributes(g, g->toks.v, g->toks.n, out);
		else if (form == RG_CMD_VPLS)
			rc = rg_parse_vpls(g, NULL, g->toks.v, g->toks.n, out);
		else if (w->type != TOK_WORD) /* RG_CMD_IPV4, RG_CMD_IPV6 */
			rc = rg_fail(g, w, "unexpected %s (expecting unicast, multicast, nlri-mpls or mpls-vpn)",
				     token_describe(w));
		else
			rc = rg_parse_announce(g, form == RG_CMD_IPV4 ? AFI_IPV4 : AFI_IPV6, w, g->toks.v + 1,
					       g->toks.n - 1, out);
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

int route_grammar_parse_command(struct rg_ctx *g, enum rg_command form, bool withdraw, const char *text,
				struct route_list *out)
{
	return parse_command(g, form, withdraw, text, out, false);
}

int route_grammar_parse_normal(struct rg_ctx *g, enum rg_command form, bool withdraw, const char *text,
			       struct route_list *out)
{
	return parse_command(g, form, withdraw, text, out, true);
}
