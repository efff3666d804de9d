/* The healthcheck's state machine and the commands it prints.  Both are pure
 * functions so the unit tests can drive them; hc_run.c calls them.
 *
 * The states and transitions are ExaBGP 4.2's (application/healthcheck.py,
 * loop.one() and trigger()), so that the same checks give the same states;
 * the lines are byte-identical to ExaBGP's for the same options. */
#include <stdio.h>
#include <string.h>

#include "healthcheck/hc_int.h"

static const char *const state_names[] = {
	[HC_INIT] = "INIT", [HC_DISABLED] = "DISABLED", [HC_RISING] = "RISING", [HC_FALLING] = "FALLING",
	[HC_UP] = "UP",     [HC_DOWN] = "DOWN",         [HC_EXIT] = "EXIT",     [HC_END] = "END",
	[HC_NONE] = "NONE",
};

const char *hc_state_name(enum hc_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

/* trigger(): RISING with rise <= 1 is UP at once, FALLING with fall <= 1 DOWN. */
static enum hc_state trigger(enum hc_state target, long rise, long fall, bool *transition)
{
	if (target == HC_RISING && rise <= 1)
		target = HC_UP;
	else if (target == HC_FALLING && fall <= 1)
		target = HC_DOWN;
	*transition = true;
	return target;
}

enum hc_state hc_fsm_step(enum hc_state state, int *checks, bool disabled, bool successful, long rise, long fall,
			  bool *transition)
{
	*transition = false;
	successful = successful || disabled;
	if (state != HC_DISABLED && disabled)
		return trigger(HC_DISABLED, rise, fall, transition);
	switch (state) {
	case HC_INIT:
		if (successful && rise <= 1)
			return trigger(HC_UP, rise, fall, transition);
		*checks = 1;
		return trigger(successful ? HC_RISING : HC_FALLING, rise, fall, transition);
	case HC_DISABLED:
		return disabled ? state : trigger(HC_INIT, rise, fall, transition);
	case HC_RISING:
		if (!successful) {
			*checks = 1;
			return trigger(HC_FALLING, rise, fall, transition);
		}
		if (++*checks >= rise)
			return trigger(HC_UP, rise, fall, transition);
		return state;
	case HC_FALLING:
		if (successful) {
			*checks = 1;
			return trigger(HC_RISING, rise, fall, transition);
		}
		if (++*checks >= fall)
			return trigger(HC_DOWN, rise, fall, transition);
		return state;
	case HC_UP:
		if (successful)
			return state;
		*checks = 1;
		return trigger(HC_FALLING, rise, fall, transition);
	case HC_DOWN:
		if (!successful)
			return state;
		*checks = 1;
		return trigger(HC_RISING, rise, fall, transition);
	default:
		return state;
	}
}

struct line {
	char buf[2048];
	size_t len;
	bool truncated;
};

static void add(struct line *l, const char *fmt, const char *a)
{
	if (l->len >= sizeof(l->buf))
		return;
	int n = snprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, a);
	if (n < 0 || (size_t)n >= sizeof(l->buf) - l->len) {
		l->truncated = true;
		l->len = sizeof(l->buf);
		return;
	}
	l->len += (size_t)n;
}

static void add_long(struct line *l, const char *fmt, long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%ld", v);
	add(l, fmt, num);
}

static long state_metric(const struct hc_opts *o, enum hc_state target)
{
	switch (target) {
	case HC_UP:
		return o->up_metric;
	case HC_DOWN:
		return o->down_metric;
	case HC_DISABLED:
		return o->disabled_metric;
	default:
		return 0;
	}
}

static const char *state_as_path(const struct hc_opts *o, enum hc_state target)
{
	const char *p = target == HC_UP	      ? o->up_as_path
			: target == HC_DOWN   ? o->down_as_path
			: target == HC_DISABLED ? o->disabled_as_path
					      : NULL;
	return p ? p : o->as_path;
}

/* ExaBGP's exabgp(target): one line per address, the metric growing by
 * --increase from one address to the next. */
int hc_announce(const struct hc_opts *o, const struct hc_netlist *ips, enum hc_state target, hc_emit_fn emit,
		void *ctx)
{
	if (target != HC_UP && target != HC_DOWN && target != HC_DISABLED && target != HC_EXIT)
		return 0;
	long metric = state_metric(o, target);
	const char *as_path = state_as_path(o, target);
	for (size_t i = 0; i < ips->n; i++) {
		bool announce = target == HC_EXIT ? false : o->withdraw_on_down ? target == HC_UP : true;
		struct line l = {.len = 0};
		char text[64], prefix[64];
		for (size_t k = 0; k < o->neighbors.n; k++) {
			hc_format_addr(&o->neighbors.v[k], text, sizeof(text));
			add(&l, k ? ", neighbor %s" : "neighbor %s", text);
		}
		add(&l, o->neighbors.n ? " %s" : "%s", announce ? "announce" : "withdraw");
		hc_format_net(&ips->v[i], prefix, sizeof(prefix));
		add(&l, " route %s", prefix);
		if (o->has_next_hop)
			hc_format_addr(&o->next_hop, text, sizeof(text));
		add(&l, " next-hop %s", o->has_next_hop ? text : "self");
		if (announce) {
			add_long(&l, " med %s", metric);
			if (o->local_preference >= 0)
				add_long(&l, " local-preference %s", o->local_preference);
			const char *community = o->community;
			if ((target == HC_DOWN || target == HC_DISABLED) && o->disabled_community)
				community = o->disabled_community;
			if (community && *community)
				add(&l, " community [ %s ]", community);
			if (o->extended_community && *o->extended_community)
				add(&l, " extended-community [ %s ]", o->extended_community);
			if (o->large_community && *o->large_community)
				add(&l, " large-community [ %s ]", o->large_community);
			if (as_path && *as_path)
				add(&l, " as-path [ %s ]", as_path);
		}
		/* ExaBGP tests "if options.path_id": a path ID of 0 is not sent */
		if (o->has_path_id && o->path_id)
			add_long(&l, " path-information %s", o->path_id);
		metric += o->increase;
		if (l.truncated) {
			hc_log(HC_ERROR, "the command for %s is longer than %zu bytes: not sent", prefix, sizeof(l.buf));
			return -1;
		}
		if (emit(ctx, l.buf) < 0)
			return -1;
	}
	return 0;
}
