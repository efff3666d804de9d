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

/* ExaBGP's flag dict, as json.dumps (q '"') or repr() (q '\'') prints
 * it: the named bits in order, then one "RSV" holding the last reserved
 * bit (a dict keeps one key). */
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

/* How a TLV's value prints (ExaBGP 4.2's class for it). */
enum ls_kind {
	K_UNKNOWN,    /* JSON "attribute-not-implemented": "CODE" */
	K_FLAGS,      /* a flags byte: {"O": 1, ...} */
	K_NAME,       /* a node name */
	K_HEX,        /* IS-IS area: lower-case hex */
	K_LOCAL_RIDS, /* every local TE router-id so far, this one included */
	K_ADDR,       /* an IPv4 or IPv6 address */
	K_SR_CAPS,    /* RFC 9085 2.1.2: flags, then [range, SID] pairs */
	K_BYTES,      /* SR algorithms: [0, 1] ([0] when empty) */
	K_MASK,       /* admin group: [N] */
	K_FLOAT,      /* IEEE float as Python prints it */
	K_FLOAT8,     /* unreserved bandwidth: 8 floats */
	K_U32,
	K_METRIC,     /* IGP metric of 1 to 3 bytes */
	K_U32S,       /* SRLG, route tags */
	K_U64S,       /* extended route tags */
	K_LINK_NAME,
	K_SIDS,       /* adjacency / prefix SIDs: flags, SIDs, undecoded, the byte after the flags */
};

/* One BGP-LS attribute TLV ExaBGP 4.2 prints: its JSON key and the label
 * of its repr() (the text form). */
struct ls_tlv_def {
	uint16_t type;
	uint8_t kind;
	const char *key, *label;
	const char *const *flags; /* K_FLAGS, K_SR_CAPS, K_SIDS */
	const char *extra;        /* K_SIDS: JSON key of the second byte */
	uint8_t off, vbit, lbit;  /* K_SIDS: where the SIDs start, the V and L flags */
	bool quoted;              /* the text quotes the address */
};

