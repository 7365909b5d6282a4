/*
 * The reading conventions, in one place so both tiers read text alike:
 *
 * - Calendar events look forward. A date without a year is the next such
 *   date on or after the reference day (Feb 29 waits for a leap year); a
 *   day of the month alone is the next month that has that day.
 * - A bare or "this" weekday is the nearest such day whose event time is
 *   not yet past: today counts only when the time is still ahead, or when
 *   the event has no time. "next <weekday>" is that weekday of the
 *   following Monday-based week, seven days on when said on that weekday.
 * - A time without a date is today when still ahead of the reference,
 *   else tomorrow.
 * - An hour without am/pm: 7 to 11 is morning, 12 is noon, 1 to 6 is
 *   afternoon; an evening word makes it pm. A part of the day without a
 *   clock time: morning 09:00, afternoon 15:00, evening 18:00, night
 *   20:00.
 * - Two-digit years are 20xx, or 19xx when that would be more than 50
 *   years ahead.
 *
 * Every function is pure and thread-safe.
 */
#ifndef CALTUNE_RESOLVE_H
#define CALTUNE_RESOLVE_H

#include <stdbool.h>

#include "engine/calendar.h"
#include "engine/mention.h"

/* The next (month, day) on or after ref; false when no year within the next
 * eight has it (an impossible date such as April 31). */
bool resolve_month_day(struct cal_date ref, int month, int day, struct cal_date *out);

/* The next month, from ref's, that has `day` on or after ref. */
bool resolve_day_of_month(struct cal_date ref, int day, struct cal_date *out);

/* "next Friday": that weekday in the week after ref's week. */
struct cal_date resolve_next_weekday(struct cal_date ref, int weekday);

/* "last Friday": the latest such weekday before ref. */
struct cal_date resolve_last_weekday(struct cal_date ref, int weekday);

/* A bare weekday: ref itself when today_counts and ref is that weekday,
 * else the next one after ref. */
struct cal_date resolve_weekday(struct cal_date ref, int weekday, bool today_counts);

/* Four-digit year for a written year of one, two or four digits. */
int resolve_year(int written, int digits, int ref_year);

/* A (month, day, optional year) that the text wrote explicitly, resolved
 * forward when the year is missing. */
bool resolve_explicit_date(struct cal_date ref, int year, int month, int day,
			   struct date_value *out);

/* Resolves a numeric date "a/b[/y]": month first unless day_first or a is
 * above 12. Returns false when neither reading is a real date. */
bool resolve_numeric_date(struct cal_date ref, int a, int b, int year, int year_digits,
			  bool day_first, struct date_value *out);

/* Applies the hour conventions to a clock time in place: meridiem, the
 * 7-11/12/1-6 rule, evening words. After it, t->hour is 0-23 and t->fixed
 * is true. `evening` says the text has an evening word (tonight, dinner,
 * night, evening). */
void resolve_clock(struct time_value *t, bool evening);

/* The clock time a part of the day stands for (morning 09:00 ...). */
void resolve_part(int part, int *hour, int *minute);

/* A date value (with no time) as the first day it covers. */
struct cal_date resolve_date_first_day(const struct date_value *d, struct cal_date ref);

#endif
