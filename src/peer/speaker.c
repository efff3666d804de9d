/* The speaker: peers of the running configuration on one loop (see speaker.h). */
#include "peer/speaker.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "peer/listener.h"
#include "peer/sockopt.h"

/* Runs once per loop turn while some peer has routes to write: each peer
 * gets a bounded slice, so timers and other peers' input are served between
 * slices and a large table never delays a KEEPALIVE. */
static bool pumpq_add(struct speaker *sp, struct peer *p)
{
	if (p->in_pump)
		return true;
	if (sp->npumpq == sp->cappumpq) {
		int cap = sp->cappumpq ? sp->cappumpq * 2 : 16;
		struct peer **v = realloc(sp->pumpq, (size_t)cap * sizeof(*v));
		if (!v)
			return false;
		sp->pumpq = v;
		sp->cappumpq = cap;
	}
	sp->pumpq[sp->npumpq++] = p;
	p->in_pump = true;
	return true;
}

static void pumpq_remove(struct speaker *sp, struct peer *p)
{
	if (!p->in_pump)
		return;
	for (int i = 0; i < sp->npumpq; i++)
		if (sp->pumpq[i] == p) {
			sp->pumpq[i] = sp->pumpq[--sp->npumpq];
			break;
		}
	p->in_pump = false;
}

static void on_pump(uv_idle_t *h)
{
	struct speaker *sp = h->data;
	if (sp->pump_scan_all) {
		sp->pump_scan_all = false;
		for (int i = 0; i < sp->npeers; i++)
			if (peer_has_output(sp->peers[i]) && !pumpq_add(sp, sp->peers[i]))
				sp->pump_scan_all = true; /* out of memory: try again next turn */
	}
	/* Peers woken while this runs are appended: they are kept as they are. */
	int n = sp->npumpq, keep = 0;
	for (int i = 0; i < n; i++) {
		struct peer *p = sp->pumpq[i];
		if (peer_pump(p))
			sp->pumpq[keep++] = p;
		else
			p->in_pump = false;
	}
	for (int i = n; i < sp->npumpq; i++)
		sp->pumpq[keep++] = sp->pumpq[i];
	sp->npumpq = keep;
	if (!keep && !sp->pump_scan_all) {
		uv_idle_stop(&sp->pump);
		sp->pump_active = false;
	}
}

static bool take_slot(struct speaker *sp, struct peer *p)
{
	sp->connecting++;
	p->connecting = true;
	p->connect_started = uv_now(sp->loop);
	return true;
}

bool speaker_connect_slot(struct speaker *sp, struct peer *p)
{
	if (p->connecting)
		return true;
	if (sp->connecting < sp->connect_window)
		return take_slot(sp, p);
	if (p->connect_queued)
		return false;
	if (sp->nconnq == sp->capconnq) {
		if (sp->connq_head) {
			/* Reuse the room of the peers already served. */
			sp->nconnq -= sp->connq_head;
			memmove(sp->connq, sp->connq + sp->connq_head, (size_t)sp->nconnq * sizeof(*sp->connq));
			sp->connq_head = 0;
		} else {
			int cap = sp->capconnq ? sp->capconnq * 2 : 64;
			struct peer **v = realloc(sp->connq, (size_t)cap * sizeof(*v));
			if (!v)
				return take_slot(sp, p); /* out of memory: connect anyway rather than never */
			sp->connq = v;
			sp->capconnq = cap;
		}
	}
	sp->connq[sp->nconnq++] = p;
	p->connect_queued = true;
	return false;
}

static void on_connq_timer(uv_timer_t *t)
{
	struct speaker *sp = t->data;
	while (!sp->shutting_down && sp->connq_head < sp->nconnq && sp->connecting < sp->connect_window) {
		struct peer *next = sp->connq[sp->connq_head++];
		if (!next) /* forgotten while it waited */
			continue;
		next->connect_queued = false;
		peer_connect_slot_free(next);
	}
	if (sp->connq_head == sp->nconnq)
		sp->connq_head = sp->nconnq = 0;
}

void speaker_connect_done(struct speaker *sp, struct peer *p)
{
	if (!p->connecting)
		return;
	p->connecting = false;
	sp->connecting--;
	uint64_t now = uv_now(sp->loop);
	if (now - p->connect_started < 1000) {
		/* One more slot per window of quick sessions (linear growth, as
		 * TCP's congestion avoidance): an overflowing listener is only
		 * seen seconds later, so the window must not run ahead. */
		if (++sp->connect_quick >= sp->connect_window && sp->connect_window < SPEAKER_CONNECT_WINDOW_MAX) {
			sp->connect_window++;
			sp->connect_quick = 0;
		}
	} else if (now - sp->connect_shrunk_at >= 1000) {
		sp->connect_window = sp->connect_window / 2 > SPEAKER_CONNECT_WINDOW_MIN ? sp->connect_window / 2
										: SPEAKER_CONNECT_WINDOW_MIN;
		sp->connect_shrunk_at = now;
		log_debug(LOG_NETWORK, "a connection took %llu ms: at most %d connecting at once now",
			  (unsigned long long)(now - p->connect_started), sp->connect_window);
	}
	/* The next peers start from the loop, not from inside this peer's
	 * FSM transition. */
	if (!sp->shutting_down && sp->connq_head < sp->nconnq && !uv_is_active((uv_handle_t *)&sp->connq_timer))
		uv_timer_start(&sp->connq_timer, on_connq_timer, 0, 0);
}

