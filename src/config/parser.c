/* Configuration parser: statements, top level (process, template, neighbor),
 * template merging and the checks made when a neighbor ends. */
#include "config/parser.h"
#include "core/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/attr_values.h"
#include "config/parser_int.h"

/* ------------------------------------------------------------ errors */

static int vperr(struct parser *p, int line, int col, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (p->errlen)
		snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->file ? p->file : "-", line, col, msg);
	return -1;
}

int perr(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vperr(p, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int perr_tok(struct parser *p, const struct token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vperr(p, t->line, t->col, fmt, ap);
	va_end(ap);
	return -1;
}

int perr_rg(struct parser *p, const struct token *t)
{
	int line = p->rg.err.line ? p->rg.err.line : t->line;
	int col = p->rg.err.line ? p->rg.err.col : t->col;
	return perr(p, line, col, "%s", p->rg.err.msg);
}

char *pstrdup(struct parser *p, const char *s)
{
	return arena_strdup(&p->c->arena, s);
}

/* ------------------------------------------------------------ statements */

/* A statement is the words up to ';', '{' or '}'.  As in ExaBGP, it must end
 * on the logical line where it starts (a trailing '\' continues a line). */
int read_stmt(struct parser *p)
{
	struct token t;
	p->st.n = 0;
	for (;;) {
		int type = lexer_next(&p->lx, &t);
		if (type == TOK_ERROR)
			return perr_tok(p, &t, "%s", p->lx.err);
		if (p->st.n && (t.flags & TOKF_BOL)) {
			const struct token *last = &p->st.v[p->st.n - 1];
			return perr_tok(p, last, "missing ';' after \"%s\" (a statement ends with its line)",
					token_describe(last));
		}
		switch (type) {
		case TOK_SEMI:
			p->end = t;
			return TOK_SEMI;
		case TOK_LBRACE:
			p->end = t;
			if (!p->st.n)
				return perr_tok(p, &t, "unexpected '{' (a section needs a name)");
			return TOK_LBRACE;
		case TOK_RBRACE:
			p->end = t;
			if (p->st.n)
				return perr_tok(p, &t, "missing ';' before '}'");
			return TOK_RBRACE;
		case TOK_EOF:
			p->end = t;
			if (p->st.n) {
				const struct token *last = &p->st.v[p->st.n - 1];
				return perr_tok(p, last, "missing ';' after \"%s\" at the end of the file",
						token_describe(last));
			}
			return TOK_EOF;
		default:
			if (tokvec_push(&p->st, &t) < 0)
				return perr_tok(p, &t, "out of memory");
		}
	}
}

const struct token *one_value(struct parser *p, const struct token *kw, const struct token *w, int n)
{
	if (n < 1) {
		perr_tok(p, kw, "%s needs a value", kw->s);
		return NULL;
	}
	if (w[0].type != TOK_WORD && w[0].type != TOK_STRING) {
		perr_tok(p, &w[0], "unexpected %s: %s needs a value", token_describe(&w[0]), kw->s);
		return NULL;
	}
	if (n > 1) {
		perr_tok(p, &w[1], "unexpected \"%s\" after the value of %s (quote values with spaces)",
			 token_describe(&w[1]), kw->s);
		return NULL;
	}
	return &w[0];
}

int bool_value(struct parser *p, const struct token *kw, const struct token *w, int n, bool dflt)
{
	if (n == 0)
		return dflt;
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	int b = av_bool(v->s);
	if (b < 0)
		return perr_tok(p, v, "invalid value (%s) for a boolean (true, false, enable or disable)", v->s);
	return b;
}

/* ------------------------------------------------------------ drafts */

static void draft_init(struct draft *d, const struct token *kw)
{
	memset(d, 0, sizeof(*d));
	d->where = (struct rg_pos){kw->line, kw->col};
}

static void draft_free(struct parser *p, struct draft *d)
{
	for (size_t i = 0; i < d->routes.n; i++)
		attrset_unref(p->c->pool, d->routes.v[i]->attrs);
	route_list_free(&d->routes);
	free(d->nh);
	free(d->apis);
	free(d->inherits);
	d->nh = NULL;
	d->apis = NULL;
	d->inherits = NULL;
}

/* tcp-ao { }: keyid, algorithm and password are required (ExaBGP's
 * words), the key fits the kernel's 80 bytes, and RFC 5925 7.6 forbids
 * TCP MD5 on the same connection. */
static int tcp_ao_finish(struct parser *p, const struct draft *m, struct neighbor_conf *nc)
{
	static const struct { int opt; const char *name; } need[] = {
		{OPT_TCP_AO_KEYID, "keyid"}, {OPT_TCP_AO_ALGORITHM, "algorithm"}, {OPT_TCP_AO_PASSWORD, "password"}};
	char missing[64] = "";
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!(m->set & ((uint64_t)1 << need[i].opt)))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s", *missing ? ", " : "",
				 need[i].name);
	if (*missing)
		return perr(p, m->tcp_ao_at.line, m->tcp_ao_at.col, "incomplete tcp-ao, missing %s", missing);
	long len = nc->tcp_ao.base64 ? base64_decoded_len(nc->tcp_ao.password) : (long)strlen(nc->tcp_ao.password);
	struct rg_pos a = m->at[OPT_TCP_AO_PASSWORD];
	if (len < 0)
		return perr(p, a.line, a.col, "invalid base64 encoding of the tcp-ao password");
	if (len == 0 || len > TCP_AO_KEY_MAX)
		return perr(p, a.line, a.col, "tcp-ao password must be 1 to %d bytes", TCP_AO_KEY_MAX);
	if (nc->md5_password && *nc->md5_password)
		return perr(p, m->tcp_ao_at.line, m->tcp_ao_at.col,
			    "tcp-ao and md5-password cannot be used together (RFC 5925 7.6)");
	nc->tcp_ao.line = m->tcp_ao_at.line;
	return 0;
}

