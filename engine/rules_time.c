/*
 * Times of day: clock times in their written forms (3pm, 3 p.m., 15:30,
 * 7:56:30 pm, 1530h, 1140 a.m.), noon and midnight, "half past four",
 * "quarter to five", "20 min past eight", "five-thirty", bare hours after
 * "at", approximations ("around 10", "10ish"), parts of the day, and the
 * zone written after a time ("9am JST", "noon Berlin time").
 */
#include <stdio.h>
#include <string.h>

#include "engine/rules.h"

static enum meridiem meridiem_of(const struct grammar_item *item)
{
	const struct token *t = grammar_item_token(item);

	if (!t || !token_has(t, LEX_MERIDIEM))
		return MER_NONE;
	return t->lex->meridiem ? MER_PM : MER_AM;
}

/* "a" and "an" count as one only before a unit ("an hour"), never as an
 * hour of the day ("at a cafe"). */
static bool is_article(const struct grammar_item *item)
{
	return grammar_item_is(item, "a") || grammar_item_is(item, "an");
}

static int digits_of(const struct grammar_item *item)
{
	const struct token *t = grammar_item_token(item);

	return t && t->kind == TOK_NUM ? t->digits : 0;
}

/* Whether the tokens after a bare number make a longer time ("at 4pm",
 * "at 10:30", "around 7ish"), which a rule starting at the number reads. */
static bool time_continues(const struct grammar_context *ctx, int last)
{
	const struct token *after = rules_token_after(ctx, last);

	const struct token *second = last + 2 < (int)ctx->token_count ? &ctx->tokens[last + 2] : NULL;

	if (!after)
		return false;
	if (token_has(after, LEX_MERIDIEM) || token_is(after, "oclock") || token_is(after, "o") ||
	    token_is(after, "ish") || token_is(after, "h") || token_is(after, "noon"))
		return true;
	/* "at ten past 9", "at 5 to 6pm": only when a number or time follows. */
	if ((token_is(after, "past") || token_is(after, "after") || token_is(after, "to") ||
	     token_is(after, "until") || token_is(after, "before")) && second &&
	    ((second->kind == TOK_NUM && !second->ordinal_suffix && second->digits <= 2 &&
	      second->number <= 24 && !(last + 3 < (int)ctx->token_count &&
					(token_has(&ctx->tokens[last + 3], LEX_MONTH) ||
					 token_is_punct(&ctx->tokens[last + 3], '/')))) ||
	     token_has(second, LEX_CARDINAL | LEX_PART)))
		return true;
	/* "at five thirty", "at five-thirty": minutes in words follow. */
	if (token_has(after, LEX_CARDINAL) && after->lex->number >= 10)
		return true;
	if (token_is_punct(after, '-') && !after->space_before && last + 2 < (int)ctx->token_count &&
	    token_has(&ctx->tokens[last + 2], LEX_CARDINAL))
		return true;
	/* "at 10:30" and "at 8.30", but not "at 4: Photo shoot". */
	return !after->space_before && (token_is_punct(after, ':') || token_is_punct(after, '.')) &&
	       second && second->kind == TOK_NUM && !second->space_before;
}

/* "15:30", "7:56:30 pm", "1:00pm" */
static bool clock_colon(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	enum meridiem mer = meridiem_of(m[5]);
	const struct token *before = rules_token_before(ctx, m[0]->first);
	const struct grammar_item *last = m[2];
	const struct token *after;

	/* The last token written: the meridiem, the seconds or the minutes. */
	if (m[5])
		last = m[5];
	else if (m[4])
		last = m[4];
	after = rules_token_after(ctx, last->last);

	if (digits_of(m[0]) > 2 || digits_of(m[2]) != 2 || (m[4] && digits_of(m[4]) != 2))
		return false;
	/* "1:1", "4:3:2" and ratios glued to more colons are not times; a
	 * colon that ends a heading ("17:00: Dentist") is fine. */
	if (before && token_is_punct(before, ':') && !before->space_before)
		return false;
	if (after && token_is_punct(after, ':') && !after->space_before && !m[5] &&
	    (int)(after - ctx->tokens) + 1 < (int)ctx->token_count &&
	    ctx->tokens[after - ctx->tokens + 1].kind == TOK_NUM && !ctx->tokens[after - ctx->tokens + 1].space_before)
		return false;
	if (m[3] && !m[4])
		return false;
	if (!rules_set_clock(out, rules_number(m[0]), rules_number(m[2]), m[4] ? rules_number(m[4]) : 0,
			     true, m[4] != NULL, mer))
		return false;
	if (!out->time.fixed)
		out->confidence -= 0.2f;
	return true;
}

