/* The reference for test_rib_diff.c: the adj-rib-out as it was before
 * compact records (commit d719468), names changed (rib -> ref).  Only
 * test_rib_diff.c includes it: the whole file is static functions. */
#ifndef FASTBGP_TESTS_RIB_REFERENCE_H
#define FASTBGP_TESTS_RIB_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attrset.h"
#include "nlri/family.h"
#include "rib/ribout.h"
#include "rib/route.h"
#include "rib/update_encode.h"
#include "wire/header.h"

/* ---- reference: the adj-rib-out before compact records (commit d719468),
 * verbatim but for the names (rib -> ref) ---- */

struct ref_group;

struct ref_entry {
	struct ref_entry *gnext, *gprev;
	struct ref_group *group;
	struct attrset *attrs;
	uint32_t path_id;
	uint32_t idx;
	uint8_t family;
	uint8_t on_wire;
	uint8_t ghost;
	uint8_t flags;
	uint8_t withdrawn; /* attrs: the attributes the withdrawal is sent with */
	uint16_t nlri_len;
	uint8_t nlri[];
};

enum ref_entry_flag {
	REF_FROM_CONFIG = 0x01,
	REF_MARK = 0x02,
};

enum ref_ghost {
	REF_GHOST_NONE = 0,
	REF_GHOST_IS = 1,
	REF_GHOST_PENDING = 2,
};

/* The attributes the peer should hold: NULL for a withdrawal. */
static inline struct attrset *held(const struct ref_entry *e)
{
	return e->withdrawn ? NULL : e->attrs;
}

struct ref_group {
	struct ref_group *hnext;
	struct ref_group *next;
	struct ref_group *prev;
	struct attrset *attrs;
	uint8_t family;
	struct ref_entry *head, *tail;
	size_t count;
	uint64_t seq;
	bool unsorted; /* issue 13: IPv4 unicast list not in NLRI order */
};

struct ref_slot {
	uint32_t hash;
	uint32_t ent;
};

struct refout {
	struct ref_slot *slots;
	size_t nslots;
	size_t nindexed;
	struct ref_entry **ents;
	size_t nents, entcap, nholes;
	size_t count;
	struct ref_group **gbuckets;
	size_t ngbuckets;
	struct ref_group *ghead, *gtail;
	uint64_t gseq;
	size_t pending;
	struct attr_pool *pool;
	uint64_t announced, withdrawn;
};

int refout_init(struct refout *r, struct attr_pool *pool);
void refout_free(struct refout *r);

int refout_announce(struct refout *r, const struct route *rt);
int refout_announce_raw(struct refout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			uint16_t nlri_len, struct attrset *attrs);

int refout_withdraw(struct refout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len);

int refout_announce_config(struct refout *r, const struct route *rt);

size_t refout_sync_config(struct refout *r, const struct route_list *routes,
			  bool (*wanted)(const void *ctx, const struct route *rt), const void *ctx);

int refout_announce_api(struct refout *r, const struct route *rt);

int refout_announce_api_list(struct refout *r, struct route *const *v, size_t n);

void refout_withdraw_all(struct refout *r);

void refout_resend(struct refout *r, family_mask families);

void refout_session_down(struct refout *r);

static inline bool refout_has_pending(const struct refout *r) { return r->ghead != NULL; }

size_t refout_pack(struct refout *r, const struct pack_opts *o, struct wbuf *w, size_t budget);

void refout_walk(const struct refout *r, void (*fn)(void *ctx, const struct ref_entry *e), void *ctx);

static uint32_t entry_hash(const struct ref_entry *e)
{
	return route_key_hash(e->family, e->path_id, e->nlri, e->nlri_len);
}

static size_t entry_size(uint16_t len)
{
	return offsetof(struct ref_entry, nlri) + len;
}

static uint32_t group_hash(const struct attrset *a, uint8_t family)
{
	uintptr_t p = (uintptr_t)a;
	uint64_t h = (uint64_t)p * 0x9E3779B97F4A7C15ull + family;
	return (uint32_t)(h >> 32);
}

