/* The BGP-LS attribute (type 29, RFC 9552 5.3): node, link and prefix
 * attribute TLVs [type:2][length:2][value], with the SR extensions of
 * RFC 9085.  Printed as Debian's ExaBGP 4.2 prints it:
 *   "bgp-ls": { "node-name": "r1", "igp-metric": 10, ... }
 * one member per TLV in the order received; TLVs 4.2 does not decode
 * (RFC 9086 EPE SIDs, RFC 9514 SRv6, the opaque TLVs, which 4.2 cannot
 * print) as "attribute-not-implemented": "CODE".
 *
 * RFC 9552 8.2.2: a malformed BGP-LS attribute is discarded ("attribute
 * discard"), the routes are kept.  Malformed here is what the RFCs'
 * fixed lengths rule out, which is also what ExaBGP 4.2 refuses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attr_table.h"
#include "nlri/bgpls.h"
#include "wire/buf.h"

/* RFC 9552 5.3.1-5.3.3, RFC 9085 2.1-2.3 TLV code points */
enum {
	LS_NODE_FLAGS = 1024,
	LS_NODE_OPAQUE = 1025,
	LS_NODE_NAME = 1026,
	LS_ISIS_AREA = 1027,
	LS_LOCAL_RID4 = 1028,
	LS_LOCAL_RID6 = 1029,
	LS_REMOTE_RID4 = 1030,
	LS_REMOTE_RID6 = 1031,
	LS_SR_CAPS = 1034,
	LS_SR_ALGOS = 1035,
	LS_ADMIN_GROUP = 1088,
	LS_MAX_BW = 1089,
	LS_MAX_RSV_BW = 1090,
	LS_UNRSV_BW = 1091,
	LS_TE_METRIC = 1092,
	LS_PROTECTION = 1093,
	LS_MPLS_MASK = 1094,
	LS_IGP_METRIC = 1095,
	LS_SRLG = 1096,
	LS_LINK_OPAQUE = 1097,
	LS_LINK_NAME = 1098,
	LS_ADJ_SID = 1099,
	LS_LAN_ADJ_SID = 1100,
	LS_IGP_FLAGS = 1152,
	LS_ROUTE_TAGS = 1153,
	LS_EXT_TAGS = 1154,
	LS_PREFIX_METRIC = 1155,
	LS_OSPF_FWD = 1156,
	LS_PREFIX_OPAQUE = 1157,
	LS_PREFIX_SID = 1158,
	LS_SID_LABEL = 1161,
	LS_PREFIX_ATTR_FLAGS = 1170,
	LS_SOURCE_RID = 1171,
};

/* The names of a flags byte, most significant bit first; NULL is a
 * reserved bit (ExaBGP's "RSV"). */
typedef const char *const flag_names[8];
static flag_names NODE_FLAGS = {"O", "T", "E", "B", "R", "V", NULL, NULL};      /* RFC 9552 5.3.1.1 */
static flag_names IGP_FLAGS = {"D", "N", "L", "P", NULL, NULL, NULL, NULL};     /* RFC 9552 5.3.3.1 */
static flag_names MPLS_MASK = {"LDP", "RSVP-TE", NULL, NULL, NULL, NULL, NULL, NULL}; /* RFC 9552 5.3.2.2 */
static flag_names PROTECTION = {"ExtraTrafic", "Unprotected", "Shared",   "Dedicated 1:1",
				"Dedicated 1+1", "Enhanced",   NULL, NULL}; /* RFC 5307 1.2 */
static flag_names SR_CAP_FLAGS = {"I", "V", NULL, NULL, NULL, NULL, NULL, NULL}; /* RFC 9085 2.1.2 (IS-IS) */
static flag_names ADJ_FLAGS = {"F", "B", "V", "L", "S", "P", NULL, NULL};        /* RFC 9085 2.2.1 (IS-IS) */
static flag_names PREFIX_SID_FLAGS = {"R", "N", "P", "E", "V", "L", NULL, NULL}; /* RFC 9085 2.3.1 (IS-IS) */
static flag_names PREFIX_ATTR_FLAGS = {"X", "R", "N", NULL, NULL, NULL, NULL, NULL}; /* RFC 9085 2.3.2 */

