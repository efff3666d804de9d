/* Storage of the adj-rib-out: records, index, classes, big keys (see
 * ribout_table.h and struct rib_rec in ribout.h). */
#include "rib/ribout_table.h"

#include <stdlib.h>
#include <string.h>

static uint32_t class_hash(const struct attrset *a, uint8_t family)
{
	uintptr_t p = (uintptr_t)a;
	uint64_t h = (uint64_t)p * 0x9E3779B97F4A7C15ull + family;
	return (uint32_t)(h >> 32);
}

int ribout_init(struct ribout *r, struct attr_pool *pool)
{
	memset(r, 0, sizeof(*r));
	r->pool = pool;
	r->ghead = r->gtail = RIB_NIL;
	r->cls_free = r->last_cls = RIB_NIL;
	r->nslots = 1024;
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	r->ncbuckets = 16;
	r->cbuckets = malloc(r->ncbuckets * sizeof(*r->cbuckets));
	if (!r->slots || !r->cbuckets) {
		ribout_free(r);
		return -1;
	}
	for (size_t i = 0; i < r->ncbuckets; i++)
		r->cbuckets[i] = RIB_NIL;
	return 0;
}

void ribout_free(struct ribout *r)
{
	for (size_t i = 0; i < r->ncls; i++)
		if (r->cls[i].refs)
			attrset_unref(r->pool, r->cls[i].attrs);
	for (size_t i = 0; i < r->nbig; i++)
		free(r->big[i]);
	free(r->slots);
	free(r->recs);
	free(r->cls);
	free(r->cbuckets);
	free(r->big);
	free(r->bigfree);
	memset(r, 0, sizeof(*r));
}

/* --- big keys: NLRIs that do not fit in a record --- */

static bool fits_inline(const uint8_t *nlri, uint16_t len)
{
	return len >= 1 && len <= sizeof(((struct rib_rec *)0)->key) && len == inline_len(nlri[0]);
}

static uint32_t big_new(struct ribout *r, const uint8_t *nlri, uint16_t len)
{
	if (!r->nbigfree && r->nbig == r->bigcap) {
		if (r->bigcap >= UINT32_MAX / 2)
			return RIB_NIL;
		size_t cap = r->bigcap ? r->bigcap * 2 : 16;
		uint8_t **v = realloc(r->big, cap * sizeof(*v));
		if (!v)
			return RIB_NIL;
		r->big = v;
		uint32_t *f = realloc(r->bigfree, cap * sizeof(*f));
		if (!f)
			return RIB_NIL;
		r->bigfree = f;
		r->bigcap = cap;
	}
	uint8_t *p = malloc(sizeof(len) + len);
	if (!p)
		return RIB_NIL;
	memcpy(p, &len, sizeof(len));
	memcpy(p + sizeof(len), nlri, len);
	uint32_t b = r->nbigfree ? r->bigfree[--r->nbigfree] : (uint32_t)r->nbig++;
	r->big[b] = p;
	return b;
}

static void big_free(struct ribout *r, uint32_t b)
{
	free(r->big[b]);
	r->big[b] = NULL;
	r->bigfree[r->nbigfree++] = b;
}

/* --- the index ---
 *
 * Linear probing over (hash, position) slots.  A lookup of a new route (the
 * common case when a helper or the configuration announces routes) reads
 * one or two adjacent slots and no record at all; a growth moves slots
 * without reading records.  Slots are taken in home-slot order, so growing
 * writes the new table nearly sequentially. */

uint32_t index_find(const struct ribout *r, uint32_t h, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t len, size_t *pos)
{
	size_t mask = r->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct rib_slot *s = &r->slots[i];
		if (!s->ent) {
			if (pos)
				*pos = i;
			return RIB_NIL;
		}
		if (s->hash != h)
			continue;
		const struct rib_rec *e = rec_at(r, s->ent - 1);
		if (rec_ghost(e) != RIB_GHOST_IS && rec_key_is(r, e, family, path_id, nlri, len)) {
			if (pos)
				*pos = i;
			return s->ent - 1;
		}
	}
}

uint32_t index_find_ghost(const struct ribout *r, uint32_t i)
{
	const struct rib_rec *e = rec_at(r, i);
	uint16_t len;
	const uint8_t *nlri = rec_nlri(r, e, &len);
	uint8_t family = rec_family(r, e);
	uint32_t h = route_key_hash(family, e->path_id, nlri, len);
	size_t mask = r->nslots - 1;
	for (size_t k = home_of(r, h); r->slots[k].ent; k = (k + 1) & mask) {
		if (r->slots[k].hash != h)
			continue;
		const struct rib_rec *x = rec_at(r, r->slots[k].ent - 1);
		if (rec_ghost(x) == RIB_GHOST_IS && rec_key_is(r, x, family, e->path_id, nlri, len))
			return r->slots[k].ent - 1;
	}
	return RIB_NIL;
}

