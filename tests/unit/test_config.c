/*
 * Configuration: every value of the three presets, every key of config_set
 * with accepted and rejected values and the messages that name the key,
 * KEY=VALUE pairs, JSON files with nested and dotted keys, a "preset" key,
 * malformed files, and the mode and backend names.
 *
 * The JSON fixtures are under tests/data/engine/; paths are relative to
 * the repository root, where `make unit-test` runs the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/config.h"

#define DATA_DIR "tests/data/engine/"

/* Exact comparison of doubles: every expected value is the same literal
 * that the code under test parses or stores. */
#define assert_double_exact(actual, expected)                                     \
	do {                                                                      \
		double a_ = (actual);                                             \
		double e_ = (expected);                                           \
		if (a_ != e_)                                                     \
			fail_msg("%s is %.17g, expected %.17g", #actual, a_, e_);    \
	} while (0)

static struct cascade_config balanced(void)
{
	struct cascade_config cfg;
	char err[256] = "";

	if (config_preset(&cfg, "balanced", err, sizeof err) != 0)
		fail_msg("config_preset(balanced): %s", err);
	return cfg;
}

static void test_config_preset_performance(void **state)
{
	struct cascade_config cfg;
	char err[256] = "";

	(void)state;
	assert_int_equal(config_preset(&cfg, "performance", err, sizeof err), 0);
	assert_string_equal(cfg.preset, "performance");
	assert_double_exact(cfg.regex_only, 0.75);
	assert_double_exact(cfg.deterministic_backup, 0.5);
	assert_double_exact(cfg.llm_enhancement, 0.0);
	assert_string_equal(cfg.llm_model, "llama3.2:1b");
	assert_double_exact(cfg.llm_temperature, 0.0);
	assert_int_equal(cfg.llm_max_tokens, 150);
	assert_double_exact(cfg.llm_timeout_s, 1.5);
	assert_int_equal(cfg.llm_max_retries, 1);
	assert_int_equal(cfg.llm_context_limit, 300);
}

static void test_config_preset_balanced(void **state)
{
	struct cascade_config cfg;
	char err[256] = "";

	(void)state;
	assert_int_equal(config_preset(&cfg, "balanced", err, sizeof err), 0);
	assert_string_equal(cfg.preset, "balanced");
	assert_double_exact(cfg.regex_only, 0.8);
	assert_double_exact(cfg.deterministic_backup, 0.6);
	assert_double_exact(cfg.llm_enhancement, 0.0);
	assert_string_equal(cfg.llm_model, "llama3.2:3b");
	assert_double_exact(cfg.llm_temperature, 0.0);
	assert_int_equal(cfg.llm_max_tokens, 200);
	assert_double_exact(cfg.llm_timeout_s, 3.0);
	assert_int_equal(cfg.llm_max_retries, 2);
	assert_int_equal(cfg.llm_context_limit, 500);
}

static void test_config_preset_quality(void **state)
{
	struct cascade_config cfg;
	char err[256] = "";

	(void)state;
	assert_int_equal(config_preset(&cfg, "quality", err, sizeof err), 0);
	assert_string_equal(cfg.preset, "quality");
	assert_double_exact(cfg.regex_only, 0.85);
	assert_double_exact(cfg.deterministic_backup, 0.7);
	assert_double_exact(cfg.llm_enhancement, 0.0);
	assert_string_equal(cfg.llm_model, "llama3.1:8b");
	assert_double_exact(cfg.llm_temperature, 0.1);
	assert_int_equal(cfg.llm_max_tokens, 300);
	assert_double_exact(cfg.llm_timeout_s, 5.0);
	assert_int_equal(cfg.llm_max_retries, 3);
	assert_int_equal(cfg.llm_context_limit, 800);
}

static void test_config_preset_shared_defaults(void **state)
{
	static const char *const names[] = { "performance", "balanced", "quality" };

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct cascade_config cfg;
		char err[256] = "";

		assert_int_equal(config_preset(&cfg, names[i], err, sizeof err), 0);
		assert_int_equal(cfg.mode, MODE_HYBRID);
		assert_int_equal(cfg.rules_backend, RULES_BUILTIN);
		assert_string_equal(cfg.duckling_url, "http://localhost:8000/parse");
		assert_double_exact(cfg.duckling_timeout_s, 1.0);
		assert_int_equal(cfg.llm_backend, LLM_OLLAMA);
		assert_string_equal(cfg.llm_url, "http://127.0.0.1:11434");
		assert_int_equal(cfg.llm_concurrency, 4);
		assert_int_equal(cfg.cache_l1_entries, 500);
		assert_int_equal(cfg.cache_ttl_s, 3600);
	}
}

