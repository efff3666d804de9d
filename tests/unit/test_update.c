/* update_parse(): hand-made UPDATE bodies for every RFC 7606 rule, the
 * MP_REACH/MP_UNREACH decoding, End-of-RIB, ADD-PATH, the RFC 6793 AS4
 * merge and the interned sets. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wire/notification.h"
#include "update/update_parse.h"

static struct attr_pool pool;
static struct update_msg m;
static uint8_t body[8192];

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; h && *h; h++) {
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

/* [withdrawn len][withdrawn][attr len][attrs][nlri] */
static size_t build(const char *wd, const char *attrs, const char *nlri)
{
	size_t n = 0, k;
	k = unhex(wd, body + 2, sizeof(body) - 2);
	put_u16(body, (uint16_t)k);
	n = 2 + k;
	k = unhex(attrs, body + n + 2, sizeof(body) - n - 2);
	put_u16(body + n, (uint16_t)k);
	n += 2 + k;
	n += unhex(nlri, body + n, sizeof(body) - n);
	return n;
}

static const struct update_parse_opts IBGP4 = {.asn4 = 1};

static int parse(const char *wd, const char *attrs, const char *nlri, const struct update_parse_opts *o)
{
	size_t n = build(wd, attrs, nlri);
	return update_parse(body, n, o, &pool, &m);
}

/* Mandatory attributes: ORIGIN IGP, AS_PATH [65001], NEXT_HOP 10.0.0.1 */
#define BASE "40010100" "4002060201" "0000fde9" "4003040a000001"
#define BASE2 "40010100" "4002040201" "fde9" "4003040a000001" /* 2-octet AS_PATH */

static void expect_reset(uint8_t code, uint8_t sub)
{
	assert_int_equal(m.verdict, UPDATE_RESET);
	assert_int_equal(m.err_code, code);
	assert_int_equal(m.err_sub, sub);
	assert_non_null(m.reason);
	assert_null(m.set);
	assert_null(m.mp_set);
}

static void test_eor(void **state)
{
	(void)state;
	assert_int_equal(update_parse((const uint8_t *)"\0\0\0\0", 4, &IBGP4, &pool, &m), UPDATE_OK);
	assert_true(m.eor);
	assert_int_equal(m.eor_afi, AFI_IPV4);
	assert_int_equal(m.eor_safi, SAFI_UNICAST);
	assert_null(m.set);

	assert_int_equal(parse("", "900f0003000201", "", &IBGP4), UPDATE_OK);
	assert_true(m.eor);
	assert_int_equal(m.eor_afi, AFI_IPV6);
	assert_int_equal(m.eor_safi, SAFI_UNICAST);

	assert_int_equal(parse("", "800f03000185", "", &IBGP4), UPDATE_OK);
	assert_true(m.eor);
	assert_int_equal(m.eor_safi, SAFI_FLOW);

	/* With a prefix it is a withdrawal, not an End-of-RIB. */
	assert_int_equal(parse("", "800f0600020110" "2001", "", &IBGP4), UPDATE_OK);
	assert_false(m.eor);
	assert_true(m.has_mp_unreach);
	assert_int_equal(m.mpu_family, FAM_IPV6_UNICAST);
	assert_int_equal(prefix_field_check(&m.mpu_nlri, AFI_IPV6, 0), 1);

	/* A withdrawal-only UPDATE is not one either. */
	assert_int_equal(parse("080a", "", "", &IBGP4), UPDATE_OK);
	assert_false(m.eor);
	assert_null(m.set);
}

static void test_framing(void **state)
{
	(void)state;
	assert_int_equal(update_parse((const uint8_t *)"\0", 1, &IBGP4, &pool, &m), UPDATE_RESET);
	expect_reset(3, 1);
	/* withdrawn length past the end */
	assert_int_equal(update_parse((const uint8_t *)"\0\x05\0\0", 4, &IBGP4, &pool, &m), UPDATE_RESET);
	expect_reset(3, 1);
	/* attribute length past the end */
	assert_int_equal(update_parse((const uint8_t *)"\0\0\0\x10\x40\x01", 6, &IBGP4, &pool, &m), UPDATE_RESET);
	expect_reset(3, 1);
	assert_null(m.err_data);
}

