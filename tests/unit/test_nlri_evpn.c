/* EVPN NLRI (src/nlri/evpn.c): each route type of RFC 7432 7 and RFC 9136
 * 3.1 decoded and printed as Debian's ExaBGP 4.2 prints it, the rib key
 * without the ESI, labels and gateway, and malformed routes refused with
 * the RFC 7606 5.3 verdict.  The vectors are written by hand from the RFC
 * formats (RD 65000:100, ESI 01:..:10, tag 5, label 100). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hex_test_util.h"
#include "nlri/family.h"
#include "nlri/nlri_decode.h"
#include "wire/buf.h"

#define RD "0000FDE800000064"
#define ESI "01020304050607080910"
#define TAG "00000005"
#define LABEL "000641"
#define MAC "001122334455"

/* Decodes the one route in hex and checks its text. */
static void expect_text(const char *hex, const char *text)
{
	uint8_t buf[128];
	size_t len = unhex(hex, buf, sizeof(buf));
	assert_int_equal(nlri_field_validate(FAM_L2VPN_EVPN, buf, len, false, false, NULL), NLRI_FIELD_OK);
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, FAM_L2VPN_EVPN, buf, len, false, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	assert_int_equal(item.nlri_len, len);
	char out[512];
	nlri_item_format(out, sizeof(out), &item, "10.0.0.1");
	assert_string_equal(out, text);
	assert_int_equal(nlri_iter_next(&it, &item), 0);
}

static void test_route_types(void **state)
{
	(void)state;
	expect_text("0119" RD ESI TAG LABEL, "evpn:ethernetad::65000:100:01:02:03:04:05:06:07:08:09:10:5: label 100 (1601)");
	expect_text("0221" RD ESI TAG "30" MAC "00" LABEL,
		    "evpn:macadv::65000:100:01:02:03:04:05:06:07:08:09:10:5:00:11:22:33:44:55/48:: label 100 (1601)");
	expect_text("0228" RD "00000000000000000000" TAG "30" MAC "200A010203" LABEL "000C81",
		    "evpn:macadv::65000:100:-:5:00:11:22:33:44:55/48:10.1.2.3: label 100 (1601)");
	expect_text("0231" RD ESI TAG "30" MAC "80" "20010DB8000000000000000000000001" "000000",
		    "evpn:macadv::65000:100:01:02:03:04:05:06:07:08:09:10:5:00:11:22:33:44:55/48:2001:db8::1: label 0");
	expect_text("0311" RD TAG "200A000009", "evpn:multicast::65000:100:5:10.0.0.9");
	expect_text("0417" RD ESI "200A000009", "evpn:segment::65000:100:01:02:03:04:05:06:07:08:09:10:10.0.0.9");
	expect_text("0522" RD ESI TAG "180A0200000A020001" LABEL,
		    "evpn:prfxadv::65000:100:01:02:03:04:05:06:07:08:09:10:5:10.2.0.0/24:10.2.0.1: label 100 (1601)");
	expect_text("0904DEADBEEF", "evpn:unknown:0xdeadbeef");
	expect_text("FF00", "evpn:unknown:0x");
}

static enum nlri_field_verdict verdict(const char *hex)
{
	uint8_t buf[128];
	size_t len = unhex(hex, buf, sizeof(buf));
	enum nlri_field_verdict v = nlri_field_validate(FAM_L2VPN_EVPN, buf, len, false, false, NULL);
	/* withdrawals are read the same way */
	assert_int_equal(nlri_field_validate(FAM_L2VPN_EVPN, buf, len, false, true, NULL), v);
	return v;
}

static void test_malformed(void **state)
{
	(void)state;
	assert_int_equal(verdict("01"), NLRI_FIELD_RESET);                                 /* no length */
	assert_int_equal(verdict("0119" RD ESI TAG "0006"), NLRI_FIELD_RESET);             /* past the field */
	assert_int_equal(verdict("0118" RD ESI TAG "0006"), NLRI_FIELD_RESET);             /* A-D of 24 octets */
	assert_int_equal(verdict("011A" RD ESI TAG LABEL "00"), NLRI_FIELD_RESET);         /* A-D of 26 */
	assert_int_equal(verdict("0221" RD ESI TAG "28" MAC "00" LABEL), NLRI_FIELD_RESET); /* MAC length 40 */
	assert_int_equal(verdict("0224" RD ESI TAG "30" MAC "180A0102" LABEL), NLRI_FIELD_RESET); /* IP length 24 */
	assert_int_equal(verdict("0225" RD ESI TAG "30" MAC "800A010203" LABEL), NLRI_FIELD_RESET); /* 128 bits, 4 octets */
	assert_int_equal(verdict("0222" RD ESI TAG "30" MAC "00" LABEL "00"), NLRI_FIELD_RESET); /* 1 label + 1 octet */
	assert_int_equal(verdict("0216" RD ESI TAG), NLRI_FIELD_RESET);                   /* cut before the MAC length */
	assert_int_equal(verdict("030D" RD TAG "00"), NLRI_FIELD_RESET);                  /* no originator */
	assert_int_equal(verdict("0311" RD TAG "800A000009"), NLRI_FIELD_RESET);          /* 128 bits, 4 octets */
	assert_int_equal(verdict("0416" RD ESI "200A0000"), NLRI_FIELD_RESET);            /* address cut */
	assert_int_equal(verdict("0522" RD ESI TAG "210A0200000A020001" LABEL), NLRI_FIELD_RESET); /* /33 */
	assert_int_equal(verdict("0523" RD ESI TAG "180A0200000A020001" LABEL "00"), NLRI_FIELD_RESET); /* 35 */
	/* a good route before a bad one does not save the field */
	assert_int_equal(verdict("0311" RD TAG "200A000009" "0311" RD TAG "210A000009"), NLRI_FIELD_RESET);
	/* well formed: two labels, an unknown type, an empty field */
	assert_int_equal(verdict("0224" RD ESI TAG "30" MAC "00" LABEL "000C81"), NLRI_FIELD_OK);
	assert_int_equal(verdict("0600"), NLRI_FIELD_OK);
	assert_int_equal(verdict(""), NLRI_FIELD_OK);
}

