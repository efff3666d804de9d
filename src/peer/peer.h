/* One BGP neighbor: its session, timers, capabilities and adj-rib-out.
 *
 * The peer owns its TCP handle, timers and output; nothing here is shared
 * with another peer except the loop and the speaker context, so one slow or
 * dead peer never delays another's KEEPALIVEs.  All protocol decisions go
 * through peer_fsm() (peer_fsm.c, RFC 4271 section 8): one function,
 * state x event, and change_state() runs the entry and exit actions. */
#ifndef FASTBGP_PEER_PEER_H
#define FASTBGP_PEER_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "api/api.h"
#include "config/model.h"
#include "core/peer_state.h"
#include "peer/graceful.h"
#include "rib/ribin.h"
#include "rib/ribout.h"
#include "wire/notification.h"
#include "wire/open.h"
#include "wire/refresh.h"
#include "update/update_parse.h"

/* The FSM's events (RFC 4271 8.1, its numbers in brackets).  fastbgp has
 * no DelayOpen, no passive TCP establishment option apart from "passive",
 * and no peer oscillation damping beyond its reconnection back-off, so the
 * optional events those need are not here. */
enum peer_event {
	EV_START,               /* [1, 3] ManualStart / AutomaticStart */
	EV_STOP,                /* [2] ManualStop: msg->err_sub is the Cease subcode; the peer stays down */
	EV_RESET,               /* [8] AutomaticStop: Cease msg->err_sub, then a new session */
	EV_CONNECT_RETRY_TIMER, /* [9] ConnectRetryTimer_Expires (also: a connection slot is free) */
	EV_HOLD_TIMER,          /* [10] HoldTimer_Expires (in Connect: the TCP handshake timed out) */
	EV_KEEPALIVE_TIMER,     /* [11] KeepaliveTimer_Expires */
	EV_TCP_CONNECTED,       /* [16, 17] Tcp_CR_Acked / TcpConnectionConfirmed */
	EV_TCP_FAILED,          /* [18] TcpConnectionFails, before the connection was up */
	EV_TCP_CLOSED,          /* [18] TcpConnectionFails, on a connection that was up */
	EV_OPEN_RECEIVED,       /* [19] BGPOpen: msg->open */
	EV_HEADER_ERROR,        /* [21] BGPHeaderErr: msg->err_* is the NOTIFICATION */
	EV_OPEN_ERROR,          /* [22] BGPOpenMsgErr: msg->err_* */
	EV_NOTIFICATION_RECEIVED, /* [25] NotifMsg: msg->notif */
	EV_KEEPALIVE_RECEIVED,  /* [26] KeepAliveMsg */
	EV_UPDATE_RECEIVED,     /* [27] UpdateMsg: msg->update */
	EV_UPDATE_ERROR,        /* [28] UpdateMsgErr: msg->err_* */
	EV_REFRESH_RECEIVED,    /* ROUTE-REFRESH (RFC 2918, 7313): msg->rr */
	EV_REFRESH_ERROR,       /* malformed ROUTE-REFRESH (RFC 7313 5): msg->err_* */
	EV_COUNT
};

/* One received message, decoded once (peer_rx.c) into what the FSM, the
 * adj-rib-in and the process API use.  The views point into raw. */
struct peer_msg {
	uint8_t type;                 /* BGP message type */
	const uint8_t *raw;           /* the whole message, header first */
	size_t len;
	const uint8_t *body;          /* after the 19-byte header */
	size_t body_len;
	const struct bgp_open *open;  /* OPEN, when well formed */
	const struct open_listing *listing; /* its capabilities as received (for the API) */
	struct update_msg *update;    /* UPDATE: the parse with the session's options */
	const struct update_parse_opts *update_opts;
	struct attr_pool *pool;       /* where update's sets are interned (NULL: none built) */
	const struct notification *notif;
	const struct route_refresh *rr;
	/* The NOTIFICATION an error event answers with (and EV_STOP/EV_RESET's Cease). */
	uint8_t err_code, err_sub;
	const uint8_t *err_data;
	size_t err_len;
};

/* The session's side effects, so that the FSM (peer_fsm.c) runs without
 * sockets: peer.c implements them on libuv, tests/unit/test_fsm.c records
 * them. */
enum peer_timer { PEER_TIMER_CONNECT_RETRY, PEER_TIMER_HOLD, PEER_TIMER_KEEPALIVE };

struct peer;
struct peer_io {
	/* Queues whole messages for the connection: 0, or -1 (not sent). */
	int (*send)(struct peer *p, const uint8_t *msgs, size_t len);
	/* Closes the connection, at once or once what is queued is written
	 * (after a NOTIFICATION); the FSM then gets EV_TCP_CLOSED. */
	void (*close)(struct peer *p, bool drain);
	/* Opens a connection (or waits for a slot): EV_TCP_CONNECTED or
	 * EV_TCP_FAILED follows. */
	void (*connect)(struct peer *p);
	/* (Re)arms a timer to fire in ms; 0 stops it.  The keepalive timer
	 * repeats, the others fire once; the hold timer may fire late by up to
	 * a grid step (peer.c). */
	void (*timer)(struct peer *p, int timer, unsigned ms);
	/* Starts (true) or stops reading the connection. */
	void (*read)(struct peer *p, bool on);
	/* Optional observer of every state change (tests). */
	void (*changed)(struct peer *p, int from, int to);
};

