/* Stale routes in the adj-rib-in (see ribin_stale.h). */
#include "rib/ribin_stale.h"

#include <string.h>

/* Walks the slots; removing slot i may move a later entry into it, so i is
 * looked at again after a removal.  An entry may be seen twice (one from the
 * start of the table moved past the end of a probe run), never missed: the
 * decisions below are the same the second time. */
size_t ribin_mark_stale(struct ribin *r, family_mask keep, size_t kept[FAM_COUNT], ribin_removed_fn removed,
			void *ctx)
{
	size_t n = 0;
	memset(kept, 0, FAM_COUNT * sizeof(kept[0]));
	for (size_t i = 0; i < r->nslots;) {
		struct ribin_entry *e = r->slots[i].e;
		if (!e) {
			i++;
			continue;
		}
		/* A route marked in this walk is seen again only when it moved:
		 * its mark is 2 until the walk is over. */
		if (e->stale == 2) {
			i++;
			continue;
		}
		if (e->family < FAM_COUNT && (keep & FAM_BIT(e->family)) && !e->stale) {
			e->stale = 2;
			kept[e->family]++;
			n++;
			i++;
			continue;
		}
		if (e->stale && removed)
			removed(ctx, e);
		ribin_remove_at(r, i);
	}
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].e)
			r->slots[i].e->stale = 1;
	return n;
}

size_t ribin_sweep_stale(struct ribin *r, family_mask fams, size_t gone[FAM_COUNT], ribin_removed_fn removed,
			 void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nslots;) {
		struct ribin_entry *e = r->slots[i].e;
		if (!e || !e->stale || e->family >= FAM_COUNT || !(fams & FAM_BIT(e->family))) {
			i++;
			continue;
		}
		if (removed)
			removed(ctx, e);
		if (gone)
			gone[e->family]++;
		n++;
		ribin_remove_at(r, i);
	}
	return n;
}

size_t ribin_count_stale(const struct ribin *r, size_t out[FAM_COUNT])
{
	size_t n = 0;
	if (out)
		memset(out, 0, FAM_COUNT * sizeof(out[0]));
	for (size_t i = 0; i < r->nslots; i++) {
		const struct ribin_entry *e = r->slots[i].e;
		if (e && e->stale && e->family < FAM_COUNT) {
			n++;
			if (out)
				out[e->family]++;
		}
	}
	return n;
}
