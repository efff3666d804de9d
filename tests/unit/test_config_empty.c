/* A configuration file with no statement (empty, blanks, comments: a file
 * caught mid-write) is refused, unless a comment line says "# empty on
 * purpose" (docs/configuration.md, issue 11 item 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/model.h"
#include "config/parser.h"

static int load_text(const char *text, size_t chunk, char *err, size_t errlen)
{
	char path[] = "/tmp/fastbgp-empty-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct config c;
	config_init(&c);
	int rc = chunk ? config_load_chunked(&c, path, chunk, err, errlen) : config_load(&c, path, err, errlen);
	config_free(&c);
	unlink(path);
	return rc;
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"", "\n", "   \t\n\n", "# a comment\n", "# empty\n", "# empty on purpose, really\n",
		"x # empty on purpose\n" /* not a line of its own: and a syntax error anyway */,
		"#empty on\n", "# not empty on purpose\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		for (size_t chunk = 0; chunk < 4; chunk++) {
			char err[512];
			if (load_text(texts[i], chunk, err, sizeof(err)) != -1) {
				print_error("\"%s\" (window %zu) was taken\n", texts[i], chunk);
				fail();
			}
			if (i != 6 && (!strstr(err, ":1:1: the configuration is empty") || !strstr(err, "# empty on purpose")))
				fail_msg("\"%s\": %s", texts[i], err);
		}
	}
}

static void test_taken(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"# empty on purpose\n", "  #   empty   on\tpurpose  \n", "# header\n\n# empty on purpose", "#empty on purpose\r\n",
		"template { neighbor t { local-as 1; } }\n", /* a statement: not empty */
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (size_t chunk = 0; chunk < 4; chunk++) {
			char err[512];
			if (load_text(texts[i], chunk, err, sizeof(err)) != 0)
				fail_msg("\"%s\" (window %zu) refused: %s", texts[i], chunk, err);
		}
	/* config_load_string (tests, API) is not a file: an empty text is fine */
	struct config c;
	config_init(&c);
	char err[256];
	assert_int_equal(config_load_string(&c, "mem", "", err, sizeof(err)), 0);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_taken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
