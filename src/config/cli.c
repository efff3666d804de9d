/* Command line parsing (see cli.h).  Hand written rather than getopt_long:
 * it must take ExaBGP's two-letter long options (--fi), unique prefixes,
 * repeated -x, options after the configuration files, and it is reentrant
 * for the tests. */
#include "config/cli.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum opt_id {
	OPT_HELP,
	OPT_VERSION,
	OPT_ROOT,
	OPT_ENV,
	OPT_FULL_INI,
	OPT_DIFF_INI,
	OPT_FULL_ENV,
	OPT_DIFF_ENV,
	OPT_DEBUG,
	OPT_PDB,
	OPT_TEST,
	OPT_VALIDATE,
	OPT_ONCE,
	OPT_SIGNAL,
	OPT_MEMORY,
	OPT_PROFILE,
	OPT_RUN,
	OPT_DECODE,
	/* fastbgp decode */
	OPT_FAMILY,
	OPT_NLRI,
	OPT_UPDATE,
	OPT_OPEN,
	OPT_CONFIGURATION,
	OPT_PATH_INFORMATION,
};

struct opt {
	const char *lng; /* without "--" */
	char shrt;       /* 0 = none */
	bool arg;
	enum opt_id id;
};

static const struct opt server_opts[] = {
	{"help", 'h', false, OPT_HELP},
	{"version", 'v', false, OPT_VERSION},
	{"root", 'f', true, OPT_ROOT},
	{"env", 'e', true, OPT_ENV},
	{"full-ini", 0, false, OPT_FULL_INI},
	{"fi", 0, false, OPT_FULL_INI},
	{"diff-ini", 0, false, OPT_DIFF_INI},
	{"di", 0, false, OPT_DIFF_INI},
	{"full-env", 0, false, OPT_FULL_ENV},
	{"fe", 0, false, OPT_FULL_ENV},
	{"diff-env", 0, false, OPT_DIFF_ENV},
	{"de", 0, false, OPT_DIFF_ENV},
	{"debug", 'd', false, OPT_DEBUG},
	{"pdb", 'p', false, OPT_PDB},
	{"test", 't', false, OPT_TEST},
	{"validate", 0, false, OPT_VALIDATE},
	{"once", '1', false, OPT_ONCE},
	{"signal", 0, true, OPT_SIGNAL},
	{"memory", 's', false, OPT_MEMORY},
	{"profile", 0, true, OPT_PROFILE},
	{"run", 0, true, OPT_RUN},
	{"decode", 'x', true, OPT_DECODE},
	{NULL, 0, false, 0},
};

/* ExaBGP 5's "exabgp decode" options. */
static const struct opt decode_opts[] = {
	{"help", 'h', false, OPT_HELP},
	{"family", 'f', true, OPT_FAMILY},
	{"nlri", 'n', false, OPT_NLRI},
	{"update", 'u', false, OPT_UPDATE},
	{"open", 'o', false, OPT_OPEN},
	{"debug", 'd', false, OPT_DEBUG},
	{"pdb", 'p', false, OPT_PDB},
	{"configuration", 'c', true, OPT_CONFIGURATION},
	{"path-information", 'i', false, OPT_PATH_INFORMATION},
	{"root", 0, true, OPT_ROOT},
	{"env", 'e', true, OPT_ENV},
	{NULL, 0, false, 0},
};

#define seterr err_set

/* Exact long name first, then a unique prefix. */
static const struct opt *find_long(const struct opt *tab, const char *name, size_t len, int *ambiguous)
{
	const struct opt *hit = NULL;
	*ambiguous = 0;
	for (const struct opt *o = tab; o->lng; o++)
		if (strlen(o->lng) == len && !strncmp(o->lng, name, len))
			return o;
	for (const struct opt *o = tab; o->lng; o++) {
		if (strncmp(o->lng, name, len))
			continue;
		if (hit && hit->id != o->id)
			*ambiguous = 1;
		hit = o;
	}
	return *ambiguous ? NULL : hit;
}

static const struct opt *find_short(const struct opt *tab, char c)
{
	for (const struct opt *o = tab; o->lng; o++)
		if (o->shrt == c)
			return o;
	return NULL;
}

static const char *opt_name(const struct opt *o, char *buf, size_t len, bool as_short)
{
	if (as_short)
		snprintf(buf, len, "-%c", o->shrt);
	else
		snprintf(buf, len, "--%s", o->lng);
	return buf;
}

