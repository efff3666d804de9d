/* TCP-AO keys (see tcp_ao.h). */
#include "peer/tcp_ao.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/util.h"
#include "nlri/family.h"
#include "peer/sockopt.h"

/* Older C library headers lack TCP-AO; its ABI is the kernel's
 * (include/uapi/linux/tcp.h, Linux 6.7). */
#ifndef TCP_AO_ADD_KEY
#define TCP_AO_ADD_KEY 38
#endif
#define TCP_AO_ALG_NAME_LEN 64

struct fastbgp_tcp_ao_add {
	struct sockaddr_storage addr; /* the peer's address */
	char alg_name[TCP_AO_ALG_NAME_LEN]; /* the kernel crypto API's name */
	int32_t ifindex;              /* 0: no VRF */
	uint32_t flags;               /* bit 0 set_current, bit 1 set_rnext */
	uint16_t reserved2;
	uint8_t prefix;               /* the peer's prefix length: this address only */
	uint8_t sndid, rcvid;         /* RFC 5925 KeyID and RNextKeyID */
	uint8_t maclen;               /* 0: the algorithm's (RFC 5926: 12 bytes) */
	uint8_t keyflags;
	uint8_t keylen;
	uint8_t key[TCP_AO_KEY_MAX];
} __attribute__((aligned(8)));

/* RFC 5926's algorithms by the kernel's names */
static const char *kernel_algorithm(int a)
{
	switch (a) {
	case TCP_AO_HMAC_SHA_1_96: return "hmac(sha1)";
	case TCP_AO_AES_128_CMAC_96: return "cmac(aes)";
	case TCP_AO_HMAC_SHA_256: return "hmac(sha256)";
	default: return NULL;
	}
}

/* Linux release below 6.7? (unknown: no) */
static int kernel_before_6_7(const char *release)
{
	int major = 0, minor = 0;
	if (sscanf(release, "%d.%d", &major, &minor) != 2)
		return 0;
	return major < 6 || (major == 6 && minor < 7);
}

int tcp_ao_set_key(int fd, const struct neighbor_conf *c, char *err, size_t errlen)
{
	const struct tcp_ao_conf *ao = &c->tcp_ao;
	struct fastbgp_tcp_ao_add k;
	memset(&k, 0, sizeof(k));
	const char *alg = kernel_algorithm(ao->algorithm);
	if (!alg || !ao->password || sockaddr_from_ip(&c->peer_address, 0, &k.addr) < 0) {
		snprintf(err, errlen, "%s:%d: tcp-ao is incomplete", c->file, ao->line);
		return -EINVAL;
	}
	snprintf(k.alg_name, sizeof(k.alg_name), "%s", alg);
	k.prefix = c->peer_address.afi == AFI_IPV4 ? 32 : 128;
	k.sndid = k.rcvid = (uint8_t)ao->keyid;
	k.flags = 0x3; /* the key is current and asked of the peer at once */
	long n = ao->base64 ? base64_decode(ao->password, k.key, sizeof(k.key)) : (long)strlen(ao->password);
	if (n <= 0 || n > TCP_AO_KEY_MAX) {
		snprintf(err, errlen, "%s:%d: tcp-ao password must be 1 to %d bytes", c->file, ao->line, TCP_AO_KEY_MAX);
		return -EINVAL;
	}
	if (!ao->base64)
		memcpy(k.key, ao->password, (size_t)n);
	k.keylen = (uint8_t)n;
	int rc = setsockopt(fd, IPPROTO_TCP, TCP_AO_ADD_KEY, &k, sizeof(k));
	int e = errno;
	memset(k.key, 0, sizeof(k.key));
	if (rc == 0)
		return 0;
	if (e == ENOPROTOOPT) {
		struct utsname u;
		const char *release = uname(&u) == 0 ? u.release : "unknown";
		snprintf(err, errlen, "%s:%d: tcp-ao needs Linux 6.7 or later (TCP_AO_ADD_KEY); this kernel is %s%s", c->file,
			 ao->line, release,
			 kernel_before_6_7(release) ? "" : ", built without it (CONFIG_TCP_AO)");
	} else if (e == ENOENT) {
		snprintf(err, errlen, "%s:%d: tcp-ao algorithm %s is not available in this kernel's crypto API", c->file,
			 ao->line, alg);
	} else {
		snprintf(err, errlen, "%s:%d: tcp-ao: setting the key (TCP_AO_ADD_KEY) failed: %s", c->file, ao->line,
			 strerror(e));
	}
	return -e;
}

int tcp_ao_probe(const struct neighbor_conf *c, char *err, size_t errlen)
{
	int fd = socket(c->peer_address.afi == AFI_IPV6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		snprintf(err, errlen, "%s:%d: tcp-ao: cannot open a socket to check the key: %s", c->file, c->tcp_ao.line,
			 strerror(errno));
		return -1;
	}
	int rc = tcp_ao_set_key(fd, c, err, errlen);
	close(fd);
	return rc < 0 ? -1 : 0;
}

int tcp_ao_check_config(const struct config *cfg, char *err, size_t errlen)
{
	for (int i = 0; i < cfg->nneighbors; i++)
		if (cfg->neighbors[i]->tcp_ao.algorithm != TCP_AO_NONE && tcp_ao_probe(cfg->neighbors[i], err, errlen) < 0)
			return -1;
	return 0;
}
