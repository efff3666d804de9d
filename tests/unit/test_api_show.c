/* Commands answered by the api module itself (help, version, show
 * neighbor, show adj-rib lines) and the peer selection of the others, run
 * through api_run_command as the CLI does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uv.h>

#include "api/api.h"
#include "api/show.h"
#include "core/version.h"
#include "peer/peer.h"
#include "wire/header.h"

static char out[16384];
static size_t outlen;

static void sink(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	assert_true(outlen + len + 1 < sizeof(out));
	memcpy(out + outlen, line, len);
	outlen += len;
	out[outlen++] = '\n';
	out[outlen] = '\0';
}

struct host {
	struct api_neighbor nb[2];
	struct api_peer_ref refs[2];
	int peers[2];
	void *got[4];
	size_t ngot;
	uint8_t teardown_sub;
	bool clear_in;
};
static struct host H;
static struct neighbor_conf nc[2];

static size_t h_peers(void *ctx, struct api_peer_ref **o)
{
	(void)ctx;
	*o = H.refs;
	return 2;
}

static void note(void *const *peers, size_t n)
{
	H.ngot = n;
	for (size_t i = 0; i < n && i < 4; i++)
		H.got[i] = peers[i];
}

static int h_teardown(void *ctx, void *const *peers, size_t n, uint8_t sub, struct api_reply *r)
{
	(void)ctx, (void)r;
	note(peers, n);
	H.teardown_sub = sub;
	return API_DONE;
}

static int h_clear(void *ctx, void *const *peers, size_t n, bool in, struct api_reply *r)
{
	(void)ctx, (void)r;
	note(peers, n);
	H.clear_in = in;
	return API_DONE;
}

static int h_flush(void *ctx, void *const *peers, size_t n, struct api_reply *r)
{
	(void)ctx, (void)r;
	note(peers, n);
	return API_DONE;
}

static int h_adj(void *ctx, void *const *peers, size_t n, const struct api_command *c, struct api_reply *r)
{
	(void)ctx;
	note(peers, n);
	uint8_t nlri[] = {24, 10, 9, 0};
	struct attr_builder b;
	struct attr_pool pool;
	attr_pool_init(&pool);
	attr_builder_init(&b);
	b.nh.kind = NH_IP;
	b.nh.len = 4;
	memcpy(b.nh.addr, (uint8_t[]){127, 0, 0, 1}, 4);
	uint8_t origin = 0;
	attr_builder_set(&b, 1, 0x40, &origin, 1);
	struct attrset *s = attr_pool_intern(&pool, &b);
	for (size_t i = 0; i < n; i++) {
		struct api_neighbor *nb = peers[i] == &H.peers[0] ? &H.nb[0] : &H.nb[1];
		if (api_show_route_wanted(c, FAM_IPV4_UNICAST))
			api_show_route(r, nb, FAM_IPV4_UNICAST, nlri, sizeof(nlri), false, 0, s, c->extensive);
	}
	attrset_unref(&pool, s);
	attr_builder_free(&b);
	attr_pool_free(&pool);
	return API_DONE;
}

static const struct api_host_ops ops = {
	.peers = h_peers,
	.teardown = h_teardown,
	.clear_adj_rib = h_clear,
	.flush_adj_rib_out = h_flush,
	.show_adj_rib = h_adj,
};

static struct api *api;
static uv_loop_t loop;

static int setup(void **state)
{
	(void)state;
	memset(&H, 0, sizeof(H));
	uv_loop_init(&loop);
	struct api_options o;
	api_options_from_settings(&o, NULL);
	o.loop = &loop;
	o.ops = &ops;
	api = api_new(&o, NULL);
	for (int i = 0; i < 2; i++) {
		memset(&nc[i], 0, sizeof(nc[i]));
		nc[i].peer_address.afi = AFI_IPV4;
		nc[i].peer_address.addr[0] = 127;
		nc[i].peer_address.addr[3] = (uint8_t)(1 + i);
		nc[i].local_address = nc[i].peer_address;
		nc[i].local_address.addr[3] = 10;
		nc[i].local_as = 65533;
		nc[i].peer_as = 65533 + (uint32_t)i;
		nc[i].router_id = 0x0A000002;
		nc[i].hold_time = 180;
		nc[i].families = FAM_BIT(FAM_IPV4_UNICAST);
		nc[i].cap.asn4 = true;
		nc[i].cap.graceful_restart = -1;
		api_neighbor_init(api, &H.nb[i], &nc[i], &H.peers[i]);
		H.refs[i].peer = &H.peers[i];
		H.refs[i].n = &H.nb[i];
	}
	H.refs[0].established = true;
	outlen = 0;
	out[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	api_free(api);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return 0;
}

static const char *run(const char *cmd)
{
	outlen = 0;
	out[0] = '\0';
	api_run_command(api, cmd, sink, NULL);
	return out;
}

static void test_version_help(void **state)
{
	(void)state;
	assert_string_equal(run("version"), "exabgp 4.2.25 (fastbgp " FASTBGP_VERSION ")\ndone\n");
	/* the CLI gets the reason before the bare "error" */
	assert_string_equal(run("nonsense"), "error: unknown command 'nonsense'\nerror\n");
	assert_string_equal(run("# hello"), "done\n");
	assert_string_equal(run("reset"), "");
	const char *help = run("help");
	assert_true(!strncmp(help, "\navailable API commands are listed here:\n=======================================\n\n"
				   "filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]\n\n"
				   "command are:\n------------\n\n# \n[neighbor <ip> [filters]] announce attribute\n",
			     200));
	assert_non_null(strstr(help, "\nshow adj-rib in [ extensive ] \nshow adj-rib out [ extensive ] \n"
				     "show neighbor [ summary | extensive | configuration ] \nshutdown \nversion \n\ndone\n"));
	/* the whole reply, derived from the command table, is what a helper
	 * receives (tests/api/expected/help.txt) byte for byte */
	static const char *const paths[] = {"tests/api/expected/help.txt", "../tests/api/expected/help.txt",
					    "../../tests/api/expected/help.txt"};
	FILE *f = NULL;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !f; i++)
		f = fopen(paths[i], "rb");
	assert_non_null(f);
	static char want[4096];
	size_t n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	assert_string_equal(help, want);
}

