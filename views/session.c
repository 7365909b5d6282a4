/*
 * The session's state changes. Every refusal puts the reason and the
 * next step on the message line, and every change goes to the log.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/log.h"
#include "app/recorder.h"
#include "views/session.h"

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void session_message(struct session *s, enum session_level level, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(s->message, sizeof s->message, format, ap);
	va_end(ap);
	s->message_level = level;
	LOG_AT(level == SESSION_ERROR ? LOG_WARN : LOG_INFO, "ui: %s", s->message);
}

/* Counts bad corpus lines and keeps the first for the message line. */
static void on_corpus_error(void *context, const char *message)
{
	struct session *s = context;

	LOG_AT(LOG_WARN, "corpus: %s", message);
	if (s->corpus_error[0] == '\0')
		snprintf(s->corpus_error, sizeof s->corpus_error, "%s", message);
}

static void load_corpus(struct session *s)
{
	char err[SESSION_MESSAGE_MAX];

	if (s->corpus_path[0] == '\0')
		return;
	s->corpus = corpus_load(s->corpus_path, on_corpus_error, s, err, sizeof err);
	if (!s->corpus) {
		snprintf(s->corpus_error, sizeof s->corpus_error, "%s", err);
		session_corpus_problem(s, err, sizeof err);
		session_message(s, SESSION_ERROR, "%s", err);
		return;
	}
	if (s->corpus->bad_lines > 0) {
		session_corpus_problem(s, err, sizeof err);
		session_message(s, SESSION_ERROR, "%s", err);
	}
}

int session_init(struct session *s, const struct ui_options *options, char *err,
		 size_t err_size)
{
	memset(s, 0, sizeof *s);
	s->options = options;
	s->readonly = options->readonly;
	s->jobs = options->jobs > 0 ? options->jobs : 1;
	s->cfg = options->cfg;
	s->cfg_generation = 1;
	s->requested_view = -1;
	s->now_ms = wall_ms();
	if (options->corpus_path)
		snprintf(s->corpus_path, sizeof s->corpus_path, "%s", options->corpus_path);
	if (options->db_path && options->db_path[0])
		snprintf(s->db_path, sizeof s->db_path, "%s", options->db_path);
	else if (history_default_path(s->db_path, sizeof s->db_path) != 0) {
		snprintf(err, err_size, "no history database path: set CALTUNE_DB or pass --db FILE");
		return -1;
	}

	s->rerun = rerun_new();
	if (!s->rerun) {
		snprintf(err, err_size, "out of memory creating the rerun state");
		return -1;
	}
	/* Read-only mode writes nothing, so it records no exchange either. */
	if (recorder_for_config(&s->cfg, s->db_path, options->no_record || s->readonly,
				&s->recorder, err, err_size) < 0)
		return -1;
	live_init(&s->live, s->db_path);
	load_corpus(s);
	if (s->readonly)
		session_message(s, SESSION_INFO, "Read-only: browsing %s; reruns are off",
				s->db_path);
	return 0;
}

void session_free(struct session *s)
{
	rerun_free(s->rerun);
	s->rerun = NULL;
	recorder_free(s->recorder);
	s->recorder = NULL;
	live_free(&s->live);
	if (s->corpus)
		corpus_free(s->corpus);
	s->corpus = NULL;
}

static void start_rerun(struct session *s)
{
	struct rerun_request request;
	char err[RERUN_MESSAGE_MAX];

	memset(&request, 0, sizeof request);
	request.corpus_path = s->corpus_path;
	request.db_path = s->db_path;
	request.cfg = s->cfg;
	request.jobs = s->jobs;
	request.recorder = session_llm_recorder(s);
	if (rerun_start(s->rerun, &request, err, sizeof err) != 0) {
		session_message(s, SESSION_ERROR, "Rerun not started: %s", err);
		return;
	}
	session_message(s, SESSION_INFO, "Rerunning %s with preset %s (regex_only %.2f, "
			"deterministic_backup %.2f)", s->corpus_path, s->cfg.preset,
			s->cfg.regex_only, s->cfg.deterministic_backup);
}

