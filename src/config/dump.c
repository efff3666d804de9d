/* config_dump: a deterministic, normalized text form of a configuration,
 * used by the golden tests and by "show neighbor configuration". */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "config/attr_values.h"
#include "config/parser.h"
#include "config/parser_int.h"

static const char *tf(bool b)
{
	return b ? "true" : "false";
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
	if (fd->kind == NLRI_KIND_PREFIX &&
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
	fprintf(out, "neighbor %s\n", n->name);
	nb_dump(out, n); /* every option, from the table */
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
		if (a->npatterns) {
			fprintf(out, " processes-match [");
			for (int j = 0; j < a->npatterns; j++)
				fprintf(out, " %s", a->process_patterns[j]);
			fprintf(out, " ]");
		}
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
		config_dump_string(out, p->run ? p->run : "");
		fprintf(out, "\n  encoder %s\n  respawn %s\n", p->encoder == ENCODER_TEXT ? "text" : "json",
			tf(p->respawn));
	}
	for (int i = 0; i < c->nneighbors; i++)
		dump_neighbor(out, c->neighbors[i]);
}
