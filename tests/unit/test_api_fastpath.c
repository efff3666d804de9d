/* The fast paths of the helper command pipeline give exactly what the
 * general code gives:
 *   - api_normalise skips its rewrite for text already in normal form: its
 *     output is compared with the rewriting loop's on random text;
 *   - the route grammar tokenises simple command text itself and hands
 *     anything else (quotes, comments, backslashes, tabs) to the
 *     configuration lexer: the same commands with " #" appended (a comment,
 *     which sends them through the lexer) must parse to the same routes,
 *     errors and error columns;
 *   - "announce route" remembers the attributes parsed after a prefix: the
 *     same texts with other prefixes (memo hits) must also parse as through
 *     the lexer;
 *   - "announce route" / "withdraw route" lines are taken raw (not
 *     normalised) and parsed as they are when the tokeniser finds them in
 *     normal form: random lines with every kind of spacing must give the
 *     same text, routes and errors as normalising first;
 *   - av_prefix's IPv4 fast path against the general code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/command.h"
#include "config/attr_values.h"
#include "config/route_grammar.h"

/* ---- normalisation ------------------------------------------------------ */

static void check_normalise(const char *in, size_t len, size_t outlen)
{
	char want[512], got[512];
	size_t nw = api_normalise_rewrite(in, len, want, outlen);
	size_t ng = api_normalise(in, len, got, outlen);
	if (nw != ng || memcmp(want, got, nw + 1)) {
		print_error("input \"%.*s\" (outlen %zu): want \"%s\", got \"%s\"\n", (int)len, in, outlen, want, got);
		fail();
	}
}

static void test_normalise_random(void **state)
{
	(void)state;
	static const char alphabet[] = "  ab1:[]()\t,\r";
	uint32_t seed = 12345;
	char in[64];
	for (int round = 0; round < 300000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t len = (seed >> 16) % 24;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		in[len] = '\0';
		check_normalise(in, len, sizeof(in) * 3 + 1);
		check_normalise(in, len, 1 + (round % 8)); /* truncated output */
	}
}

static void test_normalise_cases(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 community [ 65000:1 65000:2 ]",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 community [65000:1 65000:2]",
		"a [ b ]", "a [ b ] ", " a [ b ]", "[ a ]", "] a", "a [", "a , b", "a ,b", "a, b", ",", "(", ")",
		"a ( b ( c ) )", "a  b", "a\tb", "a \r b", "a\vb", "x", "", " ", "\t",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_normalise(cases[i], strlen(cases[i]), 512);
}

/* ---- route grammar: simple tokeniser against the lexer --------------------- */

struct fixture {
	struct attr_pool pool;
	struct rg_ctx g;
	struct route_list a, b;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	attr_pool_init(&f->pool);
	rg_init(&f->g, &f->pool, NULL);
	*state = f;
	return 0;
}

static void release(struct fixture *f, struct route_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rg_route_release(&f->g, l->v[i]);
	l->n = 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	release(f, &f->a);
	release(f, &f->b);
	route_list_free(&f->a);
	route_list_free(&f->b);
	rg_free(&f->g);
	assert_int_equal(f->pool.count, 0);
	attr_pool_free(&f->pool);
	free(f);
	return 0;
}

