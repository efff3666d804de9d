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

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* JSON string: escapes quotes, backslashes and control characters, keeps
 * valid UTF-8, and turns invalid bytes into U+FFFD so the output is always
 * valid JSON whatever a peer sent. */
void sb_json_string(struct wbuf *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	wb_u8(w, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = u[i];
		if (c >= 0x80) {
			size_t l = utf8_seq(u + i, n - i);
			if (l) {
				wb_bytes(w, u + i, l);
				i += l;
			} else {
				sb_puts(w, "\\ufffd");
				i++;
			}
			continue;
		}
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
		case '\b':
			sb_puts(w, "\\b");
			break;
		case '\f':
			sb_puts(w, "\\f");
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				sb_printf(w, "\\u%04x", c);
			else
				wb_u8(w, c);
		}
		i++;
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
