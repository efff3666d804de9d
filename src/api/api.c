/* The process API context: processes, neighbors, replies (see api.h). */
#include "api/api_int.h"

#include <arpa/inet.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/settings.h"
#include "core/log.h"

#define API_DEFAULT_STALL_MS 60000

void api_options_from_settings(struct api_options *o, const struct settings *s)
{
	memset(o, 0, sizeof(*o));
	o->ack = true;
	o->encoder = ENCODER_JSON;
	o->respawn = true;
	o->queue = 100000;
	o->line = 1048576;
	o->version = 4;
	o->stall_ms = API_DEFAULT_STALL_MS;
	if (!s)
		return;
	o->ack = s->api_ack;
	o->encoder = s->api_encoder == SETTINGS_ENCODER_TEXT ? ENCODER_TEXT : ENCODER_JSON;
	o->respawn = s->api_respawn;
	o->terminate = s->api_terminate;
	o->compact = s->api_compact;
	o->queue = s->api_queue > 0 ? (size_t)s->api_queue : 100000;
	o->line = s->api_line > 0 ? (size_t)s->api_line : 1048576;
	o->version = s->api_version == 5 ? 5 : 4;
	o->reason = s->api_reason;
	o->nats_buffer = s->api_nats_buffer > 0 ? (size_t)s->api_nats_buffer : 0;
}

