/* Event fan-out: from the session's events to the helpers subscribed to
 * them, as ExaBGP 4.2's reactor/api/processes.py and protocol.py route
 * them.  Each event body is built once per encoder; each helper gets the
 * body behind its own prefix (the JSON counter differs per helper). */
#include <string.h>

#include "api/api_int.h"
#include "core/log.h"
#include "wire/header.h"

typedef int (*gen_fn)(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		      const struct api_neighbor *n, const void *arg);

static void fanout(struct api *a, struct api_neighbor *n, const api_pset *set, gen_fn gen, const void *arg)
{
	if (!a || a->shutting || api_pset_empty(set))
		return;
	int built[2] = {0, 0}; /* 0: not yet, 1: ready, -1: nothing for this encoder */
	a->fmt.now = api_now(a);
	for (int i = 0; i < a->nprocs; i++) {
		struct api_proc *p = a->procs[i];
		if (!api_pset_has(set, i) || !p || !p->configured || !p->h || p->closing || !api_helper_running(p->h))
			continue;
		int k = p->enc == &api_text_encoder;
		if (built[k] == 0) {
			struct wbuf *w = &a->body[k];
			wb_reset(w);
			int rc = gen(p->enc, &a->fmt, w, n, arg);
			if (rc == 0)
				wb_u8(w, '\n');
			built[k] = rc == 0 && !w->err ? 1 : -1;
			if (w->err)
				log_error(LOG_PROCESSES, "out of memory encoding an event");
		}
		if (built[k] < 0)
			continue;
		if (api_helper_stalled(p->h)) {
			p->dropped++;
			continue;
		}
		if (p->dropped) {
			log_warning(LOG_PROCESSES, "process %s reads again: %llu events were dropped while it did not",
				    p->name, (unsigned long long)p->dropped);
			p->dropped = 0;
		}
		char pre[2048];
		size_t pl = p->enc->prefix(&a->fmt, pre, sizeof(pre), p->enc == &api_json_encoder ? ++n->counter : 0);
		api_helper_write(p->h, pre, pl, a->body[k].data, a->body[k].len);
	}
}

/* ---- state events ---------------------------------------------------------- */

struct state_arg {
	const char *state;
	const char *reason;
};

static int gen_state(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		     const struct api_neighbor *n, const void *arg)
{
	const struct state_arg *s = arg;
	return enc->state(f, w, n, s->state, s->reason);
}

void api_event_connected(struct api *a, struct api_neighbor *n)
{
	if (!n)
		return;
	struct state_arg s = {"connected", NULL};
	fanout(a, n, &n->subs[API_SUB_NEIGHBOR_CHANGES], gen_state, &s);
}

void api_event_up(struct api *a, struct api_neighbor *n)
{
	if (!n)
		return;
	n->up_since = api_wall_seconds();
	if (!n->id.peer_as && n->neg)
		n->id.peer_as = n->neg->peer_as;
	struct state_arg s = {"up", NULL};
	fanout(a, n, &n->subs[API_SUB_NEIGHBOR_CHANGES], gen_state, &s);
}

void api_event_down(struct api *a, struct api_neighbor *n, const char *reason)
{
	if (!n)
		return;
	n->up_since = 0;
	n->reset_at = api_wall_seconds();
	/* as ExaBGP, the message statistics are those of the current session */
	memset(n->msgs_sent, 0, sizeof(n->msgs_sent));
	memset(n->msgs_received, 0, sizeof(n->msgs_received));
	struct state_arg s = {"down", reason ? reason : ""};
	fanout(a, n, &n->subs[API_SUB_NEIGHBOR_CHANGES], gen_state, &s);
}

static int gen_fsm(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		   const struct api_neighbor *n, const void *arg)
{
	return enc->fsm(f, w, n, *(const int *)arg);
}

void api_event_fsm(struct api *a, struct api_neighbor *n, int peer_state)
{
	if (!n)
		return;
	n->state = peer_state;
	fanout(a, n, &n->subs[API_SUB_FSM], gen_fsm, &peer_state);
}

static int gen_negotiated(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
			  const struct api_neighbor *n, const void *arg)
{
	(void)arg;
	return enc->negotiated(f, w, n);
}

void api_event_negotiated(struct api *a, struct api_neighbor *n)
{
	if (!n)
		return;
	if (!n->id.peer_as && n->neg)
		n->id.peer_as = n->neg->peer_as;
	fanout(a, n, &n->subs[API_SUB_NEGOTIATED], gen_negotiated, NULL);
}

static int gen_signal(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		      const struct api_neighbor *n, const void *arg)
{
	return enc->signal(f, w, n, *(const int *)arg);
}

