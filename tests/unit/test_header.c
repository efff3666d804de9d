/* Message header checks (RFC 4271 4.1, 6.1) and framing helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wire/header.h"

static void make(uint8_t *h, uint16_t len, uint8_t type)
{
	memset(h, 0xFF, 16);
	put_u16(h + 16, len);
	h[18] = type;
}

static int check(const uint8_t *h, size_t max, uint8_t *sub, uint8_t *data, size_t *dlen)
{
	uint16_t len;
	uint8_t type;
	return bgp_header_check(h, max, &len, &type, sub, data, dlen);
}

static void test_valid(void **state)
{
	(void)state;
	uint8_t h[19], sub, data[2];
	uint16_t len;
	uint8_t type;
	size_t dlen;
	make(h, 19, BGP_MSG_KEEPALIVE);
	assert_int_equal(bgp_header_check(h, 4096, &len, &type, &sub, data, &dlen), 0);
	assert_int_equal(len, 19);
	assert_int_equal(type, BGP_MSG_KEEPALIVE);
	make(h, 29, BGP_MSG_OPEN);
	assert_int_equal(check(h, 4096, &sub, data, &dlen), 0);
	make(h, 23, BGP_MSG_UPDATE);
	assert_int_equal(check(h, 4096, &sub, data, &dlen), 0);
	make(h, 21, BGP_MSG_NOTIFICATION);
	assert_int_equal(check(h, 4096, &sub, data, &dlen), 0);
	make(h, 23, BGP_MSG_ROUTE_REFRESH);
	assert_int_equal(check(h, 4096, &sub, data, &dlen), 0);
	make(h, 4096, BGP_MSG_UPDATE);
	assert_int_equal(check(h, 4096, &sub, data, &dlen), 0);
	make(h, 65535, BGP_MSG_UPDATE); /* RFC 8654 */
	assert_int_equal(check(h, 65535, &sub, data, &dlen), 0);
	assert_string_equal(bgp_msg_type_name(BGP_MSG_ROUTE_REFRESH), "ROUTE_REFRESH");
	assert_string_equal(bgp_msg_type_name(42), "UNKNOWN");
}

static void test_marker(void **state)
{
	(void)state;
	uint8_t h[19], sub, data[2];
	size_t dlen = 9;
	make(h, 19, BGP_MSG_KEEPALIVE);
	h[7] = 0xFE;
	assert_int_equal(check(h, 4096, &sub, data, &dlen), -1);
	assert_int_equal(sub, 1);
	assert_int_equal(dlen, 0);
}

static void expect_len_error(uint16_t len, uint8_t type, size_t max)
{
	uint8_t h[19], sub, data[2];
	size_t dlen;
	make(h, len, type);
	assert_int_equal(check(h, max, &sub, data, &dlen), -1);
	assert_int_equal(sub, 2);
	assert_int_equal(dlen, 2); /* RFC 4271 6.1: the erroneous length field */
	assert_int_equal(get_u16(data), len);
}

static void test_length(void **state)
{
	(void)state;
	expect_len_error(18, BGP_MSG_KEEPALIVE, 4096);
	expect_len_error(0, BGP_MSG_UPDATE, 4096);
	expect_len_error(4097, BGP_MSG_UPDATE, 4096); /* no extended message */
	expect_len_error(20, BGP_MSG_KEEPALIVE, 4096);
	expect_len_error(28, BGP_MSG_OPEN, 4096);
	expect_len_error(22, BGP_MSG_UPDATE, 4096);
	expect_len_error(20, BGP_MSG_NOTIFICATION, 4096);
	expect_len_error(22, BGP_MSG_ROUTE_REFRESH, 4096);
	/* A bad length is reported before a bad type. */
	expect_len_error(5000, 9, 4096);
}

static void test_type(void **state)
{
	(void)state;
	uint8_t h[19], sub, data[2];
	size_t dlen;
	uint16_t len;
	uint8_t type;
	for (int t = 0; t < 256; t++) {
		if (t >= 1 && t <= 5)
			continue;
		make(h, 40, (uint8_t)t);
		assert_int_equal(check(h, 4096, &sub, data, &dlen), -1);
		assert_int_equal(sub, 3);
		assert_int_equal(dlen, 1);
		assert_int_equal(data[0], t);
	}
	make(h, 40, BGP_MSG_OPERATIONAL);
	assert_int_equal(bgp_header_check_ext(h, 4096, BGP_HDR_ALLOW_OPERATIONAL, &len, &type, &sub, data, &dlen), 0);
	assert_int_equal(type, BGP_MSG_OPERATIONAL);
}

static void test_framing(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 0);
	wb_u8(&w, 0xAA); /* messages need not start at offset 0 */
	size_t start = bgp_msg_begin(&w, BGP_MSG_UPDATE);
	assert_int_equal(start, 1);
	wb_u32(&w, 0);
	assert_int_equal(bgp_msg_end(&w, start), 23);
	uint8_t sub, data[2];
	size_t dlen;
	uint16_t len;
	uint8_t type;
	assert_int_equal(bgp_header_check(w.data + 1, 4096, &len, &type, &sub, data, &dlen), 0);
	assert_int_equal(len, 23);
	assert_int_equal(type, BGP_MSG_UPDATE);

	wb_reset(&w);
	bgp_keepalive(&w);
	static const uint8_t ka[19] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x04};
	assert_int_equal(w.len, 19);
	assert_memory_equal(w.data, ka, 19);

	/* Too long for any BGP message. */
	wb_reset(&w);
	start = bgp_msg_begin(&w, BGP_MSG_UPDATE);
	for (int i = 0; i < 65535; i++)
		wb_u8(&w, 0);
	assert_int_equal(bgp_msg_end(&w, start), -1);
	assert_int_equal(bgp_msg_end(&w, w.len + 1), -1);
	wb_free(&w);

	/* A failed write makes bgp_msg_end fail. */
	uint8_t small[10];
	wb_init_fixed(&w, small, sizeof(small));
	start = bgp_msg_begin(&w, BGP_MSG_KEEPALIVE);
	assert_int_equal(bgp_msg_end(&w, start), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),  cmocka_unit_test(test_marker),  cmocka_unit_test(test_length),
		cmocka_unit_test(test_type),   cmocka_unit_test(test_framing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
