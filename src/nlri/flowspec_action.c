/* FlowSpec actions as extended communities (see flowspec_action.h). */
#include "nlri/flowspec_action.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/buf.h"

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const struct {
	const char *kw;
	int arity;
} actions[] = {
	{"accept", 0},
	{"discard", 0},
	{"rate-limit", 1},
	{"redirect", 1},
	{"redirect-to-nexthop", 0},
	{"redirect-to-nexthop-ietf", 1},
	{"copy", 1},
	{"mark", 1},
	{"action", 1},
};

int flow_action_arity(const char *kw)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].kw, kw))
			return actions[i].arity;
	return -1;
}

/* Decimal digits only, value <= max. */
static int decimal(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > max)
			return -1;
	}
	*v = n;
	return 0;
}

static void ext_set(struct flow_action *a, uint8_t type, uint8_t sub, const uint8_t value[6])
{
	a->has_ext = true;
	a->ext[0] = type;
	a->ext[1] = sub;
	memcpy(a->ext + 2, value, 6);
}

/* RFC 8955 7.3: 2 bytes of AS (ExaBGP writes 0), then an IEEE 754 float. */
static void traffic_rate(struct flow_action *a, double rate)
{
	uint8_t v[6] = {0};
	float f = (float)rate;
	uint32_t bits;
	memcpy(&bits, &f, sizeof(bits));
	put_u32(v + 2, bits);
	ext_set(a, 0x80, 0x06, v);
}

/* draft-simpson-idr-flowspec-redirect: redirect (or copy) to the next-hop. */
static void simpson(struct flow_action *a, bool copy)
{
	uint8_t v[6] = {0, 0, 0, 0, 0, copy ? 1 : 0};
	ext_set(a, 0x08, 0x00, v);
}

static int parse_ip(const char *s, struct flow_action *a)
{
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, a->nh) != 1)
			return -1;
		a->nh_len = 16;
	} else {
		if (inet_pton(AF_INET, s, a->nh) != 1)
			return -1;
		a->nh_len = 4;
	}
	a->set_nh = true;
	return 0;
}

static int rate_limit(const char *s, struct flow_action *a, char *err, size_t errlen)
{
	int dots = 0;
	if (!*s)
		return fail(err, errlen, "rate-limit needs a rate in bytes per second");
	for (const char *q = s; *q; q++) {
		if (*q == '.' && !dots++)
			continue;
		if (*q < '0' || *q > '9')
			return fail(err, errlen, "invalid rate-limit %s (bytes per second)", s);
	}
	double rate = strtod(s, NULL);
	if (rate > 1e12)
		rate = 1e12; /* as ExaBGP: capped at 1 000 000 000 000 bytes per second */
	traffic_rate(a, rate);
	return 0;
}

static int redirect(const char *s, struct flow_action *a, char *err, size_t errlen)
{
	size_t colons = 0;
	for (const char *q = s; *q; q++)
		colons += *q == ':';
	bool brackets = strchr(s, '[') || strchr(s, ']');
	if (colons == 0 || (colons > 1 && !brackets)) {
		/* redirect to an IP next-hop */
		if (parse_ip(s, a) < 0)
			return fail(err, errlen, "invalid redirect %s (ASN:NN, an IP address or [IPv6]:NN)", s);
		simpson(a, false);
		return 0;
	}
	if (colons == 1) {
		/* route-target style ASN:NN (RFC 7674) */
		const char *colon = strchr(s, ':');
		char asn_text[16];
		uint64_t asn, nn;
		size_t n = (size_t)(colon - s);
		if (memchr(s, '.', n))
			return fail(err, errlen, "redirect %s: the IP:NN form is not supported (deprecated), use ASN:NN", s);
		if (n >= sizeof(asn_text))
			return fail(err, errlen, "invalid redirect %s", s);
		memcpy(asn_text, s, n);
		asn_text[n] = '\0';
		if (decimal(asn_text, UINT64_MAX / 10, &asn) < 0 || decimal(colon + 1, UINT64_MAX / 10, &nn) < 0)
			return fail(err, errlen, "invalid redirect %s (ASN:NN)", s);
		if (asn > UINT32_MAX)
			return fail(err, errlen, "redirect %s: the ASN is a 32 bits number", s);
		uint8_t v[6];
		if (asn > 0xFFFF) {
			if (nn > 0xFFFF)
				return fail(err, errlen, "redirect %s: with a 4-byte ASN the value is a 16 bits number", s);
			put_u32(v, (uint32_t)asn);
			put_u16(v + 4, (uint16_t)nn);
			ext_set(a, 0x82, 0x08, v);
		} else {
			if (nn > UINT32_MAX)
				return fail(err, errlen, "redirect %s: the value is a 32 bits number", s);
			put_u16(v, (uint16_t)asn);
			put_u32(v + 2, (uint32_t)nn);
			ext_set(a, 0x80, 0x08, v);
		}
		a->set_nh = true; /* ExaBGP resets the next-hop to none */
		a->nh_len = 0;
		return 0;
	}
	/* [IPv6]:NN */
	const char *close = strstr(s, "]:");
	char ip[64];
	uint64_t nn;
	if (s[0] != '[' || !close || (size_t)(close - s - 1) >= sizeof(ip))
		return fail(err, errlen, "redirect %s: format incorrect", s);
	memcpy(ip, s + 1, (size_t)(close - s - 1));
	ip[close - s - 1] = '\0';
	if (!strchr(ip, ':') || parse_ip(ip, a) < 0)
		return fail(err, errlen, "redirect %s: invalid IPv6 address", s);
	if (decimal(close + 2, 0xFFFF, &nn) < 0)
		return fail(err, errlen, "redirect %s: the value is a 16 bits number", s);
	a->has_ext6 = true;
	a->ext6[0] = 0x00;
	a->ext6[1] = 0x0D;
	memcpy(a->ext6 + 2, a->nh, 16);
	put_u16(a->ext6 + 18, (uint16_t)nn);
	return 0;
}