static void same_result(struct fixture *f, enum rg_command form, bool withdraw, const char *text)
{
	char slow[1024];
	snprintf(slow, sizeof(slow), "%s #", text);
	int ra = route_grammar_parse_command(&f->g, form, withdraw, text, &f->a);
	struct rg_error ea = f->g.err;
	int rb = route_grammar_parse_command(&f->g, form, withdraw, slow, &f->b);
	struct rg_error eb = f->g.err;
	if (ra != rb || (ra < 0 && (strcmp(ea.msg, eb.msg) || ea.col != eb.col || ea.line != eb.line))) {
		print_error("\"%s\": %d \"%s\" at %d:%d, through the lexer %d \"%s\" at %d:%d\n", text, ra, ea.msg,
			    ea.line, ea.col, rb, eb.msg, eb.line, eb.col);
		fail();
	}
	assert_int_equal(f->a.n, f->b.n);
	for (size_t i = 0; i < f->a.n; i++) {
		const struct route *x = f->a.v[i], *y = f->b.v[i];
		assert_int_equal(x->family, y->family);
		assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->path_id, y->path_id);
		assert_int_equal(x->nlri_len, y->nlri_len);
		assert_memory_equal(x->nlri, y->nlri, x->nlri_len);
		assert_ptr_equal(x->attrs, y->attrs); /* the same interned set */
		assert_true((x->name == NULL) == (y->name == NULL));
		if (x->name)
			assert_string_equal(x->name, y->name);
		assert_true((x->watchdog == NULL) == (y->watchdog == NULL));
		if (x->watchdog)
			assert_string_equal(x->watchdog, y->watchdog);
	}
	release(f, &f->a);
	release(f, &f->b);
}

static void test_tokeniser_matches_lexer(void **state)
{
	struct fixture *f = *state;
	static const char *const routes[] = {
		"10.0.0.0/24 next-hop 1.2.3.4",
		"10.0.0.0/24 next-hop 1.2.3.4;",
		"10.0.0.0/24 next-hop 1.2.3.4 ;",
		"10.0.0.0/24 next-hop self origin igp as-path [ 65001 65100 ] med 0 community [ 65001:0 65001:100 ]",
		"10.0.0.0/24 next-hop 1.2.3.4 as-path [65001 (65002 65003)] community [65001:1,65001:2]",
		"10.0.0.0/24 next-hop 1.2.3.4 as-path [ 1 ( 2 ) ] large-community [ 1:2:3 ] extended-community [ target:1:2 ]",
		"2001:db8::/48 next-hop 2001:db8::1 med 5 local-preference 7 atomic-aggregate aggregator ( 1:1.2.3.4 )",
		"10.0.0.0/24 { next-hop 1.2.3.4; med 5; }",
		"10.0.0.0/24 {next-hop 1.2.3.4;med 5;}",
		"10.0.0.0/24 { next-hop 1.2.3.4; med 5 }",
		"10.0.0.0/24 { next-hop 1.2.3.4; med 5; } x",
		"10.0.0.0/22 next-hop 1.2.3.4 split /24 name n1 watchdog w1 withdraw",
		"10.0.0.0/24 next-hop 1.2.3.4 label [ 100 ] rd 1:1",
		"10.0.0.0/24 next-hop 1.2.3.4 path-information 1.2.3.4",
		"10.0.0.0/24 next-hop 1.2.3.4 med",
		"10.0.0.0/24 next-hop 1.2.3.4 med x",
		"10.0.0.0/24 next-hop 1.2.3.4 bogus 1",
		"10.0.0.0/24 next-hop 1.2.3.4 community [ 65001:1",
		"10.0.0.0/24 next-hop 1.2.3.4 community [ 65536:1 ]",
		"10.0.0.0/24 next-hop 1.2.3.4 as-path [ 1 ) ]",
		"10.0.0.1/24 next-hop 1.2.3.4",
		"10.0.0.0/24",
		"10.0.0.0/24 med 5",
		"x",
		"[",
		"; ; ;",
		"10.0.0.0/24 next-hop 1.2.3.4 attribute [ 0x20 0xc0 0x0000fde800000001 ]",
		"10.0.0.0/24 next-hop 1.2.3.4 med 1;;",
		"10.0.0.0/24 next-hop 1.2.3.4 label [ 1 2 3 4 5 6 7 8 9 ] rd 1:1",
		"10.0.0.0/24 next-hop 1.2.3.4 label [ 1 2 3 4 5 6 7 8 ]",
		"10.0.0.0/24 next-hop 1.2.3.4 label [ 1 2 3 4 5 6 7 8 ] rd 1:1",
		"10.0.0.0/24 next-hop 1.2.3.4 rd 1:1 med 5 label [ 1 2 3 4 5 6 7 8 ]",
		"10.0.0.0/24 next-hop 1.2.3.4 split /26",
		"10.0.0.0/24  next-hop  1.2.3.4  med 7",
		"10.0.0.0/24 next-hop self",
		"10.0.0.0/24 ",
		"10.0.0.0/24 name a-name watchdog dog path-information 9 med 1",
	};
	static const char *const prefixes[] = {
		"192.168.100.0/24", "1.0.0.0/8", "10.0.0.1/32", "2001:db8::/32", "224.1.1.0/24", "bad", "10.0.0.0/33",
		"0.0.0.0/0", "10.0.0.0/24",
	};
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		for (int withdraw = 0; withdraw < 2; withdraw++) {
			same_result(f, RG_CMD_ROUTE, withdraw, routes[i]);
			/* the same attributes after other prefixes */
			const char *rest = strchr(routes[i], ' ');
			for (size_t j = 0; rest && j < sizeof(prefixes) / sizeof(prefixes[0]); j++) {
				char text[512];
				snprintf(text, sizeof(text), "%s%s", prefixes[j], rest);
				same_result(f, RG_CMD_ROUTE, withdraw, text);
				snprintf(text, sizeof(text), "  %s%s", prefixes[j], rest);
				same_result(f, RG_CMD_ROUTE, withdraw, text);
			}
		}
	}
	same_result(f, RG_CMD_ATTRIBUTES, false, "next-hop 1.2.3.4 med 5 nlri 10.0.0.0/24 10.0.1.0/24");
	same_result(f, RG_CMD_ATTRIBUTES, false, "next-hop 1.2.3.4 med 5 nlri");
	same_result(f, RG_CMD_ATTRIBUTES, false, "next-hop self community [ 1:1 ] nlri 10.0.0.0/24 2001:db8::/32");
	same_result(f, RG_CMD_IPV4, false, "unicast 10.0.0.0/24 next-hop 1.2.3.4");
	same_result(f, RG_CMD_IPV6, false, "unicast 10.0.0.0/24 next-hop 1.2.3.4");
	same_result(f, RG_CMD_VPLS, false,
		    "endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1");
}

