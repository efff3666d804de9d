/* The route grammar: the bytes each attribute keyword produces, compared
 * with the attributes found in ExaBGP 4.2's conformance vectors
 * (the ci/NAME.msg files, retyped here: the attribute's flags, code, length and value as
 * they appear inside the UPDATE ExaBGP sent for the same configuration
 * words), plus route forms, split, path-information and the API entry point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/route_grammar.h"

struct fixture {
	struct attr_pool pool;
	struct rg_ctx g;
	struct route_list out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	attr_pool_init(&f->pool);
	rg_init(&f->g, &f->pool, NULL);
	*state = f;
	return 0;
}

static void release_all(struct fixture *f)
{
	for (size_t i = 0; i < f->out.n; i++)
		rg_route_release(&f->g, f->out.v[i]);
	f->out.n = 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	release_all(f);
	route_list_free(&f->out);
	rg_free(&f->g);
	assert_int_equal(f->pool.count, 0); /* every reference was given back */
	attr_pool_free(&f->pool);
	free(f);
	return 0;
}

/* The attributes of a route as "FFCCLLVALUE" words separated by spaces. */
static void attrs_hex(const struct route *r, char *buf, size_t len)
{
	struct attr_iter it;
	struct attr_view v;
	size_t o = 0;
	buf[0] = '\0';
	attr_iter_init(&it, r->attrs);
	while (attr_iter_next(&it, &v)) {
		int ext = (v.flags & 0x10) || v.len > 255;
		o += (size_t)snprintf(buf + o, len - o, "%s%02X%02X", o ? " " : "", ext ? v.flags | 0x10 : v.flags,
				      v.code);
		o += (size_t)snprintf(buf + o, len - o, ext ? "%04X" : "%02X", v.len);
		for (int i = 0; i < v.len; i++)
			o += (size_t)snprintf(buf + o, len - o, "%02X", v.val[i]);
		assert_true(o < len);
	}
}

/* Parses "announce route TEXT" and returns the number of routes. */
static int announce(struct fixture *f, const char *text)
{
	release_all(f);
	int n = route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false, text, &f->out);
	if (n < 0)
		fprintf(stderr, "error: %s (col %d)\n", f->g.err.msg, f->g.err.col);
	return n;
}

/* One route from text, whose attributes must be want. */
static void expect_attrs(struct fixture *f, const char *text, const char *want)
{
	char got[4096];
	assert_int_equal(announce(f, text), 1);
	attrs_hex(f->out.v[0], got, sizeof(got));
	if (strcmp(got, want))
		fprintf(stderr, "route %s\n got  %s\n want %s\n", text, got, want);
	assert_string_equal(got, want);
}

static void expect_error(struct fixture *f, const char *text, int col, const char *msg)
{
	release_all(f);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false, text, &f->out), -1);
	assert_int_equal(f->out.n, 0);
	if (strcmp(f->g.err.msg, msg) || f->g.err.col != col)
		fprintf(stderr, "route %s\n got  %d: %s\n want %d: %s\n", text, f->g.err.col, f->g.err.msg, col, msg);
	assert_string_equal(f->g.err.msg, msg);
	assert_int_equal(f->g.err.col, col);
}

static void test_communities(void **state)
{
	struct fixture *f = *state;
	/* conf-ipv6grouping / conf-flow-redirect */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 community [30740:0 30740:30740]", "C008087814000078147814");
	/* conf-new-v4: the configured order is kept */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 community [ 30740:30740 30740:0 ]", "C008087814781478140000");
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 community [ 0 ]", "C0080400000000");
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 community 30740:30740", "C0080478147814");
	/* conf-split */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 community [174:666]", "C0080400AE029A");
	/* well-known names (RFC 1997, 3765, 7999), hex and plain numbers; duplicates stay */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 community [ no-export no-advertise no-export-subconfed nopeer "
			"blackhole 0x87654321 65536 1:1 1:1 ]",
		     "C00824FFFFFF01FFFFFF02FFFFFF03FFFFFF04FFFF029A876543210001000000010001" "00010001");
}

