/*
 * Run comparison. Run A's case rows are read page by page and kept in
 * compact form under an id map: the id, right or wrong, and the field
 * values as one string. Run B's rows are then read and matched against
 * them, so memory grows with the number of cases, not with a row's size.
 */
#include <stdlib.h>
#include <string.h>

#include "app/compare.h"
#include "app/event_json.h"
#include "app/idmap.h"

#define PAGE 256

/* Field values are joined with the ASCII unit separator, which no
 * formatted value contains. */
#define VALUE_SEPARATOR '\x1f'

struct kept_case {
	char *id;
	char *values;
	bool all_correct;
	bool matched;
};

struct latencies {
	double *values;
	size_t count;
	size_t capacity;
};

struct scan {
	struct run_figures *figures;
	struct latencies parse;
	struct latencies tiers[TIER_COUNT];
};

struct comparison {
	struct compare_result *result;
	size_t max_changes;
	struct kept_case *kept;
	size_t kept_count;
	size_t kept_capacity;
	struct idmap *ids;
};

const char *compare_kind_name(enum case_change_kind kind)
{
	switch (kind) {
	case CHANGE_FIXED:
		return "fixed";
	case CHANGE_BROKEN:
		return "broken";
	case CHANGE_VALUES:
		return "changed";
	}
	return "?";
}

double compare_accuracy(const struct run_figures *f)
{
	return f->cases ? (double)f->correct / (double)f->cases : -1.0;
}

double compare_field_accuracy(const struct run_figures *f, enum field field)
{
	return f->field_expected[field] ?
	       (double)f->field_correct[field] / (double)f->field_expected[field] : -1.0;
}

static int push_latency(struct latencies *l, double value)
{
	if (l->count == l->capacity) {
		size_t capacity = l->capacity ? l->capacity * 2 : 1024;
		double *grown = realloc(l->values, capacity * sizeof *grown);

		if (!grown)
			return -1;
		l->values = grown;
		l->capacity = capacity;
	}
	l->values[l->count++] = value;
	return 0;
}

static double percentile(struct latencies *l, int permille)
{
	if (l->count == 0)
		return 0.0;
	metrics_sort(l->values, l->count);
	return metrics_percentile(l->values, l->count, permille);
}

/* Formats every field of a prediction into one string. */
static char *join_values(const struct event *ev)
{
	char buf[FIELD_COUNT * COMPARE_VALUE_MAX];
	size_t n = 0;

	for (int f = 0; f < FIELD_COUNT; f++) {
		n += event_format_field(ev, (enum field)f, buf + n, COMPARE_VALUE_MAX);
		buf[n++] = VALUE_SEPARATOR;
	}
	buf[n - 1] = '\0';
	return strdup(buf);
}

