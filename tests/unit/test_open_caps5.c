/* The capabilities ExaBGP 5 adds to the OPEN (wire/open.c): hostname (73,
 * draft-walton-bgp-hostname-capability), software-version (75,
 * draft-ietf-idr-software-version), PATHS-LIMIT (76) and the link-local
 * next-hop capability (77, draft-ietf-idr-linklocal-capability).  The
 * expected bytes are written by hand from ExaBGP 5's encoding rules
 * (capability.extract_capability_bytes: one optional parameter each,
 * [len][text] strings, [AFI SAFI limit] entries, an empty value). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "rib/update_encode.h"
#include "wire/header.h"
#include "wire/open.h"

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		unsigned v;
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void sample_open(struct bgp_open *o)
{
	memset(o, 0, sizeof(*o));
	o->version = 4;
	o->my_as = 65001;
	o->hold_time = 180;
	o->router_id = 0x0A000001;
	struct capabilities *c = &o->caps;
	c->mp = FAM_BIT(FAM_IPV4_UNICAST);
	c->asn4 = true;
	c->asn4_value = 65001;
	c->has_add_path = true;
	c->add_path[FAM_IPV4_UNICAST] = ADDPATH_DIR_RECEIVE;
	c->paths_limit[0] = (struct paths_limit){FAM_IPV4_UNICAST, 10};
	c->npaths_limit = 1;
	c->has_hostname = true;
	strcpy(c->host_name, "r1");
	strcpy(c->domain_name, "example");
	c->has_software_version = true;
	strcpy(c->software_version, "ExaBGP/5.0.13");
	c->link_local_nexthop = true;
}

static const char SAMPLE_PARAMS[] = "020601040001 0001"     /* MP ipv4/unicast */
				    "0206410400 00FDE9"     /* ASN4 65001 */
				    "020645040001 0101"     /* ADD-PATH ipv4/unicast receive */
				    "02074C050001 01000A"   /* PATHS-LIMIT ipv4/unicast 10 */
				    "020D490B 027231 07 6578616D706C65"   /* hostname r1 / example */
				    "02104B0E 0D 4578614247502F352E302E3133" /* "ExaBGP/5.0.13" */
				    "02024D00";              /* link-local next-hop */

static void test_encode_exact(void **state)
{
	(void)state;
	struct bgp_open o;
	sample_open(&o);
	struct wbuf w;
	wb_init(&w, 256);
	open_encode(&w, &o);
	assert_false(w.err);
	uint8_t want[256];
	size_t n = unhex("04 FDE9 00B4 0A000001", want);
	size_t params = unhex(SAMPLE_PARAMS, want + n + 1);
	want[n] = (uint8_t)params;
	n += 1 + params;
	assert_int_equal(w.len, BGP_HEADER_LEN + n);
	assert_memory_equal(w.data + BGP_HEADER_LEN, want, n);
	/* and back: the decoder reads what the encoder wrote */
	struct bgp_open d;
	uint8_t sub;
	assert_int_equal(open_decode(w.data + BGP_HEADER_LEN, n, &d, NULL, &sub), 0);
	assert_true(d.caps.has_hostname);
	assert_string_equal(d.caps.host_name, "r1");
	assert_string_equal(d.caps.domain_name, "example");
	assert_true(d.caps.has_software_version);
	assert_string_equal(d.caps.software_version, "ExaBGP/5.0.13");
	assert_int_equal(d.caps.npaths_limit, 1);
	assert_int_equal(d.caps.paths_limit[0].family, FAM_IPV4_UNICAST);
	assert_int_equal(d.caps.paths_limit[0].limit, 10);
	assert_true(d.caps.link_local_nexthop);
	wb_free(&w);
}

static void test_encode_hostname_forms(void **state)
{
	(void)state;
	struct bgp_open o;
	sample_open(&o);
	struct capabilities *c = &o.caps;
	memset(c, 0, sizeof(*c));
	/* no domain: a zero length follows the host (ExaBGP 5) */
	c->has_hostname = true;
	strcpy(c->host_name, "r1");
	struct wbuf w;
	wb_init(&w, 256);
	open_encode(&w, &o);
	uint8_t want[16];
	size_t n = unhex("0206 4904 027231 00", want);
	assert_int_equal(w.data[BGP_HEADER_LEN + 9], n);
	assert_memory_equal(w.data + BGP_HEADER_LEN + 10, want, n);
	/* no host: no capability at all */
	c->host_name[0] = '\0';
	w.len = 0;
	open_encode(&w, &o);
	assert_int_equal(w.data[BGP_HEADER_LEN + 9], 0);
	wb_free(&w);
}

static int decode_caps(const char *caps_hex, struct bgp_open *o)
{
	uint8_t b[300];
	size_t n = unhex("04 FDE9 00B4 0A000002", b);
	uint8_t caps[280];
	size_t cl = unhex(caps_hex, caps);
	b[n++] = (uint8_t)(cl + 2);
	b[n++] = OPT_PARAM_CAPABILITIES;
	b[n++] = (uint8_t)cl;
	memcpy(b + n, caps, cl);
	n += cl;
	uint8_t sub;
	return open_decode(b, n, o, NULL, &sub);
}

