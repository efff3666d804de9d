/* The JSON encoder: header, neighbor object and the simple events (see json.h). */
#include "api/json.h"

#include <stdio.h>
#include <string.h>

#include "api/fmt.h"
#include "attr/attr_table.h"
#include "wire/header.h"

void json_begin(const struct api_fmt *f, struct wbuf *w, const char *type, const struct api_ev *e)
{
	(void)f;
	sb_printf(w, "\"type\": \"%s\", ", type);
	if (e && e->packets && e->msg && e->len >= BGP_HEADER_LEN) {
		sb_puts(w, "\"header\": \"");
		fmt_hexstring(w, e->msg, BGP_HEADER_LEN);
		sb_puts(w, "\", ");
		if (e->len > BGP_HEADER_LEN) {
			sb_puts(w, "\"body\": \"");
			fmt_hexstring(w, e->msg + BGP_HEADER_LEN, e->len - BGP_HEADER_LEN);
			sb_puts(w, "\", ");
		}
	}
}

void json_neighbor_open(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const char *dir,
			bool content)
{
	sb_puts(w, "\"neighbor\": { \"address\": { \"local\": ");
	fmt_json_cstr(w, n->local_address);
	sb_puts(w, ", \"peer\": ");
	fmt_json_cstr(w, n->peer_address);
	sb_printf(w, " }, \"asn\": { \"local\": %u, \"peer\": %u }", n->id.local_as, n->id.peer_as);
	if (f->version >= 5 && n->id.router_id) {
		char rid[16];
		fmt_ipv4_host(rid, n->id.router_id);
		sb_printf(w, ", \"router-id\": \"%s\"", rid);
	}
	sb_puts(w, " ");
	if (dir)
		sb_printf(w, ", \"direction\": \"%s\"", dir);
	sb_puts(w, content ? ", " : " ");
}

void json_end(struct wbuf *w)
{
	sb_puts(w, " } }");
}

static int j_state(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const char *state,
		   const char *reason)
{
	json_begin(f, w, "state", NULL);
	json_neighbor_open(f, w, n, NULL, true);
	sb_printf(w, "\"state\": \"%s\"", state);
	if (reason) {
		sb_puts(w, ", \"reason\": ");
		if (f->version >= 5) {
			fmt_json_cstr(w, reason);
		} else {
			/* ExaBGP 4.2 turns brackets and braces into parentheses */
			struct wbuf tmp;
			size_t len = strlen(reason);
			wb_init(&tmp, len + 1);
			wb_bytes(&tmp, reason, len);
			for (size_t i = 0; !tmp.err && i < tmp.len; i++) {
				if (tmp.data[i] == '[' || tmp.data[i] == '{')
					tmp.data[i] = '(';
				else if (tmp.data[i] == ']' || tmp.data[i] == '}')
					tmp.data[i] = ')';
			}
			fmt_json_str(w, tmp.err || !tmp.data ? "" : (const char *)tmp.data, tmp.err ? 0 : tmp.len);
			wb_free(&tmp);
		}
	}
	json_end(w);
	return 0;
}

static int j_fsm(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, int st)
{
	json_begin(f, w, "fsm", NULL);
	json_neighbor_open(f, w, n, NULL, true);
	sb_printf(w, "\"state\": \"%s\"", fmt_fsm_name(st));
	json_end(w);
	return 0;
}

static int j_negotiated(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n)
{
	json_begin(f, w, "negotiated", NULL);
	json_neighbor_open(f, w, n, NULL, true);
	json_negotiated_kv(f, w, n);
	json_end(w);
	return 0;
}

static int j_signal(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, int signum)
{
	json_begin(f, w, "signal", NULL);
	json_neighbor_open(f, w, n, NULL, true);
	sb_printf(w, "\"code\": \"%d\", \"name\": \"%s\"", signum, fmt_signal_name(signum));
	json_end(w);
	return 0;
}

static int j_open(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	if (!e->ov)
		return -1;
	json_begin(f, w, "open", e);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), true);
	json_open_kv(f, w, n, e);
	json_end(w);
	return 0;
}

static int j_update(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	if (!e->uv)
		return -1;
	json_begin(f, w, "update", e);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), true);
	json_update_kv(f, w, e->uv);
	if (e->negotiated) {
		sb_puts(w, ", ");
		json_negotiated_kv(f, w, n);
	}
	json_end(w);
	return 0;
}

static int j_eor(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	if (!e->uv)
		return -1;
	json_begin(f, w, "update", e);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), true);
	json_eor_kv(w, e->uv->eor_afi, e->uv->eor_safi);
	if (e->negotiated) {
		sb_puts(w, ", ");
		json_negotiated_kv(f, w, n);
	}
	json_end(w);
	return 0;
}

/* ExaBGP 5.0's notification data: Cease 2 and 4 carry their communication
 * as text, every other data as received. */
static void v5_notification_data(struct wbuf *w, const struct notification *nt)
{
	if (!(nt->code == 6 && (nt->subcode == 2 || nt->subcode == 4)) || !nt->data_len) {
		wb_bytes(w, nt->data, nt->data_len);
		return;
	}
	size_t l = nt->data[0];
	const uint8_t *d = nt->data + 1;
	size_t left = nt->data_len - 1;
	if (!l) {
		sb_puts(w, "empty Shutdown Communication.");
	} else if (left < l) {
		sb_printf(w, "invalid Shutdown Communication (buffer underrun) length : %zu [", l);
		fmt_hexstring(w, d, left);
		sb_puts(w, "]");
	} else if (l > 128) {
		sb_printf(w, "invalid Shutdown Communication (too large) length : %zu [", l);
		fmt_hexstring(w, d, left);
		sb_puts(w, "]");
	} else if (!utf8_valid(d, l)) {
		sb_printf(w, "invalid Shutdown Communication (invalid UTF-8) length : %zu [", l);
		fmt_hexstring(w, d, left);
		sb_puts(w, "]");
	} else {
		sb_puts(w, "Shutdown Communication: \"");
		for (size_t i = 0; i < l; i++)
			wb_u8(w, d[i] == '\r' || d[i] == '\n' ? ' ' : d[i]);
		sb_puts(w, "\"");
		if (left > l) {
			sb_puts(w, ", trailing data: ");
			fmt_hexstring(w, d + l, left - l);
		}
	}
}

