/*
 * The state the views share: the configuration the operator is tuning (preset
 * and thresholds), the run shown from the history, the rerun this UI
 * started, the loaded corpus and the message line. Views change it only
 * through these functions, so every change is logged and explained on the
 * message line in one place.
 *
 * The session also owns the LLM recorder on the history database that
 * its reruns and traces record their LLM exchanges with (and replay from).
 *
 * Ownership: session_init fills a caller-allocated session (it is large;
 * allocate it on the heap) and session_free releases what it holds, after
 * every view that took the recorder freed its tracer. The session belongs
 * to the UI thread.
 */
#ifndef CALTUNE_VIEWS_SESSION_H
#define CALTUNE_VIEWS_SESSION_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/corpus.h"
#include "engine/config.h"
#include "views/live.h"
#include "views/rerun.h"
#include "views/ui.h"

#define SESSION_MESSAGE_MAX 1024
#define SESSION_THRESHOLD_STEP 0.05
#define SESSION_RERUN_DELAY_MS 800   /* pause after a threshold change before rerunning */

struct recorder;

enum session_level { SESSION_INFO, SESSION_ERROR };

enum session_threshold { SESSION_REGEX_ONLY, SESSION_DETERMINISTIC_BACKUP };

struct session {
	const struct ui_options *options;
	char corpus_path[PATH_MAX];      /* "" when no corpus was given */
	char db_path[PATH_MAX];
	bool readonly;
	int jobs;

	struct cascade_config cfg;       /* what reruns and traces use */
	uint64_t cfg_generation;         /* bumped on every change of cfg */

	struct live live;
	struct rerun *rerun;
	bool rerun_queued;               /* start again when the current rerun ends */
	int64_t rerun_due_ms;            /* a pending delayed rerun, 0 when none */
	int64_t own_run_id;              /* the last run this UI started, 0 when none */

	struct recorder *recorder;       /* NULL: no recording and no replay */

	struct corpus *corpus;           /* NULL when none was given or it is unreadable */
	char corpus_error[SESSION_MESSAGE_MAX];

	char message[SESSION_MESSAGE_MAX];
	enum session_level message_level;
	char reported_history_error[LIVE_ERROR_MAX];   /* last one put on the message line */

	int requested_view;              /* a view to switch to, -1 when none */
	int64_t now_ms;                  /* wall clock at the start of this tick */
};

/* Fills the session from the options and loads the corpus. Returns 0, or
 * -1 with a message in err when the UI cannot start at all. An unreadable
 * corpus or history is not such a case: it shows on the message line. */
int session_init(struct session *session, const struct ui_options *options, char *err,
		 size_t err_size);
void session_free(struct session *session);

/* Advances clocks, follows the history, collects an ended rerun and starts
 * queued or delayed ones. */
void session_tick(struct session *session);

void session_message(struct session *session, enum session_level level, const char *format,
		     ...) __attribute__((format(printf, 3, 4)));

/* Reruns the corpus with the current configuration, stopping a rerun still
 * going first. Refused, with the reason on the message line, in read-only
 * mode or without a corpus. Returns whether a rerun started or was queued. */
bool session_rerun(struct session *session);

/* Takes a preset's thresholds and model settings (keeping backends, mode
 * and cache settings) and reruns. Returns false for an unknown name. */
bool session_apply_preset(struct session *session, const char *name);

/* Moves one threshold by steps of SESSION_THRESHOLD_STEP, clamped to
 * [0, 1], and schedules a rerun SESSION_RERUN_DELAY_MS later so several
 * quick steps cost one rerun. */
void session_step_threshold(struct session *session, enum session_threshold which, int steps);

/* Stops the rerun this UI started, if any. */
void session_stop_run(struct session *session);

/* Whether this UI's rerun is going, so quitting needs a confirmation. */
bool session_run_going(const struct session *session);

/* The progress of this UI's rerun, when one is going. */
bool session_run_progress(struct session *session, struct runner_progress *out);

void session_show_view(struct session *session, int view_id);

/* The hooks for cascades to record LLM exchanges with, or NULL. */
const struct llm_recorder *session_llm_recorder(struct session *session);

/* Copies the LLM figures of this UI's rerun when it is going and is the
 * shown run. Returns false otherwise, because then the run's row has the
 * figures. */
bool session_run_llm(struct session *session, struct cascade_llm_stats *out);

/* A one-line account of corpus problems ("" when there are none): why it
 * did not load, or how many bad lines were skipped and the first one,
 * with the corpus path shortened to its file name. */
void session_corpus_problem(const struct session *session, char *buf, size_t size);

#endif
