/* Faults the fuzz targets found (fuzz/), each kept as a plain test; the
 * reproducer file of each is in fuzz/regressions/ (fuzz/run.sh replays them
 * through the targets as well).  Under the ASan+UBSan build a regression is
 * a sanitizer report, otherwise a wrong answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/command.h"
#include "config/model.h"
#include "config/parser.h"
#include "config/route_grammar.h"
#include "rib/ribin.h"
#include "update/update_parse.h"

static char *temp_file(const void *data, size_t len)
{
	char *path = strdup("/tmp/fastbgp-fuzzreg-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* fuzz_config-comment-windows: a statement without ';' followed by more than
 * one window of comments only.  The error names the statement's last word,
 * whose window had already been reused for the comments' text (heap read
 * out of bounds in the error message).  A window that gives no token now
 * goes instead of the one before it. */
static void test_config_missing_semicolon_after_comment_windows(void **state)
{
	(void)state;
	static const char text[] = "neighbor 127.0.0.1 {\n"
				   "\trouter-id 1.2.3.4 not happy\n"
				   "\t\t# a comment longer than the window\n"
				   "\n"
				   "\t\t# and another one, on its own window too\n"
				   "\troute 10.0.0.0/24 next-hop 1.2.3.4;\n"
				   "}\n";
	char *path = temp_file(text, sizeof(text) - 1);
	for (size_t chunk = 1; chunk <= 64; chunk++) {
		struct config c;
		config_init(&c);
		char err[512];
		assert_int_equal(config_load_chunked(&c, path, chunk, err, sizeof(err)), -1);
		if (!strstr(err, ":2:") || !strstr(err, "missing ';' after \"happy\"")) {
			print_error("window %zu: %s\n", chunk, err);
			fail();
		}
		config_free(&c);
	}
	/* the same error with the whole file in one window */
	struct config c;
	config_init(&c);
	char whole[512];
	assert_int_equal(config_load(&c, path, whole, sizeof(whole)), -1);
	assert_non_null(strstr(whole, "missing ';' after \"happy\""));
	config_free(&c);
	unlink(path);
	free(path);
}

/* fuzz_config-a7f72052c548: a NUL byte on line 2 was reported at 1:1 with a
 * large window and at 2:1 with a small one; it is reported where it is. */
static void test_config_nul_byte_position(void **state)
{
	(void)state;
	static const char text[] = "\n[[\xf9\0\r\x04\xf9";
	char *path = temp_file(text, sizeof(text) - 1);
	for (size_t chunk = 1; chunk <= 16; chunk *= 2) {
		struct config c;
		config_init(&c);
		char err[512];
		assert_int_equal(config_load_chunked(&c, path, chunk, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "NUL bytes"));
		if (!strstr(err, ":2:4:")) {
			print_error("window %zu: %s\n", chunk, err);
			fail();
		}
		config_free(&c);
	}
	unlink(path);
	free(path);
}

/* fuzz_api_command-de2e8d09217f: "announce route" taken raw with text that
 * needs the full lexer (a quote) gave the lexer's error at a column of the
 * raw text, not the one of the normalised line that ExaBGP reports. */
static void test_raw_route_error_is_the_normalised_one(void **state)
{
	(void)state;
	static const char line[] = "announce route \xf9,\r\r '";
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct rg_ctx g1, g2;
	rg_init(&g1, &pool, NULL);
	rg_init(&g2, &pool, NULL);
	struct route_list a = {0}, b = {0};
	struct api_command raw, norm;
	api_command_init(&raw);
	api_command_init(&norm);
	assert_int_equal(api_command_parse(&raw, line, sizeof(line) - 1), 0);
	assert_true(raw.raw);
	assert_int_equal(route_grammar_parse_normal(&g1, RG_CMD_ROUTE, false, raw.text, &a), RG_NOT_NORMAL);
	assert_int_equal(api_command_parse(&norm, line, sizeof(line) - 1), 0);
	api_command_normalise(&norm);
	assert_int_equal(route_grammar_parse_command(&g2, RG_CMD_ROUTE, false, norm.text, &b), -1);
	api_command_normalise(&raw);
	assert_int_equal(route_grammar_parse_command(&g1, RG_CMD_ROUTE, false, raw.text, &a), -1);
	assert_string_equal(g1.err.msg, g2.err.msg);
	assert_int_equal(g1.err.col, g2.err.col);
	route_list_free(&a);
	route_list_free(&b);
	rg_free(&g1);
	rg_free(&g2);
	api_command_free(&raw);
	api_command_free(&norm);
	assert_int_equal(pool.count, 0);
	attr_pool_free(&pool);
}

/* fuzz_ribin-8fe34431ad89: a message the parser refused (an empty body:
 * every field absent) given to the adj-rib-in computed NULL + 0, undefined
 * behaviour that clang's UBSan stops on (the fuzz build; gcc's does not
 * flag it).  The session applies only parsed messages;
 * ribin_apply must still be safe on any update_msg. */
static void test_ribin_refused_update(void **state)
{
	(void)state;
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct ribin r;
	ribin_init(&r, &pool);
	static const uint8_t body[1] = {0};
	struct update_parse_opts o = {0};
	struct update_msg m;
	memset(&m, 0, sizeof(m));
	assert_int_equal(update_parse(body, 0, &o, &pool, &m), UPDATE_RESET);
	assert_int_equal(ribin_apply(&r, &m, &o), 0);
	update_msg_release(&m, &pool);
	assert_int_equal(r.count, 0);
	ribin_clear(&r);
	attr_pool_free(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_missing_semicolon_after_comment_windows),
		cmocka_unit_test(test_config_nul_byte_position),
		cmocka_unit_test(test_raw_route_error_is_the_normalised_one),
		cmocka_unit_test(test_ribin_refused_update),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
