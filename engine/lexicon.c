/*
 * The grammar's word list. Entries are written in any order; the first
 * lookup sorts an index once (pthread_once) and every lookup after that is
 * a binary search.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lexicon.h"

#define E(w, c, cls) { .word = w, .canonical = c, .classes = (cls)
#define MONTH(w, c, m) E(w, c, LEX_MONTH), .month = m }
#define MONTH_ABBR(w, c, m) E(w, c, LEX_MONTH | LEX_ABBREV), .month = m }
#define WEEKDAY(w, c, d) E(w, c, LEX_WEEKDAY), .weekday = d }
#define WEEKDAY_ABBR(w, c, d) E(w, c, LEX_WEEKDAY | LEX_ABBREV), .weekday = d }
#define WEEKDAYS(w, c, d) E(w, c, LEX_WEEKDAY | LEX_PLURAL), .weekday = d }
#define NUMBER(w, n) E(w, w, LEX_CARDINAL), .number = n }
#define TENS(w, n) E(w, w, LEX_CARDINAL | LEX_TENS), .number = n }
#define ORDINAL(w, n) E(w, w, LEX_ORDINAL), .ordinal = n }
#define MEASURE(w) E(w, w, LEX_MEASURE) }
#define UNIT(w, c, u) E(w, c, LEX_UNIT), .unit = u }
#define UNITS(w, c, u) E(w, c, LEX_UNIT | LEX_PLURAL), .unit = u }
#define MERIDIEM(w, c, m) E(w, c, LEX_MERIDIEM), .meridiem = m }
#define PART(w, c, p) E(w, c, LEX_PART), .part = p }
#define PARTS(w, c, p) E(w, c, LEX_PART | LEX_PLURAL), .part = p }
#define RELATIVE(w, c, r) E(w, c, LEX_RELATIVE), .relative = r }
#define DAYWORD(w, c, n) E(w, c, LEX_DAYWORD), .number = n }
#define ALIAS(w, c) E(w, c, 0) }

static const struct lex_entry entries[] = {
	MONTH("january", "january", 1), MONTH_ABBR("jan", "january", 1),
	MONTH("february", "february", 2), MONTH_ABBR("feb", "february", 2),
	MONTH_ABBR("febr", "february", 2),
	MONTH("march", "march", 3), MONTH_ABBR("mar", "march", 3),
	MONTH("april", "april", 4), MONTH_ABBR("apr", "april", 4),
	MONTH("may", "may", 5),
	MONTH("june", "june", 6), MONTH_ABBR("jun", "june", 6),
	MONTH("july", "july", 7), MONTH_ABBR("jul", "july", 7),
	MONTH("august", "august", 8), MONTH_ABBR("aug", "august", 8),
	MONTH("september", "september", 9), MONTH_ABBR("sep", "september", 9),
	MONTH_ABBR("sept", "september", 9),
	MONTH("october", "october", 10), MONTH_ABBR("oct", "october", 10),
	MONTH("november", "november", 11), MONTH_ABBR("nov", "november", 11),
	MONTH("december", "december", 12), MONTH_ABBR("dec", "december", 12),

	WEEKDAY("monday", "monday", 0), WEEKDAY_ABBR("mon", "monday", 0),
	WEEKDAYS("mondays", "monday", 0),
	WEEKDAY("tuesday", "tuesday", 1), WEEKDAY_ABBR("tue", "tuesday", 1),
	WEEKDAY_ABBR("tues", "tuesday", 1), WEEKDAYS("tuesdays", "tuesday", 1),
	WEEKDAY("wednesday", "wednesday", 2), WEEKDAY_ABBR("wed", "wednesday", 2),
	WEEKDAY_ABBR("weds", "wednesday", 2), WEEKDAYS("wednesdays", "wednesday", 2),
	WEEKDAY("wensday", "wednesday", 2), WEEKDAY("wednsday", "wednesday", 2),
	WEEKDAY("thursday", "thursday", 3), WEEKDAY_ABBR("thu", "thursday", 3),
	WEEKDAY_ABBR("thur", "thursday", 3), WEEKDAY_ABBR("thurs", "thursday", 3),
	WEEKDAYS("thursdays", "thursday", 3), WEEKDAY("thrusday", "thursday", 3),
	WEEKDAY("thursay", "thursday", 3),
	WEEKDAY("friday", "friday", 4), WEEKDAY_ABBR("fri", "friday", 4),
	WEEKDAYS("fridays", "friday", 4), WEEKDAY("firday", "friday", 4),
	WEEKDAY("saturday", "saturday", 5), WEEKDAY_ABBR("sat", "saturday", 5),
	WEEKDAYS("saturdays", "saturday", 5), WEEKDAY("satruday", "saturday", 5),
	WEEKDAY("sunday", "sunday", 6), WEEKDAY_ABBR("sun", "sunday", 6),
	WEEKDAYS("sundays", "sunday", 6),

	NUMBER("zero", 0), NUMBER("one", 1), NUMBER("two", 2), NUMBER("three", 3),
	NUMBER("four", 4), NUMBER("five", 5), NUMBER("six", 6), NUMBER("seven", 7),
	NUMBER("eight", 8), NUMBER("nine", 9), NUMBER("ten", 10), NUMBER("eleven", 11),
	NUMBER("twelve", 12), NUMBER("thirteen", 13), NUMBER("fourteen", 14),
	NUMBER("fifteen", 15), NUMBER("sixteen", 16), NUMBER("seventeen", 17),
	NUMBER("eighteen", 18), NUMBER("nineteen", 19),
	TENS("twenty", 20), TENS("thirty", 30), TENS("forty", 40), TENS("fifty", 50),
	TENS("sixty", 60), TENS("seventy", 70), TENS("eighty", 80), TENS("ninety", 90),
	NUMBER("hundred", 100), NUMBER("thousand", 1000),
	NUMBER("a", 1), NUMBER("an", 1), NUMBER("couple", 2), NUMBER("few", 3),
	NUMBER("dozen", 12),

	ORDINAL("first", 1), ORDINAL("second", 2), ORDINAL("third", 3),
	ORDINAL("fourth", 4), ORDINAL("fifth", 5), ORDINAL("sixth", 6),
	ORDINAL("seventh", 7), ORDINAL("eighth", 8), ORDINAL("ninth", 9),
	ORDINAL("tenth", 10), ORDINAL("eleventh", 11), ORDINAL("twelfth", 12),
	ORDINAL("twelveth", 12), ORDINAL("thirteenth", 13), ORDINAL("fourteenth", 14),
	ORDINAL("fifteenth", 15), ORDINAL("sixteenth", 16), ORDINAL("seventeenth", 17),
	ORDINAL("eighteenth", 18), ORDINAL("nineteenth", 19), ORDINAL("twentieth", 20),
	ORDINAL("thirtieth", 30),

	UNIT("sec", "second", UNIT_SECOND), UNITS("secs", "second", UNIT_SECOND),
	UNITS("seconds", "second", UNIT_SECOND),
	UNIT("minute", "minute", UNIT_MINUTE), UNITS("minutes", "minute", UNIT_MINUTE),
	UNIT("min", "minute", UNIT_MINUTE), UNITS("mins", "minute", UNIT_MINUTE),
	UNIT("hour", "hour", UNIT_HOUR), UNITS("hours", "hour", UNIT_HOUR),
	UNIT("hr", "hour", UNIT_HOUR), UNITS("hrs", "hour", UNIT_HOUR),
	UNIT("h", "hour", UNIT_HOUR),
	UNIT("day", "day", UNIT_DAY), UNITS("days", "day", UNIT_DAY),
	UNIT("week", "week", UNIT_WEEK), UNITS("weeks", "week", UNIT_WEEK),
	UNIT("wk", "week", UNIT_WEEK), UNITS("wks", "week", UNIT_WEEK),
	UNIT("fortnight", "fortnight", UNIT_FORTNIGHT),
	UNITS("fortnights", "fortnight", UNIT_FORTNIGHT),
	UNIT("month", "month", UNIT_MONTH), UNITS("months", "month", UNIT_MONTH),
	UNIT("mo", "month", UNIT_MONTH), UNITS("mos", "month", UNIT_MONTH),
	UNIT("quarter", "quarter", UNIT_QUARTER), UNITS("quarters", "quarter", UNIT_QUARTER),
	UNIT("year", "year", UNIT_YEAR), UNITS("years", "year", UNIT_YEAR),
	UNIT("yr", "year", UNIT_YEAR), UNITS("yrs", "year", UNIT_YEAR),

	MERIDIEM("am", "am", 0), MERIDIEM("pm", "pm", 1),
	MERIDIEM("a.m.", "am", 0), MERIDIEM("p.m.", "pm", 1),
	MERIDIEM("a.m", "am", 0), MERIDIEM("p.m", "pm", 1),

	PART("morning", "morning", PART_MORNING), PARTS("mornings", "morning", PART_MORNING),
	PART("afternoon", "afternoon", PART_AFTERNOON),
	PARTS("afternoons", "afternoon", PART_AFTERNOON),
	PART("arvo", "afternoon", PART_AFTERNOON),
	PART("evening", "evening", PART_EVENING), PARTS("evenings", "evening", PART_EVENING),
	PART("night", "night", PART_NIGHT), PARTS("nights", "night", PART_NIGHT),
	PART("nite", "night", PART_NIGHT),
	PART("tonight", "tonight", PART_TONIGHT), PART("tonite", "tonight", PART_TONIGHT),
	PART("2nite", "tonight", PART_TONIGHT), PART("2night", "tonight", PART_TONIGHT),
	PART("tonigh", "tonight", PART_TONIGHT),
	PART("noon", "noon", PART_NOON), PART("midday", "noon", PART_NOON),
	PART("noonish", "noon", PART_NOON),
	PART("midnight", "midnight", PART_MIDNIGHT),
	PART("lunchtime", "lunchtime", PART_LUNCH),

	RELATIVE("this", "this", REL_THIS), RELATIVE("next", "next", REL_NEXT),
	RELATIVE("nxt", "next", REL_NEXT), RELATIVE("last", "last", REL_LAST),
	RELATIVE("previous", "previous", REL_LAST), RELATIVE("past", "past", REL_LAST),
	RELATIVE("prior", "previous", REL_LAST),
	RELATIVE("coming", "coming", REL_COMING), RELATIVE("upcoming", "coming", REL_COMING),
	RELATIVE("following", "following", REL_FOLLOWING),
	RELATIVE("current", "this", REL_THIS),

	DAYWORD("today", "today", 0), DAYWORD("tdy", "today", 0), DAYWORD("2day", "today", 0),
	DAYWORD("tomorrow", "tomorrow", 1), DAYWORD("tmrw", "tomorrow", 1),
	DAYWORD("tmr", "tomorrow", 1), DAYWORD("tmw", "tomorrow", 1),
	DAYWORD("tmrrw", "tomorrow", 1), DAYWORD("tomorow", "tomorrow", 1),
	DAYWORD("tommorow", "tomorrow", 1), DAYWORD("tommorrow", "tomorrow", 1),
	DAYWORD("tomorrrow", "tomorrow", 1), DAYWORD("2morrow", "tomorrow", 1),
	DAYWORD("2moro", "tomorrow", 1), DAYWORD("2morow", "tomorrow", 1),
	DAYWORD("tmro", "tomorrow", 1), DAYWORD("tomoz", "tomorrow", 1),
	DAYWORD("yesterday", "yesterday", -1),

	/* Units of quantity after a fraction: "3/4 cup", "1/2 mile". */
	MEASURE("cup"), MEASURE("cups"), MEASURE("tsp"), MEASURE("tbsp"), MEASURE("teaspoon"),
	MEASURE("teaspoons"), MEASURE("tablespoon"), MEASURE("tablespoons"), MEASURE("inch"),
	MEASURE("inches"), MEASURE("mile"), MEASURE("miles"), MEASURE("mi"), MEASURE("km"),
	MEASURE("lb"), MEASURE("lbs"), MEASURE("pound"), MEASURE("pounds"), MEASURE("oz"),
	MEASURE("ounce"), MEASURE("ounces"), MEASURE("kg"), MEASURE("ml"), MEASURE("liter"),
	MEASURE("liters"), MEASURE("litre"), MEASURE("litres"), MEASURE("gallon"),
	MEASURE("gallons"), MEASURE("pint"), MEASURE("pints"), MEASURE("quart"),
	MEASURE("quarts"), MEASURE("stick"), MEASURE("sticks"), MEASURE("slice"),
	MEASURE("slices"), MEASURE("ft"), MEASURE("feet"), MEASURE("foot"),

	ALIAS("thru", "through"), ALIAS("til", "until"), ALIAS("till", "until"),
	ALIAS("'til", "until"), ALIAS("untill", "until"), ALIAS("w/", "with"),
	ALIAS("btwn", "between"), ALIAS("approx", "approximately"),
	ALIAS("abt", "about"), ALIAS("eod", "eod"), ALIAS("cob", "eod"),
	ALIAS("o'clock", "oclock"), ALIAS("o’clock", "oclock"), ALIAS("oclock", "oclock"),
	ALIAS("xmas", "christmas"), ALIAS("every1", "everyone"), ALIAS("wknd", "weekend"),
	ALIAS("wkend", "weekend"), ALIAS("w/e", "weekend"), ALIAS("nye", "nye"),
};

