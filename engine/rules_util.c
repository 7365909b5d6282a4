/*
 * Helpers shared by the rule actions.
 */
#include <string.h>

#include "engine/rules.h"

int rules_number(const struct grammar_item *item)
{
	int v;

	return item && grammar_item_number(item, &v) ? v : -1;
}

int rules_ordinal(const struct grammar_item *item)
{
	const struct token *t;

	if (!item)
		return -1;
	if (item->is_mention)
		return item->mention.kind == MENTION_NUMBER && item->mention.ordinal ?
		       item->mention.number : -1;
	t = item->token;
	if (t->kind == TOK_NUM && t->ordinal_suffix)
		return t->number;
	if (token_has(t, LEX_ORDINAL))
		return t->lex->ordinal;
	return -1;
}

int rules_day(const struct grammar_item *item)
{
	int v = rules_ordinal(item);

	if (v < 0) {
		const struct token *t = grammar_item_token(item);

		if (t && t->kind == TOK_NUM && t->digits > 2)
			return -1;
		v = rules_number(item);
	}
	return v >= 1 && v <= 31 ? v : -1;
}

const struct token *rules_token_before(const struct grammar_context *ctx, int first)
{
	return first > 0 ? &ctx->tokens[first - 1] : NULL;
}

const struct token *rules_token_after(const struct grammar_context *ctx, int last)
{
	return last + 1 < (int)ctx->token_count ? &ctx->tokens[last + 1] : NULL;
}

bool rules_set_clock(struct mention *out, int hour, int minute, int second,
		     bool has_minute, bool has_second, enum meridiem meridiem)
{
	if (minute < 0 || minute > 59 || second < 0 || second > 59)
		return false;
	if (meridiem != MER_NONE ? (hour < 1 || hour > 12) : (hour < 0 || hour > 24))
		return false;
	if (hour == 24 && (minute || second))
		return false;
	out->kind = MENTION_POINT;
	out->time.kind = TIME_CLOCK;
	out->time.hour = hour;
	out->time.minute = minute;
	out->time.second = second;
	out->time.has_minute = has_minute;
	out->time.has_second = has_second;
	out->time.meridiem = meridiem;
	/* A 24-hour reading needs no convention. */
	out->time.fixed = meridiem == MER_NONE && (hour == 0 || hour >= 13);
	if (meridiem == MER_AM && hour == 12) {
		out->time.hour = 0;
		out->time.fixed = true;
	} else if (meridiem == MER_PM) {
		out->time.hour = hour == 12 ? 12 : hour + 12;
		out->time.fixed = true;
	} else if (meridiem == MER_AM) {
		out->time.fixed = true;
	}
	if (out->time.hour == 24)
		out->time.hour = 0;
	return true;
}

void rules_set_day(struct mention *out, struct cal_date day)
{
	out->kind = MENTION_POINT;
	out->date.kind = DATE_DAY;
	out->date.day = day;
}

void rules_set_span(struct mention *out, struct cal_date first, struct cal_date end)
{
	out->kind = MENTION_POINT;
	out->date.kind = DATE_SPAN;
	out->date.day = first;
	out->date.span_end = end;
}

static bool is_temporal_neighbour(const struct token *t)
{
	static const char *const words[] = {
		"on", "this", "next", "last", "every", "each", "by", "until", "from", "coming",
		"following", "before", "after", "through", "the", "at", "am", "pm", "between",
		"around", "@", "starting", "from", "til", NULL
	};

	if (!t)
		return false;
	if (t->kind == TOK_NUM)
		return true;
	if (token_has(t, LEX_PART | LEX_MERIDIEM | LEX_DAYWORD | LEX_MONTH | LEX_WEEKDAY))
		return true;
	for (int i = 0; words[i]; i++)
		if (token_is(t, words[i]))
			return true;
	return false;
}

bool rules_abbrev_is_date(const struct grammar_context *ctx, const struct token *t)
{
	int index = (int)(t - ctx->tokens);
	const struct token *before = rules_token_before(ctx, index);
	const struct token *after = rules_token_after(ctx, index);

	if (!t->lex || !(t->lex->classes & LEX_ABBREV))
		return true;
	if (before && token_is(before, "the") && !(after && after->kind == TOK_NUM))
		return false;  /* "the sun", "the mon" */
	/* "Sun 8:30am", "on Wed", "Dentist tue" at the end: a weekday; "Sun
	 * screen", "Sat down", "DEC Lab": words. */
	if (is_temporal_neighbour(before) || is_temporal_neighbour(after))
		return true;
	return !after || after->kind == TOK_PUNCT;
}
