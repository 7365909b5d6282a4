/*
 * The trace thread waits on a condition variable for a request, parses
 * it with a cascade built from the newest configuration, and publishes
 * the result. The cascade is rebuilt only when the configuration changed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/log.h"
#include "views/tracer.h"

struct tracer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;

	/* Guarded by lock. */
	bool stop;
	bool pending;                  /* a request waits in `request` */
	bool parsing;
	struct tracer_request request;
	uint64_t request_generation;
	struct cascade_config cfg;
	uint64_t cfg_generation;
	struct tracer_result result;   /* the newest finished parse */
	bool have_result;

	/* Owned by the thread. */
	struct cascade *cascade;
	struct cascade_worker *worker;
	uint64_t built_generation;
	char build_error[CASCADE_ERROR_MAX];
};

static void drop_cascade(struct tracer *t)
{
	cascade_worker_free(t->worker);
	cascade_free(t->cascade);
	t->worker = NULL;
	t->cascade = NULL;
}

/* Rebuilds the cascade when the configuration changed; returns whether a
 * usable cascade exists. Runs on the trace thread without the lock. */
static bool ensure_cascade(struct tracer *t, const struct cascade_config *cfg,
			   uint64_t generation)
{
	struct cascade_config own = *cfg;

	if (t->built_generation == generation && (t->worker || t->build_error[0]))
		return t->worker != NULL;
	drop_cascade(t);
	t->build_error[0] = '\0';
	t->built_generation = generation;
	own.cache_l1_entries = 0;
	t->cascade = cascade_new(&own, t->build_error, sizeof t->build_error);
	if (t->cascade)
		t->worker = cascade_worker_new(t->cascade, t->build_error, sizeof t->build_error);
	if (!t->worker) {
		LOG_AT(LOG_WARN, "tracer: cannot build the cascade: %s", t->build_error);
		drop_cascade(t);
		return false;
	}
	return true;
}

static void *tracer_main(void *arg)
{
	struct tracer *t = arg;
	struct tracer_result *result = malloc(sizeof *result);

	if (!result) {
		LOG_AT(LOG_ERROR, "tracer: out of memory, the Playground shows no traces");
		return NULL;
	}
	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct cascade_config cfg;
		uint64_t cfg_generation;
		struct parse_input input;

		while (!t->stop && !t->pending)
			pthread_cond_wait(&t->wake, &t->lock);
		if (t->stop)
			break;
		memset(result, 0, sizeof *result);
		result->request = t->request;
		result->generation = t->request_generation;
		cfg = t->cfg;
		cfg_generation = t->cfg_generation;
		t->pending = false;
		t->parsing = true;
		pthread_mutex_unlock(&t->lock);

		snprintf(result->preset, sizeof result->preset, "%s", cfg.preset);
		result->regex_only = cfg.regex_only;
		result->deterministic_backup = cfg.deterministic_backup;
		if (ensure_cascade(t, &cfg, cfg_generation)) {
			input.text = result->request.text;
			input.len = strlen(result->request.text);
			input.ref = result->request.ref;
			input.tz = result->request.tz[0] ? result->request.tz : NULL;
			input.locale = result->request.locale;
			cascade_parse(t->worker, &input, &result->parse);
		} else {
			snprintf(result->config_error, sizeof result->config_error, "%s",
				 t->build_error);
		}

		pthread_mutex_lock(&t->lock);
		t->result = *result;
		t->have_result = true;
		t->parsing = false;
	}
	pthread_mutex_unlock(&t->lock);
	drop_cascade(t);
	free(result);
	return NULL;
}

struct tracer *tracer_new(const struct cascade_config *cfg, char *err, size_t err_size)
{
	struct tracer *t = calloc(1, sizeof *t);
	int rc;

	if (!t) {
		snprintf(err, err_size, "out of memory creating the trace thread");
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	t->cfg = *cfg;
	t->cfg_generation = 1;
	rc = pthread_create(&t->thread, NULL, tracer_main, t);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the trace thread: %s", strerror(rc));
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
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
	t->pending = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return generation;
}

bool tracer_poll(struct tracer *t, uint64_t *seen, struct tracer_result *out)
{
	bool copied = false;

	pthread_mutex_lock(&t->lock);
	if (t->have_result && t->result.generation > *seen) {
		*out = t->result;
		*seen = t->result.generation;
		copied = true;
	}
	pthread_mutex_unlock(&t->lock);
	return copied;
}

bool tracer_busy(struct tracer *t)
{
	bool busy;

	pthread_mutex_lock(&t->lock);
	busy = t->pending || t->parsing;
	pthread_mutex_unlock(&t->lock);
	return busy;
}