int refout_init(struct refout *r, struct attr_pool *pool)
{
	memset(r, 0, sizeof(*r));
	r->pool = pool;
	r->nslots = 1024;
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	r->ngbuckets = 256;
	r->gbuckets = calloc(r->ngbuckets, sizeof(*r->gbuckets));
	return r->slots && r->gbuckets ? 0 : -1;
}

void refout_free(struct refout *r)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct ref_entry *e = r->ents[i];
		if (e) {
			attrset_unref(r->pool, e->attrs);
			free(e);
		}
	}
	struct ref_group *g = r->ghead;
	while (g) {
		struct ref_group *n = g->next;
		attrset_unref(r->pool, g->attrs);
		free(g);
		g = n;
	}
	free(r->slots);
	free(r->ents);
	free(r->gbuckets);
	memset(r, 0, sizeof(*r));
}

static inline size_t home_of(const struct refout *r, uint32_t h)
{
	return h & (r->nslots - 1);
}

static inline bool key_is(const struct ref_entry *e, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			  uint16_t len)
{
	return e->family == family && e->path_id == path_id && e->nlri_len == len && !memcmp(e->nlri, nlri, len);
}

static struct ref_entry *index_find(const struct refout *r, uint32_t h, uint8_t family, uint32_t path_id,
				    const uint8_t *nlri, uint16_t len, size_t *pos)
{
	size_t mask = r->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct ref_slot *s = &r->slots[i];
		if (!s->ent) {
			if (pos)
				*pos = i;
			return NULL;
		}
		if (s->hash != h)
			continue;
		struct ref_entry *e = r->ents[s->ent - 1];
		if (e->ghost != REF_GHOST_IS && key_is(e, family, path_id, nlri, len)) {
			if (pos)
				*pos = i;
			return e;
		}
	}
}

static void index_put(struct ref_slot *slots, size_t nslots, uint32_t h, uint32_t ent)
{
	size_t mask = nslots - 1;
	size_t i = h & mask;
	while (slots[i].ent)
		i = (i + 1) & mask;
	slots[i].hash = h;
	slots[i].ent = ent;
}

static void index_grow(struct refout *r)
{
	size_t nn = r->nslots * 2;
	struct ref_slot *ns = calloc(nn, sizeof(*ns));
	if (!ns)
		return;
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].ent)
			index_put(ns, nn, r->slots[i].hash, r->slots[i].ent);
	free(r->slots);
	r->slots = ns;
	r->nslots = nn;
}

static void ents_compact(struct refout *r)
{
	uint32_t *map = malloc(r->nents * sizeof(*map));
	if (!map)
		return;
	size_t n = 0;
	for (size_t i = 0; i < r->nents; i++) {
		struct ref_entry *e = r->ents[i];
		if (!e)
			continue;
		map[i] = (uint32_t)n + 1;
		e->idx = (uint32_t)n;
		r->ents[n++] = e;
	}
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].ent)
			r->slots[i].ent = map[r->slots[i].ent - 1];
	free(map);
	r->nents = n;
	r->nholes = 0;
}

static int index_insert(struct refout *r, struct ref_entry *e, uint32_t h, size_t pos)
{
	if (r->nindexed + 2 > r->nslots)
		return -1;
	if (r->nents == r->entcap) {
		if (r->nholes > r->nents / 2) {
			ents_compact(r);
		} else {
			if (r->entcap >= UINT32_MAX - 1)
				return -1;
			size_t cap = r->entcap ? r->entcap * 2 : 16;
			struct ref_entry **v = realloc(r->ents, cap * sizeof(*v));
			if (!v)
				return -1;
			r->ents = v;
			r->entcap = cap;
		}
	}
	e->idx = (uint32_t)r->nents;
	r->ents[r->nents++] = e;
	if (pos == SIZE_MAX) {
		index_put(r->slots, r->nslots, h, e->idx + 1);
	} else {
		r->slots[pos].hash = h;
		r->slots[pos].ent = e->idx + 1;
	}
	r->nindexed++;
	if (r->nindexed * 4 > r->nslots * 3)
		index_grow(r);
	return 0;
}

