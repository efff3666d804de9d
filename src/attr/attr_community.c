/* COMMUNITIES (RFC 1997), EXTENDED COMMUNITIES (RFC 4360), IPv6 address
 * specific extended communities (RFC 5701) and LARGE_COMMUNITY (RFC 8092):
 * validation (RFC 7606 7.8, 7.14, 7.15, RFC 8092 6) and ExaBGP's output. */
#include <math.h> /* isnan, isinf: macros, no libm */
#include <stdlib.h>
#include <string.h>

#include "attr/attr_table.h"

/* Values are lists of fixed-size items: the length must be a non-zero
 * multiple of the item size. */
static int list_validate(const struct attr_def *d, size_t len, size_t item, struct attr_verdict *v)
{
	if (len == 0)
		return attr_malformed(d, v, "empty list");
	if (len % item)
		return attr_malformed(d, v, "length is not a multiple of the item size");
	return v->action = ATTR_OK;
}

int community_validate(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
		       struct attr_verdict *v)
{
	(void)val, (void)ctx;
	return list_validate(d, len, 4, v);
}

int extcommunity_validate(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
			  struct attr_verdict *v)
{
	(void)val, (void)ctx;
	return list_validate(d, len, 8, v);
}

int ipv6_extcommunity_validate(const struct attr_def *d, const uint8_t *val, size_t len,
			       const struct attr_ctx *ctx, struct attr_verdict *v)
{
	(void)val, (void)ctx;
	return list_validate(d, len, 20, v);
}

int largecommunity_validate(const struct attr_def *d, const uint8_t *val, size_t len, const struct attr_ctx *ctx,
			    struct attr_verdict *v)
{
	(void)val, (void)ctx;
	return list_validate(d, len, 12, v);
}

/* ---- sorting helpers: ExaBGP prints communities sorted in text form ---- */

static int cmp_items(const void *a, const void *b, void *item)
{
	return memcmp(*(const uint8_t *const *)a, *(const uint8_t *const *)b, *(const size_t *)item);
}

/* Array of pointers to the n items of val, sorted by value (byte order, as
 * Python compares ExaBGP's packed communities); NULL on allocation failure. */
static const uint8_t **sorted_items(const uint8_t *val, size_t n, size_t item)
{
	const uint8_t **v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = val + i * item;
	qsort_r(v, n, sizeof(*v), cmp_items, &item);
	return v;
}

/* Prints "x" for one item, "[ x y ]" for more, in sorted order; dedup drops
 * repeated values (ExaBGP does for large communities). */
static void put_sorted(struct wbuf *w, const uint8_t *val, size_t n, size_t item, int dedup,
		       void (*put)(struct wbuf *, const uint8_t *))
{
	const uint8_t **v = sorted_items(val, n, item);
	if (!v) {
		w->err = 1;
		return;
	}
	size_t k = 0;
	if (dedup) {
		for (size_t i = 0; i < n; i++)
			if (!k || memcmp(v[k - 1], v[i], item))
				v[k++] = v[i];
	} else {
		k = n;
	}
	if (k == 1) {
		put(w, v[0]);
	} else {
		sb_puts(w, "[ ");
		for (size_t i = 0; i < k; i++) {
			if (i)
				wb_u8(w, ' ');
			put(w, v[i]);
		}
		sb_puts(w, " ]");
	}
	free(v);
}

/* dup[i] = 1 when item i equals an earlier item; NULL on allocation failure. */
static uint8_t *dup_mask(const uint8_t *val, size_t n, size_t item)
{
	const uint8_t **v = sorted_items(val, n, item);
	uint8_t *dup = calloc(n ? n : 1, 1);
	if (!v || !dup) {
		free(v);
		free(dup);
		return NULL;
	}
	/* Equal items are adjacent, and the sort is by value only: the first
	 * occurrence of a run is the one with the lowest address. */
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		const uint8_t *first = v[i];
		while (j < n && !memcmp(v[i], v[j], item)) {
			if (v[j] < first)
				first = v[j];
			j++;
		}
		for (size_t k = i; k < j; k++)
			if (v[k] != first)
				dup[(size_t)(v[k] - val) / item] = 1;
		i = j;
	}
	free(v);
	return dup;
}

/* ---- standard communities ---- */