double api_now(const struct api *a)
{
	if (a->o.clock)
		return a->o.clock();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t api_wall_seconds(void)
{
	return (int64_t)time(NULL);
}

const struct api_fmt *api_fmt_of(const struct api *a)
{
	return &a->fmt;
}

/* ---- helpers ---------------------------------------------------------------- */

static void update_backpressure(struct api *a)
{
	bool on = a->pressing > 0 && !a->shutting;
	if (on == a->bp_on)
		return;
	a->bp_on = on;
	log_debug(LOG_PROCESSES, "%s reading from peers: a helper is %s", on ? "stopping" : "resuming",
		  on ? "not keeping up with its events" : "keeping up again");
	if (a->ops && a->ops->backpressure)
		a->ops->backpressure(a->ctx, on);
}

static void cb_line(void *ctx, struct api_helper *h, char *line, size_t len)
{
	(void)h;
	struct api_proc *p = ctx;
	p->commands++;
	api_handle_line(p->a, p->slot, line, len);
}

static void cb_too_long(void *ctx, struct api_helper *h)
{
	(void)h;
	struct api_proc *p = ctx;
	api_handle_too_long(p->a, p->slot);
}

static void cb_pressure(void *ctx, struct api_helper *h, bool on)
{
	(void)h;
	struct api_proc *p = ctx;
	/* only a helper that gets events holds the peers back; one that only
	 * gets replies is slowed down by its own commands */
	on = on && p->events;
	if (on == p->pressing)
		return;
	p->pressing = on;
	p->a->pressing += on ? 1 : -1;
	update_backpressure(p->a);
}

static void cb_started(void *ctx, struct api_helper *h)
{
	struct api_proc *p = ctx;
	if (p->dropped) {
		log_warning(LOG_PROCESSES, "process %s: %llu events were dropped", p->name, (unsigned long long)p->dropped);
		p->dropped = 0;
	}
	(void)h;
}

void api_log_helper_error(struct api *a, int slot, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct api_proc *p = slot >= 0 && slot < API_MAX_PROCESSES ? a->procs[slot] : NULL;
	if (p && p->h)
		api_helper_log(p->h, LOG_LVL_WARNING, "%s", msg);
	else
		log_warning(LOG_PROCESSES, "%s", msg);
}

static void cb_gone(void *ctx, struct api_helper *h, const char *why)
{
	(void)h;
	struct api_proc *p = ctx;
	if (p->a->shutting)
		return;
	if (!p->a->o.terminate) {
		/* One helper gone must not stop BGP for the others (ExaBGP 4.2
		 * stops on the respawn limit; api.terminate asks for that). */
		log_error(LOG_PROCESSES, "process %s stopped for good: %s; BGP and the other processes go on "
			  "(set exabgp.api.terminate to stop the daemon instead)", p->name, why);
		return;
	}
	log_error(LOG_PROCESSES, "process %s stopped for good: %s", p->name, why);
	if (p->a->ops && p->a->ops->helper_gone)
		p->a->ops->helper_gone(p->a->ctx, p->name, why);
}

static int make_helper(struct api *a, struct api_proc *p, const struct process_conf *pc);

static void cb_closed(void *ctx, struct api_helper *h)
{
	struct api_proc *p = ctx;
	struct api *a = p->a;
	api_helper_free(h);
	p->h = NULL;
	p->closing = false;
	if (p->pressing) {
		p->pressing = false;
		a->pressing--;
		update_backpressure(a);
	}
	if (p->configured && !a->shutting) {
		/* removed by a reload and added back by the next one while closing */
		const struct process_conf *pc = p->pc;
		if (pc && make_helper(a, p, pc) == 0)
			api_helper_start(p->h);
	}
	if (a->closing > 0 && --a->closing == 0 && a->shutting && a->shutdown_done) {
		void (*done)(void *) = a->shutdown_done;
		a->shutdown_done = NULL;
		done(a->shutdown_ctx);
	}
}

static const struct api_encoder *encoder_of(const struct api *a, const struct process_conf *pc)
{
	int enc = pc->encoder_given ? pc->encoder : a->o.encoder;
	return enc == ENCODER_TEXT ? &api_text_encoder : &api_json_encoder;
}

static int find_proc(const struct api *a, const char *name)
{
	for (int i = 0; i < a->nprocs; i++)
		if (a->procs[i] && !strcmp(a->procs[i]->name, name))
			return i;
	return -1;
}

static int new_proc(struct api *a, const struct process_conf *pc)
{
	int slot = -1;
	for (int i = 0; i < a->nprocs; i++)
		if (!a->procs[i]) {
			slot = i;
			break;
		}
	if (slot < 0) {
		if (a->nprocs == API_MAX_PROCESSES) {
			log_error(LOG_PROCESSES, "too many processes (at most %d): %s is ignored", API_MAX_PROCESSES,
				  pc->name);
			return -1;
		}
		slot = a->nprocs++;
	}
	struct api_proc *p = calloc(1, sizeof(*p));
	if (!p || !(p->name = strdup(pc->name ? pc->name : ""))) {
		free(p);
		return -1;
	}
	p->a = a;
	p->slot = slot;
	p->ack = a->o.ack;
	api_command_init(&p->cmd);
	a->procs[slot] = p;
	return slot;
}

static int make_helper(struct api *a, struct api_proc *p, const struct process_conf *pc)
{
	struct api_helper_conf hc = {
		.name = p->name,
		.argv = pc->argv,
		.conf_dir = a->conf_dir,
		.respawn = pc->respawn && a->o.respawn,
		.max_line = a->o.line,
		.queue = a->o.queue,
		.stall_ms = a->o.stall_ms,
	};
	struct api_nats_conf nats = {pc->nats_url, pc->nats_subject, pc->nats_stream, a->o.nats_buffer};
	if (pc->nats_url)
		hc.nats = &nats;
	struct api_helper_cbs cbs = {
		.ctx = p,
		.line = cb_line,
		.too_long = cb_too_long,
		.pressure = cb_pressure,
		.started = cb_started,
		.gone = cb_gone,
		.closed = cb_closed,
	};
	p->h = api_helper_new(a->loop, &hc, &cbs);
	if (!p->h) {
		log_error(LOG_PROCESSES, "process %s: out of memory", p->name);
		return -1;
	}
	return 0;
}

static void close_proc(struct api *a, struct api_proc *p, bool with_shutdown)
{
	if (!p->h || p->closing)
		return;
	p->closing = true;
	a->closing++;
	struct wbuf w;
	wb_init(&w, 256);
	size_t pl = 0;
	char pre[2048];
	if (with_shutdown && api_helper_running(p->h)) {
		a->fmt.now = api_now(a);
		pl = p->enc->prefix(&a->fmt, pre, sizeof(pre), 0);
		p->enc->shutdown(&a->fmt, &w);
		wb_u8(&w, '\n');
	}
	if (pl + w.len && !w.err) {
		struct wbuf all;
		wb_init(&all, pl + w.len);
		wb_bytes(&all, pre, pl);
		wb_bytes(&all, w.data, w.len);
		api_helper_close(p->h, all.err ? NULL : all.data, all.err ? 0 : all.len);
		wb_free(&all);
	} else {
		api_helper_close(p->h, NULL, 0);
	}
	wb_free(&w);
}

static void load_processes(struct api *a, const struct config *cfg)
{
	for (int i = 0; i < a->nprocs; i++)
		if (a->procs[i]) {
			a->procs[i]->configured = false;
			a->procs[i]->pc = NULL;
		}
	for (int i = 0; cfg && i < cfg->nprocesses; i++) {
		const struct process_conf *pc = cfg->processes[i];
		int slot = find_proc(a, pc->name ? pc->name : "");
		if (slot < 0 && (slot = new_proc(a, pc)) < 0)
			continue;
		struct api_proc *p = a->procs[slot];
		p->configured = true;
		p->pc = pc;
		p->enc = encoder_of(a, pc);
		if (!p->h && !p->closing && make_helper(a, p, pc) < 0)
			continue;
	}
}

struct api *api_new(const struct api_options *o, const struct config *cfg)
{
	struct api *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->o = *o;
	a->loop = o->loop;
	a->ops = o->ops;
	a->ctx = o->ctx;
	if (o->conf_dir && !(a->conf_dir = strdup(o->conf_dir))) {
		free(a);
		return NULL;
	}
	a->o.conf_dir = a->conf_dir;
	a->fmt.version = o->version == 5 ? 5 : 4;
	a->fmt.compact = o->compact;
	a->fmt.exabgp = a->fmt.version == 5 ? "5.0.0" : "4.0.1";
	if (o->host)
		snprintf(a->fmt.host, sizeof(a->fmt.host), "%s", o->host);
	else if (gethostname(a->fmt.host, sizeof(a->fmt.host) - 1) < 0)
		snprintf(a->fmt.host, sizeof(a->fmt.host), "localhost");
	a->fmt.pid = o->pid ? o->pid : (long)getpid();
	a->fmt.ppid = o->ppid ? o->ppid : (long)getppid();
	attr_pool_init(&a->decode_pool);
	api_update_view_init(&a->uv, &a->decode_pool);
	wb_init(&a->body[0], 4096);
	wb_init(&a->body[1], 4096);
	api_command_init(&a->ext_cmd);
	a->pool = o->pool;
	if (a->pool) {
		rg_init(&a->rg, a->pool, NULL);
		a->rg_ready = true;
	}
	load_processes(a, cfg);
	return a;
}

int api_start(struct api *a)
{
	int rc = 0;
	/* a helper that stops reading must not kill the daemon with SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < a->nprocs; i++) {
		struct api_proc *p = a->procs[i];
		if (p && p->configured && p->h && !p->closing && !api_helper_pid(p->h))
			if (api_helper_start(p->h) < 0)
				rc = -1;
	}
	return rc;
}

int api_reconfigure(struct api *a, const struct config *cfg, struct attr_pool *pool)
{
	/* the grammar caches an attribute set of the old pool: drop it now,
	 * while the old configuration is still alive */
	if (a->rg_ready)
		rg_free(&a->rg);
	a->rg_ready = false;
	a->pool = pool;
	if (pool) {
		rg_init(&a->rg, pool, NULL);
		a->rg_ready = true;
	}
	load_processes(a, cfg);
	for (int i = 0; i < a->nprocs; i++) {
		struct api_proc *p = a->procs[i];
		if (p && !p->configured)
			close_proc(a, p, false);
	}
	return api_start(a);
}

void api_shutdown(struct api *a, void (*done)(void *ctx), void *ctx)
{
	a->shutdown_done = done;
	a->shutdown_ctx = ctx;
	for (int i = 0; i < a->nprocs; i++)
		if (a->procs[i])
			close_proc(a, a->procs[i], !a->shutting);
	a->shutting = true;
	update_backpressure(a);
	if (!a->closing && a->shutdown_done) {
		a->shutdown_done = NULL;
		done(ctx);
	}
}

void api_free(struct api *a)
{
	if (!a)
		return;
	for (int i = 0; i < a->nprocs; i++) {
		struct api_proc *p = a->procs[i];
		if (!p)
			continue;
		if (p->h) /* api_shutdown was not called or has not finished: its handles are live */
			log_error(LOG_PROCESSES, "process %s: api_free before api_shutdown completed", p->name);
		api_command_free(&p->cmd);
		free(p->name);
		free(p);
	}
	if (a->rg_ready)
		rg_free(&a->rg);
	route_list_free(&a->routes);
	api_update_view_free(&a->uv);
	attr_pool_free(&a->decode_pool);
	wb_free(&a->body[0]);
	wb_free(&a->body[1]);
	api_command_free(&a->ext_cmd);
	free(a->sel);
	free(a->conf_dir);
	free(a);
}

void api_pause_commands(struct api *a, bool pause)
{
	a->paused = pause;
	for (int i = 0; i < a->nprocs; i++)
		if (a->procs[i] && a->procs[i]->h)
			api_helper_pause(a->procs[i]->h, API_PAUSE_HOST, pause);
}

bool api_proc_write(struct api *a, int i, const void *p, size_t len, const void *q, size_t qlen)
{
	if (i < 0 || i >= a->nprocs || !a->procs[i] || !a->procs[i]->h)
		return false;
	return api_helper_reply(a->procs[i]->h, p, len, q, qlen) == 0;
}

size_t api_process_count(const struct api *a)
{
	return (size_t)a->nprocs;
}

struct api_helper *api_process_helper(const struct api *a, size_t i)
{
	return i < (size_t)a->nprocs && a->procs[i] ? a->procs[i]->h : NULL;
}

/* ---- neighbors ------------------------------------------------------------- */

static void ip_string(const struct ip_addr *ip, char *out, size_t len, const char *none)
{
	if (ip->afi == AFI_IPV4)
		inet_ntop(AF_INET, ip->addr, out, (socklen_t)len);
	else if (ip->afi == AFI_IPV6)
		inet_ntop(AF_INET6, ip->addr, out, (socklen_t)len);
	else
		snprintf(out, len, "%s", none);
}

/* processes-match (ExaBGP 5.0): the processes whose name a pattern
 * matches from its first character, as Python's re.match. */
static void add_matching_procs(const struct api *a, const struct api_conf *ac, api_pset *procs)
{
	for (int j = 0; a && j < ac->npatterns; j++) {
		size_t len = strlen(ac->process_patterns[j]);
		char *anchored = malloc(len + 4);
		if (!anchored)
			return;
		snprintf(anchored, len + 4, "^(%s)", ac->process_patterns[j]);
		regex_t re;
		int rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc != 0)
			continue; /* the parser refused it already; anchoring cannot break a valid one */
		for (int slot = 0; slot < a->nprocs; slot++)
			if (a->procs[slot] && regexec(&re, a->procs[slot]->name, 0, NULL, 0) == 0)
				api_pset_add(procs, slot);
		regfree(&re);
	}
}

