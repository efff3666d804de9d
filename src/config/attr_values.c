/* Configuration values: text to canonical bytes (see attr_values.h). */
#include "config/attr_values.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nlri/family.h"
#include "wire/buf.h"

int av_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int av_number(const char *s, uint64_t max, uint64_t *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		uint64_t v = 0;
		s += 2;
		if (!*s)
			return -1;
		for (; *s; s++) {
			int h = hexval(*s);
			if (h < 0 || v > (max >> 4) || (v << 4) > max - (uint64_t)h)
				return -1;
			v = (v << 4) | (uint64_t)h;
		}
		*out = v;
		return 0;
	}
	return av_uint(s, max, out);
}

int av_bool(const char *s)
{
	if (!strcasecmp(s, "true") || !strcasecmp(s, "enable") || !strcasecmp(s, "enabled"))
		return 1;
	if (!strcasecmp(s, "false") || !strcasecmp(s, "disable") || !strcasecmp(s, "disabled"))
		return 0;
	return -1;
}

int av_ipv4(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int n = 0;
		if (*s == '0' && s[1] >= '0' && s[1] <= '9')
			return -1; /* leading zero */
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++n > 3 || v > 255)
				return -1;
		}
		if (!n)
			return -1;
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	return *s ? -1 : 0;
}

int av_ip(const char *s, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, out->addr) != 1)
			return -1;
		out->afi = AFI_IPV6;
		return 0;
	}
	if (av_ipv4(s, out->addr) < 0)
		return -1;
	out->afi = AFI_IPV4;
	return 0;
}

const char *av_ip_format(const struct ip_addr *a, char *buf, size_t len)
{
	if (a->afi == AFI_IPV4)
		inet_ntop(AF_INET, a->addr, buf, (socklen_t)len);
	else if (a->afi == AFI_IPV6)
		inet_ntop(AF_INET6, a->addr, buf, (socklen_t)len);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* "a.b.c.d/len" with nothing unusual (no leading zero, len 0-32 without
 * leading zero, host bits clear): the common prefix of helper commands,
 * read in one pass.  Returns 0 when it is one, -1 to let the general code
 * below decide (and word any error). */
static int ipv4_prefix_fast(const char *s, struct ip_addr *addr, uint8_t *plen)
{
	uint8_t a[4];
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, n = 0;
		if (*s == '0' && s[1] >= '0' && s[1] <= '9')
			return -1;
		while (*s >= '0' && *s <= '9' && n < 3) {
			v = v * 10 + (unsigned)(*s++ - '0');
			n++;
		}
		if (!n || v > 255 || *s != (i < 3 ? '.' : '/'))
			return -1;
		a[i] = (uint8_t)v;
		s++;
	}
	unsigned len = 0, n = 0;
	if (*s == '0' && s[1])
		return -1;
	while (*s >= '0' && *s <= '9' && n < 2) {
		len = len * 10 + (unsigned)(*s++ - '0');
		n++;
	}
	if (!n || *s || len > 32)
		return -1;
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	if (len < 32 && (v << len))
		return -1; /* host bits set */
	memset(addr, 0, sizeof(*addr));
	addr->afi = AFI_IPV4;
	memcpy(addr->addr, a, 4);
	*plen = (uint8_t)len;
	return 0;
}

int av_prefix(const char *s, bool strict, struct ip_addr *addr, uint8_t *plen, char *err, size_t errlen)
{
	if (ipv4_prefix_fast(s, addr, plen) == 0)
		return 0;
	char ip[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(ip)) {
		snprintf(err, errlen, "\"%s\" is not a valid prefix", s);
		return -1;
	}
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (av_ip(ip, addr) < 0) {
		snprintf(err, errlen, "\"%s\" is not a valid prefix", s);
		return -1;
	}
	unsigned max = addr->afi == AFI_IPV4 ? 32 : 128;
	uint64_t len = max;
	if (slash && av_uint(slash + 1, max, &len) < 0) {
		snprintf(err, errlen, "\"%s\" has an invalid prefix length (0..%u)", s, max);
		return -1;
	}
	*plen = (uint8_t)len;
	/* Bits past the length must be zero. */
	unsigned bytes = max / 8;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned bit0 = i * 8;
		uint8_t keep = bit0 >= len ? 0 : bit0 + 8 <= len ? 0xFF : (uint8_t)(0xFF << (8 - (len - bit0)));
		if (addr->addr[i] & (uint8_t)~keep) {
			if (strict) {
				snprintf(err, errlen, "invalid network %s for netmask %u", ip, (unsigned)len);
				return -1;
			}
			addr->addr[i] &= keep;
		}
	}
	return 0;
}

