/* OPEN message encode/decode and capability negotiation (see open.h). */
#include "wire/open.h"

#include <stdbool.h>
#include <string.h>

#include "wire/header.h"
#include "wire/notification.h"

/* One optional parameter holding one capability: [2][len+2][code][len][value]. */
static void put_capability(struct wbuf *w, uint8_t code, const uint8_t *val, size_t len)
{
	wb_u8(w, OPT_PARAM_CAPABILITIES);
	wb_u8(w, (uint8_t)(len + 2));
	wb_u8(w, code);
	wb_u8(w, (uint8_t)len);
	wb_bytes(w, val, len);
}

void open_encode(struct wbuf *w, const struct bgp_open *o)
{
	const struct capabilities *c = &o->caps;
	size_t start = bgp_msg_begin(w, BGP_MSG_OPEN);
	wb_u8(w, o->version ? o->version : BGP_VERSION);
	wb_u16(w, o->my_as);
	wb_u16(w, o->hold_time);
	wb_u32(w, o->router_id);
	size_t optlen = wb_reserve(w, 1);
	size_t optstart = w->len;
	uint8_t v[256];

	for (int f = 0; f < FAM_COUNT; f++) {
		if (!(c->mp & FAM_BIT(f)))
			continue;
		put_u16(v, family_table[f].afi);
		v[2] = 0;
		v[3] = family_table[f].safi;
		put_capability(w, CAP_MULTIPROTOCOL, v, 4);
	}
	if (c->asn4) {
		put_u32(v, c->asn4_value);
		put_capability(w, CAP_ASN4, v, 4);
	}
	if (c->has_nexthop) {
		size_t n = 0;
		for (int i = 0; i < c->nnexthop && n + 6 <= sizeof(v); i++) {
			/* RFC 8950: AFI(2) SAFI(2) next-hop AFI(2). */
			put_u16(v + n, c->nexthop[i].afi);
			put_u16(v + n + 2, c->nexthop[i].safi);
			put_u16(v + n + 4, c->nexthop[i].nh_afi);
			n += 6;
		}
		put_capability(w, CAP_EXTENDED_NEXTHOP, v, n);
	}
	if (c->has_add_path) {
		/* ExaBGP 4.2 offers ADD-PATH for the families the table ranks
		 * (family_def.addpath), in that order. */
		size_t n = 0;
		for (int rank = 1; rank <= FAM_COUNT && n + 4 <= sizeof(v); rank++) {
			int f;
			for (f = 0; f < FAM_COUNT && family_table[f].addpath != rank; f++)
				;
			if (f == FAM_COUNT)
				break;
			if (!c->add_path[f])
				continue;
			put_u16(v + n, family_table[f].afi);
			v[n + 2] = family_table[f].safi;
			v[n + 3] = c->add_path[f];
			n += 4;
		}
		put_capability(w, CAP_ADD_PATH, v, n);
	}
	if (c->npaths_limit) {
		size_t n = 0;
		for (int i = 0; i < c->npaths_limit && n + 5 <= sizeof(v); i++) {
			const struct family_def *fd = &family_table[c->paths_limit[i].family];
			put_u16(v + n, fd->afi);
			v[n + 2] = fd->safi;
			put_u16(v + n + 3, c->paths_limit[i].limit);
			n += 5;
		}
		put_capability(w, CAP_PATHS_LIMIT, v, n);
	}
	if (c->graceful_restart) {
		size_t n = 0;
		put_u16(v, (uint16_t)(((c->gr_flags & 0xF) << 12) | (c->gr_time & 0x0FFF)));
		n = 2;
		for (int f = 0; f < FAM_COUNT && n + 4 <= sizeof(v); f++) {
			if (!(c->gr_families & FAM_BIT(f)))
				continue;
			put_u16(v + n, family_table[f].afi);
			v[n + 2] = family_table[f].safi;
			v[n + 3] = (c->gr_forwarding & FAM_BIT(f)) ? GR_FORWARDING_STATE : 0;
			n += 4;
		}
		put_capability(w, CAP_GRACEFUL_RESTART, v, n);
	}
	if (c->route_refresh)
		put_capability(w, CAP_ROUTE_REFRESH, NULL, 0);
	if (c->enhanced_route_refresh)
		put_capability(w, CAP_ENHANCED_ROUTE_REFRESH, NULL, 0);
	if (c->operational)
		put_capability(w, CAP_OPERATIONAL, NULL, 0);
	if (c->extended_message)
		put_capability(w, CAP_EXTENDED_MESSAGE, NULL, 0);
	if (c->has_hostname && c->host_name[0]) {
		/* ExaBGP 5 sends no capability without a host name, and an
		 * empty domain as a zero length. */
		size_t hl = strnlen(c->host_name, CAP_NAME_MAX), dl = strnlen(c->domain_name, CAP_NAME_MAX);
		v[0] = (uint8_t)hl;
		memcpy(v + 1, c->host_name, hl);
		v[1 + hl] = (uint8_t)dl;
		memcpy(v + 2 + hl, c->domain_name, dl);
		put_capability(w, CAP_FQDN, v, 2 + hl + dl);
	}
	if (c->has_software_version) {
		size_t sl = strnlen(c->software_version, CAP_NAME_MAX);
		v[0] = (uint8_t)sl;
		memcpy(v + 1, c->software_version, sl);
		put_capability(w, CAP_SOFTWARE_VERSION, v, 1 + sl);
	}
	if (c->link_local_nexthop)
		put_capability(w, CAP_LINK_LOCAL_NEXTHOP, NULL, 0);
	if (c->multisession) {
		/* ExaBGP 4.2 sends two capability entries: [0] and [MP code]. */
		v[0] = 0;
		put_capability(w, CAP_MULTISESSION, v, 1);
		v[0] = CAP_MULTIPROTOCOL;
		put_capability(w, CAP_MULTISESSION, v, 1);
	}
	wb_patch8(w, optlen, (uint8_t)(w->len - optstart));
	bgp_msg_end(w, start);
}