static void test_summary(void **state)
{
	(void)state;
	H.nb[0].state = PEER_ESTABLISHED;
	H.nb[0].up_since = time(NULL) - 4;
	H.nb[0].msgs_sent[BGP_MSG_UPDATE] = 6;
	assert_string_equal(run("show neighbor summary"),
			    "Peer            AS        up/down state       |     #sent     #recvd\n"
			    "127.0.0.1       65533     0:00:04 established           6          0\n"
			    "done\n");
	assert_string_equal(run("show neighbor 127.0.0.2 summary"),
			    "Peer            AS        up/down state       |     #sent     #recvd\ndone\n");
	assert_string_equal(run("show neighbor"), "please specify summary, extensive or configuration\n"
						  "you can filter by peer ip address adding it after the word neighbor\n"
						  "done\n");
}

static void test_extensive(void **state)
{
	(void)state;
	H.nb[1].state = PEER_ACTIVE;
	const char *s = run("show neighbor 127.0.0.2 extensive");
	assert_string_equal(s,
			       "Neighbor 127.0.0.2\n"
			       "\n"
			       "  Session                         Local\n"
			       "   local                     127.0.0.10                                \n"
			       "   state                         ACTIVE                                \n"
			       "   down for                     0:00:00                                \n"
			       "\n"
			       "  Setup                           Local          Remote\n"
			       "   AS                             65533           65534                \n"
			       "   ID                          10.0.0.2             n/a                \n"
			       "   hold-time                        180             n/a                \n"
			       "\n"
			       "  Capability                      Local          Remote\n"
			       "   asn4:                        enabled             n/a                \n"
			       "   route-refresh:              disabled             n/a                \n"
			       "   multi-session:              disabled             n/a                \n"
			       "   operational:                disabled             n/a                \n"
			       "   add-path:                   disabled             n/a                \n"
			       "   extended-message:           disabled             n/a                \n"
			       "   graceful-restart:           disabled             n/a                \n"
			       "\n"
			       "  Families                        Local          Remote        Add-Path\n"
			       "   ipv4 unicast:                enabled             n/a        disabled\n"
			       "\n"
			       "  Message Statistic                Sent        Received\n"
			       "   open:                              0               0                \n"
			       "   notification:                      0               0                \n"
			       "   keepalive:                         0               0                \n"
			       "   update:                            0               0                \n"
			       "   refresh:                           0               0                \n"
			       "   total:                             0               0                \n"
			       "\n"
			       "done\n");
}

