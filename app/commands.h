/*
 * The subcommands of caltune. Each takes the words after its name and
 * returns the process exit code (CLI_EXIT_OK, CLI_EXIT_FAILED,
 * CLI_EXIT_USAGE from app/cli.h, or 130 after an interrupt).
 */
#ifndef CALTUNE_COMMANDS_H
#define CALTUNE_COMMANDS_H

#include <stdio.h>

int cmd_tui(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_llm(int argc, char **argv);

struct compare_result;

/* Prints a comparison as the compare command does; check reuses it. */
void cmd_compare_print(FILE *f, const struct compare_result *result);

/* Exit code of a run stopped by SIGINT or SIGTERM, as shells report it. */
#define CMD_EXIT_INTERRUPTED 130

#endif
