/*
 * The rerun thread. runner_run reports progress from its writer thread,
 * so progress is copied under a mutex. The rerun thread writes the outcome
 * before it sets `finished`, and the UI thread reads it only after reading
 * `finished` as true, both under the same mutex.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/log.h"
#include "views/rerun.h"

struct rerun {
	pthread_t thread;
	bool started;                 /* thread exists and is not joined */
	atomic_bool cancel;

	pthread_mutex_t lock;         /* guards progress, finished and outcome */
	struct runner_progress progress;
	bool finished;
	struct rerun_outcome outcome;

	/* The request, owned here so it outlives the caller's strings. */
	char corpus_path[PATH_MAX];
	char db_path[PATH_MAX];
	struct cascade_config cfg;
	int jobs;
	const struct llm_recorder *recorder;
};

struct rerun *rerun_new(void)
{
	struct rerun *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	atomic_init(&r->cancel, false);
	return r;
}

void rerun_free(struct rerun *r)
{
	if (!r)
		return;
	if (r->started) {
		atomic_store(&r->cancel, true);
		pthread_join(r->thread, NULL);
		r->started = false;
	}
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static void on_progress(void *context, const struct runner_progress *progress)
{
	struct rerun *r = context;

	pthread_mutex_lock(&r->lock);
	r->progress = *progress;
	pthread_mutex_unlock(&r->lock);
}

/* Keeps the first bad corpus line for the message line; logs every one. */
static void on_corpus_error(void *context, const char *message)
{
	struct rerun *r = context;

	LOG_AT(LOG_WARN, "rerun: %s", message);
	pthread_mutex_lock(&r->lock);
	if (r->outcome.first_bad_line[0] == '\0')
		snprintf(r->outcome.first_bad_line, sizeof r->outcome.first_bad_line, "%s", message);
	pthread_mutex_unlock(&r->lock);
}

static void *rerun_main(void *arg)
{
	struct rerun *r = arg;
	struct runner_options options;
	struct run_summary summary;
	char err[RERUN_MESSAGE_MAX] = "";
	int rc;

	memset(&options, 0, sizeof options);
	memset(&summary, 0, sizeof summary);
	options.corpus_path = r->corpus_path;
	options.cfg = r->cfg;
	options.jobs = r->jobs;
	options.db_path = r->db_path;
	options.recorder = r->recorder;
	options.cancel = &r->cancel;
	options.on_progress = on_progress;
	options.progress_context = r;
	options.on_corpus_error = on_corpus_error;
	options.error_context = r;

	LOG_AT(LOG_INFO, "rerun: starting %s with preset %s (regex_only %.2f, "
	       "deterministic_backup %.2f)", r->corpus_path, r->cfg.preset, r->cfg.regex_only,
	       r->cfg.deterministic_backup);
	rc = runner_run(&options, &summary, err, sizeof err);

	pthread_mutex_lock(&r->lock);
	r->outcome.ok = rc == 0;
	r->outcome.cancelled = summary.cancelled;
	r->outcome.run_id = summary.run_id ? summary.run_id : r->progress.run_id;
	r->outcome.cases = summary.cases;
	r->outcome.errors = summary.errors;
	r->outcome.bad_lines = summary.bad_lines;
	r->outcome.accuracy = summary.accuracy;
	r->outcome.wall_ms = summary.wall_ms;
	snprintf(r->outcome.message, sizeof r->outcome.message, "%s", rc == 0 ? "" : err);
	r->finished = true;
	pthread_mutex_unlock(&r->lock);

	if (rc == 0)
		LOG_AT(LOG_INFO, "rerun: run %lld ended: %zu cases, accuracy %.4f, %.1f ms%s",
		       (long long)summary.run_id, summary.cases, summary.accuracy, summary.wall_ms,
		       summary.cancelled ? " (stopped)" : "");
	else
		LOG_AT(LOG_ERROR, "rerun: failed: %s", err);
	run_summary_free(&summary);
	return NULL;
}

int rerun_start(struct rerun *r, const struct rerun_request *request, char *err, size_t err_size)
{
	int rc;

	if (r->started) {
		snprintf(err, err_size, "a rerun is still going: wait for it or stop it first");
		return -1;
	}
	snprintf(r->corpus_path, sizeof r->corpus_path, "%s", request->corpus_path);
	snprintf(r->db_path, sizeof r->db_path, "%s", request->db_path);
	r->cfg = request->cfg;
	r->jobs = request->jobs > 0 ? request->jobs : 1;
	r->recorder = request->recorder;
	atomic_store(&r->cancel, false);
	memset(&r->progress, 0, sizeof r->progress);
	memset(&r->outcome, 0, sizeof r->outcome);
	r->finished = false;

	rc = pthread_create(&r->thread, NULL, rerun_main, r);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the rerun thread: %s", strerror(rc));
		return -1;
	}
	r->started = true;
	return 0;
}

void rerun_cancel(struct rerun *r)
{
	if (r->started)
		atomic_store(&r->cancel, true);
}

bool rerun_active(struct rerun *r)
{
	return r->started;
}

bool rerun_cancelling(struct rerun *r)
{
	return r->started && atomic_load(&r->cancel);
}

void rerun_progress(struct rerun *r, struct runner_progress *out)
{
	pthread_mutex_lock(&r->lock);
	*out = r->progress;
	pthread_mutex_unlock(&r->lock);
}

bool rerun_collect(struct rerun *r, struct rerun_outcome *out)
{
	bool finished;

	if (!r->started)
		return false;
	pthread_mutex_lock(&r->lock);
	finished = r->finished;
	if (finished)
		*out = r->outcome;
	pthread_mutex_unlock(&r->lock);
	if (!finished)
		return false;
	pthread_join(r->thread, NULL);
	r->started = false;
	return true;
}
