/* Helper command parser (see command.h). */
#include "api/command.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/command_int.h"
#include "api/fmt.h"

const char *api_command_name(enum api_cmd_kind k)
{
	return k > API_CMD_NONE && k < API_CMD_COUNT && api_cmd_defs[k].name ? api_cmd_defs[k].name : "";
}

void api_command_init(struct api_command *c)
{
	memset(c, 0, sizeof(*c));
	c->text = c->name = c->filter = c->watchdog = "";
}

void api_command_free(struct api_command *c)
{
	free(c->sel.v);
	free(c->buf);
	free(c->line);
	api_command_init(c);
}

static bool is_strip_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* The characters the normal form puts blanks around, and tabs. */
static const uint8_t norm_special[256] = {
	['\t'] = 1, ['['] = 1, ['('] = 1, [']'] = 1, [')'] = 1, [','] = 1,
};

/* The check of one special character (tab, brackets, parentheses, comma)
 * at s[i] of the text s[0..n): does the normal form keep it as it is? */
static bool special_is_normal(const char *s, size_t n, size_t i)
{
	char ch = s[i];
	bool before = i > 0 && s[i - 1] == ' ', after = i + 1 < n && s[i + 1] == ' ';
	if (ch == '[' || ch == '(')
		return after;
	if (ch == ']' || ch == ')')
		return before;
	if (ch == ',')
		return before && after;
	return false; /* a tab becomes a blank */
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101ull
#define LOW7 0x7F7F7F7F7F7F7F7Full

/* 0x80 in every byte of x equal to c, 0 elsewhere (exact: no borrow
 * crosses bytes). */
static inline uint64_t bytes_eq(uint64_t x, unsigned char c)
{
	uint64_t t = x ^ (ONES * c);
	return ~(((t & LOW7) + LOW7) | t | LOW7);
}
#endif

/* True when the (trimmed, non-empty) text s[0..n) is already in normal
 * form, i.e. the normalising loop below would copy it unchanged: no tab, no
 * double blank, "[" "(" followed by a blank, "]" ")" preceded by one, ","
 * between blanks.  Helpers that generate their commands write them this
 * way, and one read-only pass is much cheaper than the character-by-
 * character rewrite.  Eight characters are checked at a time (blanks and
 * special characters found with word operations); the few special
 * characters found are then checked one by one. */
static bool is_normal(const char *s, size_t n)
{
	size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t prev_blank = 0; /* 0x80 when the byte before this word is a blank */
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t blank = bytes_eq(x, ' ');
		if ((blank & ((blank << 8) | prev_blank)) != 0)
			return false; /* a double blank */
		prev_blank = blank >> 56;
		uint64_t special = bytes_eq(x, '[') | bytes_eq(x, ']') | bytes_eq(x, '(') | bytes_eq(x, ')') |
				   bytes_eq(x, ',') | bytes_eq(x, '\t');
		while (special) {
			size_t at = i + (size_t)__builtin_ctzll(special) / 8;
			if (!special_is_normal(s, n, at))
				return false;
			special &= special - 1;
		}
	}
#endif
	for (; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == ' ' && i > 0 && s[i - 1] == ' ')
			return false;
		if (norm_special[ch] && !special_is_normal(s, n, i))
			return false;
	}
	return true;
}

size_t api_normalise(const char *line, size_t len, char *out, size_t outlen)
{
	size_t b = 0, e = len;
	while (b < e && is_strip_space((unsigned char)line[b]))
		b++;
	while (e > b && is_strip_space((unsigned char)line[e - 1]))
		e--;
	if (outlen && e > b && e - b < outlen && is_normal(line + b, e - b)) {
		memcpy(out, line + b, e - b);
		out[e - b] = '\0';
		return e - b;
	}
	return api_normalise_rewrite(line, len, out, outlen);
}

