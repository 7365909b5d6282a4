/*
 * The log file. Logging is off until log_open succeeds; every call before
 * that, or at a level below the threshold, costs one comparison and does
 * not evaluate its arguments (LOG_AT checks the level first). The UI owns
 * the terminal, so the log never goes to stdout or stderr.
 *
 * Default file: $XDG_STATE_HOME/caltune/caltune.log, else
 * ~/.local/state/caltune/caltune.log. Safe to call from any thread.
 */
#ifndef CALTUNE_LOG_H
#define CALTUNE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

extern enum log_level log_threshold;

/* Opens (appending) the file at path, creating its folder; NULL means the
 * default path. Returns 0, or -1 with a message in err. */
int log_open(const char *path, enum log_level level, char *err, size_t err_size);
void log_close(void);

/* Writes the default path into out. Returns 0, or -1 when no home folder
 * is known. */
int log_default_path(char *out, size_t size);

void log_write(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define LOG_AT(level, ...) \
	do { if ((level) >= log_threshold) log_write((level), __VA_ARGS__); } while (0)

#endif
