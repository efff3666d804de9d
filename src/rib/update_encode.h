/* Per-peer UPDATE encoding of interned attribute sets (RFC 4271 4.3).
 *
 * Attribute sets are stored peer-independent; this is where ExaBGP's
 * per-session rules are applied while writing, straight into the output
 * buffer:
 *   - ORIGIN IGP and AS_PATH are added when absent (empty AS_PATH on iBGP,
 *     [local-as] on eBGP); LOCAL_PREF 100 is added on iBGP and dropped on
 *     eBGP even when configured;
 *   - on eBGP the local AS is prepended to a configured AS_PATH unless it
 *     already starts with it (the ExaBGP FAQ's promise, see EXABGP-COMPAT);
 *   - without the ASN4 capability AS_PATH/AGGREGATOR are written with
 *     2-octet ASNs, AS_TRANS standing in for larger ones, followed by
 *     AS4_PATH/AS4_AGGREGATOR (RFC 6793 4.2.2);
 *   - NEXT_HOP is written for IPv4 next-hops, MP_REACH/MP_UNREACH last. */
#ifndef FASTBGP_RIB_UPDATE_ENCODE_H
#define FASTBGP_RIB_UPDATE_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/attrset.h"
#include "wire/buf.h"

struct encode_ctx {
	bool ebgp;
	bool asn4;
	uint32_t local_as;
	size_t max_msg;          /* 4096 or 65535 */
	uint8_t self4[4];        /* local IPv4 address, for next-hop self */
	uint8_t self6[16];       /* local IPv6 address, for next-hop self */
	bool has_self4, has_self6;
	bool self_is_v6;         /* the session runs over IPv6 */
	/* draft-ietf-idr-linklocal-capability negotiated, local-link-local
	 * configured and the peer one hop away (no outgoing-ttl above 1) */
	bool has_link_local;
	uint8_t link_local[16];
};

/* Resolves "next-hop self" and returns the effective next-hop. */
void encode_nexthop(const struct encode_ctx *c, const struct nexthop *in, struct nexthop *out);

/* RFC 2545 3 as ExaBGP 5 sends it: a global IPv6 next-hop of an IPv6
 * family without a route distinguisher gets the session's link-local
 * address after it (32 bytes) when has_link_local. */
void encode_link_local(const struct encode_ctx *c, int family, struct nexthop *nh);

/* Appends the path attributes of s (no MP attributes) with the session's
 * rules, for routes of the given family (enum family_id): NEXT_HOP (3) is
 * written when the next-hop is IPv4 and the family table says so. */
void encode_attributes(struct wbuf *w, const struct attrset *s, const struct encode_ctx *c, int family);

/* Writes one attribute header + value; the extended-length flag is set when
 * the value needs it or when the stored flags already carry it. */
void encode_attribute(struct wbuf *w, uint8_t flags, uint8_t code, const uint8_t *val, size_t len);

/* End-of-RIB marker for a family (RFC 4724 2): an empty UPDATE for IPv4
 * unicast, an MP_UNREACH_NLRI with no NLRI otherwise. */
void encode_eor(struct wbuf *w, uint16_t afi, uint8_t safi);

#endif
