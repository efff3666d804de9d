/* TCP-AO (RFC 5925) keys on BGP sockets, through Linux's TCP_AO_ADD_KEY
 * (Linux 6.7 and later, built with CONFIG_TCP_AO).  Where the kernel does
 * not offer it the operator is told so, at "fastbgp -t" time and when a
 * session starts; a session is never opened without the key it asks for. */
#ifndef FASTBGP_PEER_TCP_AO_H
#define FASTBGP_PEER_TCP_AO_H

#include <stddef.h>

#include "config/model.h"

/* Installs the neighbor's tcp-ao key for its peer address on fd (a
 * connecting or a listening socket).  Returns 0, or -errno with err set to
 * "FILE:LINE: reason" (the tcp-ao block's place). */
int tcp_ao_set_key(int fd, const struct neighbor_conf *c, char *err, size_t errlen);

/* Tries the neighbor's key on a throwaway socket: 0, or -1 with err set. */
int tcp_ao_probe(const struct neighbor_conf *c, char *err, size_t errlen);

/* Tries every tcp-ao block of the configuration on a throwaway socket:
 * 0, or -1 with err set as above (for "fastbgp -t"). */
int tcp_ao_check_config(const struct config *cfg, char *err, size_t errlen);

#endif
