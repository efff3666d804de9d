/* BGP-LS (src/nlri/bgpls.c, src/attr/attr_bgpls.c): the RFC 9552 8.2.2
 * outcome of each kind of malformed Link-State NLRI (treat-as-withdraw
 * inside its length, session reset past it) and BGP-LS attribute
 * (attribute discard), and the printers on hand-built vectors (RFC 9552
 * 5.2 / 5.3, RFC 9085). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "attr/attr_table.h"
#include "nlri/family.h"
#include "nlri/nlri_decode.h"
#include "wire/buf.h"

/* protocol IS-IS L2, identifier 0, local node: AS 65000, IS-IS router-id */
#define HDR "\x02" "\0\0\0\0\0\0\0\0"
#define LOCAL "\x01\x00\x00\x12" "\x02\x00\x00\x04\x00\x00\xfd\xe8" "\x02\x03\x00\x06\x00\x00\x00\x00\x00\x01"
#define REMOTE "\x01\x01\x00\x12" "\x02\x00\x00\x04\x00\x00\xfd\xe8" "\x02\x03\x00\x06\x00\x00\x00\x00\x00\x02"

struct vec {
	const char *bytes;
	size_t len;
	enum nlri_field_verdict want;
	const char *why;
};
#define V(s, w, why) {s, sizeof(s) - 1, w, why}

static const struct vec nlri_cases[] = {
	V("\x00\x01\x00\x1f" HDR LOCAL, NLRI_FIELD_OK, "a node"),
	V("\x00\x02\x00\x35" HDR LOCAL REMOTE, NLRI_FIELD_OK, "a link"),
	V("\x00\x03\x00\x24" HDR LOCAL "\x01\x09\x00\x01\x00", NLRI_FIELD_OK, "the default prefix"),
	V("\x00\x09\x00\x02\xab\xcd", NLRI_FIELD_OK, "an NLRI type of a later RFC: kept"),
	V("\x00\x01\x00\x09" HDR, NLRI_FIELD_WITHDRAW, "no local node descriptors"),
	V("\x00\x01\x00\x05" "\x02\0\0\0\0", NLRI_FIELD_WITHDRAW, "shorter than protocol + identifier"),
	V("\x00\x02\x00\x1f" HDR LOCAL, NLRI_FIELD_WITHDRAW, "a link without its remote node"),
	V("\x00\x01\x00\x35" HDR LOCAL REMOTE, NLRI_FIELD_WITHDRAW, "a node with a remote node"),
	V("\x00\x03\x00\x1f" HDR LOCAL, NLRI_FIELD_WITHDRAW, "a prefix without IP reachability"),
	V("\x00\x03\x00\x25" HDR LOCAL "\x01\x09\x00\x02\x21\x0a", NLRI_FIELD_WITHDRAW, "33 bits of IPv4"),
	V("\x00\x04\x00\x25" HDR LOCAL "\x01\x09\x00\x02\x81\x20", NLRI_FIELD_WITHDRAW, "129 bits of IPv6"),
	V("\x00\x03\x00\x25" HDR LOCAL "\x01\x09\x00\x02\x18\x0a", NLRI_FIELD_WITHDRAW, "24 bits in 1 byte"),
	V("\x00\x03\x00\x25" HDR LOCAL "\x01\x08\x00\x02\x01\x01", NLRI_FIELD_WITHDRAW, "a 2-byte OSPF route type"),
	V("\x00\x02\x00\x3a" HDR LOCAL REMOTE "\x01\x03\x00\x01\x0a", NLRI_FIELD_WITHDRAW, "a 1-byte IPv4 address"),
	V("\x00\x02\x00\x39" HDR LOCAL REMOTE "\x01\x07\x00\x00", NLRI_FIELD_WITHDRAW, "an empty MT-ID"),
	V("\x00\x01\x00\x11" HDR "\x01\x00\x00\x04\x02\x00\x00\x05", NLRI_FIELD_WITHDRAW, "a sub-TLV past its TLV"),
	V("\x00\x01\x00\x0f" HDR "\x01\x00\x00\x04\x02\x00", NLRI_FIELD_WITHDRAW, "a TLV past the NLRI"),
	V("\x00\x01\x00\x14" HDR "\x01\x00\x00\x08\x02\x00\x00\x04\x00\x00\xfd", NLRI_FIELD_WITHDRAW, "sub-TLV cut"),
	V("\x00\x01\x00\x13" HDR "\x01\x00\x00\x06\x02\x00\x00\x02\xfd\xe8", NLRI_FIELD_WITHDRAW, "a 2-byte AS"),
	V("\x00\x01\x00\x1f" HDR "\x02\x00", NLRI_FIELD_RESET, "the NLRI length overruns the field"),
	V("\x00\x01\x00", NLRI_FIELD_RESET, "a cut NLRI header"),
	V("\x00\x01\x00\x1f" HDR LOCAL "\x00", NLRI_FIELD_RESET, "a byte after the last NLRI"),
};

