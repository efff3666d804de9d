/* The family table (src/nlri/family.c): every entry is consistent with its
 * codec, the masks have room for more families, and the per-family rules
 * the rest of fastbgp asks for (next-hop lengths, route words, rib views,
 * the family a route's words pick) come out of the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nlri/family.h"
#include "nlri/nlri_decode.h"

static void test_table_consistent(void **state)
{
	(void)state;
	for (int f = 0; f < FAM_COUNT; f++) {
		const struct family_def *fd = &family_table[f];
		assert_int_equal(family_find(fd->afi, fd->safi), f);
		assert_int_equal(family_by_name(fd->afi_name, fd->safi_name), f);
		assert_int_equal(safi_by_name(fd->safi_name), fd->safi);
		assert_string_equal(safi_name(fd->safi), fd->safi_name);
		/* a codec exactly for the layouts decoded here */
		if ((fd->kind == NLRI_KIND_OPAQUE) != (fd->codec == NULL))
			fail_msg("family %s %s: kind %u and codec disagree", fd->afi_name, fd->safi_name, fd->kind);
		if (fd->codec)
			assert_true(fd->codec->decode && fd->codec->text && fd->codec->json);
		/* the RD in the next-hop goes with the rd route word */
		assert_int_equal(fd->nh_rd_len != 0, fd->kind == NLRI_KIND_VPN);
	}
	/* one family alone uses the UPDATE's own NLRI fields (RFC 4760) */
	int base = 0;
	for (int f = 0; f < FAM_COUNT; f++)
		base += family_table[f].base_nlri;
	assert_int_equal(base, 1);
	assert_true(family_table[FAM_IPV4_UNICAST].base_nlri);
	/* ADD-PATH ranks are 1..n with no gap or repeat */
	int seen[FAM_COUNT + 1] = {0}, n = 0;
	for (int f = 0; f < FAM_COUNT; f++)
		if (family_table[f].addpath) {
			assert_true(family_table[f].addpath <= FAM_COUNT);
			assert_int_equal(seen[family_table[f].addpath]++, 0);
			n++;
		}
	for (int r = 1; r <= n; r++)
		assert_int_equal(seen[r], 1);
}

static void test_mask_width(void **state)
{
	(void)state;
	/* room for more families than 32: no undefined shift */
	assert_true(sizeof(family_mask) * 8 >= 64);
	family_mask m = FAM_BIT(40) | FAM_BIT(FAM_COUNT - 1);
	assert_true(m & FAM_BIT(40));
	assert_false(m & FAM_BIT(39));
	assert_int_equal(__builtin_popcountll(FAM_ALL), FAM_COUNT);
}

static void test_nexthop_lengths(void **state)
{
	(void)state;
	/* RFC 7606 7.11 by family */
	assert_true(family_nh_len_ok(FAM_IPV4_UNICAST, 4));
	assert_true(family_nh_len_ok(FAM_IPV6_UNICAST, 32));
	assert_false(family_nh_len_ok(FAM_IPV6_UNICAST, 24));
	assert_false(family_nh_len_ok(FAM_IPV4_UNICAST, 0));
	assert_true(family_nh_len_ok(FAM_IPV4_MPLS_VPN, 12));
	assert_true(family_nh_len_ok(FAM_IPV6_MPLS_VPN, 48));
	assert_false(family_nh_len_ok(FAM_IPV4_MPLS_VPN, 4));
	assert_true(family_nh_len_ok(FAM_IPV4_FLOW, 0));
	assert_false(family_nh_len_ok(FAM_IPV4_FLOW, 12));
	assert_false(family_nh_len_ok(FAM_IPV4_UNICAST, 200));
	/* unknown family, or one whose codec does not say: any */
	assert_true(family_nh_len_ok(-1, 7));
	assert_true(family_nh_len_ok(FAM_L2VPN_EVPN, 7));
}

