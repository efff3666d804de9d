/* Process plumbing: PID file, detaching, privileges, umask (exabgp.daemon.*).
 *
 * ExaBGP 4.2's order, which main.c should keep:
 *   umask -> daemonize -> (listen, load the configuration) ->
 *   start helpers before the drop if daemon.drop=false ->
 *   drop privileges (always, when root) ->
 *   start helpers after the drop if daemon.drop=true ->
 *   write the PID file.
 * fastbgp (main.c) keeps that order, except that the PID file is written
 * right after the fork, before the privileges are dropped, so that it can
 * live in a root-owned folder such as /run.
 * Detaching forks, so it must happen before the libuv loop is created. */
#ifndef FASTBGP_CORE_DAEMON_H
#define FASTBGP_CORE_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pidfile {
	char *path;  /* absolute; NULL when there is no PID file */
	pid_t pid;   /* what we wrote */
};

/* Write our PID to path ("" or NULL: do nothing, return 0).  A relative path
 * is taken from the current directory.  The file is written to a temporary
 * name and linked/renamed into place, so readers never see a partial file.
 * Refuses (-1, message in err) when the file names a live process other
 * than us (ExaBGP: "PIDfile already exists and program still running"), or
 * holds something that is not a PID.  A stale file (dead PID, empty) is
 * replaced. */
int daemon_pidfile_create(struct pidfile *pf, const char *path, char *err, size_t errlen);
/* Remove the file if it still holds our PID; forget it.  Safe to call twice
 * and on a pidfile that was never created (zeroed). */
void daemon_pidfile_remove(struct pidfile *pf);
/* The PID in a PID file: >0, 0 if the file is missing or empty, -1 when it
 * cannot be read or does not hold a number. */
pid_t daemon_pidfile_read(const char *path);
/* 1 if a process with this PID exists (EPERM counts: it exists). */
int daemon_pid_alive(pid_t pid);

enum daemon_detach_result {
	DAEMON_DETACHED = 0,       /* we are the grandchild, stdio on /dev/null */
	DAEMON_NOT_REQUESTED,      /* daemonize=false */
	DAEMON_LOGS_TO_STDIO,      /* ExaBGP refuses to fork when logging to stdout/stderr:
				    * log CRITICAL "can not fork when logs are going to stdout"
				    * and carry on in the foreground */
	DAEMON_SUPERVISED,         /* stdin is a socket or our parent is init:
				    * already supervised, stay in the foreground */
	DAEMON_ERROR = -1,         /* fork or setsid failed: message in err */
};

/* Double fork + setsid + stdio to /dev/null, as ExaBGP's daemonise(); the
 * intermediate processes _exit(0).  log_enabled/log_destination are
 * log.enable / log.destination.  The working directory is kept, as in
 * ExaBGP, so relative paths still work. */
enum daemon_detach_result daemon_detach(bool daemonize, bool log_enabled, const char *log_destination,
					char *err, size_t errlen);

/* When running as root: 0 if user exists, else -1 with
 * "exabgp.daemon.user 'x': no such user" in err.  Not root: 0 (the user is
 * not used).  Called before anything is started, so a typo is refused at
 * once instead of after the listeners are up. */
int daemon_check_user(const char *user, char *err, size_t errlen);

/* When running as root (uid or gid 0), switch to user's uid/gid and its
 * groups.  Returns 1 when privileges were dropped, 0 when there was nothing
 * to do (not root), -1 when it failed (user unknown, setuid failure): the
 * caller must refuse to run as root, as ExaBGP does ("could not drop
 * privileges to 'USER' refusing to run as root"). */
int daemon_drop_privileges(const char *user, char *err, size_t errlen);

/* Tells systemd (Type=notify) about the service: "READY=1" once the
 * configuration is loaded and the listeners are bound, "RELOADING=1",
 * "STOPPING=1".  Harmless without systemd (NOTIFY_SOCKET unset) or when
 * built without libsystemd.  Returns sd_notify()'s result (>0 sent, 0 not
 * under systemd, <0 error). */
int daemon_notify(const char *state);

/* umask(mask); returns the previous one. */
unsigned daemon_set_umask(unsigned mask);

#endif
