/* Adj-RIB-In (see ribin.h). */
#include "rib/ribin.h"

#include <stdlib.h>
#include <string.h>

#include "nlri/family.h"
#include "nlri/flowspec.h"
#include "nlri/labeled.h"
#include "nlri/nlri_decode.h"
#include "wire/update_parse.h"

static uint32_t key_hash(uint8_t family, uint32_t path_id, const uint8_t *k, size_t n)
{
	uint32_t h = 2166136261u ^ family;
	h = (h ^ path_id) * 16777619u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h ^ (h >> 15);
}

void ribin_init(struct ribin *r, struct attr_pool *pool)
{
	memset(r, 0, sizeof(*r));
	r->pool = pool;
}

void ribin_clear(struct ribin *r)
{
	for (size_t i = 0; i < r->nbuckets; i++) {
		struct ribin_entry *e = r->buckets[i];
		while (e) {
			struct ribin_entry *n = e->next;
			attrset_unref(r->pool, e->attrs);
			free(e);
			e = n;
		}
	}
	free(r->buckets);
	r->buckets = NULL;
	r->nbuckets = r->count = 0;
}

static void grow(struct ribin *r)
{
	size_t nb = r->nbuckets ? r->nbuckets * 4 : 256;
	struct ribin_entry **b = calloc(nb, sizeof(*b));
	if (!b)
		return;
	for (size_t i = 0; i < r->nbuckets; i++) {
		struct ribin_entry *e = r->buckets[i];
		while (e) {
			struct ribin_entry *n = e->next;
			e->next = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
			e = n;
		}
	}
	free(r->buckets);
	r->buckets = b;
	r->nbuckets = nb;
}

int ribin_update(struct ribin *r, uint8_t family, int has_path_id, uint32_t path_id, const uint8_t *key,
		 uint16_t key_len, const uint8_t *nlri, uint16_t nlri_len, struct attrset *attrs)
{
	if (!r->nbuckets || r->count >= r->nbuckets)
		grow(r);
	if (!r->nbuckets)
		return -1;
	uint32_t h = key_hash(family, path_id, key, key_len);
	struct ribin_entry **pp = &r->buckets[h & (r->nbuckets - 1)];
	for (; *pp; pp = &(*pp)->next) {
		struct ribin_entry *e = *pp;
		if (e->hash == h && e->family == family && e->path_id == path_id && e->key_len == key_len &&
		    !memcmp(e->data, key, key_len))
			break;
	}
	struct ribin_entry *old = *pp;
	if (!attrs) {
		if (old) {
			*pp = old->next;
			attrset_unref(r->pool, old->attrs);
			free(old);
			r->count--;
		}
		return 0;
	}
	struct ribin_entry *e = malloc(sizeof(*e) + key_len + nlri_len);
	if (!e)
		return -1;
	e->attrs = attrset_ref(attrs);
	e->hash = h;
	e->path_id = path_id;
	e->family = family;
	e->has_path_id = (uint8_t)(has_path_id != 0);
	e->key_len = key_len;
	e->nlri_len = nlri_len;
	memcpy(e->data, key, key_len);
	memcpy(e->data + key_len, nlri, nlri_len);
	if (old) {
		e->next = old->next;
		attrset_unref(r->pool, old->attrs);
		free(old);
	} else {
		e->next = NULL;
		r->count++;
	}
	*pp = e;
	return 0;
}

void ribin_walk(const struct ribin *r, void (*fn)(void *ctx, const struct ribin_entry *e), void *ctx)
{
	for (size_t i = 0; i < r->nbuckets; i++)
		for (const struct ribin_entry *e = r->buckets[i]; e; e = e->next)
			fn(ctx, e);
}

/* Walks one NLRI field; attrs NULL withdraws.  Returns the routes seen. */
static size_t apply_field(struct ribin *r, int family, const struct rbuf *field, bool addpath, bool withdraw,
			  struct attrset *attrs)
{
	size_t n = 0;
	const uint8_t *p = field->p + field->pos;
	size_t len = rb_left(field);
	if (family == FAM_IPV4_FLOW || family == FAM_IPV6_FLOW || family == FAM_IPV4_FLOW_VPN ||
	    family == FAM_IPV6_FLOW_VPN) {
		/* FlowSpec: the whole rule is the key (RFC 8955 has no path id here). */
		while (len) {
			long sz = flow_nlri_size(p, len);
			if (sz <= 0 || (size_t)sz > len || sz > 0xFFFF)
				break;
			ribin_update(r, (uint8_t)family, 0, 0, p, (uint16_t)sz, p, (uint16_t)sz, attrs);
			p += sz;
			len -= (size_t)sz;
			n++;
		}
		return n;
	}
	struct nlri_iter it;
	if (nlri_iter_init(&it, family, p, len, addpath, withdraw) < 0)
		return 0;
	struct nlri_item item;
	while (nlri_iter_next(&it, &item) == 1) {
		uint8_t key[LABELED_NLRI_MAX + 32];
		size_t klen = item.nlri_len;
		const uint8_t *k = item.nlri;
		if (family == FAM_IPV4_MPLS_LABEL || family == FAM_IPV6_MPLS_LABEL || family == FAM_IPV4_MPLS_VPN ||
		    family == FAM_IPV6_MPLS_VPN) {
			struct nlri_item bare = item;
			bare.pfx.nlabels = 0;
			klen = nlri_item_encode(&bare, key);
			k = key;
		}
		if (klen && klen <= 0xFFFF)
			ribin_update(r, (uint8_t)family, item.has_path_id, item.path_id, k, (uint16_t)klen, item.nlri,
				     item.nlri_len, attrs);
		n++;
	}
	return n;
}

size_t ribin_apply(struct ribin *r, const struct update_msg *m, const struct update_parse_opts *o)
{
	size_t n = 0;
	bool taw = m->verdict == UPDATE_TREAT_AS_WITHDRAW;
	n += apply_field(r, FAM_IPV4_UNICAST, &m->withdrawn, (o->addpath_rx & FAM_BIT(FAM_IPV4_UNICAST)) != 0, true,
			 NULL);
	if (m->has_mp_unreach && m->mpu_family >= 0)
		n += apply_field(r, m->mpu_family, &m->mpu_nlri, (o->addpath_rx & FAM_BIT(m->mpu_family)) != 0, true,
				 NULL);
	n += apply_field(r, FAM_IPV4_UNICAST, &m->nlri, (o->addpath_rx & FAM_BIT(FAM_IPV4_UNICAST)) != 0, taw,
			 taw ? NULL : m->set);
	if (m->has_mp_reach && m->mp_family >= 0)
		n += apply_field(r, m->mp_family, &m->mp_nlri, (o->addpath_rx & FAM_BIT(m->mp_family)) != 0, taw,
				 taw ? NULL : m->mp_set);
	return n;
}