/* Python's json.dumps of ExaBGP's flag dict: the named bits in order,
 * then one "RSV" holding the last reserved bit (a dict keeps one key). */
static void flags_print(struct wbuf *w, flag_names names, uint8_t byte, char q)
{
	bool rsv = false;
	wb_u8(w, '{');
	for (int i = 0; i < 8; i++) {
		if (!names[i]) {
			rsv = true;
			continue;
		}
		sb_printf(w, "%s%c%s%c: %u", i ? ", " : "", q, names[i], q, (byte >> (7 - i)) & 1u);
	}
	if (rsv)
		sb_printf(w, ", %cRSV%c: %u", q, q, byte & 1u);
	wb_u8(w, '}');
}

/* json.dumps of the dict; its repr() (the text form) has single quotes */
static void flags_json(struct wbuf *w, flag_names names, uint8_t byte) { flags_print(w, names, byte, '"'); }
static void flags_text(struct wbuf *w, flag_names names, uint8_t byte) { flags_print(w, names, byte, '\''); }

/* Python's repr() of a float: the shortest digits that read back the
 * same double, fixed notation for exponents -4..15, else d.ddde+XX. */
static void py_float(struct wbuf *w, double d)
{
	if (isnan(d)) {
		sb_puts(w, "nan");
		return;
	}
	if (isinf(d)) {
		sb_puts(w, d < 0 ? "-inf" : "inf");
		return;
	}
	char buf[40];
	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	char digits[24];
	size_t nd = 0;
	const char *s = buf;
	if (*s == '-') {
		wb_u8(w, '-');
		s++;
	}
	for (; *s && *s != 'e'; s++)
		if (*s != '.' && nd < sizeof(digits) - 1)
			digits[nd++] = *s;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	int exp = *s == 'e' ? atoi(s + 1) : 0;
	if (exp < -4 || exp >= 16) {
		wb_u8(w, (uint8_t)digits[0]);
		if (nd > 1) {
			wb_u8(w, '.');
			sb_puts(w, digits + 1);
		}
		sb_printf(w, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	} else if (exp < 0) {
		sb_puts(w, "0.");
		for (int i = -1; i > exp; i--)
			wb_u8(w, '0');
		sb_puts(w, digits);
	} else {
		for (int i = 0; i <= exp; i++)
			wb_u8(w, (uint8_t)(i < (int)nd ? digits[i] : '0'));
		wb_u8(w, '.');
		sb_puts(w, (int)nd > exp + 1 ? digits + exp + 1 : "0");
	}
}

static double be_float(const uint8_t *p)
{
	uint32_t u = get_u32(p);
	float f;
	memcpy(&f, &u, sizeof(f));
	return f;
}

static uint32_t get_u24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }

/* ExaBGP 4.2 prints a link name as Python's repr of its uuencoding
 * (binascii.b2a_uu): b'<length char><4 chars per 3 bytes>\n'. */
static void link_name_print(struct wbuf *w, const uint8_t *v, size_t len, bool json)
{
	char uu[4 + 4 * 86];
	size_t n = 0;
	uu[n++] = (char)(' ' + len);
	for (size_t i = 0; i < len; i += 3) {
		uint32_t g = (uint32_t)v[i] << 16 | (uint32_t)(i + 1 < len ? v[i + 1] : 0) << 8 |
			     (i + 2 < len ? v[i + 2] : 0);
		for (int k = 3; k >= 0; k--)
			uu[n++] = (char)(' ' + ((g >> (6 * k)) & 0x3F));
	}
	bool dq = memchr(uu, '\'', n) && !memchr(uu, '"', n);
	char q = dq ? '"' : '\'';
	const char *quote = !dq ? "'" : json ? "\\\"" : "\"";
	wb_u8(w, 'b');
	sb_puts(w, quote);
	/* Python escapes the backslash and the quote.  ExaBGP writes that
	 * into its JSON as is, which breaks the JSON when the repr holds a
	 * '"' or a "\\'": in JSON fastbgp escapes '"' and drops the
	 * backslash of "\\'" (the same JSON wherever ExaBGP's is valid). */
	for (size_t i = 0; i < n; i++) {
		if (uu[i] == '\\' || (json ? uu[i] == '"' : uu[i] == q))
			wb_u8(w, '\\');
		wb_u8(w, (uint8_t)uu[i]);
	}
	sb_puts(w, "\\n");
	sb_puts(w, quote);
}

