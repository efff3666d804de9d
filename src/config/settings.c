/* Environment settings (see settings.h).  One table drives everything:
 * defaults, the environment / ini lookup, the --fi/--di/--fe/--de output
 * and the help list. */
#include "config/settings.h"
#include "config/settings_ini.h"

#include "core/util.h"

#define seterr err_set

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define APP "exabgp"
#define DEFAULT_ETC_FILE "/etc/exabgp/exabgp.env"

#define OFF(field) offsetof(struct settings, field)
/* cover is TESTED("tests/...::function") or IGNORED("why"): see the audit
 * fields of struct setting_def. */
#define TESTED(test) test, NULL
#define IGNORED(why) NULL, why
#define ENTRY(sec, key, type, def, field, flags, min, max, help, tested, ignored) \
	{sec, key, type, def, help, OFF(field), flags, min, max, tested, ignored}
#define E(sec, key, type, def, field, flags, min, max, help, cover) \
	ENTRY(sec, key, type, def, field, flags, min, max, help, cover)
/* cover expands to two arguments once these reach ENTRY */
#define BOOL(sec, key, def, field, help, cover) ENTRY(sec, key, SETTING_BOOL, def, field, 0, 0, 0, help, cover)
#define STR(sec, key, def, field, help, cover) ENTRY(sec, key, SETTING_STRING, def, field, 0, 0, 0, help, cover)
#define INT(sec, key, def, field, min, max, help, cover) \
	ENTRY(sec, key, SETTING_INT, def, field, 0, min, max, help, cover)
#define DBOOL(key, field, help, cover) \
	ENTRY("debug", key, SETTING_BOOL, "false", field, SETTING_INTERNAL, 0, 0, help, cover)

/* The tests that show each setting's effect. */
#define T_EFFECT "tests/functional/test_settings_effect.py::"
#define T_DAEMON "tests/functional/test_daemon.py::"
#define T_SESSION "tests/functional/test_session.py::"
#define T_API "tests/functional/test_api.py::"
#define T_PIPE_CLI "tests/functional/test_pipe_cli.py::"
#define NO_TOPIC_LINES "fastbgp logs no line under this topic"

/* In the order of ExaBGP 4.2's configuration/setup.py: --fe prints in this
 * order, --fi sorts.  Defaults are ExaBGP's strings, unchanged. */
