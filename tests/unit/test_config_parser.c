/* Configuration parser: golden dumps (tests/config/NAME.conf -> NAME.dump),
 * defaults, templates, and the exact "file:line:col: message" of errors. */
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

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void golden(const char *name)
{
	const char *dir = golden_dir();
	assert_non_null(dir);
	char conf[512], want_path[512], err[512];
	snprintf(conf, sizeof(conf), "%s/%s.conf", dir, name);
	snprintf(want_path, sizeof(want_path), "%s/%s.dump", dir, name);
	struct config c;
	config_init(&c);
	int rc = config_load(&c, conf, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	char *got = dump_to_string(&c);
	assert_non_null(got);
	char *want = slurp(want_path);
	assert_non_null(want);
	if (strcmp(got, want)) {
		/* show the first differing line */
		const char *g = got, *w = want;
		int line = 1;
		while (*g && *g == *w) {
			if (*g == '\n')
				line++;
			g++;
			w++;
		}
		fprintf(stderr, "%s differs at line %d:\n got  %.80s\n want %.80s\n", name, line, g, w);
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
	config_free(&c);
}

static void test_golden_defaults(void **state)
{
	(void)state;
	golden("defaults");
}

static void test_golden_options(void **state)
{
	(void)state;
	golden("options");
}

static void test_golden_template(void **state)
{
	(void)state;
	golden("template");
}

static void test_golden_api(void **state)
{
	(void)state;
	golden("api");
}

static void test_golden_routes(void **state)
{
	(void)state;
	golden("routes");
}

static int load(struct config *c, const char *text, char *err, size_t errlen)
{
	config_init(c);
	return config_load_string(c, "t.conf", text, err, errlen);
}

/* fastbgp's api event "graceful-restart;" (RFC 4724 receiver, docs/json.md). */
static void test_api_graceful_restart_event(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	assert_int_equal(load(&c,
			      "process p { run /bin/cat; }\n"
			      "neighbor 192.0.2.1 { local-address 192.0.2.2; local-as 65000; peer-as 65001;\n"
			      "  capability { graceful-restart 120; }\n"
			      "  api { processes [ p ]; graceful-restart; neighbor-changes; } }\n",
			      err, sizeof(err)),
			 0);
	const struct neighbor_conf *n = c.neighbors[0];
	assert_int_equal(n->cap.graceful_restart, 120);
	assert_int_equal(n->apis[0].events, API_GRACEFUL_RESTART | API_NEIGHBOR_CHANGES);
	char *dump = dump_to_string(&c);
	assert_non_null(dump);
	assert_non_null(strstr(dump, "events [ neighbor-changes graceful-restart ]"));
	free(dump);
	config_free(&c);
	assert_int_equal(load(&c,
			      "process p { run /bin/cat; }\n"
			      "neighbor 192.0.2.1 { local-address 192.0.2.2; local-as 65000; peer-as 65001;\n"
			      "  api { processes [ p ]; graceful-restart false; } }\n",
			      err, sizeof(err)),
			 0);
	assert_int_equal(c.neighbors[0]->apis[0].events, 0);
	config_free(&c);
}

static void test_defaults(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	assert_int_equal(load(&c, "neighbor 192.0.2.1 { local-address 192.0.2.2; local-as 65000; peer-as 65001; }", err,
			      sizeof(err)),
			 0);
	assert_int_equal(c.nneighbors, 1);
	const struct neighbor_conf *n = c.neighbors[0];
	assert_string_equal(n->name, "192.0.2.1");
	assert_string_equal(n->file, "t.conf");
	assert_int_equal(n->line, 1);
	assert_int_equal(n->router_id, 0xC0000202); /* falls back to the IPv4 local-address */
	assert_int_equal(n->hold_time, 180);
	assert_false(n->passive);
	assert_true(n->group_updates);
	assert_true(n->auto_flush);
	assert_true(n->adj_rib_out);
	assert_true(n->adj_rib_in);
	assert_false(n->manual_eor);
	assert_int_equal(n->md5_base64, TRI_UNSET);
	assert_int_equal(n->md5_ip.afi, AFI_IPV4); /* md5-ip defaults to local-address */
	assert_int_equal(n->families, FAM_DEFAULT); /* ExaBGP 4.2's families, no MVPN */
	assert_true(n->cap.asn4);
	assert_false(n->cap.route_refresh);
	assert_int_equal(n->cap.graceful_restart, -1);
	assert_int_equal(n->cap.add_path, ADDPATH_NONE);
	assert_true(n->cap.extended_message);
	assert_int_equal(n->cap.nexthop, TRI_FALSE);
	assert_null(n->host_name);
	assert_int_equal(n->routes.n, 0);
	config_free(&c);
}

static void test_bare_booleans(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	/* bare passive means true, bare adj-rib-in / adj-rib-out mean false */
	int rc = load(&c,
		      "neighbor 192.0.2.1 { local-address 192.0.2.2; local-as 1; peer-as 1;\n"
		      " passive; adj-rib-in; adj-rib-out; group-updates; auto-flush; manual-eor;\n"
		      " capability { graceful-restart; route-refresh; asn4; } hold-time 30; }",
		      err, sizeof(err));
	assert_int_equal(rc, 0);
	const struct neighbor_conf *n = c.neighbors[0];
	assert_true(n->passive);
	assert_false(n->adj_rib_in);
	assert_false(n->adj_rib_out);
	assert_true(n->group_updates);
	assert_true(n->auto_flush);
	assert_false(n->manual_eor);
	assert_int_equal(n->cap.graceful_restart, 30); /* bare = hold-time */
	assert_true(n->cap.route_refresh);
	config_free(&c);
}

static void test_templates(void **state)
{
	(void)state;
	const char *dir = golden_dir();
	assert_non_null(dir);
	char path[512], err[512];
	snprintf(path, sizeof(path), "%s/template.conf", dir);
	struct config c;
	config_init(&c);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.nneighbors, 3);
	const struct neighbor_conf *a = c.neighbors[0], *b = c.neighbors[1], *d = c.neighbors[2];
	assert_int_equal(a->hold_time, 60);   /* the neighbor's own value wins */
	assert_false(a->group_updates);       /* from the template */
	assert_int_equal(a->local_as, 65000); /* from the template */
	assert_int_equal(a->cap.graceful_restart, 120);
	assert_int_equal(a->families, FAM_BIT(FAM_IPV4_UNICAST));
	assert_int_equal(a->routes.n, 2);
	assert_int_equal(a->routes.v[0]->nlri[1], 1); /* template routes first */
	assert_int_equal(a->routes.v[1]->nlri[1], 2);
	assert_int_equal(b->hold_time, 30); /* the later template overrides the earlier one */
	assert_int_equal(b->families,
			 FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV4_MULTICAST) | FAM_BIT(FAM_IPV6_UNICAST));
	assert_int_equal(b->napis, 1);
	assert_string_equal(b->apis[0].processes[0], "watcher");
	assert_int_equal(b->routes.n, 3);
	assert_string_equal(d->description, "from both"); /* nested template */
	assert_int_equal(d->routes.n, 2);
	/* template routes are shared; each neighbor holds one reference */
	assert_ptr_equal(a->routes.v[0], b->routes.v[0]);
	assert_ptr_equal(a->routes.v[0], d->routes.v[0]);
	assert_int_equal(a->routes.v[0]->attrs->refcnt, 3);
	config_free(&c);
}

