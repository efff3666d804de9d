/* One BGP neighbor: its session, timers, capabilities and adj-rib-out.
 *
 * The peer owns its TCP handle, timers and output; nothing here is shared
 * with another peer except the loop and the speaker context, so one slow or
 * dead peer never delays another's KEEPALIVEs.  All protocol decisions go
 * through peer_fsm() (RFC 4271 section 8): one function, state x event. */
#ifndef FASTBGP_PEER_PEER_H
#define FASTBGP_PEER_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "api/api.h"
#include "config/model.h"
#include "peer/graceful.h"
#include "rib/ribin.h"
#include "rib/ribout.h"
#include "wire/open.h"

enum peer_state {
	PEER_IDLE,
	PEER_CONNECT,
	PEER_ACTIVE,
	PEER_OPENSENT,
	PEER_OPENCONFIRM,
	PEER_ESTABLISHED,
};

enum peer_event {
	EV_START,
	EV_STOP,
	EV_CONNECT_RETRY_TIMER,
	EV_HOLD_TIMER,
	EV_KEEPALIVE_TIMER,
	EV_OPEN_WAIT_TIMER,
	EV_TCP_CONNECTED,
	EV_TCP_FAILED,
	EV_TCP_CLOSED,
	EV_OPEN_RECEIVED,
	EV_KEEPALIVE_RECEIVED,
	EV_UPDATE_RECEIVED,
	EV_NOTIFICATION_RECEIVED,
	EV_REFRESH_RECEIVED,
	EV_ERROR, /* a message error: NOTIFICATION sent, session closed */
};

struct speaker;

struct peer {
	struct speaker *sp;
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
	bool done;              /* tcp.once: the one attempt is over */
	bool in_pump;           /* in the speaker's pump queue */
	bool connecting;        /* holds one of the speaker's connection slots */
	uint64_t connect_started; /* loop time the slot was taken */
	bool connect_queued;    /* waiting for a connection slot */
	bool freeing;           /* peer_free() was called */
	bool removed;           /* gone from the configuration: freed once closed */
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
