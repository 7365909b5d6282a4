/*
 * caltune history: the recorded runs, newest first. The database is
 * opened read-only, so listing never creates, migrates or locks it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/event_json.h"
#include "app/log.h"
#include "app/settings.h"

#define HISTORY_DEFAULT_LIMIT 20

static const struct cli_option history_options[] = {
	CLI_DB_OPTION,
	{ "limit", "N", "show at most N runs, 0 for all (default 20)" },
	{ "json", NULL, "print {\"db\": ..., \"runs\": [...]} as JSON" },
	CLI_LOG_OPTION,
	CLI_HELP_OPTION,
};

static const struct cli_command history_command = {
	.name = "history",
	.usage = "[options]",
	.summary = "List past runs, newest first, with their state: running, complete (finished), "
		   "cancelled\n(stopped on request, with the cases done by then) or incomplete (its "
		   "process died\nbefore it finished). With --json, a cancelled run has state "
		   "\"complete\" and \"cancelled\": true.",
	.details = NULL,
	.options = history_options,
	.option_count = sizeof history_options / sizeof history_options[0],
	.engine_keys = false,
};

static void format_time(int64_t ms, char *buf, size_t size, bool utc)
{
	time_t seconds = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (utc)
		gmtime_r(&seconds, &tm);
	else
		localtime_r(&seconds, &tm);
	strftime(buf, size, utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm);
}

static json_t *run_json(const struct run_record *r)
{
	json_t *obj = json_object();
	json_t *settings = json_loads(r->settings_json, 0, NULL);
	char when[32];

	json_object_set_new(obj, "run_id", json_integer(r->id));
	json_object_set_new(obj, "state", json_string(history_state_name(r->state)));
	json_object_set_new(obj, "cancelled", json_boolean(r->cancelled));
	format_time(r->started_ms, when, sizeof when, true);
	json_object_set_new(obj, "started", json_string(when));
	format_time(r->finished_ms, when, sizeof when, true);
	json_object_set_new(obj, "finished", r->finished_ms ? json_string(when) : json_null());
	json_object_set_new(obj, "started_ms", json_integer(r->started_ms));
	json_object_set_new(obj, "finished_ms", r->finished_ms ? json_integer(r->finished_ms) :
			    json_null());
	json_object_set_new(obj, "heartbeat_ms", json_integer(r->heartbeat_ms));
	json_object_set_new(obj, "preset", json_string(r->preset));
	json_object_set_new(obj, "custom_thresholds",
			    json_boolean(settings_thresholds_custom(r->settings_json)));
	json_object_set_new(obj, "mode", json_string(r->mode));
	json_object_set_new(obj, "corpus", json_string(r->corpus));
	json_object_set_new(obj, "corpus_sha256", json_string(r->corpus_sha256));
	json_object_set_new(obj, "version", json_string(r->version));
	json_object_set_new(obj, "settings", settings ? settings : json_null());
	json_object_set_new(obj, "cases_total", json_integer(r->cases_total));
	json_object_set_new(obj, "cases_done", json_integer(r->cases_done));
	json_object_set_new(obj, "cases_correct", json_integer(r->cases_correct));
	json_object_set_new(obj, "errors", json_integer(r->errors));
	json_object_set_new(obj, "accuracy", r->accuracy < 0 ? json_null() :
			    event_json_real(r->accuracy, 6));
	json_object_set_new(obj, "wall_ms", r->finished_ms ? event_json_real(r->wall_ms, 3) :
			    json_null());
	json_object_set_new(obj, "p95_us", r->finished_ms ? event_json_real(r->p95_us, 3) :
			    json_null());
	json_object_set_new(obj, "pid", json_integer(r->pid));
	json_object_set_new(obj, "host", json_string(r->host));
	return obj;
}

static void print_json(const char *db, const struct run_record *runs, size_t count)
{
	json_t *root = json_object();
	json_t *list = json_array();
	char *text;

	for (size_t i = 0; i < count; i++)
		json_array_append_new(list, run_json(&runs[i]));
	json_object_set_new(root, "db", json_string(db));
	json_object_set_new(root, "runs", list);
	text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	printf("%s\n", text ? text : "{}");
	free(text);
	json_decref(root);
}

static void print_table(const char *db, const struct run_record *runs, size_t count)
{
	bool any_custom = false;

	printf("history %s\n\n", db);
	printf("%6s  %-10s  %-19s  %-11s  %-6s  %15s  %8s  %10s  %10s  %s\n", "id", "state",
	       "started", "preset", "mode", "cases", "accuracy", "p95 us", "wall ms", "corpus");
	for (size_t i = 0; i < count; i++) {
		const struct run_record *r = &runs[i];
		char when[32];
		char cases[48];
		char accuracy[16] = "-";
		char p95[24] = "-";
		char wall[24] = "-";

		char preset[40];
		bool custom = settings_thresholds_custom(r->settings_json);

		any_custom |= custom;
		snprintf(preset, sizeof preset, "%s%s", r->preset, custom ? "*" : "");
		format_time(r->started_ms, when, sizeof when, false);
		snprintf(cases, sizeof cases, "%lld/%lld", (long long)r->cases_done,
			 (long long)r->cases_total);
		if (r->accuracy >= 0)
			snprintf(accuracy, sizeof accuracy, "%.1f%%", 100.0 * r->accuracy);
		if (r->finished_ms) {
			snprintf(p95, sizeof p95, "%.1f", r->p95_us);
			snprintf(wall, sizeof wall, "%.1f", r->wall_ms);
		}
		printf("%6lld  %-10s  %-19s  %-11s  %-6s  %15s  %8s  %10s  %10s  ", (long long)r->id,
		       r->cancelled ? "cancelled" : history_state_name(r->state), when, preset,
		       r->mode, cases, accuracy, p95, wall);
		cli_put_text(stdout, r->corpus, strlen(r->corpus));
		putchar('\n');
	}
	if (any_custom)
		printf("\n* thresholds other than the preset's (set with --set, --config or the "
		       "Thresholds view); history --json lists them\n");
}

int cmd_history(int argc, char **argv)
{
	struct cli_args args;
	struct history *h = NULL;
	struct run_record *runs = NULL;
	size_t count = 0;
	const char *limit_text;
	long limit = HISTORY_DEFAULT_LIMIT;
	char db[4096];
	char err[CLI_MESSAGE_MAX];
	struct stat st;
	bool exists;

	if (cli_parse(&history_command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(&history_command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(&history_command);
		return CLI_EXIT_OK;
	}
	limit_text = cli_value(&args, "limit");
	if (args.positional_count > 0) {
		cli_error(&history_command, "unexpected argument \"%s\": history takes only options",
			  args.positional[0]);
		return CLI_EXIT_USAGE;
	}
	if ((limit_text && cli_parse_long("limit", limit_text, 0, 1000000, &limit, err,
					  sizeof err) < 0) ||
	    cli_open_log(&args, err, sizeof err) < 0 || cli_db_path(&args, db, sizeof db, err,
								     sizeof err) < 0) {
		cli_error(&history_command, "%s", err);
		log_close();
		return CLI_EXIT_USAGE;
	}

	/* No database yet, or an empty file where one will be created, is an
	 * empty history, not an error. */
	exists = stat(db, &st) == 0;
	if (!exists || (S_ISREG(st.st_mode) && st.st_size == 0)) {
		if (cli_flag(&args, "json"))
			print_json(db, NULL, 0);
		else
			printf("no runs recorded yet in %s%s: record one with caltune run --corpus "
			       "FILE\n", db, exists ? " (the file is empty)" : "");
		log_close();
		return CLI_EXIT_OK;
	}
	if (history_open(db, true, &h, err, sizeof err) < 0 ||
	    history_list_runs(h, (int)limit, &runs, &count, err, sizeof err) < 0) {
		cli_error(&history_command, "%s", err);
		history_close(h);
		log_close();
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "json"))
		print_json(db, runs, count);
	else
		print_table(db, runs, count);
	free(runs);
	history_close(h);
	log_close();
	return CLI_EXIT_OK;
}
