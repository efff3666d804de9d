/* libFuzzer harness: differential round trips where the RFC defines one
 * canonical form of a message.
 *   - NOTIFICATION (RFC 4271 4.5): code, subcode, data; decoding then
 *     encoding gives back the same bytes.
 *   - ROUTE-REFRESH (RFC 2918, RFC 7313): AFI, subtype, SAFI; the same.
 *   - Shutdown communication (RFC 9003): a text we send decodes to the
 *     same text when it is valid UTF-8 without control characters and
 *     fits in 1 to 255 bytes (length 0: no communication).
 * Input: [selector][body]. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/header.h"
#include "wire/notification.h"
#include "wire/refresh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_bytes(const char *what, const struct wbuf *w, uint8_t type, const uint8_t *body, size_t len)
{
	if (w->err || w->len != BGP_HEADER_LEN + len || w->data[18] != type ||
	    get_u16(w->data + 16) != BGP_HEADER_LEN + len || memcmp(w->data + BGP_HEADER_LEN, body, len)) {
		fprintf(stderr, "%s: decode then encode does not give the bytes back\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > BGP_MAX_MSG)
		return 0;
	size_t len = size - 1;
	uint8_t *body = malloc(len + 1);
	if (!body)
		return 0;
	memcpy(body, data + 1, len);
	struct wbuf w;
	wb_init(&w, 64);
	switch (data[0] % 3) {
	case 0: {
		struct notification n;
		if (len <= BGP_MAX_MSG - BGP_HEADER_LEN && notification_decode(body, len, &n) == 0) {
			notification_encode(&w, n.code, n.subcode, n.data, n.data_len);
			same_bytes("NOTIFICATION", &w, BGP_MSG_NOTIFICATION, body, len);
		}
		break;
	}
	case 1: {
		struct route_refresh rr;
		uint8_t code, sub;
		if (refresh_decode(body, len, &rr, &code, &sub) != REFRESH_ERROR) {
			refresh_encode(&w, rr.afi, rr.safi, rr.subtype);
			same_bytes("ROUTE-REFRESH", &w, BGP_MSG_ROUTE_REFRESH, body, len);
		}
		break;
	}
	default: {
		body[len] = '\0';
		size_t tl = strlen((const char *)body);
		int clean = tl > 0 && tl <= BGP_SHUTDOWN_COMM_MAX && utf8_valid(body, tl);
		for (size_t i = 0; i < tl && clean; i++)
			clean = body[i] >= 0x20 && body[i] != 0x7F;
		uint8_t sub = (data[0] & 8) ? BGP_CEASE_ADMIN_RESET : BGP_CEASE_ADMIN_SHUTDOWN;
		notification_shutdown(&w, sub, (const char *)body);
		struct notification n;
		if (w.err || notification_decode(w.data + BGP_HEADER_LEN, w.len - BGP_HEADER_LEN, &n) < 0)
			abort();
		if (n.code != BGP_ERR_CEASE || n.subcode != sub)
			abort();
		if (clean && (!n.has_shutdown || n.shutdown_len != tl || memcmp(n.shutdown, body, tl))) {
			fprintf(stderr, "shutdown communication \"%s\" comes back as \"%s\"\n", (const char *)body,
				n.has_shutdown ? n.shutdown : "(none)");
			abort();
		}
		break;
	}
	}
	wb_free(&w);
	free(body);
	return 0;
}
