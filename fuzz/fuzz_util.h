/* Shared pieces of the libFuzzer harnesses: a fixed identity for the JSON
 * encoder, and the JSON oracle (tests/unit/json_check.h) applied to one
 * whole event line as a helper receives it. */
#ifndef FASTBGP_FUZZ_UTIL_H
#define FASTBGP_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/encoder.h"
#include "json_check.h"

static inline void fuzz_fmt(struct api_fmt *f, int version, bool compact)
{
	memset(f, 0, sizeof(*f));
	f->version = version;
	f->compact = compact;
	f->exabgp = version == 5 ? "5.0.0" : "4.0.1";
	snprintf(f->host, sizeof(f->host), "fuzz");
	f->pid = 1;
	f->ppid = 2;
	f->now = 1795644765.25;
}

static inline void fuzz_neighbor(struct api_neighbor *n)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->peer_address, sizeof(n->peer_address), "127.0.0.1");
	snprintf(n->local_address, sizeof(n->local_address), "127.0.0.1");
	n->id.local_as = n->id.peer_as = 65533;
	n->id.router_id = 0x0A000002;
}

/* The prefix of f and the body in w must make one valid JSON value; abort()
 * (a libFuzzer crash) with the offending text otherwise. */
static inline void fuzz_json_oracle(const struct api_fmt *f, const struct wbuf *w, const char *what)
{
	if (w->err)
		return;
	static char line[1 << 20];
	size_t pl = api_json_encoder.prefix(f, line, sizeof(line), 7);
	if (pl + w->len > sizeof(line))
		return;
	memcpy(line + pl, w->data, w->len);
	size_t off;
	const char *why = json_check_error(line, pl + w->len, &off);
	if (why) {
		fprintf(stderr, "invalid JSON (%s) in %s at byte %zu: %.*s\n", why, what, off, (int)(pl + w->len),
			line);
		abort();
	}
}

/* A text event is lines "neighbor PEER ...\n" (and an update's packets
 * line " header 0x... body 0x..."): a byte from the peer must never start
 * a line of its own (a helper would take it for an event). */
static inline void fuzz_text_oracle(const struct wbuf *w, const char *peer)
{
	if (w->err || w->len == 0)
		return;
	char want[80];
	int wl = snprintf(want, sizeof(want), "neighbor %s ", peer);
	const char *p = (const char *)w->data, *end = p + w->len;
	if (memchr(p, '\0', w->len) || end[-1] != '\n')
		goto bad;
	while (p < end) {
		/* ExaBGP's packets line of an update: " header 0x.. body 0x.." */
		int packets = end - p > 10 && !memcmp(p, " header 0x", 10);
		if (!packets && ((size_t)(end - p) < (size_t)wl || memcmp(p, want, (size_t)wl)))
			goto bad;
		p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1;
	}
	return;
bad:
	fprintf(stderr, "text event with a line that is not an event of %s: %.*s\n", peer, (int)w->len,
		(const char *)w->data);
	abort();
}

#endif
