/* FlowSpec components: the type table, value names, and the encoder from
 * configuration words (see flowspec.h).  The decoder is in flowspec_decode.c. */
#include "nlri/flowspec.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nlri/family.h"

/* ------------------------------------------------------------ value names */

struct flow_name {
	const char *name;
	uint32_t value;
};

/* IP protocols (IANA), as ExaBGP names them. */
static const struct flow_name protocol_names[] = {
	{"icmp", 1}, {"igmp", 2}, {"tcp", 6}, {"egp", 8}, {"udp", 17}, {"rsvp", 46}, {"gre", 47},
	{"esp", 50}, {"ah", 51}, {"ospf", 89}, {"ipip", 94}, {"pim", 103}, {"sctp", 132}, {NULL, 0},
};

static const struct flow_name icmp_type_names[] = {
	{"echo-reply", 0}, {"unreachable", 3}, {"source-quench", 4}, {"redirect", 5},
	{"echo-request", 8}, {"router-advertisement", 9}, {"router-solicit", 10}, {"time-exceeded", 11},
	{"parameter-problem", 12}, {"timestamp", 13}, {"timestamp-reply", 14}, {"info-request", 15},
	{"info-reply", 16}, {"mask-request", 17}, {"mask-reply", 18}, {"traceroute", 30},
	{"experimental-mobility", 41}, {"extended-echo-request", 42}, {"extended-echo-reply", 43},
	{"experimental-one", 253}, {"experimental-two", 254}, {NULL, 0},
};

/* Names accepted in the configuration; received codes print as numbers. */
static const struct flow_name icmp_code_names[] = {
	{"network-unreachable", 0}, {"host-unreachable", 1}, {"protocol-unreachable", 2},
	{"port-unreachable", 3}, {"fragmentation-needed", 4}, {"source-route-failed", 5},
	{"destination-network-unknown", 6}, {"destination-host-unknown", 7}, {"source-host-isolated", 8},
	{"destination-network-prohibited", 9}, {"destination-host-prohibited", 10},
	{"network-unreachable-for-tos", 11}, {"host-unreachable-for-tos", 12},
	{"communication-prohibited-by-filtering", 13}, {"host-precedence-violation", 14},
	{"precedence-cutoff-in-effect", 15}, {"redirect-for-network", 0}, {"redirect-for-host", 1},
	{"redirect-for-tos-and-net", 2}, {"redirect-for-tos-and-host", 3}, {"ttl-eq-zero-during-transit", 0},
	{"ttl-eq-zero-during-reassembly", 1}, {"required-option-missing", 1}, {"ip-header-bad", 2},
	{NULL, 0},
};

/* In the order ExaBGP walks them when it prints a bitmask. */
static const struct flow_name tcp_flag_names[] = {
	{"fin", 0x01}, {"syn", 0x02}, {"rst", 0x04}, {"push", 0x08}, {"ack", 0x10},
	{"urg", 0x20}, {"ece", 0x40}, {"cwr", 0x80}, {"ns", 0x100}, {NULL, 0},
};
static const struct flow_name tcp_flag_aliases[] = {{"urgent", 0x20}, {NULL, 0}};

static const struct flow_name fragment_names[] = {
	{"not-a-fragment", 0x00}, {"dont-fragment", 0x01}, {"is-fragment", 0x02},
	{"first-fragment", 0x04}, {"last-fragment", 0x08}, {NULL, 0},
};

