/*
 * The run summary as JSON. The stable keys (run_id, preset, corpus, cases,
 * errors, wall_ms, accuracy.overall, accuracy.fields, tiers.regex/rules/llm
 * with calls, answered, p50_us and p95_us, cache.lookups and cache.hits)
 * keep their names and meaning; the rest (mode, bad_lines, cancelled,
 * correct, tags, failures, parse, llm) may grow. A figure that has no cases
 * behind it (the accuracy of a field no case labels) is null.
 *
 * "llm" sums up the LLM tier: its state at the end of the run (off, idle,
 * up, down or replay), calls, failures (the server down included), the
 * fields it was asked for and did not answer, HTTP retries, and calls
 * answered from a recording.
 *
 * A tier's "answered" counts the texts where it set at least one field of
 * the final event to a value. A tier that only decided that a field has no
 * value does not count, so a text with nothing to find is answered by none.
 */
#include <stdlib.h>

#include "app/event_json.h"
#include "app/runner.h"

void run_summary_free(struct run_summary *summary)
{
	for (size_t i = 0; i < summary->tag_count; i++)
		free(summary->tags[i].tag);
	free(summary->tags);
	summary->tags = NULL;
	summary->tag_count = 0;
}

static json_t *ratio(size_t part, size_t whole)
{
	return whole ? event_json_real((double)part / (double)whole, 6) : json_null();
}

static json_t *accuracy_json(const struct run_summary *s)
{
	json_t *accuracy = json_object();
	json_t *fields = json_object();
	json_t *counts = json_object();

	json_object_set_new(accuracy, "overall", ratio(s->correct, s->cases));
	json_object_set_new(accuracy, "correct", json_integer((json_int_t)s->correct));
	for (int f = 0; f < FIELD_COUNT; f++) {
		json_t *count = json_object();

		json_object_set_new(fields, field_name((enum field)f),
				    ratio(s->field_correct[f], s->field_expected[f]));
		json_object_set_new(count, "expected", json_integer((json_int_t)s->field_expected[f]));
		json_object_set_new(count, "correct", json_integer((json_int_t)s->field_correct[f]));
		json_object_set_new(counts, field_name((enum field)f), count);
	}
	json_object_set_new(accuracy, "fields", fields);
	json_object_set_new(accuracy, "field_counts", counts);
	return accuracy;
}

static json_t *tiers_json(const struct run_summary *s)
{
	json_t *tiers = json_object();

	for (int t = 0; t < TIER_COUNT; t++) {
		const struct tier_summary *ts = &s->tiers[t];
		json_t *tier = json_object();

		json_object_set_new(tier, "calls", json_integer((json_int_t)ts->calls));
		json_object_set_new(tier, "answered", json_integer((json_int_t)ts->answered));
		json_object_set_new(tier, "failures", json_integer((json_int_t)ts->failures));
		json_object_set_new(tier, "p50_us", event_json_real(ts->p50_us, 3));
		json_object_set_new(tier, "p95_us", event_json_real(ts->p95_us, 3));
		json_object_set_new(tiers, tier_name((enum tier)t), tier);
	}
	return tiers;
}

static json_t *llm_json(const struct llm_summary *llm)
{
	json_t *out = json_object();

	json_object_set_new(out, "state", json_string(llm->state[0] ? llm->state : "off"));
	json_object_set_new(out, "calls", json_integer((json_int_t)llm->calls));
	json_object_set_new(out, "failures", json_integer((json_int_t)llm->failures));
	json_object_set_new(out, "lost_fields", json_integer((json_int_t)llm->lost_fields));
	json_object_set_new(out, "retries", json_integer((json_int_t)llm->retries));
	json_object_set_new(out, "replayed", json_integer((json_int_t)llm->replayed));
	return out;
}

static json_t *tags_json(const struct run_summary *s)
{
	json_t *tags = json_object();

	for (size_t i = 0; i < s->tag_count; i++) {
		const struct tag_summary *ts = &s->tags[i];
		json_t *tag = json_object();

		json_object_set_new(tag, "cases", json_integer((json_int_t)ts->cases));
		json_object_set_new(tag, "correct", json_integer((json_int_t)ts->correct));
		json_object_set_new(tag, "accuracy", ratio(ts->correct, ts->cases));
		json_object_set_new(tags, ts->tag, tag);
	}
	return tags;
}

char *run_summary_to_json(const struct run_summary *s)
{
	json_t *root = json_object();
	json_t *parse = json_object();
	json_t *cache = json_object();
	char *text;

	json_object_set_new(root, "run_id", s->run_id ? json_integer(s->run_id) : json_null());
	json_object_set_new(root, "preset", json_string(s->preset));
	json_object_set_new(root, "mode", json_string(s->mode));
	json_object_set_new(root, "corpus", json_string(s->corpus));
	json_object_set_new(root, "cases", json_integer((json_int_t)s->cases));
	json_object_set_new(root, "errors", json_integer((json_int_t)s->errors));
	json_object_set_new(root, "bad_lines", json_integer((json_int_t)s->bad_lines));
	json_object_set_new(root, "cancelled", json_boolean(s->cancelled));
	json_object_set_new(root, "wall_ms", event_json_real(s->wall_ms, 3));
	json_object_set_new(root, "accuracy", accuracy_json(s));
	json_object_set_new(root, "tags", tags_json(s));
	json_object_set_new(root, "tiers", tiers_json(s));

	json_object_set_new(parse, "p50_us", event_json_real(s->parse_p50_us, 3));
	json_object_set_new(parse, "p95_us", event_json_real(s->parse_p95_us, 3));
	json_object_set_new(root, "parse", parse);

	json_object_set_new(cache, "lookups", json_integer((json_int_t)s->cache_lookups));
	json_object_set_new(cache, "hits", json_integer((json_int_t)s->cache_hits));
	json_object_set_new(root, "cache", cache);
	json_object_set_new(root, "llm", llm_json(&s->llm));

	text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(root);
	return text;
}
