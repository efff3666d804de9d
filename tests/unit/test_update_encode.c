/* UPDATE encoding: attribute sets built by hand, packed by the rib-out with
 * a session's rules, compared with ExaBGP 4.2's bytes (the expected hex
 * strings are the messages of its conformance vectors, retyped here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attr/attrset.h"
#include "nlri/family.h"
#include "rib/ribout.h"
#include "rib/update_encode.h"

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
		if (hi < 0)
			hi = v;
		else {
			assert_true(n < max);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static void assert_hex(const struct wbuf *w, const char *hex)
{
	uint8_t want[8192];
	size_t n = unhex(hex, want, sizeof(want));
	if (w->len != n || memcmp(w->data, want, n)) {
		fprintf(stderr, "got  ");
		for (size_t i = 0; i < w->len; i++)
			fprintf(stderr, "%02X", w->data[i]);
		fprintf(stderr, "\nwant %s\n", hex);
	}
	assert_int_equal(w->len, n);
	assert_memory_equal(w->data, want, n);
}

static void set_u32(struct attr_builder *b, uint8_t code, uint8_t flags, uint32_t v)
{
	uint8_t x[4];
	put_u32(x, v);
	attr_builder_set(b, code, flags, x, 4);
}

static void set_nh4(struct attr_builder *b, uint8_t a, uint8_t c, uint8_t d, uint8_t e)
{
	b->nh.kind = NH_IP;
	b->nh.len = 4;
	b->nh.addr[0] = a;
	b->nh.addr[1] = c;
	b->nh.addr[2] = d;
	b->nh.addr[3] = e;
}

static void set_path(struct attr_builder *b, int n, const uint32_t *asns)
{
	uint8_t v[2 + 4 * 16];
	v[0] = AS_SEQUENCE;
	v[1] = (uint8_t)n;
	for (int i = 0; i < n; i++)
		put_u32(v + 2 + 4 * i, asns[i]);
	attr_builder_set(b, ATTR_AS_PATH, 0x40, v, 2 + 4 * (size_t)n);
}

static struct pack_opts ibgp(uint32_t as)
{
	struct pack_opts o;
	memset(&o, 0, sizeof(o));
	o.enc.asn4 = true;
	o.enc.local_as = as;
	o.enc.max_msg = 4096;
	o.enc.has_self4 = true;
	o.enc.self4[0] = 127;
	o.enc.self4[3] = 1;
	o.families = FAM_ALL;
	o.group_updates = true;
	return o;
}

static void v4(struct ribout *r, struct attrset *s, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t len)
{
	uint8_t addr[4] = {a, b, c, d}, nlri[5];
	size_t n = prefix_nlri_encode(nlri, addr, len);
	assert_int_equal(ribout_announce_raw(r, FAM_IPV4_UNICAST, 0, nlri, (uint16_t)n, s), 0);
}

/* conf-aggregator: as-path, atomic-aggregate, aggregator on iBGP. */
static void test_aggregator(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct attr_builder b;
	struct ribout r;
	struct wbuf w;
	attr_pool_init(&pool);
	attr_builder_init(&b);
	ribout_init(&r, &pool);
	wb_init(&w, 0);

	uint32_t path[] = {57821, 6939};
	set_path(&b, 2, path);
	attr_builder_set(&b, ATTR_ATOMIC_AGGREGATE, 0x40, NULL, 0);
	uint8_t agg[8] = {0, 0, 0x46, 0xE0, 219, 118, 225, 189};
	attr_builder_set(&b, ATTR_AGGREGATOR, 0xC0, agg, 8);
	set_nh4(&b, 192, 168, 1, 254);
	struct attrset *s = attr_pool_intern(&pool, &b);
	v4(&r, s, 1, 0, 64, 0, 18);
	struct pack_opts o = ibgp(65533);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 1);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004802"
		       "0000002D4001010040020A02020000E1DD00001B1B400304C0A801FE40050400000064400600C00708000046E0DB76E1BD"
		       "12010040");
	attrset_unref(&pool, s);
	ribout_free(&r);
	wb_free(&w);
	attr_builder_free(&b);
	attr_pool_free(&pool);
}

