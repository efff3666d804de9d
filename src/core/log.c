/* Logging (see log.h).  Lines go to one destination; the topic and level
 * filters are applied before any formatting work is done.
 *
 * Line formats follow ExaBGP 4.2 (logger.py), so that existing log parsers
 * keep working:
 *   stdout/stderr, not a terminal: "HH:MM:SS | PID    | topic           | message"
 *   stdout/stderr, a terminal:     "HH:MM:SS | PID    | topic         | message", coloured by level
 *   file:   "Mon, 02 Jan 2006 15:04:05 PID    topic         message", rotated at 5 MiB, 5 kept
 *   syslog: "topic         message" (ident fastbgp, with the PID)
 *   host:IP: the same as syslog, sent over UDP to IP port 514 (RFC 3164)
 *   log.short: the message alone.
 * A message holding several lines is logged as several lines. */
#include "core/log.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define ROTATE_BYTES (5L * 1024 * 1024) /* as ExaBGP's RotatingFileHandler */
#define ROTATE_KEEP 5

enum dest { DEST_STDIO, DEST_FILE, DEST_SYSLOG, DEST_REMOTE };

static struct {
	int enabled;
	int level;
	unsigned topics;
	int short_format;
	enum dest dest;
	FILE *out;
	int tty;
	char *path; /* DEST_FILE: absolute, for rotation */
	long size;  /* DEST_FILE: bytes in the current file */
	int sock;   /* DEST_REMOTE */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char error[300];
	int write_failed; /* DEST_FILE: the last write failed (disk full): said once on stderr */
} g_log = {1, LOG_LVL_INFO, ~0u, 0, DEST_STDIO, NULL, 0, NULL, 0, -1, {0}, 0, "", 0};

