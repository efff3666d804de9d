/* Adj-RIB-In (see ribin.h). */
#include "rib/ribin.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "nlri/family.h"
#include "nlri/labeled.h"
#include "nlri/nlri_decode.h"
#include "rib/route.h"
#include "update/update_parse.h"

void ribin_init(struct ribin *r, struct attr_pool *pool)
{
	memset(r, 0, sizeof(*r));
	r->pool = pool;
}

void ribin_clear(struct ribin *r)
{
	for (size_t i = 0; i < r->nslots; i++) {
		struct ribin_entry *e = r->slots[i].e;
		if (e) {
			attrset_unref(r->pool, e->attrs);
			free(e);
		}
	}
	free(r->slots);
	r->slots = NULL;
	r->nslots = r->count = 0;
	memset(r->per_family, 0, sizeof(r->per_family));
	r->bytes = r->refused = 0; /* the budget stays */
}

static size_t entry_bytes(const struct ribin_entry *e)
{
	return sizeof(*e) + e->key_len + e->nlri_len;
}

/* Open addressing with linear probing; a slot holds the entry's hash, so a
 * probe compares hashes without touching entries, and growing moves slots
 * only.  (A chained table cost a cache miss per entry per probe and per
 * rehash: 28 % of the time of receiving a million routes.) */
static void place(struct ribin_slot *slots, size_t mask, struct ribin_slot s)
{
	size_t i = s.hash & mask;
	while (slots[i].e)
		i = (i + 1) & mask;
	slots[i] = s;
}

static int grow(struct ribin *r)
{
	size_t n = r->nslots ? r->nslots * 2 : 256;
	struct ribin_slot *v = calloc(n, sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].e)
			place(v, n - 1, r->slots[i]);
	free(r->slots);
	r->bytes += (n - r->nslots) * sizeof(*v);
	r->slots = v;
	r->nslots = n;
	return 0;
}

/* Removes slot i, moving back the entries of its probe run that would no
 * longer be found (no tombstones). */
static void remove_slot(struct ribin *r, size_t i)
{
	size_t mask = r->nslots - 1, j = i;
	r->slots[i].e = NULL;
	for (;;) {
		j = (j + 1) & mask;
		if (!r->slots[j].e)
			return;
		size_t home = r->slots[j].hash & mask;
		/* j's entry may move to i when i lies cyclically in [home, j). */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			r->slots[i] = r->slots[j];
			r->slots[j].e = NULL;
			i = j;
		}
	}
}

void ribin_remove_at(struct ribin *r, size_t i)
{
	struct ribin_entry *e = r->slots[i].e;
	if (!e)
		return;
	if (e->family < FAM_COUNT)
		r->per_family[e->family]--;
	attrset_unref(r->pool, e->attrs);
	r->bytes -= entry_bytes(e);
	free(e);
	remove_slot(r, i);
	r->count--;
}

/* The slot of the entry with this key, or the free slot where it would go. */
static size_t find_slot(const struct ribin *r, uint32_t h, uint8_t family, uint32_t path_id, const uint8_t *key,
			uint16_t key_len)
{
	size_t mask = r->nslots - 1, i = h & mask;
	for (; r->slots[i].e; i = (i + 1) & mask) {
		const struct ribin_entry *e = r->slots[i].e;
		if (r->slots[i].hash == h && e->family == family && e->path_id == path_id && e->key_len == key_len &&
		    !memcmp(e->data, key, key_len))
			break;
	}
	return i;
}

static int update_hashed(struct ribin *r, uint32_t h, uint8_t family, int has_path_id, uint32_t path_id,
			 const uint8_t *key, uint16_t key_len, const uint8_t *nlri, uint16_t nlri_len,
			 struct attrset *attrs)
{
	if (!r->nslots && !attrs)
		return 0;
	size_t i = r->nslots ? find_slot(r, h, family, path_id, key, key_len) : 0;
	struct ribin_entry *old = r->nslots ? r->slots[i].e : NULL;
	if (!attrs) {
		if (old) {
			attrset_unref(r->pool, old->attrs);
			r->bytes -= entry_bytes(old);
			free(old);
			remove_slot(r, i);
			r->count--;
			if (family < FAM_COUNT)
				r->per_family[family]--;
		}
		return 0;
	}
	size_t need = sizeof(struct ribin_entry) + key_len + nlri_len;
	if (!old) {
		bool must_grow = (r->count + 1) * 2 > r->nslots;
		size_t table = must_grow ? (r->nslots ? r->nslots : 256) * sizeof(struct ribin_slot) : 0;
		if (r->budget && r->bytes + need + table > r->budget) {
			r->refused++;
			return 1;
		}
		if (must_grow) {
			if (grow(r) < 0)
				return -1;
			i = find_slot(r, h, family, path_id, key, key_len);
		}
	}
	struct ribin_entry *e = malloc(need);
	if (!e)
		return -1;
	e->attrs = attrset_ref(attrs);
	e->path_id = path_id;
	e->family = family;
	e->has_path_id = (uint8_t)(has_path_id != 0);
	e->stale = 0; /* announced again: fresh (RFC 4724 4.2) */
	e->key_len = key_len;
	e->nlri_len = nlri_len;
	memcpy(e->data, key, key_len);
	memcpy(e->data + key_len, nlri, nlri_len);
	if (old) {
		attrset_unref(r->pool, old->attrs);
		r->bytes -= entry_bytes(old);
		free(old);
	} else {
		r->count++;
		if (family < FAM_COUNT)
			r->per_family[family]++;
	}
	r->bytes += need;
	r->slots[i].hash = h;
	r->slots[i].e = e;
	return 0;
}

