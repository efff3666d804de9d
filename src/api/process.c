/* Helper process supervision (see process.h). */
#include "api/process.h"
#include "api/nats_transport.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/ratelimit.h"

extern char **environ;

#define ERR_LINE_MAX 8192 /* stderr lines are logged in pieces of at most this */

/* One spawned instance of the helper: its process and pipe handles.  A
 * respawn makes a new one; the old one is freed by its last close callback. */
struct api_run {
	struct api_helper *h;
	uv_process_t proc;
	uv_pipe_t in, out, err;
	uv_write_t wreq;
	uv_shutdown_t shut; /* end of stdin at stop time */
	bool shut_sent;
	int open;        /* handles not yet closed */
	int pid;
	bool exited;
	bool out_eof;    /* stdout ended (or is given up) */
	bool in_broken;  /* stdin write failed: the helper does not read any more */
	bool closing;    /* handles are being closed */
};

struct api_helper {
	uv_loop_t *loop;
	struct api_helper_cbs cbs;
	char *name;
	char **argv;
	char *conf_dir;
	bool respawn;
	unsigned stall_ms;

	struct api_run *run;   /* current instance, NULL when none */
	int runs_alive;        /* instances whose handles are not all closed */
	struct api_lines lines;
	struct api_lines errlines;
	struct api_outq q;
	struct api_respawn rs;
	unsigned starts;
	unsigned pause;        /* enum api_pause bits */
	bool reading;
	bool pressing;
	bool stalled;
	bool closing;          /* api_helper_close was called */
	bool term_sent;
	bool dead;
	bool finish_pending;   /* exited and stdout done, lines still to handle */
	uint64_t overflow;     /* messages dropped over API_QUEUE_MAX_BYTES */

	uv_idle_t kick;        /* handles buffered lines on the next turns */
	uv_timer_t grace;      /* after exit: waiting for stdout to end */
	uv_timer_t stall;
	uv_timer_t stop;       /* shutdown: SIGTERM, then SIGKILL */
	uv_timer_t logflush;   /* reports the messages the log limit suppressed */
	int hopen;             /* of the five handles above */
	struct rate_limit loglimit; /* its errors and stderr lines (api_helper_log) */
	bool kick_on;
	bool orphan;           /* api_helper_new failed late: free when the handles are closed */
	struct nats_transport *nt; /* the transport is NATS, not a pipe (nats_transport.h) */
};

bool api_respawn_allow(struct api_respawn *r, uint64_t now)
{
	uint64_t w = now & API_RESPAWN_MASK;
	if (r->count && r->window == w) {
		r->count++;
		return r->count <= 1 + API_RESPAWN_LIMIT;
	}
	r->window = w;
	r->count = 1;
	return true;
}

static int check_file(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "can not locate the program \"%s\"", path);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "can not execute directories \"%s\"", path);
		return -1;
	}
	if (st.st_mode & S_ISUID) {
		snprintf(err, errlen, "refusing to run setuid programs \"%s\"", path);
		return -1;
	}
	if (access(path, X_OK) < 0) {
		snprintf(err, errlen, "will not be able to run this program \"%s\"", path);
		return -1;
	}
	return 0;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int api_resolve_program(const char *prg, const char *conf_dir, char *out, size_t outlen, char *err, size_t errlen)
{
	if (!prg || !*prg) {
		snprintf(err, errlen, "no program to run");
		return -1;
	}
	if (prg[0] == '/') {
		snprintf(out, outlen, "%s", prg);
		return check_file(out, err, errlen);
	}
	char cand[PATH_MAX];
	snprintf(cand, sizeof(cand), "/etc/exabgp/%s", prg);
	if (!exists(cand) && conf_dir && *conf_dir) {
		snprintf(cand, sizeof(cand), "%s/%s", conf_dir, prg);
	}
	if (!exists(cand)) {
		cand[0] = '\0';
		const char *path = getenv("PATH");
		while (path && *path) {
			const char *colon = strchr(path, ':');
			size_t n = colon ? (size_t)(colon - path) : strlen(path);
			if (n) {
				snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, path, prg);
				if (exists(cand))
					break;
			}
			cand[0] = '\0';
			path = colon ? colon + 1 : NULL;
		}
	}
	if (!cand[0] || !exists(cand)) {
		snprintf(err, errlen, "can not locate the program \"%s\"", prg);
		return -1;
	}
	snprintf(out, outlen, "%s", cand);
	return check_file(out, err, errlen);
}

