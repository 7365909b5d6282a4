/*
 * The LLM recorder: the engine's struct llm_recorder over the history
 * database. It stores every exchange the LLM tier makes and answers the
 * tier's lookups when llm.backend is replay.
 *
 * The recorder has its own SQLite connection, opened on the first call,
 * so a parse that never reaches the LLM never touches the database. A
 * mutex serialises the calls, because parse threads make them at once.
 * A failure to store never stops a parse: it is counted and logged (the
 * first one, then every RECORDER_LOG_EVERY-th). Request keys and answers
 * are never logged, only the key's SHA-256 at debug level.
 *
 * A recorder made with store false only looks answers up: it opens the
 * database read-only and treats a missing file as one with no recordings.
 *
 * Ownership: recorder_new returns a recorder freed with recorder_free,
 * after every cascade given its hooks is freed. recorder_hooks points
 * into the recorder.
 */
#ifndef CALTUNE_RECORDER_H
#define CALTUNE_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/config.h"
#include "engine/llm_record.h"

#define RECORDER_LOG_EVERY 1000

struct recorder_counts {
	uint64_t stored;           /* exchanges written */
	uint64_t store_failures;   /* exchanges that could not be written */
	uint64_t lookups;
	uint64_t found;            /* lookups that returned an answer */
};

struct recorder;

/* Makes a recorder on the database at db_path (copied). Returns NULL with a
 * message in err only when out of memory. */
struct recorder *recorder_new(const char *db_path, bool store, char *err, size_t err_size);
void recorder_free(struct recorder *recorder);

/* Makes the recorder a cascade with this configuration needs: none when
 * llm.backend is off, or when no_record (--no-record) is set and the
 * backend is not replay, since replay always reads recordings and
 * no_record only stops storing. Returns 0 with *out a recorder or NULL,
 * or -1 with a message when out of memory. */
int recorder_for_config(const struct cascade_config *cfg, const char *db_path, bool no_record,
			struct recorder **out, char *err, size_t err_size);

/* The hooks to pass to cascade_set_recorder. */
const struct llm_recorder *recorder_hooks(struct recorder *recorder);

void recorder_counts(struct recorder *recorder, struct recorder_counts *out);

#endif