static void keep_unknown(struct capabilities *c, uint8_t code, const uint8_t *val, size_t len)
{
	if (c->unknown_len + 2 + len > sizeof(c->unknown))
		return; /* display only: dropping the excess is harmless */
	c->unknown[c->unknown_len++] = code;
	c->unknown[c->unknown_len++] = (uint8_t)len;
	memcpy(c->unknown + c->unknown_len, val, len);
	c->unknown_len += len;
}

/* [len][text] into a NUL-terminated buffer of CAP_NAME_MAX + 1 (longer
 * texts are cut, as display only); -1 when the length overruns. */
static int get_name(struct rbuf *v, char out[CAP_NAME_MAX + 1])
{
	uint8_t l;
	if (rb_u8(v, &l) || rb_left(v) < l)
		return -1;
	size_t keep = l > CAP_NAME_MAX ? CAP_NAME_MAX : l;
	memcpy(out, rb_cur(v), keep);
	out[keep] = '\0';
	rb_skip(v, l);
	return 0;
}

static void decode_paths_limit(struct capabilities *c, struct rbuf *v)
{
	uint16_t afi = 0, limit = 0;
	uint8_t safi = 0;
	while (rb_left(v) >= 5) {
		rb_u16(v, &afi);
		rb_u8(v, &safi);
		rb_u16(v, &limit);
		int f = family_find(afi, safi);
		if (f < 0 || limit == 0)
			continue; /* draft: a limit of 0 means no limit */
		int i;
		for (i = 0; i < c->npaths_limit && c->paths_limit[i].family != f; i++)
			;
		if (i < c->npaths_limit)
			continue; /* the first entry of a family counts */
		c->paths_limit[c->npaths_limit++] = (struct paths_limit){(uint8_t)f, limit};
	}
}

