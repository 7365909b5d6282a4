/*
 * caltune run: rerun a corpus, record it in the history, print a summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/cli_run.h"
#include "app/commands.h"
#include "app/log.h"

static const struct cli_option run_options[] = {
	{ "corpus", "FILE", "labelled corpus, JSON Lines (required)" },
	CLI_ENGINE_OPTIONS,
	CLI_DB_OPTION,
	CLI_JOBS_OPTION(""),
	{ "predictions", "FILE", "also write every case's prediction to FILE, JSON Lines" },
	CLI_RECORD_OPTION,
	{ "json", NULL, "print the summary as one JSON object" },
	CLI_LOG_OPTION,
	CLI_HELP_OPTION,
};

static const struct cli_command run_command = {
	.name = "run",
	.usage = "--corpus FILE [options]",
	.summary = "Parse every case of a corpus, score it, record the run in the history and "
		   "print a summary.\nBad corpus lines are reported on stderr and skipped.",
	.details = "Exit status: 0 the run finished (failed parses and bad lines are counted in "
		   "the summary),\n2 bad usage, an unreadable corpus or history database, 130 "
		   "interrupted (the run is\nrecorded as cancelled with the cases it finished)."
		   "\n\n" CLI_LLM_HELP,
	.options = run_options,
	.option_count = sizeof run_options / sizeof run_options[0],
	.engine_keys = true,
};

int cmd_run(int argc, char **argv)
{
	struct cli_args args;
	struct runner_options options;
	struct run_summary summary;
	char db[4096];
	char err[CLI_MESSAGE_MAX];
	int code = CLI_EXIT_OK;

	if (cli_parse(&run_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&run_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&run_command);
		return CLI_EXIT_OK;
	}
	if (cli_open_log(&args, err, sizeof err) < 0 ||
	    cli_run_options(&args, &options, db, sizeof db, err, sizeof err) < 0) {
		cli_error(&run_command, "%s", err);
		log_close();
		return CLI_EXIT_USAGE;
	}

	if (cli_run_corpus(&run_command, &options, !cli_flag(&args, "json"),
			   cli_flag(&args, "no-record"), &summary, err, sizeof err) < 0) {
		cli_error(&run_command, "%s", err);
		run_summary_free(&summary);
		log_close();
		return CLI_EXIT_USAGE;
	}

	if (cli_flag(&args, "json")) {
		char *json = run_summary_to_json(&summary);

		printf("%s\n", json ? json : "{}");
		free(json);
	} else {
		cli_print_summary(stdout, &summary);
	}
	if (summary.cancelled) {
		cli_error(&run_command, "interrupted after %zu of the corpus's cases; run %lld is "
			  "recorded as cancelled", summary.cases, (long long)summary.run_id);
		code = CMD_EXIT_INTERRUPTED;
	}
	run_summary_free(&summary);
	log_close();
	return code;
}
