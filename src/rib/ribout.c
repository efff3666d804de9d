/* Adj-RIB-Out and UPDATE packing (see ribout.h; the storage is in
 * ribout_table.c).  Records are named by number: a pointer to one is only
 * used until the next rec_reserve(), which may move them. */
#include "rib/ribout.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rib/ribout_table.h"
#include "wire/header.h"

/* --- pending groups ---
 *
 * The group of a pending record is its class: (attributes, family).  A
 * class becomes a group (at the end of the group order) when its first
 * record is queued and stops being one when its last record is sent or
 * unqueued. */

static void group_leave(struct ribout *r, uint32_t c)
{
	struct rib_class *g = &r->cls[c];
	if (g->prev != RIB_NIL)
		r->cls[g->prev].next = g->next;
	else
		r->ghead = g->next;
	if (g->next != RIB_NIL)
		r->cls[g->next].prev = g->prev;
	else
		r->gtail = g->prev;
	g->next = g->prev = RIB_NIL;
	g->unsorted = false;
}

/* ExaBGP 4.2 writes the NLRIs of one UPDATE sorted by their index (the
 * path identifier, then the NLRI's bytes: prefix length first), so the
 * IPv4 unicast UPDATEs of a group follow that order.  Routes usually come
 * in order already: link_pending() notes when one does not, and the group
 * is sorted only then, when it is packed. */
static int rec_order(const struct ribout *r, uint32_t a, uint32_t b)
{
	const struct rib_rec *x = rec_at(r, a), *y = rec_at(r, b);
	if (x->path_id != y->path_id)
		return x->path_id < y->path_id ? -1 : 1;
	uint16_t lx, ly;
	const uint8_t *nx = rec_nlri(r, x, &lx), *ny = rec_nlri(r, y, &ly);
	int c = memcmp(nx, ny, lx < ly ? lx : ly);
	return c ? c : (int)lx - (int)ly;
}

/* A record's place in the sort: only IPv4 unicast groups are sorted, and
 * their NLRIs are at most 5 bytes, so the first 7 bytes read big-endian,
 * then the length, order them as rec_order() does, with no call per
 * comparison into the records. */
struct sort_item {
	uint64_t key;
	uint32_t path_id;
	uint32_t rec;
	uint16_t len;
};

static int sort_item_order(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->path_id != y->path_id)
		return x->path_id < y->path_id ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (int)x->len - (int)y->len;
}

/* Puts the pending list of group c in NLRI order (left as it is when
 * memory is short: the UPDATEs are still valid, in another order). */
static void group_sort(struct ribout *r, uint32_t c)
{
	struct rib_class *g = &r->cls[c];
	struct sort_item *v = malloc(g->count * sizeof(*v));
	if (!v)
		return;
	size_t n = 0;
	for (uint32_t i = g->head; i != RIB_NIL; i = rec_at(r, i)->gnext) {
		const struct rib_rec *e = rec_at(r, i);
		uint16_t len;
		const uint8_t *nlri = rec_nlri(r, e, &len);
		uint64_t key = 0;
		for (uint16_t k = 0; k < 7; k++)
			key = key << 8 | (k < len ? nlri[k] : 0);
		v[n++] = (struct sort_item){key, e->path_id, i, len};
	}
	qsort(v, n, sizeof(*v), sort_item_order);
	for (size_t k = 0; k < n; k++) {
		struct rib_rec *e = rec_at(r, v[k].rec);
		e->gprev = k ? v[k - 1].rec : RIB_NIL;
		e->gnext = k + 1 < n ? v[k + 1].rec : RIB_NIL;
	}
	g->head = v[0].rec;
	g->tail = v[n - 1].rec;
	g->unsorted = false;
	free(v);
}

static void group_enter(struct ribout *r, uint32_t c)
{
	struct rib_class *g = &r->cls[c];
	g->seq = ++r->gseq;
	g->next = RIB_NIL;
	g->prev = r->gtail;
	if (r->gtail != RIB_NIL)
		r->cls[r->gtail].next = c;
	else
		r->ghead = c;
	r->gtail = c;
}

