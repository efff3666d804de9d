/* The session FSM (src/peer/peer_fsm.c) against RFC 4271 section 8.2.2,
 * state by state and event by event, without sockets: the peer's side
 * effects go to a recorder (struct peer_io), received messages are built
 * as bytes and go through the session's decoder (peer_rx.c) as they do
 * from a socket.
 *
 * Each row of the table below is one (state, event) cell: the state the
 * peer ends in once the connection is closed (a NOTIFICATION is written
 * before the close, so the FSM leaves the state on EV_TCP_CLOSED), whether
 * it went through Idle, and the NOTIFICATION it sent.  Where fastbgp
 * differs from the RFC on purpose the row says so (see also the head of
 * peer_fsm.c):
 *   [restart]  after Idle the session restarts by itself: Connect (with the
 *              back-off in the connect retry timer), or Active when passive;
 *   [6608]     FSM errors carry RFC 6608 subcodes: 5/1 OpenSent, 5/2
 *              OpenConfirm, 5/3 Established;
 *   [notif]    a received NOTIFICATION is never answered with one;
 *   [no-tcp]   without a connection nothing is received, the FSM ignores
 *              message events in Idle, Connect and Active;
 *   [collide]  collisions are resolved on accept (RFC 4271 6.8), not by
 *              OpenConfirm's OpenCollisionDump;
 *   [4724]     with Graceful Restart negotiated (both OPENs carry the
 *              capability), ManualStop closes an Established session
 *              without a Cease, and a session lost without a NOTIFICATION
 *              keeps the peer's routes as stale (test_graceful). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/parser.h"
#include "peer/peer_int.h"
#include "peer/speaker.h"
#include "rib/ribin_stale.h"
#include "wire/header.h"

#define NONE 0xFF /* no NOTIFICATION sent */

/* ---- the recorder ---- */

static struct {
	int sent[32];  /* message types, in order */
	int nsent;
	uint8_t code, sub; /* last NOTIFICATION sent */
	uint8_t data[8];
	size_t data_len;
	int closes, drains, connects;
	bool pending_close; /* a drained close: the test completes it */
	long timer[3];      /* last value per timer, -1: never set */
	int from[32], to[32];
	int ntrans;
	bool reading;
} R;

static int rec_send(struct peer *p, const uint8_t *m, size_t len)
{
	(void)p;
	size_t o = 0;
	while (o + BGP_HEADER_LEN <= len) {
		size_t l = get_u16(m + o + 16);
		uint8_t type = m[o + 18];
		if (R.nsent < 32)
			R.sent[R.nsent++] = type;
		if (type == BGP_MSG_NOTIFICATION && l >= 21) {
			R.code = m[o + 19];
			R.sub = m[o + 20];
			R.data_len = l - 21 < sizeof(R.data) ? l - 21 : sizeof(R.data);
			memcpy(R.data, m + o + 21, R.data_len);
		}
		o += l;
	}
	return 0;
}

/* As peer.c: a close without drain is at once and the FSM sees it at once;
 * a drained one completes later (settle()). */
static void rec_close(struct peer *p, bool drain)
{
	R.closes++;
	if (drain) {
		R.drains++;
		R.pending_close = true;
		p->draining = true;
		return;
	}
	p->tcp = NULL;
	peer_fsm(p, EV_TCP_CLOSED, NULL);
}

static void rec_connect(struct peer *p)
{
	(void)p;
	R.connects++;
}

static void rec_timer(struct peer *p, int timer, unsigned ms)
{
	(void)p;
	R.timer[timer] = ms;
}

static void rec_read(struct peer *p, bool on)
{
	(void)p;
	R.reading = on;
}

static void rec_changed(struct peer *p, int from, int to)
{
	(void)p;
	if (R.ntrans < 32) {
		R.from[R.ntrans] = from;
		R.to[R.ntrans++] = to;
	}
}

static const struct peer_io recorder = {rec_send, rec_close, rec_connect, rec_timer, rec_read, rec_changed};

static void rec_clear(void)
{
	memset(&R, 0, sizeof(R));
	R.code = R.sub = NONE;
	R.timer[0] = R.timer[1] = R.timer[2] = -1;
}

static bool went_through(int state)
{
	for (int i = 0; i < R.ntrans; i++)
		if (R.to[i] == state)
			return true;
	return false;
}

/* ---- the peer ---- */

struct fx {
	uv_loop_t loop;
	struct config cfg;
	struct speaker sp;
	struct peer *p;
	uv_tcp_t fake_tcp; /* never touched: every use goes through the recorder */
};

/* Two neighbors: the second is never started, so that stopping the first
 * does not end the daemon (speaker_peer_done). */
