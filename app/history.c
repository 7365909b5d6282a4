/*
 * Opening the history database, its schema migrations, and the run rows.
 *
 * Before SQLite writes anything, the file is checked: its first 16 bytes
 * must be the SQLite header, its schema must be readable, and a database
 * without our schema version must hold no tables of its own. So a file
 * that belongs to something else is reported and left as it was.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/history_private.h"

/* migrations[v] brings a database from schema version v to v + 1, so a
 * version 2 appends one step (such as an ALTER TABLE) and raises
 * HISTORY_SCHEMA_VERSION. A step, once released, never changes. */
static const char *const migrations[] = {
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" started_ms INTEGER NOT NULL,"
	" finished_ms INTEGER NOT NULL DEFAULT 0,"
	" heartbeat_ms INTEGER NOT NULL,"
	" cancelled INTEGER NOT NULL DEFAULT 0,"
	" preset TEXT NOT NULL,"
	" mode TEXT NOT NULL,"
	" corpus TEXT NOT NULL,"
	" corpus_sha256 TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" settings_json TEXT NOT NULL,"
	" cases_total INTEGER NOT NULL,"
	" cases_done INTEGER NOT NULL DEFAULT 0,"
	" cases_correct INTEGER NOT NULL DEFAULT 0,"
	" errors INTEGER NOT NULL DEFAULT 0,"
	" wall_ms REAL NOT NULL DEFAULT 0,"
	" p95_us REAL NOT NULL DEFAULT 0,"
	" summary_json TEXT,"
	" pid INTEGER NOT NULL,"
	" host TEXT NOT NULL);"
	"CREATE TABLE cases ("
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" seq INTEGER NOT NULL,"
	" case_id TEXT NOT NULL,"
	" all_correct INTEGER NOT NULL,"
	" title_value TEXT, title_tier TEXT, title_confidence REAL, title_correct INTEGER,"
	" start_value TEXT, start_tier TEXT, start_confidence REAL, start_correct INTEGER,"
	" end_value TEXT, end_tier TEXT, end_confidence REAL, end_correct INTEGER,"
	" duration_min_value INTEGER, duration_min_tier TEXT, duration_min_confidence REAL,"
	" duration_min_correct INTEGER,"
	" all_day_value INTEGER, all_day_tier TEXT, all_day_confidence REAL,"
	" all_day_correct INTEGER,"
	" location_value TEXT, location_tier TEXT, location_confidence REAL,"
	" location_correct INTEGER,"
	" attendees_value TEXT, attendees_tier TEXT, attendees_confidence REAL,"
	" attendees_correct INTEGER,"
	" recurrence_value TEXT, recurrence_tier TEXT, recurrence_confidence REAL,"
	" recurrence_correct INTEGER,"
	" regex_ns INTEGER, rules_ns INTEGER, llm_ns INTEGER, total_ns INTEGER NOT NULL,"
	" cache_hit INTEGER NOT NULL, llm_called INTEGER NOT NULL, error TEXT,"
	" PRIMARY KEY (run_id, seq)) WITHOUT ROWID;",
	/* 2: the cache lookup's own time, and which tiers failed, per case. */
	"ALTER TABLE cases ADD COLUMN cache_ns INTEGER;"
	"ALTER TABLE cases ADD COLUMN failed_tiers INTEGER NOT NULL DEFAULT 0;",
	/* 3: the LLM tier. A table of recorded exchanges for record and replay,
	 * found by the SHA-256 of their request key, where the newest wins. Each
	 * case gets its LLM outcome, and each run the LLM state that its
	 * heartbeat refreshes. */
	"CREATE TABLE llm_exchanges ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" key_sha256 TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" backend TEXT NOT NULL,"
	" model TEXT NOT NULL,"
	" answer TEXT NOT NULL,"
	" latency_ns INTEGER NOT NULL,"
	" prompt_tokens INTEGER,"
	" completion_tokens INTEGER,"
	" recorded_ms INTEGER NOT NULL);"
	"CREATE INDEX llm_exchanges_key ON llm_exchanges (key_sha256);"
	"ALTER TABLE cases ADD COLUMN llm_status TEXT;"
	"ALTER TABLE cases ADD COLUMN llm_lost INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN llm_prompt_tokens INTEGER;"
	"ALTER TABLE cases ADD COLUMN llm_completion_tokens INTEGER;"
	"ALTER TABLE cases ADD COLUMN llm_attempts INTEGER;"
	"ALTER TABLE cases ADD COLUMN llm_error TEXT;"
	"ALTER TABLE runs ADD COLUMN llm_state TEXT;"
	"ALTER TABLE runs ADD COLUMN llm_in_flight INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN llm_retries INTEGER NOT NULL DEFAULT 0;",
	/* 4: which backend ran tier 2 for each case (builtin or duckling). */
	"ALTER TABLE cases ADD COLUMN rules_backend TEXT;",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == HISTORY_SCHEMA_VERSION,
	       "each schema version needs exactly one migration step");

