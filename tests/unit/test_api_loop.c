/* The process API on a real libuv loop with real helpers (tests/api/):
 * commands and replies, events, an answer given later, respawn limits,
 * backpressure and a stalled helper, over-long lines, a flood of commands,
 * shutdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>

#include <cmocka.h>

#include <uv.h>

#include "api/api.h"
#include "api/process.h"
#include "core/version.h"
#include "wire/header.h"
#include "update/update_parse.h"

/* ---- a fake host ---------------------------------------------------------- */

struct host {
	uv_loop_t loop;
	struct api *api;
	struct api_neighbor nb;
	struct api_peer_ref ref;
	int peer; /* the host's "peer" object */
	size_t routes, route_calls, withdrawn;
	int bp_on, bp_off;
	int gone;
	char gone_why[128];
	bool done;
	struct api_reply *later;
	uv_timer_t later_timer;
	char last_route[128];
};

static size_t h_peers(void *ctx, struct api_peer_ref **out)
{
	struct host *h = ctx;
	*out = &h->ref;
	return 1;
}

static int h_routes(void *ctx, const struct api_command *cmd, void *const *peers, size_t n,
		    const struct route_list *routes, bool withdraw, struct api_reply *r)
{
	(void)cmd, (void)r;
	struct host *h = ctx;
	assert_int_equal(n, 1);
	assert_ptr_equal(peers[0], &h->peer);
	h->route_calls++;
	h->routes += routes->n;
	if (withdraw)
		h->withdrawn += routes->n;
	if (routes->n)
		prefix_nlri_format(h->last_route, sizeof(h->last_route), 1, routes->v[0]->nlri, routes->v[0]->nlri_len);
	return API_DONE;
}

static void later_cb(uv_timer_t *t)
{
	struct host *h = t->data;
	api_reply_line(h->later, "eor-sent");
	api_reply_finish(h->later, true);
	h->later = NULL;
}

static int h_eor(void *ctx, void *const *peers, size_t n, uint16_t afi, uint8_t safi, struct api_reply *r)
{
	(void)peers, (void)afi, (void)safi;
	struct host *h = ctx;
	assert_int_equal(n, 1);
	h->later = r;
	uv_timer_start(&h->later_timer, later_cb, 50, 0);
	return API_PENDING;
}

static void h_backpressure(void *ctx, bool on)
{
	struct host *h = ctx;
	if (on)
		h->bp_on++;
	else
		h->bp_off++;
}

static void h_gone(void *ctx, const char *name, const char *why)
{
	(void)name;
	struct host *h = ctx;
	h->gone++;
	snprintf(h->gone_why, sizeof(h->gone_why), "%s", why);
}

static const struct api_host_ops ops = {
	.peers = h_peers,
	.routes = h_routes,
	.eor = h_eor,
	.backpressure = h_backpressure,
	.helper_gone = h_gone,
};

static struct attr_pool pool;
static char apidir[PATH_MAX];

static int group_setup(void **state)
{
	(void)state;
	if (!realpath("tests/api", apidir))
		return -1; /* run from the top of the tree */
	return 0;
}

/* One process block and one neighbor whose api block lists it. */
static struct process_conf pc;
static struct process_conf *pcs[1];
static struct config cfg;
static struct neighbor_conf nc;
static struct api_conf ac;
static const char *ac_procs[1];

static bool opt_reason; /* api.reason for the next host_init */
/* api.terminate: the host is told when a helper is given up (it stops) */
static bool terminate_opt = true;

