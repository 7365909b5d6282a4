/*
 * The tokenizer: numbers glued to meridiems, units and ordinal suffixes.
 * Dotted meridiems as one token, other glued forms as one word, months
 * glued to a number, "w/" and "w/c". Dashes, emoji and apostrophes, and
 * the byte span and spacing flags of every token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/token.h"

static int list_setup(void **state)
{
	struct token_list *list = malloc(sizeof *list);

	if (!list || token_list_init(list) != 0) {
		free(list);
		return -1;
	}
	*state = list;
	return 0;
}

static int list_teardown(void **state)
{
	struct token_list *list = *state;

	token_list_free(list);
	free(list);
	return 0;
}

static struct token_list *tokenize_text(void **state, const char *text)
{
	struct token_list *list = *state;

	tokenize(text, strlen(text), list);
	return list;
}

/* Checks kind, byte span and normalised spelling of token i. */
#define assert_token(list, i, kind_, start_, end_, norm_)                  \
	do {                                                               \
		const struct token *t_;                                    \
		assert_true((size_t)(i) < (list)->count);                  \
		t_ = &(list)->tokens[i];                                   \
		assert_int_equal(t_->kind, kind_);                         \
		assert_int_equal(t_->start, start_);                       \
		assert_int_equal(t_->end, end_);                           \
		assert_string_equal(t_->norm, norm_);                      \
	} while (0)

static void test_token_number_meridiem(void **state)
{
	struct token_list *list = tokenize_text(state, "3pm");

	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_NUM, 0, 1, "3");
	assert_int_equal(list->tokens[0].number, 3);
	assert_int_equal(list->tokens[0].digits, 1);
	assert_false(list->tokens[0].ordinal_suffix);
	assert_token(list, 1, TOK_WORD, 1, 3, "pm");
	assert_false(list->tokens[1].space_before);
	assert_true(token_has(&list->tokens[1], LEX_MERIDIEM));
	assert_int_equal(list->tokens[1].lex->meridiem, 1);
}

static void test_token_glued_single_letter_meridiem(void **state)
{
	struct token_list *list = tokenize_text(state, "9a to 6:15p");

	assert_int_equal(list->count, 7);
	assert_token(list, 0, TOK_NUM, 0, 1, "9");
	assert_token(list, 1, TOK_WORD, 1, 2, "am");
	assert_true(token_has(&list->tokens[1], LEX_MERIDIEM));
	assert_int_equal(list->tokens[1].lex->meridiem, 0);
	assert_token(list, 2, TOK_WORD, 3, 5, "to");
	assert_token(list, 3, TOK_NUM, 6, 7, "6");
	assert_token(list, 4, TOK_PUNCT, 7, 8, ":");
	assert_token(list, 5, TOK_NUM, 8, 10, "15");
	assert_token(list, 6, TOK_WORD, 10, 11, "pm");
	assert_true(token_has(&list->tokens[6], LEX_MERIDIEM));
	assert_int_equal(list->tokens[6].lex->meridiem, 1);
}

static void test_token_number_unit(void **state)
{
	struct token_list *list = tokenize_text(state, "90min");

	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_NUM, 0, 2, "90");
	assert_int_equal(list->tokens[0].number, 90);
	assert_token(list, 1, TOK_WORD, 2, 5, "minute");
	assert_true(token_has(&list->tokens[1], LEX_UNIT));
	assert_int_equal(list->tokens[1].lex->unit, UNIT_MINUTE);
}

static void test_token_ordinal(void **state)
{
	static const struct {
		const char *text;
		int number;
	} cases[] = { { "4th", 4 }, { "21st", 21 }, { "2nd", 2 }, { "3rd", 3 }, { "11TH", 11 } };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct token_list *list = tokenize_text(state, cases[i].text);
		size_t len = strlen(cases[i].text);

		assert_int_equal(list->count, 1);
		assert_int_equal(list->tokens[0].kind, TOK_NUM);
		assert_int_equal(list->tokens[0].number, cases[i].number);
		assert_true(list->tokens[0].ordinal_suffix);
		assert_int_equal(list->tokens[0].start, 0);
		assert_int_equal(list->tokens[0].end, len);
		assert_int_equal(list->tokens[0].digits, len - 2);
	}
}

