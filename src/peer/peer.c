/* BGP session of one neighbor: connection, input, output and timers on
 * libuv, and struct peer_io for the FSM (peer_fsm.c), which makes every
 * protocol decision (see peer.h). */
#include "peer/peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "peer/peer_int.h"
#include "peer/peer_params.h"
#include "peer/sockopt.h"
#include "peer/speaker.h"
#include "rib/update_encode.h"
#include "wire/header.h"
#include "wire/notification.h"
#include "wire/refresh.h"

#define OUT_HIGH_WATER (4u << 20)  /* stop packing routes above this many queued bytes */
#define PUMP_SLICE (256u << 10)    /* bytes of UPDATEs packed per peer per loop turn */
#define READ_CHUNK (64u << 10)
/* KEEPALIVE and hold timers fire on a 250 ms grid of loop time, so that the
 * timers of thousands of sessions share wake-ups instead of each waking the
 * process (10,000 sessions: a few wake-ups per second, not 1,000).  A
 * KEEPALIVE is at most 250 ms late once, then stays on the grid. */
#define TIMER_GRID_MS 250u

static void on_close(uv_handle_t *h);
static void note_local_address(struct peer *p);

/* libuv calls back for every request and every closed handle, even after
 * the peer is being freed: each pending callback is counted, and the last
 * one frees the peer.  Returns true when the peer is gone (or going) and
 * the callback must not touch it further. */
bool peer_callback_done(struct peer *p)
{
	p->callbacks--;
	if (!p->freeing)
		return false;
	if (p->callbacks == 0) {
		ribout_free(&p->rib);
		ribin_clear(&p->ribin);
		free(p->in);
		free(p->owned_conf);
		free(p);
	}
	return true;
}

void peer_close_tcp(struct peer *p)
{
	p->callbacks++;
	uv_close((uv_handle_t *)p->tcp, on_close);
	p->tcp = NULL;
}

/* --- output --- */

struct write_req {
	uv_write_t req;
	struct peer *peer;
	size_t len;
	uint8_t data[];
};

static void on_write(uv_write_t *req, int status)
{
	struct write_req *wr = (struct write_req *)req;
	struct peer *p = wr->peer;
	p->out_queued -= wr->len;
	free(wr);
	if (peer_callback_done(p))
		return;
	if (status < 0 && status != UV_ECANCELED)
		log_info(LOG_NETWORK, "peer %s: write failed: %s", p->name, uv_strerror(status));
	/* Room again in the output queue: let the pump continue, if this peer
	 * has something to send (not on every KEEPALIVE of an idle session). */
	if (p->out_queued < OUT_HIGH_WATER / 2 && peer_has_output(p))
		speaker_wake_peer(p->sp, p);
}

static int peer_write(struct peer *p, const uint8_t *data, size_t len)
{
	if (!p->tcp || !len)
		return -1;
	struct write_req *wr = malloc(sizeof(*wr) + len);
	if (!wr)
		return -1;
	wr->peer = p;
	wr->len = len;
	memcpy(wr->data, data, len);
	uv_buf_t b = uv_buf_init((char *)wr->data, (unsigned)len);
	int rc = uv_write(&wr->req, (uv_stream_t *)p->tcp, &b, 1, on_write);
	if (rc < 0) {
		free(wr);
		log_info(LOG_NETWORK, "peer %s: write failed: %s", p->name, uv_strerror(rc));
		return -1;
	}
	p->out_queued += len;
	p->callbacks++;
	if (p->sp->api)
		api_event_messages(p->sp->api, &p->api, API_DIR_SEND, data, len);
	return 0;
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	struct peer *p = req->data;
	free(req);
	if (peer_callback_done(p))
		return;
	peer_close_connection(p);
}

/* Closes the connection, after the queued output when drain is set. */
static void io_close(struct peer *p, bool drain)
{
	if (!p->tcp)
		return;
	if (drain) {
		p->draining = true;
		uv_read_stop((uv_stream_t *)p->tcp);
		uv_shutdown_t *req = malloc(sizeof(*req));
		if (req) {
			req->data = p;
			if (uv_shutdown(req, (uv_stream_t *)p->tcp, on_shutdown) == 0) {
				p->callbacks++;
				return;
			}
			free(req);
		}
	}
	peer_close_connection(p);
}

