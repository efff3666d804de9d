/* What a session is made of, derived from the neighbor's configuration and
 * the OPENs: our OPEN, the checks on theirs, and the per-session encoding
 * rules.  Pure functions of the peer, kept apart from the socket code. */
#ifndef FASTBGP_PEER_PEER_PARAMS_H
#define FASTBGP_PEER_PEER_PARAMS_H

#include <stdint.h>

#include "peer/peer.h"

/* Our OPEN (p->ours) from the configuration, capabilities in ExaBGP's order. */
void peer_build_open(struct peer *p);
/* RFC 4271 6.2 and RFC 6286 checks of p->theirs: 0, or the OPEN error subcode. */
uint8_t peer_check_open(struct peer *p);
/* The encoding rules of the established session (eBGP, ASN4, sizes, next-hop self). */
void peer_setup_encoding(struct peer *p);

#endif