static void unlink_pending(struct ribout *r, uint32_t i)
{
	struct rib_rec *e = rec_at(r, i);
	if (!rec_pending(e))
		return;
	struct rib_class *g = &r->cls[e->cls];
	if (e->gprev != RIB_NIL)
		rec_at(r, e->gprev)->gnext = e->gnext;
	else
		g->head = e->gnext;
	if (e->gnext != RIB_NIL)
		rec_at(r, e->gnext)->gprev = e->gprev;
	else
		g->tail = e->gprev;
	e->gnext = e->gprev = RIB_NIL;
	e->bits &= (uint8_t)~REC_PENDING;
	g->count--;
	r->pending--;
	if (!g->count)
		group_leave(r, e->cls);
}

/* Appends record i at the end of its (attributes, family) group: insertion
 * order is kept, as ExaBGP does. */
static void link_pending(struct ribout *r, uint32_t i)
{
	unlink_pending(r, i);
	struct rib_rec *e = rec_at(r, i);
	struct rib_class *g = &r->cls[e->cls];
	if (!g->count)
		group_enter(r, e->cls);
	e->gnext = RIB_NIL;
	e->gprev = g->tail;
	if (g->tail != RIB_NIL) {
		rec_at(r, g->tail)->gnext = i;
		if (g->family == FAM_IPV4_UNICAST && !g->unsorted && rec_order(r, g->tail, i) > 0)
			g->unsorted = true;
	} else {
		g->head = i;
	}
	g->tail = i;
	g->count++;
	r->pending++;
	e->bits |= REC_PENDING;
}

/* Gives record i class c (whose reference the caller acquired) instead of
 * its own: it leaves its group first, since the group is the class. */
static void set_class(struct ribout *r, uint32_t i, uint32_t c)
{
	unlink_pending(r, i);
	struct rib_rec *e = rec_at(r, i);
	uint32_t old = e->cls;
	e->cls = c;
	class_release(r, old);
}

static void entry_delete(struct ribout *r, uint32_t i)
{
	unlink_pending(r, i);
	rec_free(r, i);
	r->count--;
}

/* --- ghosts: older announcements still to be sent (see ribout.h) --- */

static uint32_t real_of(const struct ribout *r, uint32_t gi)
{
	const struct rib_rec *gh = rec_at(r, gi);
	uint16_t len;
	const uint8_t *nlri = rec_nlri(r, gh, &len);
	uint8_t family = rec_family(r, gh);
	return index_find(r, route_key_hash(family, gh->path_id, nlri, len), family, gh->path_id, nlri, len, NULL);
}

static void ghost_free(struct ribout *r, uint32_t gi)
{
	unlink_pending(r, gi);
	rec_free(r, gi);
}

/* Would a change to class t (RIB_NIL: a class nobody uses yet) be sent
 * after group g? */
static bool sent_after(const struct ribout *r, uint32_t t, uint32_t g)
{
	return t == RIB_NIL || !r->cls[t].count || r->cls[t].seq > r->cls[g].seq;
}

/* Entry i's pending ghost must go out before its change to class t:
 * otherwise it is dropped (the peer must end with the newest state). */
static void ghost_check(struct ribout *r, uint32_t i, uint32_t t)
{
	if (rec_ghost(rec_at(r, i)) != RIB_GHOST_PENDING)
		return;
	uint32_t gi = index_find_ghost(r, i);
	if (gi != RIB_NIL && sent_after(r, t, rec_at(r, gi)->cls))
		return;
	if (gi != RIB_NIL)
		ghost_free(r, gi);
	rec_set_ghost(rec_at(r, i), RIB_GHOST_NONE);
}

/* Leaves entry i's pending announcement in its group as a ghost (a copy of
 * the record, which takes i's place there); i is then out of the group,
 * still of its class, free to take another.  Needs room for one record. */
