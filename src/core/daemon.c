/* PID file, detaching and privileges (see daemon.h). */
#include "core/daemon.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define seterr err_set

int daemon_pid_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	if (kill(pid, 0) == 0)
		return 1;
	return errno == EPERM;
}

pid_t daemon_pidfile_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	char *p = buf;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return 0;
	long v = 0;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || v <= 0)
		return -1;
	return (pid_t)v;
}

static char *absolute(const char *path)
{
	if (path[0] == '/')
		return strdup(path);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return strdup(path);
	size_t n = strlen(cwd) + strlen(path) + 2;
	char *r = malloc(n);
	if (r)
		snprintf(r, n, "%s/%s", cwd, path);
	return r;
}

int daemon_pidfile_create(struct pidfile *pf, const char *path, char *err, size_t errlen)
{
	memset(pf, 0, sizeof(*pf));
	if (!path || !*path)
		return 0;
	char *abs = absolute(path);
	if (!abs) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	pid_t me = getpid();
	size_t tl = strlen(abs) + 32;
	char *tmp = malloc(tl);
	if (!tmp) {
		free(abs);
		seterr(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, tl, "%s.tmp.%ld", abs, (long)me);

	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) { /* left over by a crashed process with our PID */
		unlink(tmp);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		seterr(err, errlen, "can not create PID file %s: %s", abs, strerror(errno));
		goto fail;
	}
	char line[32];
	int len = snprintf(line, sizeof(line), "%ld\n", (long)me);
	ssize_t w = write(fd, line, (size_t)len);
	int werr = errno;
	if (close(fd) != 0 && w == len) {
		w = -1;
		werr = errno;
	}
	if (w != len) {
		seterr(err, errlen, "can not write PID file %s: %s", abs, w < 0 ? strerror(werr) : "short write");
		unlink(tmp);
		goto fail;
	}

	/* link() fails if the file exists: an atomic "create with content". */
	if (link(tmp, abs) != 0) {
		pid_t other = daemon_pidfile_read(abs);
		if (other < 0) {
			seterr(err, errlen, "PID file %s exists but can not be read or does not hold a PID; remove it",
			       abs);
			unlink(tmp);
			goto fail;
		}
		if (other > 0 && other != me && daemon_pid_alive(other)) {
			seterr(err, errlen, "PID file %s already exists and process %ld is still running", abs,
			       (long)other);
			unlink(tmp);
			goto fail;
		}
		/* stale (or no hard links on this file system): replace it */
		if (rename(tmp, abs) != 0) {
			seterr(err, errlen, "can not create PID file %s: %s", abs, strerror(errno));
			unlink(tmp);
			goto fail;
		}
	} else {
		unlink(tmp);
	}
	free(tmp);
	pf->path = abs;
	pf->pid = me;
	return 0;
fail:
	free(tmp);
	free(abs);
	return -1;
}

void daemon_pidfile_remove(struct pidfile *pf)
{
	if (!pf->path)
		return;
	/* only our own: another instance may have replaced a file it found stale */
	if (daemon_pidfile_read(pf->path) == pf->pid)
		unlink(pf->path);
	free(pf->path);
	pf->path = NULL;
	pf->pid = 0;
}

enum daemon_detach_result daemon_detach(bool daemonize, bool log_enabled, const char *log_destination,
					char *err, size_t errlen)
{
	if (!daemonize)
		return DAEMON_NOT_REQUESTED;
	const char *d = log_destination ? log_destination : "stdout";
	if (log_enabled && (!strcasecmp(d, "stdout") || !strcasecmp(d, "stderr")))
		return DAEMON_LOGS_TO_STDIO;
	struct stat st;
	if ((fstat(STDIN_FILENO, &st) == 0 && S_ISSOCK(st.st_mode)) || getppid() == 1)
		return DAEMON_SUPERVISED;

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		seterr(err, errlen, "can not fork: %s", strerror(errno));
		return DAEMON_ERROR;
	}
	if (pid > 0)
		_exit(0);
	if (setsid() < 0) {
		seterr(err, errlen, "setsid: %s", strerror(errno));
		return DAEMON_ERROR;
	}
	pid = fork();
	if (pid < 0) {
		seterr(err, errlen, "can not fork: %s", strerror(errno));
		return DAEMON_ERROR;
	}
	if (pid > 0)
		_exit(0);
	/* No chdir("/"), as ExaBGP: relative paths given on the command line
	 * and in the settings (configuration, reloads, log file, PID file,
	 * helpers) keep meaning what they meant before the fork. */
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return DAEMON_DETACHED;
}

int daemon_check_user(const char *user, char *err, size_t errlen)
{
	if (getuid() != 0 && geteuid() != 0)
		return 0;
	errno = 0;
	if (!user || !*user || !getpwnam(user)) {
		int e = errno;
		seterr(err, errlen, "exabgp.daemon.user '%s': %s", user ? user : "",
		       e && e != ENOENT && e != ESRCH && e != EBADF && e != EPERM ? strerror(e) : "no such user");
		return -1;
	}
	return 0;
}

int daemon_drop_privileges(const char *user, char *err, size_t errlen)
{
	if (getuid() != 0 && geteuid() != 0)
		return 0;
	if (!user || !*user) {
		seterr(err, errlen, "no user to run as (exabgp.daemon.user is empty)");
		return -1;
	}
	errno = 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		seterr(err, errlen, "user '%s' %s", user, errno ? strerror(errno) : "does not exist");
		return -1;
	}
	uid_t nuid = pw->pw_uid;
	gid_t ngid = pw->pw_gid;
	if (nuid == 0)
		return 0; /* asked to stay root */
	/* the group first: once the uid is gone we may not change it */
	if (initgroups(user, ngid) != 0) {
		seterr(err, errlen, "initgroups(%s): %s", user, strerror(errno));
		return -1;
	}
	if (setgid(ngid) != 0) {
		seterr(err, errlen, "setgid(%ld): %s", (long)ngid, strerror(errno));
		return -1;
	}
	if (setuid(nuid) != 0) {
		seterr(err, errlen, "setuid(%ld): %s", (long)nuid, strerror(errno));
		return -1;
	}
	if (getuid() != nuid || geteuid() != nuid || getgid() != ngid || getegid() != ngid) {
		seterr(err, errlen, "still running as uid %ld gid %ld after switching to %s", (long)geteuid(),
		       (long)getegid(), user);
		return -1;
	}
	if (setuid(0) == 0) {
		seterr(err, errlen, "could regain root after switching to %s", user);
		return -1;
	}
	return 1;
}

unsigned daemon_set_umask(unsigned mask)
{
	return (unsigned)umask((mode_t)(mask & 0777));
}

int daemon_notify(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
	/* 0 when NOTIFY_SOCKET is unset: not started by systemd, nothing to do */
	return sd_notify(0, state);
#else
	(void)state;
	return 0;
#endif
}
