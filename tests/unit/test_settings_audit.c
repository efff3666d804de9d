/* The settings audit: no setting is silently a no-op.
 *
 * Every entry of settings_table[] either names the test that shows its
 * effect ("tests/DIR/FILE::function", and that function must exist in that
 * file), or says why it is accepted for compatibility and ignored; an
 * ignored setting has a row in docs/settings.md that says "ignored", and
 * settings_load() warns when it is given a value other than its default.
 * Run from the top of the source tree (scripts/run-tests.sh does), or set
 * FASTBGP_TOP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"

static char *slurp(const char *rel)
{
	const char *top = getenv("FASTBGP_TOP");
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", top && *top ? top : ".", rel);
	FILE *f = fopen(path, "r");
	if (!f) {
		print_error("cannot open %s (run from the top of the tree or set FASTBGP_TOP)\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	size_t got = b ? fread(b, 1, (size_t)n, f) : 0;
	fclose(f);
	if (b)
		b[got] = '\0';
	return b;
}

/* The named function is defined in the file: a pytest "def NAME(" or a C
 * "void NAME(". */
static int test_exists(const char *tested_by)
{
	const char *sep = strstr(tested_by, "::");
	if (!sep || sep == tested_by || !sep[2])
		return 0;
	char file[512], def[300];
	snprintf(file, sizeof(file), "%.*s", (int)(sep - tested_by), tested_by);
	char *text = slurp(file);
	if (!text)
		return 0;
	snprintf(def, sizeof(def), "def %s(", sep + 2);
	int found = strstr(text, def) != NULL;
	snprintf(def, sizeof(def), "void %s(", sep + 2);
	found = found || strstr(text, def) != NULL;
	free(text);
	return found;
}

static void test_every_setting_is_tested_or_marked_ignored(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < settings_table_len; i++) {
		const struct setting_def *d = &settings_table[i];
		if (!!d->tested_by == !!d->ignored) {
			print_error("exabgp.%s.%s: needs exactly one of TESTED(...) or IGNORED(...)\n", d->section,
				    d->key);
			bad++;
		} else if (d->tested_by && !test_exists(d->tested_by)) {
			print_error("exabgp.%s.%s: test %s does not exist\n", d->section, d->key, d->tested_by);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* docs/settings.md: the row "| `key` |" of an ignored setting's section
 * table says "ignored". */
static void test_ignored_settings_are_documented(void **state)
{
	(void)state;
	char *doc = slurp("docs/settings.md");
	assert_non_null(doc);
	int bad = 0;
	for (size_t i = 0; i < settings_table_len; i++) {
		const struct setting_def *d = &settings_table[i];
		if (!d->ignored)
			continue;
		char head[64], row[96];
		snprintf(head, sizeof(head), "### [exabgp.%s]", d->section);
		const char *sec = strstr(doc, head);
		/* [exabgp.profile], [exabgp.pdb] share one section: rows are section.key */
		snprintf(row, sizeof(row), "| `%s` ", d->key);
		const char *r = sec ? strstr(sec, row) : NULL;
		if (!r) {
			snprintf(row, sizeof(row), "| `%s.%s` ", d->section, d->key);
			r = strstr(doc, row);
		}
		const char *eol = r ? strchr(r, '\n') : NULL;
		size_t len = r ? (eol ? (size_t)(eol - r) : strlen(r)) : 0;
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), r ? r : "");
		if (!r || !strstr(line, "ignored")) {
			print_error("docs/settings.md: exabgp.%s.%s is ignored but its row does not say so\n",
				    d->section, d->key);
			bad++;
		}
	}
	free(doc);
	assert_int_equal(bad, 0);
}

/* A value that differs from the default: flips a bool, bumps a number. */
static const char *other_value(const struct setting_def *d)
{
	switch (d->type) {
	case SETTING_BOOL:
		return !strcmp(d->def, "true") ? "false" : "true";
	case SETTING_INT:
		return "2";
	case SETTING_REAL:
		return "2.5";
	case SETTING_STRING:
		return "something";
	default:
		return NULL;
	}
}

static void test_ignored_setting_warns_when_set(void **state)
{
	(void)state;
	int checked = 0;
	for (size_t i = 0; i < settings_table_len; i++) {
		const struct setting_def *d = &settings_table[i];
		const char *v = other_value(d);
		if (!d->ignored || !v)
			continue;
		char name[96], expect[160], err[256];
		snprintf(name, sizeof(name), "exabgp_%s_%s", d->section, d->key);
		snprintf(expect, sizeof(expect), "exabgp.%s.%s is accepted for compatibility and ignored", d->section,
			 d->key);
		struct settings_paths paths = {.env_file = NULL, .root = "/nonexistent", .etc_file = "/nonexistent"};
		struct settings s;

		setenv(name, v, 1);
		assert_int_equal(settings_load(&s, &paths, err, sizeof(err)), 0);
		if (!s.warnings || !strstr(s.warnings, expect))
			fail_msg("%s=%s: no warning '%s' (got: %s)", name, v, expect, s.warnings ? s.warnings : "none");
		settings_free(&s);

		/* the default value, given explicitly, is not worth a warning */
		setenv(name, d->def, 1);
		assert_int_equal(settings_load(&s, &paths, err, sizeof(err)), 0);
		assert_true(!s.warnings || !strstr(s.warnings, expect));
		settings_free(&s);
		unsetenv(name);
		checked++;
	}
	assert_true(checked > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_setting_is_tested_or_marked_ignored),
		cmocka_unit_test(test_ignored_settings_are_documented),
		cmocka_unit_test(test_ignored_setting_warns_when_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
