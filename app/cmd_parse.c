/*
 * caltune parse: one text through the cascade, printed as a table of
 * fields or as JSON, with the per-tier trace on request (always in JSON).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/corpus.h"
#include "app/event_json.h"
#include "app/llm_outcome.h"
#include "app/log.h"
#include "app/recorder.h"
#include "app/timeref.h"
#include "engine/calendar.h"
#include "engine/cascade.h"

/* Text read from standard input ("-") is capped here; the engine rejects
 * anything above PARSE_TEXT_MAX with its own message. */
#define STDIN_TEXT_MAX (1024 * 1024)

static const struct cli_option parse_options[] = {
	CLI_ENGINE_OPTIONS,
	{ "ref", "ISO", "the text's \"now\", local time YYYY-MM-DDTHH:MM[:SS] (default: now in "
			"--tz)" },
	{ "tz", "ZONE", "IANA zone of --ref and of the times (default: the local zone)" },
	{ "locale", "LOCALE", "en-US (default, month first) or en-GB (day first)" },
	{ "json", NULL, "print one JSON object: text, ref, tz, event, trace" },
	{ "trace", NULL, "show every tier's answer, confidence and time per field" },
	{ "db", "FILE", "history database the LLM's exchanges are recorded in and replayed from "
			"(default: $CALTUNE_DB, else $XDG_DATA_HOME/caltune/history.db, else "
			"~/.local/share/caltune/history.db)" },
	CLI_RECORD_OPTION,
	CLI_LOG_OPTION,
	CLI_HELP_OPTION,
};

static const struct cli_command parse_command = {
	.name = "parse",
	.usage = "[options] TEXT...",
	.summary = "Parse one event text through the cascade and print the event. The words of "
		   "TEXT are joined\nwith spaces; \"-\" reads the text from standard input.",
	.details = "Exit status: 0 parsed, 1 a tier failed and no field was found, 2 bad usage "
		   "or a text\nthe engine rejects (empty, above 16384 bytes, not UTF-8). A failed "
		   "LLM call alone is\nnot a failed parse: the lower tiers' answers stand, and the "
		   "llm line reports what\nhappened.\n\n" CLI_LLM_HELP,
	.options = parse_options,
	.option_count = sizeof parse_options / sizeof parse_options[0],
	.engine_keys = true,
};

struct request {
	char *text;
	size_t len;
	struct cal_datetime ref;
	char tz[128];
	enum parse_locale locale;
};

static char *read_stdin(size_t *len, char *err, size_t err_size)
{
	char *buf = malloc(STDIN_TEXT_MAX + 1);
	struct stat st;
	size_t n;

	if (!buf) {
		snprintf(err, err_size, "out of memory reading standard input");
		return NULL;
	}
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, err_size, "standard input is a folder, not text: pipe the text in "
			 "(echo TEXT | caltune parse -) or give it as arguments");
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, STDIN_TEXT_MAX + 1, stdin);
	if (ferror(stdin)) {
		snprintf(err, err_size, "cannot read standard input: %s: pipe the text in or give it "
			 "as arguments", strerror(errno));
		free(buf);
		return NULL;
	}
	if (n > STDIN_TEXT_MAX) {
		snprintf(err, err_size, "standard input is above %d bytes: pass a shorter text",
			 STDIN_TEXT_MAX);
		free(buf);
		return NULL;
	}
	/* A single trailing newline comes from `echo`, not from the text. */
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	*len = n;
	return buf;
}

static char *join_words(const struct cli_args *args, size_t *len)
{
	size_t total = 0;
	char *text;

	for (size_t i = 0; i < args->positional_count; i++)
		total += strlen(args->positional[i]) + 1;
	text = malloc(total + 1);
	if (!text)
		return NULL;
	*len = 0;
	for (size_t i = 0; i < args->positional_count; i++) {
		size_t n = strlen(args->positional[i]);

		if (i > 0)
			text[(*len)++] = ' ';
		memcpy(text + *len, args->positional[i], n);
		*len += n;
	}
	text[*len] = '\0';
	return text;
}

