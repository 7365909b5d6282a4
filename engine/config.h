/*
 * The cascade's configuration: the three presets with every value, and the
 * keys an operator may override from a JSON file or with --set KEY=VALUE.
 * Later sources win: built-in preset, then the file, then --set.
 *
 * Presets (regex_only / deterministic_backup / llm_enhancement, model,
 * temperature, max_tokens, timeout, max_retries, context_limit):
 *   performance  0.75 / 0.5 / 0.0  llama3.2:1b  0.0  150  1.5 s  1  300
 *   balanced     0.8  / 0.6 / 0.0  llama3.2:3b  0.0  200  3.0 s  2  500  (default)
 *   quality      0.85 / 0.7 / 0.0  llama3.1:8b  0.1  300  5.0 s  3  800
 * Ollama has no llama3.2:8b tag, so the 8-billion-parameter model of that
 * family is llama3.1:8b.
 */
#ifndef CALTUNE_CONFIG_H
#define CALTUNE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_NAME_MAX 32
#define CONFIG_URL_MAX 256

enum cascade_mode {
	MODE_HYBRID,  /* the cascade: cheapest tier first, thresholds decide */
	MODE_REGEX,   /* every field from tier 1 alone */
	MODE_RULES,   /* every field from tier 2 alone */
	MODE_LLM      /* every field from tier 3 alone */
};

enum rules_backend { RULES_BUILTIN, RULES_DUCKLING };
enum llm_backend { LLM_OFF, LLM_OLLAMA, LLM_OPENAI, LLM_REPLAY };

struct cascade_config {
	char preset[CONFIG_NAME_MAX];
	enum cascade_mode mode;

	double regex_only;            /* tier-1 acceptance threshold */
	double deterministic_backup;  /* tier-2 acceptance threshold */
	double llm_enhancement;       /* tier-3 acceptance threshold */

	enum rules_backend rules_backend;
	char duckling_url[CONFIG_URL_MAX];
	double duckling_timeout_s;

	enum llm_backend llm_backend;
	char llm_url[CONFIG_URL_MAX];
	char llm_model[CONFIG_NAME_MAX * 2];
	double llm_temperature;
	int llm_max_tokens;
	double llm_timeout_s;
	int llm_max_retries;
	int llm_context_limit;        /* most characters of text sent to the model */
	int llm_concurrency;
	char llm_api_key_env[CONFIG_NAME_MAX * 2];  /* variable holding a bearer token, or "" */

	int cache_l1_entries;
	int cache_ttl_s;              /* NOTE: for the L2 cache, which is not built yet */
};

/* Fills cfg with a preset's values ("performance", "balanced", "quality").
 * Returns 0, or -1 with a message in err for an unknown name. */
int config_preset(struct cascade_config *cfg, const char *name, char *err, size_t err_size);

/* Overrides one key ("thresholds.regex_only", "llm.model" ...) from its
 * text form. Returns 0, or -1 with a message naming the key and what it
 * accepts. */
int config_set(struct cascade_config *cfg, const char *key, const char *value,
	       char *err, size_t err_size);

/* Applies "KEY=VALUE" as config_set does. */
int config_set_pair(struct cascade_config *cfg, const char *pair, char *err, size_t err_size);

/* Applies a JSON file of nested objects ({"thresholds": {"regex_only":
 * 0.7}}) or dotted keys ({"llm.model": "x"}); a "preset" key applies that
 * preset first. Returns 0, or -1 with "path: message". */
int config_load_file(struct cascade_config *cfg, const char *path, char *err, size_t err_size);

/* Parses "hybrid", "regex", "rules" or "llm". */
int config_mode_from_name(const char *name, enum cascade_mode *mode);
const char *config_mode_name(enum cascade_mode mode);
const char *config_llm_backend_name(enum llm_backend backend);
const char *config_rules_backend_name(enum rules_backend backend);

/* The keys config_set accepts, by index; NULL past the last one. */
const char *config_key_at(size_t index);

#endif
