/*
 * Civil-date arithmetic: the day-count round trip over every day from 1600
 * to 2400, weekdays, leap years, month arithmetic with clamping, the nth
 * weekday of a month, Easter, ISO weeks, and date-time arithmetic across
 * month and year ends.
 *
 * Expected dates were checked against Python's datetime and dateutil.easter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "engine/calendar.h"

static struct cal_date date_of(int year, int month, int day)
{
	struct cal_date d = { year, month, day };

	return d;
}

static struct cal_datetime datetime_of(int year, int month, int day, int hour, int minute,
				       int second)
{
	struct cal_datetime t = { { year, month, day }, hour, minute, second };

	return t;
}

/* Dates and times are compared as text so a failure prints both values. */
#define assert_date_equal(actual, expected)                                        \
	do {                                                                       \
		struct cal_date d_ = (actual);                                     \
		char text_[48];                                                    \
		snprintf(text_, sizeof text_, "%04d-%02d-%02d", d_.year, d_.month, \
			 d_.day);                                                  \
		assert_string_equal(text_, expected);                              \
	} while (0)

#define assert_datetime_equal(actual, expected)                                   \
	do {                                                                      \
		struct cal_datetime t_ = (actual);                                \
		char text_[64];                                                   \
		snprintf(text_, sizeof text_, "%04d-%02d-%02dT%02d:%02d:%02d",    \
			 t_.date.year, t_.date.month, t_.date.day, t_.hour,        \
			 t_.minute, t_.second);                                   \
		assert_string_equal(text_, expected);                             \
	} while (0)

static void test_calendar_round_trip_1600_2400(void **state)
{
	/* 1600-01-01 is 135140 days before 1970-01-01, and a Saturday. */
	int64_t expected_days = -135140;
	int expected_weekday = CAL_SATURDAY;

	(void)state;
	for (int year = 1600; year <= 2400; year++) {
		for (int month = 1; month <= 12; month++) {
			int last = cal_days_in_month(year, month);

			for (int day = 1; day <= last; day++) {
				struct cal_date d = date_of(year, month, day);
				int64_t days = cal_days_from_civil(d);
				struct cal_date back = cal_civil_from_days(expected_days);

				if (days != expected_days)
					fail_msg("%04d-%02d-%02d: day number %lld, expected %lld",
						 year, month, day, (long long)days,
						 (long long)expected_days);
				if (cal_date_cmp(back, d) != 0)
					fail_msg("day %lld: got %04d-%02d-%02d, expected "
						 "%04d-%02d-%02d", (long long)expected_days,
						 back.year, back.month, back.day, year, month, day);
				if (cal_weekday(d) != expected_weekday)
					fail_msg("%04d-%02d-%02d: weekday %d, expected %d", year,
						 month, day, cal_weekday(d), expected_weekday);
				expected_days++;
				expected_weekday = (expected_weekday + 1) % 7;
			}
		}
	}

	/* 2400-12-31 is day 157419, so the loop counted every day once. */
	assert_int_equal(expected_days, 157420);
}

static void test_calendar_epoch_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(cal_days_from_civil(date_of(1970, 1, 1)), 0);
	assert_int_equal(cal_days_from_civil(date_of(1969, 12, 31)), -1);
	assert_int_equal(cal_days_from_civil(date_of(2000, 3, 1)), 11017);
	assert_date_equal(cal_civil_from_days(0), "1970-01-01");
	assert_date_equal(cal_civil_from_days(-1), "1969-12-31");
	assert_date_equal(cal_civil_from_days(11016), "2000-02-29");
}

static void test_calendar_known_weekdays(void **state)
{
	(void)state;
	assert_int_equal(cal_weekday(date_of(1970, 1, 1)), CAL_THURSDAY);
	assert_int_equal(cal_weekday(date_of(1900, 1, 1)), CAL_MONDAY);
	assert_int_equal(cal_weekday(date_of(2000, 1, 1)), CAL_SATURDAY);
	assert_int_equal(cal_weekday(date_of(2024, 2, 29)), CAL_THURSDAY);
	assert_int_equal(cal_weekday(date_of(2026, 12, 4)), CAL_FRIDAY);
	assert_int_equal(cal_weekday(date_of(2026, 12, 6)), CAL_SUNDAY);
	assert_int_equal(cal_weekday(date_of(1600, 1, 1)), CAL_SATURDAY);
	assert_int_equal(cal_weekday(date_of(2400, 12, 31)), CAL_SUNDAY);
}

