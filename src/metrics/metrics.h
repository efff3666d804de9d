/* Prometheus metrics over HTTP (exabgp.metrics.listen, docs/metrics.md).
 *
 * libmicrohttpd serves /metrics from its own thread.  That thread never
 * reads peer or helper state: once a second the loop renders every metric
 * into a text buffer and publishes it under a mutex, and a scrape copies
 * the last published text.  So a slow or hostile HTTP client costs the
 * HTTP thread only, and BGP timers never wait for it. */
#ifndef FASTBGP_METRICS_H
#define FASTBGP_METRICS_H

#include <stddef.h>
#include <uv.h>

struct speaker;
struct metrics;

/* Parses "host:port" or "[v6]:port" into out (a struct sockaddr_storage);
 * -1 with a message in err when it is not one. */
int metrics_parse_listen(const char *listen, void *out, size_t outlen, char *err, size_t errlen);
/* Starts the endpoint; NULL (message in err) when listen is invalid or the
 * address cannot be bound. */
struct metrics *metrics_open(uv_loop_t *loop, struct speaker *sp, const char *listen, char *err, size_t errlen);
/* Stops the HTTP thread, closes the timer; m is freed by the close callback. */
void metrics_close(struct metrics *m);

#endif
