/* Helper command parser (see command.h). */
#include "api/command.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fmt.h"

static const char *const cmd_names[API_CMD_COUNT] = {
	[API_CMD_NONE] = "",
	[API_CMD_COMMENT] = "#",
	[API_CMD_ANNOUNCE_ROUTE] = "announce route",
	[API_CMD_WITHDRAW_ROUTE] = "withdraw route",
	[API_CMD_ANNOUNCE_ATTRIBUTES] = "announce attributes",
	[API_CMD_WITHDRAW_ATTRIBUTES] = "withdraw attributes",
	[API_CMD_ANNOUNCE_FLOW] = "announce flow",
	[API_CMD_WITHDRAW_FLOW] = "withdraw flow",
	[API_CMD_ANNOUNCE_VPLS] = "announce vpls",
	[API_CMD_WITHDRAW_VPLS] = "withdraw vpls",
	[API_CMD_ANNOUNCE_IPV4] = "announce ipv4",
	[API_CMD_WITHDRAW_IPV4] = "withdraw ipv4",
	[API_CMD_ANNOUNCE_IPV6] = "announce ipv6",
	[API_CMD_WITHDRAW_IPV6] = "withdraw ipv6",
	[API_CMD_ANNOUNCE_EOR] = "announce eor",
	[API_CMD_ANNOUNCE_REFRESH] = "announce route-refresh",
	[API_CMD_ANNOUNCE_OPERATIONAL] = "announce operational",
	[API_CMD_ANNOUNCE_WATCHDOG] = "announce watchdog",
	[API_CMD_WITHDRAW_WATCHDOG] = "withdraw watchdog",
	[API_CMD_TEARDOWN] = "teardown",
	[API_CMD_SHOW_NEIGHBOR] = "show neighbor",
	[API_CMD_SHOW_ADJ_RIB] = "show adj-rib",
	[API_CMD_FLUSH_ADJ_RIB_OUT] = "flush adj-rib out",
	[API_CMD_CLEAR_ADJ_RIB] = "clear adj-rib",
	[API_CMD_SHUTDOWN] = "shutdown",
	[API_CMD_RELOAD] = "reload",
	[API_CMD_RESTART] = "restart",
	[API_CMD_VERSION] = "version",
	[API_CMD_HELP] = "help",
	[API_CMD_RESET] = "reset",
};