/* ---- small state helpers ------------------------------------------------ */

static bool run_active(const struct api_helper *h)
{
	return h->run && !h->run->closing;
}

static void update_pressure(struct api_helper *h)
{
	bool want = run_active(h) && h->q.above && !h->stalled && !h->closing;
	if (want == h->pressing)
		return;
	h->pressing = want;
	if (h->cbs.pressure)
		h->cbs.pressure(h->cbs.ctx, h, want);
}

static void on_kick(uv_idle_t *idle);
static void update_reading(struct api_helper *h);
static void out_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf);
static void out_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void stall_cb(uv_timer_t *t);

/* The output queue does not stop reading: a helper that writes all its
 * commands before it reads a reply (ExaBGP deadlocks on those) must not
 * deadlock here; its replies wait in memory, up to API_QUEUE_MAX_BYTES. */
static bool may_handle_lines(const struct api_helper *h)
{
	return h->run && !h->closing && !h->pause;
}

static void set_kick(struct api_helper *h, bool on)
{
	if (on == h->kick_on)
		return;
	h->kick_on = on;
	if (on)
		uv_idle_start(&h->kick, on_kick);
	else
		uv_idle_stop(&h->kick);
}

static void finish_death(struct api_helper *h);

/* Handles buffered command lines, at most a budget of them. */
static void drain(struct api_helper *h)
{
	struct api_run *run = h->run;
	for (int budget = API_LINES_PER_TURN; budget > 0 && may_handle_lines(h) && h->run == run; budget--) {
		char *line;
		size_t len;
		int r = api_lines_next(&h->lines, &line, &len);
		if (r == API_LINE_NONE)
			break;
		if (r == API_LINE_TOO_LONG) {
			api_helper_log(h, LOG_LVL_WARNING, "process %s: command line longer than %zu bytes dropped", h->name,
				       h->lines.max);
			if (h->cbs.too_long)
				h->cbs.too_long(h->cbs.ctx, h);
		} else if (h->cbs.line) {
			h->cbs.line(h->cbs.ctx, h, line, len);
		}
	}
}

static void update_reading(struct api_helper *h)
{
	struct api_run *run = h->run;
	bool ready = api_lines_ready(&h->lines);
	bool can = may_handle_lines(h);
	set_kick(h, can && ready);
	bool want = can && !ready && run && !run->out_eof && !run->closing;
	if (want && !h->reading) {
		if (uv_read_start((uv_stream_t *)&run->out, out_alloc, out_read) == 0)
			h->reading = true;
	} else if (!want && h->reading) {
		if (run && !run->closing)
			uv_read_stop((uv_stream_t *)&run->out);
		h->reading = false;
	}
	if (h->finish_pending && !ready && h->run && !h->closing && !(h->pause & API_PAUSE_REPLY))
		finish_death(h);
}

static void on_kick(uv_idle_t *idle)
{
	struct api_helper *h = idle->data;
	drain(h);
	update_reading(h);
}

/* ---- stdout ------------------------------------------------------------- */

static void out_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	struct api_run *run = handle->data;
	size_t room = 0;
	char *p = api_lines_space(&run->h->lines, suggested, &room);
	*buf = uv_buf_init(p, p ? (unsigned)(room > UINT_MAX ? UINT_MAX : room) : 0);
}

static void maybe_finish(struct api_helper *h);
static void grace_cb(uv_timer_t *t);

static void out_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	struct api_run *run = s->data;
	struct api_helper *h = run->h;
	if (nread > 0) {
		api_lines_commit(&h->lines, (size_t)nread);
		if (h->run == run) {
			drain(h);
			update_reading(h);
		}
		return;
	}
	if (nread == 0)
		return;
	/* EOF or error: stdout is over */
	if (!run->closing)
		uv_read_stop(s);
	run->out_eof = true;
	if (h->run != run)
		return;
	h->reading = false;
	if (!run->exited && !h->closing) {
		/* usually the helper is exiting; if it is still there after the
		 * grace time, it is broken: ExaBGP restarts such a helper */
		uv_timer_start(&h->grace, grace_cb, API_EXIT_GRACE_MS, 0);
		return;
	}
	maybe_finish(h);
}

/* ---- stderr: to the log, line by line ----------------------------------- */

