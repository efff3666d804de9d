/* libFuzzer harness: Adj-RIB-In insert/withdraw sequences (rib/ribin.c).
 *
 * Input: a sequence of operations.
 *   [op < 0x80][key byte][key byte]  direct ribin_update on table A: family
 *       op & 3, path-id (op >> 2) & 3, key length (op >> 4) % 3, attribute
 *       set (op >> 6) (set 0 = withdraw, else one of three sets);
 *   [op >= 0x80][len hi][len lo][UPDATE body]  update_parse (options from
 *       op: bit 0 ASN4, bit 1 ADD-PATH on every family, bit 2 eBGP) then
 *       ribin_apply on table B.
 * Oracles: table A holds exactly what a plain list model holds (same
 * routes, same attribute sets, same NLRI bytes); table B's count equals
 * what a walk finds; after both tables are cleared every attribute
 * reference is given back (pool empty). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attr_table.h"
#include "rib/ribin.h"
#include "update/update_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MODEL_MAX 4096

struct model_route {
	uint8_t family, klen, key[2];
	uint32_t path_id;
	struct attrset *set;
};

struct model {
	struct model_route v[MODEL_MAX];
	size_t n;
};

static struct model_route *model_find(struct model *m, uint8_t family, uint32_t pid, const uint8_t *key, uint8_t klen)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].family == family && m->v[i].path_id == pid && m->v[i].klen == klen &&
		    !memcmp(m->v[i].key, key, klen))
			return &m->v[i];
	return NULL;
}

struct walk_ctx {
	struct model *m;
	size_t seen;
	int bad;
};

static void check_a(void *arg, const struct ribin_entry *e)
{
	struct walk_ctx *w = arg;
	w->seen++;
	struct model_route *r = model_find(w->m, e->family, e->path_id, e->data, (uint8_t)e->key_len);
	/* NLRI as given: the key bytes reversed (see below) */
	if (!r || r->set != e->attrs || e->nlri_len != e->key_len ||
	    (e->key_len == 2 && (e->data[2] != e->data[1] || e->data[3] != e->data[0])) ||
	    (e->key_len == 1 && e->data[1] != e->data[0]))
		w->bad = 1;
}

static void check_b(void *arg, const struct ribin_entry *e)
{
	struct walk_ctx *w = arg;
	w->seen++;
	if (!e->attrs || e->family >= FAM_COUNT)
		w->bad = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct attr_pool pool;
	attr_pool_init(&pool);
	struct attrset *sets[4] = {NULL};
	for (int i = 1; i < 4; i++) {
		struct attr_builder b;
		attr_builder_init(&b);
		uint8_t med[4] = {0, 0, 0, (uint8_t)i};
		attr_builder_set(&b, ATTR_MED, ATTR_FLAG_OPTIONAL, med, 4);
		sets[i] = attr_pool_intern(&pool, &b);
		attr_builder_free(&b);
	}
	struct ribin a, b;
	ribin_init(&a, &pool);
	ribin_init(&b, &pool);
	m.n = 0;
	struct update_msg msg;
	memset(&msg, 0, sizeof(msg));

	size_t i = 0;
	while (i < size) {
		uint8_t op = data[i++];
		if (op < 0x80) {
			if (size - i < 2)
				break;
			uint8_t family = op & 3, klen = (uint8_t)((op >> 4) % 3);
			uint32_t pid = (op >> 2) & 3;
			uint8_t key[2] = {data[i], data[i + 1]}, nlri[2] = {data[i + 1], data[i]};
			i += 2;
			if (klen == 1)
				nlri[0] = key[0];
			struct attrset *set = sets[op >> 6 & 1 ? 1 + (data[i - 1] % 3) : 0];
			if (ribin_update(&a, family, pid != 0, pid, key, klen, nlri, klen, set) < 0)
				abort();
			struct model_route *r = model_find(&m, family, pid, key, klen);
			if (!set && r)
				*r = m.v[--m.n];
			else if (set && r)
				r->set = set;
			else if (set && m.n < MODEL_MAX)
				m.v[m.n++] = (struct model_route){family, klen, {key[0], key[1]}, pid, set};
			else if (set)
				break; /* the model is full: stop here, the table holds the same */
			if (a.count != m.n) {
				fprintf(stderr, "table A holds %zu routes, the model %zu\n", a.count, m.n);
				abort();
			}
		} else {
			if (size - i < 2)
				break;
			size_t len = (size_t)data[i] << 8 | data[i + 1];
			i += 2;
			if (len > size - i)
				len = size - i;
			uint8_t *body = malloc(len ? len : 1);
			if (!body)
				abort();
			memcpy(body, data + i, len);
			i += len;
			struct update_parse_opts o = {0};
			o.asn4 = op & 1;
			o.addpath_rx = (op & 2) ? FAM_ALL : 0;
			o.ebgp = (op >> 2) & 1;
			update_parse(body, len, &o, &pool, &msg);
			ribin_apply(&b, &msg, &o);
			update_msg_release(&msg, &pool);
			free(body);
		}
	}

	struct walk_ctx wa = {&m, 0, 0}, wb = {NULL, 0, 0};
	ribin_walk(&a, check_a, &wa);
	ribin_walk(&b, check_b, &wb);
	if (wa.bad || wa.seen != m.n || wb.bad || wb.seen != b.count) {
		fprintf(stderr, "walk: A %zu/%zu%s, B %zu/%zu%s\n", wa.seen, m.n, wa.bad ? " (wrong entry)" : "", wb.seen,
			b.count, wb.bad ? " (wrong entry)" : "");
		abort();
	}
	ribin_clear(&a);
	ribin_clear(&b);
	for (int k = 1; k < 4; k++)
		attrset_unref(&pool, sets[k]);
	if (pool.count != 0) {
		fprintf(stderr, "%zu attribute sets still referenced after the tables were cleared\n", pool.count);
		abort();
	}
	attr_pool_free(&pool);
	return 0;
}
