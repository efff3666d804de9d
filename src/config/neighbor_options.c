/* The neighbor options: one table entry each (struct nb_option,
 * parser_int.h) with its keyword, its parser, where it is stored in
 * struct neighbor_conf, its default, whether a change restarts the session
 * on reload, and its line of the configuration dump.  Templates (copying
 * what a template sets), defaults, the dump and the reload comparison are
 * all derived from the table. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/attr_values.h"
#include "config/parser.h"
#include "config/parser_int.h"
#include "core/log.h"

/* ---- storage ------------------------------------------------------------------- */

static void *field_at(struct neighbor_conf *nc, const struct nb_option *o, int i)
{
	return (char *)nc + o->field[i].off;
}

static const void *cfield_at(const struct neighbor_conf *nc, const struct nb_option *o, int i)
{
	return (const char *)nc + o->field[i].off;
}

static void set_bool(struct draft *d, const struct nb_option *o, bool b)
{
	*(bool *)field_at(&d->nc, o, 0) = b;
}

static void set_int(struct draft *d, const struct nb_option *o, int v)
{
	*(int *)field_at(&d->nc, o, 0) = v;
}

static void mark(struct draft *d, const struct nb_option *o, const struct token *kw)
{
	d->set |= (uint64_t)1 << o->opt;
	d->at[o->opt] = (struct rg_pos){kw->line, kw->col};
}

/* A value kept only so that ExaBGP's configurations load: said once, at
 * the statement, so that it is never silently a no-op. */
static void ignored(struct parser *p, const struct token *kw, const char *why)
{
	log_warning(LOG_CONFIGURATION, "%s:%d: option %s is accepted for compatibility and ignored (%s)", p->file,
		    kw->line, kw->s, why);
}

/* ---- parsers ------------------------------------------------------------------- */

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
	mark(d, o, kw);
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
	mark(d, o, kw);
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
	mark(d, o, kw);
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
	mark(d, o, kw);
	return 0;
}

/* local-as / peer-as: field 0 the ASN, field 1 its "auto" flag */
static int opt_as(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	bool is_auto = !strcmp(v->s, "auto");
	uint32_t asn = 0;
	if (!is_auto && av_asn(v->s, &asn) < 0)
		return perr_tok(p, v, "\"%s\" is an invalid ASN", v->s);
	*(uint32_t *)field_at(&d->nc, o, 0) = asn;
	*(bool *)field_at(&d->nc, o, 1) = is_auto;
	mark(d, o, kw);
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
	mark(d, o, kw);
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
	*(uint16_t *)field_at(&d->nc, o, 0) = (uint16_t)port;
	mark(d, o, kw);
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
	mark(d, o, kw);
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
	mark(d, o, kw);
	return 0;
}

static int opt_md5_ip(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v || ip_option(p, v, &d->nc.md5_ip) < 0)
		return -1;
	mark(d, o, kw);
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
	set_int(d, o, (int)ttl);
	mark(d, o, kw);
	return 0;
}

/* A boolean; written bare it means o->bare (ExaBGP's section defaults). */
static int opt_bool(OPT_ARGS)
{
	int b = bool_value(p, kw, w, n, o->bare);
	if (b < 0)
		return -1;
	set_bool(d, o, b);
	mark(d, o, kw);
	return 0;
}

/* maximum-prefix [AFI SAFI] N [restart SECONDS] [warning-only]: FRR's and
 * Cisco's words (ExaBGP has no such limit); without a family, every
 * family gets the limit (each counted apart); a statement per family
 * otherwise.  On exceeding: Cease 6/1 with RFC 4486's data (peer_fsm.c). */
