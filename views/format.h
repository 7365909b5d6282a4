/*
 * Text forms of the figures the views show, so every view writes a
 * latency, a rate or a time the same way. Each function writes into a
 * caller's buffer and returns it; an absent figure (negative) is written
 * as the "none" glyph.
 */
#ifndef CALTUNE_VIEWS_FORMAT_H
#define CALTUNE_VIEWS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/history.h"
#include "views/colors.h"

/* "850ns", "4.1µs", "12.0ms", "2.50s": three significant figures or so. */
char *format_latency_us(double us, char *buf, size_t size);

/* "93.2%" from a rate in [0, 1]. */
char *format_percent(double rate, char *buf, size_t size);

/* "0:07", "12:03", "1:02:03" from seconds. */
char *format_duration_s(double seconds, char *buf, size_t size);

/* "2026-12-04 20:09" in local time from Unix milliseconds. */
char *format_time_ms(int64_t unix_ms, char *buf, size_t size);

/* A run's state for display: history_state_name, except that a run
 * stopped on request reads "stopped" instead of "complete". */
const char *format_run_state(const struct run_record *run);

/* A count in at most five columns: "1077", "300k" (thousands, rounded
 * down), "12.3M". */
char *format_count(int64_t n, char *buf, size_t size);

/* "300000/300000" when it fits in width columns, else "300k/300k": a
 * number is shortened whole, never cut. */
char *format_count_pair(int64_t done, int64_t total, int width, char *buf, size_t size);

/* The last part of a path. */
const char *format_basename(const char *path);

/* A verdict beside a target: "ok" in the OK role when met, "miss" in the
 * BAD role when not, "" when there is no figure yet. Returns the role. */
enum colors_role format_verdict(bool have_figure, bool met, const char **word);

#endif
