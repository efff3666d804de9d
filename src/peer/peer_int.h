/* Internals shared by the files of a peer's session (peer.c: connection,
 * I/O and timers on libuv; peer_fsm.c: the FSM; peer_rx.c: decoding what
 * is received; peer_connect.c: outgoing connections).  Not for other
 * modules; tests/unit/test_fsm.c drives the FSM through it. */
#ifndef FASTBGP_PEER_PEER_INT_H
#define FASTBGP_PEER_PEER_INT_H

#include "peer/peer.h"

/* The FSM (RFC 4271 section 8): one event (enum peer_event), with the
 * decoded message for the message events, the NOTIFICATION to send for
 * the error events and the Cease subcode for EV_STOP / EV_RESET (msg may
 * be NULL for the others). */
void peer_fsm(struct peer *p, int event, const struct peer_msg *msg);

/* The side effects on libuv (peer.c); peer_new() sets p->io to it. */
extern const struct peer_io peer_uv_io;

/* One received message and what its decoding fills in. */
struct peer_rx {
	struct peer_msg msg;
	struct bgp_open open;
	struct open_listing listing;
	struct notification notif;
	struct route_refresh rr;
	struct update_parse_opts uo;
};
/* Decodes one whole received message (header already checked, raw[0..len))
 * with the session's options into rx->msg; returns the FSM event, or -1
 * for a message the session ignores.  peer_rx_done() releases it. */
int peer_rx_decode(struct peer *p, const uint8_t *raw, size_t len, struct peer_rx *rx);
void peer_rx_done(struct peer_rx *rx);
/* Hands the decoded message to the process API (before the FSM acts). */
void peer_rx_to_api(struct peer *p, const struct peer_rx *rx);
/* The options a received UPDATE is decoded with (the session's). */
void peer_rx_update_opts(const struct peer *p, struct update_parse_opts *uo);
/* An UPDATE fastbgp built itself as the peer would have sent it (RFC 4724:
 * stale routes removed, peer/graceful.c), raw[0..len) header included:
 * decoded as a received one with uo, then shown to the helpers that parse
 * received UPDATEs (api_event_local_withdraw()); never counted. */
void peer_rx_local_update(struct peer *p, const uint8_t *raw, size_t len, const struct update_parse_opts *uo);
/* rx->msg for EV_HEADER_ERROR: Message Header Error sub with its data. */
void peer_rx_header_error(struct peer_rx *rx, const uint8_t *raw, uint8_t sub, const uint8_t *data, size_t len);

/* libuv calls back for every request and closed handle, even while the peer
 * is being freed: returns true when the peer is gone (or going) and the
 * callback must not touch it further. */
bool peer_callback_done(struct peer *p);
/* Closes the session's TCP handle (asynchronously; counted as a callback). */
void peer_close_tcp(struct peer *p);
/* (Re)starts the hold timer for seconds (0 = stop). */
void peer_restart_hold_timer(struct peer *p, unsigned seconds);
/* Closes the connection; the FSM then sees it closed (and retries). */
void peer_close_connection(struct peer *p);
/* Opens the connection to the neighbor, or waits for a connection slot. */
void peer_start_connect(struct peer *p);
/* The TCP connection is up (connected or accepted): tells the API, then
 * the FSM. */
void peer_connected(struct peer *p);

#endif
