/* An IPv4 or IPv6 address, the type the configuration, the process API and
 * the sessions share; in core/ so that none of them includes another for it. */
#ifndef FASTBGP_CORE_IP_ADDR_H
#define FASTBGP_CORE_IP_ADDR_H

#include <stdint.h>

/* An IPv4 or IPv6 address as written in the configuration. */
struct ip_addr {
	uint8_t afi;      /* AFI_IPV4 / AFI_IPV6, 0 = unset */
	uint8_t addr[16]; /* network order; IPv4 uses the first 4 bytes */
};

#endif
