/* The route grammar: one grammar, two entry points.
 *
 * The configuration parser (static / announce sections) and the process API
 * (announce route ..., withdraw route ..., announce attributes ... nlri ...)
 * both describe routes with the same words.  This module owns those words:
 * a table with one entry per keyword (next-hop, origin, as-path, med,
 * community, ..., label, rd, split, watchdog, ...), and a table with one
 * entry per kind of NLRI (unicast/multicast prefixes, labeled prefixes
 * "nlri-mpls", VPN prefixes "mpls-vpn"); VPLS routes (l2vpn vpls) have
 * their own words (endpoint, base, offset, size) and entry points.
 *
 * Attribute values go into one reused struct attr_builder in canonical wire
 * form with the standard flags; no default attribute is added (the per-peer
 * encoder does that).  As in ExaBGP, when an attribute is given twice the
 * first value is kept (in the block form, extended communities given twice
 * are merged).  Each finished route gets one reference on an attribute set
 * interned in the pool; consecutive routes with the same attributes share
 * the set without re-hashing.
 *
 * Routes are allocated in an arena (configuration) or with malloc (API; see
 * rg_route_release).  The NLRI bytes and the name / watchdog strings are
 * stored inline in the same allocation. */
#ifndef FASTBGP_CONFIG_ROUTE_GRAMMAR_H
#define FASTBGP_CONFIG_ROUTE_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/attrset.h"
#include "config/lexer.h"
#include "config/model.h"
#include "core/arena.h"
#include "nlri/family.h"
#include "nlri/labeled.h"
#include "rib/route.h"

/* Where something was written (1-based; 0 = unknown). */
struct rg_pos {
	int line, col;
};

/* The last error: message plus the position of the offending token. */
struct rg_error {
	int line, col;
	char msg[256];
};

#define RG_MAX_LABELS NLRI_MAX_LABELS

enum rg_kind {
	RG_KIND_PREFIX = 0, /* unicast, multicast, nlri-mpls, mpls-vpn */
	RG_KIND_VPLS = 1,   /* l2vpn vpls */
};

enum rg_vpls_field {
	RG_VPLS_ENDPOINT = 1u << 0,
	RG_VPLS_BASE = 1u << 1,
	RG_VPLS_OFFSET = 1u << 2,
	RG_VPLS_SIZE = 1u << 3,
};

/* A route being parsed (public so that the configuration parser can drive the
 * block form "route P { attr; attr; }" one statement at a time). */
struct rg_route {
	struct ip_addr addr;
	uint8_t plen;
	uint8_t safi;           /* fixed by the announce section, 0 = from the prefix and label/rd */
	bool fixed_safi;        /* announce { ipv4 { unicast ... } }: label / rd are not allowed */
	bool has_path_id;
	bool withdraw;          /* the "withdraw" pseudo-attribute */
	uint32_t path_id;
	uint8_t split;          /* 0 = none */
	uint8_t nlabels;
	bool has_rd;
	uint32_t labels[RG_MAX_LABELS];
	uint8_t rd[8];
	struct rg_pos where;    /* the prefix (the vpls keyword for VPLS) */
	struct rg_pos label_at, rd_at;
	uint8_t kind;           /* enum rg_kind */
	uint8_t vpls_set;       /* enum rg_vpls_field: the VPLS values given */
	uint16_t endpoint, offset, size;
	uint32_t base;          /* label base, 20 bits */
	char name[128];         /* "name" pseudo-attribute, "" = none */
	char watchdog[128];     /* "watchdog" pseudo-attribute, "" = none */
};

struct rg_memo;

struct rg_ctx {
	struct attr_pool *pool;
	struct arena *arena;         /* NULL: routes are malloc'd */
	struct attr_builder b;       /* the attributes of the route being parsed */
	struct attr_builder last_b;  /* the content of last_set */
	struct attrset *last_set;    /* one reference held by the cache */
	struct wbuf tmp;             /* scratch for building values */
	bool merge_ext;              /* block form: extended communities given twice merge */
	bool withdraw_cmd;           /* API withdraw: no next-hop needed */
	struct rg_pos *fam_first;    /* optional [FAM_COUNT]: where each family was first used */
	struct rg_error err;
	/* command mode */
	char *buf;
	size_t bufcap;
	struct tokvec toks;
	bool lex_normal;             /* the last command text was in normal form (lex_simple) */
	struct rg_memo *memo;        /* the attributes of recent "announce route" texts */
	uint64_t *memo_hash;         /* their hashes */
	unsigned memo_next;          /* the memo slot replaced next */
	struct rg_memo *memo_hit;    /* the memo entry the route being finished came from */
};