/* --- timers --- */

/* ms from now, rounded up so that the expiry falls on the grid. */
static uint64_t on_grid(const struct peer *p, uint64_t ms)
{
	uint64_t due = uv_now(p->sp->loop) + ms;
	return ms + (TIMER_GRID_MS - due % TIMER_GRID_MS) % TIMER_GRID_MS;
}

static void on_hold_timer(uv_timer_t *t)
{
	struct peer *p = t->data;
	uint64_t now = uv_now(p->sp->loop);
	if (now < p->hold_deadline) {
		/* A message came since the timer was armed: sleep the rest. */
		uv_timer_start(&p->hold_timer, on_hold_timer, on_grid(p, p->hold_deadline - now), 0);
		return;
	}
	peer_fsm(p, EV_HOLD_TIMER, NULL);
}

static void on_keepalive_timer(uv_timer_t *t)
{
	peer_fsm(t->data, EV_KEEPALIVE_TIMER, NULL);
}

static void on_connect_timer(uv_timer_t *t)
{
	peer_fsm(t->data, EV_CONNECT_RETRY_TIMER, NULL);
}

void peer_restart_hold_timer(struct peer *p, unsigned seconds)
{
	if (p->reads_paused) {
		/* Not reading (a helper is behind): the peer's KEEPALIVEs wait in
		 * the socket, so its silence means nothing until reads resume. */
		uv_timer_stop(&p->hold_timer);
		return;
	}
	if (!seconds) {
		uv_timer_stop(&p->hold_timer);
		return;
	}
	/* Every message restarts the timer: only move the deadline, and re-arm
	 * the libuv timer (a heap update) when it would fire too late; when it
	 * fires early it sleeps the rest (on_hold_timer).  With 10,000 sessions
	 * that is one heap update per hold time per peer, not per KEEPALIVE. */
	uint64_t ms = (uint64_t)seconds * 1000u;
	p->hold_deadline = uv_now(p->sp->loop) + ms;
	if (!uv_is_active((uv_handle_t *)&p->hold_timer) || uv_timer_get_due_in(&p->hold_timer) > ms + TIMER_GRID_MS)
		uv_timer_start(&p->hold_timer, on_hold_timer, on_grid(p, ms), 0);
}

/* The keepalive timer repeats every ms, on the grid; the connect retry
 * timer fires once. */
static void io_timer(struct peer *p, int timer, unsigned ms)
{
	switch (timer) {
	case PEER_TIMER_HOLD:
		peer_restart_hold_timer(p, ms / 1000u);
		return;
	case PEER_TIMER_KEEPALIVE:
		if (ms)
			uv_timer_start(&p->keepalive_timer, on_keepalive_timer, on_grid(p, ms), ms);
		else
			uv_timer_stop(&p->keepalive_timer);
		return;
	case PEER_TIMER_CONNECT_RETRY:
		if (ms)
			uv_timer_start(&p->connect_timer, on_connect_timer, ms, 0);
		else
			uv_timer_stop(&p->connect_timer);
		return;
	default:
		return;
	}
}

static bool route_wanted(const void *ctx, const struct route *r)
{
	return speaker_route_wanted(ctx, r);
}

void peer_reconfigure(struct peer *p, const struct neighbor_conf *nc, bool restart)
{
	p->conf = nc;
	if (restart) {
		/* Session parameters changed: a new OPEN, so a new session. */
		peer_build_open(p);
		if (p->tcp && p->state >= PEER_OPENSENT)
			log_info(LOG_REACTOR, "peer %s: configuration changed, restarting the session", p->name);
		struct peer_msg cease = {.err_code = BGP_ERR_CEASE, .err_sub = BGP_CEASE_OTHER_CONFIG_CHANGE};
		peer_fsm(p, EV_RESET, &cease);
		return;
	}
	if (p->rib_loaded) {
		size_t n = ribout_sync_config(&p->rib, &nc->routes, route_wanted, p->sp);
		log_info(LOG_RIB, "peer %s: configuration reloaded, %zu route change%s", p->name, n, n == 1 ? "" : "s");
		if (n)
			speaker_wake_peer(p->sp, p);
	}
}