/* "8.30pm", "11.00am" */
static bool clock_dot(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	(void)ctx;
	if (digits_of(m[0]) > 2 || digits_of(m[2]) != 2)
		return false;
	return rules_set_clock(out, rules_number(m[0]), rules_number(m[2]), 0, true, false,
			       meridiem_of(m[3]));
}

/* "at 8.30": a dotted time without am/pm needs the "at". */
static bool at_clock_dot(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	const struct token *after = rules_token_after(ctx, m[3]->last);

	if (digits_of(m[1]) > 2 || digits_of(m[3]) != 2 || (after && token_has(after, LEX_MERIDIEM)))
		return false;
	if (!rules_set_clock(out, rules_number(m[1]), rules_number(m[3]), 0, true, false, MER_NONE))
		return false;
	out->confidence -= 0.2f;
	return true;
}

/* "3pm", "3 p.m.", "9.am", "1140 a.m.", "12 pm" */
static bool hour_meridiem(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	int digits = digits_of(m[0]);
	int value = rules_number(m[0]);

	(void)ctx;
	if (digits == 3 || digits == 4)
		return rules_set_clock(out, value / 100, value % 100, 0, true, false, meridiem_of(m[2]));
	if (digits > 4 || value < 0)
		return false;
	return rules_set_clock(out, value, 0, 0, false, false, meridiem_of(m[2]));
}

/* "five pm", "ten a.m." */
static bool word_meridiem(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	(void)ctx;
	if (is_article(m[0]))
		return false;
	return rules_set_clock(out, rules_number(m[0]), 0, 0, false, false, meridiem_of(m[1]));
}

static bool set_oclock(struct mention *out, const struct grammar_item *hour,
		       const struct grammar_item *meridiem)
{
	if (!rules_set_clock(out, rules_number(hour), 0, 0, false, false, meridiem_of(meridiem)))
		return false;
	if (!out->time.fixed)
		out->confidence -= 0.15f;
	return true;
}

/* "five o'clock", "5 oclock pm" */
static bool oclock(const struct grammar_context *ctx, const struct grammar_item *const *m,
		   struct mention *out)
{
	(void)ctx;
	return set_oclock(out, m[0], m[2]);
}

/* "twelve o clock": the apostrophe left out */
static bool o_clock(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	(void)ctx;
	return set_oclock(out, m[0], m[3]);
}

/* "1530h", "0800 hrs" */
static bool military(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	int value = rules_number(m[0]);

	(void)ctx;
	if (digits_of(m[0]) != 4 && digits_of(m[0]) != 3)
		return false;
	if (!rules_set_clock(out, value / 100, value % 100, 0, true, false, MER_NONE))
		return false;
	out->time.fixed = true;
	return true;
}

static bool noon(const struct grammar_context *ctx, const struct grammar_item *const *m,
		 struct mention *out)
{
	const struct token *t = grammar_item_token(m[1]);

	(void)ctx;
	if (m[0] && rules_number(m[0]) != 12)
		return false;
	rules_set_clock(out, 12, 0, 0, false, false, MER_NONE);
	out->time.fixed = true;
	out->time.part = PART_NOON;
	out->time.approximate = t && strcmp(t->lex ? t->lex->word : "", "noonish") == 0;
	return true;
}