static int ghost_make(struct ribout *r, uint32_t i)
{
	struct rib_rec *e = rec_at(r, i);
	uint16_t len;
	const uint8_t *nlri = rec_nlri(r, e, &len);
	uint32_t c = e->cls;
	r->cls[c].refs++; /* the ghost's */
	uint32_t gi = rec_new(r, rec_hash(r, e), SIZE_MAX, e->path_id, nlri, len, c);
	if (gi == RIB_NIL) {
		r->cls[c].refs--;
		return -1;
	}
	e = rec_at(r, i);
	struct rib_rec *gh = rec_at(r, gi);
	gh->bits = (uint8_t)(gh->bits | (e->bits & (RIB_FROM_CONFIG | RIB_MARK)) | REC_PENDING);
	rec_set_ghost(gh, RIB_GHOST_IS);
	gh->gnext = e->gnext;
	gh->gprev = e->gprev;
	struct rib_class *g = &r->cls[c];
	if (gh->gprev != RIB_NIL)
		rec_at(r, gh->gprev)->gnext = gi;
	else
		g->head = gi;
	if (gh->gnext != RIB_NIL)
		rec_at(r, gh->gnext)->gprev = gi;
	else
		g->tail = gi;
	e->gnext = e->gprev = RIB_NIL;
	e->bits &= (uint8_t)~REC_PENDING;
	rec_set_ghost(e, RIB_GHOST_PENDING);
	return 0;
}

/* Announces a route of hash h; *out is its entry afterwards (when 0 is
 * returned), so that callers which flag the entry need no second lookup. */
static int announce_hashed(struct ribout *r, uint32_t h, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			   uint16_t nlri_len, struct attrset *attrs, uint32_t *out)
{
	/* The slot is usually a cache miss: start loading it, and find the
	 * class meanwhile. */
	__builtin_prefetch(&r->slots[home_of(r, h)]);
	*out = RIB_NIL;
	/* Room for the route and a ghost, made before any record number is
	 * taken (it may move the records). */
	if (r->nrecs + 2 > r->reccap && rec_reserve(r, 2) < 0)
		return -1;
	uint32_t c = class_acquire(r, attrs, family);
	if (c == RIB_NIL)
		return -1;
	size_t pos;
	uint32_t i = index_find(r, h, family, path_id, nlri, nlri_len, &pos);
	*out = i;
	if (i != RIB_NIL) {
		struct rib_rec *e = rec_at(r, i);
		if (e->cls == c && !(e->bits & REC_WITHDRAWN) && (e->bits & (REC_ON_WIRE | REC_PENDING))) {
			class_release(r, c);
			return 0; /* unchanged: nothing to send */
		}
		if (rec_ghost(e) == RIB_GHOST_PENDING) {
			ghost_check(r, i, c);
		} else if (rec_pending(e) && rec_attrs(r, e) && sent_after(r, c, e->cls)) {
			ghost_make(r, i); /* on failure, the older announcement is just replaced */
		}
		set_class(r, i, c);
		rec_at(r, i)->bits &= (uint8_t)~REC_WITHDRAWN;
		link_pending(r, i);
		return 0;
	}
	i = rec_new(r, h, pos, path_id, nlri, nlri_len, c);
	if (i == RIB_NIL) {
		class_release(r, c);
		return -1;
	}
	r->count++;
	*out = i;
	link_pending(r, i);
	return 0;
}

static int announce_entry(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			  uint16_t nlri_len, struct attrset *attrs, uint32_t *out)
{
	return announce_hashed(r, route_key_hash(family, path_id, nlri, nlri_len), family, path_id, nlri, nlri_len, attrs,
			       out);
}

int ribout_announce_raw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			uint16_t nlri_len, struct attrset *attrs)
{
	uint32_t i;
	return announce_entry(r, family, path_id, nlri, nlri_len, attrs, &i);
}