void peer_remove(struct peer *p)
{
	/* The running configuration is about to be freed: keep a private copy
	 * of what the closing session still reads, without routes or strings. */
	struct neighbor_conf *c = malloc(sizeof(*c));
	if (c) {
		*c = *p->conf;
		memset(&c->routes, 0, sizeof(c->routes));
		c->description = c->md5_password = c->host_name = c->domain_name = NULL;
		c->tcp_ao.password = NULL; /* a closing session opens no socket */
		c->tcp_ao.algorithm = TCP_AO_NONE;
		c->nexthops = NULL;
		c->nnexthops = 0;
		c->apis = NULL;
		c->napis = 0;
		free(p->owned_conf);
		p->owned_conf = c;
		p->conf = c;
	}
	p->removed = true;
	log_info(LOG_REACTOR, "peer %s: removed from the configuration", p->name);
	peer_shutdown(p, BGP_CEASE_PEER_DECONFIGURED);
}

bool peer_has_output(const struct peer *p)
{
	return ribout_has_pending(&p->rib) || p->eor_due || p->eorr_due;
}

bool peer_pump(struct peer *p)
{
	if (p->state != PEER_ESTABLISHED || !p->tcp)
		return false;
	if (p->out_queued >= OUT_HIGH_WATER)
		return false; /* on_write wakes the pump when the queue drains */
	if (!peer_has_output(p))
		return false;
	struct wbuf w;
	wb_init(&w, PUMP_SLICE + 65536);
	size_t n = ribout_pack(&p->rib, &p->popts, &w, PUMP_SLICE);
	size_t nupdates = n;
	if (!ribout_has_pending(&p->rib) && p->eor_due) {
		/* RFC 4724 2: End-of-RIB for every negotiated family once the
		 * initial table is out. */
		for (int f = 0; f < FAM_COUNT; f++)
			if (p->neg.families & FAM_BIT(f)) {
				encode_eor(&w, family_table[f].afi, family_table[f].safi);
				n++;
			}
		p->eor_due = false;
	}
	if (!ribout_has_pending(&p->rib) && p->eorr_due) {
		for (int f = 0; f < FAM_COUNT; f++)
			if (p->eorr_due & FAM_BIT(f)) {
				refresh_encode(&w, family_table[f].afi, family_table[f].safi, REFRESH_EORR);
				n++;
			}
		p->eorr_due = 0;
	}
	if (w.err)
		log_error(LOG_RIB, "peer %s: out of memory while packing routes", p->name);
	else if (w.len && peer_write(p, w.data, w.len) == 0) {
		p->msgs_sent += n;
		p->updates_sent += nupdates;
	}
	wb_free(&w);
	return peer_has_output(p);
}

/* --- input --- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	struct peer *p = h->data;
	if (!p->in_len && p->sp->rdbuf) {
		/* Nothing pending: read into the speaker's buffer, so that an idle
		 * session owns no input buffer (10,000 sessions, 20 KB each). */
		*buf = uv_buf_init((char *)p->sp->rdbuf, SPEAKER_READ_BUF);
		return;
	}
	if (p->in_cap - p->in_len < READ_CHUNK) {
		size_t cap = p->in_len + READ_CHUNK + 65536;
		uint8_t *n = realloc(p->in, cap);
		if (!n) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		p->in = n;
		p->in_cap = cap;
	}
	*buf = uv_buf_init((char *)p->in + p->in_len, (unsigned)(p->in_cap - p->in_len));
}

