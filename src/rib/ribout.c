/* Adj-RIB-Out and UPDATE packing (see ribout.h). */
#include "rib/ribout.h"

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
	r->nbuckets = 1024;
	r->buckets = calloc(r->nbuckets, sizeof(*r->buckets));
	r->ngbuckets = 256;
	r->gbuckets = calloc(r->ngbuckets, sizeof(*r->gbuckets));
	return r->buckets && r->gbuckets ? 0 : -1;
}

void ribout_free(struct ribout *r)
{
	for (size_t i = 0; i < r->nbuckets && r->buckets; i++) {
		struct rib_entry *e = r->buckets[i];
		while (e) {
			struct rib_entry *n = e->hnext;
			attrset_unref(r->pool, e->attrs);
			free(e);
			e = n;
		}
	}
	struct rib_group *g = r->ghead;
	while (g) {
		struct rib_group *n = g->next;
		attrset_unref(r->pool, g->attrs);
		free(g);
		g = n;
	}
	free(r->buckets);
	free(r->gbuckets);
	memset(r, 0, sizeof(*r));
}

static void grow_entries(struct ribout *r)
{
	size_t nb = r->nbuckets * 4;
	struct rib_entry **b = calloc(nb, sizeof(*b));
	if (!b)
		return;
	for (size_t i = 0; i < r->nbuckets; i++) {
		struct rib_entry *e = r->buckets[i];
		while (e) {
			struct rib_entry *n = e->hnext;
			e->hnext = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
			e = n;
		}
	}
	free(r->buckets);
	r->buckets = b;
	r->nbuckets = nb;
}

static struct rib_entry **find_slot(struct ribout *r, uint32_t h, uint8_t family, uint32_t path_id,
				    const uint8_t *nlri, uint16_t len)
{
	struct rib_entry **pp = &r->buckets[h & (r->nbuckets - 1)];
	for (; *pp; pp = &(*pp)->hnext) {
		struct rib_entry *e = *pp;
		if (e->hash == h && e->family == family && e->path_id == path_id && e->nlri_len == len &&
		    e->ghost != RIB_GHOST_IS && !memcmp(e->nlri, nlri, len))
			return pp;
	}
	return pp;
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
	struct rib_entry **pp = find_slot(r, e->hash, e->family, e->path_id, e->nlri, e->nlri_len);
	if (*pp == e)
		*pp = e->hnext;
	r->count--;
	attrset_unref(r->pool, e->attrs);
	free(e);
}

/* --- ghosts: older announcements still to be sent (see ribout.h) --- */

static struct rib_entry *find_ghost(const struct ribout *r, const struct rib_entry *e)
{
	for (struct rib_entry *x = r->buckets[e->hash & (r->nbuckets - 1)]; x; x = x->hnext)
		if (x->ghost == RIB_GHOST_IS && x->hash == e->hash && x->family == e->family &&
		    x->path_id == e->path_id && x->nlri_len == e->nlri_len && !memcmp(x->nlri, e->nlri, e->nlri_len))
			return x;
	return NULL;
}

static struct rib_entry *real_of(struct ribout *r, const struct rib_entry *gh)
{
	return *find_slot(r, gh->hash, gh->family, gh->path_id, gh->nlri, gh->nlri_len);
}

static void ghost_free(struct ribout *r, struct rib_entry *gh)
{
	unlink_pending(r, gh);
	struct rib_entry **pp = &r->buckets[gh->hash & (r->nbuckets - 1)];
	while (*pp && *pp != gh)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = gh->hnext;
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
	struct rib_entry *gh = malloc(sizeof(*gh) + e->nlri_len);
	if (!gh)
		return -1;
	memcpy(gh, e, sizeof(*gh) + e->nlri_len);
	gh->ghost = RIB_GHOST_IS;
	gh->on_wire = 0;
	if (gh->gprev)
		gh->gprev->gnext = gh;
	else
		gh->group->head = gh;
	if (gh->gnext)
		gh->gnext->gprev = gh;
	else
		gh->group->tail = gh;
	struct rib_entry **b = &r->buckets[gh->hash & (r->nbuckets - 1)];
	gh->hnext = *b;
	*b = gh;
	e->group = NULL;
	e->gnext = e->gprev = NULL;
	e->attrs = NULL;
	e->ghost = RIB_GHOST_PENDING;
	return 0;
}

