/* UPDATE decoding with RFC 7606 error handling (see update_parse.h).
 *
 * Severity only ever rises: OK -> treat-as-withdraw -> session reset.  The
 * attributes are all walked even after a treat-as-withdraw, because a later
 * one may still demand a reset (a second MP_REACH_NLRI) and because the
 * MP_REACH/MP_UNREACH prefixes must be known to withdraw them. */
#include "update/update_parse.h"

#include <stddef.h>
#include <string.h>

#include "nlri/nlri_decode.h"
#include "wire/notification.h"

/* ---- prefix fields ---- */

void prefix_iter_init(struct prefix_iter *it, const struct rbuf *field, uint16_t afi, int addpath)
{
	rb_init(&it->r, field->p, field->len);
	it->max_bits = afi == AFI_IPV6 ? 128 : 32;
	it->addpath = addpath ? 1 : 0;
}

int prefix_iter_next(struct prefix_iter *it, struct prefix *p)
{
	if (!rb_left(&it->r))
		return 0;
	p->path_id = 0;
	if (it->addpath && rb_u32(&it->r, &p->path_id) < 0)
		return -1;
	if (rb_u8(&it->r, &p->plen) < 0 || p->plen > it->max_bits)
		return -1;
	size_t n = (p->plen + 7u) / 8u;
	memset(p->addr, 0, sizeof(p->addr));
	if (rb_bytes(&it->r, p->addr, n) < 0)
		return -1;
	if (p->plen % 8) /* RFC 4271 4.3: trailing bits are irrelevant */
		p->addr[n - 1] &= (uint8_t)(0xFF << (8 - p->plen % 8));
	p->nlri[0] = p->plen;
	memcpy(p->nlri + 1, p->addr, n);
	p->nlri_len = (uint8_t)(n + 1);
	return 1;
}

long prefix_field_check(const struct rbuf *field, uint16_t afi, int addpath)
{
	struct prefix_iter it;
	struct prefix p;
	long n = 0;
	int rc;
	prefix_iter_init(&it, field, afi, addpath);
	while ((rc = prefix_iter_next(&it, &p)) == 1)
		n++;
	return rc < 0 ? -1 : n;
}

/* ---- verdicts ---- */

static void set_reset(struct update_msg *m, uint8_t code, uint8_t sub, const uint8_t *data, size_t dlen,
		      const char *reason)
{
	if (m->verdict == UPDATE_RESET)
		return; /* keep the first reason */
	m->verdict = UPDATE_RESET;
	m->err_code = code;
	m->err_sub = sub;
	m->err_data = data;
	m->err_data_len = dlen;
	m->reason = reason;
}

static void set_withdraw(struct update_msg *m, uint8_t code, const char *reason)
{
	if (m->verdict != UPDATE_OK)
		return;
	m->verdict = UPDATE_TREAT_AS_WITHDRAW;
	m->err_attr = code;
	m->reason = reason;
}

const struct update_attr *update_attr_find(const struct update_msg *m, uint8_t code)
{
	int i = m->attr_idx[code];
	return i < 0 ? NULL : &m->attr[i];
}

/* The value of an attribute that passed validation, NULL otherwise. */
static const struct update_attr *ok_attr(const struct update_msg *m, uint8_t code)
{
	const struct update_attr *a = update_attr_find(m, code);
	return a && a->action == ATTR_OK ? a : NULL;
}

static int family_allowed(const struct update_parse_opts *o, int fam)
{
	if (!o->families)
		return 1;
	return fam >= 0 && (o->families & FAM_BIT(fam));
}

static int addpath_for(const struct update_parse_opts *o, int fam)
{
	return fam >= 0 && (o->addpath_rx & FAM_BIT(fam));
}

/* ---- MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 3, 4) ---- */

/* Next-hop field lengths: plain 4/16/32, or each address preceded by a zero
 * route distinguisher for VPN families (RFC 4364 / 4659 / 8950): 12, 24,
 * 48; 40 is one RD before global + link-local, as ExaBGP reads it. */
