/*
 * Dates: today/tomorrow and their typos, weekdays with this/next/last,
 * month-name and numeric dates in every common order, ordinal days,
 * the nth weekday of a month, holidays, offsets ("in 3 weeks", "2 weeks
 * from tomorrow", "30 min later"), and spans (next week, this month,
 * 2017 q1, week 31, the weekend, end of the month).
 */
#include <stdio.h>
#include <string.h>

#include "engine/holiday.h"
#include "engine/resolve.h"
#include "engine/rules.h"

static const struct token *tok(const struct grammar_item *item)
{
	return grammar_item_token(item);
}

static int relative_of(const struct grammar_item *item)
{
	const struct token *t = tok(item);

	return t && token_has(t, LEX_RELATIVE) ? t->lex->relative : -1;
}

static int month_of(const struct grammar_item *item)
{
	const struct token *t = tok(item);

	return t && token_has(t, LEX_MONTH) ? t->lex->month : -1;
}

static int digits_of(const struct grammar_item *item)
{
	const struct token *t = tok(item);

	return t && t->kind == TOK_NUM ? t->digits : 0;
}

static int year_of(const struct grammar_item *item)
{
	return item ? rules_number(item) : 0;
}

/* today, tomorrow, yesterday and their spellings */
/* 1-4 for "q1".."q4", -1 with *half set for "h1"/"h2", 0 otherwise. */
static int quarter_word_value(const struct token *t, int *half)
{
	*half = 0;
	if (!t || t->kind != TOK_WORD || strlen(t->norm) != 2 || t->norm[1] < '1' || t->norm[1] > '4')
		return 0;
	if (t->norm[0] == 'q')
		return t->norm[1] - '0';
	if (t->norm[0] == 'h' && t->norm[1] <= '2') {
		*half = t->norm[1] - '0';
		return -1;
	}
	return 0;
}

static bool dayword(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	rules_set_day(out, cal_add_days(rules_today(ctx), tok(m[0])->lex->number));
	return true;
}

/* "the day after tomorrow", "the day before yesterday" */
static bool day_after_tomorrow(const struct grammar_context *ctx, const struct grammar_item *const *m,
			       struct mention *out)
{
	int offset = tok(m[3])->lex->number;

	/* "two days after today" is an offset, read by another rule. */
	if ((tok(m[1])->lex && (tok(m[1])->lex->classes & LEX_PLURAL)) || offset == 0)
		return false;
	offset += grammar_item_is(m[2], "after") ? 1 : -1;
	rules_set_day(out, cal_add_days(rules_today(ctx), offset));
	return true;
}

/* "the day after", "the day before" standing alone */
static bool day_after(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct token *after = rules_token_after(ctx, m[2]->last);

	if (after && after->kind != TOK_PUNCT)
		return false;
	rules_set_day(out, cal_add_days(rules_today(ctx), grammar_item_is(m[2], "after") ? 1 : -1));
	return true;
}

static bool weekday(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	const struct token *t = tok(m[1]);
	int rel = relative_of(m[0]);
	int wd = t->lex->weekday;
	struct cal_date today = rules_today(ctx);

	if (t->lex->classes & LEX_PLURAL)
		return false;  /* "on Mondays" is a recurrence */
	if (rel < 0 && !rules_abbrev_is_date(ctx, t))
		return false;
	/* "last Friday of the month" is read by the nth-weekday rules. */
	if (rel == REL_LAST && rules_token_after(ctx, m[1]->last) &&
	    token_is(rules_token_after(ctx, m[1]->last), "of"))
		return false;
	out->kind = MENTION_POINT;
	out->date.weekday_named = true;
	out->date.weekday = wd;
	switch (rel) {
	case REL_NEXT:
	case REL_FOLLOWING:
		rules_set_day(out, resolve_next_weekday(today, wd));
		break;
	case REL_LAST:
		rules_set_day(out, resolve_last_weekday(today, wd));
		break;
	default:
		out->date.kind = DATE_WEEKDAY;
		break;
	}
	return true;
}

/* "Friday after next" */
static bool weekday_after_next(const struct grammar_context *ctx, const struct grammar_item *const *m,
			       struct mention *out)
{
	int wd = tok(m[0])->lex->weekday;

	rules_set_day(out, cal_add_days(resolve_next_weekday(rules_today(ctx), wd), 7));
	out->date.weekday_named = true;
	return true;
}

/* The Monday of the week a relative word names. */
static struct cal_date week_monday(struct cal_date today, int rel)
{
	struct cal_date monday = cal_week_monday(today);

	if (rel == REL_NEXT || rel == REL_FOLLOWING || rel == REL_COMING)
		return cal_add_days(monday, 7);
	if (rel == REL_LAST)
		return cal_add_days(monday, -7);
	return monday;
}

/* "Monday of next week", "tuesday of last week" */
static bool weekday_of_week(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	int wd = tok(m[0])->lex->weekday;
	int rel = relative_of(m[3]);

	rules_set_day(out, cal_add_days(week_monday(rules_today(ctx), rel), wd));
	out->date.weekday_named = true;
	return true;
}

/* "next week Wednesday", "previous week - Monday", "this week Monday" */
static bool week_weekday(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int rel = relative_of(m[0]);
	int wd = tok(m[5])->lex->weekday;

	rules_set_day(out, cal_add_days(week_monday(rules_today(ctx), rel), wd));
	out->date.weekday_named = true;
	return true;
}

/* "Wednesday next week" */
static bool weekday_week(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int wd = tok(m[0])->lex->weekday;

	rules_set_day(out, cal_add_days(week_monday(rules_today(ctx), relative_of(m[1])), wd));
	out->date.weekday_named = true;
	return true;
}

static bool set_explicit(const struct grammar_context *ctx, struct mention *out, int year,
			 int month, int day)
{
	if (month < 1 || day < 1 || !resolve_explicit_date(rules_today(ctx), year, month, day, &out->date))
		return false;
	out->kind = MENTION_POINT;
	return true;
}

/* A month name and a day: a date, or, for a day the month does not have
 * ("Feb 30", "April 31"), a mark that the text names an impossible date, so
 * the event gets no start from the other words. */
static bool set_named_date(const struct grammar_context *ctx, struct mention *out, int year,
			   int month, int day)
{
	if (set_explicit(ctx, out, year, month, day))
		return true;
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return false;
	out->kind = MENTION_IMPOSSIBLE;
	return true;
}

/* "Jan 9", "January 12, 2016", "Dec. 31 , 1994", "June the 28th 2020" */
static bool month_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	int day = rules_day(m[3]);
	const struct token *after = rules_token_after(ctx, m[3]->last);

	const struct token *before = rules_token_before(ctx, m[0]->first);

	/* "May 2 people", "Jan 5 hours": a count, not a day. */
	if (!m[5] && after && (token_has(after, LEX_UNIT) || token_is(after, "people")))
		return false;
	/* "Lunch with April 7/18": a month name after "with" is a person. */
	if (before && token_is(before, "with") && grammar_item_token(m[0])->capitalized)
		return false;
	/* "Dec 31 10pm" keeps 10pm as a time: a year needs four digits. */
	return set_named_date(ctx, out, m[5] ? year_of(m[5]) : 0, month_of(m[0]), day);
}