static void test_repeated_blocks_and_missing_brace(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	/* several static / announce blocks add up; the final '}' may be missing */
	int rc = load(&c,
		      "neighbor 192.0.2.1 {\n local-address 192.0.2.2; local-as 1; peer-as 1;\n"
		      " static { route 10.0.0.0/24 next-hop 1.1.1.1; }\n"
		      " announce { ipv4 { unicast 10.0.1.0/24 next-hop 1.1.1.1; } }\n"
		      " static { route 10.0.2.0/24 { next-hop 1.1.1.1; }\n",
		      err, sizeof(err));
	if (rc)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	assert_int_equal(c.neighbors[0]->routes.n, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(c.neighbors[0]->routes.v[i]->nlri[3], i);
	config_free(&c);
}

static void test_processes(void **state)
{
	(void)state;
	const char *dir = golden_dir();
	assert_non_null(dir);
	char path[512], err[512];
	snprintf(path, sizeof(path), "%s/api.conf", dir);
	struct config c;
	config_init(&c);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.nprocesses, 2);
	const struct process_conf *a = c.processes[0], *b = c.processes[1];
	assert_string_equal(a->name, "announcer");
	assert_string_equal(a->argv[0], "/bin/sh");
	assert_string_equal(a->argv[1], "-c");
	assert_string_equal(a->argv[2], "echo announce route 10.0.0.0/24 next-hop self");
	assert_null(a->argv[3]);
	assert_true(a->encoder_given);
	assert_false(a->respawn);
	assert_int_equal(a->line, 2);
	assert_string_equal(b->name, "logger-2");
	assert_int_equal(b->encoder, ENCODER_JSON);
	assert_false(b->encoder_given); /* api.encoder may apply */
	assert_true(b->respawn);
	assert_non_null(strstr(b->argv[0], "cat")); /* found in $PATH */
	const struct neighbor_conf *n = c.neighbors[0];
	assert_int_equal(n->napis, 2);
	assert_null(n->apis[0].name);
	assert_string_equal(n->apis[1].name, "monitor");
	assert_int_equal(n->apis[1].nprocesses, 2);
	assert_int_equal(n->apis[1].events, API_NEIGHBOR_CHANGES | API_NEGOTIATED | API_SIGNAL);
	assert_int_equal(n->apis[1].send, API_MSG_PARSED | API_MSG_PACKETS | API_MSG_UPDATE);
	assert_false(n->apis[1].receive & API_MSG_PACKETS);
	assert_true(n->apis[1].receive & API_MSG_CONSOLIDATE);
	config_free(&c);
}

