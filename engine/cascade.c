/*
 * The cascade decision, lazy tier loading, timing and the per-field trace.
 *
 * Tiers are kept in a table indexed by enum tier, so a new tier plugs in by
 * adding its ops to `tier_table` and a threshold to `tier_threshold`.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cache.h"
#include "engine/cascade.h"
#include "engine/clock.h"
#include "engine/llm_client.h"
#include "engine/tier.h"
#include "engine/utf8.h"

static const struct tier_ops *const tier_table[TIER_COUNT] = {
	[TIER_REGEX] = &tier_regex_ops,
	[TIER_RULES] = &tier_rules_ops,
	[TIER_LLM] = &tier_llm_ops,
};

struct cascade {
	struct cascade_config cfg;
	char key_prefix[96];          /* the configuration part of every cache key */
	size_t key_prefix_len;

	pthread_mutex_t load_lock;
	void *tier_state[TIER_COUNT];
	bool tier_loaded[TIER_COUNT];
	char tier_load_error[TIER_COUNT][CASCADE_ERROR_MAX];

	const struct llm_recorder *recorder;

	struct cache *cache;
	pthread_mutex_t stats_lock;
	struct metrics_window windows[OP_COUNT];
	uint64_t cache_lookups;
	uint64_t cache_hits;
};

struct cascade_worker {
	struct cascade *cascade;
	void *scratch[TIER_COUNT];
};

static const char *const op_names[OP_COUNT] = {
	"regex:extract", "rules:extract", "llm:complete", "cache:get", "parse"
};

const char *cascade_op_name(enum cascade_op op)
{
	return op >= 0 && op < OP_COUNT ? op_names[op] : "?";
}

const char *parse_status_message(enum parse_status status)
{
	switch (status) {
	case PARSE_OK:
		return "ok";
	case PARSE_EMPTY:
		return "text is empty";
	case PARSE_TOO_LONG:
		return "text is too long";
	case PARSE_BAD_UTF8:
		return "text is not valid UTF-8";
	case PARSE_TIER_FAILED:
		return "a tier failed";
	}
	return "unknown status";
}

struct cascade *cascade_new(const struct cascade_config *cfg, char *err, size_t err_size)
{
	struct cascade *c;

	if (cfg->llm_backend == LLM_OFF && cfg->mode == MODE_LLM) {
		snprintf(err, err_size, "--mode llm needs the llm tier, but llm.backend is off: set "
			 "llm.backend to ollama, openai or replay");
		return NULL;
	}
	c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, err_size, "out of memory creating the cascade");
		return NULL;
	}
	c->cfg = *cfg;
	c->key_prefix_len = (size_t)snprintf(c->key_prefix, sizeof c->key_prefix, "%s|%s|%.3f|%.3f|%.3f|",
					     CALTUNE_VERSION, config_mode_name(cfg->mode), cfg->regex_only,
					     cfg->deterministic_backup, cfg->llm_enhancement);
	pthread_mutex_init(&c->load_lock, NULL);
	pthread_mutex_init(&c->stats_lock, NULL);
	for (int op = 0; op < OP_COUNT; op++)
		metrics_init(&c->windows[op]);
	c->cache = cache_new((size_t)cfg->cache_l1_entries);
	if (!c->cache) {
		snprintf(err, err_size, "out of memory creating a cache of %d entries: lower "
			 "cache.l1_entries", cfg->cache_l1_entries);
		cascade_free(c);
		return NULL;
	}
	return c;
}

void cascade_free(struct cascade *c)
{
	if (!c)
		return;
	for (int t = 0; t < TIER_COUNT; t++)
		if (c->tier_loaded[t] && tier_table[t])
			tier_table[t]->unload(c->tier_state[t]);
	cache_free(c->cache);
	pthread_mutex_destroy(&c->load_lock);
	pthread_mutex_destroy(&c->stats_lock);
	free(c);
}

const struct cascade_config *cascade_get_config(const struct cascade *c)
{
	return &c->cfg;
}

struct cascade_worker *cascade_worker_new(struct cascade *c, char *err, size_t err_size)
{
	struct cascade_worker *w = calloc(1, sizeof *w);

	if (!w) {
		snprintf(err, err_size, "out of memory creating a parse worker");
		return NULL;
	}
	w->cascade = c;
	return w;
}

void cascade_worker_free(struct cascade_worker *w)
{
	if (!w)
		return;
	for (int t = 0; t < TIER_COUNT; t++)
		if (w->scratch[t])
			tier_table[t]->worker_free(w->scratch[t]);
	free(w);
}