static int j_notification(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n,
			  const struct api_ev *e)
{
	const struct notification *nt = e->notif;
	if (!nt)
		return -1;
	json_begin(f, w, "notification", e);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), true);
	sb_printf(w, "\"notification\": { \"code\": %u, \"subcode\": %u, \"data\": \"", nt->code, nt->subcode);
	if (f->version >= 5) {
		struct wbuf d;
		wb_init(&d, 64);
		v5_notification_data(&d, nt);
		fmt_hexstring(w, d.data, d.len);
		sb_puts(w, "\", \"message\": ");
		fmt_json_str(w, d.data ? (const char *)d.data : "", d.len);
		wb_free(&d);
		sb_puts(w, " } ");
	} else {
		fmt_hexstring(w, nt->data, nt->data_len);
		sb_puts(w, "\" } ");
	}
	json_end(w);
	return 0;
}

static int j_keepalive(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n,
		       const struct api_ev *e)
{
	json_begin(f, w, "keepalive", e);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), false);
	json_end(w);
	return 0;
}

static int j_refresh(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	const struct route_refresh *rr = e->rr;
	char a[32], s[32];
	if (!rr)
		return -1;
	json_begin(f, w, "refresh", e);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), true);
	/* ExaBGP 4.2 quotes these twice (invalid JSON); written once here */
	sb_printf(w, "\"route-refresh\": { \"afi\": \"%s\", \"safi\": \"%s\", \"subtype\": \"%s\" }", fmt_afi(rr->afi, a),
		  fmt_safi(rr->safi, s), refresh_subtype_name(rr->subtype));
	json_end(w);
	return 0;
}

static const char *message_long_name(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return "open";
	case BGP_MSG_UPDATE:
		return "update";
	case BGP_MSG_NOTIFICATION:
		return "notification";
	case BGP_MSG_KEEPALIVE:
		return "keepalive";
	case BGP_MSG_ROUTE_REFRESH:
		return "route refresh";
	case BGP_MSG_OPERATIONAL:
		return "operational";
	default:
		return "unknown";
	}
}

static int j_packets(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e)
{
	if (!e->msg || e->len < BGP_HEADER_LEN)
		return -1;
	json_begin(f, w, message_long_name(e->type), NULL);
	json_neighbor_open(f, w, n, api_dir_name(e->dir), true);
	sb_printf(w, "\"message\": { \"category\": %u, \"header\": \"", e->type);
	fmt_hexstring(w, e->msg, BGP_HEADER_LEN);
	sb_puts(w, "\", \"body\": \"");
	fmt_hexstring(w, e->msg + BGP_HEADER_LEN, e->len - BGP_HEADER_LEN);
	sb_puts(w, "\" } ");
	if (e->negotiated) {
		sb_puts(w, ", ");
		json_negotiated_kv(f, w, n);
	}
	json_end(w);
	return 0;
}

static int j_shutdown(const struct api_fmt *f, struct wbuf *w)
{
	json_begin(f, w, "notification", NULL);
	sb_puts(w, "\"notification\": \"shutdown\" }");
	return 0;
}

static size_t j_prefix(const struct api_fmt *f, char *buf, size_t len, uint64_t counter)
{
	char t[40];
	struct wbuf w;
	wb_init_fixed(&w, buf, len);
	fmt_pyfloat(f->now, t, sizeof(t));
	sb_printf(&w, "{ \"exabgp\": \"%s\", \"time\": %s, \"host\" : ", f->exabgp, t);
	fmt_json_cstr(&w, f->host);
	sb_printf(&w, ", \"pid\" : %ld, \"ppid\" : %ld, ", f->pid, f->ppid);
	if (counter)
		sb_printf(&w, "\"counter\": %llu, ", (unsigned long long)counter);
	return w.err ? 0 : w.len;
}

const struct api_encoder api_json_encoder = {
	.name = "json",
	.state = j_state,
	.fsm = j_fsm,
	.negotiated = j_negotiated,
	.signal = j_signal,
	.open = j_open,
	.update = j_update,
	.eor = j_eor,
	.notification = j_notification,
	.keepalive = j_keepalive,
	.refresh = j_refresh,
	.packets = j_packets,
	.shutdown = j_shutdown,
	.prefix = j_prefix,
};

int api_encode_message(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		       const struct api_neighbor *n, const struct api_ev *e)
{
	switch (e->type) {
	case BGP_MSG_OPEN:
		return enc->open(f, w, n, e);
	case BGP_MSG_UPDATE:
		if (e->uv && e->uv->eor)
			return enc->eor(f, w, n, e);
		return enc->update(f, w, n, e);
	case BGP_MSG_NOTIFICATION:
		return enc->notification(f, w, n, e);
	case BGP_MSG_KEEPALIVE:
		return enc->keepalive(f, w, n, e);
	case BGP_MSG_ROUTE_REFRESH:
		return enc->refresh(f, w, n, e);
	default:
		return -1;
	}
}
