/*
 * Target values. The p95 targets are this engine's own: 20 µs for the
 * PCRE2 patterns, 100 µs for the built-in rules and 1 µs for the in-memory
 * cache, tighter than the reference design's 50 ms, 200 ms and 5 ms. The
 * llm keeps the reference 2000 ms.
 */
#include "views/targets.h"

static const struct targets_stage_target stage_targets[TARGETS_STAGE_COUNT] = {
	[TARGETS_REGEX] = { "regex", 20.0, 0.95 },
	[TARGETS_RULES] = { "rules", 100.0, 0.85 },
	[TARGETS_LLM] = { "llm", 2000000.0, 0.90 },
	[TARGETS_CACHE] = { "cache", 1.0, 0.99 },
};

const struct targets_stage_target *targets_stage(enum targets_stage stage)
{
	if (stage < 0 || stage >= TARGETS_STAGE_COUNT)
		stage = TARGETS_REGEX;
	return &stage_targets[stage];
}
