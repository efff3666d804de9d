/* JSON events compared with ExaBGP 4.2.25's output as seen live
 * (EXABGP-COMPAT.md section 3 [obs] samples), fixed time/host/pid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/fmt.h"
#include "api/views.h"
#include "wire/header.h"
#include "json_check.h"

#define HDR "{ \"exabgp\": \"4.0.1\", \"time\": 1795644765.4489248, \"host\" : \"vm\", \"pid\" : 7846, \"ppid\" : 7845, "
#define NEIGH                                                                                                     \
	"\"neighbor\": { \"address\": { \"local\": \"127.0.0.1\", \"peer\": \"127.0.0.1\" }, \"asn\": { \"local\": " \
	"65533, \"peer\": 65533 }"

static struct api_fmt fmt4, fmt5;
static struct api_neighbor nb;
static char line[65536];

static void setup_fmt(struct api_fmt *f, int version)
{
	memset(f, 0, sizeof(*f));
	f->version = version;
	f->exabgp = version == 5 ? "5.0.0" : "4.0.1";
	snprintf(f->host, sizeof(f->host), "vm");
	f->pid = 7846;
	f->ppid = 7845;
	f->now = 1795644765.4489248;
}

static int setup(void **state)
{
	(void)state;
	setup_fmt(&fmt4, 4);
	setup_fmt(&fmt5, 5);
	memset(&nb, 0, sizeof(nb));
	snprintf(nb.peer_address, sizeof(nb.peer_address), "127.0.0.1");
	snprintf(nb.local_address, sizeof(nb.local_address), "127.0.0.1");
	nb.id.local_as = nb.id.peer_as = 65533;
	nb.id.router_id = 0x0A000002;
	return 0;
}

/* prefix (with counter) + body, as one helper receives it (without "\n") */
static const char *finish(const struct api_fmt *f, struct wbuf *w, uint64_t counter)
{
	size_t pl = api_json_encoder.prefix(f, line, sizeof(line), counter);
	assert_false(w->err);
	assert_true(pl + w->len < sizeof(line));
	memcpy(line + pl, w->data, w->len);
	line[pl + w->len] = '\0';
	wb_free(w);
	/* the oracle of issue 10: whatever the expected text, it is JSON */
	size_t off;
	const char *why = json_check_error(line, strlen(line), &off);
	if (why)
		fail_msg("invalid JSON (%s) at byte %zu: %s", why, off, line);
	return line;
}

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;
	for (; hex[0] && hex[1]; hex += 2) {
		while (*hex == ' ')
			hex++;
		unsigned v;
		sscanf(hex, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Builds a whole message from a body in hex. */
static size_t message(uint8_t type, const char *body_hex, uint8_t *out)
{
	memset(out, 0xFF, 16);
	size_t n = unhex(body_hex, out + 19);
	put_u16(out + 16, (uint16_t)(n + 19));
	out[18] = type;
	return n + 19;
}

/* Significant digits of a repr: digits before any exponent, without
 * leading zeros and the ".0" of an integral value. */
static int significant_digits(const char *s)
{
	int n = 0, started = 0, last_nonzero = 0;
	for (; *s && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s != '0')
			started = 1;
		if (started) {
			n++;
			if (*s != '0')
				last_nonzero = n;
		}
	}
	return last_nonzero ? last_nonzero : 1;
}

/* Python's repr() is the shortest text that reads back to the same double:
 * every output reads back, and one significant digit fewer never does. */
static void test_pyfloat_shortest(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double v = i % 2 ? 1.7e9 + (double)(x % 1000000000000ull) / 1e6 /* timestamps */
				 : (double)(x >> 11) / (double)(1ull << 53) * 1e3;
		char b[40], e[40];
		fmt_pyfloat(v, b, sizeof(b));
		if (strtod(b, NULL) != v)
			fail_msg("%.17g printed as %s", v, b);
		int d = significant_digits(b);
		if (d > 1) {
			snprintf(e, sizeof(e), "%.*e", d - 2, v);
			if (strtod(e, NULL) == v)
				fail_msg("%.17g printed as %s but %s reads back too", v, b, e);
		}
	}
}

