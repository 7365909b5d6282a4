/*
 * Tokenizer. One left-to-right pass; every token records whether white
 * space or a line break came before it, which the grammar uses to tell
 * "3pm" and "15:30" (glued) from list punctuation.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/token.h"
#include "engine/utf8.h"

int token_list_init(struct token_list *list)
{
	memset(list, 0, sizeof *list);
	list->tokens = malloc(sizeof *list->tokens * TOKEN_MAX);
	if (!list->tokens)
		return -1;
	list->capacity = TOKEN_MAX;
	return 0;
}

void token_list_free(struct token_list *list)
{
	free(list->tokens);
	memset(list, 0, sizeof *list);
}

static bool is_ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Code points read as punctuation rather than letters. */
static char punct_of(uint32_t cp)
{
	switch (cp) {
	case 0x2013: case 0x2014: case 0x2012: case 0x2212:
		return '-';
	case 0x2018: case 0x2019:
		return '\'';
	case 0x201C: case 0x201D:
		return '"';
	case 0x2026:
		return '.';
	case 0x00A0: case 0x2009: case 0x202F: case 0x200B:
		return ' ';
	case 0x2022: case 0x00B7:
		return '*';
	default:
		return 0;
	}
}

struct cursor {
	const char *text;
	size_t len;
	struct token_list *list;
	bool space;
	bool newline;
};

static struct token *push(struct cursor *c, enum token_kind kind, size_t start, size_t end)
{
	struct token *t;