int ribout_announce(struct ribout *r, const struct route *rt)
{
	return ribout_announce_raw(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs);
}

int ribout_announce_config(struct ribout *r, const struct route *rt)
{
	uint32_t i;
	if (announce_entry(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &i) < 0)
		return -1;
	if (i != RIB_NIL)
		rec_at(r, i)->bits |= RIB_FROM_CONFIG | RIB_MARK;
	return 0;
}

/* Withdraws entry i (not a ghost): the withdrawal joins the group of
 * attrs.  It is sent even when the announcement never was: ExaBGP 4.2
 * always sends it (rib/outgoing.py keeps no record of what left), and a
 * helper may count on it to cancel an announcement of an earlier session. */
static int withdraw_with(struct ribout *r, uint32_t i, struct attrset *attrs)
{
	uint32_t c = class_acquire(r, attrs, rec_family(r, rec_at(r, i)));
	if (c == RIB_NIL)
		return -1;
	ghost_check(r, i, c);
	set_class(r, i, c);
	rec_at(r, i)->bits |= REC_WITHDRAWN;
	link_pending(r, i);
	return 0;
}

/* Withdraws entry i with the attributes of its class. */
static int withdraw_entry(struct ribout *r, uint32_t i)
{
	return withdraw_with(r, i, r->cls[rec_at(r, i)->cls].attrs);
}

/* The walks below go over the records by number: withdrawing or deleting
 * an entry only empties its own place (and its ghost's), and nothing in
 * them adds records, so numbers stay valid during the walk. */

size_t ribout_sync_config(struct ribout *r, const struct route_list *routes,
			  bool (*wanted)(const void *ctx, const struct route *rt), const void *ctx)
{
	size_t before = r->pending;
	for (size_t i = 0; i < r->nrecs; i++)
		r->recs[i].bits &= (uint8_t)~RIB_MARK;
	for (size_t i = 0; i < routes->n; i++)
		if (wanted ? wanted(ctx, routes->v[i]) : !(routes->v[i]->flags & ROUTE_WITHDRAWN))
			ribout_announce_config(r, routes->v[i]);
	/* Sweep: configured routes nobody re-announced are gone from the file. */
	size_t n = 0;
	for (uint32_t i = 0; i < r->nrecs; i++) {
		const struct rib_rec *e = rec_at(r, i);
		if (rec_live(e) && (e->bits & (RIB_FROM_CONFIG | RIB_MARK)) == RIB_FROM_CONFIG && rec_attrs(r, e) &&
		    rec_ghost(e) != RIB_GHOST_IS) {
			withdraw_entry(r, i);
			n++;
		}
	}
	return (r->pending > before ? r->pending - before : 0) + n;
}

int ribout_announce_api(struct ribout *r, const struct route *rt)
{
	uint32_t i;
	if (announce_entry(r, rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &i) < 0)
		return -1;
	if (i != RIB_NIL)
		rec_at(r, i)->bits &= (uint8_t)~RIB_FROM_CONFIG;
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
			h[i] = route_key_hash(rt->family, rt->path_id, rt->nlri, rt->nlri_len);
			__builtin_prefetch(&r->slots[home_of(r, h[i])]);
		}
		for (size_t i = 0; i < k; i++) {
			const struct route *rt = v[base + i];
			uint32_t e;
			if (announce_hashed(r, h[i], rt->family, rt->path_id, rt->nlri, rt->nlri_len, rt->attrs, &e) < 0)
				return -1;
			if (e != RIB_NIL)
				rec_at(r, e)->bits &= (uint8_t)~RIB_FROM_CONFIG;
		}
	}
	return 0;
}

void ribout_withdraw_all(struct ribout *r)
{
	for (uint32_t i = 0; i < r->nrecs; i++) {
		const struct rib_rec *e = rec_at(r, i);
		if (rec_live(e) && rec_attrs(r, e) && rec_ghost(e) != RIB_GHOST_IS)
			withdraw_entry(r, i);
	}
}

