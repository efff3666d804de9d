/* Named-pipe CLI (see pipe_cli.h).
 *
 * NAME.in is held open read-write: reading it never sees an end of file
 * when a writer leaves (Linux allows O_RDWR on a FIFO).
 *
 * NAME.out is opened for writing only while a reply waits and a reader has
 * the FIFO open (ExaBGP's helper does the same: an open that fails with
 * ENXIO means nobody reads), and closed once a whole reply is written, so
 * `cat NAME.out` ends after a reply.  Nothing is ever left in the FIFO for
 * a later reader: exabgpcli 4.2 first reads what an earlier command left
 * there and fails (TypeError) on any such line.  Replies that find no
 * reader wait PIPE_CLI_GRACE_MS for one (`echo CMD > NAME.in; cat
 * NAME.out` works), and are dropped, with a log line, when that time
 * passes or when the next command comes first. */
#include "api/pipe_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "api/lines.h"
#include "core/log.h"

/* Terminators may go beyond the queue bound by this much, so each reply
 * still ends where it should. */
#define PIPE_CLI_SLACK (1u << 20)
/* How long a reply waits for a reader to open NAME.out. */
#define PIPE_CLI_GRACE_MS 1000
/* A reader that takes nothing for this long loses what waits: exabgpcli
 * gives up after 5 s without data. */
#define PIPE_CLI_STALL_MS 5000
#define PIPE_CLI_TICK_MS 50

/* The write end of NAME.out, while it is open. */
struct out_end {
	uv_poll_t poll;
	struct pipe_cli *p;
	int fd;
};

struct pipe_cli {
	uv_loop_t *loop;
	struct api *api;
	uv_pipe_t in;         /* NAME.in, read as a stream */
	uv_timer_t tick;      /* while replies wait: look for a reader, drop old ones */
	struct out_end *end;  /* NULL while NAME.out is not open */
	int handles;          /* libuv handles not closed yet */
	bool closing;
	bool polling;         /* end->poll is started (the FIFO is full) */
	struct api_lines lines;
	char *buf;            /* replies not written yet: buf[off, len) */
	size_t off, len, cap;
	uint64_t since;       /* loop time of the last progress (or of the first waiting byte) */
	char tail[8];         /* the last bytes written, to know where a reply ends */
	char in_path[4096 + 256], out_path[4096 + 256];
	uint64_t dropped;     /* bytes of replies dropped since a reader last took one (logged then) */
};

