/* Adj-RIB-In table (src/rib/ribin.c): random announces, replacements and
 * withdrawals against a plain array model; after each step the table holds
 * exactly the model's routes, with their attribute sets, and every
 * attribute reference is given back at the end.  Small keys make long probe
 * runs, so deletions inside runs (backward shift) are exercised. */
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

#define NSETS 4
#define NKEYS 3000

struct walk {
	int seen;
	int bad;
	struct attrset *const *model;
};

static void check_entry(void *ctx, const struct ribin_entry *e)
{
	struct walk *w = ctx;
	uint16_t k;
	memcpy(&k, e->data, 2);
	w->seen++;
	if (e->key_len != 2 || e->nlri_len != 2 || k >= NKEYS || w->model[k] != e->attrs ||
	    memcmp(e->data + 2, e->data, 2))
		w->bad++;
}

/* An attribute set that differs by its MED only. */
static struct attrset *med_set(struct attr_pool *pool, uint8_t med_value)
{
	struct attr_builder b;
	attr_builder_init(&b);
	uint8_t med[4] = {0, 0, 0, med_value};
	attr_builder_set(&b, ATTR_MED, ATTR_FLAG_OPTIONAL, med, 4);
	struct attrset *a = attr_pool_intern(pool, &b);
	attr_builder_free(&b);
	return a;
}

static void test_against_model(void **state)
{
	(void)state;
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct attrset *sets[NSETS];
	for (int i = 0; i < NSETS; i++)
		sets[i] = med_set(&pool, (uint8_t)i);
	struct ribin r;
	ribin_init(&r, &pool);
	struct attrset *model[NKEYS] = {0};
	unsigned seed = 12345;
	for (int step = 0; step < 60000; step++) {
		seed = seed * 1103515245u + 12345u;
		uint16_t k = (uint16_t)((seed >> 8) % NKEYS);
		/* Grow for the first half, then mostly withdraw. */
		bool withdraw = ((seed >> 20) % 10) < (step < 30000 ? 3u : 7u);
		struct attrset *a = withdraw ? NULL : sets[(seed >> 24) % NSETS];
		uint8_t key[2];
		memcpy(key, &k, 2);
		assert_int_equal(ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, key, 2, key, 2, a), 0);
		model[k] = a;
		if (step % 997 == 0 || step == 59999) {
			struct walk w = {0, 0, model};
			ribin_walk(&r, check_entry, &w);
			int want = 0;
			for (int i = 0; i < NKEYS; i++)
				want += model[i] != NULL;
			assert_int_equal(w.bad, 0);
			assert_int_equal(w.seen, want);
			assert_int_equal(r.count, (size_t)want);
		}
	}
	ribin_clear(&r);
	assert_int_equal(r.count, 0);
	/* Usable again after a clear. */
	uint8_t key[2] = {1, 0};
	assert_int_equal(ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, key, 2, key, 2, sets[0]), 0);
	assert_int_equal(r.count, 1);
	ribin_clear(&r);
	for (int i = 0; i < NSETS; i++)
		attrset_unref(&pool, sets[i]);
	assert_int_equal(pool.count, 0); /* every reference was given back */
	attr_pool_free(&pool);
}

/* exabgp.bgp.adj_rib_in_kib: new routes stop at the budget, replacing and
 * withdrawing held routes still work, a withdrawal makes room again, and
 * the byte count returns to 0 with the table emptied. */
static void test_budget(void **state)
{
	(void)state;
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct attrset *a = med_set(&pool, 1);
	struct ribin r;
	ribin_init(&r, &pool);
	r.budget = 64 * 1024;
	uint16_t k = 0;
	int rc = 0;
	for (; k < 60000 && rc == 0; k++) {
		uint8_t key[2];
		memcpy(key, &k, 2);
		rc = ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, key, 2, key, 2, a);
	}
	assert_int_equal(rc, 1); /* refused, not an error */
	size_t held = r.count;
	assert_true(held > 100 && held < 60000);
	assert_true(r.bytes <= r.budget);
	assert_int_equal(r.refused, 1);
	uint8_t key0[2] = {0, 0};
	uint8_t last[2];
	uint16_t lk = (uint16_t)(k - 1); /* the refused one */
	memcpy(last, &lk, 2);
	assert_int_equal(ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, last, 2, last, 2, a), 1);
	assert_int_equal(r.refused, 2);
	assert_int_equal(ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, key0, 2, key0, 2, a), 0); /* replace: held */
	assert_int_equal(r.count, held);
	assert_int_equal(ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, key0, 2, key0, 2, NULL), 0);
	assert_int_equal(ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, last, 2, last, 2, a), 0); /* room again */
	assert_int_equal(r.count, held);
	for (uint16_t i = 1; i < k; i++) {
		uint8_t key[2];
		memcpy(key, &i, 2);
		ribin_update(&r, FAM_IPV4_UNICAST, 0, 0, key, 2, key, 2, NULL);
	}
	assert_int_equal(r.count, 0);
	assert_int_equal(r.bytes, r.nslots * sizeof(struct ribin_slot)); /* only the table is left */
	ribin_clear(&r);
	assert_int_equal(r.bytes, 0);
	assert_int_equal(r.refused, 0);
	attrset_unref(&pool, a);
	assert_int_equal(pool.count, 0);
	attr_pool_free(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_model),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
