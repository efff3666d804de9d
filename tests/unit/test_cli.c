/* Command line parsing, settings overrides, and the daemon helpers
 * (PID file, detach, privileges). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/settings.h"
#include "config/cli.h"
#include "core/daemon.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fastbgp-cli-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int parse(struct cli_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	return cli_parse(o, argc, argv, err, errlen);
}

/* --------------------------------------------------------------- flags */

static void test_no_arguments(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_int_equal(o.mode, CLI_MODE_SERVER);
	assert_false(o.help || o.version || o.debug || o.pdb || o.test || o.validate || o.once || o.memory);
	assert_null(o.root);
	assert_null(o.env);
	assert_null(o.profile);
	assert_int_equal(o.print, CLI_PRINT_NONE);
	assert_int_equal(o.signal_time, -1);
	assert_int_equal(o.conf_count, 0);
	assert_int_equal(o.decode_count, 0);
	cli_free(&o);
}

static void test_every_long_flag(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp",  "--help",   "--version", "--root",      "/opt/x", "--env",    "my.env",
			"--debug",  "--pdb",    "--test",    "--validate",  "--once", "--signal", "30",
			"--memory", "--profile", "/tmp/prof", "--decode",   "FFFF",   "a.conf",   "b.conf",
			NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_true(o.help && o.version && o.debug && o.pdb && o.test && o.validate && o.once && o.memory);
	assert_string_equal(o.root, "/opt/x");
	assert_string_equal(o.env, "my.env");
	assert_int_equal(o.signal_time, 30);
	assert_string_equal(o.profile, "/tmp/prof");
	assert_int_equal(o.decode_count, 1);
	assert_string_equal(o.decode[0], "FFFF");
	assert_int_equal(o.conf_count, 2);
	assert_string_equal(o.conf[0], "a.conf");
	assert_string_equal(o.conf[1], "b.conf");
	cli_free(&o);
}

static void test_every_short_flag(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", "-h", "-v", "-f", "/opt/y", "-e", "e.env", "-d", "-p", "-t", "-1", "-s",
			"-x",      "00", "c.conf", NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_true(o.help && o.version && o.debug && o.pdb && o.test && o.once && o.memory);
	assert_false(o.validate);
	assert_string_equal(o.root, "/opt/y");
	assert_string_equal(o.env, "e.env");
	assert_int_equal(o.decode_count, 1);
	assert_int_equal(o.conf_count, 1);
	assert_string_equal(o.conf[0], "c.conf");
	cli_free(&o);
}

