/* BGP session of one neighbor: connection, FSM (RFC 4271 section 8),
 * timers and output (see peer.h). */
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
#include "wire/update_parse.h"

#define OUT_HIGH_WATER (4u << 20)  /* stop packing routes above this many queued bytes */
#define PUMP_SLICE (256u << 10)    /* bytes of UPDATEs packed per peer per loop turn */
#define READ_CHUNK (64u << 10)
/* KEEPALIVE and hold timers fire on a 250 ms grid of loop time, so that the
 * timers of thousands of sessions share wake-ups instead of each waking the
 * process (10,000 sessions: a few wake-ups per second, not 1,000).  A
 * KEEPALIVE is at most 250 ms late once, then stays on the grid. */
#define TIMER_GRID_MS 250u

static const char *const state_names[] = {"IDLE", "CONNECT", "ACTIVE", "OPENSENT", "OPENCONFIRM",
					  "ESTABLISHED"};

const char *peer_state_name(int state)
{
	return state >= 0 && state <= PEER_ESTABLISHED ? state_names[state] : "?";
}

static void fsm(struct peer *p, int event);
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

static void set_state(struct peer *p, int state)
{
	if (p->state == state)
		return;
	log_info(LOG_REACTOR, "peer %s: %s -> %s", p->name, peer_state_name(p->state), peer_state_name(state));
	int was = p->state;
	p->state = state;
	if (state != PEER_CONNECT && state != PEER_OPENSENT)
		speaker_connect_done(p->sp, p); /* the OPEN came, or the attempt is over */
	if (p->sp->api) {
		api_event_fsm(p->sp->api, &p->api, state);
		if (state == PEER_IDLE && was >= PEER_OPENSENT) {
			char reason[512];
			if (p->stopping && !p->removed)
				snprintf(reason, sizeof(reason), "stop, message (shutting down)"); /* ExaBGP's words */
			else
				api_down_reason(reason, sizeof(reason),
						p->down_what[0] ? p->down_what : "connection closed", p->down_error);
			api_event_down(p->sp->api, &p->api, reason);
		}
	}
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

static void send_keepalive(struct peer *p)
{
	uint8_t m[19];
	memset(m, 0xFF, 16);
	put_u16(m + 16, 19);
	m[18] = BGP_MSG_KEEPALIVE;
	if (peer_write(p, m, sizeof(m)) == 0)
		p->msgs_sent++;
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

/* Sends a NOTIFICATION and closes once it is written. */
static void send_notification(struct peer *p, uint8_t code, uint8_t sub, const uint8_t *data, size_t len)
{
	struct wbuf w;
	wb_init(&w, 64 + len);
	size_t start = bgp_msg_begin(&w, BGP_MSG_NOTIFICATION);
	wb_u8(&w, code);
	wb_u8(&w, sub);
	wb_bytes(&w, data, len);
	bgp_msg_end(&w, start);
	log_info(LOG_NETWORK, "peer %s: sending NOTIFICATION %u/%u (%s / %s)", p->name, code, sub,
		 notification_code_name(code), notification_subcode_name(code, sub));
	snprintf(p->down_what, sizeof(p->down_what), "notification sent (%u,%u)", code, sub);
	snprintf(p->down_error, sizeof(p->down_error), "%s / %s / ", notification_code_name(code),
		 notification_subcode_name(code, sub));
	if (!w.err && peer_write(p, w.data, w.len) == 0)
		p->msgs_sent++;
	wb_free(&w);
	if (!p->tcp)
		return;
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
	fsm(p, EV_HOLD_TIMER);
}

static void on_keepalive_timer(uv_timer_t *t)
{
	fsm(t->data, EV_KEEPALIVE_TIMER);
}

static void on_connect_timer(uv_timer_t *t)
{
	fsm(t->data, EV_CONNECT_RETRY_TIMER);
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

/* --- OPEN --- */

static void send_open(struct peer *p)
{
	struct wbuf w;
	wb_init(&w, 256);
	open_encode(&w, &p->ours);
	if (!w.err && peer_write(p, w.data, w.len) == 0)
		p->msgs_sent++;
	wb_free(&w);
}

static bool route_wanted(const void *ctx, const struct route *r)
{
	return speaker_route_wanted(ctx, r);
}

/* The table the peer must receive: the configured routes (as the current
 * configuration has them, after any reload) plus what helpers announced. */
static void load_rib(struct peer *p)
{
	if (p->rib_loaded) {
		ribout_session_down(&p->rib);
		ribout_sync_config(&p->rib, &p->conf->routes, route_wanted, p->sp);
		return;
	}
	const struct route_list *l = &p->conf->routes;
	for (size_t i = 0; i < l->n; i++) {
		const struct route *r = l->v[i];
		if (!speaker_route_wanted(p->sp, r))
			continue;
		if (ribout_announce_config(&p->rib, r) < 0)
			log_error(LOG_RIB, "peer %s: out of memory loading routes", p->name);
	}
	p->rib_loaded = true;
}

void peer_reconfigure(struct peer *p, const struct neighbor_conf *nc, bool restart)
{
	p->conf = nc;
	if (restart) {
		/* Session parameters changed: a new OPEN, so a new session. */
		peer_build_open(p);
		if (p->tcp && p->state >= PEER_OPENSENT) {
			log_info(LOG_REACTOR, "peer %s: configuration changed, restarting the session", p->name);
			send_notification(p, 6, 6, NULL, 0); /* Cease, Other Configuration Change */
		} else if (p->tcp) {
			peer_close_connection(p);
		} else if (!p->conf->passive && p->state != PEER_CONNECT) {
			fsm(p, EV_START);
		}
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
	peer_shutdown(p, 3); /* Cease, Peer De-configured (RFC 4486) */
}

static void established(struct peer *p)
{
	set_state(p, PEER_ESTABLISHED);
	p->failures = 0;
	peer_setup_encoding(p);
	if (p->neg.keepalive)
		uv_timer_start(&p->keepalive_timer, on_keepalive_timer, on_grid(p, p->neg.keepalive * 1000u),
			       p->neg.keepalive * 1000u);
	load_rib(p);
	p->eor_due = !p->conf->manual_eor;
	p->eorr_due = 0;
	log_info(LOG_REACTOR, "peer %s: established (%zu routes to send)", p->name, p->rib.pending);
	p->down_what[0] = p->down_error[0] = '\0';
	if (p->sp->api)
		api_event_up(p->sp->api, &p->api);
	speaker_wake_peer(p->sp, p);
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
	else if (w.len && peer_write(p, w.data, w.len) == 0)
		p->msgs_sent += n;
	wb_free(&w);
	return peer_has_output(p);
}

/* --- input --- */

static int handle_message(struct peer *p, uint8_t type, const uint8_t *body, size_t len)
{
	p->msgs_received++;
	peer_restart_hold_timer(p, p->state == PEER_ESTABLISHED || p->state == PEER_OPENCONFIRM
				      ? p->neg.hold_time
				      : (unsigned)p->sp->opts.openwait);
	switch (type) {
	case BGP_MSG_OPEN: {
		uint8_t sub;
		if (p->state != PEER_OPENSENT) {
			send_notification(p, 5, 0, NULL, 0); /* FSM error (RFC 6608 would say 5/2) */
			return -1;
		}
		if (open_decode(body, len, &p->theirs, &sub) < 0) {
			/* 2/1 carries the version we support (RFC 4271 6.2). */
			static const uint8_t version[2] = {0, BGP_VERSION};
			log_error(LOG_NETWORK, "peer %s: bad OPEN (2/%u)", p->name, sub);
			send_notification(p, 2, sub, version, sub == 1 ? 2 : 0);
			return -1;
		}
		sub = peer_check_open(p);
		if (sub) {
			send_notification(p, 2, sub, NULL, 0);
			return -1;
		}
		negotiate(&p->ours, &p->theirs, &p->neg);
		if (p->sp->api) {
			api_neighbor_set_session(&p->api, &p->ours, &p->theirs, &p->neg);
			api_event_negotiated(p->sp->api, &p->api);
		}
		log_info(LOG_NETWORK, "peer %s: OPEN received, AS %u, hold time %u, router-id %u.%u.%u.%u",
			 p->name, p->neg.peer_as, p->neg.hold_time, p->theirs.router_id >> 24,
			 (p->theirs.router_id >> 16) & 0xFF, (p->theirs.router_id >> 8) & 0xFF,
			 p->theirs.router_id & 0xFF);
		send_keepalive(p);
		set_state(p, PEER_OPENCONFIRM);
		peer_restart_hold_timer(p, p->neg.hold_time);
		return 0;
	}
	case BGP_MSG_KEEPALIVE:
		if (p->state == PEER_OPENCONFIRM)
			established(p);
		return 0;
	case BGP_MSG_NOTIFICATION: {
		struct notification n;
		char text[512];
		if (notification_decode(body, len, &n) == 0)
			notification_str(text, sizeof(text), &n);
		else
			snprintf(text, sizeof(text), "malformed NOTIFICATION");
		log_error(LOG_NETWORK, "peer %s: NOTIFICATION received %u/%u: %s", p->name, len > 0 ? body[0] : 0,
			  len > 1 ? body[1] : 0, text);
		snprintf(p->down_what, sizeof(p->down_what), "notification received (%u,%u)", len > 0 ? body[0] : 0,
			 len > 1 ? body[1] : 0);
		snprintf(p->down_error, sizeof(p->down_error), "%.*s", (int)sizeof(p->down_error) - 1, text);
		peer_close_connection(p);
		return -1;
	}
	case BGP_MSG_UPDATE: {
		if (p->state != PEER_ESTABLISHED) {
			send_notification(p, 5, 0, NULL, 0); /* FSM error (RFC 6608) */
			return -1;
		}
		/* Validate per RFC 4271 6.3 / RFC 7606; the routes themselves are
		 * only counted here (the API hands them to helpers). */
		struct update_parse_opts uo = {
			.asn4 = p->neg.asn4,
			.ebgp = p->conf->local_as != p->neg.peer_as,
			.families = p->neg.families,
			.addpath_rx = p->neg.addpath_receive,
		};
		struct update_msg *m = &p->sp->scratch_update;
		struct attr_pool *pool = p->conf->adj_rib_in ? p->sp->cfg->pool : NULL;
		update_parse(body, len, &uo, pool, m);
		if (m->verdict == UPDATE_RESET) {
			log_error(LOG_NETWORK, "peer %s: malformed UPDATE (%s), NOTIFICATION %u/%u", p->name,
				  m->reason ? m->reason : "?", m->err_code, m->err_sub);
			send_notification(p, m->err_code, m->err_sub, m->err_data, m->err_data_len);
			update_msg_release(m, pool);
			return -1;
		}
		if (m->verdict == UPDATE_TREAT_AS_WITHDRAW)
			log_warning(LOG_NETWORK, "peer %s: UPDATE treated as withdraw (RFC 7606): %s", p->name,
				    m->reason ? m->reason : "?");
		p->updates_received++;
		if (pool)
			ribin_apply(&p->ribin, m, &uo);
		update_msg_release(m, pool);
		return 0;
	}
	case BGP_MSG_ROUTE_REFRESH: {
		struct route_refresh rr;
		uint8_t code, sub;
		if (p->state != PEER_ESTABLISHED) {
			send_notification(p, 5, 0, NULL, 0);
			return -1;
		}
		int rc = refresh_decode(body, len, &rr, &code, &sub);
		if (rc == REFRESH_ERROR) {
			send_notification(p, code, sub, body, len);
			return -1;
		}
		if (rc == REFRESH_IGNORE || rr.subtype != REFRESH_QUERY)
			return 0; /* BoRR/EoRR from the peer: we keep no adj-rib-in state to age */
		int f = family_find(rr.afi, rr.safi);
		if (f < 0 || !(p->neg.families & FAM_BIT(f))) {
			log_info(LOG_NETWORK, "peer %s: route refresh for a family not negotiated (%u/%u), ignored",
				 p->name, rr.afi, rr.safi);
			return 0;
		}
		if (!p->conf->adj_rib_out) {
			log_warning(LOG_NETWORK, "peer %s: route refresh requested but adj-rib-out is disabled", p->name);
			return 0;
		}
		log_info(LOG_NETWORK, "peer %s: route refresh for %s %s", p->name, family_table[f].afi_name,
			 family_table[f].safi_name);
		if (p->neg.enhanced_route_refresh) {
			/* RFC 7313 4: the resent routes are bracketed by BoRR and EoRR. */
			struct wbuf w;
			wb_init(&w, 32);
			refresh_encode(&w, rr.afi, rr.safi, REFRESH_BORR);
			if (!w.err && peer_write(p, w.data, w.len) == 0)
				p->msgs_sent++;
			wb_free(&w);
			p->eorr_due |= FAM_BIT(f);
		}
		ribout_resend(&p->rib, FAM_BIT(f));
		speaker_wake_peer(p->sp, p);
		return 0;
	}
	default:
		return 0;
	}
}

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
	while (p->tcp && !p->reads_paused && len - off >= BGP_HEADER_LEN) {
		uint16_t mlen;
		uint8_t type, sub, data[2];
		size_t dlen = 0;
		size_t max = p->state == PEER_ESTABLISHED ? p->neg.max_msg : BGP_MAX_MSG;
		if (bgp_header_check(in + off, max, &mlen, &type, &sub, data, &dlen) < 0) {
			log_error(LOG_NETWORK, "peer %s: bad message header (1/%u)", p->name, sub);
			send_notification(p, 1, sub, data, dlen); /* Message Header Error */
			return off;
		}
		if (len - off < mlen)
			break;
		if (p->sp->api)
			api_event_message(p->sp->api, &p->api, API_DIR_RECEIVE, in + off, mlen);
		if (handle_message(p, type, in + off + BGP_HEADER_LEN, mlen - (size_t)BGP_HEADER_LEN) < 0)
			return off;
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
	fsm(p, EV_TCP_CLOSED);
}

/* The one attempt of tcp.once is over, or the peer is stopping. */
static void attempt_over(struct peer *p)
{
	uv_timer_stop(&p->hold_timer);
	uv_timer_stop(&p->keepalive_timer);
	set_state(p, PEER_IDLE);
	if (p->removed) {
		speaker_forget_peer(p->sp, p);
		return;
	}
	if (p->stopping || p->sp->opts.once) {
		if (!p->done) {
			p->done = true;
			speaker_peer_done(p->sp);
		}
		return;
	}
	if (p->conf->passive) {
		set_state(p, PEER_ACTIVE); /* wait for the peer to connect */
		return;
	}
	/* Back off: 1, 2, 4, ... seconds up to connect_retry between attempts;
	 * a session that reached Established starts again at 1 second. */
	unsigned max = p->sp->opts.connect_retry > 0 ? (unsigned)p->sp->opts.connect_retry : 30u;
	unsigned delay = p->failures < 6 ? 1u << p->failures : max;
	if (delay > max)
		delay = max;
	p->failures++;
	set_state(p, PEER_CONNECT);
	log_debug(LOG_NETWORK, "peer %s: next connection attempt in %u s", p->name, delay);
	uv_timer_start(&p->connect_timer, on_connect_timer, delay * 1000u, 0);
}

/* The FSM: every transition of the session goes through here. */
static void fsm(struct peer *p, int event)
{
	switch (event) {
	case EV_START:
		if (p->conf->passive) {
			/* Listening arrives with the sessions issue; a passive peer waits. */
			set_state(p, PEER_ACTIVE);
			return;
		}
		set_state(p, PEER_CONNECT);
		peer_start_connect(p);
		return;
	case EV_CONNECT_RETRY_TIMER:
		if (p->state == PEER_CONNECT && !p->tcp && !p->stopping)
			peer_start_connect(p);
		return;
	case EV_TCP_CONNECTED:
		log_info(LOG_NETWORK, "peer %s: connected", p->name);
		p->down_what[0] = p->down_error[0] = '\0';
		if (p->sp->api) {
			note_local_address(p);
			api_event_connected(p->sp->api, &p->api);
		}
		uv_read_start((uv_stream_t *)p->tcp, on_alloc, on_read);
		send_open(p);
		set_state(p, PEER_OPENSENT);
		peer_restart_hold_timer(p, (unsigned)p->sp->opts.openwait);
		return;
	case EV_TCP_FAILED:
	case EV_TCP_CLOSED:
		if (p->state == PEER_ESTABLISHED)
			ribout_session_down(&p->rib);
		ribin_clear(&p->ribin); /* what the peer sent is gone with its session */
		attempt_over(p);
		return;
	case EV_HOLD_TIMER:
		if (p->state == PEER_CONNECT) {
			/* No SYN-ACK: a filtered port, a dead host, or a peer that
			 * drops our SYNs because the MD5 signature does not match. */
			log_error(LOG_NETWORK, "peer %s: connection timed out%s", p->name,
				  p->conf->md5_password ? " (TCP MD5 configured: a password mismatch "
							  "makes the peer drop our SYNs silently)"
							: "");
			peer_close_connection(p);
			return;
		}
		log_error(LOG_NETWORK, "peer %s: hold timer expired in %s", p->name, peer_state_name(p->state));
		send_notification(p, 4, 0, NULL, 0); /* Hold Timer Expired */
		return;
	case EV_KEEPALIVE_TIMER:
		if (p->state == PEER_ESTABLISHED)
			send_keepalive(p);
		return;
	case EV_STOP:
		p->stopping = true;
		uv_timer_stop(&p->connect_timer);
		if (!p->tcp) {
			attempt_over(p);
			return;
		}
		return;
	default:
		return;
	}
}

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
	/* The data is what ExaBGP 4.2 sends (the subcode's name, RFC 8203 for 6/2 and 6/4). */
	uint8_t data[64];
	size_t len = notification_teardown_data(cease_subcode, data);
	if (p->tcp && p->state >= PEER_OPENSENT)
		send_notification(p, 6, cease_subcode, data, len);
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
	m[19] = 6;
	m[20] = 7;
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
	memset(&p->theirs, 0, sizeof(p->theirs));
	log_info(LOG_NETWORK, "peer %s: accepted incoming connection", p->name);
	p->down_what[0] = p->down_error[0] = '\0';
	if (p->sp->api) {
		note_local_address(p);
		api_event_connected(p->sp->api, &p->api);
	}
	uv_read_start((uv_stream_t *)tcp, on_alloc, on_read);
	send_open(p);
	set_state(p, PEER_OPENSENT);
	peer_restart_hold_timer(p, (unsigned)p->sp->opts.openwait);
	process_pending(p);
}

struct peer *peer_new(struct speaker *sp, const struct neighbor_conf *conf)
{
	struct peer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->sp = sp;
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
	ribin_init(&p->ribin, sp->cfg->pool);
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
	fsm(p, EV_START);
}

void peer_connect_slot_free(struct peer *p)
{
	fsm(p, EV_CONNECT_RETRY_TIMER);
}

void peer_fsm(struct peer *p, int event)
{
	fsm(p, event);
}

void peer_shutdown(struct peer *p, uint8_t cease_subcode)
{
	p->stopping = true;
	uv_timer_stop(&p->connect_timer);
	if (p->tcp && p->state >= PEER_OPENSENT) {
		send_notification(p, 6, cease_subcode, NULL, 0); /* Cease (RFC 4486) */
		return;
	}
	if (p->tcp)
		peer_close_connection(p);
	else
		fsm(p, EV_STOP);
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
}