static void test_token_dotted_meridiem(void **state)
{
	struct token_list *list = tokenize_text(state, "a.m.");

	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 4, "am");
	assert_true(token_has(&list->tokens[0], LEX_MERIDIEM));
	assert_int_equal(list->tokens[0].lex->meridiem, 0);

	list = tokenize_text(state, "9 a.m. sharp");
	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_NUM, 0, 1, "9");
	assert_token(list, 1, TOK_WORD, 2, 6, "am");
	assert_true(list->tokens[1].space_before);
	assert_token(list, 2, TOK_WORD, 7, 12, "sharp");

	list = tokenize_text(state, "10 A.M");
	assert_int_equal(list->count, 2);
	assert_token(list, 1, TOK_WORD, 3, 6, "am");

	/* Glued to the number, the dotted form is still one token. */
	list = tokenize_text(state, "9a.m. call");
	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_NUM, 0, 1, "9");
	assert_token(list, 1, TOK_WORD, 1, 5, "am");
	assert_false(list->tokens[1].space_before);
	assert_int_equal(list->tokens[1].lex->meridiem, 0);
	assert_token(list, 2, TOK_WORD, 6, 10, "call");

	list = tokenize_text(state, "9p.m");
	assert_int_equal(list->count, 2);
	assert_token(list, 1, TOK_WORD, 1, 4, "pm");
	assert_int_equal(list->tokens[1].lex->meridiem, 1);
}

static void test_token_spaced_meridiem(void **state)
{
	struct token_list *list = tokenize_text(state, "5 p. m.");

	assert_int_equal(list->count, 2);
	assert_token(list, 1, TOK_WORD, 2, 7, "pm");
	assert_int_equal(list->tokens[1].lex->meridiem, 1);

	list = tokenize_text(state, "5 p . m . today");
	assert_int_equal(list->count, 3);
	assert_token(list, 1, TOK_WORD, 2, 9, "pm");
	assert_token(list, 2, TOK_WORD, 10, 15, "today");
}

static void test_token_dot_not_meridiem(void **state)
{
	/* "a." followed by a word starting with m is an article and a full
	 * stop, not a meridiem. */
	struct token_list *list = tokenize_text(state, "Plan a. Meeting");

	assert_int_equal(list->count, 4);
	assert_token(list, 0, TOK_WORD, 0, 4, "plan");
	assert_token(list, 1, TOK_WORD, 5, 6, "a");
	assert_token(list, 2, TOK_PUNCT, 6, 7, ".");
	assert_int_equal(list->tokens[2].punct, '.');
	assert_token(list, 3, TOK_WORD, 8, 15, "meeting");
}

static void test_token_glued_word(void **state)
{
	struct token_list *list = tokenize_text(state, "12c");

	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 3, "12c");

	list = tokenize_text(state, "4B");
	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 2, "4b");

	/* Letters after a non-ordinal suffix keep the whole run one word. */
	list = tokenize_text(state, "4thx");
	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 4, "4thx");
}

static void test_token_number_spelled_word(void **state)
{
	/* Casual spellings that start with a digit are words from the list. */
	struct token_list *list = tokenize_text(state, "2morrow");

	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 7, "tomorrow");
	assert_true(token_has(&list->tokens[0], LEX_DAYWORD));
}

static void test_token_month_glued_number(void **state)
{
	struct token_list *list = tokenize_text(state, "mar4");

	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 3, "march");
	assert_true(token_has(&list->tokens[0], LEX_MONTH));
	assert_int_equal(list->tokens[0].lex->month, 3);
	assert_token(list, 1, TOK_NUM, 3, 4, "4");
	assert_int_equal(list->tokens[1].number, 4);
	assert_false(list->tokens[1].space_before);

	list = tokenize_text(state, "Jan2019");
	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 3, "january");
	assert_true(list->tokens[0].capitalized);
	assert_token(list, 1, TOK_NUM, 3, 7, "2019");
	assert_int_equal(list->tokens[1].digits, 4);

	/* Not a month: one word. */
	list = tokenize_text(state, "marx4");
	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 5, "marx4");
}

static void test_token_with_and_week_commencing(void **state)
{
	struct token_list *list = tokenize_text(state, "w/c 5th Jan");

	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_WORD, 0, 3, "w/c");
	assert_true(token_is(&list->tokens[0], "w/c"));
	assert_token(list, 1, TOK_NUM, 4, 7, "5");
	assert_true(list->tokens[1].ordinal_suffix);
	assert_token(list, 2, TOK_WORD, 8, 11, "january");

	list = tokenize_text(state, "W/C");
	assert_int_equal(list->count, 1);
	assert_token(list, 0, TOK_WORD, 0, 3, "w/c");

	list = tokenize_text(state, "w/ Sarah");
	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 2, "with");
	assert_true(token_is(&list->tokens[0], "with"));
	assert_token(list, 1, TOK_WORD, 3, 8, "sarah");
	assert_true(list->tokens[1].capitalized);

	/* "w/co..." is "w/" and a word, not "w/c". */
	list = tokenize_text(state, "w/cole");
	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 2, "with");
	assert_token(list, 1, TOK_WORD, 2, 6, "cole");
}

