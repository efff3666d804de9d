/* Interned attribute sets.
 *
 * An attribute set is every path attribute of a route except MP_REACH and
 * MP_UNREACH, plus the route's next-hop.  Routes that share attributes share
 * one struct attrset (interned through struct attr_pool, reference counted),
 * so a million routes with a handful of attribute sets cost a handful of
 * allocations, and the rib-out can group pending routes by set pointer.
 *
 * Storage is one allocation: the attributes as a TLV stream sorted by type
 * code, each entry [code:1][flags:1][len:2][value:len].  Values are kept in a
 * canonical form independent of the peer:
 *   - AS_PATH segments always carry 4-octet ASNs (RFC 6793); the encoder
 *     converts to 2-octet + AS4_PATH for peers without the ASN4 capability;
 *   - AGGREGATOR carries a 4-octet ASN followed by the IPv4 address;
 *   - NEXT_HOP (3) is not stored in the stream: the next-hop lives in ->nh
 *     because for other families it travels inside MP_REACH_NLRI.
 * Flags are stored as configured or received (a generic attribute keeps its
 * flags, including EXTLEN, exactly as ExaBGP does). */
#ifndef FASTBGP_ATTR_ATTRSET_H
#define FASTBGP_ATTR_ATTRSET_H

#include <stddef.h>
#include <stdint.h>

#include "attr/attr.h"
#include "wire/buf.h"

enum nexthop_kind {
	NH_NONE = 0, /* no next-hop given (FlowSpec, withdraws) */
	NH_IP = 1,   /* addr[0..len) holds 4, 16 or 32 (global + link-local) bytes */
	NH_SELF = 2, /* "next-hop self": the session's local address, resolved per peer */
};

struct nexthop {
	uint8_t kind; /* enum nexthop_kind */
	uint8_t len;  /* 4, 16 or 32 for NH_IP; for NH_SELF, 4 or 16 hints the AFI (0 = session's) */
	uint8_t addr[32];
};

struct attrset {
	struct attrset *hnext; /* intern hash chain */
	uint32_t hash;
	uint32_t refcnt;
	uint32_t id;     /* small unique number, for per-peer caches */
	struct nexthop nh;
	uint16_t count;  /* number of attributes in data[] */
	uint32_t len;    /* bytes in data[] */
	uint8_t data[];
};

/* Iterate the attributes of a set. */
struct attr_view {
	uint8_t code;
	uint8_t flags;
	uint16_t len;
	const uint8_t *val;
};
struct attr_iter {
	const uint8_t *p, *end;
};
static inline void attr_iter_init(struct attr_iter *it, const struct attrset *s)
{
	it->p = s->data;
	it->end = s->data + s->len;
}
static inline int attr_iter_next(struct attr_iter *it, struct attr_view *v)
{
	if (it->p + 4 > it->end)
		return 0;
	v->code = it->p[0];
	v->flags = it->p[1];
	v->len = (uint16_t)((it->p[2] << 8) | it->p[3]);
	v->val = it->p + 4;
	it->p += 4 + (size_t)v->len;
	return 1;
}
/* Find one attribute; returns 1 and fills *v when present. */
int attrset_get(const struct attrset *s, uint8_t code, struct attr_view *v);

/* Collects attributes while a route is being parsed or decoded.  Setting a
 * code twice replaces the earlier value (the last one written wins, as in
 * ExaBGP's configuration). */
#define ATTR_BUILDER_MAX 64
struct attr_builder {
	struct nexthop nh;
	int count;
	struct {
		uint8_t code, flags;
		uint32_t off, len;
	} a[ATTR_BUILDER_MAX];
	struct wbuf vals;
};

void attr_builder_init(struct attr_builder *b);
void attr_builder_free(struct attr_builder *b);
void attr_builder_reset(struct attr_builder *b);
void attr_builder_copy(struct attr_builder *dst, const struct attr_builder *src);
/* Returns -1 when too many attributes or a value is longer than 65535. */
int attr_builder_set(struct attr_builder *b, uint8_t code, uint8_t flags, const void *val, size_t len);
int attr_builder_has(const struct attr_builder *b, uint8_t code);
void attr_builder_del(struct attr_builder *b, uint8_t code);
/* Pointer to the current value of code (NULL when absent). */
const uint8_t *attr_builder_get(const struct attr_builder *b, uint8_t code, size_t *len);

struct attr_pool {
	struct attrset **buckets;
	size_t nbuckets;
	size_t count;
	uint32_t next_id;
};

void attr_pool_init(struct attr_pool *p);
void attr_pool_free(struct attr_pool *p); /* frees every set still interned */
/* Returns the interned set for the builder's content with one reference
 * taken by the caller, or NULL on allocation failure. */
struct attrset *attr_pool_intern(struct attr_pool *p, const struct attr_builder *b);
struct attrset *attrset_ref(struct attrset *s);
void attrset_unref(struct attr_pool *p, struct attrset *s);

#endif
