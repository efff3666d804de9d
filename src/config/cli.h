/* Command line: ExaBGP 4.2's options, plus fastbgp's subcommands.
 *
 *   fastbgp [--help|-h] [--version|-v] [--root ROOT|-f ROOT] [--env ENV|-e ENV]
 *           [--full-ini|--fi|--diff-ini|--di|--full-env|--fe|--diff-env|--de]
 *           [--debug|-d] [--pdb|-p] [--test|-t] [--validate] [--once|-1]
 *           [--signal TIME] [--memory|-s] [--profile FILE]
 *           [--run healthcheck|cli [ARGS...]] [--decode HEX|-x HEX]... [conf...]
 *   fastbgp decode [-f "AFI SAFI"] [-n] [-i] [-c CONF] HEX...
 *   fastbgp healthcheck ARGS...   (same as --run healthcheck ARGS...)
 *   fastbgp cli ARGS...           (same as --run cli ARGS...)
 *   fastbgp bgp ...               (same as fastbgp ...)
 *
 * Long options take "--opt VALUE" or "--opt=VALUE" and may be shortened to
 * any unique prefix; short options may be grouped (-dp1) and take "-e ENV"
 * or "-eENV".  Options and configuration files may be mixed; "--" ends the
 * options. */
#ifndef FASTBGP_CONFIG_CLI_H
#define FASTBGP_CONFIG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/settings.h"

#include "core/version.h"

enum cli_mode {
	CLI_MODE_SERVER = 0, /* the ExaBGP 4.2 command line */
	CLI_MODE_DECODE,     /* fastbgp decode ... */
	CLI_MODE_RUN,        /* --run HELPER, fastbgp healthcheck|cli ... */
};

enum cli_print {
	CLI_PRINT_NONE = 0,
	CLI_PRINT_FULL_INI, /* --full-ini, --fi */
	CLI_PRINT_DIFF_INI, /* --diff-ini, --di */
	CLI_PRINT_FULL_ENV, /* --full-env, --fe */
	CLI_PRINT_DIFF_ENV, /* --diff-env, --de */
};

/* Every pointer points into argv, except the arrays (freed by cli_free). */
struct cli_opts {
	enum cli_mode mode;
	bool help;          /* --help, -h */
	bool version;       /* --version, -v */
	const char *root;   /* --root, -f; NULL if not given */
	const char *env;    /* --env, -e; NULL if not given */
	enum cli_print print;
	bool debug;         /* --debug, -d */
	bool pdb;           /* --pdb, -p */
	bool test;          /* --test, -t */
	bool validate;      /* --validate */
	bool once;          /* --once, -1 */
	bool memory;        /* --memory, -s */
	int signal_time;    /* --signal TIME in seconds; -1 if not given */
	const char *profile; /* --profile FILE; NULL if not given */

	/* CLI_MODE_RUN */
	const char *run;    /* "healthcheck" or "cli" */
	char **run_argv;    /* the arguments after the helper name, NULL terminated */
	int run_argc;

	/* --decode/-x values, or the payload words of "fastbgp decode" */
	char **decode;
	int decode_count;

	/* CLI_MODE_DECODE only */
	const char *family;     /* -f, --family "ipv4 unicast" */
	const char *decode_conf; /* -c, --configuration FILE */
	bool decode_nlri;       /* -n, --nlri: the data is only NLRI */
	bool decode_update;     /* -u, --update (accepted, no effect: as ExaBGP 5) */
	bool decode_open;       /* -o, --open (accepted, no effect: as ExaBGP 5) */
	bool path_information;  /* -i, --path-information */

	/* configuration files, in order */
	char **conf;
	int conf_count;
};

/* Parse argv (argv[0] is the program).  Returns 0, or -1 with a one line
 * message in err (the caller prints it with the usage and exits with 2).
 * *o is always initialised and must be released with cli_free(). */
int cli_parse(struct cli_opts *o, int argc, char **argv, char *err, size_t errlen);
void cli_free(struct cli_opts *o);

/* Usage text (--help prints cli_help: the usage, then every setting). */
void cli_usage(FILE *out);
void cli_help(FILE *out);
/* "fastbgp 0.1.0\n" */
void cli_version(FILE *out);

/* The --decode / -x values (or decode payload) joined, with ':' and blanks
 * removed, upper case; malloc'ed.  NULL when there is none, when a character
 * is not hexadecimal, or when the digit count is odd. */
char *cli_decode_hex(const struct cli_opts *o);

/* The installation root, as ExaBGP finds it: --root (resolved, no trailing
 * '/'), else the prefix of the executable when it sits in .../bin/ or
 * .../sbin/ (argv0, or /proc/self/exe when argv0 has no '/'), else "". */
void cli_root_folder(const char *argv0, const char *root_opt, char *out, size_t len);

/* Command line flags that change settings.  ExaBGP applies -d, -x and
 * --profile before it prints --fi/--di/--fe/--de, and -1, -p, -t, -s after,
 * so there are two phases:
 *   CLI_APPLY_EARLY: -d (log.all, log.level=DEBUG), -x (log.parser,
 *                    debug.route, tcp.bind=''), --profile (profile.*)
 *   CLI_APPLY_LATE:  -1 (tcp.once), -p (debug.pdb), -t (debug.selfcheck,
 *                    log.parser), -s (debug.memory) */
enum cli_apply_phase { CLI_APPLY_EARLY, CLI_APPLY_LATE };
void cli_apply_settings(const struct cli_opts *o, struct settings *s, enum cli_apply_phase phase);

#endif