static const struct ls_tlv_def tlv_defs[] = {
	{LS_NODE_FLAGS, K_FLAGS, "node-flags", "nodeflags", NODE_FLAGS, NULL, 0, 0, 0, false},
	{LS_NODE_NAME, K_NAME, "node-name", "nodename", NULL, NULL, 0, 0, 0, false},
	{LS_ISIS_AREA, K_HEX, "area-id", "ISIS area id", NULL, NULL, 0, 0, 0, false},
	{LS_LOCAL_RID4, K_LOCAL_RIDS, "local-te-router-ids", "Local TE Router IDs", NULL, NULL, 0, 0, 0, false},
	{LS_LOCAL_RID6, K_LOCAL_RIDS, "local-te-router-ids", "Local TE Router IDs", NULL, NULL, 0, 0, 0, false},
	{LS_REMOTE_RID4, K_ADDR, "remote-te-router-id", "Remote TE Router ID", NULL, NULL, 0, 0, 0, false},
	{LS_REMOTE_RID6, K_ADDR, "remote-te-router-id", "Remote TE Router ID", NULL, NULL, 0, 0, 0, false},
	{LS_SR_CAPS, K_SR_CAPS, "sr-capability-flags", "sr_capability_flags", SR_CAP_FLAGS, NULL, 0, 0, 0, false},
	{LS_SR_ALGOS, K_BYTES, "sr-algorithms", "SrAlgorithms", NULL, NULL, 0, 0, 0, false},
	{LS_ADMIN_GROUP, K_MASK, "admin-group-mask", "Admin Group mask", NULL, NULL, 0, 0, 0, false},
	{LS_MAX_BW, K_FLOAT, "maximum-link-bandwidth", "Maximum link bandwidth", NULL, NULL, 0, 0, 0, false},
	{LS_MAX_RSV_BW, K_FLOAT, "maximum-reservable-link-bandwidth", "Maximum reservable link bandwidth", NULL,
	 NULL, 0, 0, 0, false},
	/* sic: 4.2 labels it as the maximum bandwidth */
	{LS_UNRSV_BW, K_FLOAT8, "unreserved-bandwidth", "Maximum link bandwidth", NULL, NULL, 0, 0, 0, false},
	{LS_TE_METRIC, K_U32, "te-metric", "TE Default Metric", NULL, NULL, 0, 0, 0, false},
	{LS_PROTECTION, K_FLAGS, "link-protection-flags", "Link protection mask", PROTECTION, NULL, 0, 0, 0, false},
	{LS_MPLS_MASK, K_FLAGS, "mpls-mask", "MPLS Protocol mask", MPLS_MASK, NULL, 0, 0, 0, false},
	{LS_IGP_METRIC, K_METRIC, "igp-metric", "IGP Metric", NULL, NULL, 0, 0, 0, false},
	{LS_SRLG, K_U32S, "shared-risk-link-groups", "SRLG values on link are", NULL, NULL, 0, 0, 0, false},
	{LS_LINK_NAME, K_LINK_NAME, "link-name", "linkname", NULL, NULL, 0, 0, 0, false},
	/* RFC 9085 2.2.1 / 2.2.2: flags, weight, 2 reserved, (the LAN
	 * neighbor's 6-byte system id), the SIDs */
	{LS_ADJ_SID, K_SIDS, "sr-adj-flags", "adj_flags", ADJ_FLAGS, "sr-adj-weight", 4, 0x20, 0x10, false},
	{LS_LAN_ADJ_SID, K_SIDS, "sr-adj-lan-flags", "sr_adj_lan_flags", ADJ_FLAGS, "sr-adj-lan-weight", 10, 0x20,
	 0x10, false},
	{LS_IGP_FLAGS, K_FLAGS, "igp-flags", "IGP flags", IGP_FLAGS, NULL, 0, 0, 0, false},
	{LS_ROUTE_TAGS, K_U32S, "igp-route-tags", "IGP Route Tags", NULL, NULL, 0, 0, 0, false},
	{LS_EXT_TAGS, K_U64S, "igp-extended-route-tags", "IGP Extended Route Tags", NULL, NULL, 0, 0, 0, false},
	{LS_PREFIX_METRIC, K_U32, "prefix-metric", "prefix_metric", NULL, NULL, 0, 0, 0, false},
	{LS_OSPF_FWD, K_ADDR, "ospf-forwarding-address", "Ospf forwarding address", NULL, NULL, 0, 0, 0, true},
	/* RFC 9085 2.3.1: flags, algorithm, 2 reserved, the SID */
	{LS_PREFIX_SID, K_SIDS, "sr-prefix-flags", "prefix_flags", PREFIX_SID_FLAGS, "sr-algorithm", 4, 0x08, 0x04,
	 false},
	{LS_PREFIX_ATTR_FLAGS, K_FLAGS, "sr-prefix-attribute-flags", "prefix_attr_flags", PREFIX_ATTR_FLAGS, NULL, 0,
	 0, 0, false},
	{LS_SOURCE_RID, K_ADDR, "sr-source-router-id", "Source router identifier", NULL, NULL, 0, 0, 0, false},
};

static const struct ls_tlv_def *tlv_def(uint16_t type)
{
	for (size_t i = 0; i < sizeof(tlv_defs) / sizeof(tlv_defs[0]); i++)
		if (tlv_defs[i].type == type)
			return &tlv_defs[i];
	return NULL;
}

/* A name: '"key": ' in JSON, 'label: ' in the text. */
static void tlv_key(struct wbuf *w, const char *key, const char *label, bool json)
{
	if (json)
		sb_printf(w, "\"%s\": ", key);
	else
		sb_printf(w, "%s: ", label);
}

