/* Attribute table: RFC 7606 verdicts of every attribute's validation, and
 * the JSON / text printers against ExaBGP 4.2's output for the same bytes
 * (expected strings taken from ExaBGP 4.2.21 decoding these vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_check.h"
#include "attr/attr_table.h"
#include "update/update_parse.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *h; h++) {
		int c = *h, v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = (c | 0x20) - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static const struct attr_ctx IBGP4 = {1, 0}, IBGP2 = {0, 0}, EBGP4 = {1, 1};

/* Validates code/flags/value (hex) and returns the action. */
static int check(uint8_t code, uint8_t flags, const char *hex, const struct attr_ctx *ctx, struct attr_verdict *v)
{
	uint8_t val[512];
	size_t n = unhex(hex, val, sizeof(val));
	int a = attr_validate(code, flags, n ? val : (const uint8_t *)"", n, ctx, v);
	assert_int_equal(a, v->action);
	if (a != ATTR_OK)
		assert_non_null(v->reason);
	return a;
}

#define OK(code, flags, hex, ctx) assert_int_equal(check(code, flags, hex, ctx, &v), ATTR_OK)
#define TAW(code, flags, hex, ctx) assert_int_equal(check(code, flags, hex, ctx, &v), ATTR_TREAT_AS_WITHDRAW)
#define DISCARD(code, flags, hex, ctx) assert_int_equal(check(code, flags, hex, ctx, &v), ATTR_DISCARD)
#define RESET(code, flags, hex, ctx) assert_int_equal(check(code, flags, hex, ctx, &v), ATTR_RESET)

static void test_origin(void **state)
{
	(void)state;
	struct attr_verdict v;
	OK(1, 0x40, "00", &IBGP4);
	OK(1, 0x40, "02", &IBGP4);
	OK(1, 0x50, "01", &IBGP4);  /* extended length is allowed */
	OK(1, 0x48, "01", &IBGP4);  /* unused low bits are ignored */
	TAW(1, 0x40, "03", &IBGP4); /* undefined value */
	TAW(1, 0x40, "", &IBGP4);   /* zero length */
	TAW(1, 0x40, "0000", &IBGP4);
	TAW(1, 0xc0, "00", &IBGP4); /* optional bit on a well-known attribute */
	TAW(1, 0x00, "00", &IBGP4); /* transitive bit missing */
}

static void test_as_path(void **state)
{
	(void)state;
	struct attr_verdict v;
	OK(2, 0x40, "", &IBGP4); /* empty path: iBGP */
	OK(2, 0x40, "02020000fde90000fdea", &IBGP4);
	OK(2, 0x40, "0202fde9fdea", &IBGP2);
	OK(2, 0x40, "010100000001020100000002030100000003040100000004", &IBGP4);
	TAW(2, 0x40, "0202fde9fdea", &IBGP4);       /* 2-byte ASNs on a 4-byte session: overrun */
	TAW(2, 0x40, "02020000fde90000fdea", &IBGP2); /* the reverse: count does not match */
	TAW(2, 0x40, "0200", &IBGP4);               /* empty segment (RFC 7606 7.2) */
	TAW(2, 0x40, "050100000001", &IBGP4);       /* unknown segment type */
	TAW(2, 0x40, "000100000001", &IBGP4);
	TAW(2, 0x40, "02", &IBGP4);                 /* one byte left: underrun */
	TAW(2, 0x40, "020100000001ff", &IBGP4);
	TAW(2, 0x40, "02020000000100", &IBGP4);     /* overrun */
	TAW(2, 0xc0, "020100000001", &IBGP4);       /* flags */
	TAW(2, 0x40, "030100000001", &EBGP4);       /* confederation from an external peer */
	OK(2, 0x40, "030100000001", &IBGP4);
}