static const char *const conf_text = "neighbor 127.0.0.2 {\n"
				     "  router-id 10.0.0.1;\n"
				     "  local-address 127.0.0.1;\n"
				     "  local-as 65001;\n"
				     "  peer-as 65002;\n"
				     "  hold-time 90;\n"
				     "  %s\n"
				     "}\n"
				     "neighbor 127.0.0.3 {\n"
				     "  router-id 10.0.0.1;\n"
				     "  local-address 127.0.0.1;\n"
				     "  local-as 65001;\n"
				     "  peer-as 65003;\n"
				     "}\n";

static struct fx *fx_new(const char *extra)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	char text[1024], err[256];
	snprintf(text, sizeof(text), conf_text, extra);
	config_init(&f->cfg);
	if (config_load_string(&f->cfg, "fsm.conf", text, err, sizeof(err)) < 0)
		fail_msg("config: %s", err);
	struct speaker_opts o = {.port = 179, .openwait = 60, .connect_retry = 30};
	assert_int_equal(speaker_init(&f->sp, &f->loop, &o, &f->cfg, NULL), 0);
	f->p = f->sp.peers[0];
	f->p->io = &recorder;
	f->sp.peers[1]->io = &recorder;
	rec_clear();
	return f;
}

static void close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void fx_free(struct fx *f)
{
	if (f->sp.peers) {
		for (int i = 0; i < f->sp.npeers; i++) {
			f->sp.peers[i]->tcp = NULL;
			peer_free(f->sp.peers[i]);
		}
	}
	close_handle((uv_handle_t *)&f->sp.pump);
	close_handle((uv_handle_t *)&f->sp.sweep);
	close_handle((uv_handle_t *)&f->sp.connq_timer);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	speaker_free(&f->sp);
	config_free(&f->cfg);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
}

/* A drained close (after a NOTIFICATION) completes, as libuv's shutdown
 * callback does once the NOTIFICATION is written. */
static void settle(struct peer *p)
{
	if (!R.pending_close)
		return;
	R.pending_close = false;
	p->tcp = NULL;
	p->draining = false;
	peer_fsm(p, EV_TCP_CLOSED, NULL);
}

/* ---- messages, as bytes ---- */

static void deliver(struct peer *p, const uint8_t *m, size_t len)
{
	struct peer_rx rx;
	uint16_t mlen;
	uint8_t type, sub, data[2];
	size_t dlen;
	size_t max = p->state == PEER_ESTABLISHED ? p->neg.max_msg : BGP_MAX_MSG;
	if (bgp_header_check(m, max, &mlen, &type, &sub, data, &dlen) < 0) {
		peer_rx_header_error(&rx, m, sub, data, dlen);
		peer_fsm(p, EV_HEADER_ERROR, &rx.msg);
		return;
	}
	assert_true(mlen <= len);
	int ev = peer_rx_decode(p, m, mlen, &rx);
	if (ev >= 0)
		peer_fsm(p, ev, &rx.msg);
	peer_rx_done(&rx);
}

static void deliver_wbuf(struct peer *p, struct wbuf *w)
{
	assert_false(w->err);
	deliver(p, w->data, w->len);
	wb_free(w);
}

/* Their OPEN carries Graceful Restart (RFC 4724 3) for IPv4 unicast, with
 * the F bit, restart time 120 s. */
static bool their_gr;

static void their_open(struct peer *p, uint8_t version, uint16_t as)
{
	struct bgp_open o;
	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = as;
	o.hold_time = 90;
	o.router_id = 0x0A000002;
	o.caps.asn4 = true;
	o.caps.asn4_value = as;
	if (their_gr) {
		o.caps.graceful_restart = true;
		o.caps.gr_time = 120;
		o.caps.gr_families = o.caps.gr_forwarding = FAM_BIT(FAM_IPV4_UNICAST);
	}
	struct wbuf w;
	wb_init(&w, 128);
	open_encode(&w, &o);
	w.data[19] = version;
	deliver_wbuf(p, &w);
}

static void keepalive(struct peer *p)
{
	struct wbuf w;
	wb_init(&w, 32);
	bgp_keepalive(&w);
	deliver_wbuf(p, &w);
}

static void notification(struct peer *p)
{
	struct wbuf w;
	wb_init(&w, 32);
	notification_encode(&w, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, NULL, 0);
	deliver_wbuf(p, &w);
}

static void update_body(struct peer *p, const uint8_t *body, size_t len)
{
	struct wbuf w;
	wb_init(&w, 64);
	size_t start = bgp_msg_begin(&w, BGP_MSG_UPDATE);
	wb_bytes(&w, body, len);
	bgp_msg_end(&w, start);
	deliver_wbuf(p, &w);
}

/* 10.1.2.0/24, ORIGIN IGP, AS_PATH 65002 (4-octet), NEXT_HOP 10.0.0.2. */
static const uint8_t UPD_OK[] = {0,    0,    0,    20,   0x40, 1,    1,    0,    0x40, 2,    6,    2,   1,
				    0,    0,    0xfd, 0xea, 0x40, 3,    4,    10,   0,    0,    2,    24,   10,  1, 2};
