/* VPLS (l2vpn vpls, RFC 4761), both directions:
 *   - ExaBGP 4.2's conf-l2vpn configuration (retyped) -> routes -> rib-out ->
 *     the three UPDATEs of its ci/conf-l2vpn.msg, byte for byte; two of its
 *     routes have the same NLRI, and ExaBGP sends both (the rib-out's ghost
 *     entries, tested here too);
 *   - the NLRI of those messages -> nlri_iter -> values and text -> encoded
 *     again -> the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/parser.h"
#include "config/route_grammar.h"
#include "nlri/nlri_decode.h"
#include "nlri/vpls.h"
#include "rib/ribout.h"

static size_t unhex(const char *h, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;
	for (; *h; h++) {
		int v;
		if (*h >= '0' && *h <= '9')
			v = *h - '0';
		else if (*h >= 'a' && *h <= 'f')
			v = *h - 'a' + 10;
		else if (*h >= 'A' && *h <= 'F')
			v = *h - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < max);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static void assert_bytes(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[4096];
	size_t n = unhex(hex, want, sizeof(want));
	if (len != n || memcmp(got, want, n)) {
		fprintf(stderr, "got  ");
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, "%02X", got[i]);
		fprintf(stderr, "\nwant %s\n", hex);
	}
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
}

static struct pack_opts ibgp(uint32_t as)
{
	struct pack_opts o;
	memset(&o, 0, sizeof(o));
	o.enc.asn4 = true;
	o.enc.local_as = as;
	o.enc.max_msg = 4096;
	o.families = FAM_ALL;
	return o;
}

#define MARKER "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
#define ATTRS_HEAD                                                                                                   \
	"0000007E4001010040021E020700007814000078140000781400007814000078140000781400007814800404000007D0"
#define ATTRS_TAIL                                                                                                   \
	"C00804D53F007B800904C0A81601800A0803030303C0A8C901C010100002D53F00000006800A130005DC006F"                   \
	"800E1C00194104C0A8C90100"
/* ci/conf-l2vpn.msg */
static const char *const conf_l2vpn_lp1_rd123 =
	MARKER "0095:02:" ATTRS_HEAD "40050400000001" ATTRS_TAIL "00110001C0A8C901007B000500010008029CE1";
static const char *const conf_l2vpn_lp1_rd124 =
	MARKER "0095:02:" ATTRS_HEAD "40050400000001" ATTRS_TAIL "00110001C0A8C901007C000500010008029EC1";
static const char *const conf_l2vpn_lp100_rd123 =
	MARKER "0095:02:" ATTRS_HEAD "40050400000064" ATTRS_TAIL "00110001C0A8C901007B000500010008029CE1";

