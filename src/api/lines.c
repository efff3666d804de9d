/* Line framing of helper output (see lines.h). */
#include "api/lines.h"

#include <stdlib.h>
#include <string.h>

void api_lines_init(struct api_lines *l, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->max = max ? max : 1;
}

void api_lines_free(struct api_lines *l)
{
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

void api_lines_reset(struct api_lines *l)
{
	l->start = l->scan = l->len = 0;
	l->discarding = false;
	l->pending_too_long = false;
}

static void compact(struct api_lines *l)
{
	if (!l->start)
		return;
	memmove(l->buf, l->buf + l->start, l->len - l->start);
	l->len -= l->start;
	l->scan = l->scan > l->start ? l->scan - l->start : 0;
	l->start = 0;
}

char *api_lines_space(struct api_lines *l, size_t want, size_t *room)
{
	if (!want)
		want = 1;
	compact(l);
	if (l->cap - l->len < want + 1) { /* + 1: room for the NUL of a line */
		size_t ncap = l->cap ? l->cap : 4096;
		while (ncap - l->len < want + 1)
			ncap *= 2;
		char *n = realloc(l->buf, ncap);
		if (!n) {
			if (l->cap - l->len > 1) {
				*room = l->cap - l->len - 1;
				return l->buf + l->len;
			}
			*room = 0;
			return NULL;
		}
		l->buf = n;
		l->cap = ncap;
	}
	*room = l->cap - l->len - 1;
	return l->buf + l->len;
}

void api_lines_commit(struct api_lines *l, size_t n)
{
	size_t from = l->len;
	l->len += n;
	if (l->discarding) {
		char *nl = memchr(l->buf + from, '\n', l->len - from);
		if (!nl) {
			l->len = from; /* still inside the long line: drop */
			return;
		}
		/* the long line ends here: keep what follows */
		size_t after = (size_t)(nl - l->buf) + 1;
		memmove(l->buf + from, l->buf + after, l->len - after);
		l->len = from + (l->len - after);
		l->discarding = false;
		l->scan = from;
		return;
	}
	if (memchr(l->buf + from, '\n', l->len - from))
		return; /* api_lines_next finds it */
	l->scan = l->len;
	if (l->len - l->start > l->max) {
		/* no newline and already too long: drop it now, bounded memory */
		l->len = l->start;
		l->scan = l->start;
		l->discarding = true;
		l->pending_too_long = true;
	}
}

int api_lines_push(struct api_lines *l, const char *data, size_t n)
{
	while (n) {
		size_t room;
		char *p = api_lines_space(l, n, &room);
		if (!p || !room)
			return -1;
		size_t k = n < room ? n : room;
		memcpy(p, data, k);
		api_lines_commit(l, k);
		data += k;
		n -= k;
	}
	return 0;
}

bool api_lines_ready(struct api_lines *l)
{
	if (l->pending_too_long)
		return true;
	size_t from = l->scan > l->start ? l->scan : l->start;
	return from < l->len && memchr(l->buf + from, '\n', l->len - from) != NULL;
}

int api_lines_next(struct api_lines *l, char **line, size_t *len)
{
	if (l->pending_too_long) {
		l->pending_too_long = false;
		return API_LINE_TOO_LONG;
	}
	size_t from = l->scan > l->start ? l->scan : l->start;
	char *nl = from < l->len ? memchr(l->buf + from, '\n', l->len - from) : NULL;
	if (!nl) {
		l->scan = l->len;
		return API_LINE_NONE;
	}
	size_t end = (size_t)(nl - l->buf);
	size_t n = end - l->start;
	char *s = l->buf + l->start;
	l->start = end + 1;
	l->scan = l->start;
	if (n > l->max)
		return API_LINE_TOO_LONG;
	*nl = '\0';
	if (n && s[n - 1] == '\r')
		s[--n] = '\0';
	*line = s;
	*len = n;
	return API_LINE_OK;
}
