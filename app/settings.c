/*
 * Configuration to JSON. Reals are rounded to 6 decimals so 0.8 prints as
 * 0.8 rather than 0.80000000000000004.
 */
#include <math.h>
#include <stdlib.h>

#include "app/settings.h"

static json_t *real(double v)
{
	return json_real(round(v * 1e6) / 1e6);
}

json_t *settings_to_json(const struct cascade_config *cfg)
{
	json_t *root = json_object();
	json_t *thresholds = json_object();
	json_t *rules = json_object();
	json_t *duckling = json_object();
	json_t *llm = json_object();
	json_t *cache = json_object();

	json_object_set_new(root, "preset", json_string(cfg->preset));
	json_object_set_new(root, "mode", json_string(config_mode_name(cfg->mode)));

	json_object_set_new(thresholds, "regex_only", real(cfg->regex_only));
	json_object_set_new(thresholds, "deterministic_backup", real(cfg->deterministic_backup));
	json_object_set_new(thresholds, "llm_enhancement", real(cfg->llm_enhancement));
	json_object_set_new(root, "thresholds", thresholds);

	json_object_set_new(rules, "backend", json_string(config_rules_backend_name(cfg->rules_backend)));
	json_object_set_new(root, "rules", rules);

	json_object_set_new(duckling, "url", json_string(cfg->duckling_url));
	json_object_set_new(duckling, "timeout_s", real(cfg->duckling_timeout_s));
	json_object_set_new(root, "duckling", duckling);

	json_object_set_new(llm, "backend", json_string(config_llm_backend_name(cfg->llm_backend)));
	json_object_set_new(llm, "url", json_string(cfg->llm_url));
	json_object_set_new(llm, "model", json_string(cfg->llm_model));
	json_object_set_new(llm, "temperature", real(cfg->llm_temperature));
	json_object_set_new(llm, "max_tokens", json_integer(cfg->llm_max_tokens));
	json_object_set_new(llm, "timeout_s", real(cfg->llm_timeout_s));
	json_object_set_new(llm, "max_retries", json_integer(cfg->llm_max_retries));
	json_object_set_new(llm, "context_limit", json_integer(cfg->llm_context_limit));
	json_object_set_new(llm, "concurrency", json_integer(cfg->llm_concurrency));
	/* The variable's name only: the token itself never leaves the engine. */
	json_object_set_new(llm, "api_key_env", json_string(cfg->llm_api_key_env));
	json_object_set_new(root, "llm", llm);

	json_object_set_new(cache, "l1_entries", json_integer(cfg->cache_l1_entries));
	json_object_set_new(cache, "ttl_s", json_integer(cfg->cache_ttl_s));
	json_object_set_new(root, "cache", cache);
	return root;
}

char *settings_to_text(const struct cascade_config *cfg)
{
	json_t *root = settings_to_json(cfg);
	char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15));

	json_decref(root);
	return text;
}

/* Whether a threshold of the settings differs from the preset's value,
 * both rounded as the settings store them. */
static bool threshold_differs(json_t *thresholds, const char *key, double preset_value)
{
	json_t *value = json_object_get(thresholds, key);

	return json_is_number(value) &&
	       round(json_number_value(value) * 1e6) != round(preset_value * 1e6);
}

bool settings_thresholds_custom(const char *settings_json)
{
	json_t *root = json_loads(settings_json, 0, NULL);
	json_t *thresholds = json_object_get(root, "thresholds");
	const char *preset = json_string_value(json_object_get(root, "preset"));
	struct cascade_config cfg;
	char err[128];
	bool custom = false;

	if (json_is_object(thresholds) && preset &&
	    config_preset(&cfg, preset, err, sizeof err) == 0)
		custom = threshold_differs(thresholds, "regex_only", cfg.regex_only) ||
			 threshold_differs(thresholds, "deterministic_backup",
					   cfg.deterministic_backup) ||
			 threshold_differs(thresholds, "llm_enhancement", cfg.llm_enhancement);
	json_decref(root);
	return custom;
}