/* etc/conf-l2vpn.conf */
static const char conf_l2vpn[] =
	"neighbor 127.0.0.1 {\n"
	"	description \"parsing l2vpn vpls routes\";\n"
	"	router-id 127.0.0.1;\n"
	"	local-address 127.0.0.1;\n"
	"	local-as 54591;\n"
	"	peer-as 54591;\n"
	"	hold-time 180;\n"
	"	group-updates false;\n"
	"	family {\n"
	"		l2vpn vpls;\n"
	"	}\n"
	"	l2vpn {\n"
	"		vpls \\\n"
	"			rd 192.168.201.1:123 \\\n"
	"			endpoint 5 \\\n"
	"			base 10702 \\\n"
	"			offset 1 \\\n"
	"			size 8 \\\n"
	"			next-hop 192.168.201.1 \\\n"
	"			origin igp \\\n"
	"			as-path [ 30740 30740 30740 30740 30740 30740 30740 ] \\\n"
	"			local-preference 100 \\\n"
	"			med 2000 \\\n"
	"			community [ 54591:123] \\\n"
	"			extended-community [ target:54591:6 l2info:19:0:1500:111] \\\n"
	"			originator-id 192.168.22.1 \\\n"
	"			cluster-list [ 3.3.3.3 192.168.201.1 ];\n"
	"		vpls site5 {\n"
	"			endpoint 5;\n"
	"			base 10732;\n"
	"			offset 1;\n"
	"			size 8;\n"
	"			next-hop 192.168.201.1;\n"
	"			origin igp;\n"
	"			as-path [ 30740 30740 30740 30740 30740 30740 30740 ];\n"
	"			local-preference 1;\n"
	"			med 2000;\n"
	"			rd 192.168.201.1:124;\n"
	"			community [ 54591:123];\n"
	"			# l2info: encaps:control-flag:mtu:site-preference\n"
	"			extended-community [ target:54591:6 l2info:19:0:1500:111];\n"
	"			originator-id 192.168.22.1;\n"
	"			cluster-list [ 3.3.3.3 192.168.201.1 ];\n"
	"		}\n"
	"	}\n"
	"	announce {\n"
	"		l2vpn {\n"
	"			vpls \\\n"
	"				endpoint 5 \\\n"
	"				base 10702 \\\n"
	"				offset 1 \\\n"
	"				size 8 \\\n"
	"				next-hop 192.168.201.1 \\\n"
	"				origin igp \\\n"
	"				as-path [ 30740 30740 30740 30740 30740 30740 30740 ] \\\n"
	"				local-preference 1 \\\n"
	"				med 2000 \\\n"
	"				rd 192.168.201.1:123 \\\n"
	"				community [ 54591:123] \\\n"
	"				extended-community [ target:54591:6 l2info:19:0:1500:111] \\\n"
	"				originator-id 192.168.22.1 \\\n"
	"				cluster-list [ 3.3.3.3 192.168.201.1 ];\n"
	"		}\n"
	"	}\n"
	"}\n";

/* Splits the messages of w and compares them with want[], in order. */
static void expect_messages(const struct wbuf *w, const char *const *want, int n)
{
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		assert_true(off + 19 <= w->len);
		size_t len = (size_t)w->data[off + 16] << 8 | w->data[off + 17];
		assert_bytes(w->data + off, len, want[i]);
		off += len;
	}
	assert_int_equal(off, w->len);
}

/* The whole configuration: the three messages of the vector.  The first
 * route and the announce one share their NLRI: ExaBGP sends the first
 * (local-preference 100) before the second (local-preference 1). */
static void test_conf_l2vpn(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	config_init(&c);
	if (config_load_string(&c, "conf-l2vpn.conf", conf_l2vpn, err, sizeof(err)))
		fprintf(stderr, "%s\n", err);
	assert_int_equal(c.nneighbors, 1);
	const struct neighbor_conf *n = c.neighbors[0];
	assert_int_equal(n->routes.n, 3);
	struct ribout r;
	ribout_init(&r, c.pool);
	for (size_t i = 0; i < n->routes.n; i++) {
		assert_int_equal(n->routes.v[i]->family, FAM_L2VPN_VPLS);
		assert_int_equal(ribout_announce(&r, n->routes.v[i]), 0);
	}
	assert_int_equal(r.count, 2); /* two NLRI, one of them with a ghost */
	struct pack_opts o = ibgp(54591);
	struct wbuf w;
	wb_init(&w, 0);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 3);
	const char *const want[] = {conf_l2vpn_lp100_rd123, conf_l2vpn_lp1_rd124, conf_l2vpn_lp1_rd123};
	expect_messages(&w, want, 3);
	assert_false(ribout_has_pending(&r));
	assert_int_equal(r.count, 2);
	wb_free(&w);
	ribout_free(&r);
	config_free(&c);
}