static void host_init(struct host *h, const char *name, const char *const *argv, bool respawn, size_t queue,
		      unsigned stall_ms, size_t line)
{
	memset(h, 0, sizeof(*h));
	uv_loop_init(&h->loop);
	uv_timer_init(&h->loop, &h->later_timer);
	h->later_timer.data = h;
	attr_pool_init(&pool);
	memset(&pc, 0, sizeof(pc));
	pc.name = name;
	pc.argv = (const char **)argv;
	pc.encoder = ENCODER_JSON;
	pc.encoder_given = true;
	pc.respawn = respawn;
	pcs[0] = &pc;
	memset(&cfg, 0, sizeof(cfg));
	cfg.processes = pcs;
	cfg.nprocesses = 1;
	memset(&nc, 0, sizeof(nc));
	nc.peer_address.afi = AFI_IPV4;
	nc.peer_address.addr[0] = 127;
	nc.peer_address.addr[3] = 1;
	nc.local_address = nc.peer_address;
	nc.local_as = nc.peer_as = 65533;
	nc.router_id = 0x0A000002;
	nc.hold_time = 180;
	nc.families = FAM_BIT(FAM_IPV4_UNICAST);
	ac_procs[0] = name;
	memset(&ac, 0, sizeof(ac));
	ac.processes = ac_procs;
	ac.nprocesses = 1;
	ac.events = API_NEIGHBOR_CHANGES;
	ac.receive = API_MSG_PARSED | API_MSG_UPDATE;
	nc.apis = &ac;
	nc.napis = 1;

	struct api_options o;
	api_options_from_settings(&o, NULL);
	o.terminate = terminate_opt;
	o.loop = &h->loop;
	o.ops = &ops;
	o.ctx = h;
	o.conf_dir = apidir;
	o.pool = &pool;
	o.queue = queue;
	o.stall_ms = stall_ms;
	if (line)
		o.line = line;
	o.reason = opt_reason;
	o.host = "vm";
	h->api = api_new(&o, &cfg);
	assert_non_null(h->api);
	api_neighbor_init(h->api, &h->nb, &nc, &h->peer);
	h->ref.peer = &h->peer;
	h->ref.n = &h->nb;
	h->ref.established = true;
}

static void shutdown_done(void *ctx)
{
	struct host *h = ctx;
	h->done = true;
}

static void host_free(struct host *h)
{
	h->done = false;
	api_shutdown(h->api, shutdown_done, h);
	for (int i = 0; i < 1000 && !h->done; i++)
		uv_run(&h->loop, UV_RUN_ONCE);
	assert_true(h->done);
	api_free(h->api);
	uv_close((uv_handle_t *)&h->later_timer, NULL);
	uv_run(&h->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&h->loop), 0);
	attr_pool_free(&pool);
}

static void tick_cb(uv_timer_t *t)
{
	(void)t;
}

/* Runs the loop until cond(h) or timeout_ms. */
static bool run_until(struct host *h, bool (*cond)(struct host *h, void *arg), void *arg, unsigned timeout_ms)
{
	uint64_t end = uv_now(&h->loop) + timeout_ms;
	uv_timer_t tick;
	uv_timer_init(&h->loop, &tick);
	bool ok = false;
	while (!(ok = cond(h, arg)) && uv_now(&h->loop) < end) {
		uv_timer_start(&tick, tick_cb, 10, 0);
		uv_run(&h->loop, UV_RUN_ONCE);
	}
	uv_close((uv_handle_t *)&tick, NULL);
	uv_run(&h->loop, UV_RUN_NOWAIT);
	return ok;
}

