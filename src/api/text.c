/* The text encoder: ExaBGP 4.2's reactor/api/response/text.py.
 *
 * Each event is one or more lines ending with "\n"; the writer adds one
 * more, so every event is followed by an empty line, as with ExaBGP.  The
 * text encoder has no fsm, negotiated or signal event. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/encoder.h"
#include "api/fmt.h"
#include "api/views.h"
#include "attr/attr_table.h"
#include "wire/header.h"

static void header_body(struct wbuf *w, const struct api_ev *e)
{
	if (!e || !e->packets || !e->msg || e->len < BGP_HEADER_LEN)
		return;
	sb_puts(w, " header ");
	fmt_hexstring(w, e->msg, BGP_HEADER_LEN);
	if (e->len > BGP_HEADER_LEN) {
		sb_puts(w, " body ");
		fmt_hexstring(w, e->msg + BGP_HEADER_LEN, e->len - BGP_HEADER_LEN);
	}
}

static int t_state(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const char *state,
		   const char *reason)
{
	(void)f;
	if (reason)
		sb_printf(w, "neighbor %s %s - %s\n", n->peer_address, state, reason);
	else
		sb_printf(w, "neighbor %s %s\n", n->peer_address, state);
	return 0;
}

static int t_none(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, int x)
{
	(void)f, (void)w, (void)n, (void)x;
	return -1;
}

static int t_negotiated(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n)
{
	(void)f, (void)w, (void)n;
	return -1;
}

/* ---- OPEN: str(capabilities).lower(), capabilities sorted by code ---------- */

static void fam_sp(struct wbuf *w, uint16_t afi, uint8_t safi, char sep)
{
	char a[32], s[32];
	sb_printf(w, "%s%c%s", fmt_afi(afi, a), sep, fmt_safi(safi, s));
}

static void cap_text(struct wbuf *w, const struct open_listing *ov, uint8_t code, bool sent)
{
	const uint8_t *v = ov->val[code];
	size_t len = ov->vlen[code];
	static const char *const ap[] = {"disabled", "receive", "send", "send/receive"};
	switch (code) {
	case 1:
		sb_puts(w, "Multiprotocol(");
		for (int i = 0; i < ov->nmp; i++) {
			if (i)
				sb_puts(w, ",");
			fam_sp(w, ov->mp[i].afi, ov->mp[i].safi, ' ');
		}
		sb_puts(w, ")");
		return;
	case 2:
		sb_puts(w, "Route Refresh");
		return;
	case 128:
		sb_puts(w, "Cisco Route Refresh");
		return;
	case 5:
		sb_puts(w, "NextHop(");
		for (int i = 0; i < ov->nnh; i++) {
			char a[32];
			if (i)
				sb_puts(w, ",");
			fam_sp(w, ov->nh[i].afi, ov->nh[i].safi, ' ');
			sb_printf(w, " %s", fmt_afi(ov->nh[i].nh_afi, a));
		}
		sb_puts(w, ")");
		return;
	case 6:
		sb_puts(w, "Extended Message(65535)");
		return;
	case 64: {
		uint16_t r = len >= 2 ? get_u16(v) : 0;
		sb_printf(w, "Graceful Restart Flags 0x%x Time %u ", r >> 12, r & 0xFFF);
		for (size_t o = 2; o + 4 <= len; o += 4) {
			if (o > 2)
				sb_puts(w, " ");
			fam_sp(w, get_u16(v + o), v[o + 2], '/');
			sb_printf(w, "=0x%x", v[o + 3]);
		}
		return;
	}
	case 65:
		sb_printf(w, "ASN4(%u)", len >= 4 ? get_u32(v) : 0);
		return;
	case 68:
	case 131:
		sb_printf(w, "Multisession%s ", code == 68 ? " (RFC)" : "");
		for (size_t i = 1; sent && i < len; i++) {
			char b[40];
			sb_printf(w, "%s%s", i > 1 ? " " : "", fmt_capability_name(v[i], b));
		}
		return;
	case 69:
		sb_puts(w, "AddPath(");
		for (int i = 0; i < ov->nap; i++) {
			if (i)
				sb_puts(w, ",");
			sb_printf(w, "%s ", ov->ap[i].mode < 4 ? ap[ov->ap[i].mode] : "unknown");
			fam_sp(w, ov->ap[i].afi, ov->ap[i].safi, ' ');
		}
		sb_puts(w, ")");
		return;
	case 70:
		sb_puts(w, "Enhanced Route Refresh");
		return;
	case 185:
		sb_puts(w, "Operational");
		return;
	default:
		sb_printf(w, "%s %u", code >= 128 ? "Reserved" : code >= 70 ? "Unassigned" : "Unknown", code);
	}
}