static void index_put(struct rib_slot *slots, size_t nslots, uint32_t h, uint32_t ent)
{
	size_t mask = nslots - 1;
	size_t i = h & mask;
	while (slots[i].ent)
		i = (i + 1) & mask;
	slots[i].hash = h;
	slots[i].ent = ent;
}

/* Doubles the index (when it is 3/4 full).  On allocation failure the
 * table stays as it is: it still works, only with longer probes, and the
 * last free slot is never given away (see rec_new). */
static void index_grow(struct ribout *r)
{
	size_t nn = r->nslots * 2;
	struct rib_slot *ns = calloc(nn, sizeof(*ns));
	if (!ns)
		return;
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].ent)
			index_put(ns, nn, r->slots[i].hash, r->slots[i].ent);
	free(r->slots);
	r->slots = ns;
	r->nslots = nn;
}

/* Takes record i out of the index.  Linear probing: later slots of the
 * cluster move back so that no lookup stops early at the hole (no
 * tombstones). */
static void index_remove(struct ribout *r, uint32_t i)
{
	size_t mask = r->nslots - 1;
	uint32_t ent = i + 1;
	size_t s = home_of(r, rec_hash(r, rec_at(r, i)));
	while (r->slots[s].ent != ent) {
		if (!r->slots[s].ent)
			return; /* not indexed (cannot happen) */
		s = (s + 1) & mask;
	}
	for (size_t j = (s + 1) & mask; r->slots[j].ent; j = (j + 1) & mask) {
		size_t k = home_of(r, r->slots[j].hash);
		/* slot j may move to s when its home is not in (s, j] (cyclically) */
		bool stays = s <= j ? (s < k && k <= j) : (s < k || k <= j);
		if (stays)
			continue;
		r->slots[s] = r->slots[j];
		s = j;
	}
	r->slots[s].hash = 0;
	r->slots[s].ent = 0;
	r->nindexed--;
}

/* --- records --- */

static uint32_t remap(const uint32_t *map, uint32_t i)
{
	return i == RIB_NIL ? RIB_NIL : map[i];
}

/* Removes the holes of recs, keeping the order: record numbers change,
 * and so the index, the pending lists and the groups' ends follow. */
static int recs_compact(struct ribout *r)
{
	uint32_t *map = malloc(r->nrecs * sizeof(*map));
	if (!map)
		return -1;
	uint32_t n = 0;
	for (size_t i = 0; i < r->nrecs; i++)
		map[i] = rec_live(&r->recs[i]) ? n++ : RIB_NIL;
	n = 0;
	for (size_t i = 0; i < r->nrecs; i++) {
		struct rib_rec *e = &r->recs[i];
		if (!rec_live(e))
			continue;
		if (rec_pending(e)) {
			e->gnext = remap(map, e->gnext);
			e->gprev = remap(map, e->gprev);
		}
		r->recs[n++] = *e;
	}
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].ent)
			r->slots[i].ent = map[r->slots[i].ent - 1] + 1;
	for (uint32_t c = r->ghead; c != RIB_NIL; c = r->cls[c].next) {
		r->cls[c].head = remap(map, r->cls[c].head);
		r->cls[c].tail = remap(map, r->cls[c].tail);
	}
	free(map);
	r->nrecs = n;
	r->nholes = 0;
	return 0;
}

int rec_reserve(struct ribout *r, size_t n)
{
	if (r->nrecs + n <= r->reccap)
		return 0;
	/* Mostly holes (routes withdrawn): reuse the array rather than grow it. */
	if (r->nholes > r->nrecs / 2 && recs_compact(r) == 0 && r->nrecs + n <= r->reccap)
		return 0;
	size_t cap = r->reccap ? r->reccap * 2 : 16;
	while (cap < r->nrecs + n)
		cap *= 2;
	if (cap > UINT32_MAX - 1)
		return -1; /* record numbers (and slots' ent) are 32-bit */
	struct rib_rec *v = realloc(r->recs, cap * sizeof(*v));
	if (!v)
		return -1;
	r->recs = v;
	r->reccap = cap;
	return 0;
}