static int file_lines(const char *path, char lines[][1024], int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;
	if (!f)
		return 0;
	while (n < max && fgets(lines[n], 1024, f)) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

static bool has_lines(struct host *h, void *arg)
{
	(void)h;
	static char l[64][1024];
	const char *path = ((const char **)arg)[0];
	int want = (int)(intptr_t)((const char **)arg)[1];
	return file_lines(path, l, 64) >= want;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_commands_events_shutdown(void **state)
{
	(void)state;
	char path[] = "/tmp/fastbgp-api-rec-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const char *argv[] = {"record.py", path, "version", "announce route 10.0.0.0/24 next-hop 1.2.3.4", "bogus",
			      "announce eor", "neighbor 127.0.0.1 version", "reset", "# a comment", NULL};
	struct host h;
	host_init(&h, "rec", argv, true, 1000, 0, 0);
	assert_int_equal(api_start(h.api), 0);
	const char *w1[] = {path, (const char *)(intptr_t)9};
	assert_true(run_until(&h, has_lines, w1, 10000));
	assert_int_equal(h.routes, 1);
	assert_string_equal(h.last_route, "10.0.0.0/24");

	api_event_up(h.api, &h.nb);
	api_event_fsm(h.api, &h.nb, 5); /* not subscribed: nothing */
	const char *w2[] = {path, (const char *)(intptr_t)10};
	assert_true(run_until(&h, has_lines, w2, 10000));
	host_free(&h);

	static char l[32][1024];
	int n = file_lines(path, l, 32);
	assert_int_equal(n, 11);
	assert_string_equal(l[0], "exabgp 4.2.25 (fastbgp " FASTBGP_VERSION ")");
	assert_string_equal(l[1], "done");
	assert_string_equal(l[2], "done");  /* the route */
	assert_string_equal(l[3], "error"); /* bogus */
	assert_string_equal(l[4], "eor-sent");
	assert_string_equal(l[5], "done");  /* answered later, still in order */
	assert_string_equal(l[6], "exabgp 4.2.25 (fastbgp " FASTBGP_VERSION ")");
	assert_string_equal(l[7], "done");
	/* reset: no answer; the comment: done */
	assert_string_equal(l[8], "done");
	assert_non_null(strstr(l[9], "{ \"exabgp\": \"4.0.1\", \"time\": "));
	assert_non_null(strstr(l[9], "\"host\" : \"vm\", "));
	assert_non_null(strstr(l[9], "\"counter\": 1, \"type\": \"state\", \"neighbor\": { \"address\": { \"local\": "
				     "\"127.0.0.1\", \"peer\": \"127.0.0.1\" }, \"asn\": { \"local\": 65533, \"peer\": "
				     "65533 } , \"state\": \"up\" } }"));
	assert_non_null(strstr(l[10], "\"type\": \"notification\", \"notification\": \"shutdown\" }"));
	assert_null(strstr(l[10], "counter"));
	unlink(path);
}

static void test_respawn_limit(void **state)
{
	(void)state;
	const char *argv[] = {"/bin/sh", "-c", "exit 3", NULL};
	struct host h;
	host_init(&h, "dies", argv, true, 1000, 0, 0);
	assert_int_equal(api_start(h.api), 0);
	for (int i = 0; i < 2000 && !h.gone; i++)
		uv_run(&h.loop, UV_RUN_ONCE);
	assert_int_equal(h.gone, 1);
	assert_non_null(strstr(h.gone_why, "too often"));
	assert_int_equal(api_helper_starts(api_process_helper(h.api, 0)), 1 + API_RESPAWN_LIMIT);
	host_free(&h);

	/* respawn off: one start, then gone */
	host_init(&h, "once", argv, false, 1000, 0, 0);
	assert_int_equal(api_start(h.api), 0);
	for (int i = 0; i < 2000 && !h.gone; i++)
		uv_run(&h.loop, UV_RUN_ONCE);
	assert_int_equal(h.gone, 1);
	assert_non_null(strstr(h.gone_why, "respawn is disabled"));
	assert_int_equal(api_helper_starts(api_process_helper(h.api, 0)), 1);
	host_free(&h);

	/* without api.terminate the helper is given up the same way, and the
	 * host is not told: BGP goes on */
	terminate_opt = false;
	host_init(&h, "dies", argv, true, 1000, 0, 0);
	assert_int_equal(api_start(h.api), 0);
	for (int i = 0; i < 4000 && api_helper_starts(api_process_helper(h.api, 0)) < 1 + API_RESPAWN_LIMIT; i++)
		uv_run(&h.loop, UV_RUN_ONCE);
	for (int i = 0; i < 200; i++)
		uv_run(&h.loop, UV_RUN_NOWAIT);
	assert_int_equal(api_helper_starts(api_process_helper(h.api, 0)), 1 + API_RESPAWN_LIMIT);
	assert_int_equal(h.gone, 0);
	host_free(&h);
	terminate_opt = true;

	/* a program that does not exist */
	const char *bad[] = {"no-such-helper-program", NULL};
	host_init(&h, "bad", bad, true, 1000, 0, 0);
	assert_int_equal(api_start(h.api), -1);
	host_free(&h);
}

static bool stalled(struct host *h, void *arg)
{
	(void)arg;
	return h->bp_off > 0;
}

static void test_backpressure_stall(void **state)
{
	(void)state;
	const char *argv[] = {"no_read.sh", NULL};
	struct host h;
	host_init(&h, "deaf", argv, true, 20, 300, 0);
	assert_int_equal(api_start(h.api), 0);
	uv_run(&h.loop, UV_RUN_NOWAIT);
	/* far more events than the pipe and the queue hold */
	for (int i = 0; i < 3000; i++)
		api_event_up(h.api, &h.nb);
	assert_int_equal(h.bp_on, 1);
	assert_int_equal(h.bp_off, 0);
	assert_true(api_helper_queued(api_process_helper(h.api, 0)) >= 20);
	/* it never reads: declared stalled, backpressure released */
	assert_true(run_until(&h, stalled, NULL, 5000));
	assert_true(api_helper_stalled(api_process_helper(h.api, 0)));
	size_t q = api_helper_queued(api_process_helper(h.api, 0));
	for (int i = 0; i < 100; i++)
		api_event_up(h.api, &h.nb); /* dropped, not queued */
	assert_int_equal(api_helper_queued(api_process_helper(h.api, 0)), q);
	assert_int_equal(h.bp_on, 1);
	host_free(&h);
}

static void test_too_long(void **state)
{
	(void)state;
	char path[] = "/tmp/fastbgp-api-long-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char script[512];
	snprintf(script, sizeof(script),
		 "head -c 3000 /dev/zero | tr '\\000' x; echo; echo version; cat > %s", path);
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	struct host h;
	host_init(&h, "long", argv, true, 1000, 0, 1024);
	assert_int_equal(api_start(h.api), 0);
	const char *w[] = {path, (const char *)(intptr_t)3};
	assert_true(run_until(&h, has_lines, w, 10000));
	host_free(&h);
	static char l[8][1024];
	assert_int_equal(file_lines(path, l, 8), 4);
	assert_string_equal(l[0], "error");
	assert_string_equal(l[1], "exabgp 4.2.25 (fastbgp " FASTBGP_VERSION ")");
	assert_string_equal(l[2], "done");
	assert_non_null(strstr(l[3], "\"notification\": \"shutdown\""));
	unlink(path);
}

/* api.reason: helpers get ExaBGP 5's "error: REASON" before the bare
 * "error" (without it they get the bare line only, as above). */
static void test_reason_for_helpers(void **state)
{
	(void)state;
	char path[] = "/tmp/fastbgp-api-reason-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const char *argv[] = {"record.py", path, "bogus", "announce route 10.0.0.0/33 next-hop 1.2.3.4", "version",
			      NULL};
	struct host h;
	opt_reason = true;
	host_init(&h, "rec", argv, true, 1000, 0, 0);
	opt_reason = false;
	assert_int_equal(api_start(h.api), 0);
	const char *w[] = {path, (const char *)(intptr_t)6};
	assert_true(run_until(&h, has_lines, w, 10000));
	host_free(&h);
	static char l[16][1024];
	assert_true(file_lines(path, l, 16) >= 6);
	assert_string_equal(l[0], "error: unknown command 'bogus'");
	assert_string_equal(l[1], "error");
	assert_non_null(strstr(l[2], "error: could not parse the route: "));
	assert_non_null(strstr(l[2], "invalid prefix length"));
	assert_string_equal(l[3], "error");
	assert_true(l[4][0] != '\0'); /* the version */
	assert_string_equal(l[5], "done");
	unlink(path);
}