int av_asn(const char *s, uint32_t *out)
{
	uint64_t v;
	const char *dot = strchr(s, '.');
	if (dot) {
		char hi[8];
		uint64_t h, l;
		size_t n = (size_t)(dot - s);
		if (n == 0 || n >= sizeof(hi))
			return -1;
		memcpy(hi, s, n);
		hi[n] = '\0';
		if (av_uint(hi, 65535, &h) < 0 || av_uint(dot + 1, 65535, &l) < 0)
			return -1;
		*out = (uint32_t)((h << 16) | l);
		return 0;
	}
	if (av_uint(s, UINT32_MAX, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Splits "a:b:c" into at most max parts (copied into buf); returns the count,
 * or -1 when there are more parts or the text is too long. */
static int split_colon(const char *s, char buf[128], char *parts[], int max)
{
	size_t n = strlen(s);
	if (n >= 128)
		return -1;
	memcpy(buf, s, n + 1);
	int count = 0;
	char *p = buf;
	for (;;) {
		if (count == max)
			return -1;
		parts[count++] = p;
		char *c = strchr(p, ':');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	return count;
}

int av_community(const char *s, uint32_t *out, char *err, size_t errlen)
{
	uint64_t a, b;
	const char *colon = strchr(s, ':');
	if (colon && colon != s) {
		char buf[128];
		char *parts[2];
		if (split_colon(s, buf, parts, 2) != 2 || av_uint(parts[0], UINT64_MAX, &a) < 0 ||
		    av_uint(parts[1], UINT64_MAX, &b) < 0) {
			snprintf(err, errlen, "invalid community %s", s);
			return -1;
		}
		if (a > 65535) {
			snprintf(err, errlen, "invalid community %s (prefix too large)", s);
			return -1;
		}
		if (b > 65535) {
			snprintf(err, errlen, "invalid community %s (suffix too large)", s);
			return -1;
		}
		*out = (uint32_t)((a << 16) | b);
		return 0;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (av_number(s, UINT32_MAX, &a) < 0) {
			snprintf(err, errlen, "invalid community %s (too large or not hexadecimal)", s);
			return -1;
		}
		*out = (uint32_t)a;
		return 0;
	}
	static const struct {
		const char *name;
		uint32_t value;
	} names[] = {
		{"no-export", 0xFFFFFF01u},
		{"no-advertise", 0xFFFFFF02u},
		{"no-export-subconfed", 0xFFFFFF03u},
		{"nopeer", 0xFFFFFF04u},
		{"no-peer", 0xFFFFFF04u},
		{"blackhole", 0xFFFF029Au},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].value;
			return 0;
		}
	}
	if (*s >= '0' && *s <= '9') {
		if (av_uint(s, UINT32_MAX, &a) < 0) {
			snprintf(err, errlen, "invalid community %s (too large)", s);
			return -1;
		}
		*out = (uint32_t)a;
		return 0;
	}
	snprintf(err, errlen, "invalid community name %s", s);
	return -1;
}

int av_large_community(const char *s, uint8_t out[12], char *err, size_t errlen)
{
	if (strchr(s, ':')) {
		char buf[128];
		char *parts[3];
		uint64_t v[3];
		if (split_colon(s, buf, parts, 3) != 3) {
			snprintf(err, errlen, "invalid large community %s (expecting A:B:C)", s);
			return -1;
		}
		for (int i = 0; i < 3; i++) {
			if (av_uint(parts[i], UINT64_MAX, &v[i]) < 0) {
				snprintf(err, errlen, "invalid large community %s", s);
				return -1;
			}
			if (v[i] > UINT32_MAX) {
				snprintf(err, errlen, "invalid community %s in %s too large", parts[i], s);
				return -1;
			}
			put_u32(out + 4 * i, (uint32_t)v[i]);
		}
		return 0;
	}
	/* One decimal number below 2^96, kept as three 32-bit limbs. */
	uint32_t limb[3] = {0, 0, 0}; /* most significant first */
	if (!*s)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		uint64_t carry = (uint64_t)(*p - '0');
		for (int i = 2; i >= 0; i--) {
			uint64_t x = (uint64_t)limb[i] * 10 + carry;
			limb[i] = (uint32_t)x;
			carry = x >> 32;
		}
		if (carry) {
			snprintf(err, errlen, "invalid large community %s (too large)", s);
			return -1;
		}
	}
	for (int i = 0; i < 3; i++)
		put_u32(out + 4 * i, limb[i]);
	return 0;
bad:
	snprintf(err, errlen, "invalid large community name %s", s);
	return -1;
}

long av_hex_bytes(const char *s, uint8_t *out, size_t max)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	s += 2;
	size_t n = strlen(s);
	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
		if (h < 0 || l < 0)
			return -1;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return (long)(n / 2);
}

