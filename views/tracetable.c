/*
 * Trace table layout: fixed columns for the field, the final value and
 * the tier taken, then the width left shared by the three tiers. The LLM
 * row goes last and uses the whole width.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/llm_outcome.h"
#include "views/colors.h"
#include "views/format.h"
#include "views/tracetable.h"

#define FIELD_COLUMN 13
#define TAKEN_COLUMN 7
#define CONFIDENCE_COLUMN 5   /* " 0.90" */
#define COMPACT_TIER_WIDTH 24   /* below this, a value equal to the final one shows as "=" */

static bool row_fits(struct draw_rect area, int y)
{
	return y >= area.y && y < area.y + area.height;
}

/* One tier's answer for a field: its value (or the none glyph) and its
 * confidence, in the tier's colour when the cascade took it. In a narrow
 * cell a value equal to the final one shows as "=", leaving room for the
 * values that differ. */
static void draw_tier_cell(int y, int x, int width, const struct tier_trace *trace, enum field f,
			   bool taken, const char *final_value, bool pending)
{
	char value[EVENT_TITLE_MAX + 64];
	int value_width = width - CONFIDENCE_COLUMN - 1;
	enum colors_role role;

	if (pending) {
		draw_text(y, x, width - 1, COLORS_WARN, "waiting");
		return;
	}
	if (!trace->called) {
		draw_text(y, x, width - 1, COLORS_DIM, "not called");
		return;
	}
	if (trace->status != PARSE_OK) {
		draw_text(y, x, width - 1, COLORS_BAD, "failed");
		return;
	}
	if (event_format_field(&trace->answer, f, value, sizeof value) == 0)
		snprintf(value, sizeof value, "%s", draw_glyph(DRAW_GLYPH_NONE));
	if (width < COMPACT_TIER_WIDTH && strcmp(value, final_value) == 0)
		snprintf(value, sizeof value, "=");
	role = taken ? colors_tier_role(trace->answer.tier[f]) : COLORS_NORMAL;
	if (draw_width(value) > value_width && value_width > 1) {
		size_t cut = draw_fit(value, value_width - 1);

		snprintf(value + cut, sizeof value - cut, "%s", draw_glyph(DRAW_GLYPH_ELLIPSIS));
	}
	draw_text(y, x, value_width, role, value);
	draw_textf(y, x + value_width, CONFIDENCE_COLUMN, taken ? role : COLORS_DIM, " %.2f",
		   trace->answer.confidence[f]);
}

/* Appends to buf at *n, keeping the text terminated when it is full. */
static void append(char *buf, size_t size, size_t *n, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *n, const char *format, ...)
{
	va_list ap;
	int written;

	if (*n >= size)
		return;
	va_start(ap, format);
	written = vsnprintf(buf + *n, size - *n, format, ap);
	va_end(ap);
	if (written > 0)
		*n += (size_t)written;
}

enum colors_role tracetable_llm_summary(const struct tracer_result *trace, char *buf,
					size_t size)
{
	const struct parse_result *result = &trace->parse;
	const struct tier_trace *tt = &result->tiers[TIER_LLM];
	enum llm_outcome outcome = llm_outcome_of(tt);
	char latency[32];
	size_t n = 0;

	buf[0] = '\0';
	if (trace->llm_pending) {
		append(buf, size, &n, "llm: waiting for the answer of %s...", trace->llm_model);
		return COLORS_WARN;
	}
	if (outcome == LLM_OUTCOME_NOT_CALLED) {
		if (trace->llm_backend == LLM_OFF)
			append(buf, size, &n, "llm: off (llm.backend=off)");
		else if (result->cache_hit)
			append(buf, size, &n, "llm: not called (cache hit)");
		else
			append(buf, size, &n, "llm: not called, the lower tiers decided every field");
		return COLORS_DIM;
	}
	append(buf, size, &n, "llm %s: %s", llm_outcome_name(outcome),
	       format_latency_us((double)tt->elapsed_ns / 1000.0, latency, sizeof latency));
	if (!tt->replayed)
		append(buf, size, &n, ", %d attempt%s", tt->attempts, tt->attempts == 1 ? "" : "s");
	if (tt->prompt_tokens >= 0 || tt->completion_tokens >= 0)
		append(buf, size, &n, ", %d+%d tokens", tt->prompt_tokens, tt->completion_tokens);
	if (tt->truncated)
		append(buf, size, &n, ", text cut to %zu characters", trace->llm_sent_characters);
	if (tt->replayed)
		append(buf, size, &n, ", replayed");
	for (int f = 0, first = 1; f < FIELD_COUNT; f++) {
		if (!((result->llm_lost >> f) & 1u))
			continue;
		append(buf, size, &n, "%s%s", first ? ", lost " : " ", field_name((enum field)f));
		first = 0;
	}
	if (tt->error[0])
		append(buf, size, &n, ": %s", tt->error);
	return outcome == LLM_OUTCOME_OK || outcome == LLM_OUTCOME_REPLAYED ? COLORS_TIER_LLM :
	       COLORS_BAD;
}

