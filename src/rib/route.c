/* Route list and prefix helpers (see route.h). */
#include "rib/route.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "nlri/family.h"

int route_list_push(struct route_list *l, struct route *r)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct route **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = r;
	return 0;
}

void route_list_free(struct route_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

size_t prefix_nlri_encode(uint8_t *out, const uint8_t *addr, uint8_t plen)
{
	size_t n = (plen + 7u) / 8u;
	out[0] = plen;
	memcpy(out + 1, addr, n);
	/* Bits past the prefix length are zero on the wire (RFC 4271 4.3). */
	if (plen % 8)
		out[n] &= (uint8_t)(0xFF << (8 - plen % 8));
	return n + 1;
}

int prefix_nlri_format(char *out, size_t outlen, int afi, const uint8_t *nlri, size_t nlri_len)
{
	uint8_t addr[16] = {0};
	int alen = afi_addr_len((uint16_t)afi);
	if (nlri_len < 1 || !alen)
		return -1;
	uint8_t plen = nlri[0];
	size_t n = (plen + 7u) / 8u;
	if (plen > alen * 8 || n + 1 > nlri_len)
		return -1;
	memcpy(addr, nlri + 1, n);
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(afi == AFI_IPV4 ? AF_INET : AF_INET6, addr, ip, sizeof(ip));
	return snprintf(out, outlen, "%s/%u", ip, plen);
}

uint32_t route_key_hash(uint8_t family, uint32_t path_id, const uint8_t *nlri, size_t len)
{
	uint32_t h = FNV1A_INIT ^ family;
	h = (h ^ path_id) * 16777619u;
	h = fnv1a(h, nlri, len);
	return h ^ (h >> 15);
}