static bool digits_at(const char *s, size_t at, size_t count)
{
	for (size_t i = at; i < at + count; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Says why --ref was rejected: its form, a UTC offset, or a date or time
 * of day that does not exist. */
static void explain_bad_ref(const char *ref, char *err, size_t err_size)
{
	static const char *const months[12] = {
		"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"
	};
	size_t len = strlen(ref);
	bool minutes = len >= 16 && digits_at(ref, 0, 4) && ref[4] == '-' && digits_at(ref, 5, 2) &&
		       ref[7] == '-' && digits_at(ref, 8, 2) && ref[10] == 'T' &&
		       digits_at(ref, 11, 2) && ref[13] == ':' && digits_at(ref, 14, 2);
	bool seconds = minutes && len >= 19 && ref[16] == ':' && digits_at(ref, 17, 2);
	size_t end = seconds ? 19 : 16;
	struct cal_date date;
	int hour, minute, second = 0;

	if (minutes && len > end && strchr("+-Z", ref[end])) {
		snprintf(err, err_size, "invalid --ref \"%s\": give the local time without a UTC "
			 "offset, and its zone with --tz", ref);
		return;
	}
	if (!minutes || len != end) {
		snprintf(err, err_size, "invalid --ref \"%s\": write a local date and time as "
			 "YYYY-MM-DDTHH:MM:SS, such as 2026-12-04T10:00:00", ref);
		return;
	}
	date.year = atoi(ref);
	date.month = atoi(ref + 5);
	date.day = atoi(ref + 8);
	hour = atoi(ref + 11);
	minute = atoi(ref + 14);
	if (seconds)
		second = atoi(ref + 17);
	if (date.month < 1 || date.month > 12)
		snprintf(err, err_size, "invalid --ref \"%s\": there is no month %02d: months go from "
			 "01 to 12", ref, date.month);
	else if (!cal_date_valid(date))
		snprintf(err, err_size, "invalid --ref \"%s\": %.10s does not exist, because %s %d "
			 "has %d days: give a real date", ref, ref, months[date.month - 1], date.year,
			 cal_days_in_month(date.year, date.month));
	else if (hour > 23 || minute > 59 || second > 59)
		snprintf(err, err_size, "invalid --ref \"%s\": %s is not a time of day: hours go from "
			 "00 to 23, minutes and seconds from 00 to 59", ref, ref + 11);
	else
		snprintf(err, err_size, "invalid --ref \"%s\": write a local date and time as "
			 "YYYY-MM-DDTHH:MM:SS, such as 2026-12-04T10:00:00", ref);
}

/* Fills the request from the arguments. */
static int read_request(const struct cli_args *args, struct request *req, char *err,
			size_t err_size)
{
	const char *ref = cli_value(args, "ref");
	const char *tz = cli_value(args, "tz");
	const char *locale = cli_value(args, "locale");

	if (tz && !timeref_zone_valid(tz, err, err_size))
		return -1;
	if (tz)
		snprintf(req->tz, sizeof req->tz, "%s", tz);
	else
		timeref_local_zone(req->tz, sizeof req->tz);

	if (ref && !corpus_parse_ref(ref, &req->ref)) {
		explain_bad_ref(ref, err, err_size);
		return -1;
	}
	if (!ref && timeref_now(tz, &req->ref, err, err_size) < 0)
		return -1;

	req->locale = LOCALE_EN_US;
	if (locale && strcmp(locale, "en-GB") == 0) {
		req->locale = LOCALE_EN_GB;
	} else if (locale && strcmp(locale, "en-US") != 0) {
		snprintf(err, err_size, "invalid --locale \"%s\": use en-US (month first) or en-GB "
			 "(day first)", locale);
		return -1;
	}

	if (args->positional_count == 0) {
		snprintf(err, err_size, "missing TEXT: caltune parse [options] TEXT, such as caltune "
			 "parse \"Lunch with Sarah next Friday at noon\"");
		return -1;
	}
	if (args->positional_count == 1 && strcmp(args->positional[0], "-") == 0)
		req->text = read_stdin(&req->len, err, err_size);
	else if (!(req->text = join_words(args, &req->len)))
		snprintf(err, err_size, "out of memory reading the text");
	return req->text ? 0 : -1;
}

static void format_ref(const struct cal_datetime *t, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", t->date.year, t->date.month,
		 t->date.day, t->hour, t->minute, t->second);
}

static json_t *count_or_null(int count)
{
	return count >= 0 ? json_integer(count) : json_null();
}

/* The LLM call's own figures, on each of its trace entries. */
static void add_llm_trace(json_t *entry, const struct tier_trace *tt)
{
	json_object_set_new(entry, "prompt_tokens", count_or_null(tt->prompt_tokens));
	json_object_set_new(entry, "completion_tokens", count_or_null(tt->completion_tokens));
	json_object_set_new(entry, "attempts", json_integer(tt->attempts));
	json_object_set_new(entry, "truncated", json_boolean(tt->truncated));
	json_object_set_new(entry, "replayed", json_boolean(tt->replayed));
}

static json_t *trace_json(const struct parse_result *result)
{
	json_t *trace = json_array();

	for (int t = 0; t < TIER_COUNT; t++) {
		const struct tier_trace *tt = &result->tiers[t];

		if (!tt->called)
			continue;
		for (int f = 0; f < FIELD_COUNT; f++) {
			json_t *entry = json_object();
			bool taken = !result->cache_hit && result->event.tier[f] == (enum tier)t;

			json_object_set_new(entry, "tier", json_string(tier_name((enum tier)t)));
			json_object_set_new(entry, "backend", json_string(tt->backend ? tt->backend : ""));
			json_object_set_new(entry, "field", json_string(field_name((enum field)f)));
			json_object_set_new(entry, "answer", event_json_field(&tt->answer, (enum field)f));
			json_object_set_new(entry, "confidence",
					    event_json_real(tt->answer.confidence[f], 4));
			json_object_set_new(entry, "taken", json_boolean(taken));
			json_object_set_new(entry, "us", event_json_real((double)tt->elapsed_ns / 1000.0, 3));
			json_object_set_new(entry, "status", json_string(tt->status == PARSE_OK ? "ok" :
									  "failed"));
			if (tt->error[0])
				json_object_set_new(entry, "error", json_string(tt->error));
			if (t == TIER_LLM)
				add_llm_trace(entry, tt);
			json_array_append_new(trace, entry);
		}
	}
	return trace;
}

static json_t *lost_fields_json(unsigned lost)
{
	json_t *list = json_array();

	for (int f = 0; f < FIELD_COUNT; f++)
		if ((lost >> f) & 1u)
			json_array_append_new(list, json_string(field_name((enum field)f)));
	return list;
}

/* The LLM call: null when the tier was not called. */
static json_t *llm_json(const struct request *req, const struct cascade_config *cfg,
			const struct parse_result *result)
{
	const struct tier_trace *tt = &result->tiers[TIER_LLM];
	enum llm_outcome outcome = llm_outcome_of(tt);
	json_t *llm;

	if (outcome == LLM_OUTCOME_NOT_CALLED)
		return json_null();
	llm = json_object();
	json_object_set_new(llm, "status", json_string(llm_outcome_name(outcome)));
	json_object_set_new(llm, "backend", json_string(tt->backend ? tt->backend : ""));
	json_object_set_new(llm, "model", json_string(cfg->llm_model));
	json_object_set_new(llm, "us", event_json_real((double)tt->elapsed_ns / 1000.0, 3));
	json_object_set_new(llm, "server_us", tt->server_ns >= 0 ?
			    event_json_real((double)tt->server_ns / 1000.0, 3) : json_null());
	json_object_set_new(llm, "prompt_tokens", count_or_null(tt->prompt_tokens));
	json_object_set_new(llm, "completion_tokens", count_or_null(tt->completion_tokens));
	json_object_set_new(llm, "attempts", json_integer(tt->attempts));
	json_object_set_new(llm, "truncated", json_boolean(tt->truncated));
	json_object_set_new(llm, "sent_characters", json_integer((json_int_t)
			    llm_outcome_sent_characters(req->text, req->len, cfg->llm_context_limit)));
	json_object_set_new(llm, "replayed", json_boolean(tt->replayed));
	json_object_set_new(llm, "lost", lost_fields_json(result->llm_lost));
	json_object_set_new(llm, "error", tt->error[0] ? json_string(tt->error) : json_null());
	return llm;
}

static void print_json(const struct request *req, const struct cascade_config *cfg,
		       const struct parse_result *result)
{
	json_t *root = json_object();
	json_t *confidence = json_object();
	char ref[32];
	char *text;

	format_ref(&req->ref, ref, sizeof ref);
	json_object_set_new(root, "text", cli_json_text(req->text, req->len));
	json_object_set_new(root, "ref", json_string(ref));
	json_object_set_new(root, "tz", json_string(req->tz));
	json_object_set_new(root, "locale", json_string(req->locale == LOCALE_EN_GB ? "en-GB" :
							"en-US"));
	json_object_set_new(root, "preset", json_string(cfg->preset));
	json_object_set_new(root, "mode", json_string(config_mode_name(cfg->mode)));
	json_object_set_new(root, "status", json_string(result->status == PARSE_OK ? "ok" :
							parse_status_message(result->status)));
	json_object_set_new(root, "error", result->error[0] ? json_string(result->error) :
			    json_null());
	json_object_set_new(root, "event", event_json_new(&result->event));
	json_object_set_new(root, "tiers", event_json_tiers(&result->event));
	for (int f = 0; f < FIELD_COUNT; f++)
		if (result->event.tier[f] != TIER_NONE)
			json_object_set_new(confidence, field_name((enum field)f),
					    event_json_real(result->event.confidence[f], 4));
	json_object_set_new(root, "confidence", confidence);
	json_object_set_new(root, "cache_hit", json_boolean(result->cache_hit));
	json_object_set_new(root, "total_us", event_json_real((double)result->total_ns / 1000.0, 3));
	json_object_set_new(root, "trace", trace_json(result));
	json_object_set_new(root, "llm", llm_json(req, cfg, result));

	text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(root);
}

static void print_value(const struct event *ev, enum field f, int width)
{
	char value[EVENT_TITLE_MAX * 4];
	size_t n = event_format_field(ev, f, value, sizeof value);

	if (n == 0 && !event_has(ev, f)) {
		printf("%-*s", width, "-");
		return;
	}
	cli_put_text(stdout, value, n);
	if ((int)n < width)
		printf("%*s", width - (int)n, "");
}

/* Writes what the LLM call reported besides its answer: attempts, token
 * counts, the server's own time, a cut text, a replay, the lost fields. */
static void format_llm_details(const struct request *req, const struct cascade_config *cfg,
			       const struct parse_result *result, char *buf, size_t size)
{
	const struct tier_trace *tt = &result->tiers[TIER_LLM];
	size_t n = 0;

#define APPEND(...) \
	do { if (n < size) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); } while (0)
	APPEND("model %s, %d attempt%s", cfg->llm_model, tt->attempts, tt->attempts == 1 ? "" : "s");
	if (tt->prompt_tokens >= 0 || tt->completion_tokens >= 0)
		APPEND(", %d prompt + %d completion tokens", tt->prompt_tokens,
		       tt->completion_tokens);
	if (tt->server_ns >= 0)
		APPEND(", server %.1f ms", (double)tt->server_ns / 1e6);
	if (tt->truncated)
		APPEND(", text cut to %zu characters",
		       llm_outcome_sent_characters(req->text, req->len, cfg->llm_context_limit));
	if (tt->replayed)
		APPEND(", replayed");
	for (int f = 0, first = 1; f < FIELD_COUNT; f++) {
		if (!((result->llm_lost >> f) & 1u))
			continue;
		APPEND("%s%s", first ? ", lost: " : " ", field_name((enum field)f));
		first = 0;
	}
#undef APPEND
}

