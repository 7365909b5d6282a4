/*
 * Durations ("for 90 minutes", "an hour and a half", "45 min call") and
 * recurrences ("every other Thursday", "each weekday", "monthly on the
 * 15th", "first Thursday of every month", "until Dec 18", "for 6 weeks").
 */
#include "engine/rules.h"

static const struct token *tok(const struct grammar_item *item)
{
	return grammar_item_token(item);
}

static int unit_minutes(int unit)
{
	switch (unit) {
	case UNIT_MINUTE:
		return 1;
	case UNIT_HOUR:
		return 60;
	case UNIT_DAY:
		return 1440;
	case UNIT_WEEK:
		return 10080;
	default:
		return 0;
	}
}

static void set_duration(struct mention *out, int minutes, int count, int unit, bool written_for)
{
	out->kind = MENTION_DURATION;
	out->duration_min = minutes;
	out->number = count;
	out->unit = unit;
	out->duration_for = written_for;
}

/* "for 90 minutes", "for an hour", "for 3 days", "for 6 weeks" */
static bool for_duration(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int n = rules_number(m[2]);
	int unit = tok(m[3])->lex->unit;
	int per = unit_minutes(unit);

	(void)ctx;
	if (n <= 0 || n > 100000 || (per == 0 && unit != UNIT_MONTH))
		return false;
	set_duration(out, n * per, n, unit, true);
	return true;
}

/* "45 min call", "one hour will be enough", "a 30-minute call": a length
 * of minutes or hours without "for". */
static bool bare_duration(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int n = rules_number(m[0]);
	int unit = tok(m[2])->lex->unit;
	const struct token *after = rules_token_after(ctx, m[2]->last);

	/* Days and weeks count only glued: "3-day course", not "3 days". */
	if (n <= 0 || n > 10000 || !(unit == UNIT_MINUTE || unit == UNIT_HOUR ||
				     ((unit == UNIT_DAY || unit == UNIT_WEEK) && m[1] &&
				      !ctx->tokens[m[1]->first].space_before &&
				      !ctx->tokens[m[2]->first].space_before)))
		return false;
	if (after && (token_is(after, "ago") || token_is(after, "later") || token_is(after, "before") ||
		      token_is(after, "after") || token_is(after, "from") || token_is(after, "early") ||
		      token_is(after, "late") || token_is(after, "earlier")))
		return false;
	set_duration(out, n * unit_minutes(unit), n, unit, false);
	out->confidence -= 0.1f;
	return true;
}

/* "an hour and a half", "two and a half hours", "1.5 hours" */
static bool and_a_half(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	int n = rules_number(m[1]);
	int unit = tok(m[2])->lex->unit;

	(void)ctx;
	if (n < 0 || (unit != UNIT_HOUR && unit != UNIT_MINUTE))
		return false;
	set_duration(out, n * unit_minutes(unit) + unit_minutes(unit) / 2, n, unit, m[0] != NULL);
	return true;
}

static bool number_and_a_half(const struct grammar_context *ctx, const struct grammar_item *const *m,
			      struct mention *out)
{
	int n = rules_number(m[1]);
	int unit = tok(m[5])->lex->unit;

	(void)ctx;
	if (n < 0 || unit != UNIT_HOUR)
		return false;
	set_duration(out, n * 60 + 30, n, unit, m[0] != NULL);
	return true;
}

static bool decimal_hours(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int whole = rules_number(m[1]);
	int tenths = rules_number(m[3]);
	const struct token *frac = tok(m[3]);
	int unit = tok(m[4])->lex->unit;
	int minutes;

	(void)ctx;
	if (whole < 0 || tenths < 0 || !frac || frac->digits > 2 || unit != UNIT_HOUR)
		return false;
	minutes = whole * 60 + (frac->digits == 1 ? tenths * 6 : tenths * 60 / 100);
	set_duration(out, minutes, whole, unit, m[0] != NULL);
	return true;
}

/* "half an hour", "half hour" */
static bool half_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	(void)ctx;
	set_duration(out, 30, 0, UNIT_MINUTE, m[0] != NULL);
	return true;
}

