/*
 * The parsing cascade: one text in, one event out, each field taken from
 * the cheapest tier whose confidence reaches that tier's threshold.
 *
 * Tier 1 (regex) answers first. A field is taken from it when its
 * confidence is at least thresholds.regex_only; fields below go to tier 2
 * (rules), taken at thresholds.deterministic_backup; fields still below go
 * to tier 3 (llm) when one is configured. A tier that no field needs is
 * never loaded or called. When no tier reaches its threshold the most
 * confident answer of the tiers that ran is kept.
 *
 * Ownership: cascade_new returns a cascade the caller frees with
 * cascade_free, after every worker made from it is freed. A cascade is
 * shared by all threads; each thread parses through its own worker
 * (cascade_worker_new / cascade_worker_free), which owns the scratch
 * memory a parse needs. A parse_result is a flat value owned by the caller.
 */
#ifndef CALTUNE_CASCADE_H
#define CALTUNE_CASCADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/calendar.h"
#include "engine/config.h"
#include "engine/event.h"
#include "engine/llm_record.h"
#include "engine/metrics.h"

/* Texts above this size are rejected rather than parsed partially. */
#define PARSE_TEXT_MAX 16384

#define CASCADE_ERROR_MAX 256

enum parse_locale { LOCALE_EN_US, LOCALE_EN_GB };

enum parse_status {
	PARSE_OK = 0,
	PARSE_EMPTY,       /* the text is empty or white space only */
	PARSE_TOO_LONG,    /* the text is above PARSE_TEXT_MAX bytes */
	PARSE_BAD_UTF8,    /* the text is not valid UTF-8 */
	PARSE_TIER_FAILED  /* a tier failed; the event holds what the others gave */
};

struct parse_input {
	const char *text;             /* not NUL-terminated necessarily */
	size_t len;
	struct cal_datetime ref;      /* the text's "now", wall-clock in tz */
	const char *tz;               /* IANA zone name; NULL means UTC */
	enum parse_locale locale;
};

/* One tier's part in a parse: whether it ran, how long it took and every
 * field it reported, with confidence, whether or not the cascade took it. */
struct tier_trace {
	bool called;
	enum parse_status status;
	char error[CASCADE_ERROR_MAX];
	int64_t elapsed_ns;
	const char *backend;          /* static string: "builtin", "duckling" ... */
	struct event answer;
	/* The LLM tier's details; zero for the other tiers. */
	int prompt_tokens;            /* -1 when the server did not say */
	int completion_tokens;
	int64_t server_ns;            /* the server's own time for the answer, -1 if unknown */
	int attempts;                 /* HTTP attempts, retries included */
	bool truncated;               /* the text was cut to llm.context_limit */
	bool replayed;                /* answered from a recording */
	bool unreachable;             /* the server refused the connection or is marked down */
};

struct parse_result {
	struct event event;           /* the final event; tier[] names the tier of each field */
	struct tier_trace tiers[TIER_COUNT];
	unsigned llm_lost;            /* fields sent to the LLM that it did not answer */
	bool cache_hit;
	int64_t cache_ns;             /* time spent in the cache lookup */
	int64_t total_ns;
	enum parse_status status;
	char error[CASCADE_ERROR_MAX];
};

/* Metrics operations the cascade keeps rolling windows for. */
enum cascade_op {
	OP_REGEX_EXTRACT,
	OP_RULES_EXTRACT,
	OP_LLM_COMPLETE,
	OP_CACHE_GET,
	OP_PARSE,
	OP_COUNT
};

struct cascade;
struct cascade_worker;

struct cascade *cascade_new(const struct cascade_config *cfg, char *err, size_t err_size);
void cascade_free(struct cascade *cascade);
const struct cascade_config *cascade_get_config(const struct cascade *cascade);

struct cascade_worker *cascade_worker_new(struct cascade *cascade, char *err, size_t err_size);
void cascade_worker_free(struct cascade_worker *worker);

/* Parses one text. Returns out->status; on PARSE_EMPTY, PARSE_TOO_LONG and
 * PARSE_BAD_UTF8 no tier ran and out->error says which value is wrong and
 * what to do. Safe to call from many threads, one worker each. */
enum parse_status cascade_parse(struct cascade_worker *worker, const struct parse_input *in,
				struct parse_result *out);

/* "regex:extract", "rules:extract", "llm:complete", "cache:get", "parse". */
const char *cascade_op_name(enum cascade_op op);

/* Copies the rolling statistics of one operation, latencies in
 * microseconds. */
void cascade_stats(struct cascade *cascade, enum cascade_op op, struct metrics_stats *out);

/* Whether a tier has been loaded: tiers load on first use. */
bool cascade_tier_loaded(struct cascade *cascade, enum tier tier);

/* Cache lookups and hits since the cascade was made. */
void cascade_cache_counts(struct cascade *cascade, uint64_t *lookups, uint64_t *hits);

/* The LLM tier's state for a dashboard. */
enum cascade_llm_state { CASCADE_LLM_OFF, CASCADE_LLM_IDLE, CASCADE_LLM_UP, CASCADE_LLM_DOWN,
			 CASCADE_LLM_REPLAY };

struct cascade_llm_stats {
	enum cascade_llm_state state;
	int in_flight;
	int queued;
	uint64_t retries;
};

void cascade_llm_stats(struct cascade *cascade, struct cascade_llm_stats *out);
const char *cascade_llm_state_name(enum cascade_llm_state state);

/* Makes the LLM tier record its exchanges through `recorder` and, with
 * llm.backend=replay, answer from it. Call before the first parse; the
 * recorder must outlive the cascade. NULL turns recording off. */
void cascade_set_recorder(struct cascade *cascade, const struct llm_recorder *recorder);

/* A message for a status, without the value ("text is empty"). */
const char *parse_status_message(enum parse_status status);

#endif