size_t api_normalise_rewrite(const char *line, size_t len, char *out, size_t outlen)
{
	size_t b = 0, e = len;
	while (b < e && is_strip_space((unsigned char)line[b]))
		b++;
	while (e > b && is_strip_space((unsigned char)line[e - 1]))
		e--;
	size_t o = 0;
	if (!outlen)
		return 0;
#define PUT(ch)                                         \
	do {                                            \
		char c_ = (ch);                         \
		if (c_ == ' ' && o && out[o - 1] == ' ') \
			break;                          \
		if (o + 1 < outlen)                     \
			out[o++] = c_;                  \
	} while (0)
	for (size_t i = b; i < e; i++) {
		char ch = line[i];
		switch (ch) {
		case '\t':
			PUT(' ');
			break;
		case ']':
		case ')':
			PUT(' ');
			PUT(ch);
			break;
		case '[':
		case '(':
			PUT(ch);
			PUT(' ');
			break;
		case ',':
			PUT(' ');
			PUT(',');
			PUT(' ');
			break;
		default:
			PUT(ch);
		}
	}
#undef PUT
	out[o] = '\0';
	return o;
}

/* ---- words of the normalised line ---------------------------------------- */

bool cmd_word(struct words *ws, const char **w, size_t *n)
{
	char *p = ws->p;
	while (*p == ' ')
		p++;
	if (!*p) {
		ws->p = p;
		return false;
	}
	char *e = strchr(p, ' ');
	if (!e)
		e = p + strlen(p);
	*w = p;
	*n = (size_t)(e - p);
	ws->p = *e ? e + 1 : e;
	return true;
}

bool cmd_peek(struct words *ws, const char **w, size_t *n)
{
	struct words save = *ws;
	return cmd_word(&save, w, n);
}

bool cmd_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

const char *cmd_rest(struct words *ws)
{
	while (*ws->p == ' ')
		ws->p++;
	return ws->p;
}

int cmd_fail(struct api_command *c, const char *fmt, const char *w, size_t n)
{
	snprintf(c->err, sizeof(c->err), fmt, (int)n, w);
	c->kind = API_CMD_NONE;
	return -1;
}

static bool parse_ip(const char *w, size_t n, struct ip_addr *ip)
{
	char tmp[64];
	if (n >= sizeof(tmp))
		return false;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, tmp, ip->addr) == 1) {
		ip->afi = AFI_IPV4;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, ip->addr) == 1) {
		ip->afi = AFI_IPV6;
		return true;
	}
	return false;
}

bool cmd_parse_u32(const char *w, size_t n, uint32_t *v)
{
	if (!n || n > 10)
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(w[i] - '0');
	}
	if (x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

static bool ip_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	int len = afi_addr_len(a->afi);
	return a->afi && a->afi == b->afi && !memcmp(a->addr, b->addr, (size_t)len);
}

static struct api_sel_clause *new_clause(struct api_selector *s)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 4;
		struct api_sel_clause *v = realloc(s->v, ncap * sizeof(*v));
		if (!v)
			return NULL;
		s->v = v;
		s->cap = ncap;
	}
	struct api_sel_clause *cl = &s->v[s->n++];
	memset(cl, 0, sizeof(*cl));
	return cl;
}

