/* Adj-RIB-In of one peer (RFC 4271 3.2): the routes it sent us, after
 * RFC 7606 handling, for "show adj-rib in".  Kept only when the neighbor's
 * adj-rib-in option is on (ExaBGP's default).
 *
 * Entries are keyed by (family, path-id, NLRI without MPLS labels): a
 * withdrawal of a labeled or VPN route carries other label bytes than its
 * announcement (RFC 8277 2.4) but names the same route. */
#ifndef FASTBGP_RIB_RIBIN_H
#define FASTBGP_RIB_RIBIN_H

#include <stddef.h>
#include <stdint.h>

#include "attr/attrset.h"
#include "nlri/family.h"

struct ribin_entry {
	struct attrset *attrs; /* one reference */
	uint32_t path_id;
	uint8_t family;
	uint8_t has_path_id;
	uint8_t stale;         /* kept across the peer's restart (RFC 4724 4.2), see ribin_stale.h */
	uint16_t key_len;      /* key bytes first, then the NLRI as received */
	uint16_t nlri_len;
	uint8_t data[];
};

struct ribin_slot {
	uint32_t hash;
	struct ribin_entry *e; /* NULL: free */
};

struct ribin {
	struct ribin_slot *slots; /* open addressing, at most half full (ribin.c) */
	size_t nslots, count;
	uint64_t per_family[FAM_COUNT]; /* count by family (maximum-prefix, metrics) */
	struct attr_pool *pool;
	/* Memory budget (exabgp.bgp.adj_rib_in_kib): bytes held by the entries
	 * and the slot table (attribute sets are shared across peers and not
	 * counted).  budget 0 = no limit.  Once a new route would go over it,
	 * the route is not stored and refused counts it; routes already held
	 * are still replaced and withdrawn (docs/settings.md). */
	size_t bytes, budget, refused;
};

void ribin_init(struct ribin *r, struct attr_pool *pool);
void ribin_clear(struct ribin *r); /* empties it (keeps it usable) */
/* Adds or replaces a route (attrs referenced), or removes it (attrs NULL).
 * Returns 0, 1 when a new route was refused by the budget, -1 out of memory. */
int ribin_update(struct ribin *r, uint8_t family, int has_path_id, uint32_t path_id, const uint8_t *key,
		 uint16_t key_len, const uint8_t *nlri, uint16_t nlri_len, struct attrset *attrs);
void ribin_walk(const struct ribin *r, void (*fn)(void *ctx, const struct ribin_entry *e), void *ctx);
/* Removes the entry of slot i (for ribin_stale.c, which walks the slots);
 * a later entry may move into slot i, so a walk looks at i again. */
void ribin_remove_at(struct ribin *r, size_t i);

/* Applies one parsed UPDATE (update/update_parse.h) to the table: withdrawn
 * routes and MP_UNREACH first, then the NLRI and MP_REACH with the message's
 * attribute sets.  A treat-as-withdraw message withdraws everything it names.
 * Returns the number of routes announced + withdrawn. */
struct update_msg;
struct update_parse_opts;
size_t ribin_apply(struct ribin *r, const struct update_msg *m, const struct update_parse_opts *o);

#endif
