/*
 * Figure formatting.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "views/draw.h"
#include "views/format.h"

char *format_latency_us(double us, char *buf, size_t size)
{
	if (!(us >= 0))
		snprintf(buf, size, "%s", draw_glyph(DRAW_GLYPH_NONE));
	else if (us < 1.0)
		snprintf(buf, size, "%.0fns", us * 1000.0);
	else if (us < 100.0)
		snprintf(buf, size, "%.1f%ss", us, draw_glyph(DRAW_GLYPH_MICRO));
	else if (us < 1000.0)
		snprintf(buf, size, "%.0f%ss", us, draw_glyph(DRAW_GLYPH_MICRO));
	else if (us < 1000000.0)
		snprintf(buf, size, "%.1fms", us / 1000.0);
	else
		snprintf(buf, size, "%.2fs", us / 1000000.0);
	return buf;
}

char *format_percent(double rate, char *buf, size_t size)
{
	if (!(rate >= 0))
		snprintf(buf, size, "%s", draw_glyph(DRAW_GLYPH_NONE));
	else
		snprintf(buf, size, "%.1f%%", rate * 100.0);
	return buf;
}

char *format_duration_s(double seconds, char *buf, size_t size)
{
	long total;

	if (!(seconds >= 0) || seconds > 359999999.0) {
		snprintf(buf, size, "%s", draw_glyph(DRAW_GLYPH_NONE));
		return buf;
	}
	total = (long)(seconds + 0.5);
	if (total >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
	else
		snprintf(buf, size, "%ld:%02ld", total / 60, total % 60);
	return buf;
}

char *format_time_ms(int64_t unix_ms, char *buf, size_t size)
{
	time_t t = (time_t)(unix_ms / 1000);
	struct tm local;

	if (unix_ms <= 0 || !localtime_r(&t, &local) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M", &local) == 0)
		snprintf(buf, size, "%s", draw_glyph(DRAW_GLYPH_NONE));
	return buf;
}

const char *format_run_state(const struct run_record *run)
{
	if (run->state == RUN_COMPLETE && run->cancelled)
		return "stopped";
	return history_state_name(run->state);
}

const char *format_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

enum colors_role format_verdict(bool have_figure, bool met, const char **word)
{
	if (!have_figure) {
		*word = "";
		return COLORS_DIM;
	}
	*word = met ? "ok" : "miss";
	return met ? COLORS_OK : COLORS_BAD;
}

char *format_count(int64_t n, char *buf, size_t size)
{
	if (n < 100000)
		snprintf(buf, size, "%lld", (long long)n);
	else if (n < 10000000)
		snprintf(buf, size, "%lldk", (long long)(n / 1000));
	else
		snprintf(buf, size, "%.1fM", (double)n / 1e6);
	return buf;
}

char *format_count_pair(int64_t done, int64_t total, int width, char *buf, size_t size)
{
	char a[24], b[24];

	snprintf(buf, size, "%lld/%lld", (long long)done, (long long)total);
	if (draw_width(buf) <= width)
		return buf;
	snprintf(buf, size, "%s/%s", format_count(done, a, sizeof a),
		 format_count(total, b, sizeof b));
	return buf;
}