static void print_llm_line(const struct request *req, const struct cascade_config *cfg,
			   const struct parse_result *result)
{
	const struct tier_trace *tt = &result->tiers[TIER_LLM];
	enum llm_outcome outcome = llm_outcome_of(tt);
	char details[512];

	if (outcome == LLM_OUTCOME_NOT_CALLED)
		return;
	format_llm_details(req, cfg, result, details, sizeof details);
	printf("llm     %s, %.1f ms, %s\n", llm_outcome_name(outcome),
	       (double)tt->elapsed_ns / 1e6, details);
	if (tt->error[0]) {
		printf("        ");
		cli_put_text(stdout, tt->error, strlen(tt->error));
		putchar('\n');
	}
}

static void print_trace(const struct parse_result *result)
{
	printf("\ntrace (tier, field, answer, confidence, taken)\n");
	for (int t = 0; t < TIER_COUNT; t++) {
		const struct tier_trace *tt = &result->tiers[t];

		if (!tt->called) {
			printf("%s: not called%s\n", tier_name((enum tier)t),
			       result->cache_hit ? " (cache hit)" : "");
			continue;
		}
		printf("%s (%s): %.1f us%s%s\n", tier_name((enum tier)t), tt->backend ? tt->backend : "",
		       (double)tt->elapsed_ns / 1000.0, tt->status == PARSE_OK ? "" : ", failed: ",
		       tt->status == PARSE_OK ? "" : tt->error);
		for (int f = 0; f < FIELD_COUNT; f++) {
			bool taken = !result->cache_hit && result->event.tier[f] == (enum tier)t;

			printf("  %-13s ", field_name((enum field)f));
			print_value(&tt->answer, (enum field)f, 32);
			printf(" %.2f  %s\n", tt->answer.confidence[f], taken ? "taken" : "");
		}
	}
}

