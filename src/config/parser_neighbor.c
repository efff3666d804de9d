/* Neighbor (and template) options and the family, capability, add-path,
 * nexthop and api sections. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/attr_values.h"
#include "config/parser_flow.h"
#include "config/parser_int.h"

/* ------------------------------------------------------------ sections */

/* The section header must be the keyword alone ("family {"). */
static int bare_header(struct parser *p)
{
	if (p->st.n > 1)
		return perr_tok(p, &p->st.v[1], "unexpected \"%s\" after %s", token_describe(&p->st.v[1]),
				p->st.v[0].s);
	return 0;
}

/* Runs through the statements of a block.  fn is called for each ';'
 * statement; a '{' inside is an error. */
static int simple_block(struct parser *p, const char *what, int (*fn)(struct parser *, void *), void *ud)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (end == TOK_LBRACE)
			return perr_tok(p, &p->st.v[0], "unexpected section \"%s\" in %s", token_describe(&p->st.v[0]),
					what);
		if (p->st.n && fn(p, ud) < 0)
			return -1;
	}
}

struct family_state {
	family_mask *mask;
	bool all;
	const char *what;
};

static int lower_copy(char *dst, size_t size, const struct token *t)
{
	if (t->len >= size)
		return -1;
	for (uint32_t i = 0; i <= t->len; i++)
		dst[i] = (char)tolower((unsigned char)t->s[i]);
	return 0;
}

static int family_stmt(struct parser *p, void *ud)
{
	struct family_state *fs = ud;
	const struct token *w = p->st.v;
	int n = p->st.n;
	if (n == 1 && !strcmp(w[0].s, "all")) {
		if (fs->all || *fs->mask)
			return perr_tok(p, &w[0], "all can not be used with any other options");
		fs->all = true;
		*fs->mask = FAM_ALL;
		return 0;
	}
	if (n == 1 && !strcmp(w[0].s, "minimal"))
		return perr_tok(p, &w[0], "family minimal is deprecated");
	if (w[0].type != TOK_WORD || afi_by_name(w[0].s) < 0)
		return perr_tok(p, &w[0], "unknown address family \"%s\" in %s", token_describe(&w[0]), fs->what);
	if (n != 2)
		return perr_tok(p, n > 2 ? &w[2] : &w[0], "expecting \"AFI SAFI;\" in %s", fs->what);
	char safi[32];
	int fam = lower_copy(safi, sizeof(safi), &w[1]) < 0 ? -1 : family_by_name(w[0].s, safi);
	if (fam < 0)
		return perr_tok(p, &w[1], "invalid afi/safi pair %s/%s", w[0].s, w[1].s);
	if (fs->all)
		return perr_tok(p, &w[0], "can not add any family once family all is set");
	if (*fs->mask & FAM_BIT(fam))
		return perr_tok(p, &w[1], "duplicate afi/safi pair %s/%s", w[0].s, w[1].s);
	*fs->mask |= FAM_BIT(fam);
	return 0;
}

static int section_family(struct parser *p, struct draft *d, bool addpath)
{
	if (bare_header(p) < 0)
		return -1;
	family_mask mask = 0;
	struct family_state fs = {&mask, false, addpath ? "add-path" : "family"};
	if (simple_block(p, fs.what, family_stmt, &fs) < 0)
		return -1;
	if (addpath) {
		d->has_addpath = true;
		d->addpath |= mask;
	} else {
		d->has_family = true;
		d->families |= mask;
	}
	return 0;
}

