/* Internals shared by the configuration parser's files (parser*.c).  Not a
 * public interface: use parser.h. */
#ifndef FASTBGP_CONFIG_PARSER_INT_H
#define FASTBGP_CONFIG_PARSER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/lexer.h"
#include "config/model.h"
#include "config/route_grammar.h"

/* Every neighbor setting a template can provide, one bit each. */
enum nb_opt {
	OPT_DESCRIPTION,
	OPT_ROUTER_ID,
	OPT_LOCAL_ADDRESS,
	OPT_PEER_ADDRESS,
	OPT_LOCAL_AS,
	OPT_PEER_AS,
	OPT_HOLD_TIME,
	OPT_PASSIVE,
	OPT_LISTEN,
	OPT_CONNECT,
	OPT_MD5_PASSWORD,
	OPT_MD5_BASE64,
	OPT_MD5_IP,
	OPT_OUTGOING_TTL,
	OPT_INCOMING_TTL,
	OPT_GROUP_UPDATES,
	OPT_AUTO_FLUSH,
	OPT_ADJ_RIB_OUT,
	OPT_ADJ_RIB_IN,
	OPT_MANUAL_EOR,
	OPT_HOST_NAME,
	OPT_DOMAIN_NAME,
	OPT_RATE_LIMIT,
	OPT_ENFORCE_FIRST_AS,
	OPT_MAXIMUM_PREFIX,
	OPT_CAP_ASN4,
	OPT_CAP_ROUTE_REFRESH,
	OPT_CAP_GRACEFUL_RESTART,
	OPT_CAP_ADD_PATH,
	OPT_CAP_MULTI_SESSION,
	OPT_CAP_OPERATIONAL,
	OPT_CAP_AIGP,
	OPT_CAP_EXTENDED_MESSAGE,
	OPT_CAP_NEXTHOP,
	OPT_CAP_SOFTWARE_VERSION,
	OPT_CAP_LINK_LOCAL_NEXTHOP,
	OPT_CAP_LINK_LOCAL_PREFER,
	OPT_LOCAL_LINK_LOCAL,
	OPT_TCP_AO_KEYID,
	OPT_TCP_AO_ALGORITHM,
	OPT_TCP_AO_PASSWORD,
	OPT_TCP_AO_BASE64,
	OPT_COUNT
};

/* graceful-restart given without a time (or 0): the hold-time is used. */
#define GR_FROM_HOLD_TIME (-2)

/* A neighbor or template while it is being parsed. */
struct draft {
	struct neighbor_conf nc;      /* values; only the options in set are meaningful */
	uint64_t set;                 /* bit (1 << enum nb_opt) */
	struct rg_pos at[OPT_COUNT];  /* where each option was given */
	struct rg_pos where;          /* the "neighbor" keyword */
	bool is_template;
	bool has_family;
	family_mask families;
	bool has_addpath;
	family_mask addpath;
	struct rg_pos tcp_ao_at;      /* the tcp-ao block (line 0: none) */
	uint16_t paths_limit[FAM_COUNT]; /* "limit N" in the add-path block */
	uint8_t paths_limit_seq[FAM_COUNT];
	bool has_nexthop_block;
	struct nexthop_conf *nh;
	int nnh, capnh;
	struct api_conf *apis;
	int napis, capapis;
	struct route_list routes;     /* each entry holds one attrset reference */
	struct rg_pos fam_first[FAM_COUNT];
	struct draft **inherits;      /* templates, in "inherit" order */
	int ninherits, capinherits;
};

struct proc_ref {
	const char *name;
	struct rg_pos at;
};

struct parser {
	struct config *c;
	const char *file;   /* arena copy of the file name */
	const char *dir;    /* the configuration file's directory ("" = current) */
	struct lexer lx;
	struct tokvec st;   /* the words of the current statement */
	struct token end;   /* what ended it: ; { } or end of file */
	struct rg_ctx rg;
	char *err;
	size_t errlen;
	struct draft **templates;
	int ntemplates, captemplates;
	struct proc_ref *refs;
	int nrefs, caprefs;
	int capneighbors, capprocesses;
	uint32_t *nbindex;  /* neighbors by peer address (parser.c) */
	size_t nbindex_cap;
};

