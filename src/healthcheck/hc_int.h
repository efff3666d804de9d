/* fastbgp healthcheck: internal interfaces.
 *
 * The healthcheck is a helper process, as ExaBGP 4.2's
 * application/healthcheck.py: it runs a check command on a timer, moves a
 * small state machine (INIT, RISING, UP, FALLING, DOWN, DISABLED) and prints
 * "announce route ..." / "withdraw route ..." lines on stdout for the daemon
 * that started it.  It can also put the service addresses on the loopback
 * interface (netlink, through libmnl).
 *
 * Files: hc_options.c (the option table, the parser, --config), hc_ip.c
 * (addresses and networks as Python's ipaddress prints them), hc_state.c
 * (the state machine and the announce lines: pure, unit tested),
 * hc_loopback.c (loopback addresses over netlink), hc_run.c (the loop,
 * check and hook processes, stdin events, logging, pid file, privileges). */
#ifndef FASTBGP_HC_INT_H
#define FASTBGP_HC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One address (prefix length = full) or network. */
struct hc_net {
	int family;         /* AF_INET or AF_INET6 */
	uint8_t addr[16];   /* network byte order; 4 bytes used for AF_INET */
	uint8_t plen;
};

struct hc_strlist {
	const char **v;
	size_t n;
};

struct hc_netlist {
	struct hc_net *v;
	size_t n;
};

/* Every option of ExaBGP 4.2's healthcheck; field names follow its dests. */
struct hc_opts {
	bool silent, no_syslog, no_ack, sudo, debug, help;
	const char *syslog_facility;
	const char *name, *config, *pid, *user, *group;
	double interval, fast;
	long timeout, rise, fall;
	const char *disable, *command;
	bool has_next_hop;
	struct hc_net next_hop;
	struct hc_netlist ips;
	long local_preference;
	bool deaggregate_networks, ip_setup, ip_dynamic;
	const char *label;
	long start_ip;
	long up_metric, down_metric, disabled_metric, increase;
	const char *community, *extended_community, *large_community, *disabled_community;
	const char *as_path, *up_as_path, *down_as_path, *disabled_as_path;
	bool withdraw_on_down;
	bool has_path_id;
	long path_id;
	struct hc_netlist neighbors;
	struct hc_strlist execute, up_execute, down_execute, disabled_execute;
	/* which mutually exclusive logging option was given (0: none) */
	int log_choice;
	/* storage owned by the options (the --config file's words) */
	char **owned;
	size_t nowned;
};

/* hc_options.c */
void hc_opts_defaults(struct hc_opts *o);
/* Parses argv (the arguments after "healthcheck"), reading --config FILE
 * first as ExaBGP does: the file's lines come before the command line.
 * Returns 0, or -1 with a message in err. */
int hc_opts_parse(struct hc_opts *o, int argc, char **argv, char *err, size_t errlen);
void hc_opts_free(struct hc_opts *o);
void hc_opts_help(FILE *f);

/* hc_ip.c */
/* ip_address(): one address, printed back with hc_net_format_addr. */
int hc_parse_address(const char *s, struct hc_net *out);
/* ip_network() in strict mode: "A" or "A/LEN", no host bits set. */
int hc_parse_network(const char *s, struct hc_net *out, char *err, size_t errlen);
/* The address as Python's ipaddress prints it (IPv6 compressed). */
void hc_format_addr(const struct hc_net *n, char *buf, size_t len);
/* "ADDR/LEN" */
void hc_format_net(const struct hc_net *n, char *buf, size_t len);
bool hc_net_equal(const struct hc_net *a, const struct hc_net *b);
bool hc_net_is_loopback(const struct hc_net *n);
/* Every address of every network, each as a host network (/32, /128), as
 * Python's "for ip in net".  Refuses more than HC_MAX_HOSTS in total. */
#define HC_MAX_HOSTS 65536
int hc_expand_hosts(const struct hc_netlist *in, struct hc_netlist *out, char *err, size_t errlen);
/* collections.deque.rotate(-n) */
void hc_rotate(struct hc_netlist *l, long n);
int hc_netlist_add(struct hc_netlist *l, const struct hc_net *n);
void hc_netlist_free(struct hc_netlist *l);

/* hc_state.c */
enum hc_state {
	HC_INIT,
	HC_DISABLED,
	HC_RISING,
	HC_FALLING,
	HC_UP,
	HC_DOWN,
	HC_EXIT,
	HC_END,
	HC_NONE /* nothing announced yet */
};
const char *hc_state_name(enum hc_state s);
/* One check result into the state machine (ExaBGP's loop.one()).  Returns
 * the new state; *transition tells whether a transition happened (hooks run
 * on each), *checks counts consecutive results in RISING/FALLING. */
enum hc_state hc_fsm_step(enum hc_state state, int *checks, bool disabled, bool successful, long rise, long fall,
			  bool *transition);
/* The commands for a state, one line each (without '\n'), to emit(). */
typedef int (*hc_emit_fn)(void *ctx, const char *line);
int hc_announce(const struct hc_opts *o, const struct hc_netlist *ips, enum hc_state target, hc_emit_fn emit,
		void *ctx);

/* hc_loopback.c */
/* The addresses on the loopback interface that ExaBGP's loopback_ips()
 * selects: not loopback themselves, no host bits set, and with a label
 * starting with "lo:LABEL" when label is given; with label_only and no
 * label, none. */
int hc_loopback_list(const char *label, bool label_only, struct hc_netlist *out, char *err, size_t errlen);
/* Adds (or deletes) each host address on lo, labelled lo:LABEL when label
 * is given; through "sudo ip address ..." with sudo.  An address already
 * there (or already gone) is not an error. Returns the number of failures. */
int hc_loopback_setup(const struct hc_netlist *hosts, const char *label, bool sudo);
int hc_loopback_remove(const struct hc_netlist *hosts, const char *label, bool sudo);

/* hc_privileges.c */
/* --user/--group, after the loopback set-up.  With keep_net_admin (Linux),
 * CAP_NET_ADMIN alone stays, for --dynamic-ip-setup and the removal on exit. */
int hc_drop_privileges(const struct hc_opts *o, bool keep_net_admin);

/* hc_run.c */
enum hc_level { HC_DEBUG, HC_INFO, HC_WARNING, HC_ERROR };
void hc_log(enum hc_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
