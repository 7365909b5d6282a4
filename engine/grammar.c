/*
 * Pattern compiler and matcher of the rule grammar.
 *
 * Matching is a depth-first search over the pattern's elements, trying
 * each optional element both present and absent; patterns are short, so
 * the search stays small. The action runs on every complete match and the
 * longest accepted one wins.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/grammar.h"
#include "engine/holiday.h"

enum alt_kind { ALT_WORD, ALT_CLASS, ALT_PUNCT };

enum item_class {
	CLASS_MONTH, CLASS_WEEKDAY, CLASS_NUM, CLASS_DIGITS, CLASS_ORD, CLASS_DAY, CLASS_YEAR,
	CLASS_UNIT, CLASS_AMPM, CLASS_PART, CLASS_REL, CLASS_DAYWORD, CLASS_WORD, CLASS_CAP,
	CLASS_NUMWORD, CLASS_TIME, CLASS_DATE, CLASS_POINT, CLASS_DATETIME, CLASS_RANGE,
	CLASS_DURATION, CLASS_RECUR, CLASS_ANCHOR, CLASS_TEMPORAL, CLASS_HOLIDAY, CLASS_COUNT
};

static const char *const class_names[CLASS_COUNT] = {
	"month", "weekday", "num", "digits", "ord", "day", "year", "unit", "ampm", "part", "rel",
	"dayword", "word", "cap", "numword", "time", "date", "point", "datetime", "range",
	"duration", "recur", "anchor", "temporal", "holiday"
};

#define MAX_ALTS 16
#define WORD_MAX 24

struct alt {
	enum alt_kind kind;
	char word[WORD_MAX];
	enum item_class cls;
	char punct;
};

struct element {
	struct alt alts[MAX_ALTS];
	int alt_count;
	bool optional;
	bool glued;
};

struct compiled_rule {
	const struct grammar_rule *rule;
	struct element elements[GRAMMAR_MAX_ELEMENTS];
	int element_count;
	/* What the first item a match consumes can be, precomputed so most
	 * rules are skipped at a position with one mask test: the classes, and
	 * whether a literal word or punctuation is among the alternatives. */
	uint32_t first_classes;
	bool first_literal;
};

/* A first word a rule can start with, for finding candidate rules by the
 * token at a position instead of trying every rule. */
struct word_entry {
	const char *word;
	uint32_t rule;
};

struct layer_index {
	size_t begin, end;             /* the layer's rules, [begin, end) */
	uint32_t *class_rules;         /* rules that can start with a class, ascending */
	size_t class_rule_count;
	struct word_entry *words;      /* sorted by word, then rule */
	size_t word_count;
};

#define MAX_LAYERS 64

struct grammar {
	struct compiled_rule *rules;
	size_t count;
	int layers;
	struct layer_index index[MAX_LAYERS];
};

static int parse_alt(const char *s, size_t n, struct alt *alt)
{
	memset(alt, 0, sizeof *alt);
	if (n >= 3 && s[0] == '<' && s[n - 1] == '>') {
		for (int c = 0; c < CLASS_COUNT; c++) {
			if (strlen(class_names[c]) == n - 2 && strncmp(class_names[c], s + 1, n - 2) == 0) {
				alt->kind = ALT_CLASS;
				alt->cls = (enum item_class)c;
				return 0;
			}
		}
		return -1;
	}
	if (n == 1 && !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) {
		alt->kind = ALT_PUNCT;
		alt->punct = s[0];
		alt->word[0] = s[0];  /* punctuation tokens spell themselves */
		return 0;
	}
	if (n >= WORD_MAX)
		return -1;
	alt->kind = ALT_WORD;
	memcpy(alt->word, s, n);
	return 0;
}

