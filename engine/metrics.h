/*
 * Rolling latency windows: the last METRICS_WINDOW calls of one operation
 * ("regex:extract", "cache:get" ...) with count, mean, p50, p95, p99 and
 * success rate. Percentiles are nearest-rank over the window; when the
 * window is too small for a rank to differ from the top (20 calls or fewer
 * for p95) the percentile is the maximum.
 *
 * A window is a plain value with no lock: the caller serialises access.
 */
#ifndef CALTUNE_METRICS_H
#define CALTUNE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_WINDOW 1000

struct metrics_window {
	double samples[METRICS_WINDOW];  /* latency, in the caller's unit */
	bool ok[METRICS_WINDOW];
	size_t next;                     /* slot the next call overwrites */
	size_t filled;                   /* slots in use, up to METRICS_WINDOW */
	uint64_t count;                  /* calls ever added */
};

struct metrics_stats {
	uint64_t count;        /* calls ever added */
	size_t window;         /* calls the figures below are computed over */
	double mean;
	double p50;
	double p95;
	double p99;
	double success_rate;   /* successful calls / calls, over the window */
};

void metrics_init(struct metrics_window *w);
void metrics_add(struct metrics_window *w, double value, bool ok);
void metrics_compute(const struct metrics_window *w, struct metrics_stats *out);

/* The 1-based nearest-rank position of a percentile (permille: 500 = p50,
 * 950 = p95) among n > 0 values; the top of a window too small for a rank
 * below the maximum. */
size_t metrics_percentile_rank(size_t n, int permille);

/* Nearest-rank percentile (permille: 500 = p50, 950 = p95) of n values that
 * are sorted ascending; 0 when n is 0. */
double metrics_percentile(const double *sorted, size_t n, int permille);

/* Sorts n values ascending in place. */
void metrics_sort(double *values, size_t n);

#endif
