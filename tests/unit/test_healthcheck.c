/* fastbgp healthcheck: option parsing (as ExaBGP's argparse parser), the
 * --config file, addresses printed as Python's ipaddress, the state machine
 * and the announce lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "healthcheck/hc_int.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int parse(struct hc_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	return hc_opts_parse(o, argc, argv, err, errlen);
}

static void test_defaults_are_exabgps(void **state)
{
	(void)state;
	struct hc_opts o;
	char err[512];
	assert_int_equal(parse(&o, 0, NULL, err, sizeof(err)), 0);
	assert_true(o.interval == 5 && o.fast == 1);
	assert_int_equal(o.timeout, 5);
	assert_int_equal(o.rise, 3);
	assert_int_equal(o.fall, 3);
	assert_int_equal(o.up_metric, 100);
	assert_int_equal(o.down_metric, 1000);
	assert_int_equal(o.disabled_metric, 500);
	assert_int_equal(o.increase, 1);
	assert_int_equal(o.local_preference, -1);
	assert_int_equal(o.start_ip, 0);
	assert_true(o.ip_setup);
	assert_false(o.ip_dynamic || o.withdraw_on_down || o.has_next_hop || o.has_path_id || o.silent);
	assert_string_equal(o.syslog_facility, "daemon");
	assert_null(o.command);
	hc_opts_free(&o);
}

static void test_every_form(void **state)
{
	(void)state;
	char *argv[] = {"--interval=2.5", "-f0.5", "-t", "3", "--rise", "1", "--fall=2", "--cmd", "curl -sf x",
			"-N", "2001:db8:0:0::1", "--ip", "192.0.2.1", "--ip=2001:db8::/126", "--local-pref", "-1",
			"--withdraw", "--no-ip-setup", "--dynamic-ip-setup", "--label", "web", "--start-ip", "-1",
			"--neighbor", "10.0.0.1", "--neighbor", "10.0.0.2", "--execute", "a", "--execute", "b",
			"-sF", "local3", "-n", "web", "--path-id", "7", "-a", "-d"};
	struct hc_opts o;
	char err[512];
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_true(o.interval == 2.5 && o.fast == 0.5);
	assert_int_equal(o.timeout, 3);
	assert_int_equal(o.rise, 1);
	assert_int_equal(o.fall, 2);
	assert_string_equal(o.command, "curl -sf x");
	assert_true(o.has_next_hop);
	char text[64];
	hc_format_addr(&o.next_hop, text, sizeof(text));
	assert_string_equal(text, "2001:db8::1");
	assert_int_equal(o.ips.n, 2);
	hc_format_net(&o.ips.v[1], text, sizeof(text));
	assert_string_equal(text, "2001:db8::/126");
	assert_int_equal(o.local_preference, -1);
	assert_true(o.withdraw_on_down && !o.ip_setup && o.ip_dynamic && o.no_ack && o.debug);
	assert_string_equal(o.label, "web");
	assert_int_equal(o.start_ip, -1);
	assert_int_equal(o.neighbors.n, 2);
	assert_int_equal(o.execute.n, 2);
	assert_string_equal(o.execute.v[1], "b");
	assert_string_equal(o.syslog_facility, "local3");
	assert_string_equal(o.name, "web");
	assert_true(o.has_path_id);
	assert_int_equal(o.path_id, 7);
	hc_opts_free(&o);

	/* -sF without a value is "daemon"; grouped short flags */
	char *argv2[] = {"-sF", "--ip", "192.0.2.9/32", "-ad", "--command", "true", "-c", "false"};
	assert_int_equal(parse(&o, ARGC(argv2), argv2, err, sizeof(err)), 0);
	assert_string_equal(o.syslog_facility, "daemon");
	assert_true(o.no_ack && o.debug);
	assert_string_equal(o.command, "false"); /* the last one wins, as argparse */
	hc_opts_free(&o);
}