static int compile_rule(const struct grammar_rule *rule, struct compiled_rule *out,
			char *err, size_t err_size)
{
	const char *p = rule->pattern;

	memset(out, 0, sizeof *out);
	out->rule = rule;
	while (*p) {
		struct element *el;
		const char *end;
		size_t n;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (out->element_count == GRAMMAR_MAX_ELEMENTS) {
			snprintf(err, err_size, "rule %s: more than %d elements", rule->name,
				 GRAMMAR_MAX_ELEMENTS);
			return -1;
		}
		el = &out->elements[out->element_count++];
		end = p;
		while (*end && *end != ' ')
			end++;
		n = (size_t)(end - p);
		if (*p == '^' && n > 1) {
			el->glued = true;
			p++;
			n--;
		}
		if (n > 1 && p[n - 1] == '?') {
			el->optional = true;
			n--;
		}
		/* Split alternatives on '|'. */
		for (size_t i = 0; i < n;) {
			size_t j = i;

			while (j < n && p[j] != '|')
				j++;
			if (el->alt_count == MAX_ALTS || parse_alt(p + i, j - i, &el->alts[el->alt_count]) < 0) {
				snprintf(err, err_size, "rule %s: cannot read \"%.*s\" in \"%s\"", rule->name,
					 (int)(j - i), p + i, rule->pattern);
				return -1;
			}
			el->alt_count++;
			i = j + 1;
		}
		p = end;
	}
	if (out->element_count == 0) {
		snprintf(err, err_size, "rule %s: empty pattern", rule->name);
		return -1;
	}
	for (int e = 0; e < out->element_count; e++) {
		const struct element *el = &out->elements[e];

		if (!el->glued) {
			for (int a = 0; a < el->alt_count; a++) {
				if (el->alts[a].kind == ALT_CLASS)
					out->first_classes |= 1u << el->alts[a].cls;
				else
					out->first_literal = true;
			}
		}
		if (!el->optional)
			break;
	}
	return 0;
}

static int compare_word_entries(const void *a, const void *b)
{
	const struct word_entry *x = a, *y = b;
	int c = strcmp(x->word, y->word);

	return c ? c : (x->rule > y->rule) - (x->rule < y->rule);
}

/* Indexes each layer's rules by the literal words and classes their
 * first consumed element can match. */
static int build_index(struct grammar *g)
{
	size_t r = 0;

	for (int layer = 0; layer < g->layers && layer < MAX_LAYERS; layer++) {
		struct layer_index *ix = &g->index[layer];
		size_t words = 0;

		ix->begin = r;
		while (r < g->count && g->rules[r].rule->layer == layer)
			r++;
		ix->end = r;
		for (size_t k = ix->begin; k < ix->end; k++) {
			const struct compiled_rule *cr = &g->rules[k];

			for (int e = 0; e < cr->element_count; e++) {
				if (!cr->elements[e].glued)
					words += (size_t)cr->elements[e].alt_count;
				if (!cr->elements[e].optional)
					break;
			}
		}
		ix->class_rules = malloc((ix->end - ix->begin + 1) * sizeof *ix->class_rules);
		ix->words = malloc((words + 1) * sizeof *ix->words);
		if (!ix->class_rules || !ix->words)
			return -1;
		for (size_t k = ix->begin; k < ix->end; k++) {
			const struct compiled_rule *cr = &g->rules[k];

			if (cr->first_classes)
				ix->class_rules[ix->class_rule_count++] = (uint32_t)k;
			for (int e = 0; e < cr->element_count; e++) {
				const struct element *el = &cr->elements[e];

				for (int a = 0; a < el->alt_count && !el->glued; a++) {
					if (el->alts[a].kind == ALT_CLASS)
						continue;
					ix->words[ix->word_count].word = el->alts[a].word;
					ix->words[ix->word_count].rule = (uint32_t)k;
					ix->word_count++;
				}
				if (!el->optional)
					break;
			}
		}
		qsort(ix->words, ix->word_count, sizeof *ix->words, compare_word_entries);
	}
	return 0;
}

/* The rules of a layer that can start at an item, in rule order; returns
 * how many were written to out (which has room for the whole layer). */
