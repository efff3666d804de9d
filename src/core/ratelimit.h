/* A log rate limit: at most `burst` messages per window of `window_ms`; the
 * others are counted, and the count is reported once the window is over
 * ("N similar messages suppressed").  One limit per source (a helper), so
 * that a helper printing a million garbage lines costs a few log lines, not
 * a million, and the other sources still log (issue 11: limits that
 * protect the process). */
#ifndef FASTBGP_CORE_RATELIMIT_H
#define FASTBGP_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATE_LIMIT_BURST 10
#define RATE_LIMIT_WINDOW_MS 10000

struct rate_limit {
	unsigned burst;
	uint64_t window_ms;
	uint64_t window_start; /* ms; 0 = no window open */
	unsigned count;        /* messages in the window */
	uint64_t suppressed;   /* not logged in the window */
};

void rate_limit_init(struct rate_limit *r, unsigned burst, uint64_t window_ms);

/* One message at now_ms: true when it may be logged.  When a window with
 * suppressed messages ended before now_ms, *report gets their count (to be
 * logged before this message) and a new window starts; else *report is 0. */
bool rate_limit_allow(struct rate_limit *r, uint64_t now_ms, uint64_t *report);

/* The count not reported yet (for a timer at the end of the window, or when
 * the source goes away); the window is closed. */
uint64_t rate_limit_flush(struct rate_limit *r);

/* When the open window ends (ms), for a timer; 0 when nothing waits. */
uint64_t rate_limit_deadline(const struct rate_limit *r);

#endif
