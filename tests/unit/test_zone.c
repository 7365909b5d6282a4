/*
 * Zone names and offsets: US, EU, south-eastern Australian and New Zealand
 * daylight-saving rules on the days they switch, fixed abbreviations, place
 * names, case-insensitive and length-bounded lookups.
 *
 * The switch days and offsets were checked against the IANA database
 * (Python zoneinfo): America/New_York, Europe/Berlin, Europe/London,
 * Australia/Sydney and Pacific/Auckland in 2025 and 2026. Times inside the
 * hour a switch skips or repeats are left out because the zone rules give
 * them no single offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/zone.h"

static const struct zone_info *lookup(const char *name)
{
	return zone_lookup(name, strlen(name));
}

/* The offset of a named zone at a wall-clock time. Fails the test when the
 * name is unknown. */
static int offset_at(const char *name, int year, int month, int day, int hour, int minute)
{
	const struct zone_info *zone = lookup(name);
	struct cal_datetime t = { { year, month, day }, hour, minute, 0 };

	if (!zone)
		fail_msg("zone \"%s\" not found", name);
	return zone_offset_at(zone, t);
}

static void test_zone_et_summer_and_winter(void **state)
{
	(void)state;
	assert_int_equal(offset_at("ET", 2026, 7, 14, 12, 0), -240);
	assert_int_equal(offset_at("ET", 2026, 1, 14, 12, 0), -300);
	assert_int_equal(offset_at("PT", 2026, 7, 14, 12, 0), -420);
	assert_int_equal(offset_at("PT", 2026, 1, 14, 12, 0), -480);
	assert_int_equal(offset_at("CT", 2026, 7, 14, 12, 0), -300);
	assert_int_equal(offset_at("MT", 2026, 1, 14, 12, 0), -420);
}

static void test_zone_us_switch_2026(void **state)
{
	(void)state;

	/* Second Sunday of March: 02:00 EST becomes 03:00 EDT. */
	assert_int_equal(offset_at("et", 2026, 3, 7, 12, 0), -300);
	assert_int_equal(offset_at("et", 2026, 3, 8, 1, 59), -300);
	assert_int_equal(offset_at("et", 2026, 3, 8, 3, 0), -240);

	/* First Sunday of November: 02:00 EDT becomes 01:00 EST. */
	assert_int_equal(offset_at("et", 2026, 10, 31, 23, 0), -240);
	assert_int_equal(offset_at("et", 2026, 11, 1, 0, 59), -240);
	assert_int_equal(offset_at("et", 2026, 11, 1, 2, 0), -300);
	assert_int_equal(offset_at("et", 2026, 11, 2, 12, 0), -300);
}

static void test_zone_us_switch_2025(void **state)
{
	(void)state;
	assert_int_equal(offset_at("new york", 2025, 3, 9, 1, 59), -300);
	assert_int_equal(offset_at("new york", 2025, 3, 9, 3, 0), -240);
	assert_int_equal(offset_at("new york", 2025, 11, 2, 0, 59), -240);
	assert_int_equal(offset_at("new york", 2025, 11, 2, 2, 0), -300);
}

static void test_zone_eu_switch_berlin(void **state)
{
	(void)state;

	/* Last Sunday of March at 01:00 UTC: 02:00 CET becomes 03:00 CEST. */
	assert_int_equal(offset_at("berlin", 2026, 3, 28, 12, 0), 60);
	assert_int_equal(offset_at("berlin", 2026, 3, 29, 1, 59), 60);
	assert_int_equal(offset_at("berlin", 2026, 3, 29, 3, 0), 120);

	/* Last Sunday of October at 01:00 UTC: 03:00 CEST becomes 02:00 CET. */
	assert_int_equal(offset_at("berlin", 2026, 10, 25, 1, 59), 120);
	assert_int_equal(offset_at("berlin", 2026, 10, 25, 3, 0), 60);

	assert_int_equal(offset_at("berlin", 2025, 3, 30, 1, 59), 60);
	assert_int_equal(offset_at("berlin", 2025, 3, 30, 3, 0), 120);
	assert_int_equal(offset_at("berlin", 2025, 10, 26, 1, 59), 120);
	assert_int_equal(offset_at("berlin", 2025, 10, 26, 3, 0), 60);

	/* Athens is an hour further east, so the same instant is 03:00 EET
	 * becoming 04:00 EEST. */
	assert_int_equal(offset_at("athens", 2026, 3, 29, 2, 59), 120);
	assert_int_equal(offset_at("athens", 2026, 3, 29, 4, 0), 180);
	assert_int_equal(offset_at("athens", 2026, 10, 25, 2, 59), 180);
	assert_int_equal(offset_at("athens", 2026, 10, 25, 4, 0), 120);
}