/* RFC 4271 6.2: an optional parameter that is recognized but malformed is
 * an OPEN Message Error with subcode 0 (Unspecific); RFC 5492 defines no
 * subcode of its own for a malformed capability (7, Unsupported
 * Capability, is for one the speaker does not support).  The lengths the
 * capabilities' RFCs fix: Multiprotocol 4 (RFC 4760 8), 4-octet AS 4
 * (RFC 6793 9), Route Refresh, Enhanced Route Refresh and Extended
 * Message 0 (RFC 2918 2, RFC 7313 3.1, RFC 8654 3), Graceful Restart
 * 2 + 4n (RFC 4724 3), ADD-PATH 4n (RFC 7911 4), Extended Next Hop 6n
 * (RFC 8950 3).  Returns false for a length these rule out. */
static bool capability_length_ok(uint8_t code, size_t len)
{
	switch (code) {
	case CAP_MULTIPROTOCOL:
	case CAP_ASN4:
		return len == 4;
	case CAP_ROUTE_REFRESH:
	case CAP_ENHANCED_ROUTE_REFRESH:
	case CAP_EXTENDED_MESSAGE:
		return len == 0;
	case CAP_GRACEFUL_RESTART:
		return len >= 2 && (len - 2) % 4 == 0;
	case CAP_ADD_PATH: /* 0 entries tolerated: our own OPEN has none when no family is offered */
		return len % 4 == 0;
	case CAP_EXTENDED_NEXTHOP:
		return len % 6 == 0;
	default:
		return true;
	}
}

static void decode_capability(struct capabilities *c, uint8_t code, struct rbuf *v)
{
	size_t len = rb_left(v);
	uint16_t afi = 0, u16 = 0;
	uint8_t safi = 0, b = 0, res = 0;
	uint32_t u32 = 0;
	int f;

	switch (code) {
	case CAP_MULTIPROTOCOL:
		if (rb_u16(v, &afi) || rb_u8(v, &res) || rb_u8(v, &safi))
			return;
		f = family_find(afi, safi);
		if (f >= 0)
			c->mp |= FAM_BIT(f);
		break;
	case CAP_ASN4:
		if (!rb_u32(v, &u32)) {
			c->asn4 = true;
			c->asn4_value = u32;
		}
		break;
	case CAP_ROUTE_REFRESH:
		c->route_refresh = true;
		break;
	case CAP_ROUTE_REFRESH_CISCO:
		c->route_refresh_cisco = true;
		break;
	case CAP_ENHANCED_ROUTE_REFRESH:
		c->enhanced_route_refresh = true;
		break;
	case CAP_EXTENDED_MESSAGE:
		c->extended_message = true;
		break;
	case CAP_GRACEFUL_RESTART:
		if (rb_u16(v, &u16))
			return;
		c->graceful_restart = true;
		c->gr_flags = (uint8_t)(u16 >> 12);
		c->gr_time = u16 & 0x0FFF;
		while (rb_left(v) >= 4) {
			rb_u16(v, &afi);
			rb_u8(v, &safi);
			rb_u8(v, &b);
			f = family_find(afi, safi);
			if (f < 0)
				continue;
			c->gr_families |= FAM_BIT(f);
			if (b & GR_FORWARDING_STATE)
				c->gr_forwarding |= FAM_BIT(f);
		}
		break;
	case CAP_ADD_PATH:
		c->has_add_path = true;
		while (rb_left(v) >= 4) {
			rb_u16(v, &afi);
			rb_u8(v, &safi);
			rb_u8(v, &b);
			f = family_find(afi, safi);
			if (f >= 0 && b <= 3)
				c->add_path[f] = b;
		}
		break;
	case CAP_EXTENDED_NEXTHOP:
		c->has_nexthop = true;
		while (rb_left(v) >= 6 && c->nnexthop < MAX_NEXTHOP_CAPS) {
			struct nexthop_cap *n = &c->nexthop[c->nnexthop++];
			rb_u16(v, &n->afi);
			rb_u16(v, &n->safi);
			rb_u16(v, &n->nh_afi);
		}
		break;
	case CAP_MULTISESSION:
	case CAP_MULTISESSION_CISCO:
		c->multisession = true;
		break;
	case CAP_OPERATIONAL:
		c->operational = true;
		break;
	case CAP_FQDN:
		/* a domain may be missing altogether (ExaBGP 5.0 accepts it) */
		if (get_name(v, c->host_name) == 0 && (!rb_left(v) || get_name(v, c->domain_name) == 0))
			c->has_hostname = true;
		break;
	case CAP_SOFTWARE_VERSION:
		c->has_software_version = get_name(v, c->software_version) == 0;
		break;
	case CAP_PATHS_LIMIT:
		decode_paths_limit(c, v);
		break;
	case CAP_LINK_LOCAL_NEXTHOP:
		c->link_local_nexthop = true;
		break;
	default:
		keep_unknown(c, code, rb_cur(v), len);
		break;
	}
}

