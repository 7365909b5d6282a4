/*
 * Tier 3: a local LLM behind Ollama or an OpenAI-compatible server, for
 * the fields tiers 1 and 2 left below their thresholds. Each call sends
 * the prompt of llm_prompt.h, validates the answer, and hands the exchange
 * to the recorder; with llm.backend=replay it answers from the recorder
 * instead, after the recorded latency, so a rerun reproduces a recorded
 * run without the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/clock.h"
#include "engine/llm_backend.h"
#include "engine/llm_client.h"
#include "engine/llm_prompt.h"
#include "engine/tier.h"

struct llm_tier_state {
	struct cascade_config cfg;
	struct llm_client *client;    /* NULL in replay */
	json_t *schema;
	char url[CONFIG_URL_MAX + 32];
	char bearer[512];             /* from the environment; never logged */
};

static const char *llm_backend_name(const struct cascade_config *cfg)
{
	return config_llm_backend_name(cfg->llm_backend);
}

static int llm_load(const struct cascade_config *cfg, void **state, char *err, size_t err_size)
{
	struct llm_tier_state *s;

	if (cfg->llm_backend == LLM_OFF) {
		snprintf(err, err_size, "the llm tier is off: set llm.backend to ollama, openai or replay");
		return -1;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, "out of memory loading the llm tier");
		return -1;
	}
	s->cfg = *cfg;
	s->schema = llm_event_schema();
	llm_chat_url(cfg, s->url, sizeof s->url);
	if (cfg->llm_api_key_env[0]) {
		const char *token = getenv(cfg->llm_api_key_env);

		if (!token || !token[0]) {
			snprintf(err, err_size, "environment variable %s, named by llm.api_key_env, is "
				 "not set: export it or clear llm.api_key_env", cfg->llm_api_key_env);
			json_decref(s->schema);
			free(s);
			return -1;
		}
		snprintf(s->bearer, sizeof s->bearer, "%s", token);
	}
	if (cfg->llm_backend != LLM_REPLAY) {
		s->client = llm_client_new(cfg->llm_concurrency, err, err_size);
		if (!s->client) {
			json_decref(s->schema);
			free(s);
			return -1;
		}
	}
	*state = s;
	return 0;
}

static void llm_unload(void *state)
{
	struct llm_tier_state *s = state;

	if (!s)
		return;
	llm_client_free(s->client);
	json_decref(s->schema);
	memset(s->bearer, 0, sizeof s->bearer);
	free(s);
}

static void *llm_worker_new(void *state)
{
	(void)state;
	/* Nothing per thread: the client is shared. Any non-NULL value will do. */
	return (void *)1;
}

static void llm_worker_free(void *scratch)
{
	(void)scratch;
}

static void sleep_ns(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };

	while (ns > 0 && nanosleep(&ts, &ts) != 0)
		;
}

/* Gets the model's answer for one request: from the recorder in replay,
 * else from the server (then recorded). Returns the content or NULL. */
static char *get_answer(struct llm_tier_state *s, json_t *messages, const struct tier_request *request,
			struct tier_trace *trace)
{
	char *key = llm_request_key(&s->cfg, messages, s->schema);
	char *content = NULL;

	if (!key) {
		snprintf(trace->error, sizeof trace->error, "out of memory building the LLM request");
		return NULL;
	}
	if (s->cfg.llm_backend == LLM_REPLAY) {
		int64_t latency = 0;
		char err[200];
		int rc = request->recorder ?
			 request->recorder->lookup(request->recorder->context, key, &content, &latency,
						   &trace->prompt_tokens, &trace->completion_tokens, err,
						   sizeof err) : 1;

		if (rc == 1)
			snprintf(trace->error, sizeof trace->error, "no recorded answer for this request "
				 "(model %s): run once with llm.backend=ollama or openai to record it",
				 s->cfg.llm_model);
		else if (rc < 0)
			snprintf(trace->error, sizeof trace->error, "%s", err);
		else {
			/* Replay keeps the recorded timing, so latency figures match. */
			sleep_ns(latency);
			trace->replayed = true;
		}
	} else {
		char *body = llm_request_body(&s->cfg, messages, s->schema);
		struct llm_request http = { s->url, body, s->bearer[0] ? s->bearer : NULL,
					    s->cfg.llm_timeout_s, s->cfg.llm_max_retries, NULL };
		struct llm_response response;
		struct llm_usage usage;

		if (!body) {
			snprintf(trace->error, sizeof trace->error, "out of memory building the LLM request");
			free(key);
			return NULL;
		}
		if (llm_client_send(s->client, &http, &response) < 0) {
			trace->unreachable = response.failure == LLM_FAIL_CONNECT ||
					     response.failure == LLM_FAIL_DOWN;
			snprintf(trace->error, sizeof trace->error, "%.200s%s", response.error,
				 trace->unreachable ? "; check llm.url with caltune llm status" : "");
		} else {
			content = llm_response_content(&s->cfg, response.body, response.body_len, &usage,
						       trace->error, sizeof trace->error);
			trace->prompt_tokens = usage.prompt_tokens;
			trace->completion_tokens = usage.completion_tokens;
			trace->server_ns = usage.server_ns;
		}
		trace->attempts = response.attempts;
		if (content && request->recorder) {
			struct llm_exchange exchange = {
				key, llm_backend_name(&s->cfg), s->cfg.llm_model, content,
				response.elapsed_ns, usage.prompt_tokens, usage.completion_tokens
			};

			request->recorder->store(request->recorder->context, &exchange);
		}
		llm_response_free(&response);
		free(body);
	}
	free(key);
	return content;
}

static enum parse_status llm_extract(void *state, void *scratch, const struct parse_input *in,
				     const struct tier_request *request, struct tier_trace *trace)
{
	struct llm_tier_state *s = state;
	size_t text_len = llm_cut_text(in->text, in->len, s->cfg.llm_context_limit, &trace->truncated);
	json_t *messages;
	char *content;
	char err[200];

	(void)scratch;
	event_init(&trace->answer);
	trace->prompt_tokens = -1;
	trace->completion_tokens = -1;
	trace->server_ns = -1;
	messages = llm_messages(in, text_len, request->wanted, request->candidates);
	if (!messages) {
		snprintf(trace->error, sizeof trace->error, "out of memory building the LLM prompt");
		return PARSE_TIER_FAILED;
	}
	content = get_answer(s, messages, request, trace);
	json_decref(messages);
	if (!content)
		return PARSE_TIER_FAILED;
	if (llm_parse_answer(content, strlen(content), &trace->answer, err, sizeof err) < 0) {
		snprintf(trace->error, sizeof trace->error, "invalid answer from model %.40s: %.180s",
			 s->cfg.llm_model, err);
		event_init(&trace->answer);
		free(content);
		return PARSE_TIER_FAILED;
	}
	free(content);
	return PARSE_OK;
}

int tier_llm_client_stats(void *state, struct llm_client_stats *out)
{
	struct llm_tier_state *s = state;

	if (!s || !s->client)
		return -1;
	llm_client_stats(s->client, out);
	return 0;
}

const struct tier_ops tier_llm_ops = {
	TIER_LLM, llm_backend_name, llm_load, llm_unload, llm_worker_new, llm_worker_free,
	llm_extract
};