static int set_print(struct cli_opts *o, enum cli_print p, const char *name, char *err, size_t errlen)
{
	if (o->print && o->print != p) {
		seterr(err, errlen, "%s: only one of --full-ini/--fi, --diff-ini/--di, --full-env/--fe, "
				    "--diff-env/--de may be given", name);
		return -1;
	}
	o->print = p;
	return 0;
}

static int parse_seconds(const char *v, int *out)
{
	if (!*v)
		return -1;
	long n = 0;
	for (const char *p = v; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		n = n * 10 + (*p - '0');
		if (n > INT_MAX)
			return -1;
	}
	*out = (int)n;
	return 0;
}

/* Apply one option; name is how it was written, for messages. */
static int apply(struct cli_opts *o, const struct opt *op, const char *name, char *val, char *err, size_t errlen)
{
	switch (op->id) {
	case OPT_HELP:
		o->help = true;
		break;
	case OPT_VERSION:
		o->version = true;
		break;
	case OPT_ROOT:
		o->root = val;
		break;
	case OPT_ENV:
		o->env = val;
		break;
	case OPT_FULL_INI:
		return set_print(o, CLI_PRINT_FULL_INI, name, err, errlen);
	case OPT_DIFF_INI:
		return set_print(o, CLI_PRINT_DIFF_INI, name, err, errlen);
	case OPT_FULL_ENV:
		return set_print(o, CLI_PRINT_FULL_ENV, name, err, errlen);
	case OPT_DIFF_ENV:
		return set_print(o, CLI_PRINT_DIFF_ENV, name, err, errlen);
	case OPT_DEBUG:
		o->debug = true;
		break;
	case OPT_PDB:
		o->pdb = true;
		break;
	case OPT_TEST:
		o->test = true;
		break;
	case OPT_VALIDATE:
		o->validate = true;
		break;
	case OPT_ONCE:
		o->once = true;
		break;
	case OPT_SIGNAL:
		if (parse_seconds(val, &o->signal_time)) {
			seterr(err, errlen, "%s: '%s' is not a number of seconds", name, val);
			return -1;
		}
		break;
	case OPT_MEMORY:
		o->memory = true;
		break;
	case OPT_PROFILE:
		o->profile = val;
		break;
	case OPT_RUN:
		if (strcmp(val, "healthcheck") && strcmp(val, "cli")) {
			seterr(err, errlen, "%s: unknown helper '%s' (healthcheck or cli)", name, val);
			return -1;
		}
		o->mode = CLI_MODE_RUN;
		o->run = val;
		break;
	case OPT_DECODE:
		o->decode[o->decode_count++] = val;
		break;
	case OPT_FAMILY:
		o->family = val;
		break;
	case OPT_NLRI:
		o->decode_nlri = true;
		break;
	case OPT_UPDATE:
		o->decode_update = true;
		break;
	case OPT_OPEN:
		o->decode_open = true;
		break;
	case OPT_CONFIGURATION:
		o->decode_conf = val;
		break;
	case OPT_PATH_INFORMATION:
		o->path_information = true;
		break;
	}
	return 0;
}

static void set_run_args(struct cli_opts *o, int argc, char **argv, int from)
{
	o->run_argv = argv + from;
	o->run_argc = argc - from;
}