/* Handles every whole message of in[0..len); returns the bytes used. */
static size_t process_input(struct peer *p, const uint8_t *in, size_t len)
{
	size_t off = 0;
	/* Stops as soon as reads are paused: the rest waits in the buffer. */
	while (p->tcp && !p->draining && !p->reads_paused && len - off >= BGP_HEADER_LEN) {
		uint16_t mlen;
		uint8_t type, sub, data[2];
		size_t dlen = 0;
		size_t max = p->state == PEER_ESTABLISHED ? p->neg.max_msg : BGP_MAX_MSG;
		struct peer_rx rx;
		if (bgp_header_check(in + off, max, &mlen, &type, &sub, data, &dlen) < 0) {
			peer_rx_header_error(&rx, in + off, sub, data, dlen);
			peer_fsm(p, EV_HEADER_ERROR, &rx.msg);
			return off;
		}
		if (len - off < mlen)
			break;
		int event = peer_rx_decode(p, in + off, mlen, &rx);
		if (p->sp->api)
			peer_rx_to_api(p, &rx);
		if (event >= 0)
			peer_fsm(p, event, &rx.msg);
		peer_rx_done(&rx);
		if (!p->tcp || p->draining)
			return off; /* the session ended: the rest is not read */
		off += mlen;
	}
	return off;
}

/* The peer's own buffer holds what is left: a partial message, or whole
 * ones while reads are paused. */
static void keep_input(struct peer *p, const uint8_t *data, size_t len)
{
	if (p->in_cap < len + READ_CHUNK) {
		uint8_t *n = realloc(p->in, len + READ_CHUNK);
		if (!n) {
			log_error(LOG_NETWORK, "peer %s: out of memory for input", p->name);
			peer_close_connection(p);
			return;
		}
		p->in = n;
		p->in_cap = len + READ_CHUNK;
	}
	memmove(p->in, data, len);
	p->in_len = len;
}

static void drop_input(struct peer *p)
{
	free(p->in);
	p->in = NULL;
	p->in_len = p->in_cap = 0;
}

/* Handles what waits in the peer's own buffer. */
static void process_pending(struct peer *p)
{
	size_t used = process_input(p, p->in, p->in_len);
	if (used && p->tcp) {
		memmove(p->in, p->in + used, p->in_len - used);
		p->in_len -= used;
	}
	if (!p->in_len && p->sp->rdbuf)
		drop_input(p); /* back to the shared buffer */
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct peer *p = s->data;
	if (nread < 0) {
		log_info(LOG_NETWORK, "peer %s: connection closed by peer (%s)", p->name,
			 nread == UV_EOF ? "end of stream" : uv_strerror((int)nread));
		if (!p->down_what[0]) {
			snprintf(p->down_what, sizeof(p->down_what), "connection closed by peer");
			snprintf(p->down_error, sizeof(p->down_error), "%s",
				 nread == UV_EOF ? "end of stream" : uv_strerror((int)nread));
		}
		peer_close_connection(p);
		return;
	}
	if (buf->base == (char *)p->sp->rdbuf) {
		size_t used = process_input(p, p->sp->rdbuf, (size_t)nread);
		if (used < (size_t)nread && p->tcp)
			keep_input(p, p->sp->rdbuf + used, (size_t)nread - used);
		return;
	}
	p->in_len += (size_t)nread;
	process_pending(p);
}

/* --- connection --- */

static void on_close(uv_handle_t *h)
{
	struct peer *p = h->data;
	free(h);
	peer_callback_done(p);
}

void peer_close_connection(struct peer *p)
{
	if (!p->tcp)
		return;
	peer_close_tcp(p);
	p->in_len = 0;
	p->draining = false;
	peer_fsm(p, EV_TCP_CLOSED, NULL);
}

void peer_connected(struct peer *p)
{
	if (p->sp->api) {
		note_local_address(p);
		api_event_connected(p->sp->api, &p->api);
	}
	peer_fsm(p, EV_TCP_CONNECTED, NULL);
}

static int io_send(struct peer *p, const uint8_t *msgs, size_t len)
{
	return peer_write(p, msgs, len);
}

static void io_read(struct peer *p, bool on)
{
	if (!p->tcp)
		return;
	if (on)
		uv_read_start((uv_stream_t *)p->tcp, on_alloc, on_read);
	else
		uv_read_stop((uv_stream_t *)p->tcp);
}

const struct peer_io peer_uv_io = {
	.send = io_send,
	.close = io_close,
	.connect = peer_start_connect,
	.timer = io_timer,
	.read = io_read,
};