static int nexthop_stmt(struct parser *p, void *ud)
{
	struct draft *d = ud;
	const struct token *w = p->st.v;
	int n = p->st.n;
	if (w[0].type != TOK_WORD || (strcmp(w[0].s, "ipv4") && strcmp(w[0].s, "ipv6")))
		return perr_tok(p, &w[0], "unknown address family \"%s\" in nexthop", token_describe(&w[0]));
	if (n != 3)
		return perr_tok(p, n > 3 ? &w[3] : &w[0], "expecting \"AFI SAFI NEXTHOP-AFI;\" in nexthop");
	char safi[32], nhafi[8];
	if (lower_copy(safi, sizeof(safi), &w[1]) < 0 ||
	    (strcmp(safi, "unicast") && strcmp(safi, "multicast") && strcmp(safi, "nlri-mpls") &&
	     strcmp(safi, "mpls-vpn")))
		return perr_tok(p, &w[1], "invalid afi/safi pair %s/%s", w[0].s, w[1].s);
	const char *want = !strcmp(w[0].s, "ipv4") ? "ipv6" : "ipv4";
	if (lower_copy(nhafi, sizeof(nhafi), &w[2]) < 0 || strcmp(nhafi, want))
		return perr_tok(p, &w[2], "invalid nexthop afi %s (%s here)", w[2].s, want);
	int fam = family_by_name(w[0].s, safi);
	if (fam < 0)
		return perr_tok(p, &w[1], "invalid afi/safi pair %s/%s", w[0].s, w[1].s);
	struct nexthop_conf nh = {(uint8_t)fam, (uint16_t)afi_by_name(nhafi)};
	if (draft_push_nexthop(d, &nh) < 0)
		return perr_tok(p, &w[0], "out of memory");
	return 0;
}

int draft_push_nexthop(struct draft *d, const struct nexthop_conf *nh)
{
	if (d->nnh == d->capnh) {
		int cap = d->capnh ? d->capnh * 2 : 4;
		struct nexthop_conf *v = realloc(d->nh, (size_t)cap * sizeof(*v));
		if (!v)
			return -1;
		d->nh = v;
		d->capnh = cap;
	}
	d->nh[d->nnh++] = *nh;
	return 0;
}

static int capability_stmt(struct parser *p, void *ud)
{
	return capability_option(p, ud);
}

/* ------------------------------------------------------------ api */

struct api_state {
	struct api_conf api;
	const char **procs;
	int nprocs, capprocs;
	const char **pats;      /* processes-match */
	int npats, cappats;
};

static const struct {
	const char *name;
	uint32_t bit;
} api_events[] = {
	{"neighbor-changes", API_NEIGHBOR_CHANGES},
	{"negotiated", API_NEGOTIATED},
	{"fsm", API_FSM},
	{"signal", API_SIGNAL},
	{"graceful-restart", API_GRACEFUL_RESTART}, /* fastbgp extension (docs/json.md) */
}, api_messages[] = {
	{"parsed", API_MSG_PARSED},
	{"packets", API_MSG_PACKETS},
	{"consolidate", API_MSG_CONSOLIDATE},
	{"open", API_MSG_OPEN},
	{"update", API_MSG_UPDATE},
	{"notification", API_MSG_NOTIFICATION},
	{"keepalive", API_MSG_KEEPALIVE},
	{"refresh", API_MSG_REFRESH},
	{"operational", API_MSG_OPERATIONAL},
};

static int direction_stmt(struct parser *p, void *ud)
{
	uint32_t *mask = ud;
	const struct token *kw = &p->st.v[0];
	for (size_t i = 0; i < sizeof(api_messages) / sizeof(api_messages[0]); i++) {
		if (kw->type == TOK_WORD && !strcmp(kw->s, api_messages[i].name)) {
			int b = bool_value(p, kw, p->st.v + 1, p->st.n - 1, true);
			if (b < 0)
				return -1;
			if (b)
				*mask |= api_messages[i].bit;
			else
				*mask &= ~api_messages[i].bit;
			return 0;
		}
	}
	return perr_tok(p, kw, "unknown api message kind \"%s\"", token_describe(kw));
}

static int add_proc_ref(struct parser *p, const char *name, const struct token *t)
{
	if (p->nrefs == p->caprefs) {
		int cap = p->caprefs ? p->caprefs * 2 : 8;
		struct proc_ref *v = realloc(p->refs, (size_t)cap * sizeof(*v));
		if (!v)
			return perr_tok(p, t, "out of memory");
		p->refs = v;
		p->caprefs = cap;
	}
	p->refs[p->nrefs++] = (struct proc_ref){name, {t->line, t->col}};
	return 0;
}

