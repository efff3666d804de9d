/* EVPN NLRI (AFI 25 l2vpn, SAFI 70 evpn; RFC 7432 7, RFC 9136 3.1).
 *
 *   +-----------------------------------+
 *   | Route Type (1 octet)              |
 *   +-----------------------------------+
 *   | Length (1 octet)                  |  of the route type specific part
 *   +-----------------------------------+
 *   | Route Type specific (variable)    |
 *   +-----------------------------------+
 *
 * The route type specific parts (RD: route distinguisher, 8 octets; ESI:
 * Ethernet segment identifier, 10; tag: Ethernet tag ID, 4; label: one
 * MPLS label, 3; IP lengths are in bits):
 *   1 Ethernet A-D (RFC 7432 7.1)       RD ESI tag label                  25
 *   2 MAC/IP advertisement (7.2)        RD ESI tag maclen(48) MAC(6)
 *                                       iplen(0/32/128) IP label [label2] 33..52
 *   3 inclusive multicast tag (7.3)     RD tag iplen(32/128) IP           17, 29
 *   4 Ethernet segment (7.4)            RD ESI iplen(32/128) IP           23, 35
 *   5 IP prefix (RFC 9136 3.1)          RD ESI tag plen IP GW label       34, 58
 *     (IP and gateway both IPv4 or both IPv6: the length says which)
 *
 * A route whose length overruns the field cannot be delimited, nor can one
 * of a known type whose lengths disagree with its layout (its key cannot
 * be found, so it cannot be withdrawn): RFC 7606 5.3 leaves AFI/SAFI
 * disable or session reset, and fastbgp resets.  A route of a type it does
 * not know is delimited by its length and shown as ExaBGP shows it ("code",
 * "parsed": false, "raw").
 *
 * Nothing of the route is copied into struct nlri_item: the printers and
 * the rib key read the NLRI bytes (nlri_item.nlri) again, as ExaBGP does
 * from its packed form.  Text and JSON are Debian's ExaBGP 4.2's (its
 * str() of the route; it has no text form with a next-hop):
 *   evpn:ethernetad::65000:100:01:02:03:04:05:06:07:08:09:10:5: label 100 (1601)
 *   evpn:macadv::RD:ESI:TAG:00:11:22:33:44:55/48:IP: label N (RAW)
 *   evpn:multicast::RD:TAG:IP
 *   evpn:segment::RD:ESI:IP
 *   evpn:prfxadv::RD:ESI:TAG:IP/LEN:GW: label N (RAW)
 *   evpn:unknown:0xHEX
 * An all-zero ESI prints as "-"; a label as its 20-bit value, then the raw
 * 24 bits in parentheses when they are not zero (ExaBGP's Labels). */
#include "nlri/nlri_codec.h"

#include "attr/attr_table.h" /* sb_* writers */
#include "nlri/family.h"
#include "nlri/vpn.h"
#include "wire/buf.h"

enum evpn_type {
	EVPN_ETHERNET_AD = 1,
	EVPN_MAC_IP = 2,
	EVPN_MULTICAST = 3,
	EVPN_SEGMENT = 4,
	EVPN_IP_PREFIX = 5,
};

#define EVPN_RD 8
#define EVPN_ESI 10
#define EVPN_TAG 4
#define EVPN_LABEL 3
#define EVPN_MAC 6

/* Offsets in the route type specific part (after type and length). */
#define OFF_ESI EVPN_RD
#define OFF_TAG_AD (EVPN_RD + EVPN_ESI) /* types 1, 2, 5 */
#define OFF_MACLEN (OFF_TAG_AD + EVPN_TAG)
#define OFF_IPLEN_MAC (OFF_MACLEN + 1 + EVPN_MAC)

/* One entry per route type: its names and the check of its layout. */
struct evpn_type_def {
	const char *name;  /* ExaBGP's NAME (JSON "name") */
	const char *short_name; /* ExaBGP's SHORT_NAME, lower case (text) */
	int (*check)(const uint8_t *v, size_t len);
};

/* 1: RD ESI tag label (RFC 7432 7.1). */
static int check_ad(const uint8_t *v, size_t len)
{
	(void)v;
	return len == OFF_TAG_AD + EVPN_TAG + EVPN_LABEL;
}

/* 2: the IP length is 0, 32 or 128 bits and one or two labels follow
 * (RFC 7432 7.2, RFC 8365 5.1.3); the MAC length is 48 bits. */
