/* Address families: one table entry per (AFI, SAFI) that fastbgp knows.
 *
 * A family is referred to inside fastbgp by its index in family_table
 * (enum family_id), so per-family state is a plain array or a bitmask.
 * The order of the table is the (AFI, SAFI) order, which is also the order
 * in which ExaBGP lists the multiprotocol capabilities in its OPEN. */
#ifndef FASTBGP_NLRI_FAMILY_H
#define FASTBGP_NLRI_FAMILY_H

#include <stdbool.h>
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
	SAFI_MCAST_VPN = 5,    /* RFC 6514, "mcast-vpn" (ExaBGP 5.0) */
	SAFI_VPLS = 65,        /* RFC 4761 */
	SAFI_EVPN = 70,        /* RFC 7432 */
	SAFI_BGPLS = 71,       /* RFC 7752 */
	SAFI_BGPLS_VPN = 72,
	SAFI_SR_POLICY = 73,   /* draft-ietf-idr-sr-policy-safi, "sr-policy" (ExaBGP 5.0) */
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
	FAM_IPV4_MVPN,
	FAM_IPV6_MVPN,
	FAM_IPV4_SR_POLICY,
	FAM_IPV6_SR_POLICY,
	FAM_COUNT
};

/* One bit per family, with room for the families still to come (MUP,
 * MVPN, SR policy, ...) before the type has to change. */
typedef uint64_t family_mask; /* bit (1 << family_id) */
#define FAM_BIT(f) ((family_mask)1 << (f))
#define FAM_ALL (FAM_BIT(FAM_COUNT) - 1)
_Static_assert(FAM_COUNT < 64, "family_mask needs a bit per family (and FAM_ALL one more)");
/* ExaBGP 4.2 has no such family: left out of a neighbor's families when
 * it has no family block or says "all", so its OPEN stays 4.2's. */
#define FAM_EXABGP5_ONLY \
	(FAM_BIT(FAM_IPV4_MVPN) | FAM_BIT(FAM_IPV6_MVPN) | FAM_BIT(FAM_IPV4_SR_POLICY) | FAM_BIT(FAM_IPV6_SR_POLICY))
#define FAM_DEFAULT (FAM_ALL & ~FAM_EXABGP5_ONLY)

/* How the NLRI of a family are laid out; picks its codec (nlri_codec.c). */
enum nlri_kind {
	NLRI_KIND_PREFIX,  /* [len][prefix] (RFC 4271 4.3, RFC 4760) */
	NLRI_KIND_LABELED, /* [len][labels][prefix] (RFC 8277) */
	NLRI_KIND_VPN,     /* [len][labels][rd][prefix] (RFC 4364 / 4659) */
	NLRI_KIND_VPLS,    /* [len 17][rd][ve id, offset, size, base] (RFC 4761) */
	NLRI_KIND_FLOW,    /* [len][(rd)][components] (RFC 8955 / 8956) */
	NLRI_KIND_RTC,     /* [len][origin AS][route target] (RFC 4684) */
	NLRI_KIND_EVPN,    /* [type][len][route type specific] (RFC 7432 7) */
	NLRI_KIND_MVPN,    /* [route type][len][route type specific] (RFC 6514 4) */
	NLRI_KIND_BGPLS,   /* [type][len][(rd)][TLVs] (RFC 9552 5.2) */
	NLRI_KIND_SRPOLICY, /* [len][distinguisher][color][endpoint] (SAFI 73) */
	NLRI_KIND_OPAQUE,  /* not decoded here: passed on as is */
};

/* Which "show adj-rib in|out" filter lists the family's routes. */
enum family_rib_view { FAM_VIEW_OTHER, FAM_VIEW_INET, FAM_VIEW_FLOW, FAM_VIEW_L2VPN };

/* Allowed MP_REACH next-hop lengths: bit n set for length n (0..63). */
#define NH_LEN_BIT(n) ((uint64_t)1 << (n))

/* Route words a family adds to "route" / "announce" (ExaBGP's grammar):
 * label (RFC 8277, also in VPN routes), rd (RFC 4364; it also picks the
 * VPN family of a route that names none). */
#define FAM_KW_LABEL 0x01
#define FAM_KW_RD 0x02

struct nlri_codec;

struct family_def {
	uint16_t afi;
	uint8_t safi;
	const char *afi_name;  /* "ipv4" */
	const char *safi_name; /* "unicast", as ExaBGP names it in text/config */
	const char *json_name; /* "ipv4 unicast" is built; this is the "ipv4/unicast" form */
	uint8_t nh_rd_len;     /* MP_REACH next-hop starts with this many zero bytes (RD, RFC 4364 4.3.2) */
	uint8_t nh_attr;       /* also write NEXT_HOP (3) when the next-hop is IPv4, as ExaBGP does */
	uint8_t kind;          /* enum nlri_kind */
	uint8_t rib_view;      /* enum family_rib_view */
	uint8_t base_nlri;     /* may use the UPDATE's own NLRI / withdrawn fields (IPv4 unicast only, RFC 4760) */
	uint8_t addpath;       /* ExaBGP 4.2 offers ADD-PATH for it (RFC 7911); order in the capability is addpath */
	/* RFC 7606 7.11: next-hop lengths that fit the family, 0 when its codec
	 * does not say (the attribute is then only checked for its framing).
	 * The address family of the next-hop is not checked: IPv4 NLRI may
	 * have IPv6 next-hops (RFC 8950) and ExaBGP sends IPv4 next-hops for
	 * IPv6 NLRI when extended next-hop allows it. */
	uint64_t nh_lens;
	uint8_t route_kw;      /* route words of the configuration and API it takes (FAM_KW_*) */
	const struct nlri_codec *codec; /* decode, encode, route key, text, JSON (nlri_decode.h) */
};

extern const struct family_def family_table[FAM_COUNT];

/* Returns the family index, or -1 when the pair is unknown. */
int family_find(uint16_t afi, uint8_t safi);
/* "ipv4" + "unicast" (ExaBGP's config words, also "nlri-mpls", "mpls-vpn",
 * "flow", "flow-vpn", "vpls", ...).  Returns -1 when unknown. */
int family_by_name(const char *afi, const char *safi);
int afi_by_name(const char *afi);

/* The first family of afi with this NLRI layout whose route words include
 * rd (rd true) or not: the family a route's words pick (a prefix with an
 * rd is mpls-vpn, with labels nlri-mpls, a flow rule with an rd
 * flow-vpn).  -1 when none. */
int family_pick(uint16_t afi, uint8_t kind, bool rd);
/* The route words (FAM_KW_*) of the families of this SAFI. */
uint8_t safi_route_words(uint8_t safi);

/* The name of a SAFI ("unicast", "flow", ...), NULL when no family has it;
 * and the reverse, -1 when unknown. */
const char *safi_name(uint8_t safi);
int safi_by_name(const char *name);

/* RFC 7606 7.11: whether an MP_REACH next-hop of len bytes fits the family
 * (any length for an unknown family, fam < 0). */
static inline int family_nh_len_ok(int fam, unsigned len)
{
	if (fam < 0 || !family_table[fam].nh_lens)
		return 1;
	return len < 64 && (family_table[fam].nh_lens & NH_LEN_BIT(len));
}

/* Length in bytes of an address of this AFI (4 or 16), 0 for others. */
static inline int afi_addr_len(uint16_t afi) { return afi == AFI_IPV4 ? 4 : afi == AFI_IPV6 ? 16 : 0; }

#endif
