/*
 * The history store: WAL mode and schema version on a new file, case rows
 * round-tripped, one transaction per batch, and reopening. Run states:
 * running, complete, and incomplete after the writer died or went quiet.
 * Cancelled runs, migration from an empty database and from versions 1
 * and 2, and files that are corrupt, newer or another program's left
 * untouched. The LLM columns of cases and runs, and recorded LLM
 * exchanges.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "app/history.h"
#include "app/sha256.h"

static char folder[64];
static char db_path[128];

static int make_folder(void **state)
{
	(void)state;
	snprintf(folder, sizeof folder, "/tmp/caltune-test-history-XXXXXX");
	assert_non_null(mkdtemp(folder));
	snprintf(db_path, sizeof db_path, "%s/nested/deeper/history.db", folder);
	return 0;
}

static int remove_folder(void **state)
{
	char command[160];

	(void)state;
	snprintf(command, sizeof command, "rm -rf '%s'", folder);
	return system(command) == 0 ? 0 : -1;
}

static struct history *open_db(const char *path)
{
	struct history *h = NULL;
	char err[512] = "";

	if (history_open(path, false, &h, err, sizeof err) != 0)
		fail_msg("history_open(%s): %s", path, err);
	return h;
}

static int64_t begin(struct history *h, int64_t total)
{
	struct run_record run;
	char err[512] = "";

	memset(&run, 0, sizeof run);
	snprintf(run.preset, sizeof run.preset, "balanced");
	snprintf(run.mode, sizeof run.mode, "hybrid");
	snprintf(run.corpus, sizeof run.corpus, "corpora/test.jsonl");
	snprintf(run.corpus_sha256, sizeof run.corpus_sha256, "%064d", 0);
	snprintf(run.version, sizeof run.version, "test");
	snprintf(run.settings_json, sizeof run.settings_json, "{\"preset\":\"balanced\"}");
	run.cases_total = total;
	if (history_begin_run(h, &run, err, sizeof err) != 0)
		fail_msg("history_begin_run: %s", err);
	assert_true(run.id > 0);
	return run.id;
}

static void make_case(struct case_record *c, int64_t seq, bool correct)
{
	memset(c, 0, sizeof *c);
	c->seq = seq;
	snprintf(c->case_id, sizeof c->case_id, "case-%lld", (long long)seq);
	event_init(&c->prediction);
	c->expected = 1u << FIELD_START;
	c->correct = correct ? 1u << FIELD_START : 0;
	c->all_correct = correct;
	c->tier_ns[TIER_REGEX] = 1000 + seq;
	c->tier_ns[TIER_RULES] = -1;
	c->tier_ns[TIER_LLM] = -1;
	c->total_ns = 2000 + seq;
	c->cache_ns = 300 + seq;
	c->failed_tiers = seq % 2 ? 1u << TIER_RULES : 0;
	c->llm_prompt_tokens = -1;
	c->llm_completion_tokens = -1;
}

static void append(struct history *h, int64_t run_id, int64_t first, size_t count)
{
	struct case_record *cases = calloc(count, sizeof *cases);
	char err[512] = "";

	assert_non_null(cases);
	for (size_t i = 0; i < count; i++)
		make_case(&cases[i], first + (int64_t)i, i % 2 == 0);
	if (history_append_cases(h, run_id, cases, count, NULL, err, sizeof err) != 0)
		fail_msg("history_append_cases: %s", err);
	free(cases);
}

static void file_digest(const char *path, char hex[SHA256_HEX_SIZE])
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	sha256_hex(buf, n, hex);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Runs SQL on the file through a separate connection, as another process
 * would. */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static void expect_integrity_ok(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "ok");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

