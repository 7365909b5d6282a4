/*
 * Tier 2: the deterministic rule grammar. Tokenizes the text, rewrites the
 * tokens with the rule tables (numbers, times, dates, ranges, durations,
 * recurrences), builds the temporal fields from what it found and cuts
 * the title, location and attendees from the rest.
 *
 * The grammar is compiled once at load and shared read-only by all
 * threads; each thread's scratch holds its tokens and items.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/assemble.h"
#include "engine/clean.h"
#include "engine/duckling.h"
#include "engine/describe.h"
#include "engine/rules.h"
#include "engine/tier.h"

struct rules_scratch {
	struct token_list tokens;
	struct grammar_item items[TOKEN_MAX];
	bool used[TOKEN_MAX];
	bool temporal[TOKEN_MAX];
};

/* The tier's shared state: the compiled grammar, or a Duckling backend. */
struct rules_state {
	struct grammar *grammar;
	struct duckling *duckling;
};

static const char *rules_backend(const struct cascade_config *cfg)
{
	return config_rules_backend_name(cfg->rules_backend);
}

static int load_grammar(void **state, char *err, size_t err_size)
{
	const struct grammar_rule *const tables[] = {
		rules_table_number, rules_table_time, rules_table_date, rules_table_datetime,
		rules_table_range, rules_table_recur
	};
	const size_t sizes[] = {
		rules_table_number_count, rules_table_time_count, rules_table_date_count, rules_table_datetime_count,
		rules_table_range_count, rules_table_recur_count
	};

	*state = grammar_compile(tables, sizes, sizeof sizes / sizeof sizes[0], err, err_size);
	return *state ? 0 : -1;
}

static void rules_unload(void *state)
{
	struct rules_state *s = state;

	if (!s)
		return;
	grammar_free(s->grammar);
	duckling_free(s->duckling);
	free(s);
}