/* RFC 9085 2.2.1 / 2.3.1: the SIDs after the flags; V and L set: 3-byte
 * labels, both clear: 4-byte indexes, else kept as hex ("undecoded").
 * nested: ExaBGP 4.2 puts each adjacency SID in a list of its own. */
static void sids_json(struct wbuf *w, bool v, bool l, const uint8_t *p, size_t len, bool nested)
{
	size_t step = v && l ? 3 : !v && !l ? 4 : 0;
	sb_puts(w, "\"sids\": [");
	for (size_t i = 0; step && i + step <= len; i += step) {
		uint32_t sid = step == 3 ? get_u24(p + i) : get_u32(p + i);
		sb_printf(w, "%s%s%u%s", i ? ", " : "", nested ? "[" : "", sid, nested ? "]" : "");
	}
	sb_puts(w, "], \"undecoded-sids\": [");
	if (!step && len) {
		sb_puts(w, "\"0x");
		sb_hex(w, p, len, 1);
		wb_u8(w, '"');
	}
	wb_u8(w, ']');
}

static void ip_json(struct wbuf *w, const char *key, const struct ls_tlv *t)
{
	sb_printf(w, "\"%s\": \"", key);
	ls_addr(w, t->v, t->len);
	wb_u8(w, '"');
}

static void u32_list_text(struct wbuf *w, const uint8_t *p, size_t len, size_t size);

static void u32_list_json(struct wbuf *w, const char *key, const uint8_t *p, size_t len, size_t size)
{
	sb_printf(w, "\"%s\": ", key);
	u32_list_text(w, p, len, size);
}

static void u32_list_text(struct wbuf *w, const uint8_t *p, size_t len, size_t size)
{
	wb_u8(w, '[');
	for (size_t i = 0; i + size <= len; i += size) {
		if (i)
			sb_puts(w, ", ");
		if (size == 8)
			sb_u64(w, (uint64_t)get_u32(p + i) << 32 | get_u32(p + i + 4));
		else
			sb_u32(w, get_u32(p + i));
	}
	wb_u8(w, ']');
}