const struct setting_def settings_table[] = {
	BOOL("profile", "enable", "false", profile_enable, "profile the program (accepted, no effect)",
	     IGNORED("fastbgp has no built-in profiler (use perf)")),
	STR("profile", "file", "", profile_file, "where to write the profile (accepted, no effect)",
	    IGNORED("fastbgp has no built-in profiler (use perf)")),
	BOOL("pdb", "enable", "false", pdb_enable, "on a fault, stop in the debugger (accepted, no effect)",
	     IGNORED("a C daemon has no Python debugger")),
	STR("daemon", "pid", "", daemon_pid, "PID file to write, empty = none", TESTED(T_DAEMON "test_pid_file")),
	STR("daemon", "user", "nobody", daemon_user, "user to switch to when started as root",
	    TESTED(T_DAEMON "test_drop_privileges_to_user")),
	BOOL("daemon", "daemonize", "false", daemon_daemonize, "run in the background",
	     TESTED(T_DAEMON "test_daemonize_detaches")),
	BOOL("daemon", "drop", "true", daemon_drop, "drop root privileges before starting the helper processes",
	     TESTED(T_DAEMON "test_helper_runs_as_user")),
	E("daemon", "umask", SETTING_OCTAL, "0137", daemon_umask, 0, 0, 0777,
	  "umask of the daemon (permissions of the files it creates)", TESTED(T_DAEMON "test_umask")),
	BOOL("log", "enable", "true", log_enable, "log at all", TESTED(T_EFFECT "test_log_enable")),
	E("log", "level", SETTING_LOG_LEVEL, "INFO", log_level, 0, 0, 0,
	  "lowest syslog priority logged: EMERG ALERT CRIT ERR WARNING NOTICE INFO DEBUG",
	  TESTED(T_EFFECT "test_log_level")),
	STR("log", "destination", "stdout", log_destination,
	    "stdout, stderr, syslog (local), host:IP (remote syslog) or a file name",
	    TESTED(T_EFFECT "test_log_destination")),
	BOOL("log", "all", "false", log_all, "log every topic below", TESTED(T_EFFECT "test_log_all")),
	BOOL("log", "configuration", "true", log_configuration, "log configuration parsing and commands",
	     TESTED(T_EFFECT "test_log_topic")),
	BOOL("log", "reactor", "true", log_reactor, "log signals and reloads", TESTED(T_EFFECT "test_log_topic")),
	BOOL("log", "daemon", "true", log_daemon, "log PID file, forking and privileges", TESTED(T_EFFECT "test_log_topic")),
	BOOL("log", "processes", "true", log_processes, "log the helper processes", TESTED(T_EFFECT "test_log_topic")),
	BOOL("log", "network", "true", log_network, "log TCP connections and session state",
	     TESTED(T_EFFECT "test_log_topic")),
	BOOL("log", "packets", "false", log_packets, "log the BGP messages sent and received (accepted, no effect)",
	     IGNORED(NO_TOPIC_LINES)),
	BOOL("log", "rib", "false", log_rib, "log changes of the configured routes", TESTED(T_EFFECT "test_log_topic")),
	BOOL("log", "message", "false", log_message, "log route changes caused by a reload (accepted, no effect)",
	     IGNORED(NO_TOPIC_LINES)),
	BOOL("log", "timers", "false", log_timers, "log keepalive and hold timers (accepted, no effect)",
	     IGNORED(NO_TOPIC_LINES)),
	BOOL("log", "routes", "false", log_routes, "log the routes received (accepted, no effect)",
	     IGNORED(NO_TOPIC_LINES)),
	BOOL("log", "parser", "false", log_parser, "log the decoding of BGP messages (accepted, no effect)",
	     IGNORED(NO_TOPIC_LINES)),
	BOOL("log", "short", "false", log_short, "the message alone, without time, PID and topic",
	     TESTED(T_EFFECT "test_log_short")),
	BOOL("tcp", "once", "false", tcp_once, "one connection attempt per peer, then give up",
	     TESTED(T_SESSION "test_tcp_once_exits_when_session_ends")),
	INT("tcp", "delay", "0", tcp_delay, 0, 100000,
	    "start announcing when the minute of the hour is a multiple of this (accepted, no effect)",
	    IGNORED("routes are announced as soon as the session is up")),
	E("tcp", "bind", SETTING_IP_LIST, "", tcp_bind, 0, 0, 0,
	  "addresses to listen on, space separated; empty = do not listen",
	  TESTED(T_SESSION "test_does_not_listen_without_bind")),
	INT("tcp", "port", "179", tcp_port, 1, 65535, "TCP port to listen on and to connect to",
	    TESTED(T_SESSION "test_routes_only_for_negotiated_families")),
	E("tcp", "pending_per_source", SETTING_INT, "8", tcp_pending_per_source, SETTING_FASTBGP, 1, 4096,
	  "most incoming connections from one address waiting for their OPEN; more are closed",
	  TESTED("tests/functional/test_limits.py::test_pending_connections_per_source_are_bounded")),
	BOOL("tcp", "acl", "", tcp_acl, "unused (kept for compatibility)", IGNORED("unused in ExaBGP 4.2 too")),
	INT("bgp", "openwait", "60", bgp_openwait, 0, 86400, "seconds to wait for the OPEN once TCP is up",
	    TESTED(T_EFFECT "test_openwait")),
	E("bgp", "graceful_stale_time", SETTING_INT, "360", bgp_graceful_stale_time, SETTING_FASTBGP, 1, 86400,
	  "graceful restart: seconds a restarted peer has to send End-of-RIB before its stale routes go",
	  TESTED("tests/functional/test_graceful_restart.py::test_stale_time_bounds_the_wait_for_end_of_rib")),
	E("bgp", "adj_rib_in_kib", SETTING_INT, "0", bgp_adj_rib_in_kib, SETTING_FASTBGP, 0, INT_MAX,
	  "memory budget of one peer's adj-rib-in in KiB (0 = no limit); past it new prefixes are not stored, logged",
	  TESTED("tests/functional/test_limits.py::test_adj_rib_in_budget_stops_storing_and_logs")),
	BOOL("cache", "attributes", "true", cache_attributes, "share identical attribute sets (accepted, always on)",
	     IGNORED("identical attribute sets are always shared")),
	BOOL("cache", "nexthops", "true", cache_nexthops, "unused: next-hops are always shared",
	     IGNORED("next-hops are always shared")),
	BOOL("api", "ack", "true", api_ack, "answer each helper command with done or error",
	     TESTED(T_EFFECT "test_api_ack")),
	INT("api", "chunk", "1", api_chunk, 1, 1000000, "lines sent by show commands before yielding (accepted, no effect)",
	    IGNORED("show output is written without yielding, with back-pressure")),
	E("api", "encoder", SETTING_ENCODER, "json", api_encoder, 0, 0, 0, "default encoder for helpers: json or text",
	  TESTED(T_EFFECT "test_api_encoder")),
	BOOL("api", "compact", "false", api_compact, "shorter JSON for IPv4/IPv6 unicast routes",
	     TESTED(T_EFFECT "test_api_compact")),
	BOOL("api", "respawn", "true", api_respawn, "restart a helper process that dies",
	     TESTED(T_EFFECT "test_api_respawn")),
	BOOL("api", "terminate", "false", api_terminate,
	     "stop the daemon when a helper is given up (respawn off or its limit); otherwise only that helper stops",
	     TESTED("tests/functional/test_helper_faults.py::test_respawn_limit_with_api_terminate_stops_the_daemon")),
	BOOL("api", "cli", "true", api_cli, "serve the command line client on the named pipes",
	     TESTED(T_PIPE_CLI "test_exabgpcli_show_and_announce_through_the_fifos")),
	STR("api", "pipename", "exabgp", api_pipename, "name of the named pipes, <name>.in and <name>.out",
	    TESTED(T_PIPE_CLI "test_exabgpcli_show_and_announce_through_the_fifos")),
	E("api", "socket", SETTING_STRING, "", api_socket, SETTING_FASTBGP, 0, 0,
	  "path of the control Unix socket, empty = none", TESTED(T_API "test_fastbgpctl_over_the_control_socket")),
	E("api", "queue", SETTING_INT, "100000", api_queue, SETTING_FASTBGP, 1, INT_MAX,
	  "most events queued for one slow helper", TESTED(T_API "test_helper_that_never_reads_does_not_kill_sessions")),
	E("api", "nats_buffer", SETTING_INT, "100000", api_nats_buffer, SETTING_FASTBGP, 1, INT_MAX,
	  "most events held for one NATS process while the server is unreachable, then dropped and counted",
	  TESTED("tests/integration/test_nats.py::test_events_buffered_while_nats_server_restarts")),
	E("api", "line", SETTING_INT, "1048576", api_line, SETTING_FASTBGP, 1024, 256 * 1024 * 1024,
	  "longest command line accepted from a helper, in bytes", TESTED(T_EFFECT "test_api_line")),
	E("api", "version", SETTING_INT, "4", api_version, SETTING_FASTBGP, 4, 5,
	  "JSON flavour sent to helpers: 4 (ExaBGP 4.2) or 5 (ExaBGP 5.0, which also sends the hostname capability)",
	  TESTED(T_EFFECT "test_api_version")),
	E("api", "reason", SETTING_BOOL, "false", api_reason, SETTING_FASTBGP, 0, 0,
	  "helpers get an 'error: REASON' line before 'error' (the CLI always does)",
	  TESTED("tests/unit/test_api_loop.c::test_reason_for_helpers")),
	E("metrics", "listen", SETTING_STRING, "", metrics_listen, SETTING_FASTBGP, 0, 0,
	  "IP:PORT of the Prometheus /metrics HTTP endpoint, empty = off",
	  TESTED("tests/functional/test_metrics.py::test_metrics_follow_the_session")),
	E("reactor", "speed", SETTING_REAL, "1.0", reactor_speed, 0, 0, 0, "main loop period in seconds (accepted, unused)",
	  IGNORED("fastbgp is event driven and has no polling loop")),
	DBOOL("pdb", debug_pdb, "debugger on errors (set by -p)", IGNORED("a C daemon has no Python debugger")),
	DBOOL("memory", debug_memory, "memory report on exit (set by -s)", IGNORED("no memory report (use ASan or heaptrack)")),
	DBOOL("configuration", debug_configuration, "stop on the first configuration error",
	      IGNORED("fastbgp always stops on the first configuration error")),
	DBOOL("selfcheck", debug_selfcheck, "check the configuration and exit (set by -t)",
	      TESTED(T_EFFECT "test_debug_selfcheck")),
	E("debug", "route", SETTING_STRING, "", debug_route, SETTING_INTERNAL, 0, 0, "message to decode (set by -x)",
	  TESTED(T_EFFECT "test_debug_route")),
	DBOOL("defensive", debug_defensive, "inject random faults (testing only)", IGNORED("no fault injection")),
	DBOOL("rotate", debug_rotate, "each reload moves to the next configuration file",
	      TESTED(T_EFFECT "test_debug_rotate")),
};
const size_t settings_table_len = sizeof(settings_table) / sizeof(settings_table[0]);

