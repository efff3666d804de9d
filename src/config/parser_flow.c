/* FlowSpec routes: the configuration's flow section, the announce form and
 * the API command (see parser_flow.h). */
#include "config/parser_flow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attr.h"
#include "config/attr_values.h"
#include "config/parser_int.h"
#include "nlri/flowspec.h"
#include "nlri/flowspec_action.h"

/* Which words a statement may hold. */
enum {
	FW_MATCH = 1, /* match { } */
	FW_THEN = 2,  /* then { } */
	FW_SCOPE = 4, /* scope { } */
	FW_ROUTE = 8, /* route { }: rd, next-hop */
	FW_ALL = 15,  /* one-line forms */
};

struct flow_parse {
	struct rg_ctx *g;
	struct flow_builder fb;
	struct rg_pos where; /* the route, for errors found when it is finished */
};

struct cur {
	const struct token *t;
	int n, i;
};

static const struct token *next(struct cur *c)
{
	return c->i < c->n ? &c->t[c->i++] : NULL;
}

static bool is_value(const struct token *t)
{
	return t && (t->type == TOK_WORD || t->type == TOK_STRING);
}

__attribute__((format(printf, 3, 4))) static int ferr(struct rg_ctx *g, const struct token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err.msg, sizeof(g->err.msg), fmt, ap);
	va_end(ap);
	g->err.line = t ? t->line : 0;
	g->err.col = t ? t->col : 0;
	return -1;
}

static bool is_attr_keyword(const char *s)
{
	return !strcmp(s, "community") || !strcmp(s, "large-community") || !strcmp(s, "extended-community");
}

bool flow_is_keyword(const char *s)
{
	return flow_keyword_find(s) || flow_action_arity(s) >= 0 || is_attr_keyword(s) ||
	       !strcmp(s, "interface-set") || !strcmp(s, "rd") || !strcmp(s, "route-distinguisher") ||
	       !strcmp(s, "next-hop");
}

static void fp_init(struct flow_parse *f, struct rg_ctx *g)
{
	memset(f, 0, sizeof(*f));
	f->g = g;
	flow_builder_init(&f->fb);
}

static void fp_begin(struct flow_parse *f, const struct token *at)
{
	flow_builder_reset(&f->fb);
	attr_builder_reset(&f->g->b);
	f->g->merge_ext = true; /* extended-community statements merge, as ExaBGP */
	f->g->err.msg[0] = '\0';
	f->g->err.line = f->g->err.col = 0;
	f->where = (struct rg_pos){at ? at->line : 0, at ? at->col : 0};
}

/* The value of kw: one word. */
static const struct token *value(struct rg_ctx *g, struct cur *c, const struct token *kw)
{
	const struct token *t = next(c);
	if (!t) {
		ferr(g, kw, "%s needs a value", kw->s);
		return NULL;
	}
	if (!is_value(t)) {
		ferr(g, t, "unexpected %s: %s needs a value", token_describe(t), kw->s);
		return NULL;
	}
	return t;
}

typedef int (*item_fn)(struct flow_parse *f, const struct token *kw, const struct token *t, const void *ud);

/* "[ a b c ]" or "a"; commas between items are ignored. */
static int list(struct flow_parse *f, struct cur *c, const struct token *kw, item_fn fn, const void *ud)
{
	const struct token *t = next(c);
	if (!t)
		return ferr(f->g, kw, "%s needs a value", kw->s);
	if (t->type != TOK_LBRACKET) {
		if (!is_value(t))
			return ferr(f->g, t, "unexpected %s: %s needs a value", token_describe(t), kw->s);
		return fn(f, kw, t, ud);
	}
	int items = 0;
	for (;;) {
		t = next(c);
		if (!t)
			return ferr(f->g, kw, "missing ']' to close the %s list", kw->s);
		if (t->type == TOK_RBRACKET)
			return items ? 0 : ferr(f->g, t, "empty %s list", kw->s);
		if (t->type == TOK_COMMA)
			continue;
		if (!is_value(t))
			return ferr(f->g, t, "unexpected %s in the %s list", token_describe(t), kw->s);
		if (fn(f, kw, t, ud) < 0)
			return -1;
		items++;
	}
}