/* ---- raw route commands ---------------------------------------------------- */

struct raw_fixture {
	struct attr_pool pool;
	struct rg_ctx g1, g2;
	struct route_list a, b;
	struct api_command c1, c2;
};

static int raw_setup(void **state)
{
	struct raw_fixture *f = calloc(1, sizeof(*f));
	attr_pool_init(&f->pool);
	rg_init(&f->g1, &f->pool, NULL);
	rg_init(&f->g2, &f->pool, NULL);
	api_command_init(&f->c1);
	api_command_init(&f->c2);
	*state = f;
	return 0;
}

static void raw_release(struct rg_ctx *g, struct route_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rg_route_release(g, l->v[i]);
	l->n = 0;
}

static int raw_teardown(void **state)
{
	struct raw_fixture *f = *state;
	raw_release(&f->g1, &f->a);
	raw_release(&f->g2, &f->b);
	route_list_free(&f->a);
	route_list_free(&f->b);
	rg_free(&f->g1);
	rg_free(&f->g2);
	api_command_free(&f->c1);
	api_command_free(&f->c2);
	assert_int_equal(f->pool.count, 0);
	attr_pool_free(&f->pool);
	free(f);
	return 0;
}

/* What api_cmd.c's do_routes does with a route command line, against
 * normalising first (and the full lexer: " #" appended). */
