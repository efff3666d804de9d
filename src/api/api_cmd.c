/* Command dispatch: which peers a command applies to (ExaBGP 4.2's rules,
 * reactor/api/command/), the host op that does it, the reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/log.h"

#define EXABGP_VERSION_TEXT "exabgp 4.2.25"

/* ---- peer selection ---------------------------------------------------------- */

enum pick {
	PICK_SERVICE,     /* peers whose api blocks list the process (all for the CLI) */
	PICK_ESTABLISHED, /* established peers */
	PICK_ALL,         /* every peer */
};

static bool sel_push(struct api *a, void *peer)
{
	if (a->nsel == a->selcap) {
		size_t ncap = a->selcap ? a->selcap * 2 : 16;
		void **v = realloc(a->sel, ncap * sizeof(*v));
		if (!v)
			return false;
		a->sel = v;
		a->selcap = ncap;
	}
	a->sel[a->nsel++] = peer;
	return true;
}

static size_t select_peers(struct api *a, const struct api_command *c, const struct api_reply *r, enum pick how)
{
	a->nsel = 0;
	struct api_peer_ref *refs = NULL;
	size_t n = a->ops && a->ops->peers ? a->ops->peers(a->ctx, &refs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct api_peer_ref *p = &refs[i];
		if (!p->n)
			continue;
		if (how == PICK_SERVICE && r->proc >= 0 && !api_pset_has(&p->n->subs[API_SUB_PROCESSES], r->proc))
			continue;
		if (how == PICK_ESTABLISHED && !p->established)
			continue;
		if (!api_selector_match(&c->sel, &p->n->id))
			continue;
		if (!sel_push(a, p->peer))
			break;
	}
	return a->nsel;
}

/* ---- replies ----------------------------------------------------------------- */

static void reply_begin(struct api_reply *r)
{
	r->state = API_REPLY_IN_OP;
}

/* The op returned st: finish now, or leave it to the host. */
static void reply_status(struct api *a, struct api_reply *r, int st)
{
	if (r->state == API_REPLY_FINISHED)
		return; /* the host finished it already */
	if (st == API_PENDING) {
		r->state = API_REPLY_PENDING;
		if (r->proc >= 0 && a->procs[r->proc] && a->procs[r->proc]->h)
			api_helper_pause(a->procs[r->proc]->h, API_PAUSE_REPLY, true);
		return;
	}
	api_reply_finish(r, st == API_DONE);
}

static int fail_no_neighbor(const struct api_command *c, const struct api_reply *r)
{
	api_log_helper_error(r->a, r->proc, "no neighbor matching the command : %s %s (from %s)", c->name, c->text,
			     api_reply_process(r)[0] ? api_reply_process(r) : "cli");
	return API_ERROR;
}

/* ---- route commands ------------------------------------------------------------ */

static void release_routes(struct api *a)
{
	for (size_t i = 0; i < a->routes.n; i++)
		rg_route_release(&a->rg, a->routes.v[i]);
	a->routes.n = 0;
}

static int do_routes(struct api *a, struct api_command *c, struct api_reply *r)
{
	bool withdraw;
	int form = -1;
	switch (c->kind) {
	case API_CMD_ANNOUNCE_ROUTE:
	case API_CMD_WITHDRAW_ROUTE:
		form = RG_CMD_ROUTE;
		break;
	case API_CMD_ANNOUNCE_ATTRIBUTES:
	case API_CMD_WITHDRAW_ATTRIBUTES:
		form = RG_CMD_ATTRIBUTES;
		break;
	case API_CMD_ANNOUNCE_VPLS:
	case API_CMD_WITHDRAW_VPLS:
		form = RG_CMD_VPLS;
		break;
	case API_CMD_ANNOUNCE_IPV4:
	case API_CMD_WITHDRAW_IPV4:
		form = RG_CMD_IPV4;
		break;
	case API_CMD_ANNOUNCE_IPV6:
	case API_CMD_WITHDRAW_IPV6:
		form = RG_CMD_IPV6;
		break;
	default: /* flow */
		break;
	}
	withdraw = c->kind == API_CMD_WITHDRAW_ROUTE || c->kind == API_CMD_WITHDRAW_ATTRIBUTES ||
		   c->kind == API_CMD_WITHDRAW_VPLS || c->kind == API_CMD_WITHDRAW_IPV4 ||
		   c->kind == API_CMD_WITHDRAW_IPV6 || c->kind == API_CMD_WITHDRAW_FLOW;
	size_t n = select_peers(a, c, r, PICK_SERVICE);
	if (!n) {
		api_command_normalise(c); /* the message shows the normalised text */
		return fail_no_neighbor(c, r);
	}
	if (!a->rg_ready || !a->ops->routes) {
		log_error(LOG_PROCESSES, "%s: routes can not be changed (no route store)", c->name);
		return API_ERROR;
	}
	release_routes(a);
	int rc;
	char err[320] = "";
	if (form >= 0) {
		/* A command taken raw is parsed as it is when its text turns out
		 * to be in normal form (then it is the normalised text): one pass
		 * over the line instead of a normalised copy first. */
		rc = RG_NOT_NORMAL;
		if (c->raw)
			rc = route_grammar_parse_normal(&a->rg, (enum rg_command)form, withdraw, c->text, &a->routes);
		if (rc == RG_NOT_NORMAL) {
			api_command_normalise(c);
			rc = route_grammar_parse_command(&a->rg, (enum rg_command)form, withdraw, c->text, &a->routes);
		}
		if (rc < 0)
			snprintf(err, sizeof(err), "%s (column %d)", a->rg.err.msg, a->rg.err.col);
	} else if (a->ops->parse_flow) {
		rc = a->ops->parse_flow(a->ctx, withdraw, c->text, a->pool, &a->routes, err, sizeof(err));
	} else {
		rc = -1;
		snprintf(err, sizeof(err), "flow routes are not supported by this build");
	}
	if (rc <= 0 || !a->routes.n) {
		api_log_helper_error(a, r->proc, "command could not parse %s in : %s%s%s", form >= 0 ? "route" : "flow",
				     c->text, err[0] ? ": " : "", err);
		release_routes(a);
		return API_ERROR;
	}
	int st = a->ops->routes(a->ctx, c, a->sel, n, &a->routes, withdraw, r);
	release_routes(a);
	return st;
}