static void test_attribute_overrun(void **state)
{
	(void)state;
	/* RFC 7606 4: the last attribute claims more than the field holds. */
	assert_int_equal(parse("", BASE "c00808fde80001", "080a", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
	assert_null(m.set);
	assert_int_equal(m.nlri.len, 2); /* the NLRI is still located */
	/* Fewer than 3 bytes left for a header. */
	assert_int_equal(parse("", BASE "c008", "080a", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
	/* Extended length with one length byte. */
	assert_int_equal(parse("", BASE "d00800", "080a", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
}

static void test_duplicates(void **state)
{
	(void)state;
	/* RFC 7606 3.g: a second ORIGIN is dropped, the first wins. */
	assert_int_equal(parse("", BASE "40010102", "080a", &IBGP4), UPDATE_OK);
	assert_int_equal(m.duplicates, 1);
	struct attr_view v;
	assert_true(attrset_get(m.set, ATTR_ORIGIN, &v));
	assert_int_equal(v.val[0], 0);
	update_msg_release(&m, &pool);
	/* Even a malformed duplicate is ignored. */
	assert_int_equal(parse("", BASE "400102ffff", "080a", &IBGP4), UPDATE_OK);
	update_msg_release(&m, &pool);
	/* Two MP_REACH_NLRI / MP_UNREACH_NLRI: reset 3/1. */
	assert_int_equal(parse("", BASE "800f03000201800f03000201", "", &IBGP4), UPDATE_RESET);
	expect_reset(3, 1);
	assert_int_equal(m.err_attr, ATTR_MP_UNREACH_NLRI);
	assert_int_equal(parse("", BASE "800e0b00010104" "0a000001" "00" "080a" "800e0b00010104" "0a000001" "00" "080a", "", &IBGP4),
			 UPDATE_RESET);
	expect_reset(3, 1);
}

static void test_missing(void **state)
{
	(void)state;
	/* RFC 7606 3.d: treat-as-withdraw when NLRI are present. */
	assert_int_equal(parse("", "4002060201" "0000fde9" "4003040a000001", "080a", &IBGP4),
			 UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_ORIGIN);
	assert_null(m.set);
	assert_int_equal(parse("", "40010100" "4003040a000001", "080a", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_AS_PATH);
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9", "080a", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_NEXT_HOP);
	/* Without NLRI nothing is mandatory. */
	assert_int_equal(parse("080a", "40010100", "", &IBGP4), UPDATE_OK);
	/* MP_REACH needs no NEXT_HOP attribute. */
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9" "800e18000201" "10" "20010db8000000000000000000000001"
				   "00" "102001", "", &IBGP4), UPDATE_OK);
	assert_non_null(m.mp_set);
	assert_null(m.set);
	update_msg_release(&m, &pool);
}

static void test_malformed_attribute_verdicts(void **state)
{
	(void)state;
	/* Treat-as-withdraw: bad ORIGIN value, all NLRI withdrawn. */
	assert_int_equal(parse("", "40010103" "4002060201" "0000fde9" "4003040a000001", "080a", &IBGP4),
			 UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_ORIGIN);
	assert_int_equal(update_attr_find(&m, ATTR_ORIGIN)->action, ATTR_TREAT_AS_WITHDRAW);
	/* Discard: ATOMIC_AGGREGATE with a value is dropped, the route stays. */
	assert_int_equal(parse("", BASE "400601ff", "080a", &IBGP4), UPDATE_OK);
	assert_int_equal(m.discarded, 1);
	struct attr_view v;
	assert_false(attrset_get(m.set, ATTR_ATOMIC_AGGREGATE, &v));
	update_msg_release(&m, &pool);
	/* A later reset wins over an earlier treat-as-withdraw. */
	assert_int_equal(parse("", "40010103" "4002060201" "0000fde9" "4003040a000001" "40990100", "080a", &IBGP4),
			 UPDATE_RESET);
	expect_reset(3, 2);
	/* RFC 4271 6.3: the data is the unrecognized attribute. */
	assert_int_equal(m.err_data_len, 4);
	assert_memory_equal(m.err_data, "\x40\x99\x01\x00", 4);
	assert_int_equal(m.err_attr, 0x99);
}

static void test_unknown_attributes(void **state)
{
	(void)state;
	/* Optional transitive: kept, PARTIAL set; optional non-transitive: dropped. */
	assert_int_equal(parse("", BASE "c0630200ff" "80640101", "080a", &IBGP4), UPDATE_OK);
	struct attr_view v;
	assert_true(attrset_get(m.set, 0x63, &v));
	assert_int_equal(v.flags, 0xe0);
	assert_int_equal(v.len, 2);
	assert_false(attrset_get(m.set, 0x64, &v));
	assert_int_equal(m.discarded, 1);
	/* Known attributes carry the table's flags (the received EXTLEN and
	 * PARTIAL bits are not kept). */
	update_msg_release(&m, &pool);
	assert_int_equal(parse("", BASE "f0080004fde80001", "080a", &IBGP4), UPDATE_OK);
	assert_true(attrset_get(m.set, ATTR_COMMUNITIES, &v));
	assert_int_equal(v.flags, 0xc0);
	update_msg_release(&m, &pool);
}

static void test_ebgp(void **state)
{
	(void)state;
	struct update_parse_opts o = IBGP4;
	o.ebgp = 1;
	assert_int_equal(parse("", BASE "4005040000000a", "080a", &o), UPDATE_OK);
	struct attr_view v;
	assert_false(attrset_get(m.set, ATTR_LOCAL_PREF, &v));
	assert_int_equal(m.discarded, 1);
	update_msg_release(&m, &pool);
	/* Confederation segments from an external peer. */
	assert_int_equal(parse("", "40010100" "40020603010000fde9" "4003040a000001", "080a", &o),
			 UPDATE_TREAT_AS_WITHDRAW);
}

/* RFC 7606 7.9, 7.10: ORIGINATOR_ID and CLUSTER_LIST from an external peer
 * are discarded; the routes stay. */
static void test_ebgp_discards(void **state)
{
	(void)state;
	struct update_parse_opts o = IBGP4;
	o.ebgp = 1;
	struct attr_view v;
	assert_int_equal(parse("", BASE "80090401020304" "800a0401020304", "080a", &o), UPDATE_OK);
	assert_int_equal(m.discarded, 2);
	assert_false(attrset_get(m.set, ATTR_ORIGINATOR_ID, &v));
	assert_false(attrset_get(m.set, ATTR_CLUSTER_LIST, &v));
	update_msg_release(&m, &pool);
	/* malformed ones too: discarded before their length matters */
	assert_int_equal(parse("", BASE "800903010203" "800a03010203", "080a", &o), UPDATE_OK);
	update_msg_release(&m, &pool);
	/* iBGP: kept, and a bad length is treat-as-withdraw */
	assert_int_equal(parse("", BASE "80090401020304" "800a0401020304", "080a", &IBGP4), UPDATE_OK);
	assert_true(attrset_get(m.set, ATTR_ORIGINATOR_ID, &v));
	assert_true(attrset_get(m.set, ATTR_CLUSTER_LIST, &v));
	update_msg_release(&m, &pool);
	assert_int_equal(parse("", BASE "800a03010203", "080a", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
}

/* RFC 4271 6.3 / RFC 7606 7.3: NEXT_HOP 0.0.0.0, multicast or our own
 * address: treat-as-withdraw; the peer's address is fine. */
static void test_nexthop_semantics(void **state)
{
	(void)state;
	struct update_parse_opts o = IBGP4;
	o.has_self4 = true;
	memcpy(o.self4, "\x0a\x00\x00\x09", 4);
	const char *bad[] = {"00000000", "e0000001", "efffffff", "0a000009"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char attrs[128];
		snprintf(attrs, sizeof(attrs), "40010100" "4002060201" "0000fde9" "400304%s", bad[i]);
		assert_int_equal(parse("", attrs, "080a", &o), UPDATE_TREAT_AS_WITHDRAW);
		assert_int_equal(m.err_attr, ATTR_NEXT_HOP);
	}
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9" "400304dfffffff", "080a", &o), UPDATE_OK);
	update_msg_release(&m, &pool);
	/* no NLRI field: the NEXT_HOP is not used (RFC 4760 3) */
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9" "40030400000000", "", &o), UPDATE_OK);
}

/* RFC 4271 6.3 leftmost AS, outcome as RFC 7606 7.2 revises it. */
static void test_first_as(void **state)
{
	(void)state;
	struct update_parse_opts o = IBGP4;
	o.ebgp = 1;
	o.first_as = 65001;
	assert_int_equal(parse("", BASE, "080a", &o), UPDATE_OK);
	update_msg_release(&m, &pool);
	o.first_as = 65002;
	assert_int_equal(parse("", BASE, "080a", &o), UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_AS_PATH);
	/* an AS_SET first, or an empty path */
	assert_int_equal(parse("", "40010100" "4002060101" "0000fdea" "4003040a000001", "080a", &o),
			 UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(parse("", "40010100" "400200" "4003040a000001", "080a", &o), UPDATE_TREAT_AS_WITHDRAW);
	/* the check off (route server client) or iBGP */
	o.first_as = 0;
	assert_int_equal(parse("", BASE, "080a", &o), UPDATE_OK);
	update_msg_release(&m, &pool);
	o.first_as = 65002;
	o.ebgp = 0;
	assert_int_equal(parse("", BASE, "080a", &o), UPDATE_OK);
	update_msg_release(&m, &pool);
	/* 2-octet session with a 4-octet peer AS: AS_TRANS leads the path */
	o.ebgp = 1;
	o.asn4 = 0;
	o.first_as = 4200000000u;
	assert_int_equal(parse("", "40010100" "4002040201" "5ba0" "4003040a000001", "080a", &o), UPDATE_OK);
	update_msg_release(&m, &pool);
}

static void test_nlri_errors(void **state)
{
	(void)state;
	assert_int_equal(parse("", BASE, "210a000000", &IBGP4), UPDATE_RESET); /* /33 */
	expect_reset(3, 10);
	assert_int_equal(parse("", BASE, "180a00", &IBGP4), UPDATE_RESET); /* /24 with 2 bytes */
	expect_reset(3, 10);
	assert_int_equal(parse("200a0000", "", "", &IBGP4), UPDATE_RESET);
	expect_reset(3, 10);
	/* /0 and /32 are fine. */
	assert_int_equal(parse("", BASE, "00200a000001", &IBGP4), UPDATE_OK);
	assert_int_equal(prefix_field_check(&m.nlri, AFI_IPV4, 0), 2);
	update_msg_release(&m, &pool);
}

static void test_mp_reach(void **state)
{
	(void)state;
	/* IPv6 unicast, global + link-local next-hop, two prefixes. */
	const char *mp = "800e3d000201"
			 "20" "20010db8000000000000000000000001" "fe800000000000000000000000000001"
			 "00" "30200108000100" "80" "20010db8000000000000000000000002";
	char attrs[512];
	snprintf(attrs, sizeof(attrs), "40010100" "4002060201" "0000fde9" "%s", mp);
	assert_int_equal(parse("", attrs, "", &IBGP4), UPDATE_OK);
	assert_true(m.has_mp_reach);
	assert_int_equal(m.mp_family, FAM_IPV6_UNICAST);
	assert_int_equal(m.mp_nh.kind, NH_IP);
	assert_int_equal(m.mp_nh.len, 32);
	assert_int_equal(m.mp_nh.addr[16], 0xfe);
	assert_non_null(m.mp_set);
	assert_int_equal(m.mp_set->nh.len, 32);
	struct prefix_iter it;
	struct prefix p;
	prefix_iter_init(&it, &m.mp_nlri, AFI_IPV6, 0);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.plen, 48);
	assert_int_equal(p.nlri_len, 7);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.plen, 128);
	assert_int_equal(p.addr[15], 2);
	assert_int_equal(prefix_iter_next(&it, &p), 0);
	update_msg_release(&m, &pool);

	/* VPN next-hops: the route distinguisher is removed. */
	assert_int_equal(parse("", "800e11000180" "0c" "0000000000000000" "0a000001" "00", "", &IBGP4), UPDATE_OK);
	assert_int_equal(m.mp_nh.len, 4);
	assert_memory_equal(m.mp_nh.addr, "\x0a\x00\x00\x01", 4);
	assert_int_equal(parse("", "800e1d00028018" "0000000000000000" "20010db8000000000000000000000001" "00", "",
			       &IBGP4), UPDATE_OK);
	assert_int_equal(m.mp_nh.len, 16);

	/* Next-hop length 5: reset 3/9 with the attribute as data. */
	assert_int_equal(parse("", "800e0c00010105" "0a00000101" "00" "080a", "", &IBGP4), UPDATE_RESET);
	expect_reset(3, 9);
	assert_int_equal(m.err_data_len, 15);
	assert_int_equal(m.err_data[0], 0x80);
	/* A route distinguisher for IPv6 unicast, none for IPv6 VPN: reset. */
	assert_int_equal(parse("", "800e11000201" "0c" "0000000000000000" "0a000001" "00", "", &IBGP4),
			 UPDATE_RESET);
	expect_reset(3, 9);
	assert_int_equal(parse("", "800e15000280" "10" "20010db8000000000000000000000001" "00", "", &IBGP4),
			 UPDATE_RESET);
	expect_reset(3, 9);
	/* IPv6 next-hop for IPv4 unicast (RFC 8950) is fine. */
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9" "800e17000101" "10"
				   "20010db8000000000000000000000001" "00" "080a", "", &IBGP4),
			 UPDATE_OK);
	assert_int_equal(m.mp_nh.len, 16);
	assert_int_equal(m.mp_set->nh.len, 16);
	update_msg_release(&m, &pool);
	/* Bad prefix inside MP_REACH: reset 3/9. */
	assert_int_equal(parse("", "800e0b0001010" "40a00000100" "210a", "", &IBGP4), UPDATE_RESET);
	expect_reset(3, 9);
	/* A family that was not negotiated. */
	struct update_parse_opts o = IBGP4;
	o.families = FAM_BIT(FAM_IPV4_UNICAST);
	snprintf(attrs, sizeof(attrs), "40010100" "4002060201" "0000fde9" "%s", mp);
	assert_int_equal(parse("", attrs, "", &o), UPDATE_RESET);
	expect_reset(3, 9);
	assert_int_equal(parse("", "800f03000201", "", &o), UPDATE_RESET);
	expect_reset(3, 9);
	/* Wrong flags on MP_REACH_NLRI / MP_UNREACH_NLRI whose contents parse:
	 * treat-as-withdraw of those NLRI (RFC 7606 3.c); contents that do
	 * not parse still reset the session. */
	assert_int_equal(parse("", BASE "c00e0b000101040a000001" "00" "080a", "", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_MP_REACH_NLRI);
	assert_int_equal(m.mp_nlri.len, 2);
	assert_int_equal(parse("", "400f050001010800", "", &IBGP4), UPDATE_TREAT_AS_WITHDRAW);
	assert_int_equal(m.err_attr, ATTR_MP_UNREACH_NLRI);
	assert_int_equal(parse("", BASE "c00e0b000101040a000001" "00" "210a", "", &IBGP4), UPDATE_RESET);
	expect_reset(3, 9);
	/* Unknown family with the check off: kept as an opaque view. */
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9" "800e0a00630104" "0a000001" "00" "ff", "",
			       &IBGP4),
			 UPDATE_OK);
	assert_int_equal(m.mp_family, -1);
	assert_int_equal(m.mp_nlri.len, 1);
	update_msg_release(&m, &pool);
}

/* An MP_REACH_NLRI (or MP_UNREACH_NLRI when unreach) of (afi, safi) with
 * the mandatory attributes and NLRI nlri_hex (next-hop nh_hex). */
static int parse_mp(uint16_t afi, uint8_t safi, const char *nh_hex, const char *nlri_hex, bool unreach)
{
	uint8_t nh[64], nlri[512];
	size_t nhl = unhex(nh_hex, nh, sizeof(nh)), nl = unhex(nlri_hex, nlri, sizeof(nlri));
	char attrs[2048];
	int o = snprintf(attrs, sizeof(attrs), "40010100" "4002060201" "0000fde9");
	size_t vlen = unreach ? 3 + nl : 5 + nhl + nl;
	o += snprintf(attrs + o, sizeof(attrs) - (size_t)o, "90%s%04zx%04x%02x", unreach ? "0f" : "0e", vlen, afi, safi);
	if (!unreach) {
		o += snprintf(attrs + o, sizeof(attrs) - (size_t)o, "%02zx", nhl);
		for (size_t i = 0; i < nhl; i++)
			o += snprintf(attrs + o, sizeof(attrs) - (size_t)o, "%02x", nh[i]);
		o += snprintf(attrs + o, sizeof(attrs) - (size_t)o, "00");
	}
	for (size_t i = 0; i < nl; i++)
		o += snprintf(attrs + o, sizeof(attrs) - (size_t)o, "%02x", nlri[i]);
	return parse("", attrs, "", &IBGP4);
}

/* NLRI checks apply to every family, not only plain prefixes (issue 10):
 * an NLRI field that cannot be walked resets the session (RFC 7606 5.3,
 * 7.11: fastbgp has no AFI/SAFI disable), a FlowSpec rule malformed inside
 * a well-delimited NLRI is treat-as-withdraw (RFC 8955 7). */
static void test_mp_nlri_validation(void **state)
{
	(void)state;
	const char *vpn_nh = "0000000000000000" "0a000001";
	/* ipv4 mpls-vpn: 200 bits claimed, 3 bytes there. */
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_MPLS_VPN, vpn_nh, "c8000011", false), UPDATE_RESET);
	expect_reset(3, 9);
	assert_int_equal(m.err_data[1], 14);
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_MPLS_VPN, "", "c8000011", true), UPDATE_RESET);
	expect_reset(3, 9);
	/* label + RD + /40 in IPv4: longer than the address. */
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_MPLS_VPN, vpn_nh, "80" "000011" "0000000100000001" "0a0000010a", false),
			 UPDATE_RESET);
	expect_reset(3, 9);
	/* ipv6 nlri-mpls cut short; l2vpn vpls with a wrong length. */
	assert_int_equal(parse_mp(AFI_IPV6, SAFI_MPLS_LABEL, "20010db8000000000000000000000001", "58000011", false),
			 UPDATE_RESET);
	expect_reset(3, 9);
	assert_int_equal(parse_mp(AFI_L2VPN, SAFI_VPLS, "0a000001", "0010" "0000000100000001", false), UPDATE_RESET);
	expect_reset(3, 9);
	/* A well-formed VPN route still passes. */
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_MPLS_VPN, vpn_nh, "70" "000011" "0000000100000001" "0a0000", false),
			 UPDATE_OK);
	update_msg_release(&m, &pool);

	/* FlowSpec, each rule delimited by its length: treat-as-withdraw. */
	static const char *const bad_flow4[] = {
		"00",                   /* no component: would match everything */
		"03EE8106",             /* component type 0xEE */
		"0603810601080A",       /* protocol before destination */
		"0701280A00000100",     /* destination /40 */
		"03030106",             /* operator list without end-of-list */
		"020391",               /* two-byte value missing */
		"030D8106",             /* flow-label (13) is IPv6 only */
		"0C01200A000001038106058150" "00", /* a good rule, then an empty one */
	};
	for (size_t i = 0; i < sizeof(bad_flow4) / sizeof(bad_flow4[0]); i++) {
		if (parse_mp(AFI_IPV4, SAFI_FLOW, "", bad_flow4[i], false) != UPDATE_TREAT_AS_WITHDRAW)
			fail_msg("flow NLRI %s: verdict %d, expected treat-as-withdraw", bad_flow4[i], m.verdict);
		assert_int_equal(m.err_attr, 14);
		assert_non_null(m.reason);
		assert_null(m.mp_set);
		if (parse_mp(AFI_IPV4, SAFI_FLOW, "", bad_flow4[i], true) != UPDATE_TREAT_AS_WITHDRAW)
			fail_msg("flow withdrawal %s: verdict %d, expected treat-as-withdraw", bad_flow4[i], m.verdict);
		assert_int_equal(m.err_attr, 15);
	}
	/* flow-vpn shorter than its route distinguisher. */
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_FLOW_VPN, "", "050000000100", false), UPDATE_TREAT_AS_WITHDRAW);
	/* A rule whose length overruns the field cannot be delimited: reset. */
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_FLOW, "", "0C01200A00000103810605", false), UPDATE_RESET);
	expect_reset(3, 9);
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_FLOW, "", "03EE8106" "0C0120", false), UPDATE_RESET);
	/* Well-formed rules pass: IPv4, and flow-label in IPv6 (RFC 8956). */
	assert_int_equal(parse_mp(AFI_IPV4, SAFI_FLOW, "", "0C01200A000001038106058150", false), UPDATE_OK);
	update_msg_release(&m, &pool);
	assert_int_equal(parse_mp(AFI_IPV6, SAFI_FLOW, "", "030D8101", false), UPDATE_OK);
	update_msg_release(&m, &pool);
}

