/* PMSI_TUNNEL (RFC 6514 5), AIGP (RFC 7311), BGP Prefix-SID (RFC 8669) and
 * the BGP-LS attribute (RFC 7752, structure only): validation and ExaBGP's
 * output. */
#include <string.h>

#include "attr/attr_table.h"

/* ---- PMSI tunnel: [flags:1][tunnel type:1][MPLS label:3][tunnel id] ---- */

ATTR_VALIDATE_FN(pmsi_validate)
{
	(void)val, (void)ctx;
	if (len < 5)
		return attr_malformed(d, v, "PMSI tunnel shorter than 5 bytes");
	return v->action = ATTR_OK;
}

static void put_pmsi(struct wbuf *w, const uint8_t *val, size_t len)
{
	static const char *const names[] = {
		"notunnel", "rsvp-tep2mplsp", "mldpp2mplsp", "pim-ssmtree",
		"pim-smtree", "bidir-pimtree", "ingressreplication", "mldpmp2mplsp",
	};
	uint8_t flags = val[0], type = val[1];
	uint32_t raw = ((uint32_t)val[2] << 16) | ((uint32_t)val[3] << 8) | val[4];
	uint32_t label = raw >> 4;
	const uint8_t *tun = val + 5;
	size_t tlen = len - 5;
	sb_printf(w, "pmsi:%s:%u:", type < 8 ? names[type] : "unknown", flags);
	/* ExaBGP keeps the raw label only for ingress replication. */
	if (type == 6 && raw)
		sb_printf(w, "%u(%u)", label, raw);
	else
		sb_u32(w, label);
	wb_u8(w, ':');
	if (type == 0)
		return;
	if (type == 6 && tlen == 4) {
		sb_ipv4(w, tun);
	} else if (type == 6 && tlen == 16) {
		sb_ipv6(w, tun);
	} else if (tlen) {
		sb_puts(w, "0x");
		sb_hex(w, tun, tlen, 1);
	}
}

ATTR_PRINT_FN(pmsi_json)
{
	if (len < 5) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"pmsi\": \"");
	put_pmsi(w, val, len);
	wb_u8(w, '"');
}

ATTR_PRINT_FN(pmsi_text)
{
	if (len < 5) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " pmsi ");
	put_pmsi(w, val, len);
}

/* ---- TLV walkers shared by AIGP, Prefix-SID and BGP-LS ---- */

struct tlv {
	uint16_t type;
	uint16_t len; /* value length */
	const uint8_t *val;
};

/* AIGP counts the 3-byte header in its length; Prefix-SID does not. */
enum tlv_style { TLV_AIGP, TLV_PREFIX_SID, TLV_BGPLS };

static int tlv_next(struct rbuf *r, enum tlv_style style, struct tlv *t)
{
	uint8_t t8;
	uint16_t l;
	if (style == TLV_BGPLS) {
		if (rb_u16(r, &t->type) < 0)
			return -1;
	} else {
		if (rb_u8(r, &t8) < 0)
			return -1;
		t->type = t8;
	}
	if (rb_u16(r, &l) < 0)
		return -1;
	if (style == TLV_AIGP) {
		if (l < 3)
			return -1;
		l = (uint16_t)(l - 3);
	}
	t->len = l;
	t->val = rb_cur(r);
	return rb_skip(r, l);
}

/* ---- AIGP: TLVs [type:1][length:2 incl. header][value]; type 1 = 8-byte metric ---- */

static const char *aigp_check(const uint8_t *val, size_t len, uint64_t *metric)
{
	struct rbuf r;
	struct tlv t;
	int found = 0;
	rb_init(&r, val, len);
	while (rb_left(&r)) {
		if (tlv_next(&r, TLV_AIGP, &t) < 0)
			return "malformed AIGP TLV";
		if (t.type == 1) {
			if (t.len != 8)
				return "AIGP TLV length is not 11";
			if (!found && metric)
				*metric = ((uint64_t)get_u32(t.val) << 32) | get_u32(t.val + 4);
			found = 1;
		}
	}
	return found ? NULL : "no AIGP TLV";
}

ATTR_VALIDATE_FN(aigp_validate)
{
	(void)ctx;
	const char *why = aigp_check(val, len, NULL);
	if (why)
		return attr_malformed(d, v, why);
	return v->action = ATTR_OK;
}