/* ---- help ---------------------------------------------------------------------- */

static void help(struct api_reply *r)
{
	/* ExaBGP's list: sorted, neighbor commands prefixed with the selector */
	static const char *const lines[] = {
		"# ",
		"[neighbor <ip> [filters]] announce attribute",
		"[neighbor <ip> [filters]] announce attributes",
		"[neighbor <ip> [filters]] announce eor",
		"[neighbor <ip> [filters]] announce flow",
		"[neighbor <ip> [filters]] announce operational",
		"[neighbor <ip> [filters]] announce route",
		"[neighbor <ip> [filters]] announce route-refresh",
		"[neighbor <ip> [filters]] announce vpls",
		"[neighbor <ip> [filters]] announce watchdog",
		"[neighbor <ip> [filters]] clear adj-rib",
		"[neighbor <ip> [filters]] flush adj-rib out",
		"[neighbor <ip> [filters]] teardown",
		"[neighbor <ip> [filters]] withdraw attributes",
		"[neighbor <ip> [filters]] withdraw flow",
		"[neighbor <ip> [filters]] withdraw route",
		"[neighbor <ip> [filters]] withdraw vpls",
		"[neighbor <ip> [filters]] withdraw watchdog",
		"help ",
		"reload ",
		"reset ",
		"restart ",
		"show adj-rib in [ extensive ] ",
		"show adj-rib out [ extensive ] ",
		"show neighbor [ summary | extensive | configuration ] ",
		"shutdown ",
		"version ",
	};
	api_reply_line(r, "");
	api_reply_line(r, "available API commands are listed here:");
	api_reply_line(r, "=======================================");
	api_reply_line(r, "");
	api_reply_line(r, "filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]");
	api_reply_line(r, "");
	api_reply_line(r, "command are:");
	api_reply_line(r, "------------");
	api_reply_line(r, "");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		api_reply_line(r, lines[i]);
	api_reply_line(r, "");
}

/* ---- dispatch ------------------------------------------------------------------ */

static const char *service_name(const struct api_reply *r)
{
	const char *s = api_reply_process(r);
	return s[0] ? s : "cli";
}

static int show_adj_rib(struct api *a, const struct api_command *c, struct api_reply *r)
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
		if (!sel_push(a, refs[i].peer))
			break;
	}
	if (!a->ops->show_adj_rib)
		return API_DONE;
	return a->ops->show_adj_rib(a->ctx, a->sel, a->nsel, c, r);
}