/* A peer about to be freed leaves the connection queue and its slot. */
static void connq_forget(struct speaker *sp, struct peer *p)
{
	if (p->connect_queued)
		for (int i = sp->connq_head; i < sp->nconnq; i++)
			if (sp->connq[i] == p)
				sp->connq[i] = NULL;
	p->connect_queued = false;
	speaker_connect_done(sp, p);
}

static void start_pump(struct speaker *sp)
{
	if (sp->pump_active || sp->shutting_down)
		return;
	sp->pump_active = true;
	uv_idle_start(&sp->pump, on_pump);
}

void speaker_wake_pump(struct speaker *sp)
{
	sp->pump_scan_all = true;
	start_pump(sp);
}

void speaker_wake_peer(struct speaker *sp, struct peer *p)
{
	if (!pumpq_add(sp, p))
		sp->pump_scan_all = true;
	start_pump(sp);
}

int speaker_init(struct speaker *sp, uv_loop_t *loop, const struct speaker_opts *o, struct config *cfg,
		 struct api *api)
{
	memset(sp, 0, sizeof(*sp));
	sp->api = api;
	sp->loop = loop;
	sp->opts = *o;
	sp->cfg = cfg;
	sp->connect_window = SPEAKER_CONNECT_WINDOW_START;
	uv_idle_init(loop, &sp->pump);
	sp->pump.data = sp;
	uv_timer_init(loop, &sp->sweep);
	sp->sweep.data = sp;
	uv_timer_init(loop, &sp->connq_timer);
	sp->connq_timer.data = sp;
	sp->peers = calloc((size_t)cfg->nneighbors + 1, sizeof(*sp->peers));
	sp->rdbuf = malloc(SPEAKER_READ_BUF);
	if (!sp->peers || !sp->rdbuf)
		return -1;
	for (int i = 0; i < cfg->nneighbors; i++) {
		sp->peers[i] = peer_new(sp, cfg->neighbors[i]);
		if (!sp->peers[i])
			return -1;
		sp->npeers++;
	}
	return 0;
}

static bool ip_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->afi == b->afi && !memcmp(a->addr, b->addr, a->afi == AFI_IPV4 ? 4 : 16);
}

static unsigned full_len(const struct ip_addr *a)
{
	return a->afi == AFI_IPV4 ? 32u : 128u;
}

static bool is_prefix_neighbor(const struct neighbor_conf *c)
{
	return c->peer_prefix_len && c->peer_prefix_len < full_len(&c->peer_address);
}

/* A passive neighbor given as a prefix gets one peer per remote address,
 * made on its first connection, with the prefix's configuration. */
static struct peer *dynamic_peer(struct speaker *sp, const struct neighbor_conf *tmpl, const struct ip_addr *remote)
{
	struct neighbor_conf *c = malloc(sizeof(*c));
	struct peer **v = realloc(sp->peers, ((size_t)sp->npeers + 2) * sizeof(*v));
	if (!c || !v) {
		free(c);
		if (v)
			sp->peers = v;
		return NULL;
	}
	sp->peers = v;
	*c = *tmpl;
	c->peer_address = *remote;
	c->peer_prefix_len = (uint8_t)full_len(remote);
	struct peer *p = peer_new(sp, c);
	if (!p) {
		free(c);
		return NULL;
	}
	p->owned_conf = c;
	struct sockaddr_storage ss;
	sockaddr_from_ip(remote, 0, &ss);
	sockaddr_format((struct sockaddr *)&ss, p->name, sizeof(p->name));
	p->state = PEER_ACTIVE;
	sp->peers[sp->npeers++] = p;
	log_info(LOG_REACTOR, "peer %s: new session from neighbor %s", p->name, tmpl->name);
	return p;
}

struct peer *speaker_find_peer(struct speaker *sp, const struct ip_addr *remote, const struct ip_addr *local)
{
	struct peer *best = NULL;
	for (int i = 0; i < sp->npeers; i++) {
		struct peer *p = sp->peers[i];
		const struct neighbor_conf *c = p->conf;
		if (is_prefix_neighbor(c) || !ip_equal(&c->peer_address, remote))
			continue;
		/* Several neighbors may share a peer address with different local addresses. */
		if (!c->local_address_auto && c->local_address.afi && !ip_equal(&c->local_address, local))
			continue;
		best = p;
		break;
	}
	if (best)
		return best;
	for (int i = 0; i < sp->cfg->nneighbors; i++) {
		const struct neighbor_conf *c = sp->cfg->neighbors[i];
		if (is_prefix_neighbor(c) && ip_in_prefix(remote, &c->peer_address, c->peer_prefix_len))
			return dynamic_peer(sp, c, remote);
	}
	return NULL;
}

