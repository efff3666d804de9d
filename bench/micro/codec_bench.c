/* Codec micro-benchmarks (scenario e), linked against build/release/libfastbgp.a.
 *
 *   codec_bench [-n N] [-r REPS] [-c CONFIG]
 *
 * The route set is bench/routes.py's: 40 % IPv4 /24, 40 % IPv4 /32, 20 % IPv6
 * /48, attribute set (i / 10) % 8 (origin, as-path [65001 6510k], med 10k,
 * communities, a large community for k >= 4), eBGP session with ASN4.
 * Each benchmark prints "RESULT name prefixes seconds" per repetition:
 *
 *   rib_insert   ribout_announce_raw() of N routes into an empty adj-rib-out
 *   encode       ribout_pack() of every pending route (256 KB slices, as the
 *                speaker's pump does), after ribout_resend()
 *   decode       bgp_header_check() + update_parse() (interning the attribute
 *                sets, as an adj-rib-in would) + walking every prefix, over
 *                the UPDATEs the encoder wrote
 *   json         what a receiving fastbgp does per UPDATE for a JSON helper:
 *                api_update_view_build() (decode, as src/api does) then the
 *                API's JSON encoder (api_json_encoder: line prefix + body),
 *                one line per UPDATE as ExaBGP 4.2 writes it
 *   json_bgpls   the same for N BGP-LS NLRI (RFC 9552): node, link and IPv4
 *                prefix NLRI in turn, 10 of one kind per UPDATE (different
 *                router-ids), each UPDATE with a BGP-LS attribute of 3-4
 *                TLVs of that kind; the rate is NLRI per second
 *   config       config_load() of a static configuration (-c, N routes)
 *   evpn_decode, evpn_json   decode and JSON as above, over UPDATEs of N
 *                EVPN routes (l2vpn evpn, RFC 7432 / 9136) written here: 50 %
 *                MAC/IP with an IPv4 address, 30 % IPv4 prefix, 10 %
 *                inclusive multicast, 10 % Ethernet A-D, with a route target
 *                and a VXLAN encapsulation community, about 4 KB per UPDATE
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/encoder.h"
#include "api/views.h"
#include "attr/attr_table.h"
#include "attr/attrset.h"
#include "config/parser.h"
#include "nlri/family.h"
#include "nlri/nlri_decode.h"
#include "rib/ribout.h"
#include "rib/route.h"
#include "wire/header.h"
#include "update/update_parse.h"

#define NSETS 8

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void result(const char *name, size_t prefixes, double secs)
{
	printf("RESULT %s %zu %.6f\n", name, prefixes, secs);
	fflush(stdout);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static struct attrset *make_set(struct attr_pool *pool, int s, int v6)
{
	struct attr_builder b;
	uint8_t v[32];
	attr_builder_init(&b);
	v[0] = ORIGIN_IGP;
	attr_builder_set(&b, ATTR_ORIGIN, ATTR_FLAG_TRANSITIVE, v, 1);
	v[0] = AS_SEQUENCE;
	v[1] = 2;
	put32(v + 2, 65001);
	put32(v + 6, 65100u + (uint32_t)s);
	attr_builder_set(&b, ATTR_AS_PATH, ATTR_FLAG_TRANSITIVE, v, 10);
	put32(v, 10u * (uint32_t)s);
	attr_builder_set(&b, ATTR_MED, ATTR_FLAG_OPTIONAL, v, 4);
	put32(v, (65001u << 16) | (uint32_t)s);
	put32(v + 4, (65001u << 16) | 100u);
	attr_builder_set(&b, ATTR_COMMUNITIES, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, v, 8);
	if (s >= 4) {
		put32(v, 65001);
		put32(v + 4, 1);
		put32(v + 8, (uint32_t)s);
		attr_builder_set(&b, ATTR_LARGE_COMMUNITY, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, v, 12);
	}
	b.nh.kind = NH_IP;
	if (v6) {
		b.nh.len = 16;
		inet_pton(AF_INET6, "2001:db8::1", b.nh.addr);
	} else {
		b.nh.len = 4;
		inet_pton(AF_INET, "10.0.0.1", b.nh.addr);
	}
	struct attrset *set = attr_pool_intern(pool, &b);
	attr_builder_free(&b);
	return set;
}

/* Route i of the set: family, NLRI bytes; returns the NLRI length. */
static size_t make_route(size_t i, size_t counters[3], uint8_t *family, uint8_t nlri[17], int *set)
{
	uint8_t addr[16] = {0};
	size_t r = i % 10, k = r < 4 ? 0 : r < 8 ? 1 : 2;
	size_t j = counters[k]++;
	*set = (int)((i / 10) % NSETS);
	if (k == 0) {
		put32(addr, 0x01000000u + (uint32_t)(j << 8));
		*family = FAM_IPV4_UNICAST;
		return prefix_nlri_encode(nlri, addr, 24);
	}
	if (k == 1) {
		put32(addr, 0x64400000u + (uint32_t)j);
		*family = FAM_IPV4_UNICAST;
		return prefix_nlri_encode(nlri, addr, 32);
	}
	addr[0] = 0x2a;
	addr[1] = 0x00;
	addr[2] = (uint8_t)(j >> 24);
	addr[3] = (uint8_t)(j >> 16);
	addr[4] = (uint8_t)(j >> 8);
	addr[5] = (uint8_t)j;
	*family = FAM_IPV6_UNICAST;
	return prefix_nlri_encode(nlri, addr, 48);
}

