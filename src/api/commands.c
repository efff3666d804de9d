/* The helper commands: one table entry each (see command_int.h), with the
 * parser of its arguments and its handler.  ExaBGP 4.2's commands are
 * registered in reactor/api/command/; their names, help and peer choice
 * follow it.  A new command is an enum line (command.h), an entry here and
 * its handler here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/command_int.h"
#include "core/log.h"

#include "core/version.h"

/* ---- argument parsers ---------------------------------------------------------- */

/* Route, flow, vpls, operational: the text for the grammar. */
static int parse_text(struct api_command *c, struct words *ws, const char *spelling)
{
	(void)spelling;
	c->text = cmd_rest(ws);
	return 0;
}

static int parse_watchdog(struct api_command *c, struct words *ws, const char *spelling)
{
	(void)spelling;
	const char *name;
	size_t n;
	if (cmd_word(ws, &name, &n)) {
		((char *)name)[n] = '\0'; /* the last word we use: terminate it */
		c->watchdog = name;
	}
	return 0;
}

static int parse_eor(struct api_command *c, struct words *ws, const char *spelling)
{
	(void)spelling;
	return cmd_parse_family(c, ws, true);
}

static int parse_refresh(struct api_command *c, struct words *ws, const char *spelling)
{
	(void)spelling;
	return cmd_parse_family(c, ws, false);
}

static int parse_teardown(struct api_command *c, struct words *ws, const char *spelling)
{
	(void)spelling;
	const char *v;
	size_t n;
	uint32_t code;
	if (!cmd_word(ws, &v, &n) || !cmd_parse_u32(v, n, &code) || code > 255)
		return cmd_fail(c, "teardown needs a cease subcode (0-255)%.*s", "", 0);
	c->cease_subcode = (uint8_t)code;
	return 0;
}

/* show neighbor [summary|extensive|configuration] [IP] */
static int parse_show_neighbor(struct api_command *c, struct words *ws, const char *spelling)
{
	(void)spelling;
	const char *w;
	size_t n;
	while (cmd_word(ws, &w, &n)) {
		if (cmd_is(w, n, "summary"))
			c->show = API_SHOW_SUMMARY;
		else if (cmd_is(w, n, "extensive"))
			c->show = c->show == API_SHOW_SUMMARY ? c->show : API_SHOW_EXTENSIVE;
		else if (cmd_is(w, n, "configuration"))
			c->show = c->show ? c->show : API_SHOW_CONFIGURATION;
		else {
			((char *)w)[n] = '\0';
			c->filter = w;
		}
	}
	return 0;
}

/* show adj-rib in|out [extensive] [inet|flow|l2vpn] [IP]; "adj-rib-in"
 * and "adj-rib-out" are taken too. */
static int parse_show_adj_rib(struct api_command *c, struct words *ws, const char *spelling)
{
	const char *w;
	size_t n;
	if (!strcmp(spelling, "show adj-rib")) {
		if (!cmd_word(ws, &w, &n) || !(cmd_is(w, n, "in") || cmd_is(w, n, "out")))
			return cmd_fail(c, "show adj-rib in or out?%.*s", "", 0);
		c->rib_in = cmd_is(w, n, "in");
	} else {
		c->rib_in = !strcmp(spelling, "show adj-rib-in");
	}
	while (cmd_word(ws, &w, &n)) {
		if (cmd_is(w, n, "extensive"))
			c->extensive = true;
		else if (cmd_is(w, n, "inet"))
			c->rib_filter = API_RIB_INET;
		else if (cmd_is(w, n, "flow"))
			c->rib_filter = API_RIB_FLOW;
		else if (cmd_is(w, n, "l2vpn"))
			c->rib_filter = API_RIB_L2VPN;
		else if (!cmd_is(w, n, "routes") && !cmd_is(w, n, "static")) {
			((char *)w)[n] = '\0';
			c->filter = w;
		}
	}
	return 0;
}

/* clear adj-rib [in|out]: out unless "in" is said */
static int parse_clear(struct api_command *c, struct words *ws, const char *spelling)
{
	const char *w;
	size_t n;
	c->rib_in = !strcmp(spelling, "clear adj-rib-in");
	if (cmd_word(ws, &w, &n))
		c->rib_in = c->rib_in || cmd_is(w, n, "in");
	return 0;
}

/* ---- handlers ------------------------------------------------------------------ */

static int run_comment(struct api *a, struct api_command *c, struct api_reply *r)
{
	(void)a;
	(void)r;
	log_debug(LOG_PROCESSES, "%s", c->text);
	return API_DONE;
}

