/*
 * Civil-date arithmetic. The day-count conversions use the era-based method
 * (400-year cycles of 146097 days), exact for every proleptic Gregorian date
 * that fits the integer types.
 */
#include "engine/calendar.h"

bool cal_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int cal_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && cal_is_leap(year))
		return 29;
	return days[month - 1];
}

bool cal_date_valid(struct cal_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 &&
	       d.day >= 1 && d.day <= cal_days_in_month(d.year, d.month);
}

int64_t cal_days_from_civil(struct cal_date d)
{
	/* Shift the year to start in March so the leap day is the last day. */
	int64_t y = d.month <= 2 ? (int64_t)d.year - 1 : d.year;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t year_of_era = y - era * 400;
	int64_t month_index = d.month > 2 ? d.month - 3 : d.month + 9;
	int64_t day_of_year = (153 * month_index + 2) / 5 + d.day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	return era * 146097 + day_of_era - 719468;
}

struct cal_date cal_civil_from_days(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
			       day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t month_index = (5 * day_of_year + 2) / 153;
	struct cal_date d;

	d.day = (int)(day_of_year - (153 * month_index + 2) / 5 + 1);
	d.month = (int)(month_index < 10 ? month_index + 3 : month_index - 9);
	d.year = (int)(year_of_era + era * 400 + (d.month <= 2));
	return d;
}

int cal_weekday(struct cal_date d)
{
	/* 1970-01-01 was a Thursday (ISO index 3). */
	int64_t days = cal_days_from_civil(d);
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

struct cal_date cal_add_days(struct cal_date d, int64_t days)
{
	return cal_civil_from_days(cal_days_from_civil(d) + days);
}

struct cal_date cal_add_months(struct cal_date d, int months)
{
	int64_t index = (int64_t)d.year * 12 + (d.month - 1) + months;
	struct cal_date r;
	int last;

	r.year = (int)(index >= 0 ? index / 12 : (index - 11) / 12);
	r.month = (int)(index - (int64_t)r.year * 12) + 1;
	last = cal_days_in_month(r.year, r.month);
	r.day = d.day > last ? last : d.day;
	return r;
}

int cal_date_cmp(struct cal_date a, struct cal_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

int64_t cal_datetime_seconds(struct cal_datetime t)
{
	return cal_days_from_civil(t.date) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

struct cal_datetime cal_datetime_from_seconds(int64_t seconds)
{
	int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
	int64_t rest = seconds - days * 86400;
	struct cal_datetime t;

	t.date = cal_civil_from_days(days);
	t.hour = (int)(rest / 3600);
	t.minute = (int)(rest / 60 % 60);
	t.second = (int)(rest % 60);
	return t;
}

int cal_datetime_cmp(struct cal_datetime a, struct cal_datetime b)
{
	int64_t x = cal_datetime_seconds(a);
	int64_t y = cal_datetime_seconds(b);

	return x < y ? -1 : x > y;
}

struct cal_datetime cal_datetime_add_minutes(struct cal_datetime t, int64_t minutes)
{
	return cal_datetime_from_seconds(cal_datetime_seconds(t) + minutes * 60);
}

bool cal_nth_weekday(int year, int month, int weekday, int n, struct cal_date *out)
{
	struct cal_date d = { year, month, 1 };
	int offset;

	if (month < 1 || month > 12 || weekday < 0 || weekday > 6)
		return false;
	if (n == -1) {
		d.day = cal_days_in_month(year, month);
		offset = (cal_weekday(d) - weekday + 7) % 7;
		d.day -= offset;
		*out = d;
		return true;
	}
	if (n < 1 || n > 5)
		return false;
	offset = (weekday - cal_weekday(d) + 7) % 7;
	d.day = 1 + offset + (n - 1) * 7;
	if (d.day > cal_days_in_month(year, month))
		return false;
	*out = d;
	return true;
}

struct cal_date cal_easter(int year)
{
	int a = year % 19;
	int b = year / 100;
	int c = year % 100;
	int d = b / 4;
	int e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4;
	int k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	struct cal_date r;

	r.year = year;
	r.month = (h + l - 7 * m + 114) / 31;
	r.day = (h + l - 7 * m + 114) % 31 + 1;
	return r;
}

struct cal_date cal_week_monday(struct cal_date d)
{
	return cal_add_days(d, -cal_weekday(d));
}

struct cal_date cal_iso_week_monday(int iso_year, int week)
{
	/* Week 1 is the week that contains January 4th. */
	struct cal_date jan4 = { iso_year, 1, 4 };

	return cal_add_days(cal_week_monday(jan4), (int64_t)(week - 1) * 7);
}
