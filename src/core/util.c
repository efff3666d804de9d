/* Small shared helpers (see util.h). */
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_set(char *err, size_t len, const char *fmt, ...)
{
	if (!err || !len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long base64_decoded_len(const char *s)
{
	size_t n = strlen(s), pad = 0;
	while (n && s[n - 1] == '=') {
		n--;
		pad++;
	}
	if (pad > 2 || (n + pad) % 4)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (b64val(s[i]) < 0)
			return -1;
	return (long)((n + pad) / 4 * 3 - pad);
}

long base64_decode(const char *s, uint8_t *out, size_t max)
{
	long want = base64_decoded_len(s);
	if (want < 0 || (size_t)want > max)
		return -1;
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;
	for (; *s && *s != '='; s++) {
		acc = (acc << 6) | (unsigned)b64val(*s);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return (long)n;
}
