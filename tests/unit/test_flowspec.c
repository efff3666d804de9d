/* FlowSpec (RFC 8955 / 8956): the NLRI encoder from configuration words,
 * the actions as extended communities, the configuration forms, and the
 * decoder on well-formed and malformed NLRI.  Expected bytes are those of
 * ExaBGP 4.2 (checked against its conformance vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/parser.h"
#include "config/parser_flow.h"
#include "nlri/family.h"
#include "nlri/flowspec.h"
#include "nlri/flowspec_action.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
	out[2 * n] = '\0';
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Builds an NLRI from "kw value; kw value; ..." match words. */
static int build(const char *words, char *out_hex)
{
	struct flow_builder b;
	char err[200], buf[512];
	uint8_t nlri[FLOW_MAX_LEN + 2];
	flow_builder_init(&b);
	snprintf(buf, sizeof(buf), "%s", words);
	int rc = 0;
	for (char *save = NULL, *stmt = strtok_r(buf, ";", &save); stmt && rc == 0; stmt = strtok_r(NULL, ";", &save)) {
		char *save2 = NULL;
		char *kw = strtok_r(stmt, " ", &save2);
		const struct flow_keyword *k = flow_keyword_find(kw);
		assert_non_null(k);
		for (char *w = strtok_r(NULL, " []", &save2); w && rc == 0; w = strtok_r(NULL, " []", &save2))
			rc = k->type <= FLOW_SOURCE ? flow_add_prefix(&b, k->type, w, err, sizeof(err))
						    : flow_add_condition(&b, k, w, err, sizeof(err));
	}
	if (rc == 0) {
		rc = flow_encode(&b, nlri, sizeof(nlri), err, sizeof(err));
		if (rc > 0)
			hex(nlri, (size_t)rc, out_hex);
	}
	flow_builder_free(&b);
	return rc < 0 ? -1 : 0;
}

static void expect(const char *words, const char *want)
{
	char got[2 * (FLOW_MAX_LEN + 2) + 1];
	assert_int_equal(build(words, got), 0);
	assert_string_equal(got, want);
}

static void test_encode_conf_flow(void **state)
{
	(void)state;
	/* conf-flow.conf's routes, bytes from conf-flow.msg */
	expect("source 10.0.0.1/32; destination 10.0.0.2/32; destination-port =3128; protocol tcp",
	       "1301200A00000202200A00000103810605910C38");
	expect("source 10.0.0.9/32; destination 192.168.0.1/32; port [ =80 =8080 ]; destination-port [ >8080&<8088 =3128 ];"
	       " source-port >1024; protocol [ udp tcp ]",
	       "250120C0A8000102200A0000090301118106040150911F9005121F90541F98910C3806920400");
	expect("packet-length [ >200&<300 >400&<500 ]", "0C0A02C854012C120190D401F4");
	expect("fragment [ last-fragment ]", "030C8008");
	expect("source ::1/128/120; destination 2a02:b80:15::7aca:39ff:feae:a87a/128/0; next-header udp;"
	       " traffic-class 101; flow-label 2013",
	       "300180002A020B80001500007ACA39FFFEAEA87A028078000000000000000000000000000000010381110B81650D9107DD");
	expect("source 10.0.0.10/32; destination 192.168.0.1/32; port [ !=0 ]; destination-port [ !=443 ];"
	       " source-port [ !=80 !=8080 ]; protocol [ !=tcp ]",
	       "1C0120C0A8000102200A00000A038606048600059601BB060650961F90");
	expect("source 10.0.0.1/32; destination 10.0.0.2/32; destination-port =3128; protocol tcp;"
	       " tcp-flags [SYN RST&FIN&!=push]",
	       "1C01200A00000202200A00000103810605910C3809000200044001C308");
	/* conf-flow-redirect.conf's big route */
	expect("source 10.0.0.1/32; destination 192.168.0.1/32; port [ =80 =8080 ]; destination-port [ >8080&<8088 =3128 ];"
	       " source-port >1024; protocol [ tcp udp ]; packet-length [ >200&<300 >400&<500 ];"
	       " fragment [ first-fragment last-fragment ]; icmp-type [ unreachable echo-request echo-reply ];"
	       " icmp-code [ host-unreachable network-unreachable ]; tcp-flags [ urgent rst ]; dscp [ 10 20 ]",
	       "4C0120C0A8000102200A0000010301068111040150911F9005121F90541F98910C380692040007010301088100080101"
	       "810009002080040A02C854012C120190D401F40B010A81140C00048008");
}

