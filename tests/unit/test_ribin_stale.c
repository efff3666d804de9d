/* Stale routes in the adj-rib-in (src/rib/ribin_stale.c, RFC 4724 4.2),
 * against a plain array model: routes of two families, a session lost
 * (kept family marked stale, the other dropped), some routes announced
 * again or withdrawn by the restarted peer, a second loss before End-of-RIB
 * (routes still stale go, through the callback), then End-of-RIB (the
 * family's stale routes swept).  Small keys make long probe runs, so
 * removals during a walk move entries (backward shift) under the walker;
 * every removed route must be reported exactly once. */
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
#include "rib/ribin.h"
#include "rib/ribin_stale.h"

#define NKEYS 4000
#define KEPT FAM_IPV4_UNICAST
#define DROPPED FAM_IPV6_UNICAST

enum { ABSENT, FRESH, STALE };

struct model {
	uint8_t state[2][NKEYS]; /* [0] KEPT, [1] DROPPED */
	unsigned removed_seen[NKEYS];
	int bad;
};

static int slot_of(uint8_t family)
{
	return family == KEPT ? 0 : 1;
}

static void on_removed(void *ctx, const struct ribin_entry *e)
{
	struct model *m = ctx;
	uint16_t k;
	memcpy(&k, e->data, 2);
	if (e->family != KEPT || !e->stale || k >= NKEYS || m->state[0][k] != STALE)
		m->bad++;
	else
		m->removed_seen[k]++;
}

struct check {
	const struct model *m;
	size_t seen;
	int bad;
};

static void check_entry(void *ctx, const struct ribin_entry *e)
{
	struct check *c = ctx;
	uint16_t k;
	memcpy(&k, e->data, 2);
	c->seen++;
	int want = k < NKEYS ? c->m->state[slot_of(e->family)][k] : ABSENT;
	if (want == ABSENT || (want == STALE) != (e->stale != 0))
		c->bad++;
}

static void expect_model(const struct ribin *r, const struct model *m)
{
	struct check c = {m, 0, 0};
	ribin_walk(r, check_entry, &c);
	size_t want = 0, stale = 0;
	for (int f = 0; f < 2; f++)
		for (int k = 0; k < NKEYS; k++) {
			want += m->state[f][k] != ABSENT;
			stale += m->state[f][k] == STALE;
		}
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.seen, want);
	assert_int_equal(r->count, want);
	size_t per[FAM_COUNT];
	assert_int_equal(ribin_count_stale(r, per), stale);
	assert_int_equal(per[KEPT], stale);
}

static void put(struct ribin *r, struct model *m, uint8_t family, uint16_t k, struct attrset *a)
{
	uint8_t key[2];
	memcpy(key, &k, 2);
	assert_int_equal(ribin_update(r, family, 0, 0, key, 2, key, 2, a), 0);
	m->state[slot_of(family)][k] = a ? FRESH : ABSENT;
}

/* The restarted peer announces again or withdraws a random part of KEPT. */
static void peer_comes_back(struct ribin *r, struct model *m, struct attrset *a, unsigned *seed)
{
	for (int i = 0; i < NKEYS / 2; i++) {
		*seed = *seed * 1103515245u + 12345u;
		uint16_t k = (uint16_t)((*seed >> 8) % NKEYS);
		put(r, m, KEPT, k, ((*seed >> 20) & 3) ? a : NULL);
	}
}

static size_t count_state(const struct model *m, int slot, int state)
{
	size_t n = 0;
	for (int k = 0; k < NKEYS; k++)
		n += m->state[slot][k] == state;
	return n;
}

