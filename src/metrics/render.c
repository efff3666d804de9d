/* Rendering of every metric (render.h).  One table row per metric, so the
 * HELP and TYPE lines, the docs and the values stay together. */
#include "metrics/render.h"

#include "api/api.h"
#include "nlri/family.h"
#include "peer/peer.h"
#include "peer/speaker.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

void metrics_text_free(struct metrics_text *t)
{
	free(t->data);
	memset(t, 0, sizeof(*t));
}

static void put(struct metrics_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct metrics_text *t, const char *fmt, ...)
{
	if (t->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if (t->data && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap * 2 : 16384;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *d = realloc(t->data, cap);
		if (!d) {
			t->failed = true;
			return;
		}
		t->data = d;
		t->cap = cap;
	}
}

/* A label value: backslash, double quote and newline escaped, as the
 * exposition format requires; anything else is copied. */
static void put_label(struct metrics_text *t, const char *s)
{
	char buf[256];
	size_t o = 0;
	for (; *s && o + 2 < sizeof(buf); s++) {
		if (*s == '\\' || *s == '"') {
			buf[o++] = '\\';
			buf[o++] = *s;
		} else if (*s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = 0;
	put(t, "%s", buf);
}

/* ---- neighbors ---- */

/* BGP4-MIB bgpPeerState numbering (RFC 4273): idle 1 .. established 6 */
static double n_state(const struct peer *p)
{
	return p->state + 1;
}
static double n_up(const struct peer *p)
{
	return p->state == PEER_ESTABLISHED;
}
static double n_uptime(const struct peer *p)
{
	if (p->state != PEER_ESTABLISHED)
		return 0;
	uint64_t now = uv_now(p->sp->loop);
	return now > p->established_at_ms ? (double)(now - p->established_at_ms) / 1000.0 : 0;
}

enum per { PER_NONE, PER_FAMILY, PER_CODE };
#define FIELD(f) offsetof(struct peer, f)

static const struct neighbor_metric {
	const char *name, *type, *help;
	double (*value)(const struct peer *p); /* or NULL: the uint64_t at field (+ family or code) */
	size_t field;
	enum per per;
} neighbor_metrics[] = {
	{"fastbgp_neighbor_state", "gauge", "BGP FSM state, as BGP4-MIB bgpPeerState: 1 idle .. 6 established", n_state,
	 0, PER_NONE},
	{"fastbgp_neighbor_up", "gauge", "1 when the session is established", n_up, 0, PER_NONE},
	{"fastbgp_neighbor_uptime_seconds", "gauge", "seconds since the session was established, 0 when down",
	 n_uptime, 0, PER_NONE},
	{"fastbgp_neighbor_messages_received_total", "counter", "BGP messages received", NULL, FIELD(msgs_received), PER_NONE},
	{"fastbgp_neighbor_messages_sent_total", "counter", "BGP messages sent", NULL, FIELD(msgs_sent), PER_NONE},
	{"fastbgp_neighbor_updates_received_total", "counter", "UPDATE messages received", NULL, FIELD(updates_received),
	 PER_NONE},
	{"fastbgp_neighbor_updates_sent_total", "counter", "UPDATE messages sent", NULL, FIELD(updates_sent), PER_NONE},
	{"fastbgp_neighbor_prefixes_received", "gauge",
	 "routes in the adj-rib-in per family (0 when adj-rib-in is off)", NULL,
	 FIELD(ribin.per_family), PER_FAMILY},
	{"fastbgp_neighbor_prefixes_announced_total", "counter", "routes announced to the neighbor per family",
	 NULL, FIELD(rib.announced_fam), PER_FAMILY},
	{"fastbgp_neighbor_prefixes_withdrawn_total", "counter", "routes withdrawn from the neighbor per family",
	 NULL, FIELD(rib.withdrawn_fam), PER_FAMILY},
	{"fastbgp_neighbor_flaps_total", "counter", "established sessions that went down", NULL, FIELD(flaps), PER_NONE},
	{"fastbgp_neighbor_notifications_received_total", "counter",
	 "NOTIFICATIONs received, by error code (RFC 4271 4.5; 0: any other code)", NULL,
	 FIELD(notif_received), PER_CODE},
	{"fastbgp_neighbor_notifications_sent_total", "counter",
	 "NOTIFICATIONs sent, by error code (RFC 4271 4.5; 0: any other code)", NULL,
	 FIELD(notif_sent), PER_CODE},
};

static void put_neighbor_labels(struct metrics_text *t, const struct peer *p)
{
	put(t, "neighbor=\"");
	put_label(t, p->name);
	put(t, "\",peer_as=\"%u\"", p->conf ? p->conf->peer_as : 0);
}

static void render_neighbors(struct metrics_text *t, struct speaker *sp)
{
	for (size_t k = 0; k < sizeof(neighbor_metrics) / sizeof(neighbor_metrics[0]); k++) {
		const struct neighbor_metric *nm = &neighbor_metrics[k];
		put(t, "# HELP %s %s\n# TYPE %s %s\n", nm->name, nm->help, nm->name, nm->type);
		for (int i = 0; i < sp->npeers; i++) {
			const struct peer *p = sp->peers[i];
			int n = nm->per == PER_FAMILY ? FAM_COUNT : nm->per == PER_CODE ? 8 : 1;
			for (int j = 0; j < n; j++) {
				/* families the session never carried have nothing to say */
				double v = nm->value ? nm->value(p)
						     : (double)((const uint64_t *)((const char *)p + nm->field))[j];
				if (nm->per == PER_FAMILY && v == 0 && !(p->neg.families & FAM_BIT(j)))
					continue;
				put(t, "%s{", nm->name);
				put_neighbor_labels(t, p);
				if (nm->per == PER_FAMILY)
					put(t, ",family=\"%s %s\"", family_table[j].afi_name, family_table[j].safi_name);
				else if (nm->per == PER_CODE)
					put(t, ",code=\"%d\"", j);
				put(t, "} %.17g\n", v);
			}
		}
	}
}

/* ---- helpers ---- */

static void render_helpers(struct metrics_text *t, struct speaker *sp)
{
	static const struct {
		const char *name, *type, *help;
		int field;
	} hm[] = {
		{"fastbgp_helper_up", "gauge", "1 while the helper process runs", 0},
		{"fastbgp_helper_queue_depth", "gauge", "events waiting for the helper to read them", 1},
		{"fastbgp_helper_restarts_total", "counter", "times the helper was started again", 2},
		{"fastbgp_helper_commands_total", "counter", "command lines read from the helper", 3},
		{"fastbgp_helper_command_errors_total", "counter", "commands of the helper answered with an error", 4},
		{"fastbgp_helper_events_dropped_total", "counter", "events dropped while the helper was stalled", 5},
	};
	int slots = api_helper_slots(sp->api);
	for (size_t k = 0; k < sizeof(hm) / sizeof(hm[0]); k++) {
		put(t, "# HELP %s %s\n# TYPE %s %s\n", hm[k].name, hm[k].help, hm[k].name, hm[k].type);
		for (int i = 0; i < slots; i++) {
			struct api_helper_stats s;
			if (api_helper_stats(sp->api, i, &s) < 0)
				continue;
			double v[] = {s.running, (double)s.queued, s.restarts, (double)s.commands,
				      (double)s.command_errors, (double)s.dropped};
			put(t, "%s{helper=\"", hm[k].name);
			put_label(t, s.name ? s.name : "");
			put(t, "\"} %.17g\n", v[hm[k].field]);
		}
	}
}

/* ---- the process (the names every Prometheus client library uses) ---- */

static void render_process(struct metrics_text *t)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
			     (double)ru.ru_stime.tv_usec / 1e6;
		put(t, "# HELP process_cpu_seconds_total user and system CPU time spent\n"
		       "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.6f\n",
		    cpu);
	}
	/* /proc/self/statm: size resident ... in pages (proc(5)) */
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, resident = 0;
	if (f) {
		if (fscanf(f, "%lu %lu", &size, &resident) == 2) {
			long page = sysconf(_SC_PAGESIZE);
			put(t, "# HELP process_resident_memory_bytes resident memory size\n"
			       "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %lu\n"
			       "# HELP process_virtual_memory_bytes virtual memory size\n"
			       "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes %lu\n",
			    resident * (unsigned long)page, size * (unsigned long)page);
		}
		fclose(f);
	}
}

void metrics_render(struct metrics_text *t, struct speaker *sp)
{
	t->failed = false;
	render_neighbors(t, sp);
	render_helpers(t, sp);
	render_process(t);
}