/* Loads a tier on first use; later calls return the cached outcome. */
static bool ensure_loaded(struct cascade *c, enum tier t, char *err, size_t err_size)
{
	bool ok;

	pthread_mutex_lock(&c->load_lock);
	if (!c->tier_loaded[t] && c->tier_load_error[t][0] == '\0') {
		if (tier_table[t]->load(&c->cfg, &c->tier_state[t], c->tier_load_error[t],
					sizeof c->tier_load_error[t]) == 0)
			c->tier_loaded[t] = true;
		else if (c->tier_load_error[t][0] == '\0')
			snprintf(c->tier_load_error[t], CASCADE_ERROR_MAX, "%s tier failed to load",
				 tier_name(t));
	}
	ok = c->tier_loaded[t];
	if (!ok)
		snprintf(err, err_size, "%s", c->tier_load_error[t]);
	pthread_mutex_unlock(&c->load_lock);
	return ok;
}

void cascade_set_recorder(struct cascade *c, const struct llm_recorder *recorder)
{
	c->recorder = recorder;
}

const char *cascade_llm_state_name(enum cascade_llm_state state)
{
	static const char *const names[] = { "off", "idle", "up", "down", "replay" };

	return (int)state >= 0 && state <= CASCADE_LLM_REPLAY ? names[state] : "?";
}

void cascade_llm_stats(struct cascade *c, struct cascade_llm_stats *out)
{
	struct llm_client_stats stats;

	memset(out, 0, sizeof *out);
	if (c->cfg.llm_backend == LLM_OFF) {
		out->state = CASCADE_LLM_OFF;
		return;
	}
	if (c->cfg.llm_backend == LLM_REPLAY) {
		out->state = CASCADE_LLM_REPLAY;
		return;
	}
	pthread_mutex_lock(&c->load_lock);
	if (!c->tier_loaded[TIER_LLM] || tier_llm_client_stats(c->tier_state[TIER_LLM], &stats) < 0) {
		out->state = CASCADE_LLM_IDLE;
	} else {
		out->state = stats.state == LLM_STATE_DOWN ? CASCADE_LLM_DOWN : CASCADE_LLM_UP;
		out->in_flight = stats.in_flight;
		out->queued = stats.queued;
		out->retries = stats.retries;
	}
	pthread_mutex_unlock(&c->load_lock);
}

bool cascade_tier_loaded(struct cascade *c, enum tier t)
{
	bool loaded;

	pthread_mutex_lock(&c->load_lock);
	loaded = c->tier_loaded[t];
	pthread_mutex_unlock(&c->load_lock);
	return loaded;
}

static double tier_threshold(const struct cascade_config *cfg, enum tier t)
{
	switch (t) {
	case TIER_REGEX:
		return cfg->regex_only;
	case TIER_RULES:
		return cfg->deterministic_backup;
	case TIER_LLM:
		return cfg->llm_enhancement;
	default:
		return 1.0;
	}
}

static void record(struct cascade *c, enum cascade_op op, int64_t ns, bool ok)
{
	pthread_mutex_lock(&c->stats_lock);
	metrics_add(&c->windows[op], (double)ns / 1000.0, ok);
	pthread_mutex_unlock(&c->stats_lock);
}

void cascade_stats(struct cascade *c, enum cascade_op op, struct metrics_stats *out)
{
	pthread_mutex_lock(&c->stats_lock);
	metrics_compute(&c->windows[op], out);
	pthread_mutex_unlock(&c->stats_lock);
}

void cascade_cache_counts(struct cascade *c, uint64_t *lookups, uint64_t *hits)
{
	pthread_mutex_lock(&c->stats_lock);
	*lookups = c->cache_lookups;
	*hits = c->cache_hits;
	pthread_mutex_unlock(&c->stats_lock);
}

/* Rejects what no tier should see; fills out->error naming the value. */
static enum parse_status check_text(const struct parse_input *in, struct parse_result *out)
{
	size_t bad = 0;
	bool blank = true;

	if (in->len > PARSE_TEXT_MAX) {
		snprintf(out->error, sizeof out->error, "text is %zu bytes, above the %d-byte "
			 "limit: shorten it or split it into several events", in->len, PARSE_TEXT_MAX);
		return PARSE_TOO_LONG;
	}
	for (size_t i = 0; i < in->len && blank; i++)
		blank = in->text[i] == ' ' || (in->text[i] >= '\t' && in->text[i] <= '\r');
	if (blank) {
		snprintf(out->error, sizeof out->error, "text is empty: give the event text to parse");
		return PARSE_EMPTY;
	}
	if (!utf8_valid(in->text, in->len, &bad)) {
		snprintf(out->error, sizeof out->error, "text is not valid UTF-8 (byte 0x%02X at "
			 "offset %zu): re-encode it as UTF-8", (unsigned char)in->text[bad], bad);
		return PARSE_BAD_UTF8;
	}
	return PARSE_OK;
}