static void test_route_words(void **state)
{
	(void)state;
	assert_int_equal(family_pick(AFI_IPV4, NLRI_KIND_VPN, true), FAM_IPV4_MPLS_VPN);
	assert_int_equal(family_pick(AFI_IPV6, NLRI_KIND_LABELED, false), FAM_IPV6_MPLS_LABEL);
	assert_int_equal(family_pick(AFI_IPV6, NLRI_KIND_FLOW, true), FAM_IPV6_FLOW_VPN);
	assert_int_equal(family_pick(AFI_IPV4, NLRI_KIND_FLOW, false), FAM_IPV4_FLOW);
	assert_int_equal(family_pick(AFI_L2VPN, NLRI_KIND_FLOW, false), -1);
	assert_true(safi_route_words(SAFI_MPLS_VPN) & FAM_KW_RD);
	assert_true(safi_route_words(SAFI_MPLS_VPN) & FAM_KW_LABEL);
	assert_false(safi_route_words(SAFI_UNICAST) & FAM_KW_LABEL);
	assert_int_equal(family_table[FAM_L2VPN_EVPN].rib_view, FAM_VIEW_L2VPN);
	assert_int_equal(family_table[FAM_IPV6_MPLS_VPN].rib_view, FAM_VIEW_INET);
}

/* RTC (RFC 4684 4): lengths 0 and 32..96, re-encoded byte for byte, and
 * ExaBGP 4.2's text. */
static void test_rtc(void **state)
{
	(void)state;
	static const uint8_t field[] = {0x60, 0x00, 0x00, 0xFD, 0xE8, 0x00, 0x02, 0xFD, 0xE8, 0x00, 0x00, 0x00, 0x64,
					0x00, 0x50, 0x00, 0x00, 0xFD, 0xE8, 0x00, 0x02, 0xFD, 0xE8, 0x00, 0x00};
	static const char *const text[] = {"rtc 65000:target:65000:100", "rtc wildcard",
					   "rtc 65000:target:65000:0/48"};
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, FAM_IPV4_RTC, field, sizeof(field), true, false), 0);
	size_t off = 0;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(nlri_iter_next(&it, &item), 1);
		assert_false(item.has_path_id); /* no ADD-PATH for RTC, as ExaBGP 4.2 */
		char buf[128];
		nlri_item_format(buf, sizeof(buf), &item, "10.0.0.1");
		assert_string_equal(buf, text[i]);
		uint8_t again[LABELED_NLRI_MAX];
		size_t n = nlri_item_encode(&item, again);
		assert_int_equal(n, item.nlri_len);
		assert_memory_equal(again, field + off, n);
		off += n;
	}
	assert_int_equal(nlri_iter_next(&it, &item), 0);
	assert_int_equal(nlri_field_validate(FAM_IPV4_RTC, field, sizeof(field), false, false, NULL), NLRI_FIELD_OK);
	/* 16 bits would cut the origin AS, 104 is longer than an RTC route */
	static const uint8_t short_len[] = {0x10, 0xFF, 0xFF};
	static const uint8_t long_len[] = {0x68, 0, 0, 0xFD, 0xE8, 0, 2, 0xFD, 0xE8, 0, 0, 0, 0x64, 0};
	assert_int_equal(nlri_field_validate(FAM_IPV4_RTC, short_len, sizeof(short_len), false, false, NULL),
			 NLRI_FIELD_RESET);
	assert_int_equal(nlri_field_validate(FAM_IPV4_RTC, long_len, sizeof(long_len), false, false, NULL),
			 NLRI_FIELD_RESET);
	assert_int_equal(nlri_field_validate(FAM_IPV4_RTC, field, 5, false, false, NULL), NLRI_FIELD_RESET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_mask_width),
		cmocka_unit_test(test_nexthop_lengths),
		cmocka_unit_test(test_route_words),
		cmocka_unit_test(test_rtc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