static bool is_fifo(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

int pipe_cli_find(const char *root, const char *name, char *folder, size_t len, char (*scanned)[4096])
{
	/* ExaBGP's order: the system folders first, then those under the root */
	static const char *const tails[] = {"/run/exabgp/", "/run/%u/", "/run/", "/var/run/exabgp/", "/var/run/%u/",
					    "/var/run/"};
	unsigned uid = (unsigned)getuid();
	int found = -1;
	for (int i = 0; i < PIPE_CLI_FOLDERS; i++) {
		char dir[4096], tail[64], in[4096 + 256], out[4096 + 256];
		snprintf(tail, sizeof(tail), tails[i % 6], uid);
		snprintf(dir, sizeof(dir), "%s%s", i < 6 ? "" : (root ? root : ""), tail);
		if (scanned)
			snprintf(scanned[i], sizeof(scanned[i]), "%s", dir);
		if (found >= 0)
			continue;
		snprintf(in, sizeof(in), "%s%s.in", dir, name);
		snprintf(out, sizeof(out), "%s%s.out", dir, name);
		if (is_fifo(in) && is_fifo(out)) {
			snprintf(folder, len, "%s", dir);
			found = i;
			if (!scanned)
				break;
		}
	}
	return found >= 0 ? 0 : -1;
}

/* ---- replies --------------------------------------------------------------- */

static bool is_terminator(const char *line, size_t len)
{
	return (len == 4 && !memcmp(line, "done", 4)) || (len == 5 && !memcmp(line, "error", 5));
}

/* Did the bytes written so far end a reply? */
static bool written_at_reply_end(const struct pipe_cli *p)
{
	const char *t = p->tail;
	size_t n = strlen(t);
	if (!n)
		return true; /* nothing written yet */
	return (n >= 5 && !strcmp(t + n - 5, "done\n") && (n == 5 || t[n - 6] == '\n')) ||
	       (n >= 6 && !strcmp(t + n - 6, "error\n") && (n == 6 || t[n - 7] == '\n'));
}

static void remember_tail(struct pipe_cli *p, const char *data, size_t n)
{
	size_t keep = sizeof(p->tail) - 1, old = strlen(p->tail);
	if (n >= keep) {
		memcpy(p->tail, data + n - keep, keep);
		p->tail[keep] = '\0';
		return;
	}
	size_t drop = old + n > keep ? old + n - keep : 0;
	memmove(p->tail, p->tail + drop, old - drop);
	memcpy(p->tail + old - drop, data, n);
	p->tail[old - drop + n] = '\0';
}

static size_t pending(const struct pipe_cli *p)
{
	return p->len - p->off;
}

/* Logs the first drop of an episode; flush() logs the total when a reader
 * takes a reply again. */
static void count_drop(struct pipe_cli *p, size_t bytes, const char *why)
{
	if (!p->dropped)
		log_warning(LOG_PROCESSES, "cli: replies on %s are dropped: %s", p->out_path, why);
	p->dropped += bytes ? bytes : 1;
}

static void append(struct pipe_cli *p, const char *data, size_t n)
{
	if (!pending(p))
		p->since = uv_now(p->loop);
	if (p->off && p->off >= p->len / 2) { /* keep the buffer from creeping */
		memmove(p->buf, p->buf + p->off, pending(p));
		p->len -= p->off;
		p->off = 0;
	}
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 65536;
		while (cap < p->len + n)
			cap *= 2;
		char *b = realloc(p->buf, cap);
		if (!b) {
			count_drop(p, n, "out of memory");
			return;
		}
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, data, n);
	p->len += n;
}

/* One of its libuv handles is closed: the last one frees it. */
static void release(struct pipe_cli *p)
{
	if (--p->handles > 0)
		return;
	api_lines_free(&p->lines);
	free(p->buf);
	free(p);
}

static void on_end_closed(uv_handle_t *h)
{
	struct out_end *e = h->data;
	struct pipe_cli *p = e->p;
	free(e);
	release(p);
}

static void close_end(struct pipe_cli *p)
{
	struct out_end *e = p->end;
	if (!e)
		return;
	p->end = NULL;
	p->polling = false;
	uv_close((uv_handle_t *)&e->poll, on_end_closed); /* stops the poll at once */
	close(e->fd);
}

static void on_writable(uv_poll_t *h, int status, int events);
static void on_tick(uv_timer_t *t);

/* 1: open, 0: nobody reads NAME.out, -1: an error (logged). */
static int open_end(struct pipe_cli *p)
{
	int fd = open(p->out_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENXIO)
			return 0;
		log_error(LOG_PROCESSES, "cli: cannot open %s: %s", p->out_path, strerror(errno));
		return -1;
	}
	struct out_end *e = calloc(1, sizeof(*e));
	if (!e || uv_poll_init(p->loop, &e->poll, fd) < 0) {
		free(e);
		close(fd);
		return -1;
	}
	e->p = p;
	e->fd = fd;
	e->poll.data = e;
	p->handles++;
	p->end = e;
	return 1;
}

static void drop_waiting(struct pipe_cli *p, const char *why)
{
	count_drop(p, pending(p), why);
	p->off = p->len = 0;
	if (!p->end) {
		p->tail[0] = '\0'; /* the next reader starts afresh */
	} else if (!written_at_reply_end(p)) {
		/* for the reader still there, the reply cut in the middle ends as a failed one */
		static const char cut[] = "error: the rest of the reply was dropped\nerror\n";
		append(p, cut, sizeof(cut) - 1);
	}
}

