/* Every FlowSpec NLRI of ExaBGP 4.2's conformance vectors
 * (../shared/conformance/exabgp-4.2/ci/\*.msg, read at run time, never
 * copied): decoded to ExaBGP's text, that text parsed back with the
 * configuration's one-line flow grammar, and re-encoded: the bytes must be
 * identical.  A few decoded texts are also compared with what ExaBGP 4.2
 * prints for them. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "json_check.h"
#include "config/parser_flow.h"
#include "nlri/family.h"
#include "nlri/flowspec.h"

static const char *vectors_dir(void)
{
	const char *env = getenv("FASTBGP_CONFORMANCE_DIR");
	return env && *env ? env : "../shared/conformance/exabgp-4.2";
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

struct ctx {
	struct attr_pool pool;
	struct rg_ctx g;
	unsigned nlri, updates;
	char texts[64][512]; /* decoded texts, for the spot checks */
	unsigned ntexts;
};

/* Decodes one NLRI, parses the text back, compares the bytes. */
static void round_trip(struct ctx *c, uint16_t afi, uint8_t safi, const uint8_t *p, size_t len, const char *nh,
		       const char *where)
{
	struct wbuf text, json;
	char err[256];
	wb_init(&text, 256);
	wb_init(&json, 256);
	if (flow_format(afi, safi, p, len, nh, &text, &json, err, sizeof(err)) < 0)
		fail_msg("%s: decode failed: %s", where, err);
	wb_u8(&text, '\0');
	const char *s = (const char *)text.data;
	assert_true(!strncmp(s, "flow ", 5));
	assert_true(json.len > 2 && json.data[0] == '{' && json.data[json.len - 1] == '}');
	if (!json_check((const char *)json.data, json.len, NULL))
		fail_msg("%s: invalid JSON: %.*s", where, (int)json.len, (const char *)json.data);
	if (c->ntexts < 64)
		snprintf(c->texts[c->ntexts++], sizeof(c->texts[0]), "%s", s);

	struct route_list out = {0};
	c->g.err.msg[0] = '\0';
	if (flow_parse_command(&c->g, false, s + 5, &out) != 1)
		fail_msg("%s: \"%s\" does not parse back: %s", where, s, c->g.err.msg);
	const struct route *r = out.v[0];
	assert_int_equal(family_table[r->family].afi, afi);
	assert_int_equal(family_table[r->family].safi, safi);
	if (r->nlri_len != len || memcmp(r->nlri, p, len))
		fail_msg("%s: \"%s\" re-encodes differently", where, s);
	rg_route_release(&c->g, out.v[0]);
	route_list_free(&out);
	wb_free(&text);
	wb_free(&json);
	c->nlri++;
}

/* The flow NLRI inside MP_REACH (14) / MP_UNREACH (15) of one UPDATE body. */
static void check_update(struct ctx *c, const uint8_t *body, size_t len, const char *where)
{
	if (len < 4)
		return;
	size_t wl = get_u16(body);
	if (2 + wl + 2 > len)
		return;
	size_t al = get_u16(body + 2 + wl);
	const uint8_t *a = body + 4 + wl, *end = a + al;
	if (a + al > body + len)
		return;
	while (a + 3 <= end) {
		uint8_t flags = a[0], code = a[1];
		size_t hl = flags & 0x10 ? 4 : 3;
		if (a + hl > end)
			return;
		size_t vl = flags & 0x10 ? get_u16(a + 2) : a[2];
		const uint8_t *v = a + hl;
		if (v + vl > end)
			return;
		a = v + vl;
		if ((code != 14 && code != 15) || vl < 3)
			continue;
		uint16_t afi = get_u16(v);
		uint8_t safi = v[2];
		if (safi != SAFI_FLOW && safi != SAFI_FLOW_VPN)
			continue;
		const uint8_t *n = v + 3;
		char nh[INET6_ADDRSTRLEN] = "";
		if (code == 14) {
			uint8_t nhl = v[3];
			if (nhl == 4)
				inet_ntop(AF_INET, v + 4, nh, sizeof(nh));
			else if (nhl == 16)
				inet_ntop(AF_INET6, v + 4, nh, sizeof(nh));
			n = v + 4 + nhl + 1;
		}
		const uint8_t *nend = v + vl;
		if (n >= nend)
			continue; /* End-of-RIB */
		c->updates++;
		while (n < nend) {
			long sz = flow_nlri_size(n, (size_t)(nend - n));
			if (sz < 0)
				fail_msg("%s: bad flow NLRI length", where);
			round_trip(c, afi, safi, n, (size_t)sz, nh[0] ? nh : NULL, where);
			n += sz;
		}
	}
}