static void test_addpath(void **state)
{
	(void)state;
	struct update_parse_opts o = IBGP4;
	o.addpath_rx = FAM_BIT(FAM_IPV4_UNICAST);
	assert_int_equal(parse("00000007080b", BASE, "00000001180a0000" "00000002200a000001", &o), UPDATE_OK);
	struct prefix_iter it;
	struct prefix p;
	prefix_iter_init(&it, &m.nlri, AFI_IPV4, 1);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.path_id, 1);
	assert_int_equal(p.plen, 24);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.path_id, 2);
	assert_int_equal(prefix_iter_next(&it, &p), 0);
	prefix_iter_init(&it, &m.withdrawn, AFI_IPV4, 1);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.path_id, 7);
	update_msg_release(&m, &pool);
	/* The same bytes without ADD-PATH do not parse. */
	assert_int_equal(parse("", BASE, "00000001200a000001", &IBGP4), UPDATE_RESET);
	/* A truncated path identifier. */
	assert_int_equal(parse("", BASE, "000001", &o), UPDATE_RESET);
}

static void expect_path(const char *hex)
{
	uint8_t want[256];
	size_t n = unhex(hex, want, sizeof(want));
	struct attr_view v;
	assert_non_null(m.set);
	assert_true(attrset_get(m.set, ATTR_AS_PATH, &v));
	assert_int_equal(v.len, n);
	assert_memory_equal(v.val, want, n);
}