static void test_pyfloat(void **state)
{
	(void)state;
	char b[40];
	fmt_pyfloat(1795644765.4489248, b, sizeof(b));
	assert_string_equal(b, "1795644765.4489248");
	fmt_pyfloat(1795644777.08, b, sizeof(b));
	assert_string_equal(b, "1795644777.08");
	fmt_pyfloat(1795644770.0, b, sizeof(b));
	assert_string_equal(b, "1795644770.0");
	fmt_pyfloat(0.5, b, sizeof(b));
	assert_string_equal(b, "0.5");
	fmt_pyfloat(0.0001, b, sizeof(b));
	assert_string_equal(b, "0.0001");
	fmt_pyfloat(0.00001, b, sizeof(b));
	assert_string_equal(b, "1e-05");
	fmt_pyfloat(1e16, b, sizeof(b));
	assert_string_equal(b, "1e+16");
	fmt_pyfloat(123456789012345.6, b, sizeof(b));
	assert_string_equal(b, "123456789012345.6");
}

static void test_state(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 256);
	api_json_encoder.state(&fmt4, &w, &nb, "connected", NULL);
	assert_string_equal(finish(&fmt4, &w, 2), HDR "\"counter\": 2, \"type\": \"state\", " NEIGH
						   " , \"state\": \"connected\" } }");
	wb_init(&w, 256);
	api_json_encoder.state(&fmt4, &w, &nb, "up", NULL);
	assert_string_equal(finish(&fmt4, &w, 3), HDR "\"counter\": 3, \"type\": \"state\", " NEIGH
						   " , \"state\": \"up\" } }");
	wb_init(&w, 256);
	api_json_encoder.state(&fmt4, &w, &nb, "down",
			       "peer reset, message [notification received (6,3)] error[Cease / Peer De-configured / ]");
	assert_string_equal(finish(&fmt4, &w, 9),
			    HDR "\"counter\": 9, \"type\": \"state\", " NEIGH
				" , \"state\": \"down\", \"reason\": \"peer reset, message (notification received (6,3)) "
				"error(Cease / Peer De-configured / )\" } }");
}

static void test_down_escaped(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 256);
	/* a shutdown communication with quotes, a backslash, a control character and invalid UTF-8 */
	api_json_encoder.state(&fmt4, &w, &nb, "down", "error[Shutdown Communication: \"a\\b\x01{c}\xff\"]");
	assert_string_equal(finish(&fmt4, &w, 1),
			    HDR "\"counter\": 1, \"type\": \"state\", " NEIGH
				" , \"state\": \"down\", \"reason\": \"error(Shutdown Communication: \\\"a\\\\b\\u0001(c)"
				"\\ufffd\\\")\" } }");
	/* 5.0 keeps brackets */
	wb_init(&w, 256);
	api_json_encoder.state(&fmt5, &w, &nb, "down", "x [y] \xc3\xa9");
	assert_non_null(strstr(finish(&fmt5, &w, 1), "\"reason\": \"x [y] \xc3\xa9\" } }"));
}

static void test_fsm_signal(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 256);
	api_json_encoder.fsm(&fmt4, &w, &nb, 4 /* PEER_OPENCONFIRM */);
	assert_string_equal(finish(&fmt4, &w, 5), HDR "\"counter\": 5, \"type\": \"fsm\", " NEIGH
						   " , \"state\": \"OPENCONFIRM\" } }");
	wb_init(&w, 256);
	api_json_encoder.signal(&fmt4, &w, &nb, 10);
	assert_string_equal(finish(&fmt4, &w, 6), HDR "\"counter\": 6, \"type\": \"signal\", " NEIGH
						   " , \"code\": \"10\", \"name\": \"SIGUSR1\" } }");
}

