/* Logging (see log.h).  Lines go to one destination; the topic and level
 * filters are applied before any formatting work is done. */
#include "core/log.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static struct {
	int enabled;
	int level;
	unsigned topics;
	int short_format;
	FILE *out;
	int syslog;
	int owned; /* out was opened by us */
} g_log = {1, LOG_LVL_INFO, ~0u, 0, NULL, 0, 0};

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

void log_setup(const struct log_config *cfg)
{
	log_close();
	g_log.enabled = cfg->enabled;
	g_log.level = cfg->level;
	g_log.topics = cfg->topics;
	g_log.short_format = cfg->short_format;
	const char *d = cfg->destination ? cfg->destination : "stdout";
	if (!strcmp(d, "stdout") || !*d) {
		g_log.out = stdout;
	} else if (!strcmp(d, "stderr")) {
		g_log.out = stderr;
	} else if (!strcmp(d, "syslog") || !strncmp(d, "host:", 5)) {
		/* Remote syslog (host:IP) goes through the local syslog daemon. */
		openlog("fastbgp", LOG_PID, LOG_DAEMON);
		g_log.syslog = 1;
	} else {
		g_log.out = fopen(d, "a");
		if (g_log.out) {
			g_log.owned = 1;
			setvbuf(g_log.out, NULL, _IOLBF, 0);
		} else {
			g_log.out = stderr;
			fprintf(stderr, "fastbgp: cannot open log file %s, logging to stderr\n", d);
		}
	}
}

void log_close(void)
{
	if (g_log.owned && g_log.out)
		fclose(g_log.out);
	if (g_log.syslog)
		closelog();
	g_log.out = NULL;
	g_log.owned = 0;
	g_log.syslog = 0;
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

void log_vmsg(int level, int topic, const char *fmt, va_list ap)
{
	if (!log_enabled(level, topic))
		return;
	if (g_log.syslog) {
		static const int prio[] = {LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
		vsyslog(prio[level], fmt, ap);
		return;
	}
	FILE *o = g_log.out ? g_log.out : stdout;
	if (!g_log.short_format) {
		struct timeval tv;
		gettimeofday(&tv, NULL);
		struct tm tm;
		localtime_r(&tv.tv_sec, &tm);
		char ts[32];
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		fprintf(o, "%s | %-8d | %-13s | %-8s | ", ts, (int)getpid(), log_topic_name(topic),
			log_level_name(level));
	} else {
		fprintf(o, "%-13s | ", log_topic_name(topic));
	}
	vfprintf(o, fmt, ap);
	fputc('\n', o);
	fflush(o);
}

void log_msg(int level, int topic, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, topic, fmt, ap);
	va_end(ap);
}