/* EVPN route i (RFC 7432 7, RFC 9136 3.1) in wire form; returns its length. */
static size_t make_evpn_route(size_t i, uint8_t *out)
{
	static const uint8_t rd[8] = {0, 0, 0xFD, 0xE9, 0, 0, 0, 100}; /* 65001:100 */
	static const uint8_t esi[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	static const uint8_t label[3] = {0x00, 0x06, 0x41};
	size_t r = i % 10, n = 2;
	uint8_t tag[4], a4[4];
	put32(tag, (uint32_t)(i % 4096));
	put32(a4, 0x0A000000u + (uint32_t)i);
	memcpy(out + n, rd, 8);
	n += 8;
	if (r < 5 || r == 9) { /* MAC/IP, or Ethernet A-D */
		memcpy(out + n, esi, 10);
		memcpy(out + n + 10, tag, 4);
		n += 14;
		if (r < 5) {
			out[n++] = 48;
			out[n++] = 0x02;
			out[n++] = 0x00;
			put32(out + n, (uint32_t)i);
			n += 4;
			out[n++] = 32;
			memcpy(out + n, a4, 4);
			n += 4;
		}
		memcpy(out + n, label, 3);
		n += 3;
		out[0] = r < 5 ? 2 : 1;
	} else if (r < 8) { /* IP prefix: a /32 and its gateway */
		memcpy(out + n, esi, 10);
		memcpy(out + n + 10, tag, 4);
		n += 14;
		out[n++] = 32;
		memcpy(out + n, a4, 4);
		memcpy(out + n + 4, a4, 4);
		memcpy(out + n + 8, label, 3);
		n += 11;
		out[0] = 5;
	} else { /* inclusive multicast */
		memcpy(out + n, tag, 4);
		out[n + 4] = 32;
		memcpy(out + n + 5, a4, 4);
		n += 9;
		out[0] = 3;
	}
	out[1] = (uint8_t)(n - 2);
	return n;
}

static void put_attr(struct wbuf *w, uint8_t flags, uint8_t code, const uint8_t *v, size_t len)
{
	wb_u8(w, flags | (len > 255 ? ATTR_FLAG_EXTLEN : 0));
	wb_u8(w, code);
	if (len > 255)
		wb_u8(w, (uint8_t)(len >> 8));
	wb_u8(w, (uint8_t)len);
	wb_bytes(w, v, len);
}

/* UPDATEs of n EVPN routes, as many as fit about 4 KB in each. */
static void make_evpn_updates(struct wbuf *all, size_t n)
{
	static const uint8_t ext[16] = {0x00, 0x02, 0xFD, 0xE9, 0, 0, 0, 100, /* target:65001:100 */
					0x03, 0x0C, 0, 0, 0, 0, 0, 8};        /* encap VXLAN */
	uint8_t *mp = malloc(4096), v[10];
	for (size_t i = 0; i < n;) {
		size_t ml = 0;
		mp[ml++] = 0;
		mp[ml++] = AFI_L2VPN;
		mp[ml++] = SAFI_EVPN;
		mp[ml++] = 4;
		put32(mp + ml, 0x0A000001u);
		ml += 4;
		mp[ml++] = 0; /* reserved */
		for (; i < n && ml + 64 < 3900; i++)
			ml += make_evpn_route(i, mp + ml);
		struct wbuf a;
		wb_init(&a, 4096);
		v[0] = ORIGIN_IGP;
		put_attr(&a, ATTR_FLAG_TRANSITIVE, ATTR_ORIGIN, v, 1);
		v[0] = AS_SEQUENCE;
		v[1] = 2;
		put32(v + 2, 65001);
		put32(v + 6, 65100u + (uint32_t)(i % NSETS));
		put_attr(&a, ATTR_FLAG_TRANSITIVE, ATTR_AS_PATH, v, 10);
		put_attr(&a, ATTR_FLAG_OPTIONAL | ATTR_FLAG_TRANSITIVE, ATTR_EXT_COMMUNITIES, ext, sizeof(ext));
		put_attr(&a, ATTR_FLAG_OPTIONAL, ATTR_MP_REACH_NLRI, mp, ml);
		size_t total = BGP_HEADER_LEN + 4 + a.len;
		uint8_t hdr[BGP_HEADER_LEN + 4];
		memset(hdr, 0xFF, 16);
		hdr[16] = (uint8_t)(total >> 8);
		hdr[17] = (uint8_t)total;
		hdr[18] = BGP_MSG_UPDATE;
		hdr[19] = hdr[20] = 0; /* no withdrawn routes */
		hdr[21] = (uint8_t)(a.len >> 8);
		hdr[22] = (uint8_t)a.len;
		wb_bytes(all, hdr, sizeof(hdr));
		wb_bytes(all, a.data, a.len);
		wb_free(&a);
	}
	free(mp);
}

static struct update_msg msg; /* large: keep it off the stack */

/* ---- BGP-LS (json_bgpls) ---- */

static size_t put_tlv(uint8_t *p, uint16_t type, const void *v, uint16_t len)
{
	p[0] = (uint8_t)(type >> 8);
	p[1] = (uint8_t)type;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 4, v, len);
	return 4u + len;
}