static void print_text(const struct request *req, const struct cascade_config *cfg,
		       const struct parse_result *result, bool trace)
{
	char ref[32];

	format_ref(&req->ref, ref, sizeof ref);
	printf("text    ");
	cli_put_text(stdout, req->text, req->len);
	printf("\nref     %s %s (%s)\n", ref, req->tz, req->locale == LOCALE_EN_GB ? "en-GB" : "en-US");
	printf("preset  %s, mode %s, %.1f us%s\n", cfg->preset, config_mode_name(cfg->mode),
	       (double)result->total_ns / 1000.0, result->cache_hit ? ", cache hit" : "");
	print_llm_line(req, cfg, result);
	putchar('\n');
	printf("%-13s %-32s %-6s %s\n", "field", "value", "tier", "confidence");
	for (int f = 0; f < FIELD_COUNT; f++) {
		printf("%-13s ", field_name((enum field)f));
		print_value(&result->event, (enum field)f, 32);
		printf(" %-6s %.2f\n", tier_name(result->event.tier[f]), result->event.confidence[f]);
	}
	if (trace)
		print_trace(result);
}

/* Makes the LLM recorder on --db or the default database. Without a
 * database path only replay fails: recording is then skipped and logged. */
static int make_recorder(const struct cli_args *args, const struct cascade_config *cfg,
			 struct recorder **out, char *err, size_t err_size)
{
	char db[4096];

