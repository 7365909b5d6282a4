/*
 * The event model: the fields a parse fills, each with a confidence in
 * [0, 1] and the tier that set it. Text fields live in fixed-size buffers so
 * an event is one flat value that can be copied, cached and compared
 * without allocation; a value longer than its buffer is cut on a UTF-8
 * character boundary.
 */
#ifndef CALTUNE_EVENT_H
#define CALTUNE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/calendar.h"

#define EVENT_TITLE_MAX 256
#define EVENT_LOCATION_MAX 160
#define EVENT_ATTENDEES_MAX 12
#define EVENT_NAME_MAX 64
#define EVENT_RRULE_MAX 160

enum field {
	FIELD_TITLE,
	FIELD_START,
	FIELD_END,
	FIELD_DURATION,
	FIELD_ALL_DAY,
	FIELD_LOCATION,
	FIELD_ATTENDEES,
	FIELD_RECURRENCE,
	FIELD_COUNT
};

enum tier {
	TIER_NONE = -1,
	TIER_REGEX,
	TIER_RULES,
	TIER_LLM,
	TIER_COUNT
};

enum when_precision { WHEN_DATE, WHEN_MINUTE, WHEN_SECOND };

/* A start or end as the corpus format writes it: a date (all-day), or a
 * wall-clock time to the minute or second, with a UTC offset only when the
 * text named a zone. */
struct when {
	struct cal_datetime t;
	enum when_precision precision;
	bool has_offset;
	int offset_min;
};

struct event {
	/* Bit (1u << field) is set when the field has a value. A field without
	 * a value still has a confidence: how sure the tier is that the text
	 * gives none. */
	unsigned has;
	float confidence[FIELD_COUNT];
	enum tier tier[FIELD_COUNT];

	char title[EVENT_TITLE_MAX];
	struct when start;
	struct when end;
	int duration_min;
	bool all_day;
	char location[EVENT_LOCATION_MAX];
	int attendee_count;
	char attendees[EVENT_ATTENDEES_MAX][EVENT_NAME_MAX];
	char recurrence[EVENT_RRULE_MAX];
};

/* "title", "start", "end", "duration_min", "all_day", "location",
 * "attendees", "recurrence": the corpus format's keys. */
const char *field_name(enum field f);

/* Returns the field for a corpus key, or -1 when the key is unknown. */
int field_from_name(const char *name);

/* "regex", "rules", "llm"; "none" for TIER_NONE. */
const char *tier_name(enum tier t);
int tier_from_name(const char *name);

/* Clears every field, with confidence 0 and no tier. */
void event_init(struct event *ev);

static inline bool event_has(const struct event *ev, enum field f)
{
	return (ev->has >> f) & 1u;
}

void event_set_has(struct event *ev, enum field f, bool present);

/* Copies one field's value, presence, confidence and tier from src. */
void event_copy_field(struct event *dst, const struct event *src, enum field f);

/* Copies at most size - 1 bytes of src, cutting on a character boundary,
 * and always terminates dst. dst may be src. Returns true when src fit
 * whole. */
bool event_copy_text(char *dst, size_t size, const char *src, size_t len);

/* As event_copy_text, for a field's value: control characters and terminal
 * escape sequences are left out, and a tab or line break becomes one space,
 * so no value can move the cursor or recolour the screen it is shown on. */
bool event_copy_clean(char *dst, size_t size, const char *src, size_t len);

bool event_add_attendee(struct event *ev, const char *name, size_t len);

/* Writes the field's value in corpus form ("2026-12-05T09:00", "true", a
 * JSON-free attendee list joined by ", "); returns the length, or 0 and an
 * empty string when the field has no value. */
size_t event_format_field(const struct event *ev, enum field f, char *buf, size_t size);

/* Writes a when as "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "...:SS", with
 * "+HH:MM" when it has an offset. Returns the length. */
size_t when_format(const struct when *w, char *buf, size_t size);

/* Parses the corpus form back; returns false when s is not one of them or
 * names an impossible date or time. */
bool when_parse(const char *s, struct when *out);

#endif
