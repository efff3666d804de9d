/* show neighbor / show adj-rib output (see show.h). */
#include "api/show.h"

#include <stdio.h>
#include <string.h>

#include "api/api_int.h"
#include "api/fmt.h"
#include "api/views.h"
#include "attr/attr_table.h"
#include "core/peer_state.h"
#include "nlri/nlri_decode.h"
#include "wire/header.h"

void api_timedelta(char *out, size_t outlen, int64_t s)
{
	if (s < 0)
		s = 0;
	int64_t days = s / 86400, rem = s % 86400;
	if (days)
		snprintf(out, outlen, "%lld day%s, %lld:%02lld:%02lld", (long long)days, days == 1 ? "" : "s",
			 (long long)(rem / 3600), (long long)(rem % 3600 / 60), (long long)(rem % 60));
	else
		snprintf(out, outlen, "%lld:%02lld:%02lld", (long long)(rem / 3600), (long long)(rem % 3600 / 60),
			 (long long)(rem % 60));
}

bool api_show_route_wanted(const struct api_command *c, uint8_t family)
{
	if (family >= FAM_COUNT)
		return false;
	uint8_t view = family_table[family].rib_view;
	switch (c->rib_filter) {
	case API_RIB_INET:
		return view == FAM_VIEW_INET;
	case API_RIB_FLOW:
		return view == FAM_VIEW_FLOW;
	case API_RIB_L2VPN:
		return view == FAM_VIEW_L2VPN;
	default:
		return true;
	}
}

void api_show_route(struct api_reply *r, const struct api_neighbor *n, uint8_t family, const uint8_t *nlri,
		    size_t nlri_len, bool has_path_id, uint32_t path_id, const struct attrset *attrs, bool extensive)
{
	if (family >= FAM_COUNT)
		return;
	const struct family_def *fd = &family_table[family];
	struct api_nlri x;
	memset(&x, 0, sizeof(x));
	x.announce = 1;
	x.afi = fd->afi;
	x.safi = fd->safi;
	struct nlri_iter it;
	if (nlri_iter_init(&it, family, nlri, nlri_len, false, false) < 0 || nlri_iter_next(&it, &x.item) != 1)
		return;
	x.item.has_path_id = has_path_id;
	x.item.path_id = path_id;
	char nh[64];
	const char *nhp = NULL;
	if (attrs && attrs->nh.kind == NH_IP) {
		if (attrs->nh.len == 4)
			fmt_ipv4(nh, attrs->nh.addr);
		else
			inet_ntop(AF_INET6, attrs->nh.addr, nh, sizeof(nh));
		nhp = nh;
	} else if (attrs && attrs->nh.kind == NH_SELF) {
		nhp = n->id.local.afi ? n->local_address : "self";
	}
	struct wbuf w;
	wb_init(&w, 256);
	if (extensive) {
		char name[256];
		api_peer_name(name, sizeof(name), &n->id);
		sb_puts(&w, name);
	} else {
		sb_printf(&w, "neighbor %s", n->peer_address);
	}
	sb_printf(&w, " %s %s ", fd->afi_name, fd->safi_name);
	api_nlri_text(&w, &x, nhp);
	if (extensive && attrs)
		attrset_text(&w, attrs);
	api_reply_line(r, sb_cstr(&w));
	wb_free(&w);
}

/* ---- show neighbor ----------------------------------------------------------- */

static const char *en(int v) /* -1 n/a, 0 disabled, 1 enabled */
{
	return v < 0 ? "n/a" : v ? "enabled" : "disabled";
}

static void kv(struct api_reply *r, const char *a, const char *b, const char *c, const char *d)
{
	api_reply_printf(r, "   %-20s %15s %15s %15s", a, b, c, d);
}

