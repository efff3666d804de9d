/* The event encoders: one vtable, two implementations (json.c, text.c).
 *
 * An encoder writes the body of one event into a wbuf, exactly as ExaBGP 4.2
 * builds it (reactor/api/response/json.py and text.py); the api module then
 * completes it per helper: the JSON prefix carries time, host, pid, ppid and
 * the neighbor's counter, which differs for every JSON helper, so the body
 * is built once per event and encoder, never once per helper.
 *
 * Messages are decoded once per event, before any encoder runs: the caller
 * fills struct api_ev with the decoded view the message needs. */
#ifndef FASTBGP_API_ENCODER_H
#define FASTBGP_API_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/command.h"
#include "nlri/family.h"
#include "wire/buf.h"
#include "wire/notification.h"
#include "wire/open.h"
#include "wire/refresh.h"

struct api_update_view;
struct open_listing;

enum api_dir {
	API_DIR_RECEIVE = 0,
	API_DIR_SEND = 1,
	API_DIR_DECODE = 2, /* "fastbgp decode": a received message shown with direction "in" */
};

/* Subscription keys of a neighbor, ExaBGP's neighbor.api[...] lists. */
enum api_sub {
	API_SUB_PROCESSES = 0,       /* every process of the api blocks */
	API_SUB_NEIGHBOR_CHANGES,
	API_SUB_NEGOTIATED,
	API_SUB_FSM,
	API_SUB_SIGNAL,
	API_SUB_GRACEFUL_RESTART,    /* fastbgp's "graceful-restart" events (RFC 4724 receiver) */
	API_SUB_MSG,                 /* + 9 * dir + kind (enum api_sub_msg) */
	API_SUB_COUNT = API_SUB_MSG + 18
};
enum api_sub_msg {
	API_SM_PARSED = 0, API_SM_PACKETS, API_SM_CONSOLIDATE, API_SM_OPEN, API_SM_UPDATE,
	API_SM_NOTIFICATION, API_SM_KEEPALIVE, API_SM_REFRESH, API_SM_OPERATIONAL,
};
#define API_SUB_KEY(dir, sm) (API_SUB_MSG + 9 * (dir) + (sm))

#define API_MAX_PROCESSES 256
/* A set of helper slots. */
typedef struct {
	uint64_t w[API_MAX_PROCESSES / 64];
} api_pset;
static inline void api_pset_add(api_pset *s, int i) { s->w[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline bool api_pset_has(const api_pset *s, int i) { return (s->w[i >> 6] >> (i & 63)) & 1; }
static inline bool api_pset_empty(const api_pset *s)
{
	for (size_t i = 0; i < sizeof(s->w) / sizeof(s->w[0]); i++)
		if (s->w[i])
			return false;
	return true;
}

/* What the API knows of one neighbor.  The host keeps one per peer (inside
 * its struct peer), fills it with api_neighbor_init() and hands it to every
 * api_* event function. */
struct api_neighbor {
	/* identity: printed in every event and matched by selectors */
	struct api_peer_id id;
	char peer_address[64];   /* "127.0.0.1" */
	char local_address[64];  /* "127.0.0.1", "None" while unknown */
	char family_allowed[64]; /* "in-open" */
	/* the session, read when an event needs it (NULL = not known yet) */
	const struct bgp_open *sent, *received;
	const struct negotiated *neg;
	void *host;              /* the host's peer, given back in struct api_peer_ref */
	/* owned by the api module */
	api_pset subs[API_SUB_COUNT];
	uint64_t counter;        /* JSON messages generated for this neighbor */
	uint8_t rx_mp[FAM_COUNT]; /* families of the last received OPEN, in its order */
	uint8_t nrx_mp;
	/* for "show neighbor", kept from the events */
	const struct neighbor_conf *conf;
	int state;               /* enum peer_state (api_event_fsm) */
	int64_t created, up_since, reset_at; /* wall clock seconds; up_since 0 = not up */
	uint64_t msgs_sent[8], msgs_received[8]; /* messages by BGP type */
};

/* Identity of the daemon in JSON headers; clock is replaceable for tests. */
struct api_fmt {
	int version;             /* 4: ExaBGP 4.2's JSON, 5: ExaBGP 5.0's differences */
	bool compact;            /* api.compact */
	const char *exabgp;      /* "4.0.1" or "5.0.0" */
	char host[256];
	long pid, ppid;
	double now;              /* time of the event being encoded */
};

/* One BGP message event, decoded once. */
struct api_ev {
	int dir;                 /* enum api_dir */
	uint8_t type;            /* BGP message type */
	const uint8_t *msg;      /* the whole message (19-byte header first) */
	size_t len;
	bool packets;            /* write "header" / "body" (hex) */
	bool negotiated;         /* add the "negotiated" object (update, packets) */
	const struct api_update_view *uv;    /* UPDATE */
	const struct open_listing *ov;      /* OPEN */
	const struct notification *notif;    /* NOTIFICATION */
	const struct route_refresh *rr;      /* ROUTE-REFRESH */
};

/* Each function writes the event's body into w and returns 0, or -1 when
 * this encoder sends nothing for the event (the text encoder has no fsm,
 * negotiated or signal events). */
struct api_encoder {
	const char *name;        /* "json", "text" */
	int (*state)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const char *state,
		     const char *reason);
	int (*fsm)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, int peer_state);
	int (*negotiated)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n);
	int (*signal)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, int signum);
	int (*open)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e);
	int (*update)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e);
	int (*eor)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e);
	int (*notification)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n,
			    const struct api_ev *e);
	int (*keepalive)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n,
			 const struct api_ev *e);
	int (*refresh)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e);
	int (*packets)(const struct api_fmt *f, struct wbuf *w, const struct api_neighbor *n, const struct api_ev *e);
	int (*shutdown)(const struct api_fmt *f, struct wbuf *w);
	/* The part that goes before the body in the line sent to one helper
	 * (JSON: "{ "exabgp": ..., "counter": N, "), written into buf; returns
	 * its length (0 for text).  counter 0: no counter (shutdown). */
	size_t (*prefix)(const struct api_fmt *f, char *buf, size_t len, uint64_t counter);
};

extern const struct api_encoder api_json_encoder;
extern const struct api_encoder api_text_encoder;

/* Dispatches a message event to the encoder function of its type (update
 * or eor for UPDATE).  Returns what it returns, -1 for other types. */
int api_encode_message(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
		       const struct api_neighbor *n, const struct api_ev *e);

/* ExaBGP's words: "receive" / "send" ("in" for decode). */
static inline const char *api_dir_name(int dir)
{
	return dir == API_DIR_SEND ? "send" : dir == API_DIR_DECODE ? "in" : "receive";
}

#endif
