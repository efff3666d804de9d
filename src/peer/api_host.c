/* The speaker's side of the process API: what helpers' commands do to the
 * peers (see struct api_host_ops in api/api.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/show.h"
#include "config/parser.h"
#include "config/parser_flow.h"
#include "core/log.h"
#include "peer/peer.h"
#include "peer/speaker.h"

static size_t op_peers(void *ctx, struct api_peer_ref **out)
{
	struct speaker *sp = ctx;
	if ((size_t)sp->npeers > sp->api_refs_cap) {
		struct api_peer_ref *r = realloc(sp->api_refs, (size_t)sp->npeers * sizeof(*r));
		if (!r)
			return 0;
		sp->api_refs = r;
		sp->api_refs_cap = (size_t)sp->npeers;
	}
	struct api_peer_ref *refs = sp->api_refs;
	size_t n = 0;
	for (int i = 0; i < sp->npeers; i++) {
		struct peer *p = sp->peers[i];
		if (p->removed || p->conf->peer_prefix_len < (p->conf->peer_address.afi == AFI_IPV4 ? 32 : 128))
			continue; /* a prefix neighbor itself has no session */
		refs[n].peer = p;
		refs[n].n = &p->api;
		refs[n].established = p->state == PEER_ESTABLISHED;
		n++;
	}
	*out = refs;
	return n;
}

static int op_routes(void *ctx, const struct api_command *cmd, void *const *peers, size_t n,
		     const struct route_list *routes, bool withdraw, struct api_reply *r)
{
	struct speaker *sp = ctx;
	(void)cmd;
	(void)r;
	for (size_t i = 0; i < n; i++) {
		struct peer *p = peers[i];
		int rc = 0;
		if (!withdraw) {
			/* One call for the list: the rib-out looks routes up in batches. */
			rc = ribout_announce_api_list(&p->rib, routes->v, routes->n);
		} else {
			for (size_t j = 0; j < routes->n && rc == 0; j++) {
				const struct route *rt = routes->v[j];
				rc = ribout_withdraw_api(&p->rib, rt);
			}
		}
		if (rc < 0) {
			log_error(LOG_RIB, "peer %s: out of memory queueing a route from a helper", p->name);
			return API_ERROR;
		}
		/* Only the peers the command selected: with thousands of sessions a
		 * command for one of them must not make the pump look at all. */
		if (peer_has_output(p))
			speaker_wake_peer(sp, p);
	}
	return API_DONE;
}

static int op_eor(void *ctx, void *const *peers, size_t n, uint16_t afi, uint8_t safi, struct api_reply *r)
{
	(void)ctx;
	(void)r;
	int f = family_find(afi, safi);
	if (f < 0)
		return API_ERROR;
	for (size_t i = 0; i < n; i++)
		peer_send_eor(peers[i], f);
	return API_DONE;
}

static int op_refresh(void *ctx, void *const *peers, size_t n, uint16_t afi, uint8_t safi, struct api_reply *r)
{
	(void)ctx;
	(void)r;
	for (size_t i = 0; i < n; i++)
		peer_send_refresh(peers[i], afi, safi);
	return API_DONE;
}

static int op_watchdog(void *ctx, const char *name, bool announce, struct api_reply *r)
{
	struct speaker *sp = ctx;
	(void)r;
	int i;
	for (i = 0; i < sp->nwatchdogs; i++)
		if (!strcmp(sp->watchdogs[i].name, name))
			break;
	if (i == sp->nwatchdogs) {
		struct watchdog_state *w = realloc(sp->watchdogs, ((size_t)sp->nwatchdogs + 1) * sizeof(*w));
		char *copy = strdup(name);
		if (!w || !copy) {
			free(copy);
			if (w)
				sp->watchdogs = w;
			return API_ERROR;
		}
		sp->watchdogs = w;
		w[i].name = copy;
		sp->nwatchdogs++;
	}
	sp->watchdogs[i].announced = announce;
	/* Every neighbor, every configured route of the group. */
	for (int k = 0; k < sp->npeers; k++) {
		struct peer *p = sp->peers[k];
		if (!p->rib_loaded)
			continue;
		for (size_t j = 0; j < p->conf->routes.n; j++) {
			const struct route *rt = p->conf->routes.v[j];
			if (!rt->watchdog || strcmp(rt->watchdog, name))
				continue;
			if (announce)
				ribout_announce_config(&p->rib, rt);
			else
				ribout_withdraw(&p->rib, rt->family, rt->path_id, rt->nlri, rt->nlri_len);
		}
	}
	speaker_wake_pump(sp);
	return API_DONE;
}

static int op_teardown(void *ctx, void *const *peers, size_t n, uint8_t subcode, struct api_reply *r)
{
	(void)ctx;
	(void)r;
	for (size_t i = 0; i < n; i++)
		peer_teardown(peers[i], subcode);
	return API_DONE;
}

static int op_flush(void *ctx, void *const *peers, size_t n, struct api_reply *r)
{
	struct speaker *sp = ctx;
	(void)r;
	for (size_t i = 0; i < n; i++) {
		struct peer *p = peers[i];
		ribout_resend(&p->rib, FAM_ALL);
	}
	speaker_wake_pump(sp);
	return API_DONE;
}