/* Counts the dots of a string. */
static int dots(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '.';
	return n;
}

/* A dotted quad as ExaBGP reads it for extended communities: four decimal
 * numbers below 256. */
static int loose_ipv4(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int n = 0;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++n > 3 || v > 255)
				return -1;
		}
		if (!n)
			return -1;
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	return *s ? -1 : 0;
}

/* A number with an optional L (long) suffix, as in "target:65000L:1". */
static int ec_number(char *s, bool *is_long, uint64_t *out)
{
	size_t n = strlen(s);
	*is_long = false;
	if (n && (s[n - 1] == 'L' || s[n - 1] == 'l')) {
		*is_long = true;
		s[n - 1] = '\0';
	}
	return av_uint(s, UINT64_MAX, out);
}

int av_ext_community(const char *s, uint8_t out[8], char *err, size_t errlen)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (av_hex_bytes(s, out, 8) != 8) {
			snprintf(err, errlen, "invalid extended community %s (expecting 0x and 16 hex digits)", s);
			return -1;
		}
		return 0;
	}
	if (!strcasecmp(s, "redirect-to-nexthop")) {
		static const uint8_t v[8] = {0x08, 0x00, 0, 0, 0, 0, 0, 0};
		memcpy(out, v, 8);
		return 0;
	}
	if (!strchr(s, ':')) {
		snprintf(err, errlen, "invalid extended community %s", s);
		return -1;
	}
	char buf[128];
	char *parts[5];
	int n = split_colon(s, buf, parts, 5);
	if (n < 2) {
		snprintf(err, errlen, "invalid extended community %s", s);
		return -1;
	}
	const char *cmd = "target";
	char **c = parts;
	if (n > 2) {
		cmd = parts[0];
		c = parts + 1;
		n--;
	}
	static const struct {
		const char *name;
		uint8_t type, subtype;
		int fields;
	} kinds[] = {
		{"target", 0x00, 0x02, 2},   {"target4", 0x02, 0x02, 2}, {"origin", 0x00, 0x03, 2},
		{"origin4", 0x02, 0x03, 2},  {"redirect", 0x80, 0x08, 2}, {"l2info", 0x80, 0x0A, 4},
		{"bandwidth", 0x40, 0x04, 2},
	};
	int k = -1;
	for (int i = 0; i < (int)(sizeof(kinds) / sizeof(kinds[0])); i++)
		if (!strcasecmp(cmd, kinds[i].name))
			k = i;
	if (k < 0) {
		snprintf(err, errlen, "invalid extended community %s (unknown type %s)", s, cmd);
		return -1;
	}
	if (n != kinds[k].fields) {
		snprintf(err, errlen, "invalid extended community %s, expecting %d fields", s, kinds[k].fields);
		return -1;
	}
	out[0] = kinds[k].type;
	out[1] = kinds[k].subtype;
	if (k == 5) { /* l2info:encaps:control:mtu:site */
		uint64_t v[4];
		static const uint64_t maxv[4] = {255, 255, 65535, 65535};
		for (int i = 0; i < 4; i++) {
			if (av_uint(c[i], maxv[i], &v[i]) < 0) {
				snprintf(err, errlen, "invalid extended community %s", s);
				return -1;
			}
		}
		out[2] = (uint8_t)v[0];
		out[3] = (uint8_t)v[1];
		put_u16(out + 4, (uint16_t)v[2]);
		put_u16(out + 6, (uint16_t)v[3]);
		return 0;
	}
	char *ga = c[0], *la = c[1];
	bool is_ro = k == 0 || k == 2; /* target / origin: the form follows the values */
	if (is_ro && (strchr(ga, '.') || strchr(la, '.'))) {
		uint8_t ip[4];
		uint64_t num;
		if (dots(ga) == 0 && dots(la) == 3 && av_uint(ga, 65535, &num) == 0 && loose_ipv4(la, ip) == 0) {
			put_u16(out + 2, (uint16_t)num); /* ASN first, address second */
			memcpy(out + 4, ip, 4);
			return 0;
		}
		if (dots(ga) == 3 && dots(la) == 0 && loose_ipv4(ga, ip) == 0 && av_uint(la, 65535, &num) == 0) {
			memcpy(out + 2, ip, 4); /* address first, number second */
			put_u16(out + 6, (uint16_t)num);
			return 0;
		}
		snprintf(err, errlen, "invalid extended community %s", s);
		return -1;
	}
	bool glong, llong;
	uint64_t g, l;
	if (ec_number(ga, &glong, &g) < 0 || (k != 6 && ec_number(la, &llong, &l) < 0)) {
		snprintf(err, errlen, "invalid extended community %s", s);
		return -1;
	}
	if (is_ro && (glong || g > 65535))
		out[0] = 0x02; /* the 4-octet AS form */
	if (k == 6) { /* bandwidth:ASN:bytes-per-second, an IEEE float */
		float f;
		char *end;
		double d = strtod(la, &end);
		if (end == la || *end || d < 0 || d > 3.4e38 || g > 65535) {
			snprintf(err, errlen, "invalid extended community %s", s);
			return -1;
		}
		f = (float)d;
		uint32_t bits;
		memcpy(&bits, &f, 4);
		put_u16(out + 2, (uint16_t)g);
		put_u32(out + 4, bits);
		return 0;
	}
	if (out[0] == 0x02) { /* 4-octet global, 2-octet local */
		if (g > UINT32_MAX || l > 65535)
			goto range;
		put_u32(out + 2, (uint32_t)g);
		put_u16(out + 6, (uint16_t)l);
		return 0;
	}
	/* 2-octet global, 4-octet local (target, origin, redirect) */
	if (g > 65535 || l > UINT32_MAX)
		goto range;
	put_u16(out + 2, (uint16_t)g);
	put_u32(out + 4, (uint32_t)l);
	return 0;