static void extensive(struct api *a, const struct api_neighbor *n, struct api_reply *r)
{
	const struct neighbor_conf *conf = n->conf;
	bool have_peer = n->state == PEER_OPENSENT || n->state == PEER_OPENCONFIRM || n->state == PEER_ESTABLISHED;
	bool have_open = (n->state == PEER_OPENCONFIRM || n->state == PEER_ESTABLISHED) && n->received;
	const struct capabilities *pc = have_open ? &n->received->caps : NULL;
	const struct negotiated *neg = n->neg;
	char b1[64], b2[64];
	int64_t now = api_wall_seconds();
	(void)a;

	api_reply_printf(r, "Neighbor %s", n->peer_address);
	api_reply_line(r, "");
	api_reply_line(r, "  Session                         Local");
	kv(r, "local", n->local_address, "", "");
	kv(r, "state", fmt_fsm_name(n->state), "", "");
	if (n->up_since) { /* up, even for less than a second */
		api_timedelta(b1, sizeof(b1), now - n->up_since);
		kv(r, "up for", b1, "", "");
	} else {
		api_timedelta(b1, sizeof(b1), (n->reset_at ? n->reset_at : n->created) - n->created);
		kv(r, "down for", b1, "", "");
	}
	api_reply_line(r, "");
	api_reply_line(r, "  Setup                           Local          Remote");
	snprintf(b1, sizeof(b1), "%u", n->id.local_as);
	if (n->id.peer_as)
		snprintf(b2, sizeof(b2), "%u", n->id.peer_as);
	else
		snprintf(b2, sizeof(b2), "n/a");
	kv(r, "AS", b1, b2, "");
	fmt_ipv4_host(b1, n->id.router_id);
	if (have_open)
		fmt_ipv4_host(b2, n->received->router_id);
	else
		snprintf(b2, sizeof(b2), "n/a");
	kv(r, "ID", b1, b2, "");
	snprintf(b1, sizeof(b1), "%u", conf ? conf->hold_time : 0);
	if (have_open)
		snprintf(b2, sizeof(b2), "%u", n->received->hold_time);
	else
		snprintf(b2, sizeof(b2), "n/a");
	kv(r, "hold-time", b1, b2, "");
	api_reply_line(r, "");
	api_reply_line(r, "  Capability                      Local          Remote");
	/* the peer's column: what its OPEN announced; before it, the
	 * session's (not yet negotiated) values while connected, else n/a */
	bool sent_op = n->sent && n->sent->caps.operational;
	struct {
		const char *name;
		int local, peer;
	} caps[] = {
		{"asn4:", conf ? conf->cap.asn4 : -1, pc ? (neg && neg->asn4) : -1},
		{"route-refresh:", conf ? conf->cap.route_refresh : -1, pc ? pc->route_refresh : -1},
		{"multi-session:", conf ? conf->cap.multi_session : -1, pc ? pc->multisession : have_peer ? 0 : -1},
		{"operational:", conf ? conf->cap.operational : -1, have_peer ? (pc && sent_op && pc->operational) : -1},
		{"add-path:", conf ? conf->cap.add_path != 0 : -1, pc ? pc->has_add_path : -1},
		{"extended-message:", conf ? conf->cap.extended_message : -1, pc ? pc->extended_message : -1},
		{"graceful-restart:", conf ? conf->cap.graceful_restart > 0 : -1, pc ? pc->graceful_restart : -1},
	};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		kv(r, caps[i].name, en(caps[i].local), en(caps[i].peer), "");
	api_reply_line(r, "");
	api_reply_line(r, "  Families                        Local          Remote        Add-Path");
	for (int f = 0; conf && f < FAM_COUNT; f++) {
		if (!(conf->families & FAM_BIT(f)))
			continue;
		int common = -1, ap;
		if (have_open && neg) {
			common = (neg->families & FAM_BIT(f)) != 0;
			ap = (neg->addpath_send & FAM_BIT(f)) && (neg->addpath_receive & FAM_BIT(f));
		} else {
			bool conf_ap = conf->cap.add_path && (!conf->cap.add_path_families ||
							      (conf->cap.add_path_families & FAM_BIT(f)));
			ap = conf_ap ? -1 : 0;
		}
		snprintf(b1, sizeof(b1), "%s %s:", family_table[f].afi_name, family_table[f].safi_name);
		kv(r, b1, en(1), en(common), en(ap));
	}
	api_reply_line(r, "");
	api_reply_line(r, "  Message Statistic                Sent        Received");
	static const struct {
		const char *name;
		int type;
	} msgs[] = {{"open:", BGP_MSG_OPEN},
		    {"notification:", BGP_MSG_NOTIFICATION},
		    {"keepalive:", BGP_MSG_KEEPALIVE},
		    {"update:", BGP_MSG_UPDATE},
		    {"refresh:", BGP_MSG_ROUTE_REFRESH}};
	uint64_t ts = 0, tr = 0;
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		uint64_t s = n->msgs_sent[msgs[i].type], rc = n->msgs_received[msgs[i].type];
		ts += s;
		tr += rc;
		snprintf(b1, sizeof(b1), "%llu", (unsigned long long)s);
		snprintf(b2, sizeof(b2), "%llu", (unsigned long long)rc);
		kv(r, msgs[i].name, b1, b2, "");
	}
	snprintf(b1, sizeof(b1), "%llu", (unsigned long long)ts);
	snprintf(b2, sizeof(b2), "%llu", (unsigned long long)tr);
	kv(r, "total:", b1, b2, "");
	api_reply_line(r, "");
}

