/*
 * The corpus runner. Workers claim cases in corpus order from a shared
 * counter and write each result into a ring of RUNNER_RING slots, case i
 * in slot i % RUNNER_RING. The calling thread is the writer. It waits until
 * a batch of RUNNER_BATCH consecutive cases is complete, adds it to the
 * summary, writes its predictions and commits it to the history in one
 * transaction. A worker never runs more than the ring ahead of the writer,
 * so memory stays bounded whatever the corpus size.
 *
 * Cancelling stops the hand-out of new cases. The cases already claimed
 * are finished and recorded. The run is then recorded as finished with
 * cancelled set (history_mark_cancelled), so a reader does not mistake it
 * for a crash.
 *
 * Before its first case each worker parses one text of its own, untimed
 * and unrecorded, so the tier loading and per-thread set-up of a cold
 * worker (a millisecond or more) do not count in the run's latencies. The
 * warm-up is skipped while the LLM tier can be called, because it could
 * send the text to the model, and beside the LLM's seconds a millisecond
 * does not matter. Its cache lookups are taken out of the summary's.
 *
 * The LLM tier's state (cascade_llm_stats) goes into the run's row with
 * every batch and heartbeat. While the tier can be called, the writer also
 * refreshes it every LLM_REFRESH_MS between batches. At that interval it
 * commits the cases done so far as a smaller batch too, so a UI in another
 * process follows a slow run's cases and requests in flight.
 */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/event_json.h"
#include "app/history.h"
#include "app/llm_outcome.h"
#include "app/log.h"
#include "app/runner.h"
#include "app/score.h"
#include "app/settings.h"
#include "engine/clock.h"

#define RUNNER_RING (RUNNER_BATCH * 4)
/* Cases a worker claims at a time, so the lock is taken once per chunk
 * rather than once per case. While the LLM tier can be called a worker
 * claims one case at a time, since a case can take seconds and a chunk
 * would leave other workers idle behind it. */
#define RUNNER_CHUNK 16
#define RUNNER_JOBS_MAX 256
/* The writer refreshes the run's heartbeat at least this often while it
 * waits for slow parses, well inside HISTORY_STALE_SECONDS. */
#define HEARTBEAT_INTERVAL_MS 5000
/* How often the LLM figures reach the run's row and the progress callback
 * while the tier can be called. */
#define LLM_REFRESH_MS 1000
#define LLM_PROGRESS_MS 250

struct slot {
	struct case_record record;
	unsigned tiers_called;     /* bit t: tier t ran */
	unsigned tiers_failed;     /* bit t: tier t returned an error */
	unsigned tiers_answered;   /* bit t: tier t set a field that has a value */
	bool done;                 /* guarded by run->lock */
};

struct run {
	const struct runner_options *options;
	struct corpus *corpus;
	struct cascade *cascade;
	struct history *history;
	FILE *predictions;
	int64_t run_id;
	int64_t started_ns;
	bool llm_callable;         /* llm.backend is not off and the mode can use it */
	int workers;               /* parse threads */

	pthread_mutex_t lock;
	pthread_cond_t ready;      /* a slot was filled */
	pthread_cond_t space;      /* the writer freed slots, or the run stops */
	struct slot *ring;
	struct case_record *batch;  /* RUNNER_BATCH records handed to the history */
	size_t next;               /* next case to hand out */
	size_t written;            /* cases the writer has consumed */
	size_t awaited;            /* case the writer sleeps on; SIZE_MAX when awake */
	size_t limit;              /* cases that will be parsed */
	bool stopping;

	struct run_summary *summary;
	atomic_uint_fast64_t warm_up_lookups;   /* cache lookups of the warm-up parses */
	atomic_uint_fast64_t warm_up_hits;
	double *parse_us;          /* end-to-end latency per case, microseconds */
	double *tier_us[TIER_COUNT];
};

