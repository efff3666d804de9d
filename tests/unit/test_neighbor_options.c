/* The neighbor option table (src/config/neighbor_options.c): which changes
 * restart a session on reload (neighbor_conf_same_session), the options
 * kept only for compatibility warn with file:line, templates and defaults
 * go through the table. */
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
#include "config/parser_int.h"
#include "core/log.h"

#define BASE                                                                                                 \
	"neighbor 127.0.0.1 {\n"                                                                             \
	"  local-address 127.0.0.1;\n"                                                                       \
	"  local-as 65000;\n"                                                                                \
	"  peer-as 65001;\n"

static struct config cfg[2];

static const struct neighbor_conf *load(int i, const char *text)
{
	char err[512];
	config_free(&cfg[i]);
	config_init(&cfg[i]);
	int rc = config_load_string(&cfg[i], "t.conf", text, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg[i].nneighbors, 1);
	return cfg[i].neighbors[0];
}

/* The base neighbor, and the same with one more statement. */
static bool same_with(const char *statement)
{
	char text[1024];
	const struct neighbor_conf *a = load(0, BASE "}\n");
	snprintf(text, sizeof(text), BASE "  %s\n}\n", statement);
	const struct neighbor_conf *b = load(1, text);
	return neighbor_conf_same_session(a, b);
}

static int setup(void **state)
{
	(void)state;
	config_init(&cfg[0]);
	config_init(&cfg[1]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg[0]);
	config_free(&cfg[1]);
	return 0;
}

/* The regression: these changes were not compared, so a reload kept the
 * session (ExaBGP 4.2 restarts it for each: Neighbor.__eq__). */
static void test_restart_regressions(void **state)
{
	(void)state;
	assert_false(same_with("adj-rib-in false;"));
	assert_false(same_with("auto-flush false;"));
	assert_false(same_with("host-name router1;"));
	assert_false(same_with("domain-name example.net;"));
	/* and the ones compared before still are */
	assert_false(same_with("hold-time 90;"));
	assert_false(same_with("capability { route-refresh; }"));
	assert_false(same_with("family { ipv4 unicast; }"));
	assert_false(same_with("md5-password secret;"));
	/* what is read live does not restart it */
	assert_true(same_with("description \"core router\";"));
	assert_true(same_with("hold-time 180;")); /* the default: no change */
}

/* Every option of the table: a change of its first field gives a restart
 * exactly when the table says so. */
static void test_every_option_classified(void **state)
{
	(void)state;
	const struct neighbor_conf *base = load(0, BASE "}\n");
	size_t checked = 0;
	for (size_t i = 0; i < nb_options_count; i++) {
		const struct nb_option *o = &nb_options[i];
		if (!o->field[0].size)
			continue;
		struct neighbor_conf changed = *base;
		char *at = (char *)&changed + o->field[0].off;
		if (o->field[0].string)
			*(const char **)at = "something else";
		else
			at[0] ^= 1; /* a different value (ASan/UBSan: bools stay 0 or 1) */
		assert_int_equal(neighbor_conf_same_session(base, &changed), !o->restart);
		assert_false(nb_option_same(o, base, &changed));
		checked++;
	}
	assert_true(checked > 30);
}

/* Defaults and bare booleans come from the table. */
static void test_defaults(void **state)
{
	(void)state;
	const struct neighbor_conf *n = load(0, BASE "}\n");
	assert_int_equal(n->hold_time, 180);
	assert_true(n->group_updates);
	assert_true(n->auto_flush);
	assert_true(n->adj_rib_out);
	assert_true(n->adj_rib_in);
	assert_false(n->passive);
	assert_int_equal(n->md5_base64, TRI_UNSET);
	assert_true(n->cap.asn4);
	assert_true(n->cap.extended_message);
	assert_int_equal(n->cap.graceful_restart, -1);
	assert_int_equal(n->cap.nexthop, TRI_FALSE); /* unset, resolved: no nexthop block */
	n = load(0, BASE "  passive;\n  adj-rib-out;\n  capability { aigp; }\n}\n");
	assert_true(n->passive);
	assert_false(n->adj_rib_out); /* bare adj-rib-out means false, as in ExaBGP */
	assert_true(n->cap.aigp);
}

static void load_fails(const char *statement, const char *want)
{
	char text[1024], err[512];
	snprintf(text, sizeof(text), BASE "  %s\n}\n", statement);
	config_free(&cfg[1]);
	config_init(&cfg[1]);
	assert_int_equal(config_load_string(&cfg[1], "t.conf", text, err, sizeof(err)), -1);
	if (!strstr(err, want))
		fprintf(stderr, "got: %s\n", err);
	assert_non_null(strstr(err, want));
	if (!strstr(err, "t.conf:5"))
		fprintf(stderr, "got: %s\n", err);
	assert_non_null(strstr(err, "t.conf:5"));
}