static int rules_load(const struct cascade_config *cfg, void **state, char *err, size_t err_size)
{
	struct rules_state *s = calloc(1, sizeof *s);
	void *grammar = NULL;

	if (!s) {
		snprintf(err, err_size, "out of memory loading the rules tier");
		return -1;
	}
	if (cfg && cfg->rules_backend == RULES_DUCKLING)
		s->duckling = duckling_new(cfg, err, err_size);
	else if (load_grammar(&grammar, err, err_size) == 0)
		s->grammar = grammar;
	if (!s->grammar && !s->duckling) {
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

static void *rules_worker_new(void *state)
{
	struct rules_scratch *s = malloc(sizeof *s);

	(void)state;
	if (!s)
		return NULL;
	if (token_list_init(&s->tokens) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void rules_worker_free(void *scratch)
{
	struct rules_scratch *s = scratch;

	if (!s)
		return;
	token_list_free(&s->tokens);
	free(s);
}

static bool has_lower_case_only(const char *text, size_t len)
{
	bool letters = false;

	for (size_t i = 0; i < len; i++) {
		if (text[i] >= 'A' && text[i] <= 'Z')
			return false;
		letters = letters || (text[i] >= 'a' && text[i] <= 'z');
	}
	return letters;
}

static bool has_evening_word(const struct token_list *tokens)
{
	static const char *const words[] = { "tonight", "dinner", "supper", "night", "evening", NULL };

	for (size_t i = 0; i < tokens->count; i++)
		for (int k = 0; words[k]; k++)
			if (token_is(&tokens->tokens[i], words[k]))
				return true;
	return false;
}

static enum parse_status extract_text(const struct rules_state *state, struct rules_scratch *s,
				      const struct parse_input *in, struct event *out, char *err,
				      size_t err_size)
{
	size_t focus = clean_focus_length(in->text, in->len);
	size_t count;
	struct grammar_context ctx;
	struct assemble_input assembly;
	struct describe_input description;

	event_init(out);
	tokenize(in->text, focus, &s->tokens);
	count = s->tokens.count;
	ctx.lower_case_text = has_lower_case_only(in->text, focus);
	if (state->duckling) {
		struct parse_input focused = *in;
		int found;

		focused.len = focus;
		found = duckling_items(state->duckling, &focused, s->tokens.tokens, s->tokens.count,
				       s->items, TOKEN_MAX, err, err_size);
		if (found < 0)
			return PARSE_TIER_FAILED;
		count = (size_t)found;
	} else {
		for (size_t i = 0; i < count; i++) {
			s->items[i].is_mention = false;
			s->items[i].first = (int)i;
			s->items[i].last = (int)i;
			s->items[i].token = &s->tokens.tokens[i];
		}
		ctx.text = in->text;
		ctx.tokens = s->tokens.tokens;
		ctx.token_count = count;
		ctx.ref = in->ref;
		ctx.day_first = in->locale == LOCALE_EN_GB;
		grammar_apply(state->grammar, &ctx, s->items, &count);
	}

	memset(s->used, 0, count * sizeof s->used[0]);
	assembly.items = s->items;
	assembly.count = count;
	assembly.tokens = s->tokens.tokens;
	assembly.token_count = s->tokens.count;
	assembly.ref = in->ref;
	assembly.evening = has_evening_word(&s->tokens);
	assemble_event(&assembly, out, s->used);

	memset(s->temporal, 0, s->tokens.count * sizeof s->temporal[0]);
	for (size_t i = 0; i < count; i++)
		if (s->used[i] && !(s->items[i].is_mention && s->items[i].mention.in_title))
			for (int k = s->items[i].first; k <= s->items[i].last; k++)
				s->temporal[k] = true;

	description.text = in->text;
	description.tokens = s->tokens.tokens;
	description.count = s->tokens.count;
	description.temporal = s->temporal;
	description.lower_case_text = ctx.lower_case_text;
	describe_event(&description, out);
	return PARSE_OK;
}

static enum parse_status rules_extract(void *state, void *scratch, const struct parse_input *in,
				       const struct tier_request *request, struct tier_trace *trace)
{
	(void)request;
	if (!scratch) {
		snprintf(trace->error, sizeof trace->error, "out of memory for the rules tier's "
			 "scratch space");
		return PARSE_TIER_FAILED;
	}
	if (extract_text(state, scratch, in, &trace->answer, trace->error, sizeof trace->error) !=
	    PARSE_OK) {
		event_init(&trace->answer);
		return PARSE_TIER_FAILED;
	}
	if (((const struct rules_state *)state)->duckling) {
		/* Duckling has no recurrences: leave that field to the other tiers. */
		trace->answer.confidence[FIELD_RECURRENCE] = 0.3f;
	}
	return PARSE_OK;
}

size_t tier_rules_explain(const struct parse_input *in, char *out, size_t size)
{
	char err[256];
	void *state = NULL;
	struct rules_scratch *s;
	struct event ev;
	size_t n = 0;
	size_t count;

	out[0] = '\0';
	if (rules_load(NULL, &state, err, sizeof err) < 0)
		return (size_t)snprintf(out, size, "%s", err);
	s = rules_worker_new(state);
	if (!s) {
		rules_unload(state);
		return 0;
	}
	extract_text(state, s, in, &ev, err, sizeof err);
	/* Re-run the grammar alone to list what it built. */
	count = s->tokens.count;
	for (size_t i = 0; i < count; i++) {
		s->items[i].is_mention = false;
		s->items[i].first = (int)i;
		s->items[i].last = (int)i;
		s->items[i].token = &s->tokens.tokens[i];
	}
	{
		struct grammar_context ctx = { in->text, s->tokens.tokens, count, in->ref,
					       in->locale == LOCALE_EN_GB,
					       has_lower_case_only(in->text, in->len) };

		grammar_apply(((struct rules_state *)state)->grammar, &ctx, s->items, &count);
	}
	for (size_t i = 0; i < count && n < size; i++) {
		const struct grammar_item *it = &s->items[i];
		uint32_t a, b;

		if (!it->is_mention)
			continue;
		a = s->tokens.tokens[it->first].start;
		b = s->tokens.tokens[it->last].end;
		n += (size_t)snprintf(out + n, size - n, "%s [%d-%d] \"%.*s\" conf %.2f\n",
				      it->mention.rule ? it->mention.rule : "?", it->first, it->last,
				      (int)(b - a), in->text + a, it->mention.confidence);
	}
	rules_worker_free(s);
	rules_unload(state);
	return n < size ? n : size - 1;
}

const struct tier_ops tier_rules_ops = {
	TIER_RULES, rules_backend, rules_load, rules_unload, rules_worker_new, rules_worker_free,
	rules_extract
};
