/* Internals shared by the route grammar's files: route_grammar.c (building
 * routes, entry points, API), route_keywords.c (attribute words and the
 * keyword table), route_mpls.c (path-information, label, rd, prefix-sid and
 * the NLRI kinds) and route_vpls.c (l2vpn vpls).  Not a public interface:
 * use route_grammar.h. */
#ifndef FASTBGP_CONFIG_ROUTE_GRAMMAR_INT_H
#define FASTBGP_CONFIG_ROUTE_GRAMMAR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/route_grammar.h"

struct cursor {
	const struct token *t;
	int n, i;
};

static inline const struct token *next(struct cursor *c)
{
	return c->i < c->n ? &c->t[c->i++] : NULL;
}

static inline const struct token *peek(const struct cursor *c)
{
	return c->i < c->n ? &c->t[c->i] : NULL;
}

static inline int is_value(const struct token *t)
{
	return t && (t->type == TOK_WORD || t->type == TOK_STRING);
}

/* Sets g->err (message, position of t or p); always returns -1. */
int rg_fail(struct rg_ctx *g, const struct token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rg_fail_at(struct rg_ctx *g, struct rg_pos p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The value of kw: one word (or string).  Errors point at what is there
 * instead, or at the keyword when the statement ended. */
const struct token *rg_value(struct rg_ctx *g, struct cursor *c, const struct token *kw);

typedef int (*item_fn)(struct rg_ctx *g, const struct token *t, void *ud);
/* "[ a b c ]" or a single "a"; commas between items are ignored. */
int rg_list(struct rg_ctx *g, struct cursor *c, const struct token *kw, item_fn fn, void *ud);

/* Sets an attribute of the route unless it is already set (the first value
 * given is kept, as in ExaBGP). */
int rg_set_attr(struct rg_ctx *g, const struct token *kw, uint8_t code, uint8_t flags, const void *v, size_t len);

/* ---- keywords */

#define KW_ARGS struct rg_ctx *g, struct rg_route *r, struct cursor *c, const struct token *kw

struct rg_keyword {
	const char *name;
	int (*parse)(KW_ARGS);
};

/* route_keywords.c: the keyword of t, NULL when it is not one. */
const struct rg_keyword *rg_find_keyword(const struct token *t);
/* Parses keywords until the cursor is exhausted, or (stop_at_nlri) until the
 * word "nlri", which is consumed (then returns 1). */
int rg_parse_keywords(struct rg_ctx *g, struct rg_route *r, struct cursor *c, bool stop_at_nlri);
/* Parses one keyword statement kw (its value follows in c). */
int rg_keyword(struct rg_ctx *g, struct rg_route *r, struct cursor *c, const struct token *kw);

/* route_mpls.c */
int rg_kw_path_information(KW_ARGS);
int rg_kw_label(KW_ARGS);
int rg_kw_rd(KW_ARGS);
int rg_kw_prefix_sid(KW_ARGS);
int rg_kw_prefix_sid_srv6(KW_ARGS);

/* route_vpls.c: the VPLS words (endpoint, base, offset, size), NULL for others. */
const struct rg_keyword *rg_find_vpls_keyword(const struct token *t);
/* Checks a parsed VPLS route and appends it to out. */
int rg_vpls_finish(struct rg_ctx *g, struct rg_route *r, struct route_list *out);

/* How the NLRI of one kind of route is written. */
struct rg_nlri_kind {
	uint8_t kind; /* enum nlri_kind */
	/* Writes the NLRI of addr/plen for route r into out (at most
	 * LABELED_NLRI_MAX bytes); -1 with g->err set when it can not. */
	int (*build)(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
		     size_t *len);
};
/* The writer for family fam's layout, NULL when routes cannot be written. */
const struct rg_nlri_kind *rg_find_kind(int fam);

/* ---- route_grammar.c: building */

void rg_route_begin(struct rg_ctx *g, struct rg_route *r);
/* The interned set for g->b, with one reference for the caller. */
struct attrset *rg_intern(struct rg_ctx *g);
/* Appends one struct route (family fam, the given NLRI, r's flags, path
 * identifier, name and watchdog) holding the reference set.  On failure
 * the reference is dropped and -1 returned with g->err set. */
int rg_push_route(struct rg_ctx *g, const struct rg_route *r, int fam, const uint8_t *nlri, size_t nlri_len,
		  struct attrset *set, struct route_list *out);
/* Records where the first route of a family was written. */
void rg_note_family(struct rg_ctx *g, const struct rg_route *r, int fam);

#endif