static int check_mac(const uint8_t *v, size_t len)
{
	if (len < OFF_IPLEN_MAC + 1 || v[OFF_MACLEN] != 48)
		return 0;
	unsigned iplen = v[OFF_IPLEN_MAC];
	if (iplen != 0 && iplen != 32 && iplen != 128)
		return 0;
	size_t base = OFF_IPLEN_MAC + 1 + iplen / 8;
	return len == base + EVPN_LABEL || len == base + 2 * EVPN_LABEL;
}

/* 3: RD tag iplen IP (RFC 7432 7.3). */
static int check_multicast(const uint8_t *v, size_t len)
{
	const size_t at = EVPN_RD + EVPN_TAG;
	return len > at && (v[at] == 32 || v[at] == 128) && len == at + 1 + v[at] / 8u;
}

/* 4: RD ESI iplen IP (RFC 7432 7.4). */
static int check_segment(const uint8_t *v, size_t len)
{
	const size_t at = EVPN_RD + EVPN_ESI;
	return len > at && (v[at] == 32 || v[at] == 128) && len == at + 1 + v[at] / 8u;
}

/* 5: RD ESI tag plen IP GW label, 34 octets for IPv4, 58 for IPv6, the
 * prefix length within the address (RFC 9136 3.1). */
static int check_prefix(const uint8_t *v, size_t len)
{
	const size_t at = OFF_TAG_AD + EVPN_TAG;
	if (len == at + 1 + 4 + 4 + EVPN_LABEL)
		return v[at] <= 32;
	if (len == at + 1 + 16 + 16 + EVPN_LABEL)
		return v[at] <= 128;
	return 0;
}

static const struct evpn_type_def evpn_types[] = {
	[EVPN_ETHERNET_AD] = {"Ethernet Auto-Discovery", "ethernetad", check_ad},
	[EVPN_MAC_IP] = {"MAC/IP advertisement", "macadv", check_mac},
	[EVPN_MULTICAST] = {"Inclusive Multicast Ethernet Tag", "multicast", check_multicast},
	[EVPN_SEGMENT] = {"Ethernet Segment", "segment", check_segment},
	[EVPN_IP_PREFIX] = {"IP Prefix Advertisement", "prfxadv", check_prefix},
};

static const struct evpn_type_def *evpn_type(uint8_t code)
{
	return code < sizeof(evpn_types) / sizeof(evpn_types[0]) ? (evpn_types[code].name ? &evpn_types[code] : NULL)
								  : NULL;
}

static long evpn_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			struct nlri_item *out)
{
	(void)fd;
	(void)withdraw;
	(void)out;
	if (len < 2 || (size_t)p[1] + 2 > len)
		return -1;
	const struct evpn_type_def *t = evpn_type(p[0]);
	if (t && !t->check(p + 2, p[1]))
		return -1;
	return 2 + p[1];
}

/* The route's key (RFC 7432 7.1-7.4, RFC 9136 3.1): the ESI and the labels
 * of A-D and MAC/IP routes, and the ESI, gateway and label of IP prefix
 * routes are attributes of the announcement, not part of its name. */
