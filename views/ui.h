/*
 * The terminal UI: Dashboard, Presets, Thresholds, History, Cases and
 * Playground views over the history database. The UI owns the terminal
 * from ui_run's start to its return; nothing else may write to stdout or
 * stderr meanwhile (logs go to the log file).
 */
#ifndef CALTUNE_UI_H
#define CALTUNE_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/config.h"

struct ui_options {
	const char *corpus_path;     /* corpus the Presets and Thresholds views rerun */
	const char *db_path;         /* history database; NULL: history_default_path */
	struct cascade_config cfg;   /* starting preset and overrides */
	bool readonly;               /* never write the history (no reruns) */
	bool no_color;               /* --no-color or NO_COLOR set */
	int jobs;                    /* worker threads for reruns */
	bool hide_function_bar;      /* start without the function-key bar (Ctrl-F toggles) */
	bool no_record;              /* --no-record: store no LLM exchange (replay still reads) */
};

/* Runs the UI until the operator quits or SIGINT, SIGTERM or SIGHUP
 * arrives; a rerun still going is stopped first. Returns 0, or -1 with a
 * message in err (after the terminal is restored) when it could not start,
 * for example when stdin or stdout is not a terminal. */
int ui_run(const struct ui_options *options, char *err, size_t err_size);

#endif
