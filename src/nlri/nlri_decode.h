/* Received NLRI, one family at a time: a field (the UPDATE's NLRI or
 * withdrawn routes field, or the NLRI of MP_REACH_NLRI / MP_UNREACH_NLRI) is
 * walked entry by entry, each entry split into its parts (path identifier,
 * labels, route distinguisher, prefix, VPLS values), with the NLRI bytes in
 * the form struct route keeps (no path identifier), so a received route can
 * be stored, compared and re-sent as is.
 *
 * Each family's layout is decoded by its codec (family_table[f].codec,
 * nlri_codec.c): ipv4/ipv6 unicast and multicast, nlri-mpls (RFC 8277),
 * mpls-vpn (RFC 4364 / 4659), l2vpn vpls (RFC 4761), FlowSpec (RFC 8955 /
 * 8956), RTC (RFC 4684), EVPN (RFC 7432 / 9136).  Families without a
 * codec (BGP-LS) are refused:
 * nlri_iter_init() returns -1. */
#ifndef FASTBGP_NLRI_NLRI_DECODE_H
#define FASTBGP_NLRI_NLRI_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlri/family.h"
#include "nlri/labeled.h"
#include "nlri/vpls.h"

struct wbuf;
struct family_def;

/* Longest rib key a codec writes (an EVPN MAC/IP key is 35 bytes). */
#define NLRI_KEY_MAX (LABELED_NLRI_MAX + 32)

struct nlri_item {
	uint8_t family;          /* enum family_id */
	bool has_path_id;        /* the field carries ADD-PATH identifiers */
	bool bad;                /* delimited by its length but malformed inside (a
				  * FlowSpec rule, RFC 8955 7): no route, only a
				  * reason for treat-as-withdraw */
	uint32_t path_id;
	const uint8_t *nlri;     /* into the field: the NLRI without the path identifier */
	uint16_t nlri_len;
	/* prefix families */
	struct labeled_prefix pfx; /* nlabels 0 and has_rd false for unicast/multicast */
	/* l2vpn vpls */
	struct vpls_nlri vpls;
};

/* The hooks of one NLRI layout (enum nlri_kind), shared by the families
 * that use it; family_table points each family at its codec, so code
 * outside src/nlri/ never asks which family it holds. */
struct nlri_codec {
	/* One NLRI at p[0..len) (after any path identifier) into out's parts:
	 * the bytes used, or -1 when it cannot be delimited (the field is then
	 * unreadable from there).  Sets out->bad for an NLRI that is delimited
	 * but malformed inside. */
	long (*decode)(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw, struct nlri_item *out);
	/* Writes the NLRI again from its parts; 0 when they do not fit. */
	size_t (*encode)(const struct nlri_item *it, uint8_t *out);
	/* The route's key in a rib when it is not the whole NLRI (RFC 8277:
	 * the labels are not part of it): writes it to out (NLRI_KEY_MAX
	 * bytes) and returns its length, 0 when the NLRI is the key.  NULL:
	 * the NLRI is always the key. */
	size_t (*route_key)(const struct nlri_item *it, uint8_t *out);
	/* ExaBGP's text and JSON forms of the route; nexthop NULL when none;
	 * compact: a bare prefix prints as a string (json.compact). */
	void (*text)(struct wbuf *w, const struct nlri_item *it, const char *nexthop);
	void (*json)(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact);
	/* RFC 7911 path identifiers are read for this layout (ExaBGP 4.2 has
	 * none for FlowSpec and RTC). */
	bool addpath;
};

struct nlri_iter {
	const uint8_t *p, *end;
	uint8_t family;
	bool addpath;
	bool withdraw;
};

/* Returns 0, or -1 when the family has no decoder here (NLRI_KIND_OPAQUE). */
int nlri_iter_init(struct nlri_iter *it, int family, const uint8_t *field, size_t len, bool addpath, bool withdraw);
/* 1 with *out filled, 0 at the end, -1 when the field is malformed (the
 * iterator then stays at the bad entry). */
int nlri_iter_next(struct nlri_iter *it, struct nlri_item *out);

/* Checks a whole field: the number of NLRI in it, -1 when it is malformed
 * or the family has no decoder here (for RFC 7606 handling on receipt). */
long nlri_field_count(int family, const uint8_t *field, size_t len, bool addpath, bool withdraw);

/* What the NLRI field of an MP_REACH_NLRI / MP_UNREACH_NLRI attribute (or
 * the UPDATE's own fields) says about the UPDATE, by RFC 7606:
 *   NLRI_FIELD_OK        every NLRI is well formed (or the family has no
 *                        decoder here and its NLRI are passed on as they are);
 *   NLRI_FIELD_WITHDRAW  every NLRI can be delimited but one is malformed
 *                        inside (a FlowSpec rule, RFC 8955 7): treat-as-withdraw;
 *   NLRI_FIELD_RESET     the field cannot be walked to its end (a length
 *                        that overruns it, a prefix longer than the address):
 *                        RFC 7606 5.3 and 7.11 leave "AFI/SAFI disable" or
 *                        "session reset"; fastbgp does not implement AFI/SAFI
 *                        disable, so it resets the session. */
enum nlri_field_verdict { NLRI_FIELD_OK, NLRI_FIELD_WITHDRAW, NLRI_FIELD_RESET };

/* Checks a received field of one family; *reason (may be NULL) is set to a
 * static text for the log when the verdict is not NLRI_FIELD_OK. */
enum nlri_field_verdict nlri_field_validate(int family, const uint8_t *field, size_t len, bool addpath, bool withdraw,
					    const char **reason);

/* Writes the NLRI of the item again from its parts (not from ->nlri):
 * labels, route distinguisher, prefix or VPLS values.  Returns the length,
 * 0 when the parts do not fit an NLRI.  out needs LABELED_NLRI_MAX bytes
 * (VPLS_NLRI_LEN for VPLS). */
size_t nlri_item_encode(const struct nlri_item *it, uint8_t *out);

/* ExaBGP's text for the route, nexthop (text) NULL when there is none:
 *   10.0.0.0/24[ path-information 0.0.0.1][ label N][ next-hop NH][ rd R]
 *   vpls rd R endpoint E base B offset O size S[ next-hop NH]
 *   flow destination-ipv4 10.0.0.1/32 ...
 * Returns what snprintf returns. */
int nlri_item_format(char *out, size_t outlen, const struct nlri_item *it, const char *nexthop);
/* The same appended to w, and the route's JSON object (or string).
 * Inline: one call into the codec for each route handed to a helper. */
static inline void nlri_item_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	const struct nlri_codec *c = family_table[it->family].codec;
	if (c)
		c->text(w, it, nexthop);
}

static inline void nlri_item_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	const struct nlri_codec *c = family_table[it->family].codec;
	if (c)
		c->json(w, it, nexthop, compact);
}

/* The route's rib key: *key points at it (into out or into it->nlri). */
size_t nlri_item_key(const struct nlri_item *it, uint8_t out[NLRI_KEY_MAX], const uint8_t **key);

#endif
