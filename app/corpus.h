/*
 * The labelled corpus: a UTF-8 JSON Lines file, one case per line (format
 * version 1, described in corpora/README.md). A bad line is reported as
 * "file:line: message" through the caller's callback and skipped; the rest
 * of the file still loads.
 *
 * A line is bad when it is not UTF-8, not JSON or not an object. It is bad
 * when it lacks id, text, ref or expect, or has a value of the wrong type.
 * It is bad when it repeats an earlier id, or has a ref that is not a real
 * date and time, a tz not in the tz database or a locale other than en-US
 * and en-GB. It is bad when expect has an unknown key, a start or end not
 * in the corpus forms, or a value longer than the event's buffers. An
 * unknown top-level key is bad too, because a misspelt "locale" or "tags"
 * would otherwise change the reading or the slicing of a case silently.
 * A line above CORPUS_LINE_MAX bytes is bad. Empty and over-long texts
 * within that load, because rejecting them is the engine's job and a run
 * counts them as failed parses.
 *
 * Ownership: corpus_load returns a corpus freed with corpus_free; every
 * string inside it belongs to the corpus.
 */
#ifndef CALTUNE_CORPUS_H
#define CALTUNE_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/cascade.h"
#include "engine/event.h"

#define CORPUS_ID_MAX 128

struct corpus_case {
	char *id;
	char *text;
	size_t text_len;
	struct cal_datetime ref;
	char *tz;                    /* "UTC" when the line has none */
	enum parse_locale locale;
	/* The labelled answer: bit (1u << field) in `expected` for each key
	 * present in "expect", and in `expect_null` for keys whose value is
	 * null (the parser must report no value). Values live in `expect`. */
	unsigned expected;
	unsigned expect_null;
	struct event expect;
	char **tags;
	size_t tag_count;
	char *source;                /* NULL when absent */
	int line;                    /* 1-based line in the file */
};

struct corpus {
	char *path;
	struct corpus_case *cases;
	size_t count;
	size_t bad_lines;            /* lines reported and skipped */
	char sha256[65];             /* of the whole file, hex */
};

/* Receives one "file:line: message" (no newline) per bad line. */
typedef void (*corpus_error_fn)(void *context, const char *message);

/* Files above this size are rejected before reading. */
#define CORPUS_FILE_MAX ((size_t)1 << 30)

/* Lines above this size are reported as bad and skipped unread. It leaves
 * room for a text at the parser's limit (PARSE_TEXT_MAX, 16 KiB) written
 * entirely in \uXXXX escapes, and for its labels. */
#define CORPUS_LINE_MAX ((size_t)1 << 20)

/* Loads a corpus. Returns NULL, with a message in err, only when the file
 * cannot be read at all; bad lines go to on_error (which may be NULL). */
struct corpus *corpus_load(const char *path, corpus_error_fn on_error, void *context,
			   char *err, size_t err_size);
void corpus_free(struct corpus *corpus);

/* Parses "YYYY-MM-DDTHH:MM:SS" (seconds optional) as a corpus ref. */
bool corpus_parse_ref(const char *s, struct cal_datetime *out);

#endif