static bool midnight(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	(void)ctx;
	(void)m;
	rules_set_clock(out, 0, 0, 0, false, false, MER_NONE);
	out->time.fixed = true;
	out->time.part = PART_MIDNIGHT;
	return true;
}

/* The hour a "past"/"to" phrase counts from: 1-12, maybe with am/pm. */
static bool phrase_hour(const struct grammar_item *hour, const struct grammar_item *mer, int *out)
{
	int h = rules_number(hour);

	(void)mer;
	if (h < 1 || h > 12)
		return false;
	*out = h;
	return true;
}

/* "half past four", "quarter past 9", "quarter to five" */
static bool half_quarter(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	bool half = grammar_item_is(m[0], "half");
	bool to = grammar_item_is(m[1], "to") || grammar_item_is(m[1], "until") ||
		  grammar_item_is(m[1], "before") || grammar_item_is(m[1], "of");
	int hour, minute;

	(void)ctx;
	if (!phrase_hour(m[2], m[3], &hour) || (half && to))
		return false;
	minute = half ? 30 : 15;
	if (to) {
		hour = hour == 1 ? 12 : hour - 1;
		minute = 45;
	}
	return rules_set_clock(out, hour, minute, 0, true, false, meridiem_of(m[3]));
}

/* "20 min past eight", "ten past 9", "five minutes to six" */
static bool minutes_past(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int minutes = rules_number(m[0]);
	bool to = grammar_item_is(m[2], "to") || grammar_item_is(m[2], "until") ||
		  grammar_item_is(m[2], "before");
	int hour;

	(void)ctx;
	if (minutes < 1 || minutes > 59 || !phrase_hour(m[3], m[4], &hour))
		return false;
	/* "5 to 6" is a range; "to" needs the unit written. */
	if (to && !m[1])
		return false;
	if (to) {
		hour = hour == 1 ? 12 : hour - 1;
		minutes = 60 - minutes;
	}
	return rules_set_clock(out, hour, minutes, 0, true, false, meridiem_of(m[4]));
}

/* "five-thirty", "six thirty pm", "seven forty five" */
static bool word_minutes(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int hour = rules_number(m[0]);
	int minute = rules_number(m[2]);

	(void)ctx;
	if (is_article(m[0]) || hour < 1 || hour > 12 || minute < 10 || minute > 59)
		return false;
	if (!rules_set_clock(out, hour, minute, 0, true, false, meridiem_of(m[3])))
		return false;
	if (!out->time.fixed)
		out->confidence -= 0.15f;
	return true;
}

static bool is_street_word(const struct token *t)
{
	static const char *const words[] = {
		"st", "street", "ave", "avenue", "rd", "road", "blvd", "boulevard", "lane", "ln",
		"dr", "drive", "way", "place", "pl", "court", "ct", "rue", "square", "sq", "hwy",
		"highway", NULL
	};

	for (int i = 0; t && words[i]; i++)
		if (token_is(t, words[i]))
			return true;
	return false;
}

/* "at 5", "@ 4", "at five": an hour with nothing else. */
static bool at_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
		    struct mention *out)
{
	int hour = rules_number(m[1]);
	const struct token *after = rules_token_after(ctx, m[1]->last);
	const struct token *t = grammar_item_token(m[1]);

	if ((t && t->kind == TOK_NUM && t->digits > 2) || is_article(m[1]) ||
	    time_continues(ctx, m[1]->last))
		return false;
	/* "at 5 Main Street" is an address; the street name follows the
	 * number directly, so a preposition or a comma ends the search ("at 7
	 * at 35 Rue Oberkampf"). */
	for (int k = 0; k < 3 && after; k++) {
		if (after->kind == TOK_PUNCT || token_is(after, "at") || token_is(after, "@") ||
		    token_is(after, "in") || token_is(after, "on") || token_is(after, "with"))
			break;
		if (is_street_word(after))
			return false;
		after = rules_token_after(ctx, (int)(after - ctx->tokens));
	}
	after = rules_token_after(ctx, m[1]->last);
	if (after && (token_has(after, LEX_UNIT) || token_is(after, "people") ||
		      token_is(after, "percent") || token_is_punct(after, '%') ||
		      token_is_punct(after, '/') || token_is_punct(after, '.')))
		return false;
	if (!rules_set_clock(out, hour, 0, 0, false, false, MER_NONE))
		return false;
	out->confidence -= 0.2f;
	return true;
}