_Static_assert(sizeof(settings_table) / sizeof(settings_table[0]) <= SETTINGS_COUNT,
	       "raise SETTINGS_COUNT");

/* ------------------------------------------------------------------ helpers */

static void *field(struct settings *s, const struct setting_def *d)
{
	return (char *)s + d->offset;
}

static const void *cfield(const struct settings *s, const struct setting_def *d)
{
	return (const char *)s + d->offset;
}

static size_t index_of(const struct setting_def *d)
{
	return (size_t)(d - settings_table);
}

static void add_warning(struct settings *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(struct settings *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	size_t old = s->warnings ? strlen(s->warnings) : 0;
	size_t add = strlen(line);
	char *w = realloc(s->warnings, old + add + 2);
	if (!w)
		return;
	memcpy(w + old, line, add);
	w[old + add] = '\n';
	w[old + add + 1] = '\0';
	s->warnings = w;
}

/* Python's str.strip().strip('\'"'): blanks, then every quote at either end. */
static void unquote(const char *in, char *out, size_t outlen)
{
	const char *b = in, *e = in + strlen(in);
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	while (b < e && (*b == '\'' || *b == '"'))
		b++;
	while (e > b && (e[-1] == '\'' || e[-1] == '"'))
		e--;
	size_t n = (size_t)(e - b);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

static int str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* Python's repr() of a float: the shortest digits that read back the same,
 * fixed notation for exponents -4..15 (always with a ".0"), else 1e+16. */
static int format_real(double v, char *buf, size_t len)
{
	if (isnan(v))
		return snprintf(buf, len, "nan");
	if (isinf(v))
		return snprintf(buf, len, v < 0 ? "-inf" : "inf");
	char tmp[64];
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (prec > 17)
		prec = 17;
	int exp = atoi(strchr(tmp, 'e') + 1);
	if (v != 0 && (exp < -4 || exp >= 16)) {
		/* mantissa without trailing ".": 1e+16, 1.5e-05 */
		char mant[40];
		snprintf(mant, sizeof(mant), "%.*e", prec - 1, v);
		*strchr(mant, 'e') = '\0';
		return snprintf(buf, len, "%se%c%02d", mant, exp < 0 ? '-' : '+', abs(exp));
	}
	int decimals = prec - 1 - exp;
	if (decimals < 1)
		decimals = 1;
	int n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	/* trim zeros beyond the shortest representation, keep one decimal */
	while (n > 0 && tmp[n - 1] == '0' && tmp[n - 2] != '.')
		tmp[--n] = '\0';
	return snprintf(buf, len, "%s", tmp);
}

static const char *const syslog_names[] = {"EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"};

static int parse_log_level(const char *v)
{
	for (int i = 0; i < 8; i++)
		if (str_ieq(v, syslog_names[i]))
			return i;
	if (str_ieq(v, "CRITICAL"))
		return SETTINGS_LOG_CRIT;
	if (str_ieq(v, "ERROR"))
		return SETTINGS_LOG_ERR;
	return -1;
}

static int parse_ip_list(const char *v, struct settings_ip_list *out, char *err, size_t errlen)
{
	out->ip = NULL;
	out->count = 0;
	size_t cap = 0;
	const char *p = v;
	while (*p) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *b = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		char word[64];
		size_t n = (size_t)(p - b);
		struct settings_ip ip;
		memset(&ip, 0, sizeof(ip));
		if (n < sizeof(word)) {
			memcpy(word, b, n);
			word[n] = '\0';
			if (inet_pton(AF_INET, word, ip.addr) == 1)
				ip.family = AF_INET;
			else if (inet_pton(AF_INET6, word, ip.addr) == 1)
				ip.family = AF_INET6;
		}
		if (!ip.family) {
			seterr(err, errlen, "invalid IP address '%.*s'", (int)(n > 64 ? 64 : n), b);
			free(out->ip);
			out->ip = NULL;
			out->count = 0;
			return -1;
		}
		inet_ntop(ip.family, ip.addr, ip.text, sizeof(ip.text));
		if (out->count == cap) {
			cap = cap ? cap * 2 : 4;
			struct settings_ip *nip = realloc(out->ip, cap * sizeof(*nip));
			if (!nip) {
				seterr(err, errlen, "out of memory");
				free(out->ip);
				out->ip = NULL;
				out->count = 0;
				return -1;
			}
			out->ip = nip;
		}
		out->ip[out->count++] = ip;
	}
	return 0;
}

/* Release what a field owns and zero it. */
static void field_free(struct settings *s, const struct setting_def *d)
{
	if (d->type == SETTING_STRING) {
		char **p = field(s, d);
		free(*p);
		*p = NULL;
	} else if (d->type == SETTING_IP_LIST) {
		struct settings_ip_list *l = field(s, d);
		free(l->ip);
		l->ip = NULL;
		l->count = 0;
	}
}

/* ------------------------------------------------------------------- values */

int settings_set(struct settings *s, const struct setting_def *d, const char *text, int source, char *err,
		 size_t errlen)
{
	size_t tl = strlen(text) + 1;
	char *v = malloc(tl);
	if (!v) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	unquote(text, v, tl);
	int rc = -1;
	void *f = field(s, d);

	switch (d->type) {
	case SETTING_BOOL: {
		static const char *const yes[] = {"1", "yes", "on", "enable", "true"};
		static const char *const no[] = {"0", "no", "off", "disable", "false", ""};
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
			if (str_ieq(v, yes[i])) {
				*(bool *)f = true;
				rc = 0;
			}
		for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
			if (str_ieq(v, no[i])) {
				*(bool *)f = false;
				rc = 0;
			}
		if (rc)
			seterr(err, errlen, "invalid boolean '%s' (use true or false)", v);
		break;
	}
	case SETTING_INT: {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (!*v || *end || errno || isspace((unsigned char)*v)) {
			seterr(err, errlen, "invalid integer '%s'", v);
		} else if (n < d->min || n > d->max) {
			seterr(err, errlen, "%ld is out of range (%ld to %ld)", n, d->min, d->max);
		} else {
			*(int *)f = (int)n;
			rc = 0;
		}
		break;
	}
	case SETTING_REAL: {
		char *end;
		errno = 0;
		double x = strtod(v, &end);
		if (!*v || *end || errno || !isfinite(x) || x < 0)
			seterr(err, errlen, "invalid number '%s'", v);
		else {
			*(double *)f = x;
			rc = 0;
		}
		break;
	}
	case SETTING_OCTAL: {
		const char *p = v;
		if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
			p += 2;
		char *end = (char *)p;
		errno = 0;
		long n = *p && *p != '-' && *p != '+' ? strtol(p, &end, 8) : -1;
		if (n < 0 || *end || errno || n < d->min || n > d->max)
			seterr(err, errlen, "invalid octal value '%s' (like 0137)", v);
		else {
			*(unsigned *)f = (unsigned)n;
			rc = 0;
		}
		break;
	}
	case SETTING_STRING: {
		char **p = f;
		free(*p);
		*p = v;
		v = NULL;
		rc = 0;
		break;
	}
	case SETTING_LOG_LEVEL: {
		int l = parse_log_level(v);
		if (l < 0)
			seterr(err, errlen,
			       "invalid log level '%s' (use EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO or DEBUG)", v);
		else {
			*(int *)f = l;
			rc = 0;
		}
		break;
	}
	case SETTING_ENCODER:
		if (str_ieq(v, "json")) {
			*(int *)f = SETTINGS_ENCODER_JSON;
			rc = 0;
		} else if (str_ieq(v, "text")) {
			*(int *)f = SETTINGS_ENCODER_TEXT;
			rc = 0;
		} else {
			seterr(err, errlen, "invalid encoder '%s' (use json or text)", v);
		}
		break;
	case SETTING_IP_LIST: {
		struct settings_ip_list l;
		if (parse_ip_list(v, &l, err, errlen) == 0) {
			field_free(s, d);
			*(struct settings_ip_list *)f = l;
			rc = 0;
		}
		break;
	}
	}
	free(v);
	if (rc == 0)
		s->source[index_of(d)] = (unsigned char)source;
	return rc;
}

int settings_format(const struct settings *s, const struct setting_def *d, char *buf, size_t len)
{
	const void *f = cfield(s, d);
	switch (d->type) {
	case SETTING_BOOL:
		return snprintf(buf, len, "%s", *(const bool *)f ? "true" : "false");
	case SETTING_INT:
		return snprintf(buf, len, "%d", *(const int *)f);
	case SETTING_REAL:
		return format_real(*(const double *)f, buf, len);
	case SETTING_OCTAL:
		return snprintf(buf, len, "'0o%o'", *(const unsigned *)f);
	case SETTING_STRING: {
		const char *v = *(char *const *)f;
		return snprintf(buf, len, "'%s'", v ? v : "");
	}
	case SETTING_LOG_LEVEL: {
		int l = *(const int *)f;
		return snprintf(buf, len, "%s", l >= 0 && l < 8 ? syslog_names[l] : "INFO");
	}
	case SETTING_ENCODER:
		return snprintf(buf, len, "%s", *(const int *)f == SETTINGS_ENCODER_TEXT ? "text" : "json");
	case SETTING_IP_LIST: {
		const struct settings_ip_list *l = f;
		size_t n = 0;
		int total = 0;
		int w = snprintf(buf, len, "'");
		total += w;
		n = (size_t)w < len ? (size_t)w : len;
		for (size_t i = 0; i < l->count; i++) {
			w = snprintf(buf + n, len > n ? len - n : 0, "%s%s", i ? " " : "", l->ip[i].text);
			total += w;
			n = n + (size_t)w < len ? n + (size_t)w : len;
		}
		w = snprintf(buf + n, len > n ? len - n : 0, "'");
		return total + w;
	}
	}
	return snprintf(buf, len, "?");
}

/* Format into a heap buffer (values like debug.route can be long). */
static char *format_alloc(const struct settings *s, const struct setting_def *d)
{
	char small[256];
	int n = settings_format(s, d, small, sizeof(small));
	if (n < 0)
		return NULL;
	char *out = malloc((size_t)n + 1);
	if (!out)
		return NULL;
	if ((size_t)n < sizeof(small))
		memcpy(out, small, (size_t)n + 1);
	else
		settings_format(s, d, out, (size_t)n + 1);
	return out;
}

int settings_is_default(const struct settings *s, const struct setting_def *d)
{
	struct settings tmp;
	memset(&tmp, 0, sizeof(tmp));
	if (settings_set(&tmp, d, d->def, SETTING_FROM_DEFAULT, NULL, 0) != 0)
		return 0;
	char *a = format_alloc(s, d), *b = format_alloc(&tmp, d);
	int same = a && b && !strcmp(a, b);
	free(a);
	free(b);
	field_free(&tmp, d);
	return same;
}

/* ------------------------------------------------------------ init / free */

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < settings_table_len; i++) {
		int rc = settings_set(s, &settings_table[i], settings_table[i].def, SETTING_FROM_DEFAULT, NULL, 0);
		(void)rc; /* the defaults are valid: test_settings checks every one */
	}
}