static void test_calendar_leap_years(void **state)
{
	(void)state;
	assert_false(cal_is_leap(1900));
	assert_true(cal_is_leap(2000));
	assert_true(cal_is_leap(2024));
	assert_false(cal_is_leap(2100));
	assert_false(cal_is_leap(2023));
	assert_true(cal_is_leap(1600));

	assert_int_equal(cal_days_in_month(1900, 2), 28);
	assert_int_equal(cal_days_in_month(2000, 2), 29);
	assert_int_equal(cal_days_in_month(2024, 2), 29);
	assert_int_equal(cal_days_in_month(2100, 2), 28);
	assert_int_equal(cal_days_in_month(2025, 4), 30);
	assert_int_equal(cal_days_in_month(2025, 12), 31);
	assert_int_equal(cal_days_in_month(2025, 0), 0);
	assert_int_equal(cal_days_in_month(2025, 13), 0);
}

static void test_calendar_date_valid(void **state)
{
	(void)state;
	assert_true(cal_date_valid(date_of(2000, 2, 29)));
	assert_false(cal_date_valid(date_of(1900, 2, 29)));
	assert_false(cal_date_valid(date_of(2100, 2, 29)));
	assert_false(cal_date_valid(date_of(2026, 4, 31)));
	assert_false(cal_date_valid(date_of(2026, 1, 0)));
	assert_false(cal_date_valid(date_of(2026, 1, 32)));
	assert_false(cal_date_valid(date_of(2026, 0, 1)));
	assert_false(cal_date_valid(date_of(2026, 13, 1)));
	assert_true(cal_date_valid(date_of(1, 1, 1)));
	assert_false(cal_date_valid(date_of(0, 12, 31)));
	assert_true(cal_date_valid(date_of(9999, 12, 31)));
	assert_false(cal_date_valid(date_of(10000, 1, 1)));
}

static void test_calendar_add_days(void **state)
{
	(void)state;
	assert_date_equal(cal_add_days(date_of(2025, 12, 31), 1), "2026-01-01");
	assert_date_equal(cal_add_days(date_of(2026, 1, 1), -1), "2025-12-31");
	assert_date_equal(cal_add_days(date_of(2024, 2, 28), 1), "2024-02-29");
	assert_date_equal(cal_add_days(date_of(2025, 2, 28), 1), "2025-03-01");
	assert_date_equal(cal_add_days(date_of(2026, 3, 1), -1), "2026-02-28");
	assert_date_equal(cal_add_days(date_of(2024, 1, 1), 366), "2025-01-01");
	assert_date_equal(cal_add_days(date_of(2026, 12, 4), 0), "2026-12-04");
}

static void test_calendar_add_months_clamps(void **state)
{
	(void)state;
	assert_date_equal(cal_add_months(date_of(2025, 1, 31), 1), "2025-02-28");
	assert_date_equal(cal_add_months(date_of(2024, 1, 31), 1), "2024-02-29");
	assert_date_equal(cal_add_months(date_of(2024, 3, 31), -1), "2024-02-29");
	assert_date_equal(cal_add_months(date_of(2025, 10, 31), 1), "2025-11-30");
	assert_date_equal(cal_add_months(date_of(2024, 2, 29), 12), "2025-02-28");
	assert_date_equal(cal_add_months(date_of(2024, 2, 29), 48), "2028-02-29");
	assert_date_equal(cal_add_months(date_of(2024, 1, 31), 3), "2024-04-30");
}

static void test_calendar_add_months_year_ends(void **state)
{
	(void)state;
	assert_date_equal(cal_add_months(date_of(2025, 12, 15), 1), "2026-01-15");
	assert_date_equal(cal_add_months(date_of(2026, 1, 15), -1), "2025-12-15");
	assert_date_equal(cal_add_months(date_of(2026, 1, 15), -13), "2024-12-15");
	assert_date_equal(cal_add_months(date_of(2026, 1, 15), 25), "2028-02-15");
	assert_date_equal(cal_add_months(date_of(2026, 6, 10), 0), "2026-06-10");
	assert_date_equal(cal_add_months(date_of(2026, 6, 10), -120), "2016-06-10");
}

static void test_calendar_date_cmp(void **state)
{
	(void)state;
	assert_true(cal_date_cmp(date_of(2026, 1, 1), date_of(2025, 12, 31)) > 0);
	assert_true(cal_date_cmp(date_of(2025, 12, 31), date_of(2026, 1, 1)) < 0);
	assert_true(cal_date_cmp(date_of(2026, 3, 1), date_of(2026, 2, 28)) > 0);
	assert_true(cal_date_cmp(date_of(2026, 3, 1), date_of(2026, 3, 2)) < 0);
	assert_int_equal(cal_date_cmp(date_of(2026, 3, 1), date_of(2026, 3, 1)), 0);
}

