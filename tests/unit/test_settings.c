/* Settings: table, lookup order, value parsing, ini file, printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/settings.h"
#include "config/cli.h"

static char tmpdir[256];
static char etc_file[300]; /* stands for /etc/exabgp/exabgp.env */

static void clear_env(void)
{
	/* every exabgp.* / exabgp_* variable, whatever the test set */
	for (;;) {
		char **e;
		char name[256] = "";
		for (e = environ; *e; e++)
			if (!strncmp(*e, "exabgp.", 7) || !strncmp(*e, "exabgp_", 7) || !strncmp(*e, "PID=", 4)) {
				size_t n = strcspn(*e, "=");
				if (n < sizeof(name)) {
					memcpy(name, *e, n);
					name[n] = '\0';
				}
				break;
			}
		if (!*e)
			break;
		unsetenv(name);
	}
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fastbgp-settings-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(etc_file, sizeof(etc_file), "%s/global.env", tmpdir);
	clear_env();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return -1;
	clear_env();
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load with <root> = tmpdir (no etc/exabgp/exabgp.env unless a test makes
 * one) and etc_file as the last resort. */
static int load(struct settings *s, const char *env_file, char *err, size_t errlen)
{
	struct settings_paths p = {.env_file = env_file, .root = tmpdir, .etc_file = etc_file};
	return settings_load(s, &p, err, errlen);
}

static char *print_to_string(const struct settings *s, int ini, int diff)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (ini)
		settings_print_ini(s, f, diff);
	else
		settings_print_env(s, f, diff);
	fclose(f);
	return buf;
}

/* ---------------------------------------------------------------- table */

static void test_table_has_every_exabgp_key(void **state)
{
	(void)state;
	/* COMPAT section 2, with ExaBGP 4.2's default strings */
	static const char *const keys[][3] = {
		{"daemon", "pid", ""}, {"daemon", "user", "nobody"}, {"daemon", "daemonize", "false"},
		{"daemon", "drop", "true"}, {"daemon", "umask", "0137"}, {"log", "enable", "true"},
		{"log", "level", "INFO"}, {"log", "destination", "stdout"}, {"log", "all", "false"},
		{"log", "configuration", "true"}, {"log", "reactor", "true"}, {"log", "daemon", "true"},
		{"log", "processes", "true"}, {"log", "network", "true"}, {"log", "packets", "false"},
		{"log", "rib", "false"}, {"log", "message", "false"}, {"log", "timers", "false"},
		{"log", "routes", "false"}, {"log", "parser", "false"}, {"log", "short", "false"},
		{"tcp", "once", "false"}, {"tcp", "delay", "0"}, {"tcp", "bind", ""}, {"tcp", "port", "179"},
		{"tcp", "acl", ""}, {"bgp", "openwait", "60"}, {"cache", "attributes", "true"},
		{"cache", "nexthops", "true"}, {"api", "ack", "true"}, {"api", "chunk", "1"},
		{"api", "encoder", "json"}, {"api", "compact", "false"}, {"api", "respawn", "true"},
		{"api", "terminate", "false"}, {"api", "cli", "true"}, {"api", "pipename", "exabgp"},
		{"reactor", "speed", "1.0"}, {"profile", "enable", "false"}, {"profile", "file", ""},
		{"pdb", "enable", "false"}, {"debug", "pdb", "false"}, {"debug", "memory", "false"},
		{"debug", "configuration", "false"}, {"debug", "selfcheck", "false"}, {"debug", "route", ""},
		{"debug", "defensive", "false"}, {"debug", "rotate", "false"},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct setting_def *d = settings_find(keys[i][0], keys[i][1]);
		if (!d)
			fail_msg("missing %s.%s", keys[i][0], keys[i][1]);
		assert_string_equal(d->def, keys[i][2]);
		assert_false(d->flags & SETTING_FASTBGP);
		assert_int_equal(!!(d->flags & SETTING_INTERNAL), !strcmp(keys[i][0], "debug"));
	}
	for (const char *const *k = (const char *const[]){"socket", "queue", "line", "version", "reason", "nats_buffer", NULL}; *k; k++) {
		const struct setting_def *d = settings_find("api", *k);
		assert_non_null(d);
		assert_true(d->flags & SETTING_FASTBGP);
	}
	assert_true(settings_find("bgp", "graceful_stale_time")->flags & SETTING_FASTBGP); /* RFC 4724 receiver */
	assert_true(settings_find("metrics", "listen")->flags & SETTING_FASTBGP); /* Prometheus endpoint */
	assert_true(settings_find("bgp", "adj_rib_in_kib")->flags & SETTING_FASTBGP);  /* limits (issue 11) */
	assert_true(settings_find("tcp", "pending_per_source")->flags & SETTING_FASTBGP);
	assert_int_equal(settings_table_len, sizeof(keys) / sizeof(keys[0]) + 10);
}