int cli_parse(struct cli_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->signal_time = -1;
	if (err && errlen)
		err[0] = '\0';
	size_t slots = argc > 0 ? (size_t)argc : 1;
	o->conf = calloc(slots, sizeof(char *));
	o->decode = calloc(slots, sizeof(char *));
	if (!o->conf || !o->decode) {
		seterr(err, errlen, "out of memory");
		return -1;
	}

	int i = 1;
	const struct opt *tab = server_opts;
	if (argc > 1) {
		const char *sub = argv[1];
		if (!strcmp(sub, "decode")) {
			o->mode = CLI_MODE_DECODE;
			tab = decode_opts;
			i = 2;
		} else if (!strcmp(sub, "healthcheck") || !strcmp(sub, "cli")) {
			o->mode = CLI_MODE_RUN;
			o->run = argv[1];
			set_run_args(o, argc, argv, 2);
			return 0;
		} else if (!strcmp(sub, "bgp")) {
			i = 2;
		}
	}

	bool options_done = false;
	for (; i < argc; i++) {
		char *a = argv[i];
		char buf[64];
		if (options_done || a[0] != '-' || !a[1]) {
			if (o->mode == CLI_MODE_DECODE)
				o->decode[o->decode_count++] = a;
			else
				o->conf[o->conf_count++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			options_done = true;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2;
			char *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			int amb;
			const struct opt *op = find_long(tab, name, nl, &amb);
			if (!op) {
				seterr(err, errlen, amb ? "option --%.*s is ambiguous" : "unknown option --%.*s", (int)nl,
				       name);
				return -1;
			}
			opt_name(op, buf, sizeof(buf), false);
			char *val = NULL;
			if (op->arg) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else {
					seterr(err, errlen, "option %s needs a value", buf);
					return -1;
				}
			} else if (eq) {
				seterr(err, errlen, "option %s takes no value", buf);
				return -1;
			}
			if (apply(o, op, buf, val, err, errlen))
				return -1;
			if (op->id == OPT_RUN) {
				set_run_args(o, argc, argv, i + 1);
				return 0;
			}
			continue;
		}
		/* a group of short options: -dp1, -eFILE, -e FILE, -x=HEX */
		for (char *p = a + 1; *p; p++) {
			const struct opt *op = find_short(tab, *p);
			if (!op) {
				seterr(err, errlen, "unknown option -%c", *p);
				return -1;
			}
			opt_name(op, buf, sizeof(buf), true);
			if (!op->arg) {
				if (apply(o, op, buf, NULL, err, errlen))
					return -1;
				continue;
			}
			char *val;
			if (p[1])
				val = p[1] == '=' ? p + 2 : p + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				seterr(err, errlen, "option %s needs a value", buf);
				return -1;
			}
			if (apply(o, op, buf, val, err, errlen))
				return -1;
			break;
		}
	}
	if (o->mode == CLI_MODE_DECODE && !o->decode_count && !o->help) {
		seterr(err, errlen, "decode: the message to decode (hexadecimal) is missing");
		return -1;
	}
	return 0;
}

void cli_free(struct cli_opts *o)
{
	free(o->conf);
	free(o->decode);
	o->conf = NULL;
	o->decode = NULL;
	o->conf_count = 0;
	o->decode_count = 0;
}

void cli_usage(FILE *out)
{
	fputs("usage: fastbgp [options] [configuration ...]\n"
	      "       fastbgp decode [-f \"AFI SAFI\"] [-n] [-i] [-c CONF] HEX\n"
	      "       fastbgp healthcheck|cli [ARGS ...]\n"
	      "\n"
	      "A BGP speaker for programs: it announces what its configuration and helper\n"
	      "processes ask, and reports what its peers send.  Drop-in for ExaBGP 4.2.\n"
	      "\n"
	      "options:\n"
	      "  -h, --help             this text, then every environment setting\n"
	      "  -v, --version          print the version\n"
	      "  -f, --root ROOT        installation prefix holding etc/exabgp/\n"
	      "  -e, --env FILE         settings file (ini); relative names are looked\n"
	      "                         up in ROOT/etc/exabgp/ first\n"
	      "      --fi, --full-ini   print every setting as an ini file, then exit\n"
	      "      --di, --diff-ini   print the settings that differ from the defaults (ini)\n"
	      "      --fe, --full-env   print every setting as environment variables\n"
	      "      --de, --diff-env   print the changed settings as environment variables\n"
	      "  -d, --debug            log everything (exabgp.log.all=true, level DEBUG)\n"
	      "  -p, --pdb              accepted for ExaBGP compatibility (debug.pdb)\n"
	      "  -t, --test             check the configuration and exit\n"
	      "      --validate         check the configuration and exit\n"
	      "  -1, --once             one connection attempt per peer (exabgp.tcp.once)\n"
	      "      --signal SECONDS   send ourselves SIGUSR1 (reload) after SECONDS\n"
	      "  -s, --memory           report memory use on exit\n"
	      "      --profile FILE     profile into FILE (exabgp.profile.*)\n"
	      "      --run HELPER ...   run a helper instead: healthcheck or cli\n"
	      "  -x, --decode HEX       decode a BGP message (repeatable: the parts are joined)\n"
	      "\n"
	      "decode options:\n"
	      "  -f, --family FAMILY    the family of the data, e.g. \"ipv4 unicast\"\n"
	      "  -n, --nlri             the data is NLRI only\n"
	      "  -i, --path-information the NLRI carry path identifiers (ADD-PATH)\n"
	      "  -c, --configuration F  use F's neighbor for the capabilities\n"
	      "\n"
	      "Settings come from environment variables exabgp.SECTION.KEY or\n"
	      "exabgp_SECTION_KEY, then from the ini file (--env, ROOT/etc/exabgp/exabgp.env,\n"
	      "/etc/exabgp/exabgp.env), then from the defaults.  Example:\n"
	      "  env exabgp.log.level=DEBUG exabgp_tcp_bind='0.0.0.0' fastbgp bgp.conf\n"
	      "\n"
	      "Signals: SIGUSR1 reloads the configuration, SIGUSR2 reloads it and restarts\n"
	      "the helpers, SIGALRM restarts everything, SIGTERM and SIGHUP stop.\n",
	      out);
}

