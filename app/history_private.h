/*
 * The history handle, shared by history.c (opening, schema, runs),
 * history_cases.c (case rows) and history_exchanges.c (recorded LLM
 * exchanges). Not for use outside the history module.
 */
#ifndef CALTUNE_HISTORY_PRIVATE_H
#define CALTUNE_HISTORY_PRIVATE_H

#include <sqlite3.h>
#include <sys/stat.h>

#include "app/history.h"

struct history {
	sqlite3 *db;
	char *path;
	bool readonly;
	/* A read-only handle opened while no writer had the WAL files: SQLite
	 * reads the database file alone, without locks (history_reader.c). */
	bool immutable;
	struct stat opened_as;           /* the database file when `immutable` was opened */
	char host[64];
	/* Prepared once on first use and reused for every batch; NULL until
	 * then. */
	sqlite3_stmt *insert_case;
	sqlite3_stmt *update_progress;
};

/* Writes "history database PATH: what: SQLite's message" into err. */
void history_fail(const struct history *h, const char *what, char *err, size_t err_size);

int64_t history_now_ms(void);

/* Opens h->db read-only without creating or writing a file: through the
 * WAL files when a writer keeps them, else as an immutable file. Returns
 * 0, or -1 with a message naming the file and the fix. */
int history_reader_connect(struct history *h, char *err, size_t err_size);

/* Before a read on a read-only handle: reconnects an immutable handle once
 * a writer appears (its WAL files exist) or the file changed, so the read
 * sees every commit. A no-op on a writable handle. */
int history_reader_refresh(struct history *h, char *err, size_t err_size);

/* Writes "history database PATH: what failed: SQLite's message: fix" for
 * a failed read, telling an unreadable file or folder from a damaged one. */
void history_read_failure(const struct history *h, const char *what, char *err,
			  size_t err_size);

/* Inserts one case row through the prepared statement, preparing it on
 * first use. Returns 0, or -1 with SQLite's error on the handle. */
int history_insert_case(struct history *h, int64_t run_id, const struct case_record *c);

#endif