int ribin_update(struct ribin *r, uint8_t family, int has_path_id, uint32_t path_id, const uint8_t *key,
		 uint16_t key_len, const uint8_t *nlri, uint16_t nlri_len, struct attrset *attrs)
{
	return update_hashed(r, route_key_hash(family, path_id, key, key_len), family, has_path_id, path_id, key, key_len,
			     nlri, nlri_len, attrs);
}

void ribin_walk(const struct ribin *r, void (*fn)(void *ctx, const struct ribin_entry *e), void *ctx)
{
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].e)
			fn(ctx, r->slots[i].e);
}

/* Walks one NLRI field; attrs NULL withdraws.  Returns the routes seen. */
static size_t apply_field(struct ribin *r, int family, const struct rbuf *field, bool addpath, bool withdraw,
			  struct attrset *attrs)
{
	size_t n = 0;
	size_t len = rb_left(field);
	/* an absent field has no buffer: NULL + 0 is undefined (C11 6.5.6) */
	if (!len)
		return 0;
	const uint8_t *p = rb_cur(field);
	struct nlri_iter it;
	if (nlri_iter_init(&it, family, p, len, addpath, withdraw) < 0)
		return 0;
	/* Routes go in by batches: hash a batch and prefetch its slots, then
	 * insert, so the cache misses of a batch overlap instead of queueing
	 * (the table of a full view does not fit in any cache). */
	enum { BATCH = 16 };
	struct pending {
		struct nlri_item item;
		const uint8_t *k;
		size_t klen;
		uint32_t h;
		uint8_t key[NLRI_KEY_MAX];
	} batch[BATCH];
	for (;;) {
		int nb = 0;
		while (nb < BATCH && nlri_iter_next(&it, &batch[nb].item) == 1) {
			struct pending *q = &batch[nb];
			n++;
			if (q->item.bad) /* no route (the UPDATE is treat-as-withdraw) */
				continue;
			q->klen = nlri_item_key(&q->item, q->key, &q->k);
			if (!q->klen || q->klen > 0xFFFF)
				continue;
			q->h = route_key_hash((uint8_t)family, q->item.path_id, q->k, q->klen);
			if (r->nslots)
				__builtin_prefetch(&r->slots[q->h & (r->nslots - 1)]);
			nb++;
		}
		for (int i = 0; i < nb; i++) {
			const struct pending *q = &batch[i];
			update_hashed(r, q->h, (uint8_t)family, q->item.has_path_id, q->item.path_id, q->k,
				      (uint16_t)q->klen, q->item.nlri, q->item.nlri_len, attrs);
		}
		if (nb < BATCH)
			return n;
	}
}

size_t ribin_apply(struct ribin *r, const struct update_msg *m, const struct update_parse_opts *o)
{
	size_t n = 0;
	bool taw = m->verdict == UPDATE_TREAT_AS_WITHDRAW;
	n += apply_field(r, FAM_IPV4_UNICAST, &m->withdrawn, (o->addpath_rx & FAM_BIT(FAM_IPV4_UNICAST)) != 0, true,
			 NULL);
	if (m->has_mp_unreach && m->mpu_family >= 0)
		n += apply_field(r, m->mpu_family, &m->mpu_nlri, (o->addpath_rx & FAM_BIT(m->mpu_family)) != 0, true,
				 NULL);
	n += apply_field(r, FAM_IPV4_UNICAST, &m->nlri, (o->addpath_rx & FAM_BIT(FAM_IPV4_UNICAST)) != 0, taw,
			 taw ? NULL : m->set);
	if (m->has_mp_reach && m->mp_family >= 0)
		n += apply_field(r, m->mp_family, &m->mp_nlri, (o->addpath_rx & FAM_BIT(m->mp_family)) != 0, taw,
				 taw ? NULL : m->mp_set);
	return n;
}
