/*
 * A date and a time of day written together, in either order: "tomorrow
 * at 8am", "Friday 11:59pm", "9am on Tuesday", "tomorrow morning",
 * "tomorrow morning ten am".
 */
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

const struct grammar_rule rules_table_datetime[] = {
	{ "date-time", LAYER_DATETIME, "<date> ,|at|@|around|about|by|from? <time>", date_time, 0.95f },
	{ "time-date", LAYER_DATETIME, "<time> ,|on|of? <date>", time_date, 0.95f },
	{ "part-then-clock", LAYER_DATETIME, "<datetime> ,|at|@|around? <time>", part_then_clock, 0.9f },
};

const size_t rules_table_datetime_count = sizeof rules_table_datetime / sizeof rules_table_datetime[0];
