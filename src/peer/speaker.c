/* The speaker: peers of the running configuration on one loop (see speaker.h). */
#include "peer/speaker.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* Runs once per loop turn while some peer has routes to write: each peer
 * gets a bounded slice, so timers and other peers' input are served between
 * slices and a large table never delays a KEEPALIVE. */
static void on_pump(uv_idle_t *h)
{
	struct speaker *sp = h->data;
	bool more = false;
	for (int i = 0; i < sp->npeers; i++)
		if (sp->peers[i] && peer_pump(sp->peers[i]))
			more = true;
	if (!more) {
		uv_idle_stop(&sp->pump);
		sp->pump_active = false;
	}
}

void speaker_wake_pump(struct speaker *sp)
{
	if (sp->pump_active || sp->shutting_down)
		return;
	sp->pump_active = true;
	uv_idle_start(&sp->pump, on_pump);
}

int speaker_init(struct speaker *sp, uv_loop_t *loop, const struct speaker_opts *o, struct config *cfg)
{
	memset(sp, 0, sizeof(*sp));
	sp->loop = loop;
	sp->opts = *o;
	sp->cfg = cfg;
	uv_idle_init(loop, &sp->pump);
	sp->pump.data = sp;
	sp->peers = calloc((size_t)cfg->nneighbors + 1, sizeof(*sp->peers));
	if (!sp->peers)
		return -1;
	for (int i = 0; i < cfg->nneighbors; i++) {
		sp->peers[i] = peer_new(sp, cfg->neighbors[i]);
		if (!sp->peers[i])
			return -1;
		sp->npeers++;
	}
	return 0;
}

void speaker_start(struct speaker *sp)
{
	for (int i = 0; i < sp->npeers; i++)
		peer_start(sp->peers[i]);
	if (sp->npeers == 0 && sp->opts.once)
		speaker_peer_done(sp);
}

void speaker_peer_done(struct speaker *sp)
{
	for (int i = 0; i < sp->npeers; i++)
		if (!sp->peers[i]->done)
			return;
	/* Every peer's attempt is over (tcp.once) or every peer stopped. */
	if (!sp->shutting_down)
		log_info(LOG_REACTOR, "every session has ended, exiting");
	speaker_shutdown(sp, 2);
}

static void free_peers(struct speaker *sp)
{
	for (int i = 0; i < sp->npeers; i++)
		peer_free(sp->peers[i]);
	sp->npeers = 0;
}

void speaker_shutdown(struct speaker *sp, uint8_t cease_subcode)
{
	if (sp->shutting_down) {
		/* Second call (all peers done): release the handles so the loop ends. */
		if (sp->peers) {
			free_peers(sp);
			free(sp->peers);
			sp->peers = NULL;
			if (!uv_is_closing((uv_handle_t *)&sp->pump))
				uv_close((uv_handle_t *)&sp->pump, NULL);
			if (sp->on_finished)
				sp->on_finished(sp, sp->ctx);
		}
		return;
	}
	sp->shutting_down = true;
	uv_idle_stop(&sp->pump);
	for (int i = 0; i < sp->npeers; i++)
		peer_shutdown(sp->peers[i], cease_subcode);
	/* Peers report through speaker_peer_done() once their sockets closed. */
	speaker_peer_done(sp);
}

void speaker_free(struct speaker *sp)
{
	free(sp->peers);
	sp->peers = NULL;
}