static const char run_columns[] =
	"id, started_ms, finished_ms, heartbeat_ms, cancelled, preset, mode, corpus,"
	" corpus_sha256, version, settings_json, cases_total, cases_done, cases_correct,"
	" errors, wall_ms, p95_us, summary_json, pid, host, llm_state, llm_in_flight, llm_retries";

int64_t history_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *history_path(const struct history *h)
{
	return h->path;
}

const char *history_state_name(enum run_state state)
{
	switch (state) {
	case RUN_RUNNING:
		return "running";
	case RUN_COMPLETE:
		return "complete";
	case RUN_INCOMPLETE:
		return "incomplete";
	}
	return "unknown";
}

/* The next step for the operator, by SQLite's primary result code. */
static const char *fix_for(int code)
{
	switch (code & 0xFF) {
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return "check that the file and its folder are writable, or pass --db with another "
		       "path";
	case SQLITE_FULL:
		return "free disk space and run again";
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "another process holds the database locked; retry when it is done";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return "move the file away (caltune never overwrites it) and run again, or pass "
		       "--db with another path";
	default:
		return "pass --db with another path if it persists";
	}
}

void history_fail(const struct history *h, const char *what, char *err, size_t err_size)
{
	int code = sqlite3_extended_errcode(h->db);

	snprintf(err, err_size, "history database %s: %s failed: %s: %s", h->path, what,
		 sqlite3_errmsg(h->db), fix_for(code));
}

static int exec(struct history *h, const char *sql, const char *what, char *err,
		size_t err_size)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		history_fail(h, what, err, err_size);
		return -1;
	}
	return 0;
}

/* Runs a query whose first row's first column is an integer. */
static int query_int(struct history *h, const char *sql, int64_t *out)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Creates every missing folder above path. */
static int make_parent_folders(const char *path, char *err, size_t err_size)
{
	char buf[4096];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		snprintf(err, err_size, "history database path is longer than %zu bytes: %.64s...",
			 sizeof buf - 1, path);
		return -1;
	}
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			snprintf(err, err_size, "cannot create folder %s for the history database: %s: "
				 "pass --db with a writable path", buf, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* The folder part of path, "." when it has none. */
static void folder_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, size, ".");
	else if (slash == path)
		snprintf(out, size, "/");
	else
		snprintf(out, size, "%.*s", (int)(slash - path), path);
}

/* Checks that a writer can use path-suffix, one of the WAL files, when it
 * exists. One left by another user (readers of older caltune versions
 * created them) is not writable, and SQLite's own error would only be
 * "attempt to write a readonly database". */
static int check_wal_file(const char *path, const char *suffix, char *err, size_t err_size)
{
	char name[4096 + 8];
	struct stat st;
	struct passwd *owner;

	snprintf(name, sizeof name, "%s%s", path, suffix);
	if (stat(name, &st) != 0 || access(name, W_OK) == 0)
		return 0;
	owner = getpwuid(st.st_uid);
	snprintf(err, err_size, "%s, a file of history database %s, belongs to %s%s%u and is not "
		 "writable by you, so no run can be recorded: have its owner or root make it "
		 "writable for you (chmod or chown). Do not delete it while it may hold the newest "
		 "runs. caltune history and --readonly can still read the database", name, path,
		 owner ? owner->pw_name : "", owner ? " (uid " : "uid ", (unsigned)st.st_uid);
	if (owner)
		snprintf(err + strlen(err), err_size - strlen(err), ")");
	return -1;
}

/* Checks that a writer can record in an existing database: the file, the
 * WAL files beside it, and the folder SQLite creates those in. Root passes
 * every access() check, so this only catches other users' files. */