void api_event_signal(struct api *a, struct api_neighbor *n, int signum)
{
	if (!n)
		return;
	fanout(a, n, &n->subs[API_SUB_SIGNAL], gen_signal, &signum);
}

/* ---- messages -------------------------------------------------------------- */

static int sub_msg_of(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return API_SM_OPEN;
	case BGP_MSG_UPDATE:
		return API_SM_UPDATE;
	case BGP_MSG_NOTIFICATION:
		return API_SM_NOTIFICATION;
	case BGP_MSG_KEEPALIVE:
		return API_SM_KEEPALIVE;
	case BGP_MSG_ROUTE_REFRESH:
		return API_SM_REFRESH;
	case BGP_MSG_OPERATIONAL:
		return API_SM_OPERATIONAL;
	default:
		return -1;
	}
}

bool api_wants_message(const struct api_neighbor *n, int dir, uint8_t type)
{
	int sm = sub_msg_of(type);
	return sm >= 0 && !api_pset_empty(&n->subs[API_SUB_KEY(dir, sm)]);
}

static int gen_message(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		       const struct api_neighbor *n, const void *arg)
{
	return api_encode_message(enc, f, w, n, arg);
}

static int gen_packets(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		       const struct api_neighbor *n, const void *arg)
{
	return enc->packets(f, w, n, arg);
}

/* The multiprotocol families of a received OPEN, in order (for the
 * "negotiated" families list). */
static void note_families(struct api_neighbor *n, const struct open_listing *ov)
{
	n->nrx_mp = 0;
	for (int i = 0; i < ov->nmp && n->nrx_mp < FAM_COUNT; i++) {
		int f = family_find(ov->mp[i].afi, ov->mp[i].safi);
		if (f >= 0)
			n->rx_mp[n->nrx_mp++] = (uint8_t)f;
	}
}

/* A received message: the session decoded it (rx), nothing is parsed here. */
static bool take_received(struct api *a, struct api_ev *e, const struct api_rx *rx)
{
	switch (e->type) {
	case BGP_MSG_OPEN:
		e->ov = rx->open;
		return e->ov != NULL;
	case BGP_MSG_UPDATE: {
		if (!rx->update)
			return false;
		struct api_update_opts o = {.asn4 = true, .addpath = rx->addpath, .ebgp = rx->ebgp};
		api_update_view_clear(&a->uv);
		if (api_update_view_fill(&a->uv, rx->update, &o) < 0)
			return false;
		e->uv = &a->uv;
		return true;
	}
	case BGP_MSG_NOTIFICATION:
		e->notif = rx->notif;
		return e->notif != NULL;
	case BGP_MSG_KEEPALIVE:
		return true;
	case BGP_MSG_ROUTE_REFRESH:
		e->rr = rx->rr;
		return e->rr != NULL;
	default:
		return false; /* operational messages are not decoded */
	}
}

/* A sent message: ours, decoded here for printing (the session encoded it). */
static bool decode_sent(struct api *a, struct api_neighbor *n, struct api_ev *e, struct notification *nt,
			struct route_refresh *rr)
{
	const uint8_t *body = e->msg + BGP_HEADER_LEN;
	size_t blen = e->len - BGP_HEADER_LEN;
	switch (e->type) {
	case BGP_MSG_OPEN:
		if (api_open_view_parse(&a->ov, body, blen) < 0 && !a->ov.version)
			return false;
		e->ov = &a->ov;
		return true;
	case BGP_MSG_UPDATE: {
		struct api_update_opts o = {true, 0, false};
		if (n->neg) {
			o.asn4 = n->neg->asn4;
			o.addpath = n->neg->addpath_send;
		}
		if (api_update_view_build(&a->uv, body, blen, &o) < 0)
			return false;
		e->uv = &a->uv;
		return true;
	}
	case BGP_MSG_NOTIFICATION:
		if (notification_decode(body, blen, nt) < 0)
			return false;
		e->notif = nt;
		return true;
	case BGP_MSG_KEEPALIVE:
		return true;
	case BGP_MSG_ROUTE_REFRESH: {
		uint8_t c, s;
		if (refresh_decode(body, blen, rr, &c, &s) != REFRESH_OK)
			return false;
		e->rr = rr;
		return true;
	}
	default:
		return false;
	}
}

/* The message to the helpers subscribed to it: raw ("packets"), parsed,
 * or both in one event ("consolidate").  rx: the session's decoding of a
 * received message; NULL for a sent one. */
