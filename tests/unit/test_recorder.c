/*
 * The LLM recorder over the history database: exchanges stored through
 * the engine's hooks come back from lookups, the newest first; a missing
 * key is reported as none; many threads store and look up at once; a
 * lookup-only recorder treats a missing database as empty and stores
 * nothing; a database that cannot be opened is counted and logged, never
 * printed, and never fails the caller.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "app/history.h"
#include "app/log.h"
#include "app/recorder.h"

#define THREADS 8
#define EXCHANGES_PER_THREAD 50

static char folder[64];
static char db_path[128];
static char log_path[128];

static int make_folder(void **state)
{
	char err[256];

	(void)state;
	snprintf(folder, sizeof folder, "/tmp/caltune-test-recorder-XXXXXX");
	assert_non_null(mkdtemp(folder));
	snprintf(log_path, sizeof log_path, "%s/test.log", folder);
	if (log_open(log_path, LOG_DEBUG, err, sizeof err) != 0)
		fail_msg("log_open: %s", err);
	return 0;
}

static int remove_folder(void **state)
{
	char command[160];

	(void)state;
	log_close();
	snprintf(command, sizeof command, "rm -rf '%s'", folder);
	return system(command) == 0 ? 0 : -1;
}

/* A fresh database path per test. */
static int next_db(void **state)
{
	static int n;

	(void)state;
	snprintf(db_path, sizeof db_path, "%s/history-%d.db", folder, ++n);
	return 0;
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

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long size;

	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	return text;
}

/* Looks key up through the hooks; returns the lookup's code. */
static int lookup(const struct llm_recorder *hooks, const char *key, char **answer,
		  int64_t *latency, int *prompt, int *completion)
{
	char err[512] = "";
	int rc = hooks->lookup(hooks->context, key, answer, latency, prompt, completion, err,
			       sizeof err);

	if (rc < 0)
		fail_msg("lookup failed: %s", err);
	return rc;
}

static void test_recorder_store_then_lookup(void **state)
{
	char err[256];
	struct recorder *r = recorder_new(db_path, true, err, sizeof err);
	const struct llm_recorder *hooks;
	struct llm_exchange x = { "{\"messages\":[\"lunch\"],\"model\":\"llama3.2:3b\"}", "ollama",
				  "llama3.2:3b", "{\"title\":\"Lunch\"}", 812000000, 412, 38 };
	struct recorder_counts counts;
	char *answer = NULL;
	int64_t latency = 0;
	int prompt = 0, completion = 0;
	struct stat st;

	(void)state;
	assert_non_null(r);
	hooks = recorder_hooks(r);
	assert_ptr_equal(hooks->context, r);
	/* Nothing is opened before the first call. */
	assert_int_equal(stat(db_path, &st), -1);

	hooks->store(hooks->context, &x);
	assert_int_equal(lookup(hooks, x.key, &answer, &latency, &prompt, &completion), 0);
	assert_string_equal(answer, "{\"title\":\"Lunch\"}");
	assert_int_equal(latency, 812000000);
	assert_int_equal(prompt, 412);
	assert_int_equal(completion, 38);
	free(answer);

	/* A newer exchange for the same key wins. */
	x.answer = "{\"title\":\"Lunch with Sarah\"}";
	x.prompt_tokens = -1;
	hooks->store(hooks->context, &x);
	assert_int_equal(lookup(hooks, x.key, &answer, &latency, &prompt, &completion), 0);
	assert_string_equal(answer, "{\"title\":\"Lunch with Sarah\"}");
	assert_int_equal(prompt, -1);
	free(answer);

	recorder_counts(r, &counts);
	assert_int_equal(counts.stored, 2);
	assert_int_equal(counts.store_failures, 0);
	assert_int_equal(counts.lookups, 2);
	assert_int_equal(counts.found, 2);
	recorder_free(r);

	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM llm_exchanges"), 2);
	assert_int_equal(raw_int(db_path, "SELECT count(DISTINCT key_sha256) FROM llm_exchanges"), 1);
}

static void test_recorder_missing_key(void **state)
{
	char err[256];
	struct recorder *r = recorder_new(db_path, true, err, sizeof err);
	const struct llm_recorder *hooks = recorder_hooks(r);
	struct llm_exchange x = { "{\"text\":\"a\"}", "openai", "m", "{}", 1, 2, 3 };
	struct recorder_counts counts;
	char *answer = NULL;
	int64_t latency = 0;
	int prompt = 0, completion = 0;

	(void)state;
	hooks->store(hooks->context, &x);
	assert_int_equal(lookup(hooks, "{\"text\":\"b\"}", &answer, &latency, &prompt, &completion),
			 1);
	assert_null(answer);
	/* A key that is a prefix of a stored one is another key. */
	assert_int_equal(lookup(hooks, "{\"text\":\"a\"", &answer, &latency, &prompt, &completion),
			 1);
	recorder_counts(r, &counts);
	assert_int_equal(counts.lookups, 2);
	assert_int_equal(counts.found, 0);
	recorder_free(r);
}

struct worker {
	const struct llm_recorder *hooks;
	int id;
	int mismatches;
	int failures;
};

/* Stores this thread's exchanges and reads each back at once, while the
 * other threads do the same. */