/* "july 4th of 1995", "june 26th in 2020" */
static bool month_day_of_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
			      struct mention *out)
{
	return set_named_date(ctx, out, year_of(m[4]), month_of(m[0]), rules_day(m[2]));
}

/* "22 April", "4th of july", "the twenty second of january", "04th Jan 2019" */
static bool day_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct token *t = tok(m[1]);
	const struct token *before = rules_token_before(ctx, (m[0] ? m[0] : m[1])->first);

	/* "at 5 may", "$12 December 27": a time or an amount, not a day. */
	if (t && t->kind == TOK_NUM && !t->ordinal_suffix && !m[0] && before &&
	    (token_is(before, "at") || token_is_punct(before, '@') || token_is_punct(before, '$') ||
	     token_is_punct(before, '#')))
		return false;
	return set_named_date(ctx, out, m[6] ? year_of(m[6]) : 0, month_of(m[3]), rules_day(m[1]));
}

/* "26th of june of 2020", "26 june in 2019" */
static bool day_month_of_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
			      struct mention *out)
{
	return set_named_date(ctx, out, year_of(m[5]), month_of(m[3]), rules_day(m[1]));
}

/* A whole month: [first day, first day of the next month). */
static void set_month_span(struct mention *out, int year, int month)
{
	struct cal_date first = { year, month, 1 };

	rules_set_span(out, first, cal_add_months(first, 1));
}

/* "Dec 2018", "Dec-2018", "june of 1992", "april 2017" */
static bool month_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	(void)ctx;
	set_month_span(out, year_of(m[2]), month_of(m[0]));
	out->date.year_explicit = true;
	return true;
}

/* "2017 april" */
static bool year_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	(void)ctx;
	set_month_span(out, year_of(m[0]), month_of(m[1]));
	out->date.year_explicit = true;
	return true;
}

/* "2015-3": a year and a month number */
static bool year_dash_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	int month = rules_number(m[2]);
	const struct token *after = rules_token_after(ctx, m[2]->last);

	if (month < 1 || month > 12 || digits_of(m[2]) > 2 || (after && token_is_punct(after, '-')))
		return false;
	set_month_span(out, year_of(m[0]), month);
	return true;
}

/* "in March", "this September", "next april", "the april" */
static bool month_alone(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct token *t = tok(m[2]);
	int month = t->lex->month;
	int rel = relative_of(m[0]);
	struct cal_date today = rules_today(ctx);
	int year = today.year;
	const struct token *after = rules_token_after(ctx, m[2]->last);

	if ((t->lex->classes & LEX_ABBREV) && !t->capitalized)
		return false;
	if (!m[0] && !m[1])
		return false;
	/* A day or year after the month belongs to a longer date rule. */
	if (after && (after->kind == TOK_NUM || token_has(after, LEX_ORDINAL | LEX_CARDINAL) ||
		      token_is(after, "the") || token_is_punct(after, '/') || token_is_punct(after, '-')))
		return false;
	/* "the March invoice": a month naming a thing, not a date. */
	if (after && after->kind == TOK_WORD && !m[0] && !token_has(after, LEX_PART | LEX_DAYWORD) &&
	    !token_is(after, "and") && !token_is(after, "or") && !token_is(after, "to") &&
	    !token_is(after, "at") && !token_is(after, "for") && !token_is(after, "until"))
		return false;
	/* "may be", "march on": verbs, not months. */
	if (after && (token_is(after, "be") || token_is(after, "on") || token_is(after, "have")))
		return false;
	if (month == 5 && !m[0] && !t->capitalized)
		return false;
	if (rel == REL_NEXT || rel == REL_FOLLOWING) {
		if (month <= today.month)
			year++;
	} else if (rel == REL_LAST) {
		if (month >= today.month)
			year--;
	} else if (rel != REL_THIS && month < today.month) {
		year++;
	}
	set_month_span(out, year, month);
	return true;
}

/* Whether a numeric date is followed by something that makes it a
 * fraction or a count ("1/2 hour", "24/7 support"). */
static bool numeric_blocked(const struct grammar_context *ctx, int last)
{
	const struct token *after = rules_token_after(ctx, last);

	const struct token *second = last + 2 < (int)ctx->token_count ? &ctx->tokens[last + 2] : NULL;

	/* "1/2 hour", "24/7", "3/4/5/6"; a colon before digits makes a time
	 * ("1/2:30"), a colon before a title does not ("3/8: Coat drive"). */
	return after && (token_has(after, LEX_UNIT | LEX_MEASURE) || token_is_punct(after, '%') ||
			 (token_is_punct(after, '/') && !after->space_before) ||
			 (token_is_punct(after, ':') && !after->space_before && second &&
			  second->kind == TOK_NUM && !second->space_before));
}

/* "1/11", "13/12", "5/3/18", "01/22/2016" */
static bool numeric_slash(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int a = rules_number(m[0]), b = rules_number(m[2]);
	int year = m[4] ? rules_number(m[4]) : -1;
	const struct token *before = rules_token_before(ctx, m[0]->first);

	if (digits_of(m[0]) > 2 || digits_of(m[2]) > 2 ||
	    (m[4] && digits_of(m[4]) != 2 && digits_of(m[4]) != 4))
		return false;
	if (numeric_blocked(ctx, (m[4] ? m[4] : m[2])->last) || (a == 24 && b == 7 && !m[4]))
		return false;
	if (before && (token_is_punct(before, '/') || token_is_punct(before, '$')) && !before->space_before)
		return false;
	if (!resolve_numeric_date(rules_today(ctx), a, b, year, m[4] ? digits_of(m[4]) : 0,
				  ctx->day_first, &out->date))
		return false;
	out->kind = MENTION_POINT;
	if (a <= 12 && b <= 12 && a != b)
		out->confidence -= 0.1f;
	return true;
}

/* "7.6", "5.12", "7.6.2018": dotted dates, read only when nothing makes
 * them a decimal or a time. */
static bool numeric_dot(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int a = rules_number(m[0]), b = rules_number(m[2]);
	int year = m[4] ? rules_number(m[4]) : -1;
	const struct token *after = rules_token_after(ctx, (m[4] ? m[4] : m[2])->last);
	const struct token *before = rules_token_before(ctx, m[0]->first);

	if (digits_of(m[0]) > 2 || digits_of(m[2]) > 2 || (m[4] && digits_of(m[4]) != 4 && digits_of(m[4]) != 2))
		return false;
	if (after && (token_has(after, LEX_MERIDIEM | LEX_UNIT) || token_is_punct(after, '%')))
		return false;
	if (before && (token_is(before, "at") || token_is(before, "was") || token_is(before, "is") ||
		       token_is(before, "version") || token_is(before, "v") || token_is_punct(before, '$')))
		return false;
	if (!resolve_numeric_date(rules_today(ctx), a, b, year, m[4] ? digits_of(m[4]) : 0,
				  ctx->day_first, &out->date))
		return false;
	out->kind = MENTION_POINT;
	out->confidence -= 0.15f;
	return true;
}

