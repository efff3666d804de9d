/* Internals shared by the files of a peer's session (peer.c, the FSM and
 * I/O; peer_connect.c, outgoing connections).  Not for other modules. */
#ifndef FASTBGP_PEER_PEER_INT_H
#define FASTBGP_PEER_PEER_INT_H

#include "peer/peer.h"

/* Runs the FSM (RFC 4271 section 8) with one event (enum in peer.h). */
void peer_fsm(struct peer *p, int event);
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

#endif
