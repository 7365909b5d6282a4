/*
 * Trace table layout: fixed columns for the field, the final value and
 * the tier taken, then the width left shared by the three tiers.
 */
#include <stdio.h>
#include <string.h>

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
			   bool taken, const char *final_value)
{
	char value[EVENT_TITLE_MAX + 64];
	int value_width = width - CONFIDENCE_COLUMN - 1;
	enum colors_role role;

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

int tracetable_draw(struct draw_rect area, int y, const struct parse_result *result)
{
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
				       (enum field)f, from == t && !result->cache_hit, value);
	}

	if (row_fits(area, y)) {
		char total[32];

		draw_textf(y, area.x, FIELD_COLUMN + final_column + TAKEN_COLUMN, COLORS_DIM,
			   "time (total %s)", format_latency_us((double)result->total_ns / 1000.0,
								total, sizeof total));
		for (int t = 0; t < TIER_COUNT; t++) {
			const struct tier_trace *trace = &result->tiers[t];

			if (!trace->called)
				draw_text(y, tiers_x + t * tier_width, tier_width - 1, COLORS_DIM,
					  draw_glyph(DRAW_GLYPH_NONE));
			else
				draw_text(y, tiers_x + t * tier_width, tier_width - 1, COLORS_NORMAL,
					  format_latency_us((double)trace->elapsed_ns / 1000.0, value,
							    sizeof value));
		}
	}
	return y + 1;
}
