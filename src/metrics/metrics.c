/* The metrics endpoint (metrics.h): the HTTP side and the publishing. */
#include "metrics/metrics.h"
#include "metrics/render.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define METRICS_FRESH_MS 1000   /* a scrape re-renders text older than this */
#define METRICS_WAIT_MS 2000    /* longest a scrape waits for the loop, then takes the last text */
#define METRICS_CONN_LIMIT 32   /* scrapers are few; bounds what a flood costs */
#define METRICS_CONN_TIMEOUT 10 /* seconds an idle or slow client may hold a connection */

struct metrics {
	uv_loop_t *loop;
	struct speaker *sp;
	uv_async_t wake;            /* the HTTP thread asks the loop for fresh text */
	struct MHD_Daemon *mhd;
	struct metrics_text draft;  /* the loop's: rendered here, then swapped in */
	/* lock guards what both threads touch: the published text, its age,
	 * its generation and closing; fresh is signalled on each publish. */
	pthread_mutex_t lock;
	pthread_cond_t fresh;
	struct metrics_text published;
	uint64_t published_ms;      /* mono_ms() of the last publish */
	unsigned generation;        /* publishes so far */
	bool closing;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The HTTP thread, lock held: text at most METRICS_FRESH_MS old, unless
 * the loop does not answer within METRICS_WAIT_MS (then the last text). */
static void wait_fresh(struct metrics *m)
{
	if (m->closing || mono_ms() - m->published_ms < METRICS_FRESH_MS)
		return;
	unsigned gen = m->generation;
	uv_async_send(&m->wake);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += METRICS_WAIT_MS / 1000;
	while (m->generation == gen && !m->closing)
		if (pthread_cond_timedwait(&m->fresh, &m->lock, &until) == ETIMEDOUT)
			break;
}

int metrics_parse_listen(const char *listen, void *out, size_t outlen, char *err, size_t errlen)
{
	char host[64];
	const char *colon, *h = listen;
	size_t hl;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':')
			goto bad;
		h = listen + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strchr(listen, ':'); /* an IPv6 address needs its brackets */
		if (!colon || strchr(colon + 1, ':'))
			goto bad;
		hl = (size_t)(colon - listen);
	}
	if (hl == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, h, hl);
	host[hl] = 0;
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 1 || port > 65535)
		goto bad;
	memset(out, 0, outlen);
	struct sockaddr_in *v4 = out;
	struct sockaddr_in6 *v6 = out;
	if (outlen >= sizeof(*v4) && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (outlen >= sizeof(*v6) && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		return 0;
	}
bad:
	snprintf(err, errlen, "exabgp.metrics.listen '%s': expected IP:PORT or [IPv6]:PORT", listen);
	return -1;
}

/* The HTTP thread: only the published copy is read, under the lock. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_len, void **state)
{
	(void)version, (void)upload, (void)state;
	struct metrics *m = cls;
	if (*upload_len)
		*upload_len = 0; /* a body is not wanted: dropped */
	struct MHD_Response *r;
	unsigned status;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		static const char msg[] = "only GET\n";
		r = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (strcmp(url, "/metrics")) {
		static const char msg[] = "not found: the metrics are at /metrics\n";
		r = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_FOUND;
	} else {
		pthread_mutex_lock(&m->lock);
		wait_fresh(m);
		r = MHD_create_response_from_buffer(m->published.len, m->published.data, MHD_RESPMEM_MUST_COPY);
		pthread_mutex_unlock(&m->lock);
		status = MHD_HTTP_OK;
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
	}
	if (!r)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The loop: render into the draft, then swap it with the published text. */
static void publish(struct metrics *m)
{
	m->draft.len = 0;
	metrics_render(&m->draft, m->sp);
	if (m->draft.failed)
		return; /* out of memory: the last good text stays */
	pthread_mutex_lock(&m->lock);
	struct metrics_text t = m->published;
	m->published = m->draft;
	m->draft = t;
	m->published_ms = mono_ms();
	m->generation++;
	pthread_cond_broadcast(&m->fresh);
	pthread_mutex_unlock(&m->lock);
}

/* Rendering only when scraped: 10,000 idle neighbors cost nothing
 * between scrapes. */
static void on_wake(uv_async_t *w)
{
	publish(w->data);
}

struct metrics *metrics_open(uv_loop_t *loop, struct speaker *sp, const char *listen, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	if (metrics_parse_listen(listen, &addr, sizeof(addr), err, errlen) < 0)
		return NULL;
	struct metrics *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->loop = loop;
	m->sp = sp;
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->fresh, &ca);
	pthread_condattr_destroy(&ca);
	publish(m); /* a scrape right after startup gets the metrics */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	m->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, m, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_CONN_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
				  (unsigned)METRICS_CONN_TIMEOUT, MHD_OPTION_END);
	if (!m->mhd) {
		snprintf(err, errlen, "exabgp.metrics.listen %s: cannot listen: %s", listen, strerror(errno));
		pthread_mutex_destroy(&m->lock);
		pthread_cond_destroy(&m->fresh);
		metrics_text_free(&m->draft);
		metrics_text_free(&m->published);
		free(m);
		return NULL;
	}
	uv_async_init(loop, &m->wake, on_wake);
	m->wake.data = m;
	return m;
}

static void on_closed(uv_handle_t *h)
{
	struct metrics *m = h->data;
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->fresh);
	metrics_text_free(&m->draft);
	metrics_text_free(&m->published);
	free(m);
}

void metrics_close(struct metrics *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->closing = true; /* a scrape waiting for the loop stops waiting */
	pthread_cond_broadcast(&m->fresh);
	pthread_mutex_unlock(&m->lock);
	MHD_stop_daemon(m->mhd); /* joins the HTTP thread: nothing reads m afterwards */
	m->mhd = NULL;
	uv_close((uv_handle_t *)&m->wake, on_closed);
}
