/* The address family table (see family.h). */
#include "nlri/family.h"

#include <string.h>

const struct family_def family_table[FAM_COUNT] = {
	[FAM_IPV4_UNICAST]    = {AFI_IPV4, SAFI_UNICAST, "ipv4", "unicast", "ipv4/unicast", 0, 1},
	[FAM_IPV4_MULTICAST]  = {AFI_IPV4, SAFI_MULTICAST, "ipv4", "multicast", "ipv4/multicast", 0, 1},
	[FAM_IPV4_MPLS_LABEL] = {AFI_IPV4, SAFI_MPLS_LABEL, "ipv4", "nlri-mpls", "ipv4/nlri-mpls", 0, 1},
	[FAM_IPV4_MPLS_VPN]   = {AFI_IPV4, SAFI_MPLS_VPN, "ipv4", "mpls-vpn", "ipv4/mpls-vpn", 8, 1},
	[FAM_IPV4_RTC]        = {AFI_IPV4, SAFI_RTC, "ipv4", "rtc", "ipv4/rtc", 0, 1},
	[FAM_IPV4_FLOW]       = {AFI_IPV4, SAFI_FLOW, "ipv4", "flow", "ipv4/flow", 0, 0},
	[FAM_IPV4_FLOW_VPN]   = {AFI_IPV4, SAFI_FLOW_VPN, "ipv4", "flow-vpn", "ipv4/flow-vpn", 0, 0},
	[FAM_IPV6_UNICAST]    = {AFI_IPV6, SAFI_UNICAST, "ipv6", "unicast", "ipv6/unicast", 0, 1},
	[FAM_IPV6_MULTICAST]  = {AFI_IPV6, SAFI_MULTICAST, "ipv6", "multicast", "ipv6/multicast", 0, 1},
	[FAM_IPV6_MPLS_LABEL] = {AFI_IPV6, SAFI_MPLS_LABEL, "ipv6", "nlri-mpls", "ipv6/nlri-mpls", 0, 1},
	[FAM_IPV6_MPLS_VPN]   = {AFI_IPV6, SAFI_MPLS_VPN, "ipv6", "mpls-vpn", "ipv6/mpls-vpn", 8, 1},
	[FAM_IPV6_FLOW]       = {AFI_IPV6, SAFI_FLOW, "ipv6", "flow", "ipv6/flow", 0, 0},
	[FAM_IPV6_FLOW_VPN]   = {AFI_IPV6, SAFI_FLOW_VPN, "ipv6", "flow-vpn", "ipv6/flow-vpn", 0, 0},
	[FAM_L2VPN_VPLS]      = {AFI_L2VPN, SAFI_VPLS, "l2vpn", "vpls", "l2vpn/vpls", 0, 0},
	[FAM_L2VPN_EVPN]      = {AFI_L2VPN, SAFI_EVPN, "l2vpn", "evpn", "l2vpn/evpn", 0, 0},
	[FAM_BGPLS]           = {AFI_BGPLS, SAFI_BGPLS, "bgp-ls", "bgp-ls", "bgp-ls/bgp-ls", 0, 0},
	[FAM_BGPLS_VPN]       = {AFI_BGPLS, SAFI_BGPLS_VPN, "bgp-ls", "bgp-ls-vpn", "bgp-ls/bgp-ls-vpn", 0, 0},
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
