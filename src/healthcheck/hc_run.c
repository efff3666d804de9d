/* fastbgp healthcheck: the program.  Options are read (hc_options.c), the
 * loopback addresses set up (hc_loopback.c), privileges dropped, then the
 * loop runs the check command every --interval seconds (--fast-interval
 * while rising or falling), moves the state machine (hc_state.c) and
 * prints the commands of the new state on stdout.
 *
 * Differences from ExaBGP 4.2's healthcheck, on purpose (docs/healthcheck.md):
 * - the commands are printed when the announced state changes, and again when
 *   the daemon reports a neighbor "up" on stdin; ExaBGP prints them again
 *   after every check, so a down service sends an UPDATE every interval;
 * - a missing done/error acknowledgement is waited for 10 s, not forever;
 * - check and hook commands get /dev/null as stdin, not the daemon's pipe;
 * - the loop ends when the parent changes, not only when it becomes pid 1.
 * (hc_privileges.c has the differences of --user and --group.) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "healthcheck/hc_int.h"
#include "healthcheck/healthcheck.h"

#define ACK_TIMEOUT_MS 10000
#define CHECK_OUTPUT_MAX 4096
#define STDIN_LINE_MAX 65536

/* ---- logging: stderr when it is a terminal, and syslog ---- */

static struct {
	enum hc_level min;
	bool console, syslog;
} logcfg = {HC_INFO, true, false};