void settings_free(struct settings *s)
{
	for (size_t i = 0; i < settings_table_len; i++)
		field_free(s, &settings_table[i]);
	free(s->ini_path);
	free(s->warnings);
	s->ini_path = NULL;
	s->warnings = NULL;
}

const struct setting_def *settings_find(const char *section, const char *key)
{
	for (size_t i = 0; i < settings_table_len; i++)
		if (!strcmp(settings_table[i].section, section) && !strcmp(settings_table[i].key, key))
			return &settings_table[i];
	return NULL;
}

const struct setting_def *settings_find_name(const char *name)
{
	if (!strncmp(name, APP, sizeof(APP) - 1) && (name[sizeof(APP) - 1] == '.' || name[sizeof(APP) - 1] == '_'))
		name += sizeof(APP);
	const char *sep = name + strcspn(name, "._");
	if (!*sep)
		return NULL;
	char section[32];
	size_t n = (size_t)(sep - name);
	if (n >= sizeof(section))
		return NULL;
	memcpy(section, name, n);
	section[n] = '\0';
	return settings_find(section, sep + 1);
}

static int path_exists(const char *p)
{
	struct stat st;
	return p && *p && stat(p, &st) == 0;
}

/* The ini file to read, in a malloc'ed string, or NULL. */
static char *pick_ini(struct settings *s, const struct settings_paths *paths)
{
	const char *root = paths && paths->root ? paths->root : "";
	/* ExaBGP: etc = <root>/etc/exabgp, with root "/usr" meaning "/". */
	const char *prefix = strcmp(root, "/usr") && strcmp(root, "/") ? root : "";
	char buf[PATH_MAX];

	if (paths && paths->env_file && *paths->env_file) {
		const char *ef = paths->env_file;
		if (ef[0] == '/') {
			if (path_exists(ef))
				return strdup(ef);
		} else {
			snprintf(buf, sizeof(buf), "%s/etc/exabgp/%s", prefix, ef);
			if (path_exists(buf))
				return strdup(buf);
			if (path_exists(ef)) {
				char *abs = realpath(ef, NULL);
				return abs ? abs : strdup(ef);
			}
		}
		add_warning(s, "environment file %s not found, using the next one", ef);
	}
	snprintf(buf, sizeof(buf), "%s/etc/exabgp/exabgp.env", prefix);
	if (path_exists(buf))
		return strdup(buf);
	const char *etc = paths && paths->etc_file ? paths->etc_file : DEFAULT_ETC_FILE;
	if (path_exists(etc))
		return strdup(etc);
	return NULL;
}