static void test_config_preset_replaces_overrides(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "llm.max_tokens", "42", err, sizeof err), 0);
	assert_int_equal(config_preset(&cfg, "performance", err, sizeof err), 0);
	assert_int_equal(cfg.llm_max_tokens, 150);
}

static void test_config_preset_unknown(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_preset(&cfg, "fast", err, sizeof err), -1);
	assert_string_equal(err, "unknown preset \"fast\": use performance, balanced or quality");

	/* Names are case-sensitive, and a failed call leaves cfg as it was. */
	assert_int_equal(config_preset(&cfg, "Balanced", err, sizeof err), -1);
	assert_string_equal(cfg.preset, "balanced");
}

static void test_config_set_thresholds(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "thresholds.regex_only", "0.7", err, sizeof err), 0);
	assert_double_exact(cfg.regex_only, 0.7);
	assert_int_equal(config_set(&cfg, "thresholds.deterministic_backup", "0.55", err,
				    sizeof err), 0);
	assert_double_exact(cfg.deterministic_backup, 0.55);
	assert_int_equal(config_set(&cfg, "thresholds.llm_enhancement", "0.9", err, sizeof err), 0);
	assert_double_exact(cfg.llm_enhancement, 0.9);

	/* Both ends of [0, 1] are accepted. */
	assert_int_equal(config_set(&cfg, "thresholds.regex_only", "0", err, sizeof err), 0);
	assert_double_exact(cfg.regex_only, 0.0);
	assert_int_equal(config_set(&cfg, "thresholds.regex_only", "1", err, sizeof err), 0);
	assert_double_exact(cfg.regex_only, 1.0);
}

static void test_config_set_threshold_rejects(void **state)
{
	static const char *const invalid[] = {
		"1.01", "-0.1", "abc", "", "0.5x", "nan", "inf", "0.7 "
	};
	struct cascade_config cfg = balanced();

	(void)state;
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		char err[256] = "";
		char expected[256];

		assert_int_equal(config_set(&cfg, "thresholds.regex_only", invalid[i], err,
					    sizeof err), -1);
		snprintf(expected, sizeof expected, "invalid value \"%s\" for "
			 "thresholds.regex_only: it accepts a number from 0 to 1", invalid[i]);
		assert_string_equal(err, expected);
		assert_double_exact(cfg.regex_only, 0.8);
	}
}

static void test_config_set_positive_numbers(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "duckling.timeout_s", "2.5", err, sizeof err), 0);
	assert_double_exact(cfg.duckling_timeout_s, 2.5);
	assert_int_equal(config_set(&cfg, "llm.temperature", "0.3", err, sizeof err), 0);
	assert_double_exact(cfg.llm_temperature, 0.3);
	assert_int_equal(config_set(&cfg, "llm.timeout_s", "0.25", err, sizeof err), 0);
	assert_double_exact(cfg.llm_timeout_s, 0.25);
	assert_int_equal(config_set(&cfg, "llm.timeout_s", "86400", err, sizeof err), 0);
	assert_double_exact(cfg.llm_timeout_s, 86400.0);

	assert_int_equal(config_set(&cfg, "duckling.timeout_s", "-1", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"-1\" for duckling.timeout_s: it accepts a "
			    "number from 0 to 86400");
	assert_double_exact(cfg.duckling_timeout_s, 2.5);

	assert_int_equal(config_set(&cfg, "llm.timeout_s", "86401", err, sizeof err), -1);
	assert_non_null(strstr(err, "llm.timeout_s"));
	assert_int_equal(config_set(&cfg, "llm.temperature", "warm", err, sizeof err), -1);
	assert_non_null(strstr(err, "llm.temperature"));
	assert_int_equal(config_set(&cfg, "llm.temperature", "2.5", err, sizeof err), -1);
	assert_non_null(strstr(err, "from 0 to 2"));
}

