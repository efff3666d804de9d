/* Reading a configuration in windows (lexer_init_file, config_load_chunked):
 * whatever the window size, the result and the error messages are the ones
 * of reading the file whole.  Tiny windows put a boundary after nearly every
 * line, and ASan catches any token used after its window was freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/parser.h"
#include "config_test_util.h"

static const size_t windows[] = {1, 2, 7, 64, 300, 4096};
#define NWINDOWS (sizeof(windows) / sizeof(windows[0]))



/* Loads path with the given window (0 = config_load); returns the dump, or
 * "ERROR: message". */
static char *load_as_text(const char *path, size_t window)
{
	struct config c;
	char err[512];
	config_init(&c);
	int rc = window ? config_load_chunked(&c, path, window, err, sizeof(err)) : config_load(&c, path, err, sizeof(err));
	char *out;
	if (rc == 0) {
		out = dump_to_string(&c);
		assert_non_null(out);
	} else {
		size_t n = strlen(err) + 8;
		out = malloc(n);
		assert_non_null(out);
		snprintf(out, n, "ERROR: %s", err);
	}
	config_free(&c);
	return out;
}

static void same_at_every_window(const char *path, int want_ok)
{
	char *whole = load_as_text(path, 0);
	if (want_ok && !strncmp(whole, "ERROR", 5))
		fail_msg("%s: %s", path, whole);
	if (!want_ok)
		assert_int_equal(strncmp(whole, "ERROR", 5), 0);
	for (size_t i = 0; i < NWINDOWS; i++) {
		char *got = load_as_text(path, windows[i]);
		if (strcmp(got, whole))
			fail_msg("%s with %zu-byte windows:\n%.300s\nwhole:\n%.300s", path, windows[i], got, whole);
		free(got);
	}
	free(whole);
}

static void test_goldens(void **state)
{
	(void)state;
	static const char *const names[] = {"defaults", "options", "template", "api", "routes"};
	const char *dir = golden_dir();
	assert_non_null(dir);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s.conf", dir, names[i]);
		same_at_every_window(path, 1);
	}
}

static char *write_temp(const char *text, size_t len)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/fastbgp-stream-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

#define NB "neighbor 10.0.0.1 {\n\tlocal-address 10.0.0.2;\n\tlocal-as 1;\n\tpeer-as 2;\n"

/* Continued lines, comments ending in a backslash, strings and errors. */
static void test_edges(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int ok;
	} cases[] = {
		{NB "\tstatic {\n\t\troute 10.0.0.0/24 \\\n\t\t\tnext-hop 1.1.1.1 \\  \n\t\t\tmed 5;\n\t}\n}\n", 1},
		{NB "\t# a comment that ends in a backslash \\\n\tdescription \"a # b ; c\";\n}\n", 1},
		{NB "\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1; route 10.0.1.0/24 next-hop 1.1.1.1; }\n}", 1},
		{NB "\tdescription \"unterminated\n}\n", 0},
		{NB "\tlocal-as 1\n\tpeer-as 1;\n}\n", 0},
		{NB "\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1 community [ 1:70000 ]; }\n}\n", 0},
		{NB "\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1 \\\n", 0},
		{NB, 1}, /* the end of the file closes open sections */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_temp(cases[i].text, strlen(cases[i].text));
		same_at_every_window(path, cases[i].ok);
		unlink(path);
	}
}

/* Many routes: every window boundary falls somewhere different. */
static void test_many_routes(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	fprintf(f, NB "\tstatic {\n");
	for (int i = 0; i < 3000; i++)
		fprintf(f, "\t\troute 10.%d.%d.0/24 next-hop 192.0.2.%d med %d;\n", i / 256, i % 256, 1 + i % 3, i);
	fprintf(f, "\t\troute 11.0.0.0/24 {\n\t\t\tnext-hop 192.0.2.1;\n\t\t\tcommunity [ 1:1 2:2 ];\n\t\t}\n");
	fprintf(f, "\t}\n}\n");
	fclose(f);
	char *path = write_temp(text, len);
	struct config c;
	char err[512];
	config_init(&c);
	assert_int_equal(config_load_chunked(&c, path, 100, err, sizeof(err)), 0);
	assert_int_equal(c.nneighbors, 1);
	assert_int_equal(c.neighbors[0]->routes.n, 3001);
	config_free(&c);
	same_at_every_window(path, 1);
	/* An error far into the file is reported at its line, whatever the window. */
	text[len - 40] = '@';
	FILE *g = fopen(path, "wb");
	assert_non_null(g);
	assert_int_equal(fwrite(text, 1, len, g), len);
	fclose(g);
	same_at_every_window(path, 0);
	unlink(path);
	free(text);
}

static void test_nul_byte(void **state)
{
	(void)state;
	static const char text[] = NB "\tdescription \"x\0y\";\n}\n";
	char *path = write_temp(text, sizeof(text) - 1);
	struct config c;
	char err[512];
	config_init(&c);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the configuration is not a text file (it holds NUL bytes)"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	config_free(&c);
	unlink(path);
}

/* Not a regular file: a pipe is read to its end the same way. */
static void test_pipe(void **state)
{
	(void)state;
	static const char text[] = NB "\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1; }\n}\n";
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fds[1]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	struct config c;
	char err[512];
	config_init(&c);
	int rc = config_load_chunked(&c, path, 16, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(c.nneighbors, 1);
	assert_int_equal(c.neighbors[0]->routes.n, 1);
	config_free(&c);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goldens),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_many_routes),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
