/* NATS transport of a helper process (nats_transport.h).
 *
 * Threads: the libuv loop calls every nats_transport_* function; one
 * publisher thread of ours connects, publishes and disconnects, so that no
 * libnats call that may wait (connect, a full socket, a JetStream ack) runs
 * on the loop; libnats' own threads deliver commands and connection events.
 * Everything shared is under t->mu; the loop is woken with t->async. */
#include "api/nats_transport.h"

#include <nats/nats.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/ratelimit.h"

#define NATS_DRAIN_MS 1000      /* at close: time to publish what is queued */
#define NATS_CLOSE_WAIT_MS 2000 /* at close: time for libnats to finish its callbacks */
#define NATS_RETRY_MS 200       /* a failed publish is tried again after this */
#define NATS_JS_WAIT_MS 2000    /* longest wait for one JetStream ack */
#define NATS_BACKOFF_MIN_MS 100 /* reconnect delays double from this ... */
#define NATS_BACKOFF_MAX_MS 5000 /* ... up to this */
#define NATS_CMDS_PER_TURN 2048 /* command lines handed to the loop per turn */

struct nmsg {
	struct nmsg *next;
	char *subject;
	bool event;
	size_t len;
	char data[];
};

struct ncmd {
	struct ncmd *next;
	char *reply; /* NULL: none */
	bool too_long;
	size_t len;
	char line[];
};

struct nats_transport {
	uv_loop_t *loop;
	struct nats_transport_cbs cbs;
	char *name, *url, *stream;
	char *cmd_own, *cmd_all, *reply_default, *events_prefix, *stream_subjects;
	size_t buffer, max_line;

	uv_async_t async;
	pthread_t thread;
	bool thread_on;
	pthread_mutex_t mu;
	pthread_cond_t cv;

	/* under mu */
	struct nmsg *out_head, *out_tail;
	size_t out_n;
	struct ncmd *in_head, *in_tail;
	size_t in_n;
	uint64_t in_dropped;
	bool connected, stop, thread_done, nats_closed;
	unsigned reconnects, subs_done, subs;
	char conn_error[256];

	/* loop only */
	char *cur_reply;
	bool paused, started, closing, joined, was_connected, ever_connected;
	unsigned reconnects_seen;
	uint64_t dropped, in_dropped_seen;
	struct rate_limit droplimit;

	/* publisher thread only */
	natsOptions *opts;
	natsConnection *nc;
	natsSubscription *sub_own, *sub_all;
	jsCtx *js;
	bool stream_ready;
	uint64_t msg_seq;
	long long boot;
};

void nats_event_type(const char *msg, size_t len, char *out, size_t outlen)
{
	static const char key[] = "\"type\"";
	snprintf(out, outlen, "text");
	if (!msg || !len)
		return;
	const char *end = msg + len;
	const char *k = memmem(msg, len, key, sizeof(key) - 1);
	if (!k)
		return;
	const char *v = k + sizeof(key) - 1;
	while (v < end && (*v == ' ' || *v == ':'))
		v++;
	if (v >= end || *v != '"')
		return;
	v++;
	size_t n = 0;
	while (v + n < end && n + 1 < outlen &&
	       ((v[n] >= 'a' && v[n] <= 'z') || (v[n] >= 'A' && v[n] <= 'Z') || (v[n] >= '0' && v[n] <= '9') ||
		v[n] == '_' || v[n] == '-'))
		n++;
	if (n == 0 || v + n >= end || v[n] != '"')
		return;
	memcpy(out, v, n);
	out[n] = '\0';
}

static char *joined(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);
	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