void api_dispatch(struct api *a, struct api_command *c, struct api_reply *r)
{
	const struct api_host_ops *ops = a->ops;
	size_t n;
	int st = API_ERROR;
	reply_begin(r);
	switch (c->kind) {
	case API_CMD_NONE:
		st = API_ERROR;
		break;
	case API_CMD_COMMENT:
		log_debug(LOG_PROCESSES, "%s", c->text);
		st = API_DONE;
		break;
	case API_CMD_ANNOUNCE_ROUTE:
	case API_CMD_WITHDRAW_ROUTE:
	case API_CMD_ANNOUNCE_ATTRIBUTES:
	case API_CMD_WITHDRAW_ATTRIBUTES:
	case API_CMD_ANNOUNCE_FLOW:
	case API_CMD_WITHDRAW_FLOW:
	case API_CMD_ANNOUNCE_VPLS:
	case API_CMD_WITHDRAW_VPLS:
	case API_CMD_ANNOUNCE_IPV4:
	case API_CMD_WITHDRAW_IPV4:
	case API_CMD_ANNOUNCE_IPV6:
	case API_CMD_WITHDRAW_IPV6:
		st = do_routes(a, c, r);
		break;
	case API_CMD_ANNOUNCE_EOR:
	case API_CMD_ANNOUNCE_REFRESH:
		n = select_peers(a, c, r, PICK_ESTABLISHED);
		if (!n) {
			st = fail_no_neighbor(c, r);
			break;
		}
		if (c->kind == API_CMD_ANNOUNCE_EOR)
			st = ops->eor ? ops->eor(a->ctx, a->sel, n, c->afi, c->safi, r) : API_ERROR;
		else
			st = ops->refresh ? ops->refresh(a->ctx, a->sel, n, c->afi, c->safi, r) : API_ERROR;
		break;
	case API_CMD_ANNOUNCE_OPERATIONAL: {
		static const char *const ok[] = {"asm", "adm", "rpcq", "rpcp", "apcq", "apcp", "lpcq", "lpcp"};
		bool known = false;
		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			size_t l = strlen(ok[i]);
			if (!strncmp(c->text, ok[i], l) && (c->text[l] == ' ' || !c->text[l]))
				known = true;
		}
		if (!known) { /* ExaBGP answers done and does nothing */
			st = API_DONE;
			break;
		}
		n = select_peers(a, c, r, PICK_SERVICE);
		if (!n)
			st = fail_no_neighbor(c, r);
		else
			st = ops->operational ? ops->operational(a->ctx, a->sel, n, c->text, r) : API_ERROR;
		break;
	}
	case API_CMD_ANNOUNCE_WATCHDOG:
	case API_CMD_WITHDRAW_WATCHDOG:
		st = ops->watchdog ? ops->watchdog(a->ctx, c->watchdog[0] ? c->watchdog : service_name(r),
						   c->kind == API_CMD_ANNOUNCE_WATCHDOG, r)
				   : API_ERROR;
		break;
	case API_CMD_TEARDOWN:
		/* ExaBGP tears down the established peers the selector names
		 * (none without a selector) and answers done */
		n = c->sel.n ? select_peers(a, c, r, PICK_ESTABLISHED) : 0;
		st = n && ops->teardown ? ops->teardown(a->ctx, a->sel, n, c->cease_subcode, r) : API_DONE;
		break;
	case API_CMD_SHOW_NEIGHBOR:
		st = api_show_neighbor(a, c, r);
		break;
	case API_CMD_SHOW_ADJ_RIB:
		st = show_adj_rib(a, c, r);
		break;
	case API_CMD_FLUSH_ADJ_RIB_OUT:
	case API_CMD_CLEAR_ADJ_RIB:
		n = select_peers(a, c, r, c->kind == API_CMD_FLUSH_ADJ_RIB_OUT ? PICK_ESTABLISHED : PICK_ALL);
		if (!n) {
			st = fail_no_neighbor(c, r);
			break;
		}
		if (c->kind == API_CMD_FLUSH_ADJ_RIB_OUT)
			st = ops->flush_adj_rib_out ? ops->flush_adj_rib_out(a->ctx, a->sel, n, r) : API_ERROR;
		else
			st = ops->clear_adj_rib ? ops->clear_adj_rib(a->ctx, a->sel, n, c->rib_in, r) : API_ERROR;
		break;
	case API_CMD_SHUTDOWN:
	case API_CMD_RELOAD:
	case API_CMD_RESTART:
		api_reply_line(r, c->kind == API_CMD_SHUTDOWN ? "shutdown in progress"
				  : c->kind == API_CMD_RELOAD ? "reload in progress"
							     : "restart in progress");
		api_reply_finish(r, true);
		if (ops->control)
			ops->control(a->ctx, c->kind);
		return;
	case API_CMD_VERSION:
		api_reply_line(r, EXABGP_VERSION_TEXT);
		st = API_DONE;
		break;
	case API_CMD_HELP:
		help(r);
		st = API_DONE;
		break;
	case API_CMD_RESET:
		/* ExaBGP clears the commands still queued and answers nothing */
		r->state = API_REPLY_FINISHED;
		if (r->heap)
			free(r);
		return;
	case API_CMD_COUNT:
		break;
	}
	reply_status(a, r, st);
}

void api_handle_line(struct api *a, int slot, char *line, size_t len)
{
	struct api_proc *p = a->procs[slot];
	if (!p)
		return;
	log_debug(LOG_PROCESSES, "command from process %s : %s", p->name, line);
	struct api_reply *r = &p->reply;
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->proc = slot;
	if (api_command_parse(&p->cmd, line, len) < 0) {
		api_log_helper_error(a, slot, "command from process not understood : %s (%s)", line, p->cmd.err);
		r->state = API_REPLY_IN_OP;
		api_reply_finish(r, false);
		return;
	}
	api_dispatch(a, &p->cmd, r);
}

void api_handle_too_long(struct api *a, int slot)
{
	struct api_proc *p = a->procs[slot];
	if (!p)
		return;
	struct api_reply *r = &p->reply;
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->proc = slot;
	r->state = API_REPLY_IN_OP;
	api_reply_finish(r, false);
}
