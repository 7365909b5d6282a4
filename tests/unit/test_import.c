/*
 * The corpus importers: Recognizers-Text spec files and SLURP JSON Lines.
 * Each mapping rule is checked on a small in-memory file, each drop reason
 * is counted, and bad input (wrong types, missing keys, broken JSON, a
 * file cut short) is reported as "file:line: message" while the cases
 * around it are still written. The fixtures are under tests/data/import/;
 * paths are relative to the repository root, where make runs the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/corpus.h"
#include "app/import_recognizers.h"
#include "app/import_slurp.h"

#define DATA_DIR "tests/data/import/"

/* What a sink received: copies of the cases, and the messages. */
struct received {
	json_t *cases;
	char messages[16][1024];
	size_t message_count;
	int stop_after;            /* on_case fails after this many cases; 0 never */
};

static int keep_case(void *context, json_t *corpus_case)
{
	struct received *r = context;

	if (r->stop_after > 0 && (int)json_array_size(r->cases) == r->stop_after)
		return -1;
	json_array_append_new(r->cases, json_deep_copy(corpus_case));
	return 0;
}

static void keep_message(void *context, const char *message)
{
	struct received *r = context;

	if (r->message_count < 16)
		snprintf(r->messages[r->message_count++], sizeof r->messages[0], "%s", message);
}

static void received_init(struct received *r)
{
	memset(r, 0, sizeof *r);
	r->cases = json_array();
}

static const char *case_text(const struct received *r, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(r->cases, i), key));
}

static const char *expect_text(const struct received *r, size_t i, const char *key)
{
	json_t *expect = json_object_get(json_array_get(r->cases, i), "expect");

	return json_string_value(json_object_get(expect, key));
}

static bool has_expect(const struct received *r, size_t i, const char *key)
{
	json_t *expect = json_object_get(json_array_get(r->cases, i), "expect");

	return json_object_get(expect, key) != NULL;
}

/* The case's tags joined with spaces, for one readable comparison. */
static const char *tags_of(const struct received *r, size_t i)
{
	static char joined[512];
	json_t *tags = json_object_get(json_array_get(r->cases, i), "tags");
	json_t *tag;
	size_t k;
	size_t n = 0;

	joined[0] = '\0';
	json_array_foreach(tags, k, tag)
		n += (size_t)snprintf(joined + n, sizeof joined - n, "%s%s", k ? " " : "",
				      json_string_value(tag));
	return joined;
}

static char *read_fixture(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *data;

	assert_non_null(f);
	data = malloc(1 << 16);
	assert_non_null(data);
	*size = fread(data, 1, (1 << 16) - 1, f);
	data[*size] = '\0';
	fclose(f);
	return data;
}

/* --- Recognizers-Text ------------------------------------------------- */

/* One spec case: Input, reference time, one result of type `type` whose
 * Resolution.values is the JSON text `values`. */
#define SPEC_CASE(input, ref, type, values) \
	"{\"Input\": \"" input "\", \"Context\": {\"ReferenceDateTime\": \"" ref "\"}, " \
	"\"Results\": [{\"Text\": \"x\", \"Start\": 0, \"End\": 1, \"TypeName\": " \
	"\"datetimeV2." type "\", \"Resolution\": {\"values\": " values "}}]}"

static int import_spec(const char *text, const char *prefix, struct received *r,
		       struct recognizers_stats *stats)
{
	struct recognizers_options options = { .prefix = prefix, .source = "test" };
	struct recognizers_sink sink = { keep_case, keep_message, r };

	received_init(r);
	return recognizers_import("spec.json", text, strlen(text), &options, &sink, stats);
}