/* Writes what the FIFO takes now. */
static void flush(struct pipe_cli *p)
{
	bool wrote = false;
	while (pending(p)) {
		if (!p->end) {
			int rc = open_end(p);
			if (rc < 0)
				p->off = p->len = 0;
			if (rc <= 0)
				break;
		}
		ssize_t w = write(p->end->fd, p->buf + p->off, pending(p));
		if (w > 0) {
			remember_tail(p, p->buf + p->off, (size_t)w);
			p->off += (size_t)w;
			p->since = uv_now(p->loop);
			wrote = true;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			if (!p->polling) {
				uv_poll_start(&p->end->poll, UV_WRITABLE, on_writable);
				p->polling = true;
			}
			break;
		}
		/* EPIPE: the reader left; what waits was for it, and a new reader
		 * must not get the end of an old reply */
		close_end(p);
		drop_waiting(p, "the reader left");
	}
	if (!pending(p)) {
		p->off = p->len = 0;
		uv_timer_stop(&p->tick);
		if (p->dropped && wrote) {
			log_warning(LOG_PROCESSES, "cli: a reader is back on %s; %llu bytes of replies had been dropped",
				    p->out_path, (unsigned long long)p->dropped);
			p->dropped = 0;
		}
		/* the reader sees the end of the file after a whole reply, as with ExaBGP */
		if (written_at_reply_end(p))
			close_end(p);
		return;
	}
	if (!uv_is_active((uv_handle_t *)&p->tick))
		uv_timer_start(&p->tick, on_tick, PIPE_CLI_TICK_MS, PIPE_CLI_TICK_MS);
}

static void on_writable(uv_poll_t *h, int status, int events)
{
	(void)status;
	(void)events;
	struct out_end *e = h->data;
	struct pipe_cli *p = e->p;
	uv_poll_stop(h);
	p->polling = false;
	flush(p);
}

/* Replies wait: look for a reader; drop what waited too long. */
static void on_tick(uv_timer_t *t)
{
	struct pipe_cli *p = t->data;
	uint64_t waited = uv_now(p->loop) - p->since;
	if (!p->end && waited >= PIPE_CLI_GRACE_MS)
		drop_waiting(p, "nobody opened the pipe to read them");
	else if (p->end && waited >= PIPE_CLI_STALL_MS)
		drop_waiting(p, "the reader took nothing for 5 s");
	flush(p);
}

/* api_run_command's sink: one line of a reply. */
static void reply_line(void *ctx, const char *line, size_t len)
{
	struct pipe_cli *p = ctx;
	if (p->closing)
		return;
	size_t limit = PIPE_CLI_QUEUE_MAX + (is_terminator(line, len) ? PIPE_CLI_SLACK : 0);
	if (pending(p) + len + 1 > limit) {
		count_drop(p, len + 1, "more than PIPE_CLI_QUEUE_MAX bytes wait for the reader");
		return;
	}
	append(p, line, len);
	append(p, "\n", 1);
	/* a reader may drain the FIFO while a long reply is produced */
	if (!p->polling && pending(p) >= 65536)
		flush(p);
}

/* ---- commands -------------------------------------------------------------- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	struct pipe_cli *p = h->data;
	size_t room = 0;
	char *at = api_lines_space(&p->lines, 65536, &room);
	*buf = uv_buf_init(at, at ? (unsigned)room : 0);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	struct pipe_cli *p = s->data;
	if (nread < 0) {
		/* No end of file: the FIFO is open for writing here too. */
		log_error(LOG_PROCESSES, "cli: cannot read %s: %s, the cli stops", p->in_path, uv_strerror((int)nread));
		uv_read_stop(s);
		return;
	}
	api_lines_commit(&p->lines, (size_t)nread);
	char *line;
	size_t len;
	int r;
	while (!p->closing && (r = api_lines_next(&p->lines, &line, &len)) != API_LINE_NONE) {
		if (r == API_LINE_TOO_LONG) {
			static const char why[] = "error: command longer than api.line";
			log_warning(LOG_PROCESSES, "cli: a command longer than api.line was dropped");
			reply_line(p, why, sizeof(why) - 1);
			reply_line(p, "error", 5);
			continue;
		}
		if (!len)
			continue; /* exabgpcli and shells may send empty lines */
		log_info(LOG_PROCESSES, "cli: %s", line);
		/* replies of earlier commands that no reader took are not this one's */
		if (pending(p) && !p->end)
			drop_waiting(p, "nobody opened the pipe to read them before the next command");
		api_run_command(p->api, line, reply_line, p);
	}
	if (!p->closing && !p->polling)
		flush(p);
}

