/* Every family's codec on random fields (deterministic seed): decoding
 * never reads out of bounds (ASan), the verdict agrees with the iterator,
 * a decoded NLRI re-encoded from its parts decodes to the same route,
 * and every route's JSON is well formed (balanced, no empty member as in
 * "{," or ", }"), so no family can hand a helper invalid JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nlri/family.h"
#include "nlri/nlri_decode.h"
#include "wire/buf.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Balanced braces and brackets outside strings, no "{," ",," or ", }". */
static int json_shape_ok(const char *s, size_t n)
{
	int depth = 0, in_str = 0;
	char prev = 0; /* last significant character outside strings */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0, prev = '"';
			continue;
		}
		if (c == ' ')
			continue;
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth < 0 || prev == ',')
				return 0;
		} else if (c == ',' && (prev == '{' || prev == '[' || prev == ',' || prev == 0))
			return 0;
		prev = c;
	}
	return depth == 0 && !in_str;
}

/* A field that often looks like NLRI of the family: a plausible first
 * length byte, then random bytes. */
static size_t random_field(uint8_t *buf, size_t cap)
{
	size_t n = next_rand() % cap;
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)next_rand();
	if (n && next_rand() % 2)
		buf[0] = (uint8_t)(next_rand() % (n < 40 ? n * 8 : 255));
	else if (n > 19 && next_rand() % 2) { /* the two-byte length of a VPLS NLRI */
		buf[0] = 0;
		buf[1] = 17;
	}
	return n;
}

static void test_random_fields(void **state)
{
	(void)state;
	uint8_t field[64];
	unsigned decoded[FAM_COUNT] = {0};
	for (int f = 0; f < FAM_COUNT; f++) {
		if (!family_table[f].codec)
			continue;
		for (int round = 0; round < 20000; round++) {
			size_t len = random_field(field, sizeof(field));
			bool addpath = next_rand() % 4 == 0, withdraw = next_rand() % 2;
			enum nlri_field_verdict v = nlri_field_validate(f, field, len, addpath, withdraw, NULL);
			struct nlri_iter it;
			struct nlri_item item;
			assert_int_equal(nlri_iter_init(&it, f, field, len, addpath, withdraw), 0);
			int rc, bad = 0;
			while ((rc = nlri_iter_next(&it, &item)) > 0) {
				assert_true(item.nlri >= field && item.nlri + item.nlri_len <= field + len);
				decoded[f]++;
				if (item.bad) {
					bad = 1;
					continue;
				}
				/* re-encoded parts decode to the same route */
				uint8_t again[LABELED_NLRI_MAX + 8];
				size_t n = nlri_item_encode(&item, again);
				if (n) {
					struct nlri_iter it2;
					struct nlri_item item2;
					char t1[512], t2[512];
					assert_int_equal(nlri_iter_init(&it2, f, again, n, false, withdraw), 0);
					assert_int_equal(nlri_iter_next(&it2, &item2), 1);
					assert_int_equal(item2.nlri_len, n);
					item2.has_path_id = item.has_path_id;
					item2.path_id = item.path_id;
					nlri_item_format(t1, sizeof(t1), &item, NULL);
					nlri_item_format(t2, sizeof(t2), &item2, NULL);
					assert_string_equal(t1, t2);
				}
				struct wbuf w;
				wb_init(&w, 256);
				nlri_item_json(&w, &item, "10.0.0.1", next_rand() % 2);
				assert_false(w.err);
				if (!json_shape_ok((const char *)w.data, w.len))
					fail_msg("family %s %s: bad JSON %.*s", family_table[f].afi_name,
						 family_table[f].safi_name, (int)w.len, (const char *)w.data);
				wb_reset(&w);
				nlri_item_text(&w, &item, NULL);
				assert_true(w.len > 0);
				wb_free(&w);
			}
			enum nlri_field_verdict want = rc < 0 ? NLRI_FIELD_RESET : bad ? NLRI_FIELD_WITHDRAW : NLRI_FIELD_OK;
			assert_int_equal(v, want);
		}
	}
	/* the generator reaches real routes of every decoded layout */
	for (int f = 0; f < FAM_COUNT; f++)
		if (family_table[f].codec && !decoded[f])
			fail_msg("no random NLRI of %s %s delimited", family_table[f].afi_name, family_table[f].safi_name);
}

static void test_shape_checker(void **state)
{
	(void)state;
	/* the checker itself refuses the JSON issue 10 found */
	static const char bad[] = "[ {, \"string\": \"flow\" } ]";
	static const char good[] = "[ { \"a\": [ \"x, }\" ], \"b\": 1 } ]";
	assert_false(json_shape_ok(bad, sizeof(bad) - 1));
	assert_true(json_shape_ok(good, sizeof(good) - 1));
	assert_false(json_shape_ok("{ \"a\": 1, }", 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_checker),
		cmocka_unit_test(test_random_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
