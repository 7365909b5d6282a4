/*
 * caltune check: run a corpus, compare the new run with a baseline run and
 * fail (exit 1) when accuracy dropped or latency rose past the limits.
 *
 * The baseline is resolved before the new run is recorded, so "latest"
 * names the run before this one. Accuracy is checked overall and for each
 * field that both runs label. Latency is checked on the end-to-end parse
 * p95, and only once the new p95 is above --p95-floor-us: below a
 * millisecond, scheduling noise alone moves it by more than any sensible
 * limit. It is also checked only when both runs recorded at least
 * CHECK_P95_MIN_CASES cases, so that five or more cases lie above each
 * p95. In a smaller run the p95 is one of its slowest parses, and one
 * preempted parse can move it by thousands of percent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/cli_run.h"
#include "app/commands.h"
#include "app/compare.h"
#include "app/event_json.h"
#include "app/log.h"

#define DEFAULT_MAX_ACCURACY_DROP 0.0   /* percentage points */
#define DEFAULT_MAX_P95_INCREASE 50.0   /* percent */
#define DEFAULT_P95_FLOOR_US 1000.0
#define CHECK_P95_MIN_CASES 100
#define CHECK_CHANGES_SHOWN 20

static const struct cli_option check_options[] = {
	{ "corpus", "FILE", "labelled corpus, JSON Lines (required)" },
	{ "baseline", "RUN", "run to compare with: a run id, latest or latest~N (required)" },
	{ "max-accuracy-drop", "PTS", "largest accepted drop of an accuracy, in percentage "
				      "points (default 0)" },
	{ "max-p95-increase", "PCT", "largest accepted rise of the end-to-end p95, in percent "
				     "(default 50)" },
	{ "p95-floor-us", "US", "ignore p95 rises while the new p95 is at most US microseconds "
				"(default 1000)" },
	CLI_ENGINE_OPTIONS,
	CLI_DB_OPTION,
	CLI_JOBS_OPTION(""),
	{ "predictions", "FILE", "also write every case's prediction to FILE, JSON Lines" },
	CLI_RECORD_OPTION,
	{ "json", NULL, "print the verdict, the regressions and the comparison as JSON" },
	CLI_LOG_OPTION,
	CLI_HELP_OPTION,
};

static const struct cli_command check_command = {
	.name = "check",
	.usage = "--corpus FILE --baseline RUN [options]",
	.summary = "Run a corpus, record it, compare it with a baseline run and fail on a "
		   "regression:\nfor CI jobs after a change to patterns, rules, prompts or models.",
	.details = "The p95 is checked only when both runs have at least 100 cases, because in "
		   "a smaller run\nit is one of its slowest parses; a note says when it was "
		   "skipped.\n\n"
		   "Exit status: 0 no regression, 1 a regression (each one printed), 2 bad "
		   "usage, no such\nbaseline, or an unreadable corpus or history database, 130 "
		   "interrupted.\n\n" CLI_LLM_HELP,
	.options = check_options,
	.option_count = sizeof check_options / sizeof check_options[0],
	.engine_keys = true,
};

struct limits {
	double max_drop_pts;
	double max_increase_pct;
	double floor_us;
};

struct regression {
	char metric[48];
	double before;
	double after;
	double limit;
	char message[256];
};

struct verdict {
	struct regression list[FIELD_COUNT + 2];
	size_t count;
};

static int read_limits(const struct cli_args *args, struct limits *l, char *err, size_t err_size)
{
	const char *drop = cli_value(args, "max-accuracy-drop");
	const char *increase = cli_value(args, "max-p95-increase");
	const char *floor_us = cli_value(args, "p95-floor-us");

	l->max_drop_pts = DEFAULT_MAX_ACCURACY_DROP;
	l->max_increase_pct = DEFAULT_MAX_P95_INCREASE;
	l->floor_us = DEFAULT_P95_FLOOR_US;
	if (drop && cli_parse_double("max-accuracy-drop", drop, 0, 100, &l->max_drop_pts, err,
				     err_size) < 0)
		return -1;
	if (increase && cli_parse_double("max-p95-increase", increase, 0, 1e9,
					 &l->max_increase_pct, err, err_size) < 0)
		return -1;
	if (floor_us && cli_parse_double("p95-floor-us", floor_us, 0, 1e12, &l->floor_us, err,
					 err_size) < 0)
		return -1;
	if (!cli_value(args, "baseline")) {
		snprintf(err, err_size, "missing --baseline RUN: give a run id or latest");
		return -1;
	}
	return 0;
}

