/* FlowSpec routes in the configuration and the API (RFC 8955 / 8956).
 *
 *   flow { route NAME { rd 65535:65536; next-hop 1.2.3.4;
 *                       match { source 10.0.0.1/32; destination-port [ =80 >8080&<8088 ]; ... }
 *                       then  { discard; rate-limit 9600; redirect 65500:12345; community [ ... ]; ... }
 *                       scope { interface-set transitive:input:1234:1234; } }
 *          route source 10.0.0.1/32 protocol tcp discard; }          # one-line form
 *   announce { ipv4 { flow source 10.0.0.1/32 rate-limit 9600; } }   # also ipv6, flow-vpn
 *
 * A route distinguisher makes the route flow-vpn (SAFI 134); an IPv6 prefix
 * makes it IPv6 (outside an announce section).  The match words are
 * encoded by nlri/flowspec.c, the actions by nlri/flowspec_action.c; the
 * community, large-community and extended-community values go through the
 * route grammar.  Extended communities from several actions and
 * extended-community statements are merged in the order written, as ExaBGP
 * does; other attributes keep their first value. */
#ifndef FASTBGP_CONFIG_PARSER_FLOW_H
#define FASTBGP_CONFIG_PARSER_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "config/lexer.h"
#include "config/route_grammar.h"

struct parser;
struct draft;

/* The neighbor's "flow" section, after its '{': routes go to d->routes. */
int parse_flow(struct parser *p, struct draft *d);

/* announce { ipv4|ipv6 { flow|flow-vpn WORDS; } }: t are the words after
 * safi_word.  Returns 0, or -1 with g->err set. */
int flow_parse_announce(struct rg_ctx *g, uint16_t afi, const struct token *safi_word, const struct token *t, int n,
			struct route_list *out);

/* The API's "announce flow route ..." / "withdraw flow route ...": text is
 * what follows "route", either the one-line form or
 * "{ match { ... } then { ... } }".  Routes are appended to out as with
 * route_grammar_parse_command (release them with rg_route_release).
 * Returns the number of routes added, or -1 with g->err set. */
int flow_parse_command(struct rg_ctx *g, bool withdraw, const char *text, struct route_list *out);

/* Is word a FlowSpec keyword (match, action, rd, next-hop, ...)? */
bool flow_is_keyword(const char *word);

#endif