static void test_table_sane(void **state)
{
	(void)state;
	for (size_t i = 0; i < settings_table_len; i++) {
		const struct setting_def *d = &settings_table[i];
		assert_true(*d->section && *d->key && *d->help);
		/* unique */
		assert_ptr_equal(settings_find(d->section, d->key), d);
		/* every default parses */
		struct settings s;
		memset(&s, 0, sizeof(s));
		char err[256] = "";
		if (settings_set(&s, d, d->def, SETTING_FROM_DEFAULT, err, sizeof(err)))
			fail_msg("default of %s.%s: %s", d->section, d->key, err);
		assert_true(settings_is_default(&s, d));
		settings_free(&s);
	}
}

static void test_defaults(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	assert_string_equal(s.daemon_pid, "");
	assert_string_equal(s.daemon_user, "nobody");
	assert_false(s.daemon_daemonize);
	assert_true(s.daemon_drop);
	assert_int_equal(s.daemon_umask, 0137);
	assert_true(s.log_enable);
	assert_int_equal(s.log_level, SETTINGS_LOG_INFO);
	assert_string_equal(s.log_destination, "stdout");
	assert_true(s.log_network);
	assert_false(s.log_packets);
	assert_int_equal(s.tcp_port, 179);
	assert_int_equal(s.tcp_bind.count, 0);
	assert_false(s.tcp_acl);
	assert_int_equal(s.bgp_openwait, 60);
	assert_int_equal(s.api_encoder, SETTINGS_ENCODER_JSON);
	assert_string_equal(s.api_pipename, "exabgp");
	assert_string_equal(s.api_socket, "");
	assert_int_equal(s.api_version, 4);
	assert_true(s.api_line >= 65536);
	assert_true(s.api_queue > 0);
	assert_true(s.reactor_speed == 1.0);
	assert_string_equal(s.debug_route, "");
	settings_free(&s);
}

static void test_find_name(void **state)
{
	(void)state;
	assert_ptr_equal(settings_find_name("exabgp.tcp.port"), settings_find("tcp", "port"));
	assert_ptr_equal(settings_find_name("exabgp_tcp_port"), settings_find("tcp", "port"));
	assert_ptr_equal(settings_find_name("log.level"), settings_find("log", "level"));
	assert_null(settings_find_name("exabgp.tcp.nope"));
	assert_null(settings_find_name("exabgp"));
	assert_null(settings_find_name("exabgp_cli_pipe"));
}

/* ---------------------------------------------------------- lookup order */

static void test_lookup_order(void **state)
{
	(void)state;
	char err[512] = "";
	write_file(etc_file, "[exabgp.tcp]\nport = 1001\ndelay = 3\n[exabgp.bgp]\nopenwait = 7\n"
			     "[exabgp.api]\nencoder = text\n");
	struct settings s;

	/* ini beats default */
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 1001);
	assert_int_equal(s.tcp_delay, 3);
	assert_int_equal(s.bgp_openwait, 7);
	assert_int_equal(s.api_encoder, SETTINGS_ENCODER_TEXT);
	assert_int_equal(s.cache_attributes, true);
	assert_string_equal(s.ini_path, etc_file);
	size_t port = (size_t)(settings_find("tcp", "port") - settings_table);
	size_t ack = (size_t)(settings_find("api", "ack") - settings_table);
	assert_int_equal(s.source[port], SETTING_FROM_INI);
	assert_int_equal(s.source[ack], SETTING_FROM_DEFAULT);
	settings_free(&s);

	/* underscore env beats ini */
	setenv("exabgp_tcp_port", "1002", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 1002);
	assert_int_equal(s.tcp_delay, 3);
	assert_int_equal(s.source[port], SETTING_FROM_ENV_UNDERSCORE);
	settings_free(&s);

	/* dotted env beats underscore env */
	setenv("exabgp.tcp.port", "1003", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 1003);
	assert_int_equal(s.source[port], SETTING_FROM_ENV_DOT);
	settings_free(&s);

	/* a bad underscore value is not even looked at when the dotted one is set */
	setenv("exabgp_tcp_port", "junk", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 1003);
	settings_free(&s);
}

