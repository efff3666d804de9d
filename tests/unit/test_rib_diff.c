/* The adj-rib-out against the implementation it replaced (malloc'd entries
 * linked by pointers, kept below as the reference): random announcements
 * (helper, configuration, lists), withdrawals, reloads, packing with every
 * option, session restarts and resends must give the same UPDATE bytes,
 * the same counters and the same walks, ghosts included.  Keys of six
 * kinds cover NLRIs kept in a record and in big keys; many routes are
 * withdrawn before being sent, so the records are compacted under
 * pending lists. */
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
#include "rib/update_encode.h"
#include "wire/header.h"

#include "rib_reference.h"

/* ---- the comparison ------------------------------------------------------- */

#define NSETS 5
#define NKEYS 4000
#define NCONF 1500

struct fixture {
	struct attr_pool pool;
	struct attrset *sets[NSETS];
	struct ribout a;
	struct refout b;
	struct route *routes[NKEYS][NSETS]; /* route k with set s, made on first use */
	struct wbuf wa, wb;
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
	assert_int_equal(ribout_init(&f->a, &f->pool), 0);
	assert_int_equal(refout_init(&f->b, &f->pool), 0);
	wb_init(&f->wa, 0);
	wb_init(&f->wb, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ribout_free(&f->a);
	refout_free(&f->b);
	for (int k = 0; k < NKEYS; k++)
		for (int s = 0; s < NSETS; s++)
			free(f->routes[k][s]);
	for (int i = 0; i < NSETS; i++)
		attrset_unref(&f->pool, f->sets[i]);
	assert_int_equal(f->pool.count, 0); /* every reference was given back */
	attr_pool_free(&f->pool);
	wb_free(&f->wa);
	wb_free(&f->wb);
	free(f);
	return 0;
}

/* Route k: IPv4 /32 (with a path id one time in six), IPv6 /64 and /48,
 * IPv4 /24, and 4 bytes that are not a prefix's encoding. */
static struct route *route_of(struct fixture *f, uint32_t k, int set)
{
	if (f->routes[k][set])
		return f->routes[k][set];
	uint8_t n[9] = {32, 100, (uint8_t)(k >> 16), (uint8_t)(k >> 8), (uint8_t)k};
	uint16_t len = 5;
	uint8_t family = FAM_IPV4_UNICAST;
	switch (k % 6) {
	case 1:
	case 3: {
		const uint8_t v6[9] = {k % 6 == 1 ? 64 : 48, 0x20, 0x01, 0, (uint8_t)(k >> 8), (uint8_t)k, 0x77, 0, 0};
		memcpy(n, v6, sizeof(v6));
		len = k % 6 == 1 ? 9 : 7;
		family = FAM_IPV6_UNICAST;
		break;
	}
	case 4:
	case 5: {
		const uint8_t v4[4] = {k % 6 == 4 ? 24 : 8, 9, (uint8_t)(k >> 8), (uint8_t)k};
		memcpy(n, v4, sizeof(v4));
		len = 4;
		break;
	}
	}
	struct route *rt = calloc(1, sizeof(*rt) + len);
	rt->attrs = f->sets[set];
	rt->family = family;
	rt->path_id = k % 6 == 2 ? 7 : 0;
	rt->nlri_len = len;
	memcpy(rt->nlri, n, len);
	f->routes[k][set] = rt;
	return rt;
}

/* Walks of both tables, as text lines. */
struct walk_text {
	char *buf;
	size_t len, cap;
	const struct attrset *const *sets;
};

static void walk_put(struct walk_text *t, uint8_t family, uint32_t path_id, const uint8_t *nlri, uint16_t len,
		     const struct attrset *attrs)
{
	if (t->cap - t->len < 64) {
		t->cap = t->cap * 2 + 4096;
		t->buf = realloc(t->buf, t->cap);
	}
	int set = -1;
	for (int i = 0; i < NSETS; i++)
		if (t->sets[i] == attrs)
			set = i;
	t->len += (size_t)snprintf(t->buf + t->len, t->cap - t->len, "%u %u %d", family, path_id, set);
	for (uint16_t i = 0; i < len; i++)
		t->len += (size_t)snprintf(t->buf + t->len, t->cap - t->len, " %02x", nlri[i]);
	t->buf[t->len++] = '\n';
}

static void walk_a(void *ctx, const struct rib_entry *e)
{
	walk_put(ctx, e->family, e->path_id, e->nlri, e->nlri_len, e->attrs);
}

static void walk_b(void *ctx, const struct ref_entry *e)
{
	walk_put(ctx, e->family, e->path_id, e->nlri, e->nlri_len, e->attrs);
}

static void same_tables(struct fixture *f)
{
	assert_int_equal(f->a.count, f->b.count);
	assert_int_equal(f->a.pending, f->b.pending);
	assert_int_equal(ribout_has_pending(&f->a), refout_has_pending(&f->b));
	assert_int_equal(f->a.announced, f->b.announced);
	assert_int_equal(f->a.withdrawn, f->b.withdrawn);
	struct walk_text ta = {NULL, 0, 0, (const struct attrset *const *)f->sets};
	struct walk_text tb = ta;
	ribout_walk(&f->a, walk_a, &ta);
	refout_walk(&f->b, walk_b, &tb);
	assert_int_equal(ta.len, tb.len);
	if (ta.len)
		assert_memory_equal(ta.buf, tb.buf, ta.len);
	free(ta.buf);
	free(tb.buf);
}

static bool odd_wanted(const void *ctx, const struct route *rt)
{
	(void)ctx;
	return rt->nlri[rt->nlri_len - 1] % 2 == 1 && !(rt->flags & ROUTE_WITHDRAWN);
}

static uint32_t rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void pack_both(struct fixture *f, uint32_t *seed, bool all)
{
	struct pack_opts o;
	memset(&o, 0, sizeof(o));
	o.enc.local_as = 65001;
	o.enc.ebgp = true;
	o.enc.max_msg = rnd(seed) % 4 ? 4096 : 200;
	o.enc.asn4 = true;
	uint32_t x = rnd(seed);
	o.families = x % 8 ? FAM_ALL : FAM_BIT(FAM_IPV4_UNICAST);
	o.addpath = x % 3 == 0 ? FAM_ALL : 0;
	o.group_updates = x % 5 != 0;
	do {
		size_t budget = all ? 1u << 16 : 1 + rnd(seed) % 3000;
		wb_reset(&f->wa);
		wb_reset(&f->wb);
		size_t ma = ribout_pack(&f->a, &o, &f->wa, budget);
		size_t mb = refout_pack(&f->b, &o, &f->wb, budget);
		assert_int_equal(ma, mb);
		assert_int_equal(f->wa.len, f->wb.len);
		if (f->wa.len)
			assert_memory_equal(f->wa.data, f->wb.data, f->wa.len);
	} while (all && refout_has_pending(&f->b));
}

static void sync_both(struct fixture *f, uint32_t *seed)
{
	static struct route *v[NCONF];
	struct route_list l = {v, 0, NCONF};
	uint32_t span = 1 + rnd(seed) % NCONF;
	for (uint32_t k = 0; k < span; k++) {
		if (rnd(seed) % 4 == 0)
			continue;
		struct route *rt = route_of(f, k, (int)(rnd(seed) % NSETS));
		rt->flags = rnd(seed) % 10 == 0 ? ROUTE_WITHDRAWN : 0;
		v[l.n++] = rt;
	}
	bool odd = rnd(seed) % 3 == 0;
	size_t na = ribout_sync_config(&f->a, &l, odd ? odd_wanted : NULL, NULL);
	size_t nb = refout_sync_config(&f->b, &l, odd ? odd_wanted : NULL, NULL);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < l.n; i++)
		v[i]->flags = 0;
}