struct worker_arg {
	struct run *run;
	struct cascade_worker *worker;
	struct parse_result *result;
	int index;                 /* 0 .. jobs - 1 */
};

static bool cancel_requested(const struct run *run)
{
	return run->options->cancel && atomic_load(run->options->cancel);
}

/* Stops the hand-out of new cases; called with run->lock held. */
static void stop_locked(struct run *run)
{
	if (!run->stopping) {
		run->stopping = true;
		run->limit = run->next;
	}
	pthread_cond_broadcast(&run->space);
	pthread_cond_broadcast(&run->ready);
}

/* Copies the LLM call's outcome into a case record. */
static void record_llm(const struct tier_trace *trace, unsigned lost, struct case_record *rec)
{
	enum llm_outcome outcome = llm_outcome_of(trace);

	snprintf(rec->llm_status, sizeof rec->llm_status, "%s", llm_outcome_name(outcome));
	rec->llm_lost = lost;
	rec->llm_prompt_tokens = -1;
	rec->llm_completion_tokens = -1;
	if (outcome == LLM_OUTCOME_NOT_CALLED)
		return;
	rec->llm_prompt_tokens = trace->prompt_tokens;
	rec->llm_completion_tokens = trace->completion_tokens;
	rec->llm_attempts = trace->attempts;
	if (trace->status != PARSE_OK)
		event_copy_text(rec->llm_error, sizeof rec->llm_error, trace->error,
				strlen(trace->error));
}

static void parse_case(struct worker_arg *arg, size_t i, struct slot *slot)
{
	const struct corpus_case *c = &arg->run->corpus->cases[i];
	struct parse_result *result = arg->result;
	struct case_record *rec = &slot->record;
	struct parse_input in;
	struct score score;

	in.text = c->text;
	in.len = c->text_len;
	in.ref = c->ref;
	in.tz = c->tz;
	in.locale = c->locale;
	cascade_parse(arg->worker, &in, result);
	score_case(c, &result->event, &score);

	memset(rec, 0, sizeof *rec);
	rec->seq = (int64_t)i;
	snprintf(rec->case_id, sizeof rec->case_id, "%s", c->id);
	rec->prediction = result->event;
	rec->expected = score.expected;
	rec->correct = score.correct;
	rec->all_correct = score.all_correct;
	rec->total_ns = result->total_ns;
	rec->cache_hit = result->cache_hit;
	rec->cache_ns = arg->run->options->cfg.cache_l1_entries > 0 ? result->cache_ns : -1;
	rec->llm_called = result->tiers[TIER_LLM].called;
	record_llm(&result->tiers[TIER_LLM], result->llm_lost, rec);
	if (result->tiers[TIER_RULES].called && result->tiers[TIER_RULES].backend)
		snprintf(rec->rules_backend, sizeof rec->rules_backend, "%s",
			 result->tiers[TIER_RULES].backend);
	if (result->status != PARSE_OK)
		snprintf(rec->error, sizeof rec->error, "%s", result->error[0] ? result->error :
			 parse_status_message(result->status));
	else if (result->error[0])
		/* A lower tier failed (a Duckling server down) but the others answered. */
		snprintf(rec->error, sizeof rec->error, "%s", result->error);
	else if (rec->llm_error[0])
		/* The lower tiers' answers stand, but the case still reports why the
		 * LLM's are missing, and counts among the run's errors. */
		snprintf(rec->error, sizeof rec->error, "llm tier: %s", rec->llm_error);

	slot->tiers_called = slot->tiers_failed = slot->tiers_answered = 0;
	for (int t = 0; t < TIER_COUNT; t++) {
		const struct tier_trace *trace = &result->tiers[t];

		rec->tier_ns[t] = trace->called ? trace->elapsed_ns : -1;
		if (trace->called)
			slot->tiers_called |= 1u << t;
		if (trace->called && trace->status != PARSE_OK) {
			slot->tiers_failed |= 1u << t;
			rec->failed_tiers |= 1u << t;
		}
	}
	for (int f = 0; f < FIELD_COUNT; f++) {
		enum tier t = result->event.tier[f];

		if (t != TIER_NONE && event_has(&result->event, (enum field)f))
			slot->tiers_answered |= 1u << t;
	}
}