void hc_log(enum hc_level level, const char *fmt, ...)
{
	static const char *const names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
	static const int prio[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
	if (level < logcfg.min)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (logcfg.console)
		fprintf(stderr, "%s[healthcheck] %s\n", names[level], msg);
	else if (!logcfg.syslog && level >= HC_WARNING)
		fprintf(stderr, "%s\n", msg); /* as Python's logging with no handler */
	if (logcfg.syslog)
		syslog(prio[level], "%s", msg);
}

static const struct {
	const char *name;
	int value;
} facilities[] = {
	{"kern", LOG_KERN},     {"user", LOG_USER},	{"mail", LOG_MAIL},	{"daemon", LOG_DAEMON},
	{"auth", LOG_AUTH},     {"syslog", LOG_SYSLOG}, {"lpr", LOG_LPR},	{"news", LOG_NEWS},
	{"uucp", LOG_UUCP},     {"cron", LOG_CRON},	{"authpriv", LOG_AUTHPRIV}, {"ftp", LOG_FTP},
	{"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
	{"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

static char syslog_ident[128];

/* ExaBGP's setup_logging(): syslog unless --no-syslog or --debug, as
 * "healthcheck-NAME[PID]: ..."; the console only when stderr is a terminal. */
static int setup_logging(const struct hc_opts *o, char *err, size_t errlen)
{
	logcfg.min = o->debug ? HC_DEBUG : HC_INFO;
	logcfg.console = isatty(STDERR_FILENO) && !o->silent;
	logcfg.syslog = !o->no_syslog && !o->debug;
	if (!logcfg.syslog)
		return 0;
	int facility = -1;
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (!strcasecmp(facilities[i].name, o->syslog_facility))
			facility = facilities[i].value;
	if (facility < 0) {
		snprintf(err, errlen, "unknown syslog facility '%s'", o->syslog_facility);
		return -1;
	}
	snprintf(syslog_ident, sizeof(syslog_ident), "healthcheck%s%s", o->name ? "-" : "", o->name ? o->name : "");
	openlog(syslog_ident, LOG_PID, facility);
	return 0;
}

/* ---- signals: a self-pipe wakes poll() ---- */

static int wake_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	int saved = errno;
	if (sig != SIGCHLD)
		stop_signal = sig;
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

static int setup_signals(void)
{
	if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP; /* no SA_RESTART: waits see EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static void drain_wake_pipe(void)
{
	char buf[64];
	while (read(wake_pipe[0], buf, sizeof(buf)) > 0) {
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the daemon's side: commands out, acks and events in ---- */

struct hc {
	struct hc_opts *o;
	struct hc_netlist ips;   /* announced, in order */
	struct hc_netlist hosts; /* every address of --ip, for the loopback */
	enum hc_state state, announced;
	int checks;
	bool stdin_open, want_acks, reannounce, shutdown;
	int acks_pending;
	char line[STDIN_LINE_MAX];
	size_t line_len;
	bool discarding;
};

/* The string value of "key" in a JSON object, without a JSON parser: the
 * events fastbgp and ExaBGP write are flat enough for this. */
static bool json_value(const char *s, const char *key, char *out, size_t outlen)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	for (const char *p = strstr(s, pat); p; p = strstr(p + 1, pat)) {
		const char *q = p + strlen(pat);
		while (*q == ' ')
			q++;
		if (*q != ':')
			continue;
		q++;
		while (*q == ' ')
			q++;
		if (*q != '"')
			return false;
		q++;
		size_t n = 0;
		while (q[n] && q[n] != '"' && n + 1 < outlen)
			n++;
		memcpy(out, q, n);
		out[n] = '\0';
		return q[n] == '"';
	}
	return false;
}

static bool neighbor_selected(const struct hc *h, const char *peer)
{
	if (!h->o->neighbors.n)
		return true;
	struct hc_net a;
	if (hc_parse_address(peer, &a) < 0)
		return false;
	for (size_t i = 0; i < h->o->neighbors.n; i++)
		if (hc_net_equal(&a, &h->o->neighbors.v[i]))
			return true;
	return false;
}

/* One line from the daemon: "done"/"error" acknowledge a command,
 * "neighbor IP up" (text) or a JSON "state" event with "state": "up" asks
 * for the routes again, "shutdown" ends the healthcheck. */
static void on_daemon_line(struct hc *h, const char *s)
{
	char peer[64], value[64];
	if (!strcmp(s, "done") || !strcmp(s, "error") || !strncmp(s, "error:", 6) || !strncmp(s, "error ", 6)) {
		if (h->acks_pending > 0)
			h->acks_pending--;
		return;
	}
	if (!strcmp(s, "shutdown") || !strncmp(s, "shutdown ", 9)) {
		h->shutdown = true;
		return;
	}
	if (s[0] == '{') {
		if (!json_value(s, "type", value, sizeof(value)))
			return;
		if (!strcmp(value, "notification") && json_value(s, "notification", value, sizeof(value)) &&
		    !strcmp(value, "shutdown")) {
			h->shutdown = true;
			return;
		}
		if (strcmp(value, "state") || !json_value(s, "state", value, sizeof(value)) || strcmp(value, "up") ||
		    !json_value(s, "peer", peer, sizeof(peer)))
			return;
	} else if (sscanf(s, "neighbor %63s %63s", peer, value) != 2 || strcmp(value, "up") ||
		   strlen(s) != strlen("neighbor  up") + strlen(peer)) {
		return;
	}
	if (neighbor_selected(h, peer)) {
		hc_log(HC_INFO, "neighbor %s is up: its routes will be sent again", peer);
		h->reannounce = true;
	}
}

static void read_daemon(struct hc *h)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		h->stdin_open = false;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (h->line_len + 1 < sizeof(h->line))
				h->line[h->line_len++] = buf[i];
			else
				h->discarding = true; /* longer than any event we care about */
			continue;
		}
		h->line[h->line_len] = '\0';
		if (h->line_len && h->line[h->line_len - 1] == '\r')
			h->line[h->line_len - 1] = '\0';
		if (!h->discarding)
			on_daemon_line(h, h->line);
		h->line_len = 0;
		h->discarding = false;
	}
}

/* Waits until the deadline, a signal, or (with until_acked) the last ack,
 * reading the daemon's lines meanwhile.  For a check, extra_fd (its output,
 * or -1) is watched too: 1 when it is readable, 2 on SIGCHLD. */
static int wait_events(struct hc *h, int64_t deadline, bool until_acked, int extra_fd, bool for_child)
{
	for (;;) {
		if (stop_signal || h->shutdown || (until_acked && (!h->acks_pending || !h->stdin_open)))
			return 0;
		int64_t left = deadline - now_ms();
		if (deadline >= 0 && left <= 0)
			return 0;
		struct pollfd p[3] = {{wake_pipe[0], POLLIN, 0}, {h->stdin_open ? STDIN_FILENO : -1, POLLIN, 0},
				      {extra_fd, POLLIN, 0}};
		int rc = poll(p, 3, deadline < 0 || left > 1000 ? 1000 : (int)left);
		if (rc < 0 && errno != EINTR)
			return -1;
		if (rc <= 0)
			continue;
		if (p[0].revents)
			drain_wake_pipe();
		if (p[1].revents & POLLNVAL)
			h->stdin_open = false;
		else if (p[1].revents)
			read_daemon(h);
		if (extra_fd >= 0 && p[2].revents)
			return 1;
		if (p[0].revents && for_child)
			return 2; /* SIGCHLD: the caller looks at its child */
	}
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int emit_line(void *ctx, const char *line)
{
	struct hc *h = ctx;
	size_t len = strlen(line);
	char *buf = malloc(len + 2);
	if (!buf)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\n';
	int rc = write_all(STDOUT_FILENO, buf, len + 1);
	free(buf);
	if (rc < 0) {
		hc_log(HC_ERROR, "cannot write to the daemon: %s", strerror(errno));
		return -1;
	}
	hc_log(HC_DEBUG, "exabgp: %s", line);
	if (!h->want_acks || !h->stdin_open || h->state == HC_EXIT)
		return 0;
	/* as ExaBGP: wait for the daemon's done/error before the next line */
	h->acks_pending++;
	wait_events(h, now_ms() + ACK_TIMEOUT_MS, true, -1, false);
	if (h->acks_pending && h->stdin_open && !stop_signal && !h->shutdown) {
		hc_log(HC_WARNING, "no acknowledgement from the daemon in %d s: not waiting for them any more "
				   "(with exabgp.api.ack=false, use --no-ack)",
		       ACK_TIMEOUT_MS / 1000);
		h->want_acks = false;
		h->acks_pending = 0;
	}
	return 0;
}

/* ---- check and hook commands ---- */

/* /bin/sh -c CMD in its own process group, /dev/null as stdin, output to
 * out_fd (or /dev/null), extra environment entry env. */
static pid_t spawn_shell(const char *cmd, int out_fd, const char *env)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	setpgid(0, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(out_fd >= 0 ? out_fd : devnull, STDOUT_FILENO);
		dup2(out_fd >= 0 ? out_fd : devnull, STDERR_FILENO);
	}
	if (env)
		putenv((char *)env);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* ExaBGP's check(): true when CMD exits 0 within --timeout seconds; no
 * command is always healthy. */
static bool run_check(struct hc *h)
{
	const char *cmd = h->o->command;
	if (!cmd)
		return true;
	hc_log(HC_DEBUG, "checking command '%s'", cmd);
	int out[2];
	if (pipe2(out, O_CLOEXEC) < 0) {
		hc_log(HC_ERROR, "pipe: %s", strerror(errno));
		return false;
	}
	pid_t pid = spawn_shell(cmd, out[1], NULL);
	close(out[1]);
	if (pid < 0) {
		hc_log(HC_ERROR, "cannot run the check command: %s", strerror(errno));
		close(out[0]);
		return false;
	}
	setpgid(pid, pid);
	char output[CHECK_OUTPUT_MAX + 1];
	size_t olen = 0;
	int status = 0;
	bool reaped = false, timed_out = false;
	int out_fd = out[0];
	int64_t deadline = h->o->timeout ? now_ms() + h->o->timeout * 1000 : -1;
	while (!reaped) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			reaped = true;
			break;
		}
		bool stopping = stop_signal || h->shutdown;
		if (stopping || (deadline >= 0 && now_ms() >= deadline)) {
			timed_out = !stopping;
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
			}
			break;
		}
		int64_t until = deadline >= 0 ? deadline : now_ms() + 1000;
		if (wait_events(h, until, false, out_fd, true) == 1) {
			char buf[1024];
			ssize_t n = read(out_fd, buf, sizeof(buf));
			if (n <= 0) {
				close(out_fd);
				out_fd = -1;
			} else {
				size_t keep = (size_t)n < CHECK_OUTPUT_MAX - olen ? (size_t)n : CHECK_OUTPUT_MAX - olen;
				memcpy(output + olen, buf, keep);
				olen += keep;
			}
		}
	}
	/* what the command wrote just before exiting */
	while (out_fd >= 0) {
		struct pollfd p = {out_fd, POLLIN, 0};
		char buf[1024];
		ssize_t n = poll(&p, 1, 0) == 1 ? read(out_fd, buf, sizeof(buf)) : 0;
		if (n <= 0)
			break;
		size_t keep = (size_t)n < CHECK_OUTPUT_MAX - olen ? (size_t)n : CHECK_OUTPUT_MAX - olen;
		memcpy(output + olen, buf, keep);
		olen += keep;
	}
	if (out_fd >= 0)
		close(out_fd);
	output[olen] = '\0';
	if (timed_out) {
		hc_log(HC_WARNING, "timeout (%ld) while running check command '%s'", h->o->timeout, cmd);
		return false;
	}
	if (!reaped)
		return false;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hc_log(HC_WARNING, "check command was unsuccessful: %d",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
		while (olen && (output[olen - 1] == '\n' || output[olen - 1] == ' '))
			output[--olen] = '\0';
		if (olen)
			hc_log(HC_INFO, "output of check command: %s", output);
		return false;
	}
	hc_log(HC_DEBUG, "command was executed successfully");
	return true;
}

