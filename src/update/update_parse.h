/* UPDATE message decoding (RFC 4271 4.3) with RFC 7606 error handling.
 *
 *   +-----------------------------------------------------+
 *   |   Withdrawn Routes Length (2 octets)                |
 *   |   Withdrawn Routes (variable)                       |  IPv4 unicast
 *   |   Total Path Attribute Length (2 octets)            |
 *   |   Path Attributes (variable)                        |  MP_REACH / MP_UNREACH inside
 *   |   Network Layer Reachability Information (variable)|  IPv4 unicast
 *   +-----------------------------------------------------+
 *
 * update_parse() checks the framing, runs the attribute table's validation
 * on every attribute, applies RFC 7606's per-UPDATE rules (duplicates,
 * missing well-known attributes, attribute list overruns), decodes the
 * MP_REACH_NLRI / MP_UNREACH_NLRI headers, checks unicast/multicast prefix
 * fields, converts 2-octet AS paths (RFC 6793) and interns the attribute
 * set.  It never copies the message: the views point into body, which must
 * outlive the struct. */
#ifndef FASTBGP_UPDATE_UPDATE_PARSE_H
#define FASTBGP_UPDATE_UPDATE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/attr_table.h"
#include "attr/attrset.h"
#include "nlri/family.h"
#include "wire/buf.h"

struct update_parse_opts {
	int asn4;              /* 4-octet AS numbers negotiated (RFC 6793) */
	int ebgp;              /* external peer: LOCAL_PREF discarded, confederation segments refused */
	family_mask families;  /* negotiated families: MP attributes for others reset the
				* session (RFC 4760 7); 0 accepts any family */
	family_mask addpath_rx; /* families whose NLRI carry a path identifier (RFC 7911) */
	struct attr_builder *scratch; /* optional: reused builder, saves an allocation per UPDATE */
	/* RFC 4271 6.3 / RFC 7606 7.2: with ebgp, the leftmost AS of AS_PATH
	 * must be this one (the peer's AS), else treat-as-withdraw; 0: no check
	 * (a route server's clients, enforce-first-as false). */
	uint32_t first_as;
	/* RFC 4271 6.3 / RFC 7606 7.3: our own address as NEXT_HOP is
	 * semantically incorrect (treat-as-withdraw). */
	bool has_self4;
	uint8_t self4[4];
};

enum update_verdict {
	UPDATE_OK = 0,
	/* RFC 7606 treat-as-withdraw: every prefix of the message (withdrawn,
	 * NLRI, MP_REACH and MP_UNREACH) must be handled as withdrawn. */
	UPDATE_TREAT_AS_WITHDRAW = 1,
	/* Session reset: send NOTIFICATION err_code/err_sub with err_data. */
	UPDATE_RESET = 2,
};

#define UPDATE_MAX_ATTRS 256

/* One received attribute (the first of its code), in wire order. */
struct update_attr {
	uint8_t code;
	uint8_t flags;   /* as received */
	uint8_t action;  /* enum attr_action from attr_validate() */
	uint8_t hdr_len; /* 3, or 4 with the extended length flag */
	uint16_t len;
	const uint8_t *val;
};

struct update_msg {
	struct rbuf withdrawn; /* IPv4 unicast withdrawn routes field */
	struct rbuf attrs;     /* path attributes field */
	struct rbuf nlri;      /* IPv4 unicast NLRI field */

	int has_nexthop;       /* NEXT_HOP attribute, for the NLRI field */
	struct nexthop nh;

	int has_mp_reach;
	uint16_t mp_afi;
	uint8_t mp_safi;
	int mp_family;         /* enum family_id, -1 when unknown */
	struct nexthop mp_nh;  /* route distinguishers removed; NH_NONE when length 0 */
	struct rbuf mp_nh_raw; /* the next-hop field as received */
	struct rbuf mp_nlri;

	int has_mp_unreach;
	uint16_t mpu_afi;
	uint8_t mpu_safi;
	int mpu_family;
	struct rbuf mpu_nlri;

	int eor;               /* End-of-RIB marker (RFC 4724 2) */
	uint16_t eor_afi;
	uint8_t eor_safi;

	uint16_t nattr;        /* attr[]: first occurrence of each code, wire order */
	struct update_attr attr[UPDATE_MAX_ATTRS];
	int16_t attr_idx[256]; /* code -> index in attr[], -1 when absent */
	unsigned duplicates;   /* later occurrences dropped (RFC 7606 3.g) */
	unsigned discarded;    /* attributes dropped by "attribute discard" or ignored */

	int verdict;           /* enum update_verdict */
	uint8_t err_code, err_sub;
	const uint8_t *err_data; /* NOTIFICATION data (points into the message) */
	size_t err_data_len;
	uint8_t err_attr;      /* attribute at fault (0 when none) */
	const char *reason;    /* why the verdict is not UPDATE_OK, for the log */

	/* Interned sets with one reference each (attrset_unref when done),
	 * built only when the verdict is UPDATE_OK, a pool was given and the
	 * message announces something:
	 *   set:    for the NLRI field, ->nh = NEXT_HOP;
	 *   mp_set: for the MP_REACH NLRI, ->nh = the MP next-hop.
	 * AS_PATH is in 4-octet form (AS4_PATH merged when the session has no
	 * ASN4), AGGREGATOR is 8 bytes, AS4_* and MP attributes are left out,
	 * known attributes carry the table's flags and unknown transitive ones
	 * their received flags with PARTIAL set (as ExaBGP). */
	struct attrset *set;
	struct attrset *mp_set;
};

/* The attributes of m as one interned set (one reference, next-hop none),
 * built as m->set is, for a message that announces nothing (printed as
 * ExaBGP prints them); NULL when out of memory. */
struct attrset *update_attrs_interned(const struct update_msg *m, int asn4, struct attr_pool *pool);

/* Parses an UPDATE body (the message after its 19-byte header).  Returns
 * out->verdict.  pool may be NULL (no sets are built). */
int update_parse(const uint8_t *body, size_t len, const struct update_parse_opts *opts, struct attr_pool *pool,
		 struct update_msg *out);

/* Drops the references update_parse() took (out->set, out->mp_set). */
void update_msg_release(struct update_msg *m, struct attr_pool *pool);

/* The received attribute of a code, NULL when absent. */
const struct update_attr *update_attr_find(const struct update_msg *m, uint8_t code);

/* ---- unicast / multicast prefix fields ([len][prefix bytes]...) ---- */

struct prefix {
	uint32_t path_id;  /* ADD-PATH identifier, 0 without ADD-PATH */
	uint8_t plen;
	uint8_t nlri_len;  /* 1 + (plen + 7) / 8 */
	uint8_t nlri[17];  /* [plen][prefix bytes], bits past plen cleared: the
			    * form struct route keeps */
	uint8_t addr[16];  /* the address, zero padded */
};

struct prefix_iter {
	struct rbuf r;
	uint8_t max_bits; /* 32 or 128 */
	uint8_t addpath;
};

void prefix_iter_init(struct prefix_iter *it, const struct rbuf *field, uint16_t afi, int addpath);
/* 1 with *p filled, 0 at the end, -1 when the field is malformed (prefix
 * length above 32/128 or past the end). */
int prefix_iter_next(struct prefix_iter *it, struct prefix *p);
/* Number of prefixes in a whole field, -1 when malformed. */
long prefix_field_check(const struct rbuf *field, uint16_t afi, int addpath);

#endif
