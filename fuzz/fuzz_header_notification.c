/* libFuzzer harness: message header check, NOTIFICATION decode and text,
 * ROUTE-REFRESH decode, shutdown communication encode.
 *
 * Input: [max-length selector byte][bytes...]: the bytes are checked as a
 * header (when 19 or more), decoded as a NOTIFICATION body and as a
 * ROUTE-REFRESH body, and used as a shutdown text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/header.h"
#include "wire/notification.h"
#include "wire/refresh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max = (data[0] & 1) ? BGP_MAX_MSG_EXT : BGP_MAX_MSG;
	size_t len = size - 1;
	uint8_t *p = malloc(len + 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, len);

	if (len >= BGP_HEADER_LEN) {
		uint16_t mlen;
		uint8_t type, sub, edata[2];
		size_t dlen;
		int rc = bgp_header_check_ext(p, max, data[0] >> 7, &mlen, &type, &sub, edata, &dlen);
		if (rc == 0 && (mlen < BGP_HEADER_LEN || mlen > max))
			abort();
		if (rc < 0 && (sub < 1 || sub > 3 || dlen > 2))
			abort();
	}

	struct notification n;
	if (notification_decode(p, len, &n) == 0) {
		struct wbuf w;
		wb_init(&w, 0);
		notification_to_string(&w, &n);
		if (n.has_shutdown && (n.shutdown_len > BGP_SHUTDOWN_COMM_MAX || strlen(n.shutdown) != n.shutdown_len))
			abort();
		wb_free(&w);
		char small[16];
		notification_str(small, sizeof(small), &n);
	}

	struct route_refresh rr;
	uint8_t code, sub;
	refresh_decode(p, len, &rr, &code, &sub);

	/* Shutdown text: any bytes, NUL-terminated; the result must re-decode. */
	p[len] = '\0';
	struct wbuf w;
	wb_init(&w, 0);
	notification_shutdown(&w, BGP_CEASE_ADMIN_SHUTDOWN, (const char *)p);
	if (!w.err) {
		if (w.len < 22 || w.len > 19 + 2 + 1 + BGP_SHUTDOWN_COMM_MAX)
			abort();
		if (notification_decode(w.data + 19, w.len - 19, &n) < 0)
			abort();
		if (w.data[21] && !n.has_shutdown)
			abort(); /* what we send must be valid UTF-8 */
	}
	wb_free(&w);
	free(p);
	return 0;
}
