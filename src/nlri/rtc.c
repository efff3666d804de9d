/* Route Target membership NLRI (RFC 4684, AFI 1 SAFI 132 "ipv4 rtc").
 *
 *   +-------------------------------+
 *   | Length (1 octet, in bits)     |  0 (the default route), or 32..96
 *   +-------------------------------+
 *   | Origin AS (4 octets)          |  RFC 4684 4: present whenever the
 *   +-------------------------------+  length is not 0
 *   | Route Target (0..8 octets)    |  an extended community (RFC 4360),
 *   +-------------------------------+  possibly a prefix of one
 *
 * The NLRI is a prefix of up to 96 bits, so it is decoded as one (into
 * nlri_item.pfx: plen, then the origin AS and route target in addr).
 * Text, as Debian's ExaBGP 4.2 prints an RTC route:
 *   rtc wildcard                       length 0
 *   rtc 65000:target:65000:100         origin AS, then the route target's
 *                                      text with its type's transitive and
 *                                      IANA bits cleared ("0x" and 16 hex
 *                                      digits for types it does not know)
 * ExaBGP 4.2 fails on a route target prefix (a length between 32 and 96)
 * and has no JSON for RTC at all (its encoder raises); fastbgp prints a
 * prefix as the zero-padded route target followed by "/BITS", and this
 * JSON, named after ExaBGP's own fields:
 *   { "origin": 65000, "rt": "target:65000:100", "string": "rtc 65000:target:65000:100" }
 *   { "string": "rtc wildcard" } */
#include "nlri/nlri_codec.h"

#include "attr/attr_table.h" /* sb_* writers, extcommunity_string */
#include "nlri/family.h"
#include "wire/buf.h"

#define RTC_MAX_BITS 96 /* origin AS (32) + route target (64) */

static long rtc_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
		       struct nlri_item *out)
{
	(void)fd;
	(void)withdraw;
	long used = nlri_prefix_decode(p, len, RTC_MAX_BITS / 8, &out->pfx);
	/* RFC 4684 4: a length of 1..31 would cut the origin AS. */
	if (used < 0 || (out->pfx.plen && out->pfx.plen < 32))
		return -1;
	return used;
}

static size_t rtc_encode(const struct nlri_item *it, uint8_t *out)
{
	return labeled_nlri_encode(out, NULL, 0, NULL, it->pfx.addr, it->pfx.plen);
}

static uint32_t rtc_origin(const struct nlri_item *it)
{
	const uint8_t *a = it->pfx.addr;
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* The route target's text (zero padded, then "/BITS" when the NLRI holds
 * only a prefix of it). */
static void rtc_target(struct wbuf *w, const struct nlri_item *it)
{
	uint8_t rt[8];
	memcpy(rt, it->pfx.addr + 4, 8);
	rt[0] &= (uint8_t)~0xC0; /* the community's transitive / IANA bits mean nothing here */
	if (!extcommunity_string(w, rt))
		sb_printf(w, "0x%02X%02X%02X%02X%02X%02X%02X%02X", rt[0], rt[1], rt[2], rt[3], rt[4], rt[5], rt[6],
			  rt[7]);
	if (it->pfx.plen < RTC_MAX_BITS) {
		wb_u8(w, '/');
		sb_u32(w, it->pfx.plen - 32u);
	}
}

static void rtc_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	(void)nexthop; /* ExaBGP's text of the route has none */
	sb_puts(w, "rtc ");
	if (!it->pfx.plen) {
		sb_puts(w, "wildcard");
		return;
	}
	sb_u32(w, rtc_origin(it));
	wb_u8(w, ':');
	rtc_target(w, it);
}

static void rtc_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)compact;
	wb_u8(w, '{');
	if (it->pfx.plen) {
		sb_puts(w, " \"origin\": ");
		sb_u32(w, rtc_origin(it));
		sb_puts(w, ", \"rt\": \"");
		rtc_target(w, it);
		sb_puts(w, "\",");
	}
	sb_puts(w, " \"string\": \"");
	rtc_text(w, it, nexthop);
	sb_puts(w, "\" }");
}

/* ExaBGP 4.2 has no ADD-PATH for RTC. */
const struct nlri_codec nlri_codec_rtc = {rtc_decode, rtc_encode, NULL, rtc_text, rtc_json, false};
