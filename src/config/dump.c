/* config_dump: a deterministic, normalized text form of a configuration,
 * used by the golden tests and by "show neighbor configuration". */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "config/attr_values.h"
#include "config/parser.h"

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static void dump_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void dump_families(FILE *out, family_mask m)
{
	for (int f = 0; f < FAM_COUNT; f++)
		if (m & FAM_BIT(f))
			fprintf(out, " %s", family_table[f].json_name);
}

static void dump_nexthop(FILE *out, const struct nexthop *nh)
{
	char buf[INET6_ADDRSTRLEN];
	switch (nh->kind) {
	case NH_SELF:
		fprintf(out, " next-hop self");
		break;
	case NH_IP:
		if (nh->len == 4) {
			fprintf(out, " next-hop %s", inet_ntop(AF_INET, nh->addr, buf, sizeof(buf)));
		} else {
			fprintf(out, " next-hop %s", inet_ntop(AF_INET6, nh->addr, buf, sizeof(buf)));
			if (nh->len == 32)
				fprintf(out, " %s", inet_ntop(AF_INET6, nh->addr + 16, buf, sizeof(buf)));
		}
		break;
	default:
		fprintf(out, " next-hop none");
	}
}

static void dump_route(FILE *out, const struct route *r)
{
	const struct family_def *fd = &family_table[r->family];
	char pfx[64];
	fprintf(out, "  route %s", fd->json_name);
	if ((fd->safi == SAFI_UNICAST || fd->safi == SAFI_MULTICAST) &&
	    prefix_nlri_format(pfx, sizeof(pfx), fd->afi, r->nlri, r->nlri_len) > 0) {
		fprintf(out, " %s", pfx);
	} else {
		fprintf(out, " nlri 0x");
		for (int i = 0; i < r->nlri_len; i++)
			fprintf(out, "%02X", r->nlri[i]);
	}
	dump_nexthop(out, &r->attrs->nh);
	if (r->flags & ROUTE_PATH_ID)
		fprintf(out, " path-id %u", r->path_id);
	if (r->name)
		fprintf(out, " name %s", r->name);
	if (r->watchdog)
		fprintf(out, " watchdog %s", r->watchdog);
	if (r->flags & ROUTE_WITHDRAWN)
		fprintf(out, " withdrawn");
	fprintf(out, " attr");
	struct attr_iter it;
	struct attr_view v;
	attr_iter_init(&it, r->attrs);
	while (attr_iter_next(&it, &v)) {
		/* as on the wire: flags, code, length (2 bytes with EXTLEN) */
		bool ext = (v.flags & ATTR_FLAG_EXTLEN) || v.len > 255;
		fprintf(out, " %02X%02X", ext ? v.flags | ATTR_FLAG_EXTLEN : v.flags, v.code);
		if (ext)
			fprintf(out, "%04X", v.len);
		else
			fprintf(out, "%02X", v.len);
		for (int i = 0; i < v.len; i++)
			fprintf(out, "%02X", v.val[i]);
	}
	fputc('\n', out);
}

static void dump_mask(FILE *out, const char *what, uint32_t m, const char *const *names, int n)
{
	fprintf(out, " %s [", what);
	for (int i = 0; i < n; i++)
		if (m & (1u << i))
			fprintf(out, " %s", names[i]);
	fprintf(out, " ]");
}