static void test_adj_rib(void **state)
{
	(void)state;
	assert_string_equal(run("show adj-rib out"), "neighbor 127.0.0.1 ipv4 unicast 10.9.0.0/24 next-hop 127.0.0.1\n"
						     "neighbor 127.0.0.2 ipv4 unicast 10.9.0.0/24 next-hop 127.0.0.1\n"
						     "done\n");
	assert_string_equal(run("show adj-rib out 127.0.0.2"),
			    "neighbor 127.0.0.2 ipv4 unicast 10.9.0.0/24 next-hop 127.0.0.1\ndone\n");
	assert_string_equal(run("show adj-rib in extensive 127.0.0.1"),
			    "neighbor 127.0.0.1 local-ip 127.0.0.10 local-as 65533 peer-as 65533 router-id 10.0.0.2 "
			    "family-allowed in-open ipv4 unicast 10.9.0.0/24 next-hop 127.0.0.1 origin igp\ndone\n");
	assert_string_equal(run("show adj-rib out flow"), "done\n");
}

static void test_selection(void **state)
{
	(void)state;
	/* teardown: established peers named by the selector; none without one */
	assert_string_equal(run("teardown 2"), "done\n");
	assert_int_equal(H.ngot, 0);
	assert_string_equal(run("neighbor 127.0.0.1 teardown 4"), "done\n");
	assert_int_equal(H.ngot, 1);
	assert_ptr_equal(H.got[0], &H.peers[0]);
	assert_int_equal(H.teardown_sub, 4);
	/* flush: established only; no match is an error */
	assert_string_equal(run("neighbor 127.0.0.2 flush adj-rib out"), "error: no neighbor matching the command\nerror\n");
	assert_string_equal(run("flush adj-rib out"), "done\n");
	assert_int_equal(H.ngot, 1);
	/* clear: every peer */
	assert_string_equal(run("clear adj-rib in"), "done\n");
	assert_int_equal(H.ngot, 2);
	assert_true(H.clear_in);
	assert_string_equal(run("neighbor 127.0.0.2 peer-as 65534 clear adj-rib out"), "done\n");
	assert_int_equal(H.ngot, 1);
	assert_ptr_equal(H.got[0], &H.peers[1]);
	assert_false(H.clear_in);
	/* ops the host does not implement answer error */
	assert_string_equal(run("announce eor"), "error: announce eor failed (the log says more)\nerror\n");
	assert_string_equal(run("announce operational xyz"), "done\n"); /* ExaBGP: unknown kind, done */
}

static void test_timedelta(void **state)
{
	(void)state;
	char b[64];
	api_timedelta(b, sizeof(b), 4);
	assert_string_equal(b, "0:00:04");
	api_timedelta(b, sizeof(b), 86400 + 3 * 3600 + 61);
	assert_string_equal(b, "1 day, 3:01:01");
	api_timedelta(b, sizeof(b), 2 * 86400);
	assert_string_equal(b, "2 days, 0:00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extensive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adj_rib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection, setup, teardown),
		cmocka_unit_test(test_timedelta),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
