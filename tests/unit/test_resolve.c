/*
 * The reading conventions: bare, "next" and "last" weekdays, month-day and
 * day-of-month dates resolved forward, numeric dates in either order, the
 * hour conventions (7-11 morning, 12 noon, 1-6 afternoon, evening words,
 * 1-4 at night), parts of the day and two-digit years.
 *
 * The reference day in most cases is Friday 2026-12-04.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "engine/lexicon.h"
#include "engine/resolve.h"

#define assert_date_equal(actual, expected)                                        \
	do {                                                                       \
		struct cal_date d_ = (actual);                                     \
		char text_[48];                                                    \
		snprintf(text_, sizeof text_, "%04d-%02d-%02d", d_.year, d_.month, \
			 d_.day);                                                  \
		assert_string_equal(text_, expected);                              \
	} while (0)

static struct cal_date date_of(int year, int month, int day)
{
	struct cal_date d = { year, month, day };

	return d;
}

static const struct cal_date friday = { 2026, 12, 4 };

static void test_resolve_weekday_today_counts(void **state)
{
	(void)state;
	assert_date_equal(resolve_weekday(friday, CAL_FRIDAY, true), "2026-12-04");
	assert_date_equal(resolve_weekday(friday, CAL_FRIDAY, false), "2026-12-11");
}

static void test_resolve_weekday_ahead(void **state)
{
	(void)state;
	assert_date_equal(resolve_weekday(friday, CAL_SATURDAY, false), "2026-12-05");
	assert_date_equal(resolve_weekday(friday, CAL_MONDAY, true), "2026-12-07");
	assert_date_equal(resolve_weekday(friday, CAL_MONDAY, false), "2026-12-07");
	assert_date_equal(resolve_weekday(friday, CAL_THURSDAY, true), "2026-12-10");

	/* Across a year end. */
	assert_date_equal(resolve_weekday(date_of(2026, 12, 31), CAL_FRIDAY, false), "2027-01-01");
}

static void test_resolve_next_weekday(void **state)
{
	(void)state;

	/* Said on a Friday: "next Friday" is seven days on. */
	assert_date_equal(resolve_next_weekday(friday, CAL_FRIDAY), "2026-12-11");
	assert_date_equal(resolve_next_weekday(friday, CAL_MONDAY), "2026-12-07");
	assert_date_equal(resolve_next_weekday(friday, CAL_THURSDAY), "2026-12-10");
	assert_date_equal(resolve_next_weekday(friday, CAL_SUNDAY), "2026-12-13");

	/* Said on Monday 2026-11-30: the weekday of the following week. */
	assert_date_equal(resolve_next_weekday(date_of(2026, 11, 30), CAL_MONDAY), "2026-12-07");
	assert_date_equal(resolve_next_weekday(date_of(2026, 11, 30), CAL_FRIDAY), "2026-12-11");

	/* Said on Sunday 2026-12-06, the last day of its Monday-based week. */
	assert_date_equal(resolve_next_weekday(date_of(2026, 12, 6), CAL_MONDAY), "2026-12-07");
	assert_date_equal(resolve_next_weekday(date_of(2026, 12, 6), CAL_SUNDAY), "2026-12-13");
}

static void test_resolve_last_weekday(void **state)
{
	(void)state;
	assert_date_equal(resolve_last_weekday(friday, CAL_FRIDAY), "2026-11-27");
	assert_date_equal(resolve_last_weekday(friday, CAL_MONDAY), "2026-11-30");
	assert_date_equal(resolve_last_weekday(friday, CAL_THURSDAY), "2026-12-03");
	assert_date_equal(resolve_last_weekday(friday, CAL_SATURDAY), "2026-11-28");
}

static void test_resolve_month_day_forward(void **state)
{
	struct cal_date d = { 0, 0, 0 };

	(void)state;

	/* The reference day itself counts. */
	assert_true(resolve_month_day(friday, 12, 4, &d));
	assert_date_equal(d, "2026-12-04");
	assert_true(resolve_month_day(friday, 12, 3, &d));
	assert_date_equal(d, "2027-12-03");
	assert_true(resolve_month_day(friday, 12, 31, &d));
	assert_date_equal(d, "2026-12-31");
	assert_true(resolve_month_day(friday, 1, 5, &d));
	assert_date_equal(d, "2027-01-05");
}