/* "12-25-2026", "25-12-26": dashed dates need a year, since "9-5" is a
 * range of hours. */
static bool numeric_dash(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int a = rules_number(m[0]), b = rules_number(m[2]), year = rules_number(m[4]);

	if (digits_of(m[0]) > 2 || digits_of(m[2]) > 2 || (digits_of(m[4]) != 4 && digits_of(m[4]) != 2))
		return false;
	if (!resolve_numeric_date(rules_today(ctx), a, b, year, digits_of(m[4]), ctx->day_first,
				  &out->date))
		return false;
	out->kind = MENTION_POINT;
	return true;
}

/* "Friday 7-6": a dashed month-day right after a weekday it agrees with. */
static bool weekday_numeric_dash(const struct grammar_context *ctx, const struct grammar_item *const *m,
				 struct mention *out)
{
	int a = rules_number(m[0]), b = rules_number(m[2]);
	const struct token *before = rules_token_before(ctx, m[0]->first);
	struct date_value d;

	if (!before || !token_has(before, LEX_WEEKDAY) || digits_of(m[0]) > 2 || digits_of(m[2]) > 2)
		return false;
	if (!resolve_numeric_date(rules_today(ctx), a, b, -1, 0, ctx->day_first, &d))
		return false;
	if (cal_weekday(d.day) != before->lex->weekday)
		return false;
	out->kind = MENTION_POINT;
	out->date = d;
	return true;
}

/* "2018-7-6", "2019/10/16", "2016 10 16" */
static bool iso_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	int month = rules_number(m[2]), day = rules_number(m[4]);

	(void)ctx;
	if (digits_of(m[2]) > 2 || digits_of(m[4]) > 2)
		return false;
	/* Without separators both parts need two digits ("2016 10 16"). */
	if (!m[1] && (digits_of(m[2]) != 2 || digits_of(m[4]) != 2))
		return false;
	out->kind = MENTION_POINT;
	out->date.kind = DATE_DAY;
	out->date.day = (struct cal_date){ year_of(m[0]), month, day };
	out->date.year_explicit = true;
	return cal_date_valid(out->date.day);
}

/* "20161016" */
static bool compact_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int v = rules_number(m[0]);

	(void)ctx;
	if (digits_of(m[0]) != 8)
		return false;
	out->kind = MENTION_POINT;
	out->date.kind = DATE_DAY;
	out->date.day = (struct cal_date){ v / 10000, v / 100 % 100, v % 100 };
	out->date.year_explicit = true;
	return out->date.day.year >= 1900 && out->date.day.year <= 2199 && cal_date_valid(out->date.day);
}

/* "2019/aug/01", "2019-aug-1" */
static bool year_month_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	return set_explicit(ctx, out, year_of(m[0]), month_of(m[2]), rules_day(m[4]));
}

/* "23/Sep/2020", "05-Aug-2016" */
static bool day_month_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	return set_explicit(ctx, out, year_of(m[4]), month_of(m[2]), rules_day(m[0]));
}

/* "Sep-23-2020" */
static bool month_day_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	return set_named_date(ctx, out, year_of(m[4]), month_of(m[0]), rules_day(m[2]));
}

/* "September-2020-23" */
static bool month_year_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	return set_explicit(ctx, out, year_of(m[2]), month_of(m[0]), rules_day(m[4]));
}

/* "2020/23/Sep" */
static bool year_day_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	return set_explicit(ctx, out, year_of(m[0]), month_of(m[4]), rules_day(m[2]));
}

/* "23-2020-September" */
static bool day_year_month(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	return set_explicit(ctx, out, year_of(m[2]), month_of(m[4]), rules_day(m[0]));
}

/* "Oct/2", "jun-15", "mar4" */
static bool month_slash_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	if (digits_of(m[2]) > 2)
		return false;
	return set_explicit(ctx, out, 0, month_of(m[0]), rules_day(m[2]));
}

/* "mar4": the tokenizer split a month from its day */
static bool month_glued_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	if (digits_of(m[1]) > 2)
		return false;
	return set_explicit(ctx, out, 0, month_of(m[0]), rules_day(m[1]));
}

/* Words after "the <ordinal>" that make it a count, not a day. */
static bool ordinal_blocked(const struct token *after)
{
	return after && after->kind == TOK_WORD && !token_has(after, LEX_PART | LEX_MERIDIEM) &&
	       !token_is(after, "at") && !token_is(after, "of") && !token_is(after, "from") &&
	       !token_is(after, "to") && !token_is(after, "and") && !token_is(after, "or") &&
	       !token_is(after, "until") && !token_is(after, "for") && !token_is(after, "in") &&
	       !token_is(after, "by") && !token_is(after, "with") && !token_is(after, "through") &&
	       !token_is(after, "instead") && !token_is(after, "this") && !token_is(after, "next") &&
	       !token_is(after, "please") && !token_is(after, "then") && !token_is(after, "is") &&
	       !token_is(after, "works") && !token_is(after, "if");
}

/* "on the 29th", "the 2nd", "on the fifteenth" */
static bool ordinal_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int day = rules_ordinal(m[2]);
	const struct token *after = rules_token_after(ctx, m[2]->last);

	if (day < 1 || day > 31 || (!m[0] && !m[1]) || ordinal_blocked(after))
		return false;
	/* "the 4th of July", "the 1st Monday": longer rules read these. */
	if (after && (token_has(after, LEX_MONTH | LEX_WEEKDAY) ||
		      (token_is(after, "of") && rules_token_after(ctx, m[2]->last + 1) &&
		       (token_has(rules_token_after(ctx, m[2]->last + 1), LEX_MONTH | LEX_RELATIVE) ||
			token_is(rules_token_after(ctx, m[2]->last + 1), "the") ||
			token_is(rules_token_after(ctx, m[2]->last + 1), "every") ||
			token_is(rules_token_after(ctx, m[2]->last + 1), "each")))))
		return false;
	/* "the second" alone is too often a count ("a second opinion"). */
	if (!m[0] && tok(m[2]) && tok(m[2])->kind == TOK_WORD && day <= 3)
		return false;
	out->kind = MENTION_POINT;
	out->date.kind = DATE_DAY;
	out->date.day_of_month_only = true;
	return resolve_day_of_month(rules_today(ctx), day, &out->date.day);
}

/* "first Monday of next month", "last Friday of the month", "the third
 * Thursday in March", "second Tuesday of May 2027" */