/* The API form ("announce vpls ...") gives the same bytes. */
static void test_command_form(void **state)
{
	(void)state;
	struct attr_pool pool;
	struct rg_ctx g;
	struct route_list out = {0};
	attr_pool_init(&pool);
	rg_init(&g, &pool, NULL);
	int rc = route_grammar_parse_command(
		&g, RG_CMD_VPLS, false,
		"endpoint 5 base 10732 offset 1 size 8 next-hop 192.168.201.1 origin igp as-path [ 30740 30740 30740 "
		"30740 30740 30740 30740 ] local-preference 1 med 2000 rd 192.168.201.1:124 community [ 54591:123] "
		"extended-community [ target:54591:6 l2info:19:0:1500:111] originator-id 192.168.22.1 cluster-list [ "
		"3.3.3.3 192.168.201.1 ]",
		&out);
	if (rc < 0)
		fprintf(stderr, "%s\n", g.err.msg);
	assert_int_equal(rc, 1);
	struct ribout r;
	ribout_init(&r, &pool);
	assert_int_equal(ribout_announce(&r, out.v[0]), 0);
	struct pack_opts o = ibgp(54591);
	struct wbuf w;
	wb_init(&w, 0);
	assert_int_equal(ribout_pack(&r, &o, &w, 1 << 20), 1);
	const char *const want[] = {conf_l2vpn_lp1_rd124};
	expect_messages(&w, want, 1);
	wb_free(&w);
	ribout_free(&r);
	rg_route_release(&g, out.v[0]);
	route_list_free(&out);
	rg_free(&g);
	assert_int_equal(pool.count, 0);
	attr_pool_free(&pool);
}

static void expect_vpls_error(const char *text, const char *msg)
{
	struct attr_pool pool;
	struct rg_ctx g;
	struct route_list out = {0};
	attr_pool_init(&pool);
	rg_init(&g, &pool, NULL);
	assert_int_equal(route_grammar_parse_command(&g, RG_CMD_VPLS, false, text, &out), -1);
	if (strcmp(g.err.msg, msg))
		fprintf(stderr, "%s\n got  %s\n want %s\n", text, g.err.msg, msg);
	assert_string_equal(g.err.msg, msg);
	assert_int_equal(out.n, 0);
	route_list_free(&out);
	rg_free(&g);
	attr_pool_free(&pool);
}

static void test_errors(void **state)
{
	(void)state;
	expect_vpls_error("endpoint 5 base 1 offset 1 size 8 rd 1:1", "vpls nlri next-hop missing");
	expect_vpls_error("base 1 offset 1 size 8 rd 1:1 next-hop 1.1.1.1", "vpls nlri endpoint missing");
	expect_vpls_error("endpoint 5 offset 1 size 8 rd 1:1 next-hop 1.1.1.1", "vpls nlri base missing");
	expect_vpls_error("endpoint 5 base 1 size 8 rd 1:1 next-hop 1.1.1.1", "vpls nlri offset missing");
	expect_vpls_error("endpoint 5 base 1 offset 1 rd 1:1 next-hop 1.1.1.1", "vpls nlri size missing");
	expect_vpls_error("endpoint 5 base 1 offset 1 size 8 next-hop 1.1.1.1", "vpls nlri route-distinguisher missing");
	expect_vpls_error("endpoint 5 base 1048575 offset 1 size 8 rd 1:1 next-hop 1.1.1.1",
			  "vpls nlri size inconsistency");
	expect_vpls_error("endpoint 65536 base 1 offset 1 size 8 rd 1:1 next-hop 1.1.1.1",
			  "invalid l2vpn vpls endpoint 65536 (0..65535)");
	expect_vpls_error("endpoint 5 base 1 offset 1 size 8 rd 1:1 next-hop 1.1.1.1 label 5",
			  "label is not valid for a vpls route");
	expect_vpls_error("endpoint 5 base 1 offset 1 size 8 rd 1:1 next-hop 1.1.1.1 colour 5",
			  "unknown route attribute \"colour\"");
}