/* The same with ORIGIN 5: RFC 7606 7.1, treat-as-withdraw. */
static const uint8_t UPD_TAW[] = {0,    0,    0,    20,   0x40, 1,    1,    5,    0x40, 2,    6,    2,   1,
				     0,    0,    0xfd, 0xea, 0x40, 3,    4,    10,   0,    0,    2,    24,   10,  1, 2};
/* Withdrawn Routes Length past the message: 3/1 (RFC 4271 6.3). */
static const uint8_t UPD_BAD[] = {0xff, 0xff, 0, 0};

/* End-of-RIB for IPv4 unicast: an empty UPDATE (RFC 4724 2). */
static const uint8_t UPD_EOR[] = {0, 0, 0, 0};

static void update(struct peer *p)
{
	update_body(p, UPD_OK, sizeof(UPD_OK));
}

static void update_error(struct peer *p)
{
	update_body(p, UPD_BAD, sizeof(UPD_BAD));
}

/* A marker that is not all ones: 1/1. */
static void header_error(struct peer *p)
{
	uint8_t m[BGP_HEADER_LEN];
	memset(m, 0xFF, sizeof(m));
	m[3] = 0;
	put_u16(m + 16, BGP_HEADER_LEN);
	m[18] = BGP_MSG_KEEPALIVE;
	deliver(p, m, sizeof(m));
}

/* ---- events ---- */

enum tev {
	T_START,
	T_STOP,
	T_RETRY,
	T_HOLD,
	T_KA_TIMER,
	T_TCP_UP,
	T_TCP_FAIL,
	T_OPEN,
	T_OPEN_ERR,
	T_HEADER_ERR,
	T_NOTIF,
	T_KA,
	T_UPDATE,
	T_UPDATE_ERR,
};

static const char *const tev_names[] = {"ManualStart",	 "ManualStop",	  "ConnectRetryTimer_Expires",
					"HoldTimer_Expires", "KeepaliveTimer_Expires", "TcpConnectionConfirmed",
					"TcpConnectionFails", "BGPOpen",	  "BGPOpenMsgErr",
					"BGPHeaderErr",	 "NotifMsg",	  "KeepAliveMsg",
					"UpdateMsg",	 "UpdateMsgErr"};

static void inject(struct fx *f, int ev)
{
	struct peer *p = f->p;
	struct peer_msg stop = {.err_code = BGP_ERR_CEASE, .err_sub = BGP_CEASE_ADMIN_SHUTDOWN};
	switch (ev) {
	case T_START:
		peer_fsm(p, EV_START, NULL);
		break;
	case T_STOP:
		peer_fsm(p, EV_STOP, &stop);
		break;
	case T_RETRY:
		peer_fsm(p, EV_CONNECT_RETRY_TIMER, NULL);
		break;
	case T_HOLD:
		peer_fsm(p, EV_HOLD_TIMER, NULL);
		break;
	case T_KA_TIMER:
		peer_fsm(p, EV_KEEPALIVE_TIMER, NULL);
		break;
	case T_TCP_UP:
		p->tcp = &f->fake_tcp;
		peer_fsm(p, EV_TCP_CONNECTED, NULL);
		break;
	case T_TCP_FAIL:
		/* As libuv: the handle is gone before the FSM hears of it. */
		{
			bool up = p->tcp != NULL;
			p->tcp = NULL;
			peer_fsm(p, up ? EV_TCP_CLOSED : EV_TCP_FAILED, NULL);
		}
		break;
	case T_OPEN:
		their_open(p, BGP_VERSION, 65002);
		break;
	case T_OPEN_ERR:
		their_open(p, 3, 65002); /* Unsupported Version Number */
		break;
	case T_HEADER_ERR:
		header_error(p);
		break;
	case T_NOTIF:
		notification(p);
		break;
	case T_KA:
		keepalive(p);
		break;
	case T_UPDATE:
		update(p);
		break;
	case T_UPDATE_ERR:
		update_error(p);
		break;
	default:
		fail();
	}
}

/* Brings a fresh peer to a state through the events that lead there. */
static void reach(struct fx *f, int state)
{
	if (state == PEER_IDLE)
		return;
	inject(f, T_START);
	if (state == PEER_CONNECT || state == PEER_ACTIVE) {
		assert_int_equal(f->p->state, state);
		rec_clear();
		return;
	}
	inject(f, T_TCP_UP);
	if (state >= PEER_OPENCONFIRM)
		inject(f, T_OPEN);
	if (state >= PEER_ESTABLISHED)
		inject(f, T_KA);
	assert_int_equal(f->p->state, state);
	rec_clear();
}

struct cell {
	int state;
	int ev;
	int end;       /* the state once the connection is closed */
	bool idle;     /* went through Idle */
	uint8_t code, sub; /* the NOTIFICATION sent, NONE for none */
	const char *why;   /* RFC 4271 8.2.2, or why fastbgp differs */
};

