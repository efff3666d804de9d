/* The route sections of a neighbor: static, announce, l2vpn (VPLS), and
 * sections whose content is not supported yet (operational).  The flow
 * section is parsed in parser_flow.c. */
#include <string.h>

#include "config/parser_flow.h"
#include "config/parser_int.h"

/* "route P { attr; attr; }" */
static int static_route_block(struct parser *p, struct draft *d)
{
	struct rg_route r;
	const struct token *kw = &p->st.v[0];
	struct token at = *kw;
	if (rg_block_begin(&p->rg, &r, p->st.v + 1, p->st.n - 1) < 0)
		return perr_rg(p, kw);
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_LBRACE)
			return perr_tok(p, p->st.n ? &p->st.v[0] : &p->end, "unexpected section inside a route");
		if (end == TOK_SEMI) {
			if (p->st.n && rg_block_statement(&p->rg, &r, p->st.v, p->st.n) < 0)
				return perr_rg(p, &p->st.v[0]);
			continue;
		}
		break; /* '}' or the end of the file */
	}
	if (rg_block_end(&p->rg, &r, &d->routes) < 0)
		return perr_rg(p, &at);
	return 0;
}

int parse_static(struct parser *p, struct draft *d)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		const char *s = kw->type == TOK_WORD ? kw->s : "";
		if (end == TOK_LBRACE) {
			if (strcmp(s, "route"))
				return perr_tok(p, kw, "unknown section \"%s\" in static", token_describe(kw));
			if (static_route_block(p, d) < 0)
				return -1;
			continue;
		}
		if (!strcmp(s, "route")) {
			if (rg_parse_route(&p->rg, p->st.v + 1, p->st.n - 1, &d->routes) < 0)
				return perr_rg(p, kw);
		} else if (!strcmp(s, "attributes") || !strcmp(s, "attribute")) {
			if (rg_parse_attributes(&p->rg, p->st.v + 1, p->st.n - 1, &d->routes) < 0)
				return perr_rg(p, kw);
		} else {
			return perr_tok(p, kw, "unknown command \"%s\" in static (route or attributes)",
					token_describe(kw));
		}
	}
}

/* "vpls [NAME] { WORD VALUE; ... }" */
static int vpls_block(struct parser *p, struct draft *d)
{
	struct rg_route r;
	const struct token *kw = &p->st.v[0];
	struct token at = *kw;
	if (rg_vpls_block_begin(&p->rg, &r, kw, p->st.v + 1, p->st.n - 1) < 0)
		return perr_rg(p, kw);
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_LBRACE)
			return perr_tok(p, p->st.n ? &p->st.v[0] : &p->end, "unexpected section inside vpls");
		if (end == TOK_SEMI) {
			if (p->st.n && rg_block_statement(&p->rg, &r, p->st.v, p->st.n) < 0)
				return perr_rg(p, &p->st.v[0]);
			continue;
		}
		break; /* '}' or the end of the file */
	}
	if (rg_block_end(&p->rg, &r, &d->routes) < 0)
		return perr_rg(p, &at);
	return 0;
}

/* l2vpn { vpls WORDS; vpls [NAME] { ... } } (blocks), and the l2vpn section
 * of announce (one-line statements only, as ExaBGP). */
static int vpls_section(struct parser *p, struct draft *d, bool blocks, const char *where)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		if (kw->type != TOK_WORD || strcmp(kw->s, "vpls"))
			return perr_tok(p, kw, "unknown %s \"%s\" in %s (expecting vpls)",
					end == TOK_LBRACE ? "section" : "command", token_describe(kw), where);
		if (end == TOK_LBRACE) {
			if (!blocks)
				return perr_tok(p, kw, "vpls { } is not valid in %s (write vpls WORDS;)", where);
			if (vpls_block(p, d) < 0)
				return -1;
			continue;
		}
		if (rg_parse_vpls(&p->rg, kw, p->st.v + 1, p->st.n - 1, &d->routes) < 0)
			return perr_rg(p, kw);
	}
}

int parse_l2vpn(struct parser *p, struct draft *d)
{
	return vpls_section(p, d, true, "l2vpn");
}

static int announce_family(struct parser *p, struct draft *d, uint16_t afi)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		if (end == TOK_LBRACE)
			return perr_tok(p, kw, "unexpected section \"%s\" in announce", token_describe(kw));
		if (kw->type != TOK_WORD)
			return perr_tok(p, kw, "unexpected %s", token_describe(kw));
		if (!strcmp(kw->s, "flow") || !strcmp(kw->s, "flow-vpn")) {
			if (flow_parse_announce(&p->rg, afi, kw, p->st.v + 1, p->st.n - 1, &d->routes) < 0)
				return perr_rg(p, kw);
			continue;
		}
		if (rg_parse_announce(&p->rg, afi, kw, p->st.v + 1, p->st.n - 1, &d->routes) < 0)
			return perr_rg(p, kw);
	}
}

int parse_announce(struct parser *p, struct draft *d)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		const char *s = kw->type == TOK_WORD ? kw->s : "";
		if (end != TOK_LBRACE)
			return perr_tok(p, kw, "unexpected \"%s\" in announce (expecting ipv4 { }, ipv6 { } or l2vpn { })",
					token_describe(kw));
		if (p->st.n > 1)
			return perr_tok(p, &p->st.v[1], "unexpected \"%s\" after %s", token_describe(&p->st.v[1]), s);
		int rc;
		if (!strcmp(s, "ipv4"))
			rc = announce_family(p, d, AFI_IPV4);
		else if (!strcmp(s, "ipv6"))
			rc = announce_family(p, d, AFI_IPV6);
		else if (!strcmp(s, "l2vpn"))
			rc = vpls_section(p, d, false, "announce l2vpn");
		else
			return perr_tok(p, kw, "unknown section \"%s\" in announce", token_describe(kw));
		if (rc < 0)
			return -1;
	}
}

/* A section whose content is not supported yet: empty is fine, anything in
 * it is reported at its first token. */
int parse_unsupported(struct parser *p, const char *what)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (p->st.n)
			return perr_tok(p, &p->st.v[0], "%s are not supported yet", what);
		if (end == TOK_LBRACE)
			return perr_tok(p, &p->end, "%s are not supported yet", what);
	}
}