static void test_config_set_integers(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "llm.max_tokens", "1", err, sizeof err), 0);
	assert_int_equal(cfg.llm_max_tokens, 1);
	assert_int_equal(config_set(&cfg, "llm.max_tokens", "100000", err, sizeof err), 0);
	assert_int_equal(cfg.llm_max_tokens, 100000);
	assert_int_equal(config_set(&cfg, "llm.max_retries", "0", err, sizeof err), 0);
	assert_int_equal(cfg.llm_max_retries, 0);
	assert_int_equal(config_set(&cfg, "llm.max_retries", "20", err, sizeof err), 0);
	assert_int_equal(cfg.llm_max_retries, 20);
	assert_int_equal(config_set(&cfg, "llm.context_limit", "1000000", err, sizeof err), 0);
	assert_int_equal(cfg.llm_context_limit, 1000000);
	assert_int_equal(config_set(&cfg, "llm.concurrency", "256", err, sizeof err), 0);
	assert_int_equal(cfg.llm_concurrency, 256);
	assert_int_equal(config_set(&cfg, "cache.l1_entries", "0", err, sizeof err), 0);
	assert_int_equal(cfg.cache_l1_entries, 0);
	assert_int_equal(config_set(&cfg, "cache.l1_entries", "10000000", err, sizeof err), 0);
	assert_int_equal(cfg.cache_l1_entries, 10000000);
	assert_int_equal(config_set(&cfg, "cache.ttl_s", "31536000", err, sizeof err), 0);
	assert_int_equal(cfg.cache_ttl_s, 31536000);
}