/* ExaBGP prints the last 8 bytes of the value in hex ("aigp 0x...64") in
 * text, and the same unquoted in JSON, which is not JSON: we print the
 * metric as a number there. */
ATTR_PRINT_FN(aigp_json)
{
	uint64_t metric = 0;
	if (aigp_check(val, len, &metric)) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"aigp\": ");
	sb_u64(w, metric);
}

ATTR_PRINT_FN(aigp_text)
{
	if (aigp_check(val, len, NULL)) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " aigp 0x");
	sb_hex(w, val + len - 8, 8, 0);
}

/* ---- BGP Prefix-SID: TLVs [type:1][length:2][value] ---- */

static const char *prefixsid_check(const uint8_t *val, size_t len)
{
	struct rbuf r;
	struct tlv t;
	rb_init(&r, val, len);
	if (len == 0)
		return "empty Prefix-SID";
	while (rb_left(&r)) {
		if (tlv_next(&r, TLV_PREFIX_SID, &t) < 0)
			return "malformed Prefix-SID TLV";
		if (t.type == 1 && t.len != 7) /* RFC 8669 3.1 */
			return "Label-Index TLV length is not 7";
		if (t.type == 3 && (t.len < 2 || (t.len - 2) % 6)) /* RFC 8669 3.2 */
			return "malformed Originator SRGB TLV";
	}
	return NULL;
}

ATTR_VALIDATE_FN(prefixsid_validate)
{
	(void)ctx;
	const char *why = prefixsid_check(val, len);
	if (why)
		return attr_malformed(d, v, why);
	return v->action = ATTR_OK;
}

static uint32_t get_u24(const uint8_t *p)
{
	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

ATTR_PRINT_FN(prefixsid_json)
{
	if (prefixsid_check(val, len)) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	struct rbuf r;
	struct tlv t;
	rb_init(&r, val, len);
	sb_puts(w, "\"bgp-prefix-sid\": { ");
	for (int first = 1; tlv_next(&r, TLV_PREFIX_SID, &t) == 0; first = 0) {
		if (!first)
			sb_puts(w, ", ");
		if (t.type == 1) {
			sb_puts(w, "\"sr-label-index\": ");
			sb_u32(w, get_u32(t.val + 3));
		} else if (t.type == 3) { /* Python's json.dumps of [(base, range), ...] */
			sb_puts(w, "\"sr-srgbs\": [");
			for (size_t i = 2; i + 6 <= t.len; i += 6) {
				if (i > 2)
					sb_puts(w, ", ");
				sb_printf(w, "[%u, %u]", get_u24(t.val + i), get_u24(t.val + i + 3));
			}
			wb_u8(w, ']');
		} else if ((t.type == 2 || t.type == 4) && t.len == 19) {
			sb_puts(w, t.type == 2 ? "\"sr-v6-sid\": \"" : "\"srv6-vpn-sid\": \"");
			sb_ipv6(w, t.val + 3);
			wb_u8(w, '"');
		} else if (t.type == 5 && t.len == 21) {
			sb_puts(w, "\"srv6-l3vpn-sid\": \"");
			sb_ipv6(w, t.val + 1);
			wb_u8(w, '"');
		} else {
			sb_printf(w, "\"attribute-not-implemented\": \"%u\"", t.type);
		}
	}
	sb_puts(w, " }");
}

/* ExaBGP: "[ <label index>, [ ( base,range ), ... ] ]", "None" without a
 * Label-Index TLV. */
ATTR_PRINT_FN(prefixsid_text)
{
	if (prefixsid_check(val, len)) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	struct rbuf r;
	struct tlv t, index = {0, 0, NULL}, srgb = {0, 0, NULL};
	rb_init(&r, val, len);
	while (tlv_next(&r, TLV_PREFIX_SID, &t) == 0) {
		if (t.type == 1 && !index.val)
			index = t;
		if (t.type == 3 && !srgb.val)
			srgb = t;
	}
	sb_puts(w, " bgp-prefix-sid [ ");
	if (index.val)
		sb_u32(w, get_u32(index.val + 3));
	else
		sb_puts(w, "None");
	if (srgb.val) {
		sb_puts(w, ", [ ");
		for (size_t i = 2; i + 6 <= srgb.len; i += 6) {
			if (i > 2)
				sb_puts(w, ", ");
			sb_printf(w, "( %u,%u )", get_u24(srgb.val + i), get_u24(srgb.val + i + 3));
		}
		sb_puts(w, " ]");
	}
	sb_puts(w, " ]");
}
