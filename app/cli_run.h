/*
 * Running a corpus from the command line, shared by `run` and `check`.
 * Bad corpus lines go to stderr (the first CLI_BAD_LINES_SHOWN, then a
 * count), and so does a progress line when stderr is a terminal. SIGINT
 * and SIGTERM cancel the run, which is then recorded as cancelled. The
 * summary prints as text.
 */
#ifndef CALTUNE_CLI_RUN_H
#define CALTUNE_CLI_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/runner.h"

#define CLI_BAD_LINES_SHOWN 20

/* Fills the runner options from --corpus, --jobs, --predictions, the
 * engine options and --db; db (db_size bytes) receives the database path
 * that o->db_path then points to. Returns 0, or -1 with a message. */
int cli_run_options(const struct cli_args *args, struct runner_options *o, char *db,
		    size_t db_size, char *err, size_t err_size);

/* Runs options->corpus_path. The caller fills cfg, jobs, db_path and
 * predictions_path. This function sets the callbacks, the cancel flag and
 * the LLM recorder, which recorder_for_config makes with no_record from
 * --no-record. show_progress turns on the progress line. Returns 0, or -1
 * with a message. */
int cli_run_corpus(const struct cli_command *command, struct runner_options *options,
		   bool show_progress, bool no_record, struct run_summary *out, char *err,
		   size_t err_size);

/* Prints the summary as a human-readable report. */
void cli_print_summary(FILE *f, const struct run_summary *s);

#endif
