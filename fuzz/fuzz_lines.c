/* libFuzzer harness: the line framing of helper output (api/lines.c), the
 * first code every byte a helper writes goes through.
 *
 * Input: [max line length byte][chunking byte][bytes].  The bytes are fed in
 * chunks of 1 to 64 bytes (from the chunking byte), through the zero-copy
 * api_lines_space/commit and through api_lines_push alternately, and the
 * lines are taken after every chunk.  Oracle: the lines equal a plain split
 * of the input at '\n' (a trailing "\r" removed), a line longer than the
 * maximum reported once as too long instead (as soon as it is, even before
 * its newline), and an unterminated rest never returned. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct expect {
	const uint8_t *p, *end; /* the rest of the input fed so far, not yet matched */
	size_t max;
	int skipping;           /* a too-long line was reported before its newline came */
};

/* The next line the framer must give, from the reference split of what was
 * fed so far. */
static int next_expected(struct expect *x, const uint8_t **line, size_t *len)
{
	const uint8_t *nl = memchr(x->p, '\n', (size_t)(x->end - x->p));
	if (x->skipping) {
		if (!nl) {
			x->p = x->end;
			return API_LINE_NONE;
		}
		x->p = nl + 1;
		x->skipping = 0;
		nl = memchr(x->p, '\n', (size_t)(x->end - x->p));
	}
	*line = x->p;
	if (!nl) {
		/* an unterminated line is reported as soon as it is too long */
		*len = (size_t)(x->end - x->p);
		return API_LINE_NONE;
	}
	*len = (size_t)(nl - x->p);
	x->p = nl + 1;
	if (*len > x->max)
		return API_LINE_TOO_LONG;
	if (*len && (*line)[*len - 1] == '\r')
		(*len)--;
	return API_LINE_OK;
}

static void drain(struct api_lines *l, struct expect *x)
{
	char *line;
	size_t len;
	int r;
	while ((r = api_lines_next(l, &line, &len)) != API_LINE_NONE) {
		const uint8_t *want;
		size_t wlen;
		int w = next_expected(x, &want, &wlen);
		if (w == API_LINE_NONE && r == API_LINE_TOO_LONG && wlen > x->max) {
			x->skipping = 1; /* reported early: its bytes go up to the newline */
			x->p = x->end;
			continue;
		}
		if (w != r || (r == API_LINE_OK && (wlen != len || memcmp(want, line, len) || line[len] != '\0'))) {
			fprintf(stderr, "framer gave %d \"%.*s\", expected %d \"%.*s\"\n", r, (int)len, line, w, (int)wlen,
				(const char *)want);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t max = 1 + data[0] % 64;
	uint8_t chunking = data[1];
	data += 2;
	size -= 2;
	struct api_lines l;
	api_lines_init(&l, max);
	struct expect x = {data, data, max, 0};
	size_t off = 0;
	for (unsigned k = 0; off < size; k++) {
		size_t n = 1 + (size_t)((chunking * (k + 1)) % 64);
		if (n > size - off)
			n = size - off;
		if (k & 1) {
			if (api_lines_push(&l, (const char *)data + off, n) < 0)
				abort();
		} else {
			size_t room;
			char *p = api_lines_space(&l, n, &room);
			if (!p)
				abort();
			if (n > room)
				n = room;
			memcpy(p, data + off, n);
			api_lines_commit(&l, n);
		}
		off += n;
		x.end = data + off;
		drain(&l, &x);
	}
	const uint8_t *want;
	size_t wlen;
	/* (an unterminated rest over the maximum may wait for the next read
	 * without a newline to be reported: memory stays bounded by one read) */
	if (next_expected(&x, &want, &wlen) != API_LINE_NONE) {
		fprintf(stderr, "a complete line was never given\n");
		abort();
	}
	api_lines_free(&l);
	return 0;
}
