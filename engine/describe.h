/*
 * The descriptive fields of an event: title, location and attendees, cut
 * from the tokens the temporal mentions did not use.
 *
 * The title is the clause that holds the event's date or time, without
 * that date and time, the location phrase, request wording ("remind me
 * to", "can we", "let's") and a leading "the", "a", "our" or "my"; a
 * "with <people>" phrase stays. The location drops its preposition and a
 * lower-case "the". Attendees are the names after "with" (or "meet").
 */
#ifndef CALTUNE_DESCRIBE_H
#define CALTUNE_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/event.h"
#include "engine/token.h"

struct describe_input {
	const char *text;
	const struct token *tokens;
	size_t count;
	const bool *temporal;       /* per token: part of a date or time the event used */
	bool lower_case_text;       /* no capital letters: spoken-style text */
};

/* Fills ev's title, location and attendees with values and confidences. */
void describe_event(const struct describe_input *in, struct event *ev);

#endif
