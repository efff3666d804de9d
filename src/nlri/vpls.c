/* VPLS NLRI (see vpls.h). */
#include "nlri/vpls.h"

#include <stdio.h>
#include <string.h>

#include "nlri/vpn.h"

size_t vpls_nlri_encode(uint8_t *out, const struct vpls_nlri *v)
{
	uint32_t base = (v->base & 0xFFFFFu) << 4 | 1u; /* bottom of stack, as ExaBGP */
	out[0] = 0;
	out[1] = 17;
	memcpy(out + 2, v->rd, 8);
	out[10] = (uint8_t)(v->endpoint >> 8);
	out[11] = (uint8_t)v->endpoint;
	out[12] = (uint8_t)(v->offset >> 8);
	out[13] = (uint8_t)v->offset;
	out[14] = (uint8_t)(v->size >> 8);
	out[15] = (uint8_t)v->size;
	out[16] = (uint8_t)(base >> 16);
	out[17] = (uint8_t)(base >> 8);
	out[18] = (uint8_t)base;
	return VPLS_NLRI_LEN;
}

long vpls_nlri_decode(const uint8_t *p, size_t len, struct vpls_nlri *v)
{
	if (len < VPLS_NLRI_LEN || p[0] != 0 || p[1] != 17)
		return -1;
	memcpy(v->rd, p + 2, 8);
	v->endpoint = (uint16_t)(p[10] << 8 | p[11]);
	v->offset = (uint16_t)(p[12] << 8 | p[13]);
	v->size = (uint16_t)(p[14] << 8 | p[15]);
	v->base = ((uint32_t)p[16] << 16 | (uint32_t)p[17] << 8 | p[18]) >> 4;
	return VPLS_NLRI_LEN;
}

int vpls_format(char *out, size_t outlen, const struct vpls_nlri *v, const char *nexthop)
{
	char rd[32];
	rd_format(rd, sizeof(rd), v->rd);
	return snprintf(out, outlen, "vpls rd %s endpoint %u base %u offset %u size %u%s%s", rd, v->endpoint, v->base,
			v->offset, v->size, nexthop ? " next-hop " : "", nexthop ? nexthop : "");
}
