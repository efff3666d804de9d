/* Labeled (nlri-mpls, RFC 8277) and VPN (mpls-vpn, RFC 4364/4659) routes,
 * ADD-PATH identifiers and the Prefix-SID attribute, both directions:
 *   - configuration words -> struct route -> rib-out -> whole UPDATE, equal to
 *     the messages of ExaBGP 4.2's conformance vectors (ci/NAME.msg of
 *     conf-vpn, conf-parity, conf-prefix-sid, conf-addpath, retyped here);
 *   - the NLRI of those messages -> nlri_iter -> parts and ExaBGP's text ->
 *     encoded again from the parts -> the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/route_grammar.h"
#include "nlri/labeled.h"
#include "nlri/nlri_decode.h"
#include "nlri/vpn.h"
#include "rib/ribout.h"

static size_t unhex(const char *h, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;
	for (; *h; h++) {
		int v;
		if (*h >= '0' && *h <= '9')
			v = *h - '0';
		else if (*h >= 'a' && *h <= 'f')
			v = *h - 'a' + 10;
		else if (*h >= 'A' && *h <= 'F')
			v = *h - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < max);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static void assert_bytes(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[4096];
	size_t n = unhex(hex, want, sizeof(want));
	if (len != n || memcmp(got, want, n)) {
		fprintf(stderr, "got  ");
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, "%02X", got[i]);
		fprintf(stderr, "\nwant %s\n", hex);
	}
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
}

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
	assert_int_equal(f->pool.count, 0);
	attr_pool_free(&f->pool);
	free(f);
	return 0;
}

static int parse(struct fixture *f, const char *text)
{
	release_all(f);
	int n = route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false, text, &f->out);
	if (n < 0)
		fprintf(stderr, "%s: error: %s (col %d)\n", text, f->g.err.msg, f->g.err.col);
	return n;
}

/* The routes of text, announced to an iBGP peer of AS local_as (ASN4,
 * group-updates off), must give the messages want[0..n) in this order. */
static void expect_updates(struct fixture *f, const char *text, uint32_t local_as, family_mask addpath,
			   const char *const *want, int nwant)
{
	assert_true(parse(f, text) > 0);
	struct ribout r;
	ribout_init(&r, &f->pool);
	for (size_t i = 0; i < f->out.n; i++)
		assert_int_equal(ribout_announce(&r, f->out.v[i]), 0);
	struct pack_opts o;
	memset(&o, 0, sizeof(o));
	o.enc.asn4 = true;
	o.enc.local_as = local_as;
	o.enc.max_msg = 4096;
	o.families = FAM_ALL;
	o.addpath = addpath;
	struct wbuf w;
	wb_init(&w, 0);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), nwant);
	size_t off = 0;
	for (int i = 0; i < nwant; i++) {
		assert_true(off + 19 <= w.len);
		size_t len = (size_t)w.data[off + 16] << 8 | w.data[off + 17];
		assert_bytes(w.data + off, len, want[i]);
		off += len;
	}
	assert_int_equal(off, w.len);
	wb_free(&w);
	ribout_free(&r);
}

#define MARKER "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"

/* conf-vpn: rd type 0, label 1000, split /25, NEXT_HOP written along. */
static void test_conf_vpn(void **state)
{
	static const char *const want[] = {
		MARKER "0063:02:0000004C40010100400200400304C80A006540050400000064C010100002FDE8000000010002271000000001"
		       "800E210001800C0000000000000000C80A00650071003E810000FDE8000000010A000000",
		MARKER "0063:02:0000004C40010100400200400304C80A006540050400000064C010100002FDE8000000010002271000000001"
		       "800E210001800C0000000000000000C80A00650071003E810000FDE8000000010A000080",
	};
	expect_updates(*state,
		       "10.0.0.0/24 rd 65000:1 next-hop 200.10.0.101 extended-community [ 0x0002fde800000001 "
		       "0x0002271000000001 ] label 1000 split /25",
		       65000, 0, want, 2);
	assert_int_equal(((struct fixture *)*state)->out.v[0]->family, FAM_IPV4_MPLS_VPN);
}

