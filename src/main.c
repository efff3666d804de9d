/* fastbgp: command line, settings, signals and wiring.  Everything else
 * lives in the subsystems; this file only connects them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "api/api.h"
#include "api/control.h"
#include "api/pipe_cli.h"
#include "api/pipe_client.h"
#include "config/model.h"
#include "config/parser.h"
#include "config/settings.h"
#include "config/cli.h"
#include "metrics/metrics.h"
#include "core/daemon.h"
#include "core/log.h"
#include "healthcheck/healthcheck.h"
#include "peer/speaker.h"
#include "peer/tcp_ao.h"

struct app {
	uv_loop_t loop;
	struct settings settings;
	struct metrics *metrics; /* exabgp.metrics.listen, or NULL */
	struct attr_pool pool;   /* attribute sets of every configuration, across reloads */
	struct config *config;   /* the running configuration (the speaker's) */
	struct speaker speaker;
	struct pidfile pidfile;
	uv_signal_t sig_term, sig_int, sig_hup, sig_usr1, sig_usr2, sig_alrm;
	const struct cli_opts *opts;
	struct api *api;
	struct control *control; /* api.socket, for fastbgpctl */
	struct pipe_cli *pipe_cli; /* api.cli: NAME.in / NAME.out, for exabgpcli */
	char root[4096];         /* installation root (--root), where the FIFOs are also looked for */
	char conf_dir[4096];
	int conf_index;          /* debug.rotate: which file of the command line runs */
};

/* Every peer is closed: close the signal handles so uv_run() returns. */
static void on_speaker_finished(struct speaker *sp, void *ctx)
{
	struct app *a = ctx;
	(void)sp;
	control_close(a->control);
	a->control = NULL;
	metrics_close(a->metrics);
	a->metrics = NULL;
	pipe_cli_close(a->pipe_cli);
	a->pipe_cli = NULL;
	uv_handle_t *h[] = {(uv_handle_t *)&a->sig_term, (uv_handle_t *)&a->sig_int,  (uv_handle_t *)&a->sig_hup,
			    (uv_handle_t *)&a->sig_usr1, (uv_handle_t *)&a->sig_usr2, (uv_handle_t *)&a->sig_alrm};
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		if (!uv_is_closing(h[i]))
			uv_close(h[i], NULL);
}

/* Parses one configuration file into a new config sharing the app's pool.
 * Returns NULL (message in err) when it is invalid. */
