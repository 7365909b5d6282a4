/*
 * Ranges: times ("9-5", "from 10 to 2", "between 7 and 8pm", "10pm to
 * 2am"), days of one month ("November 19-20", "9 to 12 of June"), dates
 * ("Dec 21 - Jan 1", "from 10/1 to 11/7") and mixtures ("Dec 31 10pm -
 * 12am"), and a time range placed on a date ("tomorrow between 7 and 8pm").
 *
 * A meridiem written on one end is carried to the other when that keeps
 * the start before the end ("7 to 8pm" is 19:00-20:00); what is still
 * unresolved is left to the hour conventions when the event is built.
 */
#include "engine/lexicon.h"
#include "engine/resolve.h"
#include "engine/rules.h"

static bool is_bare_number(const struct grammar_item *item)
{
	int v = rules_number(item);
	const struct token *t = grammar_item_token(item);

	if (v < 0 || v > 24 || grammar_item_is(item, "a") || grammar_item_is(item, "an"))
		return false;
	return !(t && t->kind == TOK_NUM && t->digits > 2);
}

/* A range end as a time of day: a clock time, or a bare hour. */
static bool end_time(const struct grammar_item *item, struct time_value *out)
{
	if (item->is_mention) {
		const struct mention *m = &item->mention;

		if (m->kind != MENTION_POINT || m->date.kind != DATE_NONE || m->time.kind != TIME_CLOCK)
			return false;
		*out = m->time;
		return true;
	}
	if (!is_bare_number(item))
		return false;
	out->kind = TIME_CLOCK;
	out->hour = rules_number(item);
	out->minute = 0;
	out->second = 0;
	out->meridiem = MER_NONE;
	out->fixed = out->hour == 0 || out->hour >= 13;
	return true;
}

/* A bare hour as the reading convention places it: 7 to 11 morning, 12
 * noon, 1 to 6 afternoon. */
static int bare_hour_minutes(const struct time_value *t)
{
	int hour = t->hour;

	if (!t->fixed && hour >= 1 && hour <= 6)
		hour += 12;
	return hour * 60 + t->minute;
}

static int minutes_of(const struct time_value *t)
{
	return t->hour * 60 + t->minute;
}

/* The hour a meridiem gives to an unresolved clock time. */
static int with_meridiem(const struct time_value *t, bool pm)
{
	int h = t->hour % 12;

	return (pm ? h + 12 : h) * 60 + t->minute;
}

/* Carries a written meridiem from one end to the other. */
static void carry_meridiem(struct time_value *start, struct time_value *end)
{
	/* A part of the day already says which half: "3 in the morning until 5pm". */
	if ((!start->fixed && start->part != PART_NONE) || (!end->fixed && end->part != PART_NONE))
		return;
	if (!start->fixed && end->fixed && end->meridiem != MER_NONE) {
		int candidate = with_meridiem(start, end->meridiem == MER_PM);

		if (candidate < minutes_of(end)) {
			start->hour = candidate / 60;
			start->fixed = true;
		}
	} else if (start->fixed && !end->fixed && start->meridiem != MER_NONE) {
		int candidate = with_meridiem(end, start->meridiem == MER_PM);

		if (candidate > minutes_of(start)) {
			end->hour = candidate / 60;
			end->fixed = true;
		}
	}
}

/* Words after a range of numbers that make it a count ("5 to 6 weeks"). */
static bool count_follows(const struct grammar_context *ctx, int last)
{
	const struct token *after = rules_token_after(ctx, last);
	const struct token *second = last + 2 < (int)ctx->token_count ? &ctx->tokens[last + 2] : NULL;

	/* A decimal ("5 to 6.5") counts; a full stop ending the sentence does not. */
	return after && (token_has(after, LEX_UNIT) || token_is(after, "people") ||
			 token_is(after, "guests") || token_is(after, "times") ||
			 token_is(after, "percent") || token_is_punct(after, '%') ||
			 token_is(after, "year") || token_is(after, "years") || token_is(after, "of") ||
			 token_is_punct(after, '/') ||
			 (token_is_punct(after, '.') && !after->space_before && second &&
			  second->kind == TOK_NUM && !second->space_before));
}

/* Whether a day is written right before or after tokens [first, last]. */
static bool next_to_day(const struct grammar_context *ctx, int first, int last)
{
	const struct token *before = rules_token_before(ctx, first);
	const struct token *after = rules_token_after(ctx, last);
	const uint32_t day_words = LEX_WEEKDAY | LEX_DAYWORD | LEX_MONTH;

	if (before && (token_has(before, day_words) || token_is(before, "from") ||
		       (before->kind == TOK_NUM && before->ordinal_suffix)))
		return true;
	return after && (token_has(after, day_words | LEX_RELATIVE) || token_is(after, "on") ||
			 token_is_punct(after, ':'));
}

/* Whether a recurrence word comes before token `first` ("every Tuesday
 * at 7 until June 5"): a range there bounds the series instead. */
