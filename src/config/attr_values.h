/* Configuration values: text to canonical bytes.
 *
 * One function per kind of value written in a configuration or an API
 * command (numbers, addresses, prefixes, ASNs, communities, ...).  They are
 * independent of the token stream: each takes one word and returns 0, or -1
 * with a human-readable reason in err.  The byte layouts are what ExaBGP 4.2
 * produces for the same text (lib/exabgp/configuration/static/parser.py),
 * checked against the conformance vectors. */
#ifndef FASTBGP_CONFIG_ATTR_VALUES_H
#define FASTBGP_CONFIG_ATTR_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/model.h"

/* Decimal digits only (no sign, no blanks), value <= max. */
int av_uint(const char *s, uint64_t max, uint64_t *out);
/* Decimal, or hexadecimal with a 0x prefix, value <= max. */
int av_number(const char *s, uint64_t max, uint64_t *out);
/* true|enable|enabled -> 1, false|disable|disabled -> 0, else -1. */
int av_bool(const char *s);

/* Strict dotted quad (no leading zeros, as inet_pton). */
int av_ipv4(const char *s, uint8_t out[4]);
/* IPv6 when the text holds ':', IPv4 when it holds '.', as ExaBGP decides. */
int av_ip(const char *s, struct ip_addr *out);
/* "ADDR/LEN" or "ADDR" (a host route).  With strict, bits set past LEN are
 * an error ("invalid network ... for netmask ..."), as in ExaBGP's routes. */
int av_prefix(const char *s, bool strict, struct ip_addr *addr, uint8_t *plen, char *err, size_t errlen);

/* An ASN: N or the asdot form H.L (neighbor local-as / peer-as). */
int av_asn(const char *s, uint32_t *out);

/* Standard community (RFC 1997): A:B, N, 0xHEX or a well-known name. */
int av_community(const char *s, uint32_t *out, char *err, size_t errlen);
/* Large community (RFC 8092): A:B:C or one number below 2^96. */
int av_large_community(const char *s, uint8_t out[12], char *err, size_t errlen);
/* Extended community (RFC 4360): target:/origin:/redirect:/l2info:/
 * bandwidth:..., redirect-to-nexthop, A:B (a route target), 0x + 16 hex. */
int av_ext_community(const char *s, uint8_t out[8], char *err, size_t errlen);

/* Route distinguisher (RFC 4364): ASN2:N32, ASN4:N16 or IP:N16. */
int av_route_distinguisher(const char *s, uint8_t out[8], char *err, size_t errlen);

/* "0x" followed by an even number of hex digits (possibly none); returns the
 * number of bytes written, or -1 (bad text or more than max bytes). */
long av_hex_bytes(const char *s, uint8_t *out, size_t max);

/* Formats an address for messages and dumps. */
const char *av_ip_format(const struct ip_addr *a, char *buf, size_t len);

#endif
