/*
 * Holidays by name, with fixed dates (Christmas, Independence Day) and
 * computed ones (Thanksgiving, Easter and the days tied to it, Memorial
 * and Labor Day, Mother's and Father's Day as observed in the US).
 */
#ifndef CALTUNE_HOLIDAY_H
#define CALTUNE_HOLIDAY_H

#include <stdbool.h>

#include "engine/calendar.h"

/* The date of a holiday in a year. `key` is the lower-case name with
 * apostrophes removed and single spaces ("new years eve", "mothers day").
 * Returns false for a name that is not a holiday. */
bool holiday_date(const char *key, int year, struct cal_date *out);

/* Whether a word, apostrophes removed, can start a holiday's name
 * ("christmas", "new", "mothers"). */
bool holiday_first_word(const char *word);

#endif