static int condition_item(struct flow_parse *f, const struct token *kw, const struct token *t, const void *ud)
{
	char why[200];
	(void)kw;
	if (flow_add_condition(&f->fb, ud, t->s, why, sizeof(why)) < 0)
		return ferr(f->g, t, "%s", why);
	return 0;
}

static int match_keyword(struct flow_parse *f, struct cur *c, const struct token *kw, const struct flow_keyword *k)
{
	char why[200];
	if (k->type == FLOW_SOURCE || k->type == FLOW_DESTINATION) {
		const struct token *t = value(f->g, c, kw);
		if (!t)
			return -1;
		if (flow_add_prefix(&f->fb, k->type, t->s, why, sizeof(why)) < 0)
			return ferr(f->g, t, "%s", why);
		return 0;
	}
	return list(f, c, kw, condition_item, k);
}

/* Appends extended communities to attribute 16, or sets attribute 25 when
 * it is not there yet (ExaBGP merges only the former). */
static int add_ext(struct flow_parse *f, const struct token *kw, uint8_t code, const uint8_t *v, size_t len)
{
	struct rg_ctx *g = f->g;
	size_t old_len = 0;
	const uint8_t *old = attr_builder_get(&g->b, code, &old_len);
	if (old && code != ATTR_EXT_COMMUNITIES)
		return 0;
	wb_reset(&g->tmp);
	if (old)
		wb_bytes(&g->tmp, old, old_len);
	wb_bytes(&g->tmp, v, len);
	if (g->tmp.err ||
	    attr_builder_set(&g->b, code, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len) < 0)
		return ferr(g, kw, "%s: too many extended communities", kw->s);
	return 0;
}

static void set_nexthop(struct rg_ctx *g, const uint8_t *addr, uint8_t len)
{
	memset(&g->b.nh, 0, sizeof(g->b.nh));
	if (len) {
		g->b.nh.kind = NH_IP;
		g->b.nh.len = len;
		memcpy(g->b.nh.addr, addr, len);
	}
}

static int action_keyword(struct flow_parse *f, struct cur *c, const struct token *kw, int arity)
{
	char why[200];
	const struct token *arg = NULL;
	struct flow_action a;
	if (arity) {
		arg = value(f->g, c, kw);
		if (!arg)
			return -1;
	}
	if (flow_action_parse(kw->s, arg ? arg->s : NULL, &a, why, sizeof(why)) < 0)
		return ferr(f->g, arg ? arg : kw, "%s", why);
	if (a.set_nh)
		set_nexthop(f->g, a.nh, a.nh_len);
	if (a.has_ext && add_ext(f, kw, ATTR_EXT_COMMUNITIES, a.ext, 8) < 0)
		return -1;
	if (a.has_ext6 && add_ext(f, kw, ATTR_IPV6_EXT_COMMUNITIES, a.ext6, 20) < 0)
		return -1;
	return 0;
}

/* community / large-community / extended-community: the route grammar
 * parses the keyword and its value ([ list ] or one word). */
static int attr_keyword(struct flow_parse *f, struct cur *c, const struct token *kw)
{
	int start = c->i - 1;
	const struct token *t = next(c);
	if (t && t->type == TOK_LBRACKET) {
		while ((t = next(c)) && t->type != TOK_RBRACKET)
			;
		if (!t)
			return ferr(f->g, kw, "missing ']' to close the %s list", kw->s);
	}
	struct rg_route dummy;
	memset(&dummy, 0, sizeof(dummy));
	return rg_block_statement(f->g, &dummy, &c->t[start], c->i - start);
}

static int interface_set_item(struct flow_parse *f, const struct token *kw, const struct token *t, const void *ud)
{
	char why[200];
	uint8_t v[8];
	(void)ud;
	if (flow_interface_set(t->s, v, why, sizeof(why)) < 0)
		return ferr(f->g, t, "%s", why);
	return add_ext(f, kw, ATTR_EXT_COMMUNITIES, v, 8);
}