/* Node descriptors (RFC 9552 5.2.1.4): AS 65000, BGP-LS id 0, IS-IS router-id. */
static size_t put_node(uint8_t *p, uint16_t type, uint32_t id)
{
	uint8_t sub[32];
	size_t n = 0;
	uint8_t as[4] = {0, 0, 0xfd, 0xe8}, zero[4] = {0}, rid[6] = {0, 0};
	put32(rid + 2, id);
	n += put_tlv(sub + n, 512, as, 4);
	n += put_tlv(sub + n, 513, zero, 4);
	n += put_tlv(sub + n, 515, rid, 6);
	return put_tlv(p, type, sub, (uint16_t)n);
}

/* One Link-State NLRI of kind (0 node, 1 link, 2 IPv4 prefix) for id i. */
static size_t put_ls_nlri(uint8_t *p, int kind, uint32_t i)
{
	uint8_t v[128];
	size_t n = 0;
	v[n++] = 2; /* IS-IS level 2 */
	memset(v + n, 0, 8);
	n += 8;
	n += put_node(v + n, 256, i);
	if (kind == 1) {
		uint8_t a[4], b[4];
		put32(a, 0x0a000000u + 2 * i);
		put32(b, 0x0a000001u + 2 * i);
		n += put_node(v + n, 257, i + 1);
		n += put_tlv(v + n, 259, a, 4);
		n += put_tlv(v + n, 260, b, 4);
	} else if (kind == 2) {
		uint8_t reach[4] = {24};
		uint32_t net = 0x0b000000u + (i << 8);
		reach[1] = (uint8_t)(net >> 24);
		reach[2] = (uint8_t)(net >> 16);
		reach[3] = (uint8_t)(net >> 8);
		n += put_tlv(v + n, 265, reach, 4);
	}
	return put_tlv(p, (uint16_t)(kind == 0 ? 1 : kind == 1 ? 2 : 3), v, (uint16_t)n);
}

