/* A helper process whose transport is a NATS subject instead of a pipe
 * (issue 15): `process NAME { nats URL; subject S; [stream NAME;] }`.
 *
 * Events go to S.events.<type> (the JSON "type" field: update, state,
 * notification, open, ...; "text" for the text encoder), command lines are
 * read from S.commands and from the fleet-wide <first token of S>.all.commands,
 * and each reply line of a command goes to the command message's reply
 * subject (S.replies when it has none).
 *
 * BGP never waits for the bus: libnats runs its own threads; commands come
 * into the libuv loop through a mutex-protected queue and a uv_async; events
 * and replies go out through a bounded queue that a publisher thread
 * drains while the server is reachable.  When the queue is full (the server
 * is away, or slower than the events), new events are dropped and counted,
 * with a rate-limited log line.  With `stream`, events are published to
 * JetStream and each one leaves the queue only once the server acknowledged
 * it, so nothing accepted into the queue is lost across a server restart.
 * Reconnection is libnats', with an exponential backoff (100 ms to 5 s). */
#ifndef FASTBGP_API_NATS_TRANSPORT_H
#define FASTBGP_API_NATS_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define NATS_DEFAULT_BUFFER 100000 /* exabgp.api.nats_buffer: messages held */

struct nats_transport;

struct nats_transport_conf {
	const char *name;    /* the process block, for log lines */
	const char *url;     /* nats://[user:pass@]host:port, tls://... */
	const char *subject; /* S */
	const char *stream;  /* JetStream stream for events, NULL = core NATS */
	size_t buffer;       /* messages held at most */
	size_t max_line;     /* longest command line */
};

struct nats_transport_cbs {
	void *ctx;
	void (*line)(void *ctx, char *line, size_t len);
	void (*too_long)(void *ctx);
	void (*closed)(void *ctx); /* after nats_transport_close: t may be freed */
};

struct nats_transport *nats_transport_new(uv_loop_t *loop, const struct nats_transport_conf *conf,
					  const struct nats_transport_cbs *cbs);
/* Connects (in the background: a server that is away is retried). */
int nats_transport_start(struct nats_transport *t);
/* An event (a + b, one line ending in '\n'). */
void nats_transport_event(struct nats_transport *t, const void *a, size_t alen, const void *b, size_t blen);
/* A reply line of the command being answered. */
void nats_transport_reply(struct nats_transport *t, const void *a, size_t alen, const void *b, size_t blen);
/* Stops (true) or resumes handing command lines to the loop. */
void nats_transport_pause(struct nats_transport *t, bool on);
/* Publishes `last`, flushes (bounded), disconnects; then cbs.closed. */
void nats_transport_close(struct nats_transport *t, const void *last, size_t lastlen);
void nats_transport_free(struct nats_transport *t);
bool nats_transport_started(const struct nats_transport *t);
size_t nats_transport_queued(struct nats_transport *t);
uint64_t nats_transport_dropped(struct nats_transport *t);

/* The event type of a JSON event for its subject: the value of the first
 * "type" key in msg, else "text".  Writes a NUL-terminated
 * word of [A-Za-z0-9_-] into out. */
void nats_event_type(const char *msg, size_t len, char *out, size_t outlen);

#endif
