/* NOTIFICATION encode/decode and ExaBGP's textual form (see notification.h). */
#include "wire/notification.h"

#include <stdio.h>
#include <string.h>

#include "wire/header.h"

static const char *const code_names[] = {
	[1] = "Message header error",
	[2] = "OPEN message error",
	[3] = "UPDATE message error",
	[4] = "Hold timer expired",
	[5] = "State machine error",
	[6] = "Cease",
};

static const char *const hdr_names[] = {
	"Unspecific", "Connection Not Synchronized", "Bad Message Length", "Bad Message Type",
};
static const char *const open_names[] = {
	"Unspecific",
	"Unsupported Version Number",
	"Bad Peer AS",
	"Bad BGP Identifier",
	"Unsupported Optional Parameter",
	"Authentication Notification (Deprecated)",
	"Unacceptable Hold Time",
	"Unsupported Capability",
	"Grouping Conflict",
	"Grouping Required",
	"Capability Value Mismatch",
};
static const char *const update_names[] = {
	"Unspecific",
	"Malformed Attribute List",
	"Unrecognized Well-known Attribute",
	"Missing Well-known Attribute",
	"Attribute Flags Error",
	"Attribute Length Error",
	"Invalid ORIGIN Attribute",
	"AS Routing Loop",
	"Invalid NEXT_HOP Attribute",
	"Optional Attribute Error",
	"Invalid Network Field",
	"Malformed AS_PATH",
};
static const char *const fsm_names[] = {
	"Unspecific",
	"Receive Unexpected Message in OpenSent State",
	"Receive Unexpected Message in OpenConfirm State",
	"Receive Unexpected Message in Established State",
};
static const char *const cease_names[] = {
	"Unspecific",
	"Maximum Number of Prefixes Reached",
	"Administrative Shutdown",
	"Peer De-configured",
	"Administrative Reset",
	"Connection Rejected",
	"Other Configuration Change",
	"Connection Collision Resolution",
	"Out of Resources",
};
static const char *const refresh_names[] = {
	NULL, "Invalid Message Length", "Malformed Message Subtype",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *notification_code_name(uint8_t code)
{
	if (code < NELEM(code_names) && code_names[code])
		return code_names[code];
	return "unknown error";
}

const char *notification_subcode_name(uint8_t code, uint8_t sub)
{
	const char *const *t = NULL;
	size_t n = 0;
	switch (code) {
	case BGP_ERR_HEADER:
		t = hdr_names, n = NELEM(hdr_names);
		break;
	case BGP_ERR_OPEN:
		t = open_names, n = NELEM(open_names);
		break;
	case BGP_ERR_UPDATE:
		t = update_names, n = NELEM(update_names);
		break;
	case BGP_ERR_HOLD_TIMER:
		return sub == 0 ? "Unspecific" : "unknow reason";
	case BGP_ERR_FSM:
		t = fsm_names, n = NELEM(fsm_names);
		break;
	case BGP_ERR_CEASE:
		t = cease_names, n = NELEM(cease_names);
		break;
	case BGP_ERR_ROUTE_REFRESH:
		t = refresh_names, n = NELEM(refresh_names);
		break;
	default:
		break;
	}
	if (t && sub < n && t[sub])
		return t[sub];
	return "unknow reason";
}

void notification_encode(struct wbuf *w, uint8_t code, uint8_t subcode, const void *data, size_t len)
{
	size_t start = bgp_msg_begin(w, BGP_MSG_NOTIFICATION);
	wb_u8(w, code);
	wb_u8(w, subcode);
	wb_bytes(w, data, len);
	bgp_msg_end(w, start);
}

size_t notification_teardown_data(uint8_t subcode, uint8_t out[64])
{
	const char *name = subcode < NELEM(cease_names) ? cease_names[subcode] : "unknown notification type";
	size_t len = strlen(name), at = 0; /* every name is shorter than 63 bytes */
	if (subcode == BGP_CEASE_ADMIN_SHUTDOWN || subcode == BGP_CEASE_ADMIN_RESET)
		out[at++] = (uint8_t)len;
	memcpy(out + at, name, len);
	return at + len;
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t utf8_seq(const uint8_t *s, size_t left)
{
	uint8_t c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0; /* overlong or out of range */
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0; /* surrogate */
	return n;
}

int utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(s + i, len - i);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

void notification_shutdown(struct wbuf *w, uint8_t subcode, const char *text)
{
	if (!text) {
		notification_encode(w, BGP_ERR_CEASE, subcode, NULL, 0);
		return;
	}
	const uint8_t *s = (const uint8_t *)text;
	size_t len = strlen(text), cut = 0;
	/* Keep whole characters only, up to 255 bytes; stop at invalid input. */
	while (cut < len) {
		size_t n = utf8_seq(s + cut, len - cut);
		if (!n || cut + n > BGP_SHUTDOWN_COMM_MAX)
			break;
		cut += n;
	}
	size_t start = bgp_msg_begin(w, BGP_MSG_NOTIFICATION);
	wb_u8(w, BGP_ERR_CEASE);
	wb_u8(w, subcode);
	wb_u8(w, (uint8_t)cut);
	wb_bytes(w, s, cut);
	bgp_msg_end(w, start);
}

int notification_decode(const uint8_t *body, size_t len, struct notification *n)
{
	memset(n, 0, sizeof(*n));
	if (len < 2)
		return -1;
	n->code = body[0];
	n->subcode = body[1];
	n->data = body + 2;
	n->data_len = len - 2;
	if (n->code != BGP_ERR_CEASE || (n->subcode != BGP_CEASE_ADMIN_SHUTDOWN && n->subcode != BGP_CEASE_ADMIN_RESET))
		return 0;
	if (n->data_len < 1)
		return 0;
	size_t sl = n->data[0];
	if (sl == 0 || sl > n->data_len - 1 || !utf8_valid(n->data + 1, sl))
		return 0;
	n->has_shutdown = 1;
	for (size_t i = 0; i < sl; i++) {
		uint8_t c = n->data[1 + i];
		n->shutdown[i] = (char)(c < 0x20 || c == 0x7F ? ' ' : c);
	}
	n->shutdown[sl] = '\0';
	n->shutdown_len = sl;
	n->trailer = n->data + 1 + sl;
	n->trailer_len = n->data_len - 1 - sl;
	return 0;
}

static void put_str(struct wbuf *w, const char *s)
{
	wb_bytes(w, s, strlen(s));
}

/* ExaBGP's hexstring(): "0x" and upper-case hex digits. */
static void put_hex(struct wbuf *w, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	put_str(w, "0x");
	for (size_t i = 0; i < n; i++) {
		wb_u8(w, (uint8_t)digits[p[i] >> 4]);
		wb_u8(w, (uint8_t)digits[p[i] & 15]);
	}
}

/* Printable UTF-8 only: control characters and invalid bytes are dropped. */
static void put_printable(struct wbuf *w, const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			if (p[i] >= 0x20 && p[i] != 0x7F)
				wb_u8(w, p[i]);
			i++;
			continue;
		}
		size_t k = utf8_seq(p + i, n - i);
		if (!k) {
			i++;
			continue;
		}
		wb_bytes(w, p + i, k);
		i += k;
	}
}