static void test_recognizers_small_fixture(void **state)
{
	struct recognizers_options options = { .prefix = NULL, .source = NULL };
	struct received r;
	struct recognizers_sink sink = { keep_case, keep_message, &r };
	struct recognizers_stats stats;
	size_t size;
	char *data = read_fixture(DATA_DIR "recognizers-small.json", &size);

	(void)state;
	received_init(&r);
	assert_int_equal(recognizers_import("small.json", data, size, &options, &sink, &stats), 0);
	assert_int_equal(stats.cases, 11);
	assert_int_equal(stats.written, 5);
	assert_int_equal(stats.bad, 0);
	assert_int_equal(stats.errors, 0);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_NOT_SUPPORTED], 1);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_DURATION], 1);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_SEVERAL_READINGS], 1);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_MODIFIER], 1);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_NOT_RESOLVED], 1);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_NO_REFERENCE], 1);

	/* Past and future readings of 22/04: the first not before ref. */
	assert_string_equal(case_text(&r, 0, "id"), "rt-dtm-0001");
	assert_string_equal(case_text(&r, 0, "source"), "recognizers-text");
	assert_string_equal(case_text(&r, 0, "tz"), "UTC");
	assert_string_equal(case_text(&r, 0, "locale"), "en-GB");
	assert_string_equal(expect_text(&r, 0, "start"), "2017-04-22");
	assert_string_equal(tags_of(&r, 0), "date forward-pick day-first");

	/* Fractional seconds of the reference time are cut; the time is put on
	 * ref's day and is already past there. */
	assert_string_equal(case_text(&r, 1, "ref"), "2016-11-07T08:00:00");
	assert_string_equal(expect_text(&r, 1, "start"), "2016-11-07T07:56:30");
	assert_null(case_text(&r, 1, "locale"));
	assert_string_equal(tags_of(&r, 1), "time past convention-conflict past-time-today");

	assert_string_equal(expect_text(&r, 2, "start"), "2016-11-07T22:00");
	assert_string_equal(expect_text(&r, 2, "end"), "2016-11-08T02:00");
	assert_string_equal(tags_of(&r, 2), "timerange overnight");

	assert_string_equal(expect_text(&r, 3, "end"), "2018-11-07");
	assert_string_equal(tags_of(&r, 3), "daterange past end-is-named-day");

	assert_string_equal(expect_text(&r, 4, "start"), "2019-07-30T12:00");
	assert_string_equal(tags_of(&r, 4),
			    "datetimerange part-of-day convention-conflict part-of-day-reading");
	assert_int_equal(r.message_count, 0);
	json_decref(r.cases);
	free(data);
}

static void test_recognizers_next_weekday_tags(void **state)
{
	/* 2019-05-20 is a Monday: "next friday" reads 2019-05-31, while the
	 * label is 2019-05-12, a Sunday and before ref. */
	static const char text[] = "[" SPEC_CASE(
		"Done by next friday 5/12", "2019-05-20T12:00:00", "date",
		"[{\"timex\": \"XXXX-05-12\", \"type\": \"date\", \"value\": \"2019-05-12\"}]")
		", " SPEC_CASE(
		"Lunch next monday", "2019-05-22T12:00:00", "date",
		"[{\"timex\": \"2019-05-27\", \"type\": \"date\", \"value\": \"2019-05-27\"}]")
		"]";
	struct received r;
	struct recognizers_stats stats;

	(void)state;
	assert_int_equal(import_spec(text, NULL, &r, &stats), 0);
	assert_int_equal(stats.written, 2);
	assert_string_equal(tags_of(&r, 0), "date past weekday-conflict next-weekday ambiguous "
			    "convention-conflict past-date next-weekday-reading");
	/* Said on a Wednesday, "next monday" is the Monday after: no conflict. */
	assert_string_equal(tags_of(&r, 1), "date next-weekday");
	json_decref(r.cases);
}

static void test_recognizers_past_with_year_no_conflict(void **state)
{
	static const char text[] = "[" SPEC_CASE(
		"Sold on Dec. 31, 1994", "2018-05-01T00:00:00", "date",
		"[{\"timex\": \"1994-12-31\", \"type\": \"date\", \"value\": \"1994-12-31\"}]")
		", " SPEC_CASE(
		"Sales for last quarter", "2019-07-04T00:00:00", "daterange",
		"[{\"timex\": \"(2019-04-01,2019-07-01,P3M)\", \"type\": \"daterange\", "
		"\"start\": \"2019-04-01\", \"end\": \"2019-07-01\"}]")
		", " SPEC_CASE(
		"Show sales in the week 1", "2019-03-02T00:00:00", "daterange",
		"[{\"timex\": \"2019-W01\", \"type\": \"daterange\", "
		"\"start\": \"2018-12-31\", \"end\": \"2019-01-07\"}]")
		"]";
	struct received r;
	struct recognizers_stats stats;

	(void)state;
	assert_int_equal(import_spec(text, NULL, &r, &stats), 0);
	assert_int_equal(stats.written, 3);
	assert_string_equal(tags_of(&r, 0), "date past");
	assert_string_equal(tags_of(&r, 1), "daterange past");
	assert_string_equal(tags_of(&r, 2), "daterange past convention-conflict past-date");
	json_decref(r.cases);
}