static void raw_same(struct raw_fixture *f, const char *line)
{
	size_t len = strlen(line);
	/* the memo may hold the same text parsed as it is (not normalised) */
	if (!strncmp(line, "announce route ", 15)) {
		route_grammar_parse_command(&f->g1, RG_CMD_ROUTE, false, line + 15, &f->a);
		raw_release(&f->g1, &f->a);
	}
	api_command_parse(&f->c1, line, len);
	api_command_parse(&f->c2, line, len);
	api_command_normalise(&f->c2);
	assert_false(f->c2.raw);
	assert_int_equal(f->c1.kind, f->c2.kind);
	assert_string_equal(f->c1.name, f->c2.name);
	if (f->c2.kind != API_CMD_ANNOUNCE_ROUTE && f->c2.kind != API_CMD_WITHDRAW_ROUTE) {
		assert_false(f->c1.raw);
		return;
	}
	bool withdraw = f->c1.kind == API_CMD_WITHDRAW_ROUTE;
	int ra = RG_NOT_NORMAL;
	if (f->c1.raw)
		ra = route_grammar_parse_normal(&f->g1, RG_CMD_ROUTE, withdraw, f->c1.text, &f->a);
	if (ra == RG_NOT_NORMAL) {
		api_command_normalise(&f->c1);
		ra = route_grammar_parse_command(&f->g1, RG_CMD_ROUTE, withdraw, f->c1.text, &f->a);
	}
	/* after parsing, the text is the normalised one in every case */
	assert_string_equal(f->c1.text, f->c2.text);
	char slow[1024];
	snprintf(slow, sizeof(slow), "%s #", f->c2.text);
	int rb = route_grammar_parse_command(&f->g2, RG_CMD_ROUTE, withdraw, slow, &f->b);
	struct rg_error ea = f->g1.err, eb = f->g2.err;
	if (ra != rb || (ra < 0 && (strcmp(ea.msg, eb.msg) || ea.col != eb.col || ea.line != eb.line))) {
		print_error("\"%s\": %d \"%s\" at %d:%d, normalised %d \"%s\" at %d:%d\n", line, ra, ea.msg, ea.line,
			    ea.col, rb, eb.msg, eb.line, eb.col);
		fail();
	}
	assert_int_equal(f->a.n, f->b.n);
	for (size_t i = 0; i < f->a.n; i++) {
		const struct route *x = f->a.v[i], *y = f->b.v[i];
		assert_int_equal(x->family, y->family);
		assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->path_id, y->path_id);
		assert_int_equal(x->nlri_len, y->nlri_len);
		assert_memory_equal(x->nlri, y->nlri, x->nlri_len);
		assert_ptr_equal(x->attrs, y->attrs);
	}
	raw_release(&f->g1, &f->a);
	raw_release(&f->g2, &f->b);
}