static void run_hook_list(const struct hc_strlist *l, enum hc_state target)
{
	char env[32];
	snprintf(env, sizeof(env), "STATE=%s", hc_state_name(target));
	for (size_t i = 0; i < l->n; i++) {
		hc_log(HC_DEBUG, "transition to %s, execute '%s'", hc_state_name(target), l->v[i]);
		pid_t pid = spawn_shell(l->v[i], -1, env);
		if (pid < 0) {
			hc_log(HC_ERROR, "cannot run '%s': %s", l->v[i], strerror(errno));
			continue;
		}
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
		}
	}
}

/* ExaBGP's trigger(): the state's own hooks, then every --execute. */
static void run_hooks(const struct hc_opts *o, enum hc_state target)
{
	hc_log(HC_DEBUG, "transition to %s", hc_state_name(target));
	if (target == HC_UP)
		run_hook_list(&o->up_execute, target);
	else if (target == HC_DOWN)
		run_hook_list(&o->down_execute, target);
	else if (target == HC_DISABLED)
		run_hook_list(&o->disabled_execute, target);
	run_hook_list(&o->execute, target);
}

/* ExaBGP's exabgp(target): loopback addresses follow the state with
 * --dynamic-ip-setup, then the commands are printed. */
static int send_state(struct hc *h, enum hc_state target)
{
	const struct hc_opts *o = h->o;
	if (target == HC_UP && o->ip_dynamic) {
		hc_log(HC_INFO, "service up, restoring loopback ips");
		hc_loopback_setup(&h->hosts, o->label, o->sudo);
	}
	hc_log(HC_INFO, "send announces for %s state to ExaBGP", hc_state_name(target));
	int rc = hc_announce(o, &h->ips, target, emit_line, h);
	if (target == HC_EXIT && (o->ip_dynamic || o->ip_setup)) {
		hc_log(HC_INFO, "exiting, deleting loopback ips");
		hc_loopback_remove(&h->hosts, o->label, o->sudo);
	} else if ((target == HC_DOWN || target == HC_DISABLED) && o->ip_dynamic) {
		hc_log(HC_INFO, "service down, deleting loopback ips");
		hc_loopback_remove(&h->hosts, o->label, o->sudo);
	}
	return rc;
}

