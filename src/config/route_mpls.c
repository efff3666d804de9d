/* The route grammar's MPLS words (path-information, label, rd,
 * bgp-prefix-sid, bgp-prefix-sid-srv6) and the NLRI kinds: how a parsed
 * route becomes unicast, labeled (RFC 8277) or VPN (RFC 4364) NLRI. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "attr/attr.h"
#include "config/attr_values.h"
#include "config/route_grammar_int.h"
#include "nlri/labeled.h"
#include "nlri/vpn.h"
#include "wire/buf.h"

int rg_kw_path_information(KW_ARGS)
{
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	uint64_t v;
	uint8_t ip[4];
	if (av_uint(t->s, UINT32_MAX, &v) == 0) {
		r->path_id = (uint32_t)v;
	} else if (av_ipv4(t->s, ip) == 0) {
		r->path_id = get_u32(ip);
	} else {
		return rg_fail(g, t, "invalid path-information %s (a number or an IPv4 address)", t->s);
	}
	r->has_path_id = true;
	return 0;
}

static int label_item(struct rg_ctx *g, const struct token *t, void *ud)
{
	struct rg_route *r = ud;
	uint64_t v;
	if (av_uint(t->s, 0xFFFFF, &v) < 0)
		return rg_fail(g, t, "invalid label %s (0..1048575)", t->s);
	if (r->nlabels == RG_MAX_LABELS)
		return rg_fail(g, t, "too many labels (at most %d)", RG_MAX_LABELS);
	r->labels[r->nlabels++] = (uint32_t)v;
	return 0;
}

int rg_kw_label(KW_ARGS)
{
	if (r->fixed_safi && !(safi_route_words(r->safi) & FAM_KW_LABEL))
		return rg_fail(g, kw, "label is not valid in this section");
	r->nlabels = 0;
	if (rg_list(g, c, kw, label_item, r) < 0)
		return -1;
	if (!r->nlabels)
		return rg_fail(g, kw, "label needs a value");
	r->label_at = (struct rg_pos){kw->line, kw->col};
	return 0;
}

int rg_kw_rd(KW_ARGS)
{
	char why[200];
	if (r->fixed_safi && !(safi_route_words(r->safi) & FAM_KW_RD))
		return rg_fail(g, kw, "%s is not valid in this section", kw->s);
	const struct token *t = rg_value(g, c, kw);
	if (!t)
		return -1;
	if (av_route_distinguisher(t->s, r->rd, why, sizeof(why)) < 0)
		return rg_fail(g, t, "%s", why);
	r->has_rd = true;
	r->rd_at = (struct rg_pos){kw->line, kw->col};
	return 0;
}

/* bgp-prefix-sid [ INDEX ] or [ INDEX, [ ( BASE,RANGE ) ... ] ] (RFC 8669):
 * a Label-Index TLV, then an Originator SRGB TLV when ranges are given. */
int rg_kw_prefix_sid(KW_ARGS)
{
	(void)r;
	const struct token *t = next(c);
	uint64_t index, base, range;
	if (!t || t->type != TOK_LBRACKET)
		return rg_fail(g, t ? t : kw, "could not parse BGP PrefixSid attribute: expecting [");
	t = next(c);
	if (!is_value(t) || av_uint(t->s, UINT32_MAX, &index) < 0)
		return rg_fail(g, t ? t : kw, "could not parse BGP PrefixSid attribute: invalid label index");
	uint8_t srgb[6 * 32];
	size_t nsrgb = 0;
	int depth = 1;
	while (depth) {
		t = next(c);
		if (!t)
			return rg_fail(g, kw, "could not parse BGP PrefixSid attribute: missing ']'");
		if (t->type == TOK_COMMA)
			continue;
		if (t->type == TOK_RBRACKET) {
			depth--;
			continue;
		}
		if (t->type == TOK_LBRACKET && depth == 1) {
			depth++;
			continue;
		}
		if (t->type == TOK_LPAREN && depth == 2) {
			const struct token *tb = next(c), *tcomma = next(c), *tr = next(c), *te = next(c);
			if (!is_value(tb) || av_uint(tb->s, 0xFFFFFF, &base) < 0 || !tcomma ||
			    tcomma->type != TOK_COMMA || !is_value(tr) || av_uint(tr->s, 0xFFFFFF, &range) < 0 || !te ||
			    te->type != TOK_RPAREN)
				return rg_fail(g, t, "could not parse SRGB tuple (expecting ( BASE,RANGE ))");
			if (nsrgb == 32)
				return rg_fail(g, t, "too many SRGB ranges");
			uint8_t *p = srgb + 6 * nsrgb++;
			p[0] = (uint8_t)(base >> 16);
			p[1] = (uint8_t)(base >> 8);
			p[2] = (uint8_t)base;
			p[3] = (uint8_t)(range >> 16);
			p[4] = (uint8_t)(range >> 8);
			p[5] = (uint8_t)range;
			continue;
		}
		return rg_fail(g, t, "could not parse BGP PrefixSid attribute: unexpected %s", token_describe(t));
	}
	wb_reset(&g->tmp);
	wb_u8(&g->tmp, 1); /* Label-Index TLV */
	wb_u16(&g->tmp, 7);
	wb_u8(&g->tmp, 0);
	wb_u16(&g->tmp, 0);
	wb_u32(&g->tmp, (uint32_t)index);
	if (nsrgb) {
		wb_u8(&g->tmp, 3); /* Originator SRGB TLV */
		wb_u16(&g->tmp, (uint16_t)(2 + 6 * nsrgb));
		wb_u16(&g->tmp, 0);
		wb_bytes(&g->tmp, srgb, 6 * nsrgb);
	}
	return rg_set_attr(g, kw, ATTR_PREFIX_SID, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, g->tmp.data, g->tmp.len);
}


