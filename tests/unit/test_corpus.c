/*
 * The corpus loader: good lines load with every key decoded, each kind of
 * bad line is reported as "file:line: message" and skipped while the rest
 * of the file loads, and the file's SHA-256 is recorded.
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
#include "app/sha256.h"

#define GOOD_LINE "{\"id\": \"good\", \"text\": \"Dentist tomorrow 3pm\", \"ref\": " \
		  "\"2026-12-04T10:00:00\", \"expect\": {\"start\": \"2026-12-05T15:00\"}}"
#define OTHER_GOOD_LINE "{\"id\": \"other\", \"text\": \"Gym at 7\", \"ref\": " \
			"\"2026-12-04T10:00:00\", \"expect\": {}}"

struct messages {
	char lines[32][1024];
	size_t count;
};

static void collect(void *context, const char *message)
{
	struct messages *m = context;

	if (m->count < 32)
		snprintf(m->lines[m->count++], sizeof m->lines[0], "%s", message);
}

/* Writes content to a new temporary file and returns its path (static
 * buffer, valid until the next call). */
static const char *write_temp(const char *content, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/caltune-test-corpus-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

static struct corpus *load_text(const char *content, struct messages *m)
{
	char err[512] = "";
	const char *path = write_temp(content, strlen(content));
	struct corpus *c = corpus_load(path, collect, m, err, sizeof err);

	assert_non_null(c);
	unlink(path);
	return c;
}

static void test_corpus_good_lines_decode(void **state)
{
	static const char text[] =
		"{\"id\": \"a\", \"text\": \"Lunch with Sarah Friday at noon at Cafe Rio\", "
		"\"ref\": \"2026-12-04T10:00:00\", \"tz\": \"America/New_York\", \"locale\": \"en-GB\", "
		"\"expect\": {\"title\": \"Lunch with Sarah\", \"start\": \"2026-12-11T12:00\", "
		"\"end\": null, \"duration_min\": 90, \"all_day\": false, \"location\": \"Cafe Rio\", "
		"\"attendees\": [\"Sarah\", \"Sam\"], \"recurrence\": \"FREQ=WEEKLY;BYDAY=FR\"}, "
		"\"tags\": [\"range\", \"location\"], \"source\": \"written for the test\"}\n"
		"{\"id\": \"b\", \"text\": \"no date here\", \"ref\": \"2026-12-04T10:00\", "
		"\"expect\": {\"start\": null}}\n";
	struct messages m = { .count = 0 };
	struct corpus *c = load_text(text, &m);
	const struct corpus_case *a;
	const struct corpus_case *b;
	char hex[SHA256_HEX_SIZE];

	(void)state;
	assert_int_equal(m.count, 0);
	assert_int_equal(c->count, 2);
	assert_int_equal(c->bad_lines, 0);
	sha256_hex(text, strlen(text), hex);
	assert_string_equal(c->sha256, hex);

	a = &c->cases[0];
	assert_string_equal(a->id, "a");
	assert_int_equal(a->text_len, strlen("Lunch with Sarah Friday at noon at Cafe Rio"));
	assert_int_equal(a->ref.date.year, 2026);
	assert_int_equal(a->ref.date.month, 12);
	assert_int_equal(a->ref.date.day, 4);
	assert_int_equal(a->ref.hour, 10);
	assert_string_equal(a->tz, "America/New_York");
	assert_int_equal(a->locale, LOCALE_EN_GB);
	assert_int_equal(a->expected, (1u << FIELD_COUNT) - 1);
	assert_int_equal(a->expect_null, 1u << FIELD_END);
	assert_string_equal(a->expect.title, "Lunch with Sarah");
	assert_int_equal(a->expect.start.precision, WHEN_MINUTE);
	assert_int_equal(a->expect.start.t.hour, 12);
	assert_false(event_has(&a->expect, FIELD_END));
	assert_int_equal(a->expect.duration_min, 90);
	assert_true(event_has(&a->expect, FIELD_ALL_DAY));
	assert_false(a->expect.all_day);
	assert_string_equal(a->expect.location, "Cafe Rio");
	assert_int_equal(a->expect.attendee_count, 2);
	assert_string_equal(a->expect.attendees[1], "Sam");
	assert_string_equal(a->expect.recurrence, "FREQ=WEEKLY;BYDAY=FR");
	assert_int_equal(a->tag_count, 2);
	assert_string_equal(a->tags[0], "range");
	assert_string_equal(a->source, "written for the test");
	assert_int_equal(a->line, 1);

	b = &c->cases[1];
	assert_string_equal(b->tz, "UTC");
	assert_int_equal(b->locale, LOCALE_EN_US);
	assert_int_equal(b->expected, 1u << FIELD_START);
	assert_int_equal(b->expect_null, 1u << FIELD_START);
	assert_null(b->source);
	assert_int_equal(b->tag_count, 0);
	assert_int_equal(b->ref.second, 0);
	corpus_free(c);
}

static void test_corpus_blank_lines_keep_numbers(void **state)
{
	struct messages m = { .count = 0 };
	struct corpus *c = load_text("\n   \n\t\r\n" GOOD_LINE "\n\nnot json\n", &m);

	(void)state;
	assert_int_equal(c->count, 1);
	assert_int_equal(c->cases[0].line, 4);
	assert_int_equal(m.count, 1);
	assert_non_null(strstr(m.lines[0], ":6: invalid JSON"));
	corpus_free(c);
}

static void test_corpus_crlf_and_bom(void **state)
{
	struct messages m = { .count = 0 };
	struct corpus *c = load_text("\xEF\xBB\xBF" GOOD_LINE "\r\n" GOOD_LINE "\r\n", &m);

	(void)state;
	/* The second line repeats the id, so it is the only one reported. */
	assert_int_equal(c->count, 1);
	assert_int_equal(m.count, 1);
	assert_non_null(strstr(m.lines[0], ":2: duplicate id \"good\" (first used on line 1)"));
	corpus_free(c);
}

struct bad_line {
	const char *line;
	const char *message;     /* expected after "file:2: " */
};

static const struct bad_line bad_lines[] = {
	{ "not json at all", "invalid JSON at column" },
	{ "{\"id\": \"x\", \"id\": \"y\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {}}", "invalid JSON" },
	{ "[1, 2]", "a case must be a JSON object, found an array" },
	{ "\"just a string\"", "a case must be a JSON object, found a string" },
	{ "{\"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "missing required key \"id\"" },
	{ "{\"id\": \"x\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "missing required key \"text\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"expect\": {}}", "missing required key \"ref\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\"}",
	  "missing required key \"expect\"" },
	{ "{\"id\": 7, \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "\"id\" must be a string, found a number" },
	{ "{\"id\": \"\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "\"id\" must be 1 to 127 bytes long" },
	{ "{\"id\": \"x\", \"text\": null, \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "\"text\" must be a string, found null" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": 20261204, \"expect\": {}}",
	  "\"ref\" must be a string, found a number" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": []}",
	  "\"expect\" must be an object, found an array" },
	{ "{\"id\": \"good\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "duplicate id \"good\" (first used on line 1)" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-02-30T10:00:00\", \"expect\": {}}",
	  "invalid ref \"2026-02-30T10:00:00\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04 10:00:00\", \"expect\": {}}",
	  "invalid ref" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T25:00:00\", \"expect\": {}}",
	  "invalid ref" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00+01:00\", \"expect\": {}}",
	  "invalid ref" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04\", \"expect\": {}}",
	  "invalid ref" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"venue\": \"Cafe\"}}", "unknown key \"venue\" in expect" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"start\": \"2026-13-01\"}}", "invalid expect.start \"2026-13-01\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"end\": \"tomorrow\"}}", "invalid expect.end \"tomorrow\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"start\": 5}}", "expect.start must be a string or null" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"duration_min\": \"60\"}}", "expect.duration_min must be a whole number" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"duration_min\": -5}}", "expect.duration_min must be a whole number" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"all_day\": \"yes\"}}", "expect.all_day must be true, false or null" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"attendees\": \"Sam\"}}", "expect.attendees must be an array" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"attendees\": [\"Sam\", 3]}}", "expect.attendees[1] must be a non-empty" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", "
	  "\"expect\": {\"title\": 12}}", "expect.title must be a string or null" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"locale\": "
	  "\"fr-FR\", \"expect\": {}}", "invalid locale \"fr-FR\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"tz\": "
	  "\"Mars/Olympus_Mons\", \"expect\": {}}", "unknown time zone \"Mars/Olympus_Mons\"" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"tz\": "
	  "\"../../etc/passwd\", \"expect\": {}}", "invalid time zone" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"tags\": \"a\", "
	  "\"expect\": {}}", "\"tags\" must be an array of strings" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"tags\": [\"a\", 1], "
	  "\"expect\": {}}", "tags[1] must be a non-empty string" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"source\": 1, "
	  "\"expect\": {}}", "\"source\" must be a string" },
	{ "{\"id\": \"x\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"note\": \"hi\", "
	  "\"expect\": {}}", "unknown key \"note\": a case accepts" },
	{ "{\"id\": \"x\", \"text\": \"caf\xE9\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "the line is not valid UTF-8 (byte 0xE9 at column 25)" },
	{ "{\"id\": \"x\", \"text\": \"\\ud800\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}",
	  "invalid JSON" },
};

static void test_corpus_each_bad_line_reported(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		char content[2048];
		struct messages m = { .count = 0 };
		struct corpus *c;
		const char *colon;

		snprintf(content, sizeof content, GOOD_LINE "\n%s\n" OTHER_GOOD_LINE "\n",
			 bad_lines[i].line);
		c = load_text(content, &m);

		if (m.count != 1 || !strstr(m.lines[0], bad_lines[i].message))
			fail_msg("line \"%s\": expected \"%s\", got %zu messages, first \"%s\"",
				 bad_lines[i].line, bad_lines[i].message, m.count,
				 m.count ? m.lines[0] : "");
		colon = strstr(m.lines[0], ":2: ");
		assert_non_null(colon);
		assert_true(strncmp(m.lines[0], "/tmp/caltune-test-corpus-", 25) == 0);
		assert_int_equal(c->count, 2);
		assert_int_equal(c->bad_lines, 1);
		assert_string_equal(c->cases[1].id, "other");
		assert_int_equal(c->cases[1].line, 3);
		corpus_free(c);
	}
}

static void test_corpus_values_too_long(void **state)
{
	char content[4096];
	char title[400];
	struct messages m = { .count = 0 };
	struct corpus *c;

	(void)state;
	memset(title, 'x', 300);
	title[300] = '\0';
	snprintf(content, sizeof content, "{\"id\": \"x\", \"text\": \"t\", \"ref\": "
		 "\"2026-12-04T10:00:00\", \"expect\": {\"title\": \"%s\"}}\n"
		 "{\"id\": \"y\", \"text\": \"t\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": "
		 "{\"attendees\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\","
		 "\"l\",\"m\"]}}\n", title);
	c = load_text(content, &m);
	assert_int_equal(c->count, 0);
	assert_int_equal(m.count, 2);
	assert_non_null(strstr(m.lines[0], ":1: expect.title is 300 bytes, above the 255-byte limit"));
	assert_non_null(strstr(m.lines[1], ":2: expect.attendees has 13 names, above the limit of 12"));
	corpus_free(c);
}

static void test_corpus_empty_and_long_text_load(void **state)
{
	size_t size = 70000;
	char *content = malloc(size + 200);
	struct messages m = { .count = 0 };
	struct corpus *c;
	size_t n;

	(void)state;
	assert_non_null(content);
	n = (size_t)sprintf(content, "{\"id\": \"empty\", \"text\": \"\", \"ref\": "
			    "\"2026-12-04T10:00:00\", \"expect\": {}}\n{\"id\": \"long\", \"text\": \"");
	memset(content + n, 'a', 65536);
	n += 65536;
	sprintf(content + n, "\", \"ref\": \"2026-12-04T10:00:00\", \"expect\": {}}\n");
	c = load_text(content, &m);
	assert_int_equal(m.count, 0);
	assert_int_equal(c->count, 2);
	assert_int_equal(c->cases[0].text_len, 0);
	assert_int_equal(c->cases[1].text_len, 65536);
	corpus_free(c);
	free(content);
}

static void test_corpus_mixed_fixture(void **state)
{
	struct messages m = { .count = 0 };
	char err[512] = "";
	struct corpus *c = corpus_load("tests/data/mixed.jsonl", collect, &m, err, sizeof err);

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->count, 3);
	assert_int_equal(c->bad_lines, 9);
	assert_int_equal(m.count, 9);
	assert_string_equal(c->cases[0].id, "ok-1");
	assert_string_equal(c->cases[1].id, "ok-2");
	assert_string_equal(c->cases[2].id, "ok-3");
	assert_non_null(strstr(m.lines[0], "tests/data/mixed.jsonl:3: invalid JSON"));
	assert_non_null(strstr(m.lines[8], "tests/data/mixed.jsonl:12: the line is not valid UTF-8"));
	corpus_free(c);
}