static void test_large_community(void **state)
{
	struct fixture *f = *state;
	/* conf-largecommunity: the repeated value is sent once */
	const char *want = "C0201800000B62000000000000029A00000B6200000CF80000007B";
	expect_attrs(f, "8.8.8.10/32 next-hop 192.0.2.1 large-community [ 2914:0:666 2914:3320:123 ]", want);
	expect_attrs(f, "9.9.9.10/32 next-hop 192.0.2.1 large-community [ 2914:0:666 2914:3320:123 2914:3320:123 ]",
		     want);
	expect_attrs(f, "9.9.9.10/32 next-hop 192.0.2.1 large-community 1:2:3", "C0200C000000010000000200000003");
}

static void test_extended_community(void **state)
{
	struct fixture *f = *state;
	/* conf-ipv46routes4family */
	expect_attrs(f, "193.0.2.1 next-hop 10.0.0.1 extended-community 72:0.0.0.1", "C010080002004800000001");
	/* conf-addpath */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 extended-community [ target:0:0 target:1:1 ]",
		     "C010100002000000000000000200010000" "0001");
	/* conf-flow-redirect (second route) */
	expect_attrs(f,
		     "10.0.0.0/24 next-hop 1.1.1.1 extended-community [ redirect:65500:12345 origin:2345:6.7.8.9 "
		     "origin:2.3.4.5:6789 ]",
		     "C010188008FFDC0000303900030929060708090003020304051A85");
	/* conf-vpn */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 extended-community [ 0x0002fde800000001 0x0002271000000001 ]",
		     "C010100002FDE8000000010002271000000001");
	/* conf-l2vpn */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 extended-community [ target:54591:6 l2info:19:0:1500:111]",
		     "C010100002D53F00000006800A130005DC006F");
	/* conf-parity */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 extended-community [ target:10283:4.249.92.120 ]",
		     "C010080002282B04F95C78");
	/* the 4-byte AS forms (parse-community.conf) and redirect-to-nexthop (conf-flow: copy) */
	expect_attrs(f, "9.9.9.9/32 next-hop 192.0.2.1 extended-community [ target:120000L:123 origin:130000:1234 ]",
		     "C0101002020001D4C0007B02030001FBD004D2");
	expect_attrs(f, "9.9.9.9/32 next-hop 192.0.2.1 extended-community redirect-to-nexthop",
		     "C010080800000000000000");
	/* link bandwidth: an IEEE float (1250000000.0 = 0x4E9502F9, as in conf-flow-redirect's rate-limit) */
	expect_attrs(f, "9.9.9.9/32 next-hop 192.0.2.1 extended-community bandwidth:65000:1250000000",
		     "C010084004FDE84E9502F9");
}

static void test_path_attributes(void **state)
{
	struct fixture *f = *state;
	/* conf-aggregator */
	expect_attrs(f,
		     "1.0.64.0/18 as-path [ 57821 6939 ] atomic-aggregate aggregator ( 18144:219.118.225.189 ) "
		     "next-hop 192.168.1.254",
		     "40020A02020000E1DD00001B1B 400600 C00708000046E0DB76E1BD");
	/* conf-split, conf-new-v4 */
	expect_attrs(f, "172.10.0.0/22 next-hop 192.0.2.1 med 200 local-preference 200",
		     "800404000000C8 400504000000C8");
	/* conf-l2vpn */
	expect_attrs(f,
		     "10.0.0.0/24 next-hop 192.168.201.1 origin igp as-path [ 30740 30740 30740 30740 30740 30740 30740 ] "
		     "local-preference 100 med 2000 community [ 54591:123] originator-id 192.168.22.1 "
		     "cluster-list [ 3.3.3.3 192.168.201.1 ]",
		     "40010100 40021E020700007814000078140000781400007814000078140000781400007814 800404000007D0 "
		     "40050400000064 C00804D53F007B 800904C0A81601 800A0803030303C0A8C901");
	/* conf-parity: AS_PATH as one 4-byte AS_SEQUENCE */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 as-path [ 25186 65000 64512 ] originator-id 57.35.2.240",
		     "40020E0203000062620000FDE80000FC00 800904392302F0");
	/* a bare number, AS_SET after the sequence, origins */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 as-path 100 origin egp", "40010101 400206020100000064");
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 as-path [ 1 ( 3 4 ) 2 ] origin incomplete",
		     "40010102 4002140202000000010000000201020000000300000004");
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 as-path [ ]", "400200");
	/* AIGP (RFC 7311): one TLV of type 1 */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 aigp 0x10", "801A0B01000B0000000000000010");
	/* conf-prefix-sid */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 bgp-prefix-sid [ 777 ]", "C0280A01000700000000000309");
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 bgp-prefix-sid [ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]",
		     "C0281B0100070000000000012C03000E00000C35000010000F4240001388");
}

