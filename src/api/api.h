/* The process API (ExaBGP 4.2's "process" blocks): helper programs that
 * send commands on their stdout and receive events on their stdin.
 *
 * ---- How the host (speaker / main.c) wires it ----------------------------
 *
 * 1. Create, once the configuration is loaded:
 *        struct api_options o;
 *        api_options_from_settings(&o, settings);   // api.ack, encoder, respawn, queue, line, version, compact
 *        o.loop = loop; o.ops = &host_ops; o.ctx = speaker;
 *        o.conf_dir = "folder of the configuration file";
 *        o.pool = &cfg->pool;                       // where API routes' attributes are interned
 *        struct api *api = api_new(&o, cfg);
 *        api_start(api);                            // spawns every process block
 *
 * 2. For every peer, keep a struct api_neighbor inside struct peer and fill it:
 *        api_neighbor_init(api, &p->api, p->conf, p);    // identity + subscriptions
 *        api_neighbor_set_session(&p->api, &p->ours, &p->theirs, &p->neg);
 *    When the local address becomes known (connect/accept with auto
 *    local-address): api_neighbor_set_local(&p->api, &addr).
 *
 * 3. Hand it the session's events (cheap when nobody subscribed):
 *        api_event_fsm(api, &p->api, new_state);       // every FSM state change
 *        api_event_connected(api, &p->api);           // TCP session up (connect or accept)
 *        api_event_up(api, &p->api);                  // Established
 *        api_event_down(api, &p->api, reason);        // session closed, see api_down_reason()
 *        api_event_negotiated(api, &p->api);          // both OPENs known (before KEEPALIVE is sent)
 *        api_event_signal(api, &p->api, SIGUSR1);     // a signal the daemon acted on (per peer)
 *        api_event_received(api, &p->api, &rx);       // every message received, decoded
 *        api_event_message(api, &p->api, API_DIR_SEND, msg, len);     // and every one sent
 *    msg is the whole message, header included.  For a buffer of several
 *    messages (packed UPDATEs) use api_event_messages().  Received messages
 *    are handed over decoded by the session (struct api_rx), after the
 *    header check and before the session acts on them (a NOTIFICATION
 *    before the close), as ExaBGP does.
 *    ExaBGP's order: fsm changes as they happen; connected when the TCP
 *    session is up; OPEN sent / received; negotiated once the peer's OPEN
 *    is validated; up when Established; down when the session closes.
 *    Sent UPDATEs are decoded with the session's asn4 and ADD-PATH from
 *    neg, so set the session before the first UPDATE.  Call api_event_fsm
 *    and the message events for every state and message even when nobody
 *    subscribed: "show neighbor" is built from them (state, up time,
 *    message counters).
 *
 * 4. Implement struct api_host_ops (below).  Commands arrive from the loop;
 *    each op gets the peers the command applies to (ExaBGP's rules: a route
 *    command from process P only reaches peers whose api blocks list P, and
 *    a selector narrows that) and returns API_DONE / API_ERROR, or
 *    API_PENDING and later api_reply_finish().  Output lines go through
 *    api_reply_line() before the reply is finished.  Peers are handed to
 *    ops as the host_peer pointers given to api_neighbor_init; ops->peers
 *    lists them with their api_neighbor.  "show adj-rib" lines are written
 *    with api_show_route() (show.h); "show neighbor summary|extensive" is
 *    written by the api itself.
 *
 * 5. Backpressure: ops->backpressure(ctx, true) means some helper's queue is
 *    full (api.queue events): stop reading from peers until
 *    backpressure(ctx, false).  A helper that does not read for stall_ms is
 *    declared stalled and stops the backpressure (its events are dropped and
 *    counted in the log) so peers never wait forever for one helper.
 *
 *    api_start() ignores SIGPIPE for the daemon (a helper may close its
 *    input at any time).
 *
 * 6. Reload: api_reconfigure(api, new_cfg, &new_cfg->pool) before the old
 *    configuration (and its pool) is freed, then api_neighbor_init() again
 *    for every peer.  Exit: api_shutdown(api, cb,
 *    ctx) sends "shutdown" to every helper, terminates them, and calls cb
 *    when every handle is closed; then api_free().
 *
 * "fastbgp decode" is api_decode_hex().  Formats and commands:
 * docs/api.md and docs/json.md. */
