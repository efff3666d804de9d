/* Bump allocator: many small objects with one lifetime (a configuration's
 * routes), freed all at once.  Saves malloc's per-object overhead, which
 * matters at a million routes. */
#ifndef FASTBGP_CORE_ARENA_H
#define FASTBGP_CORE_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t used; /* bytes handed out, for memory statistics */
};

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* 8-byte aligned, NULL on failure */
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