static bool all_routes(struct host *h, void *arg)
{
	return h->route_calls >= (size_t)(intptr_t)arg;
}

static void test_flood(void **state)
{
	(void)state;
	const char *argv[] = {"flood.py", "100000", "1.2.3.4", NULL};
	struct host h;
	host_init(&h, "flood", argv, true, 1000, 0, 0);
	assert_int_equal(api_start(h.api), 0);
	uint64_t t0 = uv_hrtime();
	assert_true(run_until(&h, all_routes, (void *)(intptr_t)100000, 120000));
	uint64_t ms = (uv_hrtime() - t0) / 1000000;
	print_message("100000 announce commands handled in %llu ms\n", (unsigned long long)ms);
	assert_int_equal(h.routes, 100000);
	assert_string_equal(h.last_route, "11.134.159.0/24");
	host_free(&h);
}

static size_t msg_from_hex(const char *hex, uint8_t type, uint8_t *m)
{
	memset(m, 0xFF, 16);
	size_t n = 0;
	for (; hex[0] && hex[1]; hex += 2) {
		while (*hex == ' ')
			hex++;
		unsigned v;
		sscanf(hex, "%2x", &v);
		m[19 + n++] = (uint8_t)v;
	}
	m[16] = (uint8_t)((n + 19) >> 8);
	m[17] = (uint8_t)(n + 19);
	m[18] = type;
	return n + 19;
}