static void err_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	struct api_run *run = handle->data;
	size_t room = 0;
	char *p = api_lines_space(&run->h->errlines, suggested < 4096 ? suggested : 4096, &room);
	*buf = uv_buf_init(p, p ? (unsigned)(room > UINT_MAX ? UINT_MAX : room) : 0);
}

static void err_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	struct api_run *run = s->data;
	struct api_helper *h = run->h;
	if (nread > 0) {
		api_lines_commit(&h->errlines, (size_t)nread);
		char *line;
		size_t len;
		int r;
		while ((r = api_lines_next(&h->errlines, &line, &len)) != API_LINE_NONE) {
			if (r == API_LINE_OK)
				api_helper_log(h, LOG_LVL_INFO, "process %s: %s", h->name, line);
			else
				api_helper_log(h, LOG_LVL_INFO, "process %s: (a line of more than %d bytes on stderr)", h->name,
					       ERR_LINE_MAX);
		}
		return;
	}
	if (nread < 0 && !run->closing)
		uv_read_stop(s);
}

/* ---- stdin -------------------------------------------------------------- */

static void flush(struct api_helper *h);
static void stop_timer_cb(uv_timer_t *t);

static void write_done(uv_write_t *req, int status)
{
	struct api_run *run = req->data;
	struct api_helper *h = run->h;
	api_outq_written(&h->q);
	if (status < 0 && h->run == run && !run->in_broken) {
		run->in_broken = true;
		if (status != UV_ECANCELED)
			log_warning(LOG_PROCESSES, "process %s does not read its input any more (%s), dropping what was queued",
				    h->name, uv_strerror(status));
		api_outq_clear(&h->q);
	}
	if (h->q.above) {
		if (h->stall_ms && status >= 0 && !h->stalled)
			uv_timer_start(&h->stall, stall_cb, h->stall_ms, 0); /* progress: restart the wait */
	} else {
		if (h->stalled) {
			h->stalled = false;
			log_info(LOG_PROCESSES, "process %s reads its input again", h->name);
		}
		uv_timer_stop(&h->stall);
	}
	update_pressure(h);
	if (h->run == run && h->closing && !h->term_sent && api_outq_empty(&h->q))
		uv_timer_start(&h->stop, stop_timer_cb, API_TERM_DELAY_MS, 0);
	flush(h);
	update_reading(h);
}

static void flush(struct api_helper *h)
{
	struct api_run *run = h->run;
	if (!run || run->closing || run->in_broken || run->shut_sent || api_outq_busy(&h->q))
		return;
	struct api_iov iov[API_OUTQ_MAX_BUFS];
	uv_buf_t bufs[API_OUTQ_MAX_BUFS];
	size_t n = api_outq_take(&h->q, iov, API_OUTQ_MAX_BUFS);
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		bufs[i] = uv_buf_init(iov[i].base, (unsigned)iov[i].len);
	run->wreq.data = run;
	int rc = uv_write(&run->wreq, (uv_stream_t *)&run->in, bufs, (unsigned)n, write_done);
	if (rc < 0) {
		run->in_broken = true;
		log_warning(LOG_PROCESSES, "process %s: can not write to it (%s)", h->name, uv_strerror(rc));
		api_outq_written(&h->q);
		api_outq_clear(&h->q);
		update_pressure(h);
	}
}

static void stall_cb(uv_timer_t *t)
{
	struct api_helper *h = t->data;
	if (!h->q.above || h->stalled)
		return;
	h->stalled = true;
	log_error(LOG_PROCESSES,
		  "process %s has not read its input for %u ms with %zu messages queued: its events are dropped until it reads again",
		  h->name, h->stall_ms, h->q.entries);
	update_pressure(h);
}

int api_helper_write(struct api_helper *h, const void *a, size_t alen, const void *b, size_t blen)
{
	if (h->nt) {
		nats_transport_event(h->nt, a, alen, b, blen);
		return 0;
	}
	struct api_run *run = h->run;
	if (!run || run->closing || run->in_broken || run->shut_sent || run->exited)
		return -1;
	if (h->q.bytes + alen + blen > API_QUEUE_MAX_BYTES) {
		if (!h->overflow++)
			log_error(LOG_PROCESSES, "process %s: more than %d MB waiting for it to read, dropping output",
				  h->name, API_QUEUE_MAX_BYTES >> 20);
		return -1;
	}
	if (h->overflow && h->q.bytes < API_QUEUE_MAX_BYTES / 2) {
		log_warning(LOG_PROCESSES, "process %s: %llu messages were dropped", h->name,
			    (unsigned long long)h->overflow);
		h->overflow = 0;
	}
	int r = api_outq_push2(&h->q, a, alen, b, blen);
	if (r < 0) {
		log_error(LOG_PROCESSES, "process %s: out of memory queueing a message", h->name);
		return -1;
	}
	if (r == 1) {
		if (h->stall_ms)
			uv_timer_start(&h->stall, stall_cb, h->stall_ms, 0);
		update_pressure(h);
	}
	flush(h);
	return 0;
}