static void test_decode_edges(void **state)
{
	(void)state;
	struct bgp_open o;
	/* PATHS-LIMIT: a limit of 0 and a repeated family are skipped, an
	 * unknown family too; a short tail is ignored */
	assert_int_equal(decode_caps("4C1B 0001010000 000201001E 0001010005 0001010007 FFFF010009 0102", &o), 0);
	assert_int_equal(o.caps.npaths_limit, 2);
	assert_int_equal(o.caps.paths_limit[0].family, FAM_IPV6_UNICAST);
	assert_int_equal(o.caps.paths_limit[0].limit, 30);
	assert_int_equal(o.caps.paths_limit[1].family, FAM_IPV4_UNICAST);
	assert_int_equal(o.caps.paths_limit[1].limit, 5);
	/* hostname without the domain's length byte (ExaBGP 5.0 accepts it) */
	assert_int_equal(decode_caps("4903 027231", &o), 0);
	assert_true(o.caps.has_hostname);
	assert_string_equal(o.caps.host_name, "r1");
	assert_string_equal(o.caps.domain_name, "");
	/* lengths past the value: the capability is not taken, the OPEN is */
	assert_int_equal(decode_caps("4903 057231 4B04 09414243", &o), 0);
	assert_false(o.caps.has_hostname);
	assert_false(o.caps.has_software_version);
	/* a text longer than 64 bytes is cut to 64 */
	char longcap[400];
	int k = snprintf(longcap, sizeof(longcap), "4B47 46");
	for (int i = 0; i < 70; i++)
		k += snprintf(longcap + k, sizeof(longcap) - (size_t)k, "41");
	assert_int_equal(decode_caps(longcap, &o), 0);
	assert_true(o.caps.has_software_version);
	assert_int_equal(strlen(o.caps.software_version), CAP_NAME_MAX);
}

static void test_negotiate(void **state)
{
	(void)state;
	struct bgp_open ours, theirs;
	struct negotiated n;
	sample_open(&ours);
	sample_open(&theirs);
	/* we receive ADD-PATH only: the peer's limit does not bind us */
	negotiate(&ours, &theirs, &n);
	assert_true(n.link_local_nexthop);
	assert_int_equal(n.paths_limit[FAM_IPV4_UNICAST], 0);
	/* we send, the peer receives and limits to 10 */
	ours.caps.add_path[FAM_IPV4_UNICAST] = ADDPATH_DIR_SEND;
	negotiate(&ours, &theirs, &n);
	assert_int_equal(n.paths_limit[FAM_IPV4_UNICAST], 10);
	/* one side without the link-local capability */
	theirs.caps.link_local_nexthop = false;
	negotiate(&ours, &theirs, &n);
	assert_false(n.link_local_nexthop);
}

/* RFC 2545 3 next-hops: global + link-local for IPv6 families without a
 * route distinguisher, once the capability is negotiated. */
static void test_link_local_next_hop(void **state)
{
	(void)state;
	struct encode_ctx c;
	memset(&c, 0, sizeof(c));
	c.link_local[0] = 0xfe;
	c.link_local[1] = 0x80;
	c.link_local[15] = 1;
	struct nexthop nh = {.kind = NH_IP, .len = 16, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
	struct nexthop t = nh;
	encode_link_local(&c, FAM_IPV6_UNICAST, &t);
	assert_int_equal(t.len, 16); /* not negotiated */
	c.has_link_local = true;
	encode_link_local(&c, FAM_IPV6_UNICAST, &t);
	assert_int_equal(t.len, 32);
	assert_memory_equal(t.addr, nh.addr, 16);
	assert_memory_equal(t.addr + 16, c.link_local, 16);
	t = nh;
	encode_link_local(&c, FAM_IPV6_MPLS_VPN, &t); /* the RD form is left alone */
	assert_int_equal(t.len, 16);
	encode_link_local(&c, FAM_IPV4_UNICAST, &t);
	assert_int_equal(t.len, 16);
	t.addr[0] = 0xfe; /* a link-local next-hop goes alone */
	t.addr[1] = 0x80;
	encode_link_local(&c, FAM_IPV6_UNICAST, &t);
	assert_int_equal(t.len, 16);
}

/* "fastbgp decode" with api.version = 5 prints the capabilities as the
 * 5.0 branch's "exabgp decode" of the same OPEN does (compared by hand,
 * whole line); 4 prints them as 4.2's unknown ones. */
static void test_decode_as_exabgp5(void **state)
{
	(void)state;
	const char *hex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005201" "04FDE900B40A000001" "35"
			  "0206010400010001020641040000FDE9020D490B027231076578616D706C65"
			  "02104B0E0D4578614247502F352E302E3133" "02024D00";
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	assert_int_equal(api_decode_hex_as(hex, NULL, 5, f), 0);
	fclose(f);
	assert_non_null(strstr(out, "{ \"exabgp\": \"5.0.0\""));
	assert_non_null(strstr(out, "\"73\": { \"host-name\": \"r1\", \"domain-name\": \"example\" }, "
				    "\"75\": { \"software\": \"ExaBGP/5.0.13\" }, \"77\": { \"name\": \"link-local-nexthop\" }"));
	free(out);
	out = NULL;
	f = open_memstream(&out, &olen);
	assert_int_equal(api_decode_hex(hex, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(out, "\"75\": { \"name\": \"unknown\", \"iana\": \"unassigned\", \"value\": 75"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_exact),
		cmocka_unit_test(test_encode_hostname_forms),
		cmocka_unit_test(test_decode_edges),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_link_local_next_hop),
		cmocka_unit_test(test_decode_as_exabgp5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
