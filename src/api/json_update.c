/* JSON of UPDATE messages: attributes, announced routes grouped by family
 * then next-hop, withdrawn routes grouped by family (json.py _update). */
#include <stdio.h>
#include <string.h>

#include "api/fmt.h"
#include "api/json.h"
#include "attr/attr_table.h"

/* ExaBGP 5.0's AS_PATH: {"0": {"element": "as-sequence", "value": [1, 2]}} */
static void v5_aspath(struct wbuf *w, const uint8_t *v, size_t len)
{
	sb_puts(w, "\"as-path\": {");
	size_t o = 0;
	int seg = 0;
	while (o + 2 <= len) {
		uint8_t type = v[o], cnt = v[o + 1];
		o += 2;
		const char *name = type == 1 ? "as-set"
				   : type == 2 ? "as-sequence"
				   : type == 3 ? "confederation-sequence"
				   : type == 4 ? "confederation-set"
						 : "unknown";
		sb_printf(w, "%s\"%d\": {\"element\": \"%s\", \"value\": [", seg ? ", " : "", seg, name);
		for (unsigned i = 0; i < cnt && o + 4 <= len; i++, o += 4)
			sb_printf(w, "%s%u", i ? ", " : "", get_u32(v + o));
		sb_puts(w, "]}");
		seg++;
	}
	sb_puts(w, "}");
}

void json_attributes(const struct api_fmt *f, struct wbuf *w, const struct attrset *s)
{
	if (f->version < 5) {
		attrset_json(w, s);
		return;
	}
	struct attr_iter it;
	struct attr_view a;
	bool first = true;
	attr_iter_init(&it, s);
	while (attr_iter_next(&it, &a)) {
		size_t mark = w->len;
		if (!first)
			sb_puts(w, ", ");
		size_t body = w->len;
		if (a.code == 2)
			v5_aspath(w, a.val, a.len);
		else
			attr_json(w, a.code, a.flags, a.val, a.len);
		if (w->len == body)
			w->len = mark;
		else
			first = false;
	}
}

struct fam_key {
	uint16_t afi;
	uint8_t safi;
};

static bool same_fam(const struct api_nlri *x, const struct fam_key *k)
{
	return x->afi == k->afi && x->safi == k->safi;
}

/* Distinct families of the announced (or withdrawn) routes, first seen first. */
static int families(const struct api_update_view *uv, bool announce, struct fam_key *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < uv->n; i++) {
		const struct api_nlri *x = &uv->v[i];
		if (x->announce != announce)
			continue;
		int j;
		for (j = 0; j < n; j++)
			if (same_fam(x, &out[j]))
				break;
		if (j == n && n < max) {
			out[n].afi = x->afi;
			out[n].safi = x->safi;
			n++;
		}
	}
	return n;
}

static void fam_key_text(struct wbuf *w, const struct fam_key *k)
{
	char a[32], s[32];
	sb_printf(w, "\"%s %s\"", fmt_afi(k->afi, a), fmt_safi(k->safi, s));
}

static const char *nh_text(const struct api_update_view *uv, int nh)
{
	return nh >= 0 && nh < uv->nnh ? uv->nh[nh] : NULL;
}

#define MAX_FAMS 32

static void announce_json(const struct api_fmt *f, struct wbuf *w, const struct api_update_view *uv)
{
	struct fam_key fk[MAX_FAMS];
	int nf = families(uv, true, fk, MAX_FAMS);
	sb_puts(w, "\"announce\": { ");
	for (int i = 0; i < nf; i++) {
		if (i)
			sb_puts(w, ", ");
		fam_key_text(w, &fk[i]);
		sb_puts(w, ": { ");
		/* next-hops of this family, first seen first (-1 = none) */
		int nhs[API_UV_MAX_NH + 1], nn = 0;
		for (size_t j = 0; j < uv->n; j++) {
			const struct api_nlri *x = &uv->v[j];
			if (!x->announce || !same_fam(x, &fk[i]))
				continue;
			int k;
			for (k = 0; k < nn; k++)
				if (nhs[k] == x->nh)
					break;
			if (k == nn && nn <= API_UV_MAX_NH)
				nhs[nn++] = x->nh;
		}
		for (int k = 0; k < nn; k++) {
			const char *nh = nh_text(uv, nhs[k]);
			if (k)
				sb_puts(w, ", ");
			sb_printf(w, "\"%s\": [ ", nh ? nh : "no-nexthop");
			bool first = true;
			for (size_t j = 0; j < uv->n; j++) {
				const struct api_nlri *x = &uv->v[j];
				if (!x->announce || !same_fam(x, &fk[i]) || x->nh != nhs[k])
					continue;
				if (!first)
					sb_puts(w, ", ");
				first = false;
				api_nlri_json(w, x, nh, f->compact);
			}
			sb_puts(w, " ]");
		}
		sb_puts(w, " }");
	}
	sb_puts(w, " }");
}

static void withdraw_json(const struct api_fmt *f, struct wbuf *w, const struct api_update_view *uv)
{
	struct fam_key fk[MAX_FAMS];
	int nf = families(uv, false, fk, MAX_FAMS);
	sb_puts(w, "\"withdraw\": { ");
	for (int i = 0; i < nf; i++) {
		if (i)
			sb_puts(w, ", ");
		fam_key_text(w, &fk[i]);
		sb_puts(w, ": [ ");
		bool first = true;
		for (size_t j = 0; j < uv->n; j++) {
			const struct api_nlri *x = &uv->v[j];
			if (x->announce || !same_fam(x, &fk[i]))
				continue;
			if (!first)
				sb_puts(w, ", ");
			first = false;
			api_nlri_json(w, x, NULL, f->compact);
		}
		sb_puts(w, " ]");
	}
	sb_puts(w, " }");
}

void json_update_kv(const struct api_fmt *f, struct wbuf *w, const struct api_update_view *uv)
{
	bool add = false, del = false;
	for (size_t i = 0; i < uv->n; i++) {
		if (uv->v[i].announce)
			add = true;
		else
			del = true;
	}
	bool attrs = uv->attrs && uv->has_attributes;
	sb_puts(w, "\"message\": { \"update\": { ");
	if (attrs) {
		sb_puts(w, "\"attribute\": { ");
		json_attributes(f, w, uv->attrs);
		sb_puts(w, " }");
	}
	if (attrs && (add || del))
		sb_puts(w, ", ");
	if (add)
		announce_json(f, w, uv);
	if (add && del)
		sb_puts(w, ", ");
	if (del)
		withdraw_json(f, w, uv);
	sb_puts(w, " } }");
}

void json_eor_kv(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	char a[32], s[32];
	sb_printf(w, "\"message\": { \"eor\": { \"afi\" : \"%s\", \"safi\" : \"%s\" } }", fmt_afi(afi, a),
		  fmt_safi(safi, s));
}
