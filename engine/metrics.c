/*
 * Rolling windows and nearest-rank percentiles.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/metrics.h"

void metrics_init(struct metrics_window *w)
{
	memset(w, 0, sizeof *w);
}

void metrics_add(struct metrics_window *w, double value, bool ok)
{
	w->samples[w->next] = value;
	w->ok[w->next] = ok;
	w->next = (w->next + 1) % METRICS_WINDOW;
	if (w->filled < METRICS_WINDOW)
		w->filled++;
	w->count++;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

void metrics_sort(double *values, size_t n)
{
	qsort(values, n, sizeof *values, compare_double);
}

size_t metrics_percentile_rank(size_t n, int permille)
{
	/* Integer arithmetic: 0.95 * 100 in floating point rounds up past 95. */
	size_t rank = ((size_t)permille * n + 999) / 1000;

	/* The top percentiles of a small window are its maximum: with 20 calls or
	 * fewer no call lies above p95. */
	if (permille >= 950 && permille < 1000 && n * (size_t)(1000 - permille) <= 1000)
		rank = n;
	if (rank < 1)
		rank = 1;
	return rank > n ? n : rank;
}

double metrics_percentile(const double *sorted, size_t n, int permille)
{
	if (n == 0)
		return 0.0;
	return sorted[metrics_percentile_rank(n, permille) - 1];
}

void metrics_compute(const struct metrics_window *w, struct metrics_stats *out)
{
	double sorted[METRICS_WINDOW];
	double sum = 0.0;
	size_t good = 0;

	memset(out, 0, sizeof *out);
	out->count = w->count;
	out->window = w->filled;
	if (w->filled == 0)
		return;
	for (size_t i = 0; i < w->filled; i++) {
		sorted[i] = w->samples[i];
		sum += w->samples[i];
		good += w->ok[i];
	}
	metrics_sort(sorted, w->filled);
	out->mean = sum / (double)w->filled;
	out->p50 = metrics_percentile(sorted, w->filled, 500);
	out->p95 = metrics_percentile(sorted, w->filled, 950);
	out->p99 = metrics_percentile(sorted, w->filled, 990);
	out->success_rate = (double)good / (double)w->filled;
}