/* "1h30", "1 hr 30 min", "2 hours 15 minutes" */
static bool hours_minutes(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int h = rules_number(m[1]);
	int mins = rules_number(m[3]);

	(void)ctx;
	if (tok(m[2])->lex->unit != UNIT_HOUR || h < 0 || mins < 0 || mins > 59)
		return false;
	if (m[4] && tok(m[4])->lex->unit != UNIT_MINUTE)
		return false;
	set_duration(out, h * 60 + mins, h, UNIT_HOUR, m[0] != NULL);
	return true;
}

static void set_recurrence(struct mention *out, enum recur_freq freq, int interval)
{
	out->kind = MENTION_RECURRENCE;
	out->recur.freq = freq;
	out->recur.interval = interval > 0 ? interval : 1;
}

/* A weekday the grammar already read as a date ("Thursday"), or a plural
 * weekday token ("Mondays"); -1 otherwise. */
static int weekday_of(const struct grammar_item *item)
{
	const struct token *t = tok(item);

	if (!item)
		return -1;
	if (t)
		return token_has(t, LEX_WEEKDAY) ? t->lex->weekday : -1;
	if (item->mention.kind == MENTION_POINT && item->mention.date.kind == DATE_WEEKDAY)
		return item->mention.date.weekday;
	return -1;
}

static int interval_word(const struct grammar_item *item)
{
	if (!item)
		return 1;
	if (grammar_item_is(item, "other") || grammar_item_is(item, "alternate"))
		return 2;
	return rules_ordinal(item) > 0 ? rules_ordinal(item) : rules_number(item);
}

/* "every Thursday", "every other tues", "every Tuesday and Thursday",
 * "each Monday, Wednesday and Friday" */
static bool every_weekday(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int interval = interval_word(m[1]);

	(void)ctx;
	if (interval < 1 || interval > 12)
		return false;
	set_recurrence(out, FREQ_WEEKLY, interval);
	for (int i = 2; i < 9; i += 2) {
		int wd = weekday_of(m[i]);

		if (!m[i])
			continue;
		if (wd < 0)
			return false;
		out->recur.byday |= 1u << wd;
		/* "every Monday at 9" arrives as a weekday with its time. */
		if (m[i]->is_mention && m[i]->mention.time.kind != TIME_NONE)
			out->time = m[i]->mention.time;
	}
	return out->recur.byday != 0;
}

/* "on Mondays", "Tuesdays and Thursdays" */
static bool plural_weekdays(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	(void)ctx;
	set_recurrence(out, FREQ_WEEKLY, 1);
	for (int i = 1; i < 6; i += 2) {
		const struct token *t = tok(m[i]);

		if (!m[i])
			continue;
		if (!t || !token_has(t, LEX_WEEKDAY) || !(t->lex->classes & LEX_PLURAL))
			return false;
		out->recur.byday |= 1u << t->lex->weekday;
	}
	return out->recur.byday != 0;
}

/* "every day", "every 2 weeks", "every other month", "every year" */
static bool every_unit(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	int interval = m[1] ? interval_word(m[1]) : 1;
	int unit = tok(m[2])->lex->unit;

	(void)ctx;
	if (interval < 1 || interval > 365)
		return false;
	switch (unit) {
	case UNIT_DAY:
		set_recurrence(out, FREQ_DAILY, interval);
		return true;
	case UNIT_WEEK:
		set_recurrence(out, FREQ_WEEKLY, interval);
		return true;
	case UNIT_FORTNIGHT:
		set_recurrence(out, FREQ_WEEKLY, 2 * interval);
		return true;
	case UNIT_MONTH:
		set_recurrence(out, FREQ_MONTHLY, interval);
		return true;
	case UNIT_QUARTER:
		set_recurrence(out, FREQ_MONTHLY, 3 * interval);
		return true;
	case UNIT_YEAR:
		set_recurrence(out, FREQ_YEARLY, interval);
		return true;
	default:
		return false;
	}
}

/* Whether "daily", "weekly" ... is used as an adjective before a noun
 * ("Quarterly planning", "Weekly sync"), not as an adverb ("weekly on
 * Fridays", "daily at 9"). */
static bool used_as_adjective(const struct token *after)
{
	static const char *const adverb_followers[] = {
		"on", "at", "from", "until", "starting", "in", "every", "for", "and", "with", NULL
	};

	if (!after || after->kind != TOK_WORD ||
	    token_has(after, LEX_WEEKDAY | LEX_DAYWORD | LEX_PART | LEX_MONTH))
		return false;
	for (size_t i = 0; adverb_followers[i]; i++)
		if (token_is(after, adverb_followers[i]))
			return false;
	return true;
}