static void check_file(struct ctx *c, const char *path, const char *name)
{
	char *text = read_file(path);
	assert_non_null(text);
	int lineno = 0;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char *raw = strstr(line, ":raw:");
		if (!raw || line[0] == '#')
			continue;
		static uint8_t msg[70000];
		size_t n = 0;
		int hi = -1;
		for (const char *q = raw + 5; *q && n < sizeof(msg); q++) {
			int v = hexval((unsigned char)*q);
			if (v < 0)
				continue;
			if (hi < 0) {
				hi = v;
			} else {
				msg[n++] = (uint8_t)(hi << 4 | v);
				hi = -1;
			}
		}
		if (n < 19 || msg[18] != 2)
			continue;
		char where[300];
		snprintf(where, sizeof(where), "%s line %d", name, lineno);
		check_update(c, msg + 19, n - 19, where);
	}
	free(text);
}

static bool seen(const struct ctx *c, const char *s)
{
	for (unsigned i = 0; i < c->ntexts; i++)
		if (!strcmp(c->texts[i], s))
			return true;
	return false;
}

static void test_vectors(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof(path), "%s/ci", vectors_dir());
	DIR *d = opendir(path);
	if (!d) {
		print_message("skipped: no ExaBGP vectors at %s (set FASTBGP_CONFORMANCE_DIR)\n", path);
		skip();
	}
	struct ctx *c = calloc(1, sizeof(*c));
	attr_pool_init(&c->pool);
	rg_init(&c->g, &c->pool, NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".msg"))
			continue;
		snprintf(path, sizeof(path), "%s/ci/%s", vectors_dir(), e->d_name);
		check_file(c, path, e->d_name);
	}
	closedir(d);
	print_message("%u flow NLRI in %u UPDATEs decoded and re-encoded\n", c->nlri, c->updates);
	assert_true(c->nlri >= 18); /* conf-flow: 13, conf-flow-redirect: 5 */

	/* What ExaBGP 4.2 prints for some of them */
	static const char *const want[] = {
		"flow source-ipv4 10.0.0.1/32 rd 65535:65536",
		"flow source-ipv4 10.0.0.2/32 next-hop 1.2.3.4",
		"flow destination-ipv4 10.0.0.2/32 source-ipv4 10.0.0.1/32 protocol =tcp destination-port =3128",
		"flow fragment last-fragment",
		"flow destination-ipv6 2a02:b80:15:0:7aca:39ff:feae:a87a/128/0 source-ipv6 ::1/128/120 next-header =udp "
		"traffic-class =101 flow-label =2013",
		"flow packet-length [ >200&<300 >400&<500 ]",
		"flow source-ipv4 10.0.0.3/32 rd 65535:65536 next-hop 5.6.7.8",
		"flow destination-ipv4 192.168.0.1/32 source-ipv4 10.0.0.9/32 protocol [ =udp =tcp ] port [ =80 =8080 ] "
		"destination-port [ >8080&<8088 =3128 ] source-port >1024",
		"flow destination-ipv4 192.168.0.1/32 source-ipv4 10.0.0.10/32 protocol !=tcp port !=0 "
		"destination-port !=443 source-port [ !=80 !=8080 ]",
		"flow destination-ipv4 10.0.0.2/32 source-ipv4 10.0.0.1/32 protocol =tcp destination-port =3128 "
		"tcp-flags [ syn rst&fin&!=push ]",
		"flow destination-ipv4 192.168.0.1/32 source-ipv4 10.0.0.1/32 protocol [ =tcp =udp ] port [ =80 =8080 ] "
		"destination-port [ >8080&<8088 =3128 ] source-port >1024 icmp-type [ =unreachable =echo-request "
		"=echo-reply ] icmp-code [ =1 =0 ] tcp-flags [ urg rst ] packet-length [ >200&<300 >400&<500 ] "
		"dscp [ =10 =20 ] fragment [ first-fragment last-fragment ]",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!seen(c, want[i]))
			fail_msg("not decoded: %s", want[i]);

	rg_free(&c->g);
	assert_int_equal(c->pool.count, 0);
	attr_pool_free(&c->pool);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