/* The rib key of the one route in hex (copied out). */
static size_t key_of(const char *hex, uint8_t *key)
{
	static uint8_t buf[128];
	size_t len = unhex(hex, buf, sizeof(buf));
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, FAM_L2VPN_EVPN, buf, len, false, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	uint8_t out[NLRI_KEY_MAX];
	const uint8_t *k;
	size_t n = nlri_item_key(&item, out, &k);
	assert_true(n > 0 && n <= NLRI_KEY_MAX);
	memcpy(key, k, n);
	return n;
}

static int same_key(const char *a, const char *b)
{
	uint8_t ka[NLRI_KEY_MAX], kb[NLRI_KEY_MAX];
	size_t na = key_of(a, ka), nb = key_of(b, kb);
	return na == nb && !memcmp(ka, kb, na);
}

static void test_route_key(void **state)
{
	(void)state;
	/* RFC 7432 7.2: the ESI and labels are not part of a MAC/IP route's key */
	assert_true(same_key("0221" RD ESI TAG "30" MAC "00" LABEL,
			     "0224" RD "00000000000000000000" TAG "30" MAC "00" "000C81000C91"));
	assert_false(same_key("0221" RD ESI TAG "30" MAC "00" LABEL, "0221" RD ESI TAG "30001122334466" "00" LABEL));
	assert_false(same_key("0221" RD ESI TAG "30" MAC "00" LABEL, "0225" RD ESI TAG "30" MAC "200A010203" LABEL));
	/* the longest key, an IPv6 MAC/IP route, fits */
	assert_true(same_key("0234" RD ESI TAG "30" MAC "80" "20010DB8000000000000000000000001" LABEL "000C81",
			     "0231" RD ESI TAG "30" MAC "80" "20010DB8000000000000000000000001" "000000"));
	/* RFC 7432 7.1: the label is not part of an A-D route's key, the ESI is */
	assert_true(same_key("0119" RD ESI TAG LABEL, "0119" RD ESI TAG "000C81"));
	assert_false(same_key("0119" RD ESI TAG LABEL, "0119" RD "01020304050607080911" TAG LABEL));
	/* RFC 9136 3.1: nor the ESI, gateway and label of an IP prefix route */
	assert_true(same_key("0522" RD ESI TAG "180A0200000A020001" LABEL,
			     "0522" RD "00000000000000000000" TAG "180A02000000000000" "000C81"));
	assert_false(same_key("0522" RD ESI TAG "180A0200000A020001" LABEL, "0522" RD ESI TAG "190A0200000A020001" LABEL));
	assert_false(same_key("0522" RD ESI TAG "180A0200000A020001" LABEL,
			      "0522" "0000FDE800000065" ESI TAG "180A0200000A020001" LABEL));
	/* types 3 and 4: the whole NLRI */
	assert_false(same_key("0311" RD TAG "200A000009", "0311" RD TAG "200A00000A"));
}

static void test_json(void **state)
{
	(void)state;
	uint8_t buf[128];
	size_t len = unhex("0522" RD ESI TAG "180A0200000A020001" LABEL, buf, sizeof(buf));
	struct nlri_iter it;
	struct nlri_item item;
	assert_int_equal(nlri_iter_init(&it, FAM_L2VPN_EVPN, buf, len, false, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	struct wbuf w;
	wb_init(&w, 64);
	nlri_item_json(&w, &item, "10.0.0.1", true);
	wb_u8(&w, 0);
	assert_false(w.err);
	assert_string_equal((const char *)w.data,
			    "{ \"code\": 5, \"parsed\": true, \"raw\": \"0522" RD ESI TAG "180A0200000A020001" LABEL
			    "\", \"name\": \"IP Prefix Advertisement\", \"rd\": \"65000:100\", \"esi\": "
			    "\"01:02:03:04:05:06:07:08:09:10\", \"ethernet-tag\": 5, \"label\": [ [100, 1601] ], "
			    "\"ip\": \"10.2.0.0\", \"iplen\": 24, \"gateway\": \"10.2.0.1\" }");
	wb_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_types),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_route_key),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