static void test_resolve_month_day_leap(void **state)
{
	struct cal_date d = { 0, 0, 0 };

	(void)state;

	/* February 29 waits for the next leap year. */
	assert_true(resolve_month_day(friday, 2, 29, &d));
	assert_date_equal(d, "2028-02-29");
	assert_true(resolve_month_day(date_of(2028, 2, 29), 2, 29, &d));
	assert_date_equal(d, "2028-02-29");
	assert_true(resolve_month_day(date_of(2028, 3, 1), 2, 29, &d));
	assert_date_equal(d, "2032-02-29");

	/* 2100 is not a leap year, so from 2096-03-01 the wait is 8 years. */
	assert_true(resolve_month_day(date_of(2096, 3, 1), 2, 29, &d));
	assert_date_equal(d, "2104-02-29");
}

static void test_resolve_month_day_impossible(void **state)
{
	struct cal_date d = { 1, 2, 3 };

	(void)state;
	assert_false(resolve_month_day(friday, 4, 31, &d));
	assert_false(resolve_month_day(friday, 2, 30, &d));
	assert_false(resolve_month_day(friday, 13, 1, &d));
	assert_false(resolve_month_day(friday, 0, 1, &d));
	assert_false(resolve_month_day(friday, 6, 0, &d));
	assert_date_equal(d, "0001-02-03");
}

static void test_resolve_day_of_month(void **state)
{
	struct cal_date d = { 0, 0, 0 };

	(void)state;
	assert_true(resolve_day_of_month(friday, 4, &d));
	assert_date_equal(d, "2026-12-04");
	assert_true(resolve_day_of_month(friday, 31, &d));
	assert_date_equal(d, "2026-12-31");
	assert_true(resolve_day_of_month(friday, 3, &d));
	assert_date_equal(d, "2027-01-03");
}

static void test_resolve_day_of_month_skips(void **state)
{
	struct cal_date d = { 0, 0, 0 };

	(void)state;

	/* The 31st skips months of 30 days. */
	assert_true(resolve_day_of_month(date_of(2026, 4, 5), 31, &d));
	assert_date_equal(d, "2026-05-31");
	assert_true(resolve_day_of_month(date_of(2026, 6, 1), 31, &d));
	assert_date_equal(d, "2026-07-31");

	/* The 29th, 30th and 31st skip February. */
	assert_true(resolve_day_of_month(date_of(2027, 2, 1), 29, &d));
	assert_date_equal(d, "2027-03-29");
	assert_true(resolve_day_of_month(date_of(2028, 2, 1), 29, &d));
	assert_date_equal(d, "2028-02-29");
	assert_true(resolve_day_of_month(date_of(2027, 1, 31), 30, &d));
	assert_date_equal(d, "2027-03-30");
	assert_true(resolve_day_of_month(date_of(2026, 1, 31), 31, &d));
	assert_date_equal(d, "2026-01-31");
	assert_true(resolve_day_of_month(date_of(2026, 2, 1), 31, &d));
	assert_date_equal(d, "2026-03-31");
}

static void test_resolve_day_of_month_invalid(void **state)
{
	struct cal_date d = { 1, 2, 3 };

	(void)state;
	assert_false(resolve_day_of_month(friday, 0, &d));
	assert_false(resolve_day_of_month(friday, 32, &d));
	assert_false(resolve_day_of_month(friday, -1, &d));
	assert_date_equal(d, "0001-02-03");
}

/* A clock time as the grammar leaves it: no meridiem applied yet. */
static struct time_value clock_time(int hour, enum meridiem meridiem, int part)
{
	struct time_value t = { .kind = TIME_CLOCK, .hour = hour, .meridiem = meridiem,
				.part = part };

	return t;
}

static int resolved_hour(int hour, enum meridiem meridiem, int part, bool evening)
{
	struct time_value t = clock_time(hour, meridiem, part);

	resolve_clock(&t, evening);
	assert_true(t.fixed);
	return t.hour;
}

static void test_resolve_clock_bare_hours(void **state)
{
	/* 7-11 are morning, 12 is noon, 1-6 are afternoon. */
	static const int expected[13] = { 0, 13, 14, 15, 16, 17, 18, 7, 8, 9, 10, 11, 12 };

	(void)state;
	for (int hour = 1; hour <= 12; hour++)
		if (resolved_hour(hour, MER_NONE, PART_NONE, false) != expected[hour])
			fail_msg("bare %d resolved to %d, expected %d", hour,
				 resolved_hour(hour, MER_NONE, PART_NONE, false), expected[hour]);
}