static void test_fixed_lengths(void **state)
{
	(void)state;
	struct attr_verdict v;
	/* NEXT_HOP */
	OK(3, 0x40, "0a000001", &IBGP4);
	TAW(3, 0x40, "0a0000", &IBGP4);
	TAW(3, 0x40, "0a00000100", &IBGP4);
	TAW(3, 0x80, "0a000001", &IBGP4);
	/* MED */
	OK(4, 0x80, "00000064", &IBGP4);
	TAW(4, 0x80, "000064", &IBGP4);
	TAW(4, 0x80, "", &IBGP4);
	TAW(4, 0x40, "00000064", &IBGP4); /* well-known flags on an optional attribute */
	OK(4, 0xa0, "00000064", &IBGP4);  /* partial is not checked */
	/* LOCAL_PREF */
	OK(5, 0x40, "00000064", &IBGP4);
	TAW(5, 0x40, "0000000064", &IBGP4);
	DISCARD(5, 0x40, "00000064", &EBGP4); /* RFC 7606 7.5 */
	/* ATOMIC_AGGREGATE */
	OK(6, 0x40, "", &IBGP4);
	DISCARD(6, 0x40, "00", &IBGP4);
	TAW(6, 0xc0, "", &IBGP4); /* wrong flags: RFC 7606 3.c */
	/* AGGREGATOR: 8 bytes with ASN4, 6 without */
	OK(7, 0xc0, "0000fde9c0000201", &IBGP4);
	OK(7, 0xc0, "fde9c0000201", &IBGP2);
	DISCARD(7, 0xc0, "fde9c0000201", &IBGP4);
	DISCARD(7, 0xc0, "0000fde9c0000201", &IBGP2);
	TAW(7, 0x40, "0000fde9c0000201", &IBGP4); /* flags: RFC 7606 3.c */
	/* ORIGINATOR_ID */
	OK(9, 0x80, "01020304", &IBGP4);
	TAW(9, 0x80, "010203", &IBGP4);
	TAW(9, 0xc0, "01020304", &IBGP4);
	/* AS4_AGGREGATOR */
	OK(18, 0xc0, "0000fde9c0000201", &IBGP2);
	DISCARD(18, 0xc0, "fde9c0000201", &IBGP2);
	DISCARD(18, 0xc0, "0000fde9c0000201", &IBGP4); /* from a 4-octet speaker: ignored */
}

static void test_lists(void **state)
{
	(void)state;
	struct attr_verdict v;
	OK(8, 0xc0, "fde80001", &IBGP4);
	OK(8, 0xd0, "fde80001ffffff01", &IBGP4);
	TAW(8, 0xc0, "", &IBGP4);
	TAW(8, 0xc0, "fde800", &IBGP4);
	TAW(8, 0xc0, "fde80001ff", &IBGP4);
	TAW(8, 0x80, "fde80001", &IBGP4);
	OK(10, 0x80, "0102030405060708", &IBGP4);
	TAW(10, 0x80, "", &IBGP4);
	TAW(10, 0x80, "010203", &IBGP4);
	OK(16, 0xc0, "0002fde800000064", &IBGP4);
	TAW(16, 0xc0, "0002fde8000000", &IBGP4);
	TAW(16, 0xc0, "", &IBGP4);
	OK(25, 0xc0, "000c000102030405060708090a0b0c0d0e0f0001", &IBGP4);
	TAW(25, 0xc0, "000c000102030405060708090a0b0c0d0e0f00", &IBGP4);
	OK(32, 0xc0, "0000fde80000000100000002", &IBGP4);
	TAW(32, 0xc0, "0000fde800000001000000", &IBGP4);
	TAW(32, 0xc0, "", &IBGP4);
	TAW(32, 0x40, "0000fde80000000100000002", &IBGP4);
}

static void test_as4(void **state)
{
	(void)state;
	struct attr_verdict v;
	OK(17, 0xc0, "020200000001000186a0", &IBGP2);
	OK(17, 0xe0, "020200000001000186a0", &IBGP2);        /* partial allowed */
	DISCARD(17, 0xc0, "020200000001000186a0", &IBGP4);   /* NEW speaker: ignored */
	DISCARD(17, 0xc0, "0202000000010001", &IBGP2);       /* malformed: discard (RFC 6793 6) */
	DISCARD(17, 0xc0, "030100000001", &IBGP2);           /* confederation segment */
	DISCARD(17, 0xc0, "", &IBGP2);
	TAW(17, 0x40, "020200000001000186a0", &IBGP2);       /* flags: RFC 7606 3.c */
}

