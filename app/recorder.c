/*
 * The recorder's calls run under one mutex, which also guards the lazy
 * opening of the connection. An opening that failed is not retried, so a
 * run with an unusable database reports it once instead of once per text.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/history.h"
#include "app/log.h"
#include "app/recorder.h"
#include "app/sha256.h"

struct recorder {
	struct llm_recorder hooks;
	char *db_path;
	bool store;

	pthread_mutex_t lock;          /* guards everything below */
	struct history *history;       /* NULL until the first call opens it */
	bool open_failed;
	char open_error[512];
	struct recorder_counts counts;
};

/* Opens the connection on first use. Returns 0 when it is open, 1 when a
 * lookup-only recorder finds no database file, -1 when it cannot open.
 * Called locked. */
static int ensure_open(struct recorder *r)
{
	struct stat st;

	if (r->history)
		return 0;
	if (r->open_failed)
		return -1;
	if (!r->store && stat(r->db_path, &st) != 0 && errno == ENOENT)
		return 1;
	if (history_open(r->db_path, !r->store, &r->history, r->open_error,
			 sizeof r->open_error) < 0) {
		r->history = NULL;
		r->open_failed = true;
		LOG_AT(LOG_WARN, "llm recorder: %s; LLM exchanges are not %s", r->open_error,
		       r->store ? "recorded" : "replayed");
		return -1;
	}
	LOG_AT(LOG_INFO, "llm recorder: %s %s", r->store ? "recording to" : "replaying from",
	       r->db_path);
	return 0;
}

static void log_store_failure(struct recorder *r, const char *model, const char *message)
{
	uint64_t n = r->counts.store_failures;

	if (n == 1 || n % RECORDER_LOG_EVERY == 0)
		LOG_AT(LOG_WARN, "llm recorder: exchange with model %s not recorded (%llu so far): %s",
		       model ? model : "?", (unsigned long long)n, message);
}

static void store_exchange(void *context, const struct llm_exchange *exchange)
{
	struct recorder *r = context;
	char err[512];
	int rc;

	if (!r->store)
		return;
	pthread_mutex_lock(&r->lock);
	rc = ensure_open(r);
	if (rc == 0 && history_store_exchange(r->history, exchange, err, sizeof err) == 0) {
		r->counts.stored++;
		if (log_threshold <= LOG_DEBUG) {
			char digest[SHA256_HEX_SIZE];

			sha256_hex(exchange->key, strlen(exchange->key), digest);
			LOG_AT(LOG_DEBUG, "llm recorder: stored an exchange with model %s, key sha256 %.16s",
			       exchange->model ? exchange->model : "?", digest);
		}
	} else {
		r->counts.store_failures++;
		log_store_failure(r, exchange->model, rc == 0 ? err : r->open_error);
	}
	pthread_mutex_unlock(&r->lock);
}

static int lookup_exchange(void *context, const char *key, char **answer, int64_t *latency_ns,
			   int *prompt_tokens, int *completion_tokens, char *err, size_t err_size)
{
	struct recorder *r = context;
	int rc;

	*answer = NULL;
	pthread_mutex_lock(&r->lock);
	r->counts.lookups++;
	rc = ensure_open(r);
	if (rc < 0)
		snprintf(err, err_size, "%s", r->open_error);
	else if (rc == 0)
		rc = history_find_exchange(r->history, key, answer, latency_ns, prompt_tokens,
					   completion_tokens, err, err_size);
	if (rc == 0)
		r->counts.found++;
	pthread_mutex_unlock(&r->lock);
	return rc;
}

struct recorder *recorder_new(const char *db_path, bool store, char *err, size_t err_size)
{
	struct recorder *r = calloc(1, sizeof *r);

	if (!r || !(r->db_path = strdup(db_path))) {
		free(r);
		snprintf(err, err_size, "out of memory creating the LLM recorder");
		return NULL;
	}
	r->store = store;
	r->hooks.context = r;
	r->hooks.store = store_exchange;
	r->hooks.lookup = lookup_exchange;
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void recorder_free(struct recorder *r)
{
	if (!r)
		return;
	if (r->counts.store_failures > 0)
		LOG_AT(LOG_WARN, "llm recorder: %llu of %llu exchanges were not recorded in %s",
		       (unsigned long long)r->counts.store_failures,
		       (unsigned long long)(r->counts.stored + r->counts.store_failures), r->db_path);
	history_close(r->history);
	pthread_mutex_destroy(&r->lock);
	free(r->db_path);
	free(r);
}

int recorder_for_config(const struct cascade_config *cfg, const char *db_path, bool no_record,
			struct recorder **out, char *err, size_t err_size)
{
	bool replay = cfg->llm_backend == LLM_REPLAY;

	*out = NULL;
	if (cfg->llm_backend == LLM_OFF || (no_record && !replay) || !db_path)
		return 0;
	*out = recorder_new(db_path, !no_record, err, err_size);
	return *out ? 0 : -1;
}

const struct llm_recorder *recorder_hooks(struct recorder *r)
{
	return &r->hooks;
}

void recorder_counts(struct recorder *r, struct recorder_counts *out)
{
	pthread_mutex_lock(&r->lock);
	*out = r->counts;
	pthread_mutex_unlock(&r->lock);
}