static int route_keyword(struct flow_parse *f, struct cur *c, const struct token *kw)
{
	char why[200];
	const struct token *t = value(f->g, c, kw);
	if (!t)
		return -1;
	if (!strcmp(kw->s, "next-hop")) {
		if (!strcmp(t->s, "self")) {
			memset(&f->g->b.nh, 0, sizeof(f->g->b.nh));
			f->g->b.nh.kind = NH_SELF;
			f->g->b.nh.len = 4; /* as ExaBGP: the IPv4 self */
			return 0;
		}
		struct ip_addr ip;
		if (av_ip(t->s, &ip) < 0)
			return ferr(f->g, t, "\"%s\" is not a valid next-hop", t->s);
		set_nexthop(f->g, ip.addr, (uint8_t)(ip.afi == AFI_IPV4 ? 4 : 16));
		return 0;
	}
	if (av_route_distinguisher(t->s, f->fb.rd, why, sizeof(why)) < 0)
		return ferr(f->g, t, "%s", why);
	f->fb.has_rd = true;
	return 0;
}

static const char *section_name(unsigned allowed)
{
	switch (allowed) {
	case FW_MATCH: return "match";
	case FW_THEN: return "then";
	case FW_SCOPE: return "scope";
	case FW_ROUTE: return "route";
	default: return "flow";
	}
}

