/* A route as the configuration and the API produce it.
 *
 * The NLRI is kept exactly as it goes on the wire for its family, without
 * the ADD-PATH identifier: for unicast [prefix-len][prefix bytes], for
 * labeled/VPN [len][labels][rd][prefix], for FlowSpec [len][components].
 * Packing an UPDATE is then a concatenation, and the same bytes are the
 * route's key in the rib-out. */
#ifndef FASTBGP_RIB_ROUTE_H
#define FASTBGP_RIB_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "attr/attrset.h"

enum route_flag {
	ROUTE_WITHDRAWN = 0x01, /* "withdraw" pseudo-attribute: start withdrawn (watchdog) */
	ROUTE_PATH_ID = 0x02,   /* path-information was given */
};

struct route {
	struct attrset *attrs; /* one reference held by the route */
	const char *watchdog;  /* watchdog name or NULL (owned by the config arena) */
	const char *name;      /* "name" pseudo-attribute or NULL */
	uint32_t path_id;      /* ADD-PATH identifier (RFC 7911) */
	uint8_t family;        /* enum family_id */
	uint8_t flags;         /* enum route_flag */
	uint16_t nlri_len;
	uint8_t nlri[];
};

struct route_list {
	struct route **v;
	size_t n, cap;
};

int route_list_push(struct route_list *l, struct route *r);
void route_list_free(struct route_list *l); /* frees the array, not the routes */

/* The hash of a route's key (family, path-id, NLRI bytes), shared by the
 * adj-rib-out and the adj-rib-in indexes. */
uint32_t route_key_hash(uint8_t family, uint32_t path_id, const uint8_t *nlri, size_t len);

/* Prefix helpers for unicast/multicast NLRI: [len][ceil(len/8) bytes]. */
size_t prefix_nlri_encode(uint8_t *out, const uint8_t *addr, uint8_t plen);
/* Prints "10.0.0.0/24" or "2001:db8::/32" from a unicast NLRI. */
int prefix_nlri_format(char *out, size_t outlen, int afi, const uint8_t *nlri, size_t nlri_len);

#endif
