/*
 * The word list of the rule grammar: month and weekday names with their
 * abbreviations, numbers and ordinals in words, units, meridiems, parts of
 * the day, relative words, and the casual spellings people type (tmrw,
 * 2nite, weds). Each entry gives a canonical spelling and the lexical
 * classes the grammar's patterns match on.
 *
 * The table is static and sorted, so lookups are a binary search and safe
 * from any thread.
 */
#ifndef CALTUNE_LEXICON_H
#define CALTUNE_LEXICON_H

#include <stddef.h>
#include <stdint.h>

enum lex_class {
	LEX_MONTH = 1u << 0,      /* value 1-12 */
	LEX_WEEKDAY = 1u << 1,    /* value 0 (Monday) - 6 (Sunday) */
	LEX_CARDINAL = 1u << 2,   /* value: the number */
	LEX_ORDINAL = 1u << 3,    /* value: the position, "last" is -1 */
	LEX_UNIT = 1u << 4,       /* value: enum lex_unit */
	LEX_MERIDIEM = 1u << 5,   /* value 0 am, 1 pm */
	LEX_PART = 1u << 6,       /* value: enum lex_part */
	LEX_RELATIVE = 1u << 7,   /* value: enum lex_relative */
	LEX_TENS = 1u << 8,       /* twenty, thirty ... (also CARDINAL) */
	LEX_PLURAL = 1u << 9,     /* "mondays", "weeks": a plural form */
	LEX_ABBREV = 1u << 10,    /* "dec", "sun": counts as a name only in context */
	LEX_DAYWORD = 1u << 11,   /* today, tomorrow, yesterday: number is the offset */
	LEX_MEASURE = 1u << 12    /* cup, tsp, inch, mile: "3/4 cup" is a fraction */
};

enum lex_unit {
	UNIT_SECOND, UNIT_MINUTE, UNIT_HOUR, UNIT_DAY, UNIT_WEEK, UNIT_FORTNIGHT,
	UNIT_MONTH, UNIT_QUARTER, UNIT_YEAR
};

enum lex_part {
	PART_NONE, PART_MORNING, PART_AFTERNOON, PART_EVENING, PART_NIGHT, PART_TONIGHT,
	PART_NOON, PART_MIDNIGHT, PART_LUNCH
};

enum lex_relative {
	REL_THIS, REL_NEXT, REL_LAST, REL_COMING, REL_FOLLOWING
};

struct lex_entry {
	const char *word;       /* lower case, as typed */
	const char *canonical;  /* the spelling rules match on */
	uint32_t classes;
	int8_t month;           /* LEX_MONTH */
	int8_t weekday;         /* LEX_WEEKDAY */
	int8_t unit;            /* LEX_UNIT */
	int8_t meridiem;        /* LEX_MERIDIEM */
	int8_t part;            /* LEX_PART */
	int8_t relative;        /* LEX_RELATIVE */
	int16_t number;         /* LEX_CARDINAL, LEX_DAYWORD */
	int16_t ordinal;        /* LEX_ORDINAL */
};

/* Finds a lower-case word of len bytes; NULL when it is not listed. */
const struct lex_entry *lexicon_find(const char *word, size_t len);

/* The same for a word in any letter case. */
const struct lex_entry *lexicon_find_ci(const char *word, size_t len);

/* A month or weekday name the lower-case word misspells by one edit
 * ("decmber", "tuseday"), or NULL. Only names of seven letters or more
 * take any single edit; six-letter ones ("monday") take a swap of two
 * neighbouring letters; the first letter must match. */
const struct lex_entry *lexicon_find_misspelled(const char *word, size_t len);

#endif