static int run_eor(struct api *a, struct api_command *c, struct api_reply *r)
{
	size_t n = api_select_peers(a, c, r, API_PICK_ESTABLISHED);
	if (!n)
		return api_fail_no_neighbor(c, r);
	return a->ops->eor ? a->ops->eor(a->ctx, a->sel, n, c->afi, c->safi, r) : API_ERROR;
}

static int run_refresh(struct api *a, struct api_command *c, struct api_reply *r)
{
	size_t n = api_select_peers(a, c, r, API_PICK_ESTABLISHED);
	if (!n)
		return api_fail_no_neighbor(c, r);
	return a->ops->refresh ? a->ops->refresh(a->ctx, a->sel, n, c->afi, c->safi, r) : API_ERROR;
}

static int run_operational(struct api *a, struct api_command *c, struct api_reply *r)
{
	static const char *const known[] = {"asm", "adm", "rpcq", "rpcp", "apcq", "apcp", "lpcq", "lpcp"};
	bool ok = false;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t l = strlen(known[i]);
		if (!strncmp(c->text, known[i], l) && (c->text[l] == ' ' || !c->text[l]))
			ok = true;
	}
	if (!ok)
		return API_DONE; /* ExaBGP answers done and does nothing */
	size_t n = api_select_peers(a, c, r, API_PICK_SERVICE);
	if (!n)
		return api_fail_no_neighbor(c, r);
	return a->ops->operational ? a->ops->operational(a->ctx, a->sel, n, c->text, r) : API_ERROR;
}

static int run_watchdog(struct api *a, struct api_command *c, struct api_reply *r)
{
	if (!a->ops->watchdog)
		return API_ERROR;
	return a->ops->watchdog(a->ctx, c->watchdog[0] ? c->watchdog : api_service_name(r),
				!api_cmd_defs[c->kind].withdraw, r);
}

static int run_teardown(struct api *a, struct api_command *c, struct api_reply *r)
{
	/* ExaBGP tears down the established peers the selector names (none
	 * without a selector) and answers done */
	size_t n = c->sel.n ? api_select_peers(a, c, r, API_PICK_ESTABLISHED) : 0;
	return n && a->ops->teardown ? a->ops->teardown(a->ctx, a->sel, n, c->cease_subcode, r) : API_DONE;
}

static int run_show_neighbor(struct api *a, struct api_command *c, struct api_reply *r)
{
	return api_show_neighbor(a, c, r);
}

/* show adj-rib: the peers whose ExaBGP name contains "neighbor FILTER". */
static int run_show_adj_rib(struct api *a, struct api_command *c, struct api_reply *r)
{
	struct api_peer_ref *refs = NULL;
	size_t n = a->ops->peers ? a->ops->peers(a->ctx, &refs) : 0;
	char want[96], name[256];
	snprintf(want, sizeof(want), "neighbor %s", c->filter);
	a->nsel = 0;
	for (size_t i = 0; i < n; i++) {
		if (!refs[i].n)
			continue;
		if (c->filter[0]) {
			api_peer_name(name, sizeof(name), &refs[i].n->id);
			if (!strstr(name, want))
				continue;
		}
		if (!api_select_push(a, refs[i].peer))
			break;
	}
	if (!a->ops->show_adj_rib)
		return API_DONE;
	return a->ops->show_adj_rib(a->ctx, a->sel, a->nsel, c, r);
}

static int run_flush(struct api *a, struct api_command *c, struct api_reply *r)
{
	size_t n = api_select_peers(a, c, r, API_PICK_ESTABLISHED);
	if (!n)
		return api_fail_no_neighbor(c, r);
	return a->ops->flush_adj_rib_out ? a->ops->flush_adj_rib_out(a->ctx, a->sel, n, r) : API_ERROR;
}

static int run_clear(struct api *a, struct api_command *c, struct api_reply *r)
{
	size_t n = api_select_peers(a, c, r, API_PICK_ALL);
	if (!n)
		return api_fail_no_neighbor(c, r);
	return a->ops->clear_adj_rib ? a->ops->clear_adj_rib(a->ctx, a->sel, n, c->rib_in, r) : API_ERROR;
}

/* shutdown / reload / restart: "NAME in progress", done, then the host acts. */
static int run_control(struct api *a, struct api_command *c, struct api_reply *r)
{
	api_reply_printf(r, "%s in progress", c->name);
	api_reply_finish(r, true);
	if (a->ops->control)
		a->ops->control(a->ctx, c->kind);
	return API_REPLIED;
}