/* Well-known service names (IANA) accepted for ports. */
static const struct flow_name port_names[] = {
	{"echo", 7}, {"discard", 9}, {"daytime", 13}, {"chargen", 19}, {"ftp-data", 20}, {"ftp", 21},
	{"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"time", 37}, {"whois", 43}, {"domain", 53},
	{"bootps", 67}, {"bootpc", 68}, {"tftp", 69}, {"gopher", 70}, {"finger", 79}, {"http", 80},
	{"kerberos", 88}, {"pop3", 110}, {"sunrpc", 111}, {"auth", 113}, {"nntp", 119}, {"ntp", 123},
	{"netbios-ns", 137}, {"netbios-dgm", 138}, {"netbios-ssn", 139}, {"imap", 143}, {"snmp", 161},
	{"snmptrap", 162}, {"bgp", 179}, {"irc", 194}, {"ldap", 389}, {"https", 443},
	{"microsoft-ds", 445}, {"isakmp", 500}, {"syslog", 514}, {"submission", 587}, {"ldaps", 636},
	{"rsync", 873}, {"imaps", 993}, {"pop3s", 995}, {"openvpn", 1194}, {"ms-sql-s", 1433},
	{"ms-sql-m", 1434}, {"pptp", 1723}, {"radius", 1812}, {"mysql", 3306}, {"ms-wbt-server", 3389},
	{"sip", 5060}, {"postgresql", 5432}, {"http-alt", 8080}, {NULL, 0},
};

static int lookup(const struct flow_name *t, const char *s, uint32_t *v)
{
	for (; t->name; t++)
		if (!strcmp(t->name, s)) {
			*v = t->value;
			return 0;
		}
	return -1;
}

static const char *name_of(const struct flow_name *t, uint64_t v)
{
	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

/* Decimal digits only, at most max. */
static int parse_decimal_max(const char *s, uint64_t max, uint64_t *v)
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

static int parse_decimal(const char *s, uint64_t *v)
{
	return parse_decimal_max(s, UINT32_MAX, v);
}

/* ExaBGP's named values: names (case-insensitive, '_' for '-'), decimal or
 * 0x-hex numbers up to 0xFFFF, several joined with '+' are added up. */
static int parse_named(const char *s, const struct flow_name *t, const struct flow_name *alias, uint64_t *v)
{
	uint64_t sum = 0;
	char part[64];
	if (!*s)
		return -1;
	for (;;) {
		const char *plus = strchr(s, '+');
		size_t n = plus ? (size_t)(plus - s) : strlen(s);
		if (!n || n >= sizeof(part))
			return -1;
		for (size_t i = 0; i < n; i++)
			part[i] = s[i] == '_' ? '-' : (char)tolower((unsigned char)s[i]);
		part[n] = '\0';
		uint32_t named;
		uint64_t num;
		if (lookup(t, part, &named) == 0 || (alias && lookup(alias, part, &named) == 0)) {
			sum += named;
		} else if (parse_decimal_max(part, 0xFFFF, &num) == 0) {
			sum += num;
		} else if (part[0] == '0' && part[1] == 'x' && part[2]) {
			num = 0;
			for (const char *h = part + 2; *h; h++) {
				if (!isxdigit((unsigned char)*h))
					return -1;
				num = num * 16 + (uint64_t)(isdigit((unsigned char)*h) ? *h - '0' : (*h | 0x20) - 'a' + 10);
				if (num > 0xFFFF)
					return -1;
			}
			sum += num;
		} else {
			return -1;
		}
		if (!plus)
			break;
		s = plus + 1;
	}
	*v = sum;
	return 0;
}

static int parse_protocol(const char *s, uint64_t *v)
{
	/* ExaBGP tries a plain number first, then names */
	return parse_decimal(s, v) == 0 ? 0 : parse_named(s, protocol_names, NULL, v);
}

static int parse_icmp_type(const char *s, uint64_t *v)
{
	return parse_decimal(s, v) == 0 ? 0 : parse_named(s, icmp_type_names, NULL, v);
}

static int parse_icmp_code(const char *s, uint64_t *v)
{
	return parse_decimal(s, v) == 0 ? 0 : parse_named(s, icmp_code_names, NULL, v);
}

static int parse_port(const char *s, uint64_t *v)
{
	return parse_named(s, port_names, NULL, v);
}

static int parse_tcp_flags(const char *s, uint64_t *v)
{
	return parse_named(s, tcp_flag_names, tcp_flag_aliases, v);
}

static int parse_fragment(const char *s, uint64_t *v)
{
	return parse_named(s, fragment_names, NULL, v);
}

/* ------------------------------------------------------------ value text */

static void put_str(struct wbuf *w, const char *s)
{
	wb_bytes(w, s, strlen(s));
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	wb_bytes(w, b, (size_t)n);
}

static void fmt_decimal(struct wbuf *w, uint64_t v)
{
	put_u64(w, v);
}

static void fmt_named(struct wbuf *w, const struct flow_name *t, const char *what, uint64_t v)
{
	const char *n = name_of(t, v);
	if (n) {
		put_str(w, n);
	} else {
		put_str(w, "unknown ");
		put_str(w, what);
		put_str(w, " type ");
		put_u64(w, v);
	}
}

static void fmt_protocol(struct wbuf *w, uint64_t v)
{
	fmt_named(w, protocol_names, "protocol", v);
}

static void fmt_icmp_type(struct wbuf *w, uint64_t v)
{
	fmt_named(w, icmp_type_names, "icmp type", v);
}

/* ExaBGP's bit names: each name whose bit is set (or whose value is the
 * whole remaining value, which is how 0 gets a name), joined with '+', then
 * "unknown ... type N" (N the whole value) for bits without a name. */
static void fmt_bits(struct wbuf *w, const struct flow_name *t, const char *what, uint64_t v)
{
	uint64_t left = v;
	int first = 1;
	for (; t->name; t++) {
		if ((left & t->value) || left == t->value) {
			if (!first)
				wb_u8(w, '+');
			put_str(w, t->name);
			first = 0;
			left -= t->value;
		}
	}
	/* ExaBGP prints nothing for 0 without a name ("tcp-flags [ = = ]",
	 * and "[ ,  ]" in its JSON): "0" keeps both readable and parses back. */
	if (first && !left)
		put_str(w, "0");
	if (left) {
		if (!first)
			wb_u8(w, '+');
		put_str(w, "unknown ");
		put_str(w, what);
		put_str(w, " type ");
		put_u64(w, v);
	}
}

static void fmt_tcp_flags(struct wbuf *w, uint64_t v)
{
	fmt_bits(w, tcp_flag_names, "tcp flag", v);
}

static void fmt_fragment(struct wbuf *w, uint64_t v)
{
	fmt_bits(w, fragment_names, "fragment", v);
}

/* ------------------------------------------------------------ tables */

#define AF4 1
#define AF6 2

static const struct flow_component_def components[FLOW_TYPE_MAX + 1] = {
	[FLOW_DESTINATION] = {FLOW_DESTINATION, FLOW_KIND_PREFIX, 0, AF4 | AF6, "destination-ipv4", "destination-ipv6",
			      NULL},
	[FLOW_SOURCE] = {FLOW_SOURCE, FLOW_KIND_PREFIX, 0, AF4 | AF6, "source-ipv4", "source-ipv6", NULL},
	[FLOW_PROTOCOL] = {FLOW_PROTOCOL, FLOW_KIND_NUMERIC, 1, AF4 | AF6, "protocol", "next-header", fmt_protocol},
	[FLOW_PORT] = {FLOW_PORT, FLOW_KIND_NUMERIC, 2, AF4 | AF6, "port", "port", fmt_decimal},
	[FLOW_DEST_PORT] = {FLOW_DEST_PORT, FLOW_KIND_NUMERIC, 2, AF4 | AF6, "destination-port", "destination-port",
			    fmt_decimal},
	[FLOW_SOURCE_PORT] = {FLOW_SOURCE_PORT, FLOW_KIND_NUMERIC, 2, AF4 | AF6, "source-port", "source-port",
			      fmt_decimal},
	[FLOW_ICMP_TYPE] = {FLOW_ICMP_TYPE, FLOW_KIND_NUMERIC, 1, AF4 | AF6, "icmp-type", "icmp-type", fmt_icmp_type},
	[FLOW_ICMP_CODE] = {FLOW_ICMP_CODE, FLOW_KIND_NUMERIC, 1, AF4 | AF6, "icmp-code", "icmp-code", fmt_decimal},
	[FLOW_TCP_FLAGS] = {FLOW_TCP_FLAGS, FLOW_KIND_BITMASK, 2, AF4 | AF6, "tcp-flags", "tcp-flags", fmt_tcp_flags},
	[FLOW_PACKET_LENGTH] = {FLOW_PACKET_LENGTH, FLOW_KIND_NUMERIC, 2, AF4 | AF6, "packet-length", "packet-length",
				fmt_decimal},
	[FLOW_DSCP] = {FLOW_DSCP, FLOW_KIND_NUMERIC, 1, AF4 | AF6, "dscp", "traffic-class", fmt_decimal},
	[FLOW_FRAGMENT] = {FLOW_FRAGMENT, FLOW_KIND_BITMASK, 2, AF4 | AF6, "fragment", "fragment", fmt_fragment},
	[FLOW_FLOW_LABEL] = {FLOW_FLOW_LABEL, FLOW_KIND_NUMERIC, 4, AF6, "flow-label", "flow-label", fmt_decimal},
};

static const struct flow_keyword keywords[] = {
	{"source", FLOW_SOURCE, 0, NULL},
	{"source-ipv4", FLOW_SOURCE, 0, NULL},
	{"source-ipv6", FLOW_SOURCE, 0, NULL},
	{"destination", FLOW_DESTINATION, 0, NULL},
	{"destination-ipv4", FLOW_DESTINATION, 0, NULL},
	{"destination-ipv6", FLOW_DESTINATION, 0, NULL},
	{"protocol", FLOW_PROTOCOL, 0xFF, parse_protocol},
	{"next-header", FLOW_PROTOCOL, 0xFF, parse_protocol},
	{"port", FLOW_PORT, 0xFFFF, parse_port},
	{"destination-port", FLOW_DEST_PORT, 0xFFFF, parse_port},
	{"source-port", FLOW_SOURCE_PORT, 0xFFFF, parse_port},
	{"icmp-type", FLOW_ICMP_TYPE, 0xFF, parse_icmp_type},
	{"icmp-code", FLOW_ICMP_CODE, 0xFF, parse_icmp_code},
	{"tcp-flags", FLOW_TCP_FLAGS, 0xFFFF, parse_tcp_flags},
	{"packet-length", FLOW_PACKET_LENGTH, 0xFFFF, parse_decimal},
	{"dscp", FLOW_DSCP, 0x3F, parse_decimal},
	{"traffic-class", FLOW_DSCP, 0xFF, parse_decimal},
	{"fragment", FLOW_FRAGMENT, 0xFFFF, parse_fragment},
	{"flow-label", FLOW_FLOW_LABEL, 0xFFFFF, parse_decimal},
};

const struct flow_component_def *flow_component(uint8_t type)
{
	return type >= 1 && type <= FLOW_TYPE_MAX ? &components[type] : NULL;
}

const struct flow_keyword *flow_keyword_find(const char *kw)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(keywords[i].kw, kw))
			return &keywords[i];
	return NULL;
}

