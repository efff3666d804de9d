/* fastbgp: command line, settings, signals and wiring.  Everything else
 * lives in the subsystems; this file only connects them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <uv.h>

#include "config/model.h"
#include "config/parser.h"
#include "config/settings.h"
#include "core/cli.h"
#include "core/daemon.h"
#include "core/log.h"
#include "peer/speaker.h"

struct app {
	uv_loop_t loop;
	struct settings settings;
	struct config config;
	struct speaker speaker;
	struct pidfile pidfile;
	uv_signal_t sig_term, sig_int, sig_hup;
	int config_loaded;
};

/* Every peer is closed: close the signal handles so uv_run() returns. */
static void on_speaker_finished(struct speaker *sp, void *ctx)
{
	struct app *a = ctx;
	(void)sp;
	uv_handle_t *h[] = {(uv_handle_t *)&a->sig_term, (uv_handle_t *)&a->sig_int, (uv_handle_t *)&a->sig_hup};
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		if (!uv_is_closing(h[i]))
			uv_close(h[i], NULL);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct app *a = h->data;
	log_info(LOG_DAEMON, "received %s, shutting down",
		 signum == SIGHUP ? "SIGHUP" : signum == SIGINT ? "SIGINT" : "SIGTERM");
	/* Cease 6/2 Administrative Shutdown (RFC 4486); SIGHUP is a shutdown too, as in ExaBGP. */
	speaker_shutdown(&a->speaker, 2);
}

/* Loads every configuration file given (the first one is run; with
 * debug.rotate the others are used by later reloads). */
static int load_config(struct app *a, const char *path)
{
	char err[1024];
	config_init(&a->config);
	a->config_loaded = 1;
	if (config_load(&a->config, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int run_daemon(struct app *a, const struct cli_opts *o)
{
	if (load_config(a, o->conf[0]) < 0)
		return 1;
	if (o->test || o->validate) {
		printf("%s: configuration OK (%d neighbor%s)\n", o->conf[0], a->config.nneighbors,
		       a->config.nneighbors == 1 ? "" : "s");
		return 0;
	}

	char err[512];
	if (a->settings.daemon_pid && *a->settings.daemon_pid &&
	    daemon_pidfile_create(&a->pidfile, a->settings.daemon_pid, err, sizeof(err)) < 0) {
		fprintf(stderr, "fastbgp: %s\n", err);
		return 1;
	}

	uv_loop_init(&a->loop);
	struct speaker_opts so = {
		.port = (uint16_t)a->settings.tcp_port,
		.once = a->settings.tcp_once,
		.openwait = a->settings.bgp_openwait,
		.connect_retry = 30,
	};
	/* tcp.bind: listen only when addresses are given (ExaBGP's FAQ). */
	for (size_t i = 0; i < a->settings.tcp_bind.count && so.nbind < (int)(sizeof(so.bind) / sizeof(so.bind[0])); i++) {
		const struct settings_ip *ip = &a->settings.tcp_bind.ip[i];
		so.bind[so.nbind].afi = ip->family == AF_INET6 ? AFI_IPV6 : AFI_IPV4;
		memcpy(so.bind[so.nbind].addr, ip->addr, 16);
		so.nbind++;
	}
	if (speaker_init(&a->speaker, &a->loop, &so, &a->config) < 0) {
		fprintf(stderr, "fastbgp: out of memory\n");
		return 1;
	}
	a->speaker.on_finished = on_speaker_finished;
	a->speaker.ctx = a;
	uv_signal_init(&a->loop, &a->sig_term);
	uv_signal_init(&a->loop, &a->sig_int);
	uv_signal_init(&a->loop, &a->sig_hup);
	a->sig_term.data = a->sig_int.data = a->sig_hup.data = a;
	uv_signal_start(&a->sig_term, on_signal, SIGTERM);
	uv_signal_start(&a->sig_int, on_signal, SIGINT);
	/* SIGHUP is a shutdown in ExaBGP, not a reload. */
	uv_signal_start(&a->sig_hup, on_signal, SIGHUP);
	signal(SIGPIPE, SIG_IGN);

	log_info(LOG_DAEMON, "fastbgp %s starting with %s (%d neighbor%s)", FASTBGP_VERSION, o->conf[0],
		 a->config.nneighbors, a->config.nneighbors == 1 ? "" : "s");
	speaker_start(&a->speaker);
	uv_run(&a->loop, UV_RUN_DEFAULT);
	speaker_free(&a->speaker);
	if (uv_loop_close(&a->loop) == UV_EBUSY) {
		/* Handles left open would be a bug; run once more so they close. */
		uv_run(&a->loop, UV_RUN_DEFAULT);
		uv_loop_close(&a->loop);
	}
	daemon_pidfile_remove(&a->pidfile);
	return a->speaker.exit_code;
}

int main(int argc, char **argv)
{
	struct app a;
	struct cli_opts o;
	char err[1024];
	int rc;

	memset(&a, 0, sizeof(a));
	if (cli_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "fastbgp: %s\n", err);
		cli_usage(stderr);
		cli_free(&o);
		return 2;
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

	char root[4096];
	cli_root_folder(argv[0], o.root, root, sizeof(root));
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

	struct log_config lc;
	settings_log_config(&a.settings, &lc);
	log_setup(&lc);
	if (a.settings.warnings)
		log_warning(LOG_CONFIGURATION, "%s", a.settings.warnings);

	if (o.mode != CLI_MODE_SERVER) {
		fprintf(stderr, "fastbgp: this mode is not available yet\n");
		rc = 2;
	} else if (o.conf_count == 0) {
		fprintf(stderr, "fastbgp: no configuration file given\n");
		cli_usage(stderr);
		rc = 2;
	} else {
		rc = run_daemon(&a, &o);
	}
	if (a.config_loaded)
		config_free(&a.config);
	settings_free(&a.settings);
	cli_free(&o);
	log_close();
	return rc;
}