	if (c->list->count >= c->list->capacity) {
		c->list->truncated = true;
		return NULL;
	}
	t = &c->list->tokens[c->list->count++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->start = (uint32_t)start;
	t->end = (uint32_t)end;
	t->space_before = c->space;
	t->newline_before = c->newline;
	c->space = false;
	c->newline = false;
	return t;
}

/* Whether a word starts with a capital letter, or with a letter of a
 * script that has no case (Chinese, Japanese, Korean, Arabic, Hebrew,
 * Devanagari, Thai), which names and places are written in too. */
static bool starts_like_a_name(const char *text, size_t start, size_t end)
{
	size_t i = start;
	uint32_t cp = utf8_next(text, end, &i);

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	/* Latin-1 capitals; Latin Extended-A, whose capitals sit mostly at
	 * even code points; Greek and Cyrillic capitals; then the caseless
	 * scripts: Hebrew, Arabic, Devanagari, Thai, kana, CJK, Hangul. */
	return (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
	       (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0) ||
	       (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F) ||
	       (cp >= 0x590 && cp <= 0x6FF) || (cp >= 0x900 && cp <= 0x97F) ||
	       (cp >= 0xE00 && cp <= 0xE7F) || (cp >= 0x3040 && cp <= 0x30FF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

/* Lower-cases text[start, end) into t->norm and looks it up. */
static void set_word(struct token *t, const char *text, size_t start, size_t end)
{
	size_t n = 0;
	int letters = 0, uppers = 0;

	for (size_t i = start; i < end && n + 1 < TOKEN_NORM_MAX; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (is_ascii_letter(ch)) {
			letters++;
			uppers += ch >= 'A' && ch <= 'Z';
		}
		t->norm[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch);
	}
	t->norm[n] = '\0';
	t->capitalized = starts_like_a_name(text, start, end);
	t->all_caps = letters >= 2 && uppers == letters;
	t->lex = lexicon_find(t->norm, n);
	if (!t->lex && uppers <= 1)
		t->lex = lexicon_find_misspelled(t->norm, n);
	if (t->lex)
		strcpy(t->norm, t->lex->canonical);
}

static void push_number(struct cursor *c, size_t start, size_t end)
{
	struct token *t = push(c, TOK_NUM, start, end);
	long v = 0;

	if (!t)
		return;
	t->digits = (uint8_t)(end - start > 255 ? 255 : end - start);
	for (size_t i = start; i < end && v >= 0; i++)
		v = end - start > 9 ? -1 : v * 10 + (c->text[i] - '0');
	t->number = (int32_t)v;
	memcpy(t->norm, c->text + start, end - start < TOKEN_NORM_MAX ? end - start : TOKEN_NORM_MAX - 1);
}

/* Suffixes split off a number: "3pm", "90min", "10ish", "1530h". */
static bool splits_from_number(const char *s, size_t n)
{
	static const char *const suffixes[] = {
		"am", "pm", "a", "p", "h", "hr", "hrs", "min", "mins", "ish", "m", "d", "w",
		"hour", "hours", "minute", "minutes", "day", "days", "week", "weeks", "mo",
		"sec", "secs", "x", NULL
	};

	for (int i = 0; suffixes[i]; i++)
		if (strlen(suffixes[i]) == n && strncasecmp(suffixes[i], s, n) == 0)
			return true;
	return false;
}

static bool is_ordinal_suffix(const char *s, size_t n)
{
	return n == 2 && (strncasecmp(s, "st", 2) == 0 || strncasecmp(s, "nd", 2) == 0 ||
			  strncasecmp(s, "rd", 2) == 0 || strncasecmp(s, "th", 2) == 0);
}

/* Reads "a.m.", "a. m.", "p . m ." from i; returns the end, or 0. */
static size_t match_dotted_meridiem(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	if (!(s[i] == 'a' || s[i] == 'A' || s[i] == 'p' || s[i] == 'P'))
		return 0;
	while (j < len && s[j] == ' ')
		j++;
	if (j >= len || s[j] != '.')
		return 0;
	j++;
	while (j < len && s[j] == ' ')
		j++;
	if (j >= len || (s[j] != 'm' && s[j] != 'M'))
		return 0;
	j++;
	if (j < len && is_ascii_letter((unsigned char)s[j]))
		return 0;
	if (j < len && s[j] == '.')
		j++;
	else if (j + 1 < len && s[j] == ' ' && s[j + 1] == '.')
		j += 2;
	return j;
}

/* A run of digits, maybe glued to letters. */
static size_t read_number(struct cursor *c, size_t i)
{
	const char *s = c->text;
	size_t start = i, digits_end, word_end;

	while (i < c->len && is_digit((unsigned char)s[i]))
		i++;
	digits_end = i;
	word_end = i;
	while (word_end < c->len && is_ascii_letter((unsigned char)s[word_end]))
		word_end++;
	/* "9a.m.": the caller reads the dotted meridiem as one token. */
	if (match_dotted_meridiem(s, c->len, digits_end))
		word_end = digits_end;
	if (word_end == digits_end) {
		push_number(c, start, digits_end);
		return digits_end;
	}

	/* Whole-word spellings first: "2morrow", "2nite". */
	if (lexicon_find_ci(s + start, word_end - start)) {
		struct token *t = push(c, TOK_WORD, start, word_end);

		if (t)
			set_word(t, s, start, word_end);
		return word_end;
	}
	if (is_ordinal_suffix(s + digits_end, word_end - digits_end)) {
		push_number(c, start, digits_end);
		if (c->list->count > 0) {
			struct token *t = &c->list->tokens[c->list->count - 1];

			t->ordinal_suffix = true;
			t->end = (uint32_t)word_end;
		}
		return word_end;
	}
	if (splits_from_number(s + digits_end, word_end - digits_end)) {
		struct token *t;

		push_number(c, start, digits_end);
		t = push(c, TOK_WORD, digits_end, word_end);
		if (t) {
			set_word(t, s, digits_end, word_end);
			/* A glued "a"/"p" is a meridiem: "9a", "6:15p". */
			if (strcmp(t->norm, "a") == 0 || strcmp(t->norm, "p") == 0) {
				strcpy(t->norm, t->norm[0] == 'a' ? "am" : "pm");
				t->lex = lexicon_find(t->norm, 2);
			}
		}
		return word_end;
	}

	/* Something else glued on ("12c", "4B", "21st-century"): one word. */
	while (word_end < c->len && (is_ascii_letter((unsigned char)s[word_end]) ||
				     is_digit((unsigned char)s[word_end])))
		word_end++;
	{
		struct token *t = push(c, TOK_WORD, start, word_end);

		if (t)
			set_word(t, s, start, word_end);
	}
	return word_end;
}

/* Whether a code point continues a word. */
static bool is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return is_ascii_letter((unsigned char)cp) || is_digit((unsigned char)cp);
	return !punct_of(cp) && !utf8_is_emoji(cp) && cp != 0xFFFD;
}

static size_t read_word(struct cursor *c, size_t i)
{
	const char *s = c->text;
	size_t start = i, end = i, letters_end;
	struct token *t;

	/* Letters, digits and apostrophes between letters ("o'clock", "Sam's"). */
	while (end < c->len) {
		size_t next = end;
		uint32_t cp = utf8_next(s, c->len, &next);

		if (is_word_char(cp)) {
			end = next;
			continue;
		}
		if ((cp == '\'' || cp == 0x2019) && next < c->len && end > start) {
			size_t after = next;
			uint32_t following = utf8_next(s, c->len, &after);

			if (following < 0x80 && is_ascii_letter((unsigned char)following)) {
				end = next;
				continue;
			}
		}
		break;
	}

	/* "mar4", "jan2019": a month glued to its number. */
	letters_end = start;
	while (letters_end < end && is_ascii_letter((unsigned char)s[letters_end]))
		letters_end++;
	if (letters_end > start && letters_end < end && is_digit((unsigned char)s[letters_end])) {
		char lower[16];
		size_t n = letters_end - start;
		size_t k;
		const struct lex_entry *e;
		bool digits_only = true;

		for (k = letters_end; k < end; k++)
			digits_only = digits_only && is_digit((unsigned char)s[k]);
		if (n < sizeof lower && digits_only) {
			for (k = 0; k < n; k++)
				lower[k] = (char)(s[start + k] | 0x20);
			e = lexicon_find(lower, n);
			if (e && (e->classes & LEX_MONTH)) {
				t = push(c, TOK_WORD, start, letters_end);
				if (t)
					set_word(t, s, start, letters_end);
				push_number(c, letters_end, end);
				return end;
			}
		}
	}

	/* "w/" (with) and "w/c" (week commencing). */
	if (end - start == 1 && (s[start] | 0x20) == 'w' && end < c->len && s[end] == '/') {
		if (end + 1 < c->len && (s[end + 1] | 0x20) == 'c' &&
		    (end + 2 >= c->len || !is_ascii_letter((unsigned char)s[end + 2]))) {
			t = push(c, TOK_WORD, start, end + 2);
			if (t)
				strcpy(t->norm, "w/c");
			return end + 2;
		}
		t = push(c, TOK_WORD, start, end + 1);
		if (t)
			strcpy(t->norm, "with");
		return end + 1;
	}

	t = push(c, TOK_WORD, start, end);
	if (t)
		set_word(t, s, start, end);
	return end;
}

void tokenize(const char *text, size_t len, struct token_list *list)
{
	struct cursor c = { text, len, list, false, false };
	size_t i = 0;

	list->count = 0;
	list->truncated = false;
	while (i < len && !list->truncated) {
		unsigned char ch = (unsigned char)text[i];
		size_t next = i;
		uint32_t cp;
		size_t end;

		if (is_space(ch)) {
			c.space = true;
			c.newline = c.newline || ch == '\n';
			i++;
			continue;
		}
		if (is_digit(ch)) {
			i = read_number(&c, i);
			continue;
		}
		end = match_dotted_meridiem(text, len, i);
		if (end && (i == 0 || !is_ascii_letter((unsigned char)text[i - 1]))) {
			struct token *t = push(&c, TOK_WORD, i, end);

			if (t) {
				strcpy(t->norm, (ch | 0x20) == 'a' ? "am" : "pm");
				t->lex = lexicon_find(t->norm, 2);
			}
			i = end;
			continue;
		}
		cp = utf8_next(text, len, &next);
		if (cp < 0x80 ? is_ascii_letter(ch) : is_word_char(cp)) {
			i = read_word(&c, i);
			continue;
		}
		if (utf8_is_emoji(cp)) {
			push(&c, TOK_SYMBOL, i, next);
			i = next;
			continue;
		}
		{
			char p = cp < 0x80 ? (char)cp : punct_of(cp);
			struct token *t;

			if (p == ' ') {
				c.space = true;
				i = next;
				continue;
			}
			t = push(&c, p ? TOK_PUNCT : TOK_SYMBOL, i, next);
			if (t) {
				t->punct = p;
				t->norm[0] = p;
			}
		}
		i = next;
	}
}