static int decode_mp_nexthop(const uint8_t *p, size_t len, struct nexthop *nh)
{
	memset(nh, 0, sizeof(*nh));
	switch (len) {
	case 0:
		nh->kind = NH_NONE;
		return 0;
	case 4:
	case 16:
	case 32:
		memcpy(nh->addr, p, len);
		nh->len = (uint8_t)len;
		break;
	case 12:
	case 24:
	case 40:
		memcpy(nh->addr, p + 8, len - 8);
		nh->len = (uint8_t)(len - 8);
		break;
	case 48:
		memcpy(nh->addr, p + 8, 16);
		memcpy(nh->addr + 16, p + 32, 16);
		nh->len = 32;
		break;
	default:
		return -1;
	}
	nh->kind = NH_IP;
	return 0;
}

/* The NLRI of an MP attribute, by the family's codec (RFC 7606 5.3, 7.11;
 * RFC 8955 7): a field that cannot be walked resets the session with an
 * Optional Attribute Error (RFC 4760 7) carrying the attribute, as
 * fastbgp has no AFI/SAFI disable; a FlowSpec rule malformed inside an
 * NLRI whose length is right is treat-as-withdraw. */
static void check_mp_nlri(struct update_msg *m, const struct update_attr *a, const struct update_parse_opts *o,
			  int fam, const struct rbuf *field, bool withdraw)
{
	const char *reason;
	switch (nlri_field_validate(fam, field->p, field->len, addpath_for(o, fam), withdraw, &reason)) {
	case NLRI_FIELD_OK:
		break;
	case NLRI_FIELD_WITHDRAW:
		set_withdraw(m, a->code, reason);
		break;
	case NLRI_FIELD_RESET:
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL_ATTR, a->val - a->hdr_len, a->hdr_len + (size_t)a->len,
			  reason);
		break;
	}
}

static void parse_mp_reach(struct update_msg *m, const struct update_attr *a, const struct update_parse_opts *o)
{
	struct rbuf r;
	uint8_t nhlen, reserved;
	const uint8_t *hdr = a->val - a->hdr_len;
	size_t whole = a->hdr_len + (size_t)a->len;
	rb_init(&r, a->val, a->len);
	/* Length was checked by the table: AFI, SAFI, length, next-hop, reserved. */
	if (rb_u16(&r, &m->mp_afi) < 0 || rb_u8(&r, &m->mp_safi) < 0 || rb_u8(&r, &nhlen) < 0 ||
	    rb_sub(&r, nhlen, &m->mp_nh_raw) < 0 || rb_u8(&r, &reserved) < 0) {
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL_ATTR, hdr, whole, "MP_REACH_NLRI too short");
		return;
	}
	(void)reserved; /* RFC 4760 3: ignored on receipt */
	rb_sub(&r, rb_left(&r), &m->mp_nlri);
	m->has_mp_reach = 1;
	m->mp_family = family_find(m->mp_afi, m->mp_safi);
	if (!family_allowed(o, m->mp_family)) {
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL_ATTR, hdr, whole,
			  "MP_REACH_NLRI for a family that was not negotiated");
		return;
	}
	if (decode_mp_nexthop(m->mp_nh_raw.p, m->mp_nh_raw.len, &m->mp_nh) < 0 ||
	    !family_nh_len_ok(m->mp_family, nhlen)) { /* RFC 7606 7.11 */
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL_ATTR, hdr, whole,
			  "MP_REACH_NLRI next-hop length is invalid");
		return;
	}
	check_mp_nlri(m, a, o, m->mp_family, &m->mp_nlri, false);
}

static void parse_mp_unreach(struct update_msg *m, const struct update_attr *a, const struct update_parse_opts *o)
{
	struct rbuf r;
	const uint8_t *hdr = a->val - a->hdr_len;
	size_t whole = a->hdr_len + (size_t)a->len;
	rb_init(&r, a->val, a->len);
	if (rb_u16(&r, &m->mpu_afi) < 0 || rb_u8(&r, &m->mpu_safi) < 0) {
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL_ATTR, hdr, whole, "MP_UNREACH_NLRI too short");
		return;
	}
	rb_sub(&r, rb_left(&r), &m->mpu_nlri);
	m->has_mp_unreach = 1;
	m->mpu_family = family_find(m->mpu_afi, m->mpu_safi);
	if (!family_allowed(o, m->mpu_family)) {
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_OPTIONAL_ATTR, hdr, whole,
			  "MP_UNREACH_NLRI for a family that was not negotiated");
		return;
	}
	check_mp_nlri(m, a, o, m->mpu_family, &m->mpu_nlri, true);
}

