/*
 * The history of corpus runs, in SQLite. It has one row per run (settings,
 * corpus path and SHA-256, version, progress, summary, the LLM tier's
 * state) and one row per case (each field's value, tier, confidence and
 * correctness, each tier's latency, cache hit, the LLM call's outcome,
 * error). It also stores the LLM exchanges that replay reads
 * (history_exchanges.c).
 *
 * The database runs in WAL mode so a reader (the UI in another terminal)
 * never blocks the writer, and cases are committed in batches, each batch
 * one transaction. A run whose process dies keeps every committed batch;
 * it has no finish time, and once its writer is gone (its pid is no longer
 * alive on this host, or its heartbeat is older than
 * HISTORY_STALE_SECONDS) it reads back as RUN_INCOMPLETE.
 *
 * The schema carries a version (PRAGMA user_version); opening an older
 * database migrates it in place, opening a newer one is an error. A file
 * that is not an SQLite database, whose header or schema is damaged, or
 * that holds another program's tables is left untouched: history_open
 * fails with a message naming the file and what to do.
 *
 * A cancelled run is finished like any other (it has a finish time and
 * reads back as RUN_COMPLETE) with `cancelled` set and fewer cases done
 * than its corpus has.
 *
 * Ownership: history_open returns a handle closed with history_close. A
 * handle is used by one thread at a time. Lists returned through `out`
 * pointers are allocated with malloc and freed by the caller with free().
 */
#ifndef CALTUNE_HISTORY_H
#define CALTUNE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/corpus.h"
#include "engine/event.h"
#include "engine/llm_record.h"

#define HISTORY_SCHEMA_VERSION 4
#define HISTORY_STALE_SECONDS 30
#define HISTORY_ERROR_MAX 256

enum run_state { RUN_RUNNING, RUN_COMPLETE, RUN_INCOMPLETE };

struct run_record {
	int64_t id;
	int64_t started_ms;          /* Unix time in milliseconds */
	int64_t finished_ms;         /* 0 until the run finishes */
	int64_t heartbeat_ms;        /* last batch commit */
	enum run_state state;
	char preset[32];
	char mode[16];
	char corpus[1024];
	char corpus_sha256[65];
	char version[32];
	char settings_json[2048];    /* every threshold and model setting */
	int64_t cases_total;         /* cases in the corpus */
	int64_t cases_done;          /* case rows committed */
	int64_t errors;
	double accuracy;             /* over committed cases; -1 with none */
	double wall_ms;              /* 0 until the run finishes */
	double p95_us;               /* end-to-end parse p95 over the run */
	/* The run --json summary once finished; empty when it does not fit
	 * (history_get_summary returns it whole). */
	char summary_json[8192];
	int pid;
	char host[64];
	bool cancelled;              /* stopped early on request */
	int64_t cases_correct;       /* committed cases with every field right */
	/* The LLM tier as of the last batch or heartbeat: "off", "idle", "up",
	 * "down" or "replay"; "" for a run recorded before schema version 3. */
	char llm_state[16];
	int llm_in_flight;           /* requests in flight */
	int64_t llm_retries;         /* HTTP attempts after the first, so far */
};

/* The LLM tier's figures a batch or heartbeat stores in the run's row. */
struct history_llm_status {
	const char *state;           /* cascade_llm_state_name's form */
	int in_flight;
	int64_t retries;
};

#define HISTORY_LLM_ERROR_MAX 160

struct case_record {
	int64_t seq;                 /* position in the corpus, from 0 */
	char case_id[CORPUS_ID_MAX];
	struct event prediction;     /* values, confidences and tiers */
	unsigned expected;           /* fields the case labels */
	unsigned correct;            /* of those, the fields predicted right */
	bool all_correct;
	int64_t tier_ns[TIER_COUNT]; /* -1 when the tier was not called */
	int64_t total_ns;
	bool cache_hit;
	int64_t cache_ns;            /* cache lookup time; -1 when the cache is off */
	unsigned failed_tiers;       /* bit (1u << tier) for each tier whose call failed */
	bool llm_called;
	char error[HISTORY_ERROR_MAX];
	/* The LLM call: "" when the tier was not called, else "ok", "failed",
	 * "down" (the server could not be reached) or "replayed". */
	char llm_status[12];
	unsigned llm_lost;           /* bit per field sent to the LLM that it did not answer */
	int llm_prompt_tokens;       /* -1 when unknown or not called */
	int llm_completion_tokens;   /* -1 when unknown or not called */
	int llm_attempts;            /* HTTP attempts; 0 when none was made */
	char llm_error[HISTORY_LLM_ERROR_MAX];   /* the tier's message, cut; "" when none */
	/* The backend that ran tier 2, "builtin" or "duckling"; "" when the
	 * tier was not called. */
	char rules_backend[16];
};

