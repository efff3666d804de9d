/* Neighbor (and template) options and the family, capability, add-path,
 * nexthop and api sections. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/attr_values.h"
#include "config/parser_flow.h"
#include "config/parser_int.h"

static void mark(struct draft *d, int opt, const struct token *kw)
{
	d->set |= (uint64_t)1 << opt;
	d->at[opt] = (struct rg_pos){kw->line, kw->col};
}

#define OPT_ARGS struct parser *p, struct draft *d, const struct token *kw, const struct token *w, int n, int opt

static int opt_description(OPT_ARGS)
{
	if (n < 1)
		return perr_tok(p, kw, "description needs a value");
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		if (w[i].type != TOK_WORD && w[i].type != TOK_STRING)
			return perr_tok(p, &w[i], "unexpected %s in description", token_describe(&w[i]));
		len += w[i].len + 1;
	}
	char *s = arena_alloc(&p->c->arena, len);
	if (!s)
		return perr_tok(p, kw, "out of memory");
	char *q = s;
	for (int i = 0; i < n; i++) { /* unquoted words are joined with one space */
		if (i)
			*q++ = ' ';
		memcpy(q, w[i].s, w[i].len);
		q += w[i].len;
	}
	*q = '\0';
	d->nc.description = s;
	mark(d, opt, kw);
	return 0;
}

