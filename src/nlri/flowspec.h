/* FlowSpec NLRI (RFC 8955 for IPv4, RFC 8956 for IPv6; SAFI 133 flow and
 * 134 flow-vpn).
 *
 * An NLRI is [length: 1 or 2 bytes][route distinguisher: 8 bytes, flow-vpn
 * only][components], the components sorted by type.  Each component is one
 * of three kinds:
 *   prefix   (types 1, 2)  IPv4: [type][len][prefix bytes]
 *                          IPv6: [type][len][offset][prefix bytes]
 *   numeric  (3-8, 10, 11, 13)  [type] then (operator, value) pairs
 *   bitmask  (9 tcp-flags, 12 fragment)  [type] then (operator, value) pairs
 * An operator byte is  e a l l . . . .  : e = end of list, a = AND with the
 * previous pair (otherwise OR), ll = value length 1, 2, 4 (or 8) bytes; the
 * low nibble holds lt/gt/eq (numeric) or not/match (bitmask).
 *
 * The encoding follows ExaBGP 4.2 byte for byte (its conformance vectors
 * check it):
 *   - a value takes the smallest length that holds it, capped per component
 *     (1 byte for protocol, icmp, dscp; 2 for ports, lengths, flags; 4 for
 *     the flow label);
 *   - prefixes carry ceil(len/8) address bytes, host bits as written, and
 *     IPv6 prefixes carry them from the start of the address whatever the
 *     offset (RFC 8956 would carry only the bits after the offset; the two
 *     agree for offset 0, which is what everyone sends);
 *   - components of one type stay in the order written, the end-of-list bit
 *     goes on the last one, and types are sorted as RFC 8955 requires;
 *   - the length takes two bytes (0xF000 | len) from 240 bytes on.
 *
 * The decoder produces ExaBGP's text and JSON forms, e.g.
 *   flow destination-ipv4 10.0.0.1/32 protocol =tcp destination-port =80
 *   { "destination-ipv4": [ "10.0.0.1/32" ], "protocol": [ "=tcp" ], ...,
 *     "string": "flow destination-ipv4 ..." }
 * It never reads outside the bytes it is given and reports malformed input
 * (bad length, unknown component, truncated operator or value) as an error. */
#ifndef FASTBGP_NLRI_FLOWSPEC_H
#define FASTBGP_NLRI_FLOWSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/buf.h"

enum flow_type {
	FLOW_DESTINATION = 1,
	FLOW_SOURCE = 2,
	FLOW_PROTOCOL = 3,     /* IPv6: next-header */
	FLOW_PORT = 4,
	FLOW_DEST_PORT = 5,
	FLOW_SOURCE_PORT = 6,
	FLOW_ICMP_TYPE = 7,
	FLOW_ICMP_CODE = 8,
	FLOW_TCP_FLAGS = 9,
	FLOW_PACKET_LENGTH = 10,
	FLOW_DSCP = 11,        /* IPv6: traffic-class */
	FLOW_FRAGMENT = 12,
	FLOW_FLOW_LABEL = 13,  /* IPv6 only */
	FLOW_TYPE_MAX = 13,
};

enum flow_kind { FLOW_KIND_PREFIX, FLOW_KIND_NUMERIC, FLOW_KIND_BITMASK };

/* Operator bits. */
#define FLOW_OP_EOL 0x80
#define FLOW_OP_AND 0x40
#define FLOW_OP_LEN 0x30
#define FLOW_OP_LT 0x04    /* numeric */
#define FLOW_OP_GT 0x02
#define FLOW_OP_EQ 0x01
#define FLOW_OP_NOT 0x02   /* bitmask */
#define FLOW_OP_MATCH 0x01

/* Largest NLRI (components and RD) the two-byte length can describe. */
#define FLOW_MAX_LEN 0xFFF

/* One component type: how it is encoded and how a received one is printed. */
struct flow_component_def {
	uint8_t type;
	uint8_t kind;         /* enum flow_kind */
	uint8_t width;        /* longest value written: 1, 2 or 4 bytes */
	uint8_t afis;         /* 1 = valid in received IPv4 NLRI, 2 = IPv6, 3 = both */
	const char *name4;    /* name in decoded IPv4 routes ("destination-ipv4") */
	const char *name6;    /* name in decoded IPv6 routes */
	/* Received value -> ExaBGP's text for it. */
	void (*format)(struct wbuf *w, uint64_t v);
};

