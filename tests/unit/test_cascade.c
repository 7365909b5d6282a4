/*
 * The cascade around its tiers. Texts rejected before any tier runs
 * (empty, white space only, too long, invalid UTF-8) and their messages.
 * Backends this version cannot run, lazy tier loading, forced modes, and
 * cache and latency counts. Two threads parsing at once through their own
 * workers.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/cascade.h"
#include "engine/utf8.h"

static const struct cal_datetime friday_10am = { { 2026, 12, 4 }, 10, 0, 0 };
static const struct cal_datetime monday_6pm = { { 2027, 3, 1 }, 18, 0, 0 };

static struct cascade_config balanced(void)
{
	struct cascade_config cfg;
	char err[256] = "";

	if (config_preset(&cfg, "balanced", err, sizeof err) != 0)
		fail_msg("config_preset(balanced): %s", err);
	cfg.llm_backend = LLM_OFF;  /* no LLM server is involved in these tests */
	return cfg;
}

/* A cascade, one worker and one result, freed by teardown also after a
 * failed assert. The prestate, when given, is the cache size. */
struct fixture {
	struct cascade *cascade;
	struct cascade_worker *worker;
	struct parse_result *result;
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct cascade_config cfg;
	char err[256] = "";

	if (!f)
		return -1;
	if (config_preset(&cfg, "balanced", err, sizeof err) != 0) {
		free(f);
		return -1;
	}
	if (*state)
		cfg.cache_l1_entries = *(const int *)*state;
	*state = f;
	f->cascade = cascade_new(&cfg, err, sizeof err);
	f->worker = f->cascade ? cascade_worker_new(f->cascade, err, sizeof err) : NULL;
	f->result = malloc(sizeof *f->result);
	return f->cascade && f->worker && f->result ? 0 : -1;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	free(f->result);
	cascade_worker_free(f->worker);
	cascade_free(f->cascade);
	free(f);
	return 0;
}

static enum parse_status parse_bytes(struct fixture *f, const char *text, size_t len)
{
	struct parse_input in = { text, len, friday_10am, NULL, LOCALE_EN_US };

	return cascade_parse(f->worker, &in, f->result);
}

static enum parse_status parse_text(struct fixture *f, const char *text)
{
	return parse_bytes(f, text, strlen(text));
}

static void assert_no_tier_called(const struct parse_result *r)
{
	for (int t = 0; t < TIER_COUNT; t++)
		assert_false(r->tiers[t].called);
	assert_int_equal(r->event.has, 0);
	assert_false(r->cache_hit);
}

static void test_cascade_empty_text(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse_bytes(f, "", 0), PARSE_EMPTY);
	assert_int_equal(f->result->status, PARSE_EMPTY);
	assert_string_equal(f->result->error, "text is empty: give the event text to parse");
	assert_no_tier_called(f->result);
}

static void test_cascade_white_space_only(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse_text(f, " \t\n\r\v\f  "), PARSE_EMPTY);
	assert_string_equal(f->result->error, "text is empty: give the event text to parse");
	assert_no_tier_called(f->result);
}

static void test_cascade_too_long(void **state)
{
	struct fixture *f = *state;
	char *text = malloc(PARSE_TEXT_MAX + 1);

	assert_non_null(text);
	memset(text, 'x', PARSE_TEXT_MAX + 1);

	assert_int_equal(parse_bytes(f, text, PARSE_TEXT_MAX + 1), PARSE_TOO_LONG);
	assert_string_equal(f->result->error, "text is 16385 bytes, above the 16384-byte limit: "
			    "shorten it or split it into several events");
	assert_no_tier_called(f->result);

	/* Exactly the limit is parsed. */
	assert_int_equal(parse_bytes(f, text, PARSE_TEXT_MAX), PARSE_OK);
	assert_true(f->result->tiers[TIER_REGEX].called);
	free(text);
}

static void test_cascade_invalid_utf8(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse_text(f, "Lunch \xC3\x28 Friday"), PARSE_BAD_UTF8);
	assert_string_equal(f->result->error, "text is not valid UTF-8 (byte 0xC3 at offset 6): "
			    "re-encode it as UTF-8");
	assert_no_tier_called(f->result);

	/* A sequence cut short by the end of the text. */
	assert_int_equal(parse_text(f, "Caf\xC3"), PARSE_BAD_UTF8);
	assert_string_equal(f->result->error, "text is not valid UTF-8 (byte 0xC3 at offset 3): "
			    "re-encode it as UTF-8");

	/* A Latin-1 encoded text. */
	assert_int_equal(parse_text(f, "Caf\xE9 at 9am"), PARSE_BAD_UTF8);
	assert_string_equal(f->result->error, "text is not valid UTF-8 (byte 0xE9 at offset 3): "
			    "re-encode it as UTF-8");
}