/* conf-no-asn4: 2-octet AS_PATH when ASN4 is not negotiated. */
static void test_no_asn4(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct attr_builder b;
	struct ribout r;
	struct wbuf w;
	attr_pool_init(&pool);
	attr_builder_init(&b);
	ribout_init(&r, &pool);
	wb_init(&w, 0);
	uint32_t path[] = {100};
	set_path(&b, 1, path);
	set_nh4(&b, 10, 0, 255, 254);
	struct attrset *s = attr_pool_intern(&pool, &b);
	v4(&r, s, 10, 0, 1, 0, 24);
	struct pack_opts o = ibgp(65533);
	o.enc.asn4 = false;
	ribout_pack(&r, &o, &w, 1 << 20);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003402"
		       "0000001940010100400204020100644003040A00FFFE40050400000064180A0001");
	attrset_unref(&pool, s);
	ribout_free(&r);
	wb_free(&w);
	attr_builder_free(&b);
	attr_pool_free(&pool);
}

/* conf-group-limit: two IPv4 routes in one UPDATE, two IPv6 in two. */
static void test_grouping(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct attr_builder b;
	struct ribout r;
	struct wbuf w;
	attr_pool_init(&pool);
	attr_builder_init(&b);
	ribout_init(&r, &pool);
	wb_init(&w, 0);
	set_nh4(&b, 10, 0, 0, 1);
	struct attrset *s4 = attr_pool_intern(&pool, &b);
	v4(&r, s4, 193, 0, 2, 1, 32);
	v4(&r, s4, 193, 0, 2, 2, 32);
	struct pack_opts o = ibgp(1);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 1);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003602"
		       "00000015400101004002004003040A0000014005040000006420C100020120C1000202");

	wb_reset(&w);
	attr_builder_reset(&b);
	b.nh.kind = NH_IP;
	b.nh.len = 16;
	uint8_t nh6[16] = {0x2A, 0x02, 0x0B, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	memcpy(b.nh.addr, nh6, 16);
	struct attrset *s6 = attr_pool_intern(&pool, &b);
	uint8_t p1[17] = {128, 0x2A, 0x02, 0x0B, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
	uint8_t p2[17] = {128, 0x2A, 0x02, 0x0B, 0x80, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2};
	ribout_announce_raw(&r, FAM_IPV6_UNICAST, 0, p1, 17, s6);
	ribout_announce_raw(&r, FAM_IPV6_UNICAST, 0, p2, 17, s6);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 2);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004E02"
		       "000000374001010040020040050400000064800E26000201102A020B800001000000000000000000010080"
		       "2A020B80000000010000000000000001"
		       "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004E02"
		       "000000374001010040020040050400000064800E26000201102A020B800001000000000000000000010080"
		       "2A020B80000000020000000000000002");

	/* Same route again with the same attributes: nothing to send. */
	wb_reset(&w);
	ribout_announce_raw(&r, FAM_IPV6_UNICAST, 0, p1, 17, s6);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 0);
	assert_int_equal(w.len, 0);

	/* Withdrawal of an announced IPv4 route: withdrawn-routes field only. */
	uint8_t addr[4] = {193, 0, 2, 1}, nlri[5];
	size_t n = prefix_nlri_encode(nlri, addr, 32);
	ribout_withdraw(&r, FAM_IPV4_UNICAST, 0, nlri, (uint16_t)n);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 1);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001C02000520C10002010000");

	attrset_unref(&pool, s4);
	attrset_unref(&pool, s6);
	ribout_free(&r);
	wb_free(&w);
	attr_builder_free(&b);
	attr_pool_free(&pool);
}