static void index_remove(struct refout *r, const struct ref_entry *e)
{
	size_t mask = r->nslots - 1;
	uint32_t ent = e->idx + 1;
	size_t i = home_of(r, entry_hash(e));
	while (r->slots[i].ent != ent) {
		if (!r->slots[i].ent)
			return;
		i = (i + 1) & mask;
	}
	for (size_t j = (i + 1) & mask; r->slots[j].ent; j = (j + 1) & mask) {
		size_t k = home_of(r, r->slots[j].hash);

		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (stays)
			continue;
		r->slots[i] = r->slots[j];
		i = j;
	}
	r->slots[i].hash = 0;
	r->slots[i].ent = 0;
	r->nindexed--;
	r->ents[e->idx] = NULL;
	r->nholes++;
}

static struct ref_group *group_find(const struct refout *r, const struct attrset *a, uint8_t family)
{
	for (struct ref_group *g = r->gbuckets[group_hash(a, family) & (r->ngbuckets - 1)]; g; g = g->hnext)
		if (g->attrs == a && g->family == family)
			return g;
	return NULL;
}

static struct ref_group *group_get(struct refout *r, struct attrset *a, uint8_t family)
{
	uint32_t h = group_hash(a, family);
	struct ref_group **pp = &r->gbuckets[h & (r->ngbuckets - 1)];
	for (struct ref_group *g = *pp; g; g = g->hnext)
		if (g->attrs == a && g->family == family)
			return g;
	struct ref_group *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->attrs = attrset_ref(a);
	g->family = family;
	g->seq = ++r->gseq;
	g->hnext = *pp;
	*pp = g;
	g->prev = r->gtail;
	if (r->gtail)
		r->gtail->next = g;
	else
		r->ghead = g;
	r->gtail = g;
	return g;
}

static void group_drop(struct refout *r, struct ref_group *g)
{
	uint32_t h = group_hash(g->attrs, g->family);
	struct ref_group **pp = &r->gbuckets[h & (r->ngbuckets - 1)];
	while (*pp && *pp != g)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = g->hnext;
	if (g->prev)
		g->prev->next = g->next;
	else
		r->ghead = g->next;
	if (g->next)
		g->next->prev = g->prev;
	else
		r->gtail = g->prev;
	attrset_unref(r->pool, g->attrs);
	free(g);
}

static void unlink_pending(struct refout *r, struct ref_entry *e)
{
	struct ref_group *g = e->group;
	if (!g)
		return;
	if (e->gprev)
		e->gprev->gnext = e->gnext;
	else
		g->head = e->gnext;
	if (e->gnext)
		e->gnext->gprev = e->gprev;
	else
		g->tail = e->gprev;
	e->gnext = e->gprev = NULL;
	e->group = NULL;
	g->count--;
	r->pending--;
	if (!g->head)
		group_drop(r, g);
}

/* issue 13: ExaBGP's order inside an UPDATE (path id, then NLRI bytes) */
static int ref_order(const struct ref_entry *x, const struct ref_entry *y)
{
	if (x->path_id != y->path_id)
		return x->path_id < y->path_id ? -1 : 1;
	int c = memcmp(x->nlri, y->nlri, x->nlri_len < y->nlri_len ? x->nlri_len : y->nlri_len);
	return c ? c : (int)x->nlri_len - (int)y->nlri_len;
}

static int ref_order_qsort(const void *a, const void *b)
{
	return ref_order(*(struct ref_entry *const *)a, *(struct ref_entry *const *)b);
}

static void group_sort(struct ref_group *g)
{
	struct ref_entry **v = malloc(g->count * sizeof(*v));
	if (!v)
		return;
	size_t n = 0;
	for (struct ref_entry *e = g->head; e; e = e->gnext)
		v[n++] = e;
	qsort(v, n, sizeof(*v), ref_order_qsort);
	for (size_t k = 0; k < n; k++) {
		v[k]->gprev = k ? v[k - 1] : NULL;
		v[k]->gnext = k + 1 < n ? v[k + 1] : NULL;
	}
	g->head = v[0];
	g->tail = v[n - 1];
	g->unsorted = false;
	free(v);
}

static int link_pending(struct refout *r, struct ref_entry *e)
{
	unlink_pending(r, e);
	struct ref_group *g = group_get(r, e->attrs, e->family);
	if (!g)
		return -1;
	e->group = g;
	e->gnext = NULL;
	e->gprev = g->tail;
	if (g->tail) {
		g->tail->gnext = e;
		if (g->family == FAM_IPV4_UNICAST && ref_order(g->tail, e) > 0)
			g->unsorted = true;
	} else {
		g->head = e;
	}
	g->tail = e;
	g->count++;
	r->pending++;
	return 0;
}