/* conf-parity: IPv6 VPN, IPv4-mapped next-hop, the block form and the line form. */
static void test_conf_parity(void **state)
{
	static const char *const want_c0[] = {
		MARKER "007E:02:000000674001010040020E0203000062620000FDE80000FC0040050400000064C00804FDE80021800904392302"
		       "F0C010080002282B04F95C78800E2F00028018000000000000000000000000000000000000FFFF5134119200880039E1"
		       "00000C8F22C6DB3D20014B5020C0",
	};
	static const char *const want_d0[] = {
		MARKER "007E:02:000000674001010040020E0203000062620000FDE80000FC0040050400000064C00804FDE80021800904392302"
		       "F0C010080002282B04F95C78800E2F00028018000000000000000000000000000000000000FFFF5134119200880039E1"
		       "00000C8F22C6DB3D20014B5020D0",
	};
	expect_updates(*state,
		       "2001:4B50:20C0::/48 { rd 3215:583457597; as-path [ 25186 65000 64512 ]; next-hop "
		       "::FFFF:81.52.17.146; originator-id 57.35.2.240; local-preference 100; community [ 65000:33 ]; "
		       "extended-community [ target:10283:4.249.92.120 ]; label 926; }",
		       1, 0, want_c0, 1);
	expect_updates(*state,
		       "2001:4B50:20D0::/48 rd 3215:583457597 as-path [ 25186 65000 64512 ] next-hop "
		       "::FFFF:81.52.17.146 originator-id 57.35.2.240 local-preference 100 community [ 65000:33 ] "
		       "extended-community [ target:10283:4.249.92.120 ] label 926",
		       1, 0, want_d0, 1);
	assert_int_equal(((struct fixture *)*state)->out.v[0]->family, FAM_IPV6_MPLS_VPN);
}

/* conf-prefix-sid: labeled unicast with a Prefix-SID (label index, SRGB). */
static void test_conf_prefix_sid(void **state)
{
	static const char *const want1[] = {
		MARKER "004D:02:0000003640010100400200400304C633640140050400000064C0280A01000700000000000309"
		       "800E1100010404C63364010038C35011C6336464",
	};
	static const char *const want2[] = {
		MARKER "005E:02:0000004740010100400200400304C633640240050400000064C0281B0100070000000000012C03000E00000C"
		       "35000010000F4240001388800E1100010404C63364020038C35021C6336465",
	};
	expect_updates(*state, "198.51.100.100/32 next-hop 198.51.100.1 label [ 800001 ] bgp-prefix-sid [ 777 ]", 65000,
		       0, want1, 1);
	assert_int_equal(((struct fixture *)*state)->out.v[0]->family, FAM_IPV4_MPLS_LABEL);
	expect_updates(*state,
		       "198.51.100.101/32 next-hop 198.51.100.2 label [ 800002 ] bgp-prefix-sid [ 300, [ ( 800000,4096 ), "
		       "( 1000000,5000 ) ] ]",
		       65000, 0, want2, 1);
}

/* conf-addpath: path identifiers in front of an IPv4 prefix and of a VPN NLRI. */
static void test_conf_addpath(void **state)
{
	static const char *const want1[] = {
		MARKER "0040:02:00000020400101004002004003040A00000140050400000064C0100800020048000000010102030420C1000201",
	};
	static const char *const want2[] = {
		MARKER "0066:02:0000004F40010100400200400304C0A8000140050400000064C010100002000000000000000200010000000180"
		       "0E240001800C0000000000000000C0A80001000000000A7004E2C100000064000000640A0000",
	};
	family_mask ap = FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV4_MPLS_VPN);
	expect_updates(*state, "193.0.2.1 path-information 1.2.3.4 next-hop 10.0.0.1 extended-community 72:0.0.0.1", 1,
		       ap, want1, 1);
	expect_updates(*state,
		       "10.0.0.0/24 origin igp next-hop 192.168.0.1 extended-community [ target:0:0 target:1:1 ] label "
		       "20012 rd 100:100 local-preference 100 path-information 10",
		       1, ap, want2, 1);
}