static void test_generic_attribute(void **state)
{
	struct fixture *f = *state;
	/* conf-generic-attribute and conf-attributes: flags are kept as given */
	expect_attrs(f, "100.100.100.100 next-hop 192.168.1.100 attribute [0x04 0x80 0x00000064]", "80040400000064");
	expect_attrs(f, "101.101.101.101 next-hop 192.168.1.100 attribute [0x99 0x60 0x00000064]", "60990400000064");
	expect_attrs(f, "111.111.111.111 next-hop 192.168.1.100 attribute [0x99 0x70 0x00000064]",
		     "7099000400000064");
	expect_attrs(f,
		     "10.0.0.7/32 next-hop 255.255.255.255 attribute [ 0x20 0xc0 "
		     "0x0000000100000002000000030000000A0000000B0000000C ]",
		     "C020180000000100000002000000030000000A0000000B0000000C");
}

static void test_first_value_wins(void **state)
{
	struct fixture *f = *state;
	/* As ExaBGP's Attributes.add: a repeated attribute keeps the first value. */
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 med 10 med 20", "8004040000000A");
	expect_attrs(f, "10.0.0.0/24 next-hop 1.1.1.1 attribute [ 0x04 0x80 0x00000001 ] med 20", "80040400000001");
	assert_int_equal(announce(f, "10.0.0.0/24 next-hop 1.1.1.1 next-hop 2.2.2.2"), 1);
	assert_memory_equal(f->out.v[0]->attrs->nh.addr, "\x01\x01\x01\x01", 4);
	/* in the block form, extended communities given twice merge */
	expect_attrs(f, "10.0.0.0/24 { next-hop 1.1.1.1; extended-community target:1:1; extended-community target:2:2; }",
		     "C01010000200010000000100020002000000" "02");
}

static void test_nexthop_and_family(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(announce(f, "10.0.0.0/24 next-hop self"), 1);
	const struct route *r = f->out.v[0];
	assert_int_equal(r->family, FAM_IPV4_UNICAST);
	assert_int_equal(r->attrs->nh.kind, NH_SELF);
	assert_int_equal(r->attrs->nh.len, 4);
	assert_int_equal(r->nlri_len, 4);
	assert_memory_equal(r->nlri, "\x18\x0a\x00\x00", 4);

	assert_int_equal(announce(f, "2001:db8::/32 next-hop self"), 1);
	r = f->out.v[0];
	assert_int_equal(r->family, FAM_IPV6_UNICAST);
	assert_int_equal(r->attrs->nh.len, 16);
	assert_int_equal(r->nlri_len, 5);

	/* extended-nexthop.conf: an IPv6 next-hop on an IPv4 route and the reverse */
	assert_int_equal(announce(f, "153.153.153.153 next-hop BAD:CAFE:BAD:CAFE:BAD:CAFE:BAD:CAFE"), 1);
	r = f->out.v[0];
	assert_int_equal(r->attrs->nh.kind, NH_IP);
	assert_int_equal(r->attrs->nh.len, 16);
	assert_memory_equal(r->nlri, "\x20\x99\x99\x99\x99", 5); /* no length: a host route */
	assert_int_equal(announce(f, "DEAD:BEEF:DEAD:BEEF:DEAD:BEEF:DEAD:BEEF next-hop 170.170.170.170"), 1);
	r = f->out.v[0];
	assert_int_equal(r->family, FAM_IPV6_UNICAST);
	assert_int_equal(r->attrs->nh.len, 4);
	assert_int_equal(r->nlri[0], 128);

	/* a class D prefix is an IPv4 multicast route, as in ExaBGP */
	assert_int_equal(announce(f, "224.1.0.0/16 next-hop 1.1.1.1"), 1);
	assert_int_equal(f->out.v[0]->family, FAM_IPV4_MULTICAST);
}