static void entry_delete(struct refout *r, struct ref_entry *e)
{
	unlink_pending(r, e);
	index_remove(r, e);
	r->count--;
	attrset_unref(r->pool, e->attrs);
	free(e);
}

static struct ref_entry *find_ghost(const struct refout *r, const struct ref_entry *e)
{
	size_t mask = r->nslots - 1;
	uint32_t h = entry_hash(e);
	for (size_t i = home_of(r, h); r->slots[i].ent; i = (i + 1) & mask) {
		if (r->slots[i].hash != h)
			continue;
		struct ref_entry *x = r->ents[r->slots[i].ent - 1];
		if (x->ghost == REF_GHOST_IS && key_is(x, e->family, e->path_id, e->nlri, e->nlri_len))
			return x;
	}
	return NULL;
}

static struct ref_entry *real_of(struct refout *r, const struct ref_entry *gh)
{
	return index_find(r, entry_hash(gh), gh->family, gh->path_id, gh->nlri, gh->nlri_len, NULL);
}

static void ghost_free(struct refout *r, struct ref_entry *gh)
{
	unlink_pending(r, gh);
	index_remove(r, gh);
	attrset_unref(r->pool, gh->attrs);
	free(gh);
}

static bool sent_after(const struct refout *r, const struct attrset *attrs, uint8_t family,
		       const struct ref_group *g)
{
	const struct ref_group *t = group_find(r, attrs, family);
	return !t || t->seq > g->seq;
}

static void ghost_check(struct refout *r, struct ref_entry *e, const struct attrset *attrs)
{
	if (e->ghost != REF_GHOST_PENDING)
		return;
	struct ref_entry *gh = find_ghost(r, e);
	if (gh && sent_after(r, attrs, e->family, gh->group))
		return;
	if (gh)
		ghost_free(r, gh);
	e->ghost = REF_GHOST_NONE;
}

static int ghost_make(struct refout *r, struct ref_entry *e)
{
	struct ref_entry *gh = malloc(entry_size(e->nlri_len));
	if (!gh)
		return -1;
	memcpy(gh, e, entry_size(e->nlri_len));
	gh->ghost = REF_GHOST_IS;
	gh->on_wire = 0;
	if (index_insert(r, gh, entry_hash(e), SIZE_MAX) < 0) {
		free(gh);
		return -1;
	}
	if (gh->gprev)
		gh->gprev->gnext = gh;
	else
		gh->group->head = gh;
	if (gh->gnext)
		gh->gnext->gprev = gh;
	else
		gh->group->tail = gh;
	e->group = NULL;
	e->gnext = e->gprev = NULL;
	e->attrs = NULL;
	e->ghost = REF_GHOST_PENDING;
	return 0;
}

static int announce_hashed(struct refout *r, uint32_t h, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			   uint16_t nlri_len, struct attrset *attrs, struct ref_entry **out)
{

	__builtin_prefetch(&r->slots[home_of(r, h)]);
	struct ref_entry *fresh = malloc(entry_size(nlri_len));
	if (fresh) {
		memset(fresh, 0, offsetof(struct ref_entry, nlri));
		fresh->path_id = path_id;
		fresh->family = family;
		fresh->nlri_len = nlri_len;
		memcpy(fresh->nlri, nlri, nlri_len);
	}
	size_t pos;
	struct ref_entry *e = index_find(r, h, family, path_id, nlri, nlri_len, &pos);
	*out = e;
	if (e) {
		free(fresh);
		if (e->attrs == attrs && !e->withdrawn && (e->on_wire || e->group))
			return 0;
		if (e->ghost == REF_GHOST_PENDING) {
			ghost_check(r, e, attrs);
		} else if (e->group && held(e) && sent_after(r, attrs, family, e->group) &&
			   ghost_make(r, e) == 0) {
			e->attrs = attrset_ref(attrs);
			return link_pending(r, e);
		}
		attrset_ref(attrs);
		attrset_unref(r->pool, e->attrs);
		e->attrs = attrs;
		e->withdrawn = 0;
		return link_pending(r, e);
	}
	e = fresh;
	if (!e)
		return -1;
	if (index_insert(r, e, h, pos) < 0) {
		free(e);
		return -1;
	}
	e->attrs = attrset_ref(attrs);
	r->count++;
	*out = e;
	return link_pending(r, e);
}