int ribout_announce_raw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			uint16_t nlri_len, struct attrset *attrs)
{
	uint32_t h = key_hash(family, path_id, nlri, nlri_len);
	struct rib_entry **pp = find_slot(r, h, family, path_id, nlri, nlri_len);
	struct rib_entry *e = *pp;
	if (e) {
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
	e = malloc(sizeof(*e) + nlri_len);
	if (!e)
		return -1;
	memset(e, 0, sizeof(*e));
	e->hash = h;
	e->path_id = path_id;
	e->family = family;
	e->nlri_len = nlri_len;
	memcpy(e->nlri, nlri, nlri_len);
	e->attrs = attrset_ref(attrs);
	*pp = e;
	r->count++;
	if (link_pending(r, e) < 0)
		return -1;
	if (r->count > r->nbuckets)
		grow_entries(r);
	return 0;
}

int ribout_announce(struct ribout *r, const struct route *rt)
{
	return ribout_announce_raw(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs);
}

static struct rib_entry *entry_find(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
				    uint16_t len)
{
	return *find_slot(r, key_hash(family, path_id, nlri, len), family, path_id, nlri, len);
}

int ribout_announce_config(struct ribout *r, const struct route *rt)
{
	if (ribout_announce(r, rt) < 0)
		return -1;
	struct rib_entry *e = entry_find(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len);
	if (e)
		e->flags |= RIB_FROM_CONFIG | RIB_MARK;
	return 0;
}

size_t ribout_sync_config(struct ribout *r, const struct route_list *routes,
			  bool (*wanted)(const void *ctx, const struct route *rt), const void *ctx)
{
	size_t before = r->pending;
	for (size_t i = 0; i < r->nbuckets; i++)
		for (struct rib_entry *e = r->buckets[i]; e; e = e->hnext)
			e->flags &= (uint8_t)~RIB_MARK;
	for (size_t i = 0; i < routes->n; i++)
		if (wanted ? wanted(ctx, routes->v[i]) : !(routes->v[i]->flags & ROUTE_WITHDRAWN))
			ribout_announce_config(r, routes->v[i]);
	/* Sweep: configured routes nobody re-announced are gone from the file.
	 * Withdrawing may free entries, so collect first. */
	size_t n = 0, cap = 0;
	struct rib_entry **gone = NULL;
	for (size_t i = 0; i < r->nbuckets; i++)
		for (struct rib_entry *e = r->buckets[i]; e; e = e->hnext)
			if ((e->flags & (RIB_FROM_CONFIG | RIB_MARK)) == RIB_FROM_CONFIG && e->attrs &&
			    e->ghost != RIB_GHOST_IS) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					struct rib_entry **g = realloc(gone, cap * sizeof(*g));
					if (!g)
						break;
					gone = g;
				}
				gone[n++] = e;
			}
	for (size_t i = 0; i < n; i++)
		ribout_withdraw(r, gone[i]->family, gone[i]->path_id, gone[i]->nlri, gone[i]->nlri_len);
	free(gone);
	return (r->pending > before ? r->pending - before : 0) + n;
}

int ribout_announce_api(struct ribout *r, const struct route *rt)
{
	if (ribout_announce(r, rt) < 0)
		return -1;
	struct rib_entry *e = entry_find(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len);
	if (e)
		e->flags &= (uint8_t)~RIB_FROM_CONFIG;
	return 0;
}

void ribout_withdraw_all(struct ribout *r)
{
	size_t n = 0, cap = 0;
	struct rib_entry **all = NULL;
	for (size_t i = 0; i < r->nbuckets; i++)
		for (struct rib_entry *e = r->buckets[i]; e; e = e->hnext)
			if (e->attrs && e->ghost != RIB_GHOST_IS) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					struct rib_entry **g = realloc(all, cap * sizeof(*g));
					if (!g)
						break;
					all = g;
				}
				all[n++] = e;
			}
	for (size_t i = 0; i < n; i++)
		ribout_withdraw(r, all[i]->family, all[i]->path_id, all[i]->nlri, all[i]->nlri_len);
	free(all);
}

int ribout_withdraw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len)
{
	uint32_t h = key_hash(family, path_id, nlri, nlri_len);
	struct rib_entry *e = *find_slot(r, h, family, path_id, nlri, nlri_len);
	if (!e)
		return 0;
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

void ribout_resend(struct ribout *r, family_mask families)
{
	for (size_t i = 0; i < r->nbuckets; i++)
		for (struct rib_entry *e = r->buckets[i]; e; e = e->hnext)
			if (e->attrs && !e->group && e->ghost != RIB_GHOST_IS && (families & FAM_BIT(e->family)))
				link_pending(r, e);
}

void ribout_session_down(struct ribout *r)
{
	for (size_t i = 0; i < r->nbuckets; i++) {
		struct rib_entry **pp = &r->buckets[i];
		while (*pp) {
			struct rib_entry *e = *pp;
			if (e->ghost == RIB_GHOST_IS) {
				/* The older announcement is not needed any more. */
				unlink_pending(r, e);
				*pp = e->hnext;
				attrset_unref(r->pool, e->attrs);
				free(e);
				continue;
			}
			e->ghost = RIB_GHOST_NONE;
			e->on_wire = 0;
			if (!e->attrs) {
				/* A pending withdrawal of a route the peer no longer has. */
				unlink_pending(r, e);
				*pp = e->hnext;
				r->count--;
				free(e);
				continue;
			}
			if (!e->group)
				link_pending(r, e);
			pp = &e->hnext;
		}
	}
}

void ribout_walk(const struct ribout *r, void (*fn)(void *ctx, const struct rib_entry *e), void *ctx)
{
	for (size_t i = 0; i < r->nbuckets; i++)
		for (const struct rib_entry *e = r->buckets[i]; e; e = e->hnext)
			if (e->attrs && e->ghost != RIB_GHOST_IS)
				fn(ctx, e);
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