static void report_outcome(struct session *s, const struct rerun_outcome *o)
{
	if (!o->ok) {
		session_message(s, SESSION_ERROR, "Rerun failed: %s", o->message);
		return;
	}
	if (o->bad_lines > 0)
		session_message(s, SESSION_ERROR, "Run %lld %s: %zu cases, accuracy %.1f%%; %zu bad "
				"corpus lines skipped, first: %s", (long long)o->run_id,
				o->cancelled ? "stopped" : "finished", o->cases, o->accuracy * 100,
				o->bad_lines, o->first_bad_line);
	else if (o->cases == 0)
		session_message(s, SESSION_INFO, "Run %lld %s before its first case", (long long)o->run_id,
				o->cancelled ? "stopped" : "finished");
	else
		session_message(s, SESSION_INFO, "Run %lld %s: %zu cases, accuracy %.1f%%, "
				"%zu errors, %.0f ms", (long long)o->run_id,
				o->cancelled ? "stopped" : "finished", o->cases, o->accuracy * 100,
				o->errors, o->wall_ms);
}

void session_tick(struct session *s)
{
	struct rerun_outcome outcome;
	struct runner_progress progress;

	s->now_ms = wall_ms();

	if (rerun_active(s->rerun)) {
		rerun_progress(s->rerun, &progress);
		if (progress.run_id != 0 && progress.run_id != s->own_run_id) {
			s->own_run_id = progress.run_id;
			live_pin(&s->live, progress.run_id);
		}
	}
	if (rerun_collect(s->rerun, &outcome)) {
		if (outcome.run_id != 0 && outcome.run_id != s->own_run_id) {
			s->own_run_id = outcome.run_id;
			live_pin(&s->live, outcome.run_id);
		}
		if (!s->rerun_queued)
			report_outcome(s, &outcome);
		if (s->rerun_queued) {
			s->rerun_queued = false;
			start_rerun(s);
		}
	}
	if (s->rerun_due_ms != 0 && s->now_ms >= s->rerun_due_ms) {
		s->rerun_due_ms = 0;
		session_rerun(s);
	}
	live_tick(&s->live, s->now_ms);
	if (strcmp(s->live.error, s->reported_history_error) != 0) {
		snprintf(s->reported_history_error, sizeof s->reported_history_error, "%s",
			 s->live.error);
		/* While the history is not open, the Dashboard and History views
		 * show why in full and the header reads "history not open". So the
		 * message line is kept for errors of an open history. */
		if (s->live.error[0] && live_history(&s->live))
			session_message(s, SESSION_ERROR, "History: %s", s->live.error);
		else if (s->message_level == SESSION_ERROR && strncmp(s->message, "History: ", 9) == 0)
			session_message(s, SESSION_INFO, "History: reading %s again", s->db_path);
	}
}

bool session_rerun(struct session *s)
{
	if (s->readonly) {
		session_message(s, SESSION_ERROR, "Read-only mode (--readonly): reruns are off "
				"because they would write the history");
		return false;
	}
	if (s->corpus_path[0] == '\0') {
		session_message(s, SESSION_ERROR, "No corpus to rerun: start caltune with "
				"--corpus FILE");
		return false;
	}
	s->rerun_due_ms = 0;
	if (rerun_active(s->rerun)) {
		rerun_cancel(s->rerun);
		s->rerun_queued = true;
		session_message(s, SESSION_INFO, "Stopping the current rerun, then rerunning with "
				"preset %s", s->cfg.preset);
		return true;
	}
	start_rerun(s);
	return true;
}

bool session_apply_preset(struct session *s, const char *name)
{
	struct cascade_config preset;
	char err[256];

	if (config_preset(&preset, name, err, sizeof err) != 0) {
		session_message(s, SESSION_ERROR, "%s", err);
		return false;
	}

	/* The preset decides thresholds and model settings; where the text goes
	 * (mode, backends, URLs) and the cache stay as the operator set them. */
	preset.mode = s->cfg.mode;
	preset.rules_backend = s->cfg.rules_backend;
	memcpy(preset.duckling_url, s->cfg.duckling_url, sizeof preset.duckling_url);
	preset.duckling_timeout_s = s->cfg.duckling_timeout_s;
	preset.llm_backend = s->cfg.llm_backend;
	memcpy(preset.llm_url, s->cfg.llm_url, sizeof preset.llm_url);
	preset.llm_concurrency = s->cfg.llm_concurrency;
	memcpy(preset.llm_api_key_env, s->cfg.llm_api_key_env, sizeof preset.llm_api_key_env);
	preset.cache_l1_entries = s->cfg.cache_l1_entries;
	preset.cache_ttl_s = s->cfg.cache_ttl_s;
	s->cfg = preset;
	s->cfg_generation++;
	LOG_AT(LOG_INFO, "ui: preset %s", name);
	if (!session_rerun(s) && s->readonly)
		session_message(s, SESSION_ERROR, "Preset %s applies to the Playground only: "
				"read-only mode (--readonly) turns reruns off", name);
	return true;
}

