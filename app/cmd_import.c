/*
 * caltune import: convert a labelled file of another project into a
 * corpus. `import recognizers FILE` reads a Recognizers-Text DateTime spec
 * file, and `import slurp FILE` reads SLURP JSON Lines. Both write corpus
 * JSON Lines to standard output or --out, and a summary to stderr.
 *
 * --out is written to a temporary file in the same folder and renamed over
 * FILE at the end, so an import that fails leaves an earlier file whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/corpus.h"
#include "app/import_recognizers.h"
#include "app/import_slurp.h"
#include "app/jsonfile.h"

/* Input files above this size are rejected rather than read into memory. */
#define IMPORT_FILE_MAX ((size_t)1 << 30)
/* Problems printed on stderr before the rest are only counted. */
#define ERRORS_SHOWN 20
#define PREFIX_MAX 64
#define SOURCE_MAX 256

#define OUT_OPTION \
	{ "out", "FILE", "write the corpus to FILE (default: standard output)" }
#define PREFIX_OPTION(example) \
	{ "prefix", "TEXT", "id prefix, followed by a 4-digit number (default: " example ")" }

static const struct cli_option recognizers_options[] = {
	OUT_OPTION,
	PREFIX_OPTION(RECOGNIZERS_DEFAULT_PREFIX),
	CLI_HELP_OPTION,
};

static const struct cli_option slurp_options[] = {
	OUT_OPTION,
	PREFIX_OPTION(SLURP_DEFAULT_PREFIX),
	{ "ref", "ISO", "every case's \"now\", UTC wall-clock time YYYY-MM-DDTHH:MM:SS, also used "
			"to resolve the start (default: " SLURP_DEFAULT_REF ")" },
	CLI_HELP_OPTION,
};

static const struct cli_option import_options[] = {
	CLI_HELP_OPTION,
};

#define EXIT_HELP \
	"Exit status: 0 the whole file was read, 2 bad usage, an unreadable FILE or --out, or " \
	"bad\ninput. Bad input is reported on stderr as FILE:LINE: message, and the cases around " \
	"it are\nstill written. Rows that the mapping leaves out are not errors: the summary " \
	"counts them\nby reason."

static const struct cli_command recognizers_command = {
	.name = "import recognizers",
	.usage = "FILE [options]",
	.summary = "Convert a Microsoft Recognizers-Text DateTime spec file (a JSON array such as\n"
		   "DateTimeModel.json) into corpus JSON Lines. A case is kept when it has one date "
		   "or time\nresult with one reading, a reference time and no modifier, and is "
		   "supported in\njavascript. Start and end come from the resolved value. Ids are "
		   "PREFIX0001, PREFIX0002 ...",
	.details = EXIT_HELP,
	.options = recognizers_options,
	.option_count = sizeof recognizers_options / sizeof recognizers_options[0],
	.engine_keys = false,
};

static const struct cli_command slurp_command = {
	.name = "import slurp",
	.usage = "FILE [options]",
	.summary = "Convert SLURP JSON Lines into corpus JSON Lines. Rows of scenario calendar and "
		   "action set\nare kept. Location comes from the place_name slot, and attendees "
		   "from the person slots\nafter \"with\" or \"meet\". Start comes from the date "
		   "and time slots as caltune's own grammar\nreads them (rules tier, no LLM, at "
		   "--ref), and such cases are tagged start-by-caltune.\nA row with nothing to "
		   "label is left out. Ids are PREFIX0001, PREFIX0002 ...",
	.details = EXIT_HELP,
	.options = slurp_options,
	.option_count = sizeof slurp_options / sizeof slurp_options[0],
	.engine_keys = false,
};

static const struct cli_command import_command = {
	.name = "import",
	.usage = "recognizers|slurp FILE [--out FILE] [--prefix TEXT] [--ref ISO]",
	.summary = "Convert a labelled file of another project into a corpus (JSON Lines) with a "
		   "summary\non stderr of the cases written and the rows left out, by reason.",
	.details = "Formats:\n"
		   "  recognizers  Microsoft Recognizers-Text DateTime spec file (JSON array)\n"
		   "  slurp        SLURP JSON Lines (calendar_set rows)\n\n"
		   "Run caltune import FORMAT --help for a format's options and mapping.\n\n"
		   EXIT_HELP,
	.options = import_options,
	.option_count = sizeof import_options / sizeof import_options[0],
	.engine_keys = false,
};

/* The destination of the cases, and the problems reported on the way. */
struct output {
	FILE *file;
	const char *path;            /* --out, or NULL for standard output */
	char temp_path[4096];        /* the file being written for --out */
	int write_errno;             /* the first failed write, or 0 */
	bool discarded;              /* nothing was written, so --out was left as it was */
	size_t errors;               /* problems reported by the importer */
};

