/*
 * Run figures from case rows. Percentiles are nearest-rank through the
 * engine's metrics helpers, so the UI and `caltune run` agree on them.
 */
#include <math.h>
#include <string.h>

#include "app/llm_outcome.h"
#include "engine/metrics.h"
#include "views/runstats.h"

/* Sorts a copy of the window's values that are not NAN and takes p50 and
 * p95 of them. */
static void window_percentiles(const double *values, size_t count, double *p50, double *p95,
			       size_t *present)
{
	double sorted[RUNSTATS_WINDOW];
	size_t n = 0;

	for (size_t i = 0; i < count; i++)
		if (!isnan(values[i]))
			sorted[n++] = values[i];
	*present = n;
	if (n == 0) {
		*p50 = -1;
		*p95 = -1;
		return;
	}
	metrics_sort(sorted, n);
	*p50 = metrics_percentile(sorted, n, 500);
	*p95 = metrics_percentile(sorted, n, 950);
}

static void count_totals(const struct caserows *rows, bool cache_enabled, struct runstats *out)
{
	for (size_t i = 0; i < rows->count; i++) {
		const struct caserow *row = &rows->rows[i];
		bool supplied[TIER_COUNT] = { false };

		out->cases++;
		out->correct += row->all_correct;
		out->errors += row->failed;
		for (int f = 0; f < FIELD_COUNT; f++) {
			if (!(row->expected & (1u << f)))
				continue;
			out->field_expected[f]++;
			out->field_correct[f] += (row->correct >> f) & 1u;
		}
		for (int f = 0; f < FIELD_COUNT; f++)
			if (row->field_tier[f] >= 0 && row->field_tier[f] < TIER_COUNT)
				supplied[row->field_tier[f]] = true;
		for (int t = 0; t < TIER_COUNT; t++) {
			struct runstats_stage *stage = &out->stages[t];

			if (row->tier_ns[t] < 0)
				continue;
			stage->calls++;
			stage->answered += supplied[t];
			stage->failures += (row->failed_tiers >> t) & 1u;
		}
		switch ((enum llm_outcome)row->llm_outcome) {
		case LLM_OUTCOME_OK:
			out->llm.ok++;
			break;
		case LLM_OUTCOME_FAILED:
			out->llm.failed++;
			break;
		case LLM_OUTCOME_DOWN:
			out->llm.down++;
			break;
		case LLM_OUTCOME_REPLAYED:
			out->llm.replayed++;
			break;
		case LLM_OUTCOME_NOT_CALLED:
			break;
		}
		out->llm.lost_fields += (uint64_t)__builtin_popcount(row->llm_lost);
		/* An in-process lookup cannot fail once it ran, so every recorded
		 * lookup counts as a success. */
		if (cache_enabled && row->cache_ns >= 0) {
			out->stages[TARGETS_CACHE].calls++;
			out->stages[TARGETS_CACHE].answered += row->cache_hit;
		}
	}
}

void runstats_compute(const struct caserows *rows, bool cache_enabled, struct runstats *out)
{
	size_t first = rows->count > RUNSTATS_WINDOW ? rows->count - RUNSTATS_WINDOW : 0;
	size_t window = rows->count - first;
	double parse_us[RUNSTATS_WINDOW];
	size_t present;

	memset(out, 0, sizeof *out);
	count_totals(rows, cache_enabled, out);
	out->accuracy = out->cases ? (double)out->correct / (double)out->cases : -1;

	for (size_t i = 0; i < window; i++) {
		const struct caserow *row = &rows->rows[first + i];

		for (int t = 0; t < TIER_COUNT; t++)
			out->stages[t].recent_us[i] = row->tier_ns[t] >= 0 ?
				(double)row->tier_ns[t] / 1000.0 : NAN;
		out->stages[TARGETS_CACHE].recent_us[i] = row->cache_ns >= 0 ?
			(double)row->cache_ns / 1000.0 : NAN;
		parse_us[i] = (double)row->total_ns / 1000.0;
	}
	for (int s = 0; s < TARGETS_STAGE_COUNT; s++) {
		struct runstats_stage *stage = &out->stages[s];

		stage->recent_count = window;
		window_percentiles(stage->recent_us, window, &stage->p50_us, &stage->p95_us,
				   &stage->window_calls);
	}
	window_percentiles(parse_us, window, &out->parse_p50_us, &out->parse_p95_us, &present);
}

double runstats_field_accuracy(const struct runstats *stats, enum field f)
{
	if (stats->field_expected[f] == 0)
		return -1;
	return (double)stats->field_correct[f] / (double)stats->field_expected[f];
}

double runstats_success_rate(const struct runstats_stage *stage)
{
	if (stage->calls == 0)
		return -1;
	return (double)(stage->calls - stage->failures) / (double)stage->calls;
}

double runstats_hit_rate(const struct runstats *stats, enum targets_stage stage)
{
	const struct runstats_stage *s = &stats->stages[stage];

	if (stage == TARGETS_CACHE)
		return s->calls ? (double)s->answered / (double)s->calls : -1;
	return stats->cases ? (double)s->answered / (double)stats->cases : -1;
}
