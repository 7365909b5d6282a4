/*
 * Builds the temporal fields of an event (start, end, all_day,
 * duration_min, recurrence) from the mentions the grammar or the patterns
 * found, by the reading conventions of resolve.h, and says which mentions
 * it used so the rest of the text can become the title.
 */
#ifndef CALTUNE_ASSEMBLE_H
#define CALTUNE_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/calendar.h"
#include "engine/event.h"
#include "engine/grammar.h"

struct assemble_input {
	const struct grammar_item *items;
	size_t count;
	const struct token *tokens;   /* the tokens items[].first/last index */
	size_t token_count;
	struct cal_datetime ref;
	bool evening;   /* the text has an evening word: tonight, dinner, night ... */
};

/* Fills ev's start, end, all_day, duration_min and recurrence fields with
 * values and confidences, and sets used[i] for every item that gave one.
 * `used` has room for in->count entries. */
void assemble_event(const struct assemble_input *in, struct event *ev, bool *used);

/* Writes an RRULE value (no "RRULE:" prefix) for a recurrence; `timed`
 * selects the date-time form of UNTIL. Returns the length. */
size_t assemble_rrule(const struct recur_value *r, bool timed, char *out, size_t size);

#endif