/* A received message as the session hands it over: decoded once (here as
 * peer/peer_rx.c does, with 4-octet ASNs and no ADD-PATH). */
static void received(struct api *a, struct api_neighbor *nb, const uint8_t *m, size_t len)
{
	static struct update_msg um;
	struct bgp_open o;
	struct open_listing l;
	struct notification nt;
	struct api_rx rx = {.msg = m, .len = len};
	uint8_t sub;
	if (m[18] == BGP_MSG_UPDATE) {
		struct update_parse_opts uo = {.asn4 = 1};
		update_parse(m + 19, len - 19, &uo, NULL, &um);
		rx.update = &um;
	} else if (m[18] == BGP_MSG_OPEN && open_decode(m + 19, len - 19, &o, &l, &sub) == 0) {
		rx.open = &l;
	} else if (m[18] == BGP_MSG_NOTIFICATION && notification_decode(m + 19, len - 19, &nt) == 0) {
		rx.notif = &nt;
	}
	api_event_received(a, nb, &rx);
}

static void test_message_routing(void **state)
{
	(void)state;
	char path[] = "/tmp/fastbgp-api-msg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const char *argv[] = {"record.py", path, NULL};
	struct host h;
	host_init(&h, "rec", argv, true, 1000, 0, 0);
	/* receive { parsed; update; keepalive; } send { packets; update; } negotiated; */
	ac.receive = API_MSG_PARSED | API_MSG_UPDATE | API_MSG_KEEPALIVE;
	ac.send = API_MSG_PACKETS | API_MSG_UPDATE;
	ac.events = API_NEGOTIATED;
	api_neighbor_init(h.api, &h.nb, &nc, &h.peer);
	struct negotiated neg;
	memset(&neg, 0, sizeof(neg));
	neg.asn4 = true;
	neg.max_msg = 4096;
	neg.hold_time = 90;
	neg.families = FAM_BIT(FAM_IPV4_UNICAST);
	api_neighbor_set_session(&h.nb, NULL, NULL, &neg);
	assert_true(api_wants_message(&h.nb, API_DIR_RECEIVE, 2));
	assert_false(api_wants_message(&h.nb, API_DIR_RECEIVE, 1));
	assert_true(api_wants_message(&h.nb, API_DIR_SEND, 2));
	assert_false(api_wants_message(&h.nb, API_DIR_SEND, 4));
	assert_int_equal(api_start(h.api), 0);
	for (int i = 0; i < 20; i++)
		uv_run(&h.loop, UV_RUN_NOWAIT);

	uint8_t buf[4096];
	size_t n = msg_from_hex("", 4, buf);
	received(h.api, &h.nb, buf, n);
	n = msg_from_hex("0003 100A01 0000", 2, buf);
	received(h.api, &h.nb, buf, n);
	/* two packed UPDATEs sent at once */
	size_t n2 = msg_from_hex("0000 0000", 2, buf + n);
	api_event_messages(h.api, &h.nb, API_DIR_SEND, buf, n + n2);
	n = msg_from_hex("04 FFFD 00B4 0A000003 00", 1, buf); /* nobody wants OPENs */
	received(h.api, &h.nb, buf, n);
	api_event_negotiated(h.api, &h.nb);
	const char *w[] = {path, (const char *)(intptr_t)5};
	assert_true(run_until(&h, has_lines, w, 10000));
	host_free(&h);
	ac.send = 0;

	static char l[16][1024];
	assert_int_equal(file_lines(path, l, 16), 6);
	assert_non_null(strstr(l[0], "\"counter\": 1, \"type\": \"keepalive\""));
	assert_non_null(strstr(l[1], "\"counter\": 2, \"type\": \"update\""));
	assert_non_null(strstr(l[1], "\"withdraw\": { \"ipv4 unicast\": [ { \"nlri\": \"10.1.0.0/16\" } ] } } }, "
				     "\"negotiated\": { \"message_size\": 4096, \"hold_time\": 90, "));
	/* sent, without parsed: the packets form */
	assert_non_null(strstr(l[2], "\"counter\": 3, \"type\": \"update\""));
	assert_non_null(strstr(l[2], "\"direction\": \"send\", \"message\": { \"category\": 2, \"header\": "
				     "\"0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001A02\", \"body\": \"0x0003100A010000\" } , "
				     "\"negotiated\""));
	assert_non_null(strstr(l[3], "\"body\": \"0x00000000\""));
	assert_non_null(strstr(l[4], "\"counter\": 5, \"type\": \"negotiated\""));
	assert_non_null(strstr(l[5], "\"notification\": \"shutdown\""));
	assert_int_equal(h.nb.msgs_received[4], 1);
	assert_int_equal(h.nb.msgs_received[2], 1);
	assert_int_equal(h.nb.msgs_sent[2], 2);
	unlink(path);
}