/* The NLRI bytes of a single route. */
static void expect_nlri(struct fixture *f, const char *text, int family, const char *hex)
{
	assert_int_equal(parse(f, text), 1);
	assert_int_equal(f->out.v[0]->family, family);
	assert_bytes(f->out.v[0]->nlri, f->out.v[0]->nlri_len, hex);
}

static void test_encode_forms(void **state)
{
	struct fixture *f = *state;
	/* a stack: bottom-of-stack on the last label only */
	expect_nlri(f, "10.0.0.0/24 next-hop 1.1.1.1 label [ 100 200 ]", FAM_IPV4_MPLS_LABEL, "48 000640 000C81 0A0000");
	/* the three RD types, chosen from the values as ExaBGP does */
	expect_nlri(f, "10.0.0.0/8 next-hop 1.1.1.1 rd 65000:4294967295 label 16", FAM_IPV4_MPLS_VPN,
		    "60 000101 0000FDE8FFFFFFFF 0A");
	expect_nlri(f, "10.0.0.0/8 next-hop 1.1.1.1 rd 192.0.2.1:65535 label 16", FAM_IPV4_MPLS_VPN,
		    "60 000101 0001C0000201FFFF 0A");
	expect_nlri(f, "10.0.0.0/8 next-hop 1.1.1.1 route-distinguisher 4200000000:7 label 16", FAM_IPV4_MPLS_VPN,
		    "60 000101 0002FA56EA000007 0A");
	/* ExaBGP accepts a VPN route without a label (no label on the wire) */
	expect_nlri(f, "10.0.0.0/8 next-hop 1.1.1.1 rd 1:1", FAM_IPV4_MPLS_VPN, "48 0000000100000001 0A");
	/* IPv6 labeled unicast, the top label first */
	expect_nlri(f, "2001:db8::/32 next-hop 2001:db8::1 label [ 1048575 3 ]", FAM_IPV6_MPLS_LABEL,
		    "50 FFFFF0 000031 20010DB8");
	/* the label given last wins (the NLRI is set, not added to) */
	expect_nlri(f, "10.0.0.0/24 next-hop 1.1.1.1 label 1 label 2", FAM_IPV4_MPLS_LABEL, "30 000021 0A0000");
}

/* "announce { ipv4 { nlri-mpls ...; mpls-vpn ...; } }" */
static void test_announce_section(void **state)
{
	struct fixture *f = *state;
	struct lexer lx;
	struct tokvec tv = {0};
	struct token t;
	char text[] = "nlri-mpls 10.0.0.0/24 next-hop 1.1.1.1 label 5";
	lexer_init(&lx, text, strlen(text));
	while (lexer_next(&lx, &t) != TOK_EOF)
		tokvec_push(&tv, &t);
	release_all(f);
	assert_int_equal(rg_parse_announce(&f->g, AFI_IPV4, &tv.v[0], tv.v + 1, tv.n - 1, &f->out), 0);
	assert_int_equal(f->out.v[0]->family, FAM_IPV4_MPLS_LABEL);
	assert_bytes(f->out.v[0]->nlri, f->out.v[0]->nlri_len, "30 000051 0A0000");
	tokvec_free(&tv);

	char text2[] = "mpls-vpn 2001:db8::/32 next-hop ::1 label 5 rd 1:2";
	memset(&tv, 0, sizeof(tv));
	lexer_init(&lx, text2, strlen(text2));
	while (lexer_next(&lx, &t) != TOK_EOF)
		tokvec_push(&tv, &t);
	release_all(f);
	assert_int_equal(rg_parse_announce(&f->g, AFI_IPV6, &tv.v[0], tv.v + 1, tv.n - 1, &f->out), 0);
	assert_int_equal(f->out.v[0]->family, FAM_IPV6_MPLS_VPN);
	assert_bytes(f->out.v[0]->nlri, f->out.v[0]->nlri_len, "78 000051 0000000100000002 20010DB8");
	tokvec_free(&tv);
}