/* eBGP: local AS prepended unless already first; LOCAL_PREF dropped. */
static void test_ebgp_prepend(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct attr_builder b;
	struct wbuf w;
	attr_pool_init(&pool);
	attr_builder_init(&b);
	wb_init(&w, 0);
	struct pack_opts o = ibgp(65001);
	o.enc.ebgp = true;

	set_nh4(&b, 192, 0, 2, 1);
	set_u32(&b, ATTR_LOCAL_PREF, 0x40, 200);
	struct attrset *s = attr_pool_intern(&pool, &b);
	encode_attributes(&w, s, &o.enc, FAM_IPV4_UNICAST);
	/* ORIGIN, AS_PATH [65001], NEXT_HOP; no LOCAL_PREF on eBGP */
	assert_hex(&w, "40010100 40020602010000FDE9 400304C0000201");
	attrset_unref(&pool, s);

	wb_reset(&w);
	uint32_t p1[] = {64999};
	set_path(&b, 1, p1);
	s = attr_pool_intern(&pool, &b);
	encode_attributes(&w, s, &o.enc, FAM_IPV4_UNICAST);
	assert_hex(&w, "40010100 40020A020200 00FDE9 0000FDE7 400304C0000201");
	attrset_unref(&pool, s);

	wb_reset(&w);
	uint32_t p2[] = {65001, 64999};
	set_path(&b, 2, p2);
	s = attr_pool_intern(&pool, &b);
	encode_attributes(&w, s, &o.enc, FAM_IPV4_UNICAST);
	assert_hex(&w, "40010100 40020A020200 00FDE9 0000FDE7 400304C0000201");
	attrset_unref(&pool, s);

	/* iBGP sends the path as given. */
	wb_reset(&w);
	o.enc.ebgp = false;
	set_path(&b, 1, p1);
	s = attr_pool_intern(&pool, &b);
	encode_attributes(&w, s, &o.enc, FAM_IPV4_UNICAST);
	assert_hex(&w, "40010100 400206020100 00FDE7 400304C0000201 400504000000C8");
	attrset_unref(&pool, s);

	/* A 4-octet ASN to a 2-octet peer: AS_TRANS and AS4_PATH after AS_PATH. */
	wb_reset(&w);
	o.enc.asn4 = false;
	uint32_t p3[] = {4200000000u};
	set_path(&b, 1, p3);
	s = attr_pool_intern(&pool, &b);
	encode_attributes(&w, s, &o.enc, FAM_IPV4_UNICAST);
	assert_hex(&w, "40010100 4002040201 5BA0 C0110602 01FA56EA00 400304C0000201 400504000000C8");
	attrset_unref(&pool, s);

	wb_free(&w);
	attr_builder_free(&b);
	attr_pool_free(&pool);
}

static void test_eor(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 0);
	encode_eor(&w, AFI_IPV4, SAFI_UNICAST);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000");
	wb_reset(&w);
	encode_eor(&w, AFI_IPV6, SAFI_UNICAST);
	assert_hex(&w, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000201");
	wb_free(&w);
}

/* Packing respects the message size: 2,000 /32s with one attribute set
 * fill several 4096-byte UPDATEs and every prefix is written once. */
static void test_pack_limit(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct attr_builder b;
	struct ribout r;
	struct wbuf w;
	attr_pool_init(&pool);
	attr_builder_init(&b);
	ribout_init(&r, &pool);
	wb_init(&w, 0);
	set_nh4(&b, 10, 0, 0, 1);
	struct attrset *s = attr_pool_intern(&pool, &b);
	for (int i = 0; i < 2000; i++)
		v4(&r, s, 10, 1, (uint8_t)(i >> 8), (uint8_t)i, 32);
	struct pack_opts o = ibgp(1);
	size_t msgs = ribout_pack(&r, &o, &w, 1 << 24);
	size_t off = 0, prefixes = 0, count = 0;
	while (off < w.len) {
		size_t len = get_u16(w.data + off + 16);
		assert_true(len <= 4096);
		size_t alen = get_u16(w.data + off + 21);
		prefixes += (len - 23 - alen) / 5;
		off += len;
		count++;
	}
	assert_int_equal(count, msgs);
	assert_int_equal(prefixes, 2000);
	assert_true(msgs >= 3);
	assert_false(ribout_has_pending(&r));
	attrset_unref(&pool, s);
	ribout_free(&r);
	wb_free(&w);
	attr_builder_free(&b);
	attr_pool_free(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregator),   cmocka_unit_test(test_no_asn4),
		cmocka_unit_test(test_grouping),     cmocka_unit_test(test_ebgp_prepend),
		cmocka_unit_test(test_eor),          cmocka_unit_test(test_pack_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