static void test_reconfigure(void **state)
{
	(void)state;
	const char *argv[] = {"announce.sh", "10.3.0.0/24 next-hop 1.2.3.4", NULL};
	struct host h;
	host_init(&h, "a", argv, true, 1000, 0, 0);
	assert_int_equal(api_start(h.api), 0);
	assert_true(run_until(&h, all_routes, (void *)(intptr_t)1, 10000));
	/* a second process appears, the first stays */
	static struct process_conf pb;
	pb = pc;
	pb.name = "b";
	static struct process_conf *two[2];
	two[0] = &pc;
	two[1] = &pb;
	struct config c2 = cfg;
	c2.processes = two;
	c2.nprocesses = 2;
	assert_int_equal(api_reconfigure(h.api, &c2, &pool), 0);
	assert_int_equal(api_process_count(h.api), 2);
	int pid_a = api_helper_pid(api_process_helper(h.api, 0));
	assert_true(pid_a > 0);
	assert_true(api_helper_pid(api_process_helper(h.api, 1)) > 0);
	/* then only the second one */
	struct config c3 = cfg;
	c3.processes = two + 1;
	c3.nprocesses = 1;
	assert_int_equal(api_reconfigure(h.api, &c3, &pool), 0);
	for (int i = 0; i < 200 && api_process_helper(h.api, 0); i++)
		uv_run(&h.loop, UV_RUN_ONCE);
	assert_null(api_process_helper(h.api, 0));
	assert_true(api_helper_pid(api_process_helper(h.api, 1)) > 0);
	host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands_events_shutdown),
		cmocka_unit_test(test_respawn_limit),
		cmocka_unit_test(test_backpressure_stall),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_reason_for_helpers),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_message_routing),
		cmocka_unit_test(test_reconfigure),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