static void test_mp_and_others(void **state)
{
	(void)state;
	struct attr_verdict v;
	OK(14, 0x80, "000201100000000000000000000000000000000100", &IBGP4);
	OK(14, 0x90, "0001850000", &IBGP4); /* flow: no next-hop */
	RESET(14, 0x80, "00020110000000", &IBGP4); /* next-hop runs past the attribute */
	assert_int_equal(v.code, 3);
	assert_int_equal(v.subcode, 9);
	RESET(14, 0x80, "0002", &IBGP4);
	RESET(14, 0xc0, "0001850000", &IBGP4); /* flags: 3/4 */
	assert_int_equal(v.subcode, 4);
	OK(15, 0x80, "000201", &IBGP4);
	RESET(15, 0x80, "0002", &IBGP4);
	/* PMSI */
	OK(22, 0xc0, "0006000641c0000209", &IBGP4);
	TAW(22, 0xc0, "00060006", &IBGP4);
	/* AIGP: TLV type 1 length 11 */
	OK(26, 0x80, "01000b0000000000000064", &IBGP4);
	DISCARD(26, 0x80, "01000a00000000000064", &IBGP4);
	DISCARD(26, 0x80, "01000b00000000000000", &IBGP4); /* TLV overrun */
	DISCARD(26, 0x80, "020003", &IBGP4);               /* no AIGP TLV */
	TAW(26, 0xc0, "01000b0000000000000064", &IBGP4); /* flags: RFC 7606 3.c */
	/* Prefix-SID */
	OK(40, 0xc0, "0100070000000000030903000e00000c35000010000f4240001388", &IBGP4);
	TAW(40, 0xc0, "0100060000000000000309", &IBGP4);   /* label index length 6 */
	TAW(40, 0xc0, "030003000000", &IBGP4);             /* SRGB not 2 + 6n */
	TAW(40, 0xc0, "010007000000", &IBGP4);             /* TLV overrun */
	/* BGP-LS (RFC 9552 8.2.2: attribute discard; more in test_bgpls.c) */
	OK(29, 0x80, "04e20004deadbeef", &IBGP4);  /* TLV 1250, not known here */
	DISCARD(29, 0x80, "0400000400", &IBGP4);   /* TLV overrun */
	DISCARD(29, 0x80, "04000004deadbeef", &IBGP4); /* node flags of 4 bytes */
}

static void test_unknown(void **state)
{
	(void)state;
	struct attr_verdict v;
	OK(0x99, 0xc0, "00000064", &IBGP4);      /* optional transitive: kept */
	OK(0x99, 0xf0, "", &IBGP4);
	DISCARD(0x99, 0x80, "00000064", &IBGP4); /* optional non-transitive: ignored */
	RESET(0x99, 0x60, "00000064", &IBGP4);   /* "well-known" but unknown */
	assert_int_equal(v.code, 3);
	assert_int_equal(v.subcode, 2);
	RESET(0x99, 0x40, "", &IBGP4);
	/* Names */
	char buf[32];
	assert_string_equal(attr_name(ATTR_ORIGIN, buf), "origin");
	assert_string_equal(attr_name(ATTR_LOCAL_PREF, buf), "local-preference");
	assert_string_equal(attr_name(ATTR_EXT_COMMUNITIES, buf), "extended-community");
	assert_string_equal(attr_name(ATTR_LARGE_COMMUNITY, buf), "large-community");
	assert_string_equal(attr_name(0x99, buf), "unknown-attribute-0x99");
	assert_null(attr_def_get(0x99));
	assert_int_equal(attr_def_get(ATTR_COMMUNITIES)->flags, 0xc0);
}

/* ---- printers ---- */

static struct attr_pool pool;

/* Builds the set of an UPDATE carrying attrs (hex) and 10.0.0.0/8. */
static struct attrset *set_of(const char *hex, int asn4)
{
	static uint8_t body[4096];
	size_t n = unhex(hex, body + 4, sizeof(body) - 6);
	body[0] = body[1] = 0;
	body[2] = (uint8_t)(n >> 8);
	body[3] = (uint8_t)n;
	body[4 + n] = 8;
	body[5 + n] = 10;
	static struct update_msg m;
	struct update_parse_opts o = {0};
	o.asn4 = asn4;
	assert_int_equal(update_parse(body, n + 6, &o, &pool, &m), UPDATE_OK);
	assert_non_null(m.set);
	return m.set;
}

