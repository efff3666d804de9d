/* The one OPEN decoder (wire/open.c open_decode): RFC 5492 optional
 * parameters and RFC 9072's extended form give the same capabilities, the
 * same listing for the API, and the same "fastbgp decode" JSON; malformed
 * extended parameters are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "wire/header.h"
#include "wire/notification.h"
#include "wire/open.h"

/* Capabilities: MP ipv4 unicast, MP ipv6 unicast, route-refresh, ASN4
 * 65001, ADD-PATH ipv4 unicast both, MP ipv4 unicast again (merged). */
static const uint8_t CAPS[] = {1, 4, 0, 1, 0, 1, 1, 4, 0, 2, 0, 1, 2, 0, 65, 4, 0, 0, 0xfd, 0xe9,
			       69, 4, 0, 1, 1, 3, 1, 4, 0, 1, 0, 1};
static const uint8_t FIXED[] = {4, 0xfd, 0xe9, 0, 90, 10, 0, 0, 2}; /* version, AS, hold, router-id */

/* RFC 5492: one parameter per capability, 1-octet lengths. */
static size_t classic_body(uint8_t *b)
{
	size_t n = 0;
	memcpy(b, FIXED, sizeof(FIXED));
	n = sizeof(FIXED) + 1;
	static const size_t cuts[] = {0, 6, 12, 14, 20, 26, sizeof(CAPS)};
	for (size_t i = 0; i + 1 < sizeof(cuts) / sizeof(cuts[0]); i++) {
		b[n++] = OPT_PARAM_CAPABILITIES;
		b[n++] = (uint8_t)(cuts[i + 1] - cuts[i]);
		memcpy(b + n, CAPS + cuts[i], cuts[i + 1] - cuts[i]);
		n += cuts[i + 1] - cuts[i];
	}
	b[sizeof(FIXED)] = (uint8_t)(n - sizeof(FIXED) - 1);
	return n;
}

/* RFC 9072: Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm.
 * Length (2 octets), then parameters with 2-octet lengths; here two. */
static size_t extended_body(uint8_t *b)
{
	size_t n = sizeof(FIXED);
	memcpy(b, FIXED, sizeof(FIXED));
	b[n++] = 255;
	b[n++] = 255;
	size_t len_at = n;
	n += 2;
	const size_t half = 14;
	b[n++] = OPT_PARAM_CAPABILITIES;
	put_u16(b + n, half);
	n += 2;
	memcpy(b + n, CAPS, half);
	n += half;
	b[n++] = OPT_PARAM_CAPABILITIES;
	put_u16(b + n, sizeof(CAPS) - half);
	n += 2;
	memcpy(b + n, CAPS + half, sizeof(CAPS) - half);
	n += sizeof(CAPS) - half;
	put_u16(b + len_at, (uint16_t)(n - len_at - 2));
	return n;
}

static void check_decoded(const struct bgp_open *o, const struct open_listing *l)
{
	assert_int_equal(o->version, 4);
	assert_int_equal(o->my_as, 65001);
	assert_int_equal(o->hold_time, 90);
	assert_int_equal(o->router_id, 0x0A000002);
	assert_true(o->caps.asn4);
	assert_int_equal(o->caps.asn4_value, 65001);
	assert_true(o->caps.route_refresh);
	assert_true(o->caps.mp & FAM_BIT(FAM_IPV4_UNICAST));
	assert_true(o->caps.mp & FAM_BIT(FAM_IPV6_UNICAST));
	assert_int_equal(o->caps.add_path[FAM_IPV4_UNICAST], 3);
	/* The listing: first-seen order, repeated MP accumulated. */
	assert_int_equal(l->norder, 4);
	assert_int_equal(l->order[0], CAP_MULTIPROTOCOL);
	assert_int_equal(l->order[1], CAP_ROUTE_REFRESH);
	assert_int_equal(l->order[2], CAP_ASN4);
	assert_int_equal(l->order[3], CAP_ADD_PATH);
	assert_int_equal(l->nmp, 3);
	assert_int_equal(l->nap, 1);
	assert_int_equal(l->ap[0].mode, 3);
	assert_int_equal(l->router_id, 0x0A000002);
}

static void test_classic_and_extended_agree(void **state)
{
	(void)state;
	uint8_t a[256], b[256];
	size_t na = classic_body(a), nb = extended_body(b);
	struct bgp_open oa, ob;
	struct open_listing la, lb;
	uint8_t sub = 99;
	assert_int_equal(open_decode(a, na, &oa, &la, &sub), 0);
	assert_int_equal(open_decode(b, nb, &ob, &lb, &sub), 0);
	check_decoded(&oa, &la);
	check_decoded(&ob, &lb);
	assert_memory_equal(&oa, &ob, sizeof(oa));
	/* without a listing (the session's use) the same result */
	struct bgp_open oc;
	assert_int_equal(open_decode(b, nb, &oc, NULL, &sub), 0);
	assert_memory_equal(&oa, &oc, sizeof(oa));
}

/* "fastbgp decode" goes through the same decoder: both forms print the
 * same "open" object. */