static size_t evpn_key(const struct nlri_item *it, uint8_t *out)
{
	const uint8_t *p = it->nlri, *v = p + 2;
	size_t n = 0;
	out[n++] = p[0];
	switch (p[0]) {
	case EVPN_ETHERNET_AD: /* RD ESI tag */
		memcpy(out + n, v, OFF_TAG_AD + EVPN_TAG);
		return n + OFF_TAG_AD + EVPN_TAG;
	case EVPN_MAC_IP: { /* RD tag MAC IP (the key's length tells the IP's) */
		memcpy(out + n, v, EVPN_RD);
		n += EVPN_RD;
		memcpy(out + n, v + OFF_TAG_AD, EVPN_TAG);
		n += EVPN_TAG;
		memcpy(out + n, v + OFF_MACLEN + 1, EVPN_MAC);
		n += EVPN_MAC;
		size_t ip = v[OFF_IPLEN_MAC] / 8u;
		memcpy(out + n, v + OFF_IPLEN_MAC + 1, ip);
		return n + ip;
	}
	case EVPN_IP_PREFIX: { /* RD tag plen IP */
		size_t ip = it->nlri_len == 2 + 34 ? 4 : 16;
		memcpy(out + n, v, EVPN_RD);
		n += EVPN_RD;
		memcpy(out + n, v + OFF_TAG_AD, EVPN_TAG + 1 + ip);
		return n + EVPN_TAG + 1 + ip;
	}
	default: /* types 3 and 4, unknown types: the whole NLRI */
		return 0;
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_rd(struct wbuf *w, const uint8_t *rd)
{
	char buf[32];
	rd_format(buf, sizeof(buf), rd);
	sb_puts(w, buf);
}

/* n octets in hex, separated by colons (ESI lower case, MAC upper case, as
 * ExaBGP writes them); without printf: this runs for every route shown. */
static void put_colon_hex(struct wbuf *w, const uint8_t *p, size_t n, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[3 * EVPN_ESI];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf[k++] = ':';
		buf[k++] = digits[p[i] >> 4];
		buf[k++] = digits[p[i] & 15];
	}
	wb_bytes(w, buf, k);
}

/* "-" for the all-zero ESI (a single-homed site), else lower-case hex. */
static void put_esi(struct wbuf *w, const uint8_t *esi)
{
	static const uint8_t zero[EVPN_ESI];
	if (!memcmp(esi, zero, EVPN_ESI))
		wb_u8(w, '-');
	else
		put_colon_hex(w, esi, EVPN_ESI, 0);
}

static void put_mac(struct wbuf *w, const uint8_t *mac)
{
	put_colon_hex(w, mac, EVPN_MAC, 1);
}

static void put_ip(struct wbuf *w, const uint8_t *ip, size_t len)
{
	if (len == 16)
		sb_ipv6(w, ip);
	else
		sb_ipv4(w, ip);
}

static uint32_t raw_label(const uint8_t *l)
{
	return (uint32_t)l[0] << 16 | (uint32_t)l[1] << 8 | l[2];
}

/* ExaBGP's label: " label 100 (1601)" in text, "[ [100, 1601] ]" in JSON,
 * the raw 24 bits left out when zero. */
static void put_label_text(struct wbuf *w, const uint8_t *l)
{
	uint32_t raw = raw_label(l);
	sb_puts(w, " label ");
	sb_u32(w, raw >> 4);
	if (raw) {
		sb_puts(w, " (");
		sb_u32(w, raw);
		wb_u8(w, ')');
	}
}

static void put_label_json(struct wbuf *w, const uint8_t *l)
{
	uint32_t raw = raw_label(l);
	sb_puts(w, "\"label\": [ [");
	sb_u32(w, raw >> 4);
	if (raw) {
		sb_puts(w, ", ");
		sb_u32(w, raw);
	}
	sb_puts(w, "] ]");
}

static void evpn_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	(void)nexthop; /* ExaBGP's text of an EVPN route has none */
	const uint8_t *p = it->nlri, *v = p + 2;
	const struct evpn_type_def *t = evpn_type(p[0]);
	if (!t) {
		sb_puts(w, "evpn:unknown:0x");
		sb_hex(w, v, p[1], 0);
		return;
	}
	sb_printf(w, "evpn:%s::", t->short_name);
	put_rd(w, v);
	wb_u8(w, ':');
	switch (p[0]) {
	case EVPN_ETHERNET_AD:
		put_esi(w, v + OFF_ESI);
		sb_printf(w, ":%u:", get32(v + OFF_TAG_AD));
		put_label_text(w, v + OFF_TAG_AD + EVPN_TAG);
		break;
	case EVPN_MAC_IP: {
		size_t ip = v[OFF_IPLEN_MAC] / 8u;
		put_esi(w, v + OFF_ESI);
		sb_printf(w, ":%u:", get32(v + OFF_TAG_AD));
		put_mac(w, v + OFF_MACLEN + 1);
		sb_printf(w, "/%u:", v[OFF_MACLEN]);
		if (ip)
			put_ip(w, v + OFF_IPLEN_MAC + 1, ip);
		wb_u8(w, ':');
		put_label_text(w, v + OFF_IPLEN_MAC + 1 + ip);
		break;
	}
	case EVPN_MULTICAST:
		sb_printf(w, "%u:", get32(v + EVPN_RD));
		put_ip(w, v + EVPN_RD + EVPN_TAG + 1, v[EVPN_RD + EVPN_TAG] / 8u);
		break;
	case EVPN_SEGMENT:
		put_esi(w, v + OFF_ESI);
		wb_u8(w, ':');
		put_ip(w, v + OFF_TAG_AD + 1, v[OFF_TAG_AD] / 8u);
		break;
	case EVPN_IP_PREFIX: {
		size_t ip = p[1] == 34 ? 4 : 16;
		const uint8_t *a = v + OFF_TAG_AD + EVPN_TAG + 1;
		put_esi(w, v + OFF_ESI);
		sb_printf(w, ":%u:", get32(v + OFF_TAG_AD));
		put_ip(w, a, ip);
		sb_printf(w, "/%u:", v[OFF_TAG_AD + EVPN_TAG]);
		put_ip(w, a + ip, ip);
		wb_u8(w, ':');
		put_label_text(w, a + 2 * ip);
		break;
	}
	}
}

