/* VPLS NLRI (AFI 25 l2vpn, SAFI 65 vpls; RFC 4761 3.2.2):
 *
 *   +------------------------------------+
 *   |  Length (2 octets) = 17            |
 *   +------------------------------------+
 *   |  Route Distinguisher (8 octets)    |
 *   +------------------------------------+
 *   |  VE ID "endpoint" (2 octets)       |
 *   +------------------------------------+
 *   |  VE Block Offset (2 octets)        |
 *   +------------------------------------+
 *   |  VE Block Size (2 octets)          |
 *   +------------------------------------+
 *   |  Label Base (3 octets)             |  20 bits, then 0000, then the
 *   +------------------------------------+  bottom-of-stack bit (set)
 *
 * The Layer2 Info extended community (0x800A: encapsulation, control flags,
 * MTU, preference) travels with the route as an attribute: it is written
 * with "extended-community [ l2info:ENC:CTL:MTU:PREF ]". */
#ifndef FASTBGP_NLRI_VPLS_H
#define FASTBGP_NLRI_VPLS_H

#include <stddef.h>
#include <stdint.h>

#define VPLS_NLRI_LEN 19

struct vpls_nlri {
	uint8_t rd[8];
	uint16_t endpoint;
	uint16_t offset;
	uint16_t size;
	uint32_t base; /* 20 bits */
};

/* Writes the 19 bytes of the NLRI (length included); returns 19. */
size_t vpls_nlri_encode(uint8_t *out, const struct vpls_nlri *v);
/* Decodes one NLRI from p[0..len); returns the bytes used (19), or -1 when
 * the length field is not 17 or the data is short. */
long vpls_nlri_decode(const uint8_t *p, size_t len, struct vpls_nlri *v);
/* ExaBGP's text: "vpls rd R endpoint E base B offset O size S[ next-hop N]". */
int vpls_format(char *out, size_t outlen, const struct vpls_nlri *v, const char *nexthop);

#endif
