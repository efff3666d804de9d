/* Received NLRI decoding and text (see nlri_decode.h). */
#include "nlri/nlri_decode.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "nlri/family.h"
#include "nlri/flowspec.h"
#include "nlri/vpn.h"

int nlri_iter_init(struct nlri_iter *it, int family, const uint8_t *field, size_t len, bool addpath, bool withdraw)
{
	memset(it, 0, sizeof(*it));
	if (family < 0 || family >= FAM_COUNT)
		return -1;
	const struct family_def *fd = &family_table[family];
	bool ip = fd->afi == AFI_IPV4 || fd->afi == AFI_IPV6;
	bool ok = (ip && (fd->safi == SAFI_UNICAST || fd->safi == SAFI_MULTICAST || fd->safi == SAFI_MPLS_LABEL ||
			  fd->safi == SAFI_MPLS_VPN)) ||
		  family == FAM_L2VPN_VPLS;
	if (!ok)
		return -1;
	it->p = field;
	it->end = field + len;
	it->family = (uint8_t)family;
	it->addpath = addpath;
	it->withdraw = withdraw;
	return 0;
}

/* A unicast/multicast prefix: [len][prefix bytes]. */
static long prefix_decode(const uint8_t *p, size_t len, int alen, struct labeled_prefix *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1 || p[0] > alen * 8)
		return -1;
	size_t pb = (p[0] + 7u) / 8u;
	if (1 + pb > len)
		return -1;
	out->plen = p[0];
	memcpy(out->addr, p + 1, pb);
	if (out->plen % 8)
		out->addr[pb - 1] &= (uint8_t)(0xFF << (8 - out->plen % 8));
	return (long)(1 + pb);
}

int nlri_iter_next(struct nlri_iter *it, struct nlri_item *out)
{
	if (it->p >= it->end)
		return 0;
	const struct family_def *fd = &family_table[it->family];
	const uint8_t *p = it->p;
	size_t left = (size_t)(it->end - p);
	memset(out, 0, sizeof(*out));
	out->family = it->family;
	if (it->addpath) {
		if (left < 4)
			return -1;
		out->has_path_id = true;
		out->path_id = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		p += 4;
		left -= 4;
	}
	long used;
	int alen = afi_addr_len(fd->afi);
	switch (fd->safi) {
	case SAFI_UNICAST:
	case SAFI_MULTICAST:
		used = prefix_decode(p, left, alen, &out->pfx);
		break;
	case SAFI_MPLS_LABEL:
		used = labeled_nlri_decode(p, left, alen, false, it->withdraw, &out->pfx);
		break;
	case SAFI_MPLS_VPN:
		used = labeled_nlri_decode(p, left, alen, true, it->withdraw, &out->pfx);
		break;
	case SAFI_VPLS:
		used = vpls_nlri_decode(p, left, &out->vpls);
		break;
	default:
		used = -1;
		break;
	}
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

static enum nlri_field_verdict flow_field_validate(int family, const uint8_t *p, size_t len, const char **reason)
{
	const struct family_def *fd = &family_table[family];
	enum nlri_field_verdict v = NLRI_FIELD_OK;
	while (len) {
		long sz = flow_nlri_size(p, len);
		if (sz <= 0) {
			*reason = "FlowSpec NLRI length overruns the field";
			return NLRI_FIELD_RESET;
		}
		if (v == NLRI_FIELD_OK && flow_nlri_check(fd->afi, fd->safi, p, (size_t)sz, NULL, 0) < 0) {
			*reason = "malformed FlowSpec NLRI";
			v = NLRI_FIELD_WITHDRAW; /* RFC 8955 7; later NLRI may still overrun */
		}
		p += sz;
		len -= (size_t)sz;
	}
	return v;
}

enum nlri_field_verdict nlri_field_validate(int family, const uint8_t *field, size_t len, bool addpath, bool withdraw,
					    const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*reason = NULL;
	if (family < 0 || family >= FAM_COUNT)
		return NLRI_FIELD_OK;
	uint8_t safi = family_table[family].safi;
	if (safi == SAFI_FLOW || safi == SAFI_FLOW_VPN)
		return flow_field_validate(family, field, len, reason);
	struct nlri_iter it;
	if (nlri_iter_init(&it, family, field, len, addpath, withdraw) < 0)
		return NLRI_FIELD_OK; /* no decoder here: passed on undecoded */
	struct nlri_item item;
	int rc;
	while ((rc = nlri_iter_next(&it, &item)) > 0)
		;
	if (rc < 0) {
		*reason = "malformed NLRI (length overruns the field or prefix longer than the address)";
		return NLRI_FIELD_RESET;
	}
	return NLRI_FIELD_OK;
}

size_t nlri_item_encode(const struct nlri_item *it, uint8_t *out)
{
	const struct family_def *fd = &family_table[it->family];
	const struct labeled_prefix *x = &it->pfx;
	switch (fd->safi) {
	case SAFI_UNICAST:
	case SAFI_MULTICAST:
		return labeled_nlri_encode(out, NULL, 0, NULL, x->addr, x->plen);
	case SAFI_MPLS_LABEL:
		return labeled_nlri_encode(out, x->labels, x->nlabels, NULL, x->addr, x->plen);
	case SAFI_MPLS_VPN:
		return labeled_nlri_encode(out, x->labels, x->nlabels, x->rd, x->addr, x->plen);
	case SAFI_VPLS:
		return vpls_nlri_encode(out, &it->vpls);
	default:
		return 0;
	}
}

#define APPEND(...)                                                                                               \
	do {                                                                                                      \
		int w_ = snprintf(out + (o < outlen ? o : outlen), o < outlen ? outlen - o : 0, __VA_ARGS__);   \
		if (w_ > 0)                                                                                       \
			o += (size_t)w_;                                                                          \
	} while (0)

int nlri_item_format(char *out, size_t outlen, const struct nlri_item *it, const char *nexthop)
{
	const struct family_def *fd = &family_table[it->family];
	if (fd->safi == SAFI_VPLS)
		return vpls_format(out, outlen, &it->vpls, nexthop);
	size_t o = 0;
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(fd->afi == AFI_IPV4 ? AF_INET : AF_INET6, it->pfx.addr, ip, sizeof(ip));
	APPEND("%s/%u", ip, it->pfx.plen);
	if (it->has_path_id)
		APPEND(" path-information %u.%u.%u.%u", it->path_id >> 24, (it->path_id >> 16) & 0xFF,
		       (it->path_id >> 8) & 0xFF, it->path_id & 0xFF);
	if (it->pfx.nlabels) {
		char labels[16 * NLRI_MAX_LABELS + 16];
		label_stack_format(labels, sizeof(labels), it->pfx.labels, it->pfx.nlabels);
		APPEND("%s", labels);
	}
	if (nexthop)
		APPEND(" next-hop %s", nexthop);
	if (it->pfx.has_rd) {
		char rd[32];
		rd_format(rd, sizeof(rd), it->pfx.rd);
		APPEND(" rd %s", rd);
	}
	if (outlen)
		out[o < outlen ? o : outlen - 1] = '\0';
	return (int)o;
}
