/* FlowSpec NLRI decoder: wire bytes to ExaBGP's text and JSON forms (see
 * flowspec.h).  Every read is bounds-checked against the NLRI's own length;
 * output is written only for a well-formed NLRI. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nlri/family.h"
#include "nlri/flowspec.h"

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

static void put_str(struct wbuf *w, const char *s)
{
	wb_bytes(w, s, strlen(s));
}

long flow_nlri_size(const uint8_t *p, size_t len)
{
	size_t hdr, body;
	if (len < 1)
		return -1;
	if ((p[0] & 0xF0) == 0xF0) {
		if (len < 2)
			return -1;
		hdr = 2;
		body = ((size_t)(p[0] & 0x0F) << 8) | p[1];
	} else {
		hdr = 1;
		body = p[0];
	}
	if (hdr + body > len)
		return -1;
	return (long)(hdr + body);
}

/* RFC 8955 4.2 / RFC 8956 3: one component's value after its type byte,
 * checked without printing: a prefix no longer than the address with its
 * bytes present, or an (operator, value) list ending with the end-of-list
 * bit and every value present. */
static int check_component(const struct flow_component_def *c, uint16_t afi, struct rbuf *r, char *err, size_t errlen)
{
	if (c->kind == FLOW_KIND_PREFIX) {
		uint8_t plen, offset;
		if (rb_u8(r, &plen) < 0 || (afi == AFI_IPV6 && rb_u8(r, &offset) < 0))
			return fail(err, errlen, "truncated flow prefix");
		if (plen > (afi == AFI_IPV4 ? 32 : 128))
			return fail(err, errlen, "flow prefix length %u is longer than the address", plen);
		if (rb_skip(r, (plen + 7u) / 8u) < 0)
			return fail(err, errlen, "truncated flow prefix");
		return 0;
	}
	for (;;) {
		uint8_t opb;
		if (rb_u8(r, &opb) < 0)
			return fail(err, errlen, "truncated %s operator list (no end-of-list bit)", c->name4);
		if (rb_skip(r, 1u << ((opb & FLOW_OP_LEN) >> 4)) < 0)
			return fail(err, errlen, "truncated %s value", c->name4);
		if (opb & FLOW_OP_EOL)
			return 0;
	}
}

int flow_nlri_check(uint16_t afi, uint8_t safi, const uint8_t *nlri, size_t len, char *err, size_t errlen)
{
	long size = flow_nlri_size(nlri, len);
	if (size < 0 || (size_t)size != len)
		return fail(err, errlen, "invalid flow NLRI length");
	if (afi != AFI_IPV4 && afi != AFI_IPV6)
		return fail(err, errlen, "flow routes of AFI %u are not known", afi);
	if (safi != SAFI_FLOW && safi != SAFI_FLOW_VPN)
		return fail(err, errlen, "SAFI %u is not a flow SAFI", safi);
	size_t hdr = (nlri[0] & 0xF0) == 0xF0 ? 2 : 1;
	struct rbuf r;
	rb_init(&r, nlri + hdr, len - hdr);
	if (safi == SAFI_FLOW_VPN && rb_skip(&r, 8) < 0)
		return fail(err, errlen, "flow-vpn NLRI too short for its route distinguisher");
	/* No component would be a rule matching every packet: a sender never
	 * means that, and ExaBGP prints it as invalid JSON. */
	if (!rb_left(&r))
		return fail(err, errlen, "flow NLRI without any component");
	uint8_t prev = 0;
	while (rb_left(&r)) {
		uint8_t type;
		rb_u8(&r, &type);
		const struct flow_component_def *c = flow_component(type);
		/* An unknown type's length cannot be known, so the rest of the
		 * NLRI cannot be read (RFC 8955 4.2; type 13 is IPv6 only, RFC 8956). */
		if (!c || !(c->afis & (afi == AFI_IPV4 ? 1 : 2)))
			return fail(err, errlen, "unknown flowspec component %u for %s", type,
				    afi == AFI_IPV4 ? "ipv4" : "ipv6");
		/* RFC 8955 4.2: components in increasing type order. */
		if (type < prev)
			return fail(err, errlen, "flowspec components are not in order (%u after %u)", type, prev);
		prev = type;
		if (check_component(c, afi, &r, err, errlen) < 0)
			return -1;
	}
	return 0;
}

