/*
 * The tokenizer of the rule grammar: splits a UTF-8 text into words,
 * numbers, punctuation and symbols, each with its byte span in the text so
 * titles and locations can be cut from the original spelling.
 *
 * Numbers glued to a suffix are split where the suffix means something
 * ("3pm" is 3 and pm, "90min" is 90 and min, "4th" is an ordinal 4);
 * other glued forms stay one word ("12c", "4B"). "a.m."/"p. m." become one
 * meridiem token. En and em dashes are read as '-'.
 *
 * Ownership: a token_list owns its array; token_list_free releases it.
 * Tokens point into the lexicon's static entries, never into the text.
 */
#ifndef CALTUNE_TOKEN_H
#define CALTUNE_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/lexicon.h"

#define TOKEN_MAX 4096
#define TOKEN_NORM_MAX 32

enum token_kind { TOK_WORD, TOK_NUM, TOK_PUNCT, TOK_SYMBOL };

struct token {
	uint32_t start;               /* byte offset of the first byte */
	uint32_t end;                 /* byte offset past the last byte */
	enum token_kind kind;
	char punct;                   /* TOK_PUNCT: the character */
	bool space_before;            /* white space separates it from the previous token */
	bool newline_before;          /* a line break does */
	bool capitalized;             /* first letter upper case as written */
	bool all_caps;                /* every letter upper case, at least two */
	bool ordinal_suffix;          /* TOK_NUM written "4th" */
	uint8_t digits;               /* TOK_NUM: digits written */
	int32_t number;               /* TOK_NUM: value, or -1 above 9 digits */
	const struct lex_entry *lex;  /* NULL when the word is not listed */
	char norm[TOKEN_NORM_MAX];    /* lower case; the canonical spelling when listed */
};

struct token_list {
	struct token *tokens;
	size_t count;
	size_t capacity;
	bool truncated;               /* the text had more than TOKEN_MAX tokens */
};

/* Returns 0, or -1 when the array cannot be allocated. */
int token_list_init(struct token_list *list);
void token_list_free(struct token_list *list);

/* Tokenizes text into list (replacing what it held). */
void tokenize(const char *text, size_t len, struct token_list *list);

/* Whether a token is the word w (its normalised spelling). */
static inline bool token_is(const struct token *t, const char *w)
{
	const char *a = t->norm;

	while (*a && *a == *w) {
		a++;
		w++;
	}
	return t->kind == TOK_WORD && *a == '\0' && *w == '\0';
}

static inline bool token_is_punct(const struct token *t, char c)
{
	return t->kind == TOK_PUNCT && t->punct == c;
}

static inline bool token_has(const struct token *t, uint32_t lex_classes)
{
	return t->lex && (t->lex->classes & lex_classes);
}

#endif