static struct config *load_config(struct app *a, const char *path, char *err, size_t errlen)
{
	struct config *c = malloc(sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	config_init_shared(c, &a->pool);
	if (config_load(c, path, err, errlen) < 0) {
		config_free(c);
		free(c);
		return NULL;
	}
	return c;
}

/* SIGUSR1 (and SIGUSR2): parse the file again (the next one on the command
 * line with debug.rotate), and apply the difference; an invalid file is
 * reported and the running configuration stays untouched. */
static void reload(struct app *a)
{
	if (a->settings.debug_rotate && a->opts->conf_count > 1)
		a->conf_index = (a->conf_index + 1) % a->opts->conf_count;
	const char *path = a->opts->conf[a->conf_index];
	char err[1024];
	struct config *c = load_config(a, path, err, sizeof(err));
	if (!c) {
		log_error(LOG_CONFIGURATION, "reload failed, the running configuration is kept: %s", err);
		return;
	}
	log_info(LOG_CONFIGURATION, "reloading %s", path);
	speaker_reload(&a->speaker, c);
	a->config = c;
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct app *a = h->data;
	switch (signum) {
	case SIGUSR1:
		log_info(LOG_DAEMON, "received SIGUSR1, reloading the configuration");
		reload(a);
		return;
	case SIGUSR2:
		/* ExaBGP also restarts the helper processes here. */
		log_info(LOG_DAEMON, "received SIGUSR2, reloading the configuration");
		reload(a);
		return;
	case SIGALRM:
		log_info(LOG_DAEMON, "received SIGALRM, restarting every session");
		for (int i = 0; i < a->speaker.npeers; i++)
			peer_reconfigure(a->speaker.peers[i], a->speaker.peers[i]->conf, true);
		return;
	default:
		break;
	}
	daemon_notify("STOPPING=1");
	log_info(LOG_DAEMON, "received %s, shutting down",
		 signum == SIGHUP ? "SIGHUP" : signum == SIGINT ? "SIGINT" : "SIGTERM");
	/* Cease 6/2 Administrative Shutdown (RFC 4486); SIGHUP is a shutdown too, as in ExaBGP. */
	speaker_shutdown(&a->speaker, BGP_CEASE_ADMIN_SHUTDOWN);
}

/* "reload" and "restart" typed by a helper or the CLI. */
static void on_api_control(void *ctx, int kind)
{
	struct app *a = ctx;
	if (kind == API_CMD_RELOAD) {
		reload(a);
	} else if (kind == API_CMD_RESTART) {
		for (int i = 0; i < a->speaker.npeers; i++)
			peer_reconfigure(a->speaker.peers[i], a->speaker.peers[i]->conf, true);
	}
}

/* The folder of the configuration file, for helpers' relative paths. */
static void config_folder(const char *path, char *out, size_t len)
{
	char *abs = realpath(path, NULL);
	snprintf(out, len, "%s", abs ? abs : path);
	free(abs);
	char *slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(out, len, ".");
}

static void watch_signal(struct app *a, uv_signal_t *h, int signum)
{
	uv_signal_init(&a->loop, h);
	h->data = a;
	uv_signal_start(h, on_signal, signum);
}

/* ==== Subcommands and program names: the dispatch area ====================
 * `fastbgp healthcheck|cli ...`, `--run healthcheck|cli ...` (ExaBGP's
 * `exabgp healthcheck`, `exabgp cli`), and the names installed by
 * `make install-exabgp-compat`: `exabgp` behaves as fastbgp, `exabgpcli` is
 * the pipe client (at the top of main()).  One line per helper program. */
static int run_subcommand(const struct cli_opts *o, const char *argv0)
{
	const char *name = o->run ? o->run : "";
	if (!strcmp(name, "healthcheck"))
		return healthcheck_main(o->run_argc, o->run_argv);
	if (!strcmp(name, "cli"))
		return pipe_client_main(o->run_argc, o->run_argv, argv0, o->root, o->env);
	fprintf(stderr, "fastbgp: %s is not available in this build of fastbgp\n", name);
	return 2;
}
/* ==== end of the dispatch area ============================================ */

static int run_daemon(struct app *a, const struct cli_opts *o)
{
	char err[1024];
	a->opts = o;
	for (int i = 0; i < ((o->test || o->validate) ? o->conf_count : 1); i++) {
		/* -t checks every file given; a daemon starts with the first. */
		struct config *c = load_config(a, o->conf[i], err, sizeof(err));
		if (!c) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		/* tcp-ao: said now when this kernel cannot honour it (RFC 5925) */
		if ((o->test || o->validate) && tcp_ao_check_config(c, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			config_free(c);
			free(c);
			return 1;
		}
		if (o->test || o->validate) {
			printf("%s: configuration OK (%d neighbor%s)\n", o->conf[i], c->nneighbors,
			       c->nneighbors == 1 ? "" : "s");
			config_free(c);
			free(c);
			continue;
		}
		a->config = c;
	}
	if (o->test || o->validate)
		return 0;

	/* exabgp.daemon.*, in ExaBGP's order (core/daemon.h): check the user,
	 * detach, PID file; then bind, start helpers and drop root below. */
	if (daemon_check_user(a->settings.daemon_user, err, sizeof(err)) < 0) {
		fprintf(stderr, "fastbgp: %s\n", err);
		return 1;
	}
	switch (daemon_detach(a->settings.daemon_daemonize, a->settings.log_enable, a->settings.log_destination, err,
			      sizeof(err))) {
	case DAEMON_ERROR:
		log_critical(LOG_DAEMON, "%s", err);
		return 1;
	case DAEMON_LOGS_TO_STDIO:
		log_critical(LOG_DAEMON, "can not fork when logs are going to %s, staying in the foreground",
			     a->settings.log_destination);
		break;
	case DAEMON_SUPERVISED:
		log_info(LOG_DAEMON, "already supervised (stdin is a socket or the parent is init), not forking");
		break;
	case DAEMON_DETACHED:
		log_info(LOG_DAEMON, "running in the background, pid %ld", (long)getpid());
		break;
	case DAEMON_NOT_REQUESTED:
		break;
	}
	if (a->settings.daemon_pid && *a->settings.daemon_pid &&
	    daemon_pidfile_create(&a->pidfile, a->settings.daemon_pid, err, sizeof(err)) < 0) {
		log_critical(LOG_DAEMON, "%s", err);
		fprintf(stderr, "fastbgp: %s\n", err);
		return 1;
	}

	uv_loop_init(&a->loop);
	struct speaker_opts so = {
		.port = (uint16_t)a->settings.tcp_port,
		.once = a->settings.tcp_once,
		.openwait = a->settings.bgp_openwait,
		.gr_stale_time = a->settings.bgp_graceful_stale_time,
		.ribin_budget = (size_t)a->settings.bgp_adj_rib_in_kib * 1024u,
		.pending_per_source = a->settings.tcp_pending_per_source,
		.connect_retry = 30,
		.exabgp_version = a->settings.api_version,
	};
	/* tcp.bind: listen only when addresses are given (ExaBGP's FAQ). */
	for (size_t i = 0; i < a->settings.tcp_bind.count && so.nbind < (int)(sizeof(so.bind) / sizeof(so.bind[0])); i++) {
		const struct settings_ip *ip = &a->settings.tcp_bind.ip[i];
		so.bind[so.nbind].afi = ip->family == AF_INET6 ? AFI_IPV6 : AFI_IPV4;
		memcpy(so.bind[so.nbind].addr, ip->addr, 16);
		so.nbind++;
	}
	/* The process API: helpers are spawned once the peers exist. */
	struct api_options ao;
	api_options_from_settings(&ao, &a->settings);
	ao.loop = &a->loop;
	ao.ops = &speaker_api_ops;
	ao.ctx = &a->speaker;
	config_folder(o->conf[0], a->conf_dir, sizeof(a->conf_dir));
	ao.conf_dir = a->conf_dir;
	ao.pool = &a->pool;
	a->api = api_new(&ao, a->config);
	if (!a->api || speaker_init(&a->speaker, &a->loop, &so, a->config, a->api) < 0) {
		fprintf(stderr, "fastbgp: out of memory\n");
		return 1;
	}
	a->speaker.on_finished = on_speaker_finished;
	a->speaker.ctx = a;
	a->speaker.control = on_api_control;
	watch_signal(a, &a->sig_term, SIGTERM);
	watch_signal(a, &a->sig_int, SIGINT);
	watch_signal(a, &a->sig_hup, SIGHUP); /* a shutdown in ExaBGP, not a reload */
	watch_signal(a, &a->sig_usr1, SIGUSR1);
	watch_signal(a, &a->sig_usr2, SIGUSR2);
	watch_signal(a, &a->sig_alrm, SIGALRM);
	signal(SIGPIPE, SIG_IGN);

	log_info(LOG_DAEMON, "fastbgp %s starting with %s (%d neighbor%s)", FASTBGP_VERSION, o->conf[0],
		 a->config->nneighbors, a->config->nneighbors == 1 ? "" : "s");
	/* What needs root happens first: listeners (port 179, TCP MD5 keys on
	 * them) and the control socket.  TCP MD5 keys of later sockets need no
	 * privilege on Linux, so connects after the drop keep them. */
	speaker_start(&a->speaker);
	if (a->settings.api_socket && *a->settings.api_socket)
		a->control = control_open(&a->loop, a->api, a->settings.api_socket);
	if (a->settings.api_cli)
		a->pipe_cli = pipe_cli_open(&a->loop, a->api, a->root, a->settings.api_pipename, (size_t)a->settings.api_line);
	if (a->settings.metrics_listen && *a->settings.metrics_listen &&
	    !(a->metrics = metrics_open(&a->loop, &a->speaker, a->settings.metrics_listen, err, sizeof(err))))
		log_error(LOG_DAEMON, "metrics disabled: %s", err);
	/* daemon.drop=false: the helpers start before the drop, as root */
	if (!a->settings.daemon_drop)
		api_start(a->api);
	int dropped = daemon_drop_privileges(a->settings.daemon_user, err, sizeof(err));
	int rc_override = 0;
	if (dropped < 0) {
		log_critical(LOG_DAEMON, "could not drop privileges to '%s' refusing to run as root: %s",
			     a->settings.daemon_user, err);
		speaker_shutdown(&a->speaker, 2);
		rc_override = 1;
	} else if (dropped > 0) {
		log_info(LOG_DAEMON, "dropped privileges to user %s (uid %ld)", a->settings.daemon_user, (long)getuid());
	}
	if (a->settings.daemon_drop && dropped >= 0)
		api_start(a->api);
	if (dropped >= 0)
		daemon_notify("READY=1\nSTATUS=running"); /* systemd Type=notify */
	uv_run(&a->loop, UV_RUN_DEFAULT);
	a->config = a->speaker.cfg; /* reloads replaced it */
	speaker_free(&a->speaker);
	api_free(a->api);
	a->api = NULL;
	if (uv_loop_close(&a->loop) == UV_EBUSY) {
		/* Handles left open would be a bug; run once more so they close. */
		uv_run(&a->loop, UV_RUN_DEFAULT);
		uv_loop_close(&a->loop);
	}
	daemon_pidfile_remove(&a->pidfile);
	return rc_override ? rc_override : a->speaker.exit_code;
}

int main(int argc, char **argv)
{
	struct app a;
	struct cli_opts o;
	char err[1024];
	int rc;

	/* installed as exabgpcli (make install-exabgp-compat): the pipe client */
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (!strcmp(prog, "exabgpcli"))
		return pipe_client_main(argc - 1, argv + 1, argv[0], NULL, NULL);

	memset(&a, 0, sizeof(a));
	if (cli_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "fastbgp: %s\n", err);
		cli_usage(stderr);
		cli_free(&o);
		return 2;
	}
	if (o.mode == CLI_MODE_RUN) { /* a helper program instead of the daemon */
		rc = run_subcommand(&o, argv[0]);
		cli_free(&o);
		return rc;
	}
	if (o.help) {
		cli_help(stdout);
		cli_free(&o);
		return 0;
	}
	if (o.version) {
		cli_version(stdout);
		cli_free(&o);
		return 0;
	}

	char *root = a.root;
	cli_root_folder(argv[0], o.root, root, sizeof(a.root));
	struct settings_paths paths = {.env_file = o.env, .root = root, .etc_file = NULL};
	if (settings_load(&a.settings, &paths, err, sizeof(err)) < 0) {
		fprintf(stderr, "fastbgp: %s\n", err);
		settings_free(&a.settings);
		cli_free(&o);
		return 1;
	}
	cli_apply_settings(&o, &a.settings, CLI_APPLY_EARLY);
	if (o.print != CLI_PRINT_NONE) {
		if (o.print == CLI_PRINT_FULL_INI || o.print == CLI_PRINT_DIFF_INI)
			settings_print_ini(&a.settings, stdout, o.print == CLI_PRINT_DIFF_INI);
		else
			settings_print_env(&a.settings, stdout, o.print == CLI_PRINT_DIFF_ENV);
		settings_free(&a.settings);
		cli_free(&o);
		return 0;
	}
	cli_apply_settings(&o, &a.settings, CLI_APPLY_LATE);
	attr_pool_init(&a.pool); /* after the early exits above: they would leak it */
	/* As in ExaBGP, exabgp.debug.selfcheck and exabgp.debug.route given in
	 * the environment do what -t and -x do. */
	if (a.settings.debug_selfcheck)
		o.test = true;

	/* exabgp.daemon.umask first, as ExaBGP: the log and PID files get it */
	daemon_set_umask(a.settings.daemon_umask);
	struct log_config lc;
	settings_log_config(&a.settings, &lc);
	log_setup(&lc);
	if (a.settings.warnings)
		log_warning(LOG_CONFIGURATION, "%s", a.settings.warnings);

	bool debug_route = a.settings.debug_route && *a.settings.debug_route;
	if (o.mode == CLI_MODE_DECODE || (o.mode == CLI_MODE_SERVER && (o.decode_count > 0 || debug_route))) {
		/* fastbgp decode [-f "AFI SAFI"] HEX, ExaBGP's -x/--decode HEX, or exabgp.debug.route */
		char *hex = o.decode_count > 0 || !debug_route ? cli_decode_hex(&o) : strdup(a.settings.debug_route);
		if (!hex) {
			fprintf(stderr, "fastbgp: decode needs a message in hexadecimal\n");
			rc = 2;
		} else {
			rc = api_decode_hex_as(hex, o.family, a.settings.api_version, stdout) == 0 ? 0 : 1;
			free(hex);
		}
	} else if (o.conf_count == 0) {
		fprintf(stderr, "fastbgp: no configuration file given\n");
		cli_usage(stderr);
		rc = 2;
	} else {
		rc = run_daemon(&a, &o);
	}
	if (a.config) {
		config_free(a.config);
		free(a.config);
	}
	attr_pool_free(&a.pool);
	settings_free(&a.settings);
	cli_free(&o);
	log_close();
	return rc;
}