static int check_writable(const char *path, char *err, size_t err_size)
{
	char folder[4096];
	char wal[4096 + 8];
	char shm[4096 + 8];

	if (access(path, W_OK) != 0) {
		snprintf(err, err_size, "history database %s is not writable by you (%s), so no run "
			 "can be recorded in it: pass --db with a writable path; caltune history and "
			 "--readonly can still read it", path, strerror(errno));
		return -1;
	}
	if (check_wal_file(path, "-wal", err, err_size) < 0 ||
	    check_wal_file(path, "-shm", err, err_size) < 0)
		return -1;
	/* The folder matters only when SQLite has a WAL file to create. */
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	folder_of(path, folder, sizeof folder);
	if ((access(wal, F_OK) != 0 || access(shm, F_OK) != 0) && access(folder, W_OK) != 0) {
		snprintf(err, err_size, "folder %s of history database %s is not writable by you (%s), "
			 "and recording a run creates the files %s-wal and %s-shm there (SQLite's "
			 "write-ahead log): make the folder writable or pass --db with a path in a "
			 "writable folder; caltune history and --readonly can still read the database",
			 folder, path, strerror(errno), path, path);
		return -1;
	}
	return 0;
}

/* Checks what is at path before SQLite touches it. */
static int check_file(const char *path, bool readonly, char *err, size_t err_size)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno != ENOENT) {
			snprintf(err, err_size, "cannot open history database %s: %s: pass --db with "
				 "another path", path, strerror(errno));
			return -1;
		}
		if (readonly) {
			snprintf(err, err_size, "no history database at %s: record a run first with "
				 "caltune run --corpus FILE", path);
			return -1;
		}
		return make_parent_folders(path, err, err_size);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "%s is not a regular file, so it cannot be a history "
			 "database: pass --db with a file path", path);
		return -1;
	}
	if (st.st_size == 0 && readonly) {
		snprintf(err, err_size, "history database %s is an empty file (0 bytes) with no runs "
			 "yet: record one with caltune run --corpus FILE", path);
		return -1;
	}
	if (!readonly && check_writable(path, err, err_size) < 0)
		return -1;
	return 0;
}

/* Whether the opened file starts with SQLite's header, read through
 * SQLite's own file handle. Opening the file a second time with fopen
 * would be wrong: closing that descriptor drops every POSIX lock this
 * process holds on the file, including those of other open connections,
 * and another process could then delete the WAL under them. An empty or
 * unreadable file passes, so SQLite itself decides. */