static void test_config_set_integer_rejects(void **state)
{
	struct integer_case {
		const char *key;
		const char *value;
		const char *message;
	};
	static const struct integer_case cases[] = {
		{ "llm.max_tokens", "0",
		  "invalid value \"0\" for llm.max_tokens: it accepts a whole number from 1 to 100000" },
		{ "llm.max_tokens", "100001",
		  "invalid value \"100001\" for llm.max_tokens: it accepts a whole number from 1 to "
		  "100000" },
		{ "llm.max_tokens", "1.5",
		  "invalid value \"1.5\" for llm.max_tokens: it accepts a whole number from 1 to 100000" },
		{ "llm.max_tokens", "1e3",
		  "invalid value \"1e3\" for llm.max_tokens: it accepts a whole number from 1 to 100000" },
		{ "llm.max_tokens", "",
		  "invalid value \"\" for llm.max_tokens: it accepts a whole number from 1 to 100000" },
		{ "llm.max_tokens", "99999999999999999999",
		  "invalid value \"99999999999999999999\" for llm.max_tokens: it accepts a whole "
		  "number from 1 to 100000" },
		{ "llm.max_retries", "21",
		  "invalid value \"21\" for llm.max_retries: it accepts a whole number from 0 to 20" },
		{ "llm.max_retries", "-1",
		  "invalid value \"-1\" for llm.max_retries: it accepts a whole number from 0 to 20" },
		{ "llm.context_limit", "0",
		  "invalid value \"0\" for llm.context_limit: it accepts a whole number from 1 to "
		  "1000000" },
		{ "llm.concurrency", "257",
		  "invalid value \"257\" for llm.concurrency: it accepts a whole number from 1 to 256" },
		{ "cache.l1_entries", "-1",
		  "invalid value \"-1\" for cache.l1_entries: it accepts a whole number from 0 to "
		  "10000000" },
		{ "cache.ttl_s", "31536001",
		  "invalid value \"31536001\" for cache.ttl_s: it accepts a whole number from 0 to "
		  "31536000" },
		{ "cache.ttl_s", "12abc",
		  "invalid value \"12abc\" for cache.ttl_s: it accepts a whole number from 0 to "
		  "31536000" },
	};
	struct cascade_config cfg = balanced();
	struct cascade_config before = cfg;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[256] = "";

		assert_int_equal(config_set(&cfg, cases[i].key, cases[i].value, err, sizeof err), -1);
		assert_string_equal(err, cases[i].message);
	}
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_config_set_urls(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";
	char long_url[CONFIG_URL_MAX + 1];

	(void)state;
	assert_int_equal(config_set(&cfg, "duckling.url", "https://duckling.example/parse", err,
				    sizeof err), 0);
	assert_string_equal(cfg.duckling_url, "https://duckling.example/parse");
	assert_int_equal(config_set(&cfg, "llm.url", "http://127.0.0.1:8080", err, sizeof err), 0);
	assert_string_equal(cfg.llm_url, "http://127.0.0.1:8080");

	assert_int_equal(config_set(&cfg, "llm.url", "ftp://127.0.0.1", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"ftp://127.0.0.1\" for llm.url: it accepts an "
			    "http:// or https:// URL");
	assert_int_equal(config_set(&cfg, "duckling.url", "localhost:8000", err, sizeof err), -1);
	assert_non_null(strstr(err, "duckling.url"));

	/* CONFIG_URL_MAX bytes do not fit with the terminator, but one byte less does. */
	memset(long_url, 'a', sizeof long_url);
	memcpy(long_url, "http://", 7);
	long_url[CONFIG_URL_MAX] = '\0';
	assert_int_equal(config_set(&cfg, "llm.url", long_url, err, sizeof err), -1);
	assert_string_equal(err, "value for llm.url is longer than 255 bytes");
	assert_string_equal(cfg.llm_url, "http://127.0.0.1:8080");

	long_url[CONFIG_URL_MAX - 1] = '\0';
	assert_int_equal(config_set(&cfg, "llm.url", long_url, err, sizeof err), 0);
	assert_int_equal(strlen(cfg.llm_url), CONFIG_URL_MAX - 1);
}

static void test_config_set_model_name(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";
	char name[sizeof cfg.llm_model + 1];

	(void)state;
	assert_int_equal(config_set(&cfg, "llm.model", "mistral:7b", err, sizeof err), 0);
	assert_string_equal(cfg.llm_model, "mistral:7b");

	assert_int_equal(config_set(&cfg, "llm.model", "", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"\" for llm.model: it accepts a name of 1 to 63 "
			    "bytes");

	memset(name, 'm', sizeof name);
	name[sizeof cfg.llm_model] = '\0';
	assert_int_equal(config_set(&cfg, "llm.model", name, err, sizeof err), -1);
	assert_non_null(strstr(err, "for llm.model: it accepts a name of 1 to 63 bytes"));
	assert_string_equal(cfg.llm_model, "mistral:7b");

	name[sizeof cfg.llm_model - 1] = '\0';
	assert_int_equal(config_set(&cfg, "llm.model", name, err, sizeof err), 0);
	assert_string_equal(cfg.llm_model, name);
}

static void test_config_set_backends(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "rules.backend", "duckling", err, sizeof err), 0);
	assert_int_equal(cfg.rules_backend, RULES_DUCKLING);
	assert_int_equal(config_set(&cfg, "rules.backend", "builtin", err, sizeof err), 0);
	assert_int_equal(cfg.rules_backend, RULES_BUILTIN);

	assert_int_equal(config_set(&cfg, "llm.backend", "ollama", err, sizeof err), 0);
	assert_int_equal(cfg.llm_backend, LLM_OLLAMA);
	assert_int_equal(config_set(&cfg, "llm.backend", "openai", err, sizeof err), 0);
	assert_int_equal(cfg.llm_backend, LLM_OPENAI);
	assert_int_equal(config_set(&cfg, "llm.backend", "replay", err, sizeof err), 0);
	assert_int_equal(cfg.llm_backend, LLM_REPLAY);
	assert_int_equal(config_set(&cfg, "llm.backend", "off", err, sizeof err), 0);
	assert_int_equal(cfg.llm_backend, LLM_OFF);

	assert_int_equal(config_set(&cfg, "rules.backend", "Duckling", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"Duckling\" for rules.backend: use builtin, "
			    "duckling");
	assert_int_equal(config_set(&cfg, "llm.backend", "gpt", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"gpt\" for llm.backend: use off, ollama, openai, "
			    "replay");
	assert_int_equal(cfg.rules_backend, RULES_BUILTIN);
	assert_int_equal(cfg.llm_backend, LLM_OFF);
}

static void test_config_set_mode(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "mode", "regex", err, sizeof err), 0);
	assert_int_equal(cfg.mode, MODE_REGEX);
	assert_int_equal(config_set(&cfg, "mode", "fast", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"fast\" for mode: use hybrid, regex, rules or llm");
	assert_int_equal(cfg.mode, MODE_REGEX);
}

static void test_config_set_unknown_key(void **state)
{
	struct cascade_config cfg = balanced();
	struct cascade_config before = cfg;
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set(&cfg, "llm.modle", "x", err, sizeof err), -1);
	assert_string_equal(err, "unknown configuration key \"llm.modle\": run caltune parse "
			    "--help for the list of keys");
	assert_int_equal(config_set(&cfg, "regex_only", "0.5", err, sizeof err), -1);
	assert_int_equal(config_set(&cfg, "", "0.5", err, sizeof err), -1);
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

/* One accepted and one rejected value for every key config_key_at lists,
 * so a new key fails this test until it is covered here. */
static void test_config_every_key(void **state)
{
	struct key_case {
		const char *key;
		const char *valid;
		const char *invalid;
	};
	static const struct key_case cases[] = {
		{ "thresholds.regex_only", "0.5", "2" },
		{ "thresholds.deterministic_backup", "0.5", "-0.5" },
		{ "thresholds.llm_enhancement", "0.5", "high" },
		{ "rules.backend", "builtin", "spacy" },
		{ "duckling.url", "http://localhost:9000/parse", "localhost" },
		{ "duckling.timeout_s", "1.5", "-2" },
		{ "llm.backend", "off", "claude" },
		{ "llm.url", "https://example.org", "example.org" },
		{ "llm.model", "llama3.2:3b", "" },
		{ "llm.temperature", "0.2", "-0.2" },
		{ "llm.max_tokens", "64", "0" },
		{ "llm.timeout_s", "4", "x" },
		{ "llm.max_retries", "2", "100" },
		{ "llm.context_limit", "400", "0" },
		{ "llm.concurrency", "8", "0" },
		{ "llm.api_key_env", "LLM_TOKEN", "lower-case" },
		{ "cache.l1_entries", "100", "-5" },
		{ "cache.ttl_s", "60", "1.5" },
	};
	size_t count = 0;

	(void)state;
	for (const char *key; (key = config_key_at(count)) != NULL; count++) {
		const struct key_case *c = NULL;
		struct cascade_config cfg = balanced();
		char err[256] = "";

		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
			if (strcmp(cases[i].key, key) == 0)
				c = &cases[i];
		if (!c)
			fail_msg("key \"%s\" has no case in this test", key);
		if (config_set(&cfg, key, c->valid, err, sizeof err) != 0)
			fail_msg("%s=%s rejected: %s", key, c->valid, err);
		if (config_set(&cfg, key, c->invalid, err, sizeof err) != -1)
			fail_msg("%s=%s accepted", key, c->invalid);
		if (!strstr(err, key))
			fail_msg("message for %s does not name the key: %s", key, err);
	}
	assert_int_equal(count, sizeof cases / sizeof cases[0]);
}

static void test_config_set_pair(void **state)
{
	struct cascade_config cfg = balanced();
	char err[256] = "";

	(void)state;
	assert_int_equal(config_set_pair(&cfg, "thresholds.regex_only=0.7", err, sizeof err), 0);
	assert_double_exact(cfg.regex_only, 0.7);
	assert_int_equal(config_set_pair(&cfg, "mode=rules", err, sizeof err), 0);
	assert_int_equal(cfg.mode, MODE_RULES);

	/* The first '=' splits, so a value may contain more. */
	assert_int_equal(config_set_pair(&cfg, "llm.model=a=b", err, sizeof err), 0);
	assert_string_equal(cfg.llm_model, "a=b");

	assert_int_equal(config_set_pair(&cfg, "llm.model=", err, sizeof err), -1);
	assert_string_equal(err, "invalid value \"\" for llm.model: it accepts a name of 1 to 63 "
			    "bytes");
	assert_int_equal(config_set_pair(&cfg, "llm.modle=x", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown configuration key \"llm.modle\""));
}

static void test_config_set_pair_malformed(void **state)
{
	static const char *const invalid[] = { "thresholds.regex_only", "=0.7", "" };
	struct cascade_config cfg = balanced();
	struct cascade_config before = cfg;
	char long_pair[200];

	(void)state;
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		char err[256] = "";
		char expected[256];

		assert_int_equal(config_set_pair(&cfg, invalid[i], err, sizeof err), -1);
		snprintf(expected, sizeof expected, "invalid --set \"%s\": write KEY=VALUE, such "
			 "as thresholds.regex_only=0.7", invalid[i]);
		assert_string_equal(err, expected);
	}

	/* A key too long to be any known key. */
	memset(long_pair, 'k', sizeof long_pair);
	strcpy(long_pair + 150, "=1");
	{
		char err[512] = "";

		assert_int_equal(config_set_pair(&cfg, long_pair, err, sizeof err), -1);
		assert_non_null(strstr(err, "invalid --set"));
	}
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_config_file_nested(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-nested.json", err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_double_exact(cfg.regex_only, 0.7);
	assert_double_exact(cfg.deterministic_backup, 0.55);
	assert_string_equal(cfg.llm_model, "mistral:7b");
	assert_int_equal(cfg.llm_max_tokens, 250);
	assert_double_exact(cfg.llm_timeout_s, 2.5);
	assert_int_equal(cfg.cache_l1_entries, 0);

	/* Keys the file does not name keep the preset's values. */
	assert_string_equal(cfg.preset, "balanced");
	assert_int_equal(cfg.llm_max_retries, 2);
	assert_int_equal(cfg.llm_context_limit, 500);
}

static void test_config_file_dotted(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-dotted.json", err, sizeof err), 0);
	assert_double_exact(cfg.regex_only, 0.65);
	assert_int_equal(cfg.llm_max_retries, 4);
	assert_int_equal(cfg.rules_backend, RULES_BUILTIN);
	assert_double_exact(cfg.duckling_timeout_s, 1.0);
	assert_int_equal(cfg.mode, MODE_RULES);
}

static void test_config_file_preset_first(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;

	/* "preset" comes last in the file but applies first, so the file's
	 * own key still wins over the preset. */
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-preset.json", err, sizeof err), 0);
	assert_string_equal(cfg.preset, "quality");
	assert_int_equal(cfg.llm_max_tokens, 42);
	assert_double_exact(cfg.regex_only, 0.85);
	assert_string_equal(cfg.llm_model, "llama3.1:8b");
}

static void test_config_file_malformed(void **state)
{
	static const char prefix[] = DATA_DIR "config-malformed.json:4: ";
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-malformed.json", err, sizeof err),
			 -1);
	assert_memory_equal(err, prefix, sizeof prefix - 1);
	assert_true(strlen(err) > sizeof prefix - 1);
}

