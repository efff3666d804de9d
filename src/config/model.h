/* The configuration model: what the parser produces and the daemon runs.
 *
 * A struct config is immutable once parsed; a reload parses a new one and
 * diffs it against the running one.  All strings and routes live in the
 * config's arena; attribute sets are interned in the config's pool. */
#ifndef FASTBGP_CONFIG_MODEL_H
#define FASTBGP_CONFIG_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "attr/attrset.h"
#include "core/arena.h"
#include "core/ip_addr.h"
#include "nlri/family.h"
#include "rib/route.h"

enum addpath_mode { ADDPATH_NONE = 0, ADDPATH_RECEIVE = 1, ADDPATH_SEND = 2, ADDPATH_BOTH = 3 };
enum tristate { TRI_UNSET = -1, TRI_FALSE = 0, TRI_TRUE = 1 };

struct capability_conf {
	bool asn4;              /* default on (cap 65) */
	bool route_refresh;     /* default off: cap 2 and cap 70 */
	int graceful_restart;   /* -1 = off, else restart time in seconds (bare = hold-time) */
	uint8_t add_path;       /* enum addpath_mode */
	family_mask add_path_families; /* from add-path { }; 0 = every configured family */
	bool multi_session;     /* cap 68 */
	bool operational;       /* cap 185 (ExaBGP private) */
	bool aigp;
	bool extended_message;  /* default on (cap 6, RFC 8654) */
	int nexthop;            /* enum tristate: unset = on when a nexthop block exists */
	                        /* (the parser resolves it: TRI_TRUE or TRI_FALSE once loaded) */
	/* ExaBGP 5's capabilities */
	bool software_version;  /* cap 75, draft-ietf-idr-software-version */
	bool link_local_nexthop; /* cap 77, draft-ietf-idr-linklocal-capability */
	bool link_local_prefer; /* accepted (what a forwarding router does with two next-hops) */
	/* PATHS-LIMIT (cap 76) from "add-path { AFI SAFI limit N; }": 0 = none;
	 * seq is the order the entries were written (1-based), the capability
	 * lists them by AFI and then in that order, as ExaBGP 5 does. */
	uint16_t paths_limit[FAM_COUNT];
	uint8_t paths_limit_seq[FAM_COUNT];
};

/* One "nexthop { ipv4 unicast ipv6; }" entry (RFC 8950). */
struct nexthop_conf {
	uint8_t family;  /* enum family_id of the NLRI */
	uint16_t nh_afi; /* AFI of the next-hop */
};

enum api_event {
	API_NEIGHBOR_CHANGES = 1u << 0,
	API_NEGOTIATED = 1u << 1,
	API_FSM = 1u << 2,
	API_SIGNAL = 1u << 3,
	API_GRACEFUL_RESTART = 1u << 4, /* fastbgp: stale routes of a restarting peer (RFC 4724) */
};
/* Message kinds for the send { } and receive { } blocks. */
enum api_message {
	API_MSG_PARSED = 1u << 0,
	API_MSG_PACKETS = 1u << 1,
	API_MSG_CONSOLIDATE = 1u << 2,
	API_MSG_OPEN = 1u << 3,
	API_MSG_UPDATE = 1u << 4,
	API_MSG_NOTIFICATION = 1u << 5,
	API_MSG_KEEPALIVE = 1u << 6,
	API_MSG_REFRESH = 1u << 7,
	API_MSG_OPERATIONAL = 1u << 8,
};

struct api_conf {
	const char *name;        /* optional block name */
	const char **processes;  /* names of process blocks */
	int nprocesses;
	/* ExaBGP 5.0's processes-match: POSIX extended regexes, each matched
	 * at the start of a process name (Python's re.match) */
	const char **process_patterns;
	int npatterns;
	uint32_t events;         /* enum api_event */
	uint32_t send, receive;  /* enum api_message */
};

enum encoder_kind { ENCODER_JSON = 0, ENCODER_TEXT = 1 };

struct process_conf {
	const char *name;
	const char *run;   /* the command line as written (after "run") */
	const char **argv; /* split, NULL terminated */
	int encoder;       /* enum encoder_kind */
	bool encoder_given; /* false when no "encoder" line was written (api.encoder may apply) */
	bool respawn;      /* default true */
	const char *nats_url;     /* "nats URL": the transport is NATS, not "run" (issue 15) */
	const char *nats_subject; /* "subject S": S.events.<type>, S.commands */
	const char *nats_stream;  /* "stream NAME": events into this JetStream stream */
	const char *file;
	int line;
};

