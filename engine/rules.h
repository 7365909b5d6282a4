/*
 * The rule tables of tier 2, one file per family (numbers, times, dates,
 * ranges, durations and recurrences), and the helpers their actions share.
 * Layers order the families: a rule can use what a lower layer built.
 */
#ifndef CALTUNE_RULES_H
#define CALTUNE_RULES_H

#include <stddef.h>

#include "engine/grammar.h"

enum rules_layer {
	LAYER_NUMBER,       /* numbers in words */
	LAYER_TIME,         /* clock times, noon, parts of the day */
	LAYER_TIME_MOD,     /* zone, approximation and part of day added to a time */
	LAYER_DATE,         /* dates and spans */
	LAYER_DATE_MOD,     /* dates relative to other dates */
	LAYER_TIME_RANGE,   /* from one time of day to another */
	LAYER_DATETIME,     /* a date and a time together */
	LAYER_RANGE,        /* from X to Y */
	LAYER_RANGE_DATE,   /* a time range on a date */
	LAYER_EXTRA,        /* durations and recurrences */
	LAYER_EXTRA_MOD     /* until, for N weeks, starting */
};

extern const struct grammar_rule rules_table_number[];
extern const size_t rules_table_number_count;
extern const struct grammar_rule rules_table_time[];
extern const size_t rules_table_time_count;
extern const struct grammar_rule rules_table_date[];
extern const size_t rules_table_date_count;
extern const struct grammar_rule rules_table_datetime[];
extern const size_t rules_table_datetime_count;
extern const struct grammar_rule rules_table_range[];
extern const size_t rules_table_range_count;
extern const struct grammar_rule rules_table_recur[];
extern const size_t rules_table_recur_count;

/* The number an item stands for (digits, a number word or a composed
 * number), or -1. */
int rules_number(const struct grammar_item *item);

/* The position an ordinal item stands for ("4th", "fourth"), or -1. */
int rules_ordinal(const struct grammar_item *item);

/* A day of the month written as a number or an ordinal, or -1. */
int rules_day(const struct grammar_item *item);

/* The tokens just outside a span, or NULL at the text's edge. */
const struct token *rules_token_before(const struct grammar_context *ctx, int first);
const struct token *rules_token_after(const struct grammar_context *ctx, int last);

/* Makes `out` a point at a clock time; false when the values are not a
 * time of day. */
bool rules_set_clock(struct mention *out, int hour, int minute, int second,
		     bool has_minute, bool has_second, enum meridiem meridiem);

/* Makes `out` a point on one day. */
void rules_set_day(struct mention *out, struct cal_date day);

/* Makes `out` a point spanning [first, end). */
void rules_set_span(struct mention *out, struct cal_date first, struct cal_date end);

/* Whether an abbreviated weekday or month name ("sun", "wed", "mar") reads
 * as a date here: capitalised, or next to a number, time or date word. */
bool rules_abbrev_is_date(const struct grammar_context *ctx, const struct token *t);

/* The reference day. */
static inline struct cal_date rules_today(const struct grammar_context *ctx)
{
	return ctx->ref.date;
}

#endif
