/*
 * Presets and configuration keys. Every key is described once in a table
 * (name, type, bounds, storage offset) so that --set, the JSON file and the
 * error messages all agree on what a key accepts.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/config.h"

struct preset_values {
	const char *name;
	double regex_only, deterministic_backup, llm_enhancement;
	const char *model;
	double temperature;
	int max_tokens;
	double timeout_s;
	int max_retries;
	int context_limit;
};

static const struct preset_values presets[] = {
	{ "performance", 0.75, 0.5, 0.0, "llama3.2:1b", 0.0, 150, 1.5, 1, 300 },
	{ "balanced", 0.8, 0.6, 0.0, "llama3.2:3b", 0.0, 200, 3.0, 2, 500 },
	{ "quality", 0.85, 0.7, 0.0, "llama3.1:8b", 0.1, 300, 5.0, 3, 800 },
};

int config_preset(struct cascade_config *cfg, const char *name, char *err, size_t err_size)
{
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
		const struct preset_values *p = &presets[i];

		if (strcmp(p->name, name) != 0)
			continue;
		memset(cfg, 0, sizeof *cfg);
		snprintf(cfg->preset, sizeof cfg->preset, "%s", p->name);
		cfg->mode = MODE_HYBRID;
		cfg->regex_only = p->regex_only;
		cfg->deterministic_backup = p->deterministic_backup;
		cfg->llm_enhancement = p->llm_enhancement;
		cfg->rules_backend = RULES_BUILTIN;
		snprintf(cfg->duckling_url, sizeof cfg->duckling_url, "http://localhost:8000/parse");
		cfg->duckling_timeout_s = 1.0;
		cfg->llm_backend = LLM_OLLAMA;
		snprintf(cfg->llm_url, sizeof cfg->llm_url, "http://127.0.0.1:11434");
		snprintf(cfg->llm_model, sizeof cfg->llm_model, "%s", p->model);
		cfg->llm_temperature = p->temperature;
		cfg->llm_max_tokens = p->max_tokens;
		cfg->llm_timeout_s = p->timeout_s;
		cfg->llm_max_retries = p->max_retries;
		cfg->llm_context_limit = p->context_limit;
		cfg->llm_concurrency = 4;
		cfg->cache_l1_entries = 500;
		cfg->cache_ttl_s = 3600;
		return 0;
	}
	snprintf(err, err_size, "unknown preset \"%s\": use performance, balanced or quality", name);
	return -1;
}

enum key_type { KEY_UNIT, KEY_POSITIVE, KEY_TEMPERATURE, KEY_INT, KEY_URL, KEY_NAME, KEY_ENUM,
		KEY_ENV_NAME };

struct key_spec {
	const char *name;
	enum key_type type;
	size_t offset;
	int min, max;                  /* bounds for KEY_INT */
	const char *const *choices;    /* for KEY_ENUM, index stored as int */
};

static const char *const rules_backends[] = { "builtin", "duckling", NULL };
static const char *const llm_backends[] = { "off", "ollama", "openai", "replay", NULL };

#define OFF(field) offsetof(struct cascade_config, field)

static const struct key_spec keys[] = {
	{ "thresholds.regex_only", KEY_UNIT, OFF(regex_only), 0, 0, NULL },
	{ "thresholds.deterministic_backup", KEY_UNIT, OFF(deterministic_backup), 0, 0, NULL },
	{ "thresholds.llm_enhancement", KEY_UNIT, OFF(llm_enhancement), 0, 0, NULL },
	{ "rules.backend", KEY_ENUM, OFF(rules_backend), 0, 0, rules_backends },
	{ "duckling.url", KEY_URL, OFF(duckling_url), 0, 0, NULL },
	{ "duckling.timeout_s", KEY_POSITIVE, OFF(duckling_timeout_s), 0, 0, NULL },
	{ "llm.backend", KEY_ENUM, OFF(llm_backend), 0, 0, llm_backends },
	{ "llm.url", KEY_URL, OFF(llm_url), 0, 0, NULL },
	{ "llm.model", KEY_NAME, OFF(llm_model), 0, 0, NULL },
	{ "llm.temperature", KEY_TEMPERATURE, OFF(llm_temperature), 0, 0, NULL },
	{ "llm.max_tokens", KEY_INT, OFF(llm_max_tokens), 1, 100000, NULL },
	{ "llm.timeout_s", KEY_POSITIVE, OFF(llm_timeout_s), 0, 0, NULL },
	{ "llm.max_retries", KEY_INT, OFF(llm_max_retries), 0, 20, NULL },
	{ "llm.context_limit", KEY_INT, OFF(llm_context_limit), 1, 1000000, NULL },
	{ "llm.concurrency", KEY_INT, OFF(llm_concurrency), 1, 256, NULL },
	{ "llm.api_key_env", KEY_ENV_NAME, OFF(llm_api_key_env), 0, 0, NULL },
	{ "cache.l1_entries", KEY_INT, OFF(cache_l1_entries), 0, 10000000, NULL },
	{ "cache.ttl_s", KEY_INT, OFF(cache_ttl_s), 0, 365 * 86400, NULL },
};