static void deadline_in(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* ---- libnats threads ------------------------------------------------------ */

static void wake(struct nats_transport *t)
{
	uv_async_send(&t->async);
}

static void on_connected(natsConnection *nc, void *cl)
{
	(void)nc;
	struct nats_transport *t = cl;
	pthread_mutex_lock(&t->mu);
	t->connected = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	wake(t);
}

static void on_reconnected(natsConnection *nc, void *cl)
{
	struct nats_transport *t = cl;
	pthread_mutex_lock(&t->mu);
	t->reconnects++;
	pthread_mutex_unlock(&t->mu);
	on_connected(nc, cl);
}

static void on_disconnected(natsConnection *nc, void *cl)
{
	(void)nc;
	struct nats_transport *t = cl;
	pthread_mutex_lock(&t->mu);
	t->connected = false;
	pthread_mutex_unlock(&t->mu);
	wake(t);
}

static void on_closed(natsConnection *nc, void *cl)
{
	(void)nc;
	struct nats_transport *t = cl;
	pthread_mutex_lock(&t->mu);
	t->connected = false;
	t->nats_closed = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static void on_sub_complete(void *cl)
{
	struct nats_transport *t = cl;
	pthread_mutex_lock(&t->mu);
	t->subs_done++;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static int64_t backoff(natsConnection *nc, int attempts, void *cl)
{
	(void)nc;
	(void)cl;
	int64_t ms = NATS_BACKOFF_MIN_MS;
	for (int i = 1; i < attempts && ms < NATS_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < NATS_BACKOFF_MAX_MS ? ms : NATS_BACKOFF_MAX_MS;
}

/* One message on S.commands or <fleet>.all.commands: one command per line,
 * each answered on the message's reply subject.  Untrusted: lines longer
 * than max_line are refused, and the queue is bounded. */
static void on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *cl)
{
	(void)nc;
	(void)sub;
	struct nats_transport *t = cl;
	const char *d = natsMsg_GetData(msg);
	int dl = natsMsg_GetDataLength(msg);
	const char *reply = natsMsg_GetReply(msg);
	size_t len = d && dl > 0 ? (size_t)dl : 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(d + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (d + i)) : len - i;
		const char *s = d + i;
		i += n + (nl ? 1 : 0);
		if (n && s[n - 1] == '\r')
			n--;
		if (!n)
			continue;
		bool too_long = n > t->max_line;
		size_t keep = too_long ? 0 : n;
		struct ncmd *c = calloc(1, sizeof(*c) + keep + 1);
		if (!c)
			break;
		memcpy(c->line, s, keep);
		c->len = keep;
		c->too_long = too_long;
		if (reply && *reply && !(c->reply = strdup(reply))) {
			free(c);
			break;
		}
		pthread_mutex_lock(&t->mu);
		if (t->in_n >= t->buffer || t->stop) {
			t->in_dropped++;
			pthread_mutex_unlock(&t->mu);
			free(c->reply);
			free(c);
			continue;
		}
		if (t->in_tail)
			t->in_tail->next = c;
		else
			t->in_head = c;
		t->in_tail = c;
		t->in_n++;
		pthread_mutex_unlock(&t->mu);
	}
	natsMsg_Destroy(msg);
	wake(t);
}

/* ---- publisher thread ------------------------------------------------------ */

static void set_error(struct nats_transport *t, const char *what, natsStatus s)
{
	pthread_mutex_lock(&t->mu);
	snprintf(t->conn_error, sizeof(t->conn_error), "%s: %s", what, natsStatus_GetText(s));
	pthread_mutex_unlock(&t->mu);
	wake(t);
}

static int connect_bus(struct nats_transport *t)
{
	natsStatus s = natsOptions_Create(&t->opts);
	if (s == NATS_OK)
		s = natsOptions_SetURL(t->opts, t->url);
	if (s == NATS_OK)
		s = natsOptions_SetName(t->opts, t->name);
	if (s == NATS_OK)
		s = natsOptions_SetAllowReconnect(t->opts, true);
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(t->opts, -1); /* forever */
	if (s == NATS_OK)
		s = natsOptions_SetCustomReconnectDelay(t->opts, backoff, t);
	if (s == NATS_OK)
		s = natsOptions_SetRetryOnFailedConnect(t->opts, true, on_connected, t);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(t->opts, on_disconnected, t);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(t->opts, on_reconnected, t);
	if (s == NATS_OK)
		s = natsOptions_SetClosedCB(t->opts, on_closed, t);
	if (s != NATS_OK) {
		set_error(t, "NATS options", s);
		return -1;
	}
	s = natsConnection_Connect(&t->nc, t->opts);
	if (s == NATS_OK) {
		on_connected(t->nc, t);
	} else if (s == NATS_NOT_YET_CONNECTED) {
		set_error(t, "NATS server not reachable yet, events are held and the connection retried", s);
	} else {
		t->nc = NULL;
		set_error(t, "NATS connect", s);
		return -1;
	}
	s = natsConnection_Subscribe(&t->sub_own, t->nc, t->cmd_own, on_msg, t);
	if (s == NATS_OK && (s = natsSubscription_SetOnCompleteCB(t->sub_own, on_sub_complete, t)) == NATS_OK)
		t->subs++;
	if (s == NATS_OK && strcmp(t->cmd_own, t->cmd_all))
		s = natsConnection_Subscribe(&t->sub_all, t->nc, t->cmd_all, on_msg, t);
	if (s == NATS_OK && t->sub_all && (s = natsSubscription_SetOnCompleteCB(t->sub_all, on_sub_complete, t)) == NATS_OK)
		t->subs++;
	if (s != NATS_OK) {
		set_error(t, "NATS subscribe", s);
		return -1;
	}
	if (t->stream && (s = natsConnection_JetStream(&t->js, t->nc, NULL)) != NATS_OK) {
		set_error(t, "NATS JetStream", s);
		return -1;
	}
	return 0;
}

/* The stream is created when it does not exist, for S.events.> */
static natsStatus ensure_stream(struct nats_transport *t)
{
	if (t->stream_ready)
		return NATS_OK;
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, t->js, t->stream, NULL, &jerr);
	if (s == NATS_NOT_FOUND) {
		jsStreamConfig cfg;
		jsStreamConfig_Init(&cfg);
		const char *subjects[] = {t->stream_subjects};
		cfg.Name = t->stream;
		cfg.Subjects = subjects;
		cfg.SubjectsLen = 1;
		cfg.Storage = js_FileStorage;
		s = js_AddStream(&si, t->js, &cfg, NULL, &jerr);
	}
	jsStreamInfo_Destroy(si);
	if (s == NATS_OK)
		t->stream_ready = true;
	return s;
}

static natsStatus publish(struct nats_transport *t, const struct nmsg *m)
{
	int len = m->len > (size_t)INT32_MAX ? INT32_MAX : (int)m->len;
	if (!m->event || !t->js)
		return natsConnection_Publish(t->nc, m->subject, m->data, len);
	natsStatus s = ensure_stream(t);
	if (s != NATS_OK)
		return s;
	/* the id lets the server drop the copy when an ack was lost and the
	 * publish is tried again (JetStream deduplication) */
	char id[96];
	snprintf(id, sizeof(id), "%s-%lld-%llu", t->name, t->boot, (unsigned long long)t->msg_seq);
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MsgId = id;
	po.MaxWait = NATS_JS_WAIT_MS;
	jsPubAck *ack = NULL;
	jsErrCode jerr = 0;
	s = js_Publish(&ack, t->js, m->subject, m->data, len, &po, &jerr);
	jsPubAck_Destroy(ack);
	return s;
}

static void free_msgs(struct nmsg *m)
{
	while (m) {
		struct nmsg *n = m->next;
		free(m);
		m = n;
	}
}

static void disconnect_bus(struct nats_transport *t)
{
	if (t->nc) {
		natsConnection_FlushTimeout(t->nc, 500);
		natsConnection_Close(t->nc);
		struct timespec ts;
		deadline_in(&ts, NATS_CLOSE_WAIT_MS);
		pthread_mutex_lock(&t->mu);
		while ((!t->nats_closed || t->subs_done < t->subs) &&
		       pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0)
			;
		pthread_mutex_unlock(&t->mu);
	}
	natsSubscription_Destroy(t->sub_own);
	natsSubscription_Destroy(t->sub_all);
	jsCtx_Destroy(t->js);
	natsConnection_Destroy(t->nc);
	natsOptions_Destroy(t->opts);
	t->sub_own = t->sub_all = NULL;
	t->js = NULL;
	t->nc = NULL;
	t->opts = NULL;
}

static void *publisher(void *arg)
{
	struct nats_transport *t = arg;
	bool ok = connect_bus(t) == 0;
	struct timespec drain_end = {0, 0};
	bool failing = false; /* the last publish failed (logged once per run of failures) */
	pthread_mutex_lock(&t->mu);
	while (ok) {
		if (t->stop && !drain_end.tv_sec)
			deadline_in(&drain_end, NATS_DRAIN_MS);
		if (!t->out_head || !t->connected) {
			if (t->stop && (!t->out_head || !t->connected))
				break;
			pthread_cond_wait(&t->cv, &t->mu);
			continue;
		}
		struct nmsg *m = t->out_head;
		pthread_mutex_unlock(&t->mu);
		natsStatus s = publish(t, m);
		pthread_mutex_lock(&t->mu);
		if (s != NATS_OK && !failing && t->connected) {
			snprintf(t->conn_error, sizeof(t->conn_error), "NATS publish to %s failed, kept and retried: %s",
				 m->subject, natsStatus_GetText(s));
			uv_async_send(&t->async);
		}
		failing = s != NATS_OK;
		if (s == NATS_OK) {
			t->out_head = m->next;
			if (!t->out_head)
				t->out_tail = NULL;
			t->out_n--;
			t->msg_seq++;
			free(m);
			continue;
		}
		/* not accepted: kept at the head and tried again (JetStream
		 * retries until the server acks; core NATS when the client
		 * refuses it, as during a reconnection with a full buffer) */
		struct timespec ts;
		deadline_in(&ts, NATS_RETRY_MS);
		if (t->stop) {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			if (now.tv_sec > drain_end.tv_sec ||
			    (now.tv_sec == drain_end.tv_sec && now.tv_nsec >= drain_end.tv_nsec))
				break;
		}
		pthread_cond_timedwait(&t->cv, &t->mu, &ts);
	}
	while (!t->stop)
		pthread_cond_wait(&t->cv, &t->mu); /* a failed start waits for close */
	pthread_mutex_unlock(&t->mu);
	disconnect_bus(t);
	pthread_mutex_lock(&t->mu);
	t->thread_done = true;
	pthread_mutex_unlock(&t->mu);
	wake(t);
	return NULL;
}

/* ---- the loop ---------------------------------------------------------------- */

static void run_commands(struct nats_transport *t)
{
	unsigned budget = NATS_CMDS_PER_TURN;
	while (!t->paused && !t->closing && budget) {
		pthread_mutex_lock(&t->mu);
		struct ncmd *c = t->in_head;
		if (c) {
			t->in_head = c->next;
			if (!t->in_head)
				t->in_tail = NULL;
			t->in_n--;
		}
		pthread_mutex_unlock(&t->mu);
		if (!c)
			return;
		budget--;
		free(t->cur_reply);
		t->cur_reply = c->reply;
		if (c->too_long)
			t->cbs.too_long(t->cbs.ctx);
		else
			t->cbs.line(t->cbs.ctx, c->line, c->len);
		free(c);
	}
	if (!budget && !t->closing)
		uv_async_send(&t->async); /* the rest on the next turn */
}

static void on_async_closed(uv_handle_t *h)
{
	struct nats_transport *t = h->data;
	t->cbs.closed(t->cbs.ctx);
}

static void on_async(uv_async_t *a)
{
	struct nats_transport *t = a->data;
	pthread_mutex_lock(&t->mu);
	bool connected = t->connected, done = t->thread_done;
	unsigned reconnects = t->reconnects;
	uint64_t in_dropped = t->in_dropped;
	char err[sizeof(t->conn_error)];
	snprintf(err, sizeof(err), "%s", t->conn_error);
	t->conn_error[0] = '\0';
	size_t held = t->out_n;
	pthread_mutex_unlock(&t->mu);
	if (err[0])
		log_warning(LOG_PROCESSES, "process %s: %s (%s)", t->name, err, t->url);
	if (connected != t->was_connected && !t->closing) {
		if (connected)
			log_info(LOG_PROCESSES, "process %s: %s to NATS %s, %zu messages waiting",
				 t->name, t->ever_connected ? "reconnected" : "connected", t->url, held);
		else
			log_warning(LOG_PROCESSES, "process %s: NATS %s unreachable: events are held (at most %zu) "
				    "while libnats reconnects", t->name, t->url, t->buffer);
		t->ever_connected |= connected;
		t->was_connected = connected;
	}
	t->reconnects_seen = reconnects;
	if (in_dropped != t->in_dropped_seen) {
		log_warning(LOG_PROCESSES, "process %s: %llu commands from NATS dropped (more than %zu waiting)", t->name,
			    (unsigned long long)(in_dropped - t->in_dropped_seen), t->buffer);
		t->in_dropped_seen = in_dropped;
	}
	run_commands(t);
	if (done && !t->joined) {
		pthread_join(t->thread, NULL);
		t->joined = true;
		t->thread_on = false;
		uv_close((uv_handle_t *)&t->async, on_async_closed);
	}
}

struct nats_transport *nats_transport_new(uv_loop_t *loop, const struct nats_transport_conf *conf,
					  const struct nats_transport_cbs *cbs)
{
	struct nats_transport *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->loop = loop;
	t->cbs = *cbs;
	t->buffer = conf->buffer ? conf->buffer : NATS_DEFAULT_BUFFER;
	t->max_line = conf->max_line ? conf->max_line : 1048576;
	/* the fleet subject: the first token of S ("bgp" for "bgp.edge1") */
	const char *dot = strchr(conf->subject, '.');
	size_t fl = dot ? (size_t)(dot - conf->subject) : strlen(conf->subject);
	char fleet[256];
	snprintf(fleet, sizeof(fleet), "%.*s.all.commands", (int)(fl < 200 ? fl : 200), conf->subject);
	t->name = strdup(conf->name ? conf->name : "");
	t->url = strdup(conf->url);
	t->stream = conf->stream && *conf->stream ? strdup(conf->stream) : NULL;
	t->cmd_own = joined(conf->subject, ".commands");
	t->cmd_all = strdup(fleet);
	t->reply_default = joined(conf->subject, ".replies");
	t->events_prefix = joined(conf->subject, ".events.");
	t->stream_subjects = joined(conf->subject, ".events.>");
	t->boot = (long long)time(NULL);
	rate_limit_init(&t->droplimit, RATE_LIMIT_BURST, RATE_LIMIT_WINDOW_MS);
	if (!t->name || !t->url || (conf->stream && *conf->stream && !t->stream) || !t->cmd_own || !t->cmd_all ||
	    !t->reply_default || !t->events_prefix || !t->stream_subjects ||
	    pthread_mutex_init(&t->mu, NULL) != 0) {
		t->joined = true;
		nats_transport_free(t);
		return NULL;
	}
	pthread_cond_init(&t->cv, NULL);
	if (uv_async_init(loop, &t->async, on_async) < 0) {
		nats_transport_free(t);
		return NULL;
	}
	t->async.data = t;
	return t;
}

int nats_transport_start(struct nats_transport *t)
{
	if (t->started || t->closing)
		return 0;
	if (pthread_create(&t->thread, NULL, publisher, t) != 0) {
		log_error(LOG_PROCESSES, "process %s: can not start the NATS publisher thread", t->name);
		return -1;
	}
	t->thread_on = true;
	t->started = true;
	log_info(LOG_PROCESSES, "process %s: NATS %s, commands on %s and %s, events on %s*%s%s", t->name, t->url,
		 t->cmd_own, t->cmd_all, t->events_prefix, t->stream ? " into the JetStream stream " : "",
		 t->stream ? t->stream : "");
	return 0;
}

/* Queues one message; false when the buffer is full. */
static bool enqueue(struct nats_transport *t, const char *subject, bool event, const void *a, size_t alen,
		    const void *b, size_t blen)
{
	size_t len = alen + blen;
	if (len && ((const char *)(blen ? b : a))[(blen ? blen : alen) - 1] == '\n') {
		/* one message per line: the newline of the pipe is not sent */
		if (blen)
			blen--;
		else
			alen--;
		len--;
	}
	size_t sl = strlen(subject);
	pthread_mutex_lock(&t->mu);
	bool full = t->out_n >= t->buffer;
	pthread_mutex_unlock(&t->mu);
	if (full)
		return false;
	struct nmsg *m = malloc(sizeof(*m) + len + sl + 2);
	if (!m)
		return false;
	m->next = NULL;
	m->event = event;
	m->len = len;
	if (alen)
		memcpy(m->data, a, alen);
	if (blen)
		memcpy(m->data + alen, b, blen);
	m->data[len] = '\0';
	m->subject = m->data + len + 1;
	memcpy(m->subject, subject, sl + 1);
	pthread_mutex_lock(&t->mu);
	if (t->out_tail)
		t->out_tail->next = m;
	else
		t->out_head = m;
	t->out_tail = m;
	t->out_n++;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	return true;
}

static void count_drop(struct nats_transport *t)
{
	t->dropped++;
	uint64_t suppressed = 0;
	if (!rate_limit_allow(&t->droplimit, uv_now(t->loop), &suppressed))
		return;
	log_warning(LOG_PROCESSES, "process %s: NATS buffer full (%zu messages, exabgp.api.nats_buffer): "
		    "an event is dropped, %llu dropped so far (%llu such lines suppressed before)", t->name, t->buffer,
		    (unsigned long long)t->dropped, (unsigned long long)suppressed);
}

void nats_transport_event(struct nats_transport *t, const void *a, size_t alen, const void *b, size_t blen)
{
	if (t->closing)
		return;
	char type[64], subject[512];
	/* JSON: the type is in the body (after the prefix with the counter),
	 * or in the prefix; the text encoder's events are all "text" */
	snprintf(type, sizeof(type), "text");
	const char *first = alen ? a : b;
	if (alen + blen && first[0] == '{') {
		nats_event_type(b, blen, type, sizeof(type));
		if (!strcmp(type, "text"))
			nats_event_type(a, alen, type, sizeof(type));
	}
	snprintf(subject, sizeof(subject), "%s%s", t->events_prefix, type);
	if (!enqueue(t, subject, true, a, alen, b, blen))
		count_drop(t);
}

void nats_transport_reply(struct nats_transport *t, const void *a, size_t alen, const void *b, size_t blen)
{
	if (!enqueue(t, t->cur_reply ? t->cur_reply : t->reply_default, false, a, alen, b, blen))
		count_drop(t);
}

void nats_transport_pause(struct nats_transport *t, bool on)
{
	bool was = t->paused;
	t->paused = on;
	if (was && !on && !t->closing)
		uv_async_send(&t->async);
}

void nats_transport_close(struct nats_transport *t, const void *last, size_t lastlen)
{
	if (t->closing)
		return;
	if (last && lastlen)
		nats_transport_event(t, last, lastlen, NULL, 0);
	t->closing = true;
	if (!t->thread_on) {
		t->joined = true;
		uv_close((uv_handle_t *)&t->async, on_async_closed);
		return;
	}
	pthread_mutex_lock(&t->mu);
	t->stop = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

void nats_transport_free(struct nats_transport *t)
{
	if (!t)
		return;
	free_msgs(t->out_head);
	for (struct ncmd *c = t->in_head, *n; c; c = n) {
		n = c->next;
		free(c->reply);
		free(c);
	}
	free(t->cur_reply);
	free(t->name);
	free(t->url);
	free(t->stream);
	free(t->cmd_own);
	free(t->cmd_all);
	free(t->reply_default);
	free(t->events_prefix);
	free(t->stream_subjects);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t);
}

bool nats_transport_started(const struct nats_transport *t)
{
	return t->started && !t->closing;
}

size_t nats_transport_queued(struct nats_transport *t)
{
	pthread_mutex_lock(&t->mu);
	size_t n = t->out_n;
	pthread_mutex_unlock(&t->mu);
	return n;
}

uint64_t nats_transport_dropped(struct nats_transport *t)
{
	return t->dropped;
}
