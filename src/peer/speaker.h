/* The speaker: the event loop, the running configuration and its peers.
 * This is the one context struct of the daemon (no other global state). */
#ifndef FASTBGP_PEER_SPEAKER_H
#define FASTBGP_PEER_SPEAKER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config/model.h"
#include "api/api.h"
#include "peer/peer.h"
#include "update/update_parse.h"

struct speaker_opts {
	uint16_t port;      /* tcp.port: where to connect (and listen) */
	bool once;          /* tcp.once: one connection attempt per peer, then exit */
	int openwait;       /* bgp.openwait seconds */
	int connect_retry;  /* longest wait between connection attempts, seconds */
	int gr_stale_time;  /* bgp.graceful_stale_time: RFC 4724 4.2 upper bound, seconds (0 = 360) */
	size_t ribin_budget; /* bgp.adj_rib_in_kib in bytes: one peer's adj-rib-in (0 = no limit) */
	int pending_per_source; /* tcp.pending_per_source: connections from one address awaiting OPEN (0 = 8) */
	struct ip_addr bind[8]; /* tcp.bind: listen on these (none = do not listen) */
	int nbind;
	/* exabgp.api.version: 5 also sends what ExaBGP 5.0's OPEN carries and
	 * 4.2's does not (the hostname capability) */
	int exabgp_version;
};

struct listener;
struct parked;

struct speaker {
	/* ---- the loop, the configuration, the peers ---- */
	uv_loop_t *loop;
	struct speaker_opts opts;
	struct config *cfg;
	struct peer **peers;
	int npeers;
	struct update_msg scratch_update; /* one decode at a time: the loop is single-threaded */
	/* Sessions with nothing pending read here (peer.c on_alloc): one
	 * buffer for all, since the loop handles one read at a time. */
	uint8_t *rdbuf;

	/* ---- output: the pump writes pending routes in bounded slices ---- */
	uv_idle_t pump;
	bool pump_active;
	/* The peers the pump serves: only those with output, so 10,000 idle
	 * sessions cost it nothing.  pump_scan_all: look at every peer on the
	 * next turn (an API command or a reload may concern any of them). */
	struct peer **pumpq;
	int npumpq, cappumpq;
	bool pump_scan_all;

	/* ---- incoming connections ---- */
	struct listener *listeners;
	struct parked *parked;   /* accepted connections waiting for their OPEN */
	uv_timer_t sweep;        /* closes parked connections that never send an OPEN */
	bool sweep_active;

	/* ---- outgoing connections ---- */
	/* Outgoing connections in progress, and the peers waiting for a slot
	 * (FIFO from connq_head): thousands of simultaneous SYNs overflow the
	 * other side's listen queue and cost seconds of retransmissions. */
	int connecting;
	int connect_window;          /* see speaker_connect_slot() */
	int connect_quick;           /* quick sessions since the window grew */
	uint64_t connect_shrunk_at;  /* loop time of the last halving */
	struct peer **connq;
	int connq_head, nconnq, capconnq;
	uv_timer_t connq_timer;      /* starts waiting peers when slots free up */

	/* ---- the process API ---- */
	struct api *api;         /* the process API, or NULL (tests) */
	bool reads_paused;       /* a helper's queue is full: peers are not read */
	uint64_t pauses, pause_logged_at;
	/* "announce|withdraw watchdog NAME" overrides of configured routes */
	struct watchdog_state {
		char *name;
		bool announced;
	} *watchdogs;
	int nwatchdogs;
	struct api_peer_ref *api_refs; /* the list op_peers() hands out */
	size_t api_refs_cap;
	/* API "reload" and "restart" are the daemon's business (main.c). */
	void (*control)(void *ctx, int api_cmd_kind);

	/* ---- shutdown ---- */
	bool shutting_down;
	int exit_code;
	/* Called once every peer is closed, so the owner can close its own
	 * handles (signals) and let the loop end. */
	void (*on_finished)(struct speaker *sp, void *ctx);
	void *ctx;
};

int speaker_init(struct speaker *sp, uv_loop_t *loop, const struct speaker_opts *o, struct config *cfg,
		 struct api *api);
/* Should this configured route be in the peers' tables now?  Its
 * "withdraw" flag, unless an API watchdog command changed its group. */
bool speaker_route_wanted(const struct speaker *sp, const struct route *r);
/* The host side of the process API (api_host.c). */
extern const struct api_host_ops speaker_api_ops;
void speaker_start(struct speaker *sp);
/* Cease to every peer, close everything; the loop then ends by itself. */
void speaker_shutdown(struct speaker *sp, uint8_t cease_subcode);
void speaker_free(struct speaker *sp);
/* Some peers may have output waiting (any of them): the pump looks at all. */
void speaker_wake_pump(struct speaker *sp);
/* Outgoing connections in progress are limited by a window, as TCP limits
 * segments in flight: it starts at SPEAKER_CONNECT_WINDOW_START, grows by
 * one for each window's worth of connections that got the peer's OPEN
 * within a second, and halves (at most once a second, not below
 * SPEAKER_CONNECT_WINDOW_MIN) when one takes longer: a SYN or the
 * handshake's last ACK was dropped by a full listen queue, and the
 * connection waits for retransmissions (peer_connect.c notices that).
 * speaker_connect_slot() takes a slot for p, or queues p and returns false
 * (p then gets peer_connect_slot_free() when its turn comes);
 * speaker_connect_done() gives p's slot back (no-op without one). */
#define SPEAKER_CONNECT_WINDOW_START 8 /* BIRD's listen queue holds 8 */
#define SPEAKER_CONNECT_WINDOW_MIN 2
#define SPEAKER_CONNECT_WINDOW_MAX 512
bool speaker_connect_slot(struct speaker *sp, struct peer *p);
void speaker_connect_done(struct speaker *sp, struct peer *p);
#define SPEAKER_READ_BUF (128u << 10)
/* This peer has output waiting: the pump serves it on its next turn. */
void speaker_wake_peer(struct speaker *sp, struct peer *p);
/* The configured (or dynamic, for prefix neighbors) peer for a remote
 * address, or NULL. */
struct peer *speaker_find_peer(struct speaker *sp, const struct ip_addr *remote, const struct ip_addr *local);
/* A removed peer's session is over: drop it from the list and free it. */
void speaker_forget_peer(struct speaker *sp, struct peer *p);
/* SIGUSR1: runs the new configuration (see reload.c).  The speaker takes
 * newcfg; the old one is freed.  newcfg must intern into the same pool. */
void speaker_reload(struct speaker *sp, struct config *newcfg);
/* tcp.once: called when a peer's one attempt is over. */
void speaker_peer_done(struct speaker *sp);

#endif