static void test_load_file_errors(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	config_init(&c);
	assert_int_equal(config_load(&c, "/nonexistent/x.conf", err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.conf:1:1: can not open the configuration (No such file or directory)");
	assert_int_equal(c.nneighbors, 0);
	config_free(&c);
	/* a failed load leaves the configuration empty */
	assert_int_equal(load(&c,
			      "neighbor 192.0.2.1 { local-address 192.0.2.2; local-as 1; peer-as 1;\n"
			      " static { route 10.0.0.0/24 next-hop 1.1.1.1; } }\n"
			      "neighbor 192.0.2.9 { local-address 192.0.2.2; local-as 1; }\n",
			      err, sizeof(err)),
			 -1);
	assert_string_equal(err, "t.conf:3:1: incomplete neighbor, missing peer-as");
	assert_int_equal(c.nneighbors, 0);
	assert_int_equal(c.pool->count, 0);
	config_free(&c);
}

#define NB "neighbor 10.0.0.1 {\n\tlocal-address 10.0.0.2;\n\tlocal-as 1;\n\tpeer-as 1;\n"

static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{NB "\tcolour blue;\n}\n", "t.conf:5:2: unknown neighbor option \"colour\""},
	{NB "}\n" NB "}\n", "t.conf:6:1: neighbor 10.0.0.1 already defined at t.conf:1"},
	{"neighbor 10.0.0.1 {\n\tlocal-address ::1;\n\tlocal-as 1;\n\tpeer-as 1;\n\trouter-id 1.1.1.1;\n}\n",
	 "t.conf:2:2: local-address and peer-address must be of the same family"},
	{"neighbor 10.0.0.1 {\n\tlocal-address 10.0.0.2;\n\tpeer-as 1;\n}\n",
	 "t.conf:1:1: incomplete neighbor, missing local-as"},
	{"neighbor ::1 {\n\tlocal-address ::2;\n\tlocal-as 1;\n\tpeer-as 1;\n}\n",
	 "t.conf:1:1: missing router-id for the peer, it can not be set using the local-ip"},
	{NB "\tfamily { ipv4 unicast; }\n\tstatic { route 2001:db8::/32 next-hop ::1; }\n}\n",
	 "t.conf:6:17: trying to announce a route of family ipv6 unicast, which is not in the neighbor's family block"},
	{NB "\tstatic { route 10.0.0.0/24 med 1; }\n}\n",
	 "t.conf:5:17: invalid route (missing next-hop, label or rd ?)"},
	{NB "\thold-time 2;\n}\n", "t.conf:5:12: holdtime must be zero or at least three seconds"},
	{NB "\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1 community [ 1:70000 ]; }\n}\n",
	 "t.conf:5:58: invalid community 1:70000 (suffix too large)"},
	{"neighbor 10.0.0.1 {\n\tlocal-address 10.0.0.2;\n\tlocal-as 1\n\tpeer-as 1;\n}\n",
	 "t.conf:3:11: missing ';' after \"1\" (a statement ends with its line)"},
	{NB "\tdescription \"abc\n}\n", "t.conf:5:14: unterminated string"},
	{NB "\tinherit nothere;\n}\n",
	 "t.conf:5:10: unknown template \"nothere\" (templates must be defined before use)"},
	{NB "\tstatic { route 10.0.0.1/24 next-hop 1.1.1.1; }\n}\n",
	 "t.conf:5:17: invalid network 10.0.0.1 for netmask 24"},
	{"}\n", "t.conf:1:1: unexpected '}' (no section to close)"},
	{NB "\tapi { processes [ ghost ]; }\n}\n",
	 "t.conf:5:20: the api uses process \"ghost\", which is not defined"},
	{"neighbor 10.0.0.0/24 {\n\tlocal-address 10.0.0.2;\n\tlocal-as 1;\n\tpeer-as 1;\n}\n",
	 "t.conf:1:10: can only use ip ranges for the peer address with passive neighbors"},
	{NB "\tpassive maybe;\n}\n",
	 "t.conf:5:10: invalid value (maybe) for a boolean (true, false, enable or disable)"},
	{"router bgp {\n}\n", "t.conf:1:1: unknown section \"router\" (expecting process, template or neighbor)"},
	{NB "\tflow { route x { match { source 10.0.0.1/32; } then { explode; } } }\n}\n",
	 "t.conf:5:56: unknown then keyword \"explode\""},
	{NB "\tfamily { ipv4 banana; }\n}\n", "t.conf:5:16: invalid afi/safi pair ipv4/banana"},
	{NB "\tmd5-password "
	    "\"123456789012345678901234567890123456789012345678901234567890123456789012345678901\";\n}\n",
	 "t.conf:5:2: MD5 password must be no larger than 80 characters"},
	{NB "\tcapability { graceful-restart 5000; }\n}\n",
	 "t.conf:5:32: graceful-restart must be smaller or equal to 4095"},
	{"process p {\n}\n", "t.conf:1:1: process p has no run command"},
	{"process p {\n\tnats nats://127.0.0.1:4222;\n}\n", "t.conf:1:1: process p uses nats but has no subject"},
	{"process p {\n\tnats http://127.0.0.1;\n}\n",
	 "t.conf:2:7: \"http://127.0.0.1\" is not a NATS URL (nats://host:port or tls://host:port)"},
	{"process p {\n\tnats nats://h:1;\n\tsubject bgp.*;\n}\n",
	 "t.conf:3:10: \"bgp.*\" is not a valid subject (letters, digits, _ and -, tokens separated by dots; at most 200)"},
	{"process p {\n\tnats nats://h:1;\n\tsubject a..b;\n}\n",
	 "t.conf:3:10: \"a..b\" is not a valid subject (letters, digits, _ and -, tokens separated by dots; at most 200)"},
	{"process p {\n\tnats nats://h:1;\n\tsubject a.b;\n\tstream X.Y;\n}\n",
	 "t.conf:4:9: \"X.Y\" is not a valid stream name (letters, digits, _ and -; at most 200)"},
	{"process p {\n\tsubject a.b;\n\trun /bin/cat;\n}\n", "t.conf:1:1: process p: subject and stream need nats URL"},
	{"process p {\n\tnats nats://h:1;\n\tsubject a.b;\n\trun /bin/cat;\n}\n",
	 "t.conf:1:1: process p has both run and nats: one transport only"},
	{"process p {\n\trun /nonexistent/prog --flag;\n}\n",
	 "t.conf:2:6: can not locate the program \"/nonexistent/prog\""},
	{NB "\tlocal-as 1 2;\n}\n",
	 "t.conf:5:13: unexpected \"2\" after the value of local-as (quote values with spaces)"},
	{NB "\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1 }\n}\n", "t.conf:5:46: missing ';' before '}'"},
	{NB "\tannounce { ipv4 { unicast 2001:db8::/32 next-hop ::1; } }\n}\n",
	 "t.conf:5:28: 2001:db8::/32 is not an ipv4 prefix"},
	{NB "\tfamily { ipv4 unicast; }\n\tstatic { route 10.0.0.0/24 next-hop 1.1.1.1 label 5; }\n}\n",
	 "t.conf:6:17: trying to announce a route of family ipv4 nlri-mpls, which is not in the neighbor's family block"},
	{NB "\tl2vpn { vpls site { endpoint 5; } }\n}\n", "t.conf:5:10: vpls nlri next-hop missing"},
	{NB "\tl2vpn { vpls endpoint 5 base 10 offset 1 size 8 next-hop 1.1.1.1; }\n}\n",
	 "t.conf:5:10: vpls nlri route-distinguisher missing"},
	{NB "\tannounce { l2vpn { vpls x { endpoint 5; } } }\n}\n",
	 "t.conf:5:21: vpls { } is not valid in announce l2vpn (write vpls WORDS;)"},
	{NB "\tannounce { ipv4 { nlri-mpls 10.0.0.0/24 next-hop 1.1.1.1 label 5 rd 1:1; } }\n}\n",
	 "t.conf:5:67: rd is not valid in this section"},
	{NB "\tannounce { ipv4 { mpls-vpn 10.0.0.0/24 next-hop 1.1.1.1 rd 1:1; } }\n}\n",
	 "t.conf:5:20: invalid announcement (missing next-hop, label or rd ?)"},
	{"template {\n\tneighbor a { hold-time 10; }\n\tneighbor a { }\n}\n",
	 "t.conf:3:11: the name \"a\" already exists in template-neighbor"},
	{"neighbor 10.0.0.1 {\n", "t.conf:1:1: incomplete neighbor, missing local-address"},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config c;
		char err[512] = "";
		int rc = load(&c, bad[i].text, err, sizeof(err));
		if (rc != -1 || strcmp(err, bad[i].err))
			fprintf(stderr, "case %zu:\n%s\n got  %s\n want %s\n", i, bad[i].text, err, bad[i].err);
		assert_int_equal(rc, -1);
		assert_string_equal(err, bad[i].err);
		assert_int_equal(c.nneighbors, 0);
		config_free(&c);
	}
}