static void test_encode_values(void **state)
{
	(void)state;
	/* operators: >= <= != true false, '&' within a word */
	expect("destination-port >=1024", "0405930400");
	expect("destination-port <=80", "03058550");
	expect("source-port >1024&<=2048", "0706120400D50800");
	expect("packet-length true", "030A8700");
	expect("packet-length false", "030A8000");
	expect("packet-length true100", "030A8764");
	/* value lengths: 1, 2 or 4 bytes, capped per component */
	expect("flow-label 1048575", "060DA1000FFFFF");
	expect("flow-label 300", "040D91012C");
	expect("tcp-flags ns", "0409900100");
	expect("fragment =is-fragment", "030C8102");
	expect("fragment !dont-fragment", "030C8201");
	/* names, numbers, hex and sums */
	expect("protocol 0x11", "03038111");
	expect("protocol 47", "0303812F");
	expect("destination-port =https", "04059101BB");
	expect("destination-port =http+1", "03058151");
	expect("tcp-flags syn+ack", "03098012");
	/* types are sorted, items of one type keep their order */
	expect("dscp 46; destination 10.0.0.0/8; protocol 17", "0901080A0381110B812E");
	/* host bits are sent as written, address truncated to the length */
	expect("destination 10.0.0.255/25", "0601190A0000FF");
}

static void test_encode_errors(void **state)
{
	(void)state;
	char got[64];
	assert_int_equal(build("protocol 256", got), -1);
	assert_int_equal(build("dscp 64", got), -1);
	assert_int_equal(build("destination-port 65536", got), -1);
	assert_int_equal(build("flow-label 1048576", got), -1);
	assert_int_equal(build("destination-port >", got), -1);
	assert_int_equal(build("destination-port >80&", got), -1);
	assert_int_equal(build("destination-port !80", got), -1);
	assert_int_equal(build("protocol nosuchproto", got), -1);
	assert_int_equal(build("tcp-flags bogus", got), -1);
	assert_int_equal(build("source 10.0.0.0/33", got), -1);
	assert_int_equal(build("source 10.0.0.0/8/2", got), -1);
	assert_int_equal(build("source ::/129", got), -1);
	assert_int_equal(build("source 10.0.0.0/8; destination ::1/128", got), -1);
	assert_int_equal(build("source 300.0.0.1/32", got), -1);
}

static void test_encode_long(void **state)
{
	(void)state;
	struct flow_builder b;
	char err[200];
	uint8_t nlri[FLOW_MAX_LEN + 2];
	const struct flow_keyword *k = flow_keyword_find("destination-port");
	flow_builder_init(&b);
	/* 80 ports of 3 bytes: 1 + 240 bytes, the two-byte length form */
	for (int i = 0; i < 80; i++) {
		char w[16];
		snprintf(w, sizeof(w), "=%d", 1000 + i);
		assert_int_equal(flow_add_condition(&b, k, w, err, sizeof(err)), 0);
	}
	int n = flow_encode(&b, nlri, sizeof(nlri), err, sizeof(err));
	assert_int_equal(n, 2 + 241);
	assert_int_equal(nlri[0], 0xF0);
	assert_int_equal(nlri[1], 241);
	assert_int_equal(nlri[2], 5);
	assert_int_equal(nlri[3], 0x11);
	assert_int_equal(nlri[2 + 241 - 3], 0x91); /* end of list on the last one */
	assert_int_equal(flow_nlri_size(nlri, (size_t)n), n);
	/* past 4095 bytes: an error */
	for (int i = 0; i < 1400; i++)
		flow_add_condition(&b, k, "=2000", err, sizeof(err));
	assert_int_equal(flow_encode(&b, nlri, sizeof(nlri), err, sizeof(err)), -1);
	flow_builder_reset(&b);
	assert_int_equal(flow_encode(&b, nlri, sizeof(nlri), err, sizeof(err)), -1); /* empty */
	flow_builder_free(&b);
}

