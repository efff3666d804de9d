/* Graceful Restart, receiving side (RFC 4724 4.2): a peer that restarts
 * keeps its routes in our adj-rib-in, marked stale, while it comes back.
 *
 *   session lost without a NOTIFICATION, both OPENs with the capability:
 *       the routes of the families of the peer's capability are kept and
 *       marked stale for the peer's restart time ("stale" event);
 *   session re-established: the families the peer's new OPEN does not
 *       preserve (no capability, family absent, F bit clear, or not
 *       negotiated) lose their stale routes at once ("flushed"); the others
 *       wait for End-of-RIB, at most bgp.graceful_stale_time seconds;
 *   End-of-RIB for a family: its routes still stale go ("swept");
 *   restart time or stale time over: every stale route goes ("expired").
 *
 * Every route that goes after it was reported as kept is handed to helpers
 * as a withdrawal (a received UPDATE); each step is a "graceful-restart"
 * event for helpers that ask for it (docs/json.md).  Needs the adj-rib-in
 * (the neighbor's adj-rib-in option, on by default).
 *
 * A NOTIFICATION sent or received ends the session without Graceful Restart
 * (RFC 4724; fastbgp does not advertise the N bit of RFC 8538), as does a
 * neighbor that is stopped or removed.  The FSM (peer_fsm.c) calls these
 * at its points marked "RFC 4724". */
#ifndef FASTBGP_PEER_GRACEFUL_H
#define FASTBGP_PEER_GRACEFUL_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "nlri/family.h"

#define GR_DEFAULT_STALE_TIME 360 /* seconds, as FRR's stalepath-time */

struct peer_graceful {
	uv_timer_t timer;      /* restart time, then stale time */
	family_mask stale;     /* families whose stale routes are waiting */
	bool reestablished;    /* the session is back: the timer is the stale time */
	bool report_due;       /* the "stale" event waits for the "down" event */
	size_t kept[FAM_COUNT];
};

struct peer;

void graceful_init(struct peer *p);
/* Closes the timer (counted as one of the peer's callbacks). */
void graceful_free(struct peer *p);
/* Leaving Established (peer_fsm.c change_state(), exit action): the
 * routes kept as stale when the session was lost without a NOTIFICATION,
 * or the adj-rib-in cleared. */
void graceful_session_down(struct peer *p);
/* Entering Idle (change_state(), entry action): clears the adj-rib-in as
 * for any lost session, unless stale routes wait for the peer's return
 * (the session was lost gracefully, or an attempt to reconnect failed). */
void graceful_idle(struct peer *p);
/* After each state change was told to helpers (the "down" event first):
 * the "stale" event of a session that just ended gracefully. */
void graceful_after_down(struct peer *p);
/* The session is Established again. */
void graceful_established(struct peer *p);
/* A new connection from the peer (its OPEN read) while the session is
 * Established: with Graceful Restart negotiated the peer restarted and the
 * new connection replaces the old one, which is then over as if its TCP
 * connection had closed (RFC 4724 4.2); without, it is refused. */
bool graceful_peer_restarted(const struct peer *p);
/* End-of-RIB received for a family (enum family_id, -1 when unknown). */
void graceful_end_of_rib(struct peer *p, int family);

/* Restarting side (RFC 4724 4.1).  fastbgp stops (SIGTERM, SIGHUP, the
 * "shutdown" command) and the session runs with Graceful Restart: the
 * connection is closed without a NOTIFICATION, as ExaBGP 4.2 closes it, so
 * the peer keeps our routes as stale until we are back (a Cease would make
 * it flush them: fastbgp does not negotiate RFC 8538).  Returns true when it
 * closed the connection; false (nothing done) for a neighbor removed from
 * the configuration or a session without the capability on both sides. */
bool graceful_close_silently(struct peer *p);

#endif
