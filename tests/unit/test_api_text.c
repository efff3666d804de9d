/* Text events compared with ExaBGP 4.2.25's text encoder output
 * (EXABGP-COMPAT.md section 3, "Text encoder [obs]"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/views.h"
#include "wire/header.h"

static struct api_fmt fmt;
static struct api_neighbor nb;
static char out[65536];

static int setup(void **state)
{
	(void)state;
	memset(&fmt, 0, sizeof(fmt));
	fmt.version = 4;
	fmt.exabgp = "4.0.1";
	snprintf(fmt.host, sizeof(fmt.host), "vm");
	fmt.pid = 9208;
	fmt.ppid = 9207;
	memset(&nb, 0, sizeof(nb));
	snprintf(nb.peer_address, sizeof(nb.peer_address), "127.0.0.1");
	snprintf(nb.local_address, sizeof(nb.local_address), "127.0.0.1");
	nb.id.local_as = nb.id.peer_as = 65533;
	return 0;
}

static const char *text(struct wbuf *w)
{
	assert_false(w->err);
	assert_int_equal(api_text_encoder.prefix(&fmt, out, sizeof(out), 5), 0);
	memcpy(out, w->data, w->len);
	out[w->len] = '\0';
	wb_free(w);
	return out;
}

static size_t message(uint8_t type, const char *hex, uint8_t *m)
{
	memset(m, 0xFF, 16);
	size_t n = 0;
	for (; hex[0] && hex[1]; hex += 2) {
		while (*hex == ' ')
			hex++;
		unsigned v;
		sscanf(hex, "%2x", &v);
		m[19 + n++] = (uint8_t)v;
	}
	put_u16(m + 16, (uint16_t)(n + 19));
	m[18] = type;
	return n + 19;
}

static void test_state(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 64);
	assert_int_equal(api_text_encoder.state(&fmt, &w, &nb, "connected", NULL), 0);
	assert_string_equal(text(&w), "neighbor 127.0.0.1 connected\n");
	wb_init(&w, 64);
	api_text_encoder.state(&fmt, &w, &nb, "up", NULL);
	assert_string_equal(text(&w), "neighbor 127.0.0.1 up\n");
	wb_init(&w, 64);
	api_text_encoder.state(&fmt, &w, &nb, "down",
			       "peer reset, message [notification received (6,3)] error[Cease / Peer De-configured / ]");
	assert_string_equal(text(&w), "neighbor 127.0.0.1 down - peer reset, message [notification received (6,3)] "
				      "error[Cease / Peer De-configured / ]\n");
	/* no text form for these */
	wb_init(&w, 64);
	assert_int_equal(api_text_encoder.fsm(&fmt, &w, &nb, 2), -1);
	assert_int_equal(api_text_encoder.signal(&fmt, &w, &nb, 10), -1);
	assert_int_equal(api_text_encoder.negotiated(&fmt, &w, &nb), -1);
	wb_free(&w);
}

static void test_shutdown(void **state)
{
	(void)state;
	struct wbuf w;
	wb_init(&w, 64);
	api_text_encoder.shutdown(&fmt, &w);
	assert_string_equal(text(&w), "shutdown 9208 9207\n");
}

static void test_open(void **state)
{
	(void)state;
	uint8_t m[512];
	size_t len = message(BGP_MSG_OPEN,
			     "04 FFFD 00B4 0A000003 36 0206 0104 00010001 0206 0104 00010085 0206 0104 00020001"
			     " 0206 4104 0000FFFD 0208 4006 8078 00010180 0202 0200 0202 4600 0202 0600",
			     m);
	struct open_listing ov;
	assert_int_equal(api_open_view_parse(&ov, m + 19, len - 19), 0);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_OPEN, .msg = m, .len = len, .ov = &ov};
	struct wbuf w;
	wb_init(&w, 64);
	api_encode_message(&api_text_encoder, &fmt, &w, &nb, &e);
	assert_string_equal(text(&w), "neighbor 127.0.0.1 receive open version 4 asn 65533 hold_time 180 router_id "
				      "10.0.0.3 capabilities [multiprotocol(ipv4 unicast,ipv4 flow,ipv6 unicast), route "
				      "refresh, extended message(65535), graceful restart flags 0x8 time 120 "
				      "ipv4/unicast=0x80, asn4(65533), enhanced route refresh]\n");
}

