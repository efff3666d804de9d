/* One helper command line, parsed into a struct (no side effect).
 *
 * A line is first normalised as ExaBGP 4.2 does (configuration/core/
 * format.py formated()): blanks trimmed, tabs made spaces, "[" "]" "(" ")"
 * and "," given spaces around them, runs of spaces collapsed.  Then:
 *
 *   [SELECTOR] COMMAND ...
 *   SELECTOR := neighbor IP [local-ip IP] [local-as N] [peer-as N]
 *               [router-id ID] [family-allowed F] [, neighbor ...]...
 *
 * IP may be "*" (any peer address).  The command is recognised by its
 * leading words, from the command table (command_int.h, commands.c;
 * ExaBGP looks for the command's name anywhere in the line; the result is
 * the same for well-formed commands).  What follows the
 * command words is kept as text for the route grammar (announce route,
 * attributes, flow, vpls) or parsed here (eor, route-refresh, teardown,
 * show ..., watchdog).  Selector matching against a peer is
 * api_selector_match(). */
#ifndef FASTBGP_API_COMMAND_H
#define FASTBGP_API_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/model.h"

enum api_cmd_kind {
	API_CMD_NONE = 0,            /* empty or unknown: the reply is "error" */
	API_CMD_COMMENT,             /* # ... */
	API_CMD_ANNOUNCE_ROUTE,      /* announce route P attrs... */
	API_CMD_WITHDRAW_ROUTE,
	API_CMD_ANNOUNCE_ATTRIBUTES, /* announce attribute(s) attrs... nlri P... */
	API_CMD_WITHDRAW_ATTRIBUTES,
	API_CMD_ANNOUNCE_FLOW,       /* announce flow route ... (text for the flow grammar) */
	API_CMD_WITHDRAW_FLOW,
	API_CMD_ANNOUNCE_VPLS,       /* announce vpls ... */
	API_CMD_WITHDRAW_VPLS,
	API_CMD_ANNOUNCE_IPV4,       /* 5.0: announce ipv4 SAFI P attrs... */
	API_CMD_WITHDRAW_IPV4,
	API_CMD_ANNOUNCE_IPV6,
	API_CMD_WITHDRAW_IPV6,
	API_CMD_ANNOUNCE_EOR,        /* announce eor [AFI SAFI] */
	API_CMD_ANNOUNCE_REFRESH,    /* announce route-refresh AFI SAFI */
	API_CMD_ANNOUNCE_OPERATIONAL, /* announce operational ... (text) */
	API_CMD_ANNOUNCE_WATCHDOG,   /* announce watchdog [NAME] */
	API_CMD_WITHDRAW_WATCHDOG,
	API_CMD_TEARDOWN,            /* teardown N */
	API_CMD_SHOW_NEIGHBOR,       /* show neighbor [summary|extensive|configuration] [IP] */
	API_CMD_SHOW_ADJ_RIB,        /* show adj-rib in|out [extensive] [inet|flow|l2vpn] [IP] */
	API_CMD_FLUSH_ADJ_RIB_OUT,   /* flush adj-rib out */
	API_CMD_CLEAR_ADJ_RIB,       /* clear adj-rib in|out */
	API_CMD_SHUTDOWN,
	API_CMD_RELOAD,
	API_CMD_RESTART,
	API_CMD_VERSION,
	API_CMD_HELP,
	API_CMD_RESET,
	API_CMD_ENABLE_ACK,          /* ExaBGP 5.0: enable-ack, disable-ack, silence-ack */
	API_CMD_DISABLE_ACK,
	API_CMD_SILENCE_ACK,
	API_CMD_COUNT
};

enum api_show_kind { API_SHOW_NONE = 0, API_SHOW_SUMMARY, API_SHOW_EXTENSIVE, API_SHOW_CONFIGURATION };
/* show adj-rib filters on the kind of route */
enum api_rib_filter { API_RIB_ALL = 0, API_RIB_INET, API_RIB_FLOW, API_RIB_L2VPN };

