/* Adj-RIB-Out and UPDATE packing (see ribout.h). */
#include "rib/ribout.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "wire/header.h"


static uint32_t key_hash(uint8_t family, uint32_t path_id, const uint8_t *nlri, uint16_t len)
{
	uint32_t h = 2166136261u ^ family;
	h = (h ^ path_id) * 16777619u;
	for (uint16_t i = 0; i < len; i++)
		h = (h ^ nlri[i]) * 16777619u;
	return h ^ (h >> 15);
}

static uint32_t entry_hash(const struct rib_entry *e)
{
	return key_hash(e->family, e->path_id, e->nlri, e->nlri_len);
}

/* Bytes of an entry with len NLRI bytes. */
static size_t entry_size(uint16_t len)
{
	return offsetof(struct rib_entry, nlri) + len;
}

static uint32_t group_hash(const struct attrset *a, uint8_t family)
{
	uintptr_t p = (uintptr_t)a;
	uint64_t h = (uint64_t)p * 0x9E3779B97F4A7C15ull + family;
	return (uint32_t)(h >> 32);
}

int ribout_init(struct ribout *r, struct attr_pool *pool)
{
	memset(r, 0, sizeof(*r));
	r->pool = pool;
	r->nslots = 1024;
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	r->ngbuckets = 256;
	r->gbuckets = calloc(r->ngbuckets, sizeof(*r->gbuckets));
	return r->slots && r->gbuckets ? 0 : -1;
}

void ribout_free(struct ribout *r)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct rib_entry *e = r->ents[i];
		if (e) {
			attrset_unref(r->pool, e->attrs);
			free(e);
		}
	}
	struct rib_group *g = r->ghead;
	while (g) {
		struct rib_group *n = g->next;
		attrset_unref(r->pool, g->attrs);
		free(g);
		g = n;
	}
	free(r->slots);
	free(r->ents);
	free(r->gbuckets);
	memset(r, 0, sizeof(*r));
}

/* --- the entry index ---
 *
 * Linear probing over (hash, position) slots.  A lookup of a new route (the
 * common case when a helper or the configuration announces routes) reads
 * one or two adjacent slots and no entry at all; a growth moves slots
 * without reading entries.  Slots are taken in home-slot order, so growing
 * writes the new table nearly sequentially. */

static inline size_t home_of(const struct ribout *r, uint32_t h)
{
	return h & (r->nslots - 1);
}

static inline bool key_is(const struct rib_entry *e, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			  uint16_t len)
{
	return e->family == family && e->path_id == path_id && e->nlri_len == len && !memcmp(e->nlri, nlri, len);
}

/* The entry (never a ghost) with this key, or NULL; *pos (may be NULL) is
 * then its slot, or the empty slot where it would be inserted. */
static struct rib_entry *index_find(const struct ribout *r, uint32_t h, uint8_t family, uint32_t path_id,
				    const uint8_t *nlri, uint16_t len, size_t *pos)
{
	size_t mask = r->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct rib_slot *s = &r->slots[i];
		if (!s->ent) {
			if (pos)
				*pos = i;
			return NULL;
		}
		if (s->hash != h)
			continue;
		struct rib_entry *e = r->ents[s->ent - 1];
		if (e->ghost != RIB_GHOST_IS && key_is(e, family, path_id, nlri, len)) {
			if (pos)
				*pos = i;
			return e;
		}
	}
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
 * last free slot is never given away (see index_insert). */
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

