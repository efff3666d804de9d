/* Small formatting helpers shared by the JSON and text encoders: the
 * strings ExaBGP 4.2 prints for numbers, families, FSM states and signals,
 * and a JSON string writer that is safe for any bytes a peer sends. */
#ifndef FASTBGP_API_FMT_H
#define FASTBGP_API_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "wire/buf.h"

/* Python's repr() of a float, which ExaBGP uses for "time": the shortest
 * digits that read back to the same double, fixed notation between 1e-4
 * and 1e16 with at least one digit after the point ("1795644777.0"),
 * scientific otherwise ("1e+16").  out needs 32 bytes. */
void fmt_pyfloat(double v, char *out, size_t outlen);

/* ExaBGP's hexstring(): "0x" and two upper case digits per byte ("0x" alone
 * for no bytes). */
void fmt_hexstring(struct wbuf *w, const uint8_t *p, size_t n);

/* A JSON string literal (with its quotes) for text that may come from a
 * peer: quotes, backslashes and control characters are escaped, valid UTF-8
 * is kept as is, and every byte that is not part of a valid UTF-8 sequence
 * becomes \ufffd.  The result is always valid JSON. */
void fmt_json_str(struct wbuf *w, const char *s, size_t n);
void fmt_json_cstr(struct wbuf *w, const char *s);

/* ExaBGP's names: "ipv4", "ipv6", "l2vpn", "bgp-ls", else
 * "unknown-afi-0x0x1f" (sic: ExaBGP writes hex() after "0x"). */
const char *fmt_afi(uint16_t afi, char buf[32]);
/* "unicast", "multicast", "nlri-mpls", "mpls-vpn", "flow", "flow-vpn",
 * "vpls", "evpn", "bgp-ls", "bgp-ls-vpn", "rtc", else "unknown safi 7". */
const char *fmt_safi(uint8_t safi, char buf[32]);
/* AFI / SAFI from ExaBGP's command words; -1 when unknown. */
int fmt_afi_value(const char *s);
int fmt_safi_value(const char *s);

/* ExaBGP's FSM names for enum peer_state: "IDLE", "CONNECT", "ACTIVE",
 * "OPENSENT", "OPENCONFIRM", "ESTABLISHED" ("INVALID" otherwise). */
const char *fmt_fsm_name(int peer_state);

/* "SIGTERM", "SIGUSR1", ... as Python's signal module names the number
 * (the alphabetically first name when several share it), "UNKNOWN". */
const char *fmt_signal_name(int signum);

/* ExaBGP's name of a capability code, as the keys of a sent OPEN show it:
 * "multiprotocol", "asn4", "graceful-restart", ..., else
 * "unknown capability 0x49". */
const char *fmt_capability_name(uint8_t code, char buf[40]);

/* "10.0.0.1" from 4 bytes in network order, or from a host-order value. */
void fmt_ipv4(char out[16], const uint8_t *a4);
void fmt_ipv4_host(char out[16], uint32_t v);

#endif