static void test_split(void **state)
{
	struct fixture *f = *state;
	/* conf-split: a /22 split in /24 gives four routes with the same attributes */
	assert_int_equal(announce(f, "172.10.0.0/22 next-hop 192.0.2.1 med 200 community [174:666] split /24"), 4);
	for (int i = 0; i < 4; i++) {
		uint8_t want[4] = {24, 172, 10, (uint8_t)i};
		assert_int_equal(f->out.v[i]->nlri_len, 4);
		assert_memory_equal(f->out.v[i]->nlri, want, 4);
		assert_ptr_equal(f->out.v[i]->attrs, f->out.v[0]->attrs);
	}
	assert_int_equal(f->out.v[0]->attrs->refcnt, 4 + 1); /* four routes and the grammar's cache */
	/* the same or a shorter length: unchanged */
	assert_int_equal(announce(f, "172.10.0.0/22 next-hop 192.0.2.1 split /22"), 1);
	assert_int_equal(announce(f, "172.10.0.0/22 next-hop 192.0.2.1 split /8"), 1);
	/* IPv6, with a carry across bytes */
	assert_int_equal(announce(f, "2001:db8:fe00::/39 next-hop ::1 split /41"), 4);
	assert_memory_equal(f->out.v[3]->nlri, "\x29\x20\x01\x0d\xb8\xff\x80", 7);
	/* a watchdog, name and path-id are copied to each */
	assert_int_equal(announce(f, "10.0.0.0/23 next-hop 1.1.1.1 split /24 watchdog dog name n path-information 7 withdraw"),
			 2);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(f->out.v[i]->watchdog, "dog");
		assert_string_equal(f->out.v[i]->name, "n");
		assert_int_equal(f->out.v[i]->path_id, 7);
		assert_int_equal(f->out.v[i]->flags, ROUTE_WITHDRAWN | ROUTE_PATH_ID);
	}
}

static void test_path_information(void **state)
{
	struct fixture *f = *state;
	/* conf-addpath: "path-information 1.2.3.4" is sent as 01020304 */
	assert_int_equal(announce(f, "193.0.2.1 path-information 1.2.3.4 next-hop 10.0.0.1"), 1);
	assert_int_equal(f->out.v[0]->path_id, 0x01020304);
	assert_true(f->out.v[0]->flags & ROUTE_PATH_ID);
	assert_int_equal(announce(f, "10.0.0.10 next-hop 10.10.1.1 path-information 0.0.0.1"), 1);
	assert_int_equal(f->out.v[0]->path_id, 1);
	assert_int_equal(announce(f, "10.0.0.10 next-hop 10.10.1.1"), 1);
	assert_false(f->out.v[0]->flags & ROUTE_PATH_ID);
}

static void test_attributes_form(void **state)
{
	struct fixture *f = *state;
	release_all(f);
	int n = route_grammar_parse_command(&f->g, RG_CMD_ATTRIBUTES, false,
					    "next-hop 1.2.3.4 med 5 nlri 10.1.0.0/24 10.2.0.0/24 10.3.0.0/24", &f->out);
	assert_int_equal(n, 3);
	for (int i = 0; i < 3; i++) {
		uint8_t want[4] = {24, 10, (uint8_t)(i + 1), 0};
		assert_memory_equal(f->out.v[i]->nlri, want, 4);
		assert_ptr_equal(f->out.v[i]->attrs, f->out.v[0]->attrs);
	}
	char got[256];
	attrs_hex(f->out.v[0], got, sizeof(got));
	assert_string_equal(got, "80040400000005");
	release_all(f);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ATTRIBUTES, false, "next-hop 1.2.3.4 med 5", &f->out),
			 -1);
	assert_string_equal(f->g.err.msg, "attributes needs \"nlri\" followed by prefixes");
}