/* One capability into the listing (see open.h). */
static void list_capability(struct open_listing *l, uint8_t code, const uint8_t *val, uint8_t len)
{
	if (!l->val[code])
		l->order[l->norder++] = code;
	l->val[code] = val;
	l->vlen[code] = len;
	struct rbuf r;
	rb_init(&r, val, len);
	uint16_t afi = 0, safi16 = 0, nh = 0;
	uint8_t res = 0, safi = 0, mode = 0;
	int i;
	switch (code) {
	case CAP_MULTIPROTOCOL:
		if (!rb_u16(&r, &afi) && !rb_u8(&r, &res) && !rb_u8(&r, &safi) && l->nmp < OPEN_LIST_MAX) {
			l->mp[l->nmp].afi = afi;
			l->mp[l->nmp].safi = safi;
			l->nmp++;
		}
		break;
	case CAP_ADD_PATH:
		while (!rb_u16(&r, &afi) && !rb_u8(&r, &safi) && !rb_u8(&r, &mode)) {
			for (i = 0; i < l->nap; i++)
				if (l->ap[i].afi == afi && l->ap[i].safi == safi)
					break;
			if (i == l->nap) {
				if (l->nap == OPEN_LIST_MAX)
					continue;
				l->nap++;
			}
			l->ap[i].afi = afi;
			l->ap[i].safi = safi;
			l->ap[i].mode = mode;
		}
		break;
	case CAP_EXTENDED_NEXTHOP:
		while (!rb_u16(&r, &afi) && !rb_u16(&r, &safi16) && !rb_u16(&r, &nh)) {
			for (i = 0; i < l->nnh; i++)
				if (l->nh[i].afi == afi && l->nh[i].safi == (uint8_t)safi16 && l->nh[i].nh_afi == nh)
					break;
			if (i == l->nnh && l->nnh < OPEN_LIST_MAX) {
				l->nh[i].afi = afi;
				l->nh[i].safi = (uint8_t)safi16;
				l->nh[i].nh_afi = nh;
				l->nnh++;
			}
		}
		break;
	default:
		break;
	}
}

/* The optional parameters field: RFC 5492's 1-octet lengths, or RFC 9072's
 * extended form with 2-octet lengths. */
static int open_params(struct rbuf *r, uint8_t optlen, struct rbuf *params, bool *ext)
{
	*ext = false;
	if (optlen == 255 && rb_left(r) >= 1 && rb_cur(r)[0] == 255) {
		uint16_t elen;
		rb_skip(r, 1);
		if (rb_u16(r, &elen) || rb_sub(r, elen, params))
			return -1;
		*ext = true;
		return 0;
	}
	return rb_sub(r, optlen, params);
}

