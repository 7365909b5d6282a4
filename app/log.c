/*
 * The log file: one line per message, "2026-12-04T10:00:00.123Z LEVEL
 * message", written under a mutex and flushed at once so a crash loses
 * nothing already logged.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/log.h"

enum log_level log_threshold = LOG_OFF;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;

static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR", "OFF" };

int log_default_path(char *out, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (state && state[0] == '/')   /* the XDG spec ignores relative values */
		n = snprintf(out, size, "%s/caltune/caltune.log", state);
	else if (home && home[0])
		n = snprintf(out, size, "%s/.local/state/caltune/caltune.log", home);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Creates every missing folder above path. */
static int make_parent_folders(const char *path, char *err, size_t err_size)
{
	char buf[4096];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		snprintf(err, err_size, "log file path is longer than %zu bytes", sizeof buf - 1);
		return -1;
	}
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			snprintf(err, err_size, "cannot create folder %s for the log file: %s: pass "
				 "--log with a writable path", buf, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int log_open(const char *path, enum log_level level, char *err, size_t err_size)
{
	char fallback[4096];
	FILE *f;

	if (!path) {
		if (log_default_path(fallback, sizeof fallback) < 0) {
			snprintf(err, err_size, "no log file path: set HOME or XDG_STATE_HOME, or pass "
				 "--log FILE");
			return -1;
		}
		path = fallback;
	}
	if (make_parent_folders(path, err, err_size) < 0)
		return -1;
	f = fopen(path, "a");
	if (!f) {
		snprintf(err, err_size, "cannot open log file %s: %s: pass --log with a writable path",
			 path, strerror(errno));
		return -1;
	}

	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = f;
	log_threshold = level;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	log_threshold = LOG_OFF;
	pthread_mutex_unlock(&log_lock);
}

void log_write(enum log_level level, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	va_list ap;

	if (level < log_threshold || level >= LOG_OFF)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);

	pthread_mutex_lock(&log_lock);
	if (log_file) {
		fprintf(log_file, "%s.%03ldZ %-5s ", stamp, ts.tv_nsec / 1000000, level_names[level]);
		va_start(ap, fmt);
		vfprintf(log_file, fmt, ap);
		va_end(ap);
		fputc('\n', log_file);
		fflush(log_file);
	}
	pthread_mutex_unlock(&log_lock);
}
