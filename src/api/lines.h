/* Line framing of a helper's output, with a maximum line length.
 *
 * Bytes read from the pipe go straight into the framer's buffer
 * (api_lines_space + api_lines_commit, no copy); complete lines are then
 * taken one at a time with api_lines_next.  A line longer than the maximum
 * is reported once (API_LINE_TOO_LONG) and its bytes are dropped up to the
 * next newline, so the buffer never holds more than the maximum plus one
 * read.  A last line without a newline is never returned. */
#ifndef FASTBGP_API_LINES_H
#define FASTBGP_API_LINES_H

#include <stdbool.h>
#include <stddef.h>

enum api_line_result {
	API_LINE_NONE = 0,     /* no complete line buffered */
	API_LINE_OK = 1,       /* *line is a NUL-terminated line (newline removed) */
	API_LINE_TOO_LONG = 2, /* a line over the maximum was dropped */
};

struct api_lines {
	char *buf;
	size_t start;   /* first byte not yet returned */
	size_t scan;    /* bytes before this offset hold no newline */
	size_t len;     /* bytes in buf */
	size_t cap;
	size_t max;     /* longest line accepted, newline excluded */
	bool discarding; /* dropping the rest of an over-long line */
	bool pending_too_long; /* an over-long line to report */
};

void api_lines_init(struct api_lines *l, size_t max);
void api_lines_free(struct api_lines *l);

/* Room for at least `want` more bytes (less when the buffer cannot grow);
 * returns the place to read into and its size in *room, NULL when out of
 * memory. */
char *api_lines_space(struct api_lines *l, size_t want, size_t *room);
/* n bytes were written at the place api_lines_space returned. */
void api_lines_commit(struct api_lines *l, size_t n);
/* Copying variant of space + commit, for tests and small writes. */
int api_lines_push(struct api_lines *l, const char *data, size_t n);

/* Takes the next line.  The line stays valid until the next call to any
 * api_lines_* function.  A trailing "\r" is removed. */
int api_lines_next(struct api_lines *l, char **line, size_t *len);

/* True when a complete line (or a too-long report) is waiting. */
bool api_lines_ready(struct api_lines *l);

/* Forgets everything buffered. */
void api_lines_reset(struct api_lines *l);

#endif
