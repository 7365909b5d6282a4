/*
 * The event model: the corpus form of a start or end (when_format and
 * when_parse) with round trips and rejected inputs, text copies cut on a
 * UTF-8 boundary, attendees, field and tier names, and the text form of
 * every field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/event.h"

/* Parses s, formats it again and checks that the text is unchanged. */
#define assert_when_round_trip(s)                                           \
	do {                                                                \
		struct when w_;                                             \
		char buf_[64];                                              \
		assert_true(when_parse(s, &w_));                            \
		assert_int_equal(when_format(&w_, buf_, sizeof buf_), strlen(s)); \
		assert_string_equal(buf_, s);                               \
	} while (0)

static void test_when_parse_date(void **state)
{
	struct when w;

	(void)state;
	assert_true(when_parse("2026-12-05", &w));
	assert_int_equal(w.t.date.year, 2026);
	assert_int_equal(w.t.date.month, 12);
	assert_int_equal(w.t.date.day, 5);
	assert_int_equal(w.precision, WHEN_DATE);
	assert_false(w.has_offset);
	assert_int_equal(w.t.hour, 0);
	assert_int_equal(w.t.minute, 0);
}

static void test_when_parse_minute(void **state)
{
	struct when w;

	(void)state;
	assert_true(when_parse("2026-12-05T09:07", &w));
	assert_int_equal(w.t.date.day, 5);
	assert_int_equal(w.t.hour, 9);
	assert_int_equal(w.t.minute, 7);
	assert_int_equal(w.t.second, 0);
	assert_int_equal(w.precision, WHEN_MINUTE);
	assert_false(w.has_offset);
}

static void test_when_parse_second(void **state)
{
	struct when w;

	(void)state;
	assert_true(when_parse("2026-12-05T23:59:58", &w));
	assert_int_equal(w.t.hour, 23);
	assert_int_equal(w.t.minute, 59);
	assert_int_equal(w.t.second, 58);
	assert_int_equal(w.precision, WHEN_SECOND);
}

static void test_when_parse_offsets(void **state)
{
	struct when w;

	(void)state;
	assert_true(when_parse("2026-12-05T09:00+02:00", &w));
	assert_true(w.has_offset);
	assert_int_equal(w.offset_min, 120);

	assert_true(when_parse("2026-07-14T15:00-04:00", &w));
	assert_true(w.has_offset);
	assert_int_equal(w.offset_min, -240);

	assert_true(when_parse("2026-07-14T15:00:30+05:30", &w));
	assert_int_equal(w.precision, WHEN_SECOND);
	assert_int_equal(w.offset_min, 330);

	assert_true(when_parse("2026-07-14T15:00-03:30", &w));
	assert_int_equal(w.offset_min, -210);

	assert_true(when_parse("2026-07-14T15:00+14:00", &w));
	assert_int_equal(w.offset_min, 840);

	/* "Z" is UTC, an offset of zero. */
	assert_true(when_parse("2026-07-14T15:00Z", &w));
	assert_true(w.has_offset);
	assert_int_equal(w.offset_min, 0);
}

static void test_when_round_trips(void **state)
{
	(void)state;
	assert_when_round_trip("2026-12-05");
	assert_when_round_trip("2024-02-29");
	assert_when_round_trip("2026-12-05T09:00");
	assert_when_round_trip("2026-12-05T00:00");
	assert_when_round_trip("2026-12-05T23:59:59");
	assert_when_round_trip("2026-12-05T09:00+02:00");
	assert_when_round_trip("2026-07-14T15:00-04:00");
	assert_when_round_trip("2026-07-14T15:00:30+05:30");
	assert_when_round_trip("2026-07-14T15:00-03:30");
	assert_when_round_trip("2026-07-14T15:00+00:00");
	assert_when_round_trip("0001-01-01");
	assert_when_round_trip("9999-12-31T23:59");
}

