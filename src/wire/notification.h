/* NOTIFICATION message (RFC 4271 4.5) and its error codes.
 *
 * Codes and subcodes: RFC 4271 6, RFC 4486 (Cease subcodes), RFC 5492 (2/7),
 * RFC 6608 (FSM error subcodes), RFC 7313 (route-refresh error code 7),
 * RFC 8203/9003 (shutdown communication in Cease 2 and 4), RFC 8538 (6/9),
 * RFC 9234 (2/11).  The name tables are ExaBGP 4.2's, so that the strings
 * we print ("Cease / Peer De-configured") are the ones its users parse. */
#ifndef FASTBGP_WIRE_NOTIFICATION_H
#define FASTBGP_WIRE_NOTIFICATION_H

#include <stddef.h>
#include <stdint.h>

#include "wire/buf.h"

enum bgp_err_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD_TIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7, /* RFC 7313 */
};

enum bgp_err_header {
	BGP_ERR_HDR_UNSPECIFIC = 0,
	BGP_ERR_HDR_NOT_SYNC = 1,
	BGP_ERR_HDR_BAD_LENGTH = 2,
	BGP_ERR_HDR_BAD_TYPE = 3,
};

enum bgp_err_open {
	BGP_ERR_OPEN_UNSPECIFIC = 0,
	BGP_ERR_OPEN_VERSION = 1,
	BGP_ERR_OPEN_BAD_AS = 2,
	BGP_ERR_OPEN_BAD_BGP_ID = 3,
	BGP_ERR_OPEN_OPT_PARAM = 4,
	BGP_ERR_OPEN_AUTH = 5,           /* deprecated */
	BGP_ERR_OPEN_HOLD_TIME = 6,
	BGP_ERR_OPEN_CAPABILITY = 7,     /* RFC 5492 */
	BGP_ERR_OPEN_GROUP_CONFLICT = 8, /* draft multisession */
	BGP_ERR_OPEN_GROUP_REQUIRED = 9,
	BGP_ERR_OPEN_CAPA_MISMATCH = 10,
	BGP_ERR_OPEN_ROLE_MISMATCH = 11, /* RFC 9234 */
};

enum bgp_err_update {
	BGP_ERR_UPD_UNSPECIFIC = 0,
	BGP_ERR_UPD_ATTR_LIST = 1,      /* Malformed Attribute List */
	BGP_ERR_UPD_UNKNOWN_WK = 2,     /* Unrecognized Well-known Attribute */
	BGP_ERR_UPD_MISSING_WK = 3,     /* Missing Well-known Attribute */
	BGP_ERR_UPD_ATTR_FLAGS = 4,
	BGP_ERR_UPD_ATTR_LENGTH = 5,
	BGP_ERR_UPD_ORIGIN = 6,
	BGP_ERR_UPD_AS_LOOP = 7,        /* deprecated */
	BGP_ERR_UPD_NEXTHOP = 8,
	BGP_ERR_UPD_OPTIONAL_ATTR = 9,
	BGP_ERR_UPD_NETWORK = 10,       /* Invalid Network Field */
	BGP_ERR_UPD_AS_PATH = 11,       /* Malformed AS_PATH */
};

enum bgp_err_fsm { /* RFC 6608 */
	BGP_ERR_FSM_UNSPECIFIC = 0,
	BGP_ERR_FSM_OPENSENT = 1,
	BGP_ERR_FSM_OPENCONFIRM = 2,
	BGP_ERR_FSM_ESTABLISHED = 3,
};

enum bgp_err_cease { /* RFC 4486, 8538, 9384 */
	BGP_CEASE_UNSPECIFIC = 0,
	BGP_CEASE_MAX_PREFIX = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2,
	BGP_CEASE_PEER_DECONFIGURED = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONNECT_REJECTED = 5,
	BGP_CEASE_OTHER_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_OUT_OF_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9,
	BGP_CEASE_BFD_DOWN = 10,
};

enum bgp_err_refresh { /* RFC 7313 */
	BGP_ERR_RR_INVALID_LENGTH = 1,
	BGP_ERR_RR_BAD_SUBTYPE = 2,
};

#define BGP_SHUTDOWN_COMM_MAX 255 /* RFC 9003 (RFC 8203 said 128) */

/* ExaBGP's names: "Cease", "unknown error" when the code is not in its table
 * (code 7 included, as in ExaBGP). */
const char *notification_code_name(uint8_t code);
/* "Peer De-configured"; "unknow reason" (sic, ExaBGP) when unknown. */
const char *notification_subcode_name(uint8_t code, uint8_t subcode);

/* Appends a whole NOTIFICATION message, header included. */
void notification_encode(struct wbuf *w, uint8_t code, uint8_t subcode, const void *data, size_t len);
/* Cease with an RFC 9003 Shutdown Communication: [length][UTF-8 text], the
 * text cut to 255 bytes on a character boundary.  text NULL: no data at all
 * (a plain Cease); text "": a zero length byte. */
void notification_shutdown(struct wbuf *w, uint8_t subcode, const char *text);
/* The data of the Cease a helper's "teardown N" sends, as ExaBGP 4.2 does:
 * the subcode's name ("unknown notification type" when it has none), after
 * a length byte for 6/2 and 6/4, where the data is an RFC 8203 Shutdown
 * Communication.  Returns its length (at most 64, out holds 64). */
size_t notification_teardown_data(uint8_t subcode, uint8_t out[64]);

struct notification {
	uint8_t code, subcode;
	const uint8_t *data; /* points into the decoded body */
	size_t data_len;
	/* Cease 2 and 4 only, when the data holds a well-formed communication:
	 * length byte <= remaining data and valid UTF-8.  Control characters
	 * are replaced by spaces so the text is safe to print on one line. */
	int has_shutdown;
	char shutdown[BGP_SHUTDOWN_COMM_MAX + 1];
	size_t shutdown_len;
	const uint8_t *trailer; /* data after the communication */
	size_t trailer_len;
};

/* Decodes a NOTIFICATION body (after the header).  Returns -1 when shorter
 * than 2 bytes (the header check already refuses those). */
int notification_decode(const uint8_t *body, size_t len, struct notification *n);

/* The text ExaBGP prints for a received NOTIFICATION, e.g.
 * "Cease / Peer De-configured", "Cease / Peer De-configured / " (6/3 with
 * data 0x0102) or "Cease / Administrative Shutdown / Shutdown
 * Communication: "bye"".  Any data is shown after " / " as ExaBGP does,
 * except that bytes that are not printable UTF-8 are left out (ExaBGP
 * writes them raw, or fails on invalid UTF-8).  The result is plain text:
 * JSON-escape it before putting it in a JSON string. */
void notification_to_string(struct wbuf *w, const struct notification *n);
/* Same into a char buffer, always NUL-terminated; returns the full length. */
size_t notification_str(char *out, size_t outlen, const struct notification *n);

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const uint8_t *s, size_t len);

#endif