static double clamp_unit(double value)
{
	if (value < 0)
		return 0;
	if (value > 1)
		return 1;
	return value;
}

void session_step_threshold(struct session *s, enum session_threshold which, int steps)
{
	double *value = which == SESSION_REGEX_ONLY ? &s->cfg.regex_only :
			&s->cfg.deterministic_backup;
	const char *name = which == SESSION_REGEX_ONLY ? "regex_only" : "deterministic_backup";

	/* Snap to the step grid so repeated steps do not drift (0.1 + 0.05
	 * is not exactly 0.15 in binary floating point). */
	long grid = lround(*value / SESSION_THRESHOLD_STEP) + steps;

	*value = clamp_unit((double)grid * SESSION_THRESHOLD_STEP);
	s->cfg_generation++;
	LOG_AT(LOG_INFO, "ui: %s = %.2f", name, *value);
	if (s->readonly) {
		session_message(s, SESSION_ERROR, "%s = %.2f applies to the Playground only: "
				"read-only mode (--readonly) turns reruns off", name, *value);
		return;
	}
	if (s->corpus_path[0] == '\0') {
		session_message(s, SESSION_ERROR, "%s = %.2f; no corpus to rerun: start caltune "
				"with --corpus FILE", name, *value);
		return;
	}
	s->rerun_due_ms = s->now_ms + SESSION_RERUN_DELAY_MS;
	session_message(s, SESSION_INFO, "%s = %.2f; rerunning after a pause (Enter: now)", name,
			*value);
}

void session_stop_run(struct session *s)
{
	s->rerun_due_ms = 0;
	s->rerun_queued = false;
	if (!rerun_active(s->rerun)) {
		session_message(s, SESSION_INFO, "No rerun of this UI is going (a run started "
				"elsewhere is stopped in its own terminal)");
		return;
	}
	rerun_cancel(s->rerun);
	session_message(s, SESSION_INFO, "Stopping the rerun after the cases in flight");
}

bool session_run_going(const struct session *s)
{
	return rerun_active(s->rerun);
}

bool session_run_progress(struct session *s, struct runner_progress *out)
{
	if (!rerun_active(s->rerun))
		return false;
	rerun_progress(s->rerun, out);
	return true;
}

const struct llm_recorder *session_llm_recorder(struct session *s)
{
	return s->recorder ? recorder_hooks(s->recorder) : NULL;
}

bool session_run_llm(struct session *s, struct cascade_llm_stats *out)
{
	struct runner_progress progress;

	if (!session_run_progress(s, &progress) || progress.run_id == 0 ||
	    !s->live.have_run || s->live.run.id != progress.run_id)
		return false;
	*out = progress.llm;
	return true;
}

void session_show_view(struct session *s, int view_id)
{
	s->requested_view = view_id;
}

/* Drops the folder part of the corpus path at the start of a message. */
static const char *shorten_path(const struct session *s, const char *message)
{
	size_t n = strlen(s->corpus_path);
	const char *slash = strrchr(s->corpus_path, '/');

	if (n > 0 && slash && strncmp(message, s->corpus_path, n) == 0)
		return message + (size_t)(slash + 1 - s->corpus_path);
	return message;
}

void session_corpus_problem(const struct session *s, char *buf, size_t size)
{
	buf[0] = '\0';
	if (s->corpus_path[0] == '\0')
		return;
	if (!s->corpus)
		snprintf(buf, size, "Corpus not loaded: %s", shorten_path(s, s->corpus_error));
	else if (s->corpus->bad_lines > 0)
		snprintf(buf, size, "Corpus: %zu bad line%s skipped, first: %s", s->corpus->bad_lines,
			 s->corpus->bad_lines == 1 ? "" : "s", shorten_path(s, s->corpus_error));
}
