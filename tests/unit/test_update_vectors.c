/* Decodes every raw UPDATE of ExaBGP 4.2's functional test vectors
 * (../shared/conformance/exabgp-4.2/ci/\*.msg, read at run time, never
 * copied) and re-encodes it from the parsed form: each attribute (flags,
 * code, length, value, in order), the withdrawn and NLRI prefixes, the
 * MP_REACH/MP_UNREACH prefixes; the bytes must be identical.  Also checks
 * the interned set against the wire attributes, End-of-RIB detection, and
 * that the JSON and text printers accept every set. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_check.h"
#include "attr/attr_table.h"
#include "wire/header.h"
#include "update/update_parse.h"

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

/* Session options from the test's configuration files (first line of the
 * .ci file): "asn4 disable" and "add-path". */
struct session {
	int asn4;
	int addpath;
};

static void read_session(const char *dir, const char *name, struct session *s)
{
	char path[1024];
	s->asn4 = 1;
	s->addpath = 0;
	snprintf(path, sizeof(path), "%s/ci/%s.ci", dir, name);
	char *ci = read_file(path);
	if (!ci)
		return;
	char *line = strtok(ci, "\r\n");
	for (char *conf = line ? strtok(line, " ") : NULL; conf; conf = strtok(NULL, " ")) {
		snprintf(path, sizeof(path), "%s/etc/%s", dir, conf);
		char *text = read_file(path);
		if (!text)
			continue;
		if (strstr(text, "asn4 disable"))
			s->asn4 = 0;
		if (strstr(text, "add-path"))
			s->addpath = 1;
		free(text);
	}
	free(ci);
}

struct stats {
	unsigned messages, updates, eors, attrs, prefixes, sets, resets;
};

static void put_attr(struct wbuf *w, const struct update_attr *a)
{
	wb_u8(w, a->flags);
	wb_u8(w, a->code);
	if (a->flags & ATTR_FLAG_EXTLEN)
		wb_u16(w, a->len);
	else
		wb_u8(w, (uint8_t)a->len);
	wb_bytes(w, a->val, a->len);
}

/* Re-encodes a prefix field from the walker's output. */
static void put_prefixes(struct wbuf *w, const struct rbuf *field, uint16_t afi, int addpath, struct stats *st)
{
	struct prefix_iter it;
	struct prefix p;
	int rc;
	prefix_iter_init(&it, field, afi, addpath);
	while ((rc = prefix_iter_next(&it, &p)) == 1) {
		if (addpath)
			wb_u32(w, p.path_id);
		wb_bytes(w, p.nlri, p.nlri_len);
		st->prefixes++;
	}
	assert_int_equal(rc, 0);
}

static void check_bytes(const struct wbuf *w, const uint8_t *p, size_t len, const char *what, const char *where)
{
	if (w->len != len || memcmp(w->data, p, len)) {
		print_error("%s: re-encoded %s differs (%zu vs %zu bytes)\n", where, what, w->len, len);
		fail();
	}
}

/* The set holds the wire attributes (canonical flags, AS_PATH widened on a
 * 2-octet session) minus NEXT_HOP / MP / AS4 ones. */
static void check_set(const struct attrset *set, const struct update_msg *m, const struct session *s,
		      const char *where)
{
	unsigned expect = 0;
	for (unsigned i = 0; i < m->nattr; i++) {
		const struct update_attr *a = &m->attr[i];
		if (a->action != ATTR_OK || a->code == ATTR_NEXT_HOP || a->code == ATTR_MP_REACH_NLRI ||
		    a->code == ATTR_MP_UNREACH_NLRI || a->code == ATTR_AS4_PATH || a->code == ATTR_AS4_AGGREGATOR)
			continue;
		expect++;
		struct attr_view v;
		if (!attrset_get(set, a->code, &v)) {
			print_error("%s: attribute %u missing from the set\n", where, a->code);
			fail();
		}
		if (a->code == ATTR_AS_PATH && !s->asn4) {
			struct wbuf w;
			wb_init(&w, 0);
			aspath_widen(&w, a->val, a->len);
			assert_int_equal(v.len, w.len);
			assert_memory_equal(v.val, w.data, w.len);
			wb_free(&w);
			continue;
		}
		assert_int_equal(v.len, a->len);
		assert_memory_equal(v.val, a->val, a->len);
		const struct attr_def *d = attr_def_get(a->code);
		assert_int_equal(v.flags, d ? d->flags : (a->flags | ATTR_FLAG_PARTIAL));
	}
	assert_int_equal(set->count, expect);
}