static bool nth_weekday(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int n = grammar_item_is(m[1], "last") ? -1 : rules_ordinal(m[1]);
	int wd = tok(m[2])->lex->weekday;
	const struct grammar_item *rel = m[5] ? m[5] : relative_of(m[3]) >= 0 ? m[3] : NULL;
	struct cal_date today = rules_today(ctx);
	struct cal_date d = { 0, 0, 0 };
	int year, month;

	if (n == 0 || n < -1 || n > 5 || !m[6] || !m[3])
		return false;
	if (month_of(m[6]) > 0) {
		/* A named month: this year's, or next year's once it is past. */
		month = month_of(m[6]);
		year = m[7] ? year_of(m[7]) : today.year;
		if (!cal_nth_weekday(year, month, wd, n, &d))
			return false;
		if (!m[7] && cal_date_cmp(d, today) < 0 && !cal_nth_weekday(year + 1, month, wd, n, &d))
			return false;
	} else {
		struct cal_date first = { today.year, today.month, 1 };
		int r = relative_of(rel);

		if (m[7])
			return false;
		if (r == REL_NEXT || r == REL_FOLLOWING || r == REL_COMING)
			first = cal_add_months(first, 1);
		else if (r == REL_LAST)
			first = cal_add_months(first, -1);
		if (!cal_nth_weekday(first.year, first.month, wd, n, &d))
			return false;
	}
	rules_set_day(out, d);
	out->date.weekday_named = true;
	out->date.nth = n;
	return true;
}

/* "Christmas", "New Year's Eve", "Thanksgiving 2027", "black friday 2010" */
static bool holiday(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	char key[96];
	size_t n = 0;
	int year = 0;
	struct cal_date today = rules_today(ctx);
	struct cal_date d;

	for (int i = 0; i < 5; i++) {
		char plain[TOKEN_NORM_MAX];
		const struct token *t = tok(m[i]);

		if (!t || t->kind != TOK_WORD)
			continue;
		grammar_strip_apostrophes(t->norm, plain, sizeof plain);
		n += (size_t)snprintf(key + n, sizeof key - n, "%s%s", n ? " " : "", plain);
		if (n >= sizeof key)
			return false;
	}
	if (m[5])
		year = year_of(m[5]);
	if (year > 0) {
		if (!holiday_date(key, year, &d))
			return false;
		out->date.year_explicit = true;
	} else {
		if (!holiday_date(key, today.year, &d))
			return false;
		if (cal_date_cmp(d, today) < 0 && !holiday_date(key, today.year + 1, &d))
			return false;
	}
	rules_set_day(out, d);
	out->date.holiday = true;
	return true;
}

/* "independence day of this year", "Christmas of next year": the date in
 * the year the span names, even if past. */
static bool date_this_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	const struct mention *d = &m[0]->mention;
	const struct mention *y = &m[2]->mention;
	struct cal_date day;

	(void)ctx;
	if (d->date.kind != DATE_DAY || d->date.year_explicit || y->date.kind != DATE_SPAN ||
	    y->date.day.month != 1 || y->date.day.day != 1 || y->date.span_end.year != y->date.day.year + 1 ||
	    y->date.span_end.month != 1)
		return false;
	*out = *d;
	day = (struct cal_date){ y->date.day.year, d->date.day.month, d->date.day.day };
	if (!cal_date_valid(day))
		return false;
	out->date.day = day;
	out->date.year_explicit = true;
	return true;
}

/* "in 3 weeks", "in ten minutes", "in a couple of weeks", "within 2 days" */
static bool in_offset(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	int n = rules_number(m[1]);
	int unit = tok(m[3])->lex->unit;
	struct cal_date today = rules_today(ctx);

	if (n < 0 || n > 10000)
		return false;
	switch (unit) {
	case UNIT_SECOND:
	case UNIT_MINUTE:
	case UNIT_HOUR: {
		/* NOTE: wall-clock arithmetic; across a daylight-saving change "in 3
		 * hours" is not three elapsed hours. */
		int64_t minutes = 0;
		struct cal_datetime t;

		if (unit == UNIT_HOUR)
			minutes = (int64_t)n * 60;
		else if (unit == UNIT_MINUTE)
			minutes = n;
		t = cal_datetime_add_minutes(ctx->ref, minutes);

		if (unit == UNIT_SECOND)
			t = cal_datetime_from_seconds(cal_datetime_seconds(ctx->ref) + n);
		rules_set_day(out, t.date);
		rules_set_clock(out, t.hour, t.minute, t.second, true, t.second != 0, MER_NONE);
		out->time.fixed = true;
		out->time.exact = true;
		return true;
	}
	case UNIT_DAY:
		rules_set_day(out, cal_add_days(today, n));
		return true;
	case UNIT_WEEK:
		rules_set_day(out, cal_add_days(today, 7 * n));
		return true;
	case UNIT_FORTNIGHT:
		rules_set_day(out, cal_add_days(today, 14 * n));
		return true;
	case UNIT_MONTH:
		rules_set_day(out, cal_add_months(today, n));
		return true;
	case UNIT_QUARTER:
		rules_set_day(out, cal_add_months(today, 3 * n));
		return true;
	case UNIT_YEAR:
		rules_set_day(out, cal_add_months(today, 12 * n));
		return true;
	}
	return false;
}

/* "in a couple of weeks", "in a few days" */
static bool in_couple(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct grammar_item *shifted[4] = { m[0], m[2], m[3], m[4] };

	return in_offset(ctx, shifted, out);
}

static bool in_minutes(const struct grammar_context *ctx, int minutes, struct mention *out)
{
	struct cal_datetime t = cal_datetime_add_minutes(ctx->ref, minutes);

	rules_set_day(out, t.date);
	rules_set_clock(out, t.hour, t.minute, t.second, true, t.second != 0, MER_NONE);
	out->time.fixed = true;
	out->time.exact = true;
	return true;
}

/* "in half an hour" */
static bool in_half_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	(void)m;
	return in_minutes(ctx, 30, out);
}

/* "in an hour and a half" */
static bool in_hour_and_half(const struct grammar_context *ctx, const struct grammar_item *const *m,
			     struct mention *out)
{
	(void)m;
	return in_minutes(ctx, 90, out);
}

/* Adds n units to a point (a date, or an exact instant). */
static bool shift_point(const struct grammar_context *ctx, struct mention *point, int n, int unit)
{
	struct cal_date day = resolve_date_first_day(&point->date, rules_today(ctx));

	if (point->date.kind == DATE_NONE)
		day = rules_today(ctx);
	point->date.kind = DATE_DAY;
	switch (unit) {
	case UNIT_DAY:
		point->date.day = cal_add_days(day, n);
		return true;
	case UNIT_WEEK:
		point->date.day = cal_add_days(day, 7 * n);
		return true;
	case UNIT_FORTNIGHT:
		point->date.day = cal_add_days(day, 14 * n);
		return true;
	case UNIT_MONTH:
		point->date.day = cal_add_months(day, n);
		return true;
	case UNIT_YEAR:
		point->date.day = cal_add_months(day, 12 * n);
		return true;
	case UNIT_HOUR:
	case UNIT_MINUTE:
		if (point->time.kind == TIME_CLOCK && point->time.fixed) {
			struct cal_datetime t = { day, point->time.hour, point->time.minute, point->time.second };

			t = cal_datetime_add_minutes(t, unit == UNIT_HOUR ? (int64_t)n * 60 : n);
			point->date.day = t.date;
			point->time.hour = t.hour;
			point->time.minute = t.minute;
			return true;
		}
		return false;
	default:
		return false;
	}
}