static void test_calendar_nth_weekday(void **state)
{
	struct cal_date d = { 0, 0, 0 };

	(void)state;

	/* US Thanksgiving 2026: the fourth Thursday of November. */
	assert_true(cal_nth_weekday(2026, 11, CAL_THURSDAY, 4, &d));
	assert_date_equal(d, "2026-11-26");

	/* The first Monday when the month starts on a Sunday. */
	assert_true(cal_nth_weekday(2026, 3, CAL_MONDAY, 1, &d));
	assert_date_equal(d, "2026-03-02");

	/* The first Sunday when the month starts on that weekday. */
	assert_true(cal_nth_weekday(2026, 3, CAL_SUNDAY, 1, &d));
	assert_date_equal(d, "2026-03-01");

	/* March 2026 has five Mondays, so the fifth is its last. */
	assert_true(cal_nth_weekday(2026, 3, CAL_MONDAY, 5, &d));
	assert_date_equal(d, "2026-03-30");
}

static void test_calendar_nth_weekday_last(void **state)
{
	struct cal_date d = { 0, 0, 0 };

	(void)state;
	assert_true(cal_nth_weekday(2026, 5, CAL_MONDAY, -1, &d));
	assert_date_equal(d, "2026-05-25");

	/* 2024-02-29 was a Thursday, so the leap day is the last Thursday. */
	assert_true(cal_nth_weekday(2024, 2, CAL_THURSDAY, -1, &d));
	assert_date_equal(d, "2024-02-29");

	assert_true(cal_nth_weekday(2024, 2, CAL_SUNDAY, -1, &d));
	assert_date_equal(d, "2024-02-25");

	/* The last day of the month is itself the requested weekday. */
	assert_true(cal_nth_weekday(2026, 10, CAL_SATURDAY, -1, &d));
	assert_date_equal(d, "2026-10-31");
}

static void test_calendar_nth_weekday_missing(void **state)
{
	struct cal_date d = { 1, 2, 3 };

	(void)state;

	/* February 2026 starts on a Sunday and has only four Mondays. */
	assert_false(cal_nth_weekday(2026, 2, CAL_MONDAY, 5, &d));
	assert_date_equal(d, "0001-02-03");

	assert_false(cal_nth_weekday(2026, 2, CAL_MONDAY, 0, &d));
	assert_false(cal_nth_weekday(2026, 2, CAL_MONDAY, 6, &d));
	assert_false(cal_nth_weekday(2026, 2, CAL_MONDAY, -2, &d));
	assert_false(cal_nth_weekday(2026, 2, 7, 1, &d));
	assert_false(cal_nth_weekday(2026, 2, -1, 1, &d));
	assert_false(cal_nth_weekday(2026, 0, CAL_MONDAY, 1, &d));
	assert_false(cal_nth_weekday(2026, 13, CAL_MONDAY, 1, &d));
	assert_date_equal(d, "0001-02-03");
}

static void test_calendar_easter_known_years(void **state)
{
	(void)state;
	assert_date_equal(cal_easter(2024), "2024-03-31");
	assert_date_equal(cal_easter(2025), "2025-04-20");
	assert_date_equal(cal_easter(2026), "2026-04-05");
	assert_date_equal(cal_easter(2027), "2027-03-28");
	assert_date_equal(cal_easter(2038), "2038-04-25");
	assert_date_equal(cal_easter(2000), "2000-04-23");
	assert_date_equal(cal_easter(2019), "2019-04-21");

	/* The earliest (March 22) and latest (April 25) possible dates. */
	assert_date_equal(cal_easter(1818), "1818-03-22");
	assert_date_equal(cal_easter(2285), "2285-03-22");
	assert_date_equal(cal_easter(1943), "1943-04-25");
}

static void test_calendar_easter_is_sunday(void **state)
{
	(void)state;
	for (int year = 1600; year <= 2400; year++) {
		struct cal_date e = cal_easter(year);

		if (cal_weekday(e) != CAL_SUNDAY)
			fail_msg("Easter %04d-%02d-%02d is not a Sunday", e.year, e.month, e.day);
		if (cal_date_cmp(e, date_of(year, 3, 22)) < 0 ||
		    cal_date_cmp(e, date_of(year, 4, 25)) > 0)
			fail_msg("Easter %04d-%02d-%02d is outside March 22 to April 25", e.year,
				 e.month, e.day);
	}
}

