/* The codecs of the NLRI layouts (enum nlri_kind), one per layout; the
 * family table (family.c) points each family at one.  Internal to
 * src/nlri/: other code goes through nlri_decode.h. */
#ifndef FASTBGP_NLRI_NLRI_CODEC_H
#define FASTBGP_NLRI_NLRI_CODEC_H

#include <string.h>

#include "nlri/nlri_decode.h"

extern const struct nlri_codec nlri_codec_prefix;  /* unicast, multicast */
extern const struct nlri_codec nlri_codec_labeled; /* nlri-mpls */
extern const struct nlri_codec nlri_codec_vpn;     /* mpls-vpn */
extern const struct nlri_codec nlri_codec_vpls;    /* l2vpn vpls */
extern const struct nlri_codec nlri_codec_flow;    /* flow, flow-vpn */
extern const struct nlri_codec nlri_codec_rtc;     /* rtc */
extern const struct nlri_codec nlri_codec_evpn;    /* l2vpn evpn */
extern const struct nlri_codec nlri_codec_mvpn;    /* mcast-vpn (mvpn.c) */
extern const struct nlri_codec nlri_codec_bgpls;   /* bgp-ls, bgp-ls-vpn */
extern const struct nlri_codec nlri_codec_srpolicy; /* sr-policy (srpolicy.c) */

/* A unicast/multicast prefix [len][prefix bytes] of an alen-byte address:
 * the bytes used, -1 when malformed.  Inline: it is the decode of almost
 * every received route, and the iterator calls it without the codec's
 * indirection. */
static inline long nlri_prefix_decode(const uint8_t *p, size_t len, int alen, struct labeled_prefix *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1 || p[0] > alen * 8)
		return -1;
	size_t pb = (p[0] + 7u) / 8u;
	if (1 + pb > len)
		return -1;
	out->plen = p[0];
	memcpy(out->addr, p + 1, pb);
	if (out->plen % 8)
		out->addr[pb - 1] &= (uint8_t)(0xFF << (8 - out->plen % 8));
	return (long)(1 + pb);
}

#endif