int ribout_withdraw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len)
{
	uint32_t h = route_key_hash(family, path_id, nlri, nlri_len);
	uint32_t i = index_find(r, h, family, path_id, nlri, nlri_len, NULL);
	return i != RIB_NIL ? withdraw_entry(r, i) : 0;
}

int ribout_withdraw_api(struct ribout *r, const struct route *rt)
{
	uint32_t h = route_key_hash(rt->family, rt->path_id, rt->nlri, rt->nlri_len);
	size_t pos;
	uint32_t i = index_find(r, h, rt->family, rt->path_id, rt->nlri, rt->nlri_len, &pos);
	if (i != RIB_NIL)
		return withdraw_with(r, i, rt->attrs);
	/* Not in the table: a record just for the withdrawal (freed once sent). */
	if (r->nrecs + 1 > r->reccap) {
		if (rec_reserve(r, 1) < 0)
			return -1;
		/* rec_reserve() may have moved the records: find the slot again */
		index_find(r, h, rt->family, rt->path_id, rt->nlri, rt->nlri_len, &pos);
	}
	uint32_t c = class_acquire(r, rt->attrs, rt->family);
	if (c == RIB_NIL)
		return -1;
	i = rec_new(r, h, pos, rt->path_id, rt->nlri, rt->nlri_len, c);
	if (i == RIB_NIL) {
		class_release(r, c);
		return -1;
	}
	r->count++;
	rec_at(r, i)->bits |= REC_WITHDRAWN;
	link_pending(r, i);
	return 0;
}

void ribout_resend(struct ribout *r, family_mask families)
{
	for (uint32_t i = 0; i < r->nrecs; i++) {
		const struct rib_rec *e = rec_at(r, i);
		if (rec_live(e) && rec_attrs(r, e) && !rec_pending(e) && rec_ghost(e) != RIB_GHOST_IS &&
		    (families & FAM_BIT(rec_family(r, e))))
			link_pending(r, i);
	}
}

void ribout_session_down(struct ribout *r)
{
	for (uint32_t i = 0; i < r->nrecs; i++) {
		struct rib_rec *e = rec_at(r, i);
		if (!rec_live(e))
			continue;
		if (rec_ghost(e) == RIB_GHOST_IS) {
			/* The older announcement is not needed any more. */
			ghost_free(r, i);
			continue;
		}
		rec_set_ghost(e, RIB_GHOST_NONE);
		e->bits &= (uint8_t)~REC_ON_WIRE;
		if (!rec_attrs(r, e)) {
			/* A pending withdrawal of a route the peer no longer has. */
			entry_delete(r, i);
			continue;
		}
		if (!rec_pending(e))
			link_pending(r, i);
	}
}

void ribout_walk(const struct ribout *r, void (*fn)(void *ctx, const struct rib_entry *e), void *ctx)
{
	for (uint32_t i = 0; i < r->nrecs; i++) {
		const struct rib_rec *e = rec_at(r, i);
		if (!rec_live(e) || !rec_attrs(r, e) || rec_ghost(e) == RIB_GHOST_IS)
			continue;
		struct rib_entry v;
		v.attrs = rec_attrs(r, e);
		v.nlri = rec_nlri(r, e, &v.nlri_len);
		v.path_id = e->path_id;
		v.family = rec_family(r, e);
		fn(ctx, &v);
	}
}

/* --- packing --- */

/* IPv4 unicast with an IPv4 next-hop, or none (a withdrawal that names
 * none), uses the plain NLRI fields of the UPDATE; everything else travels
 * in MP_REACH/MP_UNREACH (RFC 4760), as ExaBGP 4.2 does. */
static bool uses_plain_nlri(uint8_t family, const struct nexthop *nh)
{
	return family_table[family].base_nlri && (nh == NULL || nh->kind != NH_IP || nh->len == 4);
}