static const char *const known_sections[] = {"profile", "pdb", "daemon", "log", "tcp", "bgp",
					     "cache", "api", "reactor", "debug"};

static int known_section(const char *sec)
{
	for (size_t i = 0; i < sizeof(known_sections) / sizeof(known_sections[0]); i++)
		if (!strcmp(sec, known_sections[i]))
			return 1;
	return 0;
}

static void warn_unknown(struct settings *s, struct ini *ini)
{
	for (size_t i = 0; i < ini->n; i++) {
		const char *sec = ini->e[i].section;
		if (strncmp(sec, APP ".", sizeof(APP)))
			continue;
		sec += sizeof(APP);
		if (!known_section(sec))
			add_warning(s, "%s:%d: unknown section [%s], ignored", ini->path, ini->e[i].line,
				    ini->e[i].section);
		else if (!settings_find(sec, ini->e[i].key))
			add_warning(s, "%s:%d: unknown setting %s.%s, ignored", ini->path, ini->e[i].line,
				    ini->e[i].section, ini->e[i].key);
	}
	for (char **env = environ; env && *env; env++) {
		const char *v = *env;
		if (strncmp(v, APP, sizeof(APP) - 1) || (v[sizeof(APP) - 1] != '.' && v[sizeof(APP) - 1] != '_'))
			continue;
		size_t nl = strcspn(v, "=");
		char name[128];
		if (nl >= sizeof(name))
			continue;
		memcpy(name, v, nl);
		name[nl] = '\0';
		/* set by ExaBGP for its own cli helper, not a setting */
		if (!strcmp(name, "exabgp_cli_pipe"))
			continue;
		if (!settings_find_name(name))
			add_warning(s, "environment variable %s is not a setting, ignored", name);
	}
}

