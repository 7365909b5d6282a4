/*
 * Calendar arithmetic on proleptic Gregorian civil dates and wall-clock
 * times. Every function is pure: no global state, no time zone database, so
 * any number of threads may call them at once.
 *
 * Days are counted from 1970-01-01 (day 0) and weekdays are ISO numbered,
 * Monday = 0 through Sunday = 6, because the reading conventions use
 * Monday-based weeks.
 */
#ifndef CALTUNE_CALENDAR_H
#define CALTUNE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

enum cal_weekday {
	CAL_MONDAY, CAL_TUESDAY, CAL_WEDNESDAY, CAL_THURSDAY,
	CAL_FRIDAY, CAL_SATURDAY, CAL_SUNDAY
};

/* A civil date; month 1-12, day 1-31. */
struct cal_date {
	int year;
	int month;
	int day;
};

/* A wall-clock date and time, with no zone attached. */
struct cal_datetime {
	struct cal_date date;
	int hour;
	int minute;
	int second;
};

bool cal_is_leap(int year);
int cal_days_in_month(int year, int month);
bool cal_date_valid(struct cal_date d);

int64_t cal_days_from_civil(struct cal_date d);
struct cal_date cal_civil_from_days(int64_t days);

/* Returns 0 for Monday through 6 for Sunday. */
int cal_weekday(struct cal_date d);

struct cal_date cal_add_days(struct cal_date d, int64_t days);

/* Adds whole months; a day past the end of the target month is clamped to
 * its last day (Jan 31 + 1 month = Feb 28 or 29). */
struct cal_date cal_add_months(struct cal_date d, int months);

/* Negative, zero or positive as a is before, equal to or after b. */
int cal_date_cmp(struct cal_date a, struct cal_date b);

/* Seconds since 1970-01-01T00:00:00 of the wall-clock value, treating it as
 * if it were UTC; only differences between two values are meaningful. */
int64_t cal_datetime_seconds(struct cal_datetime t);
struct cal_datetime cal_datetime_from_seconds(int64_t seconds);
int cal_datetime_cmp(struct cal_datetime a, struct cal_datetime b);
struct cal_datetime cal_datetime_add_minutes(struct cal_datetime t, int64_t minutes);

/* The nth (1-5) given weekday of a month, or the last one when n is -1.
 * Returns false when the month has no such day (a fifth Monday). */
bool cal_nth_weekday(int year, int month, int weekday, int n, struct cal_date *out);

/* Easter Sunday of the Gregorian calendar (anonymous algorithm). */
struct cal_date cal_easter(int year);

/* Monday of the ISO week that contains the date. */
struct cal_date cal_week_monday(struct cal_date d);

/* Monday of ISO week 1..53 of the ISO week-numbering year. */
struct cal_date cal_iso_week_monday(int iso_year, int week);

#endif