static void test_grouped_and_attached(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	/* ExaBGP's test harness: exabgp -d -p CONF...; grouped here */
	char *argv[] = {"fastbgp", "-dp1", "-e/etc/e.env", "-fROOT", "-x=AB", "--root=/r2", "--env=x.env", "c1",
			"-x",      "CD",   NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_true(o.debug && o.pdb && o.once);
	assert_string_equal(o.root, "/r2"); /* the last one wins */
	assert_string_equal(o.env, "x.env");
	assert_int_equal(o.decode_count, 2);
	assert_string_equal(o.decode[0], "AB");
	assert_string_equal(o.decode[1], "CD");
	assert_int_equal(o.conf_count, 1);
	cli_free(&o);

	/* a group ending with an option that takes a value */
	char *argv2[] = {"fastbgp", "-de", "z.env", NULL};
	assert_int_equal(parse(&o, ARGC(argv2), argv2, err, sizeof(err)), 0);
	assert_true(o.debug);
	assert_string_equal(o.env, "z.env");
	cli_free(&o);
}

static void test_print_flags(void **state)
{
	(void)state;
	static const struct {
		const char *flag;
		enum cli_print p;
	} cases[] = {
		{"--full-ini", CLI_PRINT_FULL_INI}, {"--fi", CLI_PRINT_FULL_INI}, {"--diff-ini", CLI_PRINT_DIFF_INI},
		{"--di", CLI_PRINT_DIFF_INI},       {"--full-env", CLI_PRINT_FULL_ENV}, {"--fe", CLI_PRINT_FULL_ENV},
		{"--diff-env", CLI_PRINT_DIFF_ENV}, {"--de", CLI_PRINT_DIFF_ENV},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_opts o;
		char err[256];
		char *argv[] = {"fastbgp", (char *)cases[i].flag, NULL};
		assert_int_equal(parse(&o, 2, argv, err, sizeof(err)), 0);
		assert_int_equal(o.print, cases[i].p);
		cli_free(&o);
	}
	struct cli_opts o;
	char err[256];
	char *both[] = {"fastbgp", "--fi", "--de", NULL};
	assert_int_equal(parse(&o, 3, both, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "only one of"));
	cli_free(&o);
	/* the same one twice is fine */
	char *twice[] = {"fastbgp", "--fi", "--full-ini", NULL};
	assert_int_equal(parse(&o, 3, twice, err, sizeof(err)), 0);
	cli_free(&o);
}

static void test_prefixes_and_errors(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];

	char *a1[] = {"fastbgp", "--vers", "--valid", "--mem", NULL};
	assert_int_equal(parse(&o, ARGC(a1), a1, err, sizeof(err)), 0);
	assert_true(o.version && o.validate && o.memory);
	cli_free(&o);

	static struct {
		char *args[4];
		const char *msg;
	} bad[] = {
		{{"fastbgp", "--bogus", NULL}, "unknown option --bogus"},
		{{"fastbgp", "-q", NULL}, "unknown option -q"},
		{{"fastbgp", "-dq", NULL}, "unknown option -q"},
		{{"fastbgp", "--d", NULL}, "option --d is ambiguous"},
		{{"fastbgp", "--full", NULL}, "option --full is ambiguous"},
		{{"fastbgp", "--root", NULL}, "option --root needs a value"},
		{{"fastbgp", "-e", NULL}, "option -e needs a value"},
		{{"fastbgp", "--debug=1", NULL}, "option --debug takes no value"},
		{{"fastbgp", "--signal", "soon", NULL}, "--signal: 'soon' is not a number of seconds"},
		{{"fastbgp", "--signal=-1", NULL}, "is not a number of seconds"},
		{{"fastbgp", "--run", "nothing", NULL}, "unknown helper 'nothing'"},
		{{"fastbgp", "decode", NULL}, "missing"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int argc = 0;
		while (bad[i].args[argc])
			argc++;
		err[0] = '\0';
		assert_int_equal(parse(&o, argc, bad[i].args, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].msg))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, bad[i].msg);
		cli_free(&o);
	}
}

static void test_conf_list_and_double_dash(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", "one.conf", "-d", "two.conf", "-", "--", "-three.conf", "--fi", NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_true(o.debug);
	assert_int_equal(o.print, CLI_PRINT_NONE);
	assert_int_equal(o.conf_count, 5);
	assert_string_equal(o.conf[0], "one.conf");
	assert_string_equal(o.conf[1], "two.conf");
	assert_string_equal(o.conf[2], "-");
	assert_string_equal(o.conf[3], "-three.conf");
	assert_string_equal(o.conf[4], "--fi");
	cli_free(&o);
}