/* "2 weeks from tomorrow", "a week from Friday", "3 days from today",
 * "two days after today", "5 minutes from now" */
static bool offset_from(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int n = rules_number(m[0]);
	int unit = tok(m[2])->lex->unit;

	if (n < 0 || n > 10000 || !m[4]->is_mention || m[4]->mention.kind != MENTION_POINT)
		return false;
	*out = m[4]->mention;
	out->kind = MENTION_POINT;
	if (out->date.kind == DATE_WEEKDAY)
		out->date.day = resolve_weekday(rules_today(ctx), out->date.weekday, true);
	out->date.weekday_named = false;
	/* "5 days from now" is a day: the clock time of "now" does not carry. */
	if (out->time.exact && unit != UNIT_HOUR && unit != UNIT_MINUTE && unit != UNIT_SECOND)
		out->time.kind = TIME_NONE;
	return shift_point(ctx, out, n, unit);
}

/* "30 min later", "3 days ago", "after 2 weeks" */
static bool offset_later(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int n = rules_number(m[0]);
	int unit = tok(m[1])->lex->unit;
	bool back = grammar_item_is(m[2], "ago") || grammar_item_is(m[2], "earlier") ||
		    grammar_item_is(m[2], "before");
	struct mention now = { .kind = MENTION_POINT };

	if (n < 0 || n > 10000)
		return false;
	rules_set_day(&now, rules_today(ctx));
	rules_set_clock(&now, ctx->ref.hour, ctx->ref.minute, ctx->ref.second, true,
			ctx->ref.second != 0, MER_NONE);
	now.time.fixed = true;
	now.time.exact = true;
	if (unit != UNIT_HOUR && unit != UNIT_MINUTE)
		now.time.kind = TIME_NONE;
	if (!shift_point(ctx, &now, back ? -n : n, unit))
		return false;
	*out = now;
	out->confidence = 0.85f;
	return true;
}

static bool after_offset(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	const struct grammar_item *shifted[3] = { m[1], m[2], NULL };

	return offset_later(ctx, shifted, out);
}

/* A span of whole weeks, months, quarters or years around today. */
static bool unit_span(struct cal_date today, int unit, int rel, int count,
		      struct cal_date *first, struct cal_date *end)
{
	struct cal_date start;
	int months = 0;

	switch (unit) {
	case UNIT_DAY:
		start = today;
		*first = rel == REL_LAST ? cal_add_days(start, -count) :
			 rel == REL_THIS ? start : cal_add_days(start, 1);
		*end = cal_add_days(*first, count);
		return true;
	case UNIT_WEEK:
		start = cal_week_monday(today);
		if (rel == REL_NEXT || rel == REL_FOLLOWING || rel == REL_COMING)
			start = cal_add_days(start, 7);
		else if (rel == REL_LAST)
			start = cal_add_days(start, -7 * count);
		*first = start;
		*end = cal_add_days(start, 7 * count);
		return true;
	case UNIT_MONTH:
		months = 1;
		start = (struct cal_date){ today.year, today.month, 1 };
		break;
	case UNIT_QUARTER:
		months = 3;
		start = (struct cal_date){ today.year, (today.month - 1) / 3 * 3 + 1, 1 };
		break;
	case UNIT_YEAR:
		months = 12;
		start = (struct cal_date){ today.year, 1, 1 };
		break;
	default:
		return false;
	}
	if (rel == REL_NEXT || rel == REL_FOLLOWING || rel == REL_COMING)
		start = cal_add_months(start, months);
	else if (rel == REL_LAST)
		start = cal_add_months(start, -months * count);
	*first = start;
	*end = cal_add_months(start, months * count);
	return true;
}

/* "next week", "this month", "last quarter", "the following week" */
static bool relative_span(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	const struct token *t = tok(m[2]);
	int rel = relative_of(m[1]);
	struct cal_date first, end;

	if (t->lex->classes & LEX_PLURAL)
		return false;
	if (!unit_span(rules_today(ctx), t->lex->unit, rel, 1, &first, &end))
		return false;
	if (t->lex->unit == UNIT_DAY)
		return false;
	rules_set_span(out, first, end);
	return true;
}

/* "the next 3 days", "next couple weeks", "the last 2 quarters",
 * "the coming three quarters" */
static bool relative_count_span(const struct grammar_context *ctx, const struct grammar_item *const *m,
				struct mention *out)
{
	int rel = relative_of(m[1]);
	int n = rules_number(m[2]);
	const struct token *unit = tok(m[4]);
	struct cal_date first, end;
	struct cal_date today = rules_today(ctx);

	if (n < 1 || n > 1000 || rel == REL_THIS)
		return false;
	if (!unit_span(today, unit->lex->unit, rel, n, &first, &end))
		return false;
	/* Counts of days and weeks run from tomorrow, not from a week's start. */
	if (unit->lex->unit == UNIT_WEEK && rel != REL_LAST) {
		first = cal_add_days(today, 1);
		end = cal_add_days(first, 7 * n);
	}
	rules_set_span(out, first, end);
	return true;
}

/* "the weekend", "this weekend", "next weekend" */
static bool weekend(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	struct cal_date today = rules_today(ctx);
	int rel = relative_of(m[0]);
	struct cal_date saturday;

	if (!m[0] && !m[1]) {
		const struct token *before = rules_token_before(ctx, m[2]->first);

		if (!before || !(token_is(before, "on") || token_is(before, "for") ||
				 token_is(before, "over") || token_is(before, "at")))
			return false;
	}
	if (cal_weekday(today) >= CAL_SATURDAY)
		saturday = cal_add_days(today, CAL_SATURDAY - cal_weekday(today));
	else
		saturday = cal_add_days(cal_week_monday(today), CAL_SATURDAY);
	if (rel == REL_NEXT || rel == REL_FOLLOWING)
		saturday = cal_add_days(cal_week_monday(today), 7 + CAL_SATURDAY);
	else if (rel == REL_LAST)
		saturday = cal_add_days(cal_week_monday(today), CAL_SATURDAY - 7);
	rules_set_span(out, saturday, cal_add_days(saturday, 2));
	return true;
}

/* "for the day", "of the week", "for the month", "of the year" */
static bool the_unit(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	int unit = tok(m[2])->lex->unit;
	struct cal_date first, end;
	const struct token *after = rules_token_after(ctx, m[2]->last);

	if (after && (after->kind == TOK_WORD || after->kind == TOK_NUM))
		return false;
	if (unit == UNIT_DAY) {
		rules_set_day(out, rules_today(ctx));
		return true;
	}
	if (!unit_span(rules_today(ctx), unit, REL_THIS, 1, &first, &end))
		return false;
	rules_set_span(out, first, end);
	return true;
}

