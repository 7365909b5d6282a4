/*
 * Importer of SLURP (Spoken Language Understanding Resource Package) JSON
 * Lines into labelled corpus cases. Each line is one spoken request with
 * "sentence", "sentence_annotation" ("remind me [date : tomorrow] at
 * [time : two pm]"), "scenario" and "action".
 *
 * Rows of scenario "calendar" and action "set" are kept. A case labels
 * what the slots give: "location" from a place_name slot, "attendees" from
 * the person slots that follow "with" or "meet", and "start" from the
 * date, time and timeofday slots as caltune's own grammar reads them (the
 * rules tier alone, no LLM, on those slot phrases only, at options->ref).
 * Such cases carry the tag "start-by-caltune", because that label is
 * caltune's reading rather than the annotators'. A row with nothing to
 * label is dropped. The rules are described in corpora/README.md.
 *
 * A bad line is reported as "file:line: message" and skipped; the lines
 * after it are still imported.
 *
 * Ownership: the importer keeps no pointer into data after it returns.
 * Cases passed to on_case and messages passed to on_error are borrowed.
 */
#ifndef CALTUNE_IMPORT_SLURP_H
#define CALTUNE_IMPORT_SLURP_H

#include <jansson.h>
#include <stddef.h>

#include "engine/calendar.h"

#define SLURP_DEFAULT_PREFIX "sl-dev-"
/* A Wednesday morning. */
#define SLURP_DEFAULT_REF "2026-03-04T09:00:00"

enum slurp_drop {
	SLURP_DROP_NOT_CALENDAR_SET,   /* another scenario or action */
	SLURP_DROP_NOTHING_TO_LABEL,   /* no start, location or attendees */
	SLURP_DROP_COUNT
};

/* Reasons a calendar_set row gets no start. */
enum slurp_no_start {
	SLURP_NO_START_NO_SLOT,        /* no date, time or timeofday slot */
	SLURP_NO_START_RECURRING,      /* a general_frequency slot or a recurrence */
	SLURP_NO_START_TWO_MOMENTS,    /* two date slots or two time slots */
	SLURP_NO_START_OFFSET,         /* "one hour before the meeting" */
	SLURP_NO_START_UNREAD,         /* the grammar found no date or left words over */
	SLURP_NO_START_SPAN,           /* several days: "next month", "this weekend" */
	SLURP_NO_START_MEAL,           /* a meal on a day, without a clock time */
	SLURP_NO_START_SAME_WEEKDAY,   /* ref's own weekday without a time */
	SLURP_NO_START_COUNT
};

struct slurp_options {
	const char *prefix;            /* id prefix; NULL means SLURP_DEFAULT_PREFIX */
	const char *source;            /* the cases' "source"; NULL means "slurp" */
	struct cal_datetime ref;       /* every case's ref, in UTC */
};

struct slurp_stats {
	size_t lines;                  /* non-blank lines read */
	size_t written;
	size_t dropped[SLURP_DROP_COUNT];
	size_t started;                /* cases written with a start */
	size_t no_start[SLURP_NO_START_COUNT];
	size_t bad;                    /* lines reported and skipped */
	size_t errors;                 /* problems reported */
};

struct slurp_sink {
	/* Receives each case; returns 0, or -1 to stop the import (a write
	 * error the sink reports itself). */
	int (*on_case)(void *context, json_t *corpus_case);
	/* Receives one "file:line: message" per problem, without a newline. */
	void (*on_error)(void *context, const char *message);
	void *context;
};

/* Imports the JSON Lines held in data (size bytes); name is the path used
 * in messages. Returns 0 when every line was read, or -1 when the grammar
 * could not be set up or on_case stopped the import (with a message to
 * on_error). stats counts what was done either way. */
int slurp_import(const char *name, const char *data, size_t size,
		 const struct slurp_options *options, const struct slurp_sink *sink,
		 struct slurp_stats *stats);

/* A short key for the summary ("nothing-to-label") and what it means. */
const char *slurp_drop_name(enum slurp_drop reason);
const char *slurp_drop_meaning(enum slurp_drop reason);
const char *slurp_no_start_name(enum slurp_no_start reason);
const char *slurp_no_start_meaning(enum slurp_no_start reason);

#endif
