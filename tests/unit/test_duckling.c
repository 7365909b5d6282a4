/*
 * The Duckling backend of tier 2: canned answers in the shapes Duckling
 * sends (values with grains, intervals whose "to" is one grain past the
 * stated end, durations, code-point offsets) mapped onto events, and the
 * whole tier against a local server that answers, rejects the request with
 * 422, closes the connection without a reply, or answers too late.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/cascade.h"
#include "engine/config.h"
#include "engine/duckling.h"
#include "engine/token.h"
#include "tests/unit/support/test_server.h"

/* Every text here is read on Friday 2026-12-04 at 09:00. */
static const struct cal_datetime REF = { { 2026, 12, 4 }, 9, 0, 0 };

struct mapped {
	struct token_list tokens;
	struct grammar_item items[16];
	int count;
	char err[256];
};

static void map(struct mapped *m, const char *text, const char *answer)
{
	struct parse_input in = { text, strlen(text), REF, NULL, LOCALE_EN_US };

	assert_int_equal(token_list_init(&m->tokens), 0);
	tokenize(text, in.len, &m->tokens);
	m->count = duckling_map_answer(answer, strlen(answer), &in, m->tokens.tokens,
				       m->tokens.count, m->items, 16, m->err, sizeof m->err);
}

static void test_value_with_hour_grain_is_a_clock_time(void **state)
{
	struct mapped m;
	const struct mention *t;

	(void)state;
	map(&m, "Dentist tomorrow at 3pm",
	    "[{\"body\":\"tomorrow at 3pm\",\"start\":8,\"end\":23,\"dim\":\"time\",\"latent\":false,"
	    "\"value\":{\"type\":\"value\",\"value\":\"2026-12-05T15:00:00.000+00:00\","
	    "\"grain\":\"hour\",\"values\":[]}}]");
	assert_int_equal(m.count, 1);
	t = &m.items[0].mention;
	assert_int_equal(t->kind, MENTION_POINT);
	assert_int_equal(t->date.day.day, 5);
	assert_int_equal(t->time.kind, TIME_CLOCK);
	assert_int_equal(t->time.hour, 15);
	assert_int_equal(t->time.minute, 0);
	/* "tomorrow at 3pm" covers tokens 1..3 of "Dentist tomorrow at 3pm". */
	assert_int_equal(m.items[0].first, 1);
	assert_int_equal(m.items[0].last, (int)m.tokens.count - 1);
	token_list_free(&m.tokens);
}

static void test_interval_end_is_one_grain_back(void **state)
{
	struct mapped m;
	const struct mention *t;

	(void)state;
	map(&m, "Review from 3 to 5pm",
	    "[{\"body\":\"from 3 to 5pm\",\"start\":7,\"end\":20,\"dim\":\"time\",\"latent\":false,"
	    "\"value\":{\"type\":\"interval\","
	    "\"from\":{\"value\":\"2026-12-04T15:00:00.000+00:00\",\"grain\":\"hour\"},"
	    "\"to\":{\"value\":\"2026-12-04T18:00:00.000+00:00\",\"grain\":\"hour\"}}}]");
	assert_int_equal(m.count, 1);
	t = &m.items[0].mention;
	assert_int_equal(t->kind, MENTION_RANGE);
	assert_int_equal(t->time.hour, 15);
	assert_int_equal(t->time2.hour, 17);
	assert_int_equal(t->time2.minute, 0);
	token_list_free(&m.tokens);
}

static void test_minute_interval_and_day_interval(void **state)
{
	struct mapped m;
	const struct mention *t;

	(void)state;
	map(&m, "Standup 9:30 to 9:45",
	    "[{\"start\":8,\"end\":20,\"dim\":\"time\",\"latent\":false,"
	    "\"value\":{\"type\":\"interval\","
	    "\"from\":{\"value\":\"2026-12-04T09:30:00.000+00:00\",\"grain\":\"minute\"},"
	    "\"to\":{\"value\":\"2026-12-04T09:46:00.000+00:00\",\"grain\":\"minute\"}}}]");
	assert_int_equal(m.count, 1);
	t = &m.items[0].mention;
	assert_int_equal(t->time2.hour, 9);
	assert_int_equal(t->time2.minute, 45);
	token_list_free(&m.tokens);

	/* "Dec 21 to Dec 23" comes back to Dec 24 at grain day: the last day
	 * is the 23rd, and neither end has a time. */
	map(&m, "Trip Dec 21 to Dec 23",
	    "[{\"start\":5,\"end\":21,\"dim\":\"time\",\"latent\":false,"
	    "\"value\":{\"type\":\"interval\","
	    "\"from\":{\"value\":\"2026-12-21T00:00:00.000+00:00\",\"grain\":\"day\"},"
	    "\"to\":{\"value\":\"2026-12-24T00:00:00.000+00:00\",\"grain\":\"day\"}}}]");
	assert_int_equal(m.count, 1);
	t = &m.items[0].mention;
	assert_int_equal(t->date.day.day, 21);
	assert_int_equal(t->time.kind, TIME_NONE);
	assert_int_equal(t->date2.kind, DATE_DAY);
	assert_int_equal(t->date2.day.day, 23);
	assert_int_equal(t->time2.kind, TIME_NONE);
	token_list_free(&m.tokens);
}

