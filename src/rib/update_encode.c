/* Per-peer attribute encoding (see update_encode.h). */
#include "rib/update_encode.h"

#include <string.h>

#include "nlri/family.h"
#include "wire/header.h"

void encode_attribute(struct wbuf *w, uint8_t flags, uint8_t code, const uint8_t *val, size_t len)
{
	if (len > 255)
		flags |= ATTR_FLAG_EXTLEN;
	wb_u8(w, flags);
	wb_u8(w, code);
	if (flags & ATTR_FLAG_EXTLEN)
		wb_u16(w, (uint16_t)len);
	else
		wb_u8(w, (uint8_t)len);
	wb_bytes(w, val, len);
}

void encode_nexthop(const struct encode_ctx *c, const struct nexthop *in, struct nexthop *out)
{
	*out = *in;
	if (in->kind != NH_SELF)
		return;
	memset(out, 0, sizeof(*out));
	out->kind = NH_IP;
	/* An explicit AFI hint (the route's family) wins; otherwise the session's. */
	int want6 = in->len == 16 ? 1 : in->len == 4 ? 0 : c->self_is_v6;
	if (want6 && c->has_self6) {
		out->len = 16;
		memcpy(out->addr, c->self6, 16);
	} else if (c->has_self4) {
		out->len = 4;
		memcpy(out->addr, c->self4, 4);
	} else if (c->has_self6) {
		out->len = 16;
		memcpy(out->addr, c->self6, 16);
	}
}

static bool is_link_local(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; /* fe80::/10 */
}

void encode_link_local(const struct encode_ctx *c, int family, struct nexthop *nh)
{
	const struct family_def *fd = &family_table[family];
	if (!c->has_link_local || nh->kind != NH_IP || nh->len != 16 || fd->afi != AFI_IPV6 || fd->nh_rd_len ||
	    is_link_local(nh->addr))
		return;
	memcpy(nh->addr + 16, c->link_local, 16);
	nh->len = 32;
}

/* Does the AS_PATH value start with an AS_SEQUENCE whose first ASN is asn? */
static int path_starts_with(const uint8_t *v, size_t len, uint32_t asn)
{
	return len >= 6 && v[0] == AS_SEQUENCE && v[1] >= 1 && get_u32(v + 2) == asn;
}

/* Writes a canonical (4-octet) AS_PATH value, optionally prepending asn,
 * with 2- or 4-octet ASNs.  The 4 KB stack buffer in encode_aspath() has
 * no room to grow: wb_room() sets ->err and the caller retries on the heap.  Returns whether an ASN did not fit in 2 octets. */
static int write_aspath_value(struct wbuf *w, const uint8_t *v, size_t len, int prepend, uint32_t asn,
			      int four)
{
	int trans = 0;
	size_t i = 0;
	if (prepend) {
		/* Merge into a leading AS_SEQUENCE when there is room (max 255 ASNs). */
		if (len >= 2 && v[0] == AS_SEQUENCE && v[1] < 255) {
			wb_u8(w, AS_SEQUENCE);
			wb_u8(w, (uint8_t)(v[1] + 1));
			if (four)
				wb_u32(w, asn);
			else {
				trans |= asn > 0xFFFF;
				wb_u16(w, asn > 0xFFFF ? AS_TRANS : (uint16_t)asn);
			}
			for (unsigned k = 0; k < v[1] && 2 + 4 * (k + 1) <= len; k++) {
				uint32_t a = get_u32(v + 2 + 4 * k);
				if (four)
					wb_u32(w, a);
				else {
					trans |= a > 0xFFFF;
					wb_u16(w, a > 0xFFFF ? AS_TRANS : (uint16_t)a);
				}
			}
			i = 2 + 4 * (size_t)v[1];
		} else {
			wb_u8(w, AS_SEQUENCE);
			wb_u8(w, 1);
			if (four)
				wb_u32(w, asn);
			else {
				trans |= asn > 0xFFFF;
				wb_u16(w, asn > 0xFFFF ? AS_TRANS : (uint16_t)asn);
			}
		}
	}
	while (i + 2 <= len) {
		uint8_t type = v[i], count = v[i + 1];
		i += 2;
		wb_u8(w, type);
		wb_u8(w, count);
		for (unsigned k = 0; k < count && i + 4 <= len; k++, i += 4) {
			uint32_t a = get_u32(v + i);
			if (four)
				wb_u32(w, a);
			else {
				trans |= a > 0xFFFF;
				wb_u16(w, a > 0xFFFF ? AS_TRANS : (uint16_t)a);
			}
		}
	}
	return trans;
}