/* No setting is silently a no-op: one given a value other than its default
 * that fastbgp does not act on is named at startup. */
static void warn_ignored(struct settings *s)
{
	for (size_t i = 0; i < settings_table_len; i++) {
		const struct setting_def *d = &settings_table[i];
		if (!d->ignored || s->source[i] == SETTING_FROM_DEFAULT || settings_is_default(s, d))
			continue;
		add_warning(s, APP ".%s.%s is accepted for compatibility and ignored: %s", d->section, d->key,
			    d->ignored);
	}
}

int settings_load(struct settings *s, const struct settings_paths *paths, char *err, size_t errlen)
{
	struct ini ini;
	memset(&ini, 0, sizeof(ini));
	int rc = 0;
	char msg[512];

	settings_init(s);
	s->ini_path = pick_ini(s, paths);
	if (s->ini_path) {
		ini.path = s->ini_path;
		FILE *f = fopen(s->ini_path, "r");
		if (!f) {
			/* ExaBGP's ConfigParser.read() skips unreadable files too. */
			add_warning(s, "cannot read %s: %s, using the defaults", s->ini_path, strerror(errno));
		} else {
			rc = ini_parse(&ini, f, err, errlen);
			fclose(f);
			if (rc)
				goto out;
		}
	}

	for (size_t i = 0; i < settings_table_len && !rc; i++) {
		const struct setting_def *d = &settings_table[i];
		char dotted[96], under[96], section[64];
		snprintf(dotted, sizeof(dotted), APP ".%s.%s", d->section, d->key);
		snprintf(under, sizeof(under), APP "_%s_%s", d->section, d->key);
		snprintf(section, sizeof(section), APP ".%s", d->section);
		const char *v;
		if ((v = getenv(dotted))) {
			if (settings_set(s, d, v, SETTING_FROM_ENV_DOT, msg, sizeof(msg))) {
				seterr(err, errlen, "env %s: %s", dotted, msg);
				rc = -1;
			}
		} else if ((v = getenv(under))) {
			if (settings_set(s, d, v, SETTING_FROM_ENV_UNDERSCORE, msg, sizeof(msg))) {
				seterr(err, errlen, "env %s: %s", under, msg);
				rc = -1;
			}
		} else {
			char *iv = NULL;
			int line = 0;
			if (ini_get(&ini, section, d->key, 0, &iv, &line, err, errlen) < 0) {
				rc = -1;
			} else if (iv) {
				if (settings_set(s, d, iv, SETTING_FROM_INI, msg, sizeof(msg))) {
					seterr(err, errlen, "%s:%d: %s: %s", s->ini_path, line, dotted, msg);
					rc = -1;
				}
				free(iv);
			}
		}
	}
	if (rc)
		goto out;

	warn_unknown(s, &ini);
	warn_ignored(s);
	/* The ExaBGP FAQ documents `env PID=/path exabgp ...` for a PID file:
	 * honour it when exabgp.daemon.pid itself is not set. */
	const char *pid = getenv("PID");
	if (pid && *pid && !*s->daemon_pid) {
		const struct setting_def *d = settings_find("daemon", "pid");
		if (d && settings_set(s, d, pid, SETTING_FROM_ENV_UNDERSCORE, err, errlen) < 0) {
			rc = -1;
			goto out;
		}
	}
out:
	ini_free(&ini);
	return rc;
}

