/*
 * The interface every tier implements, so the cascade treats the regex
 * patterns, the rule grammar and the LLM client alike: load once (lazily,
 * on first need), make per-thread scratch, extract an event from a text.
 *
 * Ownership: load returns a state the tier frees in unload; worker_new
 * returns scratch freed by worker_free. extract writes into a caller-owned
 * event and never keeps pointers into the input.
 */
#ifndef CALTUNE_TIER_H
#define CALTUNE_TIER_H

#include <stddef.h>

#include "engine/cascade.h"
#include "engine/config.h"
#include "engine/event.h"
#include "engine/llm_record.h"

/* What the cascade asks of a tier beyond the text: the fields still
 * undecided, the best answers so far (for the LLM's prompt), and where to
 * record LLM exchanges. Tiers 1 and 2 read every field regardless. */
struct tier_request {
	unsigned wanted;                       /* bit (1u << field) per field to decide */
	const struct event *candidates;        /* the lower tiers' best answers, or NULL */
	const struct llm_recorder *recorder;   /* NULL: do not record */
};

struct tier_ops {
	enum tier id;
	const char *(*backend)(const struct cascade_config *cfg);
	int (*load)(const struct cascade_config *cfg, void **state, char *err, size_t err_size);
	void (*unload)(void *state);
	void *(*worker_new)(void *state);
	void (*worker_free)(void *scratch);
	/* Fills trace->answer with every field, a value or an absence, each
	 * with a confidence, and the tier's own trace details. Returns
	 * PARSE_OK, or PARSE_TIER_FAILED with a message in trace->error. */
	enum parse_status (*extract)(void *state, void *scratch, const struct parse_input *in,
				     const struct tier_request *request, struct tier_trace *trace);
};

extern const struct tier_ops tier_regex_ops;
extern const struct tier_ops tier_rules_ops;
extern const struct tier_ops tier_llm_ops;

struct llm_client_stats;

/* The LLM client's figures (state, in flight, retries) for a loaded LLM
 * tier state; returns -1 when it has no client (replay). */
int tier_llm_client_stats(void *state, struct llm_client_stats *out);

/* Writes the mentions tier 2 finds in a text, one per line ("rule-name
 * [first-last] text"), for traces and debugging. Returns the length. */
size_t tier_rules_explain(const struct parse_input *in, char *out, size_t size);

#endif
