/*
 * caltune llm status: checks the configured LLM server by requesting its
 * model list (GET /api/tags for Ollama, /v1/models for an
 * OpenAI-compatible server). It reports whether the server responded, how
 * fast, which models it has, and whether llm.model is among them.
 *
 * The check makes one attempt within llm.timeout_s, without retries, so a
 * dead server is reported in one timeout at most. With llm.backend=replay
 * there is no server: the command counts the recorded exchanges instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/event_json.h"
#include "app/log.h"
#include "engine/llm_backend.h"
#include "engine/llm_client.h"

static const struct cli_option llm_options[] = {
	CLI_CONFIG_OPTIONS,
	{ "db", "FILE", "history database whose recordings replay counts (default: $CALTUNE_DB, "
			"else $XDG_DATA_HOME/caltune/history.db, else ~/.local/share/caltune/history.db)" },
	{ "json", NULL, "print the result as one JSON object" },
	CLI_LOG_OPTION,
	CLI_HELP_OPTION,
};

static const struct cli_command llm_command = {
	.name = "llm",
	.usage = "status [options]",
	.summary = "Check the LLM server the configuration names: ask it for its model list and "
		   "say whether\nit is reachable, how fast it answered, which models it has and "
		   "whether llm.model is one.",
	.details = "The request goes to llm.url with llm.backend's path (/api/tags for ollama, "
		   "/v1/models for\nopenai), one attempt within llm.timeout_s, with the bearer token "
		   "of llm.api_key_env if set.\nWith llm.backend=replay there is no server: the "
		   "recorded exchanges in the history are\ncounted instead.\n\n"
		   "Exit status: 0 the server listed its models (or replay), 1 it is unreachable or "
		   "did not\nanswer with a model list, 2 bad usage, or llm.backend is off.",
	.options = llm_options,
	.option_count = sizeof llm_options / sizeof llm_options[0],
	.engine_keys = true,
};

enum server_status { SERVER_REACHABLE, SERVER_UNREACHABLE, SERVER_ERROR };

struct status_report {
	enum server_status status;
	char url[CONFIG_URL_MAX + 32];
	long http_status;              /* 0 when no response came */
	double latency_ms;
	char *models;                  /* one name per line; NULL unless reachable */
	bool model_available;
	char error[512];               /* why it is not reachable; "" when it is */
};

static const char *status_name(enum server_status status)
{
	switch (status) {
	case SERVER_REACHABLE:
		return "reachable";
	case SERVER_UNREACHABLE:
		return "unreachable";
	case SERVER_ERROR:
		return "error";
	}
	return "error";
}

/* Whether `model` is in the list. Ollama treats a name without a tag as
 * NAME:latest, so that spelling counts too. */
static bool model_listed(const char *models, const char *model)
{
	size_t len = strlen(model);
	const char *line = models;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		if (n == len && strncmp(line, model, len) == 0)
			return true;
		if (!strchr(model, ':') && n == len + 7 && strncmp(line, model, len) == 0 &&
		    strncmp(line + len, ":latest", 7) == 0)
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}

/* The next step for a server that responded with an HTTP error. */
static const char *http_fix(const struct cascade_config *cfg, long status)
{
	if (status == 401 || status == 403)
		return cfg->llm_api_key_env[0] ? "check the token in the environment variable named "
						 "by llm.api_key_env" :
						 "the server wants a token: set llm.api_key_env to "
						 "the name of a variable that holds it";
	if (status == 404)
		return "check llm.backend (ollama serves /api/tags, OpenAI-compatible servers "
		       "/v1/models) and llm.url";
	return "check the server's log";
}

/* Asks the server for its model list and fills the report. Returns 0, or
 * -1 with a message for a problem of the configuration or the machine. */