static void test_shutdown(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 256);
	struct api_fmt f = fmt4;
	f.now = 1795644777.08;
	api_json_encoder.shutdown(&f, &w);
	assert_string_equal(finish(&f, &w, 0), "{ \"exabgp\": \"4.0.1\", \"time\": 1795644777.08, \"host\" : \"vm\", "
					       "\"pid\" : 7846, \"ppid\" : 7845, \"type\": \"notification\", "
					       "\"notification\": \"shutdown\" }");
}

/* OPEN of the sample: MP ipv4/unicast ipv4/flow ipv6/unicast, ASN4, GR, RR, ERR, extended message */
#define OPEN_SAMPLE                                                                                              \
	"04 FFFD 00B4 0A000003 36"                                                                                \
	"0206 0104 00010001 0206 0104 00010085 0206 0104 00020001"                                                \
	"0206 4104 0000FFFD 0208 4006 8078 00010180 0202 0200 0202 4600 0202 0600"

static void test_open(void **state)
{
	(void)state;
	uint8_t msg[4096];
	size_t len = message(BGP_MSG_OPEN, OPEN_SAMPLE, msg);
	struct open_listing ov;
	assert_int_equal(api_open_view_parse(&ov, msg + 19, len - 19), 0);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_OPEN, .msg = msg, .len = len, .ov = &ov};
	struct wbuf w;
	wb_init(&w, 256);
	assert_int_equal(api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e), 0);
	assert_string_equal(
		finish(&fmt4, &w, 4),
		HDR "\"counter\": 4, \"type\": \"open\", " NEIGH
		    " , \"direction\": \"receive\", \"open\": { \"version\": 4, \"asn\": 65533, \"hold_time\": 180, "
		    "\"router_id\": \"10.0.0.3\", \"capabilities\": { \"1\": { \"name\": \"multiprotocol\", \"families\": "
		    "[ \"ipv4/unicast\", \"ipv4/flow\", \"ipv6/unicast\" ] }, \"65\": { \"name\": \"asn4\", \"asn4\": 65533 "
		    "}, \"64\": { \"name\": \"graceful restart\", \"time\": 120, \"address-family-flags\": { "
		    "\"ipv4/unicast\": [ \"restart\" ] }, \"restart-flags\": [ \"forwarding\" ] }, \"2\": { \"name\": "
		    "\"route-refresh\", \"variant\": \"RFC\" }, \"70\": { \"name\": \"enhanced-route-refresh\" }, \"6\": { "
		    "\"name\": \"extended-message\", \"size\": 65535 } } } } }");
	/* the same OPEN sent by us: capability names as keys */
	e.dir = API_DIR_SEND;
	wb_init(&w, 256);
	assert_int_equal(api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e), 0);
	const char *s = finish(&fmt4, &w, 5);
	assert_non_null(strstr(s, "\"direction\": \"send\""));
	assert_non_null(strstr(s, "\"capabilities\": { \"multiprotocol\": { \"name\": \"multiprotocol\""));
	assert_non_null(strstr(s, "\"graceful-restart\": { \"name\": \"graceful restart\""));
	assert_non_null(strstr(s, "\"enhanced-route-refresh\": { \"name\""));
}

static void test_open_unknown_caps(void **state)
{
	(void)state;
	uint8_t msg[4096];
	/* add-path, multisession, an unassigned code with data, FQDN (73) */
	size_t len = message(BGP_MSG_OPEN,
			     "04 FDE8 005A 01020304 1F 021D 4504 00010103 4400 5002 ABCD 4909 04686F7374 03646F6D"
			     " 4504 00020102",
			     msg);
	struct open_listing ov;
	assert_int_equal(api_open_view_parse(&ov, msg + 19, len - 19), 0);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_OPEN, .msg = msg, .len = len, .ov = &ov};
	struct wbuf w;
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e);
	const char *s = finish(&fmt4, &w, 1);
	assert_non_null(strstr(s, "\"69\": { \"name\": \"addpath\", \"ipv4/unicast\": \"send/receive\","
				  "\"ipv6/unicast\": \"send\" }"));
	assert_non_null(strstr(s, "\"68\": { \"name\": \"multisession\", \"variant\": \"RFC\", \"capabilities\": [ ] }"));
	assert_non_null(strstr(s, "\"80\": { \"name\": \"unknown\", \"iana\": \"unassigned\", \"value\": 80, \"raw\": "
				  "\"ABCD\" }"));
	assert_non_null(strstr(s, "\"73\": { \"name\": \"unknown\", \"iana\": \"unassigned\", \"value\": 73"));
	/* 5.0 decodes the hostname capability */
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt5, &w, &nb, &e);
	s = finish(&fmt5, &w, 1);
	assert_non_null(strstr(s, "\"73\": { \"host-name\": \"host\", \"domain-name\": \"dom\" }"));
	assert_non_null(strstr(s, "{ \"exabgp\": \"5.0.0\""));
	assert_non_null(strstr(s, "\"peer\": 65533 }, \"router-id\": \"10.0.0.2\" , \"direction\""));
}

