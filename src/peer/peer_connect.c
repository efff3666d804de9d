/* Outgoing connections of a peer: the socket with its MD5 / TTL options
 * set before the SYN, the connect, and the speaker's connection slots (see
 * speaker.h) that keep thousands of neighbors from connecting at once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "peer/peer_int.h"
#include "peer/sockopt.h"
#include "peer/tcp_ao.h"
#include "peer/speaker.h"

#define CONNECT_TIMEOUT 10u /* seconds to wait for the TCP handshake */
#define OPEN_WATCH_MS 3000u /* then: is our OPEN still unacknowledged? */

/* A listener whose accept queue is full (BIRD's holds 8) drops the last ACK
 * of the handshake, or answers with a SYN cookie it then cannot honour: our
 * side sees the connection up while the peer has no socket, and our OPEN is
 * retransmitted into the void until the open wait (60 s) runs out.  Three
 * seconds after connecting, an OPEN the peer's kernel never acknowledged,
 * after at least two retransmission timeouts, means that: reconnect now.
 * A peer that is merely slow has acknowledged the bytes (its kernel does,
 * before the application reads them) and is left alone. */
static void on_open_watch(uv_timer_t *t)
{
	struct peer *p = t->data;
	uv_os_fd_t fd;
	if (p->state != PEER_OPENSENT || !p->tcp || uv_fileno((uv_handle_t *)p->tcp, &fd) < 0)
		return;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 || !ti.tcpi_unacked || ti.tcpi_backoff < 2)
		return;
	log_error(LOG_NETWORK,
		  "peer %s: our OPEN is unacknowledged after %u retransmissions (the peer's listen queue is "
		  "probably full): reconnecting",
		  p->name, (unsigned)ti.tcpi_backoff);
	snprintf(p->down_what, sizeof(p->down_what), "no answer to our OPEN");
	snprintf(p->down_error, sizeof(p->down_error), "unacknowledged at the TCP level");
	peer_close_connection(p);
}

static void on_connect(uv_connect_t *req, int status)
{
	struct peer *p = req->data;
	free(req);
	/* A connection keeps its slot until the peer's OPEN arrives (peer.c
	 * set_state): a listener whose accept queue overflowed completes the
	 * handshake on our side and never answers. */
	if (status < 0 || p->freeing)
		speaker_connect_done(p->sp, p); /* p is still allocated: this callback counts */
	if (peer_callback_done(p) || status == UV_ECANCELED)
		return;
	if (status < 0) {
		log_info(LOG_NETWORK, "peer %s: connection failed: %s", p->name, uv_strerror(status));
		if (p->tcp)
			peer_close_tcp(p);
		peer_fsm(p, EV_TCP_FAILED, NULL);
		return;
	}
	log_info(LOG_NETWORK, "peer %s: connected", p->name);
	peer_connected(p);
	if (p->state == PEER_OPENSENT && p->tcp)
		uv_timer_start(&p->connect_timer, on_open_watch, OPEN_WATCH_MS, 0);
}

/* Applies MD5 and TTL options of the neighbor to a socket.  Logs and
 * returns -1 when an option the operator asked for cannot be honoured. */
int peer_socket_options(struct peer *p, int fd, int family)
{
	const struct neighbor_conf *c = p->conf;
	char err[256];
	if (c->tcp_ao.algorithm != TCP_AO_NONE && tcp_ao_set_key(fd, c, err, sizeof(err)) < 0) {
		log_error(LOG_NETWORK, "peer %s: %s", p->name, err);
		return -1;
	}
	if (c->md5_password && *c->md5_password &&
	    sockopt_md5(fd, &c->peer_address, c->md5_password, c->md5_base64, err, sizeof(err)) < 0) {
		log_error(LOG_NETWORK, "peer %s: %s", p->name, err);
		return -1;
	}
	if (c->outgoing_ttl > 0 && sockopt_ttl(fd, family, c->outgoing_ttl, err, sizeof(err)) < 0) {
		log_error(LOG_NETWORK, "peer %s: %s", p->name, err);
		return -1;
	}
	if (c->incoming_ttl > 0 && sockopt_minttl(fd, family, c->incoming_ttl, err, sizeof(err)) < 0) {
		log_error(LOG_NETWORK, "peer %s: %s", p->name, err);
		return -1;
	}
	return 0;
}

/* Gives the connection slot back before the FSM runs (it may free p). */
static void connect_failed(struct peer *p)
{
	speaker_connect_done(p->sp, p);
	peer_fsm(p, EV_TCP_FAILED, NULL);
}

void peer_start_connect(struct peer *p)
{
	const struct neighbor_conf *c = p->conf;
	if (!speaker_connect_slot(p->sp, p)) {
		log_debug(LOG_NETWORK, "peer %s: waiting for a connection slot (%d in progress)", p->name,
			  p->sp->connecting);
		return;
	}
	struct sockaddr_storage dst, src;
	uint16_t port = c->connect_port ? c->connect_port : p->sp->opts.port;
	if (sockaddr_from_ip(&c->peer_address, port, &dst) < 0) {
		connect_failed(p);
		return;
	}
	/* The socket is made here rather than by libuv so that MD5 and TTL
	 * options are in place before the SYN leaves. */
	int fd = socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error(LOG_NETWORK, "peer %s: socket: %s", p->name, strerror(errno));
		connect_failed(p);
		return;
	}
	if (peer_socket_options(p, fd, dst.ss_family) < 0) {
		close(fd);
		connect_failed(p);
		return;
	}
	p->tcp = malloc(sizeof(*p->tcp));
	uv_connect_t *req = malloc(sizeof(*req));
	if (!p->tcp || !req) {
		free(p->tcp);
		free(req);
		p->tcp = NULL;
		close(fd);
		connect_failed(p);
		return;
	}
	uv_tcp_init(p->sp->loop, p->tcp);
	p->tcp->data = p;
	req->data = p;
	p->connect_attempts++;
	int rc = uv_tcp_open(p->tcp, fd);
	if (rc == 0 && !c->local_address_auto && sockaddr_from_ip(&c->local_address, 0, &src) == 0)
		rc = uv_tcp_bind(p->tcp, (struct sockaddr *)&src, 0);
	if (rc == 0)
		rc = uv_tcp_connect(req, p->tcp, (struct sockaddr *)&dst, on_connect);
	if (rc == 0)
		p->callbacks++;
	if (rc < 0) {
		log_error(LOG_NETWORK, "peer %s: cannot connect: %s", p->name, uv_strerror(rc));
		free(req);
		peer_close_tcp(p);
		connect_failed(p);
		return;
	}
	log_info(LOG_NETWORK, "peer %s: connecting to port %u (attempt %u)", p->name, port, p->connect_attempts);
	peer_restart_hold_timer(p, CONNECT_TIMEOUT);
}