/* ---- open / close ------------------------------------------------------------ */

static void on_closed(uv_handle_t *h)
{
	release(h->data);
}

static void not_found(const char *root, const char *name)
{
	char scanned[PIPE_CLI_FOLDERS][4096], folder[4096];
	pipe_cli_find(root, name, folder, sizeof(folder), scanned);
	char list[PIPE_CLI_FOLDERS * 64] = "";
	size_t used = 0;
	for (int i = 0; i < PIPE_CLI_FOLDERS && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? " " : "", scanned[i]);
	log_error(LOG_PROCESSES, "cli: could not find the named pipes (%s.in and %s.out) required for the cli", name,
		  name);
	log_error(LOG_PROCESSES, "cli: we scanned the following folders: %s", list);
	log_error(LOG_PROCESSES, "cli: make them in one of those folders: mkfifo /run/exabgp/%s.in /run/exabgp/%s.out; "
				 "chmod 600 /run/exabgp/%s.in /run/exabgp/%s.out",
		  name, name, name, name);
}

struct pipe_cli *pipe_cli_open(uv_loop_t *loop, struct api *api, const char *root, const char *name,
			       size_t line_max)
{
	char folder[4096];
	if (!name || !*name || strchr(name, '/')) {
		log_error(LOG_PROCESSES, "cli: api.pipename '%s' is not a file name, no cli", name ? name : "");
		return NULL;
	}
	if (pipe_cli_find(root, name, folder, sizeof(folder), NULL) < 0) {
		not_found(root, name);
		return NULL;
	}
	struct pipe_cli *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = loop;
	p->api = api;
	api_lines_init(&p->lines, line_max);
	snprintf(p->in_path, sizeof(p->in_path), "%s%s.in", folder, name);
	snprintf(p->out_path, sizeof(p->out_path), "%s%s.out", folder, name);
	int fd = open(p->in_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_error(LOG_PROCESSES, "cli: cannot open %s: %s", p->in_path, strerror(errno));
		api_lines_free(&p->lines);
		free(p);
		return NULL;
	}
	uv_pipe_init(loop, &p->in, 0);
	uv_timer_init(loop, &p->tick);
	p->in.data = p->tick.data = p;
	p->handles = 2;
	int rc = uv_pipe_open(&p->in, fd);
	if (rc < 0)
		close(fd);
	else
		rc = uv_read_start((uv_stream_t *)&p->in, on_alloc, on_read);
	if (rc < 0) {
		log_error(LOG_PROCESSES, "cli: cannot read %s: %s", p->in_path, uv_strerror(rc));
		pipe_cli_close(p);
		return NULL;
	}
	log_info(LOG_PROCESSES, "cli: named pipes for the cli are: to send commands %s, to read responses %s",
		 p->in_path, p->out_path);
	return p;
}

void pipe_cli_close(struct pipe_cli *p)
{
	if (!p || p->closing)
		return;
	flush(p); /* the last replies (the one of "shutdown"): what the FIFO takes now */
	p->closing = true;
	close_end(p);
	uv_close((uv_handle_t *)&p->in, on_closed); /* closes the descriptor of NAME.in */
	uv_close((uv_handle_t *)&p->tick, on_closed);
}
