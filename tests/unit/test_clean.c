/*
 * The part of a pasted message that contains the request: quoted replies,
 * forwarded headers, "On ... wrote:" lines, signatures and mobile footers
 * are cut. The first line and texts without such lines are kept whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/clean.h"

/* Checks that the focus of text ends where marker starts. */
#define assert_cut_at(text, marker)                                               \
	do {                                                                      \
		const char *m_ = strstr(text, marker);                            \
		assert_non_null(m_);                                              \
		assert_int_equal(clean_focus_length(text, strlen(text)),          \
				 (size_t)(m_ - (text)));                          \
	} while (0)

#define assert_kept_whole(text) \
	assert_int_equal(clean_focus_length(text, strlen(text)), strlen(text))

static void test_clean_one_line_kept(void **state)
{
	(void)state;
	assert_kept_whole("Lunch with Sarah next Friday at noon at Cafe Rio");
	assert_kept_whole("Dentist tomorrow 3pm");
	assert_kept_whole("");

	/* The first line is the request, whatever it looks like. */
	assert_kept_whole("> quoted looking request at 3pm");
	assert_kept_whole("-- Friday 9am");
	assert_kept_whole("From: the office, meeting Monday 10am");
	assert_kept_whole("\n\n> the first line with text is the request");
}

static void test_clean_plain_lines_kept(void **state)
{
	(void)state;
	assert_kept_whole("Team sync Monday 10am\nRoom 4B\nBring the Q3 numbers");

	/* A dash inside a line, or an "On ...:" line without "wrote", is text. */
	assert_kept_whole("Planning -- quick sync\nOn Friday we meet at 3:");
	assert_kept_whole("Dinner Friday 7pm\n-\nbring wine");
	assert_kept_whole("Dinner Friday 7pm\n----\nbring wine");
}

static void test_clean_quoted_reply(void **state)
{
	static const char text[] = "Can we meet Tuesday at 3?\n> On Monday you said 10am\n> works";

	(void)state;
	assert_cut_at(text, "> On Monday");
}

static void test_clean_indented_quote(void **state)
{
	static const char text[] = "Sure, Thursday 2pm.\n   > Monday 9am?";

	(void)state;
	assert_cut_at(text, "   > Monday");
}

static void test_clean_original_message(void **state)
{
	static const char text[] =
		"Sounds good, Thursday 2pm works.\n\n-----Original Message-----\n"
		"From: Bob\nDate: Monday, December 7th\nSuite 12/3";

	(void)state;
	assert_cut_at(text, "-----Original");
}

static void test_clean_forwarded_message(void **state)
{
	static const char text[] =
		"See below, lunch Friday?\n---------- Forwarded message ---------\n"
		"Date: Mon, Dec 7, 2026";

	(void)state;
	assert_cut_at(text, "----------");
}

static void test_clean_wrote_line(void **state)
{
	static const char text[] =
		"Works for me, see you Wednesday at 4.\n\n"
		"On Mon, Dec 7, 2026 at 9:00 AM Bob Smith <bob@example.com> wrote:\n"
		"> Can we do Tuesday?";

	(void)state;
	assert_cut_at(text, "On Mon");
}

static void test_clean_signature(void **state)
{
	static const char text[] = "Dinner Friday 7pm\n--\nJohn Doe\nPhone 412-555-0134";
	static const char trailing_space[] = "Dinner Friday 7pm\n-- \nJohn Doe";

	(void)state;
	assert_cut_at(text, "--");
	assert_cut_at(trailing_space, "-- ");
}

static void test_clean_mobile_footers(void **state)
{
	static const char phone[] = "Call at 5pm tomorrow\nSent from my phone";
	static const char iphone[] = "Call at 5pm tomorrow\n\nSent from my iPhone\n";
	static const char outlook[] = "Call at 5pm tomorrow\nGet Outlook for iOS";

	(void)state;
	assert_cut_at(phone, "Sent from");
	assert_cut_at(iphone, "Sent from");
	assert_cut_at(outlook, "Get Outlook");
}

static void test_clean_from_header(void **state)
{
	static const char text[] = "Standup moved to 9:30\nfrom: alice@example.com";

	(void)state;

	/* Case-insensitive. */
	assert_cut_at(text, "from:");
}

static void test_clean_separator_rule(void **state)
{
	static const char dashes[] = "Offsite on March 3\n_____\nLegal notice 2026";
	static const char equals[] = "Offsite on March 3\n=====\nLegal notice 2026";

	(void)state;
	assert_cut_at(dashes, "_____");
	assert_cut_at(equals, "=====");
}

static void test_clean_crlf(void **state)
{
	static const char text[] = "Lunch Friday\r\n--\r\nJohn\r\n";

	(void)state;
	assert_cut_at(text, "--");
}

static void test_clean_first_marker_wins(void **state)
{
	static const char text[] =
		"Review Monday 10am\nagenda attached\n> quoted\n-----Original Message-----";

	(void)state;
	assert_cut_at(text, "> quoted");
}

static void test_clean_length_bounds(void **state)
{
	static const char text[] = "Lunch Friday\n--\nJohn";

	(void)state;

	/* Only the first len bytes are the text. */
	assert_int_equal(clean_focus_length(text, 12), 12);
	assert_int_equal(clean_focus_length(text, 13), 13);
	assert_int_equal(clean_focus_length(text, 15), 13);
}

static void test_clean_unterminated_separator(void **state)
{
	/* The text ends on a separator line with no terminator after it, as a
	 * slice of a larger buffer would. The buffer is exactly the text's
	 * size, so AddressSanitizer or valgrind report any read past it. */
	static const char text[] = "Offsite on March 3\n-----";
	size_t len = sizeof text - 1;
	char *buffer = malloc(len);

	(void)state;
	assert_non_null(buffer);
	memcpy(buffer, text, len);
	assert_int_equal(clean_focus_length(buffer, len), 19);
	free(buffer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_one_line_kept),
		cmocka_unit_test(test_clean_plain_lines_kept),
		cmocka_unit_test(test_clean_quoted_reply),
		cmocka_unit_test(test_clean_indented_quote),
		cmocka_unit_test(test_clean_original_message),
		cmocka_unit_test(test_clean_forwarded_message),
		cmocka_unit_test(test_clean_wrote_line),
		cmocka_unit_test(test_clean_signature),
		cmocka_unit_test(test_clean_mobile_footers),
		cmocka_unit_test(test_clean_from_header),
		cmocka_unit_test(test_clean_separator_rule),
		cmocka_unit_test(test_clean_crlf),
		cmocka_unit_test(test_clean_first_marker_wins),
		cmocka_unit_test(test_clean_length_bounds),
		cmocka_unit_test(test_clean_unterminated_separator),
	};

	return cmocka_run_group_tests_name("clean", tests, NULL, NULL);
}
