/*
 * The two wire formats the LLM tier speaks: Ollama's /api/chat and the
 * OpenAI-compatible /v1/chat/completions (vLLM, llama.cpp's server,
 * LiteLLM), plus the model lists /api/tags and /v1/models.
 *
 * Ownership: functions returning char * return a string the caller frees
 * with free().
 */
#ifndef CALTUNE_LLM_BACKEND_H
#define CALTUNE_LLM_BACKEND_H

#include <jansson.h>
#include <stddef.h>

#include "engine/config.h"

/* What a chat answer carried besides the content. */
struct llm_usage {
	int prompt_tokens;         /* -1 when the server did not say */
	int completion_tokens;
	int64_t server_ns;         /* Ollama's total_duration; -1 otherwise */
};

/* The chat endpoint URL for the configured backend. */
void llm_chat_url(const struct cascade_config *cfg, char *out, size_t size);

/* The model-list endpoint URL. */
void llm_models_url(const struct cascade_config *cfg, char *out, size_t size);

/* The request body for `messages` under the configured backend, model and
 * generation settings, asking for the event schema. */
char *llm_request_body(const struct cascade_config *cfg, json_t *messages, json_t *schema);

/* The backend-independent part of a request (model, messages, settings,
 * schema) as canonical JSON: what record and replay key exchanges on. */
char *llm_request_key(const struct cascade_config *cfg, json_t *messages, json_t *schema);

/* Extracts the message content and usage from a chat response body.
 * Returns the content, or NULL with a message in err. */
char *llm_response_content(const struct cascade_config *cfg, const char *body, size_t len,
			   struct llm_usage *usage, char *err, size_t err_size);

/* Lists model names from a model-list response, one per line. Returns
 * NULL with a message when the body is not such a list. */
char *llm_model_list(const struct cascade_config *cfg, const char *body, size_t len,
		     char *err, size_t err_size);

#endif
