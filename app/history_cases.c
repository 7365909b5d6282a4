/*
 * Case rows of the history, one row per case. For every field a row has
 * its value in corpus form (attendees as a JSON array), the tier that set
 * it, its confidence, and whether it was right (NULL when the case does
 * not label the field). Then come each tier's latency (NULL when the tier
 * was not called), the cache hit, the LLM call and the error. Last come
 * the LLM call's status, lost fields, token counts, attempts and message,
 * NULL where the tier was not called or a figure is unknown.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/history_private.h"

/* Columns after run_id, in the order both statements below use. */
static void case_columns(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "seq, case_id, all_correct");

	for (int f = 0; f < FIELD_COUNT && n < size; f++) {
		const char *name = field_name((enum field)f);

		n += (size_t)snprintf(buf + n, size - n, ", %s_value, %s_tier, %s_confidence, "
				      "%s_correct", name, name, name, name);
	}
	if (n < size)
		snprintf(buf + n, size - n, ", regex_ns, rules_ns, llm_ns, total_ns, cache_hit, "
			 "llm_called, error, cache_ns, failed_tiers, llm_status, llm_lost, "
			 "llm_prompt_tokens, llm_completion_tokens, llm_attempts, llm_error, "
			 "rules_backend");
}

#define CASE_COLUMN_COUNT (3 + 4 * FIELD_COUNT + 16)

