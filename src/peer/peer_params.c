/* Session parameters of a peer (see peer_params.h). */
#include "peer/peer_params.h"

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "core/log.h"

void peer_build_open(struct peer *p)
{
	const struct neighbor_conf *c = p->conf;
	struct bgp_open *o = &p->ours;
	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = c->local_as > 0xFFFF ? AS_TRANS : (uint16_t)c->local_as;
	o->hold_time = c->hold_time;
	o->router_id = c->router_id;
	struct capabilities *k = &o->caps;
	k->mp = c->families;
	k->asn4 = c->cap.asn4;
	k->asn4_value = c->local_as;
	k->route_refresh = c->cap.route_refresh;
	k->enhanced_route_refresh = c->cap.route_refresh;
	k->extended_message = c->cap.extended_message;
	if (c->cap.graceful_restart >= 0) {
		k->graceful_restart = true;
		k->gr_time = (uint16_t)(c->cap.graceful_restart & 0x0FFF);
		/* RFC 4724 3: the R bit says "I restarted" and lets the peer send
		 * its routes without waiting for our End-of-RIB.  fastbgp keeps no
		 * state across runs, so it cannot tell a first start from a
		 * restart; ExaBGP 4.2 sets the bit on every OPEN (FORCE_GRACEFUL),
		 * and so do we (byte-identical OPEN).  The F bit is set for every
		 * family: our routes come from the configuration and helpers, and
		 * are the same after a restart. */
		k->gr_flags = GR_RESTART_STATE;
		k->gr_families = c->families;
		k->gr_forwarding = c->families;
	}
	if (c->cap.add_path) {
		family_mask fams = c->cap.add_path_families ? c->cap.add_path_families : c->families;
		k->has_add_path = true;
		for (int f = 0; f < FAM_COUNT; f++)
			if (fams & c->families & FAM_BIT(f))
				k->add_path[f] = c->cap.add_path;
	}
	if (c->cap.nexthop == TRI_TRUE || (c->cap.nexthop == TRI_UNSET && c->nnexthops > 0)) {
		k->has_nexthop = true;
		for (int i = 0; i < c->nnexthops && k->nnexthop < MAX_NEXTHOP_CAPS; i++) {
			struct nexthop_cap *n = &k->nexthop[k->nnexthop++];
			n->afi = family_table[c->nexthops[i].family].afi;
			n->safi = family_table[c->nexthops[i].family].safi;
			n->nh_afi = c->nexthops[i].nh_afi;
		}
	}
	k->multisession = c->cap.multi_session;
	k->operational = c->cap.operational;
}

/* RFC 4271 6.2 and RFC 6286: returns 0, or the OPEN error subcode. */
uint8_t peer_check_open(struct peer *p)
{
	const struct neighbor_conf *c = p->conf;
	uint32_t peer_as = p->theirs.caps.asn4 ? p->theirs.caps.asn4_value : p->theirs.my_as;
	if (!c->peer_as_auto && peer_as != c->peer_as) {
		log_error(LOG_NETWORK, "peer %s: OPEN with AS %u, configured peer-as is %u", p->name, peer_as,
			  c->peer_as);
		return BGP_ERR_OPEN_BAD_AS;
	}
	if (p->theirs.router_id == 0) {
		log_error(LOG_NETWORK, "peer %s: OPEN with router-id 0.0.0.0 refused (RFC 6286)", p->name);
		return BGP_ERR_OPEN_BAD_BGP_ID;
	}
	if (peer_as == c->local_as && p->theirs.router_id == c->router_id) {
		log_error(LOG_NETWORK, "peer %s: iBGP peer uses our own router-id", p->name);
		return BGP_ERR_OPEN_BAD_BGP_ID;
	}
	if (p->theirs.hold_time == 1 || p->theirs.hold_time == 2) {
		log_error(LOG_NETWORK, "peer %s: unacceptable hold time %u", p->name, p->theirs.hold_time);
		return BGP_ERR_OPEN_HOLD_TIME;
	}
	return 0;
}

void peer_setup_encoding(struct peer *p)
{
	const struct neighbor_conf *c = p->conf;
	struct pack_opts *o = &p->popts;
	memset(o, 0, sizeof(*o));
	o->enc.ebgp = c->local_as != p->neg.peer_as;
	o->enc.asn4 = p->neg.asn4;
	o->enc.local_as = c->local_as;
	o->enc.max_msg = p->neg.max_msg;
	o->families = p->neg.families;
	o->addpath = p->neg.addpath_send;
	o->group_updates = c->group_updates;
	/* next-hop self is the configured local-address, or the socket's. */
	struct ip_addr la = c->local_address;
	if (!la.afi || c->local_address_auto) {
		struct sockaddr_storage ss;
		int len = sizeof(ss);
		if (p->tcp && uv_tcp_getsockname(p->tcp, (struct sockaddr *)&ss, &len) == 0) {
			if (ss.ss_family == AF_INET) {
				la.afi = AFI_IPV4;
				memcpy(la.addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
			} else {
				la.afi = AFI_IPV6;
				memcpy(la.addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
			}
		}
	}
	if (la.afi == AFI_IPV4) {
		o->enc.has_self4 = true;
		memcpy(o->enc.self4, la.addr, 4);
	} else if (la.afi == AFI_IPV6) {
		o->enc.has_self6 = true;
		o->enc.self_is_v6 = true;
		memcpy(o->enc.self6, la.addr, 16);
	}
}