static void action(const char *kw, const char *arg, const char *ext, const char *ext6, int nh_len)
{
	struct flow_action a;
	char err[200], h[64];
	assert_int_equal(flow_action_parse(kw, arg, &a, err, sizeof(err)), 0);
	if (ext) {
		assert_true(a.has_ext);
		hex(a.ext, 8, h);
		assert_string_equal(h, ext);
	} else {
		assert_false(a.has_ext);
	}
	if (ext6) {
		assert_true(a.has_ext6);
		hex(a.ext6, 20, h);
		assert_string_equal(h, ext6);
	} else {
		assert_false(a.has_ext6);
	}
	if (nh_len >= 0) {
		assert_true(a.set_nh);
		assert_int_equal(a.nh_len, nh_len);
	} else {
		assert_false(a.set_nh);
	}
}

static void test_actions(void **state)
{
	(void)state;
	char err[200];
	struct flow_action a;
	uint8_t v[8];
	action("accept", NULL, NULL, NULL, -1);
	action("discard", NULL, "8006000000000000", NULL, -1);
	action("rate-limit", "9600", "8006000046160000", NULL, -1);
	action("rate-limit", "1250000000", "800600004E9502F9", NULL, -1);
	action("rate-limit", "99999999999999", "800600005368D4A5", NULL, -1); /* capped at 10^12 */
	action("redirect", "65500:12345", "8008FFDC00003039", NULL, 0);
	action("redirect", "258:33756718", "800801020203162E", NULL, 0);
	action("redirect", "65536:1", "8208000100000001", NULL, 0);
	action("redirect", "1.2.3.4", "0800000000000000", NULL, 4);
	action("redirect", "2001:db8::1", "0800000000000000", NULL, 16);
	action("redirect", "[2001:db8::1]:7", NULL, "000D20010DB8000000000000000000000001" "0007", 16);
	action("redirect-to-nexthop", NULL, "0800000000000000", NULL, -1);
	action("redirect-to-nexthop-ietf", "1.2.3.4", "010C010203040000", NULL, -1);
	action("redirect-to-nexthop-ietf", "2A02:B80:0:1::1", NULL, "000C2A020B80000000010000000000000001" "0000", -1);
	action("copy", "1.2.3.4", "0800000000000001", NULL, 4);
	action("mark", "10", "800900000000000A", NULL, -1);
	action("action", "sample-terminal", "8007000000000003", NULL, -1);
	action("action", "sample", "8007000000000002", NULL, -1);
	action("action", "terminal", "8007000000000001", NULL, -1);
	assert_int_equal(flow_action_parse("redirect", "1.2.3.4:5678", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("redirect", "65536:65536", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("redirect", "4294967296:1", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("redirect", "1:4294967296", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("mark", "64", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("action", "drop", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("rate-limit", "fast", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("copy", "nowhere", &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_parse("rate-limit", NULL, &a, err, sizeof(err)), -1);
	assert_int_equal(flow_action_arity("blackhole"), -1);

	char h[20];
	assert_int_equal(flow_interface_set("transitive:input:1234:1234", v, err, sizeof(err)), 0);
	hex(v, 8, h);
	assert_string_equal(h, "0702000004D244D2");
	assert_int_equal(flow_interface_set("non-transitive:input-output:65536:5", v, err, sizeof(err)), 0);
	hex(v, 8, h);
	assert_string_equal(h, "470200010000C005");
	assert_int_equal(flow_interface_set("transitive:sideways:1:1", v, err, sizeof(err)), -1);
	assert_int_equal(flow_interface_set("transitive:input:1:16384", v, err, sizeof(err)), -1);
	assert_int_equal(flow_interface_set("transitive:input:1", v, err, sizeof(err)), -1);
}

/* ------------------------------------------------------------ decoder */

static int decode(uint16_t afi, uint8_t safi, const char *nlri_hex, const char *nh, char *text, char *json)
{
	uint8_t nlri[4200];
	char err[200];
	size_t n = unhex(nlri_hex, nlri);
	struct wbuf t, j;
	wb_init(&t, 64);
	wb_init(&j, 64);
	wb_bytes(&t, "x", 1); /* what was there must stay */
	int rc = flow_format(afi, safi, nlri, n, nh, &t, &j, err, sizeof(err));
	assert_true(t.len >= 1 && t.data[0] == 'x');
	if (rc < 0) {
		assert_int_equal(t.len, 1);
		assert_int_equal(j.len, 0);
		assert_true(err[0] != '\0');
	}
	if (text)
		snprintf(text, 1024, "%.*s", (int)t.len - 1, (const char *)t.data + 1);
	if (json)
		snprintf(json, 2048, "%.*s", (int)j.len, (const char *)j.data);
	wb_free(&t);
	wb_free(&j);
	return rc;
}

static void test_decode(void **state)
{
	(void)state;
	char text[1024], json[2048];
	/* the JSON sample of the compatibility notes (ExaBGP 4.2.25, observed) */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "0C01200A000001038106058150", NULL, text, json), 0);
	assert_string_equal(text, "flow destination-ipv4 10.0.0.1/32 protocol =tcp destination-port =80");
	assert_string_equal(json, "{ \"destination-ipv4\": [ \"10.0.0.1/32\" ], \"protocol\": [ \"=tcp\" ], "
				  "\"destination-port\": [ \"=80\" ], \"string\": \"flow destination-ipv4 10.0.0.1/32 "
				  "protocol =tcp destination-port =80\" }");
	/* lists, AND chains, rd and next-hop */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW_VPN, "180000FFFF00010000" "02200A000003" "05121F90541F98910C38",
				"5.6.7.8", text, json), 0);
	assert_string_equal(text, "flow source-ipv4 10.0.0.3/32 destination-port [ >8080&<8088 =3128 ] "
				  "rd 65535:65536 next-hop 5.6.7.8");
	assert_string_equal(json, "{ \"source-ipv4\": [ \"10.0.0.3/32\" ], \"destination-port\": [ \">8080&<8088\", "
				  "\"=3128\" ], \"rd\": \"65535:65536\", \"next-hop\": \"5.6.7.8\", \"string\": \"flow "
				  "source-ipv4 10.0.0.3/32 destination-port [ >8080&<8088 =3128 ] rd 65535:65536 "
				  "next-hop 5.6.7.8\" }");
	/* bitmask names, unknown bits, not-a-fragment, true/false, reserved operator bits */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "0B090002D302400C0000C101", NULL, text, NULL), 0);
	assert_string_equal(text, "flow tcp-flags [ syn&!=ece+unknown tcp flag type 576 ] "
				  "fragment [ not-a-fragment&=dont-fragment ]");
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "0B03000083C80A87000B8900", NULL, text, NULL), 0);
	assert_string_equal(text, "flow protocol [ false >=unknown protocol type 200 ] packet-length true dscp 090");
	/* IPv6: next-header, traffic-class, flow-label; prefix with an offset */
	assert_int_equal(decode(AFI_IPV6, SAFI_FLOW, "17" "02400820010DB800000000" "038106" "0B8120" "0DA100012345", NULL, text, NULL), 0);
	assert_string_equal(text, "flow source-ipv6 2001:db8::/64/8 next-header =tcp traffic-class =32 flow-label =74565");
	/* two destinations (ExaBGP accepts a repeated prefix type) */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "0801080A0118C0A800", NULL, text, json), 0);
	assert_string_equal(text, "flow destination-ipv4 [ 10.0.0.0/8 192.168.0.0/24 ]");
	assert_string_equal(json, "{ \"destination-ipv4\": [ \"10.0.0.0/8\", \"192.168.0.0/24\" ], \"string\": \"flow "
				  "destination-ipv4 [ 10.0.0.0/8 192.168.0.0/24 ]\" }");
	/* RD types 1 and 2, and unknown */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW_VPN, "0B0001010203040005030181", NULL, text, NULL), -1);
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW_VPN, "0B0001010203040005038106", NULL, text, NULL), 0);
	assert_string_equal(text, "flow protocol =tcp rd 1.2.3.4:5");
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW_VPN, "0B0002000100000007038106", NULL, text, NULL), 0);
	assert_string_equal(text, "flow protocol =tcp rd 65536:7");
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW_VPN, "0B0009000100000007038106", NULL, text, NULL), 0);
	assert_string_equal(text, "flow protocol =tcp rd 0x0009000100000007");
	/* bitmask JSON: one element per flag name with its operator, AND
	 * chains joined (ExaBGP 4.2.21 --decode, issue 14) */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "0809010481090C8202", NULL, text, json), 0);
	assert_string_equal(text, "flow tcp-flags [ =rst =fin+push ] fragment !is-fragment");
	assert_string_equal(json, "{ \"tcp-flags\": [ \"=rst\", \"=fin\", \"=push\" ], \"fragment\": "
				  "[ \"not-a-fragment\" ], \"string\": \"flow tcp-flags [ =rst =fin+push ] "
				  "fragment !is-fragment\" }");
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "05090104C109", NULL, text, json), 0);
	assert_string_equal(json, "{ \"tcp-flags\": [ \"=rst&=fin\", \"&=push\" ], \"string\": \"flow "
				  "tcp-flags [ =rst&=fin+push ]\" }");
	/* fuzz_encoders-flow-tcpflags-zero: value 0 without a name prints "0"
	 * (ExaBGP prints nothing: "[ , ,  ]") */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, "0709000001008000", NULL, text, json), 0);
	assert_string_equal(json, "{ \"tcp-flags\": [ \"0\", \"=0\", \"0\" ], \"string\": \"flow "
				  "tcp-flags [ 0 =0 0 ]\" }");
	/* two-byte length */
	uint8_t big[300];
	char bighex[700];
	big[0] = 0xF0;
	big[1] = 0xF1;
	big[2] = 5;
	for (int i = 0; i < 80; i++) {
		big[3 + 3 * i] = i == 79 ? 0x91 : 0x11;
		big[4 + 3 * i] = 0x03;
		big[5 + 3 * i] = (uint8_t)i;
	}
	hex(big, 243, bighex);
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW, bighex, NULL, text, NULL), 0);
	assert_non_null(strstr(text, "flow destination-port [ =768 =769 "));
}