	*out = NULL;
	if (cfg->llm_backend == LLM_OFF)
		return 0;
	if (cli_db_path(args, db, sizeof db, err, err_size) < 0) {
		if (cfg->llm_backend == LLM_REPLAY || cli_value(args, "db"))
			return -1;
		LOG_AT(LOG_WARN, "parse: LLM exchanges are not recorded: %s", err);
		return 0;
	}
	return recorder_for_config(cfg, db, cli_flag(args, "no-record"), out, err, err_size);
}

static int parse_text(const struct cli_args *args, const struct cascade_config *cfg,
		      const struct request *req)
{
	struct parse_input in = {
		.text = req->text, .len = req->len, .ref = req->ref, .tz = req->tz,
		.locale = req->locale,
	};
	struct parse_result *result = malloc(sizeof *result);
	struct cascade_worker *worker = NULL;
	struct cascade *cascade = NULL;
	struct recorder *recorder = NULL;
	char err[CLI_MESSAGE_MAX] = "out of memory";
	int code = CLI_EXIT_OK;

	if (result && make_recorder(args, cfg, &recorder, err, sizeof err) == 0)
		cascade = cascade_new(cfg, err, sizeof err);
	if (cascade)
		worker = cascade_worker_new(cascade, err, sizeof err);
	if (!worker) {
		cli_error(&parse_command, "%s", err);
		cascade_free(cascade);
		recorder_free(recorder);
		free(result);
		return CLI_EXIT_USAGE;
	}
	if (recorder)
		cascade_set_recorder(cascade, recorder_hooks(recorder));

	cascade_parse(worker, &in, result);
	if (cli_flag(args, "json"))
		print_json(req, cfg, result);
	else if (result->status != PARSE_EMPTY && result->status != PARSE_TOO_LONG &&
		 result->status != PARSE_BAD_UTF8)
		print_text(req, cfg, result, cli_flag(args, "trace"));
	if (result->tiers[TIER_LLM].called && result->tiers[TIER_LLM].status != PARSE_OK)
		LOG_AT(LOG_WARN, "parse: llm tier failed: %s", result->tiers[TIER_LLM].error);

	if (result->status == PARSE_TIER_FAILED) {
		cli_error(&parse_command, "%s", result->error);
		code = CLI_EXIT_FAILED;
	} else if (result->status != PARSE_OK) {
		cli_error(&parse_command, "%s", result->error[0] ? result->error :
			  parse_status_message(result->status));
		code = CLI_EXIT_USAGE;
	}
	LOG_AT(LOG_INFO, "parse: %zu bytes, status %s, %.1f us", req->len,
	       parse_status_message(result->status), (double)result->total_ns / 1000.0);

	cascade_worker_free(worker);
	cascade_free(cascade);
	recorder_free(recorder);
	free(result);
	return code;
}

int cmd_parse(int argc, char **argv)
{
	struct cli_args args;
	struct cascade_config cfg;
	struct request req;
	char err[CLI_MESSAGE_MAX];
	int code;

	memset(&req, 0, sizeof req);
	if (cli_parse(&parse_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&parse_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&parse_command);
		return CLI_EXIT_OK;
	}
	if (cli_open_log(&args, err, sizeof err) < 0 ||
	    cli_build_config(&args, &cfg, err, sizeof err) < 0 ||
	    read_request(&args, &req, err, sizeof err) < 0) {
		cli_error(&parse_command, "%s", err);
		free(req.text);
		log_close();
		return CLI_EXIT_USAGE;
	}

	code = parse_text(&args, &cfg, &req);
	free(req.text);
	log_close();
	return code;
}
