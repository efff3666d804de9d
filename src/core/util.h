/* Small helpers shared by several subsystems. */
#ifndef FASTBGP_CORE_UTIL_H
#define FASTBGP_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* snprintf into a caller's error buffer; a NULL or empty buffer is ignored. */
void err_set(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Decoded length of base64 text (RFC 4648, with '=' padding), or -1 when
 * the text is not valid base64. */
long base64_decoded_len(const char *s);
/* Decodes base64 text into out; returns the length, or -1 when the text is
 * invalid or the result does not fit in max bytes. */
long base64_decode(const char *s, uint8_t *out, size_t max);

/* FNV-1a over n bytes, continuing from h (FNV1A_INIT to start): the hash of
 * the project's tables of short keys (attribute sets, routes, neighbors). */
#define FNV1A_INIT 2166136261u
static inline uint32_t fnv1a(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

#endif