/* Adds what src says to dst: its options override dst's, its families,
 * add-path families, nexthops and api blocks are added, and its routes are
 * appended (move: src's routes are taken over; otherwise each gets a new
 * reference). */
static int merge(struct parser *p, struct draft *dst, struct draft *src, bool move)
{
	for (int o = 0; o < OPT_COUNT; o++) {
		if (src->set & ((uint64_t)1 << o)) {
			nb_copy(&dst->nc, &src->nc, o);
			dst->at[o] = src->at[o];
			dst->set |= (uint64_t)1 << o;
		}
	}
	dst->has_family |= src->has_family;
	dst->families |= src->families;
	if (src->tcp_ao_at.line)
		dst->tcp_ao_at = src->tcp_ao_at;
	dst->has_addpath |= src->has_addpath;
	dst->addpath |= src->addpath;
	for (int seq = 1; seq <= FAM_COUNT; seq++)
		for (int f = 0; f < FAM_COUNT; f++)
			if (src->paths_limit_seq[f] == seq)
				draft_set_paths_limit(dst, f, src->paths_limit[f]);
	dst->has_nexthop_block |= src->has_nexthop_block;
	for (int i = 0; i < src->nnh; i++)
		if (draft_push_nexthop(dst, &src->nh[i]) < 0)
			return perr(p, src->where.line, src->where.col, "out of memory");
	for (int i = 0; i < src->napis; i++)
		if (draft_push_api(p, dst, &src->apis[i]) < 0)
			return -1;
	for (int f = 0; f < FAM_COUNT; f++)
		if (src->fam_first[f].line && (move || !dst->fam_first[f].line))
			dst->fam_first[f] = src->fam_first[f];
	if (move && !dst->routes.n) {
		struct route_list tmp = dst->routes;
		dst->routes = src->routes;
		src->routes = tmp;
		return 0;
	}
	for (size_t i = 0; i < src->routes.n; i++) {
		struct route *r = src->routes.v[i];
		if (route_list_push(&dst->routes, r) < 0)
			return perr(p, src->where.line, src->where.col, "out of memory");
		if (!move)
			attrset_ref(r->attrs);
	}
	if (move)
		src->routes.n = 0;
	return 0;
}

static int has(const struct draft *d, int opt)
{
	return (d->set >> opt) & 1;
}

static struct rg_pos at_or(const struct draft *d, int opt)
{
	return has(d, opt) ? d->at[opt] : d->where;
}

static bool same_neighbor(const struct neighbor_conf *a, const struct neighbor_conf *b)
{
	if (memcmp(&a->peer_address, &b->peer_address, sizeof(a->peer_address)) ||
	    a->peer_prefix_len != b->peer_prefix_len)
		return false;
	if (a->listen_port || b->listen_port)
		return a->listen_port == b->listen_port;
	return a->local_address_auto == b->local_address_auto &&
	       !memcmp(&a->local_address, &b->local_address, sizeof(a->local_address)) &&
	       a->local_as == b->local_as && a->local_as_auto == b->local_as_auto && a->peer_as == b->peer_as &&
	       a->peer_as_auto == b->peer_as_auto && a->router_id == b->router_id;
}