static void test_when_parse_rejects_invalid(void **state)
{
	static const char *const invalid[] = {
		"2026-02-30",              /* no such day */
		"2025-02-29",              /* not a leap year */
		"2026-04-31",
		"2026-13-01",
		"2026-00-10",
		"2026-12-00",
		"0000-01-01",              /* year 0 is outside the calendar */
		"2026-12-05T24:00",
		"2026-12-05T23:60",
		"2026-12-05T23:59:60",
		"2026-1-05",               /* missing zero padding */
		"2026-12-5",
		"2026-12-05T9:00",
		"2026-12-05T09:0",
		"2026-12-05T09:00:5",
		"26-12-05",
		"2026/12/05",
		"2026-12-05 09:00",
		"2026-12-05T",
		"2026-12-05T09",
		"2026-12-05T09:00:",
		"2026-12-05T09:00+2:00",
		"2026-12-05T09:00+02",
		"2026-12-05T09:00+0200",
		"2026-12-05T09:00+15:00",  /* beyond the largest offset in use */
		"2026-12-05T09:00+02:60",
		"2026-12-05+02:00",        /* a date carries no offset */
		"2026-12-05x",
		"2026-12-05T09:00 ",
		" 2026-12-05",
		"",
		"2026",
	};

	(void)state;
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		struct when w;

		memset(&w, 0x5A, sizeof w);
		if (when_parse(invalid[i], &w))
			fail_msg("when_parse accepted \"%s\"", invalid[i]);
	}
}

static void test_when_parse_failure_keeps_output(void **state)
{
	struct when w;
	struct when before;

	(void)state;
	assert_true(when_parse("2026-12-05T09:00", &w));
	before = w;
	assert_false(when_parse("2026-02-30T09:00", &w));
	assert_memory_equal(&w, &before, sizeof w);
}