/* ---- process life ------------------------------------------------------- */

static void final_close(struct api_helper *h);

static void run_closed(uv_handle_t *handle)
{
	struct api_run *run = handle->data;
	struct api_helper *h = run->h;
	if (--run->open > 0)
		return;
	free(run);
	h->runs_alive--;
	if (h->closing && !h->run && !h->runs_alive)
		final_close(h);
}

static void close_run(struct api_run *run)
{
	if (run->closing)
		return;
	run->closing = true;
	uv_handle_t *hs[] = {(uv_handle_t *)&run->proc, (uv_handle_t *)&run->in, (uv_handle_t *)&run->out,
			     (uv_handle_t *)&run->err};
	for (size_t i = 0; i < 4; i++)
		if (!uv_is_closing(hs[i]))
			uv_close(hs[i], run_closed);
}

static int start_run(struct api_helper *h);

static void finish_death(struct api_helper *h)
{
	struct api_run *run = h->run;
	h->finish_pending = false;
	if (!run)
		return;
	h->run = NULL;
	h->reading = false;
	close_run(run);
	api_lines_reset(&h->lines);
	api_lines_reset(&h->errlines);
	api_outq_clear(&h->q);
	h->stalled = false;
	uv_timer_stop(&h->stall);
	uv_timer_stop(&h->grace);
	set_kick(h, false);
	update_pressure(h);
	if (h->closing)
		return;
	if (!h->respawn) {
		h->dead = true;
		if (h->cbs.gone)
			h->cbs.gone(h->cbs.ctx, h, "it ended and respawn is disabled");
		return;
	}
	if (!api_respawn_allow(&h->rs, (uint64_t)time(NULL))) {
		h->dead = true;
		log_error(LOG_PROCESSES, "too many deaths for process %s (%d restarts within a minute): not restarting it",
			  h->name, API_RESPAWN_LIMIT);
		if (h->cbs.gone)
			h->cbs.gone(h->cbs.ctx, h, "it died too often (respawn limit reached)");
		return;
	}
	log_info(LOG_PROCESSES, "process %s ended, restarting it", h->name);
	if (start_run(h) < 0) {
		h->dead = true;
		if (h->cbs.gone)
			h->cbs.gone(h->cbs.ctx, h, "it could not be restarted");
	}
}

/* Once the process exited and its stdout is over: handle the lines left,
 * then respawn or give up. */
static void maybe_finish(struct api_helper *h)
{
	struct api_run *run = h->run;
	if (!run || !run->exited || !run->out_eof)
		return;
	if (h->closing) {
		finish_death(h);
		return;
	}
	h->finish_pending = true;
	drain(h);
	update_reading(h); /* calls finish_death once no line is left */
}

static void grace_cb(uv_timer_t *t)
{
	struct api_helper *h = t->data;
	struct api_run *run = h->run;
	if (!run)
		return;
	if (run->out_eof) {
		if (!run->exited && !h->closing) {
			log_warning(LOG_PROCESSES, "process %s closed its output, terminating it", h->name);
			uv_process_kill(&run->proc, SIGTERM);
		}
		return;
	}
	/* something else (a child of the helper) keeps its stdout open */
	run->out_eof = true;
	if (h->reading)
		uv_read_stop((uv_stream_t *)&run->out);
	h->reading = false;
	maybe_finish(h);
}

static void on_exit_cb(uv_process_t *p, int64_t status, int sig)
{
	struct api_run *run = p->data;
	struct api_helper *h = run->h;
	run->exited = true;
	if (sig)
		log_info(LOG_PROCESSES, "process %s (pid %d) killed by signal %d", h->name, run->pid, sig);
	else
		log_info(LOG_PROCESSES, "process %s (pid %d) exited with status %lld", h->name, run->pid, (long long)status);
	if (h->run != run)
		return;
	if (h->closing) {
		uv_timer_stop(&h->stop);
		finish_death(h);
		return;
	}
	if (run->out_eof)
		maybe_finish(h);
	else
		uv_timer_start(&h->grace, grace_cb, API_EXIT_GRACE_MS, 0);
}

