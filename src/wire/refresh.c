/* ROUTE-REFRESH encode/decode (see refresh.h). */
#include "wire/refresh.h"

#include "wire/header.h"
#include "wire/notification.h"

void refresh_encode(struct wbuf *w, uint16_t afi, uint8_t safi, uint8_t subtype)
{
	size_t start = bgp_msg_begin(w, BGP_MSG_ROUTE_REFRESH);
	wb_u16(w, afi);
	wb_u8(w, subtype);
	wb_u8(w, safi);
	bgp_msg_end(w, start);
}

int refresh_decode(const uint8_t *body, size_t len, struct route_refresh *rr, uint8_t *err_code, uint8_t *err_sub)
{
	struct rbuf r;
	rb_init(&r, body, len);
	rr->afi = 0;
	rr->safi = 0;
	rr->subtype = 0;
	*err_code = 0;
	*err_sub = 0;
	if (rb_u16(&r, &rr->afi) < 0 || rb_u8(&r, &rr->subtype) < 0 || rb_u8(&r, &rr->safi) < 0 ||
	    rb_left(&r) != 0) {
		if (rr->subtype == REFRESH_BORR || rr->subtype == REFRESH_EORR) {
			*err_code = BGP_ERR_ROUTE_REFRESH;
			*err_sub = BGP_ERR_RR_INVALID_LENGTH;
		} else {
			*err_code = BGP_ERR_HEADER;
			*err_sub = BGP_ERR_HDR_BAD_LENGTH;
		}
		return REFRESH_ERROR;
	}
	if (rr->subtype > REFRESH_EORR)
		return REFRESH_IGNORE;
	return REFRESH_OK;
}

const char *refresh_subtype_name(uint8_t subtype)
{
	switch (subtype) {
	case REFRESH_QUERY:
		return "query";
	case REFRESH_BORR:
		return "begin";
	case REFRESH_EORR:
		return "end";
	default:
		return "invalid";
	}
}
