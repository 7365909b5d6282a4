/*
 * The record-and-replay hook of the LLM tier. The engine does not store
 * anything itself: the application passes a recorder (the history
 * database in caltune) and the tier hands it every exchange, keyed by the
 * canonical request from llm_request_key, and asks it for answers when
 * llm.backend is replay.
 *
 * A recorder is called from many parse threads at once and serialises
 * itself.
 */
#ifndef CALTUNE_LLM_RECORD_H
#define CALTUNE_LLM_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct llm_exchange {
	const char *key;           /* canonical request: model, messages, settings, schema */
	const char *backend;       /* "ollama" or "openai" */
	const char *model;
	const char *answer;        /* the message content the model returned */
	int64_t latency_ns;        /* the call as the caller saw it, retries included */
	int prompt_tokens;         /* -1 when unknown */
	int completion_tokens;
};

struct llm_recorder {
	void *context;
	/* Stores one exchange; failures to store are the recorder's to report. */
	void (*store)(void *context, const struct llm_exchange *exchange);
	/* Finds the newest exchange recorded for a key: returns 0 and a
	 * malloc'd answer the caller frees, 1 when none is recorded, -1 with a
	 * message in err when the store cannot be read. */
	int (*lookup)(void *context, const char *key, char **answer, int64_t *latency_ns,
		      int *prompt_tokens, int *completion_tokens, char *err, size_t err_size);
};

#endif