static int redirect_ietf(const char *s, struct flow_action *a, char *err, size_t errlen)
{
	struct flow_action ip;
	memset(&ip, 0, sizeof(ip));
	if (parse_ip(s, &ip) < 0)
		return fail(err, errlen, "invalid redirect-to-nexthop-ietf address %s", s);
	if (ip.nh_len == 4) {
		uint8_t v[6] = {0};
		memcpy(v, ip.nh, 4);
		ext_set(a, 0x01, 0x0C, v);
	} else {
		a->has_ext6 = true;
		a->ext6[0] = 0x00;
		a->ext6[1] = 0x0C;
		memcpy(a->ext6 + 2, ip.nh, 16);
		a->ext6[18] = a->ext6[19] = 0;
	}
	return 0;
}

int flow_action_parse(const char *kw, const char *arg, struct flow_action *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int arity = flow_action_arity(kw);
	if (arity < 0)
		return fail(err, errlen, "unknown flow action %s", kw);
	if (arity && !arg)
		return fail(err, errlen, "%s needs a value", kw);
	if (!strcmp(kw, "accept"))
		return 0;
	if (!strcmp(kw, "discard")) {
		traffic_rate(out, 0);
		return 0;
	}
	if (!strcmp(kw, "rate-limit"))
		return rate_limit(arg, out, err, errlen);
	if (!strcmp(kw, "redirect"))
		return redirect(arg, out, err, errlen);
	if (!strcmp(kw, "redirect-to-nexthop")) {
		simpson(out, false);
		return 0;
	}
	if (!strcmp(kw, "redirect-to-nexthop-ietf"))
		return redirect_ietf(arg, out, err, errlen);
	if (!strcmp(kw, "copy")) {
		if (parse_ip(arg, out) < 0)
			return fail(err, errlen, "invalid copy address %s", arg);
		simpson(out, true);
		return 0;
	}
	if (!strcmp(kw, "mark")) {
		uint64_t dscp;
		if (decimal(arg, 0x3F, &dscp) < 0)
			return fail(err, errlen, "invalid mark %s (a DSCP value, 0..63)", arg);
		uint8_t v[6] = {0, 0, 0, 0, 0, (uint8_t)dscp};
		ext_set(out, 0x80, 0x09, v);
		return 0;
	}
	/* action: as ExaBGP, the words are looked for anywhere in the value */
	bool sample = strstr(arg, "sample") != NULL, terminal = strstr(arg, "terminal") != NULL;
	if (!sample && !terminal)
		return fail(err, errlen, "invalid flow action %s (sample, terminal or sample-terminal)", arg);
	uint8_t v[6] = {0, 0, 0, 0, 0, (uint8_t)((sample ? 2 : 0) | (terminal ? 1 : 0))};
	ext_set(out, 0x80, 0x07, v);
	return 0;
}

int flow_interface_set(const char *s, uint8_t out[8], char *err, size_t errlen)
{
	char buf[96];
	char *part[4];
	size_t n = strlen(s);
	if (n >= sizeof(buf))
		return fail(err, errlen, "invalid interface-set %s", s);
	memcpy(buf, s, n + 1);
	part[0] = buf;
	for (int i = 1; i < 4; i++) {
		char *c = strchr(part[i - 1], ':');
		if (!c)
			return fail(err, errlen, "invalid interface-set %s (transitive:input:ASN:GROUP)", s);
		*c = '\0';
		part[i] = c + 1;
	}
	if (strchr(part[3], ':'))
		return fail(err, errlen, "invalid interface-set %s (transitive:input:ASN:GROUP)", s);
	uint8_t type;
	if (!strcmp(part[0], "transitive"))
		type = 0x07;
	else if (!strcmp(part[0], "non-transitive"))
		type = 0x47;
	else
		return fail(err, errlen, "interface-set %s: transitive or non-transitive expected", s);
	unsigned dir;
	if (!strcmp(part[1], "input"))
		dir = 1;
	else if (!strcmp(part[1], "output"))
		dir = 2;
	else if (!strcmp(part[1], "input-output"))
		dir = 3;
	else
		return fail(err, errlen, "interface-set %s: input, output or input-output expected", s);
	uint64_t asn, group;
	if (decimal(part[2], UINT32_MAX, &asn) < 0)
		return fail(err, errlen, "interface-set %s: the ASN is a 32 bits number", s);
	if (decimal(part[3], 0x3FFF, &group) < 0)
		return fail(err, errlen, "interface-set %s: the group is a 14 bits number", s);
	out[0] = type;
	out[1] = 0x02;
	put_u32(out + 2, (uint32_t)asn);
	put_u16(out + 6, (uint16_t)((dir << 14) | group));
	return 0;
}
