/*
 * The cascade trace as a table, shared by the Playground and the case
 * detail: one row per field with the final value, the tier it came from,
 * and each tier's own answer with its confidence; then each tier's time.
 */
#ifndef CALTUNE_VIEWS_TRACETABLE_H
#define CALTUNE_VIEWS_TRACETABLE_H

#include "engine/cascade.h"
#include "views/draw.h"

/* Rows tracetable_draw uses: a heading, one per field, the times. */
#define TRACETABLE_ROWS (FIELD_COUNT + 2)

/* Draws the table with its heading at screen row y; rows outside area are
 * skipped, so a caller scrolls by passing a y above area.y. Returns the
 * row after the table. */
int tracetable_draw(struct draw_rect area, int y, const struct parse_result *result);

#endif