static void *store_and_lookup(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < EXCHANGES_PER_THREAD; i++) {
		char key[64], answer_text[64], err[256];
		struct llm_exchange x = { key, "ollama", "m", answer_text, i, i, i };
		char *answer = NULL;
		int64_t latency = 0;
		int prompt = 0, completion = 0;

		snprintf(key, sizeof key, "{\"thread\":%d,\"n\":%d}", w->id, i);
		snprintf(answer_text, sizeof answer_text, "{\"answer\":\"%d-%d\"}", w->id, i);
		w->hooks->store(w->hooks->context, &x);
		if (w->hooks->lookup(w->hooks->context, key, &answer, &latency, &prompt, &completion,
				     err, sizeof err) != 0)
			w->failures++;
		else if (strcmp(answer, answer_text) != 0 || latency != i)
			w->mismatches++;
		free(answer);
	}
	return NULL;
}

static void test_recorder_concurrent_threads(void **state)
{
	char err[256];
	struct recorder *r = recorder_new(db_path, true, err, sizeof err);
	struct worker workers[THREADS];
	pthread_t threads[THREADS];
	struct recorder_counts counts;

	(void)state;
	assert_non_null(r);
	for (int k = 0; k < THREADS; k++) {
		workers[k] = (struct worker){ recorder_hooks(r), k, 0, 0 };
		assert_int_equal(pthread_create(&threads[k], NULL, store_and_lookup, &workers[k]), 0);
	}
	for (int k = 0; k < THREADS; k++) {
		assert_int_equal(pthread_join(threads[k], NULL), 0);
		assert_int_equal(workers[k].failures, 0);
		assert_int_equal(workers[k].mismatches, 0);
	}
	recorder_counts(r, &counts);
	assert_int_equal(counts.stored, THREADS * EXCHANGES_PER_THREAD);
	assert_int_equal(counts.store_failures, 0);
	assert_int_equal(counts.found, THREADS * EXCHANGES_PER_THREAD);
	recorder_free(r);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM llm_exchanges"),
			 THREADS * EXCHANGES_PER_THREAD);
	assert_int_equal(raw_int(db_path, "SELECT count(DISTINCT key_sha256) FROM llm_exchanges"),
			 THREADS * EXCHANGES_PER_THREAD);
}

static void test_recorder_lookup_only(void **state)
{
	char err[256];
	struct recorder *r = recorder_new(db_path, false, err, sizeof err);
	const struct llm_recorder *hooks = recorder_hooks(r);
	struct llm_exchange x = { "{\"text\":\"a\"}", "ollama", "m", "{}", 1, 2, 3 };
	struct recorder *writer;
	struct recorder_counts counts;
	char *answer = NULL;
	int64_t latency = 0;
	int prompt = 0, completion = 0;
	struct stat st;

	(void)state;
	/* No database yet: no recordings, and no file is created. */
	assert_int_equal(lookup(hooks, x.key, &answer, &latency, &prompt, &completion), 1);
	hooks->store(hooks->context, &x);
	assert_int_equal(stat(db_path, &st), -1);

	/* Once another recorder has stored it, the lookup finds it. */
	writer = recorder_new(db_path, true, err, sizeof err);
	recorder_hooks(writer)->store(recorder_hooks(writer)->context, &x);
	recorder_free(writer);
	assert_int_equal(lookup(hooks, x.key, &answer, &latency, &prompt, &completion), 0);
	assert_string_equal(answer, "{}");
	free(answer);
	hooks->store(hooks->context, &x);
	recorder_counts(r, &counts);
	assert_int_equal(counts.stored, 0);
	assert_int_equal(counts.store_failures, 0);
	recorder_free(r);
	assert_int_equal(raw_int(db_path, "SELECT count(*) FROM llm_exchanges"), 1);
}

static void test_recorder_unusable_database(void **state)
{
	char err[256], path[160], lookup_err[512] = "";
	struct recorder *r;
	const struct llm_recorder *hooks;
	struct llm_exchange x = { "{\"secret-free key\":1}", "ollama", "m", "{\"answer\":1}", 1, 2,
				  3 };
	struct recorder_counts counts;
	char *answer = NULL;
	int64_t latency = 0;
	int prompt = 0, completion = 0;
	char *log_text;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/notes.txt", folder);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a database\n", f);
	fclose(f);

	r = recorder_new(path, true, err, sizeof err);
	hooks = recorder_hooks(r);
	for (int i = 0; i < 3; i++)
		hooks->store(hooks->context, &x);
	assert_int_equal(hooks->lookup(hooks->context, x.key, &answer, &latency, &prompt,
				       &completion, lookup_err, sizeof lookup_err), -1);
	assert_null(answer);
	assert_non_null(strstr(lookup_err, "is not an SQLite database"));
	recorder_counts(r, &counts);
	assert_int_equal(counts.stored, 0);
	assert_int_equal(counts.store_failures, 3);
	recorder_free(r);

	/* The log names the file and the count, never the key or the answer. */
	log_text = read_file(log_path);
	assert_non_null(strstr(log_text, "notes.txt is not an SQLite database"));
	assert_non_null(strstr(log_text, "3 of 3 exchanges were not recorded"));
	assert_null(strstr(log_text, "secret-free key"));
	assert_null(strstr(log_text, "{\"answer\":1}"));
	free(log_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_recorder_store_then_lookup, next_db),
		cmocka_unit_test_setup(test_recorder_missing_key, next_db),
		cmocka_unit_test_setup(test_recorder_concurrent_threads, next_db),
		cmocka_unit_test_setup(test_recorder_lookup_only, next_db),
		cmocka_unit_test_setup(test_recorder_unusable_database, next_db),
	};

	return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