static void test_as4_merge(void **state)
{
	(void)state;
	struct update_parse_opts o = {0};
	/* 2-octet path widened. */
	assert_int_equal(parse("", BASE2, "080a", &o), UPDATE_OK);
	expect_path("0201 0000fde9");
	assert_int_equal(m.set->nh.kind, NH_IP);
	update_msg_release(&m, &pool);
	/* AS_PATH [1 23456 2] + AS4_PATH [100000 2] => [1 100000 2] */
	assert_int_equal(parse("", "40010100" "40020802030001" "5ba0" "0002" "4003040a000001"
				   "c0110a0202000186a000000002", "080a", &o), UPDATE_OK);
	expect_path("0203 00000001 000186a0 00000002");
	struct attr_view v;
	assert_false(attrset_get(m.set, ATTR_AS4_PATH, &v));
	update_msg_release(&m, &pool);
	/* AS_SET counts as one: [1 23456]{5 6} + [100000]{5 6} => [1 100000]{5 6} */
	assert_int_equal(parse("", "40010100" "40020c0202" "00015ba0" "0102" "00050006" "4003040a000001"
				   "c011100201000186a0" "01020000000500000006", "080a", &o), UPDATE_OK);
	expect_path("0202 00000001 000186a0 0102 00000005 00000006");
	update_msg_release(&m, &pool);
	/* AS4_PATH longer than AS_PATH: ignored. */
	assert_int_equal(parse("", BASE2 "c0110e0203000186a0000186a1000186a2", "080a", &o), UPDATE_OK);
	expect_path("0201 0000fde9");
	update_msg_release(&m, &pool);
	/* AGGREGATOR AS_TRANS: AS4_AGGREGATOR gives the ASN. */
	assert_int_equal(parse("", BASE2 "c007065ba0c0000201" "c01208000186a0c0000201", "080a", &o), UPDATE_OK);
	assert_true(attrset_get(m.set, ATTR_AGGREGATOR, &v));
	assert_int_equal(v.len, 8);
	assert_memory_equal(v.val, "\x00\x01\x86\xa0\xc0\x00\x02\x01", 8);
	assert_false(attrset_get(m.set, ATTR_AS4_AGGREGATOR, &v));
	update_msg_release(&m, &pool);
	/* AGGREGATOR with a real ASN: AS4_PATH and AS4_AGGREGATOR ignored. */
	assert_int_equal(parse("", "40010100" "40020602020001" "5ba0" "4003040a000001" "c00706fde9c0000201"
				   "c0110a0202000186a000000002" "c01208000186a0c0000201", "080a", &o), UPDATE_OK);
	expect_path("0202 00000001 00005ba0");
	assert_true(attrset_get(m.set, ATTR_AGGREGATOR, &v));
	assert_memory_equal(v.val, "\x00\x00\xfd\xe9\xc0\x00\x02\x01", 8);
	update_msg_release(&m, &pool);
	/* Malformed AS4_PATH: discarded, the route stays. */
	assert_int_equal(parse("", BASE2 "c01103020100", "080a", &o), UPDATE_OK);
	assert_int_equal(m.discarded, 1);
	expect_path("0201 0000fde9");
	update_msg_release(&m, &pool);
	/* On a 4-octet session AS4_PATH is ignored. */
	assert_int_equal(parse("", BASE "c0110a0202000186a000000002", "080a", &IBGP4), UPDATE_OK);
	assert_int_equal(m.discarded, 1);
	expect_path("0201 0000fde9");
	update_msg_release(&m, &pool);
}