static void check_accuracy(struct verdict *v, const char *metric, double before, double after,
			   const struct limits *l)
{
	struct regression *r;
	double drop = 100.0 * (before - after);

	/* A small epsilon keeps a drop equal to the limit from failing on
	 * rounding. */
	if (before < 0 || after < 0 || drop <= l->max_drop_pts + 1e-9)
		return;
	r = &v->list[v->count++];
	snprintf(r->metric, sizeof r->metric, "%s", metric);
	r->before = before;
	r->after = after;
	r->limit = l->max_drop_pts;
	snprintf(r->message, sizeof r->message, "%s dropped from %.1f%% to %.1f%% (%.1f points, "
		 "limit %.1f)", metric, 100.0 * before, 100.0 * after, drop, l->max_drop_pts);
}

static void check_latency(struct verdict *v, double before, double after, const struct limits *l)
{
	struct regression *r;
	double increase;

	/* From a baseline of zero, any rise counts as unbounded. */
	if (before > 0)
		increase = 100.0 * (after - before) / before;
	else
		increase = after > 0 ? 1e9 : 0.0;
	if (after <= l->floor_us || increase <= l->max_increase_pct)
		return;
	r = &v->list[v->count++];
	snprintf(r->metric, sizeof r->metric, "parse.p95_us");
	r->before = before;
	r->after = after;
	r->limit = l->max_increase_pct;
	snprintf(r->message, sizeof r->message, "end-to-end p95 rose from %.1f us to %.1f us "
		 "(%.0f%%, limit %.0f%%)", before, after, increase, l->max_increase_pct);
}

/* Whether both runs have enough cases for their p95 to mean something. */
static bool p95_measurable(const struct compare_result *c)
{
	return c->a.cases >= CHECK_P95_MIN_CASES && c->b.cases >= CHECK_P95_MIN_CASES;
}

static void judge(const struct compare_result *c, const struct limits *l, struct verdict *v)
{
	memset(v, 0, sizeof *v);
	check_accuracy(v, "accuracy", compare_accuracy(&c->a), compare_accuracy(&c->b), l);
	for (int f = 0; f < FIELD_COUNT; f++) {
		char metric[48];

		snprintf(metric, sizeof metric, "accuracy.%s", field_name((enum field)f));
		check_accuracy(v, metric, compare_field_accuracy(&c->a, (enum field)f),
			       compare_field_accuracy(&c->b, (enum field)f), l);
	}
	if (p95_measurable(c))
		check_latency(v, c->a.parse_p95_us, c->b.parse_p95_us, l);
}

static void print_json(const struct compare_result *c, const struct verdict *v,
		       const struct run_summary *summary)
{
	json_t *root = json_object();
	json_t *list = json_array();
	char *summary_text = run_summary_to_json(summary);
	char *text;

	for (size_t i = 0; i < v->count; i++) {
		json_t *r = json_object();

		json_object_set_new(r, "metric", json_string(v->list[i].metric));
		json_object_set_new(r, "before", event_json_real(v->list[i].before, 6));
		json_object_set_new(r, "after", event_json_real(v->list[i].after, 6));
		json_object_set_new(r, "limit", event_json_real(v->list[i].limit, 6));
		json_object_set_new(r, "message", json_string(v->list[i].message));
		json_array_append_new(list, r);
	}
	json_object_set_new(root, "passed", json_boolean(v->count == 0));
	json_object_set_new(root, "p95_checked", json_boolean(p95_measurable(c)));
	json_object_set_new(root, "baseline", json_integer(c->a.run.id));
	json_object_set_new(root, "run_id", json_integer(c->b.run.id));
	json_object_set_new(root, "regressions", list);
	json_object_set_new(root, "summary", summary_text ? json_loads(summary_text, 0, NULL) :
			    json_null());
	json_object_set_new(root, "comparison", compare_to_json(c));
	text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	printf("%s\n", text ? text : "{}");
	free(text);
	free(summary_text);
	json_decref(root);
}