/* environ with TERM=dumb, as ExaBGP sets for its helpers. */
static char **child_env(void)
{
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TERM=", 5))
			env[o++] = environ[i];
	env[o++] = (char *)"TERM=dumb";
	env[o] = NULL;
	return env;
}

static int start_run(struct api_helper *h)
{
	char path[PATH_MAX], err[PATH_MAX + 64];
	if (api_resolve_program(h->argv[0], h->conf_dir, path, sizeof(path), err, sizeof(err)) < 0) {
		log_error(LOG_PROCESSES, "could not start process %s: %s", h->name, err);
		return -1;
	}
	struct api_run *run = calloc(1, sizeof(*run));
	size_t argc = 0;
	while (h->argv[argc])
		argc++;
	char **args = calloc(argc + 1, sizeof(*args));
	char **env = child_env();
	if (!run || !args || !env) {
		free(run);
		free(args);
		free(env);
		log_error(LOG_PROCESSES, "could not start process %s: out of memory", h->name);
		return -1;
	}
	args[0] = path;
	for (size_t i = 1; i < argc; i++)
		args[i] = h->argv[i];
	run->h = h;
	uv_pipe_init(h->loop, &run->in, 0);
	uv_pipe_init(h->loop, &run->out, 0);
	uv_pipe_init(h->loop, &run->err, 0);
	run->proc.data = run->in.data = run->out.data = run->err.data = run;
	uv_stdio_container_t stdio[3];
	stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	stdio[0].data.stream = (uv_stream_t *)&run->in;
	stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[1].data.stream = (uv_stream_t *)&run->out;
	stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[2].data.stream = (uv_stream_t *)&run->err;
	uv_process_options_t o;
	memset(&o, 0, sizeof(o));
	o.exit_cb = on_exit_cb;
	o.file = path;
	o.args = args;
	o.env = env;
	o.flags = UV_PROCESS_DETACHED; /* own process group, as ExaBGP's setpgrp */
	o.stdio_count = 3;
	o.stdio = stdio;
	int rc = uv_spawn(h->loop, &run->proc, &o);
	free(args);
	free(env);
	run->open = 4;
	h->runs_alive++;
	if (rc < 0) {
		log_error(LOG_PROCESSES, "could not start process %s (%s): %s", h->name, path, uv_strerror(rc));
		run->proc.data = run;
		close_run(run);
		return -1;
	}
	run->pid = run->proc.pid;
	h->run = run;
	h->starts++;
	h->term_sent = false;
	api_lines_reset(&h->lines);
	api_lines_reset(&h->errlines);
	uv_read_start((uv_stream_t *)&run->err, err_alloc, err_read);
	if (uv_read_start((uv_stream_t *)&run->out, out_alloc, out_read) == 0)
		h->reading = true;
	log_info(LOG_PROCESSES, "forked process %s (pid %d): %s", h->name, run->pid, path);
	if (h->cbs.started)
		h->cbs.started(h->cbs.ctx, h);
	update_reading(h);
	return 0;
}

/* ---- NATS transport (nats_transport.h): the same callbacks as a pipe ---- */

static void final_close(struct api_helper *h);

static void nats_line(void *ctx, char *line, size_t len)
{
	struct api_helper *h = ctx;
	h->cbs.line(h->cbs.ctx, h, line, len);
}

static void nats_too_long(void *ctx)
{
	struct api_helper *h = ctx;
	h->cbs.too_long(h->cbs.ctx, h);
}

static void nats_closed(void *ctx)
{
	final_close(ctx);
}

static struct nats_transport *nats_helper_new(struct api_helper *h, const struct api_helper_conf *conf)
{
	struct nats_transport_conf nc = {
		.name = h->name,
		.url = conf->nats->url,
		.subject = conf->nats->subject,
		.stream = conf->nats->stream,
		.buffer = conf->nats->buffer,
		.max_line = conf->max_line,
	};
	struct nats_transport_cbs cbs = {.ctx = h, .line = nats_line, .too_long = nats_too_long, .closed = nats_closed};
	return nats_transport_new(h->loop, &nc, &cbs);
}