static void test_config_file_duplicate_key(void **state)
{
	static const char prefix[] = DATA_DIR "config-duplicate.json:3: ";
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-duplicate.json", err, sizeof err),
			 -1);
	assert_memory_equal(err, prefix, sizeof prefix - 1);
	assert_non_null(strstr(err, "mode"));
}

static void test_config_file_missing(void **state)
{
	static const char prefix[] = DATA_DIR "no-such-file.json: ";
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "no-such-file.json", err, sizeof err), -1);
	assert_memory_equal(err, prefix, sizeof prefix - 1);
	assert_true(strlen(err) > sizeof prefix - 1);
}

static void test_config_file_unknown_key(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-unknown-key.json", err, sizeof err),
			 -1);
	assert_string_equal(err, DATA_DIR "config-unknown-key.json: unknown configuration key "
			    "\"thresholds.regex_onyl\": run caltune parse --help for the list of "
			    "keys");
}

static void test_config_file_bad_value(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-bad-value.json", err, sizeof err),
			 -1);
	assert_string_equal(err, DATA_DIR "config-bad-value.json: invalid value \"0\" for "
			    "llm.max_tokens: it accepts a whole number from 1 to 100000");
	assert_int_equal(cfg.llm_max_tokens, 200);
}

static void test_config_file_boolean_value(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-boolean.json", err, sizeof err), -1);
	assert_string_equal(err, DATA_DIR "config-boolean.json: key \"llm.max_tokens\" needs a "
			    "string or a number");
}

