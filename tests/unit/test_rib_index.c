/* The adj-rib-out's entry index (open addressing over entries kept in
 * insertion order): structural invariants after random announcements,
 * withdrawals, packing, session restarts and resends (with ghosts: a
 * replaced announcement still waiting to be sent), the routes a walk
 * returns against a model of what the peer should hold, growth to many
 * entries, and walks in insertion order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attr/attrset.h"
#include "nlri/family.h"
#include "rib/ribout.h"
#include "rib/ribout_table.h"
#include "rib/update_encode.h"

#define NSETS 4

struct fixture {
	struct attr_pool pool;
	struct attrset *sets[NSETS];
	struct ribout r;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	attr_pool_init(&f->pool);
	for (int i = 0; i < NSETS; i++) {
		struct attr_builder b;
		attr_builder_init(&b);
		uint8_t med[4] = {0, 0, 0, (uint8_t)i};
		attr_builder_set(&b, ATTR_MED, ATTR_FLAG_OPTIONAL, med, 4);
		b.nh.kind = NH_IP;
		b.nh.len = 4;
		b.nh.addr[0] = 10;
		b.nh.addr[3] = 1;
		f->sets[i] = attr_pool_intern(&f->pool, &b);
		attr_builder_free(&b);
	}
	ribout_init(&f->r, &f->pool);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ribout_free(&f->r);
	for (int i = 0; i < NSETS; i++)
		attrset_unref(&f->pool, f->sets[i]);
	assert_int_equal(f->pool.count, 0); /* every reference was given back */
	attr_pool_free(&f->pool);
	free(f);
	return 0;
}

/* Route k, of six kinds that cover the ways a record keeps its NLRI:
 * in the record (IPv4 /32 with or without a path id, IPv6 /48 at the
 * limit, IPv4 /24) or in a big key (IPv6 /64; 4 bytes that are not a
 * prefix's encoding). */
struct key {
	uint8_t family;
	uint32_t path_id;
	uint8_t nlri[17];
	uint16_t len;
};

static struct key key_of(uint32_t k)
{
	struct key x;
	memset(&x, 0, sizeof(x));
	uint8_t k2 = (uint8_t)(k >> 16), k1 = (uint8_t)(k >> 8), k0 = (uint8_t)k;
	switch (k % 6) {
	case 1: {
		x.family = FAM_IPV6_UNICAST;
		const uint8_t n[] = {64, 0x20, 0x01, 0, 0, k2, k1, k0, 0};
		memcpy(x.nlri, n, sizeof(n));
		x.len = sizeof(n);
		break;
	}
	case 3: {
		x.family = FAM_IPV6_UNICAST;
		const uint8_t n[] = {48, 0x20, 0x01, 0, k2, k1, k0};
		memcpy(x.nlri, n, sizeof(n));
		x.len = sizeof(n);
		break;
	}
	case 4:
	case 5: {
		x.family = FAM_IPV4_UNICAST;
		const uint8_t n[] = {k % 6 == 4 ? 24 : 8, k2, k1, k0};
		memcpy(x.nlri, n, sizeof(n));
		x.len = sizeof(n);
		break;
	}
	default: {
		x.family = FAM_IPV4_UNICAST;
		x.path_id = k % 6 == 2 ? 7 : 0;
		const uint8_t n[] = {32, 100, k2, k1, k0};
		memcpy(x.nlri, n, sizeof(n));
		x.len = sizeof(n);
		break;
	}
	}
	return x;
}

static uint32_t key_number(const struct rib_entry *e)
{
	const uint8_t *n = e->nlri;
	if (e->family == FAM_IPV6_UNICAST)
		n += n[0] == 64 ? 5 : 4;
	else
		n += n[0] == 32 ? 2 : 1;
	return (uint32_t)n[0] << 16 | (uint32_t)n[1] << 8 | n[2];
}

static int announce(struct fixture *f, uint32_t k, int set)
{
	struct key x = key_of(k);
	return ribout_announce_raw(&f->r, x.family, x.path_id, x.nlri, x.len, f->sets[set]);
}

static int withdraw(struct fixture *f, uint32_t k)
{
	struct key x = key_of(k);
	return ribout_withdraw(&f->r, x.family, x.path_id, x.nlri, x.len);
}

/* Every structure of the table agrees with the others: records, index,
 * classes and their references, pending lists and groups, big keys. */