static void test_ini_file_order(void **state)
{
	(void)state;
	char err[512] = "";
	char rootetc[300], rootenv[400], explicit_env[300];
	snprintf(rootetc, sizeof(rootetc), "%s/etc/exabgp", tmpdir);
	snprintf(rootenv, sizeof(rootenv), "%s/exabgp.env", rootetc);
	snprintf(explicit_env, sizeof(explicit_env), "%s/mine.env", tmpdir);
	write_file(etc_file, "[exabgp.tcp]\nport = 1\n");
	struct settings s;

	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 1);
	settings_free(&s);

	/* <root>/etc/exabgp/exabgp.env beats /etc/exabgp/exabgp.env */
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", rootetc);
	assert_int_equal(system(cmd), 0);
	write_file(rootenv, "[exabgp.tcp]\nport = 2\n");
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 2);
	assert_string_equal(s.ini_path, rootenv);
	settings_free(&s);

	/* --env beats both; only one file is read (no merging) */
	write_file(explicit_env, "[exabgp.bgp]\nopenwait = 9\n");
	assert_int_equal(load(&s, explicit_env, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 179);
	assert_int_equal(s.bgp_openwait, 9);
	settings_free(&s);

	/* a relative --env is looked up in <root>/etc/exabgp first (as ExaBGP) */
	char rel[400];
	snprintf(rel, sizeof(rel), "%s/other.env", rootetc);
	write_file(rel, "[exabgp.tcp]\nport = 4\n");
	assert_int_equal(load(&s, "other.env", err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 4);
	settings_free(&s);

	/* a missing --env falls through to the next file, with a warning */
	assert_int_equal(load(&s, "/nonexistent/x.env", err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 2);
	assert_non_null(s.warnings);
	assert_non_null(strstr(s.warnings, "/nonexistent/x.env"));
	settings_free(&s);
}

/* ---------------------------------------------------------------- values */

static void test_booleans(void **state)
{
	(void)state;
	const struct setting_def *d = settings_find("tcp", "once");
	struct settings s;
	settings_init(&s);
	char err[256];
	static const char *const yes[] = {"1", "yes", "on", "enable", "true", "TRUE", "Yes", "'true'", " on "};
	static const char *const no[] = {"0", "no", "off", "disable", "false", "FALSE", "Off", "\"false\"", ""};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		s.tcp_once = false;
		assert_int_equal(settings_set(&s, d, yes[i], SETTING_FROM_CODE, err, sizeof(err)), 0);
		assert_true(s.tcp_once);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		s.tcp_once = true;
		assert_int_equal(settings_set(&s, d, no[i], SETTING_FROM_CODE, err, sizeof(err)), 0);
		assert_false(s.tcp_once);
	}
	s.tcp_once = true;
	assert_int_equal(settings_set(&s, d, "maybe", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_true(s.tcp_once); /* unchanged */
	assert_non_null(strstr(err, "invalid boolean 'maybe'"));
	assert_int_equal(settings_set(&s, d, "2", SETTING_FROM_CODE, err, sizeof(err)), -1);
	settings_free(&s);
}

static void test_boolean_errors_name_the_source(void **state)
{
	(void)state;
	char err[512] = "";
	struct settings s;

	setenv("exabgp_tcp_once", "maybe", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "env exabgp_tcp_once: invalid boolean 'maybe' (use true or false)");
	settings_free(&s);
	unsetenv("exabgp_tcp_once");

	setenv("exabgp.log.all", "sure", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "env exabgp.log.all: invalid boolean 'sure'"));
	settings_free(&s);
	unsetenv("exabgp.log.all");

	write_file(etc_file, "# settings\n[exabgp.tcp]\n\nonce = perhaps\n");
	assert_int_equal(load(&s, NULL, err, sizeof(err)), -1);
	char want[600];
	snprintf(want, sizeof(want), "%s:4: exabgp.tcp.once: invalid boolean 'perhaps' (use true or false)", etc_file);
	assert_string_equal(err, want);
	settings_free(&s);
}

static void test_ip_list(void **state)
{
	(void)state;
	const struct setting_def *d = settings_find("tcp", "bind");
	struct settings s;
	settings_init(&s);
	char err[256], buf[256];

	assert_int_equal(settings_set(&s, d, "10.0.0.1 ::1  192.168.1.2", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_bind.count, 3);
	assert_int_equal(s.tcp_bind.ip[0].family, AF_INET);
	assert_int_equal(s.tcp_bind.ip[0].addr[0], 10);
	assert_int_equal(s.tcp_bind.ip[0].addr[3], 1);
	assert_int_equal(s.tcp_bind.ip[1].family, AF_INET6);
	assert_int_equal(s.tcp_bind.ip[1].addr[15], 1);
	assert_string_equal(s.tcp_bind.ip[2].text, "192.168.1.2");
	settings_format(&s, d, buf, sizeof(buf));
	assert_string_equal(buf, "'10.0.0.1 ::1 192.168.1.2'");
	assert_false(settings_is_default(&s, d));

	/* canonical IPv6 text */
	assert_int_equal(settings_set(&s, d, "'2001:DB8:0:0::1'", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_bind.count, 1);
	assert_string_equal(s.tcp_bind.ip[0].text, "2001:db8::1");

	/* empty = do not listen */
	assert_int_equal(settings_set(&s, d, "''", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_bind.count, 0);
	assert_true(settings_is_default(&s, d));
	settings_format(&s, d, buf, sizeof(buf));
	assert_string_equal(buf, "''");

	/* one bad address fails the whole list and keeps the old value */
	assert_int_equal(settings_set(&s, d, "127.0.0.1", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(settings_set(&s, d, "1.2.3.4 nope", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_string_equal(err, "invalid IP address 'nope'");
	assert_int_equal(s.tcp_bind.count, 1);
	assert_int_equal(settings_set(&s, d, "1.2.3.256", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_int_equal(settings_set(&s, d, "10.0.0.0/8", SETTING_FROM_CODE, err, sizeof(err)), -1);
	settings_free(&s);

	/* the harness form: exabgp_tcp_bind='' (quotes kept by a non-shell launcher) */
	setenv("exabgp_tcp_bind", "''", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_bind.count, 0);
	settings_free(&s);
	setenv("exabgp_tcp_bind", "0.0.0.0 ::", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_bind.count, 2);
	settings_free(&s);
}

static void test_numbers(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	char err[256], buf[64];
	const struct setting_def *port = settings_find("tcp", "port");
	assert_int_equal(settings_set(&s, port, "1790", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(s.tcp_port, 1790);
	assert_int_equal(settings_set(&s, port, "0", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(settings_set(&s, port, "65536", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_int_equal(settings_set(&s, port, "12x", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_string_equal(err, "invalid integer '12x'");
	assert_int_equal(settings_set(&s, port, "", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_int_equal(s.tcp_port, 1790);

	const struct setting_def *umask = settings_find("daemon", "umask");
	static const char *const ok[] = {"022", "22", "0o22", "'0o022'", "0O22"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s.daemon_umask = 0;
		assert_int_equal(settings_set(&s, umask, ok[i], SETTING_FROM_CODE, err, sizeof(err)), 0);
		assert_int_equal(s.daemon_umask, 022);
	}
	settings_format(&s, umask, buf, sizeof(buf));
	assert_string_equal(buf, "'0o22'");
	assert_int_equal(settings_set(&s, umask, "8", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_int_equal(settings_set(&s, umask, "01000", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_int_equal(settings_set(&s, umask, "-1", SETTING_FROM_CODE, err, sizeof(err)), -1);

	const struct setting_def *speed = settings_find("reactor", "speed");
	static const char *const reals[][2] = {{"1.0", "1.0"}, {"2", "2.0"}, {"0.5", "0.5"}, {"100", "100.0"},
					       {"0.1", "0.1"}, {"1e20", "1e+20"}, {"0.00001", "1e-05"}};
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		assert_int_equal(settings_set(&s, speed, reals[i][0], SETTING_FROM_CODE, err, sizeof(err)), 0);
		settings_format(&s, speed, buf, sizeof(buf));
		assert_string_equal(buf, reals[i][1]);
	}
	assert_int_equal(settings_set(&s, speed, "fast", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_int_equal(settings_set(&s, speed, "nan", SETTING_FROM_CODE, err, sizeof(err)), -1);

	const struct setting_def *version = settings_find("api", "version");
	assert_int_equal(settings_set(&s, version, "5", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(s.api_version, 5);
	assert_int_equal(settings_set(&s, version, "6", SETTING_FROM_CODE, err, sizeof(err)), -1);
	settings_free(&s);
}

static void test_level_and_encoder(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	char err[256], buf[64];
	const struct setting_def *level = settings_find("log", "level");
	static const struct {
		const char *in;
		int level;
		const char *out;
	} cases[] = {{"DEBUG", 7, "DEBUG"}, {"debug", 7, "DEBUG"},       {"CRITICAL", 2, "CRIT"},
		     {"ERROR", 3, "ERR"},   {"WARNING", 4, "WARNING"},   {"NOTICE", 5, "NOTICE"},
		     {"EMERG", 0, "EMERG"}, {"'INFO'", 6, "INFO"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(settings_set(&s, level, cases[i].in, SETTING_FROM_CODE, err, sizeof(err)), 0);
		assert_int_equal(s.log_level, cases[i].level);
		settings_format(&s, level, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
	assert_int_equal(settings_set(&s, level, "LOUD", SETTING_FROM_CODE, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid log level 'LOUD'"));

	const struct setting_def *enc = settings_find("api", "encoder");
	assert_int_equal(settings_set(&s, enc, "TEXT", SETTING_FROM_CODE, err, sizeof(err)), 0);
	assert_int_equal(s.api_encoder, SETTINGS_ENCODER_TEXT);
	settings_format(&s, enc, buf, sizeof(buf));
	assert_string_equal(buf, "text");
	assert_int_equal(settings_set(&s, enc, "xml", SETTING_FROM_CODE, err, sizeof(err)), -1);
	settings_free(&s);
}

/* -------------------------------------------------------------- ini file */

static void test_ini_syntax(void **state)
{
	(void)state;
	char err[512] = "";
	struct settings s;
	write_file(etc_file, "\xef\xbb\xbf; a comment\n"
			     "# another\n"
			     "[DEFAULT]\n"
			     "base = /var/run\n"
			     "[exabgp.daemon]\n"
			     "  # indented comment\n"
			     "PID: %(base)s/fastbgp.pid\n"
			     "user = \"bgp\"\n"
			     "[exabgp.log]\n"
			     "destination = '/var/log/100%%.log'\n"
			     "[exabgp.tcp]\n"
			     "bind = 10.0.0.1\n"
			     "   10.0.0.2\n"
			     "[exabgp.api]\n"
			     "pipename =\n"
			     "colour = blue\n"
			     "[exabgp.nosuch]\n"
			     "x = 1\n"
			     "[other]\n"
			     "port = 5\n");
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_string_equal(s.daemon_pid, "/var/run/fastbgp.pid");
	assert_string_equal(s.daemon_user, "bgp");
	assert_string_equal(s.log_destination, "/var/log/100%.log");
	assert_int_equal(s.tcp_bind.count, 2);
	assert_string_equal(s.tcp_bind.ip[1].text, "10.0.0.2");
	assert_string_equal(s.api_pipename, "");
	assert_int_equal(s.tcp_port, 179); /* [other] is not [exabgp.tcp] */
	/* [DEFAULT] is a fallback for every section: "base" is no setting, so harmless */
	assert_non_null(s.warnings);
	assert_non_null(strstr(s.warnings, "unknown setting exabgp.api.colour"));
	assert_non_null(strstr(s.warnings, "unknown section [exabgp.nosuch]"));
	settings_free(&s);

	static const char *const bad[][2] = {
		{"port = 1\n", ":1: 'port = 1' is before any [section] header"},
		{"[exabgp.tcp]\nport\n", ":2: expected 'key = value', got 'port'"},
		{"[exabgp.tcp]\nport = 1\nPort = 2\n", ":3: 'port' appears twice in [exabgp.tcp]"},
		{"[exabgp.tcp]\n[exabgp.tcp]\n", ":2: section [exabgp.tcp] appears twice"},
		{"[exabgp.tcp\n", ":1: bad section header"},
		{"[exabgp.log]\ndestination = 50%\n", ":2: '%' must be written '%%'"},
		{"[exabgp.log]\ndestination = %(nope)s\n", ":2: %(nope)s names no key of [exabgp.log]"},
		{"[exabgp.tcp]\nport = 8\n  x\n", ":2: exabgp.tcp.port: invalid integer '8\nx'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(etc_file, bad[i][0]);
		err[0] = '\0';
		assert_int_equal(load(&s, NULL, err, sizeof(err)), -1);
		if (strncmp(err, etc_file, strlen(etc_file)) || !strstr(err, bad[i][1]))
			fail_msg("case %zu: got \"%s\"", i, err);
		settings_free(&s);
	}
}

static void test_warnings(void **state)
{
	(void)state;
	char err[512] = "";
	struct settings s;
	setenv("exabgp.tcp.prot", "1", 1);
	setenv("exabgp_cli_pipe", "/run/", 1); /* ExaBGP's own, not a setting: no warning */
	setenv("PID", "/run/x.pid", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_non_null(s.warnings);
	assert_non_null(strstr(s.warnings, "exabgp.tcp.prot is not a setting"));
	assert_null(strstr(s.warnings, "exabgp_cli_pipe"));
	/* The FAQ's PID variable gives the PID file when daemon.pid is unset... */
	assert_string_equal(s.daemon_pid, "/run/x.pid");
	settings_free(&s);
	/* ...and never overrides an explicit daemon.pid. */
	setenv("exabgp_daemon_pid", "/run/y.pid", 1);
	assert_int_equal(load(&s, NULL, err, sizeof(err)), 0);
	assert_string_equal(s.daemon_pid, "/run/y.pid");
	unsetenv("exabgp_daemon_pid");
	settings_free(&s);
}

/* -------------------------------------------------------------- printing */

static void test_print_ini(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	char *out = print_to_string(&s, 1, 0);
	assert_true(!strncmp(out, "\n[exabgp.api]\nack = true\nchunk = 1\ncli = true\n", 46));
	static const char *const lines[] = {
		"\n[exabgp.tcp]\nacl = false\nbind = ''\ndelay = 0\nonce = false\npending_per_source = 8\nport = 179\n",
		"\n[exabgp.daemon]\ndaemonize = false\ndrop = true\npid = ''\numask = '0o137'\nuser = 'nobody'\n",
		"\nlevel = INFO\n", "\ndestination = 'stdout'\n", "\n[exabgp.reactor]\nspeed = 1.0\n",
		"\n[exabgp.bgp]\nadj_rib_in_kib = 0\ngraceful_stale_time = 360\nopenwait = 60\n", "\npipename = 'exabgp'\n", "\n[exabgp.pdb]\nenable = false\n",
		"\n[exabgp.profile]\nenable = false\nfile = ''\n", "\nencoder = json\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strstr(out, lines[i]))
			fail_msg("--fi lacks \"%s\" in:\n%s", lines[i], out);
	assert_null(strstr(out, "[exabgp.debug]"));
	assert_null(strstr(out, "rotate"));
	/* sections sorted */
	assert_true(strstr(out, "[exabgp.api]") < strstr(out, "[exabgp.bgp]"));
	assert_true(strstr(out, "[exabgp.log]") < strstr(out, "[exabgp.pdb]"));
	assert_true(strstr(out, "[exabgp.reactor]") < strstr(out, "[exabgp.tcp]"));
	free(out);

	/* --di: nothing at all for the defaults */
	out = print_to_string(&s, 1, 1);
	assert_string_equal(out, "");
	free(out);

	char err[256];
	settings_set(&s, settings_find("tcp", "port"), "1790", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("tcp", "bind"), "127.0.0.1 ::1", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("log", "level"), "DEBUG", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("debug", "rotate"), "true", SETTING_FROM_CODE, err, sizeof(err));
	out = print_to_string(&s, 1, 1);
	assert_string_equal(out, "\n[exabgp.log]\nlevel = DEBUG\n\n[exabgp.tcp]\nbind = '127.0.0.1 ::1'\nport = 1790\n");
	free(out);
	settings_free(&s);
}

static void test_print_env(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	char *out = print_to_string(&s, 0, 0);
	/* ExaBGP's order (setup.py), starting with an empty line */
	assert_true(!strncmp(out, "\nexabgp.profile.enable=false\nexabgp.profile.file=''\nexabgp.pdb.enable=false\n"
				  "exabgp.daemon.pid=''\nexabgp.daemon.user='nobody'\n", 100));
	static const char *const lines[] = {
		"\nexabgp.daemon.umask='0o137'\n", "\nexabgp.log.level=INFO\n", "\nexabgp.log.destination='stdout'\n",
		"\nexabgp.tcp.bind=''\n",           "\nexabgp.tcp.port=179\n",   "\nexabgp.reactor.speed=1.0\n",
		"\nexabgp.api.encoder=json\n",      "\nexabgp.api.pipename='exabgp'\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strstr(out, lines[i]))
			fail_msg("--fe lacks \"%s\"", lines[i]);
	assert_null(strstr(out, "exabgp.debug."));
	free(out);

	out = print_to_string(&s, 0, 1);
	assert_string_equal(out, "");
	free(out);
	char err[256];
	settings_set(&s, settings_find("daemon", "pid"), "/run/x.pid", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("tcp", "once"), "yes", SETTING_FROM_CODE, err, sizeof(err));
	out = print_to_string(&s, 0, 1);
	assert_string_equal(out, "exabgp.daemon.pid='/run/x.pid'\nexabgp.tcp.once=true\n");
	free(out);
	settings_free(&s);
}

static void test_print_help(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	settings_print_help(f);
	fclose(f);
	assert_non_null(strstr(buf, " - exabgp.tcp.port "));
	assert_non_null(strstr(buf, "default (179)"));
	assert_non_null(strstr(buf, "default ('nobody')"));
	assert_null(strstr(buf, "exabgp.debug."));
	free(buf);
}

/* --------------------------------------------------------------- logging */

static void test_log_config(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	struct log_config lc;
	settings_log_config(&s, &lc);
	assert_true(lc.enabled);
	assert_int_equal(lc.level, LOG_LVL_INFO);
	unsigned want = 1u << LOG_CONFIGURATION | 1u << LOG_REACTOR | 1u << LOG_DAEMON | 1u << LOG_PROCESSES |
			1u << LOG_NETWORK;
	assert_int_equal(lc.topics, want);
	assert_false(lc.short_format);
	assert_string_equal(lc.destination, "stdout");

	char err[256];
	settings_set(&s, settings_find("log", "packets"), "true", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("log", "network"), "false", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("log", "short"), "true", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("log", "enable"), "false", SETTING_FROM_CODE, err, sizeof(err));
	settings_log_config(&s, &lc);
	assert_int_equal(lc.topics, (want & ~(1u << LOG_NETWORK)) | 1u << LOG_PACKETS);
	assert_true(lc.short_format);
	assert_false(lc.enabled);

	settings_set(&s, settings_find("log", "all"), "true", SETTING_FROM_CODE, err, sizeof(err));
	settings_log_config(&s, &lc);
	assert_int_equal(lc.topics, (1u << LOG_TOPIC_COUNT) - 1);

	assert_int_equal(settings_log_level(SETTINGS_LOG_EMERG), LOG_LVL_CRITICAL);
	assert_int_equal(settings_log_level(SETTINGS_LOG_CRIT), LOG_LVL_CRITICAL);
	assert_int_equal(settings_log_level(SETTINGS_LOG_ERR), LOG_LVL_ERROR);
	assert_int_equal(settings_log_level(SETTINGS_LOG_WARNING), LOG_LVL_WARNING);
	assert_int_equal(settings_log_level(SETTINGS_LOG_NOTICE), LOG_LVL_INFO);
	assert_int_equal(settings_log_level(SETTINGS_LOG_DEBUG), LOG_LVL_DEBUG);
	settings_free(&s);
}

static void test_debug_flag_logs_everything(void **state)
{
	(void)state;
	struct settings s;
	settings_init(&s);
	struct cli_opts o;
	char *argv[] = {"fastbgp", "-d", "x.conf", NULL};
	char err[256];
	assert_int_equal(cli_parse(&o, 3, argv, err, sizeof(err)), 0);
	cli_apply_settings(&o, &s, CLI_APPLY_EARLY);
	struct log_config lc;
	settings_log_config(&s, &lc);
	assert_int_equal(lc.level, LOG_LVL_DEBUG);
	assert_int_equal(lc.topics, (1u << LOG_TOPIC_COUNT) - 1);
	size_t all = (size_t)(settings_find("log", "all") - settings_table);
	assert_int_equal(s.source[all], SETTING_FROM_CLI);
	/* and --di shows it, as ExaBGP does for "-d --di" */
	char *out = print_to_string(&s, 1, 1);
	assert_string_equal(out, "\n[exabgp.log]\nall = true\nlevel = DEBUG\n");
	free(out);
	cli_free(&o);
	settings_free(&s);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 16);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_log_to_file(void **state)
{
	(void)state;
	char path[400];
	snprintf(path, sizeof(path), "%s/fastbgp.log", tmpdir);
	struct settings s;
	settings_init(&s);
	char err[256];
	settings_set(&s, settings_find("log", "destination"), path, SETTING_FROM_CODE, err, sizeof(err));
	struct log_config lc;
	settings_log_config(&s, &lc);
	log_setup(&lc);
	assert_null(log_setup_error());
	log_info(LOG_NETWORK, "first %d\nsecond", 1);
	log_info(LOG_PACKETS, "not shown: packets is off");
	log_debug(LOG_NETWORK, "not shown: level INFO");
	log_error(LOG_PACKETS, "errors show whatever the topic");
	log_warning(LOG_DAEMON, "trailing newline\n");
	log_close();
	char *text = slurp(path);
	assert_non_null(text);
	/* "Mon, 02 Jan 2006 15:04:05 PID    network       first 1" */
	char pidtopic[64];
	snprintf(pidtopic, sizeof(pidtopic), " %-6d network       first 1\n", (int)getpid());
	if (!strstr(text, pidtopic))
		fail_msg("no \"%s\" in:\n%s", pidtopic, text);
	assert_int_equal(text[3], ',');
	snprintf(pidtopic, sizeof(pidtopic), " %-6d network       second\n", (int)getpid());
	assert_non_null(strstr(text, pidtopic));
	assert_null(strstr(text, "not shown"));
	assert_non_null(strstr(text, "packets       errors show whatever the topic\n"));
	assert_non_null(strstr(text, "trailing newline\n"));
	int lines = 0;
	for (char *c = text; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 4);
	free(text);

	/* log.short: the message alone */
	unlink(path);
	settings_set(&s, settings_find("log", "short"), "true", SETTING_FROM_CODE, err, sizeof(err));
	settings_log_config(&s, &lc);
	log_setup(&lc);
	log_info(LOG_REACTOR, "just this");
	log_close();
	text = slurp(path);
	assert_string_equal(text, "just this\n");
	free(text);

	/* log.enable=false: nothing, not even errors */
	unlink(path);
	settings_set(&s, settings_find("log", "enable"), "false", SETTING_FROM_CODE, err, sizeof(err));
	settings_log_config(&s, &lc);
	log_setup(&lc);
	log_error(LOG_REACTOR, "silence");
	log_close();
	text = slurp(path);
	assert_string_equal(text, "");
	free(text);

	/* unreachable file: reported, lines go to stderr */
	settings_set(&s, settings_find("log", "enable"), "true", SETTING_FROM_CODE, err, sizeof(err));
	settings_set(&s, settings_find("log", "destination"), "/nonexistent-dir/x.log", SETTING_FROM_CODE, err,
		     sizeof(err));
	settings_log_config(&s, &lc);
	log_setup(&lc);
	assert_non_null(log_setup_error());
	assert_non_null(strstr(log_setup_error(), "/nonexistent-dir/x.log"));
	log_close();
	settings_free(&s);
}

static void test_log_rotation(void **state)
{
	(void)state;
	char path[400], rotated[420];
	snprintf(path, sizeof(path), "%s/big.log", tmpdir);
	snprintf(rotated, sizeof(rotated), "%s.1", path);
	struct log_config lc = {.enabled = 1, .level = LOG_LVL_INFO, .topics = ~0u, .short_format = 1,
				.destination = path};
	log_setup(&lc);
	char line[1001];
	memset(line, 'x', 1000);
	line[1000] = '\0';
	for (int i = 0; i < 5300; i++) /* a little over 5 MiB */
		log_info(LOG_RIB, "%s", line);
	log_close();
	struct stat st;
	assert_int_equal(stat(rotated, &st), 0);
	assert_true(st.st_size >= 5L * 1024 * 1024);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < 1024 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_has_every_exabgp_key),
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_find_name),
		cmocka_unit_test_setup_teardown(test_lookup_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ini_file_order, setup, teardown),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test_setup_teardown(test_boolean_errors_name_the_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ip_list, setup, teardown),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_level_and_encoder),
		cmocka_unit_test_setup_teardown(test_ini_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
		cmocka_unit_test(test_print_ini),
		cmocka_unit_test(test_print_env),
		cmocka_unit_test(test_print_help),
		cmocka_unit_test(test_log_config),
		cmocka_unit_test(test_debug_flag_logs_everything),
		cmocka_unit_test_setup_teardown(test_log_to_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_rotation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