/* ---- the attribute list ---- */

/* RFC 7606 3.c: an attribute whose Optional/Transitive bits conflict with
 * its type is malformed and treat-as-withdraw, "unless the specification
 * for the attribute mandates different handling"; RFC 4760 mandates none
 * for the flags of MP_REACH_NLRI / MP_UNREACH_NLRI (its section 7 and
 * RFC 7606 7.11 are about the contents).  The flags are not needed to
 * locate the NLRI (the length is), so when the contents parse and the
 * family is negotiated, the least drastic safe outcome is treat-as-withdraw
 * of exactly those NLRI; contents that do not parse still reset the
 * session (RFC 7606 5.3: the NLRI cannot be trusted, and fastbgp has no
 * AFI/SAFI disable). */
static bool mp_flags_conflict(uint8_t code, uint8_t flags)
{
	if (code != ATTR_MP_REACH_NLRI && code != ATTR_MP_UNREACH_NLRI)
		return false;
	return (flags & (ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE)) != attr_def_get(code)->flags;
}

static void parse_attributes(struct update_msg *m, const struct update_parse_opts *o)
{
	struct attr_ctx ctx = {o->asn4, o->ebgp};
	struct rbuf r = m->attrs;
	while (rb_left(&r) && m->verdict != UPDATE_RESET) {
		const uint8_t *start = rb_cur(&r);
		uint8_t flags, code, l8;
		uint16_t len;
		struct rbuf val;
		/* RFC 7606 4: a header or value running past the attribute
		 * field is treat-as-withdraw; the NLRI field is still found
		 * through the total attribute length. */
		if (rb_u8(&r, &flags) < 0 || rb_u8(&r, &code) < 0) {
			set_withdraw(m, 0, "truncated attribute header");
			return;
		}
		if (flags & ATTR_FLAG_EXTLEN) {
			if (rb_u16(&r, &len) < 0) {
				set_withdraw(m, code, "truncated attribute header");
				return;
			}
		} else {
			if (rb_u8(&r, &l8) < 0) {
				set_withdraw(m, code, "truncated attribute header");
				return;
			}
			len = l8;
		}
		if (rb_sub(&r, len, &val) < 0) {
			set_withdraw(m, code, "attribute runs past the attribute field");
			return;
		}
		if (m->attr_idx[code] >= 0) { /* RFC 7606 3.g */
			if (code == ATTR_MP_REACH_NLRI || code == ATTR_MP_UNREACH_NLRI) {
				set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_ATTR_LIST, NULL, 0,
					  "MP_REACH_NLRI or MP_UNREACH_NLRI appears twice");
				m->err_attr = code;
				return;
			}
			m->duplicates++;
			continue;
		}
		struct update_attr *a = &m->attr[m->nattr];
		m->attr_idx[code] = (int16_t)m->nattr++;
		a->code = code;
		a->flags = flags;
		a->hdr_len = (uint8_t)(val.p - start);
		a->len = len;
		a->val = val.p;
		struct attr_verdict v;
		bool mp_flags_wrong = mp_flags_conflict(code, flags);
		/* The value of an MP attribute with wrong flags is still checked
		 * as if the flags were right (see mp_flags_conflict). */
		attr_validate(code, mp_flags_wrong ? attr_def_get(code)->flags : flags, val.p, len, &ctx, &v);
		a->action = v.action;
		if (mp_flags_wrong && v.action == ATTR_OK)
			set_withdraw(m, code, code == ATTR_MP_REACH_NLRI ? "MP_REACH_NLRI attribute flags are wrong"
									  : "MP_UNREACH_NLRI attribute flags are wrong");
		switch (v.action) {
		case ATTR_OK:
			if (code == ATTR_MP_REACH_NLRI)
				parse_mp_reach(m, a, o);
			else if (code == ATTR_MP_UNREACH_NLRI)
				parse_mp_unreach(m, a, o);
			break;
		case ATTR_DISCARD:
			m->discarded++;
			break;
		case ATTR_TREAT_AS_WITHDRAW:
			set_withdraw(m, code, v.reason);
			break;
		default:
			set_reset(m, v.code, v.subcode, start, (size_t)(rb_cur(&r) - start), v.reason);
			m->err_attr = code;
			break;
		}
	}
}