static int run_version(struct api *a, struct api_command *c, struct api_reply *r)
{
	(void)a;
	(void)c;
	api_reply_line(r, VERSION_REPLY);
	return API_DONE;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* ExaBGP's list, from the table: sorted, the commands that take a
 * selector prefixed with it, the others followed by their options. */
static int run_help(struct api *a, struct api_command *c, struct api_reply *r)
{
	(void)a;
	(void)c;
	char lines[API_CMD_COUNT * 3][128];
	const char *sorted[API_CMD_COUNT * 3];
	size_t n = 0;
	for (int k = API_CMD_NONE + 1; k < API_CMD_COUNT; k++) {
		const struct api_cmd_def *d = &api_cmd_defs[k];
		for (size_t i = 0; !d->unlisted && i < sizeof(d->help) / sizeof(d->help[0]); i++) {
			const char *name = d->help[i] ? d->help[i] : i == 0 ? d->name : NULL;
			if (!name)
				break;
			if (d->selector)
				snprintf(lines[n], sizeof(lines[n]), "[neighbor <ip> [filters]] %s", name);
			else if (d->options)
				snprintf(lines[n], sizeof(lines[n]), "%s [ %s ] ", name, d->options);
			else
				snprintf(lines[n], sizeof(lines[n]), "%s ", name);
			sorted[n] = lines[n];
			n++;
		}
	}
	qsort(sorted, n, sizeof(sorted[0]), by_text);
	api_reply_line(r, "");
	api_reply_line(r, "available API commands are listed here:");
	api_reply_line(r, "=======================================");
	api_reply_line(r, "");
	api_reply_line(r, "filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]");
	api_reply_line(r, "");
	api_reply_line(r, "command are:");
	api_reply_line(r, "------------");
	api_reply_line(r, "");
	for (size_t i = 0; i < n; i++)
		api_reply_line(r, sorted[i]);
	api_reply_line(r, "");
	return API_DONE;
}

/* ExaBGP clears the commands still queued and answers nothing. */
static int run_reset(struct api *a, struct api_command *c, struct api_reply *r)
{
	(void)a;
	(void)c;
	r->state = API_REPLY_FINISHED;
	if (r->heap)
		free(r);
	return API_REPLIED;
}

static int run_ack_control(struct api *a, struct api_command *c, struct api_reply *r)
{
	(void)a;
	api_reply_ack_control(r, c->kind == API_CMD_ENABLE_ACK    ? API_ACK_ENABLE
				 : c->kind == API_CMD_DISABLE_ACK ? API_ACK_DISABLE
								  : API_ACK_SILENCE);
	return API_DONE;
}

/* ---- the table ----------------------------------------------------------------- */

#define ROUTES(k_, name_, form_, withdraw_, pair_)                                                          \
	[k_] = {.name = name_, .parse = parse_text, .run = api_run_routes, .selector = true,               \
		.withdraw = withdraw_, .pair = pair_, .route_form = form_}

const struct api_cmd_def api_cmd_defs[API_CMD_COUNT] = {
	[API_CMD_COMMENT] = {.name = "#", .run = run_comment},
	ROUTES(API_CMD_ANNOUNCE_ROUTE, "announce route", RG_CMD_ROUTE, false, API_CMD_WITHDRAW_ROUTE),
	ROUTES(API_CMD_WITHDRAW_ROUTE, "withdraw route", RG_CMD_ROUTE, true, API_CMD_ANNOUNCE_ROUTE),
	[API_CMD_ANNOUNCE_ATTRIBUTES] = {.name = "announce attributes",
					 .words = {"announce attributes", "announce attribute"},
					 .parse = parse_text,
					 .run = api_run_routes,
					 .help = {"announce attribute", "announce attributes"},
					 .selector = true,
					 .pair = API_CMD_WITHDRAW_ATTRIBUTES,
					 .route_form = RG_CMD_ATTRIBUTES},
	ROUTES(API_CMD_WITHDRAW_ATTRIBUTES, "withdraw attributes", RG_CMD_ATTRIBUTES, true,
	       API_CMD_ANNOUNCE_ATTRIBUTES),
	ROUTES(API_CMD_ANNOUNCE_FLOW, "announce flow", CMD_FORM_FLOW, false, API_CMD_WITHDRAW_FLOW),
	ROUTES(API_CMD_WITHDRAW_FLOW, "withdraw flow", CMD_FORM_FLOW, true, API_CMD_ANNOUNCE_FLOW),
	ROUTES(API_CMD_ANNOUNCE_VPLS, "announce vpls", RG_CMD_VPLS, false, API_CMD_WITHDRAW_VPLS),
	ROUTES(API_CMD_WITHDRAW_VPLS, "withdraw vpls", RG_CMD_VPLS, true, API_CMD_ANNOUNCE_VPLS),
	/* ExaBGP 5.0's "announce ipv4 SAFI ...": not in 4.2's help */
	[API_CMD_ANNOUNCE_IPV4] = {.name = "announce ipv4", .parse = parse_text, .run = api_run_routes,
				   .unlisted = true, .selector = true, .pair = API_CMD_WITHDRAW_IPV4,
				   .route_form = RG_CMD_IPV4},
	[API_CMD_WITHDRAW_IPV4] = {.name = "withdraw ipv4", .parse = parse_text, .run = api_run_routes,
				   .unlisted = true, .selector = true, .withdraw = true,
				   .pair = API_CMD_ANNOUNCE_IPV4, .route_form = RG_CMD_IPV4},
	[API_CMD_ANNOUNCE_IPV6] = {.name = "announce ipv6", .parse = parse_text, .run = api_run_routes,
				   .unlisted = true, .selector = true, .pair = API_CMD_WITHDRAW_IPV6,
				   .route_form = RG_CMD_IPV6},
	[API_CMD_WITHDRAW_IPV6] = {.name = "withdraw ipv6", .parse = parse_text, .run = api_run_routes,
				   .unlisted = true, .selector = true, .withdraw = true,
				   .pair = API_CMD_ANNOUNCE_IPV6, .route_form = RG_CMD_IPV6},
	[API_CMD_ANNOUNCE_EOR] = {.name = "announce eor", .parse = parse_eor, .run = run_eor, .selector = true},
	[API_CMD_ANNOUNCE_REFRESH] = {.name = "announce route-refresh", .parse = parse_refresh, .run = run_refresh,
				      .selector = true},
	[API_CMD_ANNOUNCE_OPERATIONAL] = {.name = "announce operational", .parse = parse_text,
					  .run = run_operational, .selector = true},
	[API_CMD_ANNOUNCE_WATCHDOG] = {.name = "announce watchdog", .parse = parse_watchdog, .run = run_watchdog,
				       .selector = true, .pair = API_CMD_WITHDRAW_WATCHDOG},
	[API_CMD_WITHDRAW_WATCHDOG] = {.name = "withdraw watchdog", .parse = parse_watchdog, .run = run_watchdog,
				       .selector = true, .withdraw = true, .pair = API_CMD_ANNOUNCE_WATCHDOG},
	[API_CMD_TEARDOWN] = {.name = "teardown", .parse = parse_teardown, .run = run_teardown, .selector = true},
	[API_CMD_SHOW_NEIGHBOR] = {.name = "show neighbor",
				   .words = {"show neighbor", "show neighbors"},
				   .parse = parse_show_neighbor,
				   .run = run_show_neighbor,
				   .options = "summary | extensive | configuration"},
	[API_CMD_SHOW_ADJ_RIB] = {.name = "show adj-rib",
				  .words = {"show adj-rib", "show adj-rib-in", "show adj-rib-out"},
				  .parse = parse_show_adj_rib,
				  .run = run_show_adj_rib,
				  .help = {"show adj-rib in", "show adj-rib out"},
				  .options = "extensive"},
	[API_CMD_FLUSH_ADJ_RIB_OUT] = {.name = "flush adj-rib out", .words = {"flush adj-rib out", "flush adj-rib-out"},
				       .run = run_flush, .selector = true},
	[API_CMD_CLEAR_ADJ_RIB] = {.name = "clear adj-rib",
				   .words = {"clear adj-rib", "clear adj-rib-in", "clear adj-rib-out"},
				   .parse = parse_clear,
				   .run = run_clear,
				   .selector = true},
	[API_CMD_SHUTDOWN] = {.name = "shutdown", .run = run_control},
	[API_CMD_RELOAD] = {.name = "reload", .run = run_control},
	[API_CMD_RESTART] = {.name = "restart", .run = run_control},
	[API_CMD_VERSION] = {.name = "version", .run = run_version},
	[API_CMD_HELP] = {.name = "help", .run = run_help},
	[API_CMD_RESET] = {.name = "reset", .run = run_reset},
	/* ExaBGP 5.0's ack control: not in 4.2's help */
	[API_CMD_ENABLE_ACK] = {.name = "enable-ack", .run = run_ack_control, .unlisted = true},
	[API_CMD_DISABLE_ACK] = {.name = "disable-ack", .run = run_ack_control, .unlisted = true},
	[API_CMD_SILENCE_ACK] = {.name = "silence-ack", .run = run_ack_control, .unlisted = true},
};
