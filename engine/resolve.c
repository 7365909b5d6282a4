/*
 * The reading conventions as functions.
 */
#include "engine/lexicon.h"
#include "engine/resolve.h"

bool resolve_month_day(struct cal_date ref, int month, int day, struct cal_date *out)
{
	for (int k = 0; k <= 8; k++) {
		struct cal_date d = { ref.year + k, month, day };

		if (cal_date_valid(d) && cal_date_cmp(d, ref) >= 0) {
			*out = d;
			return true;
		}
	}
	return false;
}

bool resolve_day_of_month(struct cal_date ref, int day, struct cal_date *out)
{
	if (day < 1 || day > 31)
		return false;
	for (int k = 0; k < 14; k++) {
		struct cal_date first = cal_add_months((struct cal_date){ ref.year, ref.month, 1 }, k);
		struct cal_date d = { first.year, first.month, day };

		if (cal_date_valid(d) && cal_date_cmp(d, ref) >= 0) {
			*out = d;
			return true;
		}
	}
	return false;
}

struct cal_date resolve_next_weekday(struct cal_date ref, int weekday)
{
	struct cal_date next_monday = cal_add_days(cal_week_monday(ref), 7);

	return cal_add_days(next_monday, weekday);
}

struct cal_date resolve_last_weekday(struct cal_date ref, int weekday)
{
	int back = (cal_weekday(ref) - weekday + 7) % 7;

	return cal_add_days(ref, back == 0 ? -7 : -back);
}

struct cal_date resolve_weekday(struct cal_date ref, int weekday, bool today_counts)
{
	int ahead = (weekday - cal_weekday(ref) + 7) % 7;

	if (ahead == 0 && !today_counts)
		ahead = 7;
	return cal_add_days(ref, ahead);
}

int resolve_year(int written, int digits, int ref_year)
{
	int year;

	if (digits >= 3)
		return written;
	year = 2000 + written;
	if (year > ref_year + 50)
		year -= 100;
	return year;
}

bool resolve_explicit_date(struct cal_date ref, int year, int month, int day,
			   struct date_value *out)
{
	struct date_value d = { .kind = DATE_DAY };

	if (year > 0) {
		d.day = (struct cal_date){ year, month, day };
		if (!cal_date_valid(d.day))
			return false;
		d.year_explicit = true;
	} else if (!resolve_month_day(ref, month, day, &d.day)) {
		return false;
	}
	*out = d;
	return true;
}

bool resolve_numeric_date(struct cal_date ref, int a, int b, int year, int year_digits,
			  bool day_first, struct date_value *out)
{
	int full_year = year >= 0 ? resolve_year(year, year_digits, ref.year) : 0;

	/* Month first unless the locale says otherwise or the first number
	 * cannot be a month. */
	if (!day_first && a <= 12 && resolve_explicit_date(ref, full_year, a, b, out))
		return true;
	if (b <= 12 && resolve_explicit_date(ref, full_year, b, a, out))
		return true;
	if (day_first && a <= 12)
		return resolve_explicit_date(ref, full_year, a, b, out);
	return false;
}

void resolve_clock(struct time_value *t, bool evening)
{
	if (t->fixed || t->kind != TIME_CLOCK)
		return;
	if (t->meridiem == MER_AM) {
		if (t->hour == 12)
			t->hour = 0;
	} else if (t->meridiem == MER_PM) {
		if (t->hour < 12)
			t->hour += 12;
	} else if (t->hour >= 13 || t->hour == 0) {
		/* A 24-hour clock time. */
	} else if (t->part == PART_MORNING) {
		if (t->hour == 12)
			t->hour = 0;
	} else if (t->part == PART_AFTERNOON || t->part == PART_EVENING) {
		if (t->hour < 12)
			t->hour += 12;
	} else if (t->part == PART_NIGHT || t->part == PART_TONIGHT) {
		/* Night runs past midnight: 1 to 4 at night are early morning. */
		if (t->hour >= 5 && t->hour < 12)
			t->hour += 12;
		else if (t->hour == 12)
			t->hour = 0;
	} else if (evening) {
		if (t->hour < 12)
			t->hour += 12;
	} else if (t->hour >= 1 && t->hour <= 6) {
		t->hour += 12;
	}
	if (t->hour == 24)
		t->hour = 0;
	t->fixed = true;
}

void resolve_part(int part, int *hour, int *minute)
{
	*minute = 0;
	switch (part) {
	case PART_MORNING:
		*hour = 9;
		break;
	case PART_AFTERNOON:
		*hour = 15;
		break;
	case PART_EVENING:
		*hour = 18;
		break;
	case PART_NIGHT:
	case PART_TONIGHT:
		*hour = 20;
		break;
	case PART_NOON:
	case PART_LUNCH:
		*hour = 12;
		break;
	case PART_MIDNIGHT:
		*hour = 0;
		break;
	default:
		*hour = 9;
		break;
	}
}

struct cal_date resolve_date_first_day(const struct date_value *d, struct cal_date ref)
{
	switch (d->kind) {
	case DATE_DAY:
	case DATE_SPAN:
		return d->day;
	case DATE_WEEKDAY:
		return resolve_weekday(ref, d->weekday, true);
	case DATE_NONE:
		break;
	}
	return ref;
}
