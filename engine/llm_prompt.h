/*
 * What the LLM tier sends and what it accepts back: the JSON schema of an
 * event, the prompt (reference time, reading conventions, the fields
 * wanted, the lower tiers' candidates, the text), and the validation of
 * the model's answer.
 *
 * The text is placed between <text> and </text> markers and the model is
 * told it is data; whatever it says, the answer is only accepted when it
 * is a JSON object with exactly the schema's keys and types and real dates
 * and times, so a text cannot change the output's shape.
 *
 * Ownership: functions returning json_t * return a new reference the
 * caller releases with json_decref.
 */
#ifndef CALTUNE_LLM_PROMPT_H
#define CALTUNE_LLM_PROMPT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine/cascade.h"
#include "engine/event.h"

/* The event's JSON schema: every key required, each a string, integer,
 * boolean or list as the corpus format has it, or null. */
json_t *llm_event_schema(void);

/* Cuts text to at most `limit` characters (code points) on a word
 * boundary; returns the new length in bytes, and sets *cut when it is
 * shorter than len. */
size_t llm_cut_text(const char *text, size_t len, int limit, bool *cut);

/* The system and user messages for one text: the fields in `wanted`
 * (bit per enum field), with `candidates` from the lower tiers. */
json_t *llm_messages(const struct parse_input *in, size_t text_len, unsigned wanted,
		     const struct event *candidates);

/* Validates a model's answer (the message content) and fills `out` with
 * every field, confidence 0.9 for values and absences alike. Returns 0, or
 * -1 with a message saying what was wrong. */
int llm_parse_answer(const char *content, size_t len, struct event *out, char *err,
		     size_t err_size);

#endif