void speaker_start(struct speaker *sp)
{
	for (int i = 0; i < sp->opts.nbind; i++)
		listener_open(sp, &sp->opts.bind[i], sp->opts.port);
	/* Per-neighbor "listen PORT": a socket on its local address. */
	for (int i = 0; i < sp->npeers; i++) {
		const struct neighbor_conf *c = sp->peers[i]->conf;
		if (c->listen_port && c->local_address.afi && !c->local_address_auto)
			listener_open(sp, &c->local_address, c->listen_port);
	}
	listener_apply_md5(sp);
	for (int i = 0; i < sp->npeers; i++)
		if (!is_prefix_neighbor(sp->peers[i]->conf))
			peer_start(sp->peers[i]);
		else
			sp->peers[i]->done = true; /* the prefix itself never has a session */
	if (sp->npeers == 0 && sp->opts.once)
		speaker_peer_done(sp);
}

void speaker_peer_done(struct speaker *sp)
{
	for (int i = 0; i < sp->npeers; i++)
		if (!sp->peers[i]->done)
			return;
	/* Every peer's attempt is over (tcp.once) or every peer stopped. */
	if (!sp->shutting_down)
		log_info(LOG_REACTOR, "every session has ended, exiting");
	speaker_shutdown(sp, BGP_CEASE_ADMIN_SHUTDOWN);
}

void speaker_forget_peer(struct speaker *sp, struct peer *p)
{
	for (int i = 0; i < sp->npeers; i++)
		if (sp->peers[i] == p) {
			memmove(&sp->peers[i], &sp->peers[i + 1], (size_t)(sp->npeers - i - 1) * sizeof(*sp->peers));
			sp->npeers--;
			break;
		}
	pumpq_remove(sp, p);
	connq_forget(sp, p);
	peer_free(p);
	if (sp->shutting_down)
		speaker_peer_done(sp);
}

static void free_peers(struct speaker *sp)
{
	for (int i = 0; i < sp->npeers; i++) {
		sp->peers[i]->connecting = sp->peers[i]->connect_queued = false;
		peer_free(sp->peers[i]);
	}
	sp->npeers = 0;
	sp->npumpq = 0;
	sp->connecting = sp->connq_head = sp->nconnq = 0;
}

/* The helpers got "shutdown" and are gone: nothing holds the loop now. */
static void on_api_closed(void *ctx)
{
	struct speaker *sp = ctx;
	if (sp->on_finished)
		sp->on_finished(sp, sp->ctx);
}

void speaker_shutdown(struct speaker *sp, uint8_t cease_subcode)
{
	if (sp->shutting_down) {
		/* Second call (all peers done): release the handles so the loop ends. */
		if (sp->peers) {
			free_peers(sp);
			free(sp->peers);
			sp->peers = NULL;
			if (!uv_is_closing((uv_handle_t *)&sp->pump))
				uv_close((uv_handle_t *)&sp->pump, NULL);
			if (!uv_is_closing((uv_handle_t *)&sp->connq_timer))
				uv_close((uv_handle_t *)&sp->connq_timer, NULL);
			if (sp->api)
				api_shutdown(sp->api, on_api_closed, sp);
			else
				on_api_closed(sp);
		}
		return;
	}
	sp->shutting_down = true;
	uv_idle_stop(&sp->pump);
	listener_close_all(sp);
	for (int i = 0; i < sp->npeers; i++)
		peer_shutdown(sp->peers[i], cease_subcode);
	/* Peers report through speaker_peer_done() once their sockets closed. */
	speaker_peer_done(sp);
}

bool speaker_route_wanted(const struct speaker *sp, const struct route *r)
{
	if (r->watchdog)
		for (int i = 0; i < sp->nwatchdogs; i++)
			if (!strcmp(sp->watchdogs[i].name, r->watchdog))
				return sp->watchdogs[i].announced;
	return !(r->flags & ROUTE_WITHDRAWN);
}

void speaker_free(struct speaker *sp)
{
	for (int i = 0; i < sp->nwatchdogs; i++)
		free(sp->watchdogs[i].name);
	free(sp->watchdogs);
	sp->watchdogs = NULL;
	free(sp->api_refs);
	sp->api_refs = NULL;
	sp->nwatchdogs = 0;
	free(sp->peers);
	sp->peers = NULL;
	free(sp->pumpq);
	sp->pumpq = NULL;
	sp->npumpq = sp->cappumpq = 0;
	free(sp->connq);
	sp->connq = NULL;
	free(sp->rdbuf);
	sp->rdbuf = NULL;
	sp->connq_head = sp->nconnq = sp->capconnq = 0;
}