static void test_recognizers_datetime_seconds(void **state)
{
	static const char text[] = "[" SPEC_CASE(
		"Back at 7:56:30 on Nov 8 2016", "2016-11-07T00:00:00", "datetime",
		"[{\"timex\": \"2016-11-08T07:56:30\", \"type\": \"datetime\", "
		"\"value\": \"2016-11-08 07:56:30\"}]")
		", " SPEC_CASE(
		"Night of Nov 8 2016", "2016-11-07T00:00:00", "datetimerange",
		"[{\"timex\": \"2016-11-08TNI\", \"type\": \"datetimerange\", "
		"\"start\": \"2016-11-08 20:00:00\", \"end\": \"2016-11-08 23:59:59\"}]")
		"]";
	struct received r;
	struct recognizers_stats stats;

	(void)state;
	assert_int_equal(import_spec(text, "x-", &r, &stats), 0);
	assert_string_equal(case_text(&r, 0, "id"), "x-0001");
	assert_string_equal(case_text(&r, 1, "id"), "x-0002");
	assert_string_equal(expect_text(&r, 0, "start"), "2016-11-08T07:56:30");
	assert_string_equal(expect_text(&r, 1, "start"), "2016-11-08T20:00");
	assert_string_equal(expect_text(&r, 1, "end"), "2016-11-08T23:59:59");
	/* Night starts at 20:00 in both readings, so it is no conflict. */
	assert_string_equal(tags_of(&r, 1), "datetimerange part-of-day");
	json_decref(r.cases);
}

