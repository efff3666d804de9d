/* Address families: one table entry per (AFI, SAFI) that fastbgp knows.
 *
 * A family is referred to inside fastbgp by its index in family_table
 * (enum family_id), so per-family state is a plain array or a bitmask.
 * The order of the table is the (AFI, SAFI) order, which is also the order
 * in which ExaBGP lists the multiprotocol capabilities in its OPEN. */
#ifndef FASTBGP_NLRI_FAMILY_H
#define FASTBGP_NLRI_FAMILY_H

#include <stdint.h>

enum afi {
	AFI_IPV4 = 1,
	AFI_IPV6 = 2,
	AFI_L2VPN = 25,
	AFI_BGPLS = 16388,
};

enum safi {
	SAFI_UNICAST = 1,
	SAFI_MULTICAST = 2,
	SAFI_MPLS_LABEL = 4,   /* RFC 8277, "nlri-mpls" */
	SAFI_VPLS = 65,        /* RFC 4761 */
	SAFI_EVPN = 70,        /* RFC 7432 */
	SAFI_BGPLS = 71,       /* RFC 7752 */
	SAFI_BGPLS_VPN = 72,
	SAFI_MPLS_VPN = 128,   /* RFC 4364 / 4659 */
	SAFI_RTC = 132,        /* RFC 4684 */
	SAFI_FLOW = 133,       /* RFC 8955 / 8956 */
	SAFI_FLOW_VPN = 134,
};

enum family_id {
	FAM_IPV4_UNICAST,
	FAM_IPV4_MULTICAST,
	FAM_IPV4_MPLS_LABEL,
	FAM_IPV4_MPLS_VPN,
	FAM_IPV4_RTC,
	FAM_IPV4_FLOW,
	FAM_IPV4_FLOW_VPN,
	FAM_IPV6_UNICAST,
	FAM_IPV6_MULTICAST,
	FAM_IPV6_MPLS_LABEL,
	FAM_IPV6_MPLS_VPN,
	FAM_IPV6_FLOW,
	FAM_IPV6_FLOW_VPN,
	FAM_L2VPN_VPLS,
	FAM_L2VPN_EVPN,
	FAM_BGPLS,
	FAM_BGPLS_VPN,
	FAM_COUNT
};

typedef uint32_t family_mask; /* bit (1u << family_id) */
#define FAM_BIT(f) ((family_mask)1u << (f))
#define FAM_ALL ((family_mask)((1u << FAM_COUNT) - 1))

struct family_def {
	uint16_t afi;
	uint8_t safi;
	const char *afi_name;  /* "ipv4" */
	const char *safi_name; /* "unicast", as ExaBGP names it in text/config */
	const char *json_name; /* "ipv4 unicast" is built; this is the "ipv4/unicast" form */
	uint8_t nh_rd_len;     /* MP_REACH next-hop starts with this many zero bytes (RD, RFC 4364 4.3.2) */
	uint8_t nh_attr;       /* also write NEXT_HOP (3) when the next-hop is IPv4, as ExaBGP does */
};

extern const struct family_def family_table[FAM_COUNT];

/* Returns the family index, or -1 when the pair is unknown. */
int family_find(uint16_t afi, uint8_t safi);
/* "ipv4" + "unicast" (ExaBGP's config words, also "nlri-mpls", "mpls-vpn",
 * "flow", "flow-vpn", "vpls", ...).  Returns -1 when unknown. */
int family_by_name(const char *afi, const char *safi);
int afi_by_name(const char *afi);

/* Length in bytes of an address of this AFI (4 or 16), 0 for others. */
static inline int afi_addr_len(uint16_t afi) { return afi == AFI_IPV4 ? 4 : afi == AFI_IPV6 ? 16 : 0; }

#endif
