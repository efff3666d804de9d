/* Helpers shared by the configuration parser tests (header-only: each test
 * is its own program). */
#ifndef FASTBGP_TESTS_CONFIG_TEST_UTIL_H
#define FASTBGP_TESTS_CONFIG_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/parser.h"

/* tests/config, from the repository root (where the test runner starts us)
 * or from a build directory below it; NULL when not found. */
static inline const char *golden_dir(void)
{
	static const char *const dirs[] = {"tests/config", "../tests/config", "../../tests/config"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char probe[256];
		snprintf(probe, sizeof(probe), "%s/defaults.conf", dirs[i]);
		if (access(probe, R_OK) == 0)
			return dirs[i];
	}
	return NULL;
}

/* config_dump into a malloc'd string (NULL if the stream cannot be made). */
static inline char *dump_to_string(const struct config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	config_dump(f, c);
	fclose(f);
	return buf;
}

#endif