void cli_help(FILE *out)
{
	cli_usage(out);
	fputs("\nEnvironment values are:\n", out);
	settings_print_help(out);
}

void cli_version(FILE *out)
{
	fputs(VERSION_LINE "\n", out);
}

char *cli_decode_hex(const struct cli_opts *o)
{
	size_t total = 0;
	for (int i = 0; i < o->decode_count; i++)
		total += strlen(o->decode[i]);
	if (!o->decode_count)
		return NULL;
	char *out = malloc(total + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	for (int i = 0; i < o->decode_count; i++)
		for (const char *p = o->decode[i]; *p; p++) {
			if (*p == ':' || isspace((unsigned char)*p))
				continue;
			if (!isxdigit((unsigned char)*p)) {
				free(out);
				return NULL;
			}
			out[n++] = (char)toupper((unsigned char)*p);
		}
	out[n] = '\0';
	if (!n || n % 2) {
		free(out);
		return NULL;
	}
	return out;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

void cli_root_folder(const char *argv0, const char *root_opt, char *out, size_t len)
{
	char path[PATH_MAX];
	if (!len)
		return;
	out[0] = '\0';
	if (root_opt && *root_opt) {
		if (!realpath(root_opt, path))
			snprintf(path, sizeof(path), "%s", root_opt);
		size_t n = strlen(path);
		while (n > 0 && path[n - 1] == '/')
			path[--n] = '\0';
		snprintf(out, len, "%s", path);
		return;
	}
	int ok = 0;
	if (argv0 && strchr(argv0, '/'))
		ok = realpath(argv0, path) != NULL;
	if (!ok) {
		ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
		if (n <= 0)
			return;
		path[n] = '\0';
	}
	static const char *const tails[] = {"/bin/fastbgp",   "/sbin/fastbgp",   "/bin/exabgp",
					    "/sbin/exabgp",   "/bin/exabgpcli", "/sbin/exabgpcli"};
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
		if (ends_with(path, tails[i])) {
			path[strlen(path) - strlen(tails[i])] = '\0';
			snprintf(out, len, "%s", path);
			return;
		}
}

static void set(struct settings *s, const char *section, const char *key, const char *value)
{
	const struct setting_def *d = settings_find(section, key);
	if (d)
		settings_set(s, d, value, SETTING_FROM_CLI, NULL, 0);
}

void cli_apply_settings(const struct cli_opts *o, struct settings *s, enum cli_apply_phase phase)
{
	if (phase == CLI_APPLY_EARLY) {
		if (o->debug) {
			set(s, "log", "all", "true");
			set(s, "log", "level", "DEBUG");
		}
		if (o->decode_count) {
			char *hex = cli_decode_hex(o);
			set(s, "log", "parser", "true");
			set(s, "debug", "route", hex ? hex : "");
			set(s, "tcp", "bind", "");
			free(hex);
		}
		if (o->profile) {
			set(s, "profile", "enable", "true");
			set(s, "profile", "file", o->profile);
		}
		return;
	}
	if (o->once)
		set(s, "tcp", "once", "true");
	if (o->pdb)
		set(s, "debug", "pdb", "true");
	if (o->test) {
		set(s, "debug", "selfcheck", "true");
		set(s, "log", "parser", "true");
	}
	if (o->memory)
		set(s, "debug", "memory", "true");
}