static void test_same_as_reference(void **state)
{
	struct fixture *f = *state;
	uint32_t seed = 777;
	bool compacted = false;
	for (int step = 0; step < 300000; step++) {
		uint32_t op = rnd(&seed) % 1000;
		uint32_t k = rnd(&seed) % NKEYS;
		int set = (int)(rnd(&seed) % NSETS);
		struct route *rt = route_of(f, k, set);
		size_t nrecs = f->a.nrecs;
		if (op < 300) {
			assert_int_equal(ribout_announce(&f->a, rt), refout_announce(&f->b, rt));
		} else if (op < 400) {
			assert_int_equal(ribout_announce_config(&f->a, rt), refout_announce_config(&f->b, rt));
		} else if (op < 500) {
			assert_int_equal(ribout_announce_api(&f->a, rt), refout_announce_api(&f->b, rt));
		} else if (op < 530) {
			struct route *v[40];
			size_t n = 1 + rnd(&seed) % 40;
			for (size_t i = 0; i < n; i++)
				v[i] = route_of(f, rnd(&seed) % NKEYS, (int)(rnd(&seed) % NSETS));
			assert_int_equal(ribout_announce_api_list(&f->a, v, n), refout_announce_api_list(&f->b, v, n));
		} else if (op < 680) {
			/* a helper's withdrawal: the command's attributes, the route maybe unknown */
			assert_int_equal(ribout_withdraw_api(&f->a, rt), refout_withdraw_api(&f->b, rt));
		} else if (op < 800) {
			assert_int_equal(ribout_withdraw(&f->a, rt->family, rt->path_id, rt->nlri, rt->nlri_len),
					 refout_withdraw(&f->b, rt->family, rt->path_id, rt->nlri, rt->nlri_len));
		} else if (op < 950) {
			pack_both(f, &seed, false);
		} else if (op < 960) {
			ribout_session_down(&f->a);
			refout_session_down(&f->b);
		} else if (op < 975) {
			family_mask m = rnd(&seed) % 2 ? FAM_ALL : FAM_BIT(FAM_IPV6_UNICAST);
			ribout_resend(&f->a, m);
			refout_resend(&f->b, m);
		} else if (op < 998) {
			sync_both(f, &seed);
		} else {
			ribout_withdraw_all(&f->a);
			refout_withdraw_all(&f->b);
		}
		compacted |= f->a.nrecs < nrecs;
		if (step % 101 == 0)
			same_tables(f);
	}
	pack_both(f, &seed, true);
	same_tables(f);
	assert_true(compacted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_as_reference, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