#define C PEER_CONNECT
#define S PEER_OPENSENT
#define O PEER_OPENCONFIRM
#define E PEER_ESTABLISHED
#define I PEER_IDLE

static const struct cell table[] = {
	/* Idle: ManualStart starts a connection; every other event is ignored. */
	{I, T_START, C, false, NONE, 0, "Idle + ManualStart -> Connect, TCP connection initiated"},
	{I, T_RETRY, I, false, NONE, 0, "Idle ignores ConnectRetryTimer_Expires"},
	{I, T_HOLD, I, false, NONE, 0, "Idle ignores HoldTimer_Expires"},
	{I, T_KA_TIMER, I, false, NONE, 0, "Idle ignores KeepaliveTimer_Expires"},
	{I, T_OPEN, I, false, NONE, 0, "Idle ignores BGPOpen"},
	{I, T_HEADER_ERR, I, false, NONE, 0, "Idle ignores BGPHeaderErr"},
	{I, T_KA, I, false, NONE, 0, "Idle ignores KeepAliveMsg"},
	{I, T_UPDATE, I, false, NONE, 0, "Idle ignores UpdateMsg"},
	{I, T_NOTIF, I, false, NONE, 0, "Idle ignores NotifMsg"},
	{I, T_STOP, I, false, NONE, 0, "Idle + ManualStop: stays Idle"},

	/* Connect */
	{C, T_START, C, false, NONE, 0, "Connect ignores ManualStart"},
	{C, T_STOP, I, true, NONE, 0, "Connect + ManualStop -> Idle"},
	{C, T_RETRY, C, false, NONE, 0, "Connect + ConnectRetryTimer_Expires: new connection, stays Connect"},
	{C, T_TCP_UP, S, false, NONE, 0, "Connect + TcpConnectionConfirmed -> OpenSent, OPEN sent"},
	{C, T_TCP_FAIL, C, true, NONE, 0, "Connect + TcpConnectionFails -> Idle [restart] (RFC: Active)"},
	{C, T_KA_TIMER, C, false, NONE, 0, "Connect: keepalive timer not running"},
	{C, T_OPEN, C, false, NONE, 0, "[no-tcp] (RFC: BGPOpen only with DelayOpen)"},
	{C, T_KA, C, false, NONE, 0, "[no-tcp] (RFC: -> Idle)"},
	{C, T_UPDATE, C, false, NONE, 0, "[no-tcp] (RFC: -> Idle)"},
	{C, T_NOTIF, C, false, NONE, 0, "[no-tcp] (RFC: -> Idle)"},

	/* OpenSent */
	{S, T_START, S, false, NONE, 0, "OpenSent ignores ManualStart"},
	{S, T_STOP, I, true, 6, 2, "OpenSent + ManualStop: Cease, -> Idle (stays: stopped)"},
	{S, T_RETRY, S, false, NONE, 0, "OpenSent: connect retry timer not running (RFC: FSM error)"},
	{S, T_HOLD, C, true, 4, 0, "OpenSent + HoldTimer_Expires: Hold Timer Expired, -> Idle [restart]"},
	{S, T_KA_TIMER, S, false, NONE, 0, "OpenSent: keepalive timer not running (RFC: FSM error)"},
	{S, T_TCP_FAIL, C, true, NONE, 0, "OpenSent + TcpConnectionFails -> Idle [restart] (RFC: Active)"},
	{S, T_OPEN, O, false, NONE, 0, "OpenSent + BGPOpen: KEEPALIVE sent -> OpenConfirm"},
	{S, T_OPEN_ERR, C, true, 2, 1, "OpenSent + BGPOpenMsgErr: OPEN Message Error -> Idle [restart]"},
	{S, T_HEADER_ERR, C, true, 1, 1, "OpenSent + BGPHeaderErr: Message Header Error -> Idle [restart]"},
	{S, T_NOTIF, C, true, NONE, 0, "OpenSent + NotifMsg -> Idle [notif] [restart]"},
	{S, T_KA, C, true, 5, 1, "OpenSent + KeepAliveMsg: FSM Error [6608] -> Idle [restart]"},
	{S, T_UPDATE, C, true, 5, 1, "OpenSent + UpdateMsg: FSM Error [6608] -> Idle [restart]"},
	{S, T_UPDATE_ERR, C, true, 5, 1, "OpenSent + UpdateMsgErr: FSM Error (not decoded before Established)"},

	/* OpenConfirm */
	{O, T_START, O, false, NONE, 0, "OpenConfirm ignores ManualStart"},
	{O, T_STOP, I, true, 6, 2, "OpenConfirm + ManualStop: Cease -> Idle"},
	{O, T_HOLD, C, true, 4, 0, "OpenConfirm + HoldTimer_Expires: Hold Timer Expired -> Idle [restart]"},
	{O, T_TCP_FAIL, C, true, NONE, 0, "OpenConfirm + TcpConnectionFails -> Idle [restart]"},
	{O, T_OPEN, C, true, 5, 2, "OpenConfirm + BGPOpen: FSM Error [6608] [collide] -> Idle [restart]"},
	{O, T_HEADER_ERR, C, true, 1, 1, "OpenConfirm + BGPHeaderErr -> Idle [restart]"},
	{O, T_NOTIF, C, true, NONE, 0, "OpenConfirm + NotifMsg -> Idle [restart]"},
	{O, T_KA, E, false, NONE, 0, "OpenConfirm + KeepAliveMsg -> Established"},
	{O, T_UPDATE, C, true, 5, 2, "OpenConfirm + UpdateMsg: FSM Error [6608] -> Idle [restart]"},
	{O, T_UPDATE_ERR, C, true, 5, 2, "OpenConfirm + UpdateMsgErr: FSM Error [6608] -> Idle [restart]"},
	{O, T_OPEN_ERR, C, true, 5, 2, "OpenConfirm + BGPOpenMsgErr: FSM Error [6608] -> Idle [restart]"},
	{O, T_RETRY, O, false, NONE, 0, "OpenConfirm: connect retry timer not running (RFC: FSM error)"},
	{O, T_KA_TIMER, O, false, NONE, 0, "OpenConfirm: keepalive timer starts in Established (RFC: KEEPALIVE sent)"},

	/* Established */
	{E, T_START, E, false, NONE, 0, "Established ignores ManualStart"},
	{E, T_STOP, I, true, 6, 2, "Established + ManualStop: Cease -> Idle"},
	{E, T_HOLD, C, true, 4, 0, "Established + HoldTimer_Expires: Hold Timer Expired -> Idle [restart]"},
	{E, T_KA_TIMER, E, false, NONE, 0, "Established + KeepaliveTimer_Expires: KEEPALIVE sent"},
	{E, T_TCP_FAIL, C, true, NONE, 0, "Established + TcpConnectionFails -> Idle [restart]"},
	{E, T_OPEN, C, true, 5, 3, "Established + BGPOpen: FSM Error [6608] [collide] -> Idle [restart]"},
	{E, T_HEADER_ERR, C, true, 1, 1, "Established + BGPHeaderErr -> Idle [restart]"},
	{E, T_NOTIF, C, true, NONE, 0, "Established + NotifMsg -> Idle [restart]"},
	{E, T_KA, E, false, NONE, 0, "Established + KeepAliveMsg: hold timer restarted"},
	{E, T_UPDATE, E, false, NONE, 0, "Established + UpdateMsg: processed, hold timer restarted"},
	{E, T_UPDATE_ERR, C, true, 3, 1, "Established + UpdateMsgErr: UPDATE Message Error -> Idle [restart]"},
	{E, T_OPEN_ERR, C, true, 5, 3, "Established + BGPOpenMsgErr: FSM Error [6608] -> Idle [restart]"},
	{E, T_RETRY, E, false, NONE, 0, "Established: connect retry timer not running (RFC: FSM error)"},
};

