/* Environment settings: ExaBGP 4.2's `exabgp.SECTION.KEY` values.
 *
 * Every key is one entry of settings_table[] (section, key, type, default,
 * help, offset of its field in struct settings).  Loading, printing (--fi,
 * --di, --fe, --de), documentation and tests all walk that one table.
 *
 * For each key the first match wins:
 *   1. environment variable exabgp.SECTION.KEY
 *   2. environment variable exabgp_SECTION_KEY
 *   3. the ini file: section [exabgp.SECTION], line `key = value`
 *   4. the default (the same string ExaBGP 4.2 has in configuration/setup.py)
 * The ini file is the first that exists of: the --env file, then
 * <root>/etc/exabgp/exabgp.env, then /etc/exabgp/exabgp.env. */
#ifndef FASTBGP_CONFIG_SETTINGS_H
#define FASTBGP_CONFIG_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/log.h"

/* How a value is parsed and printed. */
enum setting_type {
	SETTING_BOOL,      /* bool: 1 yes on enable true / 0 no off disable false ("" = false) */
	SETTING_INT,       /* int, decimal, within [min, max] */
	SETTING_REAL,      /* double, finite, >= 0 */
	SETTING_OCTAL,     /* unsigned: 0137, 137 or 0o137; printed '0o137' like Python's oct() */
	SETTING_STRING,    /* char *, surrounding quotes removed; printed quoted */
	SETTING_LOG_LEVEL, /* int: syslog priority 0 (EMERG) .. 7 (DEBUG); printed as its name */
	SETTING_ENCODER,   /* int: enum settings_encoder; "json" or "text" */
	SETTING_IP_LIST,   /* struct settings_ip_list: space separated IPv4/IPv6 addresses */
};

/* Flags of a table entry. */
enum {
	SETTING_INTERNAL = 1u << 0, /* "debug" section: never printed by --fi/--fe (as ExaBGP) */
	SETTING_FASTBGP = 1u << 1,  /* fastbgp's own key: ExaBGP 4.2 does not have it */
};

enum settings_encoder { SETTINGS_ENCODER_JSON = 0, SETTINGS_ENCODER_TEXT = 1 };

/* syslog priorities, as log.level stores them (same values as <syslog.h>). */
enum settings_syslog_level {
	SETTINGS_LOG_EMERG = 0,
	SETTINGS_LOG_ALERT = 1,
	SETTINGS_LOG_CRIT = 2,
	SETTINGS_LOG_ERR = 3,
	SETTINGS_LOG_WARNING = 4,
	SETTINGS_LOG_NOTICE = 5,
	SETTINGS_LOG_INFO = 6,
	SETTINGS_LOG_DEBUG = 7,
};

/* One address of tcp.bind. */
struct settings_ip {
	int family;            /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network order; IPv4 uses the first 4 bytes */
	char text[48];         /* canonical form (inet_ntop) */
};

struct settings_ip_list {
	struct settings_ip *ip; /* heap, owned by the struct settings */
	size_t count;           /* 0 = do not listen at all */
};

/* Where a value came from. */
enum setting_source {
	SETTING_FROM_DEFAULT = 0,
	SETTING_FROM_INI,
	SETTING_FROM_ENV_DOT,        /* exabgp.SEC.KEY */
	SETTING_FROM_ENV_UNDERSCORE, /* exabgp_SEC_KEY */
	SETTING_FROM_CLI,            /* a command line flag (-d, -1, ...) */
	SETTING_FROM_CODE,           /* settings_set() by the program */
};

#define SETTINGS_COUNT 60 /* >= number of entries of settings_table[] */

/* Owns its strings and lists: initialise with settings_init/settings_load,
 * release with settings_free, never copy by value. */
struct settings {
	/* [exabgp.profile] */
	bool profile_enable;
	char *profile_file;
	/* [exabgp.pdb] */
	bool pdb_enable;
	/* [exabgp.daemon] */
	char *daemon_pid;      /* "" = no PID file */
	char *daemon_user;     /* user to run as when started as root */
	bool daemon_daemonize;
	bool daemon_drop;      /* drop privileges before starting the helpers */
	unsigned daemon_umask;
	/* [exabgp.log] */
	bool log_enable;
	int log_level;         /* enum settings_syslog_level */
	char *log_destination; /* "stdout", "stderr", "syslog", "host:IP" or a file */
	bool log_all;
	bool log_configuration;
	bool log_reactor;
	bool log_daemon;
	bool log_processes;
	bool log_network;
	bool log_packets;
	bool log_rib;
	bool log_message;
	bool log_timers;
	bool log_routes;
	bool log_parser;
	bool log_short;
	/* [exabgp.tcp] */
	bool tcp_once;
	int tcp_delay;         /* minutes: start announcing when minute % delay == 0 */
	struct settings_ip_list tcp_bind;
	int tcp_port;
	int tcp_pending_per_source; /* fastbgp: incoming connections from one address awaiting their OPEN */
	bool tcp_acl;          /* unused, as in ExaBGP */
	/* [exabgp.bgp] */
	int bgp_openwait;      /* seconds */
	int bgp_graceful_stale_time; /* fastbgp: RFC 4724 upper bound on keeping stale routes, seconds */
	int bgp_adj_rib_in_kib; /* fastbgp: memory budget of one peer's adj-rib-in, KiB, 0 = none */
	/* [exabgp.cache] */
	bool cache_attributes;
	bool cache_nexthops;
	/* [exabgp.api] */
	bool api_ack;
	int api_chunk;
	int api_encoder;       /* enum settings_encoder */
	bool api_compact;
	bool api_respawn;
	bool api_terminate;
	bool api_cli;
	char *api_pipename;
	char *api_socket;      /* fastbgp: control Unix socket path, "" = none */
	int api_nats_buffer;   /* fastbgp: messages held for a NATS process */
	int api_queue;         /* fastbgp: max events queued for one helper */
	bool api_reason;       /* fastbgp: "error: REASON" before "error" for helpers too */
	int api_line;          /* fastbgp: max length of one helper command line, bytes */
	int api_version;       /* fastbgp: 4 or 5, the JSON flavour */
	/* [exabgp.metrics] (fastbgp) */
	char *metrics_listen;  /* IP:PORT of the Prometheus endpoint, "" = off */
	/* [exabgp.reactor] */
	double reactor_speed;
	/* [exabgp.debug] (internal) */
	bool debug_pdb;
	bool debug_memory;
	bool debug_configuration;
	bool debug_selfcheck;
	char *debug_route;     /* the message given to --decode */
	bool debug_defensive;
	bool debug_rotate;

