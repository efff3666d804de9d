/* Log rate limit (ratelimit.h). */
#include "core/ratelimit.h"

void rate_limit_init(struct rate_limit *r, unsigned burst, uint64_t window_ms)
{
	r->burst = burst ? burst : 1;
	r->window_ms = window_ms ? window_ms : 1;
	r->window_start = 0;
	r->count = 0;
	r->suppressed = 0;
}

bool rate_limit_allow(struct rate_limit *r, uint64_t now_ms, uint64_t *report)
{
	*report = 0;
	if (!r->window_start || now_ms < r->window_start || now_ms - r->window_start >= r->window_ms) {
		*report = r->suppressed;
		r->window_start = now_ms ? now_ms : 1;
		r->count = 0;
		r->suppressed = 0;
	}
	if (r->count < r->burst) {
		r->count++;
		return true;
	}
	r->suppressed++;
	return false;
}

uint64_t rate_limit_flush(struct rate_limit *r)
{
	uint64_t n = r->suppressed;
	r->window_start = 0;
	r->count = 0;
	r->suppressed = 0;
	return n;
}

uint64_t rate_limit_deadline(const struct rate_limit *r)
{
	return r->suppressed ? r->window_start + r->window_ms : 0;
}