static void expect_error(const char *want, int argc, char **argv)
{
	struct hc_opts o;
	char err[512];
	assert_int_equal(parse(&o, argc, argv, err, sizeof(err)), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
	hc_opts_free(&o);
}

static void test_errors(void **state)
{
	(void)state;
	char *a1[] = {"--rise", "x"};
	expect_error("argument --rise: invalid int value: 'x'", ARGC(a1), a1);
	char *a2[] = {"--ip", "10.0.0.1/24"};
	expect_error("has host bits set", ARGC(a2), a2);
	char *a3[] = {"--bogus"};
	expect_error("unrecognized arguments: --bogus", ARGC(a3), a3);
	char *a4[] = {"--co", "x"}; /* --command, --config, --community */
	expect_error("ambiguous option: --co", ARGC(a4), a4);
	char *a5[] = {"--silent", "--no-syslog"};
	expect_error("argument --no-syslog: not allowed with argument --silent/-s", ARGC(a5), a5);
	char *a6[] = {"--cmd"};
	expect_error("argument --command/--cmd/-c: expected one argument", ARGC(a6), a6);
	char *a7[] = {"--label", "--ip", "192.0.2.1"};
	expect_error("argument --label: expected one argument", ARGC(a7), a7);
	char *a8[] = {"extra"};
	expect_error("unrecognized arguments: extra", ARGC(a8), a8);
	char *a9[] = {"--next-hop", "1.2.3"};
	expect_error("invalid ip_address value: '1.2.3'", ARGC(a9), a9);
	char *a10[] = {"--interval", "-1"};
	expect_error("out of range", ARGC(a10), a10);
	char *a11[] = {"--silent=yes"};
	expect_error("ignored explicit argument 'yes'", ARGC(a11), a11);
	char *a12[] = {"--up-metric", "99999999999"};
	expect_error("out of range", ARGC(a12), a12);
	char *a13[] = {"--ip", "10.0.0.0/33"};
	expect_error("does not appear to be an IPv4 or IPv6 network", ARGC(a13), a13);
}

static void test_config_file(void **state)
{
	(void)state;
	char path[] = "/tmp/fastbgp-hc-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "# a comment\n"
			   "\n"
			   "debug\n"
			   "name = haproxy\n"
			   "  interval=10  \n"
			   "ip = 192.0.2.1\n"
			   "ip = 192.0.2.2\n"
			   "command = curl -sf http://127.0.0.1/?a=b\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	/* the command line comes after the file: its values win, lists grow */
	char *argv[] = {"--config", path, "--interval", "3", "--ip", "192.0.2.3"};
	struct hc_opts o;
	char err[512];
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	assert_true(o.debug);
	assert_string_equal(o.name, "haproxy");
	assert_true(o.interval == 3);
	assert_int_equal(o.ips.n, 3);
	assert_string_equal(o.command, "curl -sf http://127.0.0.1/?a=b");
	hc_opts_free(&o);

	/* an error in the file names its line */
	FILE *f = fopen(path, "w");
	fputs("name = x\n# c\nrise = many\n", f);
	fclose(f);
	char *argv2[] = {"-F", path};
	assert_int_equal(parse(&o, ARGC(argv2), argv2, err, sizeof(err)), -1);
	char want[128];
	snprintf(want, sizeof(want), "%s:3: argument --rise: invalid int value: 'many'", path);
	assert_string_equal(err, want);
	hc_opts_free(&o);
	unlink(path);

	char *argv3[] = {"--config", "/nonexistent/hc.conf"};
	expect_error("can't open '/nonexistent/hc.conf'", ARGC(argv3), argv3);
}

static void fmt(const char *in, const char *want)
{
	struct hc_net n;
	char err[128], out[80];
	assert_int_equal(hc_parse_network(in, &n, err, sizeof(err)), 0);
	hc_format_net(&n, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_addresses_as_python(void **state)
{
	(void)state;
	fmt("192.0.2.1", "192.0.2.1/32");
	fmt("10.0.0.0/8", "10.0.0.0/8");
	fmt("2001:DB8::1", "2001:db8::1/128");
	fmt("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"); /* first of two equal runs */
	fmt("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1/128");   /* the longest run */
	fmt("2001:db8:1:1:1:1:0:1", "2001:db8:1:1:1:1:0:1/128"); /* a single zero stays */
	fmt("::", "::/128");
	fmt("::1", "::1/128");
	fmt("2001:db8::", "2001:db8::/128");
	fmt("::ffff:1.2.3.4", "::ffff:102:304/128");
	struct hc_net n;
	assert_true(hc_parse_network("127.0.0.1", &n, NULL, 0) == 0 && hc_net_is_loopback(&n));
	assert_true(hc_parse_network("::1", &n, NULL, 0) == 0 && hc_net_is_loopback(&n));
	assert_true(hc_parse_network("192.0.2.1", &n, NULL, 0) == 0 && !hc_net_is_loopback(&n));
}

static void test_expand_and_rotate(void **state)
{
	(void)state;
	struct hc_netlist in = {0}, out;
	struct hc_net n;
	char err[160], text[80];
	assert_int_equal(hc_parse_network("192.0.2.0/30", &n, err, sizeof(err)), 0);
	hc_netlist_add(&in, &n);
	assert_int_equal(hc_parse_network("2001:db8::/127", &n, err, sizeof(err)), 0);
	hc_netlist_add(&in, &n);
	assert_int_equal(hc_expand_hosts(&in, &out, err, sizeof(err)), 0);
	assert_int_equal(out.n, 6);
	hc_format_net(&out.v[3], text, sizeof(text));
	assert_string_equal(text, "192.0.2.3/32");
	hc_format_net(&out.v[5], text, sizeof(text));
	assert_string_equal(text, "2001:db8::1/128");
	/* deque.rotate(-2): the first two go to the end; -1 is the last first */
	hc_rotate(&out, 2);
	hc_format_net(&out.v[0], text, sizeof(text));
	assert_string_equal(text, "192.0.2.2/32");
	hc_rotate(&out, -2);
	hc_rotate(&out, -1);
	hc_format_net(&out.v[0], text, sizeof(text));
	assert_string_equal(text, "2001:db8::1/128");
	hc_rotate(&out, 13); /* modulo the length */
	hc_format_net(&out.v[0], text, sizeof(text));
	assert_string_equal(text, "192.0.2.0/32");
	hc_netlist_free(&out);
	hc_netlist_free(&in);

	assert_int_equal(hc_parse_network("10.0.0.0/8", &n, err, sizeof(err)), 0);
	hc_netlist_add(&in, &n);
	assert_int_equal(hc_expand_hosts(&in, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 65536"));
	hc_netlist_free(&in);
}

/* Feeds results, returns the states as letters. */
static void run_fsm(const char *results, long rise, long fall, const char *want)
{
	enum hc_state s = HC_INIT;
	int checks = 0;
	char got[64] = "";
	for (const char *r = results; *r; r++) {
		bool transition;
		s = hc_fsm_step(s, &checks, *r == 'd', *r == '1', rise, fall, &transition);
		char c = s == HC_UP ? 'U' : s == HC_DOWN ? 'D' : s == HC_RISING ? 'r' : s == HC_FALLING ? 'f'
			 : s == HC_DISABLED ? 'X' : s == HC_INIT ? 'I' : '?';
		size_t len = strlen(got);
		got[len] = transition ? c : '.';
		got[len + 1] = '\0';
	}
	assert_string_equal(got, want);
}

static void test_state_machine(void **state)
{
	(void)state;
	/* '1' success, '0' failure, 'd' disable file present; '.' no transition */
	run_fsm("111111", 3, 3, "r.U...");
	run_fsm("1110001", 3, 3, "r.Uf.Dr");
	run_fsm("11011", 3, 3, "r.fr.");  /* one failure while rising restarts the count */
	run_fsm("101", 1, 1, "UDU");      /* rise/fall 1: straight to UP/DOWN */
	run_fsm("000", 3, 1, "D..");      /* INIT failing with fall 1 is DOWN */
	run_fsm("1dd11", 2, 2, "rX.Ir"); /* disabled, then INIT again */
	run_fsm("0d", 3, 3, "fX");
}

struct lines {
	char text[8][512];
	int n;
};

static int collect(void *ctx, const char *line)
{
	struct lines *l = ctx;
	if (l->n < 8)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
	return 0;
}

static void test_announce_lines(void **state)
{
	(void)state;
	char *argv[] = {"--ip", "192.0.2.1", "--ip", "2001:db8::1", "--community", "65000:1", "--disabled-community",
			"65000:666", "--extended-community", "target:65000:1", "--large-community", "65000:0:1",
			"--as-path", "65000", "--down-as-path", "65000 65000", "--local-preference", "200",
			"--increase", "10", "--next-hop", "192.0.2.254"};
	struct hc_opts o;
	char err[512];
	assert_int_equal(parse(&o, ARGC(argv), argv, err, sizeof(err)), 0);
	struct lines l = {.n = 0};
	assert_int_equal(hc_announce(&o, &o.ips, HC_UP, collect, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.text[0], "announce route 192.0.2.1/32 next-hop 192.0.2.254 med 100 local-preference 200 "
				       "community [ 65000:1 ] extended-community [ target:65000:1 ] "
				       "large-community [ 65000:0:1 ] as-path [ 65000 ]");
	assert_non_null(strstr(l.text[1], "route 2001:db8::1/128 next-hop 192.0.2.254 med 110 "));
	l.n = 0;
	hc_announce(&o, &o.ips, HC_DOWN, collect, &l);
	assert_string_equal(l.text[0], "announce route 192.0.2.1/32 next-hop 192.0.2.254 med 1000 local-preference 200 "
				       "community [ 65000:666 ] extended-community [ target:65000:1 ] "
				       "large-community [ 65000:0:1 ] as-path [ 65000 65000 ]");
	l.n = 0;
	hc_announce(&o, &o.ips, HC_DISABLED, collect, &l);
	assert_non_null(strstr(l.text[0], " med 500 "));
	assert_non_null(strstr(l.text[0], "community [ 65000:666 ]"));
	assert_non_null(strstr(l.text[0], "as-path [ 65000 ]"));
	l.n = 0;
	hc_announce(&o, &o.ips, HC_EXIT, collect, &l);
	assert_string_equal(l.text[0], "withdraw route 192.0.2.1/32 next-hop 192.0.2.254");
	l.n = 0;
	assert_int_equal(hc_announce(&o, &o.ips, HC_RISING, collect, &l), 0);
	assert_int_equal(l.n, 0); /* nothing for the transient states */
	hc_opts_free(&o);

	char *argv2[] = {"--ip", "192.0.2.1", "--withdraw-on-down", "--neighbor", "10.0.0.1", "--neighbor", "::1",
			 "--path-id", "3"};
	assert_int_equal(parse(&o, ARGC(argv2), argv2, err, sizeof(err)), 0);
	l.n = 0;
	hc_announce(&o, &o.ips, HC_UP, collect, &l);
	hc_announce(&o, &o.ips, HC_DOWN, collect, &l);
	hc_announce(&o, &o.ips, HC_DISABLED, collect, &l);
	assert_string_equal(l.text[0],
			    "neighbor 10.0.0.1, neighbor ::1 announce route 192.0.2.1/32 next-hop self med 100 "
			    "path-information 3");
	assert_string_equal(l.text[1],
			    "neighbor 10.0.0.1, neighbor ::1 withdraw route 192.0.2.1/32 next-hop self path-information 3");
	assert_string_equal(l.text[2], l.text[1]);
	hc_opts_free(&o);

	/* a path ID of 0 is not sent, as ExaBGP's "if options.path_id" */
	char *argv3[] = {"--ip", "192.0.2.1", "--path-id", "0", "--as-path", "1", "--up-as-path", ""};
	assert_int_equal(parse(&o, ARGC(argv3), argv3, err, sizeof(err)), 0);
	l.n = 0;
	hc_announce(&o, &o.ips, HC_UP, collect, &l);
	hc_announce(&o, &o.ips, HC_DOWN, collect, &l);
	/* an empty --up-as-path is no AS path when up (not --as-path), as ExaBGP */
	assert_string_equal(l.text[0], "announce route 192.0.2.1/32 next-hop self med 100");
	assert_string_equal(l.text[1], "announce route 192.0.2.1/32 next-hop self med 1000 as-path [ 1 ]");
	hc_opts_free(&o);
}


/* A fixed-seed storm of argument lists and --config files built from the
 * option names, odd values and random bytes: parsing and the lines must
 * never crash or leak (ASan), whatever is accepted. */
static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static int count_lines(void *ctx, const char *line)
{
	(*(int *)ctx)++;
	assert_true(strlen(line) < 4096);
	return 0;
}

static void test_random_arguments(void **state)
{
	(void)state;
	static const char *const words[] = {
		"--ip", "--neighbor", "--next-hop", "--interval", "--rise", "--fall", "--cmd", "-c", "-sF", "-s",
		"--no-syslog", "--community", "--as-path", "--up-as-path", "--path-id", "--start-ip", "--increase",
		"--withdraw", "--local-preference", "--deaggregate-networks", "--label", "--execute", "-i", "-i0.5",
		"-ad", "--", "-", "--=", "--ip=10.0.0.0/30", "192.0.2.1", "2001:db8::/127", "::", "1.2.3.4/33",
		"-1", "4294967295", "4294967296", "nan", "inf", "1e9", "", "x", "--co", "--he", "-h", "--disable",
		"--large-community", "65000:0:1", "0", "--up-metric", "--down-metric", "-9999999999999999999"};
	char path[] = "/tmp/fastbgp-hc-fuzz-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char junk[8][24];
	for (int round = 0; round < 3000; round++) {
		char *argv[12];
		int argc = (int)(rnd() % 12);
		for (int i = 0; i < argc; i++) {
			if (rnd() % 8 == 0) {
				char *j = junk[i % 8];
				size_t n = rnd() % (sizeof(junk[0]) - 1);
				for (size_t k = 0; k < n; k++)
					j[k] = (char)(1 + rnd() % 255);
				j[n] = '\0';
				argv[i] = j;
			} else {
				argv[i] = (char *)words[rnd() % (sizeof(words) / sizeof(words[0]))];
			}
		}
		if (round % 10 == 0 && argc < 10) {
			FILE *f = fopen(path, "w");
			for (int l = 0; l < 6; l++) {
				const char *w = words[rnd() % (sizeof(words) / sizeof(words[0]))];
				fprintf(f, "%s%s%s\n", w[0] == '-' ? w + (w[1] == '-' ? 2 : 1) : w, rnd() % 2 ? " = " : "",
					rnd() % 2 ? words[rnd() % (sizeof(words) / sizeof(words[0]))] : "");
				if (rnd() % 4 == 0)
					fputc((int)(rnd() % 256), f);
			}
			fclose(f);
			argv[argc++] = "--config";
			argv[argc++] = path;
		}
		struct hc_opts o;
		char err[512];
		if (hc_opts_parse(&o, argc, argv, err, sizeof(err)) == 0) {
			int n = 0;
			for (enum hc_state st = HC_INIT; st <= HC_END; st++)
				assert_int_equal(hc_announce(&o, &o.ips, st, count_lines, &n), 0);
		} else {
			assert_true(err[0] != '\0');
		}
		hc_opts_free(&o);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_exabgps),   cmocka_unit_test(test_every_form),
		cmocka_unit_test(test_errors),		       cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_addresses_as_python),     cmocka_unit_test(test_expand_and_rotate),
		cmocka_unit_test(test_state_machine),	       cmocka_unit_test(test_announce_lines),
		cmocka_unit_test(test_random_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