static void test_run_helper(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", "-d", "--run", "healthcheck", "--cmd", "true", "-i", NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_int_equal(o.mode, CLI_MODE_RUN);
	assert_string_equal(o.run, "healthcheck");
	assert_int_equal(o.run_argc, 3);
	assert_string_equal(o.run_argv[0], "--cmd");
	assert_string_equal(o.run_argv[2], "-i");
	assert_null(o.run_argv[3]);
	assert_int_equal(o.conf_count, 0);
	cli_free(&o);

	char *argv2[] = {"fastbgp", "--run=cli", "show", "neighbor", NULL};
	assert_int_equal(parse(&o, ARGC(argv2), argv2, err, sizeof(err)), 0);
	assert_string_equal(o.run, "cli");
	assert_int_equal(o.run_argc, 2);
	cli_free(&o);

	/* ExaBGP 4.2's "python -m exabgp healthcheck ..." form */
	char *argv3[] = {"fastbgp", "healthcheck", "-c", "true", NULL};
	assert_int_equal(parse(&o, ARGC(argv3), argv3, err, sizeof(err)), 0);
	assert_int_equal(o.mode, CLI_MODE_RUN);
	assert_string_equal(o.run, "healthcheck");
	assert_int_equal(o.run_argc, 2);
	assert_string_equal(o.run_argv[0], "-c");
	cli_free(&o);

	char *argv4[] = {"fastbgp", "cli", NULL};
	assert_int_equal(parse(&o, ARGC(argv4), argv4, err, sizeof(err)), 0);
	assert_string_equal(o.run, "cli");
	assert_int_equal(o.run_argc, 0);
	cli_free(&o);

	/* "bgp" is dropped, the rest is the normal command line */
	char *argv5[] = {"fastbgp", "bgp", "-t", "x.conf", NULL};
	assert_int_equal(parse(&o, ARGC(argv5), argv5, err, sizeof(err)), 0);
	assert_int_equal(o.mode, CLI_MODE_SERVER);
	assert_true(o.test);
	assert_int_equal(o.conf_count, 1);
	cli_free(&o);
}

static void test_decode_subcommand(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", "decode", "-f", "ipv4 unicast", "-n", "-i", "-c", "x.conf",
			"0000 0007", "900F:0003:0001:01", NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_int_equal(o.mode, CLI_MODE_DECODE);
	assert_string_equal(o.family, "ipv4 unicast");
	assert_null(o.root); /* -f is --family here, not --root */
	assert_true(o.decode_nlri && o.path_information);
	assert_string_equal(o.decode_conf, "x.conf");
	assert_int_equal(o.decode_count, 2);
	assert_int_equal(o.conf_count, 0);
	char *hex = cli_decode_hex(&o);
	assert_string_equal(hex, "00000007900F0003000101");
	free(hex);
	cli_free(&o);

	char *argv2[] = {"fastbgp", "decode", "--family=ipv6 unicast", "--update", "--open", "ffff", NULL};
	assert_int_equal(parse(&o, ARGC(argv2), argv2, err, sizeof(err)), 0);
	assert_string_equal(o.family, "ipv6 unicast");
	assert_true(o.decode_update && o.decode_open);
	hex = cli_decode_hex(&o);
	assert_string_equal(hex, "FFFF");
	free(hex);
	cli_free(&o);

	/* server options are not decode options */
	char *argv3[] = {"fastbgp", "decode", "--fi", "ff", NULL};
	assert_int_equal(parse(&o, ARGC(argv3), argv3, err, sizeof(err)), -1);
	cli_free(&o);
}

