/* MCAST-VPN routes (RFC 6514 4, src/nlri/mvpn.c): decoded, validated and
 * printed as ExaBGP 5.0 prints them.  The vectors are hand-built from RFC
 * 6514's layouts; the JSON strings were checked against the 5.0 branch's
 * "exabgp decode" of the same UPDATEs (route types 5, 6, 7 parsed, 1 raw). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nlri/nlri_decode.h"
#include "wire/buf.h"

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s == ' ')
			continue;
		unsigned v;
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s++;
	}
	return n;
}

/* The only route of a field: its JSON and text, and the field's verdict. */
static enum nlri_field_verdict one(int fam, const char *hex, char *json, char *text)
{
	uint8_t field[128];
	size_t len = unhex(hex, field);
	enum nlri_field_verdict v = nlri_field_validate(fam, field, len, false, false, NULL);
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, fam, field, len, false, false), 0);
	if (nlri_iter_next(&it, &item) != 1)
		return v;
	struct wbuf w;
	wb_init(&w, 256);
	nlri_item_json(&w, &item, "10.0.0.1", false);
	snprintf(json, 512, "%.*s", (int)w.len, (const char *)w.data);
	wb_reset(&w);
	nlri_item_text(&w, &item, NULL);
	snprintf(text, 512, "%.*s", (int)w.len, (const char *)w.data);
	wb_free(&w);
	return v;
}

static void test_parsed_route_types(void **state)
{
	(void)state;
	char json[512], text[512];
	/* 5 Source Active A-D, IPv4 */
	assert_int_equal(one(FAM_IPV4_MVPN, "0512 0000FDE800000001 20 0A000001 20 EF010101", json, text), NLRI_FIELD_OK);
	assert_string_equal(json, "{ \"code\": 5, \"parsed\": true, \"raw\": \"05120000FDE800000001200A00000120EF010101\", "
				  "\"name\": \"Source Active A-D Route\", \"rd\": \"65000:1\", \"source\": \"10.0.0.1\", "
				  "\"group\": \"239.1.1.1\"}");
	assert_string_equal(text, "mvpn:sourcead::65000:1:10.0.0.1:239.1.1.1");
	/* 7 Source Tree Join, RD type 1 */
	assert_int_equal(one(FAM_IPV4_MVPN, "0716 00010A00000100010000FDE9 20 0A000001 20 EF010101", json, text),
			 NLRI_FIELD_OK);
	assert_string_equal(json, "{ \"code\": 7, \"parsed\": true, \"raw\": \"071600010A00000100010000FDE9200A00000120EF010101\", "
				  "\"name\": \"C-Multicast Source Tree Join route\", \"rd\": \"10.0.0.1:1\", \"source-as\": \"65001\", "
				  "\"source\": \"10.0.0.1\", \"group\": \"239.1.1.1\"}");
	assert_string_equal(text, "mvpn:source-join::10.0.0.1:1:65001:10.0.0.1:239.1.1.1");
	/* 6 Shared Tree Join, IPv6 */
	assert_int_equal(one(FAM_IPV6_MVPN,
			     "062E 0000FDE800000001 0000FDE9 80 20010DB8000000000000000000000001 80 "
			     "FF0E0000000000000000000000000001",
			     json, text),
			 NLRI_FIELD_OK);
	assert_non_null(strstr(json, "\"name\": \"C-Multicast Shared Tree Join route\", \"rd\": \"65000:1\", "
				     "\"source-as\": \"65001\", \"source\": \"2001:db8::1\", \"group\": \"ff0e::1\"}"));
	assert_string_equal(text, "mvpn:shared-join::65000:1:65001:2001:db8::1:ff0e::1");
}

static void test_raw_route_types(void **state)
{
	(void)state;
	char json[512], text[512];
	/* 1 Intra-AS I-PMSI A-D: kept raw, as ExaBGP 5.0 */
	assert_int_equal(one(FAM_IPV4_MVPN, "010C 0000FDE800000001 0A000001", json, text), NLRI_FIELD_OK);
	assert_string_equal(json, "{ \"code\": 1, \"parsed\": false, \"raw\": \"010C0000FDE8000000010A000001\" }");
	assert_string_equal(text, "mvpn:unknown:0x0000fde8000000010a000001");
	/* an unassigned route type too */
	assert_int_equal(one(FAM_IPV4_MVPN, "C801 AA", json, text), NLRI_FIELD_OK);
	assert_string_equal(json, "{ \"code\": 200, \"parsed\": false, \"raw\": \"C801AA\" }");
}

static void test_malformed(void **state)
{
	(void)state;
	char json[512], text[512];
	/* a source length of 24 bits inside a delimited route: treat-as-withdraw */
	assert_int_equal(one(FAM_IPV4_MVPN, "0512 0000FDE800000001 18 0A000001 20 EF010101", json, text),
			 NLRI_FIELD_WITHDRAW);
	/* an IPv4 source with an IPv6-sized body */
	assert_int_equal(one(FAM_IPV4_MVPN, "0514 0000FDE800000001 20 0A000001 20 EF0101010000", json, text),
			 NLRI_FIELD_WITHDRAW);
	/* a length past the field: it cannot be walked, the session resets */
	assert_int_equal(one(FAM_IPV4_MVPN, "0520 0000FDE800000001", json, text), NLRI_FIELD_RESET);
	assert_int_equal(one(FAM_IPV4_MVPN, "05", json, text), NLRI_FIELD_RESET);
}

static void test_family_entries(void **state)
{
	(void)state;
	assert_int_equal(family_find(AFI_IPV4, SAFI_MCAST_VPN), FAM_IPV4_MVPN);
	assert_int_equal(family_by_name("ipv6", "mcast-vpn"), FAM_IPV6_MVPN);
	/* not among the families of a neighbor without a family block (ExaBGP 4.2's OPEN) */
	assert_false(FAM_DEFAULT & FAM_BIT(FAM_IPV4_MVPN));
	assert_true(FAM_DEFAULT & FAM_BIT(FAM_IPV4_UNICAST));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsed_route_types),
		cmocka_unit_test(test_raw_route_types),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_family_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
