/* BGP/MPLS IP VPN prefixes (SAFI 128 "mpls-vpn", RFC 4364 for IPv4,
 * RFC 4659 for IPv6): a labeled prefix (labeled.h) with an 8-octet Route
 * Distinguisher between the labels and the prefix.
 *
 * Route Distinguisher (RFC 4364 4.2), type in the first two octets:
 *   0: 2-octet ASN, 4-octet number     "65000:1"
 *   1: IPv4 address, 2-octet number    "192.0.2.1:1"
 *   2: 4-octet ASN, 2-octet number     "4200000000:1"
 * The text forms are ExaBGP's (the type is chosen from the values, see
 * av_route_distinguisher); other types print as 0x and 16 hex digits. */
#ifndef FASTBGP_NLRI_VPN_H
#define FASTBGP_NLRI_VPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlri/labeled.h"

#define RD_LEN 8

/* Writes the text form of a route distinguisher (no leading space). */
int rd_format(char *out, size_t outlen, const uint8_t rd[RD_LEN]);

/* [len][labels][rd][prefix]; 0 when it does not fit (see labeled_nlri_encode). */
static inline size_t vpn_nlri_encode(uint8_t *out, const uint32_t *labels, int n, const uint8_t rd[RD_LEN],
				     const uint8_t *addr, uint8_t plen)
{
	return labeled_nlri_encode(out, labels, n, rd, addr, plen);
}

static inline long vpn_nlri_decode(const uint8_t *p, size_t len, int alen, bool withdraw, struct labeled_prefix *out)
{
	return labeled_nlri_decode(p, len, alen, true, withdraw, out);
}

#endif