static void put_nlri(const struct ribout *r, struct wbuf *w, const struct rib_rec *e, bool addpath)
{
	uint16_t len;
	const uint8_t *nlri = rec_nlri(r, e, &len);
	if (addpath)
		wb_u32(w, e->path_id);
	wb_bytes(w, nlri, len);
}

/* Mark one route as written and take it off the pending list. */
static void sent(struct ribout *r, uint32_t i)
{
	struct rib_rec *e = rec_at(r, i);
	uint8_t family = rec_family(r, e);
	bool known = family < FAM_COUNT;
	if (rec_ghost(e) == RIB_GHOST_IS) {
		uint32_t real = real_of(r, i);
		if (real != RIB_NIL) {
			rec_at(r, real)->bits |= REC_ON_WIRE;
			rec_set_ghost(rec_at(r, real), RIB_GHOST_NONE);
		}
		r->announced++;
		if (known)
			r->announced_fam[family]++;
		ghost_free(r, i);
	} else if (rec_attrs(r, e)) {
		e->bits |= REC_ON_WIRE;
		r->announced++;
		if (known)
			r->announced_fam[family]++;
		unlink_pending(r, i);
	} else {
		r->withdrawn++;
		if (known)
			r->withdrawn_fam[family]++;
		entry_delete(r, i);
	}
}

/* Writes the routes of an IPv4 unicast group into UPDATEs using the plain
 * withdrawn/NLRI fields.  As ExaBGP 4.2, a group's withdrawals and
 * announcements share UPDATEs, and the room for NLRIs leaves out the
 * attributes even in an UPDATE that ends up carrying withdrawals only.
 * Announcements are written in place after the attributes, withdrawals
 * into wd and moved in front when the UPDATE is closed (they are rare in
 * big tables, so the common case copies nothing).  Returns the messages
 * written; the group may be freed when its last route goes out. */
static size_t pack_plain(struct ribout *r, struct rib_class *g, const struct pack_opts *o,
			 const uint8_t *attrs, size_t alen, struct wbuf *wd, struct wbuf *w, size_t budget)
{
	bool addpath = (o->addpath & FAM_BIT(g->family)) != 0;
	size_t room = o->enc.max_msg - BGP_HEADER_LEN - 4 - alen;
	size_t msgs = 0;
	bool gone = false;
	while (!gone && w->len < budget && !w->err) {
		size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
		size_t field = wb_reserve(w, 2); /* withdrawn routes length */
		wb_u16(w, (uint16_t)alen);
		wb_bytes(w, attrs, alen);
		size_t nlri_at = w->len;
		wb_reset(wd);
		size_t used = 0;
		do {
			uint32_t i = g->head;
			const struct rib_rec *e = rec_at(r, i);
			uint16_t len;
			const uint8_t *nlri = rec_nlri(r, e, &len);
			size_t n = len + (addpath ? 4u : 0u);
			if (used && used + n > room)
				break;
			struct wbuf *to = rec_attrs(r, e) ? w : wd;
			if (addpath)
				wb_u32(to, e->path_id);
			wb_bytes(to, nlri, len);
			used += n;
			gone = g->count == 1;
			sent(r, i);
		} while (!gone && o->group_updates);
		if (w->len == nlri_at) {
			/* withdrawals only: no path attributes */
			w->len = field + 2;
			wb_bytes(w, wd->data, wd->len);
			wb_u16(w, 0);
		} else if (wd->len && wb_room(w, wd->len) == 0) {
			uint8_t *at = w->data + field + 2;
			memmove(at + wd->len, at, w->len - (field + 2));
			memcpy(at, wd->data, wd->len);
			w->len += wd->len;
		}
		wb_patch16(w, field, (uint16_t)wd->len);
		if (wd->err)
			w->err = 1;
		bgp_msg_end(w, start);
		msgs++;
	}
	return msgs;
}

/* One NLRI per UPDATE in MP_REACH_NLRI / MP_UNREACH_NLRI, as ExaBGP 4.2;
 * a withdrawal's UPDATE carries its group's attributes too. */