/* The neighbors defined so far, by address (open addressing; slots
 * hold index + 1): the duplicate check stays linear in the number of
 * neighbors, for configurations of thousands of them. */
static size_t neighbor_slot(const struct neighbor_conf *n, size_t mask)
{
	/* struct ip_addr is bytes only (no padding): hashed whole. */
	uint32_t h = fnv1a(FNV1A_INIT, &n->peer_address, sizeof(n->peer_address));
	h = fnv1a(h, &n->peer_prefix_len, sizeof(n->peer_prefix_len));
	h = fnv1a(h, &n->listen_port, sizeof(n->listen_port));
	/* Without a listen port, neighbors differ by local address too (the
	 * same peer seen from several local addresses): hash what
	 * same_neighbor() compares, so equal neighbors share a chain. */
	if (!n->listen_port) {
		h = fnv1a(h, &n->local_address_auto, sizeof(n->local_address_auto));
		h = fnv1a(h, &n->local_address, sizeof(n->local_address));
	}
	return h & mask;
}

static const struct neighbor_conf *find_same_neighbor(const struct parser *p, const struct neighbor_conf *nc)
{
	if (!p->nbindex_cap)
		return NULL;
	size_t mask = p->nbindex_cap - 1;
	for (size_t i = neighbor_slot(nc, mask); p->nbindex[i]; i = (i + 1) & mask) {
		const struct neighbor_conf *o = p->c->neighbors[p->nbindex[i] - 1];
		if (same_neighbor(o, nc))
			return o;
	}
	return NULL;
}