static void check_update(const uint8_t *msg, size_t len, const struct session *s, struct attr_pool *pool,
			 struct stats *st, const char *where)
{
	static struct update_msg m;
	struct update_parse_opts o = {0};
	o.asn4 = s->asn4;
	o.addpath_rx = s->addpath ? FAM_ALL : 0;
	const uint8_t *body = msg + BGP_HEADER_LEN;
	int v = update_parse(body, len - BGP_HEADER_LEN, &o, pool, &m);
	st->updates++;

	if (v == UPDATE_RESET) {
		/* Only the generic-attribute test sends "well-known" attributes
		 * nobody knows (flags 0x60 and 0x70): RFC 4271 6.3 resets. */
		const struct update_attr *a = update_attr_find(&m, m.err_attr);
		if (!a || m.err_code != 3 || m.err_sub != 2 || (a->flags & ATTR_FLAG_OPTIONAL)) {
			print_error("%s: unexpected reset %u/%u (%s)\n", where, m.err_code, m.err_sub,
				    m.reason ? m.reason : "");
			fail();
		}
		assert_ptr_equal(m.err_data, a->val - a->hdr_len);
		assert_int_equal(m.err_data_len, a->hdr_len + (size_t)a->len);
		st->resets++;
	} else if (v != UPDATE_OK) {
		print_error("%s: verdict %d (%s)\n", where, v, m.reason ? m.reason : "");
		fail();
	}

	/* End-of-RIB markers as ExaBGP sends them. */
	if (len == 23 || (len == 30 && body[4] == 0x90 && body[5] == ATTR_MP_UNREACH_NLRI)) {
		assert_true(m.eor);
		if (len == 23) {
			assert_int_equal(m.eor_afi, AFI_IPV4);
			assert_int_equal(m.eor_safi, SAFI_UNICAST);
		} else {
			assert_int_equal(m.eor_afi, get_u16(body + 8));
			assert_int_equal(m.eor_safi, body[10]);
		}
		st->eors++;
		return;
	}
	assert_false(m.eor);

	struct wbuf w;
	wb_init(&w, len);
	for (unsigned i = 0; i < m.nattr; i++)
		put_attr(&w, &m.attr[i]);
	assert_int_equal(m.duplicates, 0);
	check_bytes(&w, m.attrs.p, m.attrs.len, "attributes", where);
	st->attrs += m.nattr;

	/* The whole message, rebuilt. */
	wb_reset(&w);
	size_t start = bgp_msg_begin(&w, BGP_MSG_UPDATE);
	size_t wl = wb_reserve(&w, 2);
	put_prefixes(&w, &m.withdrawn, AFI_IPV4, s->addpath, st);
	wb_patch16(&w, wl, (uint16_t)(w.len - wl - 2));
	wb_u16(&w, (uint16_t)m.attrs.len);
	for (unsigned i = 0; i < m.nattr; i++)
		put_attr(&w, &m.attr[i]);
	put_prefixes(&w, &m.nlri, AFI_IPV4, s->addpath, st);
	assert_int_equal(bgp_msg_end(&w, start), (int)len);
	check_bytes(&w, msg, len, "message", where);