/* maximum-prefix and enforce-first-as: parsed, defaults, errors with
 * file:line; a change applies without restarting the session. */
static void test_maximum_prefix_and_first_as(void **state)
{
	(void)state;
	const struct neighbor_conf *n = load(0, BASE "}\n");
	assert_true(n->enforce_first_as);
	for (int f = 0; f < FAM_COUNT; f++)
		assert_int_equal(n->max_prefix.limit[f], 0);
	n = load(0, BASE "  maximum-prefix 100;\n  maximum-prefix ipv6 unicast 5 restart 30;\n"
			 "  maximum-prefix ipv4 flow 7 warning-only;\n  enforce-first-as false;\n}\n");
	assert_false(n->enforce_first_as);
	assert_int_equal(n->max_prefix.limit[FAM_IPV4_UNICAST], 100);
	assert_int_equal(n->max_prefix.restart[FAM_IPV4_UNICAST], 0);
	assert_int_equal(n->max_prefix.limit[FAM_IPV6_UNICAST], 5);
	assert_int_equal(n->max_prefix.restart[FAM_IPV6_UNICAST], 30);
	assert_int_equal(n->max_prefix.limit[FAM_IPV4_FLOW], 7);
	assert_true(n->max_prefix.warning_only[FAM_IPV4_FLOW]);
	assert_false(n->max_prefix.warning_only[FAM_IPV4_UNICAST]);
	load_fails("maximum-prefix;", "maximum-prefix needs a number");
	load_fails("maximum-prefix 0;", "maximum-prefix needs a number");
	load_fails("maximum-prefix 4294967296;", "maximum-prefix needs a number");
	load_fails("maximum-prefix ipv5 unicast 10;", "unknown family");
	load_fails("maximum-prefix 10 restart 0;", "restart needs seconds");
	load_fails("maximum-prefix 10 restart;", "unexpected \"restart\"");
	load_fails("maximum-prefix 10 restart 5 warning-only;", "exclude each other");
	load_fails("maximum-prefix 10 soon;", "unexpected \"soon\"");
	assert_true(same_with("maximum-prefix 10;"));
	assert_true(same_with("enforce-first-as false;"));
}

/* A template's options reach the neighbor through the table's fields
 * (both fields of a two-field option). */
static void test_template(void **state)
{
	(void)state;
	const struct neighbor_conf *n = load(0, "template { neighbor t { local-as auto; hold-time 30; rate-limit disable; "
						"host-name h1; capability { add-path send; } } }\n"
						"neighbor 127.0.0.1 { inherit t; local-address 127.0.0.1; peer-as 1; "
						"router-id 1.2.3.4; }\n");
	assert_true(n->local_as_auto);
	assert_int_equal(n->hold_time, 30);
	assert_string_equal(n->host_name, "h1");
	assert_int_equal(n->cap.add_path, ADDPATH_SEND);
}

/* ExaBGP 5.0's options: capability { software-version; link-local-nexthop;
 * }, local-link-local, and "limit N" in add-path { } (PATHS-LIMIT, kept
 * only for families we receive ADD-PATH for). */
static void test_exabgp5_options(void **state)
{
	(void)state;
	const struct neighbor_conf *n =
		load(0, BASE "  local-link-local fe80::1;\n"
			     "  family { ipv4 unicast; ipv6 unicast; ipv4 nlri-mpls; }\n"
			     "  capability { software-version enable; link-local-nexthop; add-path send/receive; }\n"
			     "  add-path { ipv6 unicast limit 20; ipv4 unicast limit 10; ipv4 nlri-mpls; }\n}\n");
	assert_true(n->cap.software_version);
	assert_true(n->cap.link_local_nexthop);
	assert_true(n->has_local_link_local);
	assert_int_equal(n->local_link_local.addr[0], 0xfe);
	assert_int_equal(n->cap.paths_limit[FAM_IPV4_UNICAST], 10);
	assert_int_equal(n->cap.paths_limit[FAM_IPV6_UNICAST], 20);
	assert_int_equal(n->cap.paths_limit[FAM_IPV4_MPLS_LABEL], 0);
	assert_true(n->cap.paths_limit_seq[FAM_IPV6_UNICAST] < n->cap.paths_limit_seq[FAM_IPV4_UNICAST]);
	/* send only: no limit to announce */
	n = load(0, BASE "  capability { add-path send; }\n  add-path { ipv4 unicast limit 10; }\n}\n");
	assert_int_equal(n->cap.paths_limit[FAM_IPV4_UNICAST], 0);
	/* reload: a changed limit or capability restarts the session */
	assert_false(same_with("capability { software-version; }"));
	assert_false(same_with("local-link-local fe80::2;"));
	/* errors, with file:line:col */
	char err[512];
	struct config c;
	config_init(&c);
	assert_int_equal(config_load_string(&c, "t.conf", BASE "  local-link-local 2001:db8::1;\n}\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t.conf:5:20: local-link-local must be an IPv6 link-local address (fe80::/10)"));
	config_free(&c);
	config_init(&c);
	assert_int_equal(config_load_string(&c, "t.conf", BASE "  add-path { ipv4 unicast limit 0; }\n}\n", err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "t.conf:5:33: paths-limit must be 1-65535, got 0"));
	config_free(&c);
}