static int index_neighbors(struct parser *p)
{
	const struct config *c = p->c;
	size_t cap = p->nbindex_cap;
	if ((size_t)c->nneighbors * 2 > cap) {
		cap = cap ? cap * 2 : 64;
		uint32_t *v = calloc(cap, sizeof(*v));
		if (!v)
			return -1;
		free(p->nbindex);
		p->nbindex = v;
		p->nbindex_cap = cap;
		for (int i = 0; i < c->nneighbors - 1; i++) {
			size_t j = neighbor_slot(c->neighbors[i], cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = (uint32_t)i + 1;
		}
	}
	size_t j = neighbor_slot(c->neighbors[c->nneighbors - 1], cap - 1);
	while (p->nbindex[j])
		j = (j + 1) & (cap - 1);
	p->nbindex[j] = (uint32_t)c->nneighbors;
	return 0;
}

/* The checks ExaBGP makes when a neighbor ends, then the neighbor goes into
 * the configuration. */
static int finish_neighbor(struct parser *p, struct draft *own)
{
	struct config *c = p->c;
	struct draft m;
	memset(&m, 0, sizeof(m));
	m.where = own->where;
	nb_defaults(&m.nc);
	int rc = -1;
	/* Templates first (a later one overrides an earlier one), then the
	 * neighbor's own settings, which win over every template. */
	for (int i = 0; i < own->ninherits; i++)
		if (merge(p, &m, own->inherits[i], false) < 0)
			goto out;
	if (merge(p, &m, own, true) < 0)
		goto out;
	struct neighbor_conf *nc = &m.nc;
	nc->name = own->nc.name;
	struct rg_pos w = m.where;

	if (!has(&m, OPT_LOCAL_ADDRESS)) {
		perr(p, w.line, w.col, "incomplete neighbor, missing local-address");
		goto out;
	}
	if (!has(&m, OPT_LOCAL_AS)) {
		perr(p, w.line, w.col, "incomplete neighbor, missing local-as");
		goto out;
	}
	if (!has(&m, OPT_PEER_AS)) {
		perr(p, w.line, w.col, "incomplete neighbor, missing peer-as");
		goto out;
	}
	bool mismatch = !nc->local_address_auto && nc->local_address.afi != nc->peer_address.afi;
	if (!nc->router_id) {
		if (nc->peer_address.afi == AFI_IPV4 && nc->local_address.afi == AFI_IPV4) {
			nc->router_id = get_u32(nc->local_address.addr);
		} else if (!mismatch) {
			perr(p, w.line, w.col, "missing router-id for the peer, it can not be set using the local-ip");
			goto out;
		}
	}
	if (mismatch) {
		struct rg_pos a = at_or(&m, OPT_LOCAL_ADDRESS);
		perr(p, a.line, a.col, "local-address and peer-address must be of the same family");
		goto out;
	}
	unsigned full = nc->peer_address.afi == AFI_IPV4 ? 32 : 128;
	if (nc->peer_prefix_len < full && !nc->passive) {
		struct rg_pos a = at_or(&m, OPT_PEER_ADDRESS);
		perr(p, a.line, a.col, "can only use ip ranges for the peer address with passive neighbors");
		goto out;
	}
	const struct neighbor_conf *first = find_same_neighbor(p, nc);
	if (first) {
		char ip[64];
		/* both places, each as file:line (an include may hold the first) */
		perr(p, w.line, w.col, "neighbor %s already defined at %s:%d", av_ip_format(&nc->peer_address, ip, sizeof(ip)),
		     first->file ? first->file : (p->file ? p->file : "-"), first->line);
		goto out;
	}
	if (nc->md5_password) {
		long len = (long)strlen(nc->md5_password);
		struct rg_pos a = at_or(&m, OPT_MD5_PASSWORD);
		if (nc->md5_base64 == TRI_TRUE && (len = base64_decoded_len(nc->md5_password)) < 0) {
			perr(p, a.line, a.col, "invalid base64 encoding of the MD5 password");
			goto out;
		}
		if (len > 80) {
			perr(p, a.line, a.col, "MD5 password must be no larger than 80 characters");
			goto out;
		}
	}
	if (m.tcp_ao_at.line && tcp_ao_finish(p, &m, nc) < 0)
		goto out;
	nc->families = m.has_family ? m.families : FAM_DEFAULT;
	for (int f = 0; f < FAM_COUNT; f++) {
		if (m.fam_first[f].line && f != FAM_IPV4_UNICAST && !(nc->families & FAM_BIT(f))) {
			perr(p, m.fam_first[f].line, m.fam_first[f].col,
			     "trying to announce a route of family %s %s, which is not in the neighbor's family block",
			     family_table[f].afi_name, family_table[f].safi_name);
			goto out;
		}
	}

	/* Values that depend on others. */
	if (nc->cap.graceful_restart == GR_FROM_HOLD_TIME)
		nc->cap.graceful_restart = nc->hold_time > 4095 ? 4095 : nc->hold_time;
	if (!has(&m, OPT_MD5_IP) && !nc->local_address_auto)
		nc->md5_ip = nc->local_address;
	if (nc->cap.add_path != ADDPATH_NONE) {
		nc->cap.add_path_families = m.has_addpath ? (m.addpath & nc->families) : nc->families;
		if (!nc->cap.add_path_families)
			nc->cap.add_path = ADDPATH_NONE;
	} else {
		nc->cap.add_path_families = 0;
	}
	/* ExaBGP 5 sends a family's PATHS-LIMIT when it receives ADD-PATH for it */
	memset(nc->cap.paths_limit, 0, sizeof(nc->cap.paths_limit));
	memset(nc->cap.paths_limit_seq, 0, sizeof(nc->cap.paths_limit_seq));
	for (int f = 0; f < FAM_COUNT; f++) {
		if (m.paths_limit[f] && (nc->cap.add_path & ADDPATH_RECEIVE) && (nc->cap.add_path_families & FAM_BIT(f))) {
			nc->cap.paths_limit[f] = m.paths_limit[f];
			nc->cap.paths_limit_seq[f] = m.paths_limit_seq[f];
		}
	}
	if (nc->cap.nexthop == TRI_UNSET)
		nc->cap.nexthop = m.nnh ? TRI_TRUE : TRI_FALSE;
	nc->nexthops = NULL;
	nc->nnexthops = 0;
	if (nc->cap.nexthop == TRI_TRUE && m.nnh) {
		nc->nexthops = arena_alloc(&c->arena, (size_t)m.nnh * sizeof(*nc->nexthops));
		if (!nc->nexthops)
			goto oom;
		for (int i = 0; i < m.nnh; i++) {
			/* As ExaBGP: kept only when both families are configured. */
			const struct family_def *fd = &family_table[m.nh[i].family];
			int other = family_find(m.nh[i].nh_afi, fd->safi);
			if (!(nc->families & FAM_BIT(m.nh[i].family)) || other < 0 || !(nc->families & FAM_BIT(other)))
				continue;
			nc->nexthops[nc->nnexthops++] = m.nh[i];
		}
	}
	nc->apis = NULL;
	nc->napis = m.napis;
	if (m.napis) {
		nc->apis = arena_alloc(&c->arena, (size_t)m.napis * sizeof(*nc->apis));
		if (!nc->apis)
			goto oom;
		memcpy(nc->apis, m.apis, (size_t)m.napis * sizeof(*nc->apis));
	}
	nc->file = p->file;
	nc->line = own->where.line;

	if (c->nneighbors == p->capneighbors) {
		int cap = p->capneighbors ? p->capneighbors * 2 : 8;
		struct neighbor_conf **v = realloc(c->neighbors, (size_t)cap * sizeof(*v));
		if (!v)
			goto oom;
		c->neighbors = v;
		p->capneighbors = cap;
	}
	struct neighbor_conf *final = arena_alloc(&c->arena, sizeof(*final));
	if (!final)
		goto oom;
	*final = *nc;
	final->routes = m.routes; /* the references move to the configuration */
	memset(&m.routes, 0, sizeof(m.routes));
	c->neighbors[c->nneighbors++] = final;
	if (index_neighbors(p) < 0)
		goto oom;
	rc = 0;
	goto out;
oom:
	perr(p, w.line, w.col, "out of memory");
out:
	draft_free(p, &m);
	return rc;
}

/* The body of a neighbor or template-neighbor block, up to its '}'. */
static int neighbor_body(struct parser *p, struct draft *d)
{
	p->rg.fam_first = d->fam_first;
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		if (end == TOK_LBRACE) {
			if (neighbor_section(p, d) < 0)
				return -1;
			p->rg.fam_first = d->fam_first;
		} else if (neighbor_option(p, d) < 0) {
			return -1;
		}
	}
}