static bool announced_state(enum hc_state s)
{
	return s == HC_UP || s == HC_DOWN || s == HC_DISABLED;
}

/* Sleeps, and answers a neighbor coming back with the routes again. */
static int sleep_seconds(struct hc *h, double seconds)
{
	int64_t deadline = now_ms() + (int64_t)(seconds * 1000.0);
	for (;;) {
		if (wait_events(h, deadline, false, -1, false) < 0)
			return -1;
		if (h->reannounce) {
			h->reannounce = false;
			if (announced_state(h->announced) && hc_announce(h->o, &h->ips, h->announced, emit_line, h) < 0)
				return -1;
		}
		if (stop_signal || h->shutdown || now_ms() >= deadline)
			return 0;
	}
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static int loop(struct hc *h)
{
	const struct hc_opts *o = h->o;
	pid_t parent = getppid();
	h->state = HC_INIT;
	h->announced = HC_NONE;
	/* ExaBGP's loop runs while its parent lives (os.getppid() != 1) */
	while (getppid() == parent) {
		bool disabled = o->disable && file_exists(o->disable);
		bool successful = disabled || run_check(h);
		if (stop_signal || h->shutdown)
			break;
		bool transition;
		h->state = hc_fsm_step(h->state, &h->checks, disabled, successful, o->rise, o->fall, &transition);
		if (transition)
			run_hooks(o, h->state);
		if (announced_state(h->state) && h->state != h->announced) {
			h->reannounce = false; /* what is sent now is the current state */
			if (send_state(h, h->state) < 0)
				return 1;
			h->announced = h->state;
		}
		if (stop_signal || h->shutdown)
			break;
		if (h->state == HC_RISING || h->state == HC_FALLING) {
			if (sleep_seconds(h, o->fast) < 0)
				return 1;
		} else if (o->interval == 0) {
			hc_log(HC_INFO, "interval set to zero, exiting after the announcement");
			return 0;
		} else if (sleep_seconds(h, o->interval) < 0) {
			return 1;
		}
		if (stop_signal || h->shutdown)
			break;
	}
	if (!stop_signal && !h->shutdown) {
		hc_log(HC_INFO, "the parent process is gone, exiting");
		return 0;
	}
	/* SIGTERM, ^C or the daemon's shutdown: withdraw, remove the addresses */
	h->state = HC_EXIT;
	send_state(h, HC_EXIT);
	return 0;
}

/* ---- start-up ---- */

static int write_pid(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "fastbgp healthcheck: error: argument --pid/-p: can't open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) == 0 ? 0 : -1;
}

static int prepare(struct hc *h, char *err, size_t errlen)
{
	struct hc_opts *o = h->o;
	if (o->ips.n) {
		h->ips = o->ips;
		o->ips.v = NULL;
		o->ips.n = 0;
	} else if (hc_loopback_list(o->label, false, &h->ips, err, errlen) < 0) {
		return -1;
	}
	if (!h->ips.n) {
		snprintf(err, errlen, "No IP found");
		return -1;
	}
	if (hc_expand_hosts(&h->ips, &h->hosts, err, errlen) < 0)
		return -1;
	/* A failure is not fatal, as in ExaBGP (its "ip address add" exits 2 both
	 * for "already there" and for "not permitted", and it ignores 2): a
	 * helper run unprivileged by the daemon still announces. */
	if (o->ip_setup && hc_loopback_setup(&h->hosts, o->label, o->sudo) > 0)
		hc_log(HC_WARNING, "some loopback addresses could not be set up: announcing anyway "
				   "(--no-ip-setup skips the set-up)");
	/* later loopback changes need CAP_NET_ADMIN, kept alone across the change of user */
	bool later_changes = !o->sudo && (o->ip_dynamic || (o->ip_setup && o->label));
	if (hc_drop_privileges(o, later_changes) < 0) {
		snprintf(err, errlen, "cannot drop privileges");
		return -1;
	}
	if (o->deaggregate_networks) {
		struct hc_netlist expanded;
		if (hc_expand_hosts(&h->ips, &expanded, err, errlen) < 0)
			return -1;
		hc_netlist_free(&h->ips);
		h->ips = expanded;
	}
	hc_rotate(&h->ips, o->start_ip);
	return 0;
}

int healthcheck_main(int argc, char **argv)
{
	struct hc_opts o;
	char err[1024];
	if (hc_opts_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "usage: fastbgp healthcheck [options] (--help lists them)\n"
				"fastbgp healthcheck: error: %s\n",
			err);
		hc_opts_free(&o);
		return 2;
	}
	if (o.help) {
		hc_opts_help(stdout);
		hc_opts_free(&o);
		return 0;
	}
	if (o.label && strlen(o.label) > 12) {
		fprintf(stderr, "fastbgp healthcheck: error: argument --label: '%s' is longer than 12 characters "
				"(the kernel's labels are lo:LABEL in 15)\n",
			o.label);
		hc_opts_free(&o);
		return 2;
	}
	int rc = 1;
	struct hc h;
	memset(&h, 0, sizeof(h));
	h.o = &o;
	h.stdin_open = true;
	/* ExaBGP reads acks unless --no-ack or when run by hand on a terminal */
	h.want_acks = !o.no_ack && !isatty(STDOUT_FILENO);
	if (setup_logging(&o, err, sizeof(err)) < 0) {
		fprintf(stderr, "fastbgp healthcheck: error: argument --syslog-facility/-sF: %s\n", err);
		rc = 2;
		goto out;
	}
	if (o.pid && write_pid(o.pid) < 0) {
		rc = 2;
		goto out;
	}
	if (setup_signals() < 0) {
		hc_log(HC_ERROR, "pipe: %s", strerror(errno));
		goto out;
	}
	if (prepare(&h, err, sizeof(err)) < 0) {
		hc_log(HC_ERROR, "%s", err);
		if (!logcfg.console && logcfg.syslog)
			fprintf(stderr, "fastbgp healthcheck: %s\n", err);
		goto out;
	}
	rc = loop(&h);
out:
	hc_netlist_free(&h.ips);
	hc_netlist_free(&h.hosts);
	hc_opts_free(&o);
	for (int i = 0; i < 2; i++)
		if (wake_pipe[i] >= 0) {
			close(wake_pipe[i]);
			wake_pipe[i] = -1;
		}
	if (logcfg.syslog)
		closelog();
	return rc;
}
