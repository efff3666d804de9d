/* VPLS routes (l2vpn vpls, RFC 4761) in the route grammar: the words
 * endpoint, base, offset and size, and the entry points for the one-line
 * form "vpls WORDS;" and the block form "vpls [NAME] { WORD VALUE; }".
 * Every other word is a route attribute word (route_keywords.c), rd and
 * next-hop included. */
#include <stdio.h>
#include <string.h>

#include "config/attr_values.h"
#include "config/route_grammar_int.h"
#include "nlri/vpls.h"

static int vpls_number(KW_ARGS, uint64_t max, enum rg_vpls_field field, const char *what)
{
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	if (av_uint(t->s, max, &v) < 0)
		return rg_fail(g, t, "invalid l2vpn vpls %s %s (0..%llu)", what, t->s, (unsigned long long)max);
	switch (field) {
	case RG_VPLS_ENDPOINT:
		r->endpoint = (uint16_t)v;
		break;
	case RG_VPLS_BASE:
		r->base = (uint32_t)v;
		break;
	case RG_VPLS_OFFSET:
		r->offset = (uint16_t)v;
		break;
	case RG_VPLS_SIZE:
		r->size = (uint16_t)v;
		break;
	}
	r->vpls_set |= (uint8_t)field;
	return 0;
}

static int kw_endpoint(KW_ARGS)
{
	return vpls_number(g, r, c, kw, 0xFFFF, RG_VPLS_ENDPOINT, "endpoint");
}

/* ExaBGP 4.2 refuses a base above 65535 although the label base has 20 bits:
 * the whole 20-bit range is accepted here. */
static int kw_base(KW_ARGS)
{
	return vpls_number(g, r, c, kw, 0xFFFFF, RG_VPLS_BASE, "label base");
}

static int kw_offset(KW_ARGS)
{
	return vpls_number(g, r, c, kw, 0xFFFF, RG_VPLS_OFFSET, "block-offset");
}

static int kw_size(KW_ARGS)
{
	return vpls_number(g, r, c, kw, 0xFFFF, RG_VPLS_SIZE, "block-size");
}

static const struct rg_keyword vpls_keywords[] = {
	{"endpoint", kw_endpoint},
	{"base", kw_base},
	{"offset", kw_offset},
	{"size", kw_size},
};

const struct rg_keyword *rg_find_vpls_keyword(const struct token *t)
{
	if (t->type != TOK_WORD)
		return NULL;
	for (size_t i = 0; i < sizeof(vpls_keywords) / sizeof(vpls_keywords[0]); i++)
		if (!strcmp(vpls_keywords[i].name, t->s))
			return &vpls_keywords[i];
	return NULL;
}

static void vpls_begin(struct rg_ctx *g, struct rg_route *r, const struct token *vpls_kw)
{
	rg_route_begin(g, r);
	r->kind = RG_KIND_VPLS;
	r->where = (struct rg_pos){vpls_kw ? vpls_kw->line : 0, vpls_kw ? vpls_kw->col : 0};
}

/* The checks of ExaBGP's VPLS feedback, with its messages. */
int rg_vpls_finish(struct rg_ctx *g, struct rg_route *r, struct route_list *out)
{
	if (!g->withdraw_cmd && g->b.nh.kind == NH_NONE)
		return rg_fail_at(g, r->where, "vpls nlri next-hop missing");
	if (!(r->vpls_set & RG_VPLS_ENDPOINT))
		return rg_fail_at(g, r->where, "vpls nlri endpoint missing");
	if (!(r->vpls_set & RG_VPLS_BASE))
		return rg_fail_at(g, r->where, "vpls nlri base missing");
	if (!(r->vpls_set & RG_VPLS_OFFSET))
		return rg_fail_at(g, r->where, "vpls nlri offset missing");
	if (!(r->vpls_set & RG_VPLS_SIZE))
		return rg_fail_at(g, r->where, "vpls nlri size missing");
	if (!r->has_rd)
		return rg_fail_at(g, r->where, "vpls nlri route-distinguisher missing");
	if (r->base > 0xFFFFFu - r->size)
		return rg_fail_at(g, r->where, "vpls nlri size inconsistency");
	if (g->b.nh.kind == NH_SELF)
		g->b.nh.len = 4; /* as ExaBGP: next-hop self is the IPv4 local address */

	struct vpls_nlri v;
	memcpy(v.rd, r->rd, sizeof(v.rd));
	v.endpoint = r->endpoint;
	v.offset = r->offset;
	v.size = r->size;
	v.base = r->base;
	uint8_t nlri[VPLS_NLRI_LEN];
	size_t len = vpls_nlri_encode(nlri, &v);

	struct attrset *set = rg_intern(g);
	if (!set)
		return rg_fail_at(g, r->where, "out of memory");
	if (rg_push_route(g, r, FAM_L2VPN_VPLS, nlri, len, set, out) < 0)
		return -1;
	rg_note_family(g, r, FAM_L2VPN_VPLS);
	return 0;
}

int rg_parse_vpls(struct rg_ctx *g, const struct token *vpls_kw, const struct token *t, int n,
		  struct route_list *out)
{
	struct rg_route r;
	struct cursor c = {t, n, 0};
	vpls_begin(g, &r, vpls_kw);
	g->merge_ext = false;
	if (rg_parse_keywords(g, &r, &c, false) < 0)
		return -1;
	return rg_vpls_finish(g, &r, out);
}

int rg_vpls_block_begin(struct rg_ctx *g, struct rg_route *r, const struct token *vpls_kw, const struct token *t,
			int n)
{
	vpls_begin(g, r, vpls_kw);
	g->merge_ext = true;
	if (n > 1)
		return rg_fail(g, &t[1], "unexpected \"%s\" before '{'", token_describe(&t[1]));
	if (n == 1 && !is_value(&t[0]))
		return rg_fail(g, &t[0], "unexpected %s before '{'", token_describe(&t[0]));
	return 0;
}