static void test_decode_malformed(void **state)
{
	(void)state;
	static const char *const bad4[] = {
		"",                         /* nothing */
		"05012000",                 /* length past the end */
		"F0",                       /* two-byte length cut */
		"F00A01200A000001",         /* two-byte length past the end */
		"F00501200A000001",         /* two-byte length, one byte left over */
		"0201",                     /* prefix without its length */
		"0601210A000001",           /* /33 */
		"0301200A",                 /* prefix bytes cut */
		"020381",                   /* operator without its value */
		"03030106",                 /* no end-of-list bit */
		"03039106",                 /* two-byte value cut */
		"0403A10006",               /* four-byte value cut */
		"0403B1000000",             /* eight-byte value cut */
		"03038106" "00",            /* length 3, 4 bytes of content */
		"020E81",                   /* component 14 */
		"03008106",                 /* component 0 */
		"030D8101",                 /* flow-label in IPv4 */
		"0605810603" "8106",        /* out of order */
		"01FF",                     /* component 255 */
	};
	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		if (decode(AFI_IPV4, SAFI_FLOW, bad4[i], NULL, NULL, NULL) != -1)
			fail_msg("accepted malformed IPv4 NLRI %s", bad4[i]);
	}
	/* flow-vpn shorter than its RD; IPv6 prefix cut; unknown AFI/SAFI */
	assert_int_equal(decode(AFI_IPV4, SAFI_FLOW_VPN, "050000FFFF00", NULL, NULL, NULL), -1);
	assert_int_equal(decode(AFI_IPV6, SAFI_FLOW, "050240002001", NULL, NULL, NULL), -1);
	assert_int_equal(decode(AFI_IPV6, SAFI_FLOW, "0402810000", NULL, NULL, NULL), -1);
	assert_int_equal(decode(AFI_L2VPN, SAFI_FLOW, "03038106", NULL, NULL, NULL), -1);
	assert_int_equal(decode(AFI_IPV4, SAFI_UNICAST, "03038106", NULL, NULL, NULL), -1);
	/* the same bytes are fine where they are well-formed */
	assert_int_equal(decode(AFI_IPV6, SAFI_FLOW, "030D8101", NULL, NULL, NULL), 0);
	assert_int_equal(flow_nlri_size((const uint8_t *)"\x05", 1), -1);
	assert_int_equal(flow_nlri_size((const uint8_t *)"\xF0", 1), -1);
	assert_int_equal(flow_nlri_size((const uint8_t *)"\x00", 1), 1);
}