static void test_keepalive_notification_refresh(void **state)
{
	(void)state;
	uint8_t m[64];
	size_t len = message(BGP_MSG_KEEPALIVE, "", m);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_KEEPALIVE, .msg = m, .len = len};
	struct wbuf w;
	wb_init(&w, 64);
	api_encode_message(&api_text_encoder, &fmt, &w, &nb, &e);
	assert_string_equal(text(&w), "neighbor 127.0.0.1 receive keepalive\n");
	e.packets = true;
	wb_init(&w, 64);
	api_encode_message(&api_text_encoder, &fmt, &w, &nb, &e);
	assert_string_equal(text(&w),
			    "neighbor 127.0.0.1 receive keepalive header 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304\n");

	len = message(BGP_MSG_NOTIFICATION, "0603 0102", m);
	struct notification nt;
	assert_int_equal(notification_decode(m + 19, len - 19, &nt), 0);
	struct api_ev en = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_NOTIFICATION, .msg = m, .len = len, .notif = &nt};
	wb_init(&w, 64);
	api_encode_message(&api_text_encoder, &fmt, &w, &nb, &en);
	assert_string_equal(text(&w), "neighbor 127.0.0.1 receive notification code 6 subcode 3 data 0x0102\n");

	struct route_refresh rr = {1, 1, 0};
	struct api_ev er = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_ROUTE_REFRESH, .rr = &rr};
	wb_init(&w, 64);
	api_encode_message(&api_text_encoder, &fmt, &w, &nb, &er);
	assert_string_equal(text(&w), "neighbor 127.0.0.1 receive route-refresh afi ipv4 safi unicast query\n");
}

static const char *update_text(const char *hex)
{
	static uint8_t m[8192];
	size_t len = message(BGP_MSG_UPDATE, hex, m);
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct api_update_view uv;
	api_update_view_init(&uv, &pool);
	struct api_update_opts o = {true, 0, false};
	assert_int_equal(api_update_view_build(&uv, m + 19, len - 19, &o), 0);
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_UPDATE, .msg = m, .len = len, .uv = &uv};
	struct wbuf w;
	wb_init(&w, 64);
	api_encode_message(&api_text_encoder, &fmt, &w, &nb, &e);
	api_update_view_free(&uv);
	attr_pool_free(&pool);
	return text(&w);
}

static void test_update(void **state)
{
	(void)state;
	assert_string_equal(
		update_text("0000 004B 400101 00 40020A 0202 0000FDE9 0000FDEA 400304 0A000001 800404 00000064"
			    " 400504 000000C8 C00808 FDE80001 FFFFFF01 C01008 0002FDE800000064"
			    " C0200C 0000FDE8 00000001 00000002 100A01"),
		"neighbor 127.0.0.1 receive update start\n"
		"neighbor 127.0.0.1 receive update announced 10.1.0.0/16 next-hop 10.0.0.1 origin igp as-path [ 65001 "
		"65002 ] med 100 local-preference 200 community [ 65000:1 no-export ] extended-community "
		"target:65000:100 large-community 65000:1:2\n"
		"neighbor 127.0.0.1 receive update end\n");
	assert_string_equal(update_text("0003 100A01 0000"), "neighbor 127.0.0.1 receive update start\n"
							     "neighbor 127.0.0.1 receive update withdrawn 10.1.0.0/16\n"
							     "neighbor 127.0.0.1 receive update end\n");
	assert_string_equal(update_text("0000 0000"), "neighbor 127.0.0.1 receive update start\n"
						      "neighbor 127.0.0.1 receive update route eor 1/1 (ipv4 unicast)\n"
						      "neighbor 127.0.0.1 receive update end\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_state, setup),
		cmocka_unit_test_setup(test_shutdown, setup),
		cmocka_unit_test_setup(test_open, setup),
		cmocka_unit_test_setup(test_keepalive_notification_refresh, setup),
		cmocka_unit_test_setup(test_update, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