static void test_history_new_file_wal_and_version(void **state)
{
	struct history *h = open_db(db_path);
	sqlite3 *db;
	sqlite3_stmt *stmt;

	(void)state;
	assert_string_equal(history_path(h), db_path);
	assert_int_equal(raw_int(db_path, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	history_close(h);
}

static void test_history_case_round_trip(void **state)
{
	struct history *h = open_db(db_path);
	int64_t run_id = begin(h, 2);
	struct case_record in[2];
	struct case_record out[4];
	struct event *ev = &in[0].prediction;
	size_t count = 0;
	char err[512] = "";

	(void)state;
	make_case(&in[0], 0, true);
	make_case(&in[1], 1, false);
	snprintf(ev->title, sizeof ev->title, "Lunch with Sarah");
	event_set_has(ev, FIELD_TITLE, true);
	ev->tier[FIELD_TITLE] = TIER_REGEX;
	ev->confidence[FIELD_TITLE] = 0.875f;
	assert_true(when_parse("2026-12-11T12:00+09:00", &ev->start));
	event_set_has(ev, FIELD_START, true);
	ev->tier[FIELD_START] = TIER_RULES;
	ev->confidence[FIELD_START] = 0.5f;
	ev->all_day = false;
	event_set_has(ev, FIELD_ALL_DAY, true);
	ev->duration_min = 90;
	event_set_has(ev, FIELD_DURATION, true);
	event_add_attendee(ev, "Sarah", 5);
	event_add_attendee(ev, "Jos\u00e9 \"JJ\"", strlen("Jos\u00e9 \"JJ\""));
	event_set_has(ev, FIELD_ATTENDEES, true);
	snprintf(ev->recurrence, sizeof ev->recurrence, "FREQ=WEEKLY;BYDAY=FR");
	event_set_has(ev, FIELD_RECURRENCE, true);
	in[0].expected = (1u << FIELD_TITLE) | (1u << FIELD_START);
	in[0].correct = 1u << FIELD_TITLE;
	in[0].all_correct = false;
	in[0].cache_hit = true;
	in[0].llm_called = true;
	in[0].tier_ns[TIER_LLM] = 123456789;
	snprintf(in[1].error, sizeof in[1].error, "text is empty: give the event text to parse");

	assert_int_equal(history_append_cases(h, run_id, in, 2, NULL, err, sizeof err), 0);
	assert_int_equal(history_read_cases(h, run_id, -1, 4, out, &count, err, sizeof err), 0);
	assert_int_equal(count, 2);

	assert_int_equal(out[0].seq, 0);
	assert_string_equal(out[0].case_id, "case-0");
	assert_string_equal(out[0].prediction.title, "Lunch with Sarah");
	assert_int_equal(out[0].prediction.tier[FIELD_TITLE], TIER_REGEX);
	assert_true(out[0].prediction.confidence[FIELD_TITLE] == 0.875f);
	assert_int_equal(out[0].prediction.start.t.hour, 12);
	assert_true(out[0].prediction.start.has_offset);
	assert_int_equal(out[0].prediction.start.offset_min, 540);
	assert_int_equal(out[0].prediction.tier[FIELD_START], TIER_RULES);
	assert_true(event_has(&out[0].prediction, FIELD_ALL_DAY));
	assert_false(out[0].prediction.all_day);
	assert_int_equal(out[0].prediction.duration_min, 90);
	assert_int_equal(out[0].prediction.attendee_count, 2);
	assert_string_equal(out[0].prediction.attendees[1], "Jos\u00e9 \"JJ\"");
	assert_string_equal(out[0].prediction.recurrence, "FREQ=WEEKLY;BYDAY=FR");
	assert_false(event_has(&out[0].prediction, FIELD_END));
	assert_false(event_has(&out[0].prediction, FIELD_LOCATION));
	assert_int_equal(out[0].prediction.tier[FIELD_LOCATION], TIER_NONE);
	assert_int_equal(out[0].expected, in[0].expected);
	assert_int_equal(out[0].correct, in[0].correct);
	assert_false(out[0].all_correct);
	assert_true(out[0].cache_hit);
	assert_true(out[0].llm_called);
	assert_int_equal(out[0].tier_ns[TIER_REGEX], 1000);
	assert_int_equal(out[0].tier_ns[TIER_RULES], -1);
	assert_int_equal(out[0].tier_ns[TIER_LLM], 123456789);
	assert_int_equal(out[0].total_ns, 2000);
	assert_int_equal(out[0].cache_ns, 300);
	assert_int_equal(out[0].failed_tiers, 0);
	assert_string_equal(out[0].error, "");
	assert_string_equal(out[1].error, "text is empty: give the event text to parse");

	/* A reader following a live run requests the rows after the last seq. */
	assert_int_equal(history_read_cases(h, run_id, 0, 4, out, &count, err, sizeof err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(out[0].seq, 1);
	history_close(h);
}

static void test_history_batch_is_one_transaction(void **state)
{
	struct history *h = open_db(db_path);
	int64_t run_id = begin(h, 10);
	struct case_record batch[3];
	struct run_record run;
	char err[512] = "";

	(void)state;
	append(h, run_id, 0, 4);
	make_case(&batch[0], 4, true);
	make_case(&batch[1], 5, true);
	make_case(&batch[2], 4, true);   /* repeats seq 4: the batch must fail whole */
	assert_int_equal(history_append_cases(h, run_id, batch, 3, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, db_path));

	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_int_equal(run.cases_done, 4);
	assert_int_equal(run.cases_correct, 2);
	assert_true(run.accuracy == 0.5);
	history_close(h);

	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM cases WHERE run_id = (SELECT max(id) "
				 "FROM runs)"), 4);
}

static void test_history_reopen_keeps_runs(void **state)
{
	struct history *h = open_db(db_path);
	int64_t run_id = begin(h, 300);
	struct run_record *runs = NULL;
	size_t count = 0;
	char err[512] = "";

	(void)state;
	append(h, run_id, 0, 256);
	append(h, run_id, 256, 44);
	assert_int_equal(history_finish_run(h, run_id, 12.5, 7.25, "{\"run_id\": 1}", err,
					    sizeof err), 0);
	history_close(h);

	h = open_db(db_path);
	assert_int_equal(history_list_runs(h, 1, &runs, &count, err, sizeof err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(runs[0].id, run_id);
	assert_int_equal(runs[0].state, RUN_COMPLETE);
	assert_int_equal(runs[0].cases_done, 300);
	assert_int_equal(runs[0].cases_total, 300);
	assert_true(runs[0].wall_ms == 12.5);
	assert_true(runs[0].p95_us == 7.25);
	assert_string_equal(runs[0].summary_json, "{\"run_id\": 1}");
	assert_string_equal(runs[0].preset, "balanced");
	assert_string_equal(runs[0].version, "test");
	assert_string_equal(history_state_name(runs[0].state), "complete");
	free(runs);
	history_close(h);
}

static void test_history_killed_writer_is_incomplete(void **state)
{
	struct history *h;
	struct run_record run;
	char err[512] = "";
	int status = 0;
	pid_t child;

	(void)state;
	/* The child records a run and two batches, then dies without
	 * finishing, as a killed `caltune run` would. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct history *ch = NULL;
		int64_t id;

		if (history_open(db_path, false, &ch, err, sizeof err) != 0)
			_exit(3);
		id = begin(ch, 1000);
		append(ch, id, 0, 256);
		append(ch, id, 256, 256);
		_exit(0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_int_equal(WEXITSTATUS(status), 0);

	h = open_db(db_path);
	assert_int_equal(history_get_run(h, 0, &run, err, sizeof err), 0);
	assert_int_equal(run.pid, child);
	assert_int_equal(run.state, RUN_INCOMPLETE);
	assert_int_equal(run.finished_ms, 0);
	assert_int_equal(run.cases_done, 512);
	assert_int_equal(run.cases_total, 1000);
	assert_string_equal(history_state_name(run.state), "incomplete");
	expect_integrity_ok(db_path);
	history_close(h);
}

static void test_history_running_and_stale(void **state)
{
	struct history *h = open_db(db_path);
	int64_t run_id = begin(h, 100);
	struct run_record run;
	char sql[256];
	char err[512] = "";

	(void)state;
	/* Our own live process with a fresh heartbeat. */
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_int_equal(run.state, RUN_RUNNING);

	/* Another host: only the heartbeat can tell. */
	snprintf(sql, sizeof sql, "UPDATE runs SET host = 'elsewhere' WHERE id = %lld",
		 (long long)run_id);
	raw_exec(db_path, sql);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_int_equal(run.state, RUN_RUNNING);

	snprintf(sql, sizeof sql, "UPDATE runs SET heartbeat_ms = heartbeat_ms - %d WHERE id = %lld",
		 (HISTORY_STALE_SECONDS + 5) * 1000, (long long)run_id);
	raw_exec(db_path, sql);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_int_equal(run.state, RUN_INCOMPLETE);

	/* A heartbeat brings it back. */
	assert_int_equal(history_heartbeat(h, run_id, NULL, err, sizeof err), 0);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_int_equal(run.state, RUN_RUNNING);
	history_close(h);
}

static void test_history_cancelled_and_latest(void **state)
{
	struct history *h = open_db(db_path);
	int64_t first = begin(h, 10);
	int64_t second;
	int64_t cancelled;
	int64_t found = 0;
	struct run_record run;
	char err[512] = "";

	(void)state;
	assert_int_equal(history_finish_run(h, first, 1, 1, "{}", err, sizeof err), 0);
	second = begin(h, 10);
	assert_int_equal(history_finish_run(h, second, 1, 1, "{}", err, sizeof err), 0);
	cancelled = begin(h, 10);
	append(h, cancelled, 0, 3);
	assert_int_equal(history_mark_cancelled(h, cancelled, err, sizeof err), 0);
	assert_int_equal(history_finish_run(h, cancelled, 1, 1, "{}", err, sizeof err), 0);
	begin(h, 10);   /* still running */

	assert_int_equal(history_get_run(h, cancelled, &run, err, sizeof err), 0);
	assert_true(run.cancelled);
	assert_int_equal(run.state, RUN_COMPLETE);
	assert_int_equal(run.cases_done, 3);

	assert_int_equal(history_latest_complete(h, 0, &found, err, sizeof err), 0);
	assert_int_equal(found, second);
	assert_int_equal(history_latest_complete(h, 1, &found, err, sizeof err), 0);
	assert_int_equal(found, first);
	assert_int_equal(history_get_run(h, 999999, &run, err, sizeof err), 1);
	history_close(h);
}

static void test_history_long_summary(void **state)
{
	struct history *h = open_db(db_path);
	int64_t run_id = begin(h, 1);
	size_t len = 20000;
	char *summary = malloc(len + 1);
	char *back = NULL;
	struct run_record run;
	char err[512] = "";

	(void)state;
	assert_non_null(summary);
	memset(summary, 'x', len);
	summary[len] = '\0';
	assert_int_equal(history_get_summary(h, run_id, &back, err, sizeof err), 0);
	assert_null(back);
	assert_int_equal(history_finish_run(h, run_id, 1, 1, summary, err, sizeof err), 0);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_string_equal(run.summary_json, "");
	assert_int_equal(history_get_summary(h, run_id, &back, err, sizeof err), 0);
	assert_non_null(back);
	assert_string_equal(back, summary);
	free(back);
	assert_int_equal(history_get_summary(h, 999999, &back, err, sizeof err), 1);
	assert_null(back);
	free(summary);
	history_close(h);
}

static void test_history_migrates_empty_databases(void **state)
{
	char path[160];
	struct history *h;

	(void)state;
	snprintf(path, sizeof path, "%s/empty-file.db", folder);
	write_file(path, "", 0);
	h = open_db(path);
	assert_int_equal(begin(h, 1), 1);
	history_close(h);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);

	/* An SQLite file at schema version 0 with no tables, such as one made
	 * by an earlier tool run that stopped before creating the schema. */
	snprintf(path, sizeof path, "%s/version0.db", folder);
	raw_exec(path, "PRAGMA user_version = 0; CREATE TABLE t (x); DROP TABLE t;");
	h = open_db(path);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM runs"), 0);
	history_close(h);
}

/* A database written by schema version 1 (no cache_ns or failed_tiers
 * columns) is migrated in place and keeps its rows. */
static void test_history_migrates_version_one(void **state)
{
	char path[160], err[256];
	struct history *h;
	struct case_record rows[2];
	size_t count = 0;
	char columns[2048] = "run_id INTEGER NOT NULL, seq INTEGER NOT NULL, case_id TEXT NOT NULL,"
			     " all_correct INTEGER NOT NULL";
	char sql[4096];

	(void)state;
	for (int f = 0; f < FIELD_COUNT; f++) {
		const char *name = field_name((enum field)f);
		size_t n = strlen(columns);

		snprintf(columns + n, sizeof columns - n, ", %s_value, %s_tier TEXT, %s_confidence REAL,"
			 " %s_correct INTEGER", name, name, name, name);
	}
	snprintf(path, sizeof path, "%s/version1.db", folder);
	snprintf(sql, sizeof sql,
		 "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_ms INTEGER NOT NULL,"
		 " finished_ms INTEGER NOT NULL DEFAULT 0, heartbeat_ms INTEGER NOT NULL,"
		 " cancelled INTEGER NOT NULL DEFAULT 0, preset TEXT NOT NULL, mode TEXT NOT NULL,"
		 " corpus TEXT NOT NULL, corpus_sha256 TEXT NOT NULL, version TEXT NOT NULL,"
		 " settings_json TEXT NOT NULL, cases_total INTEGER NOT NULL,"
		 " cases_done INTEGER NOT NULL DEFAULT 0, cases_correct INTEGER NOT NULL DEFAULT 0,"
		 " errors INTEGER NOT NULL DEFAULT 0, wall_ms REAL NOT NULL DEFAULT 0,"
		 " p95_us REAL NOT NULL DEFAULT 0, summary_json TEXT, pid INTEGER NOT NULL,"
		 " host TEXT NOT NULL);"
		 "CREATE TABLE cases (%s, regex_ns INTEGER, rules_ns INTEGER, llm_ns INTEGER,"
		 " total_ns INTEGER NOT NULL, cache_hit INTEGER NOT NULL, llm_called INTEGER NOT NULL,"
		 " error TEXT, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;"
		 "INSERT INTO runs (started_ms, heartbeat_ms, finished_ms, preset, mode, corpus,"
		 " corpus_sha256, version, settings_json, cases_total, cases_done, pid, host)"
		 " VALUES (1, 1, 2, 'balanced', 'hybrid', 'c.jsonl', '', '0.1.0', '{}', 1, 1, 1, 'h');"
		 "INSERT INTO cases (run_id, seq, case_id, all_correct, total_ns, cache_hit, llm_called)"
		 " VALUES (1, 0, 'old-case', 1, 1000, 0, 0);"
		 "PRAGMA user_version = 1;", columns);
	raw_exec(path, sql);

	h = open_db(path);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	assert_int_equal(history_read_cases(h, 1, -1, 2, rows, &count, err, sizeof err), 0);
	assert_int_equal(count, 1);
	assert_string_equal(rows[0].case_id, "old-case");
	assert_int_equal(rows[0].cache_ns, -1);
	assert_int_equal(rows[0].failed_tiers, 0);
	history_close(h);
	expect_integrity_ok(path);
}

/* A database written by schema version 2 (no LLM columns or exchanges)
 * is migrated in place: its runs and cases keep their values, the new
 * columns read as "not called", and new LLM data can be stored. */
static void test_history_migrates_version_two(void **state)
{
	char path[160], err[512];
	struct history *h;
	struct case_record rows[2];
	struct run_record run;
	size_t count = 0;
	char *answer = NULL;
	int64_t latency = 0;
	int prompt = 0, completion = 0;
	struct llm_exchange exchange = { "{\"k\":1}", "ollama", "m", "{}", 5, 1, 2 };

	(void)state;
	/* Version 2 is the current schema minus steps 3 and 4, so build it
	 * with the code of this version, then undo those steps the way SQLite
	 * allows. */
	snprintf(path, sizeof path, "%s/version2.db", folder);
	h = open_db(path);
	append(h, begin(h, 2), 0, 2);
	history_close(h);
	raw_exec(path, "DROP TABLE llm_exchanges;"
		 "ALTER TABLE cases DROP COLUMN rules_backend;"
		 "ALTER TABLE cases DROP COLUMN llm_status;"
		 "ALTER TABLE cases DROP COLUMN llm_lost;"
		 "ALTER TABLE cases DROP COLUMN llm_prompt_tokens;"
		 "ALTER TABLE cases DROP COLUMN llm_completion_tokens;"
		 "ALTER TABLE cases DROP COLUMN llm_attempts;"
		 "ALTER TABLE cases DROP COLUMN llm_error;"
		 "ALTER TABLE runs DROP COLUMN llm_state;"
		 "ALTER TABLE runs DROP COLUMN llm_in_flight;"
		 "ALTER TABLE runs DROP COLUMN llm_retries;"
		 "PRAGMA user_version = 2;");
	/* llm_ns and llm_called are from version 1. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM pragma_table_info('cases') WHERE name"
				 " LIKE 'llm_%'"), 2);

	h = open_db(path);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
	assert_int_equal(history_get_run(h, 1, &run, err, sizeof err), 0);
	assert_int_equal(run.cases_done, 2);
	assert_string_equal(run.llm_state, "");
	assert_int_equal(run.llm_in_flight, 0);
	assert_int_equal(run.llm_retries, 0);
	assert_int_equal(history_read_cases(h, 1, -1, 2, rows, &count, err, sizeof err), 0);
	assert_int_equal(count, 2);
	assert_string_equal(rows[1].case_id, "case-1");
	assert_int_equal(rows[1].tier_ns[TIER_REGEX], 1001);
	assert_int_equal(rows[1].cache_ns, 301);
	assert_int_equal(rows[1].failed_tiers, 1u << TIER_RULES);
	assert_string_equal(rows[1].llm_status, "");
	assert_int_equal(rows[1].llm_lost, 0);
	assert_int_equal(rows[1].llm_prompt_tokens, -1);
	assert_int_equal(rows[1].llm_attempts, 0);
	assert_string_equal(rows[1].llm_error, "");
	assert_string_equal(rows[1].rules_backend, "");

	assert_int_equal(history_store_exchange(h, &exchange, err, sizeof err), 0);
	assert_int_equal(history_find_exchange(h, "{\"k\":1}", &answer, &latency, &prompt,
					       &completion, err, sizeof err), 0);
	assert_string_equal(answer, "{}");
	free(answer);
	history_close(h);
	expect_integrity_ok(path);
}

/* The LLM outcome of a case and the LLM state of a run round-trip, with
 * NULL for what was not called or is unknown. */
static void test_history_llm_columns(void **state)
{
	struct history *h = open_db(db_path);
	int64_t run_id;
	struct case_record in[2];
	struct case_record out[2];
	struct run_record run;
	struct history_llm_status up = { "up", 3, 7 };
	struct history_llm_status down = { "down", 0, 9 };
	size_t count = 0;
	char sql[160];
	char err[512] = "";

	(void)state;
	memset(&run, 0, sizeof run);
	snprintf(run.preset, sizeof run.preset, "balanced");
	snprintf(run.mode, sizeof run.mode, "llm");
	snprintf(run.llm_state, sizeof run.llm_state, "idle");
	assert_int_equal(history_begin_run(h, &run, err, sizeof err), 0);
	run_id = run.id;
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_string_equal(run.llm_state, "idle");

	make_case(&in[0], 0, true);
	make_case(&in[1], 1, false);
	snprintf(in[0].llm_status, sizeof in[0].llm_status, "ok");
	in[0].llm_prompt_tokens = 412;
	in[0].llm_completion_tokens = 38;
	in[0].llm_attempts = 2;
	snprintf(in[1].llm_status, sizeof in[1].llm_status, "down");
	in[1].llm_lost = (1u << FIELD_START) | (1u << FIELD_LOCATION);
	in[1].llm_attempts = 1;
	snprintf(in[1].llm_error, sizeof in[1].llm_error, "connection failed after 1 attempt");
	snprintf(in[1].rules_backend, sizeof in[1].rules_backend, "duckling");
	assert_int_equal(history_append_cases(h, run_id, in, 2, &up, err, sizeof err), 0);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_string_equal(run.llm_state, "up");
	assert_int_equal(run.llm_in_flight, 3);
	assert_int_equal(run.llm_retries, 7);

	assert_int_equal(history_heartbeat(h, run_id, &down, err, sizeof err), 0);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_string_equal(run.llm_state, "down");
	assert_int_equal(run.llm_in_flight, 0);
	assert_int_equal(run.llm_retries, 9);
	/* Without figures a heartbeat leaves them alone. */
	assert_int_equal(history_heartbeat(h, run_id, NULL, err, sizeof err), 0);
	assert_int_equal(history_get_run(h, run_id, &run, err, sizeof err), 0);
	assert_string_equal(run.llm_state, "down");

	assert_int_equal(history_read_cases(h, run_id, -1, 2, out, &count, err, sizeof err), 0);
	assert_int_equal(count, 2);
	assert_string_equal(out[0].llm_status, "ok");
	assert_int_equal(out[0].llm_lost, 0);
	assert_int_equal(out[0].llm_prompt_tokens, 412);
	assert_int_equal(out[0].llm_completion_tokens, 38);
	assert_int_equal(out[0].llm_attempts, 2);
	assert_string_equal(out[0].llm_error, "");
	assert_string_equal(out[1].llm_status, "down");
	assert_int_equal(out[1].llm_lost, in[1].llm_lost);
	assert_int_equal(out[1].llm_prompt_tokens, -1);
	assert_int_equal(out[1].llm_completion_tokens, -1);
	assert_int_equal(out[1].llm_attempts, 1);
	assert_string_equal(out[1].llm_error, "connection failed after 1 attempt");
	assert_string_equal(out[0].rules_backend, "");
	assert_string_equal(out[1].rules_backend, "duckling");
	history_close(h);

	snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE run_id = %lld AND "
		 "llm_prompt_tokens IS NULL AND llm_status = 'down'", (long long)run_id);
	assert_int_equal(raw_int(db_path, sql), 1);
}

/* Exchanges are found by their whole key, the newest first; a missing key
 * is reported as such, and unknown token counts come back as -1. */
static void test_history_exchanges(void **state)
{
	struct history *h = open_db(db_path);
	struct llm_exchange first = { "{\"model\":\"m\",\"text\":\"a\"}", "ollama", "m",
				      "{\"title\":\"old\"}", 1500000, 400, 30 };
	struct llm_exchange second = first;
	struct llm_exchange other = { "{\"model\":\"n\",\"text\":\"b\"}", "openai", "n",
				      "{\"title\":\"b\"}", 2000, -1, -1 };
	char *answer = NULL;
	int64_t latency = 0, total = 0, for_model = 0;
	int prompt = 0, completion = 0;
	char err[512] = "";

	(void)state;
	second.answer = "{\"title\":\"new\"}";
	second.latency_ns = 2500000;
	assert_int_equal(history_store_exchange(h, &first, err, sizeof err), 0);
	assert_int_equal(history_store_exchange(h, &other, err, sizeof err), 0);
	assert_int_equal(history_store_exchange(h, &second, err, sizeof err), 0);

	assert_int_equal(history_find_exchange(h, first.key, &answer, &latency, &prompt, &completion,
					       err, sizeof err), 0);
	assert_string_equal(answer, "{\"title\":\"new\"}");
	assert_int_equal(latency, 2500000);
	assert_int_equal(prompt, 400);
	assert_int_equal(completion, 30);
	free(answer);

	assert_int_equal(history_find_exchange(h, other.key, &answer, &latency, &prompt, &completion,
					       err, sizeof err), 0);
	assert_string_equal(answer, "{\"title\":\"b\"}");
	assert_int_equal(prompt, -1);
	assert_int_equal(completion, -1);
	free(answer);

	answer = (char *)"untouched";
	assert_int_equal(history_find_exchange(h, "{\"model\":\"m\",\"text\":\"c\"}", &answer,
					       &latency, &prompt, &completion, err, sizeof err), 1);
	assert_null(answer);

	assert_int_equal(history_count_exchanges(h, "m", &total, &for_model, err, sizeof err), 0);
	assert_int_equal(total, 3);
	assert_int_equal(for_model, 2);
	history_close(h);

	/* The digest column is the SHA-256 of the key, and indexed. */
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM llm_exchanges WHERE length(key_sha256)"
				 " = 64"), 3);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
				 " AND tbl_name = 'llm_exchanges'"), 1);

	assert_int_equal(history_open(db_path, true, &h, err, sizeof err), 0);
	assert_int_equal(history_store_exchange(h, &first, err, sizeof err), -1);
	assert_non_null(strstr(err, "read-only"));
	history_close(h);
}

