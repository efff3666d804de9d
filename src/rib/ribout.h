/* Adj-RIB-Out of one peer (RFC 4271 3.2), with its pending changes.
 *
 * Entries are keyed by (family, path-id, NLRI bytes).  Each entry holds the
 * attribute set the peer should have (NULL = withdrawn).  The index is an
 * open-addressing table of (hash, position) pairs over an array of entries
 * kept in insertion order, which is also the order of every walk (show
 * adj-rib out, resending after a session restart or a route refresh).  A change links the
 * entry into the pending group of its (attribute set, family); groups are
 * kept in the order they were first used.  Packing walks the groups once and
 * writes each route once, so sending N routes is O(N) and every UPDATE of a
 * group shares one attribute encoding.
 *
 * Grouping follows ExaBGP 4.2 so the bytes match: only IPv4 unicast routes
 * with an IPv4 next-hop are packed several per UPDATE (when group-updates is
 * on); every other family sends one NLRI per UPDATE.
 *
 * Also as ExaBGP 4.2: when an announcement replaces one that is still
 * pending and was never sent, with other attributes, the older one is sent
 * too (its configuration may list the same NLRI twice: conf-l2vpn).  The
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

struct rib_group;

struct rib_entry {
	struct rib_entry *gnext, *gprev;     /* pending group list */
	struct rib_group *group;             /* NULL when nothing is pending */
	struct attrset *attrs;               /* desired state; NULL = withdrawn */
	uint32_t path_id;
	uint32_t idx;                        /* position in ribout.ents */
	uint8_t family;
	uint8_t on_wire;                     /* the peer holds this route */
	uint8_t ghost;                       /* enum rib_ghost */
	uint8_t flags;                       /* enum rib_entry_flag */
	uint16_t nlri_len;
	uint8_t nlri[];                      /* allocated to its length (no tail padding):
					      * a unicast entry fits in 64 bytes of heap */
};

enum rib_entry_flag {
	RIB_FROM_CONFIG = 0x01, /* announced by the configuration (a reload may withdraw it) */
	RIB_MARK = 0x02,        /* seen by the current ribout_sync_config() */
};

enum rib_ghost {
	RIB_GHOST_NONE = 0,
	RIB_GHOST_IS = 1,      /* this entry is an older announcement waiting to go out */
	RIB_GHOST_PENDING = 2, /* an older announcement of this route waits to go out */
};

struct rib_group {
	struct rib_group *hnext;     /* group hash chain */
	struct rib_group *next;      /* pending order */
	struct rib_group *prev;
	struct attrset *attrs;       /* NULL: withdrawals */
	uint8_t family;
	struct rib_entry *head, *tail;
	size_t count;
	uint64_t seq;                /* creation order: groups are sent in this order */
};

/* One slot of the entry index (open addressing, linear probing): the
 * entry's hash is kept next to its position so that probing and growing
 * read only this array; an entry is touched only when the 32-bit hashes
 * match.  ent == 0: empty slot; else the entry is ents[ent - 1]. */
struct rib_slot {
	uint32_t hash;
	uint32_t ent;
};

struct ribout {
	struct rib_slot *slots;  /* the index: power-of-two size, at most 3/4 used */
	size_t nslots;
	size_t nindexed;         /* slots in use (entries and ghosts) */
	struct rib_entry **ents; /* every entry and ghost in insertion order, NULL holes */
	size_t nents, entcap, nholes;
	size_t count;            /* entries (ghosts excluded) */
	struct rib_group **gbuckets;
	size_t ngbuckets;
	struct rib_group *ghead, *gtail;
	uint64_t gseq;
	size_t pending;
	struct attr_pool *pool; /* where the attribute sets live, for unref */
	uint64_t announced, withdrawn; /* counters of routes written */
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
/* Queue a withdrawal (no-op when the peer never received the route). */
int ribout_withdraw(struct ribout *r, uint8_t family, uint32_t path_id, const uint8_t *nlri,
		    uint16_t nlri_len);
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

static inline bool ribout_has_pending(const struct ribout *r) { return r->ghead != NULL; }

/* Appends UPDATE messages to w until w->len reaches budget or nothing is
 * pending.  Returns the number of messages written. */
size_t ribout_pack(struct ribout *r, const struct pack_opts *o, struct wbuf *w, size_t budget);

/* Calls fn for every route the peer should hold (for "show adj-rib out"). */
void ribout_walk(const struct ribout *r, void (*fn)(void *ctx, const struct rib_entry *e), void *ctx);

#endif
