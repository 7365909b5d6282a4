/*
 * The corpus case both importers write: the JSON object with id, text,
 * ref, tz, locale, expect, tags and source, as the corpus format has it.
 *
 * Ownership: import_case_new returns a new object the caller releases with
 * json_decref; it takes over the `expect` reference it is given. Tag
 * strings are borrowed and must outlive the call.
 */
#ifndef CALTUNE_IMPORT_CASE_H
#define CALTUNE_IMPORT_CASE_H

#include <jansson.h>
#include <stddef.h>

#include "engine/calendar.h"

#define IMPORT_TAGS_MAX 16

struct import_tags {
	const char *tags[IMPORT_TAGS_MAX];
	size_t count;
};

/* Adds a tag; tags past IMPORT_TAGS_MAX are left out. */
void import_tags_add(struct import_tags *list, const char *tag);

/* Builds the case numbered `number` (from 1; its id is prefix and four
 * digits) with tz UTC; locale is "en-GB" or NULL for the default. */
json_t *import_case_new(const char *prefix, size_t number, const char *text,
			struct cal_datetime ref, const char *locale, json_t *expect,
			const struct import_tags *tags, const char *source);

#endif