static void test_negotiated(void **state)
{
	(void)state;
	struct bgp_open sent, recv;
	struct negotiated neg;
	memset(&sent, 0, sizeof(sent));
	memset(&recv, 0, sizeof(recv));
	memset(&neg, 0, sizeof(neg));
	neg.max_msg = 65535;
	neg.hold_time = 180;
	neg.asn4 = true;
	neg.route_refresh = neg.enhanced_route_refresh = true;
	neg.families = FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV4_FLOW) | FAM_BIT(FAM_IPV6_UNICAST);
	struct api_neighbor n = nb;
	api_neighbor_set_session(&n, &sent, &recv, &neg);
	struct wbuf w;
	wb_init(&w, 256);
	api_json_encoder.negotiated(&fmt4, &w, &n);
	assert_string_equal(
		finish(&fmt4, &w, 3),
		HDR "\"counter\": 3, \"type\": \"negotiated\", " NEIGH
		    " , \"negotiated\": { \"message_size\": 65535, \"hold_time\": 180, \"asn4\": true, \"multisession\": "
		    "false, \"operational\": false, \"refresh\": \"enhanced\", \"families\": [ \"ipv4 unicast\" ,\"ipv4 "
		    "flow\" ,\"ipv6 unicast\" ], \"nexthop\": [  ], \"add_path\": { \"send\": [  ], \"receive\": [  ] } "
		    "}  } }");
	/* the families follow the received OPEN's order; add-path lists are valid */
	n.rx_mp[0] = FAM_IPV6_UNICAST;
	n.rx_mp[1] = FAM_IPV4_UNICAST;
	n.nrx_mp = 2;
	neg.addpath_send = neg.addpath_receive = FAM_BIT(FAM_IPV4_UNICAST);
	wb_init(&w, 256);
	api_json_encoder.negotiated(&fmt4, &w, &n);
	assert_non_null(strstr(finish(&fmt4, &w, 3), "\"families\": [ \"ipv6 unicast\" ,\"ipv4 unicast\" ,\"ipv4 flow\" "
						    "], \"nexthop\": [  ], \"add_path\": { \"send\": [ \"ipv4 unicast\" "
						    "], \"receive\": [ \"ipv4 unicast\" ] } }  } }"));
	wb_init(&w, 256);
	api_json_encoder.negotiated(&fmt5, &w, &n);
	assert_non_null(strstr(finish(&fmt5, &w, 3), "\"families\": [\"ipv6 unicast\", \"ipv4 unicast\", \"ipv4 flow\"], "
						    "\"nexthop\": [], \"add_path\": {\"send\": [\"ipv4 unicast\"], "
						    "\"receive\": [\"ipv4 unicast\"]} }  } }"));
}

static void test_keepalive(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t len = message(BGP_MSG_KEEPALIVE, "", msg);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_KEEPALIVE, .msg = msg, .len = len};
	struct wbuf w;
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e);
	assert_string_equal(finish(&fmt4, &w, 7),
			    HDR "\"counter\": 7, \"type\": \"keepalive\", " NEIGH " , \"direction\": \"receive\"  } }");
	/* consolidated with packets: the header, no body */
	e.packets = true;
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e);
	assert_string_equal(finish(&fmt4, &w, 8), HDR "\"counter\": 8, \"type\": \"keepalive\", \"header\": "
						   "\"0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304\", " NEIGH
						   " , \"direction\": \"receive\"  } }");
}

