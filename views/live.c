/*
 * Following the shown run. Each tick costs one run lookup and one case
 * query when nothing changed. Catching up on a long finished run is spread
 * over ticks by LIVE_ROWS_PER_TICK, so the UI keeps reading keys.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/log.h"
#include "views/live.h"

#define LIVE_ROWS_PER_TICK 10000
#define LIVE_RETRY_MS 1000

void live_init(struct live *live, const char *db_path)
{
	memset(live, 0, sizeof *live);
	snprintf(live->db_path, sizeof live->db_path, "%s", db_path ? db_path : "");
	caserows_init(&live->rows);
}

void live_free(struct live *live)
{
	if (live->history)
		history_close(live->history);
	live->history = NULL;
	caserows_free(&live->rows);
}

static void set_error(struct live *live, const char *message)
{
	if (strcmp(live->error, message) != 0)
		LOG_AT(LOG_WARN, "history %s: %s", live->db_path, message);
	snprintf(live->error, sizeof live->error, "%s", message);
}

static void try_open(struct live *live, int64_t now_ms)
{
	char err[PATH_MAX + HISTORY_ERROR_MAX];
	struct stat st;

	if (live->history || now_ms < live->retry_ms || live->db_path[0] == '\0')
		return;
	live->retry_ms = now_ms + LIVE_RETRY_MS;

	/* Opening read-only must not create the file, so a missing database
	 * is a normal state (no runs yet), not an error. */
	if (stat(live->db_path, &st) != 0) {
		live->db_missing = errno == ENOENT;
		if (!live->db_missing) {
			snprintf(err, sizeof err, "cannot read %s: %s", live->db_path,
				 strerror(errno));
			set_error(live, err);
		}
		return;
	}
	live->db_missing = false;
	if (history_open(live->db_path, true, &live->history, err, sizeof err) != 0) {
		live->history = NULL;
		set_error(live, err);
		return;
	}
	live->error[0] = '\0';
	LOG_AT(LOG_INFO, "history %s opened for reading", live->db_path);
}

static double json_number_at(json_t *root, const char *section, const char *key, bool *found)
{
	char dotted[128];
	json_t *value = NULL;
	json_t *object = json_object_get(root, section);

	if (json_is_object(object))
		value = json_object_get(object, key);
	if (!value) {
		snprintf(dotted, sizeof dotted, "%s.%s", section, key);
		value = json_object_get(root, dotted);
	}
	if (!value)
		value = json_object_get(root, key);
	*found = json_is_number(value);
	return *found ? json_number_value(value) : 0;
}

void live_parse_settings(const char *settings_json, struct live_settings *out)
{
	json_t *root;
	bool found_regex, found_rules, found_llm, found_cache;

	memset(out, 0, sizeof *out);
	out->cache_l1_entries = -1;
	root = json_loads(settings_json, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	out->regex_only = json_number_at(root, "thresholds", "regex_only", &found_regex);
	out->deterministic_backup = json_number_at(root, "thresholds", "deterministic_backup",
						   &found_rules);
	out->llm_enhancement = json_number_at(root, "thresholds", "llm_enhancement", &found_llm);
	double entries = json_number_at(root, "cache", "l1_entries", &found_cache);

	if (found_cache)
		out->cache_l1_entries = (long)entries;
	out->known = found_regex && found_rules;
	json_decref(root);
}

static void show_run(struct live *live, const struct run_record *record)
{
	caserows_reset(&live->rows);
	live->stats_run = -1;
	live->sample_count = 0;
	live->run = *record;
	live->have_run = true;
	live_parse_settings(record->settings_json, &live->settings);
}

static void add_rate_sample(struct live *live, int64_t now_ms)
{
	if (live->sample_count == LIVE_RATE_SAMPLES) {
		memmove(live->sample_ms, live->sample_ms + 1,
			(LIVE_RATE_SAMPLES - 1) * sizeof live->sample_ms[0]);
		memmove(live->sample_done, live->sample_done + 1,
			(LIVE_RATE_SAMPLES - 1) * sizeof live->sample_done[0]);
		live->sample_count--;
	}
	live->sample_ms[live->sample_count] = now_ms;
	live->sample_done[live->sample_count] = live->run.cases_done;
	live->sample_count++;
}

void live_tick(struct live *live, int64_t now_ms)
{
	char err[PATH_MAX + HISTORY_ERROR_MAX];
	struct run_record *record;
	long added;
	int rc;

	try_open(live, now_ms);
	if (!live->history)
		return;

	record = malloc(sizeof *record);
	if (!record) {
		set_error(live, "out of memory reading the shown run");
		return;
	}
	rc = history_get_run(live->history, live->pinned_run, record, err, sizeof err);
	if (rc < 0) {
		set_error(live, err);
		free(record);
		return;
	}
	if (rc == 1) {
		if (live->pinned_run) {
			snprintf(err, sizeof err, "run %lld is not in %s", (long long)live->pinned_run,
				 live->db_path);
			set_error(live, err);
		}
		live->have_run = false;
		caserows_reset(&live->rows);
		free(record);
		return;
	}
	if (!live->have_run || record->id != live->run.id)
		show_run(live, record);
	else
		live->run = *record;
	/* Newer runs may follow a pinned run, and the Dashboard points them out. */
	live->newest_run = live->run.id;
	if (live->pinned_run && history_get_run(live->history, 0, record, err, sizeof err) == 0)
		live->newest_run = record->id;
	free(record);

	added = caserows_poll(&live->rows, live->history, live->run.id, LIVE_ROWS_PER_TICK, err,
			      sizeof err);
	if (added < 0) {
		set_error(live, err);
		return;
	}
	live->error[0] = '\0';
	live->loading = added >= LIVE_ROWS_PER_TICK;
	if (live->run.state == RUN_RUNNING)
		add_rate_sample(live, now_ms);

	/* The figures cost a pass over every row, so only new rows or another
	 * run recompute them. */
	if (added == 0 && live->stats_run == live->run.id && live->stats_rows == live->rows.count)
		return;
	if (runstats_compute(&live->rows, live->settings.cache_l1_entries != 0, &live->stats) < 0) {
		set_error(live, "out of memory computing the shown run's figures");
		return;
	}
	live->stats_run = live->run.id;
	live->stats_rows = live->rows.count;
}

void live_pin(struct live *live, int64_t run_id)
{
	if (live->pinned_run == run_id)
		return;
	live->pinned_run = run_id;
	live->have_run = false;
	caserows_reset(&live->rows);
}

double live_rate(const struct live *live)
{
	int n = live->sample_count;
	int64_t span_ms;

	if (!live->have_run || live->run.state != RUN_RUNNING || n < 2)
		return -1;
	span_ms = live->sample_ms[n - 1] - live->sample_ms[0];
	if (span_ms < 500) {
		/* Too short a window: average over the whole run so far. */
		int64_t elapsed = live->sample_ms[n - 1] - live->run.started_ms;

		return elapsed > 0 ? (double)live->run.cases_done * 1000.0 / (double)elapsed : -1;
	}
	return (double)(live->sample_done[n - 1] - live->sample_done[0]) * 1000.0 /
	       (double)span_ms;
}

struct history *live_history(struct live *live)
{
	return live->history;
}