static void test_decode(void **state)
{
	(void)state;
	uint8_t buf[64];
	size_t len = unhex("00110001C0A8C901007B000500010008029CE1 00110002FA56EA0000070005000100080FFFF1", buf,
			   sizeof(buf));
	struct nlri_iter it;
	struct nlri_item item;
	char text[256];
	uint8_t again[VPLS_NLRI_LEN];
	assert_int_equal(nlri_iter_init(&it, FAM_L2VPN_VPLS, buf, len, false, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	assert_int_equal(item.vpls.endpoint, 5);
	assert_int_equal(item.vpls.base, 10702);
	assert_int_equal(item.vpls.offset, 1);
	assert_int_equal(item.vpls.size, 8);
	nlri_item_format(text, sizeof(text), &item, "192.168.201.1");
	assert_string_equal(text, "vpls rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 192.168.201.1");
	assert_int_equal(nlri_item_encode(&item, again), VPLS_NLRI_LEN);
	assert_bytes(again, VPLS_NLRI_LEN, "00110001C0A8C901007B000500010008029CE1");
	assert_bytes(item.nlri, item.nlri_len, "00110001C0A8C901007B000500010008029CE1");
	assert_int_equal(nlri_iter_next(&it, &item), 1);
	nlri_item_format(text, sizeof(text), &item, NULL);
	assert_string_equal(text, "vpls rd 4200000000:7 endpoint 5 base 65535 offset 1 size 8");
	assert_int_equal(nlri_item_encode(&item, again), VPLS_NLRI_LEN);
	assert_bytes(again, VPLS_NLRI_LEN, "00110002FA56EA0000070005000100080FFFF1");
	assert_int_equal(nlri_iter_next(&it, &item), 0);

	/* a length other than 17, and a short NLRI */
	len = unhex("00120001C0A8C901007B000500010008029CE100", buf, sizeof(buf));
	assert_int_equal(nlri_iter_init(&it, FAM_L2VPN_VPLS, buf, len, false, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), -1);
	len = unhex("00110001C0A8C901007B000500010008029C", buf, sizeof(buf));
	assert_int_equal(nlri_iter_init(&it, FAM_L2VPN_VPLS, buf, len, false, false), 0);
	assert_int_equal(nlri_iter_next(&it, &item), -1);
}

/* ---- the rib-out keeps a replaced, never-sent announcement (ExaBGP 4.2) */

struct ghost_fixture {
	struct attr_pool pool;
	struct attrset *a, *b; /* MED 1 and MED 2 */
	struct ribout r;
	uint8_t x[VPLS_NLRI_LEN], y[VPLS_NLRI_LEN];
};

static struct attrset *med_set(struct attr_pool *pool, uint32_t med)
{
	struct attr_builder b;
	attr_builder_init(&b);
	uint8_t v[4];
	put_u32(v, med);
	attr_builder_set(&b, 4, 0x80, v, 4);
	b.nh.kind = NH_IP;
	b.nh.len = 4;
	b.nh.addr[0] = 10;
	struct attrset *s = attr_pool_intern(pool, &b);
	attr_builder_free(&b);
	return s;
}

static int gsetup(void **state)
{
	struct ghost_fixture *f = calloc(1, sizeof(*f));
	attr_pool_init(&f->pool);
	f->a = med_set(&f->pool, 1);
	f->b = med_set(&f->pool, 2);
	ribout_init(&f->r, &f->pool);
	struct vpls_nlri v = {{0, 0, 0, 1, 0, 0, 0, 1}, 1, 1, 8, 100};
	vpls_nlri_encode(f->x, &v);
	v.endpoint = 2;
	vpls_nlri_encode(f->y, &v);
	*state = f;
	return 0;
}

static int gteardown(void **state)
{
	struct ghost_fixture *f = *state;
	ribout_free(&f->r);
	attrset_unref(&f->pool, f->a);
	attrset_unref(&f->pool, f->b);
	assert_int_equal(f->pool.count, 0);
	attr_pool_free(&f->pool);
	free(f);
	return 0;
}

/* What the pending messages are: per UPDATE, the endpoint of its NLRI and
 * 'a' / 'b' (the MED) or 'w' (a withdrawal), e.g. "1a 2b 1w". */
static void expect_sent2(struct ghost_fixture *f, const char *want, const char *or_want)
{
	struct pack_opts o = ibgp(1);
	struct wbuf w;
	wb_init(&w, 0);
	ribout_pack(&f->r, &o, &w, 1 << 20);
	char got[256] = "";
	size_t off = 0, g = 0;
	while (off + 23 <= w.len) {
		const uint8_t *m = w.data + off;
		size_t len = (size_t)m[16] << 8 | m[17];
		size_t alen = (size_t)m[21] << 8 | m[22];
		const uint8_t *a = m + 23, *end = a + alen;
		char kind = '?';
		int endpoint = -1;
		while (a < end) {
			uint8_t flags = a[0], code = a[1];
			size_t l = flags & 0x10 ? (size_t)a[2] << 8 | a[3] : a[2];
			const uint8_t *val = a + (flags & 0x10 ? 4 : 3);
			if (code == 4)
				kind = val[3] == 1 ? 'a' : 'b';
			if (code == 14 || code == 15) {
				const uint8_t *nlri = code == 14 ? val + 5 + val[3] : val + 3;
				if (code == 15)
					kind = 'w';
				endpoint = nlri[10] << 8 | nlri[11];
			}
			a = val + l;
		}
		g += (size_t)snprintf(got + g, sizeof(got) - g, "%s%d%c", g ? " " : "", endpoint, kind);
		off += len;
	}
	wb_free(&w);
	if (or_want && !strcmp(got, or_want))
		return;
	assert_string_equal(got, want);
}

static void expect_sent(struct ghost_fixture *f, const char *want)
{
	expect_sent2(f, want, NULL);
}

static void test_ghost_sent_first(void **state)
{
	struct ghost_fixture *f = *state;
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->a);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->b);
	assert_int_equal(f->r.count, 1);
	expect_sent(f, "1a 1b");
	/* the peer has the route: withdrawing it sends a withdrawal */
	ribout_withdraw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN);
	expect_sent(f, "1w");
	assert_int_equal(f->r.count, 0);
}