struct api_helper *api_helper_new(uv_loop_t *loop, const struct api_helper_conf *conf,
				  const struct api_helper_cbs *cbs)
{
	struct api_helper *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	size_t argc = 0;
	while (conf->argv && conf->argv[argc])
		argc++;
	h->argv = calloc(argc + 2, sizeof(*h->argv));
	h->name = strdup(conf->name ? conf->name : "");
	h->conf_dir = conf->conf_dir ? strdup(conf->conf_dir) : NULL;
	if (!h->argv || !h->name || (conf->conf_dir && !h->conf_dir))
		goto fail;
	for (size_t i = 0; i < argc; i++)
		if (!(h->argv[i] = strdup(conf->argv[i])))
			goto fail;
	if (!argc && !(h->argv[0] = strdup("")))
		goto fail;
	h->loop = loop;
	h->cbs = *cbs;
	h->respawn = conf->respawn;
	h->stall_ms = conf->stall_ms;
	size_t high = conf->queue ? conf->queue : 1;
	api_outq_init(&h->q, high, high / 2);
	api_lines_init(&h->lines, conf->max_line ? conf->max_line : 1048576);
	api_lines_init(&h->errlines, ERR_LINE_MAX);
	uv_idle_init(loop, &h->kick);
	uv_timer_init(loop, &h->grace);
	uv_timer_init(loop, &h->stall);
	uv_timer_init(loop, &h->stop);
	uv_timer_init(loop, &h->logflush);
	h->kick.data = h->grace.data = h->stall.data = h->stop.data = h->logflush.data = h;
	h->hopen = 5;
	rate_limit_init(&h->loglimit, RATE_LIMIT_BURST, RATE_LIMIT_WINDOW_MS);
	if (conf->nats && !(h->nt = nats_helper_new(h, conf)))
		goto fail_handles;
	return h;
fail_handles:
	h->orphan = true; /* freed once its handles are closed */
	final_close(h);
	return NULL;
fail:
	for (size_t i = 0; h->argv && h->argv[i]; i++)
		free(h->argv[i]);
	free(h->argv);
	free(h->name);
	free(h->conf_dir);
	free(h);
	return NULL;
}

int api_helper_start(struct api_helper *h)
{
	if (h->nt) {
		if (h->closing || nats_transport_started(h->nt))
			return 0;
		h->starts++;
		if (h->cbs.started)
			h->cbs.started(h->cbs.ctx, h);
		return nats_transport_start(h->nt);
	}
	if (h->run || h->closing)
		return 0;
	h->dead = false;
	api_respawn_allow(&h->rs, (uint64_t)time(NULL));
	if (start_run(h) < 0) {
		h->dead = true;
		return -1;
	}
	return 0;
}

void api_helper_pause(struct api_helper *h, unsigned reason, bool on)
{
	if (on)
		h->pause |= reason;
	else
		h->pause &= ~reason;
	if (h->nt) {
		nats_transport_pause(h->nt, h->pause != 0);
		return;
	}
	update_reading(h);
}

static void helper_handle_closed(uv_handle_t *handle)
{
	struct api_helper *h = handle->data;
	if (--h->hopen == 0 && h->orphan)
		api_helper_free(h);
	else if (h->hopen == 0 && h->cbs.closed)
		h->cbs.closed(h->cbs.ctx, h);
}

static void report_suppressed(const struct api_helper *h, uint64_t n)
{
	if (n)
		log_warning(LOG_PROCESSES, "process %s: %llu similar message%s suppressed (at most %d every %d s)",
			    h->name, (unsigned long long)n, n == 1 ? "" : "s", RATE_LIMIT_BURST,
			    RATE_LIMIT_WINDOW_MS / 1000);
}

static void logflush_cb(uv_timer_t *t)
{
	struct api_helper *h = t->data;
	report_suppressed(h, rate_limit_flush(&h->loglimit));
}

void api_helper_log(struct api_helper *h, int level, const char *fmt, ...)
{
	uint64_t now = uv_now(h->loop), report;
	bool allow = rate_limit_allow(&h->loglimit, now, &report);
	report_suppressed(h, report);
	if (!allow) {
		/* the count is logged when the window ends, even if nothing follows */
		if (!uv_is_active((uv_handle_t *)&h->logflush) && !uv_is_closing((uv_handle_t *)&h->logflush))
			uv_timer_start(&h->logflush, logflush_cb, rate_limit_deadline(&h->loglimit) - now, 0);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, LOG_PROCESSES, fmt, ap);
	va_end(ap);
}

