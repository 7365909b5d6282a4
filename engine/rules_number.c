/*
 * Numbers written in words that span several tokens: "twenty nine",
 * "forty-five", "twenty-first", "two thousand and seventeen".
 */
#include "engine/rules.h"

static int token_number(const struct grammar_item *item, uint32_t lex_class)
{
	const struct token *t = grammar_item_token(item);

	if (!t || !token_has(t, lex_class))
		return -1;
	return lex_class == LEX_ORDINAL ? t->lex->ordinal : t->lex->number;
}

/* "twenty nine", "forty-five" */
static bool tens_units(const struct grammar_context *ctx, const struct grammar_item *const *m,
		       struct mention *out)
{
	int tens = token_number(m[0], LEX_TENS);
	int units = token_number(m[2], LEX_CARDINAL);

	(void)ctx;
	if (tens < 0 || units < 1 || units > 9)
		return false;
	out->kind = MENTION_NUMBER;
	out->number = tens + units;
	out->number_words = true;
	return true;
}

/* "twenty-first", "thirty first" */
static bool tens_ordinal(const struct grammar_context *ctx, const struct grammar_item *const *m,
			 struct mention *out)
{
	int tens = token_number(m[0], LEX_TENS);
	int units = token_number(m[2], LEX_ORDINAL);

	(void)ctx;
	if (tens < 0 || units < 1 || units > 9)
		return false;
	out->kind = MENTION_NUMBER;
	out->number = tens + units;
	out->ordinal = true;
	out->number_words = true;
	return true;
}

/* "two thousand and seventeen", "two thousand twenty" */
static bool thousands(const struct grammar_context *ctx, const struct grammar_item *const *m,
		      struct mention *out)
{
	int high = rules_number(m[0]);
	int low = m[3] ? rules_number(m[3]) : 0;

	(void)ctx;
	if (high < 1 || high > 9 || low < 0 || low > 999)
		return false;
	out->kind = MENTION_NUMBER;
	out->number = high * 1000 + low;
	out->number_words = true;
	return true;
}

const struct grammar_rule rules_table_number[] = {
	{ "tens-units", LAYER_NUMBER, "<numword> -? <numword>", tens_units, 1.0f },
	{ "tens-ordinal", LAYER_NUMBER, "<numword> -? <ord>", tens_ordinal, 1.0f },
	{ "thousands", LAYER_NUMBER, "<numword> thousand and? <numword>?", thousands, 1.0f },
};

const size_t rules_table_number_count = sizeof rules_table_number / sizeof rules_table_number[0];