static void test_day_grain_is_a_date_without_time(void **state)
{
	struct mapped m;
	const struct mention *t;

	(void)state;
	map(&m, "Holiday on Monday",
	    "[{\"start\":11,\"end\":17,\"dim\":\"time\",\"latent\":false,"
	    "\"value\":{\"type\":\"value\",\"value\":\"2026-12-07T00:00:00.000+00:00\","
	    "\"grain\":\"day\"}}]");
	assert_int_equal(m.count, 1);
	t = &m.items[0].mention;
	assert_int_equal(t->date.kind, DATE_DAY);
	assert_int_equal(t->date.day.day, 7);
	assert_int_equal(t->time.kind, TIME_NONE);
	token_list_free(&m.tokens);
}

static void test_duration_and_latent(void **state)
{
	struct mapped m;

	(void)state;
	map(&m, "Workshop for 90 minutes at 10",
	    "[{\"start\":13,\"end\":23,\"dim\":\"duration\",\"latent\":false,"
	    "\"value\":{\"value\":90,\"minute\":90,\"type\":\"value\",\"unit\":\"minute\","
	    "\"normalized\":{\"value\":5400,\"unit\":\"second\"}}},"
	    "{\"start\":27,\"end\":29,\"dim\":\"time\",\"latent\":true,"
	    "\"value\":{\"type\":\"value\",\"value\":\"2026-12-04T10:00:00.000+00:00\","
	    "\"grain\":\"hour\"}}]");
	assert_int_equal(m.count, 2);
	assert_int_equal(m.items[0].mention.kind, MENTION_DURATION);
	assert_int_equal(m.items[0].mention.duration_min, 90);
	assert_true(m.items[0].mention.duration_for);
	/* A latent match ("10" alone) is kept, with less confidence. */
	assert_true(m.items[1].mention.confidence < m.items[0].mention.confidence);
	token_list_free(&m.tokens);
}

static void test_offsets_count_code_points(void **state)
{
	struct mapped m;

	(void)state;
	/* "Café naïve" is 10 code points and 12 bytes, so offsets read as
	 * bytes would land two bytes early, inside "meeting". */
	map(&m, "Café naïve meeting at 4pm",
	    "[{\"start\":19,\"end\":25,\"dim\":\"time\",\"latent\":false,"
	    "\"value\":{\"type\":\"value\",\"value\":\"2026-12-04T16:00:00.000+00:00\","
	    "\"grain\":\"hour\"}}]");
	assert_int_equal(m.count, 1);
	assert_true(token_is(&m.tokens.tokens[m.items[0].first], "at"));
	assert_int_equal(m.items[0].last, (int)m.tokens.count - 1);
	token_list_free(&m.tokens);
}

static void test_bad_answers_fail_or_skip(void **state)
{
	struct mapped m;

	(void)state;
	map(&m, "Lunch at noon", "Need a 'text' parameter");
	assert_int_equal(m.count, -1);
	assert_non_null(strstr(m.err, "not valid JSON"));
	token_list_free(&m.tokens);

	map(&m, "Lunch at noon", "{\"error\":\"x\"}");
	assert_int_equal(m.count, -1);
	assert_non_null(strstr(m.err, "array"));
	token_list_free(&m.tokens);

	/* Entities it cannot use are skipped: an unknown dimension, a value
	 * that is no time, offsets past the text, an open interval. */
	map(&m, "Lunch at noon",
	    "[{\"start\":0,\"end\":5,\"dim\":\"email\",\"value\":{\"value\":\"x\"}},"
	    "{\"start\":6,\"end\":13,\"dim\":\"time\",\"value\":{\"type\":\"value\",\"value\":\"soon\"}},"
	    "{\"start\":90,\"end\":99,\"dim\":\"time\",\"value\":{\"type\":\"value\","
	    "\"value\":\"2026-12-04T12:00:00.000+00:00\",\"grain\":\"hour\"}},"
	    "{\"start\":6,\"end\":13,\"dim\":\"time\",\"value\":{\"type\":\"interval\","
	    "\"from\":{\"value\":\"2026-12-04T12:00:00.000+00:00\",\"grain\":\"hour\"}}}]");
	assert_int_equal(m.count, 0);
	token_list_free(&m.tokens);
}

/* The whole rules tier with the Duckling backend against a local server. */
static enum parse_status run_duckling(struct server *s, double timeout_s, const char *text,
				      struct parse_result *result)
{
	struct cascade_config cfg;
	char err[256], value[64];
	struct cascade *cascade;
	struct cascade_worker *worker;
	struct parse_input in = { text, strlen(text), REF, NULL, LOCALE_EN_US };
	enum parse_status status;

