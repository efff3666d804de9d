/* The healthcheck's options: one table entry per option of ExaBGP 4.2's
 * healthcheck (name, short form, argument, default, help), and a parser that
 * accepts what its argparse parser accepts: --opt VALUE, --opt=VALUE, -xVALUE,
 * unambiguous prefixes of long options, repeated list options, and
 * --config FILE whose "key = value" lines come before the command line. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/hc_int.h"

enum opt_kind {
	K_FLAG,       /* bool = true */
	K_FLAG_FALSE, /* bool = false */
	K_STR,
	K_STR_OPTIONAL, /* string with an optional value (nargs='?') */
	K_INT,
	K_FLOAT,
	K_ADDR,        /* one address, has_* set */
	K_ADDR_APPEND, /* list of addresses */
	K_NET_APPEND,  /* list of networks */
	K_STR_APPEND,
	K_HELP,
};

struct hc_option {
	const char *name;  /* long form, without "--" */
	const char *alias; /* a second long form */
	const char *shortf;
	enum opt_kind kind;
	size_t off;     /* field in struct hc_opts */
	size_t has_off; /* bool telling the field was given, or 0 */
	long min, max;  /* bounds of K_INT */
	const char *metavar;
	const char *dflt; /* default, for --help and hc_opts_defaults() */
	int exclusive;    /* options sharing a group number exclude each other */
	const char *help;
};

#define F(field) offsetof(struct hc_opts, field)
#define MAXI 4294967295L /* 32-bit BGP fields (MED, LOCAL_PREF, path ID) */