/* Removes the holes of ents (positions change: the slots follow). */
static void ents_compact(struct ribout *r)
{
	uint32_t *map = malloc(r->nents * sizeof(*map));
	if (!map)
		return;
	size_t n = 0;
	for (size_t i = 0; i < r->nents; i++) {
		struct rib_entry *e = r->ents[i];
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

/* Adds e (an entry or a ghost, of hash h) to the index at pos, the empty
 * slot that index_find returned (or any free slot when pos is SIZE_MAX). */
static int index_insert(struct ribout *r, struct rib_entry *e, uint32_t h, size_t pos)
{
	if (r->nindexed + 2 > r->nslots)
		return -1; /* could not grow: keep one slot free so probes end */
	if (r->nents == r->entcap) {
		if (r->nholes > r->nents / 2) {
			ents_compact(r);
		} else {
			if (r->entcap >= UINT32_MAX - 1)
				return -1;
			size_t cap = r->entcap ? r->entcap * 2 : 16;
			struct rib_entry **v = realloc(r->ents, cap * sizeof(*v));
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

/* Takes e (an entry or a ghost) out of the index and of ents.  Linear
 * probing: later slots of the cluster move back so that no lookup stops
 * early at the hole (no tombstones). */
static void index_remove(struct ribout *r, const struct rib_entry *e)
{
	size_t mask = r->nslots - 1;
	uint32_t ent = e->idx + 1;
	size_t i = home_of(r, entry_hash(e));
	while (r->slots[i].ent != ent) {
		if (!r->slots[i].ent)
			return; /* not indexed (cannot happen) */
		i = (i + 1) & mask;
	}
	for (size_t j = (i + 1) & mask; r->slots[j].ent; j = (j + 1) & mask) {
		size_t k = home_of(r, r->slots[j].hash);
		/* slot j may move to i when its home is not in (i, j] (cyclically) */
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

/* --- pending groups --- */

static struct rib_group *group_find(const struct ribout *r, const struct attrset *a, uint8_t family)
{
	for (struct rib_group *g = r->gbuckets[group_hash(a, family) & (r->ngbuckets - 1)]; g; g = g->hnext)
		if (g->attrs == a && g->family == family)
			return g;
	return NULL;
}

static struct rib_group *group_get(struct ribout *r, struct attrset *a, uint8_t family)
{
	uint32_t h = group_hash(a, family);
	struct rib_group **pp = &r->gbuckets[h & (r->ngbuckets - 1)];
	for (struct rib_group *g = *pp; g; g = g->hnext)
		if (g->attrs == a && g->family == family)
			return g;
	struct rib_group *g = calloc(1, sizeof(*g));
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

static void group_drop(struct ribout *r, struct rib_group *g)
{
	uint32_t h = group_hash(g->attrs, g->family);
	struct rib_group **pp = &r->gbuckets[h & (r->ngbuckets - 1)];
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

static void unlink_pending(struct ribout *r, struct rib_entry *e)
{
	struct rib_group *g = e->group;
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

/* Appends e at the end of its (attributes, family) group: insertion order
 * is kept, as ExaBGP does. */
static int link_pending(struct ribout *r, struct rib_entry *e)
{
	unlink_pending(r, e);
	struct rib_group *g = group_get(r, e->attrs, e->family);
	if (!g)
		return -1;
	e->group = g;
	e->gnext = NULL;
	e->gprev = g->tail;
	if (g->tail)
		g->tail->gnext = e;
	else
		g->head = e;
	g->tail = e;
	g->count++;
	r->pending++;
	return 0;
}

static void entry_delete(struct ribout *r, struct rib_entry *e)
{
	unlink_pending(r, e);
	index_remove(r, e);
	r->count--;
	attrset_unref(r->pool, e->attrs);
	free(e);
}

/* --- ghosts: older announcements still to be sent (see ribout.h) --- */

static struct rib_entry *find_ghost(const struct ribout *r, const struct rib_entry *e)
{
	size_t mask = r->nslots - 1;
	uint32_t h = entry_hash(e);
	for (size_t i = home_of(r, h); r->slots[i].ent; i = (i + 1) & mask) {
		if (r->slots[i].hash != h)
			continue;
		struct rib_entry *x = r->ents[r->slots[i].ent - 1];
		if (x->ghost == RIB_GHOST_IS && key_is(x, e->family, e->path_id, e->nlri, e->nlri_len))
			return x;
	}
	return NULL;
}

static struct rib_entry *real_of(struct ribout *r, const struct rib_entry *gh)
{
	return index_find(r, entry_hash(gh), gh->family, gh->path_id, gh->nlri, gh->nlri_len, NULL);
}

static void ghost_free(struct ribout *r, struct rib_entry *gh)
{
	unlink_pending(r, gh);
	index_remove(r, gh);
	attrset_unref(r->pool, gh->attrs);
	free(gh);
}

/* Would a change of e to attrs (NULL: a withdrawal) be sent after group g? */
static bool sent_after(const struct ribout *r, const struct attrset *attrs, uint8_t family,
		       const struct rib_group *g)
{
	const struct rib_group *t = group_find(r, attrs, family);
	return !t || t->seq > g->seq;
}

/* e's pending ghost must go out before e's next change: otherwise it is
 * dropped (the peer must end with the newest state). */
static void ghost_check(struct ribout *r, struct rib_entry *e, const struct attrset *attrs)
{
	if (e->ghost != RIB_GHOST_PENDING)
		return;
	struct rib_entry *gh = find_ghost(r, e);
	if (gh && sent_after(r, attrs, e->family, gh->group))
		return;
	if (gh)
		ghost_free(r, gh);
	e->ghost = RIB_GHOST_NONE;
}

/* Leaves e's pending announcement in its group as a ghost (which takes e's
 * attribute reference and place); e itself is then free to be relinked. */
static int ghost_make(struct ribout *r, struct rib_entry *e)
{
	struct rib_entry *gh = malloc(entry_size(e->nlri_len));
	if (!gh)
		return -1;
	memcpy(gh, e, entry_size(e->nlri_len));
	gh->ghost = RIB_GHOST_IS;
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
	e->ghost = RIB_GHOST_PENDING;
	return 0;
}

/* Announces a route of hash h; *out is its entry afterwards (when 0 is
 * returned), so that callers which flag the entry need no second lookup. */
static int announce_hashed(struct ribout *r, uint32_t h, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			   uint16_t nlri_len, struct attrset *attrs, struct rib_entry **out)
{
	/* The slot is usually a cache miss: start loading it, and prepare the
	 * entry of a new route (the usual case) meanwhile. */
	__builtin_prefetch(&r->slots[home_of(r, h)]);
	struct rib_entry *fresh = malloc(entry_size(nlri_len));
	if (fresh) {
		memset(fresh, 0, offsetof(struct rib_entry, nlri));
		fresh->path_id = path_id;
		fresh->family = family;
		fresh->nlri_len = nlri_len;
		memcpy(fresh->nlri, nlri, nlri_len);
	}
	size_t pos;
	struct rib_entry *e = index_find(r, h, family, path_id, nlri, nlri_len, &pos);
	*out = e;
	if (e) {
		free(fresh);
		if (e->attrs == attrs && (e->on_wire || e->group))
			return 0; /* unchanged: nothing to send */
		if (e->ghost == RIB_GHOST_PENDING) {
			ghost_check(r, e, attrs);
		} else if (e->group && e->attrs && !e->on_wire && sent_after(r, attrs, family, e->group) &&
			   ghost_make(r, e) == 0) {
			e->attrs = attrset_ref(attrs);
			return link_pending(r, e);
		}
		attrset_unref(r->pool, e->attrs);
		e->attrs = attrset_ref(attrs);
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

static int announce_entry(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			  uint16_t nlri_len, struct attrset *attrs, struct rib_entry **out)
{
	return announce_hashed(r, key_hash(family, path_id, nlri, nlri_len), family, path_id, nlri, nlri_len, attrs,
			       out);
}

int ribout_announce_raw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			uint16_t nlri_len, struct attrset *attrs)
{
	struct rib_entry *e;
	return announce_entry(r, family, path_id, nlri, nlri_len, attrs, &e);
}

int ribout_announce(struct ribout *r, const struct route *rt)
{
	return ribout_announce_raw(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs);
}

int ribout_announce_config(struct ribout *r, const struct route *rt)
{
	struct rib_entry *e;
	if (announce_entry(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
		return -1;
	if (e)
		e->flags |= RIB_FROM_CONFIG | RIB_MARK;
	return 0;
}

/* Withdraws entry e (not a ghost). */
static int withdraw_entry(struct ribout *r, struct rib_entry *e)
{
	ghost_check(r, e, NULL);
	if (!e->on_wire && e->ghost != RIB_GHOST_PENDING) {
		/* Never sent: forget it, the peer needs to hear nothing. */
		entry_delete(r, e);
		return 0;
	}
	attrset_unref(r->pool, e->attrs);
	e->attrs = NULL;
	return link_pending(r, e);
}

/* The walks below go over ents by position: withdrawing or deleting an
 * entry only empties its own position (and its ghost's), and nothing in
 * them adds entries, so positions stay valid during the walk. */

size_t ribout_sync_config(struct ribout *r, const struct route_list *routes,
			  bool (*wanted)(const void *ctx, const struct route *rt), const void *ctx)
{
	size_t before = r->pending;
	for (size_t i = 0; i < r->nents; i++)
		if (r->ents[i])
			r->ents[i]->flags &= (uint8_t)~RIB_MARK;
	for (size_t i = 0; i < routes->n; i++)
		if (wanted ? wanted(ctx, routes->v[i]) : !(routes->v[i]->flags & ROUTE_WITHDRAWN))
			ribout_announce_config(r, routes->v[i]);
	/* Sweep: configured routes nobody re-announced are gone from the file. */
	size_t n = 0;
	for (size_t i = 0; i < r->nents; i++) {
		struct rib_entry *e = r->ents[i];
		if (e && (e->flags & (RIB_FROM_CONFIG | RIB_MARK)) == RIB_FROM_CONFIG && e->attrs &&
		    e->ghost != RIB_GHOST_IS) {
			withdraw_entry(r, e);
			n++;
		}
	}
	return (r->pending > before ? r->pending - before : 0) + n;
}

int ribout_announce_api(struct ribout *r, const struct route *rt)
{
	struct rib_entry *e;
	if (announce_entry(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
		return -1;
	if (e)
		e->flags &= (uint8_t)~RIB_FROM_CONFIG;
	return 0;
}

/* Routes of a list are looked up LIST_AHEAD at a time: their hashes are
 * computed and their slots prefetched first, so that the cache misses of
 * the index overlap instead of following one another. */
#define LIST_AHEAD 16

int ribout_announce_api_list(struct ribout *r, struct route *const *v, size_t n)
{
	uint32_t h[LIST_AHEAD];
	for (size_t base = 0; base < n; base += LIST_AHEAD) {
		size_t k = n - base < LIST_AHEAD ? n - base : LIST_AHEAD;
		for (size_t i = 0; i < k; i++) {
			const struct route *rt = v[base + i];
			h[i] = key_hash(rt->family, rt->path_id, rt->nlri, rt->nlri_len);
			__builtin_prefetch(&r->slots[home_of(r, h[i])]);
		}
		for (size_t i = 0; i < k; i++) {
			const struct route *rt = v[base + i];
			struct rib_entry *e;
			if (announce_hashed(r, h[i], rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
				return -1;
			if (e)
				e->flags &= (uint8_t)~RIB_FROM_CONFIG;
		}
	}
	return 0;
}

void ribout_withdraw_all(struct ribout *r)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct rib_entry *e = r->ents[i];
		if (e && e->attrs && e->ghost != RIB_GHOST_IS)
			withdraw_entry(r, e);
	}
}

int ribout_withdraw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len)
{
	uint32_t h = key_hash(family, path_id, nlri, nlri_len);
	struct rib_entry *e = index_find(r, h, family, path_id, nlri, nlri_len, NULL);
	return e ? withdraw_entry(r, e) : 0;
}

void ribout_resend(struct ribout *r, family_mask families)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct rib_entry *e = r->ents[i];
		if (e && e->attrs && !e->group && e->ghost != RIB_GHOST_IS && (families & FAM_BIT(e->family)))
			link_pending(r, e);
	}
}

void ribout_session_down(struct ribout *r)
{
	for (size_t i = 0; i < r->nents; i++) {
		struct rib_entry *e = r->ents[i];
		if (!e)
			continue;
		if (e->ghost == RIB_GHOST_IS) {
			/* The older announcement is not needed any more. */
			ghost_free(r, e);
			continue;
		}
		e->ghost = RIB_GHOST_NONE;
		e->on_wire = 0;
		if (!e->attrs) {
			/* A pending withdrawal of a route the peer no longer has. */
			entry_delete(r, e);
			continue;
		}
		if (!e->group)
			link_pending(r, e);
	}
}

void ribout_walk(const struct ribout *r, void (*fn)(void *ctx, const struct rib_entry *e), void *ctx)
{
	for (size_t i = 0; i < r->nents; i++) {
		const struct rib_entry *e = r->ents[i];
		if (e && e->attrs && e->ghost != RIB_GHOST_IS)
			fn(ctx, e);
	}
}

/* --- packing --- */

/* IPv4 unicast with an IPv4 next-hop uses the plain NLRI fields of the
 * UPDATE; everything else travels in MP_REACH/MP_UNREACH (RFC 4760). */
static bool uses_plain_nlri(uint8_t family, const struct nexthop *nh)
{
	return family == FAM_IPV4_UNICAST && (nh == NULL || (nh->kind == NH_IP && nh->len == 4));
}

static size_t nlri_wire_len(const struct rib_entry *e, bool addpath)
{
	return e->nlri_len + (addpath ? 4u : 0u);
}

static void put_nlri(struct wbuf *w, const struct rib_entry *e, bool addpath)
{
	if (addpath)
		wb_u32(w, e->path_id);
	wb_bytes(w, e->nlri, e->nlri_len);
}

/* Mark one route as written and take it off the pending list. */
static void sent(struct ribout *r, struct rib_entry *e)
{
	if (e->ghost == RIB_GHOST_IS) {
		struct rib_entry *real = real_of(r, e);
		if (real) {
			real->on_wire = 1;
			real->ghost = RIB_GHOST_NONE;
		}
		r->announced++;
		ghost_free(r, e);
	} else if (e->attrs) {
		e->on_wire = 1;
		r->announced++;
		unlink_pending(r, e);
	} else {
		r->withdrawn++;
		entry_delete(r, e);
	}
}

/* Writes the routes of an IPv4 unicast group into UPDATEs using the plain
 * withdrawn/NLRI fields.  Returns the messages written; the group may be
 * freed when its last route goes out (*gone is then set). */
static size_t pack_plain(struct ribout *r, struct rib_group *g, const struct pack_opts *o,
			 const uint8_t *attrs, size_t alen, struct wbuf *w, size_t budget)
{
	bool addpath = (o->addpath & FAM_BIT(g->family)) != 0;
	bool announce = g->attrs != NULL;
	size_t room = o->enc.max_msg - BGP_HEADER_LEN - 4 - (announce ? alen : 0);
	size_t msgs = 0;
	bool gone = false;
	while (!gone && w->len < budget && !w->err) {
		size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
		size_t field = 0;
		if (announce) {
			wb_u16(w, 0); /* no withdrawn routes */
			wb_u16(w, (uint16_t)alen);
			wb_bytes(w, attrs, alen);
		} else {
			field = wb_reserve(w, 2);
		}
		size_t used = 0;
		do {
			struct rib_entry *e = g->head;
			size_t n = nlri_wire_len(e, addpath);
			if (used && used + n > room)
				break;
			put_nlri(w, e, addpath);
			used += n;
			gone = g->count == 1;
			sent(r, e);
		} while (!gone && o->group_updates);
		if (!announce) {
			wb_patch16(w, field, (uint16_t)used);
			wb_u16(w, 0); /* no path attributes */
		}
		bgp_msg_end(w, start);
		msgs++;
	}
	return msgs;
}

/* One NLRI per UPDATE in MP_REACH_NLRI / MP_UNREACH_NLRI, as ExaBGP 4.2. */
static size_t pack_mp(struct ribout *r, struct rib_group *g, const struct pack_opts *o,
		      const uint8_t *attrs, size_t alen, const struct nexthop *nh, struct wbuf *mp,
		      struct wbuf *w, size_t budget)
{
	const struct family_def *fd = &family_table[g->family];
	bool addpath = (o->addpath & FAM_BIT(g->family)) != 0;
	size_t msgs = 0;
	bool gone = false;
	while (!gone && w->len < budget && !w->err) {
		struct rib_entry *e = g->head;
		wb_reset(mp);
		wb_u16(mp, fd->afi);
		wb_u8(mp, fd->safi);
		if (g->attrs) {
			/* VPN next-hops carry a zero Route Distinguisher first (RFC 4364 4.3.2). */
			uint8_t rd = nh ? fd->nh_rd_len : 0;
			wb_u8(mp, (uint8_t)(nh ? nh->len + rd : 0));
			for (uint8_t i = 0; i < rd; i++)
				wb_u8(mp, 0);
			if (nh)
				wb_bytes(mp, nh->addr, nh->len);
			wb_u8(mp, 0); /* reserved (RFC 4760 3) */
		}
		put_nlri(mp, e, addpath);
		size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
		wb_u16(w, 0);
		size_t alen_off = wb_reserve(w, 2);
		size_t abeg = w->len;
		if (g->attrs)
			wb_bytes(w, attrs, alen);
		encode_attribute(w, ATTR_FLAG_OPTIONAL, g->attrs ? ATTR_MP_REACH_NLRI : ATTR_MP_UNREACH_NLRI,
				 mp->data, mp->len);
		wb_patch16(w, alen_off, (uint16_t)(w->len - abeg));
		bgp_msg_end(w, start);
		msgs++;
		gone = g->count == 1;
		sent(r, e);
	}
	return msgs;
}

size_t ribout_pack(struct ribout *r, const struct pack_opts *o, struct wbuf *w, size_t budget)
{
	size_t msgs = 0;
	struct wbuf attrs, mp;
	wb_init(&attrs, 256);
	wb_init(&mp, 256);
	while (r->ghead && w->len < budget && !w->err) {
		struct rib_group *g = r->ghead;
		if (!(o->families & FAM_BIT(g->family))) {
			/* Not negotiated: never sent to this peer (the route stays in
			 * the table, and goes out if a later session negotiates it). */
			while (g->head) {
				bool last = g->count == 1;
				struct rib_entry *e = g->head;
				if (e->ghost == RIB_GHOST_IS) {
					struct rib_entry *real = real_of(r, e);
					if (real)
						real->ghost = RIB_GHOST_NONE;
					ghost_free(r, e);
				} else if (!e->attrs) {
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
		if (uses_plain_nlri(g->family, g->attrs ? &nh : NULL))
			msgs += pack_plain(r, g, o, attrs.data, attrs.len, w, budget);
		else
			msgs += pack_mp(r, g, o, attrs.data, attrs.len, nhp, &mp, w, budget);
	}
	wb_free(&attrs);
	wb_free(&mp);
	return msgs;
}
