/* Adj-RIB-Out of one peer (RFC 4271 3.2), with its pending changes.
 *
 * Entries are keyed by (family, path-id, NLRI bytes).  Each entry holds the
 * attribute set the peer should have (NULL = withdrawn).  Entries are
 * fixed-size records (struct rib_rec, 24 bytes) in one array kept in
 * insertion order, which is also the order of every walk (show adj-rib
 * out, resending after a session restart or a route refresh); the index is
 * an open-addressing table of (hash, position) pairs over that array.  A
 * change links the entry into the pending group of its (attribute set,
 * family); groups are kept in the order they were first used.  Packing
 * walks the groups once and writes each route once, so sending N routes is
 * O(N) and every UPDATE of a group shares one attribute encoding.
 *
 * Grouping follows ExaBGP 4.2 so the bytes match: only IPv4 unicast routes
 * with an IPv4 next-hop are packed several per UPDATE (when group-updates is
 * on); every other family sends one NLRI per UPDATE.
 *
 * Also as ExaBGP 4.2: when an announcement replaces one that is still
 * pending, with other attributes, the older one is sent too, whether or
 * not the route is on the wire already (its configuration may list the same NLRI twice: conf-l2vpn).  The
 * older one stays in its group as a "ghost" entry (in the hash table, never
 * found by lookups), as long as the newer one is sent after it; the peer
 * ends with the newer attributes. */
#ifndef FASTBGP_RIB_RIBOUT_H
#define FASTBGP_RIB_RIBOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlri/family.h"
#include "rib/route.h"
#include "rib/update_encode.h"

/* A route as ribout_walk() shows it (a view of the table, valid during
 * the call only). */
struct rib_entry {
	struct attrset *attrs; /* never NULL in a walk */
	const uint8_t *nlri;
	uint32_t path_id;
	uint16_t nlri_len;
	uint8_t family;
};

/* One route of the table, or a ghost, or a free record (cls == NIL).
 * Records are fixed-size and live in one array in insertion order, so a
 * route costs these 24 bytes and its index slot: no heap block, no
 * pointers.  The attribute set and family are the record's class; a short
 * unicast-like NLRI (up to 7 bytes, its length given by its first byte:
 * IPv4 and IPv6 prefixes up to /48) is stored in the record, any other in
 * a block of its own ("big" key). */
struct rib_rec {
	uint32_t gnext, gprev; /* pending list of the class: record numbers, RIB_NIL = none */
	uint32_t cls;          /* class number; RIB_NIL: free record */
	uint32_t path_id;
	uint8_t bits;          /* enum rib_rec_bit */
	uint8_t key[7];        /* the NLRI, or (REC_BIG) the number of its big key */
};

_Static_assert(sizeof(struct rib_rec) == 24, "a record is 24 bytes");

#define RIB_NIL UINT32_MAX
#define REC_GHOST_SHIFT 1 /* bits 1-2 of rib_rec.bits: enum rib_ghost */

enum rib_rec_bit {
	REC_ON_WIRE = 0x01,     /* the peer holds this route */
	REC_GHOST_MASK = 0x06,
	RIB_FROM_CONFIG = 0x08, /* announced by the configuration (a reload may withdraw it) */
	RIB_MARK = 0x10,        /* seen by the current ribout_sync_config() */
	REC_PENDING = 0x20,     /* linked in its class's pending list */
	REC_BIG = 0x40,         /* key[] holds the number of a big key */
	REC_WITHDRAWN = 0x80,   /* a withdrawal; its class holds the attributes it is sent with */
};

enum rib_ghost {
	RIB_GHOST_NONE = 0,
	RIB_GHOST_IS = 1,      /* this entry is an older announcement waiting to go out */
	RIB_GHOST_PENDING = 2, /* an older announcement of this route waits to go out */
};

/* A class: (attribute set, family), shared by every record with them.  It
 * is the group of announcements and withdrawals alike: as ExaBGP 4.2, a
 * withdrawal is sent with the attributes its command named (or those of
 * the route it withdraws), in MP_UNREACH UPDATEs that carry them, and in
 * the same IPv4 UPDATE as the announcements sharing its attributes.  It
 * holds the table's one reference to the attribute set.  While some of its
 * records are pending, it is also their group: groups are packed in the
 * order they became pending (seq), each group's records in the order they
 * were queued.  A free class has refs == 0. */
struct rib_class {
	struct attrset *attrs; /* NULL: withdrawals that name no attributes */
	uint64_t seq;          /* while pending: when the group was started */
	uint32_t refs;         /* records of this class */
	uint32_t hnext;        /* hash chain; free list when free */
	uint32_t head, tail;   /* pending records */
	uint32_t count;        /* pending records */
	uint32_t next, prev;   /* pending order of the groups */
	uint8_t family;
	bool unsorted;         /* IPv4 unicast: the pending list is not in NLRI order */
};