static void test_cascade_status_messages(void **state)
{
	(void)state;
	assert_string_equal(parse_status_message(PARSE_OK), "ok");
	assert_string_equal(parse_status_message(PARSE_EMPTY), "text is empty");
	assert_string_equal(parse_status_message(PARSE_TOO_LONG), "text is too long");
	assert_string_equal(parse_status_message(PARSE_BAD_UTF8), "text is not valid UTF-8");
	assert_string_equal(parse_status_message(PARSE_TIER_FAILED), "a tier failed");
	assert_string_equal(parse_status_message((enum parse_status)99), "unknown status");
}

static void test_cascade_op_names(void **state)
{
	(void)state;
	assert_string_equal(cascade_op_name(OP_REGEX_EXTRACT), "regex:extract");
	assert_string_equal(cascade_op_name(OP_RULES_EXTRACT), "rules:extract");
	assert_string_equal(cascade_op_name(OP_LLM_COMPLETE), "llm:complete");
	assert_string_equal(cascade_op_name(OP_CACHE_GET), "cache:get");
	assert_string_equal(cascade_op_name(OP_PARSE), "parse");
	assert_string_equal(cascade_op_name(OP_COUNT), "?");
}

static void test_cascade_rejects_llm_mode_when_off(void **state)
{
	static const char message[] = "--mode llm needs the llm tier, but llm.backend is off: set "
				      "llm.backend to ollama, openai or replay";
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	cfg.llm_backend = LLM_OFF;
	cfg.mode = MODE_LLM;
	assert_null(cascade_new(&cfg, err, sizeof err));
	assert_string_equal(err, message);
}

static void test_cascade_keeps_config(void **state)
{
	struct fixture *f = *state;
	const struct cascade_config *cfg = cascade_get_config(f->cascade);

	assert_string_equal(cfg->preset, "balanced");
	assert_int_equal(cfg->mode, MODE_HYBRID);
}

