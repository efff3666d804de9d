/* The helper command parser: every command, selectors, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>

#include "api/command.h"
#include "api/command_int.h"
#include "nlri/family.h"

static struct api_command c;

static int setup(void **state)
{
	(void)state;
	api_command_init(&c);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	api_command_free(&c);
	return 0;
}

static int parse(const char *s)
{
	return api_command_parse(&c, s, strlen(s));
}

static void test_normalise(void **state)
{
	(void)state;
	char out[256];
	const char *in = "  announce\troute 1.0.0.0/8 next-hop 1.2.3.4 community [65000:1  65000:2],x(y)  \r\n";
	api_normalise(in, strlen(in), out, sizeof(out));
	assert_string_equal(out, "announce route 1.0.0.0/8 next-hop 1.2.3.4 community [ 65000:1 65000:2 ] , x( y )");
}

static void test_routes(void **state)
{
	(void)state;
	assert_int_equal(parse("announce route 10.0.0.0/24 next-hop self"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_ROUTE);
	assert_string_equal(c.text, "10.0.0.0/24 next-hop self");
	assert_string_equal(c.name, "announce route");
	assert_int_equal(c.sel.n, 0);
	assert_int_equal(parse("withdraw route 10.0.0.0/24"), 0);
	assert_int_equal(c.kind, API_CMD_WITHDRAW_ROUTE);
	assert_string_equal(c.text, "10.0.0.0/24");
	assert_int_equal(parse("announce attribute next-hop 1.2.3.4 nlri 1.0.0.0/8 2.0.0.0/8"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_ATTRIBUTES);
	assert_string_equal(c.text, "next-hop 1.2.3.4 nlri 1.0.0.0/8 2.0.0.0/8");
	assert_int_equal(parse("announce attributes med 5 nlri 1.0.0.0/8"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_ATTRIBUTES);
	assert_int_equal(parse("withdraw attributes nlri 1.0.0.0/8"), 0);
	assert_int_equal(c.kind, API_CMD_WITHDRAW_ATTRIBUTES);
	assert_int_equal(parse("withdraw attribute nlri 1.0.0.0/8"), -1); /* not an ExaBGP command */
	assert_int_equal(parse("announce flow route { match { destination 10.0.0.1/32; } then { discard; } }"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_FLOW);
	assert_string_equal(c.text, "route { match { destination 10.0.0.1/32; } then { discard; } }");
	assert_int_equal(parse("withdraw flow route destination 10.0.0.1/32 discard"), 0);
	assert_int_equal(c.kind, API_CMD_WITHDRAW_FLOW);
	assert_int_equal(parse("announce vpls endpoint 5 base 10 offset 1 size 8 rd 1:1 next-hop 1.1.1.1"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_VPLS);
	assert_int_equal(parse("withdraw vpls endpoint 5 base 10 offset 1 size 8 rd 1:1"), 0);
	assert_int_equal(c.kind, API_CMD_WITHDRAW_VPLS);
	assert_int_equal(parse("announce ipv6 unicast 2001:db8::/32 next-hop ::1"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_IPV6);
	assert_string_equal(c.text, "unicast 2001:db8::/32 next-hop ::1");
	assert_int_equal(parse("withdraw ipv4 unicast 1.0.0.0/8"), 0);
	assert_int_equal(c.kind, API_CMD_WITHDRAW_IPV4);
	assert_int_equal(parse("announce route"), 0); /* the grammar reports the missing prefix */
	assert_string_equal(c.text, "");
}

static void test_eor_refresh(void **state)
{
	(void)state;
	assert_int_equal(parse("announce eor"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_EOR);
	assert_false(c.has_family);
	assert_int_equal(c.afi, AFI_IPV4);
	assert_int_equal(c.safi, SAFI_UNICAST);
	assert_int_equal(parse("announce eor ipv6 flow"), 0);
	assert_true(c.has_family);
	assert_int_equal(c.afi, AFI_IPV6);
	assert_int_equal(c.safi, SAFI_FLOW);
	assert_int_equal(parse("announce eor ipv6"), -1);
	assert_int_equal(parse("announce eor ipv7 unicast"), -1);
	assert_int_equal(parse("announce eor ipv4 unicast extra"), -1);
	assert_int_equal(parse("announce route-refresh ipv4 mpls-vpn"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_REFRESH);
	assert_int_equal(c.safi, SAFI_MPLS_VPN);
	assert_int_equal(parse("announce route-refresh"), -1);
	assert_int_equal(parse("withdraw eor"), -1);
}

static void test_misc(void **state)
{
	(void)state;
	assert_int_equal(parse("announce watchdog dnsr"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_WATCHDOG);
	assert_string_equal(c.watchdog, "dnsr");
	assert_int_equal(parse("withdraw watchdog"), 0);
	assert_int_equal(c.kind, API_CMD_WITHDRAW_WATCHDOG);
	assert_string_equal(c.watchdog, "");
	assert_int_equal(parse("announce operational asm afi ipv4 safi unicast advisory \"x\""), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_OPERATIONAL);
	assert_string_equal(c.text, "asm afi ipv4 safi unicast advisory \"x\"");
	assert_int_equal(parse("neighbor 10.0.0.1 teardown 2"), 0);
	assert_int_equal(c.kind, API_CMD_TEARDOWN);
	assert_int_equal(c.cease_subcode, 2);
	assert_int_equal(parse("teardown"), -1);
	assert_int_equal(parse("teardown x"), -1);
	assert_int_equal(parse("teardown 300"), -1);
	assert_int_equal(parse("flush adj-rib out"), 0);
	assert_int_equal(c.kind, API_CMD_FLUSH_ADJ_RIB_OUT);
	assert_int_equal(parse("flush adj-rib in"), -1);
	assert_int_equal(parse("clear adj-rib in"), 0);
	assert_int_equal(c.kind, API_CMD_CLEAR_ADJ_RIB);
	assert_true(c.rib_in);
	assert_int_equal(parse("clear adj-rib out"), 0);
	assert_false(c.rib_in);
	assert_int_equal(parse("clear adj-rib"), 0);
	assert_false(c.rib_in);
	static const struct {
		const char *s;
		enum api_cmd_kind k;
	} simple[] = {
		{"shutdown", API_CMD_SHUTDOWN}, {"reload", API_CMD_RELOAD}, {"restart", API_CMD_RESTART},
		{"version", API_CMD_VERSION},   {"help", API_CMD_HELP},     {"reset", API_CMD_RESET},
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		assert_int_equal(parse(simple[i].s), 0);
		assert_int_equal(c.kind, simple[i].k);
		assert_string_equal(c.name, simple[i].s);
	}
	assert_int_equal(parse("# a comment [with] brackets"), 0);
	assert_int_equal(c.kind, API_CMD_COMMENT);
	assert_string_equal(c.text, "a comment [ with ] brackets");
	assert_int_equal(parse("#"), 0);
	assert_int_equal(c.kind, API_CMD_COMMENT);
}

static void test_show(void **state)
{
	(void)state;
	assert_int_equal(parse("show neighbor summary"), 0);
	assert_int_equal(c.kind, API_CMD_SHOW_NEIGHBOR);
	assert_int_equal(c.show, API_SHOW_SUMMARY);
	assert_string_equal(c.filter, "");
	assert_int_equal(parse("show neighbor 127.0.0.1 extensive"), 0);
	assert_int_equal(c.show, API_SHOW_EXTENSIVE);
	assert_string_equal(c.filter, "127.0.0.1");
	assert_int_equal(parse("show neighbor configuration"), 0);
	assert_int_equal(c.show, API_SHOW_CONFIGURATION);
	assert_int_equal(parse("show neighbor"), 0);
	assert_int_equal(c.show, API_SHOW_NONE);
	assert_int_equal(parse("show adj-rib out"), 0);
	assert_int_equal(c.kind, API_CMD_SHOW_ADJ_RIB);
	assert_false(c.rib_in);
	assert_false(c.extensive);
	assert_int_equal(parse("show adj-rib in extensive"), 0);
	assert_true(c.rib_in);
	assert_true(c.extensive);
	assert_int_equal(parse("show adj-rib out flow 10.0.0.1"), 0);
	assert_int_equal(c.rib_filter, API_RIB_FLOW);
	assert_string_equal(c.filter, "10.0.0.1");
	assert_int_equal(parse("show adj-rib"), -1);
	assert_int_equal(parse("show adj-rib sideways"), -1);
	assert_int_equal(parse("show nothing"), -1);
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(parse(""), -1);
	assert_int_equal(c.kind, API_CMD_NONE);
	assert_string_equal(c.err, "empty command");
	assert_int_equal(parse("   \t "), -1);
	assert_int_equal(parse("frobnicate"), -1);
	assert_non_null(strstr(c.err, "frobnicate"));
	assert_int_equal(parse("announce"), -1);
	assert_int_equal(parse("announce nothing"), -1);
	assert_int_equal(parse("neighbor"), -1);
	assert_int_equal(parse("neighbor 10.0.0.1"), -1);
	assert_int_equal(parse("neighbor 10.0.0.1 local-as"), -1);
	assert_int_equal(parse("neighbor 10.0.0.1 local-as x announce route 1.0.0.0/8"), -1);
	assert_int_equal(parse("neighbor 10.0.0.1 router-id ::1 announce route 1.0.0.0/8"), -1);
	assert_int_equal(parse("neighbor 10.0.0.1 , announce route 1.0.0.0/8"), -1);
}

/* The command table: every kind named and handled, twins paired both
 * ways, every name (and spelling) parsed back to its kind. */
static void test_table(void **state)
{
	(void)state;
	for (int k = API_CMD_NONE + 1; k < API_CMD_COUNT; k++) {
		const struct api_cmd_def *d = &api_cmd_defs[k];
		assert_non_null(d->name);
		assert_non_null(d->run);
		assert_string_equal(api_command_name((enum api_cmd_kind)k), d->name);
		if (d->pair != API_CMD_NONE) {
			const struct api_cmd_def *t = &api_cmd_defs[d->pair];
			assert_int_equal(t->pair, k);
			assert_true(t->withdraw != d->withdraw);
			/* "announce X" <-> "withdraw X" */
			assert_string_equal(d->name + 8, t->name + 8);
			assert_true(!strncmp(d->name, d->withdraw ? "withdraw " : "announce ", 9));
		} else {
			assert_false(d->withdraw);
		}
		if (k == API_CMD_COMMENT)
			continue;
		for (size_t i = 0; i < sizeof(d->words) / sizeof(d->words[0]); i++) {
			const char *spelling = d->words[i] ? d->words[i] : i == 0 ? d->name : NULL;
			if (!spelling)
				break;
			if (parse(spelling) == 0)
				assert_int_equal(c.kind, k);
			else /* needs arguments: recognised, refused for them */
				assert_null(strstr(c.err, "unknown command"));
		}
	}
	assert_int_equal(parse("announce route-refresh ipv4 unicast"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_REFRESH);
	assert_int_equal(parse("announce"), -1);
	assert_string_equal(c.err, "incomplete command 'announce'");
	assert_int_equal(parse("withdraw eor"), -1);
	assert_string_equal(c.err, "unknown command 'withdraw eor'");
	/* "#" is a comment at the start of a line only */
	assert_int_equal(parse("neighbor 10.0.0.1 # x"), -1);
}

static struct api_peer_id peer(const char *ip, const char *local, uint32_t las, uint32_t pas, const char *rid)
{
	struct api_peer_id p;
	memset(&p, 0, sizeof(p));
	p.peer.afi = strchr(ip, ':') ? AFI_IPV6 : AFI_IPV4;
	inet_pton(p.peer.afi == AFI_IPV6 ? AF_INET6 : AF_INET, ip, p.peer.addr);
	if (local) {
		p.local.afi = AFI_IPV4;
		inet_pton(AF_INET, local, p.local.addr);
	}
	p.local_as = las;
	p.peer_as = pas;
	uint8_t r[4];
	inet_pton(AF_INET, rid, r);
	p.router_id = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
	p.family_allowed = "in-open";
	return p;
}

static void test_selector(void **state)
{
	(void)state;
	struct api_peer_id a = peer("127.0.0.1", "127.0.0.2", 65533, 65534, "10.0.0.2");
	struct api_peer_id b = peer("10.0.0.9", NULL, 65000, 65001, "10.0.0.3");
	struct api_peer_id v6 = peer("2001:db8::1", NULL, 65000, 65001, "10.0.0.3");

	assert_int_equal(parse("announce route 1.0.0.0/8 next-hop 1.1.1.1"), 0);
	assert_true(api_selector_match(&c.sel, &a)); /* no selector: everyone */

	assert_int_equal(parse("neighbor 127.0.0.1 announce route 1.0.0.0/8 next-hop 1.1.1.1"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_ROUTE);
	assert_string_equal(c.text, "1.0.0.0/8 next-hop 1.1.1.1");
	assert_int_equal(c.sel.n, 1);
	assert_true(api_selector_match(&c.sel, &a));
	assert_false(api_selector_match(&c.sel, &b));

	assert_int_equal(parse("neighbor 127.0.0.1 local-ip 127.0.0.2 local-as 65533 peer-as 65534 router-id 10.0.0.2 "
			       "family-allowed in-open announce route 1.0.0.0/8 next-hop 1.1.1.1"),
			 0);
	assert_true(api_selector_match(&c.sel, &a));
	assert_int_equal(parse("neighbor 127.0.0.1 peer-as 1 withdraw route 1.0.0.0/8"), 0);
	assert_false(api_selector_match(&c.sel, &a));
	/* local-ip unknown (auto) never matches an address */
	assert_int_equal(parse("neighbor 10.0.0.9 local-ip 1.1.1.1 withdraw route 1.0.0.0/8"), 0);
	assert_false(api_selector_match(&c.sel, &b));

	/* several clauses: the comma, with or without spaces */
	assert_int_equal(parse("neighbor 127.0.0.1, neighbor 10.0.0.9 announce eor"), 0);
	assert_int_equal(c.kind, API_CMD_ANNOUNCE_EOR);
	assert_int_equal(c.sel.n, 2);
	assert_true(api_selector_match(&c.sel, &a));
	assert_true(api_selector_match(&c.sel, &b));
	assert_false(api_selector_match(&c.sel, &v6));

	/* neighbor *, narrowed by its filters */
	assert_int_equal(parse("neighbor * announce route 1.0.0.0/8 next-hop 1.1.1.1"), 0);
	assert_true(api_selector_match(&c.sel, &a));
	assert_true(api_selector_match(&c.sel, &v6));
	assert_int_equal(parse("neighbor * local-as 65000 announce route 1.0.0.0/8 next-hop 1.1.1.1"), 0);
	assert_false(api_selector_match(&c.sel, &a));
	assert_true(api_selector_match(&c.sel, &b));

	/* IPv6 compared as addresses, not text */
	assert_int_equal(parse("neighbor 2001:0db8:0::1 teardown 3"), 0);
	assert_true(api_selector_match(&c.sel, &v6));
	/* not an address: matches nothing */
	assert_int_equal(parse("neighbor foo teardown 3"), 0);
	assert_false(api_selector_match(&c.sel, &a));
	/* a key twice with different values: nothing */
	assert_int_equal(parse("neighbor 127.0.0.1 local-as 1 local-as 2 teardown 3"), 0);
	assert_false(api_selector_match(&c.sel, &a));

	char name[256];
	api_peer_name(name, sizeof(name), &a);
	assert_string_equal(name, "neighbor 127.0.0.1 local-ip 127.0.0.2 local-as 65533 peer-as 65534 router-id "
				  "10.0.0.2 family-allowed in-open");
	api_peer_name(name, sizeof(name), &b);
	assert_string_equal(name, "neighbor 10.0.0.9 local-ip auto local-as 65000 peer-as 65001 router-id 10.0.0.3 "
				  "family-allowed in-open");
}

static void test_long_line(void **state)
{
	(void)state;
	/* the parser takes any length; the framer (test_api_queue) caps it */
	static char big[200000];
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "announce route ", 15);
	assert_int_equal(parse(big), 0);
	assert_int_equal(strlen(c.text), sizeof(big) - 1 - 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eor_refresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
