/* The named-pipe CLI of ExaBGP 4.2 (settings api.cli and api.pipename):
 * commands are read from the FIFO NAME.in, one per line, and each reply
 * (its output lines, then "done" or "error") is written to NAME.out, so
 * Debian's exabgpcli and scripts that echo commands into
 * /run/exabgp/exabgp.in work unchanged.
 *
 * fastbgp never creates the FIFOs (ExaBGP does not either: the operator or
 * the service unit runs mkfifo).  They are looked for in ExaBGP's folders,
 * in its order (see pipe_cli_find); when none has both, the daemon logs
 * where it looked and runs without the CLI, as ExaBGP does.
 *
 * fastbgp never blocks on them and never stalls the sessions: NAME.out is
 * written only while a reader has it open, and replies that find none are
 * dropped after a short wait (with a log line); a reader that stops
 * reading loses what waits beyond PIPE_CLI_QUEUE_MAX bytes or 5 s.
 * Details in pipe_cli.c and docs/api.md. */
#ifndef FASTBGP_API_PIPE_CLI_H
#define FASTBGP_API_PIPE_CLI_H

#include <stddef.h>
#include <uv.h>

struct api;
struct pipe_cli;

#define PIPE_CLI_QUEUE_MAX (16u << 20)  /* bytes of replies held for a slow or absent reader */
#define PIPE_CLI_FOLDERS 12

/* ExaBGP 4.2's search list (application/bgp.py): /run/exabgp/, /run/UID/,
 * /run/, /var/run/exabgp/, /var/run/UID/, /var/run/, then the same six
 * under root.  Writes into folder (with its trailing '/') the first folder
 * holding both NAME.in and NAME.out as FIFOs and returns 0; returns -1
 * when there is none.  scanned, when not NULL, gets the folders looked at
 * (PIPE_CLI_FOLDERS strings of up to 4096 bytes each). */
int pipe_cli_find(const char *root, const char *name, char *folder, size_t len,
		  char (*scanned)[4096]);

/* Finds and opens the FIFOs and serves commands through api_run_command.
 * line_max is the longest command line (api.line).  Returns NULL when the
 * FIFOs are not there or cannot be opened (logged: the daemon goes on). */
struct pipe_cli *pipe_cli_open(uv_loop_t *loop, struct api *api, const char *root, const char *name,
			       size_t line_max);
/* Writes what it can of the queued replies, then closes the FIFOs (they
 * stay in place for the next run). */
void pipe_cli_close(struct pipe_cli *p);

#endif