static const struct hc_option options[] = {
	{"help", NULL, "-h", K_HELP, F(help), 0, 0, 0, NULL, NULL, 0, "show this help and exit"},
	{"silent", NULL, "-s", K_FLAG, F(silent), 0, 0, 0, NULL, "false", 1, "don't log to console"},
	{"syslog-facility", NULL, "-sF", K_STR_OPTIONAL, F(syslog_facility), 0, 0, 0, "FACILITY", "daemon", 1,
	 "log to syslog using FACILITY"},
	{"no-syslog", NULL, NULL, K_FLAG, F(no_syslog), 0, 0, 0, NULL, "false", 1, "disable syslog logging"},
	{"no-ack", NULL, "-a", K_FLAG, F(no_ack), 0, 0, 0, NULL, "false", 0,
	 "do not wait for the daemon's done/error after each command (exabgp.api.ack=false)"},
	{"sudo", NULL, NULL, K_FLAG, F(sudo), 0, 0, 0, NULL, "false", 0,
	 "set up loopback addresses with \"sudo ip address ...\""},
	{"debug", NULL, "-d", K_FLAG, F(debug), 0, 0, 0, NULL, "false", 0, "enable debugging (and no syslog)"},
	{"name", NULL, "-n", K_STR, F(name), 0, 0, 0, "NAME", NULL, 0, "name for this healthchecker (in syslog)"},
	{"config", NULL, "-F", K_STR, F(config), 0, 0, 0, "FILE", NULL, 0,
	 "read options from FILE, one \"option = value\" a line"},
	{"pid", NULL, "-p", K_STR, F(pid), 0, 0, 0, "FILE", NULL, 0, "write the PID to FILE"},
	{"user", NULL, NULL, K_STR, F(user), 0, 0, 0, "USER", NULL, 0, "set user after setting loopback addresses"},
	{"group", NULL, NULL, K_STR, F(group), 0, 0, 0, "GROUP", NULL, 0,
	 "set group after setting loopback addresses"},
	/* checking healthiness */
	{"interval", NULL, "-i", K_FLOAT, F(interval), 0, 0, 0, "N", "5", 0,
	 "wait N seconds between each healthcheck (zero to exit after first announcement)"},
	{"fast-interval", NULL, "-f", K_FLOAT, F(fast), 0, 0, 0, "N", "1", 0,
	 "when a state change is about to occur, wait N seconds between each healthcheck"},
	{"timeout", NULL, "-t", K_INT, F(timeout), 0, 0, 86400, "N", "5", 0,
	 "wait N seconds for the check command to execute (0: no limit)"},
	{"rise", NULL, NULL, K_INT, F(rise), 0, -MAXI, MAXI, "N", "3", 0,
	 "check N times before considering the service up"},
	{"fall", NULL, NULL, K_INT, F(fall), 0, -MAXI, MAXI, "N", "3", 0,
	 "check N times before considering the service down"},
	{"disable", NULL, NULL, K_STR, F(disable), 0, 0, 0, "FILE", NULL, 0,
	 "if FILE exists, the service is considered disabled"},
	{"command", "cmd", "-c", K_STR, F(command), 0, 0, 0, "CMD", NULL, 0,
	 "command to use for healthcheck (none: always healthy)"},
	/* advertising */
	{"next-hop", NULL, "-N", K_ADDR, F(next_hop), F(has_next_hop), 0, 0, "IP", "self", 0,
	 "self IP address to use as next hop"},
	{"ip", NULL, NULL, K_NET_APPEND, F(ips), 0, 0, 0, "IP", NULL, 0,
	 "advertise this IP address or network (CIDR notation); repeat for more"},
	{"local-preference", NULL, NULL, K_INT, F(local_preference), 0, -MAXI, MAXI, "P", "-1", 0,
	 "advertise with local preference P (negative: none)"},
	{"deaggregate-networks", NULL, NULL, K_FLAG, F(deaggregate_networks), 0, 0, 0, NULL, "false", 0,
	 "deaggregate networks specified in --ip"},
	{"no-ip-setup", NULL, NULL, K_FLAG_FALSE, F(ip_setup), 0, 0, 0, NULL, "false", 0,
	 "don't setup missing IP addresses"},
	{"dynamic-ip-setup", NULL, NULL, K_FLAG, F(ip_dynamic), 0, 0, 0, NULL, "false", 0,
	 "delete existing loopback ips on state down and disabled, then restore loopback when up"},
	{"label", NULL, NULL, K_STR, F(label), 0, 0, 0, "LABEL", NULL, 0,
	 "use the provided label to match loopback addresses"},
	{"start-ip", NULL, NULL, K_INT, F(start_ip), 0, -MAXI, MAXI, "N", "0", 0,
	 "index of the first IP in the list of IP addresses"},
	{"up-metric", NULL, NULL, K_INT, F(up_metric), 0, -MAXI, MAXI, "M", "100", 0,
	 "first IP get the metric M when the service is up"},
	{"down-metric", NULL, NULL, K_INT, F(down_metric), 0, -MAXI, MAXI, "M", "1000", 0,
	 "first IP get the metric M when the service is down"},
	{"disabled-metric", NULL, NULL, K_INT, F(disabled_metric), 0, -MAXI, MAXI, "M", "500", 0,
	 "first IP get the metric M when the service is disabled"},
	{"increase", NULL, NULL, K_INT, F(increase), 0, -MAXI, MAXI, "M", "1", 0,
	 "for each additional IP address, increase metric value by M"},
	{"community", NULL, NULL, K_STR, F(community), 0, 0, 0, "COMMUNITY", NULL, 0,
	 "announce IPs with the supplied community"},
	{"extended-community", NULL, NULL, K_STR, F(extended_community), 0, 0, 0, "EXTENDEDCOMMUNITY", NULL, 0,
	 "announce IPs with the supplied extended community"},
	{"large-community", NULL, NULL, K_STR, F(large_community), 0, 0, 0, "LARGECOMMUNITY", NULL, 0,
	 "announce IPs with the supplied large community"},
	{"disabled-community", NULL, NULL, K_STR, F(disabled_community), 0, 0, 0, "DISABLEDCOMMUNITY", NULL, 0,
	 "announce IPs with the supplied community when down or disabled"},
	{"as-path", NULL, NULL, K_STR, F(as_path), 0, 0, 0, "ASPATH", NULL, 0,
	 "announce IPs with the supplied as-path"},
	{"up-as-path", NULL, NULL, K_STR, F(up_as_path), 0, 0, 0, "ASPATH", NULL, 0,
	 "announce IPs with the supplied as-path when the service is up"},
	{"down-as-path", NULL, NULL, K_STR, F(down_as_path), 0, 0, 0, "ASPATH", NULL, 0,
	 "announce IPs with the supplied as-path when the service is down"},
	{"disabled-as-path", NULL, NULL, K_STR, F(disabled_as_path), 0, 0, 0, "ASPATH", NULL, 0,
	 "announce IPs with the supplied as-path when the service is disabled"},
	{"withdraw-on-down", NULL, NULL, K_FLAG, F(withdraw_on_down), 0, 0, 0, NULL, "false", 0,
	 "instead of increasing the metric on health failure, withdraw the route"},
	{"path-id", NULL, NULL, K_INT, F(path_id), F(has_path_id), -MAXI, MAXI, "PATHID", NULL, 0,
	 "path ID to advertise for the route (RFC 7911; 0: none)"},
	{"neighbor", NULL, NULL, K_ADDR_APPEND, F(neighbors), 0, 0, 0, "NEIGHBOR", NULL, 0,
	 "advertise the route to the selected neighbors; repeat for more"},
	/* reporting */
	{"execute", NULL, NULL, K_STR_APPEND, F(execute), 0, 0, 0, "CMD", NULL, 0,
	 "execute CMD on state change (STATE in its environment)"},
	{"up-execute", NULL, NULL, K_STR_APPEND, F(up_execute), 0, 0, 0, "CMD", NULL, 0,
	 "execute CMD when the service becomes available"},
	{"down-execute", NULL, NULL, K_STR_APPEND, F(down_execute), 0, 0, 0, "CMD", NULL, 0,
	 "execute CMD when the service becomes unavailable"},
	{"disabled-execute", NULL, NULL, K_STR_APPEND, F(disabled_execute), 0, 0, 0, "CMD", NULL, 0,
	 "execute CMD when the service is disabled"},
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

#define FIELD(o, opt, type) ((type *)((char *)(o) + (opt)->off))

void hc_opts_defaults(struct hc_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ip_setup = true;
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct hc_option *opt = &options[i];
		if (!opt->dflt)
			continue;
		if (opt->kind == K_INT)
			*FIELD(o, opt, long) = strtol(opt->dflt, NULL, 10);
		else if (opt->kind == K_FLOAT)
			*FIELD(o, opt, double) = strtod(opt->dflt, NULL);
		else if (opt->kind == K_STR_OPTIONAL)
			*FIELD(o, opt, const char *) = opt->dflt;
	}
}

