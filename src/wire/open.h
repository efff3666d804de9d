/* OPEN message and capabilities (RFC 4271 4.2, RFC 5492).
 *
 * Three views of capabilities, as OpenBGPD keeps them: what we announce
 * (built from the neighbor's configuration), what the peer sent (decoded
 * from its OPEN), and the negotiated result the session runs with. */
#ifndef FASTBGP_WIRE_OPEN_H
#define FASTBGP_WIRE_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlri/family.h"
#include "wire/buf.h"

enum capability_code {
	CAP_MULTIPROTOCOL = 1,        /* RFC 4760 */
	CAP_ROUTE_REFRESH = 2,        /* RFC 2918 */
	CAP_EXTENDED_NEXTHOP = 5,     /* RFC 8950 */
	CAP_EXTENDED_MESSAGE = 6,     /* RFC 8654 */
	CAP_GRACEFUL_RESTART = 64,    /* RFC 4724 */
	CAP_ASN4 = 65,                /* RFC 6793 */
	CAP_MULTISESSION = 68,        /* draft-ietf-idr-bgp-multisession */
	CAP_ADD_PATH = 69,            /* RFC 7911 */
	CAP_ENHANCED_ROUTE_REFRESH = 70, /* RFC 7313 */
	CAP_FQDN = 73,                /* draft-walton-bgp-hostname-capability */
	CAP_SOFTWARE_VERSION = 75,    /* draft-ietf-idr-software-version */
	CAP_PATHS_LIMIT = 76,         /* draft-ietf-idr-add-paths-guidelines (PATHS-LIMIT) */
	CAP_LINK_LOCAL_NEXTHOP = 77,  /* draft-ietf-idr-linklocal-capability */
	CAP_ROUTE_REFRESH_CISCO = 128,
	CAP_MULTISESSION_CISCO = 131,
	CAP_OPERATIONAL = 185,        /* ExaBGP private */
};

#define OPT_PARAM_CAPABILITIES 2 /* RFC 5492 */
#define BGP_VERSION 4
#define GR_RESTART_STATE 0x8      /* R bit, in the 4-bit flags */
#define GR_FORWARDING_STATE 0x80  /* F bit, per family */
#define MAX_NEXTHOP_CAPS 16
#define MAX_UNKNOWN_CAP_BYTES 1024
#define ADDPATH_DIR_RECEIVE 1
#define ADDPATH_DIR_SEND 2
/* ExaBGP 5 cuts host, domain and software names to 64 bytes. */
#define CAP_NAME_MAX 64

struct nexthop_cap {
	uint16_t afi;
	uint16_t safi;
	uint16_t nh_afi;
};

struct capabilities {
	family_mask mp;              /* multiprotocol families */
	bool asn4;
	uint32_t asn4_value;
	bool route_refresh;
	bool route_refresh_cisco;
	bool enhanced_route_refresh;
	bool extended_message;
	bool graceful_restart;
	uint8_t gr_flags;            /* 4-bit restart flags */
	uint16_t gr_time;
	family_mask gr_families;
	family_mask gr_forwarding;   /* F bit per family */
	uint8_t add_path[FAM_COUNT]; /* 1 receive, 2 send, 3 both (RFC 7911) */
	bool has_add_path;
	struct nexthop_cap nexthop[MAX_NEXTHOP_CAPS];
	int nnexthop;
	bool has_nexthop;
	bool multisession;
	bool operational;
	/* draft-walton-bgp-hostname-capability: [len][host][len][domain] */
	bool has_hostname;
	char host_name[CAP_NAME_MAX + 1], domain_name[CAP_NAME_MAX + 1];
	/* draft-ietf-idr-software-version: [len][text] */
	bool has_software_version;
	char software_version[CAP_NAME_MAX + 1];
	/* PATHS-LIMIT: [AFI(2) SAFI(1) limit(2)]..., in this order; received
	 * entries of limit 0 are ignored (as ExaBGP 5 does). */
	struct paths_limit {
		uint8_t family; /* enum family_id */
		uint16_t limit;
	} paths_limit[FAM_COUNT];
	int npaths_limit;
	bool link_local_nexthop; /* draft-ietf-idr-linklocal-capability: empty value */
	/* Capabilities we do not know, kept as [code][len][value]... for display. */
	uint8_t unknown[MAX_UNKNOWN_CAP_BYTES];
	size_t unknown_len;
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as;     /* 2-octet field: AS_TRANS when the real ASN is larger */
	uint16_t hold_time;
	uint32_t router_id; /* host order */
	struct capabilities caps;
};