static void test_withdraw_command(void **state)
{
	struct fixture *f = *state;
	release_all(f);
	/* a withdrawal needs no next-hop */
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ROUTE, true, "10.0.0.0/24", &f->out), 1);
	assert_int_equal(f->out.v[0]->attrs->nh.kind, NH_NONE);
	/* a trailing ';' is accepted (ExaBGP adds one) */
	assert_int_equal(announce(f, "10.0.0.0/24 next-hop 10.0.0.1 med 10;"), 1);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	expect_error(f, "10.0.0.0/24 med 10", 1, "invalid route (missing next-hop, label or rd ?)");
	expect_error(f, "10.0.0.1/24 next-hop 1.1.1.1", 1, "invalid network 10.0.0.1 for netmask 24");
	expect_error(f, "10.0.0.0/33 next-hop 1.1.1.1", 1, "\"10.0.0.0/33\" has an invalid prefix length (0..32)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1", 22, "\"1.1.1\" is not a valid next-hop");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 colour red", 30, "unknown route attribute \"colour\"");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 med", 30, "med needs a value");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 med ten", 34, "invalid MED ten");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 community [ 65536:1 ]", 42,
		     "invalid community 65536:1 (prefix too large)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 community [ 1:1", 30, "missing ']' to close the community list");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 community [ what ]", 42, "invalid community name what");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 extended-community foo:1:2", 49,
		     "invalid extended community foo:1:2 (unknown type foo)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 origin bgp", 37, "unknown origin bgp (igp, egp or incomplete)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 as-path [ 1 x ]", 42,
		     "could not parse as-path: \"x\" is not an AS number");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 split /33", 1, "split /33 is longer than the address (/32)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 split 24", 36, "split needs /<number>");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 watchdog withdraw", 39, "invalid watchdog name withdraw");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 aggregator ( 1:2.3.4 )", 43,
		     "invalid aggregator 1:2.3.4 (expecting ASN:IP)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 attribute [ 0x03 0x40 0x01020304 ]", 42,
		     "attribute 0x03 can not be given as a generic attribute (use next-hop)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 label 1048576", 36, "invalid label 1048576 (0..1048575)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 rd 65536:65536", 33, "invalid route-distinguisher 65536:65536");
	expect_error(f, "10.0.0.0/24 label 100", 1, "invalid route (missing next-hop)");
	expect_error(f, "2001:db8::/128 next-hop ::1 rd 1:1 label [ 1 2 3 4 5 6 7 8 ]", 36,
		     "too many labels for a /128 VPN prefix (the NLRI is longer than 255 bits)");
	expect_error(f, "10.0.0.0/24 { next-hop 1.1.1.1; med 1 2; }", 39,
		     "unexpected 2 after med (one attribute per statement)");
	expect_error(f, "10.0.0.0/24 next-hop 1.1.1.1 description \"x", 42, "unterminated string");
}

static void test_interning(void **state)
{
	struct fixture *f = *state;
	release_all(f);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false, "10.0.0.0/24 next-hop 1.1.1.1 med 1",
						     &f->out),
			 1);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false, "10.0.1.0/24 med 1 next-hop 1.1.1.1",
						     &f->out),
			 1);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false, "10.0.2.0/24 next-hop 1.1.1.2 med 1",
						     &f->out),
			 1);
	assert_int_equal(f->out.n, 3);
	assert_ptr_equal(f->out.v[0]->attrs, f->out.v[1]->attrs); /* same content, other order */
	assert_ptr_not_equal(f->out.v[0]->attrs, f->out.v[2]->attrs);
	assert_int_equal(f->pool.count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_communities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_community, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extended_community, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generic_attribute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_value_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_and_family, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_information, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interning, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
