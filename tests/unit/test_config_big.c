/* Many routes: the memory each one costs and the load time stay small.
 * (tests/config/bench_load.sh measures a million routes on a release build.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config/parser.h"

#define ROUTES 200000

static char *generate(int n, int nexthops)
{
	size_t cap = (size_t)n * 48 + 1024, len = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	len += (size_t)snprintf(s + len, cap - len,
				"neighbor 127.0.0.1 {\n\trouter-id 10.0.0.1;\n\tlocal-address 127.0.0.1;\n"
				"\tlocal-as 65000;\n\tpeer-as 65001;\n\tfamily { ipv4 unicast; }\n\tstatic {\n");
	for (int i = 0; i < n; i++) {
		uint32_t net = (1u << 24) + ((uint32_t)i << 8);
		len += (size_t)snprintf(s + len, cap - len, "\t\troute %u.%u.%u.0/24 next-hop 10.0.%d.1;\n", net >> 24,
					(net >> 16) & 255, (net >> 8) & 255, i % nexthops);
	}
	snprintf(s + len, cap - len, "\t}\n}\n");
	return s;
}

static void run(int nexthops)
{
	char *text = generate(ROUTES, nexthops);
	struct config c;
	char err[512];
	struct timespec t0, t1;
	config_init(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = config_load_string(&c, "big.conf", text, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(text);
	if (rc)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	const struct neighbor_conf *n = c.neighbors[0];
	assert_int_equal(n->routes.n, ROUTES);
	assert_int_equal(c.pool->count, (size_t)nexthops);
	/* The last route is right. */
	const struct route *last = n->routes.v[ROUTES - 1];
	uint32_t net = (1u << 24) + ((uint32_t)(ROUTES - 1) << 8);
	uint8_t want[4] = {24, (uint8_t)(net >> 24), (uint8_t)(net >> 16), (uint8_t)(net >> 8)};
	assert_memory_equal(last->nlri, want, 4);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	size_t bytes = c.arena.used + n->routes.cap * sizeof(void *) + c.pool->count * 128;
	double per_route = (double)bytes / ROUTES;
	fprintf(stderr, "%d routes, %d next-hops: %.3f s, %.1f bytes per route\n", ROUTES, nexthops, secs, per_route);
	assert_true(per_route < 100.0);
	assert_true(secs < 20.0); /* generous: sanitizers make this several times slower */
	config_free(&c);
}

static void test_same_attributes(void **state)
{
	(void)state;
	run(1);
}

static void test_varied_next_hops(void **state)
{
	(void)state;
	run(200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_attributes),
		cmocka_unit_test(test_varied_next_hops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