/* A match keyword of the configuration ("source", "port", "next-header",
 * "traffic-class", ...): the component it sets and its values. */
struct flow_keyword {
	const char *kw;
	uint8_t type;
	uint32_t max;         /* largest value accepted */
	/* One value word (a name, a number, names joined with '+') -> 0 or -1. */
	int (*parse)(const char *s, uint64_t *v);
};

/* The definition of a type (1..13), NULL for others. */
const struct flow_component_def *flow_component(uint8_t type);
/* The match keyword kw, NULL when it is none. */
const struct flow_keyword *flow_keyword_find(const char *kw);

/* ---- building an NLRI from configuration words */

struct flow_item {
	uint8_t type;
	uint8_t op;      /* operator without length and end-of-list bits */
	uint8_t plen;    /* prefixes */
	uint8_t offset;  /* IPv6 prefixes */
	uint8_t afi;     /* prefixes: AFI_IPV4 / AFI_IPV6 */
	uint64_t value;
	uint8_t addr[16];
};

struct flow_builder {
	uint8_t afi;     /* AFI of the prefixes given, 0 = none yet */
	bool has_rd;
	uint8_t rd[8];
	struct flow_item *v;
	size_t n, cap;
};

void flow_builder_init(struct flow_builder *b);
void flow_builder_reset(struct flow_builder *b);
void flow_builder_free(struct flow_builder *b);

/* "ADDR/LEN" (IPv4), "ADDR/LEN" or "ADDR/LEN/OFFSET" (IPv6) for type
 * FLOW_SOURCE or FLOW_DESTINATION.  A bare address is a host route.
 * Mixing IPv4 and IPv6 prefixes in one route is an error. */
int flow_add_prefix(struct flow_builder *b, uint8_t type, const char *text, char *err, size_t errlen);

/* One word of a numeric or bitmask condition: "=80", ">8080&<8088",
 * "!=tcp", "syn", "RST&FIN&!=push", "true", ...  Items joined with '&' are
 * ANDed; separate words (a [ list ]) are ORed.  Operators, as ExaBGP:
 *   numeric: = > < >= <= != true false (no operator means =)
 *   bitmask: = (match) ! (not) != (not match), none = any bit set */
int flow_add_condition(struct flow_builder *b, const struct flow_keyword *k, const char *word, char *err,
		       size_t errlen);

/* Writes the NLRI ([length][rd][components]) into out.  Returns its size,
 * or -1 (no component, too long) with err set. */
int flow_encode(const struct flow_builder *b, uint8_t *out, size_t cap, char *err, size_t errlen);

/* ---- decoding received NLRI */

/* Size in bytes (length field included) of the NLRI that starts at p, or
 * -1 when the length field is truncated or claims more than len bytes. */
long flow_nlri_size(const uint8_t *p, size_t len);

/* Checks one received NLRI of family (afi, safi) (len its exact size, as
 * flow_nlri_size gives it) without printing it or allocating: 0 when it is
 * well formed, -1 with err set when it is malformed (RFC 8955 4.2 / 7, RFC
 * 8956): a component type unknown for the AFI (0xEE, 13 in IPv4),
 * components out of increasing type order, a prefix longer than the
 * address, a truncated prefix, operator list or value, no component at all,
 * a flow-vpn NLRI shorter than its route distinguisher. */
int flow_nlri_check(uint16_t afi, uint8_t safi, const uint8_t *nlri, size_t len, char *err, size_t errlen);

/* Decodes one NLRI of family (afi, safi) and appends ExaBGP's text form to
 * text and its JSON object to json (either may be NULL).  nexthop is the
 * route's next-hop as text, or NULL when it has none.  len must be the
 * NLRI's exact size (flow_nlri_size).  Returns 0, or -1 with err set (and
 * text/json truncated back to their length on entry). */
int flow_format(uint16_t afi, uint8_t safi, const uint8_t *nlri, size_t len, const char *nexthop, struct wbuf *text,
		struct wbuf *json, char *err, size_t errlen);

/* The text of a route distinguisher as ExaBGP prints it ("65535:65536",
 * "1.2.3.4:5", or 0x + hex for unknown types). */
void flow_rd_format(struct wbuf *w, const uint8_t rd[8]);

#endif
