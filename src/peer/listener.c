/* Listening sockets and parked incoming connections (see listener.h). */
#include "peer/listener.h"

#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/log.h"
#include "peer/peer.h"
#include "peer/sockopt.h"
#include "peer/tcp_ao.h"
#include "peer/speaker.h"
#include "wire/header.h"


struct listener {
	uv_tcp_t tcp;
	struct speaker *sp;
	struct listener *next;
	struct ip_addr addr;
	unsigned port;
};

struct parked {
	uv_tcp_t *tcp;
	struct speaker *sp;
	struct parked *next;
	uint64_t deadline;
	char name[64];
	struct ip_addr remote, local;
	size_t len;
	uint8_t buf[BGP_MAX_MSG];
};

/* The kernel caps it at net.core.somaxconn (4096 by default): thousands of
 * peers connecting together (a restart of a route server's clients) would
 * otherwise see their SYNs dropped and retried seconds later. */
#define LISTEN_BACKLOG SOMAXCONN

static void free_handle(uv_handle_t *h)
{
	free(h);
}

struct orphan_write {
	uv_write_t req;
	uint8_t msg[BGP_HEADER_LEN + 2 + 2]; /* a NOTIFICATION with up to 2 bytes of data */
};

static void on_orphan_written(uv_write_t *req, int status)
{
	(void)status;
	uv_stream_t *s = req->handle;
	free(req);
	if (!uv_is_closing((uv_handle_t *)s))
		uv_close((uv_handle_t *)s, free_handle);
}

/* Sends a NOTIFICATION (data: at most 2 bytes) on a connection no peer
 * owns, then closes it. */
static void notify_and_close(uv_tcp_t *tcp, uint8_t code, uint8_t subcode, const uint8_t *data, size_t dlen)
{
	struct orphan_write *w = malloc(sizeof(*w));
	if (w && dlen <= 2) {
		size_t len = BGP_HEADER_LEN + 2 + dlen;
		memset(w->msg, 0xFF, 16);
		put_u16(w->msg + 16, (uint16_t)len);
		w->msg[18] = BGP_MSG_NOTIFICATION;
		w->msg[19] = code;
		w->msg[20] = subcode;
		if (dlen)
			memcpy(w->msg + 21, data, dlen);
		uv_buf_t b = uv_buf_init((char *)w->msg, (unsigned)len);
		if (uv_write(&w->req, (uv_stream_t *)tcp, &b, 1, on_orphan_written) == 0)
			return;
	}
	free(w);
	uv_close((uv_handle_t *)tcp, free_handle);
}

static void unpark(struct speaker *sp, struct parked *pk)
{
	struct parked **pp = &sp->parked;
	while (*pp && *pp != pk)
		pp = &(*pp)->next;
	if (*pp)
		*pp = pk->next;
}

static void drop_parked_notify(struct speaker *sp, struct parked *pk, uint8_t code, uint8_t sub, const uint8_t *data,
			       size_t dlen)
{
	unpark(sp, pk);
	uv_read_stop((uv_stream_t *)pk->tcp);
	notify_and_close(pk->tcp, code, sub, data, dlen);
	free(pk);
}

static void drop_parked(struct speaker *sp, struct parked *pk, int cease_subcode)
{
	if (cease_subcode) {
		drop_parked_notify(sp, pk, BGP_ERR_CEASE, (uint8_t)cease_subcode, NULL, 0);
		return;
	}
	unpark(sp, pk);
	uv_read_stop((uv_stream_t *)pk->tcp);
	uv_close((uv_handle_t *)pk->tcp, free_handle);
	free(pk);
}

/* RFC 4271 6.8: the peer's OPEN has arrived on an accepted connection. */
static void resolve(struct speaker *sp, struct parked *pk, uint32_t remote_id)
{
	struct peer *p = speaker_find_peer(sp, &pk->remote, &pk->local);
	if (!p || p->stopping) {
		drop_parked(sp, pk, 0);
		return;
	}
	if (p->max_prefix_down) { /* held down after maximum-prefix (RFC 4486 4) */
		log_info(LOG_NETWORK, "peer %s: incoming connection refused, down after maximum-prefix", p->name);
		drop_parked(sp, pk, BGP_CEASE_MAX_PREFIX);
		return;
	}
	bool restarted = graceful_peer_restarted(p); /* RFC 4724 4.2: the new connection replaces the old */
	if (p->state == PEER_ESTABLISHED && !restarted) {
		log_info(LOG_NETWORK, "peer %s: incoming connection while established, refused (Cease 6/7)",
			 p->name);
		drop_parked(sp, pk, BGP_CEASE_COLLISION);
		return;
	}
	if (!restarted && p->tcp && p->state >= PEER_OPENSENT && p->conf->router_id >= remote_id) {
		/* Our identifier is higher: the connection we opened is kept. */
		log_info(LOG_NETWORK, "peer %s: collision, keeping our connection (router-id %u.%u.%u.%u is higher)",
			 p->name, p->conf->router_id >> 24, (p->conf->router_id >> 16) & 0xFF,
			 (p->conf->router_id >> 8) & 0xFF, p->conf->router_id & 0xFF);
		drop_parked(sp, pk, BGP_CEASE_COLLISION);
		return;
	}
	unpark(sp, pk);
	uv_read_stop((uv_stream_t *)pk->tcp);
	peer_adopt(p, pk->tcp, pk->buf, pk->len);
	free(pk);
}