static void test_config_file_not_object(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-not-object.json", err, sizeof err),
			 -1);
	assert_string_equal(err, DATA_DIR "config-not-object.json: the configuration must be a "
			    "JSON object");
}

static void test_config_file_bad_preset(void **state)
{
	struct cascade_config cfg = balanced();
	char err[512] = "";

	(void)state;
	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-unknown-preset.json", err,
					  sizeof err), -1);
	assert_string_equal(err, DATA_DIR "config-unknown-preset.json: unknown preset \"fast\": use "
			    "performance, balanced or quality");

	assert_int_equal(config_load_file(&cfg, DATA_DIR "config-preset-number.json", err,
					  sizeof err), -1);
	assert_string_equal(err, DATA_DIR "config-preset-number.json: \"preset\" needs a string: "
			    "performance, balanced or quality");
	assert_string_equal(cfg.preset, "balanced");
}

static void test_config_mode_names(void **state)
{
	static const char *const names[] = { "hybrid", "regex", "rules", "llm" };
	enum cascade_mode mode = MODE_HYBRID;

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(config_mode_from_name(names[i], &mode), 0);
		assert_int_equal(mode, (enum cascade_mode)i);
		assert_string_equal(config_mode_name((enum cascade_mode)i), names[i]);
	}
	assert_int_equal(config_mode_from_name("Hybrid", &mode), -1);
	assert_int_equal(config_mode_from_name("", &mode), -1);
	assert_int_equal(mode, MODE_LLM);
	assert_string_equal(config_mode_name((enum cascade_mode)4), "?");
}

