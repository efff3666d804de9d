/* Pure pieces of helper supervision: line framing with a maximum length,
 * the output queue and its water marks, the respawn window, the lookup of
 * a "run" program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/lines.h"
#include "api/outq.h"
#include "api/process.h"

static void test_lines(void **state)
{
	(void)state;
	struct api_lines l;
	char *s;
	size_t n;
	api_lines_init(&l, 16);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_NONE);
	assert_int_equal(api_lines_push(&l, "version\nhel", 11), 0);
	assert_true(api_lines_ready(&l));
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, "version");
	assert_int_equal(n, 7);
	assert_false(api_lines_ready(&l));
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_NONE);
	assert_int_equal(api_lines_push(&l, "p\r\n\n", 4), 0);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, "help"); /* \r removed */
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, ""); /* an empty line is a line */
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_NONE);
	api_lines_free(&l);
}

static void test_lines_too_long(void **state)
{
	(void)state;
	struct api_lines l;
	char *s;
	size_t n;
	api_lines_init(&l, 16);
	/* a long line within one push, between two good ones */
	assert_int_equal(api_lines_push(&l, "short\n01234567890123456789\nnext\n", 32), 0);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, "short");
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_TOO_LONG);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, "next");
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_NONE);
	/* exactly the maximum is fine */
	assert_int_equal(api_lines_push(&l, "0123456789abcdef\n", 17), 0);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_int_equal(n, 16);
	/* a long line arriving in pieces: reported once, memory bounded, dropped to its newline */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(api_lines_push(&l, "xxxxxxxxxx", 10), 0);
	assert_true(l.len < 64);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_TOO_LONG);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_NONE);
	assert_int_equal(api_lines_push(&l, "yyyy\nversion\n", 13), 0);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, "version");
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_NONE);
	api_lines_free(&l);
}

static void test_lines_space(void **state)
{
	(void)state;
	struct api_lines l;
	char *s;
	size_t n, room;
	api_lines_init(&l, 1 << 20);
	/* zero-copy reads, many lines in one read, one split across two */
	char *p = api_lines_space(&l, 65536, &room);
	assert_non_null(p);
	assert_true(room >= 65536);
	size_t o = 0;
	for (int i = 0; i < 1000; i++)
		o += (size_t)sprintf(p + o, "announce route 10.%d.0.0/16 next-hop self\n", i);
	memcpy(p + o, "announce ro", 11);
	api_lines_commit(&l, o + 11);
	int count = 0;
	while (api_lines_next(&l, &s, &n) == API_LINE_OK)
		count++;
	assert_int_equal(count, 1000);
	p = api_lines_space(&l, 100, &room);
	memcpy(p, "ute 1.0.0.0/8\n", 14);
	api_lines_commit(&l, 14);
	assert_int_equal(api_lines_next(&l, &s, &n), API_LINE_OK);
	assert_string_equal(s, "announce route 1.0.0.0/8");
	api_lines_free(&l);
}

static void test_outq(void **state)
{
	(void)state;
	struct api_outq q;
	struct api_iov iov[API_OUTQ_MAX_BUFS];
	api_outq_init(&q, 10, 5);
	int crossed = 0;
	for (int i = 0; i < 9; i++)
		crossed += api_outq_push2(&q, "event", 5, "\n", 1);
	assert_int_equal(crossed, 0);
	assert_false(q.above);
	assert_int_equal(api_outq_push(&q, "x\n", 2), 1); /* 10th entry: high water */
	assert_true(q.above);
	assert_int_equal(api_outq_push(&q, "y\n", 2), 0); /* reported once */
	assert_int_equal(q.entries, 11);
	assert_int_equal(q.bytes, 9 * 6 + 4);

	/* one write takes everything queued so far; appends go on meanwhile */
	size_t n = api_outq_take(&q, iov, API_OUTQ_MAX_BUFS);
	assert_int_equal(n, 1);
	assert_int_equal(iov[0].len, 58);
	assert_memory_equal(iov[0].base, "event\nevent\n", 12);
	assert_int_equal(api_outq_take(&q, iov, API_OUTQ_MAX_BUFS), 0); /* busy */
	assert_int_equal(api_outq_push(&q, "z\n", 2), 0);
	assert_int_equal(q.entries, 12);
	/* written: 11 entries gone, 1 left, back under the low mark */
	assert_int_equal(api_outq_written(&q), 1);
	assert_false(q.above);
	assert_int_equal(q.entries, 1);
	n = api_outq_take(&q, iov, API_OUTQ_MAX_BUFS);
	assert_int_equal(n, 1);
	assert_memory_equal(iov[0].base, "z\n", 2);
	assert_int_equal(api_outq_written(&q), 0);
	assert_true(api_outq_empty(&q));

	/* a large entry gets its own chunk; clear keeps what is in flight */
	static char big[API_OUTQ_CHUNK + 100];
	memset(big, 'b', sizeof(big));
	api_outq_push(&q, "a\n", 2);
	api_outq_push(&q, big, sizeof(big));
	n = api_outq_take(&q, iov, API_OUTQ_MAX_BUFS);
	assert_int_equal(n, 2);
	assert_int_equal(iov[1].len, sizeof(big));
	api_outq_push(&q, "later\n", 6);
	api_outq_clear(&q);
	assert_int_equal(q.entries, 2);
	api_outq_written(&q);
	assert_int_equal(q.entries, 0);
	assert_true(api_outq_empty(&q));
	api_outq_free(&q);
}