void flow_rd_format(struct wbuf *w, const uint8_t rd[8])
{
	char b[40];
	uint16_t t = get_u16(rd);
	int n;
	if (t == 0)
		n = snprintf(b, sizeof(b), "%u:%u", get_u16(rd + 2), get_u32(rd + 4));
	else if (t == 1)
		n = snprintf(b, sizeof(b), "%u.%u.%u.%u:%u", rd[2], rd[3], rd[4], rd[5], get_u16(rd + 6));
	else if (t == 2)
		n = snprintf(b, sizeof(b), "%u:%u", get_u32(rd + 2), get_u16(rd + 6));
	else
		n = snprintf(b, sizeof(b), "0x%02X%02X%02X%02X%02X%02X%02X%02X", rd[0], rd[1], rd[2], rd[3], rd[4],
			     rd[5], rd[6], rd[7]);
	wb_bytes(w, b, (size_t)n);
}

/* ExaBGP's operator text; NULL for "true"/"false" (printed without their
 * value) is signalled through *bare. */
static const char *numeric_op_text(uint8_t op, int *bare, char hex[3])
{
	*bare = 0;
	switch (op) {
	case 0x07: *bare = 1; return "true";
	case 0x00: *bare = 1; return "false";
	case 0x04: return "<";
	case 0x02: return ">";
	case 0x01: return "=";
	case 0x05: return "<=";
	case 0x03: return ">=";
	case 0x06: return "!=";
	case 0x47: return "&true";
	case 0x44: return "&<";
	case 0x42: return "&>";
	case 0x41: return "&=";
	case 0x45: return "&<=";
	case 0x43: return "&>=";
	case 0x46: return "&!=";
	case 0x40: return "&false";
	default:
		snprintf(hex, 3, "%02X", op);
		return hex;
	}
}

static const char *bitmask_op_text(uint8_t op, char hex[3])
{
	switch (op) {
	case 0x00: return "";
	case 0x02: return "!";
	case 0x01: return "=";
	case 0x03: return "!=";
	case 0x40: return "&";
	case 0x42: return "&!";
	case 0x41: return "&=";
	case 0x43: return "&!=";
	default:
		snprintf(hex, 3, "%02X", op);
		return hex;
	}
}

/* The group of components of one type being printed. */
struct group {
	const struct flow_component_def *c;
	const char *name;
	unsigned count;
	struct wbuf text; /* items, ' ' between ORed ones */
	struct wbuf json; /* "item", ", " between ORed ones */
};

static void item_begin(struct group *g, int and_bit)
{
	if (g->count && !and_bit) {
		wb_u8(&g->text, ' ');
		put_str(&g->json, ", ");
	}
	wb_u8(&g->json, '"');
	g->count++;
}

static void item_text(struct group *g, const char *s, size_t n)
{
	wb_bytes(&g->text, s, n);
	wb_bytes(&g->json, s, n);
}

/* A bitmask value: the text has its names joined with '+' ("=fin+push");
 * ExaBGP's JSON has one element per name, each with the operator
 * ("=fin", "=push"), and writes a fragment's "!is-fragment" as
 * "not-a-fragment" there. */
static void bitmask_item(struct group *g, const char *op, const char *names, size_t n)
{
	static const char not_is[] = "!is-fragment";
	wb_bytes(&g->text, op, strlen(op));
	wb_bytes(&g->text, names, n);
	size_t start = 0;
	while (start <= n) {
		const char *plus = memchr(names + start, '+', n - start);
		size_t end = plus ? (size_t)(plus - names) : n;
		char part[96];
		int len = snprintf(part, sizeof(part), "%s%.*s", op, (int)(end - start), names + start);
		if (len < 0 || (size_t)len >= sizeof(part))
			len = (int)sizeof(part) - 1;
		if (start)
			put_str(&g->json, "\", \"");
		const char *hit = g->c->type == FLOW_FRAGMENT ? strstr(part, not_is) : NULL;
		if (hit) {
			wb_bytes(&g->json, part, (size_t)(hit - part));
			put_str(&g->json, "not-a-fragment");
			put_str(&g->json, hit + strlen(not_is));
		} else {
			wb_bytes(&g->json, part, (size_t)len);
		}
		start = end + 1;
	}
}

