/* VPN prefixes: route distinguishers (see vpn.h). */
#include "nlri/vpn.h"

#include <stdio.h>

int rd_format(char *out, size_t outlen, const uint8_t rd[RD_LEN])
{
	unsigned type = (unsigned)rd[0] << 8 | rd[1];
	switch (type) {
	case 0:
		return snprintf(out, outlen, "%u:%u", (unsigned)rd[2] << 8 | rd[3],
				(unsigned)rd[4] << 24 | (unsigned)rd[5] << 16 | (unsigned)rd[6] << 8 | rd[7]);
	case 1:
		return snprintf(out, outlen, "%u.%u.%u.%u:%u", rd[2], rd[3], rd[4], rd[5], (unsigned)rd[6] << 8 | rd[7]);
	case 2:
		return snprintf(out, outlen, "%u:%u",
				(unsigned)rd[2] << 24 | (unsigned)rd[3] << 16 | (unsigned)rd[4] << 8 | rd[5],
				(unsigned)rd[6] << 8 | rd[7]);
	default:
		return snprintf(out, outlen, "0x%02X%02X%02X%02X%02X%02X%02X%02X", rd[0], rd[1], rd[2], rd[3], rd[4],
				rd[5], rd[6], rd[7]);
	}
}
