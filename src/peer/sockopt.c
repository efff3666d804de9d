/* Socket options for BGP sessions (see sockopt.h). */
#include "peer/sockopt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "nlri/family.h"

int sockaddr_from_ip(const struct ip_addr *a, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->afi == AFI_IPV4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		memcpy(&s4->sin_addr, a->addr, 4);
		return 0;
	}
	if (a->afi == AFI_IPV6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		return 0;
	}
	return -1;
}

void ip_from_sockaddr(const struct sockaddr *sa, struct ip_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		a->afi = AFI_IPV4;
		memcpy(a->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *x = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(x)) {
			a->afi = AFI_IPV4;
			memcpy(a->addr, x->s6_addr + 12, 4);
		} else {
			a->afi = AFI_IPV6;
			memcpy(a->addr, x->s6_addr, 16);
		}
	}
}

bool ip_in_prefix(const struct ip_addr *a, const struct ip_addr *net, unsigned plen)
{
	if (a->afi != net->afi)
		return false;
	unsigned full = plen / 8, rest = plen % 8;
	if (memcmp(a->addr, net->addr, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xFF << (8 - rest));
		if ((a->addr[full] & mask) != (net->addr[full] & mask))
			return false;
	}
	return true;
}

void sockaddr_format(const struct sockaddr *sa, char *out, size_t len)
{
	struct ip_addr a;
	ip_from_sockaddr(sa, &a);
	if (!a.afi || !inet_ntop(a.afi == AFI_IPV4 ? AF_INET : AF_INET6, a.addr, out, (socklen_t)len))
		snprintf(out, len, "?");
}

int sockopt_md5(int fd, const struct ip_addr *peer, const char *key, int md5_base64, char *err, size_t errlen)
{
#ifdef TCP_MD5SIG
	struct tcp_md5sig sig;
	memset(&sig, 0, sizeof(sig));
	struct sockaddr_storage ss;
	if (sockaddr_from_ip(peer, 0, &ss) < 0) {
		snprintf(err, errlen, "TCP MD5: no peer address");
		return -EINVAL;
	}
	memcpy(&sig.tcpm_addr, &ss, sizeof(ss));
	if (key) {
		int n;
		if (md5_base64 == TRI_TRUE) {
			n = (int)base64_decode(key, sig.tcpm_key, TCP_MD5SIG_MAXKEYLEN);
			if (n < 0) {
				snprintf(err, errlen, "TCP MD5: md5-password is not valid base64 (md5-base64 true)");
				return -EINVAL;
			}
		} else {
			n = (int)strlen(key);
			if (n > TCP_MD5SIG_MAXKEYLEN) {
				snprintf(err, errlen, "TCP MD5: password longer than %d bytes", TCP_MD5SIG_MAXKEYLEN);
				return -EINVAL;
			}
			memcpy(sig.tcpm_key, key, (size_t)n);
		}
		sig.tcpm_keylen = (uint16_t)n;
	}
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) < 0) {
		int e = errno;
		snprintf(err, errlen, "TCP MD5 (RFC 2385) setsockopt failed: %s%s", strerror(e),
			 e == ENOPROTOOPT || e == ENOENT ? " (kernel built without CONFIG_TCP_MD5SIG?)" : "");
		return -e;
	}
	return 0;
#else
	(void)fd;
	(void)peer;
	(void)key;
	(void)md5_base64;
	snprintf(err, errlen, "TCP MD5 (RFC 2385) is not supported on this system: md5-password cannot be used");
	return -ENOTSUP;
#endif
}

int sockopt_ttl(int fd, int family, int ttl, char *err, size_t errlen)
{
	int rc = family == AF_INET6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl))
				    : setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (rc < 0) {
		snprintf(err, errlen, "outgoing-ttl %d: %s", ttl, strerror(errno));
		return -errno;
	}
	return 0;
}

int sockopt_minttl(int fd, int family, int minttl, char *err, size_t errlen)
{
#if defined(IP_MINTTL)
	int rc;
	if (family == AF_INET6) {
#ifdef IPV6_MINHOPCOUNT
		rc = setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &minttl, sizeof(minttl));
#else
		snprintf(err, errlen, "incoming-ttl: IPV6_MINHOPCOUNT is not supported on this system");
		return -ENOTSUP;
#endif
	} else {
		rc = setsockopt(fd, IPPROTO_IP, IP_MINTTL, &minttl, sizeof(minttl));
	}
	if (rc < 0) {
		snprintf(err, errlen, "incoming-ttl %d: %s", minttl, strerror(errno));
		return -errno;
	}
	return 0;
#else
	(void)fd;
	(void)family;
	(void)minttl;
	snprintf(err, errlen, "incoming-ttl (GTSM, RFC 5082): IP_MINTTL is not supported on this system");
	return -ENOTSUP;
#endif
}