static void dump_neighbor(FILE *out, const struct neighbor_conf *n)
{
	char ip[INET6_ADDRSTRLEN];
	uint8_t rid[4];
	fprintf(out, "neighbor %s\n", n->name);
	if (n->description) {
		fprintf(out, "  description ");
		dump_string(out, n->description);
		fputc('\n', out);
	}
	fprintf(out, "  peer-address %s/%u\n", av_ip_format(&n->peer_address, ip, sizeof(ip)), n->peer_prefix_len);
	if (n->local_address_auto)
		fprintf(out, "  local-address auto\n");
	else
		fprintf(out, "  local-address %s\n", av_ip_format(&n->local_address, ip, sizeof(ip)));
	put_u32(rid, n->router_id);
	fprintf(out, "  router-id %u.%u.%u.%u\n", rid[0], rid[1], rid[2], rid[3]);
	if (n->local_as_auto)
		fprintf(out, "  local-as auto\n");
	else
		fprintf(out, "  local-as %u\n", n->local_as);
	if (n->peer_as_auto)
		fprintf(out, "  peer-as auto\n");
	else
		fprintf(out, "  peer-as %u\n", n->peer_as);
	fprintf(out, "  hold-time %u\n", n->hold_time);
	fprintf(out, "  passive %s\n", tf(n->passive));
	fprintf(out, "  listen %u\n", n->listen_port);
	fprintf(out, "  connect %u\n", n->connect_port);
	if (n->md5_password) {
		fprintf(out, "  md5-password ");
		dump_string(out, n->md5_password);
		fputc('\n', out);
	}
	fprintf(out, "  md5-base64 %s\n",
		n->md5_base64 == TRI_UNSET ? "auto" : n->md5_base64 == TRI_TRUE ? "true" : "false");
	fprintf(out, "  md5-ip %s\n", av_ip_format(&n->md5_ip, ip, sizeof(ip)));
	if (n->outgoing_ttl)
		fprintf(out, "  outgoing-ttl %d\n", n->outgoing_ttl);
	else
		fprintf(out, "  outgoing-ttl disable\n");
	if (n->incoming_ttl)
		fprintf(out, "  incoming-ttl %d\n", n->incoming_ttl);
	else
		fprintf(out, "  incoming-ttl disable\n");
	fprintf(out, "  group-updates %s\n", tf(n->group_updates));
	fprintf(out, "  auto-flush %s\n", tf(n->auto_flush));
	fprintf(out, "  adj-rib-out %s\n", tf(n->adj_rib_out));
	fprintf(out, "  adj-rib-in %s\n", tf(n->adj_rib_in));
	fprintf(out, "  manual-eor %s\n", tf(n->manual_eor));
	fprintf(out, "  host-name %s\n", n->host_name ? n->host_name : "(system)");
	fprintf(out, "  domain-name %s\n", n->domain_name ? n->domain_name : "(system)");
	if (n->rate_limit)
		fprintf(out, "  rate-limit %d\n", n->rate_limit);
	else
		fprintf(out, "  rate-limit disable\n");
	fprintf(out, "  family");
	dump_families(out, n->families);
	fputc('\n', out);
	const struct capability_conf *cap = &n->cap;
	static const char *const ap[] = {"disable", "receive", "send", "send/receive"};
	fprintf(out, "  capability asn4 %s\n", tf(cap->asn4));
	fprintf(out, "  capability route-refresh %s\n", tf(cap->route_refresh));
	if (cap->graceful_restart < 0)
		fprintf(out, "  capability graceful-restart disable\n");
	else
		fprintf(out, "  capability graceful-restart %d\n", cap->graceful_restart);
	fprintf(out, "  capability add-path %s", ap[cap->add_path & 3]);
	dump_families(out, cap->add_path_families);
	fputc('\n', out);
	fprintf(out, "  capability multi-session %s\n", tf(cap->multi_session));
	fprintf(out, "  capability operational %s\n", tf(cap->operational));
	fprintf(out, "  capability aigp %s\n", tf(cap->aigp));
	fprintf(out, "  capability extended-message %s\n", tf(cap->extended_message));
	fprintf(out, "  capability nexthop %s\n", tf(cap->nexthop == TRI_TRUE));
	for (int i = 0; i < n->nnexthops; i++) {
		const struct family_def *fd = &family_table[n->nexthops[i].family];
		fprintf(out, "  nexthop %s %s\n", fd->json_name, n->nexthops[i].nh_afi == AFI_IPV6 ? "ipv6" : "ipv4");
	}
	static const char *const events[] = {"neighbor-changes", "negotiated", "fsm", "signal", "graceful-restart"};
	static const char *const msgs[] = {"parsed", "packets", "consolidate", "open", "update",
					   "notification", "keepalive", "refresh", "operational"};
	for (int i = 0; i < n->napis; i++) {
		const struct api_conf *a = &n->apis[i];
		fprintf(out, "  api %s processes [", a->name ? a->name : "-");
		for (int j = 0; j < a->nprocesses; j++)
			fprintf(out, " %s", a->processes[j]);
		fprintf(out, " ]");
		dump_mask(out, "events", a->events, events, 5);
		dump_mask(out, "send", a->send, msgs, 9);
		dump_mask(out, "receive", a->receive, msgs, 9);
		fputc('\n', out);
	}
	for (size_t i = 0; i < n->routes.n; i++)
		dump_route(out, n->routes.v[i]);
}

void config_dump(FILE *out, const struct config *c)
{
	for (int i = 0; i < c->nprocesses; i++) {
		const struct process_conf *p = c->processes[i];
		fprintf(out, "process %s\n  run ", p->name);
		dump_string(out, p->run ? p->run : "");
		fprintf(out, "\n  encoder %s\n  respawn %s\n", p->encoder == ENCODER_TEXT ? "text" : "json",
			tf(p->respawn));
	}
	for (int i = 0; i < c->nneighbors; i++)
		dump_neighbor(out, c->neighbors[i]);
}