static void test_corpus_unreadable_file(void **state)
{
	char err[512] = "";
	struct messages m = { .count = 0 };

	(void)state;
	assert_null(corpus_load("/nonexistent/corpus.jsonl", collect, &m, err, sizeof err));
	assert_non_null(strstr(err, "cannot open corpus /nonexistent/corpus.jsonl"));
	assert_null(corpus_load("/tmp", collect, &m, err, sizeof err));
	assert_non_null(strstr(err, "/tmp: it is a folder, not a JSON Lines file"));
	assert_int_equal(m.count, 0);
}

/* A line above CORPUS_LINE_MAX is reported with its length and skipped,
 * the lines around it load, and the hash still covers every byte. */
static void test_corpus_overlong_line_skipped(void **state)
{
	size_t long_len = CORPUS_LINE_MAX + 4096;
	size_t total = 3 + strlen(GOOD_LINE) + 2 + long_len + 1 + strlen(OTHER_GOOD_LINE) + 1;
	char *content = malloc(total + 1);
	struct messages m = { .count = 0 };
	char err[512] = "";
	char hex[SHA256_HEX_SIZE];
	char expected[160];
	const char *path;
	struct corpus *c;
	size_t n = 0;

	(void)state;
	assert_non_null(content);
	n += (size_t)sprintf(content + n, "\xEF\xBB\xBF%s\r\n", GOOD_LINE);
	memset(content + n, 'x', long_len);
	n += long_len;
	n += (size_t)sprintf(content + n, "\n%s\n", OTHER_GOOD_LINE);
	assert_int_equal(n, total);
	path = write_temp(content, n);
	c = corpus_load(path, collect, &m, err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->count, 2);
	assert_string_equal(c->cases[0].id, "good");
	assert_int_equal(c->cases[1].line, 3);
	assert_int_equal(c->bad_lines, 1);
	assert_int_equal(m.count, 1);
	snprintf(expected, sizeof expected, "%s:2: the line is %zu bytes, above the %zu-byte limit",
		 path, long_len, CORPUS_LINE_MAX);
	assert_non_null(strstr(m.lines[0], expected));
	sha256_hex(content, n, hex);
	assert_string_equal(c->sha256, hex);
	corpus_free(c);
	unlink(path);
	free(content);
}