static void run_cell(const struct cell *c, const char *extra)
{
	struct fx *f = fx_new(extra);
	reach(f, c->state);
	inject(f, c->ev);
	settle(f->p);
	const char *label = c->why;
	if (f->p->state != c->end || went_through(PEER_IDLE) != c->idle || R.code != c->code ||
	    (c->code != NONE && R.sub != c->sub))
		fail_msg("%s x %s (%s): state %s (want %s), idle %d (want %d), NOTIFICATION %u/%u (want %u/%u)",
			 peer_state_name(c->state), tev_names[c->ev], label, peer_state_name(f->p->state),
			 peer_state_name(c->end), went_through(PEER_IDLE), c->idle, R.code, R.sub, c->code, c->sub);
	/* A NOTIFICATION is written before the connection is closed. */
	if (c->code != NONE)
		assert_true(R.drains == 1 && R.nsent >= 1 && R.sent[R.nsent - 1] == BGP_MSG_NOTIFICATION);
	fx_free(f);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		run_cell(&table[i], "");
}

/* Active: a passive neighbor waits for the peer to connect. */
static void test_active(void **state)
{
	(void)state;
	static const struct cell active[] = {
		{I, T_START, PEER_ACTIVE, false, NONE, 0, "Idle + ManualStart (passive) -> Active"},
		{PEER_ACTIVE, T_STOP, I, true, NONE, 0, "Active + ManualStop -> Idle"},
		{PEER_ACTIVE, T_RETRY, PEER_ACTIVE, false, NONE, 0, "Active: no connection of ours to retry"},
		{PEER_ACTIVE, T_TCP_UP, S, false, NONE, 0, "Active + TcpConnectionConfirmed -> OpenSent"},
		{PEER_ACTIVE, T_HOLD, PEER_ACTIVE, false, NONE, 0, "Active: hold timer not running"},
		{PEER_ACTIVE, T_KA, PEER_ACTIVE, false, NONE, 0, "[no-tcp]"},
		{S, T_NOTIF, PEER_ACTIVE, true, NONE, 0, "OpenSent + NotifMsg -> Idle -> Active [restart]"},
		{E, T_HOLD, PEER_ACTIVE, true, 4, 0, "Established + HoldTimer_Expires -> Idle -> Active [restart]"},
	};
	for (size_t i = 0; i < sizeof(active) / sizeof(active[0]); i++)
		run_cell(&active[i], "passive;");
}

