/*
 * What the grammar recognises in a text before it becomes an event: points
 * (a date, a time of day, or both), ranges between two points, durations
 * and recurrences, each with the token span it covers and a confidence.
 *
 * Dates are resolved against the reference time as soon as they are
 * recognised, except a bare or "this" weekday: which week it falls in
 * depends on the event's time ("Friday at 9am" said on a Friday at 10am is
 * next week), so it stays a weekday until the event is assembled. Times of
 * day keep their meridiem unresolved ("at 7") for the same reason: the
 * reading depends on the rest of the text.
 */
#ifndef CALTUNE_MENTION_H
#define CALTUNE_MENTION_H

#include <stdbool.h>

#include "engine/calendar.h"
#include "engine/zone.h"

enum date_kind {
	DATE_NONE,
	DATE_DAY,       /* one concrete day */
	DATE_WEEKDAY,   /* a weekday to resolve with the event time */
	DATE_SPAN       /* whole days from `day` to `span_end` (exclusive) */
};

struct date_value {
	enum date_kind kind;
	struct cal_date day;
	struct cal_date span_end;
	int weekday;                /* DATE_WEEKDAY, 0 = Monday */
	bool year_explicit;         /* the text wrote the year */
	bool weekday_named;         /* a weekday name was part of it */
	bool holiday;               /* named by a holiday ("New Year's Eve") */
	bool day_of_month_only;     /* "the 15th": only the day number was written */
	int nth;                    /* "last Friday of the month": -1; "second Tuesday ...": 2 */
};

enum meridiem { MER_NONE, MER_AM, MER_PM };

enum time_kind {
	TIME_NONE,
	TIME_CLOCK,     /* a clock time, maybe without am/pm */
	TIME_PART       /* a part of the day with no clock time */
};

struct time_value {
	enum time_kind kind;
	int hour;                   /* 0-23, or 1-12 with a meridiem to apply */
	int minute;
	int second;
	bool has_minute;            /* the text wrote minutes ("3:30") */
	bool has_second;
	enum meridiem meridiem;
	int part;                   /* enum lex_part attached ("7 in the evening") */
	bool fixed;                 /* noon, midnight, 24-hour or resolved: hour is final */
	bool approximate;           /* "around 10", "10ish" */
	bool end_of_day;            /* 23:59:59 */
	bool exact;                 /* an instant computed from ref ("in 5 minutes", "now") */
	const struct zone_info *zone;
};

enum mention_kind {
	MENTION_NUMBER,
	MENTION_POINT,
	MENTION_RANGE,
	MENTION_DURATION,
	MENTION_RECURRENCE,
	MENTION_ANCHOR,             /* "starting Jan 5": a first date for a recurrence */
	MENTION_UNTIL,              /* "until June 5": a last date for a recurrence */
	MENTION_IMPOSSIBLE          /* "Feb 30": a date that does not exist */
};

enum recur_freq { FREQ_NONE, FREQ_DAILY, FREQ_WEEKLY, FREQ_MONTHLY, FREQ_YEARLY };

struct recur_value {
	enum recur_freq freq;
	int interval;               /* 1 unless "every other" or "every 3 weeks" */
	unsigned byday;             /* bit d for weekday d (0 = Monday) */
	int byday_nth;              /* with FREQ_MONTHLY: 1-5, or -1 for the last */
	int bymonthday;             /* 0 when unset */
	int count;                  /* 0 when unset */
	bool has_until;
	struct cal_date until;
};

struct mention {
	enum mention_kind kind;
	int number;                 /* MENTION_NUMBER value */
	bool ordinal;               /* MENTION_NUMBER written as an ordinal */
	bool number_words;          /* MENTION_NUMBER written in words */
	struct date_value date;     /* a point, or a range's start */
	struct time_value time;
	struct date_value date2;    /* a range's end */
	struct time_value time2;
	int duration_min;           /* MENTION_DURATION, or a range given as start + length */
	int unit;                   /* MENTION_DURATION: the unit written (enum lex_unit) */
	bool duration_for;          /* MENTION_DURATION: written with "for" ("for 6 weeks") */
	struct recur_value recur;
	float confidence;
	bool in_title;              /* its words stay in the title ("Daily standup") */
	const char *rule;           /* static name of the rule that built it */
	int first;                  /* first token covered */
	int last;                   /* last token covered */
};

#endif
