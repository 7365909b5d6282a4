/*
 * Tier 2's second backend: a Duckling server (rules.backend=duckling),
 * asked over HTTP for the times and durations in a text, whose answers are
 * mapped onto the same mentions the built-in grammar produces, so the
 * assembler and the title, location and attendee extraction are shared.
 *
 * The request is a form-encoded POST to duckling.url with locale, text,
 * reftime (epoch milliseconds), tz and dims ["time","duration"]. The
 * reference time is sent as if it were UTC with tz=UTC, so Duckling's
 * answers come back in the same wall-clock time as the text's `ref`.
 *
 * Mapping: an entity's start and end count Unicode code points; an
 * interval's "to" is exclusive and one grain past the stated end ("from 3
 * to 5pm" comes back to 18:00 at grain hour), so a grain is taken off for
 * times; grain day means a date without a time; Duckling has no
 * recurrences, so that field is left to the other tiers.
 *
 * NOTE: Duckling converts a zone named in the text ("9am JST") to the
 * request's zone, so the written time and its offset are lost with this
 * backend.
 *
 * Ownership: duckling_new returns a backend freed with duckling_free; it is
 * shared by all threads (its HTTP client serialises itself).
 */
#ifndef CALTUNE_DUCKLING_H
#define CALTUNE_DUCKLING_H

#include <stddef.h>

#include "engine/cascade.h"
#include "engine/config.h"
#include "engine/grammar.h"

struct duckling;

struct duckling *duckling_new(const struct cascade_config *cfg, char *err, size_t err_size);
void duckling_free(struct duckling *d);

/* Asks the server about a text and writes one item per time or duration
 * entity into items (token spans set from the tokens), returning how many,
 * or -1 with a message in err when the call or its answer failed. */
int duckling_items(struct duckling *d, const struct parse_input *in, const struct token *tokens,
		   size_t token_count, struct grammar_item *items, size_t max, char *err,
		   size_t err_size);

/* Maps a Duckling answer (the JSON array) to items, without the network:
 * what duckling_items does after the call. Exposed for tests. */
int duckling_map_answer(const char *body, size_t len, const struct parse_input *in,
			const struct token *tokens, size_t token_count, struct grammar_item *items,
			size_t max, char *err, size_t err_size);

#endif
