/* Decoded OPEN and UPDATE views for the encoders (see views.h). */
#include "api/views.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fmt.h"
#include "attr/attr_table.h"
#include "wire/buf.h"
#include "wire/open.h"

/* ---- OPEN ------------------------------------------------------------------ */

int api_open_view_parse(struct open_listing *v, const uint8_t *body, size_t len)
{
	struct bgp_open o;
	uint8_t sub;
	return open_decode(body, len, &o, v, &sub);
}

/* ---- UPDATE ---------------------------------------------------------------- */

void api_update_view_init(struct api_update_view *uv, struct attr_pool *pool)
{
	memset(uv, 0, sizeof(*uv));
	uv->pool = pool;
}

void api_update_view_clear(struct api_update_view *uv)
{
	if (uv->msg.set || uv->msg.mp_set)
		update_msg_release(&uv->msg, uv->pool);
	uv->msg.set = uv->msg.mp_set = NULL;
	if (uv->shown)
		attrset_unref(uv->pool, uv->shown);
	uv->shown = NULL;
	uv->attrs = NULL;
	uv->has_attributes = false;
	uv->eor = false;
	uv->n = 0;
	uv->nnh = 0;
	uv->skipped = 0;
}

void api_update_view_free(struct api_update_view *uv)
{
	api_update_view_clear(uv);
	free(uv->v);
	uv->v = NULL;
	uv->cap = 0;
}

static struct api_nlri *push(struct api_update_view *uv)
{
	if (uv->n == uv->cap) {
		size_t ncap = uv->cap ? uv->cap * 2 : 64;
		struct api_nlri *v = realloc(uv->v, ncap * sizeof(*v));
		if (!v)
			return NULL;
		uv->v = v;
		uv->cap = ncap;
	}
	return &uv->v[uv->n++];
}

static int add_nh(struct api_update_view *uv, const uint8_t *a, size_t len)
{
	char s[48];
	if (len == 4)
		inet_ntop(AF_INET, a, s, sizeof(s));
	else if (len == 16)
		inet_ntop(AF_INET6, a, s, sizeof(s));
	else
		return -1;
	for (int i = 0; i < uv->nnh; i++)
		if (!strcmp(uv->nh[i], s))
			return i;
	if (uv->nnh == API_UV_MAX_NH)
		return -1;
	snprintf(uv->nh[uv->nnh], sizeof(uv->nh[0]), "%s", s);
	return uv->nnh++;
}

/* Every NLRI of a field, each repeated once per next-hop (nnh 0: once, none). */
static void add_field(struct api_update_view *uv, uint16_t afi, uint8_t safi, const struct rbuf *field, bool announce,
		      const int *nhs, int nnh, family_mask addpath)
{
	const uint8_t *p = field->p;
	size_t len = field->len;
	if (!len)
		return;
	int fam = family_find(afi, safi);
	int loops = nnh ? nnh : 1;
	struct nlri_iter it;
	if (fam < 0 || nlri_iter_init(&it, fam, p, len, (addpath & FAM_BIT(fam)) != 0, !announce) < 0) {
		uv->skipped++;
		return;
	}
	struct nlri_item item;
	while (nlri_iter_next(&it, &item) == 1) {
		/* A malformed rule made the UPDATE treat-as-withdraw; it is no
		 * route, so it is not shown (never as an empty rule). */
		if (item.bad) {
			uv->skipped++;
			continue;
		}
		for (int k = 0; k < loops; k++) {
			struct api_nlri *x = push(uv);
			if (!x)
				return;
			x->announce = announce;
			x->afi = afi;
			x->safi = safi;
			x->nh = (int16_t)(nnh ? nhs[k] : -1);
			x->item = item;
		}
	}
}

/* ExaBGP knows nothing of RFC 7606 7.5 and prints the LOCAL_PREF of an
 * external peer, which the session discarded: the printed set gets it
 * back (an interned copy, rare: eBGP peers seldom send LOCAL_PREF). */
