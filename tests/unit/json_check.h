/* A strict JSON validity check (RFC 8259) for the tests and the fuzz
 * harnesses: the oracle that every event the JSON encoder writes is JSON
 * that a real parser takes (python3's json, jq, ...), not only text that
 * looks like it.
 *
 * Strict where RFC 8259 is: one value with optional blanks around it; no
 * trailing comma; strings with only the escapes of section 7, no raw control
 * character, and valid UTF-8 (section 8.1: JSON exchanged between systems
 * is UTF-8); numbers in the grammar of section 6 (no leading zero, no "+",
 * no bare "."); literals true/false/null in lower case.  Duplicate object
 * keys are allowed (section 4 says SHOULD be unique; parsers take them).
 *
 * json_check(text, len, &off) returns 1 when valid, else 0 with off the
 * byte offset of the first error (json_check_error() says what). */
#ifndef FASTBGP_TESTS_JSON_CHECK_H
#define FASTBGP_TESTS_JSON_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define JSON_CHECK_MAX_DEPTH 512

struct json_checker {
	const unsigned char *p, *end, *start;
	const char *why;
	int depth;
};

static inline void jc_blank(struct json_checker *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static inline int jc_fail(struct json_checker *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return 0;
}

static inline int jc_hex(unsigned char x)
{
	return (x >= '0' && x <= '9') || (x >= 'a' && x <= 'f') || (x >= 'A' && x <= 'F');
}

/* One UTF-8 sequence (RFC 3629: no overlong form, no surrogate, <= U+10FFFF). */
static inline int jc_utf8(struct json_checker *c)
{
	unsigned char b = *c->p;
	size_t n;
	uint32_t cp;
	if (b < 0x80)
		n = 1, cp = b;
	else if ((b & 0xE0) == 0xC0)
		n = 2, cp = b & 0x1F;
	else if ((b & 0xF0) == 0xE0)
		n = 3, cp = b & 0x0F;
	else if ((b & 0xF8) == 0xF0)
		n = 4, cp = b & 0x07;
	else
		return jc_fail(c, "invalid UTF-8 lead byte");
	if ((size_t)(c->end - c->p) < n)
		return jc_fail(c, "truncated UTF-8 sequence");
	for (size_t i = 1; i < n; i++) {
		if ((c->p[i] & 0xC0) != 0x80)
			return jc_fail(c, "invalid UTF-8 continuation byte");
		cp = (cp << 6) | (c->p[i] & 0x3F);
	}
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[n])
		return jc_fail(c, "overlong UTF-8 sequence");
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return jc_fail(c, "UTF-8 code point out of range");
	c->p += n;
	return 1;
}

static inline int jc_string(struct json_checker *c)
{
	c->p++; /* '"' */
	while (c->p < c->end) {
		unsigned char b = *c->p;
		if (b == '"') {
			c->p++;
			return 1;
		}
		if (b < 0x20)
			return jc_fail(c, "raw control character in string");
		if (b == '\\') {
			if (c->end - c->p < 2)
				return jc_fail(c, "truncated escape");
			unsigned char e = c->p[1];
			if (e == 'u') {
				if (c->end - c->p < 6 || !jc_hex(c->p[2]) || !jc_hex(c->p[3]) || !jc_hex(c->p[4]) ||
				    !jc_hex(c->p[5]))
					return jc_fail(c, "bad \\u escape");
				c->p += 6;
			} else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
				   e == 't') {
				c->p += 2;
			} else {
				return jc_fail(c, "unknown escape");
			}
			continue;
		}
		if (!jc_utf8(c))
			return 0;
	}
	return jc_fail(c, "unterminated string");
}

static inline int jc_digits(struct json_checker *c)
{
	const unsigned char *s = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > s;
}

static inline int jc_number(struct json_checker *c)
{
	if (*c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!jc_digits(c))
		return jc_fail(c, "bad number");
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!jc_digits(c))
			return jc_fail(c, "no digit after the decimal point");
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!jc_digits(c))
			return jc_fail(c, "no digit in the exponent");
	}
	if (c->p < c->end && ((*c->p >= '0' && *c->p <= '9') || *c->p == '.'))
		return jc_fail(c, "leading zero in number");
	return 1;
}

static inline int jc_literal(struct json_checker *c, const char *word)
{
	for (; *word; word++, c->p++)
		if (c->p >= c->end || *c->p != (unsigned char)*word)
			return jc_fail(c, "bad literal");
	return 1;
}

static inline int jc_value(struct json_checker *c);

/* Object or array: close is '}' or ']'. */
static inline int jc_container(struct json_checker *c, unsigned char close)
{
	if (++c->depth > JSON_CHECK_MAX_DEPTH)
		return jc_fail(c, "nested too deep");
	c->p++;
	jc_blank(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return 1;
	}
	for (;;) {
		if (close == '}') {
			if (c->p >= c->end || *c->p != '"')
				return jc_fail(c, "object key is not a string");
			if (!jc_string(c))
				return 0;
			jc_blank(c);
			if (c->p >= c->end || *c->p != ':')
				return jc_fail(c, "missing ':' after object key");
			c->p++;
		}
		if (!jc_value(c))
			return 0;
		jc_blank(c);
		if (c->p >= c->end)
			return jc_fail(c, "unterminated object or array");
		if (*c->p == close) {
			c->p++;
			c->depth--;
			return 1;
		}
		if (*c->p != ',')
			return jc_fail(c, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
		c->p++;
		jc_blank(c);
	}
}

static inline int jc_value(struct json_checker *c)
{
	jc_blank(c);
	if (c->p >= c->end)
		return jc_fail(c, "value expected");
	switch (*c->p) {
	case '{':
		return jc_container(c, '}');
	case '[':
		return jc_container(c, ']');
	case '"':
		return jc_string(c);
	case 't':
		return jc_literal(c, "true");
	case 'f':
		return jc_literal(c, "false");
	case 'n':
		return jc_literal(c, "null");
	default:
		if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
			return jc_number(c);
		return jc_fail(c, "value expected");
	}
}

static inline const char *json_check_error(const char *text, size_t len, size_t *off)
{
	struct json_checker c = {(const unsigned char *)text, (const unsigned char *)text + len,
				 (const unsigned char *)text, NULL, 0};
	if (jc_value(&c)) {
		jc_blank(&c);
		if (c.p != c.end)
			jc_fail(&c, "text after the value");
	}
	if (off)
		*off = (size_t)(c.p - c.start);
	return c.why;
}

static inline int json_check(const char *text, size_t len, size_t *off)
{
	return json_check_error(text, len, off) == NULL;
}

/* The members of an object ("a": 1, "b": [ ]), as the attribute printers
 * write them: valid when "{ " text " }" is a valid object. */
static inline const char *json_check_members_error(const char *text, size_t len)
{
	char *obj = malloc(len + 4);
	if (!obj)
		return "out of memory";
	memcpy(obj, "{ ", 2);
	memcpy(obj + 2, text, len);
	memcpy(obj + 2 + len, " }", 2);
	const char *why = json_check_error(obj, len + 4, NULL);
	free(obj);
	return why;
}

#endif