static int write_case(void *context, json_t *corpus_case)
{
	struct output *out = context;

	if (json_dumpf(corpus_case, out->file, 0) < 0 || fputc('\n', out->file) == EOF) {
		out->write_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static void show_error(void *context, const char *message)
{
	struct output *out = context;

	if (out->errors++ < ERRORS_SHOWN)
		fprintf(stderr, "%s\n", message);
}

/* Opens the output: standard output, or a temporary file beside --out.
 * Returns 0, or -1 with a message. */
static int open_output(struct output *out, const char *input, char *err, size_t err_size)
{
	struct stat in_st;
	struct stat out_st;
	mode_t mask;
	int fd;

	if (!out->path) {
		out->file = stdout;
		return 0;
	}
	if (stat(out->path, &out_st) == 0) {
		if (S_ISDIR(out_st.st_mode)) {
			snprintf(err, err_size, "--out %s is a folder: give a file path", out->path);
			return -1;
		}
		if (stat(input, &in_st) == 0 && in_st.st_dev == out_st.st_dev &&
		    in_st.st_ino == out_st.st_ino) {
			snprintf(err, err_size, "--out %s is the input file: write the corpus to "
				 "another file", out->path);
			return -1;
		}
	}
	if (snprintf(out->temp_path, sizeof out->temp_path, "%s.XXXXXX", out->path) >=
	    (int)sizeof out->temp_path) {
		snprintf(err, err_size, "--out path is too long");
		return -1;
	}
	fd = mkstemp(out->temp_path);
	if (fd < 0) {
		snprintf(err, err_size, "cannot create %.400s: %s", out->temp_path, strerror(errno));
		out->temp_path[0] = '\0';
		return -1;
	}
	/* mkstemp creates the file private; a corpus gets the usual mode. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(out->file = fdopen(fd, "w"))) {
		snprintf(err, err_size, "cannot write %.400s: %s", out->temp_path, strerror(errno));
		close(fd);
		unlink(out->temp_path);
		out->temp_path[0] = '\0';
		return -1;
	}
	return 0;
}

/* Finishes the output: renames the temporary file over --out when keep is
 * true, else removes it. Returns 0, or -1 with a message. */
static int close_output(struct output *out, bool keep, char *err, size_t err_size)
{
	int rc = 0;

	if (fflush(out->file) != 0 && !out->write_errno)
		out->write_errno = errno;
	if (out->path) {
		if (fclose(out->file) != 0 && !out->write_errno)
			out->write_errno = errno;
		if (keep && !out->write_errno && rename(out->temp_path, out->path) != 0) {
			snprintf(err, err_size, "cannot write %s: %s", out->path, strerror(errno));
			rc = -1;
		}
		if (!keep || out->write_errno || rc < 0)
			unlink(out->temp_path);
		out->discarded = !keep;
	}
	if (out->write_errno) {
		snprintf(err, err_size, "cannot write %s: %s", out->path ? out->path :
			 "standard output", strerror(out->write_errno));
		rc = -1;
	}
	return rc;
}

/* Checks --prefix: the ids must stay short and plain. */
static int check_prefix(const char *prefix, char *err, size_t err_size)
{
	size_t len = strlen(prefix);

	if (len == 0 || len > PREFIX_MAX || strspn(prefix, "abcdefghijklmnopqrstuvwxyz"
						   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") != len) {
		snprintf(err, err_size, "invalid --prefix \"%.80s\": use 1 to %d letters, digits and "
			 "- _ . :, such as rt-dtm-", prefix, PREFIX_MAX);
		return -1;
	}
	return 0;
}

static void print_count(const char *name, size_t count, const char *meaning)
{
	if (count > 0)
		fprintf(stderr, "  %6zu  %-18s %s\n", count, name, meaning);
}

static void print_header(const struct cli_command *command, const struct output *out,
			 const char *input, size_t read, const char *unit, size_t written,
			 size_t dropped, size_t bad)
{
	fprintf(stderr, "caltune %s: %s: %zu %s%s read, %zu case%s written %s %s, %zu left out, "
		"%zu bad\n", command->name, input, read, unit, read == 1 ? "" : "s", written,
		written == 1 ? "" : "s", out->discarded ? "and nothing changed in" : "to",
		out->path ? out->path : "standard output", dropped, bad);
	if (out->errors > ERRORS_SHOWN)
		fprintf(stderr, "  (%zu more problems not shown)\n", out->errors - ERRORS_SHOWN);
}

static void print_recognizers_summary(const struct output *out, const char *input,
				      const struct recognizers_stats *s)
{
	size_t dropped = 0;

	for (int r = 0; r < RECOGNIZERS_DROP_COUNT; r++)
		dropped += s->dropped[r];
	print_header(&recognizers_command, out, input, s->cases, "case", s->written, dropped,
		     s->bad);
	if (dropped > 0)
		fprintf(stderr, "left out, by reason:\n");
	for (int r = 0; r < RECOGNIZERS_DROP_COUNT; r++)
		print_count(recognizers_drop_name((enum recognizers_drop)r), s->dropped[r],
			    recognizers_drop_meaning((enum recognizers_drop)r));
}

static void print_slurp_summary(const struct output *out, const char *input,
				const struct slurp_stats *s)
{
	size_t dropped = 0;
	size_t without = 0;

	for (int r = 0; r < SLURP_DROP_COUNT; r++)
		dropped += s->dropped[r];
	for (int r = 0; r < SLURP_NO_START_COUNT; r++)
		without += s->no_start[r];
	print_header(&slurp_command, out, input, s->lines, "row", s->written, dropped, s->bad);
	if (dropped > 0)
		fprintf(stderr, "left out, by reason:\n");
	for (int r = 0; r < SLURP_DROP_COUNT; r++)
		print_count(slurp_drop_name((enum slurp_drop)r), s->dropped[r],
			    slurp_drop_meaning((enum slurp_drop)r));
	fprintf(stderr, "start from caltune's grammar on %zu cases; calendar_set rows without a "
		"start: %zu%s\n", s->started, without, without ? ", by reason:" : "");
	for (int r = 0; r < SLURP_NO_START_COUNT; r++)
		print_count(slurp_no_start_name((enum slurp_no_start)r), s->no_start[r],
			    slurp_no_start_meaning((enum slurp_no_start)r));
}

/* "recognizers-text:DateTimeModel.json": the format and the file's name. */
static void source_name(const char *format, const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');

	snprintf(out, size, "%s:%s", format, slash ? slash + 1 : path);
}

static int run_import(const struct cli_command *command, int argc, char **argv)
{
	bool slurp = command == &slurp_command;
	struct cli_args args;
	struct output out;
	struct recognizers_stats rstats;
	struct slurp_stats sstats;
	char err[CLI_MESSAGE_MAX];
	char source[SOURCE_MAX];
	const char *input;
	const char *prefix;
	const char *ref = NULL;
	struct cal_datetime ref_time = { .date = { 0, 0, 0 }, .hour = 0 };
	char *data;
	size_t size = 0;
	size_t written;
	int rc;

	if (cli_parse(command, argc, argv, &args, err, sizeof err) < 0) {
		cli_error(command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (cli_flag(&args, "help")) {
		cli_print_help(command);
		return CLI_EXIT_OK;
	}
	if (args.positional_count != 1) {
		cli_error(command, args.positional_count == 0 ?
			  "missing FILE: caltune %s FILE [--out FILE]%s" :
			  "give one FILE: caltune %s FILE [--out FILE]%s", command->name,
			  slurp ? " [--ref ISO]" : "");
		return CLI_EXIT_USAGE;
	}
	input = args.positional[0];
	prefix = cli_value(&args, "prefix");
	if (prefix && check_prefix(prefix, err, sizeof err) < 0) {
		cli_error(command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (slurp) {
		ref = cli_value(&args, "ref");
		if (!corpus_parse_ref(ref ? ref : SLURP_DEFAULT_REF, &ref_time)) {
			cli_error(command, "invalid --ref \"%s\": write a date and time as "
				  "YYYY-MM-DDTHH:MM:SS, such as " SLURP_DEFAULT_REF, ref);
			return CLI_EXIT_USAGE;
		}
	}

	data = jsonfile_read(input, "", IMPORT_FILE_MAX, &size, err, sizeof err);
	if (!data) {
		cli_error(command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	memset(&out, 0, sizeof out);
	out.path = cli_value(&args, "out");
	if (open_output(&out, input, err, sizeof err) < 0) {
		cli_error(command, "%s", err);
		free(data);
		return CLI_EXIT_USAGE;
	}

	if (slurp) {
		struct slurp_options options = { .prefix = prefix, .source = source, .ref = ref_time };
		struct slurp_sink sink = { write_case, show_error, &out };

		source_name("slurp", input, source, sizeof source);
		rc = slurp_import(input, data, size, &options, &sink, &sstats);
		written = sstats.written;
	} else {
		struct recognizers_options options = { .prefix = prefix, .source = source };
		struct recognizers_sink sink = { write_case, show_error, &out };

		source_name("recognizers-text", input, source, sizeof source);
		rc = recognizers_import(input, data, size, &options, &sink, &rstats);
		written = rstats.written;
	}
	free(data);

	/* A file that gave nothing, because it is not of the format, does not
	 * replace an earlier --out. A file cut short keeps what it gave. */
	if (close_output(&out, rc == 0 || written > 0, err, sizeof err) < 0) {
		cli_error(command, "%s", err);
		return CLI_EXIT_USAGE;
	}
	if (slurp)
		print_slurp_summary(&out, input, &sstats);
	else
		print_recognizers_summary(&out, input, &rstats);
	return rc < 0 || out.errors > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
	if (argc == 0) {
		cli_error(&import_command, "missing format: caltune import recognizers FILE or "
			  "caltune import slurp FILE (see caltune import --help)");
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		cli_print_help(&import_command);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[0], "recognizers") == 0)
		return run_import(&recognizers_command, argc - 1, argv + 1);
	if (strcmp(argv[0], "slurp") == 0)
		return run_import(&slurp_command, argc - 1, argv + 1);
	cli_error(&import_command, "unknown format \"%s\": use recognizers or slurp (see caltune "
		  "import --help)", argv[0]);
	return CLI_EXIT_USAGE;
}