static void free_lists(struct hc_opts *o)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct hc_option *opt = &options[i];
		if (opt->kind == K_STR_APPEND) {
			struct hc_strlist *l = FIELD(o, opt, struct hc_strlist);
			free(l->v);
			l->v = NULL;
			l->n = 0;
		} else if (opt->kind == K_NET_APPEND || opt->kind == K_ADDR_APPEND) {
			hc_netlist_free(FIELD(o, opt, struct hc_netlist));
		}
	}
}

void hc_opts_free(struct hc_opts *o)
{
	free_lists(o);
	for (size_t i = 0; i < o->nowned; i++)
		free(o->owned[i]);
	free(o->owned);
	o->owned = NULL;
	o->nowned = 0;
}

/* "--silent/-s", as argparse names an option in its errors */
static void display(const struct hc_option *opt, char *buf, size_t len)
{
	snprintf(buf, len, "--%s%s%s%s%s", opt->name, opt->alias ? "/--" : "", opt->alias ? opt->alias : "",
		 opt->shortf ? "/" : "", opt->shortf ? opt->shortf : "");
}

/* Where an argument came from, for messages: the --config file's line. */
struct arg_source {
	const char *file;
	const int *line; /* line of each of the first nfile arguments */
	int nfile;
};

static void fail(char *err, size_t errlen, const struct arg_source *src, int index, const char *fmt, const char *a,
		 const char *b)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, a, b ? b : "");
	if (src && index < src->nfile)
		snprintf(err, errlen, "%s:%d: %s", src->file, src->line[index], msg);
	else
		snprintf(err, errlen, "%s", msg);
}

