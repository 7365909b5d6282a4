/*
 * Request and response formats of the Ollama and OpenAI-compatible APIs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/llm_backend.h"

/* Ollama's context window for one request, in tokens: the prompt is about
 * 1,000 tokens plus the text and the answer. */
#define OLLAMA_NUM_CTX 4096

static void join_url(const char *base, const char *path, char *out, size_t size)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	snprintf(out, size, "%.*s%s", (int)n, base, path);
}

void llm_chat_url(const struct cascade_config *cfg, char *out, size_t size)
{
	join_url(cfg->llm_url, cfg->llm_backend == LLM_OPENAI ? "/v1/chat/completions" : "/api/chat",
		 out, size);
}

void llm_models_url(const struct cascade_config *cfg, char *out, size_t size)
{
	join_url(cfg->llm_url, cfg->llm_backend == LLM_OPENAI ? "/v1/models" : "/api/tags", out,
		 size);
}

char *llm_request_body(const struct cascade_config *cfg, json_t *messages, json_t *schema)
{
	json_t *body;
	char *text;

	if (cfg->llm_backend == LLM_OPENAI) {
		body = json_pack("{s:s, s:O, s:f, s:i, s:{s:s, s:{s:s, s:b, s:O}}}", "model",
				 cfg->llm_model, "messages", messages, "temperature", cfg->llm_temperature,
				 "max_tokens", cfg->llm_max_tokens, "response_format", "type",
				 "json_schema", "json_schema", "name", "event", "strict", 1, "schema",
				 schema);
	} else {
		body = json_pack("{s:s, s:O, s:b, s:O, s:{s:f, s:i, s:i}, s:s}", "model", cfg->llm_model,
				 "messages", messages, "stream", 0, "format", schema, "options",
				 "temperature", cfg->llm_temperature, "num_predict", cfg->llm_max_tokens,
				 "num_ctx", OLLAMA_NUM_CTX, "keep_alive", "5m");
	}
	if (!body)
		return NULL;
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return text;
}

char *llm_request_key(const struct cascade_config *cfg, json_t *messages, json_t *schema)
{
	json_t *key = json_pack("{s:s, s:O, s:f, s:i, s:O}", "model", cfg->llm_model, "messages",
				messages, "temperature", cfg->llm_temperature, "max_tokens",
				cfg->llm_max_tokens, "schema", schema);
	char *text;

	if (!key)
		return NULL;
	text = json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(key);
	return text;
}

static int int_or(json_t *value, int fallback)
{
	return json_is_integer(value) ? (int)json_integer_value(value) : fallback;
}

char *llm_response_content(const struct cascade_config *cfg, const char *body, size_t len,
			   struct llm_usage *usage, char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);
	json_t *content = NULL;
	char *out = NULL;

	usage->prompt_tokens = -1;
	usage->completion_tokens = -1;
	usage->server_ns = -1;
	if (!root) {
		snprintf(err, err_size, "response is not valid JSON: %s", jerr.text);
		return NULL;
	}
	if (cfg->llm_backend == LLM_OPENAI) {
		json_t *choices = json_object_get(root, "choices");
		json_t *usage_json = json_object_get(root, "usage");

		if (json_is_array(choices) && json_array_size(choices) > 0)
			content = json_object_get(json_object_get(json_array_get(choices, 0), "message"),
						  "content");
		usage->prompt_tokens = int_or(json_object_get(usage_json, "prompt_tokens"), -1);
		usage->completion_tokens = int_or(json_object_get(usage_json, "completion_tokens"), -1);
	} else {
		json_t *duration = json_object_get(root, "total_duration");

		content = json_object_get(json_object_get(root, "message"), "content");
		usage->prompt_tokens = int_or(json_object_get(root, "prompt_eval_count"), -1);
		usage->completion_tokens = int_or(json_object_get(root, "eval_count"), -1);
		if (json_is_integer(duration))
			usage->server_ns = json_integer_value(duration);
	}
	if (!json_is_string(content))
		snprintf(err, err_size, "response has no %s", cfg->llm_backend == LLM_OPENAI ?
			 "choices[0].message.content string" : "message.content string");
	else
		out = strdup(json_string_value(content));
	json_decref(root);
	return out;
}

char *llm_model_list(const struct cascade_config *cfg, const char *body, size_t len,
		     char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);
	json_t *list;
	json_t *item;
	size_t i, n = 0, size = 1;
	char *out;

	if (!root) {
		snprintf(err, err_size, "model list is not valid JSON: %s", jerr.text);
		return NULL;
	}
	list = json_object_get(root, cfg->llm_backend == LLM_OPENAI ? "data" : "models");
	if (!json_is_array(list)) {
		snprintf(err, err_size, "model list has no \"%s\" array",
			 cfg->llm_backend == LLM_OPENAI ? "data" : "models");
		json_decref(root);
		return NULL;
	}
	json_array_foreach(list, i, item) {
		json_t *name = json_object_get(item, cfg->llm_backend == LLM_OPENAI ? "id" : "name");

		if (json_is_string(name))
			size += json_string_length(name) + 1;
	}
	out = malloc(size);
	if (!out) {
		json_decref(root);
		return NULL;
	}
	out[0] = '\0';
	json_array_foreach(list, i, item) {
		json_t *name = json_object_get(item, cfg->llm_backend == LLM_OPENAI ? "id" : "name");

		if (json_is_string(name))
			n += (size_t)snprintf(out + n, size - n, "%s\n", json_string_value(name));
	}
	json_decref(root);
	return out;
}