/* Resolves the baseline in a database opened for writing, which creates
 * or migrates it the way the run about to be recorded will. */
static int resolve_baseline(const char *db, const char *ref, int64_t *id, char *err,
			    size_t err_size)
{
	struct history *h = NULL;
	int rc;

	if (history_open(db, false, &h, err, err_size) < 0)
		return -1;
	rc = cli_resolve_run(h, ref, id, err, err_size);
	history_close(h);
	return rc;
}

static int compare_with_baseline(const char *db, int64_t baseline, int64_t run_id,
				 struct compare_result *out, char *err, size_t err_size)
{
	struct history *h = NULL;
	int rc;

	if (history_open(db, true, &h, err, err_size) < 0)
		return -1;
	rc = compare_runs(h, baseline, run_id, CHECK_CHANGES_SHOWN, out, err, err_size);
	history_close(h);
	return rc;
}

static int finish(const struct cli_args *args, const struct compare_result *c,
		  const struct limits *l, const struct run_summary *summary)
{
	struct verdict v;

	judge(c, l, &v);
	if (!p95_measurable(c))
		cli_error(&check_command, "note: p95 not checked: baseline run %lld has %zu cases "
			  "and run %lld has %zu, and a p95 needs at least %d in each",
			  (long long)c->a.run.id, c->a.cases, (long long)c->b.run.id, c->b.cases,
			  CHECK_P95_MIN_CASES);
	if (strcmp(c->a.run.corpus_sha256, c->b.run.corpus_sha256) != 0)
		cli_error(&check_command, "note: baseline run %lld scored different corpus contents "
			  "(SHA-256 differs); cases are matched by id", (long long)c->a.run.id);
	if (cli_flag(args, "json")) {
		print_json(c, &v, summary);
	} else {
		cmd_compare_print(stdout, c);
		printf("\n%s: %zu regression%s against baseline run %lld\n", v.count ? "FAILED" :
		       "passed", v.count, v.count == 1 ? "" : "s", (long long)c->a.run.id);
	}
	for (size_t i = 0; i < v.count; i++)
		cli_error(&check_command, "regression: %s", v.list[i].message);
	return v.count ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
	struct cli_args args;
	struct runner_options options;
	struct run_summary summary;
	struct compare_result comparison;
	struct limits limits;
	int64_t baseline = 0;
	char db[4096];
	char err[CLI_MESSAGE_MAX];
	int code;

	if (cli_parse(&check_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&check_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&check_command);
		return CLI_EXIT_OK;
	}
	if (cli_open_log(&args, err, sizeof err) < 0 ||
	    cli_run_options(&args, &options, db, sizeof db, err, sizeof err) < 0 ||
	    read_limits(&args, &limits, err, sizeof err) < 0 ||
	    resolve_baseline(db, cli_value(&args, "baseline"), &baseline, err, sizeof err) < 0) {
		cli_error(&check_command, "%s", err);
		log_close();
		return CLI_EXIT_USAGE;
	}

	if (cli_run_corpus(&check_command, &options, !cli_flag(&args, "json"),
			   cli_flag(&args, "no-record"), &summary, err, sizeof err) < 0) {
		cli_error(&check_command, "%s", err);
		run_summary_free(&summary);
		log_close();
		return CLI_EXIT_USAGE;
	}
	if (summary.cancelled) {
		cli_error(&check_command, "interrupted after %zu cases; run %lld is recorded as "
			  "cancelled and was not checked", summary.cases, (long long)summary.run_id);
		run_summary_free(&summary);
		log_close();
		return CMD_EXIT_INTERRUPTED;
	}

	if (compare_with_baseline(db, baseline, summary.run_id, &comparison, err, sizeof err) < 0) {
		cli_error(&check_command, "%s", err);
		run_summary_free(&summary);
		log_close();
		return CLI_EXIT_USAGE;
	}
	code = finish(&args, &comparison, &limits, &summary);
	LOG_AT(LOG_INFO, "check: run %lld against baseline %lld: %s", (long long)summary.run_id,
	       (long long)baseline, code == CLI_EXIT_OK ? "passed" : "regressions");
	compare_result_free(&comparison);
	run_summary_free(&summary);
	log_close();
	return code;
}
