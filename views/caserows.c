/*
 * Reading case rows from the history in batches of CASEROWS_BATCH rows per
 * history_read_cases call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/llm_outcome.h"
#include "views/caserows.h"

#define CASEROWS_BATCH 256

void caserows_init(struct caserows *rows)
{
	memset(rows, 0, sizeof *rows);
	rows->last_seq = -1;
}

void caserows_reset(struct caserows *rows)
{
	for (size_t i = 0; i < rows->count; i++)
		free(rows->rows[i].case_id);
	rows->count = 0;
	rows->last_seq = -1;
}

void caserows_free(struct caserows *rows)
{
	caserows_reset(rows);
	free(rows->rows);
	caserows_init(rows);
}

/* FNV-1a, 64-bit: a cheap fingerprint, enough to tell that two runs gave
 * a case different values (a collision only hides one change). */
static uint64_t hash_bytes(uint64_t hash, const char *bytes, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		hash ^= (unsigned char)bytes[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

static uint64_t hash_prediction(const struct event *ev)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	char value[1024];

	for (int f = 0; f < FIELD_COUNT; f++) {
		size_t n = event_format_field(ev, (enum field)f, value, sizeof value);

		hash = hash_bytes(hash, value, n);
		hash = hash_bytes(hash, "\x1f", 1);
	}
	return hash;
}

static int fill_row(struct caserow *row, const struct case_record *record)
{
	memset(row, 0, sizeof *row);
	row->case_id = strdup(record->case_id);
	if (!row->case_id)
		return -1;
	row->seq = record->seq;
	row->expected = record->expected;
	row->correct = record->correct;
	row->all_correct = record->all_correct;
	row->cache_hit = record->cache_hit;
	row->llm_called = record->llm_called;
	row->failed = record->error[0] != '\0';
	row->failed_tiers = (unsigned char)record->failed_tiers;
	row->llm_outcome = (unsigned char)llm_outcome_from_name(record->llm_status);
	row->llm_lost = (unsigned char)record->llm_lost;
	row->cache_ns = record->cache_ns;
	for (int f = 0; f < FIELD_COUNT; f++) {
		row->field_tier[f] = (signed char)record->prediction.tier[f];
		if (event_has(&record->prediction, (enum field)f))
			row->valued |= (unsigned char)(1u << f);
	}
	for (int t = 0; t < TIER_COUNT; t++)
		row->tier_ns[t] = record->tier_ns[t];
	row->total_ns = record->total_ns;
	row->prediction_hash = hash_prediction(&record->prediction);
	return 0;
}

static int reserve(struct caserows *rows, size_t extra)
{
	size_t need = rows->count + extra;
	size_t capacity = rows->capacity ? rows->capacity : 1024;
	struct caserow *grown;

	if (need <= rows->capacity)
		return 0;
	while (capacity < need)
		capacity *= 2;
	grown = realloc(rows->rows, capacity * sizeof *grown);
	if (!grown)
		return -1;
	rows->rows = grown;
	rows->capacity = capacity;
	return 0;
}

long caserows_poll(struct caserows *rows, struct history *history, int64_t run_id,
		   size_t max_rows, char *err, size_t err_size)
{
	struct case_record *batch = malloc(CASEROWS_BATCH * sizeof *batch);
	long added = 0;

	if (!batch) {
		snprintf(err, err_size, "out of memory reading case rows of run %lld",
			 (long long)run_id);
		return -1;
	}
	while ((size_t)added < max_rows) {
		size_t got = 0;

		if (history_read_cases(history, run_id, rows->last_seq, CASEROWS_BATCH, batch, &got,
				       err, err_size) != 0) {
			free(batch);
			return -1;
		}
		if (reserve(rows, got) != 0) {
			snprintf(err, err_size, "out of memory keeping %zu case rows of run %lld",
				 rows->count + got, (long long)run_id);
			free(batch);
			return -1;
		}
		for (size_t i = 0; i < got; i++) {
			if (fill_row(&rows->rows[rows->count], &batch[i]) != 0) {
				snprintf(err, err_size, "out of memory keeping case rows of run %lld",
					 (long long)run_id);
				free(batch);
				return -1;
			}
			rows->count++;
			rows->last_seq = batch[i].seq;
			added++;
		}
		if (got < CASEROWS_BATCH)
			break;
	}
	free(batch);
	return added;
}

const struct caserow *caserows_find(const struct caserows *rows, int64_t seq)
{
	size_t low = 0;
	size_t high = rows->count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (rows->rows[mid].seq == seq)
			return &rows->rows[mid];
		if (rows->rows[mid].seq < seq)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

int caserows_read_record(struct history *history, int64_t run_id, int64_t seq,
			 struct case_record *out, char *err, size_t err_size)
{
	size_t got = 0;

	if (history_read_cases(history, run_id, seq - 1, 1, out, &got, err, err_size) != 0)
		return -1;
	return got == 1 && out->seq == seq ? 0 : 1;
}