static bool after_recurrence(const struct grammar_context *ctx, int first)
{
	for (int i = first - 1; i >= 0; i--) {
		const struct token *t = &ctx->tokens[i];

		if (token_is(t, "every") || token_is(t, "each") || token_is(t, "daily") ||
		    token_is(t, "weekly") || token_is(t, "monthly") || token_is(t, "weekdays") ||
		    (token_has(t, LEX_WEEKDAY) && (t->lex->classes & LEX_PLURAL)))
			return true;
		if (t->kind == TOK_PUNCT && (t->punct == '.' || t->punct == '!' || t->punct == '?'))
			return false;
	}
	return false;
}

/* "9-5", "from 10 to 2", "between 7 and 8pm", "1:00pm-2:30",
 * "5 to seven in the morning", "10pm to 2am" */
static bool time_range(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	struct time_value start = { 0 }, end = { 0 };
	bool between = grammar_item_is(m[0], "between");
	bool both_bare = !m[1]->is_mention && !m[3]->is_mention;
	const struct mention *part = m[4] ? &m[4]->mention : NULL;

	if (grammar_item_is(m[2], "and") && !between)
		return false;
	if (between && !grammar_item_is(m[2], "and"))
		return false;
	if (!end_time(m[1], &start) || !end_time(m[3], &end))
		return false;
	if (part && (part->kind != MENTION_POINT || part->time.kind != TIME_PART ||
		     part->date.kind != DATE_NONE))
		return false;
	if (both_bare) {
		/* Two bare numbers are never hours before a unit ("5 to 6 weeks"). */
		if (count_follows(ctx, m[3]->last))
			return false;
		/* Without "from"/"between" or a part of the day, two bare numbers
		 * are hours only next to a day ("Saturday 9-5", "2 to 4 next
		 * friday"); "chapters 3-5" is not a time. */
		if (!m[0] && !part && !next_to_day(ctx, m[1]->first, m[3]->last))
			return false;
		/* "3-1" read by the bare-hour convention would run overnight
		 * (15:00 to 13:00): a score or a count, not hours. */
		if (!m[0] && !part && grammar_item_token(m[2]) &&
		    token_is_punct(grammar_item_token(m[2]), '-') &&
		    bare_hour_minutes(&end) <= bare_hour_minutes(&start))
			return false;
	}
	if (part) {
		start.part = start.part ? start.part : part->time.part;
		end.part = end.part ? end.part : part->time.part;
	}
	carry_meridiem(&start, &end);
	out->kind = MENTION_RANGE;
	out->time = start;
	out->time2 = end;
	if (both_bare && !part)
		out->confidence -= 0.15f;
	return true;
}

/* A point that can end or start a date range. */
static bool is_range_point(const struct grammar_item *item)
{
	return item->is_mention && item->mention.kind == MENTION_POINT;
}

/* "Dec 21 - Jan 1", "25/1 to 27/1", "from next friday to Oct 1st 2020",
 * "between now and November 15th", "Dec 31 10pm - 12am",
 * "11:30 am to 12:30 december 27th" */
static bool point_range(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct mention *a = &m[1]->mention;
	const struct mention *b = &m[3]->mention;
	bool between = grammar_item_is(m[0], "between");

	const struct token *before = rules_token_before(ctx, (m[0] ? m[0] : m[1])->first);

	if (!is_range_point(m[1]) || !is_range_point(m[3]))
		return false;
	if (grammar_item_is(m[2], "and") != between)
		return false;
	/* "every Friday until Dec 18" bounds a recurrence instead. */
	if (before && (token_is(before, "every") || token_is(before, "each") || token_is(before, "other")))
		return false;
	if (grammar_item_is(m[2], "until") && after_recurrence(ctx, m[1]->first))
		return false;
	/* Two times of day are time_range's job. */
	if (a->date.kind == DATE_NONE && b->date.kind == DATE_NONE)
		return false;
	/* "May/22(Tue)-11:30 AM": a hyphen between a day and a time of day
	 * joins them into one point rather than making a range. */
	if (!m[0] && grammar_item_token(m[2]) && token_is_punct(grammar_item_token(m[2]), '-') &&
	    a->time.kind == TIME_NONE && (a->date.kind == DATE_DAY || a->date.kind == DATE_WEEKDAY) &&
	    b->date.kind == DATE_NONE && b->time.kind == TIME_CLOCK) {
		*out = *a;
		out->time = b->time;
		out->confidence = a->confidence < b->confidence ? a->confidence : b->confidence;
		return true;
	}
	out->kind = MENTION_RANGE;
	out->date = a->date;
	out->time = a->time;
	out->date2 = b->date;
	out->time2 = b->time;
	/* "between now and November 15th": now counts as today's date. */
	if (a->time.exact && b->time.kind == TIME_NONE && b->date.kind != DATE_NONE)
		out->time.kind = TIME_NONE;
	if (b->time.exact && a->time.kind == TIME_NONE && a->date.kind != DATE_NONE) {
		/* The span runs up to now: today is its exclusive end. */
		out->time2.kind = TIME_NONE;
		out->time2.exact = true;
	}
	/* "from midnight to noon on Jan 9", "11:30 am to 12:30 december 27th":
	 * a time alone on one end falls on the other end's day. */
	if (out->date.kind == DATE_NONE && out->time.kind != TIME_NONE && b->date.kind != DATE_SPAN)
		out->date = b->date;
	if (out->time.kind == TIME_CLOCK && out->time2.kind == TIME_CLOCK)
		carry_meridiem(&out->time, &out->time2);
	out->confidence = a->confidence < b->confidence ? a->confidence : b->confidence;
	return true;
}

