/* A tiny string builder over struct wbuf (see attr_table.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attr/attr_table.h"

void sb_puts(struct wbuf *w, const char *s)
{
	wb_bytes(w, s, strlen(s));
}

void sb_printf(struct wbuf *w, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		wb_bytes(w, tmp, (size_t)n);
		return;
	}
	/* Long output: format straight into the buffer. */
	if (wb_room(w, (size_t)n + 1) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf((char *)w->data + w->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	w->len += (size_t)n;
}

void sb_u64(struct wbuf *w, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	wb_bytes(w, tmp + i, sizeof(tmp) - i);
}

void sb_u32(struct wbuf *w, uint32_t v)
{
	sb_u64(w, v);
}

void sb_hex(struct wbuf *w, const uint8_t *p, size_t n, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	if (wb_room(w, 2 * n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		w->data[w->len++] = (uint8_t)digits[p[i] >> 4];
		w->data[w->len++] = (uint8_t)digits[p[i] & 15];
	}
}

void sb_ipv4(struct wbuf *w, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			wb_u8(w, '.');
		sb_u32(w, a[i]);
	}
}

void sb_ipv6(struct wbuf *w, const uint8_t *a)
{
	char tmp[INET6_ADDRSTRLEN];
	if (inet_ntop(AF_INET6, a, tmp, sizeof(tmp)))
		sb_puts(w, tmp);
}

void sb_json_string(struct wbuf *w, const char *s, size_t n)
{
	wb_u8(w, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			sb_puts(w, "\\\"");
			break;
		case '\\':
			sb_puts(w, "\\\\");
			break;
		case '\n':
			sb_puts(w, "\\n");
			break;
		case '\r':
			sb_puts(w, "\\r");
			break;
		case '\t':
			sb_puts(w, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				sb_printf(w, "\\u%04x", c);
			else
				wb_u8(w, c);
		}
	}
	wb_u8(w, '"');
}

const char *sb_cstr(struct wbuf *w)
{
	if (w->err || wb_room(w, 1) < 0)
		return "";
	w->data[w->len] = '\0';
	return (const char *)w->data;
}