static int t_open(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)f;
	const struct open_listing *ov = e->ov;
	if (!ov)
		return -1;
	bool sent = e->dir == API_DIR_SEND;
	uint32_t asn = ov->asn;
	if (sent && ov->val[65] && ov->vlen[65] >= 4)
		asn = get_u32(ov->val[65]);
	char rid[16];
	fmt_ipv4_host(rid, ov->router_id);
	sb_printf(w, "neighbor %s %s open version %u asn %u hold_time %u router_id %s capabilities [", n->peer_address,
		  api_dir_name(e->dir), ov->version, asn, ov->hold_time, rid);
	size_t start = w->len;
	bool first = true;
	for (int code = 0; code < 256; code++) {
		if (!ov->val[code])
			continue;
		if (!first)
			sb_puts(w, ", ");
		first = false;
		cap_text(w, ov, (uint8_t)code, sent);
	}
	for (size_t i = start; !w->err && i < w->len; i++)
		w->data[i] = (uint8_t)tolower(w->data[i]);
	sb_puts(w, "]");
	header_body(w, e);
	sb_puts(w, "\n");
	return 0;
}

/* ---- UPDATE ------------------------------------------------------------------ */

static int t_update(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)f;
	const struct api_update_view *uv = e->uv;
	if (!uv)
		return -1;
	const char *dir = api_dir_name(e->dir);
	sb_printf(w, "neighbor %s %s update start\n", n->peer_address, dir);
	/* the attributes are the same on every line: print them once, copy them */
	size_t attr_len = 0;
	struct wbuf attrs;
	wb_init(&attrs, 256);
	if (uv->attrs && uv->has_attributes)
		attrset_text(&attrs, uv->attrs);
	attr_len = attrs.err ? 0 : attrs.len;
	for (size_t i = 0; i < uv->n; i++) {
		const struct api_nlri *x = &uv->v[i];
		const char *nh = x->nh >= 0 && x->nh < uv->nnh ? uv->nh[x->nh] : NULL;
		if (x->announce) {
			sb_printf(w, "neighbor %s %s update announced ", n->peer_address, dir);
			api_nlri_text(w, x, nh);
			wb_bytes(w, attrs.data, attr_len);
		} else {
			sb_printf(w, "neighbor %s %s update withdrawn ", n->peer_address, dir);
			api_nlri_text(w, x, NULL);
		}
		sb_puts(w, "\n");
	}
	wb_free(&attrs);
	if (e->packets) {
		header_body(w, e);
		sb_puts(w, "\n");
	}
	sb_printf(w, "neighbor %s %s update end\n", n->peer_address, dir);
	return 0;
}

static int t_eor(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)f;
	const struct api_update_view *uv = e->uv;
	if (!uv)
		return -1;
	char a[32], s[32];
	const char *dir = api_dir_name(e->dir);
	sb_printf(w, "neighbor %s %s update start\n", n->peer_address, dir);
	sb_printf(w, "neighbor %s %s update route eor %u/%u (%s %s)\n", n->peer_address, dir, uv->eor_afi, uv->eor_safi,
		  fmt_afi(uv->eor_afi, a), fmt_safi(uv->eor_safi, s));
	if (e->packets) {
		header_body(w, e);
		sb_puts(w, "\n");
	}
	sb_printf(w, "neighbor %s %s update end\n", n->peer_address, dir);
	return 0;
}

static int t_notification(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n,
			  const struct api_ev *e)
{
	(void)f;
	const struct notification *nt = e->notif;
	if (!nt)
		return -1;
	sb_printf(w, "neighbor %s %s notification code %u subcode %u data ", n->peer_address, api_dir_name(e->dir),
		  nt->code, nt->subcode);
	fmt_hexstring(w, nt->data, nt->data_len);
	header_body(w, e);
	sb_puts(w, "\n");
	return 0;
}

static int t_keepalive(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)f;
	sb_printf(w, "neighbor %s %s keepalive", n->peer_address, api_dir_name(e->dir));
	header_body(w, e);
	sb_puts(w, "\n");
	return 0;
}

static int t_refresh(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)f;
	const struct route_refresh *rr = e->rr;
	char a[32], s[32];
	if (!rr)
		return -1;
	sb_printf(w, "neighbor %s %s route-refresh afi %s safi %s %s", n->peer_address, api_dir_name(e->dir),
		  fmt_afi(rr->afi, a), fmt_safi(rr->safi, s), refresh_subtype_name(rr->subtype));
	header_body(w, e);
	sb_puts(w, "\n");
	return 0;
}

static int t_packets(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	(void)f;
	struct api_ev all = *e;
	all.packets = true;
	sb_printf(w, "neighbor %s %s %u", n->peer_address, api_dir_name(e->dir), e->type);
	header_body(w, &all);
	sb_puts(w, "\n");
	return 0;
}

static int t_shutdown(const struct api_fmt *f, struct wbuf *w)
{
	sb_printf(w, "shutdown %ld %ld\n", f->pid, f->ppid);
	return 0;
}

static size_t t_prefix(const struct api_fmt *f, char *buf, size_t len, uint64_t counter)
{
	(void)f, (void)buf, (void)len, (void)counter;
	return 0;
}

const struct api_encoder api_text_encoder = {
	.name = "text",
	.state = t_state,
	.fsm = t_none,
	.negotiated = t_negotiated,
	.signal = t_none,
	.open = t_open,
	.update = t_update,
	.eor = t_eor,
	.notification = t_notification,
	.keepalive = t_keepalive,
	.refresh = t_refresh,
	.packets = t_packets,
	.shutdown = t_shutdown,
	.prefix = t_prefix,
};