/* The API forms: "announce ipv4 nlri-mpls ...", "withdraw ipv6 mpls-vpn ...". */
static void test_command_forms(void **state)
{
	struct fixture *f = *state;
	release_all(f);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_IPV4, false,
						     "nlri-mpls 10.0.0.0/24 next-hop 1.1.1.1 label [ 5 6 ]", &f->out),
			 1);
	assert_int_equal(f->out.v[0]->family, FAM_IPV4_MPLS_LABEL);
	assert_bytes(f->out.v[0]->nlri, f->out.v[0]->nlri_len, "48 000050 000061 0A0000");
	release_all(f);
	/* a withdrawal needs neither next-hop nor label */
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_IPV6, true, "mpls-vpn 2001:db8::/32 rd 1:2", &f->out),
			 1);
	assert_int_equal(f->out.v[0]->family, FAM_IPV6_MPLS_VPN);
	assert_bytes(f->out.v[0]->nlri, f->out.v[0]->nlri_len, "60 0000000100000002 20010DB8");
	release_all(f);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_IPV4, false, "unicast 10.0.0.0/24 next-hop 1.1.1.1 "
						     "label 5", &f->out),
			 -1);
	assert_string_equal(f->g.err.msg, "label is not valid in this section");
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_IPV4, false, "nlri-mpls 10.0.0.0/24 next-hop 1.1.1.1",
						     &f->out),
			 -1);
	assert_string_equal(f->g.err.msg, "invalid announcement (missing next-hop or label ?)");
}

/* bgp-prefix-sid-srv6, as ExaBGP 4.2 writes its three forms (no vector in
 * its test suite: the layouts are those of its sr/ classes). */
static void test_prefix_sid_srv6(void **state)
{
	struct fixture *f = *state;
	struct attr_view v;
	assert_int_equal(parse(f, "10.0.0.0/24 rd 1:1 next-hop cafe::1 label 3 bgp-prefix-sid-srv6 ( vpn 2001:1::10 )"),
			 1);
	assert_true(attrset_get(f->out.v[0]->attrs, 40, &v));
	assert_int_equal(v.flags, 0xC0);
	assert_bytes(v.val, v.len, "04 0013 00 00 00 20010001000000000000000000000010");
	assert_int_equal(parse(f, "10.1.0.0/24 rd 1:1 next-hop cafe::1 label 3 bgp-prefix-sid-srv6 ( l3vpn 2001:1::20 )"),
			 1);
	assert_true(attrset_get(f->out.v[0]->attrs, 40, &v));
	assert_bytes(v.val, v.len, "05 0015 00 20010001000000000000000000000020 00 FFFF 00");
	assert_int_equal(parse(f, "10.1.0.0/24 next-hop 1.1.1.1 bgp-prefix-sid-srv6 ( ipv6 2001:1::30 )"), 1);
	assert_true(attrset_get(f->out.v[0]->attrs, 40, &v));
	assert_bytes(v.val, v.len, "02 0013 00 0000 20010001000000000000000000000030");
	release_all(f);
	assert_int_equal(route_grammar_parse_command(&f->g, RG_CMD_ROUTE, false,
						     "10.1.0.0/24 next-hop 1.1.1.1 bgp-prefix-sid-srv6 ( vpn 10.0.0.1 )",
						     &f->out),
			 -1);
	assert_string_equal(f->g.err.msg, "could not parse BGP PrefixSid Srv6 attribute: expecting an IPv6 SID");
}

/* ---- decoding */