struct history;

int history_open(const char *path, bool readonly, struct history **out, char *err, size_t err_size);
void history_close(struct history *h);

/* Records a new run from run->preset, mode, corpus, corpus_sha256, version,
 * settings_json and cases_total; sets run->id, started_ms, pid and host. */
int history_begin_run(struct history *h, struct run_record *run, char *err, size_t err_size);

/* Appends a batch of cases in one transaction and refreshes the run's
 * progress and heartbeat, and its LLM figures unless llm is NULL. */
int history_append_cases(struct history *h, int64_t run_id, const struct case_record *cases,
			 size_t count, const struct history_llm_status *llm, char *err,
			 size_t err_size);

/* Refreshes a run's heartbeat without adding cases, so a slow run (an LLM
 * tier taking seconds per text) is not taken for a dead one, and its LLM
 * figures unless llm is NULL. */
int history_heartbeat(struct history *h, int64_t run_id, const struct history_llm_status *llm,
		      char *err, size_t err_size);

/* Records that a run was stopped on request; call before
 * history_finish_run. */
int history_mark_cancelled(struct history *h, int64_t run_id, char *err, size_t err_size);

/* Marks a run finished with its wall time, end-to-end p95 and summary. */
int history_finish_run(struct history *h, int64_t run_id, double wall_ms, double p95_us,
		       const char *summary_json, char *err, size_t err_size);

/* Runs newest first, at most `limit` (0: all). */
int history_list_runs(struct history *h, int limit, struct run_record **out, size_t *count,
		      char *err, size_t err_size);

/* One run; id 0 means the newest. Returns 1 when there is no such run. */
int history_get_run(struct history *h, int64_t id, struct run_record *out, char *err,
		    size_t err_size);

/* The id of the newest complete run that was not cancelled, after
 * skipping `skip` such runs (0: the newest). Returns 1 when there is none. */
int history_latest_complete(struct history *h, int skip, int64_t *id, char *err,
			    size_t err_size);

/* The whole summary JSON of a finished run, which run_record's buffer may
 * be too small for; *out is NULL for an unfinished run. The caller frees
 * *out with free(). Returns 1 when there is no such run. */
int history_get_summary(struct history *h, int64_t id, char **out, char *err, size_t err_size);

/* Up to `max` case rows of a run with seq above after_seq, in seq order;
 * a reader polls with the last seq it saw to follow a live run. */
int history_read_cases(struct history *h, int64_t run_id, int64_t after_seq, size_t max,
		       struct case_record *out, size_t *count, char *err, size_t err_size);

/* Stores one LLM exchange, keyed by the SHA-256 of exchange->key. */
int history_store_exchange(struct history *h, const struct llm_exchange *exchange, char *err,
			   size_t err_size);

/* Finds the newest exchange stored for a key. Returns 0 with *answer a
 * string the caller frees with free(), 1 when none is stored, or -1 with
 * a message. Token counts are -1 when the exchange did not record them. */
int history_find_exchange(struct history *h, const char *key, char **answer,
			  int64_t *latency_ns, int *prompt_tokens, int *completion_tokens,
			  char *err, size_t err_size);

/* Counts the stored exchanges, all of them and those of one model. */
int history_count_exchanges(struct history *h, const char *model, int64_t *total,
			    int64_t *for_model, char *err, size_t err_size);

/* "running", "complete" or "incomplete". */
const char *history_state_name(enum run_state state);

/* The path the handle was opened with. */
const char *history_path(const struct history *h);

/* The default database path: $CALTUNE_DB, else
 * $XDG_DATA_HOME/caltune/history.db, else ~/.local/share/caltune/history.db. */
int history_default_path(char *out, size_t size);

#endif
