/* ROUTE-REFRESH (RFC 2918) and enhanced route refresh (RFC 7313). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nlri/family.h"
#include "wire/header.h"
#include "wire/notification.h"
#include "wire/refresh.h"

static void test_encode(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 0);
	refresh_encode(&w, AFI_IPV6, SAFI_UNICAST, REFRESH_BORR);
	static const uint8_t want[23] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0xff, 0xff, 0xff, 0xff, 0x00, 0x17, 0x05, 0x00, 0x02, 0x01, 0x01};
	assert_int_equal(w.len, 23);
	assert_memory_equal(w.data, want, 23);
	wb_free(&w);
}

static void test_decode(void **state)
{
	(void)state;
	struct route_refresh rr;
	uint8_t code, sub;
	static const uint8_t q[] = {0x00, 0x01, 0x00, 0x85};
	assert_int_equal(refresh_decode(q, 4, &rr, &code, &sub), REFRESH_OK);
	assert_int_equal(rr.afi, AFI_IPV4);
	assert_int_equal(rr.safi, SAFI_FLOW);
	assert_int_equal(rr.subtype, REFRESH_QUERY);
	assert_string_equal(refresh_subtype_name(rr.subtype), "query");
	static const uint8_t e[] = {0x00, 0x02, 0x02, 0x01};
	assert_int_equal(refresh_decode(e, 4, &rr, &code, &sub), REFRESH_OK);
	assert_string_equal(refresh_subtype_name(rr.subtype), "end");
	assert_string_equal(refresh_subtype_name(REFRESH_BORR), "begin");
	/* RFC 7313 5: unknown subtypes are ignored. */
	static const uint8_t u[] = {0x00, 0x01, 0x03, 0x01};
	assert_int_equal(refresh_decode(u, 4, &rr, &code, &sub), REFRESH_IGNORE);
	assert_string_equal(refresh_subtype_name(3), "invalid");
	/* Wrong length: 7/1 for BoRR/EoRR, 1/2 otherwise. */
	static const uint8_t l1[] = {0x00, 0x01, 0x01, 0x01, 0x00};
	assert_int_equal(refresh_decode(l1, 5, &rr, &code, &sub), REFRESH_ERROR);
	assert_int_equal(code, BGP_ERR_ROUTE_REFRESH);
	assert_int_equal(sub, BGP_ERR_RR_INVALID_LENGTH);
	static const uint8_t l0[] = {0x00, 0x01, 0x00, 0x01, 0x00, 0x00};
	assert_int_equal(refresh_decode(l0, 6, &rr, &code, &sub), REFRESH_ERROR);
	assert_int_equal(code, BGP_ERR_HEADER);
	assert_int_equal(sub, BGP_ERR_HDR_BAD_LENGTH);
	assert_int_equal(refresh_decode(l0, 2, &rr, &code, &sub), REFRESH_ERROR);
}

static void test_roundtrip(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 0);
	for (int fam = 0; fam < FAM_COUNT; fam++) {
		for (uint8_t st = 0; st <= 2; st++) {
			wb_reset(&w);
			refresh_encode(&w, family_table[fam].afi, family_table[fam].safi, st);
			uint16_t len;
			uint8_t type, sub, code, data[2];
			size_t dlen;
			assert_int_equal(bgp_header_check(w.data, 4096, &len, &type, &sub, data, &dlen), 0);
			assert_int_equal(type, BGP_MSG_ROUTE_REFRESH);
			struct route_refresh rr;
			assert_int_equal(refresh_decode(w.data + 19, len - 19u, &rr, &code, &sub), REFRESH_OK);
			assert_int_equal(rr.afi, family_table[fam].afi);
			assert_int_equal(rr.safi, family_table[fam].safi);
			assert_int_equal(rr.subtype, st);
		}
	}
	wb_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
