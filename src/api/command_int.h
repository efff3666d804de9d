/* Inside the helper command parser: the table of commands (commands.c)
 * and the word reader its argument parsers share with command.c.
 *
 * One entry per command kind holds everything about it: the words that
 * name it (with the spellings ExaBGP also accepts), the parser of what
 * follows them, the handler that runs it, its help line, whether it takes
 * a neighbor selector, its announce/withdraw twin.  The parser recognises
 * commands by the table, api_dispatch() runs the handler, "help" prints
 * the table. */
#ifndef FASTBGP_API_COMMAND_INT_H
#define FASTBGP_API_COMMAND_INT_H

#include "api/command.h"

struct api;
struct api_reply;

/* The words of a normalised line. */
struct words {
	char *p; /* next word starts here */
};

/* Next word as (w, n); false at the end.  The line is not modified. */
bool cmd_word(struct words *ws, const char **w, size_t *n);
/* The same without taking it. */
bool cmd_peek(struct words *ws, const char **w, size_t *n);
/* The word (w, n) is s. */
bool cmd_is(const char *w, size_t n, const char *s);
/* The rest of the line after the words taken, "" at the end. */
const char *cmd_rest(struct words *ws);
/* Sets c->err from fmt (which has one %.*s for (w, n)); returns -1. */
int cmd_fail(struct api_command *c, const char *fmt, const char *w, size_t n);
/* A decimal 32-bit number. */
bool cmd_parse_u32(const char *w, size_t n, uint32_t *v);
/* "AFI SAFI" to the end of the line into c->afi, c->safi; optional: none
 * given means ipv4 unicast (c->has_family false). */
int cmd_parse_family(struct api_command *c, struct words *ws, bool optional);

/* The route grammar form of route commands without one (flow). */
#define CMD_FORM_FLOW (-1)

struct api_cmd_def {
	const char *name;           /* ExaBGP's name: "announce route" (c->name) */
	const char *words[4];       /* the spellings the parser takes, NULL ends; none: the name */
	/* What follows the words (NULL: nothing is read, the rest is
	 * ignored).  spelling is the one the line used.  0 or cmd_fail(). */
	int (*parse)(struct api_command *c, struct words *ws, const char *spelling);
	/* Runs it: API_DONE / API_ERROR / API_PENDING, or API_REPLIED when
	 * the handler finished the reply itself (r may be gone then). */
	int (*run)(struct api *a, struct api_command *c, struct api_reply *r);
	const char *help[3];        /* the names "help" lists, NULL ends; none: the name */
	const char *options;        /* help: "summary | extensive" after the name, or NULL */
	bool unlisted;              /* not in ExaBGP 4.2's help (5.0 commands) */
	bool selector;              /* help prefixes "[neighbor <ip> [filters]]" */
	bool withdraw;              /* the withdraw side of an announce/withdraw pair */
	enum api_cmd_kind pair;     /* that pair's other side, API_CMD_NONE when none */
	int route_form;             /* route commands: enum rg_command, or CMD_FORM_FLOW */
};

/* Indexed by kind; API_CMD_NONE's entry is empty. */
extern const struct api_cmd_def api_cmd_defs[API_CMD_COUNT];

#endif
