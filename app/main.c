/*
 * caltune's entry point: dispatches to a subcommand, or opens the terminal
 * UI when there is none. Only this file exits the process.
 */
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "tui", cmd_tui, "open the terminal UI (the default with no command)" },
	{ "parse", cmd_parse, "parse one text through the cascade, with --trace per tier" },
	{ "run", cmd_run, "rerun a corpus, record it in the history, print a summary" },
	{ "history", cmd_history, "list past runs, newest first" },
	{ "compare", cmd_compare, "compare two runs: accuracy, latency, changed cases" },
	{ "check", cmd_check, "run a corpus and fail on a regression against a baseline" },
	{ "import", cmd_import, "convert a Recognizers-Text or SLURP file into a corpus" },
	{ "llm", cmd_llm, "llm status: check the configured LLM server and its models" },
};

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: caltune [COMMAND] [options]\n\n"
		"A workbench for the caltune text-to-calendar event parser.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun caltune COMMAND --help for a command's options; caltune --version "
		"prints the version.\nExit status: 0 success, 1 a failed check or parse, 2 bad "
		"usage or input.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct command *command;

	if (argc < 2)
		return cmd_tui(0, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		if (argc > 2) {
			fprintf(stderr, "caltune: unexpected argument \"%s\" after --version: "
				"--version takes none\n", argv[2]);
			return CLI_EXIT_USAGE;
		}
		printf("caltune %s\n", CALTUNE_VERSION);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		command = find_command(argv[2]);
		if (command) {
			char help[] = "--help";
			char *help_argv[] = { help, NULL };

			return command->run(1, help_argv);
		}
		argv[1] = argv[2];
	} else if (argv[1][0] == '-') {
		/* Options without a command belong to the UI. */
		return cmd_tui(argc - 1, argv + 1);
	}

	command = find_command(argv[1]);
	if (!command) {
		size_t count = sizeof commands / sizeof commands[0];

		/* The list comes from the table, so a new command is never missing. */
		fprintf(stderr, "caltune: unknown command \"%s\": use ", argv[1]);
		for (size_t i = 0; i < count; i++)
			fprintf(stderr, "%s%s", commands[i].name, i + 2 < count ? ", " :
				i + 1 < count ? " or " : "");
		fprintf(stderr, " (caltune --help lists them)\n");
		return CLI_EXIT_USAGE;
	}
	return command->run(argc - 2, argv + 2);
}