static int parse_neighbor(struct parser *p)
{
	const struct token *kw = &p->st.v[0];
	struct draft d;
	draft_init(&d, kw);
	int rc = -1;
	if (p->st.n < 2) {
		perr_tok(p, kw, "neighbor needs an IP address");
		goto out;
	}
	if (p->st.n > 2) {
		perr_tok(p, &p->st.v[2], "unexpected \"%s\" after the neighbor address", token_describe(&p->st.v[2]));
		goto out;
	}
	const struct token *ip = &p->st.v[1];
	if (av_prefix(ip->s, false, &d.nc.peer_address, &d.nc.peer_prefix_len, p->rg.err.msg,
		      sizeof(p->rg.err.msg)) < 0) {
		perr_tok(p, ip, "\"%s\" is an invalid IP address", ip->s);
		goto out;
	}
	d.set |= (uint64_t)1 << OPT_PEER_ADDRESS;
	d.at[OPT_PEER_ADDRESS] = (struct rg_pos){ip->line, ip->col};
	d.nc.name = pstrdup(p, ip->s);
	if (neighbor_body(p, &d) < 0)
		goto out;
	rc = finish_neighbor(p, &d);
out:
	p->rg.fam_first = NULL;
	draft_free(p, &d);
	return rc;
}

static int valid_template_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int parse_template_neighbor(struct parser *p)
{
	const struct token kwcopy = p->st.v[0]; /* p->st is reused by the body */
	const struct token *kw = &kwcopy;
	if (p->st.n != 2)
		return perr_tok(p, p->st.n > 2 ? &p->st.v[2] : kw, "expecting \"neighbor NAME {\" in template");
	const struct token *nm = &p->st.v[1];
	if (!valid_template_name(nm->s))
		return perr_tok(p, nm, "invalid character in name for template-neighbor");
	for (int i = 0; i < p->ntemplates; i++)
		if (!strcmp(p->templates[i]->nc.name, nm->s))
			return perr_tok(p, nm, "the name \"%s\" already exists in template-neighbor", nm->s);
	struct draft *d = malloc(sizeof(*d));
	if (!d)
		return perr_tok(p, kw, "out of memory");
	draft_init(d, kw);
	d->is_template = true;
	d->nc.name = pstrdup(p, nm->s);
	int rc = neighbor_body(p, d);
	p->rg.fam_first = NULL;
	if (rc == 0 && d->ninherits) {
		/* A template inheriting others: fold them in now. */
		struct draft t;
		memset(&t, 0, sizeof(t));
		t.where = d->where;
		for (int i = 0; i < d->ninherits && rc == 0; i++)
			rc = merge(p, &t, d->inherits[i], false);
		if (rc == 0)
			rc = merge(p, &t, d, true);
		t.nc.name = d->nc.name;
		t.is_template = true;
		draft_free(p, d);
		*d = t;
	}
	if (rc == 0 && p->ntemplates == p->captemplates) {
		int cap = p->captemplates ? p->captemplates * 2 : 4;
		struct draft **v = realloc(p->templates, (size_t)cap * sizeof(*v));
		if (!v)
			rc = perr_tok(p, kw, "out of memory");
		else {
			p->templates = v;
			p->captemplates = cap;
		}
	}
	if (rc < 0) {
		draft_free(p, d);
		free(d);
		return -1;
	}
	p->templates[p->ntemplates++] = d;
	return 0;
}

