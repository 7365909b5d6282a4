/*
 * A corpus rerun on a background thread, so the UI keeps drawing while
 * runner_run parses and records the corpus. One rerun at a time: start a
 * new one after rerun_collect reports the previous one ended.
 *
 * Ownership: rerun_new returns a handle freed with rerun_free, which stops
 * a rerun in progress (through its cancel flag) and waits for its thread.
 * All functions are called from the UI thread only.
 */
#ifndef CALTUNE_VIEWS_RERUN_H
#define CALTUNE_VIEWS_RERUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/runner.h"
#include "engine/config.h"

#define RERUN_MESSAGE_MAX 512

struct rerun_request {
	const char *corpus_path;      /* copied by rerun_start */
	const char *db_path;          /* copied by rerun_start */
	struct cascade_config cfg;
	int jobs;
	const struct llm_recorder *recorder;   /* NULL: none; must outlive the rerun */
};

/* The outcome of a rerun, reported once by rerun_collect. */
struct rerun_outcome {
	bool ok;                      /* runner_run returned 0 */
	bool cancelled;
	int64_t run_id;               /* 0 when nothing was recorded */
	size_t cases;
	size_t errors;
	size_t bad_lines;             /* corpus lines skipped */
	double accuracy;
	double wall_ms;
	char message[RERUN_MESSAGE_MAX];   /* the runner's error when !ok */
	char first_bad_line[RERUN_MESSAGE_MAX];   /* "file:line: message", or "" */
};

struct rerun;

struct rerun *rerun_new(void);
void rerun_free(struct rerun *rerun);

/* Starts a rerun. Returns 0, or -1 with a message in err when one is still
 * going or the thread could not start. */
int rerun_start(struct rerun *rerun, const struct rerun_request *request, char *err,
		size_t err_size);

/* Asks the running rerun to stop after the cases in flight. */
void rerun_cancel(struct rerun *rerun);

/* Whether a rerun thread exists that rerun_collect has not reported. */
bool rerun_active(struct rerun *rerun);

/* Whether the running rerun has been asked to stop. */
bool rerun_cancelling(struct rerun *rerun);

/* The latest progress the runner reported (zero before the first). */
void rerun_progress(struct rerun *rerun, struct runner_progress *out);

/* When the rerun thread has ended, joins it, fills out and returns true,
 * once per rerun. */
bool rerun_collect(struct rerun *rerun, struct rerun_outcome *out);

#endif
