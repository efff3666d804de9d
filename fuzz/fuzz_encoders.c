/* libFuzzer harness: the JSON and text event encoders (api/json*.c,
 * api/text.c) fed by decoded messages, as helpers receive them.
 *
 * Input: [type selector][options][body].  Selector % 4: UPDATE (through
 * api_update_view_build, the API's decoder), NOTIFICATION, ROUTE-REFRESH,
 * a state event whose reason is the body's text.  Options: bit 0 ASN4,
 * bit 1 ADD-PATH on every family, bit 2 api version 5, bit 3 compact,
 * bit 4 packets (header/body hex), bit 5 negotiated object, bit 6
 * direction send.
 * Oracle: every JSON event is one valid JSON value (json_check.h, RFC 8259);
 * every text event is lines "neighbor PEER ...", no byte from the peer
 * starting a line of its own (fuzz_util.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/views.h"
#include "fuzz_util.h"
#include "wire/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bgp_open sent, received;
static struct negotiated neg;

static void session(struct api_neighbor *nb, int addpath)
{
	memset(&sent, 0, sizeof(sent));
	memset(&received, 0, sizeof(received));
	memset(&neg, 0, sizeof(neg));
	neg.max_msg = 65535;
	neg.hold_time = 180;
	neg.asn4 = true;
	neg.families = FAM_ALL;
	if (addpath)
		neg.addpath_receive = neg.addpath_send = FAM_ALL;
	api_neighbor_set_session(nb, &sent, &received, &neg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size - 2 > BGP_MAX_MSG_EXT - BGP_HEADER_LEN)
		return 0;
	uint8_t sel = data[0] % 4, opt = data[1];
	size_t len = size - 2;
	static const uint8_t types[4] = {BGP_MSG_UPDATE, BGP_MSG_NOTIFICATION, BGP_MSG_ROUTE_REFRESH, 0};
	uint8_t *msg = malloc(BGP_HEADER_LEN + len + 1);
	if (!msg)
		return 0;
	memset(msg, 0xFF, 16);
	put_u16(msg + 16, (uint16_t)(BGP_HEADER_LEN + len));
	msg[18] = types[sel];
	memcpy(msg + BGP_HEADER_LEN, data + 2, len);
	const uint8_t *body = msg + BGP_HEADER_LEN;

	struct api_fmt f;
	fuzz_fmt(&f, (opt & 4) ? 5 : 4, (opt & 8) != 0);
	struct api_neighbor nb;
	fuzz_neighbor(&nb);
	session(&nb, opt & 2);
	struct api_ev e = {.dir = (opt & 64) ? API_DIR_SEND : API_DIR_RECEIVE,
			   .type = types[sel],
			   .msg = msg,
			   .len = BGP_HEADER_LEN + len,
			   .packets = (opt & 16) != 0,
			   .negotiated = (opt & 32) != 0};
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct api_update_view uv;
	api_update_view_init(&uv, &pool);
	struct notification notif;
	struct route_refresh rr;
	int ok = 0;
	switch (sel) {
	case 0: {
		struct api_update_opts o = {.asn4 = (opt & 1) != 0, .addpath = (opt & 2) ? FAM_ALL : 0};
		ok = api_update_view_build(&uv, body, len, &o) == 0;
		e.uv = &uv;
		break;
	}
	case 1:
		ok = notification_decode(body, len, &notif) == 0;
		e.notif = &notif;
		break;
	case 2: {
		uint8_t code, sub;
		ok = refresh_decode(body, len, &rr, &code, &sub) != REFRESH_ERROR;
		e.rr = &rr;
		break;
	}
	default:
		break;
	}
	struct wbuf w;
	wb_init(&w, 1024);
	if (sel == 3) {
		msg[BGP_HEADER_LEN + len] = '\0';
		const char *reason = (const char *)body;
		if (api_json_encoder.state(&f, &w, &nb, (opt & 1) ? "down" : "connected", reason) == 0)
			fuzz_json_oracle(&f, &w, "state event");
		wb_reset(&w);
		/* reasons reach the text encoder on one line: a peer's text in
		 * them has its control characters made spaces (notification.h) */
		for (uint8_t *q = msg + BGP_HEADER_LEN; *q; q++)
			if (*q < 0x20 || *q == 0x7F)
				*q = ' ';
		api_text_encoder.state(&f, &w, &nb, "down", reason);
		fuzz_text_oracle(&w, nb.peer_address);
	} else if (ok) {
		if (api_encode_message(&api_json_encoder, &f, &w, &nb, &e) == 0)
			fuzz_json_oracle(&f, &w, "message event");
		wb_reset(&w);
		if (e.packets) {
			if (api_json_encoder.packets(&f, &w, &nb, &e) == 0)
				fuzz_json_oracle(&f, &w, "packets event");
			wb_reset(&w);
		}
		api_encode_message(&api_text_encoder, &f, &w, &nb, &e);
		fuzz_text_oracle(&w, nb.peer_address);
	}
	wb_free(&w);
	api_update_view_free(&uv);
	if (pool.count != 0) {
		fprintf(stderr, "attribute references kept after api_update_view_free\n");
		abort();
	}
	attr_pool_free(&pool);
	free(msg);
	return 0;
}