static bool looks_negative_number(const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	char *end;
	errno = 0;
	(void)strtod(s, &end);
	return !*end;
}

static int set_value(struct hc_opts *o, const struct hc_option *opt, const char *val, char *msg, size_t msglen)
{
	char name[96];
	display(opt, name, sizeof(name));
	char *end;
	switch (opt->kind) {
	case K_STR:
	case K_STR_OPTIONAL:
		*FIELD(o, opt, const char *) = val;
		return 0;
	case K_INT: {
		errno = 0;
		long v = strtol(val, &end, 10);
		if (!*val || *end || errno) {
			snprintf(msg, msglen, "argument %s: invalid int value: '%s'", name, val);
			return -1;
		}
		if (v < opt->min || v > opt->max) {
			snprintf(msg, msglen, "argument %s: %ld is out of range %ld..%ld", name, v, opt->min, opt->max);
			return -1;
		}
		*FIELD(o, opt, long) = v;
		break;
	}
	case K_FLOAT: {
		double v = strtod(val, &end);
		if (!*val || *end || isnan(v)) {
			snprintf(msg, msglen, "argument %s: invalid float value: '%s'", name, val);
			return -1;
		}
		if (v < 0 || v > 31536000) {
			snprintf(msg, msglen, "argument %s: %s seconds is out of range 0..31536000", name, val);
			return -1;
		}
		*FIELD(o, opt, double) = v;
		break;
	}
	case K_ADDR:
	case K_ADDR_APPEND: {
		struct hc_net a;
		if (hc_parse_address(val, &a) < 0) {
			snprintf(msg, msglen, "argument %s: invalid ip_address value: '%s'", name, val);
			return -1;
		}
		if (opt->kind == K_ADDR) {
			*FIELD(o, opt, struct hc_net) = a;
		} else if (hc_netlist_add(FIELD(o, opt, struct hc_netlist), &a) < 0) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		break;
	}
	case K_NET_APPEND: {
		struct hc_net n;
		char why[160];
		if (hc_parse_network(val, &n, why, sizeof(why)) < 0) {
			snprintf(msg, msglen, "argument %s: invalid ip_network value: '%s' (%s)", name, val, why);
			return -1;
		}
		if (hc_netlist_add(FIELD(o, opt, struct hc_netlist), &n) < 0) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		break;
	}
	case K_STR_APPEND: {
		struct hc_strlist *l = FIELD(o, opt, struct hc_strlist);
		const char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
		if (!v) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		l->v = v;
		l->v[l->n++] = val;
		break;
	}
	default:
		break;
	}
	if (opt->has_off)
		*(bool *)((char *)o + opt->has_off) = true;
	return 0;
}

/* argparse's matching: an exact option string wins; otherwise a long
 * prefix that names exactly one option. */
static const struct hc_option *find_long(const char *name, size_t len, bool *ambiguous)
{
	const struct hc_option *found = NULL;
	*ambiguous = false;
	for (int exact = 1; exact >= 0; exact--) {
		for (size_t i = 0; i < NOPTIONS; i++) {
			const char *forms[2] = {options[i].name, options[i].alias};
			for (int f = 0; f < 2; f++) {
				const char *s = forms[f];
				if (!s || strncmp(s, name, len) || (exact && s[len]))
					continue;
				if (found && found != &options[i])
					*ambiguous = true;
				found = &options[i];
			}
		}
		if (found)
			return *ambiguous ? NULL : found;
	}
	return NULL;
}

static const struct hc_option *find_short(const char *s, size_t len)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].shortf && strlen(options[i].shortf) == len + 1 && !strncmp(options[i].shortf + 1, s, len))
			return &options[i];
	return NULL;
}

static bool takes_value(const struct hc_option *opt)
{
	return opt->kind != K_FLAG && opt->kind != K_FLAG_FALSE && opt->kind != K_HELP;
}