static void put_shutdown_data(struct wbuf *w, const struct notification *n)
{
	const uint8_t *rest = n->data + 1;
	size_t rest_len = n->data_len - 1;
	size_t sl = n->data[0];
	char tmp[96];
	if (sl == 0) {
		put_str(w, "empty Shutdown Communication.");
		return;
	}
	if (rest_len < sl) {
		snprintf(tmp, sizeof(tmp), "invalid Shutdown Communication (buffer underrun) length : %zu [", sl);
		put_str(w, tmp);
		put_hex(w, rest, rest_len);
		put_str(w, "]");
		return;
	}
	if (!n->has_shutdown) {
		snprintf(tmp, sizeof(tmp), "invalid Shutdown Communication (invalid UTF-8) length : %zu [", sl);
		put_str(w, tmp);
		put_hex(w, rest, rest_len);
		put_str(w, "]");
		return;
	}
	put_str(w, "Shutdown Communication: \"");
	wb_bytes(w, n->shutdown, n->shutdown_len);
	put_str(w, "\"");
	if (n->trailer_len) {
		put_str(w, ", trailing data: ");
		put_hex(w, n->trailer, n->trailer_len);
	}
}

void notification_to_string(struct wbuf *w, const struct notification *n)
{
	put_str(w, notification_code_name(n->code));
	put_str(w, " / ");
	put_str(w, notification_subcode_name(n->code, n->subcode));
	if (!n->data_len)
		return;
	put_str(w, " / ");
	if (n->code == BGP_ERR_CEASE && (n->subcode == BGP_CEASE_ADMIN_SHUTDOWN || n->subcode == BGP_CEASE_ADMIN_RESET))
		put_shutdown_data(w, n);
	else
		put_printable(w, n->data, n->data_len);
}

size_t notification_str(char *out, size_t outlen, const struct notification *n)
{
	struct wbuf w;
	wb_init(&w, 128);
	notification_to_string(&w, n);
	size_t len = w.len;
	if (outlen) {
		size_t k = len < outlen - 1 ? len : outlen - 1;
		if (k)
			memcpy(out, w.data, k);
		out[k] = '\0';
	}
	wb_free(&w);
	return len;
}
