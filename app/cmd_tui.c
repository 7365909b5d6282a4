/*
 * caltune tui (and caltune with no command): the terminal UI. The log file
 * is opened before the UI takes the terminal, because from then on
 * nothing may write to stdout or stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/log.h"
#include "views/ui.h"

#define TUI_DEFAULT_CORPUS "corpora/events.jsonl"

static const struct cli_option tui_options[] = {
	{ "corpus", "FILE", "corpus the Presets and Thresholds views rerun (default "
			    TUI_DEFAULT_CORPUS ")" },
	CLI_ENGINE_OPTIONS,
	CLI_DB_OPTION,
	CLI_JOBS_OPTION(" for reruns"),
	{ "readonly", NULL, "never write the history database (no reruns, no LLM recording)" },
	CLI_RECORD_OPTION,
	{ "no-color", NULL, "monochrome display (also when NO_COLOR is set)" },
	{ "no-function-bar", NULL, "start without the function-key bar (Ctrl-F shows it)" },
	{ "log", "FILE", "log file (default: $XDG_STATE_HOME/caltune/caltune.log, else "
			 "~/.local/state/caltune/caltune.log)" },
	CLI_HELP_OPTION,
};

static const struct cli_command tui_command = {
	.name = "tui",
	.usage = "[options]",
	.summary = "Open the terminal UI: Dashboard, Presets, Thresholds, History, Cases and "
		   "Playground.\nThis is also what caltune does with no command.",
	.details = "Press ? in the UI for its keys, q to quit.\n\n" CLI_LLM_HELP,
	.options = tui_options,
	.option_count = sizeof tui_options / sizeof tui_options[0],
	.engine_keys = true,
};

int cmd_tui(int argc, char **argv)
{
	struct cli_args args;
	struct ui_options ui;
	const char *corpus;
	const char *jobs;
	const char *no_color = getenv("NO_COLOR");
	long n = cli_default_jobs();
	char db[4096];
	char err[CLI_MESSAGE_MAX];
	int rc;

	if (cli_parse(&tui_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&tui_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&tui_command);
		return CLI_EXIT_OK;
	}
	if (args.positional_count > 0) {
		cli_error(&tui_command, "unknown command \"%s\": run caltune --help for the commands",
			  args.positional[0]);
		return CLI_EXIT_USAGE;
	}

	/* A log that cannot be opened is worth a warning, not a refusal to
	 * start. --readonly writes nothing, so it logs only to a file asked for. */
	if ((!cli_flag(&args, "readonly") || cli_value(&args, "log")) &&
	    log_open(cli_value(&args, "log"), LOG_INFO, err, sizeof err) < 0)
		fprintf(stderr, "caltune: warning: %s; continuing without a log\n", err);

	memset(&ui, 0, sizeof ui);
	corpus = cli_value(&args, "corpus");
	jobs = cli_value(&args, "jobs");
	if (corpus && access(corpus, R_OK) != 0) {
		snprintf(err, sizeof err, "cannot read corpus %s: pass --corpus with a readable "
			 "JSON Lines file", corpus);
		goto fail;
	}
	if ((jobs && cli_parse_long("jobs", jobs, 1, 256, &n, err, sizeof err) < 0) ||
	    cli_build_config(&args, &ui.cfg, err, sizeof err) < 0 ||
	    cli_db_path(&args, db, sizeof db, err, sizeof err) < 0)
		goto fail;
	ui.corpus_path = corpus ? corpus : TUI_DEFAULT_CORPUS;
	ui.db_path = db;
	ui.readonly = cli_flag(&args, "readonly");
	ui.no_color = cli_flag(&args, "no-color") || (no_color && no_color[0]);
	ui.hide_function_bar = cli_flag(&args, "no-function-bar");
	ui.no_record = cli_flag(&args, "no-record");
	ui.jobs = (int)n;

	LOG_AT(LOG_INFO, "ui starting: corpus %s, db %s, preset %s%s", ui.corpus_path, db,
	       ui.cfg.preset, ui.readonly ? ", read-only" : "");
	rc = ui_run(&ui, err, sizeof err);
	if (rc < 0) {
		LOG_AT(LOG_ERROR, "ui failed: %s", err);
		goto fail;
	}
	LOG_AT(LOG_INFO, "ui stopped");
	log_close();
	return CLI_EXIT_OK;
fail:
	cli_error(&tui_command, "%s", err);
	log_close();
	return CLI_EXIT_USAGE;
}
