/*
 * nat6to4 — the command-line tool of libnat6to4.
 *
 *   nat6to4 translate -c CONF -i IN.pcap -o OUT.pcap [-v] [-f]
 *   nat6to4 map PREFIX/LEN ADDRESS [rfc6052|decimal]
 *   nat6to4 check -c CONF
 *   nat6to4 help [COMMAND] | --help | --version
 *
 * This file only dispatches and holds the help texts; each command lives in
 * its own cli_<command>.c. See nat6to4(1).
 */
#include "cli_commands.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: nat6to4 translate -c CONF -i IN.pcap -o OUT.pcap [-v] [-f]\n"
	"       nat6to4 map PREFIX/LEN ADDRESS [rfc6052|decimal]\n"
	"       nat6to4 check -c CONF\n"
	"       nat6to4 help [COMMAND] | --help | --version\n";

static const char overview_text[] =
	"nat6to4 - IPv6 <-> IPv4 translation (RFC 7915, RFC 6052, RFC 6146) on captures\n"
	"\n"
	"commands:\n"
	"  translate  run the packets of a capture through the translator\n"
	"  map        embed an IPv4 address in an IPv6 prefix, or extract it\n"
	"  check      validate a configuration and print it normalised\n"
	"  help       describe a command: nat6to4 help translate\n"
	"\n"
	"Exit status: 0 done, 2 usage error, bad configuration or unreadable capture.\n"
	"See nat6to4(1) and nat6to4.conf(5).\n";

static const char translate_text[] =
	"usage: nat6to4 translate -c CONF -i IN.pcap -o OUT.pcap [-v] [-f]\n"
	"\n"
	"Reads IN.pcap (link type RAW, IPV4, IPV6 or EN10MB with at most one 802.1Q\n"
	"tag), gives every IPv6 packet to the 6to4 path and every IPv4 packet to the\n"
	"4to6 path of a translator configured by CONF, with the packet's timestamp as\n"
	"the clock, and writes every packet produced (translations and ICMP errors),\n"
	"in order, to OUT.pcap (link type RAW) with the input's timestamp. Then prints\n"
	"the verdict counters per direction. Other frames are skipped and counted.\n"
	"\n"
	"  -c CONF   configuration, see nat6to4.conf(5)\n"
	"  -i IN     capture to read (pcap or pcapng)\n"
	"  -o OUT    capture to write; written to a temporary file and renamed\n"
	"            when complete, so a failed run leaves nothing behind\n"
	"  -f        replace OUT if it exists (without -f an existing OUT is refused)\n"
	"  -v        one line per input packet: '#3 6to4 translated',\n"
	"            '#4 4to6 dropped (no-session)', '#1 skipped (ethertype 0x0806)'\n"
	"\n"
	"Exit status 0 when the capture was processed (drops included); 2 for a bad\n"
	"configuration, an unreadable or truncated capture, a refused OUT, or usage.\n";

static const char map_text[] =
	"usage: nat6to4 map PREFIX/LEN ADDRESS [rfc6052|decimal]\n"
	"\n"
	"IPv4 ADDRESS: prints the IPv6 address embedding it under PREFIX.\n"
	"IPv6 ADDRESS: prints the IPv4 address embedded in it.\n"
	"  rfc6052  (default) RFC 6052 section 2.2; LEN is 32, 40, 48, 56, 64 or 96\n"
	"  decimal  each octet written in decimal in one of the last four 16-bit\n"
	"           groups (202.83.176.248 -> ::202:83:176:248); LEN at most 64\n"
	"\n"
	"  nat6to4 map 2001:df0:9::/96 202.83.176.248           2001:df0:9::ca53:b0f8\n"
	"  nat6to4 map 2001:df0:9::/64 202.83.176.248 decimal   2001:df0:9::202:83:176:248\n"
	"  nat6to4 map 2001:df0:9::/96 2001:df0:9::ca53:b0f8    202.83.176.248\n";

static const char check_text[] =
	"usage: nat6to4 check -c CONF\n"
	"\n"
	"Parses CONF and prints it normalised: one directive per line, canonical\n"
	"address spelling, every default explicit. Errors are reported as\n"
	"FILE:LINE:COL: message, followed by the line and a caret under the column.\n"
	"Exit status 0 when CONF is valid, 2 otherwise.\n";

static const struct {
	const char *name;
	const char *text;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "translate", translate_text, cli_translate },
	{ "map", map_text, cli_map },
	{ "check", check_text, cli_check },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const char *cli_help_for(const char *command)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, command) == 0)
			return commands[i].text;
	return NULL;
}

void cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "nat6to4%s%s: ", command ? " " : "", command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	const char *help = command ? cli_help_for(command) : NULL;
	const char *end = help ? strstr(help, "\n\n") : NULL;
	if (end) /* just the usage line(s) of that command */
		fprintf(stderr, "%.*s", (int)(end - help + 1), help);
	else
		fputs(usage_text, stderr);
}

static int help(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stdout);
		fputc('\n', stdout);
		fputs(overview_text, stdout);
		return CLI_EXIT_OK;
	}
	const char *text = cli_help_for(argv[1]);
	if (!text) {
		cli_usage_error(NULL, "no command '%s'", argv[1]);
		return CLI_EXIT_USAGE;
	}
	fputs(text, stdout);
	return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
		return help(argc - 1, argv + 1);
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("nat6to4 %s (%s)\n", NAT6TO4_VERSION, pcap_lib_version());
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			return commands[i].run(argc - 1, argv + 1);
	cli_usage_error(NULL, "unknown command '%s'", cmd);
	return CLI_EXIT_USAGE;
}
