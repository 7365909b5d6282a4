/*
 * Scoring a prediction against a corpus case, by the format's rules:
 * strings compare after Unicode case folding, trimming, collapsing white
 * space and stripping leading and trailing punctuation; start and end
 * compare at the expectation's precision (a date-only expectation needs a
 * date-only prediction); attendees compare as sets of normalised names
 * (an empty list equals null); recurrences compare as sets of KEY=VALUE
 * parts, list values such as BYDAY=TU,MO as sets. A case is correct when
 * every expected field is.
 */
#ifndef CALTUNE_SCORE_H
#define CALTUNE_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "app/corpus.h"
#include "engine/event.h"

struct score {
	unsigned expected;   /* fields the case labels */
	unsigned correct;    /* of those, the ones the prediction got right */
	bool all_correct;
};

void score_case(const struct corpus_case *c, const struct event *prediction, struct score *out);

/* Whether one field of the prediction matches the case's expectation. */
bool score_field(const struct corpus_case *c, const struct event *prediction, enum field f);

/* Writes the normalised form of a string (case-folded, trimmed, white
 * space collapsed, edge punctuation stripped); returns its length. */
size_t score_normalise(const char *s, char *out, size_t size);

#endif
