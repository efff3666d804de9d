/* The control socket: a Unix stream socket (api.socket) on which the
 * control client (tools/fastbgpctl) sends one command line and reads the
 * answer, ended by "done" or "error", as a helper would get it. */
#ifndef FASTBGP_API_CONTROL_H
#define FASTBGP_API_CONTROL_H

#include <uv.h>

struct api;
struct control;

/* Listens on path (an existing socket file there is replaced).  Returns
 * NULL (logged) on failure. */
struct control *control_open(uv_loop_t *loop, struct api *api, const char *path);
/* Closes the socket and removes its file. */
void control_close(struct control *c);

#endif
