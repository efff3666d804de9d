/* fastbgp's "graceful-restart" event (api.h, docs/json.md): ExaBGP 4.2 keeps
 * no stale routes (RFC 4724 receiver) and so has no such event; this one is
 * written in the style of its "state" events, and only sent to helpers
 * whose api block asks for it with "graceful-restart;".
 *
 * JSON:  "type": "graceful-restart", "neighbor": { "address": ..., "asn": ...,
 *        "graceful-restart": { "state": "stale", "time": 120,
 *        "routes": { "ipv4 unicast": 3, "ipv6 unicast": 1 } } }
 * text:  neighbor 127.0.0.2 graceful-restart stale time 120 ipv4 unicast 3 ipv6 unicast 1 */
#include "api/api_int.h"
#include "api/fmt.h"
#include "api/json.h"
#include "attr/attr_table.h"

struct graceful_arg {
	const char *state;
	unsigned time;
	family_mask fams;
	const size_t *counts;
};

static int gen_graceful(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
			const struct api_neighbor *n, const void *arg)
{
	const struct graceful_arg *g = arg;
	char afi[32], safi[32];
	bool json = enc == &api_json_encoder;
	if (json) {
		json_begin(f, w, "graceful-restart", NULL);
		json_neighbor_open(f, w, n, NULL, true);
		sb_printf(w, "\"graceful-restart\": { \"state\": \"%s\"", g->state);
		if (g->time)
			sb_printf(w, ", \"time\": %u", g->time);
		sb_puts(w, ", \"routes\": { ");
	} else {
		sb_printf(w, "neighbor %s graceful-restart %s", n->peer_address, g->state);
		if (g->time)
			sb_printf(w, " time %u", g->time);
	}
	bool first = true;
	for (int fam = 0; fam < FAM_COUNT; fam++) {
		if (!(g->fams & FAM_BIT(fam)))
			continue;
		const char *a = fmt_afi(family_table[fam].afi, afi), *s = fmt_safi(family_table[fam].safi, safi);
		if (json)
			sb_printf(w, "%s\"%s %s\": %zu", first ? "" : ", ", a, s, g->counts[fam]);
		else
			sb_printf(w, " %s %s %zu", a, s, g->counts[fam]);
		first = false;
	}
	if (json) {
		sb_puts(w, first ? "} }" : " } }");
		json_end(w);
	} else {
		sb_puts(w, "\n"); /* as every text event: the writer adds an empty line */
	}
	return 0;
}

void api_event_graceful(struct api *a, struct api_neighbor *n, const char *state, unsigned time, family_mask fams,
			const size_t counts[FAM_COUNT])
{
	struct graceful_arg g = {state, time, fams, counts};
	api_fanout_sub(a, n, API_SUB_GRACEFUL_RESTART, gen_graceful, &g);
}