static void put_community(struct wbuf *w, const uint8_t *c)
{
	switch (get_u32(c)) {
	case COMMUNITY_NO_EXPORT:
		sb_puts(w, "no-export");
		return;
	case COMMUNITY_NO_ADVERTISE:
		sb_puts(w, "no-advertise");
		return;
	case COMMUNITY_NO_EXPORT_SUBCONFED:
		sb_puts(w, "no-export-subconfed");
		return;
	case COMMUNITY_NOPEER:
		sb_puts(w, "no-peer");
		return;
	case COMMUNITY_BLACKHOLE:
		sb_puts(w, "blackhole");
		return;
	default:
		sb_u32(w, get_u16(c));
		wb_u8(w, ':');
		sb_u32(w, get_u16(c + 2));
	}
}

void community_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 4) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"community\": [ ");
	for (size_t i = 0; i < len; i += 4) {
		if (i)
			sb_puts(w, ", ");
		sb_puts(w, "[ ");
		sb_u32(w, get_u16(val + i));
		sb_puts(w, ", ");
		sb_u32(w, get_u16(val + i + 2));
		sb_puts(w, " ]");
	}
	sb_puts(w, " ]");
}

void community_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 4) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " community ");
	put_sorted(w, val, len / 4, 4, 0, put_community);
}

/* ---- large communities: ExaBGP drops duplicates when decoding ---- */

static void put_large(struct wbuf *w, const uint8_t *c)
{
	sb_u32(w, get_u32(c));
	wb_u8(w, ':');
	sb_u32(w, get_u32(c + 4));
	wb_u8(w, ':');
	sb_u32(w, get_u32(c + 8));
}

void largecommunity_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 12) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	uint8_t *dup = dup_mask(val, len / 12, 12);
	if (!dup) {
		w->err = 1;
		return;
	}
	sb_puts(w, "\"large-community\": [ ");
	int first = 1;
	for (size_t i = 0; i < len; i += 12) {
		if (dup[i / 12])
			continue;
		if (!first)
			sb_puts(w, ", ");
		first = 0;
		sb_puts(w, "[ ");
		sb_u32(w, get_u32(val + i));
		sb_puts(w, ", ");
		sb_u32(w, get_u32(val + i + 4));
		sb_puts(w, " , ");
		sb_u32(w, get_u32(val + i + 8));
		sb_puts(w, " ]");
	}
	sb_puts(w, " ]");
	free(dup);
}

void largecommunity_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 12) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " large-community ");
	put_sorted(w, val, len / 12, 12, 1, put_large);
}

/* ---- extended communities ---- */

/* Python's '%d' % float: the integer part, exactly. */
static void put_float_int(struct wbuf *w, float f)
{
	if (isnan(f)) {
		sb_puts(w, "nan");
		return;
	}
	if (isinf(f)) {
		sb_puts(w, f > 0 ? "inf" : "-inf");
		return;
	}
	double t = (double)f;
	if (t > -9.2e18 && t < 9.2e18) /* drop the fraction (no libm needed) */
		t = (double)(long long)t;
	if (t == 0)
		t = 0; /* no "-0" */
	sb_printf(w, "%.0f", t);
}

static float get_float(const uint8_t *p)
{
	uint32_t u = get_u32(p);
	float f;
	memcpy(&f, &u, sizeof(f));
	return f;
}

static const char *encap_name(uint16_t t)
{
	switch (t) {
	case 0: return "Default";
	case 1: return "L2TPv3";
	case 2: return "GRE";
	case 7: return "IP-in-IP";
	case 8: return "VXLAN";
	case 9: return "NVGRE";
	case 10: return "MPLS";
	case 12: return "VXLAN-GPE";
	case 13: return "MPLS-in-UDP";
	default: return NULL;
	}
}

/* Route target, route origin and RT record share their three layouts. */
static void put_rt_like(struct wbuf *w, const char *what, uint8_t kind, const uint8_t *c)
{
	sb_puts(w, what);
	wb_u8(w, ':');
	switch (kind) {
	case 0: /* 2-octet AS : 4-byte number */
		sb_u32(w, get_u16(c + 2));
		wb_u8(w, ':');
		sb_u32(w, get_u32(c + 4));
		break;
	case 1: /* IPv4 : 2-byte number */
		sb_ipv4(w, c + 2);
		wb_u8(w, ':');
		sb_u32(w, get_u16(c + 6));
		break;
	default: /* 4-octet AS "L" : 2-byte number */
		sb_u32(w, get_u32(c + 2));
		sb_puts(w, "L:");
		sb_u32(w, get_u16(c + 6));
		break;
	}
}

