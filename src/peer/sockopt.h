/* Socket options a BGP session needs: TCP MD5 signatures (RFC 2385) and
 * the TTL security options (RFC 5082 GTSM).  Each returns 0 or -errno and
 * fills err with a sentence an operator can act on. */
#ifndef FASTBGP_PEER_SOCKOPT_H
#define FASTBGP_PEER_SOCKOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "config/model.h"

/* Fills ss from an address and port; returns -1 when the address is unset. */
int sockaddr_from_ip(const struct ip_addr *a, unsigned port, struct sockaddr_storage *ss);
/* "192.0.2.1" / "2001:db8::1" (no port). */
void sockaddr_format(const struct sockaddr *sa, char *out, size_t len);
/* Fills an ip_addr from a socket address (IPv4-mapped IPv6 becomes IPv4). */
void ip_from_sockaddr(const struct sockaddr *sa, struct ip_addr *a);

/* Is a inside net/plen? */
bool ip_in_prefix(const struct ip_addr *a, const struct ip_addr *net, unsigned plen);

/* Installs (or with key NULL removes) the MD5 key for one peer address on
 * fd.  md5_base64: the key is base64 text to decode first. */
int sockopt_md5(int fd, const struct ip_addr *peer, const char *key, int md5_base64, char *err, size_t errlen);
/* IP_TTL / IPV6_UNICAST_HOPS for outgoing packets. */
int sockopt_ttl(int fd, int family, int ttl, char *err, size_t errlen);
/* IP_MINTTL / IPV6_MINHOPCOUNT: drop packets that arrive with a lower TTL. */
int sockopt_minttl(int fd, int family, int minttl, char *err, size_t errlen);

#endif
