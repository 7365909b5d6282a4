/*
 * UTC offsets of the zone names people type after a time ("9am JST",
 * "3pm ET", "noon Berlin time"). Each name maps to a standard offset and a
 * daylight-saving rule, so "ET" on July 14 gives -04:00 and on January 14
 * gives -05:00. The table is compiled in and read-only, so lookups are safe
 * from any thread.
 *
 * NOTE: the DST rules are the current ones (US since 2007, EU since 1996,
 * south-eastern Australia since 2008, New Zealand since 2007); dates before
 * those years get today's rule, not the historical one.
 */
#ifndef CALTUNE_ZONE_H
#define CALTUNE_ZONE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/calendar.h"

enum zone_dst_rule {
	ZONE_DST_NONE,  /* a fixed offset: EST, CEST, JST, UTC */
	ZONE_DST_US,    /* second Sunday of March to first Sunday of November */
	ZONE_DST_EU,    /* last Sunday of March to last Sunday of October, 01:00 UTC */
	ZONE_DST_AU,    /* first Sunday of October to first Sunday of April */
	ZONE_DST_NZ     /* last Sunday of September to first Sunday of April */
};

struct zone_info {
	const char *name;          /* lower case, as matched: "est", "berlin" */
	int standard_offset_min;   /* east of UTC, in minutes */
	enum zone_dst_rule rule;
	bool needs_time_word;      /* a place name that counts only before "time" */
};

/* Finds a zone by its case-insensitive name of len bytes ("EST", "pt",
 * "new york"); returns NULL when the name is unknown. */
const struct zone_info *zone_lookup(const char *name, size_t len);

/* The offset east of UTC, in minutes, that the zone has at a wall-clock time
 * written in that zone. */
int zone_offset_at(const struct zone_info *zone, struct cal_datetime local);

#endif
