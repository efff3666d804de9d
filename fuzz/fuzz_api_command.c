/* libFuzzer harness: helper command lines (api/command.c) and the route
 * grammar they feed (config/route_grammar.c), through both paths:
 *   - the fast path: "announce route ..." / "withdraw route ..." taken raw
 *     (not normalised) and parsed by the grammar's own tokeniser when the
 *     text is in normal form (route_grammar_parse_normal);
 *   - the general path: the line normalised (ExaBGP's formated()) and the
 *     text parsed through the configuration lexer (a " #" comment appended
 *     sends it there).
 * Input: command lines separated by '\n' (one route grammar context per
 * input, so the attribute memo of "announce route" is hit across lines).
 * Oracles: api_normalise equals api_normalise_rewrite; raw and normalised
 * parses give the same command; the fast and general paths give the same
 * routes (family, NLRI, the same interned attribute set) or the same error
 * at the same column; every attribute reference is given back. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/command.h"
#include "config/route_grammar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	struct attr_pool pool;
	struct rg_ctx g1, g2;
	struct route_list a, b;
	struct api_command c1, c2;
};

static void release(struct rg_ctx *g, struct route_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rg_route_release(g, l->v[i]);
	l->n = 0;
}

#define CHECK(cond, ...)                                       \
	do {                                                   \
		if (!(cond)) {                                 \
			fprintf(stderr, "line \"%s\": ", line); \
			fprintf(stderr, __VA_ARGS__);          \
			fputc('\n', stderr);                   \
			abort();                               \
		}                                              \
	} while (0)

static void check_normalise(const char *line, size_t len)
{
	size_t cap = 3 * len + 1;
	char *want = malloc(cap), *got = malloc(cap);
	if (!want || !got)
		abort();
	size_t nw = api_normalise_rewrite(line, len, want, cap);
	size_t ng = api_normalise(line, len, got, cap);
	CHECK(nw == ng && !memcmp(want, got, nw + 1), "api_normalise \"%s\", rewrite \"%s\"", got, want);
	/* a short output buffer: the same truncation */
	size_t small = 1 + len % 7;
	nw = api_normalise_rewrite(line, len, want, small);
	ng = api_normalise(line, len, got, small);
	CHECK(nw == ng && !memcmp(want, got, nw < small ? nw + 1 : small), "truncated normalisation differs");
	free(want);
	free(got);
}

static int form_of(enum api_cmd_kind k, enum rg_command *form, bool *withdraw)
{
	*withdraw = false;
	switch (k) {
	case API_CMD_WITHDRAW_ROUTE:
		*withdraw = true; /* fall through */
	case API_CMD_ANNOUNCE_ROUTE:
		*form = RG_CMD_ROUTE;
		return 1;
	case API_CMD_WITHDRAW_ATTRIBUTES:
		*withdraw = true; /* fall through */
	case API_CMD_ANNOUNCE_ATTRIBUTES:
		*form = RG_CMD_ATTRIBUTES;
		return 1;
	case API_CMD_WITHDRAW_VPLS:
		*withdraw = true; /* fall through */
	case API_CMD_ANNOUNCE_VPLS:
		*form = RG_CMD_VPLS;
		return 1;
	case API_CMD_WITHDRAW_IPV4:
		*withdraw = true; /* fall through */
	case API_CMD_ANNOUNCE_IPV4:
		*form = RG_CMD_IPV4;
		return 1;
	case API_CMD_WITHDRAW_IPV6:
		*withdraw = true; /* fall through */
	case API_CMD_ANNOUNCE_IPV6:
		*form = RG_CMD_IPV6;
		return 1;
	default:
		return 0;
	}
}

static void one_line(struct ctx *f, const char *line, size_t len)
{
	check_normalise(line, len);
	api_command_parse(&f->c1, line, len);
	api_command_parse(&f->c2, line, len);
	api_command_normalise(&f->c2);
	CHECK(!f->c2.raw, "still raw after api_command_normalise");
	CHECK(f->c1.kind == f->c2.kind && !strcmp(f->c1.name, f->c2.name), "raw parse %d \"%s\", normalised %d \"%s\"",
	      f->c1.kind, f->c1.name, f->c2.kind, f->c2.name);
	enum rg_command form;
	bool withdraw;
	if (!form_of(f->c2.kind, &form, &withdraw)) {
		CHECK(!f->c1.raw, "a raw command that is not a route command");
		return;
	}
	int ra = RG_NOT_NORMAL;
	if (f->c1.raw)
		ra = route_grammar_parse_normal(&f->g1, form, withdraw, f->c1.text, &f->a);
	if (ra == RG_NOT_NORMAL) {
		api_command_normalise(&f->c1);
		ra = route_grammar_parse_command(&f->g1, form, withdraw, f->c1.text, &f->a);
	}
	/* A route taken raw was in normal form: its text is the normalised
	 * one (an error may stop the tokeniser before it sees the rest). */
	CHECK(ra < 0 || !strcmp(f->c1.text, f->c2.text), "text \"%s\", normalised \"%s\"", f->c1.text, f->c2.text);
	size_t tl = strlen(f->c2.text);
	/* a backslash ending the text continues the line for the lexer: " #"
	 * after it would change the text's meaning, not only its path */
	if (tl && f->c2.text[tl - 1] == '\\') {
		release(&f->g1, &f->a);
		return;
	}
	char *slow = malloc(tl + 3);
	if (!slow)
		abort();
	memcpy(slow, f->c2.text, tl);
	memcpy(slow + tl, " #", 3);
	int rb = route_grammar_parse_command(&f->g2, form, withdraw, slow, &f->b);
	free(slow);
	struct rg_error ea = f->g1.err, eb = f->g2.err;
	CHECK(ra == rb && (ra >= 0 || (!strcmp(ea.msg, eb.msg) && ea.col == eb.col && ea.line == eb.line)),
	      "fast path %d \"%s\" at %d:%d, lexer %d \"%s\" at %d:%d", ra, ea.msg, ea.line, ea.col, rb, eb.msg,
	      eb.line, eb.col);
	CHECK(f->a.n == f->b.n, "%zu routes, through the lexer %zu", f->a.n, f->b.n);
	for (size_t i = 0; i < f->a.n; i++) {
		const struct route *x = f->a.v[i], *y = f->b.v[i];
		CHECK(x->family == y->family && x->flags == y->flags && x->path_id == y->path_id &&
			      x->nlri_len == y->nlri_len && !memcmp(x->nlri, y->nlri, x->nlri_len) &&
			      x->attrs == y->attrs,
		      "route %zu differs between the fast path and the lexer", i);
	}
	release(&f->g1, &f->a);
	release(&f->g2, &f->b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	struct ctx *f = calloc(1, sizeof(*f));
	char *text = malloc(size + 1);
	if (!f || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	attr_pool_init(&f->pool);
	rg_init(&f->g1, &f->pool, NULL);
	rg_init(&f->g2, &f->pool, NULL);
	api_command_init(&f->c1);
	api_command_init(&f->c2);
	for (char *p = text, *end = text + size; p <= end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		p[n] = '\0';
		/* a NUL inside a line ends it, as for a helper's line */
		one_line(f, p, strlen(p));
		p += n + 1;
	}
	route_list_free(&f->a);
	route_list_free(&f->b);
	rg_free(&f->g1);
	rg_free(&f->g2);
	api_command_free(&f->c1);
	api_command_free(&f->c2);
	if (f->pool.count != 0) {
		fprintf(stderr, "%zu attribute references not given back\n", (size_t)f->pool.count);
		abort();
	}
	attr_pool_free(&f->pool);
	free(f);
	free(text);
	return 0;
}