void api_neighbor_init(struct api *a, struct api_neighbor *n, const struct neighbor_conf *conf, void *host_peer)
{
	uint64_t counter = n->counter; /* a re-init (reload) keeps the counter going */
	memset(n, 0, sizeof(*n));
	n->counter = counter;
	n->host = host_peer;
	n->conf = conf;
	n->created = api_wall_seconds();
	n->state = 0;
	if (!conf)
		return;
	n->id.peer = conf->peer_address;
	if (!conf->local_address_auto)
		n->id.local = conf->local_address;
	n->id.local_as = conf->local_as_auto ? 0 : conf->local_as;
	n->id.peer_as = conf->peer_as_auto ? 0 : conf->peer_as;
	n->id.router_id = conf->router_id;
	ip_string(&n->id.peer, n->peer_address, sizeof(n->peer_address), "None");
	ip_string(&n->id.local, n->local_address, sizeof(n->local_address), "None");
	if (conf->cap.multi_session) {
		size_t o = 0;
		n->family_allowed[0] = '\0';
		for (int f = 0; f < FAM_COUNT; f++) {
			if (!(conf->families & FAM_BIT(f)))
				continue;
			int w = snprintf(n->family_allowed + o, sizeof(n->family_allowed) - o, "%s%s-%s", o ? "/" : "",
					 family_table[f].afi_name, family_table[f].safi_name);
			if (w < 0 || (size_t)w >= sizeof(n->family_allowed) - o)
				break;
			o += (size_t)w;
		}
	} else {
		snprintf(n->family_allowed, sizeof(n->family_allowed), "in-open");
	}
	n->id.family_allowed = n->family_allowed;
	for (int i = 0; i < conf->napis; i++) {
		const struct api_conf *ac = &conf->apis[i];
		api_pset procs;
		memset(&procs, 0, sizeof(procs));
		for (int j = 0; j < ac->nprocesses; j++) {
			int slot = a ? find_proc(a, ac->processes[j]) : -1;
			if (slot >= 0)
				api_pset_add(&procs, slot);
		}
		add_matching_procs(a, ac, &procs);
		struct {
			int key;
			bool on;
		} keys[] = {
			{API_SUB_PROCESSES, true},
			{API_SUB_NEIGHBOR_CHANGES, (ac->events & API_NEIGHBOR_CHANGES) != 0},
			{API_SUB_NEGOTIATED, (ac->events & API_NEGOTIATED) != 0},
			{API_SUB_FSM, (ac->events & API_FSM) != 0},
			{API_SUB_SIGNAL, (ac->events & API_SIGNAL) != 0},
			{API_SUB_GRACEFUL_RESTART, (ac->events & API_GRACEFUL_RESTART) != 0},
		};
		bool events = ac->events || ac->send || ac->receive;
		for (int slot = 0; events && a && slot < a->nprocs; slot++)
			if (a->procs[slot] && api_pset_has(&procs, slot))
				a->procs[slot]->events = true;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (keys[k].on)
				for (size_t w = 0; w < sizeof(procs.w) / sizeof(procs.w[0]); w++)
					n->subs[keys[k].key].w[w] |= procs.w[w];
		for (int dir = 0; dir < 2; dir++) {
			uint32_t mask = dir == API_DIR_SEND ? ac->send : ac->receive;
			for (int sm = 0; sm < 9; sm++)
				if (mask & (1u << sm))
					for (size_t w = 0; w < sizeof(procs.w) / sizeof(procs.w[0]); w++)
						n->subs[API_SUB_KEY(dir, sm)].w[w] |= procs.w[w];
		}
	}
}

