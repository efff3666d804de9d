/* Hex vectors for unit tests: "0119 0000FDE8..." into bytes (spaces and
 * other non-hex characters are skipped, so vectors can be grouped).  A
 * test including it needs cmocka.h first (assert_true).  Seven older tests
 * carry their own copy of this function; new ones include this header. */
#ifndef FASTBGP_TESTS_HEX_TEST_UTIL_H
#define FASTBGP_TESTS_HEX_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Writes at most max bytes (failing the test beyond); returns the count. */
static inline size_t unhex(const char *h, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;
	for (; *h; h++) {
		int v = hex_digit(*h);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < max);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n;
}

#endif
