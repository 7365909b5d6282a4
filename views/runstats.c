/*
 * Run figures from case rows. Percentiles are nearest-rank, as the
 * engine's metrics helpers take them, so the UI and `caltune run` agree.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/llm_outcome.h"
#include "engine/metrics.h"
#include "views/runstats.h"

/* The k-th smallest (from 0) of n values, reordering them: quickselect,
 * linear on average, so the figures of a long run cost no sort. */
static double select_nth(double *v, size_t n, size_t k)
{
	size_t low = 0, high = n - 1;

	while (low < high) {
		double pivot = v[low + (high - low) / 2];
		size_t i = low, j = high;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			high = j;
		else if (k >= i)
			low = i;
		else
			return v[k];
	}
	return v[k];
}

/* p50 and p95 of n values (reordered); -1 when there are none. */
static void percentiles(double *values, size_t n, double *p50, double *p95)
{
	if (n == 0) {
		*p50 = -1;
		*p95 = -1;
		return;
	}
	*p50 = select_nth(values, n, metrics_percentile_rank(n, 500) - 1);
	*p95 = select_nth(values, n, metrics_percentile_rank(n, 950) - 1);
}

/* Latency of one stage in a row, in microseconds; negative when the stage
 * did not run. `stage` TARGETS_STAGE_COUNT means the whole parse. */
static double row_latency_us(const struct caserow *row, int stage)
{
	int64_t ns;

	if (stage == TARGETS_STAGE_COUNT)
		ns = row->total_ns;
	else if (stage == TARGETS_CACHE)
		ns = row->cache_ns;
	else
		ns = row->tier_ns[stage];
	return ns < 0 ? -1 : (double)ns / 1000.0;
}

/* p50 and p95 of every row's latency of one stage. scratch has room for
 * rows->count values. */
static void stage_percentiles(const struct caserows *rows, int stage, double *scratch,
			      double *p50, double *p95)
{
	size_t n = 0;

	for (size_t i = 0; i < rows->count; i++) {
		double us = row_latency_us(&rows->rows[i], stage);

		if (us >= 0)
			scratch[n++] = us;
	}
	percentiles(scratch, n, p50, p95);
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
		/* A tier counts for a text when it set a field that has a value,
		 * as run --json counts "answered". A field left empty counts for no
		 * tier. */
		for (int f = 0; f < FIELD_COUNT; f++)
			if (row->field_tier[f] >= 0 && row->field_tier[f] < TIER_COUNT &&
			    (row->valued >> f) & 1u)
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

int runstats_compute(const struct caserows *rows, bool cache_enabled, struct runstats *out)
{
	size_t first = rows->count > RUNSTATS_WINDOW ? rows->count - RUNSTATS_WINDOW : 0;
	size_t window = rows->count - first;
	double *scratch = malloc((rows->count ? rows->count : 1) * sizeof *scratch);

	memset(out, 0, sizeof *out);
	if (!scratch)
		return -1;
	count_totals(rows, cache_enabled, out);
	out->accuracy = out->cases ? (double)out->correct / (double)out->cases : -1;

	for (int s = 0; s < TARGETS_STAGE_COUNT; s++) {
		struct runstats_stage *stage = &out->stages[s];

		stage->recent_count = window;
		for (size_t i = 0; i < window; i++) {
			double us = row_latency_us(&rows->rows[first + i], s);

			stage->recent_us[i] = us >= 0 ? us : NAN;
			stage->window_calls += us >= 0;
		}
		stage_percentiles(rows, s, scratch, &stage->p50_us, &stage->p95_us);
	}
	stage_percentiles(rows, TARGETS_STAGE_COUNT, scratch, &out->parse_p50_us,
			  &out->parse_p95_us);
	free(scratch);
	return 0;
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
