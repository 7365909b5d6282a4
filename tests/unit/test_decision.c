/*
 * The cascade decision under each preset: which tier supplies each field,
 * lazy loading of tier 2, and the forced single-tier modes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/cascade.h"

static const struct cal_datetime ref = { { 2026, 12, 4 }, 10, 0, 0 };

struct fixture {
	struct cascade *cascade;
	struct cascade_worker *worker;
	struct parse_result result;
};

static struct fixture *open_cascade(const char *preset, enum cascade_mode mode)
{
	static struct fixture f;
	struct cascade_config cfg;
	char err[256];

	assert_int_equal(config_preset(&cfg, preset, err, sizeof err), 0);
	cfg.mode = mode;
	cfg.llm_backend = LLM_OFF;  /* tiers 1 and 2 only: no LLM server is involved */
	cfg.cache_l1_entries = 0;
	f.cascade = cascade_new(&cfg, err, sizeof err);
	assert_non_null(f.cascade);
	f.worker = cascade_worker_new(f.cascade, err, sizeof err);
	assert_non_null(f.worker);
	return &f;
}

static void close_cascade(struct fixture *f)
{
	cascade_worker_free(f->worker);
	cascade_free(f->cascade);
}

static void parse(struct fixture *f, const char *text)
{
	struct parse_input in = { text, strlen(text), ref, "UTC", LOCALE_EN_US };

	assert_int_equal(cascade_parse(f->worker, &in, &f->result), PARSE_OK);
}

/* An explicit date and time that tier 1 reads with certainty: in the
 * performance preset no field needs tier 2, so it is never loaded. */
static void performance_stays_in_tier_one(void **state)
{
	struct fixture *f = open_cascade("performance", MODE_HYBRID);

	(void)state;
	parse(f, "Dentist 2027-01-15 at 3pm");
	assert_int_equal(f->result.event.tier[FIELD_START], TIER_REGEX);
	assert_int_equal(f->result.event.tier[FIELD_TITLE], TIER_REGEX);
	assert_false(f->result.tiers[TIER_RULES].called);
	assert_false(cascade_tier_loaded(f->cascade, TIER_RULES));
	close_cascade(f);
}

/* The same text under quality: the title's tier-1 confidence (0.8) is
 * below regex_only 0.85, so tier 2 runs and supplies it. */
static void quality_sends_title_to_rules(void **state)
{
	struct fixture *f = open_cascade("quality", MODE_HYBRID);

	(void)state;
	parse(f, "Dentist 2027-01-15 at 3pm");
	assert_int_equal(f->result.event.tier[FIELD_START], TIER_REGEX);
	assert_true(f->result.tiers[TIER_RULES].called);
	assert_int_equal(f->result.event.tier[FIELD_TITLE], TIER_RULES);
	assert_string_equal(f->result.event.title, "Dentist");
	close_cascade(f);
}

/* A bare hour is uncertain in tier 1 (0.55), below every preset's
 * regex_only, so every preset takes the start from tier 2. */
static void bare_hour_falls_through_every_preset(void **state)
{
	const char *const presets[] = { "performance", "balanced", "quality" };

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct fixture *f = open_cascade(presets[i], MODE_HYBRID);

		parse(f, "Coffee at 9");
		assert_true(f->result.tiers[TIER_REGEX].answer.confidence[FIELD_START] < 0.75f);
		assert_int_equal(f->result.event.tier[FIELD_START], TIER_RULES);
		assert_string_equal(f->result.event.title, "Coffee");
		close_cascade(f);
	}
}

/* "next Tuesday" is 0.85 in tier 1, which balanced (0.8) takes; the typo
 * "nxt tues" is left unexplained by tier 1, so tier 2 supplies it. */
static void typo_goes_to_rules(void **state)
{
	struct fixture *f = open_cascade("balanced", MODE_HYBRID);

	(void)state;
	parse(f, "Dentist nxt tues at 2pm");
	assert_int_equal(f->result.event.tier[FIELD_START], TIER_RULES);
	assert_int_equal(f->result.event.start.t.date.day, 8);
	close_cascade(f);

	f = open_cascade("balanced", MODE_HYBRID);
	parse(f, "Dentist next Tuesday at 2pm");
	assert_int_equal(f->result.event.tier[FIELD_START], TIER_REGEX);
	close_cascade(f);
}

/* A moved threshold changes which tier supplies a field: with regex_only 0.5 the
 * bare hour is taken from tier 1. */
static void threshold_override_moves_field(void **state)
{
	struct cascade_config cfg;
	char err[256];
	struct cascade *cascade;
	struct cascade_worker *worker;
	static struct parse_result result;
	struct parse_input in = { "Coffee at 9", 11, ref, "UTC", LOCALE_EN_US };

	(void)state;
	assert_int_equal(config_preset(&cfg, "balanced", err, sizeof err), 0);
	cfg.llm_backend = LLM_OFF;
	assert_int_equal(config_set(&cfg, "thresholds.regex_only", "0.5", err, sizeof err), 0);
	cascade = cascade_new(&cfg, err, sizeof err);
	assert_non_null(cascade);
	worker = cascade_worker_new(cascade, err, sizeof err);
	assert_int_equal(cascade_parse(worker, &in, &result), PARSE_OK);
	assert_int_equal(result.event.tier[FIELD_START], TIER_REGEX);
	cascade_worker_free(worker);
	cascade_free(cascade);
}

/* Forced modes take every field from the one tier, whatever its
 * confidence, and never call the other. */
static void forced_modes_use_one_tier(void **state)
{
	struct fixture *f = open_cascade("balanced", MODE_REGEX);

	(void)state;
	parse(f, "Coffee at 9");
	assert_int_equal(f->result.event.tier[FIELD_START], TIER_REGEX);
	assert_false(f->result.tiers[TIER_RULES].called);
	close_cascade(f);

	f = open_cascade("balanced", MODE_RULES);
	parse(f, "Coffee at 9");
	assert_int_equal(f->result.event.tier[FIELD_START], TIER_RULES);
	assert_false(f->result.tiers[TIER_REGEX].called);
	assert_false(cascade_tier_loaded(f->cascade, TIER_REGEX));
	close_cascade(f);
}

/* Every tier that ran appears in the trace with its time. */
static void trace_records_every_tier(void **state)
{
	struct fixture *f = open_cascade("balanced", MODE_HYBRID);

	(void)state;
	parse(f, "Coffee at 9");
	assert_true(f->result.tiers[TIER_REGEX].called);
	assert_true(f->result.tiers[TIER_RULES].called);
	assert_true(f->result.tiers[TIER_REGEX].elapsed_ns > 0);
	assert_true(f->result.tiers[TIER_RULES].elapsed_ns > 0);
	assert_true(event_has(&f->result.tiers[TIER_REGEX].answer, FIELD_START));
	assert_int_equal(f->result.tiers[TIER_RULES].answer.start.t.hour, 9);
	close_cascade(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(performance_stays_in_tier_one),
		cmocka_unit_test(quality_sends_title_to_rules),
		cmocka_unit_test(bare_hour_falls_through_every_preset),
		cmocka_unit_test(typo_goes_to_rules),
		cmocka_unit_test(threshold_override_moves_field),
		cmocka_unit_test(forced_modes_use_one_tier),
		cmocka_unit_test(trace_records_every_tier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