static void test_corpus_null_callback(void **state)
{
	char err[512] = "";
	const char *path = write_temp("junk\n" GOOD_LINE "\n", strlen("junk\n" GOOD_LINE "\n"));
	struct corpus *c = corpus_load(path, NULL, NULL, err, sizeof err);

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->bad_lines, 1);
	corpus_free(c);
	unlink(path);
}

static void test_corpus_parse_ref_forms(void **state)
{
	struct cal_datetime t;

	(void)state;
	assert_true(corpus_parse_ref("2026-12-04T10:20:30", &t));
	assert_int_equal(t.second, 30);
	assert_true(corpus_parse_ref("2024-02-29T00:00", &t));
	assert_int_equal(t.second, 0);
	assert_false(corpus_parse_ref("2023-02-29T00:00:00", &t));
	assert_false(corpus_parse_ref("2026-12-04", &t));
	assert_false(corpus_parse_ref("2026-12-04T10:00:00Z", &t));
	assert_false(corpus_parse_ref("2026-12-04T10:60:00", &t));
	assert_false(corpus_parse_ref("2026-12-04T10:00:00 ", &t));
	assert_false(corpus_parse_ref("", &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_good_lines_decode),
		cmocka_unit_test(test_corpus_blank_lines_keep_numbers),
		cmocka_unit_test(test_corpus_crlf_and_bom),
		cmocka_unit_test(test_corpus_each_bad_line_reported),
		cmocka_unit_test(test_corpus_values_too_long),
		cmocka_unit_test(test_corpus_empty_and_long_text_load),
		cmocka_unit_test(test_corpus_mixed_fixture),
		cmocka_unit_test(test_corpus_unreadable_file),
		cmocka_unit_test(test_corpus_overlong_line_skipped),
		cmocka_unit_test(test_corpus_null_callback),
		cmocka_unit_test(test_corpus_parse_ref_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