static void test_nlri_verdicts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(nlri_cases) / sizeof(nlri_cases[0]); i++) {
		const struct vec *c = &nlri_cases[i];
		const char *reason;
		enum nlri_field_verdict v =
			nlri_field_validate(FAM_BGPLS, (const uint8_t *)c->bytes, c->len, false, false, &reason);
		if (v != c->want)
			fail_msg("%s: verdict %d, want %d", c->why, v, c->want);
		assert_true((v == NLRI_FIELD_OK) == (reason == NULL));
	}
}

/* bgp-ls-vpn: an RD of 8 bytes first */
static void test_vpn_needs_its_rd(void **state)
{
	(void)state;
	static const uint8_t ok[] = "\x00\x01\x00\x27" "\0\0\xfd\xe8\0\0\0\x07" HDR LOCAL;
	static const uint8_t short_rd[] = "\x00\x01\x00\x04" "\0\0\xfd\xe8";
	assert_int_equal(nlri_field_validate(FAM_BGPLS_VPN, ok, sizeof(ok) - 1, false, false, NULL), NLRI_FIELD_OK);
	assert_int_equal(nlri_field_validate(FAM_BGPLS_VPN, short_rd, sizeof(short_rd) - 1, false, false, NULL),
			 NLRI_FIELD_WITHDRAW);
	/* the same bytes without RD in bgp-ls are a node with a bad header */
	assert_int_equal(nlri_field_validate(FAM_BGPLS, ok, sizeof(ok) - 1, false, false, NULL), NLRI_FIELD_WITHDRAW);
}

static void json_of(const char *bytes, size_t len, const char *nh, char *out, size_t outlen)
{
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, FAM_BGPLS, (const uint8_t *)bytes, len, false, nh == NULL), 0);
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	struct wbuf w;
	wb_init_fixed(&w, out, outlen);
	nlri_item_json(&w, &item, nh, false);
	sb_cstr(&w);
	assert_false(w.err);
}

static void test_nlri_json(void **state)
{
	(void)state;
	char buf[1024];
	static const char link[] = "\x00\x02\x00\x49" HDR LOCAL REMOTE "\x01\x02\x00\x08\0\0\0\x07\0\0\0\x09"
				   "\x01\x07\x00\x04\x00\x00\x80\x02";
	json_of(link, sizeof(link) - 1, "10.0.0.1", buf, sizeof(buf));
	assert_string_equal(buf, "{ \"ls-nlri-type\": \"bgpls-link\", \"l3-routing-topology\": 0, \"protocol-id\": 2, "
				 "\"local-node-descriptors\": { \"autonomous-system\": 65000, \"router-id\": "
				 "\"000000000001\" }, \"remote-node-descriptors\": { \"autonomous-system\": 65000, "
				 "\"router-id\": \"000000000002\" }, \"interface-address\": {  }, "
				 "\"neighbor-address\": {  }, \"link-identifiers\": { \"link-local-id\": 7, "
				 "\"link-remote-id\": 9 }, \"multi-topology-ids\": [ 0, 2 ] }");
	static const char v6[] = "\x00\x04\x00\x25" HDR LOCAL "\x01\x09\x00\x02\x08\x20";
	json_of(v6, sizeof(v6) - 1, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "{ \"ls-nlri-type\": \"bgpls-prefix-v6\", \"l3-routing-topology\": 0, \"protocol-id\": "
				 "2, \"node-descriptors\": { \"autonomous-system\": 65000, \"router-id\": "
				 "\"000000000001\" }, \"ip-reachability-tlv\": \"2000::\", \"ip-reach-prefix\": "
				 "\"2000::/8\", \"nexthop\": \"None\" }");
	/* a malformed NLRI (only ever printed in logs) is printed raw, and
	 * never read past its bytes */
	static const char bad[] = "\x00\x01\x00\x05\x02\0\0\0\0";
	json_of(bad, sizeof(bad) - 1, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "{ \"code\": 1, \"parsed\": false, \"raw\": \"01050200000000\" }");
}

