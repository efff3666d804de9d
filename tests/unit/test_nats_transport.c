/* The NATS transport's pure parts: the event type that names an event's
 * subject (S.events.TYPE, docs/fleet.md), from untrusted-length input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "api/nats_transport.h"

static const char *type_of(const char *msg, size_t outlen)
{
	static char out[64];
	nats_event_type(msg, msg ? strlen(msg) : 0, out, outlen);
	return out;
}

static void test_json_type_names_the_subject(void **state)
{
	(void)state;
	assert_string_equal(type_of("{ \"counter\": 1, \"type\": \"update\", \"neighbor\": {} }", 64), "update");
	assert_string_equal(type_of("\"type\": \"state\", \"neighbor\": { \"state\": \"up\" } }", 64), "state");
	assert_string_equal(type_of("{\"type\":\"notification\"}", 64), "notification");
}

static void test_anything_else_is_text(void **state)
{
	(void)state;
	assert_string_equal(type_of("neighbor 10.0.0.1 up", 64), "text");
	assert_string_equal(type_of(NULL, 64), "text");
	assert_string_equal(type_of("", 64), "text");
	/* a value with characters a subject token cannot hold, or unterminated */
	assert_string_equal(type_of("{ \"type\": \"a.b\" }", 64), "text");
	assert_string_equal(type_of("{ \"type\": \"a*\" }", 64), "text");
	assert_string_equal(type_of("{ \"type\": \"update", 64), "text");
	assert_string_equal(type_of("{ \"type\": 5 }", 64), "text");
	assert_string_equal(type_of("{ \"type\"", 64), "text");
}

static void test_type_longer_than_the_buffer_is_refused(void **state)
{
	(void)state;
	assert_string_equal(type_of("{ \"type\": \"abcdefgh\" }", 4), "tex");
	assert_string_equal(type_of("{ \"type\": \"abc\" }", 4), "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_type_names_the_subject),
		cmocka_unit_test(test_anything_else_is_text),
		cmocka_unit_test(test_type_longer_than_the_buffer_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