/* "push to 2", "move it to 4": a new hour for the event */
static bool moved_to_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
			  struct mention *out)
{
	const struct grammar_item *hour = m[3];
	const struct token *t = grammar_item_token(hour);

	if ((t && t->kind == TOK_NUM && t->digits > 2) || is_article(hour) ||
	    time_continues(ctx, hour->last) || rules_number(hour) < 1 || rules_number(hour) > 12)
		return false;
	if (!rules_set_clock(out, rules_number(hour), 0, 0, false, false, MER_NONE))
		return false;
	out->confidence -= 0.2f;
	return true;
}

/* "10ish", "around 7", "about 3pm" */
static bool hour_ish(const struct grammar_context *ctx, const struct grammar_item *const *m,
		     struct mention *out)
{
	(void)ctx;
	if (digits_of(m[0]) > 2 || !rules_set_clock(out, rules_number(m[0]), 0, 0, false, false, MER_NONE))
		return false;
	out->time.approximate = true;
	out->confidence -= 0.2f;
	return true;
}

static bool around_hour(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct token *t = grammar_item_token(m[1]);
	const struct token *after = rules_token_after(ctx, m[1]->last);

	if ((t && t->kind == TOK_NUM && t->digits > 2) || is_article(m[1]) ||
	    time_continues(ctx, m[1]->last))
		return false;
	if (after && (token_has(after, LEX_UNIT) || token_is(after, "people") ||
		      token_is_punct(after, '%') || token_is(after, "percent")))
		return false;
	if (!rules_set_clock(out, rules_number(m[1]), 0, 0, false, false, MER_NONE))
		return false;
	out->time.approximate = true;
	out->confidence -= 0.2f;
	return true;
}

static bool approximate(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	(void)ctx;
	*out = m[1]->mention;
	out->time.approximate = true;
	return true;
}

static bool end_of_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	(void)ctx;
	(void)m;
	rules_set_clock(out, 23, 59, 59, true, true, MER_NONE);
	out->time.fixed = true;
	out->time.end_of_day = true;
	return true;
}

static bool now(const struct grammar_context *ctx, const struct grammar_item *const *m,
		struct mention *out)
{
	(void)m;
	rules_set_day(out, ctx->ref.date);
	rules_set_clock(out, ctx->ref.hour, ctx->ref.minute, ctx->ref.second, true,
			ctx->ref.second != 0, MER_NONE);
	out->time.fixed = true;
	out->time.exact = true;
	return true;
}

/* Words before a part of the day that make it a time, not a name. */
static bool part_context(const struct token *t)
{
	static const char *const words[] = {
		"on", "every", "each", "by", "until", "from", "for", "of", "and", "or", "next", "last",
		"this", "that", "saturday", "sunday", "friday", "late", "early", "tomorrow", "today",
		"yesterday", "the", "at", "in", "during", "some", NULL
	};

	if (!t)
		return false;
	if (t->kind == TOK_NUM || token_has(t, LEX_WEEKDAY | LEX_DAYWORD | LEX_MONTH | LEX_MERIDIEM))
		return true;
	for (int i = 0; words[i]; i++)
		if (token_is(t, words[i]))
			return true;
	return false;
}

/* "this morning", "in the evening", "tonight", "late evening", "at night" */
static bool part_of_day(const struct grammar_context *ctx, const struct grammar_item *const *m,
			struct mention *out)
{
	const struct token *t = grammar_item_token(m[2]);
	int part = t->lex->part;
	const struct token *before = rules_token_before(ctx, (m[0] ? m[0] : m[1] ? m[1] : m[2])->first);
	const struct token *after = rules_token_after(ctx, m[2]->last);
	bool prefixed = m[0] != NULL;

