/*
 * The targets each measured figure is shown against, from the cascade's
 * design: p95 latency and success rate per tier and for the cache, the
 * cache hit rate, the error rate and the end-to-end p95. A figure meets
 * its target when it is at or below a latency or error target, and at or
 * above a rate target.
 */
#ifndef CALTUNE_VIEWS_TARGETS_H
#define CALTUNE_VIEWS_TARGETS_H

#include <stdbool.h>

/* The dashboard's rows: the three tiers in enum tier order, then the cache. */
enum targets_stage {
	TARGETS_REGEX,
	TARGETS_RULES,
	TARGETS_LLM,
	TARGETS_CACHE,
	TARGETS_STAGE_COUNT
};

struct targets_stage_target {
	const char *name;
	double p95_us;         /* at most */
	double success_rate;   /* at least, in [0, 1] */
};

#define TARGETS_CACHE_HIT_RATE 0.60      /* at least */
#define TARGETS_ERROR_RATE 0.02          /* at most, failed parses / cases */
#define TARGETS_PARSE_P95_US 3000000.0   /* at most, end to end with the llm tier in play */

const struct targets_stage_target *targets_stage(enum targets_stage stage);

static inline bool targets_at_most(double value, double target)
{
	return value >= 0 && value <= target;
}

static inline bool targets_at_least(double value, double target)
{
	return value >= target;
}

#endif