/* One TLV, as '"key": value' (some TLVs give several members). */
static void tlv_json(struct wbuf *w, const struct ls_tlv *t, const uint8_t *attr, size_t attr_len)
{
	const uint8_t *v = t->v;
	switch (t->type) {
	case LS_NODE_FLAGS:
		sb_puts(w, "\"node-flags\": ");
		flags_json(w, NODE_FLAGS, v[0]);
		break;
	case LS_NODE_NAME:
		sb_puts(w, "\"node-name\": ");
		sb_json_string(w, (const char *)v, t->len);
		break;
	case LS_ISIS_AREA:
		sb_puts(w, "\"area-id\": \"");
		ls_hex(w, v, t->len);
		wb_u8(w, '"');
		break;
	case LS_LOCAL_RID4:
	case LS_LOCAL_RID6: {
		/* ExaBGP 4.2 lists every local router-id received so far in
		 * the attribute, this one included */
		sb_puts(w, "\"local-te-router-ids\": [");
		const uint8_t *p = attr, *end = attr + attr_len;
		struct ls_tlv o;
		bool first = true;
		while (ls_tlv_next(&p, end, &o) > 0 && o.v <= v) {
			if (o.type != LS_LOCAL_RID4 && o.type != LS_LOCAL_RID6)
				continue;
			sb_puts(w, first ? "\"" : ", \"");
			ls_addr(w, o.v, o.len);
			wb_u8(w, '"');
			first = false;
		}
		wb_u8(w, ']');
		break;
	}
	case LS_REMOTE_RID4:
	case LS_REMOTE_RID6:
		ip_json(w, "remote-te-router-id", t);
		break;
	case LS_SR_CAPS:
		/* RFC 9085 2.1.2: flags, reserved, then [range:3][SID/label
		 * sub-TLV 1161] entries */
		sb_puts(w, "\"sr-capability-flags\": ");
		flags_json(w, SR_CAP_FLAGS, v[0]);
		sb_puts(w, ", \"sids\": [");
		for (size_t i = 2; i + 7 <= t->len;) {
			size_t l = get_u16(v + i + 5);
			sb_printf(w, "%s[%u, %u]", i > 2 ? ", " : "", get_u24(v + i),
				  l == 3 ? get_u24(v + i + 7) : get_u32(v + i + 7));
			i += 7 + l;
		}
		wb_u8(w, ']');
		break;
	case LS_SR_ALGOS:
		sb_puts(w, "\"sr-algorithms\": [");
		for (size_t i = 0; i < t->len; i++)
			sb_printf(w, "%s%u", i ? ", " : "", v[i]);
		if (!t->len)
			wb_u8(w, '0');
		wb_u8(w, ']');
		break;
	case LS_ADMIN_GROUP:
		sb_printf(w, "\"admin-group-mask\": [%u]", get_u32(v));
		break;
	case LS_MAX_BW:
		sb_puts(w, "\"maximum-link-bandwidth\": ");
		py_float(w, be_float(v));
		break;
	case LS_MAX_RSV_BW:
		sb_puts(w, "\"maximum-reservable-link-bandwidth\": ");
		py_float(w, be_float(v));
		break;
	case LS_UNRSV_BW:
		sb_puts(w, "\"unreserved-bandwidth\": [");
		for (int i = 0; i < 8; i++) {
			if (i)
				sb_puts(w, ", ");
			py_float(w, be_float(v + 4 * i));
		}
		wb_u8(w, ']');
		break;
	case LS_TE_METRIC:
		sb_printf(w, "\"te-metric\": %u", get_u32(v));
		break;
	case LS_PROTECTION:
		sb_puts(w, "\"link-protection-flags\": ");
		flags_json(w, PROTECTION, v[0]);
		break;
	case LS_MPLS_MASK:
		sb_puts(w, "\"mpls-mask\": ");
		flags_json(w, MPLS_MASK, v[0]);
		break;
	case LS_IGP_METRIC:
		sb_printf(w, "\"igp-metric\": %u", t->len == 1 ? v[0] : t->len == 2 ? get_u16(v) : get_u24(v));
		break;
	case LS_SRLG:
		u32_list_json(w, "shared-risk-link-groups", v, t->len, 4);
		break;
	case LS_LINK_NAME:
		sb_puts(w, "\"link-name\": \"");
		link_name_print(w, v, t->len, true);
		wb_u8(w, '"');
		break;
	case LS_ADJ_SID:
	case LS_LAN_ADJ_SID: {
		/* RFC 9085 2.2.1 / 2.2.2: flags, weight, 2 reserved, (the
		 * neighbor's 6-byte system id on a LAN), then the SID */
		bool lan = t->type == LS_LAN_ADJ_SID;
		size_t off = lan ? 10 : 4;
		sb_printf(w, "\"sr-adj%s-flags\": ", lan ? "-lan" : "");
		flags_json(w, ADJ_FLAGS, v[0]);
		sb_puts(w, ", ");
		sids_json(w, v[0] & 0x20, v[0] & 0x10, v + off, t->len - off, !lan);
		sb_printf(w, ", \"sr-adj%s-weight\": %u", lan ? "-lan" : "", v[1]);
		break;
	}
	case LS_IGP_FLAGS:
		sb_puts(w, "\"igp-flags\": ");
		flags_json(w, IGP_FLAGS, v[0]);
		break;
	case LS_ROUTE_TAGS:
		u32_list_json(w, "igp-route-tags", v, t->len, 4);
		break;
	case LS_EXT_TAGS:
		u32_list_json(w, "igp-extended-route-tags", v, t->len, 8);
		break;
	case LS_PREFIX_METRIC:
		sb_printf(w, "\"prefix-metric\": %u", get_u32(v));
		break;
	case LS_OSPF_FWD:
		ip_json(w, "ospf-forwarding-address", t);
		break;
	case LS_PREFIX_SID:
		/* RFC 9085 2.3.1: flags, algorithm, 2 reserved, SID */
		sb_puts(w, "\"sr-prefix-flags\": ");
		flags_json(w, PREFIX_SID_FLAGS, v[0]);
		sb_puts(w, ", ");
		sids_json(w, v[0] & 0x08, v[0] & 0x04, v + 4, t->len - 4u, false);
		sb_printf(w, ", \"sr-algorithm\": %u", v[1]);
		break;
	case LS_PREFIX_ATTR_FLAGS:
		sb_puts(w, "\"sr-prefix-attribute-flags\": ");
		flags_json(w, PREFIX_ATTR_FLAGS, v[0]);
		break;
	case LS_SOURCE_RID:
		ip_json(w, "sr-source-router-id", t);
		break;
	default:
		sb_printf(w, "\"attribute-not-implemented\": \"%u\"", t->type);
		break;
	}
}