static int opt_router_id(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	uint8_t ip[4];
	if (!v)
		return -1;
	if (av_ipv4(v->s, ip) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid router-id", v->s);
	d->nc.router_id = get_u32(ip);
	mark(d, opt, kw);
	return 0;
}

static int ip_option(struct parser *p, const struct token *v, struct ip_addr *ip)
{
	if (av_ip(v->s, ip) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid IP address", v->s);
	return 0;
}

static int opt_local_address(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	memset(&d->nc.local_address, 0, sizeof(d->nc.local_address));
	d->nc.local_address_auto = !strcmp(v->s, "auto");
	if (!d->nc.local_address_auto && ip_option(p, v, &d->nc.local_address) < 0)
		return -1;
	mark(d, opt, kw);
	return 0;
}

static int opt_peer_address(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	if (av_prefix(v->s, false, &d->nc.peer_address, &d->nc.peer_prefix_len, p->rg.err.msg,
		      sizeof(p->rg.err.msg)) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid IP address", v->s);
	mark(d, opt, kw);
	return 0;
}

static int opt_as(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	bool is_auto = !strcmp(v->s, "auto");
	uint32_t asn = 0;
	if (!is_auto && av_asn(v->s, &asn) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid ASN", v->s);
	if (opt == OPT_LOCAL_AS) {
		d->nc.local_as = asn;
		d->nc.local_as_auto = is_auto;
	} else {
		d->nc.peer_as = asn;
		d->nc.peer_as_auto = is_auto;
	}
	mark(d, opt, kw);
	return 0;
}

static int opt_hold_time(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	uint64_t t;
	if (!v)
		return -1;
	if (av_uint(v->s, UINT64_MAX, &t) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid hold-time", v->s);
	if (t > 65535)
		return perr_tok(p, v, "holdtime must be smaller or equal to 65535");
	if (t == 1 || t == 2)
		return perr_tok(p, v, "holdtime must be zero or at least three seconds");
	d->nc.hold_time = (uint16_t)t;
	mark(d, opt, kw);
	return 0;
}

static int opt_port(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	uint64_t port;
	if (!v)
		return -1;
	if (av_uint(v->s, 65535, &port) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid port (0..65535)", v->s);
	if (opt == OPT_LISTEN)
		d->nc.listen_port = (uint16_t)port;
	else
		d->nc.connect_port = (uint16_t)port;
	mark(d, opt, kw);
	return 0;
}

static int opt_md5_password(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	if (!v->len)
		return perr_tok(p, v, "md5-password needs a value");
	d->nc.md5_password = pstrdup(p, v->s);
	mark(d, opt, kw);
	return 0;
}

static int opt_md5_base64(OPT_ARGS)
{
	if (n == 1 && !strcasecmp(w[0].s, "auto")) {
		d->nc.md5_base64 = TRI_UNSET;
	} else {
		int b = bool_value(p, kw, w, n, false);
		if (b < 0)
			return -1;
		d->nc.md5_base64 = b ? TRI_TRUE : TRI_FALSE;
	}
	mark(d, opt, kw);
	return 0;
}

static int opt_md5_ip(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v || ip_option(p, v, &d->nc.md5_ip) < 0)
		return -1;
	mark(d, opt, kw);
	return 0;
}

static int opt_ttl(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	uint64_t ttl;
	if (!v)
		return -1;
	if (av_bool(v->s) == 0) {
		ttl = 0;
	} else if (av_uint(v->s, UINT64_MAX, &ttl) < 0) {
		return perr_tok(p, v, "invalid ttl \"%s\" (a number or disable)", v->s);
	} else if (ttl > 255) {
		return perr_tok(p, v, "ttl must be smaller than 256");
	}
	if (opt == OPT_OUTGOING_TTL)
		d->nc.outgoing_ttl = (int)ttl;
	else
		d->nc.incoming_ttl = (int)ttl;
	mark(d, opt, kw);
	return 0;
}

/* Booleans and what a bare keyword means (ExaBGP's section defaults). */
static int opt_bool(OPT_ARGS)
{
	bool dflt = opt == OPT_PASSIVE || opt == OPT_GROUP_UPDATES || opt == OPT_AUTO_FLUSH;
	int b = bool_value(p, kw, w, n, dflt);
	if (b < 0)
		return -1;
	switch (opt) {
	case OPT_PASSIVE: d->nc.passive = b; break;
	case OPT_GROUP_UPDATES: d->nc.group_updates = b; break;
	case OPT_AUTO_FLUSH: d->nc.auto_flush = b; break;
	case OPT_ADJ_RIB_OUT: d->nc.adj_rib_out = b; break; /* bare adj-rib-out means false */
	case OPT_ADJ_RIB_IN: d->nc.adj_rib_in = b; break;   /* bare adj-rib-in means false */
	case OPT_MANUAL_EOR: d->nc.manual_eor = b; break;
	default: break;
	}
	mark(d, opt, kw);
	return 0;
}

static int valid_name_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
			return 0;
	return 1;
}

static int opt_host_domain(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	const char *s = v->s;
	size_t len = v->len;
	/* letters, digits, '.' and '-', starting and ending with a letter or digit */
	bool ok = len > 0 && len <= 255 && valid_name_chars(s) && !strstr(s, "..") &&
		  isalnum((unsigned char)s[0]) && isalnum((unsigned char)s[len - 1]);
	if (!ok)
		return perr_tok(p, v, "bad %s \"%s\"", kw->s, s);
	if (opt == OPT_HOST_NAME)
		d->nc.host_name = pstrdup(p, s);
	else
		d->nc.domain_name = pstrdup(p, s);
	mark(d, opt, kw);
	return 0;
}

static int opt_rate_limit(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	uint64_t rate;
	if (!v)
		return -1;
	if (!strcasecmp(v->s, "disable") || !strcasecmp(v->s, "disabled")) {
		rate = 0;
	} else if (av_uint(v->s, INT32_MAX, &rate) < 0) {
		return perr_tok(p, v, "\"%s\" is an invalid rate-limit", v->s);
	} else if (rate == 0) {
		return perr_tok(p, v, "rate-limit must be at least 1 (per second), or disable");
	}
	d->nc.rate_limit = (int)rate;
	mark(d, opt, kw);
	return 0;
}

static int add_inherit(struct parser *p, struct draft *d, const struct token *t)
{
	if (t->type != TOK_WORD && t->type != TOK_STRING)
		return perr_tok(p, t, "invalid inherit list: unexpected %s", token_describe(t));
	struct draft *tpl = NULL;
	for (int i = 0; i < p->ntemplates; i++)
		if (!strcmp(p->templates[i]->nc.name, t->s))
			tpl = p->templates[i];
	if (!tpl)
		return perr_tok(p, t, "unknown template \"%s\" (templates must be defined before use)", t->s);
	if (tpl == d)
		return perr_tok(p, t, "a template can not inherit itself");
	if (d->ninherits == d->capinherits) {
		int cap = d->capinherits ? d->capinherits * 2 : 4;
		struct draft **v = realloc(d->inherits, (size_t)cap * sizeof(*v));
		if (!v)
			return perr_tok(p, t, "out of memory");
		d->inherits = v;
		d->capinherits = cap;
	}
	d->inherits[d->ninherits++] = tpl;
	return 0;
}

static int opt_inherit(OPT_ARGS)
{
	(void)opt;
	if (n == 1)
		return add_inherit(p, d, &w[0]);
	if (n < 3 || w[0].type != TOK_LBRACKET || w[n - 1].type != TOK_RBRACKET)
		return perr_tok(p, n ? &w[0] : kw, "invalid inherit list (expecting NAME or [ NAME ... ])");
	for (int i = 1; i < n - 1; i++) {
		if (w[i].type == TOK_COMMA)
			continue;
		if (add_inherit(p, d, &w[i]) < 0)
			return -1;
	}
	return 0;
}

struct opt_def {
	const char *name;
	int opt;
	int (*fn)(OPT_ARGS);
};

static const struct opt_def options[] = {
	{"description", OPT_DESCRIPTION, opt_description},
	{"router-id", OPT_ROUTER_ID, opt_router_id},
	{"local-address", OPT_LOCAL_ADDRESS, opt_local_address},
	{"peer-address", OPT_PEER_ADDRESS, opt_peer_address},
	{"local-as", OPT_LOCAL_AS, opt_as},
	{"peer-as", OPT_PEER_AS, opt_as},
	{"hold-time", OPT_HOLD_TIME, opt_hold_time},
	{"passive", OPT_PASSIVE, opt_bool},
	{"listen", OPT_LISTEN, opt_port},
	{"connect", OPT_CONNECT, opt_port},
	{"md5-password", OPT_MD5_PASSWORD, opt_md5_password},
	{"md5-base64", OPT_MD5_BASE64, opt_md5_base64},
	{"md5-ip", OPT_MD5_IP, opt_md5_ip},
	{"outgoing-ttl", OPT_OUTGOING_TTL, opt_ttl},
	{"incoming-ttl", OPT_INCOMING_TTL, opt_ttl},
	{"group-updates", OPT_GROUP_UPDATES, opt_bool},
	{"auto-flush", OPT_AUTO_FLUSH, opt_bool},
	{"adj-rib-out", OPT_ADJ_RIB_OUT, opt_bool},
	{"adj-rib-in", OPT_ADJ_RIB_IN, opt_bool},
	{"manual-eor", OPT_MANUAL_EOR, opt_bool},
	{"host-name", OPT_HOST_NAME, opt_host_domain},
	{"domain-name", OPT_DOMAIN_NAME, opt_host_domain},
	{"rate-limit", OPT_RATE_LIMIT, opt_rate_limit},
	{"inherit", -1, opt_inherit},
};

int neighbor_option(struct parser *p, struct draft *d)
{
	const struct token *kw = &p->st.v[0];
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (kw->type == TOK_WORD && !strcmp(options[i].name, kw->s)) {
			return options[i].fn(p, d, kw, p->st.v + 1, p->st.n - 1, options[i].opt);
		}
	}
	if (kw->type == TOK_WORD && (!strcmp(kw->s, "route") || !strcmp(kw->s, "attributes")))
		return perr_tok(p, kw, "\"%s\" must be inside a static { } section", kw->s);
	return perr_tok(p, kw, "unknown neighbor option \"%s\"", token_describe(kw));
}

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
	struct draft *d = ud;
	const struct token *kw = &p->st.v[0], *w = p->st.v + 1;
	int n = p->st.n - 1;
	struct capability_conf *cap = &d->nc.cap;
	int opt, b;
	if (kw->type != TOK_WORD)
		return perr_tok(p, kw, "unexpected %s in capability", token_describe(kw));
	if (!strcmp(kw->s, "add-path")) {
		const struct token *v = one_value(p, kw, w, n);
		if (!v)
			return -1;
		if (!strcasecmp(v->s, "disable") || !strcasecmp(v->s, "disabled"))
			cap->add_path = ADDPATH_NONE;
		else if (!strcasecmp(v->s, "receive"))
			cap->add_path = ADDPATH_RECEIVE;
		else if (!strcasecmp(v->s, "send"))
			cap->add_path = ADDPATH_SEND;
		else if (!strcasecmp(v->s, "send/receive"))
			cap->add_path = ADDPATH_BOTH;
		else if (!strcasecmp(v->s, "receive/send"))
			return perr_tok(p, v, "the option is send/receive");
		else
			return perr_tok(p, v, "\"%s\" is an invalid add-path, options are: send, receive, send/receive",
					v->s);
		mark(d, OPT_CAP_ADD_PATH, kw);
		return 0;
	}
	if (!strcmp(kw->s, "graceful-restart")) {
		if (n == 0) {
			cap->graceful_restart = GR_FROM_HOLD_TIME;
		} else {
			const struct token *v = one_value(p, kw, w, n);
			uint64_t t;
			if (!v)
				return -1;
			if (av_bool(v->s) == 0)
				cap->graceful_restart = -1;
			else if (av_uint(v->s, UINT64_MAX, &t) < 0)
				return perr_tok(p, v, "\"%s\" is an invalid graceful-restart time", v->s);
			else if (t > 4095)
				return perr_tok(p, v, "graceful-restart must be smaller or equal to 4095");
			else
				cap->graceful_restart = t ? (int)t : GR_FROM_HOLD_TIME;
		}
		mark(d, OPT_CAP_GRACEFUL_RESTART, kw);
		return 0;
	}
	static const struct {
		const char *name;
		int opt;
	} bools[] = {
		{"asn4", OPT_CAP_ASN4},
		{"route-refresh", OPT_CAP_ROUTE_REFRESH},
		{"multi-session", OPT_CAP_MULTI_SESSION},
		{"operational", OPT_CAP_OPERATIONAL},
		{"aigp", OPT_CAP_AIGP},
		{"extended-message", OPT_CAP_EXTENDED_MESSAGE},
		{"nexthop", OPT_CAP_NEXTHOP},
	};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		if (strcmp(kw->s, bools[i].name))
			continue;
		opt = bools[i].opt;
		if ((b = bool_value(p, kw, w, n, true)) < 0)
			return -1;
		switch (opt) {
		case OPT_CAP_ASN4: cap->asn4 = b; break;
		case OPT_CAP_ROUTE_REFRESH: cap->route_refresh = b; break;
		case OPT_CAP_MULTI_SESSION: cap->multi_session = b; break;
		case OPT_CAP_OPERATIONAL: cap->operational = b; break;
		case OPT_CAP_AIGP: cap->aigp = b; break;
		case OPT_CAP_EXTENDED_MESSAGE: cap->extended_message = b; break;
		case OPT_CAP_NEXTHOP: cap->nexthop = b ? TRI_TRUE : TRI_FALSE; break;
		default: break;
		}
		mark(d, opt, kw);
		return 0;
	}
	return perr_tok(p, kw, "unknown capability \"%s\"", kw->s);
}

/* ------------------------------------------------------------ api */

struct api_state {
	struct api_conf api;
	const char **procs;
	int nprocs, capprocs;
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
	rc = draft_push_api(p, d, &as.api);
out:
	free(as.procs);
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