static void test_token_dashes(void **state)
{
	/* U+2013 en dash, three bytes. */
	struct token_list *list = tokenize_text(state, "9\xE2\x80\x93" "10am");

	assert_int_equal(list->count, 4);
	assert_token(list, 0, TOK_NUM, 0, 1, "9");
	assert_token(list, 1, TOK_PUNCT, 1, 4, "-");
	assert_true(token_is_punct(&list->tokens[1], '-'));
	assert_token(list, 2, TOK_NUM, 4, 6, "10");
	assert_token(list, 3, TOK_WORD, 6, 8, "am");

	/* U+2014 em dash and U+2212 minus sign. */
	list = tokenize_text(state, "Mon \xE2\x80\x94 Fri");
	assert_int_equal(list->count, 3);
	assert_token(list, 1, TOK_PUNCT, 4, 7, "-");
	list = tokenize_text(state, "1\xE2\x88\x92" "2");
	assert_int_equal(list->count, 3);
	assert_token(list, 1, TOK_PUNCT, 1, 4, "-");
}

static void test_token_emoji_symbol(void **state)
{
	/* U+1F389 party popper, four bytes. */
	struct token_list *list = tokenize_text(state, "Party \xF0\x9F\x8E\x89 tonight");

	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_WORD, 0, 5, "party");
	assert_int_equal(list->tokens[1].kind, TOK_SYMBOL);
	assert_int_equal(list->tokens[1].start, 6);
	assert_int_equal(list->tokens[1].end, 10);
	assert_true(list->tokens[1].space_before);
	assert_token(list, 2, TOK_WORD, 11, 18, "tonight");
	assert_true(token_has(&list->tokens[2], LEX_PART));

	/* Glued to a word, the emoji is still a token of its own. */
	list = tokenize_text(state, "\xF0\x9F\x8E\x89Party");
	assert_int_equal(list->count, 2);
	assert_int_equal(list->tokens[0].kind, TOK_SYMBOL);
	assert_int_equal(list->tokens[0].end, 4);
	assert_token(list, 1, TOK_WORD, 4, 9, "party");
	assert_false(list->tokens[1].space_before);
}

static void test_token_apostrophes(void **state)
{
	struct token_list *list = tokenize_text(state, "Sam's party");

	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 5, "sam's");
	assert_token(list, 1, TOK_WORD, 6, 11, "party");

	list = tokenize_text(state, "7 o'clock");
	assert_int_equal(list->count, 2);
	assert_token(list, 1, TOK_WORD, 2, 9, "oclock");

	/* U+2019 right single quotation mark, three bytes, inside a word. */
	list = tokenize_text(state, "Sam\xE2\x80\x99s party");
	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 7, "sam\xE2\x80\x99s");

	/* An apostrophe not followed by a letter ends the word. */
	list = tokenize_text(state, "Sams' party");
	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_WORD, 0, 4, "sams");
	assert_token(list, 1, TOK_PUNCT, 4, 5, "'");
	assert_token(list, 2, TOK_WORD, 6, 11, "party");
}

static void test_token_spans_and_spacing(void **state)
{
	struct token_list *list = tokenize_text(state, "Lunch at  noon,Friday\nroom 4");

	assert_int_equal(list->count, 7);
	assert_token(list, 0, TOK_WORD, 0, 5, "lunch");
	assert_false(list->tokens[0].space_before);
	assert_token(list, 1, TOK_WORD, 6, 8, "at");
	assert_true(list->tokens[1].space_before);
	assert_token(list, 2, TOK_WORD, 10, 14, "noon");
	assert_true(list->tokens[2].space_before);
	assert_token(list, 3, TOK_PUNCT, 14, 15, ",");
	assert_false(list->tokens[3].space_before);
	assert_token(list, 4, TOK_WORD, 15, 21, "friday");
	assert_false(list->tokens[4].space_before);
	assert_false(list->tokens[4].newline_before);
	assert_token(list, 5, TOK_WORD, 22, 26, "room");
	assert_true(list->tokens[5].space_before);
	assert_true(list->tokens[5].newline_before);
	assert_token(list, 6, TOK_NUM, 27, 28, "4");
	assert_true(list->tokens[6].space_before);
	assert_false(list->tokens[6].newline_before);
}

static void test_token_clock_time(void **state)
{
	struct token_list *list = tokenize_text(state, "15:30");

	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_NUM, 0, 2, "15");
	assert_token(list, 1, TOK_PUNCT, 2, 3, ":");
	assert_false(list->tokens[1].space_before);
	assert_token(list, 2, TOK_NUM, 3, 5, "30");
	assert_false(list->tokens[2].space_before);
	assert_int_equal(list->tokens[2].digits, 2);
}

static void test_token_nbsp_is_space(void **state)
{
	/* U+00A0 no-break space between the number and the meridiem. */
	struct token_list *list = tokenize_text(state, "9\xC2\xA0pm");

	assert_int_equal(list->count, 2);
	assert_token(list, 1, TOK_WORD, 3, 5, "pm");
	assert_true(list->tokens[1].space_before);
}