#ifndef FASTBGP_API_API_H
#define FASTBGP_API_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "api/command.h"
#include "api/encoder.h"
#include "attr/attrset.h"
#include "config/model.h"
#include "rib/route.h"

struct settings;
struct api;
struct api_reply;

enum api_status { API_DONE = 0, API_ERROR = -1, API_PENDING = 1 };

/* One peer as the host lists it for a command. */
struct api_peer_ref {
	void *peer;               /* the host's peer (what api_neighbor_init got) */
	struct api_neighbor *n;
	bool established;
};

struct api_host_ops {
	/* Required: every configured peer now.  *out stays valid until the
	 * next call; the order is the order of the output of show commands. */
	size_t (*peers)(void *ctx, struct api_peer_ref **out);

	/* announce|withdraw route / attributes / vpls / ipv4 / ipv6 / flow:
	 * routes were parsed with the configuration's grammar; they are
	 * released after the call (ribout_announce() copies what it keeps). */
	int (*routes)(void *ctx, const struct api_command *cmd, void *const *peers, size_t n,
		      const struct route_list *routes, bool withdraw, struct api_reply *r);
	/* announce eor [afi safi] (established peers matching the selector). */
	int (*eor)(void *ctx, void *const *peers, size_t n, uint16_t afi, uint8_t safi, struct api_reply *r);
	/* announce route-refresh afi safi. */
	int (*refresh)(void *ctx, void *const *peers, size_t n, uint16_t afi, uint8_t safi, struct api_reply *r);
	/* announce operational ... (optional; NULL answers error). */
	int (*operational)(void *ctx, void *const *peers, size_t n, const char *text, struct api_reply *r);
	/* announce|withdraw watchdog NAME: every neighbor, every route with that watchdog. */
	int (*watchdog)(void *ctx, const char *name, bool announce, struct api_reply *r);
	/* teardown N: established peers matching the selector; Cease N. */
	int (*teardown)(void *ctx, void *const *peers, size_t n, uint8_t subcode, struct api_reply *r);
	/* flush adj-rib out (established peers) / clear adj-rib in|out (all). */
	int (*flush_adj_rib_out)(void *ctx, void *const *peers, size_t n, struct api_reply *r);
	int (*clear_adj_rib)(void *ctx, void *const *peers, size_t n, bool in, struct api_reply *r);
	/* show adj-rib in|out [extensive]: write one line per route with
	 * api_show_route() (show.h) for each peer. */
	int (*show_adj_rib)(void *ctx, void *const *peers, size_t n, const struct api_command *cmd, struct api_reply *r);
	/* show neighbor configuration [ip]: the configuration of matching
	 * neighbors, line by line (optional; NULL prints nothing). */
	int (*show_config)(void *ctx, const char *filter, struct api_reply *r);
	/* shutdown / reload / restart (the reply is written by the api). */
	void (*control)(void *ctx, enum api_cmd_kind kind);
	/* Optional: parse "announce flow ..." text (after "flow") into routes. */
	int (*parse_flow)(void *ctx, bool withdraw, const char *text, struct attr_pool *pool, struct route_list *out,
			  char *err, size_t errlen);

	/* Notifications to the host. */
	void (*backpressure)(void *ctx, bool on);
	/* A helper ended for good (respawn off, or too many deaths), with
	 * api.terminate on: the host stops the daemon.  Without it the helper
	 * alone is gone and BGP goes on. */
	void (*helper_gone)(void *ctx, const char *name, const char *why);
};