static int opt_maximum_prefix(OPT_ARGS)
{
	int i = 0, f = -1;
	uint64_t limit, restart = 0;
	bool warn = false;
	if (n >= 3 && w[0].type == TOK_WORD && w[1].type == TOK_WORD && av_uint(w[0].s, UINT64_MAX, &limit) < 0) {
		f = family_by_name(w[0].s, w[1].s);
		if (f < 0)
			return perr_tok(p, &w[0], "unknown family \"%s %s\" in maximum-prefix", w[0].s, w[1].s);
		i = 2;
	}
	if (i >= n || av_uint(w[i].s, UINT32_MAX, &limit) < 0 || limit == 0)
		return perr_tok(p, i < n ? &w[i] : kw, "maximum-prefix needs a number of prefixes from 1 to 4294967295");
	for (i++; i < n; i++) {
		if (!strcmp(w[i].s, "warning-only")) {
			warn = true;
		} else if (!strcmp(w[i].s, "restart") && i + 1 < n) {
			if (av_uint(w[i + 1].s, 65535, &restart) < 0 || restart == 0)
				return perr_tok(p, &w[i + 1], "maximum-prefix restart needs seconds from 1 to 65535");
			i++;
		} else {
			return perr_tok(p, &w[i], "unexpected \"%s\" in maximum-prefix (restart SECONDS, warning-only)",
					w[i].s);
		}
	}
	if (warn && restart)
		return perr_tok(p, kw, "maximum-prefix: restart and warning-only exclude each other");
	for (int k = 0; k < FAM_COUNT; k++) {
		if (f >= 0 && k != f)
			continue;
		d->nc.max_prefix.limit[k] = (uint32_t)limit;
		d->nc.max_prefix.restart[k] = (uint16_t)restart;
		d->nc.max_prefix.warning_only[k] = warn;
	}
	mark(d, o, kw);
	return 0;
}

/* ExaBGP 4.2 stores auto-flush and never reads it: a helper's routes are
 * sent without waiting for "flush adj-rib out" whatever its value, here
 * too.  So false is the value that does not do what it says. */
static int opt_auto_flush(OPT_ARGS)
{
	if (opt_bool(p, d, kw, w, n, o) < 0)
		return -1;
	if (!d->nc.auto_flush)
		ignored(p, kw, "a helper's routes are sent without waiting for flush, as ExaBGP 4.2 does");
	return 0;
}

static int valid_name_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
			return 0;
	return 1;
}

/* host-name / domain-name: ExaBGP 4.2 builds the hostname capability
 * (draft-walton-bgp-hostname-capability, code 73) from them but does not
 * send it (Capabilities.new() has the call commented out), so its OPEN,
 * and fastbgp's by default, never carry them.  ExaBGP 5.0 sends it in
 * every OPEN; fastbgp does with exabgp.api.version = 5 (peer_params.c). */
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
	*(const char **)field_at(&d->nc, o, 0) = pstrdup(p, s);
	ignored(p, kw, "ExaBGP 4.2 does not send the hostname capability either; with exabgp.api.version = 5 it is sent, "
		       "as ExaBGP 5.0 does");
	mark(d, o, kw);
	return 0;
}

/* ExaBGP 5: the link-local address sent after a global IPv6 next-hop
 * (RFC 2545 3) once the link-local next-hop capability is negotiated. */
static int opt_local_link_local(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	struct ip_addr ip;
	memset(&ip, 0, sizeof(ip));
	if (!v)
		return -1;
	if (ip_option(p, v, &ip) < 0)
		return -1;
	if (ip.afi != AFI_IPV6 || ip.addr[0] != 0xfe || (ip.addr[1] & 0xc0) != 0x80)
		return perr_tok(p, v, "local-link-local must be an IPv6 link-local address (fe80::/10)");
	d->nc.local_link_local = ip;
	d->nc.has_local_link_local = true;
	mark(d, o, kw);
	return 0;
}

/* link-local-prefer tells a router that forwards which of two next-hops
 * to use; fastbgp installs no routes. */
static int opt_link_local_prefer(OPT_ARGS)
{
	if (opt_bool(p, d, kw, w, n, o) < 0)
		return -1;
	if (d->nc.cap.link_local_prefer)
		ignored(p, kw, "fastbgp installs no routes, so it picks no next-hop to forward to");
	return 0;
}

/* ---- tcp-ao { } (RFC 5925, ExaBGP main's syntax) ---- */