static void test_raw_route_commands(void **state)
{
	struct raw_fixture *f = *state;
	static const char *const fixed[] = {
		"announce route 10.0.0.0/24 next-hop 1.2.3.4",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 ",
		"announce route  10.0.0.0/24 next-hop 1.2.3.4",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 community [65001:1 65001:2]",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 community [ 65001:1,65001:2 ]",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 as-path [ 1 (2 3) ]",
		"announce route ]",
		"announce route , x",
		"announce route [ x",
		"announce route ",
		"announce route",
		"withdraw route 10.0.0.0/24",
		"withdraw route 10.0.0.0/24\t",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 name \"a  [b\"",
		"announce route 10.0.0.0/24 next-hop 1.2.3.4 # a [ comment",
		"announce route 10.0.0.0/24 { next-hop 1.2.3.4; med 5; }",
		"announce route 10.0.0.0/24{next-hop 1.2.3.4;}",
		"announce routes 10.0.0.0/24 next-hop 1.2.3.4",
		"announce route\t10.0.0.0/24 next-hop 1.2.3.4",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		raw_same(f, fixed[i]);
	static const char *const words[] = {
		"10.0.0.0/24", "10.0.1.0/24", "2001:db8::/48", "10.0.0.1/24", "next-hop", "1.2.3.4", "self", "med", "5",
		"as-path", "[", "]", "(", ")", ",", "65001", "community", "65001:1", "large-community", "1:2:3", "{", "}",
		";", "\"x y\"", "name", "origin", "igp", "#c", "label", "100", "rd", "1:1", "split", "/26", "withdraw",
		"watchdog", "w",
	};
	static const char *const seps[] = {" ", " ", " ", " ", "  ", "\t", ""};
	static const char *const heads[] = {"announce route ", "withdraw route ", "announce route  ", " announce route "};
	uint32_t seed = 777;
#define RND(n) (seed = seed * 1103515245u + 12345u, (seed >> 16) % (n))
	for (int round = 0; round < 30000; round++) {
		char line[512];
		size_t o = 0;
		/* mostly well-formed commands: a prefix and attribute words */
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s", heads[RND(10) ? 0 : RND(4)]);
		if (RND(8)) {
			const char *p = words[RND(4)];
			const char *nh = RND(2) ? "1.2.3.4" : "self";
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%s next-hop %s", p, nh);
		}
		int n = (int)RND(10);
		for (int i = 0; i < n && o < sizeof(line) - 40; i++) {
			const char *sep = seps[RND(4) ? 0 : RND(sizeof(seps) / sizeof(seps[0]))];
			const char *w = words[RND(sizeof(words) / sizeof(words[0]))];
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s", sep, w);
		}
		if (!RND(10))
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%s", seps[RND(6)]);
		raw_same(f, line);
	}
#undef RND
}

/* ---- av_prefix ------------------------------------------------------------- */

/* The general code of av_prefix (the reference for its fast path). */
static int reference_prefix(const char *s, bool strict, struct ip_addr *addr, uint8_t *plen)
{
	char ip[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(ip))
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (av_ip(ip, addr) < 0)
		return -1;
	unsigned max = addr->afi == AFI_IPV4 ? 32 : 128;
	uint64_t len = max;
	if (slash && av_uint(slash + 1, max, &len) < 0)
		return -1;
	*plen = (uint8_t)len;
	for (unsigned i = 0; i < max / 8; i++) {
		unsigned bit0 = i * 8;
		uint8_t keep = bit0 >= len ? 0 : bit0 + 8 <= len ? 0xFF : (uint8_t)(0xFF << (8 - (len - bit0)));
		if (addr->addr[i] & (uint8_t)~keep) {
			if (strict)
				return -1;
			addr->addr[i] &= keep;
		}
	}
	return 0;
}

static void test_prefix_fast_path(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789../";
	uint32_t seed = 99;
	char s[32], why[200];
	for (int round = 0; round < 400000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t len = 7 + (seed >> 16) % 12;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		s[len] = '\0';
		if (round % 3 == 0) /* more well-formed ones */
			snprintf(s, sizeof(s), "%u.%u.%u.%u/%u", (seed >> 8) % 300, (seed >> 4) % 256, seed % 4 ? 0 : 1,
				 0u, (seed >> 20) % 40);
		for (int strict = 0; strict < 2; strict++) {
			struct ip_addr a, b;
			uint8_t la = 0, lb = 0;
			memset(&a, 0, sizeof(a));
			memset(&b, 0, sizeof(b));
			int ra = av_prefix(s, strict, &a, &la, why, sizeof(why));
			int rb = reference_prefix(s, strict, &b, &lb);
			if (ra != rb) {
				print_error("\"%s\" strict %d: %d, reference %d\n", s, strict, ra, rb);
				fail();
			}
			if (ra == 0) {
				assert_int_equal(la, lb);
				assert_int_equal(a.afi, b.afi);
				assert_memory_equal(a.addr, b.addr, sizeof(a.addr));
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise_cases),
		cmocka_unit_test(test_normalise_random),
		cmocka_unit_test_setup_teardown(test_tokeniser_matches_lexer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_route_commands, raw_setup, raw_teardown),
		cmocka_unit_test(test_prefix_fast_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