/* Parses a text no corpus case has, under the first case's zone and
 * locale: its own text and a reference time per worker, so it misses the
 * cache and no real case can hit its entry. */
static void warm_up(struct worker_arg *arg)
{
	struct run *run = arg->run;
	const struct corpus_case *first = &run->corpus->cases[0];
	struct parse_input in;
	char text[96];
	int n = snprintf(text, sizeof text, "caltune warm-up %d: lunch with Sam tomorrow at noon "
			 "at Cafe Rio", arg->index);

	in.text = text;
	in.len = (size_t)n;
	in.ref = (struct cal_datetime){ { 1999, 12, 31 }, 23, 59, 59 };
	in.tz = first->tz;
	in.locale = first->locale;
	cascade_parse(arg->worker, &in, arg->result);
	if (run->options->cfg.cache_l1_entries > 0) {
		atomic_fetch_add(&run->warm_up_lookups, 1);
		atomic_fetch_add(&run->warm_up_hits, arg->result->cache_hit ? 1 : 0);
	}
}

static void *worker_main(void *p)
{
	struct worker_arg *arg = p;
	struct run *run = arg->run;

	if (!run->llm_callable)
		warm_up(arg);
	pthread_mutex_lock(&run->lock);
	for (;;) {
		size_t first;
		size_t count;

		while (!run->stopping && run->next < run->limit &&
		       run->next >= run->written + RUNNER_RING)
			pthread_cond_wait(&run->space, &run->lock);
		if (run->stopping || run->next >= run->limit)
			break;
		if (cancel_requested(run)) {
			stop_locked(run);
			break;
		}
		first = run->next;
		count = run->limit - first;
		if (count > (run->llm_callable ? 1 : RUNNER_CHUNK))
			count = run->llm_callable ? 1 : RUNNER_CHUNK;
		if (count > run->written + RUNNER_RING - first)
			count = run->written + RUNNER_RING - first;
		run->next += count;
		pthread_mutex_unlock(&run->lock);

		/* These slots are this worker's alone until done is set: the
		 * writer waits for done, and no worker can claim case i + RING
		 * before the writer has consumed case i. */
		for (size_t i = first; i < first + count; i++)
			parse_case(arg, i, &run->ring[i % RUNNER_RING]);

		pthread_mutex_lock(&run->lock);
		for (size_t i = first; i < first + count; i++)
			run->ring[i % RUNNER_RING].done = true;
		/* Wake the writer only for the case it sleeps on. */
		if (run->awaited >= first && run->awaited < first + count)
			pthread_cond_signal(&run->ready);
	}
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

static int compare_tags(const void *a, const void *b)
{
	return strcmp(((const struct tag_summary *)a)->tag, ((const struct tag_summary *)b)->tag);
}

/* Builds the sorted list of distinct tags of the corpus. */
static int collect_tags(const struct corpus *corpus, struct run_summary *s)
{
	size_t total = 0;
	size_t n = 0;

	for (size_t i = 0; i < corpus->count; i++)
		total += corpus->cases[i].tag_count;
	s->tags = calloc(total ? total : 1, sizeof *s->tags);
	if (!s->tags)
		return -1;
	for (size_t i = 0; i < corpus->count; i++)
		for (size_t k = 0; k < corpus->cases[i].tag_count; k++)
			s->tags[n++].tag = corpus->cases[i].tags[k];
	qsort(s->tags, n, sizeof *s->tags, compare_tags);

	s->tag_count = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->tag_count > 0 && strcmp(s->tags[s->tag_count - 1].tag, s->tags[i].tag) == 0)
			continue;
		s->tags[s->tag_count++].tag = s->tags[i].tag;
	}
	/* Own copies, so the summary outlives the corpus. */
	for (size_t i = 0; i < s->tag_count; i++) {
		s->tags[i].tag = strdup(s->tags[i].tag);
		if (!s->tags[i].tag)
			return -1;
	}
	return 0;
}

