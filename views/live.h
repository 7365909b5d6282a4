/*
 * The run the UI shows, followed live in the history database: either the
 * newest run (the default, so a `caltune run` started in another terminal
 * appears by itself) or one pinned run (picked in History, or started by
 * this UI). Every live_tick re-reads the run's record and appends the case
 * rows committed since the last tick.
 *
 * The database is opened read-only, never created: until it exists the
 * live view has no run, and live_tick retries about once a second.
 *
 * Ownership: a struct live is embedded by the caller; live_free releases
 * the history handle and the rows. The handle is used only on the UI
 * thread.
 */
#ifndef CALTUNE_VIEWS_LIVE_H
#define CALTUNE_VIEWS_LIVE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/history.h"
#include "views/caserows.h"
#include "views/runstats.h"

#define LIVE_ERROR_MAX 1024
#define LIVE_RATE_SAMPLES 16

/* The thresholds and cache size a run recorded in its settings. */
struct live_settings {
	bool known;                   /* false when settings_json could not be read */
	double regex_only;
	double deterministic_backup;
	double llm_enhancement;
	long cache_l1_entries;        /* -1 when the settings do not say */
};

struct live {
	char db_path[PATH_MAX];
	struct history *history;      /* NULL until the database opens */
	int64_t retry_ms;             /* when to try opening it again */
	bool db_missing;              /* the file does not exist yet */

	int64_t pinned_run;           /* 0: follow the newest run */
	int64_t newest_run;           /* the newest run's id, 0 when none */
	bool have_run;
	struct run_record run;        /* the shown run, when have_run */
	struct live_settings settings;
	struct caserows rows;
	struct runstats stats;
	int64_t stats_run;            /* run and row count `stats` was computed for */
	size_t stats_rows;
	bool loading;                 /* more committed rows wait to be read */

	/* (time, cases done) samples of the last few seconds, for the rate. */
	int64_t sample_ms[LIVE_RATE_SAMPLES];
	int64_t sample_done[LIVE_RATE_SAMPLES];
	int sample_count;

	char error[LIVE_ERROR_MAX];   /* the last history error, "" when fine */
};

void live_init(struct live *live, const char *db_path);
void live_free(struct live *live);

/* Re-reads the shown run and reads new case rows; now_ms is wall-clock
 * milliseconds. Errors land in live->error, never abort. */
void live_tick(struct live *live, int64_t now_ms);

/* Shows run_id from now on; 0 goes back to following the newest run. */
void live_pin(struct live *live, int64_t run_id);

/* Cases per second over the last few seconds of a running run; -1 when
 * unknown. */
double live_rate(const struct live *live);

/* The history handle for other readers on the UI thread, or NULL. */
struct history *live_history(struct live *live);

/* Reads thresholds from a run's settings_json. */
void live_parse_settings(const char *settings_json, struct live_settings *out);

#endif
