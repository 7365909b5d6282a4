/*
 * Two trace threads share one request slot under one mutex. The quick
 * thread parses each new request with the LLM tier left out; the full
 * thread parses with the configuration as it is, after the delay when the
 * LLM can be called. Each thread keeps its own cascade, rebuilt when the
 * configuration changes, and publishes into its own result slot.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/llm_outcome.h"
#include "app/log.h"
#include "app/runner.h"
#include "views/tracer.h"

enum stage { STAGE_QUICK, STAGE_FULL, STAGE_COUNT };

/* One trace thread's own state. */
struct stage_state {
	struct tracer *tracer;
	enum stage stage;
	pthread_t thread;
	bool started;
	uint64_t done_generation;      /* newest request this stage has traced */
	struct tracer_result result;   /* the newest published trace, guarded by lock */
	bool have_result;
	/* Owned by the thread. */
	struct cascade *cascade;
	struct cascade_worker *worker;
	uint64_t built_generation;
	char build_error[CASCADE_ERROR_MAX];
};

struct tracer {
	pthread_mutex_t lock;
	pthread_cond_t wake;           /* a request or a stop for the threads */
	pthread_cond_t published;      /* a stage published a trace */

	/* Guarded by lock. */
	bool stop;
	struct tracer_request request;
	uint64_t request_generation;
	int64_t request_ns;            /* when the newest request came */
	int parsing;                   /* stages parsing now */
	struct cascade_config cfg;
	uint64_t cfg_generation;
	uint64_t version;