void api_neighbor_reinit(struct api *a, struct api_neighbor *n, const struct neighbor_conf *conf, void *host_peer)
{
	struct api_neighbor old = *n;
	api_neighbor_init(a, n, conf, host_peer);
	if (old.host != host_peer || !old.conf)
		return; /* a new peer: nothing to keep */
	/* The session outlives the reload: what "show neighbor" reads from it
	 * (state, up time, counters, the OPENs) stays, and so does what was
	 * learned of an "auto" identity. */
	n->sent = old.sent;
	n->received = old.received;
	n->neg = old.neg;
	memcpy(n->rx_mp, old.rx_mp, sizeof(n->rx_mp));
	n->nrx_mp = old.nrx_mp;
	n->state = old.state;
	n->created = old.created;
	n->up_since = old.up_since;
	n->reset_at = old.reset_at;
	memcpy(n->msgs_sent, old.msgs_sent, sizeof(n->msgs_sent));
	memcpy(n->msgs_received, old.msgs_received, sizeof(n->msgs_received));
	if (conf && conf->local_address_auto && old.id.local.afi)
		api_neighbor_set_local(n, &old.id.local);
	if (conf && conf->local_as_auto)
		n->id.local_as = old.id.local_as;
	if (conf && conf->peer_as_auto)
		n->id.peer_as = old.id.peer_as;
}