/* Copies field f's part of a joined values string. */
static void split_value(const char *values, int f, char *out, size_t size)
{
	const char *p = values;
	size_t len;

	for (int k = 0; k < f && p; k++) {
		p = strchr(p, VALUE_SEPARATOR);
		if (p)
			p++;
	}
	if (!p) {
		out[0] = '\0';
		return;
	}
	len = strcspn(p, "\x1f");
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

static int count_row(struct scan *s, const struct case_record *c)
{
	struct run_figures *f = s->figures;

	f->cases++;
	f->correct += c->all_correct;
	f->errors += c->error[0] != '\0';
	for (int k = 0; k < FIELD_COUNT; k++) {
		if (!((c->expected >> k) & 1u))
			continue;
		f->field_expected[k]++;
		f->field_correct[k] += (c->correct >> k) & 1u;
	}
	if (push_latency(&s->parse, (double)c->total_ns / 1000.0) < 0)
		return -1;
	for (int t = 0; t < TIER_COUNT; t++) {
		if (c->tier_ns[t] < 0)
			continue;
		f->tier_calls[t]++;
		if (push_latency(&s->tiers[t], (double)c->tier_ns[t] / 1000.0) < 0)
			return -1;
	}
	return 0;
}

static int keep_case(struct comparison *cmp, const struct case_record *c)
{
	struct kept_case *k;

	if (cmp->kept_count == cmp->kept_capacity) {
		size_t capacity = cmp->kept_capacity ? cmp->kept_capacity * 2 : 1024;
		struct kept_case *grown = realloc(cmp->kept, capacity * sizeof *grown);

		if (!grown)
			return -1;
		cmp->kept = grown;
		cmp->kept_capacity = capacity;
	}
	k = &cmp->kept[cmp->kept_count];
	k->id = strdup(c->case_id);
	k->values = join_values(&c->prediction);
	k->all_correct = c->all_correct;
	k->matched = false;
	if (!k->id || !k->values) {
		free(k->id);
		free(k->values);
		return -1;
	}
	cmp->kept_count++;
	/* The map points at k->id, which stays put when the array grows. */
	return idmap_put(cmp->ids, k->id, (int64_t)(cmp->kept_count - 1));
}

static int match_case(struct comparison *cmp, const struct case_record *c)
{
	struct compare_result *r = cmp->result;
	int64_t index = idmap_get(cmp->ids, c->case_id);
	struct kept_case *before;
	struct case_change *change;
	char *after;
	enum case_change_kind kind;

	if (index < 0) {
		r->only_in_b++;
		return 0;
	}
	before = &cmp->kept[index];
	before->matched = true;
	after = join_values(&c->prediction);
	if (!after)
		return -1;
	if (before->all_correct == c->all_correct && strcmp(before->values, after) == 0) {
		free(after);
		return 0;
	}

	kind = before->all_correct == c->all_correct ? CHANGE_VALUES :
	       c->all_correct ? CHANGE_FIXED : CHANGE_BROKEN;
	r->changed++;
	r->fixed += kind == CHANGE_FIXED;
	r->broken += kind == CHANGE_BROKEN;
	if (r->change_count < cmp->max_changes) {
		change = &r->changes[r->change_count++];
		memset(change, 0, sizeof *change);
		snprintf(change->case_id, sizeof change->case_id, "%s", c->case_id);
		change->kind = kind;
		for (int f = 0; f < FIELD_COUNT; f++) {
			split_value(before->values, f, change->before[f], COMPARE_VALUE_MAX);
			split_value(after, f, change->after[f], COMPARE_VALUE_MAX);
			if (strcmp(change->before[f], change->after[f]) != 0)
				change->fields |= 1u << f;
		}
	}
	free(after);
	return 0;
}

/* Reads every case row of a run, counting it into figures and handing it
 * to `each` when that is not NULL. */
static int scan_run(struct history *h, int64_t id, struct run_figures *figures,
		    int (*each)(struct comparison *, const struct case_record *),
		    struct comparison *cmp, char *err, size_t err_size)
{
	struct case_record *page = malloc(PAGE * sizeof *page);
	struct scan s;
	int64_t after = -1;
	size_t count;
	int found;
	int rc = 0;

	memset(&s, 0, sizeof s);
	s.figures = figures;
	if (!page) {
		snprintf(err, err_size, "out of memory reading run %lld", (long long)id);
		return -1;
	}
	found = history_get_run(h, id, &figures->run, err, err_size);
	if (found != 0) {
		if (found == 1)
			snprintf(err, err_size, "no run %lld in %s: see caltune history for the run ids",
				 (long long)id, history_path(h));
		free(page);
		return -1;
	}
	do {
		if (history_read_cases(h, id, after, PAGE, page, &count, err, err_size) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < count && rc == 0; i++) {
			if (count_row(&s, &page[i]) < 0 || (each && each(cmp, &page[i]) < 0)) {
				snprintf(err, err_size, "out of memory comparing run %lld", (long long)id);
				rc = -1;
			}
		}
		if (count > 0)
			after = page[count - 1].seq;
	} while (rc == 0 && count == PAGE);

	if (rc == 0) {
		figures->parse_p50_us = percentile(&s.parse, 500);
		figures->parse_p95_us = percentile(&s.parse, 950);
		for (int t = 0; t < TIER_COUNT; t++) {
			figures->tier_p50_us[t] = percentile(&s.tiers[t], 500);
			figures->tier_p95_us[t] = percentile(&s.tiers[t], 950);
		}
	}
	free(s.parse.values);
	for (int t = 0; t < TIER_COUNT; t++)
		free(s.tiers[t].values);
	free(page);
	return rc;
}

int compare_runs(struct history *h, int64_t a, int64_t b, size_t max_changes,
		 struct compare_result *out, char *err, size_t err_size)
{
	struct comparison cmp;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&cmp, 0, sizeof cmp);
	cmp.result = out;
	cmp.max_changes = max_changes;
	cmp.ids = idmap_new();
	out->changes = calloc(max_changes ? max_changes : 1, sizeof *out->changes);
	if (!cmp.ids || !out->changes) {
		snprintf(err, err_size, "out of memory comparing runs %lld and %lld", (long long)a,
			 (long long)b);
		idmap_free(cmp.ids);
		compare_result_free(out);
		return -1;
	}

	rc = scan_run(h, a, &out->a, keep_case, &cmp, err, err_size);
	if (rc == 0)
		rc = scan_run(h, b, &out->b, match_case, &cmp, err, err_size);
	for (size_t i = 0; i < cmp.kept_count; i++) {
		out->only_in_a += !cmp.kept[i].matched;
		free(cmp.kept[i].id);
		free(cmp.kept[i].values);
	}
	free(cmp.kept);
	idmap_free(cmp.ids);
	if (rc < 0)
		compare_result_free(out);
	return rc;
}