/* tcp-ao { } in ExaBGP main's syntax: stored, checked, dumped. */
static void test_tcp_ao_block(void **state)
{
	(void)state;
	const struct neighbor_conf *n =
		load(0, BASE "  tcp-ao {\n    keyid 7;\n    algorithm aes-128-cmac-96;\n    password c2VjcmV0;\n"
			     "    base64 true;\n  }\n}\n");
	assert_int_equal(n->tcp_ao.keyid, 7);
	assert_int_equal(n->tcp_ao.algorithm, TCP_AO_AES_128_CMAC_96);
	assert_string_equal(n->tcp_ao.password, "c2VjcmV0");
	assert_true(n->tcp_ao.base64);
	assert_int_equal(n->tcp_ao.line, 5);
	char *dump = NULL;
	size_t dl = 0;
	FILE *f = open_memstream(&dump, &dl);
	config_dump(f, &cfg[0]);
	fclose(f);
	assert_non_null(strstr(dump, "  tcp-ao keyid 7\n  tcp-ao algorithm aes-128-cmac-96\n"));
	free(dump);
	assert_false(same_with("tcp-ao { keyid 1; algorithm hmac-sha-256; password x; }"));
	static const struct {
		const char *text, *err;
	} bad[] = {
		{"  tcp-ao { keyid 1; algorithm hmac-sha-256; }\n", "t.conf:5:3: incomplete tcp-ao, missing password"},
		{"  tcp-ao { password x; }\n", "t.conf:5:3: incomplete tcp-ao, missing keyid, algorithm"},
		{"  tcp-ao { keyid 256; }\n", "t.conf:5:18: tcp-ao keyid must be 0-255, got \"256\""},
		{"  tcp-ao { algorithm md5; }\n", "t.conf:5:22: invalid tcp-ao algorithm \"md5\""},
		{"  tcp-ao { colour blue; }\n", "t.conf:5:12: unknown tcp-ao option \"colour\""},
		{"  md5-password s;\n  tcp-ao { keyid 1; algorithm hmac-sha-256; password x; }\n",
		 "t.conf:6:3: tcp-ao and md5-password cannot be used together (RFC 5925 7.6)"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512], err[512];
		snprintf(text, sizeof(text), BASE "%s}\n", bad[i].text);
		struct config c;
		config_init(&c);
		assert_int_equal(config_load_string(&c, "t.conf", text, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].err))
			fprintf(stderr, "got: %s\nwant: %s\n", err, bad[i].err);
		assert_non_null(strstr(err, bad[i].err));
		config_free(&c);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Options kept for compatibility only say so, with file:line. */
static void test_ignored_options_warn(void **state)
{
	(void)state;
	char path[] = "/tmp/fastbgp-test-options-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct log_config lc = {.enabled = 1, .level = LOG_LVL_INFO, .topics = ~0u, .short_format = 1,
				.destination = path};
	log_setup(&lc);
	assert_null(log_setup_error());
	load(0, BASE "  host-name r1;\n  domain-name example.net;\n  rate-limit 10;\n  auto-flush false;\n"
		     "  rate-limit disable;\n  auto-flush true;\n}\n");
	log_close();
	const char *text = slurp(path);
	unlink(path);
	assert_non_null(text);
	assert_non_null(strstr(text, "t.conf:5: option host-name is accepted for compatibility and ignored"));
	assert_non_null(strstr(text, "t.conf:6: option domain-name is accepted for compatibility and ignored"));
	assert_non_null(strstr(text, "t.conf:7: option rate-limit is accepted for compatibility and ignored"));
	assert_non_null(strstr(text, "t.conf:8: option auto-flush is accepted for compatibility and ignored"));
	/* the values that do what they say are not reported */
	assert_null(strstr(text, "t.conf:9:"));
	assert_null(strstr(text, "t.conf:10:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restart_regressions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_option_classified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maximum_prefix_and_first_as, setup, teardown),
		cmocka_unit_test_setup_teardown(test_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored_options_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exabgp5_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_ao_block, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