/* One slot of the entry index (open addressing, linear probing): the
 * entry's hash is kept next to its position so that probing and growing
 * read only this array; an entry is touched only when the 32-bit hashes
 * match.  ent == 0: empty slot; else the entry is recs[ent - 1]. */
struct rib_slot {
	uint32_t hash;
	uint32_t ent;
};

struct ribout {
	struct rib_slot *slots;  /* the index: power-of-two size, at most 3/4 used */
	size_t nslots;
	size_t nindexed;         /* slots in use (entries and ghosts) */
	struct rib_rec *recs;    /* every entry and ghost in insertion order, free holes */
	size_t nrecs, reccap, nholes;
	size_t count;            /* entries (ghosts excluded) */
	struct rib_class *cls;   /* classes by number */
	size_t ncls, clscap, nclasses;
	uint32_t cls_free;       /* free classes, chained by hnext */
	uint32_t last_cls;       /* the class found last (a hint) */
	uint32_t *cbuckets;      /* class hash: first class of each chain */
	size_t ncbuckets;
	uint32_t ghead, gtail;   /* the pending groups (classes), in order */
	uint64_t gseq;
	size_t pending;          /* pending records */
	uint8_t **big;           /* big keys: u16 length then the NLRI; NULL = free */
	uint32_t *bigfree;       /* numbers of the free ones */
	size_t nbig, bigcap, nbigfree;
	struct attr_pool *pool; /* where the attribute sets live, for unref */
	uint64_t announced, withdrawn; /* counters of routes written */
	uint64_t announced_fam[FAM_COUNT], withdrawn_fam[FAM_COUNT]; /* the same per family (metrics) */
};

struct pack_opts {
	struct encode_ctx enc;
	family_mask families;    /* negotiated */
	family_mask addpath;     /* path identifiers are sent for these */
	bool group_updates;
};

int ribout_init(struct ribout *r, struct attr_pool *pool);
void ribout_free(struct ribout *r);

/* Queue the route for announcement (no-op when the peer already has it). */
int ribout_announce(struct ribout *r, const struct route *rt);
int ribout_announce_raw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
			uint16_t nlri_len, struct attrset *attrs);
/* Queue a withdrawal of a route of the table, sent with the route's own
 * attributes (no-op when the table does not have it).  As ExaBGP 4.2, a
 * withdrawal goes out even when the announcement never did. */
int ribout_withdraw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len);
/* A helper's withdrawal: sent with the attributes of the command (rt->attrs),
 * and sent even when the table never had the route (ExaBGP 4.2 does). */
int ribout_withdraw_api(struct ribout *r, const struct route *rt);
/* Announces a configured route (remembered as such for reloads). */
int ribout_announce_config(struct ribout *r, const struct route *rt);
/* Reload: makes the configured part of the table equal to routes (those
 * not flagged ROUTE_WITHDRAWN): new or changed routes are queued, routes no
 * longer configured are withdrawn, unchanged ones send nothing.  wanted
 * (may be NULL) says whether a route belongs in the table now.  Routes
 * that helpers announced are left alone.  Returns the number of changes. */
size_t ribout_sync_config(struct ribout *r, const struct route_list *routes,
			  bool (*wanted)(const void *ctx, const struct route *rt), const void *ctx);
/* Announces a route for a helper: a later reload leaves it alone. */
int ribout_announce_api(struct ribout *r, const struct route *rt);
/* ribout_announce_api for each route of v[0..n), in order; stops at the
 * first failure (-1).  Faster than the loop: the index lookups of several
 * routes are overlapped (for "announce attributes ... nlri" lists and
 * batches of commands). */
int ribout_announce_api_list(struct ribout *r, struct route *const *v, size_t n);
/* Withdraws every route (API "clear adj-rib out"). */
void ribout_withdraw_all(struct ribout *r);
/* Route refresh / session restart: queue every route again. */
void ribout_resend(struct ribout *r, family_mask families);
/* The session went down: nothing is on the peer any more. */
void ribout_session_down(struct ribout *r);

static inline bool ribout_has_pending(const struct ribout *r) { return r->pending != 0; }

/* Appends UPDATE messages to w until w->len reaches budget or nothing is
 * pending.  Returns the number of messages written. */
size_t ribout_pack(struct ribout *r, const struct pack_opts *o, struct wbuf *w, size_t budget);

/* Calls fn for every route the peer should hold (for "show adj-rib out"). */
void ribout_walk(const struct ribout *r, void (*fn)(void *ctx, const struct rib_entry *e), void *ctx);

#endif