range:
	snprintf(err, errlen, "invalid extended community %s (value out of range)", s);
	return -1;
}

int av_route_distinguisher(const char *s, uint8_t out[8], char *err, size_t errlen)
{
	char buf[128];
	char *parts[2];
	uint64_t a, b;
	if (split_colon(s, buf, parts, 2) != 2 || av_uint(parts[1], UINT64_MAX, &b) < 0)
		goto bad;
	if (strchr(parts[0], '.')) {
		uint8_t ip[4];
		if (loose_ipv4(parts[0], ip) < 0 || b > 65535)
			goto bad;
		out[0] = 0;
		out[1] = 1;
		memcpy(out + 2, ip, 4);
		put_u16(out + 6, (uint16_t)b);
		return 0;
	}
	if (av_uint(parts[0], UINT64_MAX, &a) < 0)
		goto bad;
	if (a < 65536 && b <= UINT32_MAX) {
		out[0] = 0;
		out[1] = 0;
		put_u16(out + 2, (uint16_t)a);
		put_u32(out + 4, (uint32_t)b);
		return 0;
	}
	if (a <= UINT32_MAX && b < 65536) {
		out[0] = 0;
		out[1] = 2;
		put_u32(out + 2, (uint32_t)a);
		put_u16(out + 6, (uint16_t)b);
		return 0;
	}
bad:
	snprintf(err, errlen, "invalid route-distinguisher %s", s);
	return -1;
}
