/* Control socket (see control.h). */
#include "api/control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "api/api.h"
#include "core/log.h"

#define CONTROL_LINE_MAX 65536

struct control {
	uv_pipe_t server;
	uv_loop_t *loop;
	struct api *api;
	char *path;
};

struct client {
	uv_pipe_t pipe;
	struct control *ctl;
	size_t len;
	char buf[CONTROL_LINE_MAX];
};

struct out_req {
	uv_write_t req;
	size_t len;
	char data[];
};

static void on_client_closed(uv_handle_t *h)
{
	free(h); /* struct client starts with its pipe */
}

static void on_written(uv_write_t *req, int status)
{
	(void)status;
	free(req);
}

static void write_line(void *ctx, const char *line, size_t len)
{
	struct client *c = ctx;
	struct out_req *o = malloc(sizeof(*o) + len + 1);
	if (!o)
		return;
	memcpy(o->data, line, len);
	o->data[len] = '\n';
	o->len = len + 1;
	uv_buf_t b = uv_buf_init(o->data, (unsigned)o->len);
	if (uv_write(&o->req, (uv_stream_t *)&c->pipe, &b, 1, on_written) < 0)
		free(o);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	uv_close((uv_handle_t *)req->handle, on_client_closed);
	free(req);
}

static void finish(struct client *c)
{
	uv_read_stop((uv_stream_t *)&c->pipe);
	uv_shutdown_t *req = malloc(sizeof(*req));
	if (!req || uv_shutdown(req, (uv_stream_t *)&c->pipe, on_shutdown) < 0) {
		free(req);
		uv_close((uv_handle_t *)&c->pipe, on_client_closed);
	}
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	struct client *c = h->data;
	*buf = uv_buf_init(c->buf + c->len, (unsigned)(sizeof(c->buf) - c->len - 1));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	struct client *c = s->data;
	if (nread < 0) {
		/* End of input without a newline: run what was sent, if anything. */
		if (c->len) {
			c->buf[c->len] = '\0';
			api_run_command(c->ctl->api, c->buf, write_line, c);
		}
		finish(c);
		return;
	}
	c->len += (size_t)nread;
	char *nl = memchr(c->buf, '\n', c->len);
	if (!nl && c->len < sizeof(c->buf) - 1)
		return;
	if (!nl) {
		static const char why[] = "error: command longer than 65536 bytes";
		write_line(c, why, sizeof(why) - 1); /* longer than any command */
		write_line(c, "error", 5);
		finish(c);
		return;
	}
	*nl = '\0';
	if (nl > c->buf && nl[-1] == '\r')
		nl[-1] = '\0';
	log_info(LOG_PROCESSES, "control socket: %s", c->buf);
	api_run_command(c->ctl->api, c->buf, write_line, c);
	finish(c);
}

static void on_connection(uv_stream_t *server, int status)
{
	struct control *ctl = server->data;
	if (status < 0)
		return;
	struct client *c = malloc(sizeof(*c));
	if (!c)
		return;
	c->ctl = ctl;
	c->len = 0;
	uv_pipe_init(ctl->loop, &c->pipe, 0);
	c->pipe.data = c;
	if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0) {
		uv_close((uv_handle_t *)&c->pipe, on_client_closed);
		return;
	}
	uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
}

static void on_server_closed(uv_handle_t *h);

/* Does a process accept connections on this socket file? */
static int socket_is_live(const char *path)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	int live = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return live;
}

struct control *control_open(uv_loop_t *loop, struct api *api, const char *path)
{
	struct control *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = loop;
	c->api = api;
	c->path = strdup(path);
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		if (socket_is_live(path)) {
			log_error(LOG_PROCESSES, "control socket %s: another daemon is listening there, not taking it",
				  path);
			free(c->path);
			free(c);
			return NULL;
		}
		unlink(path); /* a stale socket of an earlier run */
	}
	uv_pipe_init(loop, &c->server, 0);
	c->server.data = c;
	int rc = uv_pipe_bind(&c->server, path);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&c->server, 16, on_connection);
	if (rc < 0) {
		log_error(LOG_PROCESSES, "control socket %s: %s", path, uv_strerror(rc));
		uv_close((uv_handle_t *)&c->server, on_server_closed);
		return NULL;
	}
	chmod(path, 0600); /* commands change routes: the owner only */
	log_info(LOG_PROCESSES, "control socket on %s", path);
	return c;
}

static void on_server_closed(uv_handle_t *h)
{
	struct control *c = h->data;
	free(c->path);
	free(c);
}

void control_close(struct control *c)
{
	if (!c)
		return;
	unlink(c->path);
	if (!uv_is_closing((uv_handle_t *)&c->server))
		uv_close((uv_handle_t *)&c->server, on_server_closed);
}
