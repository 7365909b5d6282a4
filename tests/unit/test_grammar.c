/*
 * Rule-family tests: each file under tests/data/grammar/ is a corpus of
 * cases for one family (times, dates, relative dates, holidays, ranges,
 * durations, recurrences, zones, descriptive fields, texts with no date)
 * run through one tier alone and scored with the corpus scorer. A failing
 * case prints "path:line: field: got ..., expected ...".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/corpus.h"
#include "app/score.h"
#include "engine/cascade.h"

#define GRAMMAR_DIR "tests/data/grammar/"

static void report_bad_line(void *context, const char *message)
{
	(void)context;
	print_error("%s\n", message);
}

/* Runs every case of a family file in one mode; returns the failures. */
static int run_family(const char *file, enum cascade_mode mode)
{
	char path[256], err[256];
	struct cascade_config cfg;
	struct cascade *cascade;
	struct cascade_worker *worker;
	struct corpus *corpus;
	static struct parse_result result;
	int failures = 0;

	snprintf(path, sizeof path, GRAMMAR_DIR "%s", file);
	corpus = corpus_load(path, report_bad_line, NULL, err, sizeof err);
	assert_non_null(corpus);
	assert_int_equal(corpus->bad_lines, 0);
	assert_true(corpus->count > 0);

	assert_int_equal(config_preset(&cfg, "balanced", err, sizeof err), 0);
	cfg.mode = mode;
	cfg.llm_backend = LLM_OFF;  /* a local LLM server must not change these results */
	cfg.cache_l1_entries = 0;
	cascade = cascade_new(&cfg, err, sizeof err);
	assert_non_null(cascade);
	worker = cascade_worker_new(cascade, err, sizeof err);
	assert_non_null(worker);

	for (size_t i = 0; i < corpus->count; i++) {
		const struct corpus_case *c = &corpus->cases[i];
		struct parse_input in = { c->text, c->text_len, c->ref, c->tz, c->locale };
		struct score score;

		assert_int_equal(cascade_parse(worker, &in, &result), PARSE_OK);
		score_case(c, &result.event, &score);
		if (score.all_correct)
			continue;
		failures++;
		for (int f = 0; f < FIELD_COUNT; f++) {
			char got[512], want[512];

			if (!(score.expected & (1u << f)) || (score.correct & (1u << f)))
				continue;
			event_format_field(&result.event, (enum field)f, got, sizeof got);
			if (c->expect_null & (1u << f))
				snprintf(want, sizeof want, "(none)");
			else
				event_format_field(&c->expect, (enum field)f, want, sizeof want);
			print_error("%s:%d: %s: got \"%s\", expected \"%s\" (text: %s)\n", path, c->line,
				    field_name((enum field)f), got, want, c->text);
		}
	}
	cascade_worker_free(worker);
	cascade_free(cascade);
	corpus_free(corpus);
	return failures;
}

#define FAMILY_TEST(name, file, mode)                                  \
	static void name(void **state)                                 \
	{                                                              \
		(void)state;                                           \
		assert_int_equal(run_family(file, mode), 0);           \
	}

FAMILY_TEST(rules_times, "times.jsonl", MODE_RULES)
FAMILY_TEST(rules_dates, "dates.jsonl", MODE_RULES)
FAMILY_TEST(rules_relative_dates, "relative.jsonl", MODE_RULES)
FAMILY_TEST(rules_holidays, "holidays.jsonl", MODE_RULES)
FAMILY_TEST(rules_ranges, "ranges.jsonl", MODE_RULES)
FAMILY_TEST(rules_durations, "durations.jsonl", MODE_RULES)
FAMILY_TEST(rules_recurrences, "recurrences.jsonl", MODE_RULES)
FAMILY_TEST(rules_zones, "zones.jsonl", MODE_RULES)
FAMILY_TEST(rules_describe, "describe.jsonl", MODE_RULES)
FAMILY_TEST(rules_negatives, "negatives.jsonl", MODE_RULES)
FAMILY_TEST(rules_failure_kinds, "kinds.jsonl", MODE_RULES)
FAMILY_TEST(regex_common_forms, "regex.jsonl", MODE_REGEX)
FAMILY_TEST(hybrid_failure_kinds, "kinds.jsonl", MODE_HYBRID)
FAMILY_TEST(hybrid_describe, "describe.jsonl", MODE_HYBRID)
FAMILY_TEST(hybrid_dates, "dates.jsonl", MODE_HYBRID)
FAMILY_TEST(hybrid_times, "times.jsonl", MODE_HYBRID)
FAMILY_TEST(hybrid_relative_dates, "relative.jsonl", MODE_HYBRID)
FAMILY_TEST(hybrid_ranges, "ranges.jsonl", MODE_HYBRID)
FAMILY_TEST(hybrid_negatives, "negatives.jsonl", MODE_HYBRID)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_times),
		cmocka_unit_test(rules_dates),
		cmocka_unit_test(rules_relative_dates),
		cmocka_unit_test(rules_holidays),
		cmocka_unit_test(rules_ranges),
		cmocka_unit_test(rules_durations),
		cmocka_unit_test(rules_recurrences),
		cmocka_unit_test(rules_zones),
		cmocka_unit_test(rules_describe),
		cmocka_unit_test(rules_negatives),
		cmocka_unit_test(rules_failure_kinds),
		cmocka_unit_test(regex_common_forms),
		cmocka_unit_test(hybrid_failure_kinds),
		cmocka_unit_test(hybrid_describe),
		cmocka_unit_test(hybrid_dates),
		cmocka_unit_test(hybrid_times),
		cmocka_unit_test(hybrid_relative_dates),
		cmocka_unit_test(hybrid_ranges),
		cmocka_unit_test(hybrid_negatives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