/* The actions RFC 4271 8.2.2 names besides the state: what is sent and
 * how the timers are set. */
static void test_actions(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	struct peer *p = f->p;

	inject(f, T_START);
	assert_int_equal(R.connects, 1);
	rec_clear();

	/* TcpConnectionConfirmed: OPEN sent, hold timer set to the open wait
	 * (RFC: "a large value", 4 minutes suggested; here bgp.openwait). */
	inject(f, T_TCP_UP);
	assert_int_equal(R.nsent, 1);
	assert_int_equal(R.sent[0], BGP_MSG_OPEN);
	assert_int_equal(R.timer[PEER_TIMER_HOLD], 60 * 1000);
	assert_true(R.reading);
	rec_clear();

	/* BGPOpen: KEEPALIVE sent, hold timer set to the negotiated hold time. */
	inject(f, T_OPEN);
	assert_int_equal(R.nsent, 1);
	assert_int_equal(R.sent[0], BGP_MSG_KEEPALIVE);
	assert_int_equal(R.timer[PEER_TIMER_HOLD], 90 * 1000);
	assert_int_equal(p->neg.hold_time, 90);
	rec_clear();

	/* KeepAliveMsg: Established, keepalive timer at a third of the hold time. */
	inject(f, T_KA);
	assert_int_equal(p->state, PEER_ESTABLISHED);
	assert_int_equal(R.timer[PEER_TIMER_KEEPALIVE], 30 * 1000);
	assert_int_equal(R.timer[PEER_TIMER_HOLD], 90 * 1000);
	rec_clear();

	/* UpdateMsg restarts the hold timer; a treat-as-withdraw UPDATE (RFC
	 * 7606) keeps the session. */
	uint64_t before = p->updates_received;
	update_body(p, UPD_TAW, sizeof(UPD_TAW));
	assert_int_equal(p->state, PEER_ESTABLISHED);
	assert_int_equal(R.code, NONE);
	assert_int_equal(R.timer[PEER_TIMER_HOLD], 90 * 1000);
	assert_int_equal(p->updates_received, before + 1);
	rec_clear();

	/* KeepaliveTimer_Expires: KEEPALIVE sent. */
	inject(f, T_KA_TIMER);
	assert_int_equal(R.nsent, 1);
	assert_int_equal(R.sent[0], BGP_MSG_KEEPALIVE);
	rec_clear();

	/* HoldTimer_Expires: NOTIFICATION 4/0, then Idle: the timers stop, and
	 * the restart arms the connect retry timer (first back-off: 1 s after
	 * an Established session). */
	inject(f, T_HOLD);
	assert_int_equal(R.code, BGP_ERR_HOLD_TIMER);
	settle(p);
	assert_true(went_through(PEER_IDLE));
	assert_int_equal(R.timer[PEER_TIMER_HOLD], 0);
	assert_int_equal(R.timer[PEER_TIMER_KEEPALIVE], 0);
	assert_int_equal(R.timer[PEER_TIMER_CONNECT_RETRY], 1000);
	assert_int_equal(p->state, PEER_CONNECT);
	rec_clear();

	/* ConnectRetryTimer_Expires in Connect: a new connection. */
	inject(f, T_RETRY);
	assert_int_equal(R.connects, 1);
	/* A failed attempt backs off: 2 s. */
	inject(f, T_TCP_FAIL);
	assert_int_equal(R.timer[PEER_TIMER_CONNECT_RETRY], 2000);
	fx_free(f);
}

