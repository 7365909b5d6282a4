/*
 * Cascade traces on a background thread, for the Playground (a trace per
 * keystroke) and the case detail (a fresh trace of a corpus case). Parsing
 * off the UI thread keeps typing smooth even when a tier is slow, such as
 * an LLM taking seconds: a new request replaces one still waiting, and
 * the UI picks up the newest finished trace on its next tick.
 *
 * The tracer parses with the result cache turned off, so every request
 * shows each tier's real answer and time instead of a cached event.
 *
 * Ownership: tracer_new returns a tracer freed with tracer_free, which
 * waits for a parse in progress. Call every function from one thread.
 */
#ifndef CALTUNE_VIEWS_TRACER_H
#define CALTUNE_VIEWS_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/cascade.h"
#include "engine/config.h"

#define TRACER_TEXT_MAX 4096
#define TRACER_ZONE_MAX 64

struct tracer_request {
	char text[TRACER_TEXT_MAX + 1];
	struct cal_datetime ref;
	char tz[TRACER_ZONE_MAX];
	enum parse_locale locale;
};

struct tracer_result {
	uint64_t generation;               /* of the request it belongs to */
	struct tracer_request request;
	struct parse_result parse;
	char config_error[CASCADE_ERROR_MAX];   /* the cascade could not be built */
	char preset[32];                   /* of the configuration it parsed with */
	double regex_only;
	double deterministic_backup;
};

struct tracer;

struct tracer *tracer_new(const struct cascade_config *cfg, char *err, size_t err_size);
void tracer_free(struct tracer *tracer);

/* Uses cfg for the next parses (the cache setting is ignored). */
void tracer_set_config(struct tracer *tracer, const struct cascade_config *cfg);

/* Queues a parse, replacing any request not yet started. Returns the
 * request's generation number. The caller fills request->text with
 * event_copy_text, which cuts a longer text on a character boundary. */
uint64_t tracer_request(struct tracer *tracer, const struct tracer_request *request);

/* Copies the newest finished result into out when its generation is above
 * *seen, and updates *seen. Returns whether it copied. */
bool tracer_poll(struct tracer *tracer, uint64_t *seen, struct tracer_result *out);

/* Whether a request is waiting or being parsed. */
bool tracer_busy(struct tracer *tracer);

#endif