	if (part == PART_NOON || part == PART_MIDNIGHT)
		return false;  /* clock times of their own */
	/* "Quiz night", "Morning run": a part of the day that names the event. */
	if (part != PART_TONIGHT && part != PART_LUNCH && !prefixed && !part_context(before) &&
	    !(after && token_is(after, "of")))
		return false;
	if (m[1] && !prefixed && !(before && part_context(before)))
		return false;
	if (part == PART_LUNCH && !prefixed)
		return false;
	out->kind = MENTION_POINT;
	out->time.kind = TIME_PART;
	out->time.part = part == PART_LUNCH ? PART_NOON : part;
	return true;
}

/* A clock time with the part of the day it falls in: "7 in the evening",
 * "8am this morning", "10, tonight". */
static bool clock_with_part(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	const struct mention *clock = &m[0]->mention;
	const struct mention *part = &m[2]->mention;

	(void)ctx;
	if (clock->time.kind != TIME_CLOCK || part->time.kind != TIME_PART)
		return false;
	*out = *clock;
	out->time.part = part->time.part;
	return true;
}

/* "in the afternoon at 7", "tonight around 3", "early morning at 8:00" */
static bool part_with_clock(const struct grammar_context *ctx, const struct grammar_item *const *m,
			    struct mention *out)
{
	const struct mention *part = &m[0]->mention;
	const struct mention *clock = &m[2]->mention;

	(void)ctx;
	if (clock->time.kind != TIME_CLOCK || part->time.kind != TIME_PART)
		return false;
	*out = *clock;
	out->time.part = part->time.part;
	if (grammar_item_is(m[1], "around") || grammar_item_is(m[1], "about"))
		out->time.approximate = true;
	return true;
}

/* "3 in the morning", "seven in the evening": a bare number with a part. */
static bool number_with_part(const struct grammar_context *ctx, const struct grammar_item *const *m,
			     struct mention *out)
{
	const struct mention *part;
	const struct token *t = grammar_item_token(m[0]);

	const struct token *before = rules_token_before(ctx, m[0]->first);
	const struct mention *part_m = &m[2]->mention;

	part = part_m;
	if (part->time.kind != TIME_PART || (t && t->kind == TOK_NUM && t->digits > 2) ||
	    is_article(m[0]))
		return false;
	/* "mar4 night": the number is a day of the month. */
	if (before && (token_has(before, LEX_MONTH) || token_is(before, "the")))
		return false;
	if (part->time.part != PART_MORNING && part->time.part != PART_AFTERNOON &&
	    part->time.part != PART_EVENING && part->time.part != PART_NIGHT &&
	    part->time.part != PART_TONIGHT)
		return false;
	if (!rules_set_clock(out, rules_number(m[0]), 0, 0, false, false, MER_NONE))
		return false;
	out->time.part = part->time.part;
	return true;
}

/* "9am JST", "3pm ET", "noon Berlin time", "10am New York time" */
static bool time_zone(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	const struct token *first = grammar_item_token(m[1]);
	const struct token *second = grammar_item_token(m[2]);
	bool time_word = m[3] != NULL;
	const struct zone_info *zone = NULL;
	char name[64];

	if (!first || m[0]->mention.time.kind != TIME_CLOCK)
		return false;
	if (second && second->kind == TOK_WORD) {
		snprintf(name, sizeof name, "%s %s", first->norm, second->norm);
		zone = zone_lookup(name, strlen(name));
		if (zone && !(zone->needs_time_word && !time_word))
			goto found;
		zone = NULL;
	}
	/* One-word zone: the second word, if any, must be "time" itself. */
	if (second && !(token_is(second, "time") && !time_word))
		return false;
	zone = zone_lookup(first->norm, strlen(first->norm));
	time_word = time_word || (second && token_is(second, "time"));
	/* US region names read as zones right after a time: "3pm Eastern". */
	if (zone && zone->needs_time_word && !time_word && first->capitalized &&
	    (token_is(first, "eastern") || token_is(first, "pacific") || token_is(first, "central") ||
	     token_is(first, "mountain")))
		time_word = true;
	if (!zone || (zone->needs_time_word && !time_word))
		return false;
	/* Lower-case abbreviations ("et", "pt") read as zones only before
	 * "time" or in text written all in lower case. */
	if (!zone->needs_time_word && !first->all_caps && !time_word && !ctx->lower_case_text &&
	    strlen(first->norm) <= 2)
		return false;
found:
	*out = m[0]->mention;
	out->time.zone = zone;
	return true;
}

