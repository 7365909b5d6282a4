/*
 * Read-only handles on the history (caltune history and compare, the UI),
 * opened so that reading never creates a file beside the database. A file
 * created by a reader belongs to the reader's user, and its owner's next
 * run could not write it.
 *
 * In WAL mode SQLite keeps recent commits in DB-wal, with an index in
 * DB-shm, until a checkpoint copies them into the database file. Every
 * connection, SQLITE_OPEN_READONLY ones included, creates these two files
 * when they are missing. SQLite removes them when the last connection
 * closes (https://www.sqlite.org/wal.html, "Read-Only Databases" and
 * "Persistence of the WAL file"). So a read-only handle picks one of two
 * ways in:
 *
 *  - Both files exist: a writer is connected, or was until it died. The
 *    handle opens with mode=ro and takes part in the WAL's locks, which is
 *    the only way to see commits still in DB-wal. It writes nothing but
 *    its read mark into DB-shm, as every WAL reader must, and when DB-shm
 *    is not writable by this user SQLite keeps that index in memory
 *    instead (SQLite 3.22 and later).
 *  - Otherwise no writer is connected, and the database file contains
 *    every commit. The handle opens it with immutable=1, which creates no file
 *    and takes no lock, so it also works in a folder the reader cannot
 *    write. history_reader_refresh reopens such a handle before each read
 *    once the WAL files appear or the database file changes, so a
 *    long-lived reader (the UI) follows new runs.
 *
 * NOTE: an immutable handle takes no lock, so a read that is running while
 * a writer's first checkpoint copies pages into the file could see a torn
 * page and fail or return stale rows. A checkpoint needs about 1000 pages
 * of log, written after the reader's check, so reads of milliseconds
 * should not meet one; the next read reopens the handle either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/history_private.h"

/* Whether PATH-SUFFIX exists. */
static bool sibling_exists(const char *path, const char *suffix)
{
	char name[4096 + 8];
	struct stat st;

	if (snprintf(name, sizeof name, "%s%s", path, suffix) >= (int)sizeof name)
		return false;
	return stat(name, &st) == 0;
}

/* A "file:" URI for path with the given query, percent-encoding every
 * byte that is not unreserved or '/', so '?', '#' and '%' in a path stay
 * part of the name. The caller frees it with free(). */
static char *uri_for(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(path);
	char *uri = malloc(5 + 3 * len + strlen(query) + 2);
	char *p = uri;

	if (!uri)
		return NULL;
	memcpy(p, "file:", 5);
	p += 5;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 0xF];
		}
	}
	*p++ = '?';
	strcpy(p, query);
	return uri;
}

int history_reader_connect(struct history *h, char *err, size_t err_size)
{
	/* Both files, because a connection creates whichever one is missing. */
	bool writer_files = sibling_exists(h->path, "-wal") && sibling_exists(h->path, "-shm");
	char *uri = uri_for(h->path, writer_files ? "mode=ro" : "mode=ro&immutable=1");
	int rc;

	if (!uri) {
		snprintf(err, err_size, "out of memory opening history database %s", h->path);
		return -1;
	}
	/* Taken before the open, so a change made meanwhile shows at the next
	 * refresh. */
	if (stat(h->path, &h->opened_as) != 0)
		memset(&h->opened_as, 0, sizeof h->opened_as);
	rc = sqlite3_open_v2(uri, &h->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
			     SQLITE_OPEN_NOMUTEX, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		snprintf(err, err_size, "cannot open history database %s: %s: check that you may "
			 "read it and its folder, or pass --db with another path", h->path,
			 h->db ? sqlite3_errmsg(h->db) : "out of memory");
		sqlite3_close(h->db);
		h->db = NULL;
		return -1;
	}
	h->immutable = !writer_files;
	sqlite3_busy_timeout(h->db, 5000);
	return 0;
}

static bool same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int history_reader_refresh(struct history *h, char *err, size_t err_size)
{
	struct stat st;

	if (!h->readonly || !h->immutable)
		return 0;
	if (stat(h->path, &st) == 0 && same_file_state(&st, &h->opened_as) &&
	    !(sibling_exists(h->path, "-wal") && sibling_exists(h->path, "-shm")))
		return 0;
	sqlite3_close(h->db);
	h->db = NULL;
	return history_reader_connect(h, err, err_size);
}

static const char *file_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

void history_read_failure(const struct history *h, const char *what, char *err,
			  size_t err_size)
{
	int code = h->db ? sqlite3_extended_errcode(h->db) : SQLITE_NOMEM;
	const char *message = h->db ? sqlite3_errmsg(h->db) : "out of memory";

	switch (code & 0xFF) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		snprintf(err, err_size, "history database %s is damaged or not a database (%s), so "
			 "it was left untouched: move it away or pass --db with another path", h->path,
			 message);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_AUTH:
	case SQLITE_IOERR:
		snprintf(err, err_size, "cannot read history database %s: %s failed: %s: the file "
			 "is not damaged; check that you may read it, its folder and any %s-wal and "
			 "%s-shm beside it, or pass --db with another path", h->path, what, message,
			 file_name(h->path), file_name(h->path));
		break;
	default:
		history_fail(h, what, err, err_size);
		break;
	}
}
