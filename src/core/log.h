/* Logging by level and topic, as ExaBGP's log.* settings describe. */
#ifndef FASTBGP_CORE_LOG_H
#define FASTBGP_CORE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LVL_CRITICAL = 0,
	LOG_LVL_ERROR = 1,
	LOG_LVL_WARNING = 2,
	LOG_LVL_INFO = 3,
	LOG_LVL_DEBUG = 4,
};

/* One per ExaBGP log topic (log.<topic> settings). */
enum log_topic {
	LOG_CONFIGURATION,
	LOG_REACTOR,
	LOG_DAEMON,
	LOG_PROCESSES,
	LOG_NETWORK,
	LOG_PACKETS,
	LOG_RIB,
	LOG_MESSAGE,
	LOG_TIMERS,
	LOG_ROUTES,
	LOG_PARSER,
	LOG_TOPIC_COUNT
};

struct log_config {
	int enabled;
	int level;             /* enum log_level: messages above it are dropped */
	unsigned topics;       /* bit per enum log_topic */
	int short_format;      /* log.short: no timestamp/pid prefix */
	const char *destination; /* "stdout", "stderr", "syslog", "host:IP" or a file path */
};

void log_setup(const struct log_config *cfg);
void log_close(void);
int log_enabled(int level, int topic);
void log_msg(int level, int topic, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void log_vmsg(int level, int topic, const char *fmt, va_list ap);
const char *log_level_name(int level);
const char *log_topic_name(int topic);
/* NULL when the last log_setup() reached its destination; else why not (the
 * lines then go to stderr).  ExaBGP refuses to start in that case. */
const char *log_setup_error(void);

#define log_critical(topic, ...) log_msg(LOG_LVL_CRITICAL, topic, __VA_ARGS__)
#define log_error(topic, ...) log_msg(LOG_LVL_ERROR, topic, __VA_ARGS__)
#define log_warning(topic, ...) log_msg(LOG_LVL_WARNING, topic, __VA_ARGS__)
#define log_info(topic, ...) log_msg(LOG_LVL_INFO, topic, __VA_ARGS__)
#define log_debug(topic, ...)                                  \
	do {                                                   \
		if (log_enabled(LOG_LVL_DEBUG, topic))         \
			log_msg(LOG_LVL_DEBUG, topic, __VA_ARGS__); \
	} while (0)

#endif