/* tcp-ao { keyid; algorithm; password; base64; } (ExaBGP main, RFC 5925) */
enum tcp_ao_algorithm { TCP_AO_NONE = 0, TCP_AO_HMAC_SHA_1_96, TCP_AO_AES_128_CMAC_96, TCP_AO_HMAC_SHA_256 };
#define TCP_AO_KEY_MAX 80 /* TCP_AO_MAXKEYLEN of linux/tcp.h */

struct tcp_ao_conf {
	int keyid;             /* 0-255: both SendID and RecvID */
	int algorithm;         /* enum tcp_ao_algorithm; TCP_AO_NONE = no tcp-ao block */
	const char *password;
	bool base64;           /* the password is base64 text */
	int line;              /* where the tcp-ao block starts */
};

struct neighbor_conf {
	const char *name;        /* the header, e.g. "127.0.0.1" or "10.0.0.0/24" */
	const char *description;
	const char *file;        /* where the neighbor block starts */
	int line;

	struct ip_addr peer_address;
	uint8_t peer_prefix_len; /* < 32/128 when the header is a prefix (passive only); 32/128 for one address */
	struct ip_addr local_address;
	bool local_address_auto;
	uint32_t router_id;      /* host order; 0 = unset */
	uint32_t local_as, peer_as;
	bool local_as_auto, peer_as_auto;
	uint16_t hold_time;      /* default 180 */
	bool passive;
	uint16_t listen_port;    /* 0 = use tcp.port listener */
	uint16_t connect_port;   /* 0 = tcp.port */
	const char *md5_password;
	int md5_base64;          /* enum tristate; TRI_UNSET = auto */
	struct ip_addr md5_ip;
	int outgoing_ttl;        /* 0 = disabled */
	int incoming_ttl;        /* 0 = disabled */
	bool group_updates;      /* default true */
	bool auto_flush;         /* default true */
	bool adj_rib_out;        /* default true */
	bool adj_rib_in;         /* default true */
	bool manual_eor;         /* default false */
	const char *host_name, *domain_name; /* NULL when not configured: the system's values apply */
	struct ip_addr local_link_local; /* ExaBGP 5: fe80::/10 sent after a global IPv6 next-hop (RFC 2545) */
	bool has_local_link_local;
	struct tcp_ao_conf tcp_ao;
	int rate_limit;          /* UPDATEs per second, 0 = unlimited */
	/* maximum-prefix: per family, the routes the peer may send (0: no
	 * limit), the seconds before the session restarts once the limit was
	 * passed (0: it stays down until the neighbor is torn down from the API,
	 * the configuration is reloaded with a change, or the daemon restarts),
	 * and warning-only (log, keep the session) */
	struct max_prefix_conf {
		uint32_t limit[FAM_COUNT];
		uint16_t restart[FAM_COUNT];
		bool warning_only[FAM_COUNT];
	} max_prefix;
	bool enforce_first_as;   /* default true: eBGP routes whose AS_PATH does not start
				  * with the peer's AS are withdrawn (RFC 4271 6.3, RFC 7606 7.2) */

	family_mask families;    /* the family block, or every known family when absent */
	struct capability_conf cap;
	struct nexthop_conf *nexthops; /* only when cap.nexthop is on, and both families are configured */
	int nnexthops;

	struct route_list routes; /* static / announce / flow / l2vpn routes, in config order */
	/* (template routes come first, in inherit order; they are shared between the
	 * neighbors that inherit them: the same struct route may be in several lists,
	 * and each list entry holds one reference on the route's attrset) */
	struct api_conf *apis;   /* one per api block (templates' first); their effects add up */
	int napis;
};

struct config {
	struct arena arena;
	/* Where the routes' attribute sets are interned: own_pool, or a pool
	 * that outlives configurations (the daemon shares one across reloads,
	 * so an unchanged route keeps the very same attribute set pointer). */
	struct attr_pool *pool;
	struct attr_pool own_pool;
	struct neighbor_conf **neighbors;
	int nneighbors;
	struct process_conf **processes;
	int nprocesses;
};

void config_init(struct config *c);
/* Same, interning into an existing pool that the caller keeps. */
void config_init_shared(struct config *c, struct attr_pool *pool);
void config_free(struct config *c);

#endif
