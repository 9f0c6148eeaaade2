/*
 * killall(1) / pkill(1) for the daemons a scenario starts: `killall
 * dhcp6c` sends SIGTERM, on which WIDE's dhcp6c releases its prefixes and
 * exits. Processes without a model of their own signal handling are not
 * found, as if they had already gone.
 */
#include "apps_int.h"
#include "../net/dhcp6.h"

#include <string.h>

static const struct {
	const char *name;
	int (*terminate)(struct sim_node *n);
} daemons[] = {
	{ "dhcp6c", dhcp6c_terminate },
	{ "dhcp6s", dhcp6s_terminate },
	{ "nat6to4d", nat6to4d_terminate },
};

int cmd_killall(struct sim_node *n, int argc, char **argv)
{
	bool pkill = strcmp(argv[0], "pkill") == 0;
	int i = 1;
	if (i < argc && (strcmp(argv[i], "-TERM") == 0 || strcmp(argv[i], "-15") == 0))
		i++;
	if (i >= argc) {
		apps_say(n, pkill ? "usage: pkill [-signal] [-ILfilnovx] pattern ..."
		                  : "usage: killall [-delmsvz] [-help] [-j jail]");
		return APPS_EX_USAGE;
	}
	int found = 0;
	for (; i < argc; i++)
		for (size_t k = 0; k < sizeof daemons / sizeof daemons[0]; k++)
			if (strcmp(argv[i], daemons[k].name) == 0 && daemons[k].terminate(n) == 0)
				found++;
	if (!found && !pkill)
		apps_say(n, "No matching processes were found");
	return found ? 0 : 1;
}
