/* Attribute builder and interning pool (see attrset.h). */
#include "attr/attrset.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

int attrset_get(const struct attrset *s, uint8_t code, struct attr_view *v)
{
	struct attr_iter it;
	attr_iter_init(&it, s);
	while (attr_iter_next(&it, v)) {
		if (v->code == code)
			return 1;
		if (v->code > code)
			break;
	}
	return 0;
}

void attr_builder_init(struct attr_builder *b)
{
	memset(&b->nh, 0, sizeof(b->nh));
	b->count = 0;
	wb_init(&b->vals, 0);
}

void attr_builder_free(struct attr_builder *b)
{
	wb_free(&b->vals);
	b->count = 0;
}

void attr_builder_reset(struct attr_builder *b)
{
	memset(&b->nh, 0, sizeof(b->nh));
	b->count = 0;
	wb_reset(&b->vals);
}

void attr_builder_copy(struct attr_builder *dst, const struct attr_builder *src)
{
	attr_builder_reset(dst);
	dst->nh = src->nh;
	dst->count = src->count;
	memcpy(dst->a, src->a, sizeof(src->a[0]) * (size_t)src->count);
	wb_bytes(&dst->vals, src->vals.data, src->vals.len);
}

static int find(const struct attr_builder *b, uint8_t code)
{
	for (int i = 0; i < b->count; i++)
		if (b->a[i].code == code)
			return i;
	return -1;
}

int attr_builder_set(struct attr_builder *b, uint8_t code, uint8_t flags, const void *val, size_t len)
{
	if (len > 65535)
		return -1;
	int i = find(b, code);
	if (i < 0) {
		if (b->count >= ATTR_BUILDER_MAX)
			return -1;
		i = b->count++;
	}
	/* Old values stay in vals as garbage until reset: builders are short-lived. */
	b->a[i].code = code;
	b->a[i].flags = flags;
	b->a[i].off = (uint32_t)b->vals.len;
	b->a[i].len = (uint32_t)len;
	wb_bytes(&b->vals, val, len);
	return b->vals.err ? -1 : 0;
}

int attr_builder_has(const struct attr_builder *b, uint8_t code)
{
	return find(b, code) >= 0;
}

void attr_builder_del(struct attr_builder *b, uint8_t code)
{
	int i = find(b, code);
	if (i < 0)
		return;
	b->a[i] = b->a[--b->count];
}

const uint8_t *attr_builder_get(const struct attr_builder *b, uint8_t code, size_t *len)
{
	int i = find(b, code);
	if (i < 0)
		return NULL;
	*len = b->a[i].len;
	return b->vals.data + b->a[i].off;
}

void attr_pool_init(struct attr_pool *p)
{
	p->nbuckets = 1024;
	p->buckets = calloc(p->nbuckets, sizeof(*p->buckets));
	p->count = 0;
	p->next_id = 1;
}

void attr_pool_free(struct attr_pool *p)
{
	for (size_t i = 0; i < p->nbuckets && p->buckets; i++) {
		struct attrset *s = p->buckets[i];
		while (s) {
			struct attrset *n = s->hnext;
			free(s);
			s = n;
		}
	}
	free(p->buckets);
	p->buckets = NULL;
	p->nbuckets = p->count = 0;
}

static void pool_grow(struct attr_pool *p)
{
	size_t nb = p->nbuckets * 4;
	struct attrset **nbk = calloc(nb, sizeof(*nbk));
	if (!nbk)
		return; /* keep the old table: slower, still correct */
	for (size_t i = 0; i < p->nbuckets; i++) {
		struct attrset *s = p->buckets[i];
		while (s) {
			struct attrset *n = s->hnext;
			s->hnext = nbk[s->hash & (nb - 1)];
			nbk[s->hash & (nb - 1)] = s;
			s = n;
		}
	}
	free(p->buckets);
	p->buckets = nbk;
	p->nbuckets = nb;
}

struct attrset *attr_pool_intern(struct attr_pool *p, const struct attr_builder *b)
{
	if (!p->buckets || b->vals.err)
		return NULL;
	/* Sort the attribute indexes by type code (insertion sort: count is tiny). */
	int order[ATTR_BUILDER_MAX];
	size_t total = 0;
	for (int i = 0; i < b->count; i++) {
		int j = i;
		while (j > 0 && b->a[order[j - 1]].code > b->a[i].code) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
		total += 4 + b->a[i].len;
	}
	struct attrset *s = malloc(sizeof(*s) + total);
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->nh = b->nh;
	s->count = (uint16_t)b->count;
	s->len = (uint32_t)total;
	uint8_t *q = s->data;
	for (int k = 0; k < b->count; k++) {
		int i = order[k];
		q[0] = b->a[i].code;
		q[1] = b->a[i].flags;
		q[2] = (uint8_t)(b->a[i].len >> 8);
		q[3] = (uint8_t)b->a[i].len;
		if (b->a[i].len) /* an empty value may have no buffer: NULL + 0 is undefined (C11 6.5.6) */
			memcpy(q + 4, b->vals.data + b->a[i].off, b->a[i].len);
		q += 4 + b->a[i].len;
	}
	uint32_t h = fnv1a(FNV1A_INIT, &s->nh, sizeof(s->nh));
	h = fnv1a(h, s->data, s->len);
	s->hash = h;
	for (struct attrset *e = p->buckets[h & (p->nbuckets - 1)]; e; e = e->hnext) {
		if (e->hash == h && e->len == s->len && !memcmp(&e->nh, &s->nh, sizeof(s->nh)) &&
		    !memcmp(e->data, s->data, s->len)) {
			free(s);
			e->refcnt++;
			return e;
		}
	}
	s->refcnt = 1;
	s->id = p->next_id++;
	s->hnext = p->buckets[h & (p->nbuckets - 1)];
	p->buckets[h & (p->nbuckets - 1)] = s;
	if (++p->count > p->nbuckets * 2)
		pool_grow(p);
	return s;
}

struct attrset *attrset_ref(struct attrset *s)
{
	if (s)
		s->refcnt++;
	return s;
}

void attrset_unref(struct attr_pool *p, struct attrset *s)
{
	if (!s || --s->refcnt > 0)
		return;
	struct attrset **pp = &p->buckets[s->hash & (p->nbuckets - 1)];
	while (*pp && *pp != s)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = s->hnext;
	p->count--;
	free(s);
}
