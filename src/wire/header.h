/* BGP message header (RFC 4271 4.1) and message framing.
 *
 *   +----------------- 16 bytes ----------------+--- 2 ---+- 1 --+
 *   |                 marker (all ones)          | length  | type |
 *   +--------------------------------------------+---------+------+
 *
 * The length counts the header.  It is at most 4096, or 65535 once both
 * sides announced the Extended Message capability (RFC 8654). */
#ifndef FASTBGP_WIRE_HEADER_H
#define FASTBGP_WIRE_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "wire/buf.h"

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5,  /* RFC 2918 */
	BGP_MSG_OPERATIONAL = 6,    /* ExaBGP's draft-ietf-idr-operational-message */
};

#define BGP_MARKER_LEN 16
#define BGP_HEADER_LEN 19
#define BGP_MAX_MSG 4096        /* RFC 4271 */
#define BGP_MAX_MSG_EXT 65535   /* RFC 8654 */

/* Smallest valid message of each type (RFC 4271 6.1, RFC 2918 3). */
#define BGP_MIN_OPEN 29
#define BGP_MIN_UPDATE 23
#define BGP_MIN_NOTIFICATION 21
#define BGP_LEN_KEEPALIVE 19
#define BGP_MIN_ROUTE_REFRESH 23

/* "OPEN", "UPDATE", ... as ExaBGP names them; "UNKNOWN" otherwise. */
const char *bgp_msg_type_name(int type);

/* Checks a received 19-byte header against RFC 4271 6.1.  On success returns
 * 0 with *len (whole message, header included) and *type.  On error returns
 * -1 with the Message Header Error subcode in *err_sub and the data of the
 * NOTIFICATION to send in err_data[0..*err_data_len):
 *   1/1 Connection Not Synchronized: marker not all ones, no data;
 *   1/2 Bad Message Length: length < 19, > max_len or wrong for the type,
 *       data = the 2-byte length field;
 *   1/3 Bad Message Type: type not 1..5, data = the type byte.
 * The ROUTE-REFRESH length is only checked for its minimum here so that
 * refresh_decode() can answer RFC 7313's 7/1. */
int bgp_header_check(const uint8_t *hdr19, size_t max_len, uint16_t *len, uint8_t *type, uint8_t *err_sub,
		     uint8_t err_data[2], size_t *err_data_len);

/* Same, with BGP_HDR_ALLOW_OPERATIONAL accepting type 6 (only when the
 * operational capability was negotiated). */
#define BGP_HDR_ALLOW_OPERATIONAL 0x1
int bgp_header_check_ext(const uint8_t *hdr19, size_t max_len, unsigned flags, uint16_t *len, uint8_t *type,
			 uint8_t *err_sub, uint8_t err_data[2], size_t *err_data_len);

/* Writes a header for a message of total length len (header included). */
void bgp_write_header(struct wbuf *w, uint16_t len, uint8_t type);

/* Starts a message: writes a header with a zero length and returns the
 * offset of the message in w.  bgp_msg_end() patches the length and returns
 * the message length, or -1 when it exceeds 65535 or a write failed (the
 * caller compares it with the session's maximum). */
size_t bgp_msg_begin(struct wbuf *w, uint8_t type);
int bgp_msg_end(struct wbuf *w, size_t start);

/* Appends a KEEPALIVE (a bare header). */
void bgp_keepalive(struct wbuf *w);

#endif
