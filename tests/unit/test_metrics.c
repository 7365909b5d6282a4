/*
 * Rolling latency windows: nearest-rank p50, p95 and p99 on known data.
 * The rule that p95 is the maximum of a window of 20 calls or fewer, and
 * p99 of 100 or fewer. A window rolling past its 1000 calls, the mean and
 * the success rate.
 *
 * Nearest rank: the p-th percentile of n sorted values is the value at
 * rank ceil(p * n / 100), counting from 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "engine/metrics.h"

/* Exact comparison: every value here is a small integer or a sum of them,
 * which doubles hold exactly. */
#define assert_double_exact(actual, expected)                                     \
	do {                                                                      \
		double a_ = (actual);                                             \
		double e_ = (expected);                                           \
		if (a_ != e_)                                                     \
			fail_msg("%s is %.17g, expected %.17g", #actual, a_, e_);    \
	} while (0)

/* struct metrics_window is about 9 KB, too large to want on the stack of
 * every test. */
static struct metrics_window *new_window(void)
{
	struct metrics_window *w = malloc(sizeof *w);

	assert_non_null(w);
	metrics_init(w);
	return w;
}

/* Adds first, first + 1, ..., last in descending order so that the window
 * must sort them. */
static void add_range(struct metrics_window *w, int first, int last, bool ok)
{
	for (int v = last; v >= first; v--)
		metrics_add(w, (double)v, ok);
}

static void test_metrics_empty_window(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	metrics_compute(w, &s);
	assert_int_equal(s.count, 0);
	assert_int_equal(s.window, 0);
	assert_double_exact(s.mean, 0.0);
	assert_double_exact(s.p50, 0.0);
	assert_double_exact(s.p95, 0.0);
	assert_double_exact(s.p99, 0.0);
	assert_double_exact(s.success_rate, 0.0);
	free(w);
}

static void test_metrics_nearest_rank_1000(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	add_range(w, 1, 1000, true);
	metrics_compute(w, &s);
	assert_int_equal(s.count, 1000);
	assert_int_equal(s.window, 1000);
	assert_double_exact(s.p50, 500.0);
	assert_double_exact(s.p95, 950.0);
	assert_double_exact(s.p99, 990.0);
	assert_double_exact(s.mean, 500.5);
	free(w);
}

static void test_metrics_nearest_rank_100(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	add_range(w, 1, 100, true);
	metrics_compute(w, &s);
	assert_double_exact(s.p50, 50.0);

	/* 0.95 * 100 in floating point is just above 95, but the rank must
	 * still be 95, not 96. */
	assert_double_exact(s.p95, 95.0);

	/* With 100 calls no rank lies between p99 and the top. */
	assert_double_exact(s.p99, 100.0);
	free(w);
}

static void test_metrics_nearest_rank_not_interpolated(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	metrics_add(w, 10.0, true);
	metrics_add(w, 40.0, true);
	metrics_add(w, 20.0, true);
	metrics_add(w, 30.0, true);
	metrics_compute(w, &s);

	/* Rank ceil(0.5 * 4) = 2: a value from the data, not 25. */
	assert_double_exact(s.p50, 20.0);
	assert_double_exact(s.mean, 25.0);
	free(w);
}

static void test_metrics_p95_max_at_20_calls(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	add_range(w, 1, 20, true);
	metrics_compute(w, &s);

	/* Nearest rank alone would give rank 19, but 20 calls or fewer give
	 * the maximum. */
	assert_int_equal(s.window, 20);
	assert_double_exact(s.p95, 20.0);
	assert_double_exact(s.p99, 20.0);
	assert_double_exact(s.p50, 10.0);
	free(w);
}

static void test_metrics_p95_rank_at_21_calls(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	add_range(w, 1, 21, true);
	metrics_compute(w, &s);

	/* Rank ceil(0.95 * 21) = 20, below the maximum of 21. */
	assert_int_equal(s.window, 21);
	assert_double_exact(s.p95, 20.0);
	assert_double_exact(s.p99, 21.0);
	assert_double_exact(s.p50, 11.0);
	free(w);
}

static void test_metrics_p99_rank_at_101_calls(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	add_range(w, 1, 101, true);
	metrics_compute(w, &s);

	/* Rank ceil(0.99 * 101) = 100, below the maximum of 101. */
	assert_double_exact(s.p99, 100.0);
	assert_double_exact(s.p95, 96.0);
	free(w);
}

static void test_metrics_single_call(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	metrics_add(w, 7.5, false);
	metrics_compute(w, &s);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.window, 1);
	assert_double_exact(s.p50, 7.5);
	assert_double_exact(s.p95, 7.5);
	assert_double_exact(s.p99, 7.5);
	assert_double_exact(s.mean, 7.5);
	assert_double_exact(s.success_rate, 0.0);
	free(w);
}