static family_mask addpath;

static const char *update_json(const char *body_hex, const struct api_fmt *f, bool negotiated)
{
	static uint8_t msg[8192];
	size_t len = message(BGP_MSG_UPDATE, body_hex, msg);
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct api_update_view uv;
	api_update_view_init(&uv, &pool);
	struct api_update_opts o = {true, addpath, false};
	assert_int_equal(api_update_view_build(&uv, msg + 19, len - 19, &o), 0);
	struct api_ev e = {.dir = API_DIR_RECEIVE,
			   .type = BGP_MSG_UPDATE,
			   .msg = msg,
			   .len = len,
			   .uv = &uv,
			   .negotiated = negotiated};
	struct wbuf w;
	wb_init(&w, 256);
	assert_int_equal(api_encode_message(&api_json_encoder, f, &w, &nb, &e), 0);
	api_update_view_free(&uv);
	attr_pool_free(&pool);
	return finish(f, &w, 10);
}

#define UPD_SAMPLE                                                                                            \
	"0000 004B 400101 00 40020A 0202 0000FDE9 0000FDEA 400304 0A000001 800404 00000064 400504 000000C8"  \
	" C00808 FDE80001 FFFFFF01 C01008 0002FDE800000064 C0200C 0000FDE8 00000001 00000002"                \
	" 100A01 18C0A800"

static void test_update(void **state)
{
	(void)state;
	assert_string_equal(
		update_json(UPD_SAMPLE, &fmt4, false),
		HDR "\"counter\": 10, \"type\": \"update\", " NEIGH
		    " , \"direction\": \"receive\", \"message\": { \"update\": { \"attribute\": { \"origin\": \"igp\", "
		    "\"as-path\": [ 65001, 65002 ], \"confederation-path\": [], \"med\": 100, \"local-preference\": 200, "
		    "\"community\": [ [ 65000, 1 ], [ 65535, 65281 ] ], \"extended-community\": [ { \"value\": "
		    "842122827661412, \"string\": \"target:65000:100\" } ], \"large-community\": [ [ 65000, 1 , 2 ] ] }, "
		    "\"announce\": { \"ipv4 unicast\": { \"10.0.0.1\": [ { \"nlri\": \"10.1.0.0/16\" }, { \"nlri\": "
		    "\"192.168.0.0/24\" } ] } } } } } }");
	/* 5.0: AS_PATH as segments, no confederation-path */
	const char *s = update_json(UPD_SAMPLE, &fmt5, false);
	assert_non_null(strstr(s, "\"attribute\": { \"origin\": \"igp\", \"as-path\": {\"0\": {\"element\": "
				  "\"as-sequence\", \"value\": [65001, 65002]}}, \"med\": 100"));
	assert_null(strstr(s, "confederation-path"));
}

static void test_withdraw(void **state)
{
	(void)state;
	assert_string_equal(update_json("0003 100A01 0000", &fmt4, false),
			    HDR "\"counter\": 10, \"type\": \"update\", " NEIGH
				" , \"direction\": \"receive\", \"message\": { \"update\": { \"withdraw\": { \"ipv4 "
				"unicast\": [ { \"nlri\": \"10.1.0.0/16\" } ] } } } } }");
}

static void test_update_ipv6(void **state)
{
	(void)state;
	assert_string_equal(
		update_json("0000 002D 400101 00 400200 400504 00000064"
			    " 800E1C 0002 01 10 20010DB8000000000000000000000001 00 30 20010DB80001",
			    &fmt4, false),
		HDR "\"counter\": 10, \"type\": \"update\", " NEIGH
		    " , \"direction\": \"receive\", \"message\": { \"update\": { \"attribute\": { \"origin\": \"igp\", "
		    "\"local-preference\": 100 }, \"announce\": { \"ipv6 unicast\": { \"2001:db8::1\": [ { \"nlri\": "
		    "\"2001:db8:1::/48\" } ] } } } } } }");
}