static int api_processes(struct parser *p, struct api_state *as, const struct token *kw, const struct token *w,
			 int n)
{
	if (n < 1 || w[0].type != TOK_LBRACKET)
		return perr_tok(p, n ? &w[0] : kw, "invalid processes, does not start with [");
	if (w[n - 1].type != TOK_RBRACKET)
		return perr_tok(p, &w[n - 1], "invalid processes, does not end with ]");
	as->nprocs = 0; /* the last "processes" line wins */
	for (int i = 1; i < n - 1; i++) {
		if (w[i].type == TOK_COMMA)
			continue;
		if (w[i].type != TOK_WORD && w[i].type != TOK_STRING)
			return perr_tok(p, &w[i], "unexpected %s in processes", token_describe(&w[i]));
		if (as->nprocs == as->capprocs) {
			int cap = as->capprocs ? as->capprocs * 2 : 4;
			const char **v = realloc(as->procs, (size_t)cap * sizeof(*v));
			if (!v)
				return perr_tok(p, &w[i], "out of memory");
			as->procs = v;
			as->capprocs = cap;
		}
		const char *name = pstrdup(p, w[i].s);
		as->procs[as->nprocs++] = name;
		if (add_proc_ref(p, name, &w[i]) < 0)
			return -1;
	}
	return 0;
}

/* processes-match [ REGEX ... ] (ExaBGP 5.0): kept as text, checked here
 * so that a bad pattern is an error of the file, at its line. */
static int api_processes_match(struct parser *p, struct api_state *as, const struct token *kw,
			       const struct token *w, int n)
{
	if (n < 1 || w[0].type != TOK_LBRACKET)
		return perr_tok(p, n ? &w[0] : kw, "invalid processes-match, does not start with [");
	if (w[n - 1].type != TOK_RBRACKET)
		return perr_tok(p, &w[n - 1], "invalid processes-match, does not end with ]");
	as->npats = 0; /* the last line wins, as for processes */
	for (int i = 1; i < n - 1; i++) {
		if (w[i].type == TOK_COMMA)
			continue;
		if (w[i].type != TOK_WORD && w[i].type != TOK_STRING)
			return perr_tok(p, &w[i], "unexpected %s in processes-match", token_describe(&w[i]));
		regex_t re;
		if (regcomp(&re, w[i].s, REG_EXTENDED | REG_NOSUB) != 0)
			return perr_tok(p, &w[i], "\"%s\" is not a valid regular expression", w[i].s);
		regfree(&re);
		if (as->npats == as->cappats) {
			int cap = as->cappats ? as->cappats * 2 : 4;
			const char **v = realloc(as->pats, (size_t)cap * sizeof(*v));
			if (!v)
				return perr_tok(p, &w[i], "out of memory");
			as->pats = v;
			as->cappats = cap;
		}
		as->pats[as->npats++] = pstrdup(p, w[i].s);
	}
	return 0;
}