static void test_decode_hex(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", "-x", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02", "--decode", "0000 0007900F0003000101",
			NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	char *hex = cli_decode_hex(&o);
	assert_string_equal(hex, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000101");
	free(hex);
	cli_free(&o);

	char *bad[] = {"fastbgp", "-x", "00GG", NULL};
	assert_int_equal(parse(&o, ARGC(bad), bad, err, sizeof(err)), 0);
	assert_null(cli_decode_hex(&o));
	cli_free(&o);
	char *odd[] = {"fastbgp", "-x", "ABC", NULL};
	assert_int_equal(parse(&o, ARGC(odd), odd, err, sizeof(err)), 0);
	assert_null(cli_decode_hex(&o));
	cli_free(&o);
	char *none[] = {"fastbgp", NULL};
	assert_int_equal(parse(&o, ARGC(none), none, err, sizeof(err)), 0);
	assert_null(cli_decode_hex(&o));
	cli_free(&o);
}

/* ------------------------------------------------------ settings overrides */

static void test_apply_settings(void **state)
{
	(void)state;
	struct cli_opts o;
	char err[256];
	char *argv[] = {"fastbgp", "-d", "-p", "-t", "-1", "-s", "--profile", "/tmp/p.out", "-x", "ff:ff", "x.conf",
			NULL};
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	struct settings s;
	settings_init(&s);
	settings_set(&s, settings_find("tcp", "bind"), "127.0.0.1", SETTING_FROM_CODE, err, sizeof(err));

	cli_apply_settings(&o, &s, CLI_APPLY_EARLY);
	assert_true(s.log_all);
	assert_int_equal(s.log_level, SETTINGS_LOG_DEBUG);
	assert_true(s.log_parser);
	assert_string_equal(s.debug_route, "FFFF");
	assert_int_equal(s.tcp_bind.count, 0);
	assert_true(s.profile_enable);
	assert_string_equal(s.profile_file, "/tmp/p.out");
	/* not yet: ExaBGP applies these after printing --fi/--di */
	assert_false(s.tcp_once || s.debug_pdb || s.debug_selfcheck || s.debug_memory);

	cli_apply_settings(&o, &s, CLI_APPLY_LATE);
	assert_true(s.tcp_once && s.debug_pdb && s.debug_selfcheck && s.debug_memory);
	size_t once = (size_t)(settings_find("tcp", "once") - settings_table);
	assert_int_equal(s.source[once], SETTING_FROM_CLI);
	settings_free(&s);
	cli_free(&o);

	/* no flags: nothing changes */
	char *plain[] = {"fastbgp", "x.conf", NULL};
	assert_int_equal(parse(&o, ARGC(plain), plain, err, sizeof(err)), 0);
	settings_init(&s);
	cli_apply_settings(&o, &s, CLI_APPLY_EARLY);
	cli_apply_settings(&o, &s, CLI_APPLY_LATE);
	for (size_t i = 0; i < settings_table_len; i++)
		assert_true(settings_is_default(&s, &settings_table[i]));
	settings_free(&s);
	cli_free(&o);
}

static void test_usage_and_version(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cli_version(f);
	fclose(f);
	assert_string_equal(buf, "fastbgp " FASTBGP_VERSION " (compatible with exabgp 4.2.25)\n");
	assert_string_equal(FASTBGP_VERSION, "0.1.0");
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	cli_help(f);
	fclose(f);
	static const char *const must[] = {"--full-ini", "--fi", "--diff-env", "--de", "--decode", "--run",
					   "--signal", "--validate", "--once", "Environment values are:",
					   "exabgp.tcp.bind"};
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		if (!strstr(buf, must[i]))
			fail_msg("help lacks %s", must[i]);
	assert_null(strstr(buf, "ExaBGP :"));
	free(buf);
}

static void test_root_folder(void **state)
{
	(void)state;
	char out[512], path[512], cmd[600];
	cli_root_folder("whatever", "/usr/", out, sizeof(out));
	assert_string_equal(out, "/usr");
	cli_root_folder("whatever", "/", out, sizeof(out));
	assert_string_equal(out, "");

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/pfx/sbin' && touch '%s/pfx/sbin/fastbgp'", tmpdir, tmpdir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/pfx/sbin/fastbgp", tmpdir);
	cli_root_folder(path, NULL, out, sizeof(out));
	char want[512];
	snprintf(want, sizeof(want), "%s/pfx", tmpdir);
	char real[512];
	assert_non_null(realpath(want, real));
	assert_string_equal(out, real);

	/* not installed in a bin folder: no root */
	snprintf(path, sizeof(path), "%s/pfx/sbin/../sbin/fastbgp", tmpdir);
	cli_root_folder(path, NULL, out, sizeof(out));
	assert_string_equal(out, real); /* resolved first */
	snprintf(cmd, sizeof(cmd), "touch '%s/pfx/fastbgp'", tmpdir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/pfx/fastbgp", tmpdir);
	cli_root_folder(path, NULL, out, sizeof(out));
	assert_string_equal(out, "");
}

/* ------------------------------------------------------------- PID file */

static void pidpath(char *buf, size_t len)
{
	snprintf(buf, len, "%s/fastbgp.pid", tmpdir);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_pidfile_create_remove(void **state)
{
	(void)state;
	char path[400], err[512] = "";
	pidpath(path, sizeof(path));
	struct pidfile pf;

	/* no path: nothing to do */
	assert_int_equal(daemon_pidfile_create(&pf, "", err, sizeof(err)), 0);
	assert_null(pf.path);
	daemon_pidfile_remove(&pf);

	assert_int_equal(daemon_pidfile_create(&pf, path, err, sizeof(err)), 0);
	assert_int_equal(daemon_pidfile_read(path), getpid());
	FILE *f = fopen(path, "r");
	char line[64] = "";
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	char want[64];
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	assert_string_equal(line, want);
	/* no temporary file left behind */
	char tmpname[500];
	snprintf(tmpname, sizeof(tmpname), "%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(access(tmpname, F_OK), -1);

	daemon_pidfile_remove(&pf);
	assert_int_equal(access(path, F_OK), -1);
	assert_null(pf.path);
	daemon_pidfile_remove(&pf); /* twice is fine */

	/* a relative path is made absolute from the current directory */
	char cwd[400];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(daemon_pidfile_create(&pf, "rel.pid", err, sizeof(err)), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_true(pf.path[0] == '/');
	snprintf(path, sizeof(path), "%s/rel.pid", tmpdir);
	assert_int_equal(daemon_pidfile_read(path), getpid());
	daemon_pidfile_remove(&pf);
	assert_int_equal(access(path, F_OK), -1);
}

static void test_pidfile_refuses_live_process(void **state)
{
	(void)state;
	char path[400], err[512] = "";
	pidpath(path, sizeof(path));
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	char text[32];
	snprintf(text, sizeof(text), "%ld\n", (long)child);
	write_text(path, text);

	struct pidfile pf;
	assert_int_equal(daemon_pidfile_create(&pf, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "still running"));
	assert_null(pf.path);
	/* the file is untouched */
	assert_int_equal(daemon_pidfile_read(path), child);

	/* once it is dead the file is stale and replaced */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(daemon_pid_alive(child), 0);
	assert_int_equal(daemon_pidfile_create(&pf, path, err, sizeof(err)), 0);
	assert_int_equal(daemon_pidfile_read(path), getpid());
	daemon_pidfile_remove(&pf);
}

static void test_pidfile_odd_contents(void **state)
{
	(void)state;
	char path[400], err[512] = "";
	pidpath(path, sizeof(path));
	struct pidfile pf;

	/* garbage: refuse, a human must look */
	write_text(path, "hello\n");
	assert_int_equal(daemon_pidfile_read(path), -1);
	assert_int_equal(daemon_pidfile_create(&pf, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not hold a PID"));

	/* empty: stale */
	write_text(path, "");
	assert_int_equal(daemon_pidfile_read(path), 0);
	assert_int_equal(daemon_pidfile_create(&pf, path, err, sizeof(err)), 0);
	daemon_pidfile_remove(&pf);

	/* our own PID (a container restarted with the same PID): ours, replace */
	char text[32];
	snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	write_text(path, text);
	assert_int_equal(daemon_pidfile_create(&pf, path, err, sizeof(err)), 0);

	/* remove leaves a file that another instance has taken over */
	write_text(path, "1\n");
	daemon_pidfile_remove(&pf);
	assert_int_equal(daemon_pidfile_read(path), 1);
	unlink(path);
	assert_int_equal(daemon_pidfile_read(path), 0);

	/* unwritable place */
	assert_int_equal(daemon_pidfile_create(&pf, "/nonexistent-dir/x.pid", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-dir/x.pid"));

	assert_int_equal(daemon_pid_alive(getpid()), 1);
	assert_int_equal(daemon_pid_alive(0), 0);
	assert_int_equal(daemon_pid_alive(-5), 0);
}

/* -------------------------------------------------------- detach, users */

static void test_detach(void **state)
{
	(void)state;
	char err[256] = "";
	assert_int_equal(daemon_detach(false, true, "syslog", err, sizeof(err)), DAEMON_NOT_REQUESTED);
	assert_int_equal(daemon_detach(true, true, "stdout", err, sizeof(err)), DAEMON_LOGS_TO_STDIO);
	assert_int_equal(daemon_detach(true, true, "STDERR", err, sizeof(err)), DAEMON_LOGS_TO_STDIO);

	/* a real detach, in a child: the grandchild reports its session */
	char marker[400];
	snprintf(marker, sizeof(marker), "%s/detached", tmpdir);
	pid_t our_sid = getsid(0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int fd = open("/dev/null", O_RDONLY); /* stdin must not be a socket */
		dup2(fd, 0);
		/* logging disabled: stdout does not matter */
		int r = daemon_detach(true, false, "stdout", err, sizeof(err));
		FILE *f = fopen(marker, "w");
		if (f) {
			fprintf(f, "%d %d %d %d %d\n", r, getsid(0) == getpid(), getpgrp() != getpid(),
				fcntl(1, F_GETFD) >= 0, getsid(0) != our_sid);
			fclose(f);
		}
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	FILE *f = NULL;
	for (int i = 0; i < 200 && !f; i++) {
		struct stat st;
		if (stat(marker, &st) == 0 && st.st_size > 0)
			f = fopen(marker, "r");
		else
			usleep(10000);
	}
	assert_non_null(f);
	int r, leader, not_group_leader, fd1, new_session;
	assert_int_equal(fscanf(f, "%d %d %d %d %d", &r, &leader, &not_group_leader, &fd1, &new_session), 5);
	fclose(f);
	assert_int_equal(r, DAEMON_DETACHED);
	assert_int_equal(leader, 0);           /* the second fork is not the session leader */
	assert_int_equal(not_group_leader, 1); /* ... so it can never get a terminal back */
	assert_int_equal(fd1, 1);              /* stdio stays open, on /dev/null */
	assert_int_equal(new_session, 1);      /* setsid(): away from our terminal */
}

static void test_drop_privileges(void **state)
{
	(void)state;
	char err[256] = "";
	if (getuid() != 0 && geteuid() != 0) {
		/* not root: nothing to do, whatever the user */
		assert_int_equal(daemon_drop_privileges("no-such-user-fastbgp", err, sizeof(err)), 0);
		return;
	}
	/* root: unknown user = refuse to run as root */
	assert_int_equal(daemon_drop_privileges("no-such-user-fastbgp", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-user-fastbgp"));
	assert_int_equal(daemon_drop_privileges("", err, sizeof(err)), -1);
	assert_int_equal(geteuid(), 0);

	struct passwd *pw = getpwnam("nobody");
	if (!pw)
		skip();
	uid_t want = pw->pw_uid;
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		char e2[256];
		gid_t root_group = 0;
		if (setgroups(1, &root_group) != 0) /* as root usually has */
			_exit(3);
		int r = daemon_drop_privileges("nobody", e2, sizeof(e2));
		gid_t groups[64];
		int n = getgroups(64, groups);
		for (int i = 0; i < n; i++)
			if (groups[i] == 0)
				_exit(2); /* root's supplementary groups kept */
		_exit(r == 1 && getuid() == want && geteuid() == want && setuid(0) != 0 ? 0 : 1);
	}
	int status;
	waitpid(child, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_umask(void **state)
{
	(void)state;
	unsigned old = daemon_set_umask(0137);
	assert_int_equal(daemon_set_umask(old), 0137);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_arguments),
		cmocka_unit_test(test_every_long_flag),
		cmocka_unit_test(test_every_short_flag),
		cmocka_unit_test(test_grouped_and_attached),
		cmocka_unit_test(test_print_flags),
		cmocka_unit_test(test_prefixes_and_errors),
		cmocka_unit_test(test_conf_list_and_double_dash),
		cmocka_unit_test(test_run_helper),
		cmocka_unit_test(test_decode_subcommand),
		cmocka_unit_test(test_decode_hex),
		cmocka_unit_test(test_apply_settings),
		cmocka_unit_test(test_usage_and_version),
		cmocka_unit_test_setup_teardown(test_root_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidfile_create_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidfile_refuses_live_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidfile_odd_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detach, setup, teardown),
		cmocka_unit_test(test_drop_privileges),
		cmocka_unit_test(test_umask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