static void test_zone_eu_switch_london(void **state)
{
	(void)state;

	/* London switches at the same instant, 01:00 UTC, an hour earlier on
	 * its own clock than Berlin. */
	assert_int_equal(offset_at("london", 2026, 3, 29, 0, 59), 0);
	assert_int_equal(offset_at("london", 2026, 3, 29, 2, 0), 60);
	assert_int_equal(offset_at("london", 2026, 10, 25, 0, 59), 60);
	assert_int_equal(offset_at("london", 2026, 10, 25, 2, 0), 0);
	assert_int_equal(offset_at("london", 2026, 7, 1, 12, 0), 60);
	assert_int_equal(offset_at("london", 2026, 1, 1, 12, 0), 0);
}

static void test_zone_aest_fixed(void **state)
{
	(void)state;
	assert_int_equal(offset_at("AEST", 2026, 7, 14, 12, 0), 600);
	assert_int_equal(offset_at("AEST", 2026, 1, 14, 12, 0), 600);
	assert_int_equal(offset_at("aedt", 2026, 7, 14, 12, 0), 660);
	assert_int_equal(offset_at("brisbane", 2026, 1, 14, 12, 0), 600);
}

static void test_zone_sydney_rule(void **state)
{
	(void)state;
	assert_int_equal(offset_at("sydney", 2026, 7, 14, 12, 0), 600);
	assert_int_equal(offset_at("sydney", 2026, 1, 14, 12, 0), 660);

	/* First Sunday of April: 03:00 AEDT becomes 02:00 AEST. */
	assert_int_equal(offset_at("sydney", 2026, 4, 5, 1, 59), 660);
	assert_int_equal(offset_at("sydney", 2026, 4, 5, 3, 0), 600);

	/* First Sunday of October: 02:00 AEST becomes 03:00 AEDT. */
	assert_int_equal(offset_at("sydney", 2026, 10, 4, 1, 59), 600);
	assert_int_equal(offset_at("sydney", 2026, 10, 4, 3, 0), 660);

	assert_int_equal(offset_at("melbourne", 2025, 4, 6, 3, 0), 600);
	assert_int_equal(offset_at("melbourne", 2025, 10, 5, 3, 0), 660);
}

static void test_zone_new_zealand_rule(void **state)
{
	(void)state;
	assert_int_equal(offset_at("auckland", 2026, 7, 14, 12, 0), 720);
	assert_int_equal(offset_at("auckland", 2026, 1, 14, 12, 0), 780);

	/* First Sunday of April: 03:00 NZDT becomes 02:00 NZST. */
	assert_int_equal(offset_at("auckland", 2026, 4, 5, 1, 59), 780);
	assert_int_equal(offset_at("auckland", 2026, 4, 5, 3, 0), 720);

	/* Last Sunday of September: 02:00 NZST becomes 03:00 NZDT. */
	assert_int_equal(offset_at("auckland", 2026, 9, 27, 1, 59), 720);
	assert_int_equal(offset_at("auckland", 2026, 9, 27, 3, 0), 780);
	assert_int_equal(offset_at("auckland", 2025, 9, 28, 3, 0), 780);

	assert_int_equal(offset_at("nzst", 2026, 1, 14, 12, 0), 720);
	assert_int_equal(offset_at("nzdt", 2026, 7, 14, 12, 0), 780);
}

