/* libFuzzer harness: update_parse() and the attribute printers.
 *
 * Input: [options byte][UPDATE body].  Options: bit 0 ASN4, bit 1 eBGP,
 * bit 2 ADD-PATH on every family, bit 3 restrict MP families to IPv4/IPv6
 * unicast, bit 4 use a scratch builder.  Every built set is printed as JSON
 * and text, every prefix field walked, and each received attribute value
 * is also fed raw to the printers (sets from the configuration reach them
 * without validation). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attr/attr_table.h"
#include "nlri/family.h"
#include "update/update_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Plain [len][prefix] NLRI (unicast, multicast): what walk() reads. */
static int nlri_is_prefix(uint16_t afi, uint8_t safi)
{
	int f = family_find(afi, safi);
	return f >= 0 && family_table[f].kind == NLRI_KIND_PREFIX;
}

static void walk(const struct rbuf *field, uint16_t afi, int addpath)
{
	struct prefix_iter it;
	struct prefix p;
	prefix_iter_init(&it, field, afi, addpath);
	while (prefix_iter_next(&it, &p) == 1)
		if (p.nlri_len > 17 || p.plen > (afi == AFI_IPV6 ? 128 : 32))
			abort();
}

static void print_set(const struct attrset *s)
{
	struct wbuf w;
	wb_init(&w, 0);
	attrset_json(&w, s);
	sb_cstr(&w);
	wb_reset(&w);
	attrset_text(&w, s);
	sb_cstr(&w);
	wb_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct attr_pool pool;
	static int init;
	static struct update_msg m;
	static struct attr_builder scratch;
	if (!init) {
		attr_pool_init(&pool);
		attr_builder_init(&scratch);
		init = 1;
	}
	if (size < 1)
		return 0;
	uint8_t opt = data[0];
	struct update_parse_opts o = {0};
	o.asn4 = opt & 1;
	o.ebgp = (opt >> 1) & 1;
	o.addpath_rx = (opt & 4) ? FAM_ALL : 0;
	o.families = (opt & 8) ? (FAM_BIT(FAM_IPV4_UNICAST) | FAM_BIT(FAM_IPV6_UNICAST)) : 0;
	o.scratch = (opt & 16) ? &scratch : NULL;

	/* A private copy so ASan sees reads past the end of the message. */
	size_t len = size - 1;
	uint8_t *body = malloc(len ? len : 1);
	if (!body)
		return 0;
	memcpy(body, data + 1, len);

	int v = update_parse(body, len, &o, &pool, &m);
	if (v != m.verdict || v < UPDATE_OK || v > UPDATE_RESET)
		abort();
	if (v == UPDATE_RESET && (m.set || m.mp_set))
		abort();
	if (m.err_data && (m.err_data < body || m.err_data + m.err_data_len > body + len))
		abort();
	if (v != UPDATE_RESET) {
		int ap4 = (o.addpath_rx & FAM_BIT(FAM_IPV4_UNICAST)) != 0;
		walk(&m.withdrawn, AFI_IPV4, ap4);
		walk(&m.nlri, AFI_IPV4, ap4);
		if (m.has_mp_reach && nlri_is_prefix(m.mp_afi, m.mp_safi))
			walk(&m.mp_nlri, m.mp_afi, o.addpath_rx != 0);
		if (m.has_mp_unreach && nlri_is_prefix(m.mpu_afi, m.mpu_safi))
			walk(&m.mpu_nlri, m.mpu_afi, o.addpath_rx != 0);
	}
	if (m.set)
		print_set(m.set);
	if (m.mp_set)
		print_set(m.mp_set);

	struct wbuf w;
	wb_init(&w, 0);
	for (unsigned i = 0; i < m.nattr; i++) {
		const struct update_attr *a = &m.attr[i];
		wb_reset(&w);
		attr_json(&w, a->code, a->flags, a->val, a->len);
		attr_text(&w, a->code, a->flags, a->val, a->len);
		sb_cstr(&w);
	}
	wb_free(&w);

	update_msg_release(&m, &pool);
	if (pool.count != 0)
		abort(); /* a reference leaked */
	free(body);
	return 0;
}
