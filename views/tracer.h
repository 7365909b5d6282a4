/*
 * Cascade traces on background threads, for the Playground (a trace per
 * keystroke) and the case detail (a fresh trace of a corpus case), so a
 * slow tier never holds up the UI thread.
 *
 * When the configuration lets the cascade call the LLM, each request is
 * traced twice. A quick trace with the LLM tier left out comes first, in
 * microseconds, marked llm_pending. The full trace follows on a second
 * thread once no newer request has come for TRACER_LLM_DELAY_MS, so typing
 * does not send one LLM request per key. An LLM call cannot be stopped
 * once sent: a newer request waits for it, and its answer, now stale, is
 * dropped. tracer_poll only ever returns a trace of the newest request.
 * Without the LLM, a single full trace runs at once.
 *
 * The tracer parses with the result cache turned off, so every request
 * shows each tier's real answer and time instead of a cached event.
 *
 * Ownership: tracer_new returns a tracer freed with tracer_free, which
 * waits for the parses in progress. The recorder, when given, must outlive
 * the tracer. Call every function from one thread.
 *
 * NOTE: the engine cannot cancel an LLM request, so tracer_free, and with
 * it quitting the UI, waits for a call in flight: up to llm.timeout_s for
 * each of llm.max_retries + 1 attempts, plus the backoff between them.
 */
#ifndef CALTUNE_VIEWS_TRACER_H
#define CALTUNE_VIEWS_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/cascade.h"
#include "engine/config.h"
#include "engine/llm_record.h"

#define TRACER_TEXT_MAX 4096
#define TRACER_ZONE_MAX 64
#define TRACER_LLM_DELAY_MS 400

struct tracer_request {
	char text[TRACER_TEXT_MAX + 1];
	struct cal_datetime ref;
	char tz[TRACER_ZONE_MAX];
	enum parse_locale locale;
};

struct tracer_result {
	uint64_t generation;               /* of the request it belongs to */
	uint64_t version;                  /* bumped by every published trace */
	struct tracer_request request;
	struct parse_result parse;
	char config_error[CASCADE_ERROR_MAX];   /* the cascade could not be built */
	char preset[32];                   /* of the configuration it parsed with */
	double regex_only;
	double deterministic_backup;
	char llm_model[CONFIG_NAME_MAX * 2];
	enum llm_backend llm_backend;
	bool llm_pending;                  /* a quick trace: the full one is still to come */
	size_t llm_sent_characters;        /* of the text, as the LLM tier cuts it */
};

struct tracer;

struct tracer *tracer_new(const struct cascade_config *cfg, const struct llm_recorder *recorder,
			  char *err, size_t err_size);
void tracer_free(struct tracer *tracer);

/* Uses cfg for the next parses (the cache setting is ignored). */
void tracer_set_config(struct tracer *tracer, const struct cascade_config *cfg);

/* Queues a parse, replacing any request not yet started. Returns the
 * request's generation number. The caller fills request->text with
 * event_copy_text, which cuts a longer text on a character boundary. */
uint64_t tracer_request(struct tracer *tracer, const struct tracer_request *request);

/* Copies into out the newest trace of the newest request, the full one
 * when it is done, else the quick one, when its version is above *seen,
 * and updates *seen. Returns whether it copied. A trace of an older
 * request is never copied. */
bool tracer_poll(struct tracer *tracer, uint64_t *seen, struct tracer_result *out);

/* Waits up to timeout_ms for a first trace of request `generation`, so
 * the screen drawn after a key shows the new text's trace rather than
 * none. The wait covers the quick trace only, never an LLM call. */
void tracer_wait_first(struct tracer *tracer, uint64_t generation, int timeout_ms);

/* Whether a request is waiting or being parsed. */
bool tracer_busy(struct tracer *tracer);

#endif
