/* BGP message header checks and framing (see header.h). */
#include "wire/header.h"

#include "wire/notification.h"

const char *bgp_msg_type_name(int type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return "OPEN";
	case BGP_MSG_UPDATE:
		return "UPDATE";
	case BGP_MSG_NOTIFICATION:
		return "NOTIFICATION";
	case BGP_MSG_KEEPALIVE:
		return "KEEPALIVE";
	case BGP_MSG_ROUTE_REFRESH:
		return "ROUTE_REFRESH";
	case BGP_MSG_OPERATIONAL:
		return "OPERATIONAL";
	default:
		return "UNKNOWN";
	}
}

/* Per-type length rule: 0 when len is acceptable for type. */
static int length_ok(uint8_t type, uint16_t len)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return len >= BGP_MIN_OPEN;
	case BGP_MSG_UPDATE:
		return len >= BGP_MIN_UPDATE;
	case BGP_MSG_NOTIFICATION:
		return len >= BGP_MIN_NOTIFICATION;
	case BGP_MSG_KEEPALIVE:
		return len == BGP_LEN_KEEPALIVE;
	case BGP_MSG_ROUTE_REFRESH:
		return len >= BGP_MIN_ROUTE_REFRESH;
	default:
		return 1;
	}
}

int bgp_header_check_ext(const uint8_t *hdr19, size_t max_len, unsigned flags, uint16_t *len, uint8_t *type,
			 uint8_t *err_sub, uint8_t err_data[2], size_t *err_data_len)
{
	*err_sub = 0;
	*err_data_len = 0;
	for (int i = 0; i < BGP_MARKER_LEN; i++) {
		if (hdr19[i] != 0xFF) {
			*err_sub = BGP_ERR_HDR_NOT_SYNC;
			return -1;
		}
	}
	uint16_t l = get_u16(hdr19 + 16);
	uint8_t t = hdr19[18];
	*len = l;
	*type = t;
	if (l < BGP_HEADER_LEN || l > max_len) {
		*err_sub = BGP_ERR_HDR_BAD_LENGTH;
		err_data[0] = hdr19[16];
		err_data[1] = hdr19[17];
		*err_data_len = 2;
		return -1;
	}
	int known = t >= BGP_MSG_OPEN && t <= BGP_MSG_ROUTE_REFRESH;
	if (t == BGP_MSG_OPERATIONAL && (flags & BGP_HDR_ALLOW_OPERATIONAL))
		known = 1;
	if (!known) {
		*err_sub = BGP_ERR_HDR_BAD_TYPE;
		err_data[0] = t;
		*err_data_len = 1;
		return -1;
	}
	if (!length_ok(t, l)) {
		*err_sub = BGP_ERR_HDR_BAD_LENGTH;
		err_data[0] = hdr19[16];
		err_data[1] = hdr19[17];
		*err_data_len = 2;
		return -1;
	}
	return 0;
}

int bgp_header_check(const uint8_t *hdr19, size_t max_len, uint16_t *len, uint8_t *type, uint8_t *err_sub,
		     uint8_t err_data[2], size_t *err_data_len)
{
	return bgp_header_check_ext(hdr19, max_len, 0, len, type, err_sub, err_data, err_data_len);
}

void bgp_write_header(struct wbuf *w, uint16_t len, uint8_t type)
{
	static const uint8_t marker[BGP_MARKER_LEN] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	wb_bytes(w, marker, sizeof(marker));
	wb_u16(w, len);
	wb_u8(w, type);
}

size_t bgp_msg_begin(struct wbuf *w, uint8_t type)
{
	size_t start = w->len;
	bgp_write_header(w, 0, type);
	return start;
}

int bgp_msg_end(struct wbuf *w, size_t start)
{
	if (w->err || start > w->len || w->len - start < BGP_HEADER_LEN)
		return -1;
	size_t len = w->len - start;
	if (len > BGP_MAX_MSG_EXT)
		return -1;
	wb_patch16(w, start + BGP_MARKER_LEN, (uint16_t)len);
	return (int)len;
}

void bgp_keepalive(struct wbuf *w)
{
	bgp_write_header(w, BGP_LEN_KEEPALIVE, BGP_MSG_KEEPALIVE);
}