static void test_config_backend_names(void **state)
{
	(void)state;
	assert_string_equal(config_rules_backend_name(RULES_BUILTIN), "builtin");
	assert_string_equal(config_rules_backend_name(RULES_DUCKLING), "duckling");
	assert_string_equal(config_rules_backend_name((enum rules_backend)2), "?");
	assert_string_equal(config_llm_backend_name(LLM_OFF), "off");
	assert_string_equal(config_llm_backend_name(LLM_OLLAMA), "ollama");
	assert_string_equal(config_llm_backend_name(LLM_OPENAI), "openai");
	assert_string_equal(config_llm_backend_name(LLM_REPLAY), "replay");
	assert_string_equal(config_llm_backend_name((enum llm_backend)4), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_preset_performance),
		cmocka_unit_test(test_config_preset_balanced),
		cmocka_unit_test(test_config_preset_quality),
		cmocka_unit_test(test_config_preset_shared_defaults),
		cmocka_unit_test(test_config_preset_replaces_overrides),
		cmocka_unit_test(test_config_preset_unknown),
		cmocka_unit_test(test_config_set_thresholds),
		cmocka_unit_test(test_config_set_threshold_rejects),
		cmocka_unit_test(test_config_set_positive_numbers),
		cmocka_unit_test(test_config_set_integers),
		cmocka_unit_test(test_config_set_integer_rejects),
		cmocka_unit_test(test_config_set_urls),
		cmocka_unit_test(test_config_set_model_name),
		cmocka_unit_test(test_config_set_backends),
		cmocka_unit_test(test_config_set_mode),
		cmocka_unit_test(test_config_set_unknown_key),
		cmocka_unit_test(test_config_every_key),
		cmocka_unit_test(test_config_set_pair),
		cmocka_unit_test(test_config_set_pair_malformed),
		cmocka_unit_test(test_config_file_nested),
		cmocka_unit_test(test_config_file_dotted),
		cmocka_unit_test(test_config_file_preset_first),
		cmocka_unit_test(test_config_file_malformed),
		cmocka_unit_test(test_config_file_duplicate_key),
		cmocka_unit_test(test_config_file_missing),
		cmocka_unit_test(test_config_file_unknown_key),
		cmocka_unit_test(test_config_file_bad_value),
		cmocka_unit_test(test_config_file_boolean_value),
		cmocka_unit_test(test_config_file_not_object),
		cmocka_unit_test(test_config_file_bad_preset),
		cmocka_unit_test(test_config_mode_names),
		cmocka_unit_test(test_config_backend_names),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