static void expect_print(const char *hex, int asn4, const char *json, const char *text)
{
	struct attrset *s = set_of(hex, asn4);
	struct wbuf w;
	wb_init(&w, 0);
	attrset_json(&w, s);
	assert_string_equal(sb_cstr(&w), json);
	assert_null(json_check_members_error((const char *)w.data, w.len));
	wb_reset(&w);
	attrset_text(&w, s);
	assert_string_equal(sb_cstr(&w), text);
	wb_free(&w);
	attrset_unref(&pool, s);
}

static void test_print_compat_sample(void **state)
{
	(void)state;
	/* The UPDATE of EXABGP-COMPAT section 3. */
	expect_print("4001010040020a02020000fde90000fdea4003040a00000180040400000064400504000000c8c00808fde80001ffffff01"
		     "c010080002fde800000064c0200c0000fde80000000100000002",
		     1,
		     "\"origin\": \"igp\", \"as-path\": [ 65001, 65002 ], \"confederation-path\": [], \"med\": 100, "
		     "\"local-preference\": 200, \"community\": [ [ 65000, 1 ], [ 65535, 65281 ] ], "
		     "\"extended-community\": [ { \"value\": 842122827661412, \"string\": \"target:65000:100\" } ], "
		     "\"large-community\": [ [ 65000, 1 , 2 ] ]",
		     " origin igp as-path [ 65001 65002 ] med 100 local-preference 200 community [ 65000:1 no-export ]"
		     " extended-community target:65000:100 large-community 65000:1:2");
}

static void test_print_misc(void **state)
{
	(void)state;
	expect_print("4001010240021a03010000fdf202020000fde9fa56ea00010200000007000000084003040a000001400600c00708"
		     "0000fde9c000020180090401020304800a0405060708e06302deadc016090106000641c0000209c0281b01000700"
		     "00000000030903000e00000c35000010000f4240001388",
		     1,
		     "\"origin\": \"incomplete\", \"as-path\": [ 65001, 4200000000 ], \"as-set\": [ 7, 8 ], "
		     "\"confederation-path\": [ 65010 ], \"atomic-aggregate\": true, \"aggregator\": "
		     "\"65001:192.0.2.1\", \"originator-id\": \"1.2.3.4\", \"cluster-list\": [ \"5.6.7.8\" ], "
		     "\"pmsi\": \"pmsi:ingressreplication:1:100(1601):192.0.2.9\", \"bgp-prefix-sid\": { "
		     "\"sr-label-index\": 777, \"sr-srgbs\": [[800000, 4096], [1000000, 5000]] }, "
		     "\"attribute-0x63-0xE0\": \"0xdead\"",
		     " origin incomplete as-path [ 65001 4200000000 ( 7 8 ) ][ 65010 ] atomic-aggregate aggregator "
		     "( 65001:192.0.2.1 ) originator-id 1.2.3.4 cluster-list [ 5.6.7.8 ] pmsi "
		     "pmsi:ingressreplication:1:100(1601):192.0.2.9 bgp-prefix-sid [ 777, [ ( 800000,4096 ), "
		     "( 1000000,5000 ) ] ] attribute [ 0x63 0xE0 0xdead ]");
}

static void test_print_flowspec_communities(void **state)
{
	(void)state;
	/* Empty AS_PATH: ExaBGP prints no as-path at all. */
	expect_print("400101004002004003040a00000140050400000064c0103080060000000000008008fde80000029a8009000000"
		     "00002e8007000000000003010c0a0000090001030c000000000008",
		     1,
		     "\"origin\": \"igp\", \"local-preference\": 100, \"extended-community\": [ { \"value\": "
		     "9225060886715039744, \"string\": \"rate-limit:0\" }, { \"value\": 9225903009542701722, "
		     "\"string\": \"redirect:65000:666\" }, { \"value\": 9225905311645171758, \"string\": \"mark 46\" }, "
		     "{ \"value\": 9225342361691750403, \"string\": \"action sample-terminal\" }, { \"value\": "
		     "75446288875323393, \"string\": \"copy-to-nexthop-ietf 10.0.0.9 (with copy)\" }, { \"value\": "
		     "219550481834311688, \"string\": \"encap:VXLAN\" } ]",
		     " origin igp local-preference 100 extended-community [ copy-to-nexthop-ietf 10.0.0.9 (with copy) "
		     "encap:VXLAN rate-limit:0 action sample-terminal redirect:65000:666 mark 46 ]");
}

