/*
 * Per-tier latency benchmark: parses every text of a corpus through one
 * tier at a time (forced modes, cache off), several rounds, and prints the
 * p50 and p95 of all calls per round and the median of the rounds.
 *
 * Usage: tier_bench CORPUS [ROUNDS]
 * Times are wall-clock per call on a monotonic clock, so run it on an idle
 * machine; bench/run.sh records the command and the machine with them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/corpus.h"
#include "engine/cascade.h"
#include "engine/metrics.h"

static void report_bad_line(void *context, const char *message)
{
	(void)context;
	fprintf(stderr, "%s\n", message);
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *values, int n)
{
	qsort(values, (size_t)n, sizeof *values, compare_double);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; enum cascade_mode mode; enum tier tier; } runs[] = {
		{ "regex", MODE_REGEX, TIER_REGEX },
		{ "rules", MODE_RULES, TIER_RULES },
		{ "hybrid", MODE_HYBRID, TIER_NONE },
	};
	char err[256];
	struct corpus *corpus;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	static struct parse_result result;

	if (argc < 2 || rounds < 1 || rounds > 100) {
		fprintf(stderr, "usage: tier_bench CORPUS [ROUNDS (1-100)]\n");
		return 2;
	}
	corpus = corpus_load(argv[1], report_bad_line, NULL, err, sizeof err);
	if (!corpus) {
		fprintf(stderr, "tier_bench: %s\n", err);
		return 2;
	}
	printf("corpus %s: %zu texts, %d rounds\n", argv[1], corpus->count, rounds);

	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		double p50s[100], p95s[100];
		double *samples = malloc(corpus->count * sizeof *samples);
		struct cascade_config cfg;
		struct cascade *cascade;
		struct cascade_worker *worker;

		config_preset(&cfg, "balanced", err, sizeof err);
		cfg.mode = runs[r].mode;
		cfg.cache_l1_entries = 0;
		cfg.llm_backend = LLM_OFF;  /* tiers 1 and 2: the LLM is measured apart */
		cascade = cascade_new(&cfg, err, sizeof err);
		worker = cascade ? cascade_worker_new(cascade, err, sizeof err) : NULL;
		if (!samples || !worker) {
			fprintf(stderr, "tier_bench: %s\n", err);
			return 1;
		}
		for (int round = 0; round <= rounds; round++) {
			for (size_t i = 0; i < corpus->count; i++) {
				const struct corpus_case *c = &corpus->cases[i];
				struct parse_input in = { c->text, c->text_len, c->ref, c->tz, c->locale };

				cascade_parse(worker, &in, &result);
				samples[i] = (double)(runs[r].tier == TIER_NONE ? result.total_ns :
						      result.tiers[runs[r].tier].elapsed_ns) / 1000.0;
			}
			/* Round 0 warms caches and loads the tier; it is not counted. */
			if (round == 0)
				continue;
			metrics_sort(samples, corpus->count);
			p50s[round - 1] = metrics_percentile(samples, corpus->count, 500);
			p95s[round - 1] = metrics_percentile(samples, corpus->count, 950);
		}
		printf("%-7s p50 %6.2f us  p95 %6.2f us  (medians of %d rounds; p95 per round:",
		       runs[r].name, median(p50s, rounds), median(p95s, rounds), rounds);
		for (int k = 0; k < rounds; k++)
			printf(" %.1f", p95s[k]);
		printf(")\n");
		cascade_worker_free(worker);
		cascade_free(cascade);
		free(samples);
	}
	corpus_free(corpus);
	return 0;
}