static void encode_aspath(struct wbuf *w, uint8_t flags, const uint8_t *v, size_t len,
			  const struct encode_ctx *c)
{
	int prepend = c->ebgp && !path_starts_with(v, len, c->local_as);
	/* The value is built in place after a 4-byte header, then the header is
	 * written to fit (1- or 2-byte length). */
	uint8_t tmp[4096];
	struct wbuf t;
	wb_init_fixed(&t, tmp, sizeof(tmp));
	int trans = write_aspath_value(&t, v, len, prepend, c->local_as, c->asn4);
	if (t.err) {
		/* Longer than 4 KB: fall back to a heap buffer. */
		struct wbuf h;
		wb_init(&h, len + 8);
		trans = write_aspath_value(&h, v, len, prepend, c->local_as, c->asn4);
		encode_attribute(w, flags, ATTR_AS_PATH, h.data, h.len);
		wb_free(&h);
	} else {
		encode_attribute(w, flags, ATTR_AS_PATH, t.data, t.len);
	}
	if (!c->asn4 && trans) {
		/* RFC 6793 4.2.2: the real path travels in AS4_PATH (optional transitive). */
		struct wbuf h;
		wb_init(&h, len + 8);
		write_aspath_value(&h, v, len, prepend, c->local_as, 1);
		encode_attribute(w, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, ATTR_AS4_PATH, h.data, h.len);
		wb_free(&h);
	}
}

static void encode_aggregator(struct wbuf *w, uint8_t flags, const uint8_t *v, size_t len,
			      const struct encode_ctx *c)
{
	if (len != 8 || c->asn4) {
		encode_attribute(w, flags, ATTR_AGGREGATOR, v, len);
		return;
	}
	uint32_t asn = get_u32(v);
	uint8_t out[6];
	put_u16(out, asn > 0xFFFF ? AS_TRANS : (uint16_t)asn);
	memcpy(out + 2, v + 4, 4);
	encode_attribute(w, flags, ATTR_AGGREGATOR, out, 6);
	if (asn > 0xFFFF)
		encode_attribute(w, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, ATTR_AS4_AGGREGATOR, v, 8);
}

/* Default and session-dependent attributes that sort before code `upto`. */
static void emit_missing(struct wbuf *w, const struct attrset *s, const struct encode_ctx *c,
			 unsigned *next_default, unsigned upto, const struct nexthop *nh, int family)
{
	while (*next_default < upto) {
		unsigned code = (*next_default)++;
		switch (code) {
		case ATTR_ORIGIN: {
			uint8_t igp = ORIGIN_IGP;
			encode_attribute(w, ATTR_FLAG_TRANSITIVE, ATTR_ORIGIN, &igp, 1);
			break;
		}
		case ATTR_AS_PATH:
			encode_aspath(w, ATTR_FLAG_TRANSITIVE, NULL, 0, c);
			break;
		case ATTR_NEXT_HOP:
			if (nh->kind == NH_IP && nh->len == 4 && family_table[family].nh_attr)
				encode_attribute(w, ATTR_FLAG_TRANSITIVE, ATTR_NEXT_HOP, nh->addr, 4);
			break;
		case ATTR_LOCAL_PREF:
			if (!c->ebgp) {
				uint8_t lp[4];
				put_u32(lp, 100);
				encode_attribute(w, ATTR_FLAG_TRANSITIVE, ATTR_LOCAL_PREF, lp, 4);
			}
			break;
		default:
			break;
		}
	}
	(void)s;
}

void encode_attributes(struct wbuf *w, const struct attrset *s, const struct encode_ctx *c, int family)
{
	struct nexthop nh;
	encode_nexthop(c, &s->nh, &nh);
	unsigned next_default = ATTR_ORIGIN; /* codes below this are done */
	struct attr_iter it;
	struct attr_view a;
	attr_iter_init(&it, s);
	while (attr_iter_next(&it, &a)) {
		emit_missing(w, s, c, &next_default, a.code, &nh, family);
		if (a.code <= ATTR_LOCAL_PREF && a.code >= next_default)
			next_default = a.code + 1u;
		switch (a.code) {
		case ATTR_AS_PATH:
			encode_aspath(w, a.flags, a.val, a.len, c);
			break;
		case ATTR_NEXT_HOP:
			/* The stream never holds it (next-hop lives in ->nh). */
			break;
		case ATTR_LOCAL_PREF:
			if (!c->ebgp)
				encode_attribute(w, a.flags, a.code, a.val, a.len);
			break;
		case ATTR_AGGREGATOR:
			encode_aggregator(w, a.flags, a.val, a.len, c);
			break;
		case ATTR_MP_REACH_NLRI:
		case ATTR_MP_UNREACH_NLRI:
			break;
		default:
			encode_attribute(w, a.flags, a.code, a.val, a.len);
			break;
		}
	}
	emit_missing(w, s, c, &next_default, ATTR_LOCAL_PREF + 1u, &nh, family);
}

void encode_eor(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
	wb_u16(w, 0); /* withdrawn routes length */
	int fam = family_find(afi, safi);
	if (fam >= 0 && family_table[fam].base_nlri) { /* RFC 4724 2 */
		wb_u16(w, 0);
	} else {
		uint8_t v[3];
		put_u16(v, afi);
		v[2] = safi;
		wb_u16(w, 7);
		/* ExaBGP always writes MP_UNREACH with the extended-length flag. */
		encode_attribute(w, ATTR_FLAG_OPTIONAL | ATTR_FLAG_EXTLEN, ATTR_MP_UNREACH_NLRI, v, 3);
	}
	bgp_msg_end(w, start);
}