static void test_recognizers_drop_reasons(void **state)
{
	static const struct {
		const char *text;
		enum recognizers_drop reason;
	} cases[] = {
		{ "[{\"Input\": \"x\", \"Results\": []}]", RECOGNIZERS_DROP_NO_RESULT },
		{ "[{\"Input\": \"x\", \"NotSupportedByDesign\": \"java,javascript\", \"Results\": "
		  "[]}]", RECOGNIZERS_DROP_NOT_SUPPORTED },
		{ "[{\"Input\": \"x\", \"Results\": [{}, {}]}]", RECOGNIZERS_DROP_SEVERAL_RESULTS },
		{ "[" SPEC_CASE("x", "2016-11-07T00:00:00", "set",
				"[{\"timex\": \"P1W\", \"type\": \"set\", "
				"\"value\": \"not resolved\"}]")
		  "]", RECOGNIZERS_DROP_SET },
		{ "[" SPEC_CASE("x", "2016-11-07T00:00:00", "timezone",
				"[{\"timex\": \"x\", \"type\": \"timezone\", "
				"\"value\": \"UTC-08:00\"}]")
		  "]", RECOGNIZERS_DROP_OTHER_TYPE },
		{ "[" SPEC_CASE("x", "2016-11-07T00:00:00", "time",
				"[{\"timex\": \"T13\", \"type\": \"time\", \"value\": \"13:00:00\", "
				"\"utcOffsetMins\": \"-420\"}]")
		  "]", RECOGNIZERS_DROP_ZONE },
		{ "[" SPEC_CASE("x", "2016-11-07T00:00:00", "daterange",
				"[{\"timex\": \"(2016-01-01,,)\", \"type\": \"daterange\", "
				"\"start\": \"2016-01-01\"}]")
		  "]", RECOGNIZERS_DROP_OPEN_RANGE },
		{ "[" SPEC_CASE("x", "2019-07-30T00:00:00", "date",
				"[{\"timex\": \"2019-02-29\", \"type\": \"date\", \"value\": "
				"\"2019-02-29\"}]")
		  "]", RECOGNIZERS_DROP_NOT_RESOLVED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct received r;
		struct recognizers_stats stats;

		assert_int_equal(import_spec(cases[i].text, NULL, &r, &stats), 0);
		assert_int_equal(stats.cases, 1);
		assert_int_equal(stats.written, 0);
		assert_int_equal(stats.bad, 0);
		assert_int_equal(stats.dropped[cases[i].reason], 1);
		json_decref(r.cases);
	}
	assert_string_equal(recognizers_drop_name(RECOGNIZERS_DROP_SEVERAL_READINGS),
			    "several-readings");
}

static void test_recognizers_bad_elements_fixture(void **state)
{
	struct recognizers_options options = { .prefix = NULL, .source = NULL };
	struct received r;
	struct recognizers_sink sink = { keep_case, keep_message, &r };
	struct recognizers_stats stats;
	size_t size;
	char *data = read_fixture(DATA_DIR "recognizers-bad.json", &size);

	(void)state;
	received_init(&r);
	assert_int_equal(recognizers_import("bad.json", data, size, &options, &sink, &stats), 0);
	assert_int_equal(stats.written, 3);
	assert_int_equal(stats.bad, 5);
	assert_int_equal(stats.errors, 5);
	assert_int_equal(r.message_count, 5);
	assert_string_equal(r.messages[0], "bad.json:25: case [1]: a case must be a JSON object "
			    "{\"Input\": ..., \"Results\": [...]}, found a number; skipped");
	assert_non_null(strstr(r.messages[1], "bad.json:26: case [2]: missing key \"Input\""));
	assert_non_null(strstr(r.messages[2], "bad.json:29: case [3]: \"Results\" must be an "
			       "array, found an object"));
	assert_non_null(strstr(r.messages[3], "bad.json:34: case [4]: invalid JSON at column 34"));
	/* After the broken case the walk skipped ahead, so the index is no
	 * longer named, only the line. */
	assert_non_null(strstr(r.messages[4], "bad.json:60: invalid Context.ReferenceDateTime "
			       "\"yesterday\""));
	assert_string_equal(case_text(&r, 0, "text"), "Dentist on Jan 4th 2019");
	assert_string_equal(case_text(&r, 1, "text"), "Gym at 6pm");
	assert_string_equal(case_text(&r, 2, "text"), "Review on Nov 20 2016");
	assert_string_equal(case_text(&r, 2, "id"), "rt-dtm-0003");
	json_decref(r.cases);
	free(data);
}

static void test_recognizers_truncated_file(void **state)
{
	struct recognizers_options options = { .prefix = NULL, .source = NULL };
	struct received r;
	struct recognizers_sink sink = { keep_case, keep_message, &r };
	struct recognizers_stats stats;
	size_t size;
	char *data = read_fixture(DATA_DIR "recognizers-truncated.json", &size);

	(void)state;
	received_init(&r);
	assert_int_equal(recognizers_import("cut.json", data, size, &options, &sink, &stats), -1);
	assert_int_equal(stats.written, 1);
	assert_int_equal(stats.bad, 1);
	assert_int_equal(r.message_count, 1);
	assert_non_null(strstr(r.messages[0], "cut.json:25: case [1]: the case is cut off at the "
			       "end of the file"));
	json_decref(r.cases);
	free(data);

	/* Cut between two cases: the array is never closed. */
	assert_int_equal(import_spec("[{\"Input\": \"x\", \"Results\": []},\n", NULL, &r, &stats),
			 -1);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_NO_RESULT], 1);
	assert_int_equal(r.message_count, 1);
	assert_non_null(strstr(r.messages[0], "spec.json:2: the array is not closed with ']'"));
	json_decref(r.cases);
}

static void test_recognizers_not_a_spec_file(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "", "spec.json:1: the file is empty" },
		{ "\xEF\xBB\xBF  \n", "spec.json:2: the file is empty" },
		{ "{\"Input\": \"x\"}\n", "spec.json:1: not a Recognizers-Text spec file" },
		{ "hello", "spec.json:1: not a Recognizers-Text spec file" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct received r;
		struct recognizers_stats stats;

		assert_int_equal(import_spec(cases[i].text, NULL, &r, &stats), -1);
		assert_int_equal(stats.written, 0);
		assert_int_equal(r.message_count, 1);
		assert_non_null(strstr(r.messages[0], cases[i].message));
		json_decref(r.cases);
	}
}

