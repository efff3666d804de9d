/* Decoded views of OPEN and UPDATE messages, in the order and shape the
 * encoders print them (ExaBGP 4.2's objects, not fastbgp's session state).
 *
 * OPEN: wire/open.h's struct open_listing, filled by open_decode().
 *
 * UPDATE: the routes of the message in ExaBGP's order (withdrawn field,
 * NLRI field, MP_UNREACH_NLRI, MP_REACH_NLRI), each with its family and
 * next-hop; a 32-byte MP next-hop (global + link-local) yields each prefix
 * twice, once per next-hop, as ExaBGP does.  Decoding goes through
 * update/update_parse.c (attributes, interned set for printing) and
 * nlri/nlri_decode.c; FlowSpec NLRI through nlri/flowspec.h. */
#ifndef FASTBGP_API_VIEWS_H
#define FASTBGP_API_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/attrset.h"
#include "nlri/nlri_decode.h"
#include "wire/open.h"
#include "update/update_parse.h"

/* An OPEN body (after the header) through wire/open.c's decoder, for
 * messages the session did not decode (sent ones).  Returns 0, -1 when
 * malformed (the listing then holds what was read before the error). */
int api_open_view_parse(struct open_listing *v, const uint8_t *body, size_t len);

struct api_nlri {
	uint8_t announce;   /* 1 announced, 0 withdrawn */
	uint16_t afi;
	uint8_t safi;
	int16_t nh;         /* index in view->nh[], -1: none ("no-nexthop") */
	struct nlri_item item; /* decoded by the family's codec (nlri_decode.h) */
};

#define API_UV_MAX_NH 4

struct api_update_view {
	struct update_msg msg;      /* api_update_view_build()'s own parse (references released by clear) */
	struct attr_pool *pool;     /* msg's sets and shown are interned here */
	struct attrset *shown;      /* a set made for printing (see api_update_view_fill), or NULL */
	const struct attrset *attrs; /* attributes to print, NULL when none */
	bool has_attributes;        /* the message carried attributes besides MP_REACH / MP_UNREACH */
	bool eor;
	uint16_t eor_afi;
	uint8_t eor_safi;
	struct api_nlri *v;
	size_t n, cap;
	char nh[API_UV_MAX_NH][48];
	int nnh;
	unsigned skipped;           /* NLRI of families not decoded here */
};

/* What the UPDATE is decoded with (from the session, or defaults). */
struct api_update_opts {
	bool asn4;
	family_mask addpath;        /* families whose NLRI carry path identifiers */
	bool ebgp;                  /* fill: the parse was an external session's */
};

void api_update_view_init(struct api_update_view *uv, struct attr_pool *pool);
/* The view of an UPDATE already parsed by update/update_parse.c: the
 * session's own parse of a received message (decoded once), which must
 * outlive the view's use.  o->ebgp: the session discarded LOCAL_PREF
 * (RFC 7606 7.5), which ExaBGP still prints.  Returns 0, or -1 when the
 * message is not printable (session reset verdict: ExaBGP prints nothing
 * for it either). */
int api_update_view_fill(struct api_update_view *uv, const struct update_msg *m, const struct api_update_opts *o);
/* Parses an UPDATE body (a message the session did not decode: sent ones,
 * "fastbgp decode") with o's options, then fills the view. */
int api_update_view_build(struct api_update_view *uv, const uint8_t *body, size_t len,
			  const struct api_update_opts *o);
/* Drops what the last build kept (attribute set references). */
void api_update_view_clear(struct api_update_view *uv);
void api_update_view_free(struct api_update_view *uv);

/* The NLRI in ExaBGP's JSON form ('{ "nlri": "10.0.0.0/24" }', the flow or
 * vpls object, ...) and text form ("10.0.0.0/24 next-hop 1.2.3.4", ...);
 * nexthop is the text of the route's next-hop or NULL. */
void api_nlri_json(struct wbuf *w, const struct api_nlri *x, const char *nexthop, bool compact);
void api_nlri_text(struct wbuf *w, const struct api_nlri *x, const char *nexthop);

#endif
