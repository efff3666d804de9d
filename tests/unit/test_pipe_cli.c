/* The named-pipe CLI: where the FIFOs are looked for (ExaBGP 4.2's order),
 * and the words of commands (abbreviations, completion). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/cli_words.h"
#include "api/pipe_cli.h"

static char root[256];

static void make_dirs(const char *sub)
{
	char path[512];
	snprintf(path, sizeof(path), "%s%s", root, sub);
	for (char *c = path + strlen(root) + 1; *c; c++)
		if (*c == '/') {
			*c = '\0';
			mkdir(path, 0700);
			*c = '/';
		}
	mkdir(path, 0700);
}

static void make_fifo(const char *sub, const char *file)
{
	char path[512];
	make_dirs(sub);
	snprintf(path, sizeof(path), "%s%s%s", root, sub, file);
	assert_int_equal(mkfifo(path, 0600), 0);
}

static void test_search_order(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/fastbgp-pipe-unit-XXXXXX");
	assert_non_null(mkdtemp(root));
	char name[64], in[80], out[80], folder[4096], want[512];
	snprintf(name, sizeof(name), "unit-%d", (int)getpid()); /* never in the system folders */
	snprintf(in, sizeof(in), "%s.in", name);
	snprintf(out, sizeof(out), "%s.out", name);

	assert_int_equal(pipe_cli_find(root, name, folder, sizeof(folder), NULL), -1);
	/* both are needed, as FIFOs */
	make_fifo("/var/run/", in);
	assert_int_equal(pipe_cli_find(root, name, folder, sizeof(folder), NULL), -1);
	make_fifo("/var/run/", out);
	assert_int_equal(pipe_cli_find(root, name, folder, sizeof(folder), NULL), 0);
	snprintf(want, sizeof(want), "%s/var/run/", root);
	assert_string_equal(folder, want);
	/* run/exabgp comes first; a regular file is not a FIFO */
	make_dirs("/run/exabgp/");
	char path[600];
	snprintf(path, sizeof(path), "%s/run/exabgp/%s", root, in);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	make_fifo("/run/exabgp/", out);
	assert_int_equal(pipe_cli_find(root, name, folder, sizeof(folder), NULL), 0);
	assert_string_equal(folder, want);
	unlink(path);
	make_fifo("/run/exabgp/", in);
	assert_int_equal(pipe_cli_find(root, name, folder, sizeof(folder), NULL), 0);
	snprintf(want, sizeof(want), "%s/run/exabgp/", root);
	assert_string_equal(folder, want);

	/* the folders scanned, in ExaBGP's order, the system ones first */
	static char scanned[PIPE_CLI_FOLDERS][4096];
	pipe_cli_find(root, "none", folder, sizeof(folder), scanned);
	char uid[64];
	snprintf(uid, sizeof(uid), "/run/%u/", (unsigned)getuid());
	assert_string_equal(scanned[0], "/run/exabgp/");
	assert_string_equal(scanned[1], uid);
	assert_string_equal(scanned[2], "/run/");
	assert_string_equal(scanned[5], "/var/run/");
	snprintf(want, sizeof(want), "%s/run/exabgp/", root);
	assert_string_equal(scanned[6], want);
	snprintf(want, sizeof(want), "%s/var/run/", root);
	assert_string_equal(scanned[11], want);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void test_abbreviations(void **state)
{
	(void)state;
	char out[256];
	char *a[] = {"s", "n", "s"};
	assert_int_equal(cli_words_join(a, 3, out, sizeof(out)), (int)strlen("show neighbor summary"));
	assert_string_equal(out, "show neighbor summary");
	char *b[] = {"s", "a", "i", "e"};
	cli_words_join(b, 4, out, sizeof(out));
	assert_string_equal(out, "show adj-rib in extensive");
	/* only leading words; route text stays as typed */
	char *c[] = {"a", "r", "10.0.0.0/24", "next-hop", "self", "s"};
	cli_words_join(c, 6, out, sizeof(out));
	assert_string_equal(out, "announce route 10.0.0.0/24 next-hop self s");
	/* a letter means what its place says: "a" after announce is attributes */
	char *d[] = {"a", "a", "next-hop", "self"};
	cli_words_join(d, 4, out, sizeof(out));
	assert_string_equal(out, "announce attributes next-hop self");
	char *e[] = {"show", "neighbor", "summary"};
	assert_int_equal(cli_words_join(e, 3, out, 10), -1); /* too long */
}

static void add(void *ctx, const char *word)
{
	char *list = ctx;
	strcat(list, word);
	strcat(list, " ");
}

static void test_completion_words(void **state)
{
	(void)state;
	char list[1024] = "";
	cli_words_after("neighbor", add, list);
	assert_string_equal(list, "summary extensive configuration ");
	list[0] = '\0';
	cli_words_after("adj-rib", add, list);
	assert_string_equal(list, "in out ");
	list[0] = '\0';
	cli_words_after(NULL, add, list);
	assert_non_null(strstr(list, "show "));
	assert_non_null(strstr(list, "shutdown "));
	assert_null(strstr(list, "summary"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_order),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_completion_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