/* "end of the month", "by the end of next month", "end of the year" */
static bool end_of_unit(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int unit = tok(m[5])->lex->unit;
	int rel = m[4] ? relative_of(m[4]) : relative_of(m[3]);
	struct cal_date first, end;

	if (!unit_span(rules_today(ctx), unit, rel < 0 ? REL_THIS : rel, 1, &first, &end))
		return false;
	if (unit == UNIT_WEEK)
		rules_set_day(out, cal_add_days(first, CAL_FRIDAY));
	else
		rules_set_day(out, cal_add_days(end, -1));
	return true;
}

/* "month end", "by year end" */
static bool month_end(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct token *t = tok(m[1]);
	int unit = token_is(t, "month") ? UNIT_MONTH : token_is(t, "week") ? UNIT_WEEK : UNIT_YEAR;
	struct cal_date first, end;

	unit_span(rules_today(ctx), unit, REL_THIS, 1, &first, &end);
	rules_set_day(out, unit == UNIT_WEEK ? cal_add_days(first, CAL_FRIDAY) : cal_add_days(end, -1));
	return true;
}

/* "EOM": end of month */
static bool eom(const struct grammar_context *ctx, const struct grammar_item *const *m,
		struct mention *out)
{
	struct cal_date first, end;

	(void)m;
	unit_span(rules_today(ctx), UNIT_MONTH, REL_THIS, 1, &first, &end);
	rules_set_day(out, cal_add_days(end, -1));
	return true;
}

/* "beginning of next month", "start of the week" */
static bool start_of_unit(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int unit = tok(m[5])->lex->unit;
	int rel = m[4] ? relative_of(m[4]) : relative_of(m[3]);
	struct cal_date first, end;

	if (!unit_span(rules_today(ctx), unit, rel < 0 ? REL_THIS : rel, 1, &first, &end))
		return false;
	rules_set_day(out, first);
	return true;
}

/* "end of tomorrow", "end of this sunday": the last second of that day */
static bool end_of_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct mention *d = &m[4]->mention;

	if (d->date.kind != DATE_DAY && d->date.kind != DATE_WEEKDAY)
		return false;
	*out = *d;
	if (out->date.kind == DATE_WEEKDAY) {
		out->date.kind = DATE_DAY;
		out->date.day = resolve_weekday(rules_today(ctx), d->date.weekday, true);
	}
	rules_set_clock(out, 23, 59, 59, true, true, MER_NONE);
	out->time.fixed = true;
	out->time.end_of_day = true;
	return true;
}

/* "q1 2019", "2019-Q1", "2019 H2" */
static int quarter_word(const struct grammar_item *item, int *half)
{
	return quarter_word_value(tok(item), half);
}

static bool set_quarter(struct mention *out, int year, const struct grammar_item *word)
{
	int half;
	int q = quarter_word(word, &half);
	struct cal_date first;

	if (q == 0)
		return false;
	if (q > 0) {
		first = (struct cal_date){ year, (q - 1) * 3 + 1, 1 };
		rules_set_span(out, first, cal_add_months(first, 3));
	} else {
		first = (struct cal_date){ year, (half - 1) * 6 + 1, 1 };
		rules_set_span(out, first, cal_add_months(first, 6));
	}
	out->date.year_explicit = true;
	return true;
}

static bool year_quarter(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	(void)ctx;
	return set_quarter(out, year_of(m[0]), m[2]);
}

static bool quarter_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	(void)ctx;
	return set_quarter(out, year_of(m[1]), m[0]);
}

/* "the first quarter of the year", "the last quarter of 2019" */
static bool ordinal_quarter(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	int q = grammar_item_is(m[1], "last") ? 4 : rules_ordinal(m[1]);
	struct cal_date today = rules_today(ctx);
	bool year_written = m[5] && rules_number(m[5]) >= 1000;
	int year = year_written ? year_of(m[5]) : today.year;
	struct cal_date first;

	if (q < 1 || q > 4 || !m[5])
		return false;
	first = (struct cal_date){ year, (q - 1) * 3 + 1, 1 };
	/* Forward: a quarter of "the year" already over is next year's. */
	if (!year_written && cal_date_cmp(cal_add_months(first, 3), today) <= 0)
		first.year++;
	rules_set_span(out, first, cal_add_months(first, 3));
	return true;
}

/* "week 31", "the week 1" */
static bool week_number(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	int week = rules_number(m[2]);
	int year = m[4] ? year_of(m[4]) : rules_today(ctx).year;
	struct cal_date monday;

	if (week < 1 || week > 53 || digits_of(m[2]) > 2)
		return false;
	monday = cal_iso_week_monday(year, week);
	rules_set_span(out, monday, cal_add_days(monday, 7));
	return true;
}

/* "first week of 2019", "last week of 2019" */
static bool ordinal_week_of_year(const struct grammar_context *ctx, const struct grammar_item *const *m,
				 struct mention *out)
{
	int year = year_of(m[4]);
	struct cal_date monday;

	(void)ctx;
	if (grammar_item_is(m[1], "last")) {
		/* The ISO week that holds December 28th is always the last. */
		monday = cal_week_monday((struct cal_date){ year, 12, 28 });
	} else {
		int n = rules_ordinal(m[1]);

		if (n < 1 || n > 53)
			return false;
		monday = cal_iso_week_monday(year, n);
	}
	rules_set_span(out, monday, cal_add_days(monday, 7));
	return true;
}

/* "w/c Feb 4", "week of March 3", "the week beginning February 4" */
static bool week_of_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	const struct mention *d = &m[4]->mention;
	struct cal_date day;

	if (d->date.kind == DATE_NONE || d->date.kind == DATE_SPAN)
		return false;
	day = resolve_date_first_day(&d->date, rules_today(ctx));
	rules_set_span(out, cal_week_monday(day), cal_add_days(cal_week_monday(day), 7));
	return true;
}

static bool wc_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	const struct mention *d = &m[1]->mention;
	struct cal_date day;

	if (d->date.kind == DATE_NONE || d->date.kind == DATE_SPAN)
		return false;
	day = resolve_date_first_day(&d->date, rules_today(ctx));
	rules_set_span(out, cal_week_monday(day), cal_add_days(cal_week_monday(day), 7));
	return true;
}

/* "in 2017", "during 2019", "in two thousand and twenty" */
static bool year_alone(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	int year = year_of(m[1]);
	const struct token *after = rules_token_after(ctx, m[1]->last);
	int half;

	/* "during 2017-q1", "in 2017 april": a longer rule reads these. */
	if (after && (token_has(after, LEX_MONTH | LEX_UNIT) || after->kind == TOK_NUM ||
		      token_is_punct(after, '-') || token_is_punct(after, '/')))
		return false;
	if (after && quarter_word_value(after, &half) != 0)
		return false;
	rules_set_span(out, (struct cal_date){ year, 1, 1 }, (struct cal_date){ year + 1, 1, 1 });
	out->date.year_explicit = true;
	return true;
}

/* "the year to date", "year-to-date" */
static bool year_to_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	struct cal_date today = rules_today(ctx);

	(void)m;
	rules_set_span(out, (struct cal_date){ today.year, 1, 1 }, today);
	return true;
}

