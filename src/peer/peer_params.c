/* Session parameters of a peer (see peer_params.h). */
#include "peer/peer_params.h"

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "config/cli.h"
#include "core/log.h"
#include "peer/speaker.h"

/* ExaBGP 5.0's defaults for the hostname capability: the host's name up to
 * its first dot, and (util/dns.py takes the first label of the FQDN) the
 * same label as domain.  No resolver call: the loop must not block. */
static void system_host_label(char out[CAP_NAME_MAX + 1])
{
	char h[256];
	if (gethostname(h, sizeof(h) - 1) < 0 || !h[0])
		strcpy(h, "localhost");
	h[sizeof(h) - 1] = '\0';
	size_t l = strcspn(h, ".");
	if (l > CAP_NAME_MAX)
		l = CAP_NAME_MAX;
	memcpy(out, h, l);
	out[l] = '\0';
}

static void copy_name(char out[CAP_NAME_MAX + 1], const char *s)
{
	size_t l = strnlen(s, CAP_NAME_MAX);
	memcpy(out, s, l);
	out[l] = '\0';
}

/* PATHS-LIMIT in ExaBGP 5's order: by AFI (IPv4, IPv6, the others), then as written. */
static void build_paths_limit(struct capabilities *k, const struct neighbor_conf *c)
{
	static const uint16_t afi_order[] = {AFI_IPV4, AFI_IPV6, 0};
	for (size_t a = 0; a < sizeof(afi_order) / sizeof(afi_order[0]); a++) {
		for (int seq = 1; seq <= FAM_COUNT; seq++) {
			for (int f = 0; f < FAM_COUNT; f++) {
				uint16_t afi = family_table[f].afi;
				bool in_group = afi_order[a] ? afi == afi_order[a] : afi != AFI_IPV4 && afi != AFI_IPV6;
				if (c->cap.paths_limit_seq[f] == seq && c->cap.paths_limit[f] && in_group &&
				    k->add_path[f] & ADDPATH_DIR_RECEIVE)
					k->paths_limit[k->npaths_limit++] = (struct paths_limit){(uint8_t)f, c->cap.paths_limit[f]};
			}
		}
	}
}

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
	build_paths_limit(k, c);
	if (p->sp && p->sp->opts.exabgp_version >= 5) {
		k->has_hostname = true;
		if (c->host_name)
			copy_name(k->host_name, c->host_name);
		else
			system_host_label(k->host_name);
		if (c->domain_name)
			copy_name(k->domain_name, c->domain_name);
		else
			system_host_label(k->domain_name);
	}
	if (c->cap.software_version) {
		/* ExaBGP 5 sends "ExaBGP/<release>"; fastbgp names itself */
		k->has_software_version = true;
		copy_name(k->software_version, "fastbgp/" FASTBGP_VERSION);
	}
	k->link_local_nexthop = c->cap.link_local_nexthop;
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
	/* ExaBGP 5: a link-local address is of use one hop away only */
	if (p->neg.link_local_nexthop && c->has_local_link_local && c->outgoing_ttl <= 1) {
		o->enc.has_link_local = true;
		memcpy(o->enc.link_local, c->local_link_local.addr, 16);
	}
}

