/*
 * Importer of Microsoft Recognizers-Text DateTime spec files (such as
 * Specs/DateTime/English/DateTimeModel.json) into labelled corpus cases.
 *
 * A spec file is one JSON array, possibly after a UTF-8 byte order mark,
 * of test cases {"Input", "Context": {"ReferenceDateTime"}, "Results",
 * "NotSupported", "NotSupportedByDesign", "Comment"}. The array is decoded
 * one element at a time, so a bad element is reported as "file:line: case
 * [N]: message" and the elements after it are still imported. After a
 * syntax error the decoder skips ahead to the next line that opens a case.
 *
 * A case is kept when it has exactly one result of type date, time,
 * datetime, daterange, timerange or datetimerange. That result needs one
 * reading (a single timex), no modifier (before, after, since ...) and at
 * least one resolved value, and the case needs a reference time and no
 * NotSupported or NotSupportedByDesign mark for javascript. Every other
 * case is dropped and counted under its reason (enum recognizers_drop).
 * The mapping of values and the tags are described in corpora/README.md.
 *
 * Ownership: the importer keeps no pointer into data after it returns.
 * Each case passed to on_case is borrowed: the sink copies or writes it
 * before returning. Messages passed to on_error are borrowed too.
 */
#ifndef CALTUNE_IMPORT_RECOGNIZERS_H
#define CALTUNE_IMPORT_RECOGNIZERS_H

#include <jansson.h>
#include <stddef.h>

#define RECOGNIZERS_DEFAULT_PREFIX "rt-dtm-"

/* Reasons a well-formed case is not imported, in the order they are
 * checked: a case counts under the first that applies. */
enum recognizers_drop {
	RECOGNIZERS_DROP_NOT_SUPPORTED,     /* marked not supported for javascript */
	RECOGNIZERS_DROP_NO_RESULT,
	RECOGNIZERS_DROP_SEVERAL_RESULTS,
	RECOGNIZERS_DROP_DURATION,
	RECOGNIZERS_DROP_SET,               /* a recurring set ("every week") */
	RECOGNIZERS_DROP_MODIFIER,          /* Mod before/after/since/start/end ... */
	RECOGNIZERS_DROP_SEVERAL_READINGS,  /* values with different timexes */
	RECOGNIZERS_DROP_OTHER_TYPE,        /* timezone or an unknown type */
	RECOGNIZERS_DROP_NO_REFERENCE,      /* no Context.ReferenceDateTime */
	RECOGNIZERS_DROP_ZONE,              /* the value carries a time zone */
	RECOGNIZERS_DROP_NOT_RESOLVED,      /* "not resolved", an X, an impossible date */
	RECOGNIZERS_DROP_OPEN_RANGE,        /* a range without start or end */
	RECOGNIZERS_DROP_COUNT
};

struct recognizers_options {
	const char *prefix;   /* id prefix; NULL means RECOGNIZERS_DEFAULT_PREFIX */
	const char *source;   /* the cases' "source" value; NULL means "recognizers-text" */
};

struct recognizers_stats {
	size_t cases;                                /* array elements read */
	size_t written;
	size_t dropped[RECOGNIZERS_DROP_COUNT];
	size_t bad;                                  /* elements reported and skipped */
	size_t errors;                               /* problems reported, the file's own too */
};

struct recognizers_sink {
	/* Receives each kept case; returns 0, or -1 to stop the import (a
	 * write error the sink reports itself). */
	int (*on_case)(void *context, json_t *corpus_case);
	/* Receives one "file:line: message" per bad element, without a newline. */
	void (*on_error)(void *context, const char *message);
	void *context;
};

/* Imports the spec file held in data (size bytes); name is the path used
 * in messages. Returns 0 when the array was read to its end, or -1 when
 * the data is not a spec file at all (empty, not JSON, not an array), when
 * it ends early, or when on_case stopped the import. Either way stats
 * counts what was done, and every problem went to on_error. */
int recognizers_import(const char *name, const char *data, size_t size,
		       const struct recognizers_options *options,
		       const struct recognizers_sink *sink, struct recognizers_stats *stats);

/* A short key for the summary ("not-supported") and what it means. */
const char *recognizers_drop_name(enum recognizers_drop reason);
const char *recognizers_drop_meaning(enum recognizers_drop reason);

#endif