static int parse_template(struct parser *p)
{
	if (p->st.n > 1)
		return perr_tok(p, &p->st.v[1], "unexpected \"%s\" after template", token_describe(&p->st.v[1]));
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			return 0;
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		if (end != TOK_LBRACE || kw->type != TOK_WORD || strcmp(kw->s, "neighbor"))
			return perr_tok(p, kw, "unexpected \"%s\" in template (expecting neighbor NAME { })",
					token_describe(kw));
		if (parse_template_neighbor(p) < 0)
			return -1;
	}
}

/* ------------------------------------------------------------ process */

/* Finds the program as ExaBGP does: absolute, else /etc/exabgp, the
 * configuration's directory, then $PATH.  Returns an arena string or NULL. */
static const char *find_program(struct parser *p, const char *prg)
{
	struct stat st;
	char path[4096];
	if (prg[0] == '/')
		return stat(prg, &st) == 0 ? prg : NULL;
	snprintf(path, sizeof(path), "/etc/exabgp/%s", prg);
	if (stat(path, &st) == 0)
		return pstrdup(p, path);
	if (p->dir[0])
		snprintf(path, sizeof(path), "%s/%s", p->dir, prg);
	else
		snprintf(path, sizeof(path), "%s", prg);
	if (stat(path, &st) == 0)
		return pstrdup(p, path);
	const char *env = getenv("PATH");
	if (!env || strchr(prg, '/'))
		return NULL;
	while (*env) {
		const char *colon = strchr(env, ':');
		size_t n = colon ? (size_t)(colon - env) : strlen(env);
		if (n) {
			snprintf(path, sizeof(path), "%.*s/%s", (int)n, env, prg);
			if (stat(path, &st) == 0)
				return pstrdup(p, path);
		}
		env += n + (colon ? 1 : 0);
	}
	return NULL;
}

static int process_run(struct parser *p, struct process_conf *pc, const struct token *kw)
{
	const struct token *w = p->st.v + 1;
	int n = p->st.n - 1;
	if (n < 1)
		return perr_tok(p, kw, "run needs a program");
	/* One argument per token, except that parentheses written against a
	 * word stay part of it (ExaBGP does not split on them). */
	const char **argv = arena_alloc(&p->c->arena, (size_t)(n + 1) * sizeof(char *));
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += w[i].len + 1;
	char *buf = arena_alloc(&p->c->arena, total + 1);
	char *run = arena_alloc(&p->c->arena, 2 * total + 1);
	if (!argv || !buf || !run)
		return perr_tok(p, kw, "out of memory");
	int argc = 0;
	char *q = buf;
	for (int i = 0; i < n; i++) {
		bool paren = w[i].type == TOK_LPAREN || w[i].type == TOK_RPAREN ||
			     (i && (w[i - 1].type == TOK_LPAREN || w[i - 1].type == TOK_RPAREN));
		if (i && (w[i].flags & TOKF_GLUED) && paren && w[i].type != TOK_STRING &&
		    w[i - 1].type != TOK_STRING) {
			q--; /* continue the previous argument */
		} else {
			argv[argc++] = q;
		}
		memcpy(q, w[i].s, w[i].len);
		q += w[i].len;
		*q++ = '\0';
	}
	argv[argc] = NULL;
	/* The command line for messages: arguments with blanks or quotes are
	 * written back in double quotes. */
	char *r = run;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool quote = !*a || strpbrk(a, " \t\"'\\");
		if (i)
			*r++ = ' ';
		if (quote)
			*r++ = '"';
		for (; *a; a++) {
			if (quote && (*a == '"' || *a == '\\'))
				*r++ = '\\';
			*r++ = *a;
		}
		if (quote)
			*r++ = '"';
	}
	*r = '\0';
	const char *prg = find_program(p, argv[0]);
	if (!prg)
		return perr_tok(p, &w[0], "can not locate the program \"%s\"", argv[0]);
	struct stat st;
	if (stat(prg, &st) < 0)
		return perr_tok(p, &w[0], "can not locate the program \"%s\"", prg);
	if (S_ISDIR(st.st_mode))
		return perr_tok(p, &w[0], "can not execute directories \"%s\"", prg);
	if (st.st_mode & S_ISUID)
		return perr_tok(p, &w[0], "refusing to run setuid programs \"%s\"", prg);
	if (access(prg, X_OK) < 0)
		return perr_tok(p, &w[0], "the program \"%s\" is not executable", prg);
	argv[0] = prg;
	pc->run = run;
	pc->argv = argv;
	return 0;
}