static void uint_list(struct wbuf *w, const uint8_t *p, size_t len, size_t size)
{
	wb_u8(w, '[');
	for (size_t i = 0; i + size <= len; i += size) {
		if (i)
			sb_puts(w, ", ");
		if (size == 8)
			sb_u64(w, (uint64_t)get_u32(p + i) << 32 | get_u32(p + i + 4));
		else
			sb_u32(w, size == 1 ? p[i] : get_u32(p + i));
	}
	wb_u8(w, ']');
}

/* RFC 9085 2.2.1 / 2.3.1: the SIDs after the flags; V and L set: 3-byte
 * labels, both clear: 4-byte indexes, else kept as hex ("undecoded").
 * An adjacency SID is a list of its own in 4.2's JSON. */
static void sids_print(struct wbuf *w, const struct ls_tlv_def *d, const struct ls_tlv *t, bool json)
{
	const uint8_t *v = t->v, *p = v + d->off;
	size_t len = t->len - d->off;
	bool vf = v[0] & d->vbit, lf = v[0] & d->lbit, nested = d->type == LS_ADJ_SID;
	size_t step = vf && lf ? 3 : !vf && !lf ? 4 : 0;
	char q = json ? '"' : '\'';
	tlv_key(w, d->key, d->label, json);
	flags_print(w, d->flags, v[0], q);
	sb_puts(w, json ? ", \"sids\": [" : ", sids: [");
	for (size_t i = 0; step && i + step <= len; i += step) {
		uint32_t sid = step == 3 ? get_u24(p + i) : get_u32(p + i);
		sb_printf(w, "%s%s%u%s", i ? ", " : "", nested ? "[" : "", sid, nested ? "]" : "");
	}
	sb_puts(w, json ? "], \"undecoded-sids\": [" : "], undecoded_sid: [");
	if (!step && len) {
		sb_printf(w, "%c0x", q);
		sb_hex(w, p, len, 1);
		wb_u8(w, (uint8_t)q);
	}
	wb_u8(w, ']');
	if (json)
		sb_printf(w, ", \"%s\": %u", d->extra, v[1]);
}

/* One TLV: '"key": value' (some TLVs give several members) in JSON, its
 * repr() ('label: value') in the text. */