/* Opening must fail with a message naming the file and leave it as it
 * was. */
static void expect_refused(const char *path, bool readonly, const char *message)
{
	struct history *h = NULL;
	char before[SHA256_HEX_SIZE];
	char after[SHA256_HEX_SIZE];
	char err[512] = "";
	struct stat st;
	bool existed = stat(path, &st) == 0;

	if (existed)
		file_digest(path, before);
	assert_int_equal(history_open(path, readonly, &h, err, sizeof err), -1);
	assert_null(h);
	if (!strstr(err, path) || !strstr(err, message))
		fail_msg("opening %s: expected \"%s\", got \"%s\"", path, message, err);
	if (existed) {
		file_digest(path, after);
		assert_string_equal(before, after);
	}
}

static void test_history_refuses_foreign_files(void **state)
{
	char path[160];
	char garbage[8192];

	(void)state;
	snprintf(path, sizeof path, "%s/text.db", folder);
	write_file(path, "this is a text file, not a database\n", 37);
	expect_refused(path, false, "is not an SQLite database");

	/* A valid header followed by garbage pages. */
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)(i * 7919 % 251);
	memcpy(garbage, "SQLite format 3", 16);
	snprintf(path, sizeof path, "%s/corrupt.db", folder);
	write_file(path, garbage, sizeof garbage);
	expect_refused(path, false, "damaged or not a database");

	snprintf(path, sizeof path, "%s/newer.db", folder);
	raw_exec(path, "CREATE TABLE runs (id); PRAGMA user_version = 99;");
	expect_refused(path, false, "schema version 99, newer than");

	snprintf(path, sizeof path, "%s/other-program.db", folder);
	raw_exec(path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');");
	expect_refused(path, false, "another program (it has a table \"notes\"");

	snprintf(path, sizeof path, "%s/text.db/history.db", folder);
	expect_refused(path, false, "history database");

	expect_refused(folder, false, "is not a regular file");

	snprintf(path, sizeof path, "%s/missing.db", folder);
	expect_refused(path, true, "no history database at");
}