/* bgp-prefix-sid-srv6 ( ipv6 ADDR ) | ( vpn ADDR ) | ( l3vpn ADDR ): one
 * TLV in a Prefix-SID attribute, as ExaBGP 4.2 writes it (drafts that
 * preceded RFC 9252):
 *   ipv6:  type 2, length 19: reserved (1), flags (2), the SID (16)
 *   vpn:   type 4, length 19: reserved (1), SID type (1), SID flags (1), the SID
 *   l3vpn: type 5, length 21: reserved (1), the SID, SID flags (1),
 *          endpoint behavior 0xFFFF (2), reserved (1) */
int rg_kw_prefix_sid_srv6(KW_ARGS)
{
	(void)r;
	const struct token *t = next(c), *tk, *ta, *te;
	if (!t || t->type != TOK_LPAREN)
		return rg_fail(g, t ? t : kw, "could not parse BGP PrefixSid Srv6 attribute: expecting (");
	tk = next(c);
	ta = next(c);
	te = next(c);
	int type;
	if (is_value(tk) && !strcasecmp(tk->s, "ipv6"))
		type = 2;
	else if (is_value(tk) && !strcasecmp(tk->s, "vpn"))
		type = 4;
	else if (is_value(tk) && !strcasecmp(tk->s, "l3vpn"))
		type = 5;
	else
		return rg_fail(g, tk ? tk : t, "could not parse BGP PrefixSid Srv6 attribute: expecting ipv6, vpn or l3vpn");
	struct ip_addr sid;
	if (!is_value(ta) || av_ip(ta->s, &sid) < 0 || sid.afi != AFI_IPV6)
		return rg_fail(g, ta ? ta : tk, "could not parse BGP PrefixSid Srv6 attribute: expecting an IPv6 SID");
	if (!te || te->type != TOK_RPAREN)
		return rg_fail(g, te ? te : ta, "could not parse BGP PrefixSid Srv6 attribute: expecting )");
	uint8_t v[24];
	size_t n = 0;
	v[n++] = (uint8_t)type;
	if (type == 5) {
		put_u16(v + n, 21);
		n += 2;
		v[n++] = 0;
		memcpy(v + n, sid.addr, 16);
		n += 16;
		v[n++] = 0;
		put_u16(v + n, 0xFFFF);
		n += 2;
		v[n++] = 0;
	} else {
		put_u16(v + n, 19);
		n += 2;
		v[n++] = 0;
		v[n++] = 0;
		v[n++] = 0;
		memcpy(v + n, sid.addr, 16);
		n += 16;
	}
	return rg_set_attr(g, kw, ATTR_PREFIX_SID, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, v, n);
}

/* ------------------------------------------------------------ NLRI kinds */

static int build_prefix(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
			size_t *len)
{
	(void)g;
	(void)r;
	*len = prefix_nlri_encode(out, addr, plen);
	return 0;
}

static int build_labeled(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
			 size_t *len)
{
	*len = labeled_nlri_encode(out, r->labels, r->nlabels, NULL, addr, plen);
	if (!*len)
		return rg_fail_at(g, r->label_at, "too many labels for a /%u prefix (the NLRI is longer than 255 bits)",
				  plen);
	return 0;
}

static int build_vpn(struct rg_ctx *g, const struct rg_route *r, const uint8_t *addr, uint8_t plen, uint8_t *out,
		     size_t *len)
{
	*len = vpn_nlri_encode(out, r->labels, r->nlabels, r->rd, addr, plen);
	if (!*len)
		return rg_fail_at(g, r->label_at, "too many labels for a /%u VPN prefix (the NLRI is longer than 255 bits)",
				  plen);
	return 0;
}

/* The prefix-like layouts a route statement can write (family.h). */
static const struct rg_nlri_kind nlri_kinds[] = {
	{NLRI_KIND_PREFIX, build_prefix},
	{NLRI_KIND_LABELED, build_labeled},
	{NLRI_KIND_VPN, build_vpn},
};

const struct rg_nlri_kind *rg_find_kind(int fam)
{
	if (fam < 0 || fam >= FAM_COUNT)
		return NULL;
	for (size_t i = 0; i < sizeof(nlri_kinds) / sizeof(nlri_kinds[0]); i++)
		if (nlri_kinds[i].kind == family_table[fam].kind)
			return &nlri_kinds[i];
	return NULL;
}