int tracetable_draw(struct draw_rect area, int y, const struct tracer_result *trace)
{
	const struct parse_result *result = &trace->parse;
	int final_column = area.width >= 120 ? 32 : 22;
	int tiers_x = area.x + FIELD_COLUMN + final_column + TAKEN_COLUMN;
	int tier_width = (area.width - (tiers_x - area.x)) / TIER_COUNT;
	char value[EVENT_TITLE_MAX + 64];

	if (tier_width < CONFIDENCE_COLUMN + 4)
		tier_width = CONFIDENCE_COLUMN + 4;
	if (row_fits(area, y)) {
		draw_text(y, area.x, FIELD_COLUMN, COLORS_TITLE, "field");
		draw_text(y, area.x + FIELD_COLUMN, final_column, COLORS_TITLE,
			  tier_width < COMPACT_TIER_WIDTH ? "final value (=)" : "final value");
		draw_text(y, area.x + FIELD_COLUMN + final_column, TAKEN_COLUMN, COLORS_TITLE, "from");
		for (int t = 0; t < TIER_COUNT; t++) {
			const char *backend = result->tiers[t].backend;
			enum colors_role role = colors_tier_role((enum tier)t);
			int x = tiers_x + t * tier_width;

			if (backend && tier_width >= 22)
				draw_textf(y, x, tier_width - 1, role, "%s (%s)", tier_name((enum tier)t),
					   backend);
			else
				draw_text(y, x, tier_width - 1, role, tier_name((enum tier)t));
		}
	}
	y++;

	for (int f = 0; f < FIELD_COUNT; f++, y++) {
		enum tier from = result->event.tier[f];

		if (!row_fits(area, y))
			continue;
		draw_text(y, area.x, FIELD_COLUMN, COLORS_NORMAL, field_name((enum field)f));
		if (event_format_field(&result->event, (enum field)f, value, sizeof value) == 0)
			snprintf(value, sizeof value, "%s", draw_glyph(DRAW_GLYPH_NONE));
		draw_text(y, area.x + FIELD_COLUMN, final_column - 1,
			  event_has(&result->event, (enum field)f) ? COLORS_NORMAL : COLORS_DIM, value);
		draw_text(y, area.x + FIELD_COLUMN + final_column, TAKEN_COLUMN - 1,
			  colors_tier_role(from), result->cache_hit ? "cache" : tier_name(from));
		for (int t = 0; t < TIER_COUNT; t++)
			draw_tier_cell(y, tiers_x + t * tier_width, tier_width, &result->tiers[t],
				       (enum field)f, from == t && !result->cache_hit, value,
				       t == TIER_LLM && trace->llm_pending);
	}

	if (row_fits(area, y)) {
		char total[32];

		draw_textf(y, area.x, FIELD_COLUMN + final_column + TAKEN_COLUMN, COLORS_DIM,
			   "time (total %s)", format_latency_us((double)result->total_ns / 1000.0,
								total, sizeof total));
		for (int t = 0; t < TIER_COUNT; t++) {
			const struct tier_trace *tt = &result->tiers[t];

			if (!tt->called)
				draw_text(y, tiers_x + t * tier_width, tier_width - 1, COLORS_DIM,
					  draw_glyph(DRAW_GLYPH_NONE));
			else
				draw_text(y, tiers_x + t * tier_width, tier_width - 1, COLORS_NORMAL,
					  format_latency_us((double)tt->elapsed_ns / 1000.0, value,
							    sizeof value));
		}
	}
	y++;

	if (row_fits(area, y)) {
		char summary[512];
		enum colors_role role = tracetable_llm_summary(trace, summary, sizeof summary);

		draw_text(y, area.x, area.width, role, summary);
	}
	return y + 1;
}
