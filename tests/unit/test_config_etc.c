/* ExaBGP 4.2's own configurations (../shared/conformance/exabgp-4.2/etc,
 * read in place): every one must load, except those that need families
 * not supported yet (FlowSpec), which must say so cleanly.
 * Skipped, with a message, when the folder is absent. */
#include <dirent.h>
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

static const char *etc_dir(void)
{
	static char found[512];
	const char *env = getenv("FASTBGP_CONFORMANCE_DIR");
	if (env) {
		snprintf(found, sizeof(found), "%s/etc", env);
		if (access(found, R_OK) == 0)
			return found;
	}
	static const char *const dirs[] = {"../shared/conformance/exabgp-4.2/etc",
					   "../../shared/conformance/exabgp-4.2/etc"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (access(dirs[i], R_OK) == 0)
			return dirs[i];
	return NULL;
}

/* Configurations refused as not supported yet (NULL-terminated; now empty). */
static const char *const not_yet[] = {
	NULL,
};

static int is_not_yet(const char *name)
{
	for (size_t i = 0; not_yet[i]; i++)
		if (!strcmp(name, not_yet[i]))
			return 1;
	return 0;
}

static int load(struct config *c, const char *name, char *err, size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", etc_dir(), name);
	config_init(c);
	return config_load(c, path, err, errlen);
}

static void test_every_conf(void **state)
{
	(void)state;
	const char *dir = etc_dir();
	if (!dir) {
		fprintf(stderr, "SKIP: ../shared/conformance/exabgp-4.2/etc is absent\n");
		skip();
	}
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	int loaded = 0, refused = 0;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".conf"))
			continue;
		struct config c;
		char err[1024] = "";
		int rc = load(&c, e->d_name, err, sizeof(err));
		if (is_not_yet(e->d_name)) {
			if (rc == 0 || !strstr(err, "not supported yet"))
				fprintf(stderr, "%s: expected a 'not supported yet' error, got %d %s\n", e->d_name, rc, err);
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err, "not supported yet"));
			/* file:line:col: message */
			assert_non_null(strstr(err, e->d_name));
			refused++;
		} else {
			if (rc)
				fprintf(stderr, "%s: %s\n", e->d_name, err);
			assert_int_equal(rc, 0);
			assert_true(c.nneighbors >= 1);
			loaded++;
		}
		config_free(&c);
	}
	closedir(d);
	fprintf(stderr, "%d configurations loaded, %d refused as not supported yet\n", loaded, refused);
	assert_true(loaded >= 20);
}

static void test_split(void **state)
{
	(void)state;
	if (!etc_dir())
		skip();
	struct config c;
	char err[1024];
	assert_int_equal(load(&c, "conf-split.conf", err, sizeof(err)), 0); /* its last '}' is missing */
	const struct neighbor_conf *n = c.neighbors[0];
	assert_false(n->group_updates); /* "group-updates disable" */
	assert_int_equal(n->routes.n, 8);
	for (size_t i = 0; i < 8; i++) {
		const uint8_t want[4] = {24, 172, 10, (uint8_t)i};
		assert_memory_equal(n->routes.v[i]->nlri, want, 4);
		assert_ptr_equal(n->routes.v[i]->attrs, n->routes.v[0]->attrs);
	}
	config_free(&c);
}

static void test_template(void **state)
{
	(void)state;
	if (!etc_dir())
		skip();
	struct config c;
	char err[1024];
	assert_int_equal(load(&c, "conf-template.conf", err, sizeof(err)), 0);
	const struct neighbor_conf *n = c.neighbors[0];
	assert_int_equal(n->local_as, 65533);
	assert_int_equal(n->cap.graceful_restart, 1200);
	assert_false(n->group_updates);
	assert_string_equal(n->description, "router 2 with two routes from inheritance");
	assert_int_equal(n->routes.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(n->routes.v[i]->nlri[1], i + 1); /* 1.0.0.0/8 (template) then 2, 3, 4 */
	config_free(&c);
}

static void test_specific(void **state)
{
	(void)state;
	if (!etc_dir())
		skip();
	struct config c;
	char err[1024];
	assert_int_equal(load(&c, "conf-ipself6.conf", err, sizeof(err)), 0);
	assert_int_equal(c.neighbors[0]->router_id, 0x7F000002);
	assert_int_equal(c.neighbors[0]->families, FAM_BIT(FAM_IPV6_UNICAST));
	assert_int_equal(c.neighbors[0]->routes.v[0]->attrs->nh.kind, NH_SELF);
	assert_int_equal(c.neighbors[0]->routes.v[0]->attrs->nh.len, 16);
	config_free(&c);

	assert_int_equal(load(&c, "extended-nexthop.conf", err, sizeof(err)), 0);
	assert_int_equal(c.neighbors[0]->cap.nexthop, TRI_TRUE);
	assert_int_equal(c.neighbors[0]->nnexthops, 3);
	assert_int_equal(c.neighbors[0]->nexthops[0].family, FAM_IPV4_UNICAST);
	assert_int_equal(c.neighbors[0]->nexthops[0].nh_afi, AFI_IPV6);
	config_free(&c);

	assert_int_equal(load(&c, "parse-dual-neighbor.conf", err, sizeof(err)), 0);
	assert_int_equal(c.nneighbors, 2);
	assert_int_equal(c.neighbors[1]->routes.n, 10);
	config_free(&c);

	assert_int_equal(load(&c, "parse-md5.conf", err, sizeof(err)), 0);
	assert_string_equal(c.neighbors[0]->md5_password, "abc123");
	config_free(&c);

	assert_int_equal(load(&c, "parse-ttl.conf", err, sizeof(err)), 0);
	assert_int_equal(c.neighbors[0]->outgoing_ttl, 1);
	config_free(&c);

	assert_int_equal(load(&c, "conf-no-asn4.conf", err, sizeof(err)), 0);
	assert_false(c.neighbors[0]->cap.asn4);
	config_free(&c);

	assert_int_equal(load(&c, "conf-path-information.conf", err, sizeof(err)), 0);
	assert_int_equal(c.neighbors[0]->cap.add_path, ADDPATH_BOTH);
	assert_int_equal(c.neighbors[0]->cap.add_path_families, FAM_BIT(FAM_IPV4_UNICAST));
	assert_int_equal(c.neighbors[0]->routes.n, 3);
	assert_int_equal(c.neighbors[0]->routes.v[1]->path_id, 2);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_conf),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_specific),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