static void test_interning(void **state)
{
	(void)state;
	struct attr_builder scratch;
	attr_builder_init(&scratch);
	struct update_parse_opts o = IBGP4;
	o.scratch = &scratch;
	assert_int_equal(parse("", BASE "80040400000064", "080a", &o), UPDATE_OK);
	struct attrset *a = m.set;
	m.set = NULL;
	assert_int_equal(parse("", "80040400000064" BASE, "100b0c", &o), UPDATE_OK); /* other order, same set */
	assert_ptr_equal(m.set, a);
	assert_int_equal(a->refcnt, 2);
	assert_int_equal(m.set->nh.len, 4);
	update_msg_release(&m, &pool);
	/* Another next-hop: another set. */
	assert_int_equal(parse("", "40010100" "4002060201" "0000fde9" "4003040a000002" "80040400000064", "080a", &o),
			 UPDATE_OK);
	assert_ptr_not_equal(m.set, a);
	update_msg_release(&m, &pool);
	attrset_unref(&pool, a);
	/* IPv4 NLRI and MP_REACH together: one set each. */
	assert_int_equal(parse("", BASE "800e18000201" "10" "20010db8000000000000000000000001" "00" "102001", "080a", &o),
			 UPDATE_OK);
	assert_non_null(m.set);
	assert_non_null(m.mp_set);
	assert_int_equal(m.set->nh.len, 4);
	assert_int_equal(m.mp_set->nh.len, 16);
	update_msg_release(&m, &pool);
	/* No pool: no sets, same verdict. */
	size_t n = build("", BASE, "080a");
	assert_int_equal(update_parse(body, n, &o, NULL, &m), UPDATE_OK);
	assert_null(m.set);
	assert_true(m.has_nexthop);
	assert_memory_equal(m.nh.addr, "\x0a\x00\x00\x01", 4);
	attr_builder_free(&scratch);
}

