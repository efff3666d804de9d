/* SR Policy NLRI (SAFI 73, draft-ietf-idr-sr-policy-safi / RFC 9830 2.1):
 *
 *   +---------------------------------+
 *   | Length (1 octet, in bits)       |  96 (IPv4) or 192 (IPv6), nothing else
 *   +---------------------------------+
 *   | Distinguisher (4 octets)        |
 *   +---------------------------------+
 *   | Policy Color (4 octets)         |
 *   +---------------------------------+
 *   | Endpoint (4 or 16 octets)       |  the AFI's address
 *   +---------------------------------+
 *
 * ExaBGP 4.2 has no SR policy; as ExaBGP 5.0 prints a route:
 *   text: sr-policy distinguisher 1 color 100 endpoint 10.0.0.1
 *   JSON: {"distinguisher": 1, "color": 100, "endpoint": "10.0.0.1"}
 * A length other than the AFI's cannot be a route: the field is not
 * walked further (ExaBGP 5.0 answers NOTIFICATION 3). */
#include <arpa/inet.h>

#include "nlri/nlri_codec.h"

#include "attr/attr_table.h" /* sb_* writers */
#include "nlri/family.h"
#include "wire/buf.h"

static size_t srpolicy_alen(const struct family_def *fd)
{
	return fd->afi == AFI_IPV6 ? 16 : 4;
}

static long srpolicy_decode(const struct family_def *fd, const uint8_t *p, size_t len, bool withdraw,
			    struct nlri_item *out)
{
	(void)withdraw;
	(void)out;
	size_t body = 8 + srpolicy_alen(fd);
	if (len < 1 || p[0] != body * 8 || len < 1 + body)
		return -1;
	return (long)(1 + body);
}

static size_t srpolicy_encode(const struct nlri_item *it, uint8_t *out)
{
	memcpy(out, it->nlri, it->nlri_len); /* kept and re-sent as received */
	return it->nlri_len;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void srpolicy_endpoint(struct wbuf *w, const struct nlri_item *it)
{
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(it->nlri_len == 1 + 8 + 16 ? AF_INET6 : AF_INET, it->nlri + 9, ip, sizeof(ip));
	sb_puts(w, ip);
}

static void srpolicy_text(struct wbuf *w, const struct nlri_item *it, const char *nexthop)
{
	(void)nexthop; /* ExaBGP's text of the route has none */
	sb_puts(w, "sr-policy distinguisher ");
	sb_u32(w, be32(it->nlri + 1));
	sb_puts(w, " color ");
	sb_u32(w, be32(it->nlri + 5));
	sb_puts(w, " endpoint ");
	srpolicy_endpoint(w, it);
}

static void srpolicy_json(struct wbuf *w, const struct nlri_item *it, const char *nexthop, bool compact)
{
	(void)nexthop;
	(void)compact;
	sb_puts(w, "{\"distinguisher\": ");
	sb_u32(w, be32(it->nlri + 1));
	sb_puts(w, ", \"color\": ");
	sb_u32(w, be32(it->nlri + 5));
	sb_puts(w, ", \"endpoint\": \"");
	srpolicy_endpoint(w, it);
	sb_puts(w, "\"}");
}

/* ExaBGP 5.0 reads a path identifier before each (RFC 7911). */
const struct nlri_codec nlri_codec_srpolicy = {srpolicy_decode, srpolicy_encode, NULL, srpolicy_text, srpolicy_json,
					       true};