/* RFC 7606 3.d: with NLRI present, ORIGIN and AS_PATH (and NEXT_HOP for the
 * NLRI field) must be there, else treat-as-withdraw. */
static void check_mandatory(struct update_msg *m)
{
	int v4 = m->nlri.len > 0;
	int mp = m->has_mp_reach && m->mp_nlri.len > 0;
	if (!v4 && !mp)
		return;
	if (!update_attr_find(m, ATTR_ORIGIN))
		set_withdraw(m, ATTR_ORIGIN, "missing ORIGIN");
	else if (!update_attr_find(m, ATTR_AS_PATH))
		set_withdraw(m, ATTR_AS_PATH, "missing AS_PATH");
	else if (v4 && !update_attr_find(m, ATTR_NEXT_HOP))
		set_withdraw(m, ATTR_NEXT_HOP, "missing NEXT_HOP");
}

/* RFC 4271 6.3: a NEXT_HOP that is semantically incorrect is logged and the
 * route ignored; RFC 7606 7.3 makes that treat-as-withdraw.  Incorrect:
 * 0.0.0.0 (RFC 1122 3.2.1.3: "this host", never a destination),
 * 224.0.0.0/4 (a multicast group cannot be a next hop, RFC 1112) and
 * the address of the receiving speaker itself.  The
 * peer's own address is the usual eBGP next hop (RFC 4271 6.3, 5.1.3) and
 * is accepted.  Only the NEXT_HOP attribute is checked: RFC 4760 3 has an
 * UPDATE with MP_REACH_NLRI alone ignore it. */
static void check_nexthop(struct update_msg *m, const struct update_parse_opts *o)
{
	const uint8_t *a = m->nh.addr;
	uint32_t v = get_u32(a);
	if (v == 0)
		set_withdraw(m, ATTR_NEXT_HOP, "NEXT_HOP is 0.0.0.0");
	else if ((v & 0xF0000000u) == 0xE0000000u)
		set_withdraw(m, ATTR_NEXT_HOP, "NEXT_HOP is a multicast address");
	else if (o->has_self4 && !memcmp(a, o->self4, 4))
		set_withdraw(m, ATTR_NEXT_HOP, "NEXT_HOP is our own address");
}

/* RFC 4271 6.3 lets an eBGP speaker check that the leftmost AS of AS_PATH
 * is the peer's (a Malformed AS_PATH there); RFC 7606 7.2 revises the
 * outcome to treat-as-withdraw.  The path must start with an AS_SEQUENCE
 * whose first AS is the peer's; an empty path fails too (an eBGP peer
 * always prepends its AS, RFC 4271 5.1.2).  With a 2-octet session the
 * OPEN's AS is compared (AS_TRANS for a 4-octet AS, as the path has it). */
static void check_first_as(struct update_msg *m, const struct update_parse_opts *o)
{
	const struct update_attr *a = ok_attr(m, ATTR_AS_PATH);
	if (!a)
		return; /* missing or malformed: already handled */
	size_t asn = o->asn4 ? 4 : 2;
	uint32_t first = 0;
	bool ok = a->len >= 2 + asn && a->val[0] == AS_SEQUENCE && a->val[1] > 0;
	if (ok) {
		first = o->asn4 ? get_u32(a->val + 2) : get_u16(a->val + 2);
		ok = first == o->first_as || (!o->asn4 && o->first_as > 0xFFFF && first == AS_TRANS);
	}
	if (!ok)
		set_withdraw(m, ATTR_AS_PATH, "leftmost AS of AS_PATH is not the peer's AS");
}

/* ---- building the interned sets ---- */

static int is_set_member(uint8_t code)
{
	switch (code) {
	case ATTR_NEXT_HOP:
	case ATTR_MP_REACH_NLRI:
	case ATTR_MP_UNREACH_NLRI:
	case ATTR_AS4_PATH:
	case ATTR_AS4_AGGREGATOR:
		return 0;
	default:
		return 1;
	}
}

