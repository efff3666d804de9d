/* Received NLRI decoding, checking and printing through the family's codec
 * (see nlri_decode.h). */
#include "nlri/nlri_decode.h"

#include <stdio.h>
#include <string.h>

#include "nlri/family.h"
#include "nlri/nlri_codec.h"
#include "wire/buf.h"

int nlri_iter_init(struct nlri_iter *it, int family, const uint8_t *field, size_t len, bool addpath, bool withdraw)
{
	memset(it, 0, sizeof(*it));
	if (family < 0 || family >= FAM_COUNT || !family_table[family].codec)
		return -1;
	it->p = field;
	it->end = field + len;
	it->family = (uint8_t)family;
	it->addpath = addpath && family_table[family].codec->addpath;
	it->withdraw = withdraw;
	return 0;
}

int nlri_iter_next(struct nlri_iter *it, struct nlri_item *out)
{
	if (it->p >= it->end)
		return 0;
	const struct family_def *fd = &family_table[it->family];
	const uint8_t *p = it->p;
	size_t left = (size_t)(it->end - p);
	out->family = it->family;
	out->has_path_id = false;
	out->bad = false;
	out->path_id = 0;
	if (it->addpath) {
		if (left < 4)
			return -1;
		out->has_path_id = true;
		out->path_id = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		p += 4;
		left -= 4;
	}
	/* Plain prefixes are nearly every route received: decoded inline,
	 * the other layouts through their codec. */
	long used = fd->kind == NLRI_KIND_PREFIX ? nlri_prefix_decode(p, left, afi_addr_len(fd->afi), &out->pfx)
						 : fd->codec->decode(fd, p, left, it->withdraw, out);
	if (used < 0)
		return -1;
	out->nlri = p;
	out->nlri_len = (uint16_t)used;
	it->p = p + used;
	return 1;
}

long nlri_field_count(int family, const uint8_t *field, size_t len, bool addpath, bool withdraw)
{
	struct nlri_iter it;
	struct nlri_item item;
	long n = 0;
	int rc;
	if (nlri_iter_init(&it, family, field, len, addpath, withdraw) < 0)
		return -1;
	while ((rc = nlri_iter_next(&it, &item)) > 0)
		n++;
	return rc < 0 ? -1 : n;
}

enum nlri_field_verdict nlri_field_validate(int family, const uint8_t *field, size_t len, bool addpath, bool withdraw,
					    const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*reason = NULL;
	struct nlri_iter it;
	if (nlri_iter_init(&it, family, field, len, addpath, withdraw) < 0)
		return NLRI_FIELD_OK; /* no codec here: passed on undecoded */
	struct nlri_item item;
	enum nlri_field_verdict v = NLRI_FIELD_OK;
	int rc;
	while ((rc = nlri_iter_next(&it, &item)) > 0) {
		if (item.bad && v == NLRI_FIELD_OK) {
			*reason = "malformed NLRI";
			v = NLRI_FIELD_WITHDRAW; /* later NLRI may still overrun the field */
		}
	}
	if (rc < 0) {
		*reason = "malformed NLRI (length overruns the field or prefix longer than the address)";
		return NLRI_FIELD_RESET;
	}
	return v;
}

size_t nlri_item_encode(const struct nlri_item *it, uint8_t *out)
{
	const struct nlri_codec *c = family_table[it->family].codec;
	return c && c->encode ? c->encode(it, out) : 0;
}

size_t nlri_item_key(const struct nlri_item *it, uint8_t out[NLRI_KEY_MAX], const uint8_t **key)
{
	const struct nlri_codec *c = family_table[it->family].codec;
	size_t n = c && c->route_key ? c->route_key(it, out) : 0;
	if (n) {
		*key = out;
		return n;
	}
	*key = it->nlri;
	return it->nlri_len;
}

int nlri_item_format(char *out, size_t outlen, const struct nlri_item *it, const char *nexthop)
{
	uint8_t buf[1024];
	struct wbuf w;
	wb_init_fixed(&w, buf, sizeof(buf));
	nlri_item_text(&w, it, nexthop);
	int n = w.err ? 0 : (int)w.len;
	if (outlen) {
		size_t k = (size_t)n < outlen ? (size_t)n : outlen - 1;
		memcpy(out, buf, k);
		out[k] = '\0';
	}
	return n;
}
