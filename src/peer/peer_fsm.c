/* The session's FSM (RFC 4271 section 8), in OpenBGPD's shape: peer_fsm()
 * takes every event of a peer (start and stop, timers, TCP, each received
 * message decoded once by peer_rx.c) and is the only code that changes the
 * state; change_state() alone runs the entry and exit actions and logs the
 * transition.  Side effects on the connection and timers go through
 * p->io (peer.h), so tests/unit/test_fsm.c drives this file without
 * sockets.
 *
 * Where fastbgp differs from RFC 4271 8.2.2 (on purpose):
 * - No DelayOpen, no IdleHoldTimer, no collision detection in OpenConfirm:
 *   collisions are resolved when the second connection is accepted
 *   (peer_adopt, RFC 4271 6.8).
 * - A session that ends goes to Idle, then restarts by itself (an
 *   AutomaticStart with a back-off of 1, 2, 4 ... connect-retry seconds,
 *   RFC 4271 8.1.1 DampPeerOscillations in spirit): Connect, or Active for
 *   a passive neighbor.  tcp.once and a stopped peer stay in Idle.
 * - A NOTIFICATION sent closes the connection once it is written: the FSM
 *   leaves the state on EV_TCP_CLOSED, not before.
 * - A received NOTIFICATION is never answered with one (RFC 4271 6), in
 *   any state (8.2.2 has OpenSent answer NotifMsg with an FSM error).
 * - In Connect, the hold timer is the TCP handshake's timeout.
 * - FSM errors carry RFC 6608's subcodes (as ExaBGP sends 5/1 and 5/2). */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "peer/peer_int.h"
#include "peer/peer_params.h"
#include "peer/speaker.h"
#include "wire/header.h"

const char *peer_state_name(int state)
{
	return peer_state_text(state, "?");
}

/* --- actions --- */

static void send_msg(struct peer *p, const uint8_t *m, size_t len, uint64_t count)
{
	if (p->io->send(p, m, len) == 0)
		p->msgs_sent += count;
}

static void send_keepalive(struct peer *p)
{
	uint8_t m[BGP_HEADER_LEN];
	memset(m, 0xFF, BGP_MARKER_LEN);
	put_u16(m + 16, BGP_HEADER_LEN);
	m[18] = BGP_MSG_KEEPALIVE;
	send_msg(p, m, sizeof(m), 1);
}

static void send_open(struct peer *p)
{
	struct wbuf w;
	wb_init(&w, 256);
	open_encode(&w, &p->ours);
	if (!w.err)
		send_msg(p, w.data, w.len, 1);
	wb_free(&w);
}

/* Sends a NOTIFICATION; the connection closes once it is written. */
static void send_notification(struct peer *p, uint8_t code, uint8_t sub, const uint8_t *data, size_t len)
{
	struct wbuf w;
	wb_init(&w, 64 + len);
	notification_encode(&w, code, sub, data, len);
	log_info(LOG_NETWORK, "peer %s: sending NOTIFICATION %u/%u (%s / %s)", p->name, code, sub,
		 notification_code_name(code), notification_subcode_name(code, sub));
	snprintf(p->down_what, sizeof(p->down_what), "notification sent (%u,%u)", code, sub);
	p->notif_sent[code < 8 ? code : 0]++;
	snprintf(p->down_error, sizeof(p->down_error), "%s / %s / ", notification_code_name(code),
		 notification_subcode_name(code, sub));
	if (!w.err)
		send_msg(p, w.data, w.len, 1);
	wb_free(&w);
	if (p->tcp)
		p->io->close(p, true);
}

static void send_msg_error(struct peer *p, const struct peer_msg *m)
{
	send_notification(p, m->err_code, m->err_sub, m->err_data, m->err_len);
}

/* A message the state does not expect: FSM Error with RFC 6608's subcode. */
static void fsm_error(struct peer *p)
{
	uint8_t sub = p->state == PEER_OPENSENT	      ? BGP_ERR_FSM_OPENSENT
		      : p->state == PEER_OPENCONFIRM  ? BGP_ERR_FSM_OPENCONFIRM
		      : p->state == PEER_ESTABLISHED ? BGP_ERR_FSM_ESTABLISHED
						      : BGP_ERR_FSM_UNSPECIFIC;
	log_error(LOG_NETWORK, "peer %s: unexpected message in %s", p->name, peer_state_name(p->state));
	send_notification(p, BGP_ERR_FSM, sub, NULL, 0);
}