static void test_calendar_week_monday(void **state)
{
	(void)state;
	assert_date_equal(cal_week_monday(date_of(2026, 12, 6)), "2026-11-30");
	assert_date_equal(cal_week_monday(date_of(2026, 11, 30)), "2026-11-30");
	assert_date_equal(cal_week_monday(date_of(2026, 12, 4)), "2026-11-30");
	assert_date_equal(cal_week_monday(date_of(2026, 1, 1)), "2025-12-29");
}

static void test_calendar_iso_week_monday(void **state)
{
	(void)state;
	assert_date_equal(cal_iso_week_monday(2019, 1), "2018-12-31");
	assert_date_equal(cal_iso_week_monday(2018, 31), "2018-07-30");
	assert_date_equal(cal_iso_week_monday(2020, 53), "2020-12-28");
	assert_date_equal(cal_iso_week_monday(2026, 1), "2025-12-29");
	assert_date_equal(cal_iso_week_monday(2021, 1), "2021-01-04");
	assert_date_equal(cal_iso_week_monday(2015, 53), "2015-12-28");
}

static void test_calendar_datetime_seconds(void **state)
{
	(void)state;
	assert_int_equal(cal_datetime_seconds(datetime_of(1970, 1, 1, 0, 0, 0)), 0);
	assert_int_equal(cal_datetime_seconds(datetime_of(1970, 1, 2, 1, 2, 3)), 90123);
	assert_int_equal(cal_datetime_seconds(datetime_of(1969, 12, 31, 23, 59, 59)), -1);
	assert_datetime_equal(cal_datetime_from_seconds(-1), "1969-12-31T23:59:59");
	assert_datetime_equal(cal_datetime_from_seconds(-86400), "1969-12-31T00:00:00");
	assert_datetime_equal(cal_datetime_from_seconds(-86401), "1969-12-30T23:59:59");
	assert_datetime_equal(cal_datetime_from_seconds(90123), "1970-01-02T01:02:03");
}

static void test_calendar_add_minutes_month_end(void **state)
{
	(void)state;
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2026, 1, 31, 23, 30, 0), 45),
			      "2026-02-01T00:15:00");
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2026, 2, 28, 23, 0, 0), 60),
			      "2026-03-01T00:00:00");
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2024, 2, 28, 23, 0, 0), 60),
			      "2024-02-29T00:00:00");
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2026, 5, 1, 0, 10, 0), -20),
			      "2026-04-30T23:50:00");
}

static void test_calendar_add_minutes_year_end(void **state)
{
	(void)state;
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2025, 12, 31, 23, 59, 30), 1),
			      "2026-01-01T00:00:30");
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2026, 1, 1, 0, 0, 0), -1),
			      "2025-12-31T23:59:00");
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(2024, 1, 1, 12, 0, 0),
						       366 * 1440), "2025-01-01T12:00:00");
	assert_datetime_equal(cal_datetime_add_minutes(datetime_of(1970, 1, 1, 0, 0, 0), -1),
			      "1969-12-31T23:59:00");
}

static void test_calendar_datetime_cmp(void **state)
{
	struct cal_datetime a = datetime_of(2025, 12, 31, 23, 59, 59);
	struct cal_datetime b = datetime_of(2026, 1, 1, 0, 0, 0);

	(void)state;
	assert_int_equal(cal_datetime_cmp(a, b), -1);
	assert_int_equal(cal_datetime_cmp(b, a), 1);
	assert_int_equal(cal_datetime_cmp(a, a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_round_trip_1600_2400),
		cmocka_unit_test(test_calendar_epoch_day_numbers),
		cmocka_unit_test(test_calendar_known_weekdays),
		cmocka_unit_test(test_calendar_leap_years),
		cmocka_unit_test(test_calendar_date_valid),
		cmocka_unit_test(test_calendar_add_days),
		cmocka_unit_test(test_calendar_add_months_clamps),
		cmocka_unit_test(test_calendar_add_months_year_ends),
		cmocka_unit_test(test_calendar_date_cmp),
		cmocka_unit_test(test_calendar_nth_weekday),
		cmocka_unit_test(test_calendar_nth_weekday_last),
		cmocka_unit_test(test_calendar_nth_weekday_missing),
		cmocka_unit_test(test_calendar_easter_known_years),
		cmocka_unit_test(test_calendar_easter_is_sunday),
		cmocka_unit_test(test_calendar_week_monday),
		cmocka_unit_test(test_calendar_iso_week_monday),
		cmocka_unit_test(test_calendar_datetime_seconds),
		cmocka_unit_test(test_calendar_add_minutes_month_end),
		cmocka_unit_test(test_calendar_add_minutes_year_end),
		cmocka_unit_test(test_calendar_datetime_cmp),
	};

	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