static void test_when_format_forms(void **state)
{
	struct when w;
	char buf[64];

	(void)state;
	memset(&w, 0, sizeof w);
	w.t = (struct cal_datetime){ { 2026, 3, 7 }, 8, 5, 9 };

	w.precision = WHEN_DATE;
	assert_int_equal(when_format(&w, buf, sizeof buf), 10);
	assert_string_equal(buf, "2026-03-07");

	w.precision = WHEN_MINUTE;
	assert_int_equal(when_format(&w, buf, sizeof buf), 16);
	assert_string_equal(buf, "2026-03-07T08:05");

	w.precision = WHEN_SECOND;
	assert_int_equal(when_format(&w, buf, sizeof buf), 19);
	assert_string_equal(buf, "2026-03-07T08:05:09");

	w.has_offset = true;
	w.offset_min = -90;
	assert_int_equal(when_format(&w, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-03-07T08:05:09-01:30");

	/* An all-day date never carries an offset. */
	w.precision = WHEN_DATE;
	assert_int_equal(when_format(&w, buf, sizeof buf), 10);
	assert_string_equal(buf, "2026-03-07");
}

static void test_when_format_small_buffer(void **state)
{
	struct when w;
	char buf[17];

	(void)state;
	memset(&w, 0, sizeof w);
	w.t = (struct cal_datetime){ { 2026, 3, 7 }, 8, 5, 0 };
	w.precision = WHEN_MINUTE;
	w.has_offset = true;
	w.offset_min = 60;

	/* Room for the time but not the offset: the text is cut and
	 * terminated, and the returned length matches the buffer. */
	assert_int_equal(when_format(&w, buf, sizeof buf), 16);
	assert_string_equal(buf, "2026-03-07T08:05");

	assert_int_equal(when_format(&w, buf, 5), 4);
	assert_string_equal(buf, "2026");
}

static void test_event_copy_text_fits(void **state)
{
	char buf[16];

	(void)state;
	assert_true(event_copy_text(buf, sizeof buf, "Cafe Rio", 8));
	assert_string_equal(buf, "Cafe Rio");

	/* len, not the terminator, bounds the copy. */
	assert_true(event_copy_text(buf, sizeof buf, "hello world", 5));
	assert_string_equal(buf, "hello");

	assert_true(event_copy_text(buf, sizeof buf, "", 0));
	assert_string_equal(buf, "");
}

static void test_event_copy_text_utf8_boundary(void **state)
{
	char buf[8];

	(void)state;

	/* "café" is 5 bytes. Cutting at 4 would split the two-byte é, so 3
	 * are kept. */
	assert_false(event_copy_text(buf, 5, "caf\xC3\xA9", 5));
	assert_string_equal(buf, "caf");

	assert_true(event_copy_text(buf, 6, "caf\xC3\xA9", 5));
	assert_string_equal(buf, "caf\xC3\xA9");

	/* A four-byte emoji cut anywhere inside is dropped whole. */
	for (size_t size = 3; size <= 6; size++) {
		assert_false(event_copy_text(buf, size, "ab\xF0\x9F\x8E\x89", 6));
		assert_string_equal(buf, "ab");
	}
	assert_true(event_copy_text(buf, 7, "ab\xF0\x9F\x8E\x89", 6));
	assert_string_equal(buf, "ab\xF0\x9F\x8E\x89");

	/* Cut exactly before a lead byte: nothing to step back over. */
	assert_false(event_copy_text(buf, 3, "ab\xC3\xA9", 4));
	assert_string_equal(buf, "ab");

	/* A text of only multibyte characters can be cut to nothing. */
	assert_false(event_copy_text(buf, 2, "\xC3\xA9", 2));
	assert_string_equal(buf, "");
}

static void test_event_copy_clean_drops_controls(void **state)
{
	char buf[64];
	char same[] = "Lunch\x1b[2J\x07 at\nnoon";
	const char *colour = "Dinner \x1b[31mparty\x1b[0m\tnow";
	const char *c1 = "Caf\xC3\xA9\xC2\x85\xC2\x9B!";

	(void)state;
	/* A colour sequence and a bell go, and a tab becomes a space. */
	assert_true(event_copy_clean(buf, sizeof buf, colour, strlen(colour)));
	assert_string_equal(buf, "Dinner party now");

	/* C1 controls written in UTF-8 (U+0085, U+009B) go, letters stay. */
	assert_true(event_copy_clean(buf, sizeof buf, c1, strlen(c1)));
	assert_string_equal(buf, "Caf\xC3\xA9!");

	/* Copying onto itself works. */
	assert_true(event_copy_clean(same, sizeof same, same, strlen(same)));
	assert_string_equal(same, "Lunch at noon");

	/* A cut still falls on a character boundary. */
	assert_false(event_copy_clean(buf, 5, "\x1b[1mcaf\xC3\xA9", 9));
	assert_string_equal(buf, "caf");
}

static void test_event_copy_text_tiny_buffer(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_false(event_copy_text(buf, 0, "abc", 3));
	assert_string_equal(buf, "xyz");

	assert_false(event_copy_text(buf, 1, "abc", 3));
	assert_string_equal(buf, "");

	assert_true(event_copy_text(buf, 1, "", 0));
	assert_string_equal(buf, "");
}

static void test_event_init_clears(void **state)
{
	struct event ev;

	(void)state;
	memset(&ev, 0x5A, sizeof ev);
	event_init(&ev);
	assert_int_equal(ev.has, 0);
	assert_string_equal(ev.title, "");
	assert_int_equal(ev.attendee_count, 0);
	for (int f = 0; f < FIELD_COUNT; f++) {
		assert_int_equal(ev.tier[f], TIER_NONE);
		assert_true(ev.confidence[f] == 0.0f);
		assert_false(event_has(&ev, (enum field)f));
	}
}

static void test_event_set_has(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	event_set_has(&ev, FIELD_LOCATION, true);
	assert_true(event_has(&ev, FIELD_LOCATION));
	assert_false(event_has(&ev, FIELD_TITLE));
	assert_int_equal(ev.has, 1u << FIELD_LOCATION);

	event_set_has(&ev, FIELD_LOCATION, false);
	assert_false(event_has(&ev, FIELD_LOCATION));
	assert_int_equal(ev.has, 0);
}

static void test_event_add_attendee(void **state)
{
	struct event ev;
	char long_name[100];

	(void)state;
	event_init(&ev);
	assert_false(event_add_attendee(&ev, "", 0));
	assert_int_equal(ev.attendee_count, 0);

	assert_true(event_add_attendee(&ev, "Sarah and more", 5));
	assert_string_equal(ev.attendees[0], "Sarah");

	/* A name longer than EVENT_NAME_MAX - 1 bytes is cut. */
	memset(long_name, 'n', sizeof long_name);
	assert_true(event_add_attendee(&ev, long_name, sizeof long_name));
	assert_int_equal(strlen(ev.attendees[1]), EVENT_NAME_MAX - 1);

	for (int i = 2; i < EVENT_ATTENDEES_MAX; i++)
		assert_true(event_add_attendee(&ev, "Tom", 3));
	assert_int_equal(ev.attendee_count, EVENT_ATTENDEES_MAX);
	assert_false(event_add_attendee(&ev, "Priya", 5));
	assert_int_equal(ev.attendee_count, EVENT_ATTENDEES_MAX);
}

static void test_event_copy_field(void **state)
{
	struct event src;
	struct event dst;

	(void)state;
	event_init(&src);
	event_init(&dst);
	snprintf(src.location, sizeof src.location, "Cafe Rio");
	event_set_has(&src, FIELD_LOCATION, true);
	src.confidence[FIELD_LOCATION] = 0.75f;
	src.tier[FIELD_LOCATION] = TIER_RULES;
	snprintf(src.title, sizeof src.title, "Lunch");

	event_copy_field(&dst, &src, FIELD_LOCATION);
	assert_string_equal(dst.location, "Cafe Rio");
	assert_true(event_has(&dst, FIELD_LOCATION));
	assert_true(dst.confidence[FIELD_LOCATION] == 0.75f);
	assert_int_equal(dst.tier[FIELD_LOCATION], TIER_RULES);

	/* Only the one field moves. */
	assert_string_equal(dst.title, "");
	assert_false(event_has(&dst, FIELD_TITLE));

	/* Copying an absent field clears presence in dst. */
	event_set_has(&dst, FIELD_DURATION, true);
	dst.duration_min = 30;
	event_copy_field(&dst, &src, FIELD_DURATION);
	assert_false(event_has(&dst, FIELD_DURATION));
	assert_int_equal(dst.duration_min, 0);
	assert_int_equal(dst.tier[FIELD_DURATION], TIER_NONE);
}

static void test_event_field_names(void **state)
{
	static const char *const names[FIELD_COUNT] = {
		"title", "start", "end", "duration_min", "all_day", "location", "attendees",
		"recurrence"
	};

	(void)state;
	for (int f = 0; f < FIELD_COUNT; f++) {
		assert_string_equal(field_name((enum field)f), names[f]);
		assert_int_equal(field_from_name(names[f]), f);
	}
	assert_string_equal(field_name(FIELD_COUNT), "?");
	assert_int_equal(field_from_name("duration"), -1);
	assert_int_equal(field_from_name("Title"), -1);
	assert_int_equal(field_from_name(""), -1);
}

static void test_event_tier_names(void **state)
{
	(void)state;
	assert_string_equal(tier_name(TIER_REGEX), "regex");
	assert_string_equal(tier_name(TIER_RULES), "rules");
	assert_string_equal(tier_name(TIER_LLM), "llm");
	assert_string_equal(tier_name(TIER_NONE), "none");
	assert_int_equal(tier_from_name("regex"), TIER_REGEX);
	assert_int_equal(tier_from_name("rules"), TIER_RULES);
	assert_int_equal(tier_from_name("llm"), TIER_LLM);
	assert_int_equal(tier_from_name("none"), TIER_NONE);
	assert_int_equal(tier_from_name("Regex"), TIER_NONE);
}

/* An event with every field set, for the formatting tests. */
static void fill_event(struct event *ev)
{
	event_init(ev);
	snprintf(ev->title, sizeof ev->title, "Lunch with Sarah");
	ev->start.t = (struct cal_datetime){ { 2026, 12, 11 }, 12, 0, 0 };
	ev->start.precision = WHEN_MINUTE;
	ev->end.t = (struct cal_datetime){ { 2026, 12, 11 }, 13, 30, 0 };
	ev->end.precision = WHEN_MINUTE;
	ev->end.has_offset = true;
	ev->end.offset_min = -300;
	ev->duration_min = 90;
	ev->all_day = false;
	snprintf(ev->location, sizeof ev->location, "Cafe Rio");
	event_add_attendee(ev, "Sarah", 5);
	event_add_attendee(ev, "Tom", 3);
	event_add_attendee(ev, "Priya", 5);
	snprintf(ev->recurrence, sizeof ev->recurrence, "FREQ=WEEKLY;BYDAY=FR");
	ev->has = (1u << FIELD_COUNT) - 1;
}

static void test_event_format_each_field(void **state)
{
	static const char *const expected[FIELD_COUNT] = {
		"Lunch with Sarah",
		"2026-12-11T12:00",
		"2026-12-11T13:30-05:00",
		"90",
		"false",
		"Cafe Rio",
		"Sarah, Tom, Priya",
		"FREQ=WEEKLY;BYDAY=FR",
	};
	struct event ev;
	char buf[128];

	(void)state;
	fill_event(&ev);
	for (int f = 0; f < FIELD_COUNT; f++) {
		size_t n = event_format_field(&ev, (enum field)f, buf, sizeof buf);

		assert_string_equal(buf, expected[f]);
		assert_int_equal(n, strlen(expected[f]));
	}

	ev.all_day = true;
	assert_int_equal(event_format_field(&ev, FIELD_ALL_DAY, buf, sizeof buf), 4);
	assert_string_equal(buf, "true");
}

static void test_event_format_absent_field(void **state)
{
	struct event ev;
	char buf[32];

	(void)state;
	fill_event(&ev);
	for (int f = 0; f < FIELD_COUNT; f++) {
		event_set_has(&ev, (enum field)f, false);
		strcpy(buf, "stale");
		assert_int_equal(event_format_field(&ev, (enum field)f, buf, sizeof buf), 0);
		assert_string_equal(buf, "");
	}
}

static void test_event_format_small_buffer(void **state)
{
	struct event ev;
	char buf[8];

	(void)state;
	fill_event(&ev);
	assert_int_equal(event_format_field(&ev, FIELD_ATTENDEES, buf, sizeof buf), 7);
	assert_string_equal(buf, "Sarah, ");

	assert_int_equal(event_format_field(&ev, FIELD_TITLE, buf, sizeof buf), 7);
	assert_string_equal(buf, "Lunch w");

	assert_int_equal(event_format_field(&ev, FIELD_TITLE, buf, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_parse_date),
		cmocka_unit_test(test_when_parse_minute),
		cmocka_unit_test(test_when_parse_second),
		cmocka_unit_test(test_when_parse_offsets),
		cmocka_unit_test(test_when_round_trips),
		cmocka_unit_test(test_when_parse_rejects_invalid),
		cmocka_unit_test(test_when_parse_failure_keeps_output),
		cmocka_unit_test(test_when_format_forms),
		cmocka_unit_test(test_when_format_small_buffer),
		cmocka_unit_test(test_event_copy_text_fits),
		cmocka_unit_test(test_event_copy_text_utf8_boundary),
		cmocka_unit_test(test_event_copy_text_tiny_buffer),
		cmocka_unit_test(test_event_copy_clean_drops_controls),
		cmocka_unit_test(test_event_init_clears),
		cmocka_unit_test(test_event_set_has),
		cmocka_unit_test(test_event_add_attendee),
		cmocka_unit_test(test_event_copy_field),
		cmocka_unit_test(test_event_field_names),
		cmocka_unit_test(test_event_tier_names),
		cmocka_unit_test(test_event_format_each_field),
		cmocka_unit_test(test_event_format_absent_field),
		cmocka_unit_test(test_event_format_small_buffer),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