static void check_index(const struct ribout *r)
{
	size_t live = 0, entries = 0, slotted = 0, bigs = 0, pending = 0;
	uint32_t *refs = calloc(r->ncls + 1, sizeof(*refs));
	for (uint32_t i = 0; i < r->nrecs; i++) {
		const struct rib_rec *e = rec_at(r, i);
		if (!rec_live(e))
			continue;
		live++;
		assert_true(e->cls < r->ncls);
		refs[e->cls]++;
		if (rec_ghost(e) != RIB_GHOST_IS)
			entries++;
		else
			assert_true(rec_pending(e)); /* a ghost only waits to go out */
		bigs += (e->bits & REC_BIG) != 0;
		pending += rec_pending(e);
	}
	assert_int_equal(live + r->nholes, r->nrecs);
	assert_int_equal(entries, r->count);
	assert_int_equal(live, r->nindexed);
	assert_int_equal(bigs, r->nbig - r->nbigfree);
	assert_int_equal(pending, r->pending);
	/* a class is referenced by its records only, and freed without them */
	size_t nclasses = 0;
	for (uint32_t c = 0; c < r->ncls; c++) {
		assert_int_equal(r->cls[c].refs, refs[c]);
		nclasses += r->cls[c].refs != 0;
	}
	assert_int_equal(nclasses, r->nclasses);
	free(refs);
	/* groups: in the order they started, each list consistent */
	size_t listed = 0;
	uint64_t seq = 0;
	uint32_t prevg = RIB_NIL;
	for (uint32_t c = r->ghead; c != RIB_NIL; c = r->cls[c].next) {
		const struct rib_class *g = &r->cls[c];
		assert_int_equal(g->prev, prevg);
		assert_true(g->seq > seq);
		assert_true(g->count > 0);
		assert_int_equal(class_find(r, g->attrs, g->family), c);
		seq = g->seq;
		prevg = c;
		size_t n = 0;
		uint32_t prev = RIB_NIL;
		for (uint32_t i = g->head; i != RIB_NIL; i = rec_at(r, i)->gnext) {
			const struct rib_rec *e = rec_at(r, i);
			assert_true(rec_live(e) && rec_pending(e));
			assert_int_equal(e->cls, c);
			assert_int_equal(e->gprev, prev);
			prev = i;
			n++;
		}
		assert_int_equal(g->tail, prev);
		assert_int_equal(n, g->count);
		listed += n;
	}
	assert_int_equal(r->gtail, prevg);
	assert_int_equal(listed, r->pending);
	/* the index: each slot names a live record of that hash, reachable */
	size_t mask = r->nslots - 1;
	for (size_t i = 0; i < r->nslots; i++) {
		const struct rib_slot *s = &r->slots[i];
		if (!s->ent)
			continue;
		slotted++;
		assert_true(s->ent <= r->nrecs);
		const struct rib_rec *e = rec_at(r, s->ent - 1);
		assert_true(rec_live(e));
		assert_int_equal(s->hash, rec_hash(r, e));
		/* reachable: no empty slot between its home and its slot */
		for (size_t j = s->hash & mask; j != i; j = (j + 1) & mask)
			assert_int_not_equal(r->slots[j].ent, 0);
	}
	assert_int_equal(slotted, r->nindexed);
	assert_true(r->nindexed * 4 <= r->nslots * 3);
}

/* ---- random operations against a model ----------------------------------- */

#define NKEYS 3000

struct walk_state {
	const int *model;
	const struct fixture *f;
	size_t seen;
};

static void walk_one(void *ctx, const struct rib_entry *e)
{
	struct walk_state *w = ctx;
	uint32_t k = key_number(e);
	assert_true(k < NKEYS);
	struct key x = key_of(k);
	assert_int_equal(e->family, x.family);
	assert_int_equal(e->path_id, x.path_id);
	assert_int_not_equal(w->model[k], -1);
	assert_ptr_equal(e->attrs, w->f->sets[w->model[k]]);
	w->seen++;
}

static void check_model(const struct fixture *f, const int *model)
{
	size_t want = 0;
	for (int k = 0; k < NKEYS; k++)
		want += model[k] >= 0;
	struct walk_state w = {model, f, 0};
	ribout_walk(&f->r, walk_one, &w);
	assert_int_equal(w.seen, want);
}

static struct pack_opts opts(void)
{
	struct pack_opts o;
	memset(&o, 0, sizeof(o));
	o.enc.local_as = 65001;
	o.enc.ebgp = true;
	o.enc.max_msg = 4096;
	o.enc.asn4 = true;
	o.families = FAM_ALL;
	o.group_updates = true;
	return o;
}

static void test_random_operations(void **state)
{
	struct fixture *f = *state;
	static int model[NKEYS];
	for (int k = 0; k < NKEYS; k++)
		model[k] = -1;
	struct pack_opts o = opts();
	struct wbuf w;
	wb_init(&w, 0);
	uint32_t seed = 4242;
	for (int step = 0; step < 200000; step++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t op = (seed >> 16) % 1000;
		seed = seed * 1103515245u + 12345u;
		uint32_t k = (seed >> 8) % NKEYS;
		if (op < 600) {
			int set = (int)((seed >> 4) % NSETS);
			assert_int_equal(announce(f, k, set), 0);
			model[k] = set;
		} else if (op < 900) {
			assert_int_equal(withdraw(f, k), 0);
			model[k] = -1;
		} else if (op < 990) {
			wb_reset(&w);
			ribout_pack(&f->r, &o, &w, 1 + (seed >> 4) % 2048);
		} else if (op < 995) {
			ribout_session_down(&f->r);
		} else if (op < 999) {
			ribout_resend(&f->r, FAM_ALL);
		} else {
			ribout_withdraw_all(&f->r);
			for (int i = 0; i < NKEYS; i++)
				model[i] = -1;
		}
		if (step % 97 == 0) {
			check_index(&f->r);
			check_model(f, model);
		}
	}
	/* everything goes out; then only routes the model holds remain */
	while (ribout_has_pending(&f->r)) {
		wb_reset(&w);
		ribout_pack(&f->r, &o, &w, 1 << 16);
	}
	check_index(&f->r);
	check_model(f, model);
	wb_free(&w);
}