/* "Daily standup at 9am for 10 days": an adjective names a recurrence only
 * when a count in its own unit follows. */
static bool counted_later(const struct grammar_context *ctx, int from, const struct token *adverb)
{
	int unit = token_is(adverb, "daily") || token_is(adverb, "nightly") ? UNIT_DAY :
		   token_is(adverb, "weekly") ? UNIT_WEEK : token_is(adverb, "monthly") ? UNIT_MONTH :
		   -1;

	for (int i = from + 1; unit >= 0 && i + 2 < (int)ctx->token_count; i++) {
		const struct token *n = &ctx->tokens[i + 1];
		const struct token *u = &ctx->tokens[i + 2];

		if (token_is(&ctx->tokens[i], "for") && (n->kind == TOK_NUM || token_has(n, LEX_CARDINAL)) &&
		    token_has(u, LEX_UNIT) && u->lex->unit == unit)
			return true;
	}
	return false;
}

/* "daily", "weekly", "biweekly", "monthly", "yearly" */
static bool adverb(const struct grammar_context *ctx, const struct grammar_item *const *m,
		   struct mention *out)
{
	const struct token *t = tok(m[0]);
	bool adjective = used_as_adjective(rules_token_after(ctx, m[0]->last));

	if (adjective && !counted_later(ctx, m[0]->last, t))
		return false;
	/* As an adjective the word is part of the event's name too. */
	out->in_title = adjective;
	if (token_is(t, "daily") || token_is(t, "nightly"))
		set_recurrence(out, FREQ_DAILY, 1);
	else if (token_is(t, "weekly"))
		set_recurrence(out, FREQ_WEEKLY, 1);
	else if (token_is(t, "biweekly") || token_is(t, "fortnightly"))
		set_recurrence(out, FREQ_WEEKLY, 2);
	else if (token_is(t, "monthly"))
		set_recurrence(out, FREQ_MONTHLY, 1);
	else if (token_is(t, "quarterly"))
		set_recurrence(out, FREQ_MONTHLY, 3);
	else if (token_is(t, "yearly") || token_is(t, "annually") || token_is(t, "annual"))
		set_recurrence(out, FREQ_YEARLY, 1);
	else
		return false;
	return true;
}

/* "every weekday", "each workday", "on weekdays", "weekdays" */
static bool workdays(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	(void)ctx;
	(void)m;
	set_recurrence(out, FREQ_WEEKLY, 1);
	out->recur.byday = 0x1F;
	return true;
}

/* "every weekend" */
static bool weekends(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	(void)ctx;
	(void)m;
	set_recurrence(out, FREQ_WEEKLY, 1);
	out->recur.byday = (1u << CAL_SATURDAY) | (1u << CAL_SUNDAY);
	return true;
}

/* "every morning", "every night at 9": daily at a part of the day */
static bool every_part(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	const struct mention *t = &m[1]->mention;

	(void)ctx;
	if (t->kind != MENTION_POINT || t->date.kind != DATE_NONE || t->time.kind != TIME_PART)
		return false;
	set_recurrence(out, FREQ_DAILY, 1);
	/* The part of the day stays as the recurrence's time. */
	out->time = t->time;
	return true;
}

/* A date the grammar read from "the 15th" alone. */
static int month_day_of(const struct grammar_item *item)
{
	if (!item || !item->is_mention || item->mention.kind != MENTION_POINT ||
	    !item->mention.date.day_of_month_only)
		return -1;
	return item->mention.date.day.day;
}

/* "every month on the 15th", "monthly on the 1st" */
static bool monthly_on_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	int day = month_day_of(m[3]);

	(void)ctx;
	if (day < 1)
		day = rules_ordinal(m[3]);
	if (day < 1 || day > 31)
		return false;
	set_recurrence(out, FREQ_MONTHLY, 1);
	out->recur.bymonthday = day;
	return true;
}

/* "the 15th of every month", "on the 1st of each month" */
static bool day_of_every_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
			       struct mention *out)
{
	int day = rules_ordinal(m[2]);

	(void)ctx;
	if (day < 1 || day > 31)
		return false;
	set_recurrence(out, FREQ_MONTHLY, 1);
	out->recur.bymonthday = day;
	return true;
}

