/* Graceful Restart, receiving side (see graceful.h). */
#include "peer/graceful.h"

#include <string.h>

#include "core/log.h"
#include "peer/peer_int.h"
#include "peer/speaker.h"
#include "rib/ribin_stale.h"
#include "wire/header.h"

/* ---- withdrawals for helpers ------------------------------------------------ */

/* Removed routes become UPDATEs as a peer would send them: IPv4 unicast in
 * the withdrawn routes field, other families in MP_UNREACH_NLRI (RFC 4760),
 * with path identifiers when the session receives them (RFC 7911), so the
 * API decodes them with the session's parameters.  One message per family
 * at a time, of at most WD_MSG_MAX bytes. */
#define WD_MSG_MAX 4096u

struct withdrawals {
	struct peer *p;
	struct wbuf msg[FAM_COUNT];
	size_t start[FAM_COUNT], len_at[FAM_COUNT]; /* message offset; NLRI field length offset */
	bool open[FAM_COUNT];
	bool used[FAM_COUNT];                        /* msg[] was initialised */
};

static void wd_begin(struct withdrawals *wd, int f)
{
	struct wbuf *w = &wd->msg[f];
	if (!wd->used[f]) {
		wb_init(w, WD_MSG_MAX);
		wd->used[f] = true;
	}
	wb_reset(w);
	wd->start[f] = bgp_msg_begin(w, BGP_MSG_UPDATE);
	if (f == FAM_IPV4_UNICAST) {
		wd->len_at[f] = w->len;
		wb_u16(w, 0); /* withdrawn routes length, patched */
	} else {
		wb_u16(w, 0); /* no IPv4 withdrawn routes */
		wb_u16(w, 0); /* path attributes length, patched */
		wb_u8(w, 0x90); /* optional, extended length */
		wb_u8(w, 15);   /* MP_UNREACH_NLRI */
		wd->len_at[f] = w->len;
		wb_u16(w, 0);   /* attribute length, patched */
		wb_u16(w, family_table[f].afi);
		wb_u8(w, family_table[f].safi);
	}
	wd->open[f] = true;
}

static void wd_flush(struct withdrawals *wd, int f)
{
	if (!wd->open[f])
		return;
	wd->open[f] = false;
	struct wbuf *w = &wd->msg[f];
	size_t at = wd->len_at[f];
	if (f == FAM_IPV4_UNICAST) {
		wb_patch16(w, at, (uint16_t)(w->len - at - 2));
		wb_u16(w, 0); /* no path attributes */
	} else {
		wb_patch16(w, at, (uint16_t)(w->len - at - 2));
		wb_patch16(w, at - 4, (uint16_t)(w->len - at + 2)); /* flags, type and length: 4 bytes */
	}
	if (bgp_msg_end(w, wd->start[f]) < 0 || w->err) {
		log_error(LOG_RIB, "peer %s: out of memory telling helpers of stale routes removed", wd->p->name);
		return;
	}
	/* Decoded as a received UPDATE, with the session's options and the
	 * family of the stale routes (the new session may not negotiate it). */
	struct update_parse_opts uo;
	peer_rx_update_opts(wd->p, &uo);
	uo.families |= FAM_BIT(f);
	peer_rx_local_update(wd->p, w->data + wd->start[f], w->len - wd->start[f], &uo);
}

static void wd_route(void *ctx, const struct ribin_entry *e)
{
	struct withdrawals *wd = ctx;
	int f = e->family;
	if (f < 0 || f >= FAM_COUNT || !wd->p->sp->api)
		return;
	bool addpath = (wd->p->neg.addpath_receive & FAM_BIT(f)) != 0;
	size_t need = (addpath ? 4u : 0u) + e->nlri_len;
	if (wd->open[f] && wd->msg[f].len + need + 2 > WD_MSG_MAX)
		wd_flush(wd, f);
	if (!wd->open[f])
		wd_begin(wd, f);
	struct wbuf *w = &wd->msg[f];
	if (w->len + need + 2 > BGP_MAX_MSG_EXT)
		return; /* cannot happen with NLRI lengths of 16 bits, but never write past a message */
	if (addpath)
		wb_u32(w, e->path_id);
	wb_bytes(w, e->data + e->key_len, e->nlri_len);
}

static void wd_init(struct withdrawals *wd, struct peer *p)
{
	memset(wd, 0, sizeof(*wd));
	wd->p = p;
}

static void wd_done(struct withdrawals *wd)
{
	for (int f = 0; f < FAM_COUNT; f++) {
		wd_flush(wd, f);
		if (wd->used[f])
			wb_free(&wd->msg[f]);
	}
}

/* ---- the receiving speaker's procedure ------------------------------------- */

static void report(struct peer *p, const char *state, unsigned time, family_mask fams, const size_t counts[FAM_COUNT])
{
	size_t total = 0;
	for (int f = 0; f < FAM_COUNT; f++)
		if (fams & FAM_BIT(f))
			total += counts[f];
	log_info(LOG_NETWORK, "peer %s: graceful restart: %s, %zu route%s", p->name, state, total, total == 1 ? "" : "s");
	if (p->sp->api)
		api_event_graceful(p->sp->api, &p->api, state, time, fams, counts);
}

/* Removes the stale routes of fams, tells helpers (withdrawals, then the
 * event) and forgets those families. */