/* nats URL; subject S; stream NAME; (issue 15, docs/fleet.md).  A subject
 * is dot-separated tokens of letters, digits, '_' and '-' (no NATS
 * wildcards: it is published to); a stream name has no dot either. */
static int process_nats(struct parser *p, struct process_conf *pc, const struct token *k, const char *what)
{
	const struct token *v = one_value(p, k, p->st.v + 1, p->st.n - 1);
	if (!v)
		return -1;
	size_t n = strlen(v->s);
	if (!strcmp(what, "nats")) {
		if (strncmp(v->s, "nats://", 7) && strncmp(v->s, "tls://", 6))
			return perr_tok(p, v, "\"%s\" is not a NATS URL (nats://host:port or tls://host:port)", v->s);
		pc->nats_url = pstrdup(p, v->s);
		return 0;
	}
	bool subject = !strcmp(what, "subject");
	bool ok = n > 0 && n <= 200 && v->s[0] != '.' && v->s[n - 1] != '.';
	for (size_t i = 0; ok && i < n; i++) {
		char c = v->s[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		     (subject && c == '.' && v->s[i + 1] != '.');
	}
	if (!ok)
		return perr_tok(p, v, "\"%s\" is not a valid %s (letters, digits, _ and -%s; at most 200)", v->s,
				subject ? "subject" : "stream name", subject ? ", tokens separated by dots" : "");
	if (subject)
		pc->nats_subject = pstrdup(p, v->s);
	else
		pc->nats_stream = pstrdup(p, v->s);
	return 0;
}

static int parse_process(struct parser *p)
{
	struct config *c = p->c;
	const struct token *kw = &p->st.v[0];
	if (p->st.n != 2)
		return perr_tok(p, p->st.n > 2 ? &p->st.v[2] : kw, "expecting \"process NAME {\"");
	const struct token *nm = &p->st.v[1];
	for (int i = 0; i < c->nprocesses; i++)
		if (!strcmp(c->processes[i]->name, nm->s))
			return perr_tok(p, nm, "a process section called \"%s\" already exists", nm->s);
	struct process_conf *pc = arena_alloc(&c->arena, sizeof(*pc));
	if (!pc)
		return perr_tok(p, kw, "out of memory");
	memset(pc, 0, sizeof(*pc));
	pc->name = pstrdup(p, nm->s);
	pc->encoder = ENCODER_JSON;
	pc->respawn = true;
	pc->file = p->file;
	pc->line = kw->line;
	struct token where = *kw;
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_RBRACE || end == TOK_EOF)
			break;
		if (!p->st.n)
			continue;
		const struct token *k = &p->st.v[0];
		const char *s = k->type == TOK_WORD ? k->s : "";
		if (end == TOK_LBRACE)
			return perr_tok(p, k, "unexpected section \"%s\" in process", token_describe(k));
		if (!strcmp(s, "run")) {
			if (process_run(p, pc, k) < 0)
				return -1;
		} else if (!strcmp(s, "encoder")) {
			const struct token *v = one_value(p, k, p->st.v + 1, p->st.n - 1);
			if (!v)
				return -1;
			if (!strcmp(v->s, "json"))
				pc->encoder = ENCODER_JSON;
			else if (!strcmp(v->s, "text"))
				pc->encoder = ENCODER_TEXT;
			else
				return perr_tok(p, v, "\"%s\" is an invalid encoder (text or json)", v->s);
			pc->encoder_given = true;
		} else if (!strcmp(s, "nats") || !strcmp(s, "subject") || !strcmp(s, "stream")) {
			if (process_nats(p, pc, k, s) < 0)
				return -1;
		} else if (!strcmp(s, "respawn")) {
			int b = bool_value(p, k, p->st.v + 1, p->st.n - 1, true);
			if (b < 0)
				return -1;
			pc->respawn = b;
		} else {
			return perr_tok(p, k, "unknown process option \"%s\"", token_describe(k));
		}
	}
	if (pc->run && pc->nats_url)
		return perr_tok(p, &where, "process %s has both run and nats: one transport only", pc->name);
	if (!pc->run && !pc->nats_url)
		return perr_tok(p, &where, "process %s has no run command", pc->name);
	if (pc->nats_url && !pc->nats_subject)
		return perr_tok(p, &where, "process %s uses nats but has no subject", pc->name);
	if (!pc->nats_url && (pc->nats_subject || pc->nats_stream))
		return perr_tok(p, &where, "process %s: subject and stream need nats URL", pc->name);
	if (c->nprocesses == p->capprocesses) {
		int cap = p->capprocesses ? p->capprocesses * 2 : 4;
		struct process_conf **v = realloc(c->processes, (size_t)cap * sizeof(*v));
		if (!v)
			return perr_tok(p, &where, "out of memory");
		c->processes = v;
		p->capprocesses = cap;
	}
	c->processes[c->nprocesses++] = pc;
	return 0;
}