static void test_zone_fixed_abbreviations(void **state)
{
	(void)state;

	/* A seasonal abbreviation keeps its offset all year. */
	assert_int_equal(offset_at("EST", 2026, 7, 14, 12, 0), -300);
	assert_int_equal(offset_at("EDT", 2026, 1, 14, 12, 0), -240);
	assert_int_equal(offset_at("CEST", 2026, 1, 14, 12, 0), 120);
	assert_int_equal(offset_at("UTC", 2026, 7, 14, 12, 0), 0);
	assert_int_equal(offset_at("JST", 2026, 7, 14, 12, 0), 540);
	assert_int_equal(offset_at("IST", 2026, 7, 14, 12, 0), 330);
	assert_int_equal(offset_at("CST", 2026, 1, 14, 12, 0), -360);
}

static void test_zone_place_names(void **state)
{
	const struct zone_info *ny = lookup("new york");
	const struct zone_info *berlin = lookup("berlin");
	const struct zone_info *est = lookup("est");

	(void)state;
	assert_non_null(ny);
	assert_string_equal(ny->name, "new york");
	assert_int_equal(ny->standard_offset_min, -300);
	assert_int_equal(ny->rule, ZONE_DST_US);
	assert_true(ny->needs_time_word);

	assert_non_null(berlin);
	assert_string_equal(berlin->name, "berlin");
	assert_int_equal(berlin->standard_offset_min, 60);
	assert_int_equal(berlin->rule, ZONE_DST_EU);
	assert_true(berlin->needs_time_word);

	assert_non_null(est);
	assert_false(est->needs_time_word);
	assert_int_equal(est->rule, ZONE_DST_NONE);
	assert_int_equal(offset_at("new york", 2026, 7, 14, 12, 0), -240);
	assert_int_equal(offset_at("berlin", 2026, 7, 14, 12, 0), 120);
}

static void test_zone_case_insensitive(void **state)
{
	const struct zone_info *ny = lookup("new york");

	(void)state;
	assert_ptr_equal(lookup("New York"), ny);
	assert_ptr_equal(lookup("NEW YORK"), ny);
	assert_ptr_equal(lookup("Berlin"), lookup("berlin"));
	assert_ptr_equal(lookup("Est"), lookup("est"));
	assert_ptr_equal(lookup("pT"), lookup("pt"));
}

static void test_zone_length_bounded(void **state)
{
	(void)state;

	/* Only the first len bytes are the name, as in a token of a longer
	 * text. */
	assert_ptr_equal(zone_lookup("new yorkers", 8), lookup("new york"));
	assert_ptr_equal(zone_lookup("ETA", 2), lookup("et"));
	assert_null(zone_lookup("new yorkers", 11));
	assert_null(zone_lookup("berlin", 3));
}

static void test_zone_unknown_names(void **state)
{
	(void)state;
	assert_null(lookup("xyz"));
	assert_null(lookup("new"));
	assert_null(lookup("york"));
	assert_null(lookup("berlinx"));
	assert_null(lookup("america/new_york"));
	assert_null(lookup("newyork"));
	assert_null(lookup(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_et_summer_and_winter),
		cmocka_unit_test(test_zone_us_switch_2026),
		cmocka_unit_test(test_zone_us_switch_2025),
		cmocka_unit_test(test_zone_eu_switch_berlin),
		cmocka_unit_test(test_zone_eu_switch_london),
		cmocka_unit_test(test_zone_aest_fixed),
		cmocka_unit_test(test_zone_sydney_rule),
		cmocka_unit_test(test_zone_new_zealand_rule),
		cmocka_unit_test(test_zone_fixed_abbreviations),
		cmocka_unit_test(test_zone_place_names),
		cmocka_unit_test(test_zone_case_insensitive),
		cmocka_unit_test(test_zone_length_bounded),
		cmocka_unit_test(test_zone_unknown_names),
	};

	return cmocka_run_group_tests_name("zone", tests, NULL, NULL);
}