/* ---- growth and order -------------------------------------------------- */

struct order_state {
	uint32_t *v;
	size_t n;
};

static void order_one(void *ctx, const struct rib_entry *e)
{
	struct order_state *s = ctx;
	s->v[s->n++] = key_number(e);
}

static void test_growth_and_walk_order(void **state)
{
	struct fixture *f = *state;
	enum { N = 150000 };
	for (uint32_t k = 0; k < N; k++)
		assert_int_equal(announce(f, k, (int)(k % NSETS)), 0);
	check_index(&f->r);
	assert_int_equal(f->r.count, N);
	/* announcing again the same: found, nothing changes */
	for (uint32_t k = 0; k < N; k++)
		assert_int_equal(announce(f, k, (int)(k % NSETS)), 0);
	assert_int_equal(f->r.count, N);
	assert_int_equal(f->r.pending, N);
	/* never sent: still, a withdrawal goes out (ExaBGP 4.2 sends it), and
	 * the route is forgotten once it has (two thirds of them) */
	for (uint32_t k = 0; k < N; k++)
		if (k % 3)
			assert_int_equal(withdraw(f, k), 0);
	check_index(&f->r);
	assert_int_equal(f->r.count, N);
	struct pack_opts o = opts();
	struct wbuf w;
	wb_init(&w, 0);
	while (ribout_has_pending(&f->r)) {
		wb_reset(&w);
		ribout_pack(&f->r, &o, &w, 1 << 16);
	}
	wb_free(&w);
	assert_int_equal(f->r.withdrawn, N - N / 3);
	check_index(&f->r);
	assert_int_equal(f->r.count, N / 3);
	/* new routes after holes: positions are reused by compaction */
	for (uint32_t k = N; k < N + N / 2; k++)
		assert_int_equal(announce(f, k, 0), 0);
	check_index(&f->r);
	uint32_t *v = calloc(N, sizeof(*v));
	struct order_state s = {v, 0};
	ribout_walk(&f->r, order_one, &s);
	assert_int_equal(s.n, N / 3 + N / 2);
	size_t i = 0;
	for (uint32_t k = 0; k < N; k += 3)
		assert_int_equal(v[i++], k);
	for (uint32_t k = N; k < N + N / 2; k++)
		assert_int_equal(v[i++], k);
	free(v);
}

/* ---- announcing a list ------------------------------------------------------ */

static struct route *make_route(uint32_t k, struct attrset *set)
{
	struct key x = key_of(k);
	struct route *rt = calloc(1, sizeof(*rt) + x.len);
	rt->attrs = set;
	rt->family = x.family;
	rt->path_id = x.path_id;
	rt->nlri_len = x.len;
	memcpy(rt->nlri, x.nlri, x.len);
	return rt;
}

/* ribout_announce_api_list against one ribout_announce_api per route:
 * the same table, in the same order, and the same UPDATE bytes. */
static void test_announce_list(void **state)
{
	struct fixture *f = *state;
	struct ribout r2;
	ribout_init(&r2, &f->pool);
	enum { N = 20000 };
	struct route **v = calloc(N, sizeof(*v));
	uint32_t seed = 31;
	for (size_t i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = make_route((seed >> 8) % (N / 2), f->sets[(seed >> 4) % NSETS]); /* repeats and changes */
	}
	for (size_t i = 0; i < N; i++)
		assert_int_equal(ribout_announce_api(&f->r, v[i]), 0);
	for (size_t i = 0; i < N;) {
		seed = seed * 1103515245u + 12345u;
		size_t k = 1 + (seed >> 8) % 40;
		if (k > N - i)
			k = N - i;
		assert_int_equal(ribout_announce_api_list(&r2, v + i, k), 0);
		i += k;
	}
	check_index(&r2);
	assert_int_equal(f->r.count, r2.count);
	assert_int_equal(f->r.pending, r2.pending);
	struct pack_opts o = opts();
	struct wbuf w1, w2;
	wb_init(&w1, 0);
	wb_init(&w2, 0);
	while (ribout_has_pending(&f->r))
		ribout_pack(&f->r, &o, &w1, w1.len + (1 << 16));
	while (ribout_has_pending(&r2))
		ribout_pack(&r2, &o, &w2, w2.len + (1 << 16));
	assert_int_equal(w1.len, w2.len);
	assert_memory_equal(w1.data, w2.data, w1.len);
	wb_free(&w1);
	wb_free(&w2);
	for (size_t i = 0; i < N; i++)
		free(v[i]);
	free(v);
	ribout_free(&r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_operations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_growth_and_walk_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_announce_list, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