static int announce_entry(struct refout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			  uint16_t nlri_len, struct attrset *attrs, struct ref_entry **out)
{
	return announce_hashed(r, route_key_hash(family, path_id, nlri, nlri_len), family, path_id, nlri, nlri_len, attrs,
			       out);
}

int refout_announce_raw(struct refout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			uint16_t nlri_len, struct attrset *attrs)
{
	struct ref_entry *e;
	return announce_entry(r, family, path_id, nlri, nlri_len, attrs, &e);
}

int refout_announce(struct refout *r, const struct route *rt)
{
	return refout_announce_raw(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs);
}

int refout_announce_config(struct refout *r, const struct route *rt)
{
	struct ref_entry *e;
	if (announce_entry(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
		return -1;
	if (e)
		e->flags |= REF_FROM_CONFIG | REF_MARK;
	return 0;
}

/* Issue 13: a withdrawal is sent with attributes (the command's or the
 * route's), in their group, even when the announcement never left. */
static int withdraw_with(struct refout *r, struct ref_entry *e, struct attrset *attrs)
{
	ghost_check(r, e, attrs);
	if (attrs)
		attrset_ref(attrs);
	if (e->attrs)
		attrset_unref(r->pool, e->attrs);
	e->attrs = attrs;
	e->withdrawn = 1;
	return link_pending(r, e);
}

static int withdraw_entry(struct refout *r, struct ref_entry *e)
{
	return withdraw_with(r, e, e->attrs);
}

size_t refout_sync_config(struct refout *r, const struct route_list *routes,
			  bool (*wanted)(const void *ctx, const struct route *rt), const void *ctx)
{
	size_t before = r->pending;
	for (size_t i = 0; i < r->nents; i++)
		if (r->ents[i])
			r->ents[i]->flags &= (uint8_t)~REF_MARK;
	for (size_t i = 0; i < routes->n; i++)
		if (wanted ? wanted(ctx, routes->v[i]) : !(routes->v[i]->flags & ROUTE_WITHDRAWN))
			refout_announce_config(r, routes->v[i]);

	size_t n = 0;
	for (size_t i = 0; i < r->nents; i++) {
		struct ref_entry *e = r->ents[i];
		if (e && (e->flags & (REF_FROM_CONFIG | REF_MARK)) == REF_FROM_CONFIG && held(e) &&
		    e->ghost != REF_GHOST_IS) {
			withdraw_entry(r, e);
			n++;
		}
	}
	return (r->pending > before ? r->pending - before : 0) + n;
}

int refout_announce_api(struct refout *r, const struct route *rt)
{
	struct ref_entry *e;
	if (announce_entry(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
		return -1;
	if (e)
		e->flags &= (uint8_t)~REF_FROM_CONFIG;
	return 0;
}

#define LIST_AHEAD 16

int refout_announce_api_list(struct refout *r, struct route *const *v, size_t n)
{
	uint32_t h[LIST_AHEAD];
	for (size_t base = 0; base < n; base += LIST_AHEAD) {
		size_t k = n - base < LIST_AHEAD ? n - base : LIST_AHEAD;
		for (size_t i = 0; i < k; i++) {
			const struct route *rt = v[base + i];
			h[i] = route_key_hash(rt->family, rt->path_id, rt->nlri, rt->nlri_len);
			__builtin_prefetch(&r->slots[home_of(r, h[i])]);
		}
		for (size_t i = 0; i < k; i++) {
			const struct route *rt = v[base + i];
			struct ref_entry *e;
			if (announce_hashed(r, h[i], rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
				return -1;
			if (e)
				e->flags &= (uint8_t)~REF_FROM_CONFIG;
		}
	}
	return 0;
}

void refout_withdraw_all(struct refout *r)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct ref_entry *e = r->ents[i];
		if (e && held(e) && e->ghost != REF_GHOST_IS)
			withdraw_entry(r, e);
	}
}

int refout_withdraw(struct refout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len)
{
	uint32_t h = route_key_hash(family, path_id, nlri, nlri_len);
	struct ref_entry *e = index_find(r, h, family, path_id, nlri, nlri_len, NULL);
	return e ? withdraw_entry(r, e) : 0;
}

static int refout_withdraw_api(struct refout *r, const struct route *rt)
{
	uint32_t h = route_key_hash(rt->family, rt->path_id, rt->nlri, rt->nlri_len);
	size_t pos;
	struct ref_entry *e = index_find(r, h, rt->family, rt->path_id, rt->nlri, rt->nlri_len, &pos);
	if (e)
		return withdraw_with(r, e, rt->attrs);
	e = calloc(1, entry_size(rt->nlri_len));
	if (!e)
		return -1;
	e->path_id = rt->path_id;
	e->family = rt->family;
	e->nlri_len = rt->nlri_len;
	memcpy(e->nlri, rt->nlri, rt->nlri_len);
	if (index_insert(r, e, h, pos) < 0) {
		free(e);
		return -1;
	}
	r->count++;
	e->attrs = rt->attrs ? attrset_ref(rt->attrs) : NULL;
	e->withdrawn = 1;
	return link_pending(r, e);
}

void refout_resend(struct refout *r, family_mask families)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct ref_entry *e = r->ents[i];
		if (e && held(e) && !e->group && e->ghost != REF_GHOST_IS && (families & FAM_BIT(e->family)))
			link_pending(r, e);
	}
}

void refout_session_down(struct refout *r)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct ref_entry *e = r->ents[i];
		if (!e)
			continue;
		if (e->ghost == REF_GHOST_IS) {

			ghost_free(r, e);
			continue;
		}
		e->ghost = REF_GHOST_NONE;
		e->on_wire = 0;
		if (!held(e)) {

			entry_delete(r, e);
			continue;
		}
		if (!e->group)
			link_pending(r, e);
	}
}