static void test_recognizers_missing_comma_and_trailing_text(void **state)
{
	static const char text[] =
		"[{\"Input\": \"a\", \"Results\": []}\n {\"Input\": \"b\", \"Results\": []}]\njunk";
	struct received r;
	struct recognizers_stats stats;

	(void)state;
	assert_int_equal(import_spec(text, NULL, &r, &stats), 0);
	assert_int_equal(stats.cases, 2);
	assert_int_equal(stats.dropped[RECOGNIZERS_DROP_NO_RESULT], 2);
	assert_int_equal(stats.errors, 2);
	assert_non_null(strstr(r.messages[0], "spec.json:2: case [1]: missing ',' before this "
			       "case"));
	assert_non_null(strstr(r.messages[1], "spec.json:3: text after the array's closing ']'"));
	json_decref(r.cases);
}

static void test_recognizers_sink_stops(void **state)
{
	static const char text[] = "[" SPEC_CASE(
		"Jan 4 2019", "2016-11-07T00:00:00", "date",
		"[{\"timex\": \"2019-01-04\", \"type\": \"date\", \"value\": \"2019-01-04\"}]")
		", " SPEC_CASE(
		"Jan 5 2019", "2016-11-07T00:00:00", "date",
		"[{\"timex\": \"2019-01-05\", \"type\": \"date\", \"value\": \"2019-01-05\"}]")
		"]";
	struct recognizers_options options = { .prefix = NULL, .source = NULL };
	struct received r;
	struct recognizers_sink sink = { keep_case, keep_message, &r };
	struct recognizers_stats stats;

	(void)state;
	received_init(&r);
	r.stop_after = 1;
	assert_int_equal(recognizers_import("spec.json", text, strlen(text), &options, &sink,
					    &stats), -1);
	assert_int_equal(stats.written, 1);
	assert_int_equal(json_array_size(r.cases), 1);
	json_decref(r.cases);
}

/* --- SLURP ------------------------------------------------------------- */

#define SLURP_ROW(sentence, annotation) \
	"{\"sentence\": \"" sentence "\", \"sentence_annotation\": \"" annotation "\", " \
	"\"scenario\": \"calendar\", \"action\": \"set\", \"intent\": \"calendar_set\"}\n"

static int import_rows(const char *text, const char *ref, struct received *r,
		       struct slurp_stats *stats)
{
	struct slurp_options options = { .prefix = NULL, .source = NULL };
	struct slurp_sink sink = { keep_case, keep_message, r };

	assert_true(corpus_parse_ref(ref ? ref : SLURP_DEFAULT_REF, &options.ref));
	received_init(r);
	return slurp_import("rows.jsonl", text, strlen(text), &options, &sink, stats);
}

static void test_slurp_small_fixture(void **state)
{
	struct slurp_options options = { .prefix = "s-", .source = "slurp:small" };
	struct received r;
	struct slurp_sink sink = { keep_case, keep_message, &r };
	struct slurp_stats stats;
	size_t size;
	char *data = read_fixture(DATA_DIR "slurp-small.jsonl", &size);
	json_t *attendees;

	(void)state;
	assert_true(corpus_parse_ref(SLURP_DEFAULT_REF, &options.ref));
	received_init(&r);
	assert_int_equal(slurp_import("small.jsonl", data, size, &options, &sink, &stats), 0);
	assert_int_equal(stats.lines, 7);
	assert_int_equal(stats.written, 4);
	assert_int_equal(stats.started, 3);
	assert_int_equal(stats.dropped[SLURP_DROP_NOT_CALENDAR_SET], 1);
	assert_int_equal(stats.dropped[SLURP_DROP_NOTHING_TO_LABEL], 2);
	assert_int_equal(stats.no_start[SLURP_NO_START_MEAL], 1);
	assert_int_equal(stats.no_start[SLURP_NO_START_RECURRING], 1);
	assert_int_equal(stats.no_start[SLURP_NO_START_NO_SLOT], 1);
	assert_int_equal(stats.bad, 0);

	assert_string_equal(case_text(&r, 0, "id"), "s-0001");
	assert_string_equal(case_text(&r, 0, "ref"), "2026-03-04T09:00:00");
	assert_string_equal(case_text(&r, 0, "source"), "slurp:small");
	assert_string_equal(expect_text(&r, 0, "start"), "2026-03-05T14:00");
	assert_string_equal(tags_of(&r, 0), "calendar_set datetime start-by-caltune");

	/* Lunch on a day has no clock time, so no start; "the" leaves the
	 * place, and the person slot splits on "and". */
	assert_false(has_expect(&r, 1, "start"));
	assert_string_equal(expect_text(&r, 1, "location"), "blue door");
	attendees = json_object_get(json_object_get(json_array_get(r.cases, 1), "expect"),
				    "attendees");
	assert_int_equal(json_array_size(attendees), 2);
	assert_string_equal(json_string_value(json_array_get(attendees, 0)), "anna");
	assert_string_equal(json_string_value(json_array_get(attendees, 1)), "ben");
	assert_string_equal(tags_of(&r, 1), "calendar_set location attendees");

	/* "next" and "o'clock" sit outside SLURP's slots but belong to the date. */
	assert_string_equal(expect_text(&r, 2, "start"), "2026-03-14T17:00");
	assert_string_equal(tags_of(&r, 2), "calendar_set datetime start-by-caltune next-weekday "
			    "bare-hour ambiguous");

	/* The annotation writes "Sam's" and "May Two"; the case keeps the
	 * sentence, and a possessive names no attendee. */
	assert_string_equal(case_text(&r, 3, "text"), "add sam's birthday on may two");
	assert_string_equal(expect_text(&r, 3, "start"), "2026-05-02");
	assert_false(has_expect(&r, 3, "attendees"));
	json_decref(r.cases);
	free(data);
}