static void on_park_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	struct parked *pk = h->data;
	*buf = uv_buf_init((char *)pk->buf + pk->len, (unsigned)(sizeof(pk->buf) - pk->len));
}

static void on_park_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	struct parked *pk = s->data;
	struct speaker *sp = pk->sp;
	if (nread < 0) {
		log_info(LOG_NETWORK, "incoming connection from %s closed before its OPEN", pk->name);
		drop_parked(sp, pk, 0);
		return;
	}
	pk->len += (size_t)nread;
	if (pk->len < BGP_HEADER_LEN)
		return;
	uint16_t len;
	uint8_t type, sub, data[2];
	size_t dlen;
	/* RFC 4271 6.1: a bad header is answered 1/x with its data, before
	 * the OPEN as in any state (the extended message capability, RFC 8654,
	 * is not negotiated yet: 4096 is the limit); RFC 4271 8.2.2 / RFC 6608:
	 * another message before the OPEN is an FSM error (5/1, the state
	 * being OpenSent's counterpart for a connection we accepted). */
	if (bgp_header_check(pk->buf, BGP_MAX_MSG, &len, &type, &sub, data, &dlen) < 0) {
		log_info(LOG_NETWORK, "incoming connection from %s: bad message header (1/%u)", pk->name, sub);
		drop_parked_notify(sp, pk, BGP_ERR_HEADER, sub, data, dlen);
		return;
	}
	if (type == BGP_MSG_NOTIFICATION) { /* RFC 4271 6: never answered with one */
		log_info(LOG_NETWORK, "incoming connection from %s: NOTIFICATION before the OPEN", pk->name);
		drop_parked(sp, pk, 0);
		return;
	}
	if (type != BGP_MSG_OPEN) {
		log_info(LOG_NETWORK, "incoming connection from %s: first message is a %s, not an OPEN (5/1)",
			 pk->name, bgp_msg_type_name(type));
		drop_parked_notify(sp, pk, BGP_ERR_FSM, BGP_ERR_FSM_OPENSENT, NULL, 0);
		return;
	}
	if (pk->len < len)
		return;
	/* version(1) my-as(2) hold(2) then the BGP identifier */
	resolve(sp, pk, get_u32(pk->buf + BGP_HEADER_LEN + 5));
}

static void on_sweep(uv_timer_t *t)
{
	struct speaker *sp = t->data;
	uint64_t now = uv_now(sp->loop);
	struct parked *pk = sp->parked;
	while (pk) {
		struct parked *next = pk->next;
		if (now >= pk->deadline) {
			log_info(LOG_NETWORK, "incoming connection from %s sent no OPEN in time, closed", pk->name);
			drop_parked(sp, pk, 0);
		}
		pk = next;
	}
	if (!sp->parked) {
		uv_timer_stop(&sp->sweep);
		sp->sweep_active = false;
	}
}