/* ---- text: ExaBGP 4.2's str() of the attribute, its TLVs' repr()s
 * joined by ", " (Python lists and dicts as Python prints them) ---- */

static void sids_text(struct wbuf *w, const char *flags_key, flag_names names, const struct ls_tlv *t, size_t off,
		      bool v, bool l)
{
	size_t step = v && l ? 3 : !v && !l ? 4 : 0, len = t->len - off;
	const uint8_t *p = t->v + off;
	sb_printf(w, "%s: ", flags_key);
	flags_text(w, names, t->v[0]);
	sb_puts(w, ", sids: [");
	for (size_t i = 0; step && i + step <= len; i += step)
		sb_printf(w, "%s%u", i ? ", " : "", step == 3 ? get_u24(p + i) : get_u32(p + i));
	sb_puts(w, "], undecoded_sid: [");
	if (!step && len) {
		sb_puts(w, "'0x");
		sb_hex(w, p, len, 1);
		wb_u8(w, '\'');
	}
	wb_u8(w, ']');
}

static void tlv_text(struct wbuf *w, const struct ls_tlv *t, const uint8_t *attr, size_t attr_len)
{
	const uint8_t *v = t->v;
	switch (t->type) {
	case LS_NODE_FLAGS:
		sb_puts(w, "nodeflags: ");
		flags_text(w, NODE_FLAGS, v[0]);
		break;
	case LS_NODE_NAME:
		/* a text event is one line: a peer's control or non-ASCII
		 * bytes are written as '?' (ExaBGP 4.2 writes them raw) */
		sb_puts(w, "nodename: ");
		for (size_t i = 0; i < t->len; i++)
			wb_u8(w, v[i] >= 0x20 && v[i] < 0x7F ? v[i] : '?');
		break;
	case LS_ISIS_AREA:
		sb_puts(w, "ISIS area id: ");
		ls_hex(w, v, t->len);
		break;
	case LS_LOCAL_RID4:
	case LS_LOCAL_RID6: {
		sb_puts(w, "Local TE Router IDs: ");
		const uint8_t *p = attr, *end = attr + attr_len;
		struct ls_tlv o;
		bool first = true;
		while (ls_tlv_next(&p, end, &o) > 0 && o.v <= v) {
			if (o.type != LS_LOCAL_RID4 && o.type != LS_LOCAL_RID6)
				continue;
			if (!first)
				sb_puts(w, ", ");
			ls_addr(w, o.v, o.len);
			first = false;
		}
		break;
	}
	case LS_REMOTE_RID4:
	case LS_REMOTE_RID6:
		sb_puts(w, "Remote TE Router ID: ");
		ls_addr(w, v, t->len);
		break;
	case LS_SR_CAPS:
		sb_puts(w, "sr_capability_flags: ");
		flags_text(w, SR_CAP_FLAGS, v[0]);
		sb_puts(w, ", sids: [");
		for (size_t i = 2; i + 7 <= t->len;) {
			size_t l = get_u16(v + i + 5);
			sb_printf(w, "%s(%u, %u)", i > 2 ? ", " : "", get_u24(v + i),
				  l == 3 ? get_u24(v + i + 7) : get_u32(v + i + 7));
			i += 7 + l;
		}
		wb_u8(w, ']');
		break;
	case LS_SR_ALGOS:
		sb_puts(w, "SrAlgorithms: [");
		for (size_t i = 0; i < t->len; i++)
			sb_printf(w, "%s%u", i ? ", " : "", v[i]);
		if (!t->len)
			wb_u8(w, '0');
		wb_u8(w, ']');
		break;
	case LS_ADMIN_GROUP:
		sb_printf(w, "Admin Group mask: [%u]", get_u32(v));
		break;
	case LS_MAX_BW:
	case LS_MAX_RSV_BW:
		sb_puts(w, t->type == LS_MAX_BW ? "Maximum link bandwidth: " : "Maximum reservable link bandwidth: ");
		py_float(w, be_float(v));
		break;
	case LS_UNRSV_BW:
		sb_puts(w, "Maximum link bandwidth: ["); /* sic: ExaBGP 4.2's label */
		for (int i = 0; i < 8; i++) {
			if (i)
				sb_puts(w, ", ");
			py_float(w, be_float(v + 4 * i));
		}
		wb_u8(w, ']');
		break;
	case LS_TE_METRIC:
		sb_printf(w, "TE Default Metric: %u", get_u32(v));
		break;
	case LS_PROTECTION:
		sb_puts(w, "Link protection mask: ");
		flags_text(w, PROTECTION, v[0]);
		break;
	case LS_MPLS_MASK:
		sb_puts(w, "MPLS Protocol mask: ");
		flags_text(w, MPLS_MASK, v[0]);
		break;
	case LS_IGP_METRIC:
		sb_printf(w, "IGP Metric: %u", t->len == 1 ? v[0] : t->len == 2 ? get_u16(v) : get_u24(v));
		break;
	case LS_SRLG:
		sb_puts(w, "SRLG values on link are: ");
		u32_list_text(w, v, t->len, 4);
		break;
	case LS_LINK_NAME:
		sb_puts(w, "linkname: ");
		link_name_print(w, v, t->len, false);
		break;
	case LS_ADJ_SID:
		sids_text(w, "adj_flags", ADJ_FLAGS, t, 4, v[0] & 0x20, v[0] & 0x10);
		break;
	case LS_LAN_ADJ_SID:
		sids_text(w, "sr_adj_lan_flags", ADJ_FLAGS, t, 10, v[0] & 0x20, v[0] & 0x10);
		break;
	case LS_IGP_FLAGS:
		sb_puts(w, "IGP flags: ");
		flags_text(w, IGP_FLAGS, v[0]);
		break;
	case LS_ROUTE_TAGS:
		sb_puts(w, "IGP Route Tags: ");
		u32_list_text(w, v, t->len, 4);
		break;
	case LS_EXT_TAGS:
		sb_puts(w, "IGP Extended Route Tags: ");
		u32_list_text(w, v, t->len, 8);
		break;
	case LS_PREFIX_METRIC:
		sb_printf(w, "prefix_metric: %u", get_u32(v));
		break;
	case LS_OSPF_FWD:
		sb_puts(w, "Ospf forwarding address: '");
		ls_addr(w, v, t->len);
		wb_u8(w, '\'');
		break;
	case LS_PREFIX_SID:
		sids_text(w, "prefix_flags", PREFIX_SID_FLAGS, t, 4, v[0] & 0x08, v[0] & 0x04);
		break;
	case LS_PREFIX_ATTR_FLAGS:
		sb_puts(w, "prefix_attr_flags: ");
		flags_text(w, PREFIX_ATTR_FLAGS, v[0]);
		break;
	case LS_SOURCE_RID:
		sb_puts(w, "Source router identifier: ");
		ls_addr(w, v, t->len);
		break;
	default:
		sb_printf(w, "Attribute with code [ %u ] not implemented", t->type);
		break;
	}
}