/* ------------------------------------------------------------ configuration */

static const char *conf_head = "neighbor 127.0.0.1 { router-id 1.2.3.4; local-address 127.0.0.1; local-as 1; peer-as 1;\n"
			       " family { ipv4 flow; ipv4 flow-vpn; ipv6 flow; ipv6 flow-vpn; }\n";

static int load(const char *body, struct config *c, char *err, size_t errlen)
{
	char text[4096];
	snprintf(text, sizeof(text), "%s%s\n}\n", conf_head, body);
	config_init(c);
	return config_load_string(c, "test.conf", text, err, errlen);
}

static void route_hex(const struct route *r, char *nlri, char *ext)
{
	struct attr_view v;
	hex(r->nlri, r->nlri_len, nlri);
	ext[0] = '\0';
	if (attrset_get(r->attrs, 16, &v))
		hex(v.val, v.len, ext);
}

static void test_config(void **state)
{
	(void)state;
	struct config c;
	char err[512], nlri[600], ext[200];
	const char *body =
		" flow {\n"
		"  route a { rd 65535:65536; next-hop 5.6.7.8; match { source 10.0.0.3/32; } then { redirect-to-nexthop; } }\n"
		"  route b { match { destination 10.0.0.1/32; protocol tcp; destination-port =80; }\n"
		"            then { extended-community [ target:1:2 ]; rate-limit 9600; discard; community [ 1:1 ]; } }\n"
		"  route source ::1/128 next-header udp discard;\n"
		"  route c { match { source 10.0.0.1/32; } scope { interface-set [ transitive:input:1:2 ]; } then { accept; } }\n"
		" }\n"
		" announce { ipv4 { flow destination 10.0.0.9/32 rate-limit 0; flow-vpn rd 1:1 source 10.0.0.0/8 discard; } }\n";
	if (load(body, &c, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(c.nneighbors, 1);
	const struct route_list *rl = &c.neighbors[0]->routes;
	assert_int_equal(rl->n, 6);
	const struct route *r = rl->v[0];
	assert_int_equal(r->family, FAM_IPV4_FLOW_VPN);
	route_hex(r, nlri, ext);
	assert_string_equal(nlri, "0E0000FFFF0001000002200A000003");
	assert_string_equal(ext, "0800000000000000");
	assert_int_equal(r->attrs->nh.kind, NH_IP);
	assert_int_equal(r->attrs->nh.len, 4);
	r = rl->v[1];
	assert_int_equal(r->family, FAM_IPV4_FLOW);
	route_hex(r, nlri, ext);
	assert_string_equal(nlri, "0C01200A000001038106058150");
	/* merged in the order written */
	assert_string_equal(ext, "00020001000000028006000046160000" "8006000000000000");
	assert_int_equal(r->attrs->nh.kind, NH_NONE);
	struct attr_view v;
	assert_true(attrset_get(r->attrs, 8, &v));
	r = rl->v[2];
	assert_int_equal(r->family, FAM_IPV6_FLOW);
	route_hex(r, nlri, ext);
	assert_string_equal(nlri, "16028000" "00000000000000000000000000000001" "038111");
	assert_string_equal(ext, "8006000000000000");
	r = rl->v[3];
	route_hex(r, nlri, ext);
	assert_string_equal(ext, "0702000000014002");
	r = rl->v[4];
	assert_int_equal(r->family, FAM_IPV4_FLOW);
	route_hex(r, nlri, ext);
	assert_string_equal(nlri, "0601200A000009");
	assert_string_equal(ext, "8006000000000000");
	r = rl->v[5];
	assert_int_equal(r->family, FAM_IPV4_FLOW_VPN);
	config_free(&c);

	static const char *const bad[] = {
		" flow { route x { match { source 10.0.0.1/32; } then { explode; } } }",
		" flow { route x { match { source 10.0.0.1/32; rate-limit 5; } } }",
		" flow { route x { match { protocol [ tcp; } } }",
		" flow { route x { then { discard; } } }",
		" flow { route x { match { source 10.0.0.1/32; } bogus { } } }",
		" flow { static x; }",
		" flow { route x { match { source 10.0.0.1/32; destination ::1/128; } } }",
		" announce { ipv4 { flow source ::1/128 discard; } }",
		" announce { ipv4 { flow-vpn source 10.0.0.1/32 discard; } }",
		" flow { route x { match { source 10.0.0.1/32; } then { redirect 1.2.3.4:5; } } }",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (load(bad[i], &c, err, sizeof(err)) == 0)
			fail_msg("accepted: %s", bad[i]);
		config_free(&c);
	}
}

static void test_command(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct rg_ctx g;
	struct route_list out = {0};
	char nlri[600], ext[200];
	attr_pool_init(&pool);
	rg_init(&g, &pool, NULL);
	assert_int_equal(flow_parse_command(&g, false,
					    "{ match { destination 10.0.0.1/32; destination-port =80; } then { discard; } }",
					    &out),
			 1);
	assert_int_equal(flow_parse_command(&g, false, "destination 10.0.0.1/32 destination-port =80 discard", &out),
			 1);
	assert_int_equal(flow_parse_command(&g, true, "name { match { destination 10.0.0.1/32; } }", &out), 1);
	assert_int_equal(flow_parse_command(&g, false, "destination 10.0.0.1/32 { discard", &out), -1);
	assert_int_equal(flow_parse_command(&g, false, "destination 10.0.0.1/32 unknown-word", &out), -1);
	assert_int_equal(out.n, 3);
	route_hex(out.v[0], nlri, ext);
	assert_string_equal(nlri, "0901200A000001058150");
	assert_string_equal(ext, "8006000000000000");
	assert_int_equal(out.v[0]->nlri_len, out.v[1]->nlri_len);
	assert_memory_equal(out.v[0]->nlri, out.v[1]->nlri, out.v[0]->nlri_len);
	assert_true(out.v[0]->attrs == out.v[1]->attrs);
	for (size_t i = 0; i < out.n; i++)
		rg_route_release(&g, out.v[i]);
	route_list_free(&out);
	rg_free(&g);
	assert_int_equal(pool.count, 0);
	attr_pool_free(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_conf_flow), cmocka_unit_test(test_encode_values),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_encode_long),      cmocka_unit_test(test_actions),
		cmocka_unit_test(test_decode),           cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_config),           cmocka_unit_test(test_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