#define ENTRY_COUNT (sizeof entries / sizeof entries[0])

static const struct lex_entry *sorted[ENTRY_COUNT];
static pthread_once_t sort_once = PTHREAD_ONCE_INIT;

/* Full month and weekday names of six letters or more, the candidates a
 * misspelling is compared with. */
static const struct lex_entry *names[ENTRY_COUNT];
static size_t name_count;

static int compare_entries(const void *a, const void *b)
{
	const struct lex_entry *x = *(const struct lex_entry *const *)a;
	const struct lex_entry *y = *(const struct lex_entry *const *)b;

	return strcmp(x->word, y->word);
}

static void sort_entries(void)
{
	for (size_t i = 0; i < ENTRY_COUNT; i++) {
		const struct lex_entry *e = &entries[i];

		sorted[i] = e;
		if ((e->classes & (LEX_MONTH | LEX_WEEKDAY)) && !(e->classes & (LEX_ABBREV | LEX_PLURAL)) &&
		    strcmp(e->word, e->canonical) == 0 && strlen(e->word) >= 6)
			names[name_count++] = e;
	}
	qsort(sorted, ENTRY_COUNT, sizeof sorted[0], compare_entries);
}

const struct lex_entry *lexicon_find(const char *word, size_t len)
{
	size_t lo = 0, hi = ENTRY_COUNT;

	pthread_once(&sort_once, sort_entries);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *w = sorted[mid]->word;
		int c = strncmp(w, word, len);

		if (c == 0 && w[len] != '\0')
			c = 1;
		if (c == 0)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct lex_entry *lexicon_find_ci(const char *word, size_t len)
{
	char lower[32];

	if (len >= sizeof lower)
		return NULL;
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)(word[i] >= 'A' && word[i] <= 'Z' ? word[i] | 0x20 : word[i]);
	return lexicon_find(lower, len);
}