static void hold_timer(struct peer *p, unsigned seconds)
{
	p->io->timer(p, PEER_TIMER_HOLD, seconds * 1000u);
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

/* --- states --- */

static void enter_established(struct peer *p)
{
	p->failures = 0;
	peer_setup_encoding(p);
	if (p->neg.keepalive)
		p->io->timer(p, PEER_TIMER_KEEPALIVE, p->neg.keepalive * 1000u);
	load_rib(p);
	p->eor_due = !p->conf->manual_eor;
	p->eorr_due = 0;
	log_info(LOG_REACTOR, "peer %s: established (%zu routes to send)", p->name, p->rib.pending);
	p->down_what[0] = p->down_error[0] = '\0';
	if (p->sp->api)
		api_event_up(p->sp->api, &p->api);
	graceful_established(p); /* RFC 4724 4.2: stale routes the peer no longer preserves go */
	speaker_wake_peer(p->sp, p);
}

static void tell_api(struct peer *p, int was, int state)
{
	if (!p->sp->api)
		return;
	api_event_fsm(p->sp->api, &p->api, state);
	if (state == PEER_IDLE && was >= PEER_OPENSENT) {
		char reason[512];
		if (p->stopping && !p->removed)
			snprintf(reason, sizeof(reason), "stop, message (shutting down)"); /* ExaBGP's words */
		else
			api_down_reason(reason, sizeof(reason), p->down_what[0] ? p->down_what : "connection closed",
					p->down_error);
		api_event_down(p->sp->api, &p->api, reason);
	}
}

/* The only place p->state changes: exit actions of the old state, entry
 * actions of the new one. */
static void change_state(struct peer *p, int state)
{
	int was = p->state;
	if (was == state)
		return;
	log_info(LOG_REACTOR, "peer %s: %s -> %s", p->name, peer_state_name(was), peer_state_name(state));
	if (was == PEER_ESTABLISHED) {
		p->flaps++;
		p->io->timer(p, PEER_TIMER_KEEPALIVE, 0);
		ribout_session_down(&p->rib);
		graceful_session_down(p); /* RFC 4724 4.2: routes kept stale when the session was lost */
	}
	p->state = state;
	if (state != PEER_CONNECT && state != PEER_OPENSENT)
		speaker_connect_done(p->sp, p); /* the OPEN came, or the attempt is over */
	if (p->io->changed)
		p->io->changed(p, was, state);
	tell_api(p, was, state);
	graceful_after_down(p); /* RFC 4724: the "stale" event follows the "down" event */
	switch (state) {
	case PEER_IDLE:
		p->io->timer(p, PEER_TIMER_HOLD, 0);
		p->io->timer(p, PEER_TIMER_KEEPALIVE, 0);
		graceful_idle(p); /* RFC 4724 4.2: the adj-rib-in cleared, but for stale routes waiting */
		break;
	case PEER_ESTABLISHED:
		enter_established(p);
		break;
	default:
		break;
	}
}

static void start(struct peer *p)
{
	if (p->conf->passive) {
		change_state(p, PEER_ACTIVE); /* wait for the peer to connect */
		return;
	}
	change_state(p, PEER_CONNECT);
	p->io->connect(p);
}

/* The session is over: Idle, then (unless stopping) the automatic restart. */
static void session_over(struct peer *p)
{
	change_state(p, PEER_IDLE);
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
	if (p->max_prefix_down) { /* stays Idle: the restart timer, or a teardown, starts it again */
		if (p->max_prefix_restart)
			p->io->timer(p, PEER_TIMER_CONNECT_RETRY, p->max_prefix_restart * 1000u);
		return;
	}
	if (p->conf->passive) {
		change_state(p, PEER_ACTIVE);
		return;
	}
	/* Back off: 1, 2, 4, ... seconds up to connect_retry between attempts;
	 * a session that reached Established starts again at 1 second. */
	unsigned max = p->sp->opts.connect_retry > 0 ? (unsigned)p->sp->opts.connect_retry : 30u;
	unsigned delay = p->failures < 6 ? 1u << p->failures : max;
	if (delay > max)
		delay = max;
	p->failures++;
	change_state(p, PEER_CONNECT);
	log_debug(LOG_NETWORK, "peer %s: next connection attempt in %u s", p->name, delay);
	p->io->timer(p, PEER_TIMER_CONNECT_RETRY, delay * 1000u);
}

/* The maximum-prefix hold-down is over (its timer, or a teardown). */
static void max_prefix_restart(struct peer *p)
{
	log_info(LOG_NETWORK, "peer %s: restarting after maximum-prefix", p->name);
	p->max_prefix_down = false;
	start(p);
}

/* TcpConnectionConfirmed: our OPEN goes out, the open wait runs. */
static void connection_up(struct peer *p)
{
	p->down_what[0] = p->down_error[0] = '\0';
	p->io->timer(p, PEER_TIMER_CONNECT_RETRY, 0);
	p->io->read(p, true);
	send_open(p);
	change_state(p, PEER_OPENSENT);
	hold_timer(p, (unsigned)p->sp->opts.openwait);
}

/* --- received messages --- */

static void open_received(struct peer *p, const struct peer_msg *m)
{
	p->theirs = *m->open;
	uint8_t sub = peer_check_open(p);
	if (sub) {
		send_notification(p, BGP_ERR_OPEN, sub, NULL, 0);
		return;
	}
	negotiate(&p->ours, &p->theirs, &p->neg);
	if (p->sp->api) {
		api_neighbor_set_session(&p->api, &p->ours, &p->theirs, &p->neg);
		api_event_negotiated(p->sp->api, &p->api);
	}
	log_info(LOG_NETWORK, "peer %s: OPEN received, AS %u, hold time %u, router-id %u.%u.%u.%u", p->name,
		 p->neg.peer_as, p->neg.hold_time, p->theirs.router_id >> 24, (p->theirs.router_id >> 16) & 0xFF,
		 (p->theirs.router_id >> 8) & 0xFF, p->theirs.router_id & 0xFF);
	send_keepalive(p);
	change_state(p, PEER_OPENCONFIRM);
	hold_timer(p, p->neg.hold_time);
}

static void notification_received(struct peer *p, const struct peer_msg *m)
{
	char text[512];
	const struct notification *n = m->notif;
	if (n)
		notification_str(text, sizeof(text), n);
	else
		snprintf(text, sizeof(text), "malformed NOTIFICATION");
	uint8_t code = n ? n->code : 0, sub = n ? n->subcode : 0;
	p->notif_received[code < 8 ? code : 0]++;
	log_error(LOG_NETWORK, "peer %s: NOTIFICATION received %u/%u: %s", p->name, code, sub, text);
	snprintf(p->down_what, sizeof(p->down_what), "notification received (%u,%u)", code, sub);
	snprintf(p->down_error, sizeof(p->down_error), "%.*s", (int)sizeof(p->down_error) - 1, text);
	p->io->close(p, false);
}

/* maximum-prefix: after an UPDATE, each family's routes against its limit.
 * Past it: Cease 6/1 with RFC 4486 4's data (AFI, SAFI, the upper bound),
 * or one warning while warning-only.  Counted in the adj-rib-in, so only
 * when it is kept (adj-rib-in true, the default).  True when the session
 * is closing. */
static bool check_max_prefix(struct peer *p)
{
	const struct max_prefix_conf *mp = &p->conf->max_prefix;
	for (int f = 0; f < FAM_COUNT; f++) {
		uint32_t limit = mp->limit[f];
		if (!limit || !(p->neg.families & FAM_BIT(f)))
			continue;
		size_t n = p->ribin.per_family[f];
		if (n <= limit) {
			p->max_prefix_warned &= ~FAM_BIT(f);
			continue;
		}
		if (mp->warning_only[f]) {
			if (!(p->max_prefix_warned & FAM_BIT(f)))
				log_warning(LOG_NETWORK, "peer %s: %zu %s prefixes received, above maximum-prefix %u "
					    "(warning-only)", p->name, n, family_table[f].json_name, limit);
			p->max_prefix_warned |= FAM_BIT(f);
			continue;
		}
		uint8_t data[7];
		put_u16(data, family_table[f].afi);
		data[2] = family_table[f].safi;
		put_u32(data + 3, limit);
		log_error(LOG_NETWORK, "peer %s: %zu %s prefixes received, above maximum-prefix %u: session closed, %s",
			  p->name, n, family_table[f].json_name, limit,
			  mp->restart[f] ? "restart timer running" : "no restart until a teardown or a reload");
		p->max_prefix_down = true;
		p->max_prefix_restart = mp->restart[f];
		send_notification(p, BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIX, data, sizeof(data));
		return true;
	}
	return false;
}

static void update_received(struct peer *p, const struct peer_msg *m)
{
	const struct update_msg *u = m->update;
	if (u->verdict == UPDATE_TREAT_AS_WITHDRAW)
		log_warning(LOG_NETWORK, "peer %s: UPDATE treated as withdraw (RFC 7606): %s", p->name,
			    u->reason ? u->reason : "?");
	p->updates_received++;
	if (m->pool) {
		size_t refused = p->ribin.refused;
		ribin_apply(&p->ribin, u, m->update_opts);
		/* Once per session (ribin_clear resets it): the session stays up and
		 * helpers still get every UPDATE; only the stored copy stops. */
		if (!refused && p->ribin.refused)
			log_warning(LOG_NETWORK,
				    "peer %s: adj-rib-in memory budget reached (%zu KiB, exabgp.bgp.adj_rib_in_kib): "
				    "%zu routes held, new prefixes from this peer are no longer stored",
				    p->name, p->ribin.budget / 1024, p->ribin.count);
		if (check_max_prefix(p))
			return; /* the session is closing */
	}
	if (m->pool && u->eor) /* RFC 4724 4.2: End-of-RIB sweeps the family's stale routes */
		graceful_end_of_rib(p, family_find(u->eor_afi, u->eor_safi));
}

static void update_error(struct peer *p, const struct peer_msg *m)
{
	const char *why = m->update && m->update->reason ? m->update->reason : "?";
	log_error(LOG_NETWORK, "peer %s: malformed UPDATE (%s), NOTIFICATION %u/%u", p->name, why, m->err_code,
		  m->err_sub);
	send_msg_error(p, m);
}

static void refresh_received(struct peer *p, const struct route_refresh *rr)
{
	if (!rr || rr->subtype != REFRESH_QUERY)
		return; /* BoRR/EoRR (or an unknown subtype) from the peer: no adj-rib-in state to age */
	int f = family_find(rr->afi, rr->safi);
	if (f < 0 || !(p->neg.families & FAM_BIT(f))) {
		log_info(LOG_NETWORK, "peer %s: route refresh for a family not negotiated (%u/%u), ignored", p->name,
			 rr->afi, rr->safi);
		return;
	}
	if (!p->conf->adj_rib_out) {
		log_warning(LOG_NETWORK, "peer %s: route refresh requested but adj-rib-out is disabled", p->name);
		return;
	}
	log_info(LOG_NETWORK, "peer %s: route refresh for %s %s", p->name, family_table[f].afi_name,
		 family_table[f].safi_name);
	if (p->neg.enhanced_route_refresh) {
		/* RFC 7313 4: the resent routes are bracketed by BoRR and EoRR. */
		struct wbuf w;
		wb_init(&w, 32);
		refresh_encode(&w, rr->afi, rr->safi, REFRESH_BORR);
		if (!w.err)
			send_msg(p, w.data, w.len, 1);
		wb_free(&w);
		p->eorr_due |= FAM_BIT(f);
	}
	ribout_resend(&p->rib, FAM_BIT(f));
	speaker_wake_peer(p->sp, p);
}

static bool is_message(int event)
{
	return event >= EV_OPEN_RECEIVED && event <= EV_REFRESH_ERROR && event != EV_HEADER_ERROR;
}

/* --- the FSM --- */

/* Events every state handles alike; false when the state decides. */
static bool any_state(struct peer *p, int event, const struct peer_msg *m)
{
	switch (event) {
	case EV_STOP:
		p->stopping = true;
		p->io->timer(p, PEER_TIMER_CONNECT_RETRY, 0);
		if (graceful_close_silently(p)) /* RFC 4724 4.1: the peer keeps our routes while we restart */
			return true;
		if (p->tcp && p->state >= PEER_OPENSENT)
			send_notification(p, BGP_ERR_CEASE, m ? m->err_sub : BGP_CEASE_ADMIN_SHUTDOWN, NULL, 0);
		else if (p->tcp)
			p->io->close(p, false);
		else
			session_over(p);
		return true;
	case EV_RESET:
		if (p->tcp && p->state >= PEER_OPENSENT)
			send_notification(p, BGP_ERR_CEASE, m ? m->err_sub : BGP_CEASE_ADMIN_RESET, m ? m->err_data : NULL,
					  m ? m->err_len : 0);
		else if (p->tcp)
			p->io->close(p, false);
		else if (p->max_prefix_down && !p->stopping)
			max_prefix_restart(p);
		else if (!p->conf->passive && p->state != PEER_CONNECT && !p->stopping)
			start(p);
		return true;
	case EV_TCP_FAILED:
	case EV_TCP_CLOSED:
		session_over(p);
		return true;
	case EV_TCP_CONNECTED:
		connection_up(p);
		return true;
	default:
		break;
	}
	if (p->state < PEER_OPENSENT)
		return false;
	/* A connection is up: errors and NOTIFICATIONs end it in any state. */
	switch (event) {
	case EV_HOLD_TIMER:
		log_error(LOG_NETWORK, "peer %s: hold timer expired in %s", p->name, peer_state_name(p->state));
		send_notification(p, BGP_ERR_HOLD_TIMER, 0, NULL, 0);
		return true;
	case EV_HEADER_ERROR:
		log_error(LOG_NETWORK, "peer %s: bad message header (%u/%u)", p->name, m->err_code, m->err_sub);
		send_msg_error(p, m);
		return true;
	case EV_NOTIFICATION_RECEIVED:
		notification_received(p, m);
		return true;
	default:
		return false;
	}
}

static void fsm_connect(struct peer *p, int event)
{
	switch (event) {
	case EV_CONNECT_RETRY_TIMER:
		if (p->state == PEER_CONNECT && !p->tcp && !p->stopping)
			p->io->connect(p);
		return;
	case EV_HOLD_TIMER:
		if (p->state != PEER_CONNECT || !p->tcp)
			return;
		/* No SYN-ACK: a filtered port, a dead host, or a peer that drops
		 * our SYNs because the MD5 signature does not match. */
		log_error(LOG_NETWORK, "peer %s: connection timed out%s", p->name,
			  p->conf->md5_password ? " (TCP MD5 configured: a password mismatch "
						  "makes the peer drop our SYNs silently)"
						: "");
		p->io->close(p, false);
		return;
	default:
		return; /* no connection: nothing can be received */
	}
}

/* UPDATE and ROUTE-REFRESH, valid or not: only Established expects them. */
static bool established_message(int event)
{
	return event == EV_UPDATE_RECEIVED || event == EV_UPDATE_ERROR || event == EV_REFRESH_RECEIVED ||
	       event == EV_REFRESH_ERROR;
}

static void fsm_opensent(struct peer *p, int event, const struct peer_msg *m)
{
	if (event == EV_OPEN_RECEIVED) {
		open_received(p, m);
	} else if (event == EV_OPEN_ERROR) {
		log_error(LOG_NETWORK, "peer %s: bad OPEN (%u/%u)", p->name, m->err_code, m->err_sub);
		send_msg_error(p, m);
	} else if (event == EV_KEEPALIVE_RECEIVED || established_message(event)) {
		fsm_error(p);
	}
	/* the keepalive timer does not run before OpenConfirm */
}

static void fsm_openconfirm(struct peer *p, int event)
{
	if (event == EV_KEEPALIVE_RECEIVED)
		change_state(p, PEER_ESTABLISHED);
	else if (event == EV_OPEN_RECEIVED || event == EV_OPEN_ERROR || established_message(event))
		fsm_error(p); /* RFC 4271 8.2.2: an OPEN here is a collision; see peer_adopt */
}

static void fsm_established(struct peer *p, int event, const struct peer_msg *m)
{
	switch (event) {
	case EV_KEEPALIVE_TIMER:
		send_keepalive(p);
		return;
	case EV_KEEPALIVE_RECEIVED:
		return; /* the hold timer was restarted */
	case EV_UPDATE_RECEIVED:
		update_received(p, m);
		return;
	case EV_UPDATE_ERROR:
		update_error(p, m);
		return;
	case EV_REFRESH_RECEIVED:
		refresh_received(p, m->rr);
		return;
	case EV_REFRESH_ERROR:
		send_msg_error(p, m);
		return;
	case EV_OPEN_RECEIVED:
	case EV_OPEN_ERROR:
		fsm_error(p);
		return;
	default:
		return;
	}
}

void peer_fsm(struct peer *p, int event, const struct peer_msg *m)
{
	if (is_message(event) && p->state >= PEER_OPENSENT) {
		/* Every message restarts the hold timer (RFC 4271 8.2.2). */
		p->msgs_received++;
		hold_timer(p, p->state >= PEER_OPENCONFIRM ? p->neg.hold_time : (unsigned)p->sp->opts.openwait);
	}
	if (any_state(p, event, m))
		return;
	switch (p->state) {
	case PEER_IDLE:
		if (event == EV_START)
			start(p);
		else if (event == EV_CONNECT_RETRY_TIMER && p->max_prefix_down && !p->stopping)
			max_prefix_restart(p);
		return; /* RFC 4271 8.2.2: Idle ignores the rest */
	case PEER_CONNECT:
	case PEER_ACTIVE:
		fsm_connect(p, event);
		return;
	case PEER_OPENSENT:
		fsm_opensent(p, event, m);
		return;
	case PEER_OPENCONFIRM:
		fsm_openconfirm(p, event);
		return;
	case PEER_ESTABLISHED:
		fsm_established(p, event, m);
		return;
	default:
		return;
	}
}