uint32_t rec_new(struct ribout *r, uint32_t h, size_t pos, uint32_t path_id, const uint8_t *nlri, uint16_t len,
		 uint32_t c)
{
	if (r->nindexed + 2 > r->nslots || r->nrecs >= r->reccap)
		return RIB_NIL; /* could not grow: keep one slot free so probes end */
	uint32_t i = (uint32_t)r->nrecs;
	struct rib_rec *e = &r->recs[i];
	memset(e, 0, sizeof(*e));
	if (fits_inline(nlri, len)) {
		memcpy(e->key, nlri, len);
	} else {
		uint32_t b = big_new(r, nlri, len);
		if (b == RIB_NIL)
			return RIB_NIL;
		memcpy(e->key, &b, sizeof(b));
		e->bits = REC_BIG;
	}
	e->gnext = e->gprev = RIB_NIL;
	e->cls = c;
	e->path_id = path_id;
	r->nrecs++;
	if (pos == SIZE_MAX) {
		index_put(r->slots, r->nslots, h, i + 1);
	} else {
		r->slots[pos].hash = h;
		r->slots[pos].ent = i + 1;
	}
	r->nindexed++;
	if (r->nindexed * 4 > r->nslots * 3)
		index_grow(r);
	return i;
}

void rec_free(struct ribout *r, uint32_t i)
{
	index_remove(r, i);
	struct rib_rec *e = rec_at(r, i);
	if (e->bits & REC_BIG) {
		uint32_t b;
		memcpy(&b, e->key, sizeof(b));
		big_free(r, b);
	}
	class_release(r, e->cls);
	e->cls = RIB_NIL;
	e->bits = 0;
	r->nholes++;
}

/* --- classes --- */

uint32_t class_find(const struct ribout *r, const struct attrset *attrs, uint8_t family)
{
	uint32_t c = r->last_cls;
	if (c != RIB_NIL && r->cls[c].refs && r->cls[c].attrs == attrs && r->cls[c].family == family)
		return c;
	for (c = r->cbuckets[class_hash(attrs, family) & (r->ncbuckets - 1)]; c != RIB_NIL; c = r->cls[c].hnext)
		if (r->cls[c].attrs == attrs && r->cls[c].family == family)
			return c;
	return RIB_NIL;
}

/* Doubles the class hash when it holds more classes than buckets. */
static void class_rehash(struct ribout *r)
{
	size_t nb = r->ncbuckets * 2;
	uint32_t *b = malloc(nb * sizeof(*b));
	if (!b)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < nb; i++)
		b[i] = RIB_NIL;
	for (uint32_t c = 0; c < r->ncls; c++) {
		if (!r->cls[c].refs)
			continue;
		uint32_t *head = &b[class_hash(r->cls[c].attrs, r->cls[c].family) & (nb - 1)];
		r->cls[c].hnext = *head;
		*head = c;
	}
	free(r->cbuckets);
	r->cbuckets = b;
	r->ncbuckets = nb;
}

uint32_t class_acquire(struct ribout *r, struct attrset *attrs, uint8_t family)
{
	uint32_t c = class_find(r, attrs, family);
	if (c != RIB_NIL) {
		r->cls[c].refs++;
		r->last_cls = c;
		return c;
	}
	if (r->cls_free != RIB_NIL) {
		c = r->cls_free;
		r->cls_free = r->cls[c].hnext;
	} else {
		if (r->ncls == r->clscap) {
			if (r->clscap >= UINT32_MAX / 2)
				return RIB_NIL;
			size_t cap = r->clscap ? r->clscap * 2 : 16;
			struct rib_class *v = realloc(r->cls, cap * sizeof(*v));
			if (!v)
				return RIB_NIL;
			r->cls = v;
			r->clscap = cap;
		}
		c = (uint32_t)r->ncls++;
	}
	struct rib_class *k = &r->cls[c];
	memset(k, 0, sizeof(*k));
	k->attrs = attrset_ref(attrs);
	k->family = family;
	k->refs = 1;
	k->head = k->tail = k->next = k->prev = RIB_NIL;
	uint32_t *head = &r->cbuckets[class_hash(attrs, family) & (r->ncbuckets - 1)];
	k->hnext = *head;
	*head = c;
	r->last_cls = c;
	if (++r->nclasses > r->ncbuckets)
		class_rehash(r);
	return c;
}

void class_release(struct ribout *r, uint32_t c)
{
	struct rib_class *k = &r->cls[c];
	if (--k->refs)
		return;
	/* Pending records hold references: a class without any is in no group. */
	uint32_t *pp = &r->cbuckets[class_hash(k->attrs, k->family) & (r->ncbuckets - 1)];
	while (*pp != RIB_NIL && *pp != c)
		pp = &r->cls[*pp].hnext;
	if (*pp == c)
		*pp = k->hnext;
	attrset_unref(r->pool, k->attrs);
	k->attrs = NULL;
	k->hnext = r->cls_free;
	r->cls_free = c;
	r->nclasses--;
}
