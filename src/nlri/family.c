/* The address family table (see family.h): one entry per (AFI, SAFI). */
#include "nlri/family.h"

#include <string.h>

#include "nlri/nlri_codec.h"

/* MP_REACH next-hop lengths (RFC 7606 7.11): plain 4/16/32 (global +
 * link-local), each address after a zero route distinguisher for VPNs
 * (RFC 4364 / 4659 / 8950: 12, 24, 48; 40 is one RD before global +
 * link-local, as ExaBGP reads it), none for FlowSpec (RFC 8955 6). */
#define NH_PLAIN (NH_LEN_BIT(4) | NH_LEN_BIT(16) | NH_LEN_BIT(32))
#define NH_VPN (NH_LEN_BIT(12) | NH_LEN_BIT(24) | NH_LEN_BIT(40) | NH_LEN_BIT(48))
#define NH_FLOW (NH_LEN_BIT(0) | NH_PLAIN)

#define INET FAM_VIEW_INET
#define FLOWV FAM_VIEW_FLOW
#define L2 FAM_VIEW_L2VPN
#define OTHER FAM_VIEW_OTHER

const struct family_def family_table[FAM_COUNT] = {
	/* afi safi names json-name rd nh-attr kind view base addpath nh-lengths route-words codec */
	[FAM_IPV4_UNICAST] = {AFI_IPV4, SAFI_UNICAST, "ipv4", "unicast", "ipv4/unicast", 0, 1, NLRI_KIND_PREFIX, INET, 1,
			      1, NH_PLAIN, 0, &nlri_codec_prefix},
	[FAM_IPV4_MULTICAST] = {AFI_IPV4, SAFI_MULTICAST, "ipv4", "multicast", "ipv4/multicast", 0, 1, NLRI_KIND_PREFIX,
				INET, 0, 0, NH_PLAIN, 0, &nlri_codec_prefix},
	[FAM_IPV4_MPLS_LABEL] = {AFI_IPV4, SAFI_MPLS_LABEL, "ipv4", "nlri-mpls", "ipv4/nlri-mpls", 0, 1,
				 NLRI_KIND_LABELED, INET, 0, 3, NH_PLAIN, FAM_KW_LABEL, &nlri_codec_labeled},
	[FAM_IPV4_MPLS_VPN] = {AFI_IPV4, SAFI_MPLS_VPN, "ipv4", "mpls-vpn", "ipv4/mpls-vpn", 8, 1, NLRI_KIND_VPN, INET, 0,
			       5, NH_VPN, FAM_KW_LABEL | FAM_KW_RD, &nlri_codec_vpn},
	/* RFC 4684: next-hop is the speaker's address, 4 or 16 bytes (as ExaBGP) */
	[FAM_IPV4_RTC] = {AFI_IPV4, SAFI_RTC, "ipv4", "rtc", "ipv4/rtc", 0, 1, NLRI_KIND_RTC, OTHER, 0, 0,
			  NH_LEN_BIT(4) | NH_LEN_BIT(16), 0, &nlri_codec_rtc},
	[FAM_IPV4_FLOW] = {AFI_IPV4, SAFI_FLOW, "ipv4", "flow", "ipv4/flow", 0, 0, NLRI_KIND_FLOW, FLOWV, 0, 0, NH_FLOW, 0,
			   &nlri_codec_flow},
	[FAM_IPV4_FLOW_VPN] = {AFI_IPV4, SAFI_FLOW_VPN, "ipv4", "flow-vpn", "ipv4/flow-vpn", 0, 0, NLRI_KIND_FLOW, FLOWV,
			       0, 0, NH_FLOW, FAM_KW_RD, &nlri_codec_flow},
	[FAM_IPV6_UNICAST] = {AFI_IPV6, SAFI_UNICAST, "ipv6", "unicast", "ipv6/unicast", 0, 1, NLRI_KIND_PREFIX, INET, 0,
			      2, NH_PLAIN, 0, &nlri_codec_prefix},
	[FAM_IPV6_MULTICAST] = {AFI_IPV6, SAFI_MULTICAST, "ipv6", "multicast", "ipv6/multicast", 0, 1, NLRI_KIND_PREFIX,
				INET, 0, 0, NH_PLAIN, 0, &nlri_codec_prefix},
	[FAM_IPV6_MPLS_LABEL] = {AFI_IPV6, SAFI_MPLS_LABEL, "ipv6", "nlri-mpls", "ipv6/nlri-mpls", 0, 1,
				 NLRI_KIND_LABELED, INET, 0, 4, NH_PLAIN, FAM_KW_LABEL, &nlri_codec_labeled},
	[FAM_IPV6_MPLS_VPN] = {AFI_IPV6, SAFI_MPLS_VPN, "ipv6", "mpls-vpn", "ipv6/mpls-vpn", 8, 1, NLRI_KIND_VPN, INET, 0,
			       6, NH_VPN, FAM_KW_LABEL | FAM_KW_RD, &nlri_codec_vpn},
	[FAM_IPV6_FLOW] = {AFI_IPV6, SAFI_FLOW, "ipv6", "flow", "ipv6/flow", 0, 0, NLRI_KIND_FLOW, FLOWV, 0, 0, NH_FLOW, 0,
			   &nlri_codec_flow},
	[FAM_IPV6_FLOW_VPN] = {AFI_IPV6, SAFI_FLOW_VPN, "ipv6", "flow-vpn", "ipv6/flow-vpn", 0, 0, NLRI_KIND_FLOW, FLOWV,
			       0, 0, NH_FLOW, FAM_KW_RD, &nlri_codec_flow},
	[FAM_L2VPN_VPLS] = {AFI_L2VPN, SAFI_VPLS, "l2vpn", "vpls", "l2vpn/vpls", 0, 0, NLRI_KIND_VPLS, L2, 0, 0, 0, 0,
			    &nlri_codec_vpls},
	[FAM_L2VPN_EVPN] = {AFI_L2VPN, SAFI_EVPN, "l2vpn", "evpn", "l2vpn/evpn", 0, 0, NLRI_KIND_EVPN, L2, 0, 0, 0, 0,
			    &nlri_codec_evpn},
	/* RFC 9552 5.5: the next-hop is 4 or 16 bytes (32 with a link-local) */
	[FAM_BGPLS] = {AFI_BGPLS, SAFI_BGPLS, "bgp-ls", "bgp-ls", "bgp-ls/bgp-ls", 0, 0, NLRI_KIND_BGPLS, OTHER, 0, 0,
		       NH_PLAIN, 0, &nlri_codec_bgpls},
	[FAM_BGPLS_VPN] = {AFI_BGPLS, SAFI_BGPLS_VPN, "bgp-ls", "bgp-ls-vpn", "bgp-ls/bgp-ls-vpn", 0, 0, NLRI_KIND_BGPLS,
			   OTHER, 0, 0, NH_PLAIN, 0, &nlri_codec_bgpls},
	/* RFC 6514 MCAST-VPN (ExaBGP 5.0): the next-hop is the speaker's address */
	[FAM_IPV4_MVPN] = {AFI_IPV4, SAFI_MCAST_VPN, "ipv4", "mcast-vpn", "ipv4/mcast-vpn", 0, 0, NLRI_KIND_MVPN, OTHER,
			   0, 0, NH_PLAIN, 0, &nlri_codec_mvpn},
	[FAM_IPV6_MVPN] = {AFI_IPV6, SAFI_MCAST_VPN, "ipv6", "mcast-vpn", "ipv6/mcast-vpn", 0, 0, NLRI_KIND_MVPN, OTHER,
			   0, 0, NH_PLAIN, 0, &nlri_codec_mvpn},
	/* SR policy (SAFI 73, ExaBGP 5.0): the next-hop is the speaker's address */
	[FAM_IPV4_SR_POLICY] = {AFI_IPV4, SAFI_SR_POLICY, "ipv4", "sr-policy", "ipv4/sr-policy", 0, 0,
				NLRI_KIND_SRPOLICY, OTHER, 0, 0, NH_PLAIN, 0, &nlri_codec_srpolicy},
	[FAM_IPV6_SR_POLICY] = {AFI_IPV6, SAFI_SR_POLICY, "ipv6", "sr-policy", "ipv6/sr-policy", 0, 0,
				NLRI_KIND_SRPOLICY, OTHER, 0, 0, NH_PLAIN, 0, &nlri_codec_srpolicy},
};

