/*
 * Classifying an LLM call from its trace.
 */
#include <string.h>

#include "app/llm_outcome.h"
#include "engine/llm_prompt.h"
#include "engine/utf8.h"

enum llm_outcome llm_outcome_of(const struct tier_trace *trace)
{
	if (!trace->called)
		return LLM_OUTCOME_NOT_CALLED;
	if (trace->status == PARSE_OK)
		return trace->replayed ? LLM_OUTCOME_REPLAYED : LLM_OUTCOME_OK;
	/* In replay nothing is sent, so a failure is a missing recording, an
	 * unreadable history or an invalid recorded answer. */
	if (trace->replayed || (trace->backend && strcmp(trace->backend, "replay") == 0))
		return LLM_OUTCOME_FAILED;
	if (trace->unreachable)
		return LLM_OUTCOME_DOWN;
	return LLM_OUTCOME_FAILED;
}

const char *llm_outcome_name(enum llm_outcome outcome)
{
	switch (outcome) {
	case LLM_OUTCOME_NOT_CALLED:
		return "";
	case LLM_OUTCOME_OK:
		return "ok";
	case LLM_OUTCOME_FAILED:
		return "failed";
	case LLM_OUTCOME_DOWN:
		return "down";
	case LLM_OUTCOME_REPLAYED:
		return "replayed";
	}
	return "";
}

enum llm_outcome llm_outcome_from_name(const char *name)
{
	for (int o = LLM_OUTCOME_OK; o <= LLM_OUTCOME_REPLAYED; o++)
		if (strcmp(name, llm_outcome_name((enum llm_outcome)o)) == 0)
			return (enum llm_outcome)o;
	return LLM_OUTCOME_NOT_CALLED;
}

size_t llm_outcome_sent_characters(const char *text, size_t len, int context_limit)
{
	bool cut;
	size_t sent = llm_cut_text(text, len, context_limit, &cut);
	size_t characters = 0;
	size_t i = 0;

	while (i < sent) {
		utf8_next(text, sent, &i);
		characters++;
	}
	return characters;
}