/* ------------------------------------------------------------ builder */

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

void flow_builder_init(struct flow_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void flow_builder_reset(struct flow_builder *b)
{
	b->afi = 0;
	b->has_rd = false;
	memset(b->rd, 0, sizeof(b->rd));
	b->n = 0;
}

void flow_builder_free(struct flow_builder *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* A route can not hold more components than its largest NLRI has bytes. */
#define FLOW_MAX_ITEMS (FLOW_MAX_LEN / 2)

static struct flow_item *push(struct flow_builder *b, char *err, size_t errlen)
{
	if (b->n == b->cap) {
		if (b->cap >= FLOW_MAX_ITEMS) {
			fail(err, errlen, "too many components in one flow route");
			return NULL;
		}
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct flow_item *v = realloc(b->v, cap * sizeof(*v));
		if (!v) {
			fail(err, errlen, "out of memory");
			return NULL;
		}
		b->v = v;
		b->cap = cap;
	}
	struct flow_item *it = &b->v[b->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

int flow_add_prefix(struct flow_builder *b, uint8_t type, const char *text, char *err, size_t errlen)
{
	char ip[64];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	uint8_t addr[16] = {0};
	uint8_t afi;
	uint64_t plen, offset = 0;
	if (n >= sizeof(ip))
		return fail(err, errlen, "\"%s\" is not a valid flow prefix", text);
	memcpy(ip, text, n);
	ip[n] = '\0';
	if (strchr(ip, ':')) {
		if (inet_pton(AF_INET6, ip, addr) != 1)
			return fail(err, errlen, "\"%s\" is not a valid IPv6 address", ip);
		afi = AFI_IPV6;
	} else {
		if (inet_pton(AF_INET, ip, addr) != 1)
			return fail(err, errlen, "\"%s\" is not a valid IPv4 address", ip);
		afi = AFI_IPV4;
	}
	int maxlen = afi == AFI_IPV4 ? 32 : 128;
	plen = (uint64_t)maxlen;
	if (slash) {
		const char *s2 = strchr(slash + 1, '/');
		char num[8];
		size_t m = s2 ? (size_t)(s2 - slash - 1) : strlen(slash + 1);
		if (m >= sizeof(num))
			return fail(err, errlen, "\"%s\": invalid prefix length", text);
		memcpy(num, slash + 1, m);
		num[m] = '\0';
		if (parse_decimal_max(num, (uint64_t)maxlen, &plen) < 0)
			return fail(err, errlen, "\"%s\": invalid prefix length (0..%d)", text, maxlen);
		if (s2) {
			if (afi == AFI_IPV4)
				return fail(err, errlen, "\"%s\": an offset is only valid for IPv6 prefixes", text);
			if (parse_decimal_max(s2 + 1, 127, &offset) < 0)
				return fail(err, errlen, "\"%s\": invalid offset (0..127)", text);
		}
	}
	if (b->afi && b->afi != afi)
		return fail(err, errlen, "\"%s\": IPv4 and IPv6 prefixes can not be mixed in one flow route", text);
	struct flow_item *it = push(b, err, errlen);
	if (!it)
		return -1;
	b->afi = afi;
	it->type = type;
	it->afi = afi;
	it->plen = (uint8_t)plen;
	it->offset = (uint8_t)offset;
	memcpy(it->addr, addr, 16);
	return 0;
}

/* Operator prefix of one item; returns the rest of the text, or NULL. */
static const char *numeric_operator(const char *s, uint8_t *op)
{
	switch (s[0]) {
	case '\0':
		return NULL;
	case '=':
		*op = FLOW_OP_EQ;
		return s + 1;
	case '>':
	case '<':
		*op = s[0] == '>' ? FLOW_OP_GT : FLOW_OP_LT;
		if (s[1] == '=') {
			*op |= FLOW_OP_EQ;
			return s + 2;
		}
		return s[1] ? s + 1 : NULL;
	case '!':
		if (s[1] != '=')
			return NULL;
		*op = FLOW_OP_LT | FLOW_OP_GT;
		return s + 2;
	default:
		break;
	}
	if (!strncasecmp(s, "true", 4)) {
		*op = FLOW_OP_LT | FLOW_OP_GT | FLOW_OP_EQ;
		return s + 4;
	}
	if (!strncasecmp(s, "false", 5)) {
		*op = 0;
		return s + 5;
	}
	*op = FLOW_OP_EQ;
	return s;
}

static const char *bitmask_operator(const char *s, uint8_t *op)
{
	if (s[0] == '=') {
		*op = FLOW_OP_MATCH;
		return s + 1;
	}
	if (s[0] == '!') {
		if (s[1] == '=') {
			*op = FLOW_OP_NOT | FLOW_OP_MATCH;
			return s + 2;
		}
		*op = FLOW_OP_NOT;
		return s + 1;
	}
	*op = 0;
	return s;
}

int flow_add_condition(struct flow_builder *b, const struct flow_keyword *k, const char *word, char *err,
		       size_t errlen)
{
	const struct flow_component_def *c = flow_component(k->type);
	if (!c || c->kind == FLOW_KIND_PREFIX)
		return fail(err, errlen, "%s does not take a condition", k->kw);
	size_t n0 = b->n;
	uint8_t and_bit = 0;
	const char *s = word;
	for (;;) {
		uint8_t op;
		const char *v = c->kind == FLOW_KIND_NUMERIC ? numeric_operator(s, &op) : bitmask_operator(s, &op);
		if (!v) {
			b->n = n0;
			return fail(err, errlen, "%s: invalid expression \"%s\"", k->kw, word);
		}
		const char *amp = strchr(v, '&');
		size_t vlen = amp ? (size_t)(amp - v) : strlen(v);
		char val[64];
		uint64_t value = 0;
		if (vlen >= sizeof(val)) {
			b->n = n0;
			return fail(err, errlen, "%s: value too long in \"%s\"", k->kw, word);
		}
		memcpy(val, v, vlen);
		val[vlen] = '\0';
		bool truefalse = c->kind == FLOW_KIND_NUMERIC && (op == 0 || op == 7);
		if (vlen || !truefalse) {
			if (k->parse(val, &value) < 0) {
				b->n = n0;
				return fail(err, errlen, "%s: invalid value \"%s\"", k->kw, val);
			}
			if (value > k->max) {
				b->n = n0;
				return fail(err, errlen, "%s: value %s is too large (at most %u)", k->kw, val,
					    (unsigned)k->max);
			}
		}
		struct flow_item *it = push(b, err, errlen);
		if (!it) {
			b->n = n0;
			return -1;
		}
		it->type = k->type;
		it->op = (uint8_t)(op | and_bit);
		it->value = value;
		if (!amp)
			return 0;
		s = amp + 1;
		if (!*s) {
			b->n = n0;
			return fail(err, errlen, "%s: an expression can not end with '&' (\"%s\")", k->kw, word);
		}
		and_bit = FLOW_OP_AND;
	}
}

/* Value length code (the ll bits) and byte count for a value of a component. */
static unsigned value_len(const struct flow_component_def *c, uint64_t v)
{
	if (c->width == 1 || v < 0x100)
		return 1;
	if (c->width == 2 || v < 0x10000)
		return 2;
	return 4;
}

int flow_encode(const struct flow_builder *b, uint8_t *out, size_t cap, char *err, size_t errlen)
{
	uint8_t buf[FLOW_MAX_LEN + 64];
	struct wbuf w;
	wb_init_fixed(&w, buf, sizeof(buf));
	if (!b->n)
		return fail(err, errlen, "a flow route needs at least one match condition");
	if (b->has_rd)
		wb_bytes(&w, b->rd, 8);
	for (uint8_t t = 1; t <= FLOW_TYPE_MAX; t++) {
		const struct flow_component_def *c = flow_component(t);
		size_t last = SIZE_MAX, count = 0;
		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].type == t) {
				last = i;
				count++;
			}
		if (!count)
			continue;
		if (c->kind != FLOW_KIND_PREFIX)
			wb_u8(&w, t);
		for (size_t i = 0; i <= last; i++) {
			const struct flow_item *it = &b->v[i];
			if (it->type != t)
				continue;
			if (c->kind == FLOW_KIND_PREFIX) {
				wb_u8(&w, t);
				wb_u8(&w, it->plen);
				if (it->afi == AFI_IPV6)
					wb_u8(&w, it->offset);
				wb_bytes(&w, it->addr, (it->plen + 7u) / 8u);
				continue;
			}
			unsigned len = value_len(c, it->value);
			uint8_t op = (uint8_t)(it->op | (len == 1 ? 0x00 : len == 2 ? 0x10 : 0x20));
			if (i == last)
				op |= FLOW_OP_EOL;
			wb_u8(&w, op);
			for (unsigned k = len; k-- > 0;)
				wb_u8(&w, (uint8_t)(it->value >> (8 * k)));
		}
	}
	if (w.err || w.len > FLOW_MAX_LEN)
		return fail(err, errlen, "the flow route is too long (%zu bytes, at most %d)", w.len, FLOW_MAX_LEN);
	size_t hdr = w.len < 0xF0 ? 1 : 2;
	if (hdr + w.len > cap)
		return fail(err, errlen, "the flow route is too long (%zu bytes)", w.len);
	if (hdr == 1) {
		out[0] = (uint8_t)w.len;
	} else {
		out[0] = (uint8_t)(0xF0 | (w.len >> 8));
		out[1] = (uint8_t)w.len;
	}
	memcpy(out + hdr, buf, w.len);
	return (int)(hdr + w.len);
}
