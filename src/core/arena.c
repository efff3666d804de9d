/* Bump allocator (see arena.h). */
#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (256 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, pos;
	_Alignas(8) unsigned char mem[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->pos < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->pos = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->mem + c->pos;
	c->pos += n;
	a->used += n;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = arena_alloc(a, n);
	if (d)
		memcpy(d, s, n);
	return d;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->used = 0;
}