static void test_print_ipv6_ext_large_dups(void **state)
{
	(void)state;
	expect_print("40010101500200060201000000014003040a000001c00804fde80002c01914000c000102030405060708090a0b0c"
		     "0d0e0f0001c02024000000030000000200000001000000010000000200000003000000030000000200000001",
		     1,
		     "\"origin\": \"egp\", \"as-path\": [ 1 ], \"confederation-path\": [], \"community\": [ [ 65000, 2 ] ], "
		     "\"attribute-0x19-0xC0\": \"copy-to-nexthop-ietf 1:203:405:607:809:a0b:c0d:e0f (with copy)\", "
		     "\"large-community\": [ [ 3, 2 , 1 ], [ 1, 2 , 3 ] ]",
		     " origin egp as-path [ 1 ] community 65000:2 attribute [ 0x19 0xC0 copy-to-nexthop-ietf "
		     "1:203:405:607:809:a0b:c0d:e0f (with copy) ] large-community [ 1:2:3 3:2:1 ]");
}

static void test_print_ext_strings(void **state)
{
	(void)state;
	static const struct {
		const char *hex, *text;
	} cases[] = {
		{"0002fde800000064", "target:65000:100"},
		{"4002fde800000064", "target:65000:100"}, /* non-transitive RT (Quagga) */
		{"0102c0a80101000a", "target:192.168.1.1:10"},
		{"0202000186a0000a", "target:100000L:10"},
		{"0003fde8c0a80101", "origin:65000:192.168.1.1"},
		{"0103c0a80101fde8", "origin:65000:192.168.1.1"},
		{"0203000186a0000a", "origin:100000L:10"},
		{"0013fde800000064", "rtrecord:65000:100"},
		{"8006000049742400", "rate-limit:1000000"},
		{"80060000bfc00000", "rate-limit:-1"},
		{"8007000000000000", "action "},
		{"8007000000000001", "action terminal"},
		{"8208000186a00064", "redirect:100000:100"},
		{"80090000000000ff", "mark 255"},
		{"010c0a0000010000", "redirect-to-nexthop-ietf 10.0.0.1"},
		{"0800000000000000", "redirect-to-nexthop"},
		{"0800000000000001", "copy-to-nexthop"},
		{"800a130005dc0000", "l2info:19:0:1500:0"},
		{"030c000000000005", "encap:encap:UNKNOWN-5"},
		{"0314000000010000", "consistentHashSortOrder:1"},
		{"4702000003e84005", "interface-set:input:1000:5"},
		{"0600010000000007", "mac-mobility:7:sticky"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t c[8];
		assert_int_equal(unhex(cases[i].hex, c, 8), 8);
		struct wbuf w;
		wb_init(&w, 0);
		assert_int_equal(extcommunity_string(&w, c), 1);
		assert_string_equal(sb_cstr(&w), cases[i].text);
		wb_free(&w);
	}
	uint8_t unknown[8] = {0x40, 0x04, 0x12, 0x34, 0x46, 0x1c, 0x40, 0x00}; /* link bandwidth: not decoded */
	struct wbuf w;
	wb_init(&w, 0);
	assert_int_equal(extcommunity_string(&w, unknown), 0);
	assert_int_equal(w.len, 0);
	attr_text(&w, ATTR_EXT_COMMUNITIES, 0xc0, unknown, 8);
	assert_string_equal(sb_cstr(&w), " extended-community 0x40041234461C4000");
	wb_free(&w);
}

static void test_print_single_values(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 0);
	uint8_t aigp[] = {0x01, 0x00, 0x0b, 0, 0, 0, 0, 0, 0, 0x01, 0x2c};
	attr_json(&w, ATTR_AIGP, 0x80, aigp, sizeof(aigp));
	assert_string_equal(sb_cstr(&w), "\"aigp\": 300");
	wb_reset(&w);
	attr_text(&w, ATTR_AIGP, 0x80, aigp, sizeof(aigp));
	assert_string_equal(sb_cstr(&w), " aigp 0x000000000000012c");
	wb_reset(&w);
	uint8_t origin_bad[] = {7};
	attr_json(&w, ATTR_ORIGIN, 0x40, origin_bad, 1);
	assert_string_equal(sb_cstr(&w), "\"origin\": \"invalid\"");
	wb_reset(&w);
	uint8_t comm_bad[] = {1, 2, 3};
	attr_json(&w, ATTR_COMMUNITIES, 0xc0, comm_bad, 3); /* a value that does not parse: generic */
	assert_string_equal(sb_cstr(&w), "\"attribute-0x08-0xC0\": \"0x010203\"");
	wb_reset(&w);
	attr_json(&w, ATTR_NEXT_HOP, 0x40, (const uint8_t *)"\x0a\0\0\x01", 4); /* never printed */
	assert_int_equal(w.len, 0);
	uint8_t path[] = {AS_SET, 2, 0, 0, 0, 7, 0, 0, 0, 8};
	attr_text(&w, ATTR_AS_PATH, 0x40, path, sizeof(path));
	assert_string_equal(sb_cstr(&w), " as-path [ ( 7 8 )]");
	wb_reset(&w);
	uint8_t as4[] = {AS_SEQUENCE, 2, 0, 0, 0, 1, 0, 0, 0, 2};
	attr_json(&w, ATTR_AS4_PATH, 0xc0, as4, sizeof(as4)); /* as ExaBGP, were one left in a set */
	assert_string_equal(sb_cstr(&w), "\"attribute-0x11-0xC0\": \"[ 1 2 ]\"");
	wb_reset(&w);
	uint8_t pmsi[] = {0, 0, 0, 0, 0};
	attr_text(&w, ATTR_PMSI_TUNNEL, 0xc0, pmsi, sizeof(pmsi));
	assert_string_equal(sb_cstr(&w), " pmsi pmsi:notunnel:0:0:");
	wb_reset(&w);
	sb_json_string(&w, "a\"b\\c\n\x01", 7);
	assert_string_equal(sb_cstr(&w), "\"a\\\"b\\\\c\\n\\u0001\"");
	wb_free(&w);

	/* A fixed buffer that is too small fails cleanly. */
	char small[8];
	wb_init_fixed(&w, small, sizeof(small));
	attr_json(&w, ATTR_AIGP, 0x80, aigp, sizeof(aigp));
	assert_true(w.err);
	assert_string_equal(sb_cstr(&w), "");
}