static bool has_sqlite_header(struct history *h)
{
	static const char header[16] = "SQLite format 3";   /* with its NUL */
	sqlite3_file *file = NULL;
	char head[16] = { 0 };
	int rc;

	if (sqlite3_file_control(h->db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
	    !file || !file->pMethods)
		return true;
	/* A short read fills the rest with zeros, so a file shorter than the
	 * header still compares, and an empty one reads as all zeros. */
	rc = file->pMethods->xRead(file, head, sizeof head, 0);
	if (rc != SQLITE_OK && (rc != SQLITE_IOERR_SHORT_READ || head[0] == '\0'))
		return true;
	return memcmp(head, header, sizeof header) == 0;
}

/* Brings the schema to HISTORY_SCHEMA_VERSION in one transaction. */
static int migrate(struct history *h, char *err, size_t err_size)
{
	int64_t version = 0;
	char sql[64];

	if (exec(h, "BEGIN IMMEDIATE", "starting the schema migration", err, err_size) < 0)
		return -1;
	/* Another process may have migrated between our check and the lock. */
	if (query_int(h, "PRAGMA user_version", &version) < 0) {
		history_fail(h, "reading the schema version", err, err_size);
		goto fail;
	}
	for (int64_t v = version; v < HISTORY_SCHEMA_VERSION; v++) {
		char what[64];

		snprintf(what, sizeof what, "migrating the schema to version %lld", (long long)v + 1);
		if (exec(h, migrations[v], what, err, err_size) < 0)
			goto fail;
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", HISTORY_SCHEMA_VERSION);
	if (exec(h, sql, "recording the schema version", err, err_size) < 0 ||
	    exec(h, "COMMIT", "committing the schema migration", err, err_size) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Reads the schema version and rejects databases that are corrupt, newer
 * than this program, or another program's. */
static int check_schema(struct history *h, int64_t *version, char *err, size_t err_size)
{
	int64_t tables = 0;
	sqlite3_stmt *stmt;

	/* Reading sqlite_master makes SQLite parse the header and the schema,
	 * which reports a damaged file before anything is written. */
	if (query_int(h, "SELECT count(*) FROM sqlite_master", &tables) < 0 ||
	    query_int(h, "PRAGMA user_version", version) < 0) {
		history_read_failure(h, "reading its schema", err, err_size);
		return -1;
	}
	if (*version > HISTORY_SCHEMA_VERSION) {
		snprintf(err, err_size, "history database %s has schema version %lld, newer than the "
			 "version %d this caltune %s reads: upgrade caltune or pass --db with another "
			 "path", h->path, (long long)*version, HISTORY_SCHEMA_VERSION, CALTUNE_VERSION);
		return -1;
	}
	if (*version > 0)
		return 0;

	if (sqlite3_prepare_v2(h->db, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
			       "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' LIMIT 1", -1, &stmt,
			       NULL) != SQLITE_OK) {
		history_fail(h, "listing tables", err, err_size);
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(err, err_size, "%s is an SQLite database of another program (it has a table "
			 "\"%s\" and no caltune schema), so it was left untouched: pass --db with "
			 "another path", h->path, (const char *)sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

static int configure(struct history *h, char *err, size_t err_size)
{
	sqlite3_stmt *stmt;
	const char *mode = "";

	if (sqlite3_prepare_v2(h->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "switching to WAL mode", err, err_size);
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		mode = (const char *)sqlite3_column_text(stmt, 0);
	if (!mode || strcmp(mode, "wal") != 0) {
		snprintf(err, err_size, "history database %s: WAL mode is not available on its file "
			 "system (journal mode \"%s\"): pass --db with a path on a local disk", h->path,
			 mode ? mode : "");
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	/* In WAL mode, NORMAL keeps every commit through a process crash. A
	 * power loss or an operating system crash can roll back the last ones. */
	return exec(h, "PRAGMA synchronous = NORMAL", "setting synchronous mode", err, err_size);
}

int history_open(const char *path, bool readonly, struct history **out, char *err,
		 size_t err_size)
{
	struct history *h;
	int64_t version = 0;

	*out = NULL;
	if (check_file(path, readonly, err, err_size) < 0)
		return -1;
	h = calloc(1, sizeof *h);
	if (!h || !(h->path = strdup(path))) {
		free(h);
		snprintf(err, err_size, "out of memory opening history database %s", path);
		return -1;
	}
	h->readonly = readonly;
	if (gethostname(h->host, sizeof h->host) != 0)
		snprintf(h->host, sizeof h->host, "unknown");
	h->host[sizeof h->host - 1] = '\0';

	if (readonly) {
		if (history_reader_connect(h, err, err_size) < 0) {
			history_close(h);
			return -1;
		}
	} else if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				   SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, err_size, "cannot open history database %s: %s: %s", path,
			 h->db ? sqlite3_errmsg(h->db) : "out of memory",
			 fix_for(h->db ? sqlite3_errcode(h->db) : SQLITE_NOMEM));
		history_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h->db, 5000);

	if (!has_sqlite_header(h)) {
		snprintf(err, err_size, "%s is not an SQLite database, so it was left untouched: move "
			 "it away or pass --db with another path", path);
		goto fail;
	}
	if (check_schema(h, &version, err, err_size) < 0)
		goto fail;
	if (readonly) {
		if (version < HISTORY_SCHEMA_VERSION) {
			snprintf(err, err_size, "history database %s has no caltune history of schema "
				 "version %d (it has version %lld): record a run with caltune run, which "
				 "creates or migrates it", path, HISTORY_SCHEMA_VERSION, (long long)version);
			goto fail;
		}
	} else if (configure(h, err, err_size) < 0 ||
		   (version < HISTORY_SCHEMA_VERSION && migrate(h, err, err_size) < 0)) {
		goto fail;
	}
	*out = h;
	return 0;
fail:
	history_close(h);
	return -1;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	sqlite3_finalize(h->insert_case);
	sqlite3_finalize(h->update_progress);
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

static int need_writable(const struct history *h, char *err, size_t err_size)
{
	if (!h->readonly)
		return 0;
	snprintf(err, err_size, "history database %s is open read-only", h->path);
	return -1;
}

int history_begin_run(struct history *h, struct run_record *run, char *err, size_t err_size)
{
	static const char sql[] =
		"INSERT INTO runs (started_ms, heartbeat_ms, preset, mode, corpus, corpus_sha256,"
		" version, settings_json, cases_total, pid, host, llm_state)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int rc;

	if (need_writable(h, err, err_size) < 0)
		return -1;
	run->started_ms = history_now_ms();
	run->heartbeat_ms = run->started_ms;
	run->finished_ms = 0;
	run->pid = (int)getpid();
	snprintf(run->host, sizeof run->host, "%s", h->host);
	run->state = RUN_RUNNING;

	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "recording a new run", err, err_size);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, run->started_ms);
	sqlite3_bind_int64(stmt, 2, run->heartbeat_ms);
	sqlite3_bind_text(stmt, 3, run->preset, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, run->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, run->corpus, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, run->corpus_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, run->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, run->settings_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 9, run->cases_total);
	sqlite3_bind_int(stmt, 10, run->pid);
	sqlite3_bind_text(stmt, 11, run->host, -1, SQLITE_STATIC);
	if (run->llm_state[0])
		sqlite3_bind_text(stmt, 12, run->llm_state, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 12);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		history_fail(h, "recording a new run", err, err_size);
		return -1;
	}
	run->id = sqlite3_last_insert_rowid(h->db);
	return 0;
}

/* Writes a run's LLM figures; the caller reports a failure. */
static int store_llm_status(struct history *h, int64_t run_id,
			    const struct history_llm_status *llm)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(h->db, "UPDATE runs SET llm_state = ?, llm_in_flight = ?,"
			       " llm_retries = ? WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(stmt, 1, llm->state ? llm->state : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, llm->in_flight);
	sqlite3_bind_int64(stmt, 3, llm->retries);
	sqlite3_bind_int64(stmt, 4, run_id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int history_append_cases(struct history *h, int64_t run_id, const struct case_record *cases,
			 size_t count, const struct history_llm_status *llm, char *err,
			 size_t err_size)
{
	int64_t correct = 0;
	int64_t errors = 0;
	char what[96];

	if (need_writable(h, err, err_size) < 0)
		return -1;
	if (!h->update_progress &&
	    sqlite3_prepare_v2(h->db, "UPDATE runs SET cases_done = cases_done + ?, cases_correct ="
			       " cases_correct + ?, errors = errors + ?, heartbeat_ms = ? WHERE id = ?",
			       -1, &h->update_progress, NULL) != SQLITE_OK) {
		history_fail(h, "preparing the progress update", err, err_size);
		return -1;
	}
	if (exec(h, "BEGIN IMMEDIATE", "starting a batch", err, err_size) < 0)
		return -1;

	for (size_t i = 0; i < count; i++) {
		if (history_insert_case(h, run_id, &cases[i]) < 0) {
			snprintf(what, sizeof what, "recording case %lld of run %lld",
				 (long long)cases[i].seq, (long long)run_id);
			goto fail;
		}
		correct += cases[i].all_correct;
		errors += cases[i].error[0] != '\0';
	}

	sqlite3_bind_int64(h->update_progress, 1, (int64_t)count);
	sqlite3_bind_int64(h->update_progress, 2, correct);
	sqlite3_bind_int64(h->update_progress, 3, errors);
	sqlite3_bind_int64(h->update_progress, 4, history_now_ms());
	sqlite3_bind_int64(h->update_progress, 5, run_id);
	if (sqlite3_step(h->update_progress) != SQLITE_DONE) {
		snprintf(what, sizeof what, "updating the progress of run %lld", (long long)run_id);
		sqlite3_reset(h->update_progress);
		goto fail;
	}
	sqlite3_reset(h->update_progress);
	if (llm && store_llm_status(h, run_id, llm) < 0) {
		snprintf(what, sizeof what, "storing the LLM state of run %lld", (long long)run_id);
		goto fail;
	}
	if (sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(what, sizeof what, "committing a batch of run %lld", (long long)run_id);
		goto fail;
	}
	return 0;
fail:
	history_fail(h, what, err, err_size);
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Runs one UPDATE of a run row with an integer and the run id bound. */
static int update_run(struct history *h, const char *sql, int64_t value, int64_t run_id,
		      const char *what, char *err, size_t err_size)
{
	sqlite3_stmt *stmt;
	int rc;

	if (need_writable(h, err, err_size) < 0)
		return -1;
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, what, err, err_size);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, value);
	sqlite3_bind_int64(stmt, 2, run_id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		history_fail(h, what, err, err_size);
		return -1;
	}
	return 0;
}

int history_heartbeat(struct history *h, int64_t run_id, const struct history_llm_status *llm,
		      char *err, size_t err_size)
{
	if (update_run(h, "UPDATE runs SET heartbeat_ms = ? WHERE id = ?", history_now_ms(), run_id,
		       "refreshing the heartbeat", err, err_size) < 0)
		return -1;
	if (llm && store_llm_status(h, run_id, llm) < 0) {
		history_fail(h, "storing the LLM state", err, err_size);
		return -1;
	}
	return 0;
}

int history_mark_cancelled(struct history *h, int64_t run_id, char *err, size_t err_size)
{
	return update_run(h, "UPDATE runs SET cancelled = ? WHERE id = ?", 1, run_id,
			  "marking the run cancelled", err, err_size);
}

int history_finish_run(struct history *h, int64_t run_id, double wall_ms, double p95_us,
		       const char *summary_json, char *err, size_t err_size)
{
	static const char sql[] =
		"UPDATE runs SET finished_ms = ?, heartbeat_ms = ?, wall_ms = ?, p95_us = ?,"
		" summary_json = ? WHERE id = ?";
	int64_t now = history_now_ms();
	sqlite3_stmt *stmt;
	int rc;

	if (need_writable(h, err, err_size) < 0)
		return -1;
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "finishing the run", err, err_size);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_double(stmt, 3, wall_ms);
	sqlite3_bind_double(stmt, 4, p95_us);
	sqlite3_bind_text(stmt, 5, summary_json ? summary_json : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, run_id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		history_fail(h, "finishing the run", err, err_size);
		return -1;
	}
	return 0;
}

static bool pid_alive(int pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static void copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int column)
{
	const unsigned char *text = sqlite3_column_text(stmt, column);

	snprintf(dst, size, "%s", text ? (const char *)text : "");
}

/* Fills a run record from a row of run_columns. */
static void read_run_row(const struct history *h, sqlite3_stmt *stmt, struct run_record *r)
{
	const unsigned char *summary;
	int64_t now = history_now_ms();

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(stmt, 0);
	r->started_ms = sqlite3_column_int64(stmt, 1);
	r->finished_ms = sqlite3_column_int64(stmt, 2);
	r->heartbeat_ms = sqlite3_column_int64(stmt, 3);
	r->cancelled = sqlite3_column_int(stmt, 4) != 0;
	copy_text(r->preset, sizeof r->preset, stmt, 5);
	copy_text(r->mode, sizeof r->mode, stmt, 6);
	copy_text(r->corpus, sizeof r->corpus, stmt, 7);
	copy_text(r->corpus_sha256, sizeof r->corpus_sha256, stmt, 8);
	copy_text(r->version, sizeof r->version, stmt, 9);
	copy_text(r->settings_json, sizeof r->settings_json, stmt, 10);
	r->cases_total = sqlite3_column_int64(stmt, 11);
	r->cases_done = sqlite3_column_int64(stmt, 12);
	r->cases_correct = sqlite3_column_int64(stmt, 13);
	r->errors = sqlite3_column_int64(stmt, 14);
	r->wall_ms = sqlite3_column_double(stmt, 15);
	r->p95_us = sqlite3_column_double(stmt, 16);
	summary = sqlite3_column_text(stmt, 17);
	if (summary && (size_t)sqlite3_column_bytes(stmt, 17) < sizeof r->summary_json)
		memcpy(r->summary_json, summary, (size_t)sqlite3_column_bytes(stmt, 17) + 1);
	r->pid = sqlite3_column_int(stmt, 18);
	copy_text(r->host, sizeof r->host, stmt, 19);
	copy_text(r->llm_state, sizeof r->llm_state, stmt, 20);
	r->llm_in_flight = sqlite3_column_int(stmt, 21);
	r->llm_retries = sqlite3_column_int64(stmt, 22);

	r->accuracy = r->cases_done > 0 ? (double)r->cases_correct / (double)r->cases_done : -1.0;
	if (r->finished_ms > 0)
		r->state = RUN_COMPLETE;
	else if ((strcmp(r->host, h->host) == 0 && !pid_alive(r->pid)) ||
		 now - r->heartbeat_ms > (int64_t)HISTORY_STALE_SECONDS * 1000)
		r->state = RUN_INCOMPLETE;
	else
		r->state = RUN_RUNNING;
}

int history_list_runs(struct history *h, int limit, struct run_record **out, size_t *count,
		      char *err, size_t err_size)
{
	char sql[512];
	sqlite3_stmt *stmt;
	struct run_record *runs = NULL;
	size_t n = 0;
	size_t capacity = 0;
	int rc;

	*out = NULL;
	*count = 0;
	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	snprintf(sql, sizeof sql, "SELECT %s FROM runs ORDER BY id DESC LIMIT %d", run_columns,
		 limit > 0 ? limit : -1);
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "listing runs", err, err_size);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == capacity) {
			size_t grown = capacity ? capacity * 2 : 16;
			struct run_record *bigger = realloc(runs, grown * sizeof *runs);

			if (!bigger) {
				snprintf(err, err_size, "out of memory listing runs of %s", h->path);
				free(runs);
				sqlite3_finalize(stmt);
				return -1;
			}
			runs = bigger;
			capacity = grown;
		}
		read_run_row(h, stmt, &runs[n++]);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		history_fail(h, "listing runs", err, err_size);
		free(runs);
		return -1;
	}
	*out = runs;
	*count = n;
	return 0;
}

int history_get_run(struct history *h, int64_t id, struct run_record *out, char *err,
		    size_t err_size)
{
	char sql[512];
	sqlite3_stmt *stmt;
	int rc;

	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	snprintf(sql, sizeof sql, "SELECT %s FROM runs %s ORDER BY id DESC LIMIT 1", run_columns,
		 id > 0 ? "WHERE id = ?" : "");
	if (sqlite3_prepare_v2(h->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "reading a run", err, err_size);
		return -1;
	}
	if (id > 0)
		sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		read_run_row(h, stmt, out);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW) {
		history_fail(h, "reading a run", err, err_size);
		return -1;
	}
	return 0;
}

int history_latest_complete(struct history *h, int skip, int64_t *id, char *err,
			    size_t err_size)
{
	sqlite3_stmt *stmt;
	int rc;

	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	if (sqlite3_prepare_v2(h->db, "SELECT id FROM runs WHERE finished_ms > 0 AND cancelled = 0"
			       " ORDER BY id DESC LIMIT 1 OFFSET ?", -1, &stmt, NULL) != SQLITE_OK) {
		history_fail(h, "finding the latest complete run", err, err_size);
		return -1;
	}
	sqlite3_bind_int(stmt, 1, skip);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW) {
		history_fail(h, "finding the latest complete run", err, err_size);
		return -1;
	}
	return 0;
}