/* The words of one statement (or of a whole one-line route). */
static int flow_words(struct flow_parse *f, const struct token *t, int n, unsigned allowed)
{
	struct cur c = {t, n, 0};
	const struct token *kw;
	while ((kw = next(&c))) {
		if (kw->type != TOK_WORD)
			return ferr(f->g, kw, "unexpected %s in %s", token_describe(kw), section_name(allowed));
		const char *s = kw->s;
		const struct flow_keyword *k;
		int arity, rc;
		if ((allowed & FW_MATCH) && (k = flow_keyword_find(s)))
			rc = match_keyword(f, &c, kw, k);
		else if ((allowed & FW_THEN) && (arity = flow_action_arity(s)) >= 0)
			rc = action_keyword(f, &c, kw, arity);
		else if ((allowed & FW_THEN) && is_attr_keyword(s))
			rc = attr_keyword(f, &c, kw);
		else if ((allowed & FW_SCOPE) && !strcmp(s, "interface-set"))
			rc = list(f, &c, kw, interface_set_item, NULL);
		else if ((allowed & FW_ROUTE) &&
			 (!strcmp(s, "rd") || !strcmp(s, "route-distinguisher") || !strcmp(s, "next-hop")))
			rc = route_keyword(f, &c, kw);
		else if (flow_is_keyword(s))
			return ferr(f->g, kw, "%s is not valid in %s", s, section_name(allowed));
		else
			return ferr(f->g, kw, "unknown %s keyword \"%s\"", section_name(allowed), s);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Turns the parsed route into a struct route appended to out.  afi and
 * safi are fixed by an announce section (0 = from the route's content). */
static int fp_finish(struct flow_parse *f, uint16_t afi, uint8_t safi, struct route_list *out)
{
	struct rg_ctx *g = f->g;
	char why[200];
	uint8_t nlri[FLOW_MAX_LEN + 2];
	g->merge_ext = false;
	g->err.line = f->where.line;
	g->err.col = f->where.col;
	if (!afi)
		afi = f->fb.afi ? f->fb.afi : AFI_IPV4;
	else if (f->fb.afi && f->fb.afi != afi)
		return snprintf(g->err.msg, sizeof(g->err.msg), "an %s prefix in an %s flow route",
				f->fb.afi == AFI_IPV4 ? "IPv4" : "IPv6", afi == AFI_IPV4 ? "ipv4" : "ipv6"),
		       -1;
	/* The rd picks the flow-vpn family (RFC 8955 8). */
	if (!f->fb.has_rd && (safi_route_words(safi) & FAM_KW_RD))
		return snprintf(g->err.msg, sizeof(g->err.msg), "a flow-vpn route needs an rd"), -1;
	int picked = family_pick(afi, NLRI_KIND_FLOW, f->fb.has_rd);
	if (picked < 0)
		return snprintf(g->err.msg, sizeof(g->err.msg), "flow routes of this family are not supported"), -1;
	safi = family_table[picked].safi;
	int len = flow_encode(&f->fb, nlri, sizeof(nlri), why, sizeof(why));
	if (len < 0)
		return snprintf(g->err.msg, sizeof(g->err.msg), "%s", why), -1;
	int fam = family_find(afi, safi);
	if (fam < 0)
		return snprintf(g->err.msg, sizeof(g->err.msg), "unknown flow family"), -1;
	struct attrset *set = attr_pool_intern(g->pool, &g->b);
	if (!set)
		return snprintf(g->err.msg, sizeof(g->err.msg), "out of memory"), -1;
	size_t size = sizeof(struct route) + (size_t)len;
	struct route *rt = g->arena ? arena_alloc(g->arena, size) : malloc(size);
	if (!rt || route_list_push(out, rt) < 0) {
		if (rt && !g->arena)
			free(rt);
		attrset_unref(g->pool, set);
		return snprintf(g->err.msg, sizeof(g->err.msg), "out of memory"), -1;
	}
	memset(rt, 0, sizeof(*rt));
	rt->attrs = set;
	rt->family = (uint8_t)fam;
	rt->nlri_len = (uint16_t)len;
	memcpy(rt->nlri, nlri, (size_t)len);
	if (g->fam_first && !g->fam_first[fam].line)
		g->fam_first[fam] = f->where;
	g->err.line = g->err.col = 0;
	return 0;
}

/* ------------------------------------------------------------ configuration */

/* "match {", "then {" or "scope {" inside a route: its statements. */
static int flow_subsection(struct parser *p, struct flow_parse *f, unsigned allowed)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		if (end == TOK_LBRACE)
			return perr_tok(p, &p->st.v[0], "unexpected section \"%s\" in %s",
					token_describe(&p->st.v[0]), section_name(allowed));
		if (flow_words(f, p->st.v, p->st.n, allowed) < 0)
			return perr_rg(p, &p->st.v[0]);
	}
}

/* "route [NAME] {" ... "}" */
static int flow_route_block(struct parser *p, struct draft *d, struct flow_parse *f)
{
	struct token at = p->st.v[0];
	if (p->st.n > 2)
		return perr_tok(p, &p->st.v[2], "unexpected \"%s\" before '{'", token_describe(&p->st.v[2]));
	fp_begin(f, &at);
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			break;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		if (end == TOK_LBRACE) {
			const char *s = kw->type == TOK_WORD ? kw->s : "";
			unsigned allowed = !strcmp(s, "match") ? FW_MATCH
					   : !strcmp(s, "then") ? FW_THEN
					   : !strcmp(s, "scope") ? FW_SCOPE
								 : 0;
			if (!allowed)
				return perr_tok(p, kw, "unknown section \"%s\" in a flow route (match, then or scope)",
						token_describe(kw));
			if (p->st.n > 1)
				return perr_tok(p, &p->st.v[1], "unexpected \"%s\" after %s",
						token_describe(&p->st.v[1]), s);
			if (flow_subsection(p, f, allowed) < 0)
				return -1;
			continue;
		}
		if (flow_words(f, p->st.v, p->st.n, FW_ROUTE) < 0)
			return perr_rg(p, kw);
	}
	if (fp_finish(f, 0, 0, &d->routes) < 0)
		return perr_rg(p, &at);
	return 0;
}

