/* MCAST-VPN NLRI (RFC 6514 4, SAFI 5 "mcast-vpn", ipv4 and ipv6), received
 * and printed as ExaBGP 5.0 prints it (ExaBGP 4.2 has no MVPN).
 *
 *   +-----------------------------------+
 *   | Route Type (1 octet)              |  1..7 (RFC 6514 4)
 *   +-----------------------------------+
 *   | Length (1 octet)                  |  of what follows
 *   +-----------------------------------+
 *   | Route Type specific (variable)    |
 *   +-----------------------------------+
 *
 * ExaBGP 5.0 decodes three route types, each RD(8) [Source AS(4)] then
 * [source length in bits][source][group length in bits][group], IPv4 or
 * IPv6 (18/22 or 42/46 bytes, both addresses of one family):
 *   5 Source Active A-D route           (RD, source, group)
 *   6 C-multicast Shared Tree Join      (RD, source AS, source = C-RP, group)
 *   7 C-multicast Source Tree Join      (RD, source AS, source, group)
 * and keeps the others (1 Intra-AS I-PMSI A-D, 2 Inter-AS I-PMSI A-D,
 * 3 S-PMSI A-D, 4 Leaf A-D, or any other value) as raw bytes.  JSON, in
 * its words (the raw form is the whole NLRI in upper-case hex):
 *   { "code": 5, "parsed": true, "raw": "0512...", "name": "Source Active A-D Route", "rd": "65000:1",
 *     "source": "10.0.0.1", "group": "239.1.1.1"}
 *   (6 and 7 add "source-as": "65001", a string, before "source")
 *   { "code": 1, "parsed": false, "raw": "0108..." }
 * Text, ExaBGP's __str__ (its prefix ends with ':' and the format adds one):
 *   mvpn:sourcead::65000:1:10.0.0.1:239.1.1.1
 *   mvpn:source-join::65000:1:65001:10.0.0.1:239.1.1.1
 *   mvpn:unknown:0x<route type specific bytes, lower case>
 * A route type 5-7 whose body has another length or address lengths is
 * malformed inside a delimited NLRI: the UPDATE is treat-as-withdraw
 * (RFC 7606 5.3; ExaBGP 5.0 resets the session with 3/5 instead). */
#include "nlri/nlri_codec.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "attr/attr_table.h" /* sb_* writers */
#include "nlri/family.h"
#include "nlri/vpn.h"
#include "wire/buf.h"

enum mvpn_route_type {
	MVPN_SOURCE_AD = 5,
	MVPN_SHARED_JOIN = 6,
	MVPN_SOURCE_JOIN = 7,
};

/* The route types ExaBGP 5.0 parses: its names, and whether a source AS follows the RD. */
static const struct mvpn_type {
	const char *name, *short_name;
	bool source_as;
} mvpn_types[8] = {
	[MVPN_SOURCE_AD] = {"Source Active A-D Route", "sourcead", false},
	[MVPN_SHARED_JOIN] = {"C-Multicast Shared Tree Join route", "shared-join", true},
	[MVPN_SOURCE_JOIN] = {"C-Multicast Source Tree Join route", "source-join", true},
};

struct mvpn_route {
	const struct mvpn_type *type; /* NULL: kept raw */
	const uint8_t *rd;
	uint32_t source_as;
	int alen; /* 4 or 16 */
	const uint8_t *source, *group;
};

/* The parsed view of a route type ExaBGP 5.0 parses; -1 when its body is
 * malformed, 0 for the others (r->type NULL). */
static int mvpn_parse(const uint8_t *p, size_t len, struct mvpn_route *r)
{
	memset(r, 0, sizeof(*r));
	uint8_t code = p[0];
	const uint8_t *b = p + 2;
	size_t blen = p[1];
	if (code >= sizeof(mvpn_types) / sizeof(mvpn_types[0]) || !mvpn_types[code].name || 2 + blen > len)
		return 0;
	const struct mvpn_type *t = &mvpn_types[code];
	size_t fixed = RD_LEN + (t->source_as ? 4 : 0);
	int alen = blen == fixed + 2 + 2 * 4 ? 4 : blen == fixed + 2 + 2 * 16 ? 16 : 0;
	if (!alen || b[fixed] != alen * 8 || b[fixed + 1 + alen] != alen * 8)
		return -1;
	r->type = t;
	r->rd = b;
	if (t->source_as)
		r->source_as = get_u32(b + RD_LEN);
	r->alen = alen;
	r->source = b + fixed + 1;
	r->group = b + fixed + 2 + alen;
	return 0;
}

static long mvpn_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			struct nlri_item *out)
{
	(void)fd;
	(void)withdraw;
	if (len < 2 || (size_t)p[1] + 2 > len)
		return -1;
	struct mvpn_route r;
	if (mvpn_parse(p, len, &r) < 0)
		out->bad = true;
	return 2 + p[1];
}

static size_t mvpn_reencode(const struct nlri_item *it, uint8_t *out)
{
	(void)it;
	(void)out;
	return 0; /* a route is kept and re-sent as received */
}

static void mvpn_addr(struct wbuf *w, const uint8_t *a, int alen)
{
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(alen == 4 ? AF_INET : AF_INET6, a, ip, sizeof(ip));
	sb_puts(w, ip);
}

static void mvpn_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	(void)nexthop; /* ExaBGP's text of the route has none */
	struct mvpn_route r;
	mvpn_parse(it->nlri, it->nlri_len, &r);
	if (!r.type) {
		sb_puts(w, "mvpn:unknown:0x");
		for (size_t i = 2; i < it->nlri_len; i++)
			sb_printf(w, "%02x", it->nlri[i]);
		return;
	}
	char rd[40];
	rd_format(rd, sizeof(rd), r.rd);
	sb_printf(w, "mvpn:%s::%s:", r.type->short_name, rd);
	if (r.type->source_as)
		sb_printf(w, "%u:", r.source_as);
	mvpn_addr(w, r.source, r.alen);
	wb_u8(w, ':');
	mvpn_addr(w, r.group, r.alen);
}

static void mvpn_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)nexthop;
	(void)compact;
	struct mvpn_route r;
	mvpn_parse(it->nlri, it->nlri_len, &r);
	sb_printf(w, "{ \"code\": %u, \"parsed\": %s, \"raw\": \"", it->nlri[0], r.type ? "true" : "false");
	for (size_t i = 0; i < it->nlri_len; i++)
		sb_printf(w, "%02X", it->nlri[i]);
	if (!r.type) {
		sb_puts(w, "\" }");
		return;
	}
	char rd[40];
	rd_format(rd, sizeof(rd), r.rd);
	sb_printf(w, "\", \"name\": \"%s\", \"rd\": \"%s\", ", r.type->name, rd);
	if (r.type->source_as)
		sb_printf(w, "\"source-as\": \"%u\", ", r.source_as);
	sb_puts(w, "\"source\": \"");
	mvpn_addr(w, r.source, r.alen);
	sb_puts(w, "\", \"group\": \"");
	mvpn_addr(w, r.group, r.alen);
	sb_puts(w, "\"}");
}

/* ExaBGP 5.0 reads no path identifier in MVPN. */
const struct nlri_codec nlri_codec_mvpn = {mvpn_decode, mvpn_reencode, NULL, mvpn_text, mvpn_json, false};
