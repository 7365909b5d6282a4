/*
 * The configuration as JSON: every threshold and model setting of a
 * cascade_config, for the history's run rows and the command line's JSON
 * output. The keys are those of the configuration file and --set
 * ({"thresholds": {"regex_only": 0.8, ...}, "llm": {...}, ...}) plus
 * "preset" and "mode".
 */
#ifndef CALTUNE_SETTINGS_H
#define CALTUNE_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>

#include "engine/config.h"

/* Returns a new JSON object the caller releases with json_decref. */
json_t *settings_to_json(const struct cascade_config *cfg);

/* The same object as compact text; the caller frees it with free(). */
char *settings_to_text(const struct cascade_config *cfg);

/* Whether a run's settings (settings_to_text's form) have thresholds
 * other than their preset's, as after --set or the Thresholds view, so a
 * list of runs can mark a preset name that does not tell the whole story.
 * False when the text or its preset cannot be read. */
bool settings_thresholds_custom(const char *settings_json);

#endif