static void item_end(struct group *g)
{
	wb_u8(&g->json, '"');
}

/* Appends the finished group to the route's text and JSON. */
static void group_flush(struct group *g, struct wbuf *text, struct wbuf *json, int *ngroups)
{
	if (!g->c)
		return;
	wb_u8(text, ' ');
	put_str(text, g->name);
	wb_u8(text, ' ');
	if (g->count > 1)
		put_str(text, "[ ");
	wb_bytes(text, g->text.data, g->text.len);
	if (g->count > 1)
		put_str(text, " ]");

	if (*ngroups)
		wb_u8(json, ',');
	put_str(json, " \"");
	put_str(json, g->name);
	put_str(json, "\": [ ");
	/* ExaBGP joins the quoted items of an AND chain and then removes every
	 * empty pair of quotes from the list ("a""&b" -> "a&b") */
	for (size_t i = 0; i < g->json.len; i++) {
		if (g->json.data[i] == '"' && i + 1 < g->json.len && g->json.data[i + 1] == '"') {
			i++;
			continue;
		}
		wb_u8(json, g->json.data[i]);
	}
	put_str(json, " ]");
	(*ngroups)++;
	g->c = NULL;
	g->count = 0;
	wb_reset(&g->text);
	wb_reset(&g->json);
}

/* One prefix component; *p is after the type byte. */
static int decode_prefix(struct group *g, uint16_t afi, struct rbuf *r, char *err, size_t errlen)
{
	uint8_t plen, offset = 0;
	uint8_t addr[16] = {0};
	char ip[INET6_ADDRSTRLEN];
	char b[INET6_ADDRSTRLEN + 16];
	int maxlen = afi == AFI_IPV4 ? 32 : 128;
	if (rb_u8(r, &plen) < 0 || (afi == AFI_IPV6 && rb_u8(r, &offset) < 0))
		return fail(err, errlen, "truncated flow prefix");
	if (plen > maxlen)
		return fail(err, errlen, "flow prefix length %u is longer than the address", plen);
	if (rb_bytes(r, addr, (plen + 7u) / 8u) < 0)
		return fail(err, errlen, "truncated flow prefix");
	inet_ntop(afi == AFI_IPV4 ? AF_INET : AF_INET6, addr, ip, sizeof(ip));
	int n = afi == AFI_IPV4 ? snprintf(b, sizeof(b), "%s/%u", ip, plen)
				: snprintf(b, sizeof(b), "%s/%u/%u", ip, plen, offset);
	item_begin(g, 0);
	item_text(g, b, (size_t)n);
	item_end(g);
	return 0;
}

/* The (operator, value) list of a numeric or bitmask component. */
static int decode_ops(struct group *g, struct rbuf *r, char *err, size_t errlen)
{
	struct wbuf v;
	uint8_t vb[96];
	wb_init_fixed(&v, vb, sizeof(vb));
	for (;;) {
		uint8_t opb;
		if (rb_u8(r, &opb) < 0)
			return fail(err, errlen, "truncated %s operator list (no end-of-list bit)", g->name);
		unsigned len = 1u << ((opb & FLOW_OP_LEN) >> 4);
		uint8_t raw[8];
		if (rb_bytes(r, raw, len) < 0)
			return fail(err, errlen, "truncated %s value", g->name);
		uint64_t value = 0;
		for (unsigned i = 0; i < len; i++)
			value = (value << 8) | raw[i];
		uint8_t op = opb & (uint8_t) ~(FLOW_OP_EOL | FLOW_OP_LEN);
		char hex[3];
		int bare = 0;
		const char *ot = g->c->kind == FLOW_KIND_NUMERIC ? numeric_op_text(op, &bare, hex)
								 : bitmask_op_text(op, hex);
		item_begin(g, op & FLOW_OP_AND);
		if (g->c->kind == FLOW_KIND_BITMASK) {
			wb_reset(&v);
			g->c->format(&v, value);
			bitmask_item(g, ot, (const char *)v.data, v.len);
		} else {
			item_text(g, ot, strlen(ot));
			if (!bare) {
				wb_reset(&v);
				g->c->format(&v, value);
				item_text(g, (const char *)v.data, v.len);
			}
		}
		item_end(g);
		if (opb & FLOW_OP_EOL)
			return 0;
	}
}