static void remove_stale(struct peer *p, family_mask fams, const char *state)
{
	fams &= p->gr.stale;
	if (!fams)
		return;
	size_t gone[FAM_COUNT] = {0};
	struct withdrawals wd;
	wd_init(&wd, p);
	ribin_sweep_stale(&p->ribin, fams, gone, wd_route, &wd);
	wd_done(&wd);
	p->gr.stale &= ~fams;
	if (!p->gr.stale)
		uv_timer_stop(&p->gr.timer);
	report(p, state, 0, fams, gone);
}

static void on_gr_timer(uv_timer_t *t)
{
	struct peer *p = t->data;
	log_info(LOG_NETWORK, "peer %s: graceful restart: %s over", p->name,
		 p->gr.reestablished ? "stale time" : "restart time");
	remove_stale(p, p->gr.stale, "expired");
}

static void on_gr_timer_closed(uv_handle_t *h)
{
	peer_callback_done(h->data);
}

void graceful_init(struct peer *p)
{
	memset(&p->gr, 0, sizeof(p->gr));
	uv_timer_init(p->sp->loop, &p->gr.timer);
	p->gr.timer.data = p;
}

void graceful_free(struct peer *p)
{
	p->callbacks++;
	uv_close((uv_handle_t *)&p->gr.timer, on_gr_timer_closed);
}

/* RFC 4724 4.2 applies to a session that ends by the loss of its TCP
 * connection: not after a NOTIFICATION (sent or received, the hold timer
 * included: no RFC 8538 N bit), nor when we stop or drop the neighbor.
 * peer_fsm.c words down_what "notification sent (C,S)" / "notification received
 * (C,S)" (ExaBGP's, in the API's down reason). */
static bool ends_gracefully(const struct peer *p)
{
	return p->conf->adj_rib_in && p->ours.caps.graceful_restart && p->theirs.caps.graceful_restart &&
	       !p->stopping && !p->removed && strncmp(p->down_what, "notification", 12) != 0;
}

void graceful_session_down(struct peer *p)
{
	if (p->state != PEER_ESTABLISHED)
		return;
	/* The families of the peer's capability that the session ran with. */
	family_mask keep = p->theirs.caps.gr_families & p->neg.families;
	if (keep && ends_gracefully(p)) {
		struct withdrawals wd;
		wd_init(&wd, p);
		/* Routes still stale from an earlier restart go (consecutive
		 * restarts); helpers were told they were kept. */
		ribin_mark_stale(&p->ribin, keep, p->gr.kept, wd_route, &wd);
		wd_done(&wd);
		p->gr.stale = keep;
		p->gr.reestablished = false;
		p->gr.report_due = true;
		uv_timer_start(&p->gr.timer, on_gr_timer, (uint64_t)p->theirs.caps.gr_time * 1000u, 0);
		return;
	}
	/* Ends without Graceful Restart: stale routes still waiting for the
	 * End-of-RIB of the session that ends go with the rest. */
	remove_stale(p, p->gr.stale, "flushed");
	ribin_clear(&p->ribin);
}

void graceful_idle(struct peer *p)
{
	if (p->gr.stale && !p->stopping && !p->removed)
		return; /* the session was lost or an attempt to reconnect failed: the stale routes wait for the timer */
	remove_stale(p, p->gr.stale, "flushed");
	ribin_clear(&p->ribin); /* what the peer sent is gone with its session */
}

void graceful_after_down(struct peer *p)
{
	if (!p->gr.report_due || p->freeing)
		return;
	p->gr.report_due = false;
	report(p, "stale", p->theirs.caps.gr_time, p->gr.stale, p->gr.kept);
}

bool graceful_peer_restarted(const struct peer *p)
{
	if (p->state != PEER_ESTABLISHED || !p->ours.caps.graceful_restart || !p->theirs.caps.graceful_restart)
		return false;
	log_info(LOG_NETWORK, "peer %s: new connection while established: the peer restarted (graceful restart)",
		 p->name);
	return true;
}

void graceful_established(struct peer *p)
{
	if (!p->gr.stale)
		return;
	/* RFC 4724 4.2: families the peer did not preserve lose their stale
	 * routes at once; the others wait for End-of-RIB, for a bounded time. */
	const struct capabilities *c = &p->theirs.caps;
	family_mask kept = c->graceful_restart ? c->gr_families & c->gr_forwarding & p->neg.families : 0;
	remove_stale(p, p->gr.stale & ~kept, "flushed");
	if (!p->gr.stale)
		return;
	p->gr.reestablished = true;
	unsigned t = p->sp->opts.gr_stale_time > 0 ? (unsigned)p->sp->opts.gr_stale_time : GR_DEFAULT_STALE_TIME;
	uv_timer_start(&p->gr.timer, on_gr_timer, (uint64_t)t * 1000u, 0);
}

void graceful_end_of_rib(struct peer *p, int family)
{
	if (family >= 0 && family < FAM_COUNT)
		remove_stale(p, FAM_BIT(family), "swept");
}

bool graceful_close_silently(struct peer *p)
{
	if (p->removed || !p->tcp || p->state != PEER_ESTABLISHED || !p->ours.caps.graceful_restart ||
	    !p->theirs.caps.graceful_restart)
		return false;
	log_info(LOG_NETWORK,
		 "peer %s: closing without NOTIFICATION (graceful restart: the peer keeps our routes for %u s)",
		 p->name, p->ours.caps.gr_time);
	p->io->close(p, false);
	return true;
}