struct decoded {
	const char *text;
	const char *nlri; /* hex of the NLRI without its path identifier */
};

/* Decodes field (hex) of family; every item must match want, re-encode to
 * its own bytes, and the field must end after nwant items. */
static void expect_decode(int family, bool addpath, bool withdraw, const char *field, const char *nexthop,
			  const struct decoded *want, int nwant)
{
	uint8_t buf[512];
	size_t len = unhex(field, buf, sizeof(buf));
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, family, buf, len, addpath, withdraw), 0);
	for (int i = 0; i < nwant; i++) {
		assert_int_equal(nlri_iter_next(&it, &item), 1);
		char text[256];
		nlri_item_format(text, sizeof(text), &item, nexthop);
		assert_string_equal(text, want[i].text);
		assert_bytes(item.nlri, item.nlri_len, want[i].nlri);
		uint8_t again[LABELED_NLRI_MAX];
		size_t n = nlri_item_encode(&item, again);
		assert_bytes(again, n, want[i].nlri);
	}
	assert_int_equal(nlri_iter_next(&it, &item), 0);
}

static void test_decode_vectors(void **state)
{
	(void)state;
	/* conf-vpn: the two /25 of one split, in one field */
	static const struct decoded vpn[] = {
		{"10.0.0.0/25 label 1000 next-hop 200.10.0.101 rd 65000:1", "71003E810000FDE8000000010A000000"},
		{"10.0.0.128/25 label 1000 next-hop 200.10.0.101 rd 65000:1", "71003E810000FDE8000000010A000080"},
	};
	expect_decode(FAM_IPV4_MPLS_VPN, false, false,
		      "71003E810000FDE8000000010A000000 71003E810000FDE8000000010A000080", "200.10.0.101", vpn, 2);
	/* conf-parity */
	static const struct decoded parity[] = {
		{"2001:4b50:20c0::/48 label 926 rd 3215:583457597", "880039E100000C8F22C6DB3D20014B5020C0"},
	};
	expect_decode(FAM_IPV6_MPLS_VPN, false, false, "880039E100000C8F22C6DB3D20014B5020C0", NULL, parity, 1);
	/* conf-prefix-sid */
	static const struct decoded sid[] = {
		{"198.51.100.100/32 label 800001", "38C35011C6336464"},
	};
	expect_decode(FAM_IPV4_MPLS_LABEL, false, false, "38C35011C6336464", NULL, sid, 1);
	/* conf-addpath, both routes */
	static const struct decoded ap_vpn[] = {
		{"10.0.0.0/24 path-information 0.0.0.10 label 20012 next-hop 192.168.0.1 rd 100:100",
		 "7004E2C100000064000000640A0000"},
	};
	expect_decode(FAM_IPV4_MPLS_VPN, true, false, "0000000A7004E2C100000064000000640A0000", "192.168.0.1", ap_vpn,
		      1);
	static const struct decoded ap_v4[] = {
		{"193.0.2.1/32 path-information 1.2.3.4 next-hop 10.0.0.1", "20C1000201"},
	};
	expect_decode(FAM_IPV4_UNICAST, true, false, "0102030420C1000201", "10.0.0.1", ap_v4, 1);
	/* a stack of two, and the RD types 1 and 2 */
	static const struct decoded stack[] = {
		{"10.0.0.0/24 label [ 100 200 ]", "48000640000C810A0000"},
	};
	expect_decode(FAM_IPV4_MPLS_LABEL, false, false, "48000640000C810A0000", NULL, stack, 1);
	static const struct decoded rds[] = {
		{"10.0.0.0/8 label 16 rd 192.0.2.1:65535", "600001010001C0000201FFFF0A"},
		{"10.0.0.0/8 label 16 rd 4200000000:7", "600001010002FA56EA0000070A"},
		{"10.0.0.0/8 label 16 rd 0x0003000000000001", "600001010003000000000001 0A"},
	};
	expect_decode(FAM_IPV4_MPLS_VPN, false, false,
		      "600001010001C0000201FFFF0A 600001010002FA56EA0000070A 6000010100030000000000010A", NULL, rds, 3);
}

