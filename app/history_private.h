/*
 * The history handle, shared by history.c (opening, schema, runs),
 * history_cases.c (case rows) and history_exchanges.c (recorded LLM
 * exchanges). Not for use outside the history module.
 */
#ifndef CALTUNE_HISTORY_PRIVATE_H
#define CALTUNE_HISTORY_PRIVATE_H

#include <sqlite3.h>

#include "app/history.h"

struct history {
	sqlite3 *db;
	char *path;
	bool readonly;
	char host[64];
	/* Prepared once on first use and reused for every batch; NULL until
	 * then. */
	sqlite3_stmt *insert_case;
	sqlite3_stmt *update_progress;
};

/* Writes "history database PATH: what: SQLite's message" into err. */
void history_fail(const struct history *h, const char *what, char *err, size_t err_size);

int64_t history_now_ms(void);

/* Inserts one case row through the prepared statement, preparing it on
 * first use. Returns 0, or -1 with SQLite's error on the handle. */
int history_insert_case(struct history *h, int64_t run_id, const struct case_record *c);

#endif