	/* Bookkeeping, filled by settings_load(). */
	unsigned char source[SETTINGS_COUNT]; /* enum setting_source, by table index */
	char *ini_path;        /* the ini file read, NULL if none */
	char *warnings;        /* NULL or lines ending in '\n': things worth logging */
};

struct setting_def {
	const char *section;
	const char *key;
	enum setting_type type;
	const char *def;       /* ExaBGP 4.2's default, as written in its setup.py */
	const char *help;
	size_t offset;         /* offsetof(struct settings, field) */
	unsigned flags;        /* SETTING_INTERNAL, SETTING_FASTBGP */
	long min, max;         /* SETTING_INT only */
	/* The settings audit (tests/unit/test_settings_audit.c): exactly one of
	 * these two is set.  tested_by names the test that shows the setting's
	 * effect, as "tests/DIR/FILE::function"; ignored says why a setting is
	 * accepted for compatibility and has no effect (settings_load() warns
	 * when such a setting is given a non-default value). */
	const char *tested_by;
	const char *ignored;
};

extern const struct setting_def settings_table[];
extern const size_t settings_table_len;

/* Where to look for the ini file.  All members may be NULL. */
struct settings_paths {
	const char *env_file;  /* --env FILE: absolute; relative = <root>/etc/exabgp/FILE
				* when that exists (as ExaBGP), else relative to the cwd */
	const char *root;      /* --root, or cli_root_folder(); NULL/"" = none */
	const char *etc_file;  /* last resort; NULL = "/etc/exabgp/exabgp.env" */
};

/* Defaults only (nothing read).  Never fails. */
void settings_init(struct settings *s);
void settings_free(struct settings *s);

/* settings_init() + environment + ini file.  Returns 0, or -1 with a message
 * in err naming the key and where the bad value came from, e.g.
 *   "env exabgp_tcp_once: invalid boolean 'maybe'"
 *   "/etc/exabgp/exabgp.env:12: exabgp.tcp.port: invalid integer 'x'"
 * On error *s is still valid (defaults plus what was read) and must be freed. */
int settings_load(struct settings *s, const struct settings_paths *paths, char *err, size_t errlen);

/* The table entry for "section" "key" (section without the "exabgp." prefix). */
const struct setting_def *settings_find(const char *section, const char *key);
/* The table entry for "exabgp.sec.key", "exabgp_sec_key" or "sec.key". */
const struct setting_def *settings_find_name(const char *name);

/* Parse text (quotes and blanks around it removed) and store it.  source is
 * an enum setting_source.  Returns 0, or -1 with "invalid boolean 'x'"-style
 * text in err (the caller adds where it came from). */
int settings_set(struct settings *s, const struct setting_def *d, const char *text, int source,
		 char *err, size_t errlen);

/* The value as ExaBGP writes it in an ini file: true, 179, 'stdout', INFO,
 * '0o137', '10.0.0.1 ::1', 1.0, json.  Returns the length (snprintf style). */
int settings_format(const struct settings *s, const struct setting_def *d, char *buf, size_t len);
/* 1 when the value equals the default. */
int settings_is_default(const struct settings *s, const struct setting_def *d);

/* --fi (diff=0) / --di (diff=1): ini form, sections and keys sorted, each
 * section introduced by an empty line and "[exabgp.SECTION]". */
void settings_print_ini(const struct settings *s, FILE *out, int diff);
/* --fe (diff=0) / --de (diff=1): one exabgp.SEC.KEY=VALUE line per key, in
 * table order.  --fe starts with an empty line, as ExaBGP 4.2 prints. */
void settings_print_env(const struct settings *s, FILE *out, int diff);
/* --help's "Environment values are:" list: " - exabgp.SEC.KEY  : help. default (x)". */
void settings_print_help(FILE *out);

/* log.level (a syslog priority) to enum log_level. */
int settings_log_level(int syslog_level);
/* Logging setup from the log.* keys.  lc->destination points into s.
 * Topics: bit t set when log.all or log.<topic t> is true. */
void settings_log_config(const struct settings *s, struct log_config *lc);

#endif