static bool swapped_once(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (a[i] != b[i])
			return a[i] == b[i + 1] && a[i + 1] == b[i] && strncmp(a + i + 2, b + i + 2, n - i - 2) == 0;
	return false;
}

/* Damerau-Levenshtein distance, capped: returns 2 for anything above 1. */
static int edit_distance_capped(const char *a, size_t n, const char *b, size_t m)
{
	size_t i = 0, j = 0;

	if (n > m + 1 || m > n + 1)
		return 2;
	while (i < n && j < m && a[i] == b[j]) {
		i++;
		j++;
	}
	if (i == n && j == m)
		return 0;
	/* One substitution, insertion, deletion or swap, then the rest equal. */
	if (n == m && i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	    strncmp(a + i + 2, b + i + 2, n - i - 2) == 0)
		return 1;
	if (n == m && strncmp(a + i + 1, b + j + 1, n - i - 1) == 0)
		return 1;
	if (n + 1 == m && strncmp(a + i, b + j + 1, n - i) == 0)
		return 1;
	if (n == m + 1 && strncmp(a + i + 1, b + j, m - j) == 0)
		return 1;
	return 2;
}

const struct lex_entry *lexicon_find_misspelled(const char *word, size_t len)
{
	if (len < 6 || len > 12)
		return NULL;
	pthread_once(&sort_once, sort_entries);
	for (size_t i = 0; i < name_count; i++) {
		const struct lex_entry *e = names[i];
		size_t n = strlen(e->word);

		if (e->word[0] != word[0])
			continue;
		if (edit_distance_capped(word, len, e->word, n) != 1)
			continue;
		/* Six-letter names only forgive two swapped letters. */
		if (n < 7 && (len != n || !swapped_once(word, e->word, n)))
			continue;
		return e;
	}
	return NULL;
}