/* The NOTIFICATION data RFC 4271 6.2 / 6.1 ask for. */
static void test_notification_data(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	reach(f, PEER_OPENSENT);
	inject(f, T_OPEN_ERR);
	/* 2/1: the largest version we support. */
	assert_int_equal(R.code, BGP_ERR_OPEN);
	assert_int_equal(R.sub, BGP_ERR_OPEN_VERSION);
	assert_int_equal(R.data_len, 2);
	assert_int_equal(R.data[0], 0);
	assert_int_equal(R.data[1], BGP_VERSION);
	fx_free(f);

	/* An OPEN from the wrong AS: 2/2 Bad Peer AS. */
	f = fx_new("");
	reach(f, PEER_OPENSENT);
	their_open(f->p, BGP_VERSION, 65099);
	assert_int_equal(R.code, BGP_ERR_OPEN);
	assert_int_equal(R.sub, BGP_ERR_OPEN_BAD_AS);
	fx_free(f);

	/* A message longer than 4096 bytes without RFC 8654: 1/2, the length. */
	f = fx_new("");
	reach(f, PEER_ESTABLISHED);
	uint8_t h[BGP_HEADER_LEN];
	memset(h, 0xFF, sizeof(h));
	put_u16(h + 16, 5000);
	h[18] = BGP_MSG_UPDATE;
	deliver(f->p, h, sizeof(h));
	assert_int_equal(R.code, BGP_ERR_HEADER);
	assert_int_equal(R.sub, BGP_ERR_HDR_BAD_LENGTH);
	assert_int_equal(R.data_len, 2);
	assert_int_equal(get_u16(R.data), 5000);
	fx_free(f);

	/* A ROUTE-REFRESH of 5 bytes with subtype BoRR: 7/1 carrying the whole
	 * message (RFC 7313 5). */
	f = fx_new("");
	reach(f, PEER_ESTABLISHED);
	uint8_t rr[BGP_HEADER_LEN + 5];
	memset(rr, 0xFF, BGP_MARKER_LEN);
	put_u16(rr + 16, sizeof(rr));
	rr[18] = BGP_MSG_ROUTE_REFRESH;
	rr[19] = 0, rr[20] = 1, rr[21] = REFRESH_BORR, rr[22] = 1, rr[23] = 0;
	deliver(f->p, rr, sizeof(rr));
	assert_int_equal(R.code, BGP_ERR_ROUTE_REFRESH);
	assert_int_equal(R.sub, BGP_ERR_RR_INVALID_LENGTH);
	assert_int_equal(R.data_len, sizeof(R.data)); /* the message, cut to what the recorder keeps */
	assert_memory_equal(R.data, rr, sizeof(R.data));
	fx_free(f);
}

/* Connect with the TCP handshake in progress: the hold timer is its
 * timeout; the connection is dropped and retried (RFC 4271 8.2.2 Connect:
 * ConnectRetryTimer_Expires drops the connection and starts again). */
static void test_connect_timeout(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	reach(f, PEER_CONNECT);
	f->p->tcp = &f->fake_tcp; /* the SYN is out */
	inject(f, T_RETRY);       /* a connection is in progress: no second one */
	assert_int_equal(R.connects, 0);
	inject(f, T_HOLD);
	assert_int_equal(R.closes, 1);
	assert_int_equal(R.drains, 0);
	assert_int_equal(R.nsent, 0);
	assert_true(went_through(PEER_IDLE));
	assert_int_equal(f->p->state, PEER_CONNECT);
	assert_int_equal(R.timer[PEER_TIMER_CONNECT_RETRY], 1000);
	fx_free(f);
}

/* RFC 9072: an OPEN whose optional parameters use the extended form is
 * accepted by the session (the one decoder, wire/open.c). */
static void test_extended_open(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	reach(f, PEER_OPENSENT);
	static const uint8_t body[] = {4, 0xfd, 0xea, 0, 90, 10, 0, 0, 2, /* version, AS 65002, hold, id */
				       255, 255, 0, 9,			   /* extended, 9 bytes of parameters */
				       2, 0, 6, 65, 4, 0, 0, 0xfd, 0xea};  /* Capabilities: ASN4 65002 */
	uint8_t m[BGP_HEADER_LEN + sizeof(body)];
	memset(m, 0xFF, BGP_MARKER_LEN);
	put_u16(m + 16, sizeof(m));
	m[18] = BGP_MSG_OPEN;
	memcpy(m + BGP_HEADER_LEN, body, sizeof(body));
	deliver(f->p, m, sizeof(m));
	assert_int_equal(f->p->state, PEER_OPENCONFIRM);
	assert_true(f->p->theirs.caps.asn4);
	assert_int_equal(f->p->theirs.caps.asn4_value, 65002);
	assert_int_equal(R.code, NONE);
	fx_free(f);
}

/* Every transition goes through change_state: the observer sees each one,
 * from the state the peer was in. */
static void test_transitions_observed(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	reach(f, PEER_IDLE);
	inject(f, T_START);
	inject(f, T_TCP_UP);
	inject(f, T_OPEN);
	inject(f, T_KA);
	inject(f, T_NOTIF);
	static const int want[][2] = {{I, C}, {C, S}, {S, O}, {O, E}, {E, I}, {I, C}};
	assert_int_equal(R.ntrans, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(R.from[i], want[i][0]);
		assert_int_equal(R.to[i], want[i][1]);
	}
	fx_free(f);
}

/* RFC 4724 with the capability in both OPENs (ours from "capability {
 * graceful-restart 120; }").  The FSM cells where it changes the outcome,
 * then the stale routes across a lost session. */
