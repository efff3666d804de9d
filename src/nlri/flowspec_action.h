/* FlowSpec actions ("then" words) as extended communities.
 *
 * Each action becomes one extended community, written with the bytes
 * ExaBGP 4.2 writes for it (RFC 8955 section 7, RFC 7674, the redirect
 * drafts), and some also set the route's next-hop:
 *   accept                       nothing
 *   discard                      traffic-rate 0          80 06 0000 00000000
 *   rate-limit N                 traffic-rate N bytes/s  80 06 0000 <IEEE float N>
 *   redirect ASN:NN              2-octet AS (NN < 2^32)  80 08 ASN2 NN4
 *                                4-octet AS (NN < 2^16)  82 08 ASN4 NN2
 *   redirect IP                  next-hop IP, and        08 00 00000000 0000
 *   redirect [IPv6]:NN           next-hop IP, and IPv6-address-specific (attribute 25)
 *                                00 0D IPv6 NN2 (RFC 8956; ExaBGP 4.2 raises an error here)
 *   redirect-to-nexthop          08 00 00000000 0000
 *   redirect-to-nexthop-ietf IP  IPv4: 01 0C IPv4 0000; IPv6: attribute 25, 00 0C IPv6 0000
 *   copy IP                      next-hop IP, and        08 00 00000000 0001
 *   mark N (0..63)               80 09 00000000 00 N
 *   action sample|terminal|sample-terminal  80 07 00000000 00 (sample 2 | terminal 1)
 * and in the scope section
 *   interface-set transitive|non-transitive:input|output|input-output:ASN:GROUP
 *                                07|47 02 ASN4 (direction << 14 | group) */
#ifndef FASTBGP_NLRI_FLOWSPEC_ACTION_H
#define FASTBGP_NLRI_FLOWSPEC_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flow_action {
	bool has_ext;        /* ext: one extended community (attribute 16) */
	uint8_t ext[8];
	bool has_ext6;       /* ext6: one IPv6 address specific extended community (attribute 25) */
	uint8_t ext6[20];
	bool set_nh;         /* the action sets the route's next-hop to nh (nh_len 0: none) */
	uint8_t nh_len;
	uint8_t nh[16];
};

/* -1: kw is not an action; 0: it takes no value; 1: it takes one value. */
int flow_action_arity(const char *kw);

/* Parses one action (arg is its value, NULL when it takes none).  Returns
 * 0, or -1 with a reason in err. */
int flow_action_parse(const char *kw, const char *arg, struct flow_action *out, char *err, size_t errlen);

/* "transitive:input:1234:1234" -> the interface-set extended community. */
int flow_interface_set(const char *s, uint8_t out[8], char *err, size_t errlen);

#endif