static bool addr_len(size_t n) { return n == 4 || n == 16; }

/* RFC 9085 2.1.2: [range:3][type 1161:2][length 3 or 4:2][SID or label]... */
static bool sr_caps_ok(const uint8_t *v, size_t len)
{
	if (len < 2)
		return false;
	for (size_t i = 2; i < len;) {
		if (len - i < 7 || get_u16(v + i + 3) != LS_SID_LABEL)
			return false;
		size_t l = get_u16(v + i + 5);
		if ((l != 3 && l != 4) || len - i - 7 < l)
			return false;
		i += 7 + l;
	}
	return true;
}

/* The SIDs after off bytes of flags etc.: whole labels or indexes. */
static bool sids_ok(const struct ls_tlv *t, size_t off, bool v, bool l)
{
	if (t->len < off)
		return false;
	size_t n = t->len - off;
	if (v && l)
		return n % 3 == 0;
	if (!v && !l)
		return n % 4 == 0;
	return true; /* kept as undecoded hex */
}

/* RFC 9085 2.3.1: one SID in a Prefix-SID (ExaBGP 4.2 refuses more
 * than one index) */
static bool prefix_sid_ok(const struct ls_tlv *t)
{
	bool v = t->v[0] & 0x08, l = t->v[0] & 0x04;
	if (!v && !l)
		return t->len == 4 || t->len == 8;
	return sids_ok(t, 4, v, l);
}