int parse_flow(struct parser *p, struct draft *d)
{
	struct flow_parse f;
	int rc = 0;
	fp_init(&f, &p->rg);
	for (;;) {
		int end = read_stmt(p);
		if (end < 0) {
			rc = -1;
			break;
		}
		if (end == TOK_RBRACE || end == TOK_EOF)
			break;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		if (kw->type != TOK_WORD || strcmp(kw->s, "route")) {
			rc = perr_tok(p, kw, "unknown %s \"%s\" in flow (expecting route)",
				      end == TOK_LBRACE ? "section" : "command", token_describe(kw));
			break;
		}
		if (end == TOK_LBRACE) {
			rc = flow_route_block(p, d, &f);
		} else {
			/* one-line form: "route match-words action-words ...;" */
			fp_begin(&f, kw);
			if (flow_words(&f, p->st.v + 1, p->st.n - 1, FW_ALL) < 0 ||
			    fp_finish(&f, 0, 0, &d->routes) < 0)
				rc = perr_rg(p, kw);
		}
		if (rc < 0)
			break;
	}
	p->rg.merge_ext = false;
	flow_builder_free(&f.fb);
	return rc;
}

int flow_parse_announce(struct rg_ctx *g, uint16_t afi, const struct token *safi_word, const struct token *t, int n,
			struct route_list *out)
{
	struct flow_parse f;
	int rc;
	int fam = family_by_name(afi == AFI_IPV6 ? "ipv6" : "ipv4", safi_word->s);
	uint8_t safi = fam >= 0 ? family_table[fam].safi : 0;
	fp_init(&f, g);
	fp_begin(&f, safi_word);
	rc = flow_words(&f, t, n, FW_ALL);
	if (rc == 0)
		rc = fp_finish(&f, afi, safi, out);
	g->merge_ext = false;
	flow_builder_free(&f.fb);
	return rc;
}

/* ------------------------------------------------------------ API */

int flow_parse_command(struct rg_ctx *g, bool withdraw, const char *text, struct route_list *out)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1);
	struct tokvec tv = {0};
	struct flow_parse f;
	int rc = 0;
	(void)withdraw; /* a withdrawal needs only the NLRI; the rest is parsed all the same */
	if (!buf) {
		ferr(g, NULL, "out of memory");
		return -1;
	}
	memcpy(buf, text, len + 1);
	struct lexer lx;
	struct token t;
	lexer_init(&lx, buf, len);
	for (;;) {
		int type = lexer_next(&lx, &t);
		if (type == TOK_EOF)
			break;
		if (type == TOK_ERROR) {
			rc = ferr(g, &t, "%s", lx.err);
			break;
		}
		if (tokvec_push(&tv, &t) < 0) {
			rc = ferr(g, &t, "out of memory");
			break;
		}
	}
	/* Flatten "[NAME] { match { a; } then { b; } }" into the one-line form. */
	int w = 0, depth = 0;
	for (int i = 0; rc == 0 && i < tv.n; i++) {
		const struct token *k = &tv.v[i];
		bool before_brace = i + 1 < tv.n && tv.v[i + 1].type == TOK_LBRACE;
		if (k->type == TOK_LBRACE) {
			depth++;
			continue;
		}
		if (k->type == TOK_RBRACE) {
			if (--depth < 0)
				rc = ferr(g, k, "unexpected '}'");
			continue;
		}
		if (k->type == TOK_SEMI)
			continue;
		if (k->type == TOK_WORD && before_brace &&
		    (!strcmp(k->s, "match") || !strcmp(k->s, "then") || !strcmp(k->s, "scope") ||
		     (i == 0 && !flow_is_keyword(k->s))))
			continue;
		tv.v[w++] = *k;
	}
	if (rc == 0 && depth)
		rc = ferr(g, tv.n ? &tv.v[tv.n - 1] : NULL, "missing '}'");
	if (rc == 0) {
		fp_init(&f, g);
		fp_begin(&f, w ? &tv.v[0] : NULL);
		rc = flow_words(&f, tv.v, w, FW_ALL);
		if (rc == 0)
			rc = fp_finish(&f, 0, 0, out);
		g->merge_ext = false;
		flow_builder_free(&f.fb);
	}
	tokvec_free(&tv);
	free(buf);
	if (rc < 0) {
		if (!g->err.line)
			g->err.line = 1;
		return -1;
	}
	return 1;
}