/* Thousands of neighbors: the duplicate check (a hash by peer address)
 * still finds the first definition, and tells apart neighbors that share an
 * address but not a local address. */
static void test_many_neighbors_duplicate(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	/* lines 1-2000: 2000 peers; lines 2001-4000: one peer from 2000 local addresses */
	for (int i = 0; i < 2000; i++)
		fprintf(f, "neighbor 10.%d.%d.1 { local-address 10.0.0.2; local-as 1; peer-as 2; }\n", i / 256, i % 256);
	for (int i = 0; i < 2000; i++)
		fprintf(f, "neighbor 192.0.2.1 { local-address 11.%d.%d.1; local-as 1; peer-as 2; }\n", i / 256, i % 256);
	fclose(f);
	struct config c;
	char err[512];
	assert_int_equal(load(&c, text, err, sizeof(err)), 0);
	assert_int_equal(c.nneighbors, 4000);
	config_free(&c);
	static const struct {
		const char *line;
		const char *err;
	} dups[] = {
		{"neighbor 10.5.208.1 { local-address 10.0.0.2; local-as 1; peer-as 2; }\n",
		 "t.conf:4001:1: neighbor 10.5.208.1 already defined at t.conf:1489"},
		{"neighbor 192.0.2.1 { local-address 11.3.3.1; local-as 1; peer-as 2; }\n",
		 "t.conf:4001:1: neighbor 192.0.2.1 already defined at t.conf:2772"},
	};
	for (size_t k = 0; k < sizeof(dups) / sizeof(dups[0]); k++) {
		char *dup = malloc(len + 128);
		assert_non_null(dup);
		snprintf(dup, len + 128, "%s%s", text, dups[k].line);
		assert_int_equal(load(&c, dup, err, sizeof(err)), -1);
		assert_string_equal(err, dups[k].err);
		config_free(&c);
		free(dup);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_defaults),
		cmocka_unit_test(test_golden_options),
		cmocka_unit_test(test_golden_template),
		cmocka_unit_test(test_golden_api),
		cmocka_unit_test(test_api_graceful_restart_event),
		cmocka_unit_test(test_golden_routes),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_bare_booleans),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_repeated_blocks_and_missing_brace),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_many_neighbors_duplicate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
