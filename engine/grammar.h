/*
 * A small rewriting grammar over tokens. A rule is data: a name, a layer,
 * a pattern and an action. Patterns are written as text and compiled once:
 *
 *   word        the token whose normalised spelling is `word`
 *   a|b|<c>     any one of the alternatives
 *   <class>     a token class (<month>, <num>, <ampm> ...) or a mention
 *               already built by an earlier rule (<time>, <date> ...)
 *   : / - . ,   that punctuation
 *   x?          the element may be absent
 *   ^x          the element must follow the previous one with no space
 *
 * Layers run in order. Within a layer, at each position the longest match
 * whose action accepts it replaces the items it covers with one mention;
 * passes repeat until nothing changes, so a rule can build on the output
 * of another rule of the same layer.
 *
 * Ownership: grammar_compile returns a grammar freed with grammar_free. It
 * keeps pointers to the rule table, which must outlive it (rule tables are
 * static). A compiled grammar is read-only and shared by all threads.
 */
#ifndef CALTUNE_GRAMMAR_H
#define CALTUNE_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/calendar.h"
#include "engine/mention.h"
#include "engine/token.h"

#define GRAMMAR_MAX_ELEMENTS 12

struct grammar_item {
	bool is_mention;
	int first;                  /* first token covered */
	int last;                   /* last token covered */
	const struct token *token;  /* when !is_mention: the token */
	struct mention mention;     /* when is_mention */
	uint32_t classes;           /* grammar classes it matches; set by grammar_apply */
};

struct grammar_context {
	const char *text;
	const struct token *tokens;
	size_t token_count;
	struct cal_datetime ref;
	bool day_first;             /* numeric dates are day/month (en-GB) */
	bool lower_case_text;       /* no capital letters anywhere: spoken-style text */
};

/* The matched items, one per pattern element; NULL for an absent optional
 * element. An action fills `out` (kind, values, confidence) and returns
 * false to reject the match. */
typedef bool (*grammar_action)(const struct grammar_context *ctx,
			       const struct grammar_item *const *items, struct mention *out);

struct grammar_rule {
	const char *name;
	int layer;
	const char *pattern;
	grammar_action action;
	float confidence;           /* given to `out` before the action runs */
};

struct grammar;

/* Compiles rules; returns NULL with "rule NAME: message" in err for a
 * pattern that does not parse. */
struct grammar *grammar_compile(const struct grammar_rule *const *tables, const size_t *sizes,
				size_t table_count, char *err, size_t err_size);
void grammar_free(struct grammar *g);

/* Rewrites items[0..*count) in place; *count shrinks as mentions replace
 * the items they cover. */
void grammar_apply(const struct grammar *g, const struct grammar_context *ctx,
		   struct grammar_item *items, size_t *count);

/* Helpers for actions. */
bool grammar_item_number(const struct grammar_item *item, int *value);
bool grammar_item_is(const struct grammar_item *item, const char *word);
const struct token *grammar_item_token(const struct grammar_item *item);

/* Copies a word without its apostrophes ("mother's" to "mothers"). */
size_t grammar_strip_apostrophes(const char *word, char *out, size_t size);

#endif