static int check_server(const struct cascade_config *cfg, struct status_report *r, char *err,
			size_t err_size)
{
	struct llm_request request = {
		.url = r->url, .timeout_s = cfg->llm_timeout_s, .max_retries = 0,
	};
	struct llm_response response;
	struct llm_client *client;
	const char *token = NULL;

	llm_models_url(cfg, r->url, sizeof r->url);
	if (cfg->llm_api_key_env[0]) {
		token = getenv(cfg->llm_api_key_env);
		if (!token || !token[0]) {
			snprintf(err, err_size, "environment variable %s, named by llm.api_key_env, is "
				 "not set: export it or clear llm.api_key_env", cfg->llm_api_key_env);
			return -1;
		}
		request.bearer = token;
	}
	client = llm_client_new(1, err, err_size);
	if (!client)
		return -1;
	llm_client_send(client, &request, &response);
	llm_client_free(client);

	r->http_status = response.status;
	r->latency_ms = (double)response.elapsed_ns / 1e6;
	if (response.failure == LLM_OK) {
		r->models = llm_model_list(cfg, response.body, response.body_len, r->error,
					   sizeof r->error);
		if (r->models) {
			r->status = SERVER_REACHABLE;
			r->model_available = model_listed(r->models, cfg->llm_model);
		} else {
			r->status = SERVER_ERROR;
		}
	} else if (response.failure == LLM_FAIL_HTTP) {
		r->status = SERVER_ERROR;
		snprintf(r->error, sizeof r->error, "%s: %s", response.error,
			 http_fix(cfg, response.status));
	} else {
		r->status = SERVER_UNREACHABLE;
		snprintf(r->error, sizeof r->error, "%s: start the %s server or set llm.url",
			 response.error, config_llm_backend_name(cfg->llm_backend));
	}
	llm_response_free(&response);
	return 0;
}

static json_t *models_json(const char *models)
{
	json_t *list = json_array();
	const char *line = models;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		json_array_append_new(list, cli_json_text(line, n));
		line = end ? end + 1 : NULL;
	}
	return list;
}

static void print_report_json(const struct cascade_config *cfg, const struct status_report *r)
{
	json_t *root = json_object();
	char *text;

	json_object_set_new(root, "backend", json_string(config_llm_backend_name(cfg->llm_backend)));
	json_object_set_new(root, "url", json_string(r->url));
	json_object_set_new(root, "status", json_string(status_name(r->status)));
	json_object_set_new(root, "reachable", json_boolean(r->status == SERVER_REACHABLE));
	json_object_set_new(root, "http_status", r->http_status ? json_integer(r->http_status) :
			    json_null());
	json_object_set_new(root, "latency_ms", event_json_real(r->latency_ms, 3));
	json_object_set_new(root, "models", r->models ? models_json(r->models) : json_null());
	json_object_set_new(root, "model", json_string(cfg->llm_model));
	json_object_set_new(root, "model_available", r->models ? json_boolean(r->model_available) :
			    json_null());
	json_object_set_new(root, "error", r->error[0] ? json_string(r->error) : json_null());
	text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	printf("%s\n", text ? text : "{}");
	free(text);
	json_decref(root);
}

static void print_report_text(const struct cascade_config *cfg, const struct status_report *r)
{
	size_t count = 0;

	printf("backend  %s\nurl      %s\n", config_llm_backend_name(cfg->llm_backend), r->url);
	if (r->status != SERVER_REACHABLE) {
		printf("status   %s after %.1f ms\n", status_name(r->status), r->latency_ms);
		return;
	}
	printf("status   reachable, %.1f ms\n", r->latency_ms);
	for (const char *c = r->models; *c; c++)
		count += *c == '\n';
	printf("models   %zu%s", count, count ? ":" : "");
	for (const char *line = r->models; line && *line;) {
		const char *end = strchr(line, '\n');

		printf("%s", line == r->models ? " " : ", ");
		cli_put_text(stdout, line, end ? (size_t)(end - line) : strlen(line));
		line = end ? end + 1 : NULL;
	}
	putchar('\n');
	if (r->model_available)
		printf("model    %s is available\n", cfg->llm_model);
	else if (cfg->llm_backend == LLM_OLLAMA)
		printf("model    %s is not among them: pull it (ollama pull %s) or set llm.model\n",
		       cfg->llm_model, cfg->llm_model);
	else
		printf("model    %s is not among them: set llm.model to one of them\n",
		       cfg->llm_model);
}