	if (m.has_mp_reach && m.mp_family >= 0 && family_table[m.mp_family].kind == NLRI_KIND_PREFIX) {
		wb_reset(&w);
		put_prefixes(&w, &m.mp_nlri, m.mp_afi, s->addpath, st);
		check_bytes(&w, m.mp_nlri.p, m.mp_nlri.len, "MP_REACH prefixes", where);
	}
	if (m.has_mp_reach) {
		size_t nl = m.mp_nh_raw.len;
		assert_true(m.mp_nh.kind == (nl ? NH_IP : NH_NONE));
		if (nl == 4 || nl == 16 || nl == 32)
			assert_memory_equal(m.mp_nh.addr, m.mp_nh_raw.p, nl);
	}
	if (m.has_mp_unreach && (m.mpu_family >= 0 && family_table[m.mpu_family].kind == NLRI_KIND_PREFIX)) {
		wb_reset(&w);
		put_prefixes(&w, &m.mpu_nlri, m.mpu_afi, s->addpath, st);
		check_bytes(&w, m.mpu_nlri.p, m.mpu_nlri.len, "MP_UNREACH prefixes", where);
	}

	if (v == UPDATE_OK) {
		assert_true(!m.nlri.len || m.set);
		assert_true(!(m.has_mp_reach && m.mp_nlri.len) || m.mp_set);
		const struct attrset *sets[2] = {m.set, m.mp_set};
		for (int k = 0; k < 2; k++) {
			if (!sets[k])
				continue;
			check_set(sets[k], &m, s, where);
			wb_reset(&w);
			attrset_json(&w, sets[k]);
			const char *why = json_check_members_error((const char *)w.data, w.len);
			if (why)
				fail_msg("%s: invalid JSON (%s): %.*s", where, why, (int)w.len, (const char *)w.data);
			attrset_text(&w, sets[k]);
			assert_false(w.err);
			st->sets++;
		}
		if (m.set) {
			assert_int_equal(m.set->nh.kind, NH_IP);
			assert_memory_equal(m.set->nh.addr, update_attr_find(&m, ATTR_NEXT_HOP)->val, 4);
		}
	}
	update_msg_release(&m, pool);
	wb_free(&w);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_exabgp_vectors(void **state)
{
	(void)state;
	const char *dir = vectors_dir();
	char path[1024];
	snprintf(path, sizeof(path), "%s/ci", dir);
	DIR *d = opendir(path);
	if (!d) {
		print_message("skipped: no ExaBGP vectors at %s (set FASTBGP_CONFORMANCE_DIR)\n", path);
		skip();
	}
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 512) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".msg"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);

	struct stats st = {0};
	struct attr_pool pool;
	attr_pool_init(&pool);
	for (size_t i = 0; i < n; i++) {
		char test[256];
		snprintf(test, sizeof(test), "%.*s", (int)(strlen(names[i]) - 4), names[i]);
		struct session s;
		read_session(dir, test, &s);
		snprintf(path, sizeof(path), "%s/ci/%s", dir, names[i]);
		char *text = read_file(path);
		assert_non_null(text);
		int lineno = 0;
		for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			lineno++;
			char *raw = strstr(line, ":raw:");
			if (!raw)
				continue;
			static uint8_t msg[65536];
			size_t len = 0;
			int hi = -1;
			for (char *c = raw + 5; *c && len < sizeof(msg); c++) {
				int v = hexval((unsigned char)*c);
				if (v < 0)
					continue;
				if (hi < 0) {
					hi = v;
				} else {
					msg[len++] = (uint8_t)(hi << 4 | v);
					hi = -1;
				}
			}
			char where[300];
			snprintf(where, sizeof(where), "%s line %d", names[i], lineno);
			uint16_t mlen;
			uint8_t type, sub, data[2];
			size_t dlen;
			assert_true(len >= BGP_HEADER_LEN);
			if (bgp_header_check(msg, BGP_MAX_MSG_EXT, &mlen, &type, &sub, data, &dlen) < 0) {
				print_error("%s: header error 1/%u\n", where, sub);
				fail();
			}
			assert_int_equal(mlen, len);
			st.messages++;
			if (type == BGP_MSG_UPDATE)
				check_update(msg, len, &s, &pool, &st, where);
		}
		free(text);
		free(names[i]);
	}
	assert_int_equal(pool.count, 0); /* every reference was dropped */
	attr_pool_free(&pool);
	print_message("%u messages, %u UPDATEs (%u End-of-RIB), %u attributes, %u prefixes, %u sets, %u resets\n",
		      st.messages, st.updates, st.eors, st.attrs, st.prefixes, st.sets, st.resets);
	assert_true(st.updates > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exabgp_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
