/* The log rate limit (core/ratelimit.h): a burst per window, the rest
 * counted and reported once the window is over, a fresh burst after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/ratelimit.h"

static void test_burst_then_count(void **state)
{
	(void)state;
	struct rate_limit r;
	rate_limit_init(&r, 3, 1000);
	uint64_t report, allowed = 0;
	for (int i = 0; i < 1000000; i++) {
		allowed += rate_limit_allow(&r, 5000 + (uint64_t)i / 1000, &report);
		assert_int_equal(report, 0);
	}
	assert_int_equal(allowed, 3); /* all within 1000 ms */
	assert_int_equal(rate_limit_deadline(&r), 6000);
	/* the next window: the count of the last one, and a fresh burst */
	assert_true(rate_limit_allow(&r, 6000, &report));
	assert_int_equal(report, 1000000 - 3);
	assert_true(rate_limit_allow(&r, 6001, &report));
	assert_true(rate_limit_allow(&r, 6002, &report));
	assert_false(rate_limit_allow(&r, 6003, &report));
	assert_int_equal(report, 0);
	assert_int_equal(rate_limit_flush(&r), 1);
	assert_int_equal(rate_limit_flush(&r), 0);
	assert_int_equal(rate_limit_deadline(&r), 0);
}

static void test_quiet_source_is_never_limited(void **state)
{
	(void)state;
	struct rate_limit r;
	rate_limit_init(&r, 2, 100);
	uint64_t report;
	for (uint64_t t = 1; t < 100000; t += 60) {
		assert_true(rate_limit_allow(&r, t, &report));
		assert_int_equal(report, 0);
	}
	/* a clock that goes back starts a new window */
	assert_true(rate_limit_allow(&r, 5, &report));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_count),
		cmocka_unit_test(test_quiet_source_is_never_limited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