static void test_aspath_helpers(void **state)
{
	(void)state;
	uint8_t two[] = {AS_SEQUENCE, 3, 0x5b, 0xa0, 0xfd, 0xe9, 0x00, 0x64};
	struct wbuf w;
	wb_init(&w, 0);
	aspath_widen(&w, two, sizeof(two));
	uint8_t four[] = {AS_SEQUENCE, 3, 0, 0, 0x5b, 0xa0, 0, 0, 0xfd, 0xe9, 0, 0, 0, 0x64};
	assert_int_equal(w.len, sizeof(four));
	assert_memory_equal(w.data, four, sizeof(four));
	assert_int_equal(aspath_count(four, sizeof(four)), 3);
	uint8_t with_set[] = {AS_SEQUENCE, 1, 0, 0, 0, 1, AS_SET, 2, 0, 0, 0, 2, 0, 0, 0, 3,
			      AS_CONFED_SEQUENCE, 1, 0, 0, 0, 4};
	assert_int_equal(aspath_count(with_set, sizeof(with_set)), 2);
	int confed = 0;
	assert_null(aspath_check(with_set, sizeof(with_set), 4, &confed));
	assert_true(confed);
	assert_non_null(aspath_check(with_set, sizeof(with_set) - 1, 4, &confed));
	wb_free(&w);
}

static int setup(void **state)
{
	(void)state;
	attr_pool_init(&pool);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(pool.count, 0);
	attr_pool_free(&pool);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_as_path),
		cmocka_unit_test(test_fixed_lengths),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_as4),
		cmocka_unit_test(test_mp_and_others),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_print_compat_sample),
		cmocka_unit_test(test_print_misc),
		cmocka_unit_test(test_print_flowspec_communities),
		cmocka_unit_test(test_print_ipv6_ext_large_dups),
		cmocka_unit_test(test_print_ext_strings),
		cmocka_unit_test(test_print_single_values),
		cmocka_unit_test(test_aspath_helpers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