static void test_slurp_no_start_reasons(void **state)
{
	static const struct {
		const char *row;
		enum slurp_no_start reason;
	} cases[] = {
		{ SLURP_ROW("move it from tuesday to thursday",
			    "move it from [date : tuesday] to [date : thursday]"),
		  SLURP_NO_START_TWO_MOMENTS },
		{ SLURP_ROW("remind me one hour before the meeting",
			    "remind me [time : one hour] before the [event_name : meeting]"),
		  SLURP_NO_START_OFFSET },
		{ SLURP_ROW("add my vacation next month",
			    "add my [event_name : vacation] [date : next month]"),
		  SLURP_NO_START_SPAN },
		{ SLURP_ROW("flag two day after this day", "flag [date : two day after this day]"),
		  SLURP_NO_START_UNREAD },
		{ SLURP_ROW("meeting on wednesday", "[event_name : meeting] on [date : wednesday]"),
		  SLURP_NO_START_SAME_WEEKDAY },
		{ SLURP_ROW("standup daily at ten am",
			    "[event_name : standup] [general_frequency : daily] at [time : ten am]"),
		  SLURP_NO_START_RECURRING },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct received r;
		struct slurp_stats stats;

		assert_int_equal(import_rows(cases[i].row, NULL, &r, &stats), 0);
		assert_int_equal(stats.no_start[cases[i].reason], 1);
		assert_int_equal(stats.written, 0);
		assert_int_equal(stats.dropped[SLURP_DROP_NOTHING_TO_LABEL], 1);
		json_decref(r.cases);
	}
}

static void test_slurp_start_tags(void **state)
{
	static const char rows[] =
		SLURP_ROW("add an appointment at nine am wednesday",
			  "add an [event_name : appointment] at [time : nine am] [date : wednesday]")
		SLURP_ROW("make a pizza tomorrow morning",
			  "[event_name : make a pizza] [date : tomorrow] [timeofday : morning]")
		SLURP_ROW("my practice on feb four at two pm",
			  "my practice on [date : feb four] at [time : two pm]")
		SLURP_ROW("the meeting at four am today",
			  "the [event_name : meeting] at [time : four am] [date : today]");
	struct received r;
	struct slurp_stats stats;

	(void)state;
	assert_int_equal(import_rows(rows, NULL, &r, &stats), 0);
	assert_int_equal(stats.written, 4);
	/* 09:00 on ref's own Wednesday is not ahead of ref, so next week. */
	assert_string_equal(expect_text(&r, 0, "start"), "2026-03-11T09:00");
	assert_string_equal(tags_of(&r, 0), "calendar_set datetime start-by-caltune ambiguous");
	assert_string_equal(expect_text(&r, 1, "start"), "2026-03-05T09:00");
	assert_string_equal(tags_of(&r, 1), "calendar_set datetime start-by-caltune vague-time");
	assert_string_equal(expect_text(&r, 2, "start"), "2027-02-04T14:00");
	assert_string_equal(tags_of(&r, 2), "calendar_set datetime start-by-caltune "
			    "year-rollover");
	assert_string_equal(expect_text(&r, 3, "start"), "2026-03-04T04:00");
	assert_string_equal(tags_of(&r, 3), "calendar_set datetime start-by-caltune past");
	json_decref(r.cases);
}