/* The BGP-LS attribute of each kind (RFC 9552 5.3, RFC 9085). */
static size_t put_ls_attr(uint8_t *p, int kind)
{
	size_t n = 0;
	uint8_t four[4] = {0, 0, 0, 10}, flags = 0x80, bw[4] = {0x4e, 0x95, 0x02, 0xf9};
	uint8_t sid[8] = {0x40, 0, 0, 0, 0, 0, 0x3e, 0x81};
	if (kind == 0) {
		n += put_tlv(p + n, 1026, "router-name", 11);
		n += put_tlv(p + n, 1027, "\x49\x00\x01", 3);
		n += put_tlv(p + n, 1024, &flags, 1);
	} else if (kind == 1) {
		n += put_tlv(p + n, 1089, bw, 4);
		n += put_tlv(p + n, 1092, four, 4);
		n += put_tlv(p + n, 1095, four + 1, 3);
		n += put_tlv(p + n, 1096, four, 4);
	} else {
		n += put_tlv(p + n, 1152, &flags, 1);
		n += put_tlv(p + n, 1155, four, 4);
		n += put_tlv(p + n, 1158, sid, 8);
	}
	return n;
}

/* n NLRI in UPDATEs of 10, appended to all as whole BGP messages. */
static void make_bgpls_updates(struct wbuf *all, size_t n)
{
	for (size_t done = 0; done < n;) {
		int kind = (int)((done / 10) % 3);
		uint8_t field[2048], lsattr[128];
		size_t fl = 0, k;
		for (k = 0; k < 10 && done + k < n; k++)
			fl += put_ls_nlri(field + fl, kind, (uint32_t)(done + k));
		done += k;
		size_t al = put_ls_attr(lsattr, kind);
		size_t start = all->len;
		uint8_t marker[16];
		memset(marker, 0xff, sizeof(marker));
		wb_bytes(all, marker, 16);
		wb_u16(all, 0); /* length, patched below */
		wb_u8(all, BGP_MSG_UPDATE);
		wb_u16(all, 0); /* no withdrawn routes */
		size_t alen_at = all->len;
		wb_u16(all, 0);
		static const uint8_t base[] = {0x40, 1, 1, 0, 0x40, 2, 6, 2, 1, 0, 0, 0xfd, 0xe9};
		wb_bytes(all, base, sizeof(base));
		/* MP_REACH_NLRI (extended length): AFI 16388 SAFI 71, next-hop 127.66.0.2 */
		size_t mp_len = 5 + 4 + fl;
		wb_u8(all, 0x90);
		wb_u8(all, 14);
		wb_u16(all, (uint16_t)mp_len);
		wb_u16(all, AFI_BGPLS);
		wb_u8(all, SAFI_BGPLS);
		wb_u8(all, 4);
		static const uint8_t nh[4] = {127, 66, 0, 2};
		wb_bytes(all, nh, 4);
		wb_u8(all, 0);
		wb_bytes(all, field, fl);
		wb_u8(all, 0x80);
		wb_u8(all, 29);
		wb_u8(all, (uint8_t)al);
		wb_bytes(all, lsattr, al);
		wb_patch16(all, alen_at, (uint16_t)(all->len - alen_at - 2));
		wb_patch16(all, start + 16, (uint16_t)(all->len - start));
	}
}

/* bgp_header_check + update_parse + walking every NLRI, per repetition. */
static int bench_decode(const char *name, const struct wbuf *all, const struct update_parse_opts *uo, int reps)
{
	for (int rep = 0; rep < reps; rep++) {
		struct attr_pool rx_pool;
		attr_pool_init(&rx_pool);
		size_t prefixes = 0;
		double t0 = now();
		for (size_t off = 0; off + BGP_HEADER_LEN <= all->len;) {
			uint16_t len;
			uint8_t type, sub, data[2];
			size_t dlen;
			if (bgp_header_check(all->data + off, BGP_MAX_MSG, &len, &type, &sub, data, &dlen) < 0) {
				fprintf(stderr, "bad header at %zu\n", off);
				return 1;
			}
			const uint8_t *body = all->data + off + BGP_HEADER_LEN;
			size_t blen = len - (size_t)BGP_HEADER_LEN;
			off += len;
			if (update_parse(body, blen, uo, &rx_pool, &msg) != UPDATE_OK) {
				fprintf(stderr, "UPDATE rejected: %s\n", msg.reason ? msg.reason : "?");
				return 1;
			}
			struct prefix_iter it;
			struct prefix p;
			prefix_iter_init(&it, &msg.nlri, AFI_IPV4, 0);
			while (prefix_iter_next(&it, &p) == 1)
				prefixes++;
			if (msg.has_mp_reach && msg.mp_afi == AFI_L2VPN) {
				struct nlri_iter ni;
				struct nlri_item item;
				nlri_iter_init(&ni, FAM_L2VPN_EVPN, msg.mp_nlri.p, msg.mp_nlri.len, false, false);
				while (nlri_iter_next(&ni, &item) == 1)
					prefixes++;
			} else if (msg.has_mp_reach) {
				prefix_iter_init(&it, &msg.mp_nlri, msg.mp_afi, 0);
				while (prefix_iter_next(&it, &p) == 1)
					prefixes++;
			}
			update_msg_release(&msg, &rx_pool);
		}
		double t1 = now();
		result(name, prefixes, t1 - t0);
		attr_pool_free(&rx_pool);
	}

	return 0;
}