/* Replay has no server, so this counts the recordings it reads instead. */
static int report_replay(const struct cli_args *args, const struct cascade_config *cfg)
{
	struct history *h = NULL;
	int64_t total = 0, for_model = 0;
	char db[4096];
	char err[CLI_MESSAGE_MAX];
	struct stat st;

	if (cli_db_path(args, db, sizeof db, err, sizeof err) < 0) {
		cli_error(&llm_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (stat(db, &st) == 0) {
		if (history_open(db, true, &h, err, sizeof err) < 0 ||
		    history_count_exchanges(h, cfg->llm_model, &total, &for_model, err,
					    sizeof err) < 0) {
			cli_error(&llm_command, "%s", err);
			history_close(h);
			return CLI_EXIT_USAGE;
		}
		history_close(h);
	}
	if (cli_flag(args, "json")) {
		json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "backend", "replay",
					 "status", "replay", "db", db, "model", cfg->llm_model,
					 "recorded", (json_int_t)total, "recorded_for_model",
					 (json_int_t)for_model);
		char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;

		printf("%s\n", text ? text : "{}");
		free(text);
		json_decref(root);
	} else {
		printf("backend  replay: no server, answers come from exchanges recorded in the "
		       "history\ndb       %s\nrecorded %lld exchanges, %lld of them with model %s\n",
		       db, (long long)total, (long long)for_model, cfg->llm_model);
	}
	return CLI_EXIT_OK;
}

static int run_status(const struct cli_args *args)
{
	struct cascade_config cfg;
	struct status_report report;
	char err[CLI_MESSAGE_MAX];
	int code;

	if (cli_build_config(args, &cfg, err, sizeof err) < 0) {
		cli_error(&llm_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cfg.llm_backend == LLM_OFF) {
		cli_error(&llm_command, "llm.backend is off, so there is no LLM server to check: set "
			  "llm.backend to ollama or openai (and llm.url)");
		return CLI_EXIT_USAGE;
	}
	if (cfg.llm_backend == LLM_REPLAY)
		return report_replay(args, &cfg);

	memset(&report, 0, sizeof report);
	if (check_server(&cfg, &report, err, sizeof err) < 0) {
		cli_error(&llm_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(args, "json"))
		print_report_json(&cfg, &report);
	else
		print_report_text(&cfg, &report);
	if (report.status == SERVER_UNREACHABLE)
		cli_error(&llm_command, "cannot reach the LLM server: %s", report.error);
	else if (report.status == SERVER_ERROR)
		cli_error(&llm_command, "the LLM server answered but listed no models: %s",
			  report.error);
	LOG_AT(LOG_INFO, "llm status: %s %s: %s in %.1f ms", config_llm_backend_name(cfg.llm_backend),
	       report.url, status_name(report.status), report.latency_ms);
	code = report.status == SERVER_REACHABLE ? CLI_EXIT_OK : CLI_EXIT_FAILED;
	free(report.models);
	return code;
}

int cmd_llm(int argc, char **argv)
{
	struct cli_args args;
	char err[CLI_MESSAGE_MAX];
	int code;

	if (cli_parse(&llm_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&llm_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&llm_command);
		return CLI_EXIT_OK;
	}
	if (args.positional_count == 0) {
		cli_error(&llm_command, "missing subcommand: use caltune llm status");
		return CLI_EXIT_USAGE;
	}
	if (strcmp(args.positional[0], "status") != 0 || args.positional_count > 1) {
		cli_error(&llm_command, "unknown argument \"%s\": the llm command has one subcommand, "
			  "status", args.positional[strcmp(args.positional[0], "status") == 0]);
		return CLI_EXIT_USAGE;
	}
	if (cli_open_log(&args, err, sizeof err) < 0) {
		cli_error(&llm_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	code = run_status(&args);
	log_close();
	return code;
}