static void test_slurp_bare_hour_forms(void **state)
{
	static const char rows[] =
		SLURP_ROW("call tomorrow at 2pm", "call [date : tomorrow] at [time : 2pm]")
		SLURP_ROW("call tomorrow at 10", "call [date : tomorrow] at [time : 10]")
		SLURP_ROW("call tomorrow at noon", "call [date : tomorrow] at [time : noon]");
	struct received r;
	struct slurp_stats stats;

	(void)state;
	assert_int_equal(import_rows(rows, NULL, &r, &stats), 0);
	assert_int_equal(stats.written, 3);
	assert_string_equal(expect_text(&r, 0, "start"), "2026-03-05T14:00");
	assert_string_equal(tags_of(&r, 0), "calendar_set datetime start-by-caltune");
	assert_string_equal(expect_text(&r, 1, "start"), "2026-03-05T10:00");
	assert_string_equal(tags_of(&r, 1), "calendar_set datetime start-by-caltune bare-hour "
			    "ambiguous");
	assert_string_equal(expect_text(&r, 2, "start"), "2026-03-05T12:00");
	assert_string_equal(tags_of(&r, 2), "calendar_set datetime start-by-caltune");
	json_decref(r.cases);
}

static void test_slurp_ref_option(void **state)
{
	static const char rows[] = SLURP_ROW("remind me tomorrow", "remind me [date : tomorrow]");
	struct received r;
	struct slurp_stats stats;

	(void)state;
	assert_int_equal(import_rows(rows, "2027-12-31T20:00:00", &r, &stats), 0);
	assert_string_equal(case_text(&r, 0, "ref"), "2027-12-31T20:00:00");
	assert_string_equal(expect_text(&r, 0, "start"), "2028-01-01");
	assert_string_equal(tags_of(&r, 0), "calendar_set date start-by-caltune year-rollover");
	json_decref(r.cases);
}

static void test_slurp_people_and_places(void **state)
{
	static const char rows[] =
		SLURP_ROW("meet reveca today at six pm",
			  "[event_name : meet] [person : reveca] [date : today] at [time : six pm]")
		SLURP_ROW("set an appointment for allen at the dentist",
			  "set an [event_name : appointment] for [person : allen] at [place_name : "
			  "the dentist]")
		SLURP_ROW("add it at my sisters house",
			  "add it at my [relation : sisters] [place_name : house]")
		SLURP_ROW("lunch with mike jim and bob",
			  "[meal_type : lunch] with [person : mike] [person : jim] and [person : bob]");
	struct received r;
	struct slurp_stats stats;
	json_t *names;

	(void)state;
	assert_int_equal(import_rows(rows, NULL, &r, &stats), 0);
	assert_int_equal(stats.written, 3);
	assert_int_equal(stats.dropped[SLURP_DROP_NOTHING_TO_LABEL], 1);

	names = json_object_get(json_object_get(json_array_get(r.cases, 0), "expect"), "attendees");
	assert_int_equal(json_array_size(names), 1);
	assert_string_equal(json_string_value(json_array_get(names, 0)), "reveca");

	/* Allen is who the appointment is for, not someone met. */
	assert_false(has_expect(&r, 1, "attendees"));
	assert_string_equal(expect_text(&r, 1, "location"), "dentist");

	names = json_object_get(json_object_get(json_array_get(r.cases, 2), "expect"), "attendees");
	assert_int_equal(json_array_size(names), 3);
	assert_string_equal(json_string_value(json_array_get(names, 2)), "bob");
	json_decref(r.cases);
}