static void test_resolve_clock_meridiem(void **state)
{
	(void)state;
	assert_int_equal(resolved_hour(12, MER_AM, PART_NONE, false), 0);
	assert_int_equal(resolved_hour(7, MER_AM, PART_NONE, false), 7);
	assert_int_equal(resolved_hour(3, MER_AM, PART_NONE, false), 3);
	assert_int_equal(resolved_hour(12, MER_PM, PART_NONE, false), 12);
	assert_int_equal(resolved_hour(3, MER_PM, PART_NONE, false), 15);
	assert_int_equal(resolved_hour(11, MER_PM, PART_NONE, false), 23);

	/* The meridiem wins over an evening word. */
	assert_int_equal(resolved_hour(7, MER_AM, PART_NONE, true), 7);
}

static void test_resolve_clock_evening_word(void **state)
{
	(void)state;
	assert_int_equal(resolved_hour(7, MER_NONE, PART_NONE, true), 19);
	assert_int_equal(resolved_hour(11, MER_NONE, PART_NONE, true), 23);
	assert_int_equal(resolved_hour(6, MER_NONE, PART_NONE, true), 18);
	assert_int_equal(resolved_hour(7, MER_NONE, PART_EVENING, false), 19);
	assert_int_equal(resolved_hour(3, MER_NONE, PART_AFTERNOON, false), 15);
}

static void test_resolve_clock_morning_part(void **state)
{
	(void)state;
	assert_int_equal(resolved_hour(7, MER_NONE, PART_MORNING, false), 7);
	assert_int_equal(resolved_hour(5, MER_NONE, PART_MORNING, false), 5);
	assert_int_equal(resolved_hour(12, MER_NONE, PART_MORNING, false), 0);
}

static void test_resolve_clock_night(void **state)
{
	(void)state;

	/* Night runs past midnight: 1 to 4 at night are early morning. */
	for (int hour = 1; hour <= 4; hour++)
		assert_int_equal(resolved_hour(hour, MER_NONE, PART_NIGHT, false), hour);
	assert_int_equal(resolved_hour(2, MER_NONE, PART_TONIGHT, false), 2);
	assert_int_equal(resolved_hour(10, MER_NONE, PART_NIGHT, false), 22);
	assert_int_equal(resolved_hour(5, MER_NONE, PART_NIGHT, false), 17);
	assert_int_equal(resolved_hour(11, MER_NONE, PART_TONIGHT, false), 23);
	assert_int_equal(resolved_hour(12, MER_NONE, PART_NIGHT, false), 0);
}

static void test_resolve_clock_24_hour(void **state)
{
	(void)state;
	assert_int_equal(resolved_hour(0, MER_NONE, PART_NONE, false), 0);
	assert_int_equal(resolved_hour(13, MER_NONE, PART_NONE, false), 13);
	assert_int_equal(resolved_hour(23, MER_NONE, PART_NONE, true), 23);
	assert_int_equal(resolved_hour(24, MER_NONE, PART_NONE, false), 0);
}

static void test_resolve_clock_leaves_fixed(void **state)
{
	struct time_value t = clock_time(3, MER_NONE, PART_NONE);
	struct time_value part = { .kind = TIME_PART, .hour = 3, .part = PART_AFTERNOON };

	(void)state;

	/* A fixed hour is final already. */
	t.fixed = true;
	resolve_clock(&t, true);
	assert_int_equal(t.hour, 3);

	/* A part of the day without a clock time is not a clock time. */
	resolve_clock(&part, true);
	assert_int_equal(part.hour, 3);
	assert_false(part.fixed);
}