int family_find(uint16_t afi, uint8_t safi)
{
	for (int i = 0; i < FAM_COUNT; i++)
		if (family_table[i].afi == afi && family_table[i].safi == safi)
			return i;
	return -1;
}

int family_by_name(const char *afi, const char *safi)
{
	for (int i = 0; i < FAM_COUNT; i++)
		if (!strcmp(family_table[i].afi_name, afi) && !strcmp(family_table[i].safi_name, safi))
			return i;
	return -1;
}

int family_pick(uint16_t afi, uint8_t kind, bool rd)
{
	for (int i = 0; i < FAM_COUNT; i++) {
		const struct family_def *fd = &family_table[i];
		if (fd->afi == afi && fd->kind == kind && ((fd->route_kw & FAM_KW_RD) != 0) == rd)
			return i;
	}
	return -1;
}

uint8_t safi_route_words(uint8_t safi)
{
	for (int i = 0; i < FAM_COUNT; i++)
		if (family_table[i].safi == safi)
			return family_table[i].route_kw;
	return 0;
}

const char *safi_name(uint8_t safi)
{
	for (int i = 0; i < FAM_COUNT; i++)
		if (family_table[i].safi == safi)
			return family_table[i].safi_name;
	return NULL;
}

int safi_by_name(const char *name)
{
	for (int i = 0; i < FAM_COUNT; i++)
		if (!strcmp(family_table[i].safi_name, name))
			return family_table[i].safi;
	return -1;
}

int afi_by_name(const char *afi)
{
	if (!strcmp(afi, "ipv4"))
		return AFI_IPV4;
	if (!strcmp(afi, "ipv6"))
		return AFI_IPV6;
	if (!strcmp(afi, "l2vpn"))
		return AFI_L2VPN;
	if (!strcmp(afi, "bgp-ls"))
		return AFI_BGPLS;
	return -1;
}