/* key value: stores it in the clause; -1 when the value is not valid */
static int clause_set(struct api_sel_clause *cl, const char *k, size_t kn, const char *v, size_t vn)
{
	if (cmd_is(k, kn, "neighbor")) {
		struct ip_addr ip;
		memset(&ip, 0, sizeof(ip));
		bool any = cmd_is(v, vn, "*");
		if (!any && !parse_ip(v, vn, &ip)) {
			/* not an address: never matches (ExaBGP compares text) */
			memset(&ip, 0, sizeof(ip));
			if (vn >= sizeof(cl->peer_text))
				vn = sizeof(cl->peer_text) - 1;
		}
		if (cl->has_peer && (cl->any_peer != any || (!any && !ip_equal(&cl->peer, &ip))))
			cl->conflict = true;
		cl->has_peer = true;
		cl->any_peer = any;
		cl->peer = ip;
		snprintf(cl->peer_text, sizeof(cl->peer_text), "%.*s", (int)vn, v);
		return 0;
	}
	if (cmd_is(k, kn, "local-ip")) {
		struct ip_addr ip;
		if (!parse_ip(v, vn, &ip))
			return -1;
		if (cl->has_local_ip && !ip_equal(&cl->local_ip, &ip))
			cl->conflict = true;
		cl->has_local_ip = true;
		cl->local_ip = ip;
		return 0;
	}
	if (cmd_is(k, kn, "local-as") || cmd_is(k, kn, "peer-as")) {
		uint32_t as;
		if (!cmd_parse_u32(v, vn, &as))
			return -1;
		bool local = k[0] == 'l';
		bool *has = local ? &cl->has_local_as : &cl->has_peer_as;
		uint32_t *slot = local ? &cl->local_as : &cl->peer_as;
		if (*has && *slot != as)
			cl->conflict = true;
		*has = true;
		*slot = as;
		return 0;
	}
	if (cmd_is(k, kn, "router-id")) {
		struct ip_addr ip;
		if (!parse_ip(v, vn, &ip) || ip.afi != AFI_IPV4)
			return -1;
		uint32_t id = get_u32(ip.addr);
		if (cl->has_router_id && cl->router_id != id)
			cl->conflict = true;
		cl->has_router_id = true;
		cl->router_id = id;
		return 0;
	}
	if (cmd_is(k, kn, "family-allowed")) {
		if (vn >= sizeof(cl->family_allowed))
			return -1;
		if (cl->family_allowed[0] && (strlen(cl->family_allowed) != vn || memcmp(cl->family_allowed, v, vn)))
			cl->conflict = true;
		memcpy(cl->family_allowed, v, vn);
		cl->family_allowed[vn] = '\0';
		return 0;
	}
	return -1;
}

static bool is_sel_key(const char *w, size_t n)
{
	return cmd_is(w, n, "neighbor") || cmd_is(w, n, "local-ip") || cmd_is(w, n, "local-as") || cmd_is(w, n, "peer-as") ||
	       cmd_is(w, n, "router-id") || cmd_is(w, n, "family-allowed");
}

/* After the first "neighbor" word: the clauses, up to the command. */
static int parse_selector(struct api_command *c, struct words *ws)
{
	struct api_sel_clause *cl = new_clause(&c->sel);
	const char *k = "neighbor", *w;
	size_t kn = 8, n;
	if (!cl)
		return cmd_fail(c, "out of memory%.*s", "", 0);
	for (;;) {
		const char *v;
		size_t vn;
		if (!cmd_word(ws, &v, &vn))
			return cmd_fail(c, "no value for %.*s in the neighbor selector", k, kn);
		if (clause_set(cl, k, kn, v, vn) < 0)
			return cmd_fail(c, "invalid value '%.*s' in the neighbor selector", v, vn);
		if (!cmd_peek(ws, &w, &n))
			return cmd_fail(c, "no command after the neighbor selector%.*s", "", 0);
		if (cmd_is(w, n, ",")) {
			cmd_word(ws, &w, &n);
			if (!(cl = new_clause(&c->sel)))
				return cmd_fail(c, "out of memory%.*s", "", 0);
			if (!cmd_word(ws, &k, &kn) || !is_sel_key(k, kn))
				return cmd_fail(c, "a selector clause is expected after ',' %.*s", "", 0);
			continue;
		}
		if (!is_sel_key(w, n))
			return 0;
		cmd_word(ws, &k, &kn);
	}
}

int cmd_parse_family(struct api_command *c, struct words *ws, bool optional)
{
	const char *a, *s, *x;
	size_t an, sn, xn;
	bool ha = cmd_word(ws, &a, &an);
	if (!ha) {
		if (optional) {
			c->has_family = false;
			c->afi = AFI_IPV4;
			c->safi = SAFI_UNICAST;
			return 0;
		}
		return cmd_fail(c, "an address family is required%.*s", "", 0);
	}
	if (!cmd_word(ws, &s, &sn) || cmd_word(ws, &x, &xn))
		return cmd_fail(c, "an address family is two words (afi safi)%.*s", "", 0);
	char afi[32], safi[32];
	if (an >= sizeof(afi) || sn >= sizeof(safi))
		return cmd_fail(c, "unknown address family%.*s", "", 0);
	memcpy(afi, a, an);
	afi[an] = '\0';
	memcpy(safi, s, sn);
	safi[sn] = '\0';
	int av = fmt_afi_value(afi), sv = fmt_safi_value(safi);
	if (av < 0)
		return cmd_fail(c, "unknown afi '%.*s'", a, an);
	if (sv < 0)
		return cmd_fail(c, "unknown safi '%.*s'", s, sn);
	c->has_family = true;
	c->afi = (uint16_t)av;
	c->safi = (uint8_t)sv;
	return 0;
}