static void test_prefix_iter(void **state)
{
	(void)state;
	uint8_t f[] = {0x80, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* /128 */
		       0x0f, 0xff, 0xff};                                                   /* /15, bits masked */
	struct rbuf r;
	rb_init(&r, f, sizeof(f));
	struct prefix_iter it;
	struct prefix p;
	prefix_iter_init(&it, &r, AFI_IPV6, 0);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.nlri_len, 17);
	assert_int_equal(prefix_iter_next(&it, &p), 1);
	assert_int_equal(p.plen, 15);
	assert_int_equal(p.addr[0], 0xff);
	assert_int_equal(p.addr[1], 0xfe);
	assert_int_equal(p.nlri[2], 0xfe);
	assert_int_equal(prefix_iter_next(&it, &p), 0);
	assert_int_equal(prefix_field_check(&r, AFI_IPV4, 0), -1); /* /128 is no IPv4 prefix */
	uint8_t bad[] = {0x81};
	rb_init(&r, bad, 1);
	assert_int_equal(prefix_field_check(&r, AFI_IPV6, 0), -1);
	assert_int_equal(family_table[FAM_IPV6_MULTICAST].kind, NLRI_KIND_PREFIX);
	assert_int_equal(family_table[FAM_IPV4_FLOW].kind, NLRI_KIND_FLOW);
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
	assert_int_equal(pool.count, 0); /* every test dropped its references */
	attr_pool_free(&pool);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eor),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_attribute_overrun),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_malformed_attribute_verdicts),
		cmocka_unit_test(test_unknown_attributes),
		cmocka_unit_test(test_ebgp),
		cmocka_unit_test(test_ebgp_discards),
		cmocka_unit_test(test_nexthop_semantics),
		cmocka_unit_test(test_first_as),
		cmocka_unit_test(test_nlri_errors),
		cmocka_unit_test(test_mp_reach),
		cmocka_unit_test(test_mp_nlri_validation),
		cmocka_unit_test(test_addpath),
		cmocka_unit_test(test_as4_merge),
		cmocka_unit_test(test_interning),
		cmocka_unit_test(test_prefix_iter),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
