/* Command dispatch: which peers a command applies to (ExaBGP 4.2's rules,
 * reactor/api/command/), the route commands' handler, the reply.  The
 * other handlers are in the command table (commands.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/command_int.h"
#include "core/log.h"

/* ---- peer selection ---------------------------------------------------------- */

bool api_select_push(struct api *a, void *peer)
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

size_t api_select_peers(struct api *a, const struct api_command *c, const struct api_reply *r, enum api_pick how)
{
	a->nsel = 0;
	struct api_peer_ref *refs = NULL;
	size_t n = a->ops && a->ops->peers ? a->ops->peers(a->ctx, &refs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct api_peer_ref *p = &refs[i];
		if (!p->n)
			continue;
		if (how == API_PICK_SERVICE && r->proc >= 0 && !api_pset_has(&p->n->subs[API_SUB_PROCESSES], r->proc))
			continue;
		if (how == API_PICK_ESTABLISHED && !p->established)
			continue;
		if (!api_selector_match(&c->sel, &p->n->id))
			continue;
		if (!api_select_push(a, p->peer))
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

int api_fail_no_neighbor(const struct api_command *c, struct api_reply *r)
{
	api_log_helper_error(r->a, r->proc, "no neighbor matching the command : %s %s (from %s)", c->name, c->text,
			     api_reply_process(r)[0] ? api_reply_process(r) : "cli");
	api_reply_reason(r, "no neighbor matching the command");
	return API_ERROR;
}

/* ---- route commands ------------------------------------------------------------ */

static void release_routes(struct api *a)
{
	for (size_t i = 0; i < a->routes.n; i++)
		rg_route_release(&a->rg, a->routes.v[i]);
	a->routes.n = 0;
}

int api_run_routes(struct api *a, struct api_command *c, struct api_reply *r)
{
	const struct api_cmd_def *d = &api_cmd_defs[c->kind];
	int form = d->route_form;
	bool withdraw = d->withdraw;
	size_t n = api_select_peers(a, c, r, API_PICK_SERVICE);
	if (!n) {
		api_command_normalise(c); /* the message shows the normalised text */
		return api_fail_no_neighbor(c, r);
	}
	if (!a->rg_ready || !a->ops->routes) {
		log_error(LOG_PROCESSES, "%s: routes can not be changed (no route store)", c->name);
		api_reply_reason(r, "routes can not be changed here");
		return API_ERROR;
	}
	release_routes(a);
	int rc;
	char err[320] = "";
	if (form != CMD_FORM_FLOW) {
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
		api_log_helper_error(a, r->proc, "command could not parse %s in : %s%s%s", form != CMD_FORM_FLOW ? "route" : "flow",
				     c->text, err[0] ? ": " : "", err);
		api_reply_reason(r, "could not parse the %s%s%s", form != CMD_FORM_FLOW ? "route" : "flow", err[0] ? ": " : "", err);
		release_routes(a);
		return API_ERROR;
	}
	int st = a->ops->routes(a->ctx, c, a->sel, n, &a->routes, withdraw, r);
	release_routes(a);
	return st;
}

/* ---- dispatch ------------------------------------------------------------------ */

const char *api_service_name(const struct api_reply *r)
{
	const char *s = api_reply_process(r);
	return s[0] ? s : "cli";
}

void api_dispatch(struct api *a, struct api_command *c, struct api_reply *r)
{
	reply_begin(r);
	const struct api_cmd_def *d = c->kind > API_CMD_NONE && c->kind < API_CMD_COUNT ? &api_cmd_defs[c->kind] : NULL;
	if (!d)
		api_reply_reason(r, "empty command");
	int st = d && d->run ? d->run(a, c, r) : API_ERROR;
	if (st == API_ERROR)
		api_reply_reason(r, "%s failed (the log says more)", c->name); /* when the op gave no reason */
	if (st != API_REPLIED)
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
		api_reply_reason(r, "%s", p->cmd.err[0] ? p->cmd.err : "command not understood");
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
	api_reply_reason(r, "command longer than api.line (%zu bytes)", a->o.line);
	api_reply_finish(r, false);
}