static int opt_tcp_ao_keyid(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	uint64_t id;
	if (!v)
		return -1;
	if (av_uint(v->s, 255, &id) < 0)
		return perr_tok(p, v, "tcp-ao keyid must be 0-255, got \"%s\"", v->s);
	d->nc.tcp_ao.keyid = (int)id;
	mark(d, o, kw);
	return 0;
}

/* RFC 5926's algorithms and ExaBGP's words for them */
static const char *const tcp_ao_algorithms[] = {
	[TCP_AO_HMAC_SHA_1_96] = "hmac-sha-1-96",
	[TCP_AO_AES_128_CMAC_96] = "aes-128-cmac-96",
	[TCP_AO_HMAC_SHA_256] = "hmac-sha-256",
};

static int opt_tcp_ao_algorithm(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	for (int a = TCP_AO_HMAC_SHA_1_96; a <= TCP_AO_HMAC_SHA_256; a++) {
		if (!strcmp(v->s, tcp_ao_algorithms[a])) {
			d->nc.tcp_ao.algorithm = a;
			mark(d, o, kw);
			return 0;
		}
	}
	return perr_tok(p, v, "invalid tcp-ao algorithm \"%s\", options are: hmac-sha-1-96, aes-128-cmac-96, hmac-sha-256",
			v->s);
}

