/*
 * Recorded LLM exchanges in the history database, for record and replay.
 * A request key is canonical JSON of the whole request (model, messages,
 * settings, schema), often several kilobytes, so rows are found through
 * an index on its SHA-256 and the key itself is compared as well: two keys
 * with the same digest never answer for each other. The newest row for a
 * key wins, so a model rerun on the same text replaces what replay returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/history_private.h"
#include "app/sha256.h"

static void bind_tokens(sqlite3_stmt *stmt, int column, int tokens)
{
	if (tokens < 0)
		sqlite3_bind_null(stmt, column);
	else
		sqlite3_bind_int(stmt, column, tokens);
}

int history_store_exchange(struct history *h, const struct llm_exchange *x, char *err,
			   size_t err_size)
{
	static const char sql[] =
		"INSERT INTO llm_exchanges (key_sha256, key, backend, model, answer, latency_ns,"
		" prompt_tokens, completion_tokens, recorded_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char digest[SHA256_HEX_SIZE];
	sqlite3_stmt *stmt;
	int rc;

	if (h->readonly) {
		snprintf(err, err_size, "history database %s is open read-only", h->path);
		return -1;
	}
	sha256_hex(x->key, strlen(x->key), digest);
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "recording an LLM exchange", err, err_size);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, x->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, x->backend ? x->backend : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, x->model ? x->model : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, x->answer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, x->latency_ns);
	bind_tokens(stmt, 7, x->prompt_tokens);
	bind_tokens(stmt, 8, x->completion_tokens);
	sqlite3_bind_int64(stmt, 9, history_now_ms());
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		history_fail(h, "recording an LLM exchange", err, err_size);
		return -1;
	}
	return 0;
}

static int column_tokens(sqlite3_stmt *stmt, int column)
{
	return sqlite3_column_type(stmt, column) == SQLITE_NULL ? -1 :
	       sqlite3_column_int(stmt, column);
}

int history_find_exchange(struct history *h, const char *key, char **answer,
			  int64_t *latency_ns, int *prompt_tokens, int *completion_tokens,
			  char *err, size_t err_size)
{
	static const char sql[] =
		"SELECT answer, latency_ns, prompt_tokens, completion_tokens FROM llm_exchanges"
		" WHERE key_sha256 = ? AND key = ? ORDER BY id DESC LIMIT 1";
	char digest[SHA256_HEX_SIZE];
	sqlite3_stmt *stmt;
	int rc;

	*answer = NULL;
	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	sha256_hex(key, strlen(key), digest);
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "looking up a recorded LLM answer", err, err_size);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(stmt, 0);

		*answer = strdup(text ? text : "");
		*latency_ns = sqlite3_column_int64(stmt, 1);
		*prompt_tokens = column_tokens(stmt, 2);
		*completion_tokens = column_tokens(stmt, 3);
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW) {
		history_fail(h, "looking up a recorded LLM answer", err, err_size);
		return -1;
	}
	if (!*answer) {
		snprintf(err, err_size, "out of memory reading a recorded LLM answer from %s",
			 h->path);
		return -1;
	}
	return 0;
}

int history_count_exchanges(struct history *h, const char *model, int64_t *total,
			    int64_t *for_model, char *err, size_t err_size)
{
	sqlite3_stmt *stmt;
	int rc;

	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	if (sqlite3_prepare_v2(h->db, "SELECT count(*), coalesce(sum(model = ?), 0)"
			       " FROM llm_exchanges", -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "counting recorded LLM exchanges", err, err_size);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, model ? model : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*total = sqlite3_column_int64(stmt, 0);
		*for_model = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		history_fail(h, "counting recorded LLM exchanges", err, err_size);
		return -1;
	}
	return 0;
}