static void test_token_large_numbers(void **state)
{
	struct token_list *list = tokenize_text(state, "123456789 1234567890");

	assert_int_equal(list->count, 2);
	assert_int_equal(list->tokens[0].number, 123456789);
	assert_int_equal(list->tokens[0].digits, 9);

	/* Above nine digits the value is not kept. */
	assert_int_equal(list->tokens[1].number, -1);
	assert_int_equal(list->tokens[1].digits, 10);
	assert_string_equal(list->tokens[1].norm, "1234567890");
}

static void test_token_capitalisation(void **state)
{
	struct token_list *list = tokenize_text(state, "NYC Lunch I sync");

	assert_int_equal(list->count, 4);
	assert_true(list->tokens[0].capitalized);
	assert_true(list->tokens[0].all_caps);
	assert_true(list->tokens[1].capitalized);
	assert_false(list->tokens[1].all_caps);

	/* One capital letter is not "all caps". */
	assert_true(list->tokens[2].capitalized);
	assert_false(list->tokens[2].all_caps);
	assert_false(list->tokens[3].capitalized);
	assert_false(list->tokens[3].all_caps);
}

static void test_token_non_ascii_word(void **state)
{
	struct token_list *list = tokenize_text(state, "Caf\xC3\xA9 Rio");

	assert_int_equal(list->count, 2);
	assert_token(list, 0, TOK_WORD, 0, 5, "caf\xC3\xA9");
	assert_true(list->tokens[0].capitalized);
	assert_null(list->tokens[0].lex);
	assert_token(list, 1, TOK_WORD, 6, 9, "rio");
}

static void test_token_invalid_byte_symbol(void **state)
{
	struct token_list *list = tokenize_text(state, "a\xFF" "b");

	assert_int_equal(list->count, 3);
	assert_token(list, 0, TOK_WORD, 0, 1, "a");
	assert_int_equal(list->tokens[1].kind, TOK_SYMBOL);
	assert_int_equal(list->tokens[1].start, 1);
	assert_int_equal(list->tokens[1].end, 2);
	assert_token(list, 2, TOK_WORD, 2, 3, "b");
}

static void test_token_truncated(void **state)
{
	size_t len = (TOKEN_MAX + 100) * 2;
	char *text = malloc(len + 1);
	struct token_list *list = *state;

	assert_non_null(text);
	for (size_t i = 0; i < len; i += 2)
		memcpy(text + i, "x ", 2);
	text[len] = '\0';
	tokenize(text, len, list);
	free(text);
	assert_int_equal(list->count, TOKEN_MAX);
	assert_true(list->truncated);

	/* The next text replaces the list and clears the flag. */
	list = tokenize_text(state, "Lunch");
	assert_int_equal(list->count, 1);
	assert_false(list->truncated);
}

static void test_token_empty_text(void **state)
{
	struct token_list *list = tokenize_text(state, "");

	assert_int_equal(list->count, 0);
	list = tokenize_text(state, " \t\n ");
	assert_int_equal(list->count, 0);
	assert_false(list->truncated);
}

int main(void)
{
#define TOKEN_TEST(name) cmocka_unit_test_setup_teardown(name, list_setup, list_teardown)
	const struct CMUnitTest tests[] = {
		TOKEN_TEST(test_token_number_meridiem),
		TOKEN_TEST(test_token_glued_single_letter_meridiem),
		TOKEN_TEST(test_token_number_unit),
		TOKEN_TEST(test_token_ordinal),
		TOKEN_TEST(test_token_dotted_meridiem),
		TOKEN_TEST(test_token_spaced_meridiem),
		TOKEN_TEST(test_token_dot_not_meridiem),
		TOKEN_TEST(test_token_glued_word),
		TOKEN_TEST(test_token_number_spelled_word),
		TOKEN_TEST(test_token_month_glued_number),
		TOKEN_TEST(test_token_with_and_week_commencing),
		TOKEN_TEST(test_token_dashes),
		TOKEN_TEST(test_token_emoji_symbol),
		TOKEN_TEST(test_token_apostrophes),
		TOKEN_TEST(test_token_spans_and_spacing),
		TOKEN_TEST(test_token_clock_time),
		TOKEN_TEST(test_token_nbsp_is_space),
		TOKEN_TEST(test_token_large_numbers),
		TOKEN_TEST(test_token_capitalisation),
		TOKEN_TEST(test_token_non_ascii_word),
		TOKEN_TEST(test_token_invalid_byte_symbol),
		TOKEN_TEST(test_token_truncated),
		TOKEN_TEST(test_token_empty_text),
	};
#undef TOKEN_TEST

	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