void refout_walk(const struct refout *r, void (*fn)(void *ctx, const struct ref_entry *e), void *ctx)
{
	for (size_t i = 0; i < r->nents; i++) {
		const struct ref_entry *e = r->ents[i];
		if (e && held(e) && e->ghost != REF_GHOST_IS)
			fn(ctx, e);
	}
}

static bool uses_plain_nlri(uint8_t family, const struct nexthop *nh)
{
	return family == FAM_IPV4_UNICAST && (nh == NULL || nh->kind != NH_IP || nh->len == 4);
}

static size_t nlri_wire_len(const struct ref_entry *e, bool addpath)
{
	return e->nlri_len + (addpath ? 4u : 0u);
}

static void put_nlri(struct wbuf *w, const struct ref_entry *e, bool addpath)
{
	if (addpath)
		wb_u32(w, e->path_id);
	wb_bytes(w, e->nlri, e->nlri_len);
}

static void sent(struct refout *r, struct ref_entry *e)
{
	if (e->ghost == REF_GHOST_IS) {
		struct ref_entry *real = real_of(r, e);
		if (real) {
			real->on_wire = 1;
			real->ghost = REF_GHOST_NONE;
		}
		r->announced++;
		ghost_free(r, e);
	} else if (held(e)) {
		e->on_wire = 1;
		r->announced++;
		unlink_pending(r, e);
	} else {
		r->withdrawn++;
		entry_delete(r, e);
	}
}