/* RFC 9552 5.3 and RFC 9085 2: the lengths each TLV must have. */
static bool tlv_ok(const struct ls_tlv *t)
{
	size_t n = t->len;
	switch (t->type) {
	case LS_NODE_FLAGS:
	case LS_MPLS_MASK:
	case LS_IGP_FLAGS:
		return n == 1;
	case LS_PREFIX_ATTR_FLAGS:
		return n >= 1;
	case LS_NODE_NAME:
	case LS_LINK_NAME:
		return n >= 1 && n <= 255;
	case LS_LOCAL_RID4:
	case LS_REMOTE_RID4:
		return n == 4;
	case LS_LOCAL_RID6:
	case LS_REMOTE_RID6:
		return n == 16;
	case LS_OSPF_FWD:
	case LS_SOURCE_RID:
		return addr_len(n);
	case LS_SR_CAPS:
		return sr_caps_ok(t->v, n);
	case LS_ADMIN_GROUP:
	case LS_MAX_BW:
	case LS_MAX_RSV_BW:
	case LS_TE_METRIC:
	case LS_PREFIX_METRIC:
		return n == 4;
	case LS_UNRSV_BW:
		return n == 32;
	case LS_PROTECTION:
		return n == 2;
	case LS_IGP_METRIC:
		return n >= 1 && n <= 3;
	case LS_SRLG:
	case LS_ROUTE_TAGS:
		return n >= 4 && n % 4 == 0;
	case LS_EXT_TAGS:
		return n >= 8 && n % 8 == 0;
	case LS_ADJ_SID:
		return n >= 4 && sids_ok(t, 4, t->v[0] & 0x20, t->v[0] & 0x10);
	case LS_LAN_ADJ_SID:
		return n >= 10 && sids_ok(t, 10, t->v[0] & 0x20, t->v[0] & 0x10);
	case LS_PREFIX_SID:
		return n >= 4 && prefix_sid_ok(t);
	default:
		return true;
	}
}

ATTR_VALIDATE_FN(bgpls_validate)
{
	(void)ctx;
	if (len == 0)
		return attr_malformed(d, v, "empty BGP-LS attribute");
	const uint8_t *p = val, *end = val + len;
	struct ls_tlv t;
	int rc;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0)
		if (!tlv_ok(&t))
			return attr_malformed(d, v, "BGP-LS attribute TLV of the wrong length");
	if (rc < 0)
		return attr_malformed(d, v, "malformed BGP-LS TLV");
	return v->action = ATTR_OK;
}

ATTR_PRINT_FN(bgpls_attr_json)
{
	const uint8_t *p = val, *end = val + len;
	struct ls_tlv t;
	int rc;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0 && tlv_ok(&t))
		;
	if (rc != 0) { /* never stored: validation discards it */
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"bgp-ls\": { ");
	bool first = true;
	for (p = val; ls_tlv_next(&p, end, &t) > 0; first = false) {
		if (!first)
			sb_puts(w, ", ");
		tlv_json(w, &t, val, len);
	}
	sb_puts(w, " }");
}

/* ExaBGP 4.2's text: ' bgp-ls nodename: r1, ISIS area id: 490001, ...' */
ATTR_PRINT_FN(bgpls_attr_text)
{
	const uint8_t *p = val, *end = val + len;
	struct ls_tlv t;
	int rc;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0 && tlv_ok(&t))
		;
	if (rc != 0) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " bgp-ls ");
	bool first = true;
	for (p = val; ls_tlv_next(&p, end, &t) > 0; first = false) {
		if (!first)
			sb_puts(w, ", ");
		tlv_text(w, &t, val, len);
	}
}