	const struct llm_recorder *recorder;
	struct stage_state stages[STAGE_COUNT];
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void deadline_after_ns(struct timespec *ts, int64_t ns)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ns += ts->tv_nsec;
	ts->tv_sec += (time_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

static void drop_cascade(struct stage_state *st)
{
	cascade_worker_free(st->worker);
	cascade_free(st->cascade);
	st->worker = NULL;
	st->cascade = NULL;
}

/* The configuration a stage parses with: the quick stage leaves the LLM
 * out, and in --mode llm falls back to the cascade, since tiers 1 and 2
 * are what stands when the LLM does not answer. */
static struct cascade_config stage_config(enum stage stage, const struct cascade_config *cfg)
{
	struct cascade_config own = *cfg;

	own.cache_l1_entries = 0;
	if (stage == STAGE_QUICK) {
		own.llm_backend = LLM_OFF;
		if (own.mode == MODE_LLM)
			own.mode = MODE_HYBRID;
	}
	return own;
}

/* Rebuilds the stage's cascade when the configuration changed; returns
 * whether a usable cascade exists. Runs on the stage's thread unlocked. */
static bool ensure_cascade(struct stage_state *st, const struct cascade_config *cfg,
			   uint64_t generation)
{
	struct cascade_config own = stage_config(st->stage, cfg);

	if (st->built_generation == generation && (st->worker || st->build_error[0]))
		return st->worker != NULL;
	drop_cascade(st);
	st->build_error[0] = '\0';
	st->built_generation = generation;
	st->cascade = cascade_new(&own, st->build_error, sizeof st->build_error);
	if (st->cascade)
		st->worker = cascade_worker_new(st->cascade, st->build_error, sizeof st->build_error);
	if (!st->worker) {
		LOG_AT(LOG_WARN, "tracer: cannot build the cascade: %s", st->build_error);
		drop_cascade(st);
		return false;
	}
	if (st->tracer->recorder && own.llm_backend != LLM_OFF)
		cascade_set_recorder(st->cascade, st->tracer->recorder);
	return true;
}

/* Whether this stage has a request to trace now; sets *wait_ns when it
 * has one to trace later. Called locked. */
static bool stage_due(struct tracer *t, struct stage_state *st, int64_t *wait_ns)
{
	bool llm = runner_llm_callable(&t->cfg);
	int64_t delay = (int64_t)TRACER_LLM_DELAY_MS * 1000000;
	int64_t waited;

	*wait_ns = -1;
	if (t->request_generation == 0 || st->done_generation >= t->request_generation)
		return false;
	if (st->stage == STAGE_QUICK)
		return llm;
	if (!llm)
		return true;
	waited = now_ns() - t->request_ns;
	if (waited >= delay)
		return true;
	*wait_ns = delay - waited;
	return false;
}

static void trace_request(struct stage_state *st, const struct cascade_config *cfg,
			  uint64_t cfg_generation, struct tracer_result *result)
{
	struct parse_input input;

	snprintf(result->preset, sizeof result->preset, "%s", cfg->preset);
	snprintf(result->llm_model, sizeof result->llm_model, "%s", cfg->llm_model);
	result->llm_backend = cfg->llm_backend;
	result->regex_only = cfg->regex_only;
	result->deterministic_backup = cfg->deterministic_backup;
	result->llm_pending = st->stage == STAGE_QUICK;
	if (!ensure_cascade(st, cfg, cfg_generation)) {
		snprintf(result->config_error, sizeof result->config_error, "%s", st->build_error);
		return;
	}
	input.text = result->request.text;
	input.len = strlen(result->request.text);
	input.ref = result->request.ref;
	input.tz = result->request.tz[0] ? result->request.tz : NULL;
	input.locale = result->request.locale;
	cascade_parse(st->worker, &input, &result->parse);
	result->llm_sent_characters = llm_outcome_sent_characters(input.text, input.len,
								  cfg->llm_context_limit);
}

static void *stage_main(void *arg)
{
	struct stage_state *st = arg;
	struct tracer *t = st->tracer;
	struct tracer_result *result = malloc(sizeof *result);

	if (!result) {
		LOG_AT(LOG_ERROR, "tracer: out of memory, no traces");
		return NULL;
	}
	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct cascade_config cfg;
		uint64_t cfg_generation;
		int64_t wait_ns;

		while (!t->stop && !stage_due(t, st, &wait_ns)) {
			if (wait_ns >= 0) {
				struct timespec deadline;

				deadline_after_ns(&deadline, wait_ns);
				pthread_cond_timedwait(&t->wake, &t->lock, &deadline);
			} else {
				pthread_cond_wait(&t->wake, &t->lock);
			}
		}
		if (t->stop)
			break;
		memset(result, 0, sizeof *result);
		result->request = t->request;
		result->generation = t->request_generation;
		st->done_generation = t->request_generation;
		cfg = t->cfg;
		cfg_generation = t->cfg_generation;
		t->parsing++;
		pthread_mutex_unlock(&t->lock);

		trace_request(st, &cfg, cfg_generation, result);

		pthread_mutex_lock(&t->lock);
		t->parsing--;
		result->version = ++t->version;
		st->result = *result;
		st->have_result = true;
		pthread_cond_broadcast(&t->published);
	}
	pthread_mutex_unlock(&t->lock);
	drop_cascade(st);
	free(result);
	return NULL;
}

static void stop_threads(struct tracer *t)
{
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_broadcast(&t->wake);
	pthread_mutex_unlock(&t->lock);
	for (int s = 0; s < STAGE_COUNT; s++)
		if (t->stages[s].started)
			pthread_join(t->stages[s].thread, NULL);
}

struct tracer *tracer_new(const struct cascade_config *cfg, const struct llm_recorder *recorder,
			  char *err, size_t err_size)
{
	struct tracer *t = calloc(1, sizeof *t);

	if (!t) {
		snprintf(err, err_size, "out of memory creating the trace threads");
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	pthread_cond_init(&t->published, NULL);
	t->cfg = *cfg;
	t->cfg_generation = 1;
	t->recorder = recorder;
	for (int s = 0; s < STAGE_COUNT; s++) {
		struct stage_state *st = &t->stages[s];
		int rc;

		st->tracer = t;
		st->stage = (enum stage)s;
		rc = pthread_create(&st->thread, NULL, stage_main, st);
		if (rc != 0) {
			snprintf(err, err_size, "cannot start a trace thread: %s", strerror(rc));
			tracer_free(t);
			return NULL;
		}
		st->started = true;
	}
	return t;
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	stop_threads(t);
	pthread_cond_destroy(&t->published);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

void tracer_set_config(struct tracer *t, const struct cascade_config *cfg)
{
	pthread_mutex_lock(&t->lock);
	t->cfg = *cfg;
	t->cfg_generation++;
	pthread_mutex_unlock(&t->lock);
}

uint64_t tracer_request(struct tracer *t, const struct tracer_request *request)
{
	uint64_t generation;

	pthread_mutex_lock(&t->lock);
	t->request = *request;
	t->request.text[TRACER_TEXT_MAX] = '\0';
	t->request.tz[TRACER_ZONE_MAX - 1] = '\0';
	generation = ++t->request_generation;
	t->request_ns = now_ns();
	pthread_cond_broadcast(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return generation;
}

/* The trace poll would hand out now, or NULL. Called locked. */
static const struct tracer_result *current_result(struct tracer *t)
{
	const struct stage_state *full = &t->stages[STAGE_FULL];
	const struct stage_state *quick = &t->stages[STAGE_QUICK];

	if (full->have_result && full->result.generation == t->request_generation)
		return &full->result;
	if (quick->have_result && quick->result.generation == t->request_generation)
		return &quick->result;
	return NULL;
}

bool tracer_poll(struct tracer *t, uint64_t *seen, struct tracer_result *out)
{
	const struct tracer_result *result;
	bool copied = false;

	pthread_mutex_lock(&t->lock);
	result = current_result(t);
	if (result && result->version > *seen) {
		*out = *result;
		*seen = result->version;
		copied = true;
	}
	pthread_mutex_unlock(&t->lock);
	return copied;
}

void tracer_wait_first(struct tracer *t, uint64_t generation, int timeout_ms)
{
	struct timespec deadline;

	deadline_after_ns(&deadline, (int64_t)timeout_ms * 1000000);
	pthread_mutex_lock(&t->lock);
	while (t->request_generation == generation && !current_result(t) &&
	       pthread_cond_timedwait(&t->published, &t->lock, &deadline) == 0)
		;
	pthread_mutex_unlock(&t->lock);
}

bool tracer_busy(struct tracer *t)
{
	bool busy;

	pthread_mutex_lock(&t->lock);
	busy = t->parsing > 0 || t->stages[STAGE_FULL].done_generation < t->request_generation;
	pthread_mutex_unlock(&t->lock);
	return busy;
}