static int section_api(struct parser *p, struct draft *d)
{
	struct api_state as;
	memset(&as, 0, sizeof(as));
	int rc = -1;
	if (p->st.n > 2) {
		perr_tok(p, &p->st.v[2], "unexpected \"%s\" after the api name", token_describe(&p->st.v[2]));
		goto out;
	}
	if (p->st.n == 2) {
		const struct token *nm = &p->st.v[1];
		for (int i = 0; i < d->napis; i++) {
			if (d->apis[i].name && !strcmp(d->apis[i].name, nm->s)) {
				perr_tok(p, nm, "the name \"%s\" already exists in api", nm->s);
				goto out;
			}
		}
		as.api.name = pstrdup(p, nm->s);
	}
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			goto out;
		if (end == TOK_RBRACE || end == TOK_EOF)
			break;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		if (end == TOK_LBRACE) {
			if (kw->type == TOK_WORD && (!strcmp(kw->s, "send") || !strcmp(kw->s, "receive"))) {
				if (bare_header(p) < 0 ||
				    simple_block(p, kw->s, direction_stmt, kw->s[0] == 's' ? &as.api.send : &as.api.receive) <
					    0)
					goto out;
				continue;
			}
			perr_tok(p, kw, "unknown section \"%s\" in api", token_describe(kw));
			goto out;
		}
		if (kw->type == TOK_WORD && !strcmp(kw->s, "processes")) {
			if (api_processes(p, &as, kw, p->st.v + 1, p->st.n - 1) < 0)
				goto out;
			continue;
		}
		if (kw->type == TOK_WORD && !strcmp(kw->s, "processes-match")) {
			if (api_processes_match(p, &as, kw, p->st.v + 1, p->st.n - 1) < 0)
				goto out;
			continue;
		}
		size_t i;
		for (i = 0; i < sizeof(api_events) / sizeof(api_events[0]); i++) {
			if (kw->type == TOK_WORD && !strcmp(kw->s, api_events[i].name)) {
				int b = bool_value(p, kw, p->st.v + 1, p->st.n - 1, true);
				if (b < 0)
					goto out;
				if (b)
					as.api.events |= api_events[i].bit;
				else
					as.api.events &= ~api_events[i].bit;
				break;
			}
		}
		if (i == sizeof(api_events) / sizeof(api_events[0])) {
			perr_tok(p, kw, "unknown api option \"%s\"", token_describe(kw));
			goto out;
		}
	}
	as.api.nprocesses = as.nprocs;
	as.api.processes = NULL;
	if (as.nprocs) {
		as.api.processes = arena_alloc(&p->c->arena, (size_t)as.nprocs * sizeof(char *));
		if (!as.api.processes) {
			perr(p, p->end.line, p->end.col, "out of memory");
			goto out;
		}
		memcpy(as.api.processes, as.procs, (size_t)as.nprocs * sizeof(char *));
	}
	as.api.npatterns = as.npats;
	as.api.process_patterns = NULL;
	if (as.npats) {
		as.api.process_patterns = arena_alloc(&p->c->arena, (size_t)as.npats * sizeof(char *));
		if (!as.api.process_patterns) {
			perr(p, p->end.line, p->end.col, "out of memory");
			goto out;
		}
		memcpy(as.api.process_patterns, as.pats, (size_t)as.npats * sizeof(char *));
	}
	rc = draft_push_api(p, d, &as.api);
out:
	free(as.procs);
	free(as.pats);
	return rc;
}

int draft_push_api(struct parser *p, struct draft *d, const struct api_conf *a)
{
	if (d->napis == d->capapis) {
		int cap = d->capapis ? d->capapis * 2 : 2;
		struct api_conf *v = realloc(d->apis, (size_t)cap * sizeof(*v));
		if (!v)
			return perr(p, p->end.line, p->end.col, "out of memory");
		d->apis = v;
		d->capapis = cap;
	}
	d->apis[d->napis++] = *a;
	return 0;
}

int neighbor_section(struct parser *p, struct draft *d)
{
	const struct token *kw = &p->st.v[0];
	const char *s = kw->type == TOK_WORD ? kw->s : "";
	if (!strcmp(s, "family"))
		return section_family(p, d, false);
	if (!strcmp(s, "add-path"))
		return section_family(p, d, true);
	if (!strcmp(s, "capability")) {
		if (bare_header(p) < 0)
			return -1;
		return simple_block(p, "capability", capability_stmt, d);
	}
	if (!strcmp(s, "nexthop")) {
		if (bare_header(p) < 0)
			return -1;
		d->has_nexthop_block = true;
		return simple_block(p, "nexthop", nexthop_stmt, d);
	}
	if (!strcmp(s, "api"))
		return section_api(p, d);
	if (!strcmp(s, "static"))
		return bare_header(p) < 0 ? -1 : parse_static(p, d);
	if (!strcmp(s, "announce"))
		return bare_header(p) < 0 ? -1 : parse_announce(p, d);
	if (!strcmp(s, "flow"))
		return bare_header(p) < 0 ? -1 : parse_flow(p, d);
	if (!strcmp(s, "l2vpn"))
		return bare_header(p) < 0 ? -1 : parse_l2vpn(p, d);
	if (!strcmp(s, "operational"))
		return bare_header(p) < 0 ? -1 : parse_unsupported(p, "operational messages");
	return perr_tok(p, kw, "unknown section \"%s\" in neighbor", token_describe(kw));
}
