/* Prometheus metrics over HTTP (exabgp.metrics.listen, docs/metrics.md).
 *
 * libmicrohttpd serves /metrics from its own thread.  That thread never
 * reads peer or helper state: a scrape finding the last text older than a
 * second wakes the loop (uv_async), which renders every metric into a
 * buffer and publishes it under a mutex; the scrape copies the published
 * text.  So a slow or hostile HTTP client costs the HTTP thread only, BGP
 * timers never wait for it, and nothing is rendered when nobody scrapes. */
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
/* Stops the HTTP thread, closes the async handle; m is freed by its close callback. */
void metrics_close(struct metrics *m);

#endif
