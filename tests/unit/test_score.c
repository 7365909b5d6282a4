/*
 * The scoring rules: string normalisation with case folding, start and
 * end at the expectation's precision, attendees and recurrences as sets,
 * null expectations, unlabelled fields, and whole-case scoring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/corpus.h"
#include "app/score.h"

/* Loads one case whose "expect" object is expect_json. */
static struct corpus *case_with(const char *expect_json)
{
	char path[64] = "/tmp/caltune-test-score-XXXXXX";
	char err[256];
	int fd = mkstemp(path);
	FILE *f;
	struct corpus *c;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "{\"id\": \"t\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
		"\"expect\": %s}\n", expect_json);
	fclose(f);
	c = corpus_load(path, NULL, NULL, err, sizeof err);
	unlink(path);
	assert_non_null(c);
	if (c->count != 1)
		fail_msg("expect %s did not load", expect_json);
	return c;
}

static void predict_text(struct event *ev, enum field f, const char *value)
{
	char *dst = f == FIELD_TITLE ? ev->title : f == FIELD_LOCATION ? ev->location :
		    ev->recurrence;
	size_t size = f == FIELD_TITLE ? sizeof ev->title : f == FIELD_LOCATION ?
		      sizeof ev->location : sizeof ev->recurrence;

	snprintf(dst, size, "%s", value);
	event_set_has(ev, f, true);
}

static void predict_when(struct event *ev, enum field f, const char *value)
{
	assert_true(when_parse(value, f == FIELD_START ? &ev->start : &ev->end));
	event_set_has(ev, f, true);
}

/* Scores one field of `expect_json` against a prediction. */
static bool field_matches(const char *expect_json, const struct event *prediction, enum field f)
{
	struct corpus *c = case_with(expect_json);
	bool ok = score_field(&c->cases[0], prediction, f);

	corpus_free(c);
	return ok;
}

struct text_case {
	const char *expect;
	const char *predicted;
	bool match;
};

