/* Decode once: each received message is decoded here, one time, with the
 * session's options (4-octet ASNs, eBGP, negotiated families, ADD-PATH)
 * into a struct peer_msg: the FSM acts on it, the adj-rib-in stores its
 * attribute sets and the process API prints it (see peer_int.h). */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#include "peer/peer_int.h"
#include "peer/speaker.h"
#include "wire/header.h"

/* The pool received attribute sets are interned in: the adj-rib-in keeps
 * them, the API prints them; NULL when neither wants them (no sets built:
 * the UPDATE is only validated). */
static struct attr_pool *update_pool(const struct peer *p)
{
	if (p->conf->adj_rib_in || (p->sp->api && api_wants_message(&p->api, API_DIR_RECEIVE, BGP_MSG_UPDATE)))
		return p->sp->cfg->pool;
	return NULL;
}

static int decode_open(struct peer *p, struct peer_rx *rx)
{
	struct peer_msg *m = &rx->msg;
	uint8_t sub;
	(void)p; /* decoded in any state: the API prints it, the FSM answers */
	if (open_decode(m->body, m->body_len, &rx->open, &rx->listing, &sub) < 0) {
		/* 2/1 carries the version we support (RFC 4271 6.2). */
		static const uint8_t version[2] = {0, BGP_VERSION};
		m->err_code = BGP_ERR_OPEN;
		m->err_sub = sub;
		if (sub == BGP_ERR_OPEN_VERSION) {
			m->err_data = version;
			m->err_len = sizeof(version);
		}
		return EV_OPEN_ERROR;
	}
	m->open = &rx->open;
	m->listing = &rx->listing;
	return EV_OPEN_RECEIVED;
}

void peer_rx_update_opts(const struct peer *p, struct update_parse_opts *uo)
{
	*uo = (struct update_parse_opts){
		.asn4 = p->neg.asn4,
		.ebgp = p->conf->local_as != p->neg.peer_as,
		.families = p->neg.families,
		.addpath_rx = p->neg.addpath_receive,
		.first_as = p->conf->enforce_first_as ? p->neg.peer_as : 0,
		.has_self4 = p->popts.enc.has_self4,
	};
	memcpy(uo->self4, p->popts.enc.self4, 4);
}

static int decode_update(struct peer *p, struct peer_rx *rx)
{
	struct peer_msg *m = &rx->msg;
	if (p->state != PEER_ESTABLISHED)
		return EV_UPDATE_RECEIVED; /* unexpected: not decoded, the FSM answers */
	peer_rx_update_opts(p, &rx->uo);
	m->update = &p->sp->scratch_update;
	m->update_opts = &rx->uo;
	m->pool = update_pool(p);
	update_parse(m->body, m->body_len, &rx->uo, m->pool, m->update);
	if (m->update->verdict != UPDATE_RESET)
		return EV_UPDATE_RECEIVED;
	m->err_code = m->update->err_code;
	m->err_sub = m->update->err_sub;
	m->err_data = m->update->err_data;
	m->err_len = m->update->err_data_len;
	return EV_UPDATE_ERROR;
}

static int decode_refresh(struct peer_rx *rx)
{
	struct peer_msg *m = &rx->msg;
	int rc = refresh_decode(m->body, m->body_len, &rx->rr, &m->err_code, &m->err_sub);
	if (rc == REFRESH_ERROR) {
		if (m->err_code == BGP_ERR_ROUTE_REFRESH) { /* RFC 7313 5: the whole message */
			m->err_data = m->raw;
			m->err_len = m->len;
		} else { /* RFC 4271 6.1: the length field */
			m->err_data = m->raw + BGP_MARKER_LEN;
			m->err_len = 2;
		}
		return EV_REFRESH_ERROR;
	}
	/* subtype 3..255 (RFC 7313 5): ignored, m->rr stays NULL */
	if (rc == REFRESH_OK)
		m->rr = &rx->rr;
	return EV_REFRESH_RECEIVED;
}

int peer_rx_decode(struct peer *p, const uint8_t *raw, size_t len, struct peer_rx *rx)
{
	struct peer_msg *m = &rx->msg;
	memset(m, 0, sizeof(*m));
	m->raw = raw;
	m->len = len;
	m->type = raw[18];
	m->body = raw + BGP_HEADER_LEN;
	m->body_len = len - BGP_HEADER_LEN;
	switch (m->type) {
	case BGP_MSG_OPEN:
		return decode_open(p, rx);
	case BGP_MSG_UPDATE:
		return decode_update(p, rx);
	case BGP_MSG_NOTIFICATION:
		if (notification_decode(m->body, m->body_len, &rx->notif) == 0)
			m->notif = &rx->notif;
		return EV_NOTIFICATION_RECEIVED;
	case BGP_MSG_ROUTE_REFRESH:
		return decode_refresh(rx);
	case BGP_MSG_KEEPALIVE:
		return EV_KEEPALIVE_RECEIVED;
	default: /* the header check lets no other type through */
		return -1;
	}
}

void peer_rx_done(struct peer_rx *rx)
{
	if (rx->msg.update)
		update_msg_release(rx->msg.update, rx->msg.pool);
	rx->msg.update = NULL;
}

void peer_rx_header_error(struct peer_rx *rx, const uint8_t *raw, uint8_t sub, const uint8_t *data, size_t len)
{
	memset(&rx->msg, 0, sizeof(rx->msg));
	rx->msg.raw = raw;
	rx->msg.err_code = BGP_ERR_HEADER;
	rx->msg.err_sub = sub;
	rx->msg.err_data = data;
	rx->msg.err_len = len;
}

void peer_rx_to_api(struct peer *p, const struct peer_rx *rx)
{
	const struct peer_msg *m = &rx->msg;
	struct api_rx a = {
		.msg = m->raw,
		.len = m->len,
		.update = m->update,
		.addpath = m->update_opts ? m->update_opts->addpath_rx : 0,
		.ebgp = m->update_opts && m->update_opts->ebgp,
		.open = m->listing,
		.notif = m->notif,
		.rr = m->rr,
	};
	api_event_received(p->sp->api, &p->api, &a);
}

void peer_rx_local_update(struct peer *p, const uint8_t *raw, size_t len, const struct update_parse_opts *uo)
{
	if (!p->sp->api || len < BGP_HEADER_LEN || !api_wants_message(&p->api, API_DIR_RECEIVE, BGP_MSG_UPDATE))
		return;
	/* Not the speaker's scratch_update: this runs while a received UPDATE
	 * (an End-of-RIB) is still decoded there. */
	struct update_msg *u = malloc(sizeof(*u));
	if (!u) {
		log_error(LOG_RIB, "peer %s: out of memory telling helpers of routes removed", p->name);
		return;
	}
	struct attr_pool *pool = update_pool(p);
	update_parse(raw + BGP_HEADER_LEN, len - BGP_HEADER_LEN, uo, pool, u);
	if (u->verdict == UPDATE_OK) {
		struct api_rx a = {.msg = raw, .len = len, .update = u, .addpath = uo->addpath_rx, .ebgp = uo->ebgp};
		api_event_local_withdraw(p->sp->api, &p->api, &a);
	} else {
		log_error(LOG_RIB, "peer %s: withdrawal built for helpers does not decode (%s)", p->name,
			  u->reason ? u->reason : "?");
	}
	update_msg_release(u, pool);
	free(u);
}
