/*
 * The figures of one run, computed from its case rows. Accuracy (overall
 * and per field), each tier's calls, hit rate and failures, and the p50
 * and p95 latencies count every row, as run --json, History and compare
 * do. Only the latencies kept for sparklines and histograms (recent_us)
 * cover the last RUNSTATS_WINDOW rows, the window size the engine's own
 * metrics use.
 *
 * A runstats is a flat value (about 32 KB, so keep it off small stacks),
 * and runstats_compute overwrites all of it.
 */
#ifndef CALTUNE_VIEWS_RUNSTATS_H
#define CALTUNE_VIEWS_RUNSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "views/caserows.h"
#include "views/targets.h"

#define RUNSTATS_WINDOW 1000

struct runstats_stage {
	uint64_t calls;        /* tiers: texts the tier ran for; cache: lookups */
	uint64_t answered;     /* tiers: texts it set a final field with a value for;
				  cache: hits */
	uint64_t failures;     /* calls whose error names this tier */
	size_t window_calls;   /* calls among the last RUNSTATS_WINDOW rows */
	double p50_us;         /* over every call; -1 when there are none */
	double p95_us;
	/* One latency per row of the window, oldest first; NAN where the
	 * stage was not called. */
	double recent_us[RUNSTATS_WINDOW];
	size_t recent_count;
};

/* The LLM calls of a run, by outcome (each row's llm_status). */
struct runstats_llm {
	uint64_t ok;
	uint64_t failed;
	uint64_t down;           /* the server could not be reached */
	uint64_t replayed;
	uint64_t lost_fields;    /* fields sent to the LLM that it did not answer */
};

struct runstats {
	size_t cases;
	size_t correct;              /* cases with every expected field right */
	size_t errors;               /* cases whose parse reported an error */
	double accuracy;             /* correct / cases, -1 with no cases */
	size_t field_expected[FIELD_COUNT];
	size_t field_correct[FIELD_COUNT];
	struct runstats_stage stages[TARGETS_STAGE_COUNT];
	double parse_p50_us;         /* end to end, over every row; -1 when empty */
	double parse_p95_us;
	struct runstats_llm llm;
};

/* cache_enabled: whether the run looked every text up in the cache (its
 * cache.l1_entries was above 0), which makes each case one lookup. Costs
 * time linear in the rows and a scratch array of one double per row.
 * Returns 0, or -1 when that array cannot be allocated (out is then
 * zeroed). */
int runstats_compute(const struct caserows *rows, bool cache_enabled, struct runstats *out);

/* Accuracy of one field, -1 when no case labels it. */
double runstats_field_accuracy(const struct runstats *stats, enum field f);

/* Success rate of a stage (calls without failure / calls), -1 with no calls. */
double runstats_success_rate(const struct runstats_stage *stage);

/* Hit rate of a stage: answered / cases for a tier, hits / lookups for the
 * cache; -1 when the denominator is 0. */
double runstats_hit_rate(const struct runstats *stats, enum targets_stage stage);

#endif