/* Formats "file:line:col: message" into p->err; always returns -1. */
int perr(struct parser *p, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int perr_tok(struct parser *p, const struct token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reports the route grammar's error (positions missing from it point at t). */
int perr_rg(struct parser *p, const struct token *t);

/* Reads the next statement into p->st / p->end.  Returns the type of p->end
 * (TOK_SEMI, TOK_LBRACE, TOK_RBRACE or TOK_EOF), or -1 on error. */
int read_stmt(struct parser *p);

/* Helpers for option values.  w are the words after the keyword kw. */
const struct token *one_value(struct parser *p, const struct token *kw, const struct token *w, int n);
/* A boolean with an optional value; bare = dflt.  Returns 0/1, or -1. */
int bool_value(struct parser *p, const struct token *kw, const struct token *w, int n, bool dflt);
char *pstrdup(struct parser *p, const char *s);

/* neighbor_options.c: the table of neighbor options */
enum nb_section {
	NB_NEIGHBOR = 0, /* a statement of the neighbor (or template) */
	NB_CAPABILITY,   /* a statement of its capability { } */
	NB_TCP_AO,       /* a statement of its tcp-ao { } */
	NB_BLOCK,        /* a block parsed elsewhere, only compared and dumped here */
};
struct nb_option;
/* What every option parser gets: the keyword, the n words after it, its entry. */
#define OPT_ARGS                                                                                             \
	struct parser *p, struct draft *d, const struct token *kw, const struct token *w, int n,              \
		const struct nb_option *o
/* Where a value is stored in struct neighbor_conf. */
struct nb_field {
	uint16_t off, size; /* size 0: no field */
	bool string;        /* a const char * compared by its text */
};
struct nb_option {
	const char *name;           /* the keyword */
	enum nb_section section;
	int opt;                    /* enum nb_opt (set by a template), -1 for none */
	int (*parse)(OPT_ARGS);     /* 0, or -1 with the error set */
	struct nb_field field[2];   /* the value (a second field: its auto flag, prefix length, ...) */
	int64_t dflt;               /* field[0]'s default (0 otherwise) */
	bool bare;                  /* a boolean written without a value */
	bool restart;               /* a change on reload restarts the session */
	bool optional;              /* dump: no line when the string is not set */
	/* compares a and b when fields do not say it all */
	bool (*same)(const struct neighbor_conf *a, const struct neighbor_conf *b);
	/* dump: the value after "  NAME" (" capability NAME"), with its '\n' */
	void (*dump)(FILE *out, const struct neighbor_conf *n, const struct nb_option *o);
};
extern const struct nb_option nb_options[];
extern const size_t nb_options_count;
/* A neighbor option / a capability { } statement (the statement is p->st). */
int neighbor_option(struct parser *p, struct draft *d);
int capability_option(struct parser *p, struct draft *d);
int tcp_ao_option(struct parser *p, struct draft *d);
/* Every default. */
void nb_defaults(struct neighbor_conf *nc);
/* Copies option opt (enum nb_opt) from src. */
void nb_copy(struct neighbor_conf *dst, const struct neighbor_conf *src, int opt);
/* The option has the same value in a and b. */
bool nb_option_same(const struct nb_option *o, const struct neighbor_conf *a, const struct neighbor_conf *b);
/* The dump's option lines (dump.c writes the rest). */
void nb_dump(FILE *out, const struct neighbor_conf *n);
void config_dump_string(FILE *out, const char *s);

/* parser_neighbor.c */
int neighbor_section(struct parser *p, struct draft *d);
int draft_push_api(struct parser *p, struct draft *d, const struct api_conf *a);
/* "AFI SAFI limit N" of the add-path block: the family's limit, written after the others. */
void draft_set_paths_limit(struct draft *d, int fam, uint16_t limit);
int draft_push_nexthop(struct draft *d, const struct nexthop_conf *nh);

/* parser_routes.c */
int parse_static(struct parser *p, struct draft *d);
int parse_announce(struct parser *p, struct draft *d);
int parse_l2vpn(struct parser *p, struct draft *d);
int parse_unsupported(struct parser *p, const char *what);

#endif