static void count_tags(struct run_summary *s, const struct corpus_case *c, bool correct)
{
	for (size_t k = 0; k < c->tag_count; k++) {
		struct tag_summary key = { .tag = c->tags[k] };
		struct tag_summary *found = bsearch(&key, s->tags, s->tag_count, sizeof *s->tags,
						    compare_tags);

		if (found) {
			found->cases++;
			found->correct += correct;
		}
	}
}

/* Adds one recorded case to the summary, in corpus order. */
static void tally_case(struct run *run, const struct slot *slot)
{
	struct run_summary *s = run->summary;
	const struct case_record *rec = &slot->record;
	size_t index = s->cases;

	s->cases++;
	s->errors += rec->error[0] != '\0';
	s->correct += rec->all_correct;
	for (int f = 0; f < FIELD_COUNT; f++) {
		if (!((rec->expected >> f) & 1u))
			continue;
		s->field_expected[f]++;
		s->field_correct[f] += (rec->correct >> f) & 1u;
	}
	count_tags(s, &run->corpus->cases[rec->seq], rec->all_correct);

	run->parse_us[index] = (double)rec->total_ns / 1000.0;
	for (int t = 0; t < TIER_COUNT; t++) {
		struct tier_summary *ts = &s->tiers[t];

		if ((slot->tiers_called >> t) & 1u)
			run->tier_us[t][ts->calls++] = (double)rec->tier_ns[t] / 1000.0;
		ts->failures += (slot->tiers_failed >> t) & 1u;
		ts->answered += (slot->tiers_answered >> t) & 1u;
	}
	s->llm.lost_fields += (uint64_t)__builtin_popcount(rec->llm_lost);
	s->llm.replayed += strcmp(rec->llm_status, "replayed") == 0;
}

