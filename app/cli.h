/*
 * Command-line plumbing shared by the commands. It has a small
 * long-option parser ("--name VALUE", "--name=VALUE", flags, "--" ends
 * options) and generated help. It applies the engine options that every
 * parsing command takes (--preset, --config, --set, --mode, in that order)
 * and resolves run ids for compare and check.
 *
 * Exit codes: CLI_EXIT_OK (0) success, CLI_EXIT_FAILED (1) a failed check
 * or parse, CLI_EXIT_USAGE (2) bad usage or input.
 *
 * Ownership: parsed values point into argv; nothing here allocates.
 */
#ifndef CALTUNE_CLI_H
#define CALTUNE_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/history.h"
#include "engine/config.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILED = 1, CLI_EXIT_USAGE = 2 };

#define CLI_ARGS_MAX 256
#define CLI_MESSAGE_MAX 1024

struct cli_option {
	const char *name;    /* without the leading "--" */
	const char *value;   /* placeholder shown in help ("FILE"); NULL for a flag */
	const char *help;    /* what the option sets, with its unit and default */
};

/* The options that select the configuration. */
#define CLI_CONFIG_OPTIONS \
	{ "preset", "NAME", "performance, balanced (default) or quality" }, \
	{ "config", "FILE", "JSON configuration applied over the preset" }, \
	{ "set", "KEY=VALUE", "override one configuration key, after --config; repeatable" }

/* The options that select and adjust the cascade's configuration. */
#define CLI_ENGINE_OPTIONS \
	CLI_CONFIG_OPTIONS, \
	{ "mode", "MODE", "hybrid (default, the cascade), regex, rules or llm: every field " \
			  "through that tier alone" }

#define CLI_DB_OPTION \
	{ "db", "FILE", "history database (default: $CALTUNE_DB, else " \
			"$XDG_DATA_HOME/caltune/history.db, else ~/.local/share/caltune/history.db)" }

/* The worker threads of a corpus run; `what` is "" or " for reruns". */
#define CLI_JOBS_OPTION(what) \
	{ "jobs", "N", "worker threads" what ", 1 to 256 (default: the processors online); at " \
		       "least llm.concurrency while the LLM tier can be called, else at most the " \
		       "processors online, since more would only wait for one and add that wait to " \
		       "the latencies" }

#define CLI_RECORD_OPTION \
	{ "no-record", NULL, "do not record the LLM's exchanges in the history database (with " \
			     "llm.backend=replay, recorded answers are still read)" }

/* A paragraph of --help on the LLM tier, for the commands that parse. */
#define CLI_LLM_HELP \
	"LLM tier: with llm.backend ollama (the default) or openai, the fields tiers 1 and 2 " \
	"leave\nbelow their thresholds go to the model at llm.url. Every exchange is recorded " \
	"in the\nhistory database unless --no-record is given, and llm.backend=replay answers " \
	"from those\nrecordings instead of a server. When the server is down, the lower tiers' " \
	"answers stand\nand the failures are counted. caltune llm status checks the server."

#define CLI_LOG_OPTION \
	{ "log", "FILE", "append a log of the command to FILE (default: no log)" }

#define CLI_HELP_OPTION { "help", NULL, "show this help and exit" }

struct cli_command {
	const char *name;
	const char *usage;         /* after "caltune NAME " */
	const char *summary;       /* one line */
	const char *details;       /* paragraphs after the options; NULL for none */
	const struct cli_option *options;
	size_t option_count;
	bool engine_keys;          /* list the configuration keys in the help */
};

struct cli_args {
	const struct cli_command *command;
	/* Options in the order given: index into command->options, and the
	 * value (NULL for a flag). */
	int option[CLI_ARGS_MAX];
	const char *value[CLI_ARGS_MAX];
	size_t count;
	const char *positional[CLI_ARGS_MAX];
	size_t positional_count;
};

/* Parses argv (the words after the command name). Returns 0, or -1 with
 * a message naming the word and the fix. */
int cli_parse(const struct cli_command *command, int argc, char **argv, struct cli_args *out,
	      char *err, size_t err_size);

/* The last value given for an option, or NULL. */
const char *cli_value(const struct cli_args *args, const char *name);
bool cli_flag(const struct cli_args *args, const char *name);

void cli_print_help(const struct cli_command *command);

/* Prints "caltune NAME: message" on stderr. */
void cli_error(const struct cli_command *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Builds the configuration: --preset (default balanced), then --config,
 * then each --set in order, then --mode. Returns 0, or -1 with a
 * message, also for --mode llm while llm.backend is off. */
int cli_build_config(const struct cli_args *args, struct cascade_config *cfg, char *err,
		     size_t err_size);

/* Parses a whole number in [min, max] given for an option. */
int cli_parse_long(const char *option, const char *text, long min, long max, long *out,
		   char *err, size_t err_size);

/* Parses a number in [min, max] given for an option. */
int cli_parse_double(const char *option, const char *text, double min, double max, double *out,
		     char *err, size_t err_size);

/* The history database path: --db, else history_default_path. */
int cli_db_path(const struct cli_args *args, char *out, size_t size, char *err, size_t err_size);

/* Opens --log FILE when given. Returns 0, or -1 with a message. */
int cli_open_log(const struct cli_args *args, char *err, size_t err_size);

/* Resolves a run reference: a run id, "latest" (the newest complete run
 * that was not cancelled) or "latest~N" (the Nth such run before it).
 * Returns 0, or -1 with a message naming the reference and the fix. */
int cli_resolve_run(struct history *h, const char *ref, int64_t *id, char *err,
		    size_t err_size);

/* Writes text for a terminal: control characters and bytes that are not
 * UTF-8 print as '?', so a text cannot move the cursor or change colours. */
void cli_put_text(FILE *f, const char *s, size_t len);

/* A JSON string of text that may not be UTF-8: invalid bytes become
 * U+FFFD. Returns a new reference. */
json_t *cli_json_text(const char *s, size_t len);

/* Jobs when --jobs is not given: the processors online, at most 64. */
int cli_default_jobs(void);

#endif