/* ----------------------------------------------------------------- printing */

static int def_cmp(const void *a, const void *b)
{
	const struct setting_def *x = *(const struct setting_def *const *)a;
	const struct setting_def *y = *(const struct setting_def *const *)b;
	int c = strcmp(x->section, y->section);
	return c ? c : strcmp(x->key, y->key);
}

void settings_print_ini(const struct settings *s, FILE *out, int diff)
{
	const struct setting_def *sorted[SETTINGS_COUNT];
	size_t n = 0;
	for (size_t i = 0; i < settings_table_len; i++)
		if (!(settings_table[i].flags & SETTING_INTERNAL))
			sorted[n++] = &settings_table[i];
	qsort(sorted, n, sizeof(sorted[0]), def_cmp);
	const char *header_done = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct setting_def *d = sorted[i];
		if (diff && settings_is_default(s, d))
			continue;
		if (!header_done || strcmp(header_done, d->section)) {
			fprintf(out, "\n[" APP ".%s]\n", d->section);
			header_done = d->section;
		}
		char *v = format_alloc(s, d);
		fprintf(out, "%s = %s\n", d->key, v ? v : "");
		free(v);
	}
}

void settings_print_env(const struct settings *s, FILE *out, int diff)
{
	if (!diff)
		fputc('\n', out);
	for (size_t i = 0; i < settings_table_len; i++) {
		const struct setting_def *d = &settings_table[i];
		if (d->flags & SETTING_INTERNAL)
			continue;
		if (diff && settings_is_default(s, d))
			continue;
		char *v = format_alloc(s, d);
		fprintf(out, APP ".%s.%s=%s\n", d->section, d->key, v ? v : "");
		free(v);
	}
}

