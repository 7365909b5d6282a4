/*
 * The corpus runner: parses every case of a corpus on N worker threads,
 * scores each prediction, and hands the results to a single writer thread
 * that records them in the history in batches. Results are recorded in
 * corpus order whatever order the workers finish in.
 *
 * When the LLM tier can be called (llm.backend is not off and the mode is
 * hybrid or llm), the runner starts at least llm.concurrency workers, so
 * that many requests can be in flight on the cascade's shared client.
 * Otherwise it starts at most one worker per processor online, whatever
 * options.jobs says.
 *
 * The runner never prints. Progress goes to an optional callback (called
 * from the writer thread after each batch, and about four times a second
 * while the LLM tier can be called), bad corpus lines to corpus_error_fn,
 * and the outcome to a run_summary.
 *
 * Ownership: the caller owns the options and the summary; a summary's
 * tag list is freed with run_summary_free.
 */
#ifndef CALTUNE_RUNNER_H
#define CALTUNE_RUNNER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/corpus.h"
#include "engine/cascade.h"
#include "engine/config.h"

#define RUNNER_BATCH 256   /* cases per history transaction */

struct runner_progress {
	int64_t run_id;
	size_t done;
	size_t total;
	size_t errors;
	double elapsed_ms;
	struct cascade_llm_stats llm;    /* the LLM tier's state, in flight, retries */
};

struct runner_options {
	const char *corpus_path;
	struct cascade_config cfg;
	int jobs;                        /* worker threads, at least 1; see above */
	const char *db_path;             /* NULL: do not record (--readonly) */
	const char *predictions_path;    /* NULL: no predictions file */
	/* The recorder the LLM tier stores its exchanges in and, in replay,
	 * reads answers from; NULL for none. The caller keeps it alive for the
	 * run. */
	const struct llm_recorder *recorder;
	atomic_bool *cancel;             /* NULL, or set to stop early */
	void (*on_progress)(void *context, const struct runner_progress *progress);
	void *progress_context;
	corpus_error_fn on_corpus_error;
	void *error_context;
};

struct tier_summary {
	uint64_t calls;                  /* texts the tier was called for */
	uint64_t answered;               /* texts it supplied a final field for */
	uint64_t failures;               /* calls that returned an error */
	double p50_us;
	double p95_us;
};

/* The LLM tier over a run, for the summary's "llm" object. */
struct llm_summary {
	char state[16];                  /* cascade_llm_state_name at the end of the run */
	uint64_t calls;                  /* texts the tier was called for */
	uint64_t failures;               /* calls that failed, the server down included */
	uint64_t lost_fields;            /* fields sent to it that it did not answer */
	uint64_t retries;                /* HTTP attempts after the first */
	uint64_t replayed;               /* calls answered from a recording */
};

struct tag_summary {
	char *tag;
	size_t cases;
	size_t correct;
};

struct run_summary {
	int64_t run_id;                  /* 0 when not recorded */
	char preset[32];
	char mode[16];
	char corpus[1024];
	size_t cases;                    /* cases parsed */
	size_t errors;                   /* cases whose parse failed */
	size_t bad_lines;                /* corpus lines skipped */
	bool cancelled;
	double wall_ms;
	size_t correct;                  /* cases with every expected field right */
	double accuracy;                 /* correct / cases */
	size_t field_expected[FIELD_COUNT];
	size_t field_correct[FIELD_COUNT];
	struct tier_summary tiers[TIER_COUNT];
	double parse_p50_us;
	double parse_p95_us;
	uint64_t cache_lookups;
	uint64_t cache_hits;
	struct llm_summary llm;
	struct tag_summary *tags;
	size_t tag_count;
};

/* Runs a corpus. Returns 0 when the run completed (even with bad lines or
 * failed cases, which the summary counts), -1 with a message in err when
 * it could not start or the history could not be written. */
int runner_run(const struct runner_options *options, struct run_summary *out,
	       char *err, size_t err_size);

/* The processors online, from 1 to the runner's maximum of workers. */
int runner_processors(void);

/* Whether the configuration lets the cascade call the LLM tier: llm.backend
 * is not off and the mode is hybrid or llm. */
bool runner_llm_callable(const struct cascade_config *cfg);

void run_summary_free(struct run_summary *summary);

/* The summary in the stable `run --json` form; the caller frees the string
 * with free(). */
char *run_summary_to_json(const struct run_summary *summary);

#endif