int open_decode(const uint8_t *body, size_t len, struct bgp_open *o, struct open_listing *l, uint8_t *subcode)
{
	struct rbuf r, params;
	uint8_t optlen;
	bool ext;

	memset(o, 0, sizeof(*o));
	if (l)
		memset(l, 0, sizeof(*l));
	rb_init(&r, body, len);
	*subcode = BGP_ERR_OPEN_UNSPECIFIC;
	if (rb_u8(&r, &o->version) || rb_u16(&r, &o->my_as) || rb_u16(&r, &o->hold_time) ||
	    rb_u32(&r, &o->router_id) || rb_u8(&r, &optlen))
		return -1;
	if (l) {
		l->version = o->version;
		l->asn = o->my_as;
		l->hold_time = o->hold_time;
		l->router_id = o->router_id;
	}
	if (o->version != BGP_VERSION) {
		*subcode = BGP_ERR_OPEN_VERSION;
		return -1;
	}
	if (open_params(&r, optlen, &params, &ext) || rb_left(&r) != 0)
		return -1;
	while (rb_left(&params)) {
		uint8_t ptype, l8;
		uint16_t plen;
		struct rbuf p;
		if (rb_u8(&params, &ptype))
			return -1;
		if (ext ? rb_u16(&params, &plen) : rb_u8(&params, &l8))
			return -1;
		if (!ext)
			plen = l8;
		if (rb_sub(&params, plen, &p))
			return -1;
		if (ptype != OPT_PARAM_CAPABILITIES) {
			*subcode = BGP_ERR_OPEN_OPT_PARAM;
			return -1;
		}
		while (rb_left(&p)) {
			uint8_t code, clen;
			struct rbuf cv;
			if (rb_u8(&p, &code) || rb_u8(&p, &clen) || rb_sub(&p, clen, &cv))
				return -1;
			if (!capability_length_ok(code, clen))
				return -1; /* *subcode: Unspecific */
			if (l)
				list_capability(l, code, rb_cur(&cv), clen);
			decode_capability(&o->caps, code, &cv);
		}
	}
	return 0;
}

void negotiate(const struct bgp_open *ours, const struct bgp_open *theirs, struct negotiated *n)
{
	const struct capabilities *a = &ours->caps, *b = &theirs->caps;
	memset(n, 0, sizeof(*n));
	/* RFC 4760: a peer that sends no MP capability speaks IPv4 unicast only. */
	family_mask peer_mp = b->mp ? b->mp : FAM_BIT(FAM_IPV4_UNICAST);
	family_mask our_mp = a->mp ? a->mp : FAM_BIT(FAM_IPV4_UNICAST);
	n->families = peer_mp & our_mp;
	n->asn4 = a->asn4 && b->asn4;
	n->peer_as = b->asn4 ? b->asn4_value : theirs->my_as;
	n->peer_router_id = theirs->router_id;
	n->hold_time = ours->hold_time < theirs->hold_time ? ours->hold_time : theirs->hold_time;
	n->keepalive = n->hold_time / 3;
	n->max_msg = (a->extended_message && b->extended_message) ? 65535 : 4096;
	n->route_refresh = a->route_refresh && (b->route_refresh || b->route_refresh_cisco);
	n->enhanced_route_refresh = a->enhanced_route_refresh && b->enhanced_route_refresh;
	for (int f = 0; f < FAM_COUNT; f++) {
		if ((a->add_path[f] & ADDPATH_DIR_SEND) && (b->add_path[f] & ADDPATH_DIR_RECEIVE))
			n->addpath_send |= FAM_BIT(f);
		if ((a->add_path[f] & ADDPATH_DIR_RECEIVE) && (b->add_path[f] & ADDPATH_DIR_SEND))
			n->addpath_receive |= FAM_BIT(f);
	}
	n->link_local_nexthop = a->link_local_nexthop && b->link_local_nexthop;
	/* the peer's PATHS-LIMIT binds what we send with ADD-PATH */
	for (int i = 0; i < b->npaths_limit; i++)
		if (n->addpath_send & FAM_BIT(b->paths_limit[i].family))
			n->paths_limit[b->paths_limit[i].family] = b->paths_limit[i].limit;
	for (int i = 0; i < a->nnexthop; i++) {
		int f = family_find(a->nexthop[i].afi, (uint8_t)a->nexthop[i].safi);
		if (f < 0)
			continue;
		for (int j = 0; j < b->nnexthop; j++)
			if (b->nexthop[j].afi == a->nexthop[i].afi && b->nexthop[j].safi == a->nexthop[i].safi &&
			    b->nexthop[j].nh_afi == a->nexthop[i].nh_afi)
				n->extended_nexthop[f] = true;
	}
}