/* "November 19-20", "Dec 21 to 23, 2026" */
static bool month_day_range(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	int month = grammar_item_token(m[0])->lex->month;
	int first = rules_day(m[2]), last = rules_day(m[4]);
	int year = m[6] ? rules_number(m[6]) : 0;

	if (first < 1 || last < 1 || last <= first)
		return false;
	if (!resolve_explicit_date(rules_today(ctx), year, month, first, &out->date))
		return false;
	out->date2 = out->date;
	out->date2.day.day = last;
	if (!cal_date_valid(out->date2.day))
		return false;
	out->kind = MENTION_RANGE;
	return true;
}

/* "9 to 12 of June", "between 3 and 12 of Sept", "from the 3rd to the 7th
 * of May" */
static bool day_day_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int first = rules_day(m[2]), last = rules_day(m[5]);
	int month = grammar_item_token(m[7])->lex->month;
	bool between = grammar_item_is(m[0], "between");

	if (grammar_item_is(m[3], "and") != between || first < 1 || last <= first)
		return false;
	if (!resolve_explicit_date(rules_today(ctx), m[9] ? rules_number(m[9]) : 0, month, first, &out->date))
		return false;
	out->date2 = out->date;
	out->date2.day.day = last;
	if (!cal_date_valid(out->date2.day))
		return false;
	out->kind = MENTION_RANGE;
	return true;
}

/* "from 4-23 in next month", "the 3rd to the 7th of this month" */
static bool day_day_relative_month(const struct grammar_context *ctx,
				   const struct grammar_item *const *m, struct mention *out)
{
	int first = rules_day(m[2]), last = rules_day(m[5]);
	int rel = grammar_item_token(m[8])->lex->relative;
	struct cal_date month = { rules_today(ctx).year, rules_today(ctx).month, 1 };
	bool between = grammar_item_is(m[0], "between");

	if (grammar_item_is(m[3], "and") != between || first < 1 || last <= first)
		return false;
	if (rel == REL_NEXT || rel == REL_FOLLOWING || rel == REL_COMING)
		month = cal_add_months(month, 1);
	else if (rel == REL_LAST)
		month = cal_add_months(month, -1);
	out->kind = MENTION_RANGE;
	out->date.kind = DATE_DAY;
	out->date.day = (struct cal_date){ month.year, month.month, first };
	out->date2 = out->date;
	out->date2.day.day = last;
	return cal_date_valid(out->date.day) && cal_date_valid(out->date2.day);
}

/* A range of times placed on a date: "from 9am to noon Saturday",
 * "from 5 to 6pm of April 22". */
static bool range_on_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	const struct mention *r = &m[0]->mention;
	const struct mention *d = &m[2]->mention;

	(void)ctx;
	if (r->date.kind != DATE_NONE || r->date2.kind != DATE_NONE || r->time.kind == TIME_NONE ||
	    d->kind != MENTION_POINT || d->date.kind == DATE_NONE || d->date.kind == DATE_SPAN)
		return false;
	*out = *r;
	out->date = d->date;
	/* A part of the day on the date ("tomorrow night") says am or pm. */
	if (d->time.kind == TIME_PART) {
		out->time.part = out->time.part ? out->time.part : d->time.part;
		out->time2.part = out->time2.part ? out->time2.part : d->time.part;
	}
	return true;
}

/* "today from 1:00pm-2:30", "tomorrow between 7 and 8pm", "Tuesday 9-5" */
static bool date_then_range(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	const struct grammar_item *swapped[3] = { m[2], m[1], m[0] };

	return range_on_date(ctx, swapped, out);
}

const struct grammar_rule rules_table_range[] = {
	{ "month-day-range", LAYER_DATE, "<month> .? <day> -|to|through|until <day> ,? <year>?", month_day_range, 0.9f },
	{ "day-day-month", LAYER_DATE, "from|between? the? <day> -|to|through|until|and the? <day> of|in? <month> ,? <year>?", day_day_month, 0.85f },
	{ "day-day-relative-month", LAYER_DATE, "from|between? the? <day> -|to|through|until|and the? <day> of|in the? <rel> month", day_day_relative_month, 0.85f },
	{ "time-range", LAYER_TIME_RANGE, "from|between? <num>|<time> -|to|until|through|and <num>|<time> <time>?", time_range, 0.9f },
	{ "point-range", LAYER_RANGE, "from|between? <point> -|to|until|through|and <point>", point_range, 0.9f },
	{ "range-on-date", LAYER_RANGE_DATE, "<range> ,|on|of|this? <point>", range_on_date, 0.9f },
	{ "date-then-range", LAYER_RANGE_DATE, "<point> ,|from|between|at|@? <range>", date_then_range, 0.9f },
};

const size_t rules_table_range_count = sizeof rules_table_range / sizeof rules_table_range[0];