static void json_ip(struct wbuf *w, const char *name, const uint8_t *ip, size_t len)
{
	wb_u8(w, '"');
	sb_puts(w, name);
	sb_puts(w, "\": \"");
	put_ip(w, ip, len);
	wb_u8(w, '"');
}

static void put_tag_json(struct wbuf *w, uint32_t tag)
{
	sb_puts(w, "\"ethernet-tag\": ");
	sb_u32(w, tag);
	sb_puts(w, ", ");
}

static void json_esi(struct wbuf *w, const uint8_t *esi)
{
	sb_puts(w, "\"esi\": \"");
	put_esi(w, esi);
	sb_puts(w, "\", ");
}

/* ExaBGP's JSON of the route, member for member and space for space. */
static void evpn_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)nexthop;
	(void)compact; /* ExaBGP has no compact form for EVPN */
	const uint8_t *p = it->nlri, *v = p + 2;
	const struct evpn_type_def *t = evpn_type(p[0]);
	sb_puts(w, "{ \"code\": ");
	sb_u32(w, p[0]);
	sb_puts(w, t ? ", \"parsed\": true, \"raw\": \"" : ", \"parsed\": false, \"raw\": \"");
	sb_hex(w, p, it->nlri_len, 1);
	if (!t) {
		sb_puts(w, "\" }");
		return;
	}
	sb_puts(w, "\", \"name\": \"");
	sb_puts(w, t->name);
	sb_puts(w, "\", \"rd\": \"");
	put_rd(w, v);
	sb_puts(w, "\", ");
	switch (p[0]) {
	case EVPN_ETHERNET_AD:
		json_esi(w, v + OFF_ESI);
		put_tag_json(w, get32(v + OFF_TAG_AD));
		put_label_json(w, v + OFF_TAG_AD + EVPN_TAG);
		sb_puts(w, " }");
		break;
	case EVPN_MAC_IP: {
		size_t ip = v[OFF_IPLEN_MAC] / 8u;
		json_esi(w, v + OFF_ESI);
		put_tag_json(w, get32(v + OFF_TAG_AD));
		sb_puts(w, "\"mac\": \"");
		put_mac(w, v + OFF_MACLEN + 1);
		sb_puts(w, "\", ");
		put_label_json(w, v + OFF_IPLEN_MAC + 1 + ip);
		if (ip) {
			sb_puts(w, ", ");
			json_ip(w, "ip", v + OFF_IPLEN_MAC + 1, ip);
		}
		sb_puts(w, " }");
		break;
	}
	case EVPN_MULTICAST:
		put_tag_json(w, get32(v + EVPN_RD));
		json_ip(w, "ip", v + EVPN_RD + EVPN_TAG + 1, v[EVPN_RD + EVPN_TAG] / 8u);
		sb_puts(w, " }");
		break;
	case EVPN_SEGMENT:
		json_esi(w, v + OFF_ESI);
		json_ip(w, "ip", v + OFF_TAG_AD + 1, v[OFF_TAG_AD] / 8u);
		sb_puts(w, " }");
		break;
	case EVPN_IP_PREFIX: {
		size_t ip = p[1] == 34 ? 4 : 16;
		const uint8_t *a = v + OFF_TAG_AD + EVPN_TAG + 1;
		json_esi(w, v + OFF_ESI);
		put_tag_json(w, get32(v + OFF_TAG_AD));
		put_label_json(w, a + 2 * ip);
		sb_puts(w, ", ");
		json_ip(w, "ip", a, ip);
		sb_puts(w, ", \"iplen\": ");
		sb_u32(w, v[OFF_TAG_AD + EVPN_TAG]);
		sb_puts(w, ", ");
		json_ip(w, "gateway", a + ip, ip);
		sb_puts(w, " }");
		break;
	}
	}
}

/* A route is kept and re-sent as received (encode 0); ExaBGP 4.2 has no
 * ADD-PATH for EVPN ("addpath not supported yet"). */
static size_t evpn_reencode(const struct nlri_item *it, uint8_t *out)
{
	(void)it;
	(void)out;
	return 0;
}

const struct nlri_codec nlri_codec_evpn = {evpn_decode, evpn_reencode, evpn_key, evpn_text, evpn_json, false};