static void test_update_flow(void **state)
{
	(void)state;
	assert_string_equal(
		update_json("0000 002E 400101 00 400200 400504 00000064 C01008 8006000000000000"
			    " 800E12 0001 85 00 00 0C 0120 0A000001 0381 06 0581 50",
			    &fmt4, false),
		HDR "\"counter\": 10, \"type\": \"update\", " NEIGH
		    " , \"direction\": \"receive\", \"message\": { \"update\": { \"attribute\": { \"origin\": \"igp\", "
		    "\"local-preference\": 100, \"extended-community\": [ { \"value\": 9225060886715039744, \"string\": "
		    "\"rate-limit:0\" } ] }, \"announce\": { \"ipv4 flow\": { \"no-nexthop\": [ { \"destination-ipv4\": [ "
		    "\"10.0.0.1/32\" ], \"protocol\": [ \"=tcp\" ], \"destination-port\": [ \"=80\" ], \"string\": \"flow "
		    "destination-ipv4 10.0.0.1/32 protocol =tcp destination-port =80\" } ] } } } } } }");
}

/* Malformed FlowSpec rules (issue 10) are never handed to helpers as an
 * empty, match-everything rule, and an empty NLRI never makes invalid JSON:
 * the UPDATE is treat-as-withdraw, its good rules are withdrawn and the bad
 * ones left out. */
static void test_update_flow_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {"00", "03EE8106", "0603810601080A", "0701280A00000100",
					  "03030106", "020391", "030D8106"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char body[256];
		size_t nl = strlen(bad[i]) / 2;
		snprintf(body, sizeof(body), "0000 %04zx 400101 00 400200 400504 00000064 800E%02zx 0001 85 00 00 %s",
			 (size_t)(4 + 3 + 7 + 3 + 5 + nl), 5 + nl, bad[i]);
		const char *s = update_json(body, &fmt4, false);
		if (strstr(s, "{ }") || strstr(s, "{,") || strstr(s, "ipv4 flow"))
			fail_msg("flow NLRI %s shown to helpers: %s", bad[i], s);
		assert_non_null(strstr(s, "\"message\": { \"update\": {  } } } }"));
	}
	/* a good rule next to an empty one: the good one is withdrawn */
	const char *s = update_json("0000 0024 400101 00 400200 400504 00000064"
				    " 800E12 0001 85 00 00 0C 0120 0A000001 0381 06 0581 50 00",
				    &fmt4, false);
	assert_non_null(strstr(s, "\"withdraw\": { \"ipv4 flow\": [ { \"destination-ipv4\": [ \"10.0.0.1/32\" ], "
				  "\"protocol\": [ \"=tcp\" ], \"destination-port\": [ \"=80\" ], \"string\": \"flow "
				  "destination-ipv4 10.0.0.1/32 protocol =tcp destination-port =80\" } ] }"));
	assert_null(strstr(s, "announce"));
}

static void test_eor(void **state)
{
	(void)state;
	assert_string_equal(update_json("0000 0000", &fmt4, false),
			    HDR "\"counter\": 10, \"type\": \"update\", " NEIGH
				" , \"direction\": \"receive\", \"message\": { \"eor\": { \"afi\" : \"ipv4\", \"safi\" : "
				"\"unicast\" } } } }");
	const char *s = update_json("0000 0007 900F0003 000285", &fmt4, false);
	assert_non_null(strstr(s, "\"message\": { \"eor\": { \"afi\" : \"ipv6\", \"safi\" : \"flow\" } } } }"));
}