const struct grammar_rule rules_table_time[] = {
	{ "clock-colon", LAYER_TIME, "<digits> ^: ^<digits> ^:? ^<digits>? <ampm>?", clock_colon, 0.95f },
	{ "clock-dot", LAYER_TIME, "<digits> ^. ^<digits> <ampm>", clock_dot, 0.95f },
	{ "at-clock-dot", LAYER_TIME, "at|@ <digits> ^. ^<digits>", at_clock_dot, 0.9f },
	{ "hour-meridiem", LAYER_TIME, "<digits> ^.? <ampm>", hour_meridiem, 0.95f },
	{ "word-meridiem", LAYER_TIME, "<numword> <ampm>", word_meridiem, 0.9f },
	{ "oclock", LAYER_TIME, "<num> oclock <ampm>?", oclock, 0.9f },
	{ "o-clock", LAYER_TIME, "<num> o clock <ampm>?", o_clock, 0.9f },
	{ "military", LAYER_TIME, "<digits> ^hour", military, 0.85f },
	{ "noon", LAYER_TIME, "<num>? noon", noon, 0.95f },
	{ "midnight", LAYER_TIME, "midnight", midnight, 0.95f },
	{ "mid-night", LAYER_TIME, "mid night", midnight, 0.9f },
	{ "half-quarter", LAYER_TIME, "half|quarter past|after|to|until|before|of <num> <ampm>?", half_quarter, 0.9f },
	{ "minutes-past", LAYER_TIME, "<num> min|minute|minutes? past|after|to|until|before <num> <ampm>?", minutes_past, 0.85f },
	{ "word-minutes", LAYER_TIME, "<numword> -? <numword> <ampm>?", word_minutes, 0.85f },
	{ "at-hour", LAYER_TIME, "at|@ <num>", at_hour, 0.8f },
	{ "moved-to-hour", LAYER_TIME, "push|move|moved|pushed|bump|shift|change it|that? to <num>", moved_to_hour, 0.75f },
	{ "hour-ish", LAYER_TIME, "<digits> ^ish", hour_ish, 0.8f },
	{ "around-hour", LAYER_TIME, "around|about|approximately|roughly|circa|~ <num>", around_hour, 0.8f },
	{ "end-of-day", LAYER_TIME, "end|close of the? day|business", end_of_day, 0.9f },
	{ "eod", LAYER_TIME, "eod", end_of_day, 0.9f },
	{ "now", LAYER_TIME, "right? now", now, 0.9f },
	{ "at-the-moment", LAYER_TIME, "at the? moment|present", now, 0.85f },
	{ "at-present-time", LAYER_TIME, "at the|this present? time", now, 0.8f },
	{ "part-of-day", LAYER_TIME, "this|in|at|during|early|late? the? <part>", part_of_day, 0.85f },
	{ "approximate", LAYER_TIME_MOD, "around|about|approximately|roughly|circa|~ <time>", approximate, 0.85f },
	{ "clock-part", LAYER_TIME_MOD, "<time> ,? <time>", clock_with_part, 0.9f },
	{ "part-clock", LAYER_TIME_MOD, "<time> at|around|about|@? <time>", part_with_clock, 0.9f },
	{ "number-part", LAYER_TIME_MOD, "<num> ,? <time>", number_with_part, 0.85f },
	{ "time-zone", LAYER_TIME_MOD, "<time> <word> <word>? time?", time_zone, 0.9f },
};

const size_t rules_table_time_count = sizeof rules_table_time / sizeof rules_table_time[0];
