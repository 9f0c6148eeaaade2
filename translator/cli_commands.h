/*
 * The subcommands of the nat6to4 command-line tool, one file each
 * (cli_translate.c, cli_map.c, cli_check.c), and the pieces they share.
 * Each command gets argv from its own name on and returns the exit status:
 * 0 done, 2 usage error / bad configuration / unreadable input.
 */
#ifndef NAT6TO4_CLI_COMMANDS_H
#define NAT6TO4_CLI_COMMANDS_H

#include "nat6to4.h"
#include <stdio.h>

#define CLI_EXIT_OK    0
#define CLI_EXIT_USAGE 2 /* also: bad config, unreadable capture, refused overwrite */

int cli_translate(int argc, char **argv);
int cli_map(int argc, char **argv);
int cli_check(int argc, char **argv);

/* Help texts (nat6to4.c). cli_help_for() returns NULL for an unknown name. */
const char *cli_help_for(const char *command);
void cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Read and parse a configuration file (cli_conf.c). On a parse error prints
 * the parser's "file:line:col: message", the offending line and a caret
 * under the column to `err`, and returns NULL.
 */
nat6to4_config *cli_load_config(const char *path, FILE *err);

#endif /* NAT6TO4_CLI_COMMANDS_H */