/* Writes a complete OPEN message (header included) in ExaBGP's capability
 * order: MP, ASN4, NEXTHOP, ADD-PATH, PATHS-LIMIT, GR, RR, ERR, OPERATIONAL,
 * EXT-MSG, HOSTNAME, SOFTWARE-VERSION, LINK-LOCAL, MULTISESSION, one
 * optional parameter per capability (ExaBGP 5's order; 4.2 has the same
 * order without the 5.0 capabilities). */
void open_encode(struct wbuf *w, const struct bgp_open *o);

/* The capabilities of an OPEN as they were on the wire, for printing:
 * ExaBGP lists them in the order they first appear, merging repeated ones
 * (multiprotocol and nexthop accumulate, add-path merges per family, the
 * others keep the last value).  Values point into the decoded body. */
#define OPEN_LIST_MAX 64

struct open_cap_family {
	uint16_t afi;
	uint8_t safi;
	uint8_t mode;    /* add-path: 1 receive, 2 send, 3 both */
	uint16_t nh_afi; /* nexthop capability */
};

struct open_listing {
	uint8_t version;
	uint16_t asn;       /* the 2-octet "My Autonomous System" field */
	uint16_t hold_time;
	uint32_t router_id; /* host order */
	uint8_t order[256]; /* distinct capability codes, in first-seen order */
	int norder;
	const uint8_t *val[256]; /* last value of each code (NULL = absent) */
	uint8_t vlen[256];
	struct open_cap_family mp[OPEN_LIST_MAX], ap[OPEN_LIST_MAX], nh[OPEN_LIST_MAX];
	int nmp, nap, nnh;
};

/* Decodes an OPEN body (after the 19-byte header): the one OPEN decoder,
 * for the session, the process API and "fastbgp decode".  Optional
 * parameters in RFC 5492's form or RFC 9072's extended form (Non-Ext OP
 * Len 255, Non-Ext OP Type 255, then 2-octet lengths).  listing, when not
 * NULL, also gets the capabilities as received (filled as far as the
 * decoding went when it fails).  On error returns -1 and sets *subcode to
 * the RFC 4271 OPEN Message Error subcode. */
int open_decode(const uint8_t *body, size_t len, struct bgp_open *o, struct open_listing *listing,
		uint8_t *subcode);

/* What the session runs with once both OPENs are known. */
struct negotiated {
	family_mask families;        /* both sides announced MP for these */
	bool asn4;
	uint16_t hold_time;          /* min of both; 0 = no keepalives */
	uint16_t keepalive;          /* hold_time / 3 */
	size_t max_msg;              /* 4096, or 65535 with RFC 8654 on both sides */
	bool route_refresh;
	bool enhanced_route_refresh;
	family_mask addpath_send;    /* we include path identifiers */
	family_mask addpath_receive; /* the peer includes them */
	bool extended_nexthop[FAM_COUNT]; /* IPv6 next-hops for IPv4 NLRI etc. (RFC 8950) */
	bool link_local_nexthop;     /* both sent draft-ietf-idr-linklocal-capability */
	uint16_t paths_limit[FAM_COUNT]; /* the peer's PATHS-LIMIT per family we send ADD-PATH for, 0 = none */
	uint32_t peer_as;            /* real peer ASN (from ASN4 when present) */
	uint32_t peer_router_id;
};

void negotiate(const struct bgp_open *ours, const struct bgp_open *theirs, struct negotiated *n);

#endif