/* The API prints the session's local address; with local-address auto it
 * is known only once the socket exists. */
static void note_local_address(struct peer *p)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	if (!p->tcp || uv_tcp_getsockname(p->tcp, (struct sockaddr *)&ss, &len) != 0)
		return;
	struct ip_addr a;
	ip_from_sockaddr((struct sockaddr *)&ss, &a);
	api_neighbor_set_local(&p->api, &a);
}

void peer_send_eor(struct peer *p, int family)
{
	if (p->state != PEER_ESTABLISHED || !(p->neg.families & FAM_BIT(family)))
		return;
	struct wbuf w;
	wb_init(&w, 32);
	encode_eor(&w, family_table[family].afi, family_table[family].safi);
	if (!w.err && peer_write(p, w.data, w.len) == 0)
		p->msgs_sent++;
	wb_free(&w);
}

void peer_send_refresh(struct peer *p, uint16_t afi, uint8_t safi)
{
	if (p->state != PEER_ESTABLISHED)
		return;
	struct wbuf w;
	wb_init(&w, 32);
	refresh_encode(&w, afi, safi, REFRESH_QUERY);
	if (!w.err && peer_write(p, w.data, w.len) == 0)
		p->msgs_sent++;
	wb_free(&w);
}

void peer_teardown(struct peer *p, uint8_t cease_subcode)
{
	/* a peer held down by maximum-prefix is started again by a teardown */
	if ((!p->tcp || p->state < PEER_OPENSENT) && !p->max_prefix_down)
		return;
	/* The data is what ExaBGP 4.2 sends (the subcode's name, RFC 8203 for 6/2 and 6/4). */
	uint8_t data[64];
	size_t len = notification_teardown_data(cease_subcode, data);
	struct peer_msg cease = {.err_code = BGP_ERR_CEASE, .err_sub = cease_subcode, .err_data = data, .err_len = len};
	peer_fsm(p, EV_RESET, &cease);
}

void peer_pause_reading(struct peer *p, bool pause)
{
	if (pause == p->reads_paused)
		return;
	p->reads_paused = pause;
	if (!p->tcp || p->state < PEER_OPENSENT)
		return;
	if (pause) {
		uv_read_stop((uv_stream_t *)p->tcp);
		uv_timer_stop(&p->hold_timer);
	} else {
		uv_read_start((uv_stream_t *)p->tcp, on_alloc, on_read);
		peer_restart_hold_timer(p, p->state == PEER_ESTABLISHED ? p->neg.hold_time : (unsigned)p->sp->opts.openwait);
		process_pending(p); /* what arrived before the pause */
	}
}

static void on_retired_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	uv_tcp_t *old = req->data;
	struct peer *p = old->data;
	free(req);
	uv_close((uv_handle_t *)old, on_close); /* on_close settles its callback */
	peer_callback_done(p);
}

/* Collision (RFC 4271 6.8): the current connection loses.  It gets a Cease
 * "Connection Collision Resolution" (6/7) and is closed once that is
 * written; the peer itself carries on with another connection. */
static void retire_connection(struct peer *p)
{
	uv_tcp_t *old = p->tcp;
	uint8_t m[21];
	memset(m, 0xFF, 16);
	put_u16(m + 16, sizeof(m));
	m[18] = BGP_MSG_NOTIFICATION;
	m[19] = BGP_ERR_CEASE;
	m[20] = BGP_CEASE_COLLISION;
	uv_read_stop((uv_stream_t *)old);
	peer_write(p, m, sizeof(m));
	p->tcp = NULL;
	p->callbacks++; /* the handle's close */
	uv_shutdown_t *req = malloc(sizeof(*req));
	if (req) {
		req->data = old;
		if (uv_shutdown(req, (uv_stream_t *)old, on_retired_shutdown) == 0) {
			p->callbacks++;
			return;
		}
		free(req);
	}
	uv_close((uv_handle_t *)old, on_close);
}