static size_t candidate_rules(const struct grammar *g, const struct layer_index *ix,
			      const struct grammar_item *item, uint32_t *out)
{
	size_t n = 0, c = 0, w_begin = 0, w_end = 0;

	if (!item->is_mention) {
		const char *key = item->token->norm;
		size_t lo = 0, hi = ix->word_count;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(ix->words[mid].word, key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		w_begin = lo;
		w_end = lo;
		while (w_end < ix->word_count && strcmp(ix->words[w_end].word, key) == 0)
			w_end++;
	}
	/* Merge the two ascending lists, dropping class rules whose mask
	 * cannot match and duplicates. */
	while (c < ix->class_rule_count || w_begin < w_end) {
		uint32_t next;

		if (w_begin >= w_end ||
		    (c < ix->class_rule_count && ix->class_rules[c] <= ix->words[w_begin].rule)) {
			next = ix->class_rules[c++];
			if (!(g->rules[next].first_classes & item->classes))
				continue;
		} else {
			next = ix->words[w_begin++].rule;
		}
		if (n == 0 || out[n - 1] != next)
			out[n++] = next;
	}
	return n;
}

struct grammar *grammar_compile(const struct grammar_rule *const *tables, const size_t *sizes,
				size_t table_count, char *err, size_t err_size)
{
	struct grammar *g = calloc(1, sizeof *g);
	size_t total = 0, k = 0;

	if (!g) {
		snprintf(err, err_size, "out of memory compiling the grammar");
		return NULL;
	}
	for (size_t t = 0; t < table_count; t++)
		total += sizes[t];
	g->rules = calloc(total ? total : 1, sizeof *g->rules);
	if (!g->rules) {
		free(g);
		snprintf(err, err_size, "out of memory compiling the grammar");
		return NULL;
	}

	/* Order rules by layer, keeping table order within a layer. */
	for (int layer = 0; k < total; layer++) {
		for (size_t t = 0; t < table_count; t++) {
			for (size_t i = 0; i < sizes[t]; i++) {
				if (tables[t][i].layer != layer)
					continue;
				if (compile_rule(&tables[t][i], &g->rules[k], err, err_size) < 0) {
					grammar_free(g);
					return NULL;
				}
				k++;
			}
		}
		g->layers = layer + 1;
		if (layer >= MAX_LAYERS) {
			snprintf(err, err_size, "rule layers must be below %d", MAX_LAYERS);
			grammar_free(g);
			return NULL;
		}
	}
	g->count = total;
	if (build_index(g) < 0) {
		snprintf(err, err_size, "out of memory indexing the grammar");
		grammar_free(g);
		return NULL;
	}
	return g;
}

void grammar_free(struct grammar *g)
{
	if (!g)
		return;
	for (int l = 0; l < MAX_LAYERS; l++) {
		free(g->index[l].class_rules);
		free(g->index[l].words);
	}
	free(g->rules);
	free(g);
}

size_t grammar_strip_apostrophes(const char *word, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; word[i] && n + 1 < size; i++) {
		if (word[i] == '\'')
			continue;
		/* U+2019 RIGHT SINGLE QUOTATION MARK is E2 80 99 in UTF-8. */
		if ((unsigned char)word[i] == 0xE2 && (unsigned char)word[i + 1] == 0x80 &&
		    (unsigned char)word[i + 2] == 0x99) {
			i += 2;
			continue;
		}
		out[n++] = word[i];
	}
	out[n] = '\0';
	return n;
}

const struct token *grammar_item_token(const struct grammar_item *item)
{
	return item && !item->is_mention ? item->token : NULL;
}

bool grammar_item_is(const struct grammar_item *item, const char *word)
{
	const struct token *t = grammar_item_token(item);

	return t && token_is(t, word);
}

bool grammar_item_number(const struct grammar_item *item, int *value)
{
	if (!item)
		return false;
	if (item->is_mention) {
		if (item->mention.kind != MENTION_NUMBER || item->mention.ordinal)
			return false;
		*value = item->mention.number;
		return true;
	}
	if (item->token->kind == TOK_NUM && !item->token->ordinal_suffix && item->token->number >= 0) {
		*value = item->token->number;
		return true;
	}
	if (token_has(item->token, LEX_CARDINAL)) {
		*value = item->token->lex->number;
		return true;
	}
	return false;
}

static bool item_ordinal(const struct grammar_item *item, int *value)
{
	if (item->is_mention) {
		if (item->mention.kind != MENTION_NUMBER || !item->mention.ordinal)
			return false;
		*value = item->mention.number;
		return true;
	}
	if (item->token->kind == TOK_NUM && item->token->ordinal_suffix) {
		*value = item->token->number;
		return true;
	}
	if (token_has(item->token, LEX_ORDINAL) && item->token->lex->ordinal > 0) {
		*value = item->token->lex->ordinal;
		return true;
	}
	return false;
}

