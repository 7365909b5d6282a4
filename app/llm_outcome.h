/*
 * The outcome of one LLM tier call as the history and the UI name it:
 * "ok", "failed", "down" (the server could not be reached) or "replayed",
 * read from the tier's trace, and how much of the text the call sent.
 */
#ifndef CALTUNE_LLM_OUTCOME_H
#define CALTUNE_LLM_OUTCOME_H

#include <stddef.h>

#include "engine/cascade.h"

enum llm_outcome {
	LLM_OUTCOME_NOT_CALLED,
	LLM_OUTCOME_OK,
	LLM_OUTCOME_FAILED,       /* timed out, HTTP error, invalid answer, nothing recorded */
	LLM_OUTCOME_DOWN,         /* no connection, or the circuit breaker was open */
	LLM_OUTCOME_REPLAYED      /* answered from a recording */
};

enum llm_outcome llm_outcome_of(const struct tier_trace *trace);

/* "ok", "failed", "down", "replayed"; "" for LLM_OUTCOME_NOT_CALLED. */
const char *llm_outcome_name(enum llm_outcome outcome);

/* The outcome llm_outcome_name names; LLM_OUTCOME_NOT_CALLED for "" and
 * any other text. */
enum llm_outcome llm_outcome_from_name(const char *name);

/* The characters of a text the LLM tier sends when it cuts the text to
 * llm.context_limit (context_limit bytes, back to a word boundary), for
 * "text cut to N characters". */
size_t llm_outcome_sent_characters(const char *text, size_t len, int context_limit);

#endif