static char *decode_json(const uint8_t *body, size_t len)
{
	char hex[1024];
	uint8_t msg[300];
	memset(msg, 0xFF, BGP_MARKER_LEN);
	put_u16(msg + 16, (uint16_t)(len + BGP_HEADER_LEN));
	msg[18] = BGP_MSG_OPEN;
	memcpy(msg + BGP_HEADER_LEN, body, len);
	for (size_t i = 0; i < len + BGP_HEADER_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", msg[i]);
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	assert_non_null(f);
	assert_int_equal(api_decode_hex(hex, NULL, f), 0);
	fclose(f);
	char *open = strstr(out, "\"open\": ");
	assert_non_null(open);
	char *copy = strdup(open);
	free(out);
	return copy;
}

static void test_decode_command_agrees(void **state)
{
	(void)state;
	uint8_t a[256], b[256];
	size_t na = classic_body(a), nb = extended_body(b);
	char *ja = decode_json(a, na), *jb = decode_json(b, nb);
	assert_string_equal(ja, jb);
	assert_non_null(strstr(ja, "\"ipv6/unicast\""));
	assert_non_null(strstr(ja, "\"asn4\": 65001"));
	free(ja);
	free(jb);
}

static void test_extended_malformed(void **state)
{
	(void)state;
	uint8_t b[256];
	struct bgp_open o;
	struct open_listing l;
	uint8_t sub;
	size_t n = extended_body(b);
	/* Extended length one past the message. */
	put_u16(b + sizeof(FIXED) + 2, (uint16_t)(n - sizeof(FIXED) - 4 + 1));
	assert_int_equal(open_decode(b, n, &o, &l, &sub), -1);
	/* A parameter's 2-octet length past the parameters. */
	n = extended_body(b);
	put_u16(b + sizeof(FIXED) + 5, 200);
	assert_int_equal(open_decode(b, n, &o, &l, &sub), -1);
	/* Truncated right after the marker. */
	n = extended_body(b);
	assert_int_equal(open_decode(b, sizeof(FIXED) + 3, &o, &l, &sub), -1);
	/* A parameter that is not Capabilities: 2/4. */
	n = extended_body(b);
	b[sizeof(FIXED) + 4] = 1;
	assert_int_equal(open_decode(b, n, &o, &l, &sub), -1);
	assert_int_equal(sub, BGP_ERR_OPEN_OPT_PARAM);
	/* Bytes after the parameters. */
	n = extended_body(b);
	b[n] = 0;
	assert_int_equal(open_decode(b, n + 1, &o, &l, &sub), -1);
}

static void test_classic_255_is_not_extended(void **state)
{
	(void)state;
	/* Non-Ext OP Len 255 whose first parameter type is Capabilities (2) is
	 * a plain RFC 5492 field of 255 bytes: here truncated, so refused. */
	uint8_t b[64];
	memcpy(b, FIXED, sizeof(FIXED));
	b[sizeof(FIXED)] = 255;
	b[sizeof(FIXED) + 1] = OPT_PARAM_CAPABILITIES;
	b[sizeof(FIXED) + 2] = 0;
	struct bgp_open o;
	uint8_t sub;
	assert_int_equal(open_decode(b, sizeof(FIXED) + 3, &o, NULL, &sub), -1);
	/* Version other than 4: 2/1, the listing has the fixed fields. */
	struct open_listing l;
	b[0] = 3;
	assert_int_equal(open_decode(b, sizeof(FIXED) + 1, &o, &l, &sub), -1);
	assert_int_equal(sub, BGP_ERR_OPEN_VERSION);
	assert_int_equal(l.version, 3);
}

/* RFC 4271 6.2: a recognized capability with a length its RFC rules out
 * is an OPEN Message Error, Unspecific (2/0). */
static void test_capability_lengths(void **state)
{
	(void)state;
	static const struct {
		uint8_t cap[8];
		size_t len;
		int ok;
	} cases[] = {
		{{1, 3, 0, 1, 0}, 5, 0},          /* multiprotocol, 3 bytes */
		{{1, 5, 0, 1, 0, 1, 0}, 7, 0},    /* multiprotocol, 5 bytes */
		{{65, 2, 0xfd, 0xe9}, 4, 0},      /* 4-octet AS, 2 bytes */
		{{2, 1, 0}, 3, 0},                /* route refresh with a value */
		{{6, 1, 0}, 3, 0},                /* extended message with a value */
		{{69, 3, 0, 1, 1}, 5, 0},         /* ADD-PATH, not 4n */
		{{64, 1, 0}, 3, 0},               /* graceful restart, 1 byte */
		{{5, 4, 0, 1, 0, 1}, 6, 0},       /* extended next hop, not 6n */
		{{1, 4, 0, 1, 0, 1}, 6, 1},
		{{65, 4, 0, 0, 0xfd, 0xe9}, 6, 1},
		{{99, 1, 7}, 3, 1},               /* unknown: any length */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t b[64];
		size_t n = sizeof(FIXED);
		memcpy(b, FIXED, n);
		b[n++] = (uint8_t)(cases[i].len + 2);
		b[n++] = OPT_PARAM_CAPABILITIES;
		b[n++] = (uint8_t)cases[i].len;
		memcpy(b + n, cases[i].cap, cases[i].len);
		n += cases[i].len;
		struct bgp_open o;
		uint8_t sub = 0xff;
		int rc = open_decode(b, n, &o, NULL, &sub);
		assert_int_equal(rc, cases[i].ok ? 0 : -1);
		if (!cases[i].ok)
			assert_int_equal(sub, BGP_ERR_OPEN_UNSPECIFIC);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_and_extended_agree),
		cmocka_unit_test(test_decode_command_agrees),
		cmocka_unit_test(test_extended_malformed),
		cmocka_unit_test(test_classic_255_is_not_extended),
		cmocka_unit_test(test_capability_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