static const char *const gr_conf = "capability { graceful-restart 120; }";

/* The peer is back: a new connection up to Established. */
static void reconnect(struct fx *f)
{
	inject(f, T_TCP_UP);
	inject(f, T_OPEN);
	inject(f, T_KA);
}

/* An Established session with one route received, then lost without a
 * NOTIFICATION. */
static struct fx *lost_with_a_route(const char *conf)
{
	struct fx *f = fx_new(conf);
	reach(f, PEER_ESTABLISHED);
	update(f->p);
	assert_int_equal(f->p->ribin.count, 1);
	inject(f, T_TCP_FAIL);
	return f;
}

static void test_graceful(void **state)
{
	(void)state;
	static const struct cell gr[] = {
		{E, T_STOP, I, true, NONE, 0, "Established + ManualStop [4724]: closed without Cease -> Idle"},
		{E, T_TCP_FAIL, C, true, NONE, 0, "Established + TcpConnectionFails [4724]: routes stale -> Idle [restart]"},
		{E, T_HOLD, C, true, 4, 0, "Established + HoldTimer_Expires [4724]: still Hold Timer Expired"},
		{E, T_NOTIF, C, true, NONE, 0, "Established + NotifMsg [4724]: -> Idle [restart]"},
		{S, T_STOP, I, true, 6, 2, "OpenSent + ManualStop [4724]: not negotiated yet, Cease"},
		{O, T_STOP, I, true, 6, 2, "OpenConfirm + ManualStop [4724]: not Established, Cease"},
	};
	their_gr = true;
	for (size_t i = 0; i < sizeof(gr) / sizeof(gr[0]); i++)
		run_cell(&gr[i], gr_conf);

	/* ManualStop without a Cease: closed at once, nothing sent. */
	struct fx *f = fx_new(gr_conf);
	reach(f, PEER_ESTABLISHED);
	inject(f, T_STOP);
	assert_int_equal(R.nsent, 0);
	assert_int_equal(R.closes, 1);
	assert_int_equal(R.drains, 0);
	assert_int_equal(f->p->state, PEER_IDLE);
	fx_free(f);

	/* A session lost without a NOTIFICATION: the route stays, stale, while
	 * the peer reconnects; re-established, End-of-RIB sweeps it. */
	f = lost_with_a_route(gr_conf);
	struct peer *p = f->p;
	assert_true(went_through(PEER_IDLE));
	assert_int_equal(p->state, PEER_CONNECT);
	assert_int_equal(p->ribin.count, 1);
	assert_int_equal(ribin_count_stale(&p->ribin, NULL), 1);
	assert_true(p->gr.stale & FAM_BIT(FAM_IPV4_UNICAST));
	inject(f, T_TCP_FAIL); /* a failed attempt to reconnect: still waiting */
	assert_int_equal(ribin_count_stale(&p->ribin, NULL), 1);
	reconnect(f);
	assert_int_equal(p->state, PEER_ESTABLISHED);
	assert_int_equal(ribin_count_stale(&p->ribin, NULL), 1); /* preserved (F bit): waits for End-of-RIB */
	update_body(p, UPD_EOR, sizeof(UPD_EOR));
	assert_int_equal(p->ribin.count, 0);
	assert_int_equal(p->gr.stale, 0);
	fx_free(f);

	/* Announced again before End-of-RIB: fresh, kept by the sweep. */
	f = lost_with_a_route(gr_conf);
	p = f->p;
	reconnect(f);
	update(p);
	assert_int_equal(ribin_count_stale(&p->ribin, NULL), 0);
	update_body(p, UPD_EOR, sizeof(UPD_EOR));
	assert_int_equal(p->ribin.count, 1);
	fx_free(f);

	/* A NOTIFICATION ends the session without Graceful Restart: cleared. */
	f = fx_new(gr_conf);
	p = f->p;
	reach(f, PEER_ESTABLISHED);
	update(p);
	inject(f, T_NOTIF);
	assert_int_equal(p->ribin.count, 0);
	assert_int_equal(p->gr.stale, 0);
	fx_free(f);

	/* The peer comes back without the capability: its stale routes go at
	 * once (RFC 4724 4.2). */
	f = lost_with_a_route(gr_conf);
	p = f->p;
	assert_int_equal(ribin_count_stale(&p->ribin, NULL), 1);
	their_gr = false;
	reconnect(f);
	assert_int_equal(p->state, PEER_ESTABLISHED);
	assert_int_equal(p->ribin.count, 0);
	assert_int_equal(p->gr.stale, 0);
	fx_free(f);

	/* Without our capability nothing is kept. */
	their_gr = true;
	f = lost_with_a_route("");
	assert_int_equal(f->p->ribin.count, 0);
	fx_free(f);
	their_gr = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_active),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_notification_data),
		cmocka_unit_test(test_transitions_observed),
		cmocka_unit_test(test_extended_open),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_graceful),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
