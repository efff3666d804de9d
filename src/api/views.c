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

static void ov_cap(struct api_open_view *v, uint8_t code, const uint8_t *val, uint8_t len)
{
	if (!v->val[code])
		v->order[v->norder++] = code;
	v->val[code] = val;
	v->vlen[code] = len;
	struct rbuf r;
	rb_init(&r, val, len);
	switch (code) {
	case CAP_MULTIPROTOCOL: {
		uint16_t afi;
		uint8_t res, safi;
		if (!rb_u16(&r, &afi) && !rb_u8(&r, &res) && !rb_u8(&r, &safi) && v->nmp < API_OV_MAX) {
			v->mp[v->nmp].afi = afi;
			v->mp[v->nmp].safi = safi;
			v->nmp++;
		}
		break;
	}
	case CAP_ADD_PATH:
		while (rb_left(&r) >= 4) {
			uint16_t afi = 0;
			uint8_t safi = 0, mode = 0;
			rb_u16(&r, &afi);
			rb_u8(&r, &safi);
			rb_u8(&r, &mode);
			int i;
			for (i = 0; i < v->nap; i++)
				if (v->ap[i].afi == afi && v->ap[i].safi == safi)
					break;
			if (i == v->nap) {
				if (v->nap == API_OV_MAX)
					continue;
				v->nap++;
			}
			v->ap[i].afi = afi;
			v->ap[i].safi = safi;
			v->ap[i].mode = mode;
		}
		break;
	case CAP_EXTENDED_NEXTHOP:
		while (rb_left(&r) >= 6) {
			uint16_t afi = 0, safi16 = 0, nh = 0;
			rb_u16(&r, &afi);
			rb_u16(&r, &safi16);
			rb_u16(&r, &nh);
			int i;
			for (i = 0; i < v->nnh; i++)
				if (v->nh[i].afi == afi && v->nh[i].safi == (uint8_t)safi16 && v->nh[i].nh_afi == nh)
					break;
			if (i == v->nnh && v->nnh < API_OV_MAX) {
				v->nh[i].afi = afi;
				v->nh[i].safi = (uint8_t)safi16;
				v->nh[i].nh_afi = nh;
				v->nnh++;
			}
		}
		break;
	default:
		break;
	}
}

int api_open_view_parse(struct api_open_view *v, const uint8_t *body, size_t len)
{
	memset(v, 0, sizeof(*v));
	struct rbuf r;
	uint8_t optlen;
	rb_init(&r, body, len);
	if (rb_u8(&r, &v->version) || rb_u16(&r, &v->asn) || rb_u16(&r, &v->hold_time) || rb_u32(&r, &v->router_id) ||
	    rb_u8(&r, &optlen))
		return -1;
	struct rbuf params;
	bool ext = false;
	if (optlen == 255 && rb_left(&r) >= 3 && rb_cur(&r)[0] == 255) { /* RFC 9072 */
		uint16_t elen;
		rb_skip(&r, 1);
		rb_u16(&r, &elen);
		if (rb_sub(&r, elen, &params))
			return -1;
		ext = true;
	} else if (rb_sub(&r, optlen, &params)) {
		return -1;
	}
	while (rb_left(&params)) {
		uint8_t ptype;
		uint16_t plen;
		struct rbuf pv;
		if (rb_u8(&params, &ptype))
			return -1;
		if (ext) {
			if (rb_u16(&params, &plen))
				return -1;
		} else {
			uint8_t l8;
			if (rb_u8(&params, &l8))
				return -1;
			plen = l8;
		}
		if (rb_sub(&params, plen, &pv))
			return -1;
		if (ptype != OPT_PARAM_CAPABILITIES)
			continue;
		while (rb_left(&pv)) {
			uint8_t code, clen;
			if (rb_u8(&pv, &code) || rb_u8(&pv, &clen) || rb_left(&pv) < clen)
				return -1;
			ov_cap(v, code, rb_cur(&pv), clen);
			rb_skip(&pv, clen);
		}
	}
	return 0;
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

int api_update_view_build(struct api_update_view *uv, const uint8_t *body, size_t len,
			  const struct api_update_opts *o)
{
	api_update_view_clear(uv);
	struct update_parse_opts po;
	memset(&po, 0, sizeof(po));
	po.asn4 = o->asn4;
	po.ebgp = 0;       /* print what was received, LOCAL_PREF included */
	po.families = 0;   /* any family */
	po.addpath_rx = o->addpath;
	struct update_msg *m = &uv->msg;
	int verdict = update_parse(body, len, &po, uv->pool, m);
	if (verdict == UPDATE_RESET)
		return -1;
	if (m->eor) {
		uv->eor = true;
		uv->eor_afi = m->eor_afi;
		uv->eor_safi = m->eor_safi;
		return 0;
	}
	for (int i = 0; i < m->nattr; i++)
		if (m->attr[i].code != 14 && m->attr[i].code != 15)
			uv->has_attributes = true;
	uv->attrs = m->set ? m->set : m->mp_set;
	bool announce = verdict == UPDATE_OK;

	add_field(uv, AFI_IPV4, SAFI_UNICAST, &m->withdrawn, false, NULL, 0, o->addpath);
	if (m->nlri.len) {
		int nh = -1;
		const struct update_attr *a = update_attr_find(m, 3);
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

/* ---- NLRI text and JSON: the family's printers ---------------------------- */

void api_nlri_json(struct wbuf *w, const struct api_nlri *x, const char *nexthop, bool compact)
{
	nlri_item_json(w, &x->item, nexthop, compact);
}

void api_nlri_text(struct wbuf *w, const struct api_nlri *x, const char *nexthop)
{
	nlri_item_text(w, &x->item, nexthop);
}