static void test_resolve_part_hours(void **state)
{
	static const struct {
		int part;
		int hour;
	} cases[] = {
		{ PART_MORNING, 9 }, { PART_AFTERNOON, 15 }, { PART_EVENING, 18 },
		{ PART_NIGHT, 20 }, { PART_TONIGHT, 20 }, { PART_NOON, 12 },
		{ PART_LUNCH, 12 }, { PART_MIDNIGHT, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int hour = -1;
		int minute = -1;

		resolve_part(cases[i].part, &hour, &minute);
		assert_int_equal(hour, cases[i].hour);
		assert_int_equal(minute, 0);
	}
}

static void test_resolve_two_digit_years(void **state)
{
	(void)state;
	assert_int_equal(resolve_year(27, 2, 2026), 2027);
	assert_int_equal(resolve_year(26, 2, 2026), 2026);
	assert_int_equal(resolve_year(0, 2, 2026), 2000);
	assert_int_equal(resolve_year(99, 2, 2026), 1999);

	/* 2076 is exactly 50 years ahead and stays, but 2077 would be more. */
	assert_int_equal(resolve_year(76, 2, 2026), 2076);
	assert_int_equal(resolve_year(77, 2, 2026), 1977);

	assert_int_equal(resolve_year(5, 1, 2026), 2005);
	assert_int_equal(resolve_year(2030, 4, 2026), 2030);
	assert_int_equal(resolve_year(1999, 4, 2026), 1999);
}

static void test_resolve_explicit_date(void **state)
{
	struct date_value d;

	(void)state;
	assert_true(resolve_explicit_date(friday, 2027, 2, 3, &d));
	assert_int_equal(d.kind, DATE_DAY);
	assert_date_equal(d.day, "2027-02-03");
	assert_true(d.year_explicit);

	/* Without a year, forward from the reference day. */
	assert_true(resolve_explicit_date(friday, 0, 3, 1, &d));
	assert_date_equal(d.day, "2027-03-01");
	assert_false(d.year_explicit);

	assert_false(resolve_explicit_date(friday, 2027, 2, 29, &d));
	assert_false(resolve_explicit_date(friday, 0, 4, 31, &d));
}

static void test_resolve_numeric_date(void **state)
{
	struct date_value d;

	(void)state;

	/* Month first by default. */
	assert_true(resolve_numeric_date(friday, 12, 5, -1, 0, false, &d));
	assert_date_equal(d.day, "2026-12-05");

	/* Day first for a day-first locale. */
	assert_true(resolve_numeric_date(friday, 5, 12, -1, 0, true, &d));
	assert_date_equal(d.day, "2026-12-05");

	/* A first number above 12 cannot be a month. */
	assert_true(resolve_numeric_date(friday, 13, 5, -1, 0, false, &d));
	assert_date_equal(d.day, "2027-05-13");
	assert_true(resolve_numeric_date(friday, 31, 12, -1, 0, true, &d));
	assert_date_equal(d.day, "2026-12-31");

	/* With a two-digit year. */
	assert_true(resolve_numeric_date(friday, 5, 12, 27, 2, false, &d));
	assert_date_equal(d.day, "2027-05-12");
	assert_true(d.year_explicit);

	/* Neither reading is a date. */
	assert_false(resolve_numeric_date(friday, 2, 30, -1, 0, false, &d));
	assert_false(resolve_numeric_date(friday, 13, 13, -1, 0, false, &d));
}

static void test_resolve_date_first_day(void **state)
{
	struct date_value weekday = { .kind = DATE_WEEKDAY, .weekday = CAL_FRIDAY };
	struct date_value day = { .kind = DATE_DAY, .day = { 2027, 1, 2 } };
	struct date_value none = { .kind = DATE_NONE };

	(void)state;

	/* A weekday with no time: today counts. */
	assert_date_equal(resolve_date_first_day(&weekday, friday), "2026-12-04");
	weekday.weekday = CAL_TUESDAY;
	assert_date_equal(resolve_date_first_day(&weekday, friday), "2026-12-08");
	assert_date_equal(resolve_date_first_day(&day, friday), "2027-01-02");
	assert_date_equal(resolve_date_first_day(&none, friday), "2026-12-04");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_weekday_today_counts),
		cmocka_unit_test(test_resolve_weekday_ahead),
		cmocka_unit_test(test_resolve_next_weekday),
		cmocka_unit_test(test_resolve_last_weekday),
		cmocka_unit_test(test_resolve_month_day_forward),
		cmocka_unit_test(test_resolve_month_day_leap),
		cmocka_unit_test(test_resolve_month_day_impossible),
		cmocka_unit_test(test_resolve_day_of_month),
		cmocka_unit_test(test_resolve_day_of_month_skips),
		cmocka_unit_test(test_resolve_day_of_month_invalid),
		cmocka_unit_test(test_resolve_clock_bare_hours),
		cmocka_unit_test(test_resolve_clock_meridiem),
		cmocka_unit_test(test_resolve_clock_evening_word),
		cmocka_unit_test(test_resolve_clock_morning_part),
		cmocka_unit_test(test_resolve_clock_night),
		cmocka_unit_test(test_resolve_clock_24_hour),
		cmocka_unit_test(test_resolve_clock_leaves_fixed),
		cmocka_unit_test(test_resolve_part_hours),
		cmocka_unit_test(test_resolve_two_digit_years),
		cmocka_unit_test(test_resolve_explicit_date),
		cmocka_unit_test(test_resolve_numeric_date),
		cmocka_unit_test(test_resolve_date_first_day),
	};

	return cmocka_run_group_tests_name("resolve", tests, NULL, NULL);
}
