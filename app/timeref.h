/*
 * IANA time zone names and the current wall-clock time in a zone, through
 * the system tz database (TZDIR, else /usr/share/zoneinfo, from Debian's
 * tzdata package).
 *
 * timeref_now changes the process's TZ variable for the duration of the
 * call, so it is not thread-safe: the command line calls it before any
 * worker thread starts.
 */
#ifndef CALTUNE_TIMEREF_H
#define CALTUNE_TIMEREF_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/calendar.h"

/* Whether name is an IANA zone of the tz database ("Europe/Paris", "UTC").
 * On false, writes the reason and the fix into err. */
bool timeref_zone_valid(const char *name, char *err, size_t err_size);

/* Writes the local zone's IANA name: $TZ, else the target of
 * /etc/localtime, else /etc/timezone, else "UTC". */
void timeref_local_zone(char *out, size_t size);

/* The current wall-clock time in zone (NULL: the local zone), to the
 * second. Returns 0, or -1 with a message in err. */
int timeref_now(const char *zone, struct cal_datetime *out, char *err, size_t err_size);

#endif
