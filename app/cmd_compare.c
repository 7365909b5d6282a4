/*
 * caltune compare: two recorded runs side by side, and the cases whose
 * result changed between them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/compare.h"
#include "app/log.h"

#define COMPARE_DEFAULT_CASES 50

static const struct cli_option compare_options[] = {
	CLI_DB_OPTION,
	{ "max-cases", "N", "list at most N changed cases, 0 for none (default 50)" },
	{ "json", NULL, "print the comparison as one JSON object" },
	CLI_LOG_OPTION,
	CLI_HELP_OPTION,
};

static const struct cli_command compare_command = {
	.name = "compare",
	.usage = "RUN_A RUN_B [options]",
	.summary = "Compare run A (before) with run B (after): per-field accuracy, per-tier and "
		   "end-to-end\nlatency, and the cases that were fixed, broken or changed value.",
	.details = "A run is a run id from caltune history, \"latest\" (the newest complete run "
		   "that was not\ncancelled) or \"latest~N\" (the Nth such run before it).",
	.options = compare_options,
	.option_count = sizeof compare_options / sizeof compare_options[0],
	.engine_keys = false,
};

static void print_ratio(FILE *f, double value)
{
	if (value < 0)
		fprintf(f, "  %9s", "-");
	else
		fprintf(f, "  %8.1f%%", 100.0 * value);
}

static void print_delta(FILE *f, double before, double after)
{
	if (before < 0 || after < 0)
		fprintf(f, "  %12s\n", "");
	else
		fprintf(f, "  %+8.1f pts\n", 100.0 * (after - before));
}

void cmd_compare_print(FILE *f, const struct compare_result *r)
{
	const struct run_figures *a = &r->a;
	const struct run_figures *b = &r->b;

	fprintf(f, "run %lld (before): %zu cases, preset %s, mode %s, ", (long long)a->run.id, a->cases,
	       a->run.preset, a->run.mode);
	cli_put_text(f, a->run.corpus, strlen(a->run.corpus));
	fprintf(f, "\nrun %lld (after):  %zu cases, preset %s, mode %s, ", (long long)b->run.id, b->cases,
	       b->run.preset, b->run.mode);
	cli_put_text(f, b->run.corpus, strlen(b->run.corpus));
	if (strcmp(a->run.corpus_sha256, b->run.corpus_sha256) != 0)
		fprintf(f, "\nnote: the runs scored different corpus contents (SHA-256 differs)");

	fprintf(f, "\n\n%-16s  %9s  %9s  %12s\n", "accuracy", "before", "after", "change");
	fprintf(f, "%-16s", "overall");
	print_ratio(f, compare_accuracy(a));
	print_ratio(f, compare_accuracy(b));
	print_delta(f, compare_accuracy(a), compare_accuracy(b));
	for (int k = 0; k < FIELD_COUNT; k++) {
		double before = compare_field_accuracy(a, (enum field)k);
		double after = compare_field_accuracy(b, (enum field)k);

		if (before < 0 && after < 0)
			continue;
		fprintf(f, "  %-14s", field_name((enum field)k));
		print_ratio(f, before);
		print_ratio(f, after);
		print_delta(f, before, after);
	}

	fprintf(f, "\n%-16s  %19s  %19s\n", "latency (us)", "before p50 / p95", "after p50 / p95");
	for (int t = 0; t < TIER_COUNT; t++)
		fprintf(f, "  %-14s  %8.1f / %8.1f  %8.1f / %8.1f\n", tier_name((enum tier)t),
		       a->tier_p50_us[t], a->tier_p95_us[t], b->tier_p50_us[t], b->tier_p95_us[t]);
	fprintf(f, "  %-14s  %8.1f / %8.1f  %8.1f / %8.1f\n", "end to end", a->parse_p50_us,
	       a->parse_p95_us, b->parse_p50_us, b->parse_p95_us);

	fprintf(f, "\ncases: %zu fixed, %zu broken, %zu changed value only; %zu only in run %lld, "
	       "%zu only in run %lld\n", r->fixed, r->broken, r->changed - r->fixed - r->broken,
	       r->only_in_a, (long long)a->run.id, r->only_in_b, (long long)b->run.id);
	for (size_t i = 0; i < r->change_count; i++) {
		const struct case_change *c = &r->changes[i];

		fprintf(f, "  %-8s ", compare_kind_name(c->kind));
		cli_put_text(f, c->case_id, strlen(c->case_id));
		fputc('\n', f);
		for (int k = 0; k < FIELD_COUNT; k++) {
			if (!((c->fields >> k) & 1u))
				continue;
			fprintf(f, "           %-13s ", field_name((enum field)k));
			cli_put_text(f, c->before[k][0] ? c->before[k] : "-",
				     c->before[k][0] ? strlen(c->before[k]) : 1);
			fprintf(f, " -> ");
			cli_put_text(f, c->after[k][0] ? c->after[k] : "-",
				     c->after[k][0] ? strlen(c->after[k]) : 1);
			fputc('\n', f);
		}
	}
	if (r->changed > r->change_count)
		fprintf(f, "  ... (%zu more)\n", r->changed - r->change_count);
}

int cmd_compare(int argc, char **argv)
{
	struct cli_args args;
	struct history *h = NULL;
	struct compare_result result;
	const char *max_text;
	long max_cases = COMPARE_DEFAULT_CASES;
	int64_t a = 0, b = 0;
	char db[4096];
	char err[CLI_MESSAGE_MAX];

	if (cli_parse(&compare_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&compare_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&compare_command);
		return CLI_EXIT_OK;
	}
	max_text = cli_value(&args, "max-cases");
	if (args.positional_count != 2) {
		cli_error(&compare_command, "expected two runs, got %zu: caltune compare RUN_A RUN_B, "
			  "such as caltune compare latest~1 latest", args.positional_count);
		return CLI_EXIT_USAGE;
	}
	if ((max_text && cli_parse_long("max-cases", max_text, 0, 1000000, &max_cases, err,
					sizeof err) < 0) ||
	    cli_open_log(&args, err, sizeof err) < 0 ||
	    cli_db_path(&args, db, sizeof db, err, sizeof err) < 0 ||
	    history_open(db, true, &h, err, sizeof err) < 0 ||
	    cli_resolve_run(h, args.positional[0], &a, err, sizeof err) < 0 ||
	    cli_resolve_run(h, args.positional[1], &b, err, sizeof err) < 0 ||
	    compare_runs(h, a, b, (size_t)max_cases, &result, err, sizeof err) < 0) {
		cli_error(&compare_command, "%s", err);
		history_close(h);
		log_close();
		return CLI_EXIT_USAGE;
	}

	if (cli_flag(&args, "json")) {
		json_t *root = compare_to_json(&result);
		char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));

		printf("%s\n", text ? text : "{}");
		free(text);
		json_decref(root);
	} else {
		cmd_compare_print(stdout, &result);
	}
	compare_result_free(&result);
	history_close(h);
	log_close();
	return CLI_EXIT_OK;
}