static void test_update_negotiated(void **state)
{
	(void)state;
	const char *s = update_json("0003 100A01 0000", &fmt4, true);
	assert_non_null(strstr(s, "\"withdraw\": { \"ipv4 unicast\": [ { \"nlri\": \"10.1.0.0/16\" } ] } } }, "
				  "\"negotiated\": { \"message_size\": 4096, "));
	assert_non_null(strstr(s, "\"add_path\": { \"send\": [  ], \"receive\": [  ] } }  } }"));
}

static void test_ipv6_link_local(void **state)
{
	(void)state;
	/* a 32-byte next-hop: ExaBGP lists each prefix under both next-hops */
	const char *s = update_json("0000 0036 400101 00 400200"
				    " 800E2C 0002 01 20 20010DB8000000000000000000000001 FE800000000000000000000000000001"
				    " 00 30 20010DB80001",
				    &fmt4, false);
	assert_non_null(strstr(s, "\"announce\": { \"ipv6 unicast\": { \"2001:db8::1\": [ { \"nlri\": "
				  "\"2001:db8:1::/48\" } ], \"fe80::1\": [ { \"nlri\": \"2001:db8:1::/48\" } ] } }"));
}

static void test_nlri_forms(void **state)
{
	(void)state;
	/* ADD-PATH identifiers */
	addpath = FAM_BIT(FAM_IPV4_UNICAST);
	const char *s = update_json("0000 000E 400101 00 400200 400304 0A000001 00000001 18C0A800", &fmt4, false);
	addpath = 0;
	assert_non_null(strstr(s, "\"announce\": { \"ipv4 unicast\": { \"10.0.0.1\": [ { \"nlri\": \"192.168.0.0/24\", "
				  "\"path-information\": \"0.0.0.1\" } ] } }"));
	/* api.compact */
	struct api_fmt c = fmt4;
	c.compact = true;
	s = update_json(UPD_SAMPLE, &c, false);
	assert_non_null(strstr(s, "\"10.0.0.1\": [ \"10.1.0.0/16\", \"192.168.0.0/24\" ]"));
	/* VPN: label and route distinguisher; the next-hop without its RD */
	s = update_json("0000 002A 400101 00 400200 800E20 0001 80 0C 0000000000000000 0A000001 00"
			" 70 000641 0000FDE800000001 0A0101",
			&fmt4, false);
	assert_non_null(strstr(s, "\"announce\": { \"ipv4 mpls-vpn\": { \"10.0.0.1\": [ { \"nlri\": \"10.1.1.0/24\", "
				  "\"label\": [ [100] ], \"rd\": \"65000:1\" } ] } }"));
}

static void test_notification(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t len = message(BGP_MSG_NOTIFICATION, "0603 0102", msg);
	struct notification nt;
	assert_int_equal(notification_decode(msg + 19, len - 19, &nt), 0);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_NOTIFICATION, .msg = msg, .len = len, .notif = &nt};
	struct wbuf w;
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e);
	assert_string_equal(finish(&fmt4, &w, 11),
			    HDR "\"counter\": 11, \"type\": \"notification\", " NEIGH
				" , \"direction\": \"receive\", \"notification\": { \"code\": 6, \"subcode\": 3, "
				"\"data\": \"0x0102\" }  } }");
	/* Cease 2 with a shutdown communication: 5.0 adds the text, escaped */
	len = message(BGP_MSG_NOTIFICATION, "0602 03 622265", msg);
	assert_int_equal(notification_decode(msg + 19, len - 19, &nt), 0);
	e.len = len;
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt5, &w, &nb, &e);
	assert_non_null(strstr(finish(&fmt5, &w, 1),
			       "\"message\": \"Shutdown Communication: \\\"b\\\"e\\\"\" }  } }"));
}

static void test_refresh(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t len = message(BGP_MSG_ROUTE_REFRESH, "0001 00 01", msg);
	struct route_refresh rr = {1, 1, 0};
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_ROUTE_REFRESH, .msg = msg, .len = len, .rr = &rr};
	struct wbuf w;
	wb_init(&w, 256);
	api_encode_message(&api_json_encoder, &fmt4, &w, &nb, &e);
	/* ExaBGP 4.2 writes ""ipv4"": fixed */
	assert_string_equal(finish(&fmt4, &w, 12),
			    HDR "\"counter\": 12, \"type\": \"refresh\", " NEIGH
				" , \"direction\": \"receive\", \"route-refresh\": { \"afi\": \"ipv4\", \"safi\": "
				"\"unicast\", \"subtype\": \"query\" } } }");
}

