/* Internals of the api module shared by api.c (context, helpers,
 * neighbors), api_events.c (event fan-out), api_cmd.c (command dispatch)
 * and show.c. */
#ifndef FASTBGP_API_API_INT_H
#define FASTBGP_API_API_INT_H

#include "api/api.h"
#include "api/process.h"
#include "api/views.h"
#include "config/route_grammar.h"

enum api_reply_state {
	API_REPLY_IDLE = 0,
	API_REPLY_IN_OP,          /* the host op is running */
	API_REPLY_FINISHED,       /* finished (during the op or after) */
	API_REPLY_PENDING,        /* the op returned API_PENDING: the host finishes it */
};

/* Where the output of one command goes. */
struct api_reply {
	struct api *a;
	int proc;                 /* helper slot, -1 for api_run_command */
	void (*sink)(void *ctx, const char *line, size_t len);
	void *sink_ctx;
	int state;                /* enum api_reply_state */
	bool heap;                /* allocated for api_run_command */
	char reason[256];         /* why it fails (api_reply_reason), "" = not said */
	bool force_ack;           /* disable-ack: its own "done" goes out */
};

/* One configured process block. */
struct api_proc {
	struct api *a;
	int slot;
	char *name;
	const struct api_encoder *enc;
	struct api_helper *h;
	bool configured;          /* in the running configuration */
	const struct process_conf *pc; /* its block in the running configuration */
	bool closing;             /* api_helper_close was called */
	bool pressing;
	bool events;              /* some neighbor sends it events (it may hold peers back) */
	bool ack;                 /* acks on: api.ack, then enable-/disable-/silence-ack (ExaBGP 5.0) */
	uint64_t dropped;         /* events dropped while the helper was stalled */
	uint64_t commands, command_errors; /* lines received, acks that were errors (metrics) */
	struct api_command cmd;   /* parse buffer */
	struct api_reply reply;   /* the command being answered */
};

/* A warning caused by what process slot sent (slot < 0: the CLI), rate
 * limited per helper (api_helper_log). */
void api_log_helper_error(struct api *a, int slot, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

struct api {
	uv_loop_t *loop;
	struct api_options o;
	const struct api_host_ops *ops;
	void *ctx;
	char *conf_dir;
	struct api_fmt fmt;

	struct api_proc *procs[API_MAX_PROCESSES];
	int nprocs;               /* slots used (some may be unconfigured) */
	int pressing;             /* helpers asking for backpressure */
	bool bp_on;
	bool paused;              /* api_pause_commands */

	/* event encoding scratch */
	struct attr_pool decode_pool;
	struct api_update_view uv;
	struct wbuf body[2];      /* one per encoder: 0 json, 1 text */

	/* API routes */
	struct attr_pool *pool;
	struct rg_ctx rg;
	bool rg_ready;
	struct route_list routes;
	struct api_command ext_cmd; /* api_run_command's parse buffer */
	void **sel;               /* peers selected for a command */
	size_t nsel, selcap;
	struct open_listing ov;  /* OPEN being encoded */

	bool shutting;
	int closing;              /* helpers not closed yet */
	void (*shutdown_done)(void *ctx);
	void *shutdown_ctx;
};

/* api.c */
double api_now(const struct api *a);
int64_t api_wall_seconds(void);
/* Writes one entry (a + b) to helper slot i; false when it does not run. */
bool api_proc_write(struct api *a, int i, const void *p, size_t len, const void *q, size_t qlen);

/* api_events.c: the fan-out of one event to the helpers of a subscription
 * (enum api_sub), for events built outside api_events.c (api_graceful.c). */
typedef int (*api_gen_fn)(const struct api_encoder *enc, const struct api_fmt *f, struct wbuf *w,
			  const struct api_neighbor *n, const void *arg);
void api_fanout_sub(struct api *a, struct api_neighbor *n, int sub, api_gen_fn gen, const void *arg);
/* ExaBGP 5.0's ack control for the helper that sent the command (a no-op
 * for the CLI): enable-ack acks itself, disable-ack acks itself and then
 * stops acks, silence-ack stops them at once. */
enum api_ack_control { API_ACK_ENABLE, API_ACK_DISABLE, API_ACK_SILENCE };
void api_reply_ack_control(struct api_reply *r, enum api_ack_control what);

/* api_cmd.c */
/* A command handler finished its reply itself (command_int.h). */
#define API_REPLIED 2
enum api_pick {
	API_PICK_SERVICE,     /* peers whose api blocks list the process (all for the CLI) */
	API_PICK_ESTABLISHED, /* established peers */
	API_PICK_ALL,         /* every peer */
};
/* The peers the command's selector names, into a->sel; their number. */
size_t api_select_peers(struct api *a, const struct api_command *c, const struct api_reply *r, enum api_pick how);
/* Adds one peer to a->sel; false when out of memory. */
bool api_select_push(struct api *a, void *peer);
/* Logs that no peer matches; API_ERROR. */
int api_fail_no_neighbor(const struct api_command *c, struct api_reply *r);
/* The handler of every announce/withdraw route command (route_form). */
int api_run_routes(struct api *a, struct api_command *c, struct api_reply *r);
/* The process that sent the command, "cli" for api_run_command. */
const char *api_service_name(const struct api_reply *r);
void api_handle_line(struct api *a, int proc, char *line, size_t len);
void api_handle_too_long(struct api *a, int proc);
/* Runs a parsed command; the reply r is set up by the caller. */
void api_dispatch(struct api *a, struct api_command *c, struct api_reply *r);

/* show.c */
int api_show_neighbor(struct api *a, const struct api_command *c, struct api_reply *r);

#endif
