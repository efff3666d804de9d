/* The output queue of one helper: what fastbgp still has to write to the
 * helper's stdin (events, command output, done/error).
 *
 * Entries are appended to chunks of contiguous bytes; the writer takes all
 * complete chunks at once (one uv_write with several buffers), and appends
 * go on while a write is in flight.  The queue counts entries, not bytes:
 * it is "above" once it holds `high` entries and stays so until it drains
 * to `low`.  Crossing those marks is returned to the caller, which turns it
 * into backpressure (stop reading peers, stop reading the helper).  Nothing
 * is ever dropped here. */
#ifndef FASTBGP_API_OUTQ_H
#define FASTBGP_API_OUTQ_H

#include <stdbool.h>
#include <stddef.h>

#define API_OUTQ_CHUNK 65536 /* usual chunk size; one larger entry gets its own */
#define API_OUTQ_MAX_BUFS 64 /* chunks handed to one write */

struct api_chunk {
	struct api_chunk *next;
	size_t len, cap;
	size_t entries;
	bool sealed;     /* being written: no more appends */
	char data[];
};

struct api_outq {
	struct api_chunk *head, *tail;
	size_t entries;  /* entries not yet written (in flight included) */
	size_t bytes;
	size_t high, low;
	bool above;
	size_t inflight; /* chunks handed to the writer */
};

/* One buffer to write (same layout idea as uv_buf_t, kept libuv-free). */
struct api_iov {
	char *base;
	size_t len;
};

/* high >= 1; low < high (clamped). */
void api_outq_init(struct api_outq *q, size_t high, size_t low);
void api_outq_free(struct api_outq *q);
/* Drops everything not in flight (the helper is gone). */
void api_outq_clear(struct api_outq *q);

/* Appends one entry made of two pieces (b may be NULL).  Returns 1 when
 * this push made the queue cross its high water mark, 0 otherwise, -1
 * when out of memory (nothing appended). */
int api_outq_push2(struct api_outq *q, const void *a, size_t alen, const void *b, size_t blen);
static inline int api_outq_push(struct api_outq *q, const void *a, size_t alen)
{
	return api_outq_push2(q, a, alen, NULL, 0);
}

/* Hands out the queued chunks (at most max) for one write and seals them.
 * Returns how many, 0 when nothing is queued or a write is in flight. */
size_t api_outq_take(struct api_outq *q, struct api_iov *iov, size_t max);
/* The chunks handed out were written: frees them.  Returns 1 when the
 * queue just went back under its low water mark, 0 otherwise. */
int api_outq_written(struct api_outq *q);

static inline bool api_outq_busy(const struct api_outq *q) { return q->inflight != 0; }
static inline bool api_outq_empty(const struct api_outq *q) { return q->head == NULL; }

#endif
