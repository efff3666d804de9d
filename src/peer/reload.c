/* Configuration reload (SIGUSR1), as ExaBGP does it: the new file is parsed
 * first (an invalid one is reported and the running configuration kept),
 * then each neighbor is diffed:
 *   - a neighbor that is gone gets Cease 6/3 and is freed once closed;
 *   - a new neighbor starts;
 *   - a neighbor whose session parameters changed restarts (Cease 6/6);
 *   - an unchanged neighbor receives only the route delta.
 * Neighbors are matched by peer address, prefix length and local address. */
#include <stdlib.h>
#include <string.h>

#include "config/parser.h"
#include "core/log.h"
#include "peer/peer.h"
#include "peer/sockopt.h"
#include "peer/speaker.h"

static bool ip_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->afi == b->afi && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static bool same_identity(const struct neighbor_conf *a, const struct neighbor_conf *b)
{
	return ip_eq(&a->peer_address, &b->peer_address) && a->peer_prefix_len == b->peer_prefix_len &&
	       a->local_address_auto == b->local_address_auto && ip_eq(&a->local_address, &b->local_address);
}

static const struct neighbor_conf *find_new(const struct config *c, const struct neighbor_conf *old)
{
	for (int i = 0; i < c->nneighbors; i++)
		if (same_identity(c->neighbors[i], old))
			return c->neighbors[i];
	return NULL;
}

/* The configuration a peer was made from: the neighbor block, or for a
 * peer accepted through a prefix neighbor, that prefix's block. */
static const struct neighbor_conf *origin_of(struct speaker *sp, struct peer *p)
{
	if (!p->owned_conf)
		return p->conf;
	for (int i = 0; i < sp->cfg->nneighbors; i++) {
		const struct neighbor_conf *c = sp->cfg->neighbors[i];
		if (c->peer_prefix_len < (c->peer_address.afi == AFI_IPV4 ? 32 : 128) &&
		    ip_in_prefix(&p->conf->peer_address, &c->peer_address, c->peer_prefix_len))
			return c;
	}
	return NULL;
}

void speaker_reload(struct speaker *sp, struct config *newcfg)
{
	struct config *old = sp->cfg;
	int kept = 0, restarted = 0, removed = 0, added = 0;
	bool *matched = calloc((size_t)newcfg->nneighbors + 1, sizeof(*matched));

	int npeers = sp->npeers; /* peers added below are new: not diffed */
	struct peer **peers = malloc(((size_t)npeers + 1) * sizeof(*peers));
	if (!matched || !peers) {
		log_error(LOG_CONFIGURATION, "reload: out of memory, configuration not reloaded");
		free(matched);
		free(peers);
		config_free(newcfg);
		free(newcfg);
		return;
	}
	memcpy(peers, sp->peers, (size_t)npeers * sizeof(*peers));
	for (int i = 0; i < npeers; i++) {
		struct peer *p = peers[i];
		if (p->removed)
			continue;
		const struct neighbor_conf *from = origin_of(sp, p);
		const struct neighbor_conf *nc = from ? find_new(newcfg, from) : NULL;
		if (!nc) {
			peer_remove(p);
			removed++;
			continue;
		}
		for (int j = 0; j < newcfg->nneighbors; j++)
			if (newcfg->neighbors[j] == nc)
				matched[j] = true;
		bool restart = !neighbor_conf_same_session(from, nc);
		if (p->owned_conf) {
			/* A prefix neighbor's peer: same template, its own address. */
			struct ip_addr addr = p->owned_conf->peer_address;
			uint8_t plen = p->owned_conf->peer_prefix_len;
			*p->owned_conf = *nc;
			p->owned_conf->peer_address = addr;
			p->owned_conf->peer_prefix_len = plen;
			nc = p->owned_conf;
		}
		peer_reconfigure(p, nc, restart);
		if (restart)
			restarted++;
		else
			kept++;
	}
	sp->cfg = newcfg;
	for (int j = 0; j < newcfg->nneighbors; j++) {
		if (matched[j])
			continue;
		struct peer **v = realloc(sp->peers, ((size_t)sp->npeers + 2) * sizeof(*v));
		if (!v)
			break;
		sp->peers = v;
		struct peer *p = peer_new(sp, newcfg->neighbors[j]);
		if (!p)
			break;
		sp->peers[sp->npeers++] = p;
		const struct neighbor_conf *c = p->conf;
		if (c->peer_prefix_len < (c->peer_address.afi == AFI_IPV4 ? 32 : 128))
			p->done = true; /* a prefix only accepts: no session of its own */
		else
			peer_start(p);
		added++;
	}
	free(matched);
	free(peers);
	log_info(LOG_CONFIGURATION, "configuration reloaded: %d neighbor%s unchanged, %d restarted, %d added, %d removed",
		 kept, kept == 1 ? "" : "s", restarted, added, removed);
	if (sp->api) {
		/* Helpers of processes gone are stopped, new ones started. */
		api_reconfigure(sp->api, newcfg, newcfg->pool);
		for (int i = 0; i < sp->npeers; i++)
			api_neighbor_reinit(sp->api, &sp->peers[i]->api, sp->peers[i]->conf, sp->peers[i]);
	}
	config_free(old);
	free(old);
}