static void test_packets(void **state)
{
	(void)state;
	uint8_t msg[64];
	size_t len = message(BGP_MSG_UPDATE, "0000 0000", msg);
	struct api_ev e = {.dir = API_DIR_SEND, .type = BGP_MSG_UPDATE, .msg = msg, .len = len};
	struct wbuf w;
	wb_init(&w, 256);
	api_json_encoder.packets(&fmt4, &w, &nb, &e);
	assert_string_equal(finish(&fmt4, &w, 13),
			    HDR "\"counter\": 13, \"type\": \"update\", " NEIGH
				" , \"direction\": \"send\", \"message\": { \"category\": 2, \"header\": "
				"\"0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001702\", \"body\": \"0x00000000\" }  } }");
	size_t l2 = message(BGP_MSG_ROUTE_REFRESH, "0001 00 01", msg);
	struct api_ev e2 = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_ROUTE_REFRESH, .msg = msg, .len = l2};
	wb_init(&w, 256);
	api_json_encoder.packets(&fmt4, &w, &nb, &e2);
	assert_non_null(strstr(finish(&fmt4, &w, 1), "\"type\": \"route refresh\""));
}

static void test_decode_hex(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);
	assert_int_equal(api_decode_hex(UPD_SAMPLE, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"counter\": 1, \"type\": \"update\", "));
	assert_non_null(strstr(buf, "\"direction\": \"in\", \"message\": { \"update\": { \"attribute\": { \"origin\""));
	assert_non_null(strstr(buf, "{ \"nlri\": \"192.168.0.0/24\" } ] } } } } } }\n"));
	free(buf);
	/* with a header, as a whole message */
	f = open_memstream(&buf, &sz);
	assert_int_equal(api_decode_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:0000:0000", NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"eor\": { \"afi\" : \"ipv4\", \"safi\" : \"unicast\" }"));
	free(buf);
	/* a family that does not match */
	f = open_memstream(&buf, &sz);
	assert_int_equal(api_decode_hex(UPD_SAMPLE, "ipv6 unicast", f), -1);
	fclose(f);
	assert_string_equal(buf, "invalid payload\n");
	free(buf);
	f = open_memstream(&buf, &sz);
	assert_int_equal(api_decode_hex("zz", NULL, f), -1);
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pyfloat),
		cmocka_unit_test(test_pyfloat_shortest),
		cmocka_unit_test_setup(test_state, setup),
		cmocka_unit_test_setup(test_down_escaped, setup),
		cmocka_unit_test_setup(test_fsm_signal, setup),
		cmocka_unit_test_setup(test_shutdown, setup),
		cmocka_unit_test_setup(test_open, setup),
		cmocka_unit_test_setup(test_open_unknown_caps, setup),
		cmocka_unit_test_setup(test_negotiated, setup),
		cmocka_unit_test_setup(test_keepalive, setup),
		cmocka_unit_test_setup(test_update, setup),
		cmocka_unit_test_setup(test_withdraw, setup),
		cmocka_unit_test_setup(test_update_ipv6, setup),
		cmocka_unit_test_setup(test_update_flow, setup),
		cmocka_unit_test_setup(test_update_flow_malformed, setup),
		cmocka_unit_test_setup(test_eor, setup),
		cmocka_unit_test_setup(test_update_negotiated, setup),
		cmocka_unit_test_setup(test_ipv6_link_local, setup),
		cmocka_unit_test_setup(test_nlri_forms, setup),
		cmocka_unit_test_setup(test_notification, setup),
		cmocka_unit_test_setup(test_refresh, setup),
		cmocka_unit_test_setup(test_packets, setup),
		cmocka_unit_test_setup(test_decode_hex, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