	assert_int_equal(config_preset(&cfg, "balanced", err, sizeof err), 0);
	assert_int_equal(config_set(&cfg, "mode", "rules", err, sizeof err), 0);
	assert_int_equal(config_set(&cfg, "rules.backend", "duckling", err, sizeof err), 0);
	assert_int_equal(config_set(&cfg, "llm.backend", "off", err, sizeof err), 0);
	assert_int_equal(config_set(&cfg, "cache.l1_entries", "0", err, sizeof err), 0);
	snprintf(value, sizeof value, "http://127.0.0.1:%d/parse", s ? s->port : test_dead_port());
	assert_int_equal(config_set(&cfg, "duckling.url", value, err, sizeof err), 0);
	snprintf(value, sizeof value, "%g", timeout_s);
	assert_int_equal(config_set(&cfg, "duckling.timeout_s", value, err, sizeof err), 0);

	cascade = cascade_new(&cfg, err, sizeof err);
	assert_non_null(cascade);
	worker = cascade_worker_new(cascade, err, sizeof err);
	assert_non_null(worker);
	status = cascade_parse(worker, &in, result);
	cascade_worker_free(worker);
	cascade_free(cascade);
	return status;
}

static void test_tier_sends_the_form_and_maps_the_event(void **state)
{
	struct server *s = test_server_start(SERVE_OK, 0);
	struct parse_result *r = malloc(sizeof *r);
	char when[40];

	(void)state;
	s->body = "[{\"body\":\"tomorrow from 3 to 5pm\",\"start\":7,\"end\":30,\"dim\":\"time\","
		  "\"latent\":false,\"value\":{\"type\":\"interval\","
		  "\"from\":{\"value\":\"2026-12-05T15:00:00.000+00:00\",\"grain\":\"hour\"},"
		  "\"to\":{\"value\":\"2026-12-05T18:00:00.000+00:00\",\"grain\":\"hour\"}}}]";
	assert_int_equal(run_duckling(s, 2.0, "Review tomorrow from 3 to 5pm", r), PARSE_OK);
	assert_true(r->tiers[TIER_RULES].called);
	assert_string_equal(r->tiers[TIER_RULES].backend, "duckling");
	when_format(&r->event.start, when, sizeof when);
	assert_string_equal(when, "2026-12-05T15:00");
	when_format(&r->event.end, when, sizeof when);
	assert_string_equal(when, "2026-12-05T17:00");
	assert_string_equal(r->event.title, "Review");

	/* The request is the form Duckling reads, the reference time in epoch
	 * milliseconds as if the wall clock were UTC. */
	assert_non_null(strstr(s->last_request, "locale=en_US"));
	assert_non_null(strstr(s->last_request, "text=Review+tomorrow+from+3+to+5pm"));
	assert_non_null(strstr(s->last_request, "reftime=1796374800000"));
	assert_non_null(strstr(s->last_request, "tz=UTC"));
	assert_non_null(strstr(s->last_request, "dims=%5B%22time%22%2C%22duration%22%5D"));
	test_server_stop(s);
	free(r);
}

static void test_tier_reports_server_failures(void **state)
{
	struct parse_result *r = malloc(sizeof *r);
	struct server *s;

	(void)state;
	/* 422 with a text body: not retried, and the error message contains
	 * the status. */
	s = test_server_start(SERVE_422, 0);
	assert_int_not_equal(run_duckling(s, 2.0, "Lunch at noon", r), PARSE_OK);
	assert_int_equal(r->tiers[TIER_RULES].status, PARSE_TIER_FAILED);
	assert_non_null(strstr(r->tiers[TIER_RULES].error, "422"));
	assert_int_equal(s->requests, 1);
	test_server_stop(s);

	/* A connection closed with no reply is retried once, then fails. */
	s = test_server_start(SERVE_NOTHING, 0);
	assert_int_not_equal(run_duckling(s, 2.0, "Lunch at noon", r), PARSE_OK);
	assert_int_equal(r->tiers[TIER_RULES].status, PARSE_TIER_FAILED);
	assert_non_null(strstr(r->tiers[TIER_RULES].error, "Duckling"));
	assert_int_equal(s->requests, 2);
	test_server_stop(s);

	/* An answer slower than duckling.timeout_s is a timeout. */
	s = test_server_start(SERVE_OK, 600);
	s->body = "[]";
	assert_int_not_equal(run_duckling(s, 0.2, "Lunch at noon", r), PARSE_OK);
	assert_non_null(strstr(r->tiers[TIER_RULES].error, "time"));
	test_server_stop(s);

	/* Nothing listening: refused, and not retried. */
	assert_int_not_equal(run_duckling(NULL, 1.0, "Lunch at noon", r), PARSE_OK);
	assert_non_null(strstr(r->tiers[TIER_RULES].error, "Duckling"));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_with_hour_grain_is_a_clock_time),
		cmocka_unit_test(test_interval_end_is_one_grain_back),
		cmocka_unit_test(test_minute_interval_and_day_interval),
		cmocka_unit_test(test_day_grain_is_a_date_without_time),
		cmocka_unit_test(test_duration_and_latent),
		cmocka_unit_test(test_offsets_count_code_points),
		cmocka_unit_test(test_bad_answers_fail_or_skip),
		cmocka_unit_test(test_tier_sends_the_form_and_maps_the_event),
		cmocka_unit_test(test_tier_reports_server_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
