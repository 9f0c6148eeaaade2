/*
 * `v6lab addr`: dispatch to the calculations of lab 1 (addr.h).
 */
#include "addr_int.h"

#include <string.h>

static const char usage_addr[] =
	"usage: v6lab addr eui64 MAC [PREFIX/64]\n"
	"       v6lab addr subnets PREFIX/LEN NEWLEN [--sla-id N --sla-len L]\n"
	"       v6lab addr map PREFIX/LEN ADDRESS [rfc6052|decimal]\n"
	"       v6lab addr sweep [--rate PPS] [--len LEN]\n"
	"\n"
	"The address calculations of lab 1 (labs/01-addressing/README.md):\n"
	"  eui64    the modified EUI-64 interface identifier of a MAC address and its\n"
	"           link-local address (and its address under a /64, when given)\n"
	"  subnets  how many /NEWLEN subnets a /LEN holds, the first and last ones;\n"
	"           with --sla-id/--sla-len the one WIDE dhcp6c carves for an interface\n"
	"  map      an IPv4 address embedded in an IPv6 prefix (RFC 6052, or the\n"
	"           decimal form 2001:df0:9::202:83:176:248), or extracted from one\n"
	"  sweep    how long pinging every address of a /64 takes at PPS probes/s\n"
	"           (default 1000000)\n"
	"\n"
	"exit status: 0 computed, 2 invalid input (the message says which argument)\n";

static const struct {
	const char *name;
	int (*run)(const struct addr_io *io, int argc, char **argv);
} addr_cmds[] = {
	{ "eui64", addr_cmd_eui64 },
	{ "subnets", addr_cmd_subnets },
	{ "map", addr_cmd_map },
	{ "sweep", addr_cmd_sweep },
};

static bool is_help(const char *w)
{
	return strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0 || strcmp(w, "help") == 0;
}

int v6lab_addr_run(int argc, char **argv, FILE *out, FILE *err)
{
	struct addr_io io = { .out = out, .err = err, .cmd = "addr" };

	if (argc < 2) {
		fputs("v6lab addr: missing calculation (eui64, subnets, map or sweep)\n", err);
		fputs(usage_addr, err);
		return ADDR_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		fputs(usage_addr, out);
		return ADDR_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof addr_cmds / sizeof addr_cmds[0]; i++) {
		if (strcmp(argv[1], addr_cmds[i].name) != 0)
			continue;
		io.cmd = addr_cmds[i].name;
		if (argc > 2 && is_help(argv[2])) {
			fputs(usage_addr, out);
			return ADDR_EXIT_OK;
		}
		return addr_cmds[i].run(&io, argc - 1, argv + 1);
	}
	fprintf(err, "v6lab addr: unknown calculation '%s' (eui64, subnets, map or sweep)\n",
	        argv[1]);
	return ADDR_EXIT_USAGE;
}

int v6lab_addr_main(int argc, char **argv)
{
	int rc = v6lab_addr_run(argc, argv, stdout, stderr);
	fflush(stdout);
	return rc;
}