int extcommunity_string(struct wbuf *w, const uint8_t c[8])
{
	/* ExaBGP keys its decoders on (type & 0x0F, subtype): the IANA and
	 * transitive bits are ignored (Quagga sent non-transitive RTs). */
	uint8_t type = c[0] & 0x0F, sub = c[1];
	switch ((type << 8) | sub) {
	case 0x0002:
	case 0x0102:
	case 0x0202:
		put_rt_like(w, "target", type, c);
		return 1;
	case 0x0013:
	case 0x0113:
	case 0x0213:
		put_rt_like(w, "rtrecord", type, c);
		return 1;
	case 0x0003: /* origin: ASN2 then IPv4 */
		sb_puts(w, "origin:");
		sb_u32(w, get_u16(c + 2));
		wb_u8(w, ':');
		sb_ipv4(w, c + 4);
		return 1;
	case 0x0103: /* sic: ExaBGP swaps its constructor arguments, the ASN comes first */
		sb_puts(w, "origin:");
		sb_u32(w, get_u16(c + 6));
		wb_u8(w, ':');
		sb_ipv4(w, c + 2);
		return 1;
	case 0x0203:
		sb_puts(w, "origin:");
		sb_u32(w, get_u32(c + 2));
		sb_puts(w, "L:");
		sb_u32(w, get_u16(c + 6));
		return 1;
	case 0x0006: /* FlowSpec traffic-rate (RFC 8955 7.3) */
		sb_puts(w, "rate-limit:");
		put_float_int(w, get_float(c + 4));
		return 1;
	case 0x0007: { /* traffic-action */
		int sample = c[7] & 0x02, terminal = c[7] & 0x01;
		sb_puts(w, "action ");
		if (sample)
			sb_puts(w, "sample");
		if (sample && terminal)
			wb_u8(w, '-');
		if (terminal)
			sb_puts(w, "terminal");
		return 1;
	}
	case 0x0008: /* redirect, 2-octet AS */
		sb_puts(w, "redirect:");
		sb_u32(w, get_u16(c + 2));
		wb_u8(w, ':');
		sb_u32(w, get_u32(c + 4));
		return 1;
	case 0x0208: /* redirect, 4-octet AS (ExaBGP 4.2 recurses forever here) */
		sb_puts(w, "redirect:");
		sb_u32(w, get_u32(c + 2));
		wb_u8(w, ':');
		sb_u32(w, get_u16(c + 6));
		return 1;
	case 0x0009:
		sb_puts(w, "mark ");
		sb_u32(w, c[7]);
		return 1;
	case 0x010C: /* redirect to IPv4 next-hop, draft-ietf-idr-flowspec-redirect-ip */
		sb_puts(w, (get_u16(c + 6) & 1) ? "copy-to-nexthop-ietf " : "redirect-to-nexthop-ietf ");
		sb_ipv4(w, c + 2);
		if (get_u16(c + 6) & 1)
			sb_puts(w, " (with copy)");
		return 1;
	case 0x0800: /* draft-simpson-idr-flowspec-redirect */
		sb_puts(w, (c[7] & 1) ? "copy-to-nexthop" : "redirect-to-nexthop");
		return 1;
	case 0x000A: /* layer 2 info (RFC 4761 3.2.4) */
		sb_printf(w, "l2info:%u:%u:%u:%u", c[2], c[3], get_u16(c + 4), get_u16(c + 6));
		return 1;
	case 0x030C: { /* encapsulation (RFC 9012) */
		const char *n = encap_name(get_u16(c + 6));
		if (n)
			sb_printf(w, "encap:%s", n);
		else /* sic: ExaBGP repeats the prefix */
			sb_printf(w, "encap:encap:UNKNOWN-%u", get_u16(c + 6));
		return 1;
	}
	case 0x0314:
		sb_puts(w, "consistentHashSortOrder:");
		sb_u32(w, get_u32(c + 2));
		return 1;
	case 0x0702: { /* FlowSpec interface-set */
		static const char *const dir[] = {NULL, "input", "output", "input-output"};
		uint16_t t = get_u16(c + 6);
		sb_puts(w, "interface-set:");
		if (dir[t >> 14])
			sb_puts(w, dir[t >> 14]);
		else
			sb_u32(w, t >> 14);
		wb_u8(w, ':');
		sb_u32(w, get_u32(c + 2));
		wb_u8(w, ':');
		sb_u32(w, t & 0x1FFF); /* sic: ExaBGP masks 13 bits */
		return 1;
	}
	case 0x0600: /* EVPN MAC mobility (RFC 7432 7.7) */
		sb_puts(w, "mac-mobility:");
		sb_u32(w, get_u32(c + 4));
		if (c[2] == 1)
			sb_puts(w, ":sticky");
		return 1;
	default:
		return 0;
	}
}

