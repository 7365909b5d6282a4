/*
 * Compact rows of one run's cases, read from the history database in seq
 * order. A history case_record carries every field's text (about 2 KB).
 * A row keeps only what the Dashboard and the Cases view need, 88 bytes on
 * x86-64 plus the case id, so a run of 100 000 cases fits in about 10 MB.
 * The full record of one case is read again on demand.
 *
 * Ownership: the caserows owns its array and every case_id string;
 * caserows_free releases them.
 */
#ifndef CALTUNE_VIEWS_CASEROWS_H
#define CALTUNE_VIEWS_CASEROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/history.h"
#include "engine/event.h"

_Static_assert(FIELD_COUNT <= 8, "caserow.llm_lost keeps one bit per field in a byte");
_Static_assert(TIER_COUNT <= 8, "caserow.failed_tiers keeps one bit per tier in a byte");
_Static_assert(FIELD_COUNT <= 8, "caserow.valued keeps one bit per field in a byte");

struct caserow {
	int64_t seq;
	char *case_id;                       /* owned by the caserows */
	unsigned expected;                   /* fields the case labels */
	unsigned correct;                    /* of those, the fields predicted right */
	bool all_correct;
	bool cache_hit;
	bool llm_called;
	bool failed;                         /* the record carries an error */
	unsigned char failed_tiers;          /* bit (1u << tier) for each tier that failed */
	unsigned char llm_outcome;           /* enum llm_outcome of the LLM call */
	unsigned char llm_lost;              /* bit per field the LLM was asked for and lost */
	signed char field_tier[FIELD_COUNT]; /* tier that set each final field */
	unsigned char valued;                /* bit per field whose final value is not empty */
	int64_t tier_ns[TIER_COUNT];         /* -1 when the tier was not called */
	int64_t total_ns;
	int64_t cache_ns;                    /* cache lookup time; -1 when the cache is off */
	uint64_t prediction_hash;            /* of every predicted value, to spot changes */
};

struct caserows {
	struct caserow *rows;
	size_t count;
	size_t capacity;
	int64_t last_seq;                    /* -1 before the first row */
};

void caserows_init(struct caserows *rows);
void caserows_free(struct caserows *rows);

/* Drops every row, keeping the allocation. */
void caserows_reset(struct caserows *rows);

/* Appends the rows of run_id recorded after last_seq, at most max_rows of
 * them per call so a long run is caught up over several calls. Returns the
 * rows added (0 when caught up), or -1 with a message in err. */
long caserows_poll(struct caserows *rows, struct history *history, int64_t run_id,
		   size_t max_rows, char *err, size_t err_size);

/* The row with this seq, or NULL. Rows are in seq order. */
const struct caserow *caserows_find(const struct caserows *rows, int64_t seq);

/* Reads the full record of one case. Returns 0, 1 when the run has no such
 * case, or -1 with a message in err. */
int caserows_read_record(struct history *history, int64_t run_id, int64_t seq,
			 struct case_record *out, char *err, size_t err_size);

#endif