static void test_history_readonly_rejects_writes(void **state)
{
	struct history *h = open_db(db_path);
	struct run_record run;
	char err[512] = "";

	(void)state;
	history_close(h);
	assert_int_equal(history_open(db_path, true, &h, err, sizeof err), 0);
	memset(&run, 0, sizeof run);
	assert_int_equal(history_begin_run(h, &run, err, sizeof err), -1);
	assert_non_null(strstr(err, "read-only"));
	assert_int_equal(history_get_run(h, 0, &run, err, sizeof err), 0);
	history_close(h);
}

static void test_history_default_path_order(void **state)
{
	char path[512];

	(void)state;
	setenv("CALTUNE_DB", "/tmp/explicit.db", 1);
	setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
	setenv("HOME", "/tmp/home", 1);
	assert_int_equal(history_default_path(path, sizeof path), 0);
	assert_string_equal(path, "/tmp/explicit.db");

	unsetenv("CALTUNE_DB");
	assert_int_equal(history_default_path(path, sizeof path), 0);
	assert_string_equal(path, "/tmp/xdg/caltune/history.db");

	setenv("XDG_DATA_HOME", "relative/ignored", 1);
	assert_int_equal(history_default_path(path, sizeof path), 0);
	assert_string_equal(path, "/tmp/home/.local/share/caltune/history.db");

	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	assert_int_equal(history_default_path(path, sizeof path), -1);
}