int api_show_neighbor(struct api *a, const struct api_command *c, struct api_reply *r)
{
	struct api_peer_ref *refs = NULL;
	size_t n = a->ops && a->ops->peers ? a->ops->peers(a->ctx, &refs) : 0;
	switch (c->show) {
	case API_SHOW_SUMMARY:
		api_reply_line(r, "Peer            AS        up/down state       |     #sent     #recvd");
		for (size_t i = 0; i < n; i++) {
			const struct api_neighbor *nb = refs[i].n;
			if (!nb || !refs[i].established)
				continue;
			if (c->filter[0] && strcmp(c->filter, nb->peer_address))
				continue;
			char as[16], up[64], state[32];
			if (nb->id.peer_as)
				snprintf(as, sizeof(as), "%u", nb->id.peer_as);
			else
				snprintf(as, sizeof(as), "n/a");
			int64_t d = nb->up_since ? api_wall_seconds() - nb->up_since : 0;
			if (nb->up_since)
				api_timedelta(up, sizeof(up), d > 0 ? d : 0);
			else
				snprintf(up, sizeof(up), "down");
			snprintf(state, sizeof(state), "%s", fmt_fsm_name(nb->state));
			for (char *s = state; *s; s++)
				*s = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
			api_reply_printf(r, "%-15s %-7s %9s %-12s %10llu %10llu", nb->peer_address, as, up, state,
					 (unsigned long long)nb->msgs_sent[BGP_MSG_UPDATE],
					 (unsigned long long)nb->msgs_received[BGP_MSG_UPDATE]);
		}
		return API_DONE;
	case API_SHOW_EXTENSIVE:
		for (size_t i = 0; i < n; i++) {
			const struct api_neighbor *nb = refs[i].n;
			if (!nb)
				continue;
			if (c->filter[0]) {
				char name[256];
				api_peer_name(name, sizeof(name), &nb->id);
				if (!strstr(name, c->filter))
					continue;
			}
			extensive(a, nb, r);
		}
		return API_DONE;
	case API_SHOW_CONFIGURATION:
		if (a->ops->show_config)
			return a->ops->show_config(a->ctx, c->filter, r);
		return API_DONE;
	default:
		api_reply_line(r, "please specify summary, extensive or configuration");
		api_reply_line(r, "you can filter by peer ip address adding it after the word neighbor");
		return API_DONE;
	}
}