static int op_clear(void *ctx, void *const *peers, size_t n, bool in, struct api_reply *r)
{
	struct speaker *sp = ctx;
	(void)r;
	if (in) {
		for (size_t i = 0; i < n; i++)
			ribin_clear(&((struct peer *)peers[i])->ribin);
		return API_DONE;
	}
	for (size_t i = 0; i < n; i++)
		ribout_withdraw_all(&((struct peer *)peers[i])->rib);
	speaker_wake_pump(sp);
	return API_DONE;
}

struct show_walk {
	struct api_reply *r;
	const struct api_command *cmd;
	struct peer *p;
};

static void show_one(void *ctx, const struct rib_entry *e)
{
	struct show_walk *w = ctx;
	if (!api_show_route_wanted(w->cmd, e->family))
		return;
	bool pid = (w->p->popts.addpath & FAM_BIT(e->family)) != 0 || e->path_id != 0;
	api_show_route(w->r, &w->p->api, e->family, e->nlri, e->nlri_len, pid, e->path_id, e->attrs,
		       w->cmd->extensive);
}

static void show_in(void *ctx, const struct ribin_entry *e)
{
	struct show_walk *w = ctx;
	if (!api_show_route_wanted(w->cmd, e->family))
		return;
	api_show_route(w->r, &w->p->api, e->family, e->data + e->key_len, e->nlri_len, e->has_path_id, e->path_id,
		       e->attrs, w->cmd->extensive);
}

static int op_show_adj_rib(void *ctx, void *const *peers, size_t n, const struct api_command *cmd,
			   struct api_reply *r)
{
	(void)ctx;
	if (cmd->rib_in) {
		for (size_t i = 0; i < n; i++) {
			struct show_walk w = {r, cmd, peers[i]};
			ribin_walk(&w.p->ribin, show_in, &w);
		}
		return API_DONE;
	}
	for (size_t i = 0; i < n; i++) {
		struct show_walk w = {r, cmd, peers[i]};
		ribout_walk(&w.p->rib, show_one, &w);
	}
	return API_DONE;
}

static int op_show_config(void *ctx, const char *filter, struct api_reply *r)
{
	struct speaker *sp = ctx;
	(void)filter;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return API_ERROR;
	config_dump(f, sp->cfg);
	fclose(f);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		api_reply_line(r, line);
	free(buf);
	return API_DONE;
}

static void op_control(void *ctx, enum api_cmd_kind kind)
{
	struct speaker *sp = ctx;
	if (kind == API_CMD_SHUTDOWN) {
		log_info(LOG_DAEMON, "shutdown requested by a helper");
		speaker_shutdown(sp, BGP_CEASE_ADMIN_SHUTDOWN);
		return;
	}
	if (sp->control)
		sp->control(sp->ctx, kind);
}

static int op_parse_flow(void *ctx, bool withdraw, const char *text, struct attr_pool *pool, struct route_list *out,
			 char *err, size_t errlen)
{
	(void)ctx;
	struct rg_ctx g;
	rg_init(&g, pool, NULL);
	int rc = flow_parse_command(&g, withdraw, text, out);
	if (rc < 0)
		snprintf(err, errlen, "%s", g.err.msg);
	rg_free(&g);
	return rc;
}

static void op_backpressure(void *ctx, bool on)
{
	struct speaker *sp = ctx;
	if (sp->reads_paused == on)
		return;
	sp->reads_paused = on;
	/* A helper that reads slowly flips this many times a second: say it
	 * once per 10 seconds, with the count. */
	if (on) {
		sp->pauses++;
		uint64_t now = uv_now(sp->loop);
		if (!sp->pause_logged_at || now - sp->pause_logged_at >= 10000) {
			log_warning(LOG_PROCESSES,
				    "a helper is not reading its events: pausing reads from peers (hold timers "
				    "suspended; %llu pause%s so far)",
				    (unsigned long long)sp->pauses, sp->pauses == 1 ? "" : "s");
			sp->pause_logged_at = now;
		}
	} else {
		log_debug(LOG_PROCESSES, "helpers caught up: reading from peers again");
	}
	for (int i = 0; i < sp->npeers; i++)
		peer_pause_reading(sp->peers[i], on);
}

static void op_helper_gone(void *ctx, const char *name, const char *why)
{
	struct speaker *sp = ctx;
	/* api.terminate: the daemon stops when a helper cannot be kept running. */
	log_error(LOG_PROCESSES, "helper %s stopped for good (%s) and exabgp.api.terminate is set: shutting down",
		  name, why);
	speaker_shutdown(sp, BGP_CEASE_ADMIN_SHUTDOWN);
}

const struct api_host_ops speaker_api_ops = {
	.peers = op_peers,
	.routes = op_routes,
	.eor = op_eor,
	.refresh = op_refresh,
	.operational = NULL,
	.watchdog = op_watchdog,
	.teardown = op_teardown,
	.flush_adj_rib_out = op_flush,
	.clear_adj_rib = op_clear,
	.show_adj_rib = op_show_adj_rib,
	.show_config = op_show_config,
	.control = op_control,
	.parse_flow = op_parse_flow,
	.backpressure = op_backpressure,
	.helper_gone = op_helper_gone,
};