static const char *const level_names[] = {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"};
static const char *const topic_names[LOG_TOPIC_COUNT] = {
	"configuration", "reactor", "daemon", "processes", "network", "packets",
	"rib", "message", "timers", "routes", "parser",
};

const char *log_level_name(int level)
{
	return level >= 0 && level <= LOG_LVL_DEBUG ? level_names[level] : "?";
}

const char *log_topic_name(int topic)
{
	return topic >= 0 && topic < LOG_TOPIC_COUNT ? topic_names[topic] : "?";
}

const char *log_setup_error(void)
{
	return g_log.error[0] ? g_log.error : NULL;
}

static int open_remote(const char *host)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	int rc = getaddrinfo(host, "514", &hints, &res);
	if (rc != 0 || !res) {
		snprintf(g_log.error, sizeof(g_log.error), "cannot resolve syslog host %s: %s", host,
			 gai_strerror(rc));
		return -1;
	}
	g_log.sock = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (g_log.sock < 0) {
		snprintf(g_log.error, sizeof(g_log.error), "cannot open a socket for syslog host %s: %s", host,
			 strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	memcpy(&g_log.addr, res->ai_addr, res->ai_addrlen);
	g_log.addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int open_file(const char *d)
{
	char cwd[PATH_MAX];
	if (d[0] == '/' || !getcwd(cwd, sizeof(cwd))) {
		g_log.path = strdup(d);
	} else {
		size_t n = strlen(cwd) + strlen(d) + 2;
		g_log.path = malloc(n);
		if (g_log.path)
			snprintf(g_log.path, n, "%s/%s", cwd, d);
	}
	if (!g_log.path)
		return -1;
	g_log.out = fopen(g_log.path, "a");
	if (!g_log.out) {
		snprintf(g_log.error, sizeof(g_log.error), "cannot open log file %s: %s", g_log.path, strerror(errno));
		free(g_log.path);
		g_log.path = NULL;
		return -1;
	}
	setvbuf(g_log.out, NULL, _IOLBF, 0);
	struct stat st;
	g_log.size = fstat(fileno(g_log.out), &st) == 0 ? (long)st.st_size : 0;
	return 0;
}

void log_setup(const struct log_config *cfg)
{
	log_close();
	g_log.error[0] = '\0';
	g_log.enabled = cfg->enabled;
	g_log.level = cfg->level;
	g_log.topics = cfg->topics;
	g_log.short_format = cfg->short_format;
	g_log.dest = DEST_STDIO;
	g_log.out = stdout;
	const char *d = cfg->destination ? cfg->destination : "stdout";
	if (!strcmp(d, "stdout")) {
		g_log.out = stdout;
	} else if (!strcmp(d, "stderr")) {
		g_log.out = stderr;
	} else if (!strcmp(d, "syslog") || !*d) { /* ExaBGP: no destination = syslog */
		openlog("fastbgp", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		g_log.dest = DEST_SYSLOG;
	} else if (!strncmp(d, "host:", 5)) {
		const char *h = d + 5;
		while (*h == ' ')
			h++;
		if (open_remote(h) == 0)
			g_log.dest = DEST_REMOTE;
		else
			g_log.out = stderr;
	} else if (open_file(d) == 0) {
		g_log.dest = DEST_FILE;
	} else {
		g_log.out = stderr;
		if (!g_log.error[0])
			snprintf(g_log.error, sizeof(g_log.error), "cannot open log file %s", d);
	}
	if (g_log.error[0])
		fprintf(stderr, "fastbgp: %s, logging to stderr\n", g_log.error);
	g_log.tty = g_log.dest == DEST_STDIO && isatty(fileno(g_log.out));
}

void log_close(void)
{
	if (g_log.dest == DEST_FILE && g_log.out)
		fclose(g_log.out);
	if (g_log.dest == DEST_SYSLOG)
		closelog();
	if (g_log.sock >= 0)
		close(g_log.sock);
	free(g_log.path);
	g_log.path = NULL;
	g_log.sock = -1;
	g_log.out = NULL;
	g_log.dest = DEST_STDIO;
	g_log.size = 0;
}

int log_enabled(int level, int topic)
{
	if (!g_log.enabled || level > g_log.level)
		return 0;
	/* Errors and criticals are always shown, whatever the topic switches say. */
	if (level <= LOG_LVL_ERROR)
		return 1;
	return topic >= 0 && topic < LOG_TOPIC_COUNT && (g_log.topics & (1u << topic));
}

/* file -> file.1 -> ... -> file.5 (dropped), then a new file. */
static void rotate(void)
{
	size_t n = strlen(g_log.path) + 16;
	char *from = malloc(n), *to = malloc(n);
	if (!from || !to) {
		free(from);
		free(to);
		return;
	}
	for (int i = ROTATE_KEEP - 1; i >= 1; i--) {
		snprintf(from, n, "%s.%d", g_log.path, i);
		snprintf(to, n, "%s.%d", g_log.path, i + 1);
		rename(from, to);
	}
	snprintf(to, n, "%s.1", g_log.path);
	FILE *f = NULL;
	if (rename(g_log.path, to) == 0)
		f = fopen(g_log.path, "a");
	if (f) {
		fclose(g_log.out);
		g_log.out = f;
		setvbuf(f, NULL, _IOLBF, 0);
		g_log.size = 0;
	} else {
		g_log.size = 0; /* cannot rotate (privileges dropped?): keep writing, retry in 5 MiB */
	}
	free(from);
	free(to);
}

static void emit_line(int level, const char *topic, const char *line, int len)
{
	static const int prio[] = {LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
	int pid = (int)getpid();

	if (g_log.dest == DEST_SYSLOG) {
		if (g_log.short_format)
			syslog(prio[level], "%.*s", len, line);
		else
			syslog(prio[level], "%-13s %.*s", topic, len, line);
		return;
	}

	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	localtime_r(&tv.tv_sec, &tm);
	char ts[64];

	if (g_log.dest == DEST_REMOTE) {
		char pkt[2048];
		static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
						  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
		int n = snprintf(pkt, sizeof(pkt), "<%d>%s %2d %02d:%02d:%02d fastbgp[%d]: ", LOG_DAEMON | prio[level],
				 mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, pid);
		if (!g_log.short_format)
			n += snprintf(pkt + n, sizeof(pkt) - (size_t)n, "%-13s ", topic);
		n += snprintf(pkt + n, sizeof(pkt) - (size_t)n, "%.*s", len, line);
		if (n > (int)sizeof(pkt) - 1)
			n = (int)sizeof(pkt) - 1;
		sendto(g_log.sock, pkt, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&g_log.addr, g_log.addrlen);
		return;
	}

	FILE *o = g_log.out ? g_log.out : stdout;
	int w;
	if (g_log.short_format) {
		w = fprintf(o, "%.*s\n", len, line);
	} else if (g_log.dest == DEST_FILE) {
		strftime(ts, sizeof(ts), "%a, %d %b %Y %H:%M:%S", &tm);
		w = fprintf(o, "%s %-6d %-13s %.*s\n", ts, pid, topic, len, line);
	} else if (g_log.tty) {
		/* colour by level: critical, error, warning, info, debug */
		static const char *const colour[] = {"\033[00;31m", "\033[01;31m", "\033[01;33m", "\033[01;32m", ""};
		const char *bold = level == LOG_LVL_DEBUG ? "" : "\033[1m";
		const char *end = "\033[0m";
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		w = fprintf(o, "%s | %-6d | %s%-13s%s | %s%.*s%s\n", ts, pid, colour[level], topic, end, bold, len,
			    line, end);
	} else {
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		w = fprintf(o, "%s | %-6d | %-15s | %.*s\n", ts, pid, topic, len, line);
	}
	if (g_log.dest == DEST_FILE && (w < 0 || ferror(o))) {
		/* A full disk must not go unnoticed nor stop BGP: one line on
		 * stderr per failing stretch, and the daemon goes on. */
		int e = errno;
		if (!g_log.write_failed)
			fprintf(stderr, "fastbgp: cannot write the log file %s: %s; log lines are lost until it can be "
					"written again\n", g_log.path ? g_log.path : "?", strerror(e));
		g_log.write_failed = 1;
		clearerr(o);
		return;
	}
	if (g_log.dest == DEST_FILE && g_log.write_failed) {
		g_log.write_failed = 0;
		fprintf(stderr, "fastbgp: the log file %s can be written again\n", g_log.path ? g_log.path : "?");
	}
	if (g_log.dest == DEST_FILE && w > 0) {
		g_log.size += w;
		if (g_log.size >= ROTATE_BYTES)
			rotate();
	}
}

void log_vmsg(int level, int topic, const char *fmt, va_list ap)
{
	if (!log_enabled(level, topic))
		return;
	if (level < LOG_LVL_CRITICAL)
		level = LOG_LVL_CRITICAL;
	if (level > LOG_LVL_DEBUG)
		level = LOG_LVL_DEBUG;
	char small[1024];
	char *msg = small;
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small)) {
		msg = malloc((size_t)n + 1);
		if (msg)
			vsnprintf(msg, (size_t)n + 1, fmt, copy);
		else {
			msg = small; /* truncated rather than lost */
			n = (int)sizeof(small) - 1;
		}
	}
	va_end(copy);
	if (n < 0)
		return;

	const char *name = log_topic_name(topic);
	const char *p = msg, *end = msg + n;
	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		emit_line(level, name, p, (int)(stop - p));
		p = nl ? nl + 1 : end;
	} while (p < end); /* so no empty line after a final '\n' */
	if (g_log.dest == DEST_STDIO)
		fflush(g_log.out ? g_log.out : stdout);
	if (msg != small)
		free(msg);
}

void log_msg(int level, int topic, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, topic, fmt, ap);
	va_end(ap);
}
