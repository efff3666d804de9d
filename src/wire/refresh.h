/* ROUTE-REFRESH message (RFC 2918), with the enhanced route refresh
 * subtypes of RFC 7313 in the byte RFC 2918 reserved:
 *
 *   +------- 2 -------+---- 1 ----+--- 1 ---+
 *   |       AFI       |  subtype  |  SAFI   |
 *   +-----------------+-----------+---------+ */
#ifndef FASTBGP_WIRE_REFRESH_H
#define FASTBGP_WIRE_REFRESH_H

#include <stddef.h>
#include <stdint.h>

#include "wire/buf.h"

enum refresh_subtype {
	REFRESH_QUERY = 0, /* normal route refresh request */
	REFRESH_BORR = 1,  /* beginning of route refresh (RFC 7313) */
	REFRESH_EORR = 2,  /* end of route refresh */
};

#define REFRESH_BODY_LEN 4

struct route_refresh {
	uint16_t afi;
	uint8_t safi;
	uint8_t subtype;
};

/* Appends a whole ROUTE-REFRESH message, header included. */
void refresh_encode(struct wbuf *w, uint16_t afi, uint8_t safi, uint8_t subtype);

enum refresh_result {
	REFRESH_OK = 0,
	REFRESH_IGNORE = 1, /* subtype 3..255: RFC 7313 5 says ignore the message */
	REFRESH_ERROR = -1, /* *err_code / *err_sub are set */
};

/* Decodes a ROUTE-REFRESH body (after the header).  A body that is not 4
 * bytes long is an error:
 *   - 7/1 Invalid Message Length when the subtype is BoRR or EoRR (RFC 7313
 *     5); the NOTIFICATION data must then be the whole message, header
 *     included;
 *   - 1/2 Bad Message Length otherwise, data = the header's length field.
 * The afi/safi pair is not checked against the negotiated families here. */
int refresh_decode(const uint8_t *body, size_t len, struct route_refresh *rr, uint8_t *err_code, uint8_t *err_sub);

/* ExaBGP's names: "query", "begin", "end", "invalid". */
const char *refresh_subtype_name(uint8_t subtype);

#endif
