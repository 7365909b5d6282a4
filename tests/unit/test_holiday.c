/*
 * Holidays by name: US holidays on the nth or last weekday of a month, the
 * days tied to Easter, fixed dates, unknown names, and the words that can
 * start a holiday's name.
 *
 * Expected dates were checked against Python's calendar module and
 * dateutil.easter for 2024 to 2026.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/holiday.h"

struct holiday_case {
	const char *key;
	int year;
	const char *date;
};

static void check_cases(const struct holiday_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct cal_date d = { 0, 0, 0 };
		char text[48];

		if (!holiday_date(cases[i].key, cases[i].year, &d))
			fail_msg("\"%s\" %d not found", cases[i].key, cases[i].year);
		snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
		if (strcmp(text, cases[i].date) != 0)
			fail_msg("\"%s\" %d is %s, expected %s", cases[i].key, cases[i].year, text,
				 cases[i].date);
	}
}

#define CHECK_CASES(cases) check_cases(cases, sizeof cases / sizeof cases[0])

static void test_holiday_thanksgiving(void **state)
{
	static const struct holiday_case cases[] = {
		{ "thanksgiving", 2024, "2024-11-28" },
		{ "thanksgiving", 2025, "2025-11-27" },
		{ "thanksgiving", 2026, "2026-11-26" },
		{ "thanksgiving day", 2026, "2026-11-26" },
		{ "black friday", 2026, "2026-11-27" },
		{ "cyber monday", 2026, "2026-11-30" },
		{ "cyber monday", 2024, "2024-12-02" },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_holiday_memorial_and_labor_day(void **state)
{
	static const struct holiday_case cases[] = {
		{ "memorial day", 2024, "2024-05-27" },
		{ "memorial day", 2025, "2025-05-26" },
		{ "memorial day", 2026, "2026-05-25" },
		{ "labor day", 2024, "2024-09-02" },
		{ "labor day", 2025, "2025-09-01" },
		{ "labor day", 2026, "2026-09-07" },
		{ "labour day", 2026, "2026-09-07" },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_holiday_mothers_fathers_day(void **state)
{
	static const struct holiday_case cases[] = {
		{ "mothers day", 2024, "2024-05-12" },
		{ "mothers day", 2025, "2025-05-11" },
		{ "mothers day", 2026, "2026-05-10" },
		{ "fathers day", 2024, "2024-06-16" },
		{ "fathers day", 2025, "2025-06-15" },
		{ "fathers day", 2026, "2026-06-21" },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_holiday_other_monday_holidays(void **state)
{
	static const struct holiday_case cases[] = {
		{ "mlk day", 2026, "2026-01-19" },
		{ "martin luther king day", 2025, "2025-01-20" },
		{ "martin luther king jr day", 2024, "2024-01-15" },
		{ "presidents day", 2026, "2026-02-16" },
		{ "columbus day", 2026, "2026-10-12" },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_holiday_easter_linked(void **state)
{
	static const struct holiday_case cases[] = {
		{ "easter", 2026, "2026-04-05" },
		{ "easter sunday", 2025, "2025-04-20" },
		{ "good friday", 2026, "2026-04-03" },
		{ "good friday", 2024, "2024-03-29" },
		{ "easter monday", 2026, "2026-04-06" },
		{ "easter monday", 2024, "2024-04-01" },
		{ "maundy thursday", 2026, "2026-04-02" },
		{ "holy thursday", 2026, "2026-04-02" },
		{ "palm sunday", 2026, "2026-03-29" },
		{ "ash wednesday", 2026, "2026-02-18" },
		{ "ash wednesday", 2024, "2024-02-14" },
		{ "pentecost", 2026, "2026-05-24" },
		{ "whit sunday", 2025, "2025-06-08" },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_holiday_fixed_dates(void **state)
{
	static const struct holiday_case cases[] = {
		{ "christmas", 2026, "2026-12-25" },
		{ "christmas day", 2026, "2026-12-25" },
		{ "christmas eve", 2026, "2026-12-24" },
		{ "boxing day", 2026, "2026-12-26" },
		{ "new years day", 2027, "2027-01-01" },
		{ "new year", 2027, "2027-01-01" },
		{ "new years eve", 2026, "2026-12-31" },
		{ "valentines day", 2027, "2027-02-14" },
		{ "st patricks day", 2027, "2027-03-17" },
		{ "saint patricks day", 2027, "2027-03-17" },
		{ "groundhog day", 2027, "2027-02-02" },
		{ "earth day", 2027, "2027-04-22" },
		{ "juneteenth", 2027, "2027-06-19" },
		{ "canada day", 2027, "2027-07-01" },
		{ "independence day", 2027, "2027-07-04" },
		{ "halloween", 2026, "2026-10-31" },
		{ "veterans day", 2026, "2026-11-11" },
		{ "remembrance day", 2026, "2026-11-11" },
	};

	(void)state;
	CHECK_CASES(cases);
}

static void test_holiday_unknown_names(void **state)
{
	/* Keys are lower case, apostrophes removed, single spaces. */
	static const char *const unknown[] = {
		"festivus", "Christmas", "mother's day", "new  years eve", "christmas ", "",
		"thanks giving", "easter day",
	};

	(void)state;
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		struct cal_date d = { 1, 2, 3 };

		if (holiday_date(unknown[i], 2026, &d))
			fail_msg("\"%s\" found as a holiday", unknown[i]);
		assert_int_equal(d.year, 1);
		assert_int_equal(d.month, 2);
		assert_int_equal(d.day, 3);
	}
}

static void test_holiday_first_words(void **state)
{
	(void)state;
	assert_true(holiday_first_word("christmas"));
	assert_true(holiday_first_word("new"));
	assert_true(holiday_first_word("mothers"));
	assert_true(holiday_first_word("saint"));
	assert_true(holiday_first_word("thanksgiving"));
	assert_true(holiday_first_word("good"));

	/* Only whole words count, and words inside a name do not. */
	assert_false(holiday_first_word("chris"));
	assert_false(holiday_first_word("day"));
	assert_false(holiday_first_word("friday"));
	assert_false(holiday_first_word("monday"));
	assert_false(holiday_first_word(""));
	assert_false(holiday_first_word("lunch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holiday_thanksgiving),
		cmocka_unit_test(test_holiday_memorial_and_labor_day),
		cmocka_unit_test(test_holiday_mothers_fathers_day),
		cmocka_unit_test(test_holiday_other_monday_holidays),
		cmocka_unit_test(test_holiday_easter_linked),
		cmocka_unit_test(test_holiday_fixed_dates),
		cmocka_unit_test(test_holiday_unknown_names),
		cmocka_unit_test(test_holiday_first_words),
	};

	return cmocka_run_group_tests_name("holiday", tests, NULL, NULL);
}
