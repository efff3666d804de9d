/* Addresses and networks for the healthcheck, parsed and printed as
 * Python's ipaddress module does, since ExaBGP's healthcheck prints
 * str(ip_network(...)) in its commands and the lines must be identical. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "healthcheck/hc_int.h"

static int addr_bytes(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

int hc_parse_address(const char *s, struct hc_net *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = AF_INET;
		out->plen = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = AF_INET6;
		out->plen = 128;
		return 0;
	}
	return -1;
}

int hc_parse_network(const char *s, struct hc_net *out, char *err, size_t errlen)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf)) {
		snprintf(err, errlen, "'%s' does not appear to be an IPv4 or IPv6 network", s);
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (hc_parse_address(buf, out) < 0) {
		snprintf(err, errlen, "'%s' does not appear to be an IPv4 or IPv6 network", s);
		return -1;
	}
	if (slash) {
		char *end;
		const char *len = slash + 1;
		long plen = strtol(len, &end, 10);
		if (!*len || *end || len[0] < '0' || len[0] > '9' || end - len > 3 || plen > out->plen) {
			snprintf(err, errlen, "'%s' does not appear to be an IPv4 or IPv6 network", s);
			return -1;
		}
		out->plen = (uint8_t)plen;
	}
	/* strict=True: host bits must be zero */
	for (int bit = out->plen; bit < addr_bytes(out->family) * 8; bit++) {
		if (out->addr[bit / 8] & (0x80 >> (bit % 8))) {
			snprintf(err, errlen, "%s has host bits set", s);
			return -1;
		}
	}
	return 0;
}

/* RFC 5952 text, as Python's ipaddress: the longest run (first on a tie) of
 * two or more zero groups becomes "::"; mapped IPv4 is printed in hex. */
static void format_v6(const uint8_t *a, char *buf, size_t len)
{
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	int best = -1, best_len = 0;
	for (int i = 0; i < 8;) {
		if (g[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && !g[j])
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j;
	}
	if (best_len < 2)
		best = -1;
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < 8 && off < len; i++) {
		if (i == best) {
			off += (size_t)snprintf(buf + off, len - off, i == 0 ? "::" : ":");
			i += best_len - 1;
			continue;
		}
		off += (size_t)snprintf(buf + off, len - off, "%x%s", g[i], i < 7 ? ":" : "");
	}
}

void hc_format_addr(const struct hc_net *n, char *buf, size_t len)
{
	if (n->family == AF_INET6)
		format_v6(n->addr, buf, len);
	else
		snprintf(buf, len, "%u.%u.%u.%u", n->addr[0], n->addr[1], n->addr[2], n->addr[3]);
}

void hc_format_net(const struct hc_net *n, char *buf, size_t len)
{
	char a[64];
	hc_format_addr(n, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, n->plen);
}

bool hc_net_equal(const struct hc_net *a, const struct hc_net *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr, b->addr, (size_t)addr_bytes(a->family));
}

/* ipaddress's is_loopback: inside 127.0.0.0/8, or ::1/128 itself. */
bool hc_net_is_loopback(const struct hc_net *n)
{
	if (n->family == AF_INET)
		return n->addr[0] == 127 && n->plen >= 8;
	static const uint8_t one[16] = {[15] = 1};
	return n->plen == 128 && !memcmp(n->addr, one, 16);
}

int hc_netlist_add(struct hc_netlist *l, const struct hc_net *n)
{
	struct hc_net *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	l->v[l->n++] = *n;
	return 0;
}

void hc_netlist_free(struct hc_netlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int hc_expand_hosts(const struct hc_netlist *in, struct hc_netlist *out, char *err, size_t errlen)
{
	uint64_t total = 0;
	for (size_t i = 0; i < in->n; i++) {
		int host_bits = addr_bytes(in->v[i].family) * 8 - in->v[i].plen;
		if (host_bits > 16 || (total += (uint64_t)1 << host_bits) > HC_MAX_HOSTS) {
			snprintf(err, errlen, "the networks given with --ip hold more than %d addresses", HC_MAX_HOSTS);
			return -1;
		}
	}
	memset(out, 0, sizeof(*out));
	out->v = calloc(total ? total : 1, sizeof(*out->v));
	if (!out->v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < in->n; i++) {
		const struct hc_net *net = &in->v[i];
		int nb = addr_bytes(net->family);
		uint32_t count = (uint32_t)1 << (nb * 8 - net->plen);
		for (uint32_t k = 0; k < count; k++) {
			struct hc_net h = *net;
			h.plen = (uint8_t)(nb * 8);
			/* add k to the low 32 bits (host bits are at most 16 here) */
			uint32_t low = (uint32_t)h.addr[nb - 4] << 24 | (uint32_t)h.addr[nb - 3] << 16 |
				       (uint32_t)h.addr[nb - 2] << 8 | h.addr[nb - 1];
			low += k;
			h.addr[nb - 4] = (uint8_t)(low >> 24);
			h.addr[nb - 3] = (uint8_t)(low >> 16);
			h.addr[nb - 2] = (uint8_t)(low >> 8);
			h.addr[nb - 1] = (uint8_t)low;
			out->v[out->n++] = h;
		}
	}
	return 0;
}

static void reverse(struct hc_net *v, size_t from, size_t to)
{
	while (from + 1 < to) {
		struct hc_net t = v[from];
		v[from++] = v[--to];
		v[to] = t;
	}
}

/* deque.rotate(-n): the first n entries move to the end (three reversals,
 * no allocation). */
void hc_rotate(struct hc_netlist *l, long n)
{
	if (l->n < 2)
		return;
	long len = (long)l->n;
	size_t shift = (size_t)(((n % len) + len) % len); /* Python's modulo */
	if (!shift)
		return;
	reverse(l->v, 0, shift);
	reverse(l->v, shift, l->n);
	reverse(l->v, 0, l->n);
}
