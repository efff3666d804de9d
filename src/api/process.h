/* Supervision of one helper process (ExaBGP's "process" block) on a libuv
 * loop.
 *
 * The helper runs with its stdin and stdout on pipes and its stderr read
 * line by line into the log (topic processes).  Its stdout is framed into
 * command lines (lines.h) handed to the owner; what fastbgp writes to its
 * stdin goes through a bounded output queue (outq.h) and non-blocking
 * uv_write calls only.  Reading the helper stops while the owner pauses it
 * (a command still being answered) and after a budget of lines per loop
 * turn, so one busy helper cannot hold the loop.  It does not stop when the
 * helper's own input queue is full: a helper that writes all its commands
 * before reading the replies would deadlock (it does with ExaBGP); its
 * replies wait in memory instead, up to API_QUEUE_MAX_BYTES.
 *
 * Respawn follows ExaBGP 4.2 (reactor/api/processes.py): a helper that
 * dies is started again at once when respawn is on; starts are counted in
 * 64-second windows of the wall clock (time & ~63) and the sixth start
 * within one window is refused: the helper is given up and the owner told
 * (ExaBGP then stops the whole daemon; here the owner decides).  A helper
 * whose stdout closes while it runs is killed and handled as dead, as
 * ExaBGP does.  A helper that never drains its stdin for stall_ms while
 * its queue is full is reported as stalled (pressure released, the owner
 * drops its events) until it reads again. */
#ifndef FASTBGP_API_PROCESS_H
#define FASTBGP_API_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "api/lines.h"
#include "api/outq.h"

#define API_RESPAWN_LIMIT 5          /* respawns within one window (ExaBGP) */
#define API_RESPAWN_MASK (~(uint64_t)63) /* 0xFFFFFF - 0b111111 in ExaBGP: 64 s windows */
#define API_LINES_PER_TURN 2048      /* command lines handled per loop turn per helper */
#define API_EXIT_GRACE_MS 300        /* after exit: wait this long for the rest of stdout */
#define API_TERM_DELAY_MS 100        /* shutdown: SIGTERM this long after the last message is out */
#define API_KILL_DELAY_MS 3000       /* shutdown: SIGKILL when still running after SIGTERM */
#define API_QUEUE_MAX_BYTES (256 << 20) /* output for one helper beyond this is dropped */

/* The respawn window counter, on its own so it can be tested. */
struct api_respawn {
	uint64_t window;
	unsigned count;
};
/* Records a start at wall clock time now (seconds).  Returns true when it
 * is allowed: at most 1 + API_RESPAWN_LIMIT starts in one window. */
bool api_respawn_allow(struct api_respawn *r, uint64_t now);

/* Resolves the program of a "run" line as ExaBGP does: an absolute path is
 * used as is; a relative one is tried against /etc/exabgp, the folder of the
 * configuration file (conf_dir, may be NULL), then each $PATH entry, and the
 * first that exists is taken.  The file must be a regular executable file
 * and not setuid.  Returns 0 with the path in out, or -1 with a message. */
int api_resolve_program(const char *prg, const char *conf_dir, char *out, size_t outlen, char *err, size_t errlen);

struct api_helper;

struct api_helper_cbs {
	void *ctx;
	/* One command line (newline removed, NUL-terminated, may be modified). */
	void (*line)(void *ctx, struct api_helper *h, char *line, size_t len);
	/* A line longer than the maximum was dropped. */
	void (*too_long)(void *ctx, struct api_helper *h);
	/* Backpressure from this helper starts (true) or ends (false). */
	void (*pressure)(void *ctx, struct api_helper *h, bool on);
	/* The helper was started (first time or respawn). */
	void (*started)(void *ctx, struct api_helper *h);
	/* The helper ended and will not be started again (why: a sentence). */
	void (*gone)(void *ctx, struct api_helper *h, const char *why);
	/* After api_helper_close: every handle is closed, h may be freed. */
	void (*closed)(void *ctx, struct api_helper *h);
};

/* A process whose transport is NATS (process block "nats"; nats_transport.h). */
struct api_nats_conf {
	const char *url, *subject, *stream; /* stream NULL: core NATS */
	size_t buffer;                      /* api.nats_buffer */
};

struct api_helper_conf {
	const char *name;
	const char *const *argv;  /* as configured, NULL terminated */
	const char *conf_dir;     /* folder of the configuration file, or NULL */
	bool respawn;             /* process "respawn" and api.respawn */
	size_t max_line;          /* api.line */
	size_t queue;             /* api.queue: high water mark, in entries */
	unsigned stall_ms;        /* 0: never consider the helper stalled */
	const struct api_nats_conf *nats; /* non-NULL: NATS instead of a program */
};

enum api_pause {
	API_PAUSE_HOST = 1u << 0,  /* the owner asked (api_pause_commands) */
	API_PAUSE_REPLY = 1u << 1, /* a command of this helper is being answered */
};

struct api_helper *api_helper_new(uv_loop_t *loop, const struct api_helper_conf *conf,
				  const struct api_helper_cbs *cbs);
/* Starts the helper.  Returns 0, or -1 (logged) when it could not be
 * started; the gone callback is not called for a failed first start. */
int api_helper_start(struct api_helper *h);
/* Queues one entry (a + b) for the helper's stdin.  Returns 0, or -1 when
 * the helper does not run (the data is dropped). */
int api_helper_write(struct api_helper *h, const void *a, size_t alen, const void *b, size_t blen);
/* Queues one reply line of a command: the same as api_helper_write for a
 * pipe; on NATS it goes to the command message's reply subject. */
int api_helper_reply(struct api_helper *h, const void *a, size_t alen, const void *b, size_t blen);
/* Sets or clears a reason (enum api_pause) to stop reading commands. */
void api_helper_pause(struct api_helper *h, unsigned reason, bool on);
/* Writes `last` (may be NULL), then SIGTERM, then SIGKILL; when the process
 * is gone and every handle closed, the closed callback runs.  No respawn
 * and no gone callback after this. */
void api_helper_close(struct api_helper *h, const void *last, size_t lastlen);
void api_helper_free(struct api_helper *h); /* only after the closed callback */

const char *api_helper_name(const struct api_helper *h);
int api_helper_pid(const struct api_helper *h);       /* 0 when not running */
/* Logs one message caused by the helper (a command it sent that is not
 * understood, a line on its stderr, ...), level enum log_level, topic
 * processes, rate limited per helper (core/ratelimit.h): a helper printing
 * garbage gets RATE_LIMIT_BURST lines per window, then one "N similar
 * messages suppressed" line when the window ends. */
void api_helper_log(struct api_helper *h, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool api_helper_running(const struct api_helper *h);  /* stdin can be written */
bool api_helper_stalled(const struct api_helper *h);  /* queue full, not read for stall_ms */
size_t api_helper_queued(const struct api_helper *h); /* entries waiting */
unsigned api_helper_starts(const struct api_helper *h); /* how many times started */

#endif