void peer_adopt(struct peer *p, uv_tcp_t *tcp, const uint8_t *data, size_t len)
{
	if (p->tcp) {
		if (p->state >= PEER_OPENSENT) {
			log_info(LOG_NETWORK, "peer %s: collision, keeping the incoming connection", p->name);
			retire_connection(p);
		} else {
			peer_close_tcp(p); /* a connect still in progress */
		}
	}
	uv_timer_stop(&p->connect_timer);
	p->tcp = tcp;
	tcp->data = p;
	p->in_len = 0;
	if (len) {
		if (p->in_cap < len + READ_CHUNK) {
			uint8_t *n = realloc(p->in, len + READ_CHUNK);
			if (!n) {
				peer_close_connection(p);
				return;
			}
			p->in = n;
			p->in_cap = len + READ_CHUNK;
		}
		memcpy(p->in, data, len);
		p->in_len = len;
	}
	p->draining = false;
	log_info(LOG_NETWORK, "peer %s: accepted incoming connection", p->name);
	/* The old session's OPEN is forgotten once the FSM has left its state:
	 * leaving Established acts on it (RFC 4724 4.2, graceful.c). */
	peer_connected(p);
	memset(&p->theirs, 0, sizeof(p->theirs));
	process_pending(p);
}

struct peer *peer_new(struct speaker *sp, const struct neighbor_conf *conf)
{
	struct peer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->sp = sp;
	p->io = &peer_uv_io;
	p->conf = conf;
	snprintf(p->name, sizeof(p->name), "%s", conf->name ? conf->name : "?");
	/* Several neighbors towards one address (different local addresses):
	 * name them apart in the logs. */
	for (int i = 0; i < sp->cfg->nneighbors; i++) {
		const struct neighbor_conf *o = sp->cfg->neighbors[i];
		if (o != conf && o->peer_address.afi == conf->peer_address.afi &&
		    !memcmp(o->peer_address.addr, conf->peer_address.addr, sizeof(o->peer_address.addr)) &&
		    conf->local_address.afi) {
			struct sockaddr_storage ss;
			char local[64];
			sockaddr_from_ip(&conf->local_address, 0, &ss);
			sockaddr_format((struct sockaddr *)&ss, local, sizeof(local));
			int w = snprintf(p->name, sizeof(p->name), "%.30s,local=%.20s", conf->name ? conf->name : "?", local);
			(void)w; /* a truncated log name is fine */
			break;
		}
	}
	uv_timer_init(sp->loop, &p->connect_timer);
	uv_timer_init(sp->loop, &p->hold_timer);
	uv_timer_init(sp->loop, &p->keepalive_timer);
	p->connect_timer.data = p->hold_timer.data = p->keepalive_timer.data = p;
	graceful_init(p); /* RFC 4724 receiver timer */
	ribin_init(&p->ribin, sp->cfg->pool);
	p->ribin.budget = sp->opts.ribin_budget;
	if (ribout_init(&p->rib, sp->cfg->pool) < 0) {
		free(p);
		return NULL;
	}
	peer_build_open(p);
	if (sp->api)
		api_neighbor_init(sp->api, &p->api, conf, p);
	return p;
}

void peer_start(struct peer *p)
{
	peer_fsm(p, EV_START, NULL);
}

void peer_connect_slot_free(struct peer *p)
{
	peer_fsm(p, EV_CONNECT_RETRY_TIMER, NULL);
}

void peer_shutdown(struct peer *p, uint8_t cease_subcode)
{
	struct peer_msg cease = {.err_code = BGP_ERR_CEASE, .err_sub = cease_subcode};
	peer_fsm(p, EV_STOP, &cease);
}

static void on_timer_closed(uv_handle_t *h)
{
	peer_callback_done(h->data);
}

void peer_free(struct peer *p)
{
	/* Close what is still open; the last pending callback frees the peer. */
	p->freeing = true;
	if (p->tcp)
		peer_close_tcp(p);
	p->callbacks += 3;
	uv_close((uv_handle_t *)&p->connect_timer, on_timer_closed);
	uv_close((uv_handle_t *)&p->hold_timer, on_timer_closed);
	uv_close((uv_handle_t *)&p->keepalive_timer, on_timer_closed);
	graceful_free(p); /* RFC 4724 receiver timer */
}