static int apply(struct hc_opts *o, const struct hc_option *opt, int argc, char **argv, int *i, const char *attached,
		 const struct arg_source *src, char *err, size_t errlen)
{
	char name[96], msg[512];
	display(opt, name, sizeof(name));
	int at = *i;
	if (opt->exclusive) {
		if (o->log_choice && o->log_choice != (int)(opt - options) + 1) {
			char other[96];
			display(&options[o->log_choice - 1], other, sizeof(other));
			fail(err, errlen, src, at, "argument %s: not allowed with argument %s", name, other);
			return -1;
		}
		o->log_choice = (int)(opt - options) + 1;
	}
	if (!takes_value(opt)) {
		if (attached) {
			fail(err, errlen, src, at, "argument %s: ignored explicit argument '%s'", name, attached);
			return -1;
		}
		*FIELD(o, opt, bool) = opt->kind != K_FLAG_FALSE;
		return 0;
	}
	const char *val = attached;
	if (!val && *i + 1 < argc && (argv[*i + 1][0] != '-' || looks_negative_number(argv[*i + 1])))
		val = argv[++*i];
	if (!val && opt->kind == K_STR_OPTIONAL)
		val = opt->dflt; /* -sF alone: the constant "daemon" */
	if (!val) {
		fail(err, errlen, src, at, "argument %s: expected one argument%s", name, NULL);
		return -1;
	}
	if (set_value(o, opt, val, msg, sizeof(msg)) < 0) {
		fail(err, errlen, src, *i, "%s%s", msg, NULL);
		return -1;
	}
	return 0;
}

static int parse_args(struct hc_opts *o, int argc, char **argv, const struct arg_source *src, char *err, size_t errlen)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			if (i + 1 < argc) {
				fail(err, errlen, src, i + 1, "unrecognized arguments: %s%s", argv[i + 1], NULL);
				return -1;
			}
			break;
		}
		if (a[0] != '-' || !a[1] || looks_negative_number(a)) {
			fail(err, errlen, src, i, "unrecognized arguments: %s%s", a, NULL);
			return -1;
		}
		const struct hc_option *opt;
		const char *attached = NULL;
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			bool ambiguous = false;
			opt = len ? find_long(name, len, &ambiguous) : NULL;
			if (!opt) {
				fail(err, errlen, src, i, ambiguous ? "ambiguous option: %s%s" : "unrecognized arguments: %s%s",
				     a, NULL);
				return -1;
			}
			if (eq)
				attached = eq + 1;
			if (apply(o, opt, argc, argv, &i, attached, src, err, errlen) < 0)
				return -1;
			if (opt->kind == K_HELP)
				return 0;
			continue;
		}
		/* short forms: "-sF" exactly, "-iVALUE", "-i=VALUE", or flags grouped as "-sd" */
		opt = find_short(a + 1, strlen(a + 1));
		if (opt) {
			if (apply(o, opt, argc, argv, &i, NULL, src, err, errlen) < 0)
				return -1;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			opt = find_short(p, 1);
			if (!opt) {
				fail(err, errlen, src, i, "unrecognized arguments: %s%s", a, NULL);
				return -1;
			}
			if (takes_value(opt)) {
				attached = p[1] == '=' ? p + 2 : p[1] ? p + 1 : NULL;
				if (apply(o, opt, argc, argv, &i, attached, src, err, errlen) < 0)
					return -1;
				break;
			}
			if (apply(o, opt, argc, argv, &i, NULL, src, err, errlen) < 0)
				return -1;
		}
	}
	return 0;
}

static int own(struct hc_opts *o, char *s)
{
	char **v = realloc(o->owned, (o->nowned + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return -1;
	}
	o->owned = v;
	o->owned[o->nowned++] = s;
	return 0;
}

static char *strip(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\f' || *s == '\v')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n' ||
		     s[n - 1] == '\f' || s[n - 1] == '\v'))
		s[--n] = '\0';
	return s;
}

#define CONFIG_MAX_BYTES (1 << 20)