static int prepare_insert(struct history *h)
{
	char columns[1536];
	char sql[2048];
	size_t n;

	case_columns(columns, sizeof columns);
	n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO cases (run_id, %s) VALUES (?", columns);
	for (int i = 0; i < CASE_COLUMN_COUNT && n < sizeof sql; i++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, ", ?");
	if (n < sizeof sql)
		snprintf(sql + n, sizeof sql - n, ")");
	return sqlite3_prepare_v3(h->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &h->insert_case,
				  NULL) == SQLITE_OK ? 0 : -1;
}

static void bind_attendees(sqlite3_stmt *stmt, int column, const struct event *ev)
{
	json_t *list = json_array();
	char *text;

	for (int i = 0; i < ev->attendee_count; i++)
		json_array_append_new(list, json_string(ev->attendees[i]));
	text = json_dumps(list, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(list);
	if (text)
		sqlite3_bind_text(stmt, column, text, -1, free);
	else
		sqlite3_bind_null(stmt, column);
}

static void bind_value(sqlite3_stmt *stmt, int column, const struct event *ev, enum field f)
{
	char when[48];

	if (!event_has(ev, f)) {
		sqlite3_bind_null(stmt, column);
		return;
	}
	switch (f) {
	case FIELD_TITLE:
		sqlite3_bind_text(stmt, column, ev->title, -1, SQLITE_TRANSIENT);
		break;
	case FIELD_START:
	case FIELD_END:
		when_format(f == FIELD_START ? &ev->start : &ev->end, when, sizeof when);
		sqlite3_bind_text(stmt, column, when, -1, SQLITE_TRANSIENT);
		break;
	case FIELD_DURATION:
		sqlite3_bind_int(stmt, column, ev->duration_min);
		break;
	case FIELD_ALL_DAY:
		sqlite3_bind_int(stmt, column, ev->all_day);
		break;
	case FIELD_LOCATION:
		sqlite3_bind_text(stmt, column, ev->location, -1, SQLITE_TRANSIENT);
		break;
	case FIELD_ATTENDEES:
		bind_attendees(stmt, column, ev);
		break;
	case FIELD_RECURRENCE:
		sqlite3_bind_text(stmt, column, ev->recurrence, -1, SQLITE_TRANSIENT);
		break;
	case FIELD_COUNT:
		sqlite3_bind_null(stmt, column);
		break;
	}
}

static void bind_text_or_null(sqlite3_stmt *stmt, int column, const char *text)
{
	if (text[0])
		sqlite3_bind_text(stmt, column, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, column);
}

static void bind_count_or_null(sqlite3_stmt *stmt, int column, int count)
{
	if (count < 0)
		sqlite3_bind_null(stmt, column);
	else
		sqlite3_bind_int(stmt, column, count);
}

/* Binds the LLM columns from `column` on; NULL where the tier was not
 * called, so "not called" and "called, no figure" stay apart. */
static void bind_llm(sqlite3_stmt *stmt, int column, const struct case_record *c)
{
	bool called = c->llm_status[0] != '\0';

	bind_text_or_null(stmt, column, c->llm_status);
	sqlite3_bind_int(stmt, column + 1, (int)c->llm_lost);
	bind_count_or_null(stmt, column + 2, called ? c->llm_prompt_tokens : -1);
	bind_count_or_null(stmt, column + 3, called ? c->llm_completion_tokens : -1);
	bind_count_or_null(stmt, column + 4, called ? c->llm_attempts : -1);
	bind_text_or_null(stmt, column + 5, c->llm_error);
}

int history_insert_case(struct history *h, int64_t run_id, const struct case_record *c)
{
	sqlite3_stmt *stmt;
	int col = 1;
	int rc;

	if (!h->insert_case && prepare_insert(h) < 0)
		return -1;
	stmt = h->insert_case;
	sqlite3_bind_int64(stmt, col++, run_id);
	sqlite3_bind_int64(stmt, col++, c->seq);
	sqlite3_bind_text(stmt, col++, c->case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, col++, c->all_correct);
	for (int f = 0; f < FIELD_COUNT; f++) {
		const struct event *ev = &c->prediction;

		bind_value(stmt, col++, ev, (enum field)f);
		if (ev->tier[f] == TIER_NONE) {
			sqlite3_bind_null(stmt, col++);
			sqlite3_bind_null(stmt, col++);
		} else {
			sqlite3_bind_text(stmt, col++, tier_name(ev->tier[f]), -1, SQLITE_STATIC);
			sqlite3_bind_double(stmt, col++, ev->confidence[f]);
		}
		if ((c->expected >> f) & 1u)
			sqlite3_bind_int(stmt, col++, (c->correct >> f) & 1u);
		else
			sqlite3_bind_null(stmt, col++);
	}
	for (int t = 0; t < TIER_COUNT; t++) {
		if (c->tier_ns[t] < 0)
			sqlite3_bind_null(stmt, col++);
		else
			sqlite3_bind_int64(stmt, col++, c->tier_ns[t]);
	}
	sqlite3_bind_int64(stmt, col++, c->total_ns);
	sqlite3_bind_int(stmt, col++, c->cache_hit);
	sqlite3_bind_int(stmt, col++, c->llm_called);
	if (c->error[0])
		sqlite3_bind_text(stmt, col++, c->error, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, col++);
	if (c->cache_ns < 0)
		sqlite3_bind_null(stmt, col++);
	else
		sqlite3_bind_int64(stmt, col++, c->cache_ns);
	sqlite3_bind_int(stmt, col++, (int)c->failed_tiers);
	bind_llm(stmt, col, c);
	col += 6;
	bind_text_or_null(stmt, col, c->rules_backend);

	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void read_attendees(sqlite3_stmt *stmt, int column, struct event *ev)
{
	const char *text = (const char *)sqlite3_column_text(stmt, column);
	json_t *list = text ? json_loads(text, 0, NULL) : NULL;
	size_t i;
	json_t *name;

	json_array_foreach(list, i, name)
		if (json_is_string(name))
			event_add_attendee(ev, json_string_value(name), json_string_length(name));
	json_decref(list);
}

static void read_value(sqlite3_stmt *stmt, int column, struct event *ev, enum field f)
{
	const char *text = (const char *)sqlite3_column_text(stmt, column);

	if (sqlite3_column_type(stmt, column) == SQLITE_NULL)
		return;
	switch (f) {
	case FIELD_TITLE:
		event_copy_text(ev->title, sizeof ev->title, text, strlen(text));
		break;
	case FIELD_START:
		if (!when_parse(text, &ev->start))
			return;
		break;
	case FIELD_END:
		if (!when_parse(text, &ev->end))
			return;
		break;
	case FIELD_DURATION:
		ev->duration_min = sqlite3_column_int(stmt, column);
		break;
	case FIELD_ALL_DAY:
		ev->all_day = sqlite3_column_int(stmt, column) != 0;
		break;
	case FIELD_LOCATION:
		event_copy_text(ev->location, sizeof ev->location, text, strlen(text));
		break;
	case FIELD_ATTENDEES:
		read_attendees(stmt, column, ev);
		break;
	case FIELD_RECURRENCE:
		event_copy_text(ev->recurrence, sizeof ev->recurrence, text, strlen(text));
		break;
	case FIELD_COUNT:
		return;
	}
	event_set_has(ev, f, true);
}

static int column_count_or(sqlite3_stmt *stmt, int column, int absent)
{
	return sqlite3_column_type(stmt, column) == SQLITE_NULL ? absent :
	       sqlite3_column_int(stmt, column);
}

/* Reads the LLM columns from `column` on, as bind_llm wrote them. */
static void read_llm(sqlite3_stmt *stmt, int column, struct case_record *out)
{
	const char *status = (const char *)sqlite3_column_text(stmt, column);
	const char *error = (const char *)sqlite3_column_text(stmt, column + 5);

	snprintf(out->llm_status, sizeof out->llm_status, "%s", status ? status : "");
	out->llm_lost = (unsigned)sqlite3_column_int(stmt, column + 1);
	out->llm_prompt_tokens = column_count_or(stmt, column + 2, -1);
	out->llm_completion_tokens = column_count_or(stmt, column + 3, -1);
	out->llm_attempts = column_count_or(stmt, column + 4, 0);
	snprintf(out->llm_error, sizeof out->llm_error, "%s", error ? error : "");
}

static void read_case_row(sqlite3_stmt *stmt, struct case_record *out)
{
	struct event *ev = &out->prediction;
	const char *text;
	int col = 0;

	memset(out, 0, sizeof *out);
	event_init(ev);
	out->seq = sqlite3_column_int64(stmt, col++);
	text = (const char *)sqlite3_column_text(stmt, col++);
	snprintf(out->case_id, sizeof out->case_id, "%s", text ? text : "");
	out->all_correct = sqlite3_column_int(stmt, col++) != 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		read_value(stmt, col++, ev, (enum field)f);
		text = (const char *)sqlite3_column_text(stmt, col++);
		ev->tier[f] = text ? (enum tier)tier_from_name(text) : TIER_NONE;
		ev->confidence[f] = (float)sqlite3_column_double(stmt, col++);
		if (sqlite3_column_type(stmt, col) != SQLITE_NULL) {
			out->expected |= 1u << f;
			if (sqlite3_column_int(stmt, col))
				out->correct |= 1u << f;
		}
		col++;
	}
	for (int t = 0; t < TIER_COUNT; t++, col++)
		out->tier_ns[t] = sqlite3_column_type(stmt, col) == SQLITE_NULL ? -1 :
				  sqlite3_column_int64(stmt, col);
	out->total_ns = sqlite3_column_int64(stmt, col++);
	out->cache_hit = sqlite3_column_int(stmt, col++) != 0;
	out->llm_called = sqlite3_column_int(stmt, col++) != 0;
	text = (const char *)sqlite3_column_text(stmt, col++);
	snprintf(out->error, sizeof out->error, "%s", text ? text : "");
	out->cache_ns = sqlite3_column_type(stmt, col) == SQLITE_NULL ? -1 :
			sqlite3_column_int64(stmt, col);
	col++;
	out->failed_tiers = (unsigned)sqlite3_column_int(stmt, col++);
	read_llm(stmt, col, out);
	col += 6;
	text = (const char *)sqlite3_column_text(stmt, col);
	snprintf(out->rules_backend, sizeof out->rules_backend, "%s", text ? text : "");
}

int history_read_cases(struct history *h, int64_t run_id, int64_t after_seq, size_t max,
		       struct case_record *out, size_t *count, char *err, size_t err_size)
{
	char columns[1536];
	char sql[2048];
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE;

	*count = 0;
	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	case_columns(columns, sizeof columns);
	snprintf(sql, sizeof sql, "SELECT %s FROM cases WHERE run_id = ? AND seq > ? ORDER BY seq "
		 "LIMIT ?", columns);
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "reading cases", err, err_size);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_int64(stmt, 2, after_seq);
	sqlite3_bind_int64(stmt, 3, (int64_t)max);
	while (*count < max && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		read_case_row(stmt, &out[(*count)++]);
	if (*count < max && rc != SQLITE_DONE) {
		history_fail(h, "reading cases", err, err_size);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}