/* "first Thursday of every month", "the last Friday of each month" */
static bool nth_weekday_monthly(const struct grammar_context *ctx, const struct grammar_item *const *m,
				struct mention *out)
{
	int n = grammar_item_is(m[1], "last") ? -1 : rules_ordinal(m[1]);
	int wd = weekday_of(m[2]);

	(void)ctx;
	if (wd < 0 || n == 0 || n < -1 || n > 5)
		return false;
	set_recurrence(out, FREQ_MONTHLY, 1);
	out->recur.byday = 1u << wd;
	out->recur.byday_nth = n;
	return true;
}

/* "every month on the first Monday", "monthly on the last Friday" */
static bool monthly_nth_weekday(const struct grammar_context *ctx, const struct grammar_item *const *m,
				struct mention *out)
{
	const struct grammar_item *shifted[3] = { m[3], m[4], m[5] };

	return nth_weekday_monthly(ctx, shifted, out);
}

/* "every year on March 3", "annually on Dec 25", "every Dec 25" */
static bool yearly_on(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct mention *d = &m[3]->mention;

	(void)ctx;
	if (d->kind != MENTION_POINT || d->date.kind != DATE_DAY || d->date.weekday_named ||
	    d->date.day_of_month_only)
		return false;
	set_recurrence(out, FREQ_YEARLY, 1);
	out->date = d->date;
	return true;
}

/* "until Dec 18", "through the end of March": the last day of a series */
static bool recur_until(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct mention *d = &m[3]->mention;

	(void)ctx;
	if (d->kind != MENTION_POINT || d->date.kind == DATE_NONE || d->date.kind == DATE_WEEKDAY)
		return false;
	*out = m[0]->mention;
	out->recur.has_until = true;
	out->recur.until = d->date.kind == DATE_SPAN ? cal_add_days(d->date.span_end, -1) : d->date.day;
	return true;
}

/* "for 6 weeks", "for 3 months", "10 times": how many occurrences */
static bool recur_count(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct mention *d = &m[2]->mention;
	int per_unit = 1;
	int days = 0;

	(void)ctx;
	*out = m[0]->mention;
	if (d->kind != MENTION_DURATION || !d->duration_for || d->number < 1)
		return false;
	for (int wd = 0; wd < 7; wd++)
		days += (out->recur.byday >> wd) & 1;
	if (out->recur.freq == FREQ_WEEKLY && d->unit == UNIT_WEEK && out->recur.byday_nth == 0)
		per_unit = days > 1 ? days : 1;
	else if (out->recur.freq == FREQ_DAILY && d->unit == UNIT_DAY)
		per_unit = 1;
	else if (out->recur.freq == FREQ_MONTHLY && d->unit == UNIT_MONTH)
		per_unit = 1;
	else if (out->recur.freq == FREQ_DAILY && d->unit == UNIT_WEEK)
		per_unit = 7;
	else
		return false;
	out->recur.count = d->number * per_unit / out->recur.interval;
	return out->recur.count > 0;
}

static bool recur_times(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int n = rules_number(m[2]);

	(void)ctx;
	if (n < 1 || n > 1000)
		return false;
	*out = m[0]->mention;
	out->recur.count = n;
	return true;
}

/* "until June 5" anywhere after a recurrence: its last day */
static bool until_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	const struct mention *d = &m[1]->mention;

	(void)ctx;
	if (d->kind != MENTION_POINT || d->date.kind == DATE_NONE || d->date.kind == DATE_WEEKDAY)
		return false;
	out->kind = MENTION_UNTIL;
	out->recur.has_until = true;
	out->recur.until = d->date.kind == DATE_SPAN ? cal_add_days(d->date.span_end, -1) : d->date.day;
	return true;
}

/* "every last Friday of the month", "every second Tuesday of the month" */
static bool every_nth_weekday(const struct grammar_context *ctx, const struct grammar_item *const *m,
			      struct mention *out)
{
	const struct mention *d = &m[1]->mention;

	(void)ctx;
	if (d->kind != MENTION_POINT || d->date.kind != DATE_DAY || d->date.nth == 0)
		return false;
	set_recurrence(out, FREQ_MONTHLY, 1);
	out->recur.byday = 1u << cal_weekday(d->date.day);
	out->recur.byday_nth = d->date.nth;
	if (d->time.kind != TIME_NONE)
		out->time = d->time;
	return true;
}

