/* The JSON validity oracle (json_check.h) the tests and fuzz targets use:
 * it must take what RFC 8259 allows and refuse what it does not, or the
 * oracle proves nothing.  Cases include the faults seen in encoders
 * ("{, ", "[ , ", "x",  ]", raw control characters, bad UTF-8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_check.h"

static void test_valid(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"{}", "[]", " { } ", "0", "-0", "1.5e10", "-1.25E-3", "1e+2", "\"\"", "true", "false", "null",
		"{ \"a\": [ 1, 2, { \"b\": null } ], \"c\": \"\\u00e9\\n\\\"\\\\\\/\" }",
		"{ \"exabgp\": \"4.0.1\", \"time\": 1795644765.4489248, \"host\" : \"vm\", \"a\": { \"a\": 1, \"a\": 2 } }",
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "[ 9225060886715039744 ]", "\r\n\t[1]\n",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		size_t off;
		const char *why = json_check_error(ok[i], strlen(ok[i]), &off);
		if (why) {
			print_error("refused %s: %s at %zu\n", ok[i], why, off);
			fail();
		}
	}
}

static void test_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", " ", "{", "}", "[", "[1,]", "[ , 1 ]", "{, \"string\": \"flow\" }", "[ \"urg\",  ]",
		"{ \"a\" 1 }", "{ \"a\": }", "{ a: 1 }", "{ \"a\": 1, }", "01", "1.", ".5", "+1", "1e", "-", "--1",
		"tru", "True", "nul", "\"abc", "\"a\tb\"", "\"a\nb\"", "\"\\x41\"", "\"\\u12G4\"", "\"\\u12\"", "[1] [2]",
		"{} x", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"", "\"\xf4\x90\x80\x80\"", "NaN",
		"[ 1 2 ]", "{ \"a\": 1 \"b\": 2 }",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (json_check(bad[i], strlen(bad[i]), NULL)) {
			print_error("took %s\n", bad[i]);
			fail();
		}
	/* a NUL byte inside a string */
	assert_false(json_check("\"a\0b\"", 5, NULL));
}

static void test_depth_and_offset(void **state)
{
	(void)state;
	char deep[2 * JSON_CHECK_MAX_DEPTH + 8];
	size_t n = 0;
	for (int i = 0; i < JSON_CHECK_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < JSON_CHECK_MAX_DEPTH; i++)
		deep[n++] = ']';
	assert_true(json_check(deep, n, NULL));
	char deeper[2 * JSON_CHECK_MAX_DEPTH + 8];
	memset(deeper, '[', JSON_CHECK_MAX_DEPTH + 1);
	memset(deeper + JSON_CHECK_MAX_DEPTH + 1, ']', JSON_CHECK_MAX_DEPTH + 1);
	assert_false(json_check(deeper, 2 * JSON_CHECK_MAX_DEPTH + 2, NULL));
	size_t off = 0;
	assert_string_equal(json_check_error("{ \"a\": [ 1, ] }", 15, &off), "value expected");
	assert_int_equal(off, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_depth_and_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
