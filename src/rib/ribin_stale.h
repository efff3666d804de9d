/* Stale routes of a restarting peer in its adj-rib-in (RFC 4724 4.2).
 *
 * When a session with a Graceful Restart peer ends without a NOTIFICATION,
 * its routes are kept and marked stale; a route the peer announces again is
 * fresh (ribin_update() clears the mark); End-of-RIB for a family, or the
 * end of the wait, removes what is still stale.  The callers (peer/graceful.c)
 * decide when; this file only walks the table.
 *
 * Removed routes are handed to a callback before they are freed, so that
 * the caller can tell helpers with a withdrawal. */
#ifndef FASTBGP_RIB_RIBIN_STALE_H
#define FASTBGP_RIB_RIBIN_STALE_H

#include <stddef.h>

#include "nlri/family.h"
#include "rib/ribin.h"

typedef void (*ribin_removed_fn)(void *ctx, const struct ribin_entry *e);

/* The session is gone: routes of the families in keep are marked stale
 * (kept[f] counts them).  Routes of other families go, as with any lost
 * session, without a callback.  Routes that were already stale go too (RFC
 * 4724 4.2: consecutive restarts), through removed (may be NULL): they had
 * been reported as kept.  Returns the number of routes now stale. */
size_t ribin_mark_stale(struct ribin *r, family_mask keep, size_t kept[FAM_COUNT], ribin_removed_fn removed,
			void *ctx);

/* Removes the stale routes of the families in fams, each through removed
 * (may be NULL) before it is freed; gone[f] counts them (may be NULL).
 * Returns how many went. */
size_t ribin_sweep_stale(struct ribin *r, family_mask fams, size_t gone[FAM_COUNT], ribin_removed_fn removed,
			 void *ctx);

/* Stale routes per family (out may be NULL); returns the total. */
size_t ribin_count_stale(const struct ribin *r, size_t out[FAM_COUNT]);

#endif