static void tlv_print(struct wbuf *w, const struct ls_tlv *t, const uint8_t *attr, size_t attr_len, bool json)
{
	const struct ls_tlv_def *d = tlv_def(t->type);
	const uint8_t *v = t->v;
	char q = json ? '"' : '\'';
	if (!d) {
		if (json)
			sb_printf(w, "\"attribute-not-implemented\": \"%u\"", t->type);
		else
			sb_printf(w, "Attribute with code [ %u ] not implemented", t->type);
		return;
	}
	if (d->kind == K_SIDS) {
		sids_print(w, d, t, json);
		return;
	}
	tlv_key(w, d->key, d->label, json);
	switch (d->kind) {
	case K_FLAGS:
		flags_print(w, d->flags, v[0], q);
		break;
	case K_NAME:
		if (json) {
			sb_json_string(w, (const char *)v, t->len);
			break;
		}
		/* a text event is one line: a peer's control or non-ASCII
		 * bytes are written as '?' (ExaBGP 4.2 writes them raw) */
		for (size_t i = 0; i < t->len; i++)
			wb_u8(w, v[i] >= 0x20 && v[i] < 0x7F ? v[i] : '?');
		break;
	case K_HEX:
		if (json)
			wb_u8(w, '"');
		ls_hex(w, v, t->len);
		if (json)
			wb_u8(w, '"');
		break;
	case K_LOCAL_RIDS: {
		/* ExaBGP 4.2 lists every local router-id received so far in
		 * the attribute, this one included */
		const uint8_t *p = attr, *end = attr + attr_len;
		struct ls_tlv o;
		bool first = true;
		if (json)
			wb_u8(w, '[');
		while (ls_tlv_next(&p, end, &o) > 0 && o.v <= v) {
			if (o.type != LS_LOCAL_RID4 && o.type != LS_LOCAL_RID6)
				continue;
			sb_puts(w, first ? "" : ", ");
			if (json)
				wb_u8(w, '"');
			ls_addr(w, o.v, o.len);
			if (json)
				wb_u8(w, '"');
			first = false;
		}
		if (json)
			wb_u8(w, ']');
		break;
	}
	case K_ADDR:
		if (json || d->quoted)
			wb_u8(w, (uint8_t)q);
		ls_addr(w, v, t->len);
		if (json || d->quoted)
			wb_u8(w, (uint8_t)q);
		break;
	case K_SR_CAPS:
		flags_print(w, d->flags, v[0], q);
		sb_puts(w, json ? ", \"sids\": [" : ", sids: [");
		for (size_t i = 2; i + 7 <= t->len;) {
			size_t l = get_u16(v + i + 5);
			/* a list of Python tuples: lists in JSON */
			sb_printf(w, json ? "%s[%u, %u]" : "%s(%u, %u)", i > 2 ? ", " : "", get_u24(v + i),
				  l == 3 ? get_u24(v + i + 7) : get_u32(v + i + 7));
			i += 7 + l;
		}
		wb_u8(w, ']');
		break;
	case K_BYTES:
		if (t->len)
			uint_list(w, v, t->len, 1);
		else
			sb_puts(w, "[0]");
		break;
	case K_MASK:
		sb_printf(w, "[%u]", get_u32(v));
		break;
	case K_FLOAT:
		py_float(w, be_float(v));
		break;
	case K_FLOAT8:
		wb_u8(w, '[');
		for (int i = 0; i < 8; i++) {
			if (i)
				sb_puts(w, ", ");
			py_float(w, be_float(v + 4 * i));
		}
		wb_u8(w, ']');
		break;
	case K_U32:
		sb_u32(w, get_u32(v));
		break;
	case K_METRIC:
		sb_u32(w, t->len == 1 ? v[0] : t->len == 2 ? get_u16(v) : get_u24(v));
		break;
	case K_U32S:
		uint_list(w, v, t->len, 4);
		break;
	case K_U64S:
		uint_list(w, v, t->len, 8);
		break;
	case K_LINK_NAME:
		if (json)
			wb_u8(w, '"');
		link_name_print(w, v, t->len, json);
		if (json)
			wb_u8(w, '"');
		break;
	default:
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

/* Whether every TLV is well formed (validation discards the attribute
 * otherwise, so a stored one always is). */
static bool tlvs_ok(const uint8_t *val, size_t len)
{
	const uint8_t *p = val, *end = val + len;
	struct ls_tlv t;
	int rc;
	while ((rc = ls_tlv_next(&p, end, &t)) > 0 && tlv_ok(&t))
		;
	return rc == 0;
}

/* The TLVs in the order received, joined by ", " */
static void tlvs_print(struct wbuf *w, const uint8_t *val, size_t len, bool json)
{
	const uint8_t *p = val, *end = val + len;
	struct ls_tlv t;
	for (bool first = true; ls_tlv_next(&p, end, &t) > 0; first = false) {
		if (!first)
			sb_puts(w, ", ");
		tlv_print(w, &t, val, len, json);
	}
}

ATTR_PRINT_FN(bgpls_attr_json)
{
	if (!tlvs_ok(val, len)) {
		attr_generic_json(w, code, flags, val, len);
		return;
	}
	sb_puts(w, "\"bgp-ls\": { ");
	tlvs_print(w, val, len, true);
	sb_puts(w, " }");
}

/* ExaBGP 4.2's text: ' bgp-ls nodename: r1, ISIS area id: 490001, ...' */
ATTR_PRINT_FN(bgpls_attr_text)
{
	if (!tlvs_ok(val, len)) {
		attr_generic_text(w, code, flags, val, len);
		return;
	}
	sb_puts(w, " bgp-ls ");
	tlvs_print(w, val, len, false);
}
