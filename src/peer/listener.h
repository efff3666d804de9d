/* Incoming connections (only when exabgp.tcp.bind is set, as in ExaBGP).
 *
 * An accepted connection is "parked" until its first message, the peer's
 * OPEN, has arrived: only then is the BGP identifier known, which RFC 4271
 * 6.8 needs to resolve a collision with a connection we opened ourselves.
 * A connection from an address that is no configured neighbor is closed at
 * once and logged. */
#ifndef FASTBGP_PEER_LISTENER_H
#define FASTBGP_PEER_LISTENER_H

#include "config/model.h"

struct speaker;

/* Opens a listening socket on addr:port.  Returns 0 or -1 (logged). */
int listener_open(struct speaker *sp, const struct ip_addr *addr, unsigned port);
/* Installs the MD5 keys of every neighbor on every listening socket. */
void listener_apply_md5(struct speaker *sp);
/* Closes every listener and parked connection. */
void listener_close_all(struct speaker *sp);

#endif
