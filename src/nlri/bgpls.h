/* BGP-LS (RFC 9552, which obsoletes RFC 7752): the TLV walker shared by
 * the NLRI codec (src/nlri/bgpls.c, AFI 16388 SAFI 71 "bgp-ls" and SAFI 72
 * "bgp-ls-vpn") and the BGP-LS attribute (type 29, src/attr/attr_bgpls.c),
 * and the printers both use. */
#ifndef FASTBGP_NLRI_BGPLS_H
#define FASTBGP_NLRI_BGPLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wbuf;

/* RFC 9552 5.1: every piece of BGP-LS is a TLV [type:2][length:2][value]. */
struct ls_tlv {
	uint16_t type;
	uint16_t len;
	const uint8_t *v;
};

/* The next TLV of [*p, end): 1 with t filled and *p past it, 0 at the
 * end, -1 when a header or value overruns. */
static inline int ls_tlv_next(const uint8_t **p, const uint8_t *end, struct ls_tlv *t)
{
	if (*p >= end)
		return 0;
	if (end - *p < 4)
		return -1;
	t->type = (uint16_t)((*p)[0] << 8 | (*p)[1]);
	t->len = (uint16_t)((*p)[2] << 8 | (*p)[3]);
	if ((size_t)(end - *p - 4) < t->len)
		return -1;
	t->v = *p + 4;
	*p += 4 + (size_t)t->len;
	return 1;
}

/* Whether [p, p+len) is exactly a sequence of TLVs. */
bool ls_tlvs_walk(const uint8_t *p, size_t len);

/* Why a Link-State NLRI value (after its type and length, after the RD of
 * bgp-ls-vpn) is malformed (RFC 9552 5.2, 8.2.2), NULL when it is not. */
const char *bgpls_nlri_check(uint16_t type, const uint8_t *v, size_t len);

/* An address of 4 or 16 bytes as text (anything else as 0x hex). */
void ls_addr(struct wbuf *w, const uint8_t *a, size_t len);
/* The bytes as lower-case hex, as ExaBGP prints IS-IS system and area ids. */
void ls_hex(struct wbuf *w, const uint8_t *a, size_t len);

#endif
