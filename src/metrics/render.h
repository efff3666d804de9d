/* The metrics as Prometheus text exposition format 0.0.4, rendered on the
 * loop from the speaker's peers and the process API (docs/metrics.md). */
#ifndef FASTBGP_METRICS_RENDER_H
#define FASTBGP_METRICS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

struct speaker;

struct metrics_text {
	char *data;
	size_t len, cap;
	bool failed; /* out of memory: the text is incomplete */
};

void metrics_render(struct metrics_text *t, struct speaker *sp);
void metrics_text_free(struct metrics_text *t);

#endif
