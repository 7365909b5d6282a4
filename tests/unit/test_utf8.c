/*
 * UTF-8 validation and decoding (RFC 3629): well-formed sequences of every
 * length, overlong forms, surrogates, truncated sequences, values above
 * U+10FFFF and stray bytes, with the offset of the first bad byte. Also
 * the emoji classification the tokenizer uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/utf8.h"

/* Validates the first len bytes of s and returns the reported offset, or
 * SIZE_MAX when s is valid. */
static size_t bad_offset_of(const char *s, size_t len)
{
	size_t bad = SIZE_MAX;

	if (utf8_valid(s, len, &bad))
		return SIZE_MAX;
	return bad;
}

static void test_utf8_valid_sequences(void **state)
{
	static const char *const valid[] = {
		"",
		"Lunch at noon",
		"Caf\xC3\xA9",                       /* U+00E9, two bytes */
		"\xC2\x80",                          /* U+0080, the smallest two-byte value */
		"\xDF\xBF",                          /* U+07FF */
		"\xE0\xA0\x80",                      /* U+0800, the smallest three-byte value */
		"\xE2\x82\xAC 5",                    /* U+20AC euro sign */
		"\xED\x9F\xBF",                      /* U+D7FF, just below the surrogates */
		"\xEE\x80\x80",                      /* U+E000, just above them */
		"\xEF\xBF\xBD",                      /* U+FFFD itself is a valid character */
		"\xEF\xBF\xBF",                      /* U+FFFF */
		"\xF0\x90\x80\x80",                  /* U+10000, the smallest four-byte value */
		"Party \xF0\x9F\x8E\x89",            /* U+1F389 */
		"\xF4\x8F\xBF\xBF",                  /* U+10FFFF, the largest code point */
	};

	(void)state;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		size_t bad = 12345;

		if (!utf8_valid(valid[i], strlen(valid[i]), &bad))
			fail_msg("case %zu rejected at offset %zu", i, bad);

		/* A valid text leaves the offset alone. */
		assert_int_equal(bad, 12345);
	}
}

static void test_utf8_overlong_rejected(void **state)
{
	(void)state;
	assert_int_equal(bad_offset_of("\xC0\xAF", 2), 0);           /* '/' in two bytes */
	assert_int_equal(bad_offset_of("ab\xC1\xBF", 4), 2);
	assert_int_equal(bad_offset_of("abc\xE0\x80\xAF", 6), 3);    /* '/' in three bytes */
	assert_int_equal(bad_offset_of("\xE0\x9F\xBF", 3), 0);       /* U+07FF in three bytes */
	assert_int_equal(bad_offset_of("x\xF0\x80\x80\xAF", 5), 1);  /* '/' in four bytes */
	assert_int_equal(bad_offset_of("\xF0\x8F\xBF\xBF", 4), 0);   /* U+FFFF in four bytes */
}

static void test_utf8_surrogates_rejected(void **state)
{
	(void)state;
	assert_int_equal(bad_offset_of("\xED\xA0\x80", 3), 0);       /* U+D800 */
	assert_int_equal(bad_offset_of("ok \xED\xBF\xBF", 6), 3);    /* U+DFFF */
	assert_int_equal(bad_offset_of("\xED\xB0\x80", 3), 0);       /* U+DC00 */
}

static void test_utf8_truncated_rejected(void **state)
{
	(void)state;

	/* The text ends inside a sequence. */
	assert_int_equal(bad_offset_of("Cafe \xE2\x82", 7), 5);
	assert_int_equal(bad_offset_of("\xC3", 1), 0);
	assert_int_equal(bad_offset_of("ab\xF0\x9F\x8E", 5), 2);

	/* A sequence interrupted by an ASCII byte. */
	assert_int_equal(bad_offset_of("\xE2\x82" "A", 3), 0);
	assert_int_equal(bad_offset_of("Lunch \xC3\x28 Friday", 15), 6);

	/* The length, not the terminator, ends the text: a valid euro sign cut
	 * at two bytes. */
	assert_int_equal(bad_offset_of("\xE2\x82\xAC", 2), 0);
}

static void test_utf8_above_max_rejected(void **state)
{
	(void)state;
	assert_int_equal(bad_offset_of("\xF4\x90\x80\x80", 4), 0);   /* U+110000 */
	assert_int_equal(bad_offset_of("a\xF5\x80\x80\x80", 5), 1);  /* lead byte past F4 */
	assert_int_equal(bad_offset_of("\xF7\xBF\xBF\xBF", 4), 0);
}

static void test_utf8_stray_bytes_rejected(void **state)
{
	(void)state;
	assert_int_equal(bad_offset_of("\x80", 1), 0);               /* lone continuation */
	assert_int_equal(bad_offset_of("abc\xBF", 4), 3);
	assert_int_equal(bad_offset_of("\xFF", 1), 0);
	assert_int_equal(bad_offset_of("12\xFE", 3), 2);
	assert_int_equal(bad_offset_of("\xC3\xA9\xA9", 3), 2);       /* one continuation too many */
}

