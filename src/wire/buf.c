/* Growable writer for wire messages (see buf.h). */
#include "wire/buf.h"

#include <stdlib.h>

void wb_init(struct wbuf *w, size_t cap_hint)
{
	w->data = NULL;
	w->len = 0;
	w->cap = 0;
	w->err = 0;
	w->fixed = 0;
	if (cap_hint)
		wb_grow(w, cap_hint);
}

void wb_free(struct wbuf *w)
{
	if (!w->fixed)
		free(w->data);
	w->data = NULL;
	w->len = w->cap = 0;
	w->err = 0;
}

void wb_reset(struct wbuf *w)
{
	w->len = 0;
	w->err = 0;
}

int wb_grow(struct wbuf *w, size_t need)
{
	if (w->fixed) {
		w->err = 1;
		return -1;
	}
	size_t cap = w->cap ? w->cap : 256;
	while (cap < w->len + need)
		cap *= 2;
	uint8_t *d = realloc(w->data, cap);
	if (!d) {
		w->err = 1;
		return -1;
	}
	w->data = d;
	w->cap = cap;
	return 0;
}