static size_t pack_mp(struct ribout *r, struct rib_class *g, const struct pack_opts *o,
		      const uint8_t *attrs, size_t alen, const struct nexthop *nh, struct wbuf *mp,
		      struct wbuf *w, size_t budget)
{
	const struct family_def *fd = &family_table[g->family];
	bool addpath = (o->addpath & FAM_BIT(g->family)) != 0;
	size_t msgs = 0;
	bool gone = false;
	while (!gone && w->len < budget && !w->err) {
		uint32_t ri = g->head;
		bool announce = rec_attrs(r, rec_at(r, ri)) != NULL;
		wb_reset(mp);
		wb_u16(mp, fd->afi);
		wb_u8(mp, fd->safi);
		if (announce) {
			/* VPN next-hops carry a zero Route Distinguisher first (RFC 4364 4.3.2). */
			uint8_t rd = nh ? fd->nh_rd_len : 0;
			wb_u8(mp, (uint8_t)(nh ? nh->len + rd : 0));
			for (uint8_t i = 0; i < rd; i++)
				wb_u8(mp, 0);
			if (nh)
				wb_bytes(mp, nh->addr, nh->len);
			wb_u8(mp, 0); /* reserved (RFC 4760 3) */
		}
		put_nlri(r, mp, rec_at(r, ri), addpath);
		size_t start = bgp_msg_begin(w, BGP_MSG_UPDATE);
		wb_u16(w, 0);
		size_t alen_off = wb_reserve(w, 2);
		size_t abeg = w->len;
		wb_bytes(w, attrs, alen); /* withdrawals carry them too, as in ExaBGP 4.2 */
		encode_attribute(w, ATTR_FLAG_OPTIONAL, announce ? ATTR_MP_REACH_NLRI : ATTR_MP_UNREACH_NLRI,
				 mp->data, mp->len);
		wb_patch16(w, alen_off, (uint16_t)(w->len - abeg));
		bgp_msg_end(w, start);
		msgs++;
		gone = g->count == 1;
		sent(r, ri);
	}
	return msgs;
}

size_t ribout_pack(struct ribout *r, const struct pack_opts *o, struct wbuf *w, size_t budget)
{
	size_t msgs = 0;
	struct wbuf attrs, mp;
	wb_init(&attrs, 256);
	wb_init(&mp, 256);
	while (r->ghead != RIB_NIL && w->len < budget && !w->err) {
		struct rib_class *g = &r->cls[r->ghead];
		if (!(o->families & FAM_BIT(g->family))) {
			/* Not negotiated: never sent to this peer (the route stays in
			 * the table, and goes out if a later session negotiates it). */
			while (g->head != RIB_NIL) {
				bool last = g->count == 1;
				uint32_t i = g->head;
				const struct rib_rec *e = rec_at(r, i);
				if (rec_ghost(e) == RIB_GHOST_IS) {
					uint32_t real = real_of(r, i);
					if (real != RIB_NIL)
						rec_set_ghost(rec_at(r, real), RIB_GHOST_NONE);
					ghost_free(r, i);
				} else if (!rec_attrs(r, e)) {
					entry_delete(r, i);
				} else {
					unlink_pending(r, i);
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
			encode_link_local(&o->enc, g->family, &nh);
			nhp = nh.kind == NH_IP ? &nh : NULL;
			encode_attributes(&attrs, g->attrs, &o->enc, g->family);
		}
		if (uses_plain_nlri(g->family, g->attrs ? &nh : NULL)) {
			if (g->unsorted && o->group_updates)
				group_sort(r, r->ghead);
			msgs += pack_plain(r, g, o, attrs.data, attrs.len, &mp, w, budget);
		} else
			msgs += pack_mp(r, g, o, attrs.data, attrs.len, nhp, &mp, w, budget);
	}
	wb_free(&attrs);
	wb_free(&mp);
	return msgs;
}