static void test_ghost_then_withdraw(void **state)
{
	struct ghost_fixture *f = *state;
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->a);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->b);
	ribout_withdraw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN);
	/* the older announcement goes out, then the withdrawal follows it */
	expect_sent(f, "1a 1w");
	assert_int_equal(f->r.count, 0);
}

static void test_ghost_back_to_first(void **state)
{
	struct ghost_fixture *f = *state;
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->a);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->b);
	/* back to the first attributes: the ghost is not needed any more */
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->a);
	expect_sent(f, "1a");
}

static void test_no_ghost_when_sent_before(void **state)
{
	struct ghost_fixture *f = *state;
	/* the group of b exists before the group of a: a ghost of x with a
	 * would be sent after x with b, so none is kept */
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->y, VPLS_NLRI_LEN, f->b);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->a);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->b);
	expect_sent(f, "2b 1b");
}

static void test_ghost_session_down(void **state)
{
	struct ghost_fixture *f = *state;
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->a);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->x, VPLS_NLRI_LEN, f->b);
	ribout_session_down(&f->r);
	expect_sent(f, "1b");
	/* a family that is not negotiated drops ghosts as well */
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->y, VPLS_NLRI_LEN, f->a);
	ribout_announce_raw(&f->r, FAM_L2VPN_VPLS, 0, f->y, VPLS_NLRI_LEN, f->b);
	struct pack_opts o = ibgp(1);
	o.families = FAM_BIT(FAM_IPV4_UNICAST);
	struct wbuf w;
	wb_init(&w, 0);
	assert_int_equal(ribout_pack(&f->r, &o, &w, 1 << 20), 0);
	wb_free(&w);
	assert_false(ribout_has_pending(&f->r));
	ribout_resend(&f->r, FAM_ALL);
	expect_sent2(f, "1b 2b", "2b 1b"); /* hash table order */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_l2vpn),
		cmocka_unit_test(test_command_form),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_decode),
		cmocka_unit_test_setup_teardown(test_ghost_sent_first, gsetup, gteardown),
		cmocka_unit_test_setup_teardown(test_ghost_then_withdraw, gsetup, gteardown),
		cmocka_unit_test_setup_teardown(test_ghost_back_to_first, gsetup, gteardown),
		cmocka_unit_test_setup_teardown(test_no_ghost_when_sent_before, gsetup, gteardown),
		cmocka_unit_test_setup_teardown(test_ghost_session_down, gsetup, gteardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