static void on_connection(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	struct speaker *sp = l->sp;
	if (status < 0) {
		log_error(LOG_NETWORK, "accept failed: %s", uv_strerror(status));
		return;
	}
	uv_tcp_t *tcp = malloc(sizeof(*tcp));
	if (!tcp)
		return;
	uv_tcp_init(sp->loop, tcp);
	if (uv_accept(server, (uv_stream_t *)tcp) < 0) {
		uv_close((uv_handle_t *)tcp, free_handle);
		return;
	}
	struct sockaddr_storage rs, ls;
	int rlen = sizeof(rs), llen = sizeof(ls);
	struct ip_addr remote, local;
	memset(&remote, 0, sizeof(remote));
	memset(&local, 0, sizeof(local));
	if (uv_tcp_getpeername(tcp, (struct sockaddr *)&rs, &rlen) == 0)
		ip_from_sockaddr((struct sockaddr *)&rs, &remote);
	if (uv_tcp_getsockname(tcp, (struct sockaddr *)&ls, &llen) == 0)
		ip_from_sockaddr((struct sockaddr *)&ls, &local);
	char name[64];
	sockaddr_format((struct sockaddr *)&rs, name, sizeof(name));
	struct peer *p = sp->shutting_down ? NULL : speaker_find_peer(sp, &remote, &local);
	if (!p) {
		log_warning(LOG_NETWORK, "connection from %s refused: not a configured neighbor", name);
		uv_close((uv_handle_t *)tcp, free_handle);
		return;
	}
	char aoerr[256];
	if (p->conf->tcp_ao.algorithm != TCP_AO_NONE && tcp_ao_probe(p->conf, aoerr, sizeof(aoerr)) < 0) {
		/* without the key the kernel accepted an unauthenticated connection */
		log_error(LOG_NETWORK, "connection from %s refused: %s", name, aoerr);
		uv_close((uv_handle_t *)tcp, free_handle);
		return;
	}
	/* A bound per source address: each parked connection holds a buffer of
	 * BGP_MAX_MSG bytes for up to bgp.openwait seconds, so one address
	 * opening connections and sending nothing would otherwise grow memory
	 * without limit.  A real peer has one, two during a collision
	 * (RFC 4271 6.8). */
	int limit = sp->opts.pending_per_source > 0 ? sp->opts.pending_per_source : 8;
	int pending = 0;
	for (const struct parked *q = sp->parked; q; q = q->next)
		pending += q->remote.afi == remote.afi && !memcmp(q->remote.addr, remote.addr, sizeof(remote.addr));
	if (pending >= limit) {
		log_warning(LOG_NETWORK,
			    "connection from %s refused: %d connections from this address already wait for their OPEN "
			    "(exabgp.tcp.pending_per_source)",
			    name, pending);
		uv_close((uv_handle_t *)tcp, free_handle);
		return;
	}
	struct parked *pk = calloc(1, sizeof(*pk));
	if (!pk) {
		uv_close((uv_handle_t *)tcp, free_handle);
		return;
	}
	pk->tcp = tcp;
	pk->sp = sp;
	pk->remote = remote;
	pk->local = local;
	/* bgp.openwait: the peer must send its OPEN within that many seconds */
	pk->deadline = uv_now(sp->loop) + (uint64_t)sp->opts.openwait * 1000u;
	snprintf(pk->name, sizeof(pk->name), "%s", name);
	tcp->data = pk;
	pk->next = sp->parked;
	sp->parked = pk;
	log_info(LOG_NETWORK, "incoming connection from %s (neighbor %s)", name, p->name);
	uv_read_start((uv_stream_t *)tcp, on_park_alloc, on_park_read);
	if (!sp->sweep_active) {
		sp->sweep_active = true;
		uv_timer_start(&sp->sweep, on_sweep, 1000, 1000);
	}
}

int listener_open(struct speaker *sp, const struct ip_addr *addr, unsigned port)
{
	struct sockaddr_storage ss;
	char name[64];
	if (sockaddr_from_ip(addr, port, &ss) < 0)
		return -1;
	sockaddr_format((struct sockaddr *)&ss, name, sizeof(name));
	struct listener *l = calloc(1, sizeof(*l));
	if (!l)
		return -1;
	l->sp = sp;
	l->addr = *addr;
	l->port = port;
	uv_tcp_init(sp->loop, &l->tcp);
	l->tcp.data = l;
	int rc = uv_tcp_bind(&l->tcp, (struct sockaddr *)&ss, addr->afi == AFI_IPV6 ? UV_TCP_IPV6ONLY : 0);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&l->tcp, LISTEN_BACKLOG, on_connection);
	if (rc < 0) {
		log_error(LOG_NETWORK, "cannot listen on %s port %u: %s", name, port, uv_strerror(rc));
		uv_close((uv_handle_t *)&l->tcp, free_handle);
		return -1;
	}
	log_info(LOG_NETWORK, "listening on %s port %u", name, port);
	l->next = sp->listeners;
	sp->listeners = l;
	return 0;
}

void listener_apply_md5(struct speaker *sp)
{
	for (struct listener *l = sp->listeners; l; l = l->next) {
		uv_os_fd_t fd;
		if (uv_fileno((uv_handle_t *)&l->tcp, &fd) < 0)
			continue;
		for (int i = 0; i < sp->npeers; i++) {
			struct peer *p = sp->peers[i];
			const struct neighbor_conf *c = p->conf;
			char err[256];
			if (c->tcp_ao.algorithm != TCP_AO_NONE && c->peer_address.afi == l->addr.afi &&
			    tcp_ao_set_key(fd, c, err, sizeof(err)) < 0)
				log_error(LOG_NETWORK, "peer %s: listening socket: %s", p->name, err);
			if (!c->md5_password || !*c->md5_password || c->peer_address.afi != l->addr.afi)
				continue;
			if (sockopt_md5(fd, &c->peer_address, c->md5_password, c->md5_base64, err, sizeof(err)) < 0)
				log_error(LOG_NETWORK, "peer %s: listening socket: %s", p->name, err);
		}
	}
}

void listener_close_all(struct speaker *sp)
{
	struct listener *l = sp->listeners;
	while (l) {
		struct listener *n = l->next;
		uv_close((uv_handle_t *)&l->tcp, free_handle); /* l starts with its handle */
		l = n;
	}
	sp->listeners = NULL;
	while (sp->parked)
		drop_parked(sp, sp->parked, 0);
	if (!uv_is_closing((uv_handle_t *)&sp->sweep))
		uv_close((uv_handle_t *)&sp->sweep, NULL);
}