/* The raw form of route commands (see command.h): 0 when line is one. */
static int parse_raw_route(struct api_command *c, const char *line, size_t len)
{
	static const size_t n = sizeof("announce route ") - 1;
	bool announce;
	if (len < n)
		return -1;
	if (!memcmp(line, "announce route ", n))
		announce = true;
	else if (!memcmp(line, "withdraw route ", n))
		announce = false;
	else
		return -1;
	if (c->line_cap < len + 1) {
		char *b = realloc(c->line, len + 1);
		if (!b)
			return -1; /* the usual way, then */
		c->line = b;
		c->line_cap = len + 1;
	}
	memcpy(c->line, line, len);
	c->line[len] = '\0';
	c->line_len = len;
	c->kind = announce ? API_CMD_ANNOUNCE_ROUTE : API_CMD_WITHDRAW_ROUTE;
	c->text = c->line + n;
	c->raw = true;
	c->name = api_command_name(c->kind);
	return 0;
}

static int parse_line(struct api_command *c, const char *line, size_t len, bool allow_raw);

int api_command_parse(struct api_command *c, const char *line, size_t len)
{
	return parse_line(c, line, len, true);
}

int api_command_normalise(struct api_command *c)
{
	if (!c->raw)
		return 0;
	return parse_line(c, c->line, c->line_len, false);
}

/* The line at ws starts with the words of spelling: takes them. */
static bool take_spelling(struct words *ws, const char *spelling)
{
	struct words at = *ws;
	const char *s = spelling;
	while (*s) {
		const char *e = strchr(s, ' ');
		size_t sn = e ? (size_t)(e - s) : strlen(s);
		const char *w;
		size_t n;
		if (!cmd_word(&at, &w, &n) || n != sn || memcmp(w, s, n))
			return false;
		s += sn;
		while (*s == ' ')
			s++;
	}
	*ws = at;
	return true;
}

/* The first word starts some command's name ("announce", "show", ...). */
static bool is_command_group(const char *w, size_t n)
{
	for (int k = API_CMD_NONE + 1; k < API_CMD_COUNT; k++) {
		const char *name = api_cmd_defs[k].name;
		if (name && !strncmp(name, w, n) && name[n] == ' ')
			return true;
	}
	return false;
}

/* The command at ws, by the table (command_int.h); its arguments by its
 * parser.  Comments ("#..." with or without a blank) are found before. */
static int parse_command(struct api_command *c, struct words *ws)
{
	for (int k = API_CMD_NONE + 1; k < API_CMD_COUNT; k++) {
		const struct api_cmd_def *d = &api_cmd_defs[k];
		if (k == API_CMD_COMMENT)
			continue; /* "#" starts a line only (found before) */
		for (size_t i = 0; i < sizeof(d->words) / sizeof(d->words[0]); i++) {
			const char *spelling = d->words[i] ? d->words[i] : i == 0 ? d->name : NULL;
			if (!spelling)
				break;
			if (!take_spelling(ws, spelling))
				continue;
			c->kind = (enum api_cmd_kind)k;
			return d->parse ? d->parse(c, ws, spelling) : 0;
		}
	}
	const char *w, *x;
	size_t n, xn;
	if (!cmd_word(ws, &w, &n))
		return cmd_fail(c, "no command%.*s", "", 0);
	if (!is_command_group(w, n))
		return cmd_fail(c, "unknown command '%.*s'", w, n);
	if (!cmd_word(ws, &x, &xn))
		return cmd_fail(c, "incomplete command '%.*s'", w, n);
	return cmd_fail(c, "unknown command '%.*s'", w, (size_t)(x + xn - w));
}