void compare_result_free(struct compare_result *result)
{
	free(result->changes);
	result->changes = NULL;
	result->change_count = 0;
}

static json_t *ratio_or_null(double value)
{
	return value < 0 ? json_null() : event_json_real(value, 6);
}

static json_t *figures_json(const struct run_figures *f)
{
	json_t *obj = json_object();
	json_t *fields = json_object();
	json_t *tiers = json_object();
	json_t *parse = json_object();

	json_object_set_new(obj, "run_id", json_integer(f->run.id));
	json_object_set_new(obj, "state", json_string(history_state_name(f->run.state)));
	json_object_set_new(obj, "cancelled", json_boolean(f->run.cancelled));
	json_object_set_new(obj, "preset", json_string(f->run.preset));
	json_object_set_new(obj, "mode", json_string(f->run.mode));
	json_object_set_new(obj, "corpus", json_string(f->run.corpus));
	json_object_set_new(obj, "corpus_sha256", json_string(f->run.corpus_sha256));
	json_object_set_new(obj, "cases", json_integer((json_int_t)f->cases));
	json_object_set_new(obj, "errors", json_integer((json_int_t)f->errors));
	json_object_set_new(obj, "accuracy", ratio_or_null(compare_accuracy(f)));
	for (int k = 0; k < FIELD_COUNT; k++)
		json_object_set_new(fields, field_name((enum field)k),
				    ratio_or_null(compare_field_accuracy(f, (enum field)k)));
	json_object_set_new(obj, "fields", fields);
	for (int t = 0; t < TIER_COUNT; t++) {
		json_t *tier = json_object();

		json_object_set_new(tier, "calls", json_integer((json_int_t)f->tier_calls[t]));
		json_object_set_new(tier, "p50_us", event_json_real(f->tier_p50_us[t], 3));
		json_object_set_new(tier, "p95_us", event_json_real(f->tier_p95_us[t], 3));
		json_object_set_new(tiers, tier_name((enum tier)t), tier);
	}
	json_object_set_new(obj, "tiers", tiers);
	json_object_set_new(parse, "p50_us", event_json_real(f->parse_p50_us, 3));
	json_object_set_new(parse, "p95_us", event_json_real(f->parse_p95_us, 3));
	json_object_set_new(obj, "parse", parse);
	return obj;
}

json_t *compare_to_json(const struct compare_result *r)
{
	json_t *root = json_object();
	json_t *changes = json_array();

	json_object_set_new(root, "a", figures_json(&r->a));
	json_object_set_new(root, "b", figures_json(&r->b));
	json_object_set_new(root, "fixed", json_integer((json_int_t)r->fixed));
	json_object_set_new(root, "broken", json_integer((json_int_t)r->broken));
	json_object_set_new(root, "changed", json_integer((json_int_t)r->changed));
	json_object_set_new(root, "only_in_a", json_integer((json_int_t)r->only_in_a));
	json_object_set_new(root, "only_in_b", json_integer((json_int_t)r->only_in_b));
	for (size_t i = 0; i < r->change_count; i++) {
		const struct case_change *c = &r->changes[i];
		json_t *change = json_object();
		json_t *fields = json_object();

		json_object_set_new(change, "id", json_string(c->case_id));
		json_object_set_new(change, "kind", json_string(compare_kind_name(c->kind)));
		for (int f = 0; f < FIELD_COUNT; f++) {
			json_t *pair;

			if (!((c->fields >> f) & 1u))
				continue;
			pair = json_object();
			json_object_set_new(pair, "before", c->before[f][0] ?
					    json_string(c->before[f]) : json_null());
			json_object_set_new(pair, "after", c->after[f][0] ?
					    json_string(c->after[f]) : json_null());
			json_object_set_new(fields, field_name((enum field)f), pair);
		}
		json_object_set_new(change, "fields", fields);
		json_array_append_new(changes, change);
	}
	json_object_set_new(root, "cases", changes);
	return root;
}