static void final_close(struct api_helper *h)
{
	if (uv_is_closing((uv_handle_t *)&h->kick))
		return;
	uv_close((uv_handle_t *)&h->kick, helper_handle_closed);
	uv_close((uv_handle_t *)&h->grace, helper_handle_closed);
	uv_close((uv_handle_t *)&h->stall, helper_handle_closed);
	uv_close((uv_handle_t *)&h->stop, helper_handle_closed);
	report_suppressed(h, rate_limit_flush(&h->loglimit));
	uv_close((uv_handle_t *)&h->logflush, helper_handle_closed);
}

static void stdin_shut(uv_shutdown_t *req, int status)
{
	(void)req;
	(void)status;
}

static void stop_timer_cb(uv_timer_t *t)
{
	struct api_helper *h = t->data;
	struct api_run *run = h->run;
	if (!run || run->exited)
		return;
	if (!h->term_sent) {
		h->term_sent = true;
		/* End of input as well as SIGTERM: a helper started as root
		 * (daemon.drop=false) cannot be signalled once fastbgp dropped its
		 * privileges, but it sees the end of its input, as with ExaBGP. */
		if (!run->in_broken && !run->shut_sent && !run->closing &&
		    uv_shutdown(&run->shut, (uv_stream_t *)&run->in, stdin_shut) == 0)
			run->shut_sent = true;
		uv_process_kill(&run->proc, SIGTERM);
		uv_timer_start(&h->stop, stop_timer_cb, API_KILL_DELAY_MS, 0);
	} else {
		log_warning(LOG_PROCESSES, "process %s ignored SIGTERM, killing it", h->name);
		uv_process_kill(&run->proc, SIGKILL);
	}
}

void api_helper_close(struct api_helper *h, const void *last, size_t lastlen)
{
	if (h->closing)
		return;
	if (h->nt) {
		h->closing = true;
		nats_transport_close(h->nt, last, lastlen); /* then nats_closed: final_close */
		return;
	}
	struct api_run *run = h->run;
	if (run && !run->exited && !run->closing && last && lastlen)
		api_helper_write(h, last, lastlen, NULL, 0);
	h->closing = true;
	set_kick(h, false);
	update_pressure(h);
	uv_timer_stop(&h->stall);
	uv_timer_stop(&h->grace);
	if (run && !run->closing) {
		if (run->exited) {
			finish_death(h);
		} else {
			if (h->reading) {
				uv_read_stop((uv_stream_t *)&run->out);
				h->reading = false;
			}
			/* SIGTERM once the last message is written (or soon anyway) */
			unsigned delay = api_outq_empty(&h->q) ? API_TERM_DELAY_MS : 5 * API_TERM_DELAY_MS;
			uv_timer_start(&h->stop, stop_timer_cb, delay, 0);
			return;
		}
	}
	if (!h->run && !h->runs_alive)
		final_close(h);
}

void api_helper_free(struct api_helper *h)
{
	if (!h)
		return;
	nats_transport_free(h->nt);
	api_lines_free(&h->lines);
	api_lines_free(&h->errlines);
	api_outq_free(&h->q);
	for (size_t i = 0; h->argv && h->argv[i]; i++)
		free(h->argv[i]);
	free(h->argv);
	free(h->name);
	free(h->conf_dir);
	free(h);
}

const char *api_helper_name(const struct api_helper *h) { return h->name; }
int api_helper_pid(const struct api_helper *h) { return h->run && !h->run->exited ? h->run->pid : 0; }
bool api_helper_running(const struct api_helper *h)
{
	if (h->nt)
		return nats_transport_started(h->nt);
	return h->run && !h->run->closing && !h->run->exited && !h->run->in_broken;
}
bool api_helper_stalled(const struct api_helper *h) { return h->stalled; }
size_t api_helper_queued(const struct api_helper *h) { return h->nt ? nats_transport_queued(h->nt) : h->q.entries; }
unsigned api_helper_starts(const struct api_helper *h) { return h->starts; }

int api_helper_reply(struct api_helper *h, const void *a, size_t alen, const void *b, size_t blen)
{
	if (!h->nt)
		return api_helper_write(h, a, alen, b, blen);
	nats_transport_reply(h->nt, a, alen, b, blen);
	return 0;
}
