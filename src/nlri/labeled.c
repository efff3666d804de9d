/* Labeled prefixes (see labeled.h). */
#include "nlri/labeled.h"

#include <stdio.h>
#include <string.h>

size_t label_stack_encode(uint8_t *out, const uint32_t *labels, int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t v = (labels[i] & LABEL_MAX) << 4;
		if (i == n - 1)
			v |= 1; /* bottom of stack */
		out[3 * i] = (uint8_t)(v >> 16);
		out[3 * i + 1] = (uint8_t)(v >> 8);
		out[3 * i + 2] = (uint8_t)v;
	}
	return 3 * (size_t)(n > 0 ? n : 0);
}

size_t labeled_nlri_encode(uint8_t *out, const uint32_t *labels, int n, const uint8_t *rd, const uint8_t *addr,
			   uint8_t plen)
{
	unsigned bits = 24u * (unsigned)n + (rd ? 64u : 0u) + plen;
	if (n < 0 || n > NLRI_MAX_LABELS || bits > 255)
		return 0;
	size_t o = 1;
	out[0] = (uint8_t)bits;
	o += label_stack_encode(out + o, labels, n);
	if (rd) {
		memcpy(out + o, rd, 8);
		o += 8;
	}
	size_t pb = (plen + 7u) / 8u;
	memcpy(out + o, addr, pb);
	if (plen % 8)
		out[o + pb - 1] &= (uint8_t)(0xFF << (8 - plen % 8));
	return o + pb;
}

long labeled_nlri_decode(const uint8_t *p, size_t len, int alen, bool has_rd, bool withdraw,
			 struct labeled_prefix *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return -1;
	int bits = p[0];
	size_t o = 1;
	int rd_bits = has_rd ? 64 : 0;
	while (bits - rd_bits >= 24) {
		if (o + 3 > len || out->nlabels == NLRI_MAX_LABELS)
			return -1;
		uint32_t raw = (uint32_t)p[o] << 16 | (uint32_t)p[o + 1] << 8 | p[o + 2];
		o += 3;
		bits -= 24;
		out->labels[out->nlabels++] = raw >> 4;
		if (raw == LABEL_WITHDRAW_RAW && withdraw)
			break;
		if (raw == 0 || (raw & 1))
			break;
	}
	if (has_rd) {
		if (bits < 64 || o + 8 > len)
			return -1;
		memcpy(out->rd, p + o, 8);
		out->has_rd = true;
		o += 8;
		bits -= 64;
	}
	if (bits < 0 || bits > alen * 8)
		return -1;
	size_t pb = ((unsigned)bits + 7u) / 8u;
	if (o + pb > len)
		return -1;
	out->plen = (uint8_t)bits;
	memcpy(out->addr, p + o, pb);
	if (bits % 8)
		out->addr[pb - 1] &= (uint8_t)(0xFF << (8 - bits % 8));
	return (long)(o + pb);
}

int label_stack_format(char *out, size_t outlen, const uint32_t *labels, int n)
{
	if (n <= 0) {
		if (outlen)
			out[0] = '\0';
		return 0;
	}
	if (n == 1)
		return snprintf(out, outlen, " label %u", labels[0]);
	size_t o = 0;
	int w = snprintf(out, outlen, " label [");
	o += (size_t)w;
	for (int i = 0; i < n; i++) {
		w = snprintf(out + (o < outlen ? o : outlen), o < outlen ? outlen - o : 0, " %u", labels[i]);
		o += (size_t)w;
	}
	w = snprintf(out + (o < outlen ? o : outlen), o < outlen ? outlen - o : 0, " ]");
	return (int)(o + (size_t)w);
}