/* The cache key: everything that changes the answer, then a 64-bit hash
 * of the whole normalised text and as much of the text as fits. The hash
 * keeps two long texts that differ only past the cut from sharing a key. */
/* Writes n as `width` zero-padded digits. */
static char *put_digits(char *p, int n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return p + width;
}

/* The cache key: the configuration, the reference time to the second,
 * the zone and locale, then a 64-bit hash of the whole normalised text and
 * as much of the text as fits. The hash keeps two long texts that differ
 * only past the cut from sharing a key. Built without printf: it runs on
 * every parse. */
static void make_cache_key(const struct cascade *c, const struct parse_input *in,
			   char *key, size_t size)
{
	static _Thread_local char normalised[PARSE_TEXT_MAX + 1];
	size_t n_text = cache_normalise_text(in->text, in->len, normalised, sizeof normalised);
	const char *tz = in->tz ? in->tz : "UTC";
	size_t tz_len = strlen(tz);
	uint64_t hash = 14695981039346656037ull;
	char *p = key, *end = key + size - 1;

	for (size_t i = 0; i < n_text; i++) {
		hash ^= (unsigned char)normalised[i];
		hash *= 1099511628211ull;
	}
	if (size < c->key_prefix_len + tz_len + 48) {
		key[0] = '\0';
		return;
	}
	memcpy(p, c->key_prefix, c->key_prefix_len);
	p += c->key_prefix_len;
	p = put_digits(p, in->ref.date.year, 4);
	p = put_digits(p, in->ref.date.month, 2);
	p = put_digits(p, in->ref.date.day, 2);
	p = put_digits(p, in->ref.hour, 2);
	p = put_digits(p, in->ref.minute, 2);
	p = put_digits(p, in->ref.second, 2);
	*p++ = '|';
	memcpy(p, tz, tz_len);
	p += tz_len;
	*p++ = '|';
	*p++ = (char)('0' + (int)in->locale);
	*p++ = '|';
	for (int shift = 60; shift >= 0; shift -= 4)
		*p++ = "0123456789abcdef"[(hash >> shift) & 0xF];
	*p++ = '|';
	{
		size_t copy = n_text < (size_t)(end - p) ? n_text : (size_t)(end - p);

		memcpy(p, normalised, copy);
		p += copy;
	}
	*p = '\0';
}

/* The tiers a mode consults, in order. */
static int tiers_for_mode(enum cascade_mode mode, enum tier *order)
{
	switch (mode) {
	case MODE_REGEX:
		order[0] = TIER_REGEX;
		return 1;
	case MODE_RULES:
		order[0] = TIER_RULES;
		return 1;
	case MODE_LLM:
		break;
	case MODE_HYBRID:
		break;
	}
	order[0] = TIER_REGEX;
	order[1] = TIER_RULES;
	order[2] = TIER_LLM;
	return 3;
}

static void run_tier(struct cascade_worker *w, enum tier t, const struct parse_input *in,
		     const struct tier_request *request, struct tier_trace *trace)
{
	struct cascade *c = w->cascade;
	const struct tier_ops *ops = tier_table[t];
	int64_t begin;

	event_init(&trace->answer);
	trace->called = true;
	trace->backend = ops->backend(&c->cfg);
	if (!ensure_loaded(c, t, trace->error, sizeof trace->error)) {
		trace->status = PARSE_TIER_FAILED;
		return;
	}
	if (!w->scratch[t])
		w->scratch[t] = ops->worker_new(c->tier_state[t]);
	begin = clock_now_ns();
	trace->status = ops->extract(c->tier_state[t], w->scratch[t], in, request, trace);
	trace->elapsed_ns = clock_now_ns() - begin;
	for (int f = 0; f < FIELD_COUNT; f++)
		trace->answer.tier[f] = t;
	record(c, t == TIER_REGEX ? OP_REGEX_EXTRACT : t == TIER_RULES ? OP_RULES_EXTRACT :
	       OP_LLM_COMPLETE, trace->elapsed_ns, trace->status == PARSE_OK);
}

/* A start without a time of day makes an all-day event; keeps the two
 * fields consistent when they came from different tiers. */
