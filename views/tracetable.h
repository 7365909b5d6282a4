/*
 * The cascade trace as a table, shared by the Playground and the case
 * detail. It has one row per field with the final value, the tier it came
 * from, and each tier's own answer with its confidence. Then come each
 * tier's time and a row on the LLM call: its outcome, latency, attempts,
 * token counts, a cut text, a replay, the fields it lost and its error.
 */
#ifndef CALTUNE_VIEWS_TRACETABLE_H
#define CALTUNE_VIEWS_TRACETABLE_H

#include <stddef.h>

#include "views/draw.h"
#include "views/tracer.h"

/* Rows tracetable_draw uses: a heading, one per field, the times, the LLM. */
#define TRACETABLE_ROWS (FIELD_COUNT + 3)

/* Draws the table with its heading at screen row y; rows outside area are
 * skipped, so a caller scrolls by passing a y above area.y. Returns the
 * row after the table. */
int tracetable_draw(struct draw_rect area, int y, const struct tracer_result *trace);

/* Writes the LLM row's text ("llm ok: 812.0ms, 2 attempts, 412+38 tokens,
 * text cut to 500 characters") and returns its colour role. */
enum colors_role tracetable_llm_summary(const struct tracer_result *trace, char *buf,
					size_t size);

#endif