struct api_options {
	uv_loop_t *loop;
	const struct api_host_ops *ops;
	void *ctx;
	const char *conf_dir;     /* absolute folder of the configuration file, for
				   * relative "run" paths; may be NULL */
	struct attr_pool *pool;   /* where API routes' attribute sets are interned */
	bool ack;                 /* api.ack: done / error after each command */
	bool reason;              /* api.reason: helpers get "error: REASON" before "error" */
	int encoder;              /* api.encoder: ENCODER_JSON / ENCODER_TEXT, for processes without one */
	bool respawn;             /* api.respawn */
	bool terminate;           /* api.terminate: a helper gone for good stops the daemon */
	bool compact;             /* api.compact */
	size_t queue;             /* api.queue: events queued per helper before backpressure */
	size_t line;              /* api.line: longest command line */
	int version;              /* api.version: 4 or 5 (JSON flavour) */
	size_t nats_buffer;       /* api.nats_buffer: messages held for a NATS process (0: default) */
	unsigned stall_ms;        /* a helper not reading this long is stalled (0 = never) */
	double (*clock)(void);    /* wall clock for "time" (NULL = real time); tests fix it */
	const char *host;         /* NULL = gethostname() */
	long pid, ppid;           /* 0 = getpid() / getppid() */
};

/* Defaults (ExaBGP's) then the api.* settings. */
void api_options_from_settings(struct api_options *o, const struct settings *s);

struct api *api_new(const struct api_options *o, const struct config *cfg);
/* Spawns every configured process.  Returns 0, or -1 when one could not be
 * started (logged; the others run). */
int api_start(struct api *a);
/* A new configuration: processes gone are stopped, new ones started,
 * others kept running.  Call api_neighbor_init again for every peer. */
int api_reconfigure(struct api *a, const struct config *cfg, struct attr_pool *pool);
/* Sends "shutdown" to every helper, terminates them; done(ctx) once every
 * handle is closed.  No event is sent after this. */
void api_shutdown(struct api *a, void (*done)(void *ctx), void *ctx);
void api_free(struct api *a);

/* Stops (true) or resumes reading helper commands, e.g. while the rib-out
 * of the peers is too full. */
void api_pause_commands(struct api *a, bool pause);
/* Runs one command as the CLI / control socket does (every peer, not only
 * those of a process).  Output lines, then "done"/"error", go to out. */
void api_run_command(struct api *a, const char *line, void (*out)(void *ctx, const char *line, size_t len),
		     void *ctx);

/* ---- neighbors ---- */
void api_neighbor_init(struct api *a, struct api_neighbor *n, const struct neighbor_conf *conf, void *host_peer);
/* After a reload: api_neighbor_init() (new identity and subscriptions) that
 * keeps what belongs to the session (state, up time, message counters,
 * OPENs), so "show neighbor" still describes the running session. */
void api_neighbor_reinit(struct api *a, struct api_neighbor *n, const struct neighbor_conf *conf, void *host_peer);
void api_neighbor_set_local(struct api_neighbor *n, const struct ip_addr *local);
void api_neighbor_set_session(struct api_neighbor *n, const struct bgp_open *sent, const struct bgp_open *received,
			      const struct negotiated *neg);
/* Someone subscribed to these messages (the host may skip work when not). */
bool api_wants_message(const struct api_neighbor *n, int dir, uint8_t type);

/* ---- events ---- */
void api_event_connected(struct api *a, struct api_neighbor *n);
void api_event_up(struct api *a, struct api_neighbor *n);
void api_event_down(struct api *a, struct api_neighbor *n, const char *reason);
void api_event_fsm(struct api *a, struct api_neighbor *n, int peer_state);
void api_event_negotiated(struct api *a, struct api_neighbor *n);
void api_event_signal(struct api *a, struct api_neighbor *n, int signum);
/* A message sent (dir API_DIR_SEND; the API decodes our own messages). */
void api_event_message(struct api *a, struct api_neighbor *n, int dir, const uint8_t *msg, size_t len);
void api_event_messages(struct api *a, struct api_neighbor *n, int dir, const uint8_t *buf, size_t len);

/* A received message as the session decoded it, once (peer/peer_rx.c):
 * the API prints these views and never parses the bytes again, so a
 * helper sees what the session acted on (an UPDATE the session answers
 * with a NOTIFICATION has no update view, and no parsed event). */