static void settle_all_day(struct event *ev)
{
	if (!event_has(ev, FIELD_START))
		return;
	if (ev->start.precision == WHEN_DATE && !(event_has(ev, FIELD_ALL_DAY) && ev->all_day)) {
		ev->all_day = true;
		event_set_has(ev, FIELD_ALL_DAY, true);
		ev->confidence[FIELD_ALL_DAY] = ev->confidence[FIELD_START];
		ev->tier[FIELD_ALL_DAY] = ev->tier[FIELD_START];
	} else if (ev->start.precision != WHEN_DATE && event_has(ev, FIELD_ALL_DAY) && ev->all_day) {
		ev->all_day = false;
		ev->tier[FIELD_ALL_DAY] = ev->tier[FIELD_START];
	}
}

enum parse_status cascade_parse(struct cascade_worker *w, const struct parse_input *in,
				struct parse_result *out)
{
	struct cascade *c = w->cascade;
	const struct cascade_config *cfg = &c->cfg;
	int64_t begin = clock_now_ns();
	char key[CACHE_KEY_MAX];
	enum tier order[TIER_COUNT];
	int tier_count;
	unsigned pending = (1u << FIELD_COUNT) - 1;
	bool any_failed = false;
	bool hit;

	memset(out, 0, sizeof *out);
	event_init(&out->event);
	for (int t = 0; t < TIER_COUNT; t++)
		event_init(&out->tiers[t].answer);

	out->status = check_text(in, out);
	if (out->status != PARSE_OK) {
		out->total_ns = clock_now_ns() - begin;
		record(c, OP_PARSE, out->total_ns, false);
		return out->status;
	}

	if (cfg->cache_l1_entries > 0) {
		int64_t t0 = clock_now_ns();

		make_cache_key(c, in, key, sizeof key);
		hit = cache_get(c->cache, key, &out->event);
		out->cache_ns = clock_now_ns() - t0;
		pthread_mutex_lock(&c->stats_lock);
		c->cache_lookups++;
		c->cache_hits += hit;
		metrics_add(&c->windows[OP_CACHE_GET], (double)out->cache_ns / 1000.0, true);
		pthread_mutex_unlock(&c->stats_lock);
		if (hit) {
			out->cache_hit = true;
			out->total_ns = clock_now_ns() - begin;
			record(c, OP_PARSE, out->total_ns, true);
			return PARSE_OK;
		}
	}

	tier_count = tiers_for_mode(cfg->mode, order);
	for (int i = 0; i < tier_count && pending; i++) {
		enum tier t = order[i];
		struct tier_trace *trace = &out->tiers[t];
		struct tier_request request = { pending, &out->event, c->recorder };
		/* --mode llm still runs tiers 1 and 2 for the prompt's candidates and
		 * as the fallback, but takes no field from them. */
		bool advisory = cfg->mode == MODE_LLM && t != TIER_LLM;
		bool forced = cfg->mode != MODE_HYBRID && !advisory;

		if (t == TIER_LLM && cfg->llm_backend == LLM_OFF)
			continue;
		run_tier(w, t, in, &request, trace);
		if (trace->status != PARSE_OK) {
			if (t == TIER_LLM) {
				/* The lower tiers' best answers stand; the loss is recorded. */
				out->llm_lost = pending;
				continue;
			}
			any_failed = true;
			if (out->error[0] == '\0')
				snprintf(out->error, sizeof out->error, "%s tier: %s", tier_name(t),
					 trace->error);
			continue;
		}
		for (int f = 0; f < FIELD_COUNT; f++) {
			float conf = trace->answer.confidence[f];

			if (!(pending & (1u << f)))
				continue;
			/* Compared in float, the confidences' type, so a confidence
			 * equal to its threshold (0.7f against 0.7) passes. */
			if (!advisory && (forced || conf >= (float)tier_threshold(cfg, t))) {
				event_copy_field(&out->event, &trace->answer, (enum field)f);
				pending &= ~(1u << f);
			} else if (out->event.tier[f] == TIER_NONE || conf >= out->event.confidence[f]) {
				/* Below threshold: kept only as the best answer so far,
				 * later tiers winning ties, in case no tier takes it. */
				event_copy_field(&out->event, &trace->answer, (enum field)f);
			}
		}
	}
	settle_all_day(&out->event);

	if (any_failed && out->event.has == 0)
		out->status = PARSE_TIER_FAILED;
	/* A result missing a tier's answer is not the text's answer: the next
	 * parse of the same text tries again. */
	if (cfg->cache_l1_entries > 0 && !any_failed && !out->llm_lost)
		cache_put(c->cache, key, &out->event);
	out->total_ns = clock_now_ns() - begin;
	record(c, OP_PARSE, out->total_ns, out->status == PARSE_OK);
	return out->status;
}
