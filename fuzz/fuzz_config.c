/* libFuzzer harness: the configuration lexer and parser, from bytes as a
 * file (config_load reads the file in windows: lexer_init_file).
 *
 * Input: the file's bytes.  The file is loaded twice, with the normal read
 * window and with a tiny one (1 to 13 bytes, from the input size) so that
 * tokens, comments, strings and line joins are cut at every place.
 * Oracle: both loads agree (same result, same error text, same dump of the
 * model, config_dump): the window is an implementation detail.  A file
 * with a NUL byte must fail both ways. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/model.h"
#include "config/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int load(const char *path, size_t chunk, char *err, size_t errlen, char **dump, size_t *dump_len)
{
	struct config c;
	config_init(&c);
	err[0] = '\0';
	int rc = config_load_chunked(&c, path, chunk, err, errlen);
	*dump = NULL;
	*dump_len = 0;
	FILE *out = open_memstream(dump, dump_len);
	if (out) {
		if (rc == 0)
			config_dump(out, &c);
		fclose(out);
	}
	config_free(&c);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz.conf", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();

	char err1[512], err2[512];
	char *d1, *d2;
	size_t n1, n2;
	int r1 = load(path, CONFIG_READ_CHUNK, err1, sizeof(err1), &d1, &n1);
	int r2 = load(path, 1 + size % 13, err2, sizeof(err2), &d2, &n2);
	/* A NUL byte fails the whole file, but a small window may meet an
	 * error in the text before it first: then only both must fail. */
	int same = memchr(data, '\0', size) ? (r1 < 0 && r2 < 0)
					     : (r1 == r2 && !strcmp(err1, err2) && n1 == n2 && (!n1 || !memcmp(d1, d2, n1)));
	if (!same) {
		fprintf(stderr, "window %zu: rc %d/%d\n  whole: %s\n  small: %s\n", 1 + size % 13, r1, r2, err1,
			err2);
		abort();
	}
	free(d1);
	free(d2);
	return 0;
}