void rg_init(struct rg_ctx *g, struct attr_pool *pool, struct arena *arena);
void rg_free(struct rg_ctx *g);

/* ---- configuration entry points: the tokens of one statement, without
 * the leading keyword and without the terminating ';' or '{'.  On error
 * they return -1, g->err is set, and nothing was appended to out. */

/* static: "route" P attrs... */
int rg_parse_route(struct rg_ctx *g, const struct token *t, int n, struct route_list *out);
/* static: "attributes" attrs... nlri P P ... */
int rg_parse_attributes(struct rg_ctx *g, const struct token *t, int n, struct route_list *out);
/* announce { ipv4|ipv6 { SAFI P attrs...; } }: afi is the section, safi_word
 * the statement's first word (unicast, multicast, nlri-mpls, mpls-vpn, ...). */
int rg_parse_announce(struct rg_ctx *g, uint16_t afi, const struct token *safi_word, const struct token *t, int n,
		      struct route_list *out);

/* static: the block form "route P { ... }" */
int rg_block_begin(struct rg_ctx *g, struct rg_route *r, const struct token *t, int n);
int rg_block_statement(struct rg_ctx *g, struct rg_route *r, const struct token *t, int n);
/* (also ends a VPLS block) */
int rg_block_end(struct rg_ctx *g, struct rg_route *r, struct route_list *out);

/* l2vpn { vpls WORDS; } and announce { l2vpn { vpls WORDS; } }: t/n are the
 * words after the keyword vpls_kw.  Every one of endpoint, base, offset,
 * size, rd and next-hop is required (not next-hop for an API withdraw). */
int rg_parse_vpls(struct rg_ctx *g, const struct token *vpls_kw, const struct token *t, int n,
		  struct route_list *out);
/* l2vpn { vpls [NAME] { WORD VALUE; ... } }: t/n are the words between
 * vpls_kw and '{' (the optional name, which is not used).  The statements
 * go through rg_block_statement, the end through rg_block_end. */
int rg_vpls_block_begin(struct rg_ctx *g, struct rg_route *r, const struct token *vpls_kw, const struct token *t,
			int n);

/* ---- API entry point.
 *
 * text is what follows the command words:
 *   RG_CMD_ROUTE:      "announce route" / "withdraw route" ->  "P attrs..." or "P { attr; ... }"
 *   RG_CMD_ATTRIBUTES: "announce attributes" / "withdraw attributes" -> "attrs... nlri P P ..."
 *   RG_CMD_VPLS:       "announce vpls" / "withdraw vpls" -> "endpoint N base N ... rd R next-hop IP attrs..."
 *   RG_CMD_IPV4, RG_CMD_IPV6: "announce ipv4" / "withdraw ipv6" ... -> "SAFI P attrs..." with SAFI
 *                      unicast, multicast, nlri-mpls or mpls-vpn (as in announce { ipv4 { } })
 * withdraw: the routes are being withdrawn (no next-hop is required).
 * Routes are appended to out (allocated in g->arena, or malloc'd when it is
 * NULL: release them with rg_route_release).  Returns the number of routes
 * appended, or -1 with g->err set (col = column in text, line = 1). */
enum rg_command { RG_CMD_ROUTE, RG_CMD_ATTRIBUTES, RG_CMD_VPLS, RG_CMD_IPV4, RG_CMD_IPV6 };
int route_grammar_parse_command(struct rg_ctx *g, enum rg_command form, bool withdraw, const char *text,
				struct route_list *out);

/* The same, for text taken from a command line that was not normalised
 * (see api_normalise): the text is what follows the single blank after the
 * command words.  When the text is in normal form (normalising the line
 * would not change it) it is parsed as route_grammar_parse_command does;
 * otherwise nothing is parsed and RG_NOT_NORMAL is returned, and the caller
 * parses the normalised text instead.  Only RG_CMD_ROUTE is taken this way
 * (RG_NOT_NORMAL for the other forms).  Checking the form costs nothing:
 * the tokeniser sees every blank and punctuation character anyway. */
#define RG_NOT_NORMAL (-2)
int route_grammar_parse_normal(struct rg_ctx *g, enum rg_command form, bool withdraw, const char *text,
			       struct route_list *out);

/* Drops the route's attribute reference and, for malloc'd routes (ctx
 * arena NULL), frees it. */
void rg_route_release(struct rg_ctx *g, struct route *r);

/* The keyword table, for documentation and tests: NULL-terminated names. */
extern const char *const rg_keyword_names[];

#endif