static bool is_point(const struct grammar_item *item)
{
	return item->is_mention && item->mention.kind == MENTION_POINT;
}

static bool class_matches(enum item_class cls, const struct grammar_item *item)
{
	const struct token *t = item->is_mention ? NULL : item->token;
	const struct mention *m = &item->mention;
	int v;

	switch (cls) {
	case CLASS_MONTH:
		return t && token_has(t, LEX_MONTH);
	case CLASS_WEEKDAY:
		return t && token_has(t, LEX_WEEKDAY);
	case CLASS_NUM:
		return grammar_item_number(item, &v);
	case CLASS_DIGITS:
		return t && t->kind == TOK_NUM && !t->ordinal_suffix && t->number >= 0;
	case CLASS_ORD:
		return item_ordinal(item, &v);
	case CLASS_DAY:
		return (grammar_item_number(item, &v) || item_ordinal(item, &v)) && v >= 1 && v <= 31 &&
		       !(t && t->kind == TOK_NUM && t->digits > 2);
	case CLASS_YEAR:
		if (t)
			return t->kind == TOK_NUM && t->digits == 4 && !t->ordinal_suffix &&
			       t->number >= 1000 && t->number <= 2999;
		return m->kind == MENTION_NUMBER && !m->ordinal && m->number >= 1000 && m->number <= 2999;
	case CLASS_UNIT:
		return t && token_has(t, LEX_UNIT);
	case CLASS_AMPM:
		return t && token_has(t, LEX_MERIDIEM);
	case CLASS_PART:
		return t && token_has(t, LEX_PART);
	case CLASS_REL:
		return t && token_has(t, LEX_RELATIVE);
	case CLASS_DAYWORD:
		return t && token_has(t, LEX_DAYWORD);
	case CLASS_WORD:
		return t && t->kind == TOK_WORD;
	case CLASS_CAP:
		return t && t->kind == TOK_WORD && t->capitalized;
	case CLASS_NUMWORD:
		if (t)
			return token_has(t, LEX_CARDINAL) && t->lex->number > 0;
		return m->kind == MENTION_NUMBER && m->number_words && !m->ordinal;
	case CLASS_TIME:
		return is_point(item) && m->time.kind != TIME_NONE && m->date.kind == DATE_NONE;
	case CLASS_DATE:
		return is_point(item) && m->date.kind != DATE_NONE && m->time.kind == TIME_NONE;
	case CLASS_POINT:
		return is_point(item);
	case CLASS_DATETIME:
		return is_point(item) && m->date.kind != DATE_NONE && m->time.kind != TIME_NONE;
	case CLASS_RANGE:
		return item->is_mention && m->kind == MENTION_RANGE;
	case CLASS_DURATION:
		return item->is_mention && m->kind == MENTION_DURATION;
	case CLASS_RECUR:
		return item->is_mention && m->kind == MENTION_RECURRENCE;
	case CLASS_ANCHOR:
		return item->is_mention && m->kind == MENTION_ANCHOR;
	case CLASS_TEMPORAL:
		return item->is_mention && (m->kind == MENTION_POINT || m->kind == MENTION_RANGE);
	case CLASS_HOLIDAY:
		if (t && t->kind == TOK_WORD) {
			char plain[TOKEN_NORM_MAX];

			grammar_strip_apostrophes(t->norm, plain, sizeof plain);
			return holiday_first_word(plain);
		}
		return false;
	case CLASS_COUNT:
		break;
	}
	return false;
}

static bool element_matches(const struct element *el, const struct grammar_item *item,
			    const struct grammar_context *ctx)
{
	if (el->glued && ctx->tokens[item->first].space_before)
		return false;
	for (int a = 0; a < el->alt_count; a++) {
		const struct alt *alt = &el->alts[a];

		switch (alt->kind) {
		case ALT_WORD:
			if (!item->is_mention && token_is(item->token, alt->word))
				return true;
			break;
		case ALT_PUNCT:
			if (!item->is_mention && token_is_punct(item->token, alt->punct))
				return true;
			break;
		case ALT_CLASS:
			if (class_matches(alt->cls, item))
				return true;
			break;
		}
	}
	return false;
}