static size_t pack_plain(struct refout *r, struct ref_group *g, const struct pack_opts *o,
			 const uint8_t *attrs, size_t alen, struct wbuf *w, size_t budget)
{
	/* issue 13: withdrawals and announcements of a group share UPDATEs */
	bool addpath = (o->addpath & FAM_BIT(g->family)) != 0;
	size_t room = o->enc.max_msg - BGP_HEADER_LEN - 4 - alen;
	size_t msgs = 0;
	bool gone = false;
	struct wbuf wd, an;
	wb_init(&wd, 64);
	wb_init(&an, 64);
	while (!gone && w->len < budget && !w->err) {
		wb_reset(&wd);
		wb_reset(&an);
		size_t used = 0;
		do {
			struct ref_entry *e = g->head;
			size_t n = nlri_wire_len(e, addpath);
			if (used && used + n > room)
				break;
			put_nlri(held(e) ? &an : &wd, e, addpath);
			used += n;
			gone = g->count == 1;
			sent(r, e);
		} while (!gone && o->group_updates);
		size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
		wb_u16(w, (uint16_t)wd.len);
		wb_bytes(w, wd.data, wd.len);
		wb_u16(w, (uint16_t)(an.len ? alen : 0));
		if (an.len) {
			wb_bytes(w, attrs, alen);
			wb_bytes(w, an.data, an.len);
		}
		bgp_msg_end(w, start);
		msgs++;
	}
	wb_free(&wd);
	wb_free(&an);
	return msgs;
}

static size_t pack_mp(struct refout *r, struct ref_group *g, const struct pack_opts *o,
		      const uint8_t *attrs, size_t alen, const struct nexthop *nh, struct wbuf *mp,
		      struct wbuf *w, size_t budget)
{
	const struct family_def *fd = &family_table[g->family];
	bool addpath = (o->addpath & FAM_BIT(g->family)) != 0;
	size_t msgs = 0;
	bool gone = false;
	while (!gone && w->len < budget && !w->err) {
		struct ref_entry *e = g->head;
		bool announce = held(e) != NULL;
		wb_reset(mp);
		wb_u16(mp, fd->afi);
		wb_u8(mp, fd->safi);
		if (announce) {

			uint8_t rd = nh ? fd->nh_rd_len : 0;
			wb_u8(mp, (uint8_t)(nh ? nh->len + rd : 0));
			for (uint8_t i = 0; i < rd; i++)
				wb_u8(mp, 0);
			if (nh)
				wb_bytes(mp, nh->addr, nh->len);
			wb_u8(mp, 0);
		}
		put_nlri(mp, e, addpath);
		size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
		wb_u16(w, 0);
		size_t alen_off = wb_reserve(w, 2);
		size_t abeg = w->len;
		wb_bytes(w, attrs, alen);
		encode_attribute(w, ATTR_FLAG_OPTIONAL, announce ? ATTR_MP_REACH_NLRI : ATTR_MP_UNREACH_NLRI,
				 mp->data, mp->len);
		wb_patch16(w, alen_off, (uint16_t)(w->len - abeg));
		bgp_msg_end(w, start);
		msgs++;
		gone = g->count == 1;
		sent(r, e);
	}
	return msgs;
}

size_t refout_pack(struct refout *r, const struct pack_opts *o, struct wbuf *w, size_t budget)
{
	size_t msgs = 0;
	struct wbuf attrs, mp;
	wb_init(&attrs, 256);
	wb_init(&mp, 256);
	while (r->ghead && w->len < budget && !w->err) {
		struct ref_group *g = r->ghead;
		if (!(o->families & FAM_BIT(g->family))) {

			while (g->head) {
				bool last = g->count == 1;
				struct ref_entry *e = g->head;
				if (e->ghost == REF_GHOST_IS) {
					struct ref_entry *real = real_of(r, e);
					if (real)
						real->ghost = REF_GHOST_NONE;
					ghost_free(r, e);
				} else if (!held(e)) {
					entry_delete(r, e);
				} else {
					unlink_pending(r, e);
				}
				if (last)
					break;
			}
			continue;
		}
		struct nexthop nh;
		const struct nexthop *nhp = NULL;
		wb_reset(&attrs);
		if (g->attrs) {
			encode_nexthop(&o->enc, &g->attrs->nh, &nh);
			nhp = nh.kind == NH_IP ? &nh : NULL;
			encode_attributes(&attrs, g->attrs, &o->enc, g->family);
		}
		if (uses_plain_nlri(g->family, g->attrs ? &nh : NULL)) {
			if (g->unsorted && o->group_updates)
				group_sort(g);
			msgs += pack_plain(r, g, o, attrs.data, attrs.len, w, budget);
		} else
			msgs += pack_mp(r, g, o, attrs.data, attrs.len, nhp, &mp, w, budget);
	}
	wb_free(&attrs);
	wb_free(&mp);
	return msgs;
}

#endif