/* One "neighbor ... [filters]" clause of a selector. */
struct api_sel_clause {
	bool has_peer;            /* "neighbor X" given */
	bool any_peer;            /* "neighbor *" */
	bool has_local_ip, has_local_as, has_peer_as, has_router_id;
	bool conflict;            /* a key given twice with different values: matches nothing */
	struct ip_addr peer, local_ip;
	uint32_t local_as, peer_as;
	uint32_t router_id;       /* host order */
	char peer_text[64];       /* as written (when it is not an address) */
	char family_allowed[64];  /* "" = not given */
};

struct api_selector {
	struct api_sel_clause *v;
	size_t n, cap;
};

/* What the selector is matched against: one peer, as ExaBGP's
 * "neighbor IP local-ip IP local-as N peer-as N router-id ID
 * family-allowed F" name describes it. */
struct api_peer_id {
	struct ip_addr peer, local;   /* local afi 0 = unknown (auto) */
	uint32_t local_as, peer_as;   /* 0 = unknown (auto) */
	uint32_t router_id;           /* host order */
	const char *family_allowed;   /* "in-open", or "ipv4-unicast/ipv6-unicast" with multi-session */
};

struct api_command {
	enum api_cmd_kind kind;
	struct api_selector sel;  /* n == 0: no selector given */
	const char *text;         /* after the command words (route text, operational text, ...), "" if none */
	const char *name;         /* the command as ExaBGP names it: "announce route", "show neighbor", ... */
	/* announce eor / route-refresh */
	bool has_family;          /* eor: false means ipv4 unicast */
	uint16_t afi;
	uint8_t safi;
	/* teardown */
	uint8_t cease_subcode;
	/* show neighbor / show adj-rib / clear adj-rib */
	enum api_show_kind show;
	bool rib_in;              /* adj-rib in (else out) */
	bool extensive;
	enum api_rib_filter rib_filter;
	const char *filter;       /* show: the peer address written, "" if none */
	/* watchdog */
	const char *watchdog;     /* "" = the process name applies */
	/* "announce route ..." / "withdraw route ..." written exactly so (one
	 * blank after each command word, at the start of the line) are taken
	 * without normalising the line: text is then the line's text after the
	 * command words, which may not be in normal form.  The route grammar
	 * checks that while tokenising (route_grammar_parse_normal); when it
	 * is not, api_command_normalise() parses the line the usual way. */
	bool raw;
	/* storage */
	char *buf;
	size_t cap;
	char *line;               /* raw: the line */
	size_t line_len, line_cap;
	char err[160];            /* why kind is API_CMD_NONE */
};

void api_command_init(struct api_command *c);
void api_command_free(struct api_command *c);

/* ExaBGP's formated(): the normalised copy of line into out (outlen >= 3 *
 * len + 1 always fits).  Returns its length. */
size_t api_normalise(const char *line, size_t len, char *out, size_t outlen);
/* The same, always rewriting character by character: api_normalise copies
 * text already in normal form instead (tests compare the two). */
size_t api_normalise_rewrite(const char *line, size_t len, char *out, size_t outlen);

/* Parses one line.  Returns 0 with c filled, or -1 (kind API_CMD_NONE,
 * c->err says why) for an empty, unknown or malformed command. */
int api_command_parse(struct api_command *c, const char *line, size_t len);

/* For a command parsed raw: parses its line again with normalisation (raw
 * is then false and text normalised).  Returns what api_command_parse
 * returns (0 for a raw command, which is always understood). */
int api_command_normalise(struct api_command *c);

/* True when the peer matches the selector (no clause: every peer). */
bool api_selector_match(const struct api_selector *s, const struct api_peer_id *p);

/* ExaBGP's peer name: "neighbor 127.0.0.1 local-ip 127.0.0.1 local-as 65533
 * peer-as 65533 router-id 10.0.0.2 family-allowed in-open" ("auto" for
 * unknown values).  Returns what snprintf returns. */
int api_peer_name(char *out, size_t outlen, const struct api_peer_id *p);

/* ExaBGP's name of a command kind ("announce route", ...), "" for none. */
const char *api_command_name(enum api_cmd_kind k);

#endif