struct speaker;

struct peer {
	struct speaker *sp;
	const struct peer_io *io; /* &peer_uv_io; a recorder in tests */
	const struct neighbor_conf *conf;
	struct neighbor_conf *owned_conf; /* a prefix neighbor's per-address copy, or NULL */
	char name[64]; /* "127.0.0.1" for logs */
	int state;     /* enum peer_state */

	uv_tcp_t *tcp;          /* NULL when no connection (freed in its close callback) */
	uv_timer_t connect_timer, hold_timer, keepalive_timer;
	uint64_t hold_deadline; /* loop time (ms) the hold timer expires at */
	uint32_t connect_attempts;
	unsigned failures;      /* consecutive attempts that did not reach Established */
	bool stopping;          /* shutting down: do not reconnect */
	bool draining;          /* a NOTIFICATION is being written, then the connection closes */
	bool done;              /* tcp.once: the one attempt is over */
	bool in_pump;           /* in the speaker's pump queue */
	bool connecting;        /* holds one of the speaker's connection slots */
	uint64_t connect_started; /* loop time the slot was taken */
	bool connect_queued;    /* waiting for a connection slot */
	bool freeing;           /* peer_free() was called */
	bool removed;           /* gone from the configuration: freed once closed */
	bool max_prefix_down;   /* ended by maximum-prefix: no restart until its timer or a teardown */
	uint16_t max_prefix_restart; /* that timer, seconds (0: none) */
	family_mask max_prefix_warned; /* warning-only families past their limit (logged once) */
	unsigned callbacks;     /* libuv callbacks still to come (see callback_done) */

	struct bgp_open ours, theirs;
	struct negotiated neg;
	struct pack_opts popts;
	struct ribout rib;
	struct ribin ribin;     /* adj-rib-in, when the neighbor keeps one */
	bool rib_loaded;        /* configured routes are in the rib */
	bool eor_due;           /* End-of-RIB still to send after the initial table */
	family_mask eorr_due;   /* enhanced route refresh: EoRR to send once resent (RFC 7313) */
	struct peer_graceful gr; /* RFC 4724 receiver: the peer's stale routes (graceful.h) */

	/* Input: bytes read but not yet a whole message. */
	uint8_t *in;
	size_t in_len, in_cap;
	/* Output: bytes queued in libuv and not yet written. */
	size_t out_queued;

	uint64_t msgs_sent, msgs_received, updates_received;
	struct api_neighbor api;  /* what the process API knows of this peer */
	char down_what[96];       /* why the last session ended, for the API "down" event */
	char down_error[256];
	bool reads_paused;        /* API backpressure: not reading from the peer */
	uint64_t established_at_ms;
	/* for metrics: never reset while the daemon runs */
	uint64_t updates_sent, flaps;
	uint64_t notif_sent[8], notif_received[8]; /* by error code (RFC 4271 4.5); 0: any other code */
};

struct peer *peer_new(struct speaker *sp, const struct neighbor_conf *conf);
void peer_start(struct peer *p);
/* A connection slot is free for p, which was waiting for one. */
void peer_connect_slot_free(struct peer *p);
/* Sends a Cease with the given subcode and closes the session for good. */
void peer_shutdown(struct peer *p, uint8_t cease_subcode);
void peer_free(struct peer *p); /* closes its handles; freed by the last callback */
/* Takes over an accepted connection whose first bytes (the peer's OPEN)
 * were already read; a connection of our own loses the collision. */
void peer_adopt(struct peer *p, uv_tcp_t *tcp, const uint8_t *data, size_t len);
/* Reload: the neighbor's new configuration.  restart: its session
 * parameters changed (Cease 6/6 and a new session); otherwise only the
 * route delta is sent. */
void peer_reconfigure(struct peer *p, const struct neighbor_conf *nc, bool restart);
/* API "announce eor": an End-of-RIB for the family now (established only). */
void peer_send_eor(struct peer *p, int family);
/* API "announce route-refresh": ask the peer to resend a family. */
void peer_send_refresh(struct peer *p, uint16_t afi, uint8_t safi);
/* API "teardown N": Cease N, the session comes back later (not removed). */
void peer_teardown(struct peer *p, uint8_t cease_subcode);
/* API backpressure: stop (true) or resume reading from the peer; its hold
 * timer is suspended meanwhile, so it cannot expire because of a helper. */
void peer_pause_reading(struct peer *p, bool pause);
/* Reload: the neighbor is gone; Cease 6/3, then the peer is freed. */
void peer_remove(struct peer *p);
/* MD5 / TTL options of the neighbor on a socket; -1 (logged) on failure. */
int peer_socket_options(struct peer *p, int fd, int family);
/* Writes a bounded slice of pending UPDATEs (and End-of-RIB once the table
 * is out); returns true when this peer has more to write. */
bool peer_pump(struct peer *p);
/* Routes, End-of-RIB or EoRR waiting to be written. */
bool peer_has_output(const struct peer *p);
const char *peer_state_name(int state);

#endif