const char *config_key_at(size_t index)
{
	return index < sizeof keys / sizeof keys[0] ? keys[index].name : NULL;
}

static const struct key_spec *find_key(const char *name)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && end != s && *end == '\0' && isfinite(*out) ? 0 : -1;
}

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' ? 0 : -1;
}

static void describe_choices(const char *const *choices, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; choices[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", choices[i]);
}

int config_set(struct cascade_config *cfg, const char *key, const char *value,
	       char *err, size_t err_size)
{
	const struct key_spec *spec = find_key(key);
	char *base = (char *)cfg;
	double d;
	long l;

	if (!spec) {
		if (strcmp(key, "mode") == 0)
			return config_mode_from_name(value, &cfg->mode) == 0 ? 0 :
			       (snprintf(err, err_size, "invalid value \"%s\" for mode: use hybrid, "
					 "regex, rules or llm", value), -1);
		snprintf(err, err_size, "unknown configuration key \"%s\": run caltune parse --help "
			 "for the list of keys", key);
		return -1;
	}
	switch (spec->type) {
	case KEY_UNIT:
		if (parse_double(value, &d) < 0 || d < 0.0 || d > 1.0) {
			snprintf(err, err_size, "invalid value \"%s\" for %s: it accepts a number "
				 "from 0 to 1", value, key);
			return -1;
		}
		*(double *)(base + spec->offset) = d;
		return 0;
	case KEY_POSITIVE:
		if (parse_double(value, &d) < 0 || d < 0.0 || d > 86400.0) {
			snprintf(err, err_size, "invalid value \"%s\" for %s: it accepts a number "
				 "from 0 to 86400", value, key);
			return -1;
		}
		*(double *)(base + spec->offset) = d;
		return 0;
	case KEY_TEMPERATURE:
		/* Ollama and OpenAI-compatible servers take 0 to 2. */
		if (parse_double(value, &d) < 0 || d < 0.0 || d > 2.0) {
			snprintf(err, err_size, "invalid value \"%s\" for %s: it accepts a number "
				 "from 0 to 2", value, key);
			return -1;
		}
		*(double *)(base + spec->offset) = d;
		return 0;
	case KEY_INT:
		if (parse_long(value, &l) < 0 || l < spec->min || l > spec->max) {
			snprintf(err, err_size, "invalid value \"%s\" for %s: it accepts a whole "
				 "number from %d to %d", value, key, spec->min, spec->max);
			return -1;
		}
		*(int *)(base + spec->offset) = (int)l;
		return 0;
	case KEY_URL:
		if (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0) {
			snprintf(err, err_size, "invalid value \"%s\" for %s: it accepts an http:// "
				 "or https:// URL", value, key);
			return -1;
		}
		if (strlen(value) >= CONFIG_URL_MAX) {
			snprintf(err, err_size, "value for %s is longer than %d bytes", key,
				 CONFIG_URL_MAX - 1);
			return -1;
		}
		snprintf(base + spec->offset, CONFIG_URL_MAX, "%s", value);
		return 0;
	case KEY_NAME:
		if (value[0] == '\0' || strlen(value) >= sizeof cfg->llm_model) {
			snprintf(err, err_size, "invalid value \"%s\" for %s: it accepts a name of "
				 "1 to %zu bytes", value, key, sizeof cfg->llm_model - 1);
			return -1;
		}
		snprintf(base + spec->offset, sizeof cfg->llm_model, "%s", value);
		return 0;
	case KEY_ENV_NAME: {
		/* The name of a variable, never the token itself, so no secret lands in
		 * a configuration file, a log or the history. */
		bool valid = strlen(value) < sizeof cfg->llm_api_key_env;

		for (const char *c = value; *c && valid; c++)
			valid = (*c >= 'A' && *c <= 'Z') || *c == '_' || (c > value && *c >= '0' && *c <= '9');
		if (!valid) {
			snprintf(err, err_size, "invalid value \"%.40s\" for %s: it accepts the name of an "
				 "environment variable (A-Z, 0-9, _), or nothing to send no token", value, key);
			return -1;
		}
		snprintf(base + spec->offset, sizeof cfg->llm_api_key_env, "%s", value);
		return 0;
	}
	case KEY_ENUM:
		for (int i = 0; spec->choices[i]; i++) {
			if (strcmp(spec->choices[i], value) == 0) {
				*(int *)(base + spec->offset) = i;
				return 0;
			}
		}
		{
			char list[128];

			describe_choices(spec->choices, list, sizeof list);
			snprintf(err, err_size, "invalid value \"%s\" for %s: use %s", value, key, list);
		}
		return -1;
	}
	return -1;
}

int config_set_pair(struct cascade_config *cfg, const char *pair, char *err, size_t err_size)
{
	const char *eq = strchr(pair, '=');
	char key[96];

	if (!eq || eq == pair || (size_t)(eq - pair) >= sizeof key) {
		snprintf(err, err_size, "invalid --set \"%s\": write KEY=VALUE, such as "
			 "thresholds.regex_only=0.7", pair);
		return -1;
	}
	memcpy(key, pair, (size_t)(eq - pair));
	key[eq - pair] = '\0';
	return config_set(cfg, key, eq + 1, err, err_size);
}

/* Applies one JSON value under a dotted key; objects recurse. */
static int apply_json(struct cascade_config *cfg, const char *prefix, json_t *value,
		      const char *path, char *err, size_t err_size)
{
	char text[CONFIG_URL_MAX];
	char msg[384];

	if (json_is_object(value)) {
		const char *name;
		json_t *child;

		json_object_foreach(value, name, child) {
			char key[128];

			snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", name);
			if (strcmp(key, "preset") == 0)
				continue;
			if (apply_json(cfg, key, child, path, err, err_size) < 0)
				return -1;
		}
		return 0;
	}
	if (json_is_string(value))
		snprintf(text, sizeof text, "%s", json_string_value(value));
	else if (json_is_integer(value))
		snprintf(text, sizeof text, "%lld", (long long)json_integer_value(value));
	else if (json_is_real(value))
		snprintf(text, sizeof text, "%.17g", json_real_value(value));
	else {
		snprintf(err, err_size, "%s: key \"%s\" needs a string or a number", path, prefix);
		return -1;
	}
	if (config_set(cfg, prefix, text, msg, sizeof msg) < 0) {
		snprintf(err, err_size, "%s: %s", path, msg);
		return -1;
	}
	return 0;
}

int config_load_file(struct cascade_config *cfg, const char *path, char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	json_t *preset;
	int rc;

	if (!root) {
		if (jerr.line <= 0)
			snprintf(err, err_size, "%s: %s", path, jerr.text);
		else
			snprintf(err, err_size, "%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(err, err_size, "%s: the configuration must be a JSON object", path);
		json_decref(root);
		return -1;
	}
	preset = json_object_get(root, "preset");
	if (preset) {
		char msg[256];

		if (!json_is_string(preset) ||
		    config_preset(cfg, json_string_value(preset), msg, sizeof msg) < 0) {
			snprintf(err, err_size, "%s: %s", path, json_is_string(preset) ? msg :
				 "\"preset\" needs a string: performance, balanced or quality");
			json_decref(root);
			return -1;
		}
	}
	rc = apply_json(cfg, "", root, path, err, err_size);
	json_decref(root);
	return rc;
}

static const char *const mode_names[] = { "hybrid", "regex", "rules", "llm" };

int config_mode_from_name(const char *name, enum cascade_mode *mode)
{
	for (int i = 0; i < 4; i++) {
		if (strcmp(mode_names[i], name) == 0) {
			*mode = (enum cascade_mode)i;
			return 0;
		}
	}
	return -1;
}

const char *config_mode_name(enum cascade_mode mode)
{
	return (int)mode >= 0 && mode <= MODE_LLM ? mode_names[mode] : "?";
}

const char *config_llm_backend_name(enum llm_backend backend)
{
	return (int)backend >= 0 && backend <= LLM_REPLAY ? llm_backends[backend] : "?";
}

const char *config_rules_backend_name(enum rules_backend backend)
{
	return (int)backend >= 0 && backend <= RULES_DUCKLING ? rules_backends[backend] : "?";
}