/* Whether an item can be the first one a rule consumes: it must match one
 * of the leading elements up to and including the first required one. */
static bool element_matches_first(const struct compiled_rule *cr, const struct grammar_item *item,
				  uint32_t item_classes, const struct grammar_context *ctx)
{
	if (!(cr->first_classes & item_classes) && (!cr->first_literal || item->is_mention))
		return false;
	for (int e = 0; e < cr->element_count; e++) {
		const struct element *el = &cr->elements[e];

		if (!el->glued && element_matches(el, item, ctx))
			return true;
		if (!el->optional)
			return false;
	}
	return false;
}

struct search {
	const struct compiled_rule *rule;
	const struct grammar_context *ctx;
	const struct grammar_item *items;
	size_t count;
	size_t start;
	const struct grammar_item *bound[GRAMMAR_MAX_ELEMENTS];
	size_t best_length;
	struct mention best;
};

static void search_from(struct search *s, int element, size_t pos)
{
	const struct compiled_rule *cr = s->rule;

	if (element == cr->element_count) {
		size_t length = pos - s->start;
		struct mention m;

		if (length == 0 || length <= s->best_length)
			return;
		memset(&m, 0, sizeof m);
		m.confidence = cr->rule->confidence;
		if (cr->rule->action(s->ctx, s->bound, &m)) {
			m.rule = cr->rule->name;
			m.first = s->items[s->start].first;
			m.last = s->items[pos - 1].last;
			s->best = m;
			s->best_length = length;
		}
		return;
	}
	if (pos < s->count && element_matches(&cr->elements[element], &s->items[pos], s->ctx) &&
	    !(cr->elements[element].glued && pos == s->start)) {
		s->bound[element] = &s->items[pos];
		search_from(s, element + 1, pos + 1);
	}
	if (cr->elements[element].optional) {
		s->bound[element] = NULL;
		search_from(s, element + 1, pos);
	}
}

static uint32_t classes_of(const struct grammar_item *item)
{
	uint32_t classes = 0;

	for (int c = 0; c < CLASS_COUNT; c++)
		if (class_matches((enum item_class)c, item))
			classes |= 1u << c;
	return classes;
}

void grammar_apply(const struct grammar *g, const struct grammar_context *ctx,
		   struct grammar_item *items, size_t *count)
{
	uint32_t candidates[512];

	for (size_t i = 0; i < *count; i++)
		items[i].classes = classes_of(&items[i]);

	for (int layer = 0; layer < g->layers && layer < MAX_LAYERS; layer++) {
		const struct layer_index *ix = &g->index[layer];

		if (ix->begin == ix->end || ix->end - ix->begin > sizeof candidates / sizeof candidates[0])
			continue;
		for (int pass = 0; pass < 4; pass++) {
			bool changed = false;

			for (size_t pos = 0; pos < *count; pos++) {
				struct search best;
				size_t n = candidate_rules(g, ix, &items[pos], candidates);

				best.best_length = 0;
				for (size_t k = 0; k < n; k++) {
					const struct compiled_rule *cr = &g->rules[candidates[k]];
					struct search s;

					if (!element_matches_first(cr, &items[pos], items[pos].classes, ctx))
						continue;
					s.rule = cr;
					s.ctx = ctx;
					s.items = items;
					s.count = *count;
					s.start = pos;
					s.best_length = best.best_length;
					memset(s.bound, 0, sizeof s.bound);
					search_from(&s, 0, pos);
					if (s.best_length > best.best_length)
						best = s;
				}
				if (best.best_length == 0)
					continue;

				/* Replace the covered items with the new mention. */
				items[pos].is_mention = true;
				items[pos].token = NULL;
				items[pos].mention = best.best;
				items[pos].first = best.best.first;
				items[pos].last = best.best.last;
				items[pos].classes = classes_of(&items[pos]);
				memmove(&items[pos + 1], &items[pos + best.best_length],
					(*count - pos - best.best_length) * sizeof *items);
				*count -= best.best_length - 1;
				changed = true;
			}
			if (!changed)
				break;
		}
	}
}