static void test_slurp_bad_lines_fixture(void **state)
{
	struct slurp_options options = { .prefix = NULL, .source = NULL };
	struct received r;
	struct slurp_sink sink = { keep_case, keep_message, &r };
	struct slurp_stats stats;
	size_t size;
	char *data = read_fixture(DATA_DIR "slurp-bad.jsonl", &size);

	(void)state;
	assert_true(corpus_parse_ref(SLURP_DEFAULT_REF, &options.ref));
	received_init(&r);
	assert_int_equal(slurp_import("bad.jsonl", data, size, &options, &sink, &stats), 0);
	assert_int_equal(stats.lines, 8);
	assert_int_equal(stats.written, 2);
	assert_int_equal(stats.bad, 6);
	assert_int_equal(stats.errors, 6);
	assert_int_equal(r.message_count, 6);
	assert_non_null(strstr(r.messages[0], "bad.jsonl:2: invalid JSON at column 3"));
	assert_string_equal(r.messages[1], "bad.jsonl:3: a SLURP row must be a JSON object, found "
			    "an array; skipped");
	assert_non_null(strstr(r.messages[2], "bad.jsonl:4: missing key \"sentence_annotation\""));
	assert_non_null(strstr(r.messages[3], "bad.jsonl:5: sentence_annotation does not spell the "
			       "sentence: word 3 is \"today\""));
	assert_non_null(strstr(r.messages[4], "bad.jsonl:6: sentence_annotation has a '[' without "
			       "']'"));
	assert_non_null(strstr(r.messages[5], "bad.jsonl:9: invalid JSON"));
	assert_string_equal(case_text(&r, 1, "text"), "meeting with joe at noon");
	assert_string_equal(expect_text(&r, 1, "start"), "2026-03-04T12:00");
	json_decref(r.cases);
	free(data);
}

static void test_slurp_wrong_types(void **state)
{
	static const char rows[] =
		"{\"sentence\": 5, \"sentence_annotation\": \"x\", \"scenario\": \"calendar\", "
		"\"action\": \"set\"}\n"
		"{\"sentence\": \"x\", \"sentence_annotation\": \"x\", \"scenario\": \"calendar\"}\n"
		"{\"sentence\": \"a b\", \"sentence_annotation\": \"a [date b]\", \"scenario\": "
		"\"calendar\", \"action\": \"set\"}\n"
		"{\"sentence\": \"a b\", \"sentence_annotation\": \"a b] c\", \"scenario\": "
		"\"calendar\", \"action\": \"set\"}\n"
		"{\"sentence\": \"a b c\", \"sentence_annotation\": \"a b\", \"scenario\": "
		"\"calendar\", \"action\": \"set\"}\n";
	struct received r;
	struct slurp_stats stats;

	(void)state;
	assert_int_equal(import_rows(rows, NULL, &r, &stats), 0);
	assert_int_equal(stats.bad, 5);
	assert_int_equal(stats.written, 0);
	assert_non_null(strstr(r.messages[0], "rows.jsonl:1: \"sentence\" must be a string, found "
			       "a number"));
	assert_non_null(strstr(r.messages[1], "rows.jsonl:2: missing key \"action\""));
	assert_non_null(strstr(r.messages[2], "rows.jsonl:3: sentence_annotation slot at column 3 "
			       "has no \"type : value\" form"));
	assert_non_null(strstr(r.messages[3], "rows.jsonl:4: sentence_annotation has a ']' without "
			       "'['"));
	assert_non_null(strstr(r.messages[4], "rows.jsonl:5: sentence_annotation does not spell "
			       "the sentence: one has more words"));
	json_decref(r.cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recognizers_small_fixture),
		cmocka_unit_test(test_recognizers_next_weekday_tags),
		cmocka_unit_test(test_recognizers_past_with_year_no_conflict),
		cmocka_unit_test(test_recognizers_datetime_seconds),
		cmocka_unit_test(test_recognizers_drop_reasons),
		cmocka_unit_test(test_recognizers_bad_elements_fixture),
		cmocka_unit_test(test_recognizers_truncated_file),
		cmocka_unit_test(test_recognizers_not_a_spec_file),
		cmocka_unit_test(test_recognizers_missing_comma_and_trailing_text),
		cmocka_unit_test(test_recognizers_sink_stops),
		cmocka_unit_test(test_slurp_small_fixture),
		cmocka_unit_test(test_slurp_no_start_reasons),
		cmocka_unit_test(test_slurp_start_tags),
		cmocka_unit_test(test_slurp_bare_hour_forms),
		cmocka_unit_test(test_slurp_ref_option),
		cmocka_unit_test(test_slurp_people_and_places),
		cmocka_unit_test(test_slurp_bad_lines_fixture),
		cmocka_unit_test(test_slurp_wrong_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