static int decode(uint16_t afi, uint8_t safi, const uint8_t *nlri, size_t len, const char *nexthop,
		  struct wbuf *text, struct wbuf *json, char *err, size_t errlen)
{
	if (flow_nlri_check(afi, safi, nlri, len, err, errlen) < 0)
		return -1;
	size_t hdr = (nlri[0] & 0xF0) == 0xF0 ? 2 : 1;
	struct rbuf r;
	rb_init(&r, nlri + hdr, len - hdr);
	uint8_t rd[8];
	if (safi == SAFI_FLOW_VPN && rb_bytes(&r, rd, 8) < 0)
		return fail(err, errlen, "flow-vpn NLRI too short for its route distinguisher");

	struct group g;
	memset(&g, 0, sizeof(g));
	wb_init(&g.text, 64);
	wb_init(&g.json, 64);
	int ngroups = 0, rc = 0;
	uint8_t prev = 0;
	wb_bytes(text, "flow", 4);
	wb_u8(json, '{');
	while (rb_left(&r)) {
		uint8_t type;
		rb_u8(&r, &type);
		const struct flow_component_def *c = flow_component(type);
		if (!c || !(c->afis & (afi == AFI_IPV4 ? 1 : 2))) {
			rc = fail(err, errlen, "unknown flowspec component %u for %s", type,
				  afi == AFI_IPV4 ? "ipv4" : "ipv6");
			break;
		}
		if (type < prev) {
			rc = fail(err, errlen, "flowspec components are not in order (%u after %u)", type, prev);
			break;
		}
		if (type != prev)
			group_flush(&g, text, json, &ngroups);
		prev = type;
		g.c = c;
		g.name = afi == AFI_IPV4 ? c->name4 : c->name6;
		rc = c->kind == FLOW_KIND_PREFIX ? decode_prefix(&g, afi, &r, err, errlen)
						 : decode_ops(&g, &r, err, errlen);
		if (rc < 0)
			break;
	}
	if (rc == 0) {
		group_flush(&g, text, json, &ngroups);
		if (safi == SAFI_FLOW_VPN) {
			put_str(text, " rd ");
			flow_rd_format(text, rd);
			put_str(json, ", \"rd\": \"");
			flow_rd_format(json, rd);
			wb_u8(json, '"');
		}
		if (nexthop) {
			put_str(text, " next-hop ");
			put_str(text, nexthop);
			put_str(json, ", \"next-hop\": \"");
			put_str(json, nexthop);
			wb_u8(json, '"');
		}
	}
	if (g.text.err || g.json.err)
		rc = fail(err, errlen, "out of memory");
	wb_free(&g.text);
	wb_free(&g.json);
	return rc;
}

int flow_format(uint16_t afi, uint8_t safi, const uint8_t *nlri, size_t len, const char *nexthop, struct wbuf *text,
		struct wbuf *json, char *err, size_t errlen)
{
	struct wbuf t, j;
	wb_init(&t, 128);
	wb_init(&j, 256);
	int rc = decode(afi, safi, nlri, len, nexthop, &t, &j, err, errlen);
	if (rc == 0 && (t.err || j.err))
		rc = fail(err, errlen, "out of memory");
	if (rc == 0) {
		put_str(&j, ", \"string\": \"");
		wb_bytes(&j, t.data, t.len);
		put_str(&j, "\" }");
		if (text)
			wb_bytes(text, t.data, t.len);
		if (json)
			wb_bytes(json, j.data, j.len);
	}
	wb_free(&t);
	wb_free(&j);
	return rc;
}