static void test_outq_low_water(void **state)
{
	(void)state;
	struct api_outq q;
	struct api_iov iov[API_OUTQ_MAX_BUFS];
	api_outq_init(&q, 4, 2);
	/* fill to high water, write part of it: stays above until <= low */
	for (int i = 0; i < 3; i++)
		api_outq_push(&q, "e\n", 2);
	api_outq_take(&q, iov, API_OUTQ_MAX_BUFS); /* 3 in flight */
	assert_int_equal(api_outq_push(&q, "e\n", 2), 1);
	assert_int_equal(api_outq_push(&q, "e\n", 2), 0);
	assert_int_equal(api_outq_push(&q, "e\n", 2), 0);
	assert_int_equal(q.entries, 6);
	assert_int_equal(api_outq_written(&q), 0); /* 3 left > low 2 */
	assert_true(q.above);
	api_outq_take(&q, iov, API_OUTQ_MAX_BUFS);
	assert_int_equal(api_outq_written(&q), 1);
	assert_false(q.above);
	api_outq_free(&q);
}

static void test_respawn(void **state)
{
	(void)state;
	struct api_respawn r = {0, 0};
	uint64_t t = 1700000000 & API_RESPAWN_MASK; /* start of a window */
	assert_true(api_respawn_allow(&r, t));      /* the first start */
	for (int i = 0; i < API_RESPAWN_LIMIT; i++)
		assert_true(api_respawn_allow(&r, t + 10)); /* five respawns */
	assert_false(api_respawn_allow(&r, t + 20));        /* the sixth in the window: given up */
	assert_false(api_respawn_allow(&r, t + 63));
	/* a new window starts counting again */
	struct api_respawn r2 = {0, 0};
	assert_true(api_respawn_allow(&r2, t + 60));
	for (int i = 0; i < 3; i++)
		assert_true(api_respawn_allow(&r2, t + 61));
	assert_true(api_respawn_allow(&r2, t + 64)); /* next window */
	for (int i = 0; i < API_RESPAWN_LIMIT; i++)
		assert_true(api_respawn_allow(&r2, t + 70));
	assert_false(api_respawn_allow(&r2, t + 71));
}

static void test_resolve(void **state)
{
	(void)state;
	char out[4096], err[256], dir[] = "/tmp/fastbgp-resolve-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[512];
	snprintf(path, sizeof(path), "%s/helper.sh", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	/* not executable yet */
	assert_int_equal(api_resolve_program("helper.sh", dir, out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "will not be able to run"));
	chmod(path, 0755);
	assert_int_equal(api_resolve_program("helper.sh", dir, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, path);
	assert_int_equal(api_resolve_program(path, NULL, out, sizeof(out), err, sizeof(err)), 0);
	/* from $PATH */
	assert_int_equal(api_resolve_program("sh", NULL, out, sizeof(out), err, sizeof(err)), 0);
	assert_true(strlen(out) > 3 && !strcmp(out + strlen(out) - 3, "/sh"));
	assert_int_equal(api_resolve_program("no-such-helper-xyz", dir, out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "can not locate"));
	assert_int_equal(api_resolve_program(dir, NULL, out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "directories"));
	chmod(path, 04755);
	assert_int_equal(api_resolve_program(path, NULL, out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "setuid"));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_lines_too_long),
		cmocka_unit_test(test_lines_space),
		cmocka_unit_test(test_outq),
		cmocka_unit_test(test_outq_low_water),
		cmocka_unit_test(test_respawn),
		cmocka_unit_test(test_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