void api_neighbor_set_local(struct api_neighbor *n, const struct ip_addr *local)
{
	n->id.local = *local;
	ip_string(&n->id.local, n->local_address, sizeof(n->local_address), "None");
}

void api_neighbor_set_session(struct api_neighbor *n, const struct bgp_open *sent, const struct bgp_open *received,
			      const struct negotiated *neg)
{
	n->sent = sent;
	n->received = received;
	n->neg = neg;
}

int api_down_reason(char *out, size_t outlen, const char *what, const char *error)
{
	return snprintf(out, outlen, "peer reset, message [%s] error[%s]", what ? what : "", error ? error : "");
}

/* ---- replies ------------------------------------------------------------- */

static void reply_write(struct api_reply *r, const char *s, size_t len)
{
	if (r->proc >= 0)
		api_proc_write(r->a, r->proc, s, len, "\n", 1);
	else if (r->sink)
		r->sink(r->sink_ctx, s, len);
}

void api_reply_line(struct api_reply *r, const char *line)
{
	if (r && r->state != API_REPLY_FINISHED)
		reply_write(r, line, strlen(line));
}

void api_reply_printf(struct api_reply *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		api_reply_line(r, buf);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	api_reply_line(r, big);
	free(big);
}

void api_reply_reason(struct api_reply *r, const char *fmt, ...)
{
	if (!r || r->reason[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	for (char *c = r->reason; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' '; /* one line */
}

/* The one place a command's ack is written.  ExaBGP 4.2: "done" or
 * "error", when api.ack is on.  ExaBGP 5.0 (api.version = 5): a helper
 * whose encoder is json gets them as JSON objects, and enable-ack,
 * disable-ack and silence-ack turn a helper's acks on and off.  The CLI
 * and the named pipe always get the text ack. */
static void reply_ack(struct api_reply *r, bool ok)
{
	struct api *a = r->a;
	struct api_proc *p = r->proc >= 0 ? a->procs[r->proc] : NULL;
	bool force = r->force_ack;
	r->force_ack = false;
	if (p && !ok)
		p->command_errors++;
	if (p && !p->ack && !force)
		return;
	if (p && a->o.version == 5 && p->enc && !strcmp(p->enc->name, "json")) {
		const char *j = ok ? "{ \"answer\": \"done\", \"message\": \"command completed\" }"
				   : "{ \"answer\": \"error\", \"message\": \"this command does not support json output\" }";
		reply_write(r, j, strlen(j));
		return;
	}
	/* ExaBGP 6's "error: REASON" line comes before the bare "error" that
	 * 4.2 helpers and exabgpcli wait for: always for the CLI, for helpers
	 * with api.reason */
	if (!ok && r->reason[0] && (!p || a->o.reason)) {
		char line[sizeof(r->reason) + 8];
		int n = snprintf(line, sizeof(line), "error: %s", r->reason);
		reply_write(r, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	reply_write(r, ok ? "done" : "error", ok ? 4 : 5);
}

void api_reply_ack_control(struct api_reply *r, enum api_ack_control what)
{
	struct api_proc *p = r->proc >= 0 ? r->a->procs[r->proc] : NULL;
	if (!p)
		return;
	p->ack = what == API_ACK_ENABLE;
	r->force_ack = what == API_ACK_DISABLE;
}

void api_reply_finish(struct api_reply *r, bool ok)
{
	if (!r || r->state == API_REPLY_FINISHED || r->state == API_REPLY_IDLE)
		return;
	struct api *a = r->a;
	bool was_pending = r->state == API_REPLY_PENDING;
	reply_ack(r, ok);
	r->state = API_REPLY_FINISHED;
	if (was_pending && r->proc >= 0 && a->procs[r->proc] && a->procs[r->proc]->h)
		api_helper_pause(a->procs[r->proc]->h, API_PAUSE_REPLY, false);
	if (r->heap)
		free(r);
}

const char *api_reply_process(const struct api_reply *r)
{
	if (!r || r->proc < 0 || !r->a->procs[r->proc])
		return "";
	return r->a->procs[r->proc]->name;
}

void api_run_command(struct api *a, const char *line, void (*out)(void *ctx, const char *line, size_t len), void *ctx)
{
	struct api_reply *r = calloc(1, sizeof(*r));
	if (!r) {
		out(ctx, "error", 5);
		return;
	}
	r->a = a;
	r->proc = -1;
	r->sink = out;
	r->sink_ctx = ctx;
	r->heap = true;
	if (api_command_parse(&a->ext_cmd, line, strlen(line)) < 0) {
		log_warning(LOG_PROCESSES, "command not understood : %s (%s)", line, a->ext_cmd.err);
		api_reply_reason(r, "%s", a->ext_cmd.err[0] ? a->ext_cmd.err : "command not understood");
		r->state = API_REPLY_IN_OP;
		api_reply_finish(r, false);
		return;
	}
	api_dispatch(a, &a->ext_cmd, r);
}