/* ------------------------------------------------------------ top level */

static int parse_root(struct parser *p)
{
	for (;;) {
		int end = read_stmt(p);
		if (end < 0)
			return -1;
		if (end == TOK_EOF)
			return 0;
		if (end == TOK_RBRACE)
			return perr_tok(p, &p->end, "unexpected '}' (no section to close)");
		if (!p->st.n)
			continue;
		const struct token *kw = &p->st.v[0];
		const char *s = kw->type == TOK_WORD ? kw->s : "";
		if (end == TOK_SEMI)
			return perr_tok(p, kw, "unknown keyword \"%s\" (expecting process, template or neighbor)",
					token_describe(kw));
		int rc;
		if (!strcmp(s, "neighbor"))
			rc = parse_neighbor(p);
		else if (!strcmp(s, "process"))
			rc = parse_process(p);
		else if (!strcmp(s, "template"))
			rc = parse_template(p);
		else
			return perr_tok(p, kw, "unknown section \"%s\" (expecting process, template or neighbor)",
					token_describe(kw));
		if (rc < 0)
			return -1;
	}
}

static int check_processes(struct parser *p)
{
	for (int i = 0; i < p->nrefs; i++) {
		int found = 0;
		for (int j = 0; j < p->c->nprocesses && !found; j++)
			found = !strcmp(p->c->processes[j]->name, p->refs[i].name);
		if (!found)
			return perr(p, p->refs[i].at.line, p->refs[i].at.col,
				    "the api uses process \"%s\", which is not defined", p->refs[i].name);
	}
	return 0;
}

/* Parses what lx yields; lx is taken over (and freed for a file lexer). */
static int load_lexed(struct config *c, const char *name, const char *dir, const struct lexer *lx, bool refuse_empty,
		      char *err, size_t errlen)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.err = err;
	p.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	p.file = arena_strdup(&c->arena, name);
	p.dir = arena_strdup(&c->arena, dir);
	rg_init(&p.rg, c->pool, &c->arena);
	p.lx = *lx;
	int rc = -1;
	if (!p.file || !p.dir)
		perr(&p, 1, 1, "out of memory");
	else if (parse_root(&p) == 0)
		rc = check_processes(&p);
	/* A file caught empty mid-write must not stop every session (a reload
	 * would take it as "no neighbor"); ExaBGP refuses it too ("no data"). */
	if (rc == 0 && refuse_empty && !c->nneighbors && !c->nprocesses && !p.ntemplates && !p.lx.empty_on_purpose)
		rc = perr(&p, 1, 1,
			  "the configuration is empty (no neighbor, process or template): refused; a file meant to "
			  "be empty says so with a line \"# empty on purpose\"");
	for (int i = 0; i < p.ntemplates; i++) {
		draft_free(&p, p.templates[i]);
		free(p.templates[i]);
	}
	free(p.templates);
	free(p.refs);
	free(p.nbindex);
	tokvec_free(&p.st);
	rg_free(&p.rg);
	lexer_free(&p.lx);
	if (rc < 0) {
		config_free(c);
		config_init(c);
	}
	return rc;
}

int config_load_string(struct config *c, const char *name, const char *text, char *err, size_t errlen)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1);
	if (!buf) {
		snprintf(err, errlen, "%s:1:1: out of memory", name);
		return -1;
	}
	memcpy(buf, text, len + 1);
	struct lexer lx;
	lexer_init(&lx, buf, len);
	int rc = load_lexed(c, name, "", &lx, false, err, errlen);
	free(buf);
	return rc;
}

int config_load_chunked(struct config *c, const char *path, size_t chunk, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s:1:1: can not open the configuration (%s)", path, strerror(errno));
		return -1;
	}
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (slash && (size_t)(slash - path) < sizeof(dir)) {
		size_t n = slash == path ? 1 : (size_t)(slash - path);
		memcpy(dir, path, n);
		dir[n] = '\0';
	} else {
		dir[0] = '\0';
	}
	/* Read in windows, not whole: peak memory is the routes, not the text. */
	struct lexer lx;
	lexer_init_file(&lx, f, chunk);
	int rc = load_lexed(c, path, dir, &lx, true, err, errlen);
	fclose(f);
	return rc;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	return config_load_chunked(c, path, CONFIG_READ_CHUNK, err, errlen);
}