void settings_print_help(FILE *out)
{
	const struct setting_def *sorted[SETTINGS_COUNT];
	size_t n = 0;
	for (size_t i = 0; i < settings_table_len; i++)
		if (!(settings_table[i].flags & SETTING_INTERNAL))
			sorted[n++] = &settings_table[i];
	qsort(sorted, n, sizeof(sorted[0]), def_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct setting_def *d = sorted[i];
		int pad = 20 - (int)strlen(d->section) - (int)strlen(d->key);
		const char *q = d->type == SETTING_STRING ? "'" : "";
		fprintf(out, " - " APP ".%s.%s %*s: %s. default (%s%s%s)\n", d->section, d->key, pad > 0 ? pad : 0,
			"", d->help, q, d->def, q);
	}
}

/* ------------------------------------------------------------------ logging */

int settings_log_level(int syslog_level)
{
	switch (syslog_level) {
	case SETTINGS_LOG_EMERG:
	case SETTINGS_LOG_ALERT:
	case SETTINGS_LOG_CRIT:
		return LOG_LVL_CRITICAL;
	case SETTINGS_LOG_ERR:
		return LOG_LVL_ERROR;
	case SETTINGS_LOG_WARNING:
		return LOG_LVL_WARNING;
	case SETTINGS_LOG_NOTICE: /* fastbgp has no NOTICE: what ExaBGP says at NOTICE, it says at INFO */
	case SETTINGS_LOG_INFO:
		return LOG_LVL_INFO;
	default:
		return LOG_LVL_DEBUG;
	}
}

void settings_log_config(const struct settings *s, struct log_config *lc)
{
	const bool topic[LOG_TOPIC_COUNT] = {
		[LOG_CONFIGURATION] = s->log_configuration,
		[LOG_REACTOR] = s->log_reactor,
		[LOG_DAEMON] = s->log_daemon,
		[LOG_PROCESSES] = s->log_processes,
		[LOG_NETWORK] = s->log_network,
		[LOG_PACKETS] = s->log_packets,
		[LOG_RIB] = s->log_rib,
		[LOG_MESSAGE] = s->log_message,
		[LOG_TIMERS] = s->log_timers,
		[LOG_ROUTES] = s->log_routes,
		[LOG_PARSER] = s->log_parser,
	};
	memset(lc, 0, sizeof(*lc));
	lc->enabled = s->log_enable;
	lc->level = settings_log_level(s->log_level);
	for (int t = 0; t < LOG_TOPIC_COUNT; t++)
		if (s->log_all || topic[t])
			lc->topics |= 1u << t;
	lc->short_format = s->log_short;
	lc->destination = s->log_destination ? s->log_destination : "stdout";
}