static void test_score_title_normalisation(void **state)
{
	static const struct text_case cases[] = {
		{ "Lunch with Sarah", "Lunch with Sarah", true },
		{ "Lunch with Sarah", "LUNCH WITH sarah", true },
		{ "Lunch with Sarah", "  Lunch \t with\u00a0 Sarah  ", true },
		{ "Lunch with Sarah", "Lunch with Sarah!", true },
		{ "Lunch with Sarah", "\u201cLunch with Sarah\u201d", true },
		{ "Lunch with Sarah", "(Lunch with Sarah) ...", true },
		{ "Lunch with Sarah", "Lunch, with Sarah", false },
		{ "Lunch with Sarah", "Lunch with Sara", false },
		{ "Lunch with Sarah", "Lunchwith Sarah", false },
		{ "\u00c9cole meeting", "\u00e9COLE MEETING", true },
		{ "Stra\u00dfe fest", "STRASSE FEST", true },
		{ "Stra\u1e9ee fest", "strasse fest", true },
		{ "\u0141\u00f3d\u017a trip", "\u0142\u00d3D\u0179 TRIP", true },
		{ "\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2", true },
		{ "\u0386\u03b8\u03b7\u03bd\u03b1", "\u03ac\u03b8\u03b7\u03bd\u03b1", true },
		{ "\u0412\u0441\u0442\u0440\u0435\u0447\u0430", "\u0432\u0421\u0422\u0420\u0415\u0427\u0410", true },
		{ "\u0401\u043b\u043a\u0430", "\u0451\u043b\u043a\u0430", true },
		{ "Caf\u00e9", "Cafe", false },
		{ "Team sync \U0001F389", "team sync \U0001F389", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char expect[512];
		struct event ev;

		event_init(&ev);
		predict_text(&ev, FIELD_TITLE, cases[i].predicted);
		snprintf(expect, sizeof expect, "{\"title\": \"%s\"}", cases[i].expect);
		if (field_matches(expect, &ev, FIELD_TITLE) != cases[i].match)
			fail_msg("title \"%s\" vs \"%s\": expected %s", cases[i].expect,
				 cases[i].predicted, cases[i].match ? "a match" : "no match");
	}
}

static void test_score_normalise_output(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(score_normalise("  Hello,   World!! ", out, sizeof out), 12);
	assert_string_equal(out, "hello, world");
	score_normalise("...", out, sizeof out);
	assert_string_equal(out, "");
	score_normalise("\u00bfQu\u00e9?", out, sizeof out);
	assert_string_equal(out, "qu\u00e9");
	score_normalise("\u0130stanbul", out, sizeof out);
	assert_string_equal(out, "i\u0307stanbul");
	score_normalise("MASSE \u00b5", out, sizeof out);
	assert_string_equal(out, "masse \u03bc");
	/* A small buffer cuts the output without splitting a character. */
	score_normalise("\u00c9\u00c9\u00c9", out, 4);
	assert_string_equal(out, "\u00e9");
}

static void test_score_location_like_title(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	predict_text(&ev, FIELD_LOCATION, "cafe rio.");
	assert_true(field_matches("{\"location\": \"Cafe Rio\"}", &ev, FIELD_LOCATION));
	predict_text(&ev, FIELD_LOCATION, "Cafe Rios");
	assert_false(field_matches("{\"location\": \"Cafe Rio\"}", &ev, FIELD_LOCATION));
}

struct when_case {
	const char *expect;
	const char *predicted;   /* NULL: no value */
	bool match;
};

static void test_score_start_precision(void **state)
{
	static const struct when_case cases[] = {
		{ "2026-12-05", "2026-12-05", true },
		{ "2026-12-05", "2026-12-06", false },
		{ "2026-12-05", "2026-12-05T00:00", false },
		{ "2026-12-05T09:00", "2026-12-05T09:00", true },
		{ "2026-12-05T09:00", "2026-12-05T09:00:30", true },
		{ "2026-12-05T09:00", "2026-12-05T09:01", false },
		{ "2026-12-05T09:00", "2026-12-05", false },
		{ "2026-12-05T09:00", "2026-12-06T09:00", false },
		{ "2026-12-05T09:00:30", "2026-12-05T09:00:30", true },
		{ "2026-12-05T09:00:30", "2026-12-05T09:00", false },
		{ "2026-12-05T09:00:00", "2026-12-05T09:00", true },
		{ "2026-12-05T09:00+09:00", "2026-12-05T09:00+09:00", true },
		{ "2026-12-05T09:00+09:00", "2026-12-05T09:00", false },
		{ "2026-12-05T09:00+09:00", "2026-12-05T09:00+08:00", false },
		{ "2026-12-05T09:00-04:00", "2026-12-05T09:00-04:00", true },
		{ "2026-12-05T09:00", "2026-12-05T09:00+01:00", true },
		{ "2026-12-05T09:00", NULL, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int f = FIELD_START; f <= FIELD_END; f++) {
			char expect[128];
			struct event ev;

			event_init(&ev);
			if (cases[i].predicted)
				predict_when(&ev, (enum field)f, cases[i].predicted);
			snprintf(expect, sizeof expect, "{\"%s\": \"%s\"}", field_name((enum field)f),
				 cases[i].expect);
			if (field_matches(expect, &ev, (enum field)f) != cases[i].match)
				fail_msg("%s %s vs %s: expected %s", field_name((enum field)f),
					 cases[i].expect, cases[i].predicted ? cases[i].predicted : "none",
					 cases[i].match ? "a match" : "no match");
		}
	}
}

static void test_score_null_expectations(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	assert_true(field_matches("{\"start\": null}", &ev, FIELD_START));
	assert_true(field_matches("{\"title\": null}", &ev, FIELD_TITLE));
	assert_true(field_matches("{\"recurrence\": null}", &ev, FIELD_RECURRENCE));

	predict_when(&ev, FIELD_START, "2026-12-05T09:00");
	assert_false(field_matches("{\"start\": null}", &ev, FIELD_START));

	/* An empty or punctuation-only string is no value. */
	predict_text(&ev, FIELD_TITLE, " !");
	assert_true(field_matches("{\"title\": null}", &ev, FIELD_TITLE));
	predict_text(&ev, FIELD_TITLE, "Lunch");
	assert_false(field_matches("{\"title\": null}", &ev, FIELD_TITLE));

	ev.duration_min = 0;
	event_set_has(&ev, FIELD_DURATION, true);
	assert_false(field_matches("{\"duration_min\": null}", &ev, FIELD_DURATION));
}

static void test_score_numbers_and_booleans(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	assert_false(field_matches("{\"duration_min\": 90}", &ev, FIELD_DURATION));
	ev.duration_min = 90;
	event_set_has(&ev, FIELD_DURATION, true);
	assert_true(field_matches("{\"duration_min\": 90}", &ev, FIELD_DURATION));
	assert_false(field_matches("{\"duration_min\": 60}", &ev, FIELD_DURATION));

	assert_false(field_matches("{\"all_day\": false}", &ev, FIELD_ALL_DAY));
	ev.all_day = true;
	event_set_has(&ev, FIELD_ALL_DAY, true);
	assert_true(field_matches("{\"all_day\": true}", &ev, FIELD_ALL_DAY));
	assert_false(field_matches("{\"all_day\": false}", &ev, FIELD_ALL_DAY));
}

static void predict_attendees(struct event *ev, const char *const *names, int count)
{
	ev->attendee_count = 0;
	for (int i = 0; i < count; i++)
		event_add_attendee(ev, names[i], strlen(names[i]));
	event_set_has(ev, FIELD_ATTENDEES, true);
}

static void test_score_attendees_as_sets(void **state)
{
	static const char *const reordered[] = { "sarah", " SAM " };
	static const char *const repeated[] = { "Sam", "Sam", "Sarah" };
	static const char *const partial[] = { "Sam" };
	static const char *const extra[] = { "Sam", "Sarah", "Joe" };
	struct event ev;

	(void)state;
	event_init(&ev);
	assert_false(field_matches("{\"attendees\": [\"Sam\", \"Sarah\"]}", &ev, FIELD_ATTENDEES));
	assert_true(field_matches("{\"attendees\": []}", &ev, FIELD_ATTENDEES));
	assert_true(field_matches("{\"attendees\": null}", &ev, FIELD_ATTENDEES));

	predict_attendees(&ev, reordered, 2);
	assert_true(field_matches("{\"attendees\": [\"Sam\", \"Sarah\"]}", &ev, FIELD_ATTENDEES));
	predict_attendees(&ev, repeated, 3);
	assert_true(field_matches("{\"attendees\": [\"Sam\", \"Sarah\"]}", &ev, FIELD_ATTENDEES));
	predict_attendees(&ev, partial, 1);
	assert_false(field_matches("{\"attendees\": [\"Sam\", \"Sarah\"]}", &ev, FIELD_ATTENDEES));
	predict_attendees(&ev, extra, 3);
	assert_false(field_matches("{\"attendees\": [\"Sam\", \"Sarah\"]}", &ev, FIELD_ATTENDEES));
	assert_false(field_matches("{\"attendees\": []}", &ev, FIELD_ATTENDEES));

	/* A reported but empty list is the same as none. */
	predict_attendees(&ev, NULL, 0);
	assert_true(field_matches("{\"attendees\": []}", &ev, FIELD_ATTENDEES));
	assert_true(field_matches("{\"attendees\": null}", &ev, FIELD_ATTENDEES));
}

static void test_score_recurrence_as_sets(void **state)
{
	static const struct text_case cases[] = {
		{ "FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;BYDAY=TH", true },
		{ "FREQ=WEEKLY;BYDAY=TU,MO", "BYDAY=MO,TU;FREQ=WEEKLY", true },
		{ "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "freq=weekly;byday=fr,th,we,tu,mo", true },
		{ "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "FREQ=WEEKLY;BYDAY=TH", false },
		{ "FREQ=WEEKLY;BYDAY=MO,TU", "FREQ=WEEKLY;BYDAY=MO", false },
		{ "FREQ=MONTHLY", "FREQ=WEEKLY", false },
		{ "FREQ=DAILY;COUNT=5", "COUNT=5; FREQ=DAILY;", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char expect[256];
		struct event ev;

		event_init(&ev);
		predict_text(&ev, FIELD_RECURRENCE, cases[i].predicted);
		snprintf(expect, sizeof expect, "{\"recurrence\": \"%s\"}", cases[i].expect);
		if (field_matches(expect, &ev, FIELD_RECURRENCE) != cases[i].match)
			fail_msg("recurrence %s vs %s: expected %s", cases[i].expect, cases[i].predicted,
				 cases[i].match ? "a match" : "no match");
	}
}

static void test_score_unlabelled_field_ignored(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	predict_text(&ev, FIELD_TITLE, "Anything at all");
	assert_true(field_matches("{\"start\": \"2026-12-05\"}", &ev, FIELD_TITLE));
}

static void test_score_case_counts_fields(void **state)
{
	struct corpus *c = case_with("{\"title\": \"Dentist\", \"start\": \"2026-12-05T15:00\", "
				     "\"end\": null, \"location\": \"Main St\"}");
	struct event ev;
	struct score s;

	(void)state;
	event_init(&ev);
	predict_text(&ev, FIELD_TITLE, "dentist");
	predict_when(&ev, FIELD_START, "2026-12-05T15:00");
	predict_text(&ev, FIELD_LOCATION, "Elm St");
	predict_text(&ev, FIELD_RECURRENCE, "FREQ=DAILY");
	score_case(&c->cases[0], &ev, &s);
	assert_int_equal(s.expected, (1u << FIELD_TITLE) | (1u << FIELD_START) | (1u << FIELD_END) |
			 (1u << FIELD_LOCATION));
	assert_int_equal(s.correct, (1u << FIELD_TITLE) | (1u << FIELD_START) | (1u << FIELD_END));
	assert_false(s.all_correct);

	predict_text(&ev, FIELD_LOCATION, "Main St.");
	score_case(&c->cases[0], &ev, &s);
	assert_int_equal(s.correct, s.expected);
	assert_true(s.all_correct);
	corpus_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_title_normalisation),
		cmocka_unit_test(test_score_normalise_output),
		cmocka_unit_test(test_score_location_like_title),
		cmocka_unit_test(test_score_start_precision),
		cmocka_unit_test(test_score_null_expectations),
		cmocka_unit_test(test_score_numbers_and_booleans),
		cmocka_unit_test(test_score_attendees_as_sets),
		cmocka_unit_test(test_score_recurrence_as_sets),
		cmocka_unit_test(test_score_unlabelled_field_ignored),
		cmocka_unit_test(test_score_case_counts_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