static int attr_check(const char *bytes, size_t len)
{
	struct attr_ctx ctx = {1, 0};
	struct attr_verdict v;
	memset(&v, 0, sizeof(v));
	attr_validate(ATTR_BGP_LS, 0x80, (const uint8_t *)bytes, len, &ctx, &v);
	return v.action;
}
#define A(s) attr_check(s, sizeof(s) - 1)

static void test_attribute_discard(void **state)
{
	(void)state;
	assert_int_equal(A("\x04\x00\x00\x01\x80"), ATTR_OK);                   /* node flags */
	assert_int_equal(A("\x04\x4b\x00\x07\x30\x01\x00\x00\x00\x3e\x81"), ATTR_OK); /* adjacency SID label */
	assert_int_equal(A("\x04\x65\x00\x02\xab\xcd"), ATTR_OK);               /* unknown TLV 1125 */
	assert_int_equal(A("\x04\x00\x00\x02\x80\x00"), ATTR_DISCARD);          /* 2-byte node flags */
	assert_int_equal(A("\x04\x00\x00\x00"), ATTR_DISCARD);                  /* empty node flags */
	assert_int_equal(A("\x04\x41\x00\x02\x00\x00"), ATTR_DISCARD);          /* 2-byte max bandwidth */
	assert_int_equal(A("\x04\x47\x00\x04\x00\x00\x00\x01"), ATTR_DISCARD);  /* 4-byte IGP metric */
	assert_int_equal(A("\x04\x48\x00\x06\x00\x00\x00\x01\x00\x00"), ATTR_DISCARD); /* SRLG of 6 bytes */
	assert_int_equal(A("\x04\x4b\x00\x06\x30\x01\x00\x00\x3e\x81"), ATTR_DISCARD); /* a label cut */
	assert_int_equal(A("\x04\x86\x00\x0c\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x02"),
			 ATTR_DISCARD);                                           /* 2 indexes */
	assert_int_equal(A("\x04\x0a\x00\x0a\xc0\x00\x00\x00\x10\x04\x8a\x00\x00\x00"),
			 ATTR_DISCARD);                                           /* SR range, sub-TLV 1162 */
	assert_int_equal(A("\x04\x00\x00\x05\x80"), ATTR_DISCARD);              /* length past the attribute */
	assert_int_equal(A("\x04\x00\x00"), ATTR_DISCARD);                      /* a cut header */
	assert_int_equal(attr_check("", 0), ATTR_DISCARD);
	assert_int_equal(attr_def_get(ATTR_BGP_LS)->malformed, ATTR_DISCARD);
}

static void attr_json_is(const char *bytes, size_t len, const char *want)
{
	char buf[1024];
	struct wbuf w;
	wb_init_fixed(&w, buf, sizeof(buf));
	attr_json(&w, ATTR_BGP_LS, 0x80, (const uint8_t *)bytes, len);
	assert_string_equal(sb_cstr(&w), want);
}
#define AJ(s, want) attr_json_is(s, sizeof(s) - 1, want)

