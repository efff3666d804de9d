/* ExaBGP 4.2's JSON events (reactor/api/response/json.py), byte for byte,
 * with api.version=5 selecting ExaBGP 5.0's differences.  The vtable is
 * api_json_encoder (encoder.h); these are the pieces json_open.c and
 * json_update.c share with json.c.
 *
 * Every event body is
 *   "type": "T", ["header": "0x..", "body": "0x..", ]"neighbor": { "address":
 *   { "local": "L", "peer": "P" }, "asn": { "local": N, "peer": N }[, "router-id"
 *   (5.0)] [, "direction": "D"], CONTENT } }
 * and the prefix added per helper is
 *   { "exabgp": "4.0.1", "time": T, "host" : "H", "pid" : N, "ppid" : N, "counter": N,
 * Strings that come from a peer are escaped (fmt_json_str). */
#ifndef FASTBGP_API_JSON_H
#define FASTBGP_API_JSON_H

#include "api/encoder.h"
#include "api/views.h"

/* "type": "T", and the optional header/body of the event (e may be NULL). */
void json_begin(const struct api_fmt *f, struct wbuf *w, const char *type, const struct api_ev *e);
/* The neighbor object up to its content; dir NULL for state events. */
void json_neighbor_open(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const char *dir,
			bool content);
/* Closes the neighbor object and the message: " } }". */
void json_end(struct wbuf *w);

/* '"negotiated": { ... } ' for a neighbor (json_open.c). */
void json_negotiated_kv(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n);
/* '"open": { ... }' (json_open.c). */
void json_open_kv(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e);
/* '"message": { "update": { ... } }' / '"message": { "eor": { ... } }' (json_update.c). */
void json_update_kv(const struct api_fmt *f, struct wbuf *w, const struct api_update_view *uv);
void json_eor_kv(struct wbuf *w, uint16_t afi, uint8_t safi);
/* The "attribute" object's content in the flavour of f (json_update.c). */
void json_attributes(const struct api_fmt *f, struct wbuf *w, const struct attrset *s);

#endif