static void test_utf8_first_bad_offset(void **state)
{
	(void)state;

	/* Of two bad bytes the first is reported. */
	assert_int_equal(bad_offset_of("ok \xC3\xA9 \xFF and \xC0\xAF", 14), 6);
}

static void test_utf8_null_offset_pointer(void **state)
{
	(void)state;
	assert_false(utf8_valid("\xFF", 1, NULL));
	assert_true(utf8_valid("ok", 2, NULL));
}

static void test_utf8_next_decodes(void **state)
{
	const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
	size_t len = strlen(s);
	size_t i = 0;

	(void)state;
	assert_int_equal(utf8_next(s, len, &i), 'a');
	assert_int_equal(i, 1);
	assert_int_equal(utf8_next(s, len, &i), 0xE9);
	assert_int_equal(i, 3);
	assert_int_equal(utf8_next(s, len, &i), 0x20AC);
	assert_int_equal(i, 6);
	assert_int_equal(utf8_next(s, len, &i), 0x1F600);
	assert_int_equal(i, 10);
}

static void test_utf8_next_invalid_advances_one(void **state)
{
	size_t i = 0;

	(void)state;
	assert_int_equal(utf8_next("\xFF" "a", 2, &i), 0xFFFD);
	assert_int_equal(i, 1);

	i = 0;
	assert_int_equal(utf8_next("\xE2\x82", 2, &i), 0xFFFD);
	assert_int_equal(i, 1);

	i = 0;
	assert_int_equal(utf8_next("\xED\xA0\x80", 3, &i), 0xFFFD);
	assert_int_equal(i, 1);

	i = 0;
	assert_int_equal(utf8_next("\xE0\x80\xAF", 3, &i), 0xFFFD);
	assert_int_equal(i, 1);

	i = 0;
	assert_int_equal(utf8_next("\xF4\x90\x80\x80", 4, &i), 0xFFFD);
	assert_int_equal(i, 1);

	/* A bad continuation byte is not swallowed: decoding resumes there. */
	i = 0;
	assert_int_equal(utf8_next("\xC3" "A", 2, &i), 0xFFFD);
	assert_int_equal(i, 1);
	assert_int_equal(utf8_next("\xC3" "A", 2, &i), 'A');
	assert_int_equal(i, 2);
}

static void test_utf8_emoji_classified(void **state)
{
	static const uint32_t emoji[] = {
		0x1F600,   /* grinning face */
		0x1F389,   /* party popper */
		0x1F4C5,   /* calendar */
		0x1F9D1,   /* person */
		0x1FAF6,   /* heart hands */
		0x2615,    /* hot beverage */
		0x2764,    /* heavy black heart */
		0x2705,    /* check mark button */
		0x2B50,    /* star */
		0x1F1FA,   /* regional indicator U */
		0x200D,    /* zero width joiner */
		0xFE0F,    /* variation selector 16 */
		0x20E3,    /* combining enclosing keycap */
		0xE0067,   /* tag letter g */
	};

	(void)state;
	for (size_t i = 0; i < sizeof emoji / sizeof emoji[0]; i++)
		if (!utf8_is_emoji(emoji[i]))
			fail_msg("U+%04X is not classified as an emoji", (unsigned)emoji[i]);
}

static void test_utf8_non_emoji_classified(void **state)
{
	static const uint32_t other[] = {
		'A', '9', ' ', '-',
		0xE9,      /* e with acute */
		0x4E2D,    /* CJK ideograph */
		0x2013,    /* en dash */
		0x2019,    /* right single quotation mark */
		0x20AC,    /* euro sign */
		0xFFFD,    /* replacement character */
		0x25FF,    /* just below the miscellaneous symbols block */
		0x27C0,    /* just above the dingbats */
		0x1EFFF,   /* just below the pictograph planes */
		0x1FB00,   /* just above them */
		0xE0080,   /* just above the tag characters */
	};

	(void)state;
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (utf8_is_emoji(other[i]))
			fail_msg("U+%04X is classified as an emoji", (unsigned)other[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_sequences),
		cmocka_unit_test(test_utf8_overlong_rejected),
		cmocka_unit_test(test_utf8_surrogates_rejected),
		cmocka_unit_test(test_utf8_truncated_rejected),
		cmocka_unit_test(test_utf8_above_max_rejected),
		cmocka_unit_test(test_utf8_stray_bytes_rejected),
		cmocka_unit_test(test_utf8_first_bad_offset),
		cmocka_unit_test(test_utf8_null_offset_pointer),
		cmocka_unit_test(test_utf8_next_decodes),
		cmocka_unit_test(test_utf8_next_invalid_advances_one),
		cmocka_unit_test(test_utf8_emoji_classified),
		cmocka_unit_test(test_utf8_non_emoji_classified),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
