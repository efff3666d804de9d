/* Output of the show commands, in ExaBGP 4.2's format
 * (reactor/api/command/neighbor.py and rib.py).
 *
 * "show neighbor summary|extensive" is written by the api module from what
 * it keeps in struct api_neighbor (state, message counters, up time) and
 * the session's OPENs; the host only lists its peers.  "show adj-rib" is
 * the host's walk of its ribs, one api_show_route() per route. */
#ifndef FASTBGP_API_SHOW_H
#define FASTBGP_API_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

/* Python's str(timedelta(seconds=s)): "0:00:04", "1 day, 2:03:04". */
void api_timedelta(char *out, size_t outlen, int64_t seconds);

/* True when the family is shown by the command's filter (inet, flow, l2vpn). */
bool api_show_route_wanted(const struct api_command *c, uint8_t family);

/* One route of a rib, as "show adj-rib" prints it:
 *   neighbor 127.0.0.1 ipv4 unicast 10.9.0.0/24 next-hop 127.0.0.1
 * or with extensive:
 *   neighbor 127.0.0.1 local-ip ... family-allowed in-open ipv4 unicast 10.9.0.0/24 next-hop 127.0.0.1 origin igp ...
 * nlri is the route's NLRI without path identifier (struct route / rib
 * entry form); attrs may be NULL.  A next-hop "self" is shown as the
 * session's local address when known. */
void api_show_route(struct api_reply *r, const struct api_neighbor *n, uint8_t family, const uint8_t *nlri,
		    size_t nlri_len, bool has_path_id, uint32_t path_id, const struct attrset *attrs, bool extensive);

#endif