struct update_msg;
struct api_rx {
	const uint8_t *msg;               /* the whole message, header first */
	size_t len;
	const struct update_msg *update;  /* UPDATE: the session's parse, NULL when not decoded */
	family_mask addpath;              /* families whose NLRI carry path identifiers */
	bool ebgp;                        /* the session is external (LOCAL_PREF was discarded) */
	const struct open_listing *open;  /* OPEN, NULL when malformed */
	const struct notification *notif; /* NOTIFICATION, NULL when malformed */
	const struct route_refresh *rr;   /* ROUTE-REFRESH, NULL when malformed or of an unknown subtype */
};
void api_event_received(struct api *a, struct api_neighbor *n, const struct api_rx *rx);

/* ---- graceful restart (RFC 4724 receiver; fastbgp events, docs/json.md) ---- */
/* What happened to a restarting peer's stale routes, for helpers whose api
 * block has "graceful-restart;": state "stale" (session lost, routes kept
 * for time seconds), "flushed" (not kept: the peer came back without
 * Graceful Restart or forwarding state for the family), "swept" (End-of-RIB
 * received: what was not announced again is gone) or "expired" (the wait is
 * over).  counts[f]: routes kept or removed, for each family of fams. */
void api_event_graceful(struct api *a, struct api_neighbor *n, const char *state, unsigned time, family_mask fams,
			const size_t counts[FAM_COUNT]);
/* An UPDATE that withdraws routes fastbgp removed itself (stale routes
 * swept), built and decoded by the session as a received one
 * (peer_rx_local_update(), src/peer/peer_rx.c): shown to helpers that parse
 * received UPDATEs as if the peer had sent it, never as packets nor counted
 * as a message received. */
void api_event_local_withdraw(struct api *a, struct api_neighbor *n, const struct api_rx *rx);

/* ExaBGP's down reason: "peer reset, message [WHAT] error[ERROR]", e.g.
 * what "notification received (6,3)", error "Cease / Peer De-configured / ". */
int api_down_reason(char *out, size_t outlen, const char *what, const char *error);

/* ---- replies ---- */
void api_reply_line(struct api_reply *r, const char *line);
void api_reply_printf(struct api_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Why the command fails (the first reason given is kept).  A failed reply
 * is "error: REASON" then "error" for the CLI (control socket, named
 * pipes), and for helpers with api.reason; a bare "error" otherwise, which
 * is what ExaBGP 4.2 helpers read (one line per command). */
void api_reply_reason(struct api_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ends a command that returned API_PENDING: "done" (ok) or "error". */
void api_reply_finish(struct api_reply *r, bool ok);
/* The process that sent the command ("" for api_run_command). */
const char *api_reply_process(const struct api_reply *r);

/* ---- fastbgp decode ---- */
/* Prints one message given in hex (with or without its 19-byte header;
 * "family" = "ipv4 unicast"-style AFI SAFI for a bare UPDATE of
 * that family's NLRI, may be NULL) as ExaBGP's JSON event.  Returns 0, or
 * -1 with a message on out when the hex or the message is invalid. */
int api_decode_hex(const char *hex, const char *family, FILE *out);
/* The same in api.version's JSON flavour (4 or 5, as "exabgp decode" of
 * that ExaBGP prints). */
int api_decode_hex_as(const char *hex, const char *family, int api_version, FILE *out);

/* ---- tests ---- */
/* The number of process slots, and the helper of one (NULL when none). */
size_t api_process_count(const struct api *a);
struct api_helper *api_process_helper(const struct api *a, size_t i);
/* The identity used in JSON headers (host, pid, version). */
const struct api_fmt *api_fmt_of(const struct api *a);

/* Per-helper counters for the metrics endpoint (api_metrics.c): slots
 * 0 .. api_helper_slots()-1; api_helper_stats() returns -1 for an unused
 * or unconfigured slot.  name stays valid until the next reload. */
struct api_helper_stats {
	const char *name;
	bool running;
	size_t queued;            /* events waiting for the helper to read them */
	unsigned restarts;        /* starts after the first */
	uint64_t commands, command_errors, dropped;
};
int api_helper_slots(const struct api *a);
int api_helper_stats(const struct api *a, int slot, struct api_helper_stats *out);

#endif