/* RFC 8277 2.4: a withdrawal may carry 0x800000 in place of the labels
 * (no bottom-of-stack bit: outside a withdrawal the next 3 octets would be
 * read as a label too). */
static void test_decode_withdraw(void **state)
{
	(void)state;
	uint8_t buf[16];
	size_t len = unhex("30 800000 0A0000 38 800000 0A000001", buf, sizeof(buf));
	struct nlri_iter it;
	struct nlri_item item;
	char text[128];
	assert_int_equal(nlri_iter_init(&it, FAM_IPV4_MPLS_LABEL, buf, len, false, true), 0);
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	assert_int_equal(item.pfx.nlabels, 1);
	assert_int_equal(item.pfx.labels[0], 0x80000);
	nlri_item_format(text, sizeof(text), &item, NULL);
	assert_string_equal(text, "10.0.0.0/24 label 524288");
	assert_bytes(item.nlri, item.nlri_len, "308000000A0000");
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	nlri_item_format(text, sizeof(text), &item, NULL);
	assert_string_equal(text, "10.0.0.1/32 label 524288");
	assert_int_equal(nlri_iter_next(&it, &item), 0);
}

static void expect_malformed(int family, bool addpath, const char *field)
{
	uint8_t buf[64];
	size_t len = unhex(field, buf, sizeof(buf));
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, family, buf, len, addpath, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), -1);
}

static void test_decode_malformed(void **state)
{
	(void)state;
	expect_malformed(FAM_IPV4_MPLS_VPN, false, "71003E810000FDE800");       /* cut in the RD */
	expect_malformed(FAM_IPV4_MPLS_VPN, false, "71003E810000FDE8000000010A00"); /* cut in the prefix */
	expect_malformed(FAM_IPV4_MPLS_LABEL, false, "41000641FFFFFFFFFF");     /* a /41 IPv4 prefix */
	expect_malformed(FAM_IPV4_MPLS_VPN, false, "20000641");                 /* too short for an RD */
	expect_malformed(FAM_IPV4_MPLS_LABEL, true, "000000");                  /* cut path identifier */
	expect_malformed(FAM_IPV4_UNICAST, false, "21FFFFFFFFFF");             /* a /33 */
	/* more labels than kept: nine without a bottom of stack */
	expect_malformed(FAM_IPV6_MPLS_LABEL, false,
			 "D8 000010 000020 000030 000040 000050 000060 000070 000080 000090");
	struct nlri_iter it;
	/* families without a codec here are refused */
	assert_int_equal(nlri_iter_init(&it, FAM_BGPLS_VPN, (const uint8_t *)"", 0, false, false), -1);
	assert_int_equal(nlri_iter_init(&it, FAM_IPV4_FLOW, (const uint8_t *)"", 0, false, false), 0);
	/* whole fields */
	uint8_t buf[64];
	size_t len = unhex("71003E810000FDE8000000010A000000 71003E810000FDE8000000010A000080", buf, sizeof(buf));
	assert_int_equal(nlri_field_count(FAM_IPV4_MPLS_VPN, buf, len, false, false), 2);
	assert_int_equal(nlri_field_count(FAM_IPV4_MPLS_VPN, buf, len - 1, false, false), -1);
	assert_int_equal(nlri_field_count(FAM_IPV4_MPLS_VPN, buf, 0, false, false), 0);
	assert_int_equal(nlri_field_count(FAM_BGPLS, buf, len, false, false), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conf_vpn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conf_parity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conf_prefix_sid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conf_addpath, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encode_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_announce_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_sid_srv6, setup, teardown),
		cmocka_unit_test(test_decode_vectors),
		cmocka_unit_test(test_decode_withdraw),
		cmocka_unit_test(test_decode_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