/* ExaBGP's --config: each line that is neither blank nor a '#' comment is
 * "--" + line, split at the first '=' into the option and its value. */
static int read_config(struct hc_opts *o, const char *path, char ***words, int **lines, int *nwords, char *err,
		       size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "argument --config/-F: can't open '%s': %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t n;
	int lineno = 0, rc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		total += (size_t)n;
		if (total > CONFIG_MAX_BYTES || memchr(line, '\0', (size_t)n)) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno,
				 total > CONFIG_MAX_BYTES ? "file larger than 1 MiB" : "NUL byte in the line");
			rc = -1;
			break;
		}
		char *s = strip(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq)
			*eq = '\0';
		const char *parts[2] = {s, eq ? eq + 1 : NULL};
		for (int k = 0; k < 2 && parts[k]; k++) {
			char *word = malloc(strlen(parts[k]) + 3);
			char **nw = realloc(*words, (size_t)(*nwords + 1) * sizeof(*nw));
			int *nl = realloc(*lines, (size_t)(*nwords + 1) * sizeof(*nl));
			if (nw)
				*words = nw;
			if (nl)
				*lines = nl;
			if (!word || !nw || !nl) {
				free(word);
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
			char tmp[8];
			snprintf(tmp, sizeof(tmp), "%s", k ? "" : "--");
			strcpy(word, tmp);
			strcat(word, parts[k]);
			char *stripped = strip(word);
			memmove(word, stripped, strlen(stripped) + 1);
			if (own(o, word) < 0) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
			(*words)[*nwords] = word;
			(*lines)[*nwords] = lineno;
			(*nwords)++;
		}
		if (rc < 0)
			break;
	}
	free(line);
	fclose(f);
	return rc;
}

int hc_opts_parse(struct hc_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	hc_opts_defaults(o);
	if (parse_args(o, argc, argv, NULL, err, errlen) < 0)
		return -1;
	if (!o->config || o->help)
		return 0;
	/* As ExaBGP: parse again, the file's words first, the command line after. */
	const char *path = o->config;
	char **words = NULL;
	int *lines = NULL, nwords = 0;
	char **owned = o->owned;
	size_t nowned = o->nowned;
	free_lists(o);
	hc_opts_defaults(o);
	o->owned = owned;
	o->nowned = nowned;
	int rc = read_config(o, path, &words, &lines, &nwords, err, errlen);
	char **all = rc < 0 ? NULL : calloc((size_t)(nwords + argc + 1), sizeof(*all));
	if (rc == 0 && !all) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (rc == 0) {
		for (int i = 0; i < nwords; i++)
			all[i] = words[i];
		for (int i = 0; i < argc; i++)
			all[nwords + i] = argv[i];
		struct arg_source src = {.file = path, .line = lines, .nfile = nwords};
		rc = parse_args(o, nwords + argc, all, &src, err, errlen);
	}
	free(all);
	free(words);
	free(lines);
	return rc;
}

void hc_opts_help(FILE *f)
{
	fputs("usage: fastbgp healthcheck [options]\n\n"
	      "Runs a check command on a timer and prints announce/withdraw commands for\n"
	      "the daemon that started it (ExaBGP 4.2's healthcheck). See fastbgp-healthcheck(8).\n\n"
	      "options:\n",
	      f);
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct hc_option *opt = &options[i];
		char left[128];
		int n = snprintf(left, sizeof(left), "  --%s", opt->name);
		if (opt->alias)
			n += snprintf(left + n, sizeof(left) - (size_t)n, ", --%s", opt->alias);
		if (opt->shortf)
			n += snprintf(left + n, sizeof(left) - (size_t)n, ", %s", opt->shortf);
		if (opt->metavar)
			snprintf(left + n, sizeof(left) - (size_t)n, opt->kind == K_STR_OPTIONAL ? " [%s]" : " %s",
				 opt->metavar);
		fprintf(f, "%-36s %s", left, opt->help);
		if (opt->dflt && takes_value(opt))
			fprintf(f, " (default: %s)", opt->dflt);
		fputc('\n', f);
	}
}