static bool file_exists(const char *path, const char *suffix)
{
	char name[192];
	struct stat st;

	snprintf(name, sizeof name, "%s%s", path, suffix);
	return stat(name, &st) == 0;
}

/* A reader opened while no writer was connected reads the file as
 * immutable, creates no WAL file, and still sees what a writer records
 * after it opened: while the writer is connected, and after it closed. */
static void test_history_reader_follows_writer(void **state)
{
	char path[160];
	char err[512] = "";
	struct history *writer = NULL;
	struct history *reader = NULL;
	struct run_record *runs = NULL;
	size_t count = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/reader.db", folder);
	writer = open_db(path);
	begin(writer, 1);
	history_close(writer);
	assert_false(file_exists(path, "-wal"));

	assert_int_equal(history_open(path, true, &reader, err, sizeof err), 0);
	assert_int_equal(history_list_runs(reader, 0, &runs, &count, err, sizeof err), 0);
	assert_int_equal(count, 1);
	free(runs);
	assert_false(file_exists(path, "-wal"));
	assert_false(file_exists(path, "-shm"));

	writer = open_db(path);
	begin(writer, 1);
	assert_true(file_exists(path, "-wal"));
	if (history_list_runs(reader, 0, &runs, &count, err, sizeof err) != 0)
		fail_msg("history_list_runs with a writer connected: %s", err);
	assert_int_equal(count, 2);
	free(runs);

	history_close(writer);
	writer = open_db(path);
	begin(writer, 1);
	history_close(writer);
	if (history_list_runs(reader, 0, &runs, &count, err, sizeof err) != 0)
		fail_msg("history_list_runs after the writer closed: %s", err);
	assert_int_equal(count, 3);
	free(runs);
	history_close(reader);
}

