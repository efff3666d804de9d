/* libFuzzer harness: OPEN message and capabilities (RFC 4271 4.2, RFC 5492).
 *
 * Input: [options byte][OPEN body].  The body goes through the session's
 * decoder (open_decode), negotiation against a fixed OPEN of ours, the
 * API's view (api_open_view_parse) and the JSON and text encoders of the
 * open and negotiated events.  Oracles:
 *   - every JSON event is valid JSON (json_check.h);
 *   - what open_decode accepts, open_encode writes again, and that message
 *     decodes to the same capabilities (the semantic round trip: RFC 5492
 *     gives no canonical order, so bytes may differ, values may not);
 *   - negotiation never yields a family or option neither side offered.
 * Options: bit 0 direction send, bit 1 api version 5, bit 2 compact. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/views.h"
#include "fuzz_util.h"
#include "wire/header.h"
#include "wire/open.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_caps(const struct bgp_open *a, const struct bgp_open *b)
{
	const struct capabilities *x = &a->caps, *y = &b->caps;
	static const uint8_t addpath_families[] = {FAM_IPV4_UNICAST,    FAM_IPV6_UNICAST,  FAM_IPV4_MPLS_LABEL,
						   FAM_IPV6_MPLS_LABEL, FAM_IPV4_MPLS_VPN, FAM_IPV6_MPLS_VPN};
	int bad = a->version != b->version || a->my_as != b->my_as || a->hold_time != b->hold_time ||
		  a->router_id != b->router_id || x->mp != y->mp || x->asn4 != y->asn4 ||
		  (x->asn4 && x->asn4_value != y->asn4_value) || x->route_refresh != y->route_refresh ||
		  x->enhanced_route_refresh != y->enhanced_route_refresh || x->extended_message != y->extended_message ||
		  x->graceful_restart != y->graceful_restart || x->operational != y->operational;
	if (x->graceful_restart && !bad)
		bad = x->gr_time != y->gr_time || x->gr_families != y->gr_families ||
		      (x->gr_flags & 0xF) != (y->gr_flags & 0xF);
	for (size_t i = 0; i < sizeof(addpath_families) && !bad; i++)
		bad = x->add_path[addpath_families[i]] != y->add_path[addpath_families[i]];
	if (bad) {
		fprintf(stderr, "OPEN round trip: decode(encode(decode(x))) differs from decode(x)\n");
		abort();
	}
}

static void negotiation(const struct bgp_open *theirs)
{
	struct bgp_open ours;
	memset(&ours, 0, sizeof(ours));
	ours.version = 4;
	ours.my_as = 65533;
	ours.hold_time = 90;
	ours.router_id = 0x0A000001;
	ours.caps.mp = FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV6_UNICAST) | FAM_BIT(FAM_IPV4_FLOW);
	ours.caps.asn4 = true;
	ours.caps.asn4_value = 65533;
	ours.caps.route_refresh = ours.caps.extended_message = true;
	ours.caps.has_add_path = true;
	ours.caps.add_path[FAM_IPV4_UNICAST] = 3;
	struct negotiated n;
	memset(&n, 0, sizeof(n));
	negotiate(&ours, theirs, &n);
	if ((n.families & ~ours.caps.mp) || (n.addpath_send & ~n.families) || (n.addpath_receive & ~n.families) ||
	    n.hold_time > ours.hold_time || n.hold_time > theirs->hold_time || /* 1 and 2: peer_params.c */
	    (n.max_msg != 4096 && n.max_msg != 65535)) {
		fprintf(stderr, "negotiation gave more than both sides offered\n");
		abort();
	}

	struct api_neighbor nb;
	fuzz_neighbor(&nb);
	api_neighbor_set_session(&nb, &ours, theirs, &n);
	struct api_fmt f;
	fuzz_fmt(&f, 4, false);
	struct wbuf w;
	wb_init(&w, 512);
	if (api_json_encoder.negotiated(&f, &w, &nb) == 0)
		fuzz_json_oracle(&f, &w, "negotiated event");
	wb_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t opt = data[0];
	size_t len = size - 1;
	if (len > BGP_MAX_MSG_EXT - BGP_HEADER_LEN)
		return 0;
	/* The whole message, header included, in a private copy (ASan sees
	 * reads past its end): the encoders print it in "header"/"body". */
	uint8_t *msg = malloc(BGP_HEADER_LEN + len);
	if (!msg)
		return 0;
	memset(msg, 0xFF, 16);
	put_u16(msg + 16, (uint16_t)(BGP_HEADER_LEN + len));
	msg[18] = BGP_MSG_OPEN;
	memcpy(msg + BGP_HEADER_LEN, data + 1, len);
	const uint8_t *body = msg + BGP_HEADER_LEN;

	struct bgp_open o;
	uint8_t sub = 0;
	memset(&o, 0, sizeof(o));
	if (open_decode(body, len, &o, NULL, &sub) == 0) {
		struct wbuf w;
		wb_init(&w, 256);
		open_encode(&w, &o);
		struct bgp_open again;
		uint8_t sub2 = 0;
		memset(&again, 0, sizeof(again));
		if (!w.err && w.len <= BGP_MAX_MSG) {
			if (open_decode(w.data + BGP_HEADER_LEN, w.len - BGP_HEADER_LEN, &again, NULL, &sub2) < 0) {
				fprintf(stderr, "our own OPEN does not decode (2/%u)\n", sub2);
				abort();
			}
			same_caps(&o, &again);
		}
		wb_free(&w);
		negotiation(&o);
	} else if (sub > BGP_ERR_OPEN_ROLE_MISMATCH) {
		abort();
	}

	struct open_listing ov;
	if (api_open_view_parse(&ov, body, len) == 0) {
		struct api_ev e = {.dir = (opt & 1) ? API_DIR_SEND : API_DIR_RECEIVE,
				   .type = BGP_MSG_OPEN,
				   .msg = msg,
				   .len = BGP_HEADER_LEN + len,
				   .ov = &ov,
				   .packets = (opt & 8) != 0};
		struct api_neighbor nb;
		fuzz_neighbor(&nb);
		struct api_fmt f;
		fuzz_fmt(&f, (opt & 2) ? 5 : 4, (opt & 4) != 0);
		struct wbuf w;
		wb_init(&w, 512);
		if (api_encode_message(&api_json_encoder, &f, &w, &nb, &e) == 0)
			fuzz_json_oracle(&f, &w, "open event");
		wb_reset(&w);
		api_encode_message(&api_text_encoder, &f, &w, &nb, &e);
		fuzz_text_oracle(&w, nb.peer_address);
		wb_free(&w);
	}
	free(msg);
	return 0;
}