static int parse_line(struct api_command *c, const char *line, size_t len, bool allow_raw)
{
	c->kind = API_CMD_NONE;
	c->sel.n = 0;
	c->text = c->filter = c->watchdog = "";
	c->has_family = false;
	c->afi = 0;
	c->safi = 0;
	c->cease_subcode = 0;
	c->show = API_SHOW_NONE;
	c->rib_in = c->extensive = false;
	c->rib_filter = API_RIB_ALL;
	c->err[0] = '\0';
	c->raw = false;
	if (allow_raw && parse_raw_route(c, line, len) == 0)
		return 0;
	size_t need = 3 * len + 2;
	if (c->cap < need) {
		char *b = realloc(c->buf, need);
		if (!b) {
			c->kind = API_CMD_NONE;
			snprintf(c->err, sizeof(c->err), "out of memory");
			return -1;
		}
		c->buf = b;
		c->cap = need;
	}
	size_t n = api_normalise(line, len, c->buf, c->cap);
	int rc = -1;
	if (!n) {
		rc = cmd_fail(c, "empty command%.*s", "", 0);
		goto out;
	}
	if (c->buf[0] == '#') {
		c->kind = API_CMD_COMMENT;
		c->text = c->buf + 1;
		while (*c->text == ' ')
			c->text++;
		rc = 0;
		goto out;
	}
	struct words ws = {c->buf};
	const char *w;
	size_t wn;
	if (!cmd_peek(&ws, &w, &wn)) {
		rc = cmd_fail(c, "empty command%.*s", "", 0);
		goto out;
	}
	if (cmd_is(w, wn, "neighbor")) {
		cmd_word(&ws, &w, &wn);
		if (parse_selector(c, &ws) < 0)
			goto out;
	}
	rc = parse_command(c, &ws);
out:
	c->name = api_command_name(c->kind);
	return rc;
}

/* ---- matching ----------------------------------------------------------- */

static bool clause_match(const struct api_sel_clause *cl, const struct api_peer_id *p)
{
	if (cl->conflict)
		return false;
	if (cl->has_peer && !cl->any_peer && !ip_equal(&cl->peer, &p->peer))
		return false;
	if (cl->has_local_ip && !ip_equal(&cl->local_ip, &p->local))
		return false;
	if (cl->has_local_as && (!p->local_as || cl->local_as != p->local_as))
		return false;
	if (cl->has_peer_as && (!p->peer_as || cl->peer_as != p->peer_as))
		return false;
	if (cl->has_router_id && cl->router_id != p->router_id)
		return false;
	if (cl->family_allowed[0] && strcmp(cl->family_allowed, p->family_allowed ? p->family_allowed : "in-open"))
		return false;
	return true;
}

bool api_selector_match(const struct api_selector *s, const struct api_peer_id *p)
{
	if (!s || !s->n)
		return true;
	for (size_t i = 0; i < s->n; i++)
		if (clause_match(&s->v[i], p))
			return true;
	return false;
}

static void ip_text(const struct ip_addr *ip, char *out, size_t outlen)
{
	if (ip->afi == AFI_IPV4)
		inet_ntop(AF_INET, ip->addr, out, (socklen_t)outlen);
	else if (ip->afi == AFI_IPV6)
		inet_ntop(AF_INET6, ip->addr, out, (socklen_t)outlen);
	else
		snprintf(out, outlen, "auto");
}

int api_peer_name(char *out, size_t outlen, const struct api_peer_id *p)
{
	char peer[64], local[64], la[16], pa[16], rid[16];
	ip_text(&p->peer, peer, sizeof(peer));
	ip_text(&p->local, local, sizeof(local));
	if (p->local_as)
		snprintf(la, sizeof(la), "%u", p->local_as);
	else
		snprintf(la, sizeof(la), "auto");
	if (p->peer_as)
		snprintf(pa, sizeof(pa), "%u", p->peer_as);
	else
		snprintf(pa, sizeof(pa), "auto");
	fmt_ipv4_host(rid, p->router_id);
	return snprintf(out, outlen, "neighbor %s local-ip %s local-as %s peer-as %s router-id %s family-allowed %s", peer,
			local, la, pa, rid, p->family_allowed ? p->family_allowed : "in-open");
}