static void message_event(struct api *a, struct api_neighbor *n, int dir, const uint8_t *msg, size_t len,
			  const struct api_rx *rx)
{
	uint8_t type = msg[18];
	if (type < 8) {
		if (dir == API_DIR_SEND)
			n->msgs_sent[type]++;
		else
			n->msgs_received[type]++;
	}
	if (rx && type == BGP_MSG_OPEN && rx->open)
		note_families(n, rx->open);
	int sm = sub_msg_of(type);
	if (sm < 0 || a->shutting)
		return;
	const api_pset *target = &n->subs[API_SUB_KEY(dir, sm)];
	if (api_pset_empty(target))
		return;
	const api_pset *packets_set = &n->subs[API_SUB_KEY(dir, API_SM_PACKETS)];
	bool packets = !api_pset_empty(packets_set);
	bool parsed = !api_pset_empty(&n->subs[API_SUB_KEY(dir, API_SM_PARSED)]);
	bool consolidate = !api_pset_empty(&n->subs[API_SUB_KEY(dir, API_SM_CONSOLIDATE)]);
	bool negotiated = !api_pset_empty(&n->subs[API_SUB_NEGOTIATED]);

	struct api_ev e;
	memset(&e, 0, sizeof(e));
	e.dir = dir;
	e.type = type;
	e.msg = msg;
	e.len = len;
	e.negotiated = negotiated;
	struct notification nt;
	struct route_refresh rr;
	if (consolidate || parsed) {
		/* consolidate: one event with the message and, when asked (always
		 * for received ones, as ExaBGP), its header and body */
		if (!consolidate && packets)
			fanout(a, n, packets_set, gen_packets, &e);
		e.packets = consolidate && (dir == API_DIR_RECEIVE || packets);
		if (rx ? take_received(a, &e, rx) : decode_sent(a, n, &e, &nt, &rr))
			fanout(a, n, target, gen_message, &e);
	} else if (packets) {
		fanout(a, n, packets_set, gen_packets, &e);
	}
	if (e.uv)
		api_update_view_clear(&a->uv);
}

void api_event_message(struct api *a, struct api_neighbor *n, int dir, const uint8_t *msg, size_t len)
{
	if (!a || !n || !msg || len < BGP_HEADER_LEN || dir != API_DIR_SEND)
		return;
	message_event(a, n, dir, msg, len, NULL);
}

void api_event_received(struct api *a, struct api_neighbor *n, const struct api_rx *rx)
{
	if (!a || !n || !rx || !rx->msg || rx->len < BGP_HEADER_LEN)
		return;
	message_event(a, n, API_DIR_RECEIVE, rx->msg, rx->len, rx);
}

void api_event_messages(struct api *a, struct api_neighbor *n, int dir, const uint8_t *buf, size_t len)
{
	size_t o = 0;
	while (o + BGP_HEADER_LEN <= len) {
		size_t l = get_u16(buf + o + 16);
		if (l < BGP_HEADER_LEN || o + l > len)
			break;
		api_event_message(a, n, dir, buf + o, l);
		o += l;
	}
}

/* ---- events fastbgp makes itself (api_graceful.c) ---------------------------- */

void api_fanout_sub(struct api *a, struct api_neighbor *n, int sub, api_gen_fn gen, const void *arg)
{
	if (n && sub >= 0 && sub < API_SUB_COUNT)
		fanout(a, n, &n->subs[sub], gen, arg);
}

void api_event_local_withdraw(struct api *a, struct api_neighbor *n, const struct api_rx *rx)
{
	if (!a || !n || !rx || !rx->update || !rx->msg || rx->len < BGP_HEADER_LEN || rx->msg[18] != BGP_MSG_UPDATE ||
	    a->shutting)
		return;
	const api_pset *target = &n->subs[API_SUB_KEY(API_DIR_RECEIVE, API_SM_UPDATE)];
	if (api_pset_empty(target) || (api_pset_empty(&n->subs[API_SUB_KEY(API_DIR_RECEIVE, API_SM_PARSED)]) &&
				       api_pset_empty(&n->subs[API_SUB_KEY(API_DIR_RECEIVE, API_SM_CONSOLIDATE)])))
		return;
	struct api_ev e = {.dir = API_DIR_RECEIVE, .type = BGP_MSG_UPDATE, .msg = rx->msg, .len = rx->len,
			   .negotiated = !api_pset_empty(&n->subs[API_SUB_NEGOTIATED])};
	if (take_received(a, &e, rx)) /* the session's decoding, as for a received UPDATE */
		fanout(a, n, target, gen_message, &e);
	if (e.uv)
		api_update_view_clear(&a->uv);
}