/* The nearest day numbered `day` that falls on `weekday`; a past day
 * must be twice as near as a future one to win. */
static bool nearest_weekday_day(struct cal_date today, int weekday, int day, struct cal_date *out)
{
	struct cal_date best = { 0, 0, 0 };
	int64_t best_distance = 0;

	for (int k = -12; k <= 12; k++) {
		struct cal_date first = cal_add_months((struct cal_date){ today.year, today.month, 1 }, k);
		struct cal_date d = { first.year, first.month, day };
		int64_t distance;

		if (!cal_date_valid(d) || cal_weekday(d) != weekday)
			continue;
		distance = cal_days_from_civil(d) - cal_days_from_civil(today);
		if (distance < 0)
			distance = -distance * 2;
		if (best.year == 0 || distance < best_distance) {
			best = d;
			best_distance = distance;
		}
	}
	if (best.year == 0 && !resolve_day_of_month(today, day, &best))
		return false;
	*out = best;
	return true;
}

/* A weekday and a date written together ("Friday 7/6", "Fri 12 June",
 * "tues the 4th"): the date wins; a day number alone takes the weekday's
 * nearest month. */
static bool weekday_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	const struct mention *a = &m[0]->mention;
	const struct mention *b = &m[2]->mention;
	const struct mention *named = a->date.weekday_named ? a : b;
	const struct mention *dated = a->date.weekday_named ? b : a;

	if (named == dated || !named->date.weekday_named || dated->date.kind != DATE_DAY ||
	    dated->date.weekday_named)
		return false;
	*out = *dated;
	out->date.weekday_named = true;
	if (dated->date.day_of_month_only && named->date.kind == DATE_WEEKDAY) {
		if (!nearest_weekday_day(rules_today(ctx), named->date.weekday, dated->date.day.day,
					 &out->date.day))
			return false;
		out->date.day_of_month_only = false;
	}
	return true;
}

/* "Monday the 18th", "tues the 4th", "wednesday the thirty first" */
static bool weekday_the_ordinal(const struct grammar_context *ctx, const struct grammar_item *const *m,
				struct mention *out)
{
	const struct mention *w = &m[0]->mention;
	int day = rules_day(m[2]);
	struct cal_date d;

	/* "Saturday 9" without "the" or a suffix is not a day number. */
	if (w->date.kind != DATE_WEEKDAY || day < 1 || (!m[1] && rules_ordinal(m[2]) < 0))
		return false;
	if (!nearest_weekday_day(rules_today(ctx), w->date.weekday, day, &d))
		return false;
	rules_set_day(out, d);
	out->date.weekday_named = true;
	return true;
}

/* "the day after Christmas", "the day before Mother's Day" */
static bool day_around_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	const struct mention *d = &m[3]->mention;
	const struct token *unit = tok(m[1]);

	(void)ctx;
	if (d->date.kind != DATE_DAY || d->time.kind != TIME_NONE || !unit ||
	    (unit->lex && (unit->lex->classes & LEX_PLURAL)))
		return false;
	*out = *d;
	out->date.day = cal_add_days(d->date.day, grammar_item_is(m[2], "after") ? 1 : -1);
	out->date.holiday = false;
	out->date.day_of_month_only = false;
	return true;
}

/* "this 5/12": this year's date even when it is past; "next 5/12" is the
 * forward reading. */
static bool this_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct mention *d = &m[1]->mention;

	if (d->date.kind != DATE_DAY || d->date.year_explicit || d->date.weekday_named ||
	    d->date.day_of_month_only)
		return false;
	*out = *d;
	if (relative_of(m[0]) == REL_THIS) {
		struct cal_date day = { rules_today(ctx).year, d->date.day.month, d->date.day.day };

		if (!cal_date_valid(day))
			return false;
		out->date.day = day;
	}
	return true;
}

/* "earlier this week", "later this month", "later in the year": the
 * first or second half of the span, clipped at today. Weeks split on
 * Thursday, months on the 16th, years on July 1st. */
static bool span_half(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	bool later = grammar_item_is(m[0], "later");
	int unit = tok(m[3])->lex->unit;
	struct cal_date today = rules_today(ctx);
	struct cal_date first, end, middle;

	if (!unit_span(today, unit, REL_THIS, 1, &first, &end))
		return false;
	if (unit == UNIT_WEEK)
		middle = cal_add_days(first, CAL_THURSDAY);
	else if (unit == UNIT_MONTH)
		middle = (struct cal_date){ first.year, first.month, 16 };
	else if (unit == UNIT_YEAR)
		middle = (struct cal_date){ first.year, 7, 1 };
	else
		return false;
	if (later)
		rules_set_span(out, cal_date_cmp(today, middle) > 0 ? today : middle, end);
	else
		rules_set_span(out, first, cal_date_cmp(today, middle) < 0 ? today : middle);
	return true;
}

/* "last night", "last evening": yesterday's */
static bool last_night(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	rules_set_day(out, cal_add_days(rules_today(ctx), -1));
	out->time.kind = TIME_PART;
	out->time.part = tok(m[1])->lex->part;
	return true;
}

/* "next hour": from now for one hour */
static bool next_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	struct cal_datetime end = cal_datetime_add_minutes(ctx->ref, 60);

	(void)m;
	out->kind = MENTION_RANGE;
	out->date.kind = DATE_DAY;
	out->date.day = ctx->ref.date;
	out->time.kind = TIME_CLOCK;
	out->time.hour = ctx->ref.hour;
	out->time.minute = ctx->ref.minute;
	out->time.second = ctx->ref.second;
	out->time.fixed = true;
	out->time.exact = true;
	out->date2.kind = DATE_DAY;
	out->date2.day = end.date;
	out->time2 = out->time;
	out->time2.hour = end.hour;
	out->time2.minute = end.minute;
	return true;
}