/* An empty file is no database yet: a reader says so instead of naming
 * a schema version. */
static void test_history_reader_empty_file(void **state)
{
	char path[160];
	char err[512] = "";
	struct history *reader = NULL;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/empty.db", folder);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(history_open(path, true, &reader, err, sizeof err), -1);
	assert_non_null(strstr(err, "is an empty file (0 bytes) with no runs yet"));
	assert_false(file_exists(path, "-wal"));
}

/* Whether another process could lock the range of the database file that
 * SQLite's shared locks cover, that is whether this process holds none. */
static bool shared_lock_free(const char *path)
{
	pid_t child = fork();
	int status = 0;

	assert_true(child >= 0);
	if (child == 0) {
		int fd = open(path, O_RDWR);
		struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				       .l_start = 0x40000000 + 2, .l_len = 510 };

		if (fd < 0 || fcntl(fd, F_GETLK, &probe) != 0)
			_exit(2);
		_exit(probe.l_type == F_UNLCK ? 1 : 0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_not_equal(WEXITSTATUS(status), 2);
	return WEXITSTATUS(status) == 1;
}

/* Opening and closing a second handle must not drop the first handle's
 * locks. POSIX drops every lock a process holds on a file when any of its
 * descriptors for that file closes; another process closing its connection
 * would then take itself for the last one and delete the WAL under the
 * first handle, whose later writes other processes would never see. */
static void test_history_second_handle_keeps_locks(void **state)
{
	struct history *first, *second;

	(void)state;
	first = open_db(db_path);
	append(first, begin(first, 1), 0, 1);
	assert_false(shared_lock_free(db_path));

	second = open_db(db_path);
	history_close(second);
	assert_false(shared_lock_free(db_path));
	history_close(first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_new_file_wal_and_version),
		cmocka_unit_test(test_history_case_round_trip),
		cmocka_unit_test(test_history_batch_is_one_transaction),
		cmocka_unit_test(test_history_reopen_keeps_runs),
		cmocka_unit_test(test_history_killed_writer_is_incomplete),
		cmocka_unit_test(test_history_running_and_stale),
		cmocka_unit_test(test_history_cancelled_and_latest),
		cmocka_unit_test(test_history_long_summary),
		cmocka_unit_test(test_history_migrates_empty_databases),
		cmocka_unit_test(test_history_migrates_version_one),
		cmocka_unit_test(test_history_migrates_version_two),
		cmocka_unit_test(test_history_llm_columns),
		cmocka_unit_test(test_history_exchanges),
		cmocka_unit_test(test_history_refuses_foreign_files),
		cmocka_unit_test(test_history_readonly_rejects_writes),
		cmocka_unit_test(test_history_reader_follows_writer),
		cmocka_unit_test(test_history_reader_empty_file),
		cmocka_unit_test(test_history_default_path_order),
		cmocka_unit_test(test_history_second_handle_keeps_locks),
	};

	return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