/* AS_PATH and AGGREGATOR in 4-octet form (RFC 6793 4.2.3 for OLD peers). */
static int add_as_attributes(struct attr_builder *b, const struct update_msg *m, const struct update_parse_opts *o,
			     struct wbuf *tmp)
{
	const struct update_attr *path = ok_attr(m, ATTR_AS_PATH);
	const struct update_attr *aggr = ok_attr(m, ATTR_AGGREGATOR);
	const struct update_attr *path4 = ok_attr(m, ATTR_AS4_PATH);
	const struct update_attr *aggr4 = ok_attr(m, ATTR_AS4_AGGREGATOR);
	const struct attr_def *dp = attr_def_get(ATTR_AS_PATH), *da = attr_def_get(ATTR_AGGREGATOR);
	if (o->asn4) {
		if (path && attr_builder_set(b, ATTR_AS_PATH, dp->flags, path->val, path->len) < 0)
			return -1;
		if (aggr && attr_builder_set(b, ATTR_AGGREGATOR, da->flags, aggr->val, aggr->len) < 0)
			return -1;
		return 0;
	}
	int use_as4 = 1;
	if (aggr) {
		uint8_t v8[8];
		uint16_t as = get_u16(aggr->val);
		if (as == AS_TRANS && aggr4) {
			memcpy(v8, aggr4->val, 8);
		} else {
			put_u32(v8, as);
			memcpy(v8 + 4, aggr->val + 2, 4);
			if (as != AS_TRANS) /* the AS4_* attributes are then ignored */
				use_as4 = 0;
		}
		if (attr_builder_set(b, ATTR_AGGREGATOR, da->flags, v8, 8) < 0)
			return -1;
	}
	if (!path)
		return 0;
	wb_reset(tmp);
	aspath_widen(tmp, path->val, path->len);
	if (tmp->err)
		return -1;
	if (use_as4 && path4) {
		struct wbuf merged;
		wb_init(&merged, tmp->len + path4->len);
		aspath_merge_as4(&merged, tmp->data, tmp->len, path4->val, path4->len);
		int rc = merged.err ? -1 : attr_builder_set(b, ATTR_AS_PATH, dp->flags, merged.data, merged.len);
		wb_free(&merged);
		return rc;
	}
	return attr_builder_set(b, ATTR_AS_PATH, dp->flags, tmp->data, tmp->len);
}

/* The set's attributes into b (see struct update_msg). */
static int fill_builder(const struct update_msg *m, const struct update_parse_opts *o, struct attr_builder *b,
			struct update_msg *counts)
{
	struct wbuf tmp;
	int rc = 0;
	wb_init(&tmp, 0);
	attr_builder_reset(b);
	for (unsigned i = 0; i < m->nattr; i++) {
		const struct update_attr *a = &m->attr[i];
		if (a->action != ATTR_OK || !is_set_member(a->code) || a->code == ATTR_AS_PATH ||
		    a->code == ATTR_AGGREGATOR)
			continue;
		const struct attr_def *d = attr_def_get(a->code);
		uint8_t flags = d ? d->flags : (uint8_t)(a->flags | ATTR_FLAG_PARTIAL);
		if (attr_builder_set(b, a->code, flags, a->val, a->len) < 0) {
			if (b->vals.err) {
				rc = -1;
				goto out;
			}
			if (counts)
				counts->discarded++; /* more distinct attributes than a set holds */
		}
	}
	if (add_as_attributes(b, m, o, &tmp) < 0)
		rc = -1;
out:
	wb_free(&tmp);
	return rc;
}

static int build_sets(struct update_msg *m, const struct update_parse_opts *o, struct attr_pool *pool,
		      struct attr_builder *b)
{
	if (fill_builder(m, o, b, m) < 0)
		return -1;
	if (m->nlri.len) {
		b->nh = m->nh;
		if (!(m->set = attr_pool_intern(pool, b)))
			return -1;
	}
	if (m->has_mp_reach && m->mp_nlri.len) {
		b->nh = m->mp_nh;
		if (!(m->mp_set = attr_pool_intern(pool, b)))
			return -1;
	}
	return 0;
}

struct attrset *update_attrs_interned(const struct update_msg *m, int asn4, struct attr_pool *pool)
{
	struct update_parse_opts o;
	memset(&o, 0, sizeof(o));
	o.asn4 = asn4;
	struct attr_builder b;
	attr_builder_init(&b);
	struct attrset *set = fill_builder(m, &o, &b, NULL) < 0 ? NULL : attr_pool_intern(pool, &b);
	attr_builder_free(&b);
	return set;
}

