/*
 * Comparing two recorded runs: per-field accuracy, per-tier and end-to-end
 * latency, and the cases whose result changed. Every figure is computed
 * from the case rows in the history, so runs that were cancelled or died
 * half-way compare over the cases they committed.
 *
 * Cases are matched by id. A case changed when it went from right to
 * wrong ("broken"), from wrong to right ("fixed"), or stayed either way
 * with a different predicted value in some field ("changed").
 *
 * Ownership: compare_runs fills a compare_result freed with
 * compare_result_free; compare_to_json returns a new reference.
 */
#ifndef CALTUNE_COMPARE_H
#define CALTUNE_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/history.h"

#define COMPARE_VALUE_MAX 320   /* a formatted field value, cut beyond */

struct run_figures {
	struct run_record run;
	size_t cases;                      /* case rows recorded */
	size_t correct;                    /* with every labelled field right */
	size_t errors;
	size_t field_expected[FIELD_COUNT];
	size_t field_correct[FIELD_COUNT];
	size_t tier_calls[TIER_COUNT];
	double tier_p50_us[TIER_COUNT];
	double tier_p95_us[TIER_COUNT];
	double parse_p50_us;
	double parse_p95_us;
};

enum case_change_kind { CHANGE_FIXED, CHANGE_BROKEN, CHANGE_VALUES };

struct case_change {
	char case_id[CORPUS_ID_MAX];
	enum case_change_kind kind;
	unsigned fields;                   /* bit f: field f's value differs */
	char before[FIELD_COUNT][COMPARE_VALUE_MAX];
	char after[FIELD_COUNT][COMPARE_VALUE_MAX];
};

struct compare_result {
	struct run_figures a;
	struct run_figures b;
	size_t fixed;
	size_t broken;
	size_t changed;                    /* every changed case, of all kinds */
	size_t only_in_a;                  /* cases of run A missing from run B */
	size_t only_in_b;
	struct case_change *changes;       /* the first max_changes, in run B's order */
	size_t change_count;
};

/* Compares run a (before) with run b (after). Returns 0, or -1 with a
 * message. */
int compare_runs(struct history *h, int64_t a, int64_t b, size_t max_changes,
		 struct compare_result *out, char *err, size_t err_size);
void compare_result_free(struct compare_result *result);

/* Accuracy of a run's figures (correct / cases), -1 with no cases. */
double compare_accuracy(const struct run_figures *f);

/* Accuracy of one field, -1 when no case labels it. */
double compare_field_accuracy(const struct run_figures *f, enum field field);

json_t *compare_to_json(const struct compare_result *result);

const char *compare_kind_name(enum case_change_kind kind);

#endif