const char *api_command_name(enum api_cmd_kind k)
{
	return k >= 0 && k < API_CMD_COUNT && cmd_names[k] ? cmd_names[k] : "";
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

struct words {
	char *p; /* next word starts here (no leading space) */
};

/* Next word as (w, n); returns false at the end.  The line is not modified. */
static bool word(struct words *ws, const char **w, size_t *n)
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

static bool peek(struct words *ws, const char **w, size_t *n)
{
	struct words save = *ws;
	return word(&save, w, n);
}

static bool is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* The rest of the line (after the words taken), "" at the end. */
static const char *rest(struct words *ws)
{
	while (*ws->p == ' ')
		ws->p++;
	return ws->p;
}

static int fail(struct api_command *c, const char *fmt, const char *w, size_t n)
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

static bool parse_u32(const char *w, size_t n, uint32_t *v)
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
	if (is(k, kn, "neighbor")) {
		struct ip_addr ip;
		memset(&ip, 0, sizeof(ip));
		bool any = is(v, vn, "*");
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
	if (is(k, kn, "local-ip")) {
		struct ip_addr ip;
		if (!parse_ip(v, vn, &ip))
			return -1;
		if (cl->has_local_ip && !ip_equal(&cl->local_ip, &ip))
			cl->conflict = true;
		cl->has_local_ip = true;
		cl->local_ip = ip;
		return 0;
	}
	if (is(k, kn, "local-as") || is(k, kn, "peer-as")) {
		uint32_t as;
		if (!parse_u32(v, vn, &as))
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
	if (is(k, kn, "router-id")) {
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
	if (is(k, kn, "family-allowed")) {
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
	return is(w, n, "neighbor") || is(w, n, "local-ip") || is(w, n, "local-as") || is(w, n, "peer-as") ||
	       is(w, n, "router-id") || is(w, n, "family-allowed");
}

/* After the first "neighbor" word: the clauses, up to the command. */
static int parse_selector(struct api_command *c, struct words *ws)
{
	struct api_sel_clause *cl = new_clause(&c->sel);
	const char *k = "neighbor", *w;
	size_t kn = 8, n;
	if (!cl)
		return fail(c, "out of memory%.*s", "", 0);
	for (;;) {
		const char *v;
		size_t vn;
		if (!word(ws, &v, &vn))
			return fail(c, "no value for %.*s in the neighbor selector", k, kn);
		if (clause_set(cl, k, kn, v, vn) < 0)
			return fail(c, "invalid value '%.*s' in the neighbor selector", v, vn);
		if (!peek(ws, &w, &n))
			return fail(c, "no command after the neighbor selector%.*s", "", 0);
		if (is(w, n, ",")) {
			word(ws, &w, &n);
			if (!(cl = new_clause(&c->sel)))
				return fail(c, "out of memory%.*s", "", 0);
			if (!word(ws, &k, &kn) || !is_sel_key(k, kn))
				return fail(c, "a selector clause is expected after ',' %.*s", "", 0);
			continue;
		}
		if (!is_sel_key(w, n))
			return 0;
		word(ws, &k, &kn);
	}
}

static int parse_family_words(struct api_command *c, struct words *ws, bool optional)
{
	const char *a, *s, *x;
	size_t an, sn, xn;
	bool ha = word(ws, &a, &an);
	if (!ha) {
		if (optional) {
			c->has_family = false;
			c->afi = AFI_IPV4;
			c->safi = SAFI_UNICAST;
			return 0;
		}
		return fail(c, "an address family is required%.*s", "", 0);
	}
	if (!word(ws, &s, &sn) || word(ws, &x, &xn))
		return fail(c, "an address family is two words (afi safi)%.*s", "", 0);
	char afi[32], safi[32];
	if (an >= sizeof(afi) || sn >= sizeof(safi))
		return fail(c, "unknown address family%.*s", "", 0);
	memcpy(afi, a, an);
	afi[an] = '\0';
	memcpy(safi, s, sn);
	safi[sn] = '\0';
	int av = fmt_afi_value(afi), sv = fmt_safi_value(safi);
	if (av < 0)
		return fail(c, "unknown afi '%.*s'", a, an);
	if (sv < 0)
		return fail(c, "unknown safi '%.*s'", s, sn);
	c->has_family = true;
	c->afi = (uint16_t)av;
	c->safi = (uint8_t)sv;
	return 0;
}

static int parse_announce(struct api_command *c, struct words *ws, bool announce)
{
	const char *w;
	size_t n;
	if (!word(ws, &w, &n))
		return fail(c, "incomplete command%.*s", "", 0);
	if (is(w, n, "route")) {
		c->kind = announce ? API_CMD_ANNOUNCE_ROUTE : API_CMD_WITHDRAW_ROUTE;
		c->text = rest(ws);
		return 0;
	}
	if (is(w, n, "attributes") || (announce && is(w, n, "attribute"))) {
		c->kind = announce ? API_CMD_ANNOUNCE_ATTRIBUTES : API_CMD_WITHDRAW_ATTRIBUTES;
		c->text = rest(ws);
		return 0;
	}
	if (is(w, n, "flow")) {
		c->kind = announce ? API_CMD_ANNOUNCE_FLOW : API_CMD_WITHDRAW_FLOW;
		c->text = rest(ws);
		return 0;
	}
	if (is(w, n, "vpls")) {
		c->kind = announce ? API_CMD_ANNOUNCE_VPLS : API_CMD_WITHDRAW_VPLS;
		c->text = rest(ws);
		return 0;
	}
	if (is(w, n, "ipv4") || is(w, n, "ipv6")) {
		bool v4 = w[3] == '4';
		c->kind = v4 ? (announce ? API_CMD_ANNOUNCE_IPV4 : API_CMD_WITHDRAW_IPV4)
			     : (announce ? API_CMD_ANNOUNCE_IPV6 : API_CMD_WITHDRAW_IPV6);
		c->text = rest(ws);
		return 0;
	}
	if (is(w, n, "watchdog")) {
		c->kind = announce ? API_CMD_ANNOUNCE_WATCHDOG : API_CMD_WITHDRAW_WATCHDOG;
		const char *name;
		size_t nn;
		if (word(ws, &name, &nn)) {
			((char *)name)[nn] = '\0'; /* the last word we use: terminate it */
			c->watchdog = name;
		}
		return 0;
	}
	if (announce && is(w, n, "eor")) {
		c->kind = API_CMD_ANNOUNCE_EOR;
		return parse_family_words(c, ws, true);
	}
	if (announce && is(w, n, "route-refresh")) {
		c->kind = API_CMD_ANNOUNCE_REFRESH;
		return parse_family_words(c, ws, false);
	}
	if (announce && is(w, n, "operational")) {
		c->kind = API_CMD_ANNOUNCE_OPERATIONAL;
		c->text = rest(ws);
		return 0;
	}
	return fail(c, "unknown command '%.*s'", w, n);
}

static int parse_show(struct api_command *c, struct words *ws)
{
	const char *w;
	size_t n;
	if (!word(ws, &w, &n))
		return fail(c, "show what?%.*s", "", 0);
	if (is(w, n, "neighbor") || is(w, n, "neighbors")) {
		c->kind = API_CMD_SHOW_NEIGHBOR;
		while (word(ws, &w, &n)) {
			if (is(w, n, "summary"))
				c->show = API_SHOW_SUMMARY;
			else if (is(w, n, "extensive"))
				c->show = c->show == API_SHOW_SUMMARY ? c->show : API_SHOW_EXTENSIVE;
			else if (is(w, n, "configuration"))
				c->show = c->show ? c->show : API_SHOW_CONFIGURATION;
			else {
				((char *)w)[n] = '\0';
				c->filter = w;
			}
		}
		return 0;
	}
	if (is(w, n, "adj-rib") || is(w, n, "adj-rib-in") || is(w, n, "adj-rib-out")) {
		c->kind = API_CMD_SHOW_ADJ_RIB;
		bool have_dir = n > 7;
		c->rib_in = n == 10;
		if (!have_dir) {
			if (!word(ws, &w, &n) || !(is(w, n, "in") || is(w, n, "out")))
				return fail(c, "show adj-rib in or out?%.*s", "", 0);
			c->rib_in = is(w, n, "in");
		}
		while (word(ws, &w, &n)) {
			if (is(w, n, "extensive"))
				c->extensive = true;
			else if (is(w, n, "inet"))
				c->rib_filter = API_RIB_INET;
			else if (is(w, n, "flow"))
				c->rib_filter = API_RIB_FLOW;
			else if (is(w, n, "l2vpn"))
				c->rib_filter = API_RIB_L2VPN;
			else if (!is(w, n, "routes") && !is(w, n, "static")) {
				((char *)w)[n] = '\0';
				c->filter = w;
			}
		}
		return 0;
	}
	return fail(c, "unknown show command '%.*s'", w, n);
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
		rc = fail(c, "empty command%.*s", "", 0);
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
	if (!word(&ws, &w, &wn)) {
		rc = fail(c, "empty command%.*s", "", 0);
		goto out;
	}
	if (is(w, wn, "neighbor")) {
		if (parse_selector(c, &ws) < 0)
			goto out;
		word(&ws, &w, &wn);
	}
	if (is(w, wn, "announce") || is(w, wn, "withdraw")) {
		rc = parse_announce(c, &ws, w[0] == 'a');
	} else if (is(w, wn, "teardown")) {
		const char *v;
		size_t vn;
		uint32_t code;
		if (!word(&ws, &v, &vn) || !parse_u32(v, vn, &code) || code > 255) {
			rc = fail(c, "teardown needs a cease subcode (0-255)%.*s", "", 0);
		} else {
			c->kind = API_CMD_TEARDOWN;
			c->cease_subcode = (uint8_t)code;
			rc = 0;
		}
	} else if (is(w, wn, "show")) {
		rc = parse_show(c, &ws);
	} else if (is(w, wn, "flush")) {
		const char *a = "", *b = "";
		size_t an = 0, bn = 0;
		bool ok = word(&ws, &a, &an);
		if (ok && is(a, an, "adj-rib"))
			ok = word(&ws, &b, &bn) && is(b, bn, "out");
		else
			ok = ok && is(a, an, "adj-rib-out");
		if (ok) {
			c->kind = API_CMD_FLUSH_ADJ_RIB_OUT;
			rc = 0;
		} else {
			rc = fail(c, "only 'flush adj-rib out' exists%.*s", "", 0);
		}
	} else if (is(w, wn, "clear")) {
		const char *a, *b;
		size_t an, bn;
		if (word(&ws, &a, &an) && (is(a, an, "adj-rib") || is(a, an, "adj-rib-in") || is(a, an, "adj-rib-out"))) {
			c->kind = API_CMD_CLEAR_ADJ_RIB;
			c->rib_in = is(a, an, "adj-rib-in");
			if (word(&ws, &b, &bn))
				c->rib_in = c->rib_in || is(b, bn, "in");
			rc = 0;
		} else {
			rc = fail(c, "only 'clear adj-rib in|out' exists%.*s", "", 0);
		}
	} else if (is(w, wn, "shutdown")) {
		c->kind = API_CMD_SHUTDOWN;
		rc = 0;
	} else if (is(w, wn, "reload")) {
		c->kind = API_CMD_RELOAD;
		rc = 0;
	} else if (is(w, wn, "restart")) {
		c->kind = API_CMD_RESTART;
		rc = 0;
	} else if (is(w, wn, "version")) {
		c->kind = API_CMD_VERSION;
		rc = 0;
	} else if (is(w, wn, "help")) {
		c->kind = API_CMD_HELP;
		rc = 0;
	} else if (is(w, wn, "reset")) {
		c->kind = API_CMD_RESET;
		rc = 0;
	} else {
		rc = fail(c, "unknown command '%.*s'", w, wn);
	}
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