static const struct attrset *shown_attrs(struct api_update_view *uv, const struct update_msg *m,
					 const struct attrset *set, bool ebgp)
{
	const struct update_attr *lp = update_attr_find(m, ATTR_LOCAL_PREF);
	if (!ebgp || !set || !lp || lp->action != ATTR_DISCARD || lp->len != 4 || !uv->pool)
		return set;
	struct attr_builder b;
	attr_builder_init(&b);
	struct attr_iter it;
	struct attr_view v;
	attr_iter_init(&it, set);
	while (attr_iter_next(&it, &v))
		attr_builder_set(&b, v.code, v.flags, v.val, v.len);
	attr_builder_set(&b, ATTR_LOCAL_PREF, attr_def_get(ATTR_LOCAL_PREF)->flags, lp->val, lp->len);
	b.nh = set->nh;
	uv->shown = b.vals.err ? NULL : attr_pool_intern(uv->pool, &b);
	attr_builder_free(&b);
	return uv->shown ? uv->shown : set;
}

int api_update_view_fill(struct api_update_view *uv, const struct update_msg *m, const struct api_update_opts *o)
{
	if (m->verdict == UPDATE_RESET)
		return -1;
	if (m->eor) {
		uv->eor = true;
		uv->eor_afi = m->eor_afi;
		uv->eor_safi = m->eor_safi;
		return 0;
	}
	for (int i = 0; i < m->nattr; i++)
		if (m->attr[i].code != ATTR_MP_REACH_NLRI && m->attr[i].code != ATTR_MP_UNREACH_NLRI)
			uv->has_attributes = true;
	/* ExaBGP prints the attributes of a message without routes too */
	const struct attrset *set = m->set ? m->set : m->mp_set;
	struct attrset *own = NULL;
	if (!set && uv->has_attributes && uv->pool && m->verdict == UPDATE_OK)
		set = own = update_attrs_interned(m, o->asn4, uv->pool);
	uv->attrs = shown_attrs(uv, m, set, o->ebgp);
	if (own && uv->shown)
		attrset_unref(uv->pool, own);
	else if (own)
		uv->shown = own;
	bool announce = m->verdict == UPDATE_OK;

	add_field(uv, AFI_IPV4, SAFI_UNICAST, &m->withdrawn, false, NULL, 0, o->addpath);
	if (m->nlri.len) {
		int nh = -1;
		const struct update_attr *a = update_attr_find(m, ATTR_NEXT_HOP);
		if (a && a->len == 4)
			nh = add_nh(uv, a->val, 4);
		add_field(uv, AFI_IPV4, SAFI_UNICAST, &m->nlri, announce, &nh, nh >= 0 ? 1 : 0, o->addpath);
	}
	if (m->has_mp_unreach)
		add_field(uv, m->mpu_afi, m->mpu_safi, &m->mpu_nlri, false, NULL, 0, o->addpath);
	if (m->has_mp_reach) {
		int nhs[API_UV_MAX_NH], nnh = 0;
		int fam = family_find(m->mp_afi, m->mp_safi);
		size_t rd = fam >= 0 ? family_table[fam].nh_rd_len : 0;
		const uint8_t *raw = m->mp_nh_raw.p;
		size_t rawlen = m->mp_nh_raw.len;
		for (size_t pos = rd; pos < rawlen && nnh < API_UV_MAX_NH; pos += 16) {
			size_t chunk = rawlen - pos < 16 ? rawlen - pos : 16;
			int i = add_nh(uv, raw + pos, chunk);
			if (i >= 0)
				nhs[nnh++] = i;
		}
		add_field(uv, m->mp_afi, m->mp_safi, &m->mp_nlri, announce, nhs, nnh, o->addpath);
	}
	return 0;
}

int api_update_view_build(struct api_update_view *uv, const uint8_t *body, size_t len,
			  const struct api_update_opts *o)
{
	api_update_view_clear(uv);
	struct update_parse_opts po;
	memset(&po, 0, sizeof(po));
	po.asn4 = o->asn4;
	po.ebgp = 0;       /* print what was sent, LOCAL_PREF included */
	po.families = 0;   /* any family */
	po.addpath_rx = o->addpath;
	update_parse(body, len, &po, uv->pool, &uv->msg);
	struct api_update_opts fo = *o;
	fo.ebgp = false;
	return api_update_view_fill(uv, &uv->msg, &fo);
}

/* ---- NLRI text and JSON: the family's printers ---------------------------- */

void api_nlri_json(struct wbuf *w, const struct api_nlri *x, const char *nexthop, bool compact)
{
	nlri_item_json(w, &x->item, nexthop, compact);
}

void api_nlri_text(struct wbuf *w, const struct api_nlri *x, const char *nexthop)
{
	nlri_item_text(w, &x->item, nexthop);
}