static void test_metrics_window_rolls(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;

	/* 1500 calls: the window keeps the last 1000, values 501 to 1500. */
	for (int v = 1; v <= 1500; v++)
		metrics_add(w, (double)v, true);
	metrics_compute(w, &s);
	assert_int_equal(s.count, 1500);
	assert_int_equal(s.window, METRICS_WINDOW);
	assert_double_exact(s.p50, 1000.0);
	assert_double_exact(s.p95, 1450.0);
	assert_double_exact(s.p99, 1490.0);
	assert_double_exact(s.mean, 1000.5);
	free(w);
}

static void test_metrics_window_forgets_slow_calls(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;

	/* A burst of slow failed calls leaves no trace once 1000 newer calls
	 * have replaced it. */
	for (int i = 0; i < 1000; i++)
		metrics_add(w, 1000000.0, false);
	for (int i = 0; i < 1000; i++)
		metrics_add(w, 2.0, true);
	metrics_compute(w, &s);
	assert_int_equal(s.count, 2000);
	assert_double_exact(s.p99, 2.0);
	assert_double_exact(s.mean, 2.0);
	assert_double_exact(s.success_rate, 1.0);

	/* One more slow call is back in the window. */
	metrics_add(w, 1000000.0, false);
	metrics_compute(w, &s);
	assert_int_equal(s.count, 2001);
	assert_int_equal(s.window, METRICS_WINDOW);
	assert_double_exact(s.p99, 2.0);
	assert_double_exact(s.success_rate, 0.999);
	free(w);
}

static void test_metrics_success_rate(void **state)
{
	struct metrics_window *w = new_window();
	struct metrics_stats s;

	(void)state;
	metrics_add(w, 1.0, true);
	metrics_add(w, 1.0, false);
	metrics_add(w, 1.0, true);
	metrics_add(w, 1.0, true);
	metrics_compute(w, &s);
	assert_double_exact(s.success_rate, 0.75);

	/* Over the window, not over every call ever added: after 500
	 * failures and 750 successes the window contains the last 250 failures. */
	metrics_init(w);
	for (int i = 0; i < 500; i++)
		metrics_add(w, 1.0, false);
	for (int i = 0; i < 750; i++)
		metrics_add(w, 1.0, true);
	metrics_compute(w, &s);
	assert_int_equal(s.count, 1250);
	assert_double_exact(s.success_rate, 0.75);
	free(w);
}

static void test_metrics_percentile_direct(void **state)
{
	static const double sorted[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	(void)state;
	assert_double_exact(metrics_percentile(sorted, 0, 500), 0.0);
	assert_double_exact(metrics_percentile(sorted, 10, 500), 5.0);
	assert_double_exact(metrics_percentile(sorted, 10, 510), 6.0);
	assert_double_exact(metrics_percentile(sorted, 10, 900), 9.0);
	assert_double_exact(metrics_percentile(sorted, 10, 950), 10.0);
	assert_double_exact(metrics_percentile(sorted, 10, 1000), 10.0);
	assert_double_exact(metrics_percentile(sorted, 10, 0), 1.0);
	assert_double_exact(metrics_percentile(sorted, 10, 100), 1.0);
	assert_double_exact(metrics_percentile(sorted, 10, 101), 2.0);
}

static void test_metrics_sort(void **state)
{
	double values[] = { 3.5, -1.0, 0.0, 2.0, -7.25, 2.0 };
	static const double expected[] = { -7.25, -1.0, 0.0, 2.0, 2.0, 3.5 };

	(void)state;
	metrics_sort(values, sizeof values / sizeof values[0]);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		assert_double_exact(values[i], expected[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_empty_window),
		cmocka_unit_test(test_metrics_nearest_rank_1000),
		cmocka_unit_test(test_metrics_nearest_rank_100),
		cmocka_unit_test(test_metrics_nearest_rank_not_interpolated),
		cmocka_unit_test(test_metrics_p95_max_at_20_calls),
		cmocka_unit_test(test_metrics_p95_rank_at_21_calls),
		cmocka_unit_test(test_metrics_p99_rank_at_101_calls),
		cmocka_unit_test(test_metrics_single_call),
		cmocka_unit_test(test_metrics_window_rolls),
		cmocka_unit_test(test_metrics_window_forgets_slow_calls),
		cmocka_unit_test(test_metrics_success_rate),
		cmocka_unit_test(test_metrics_percentile_direct),
		cmocka_unit_test(test_metrics_sort),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