static int write_prediction(struct run *run, const struct case_record *rec)
{
	json_t *line = json_object();
	int rc;

	json_object_set_new(line, "id", json_string(rec->case_id));
	json_object_set_new(line, "event", event_json_new(&rec->prediction));
	json_object_set_new(line, "tiers", event_json_tiers(&rec->prediction));
	json_object_set_new(line, "latency_us", event_json_real((double)rec->total_ns / 1000.0, 3));
	if (rec->error[0])
		json_object_set_new(line, "error", json_string(rec->error));
	rc = json_dumpf(line, run->predictions, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(line);
	if (rc != 0 || fputc('\n', run->predictions) == EOF)
		return -1;
	return 0;
}

static void report_progress(struct run *run)
{
	struct runner_progress progress;

	if (!run->options->on_progress)
		return;
	cascade_llm_stats(run->cascade, &progress.llm);
	progress.run_id = run->run_id;
	progress.done = run->summary->cases;
	progress.total = run->corpus->count;
	progress.errors = run->summary->errors;
	progress.elapsed_ms = (double)(clock_now_ns() - run->started_ns) / 1e6;
	run->options->on_progress(run->options->progress_context, &progress);
}

/* Takes the LLM tier's figures for the run's row. out->state points to
 * a static string. */
static void llm_status_now(struct run *run, struct history_llm_status *out)
{
	struct cascade_llm_stats stats;

	cascade_llm_stats(run->cascade, &stats);
	out->state = cascade_llm_state_name(stats.state);
	out->in_flight = stats.in_flight;
	out->retries = (int64_t)stats.retries;
}

/* Scores, writes and records cases [first, first + count). */
static int flush_batch(struct run *run, size_t first, size_t count, char *err, size_t err_size)
{
	struct slot *slots = &run->ring[first % RUNNER_RING];
	struct history_llm_status llm;

	for (size_t k = 0; k < count; k++) {
		tally_case(run, &slots[k]);
		if (run->predictions && write_prediction(run, &slots[k].record) < 0) {
			snprintf(err, err_size, "cannot write predictions to %s: %s",
				 run->options->predictions_path, strerror(errno));
			return -1;
		}
		run->batch[k] = slots[k].record;
	}
	llm_status_now(run, &llm);
	if (run->history &&
	    history_append_cases(run->history, run->run_id, run->batch, count, &llm, err,
				 err_size) < 0)
		return -1;
	return 0;
}

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Refreshes the run's heartbeat and LLM figures, and reports progress
 * for the LLM figures, when their intervals have passed since the last
 * batch or refresh. Called unlocked while the writer waits. A failed
 * heartbeat is logged: the next batch reports a database that stays
 * broken. */
static void refresh_while_waiting(struct run *run, int64_t *last_beat, int64_t *last_progress)
{
	int64_t now = clock_now_ns();
	int64_t beat_ms = run->llm_callable ? LLM_REFRESH_MS : HEARTBEAT_INTERVAL_MS;
	struct history_llm_status llm;
	char err[512];

	if (run->history && now - *last_beat > beat_ms * 1000000LL) {
		llm_status_now(run, &llm);
		if (history_heartbeat(run->history, run->run_id, &llm, err, sizeof err) < 0)
			LOG_AT(LOG_WARN, "run %lld: %s", (long long)run->run_id, err);
		*last_beat = now;
	}
	if (run->llm_callable && now - *last_progress > LLM_PROGRESS_MS * 1000000LL) {
		report_progress(run);
		*last_progress = now;
	}
}

/* The writer loop, on the calling thread. */
static int write_results(struct run *run, char *err, size_t err_size)
{
	int64_t last_beat = clock_now_ns();
	int64_t last_progress = last_beat;
	int64_t last_flush = last_beat;
	size_t scan = 0;   /* cases known done, from the start */

	for (;;) {
		size_t first, end;
		struct timespec deadline;

		pthread_mutex_lock(&run->lock);
		for (;;) {
			if (cancel_requested(run))
				stop_locked(run);
			first = run->written;
			end = first + RUNNER_BATCH < run->limit ? first + RUNNER_BATCH : run->limit;
			/* A batch never wraps around the ring, so its slots are
			 * contiguous. */
			if (end > first - first % RUNNER_RING + RUNNER_RING)
				end = first - first % RUNNER_RING + RUNNER_RING;
			while (scan < end && run->ring[scan % RUNNER_RING].done)
				scan++;
			if (scan >= end)
				break;
			/* With the LLM, a batch can take minutes to fill, so the cases
			 * done so far are committed every LLM_REFRESH_MS for readers to
			 * follow. */
			if (run->llm_callable && scan > first &&
			    clock_now_ns() - last_flush >= LLM_REFRESH_MS * 1000000LL) {
				end = scan;
				break;
			}
			deadline_in(&deadline, 200);
			run->awaited = scan;
			pthread_cond_timedwait(&run->ready, &run->lock, &deadline);
			run->awaited = SIZE_MAX;
			pthread_mutex_unlock(&run->lock);
			refresh_while_waiting(run, &last_beat, &last_progress);
			pthread_mutex_lock(&run->lock);
		}
		pthread_mutex_unlock(&run->lock);
		if (first >= end)
			return 0;

		if (flush_batch(run, first, end - first, err, err_size) < 0) {
			pthread_mutex_lock(&run->lock);
			stop_locked(run);
			pthread_mutex_unlock(&run->lock);
			return -1;
		}
		last_beat = clock_now_ns();
		last_progress = last_beat;
		last_flush = last_beat;

		pthread_mutex_lock(&run->lock);
		for (size_t i = first; i < end; i++)
			run->ring[i % RUNNER_RING].done = false;
		run->written = end;
		pthread_cond_broadcast(&run->space);
		pthread_mutex_unlock(&run->lock);
		report_progress(run);
	}
}

static double percentile_of(double *values, size_t n, int permille)
{
	if (n == 0)
		return 0.0;
	metrics_sort(values, n);
	return metrics_percentile(values, n, permille);
}

static void finish_summary(struct run *run)
{
	struct run_summary *s = run->summary;
	struct cascade_llm_stats llm;

	s->accuracy = s->cases ? (double)s->correct / (double)s->cases : 0.0;
	s->parse_p50_us = percentile_of(run->parse_us, s->cases, 500);
	s->parse_p95_us = percentile_of(run->parse_us, s->cases, 950);
	for (int t = 0; t < TIER_COUNT; t++) {
		s->tiers[t].p50_us = percentile_of(run->tier_us[t], s->tiers[t].calls, 500);
		s->tiers[t].p95_us = percentile_of(run->tier_us[t], s->tiers[t].calls, 950);
	}
	cascade_cache_counts(run->cascade, &s->cache_lookups, &s->cache_hits);
	s->cache_lookups -= atomic_load(&run->warm_up_lookups);
	s->cache_hits -= atomic_load(&run->warm_up_hits);

	cascade_llm_stats(run->cascade, &llm);
	snprintf(s->llm.state, sizeof s->llm.state, "%s", cascade_llm_state_name(llm.state));
	s->llm.calls = s->tiers[TIER_LLM].calls;
	s->llm.failures = s->tiers[TIER_LLM].failures;
	s->llm.retries = llm.retries;
	s->wall_ms = (double)(clock_now_ns() - run->started_ns) / 1e6;
}

/* Opens the history, then the predictions file, then records the run, so
 * neither a bad --db nor a bad --predictions leaves a run behind, and a
 * bad --db leaves an earlier predictions file as it was. */
static int begin_recording(struct run *run, char *err, size_t err_size)
{
	const struct runner_options *o = run->options;
	struct run_record rec;
	struct cascade_llm_stats llm;
	char *settings;

	if (o->db_path && history_open(o->db_path, false, &run->history, err, err_size) < 0)
		return -1;
	if (o->predictions_path) {
		run->predictions = fopen(o->predictions_path, "w");
		if (!run->predictions) {
			snprintf(err, err_size, "cannot write predictions to %s: %s: pass --predictions "
				 "with a writable path", o->predictions_path, strerror(errno));
			return -1;
		}
	}
	if (!run->history)
		return 0;
	memset(&rec, 0, sizeof rec);
	snprintf(rec.preset, sizeof rec.preset, "%s", o->cfg.preset);
	snprintf(rec.mode, sizeof rec.mode, "%s", config_mode_name(o->cfg.mode));
	snprintf(rec.corpus, sizeof rec.corpus, "%s", o->corpus_path);
	snprintf(rec.corpus_sha256, sizeof rec.corpus_sha256, "%s", run->corpus->sha256);
	snprintf(rec.version, sizeof rec.version, "%s", CALTUNE_VERSION);
	settings = settings_to_text(&o->cfg);
	snprintf(rec.settings_json, sizeof rec.settings_json, "%s", settings ? settings : "{}");
	free(settings);
	rec.cases_total = (int64_t)run->corpus->count;
	cascade_llm_stats(run->cascade, &llm);
	snprintf(rec.llm_state, sizeof rec.llm_state, "%s", cascade_llm_state_name(llm.state));
	if (history_begin_run(run->history, &rec, err, err_size) < 0)
		return -1;
	run->run_id = rec.id;
	run->summary->run_id = rec.id;
	LOG_AT(LOG_INFO, "run %lld started: corpus %s (%zu cases, sha256 %s), preset %s, mode %s, "
	       "%d workers, llm %s", (long long)rec.id, o->corpus_path, run->corpus->count,
	       run->corpus->sha256, rec.preset, rec.mode, run->workers,
	       config_llm_backend_name(o->cfg.llm_backend));
	return 0;
}

static int finish_recording(struct run *run, char *err, size_t err_size)
{
	struct run_summary *s = run->summary;
	char *json;
	int rc;

	if (s->cancelled && history_mark_cancelled(run->history, run->run_id, err, err_size) < 0)
		return -1;
	json = run_summary_to_json(s);
	rc = history_finish_run(run->history, run->run_id, s->wall_ms, s->parse_p95_us, json,
				err, err_size);
	free(json);
	if (rc == 0)
		LOG_AT(LOG_INFO, "run %lld %s: %zu of %zu cases, %zu errors, accuracy %.4f, %.1f ms",
		       (long long)run->run_id, s->cancelled ? "cancelled" : "finished", s->cases,
		       run->corpus->count, s->errors, s->accuracy, s->wall_ms);
	return rc;
}

/* Makes the threads' shared state; returns -1 with a message on failure. */
static int prepare(struct run *run, char *err, size_t err_size)
{
	const struct runner_options *o = run->options;
	size_t n = run->corpus->count;

	run->ring = calloc(RUNNER_RING, sizeof *run->ring);
	run->batch = malloc(RUNNER_BATCH * sizeof *run->batch);
	run->parse_us = malloc((n ? n : 1) * sizeof *run->parse_us);
	for (int t = 0; t < TIER_COUNT; t++)
		run->tier_us[t] = malloc((n ? n : 1) * sizeof *run->tier_us[t]);
	if (!run->ring || !run->batch || !run->parse_us || !run->tier_us[0] || !run->tier_us[1] ||
	    !run->tier_us[2] || collect_tags(run->corpus, run->summary) < 0) {
		snprintf(err, err_size, "out of memory preparing a run of %zu cases", n);
		return -1;
	}
	run->limit = n;
	run->awaited = SIZE_MAX;

	run->cascade = cascade_new(&o->cfg, err, err_size);
	if (!run->cascade)
		return -1;
	if (o->recorder)
		cascade_set_recorder(run->cascade, o->recorder);
	return begin_recording(run, err, err_size);
}

/* Starts the workers, writes results until the end or a cancel, joins. */
static int execute(struct run *run, int jobs, char *err, size_t err_size)
{
	struct worker_arg args[RUNNER_JOBS_MAX];
	pthread_t threads[RUNNER_JOBS_MAX];
	int started = 0;
	int rc = 0;

	memset(args, 0, sizeof args);
	for (int k = 0; k < jobs; k++) {
		args[k].run = run;
		args[k].index = k;
		args[k].worker = cascade_worker_new(run->cascade, err, err_size);
		args[k].result = malloc(sizeof *args[k].result);
		if (!args[k].worker || !args[k].result) {
			if (args[k].worker)
				snprintf(err, err_size, "out of memory for the parse results of %d jobs",
					 jobs);
			rc = -1;
			break;
		}
	}
	pthread_mutex_init(&run->lock, NULL);
	pthread_cond_init(&run->ready, NULL);
	pthread_cond_init(&run->space, NULL);
	for (int k = 0; rc == 0 && k < jobs; k++) {
		if (pthread_create(&threads[k], NULL, worker_main, &args[k]) != 0) {
			snprintf(err, err_size, "cannot start worker thread %d of %d: lower --jobs",
				 k + 1, jobs);
			rc = -1;
			break;
		}
		started++;
	}
	if (rc == 0) {
		report_progress(run);
		rc = write_results(run, err, err_size);
	} else {
		pthread_mutex_lock(&run->lock);
		stop_locked(run);
		pthread_mutex_unlock(&run->lock);
	}
	for (int k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	pthread_cond_destroy(&run->space);
	pthread_cond_destroy(&run->ready);
	pthread_mutex_destroy(&run->lock);

	run->summary->cancelled = run->stopping && run->summary->cases < run->corpus->count;
	for (int k = 0; k < jobs; k++) {
		cascade_worker_free(args[k].worker);
		free(args[k].result);
	}
	return rc;
}

static void release(struct run *run)
{
	history_close(run->history);
	if (run->predictions)
		fclose(run->predictions);
	cascade_free(run->cascade);
	corpus_free(run->corpus);
	free(run->ring);
	free(run->batch);
	free(run->parse_us);
	for (int t = 0; t < TIER_COUNT; t++)
		free(run->tier_us[t]);
}

int runner_processors(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	if (n > RUNNER_JOBS_MAX)
		return RUNNER_JOBS_MAX;
	return (int)n;
}

bool runner_llm_callable(const struct cascade_config *cfg)
{
	return cfg->llm_backend != LLM_OFF && (cfg->mode == MODE_HYBRID || cfg->mode == MODE_LLM);
}

int runner_run(const struct runner_options *options, struct run_summary *out,
	       char *err, size_t err_size)
{
	struct run run;
	int jobs = options->jobs < 1 ? 1 : options->jobs > RUNNER_JOBS_MAX ? RUNNER_JOBS_MAX :
		   options->jobs;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&run, 0, sizeof run);
	atomic_init(&run.warm_up_lookups, 0);
	atomic_init(&run.warm_up_hits, 0);
	run.options = options;
	run.summary = out;
	run.started_ns = clock_now_ns();
	snprintf(out->preset, sizeof out->preset, "%s", options->cfg.preset);
	snprintf(out->mode, sizeof out->mode, "%s", config_mode_name(options->cfg.mode));
	snprintf(out->corpus, sizeof out->corpus, "%s", options->corpus_path);

	run.corpus = corpus_load(options->corpus_path, options->on_corpus_error,
				 options->error_context, err, err_size);
	if (!run.corpus)
		return -1;
	out->bad_lines = run.corpus->bad_lines;
	if (run.corpus->count == 0) {
		if (run.corpus->bad_lines == 0)
			snprintf(err, err_size, "corpus %s has no case: the file is empty or has only "
				 "blank lines: write one JSON object per line, as corpora/README.md "
				 "describes, or pass another --corpus", options->corpus_path);
		else
			snprintf(err, err_size, "corpus %s has no valid case (%zu bad lines): fix the "
				 "lines reported above or pass another --corpus", options->corpus_path,
				 run.corpus->bad_lines);
		release(&run);
		return -1;
	}
	/* The LLM client is shared by the cascade's workers, and each worker
	 * waits for its own request, so llm.concurrency requests in flight take
	 * that many workers. */
	run.llm_callable = runner_llm_callable(&options->cfg);
	if (run.llm_callable && options->cfg.llm_concurrency > jobs)
		jobs = options->cfg.llm_concurrency;
	if (jobs > RUNNER_JOBS_MAX)
		jobs = RUNNER_JOBS_MAX;
	/* Without the LLM a parse never waits, so workers beyond the processors
	 * would only queue for one, and that wait would count as latency. */
	if (!run.llm_callable && jobs > runner_processors())
		jobs = runner_processors();
	if ((size_t)jobs > run.corpus->count)
		jobs = (int)run.corpus->count;
	run.workers = jobs;

	rc = prepare(&run, err, err_size);
	if (rc == 0)
		rc = execute(&run, jobs, err, err_size);
	if (rc == 0) {
		finish_summary(&run);
		if (run.history)
			rc = finish_recording(&run, err, err_size);
	}
	if (run.predictions) {
		bool failed = ferror(run.predictions) != 0;

		failed |= fclose(run.predictions) != 0;
		run.predictions = NULL;
		if (failed && rc == 0) {
			snprintf(err, err_size, "cannot write predictions to %s: %s",
				 options->predictions_path, strerror(errno));
			rc = -1;
		}
	}
	if (rc < 0)
		LOG_AT(LOG_ERROR, "run %lld of %s failed: %s", (long long)run.run_id,
		       options->corpus_path, err);
	release(&run);
	return rc;
}
