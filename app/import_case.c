/*
 * Building the corpus cases the importers write.
 */
#include <stdio.h>

#include "app/import_case.h"

void import_tags_add(struct import_tags *list, const char *tag)
{
	if (list->count < IMPORT_TAGS_MAX)
		list->tags[list->count++] = tag;
}

json_t *import_case_new(const char *prefix, size_t number, const char *text,
			struct cal_datetime ref, const char *locale, json_t *expect,
			const struct import_tags *tags, const char *source)
{
	json_t *out = json_object();
	json_t *tag_array = json_array();
	char id[160];
	char when[32];

	snprintf(id, sizeof id, "%s%04zu", prefix, number);
	snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d", ref.date.year, ref.date.month,
		 ref.date.day, ref.hour, ref.minute, ref.second);
	for (size_t i = 0; i < tags->count; i++)
		json_array_append_new(tag_array, json_string(tags->tags[i]));

	json_object_set_new(out, "id", json_string(id));
	json_object_set_new(out, "text", json_string(text));
	json_object_set_new(out, "ref", json_string(when));
	json_object_set_new(out, "tz", json_string("UTC"));
	if (locale)
		json_object_set_new(out, "locale", json_string(locale));
	json_object_set_new(out, "expect", expect);
	json_object_set_new(out, "tags", tag_array);
	json_object_set_new(out, "source", json_string(source));
	return out;
}