/* ExaBGP re-encodes MAC mobility communities from their fields: the JSON
 * value and the text sort order follow the re-encoded bytes. */
static void ext_canon(const uint8_t *in, uint8_t *out)
{
	memcpy(out, in, 8);
	if ((in[0] & 0x0F) == 0x06 && in[1] == 0x00) {
		out[0] = 0x06;
		out[2] = in[2] == 1;
		out[3] = 0;
	}
}

static void put_ext(struct wbuf *w, const uint8_t *c)
{
	if (!extcommunity_string(w, c)) {
		sb_puts(w, "0x");
		sb_hex(w, c, 8, 1);
	}
}

void extcommunity_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 8) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"extended-community\": [ ");
	for (size_t i = 0; i < len; i += 8) {
		uint8_t c[8];
		ext_canon(val + i, c);
		uint64_t v = ((uint64_t)get_u32(c) << 32) | get_u32(c + 4);
		if (i)
			sb_puts(w, ", ");
		sb_puts(w, "{ \"value\": ");
		sb_u64(w, v);
		sb_puts(w, ", \"string\": \"");
		extcommunity_string(w, val + i);
		sb_puts(w, "\" }");
	}
	sb_puts(w, " ]");
}

void extcommunity_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 8) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	uint8_t *canon = malloc(len);
	if (!canon) {
		w->err = 1;
		return;
	}
	for (size_t i = 0; i < len; i += 8)
		ext_canon(val + i, canon + i);
	sb_puts(w, " extended-community ");
	put_sorted(w, canon, len / 8, 8, 0, put_ext);
	free(canon);
}

/* ---- IPv6 address specific extended communities ---- */

static void put_ext6(struct wbuf *w, const uint8_t *c)
{
	uint8_t type = c[0] & 0x0F, sub = c[1];
	if (type == 0 && sub == 0x0C) { /* redirect to IPv6 next-hop */
		int copy = get_u16(c + 18) & 1;
		sb_puts(w, copy ? "copy-to-nexthop-ietf " : "redirect-to-nexthop-ietf ");
		sb_ipv6(w, c + 2);
		if (copy)
			sb_puts(w, " (with copy)");
		return;
	}
	if (type == 0 && sub == 0x0B) { /* FlowSpec redirect IPv6 (ExaBGP 4.2 fails to decode it) */
		sb_puts(w, "redirect ");
		sb_ipv6(w, c + 2);
		wb_u8(w, ':');
		sb_u32(w, get_u16(c + 18));
		return;
	}
	/* Python's "0x%016X" of a 160-bit number: no leading zeros past 16 digits. */
	size_t skip = 0;
	while (skip < 12 && c[skip] == 0)
		skip++;
	struct wbuf hex;
	char tmp[41];
	wb_init_fixed(&hex, tmp, sizeof(tmp));
	sb_hex(&hex, c + skip, 20 - skip, 1);
	size_t digits = hex.len, lead = 0;
	while (digits - lead > 16 && tmp[lead] == '0')
		lead++;
	sb_puts(w, "0x");
	wb_bytes(w, tmp + lead, digits - lead);
}

/* ExaBGP has no JSON representation for code 25: it prints the generic key
 * with the decoded text as the value. */
void ipv6_extcommunity_json(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 20) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_printf(w, "\"attribute-0x%02X-0x%02X\": \"", code, flags);
	put_sorted(w, val, len / 20, 20, 0, put_ext6);
	wb_u8(w, '"');
}

void ipv6_extcommunity_text(struct wbuf *w, uint8_t code, uint8_t flags, const uint8_t *val, size_t len)
{
	if (len == 0 || len % 20) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_printf(w, " attribute [ 0x%02X 0x%02X ", code, flags);
	put_sorted(w, val, len / 20, 20, 0, put_ext6);
	sb_puts(w, " ]");
}
