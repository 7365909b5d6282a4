/*
 * A date and a time of day written together, in either order: "tomorrow
 * at 8am", "Friday 11:59pm", "9am on Tuesday", "tomorrow morning",
 * "tomorrow morning ten am".
 */
#include <string.h>

#include "engine/rules.h"

static bool combine(struct mention *out, const struct mention *date, const struct mention *time)
{
	if (date->kind != MENTION_POINT || time->kind != MENTION_POINT)
		return false;
	if (date->date.kind != DATE_DAY && date->date.kind != DATE_WEEKDAY)
		return false;
	if (date->time.kind != TIME_NONE || time->date.kind != DATE_NONE || time->time.kind == TIME_NONE)
		return false;
	*out = *date;
	out->time = time->time;
	out->confidence = date->confidence < time->confidence ? date->confidence : time->confidence;
	return true;
}

/* "tomorrow at 8am", "Friday 11:59pm", "tomorrow morning" */
static bool date_time(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	(void)ctx;
	return combine(out, &m[0]->mention, &m[2]->mention);
}

/* "9am on Tuesday", "5pm Friday", "3pm ET on July 14" */
static bool time_date(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	(void)ctx;
	return combine(out, &m[2]->mention, &m[0]->mention);
}

/* "tomorrow morning ten am": a clock time refines a part of the day. */
static bool part_then_clock(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	const struct mention *dt = &m[0]->mention;
	const struct mention *clock = &m[2]->mention;

	(void)ctx;
	if (dt->time.kind != TIME_PART || clock->time.kind != TIME_CLOCK || clock->date.kind != DATE_NONE)
		return false;
	*out = *dt;
	out->time = clock->time;
	out->time.part = dt->time.part;
	return true;
}

/* "Dinner thurs 7", "tomorrow 8": a day and then a bare hour. A number
 * that is the weekday's own date ("Thursday 10" said when that Thursday is
 * the 10th) makes a date instead, and a number before a unit or a month is
 * no hour. */
static bool date_bare_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
			   struct mention *out)
{
	const struct mention *date = &m[0]->mention;
	const struct token *number = grammar_item_token(m[1]);
	const struct token *after = rules_token_after(ctx, m[1]->last);
	int hour = rules_number(m[1]);
	struct mention clock;

	if (!number || number->kind != TOK_NUM || number->digits > 2 || number->ordinal_suffix ||
	    hour < 1 || hour > 12)
		return false;
	if (date->date.kind == DATE_WEEKDAY) {
		struct cal_date today = rules_today(ctx);
		int ahead = (date->date.weekday - cal_weekday(today) + 7) % 7;

		for (int week = 0; week < 2; week++) {
			struct cal_date day = cal_add_days(today, ahead + 7 * week);

			if (day.day == hour) {
				*out = *date;
				rules_set_day(out, day);
				out->date.weekday = date->date.weekday;
				out->date.weekday_named = true;
				return true;
			}
		}
	} else if (date->date.kind != DATE_DAY || date->date.year_explicit) {
		return false;
	}
	if (after && (after->kind == TOK_NUM || token_has(after, LEX_UNIT | LEX_MEASURE | LEX_MONTH |
							  LEX_MERIDIEM) ||
		      (after->kind == TOK_PUNCT && !after->space_before && after->punct != ',' &&
		       after->punct != '.')))
		return false;
	memset(&clock, 0, sizeof clock);
	clock.kind = MENTION_POINT;
	clock.confidence = m[1]->is_mention ? m[1]->mention.confidence : 0.9f;
	if (!rules_set_clock(&clock, hour, 0, 0, false, false, MER_NONE) ||
	    !combine(out, date, &clock))
		return false;
	out->confidence -= 0.2f;
	return true;
}

const struct grammar_rule rules_table_datetime[] = {
	{ "date-time", LAYER_DATETIME, "<date> ,|at|@|around|about|by|from? <time>", date_time, 0.95f },
	{ "time-date", LAYER_DATETIME, "<time> ,|on|of? <date>", time_date, 0.95f },
	{ "part-then-clock", LAYER_DATETIME, "<datetime> ,|at|@|around? <time>", part_then_clock, 0.9f },
	{ "date-bare-hour", LAYER_DATETIME, "<date> <digits>", date_bare_hour, 0.9f },
};

const size_t rules_table_datetime_count = sizeof rules_table_datetime / sizeof rules_table_datetime[0];
