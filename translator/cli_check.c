/*
 * `nat6to4 check -c CONF`: parse a configuration and print it normalised
 * (every default explicit, canonical addresses). The output is itself a
 * valid configuration that `check` prints unchanged.
 */
#include "cli_commands.h"

#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static int print_config(const nat6to4_config *cfg)
{
	char small[1];
	size_t need = nat6to4_config_format(cfg, small, sizeof small);
	char *text = malloc(need + 1);
	if (!text) {
		fprintf(stderr, "nat6to4 check: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	nat6to4_config_format(cfg, text, need + 1);
	fputs(text, stdout);
	free(text);
	return CLI_EXIT_OK;
}

int cli_check(int argc, char **argv)
{
	const char *conf = NULL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "+:c:h")) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'h': fputs(cli_help_for("check"), stdout); return CLI_EXIT_OK;
		case ':': cli_usage_error("check", "option -%c needs an argument", optopt); return CLI_EXIT_USAGE;
		default: cli_usage_error("check", "unknown option -%c", optopt); return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_usage_error("check", "unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!conf) {
		cli_usage_error("check", "-c CONF is required");
		return CLI_EXIT_USAGE;
	}
	nat6to4_config *cfg = cli_load_config(conf, stderr);
	if (!cfg)
		return CLI_EXIT_USAGE;
	int rc = print_config(cfg);
	nat6to4_config_free(cfg);
	return rc;
}
