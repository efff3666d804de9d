/* Loads a configuration and reports how long it took and what it holds.
 * Built and run by tests/config/bench_load.sh. */
#include <stdio.h>
#include <time.h>

#include "config/parser.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CONFIG\n", argv[0]);
		return 2;
	}
	struct config c;
	char err[512];
	struct timespec t0, t1;
	config_init(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = config_load(&c, argv[1], err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	size_t routes = 0, slots = 0;
	for (int i = 0; i < c.nneighbors; i++) {
		routes += c.neighbors[i]->routes.n;
		slots += c.neighbors[i]->routes.cap;
	}
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("load: %.3f s, %zu routes, %zu attribute sets\n", secs, routes, c.pool->count);
	printf("arena: %zu bytes (%.1f per route), route pointer arrays: %zu bytes (%.1f per route)\n", c.arena.used,
	       routes ? (double)c.arena.used / (double)routes : 0.0, slots * sizeof(void *),
	       routes ? (double)(slots * sizeof(void *)) / (double)routes : 0.0);
	config_free(&c);
	return 0;
}
