/*
 * Option parsing, help and the shared option handling of the commands.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/log.h"
#include "engine/utf8.h"

static int find_option(const struct cli_command *command, const char *name, size_t len)
{
	for (size_t i = 0; i < command->option_count; i++)
		if (strlen(command->options[i].name) == len &&
		    strncmp(command->options[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int cli_parse(const struct cli_command *command, int argc, char **argv, struct cli_args *out,
	      char *err, size_t err_size)
{
	bool options_done = false;

	memset(out, 0, sizeof *out);
	out->command = command;
	for (int i = 0; i < argc; i++) {
		const char *word = argv[i];
		const char *name;
		const char *eq;
		int index;

		if (options_done || word[0] != '-' || strcmp(word, "-") == 0) {
			if (out->positional_count == CLI_ARGS_MAX) {
				snprintf(err, err_size, "too many arguments (more than %d)", CLI_ARGS_MAX);
				return -1;
			}
			out->positional[out->positional_count++] = word;
			continue;
		}
		if (strcmp(word, "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(word, "-h") == 0)
			word = "--help";
		if (word[1] != '-') {
			snprintf(err, err_size, "unknown option \"%s\": options are spelt out with two "
				 "dashes; run caltune %s --help for the list", word, command->name);
			return -1;
		}

		name = word + 2;
		eq = strchr(name, '=');
		index = find_option(command, name, eq ? (size_t)(eq - name) : strlen(name));
		if (index < 0) {
			snprintf(err, err_size, "unknown option \"%.*s\" for %s: run caltune %s --help "
				 "for the list", (int)(eq ? eq - word : (long)strlen(word)), word,
				 command->name, command->name);
			return -1;
		}
		if (out->count == CLI_ARGS_MAX) {
			snprintf(err, err_size, "too many options (more than %d)", CLI_ARGS_MAX);
			return -1;
		}
		out->option[out->count] = index;
		if (!command->options[index].value) {
			if (eq) {
				snprintf(err, err_size, "option --%s takes no value (got \"%s\")",
					 command->options[index].name, eq + 1);
				return -1;
			}
			out->value[out->count++] = NULL;
			continue;
		}
		if (eq) {
			out->value[out->count++] = eq + 1;
		} else if (i + 1 < argc) {
			out->value[out->count++] = argv[++i];
		} else {
			snprintf(err, err_size, "option --%s needs a value: --%s %s",
				 command->options[index].name, command->options[index].name,
				 command->options[index].value);
			return -1;
		}
	}
	return 0;
}

const char *cli_value(const struct cli_args *args, const char *name)
{
	const char *value = NULL;

	for (size_t i = 0; i < args->count; i++)
		if (strcmp(args->command->options[args->option[i]].name, name) == 0)
			value = args->value[i];
	return value;
}

bool cli_flag(const struct cli_args *args, const char *name)
{
	for (size_t i = 0; i < args->count; i++)
		if (strcmp(args->command->options[args->option[i]].name, name) == 0)
			return true;
	return false;
}

void cli_print_help(const struct cli_command *command)
{
	size_t width = 0;

	printf("Usage: caltune %s %s\n\n%s\n\nOptions:\n", command->name, command->usage,
	       command->summary);
	for (size_t i = 0; i < command->option_count; i++) {
		const struct cli_option *o = &command->options[i];
		size_t w = strlen(o->name) + (o->value ? strlen(o->value) + 1 : 0);

		if (w > width)
			width = w;
	}
	for (size_t i = 0; i < command->option_count; i++) {
		const struct cli_option *o = &command->options[i];
		char left[128];

		snprintf(left, sizeof left, "%s%s%s", o->name, o->value ? " " : "",
			 o->value ? o->value : "");
		printf("  --%-*s  %s\n", (int)width, left, o->help);
	}
	if (command->details)
		printf("\n%s\n", command->details);
	if (command->engine_keys) {
		printf("\nConfiguration keys for --set and --config (the preset gives the defaults):\n");
		for (size_t i = 0; config_key_at(i); i++)
			printf("  %s\n", config_key_at(i));
	}
}

void cli_error(const struct cli_command *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "caltune %s: ", command->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_build_config(const struct cli_args *args, struct cascade_config *cfg, char *err,
		     size_t err_size)
{
	const char *preset = cli_value(args, "preset");
	const char *file = cli_value(args, "config");
	const char *mode = cli_value(args, "mode");
	struct stat st;

	if (config_preset(cfg, preset ? preset : "balanced", err, err_size) < 0)
		return -1;
	if (file && stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, err_size, "invalid --config %s: it is a folder, not a JSON file: pass "
			 "the path of a JSON settings file", file);
		return -1;
	}
	if (file && config_load_file(cfg, file, err, err_size) < 0)
		return -1;
	for (size_t i = 0; i < args->count; i++) {
		if (strcmp(args->command->options[args->option[i]].name, "set") != 0)
			continue;
		if (config_set_pair(cfg, args->value[i], err, err_size) < 0)
			return -1;
	}
	if (mode && config_mode_from_name(mode, &cfg->mode) < 0) {
		snprintf(err, err_size, "invalid --mode \"%s\": use hybrid, regex, rules or llm", mode);
		return -1;
	}
	if (cfg->mode == MODE_LLM && cfg->llm_backend == LLM_OFF) {
		snprintf(err, err_size, "--mode llm needs the llm tier, but llm.backend is off: set "
			 "llm.backend to ollama, openai or replay, or use another --mode");
		return -1;
	}
	return 0;
}


int cli_parse_long(const char *option, const char *text, long min, long max, long *out,
		   char *err, size_t err_size)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
		snprintf(err, err_size, "invalid --%s \"%s\": give a whole number from %ld to %ld",
			 option, text, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_double(const char *option, const char *text, double min, double max, double *out,
		     char *err, size_t err_size)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v < min || v > max) {
		snprintf(err, err_size, "invalid --%s \"%s\": give a number from %g to %g", option,
			 text, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_db_path(const struct cli_args *args, char *out, size_t size, char *err, size_t err_size)
{
	const char *db = cli_value(args, "db");

	if (db) {
		if (db[0] == '\0' || snprintf(out, size, "%s", db) >= (int)size) {
			snprintf(err, err_size, "invalid --db \"%.64s\": give a file path", db);
			return -1;
		}
		return 0;
	}
	if (history_default_path(out, size) < 0) {
		snprintf(err, err_size, "no history database path: set CALTUNE_DB, XDG_DATA_HOME or "
			 "HOME, or pass --db FILE");
		return -1;
	}
	return 0;
}

int cli_open_log(const struct cli_args *args, char *err, size_t err_size)
{
	const char *path = cli_value(args, "log");

	if (!path)
		return 0;
	return log_open(path, LOG_INFO, err, err_size);
}

int cli_resolve_run(struct history *h, const char *ref, int64_t *id, char *err,
		    size_t err_size)
{
	struct run_record run;
	char *end;
	long skip = 0;
	int rc;

	if (strncmp(ref, "latest", 6) == 0) {
		if (ref[6] == '~') {
			errno = 0;
			skip = strtol(ref + 7, &end, 10);
			if (errno != 0 || end == ref + 7 || *end != '\0' || skip < 0 || skip > 1000000) {
				snprintf(err, err_size, "invalid run \"%s\": write latest~N with N a whole "
					 "number, such as latest~1 for the run before the latest", ref);
				return -1;
			}
		} else if (ref[6] != '\0') {
			snprintf(err, err_size, "invalid run \"%s\": give a run id, latest or latest~N",
				 ref);
			return -1;
		}
		rc = history_latest_complete(h, (int)skip, id, err, err_size);
		if (rc == 1)
			snprintf(err, err_size, "no complete run for \"%s\" in %s: record one with "
				 "caltune run --corpus FILE", ref, history_path(h));
		return rc == 0 ? 0 : -1;
	}

	errno = 0;
	*id = strtoll(ref, &end, 10);
	if (errno != 0 || end == ref || *end != '\0' || *id <= 0) {
		snprintf(err, err_size, "invalid run \"%s\": give a run id (see caltune history), "
			 "latest or latest~N", ref);
		return -1;
	}
	rc = history_get_run(h, *id, &run, err, err_size);
	if (rc == 1)
		snprintf(err, err_size, "no run %s in %s: see caltune history for the run ids", ref,
			 history_path(h));
	return rc == 0 ? 0 : -1;
}

int cli_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 64 ? 64 : (int)n;
}

void cli_put_text(FILE *f, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i;
		uint32_t cp = utf8_next(s, len, &i);
		bool bad = cp == 0xFFFD && !(i - start == 3 && memcmp(s + start, "\xEF\xBF\xBD", 3) == 0);

		if (bad || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			fputc('?', f);
		else
			fwrite(s + start, 1, i - start, f);
	}
}

json_t *cli_json_text(const char *s, size_t len)
{
	char *buf;
	size_t n = 0;
	size_t i = 0;
	json_t *out;

	if (utf8_valid(s, len, NULL))
		return json_stringn(s, len);
	buf = malloc(len * 3 + 1);
	if (!buf)
		return json_null();
	while (i < len) {
		size_t start = i;
		uint32_t cp = utf8_next(s, len, &i);

		if (cp == 0xFFFD) {
			memcpy(buf + n, "\xEF\xBF\xBD", 3);
			n += 3;
		} else {
			memcpy(buf + n, s + start, i - start);
			n += i - start;
		}
	}
	out = json_stringn(buf, n);
	free(buf);
	return out ? out : json_null();
}