static void test_cascade_parses_example(void **state)
{
	struct fixture *f = *state;
	char buf[128];

	assert_int_equal(parse_text(f, "Lunch with Sarah next Friday at noon at Cafe Rio"),
			 PARSE_OK);
	assert_string_equal(f->result->error, "");

	/* Said on Friday 2026-12-04: "next Friday" is a week later. */
	event_format_field(&f->result->event, FIELD_START, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-11T12:00");
	event_format_field(&f->result->event, FIELD_LOCATION, buf, sizeof buf);
	assert_string_equal(buf, "Cafe Rio");
	assert_true(f->result->tiers[TIER_REGEX].called);
	assert_false(f->result->tiers[TIER_LLM].called);
}

/* A title longer than the event's title buffer is cut on a character
 * boundary, and the fields after it stay intact. */
static void test_cascade_long_title(void **state)
{
	struct fixture *f = *state;
	char text[1024], buf[128];
	size_t n = 0;

	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "wörd ");
	snprintf(text + n, sizeof text - n, "tomorrow more words at 3pm end here");
	assert_int_equal(parse_text(f, text), PARSE_OK);
	event_format_field(&f->result->event, FIELD_START, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-05T15:00");
	assert_true(strlen(f->result->event.title) < EVENT_TITLE_MAX);
	assert_true(utf8_valid(f->result->event.title, strlen(f->result->event.title), NULL));
	for (int field = 0; field < FIELD_COUNT; field++) {
		assert_true(f->result->event.confidence[field] >= 0.0f);
		assert_true(f->result->event.confidence[field] <= 1.0f);
	}
}

static void test_cascade_text_not_terminated(void **state)
{
	static const char whole[] = "Dentist tomorrow 3pm";
	static const char longer[] = "Dentist tomorrow 3pm and then lunch on Monday";
	struct fixture *f = *state;
	char expected[FIELD_COUNT][512];

	/* The cache is off (prestate 0), so both parses run the tiers. */
	assert_int_equal(parse_text(f, whole), PARSE_OK);
	for (int field = 0; field < FIELD_COUNT; field++)
		event_format_field(&f->result->event, (enum field)field, expected[field],
				   sizeof expected[field]);

	/* Only the first len bytes are the text. */
	assert_int_equal(parse_bytes(f, longer, strlen(whole)), PARSE_OK);
	assert_false(f->result->cache_hit);
	for (int field = 0; field < FIELD_COUNT; field++) {
		char got[512];

		event_format_field(&f->result->event, (enum field)field, got, sizeof got);
		assert_string_equal(got, expected[field]);
	}
	assert_string_equal(expected[FIELD_START], "2026-12-05T15:00");
}

static void test_cascade_loads_tiers_lazily(void **state)
{
	struct fixture *f = *state;

	assert_false(cascade_tier_loaded(f->cascade, TIER_REGEX));
	assert_false(cascade_tier_loaded(f->cascade, TIER_RULES));

	/* A rejected text loads nothing. */
	assert_int_equal(parse_text(f, "   "), PARSE_EMPTY);
	assert_false(cascade_tier_loaded(f->cascade, TIER_REGEX));

	assert_int_equal(parse_text(f, "Dentist tomorrow 3pm"), PARSE_OK);
	assert_true(cascade_tier_loaded(f->cascade, TIER_REGEX));
	assert_false(cascade_tier_loaded(f->cascade, TIER_LLM));
}

static void test_cascade_forced_modes(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";
	struct parse_result *r = malloc(sizeof *r);
	struct parse_input in = { "Dentist tomorrow 3pm", 20, friday_10am, NULL, LOCALE_EN_US };

	(void)state;
	assert_non_null(r);
	for (int mode = MODE_REGEX; mode <= MODE_RULES; mode++) {
		struct cascade *cascade;
		struct cascade_worker *worker;
		enum tier only = mode == MODE_REGEX ? TIER_REGEX : TIER_RULES;
		enum tier other = mode == MODE_REGEX ? TIER_RULES : TIER_REGEX;

		cfg.mode = (enum cascade_mode)mode;
		cascade = cascade_new(&cfg, err, sizeof err);
		assert_non_null(cascade);
		worker = cascade_worker_new(cascade, err, sizeof err);
		assert_non_null(worker);

		assert_int_equal(cascade_parse(worker, &in, r), PARSE_OK);
		assert_true(r->tiers[only].called);
		assert_false(r->tiers[other].called);
		assert_false(cascade_tier_loaded(cascade, other));

		/* A forced tier sets every field, whatever its confidence. */
		for (int field = 0; field < FIELD_COUNT; field++)
			assert_int_equal(r->event.tier[field], only);
		cascade_worker_free(worker);
		cascade_free(cascade);
	}
	free(r);
}

static void test_cascade_cache_counts(void **state)
{
	struct fixture *f = *state;
	uint64_t lookups = 99;
	uint64_t hits = 99;
	struct metrics_stats stats;

	cascade_cache_counts(f->cascade, &lookups, &hits);
	assert_int_equal(lookups, 0);
	assert_int_equal(hits, 0);

	assert_int_equal(parse_text(f, "Dentist tomorrow 3pm"), PARSE_OK);
	cascade_cache_counts(f->cascade, &lookups, &hits);
	assert_int_equal(lookups, 1);
	assert_int_equal(hits, 0);

	assert_int_equal(parse_text(f, "Dentist tomorrow 3pm"), PARSE_OK);
	assert_true(f->result->cache_hit);
	cascade_cache_counts(f->cascade, &lookups, &hits);
	assert_int_equal(lookups, 2);
	assert_int_equal(hits, 1);

	assert_int_equal(parse_text(f, "Lunch on Monday at noon"), PARSE_OK);
	cascade_cache_counts(f->cascade, &lookups, &hits);
	assert_int_equal(lookups, 3);
	assert_int_equal(hits, 1);

	/* A rejected text never reaches the cache. */
	assert_int_equal(parse_text(f, ""), PARSE_EMPTY);
	cascade_cache_counts(f->cascade, &lookups, &hits);
	assert_int_equal(lookups, 3);
	assert_int_equal(hits, 1);

	cascade_stats(f->cascade, OP_CACHE_GET, &stats);
	assert_int_equal(stats.count, 3);

	/* Every parse counts, the rejected one as a failure. */
	cascade_stats(f->cascade, OP_PARSE, &stats);
	assert_int_equal(stats.count, 4);
	assert_true(stats.success_rate == 0.75);

	/* The hit ran no tier: two texts reached tier 1. */
	cascade_stats(f->cascade, OP_REGEX_EXTRACT, &stats);
	assert_int_equal(stats.count, 2);
}

static void test_cascade_cache_disabled_counts(void **state)
{
	struct fixture *f = *state;
	uint64_t lookups = 99;
	uint64_t hits = 99;

	assert_int_equal(parse_text(f, "Dentist tomorrow 3pm"), PARSE_OK);
	assert_int_equal(parse_text(f, "Dentist tomorrow 3pm"), PARSE_OK);
	assert_false(f->result->cache_hit);
	cascade_cache_counts(f->cascade, &lookups, &hits);
	assert_int_equal(lookups, 0);
	assert_int_equal(hits, 0);
}

/* Texts for the thread test: several tiers, fields and rules each. */
static const char *const thread_texts[] = {
	"Lunch with Sarah next Friday at noon at Cafe Rio",
	"Dentist tomorrow 3pm",
	"Team standup every Monday at 9am",
	"Call mom at 7",
	"Flight to Berlin on March 3rd at 6:45am",
	"Dinner tonight at 8",
	"Board meeting Dec 15 2pm-4pm in Room 4B",
	"Yoga every Tuesday and Thursday at 6pm",
	"Project review in 2 weeks",
	"Vacation from July 1 to July 10",
	"Coffee w/ Tom at 10 a.m. tomorrow",
	"Party \xF0\x9F\x8E\x89 Saturday night at 9",
};

#define THREAD_TEXT_COUNT (sizeof thread_texts / sizeof thread_texts[0])
#define THREAD_ROUNDS 20

/* One thread's work: parse every text THREAD_ROUNDS times against its own
 * reference time and compare with the single-threaded results. cmocka's
 * asserts are not thread-safe, so a thread records its first mismatch and
 * the main thread asserts. */
struct thread_job {
	struct cascade *cascade;
	struct cal_datetime ref;
	const struct event *expected;   /* THREAD_TEXT_COUNT answers */
	int parses;
	int mismatches;
	char first_mismatch[1024];
};

/* Compares two events field by field and writes the first difference. */
static bool same_event(const struct event *a, const struct event *b, char *diff, size_t size)
{
	for (int field = 0; field < FIELD_COUNT; field++) {
		char x[512];
		char y[512];

		event_format_field(a, (enum field)field, x, sizeof x);
		event_format_field(b, (enum field)field, y, sizeof y);
		if (strcmp(x, y) != 0 || event_has(a, (enum field)field) !=
		    event_has(b, (enum field)field) || a->confidence[field] != b->confidence[field] ||
		    a->tier[field] != b->tier[field]) {
			snprintf(diff, size, "%s: \"%.120s\" (%s %.2f), expected \"%.120s\" (%s %.2f)",
				 field_name((enum field)field), x, tier_name(a->tier[field]),
				 (double)a->confidence[field], y, tier_name(b->tier[field]),
				 (double)b->confidence[field]);
			return false;
		}
	}
	return true;
}

static void *run_thread_job(void *arg)
{
	struct thread_job *job = arg;
	char err[256] = "";
	struct cascade_worker *worker = cascade_worker_new(job->cascade, err, sizeof err);
	struct parse_result *r = malloc(sizeof *r);

	if (!worker || !r) {
		snprintf(job->first_mismatch, sizeof job->first_mismatch, "setup failed: %s", err);
		job->mismatches++;
		cascade_worker_free(worker);
		free(r);
		return NULL;
	}
	for (int round = 0; round < THREAD_ROUNDS; round++) {
		for (size_t i = 0; i < THREAD_TEXT_COUNT; i++) {
			struct parse_input in = { thread_texts[i], strlen(thread_texts[i]), job->ref,
						  NULL, LOCALE_EN_US };
			char diff[384];

			job->parses++;
			if (cascade_parse(worker, &in, r) != PARSE_OK) {
				snprintf(diff, sizeof diff, "status %d: %s", r->status, r->error);
			} else if (same_event(&r->event, &job->expected[i], diff, sizeof diff)) {
				continue;
			}
			if (job->mismatches++ == 0)
				snprintf(job->first_mismatch, sizeof job->first_mismatch,
					 "round %d, \"%s\": %s", round, thread_texts[i], diff);
		}
	}
	free(r);
	cascade_worker_free(worker);
	return NULL;
}

/* The results of a fresh single-threaded cascade for every thread text. */
static void expected_answers(const struct cascade_config *cfg, struct cal_datetime ref,
			     struct event *out)
{
	struct fixture f = { 0 };
	char err[256] = "";

	f.cascade = cascade_new(cfg, err, sizeof err);
	assert_non_null(f.cascade);
	f.worker = cascade_worker_new(f.cascade, err, sizeof err);
	assert_non_null(f.worker);
	f.result = malloc(sizeof *f.result);
	assert_non_null(f.result);
	for (size_t i = 0; i < THREAD_TEXT_COUNT; i++) {
		struct parse_input in = { thread_texts[i], strlen(thread_texts[i]), ref, NULL,
					  LOCALE_EN_US };

		assert_int_equal(cascade_parse(f.worker, &in, f.result), PARSE_OK);
		out[i] = f.result->event;
	}
	free(f.result);
	cascade_worker_free(f.worker);
	cascade_free(f.cascade);
}

static void run_two_threads(int cache_entries)
{
	struct cascade_config cfg = balanced();
	struct event *expected = calloc(2 * THREAD_TEXT_COUNT, sizeof *expected);
	struct thread_job jobs[2];
	pthread_t threads[2];
	struct cascade *shared;
	char err[256] = "";

	assert_non_null(expected);
	cfg.cache_l1_entries = cache_entries;
	expected_answers(&cfg, friday_10am, expected);
	expected_answers(&cfg, monday_6pm, expected + THREAD_TEXT_COUNT);

	/* The two reference times must give different results, or a thread
	 * reading the other's state would go unnoticed. */
	assert_int_equal(expected[1].start.t.date.day, 5);
	assert_int_equal(expected[THREAD_TEXT_COUNT + 1].start.t.date.day, 2);

	/* A fresh cascade, so the threads also race to load the tiers. */
	shared = cascade_new(&cfg, err, sizeof err);
	assert_non_null(shared);
	memset(jobs, 0, sizeof jobs);
	jobs[0].cascade = shared;
	jobs[0].ref = friday_10am;
	jobs[0].expected = expected;
	jobs[1].cascade = shared;
	jobs[1].ref = monday_6pm;
	jobs[1].expected = expected + THREAD_TEXT_COUNT;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, run_thread_job, &jobs[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	cascade_free(shared);
	free(expected);

	for (int i = 0; i < 2; i++) {
		if (jobs[i].mismatches)
			fail_msg("thread %d: %d mismatches; first: %s", i, jobs[i].mismatches,
				 jobs[i].first_mismatch);
		assert_int_equal(jobs[i].parses, THREAD_ROUNDS * (int)THREAD_TEXT_COUNT);
	}
}

static void test_cascade_two_threads(void **state)
{
	(void)state;
	run_two_threads(0);
}

static void test_cascade_two_threads_cached(void **state)
{
	(void)state;
	run_two_threads(500);
}

int main(void)
{
	static const int no_cache = 0;
#define FIXTURE_TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		FIXTURE_TEST(test_cascade_empty_text),
		FIXTURE_TEST(test_cascade_white_space_only),
		FIXTURE_TEST(test_cascade_too_long),
		FIXTURE_TEST(test_cascade_invalid_utf8),
		cmocka_unit_test(test_cascade_status_messages),
		cmocka_unit_test(test_cascade_op_names),
		cmocka_unit_test(test_cascade_rejects_llm_mode_when_off),
		FIXTURE_TEST(test_cascade_keeps_config),
		FIXTURE_TEST(test_cascade_parses_example),
		FIXTURE_TEST(test_cascade_long_title),
		cmocka_unit_test_prestate_setup_teardown(test_cascade_text_not_terminated,
							 fixture_setup, fixture_teardown,
							 (void *)&no_cache),
		FIXTURE_TEST(test_cascade_loads_tiers_lazily),
		cmocka_unit_test(test_cascade_forced_modes),
		FIXTURE_TEST(test_cascade_cache_counts),
		cmocka_unit_test_prestate_setup_teardown(test_cascade_cache_disabled_counts,
							 fixture_setup, fixture_teardown,
							 (void *)&no_cache),
		cmocka_unit_test(test_cascade_two_threads),
		cmocka_unit_test(test_cascade_two_threads_cached),
	};
#undef FIXTURE_TEST

	return cmocka_run_group_tests_name("cascade", tests, NULL, NULL);
}