const struct grammar_rule rules_table_date[] = {
	{ "dayword", LAYER_DATE, "<dayword>", dayword, 0.95f },
	{ "day-after-tomorrow", LAYER_DATE, "the? day after|before <dayword>", day_after_tomorrow, 0.95f },
	{ "day-after", LAYER_DATE, "the day after|before", day_after, 0.7f },
	{ "weekday", LAYER_DATE, "<rel>? <weekday>", weekday, 0.9f },
	{ "weekday-after-next", LAYER_DATE, "<weekday> after next", weekday_after_next, 0.9f },
	{ "weekday-of-week", LAYER_DATE, "<weekday> of|in the? <rel> week", weekday_of_week, 0.9f },
	{ "week-weekday", LAYER_DATE, "<rel> week ,? -? on? <weekday>", week_weekday, 0.85f },
	{ "weekday-week", LAYER_DATE, "<weekday> <rel> week", weekday_week, 0.9f },
	{ "month-day", LAYER_DATE, "<month> .? the? <day> ,? <year>?", month_day, 0.95f },
	{ "month-day-of-year", LAYER_DATE, "<month> the? <day> of|in <year>", month_day_of_year, 0.95f },
	{ "day-month", LAYER_DATE, "the? <day> of? <month> .? ,? <year>?", day_month, 0.95f },
	{ "day-month-of-year", LAYER_DATE, "the? <day> of? <month> of|in <year>", day_month_of_year, 0.95f },
	{ "month-year", LAYER_DATE, "<month> -|/|,|of? <year>", month_year, 0.9f },
	{ "year-month", LAYER_DATE, "<year> <month>", year_month, 0.85f },
	{ "year-dash-month", LAYER_DATE, "<year> ^- ^<digits>", year_dash_month, 0.7f },
	{ "month-alone", LAYER_DATE, "in|during|this|next|last|of|for|since|until|by|through|coming|following? the? <month>", month_alone, 0.8f },
	{ "numeric-slash", LAYER_DATE, "<digits> ^/ ^<digits> ^/? ^<digits>?", numeric_slash, 0.9f },
	{ "numeric-dot", LAYER_DATE, "<digits> ^. ^<digits> ^.? ^<digits>?", numeric_dot, 0.75f },
	{ "numeric-dash", LAYER_DATE, "<digits> ^- ^<digits> ^- ^<digits>", numeric_dash, 0.9f },
	{ "weekday-numeric-dash", LAYER_DATE, "<digits> ^- ^<digits>", weekday_numeric_dash, 0.8f },
	{ "iso-date", LAYER_DATE, "<year> -|/|.? <digits> -|/|.? <digits>", iso_date, 0.95f },
	{ "compact-date", LAYER_DATE, "<digits>", compact_date, 0.8f },
	{ "year-month-day", LAYER_DATE, "<year> -|/ <month> -|/ <day>", year_month_day, 0.95f },
	{ "day-month-year", LAYER_DATE, "<day> -|/ <month> -|/ <year>", day_month_year, 0.95f },
	{ "month-day-year", LAYER_DATE, "<month> -|/ <day> -|/ <year>", month_day_year, 0.95f },
	{ "month-year-day", LAYER_DATE, "<month> - <year> - <day>", month_year_day, 0.9f },
	{ "year-day-month", LAYER_DATE, "<year> / <day> / <month>", year_day_month, 0.9f },
	{ "day-year-month", LAYER_DATE, "<day> - <year> - <month>", day_year_month, 0.9f },
	{ "month-slash-day", LAYER_DATE, "<month> ^-|/ ^<digits>", month_slash_day, 0.9f },
	{ "month-glued-day", LAYER_DATE, "<month> ^<digits>", month_glued_day, 0.9f },
	{ "ordinal-day", LAYER_DATE, "on? the? <ord>", ordinal_day, 0.9f },
	{ "nth-weekday", LAYER_DATE, "the? <ord>|last <weekday> of|in|this|next the? <rel>? month|<month> <year>?", nth_weekday, 0.9f },
	{ "holiday", LAYER_DATE, "<holiday> '? <word>? <word>? <word>? <year>?", holiday, 0.9f },
	{ "in-offset", LAYER_DATE, "in|within <num> of? <unit>", in_offset, 0.9f },
	{ "in-couple", LAYER_DATE, "in|within a? couple|few of? <unit>", in_couple, 0.85f },
	{ "in-half-hour", LAYER_DATE, "in half an hour", in_half_hour, 0.9f },
	{ "in-hour-and-half", LAYER_DATE, "in an hour and a half", in_hour_and_half, 0.9f },
	{ "relative-span", LAYER_DATE, "the? <rel> <unit>", relative_span, 0.85f },
	{ "relative-count-span", LAYER_DATE, "the? <rel> <num> of? <unit>", relative_count_span, 0.85f },
	{ "weekend", LAYER_DATE, "<rel>? the? weekend", weekend, 0.85f },
	{ "the-unit", LAYER_DATE, "for|of the <unit>", the_unit, 0.6f },
	{ "month-end", LAYER_DATE, "by|at? month|week|year end", month_end, 0.85f },
	{ "eom", LAYER_DATE, "eom", eom, 0.85f },
	{ "end-of-unit", LAYER_DATE, "the? end of the|this|next? <rel>? <unit>", end_of_unit, 0.85f },
	{ "start-of-unit", LAYER_DATE, "the? beginning|start of the|this|next? <rel>? <unit>", start_of_unit, 0.85f },
	{ "year-quarter", LAYER_DATE, "<year> -? <word>", year_quarter, 0.9f },
	{ "quarter-year", LAYER_DATE, "<word> <year>", quarter_year, 0.9f },
	{ "ordinal-quarter", LAYER_DATE, "the? <ord>|last quarter of the|in? year|<year>?", ordinal_quarter, 0.85f },
	{ "week-number", LAYER_DATE, "the? week <num> of? <year>?", week_number, 0.85f },
	{ "ordinal-week-of-year", LAYER_DATE, "the? <ord>|last week of <year>", ordinal_week_of_year, 0.85f },
	{ "year-alone", LAYER_DATE, "in|during|for|of|since <year>", year_alone, 0.8f },
	{ "span-half", LAYER_DATE, "earlier|later this|in the? week|month|year", span_half, 0.7f },
	{ "last-night", LAYER_TIME, "last night|evening", last_night, 0.85f },
	{ "next-hour", LAYER_DATE, "the? next|coming hour", next_hour, 0.7f },
	{ "year-to-date", LAYER_DATE, "the? year to date", year_to_date, 0.85f },
	{ "year-to-date-dashed", LAYER_DATE, "year - to - date", year_to_date, 0.85f },
	{ "in-offset-weekday", LAYER_DATE_MOD, "<num> of? <unit> from|after <point>", offset_from, 0.9f },
	{ "offset-later", LAYER_DATE_MOD, "<num> <unit> later|ago|earlier|hence", offset_later, 0.85f },
	{ "after-offset", LAYER_DATE_MOD, "after <num> <unit>", after_offset, 0.8f },
	{ "end-of-date", LAYER_DATE_MOD, "the? end of the? <date>", end_of_date, 0.85f },
	{ "week-of-date", LAYER_DATE_MOD, "the? week of|beginning|starting|commencing on? <date>", week_of_date, 0.85f },
	{ "wc-date", LAYER_DATE_MOD, "w/c <date>", wc_date, 0.85f },
	{ "day-around-date", LAYER_DATE_MOD, "the? day after|before <date>", day_around_date, 0.9f },
	{ "this-date", LAYER_DATE_MOD, "this|next <date>", this_date, 0.8f },
	{ "date-of-year", LAYER_DATE_MOD, "<date> of|in <date>", date_this_year, 0.9f },
	{ "weekday-date", LAYER_DATE_MOD, "<date> ,|-|(? <date> )?", weekday_date, 0.95f },
	{ "weekday-date-paren", LAYER_DATE_MOD, "<date> ( <date> )", weekday_date, 0.95f },
	{ "weekday-the-ordinal", LAYER_DATE_MOD, "<date> the? <day>", weekday_the_ordinal, 0.9f },
};

const size_t rules_table_date_count = sizeof rules_table_date / sizeof rules_table_date[0];
