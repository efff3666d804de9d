/* Storage of the adj-rib-out (internal to src/rib/ribout*.c): the records
 * in insertion order, their index, their classes and their big keys.
 *
 * Record and class numbers are positions in r->recs and r->cls.  Classes
 * never move; records move only in rec_reserve() (compaction), so callers
 * keep record numbers, not pointers, across it. */
#ifndef FASTBGP_RIB_RIBOUT_TABLE_H
#define FASTBGP_RIB_RIBOUT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rib/ribout.h"
#include "rib/route.h"

static inline struct rib_rec *rec_at(const struct ribout *r, uint32_t i)
{
	return &r->recs[i];
}

static inline bool rec_live(const struct rib_rec *e)
{
	return e->cls != RIB_NIL;
}

static inline uint8_t rec_ghost(const struct rib_rec *e)
{
	return (uint8_t)((e->bits & REC_GHOST_MASK) >> REC_GHOST_SHIFT);
}

static inline void rec_set_ghost(struct rib_rec *e, uint8_t g)
{
	e->bits = (uint8_t)((e->bits & ~REC_GHOST_MASK) | (g << REC_GHOST_SHIFT));
}

static inline bool rec_pending(const struct rib_rec *e)
{
	return (e->bits & REC_PENDING) != 0;
}

static inline bool rec_on_wire(const struct rib_rec *e)
{
	return (e->bits & REC_ON_WIRE) != 0;
}

/* The attributes the peer should hold for e: NULL for a withdrawal. */
static inline struct attrset *rec_attrs(const struct ribout *r, const struct rib_rec *e)
{
	return e->bits & REC_WITHDRAWN ? NULL : r->cls[e->cls].attrs;
}

static inline uint8_t rec_family(const struct ribout *r, const struct rib_rec *e)
{
	return r->cls[e->cls].family;
}

/* Length of an NLRI kept in a record: its first byte is a prefix length
 * in bits, followed by the bytes that prefix needs. */
static inline uint16_t inline_len(uint8_t first)
{
	return (uint16_t)(1 + (first + 7u) / 8);
}

/* The NLRI of record e, and its length in *len. */
static inline const uint8_t *rec_nlri(const struct ribout *r, const struct rib_rec *e, uint16_t *len)
{
	if (!(e->bits & REC_BIG)) {
		*len = inline_len(e->key[0]);
		return e->key;
	}
	uint32_t b;
	memcpy(&b, e->key, sizeof(b));
	const uint8_t *p = r->big[b];
	memcpy(len, p, sizeof(*len));
	return p + sizeof(*len);
}

/* Is record e (an entry or a ghost) the route (family, path_id, nlri)? */
static inline bool rec_key_is(const struct ribout *r, const struct rib_rec *e, uint8_t family, uint32_t path_id,
			      const uint8_t *nlri, uint16_t len)
{
	if (e->path_id != path_id)
		return false;
	if (e->bits & REC_BIG) {
		uint16_t l;
		const uint8_t *k = rec_nlri(r, e, &l);
		if (l != len || memcmp(k, nlri, len))
			return false;
	} else if (inline_len(e->key[0]) != len || memcmp(e->key, nlri, len)) {
		/* equal first bytes imply equal lengths, so memcmp stays in key[] */
		return false;
	}
	return rec_family(r, e) == family;
}

static inline uint32_t rec_hash(const struct ribout *r, const struct rib_rec *e)
{
	uint16_t len;
	const uint8_t *nlri = rec_nlri(r, e, &len);
	return route_key_hash(rec_family(r, e), e->path_id, nlri, len);
}

static inline size_t home_of(const struct ribout *r, uint32_t h)
{
	return h & (r->nslots - 1);
}

/* --- records --- */

/* Makes room for n more records.  May compact the array: record numbers
 * change then (the index, the pending lists and the groups follow). */
int rec_reserve(struct ribout *r, size_t n);
/* Appends a record for the route, of class c (whose reference it takes),
 * to the array and to the index: at pos, the empty slot that index_find()
 * returned, or anywhere when pos is SIZE_MAX.  Needs room (rec_reserve).
 * Returns its number, or RIB_NIL. */
uint32_t rec_new(struct ribout *r, uint32_t h, size_t pos, uint32_t path_id, const uint8_t *nlri, uint16_t len,
		 uint32_t c);
/* Takes record i out of the index, releases its class and key: its place
 * becomes a hole.  It must not be pending. */
void rec_free(struct ribout *r, uint32_t i);

/* --- the index --- */

/* The entry (never a ghost) with this key, or RIB_NIL; *pos (may be NULL)
 * is then its slot, or the empty slot where it would be inserted. */
uint32_t index_find(const struct ribout *r, uint32_t h, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t len, size_t *pos);
/* The ghost of entry i, or RIB_NIL. */
uint32_t index_find_ghost(const struct ribout *r, uint32_t i);

/* --- classes --- */

/* The class (attrs, family) with one more reference, made if needed;
 * RIB_NIL when out of memory. */
uint32_t class_acquire(struct ribout *r, struct attrset *attrs, uint8_t family);
/* Gives a reference back; the last one frees the class. */
void class_release(struct ribout *r, uint32_t c);
/* The class (attrs, family), or RIB_NIL. */
uint32_t class_find(const struct ribout *r, const struct attrset *attrs, uint8_t family);

#endif