static int opt_tcp_ao_password(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	if (!v)
		return -1;
	if (!v->len)
		return perr_tok(p, v, "tcp-ao password is empty");
	d->nc.tcp_ao.password = pstrdup(p, v->s);
	mark(d, o, kw);
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
	if (rate)
		ignored(p, kw, "UPDATEs are not rate limited");
	mark(d, o, kw);
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
	(void)o;
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

static int cap_add_path(OPT_ARGS)
{
	const struct token *v = one_value(p, kw, w, n);
	struct capability_conf *cap = &d->nc.cap;
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
		return perr_tok(p, v, "\"%s\" is an invalid add-path, options are: send, receive, send/receive", v->s);
	mark(d, o, kw);
	return 0;
}

static int cap_graceful_restart(OPT_ARGS)
{
	struct capability_conf *cap = &d->nc.cap;
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
	mark(d, o, kw);
	return 0;
}

/* capability nexthop: unset until the neighbor ends (a nexthop block
 * turns it on then). */
static int cap_tristate(OPT_ARGS)
{
	int b = bool_value(p, kw, w, n, true);
	if (b < 0)
		return -1;
	set_int(d, o, b ? TRI_TRUE : TRI_FALSE);
	mark(d, o, kw);
	return 0;
}

/* ---- dump lines ---------------------------------------------------------------- */

void config_dump_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

#define DUMP_ARGS FILE *out, const struct neighbor_conf *n, const struct nb_option *o

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static void dump_bool(DUMP_ARGS)
{
	fprintf(out, " %s\n", tf(*(const bool *)cfield_at(n, o, 0)));
}

/* "none", or one "FAMILY N [restart T] [warning-only]" per family with a limit */
static void dump_maximum_prefix(DUMP_ARGS)
{
	(void)o;
	bool any = false;
	for (int f = 0; f < FAM_COUNT; f++) {
		if (!n->max_prefix.limit[f])
			continue;
		fprintf(out, "%s %s %u", any ? "," : "", family_table[f].json_name, n->max_prefix.limit[f]);
		if (n->max_prefix.restart[f])
			fprintf(out, " restart %u", n->max_prefix.restart[f]);
		if (n->max_prefix.warning_only[f])
			fprintf(out, " warning-only");
		any = true;
	}
	fprintf(out, any ? "\n" : " none\n");
}

static void dump_u16(DUMP_ARGS)
{
	fprintf(out, " %u\n", *(const uint16_t *)cfield_at(n, o, 0));
}

static void dump_int(DUMP_ARGS)
{
	fprintf(out, " %d\n", *(const int *)cfield_at(n, o, 0));
}

/* a number, 0 written "disable" */
static void dump_int_or_disable(DUMP_ARGS)
{
	int v = *(const int *)cfield_at(n, o, 0);
	if (v)
		fprintf(out, " %d\n", v);
	else
		fprintf(out, " disable\n");
}

/* a quoted string (the line is left out when there is none: .optional) */
static void dump_quoted(DUMP_ARGS)
{
	fputc(' ', out);
	config_dump_string(out, *(const char *const *)cfield_at(n, o, 0));
	fputc('\n', out);
}

static void dump_name(DUMP_ARGS)
{
	const char *s = *(const char *const *)cfield_at(n, o, 0);
	fprintf(out, " %s\n", s ? s : "(system)");
}

static void dump_ip(DUMP_ARGS)
{
	char ip[INET6_ADDRSTRLEN];
	fprintf(out, " %s\n", av_ip_format(cfield_at(n, o, 0), ip, sizeof(ip)));
}

static void dump_peer_address(DUMP_ARGS)
{
	(void)o;
	char ip[INET6_ADDRSTRLEN];
	fprintf(out, " %s/%u\n", av_ip_format(&n->peer_address, ip, sizeof(ip)), n->peer_prefix_len);
}

static void dump_local_address(DUMP_ARGS)
{
	(void)o;
	char ip[INET6_ADDRSTRLEN];
	fprintf(out, " %s\n", n->local_address_auto ? "auto" : av_ip_format(&n->local_address, ip, sizeof(ip)));
}

static void dump_router_id(DUMP_ARGS)
{
	(void)o;
	uint8_t rid[4];
	put_u32(rid, n->router_id);
	fprintf(out, " %u.%u.%u.%u\n", rid[0], rid[1], rid[2], rid[3]);
}

static void dump_as(DUMP_ARGS)
{
	if (*(const bool *)cfield_at(n, o, 1))
		fprintf(out, " auto\n");
	else
		fprintf(out, " %u\n", *(const uint32_t *)cfield_at(n, o, 0));
}

static void dump_md5_base64(DUMP_ARGS)
{
	(void)o;
	fprintf(out, " %s\n", n->md5_base64 == TRI_UNSET ? "auto" : n->md5_base64 == TRI_TRUE ? "true" : "false");
}

static void dump_families(FILE *out, family_mask m)
{
	for (int f = 0; f < FAM_COUNT; f++)
		if (m & FAM_BIT(f))
			fprintf(out, " %s", family_table[f].json_name);
}

static void dump_family(DUMP_ARGS)
{
	(void)o;
	dump_families(out, n->families);
	fputc('\n', out);
}

static void dump_graceful_restart(DUMP_ARGS)
{
	(void)o;
	if (n->cap.graceful_restart < 0)
		fprintf(out, " disable\n");
	else
		fprintf(out, " %d\n", n->cap.graceful_restart);
}

static void dump_add_path(DUMP_ARGS)
{
	(void)o;
	static const char *const ap[] = {"disable", "receive", "send", "send/receive"};
	fprintf(out, " %s", ap[n->cap.add_path & 3]);
	for (int f = 0; f < FAM_COUNT; f++) {
		if (!(n->cap.add_path_families & FAM_BIT(f)))
			continue;
		fprintf(out, " %s", family_table[f].json_name);
		if (n->cap.paths_limit[f])
			fprintf(out, " limit %u", n->cap.paths_limit[f]);
	}
	fputc('\n', out);
}

static void dump_tcp_ao_algorithm(DUMP_ARGS)
{
	(void)o;
	fprintf(out, " %s\n", tcp_ao_algorithms[n->tcp_ao.algorithm]);
}

static void dump_local_link_local(DUMP_ARGS)
{
	(void)o;
	char ip[INET6_ADDRSTRLEN];
	fprintf(out, " %s\n", n->has_local_link_local ? av_ip_format(&n->local_link_local, ip, sizeof(ip)) : "none");
}

static void dump_tristate(DUMP_ARGS)
{
	fprintf(out, " %s\n", tf(*(const int *)cfield_at(n, o, 0) == TRI_TRUE));
}

/* ---- comparisons --------------------------------------------------------------- */

/* The nexthop entries kept (RFC 8950), field by field: the struct has a
 * padding byte that struct copies need not keep. */
static bool same_nexthops(const struct neighbor_conf *a, const struct neighbor_conf *b)
{
	if (a->nnexthops != b->nnexthops)
		return false;
	for (int i = 0; i < a->nnexthops; i++)
		if (a->nexthops[i].family != b->nexthops[i].family || a->nexthops[i].nh_afi != b->nexthops[i].nh_afi)
			return false;
	return true;
}

/* ---- the table ----------------------------------------------------------------- */

#define F(member) {offsetof(struct neighbor_conf, member), sizeof(((struct neighbor_conf *)0)->member), false}
#define S(member) {offsetof(struct neighbor_conf, member), sizeof(((struct neighbor_conf *)0)->member), true}

/* In the order of the dump.  restart: a change of the value on reload
 * sends Cease 6/6 (RFC 4486 Other Configuration Change) and starts a new
 * session.  That is so for what the OPEN carries (RFC 4271 4.2, RFC 5492),
 * the TCP connection (ports, MD5, TTL), the session's rib setup, fixed
 * when it is established (group-updates, adj-rib-in/out, manual-eor), and
 * for every option ExaBGP 4.2's Neighbor.__eq__ compares (so host-name,
 * domain-name, rate-limit and auto-flush restart it too, as there).  The
 * others (description) take effect at once: the peer reads the new
 * configuration. */
const struct nb_option nb_options[] = {
	{.name = "description", .opt = OPT_DESCRIPTION, .parse = opt_description, .field = {S(description)},
	 .optional = true, .dump = dump_quoted},
	{.name = "peer-address", .opt = OPT_PEER_ADDRESS, .parse = opt_peer_address,
	 .field = {F(peer_address), F(peer_prefix_len)}, .restart = true, .dump = dump_peer_address},
	{.name = "local-address", .opt = OPT_LOCAL_ADDRESS, .parse = opt_local_address,
	 .field = {F(local_address), F(local_address_auto)}, .restart = true, .dump = dump_local_address},
	{.name = "router-id", .opt = OPT_ROUTER_ID, .parse = opt_router_id, .field = {F(router_id)}, .restart = true,
	 .dump = dump_router_id},
	{.name = "local-as", .opt = OPT_LOCAL_AS, .parse = opt_as, .field = {F(local_as), F(local_as_auto)},
	 .restart = true, .dump = dump_as},
	{.name = "peer-as", .opt = OPT_PEER_AS, .parse = opt_as, .field = {F(peer_as), F(peer_as_auto)},
	 .restart = true, .dump = dump_as},
	{.name = "hold-time", .opt = OPT_HOLD_TIME, .parse = opt_hold_time, .field = {F(hold_time)}, .dflt = 180,
	 .restart = true, .dump = dump_u16},
	{.name = "passive", .opt = OPT_PASSIVE, .parse = opt_bool, .field = {F(passive)}, .bare = true,
	 .restart = true, .dump = dump_bool},
	{.name = "listen", .opt = OPT_LISTEN, .parse = opt_port, .field = {F(listen_port)}, .restart = true,
	 .dump = dump_u16},
	{.name = "connect", .opt = OPT_CONNECT, .parse = opt_port, .field = {F(connect_port)}, .restart = true,
	 .dump = dump_u16},
	{.name = "md5-password", .opt = OPT_MD5_PASSWORD, .parse = opt_md5_password, .field = {S(md5_password)},
	 .restart = true, .optional = true, .dump = dump_quoted},
	{.name = "md5-base64", .opt = OPT_MD5_BASE64, .parse = opt_md5_base64, .field = {F(md5_base64)},
	 .dflt = TRI_UNSET, .restart = true, .dump = dump_md5_base64},
	{.name = "md5-ip", .opt = OPT_MD5_IP, .parse = opt_md5_ip, .field = {F(md5_ip)}, .restart = true,
	 .dump = dump_ip},
	{.name = "outgoing-ttl", .opt = OPT_OUTGOING_TTL, .parse = opt_ttl, .field = {F(outgoing_ttl)},
	 .restart = true, .dump = dump_int_or_disable},
	{.name = "incoming-ttl", .opt = OPT_INCOMING_TTL, .parse = opt_ttl, .field = {F(incoming_ttl)},
	 .restart = true, .dump = dump_int_or_disable},
	{.name = "group-updates", .opt = OPT_GROUP_UPDATES, .parse = opt_bool, .field = {F(group_updates)},
	 .dflt = true, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "auto-flush", .opt = OPT_AUTO_FLUSH, .parse = opt_auto_flush, .field = {F(auto_flush)},
	 .dflt = true, .bare = true, .restart = true, .dump = dump_bool},
	/* a bare adj-rib-out / adj-rib-in means false */
	{.name = "adj-rib-out", .opt = OPT_ADJ_RIB_OUT, .parse = opt_bool, .field = {F(adj_rib_out)}, .dflt = true,
	 .restart = true, .dump = dump_bool},
	{.name = "adj-rib-in", .opt = OPT_ADJ_RIB_IN, .parse = opt_bool, .field = {F(adj_rib_in)}, .dflt = true,
	 .restart = true, .dump = dump_bool},
	{.name = "manual-eor", .opt = OPT_MANUAL_EOR, .parse = opt_bool, .field = {F(manual_eor)}, .restart = true,
	 .dump = dump_bool},
	{.name = "host-name", .opt = OPT_HOST_NAME, .parse = opt_host_domain, .field = {S(host_name)},
	 .restart = true, .dump = dump_name},
	{.name = "domain-name", .opt = OPT_DOMAIN_NAME, .parse = opt_host_domain, .field = {S(domain_name)},
	 .restart = true, .dump = dump_name},
	{.name = "rate-limit", .opt = OPT_RATE_LIMIT, .parse = opt_rate_limit, .field = {F(rate_limit)},
	 .restart = true, .dump = dump_int_or_disable},
	{.name = "local-link-local", .opt = OPT_LOCAL_LINK_LOCAL, .parse = opt_local_link_local,
	 .field = {F(local_link_local), F(has_local_link_local)}, .restart = true, .dump = dump_local_link_local},
	/* fastbgp's (FRR's and Cisco's word): the leftmost-AS check of
	 * RFC 4271 6.3 on eBGP, off for a route server's clients (RFC 7947
	 * 2.2.2.1: a route server does not prepend its AS) */
	{.name = "enforce-first-as", .opt = OPT_ENFORCE_FIRST_AS, .parse = opt_bool, .field = {F(enforce_first_as)},
	 .dflt = true, .bare = true, .dump = dump_bool},
	{.name = "maximum-prefix", .opt = OPT_MAXIMUM_PREFIX, .parse = opt_maximum_prefix, .field = {F(max_prefix)},
	 .dump = dump_maximum_prefix},
	{.name = "inherit", .opt = -1, .parse = opt_inherit},
	/* the family block (parser_neighbor.c) */
	{.name = "family", .section = NB_BLOCK, .opt = -1, .field = {F(families)}, .restart = true,
	 .dump = dump_family},
	/* capability { } */
	{.name = "asn4", .section = NB_CAPABILITY, .opt = OPT_CAP_ASN4, .parse = opt_bool, .field = {F(cap.asn4)},
	 .dflt = true, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "route-refresh", .section = NB_CAPABILITY, .opt = OPT_CAP_ROUTE_REFRESH, .parse = opt_bool,
	 .field = {F(cap.route_refresh)}, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "graceful-restart", .section = NB_CAPABILITY, .opt = OPT_CAP_GRACEFUL_RESTART,
	 .parse = cap_graceful_restart, .field = {F(cap.graceful_restart)}, .dflt = -1, .restart = true,
	 .dump = dump_graceful_restart},
	{.name = "add-path", .section = NB_CAPABILITY, .opt = OPT_CAP_ADD_PATH, .parse = cap_add_path,
	 .field = {F(cap.add_path), F(cap.add_path_families)}, .restart = true, .dump = dump_add_path},
	{.name = "multi-session", .section = NB_CAPABILITY, .opt = OPT_CAP_MULTI_SESSION, .parse = opt_bool,
	 .field = {F(cap.multi_session)}, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "operational", .section = NB_CAPABILITY, .opt = OPT_CAP_OPERATIONAL, .parse = opt_bool,
	 .field = {F(cap.operational)}, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "aigp", .section = NB_CAPABILITY, .opt = OPT_CAP_AIGP, .parse = opt_bool, .field = {F(cap.aigp)},
	 .bare = true, .restart = true, .dump = dump_bool},
	{.name = "extended-message", .section = NB_CAPABILITY, .opt = OPT_CAP_EXTENDED_MESSAGE, .parse = opt_bool,
	 .field = {F(cap.extended_message)}, .dflt = true, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "nexthop", .section = NB_CAPABILITY, .opt = OPT_CAP_NEXTHOP, .parse = cap_tristate,
	 .field = {F(cap.nexthop)}, .dflt = TRI_UNSET, .restart = true, .dump = dump_tristate},
	/* ExaBGP 5.0 */
	{.name = "software-version", .section = NB_CAPABILITY, .opt = OPT_CAP_SOFTWARE_VERSION, .parse = opt_bool,
	 .field = {F(cap.software_version)}, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "link-local-nexthop", .section = NB_CAPABILITY, .opt = OPT_CAP_LINK_LOCAL_NEXTHOP, .parse = opt_bool,
	 .field = {F(cap.link_local_nexthop)}, .bare = true, .restart = true, .dump = dump_bool},
	{.name = "link-local-prefer", .section = NB_CAPABILITY, .opt = OPT_CAP_LINK_LOCAL_PREFER,
	 .parse = opt_link_local_prefer, .field = {F(cap.link_local_prefer)}, .bare = true, .dump = dump_bool},
	/* tcp-ao { } (parser.c requires keyid, algorithm and password) */
	{.name = "keyid", .section = NB_TCP_AO, .opt = OPT_TCP_AO_KEYID, .parse = opt_tcp_ao_keyid,
	 .field = {F(tcp_ao.keyid)}, .restart = true, .dump = dump_int},
	{.name = "algorithm", .section = NB_TCP_AO, .opt = OPT_TCP_AO_ALGORITHM, .parse = opt_tcp_ao_algorithm,
	 .field = {F(tcp_ao.algorithm)}, .restart = true, .dump = dump_tcp_ao_algorithm},
	{.name = "password", .section = NB_TCP_AO, .opt = OPT_TCP_AO_PASSWORD, .parse = opt_tcp_ao_password,
	 .field = {S(tcp_ao.password)}, .restart = true, .dump = dump_quoted},
	{.name = "base64", .section = NB_TCP_AO, .opt = OPT_TCP_AO_BASE64, .parse = opt_bool,
	 .field = {F(tcp_ao.base64)}, .restart = true, .dump = dump_bool},
	/* "limit N" of the add-path block (parser_neighbor.c); dumped on the add-path line */
	{.name = "paths-limit", .section = NB_BLOCK, .opt = -1, .field = {F(cap.paths_limit), F(cap.paths_limit_seq)},
	 .restart = true},
	/* the nexthop block's entries kept (parser.c); dumped by dump.c */
	{.name = "nexthop", .section = NB_BLOCK, .opt = -1, .restart = true, .same = same_nexthops},
};

const size_t nb_options_count = sizeof(nb_options) / sizeof(nb_options[0]);

/* ---- derived ------------------------------------------------------------------- */

static int option_in(struct parser *p, struct draft *d, enum nb_section section)
{
	const struct token *kw = &p->st.v[0];
	for (size_t i = 0; i < nb_options_count; i++) {
		const struct nb_option *o = &nb_options[i];
		if (o->section == section && o->parse && kw->type == TOK_WORD && !strcmp(o->name, kw->s))
			return o->parse(p, d, kw, p->st.v + 1, p->st.n - 1, o);
	}
	return 1;
}

int neighbor_option(struct parser *p, struct draft *d)
{
	const struct token *kw = &p->st.v[0];
	int rc = option_in(p, d, NB_NEIGHBOR);
	if (rc <= 0)
		return rc;
	if (kw->type == TOK_WORD && (!strcmp(kw->s, "route") || !strcmp(kw->s, "attributes")))
		return perr_tok(p, kw, "\"%s\" must be inside a static { } section", kw->s);
	return perr_tok(p, kw, "unknown neighbor option \"%s\"", token_describe(kw));
}

int capability_option(struct parser *p, struct draft *d)
{
	const struct token *kw = &p->st.v[0];
	if (kw->type != TOK_WORD)
		return perr_tok(p, kw, "unexpected %s in capability", token_describe(kw));
	int rc = option_in(p, d, NB_CAPABILITY);
	if (rc <= 0)
		return rc;
	return perr_tok(p, kw, "unknown capability \"%s\"", kw->s);
}

int tcp_ao_option(struct parser *p, struct draft *d)
{
	const struct token *kw = &p->st.v[0];
	if (kw->type != TOK_WORD)
		return perr_tok(p, kw, "unexpected %s in tcp-ao", token_describe(kw));
	int rc = option_in(p, d, NB_TCP_AO);
	if (rc <= 0)
		return rc;
	return perr_tok(p, kw, "unknown tcp-ao option \"%s\"", kw->s);
}

void nb_defaults(struct neighbor_conf *nc)
{
	memset(nc, 0, sizeof(*nc));
	for (size_t i = 0; i < nb_options_count; i++) {
		const struct nb_option *o = &nb_options[i];
		if (!o->dflt)
			continue;
		void *at = field_at(nc, o, 0);
		switch (o->field[0].size) {
		case 1: *(uint8_t *)at = (uint8_t)o->dflt; break;
		case 2: *(uint16_t *)at = (uint16_t)o->dflt; break;
		default: *(int32_t *)at = (int32_t)o->dflt; break;
		}
	}
}

void nb_copy(struct neighbor_conf *dst, const struct neighbor_conf *src, int opt)
{
	for (size_t i = 0; i < nb_options_count; i++) {
		const struct nb_option *o = &nb_options[i];
		if (o->opt != opt)
			continue;
		for (int f = 0; f < 2 && o->field[f].size; f++)
			memcpy(field_at(dst, o, f), cfield_at(src, o, f), o->field[f].size);
		return;
	}
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

bool nb_option_same(const struct nb_option *o, const struct neighbor_conf *a, const struct neighbor_conf *b)
{
	if (o->same)
		return o->same(a, b);
	for (int f = 0; f < 2 && o->field[f].size; f++) {
		if (o->field[f].string ? !str_eq(*(const char *const *)cfield_at(a, o, f),
						 *(const char *const *)cfield_at(b, o, f))
				       : memcmp(cfield_at(a, o, f), cfield_at(b, o, f), o->field[f].size) != 0)
			return false;
	}
	return true;
}

bool neighbor_conf_same_session(const struct neighbor_conf *a, const struct neighbor_conf *b)
{
	for (size_t i = 0; i < nb_options_count; i++)
		if (nb_options[i].restart && !nb_option_same(&nb_options[i], a, b))
			return false;
	return true;
}

void nb_dump(FILE *out, const struct neighbor_conf *n)
{
	for (size_t i = 0; i < nb_options_count; i++) {
		const struct nb_option *o = &nb_options[i];
		if (!o->dump || (o->optional && !*(const char *const *)cfield_at(n, o, 0)))
			continue;
		if (o->section == NB_TCP_AO && n->tcp_ao.algorithm == TCP_AO_NONE)
			continue; /* no tcp-ao block */
		fprintf(out, o->section == NB_CAPABILITY ? "  capability %s" : o->section == NB_TCP_AO ? "  tcp-ao %s" : "  %s",
			o->name);
		o->dump(out, n, o);
	}
}