static void test_restart_cycle(void **state)
{
	(void)state;
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct attr_builder b;
	attr_builder_init(&b);
	uint8_t med[4] = {0, 0, 0, 7};
	attr_builder_set(&b, ATTR_MED, ATTR_FLAG_OPTIONAL, med, 4);
	struct attrset *a = attr_pool_intern(&pool, &b);
	attr_builder_free(&b);

	struct ribin r;
	ribin_init(&r, &pool);
	static struct model m;
	memset(&m, 0, sizeof(m));
	unsigned seed = 4242;
	for (int i = 0; i < 3 * NKEYS; i++) {
		seed = seed * 1103515245u + 12345u;
		put(&r, &m, (seed >> 12) & 1 ? KEPT : DROPPED, (uint16_t)((seed >> 8) % NKEYS), a);
	}
	expect_model(&r, &m);

	/* Session lost: KEPT marked stale, DROPPED gone without a report. */
	size_t kept[FAM_COUNT];
	size_t fresh = count_state(&m, 0, FRESH);
	assert_true(fresh > 1000);
	assert_int_equal(ribin_mark_stale(&r, FAM_BIT(KEPT), kept, on_removed, &m), fresh);
	assert_int_equal(kept[KEPT], fresh);
	assert_int_equal(kept[DROPPED], 0);
	for (int k = 0; k < NKEYS; k++) {
		if (m.state[0][k] == FRESH)
			m.state[0][k] = STALE;
		m.state[1][k] = ABSENT;
	}
	assert_int_equal(m.bad, 0);
	for (int k = 0; k < NKEYS; k++)
		assert_int_equal(m.removed_seen[k], 0);
	expect_model(&r, &m);

	/* The peer comes back, part of it re-sent; lost again before its
	 * End-of-RIB: what is still stale goes (reported), the fresh becomes stale. */
	peer_comes_back(&r, &m, a, &seed);
	expect_model(&r, &m);
	size_t still_stale = count_state(&m, 0, STALE);
	fresh = count_state(&m, 0, FRESH);
	assert_true(still_stale > 100 && fresh > 100);
	assert_int_equal(ribin_mark_stale(&r, FAM_BIT(KEPT), kept, on_removed, &m), fresh);
	assert_int_equal(m.bad, 0);
	for (int k = 0; k < NKEYS; k++) {
		assert_int_equal(m.removed_seen[k], m.state[0][k] == STALE ? 1u : 0u);
		m.removed_seen[k] = 0;
		m.state[0][k] = m.state[0][k] == FRESH ? STALE : ABSENT;
	}
	expect_model(&r, &m);

	/* Back again; End-of-RIB of another family sweeps nothing, End-of-RIB
	 * of KEPT sweeps exactly what was not announced again. */
	peer_comes_back(&r, &m, a, &seed);
	size_t gone[FAM_COUNT] = {0};
	assert_int_equal(ribin_sweep_stale(&r, FAM_BIT(DROPPED), gone, on_removed, &m), 0);
	still_stale = count_state(&m, 0, STALE);
	assert_true(still_stale > 100);
	assert_int_equal(ribin_sweep_stale(&r, FAM_BIT(KEPT), gone, on_removed, &m), still_stale);
	assert_int_equal(gone[KEPT], still_stale);
	assert_int_equal(m.bad, 0);
	for (int k = 0; k < NKEYS; k++) {
		assert_int_equal(m.removed_seen[k], m.state[0][k] == STALE ? 1u : 0u);
		if (m.state[0][k] == STALE)
			m.state[0][k] = ABSENT;
	}
	expect_model(&r, &m);
	assert_int_equal(ribin_count_stale(&r, NULL), 0);

	ribin_clear(&r);
	attrset_unref(&pool, a);
	assert_int_equal(pool.count, 0); /* every reference was given back */
	attr_pool_free(&pool);
}

/* An empty table, and a family mask with nothing in it. */
static void test_empty(void **state)
{
	(void)state;
	struct ribin r;
	ribin_init(&r, NULL);
	size_t kept[FAM_COUNT];
	assert_int_equal(ribin_mark_stale(&r, FAM_ALL, kept, NULL, NULL), 0);
	assert_int_equal(ribin_sweep_stale(&r, FAM_ALL, NULL, NULL, NULL), 0);
	assert_int_equal(ribin_count_stale(&r, NULL), 0);
	ribin_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_cycle),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