static void test_attribute_json(void **state)
{
	(void)state;
	/* Python's float repr: shortest digits, exponent from 1e16 */
	AJ("\x04\x41\x00\x04\x4e\x95\x02\xf9", "\"bgp-ls\": { \"maximum-link-bandwidth\": 1250000000.0 }");
	AJ("\x04\x41\x00\x04\x5a\x80\x00\x00", "\"bgp-ls\": { \"maximum-link-bandwidth\": 1.8014398509481984e+16 }");
	AJ("\x04\x41\x00\x04\x3f\xc0\x00\x00", "\"bgp-ls\": { \"maximum-link-bandwidth\": 1.5 }");
	AJ("\x04\x41\x00\x04\x38\xd1\xb7\x17", "\"bgp-ls\": { \"maximum-link-bandwidth\": 9.999999747378752e-05 }");
	AJ("\x04\x41\x00\x04\x00\x00\x00\x00", "\"bgp-ls\": { \"maximum-link-bandwidth\": 0.0 }");
	/* every local router-id so far, as ExaBGP 4.2 lists them */
	AJ("\x04\x04\x00\x04\x01\x01\x01\x01\x04\x04\x00\x04\x02\x02\x02\x02",
	   "\"bgp-ls\": { \"local-te-router-ids\": [\"1.1.1.1\"], \"local-te-router-ids\": [\"1.1.1.1\", \"2.2.2.2\"] }");
	/* an adjacency SID whose flags have V without L: undecoded hex */
	AJ("\x04\x4b\x00\x06\x20\x05\x00\x00\xab\xcd",
	   "\"bgp-ls\": { \"sr-adj-flags\": {\"F\": 0, \"B\": 0, \"V\": 1, \"L\": 0, \"S\": 0, \"P\": 0, \"RSV\": 0}, "
	   "\"sids\": [], \"undecoded-sids\": [\"0xABCD\"], \"sr-adj-weight\": 5 }");
	/* a link name whose uuencoding holds '"' stays valid JSON */
	AJ("\x04\x4a\x00\x08ge-0/0/0", "\"bgp-ls\": { \"link-name\": \"b'(9V4M,\\\"\\\\P+S  \\n'\" }");
	AJ("\x04\x65\x00\x02\xab\xcd", "\"bgp-ls\": { \"attribute-not-implemented\": \"1125\" }");
}

static void test_attribute_text(void **state)
{
	(void)state;
	/* as ExaBGP 4.2 prints it ("exabgp --decode" of an UPDATE with it) */
	static const char a[] = "\x04\x02\x00\x02r1\x04\x00\x00\x01\x80\x04\x04\x00\x04\x01\x01\x01\x01"
				"\x04\x0a\x00\x0c\xc0\x00\x00\x1f\x40\x04\x89\x00\x03\x00\x3e\x80"
				"\x04\x4a\x00\x04\x61\x62\x27\x63";
	char buf[1024];
	struct wbuf w;
	wb_init_fixed(&w, buf, sizeof(buf));
	attr_text(&w, ATTR_BGP_LS, 0x80, (const uint8_t *)a, sizeof(a) - 1);
	assert_string_equal(sb_cstr(&w), " bgp-ls nodename: r1, nodeflags: {'O': 1, 'T': 0, 'E': 0, 'B': 0, 'R': 0, "
					 "'V': 0, 'RSV': 0}, Local TE Router IDs: 1.1.1.1, sr_capability_flags: "
					 "{'I': 1, 'V': 1, 'RSV': 0}, sids: [(8000, 16000)], linkname: b'$86(G8P  \\n'");
	/* a newline from the peer cannot split the text line */
	wb_init_fixed(&w, buf, sizeof(buf));
	attr_text(&w, ATTR_BGP_LS, 0x80, (const uint8_t *)"\x04\x02\x00\x03" "a\nb", 7);
	assert_string_equal(sb_cstr(&w), " bgp-ls nodename: a?b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nlri_verdicts),     cmocka_unit_test(test_vpn_needs_its_rd),
		cmocka_unit_test(test_nlri_json),         cmocka_unit_test(test_attribute_discard),
		cmocka_unit_test(test_attribute_json),    cmocka_unit_test(test_attribute_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
