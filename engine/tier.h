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

struct tier_ops {
	enum tier id;
	const char *(*backend)(const struct cascade_config *cfg);
	int (*load)(const struct cascade_config *cfg, void **state, char *err, size_t err_size);
	void (*unload)(void *state);
	void *(*worker_new)(void *state);
	void (*worker_free)(void *scratch);
	/* Fills every field with a value or an absence, each with a confidence.
	 * Returns PARSE_OK or PARSE_TIER_FAILED with a message in err. */
	enum parse_status (*extract)(void *state, void *scratch, const struct parse_input *in,
				     struct event *out, char *err, size_t err_size);
};

extern const struct tier_ops tier_regex_ops;
extern const struct tier_ops tier_rules_ops;

/* Writes the mentions tier 2 finds in a text, one per line ("rule-name
 * [first-last] text"), for traces and debugging. Returns the length. */
size_t tier_rules_explain(const struct parse_input *in, char *out, size_t size);

#endif