int history_get_summary(struct history *h, int64_t id, char **out, char *err, size_t err_size)
{
	sqlite3_stmt *stmt;
	const unsigned char *text;
	int rc;

	*out = NULL;
	if (history_reader_refresh(h, err, err_size) < 0)
		return -1;
	if (sqlite3_prepare_v2(h->db, "SELECT summary_json FROM runs WHERE id = ?", -1, &stmt,
			       NULL) != SQLITE_OK) {
		history_fail(h, "reading a run summary", err, err_size);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		text = sqlite3_column_text(stmt, 0);
		if (text && text[0] && !(*out = strdup((const char *)text))) {
			snprintf(err, err_size, "out of memory reading the summary of run %lld",
				 (long long)id);
			sqlite3_finalize(stmt);
			return -1;
		}
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW) {
		history_fail(h, "reading a run summary", err, err_size);
		return -1;
	}
	return 0;
}

int history_default_path(char *out, size_t size)
{
	const char *db = getenv("CALTUNE_DB");
	const char *data = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;

	if (db && db[0])
		n = snprintf(out, size, "%s", db);
	else if (data && data[0] == '/')   /* the XDG spec ignores relative values */
		n = snprintf(out, size, "%s/caltune/history.db", data);
	else if (home && home[0])
		n = snprintf(out, size, "%s/.local/share/caltune/history.db", home);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}