void update_msg_release(struct update_msg *m, struct attr_pool *pool)
{
	if (m->set)
		attrset_unref(pool, m->set);
	if (m->mp_set)
		attrset_unref(pool, m->mp_set);
	m->set = m->mp_set = NULL;
}

/* ---- the message ---- */

int update_parse(const uint8_t *body, size_t len, const struct update_parse_opts *opts, struct attr_pool *pool,
		 struct update_msg *m)
{
	struct rbuf r;
	uint16_t wlen, alen;

	memset(m, 0, offsetof(struct update_msg, attr));
	memset(m->attr_idx, 0xFF, sizeof(m->attr_idx));
	m->duplicates = m->discarded = 0;
	m->verdict = UPDATE_OK;
	m->err_code = m->err_sub = m->err_attr = 0;
	m->err_data = NULL;
	m->err_data_len = 0;
	m->reason = NULL;
	m->set = m->mp_set = NULL;
	m->mp_family = m->mpu_family = -1;

	rb_init(&r, body, len);
	if (rb_u16(&r, &wlen) < 0 || rb_sub(&r, wlen, &m->withdrawn) < 0 || rb_u16(&r, &alen) < 0 ||
	    rb_sub(&r, alen, &m->attrs) < 0) {
		/* RFC 7606 5.1 / RFC 4271 6.3 */
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_ATTR_LIST, NULL, 0,
			  "withdrawn or attribute length exceeds the message");
		return m->verdict;
	}
	rb_sub(&r, rb_left(&r), &m->nlri);

	if (!wlen && !alen && !m->nlri.len) { /* RFC 4724 2: IPv4 unicast End-of-RIB */
		m->eor = 1;
		m->eor_afi = AFI_IPV4;
		m->eor_safi = SAFI_UNICAST;
		return m->verdict;
	}

	int ap4 = addpath_for(opts, FAM_IPV4_UNICAST);
	if (prefix_field_check(&m->withdrawn, AFI_IPV4, ap4) < 0) {
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_NETWORK, NULL, 0, "malformed withdrawn routes");
		return m->verdict;
	}
	if (prefix_field_check(&m->nlri, AFI_IPV4, ap4) < 0) {
		set_reset(m, BGP_ERR_UPDATE, BGP_ERR_UPD_NETWORK, NULL, 0, "malformed NLRI");
		return m->verdict;
	}

	parse_attributes(m, opts);
	if (m->verdict == UPDATE_RESET)
		return m->verdict;

	const struct update_attr *nh = ok_attr(m, ATTR_NEXT_HOP);
	if (nh) {
		m->has_nexthop = 1;
		m->nh.kind = NH_IP;
		m->nh.len = 4;
		memcpy(m->nh.addr, nh->val, 4);
	}

	/* RFC 4724 2: an MP_UNREACH_NLRI with no prefixes and nothing else. */
	if (m->nattr == 1 && m->has_mp_unreach && !m->mpu_nlri.len && !m->withdrawn.len && !m->nlri.len &&
	    !m->duplicates) {
		m->eor = 1;
		m->eor_afi = m->mpu_afi;
		m->eor_safi = m->mpu_safi;
		return m->verdict;
	}

	check_mandatory(m);
	if (m->nlri.len && m->has_nexthop)
		check_nexthop(m, opts);
	if (opts->ebgp && opts->first_as && (m->nlri.len || (m->has_mp_reach && m->mp_nlri.len)))
		check_first_as(m, opts);

	if (m->verdict == UPDATE_OK && pool && (m->nlri.len || (m->has_mp_reach && m->mp_nlri.len))) {
		struct attr_builder local, *b = opts->scratch;
		if (!b) {
			attr_builder_init(&local);
			b = &local;
		}
		int rc = build_sets(m, opts, pool, b);
		if (b == &local)
			attr_builder_free(&local);
		if (rc < 0) {
			update_msg_release(m, pool);
			set_reset(m, BGP_ERR_CEASE, BGP_CEASE_OUT_OF_RESOURCES, NULL, 0,
				  "out of memory while interning attributes");
		}
	}
	return m->verdict;
}
