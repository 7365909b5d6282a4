/*
 * Events as JSON in the corpus format's forms: the keys of "expect", start
 * and end as "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][+HH:MM]", attendees as
 * an array of strings, and null for a field without a value. Used by the
 * predictions file and `caltune parse --json`.
 *
 * Every function returns a new reference the caller releases with
 * json_decref.
 */
#ifndef CALTUNE_EVENT_JSON_H
#define CALTUNE_EVENT_JSON_H

#include <jansson.h>

#include "engine/event.h"

/* One field's value, or JSON null when the event has none. */
json_t *event_json_field(const struct event *ev, enum field f);

/* Every field, in the order of enum field. */
json_t *event_json_new(const struct event *ev);

/* {"start": "regex", ...}: the tier behind each field a tier decided. */
json_t *event_json_tiers(const struct event *ev);

/* A real rounded to `decimals` places, so figures print without binary
 * noise (0.93, not 0.93000000000000005). */
json_t *event_json_real(double value, int decimals);

#endif