/* api_update_view_build + the API's JSON encoder, per repetition. */
static int bench_json(const char *name, const struct wbuf *all, int reps)
{
	struct wbuf j;
	wb_init(&j, 1 << 16);
	struct api_fmt f;
	memset(&f, 0, sizeof(f));
	f.version = 4;
	f.exabgp = "4.0.1";
	snprintf(f.host, sizeof(f.host), "bench");
	f.pid = f.ppid = 1;
	f.now = 1700000000.0;
	static struct api_neighbor nb;
	memset(&nb, 0, sizeof(nb));
	snprintf(nb.peer_address, sizeof(nb.peer_address), "127.66.0.2");
	snprintf(nb.local_address, sizeof(nb.local_address), "127.66.0.1");
	snprintf(nb.family_allowed, sizeof(nb.family_allowed), "in-open");
	nb.id.local_as = 65000;
	nb.id.peer_as = 65001;
	struct api_update_opts vo = {.asn4 = true, .addpath = 0};
	for (int rep = 0; rep < reps; rep++) {
		struct attr_pool rx_pool;
		attr_pool_init(&rx_pool);
		static struct api_update_view uv;
		api_update_view_init(&uv, &rx_pool);
		size_t prefixes = 0, json_bytes = 0;
		uint64_t counter = 0;
		char pre[512];
		double t0 = now();
		for (size_t off = 0; off + BGP_HEADER_LEN <= all->len;) {
			uint16_t len = (uint16_t)((all->data[off + 16] << 8) | all->data[off + 17]);
			const uint8_t *m = all->data + off;
			off += len;
			if (api_update_view_build(&uv, m + BGP_HEADER_LEN, len - (size_t)BGP_HEADER_LEN, &vo) < 0) {
				fprintf(stderr, "api_update_view_build failed\n");
				return 1;
			}
			struct api_ev e;
			memset(&e, 0, sizeof(e));
			e.dir = API_DIR_RECEIVE;
			e.type = BGP_MSG_UPDATE;
			e.msg = m;
			e.len = len;
			e.uv = &uv;
			wb_reset(&j);
			size_t pl = api_json_encoder.prefix(&f, pre, sizeof(pre), ++counter);
			wb_bytes(&j, pre, pl);
			if (api_encode_message(&api_json_encoder, &f, &j, &nb, &e) == 0) {
				wb_u8(&j, '\n');
				json_bytes += j.len;
			}
			prefixes += uv.n;
			api_update_view_clear(&uv);
		}
		double t1 = now();
		result(name, prefixes, t1 - t0);
		if (rep == 0) {
			fprintf(stderr, "%s: %zu bytes (%.1f bytes/prefix); last line: %.*s", name, json_bytes,
				(double)json_bytes / (double)(prefixes ? prefixes : 1), (int)(j.len > 600 ? 600 : j.len),
				(const char *)j.data);
			if (j.len > 600)
				fputc('\n', stderr);
		}
		api_update_view_free(&uv);
		attr_pool_free(&rx_pool);
	}
	wb_free(&j);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = 1000000;
	int reps = 3;
	const char *conf = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			conf = argv[++i];
		else {
			fprintf(stderr, "usage: %s [-n N] [-r REPS] [-c CONFIG]\n", argv[0]);
			return 2;
		}
	}

	struct attr_pool pool;
	attr_pool_init(&pool);
	struct attrset *sets[NSETS][2];
	for (int s = 0; s < NSETS; s++)
		for (int v6 = 0; v6 < 2; v6++)
			sets[s][v6] = make_set(&pool, s, v6);

	/* Routes in wire form, made once. */
	uint8_t *fams = malloc(n);
	uint8_t (*nlris)[17] = malloc(n * 17);
	uint8_t *lens = malloc(n);
	int *setidx = malloc(n * sizeof(int));
	if (!fams || !nlris || !lens || !setidx)
		return 1;
	size_t counters[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		lens[i] = (uint8_t)make_route(i, counters, &fams[i], nlris[i], &setidx[i]);

	struct pack_opts o;
	memset(&o, 0, sizeof(o));
	o.enc.ebgp = true;
	o.enc.asn4 = true;
	o.enc.local_as = 65001;
	o.enc.max_msg = BGP_MAX_MSG;
	o.families = FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV6_UNICAST);
	o.group_updates = true;

	struct wbuf all;
	wb_init(&all, 1 << 20);
	for (int rep = 0; rep < reps; rep++) {
		struct ribout r;
		ribout_init(&r, &pool);
		double t0 = now();
		for (size_t i = 0; i < n; i++)
			ribout_announce_raw(&r, fams[i], 0, nlris[i], lens[i], sets[setidx[i]][fams[i] == FAM_IPV6_UNICAST]);
		double t1 = now();
		result("rib_insert", n, t1 - t0);
		/* first packing: keep the bytes for the decoder */
		if (rep == 0) {
			while (ribout_has_pending(&r))
				ribout_pack(&r, &o, &all, all.len + (256u << 10));
			ribout_resend(&r, o.families);
		}
		struct wbuf w;
		wb_init(&w, 300u << 10);
		size_t msgs = 0, bytes = 0;
		t0 = now();
		while (ribout_has_pending(&r)) {
			wb_reset(&w);
			msgs += ribout_pack(&r, &o, &w, 256u << 10);
			bytes += w.len;
		}
		t1 = now();
		result("encode", n, t1 - t0);
		if (rep == 0)
			fprintf(stderr, "encode: %zu UPDATEs, %zu bytes (%.1f bytes/prefix)\n", msgs, bytes,
				(double)bytes / (double)n);
		wb_free(&w);
		ribout_free(&r);
	}

	/* decode, then JSON, over the encoder's output; then over EVPN routes */
	struct attr_builder scratch;
	attr_builder_init(&scratch);
	struct update_parse_opts uo = {
		.asn4 = 1,
		.ebgp = 1,
		.families = FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV6_UNICAST),
		.addpath_rx = 0,
		.scratch = &scratch,
	};
	if (bench_decode("decode", &all, &uo, reps) < 0 || bench_json("json", &all, reps) < 0)
		return 1;
	struct wbuf evpn;
	wb_init(&evpn, 1 << 20);
	make_evpn_updates(&evpn, n);
	uo.families = FAM_BIT(FAM_L2VPN_EVPN);
	if (bench_decode("evpn_decode", &evpn, &uo, reps) < 0 || bench_json("evpn_json", &evpn, reps) < 0)
		return 1;
	wb_free(&evpn);
	/* BGP-LS: decode + JSON per NLRI, to set beside the unicast json row */
	struct wbuf ls;
	wb_init(&ls, 1 << 20);
	make_bgpls_updates(&ls, n);
	if (bench_json("json_bgpls", &ls, reps) != 0)
		return 1;
	wb_free(&ls);
	attr_builder_free(&scratch);
	wb_free(&all);

	if (conf) {
		for (int rep = 0; rep < reps; rep++) {
			struct config c;
			char err[512];
			config_init(&c);
			double t0 = now();
			if (config_load(&c, conf, err, sizeof(err)) < 0) {
				fprintf(stderr, "config: %s\n", err);
				return 1;
			}
			double t1 = now();
			size_t routes = 0;
			for (int i = 0; i < c.nneighbors; i++)
				routes += c.neighbors[i]->routes.n;
			result("config", routes, t1 - t0);
			config_free(&c);
		}
	}
	for (int s = 0; s < NSETS; s++)
		for (int v6 = 0; v6 < 2; v6++)
			attrset_unref(&pool, sets[s][v6]);
	attr_pool_free(&pool);
	free(fams);
	free(nlris);
	free(lens);
	free(setidx);
	return 0;
}