/* "starting Jan 5", "beginning next week", "from March 3 onwards" */
static bool anchor(const struct grammar_context *ctx, const struct grammar_item *const *m,
		   struct mention *out)
{
	const struct mention *d = &m[2]->mention;

	(void)ctx;
	if (d->kind != MENTION_POINT || d->date.kind == DATE_NONE)
		return false;
	*out = *d;
	out->kind = MENTION_ANCHOR;
	return true;
}

const struct grammar_rule rules_table_recur[] = {
	{ "for-duration", LAYER_EXTRA, "for|lasting about|around? <num> <unit>", for_duration, 0.9f },
	{ "bare-duration", LAYER_EXTRA, "<num> -? <unit>", bare_duration, 0.85f },
	{ "and-a-half", LAYER_EXTRA, "for? an|a <unit> and a half", and_a_half, 0.9f },
	{ "number-and-a-half", LAYER_EXTRA, "for? <num> and a half <unit>", number_and_a_half, 0.9f },
	{ "decimal-hours", LAYER_EXTRA, "for? <digits> ^. ^<digits> <unit>", decimal_hours, 0.9f },
	{ "half-hour", LAYER_EXTRA, "for? half an? hour", half_hour, 0.9f },
	{ "hours-minutes", LAYER_EXTRA, "for? <num> <unit> <num> <unit>?", hours_minutes, 0.9f },
	{ "every-weekday", LAYER_EXTRA, "every|each other|alternate|second|third|fourth? <point>|<weekday> ,|and|&|or? <point>|<weekday>? ,|and|&|or? <point>|<weekday>? ,|and|&|or? <point>|<weekday>?", every_weekday, 0.9f },
	{ "plural-weekdays", LAYER_EXTRA, "on? <weekday> ,|and|&? <weekday>? ,|and|&? <weekday>?", plural_weekdays, 0.85f },
	{ "every-unit", LAYER_EXTRA, "every|each other|<num>|<ord>? <unit>", every_unit, 0.9f },
	{ "adverb", LAYER_EXTRA, "daily|nightly|weekly|biweekly|fortnightly|monthly|quarterly|yearly|annually|annual", adverb, 0.85f },
	{ "workdays", LAYER_EXTRA, "every|each|on? weekday|weekdays|workday|workdays|weeknight|weeknights", workdays, 0.9f },
	{ "business-days", LAYER_EXTRA, "every|each business|working|work day", workdays, 0.9f },
	{ "monday-to-friday", LAYER_EXTRA, "monday - friday", workdays, 0.8f },
	{ "weekends", LAYER_EXTRA, "every|each weekend", weekends, 0.9f },
	{ "every-part", LAYER_EXTRA, "every|each <time>", every_part, 0.85f },
	{ "monthly-on-day", LAYER_EXTRA, "every|each|monthly month? on? <date>|<ord>", monthly_on_day, 0.85f },
	{ "day-of-every-month", LAYER_EXTRA, "on? the? <ord> of every|each month", day_of_every_month, 0.9f },
	{ "nth-weekday-monthly", LAYER_EXTRA, "the? <ord>|last <point>|<weekday> of every|each month", nth_weekday_monthly, 0.9f },
	{ "monthly-nth-weekday", LAYER_EXTRA, "every|each|monthly month? on the <ord>|last <point>|<weekday>", monthly_nth_weekday, 0.85f },
	{ "yearly-on", LAYER_EXTRA, "every|each|annually|yearly year? on? <date>", yearly_on, 0.85f },
	{ "recur-until", LAYER_EXTRA_MOD, "<recur> ,? until|through|ending|ends <date>", recur_until, 0.9f },
	{ "recur-count", LAYER_EXTRA_MOD, "<recur> ,? <duration>", recur_count, 0.9f },
	{ "recur-times", LAYER_EXTRA_MOD, "<recur> ,? <num> times", recur_times, 0.9f },
	{ "every-nth-weekday", LAYER_EXTRA, "every|each <point>", every_nth_weekday, 0.9f },
	{ "until-date", LAYER_EXTRA_MOD, "until|through|till|ending <date>", until_date, 0.85f },
	{ "anchor", LAYER_EXTRA_MOD, "starting|beginning|from|effective|commencing|starts|begins|begin|start on? <date>", anchor, 0.85f },
};

const size_t rules_table_recur_count = sizeof rules_table_recur / sizeof rules_table_recur[0];
