/*
 * sysctl(8) for the network knobs the stories touch, as FreeBSD 8 prints
 * them: "net.inet6.ip6.forwarding: 0 -> 1" when set, "NAME: VALUE" when
 * read, just the value with -n, "sysctl: unknown oid 'x'" otherwise.
 */
#include "apps_int.h"

#include <stdio.h>
#include <string.h>

enum oid { OID_FWD6, OID_FWD4, OID_RTADV, OID_HLIM, OID_TTL };

static const struct {
	const char *name;
	enum oid oid;
	long min, max;
} oids[] = {
	{ "net.inet.ip.forwarding", OID_FWD4, 0, 1 },
	{ "net.inet.ip.ttl", OID_TTL, 1, 255 },
	{ "net.inet6.ip6.accept_rtadv", OID_RTADV, 0, 1 },
	{ "net.inet6.ip6.forwarding", OID_FWD6, 0, 1 },
	{ "net.inet6.ip6.hlim", OID_HLIM, 0, 255 },
};

static long get_oid(const struct net_node *net, enum oid oid)
{
	switch (oid) {
	case OID_FWD6: return net->forwarding6;
	case OID_FWD4: return net->forwarding4;
	case OID_RTADV: return net->accept_rtadv;
	case OID_HLIM: return net->hlim ? net->hlim : 64;
	case OID_TTL: return net->ttl ? net->ttl : 64;
	}
	return 0;
}

static void set_oid(struct net_node *net, enum oid oid, long v)
{
	switch (oid) {
	case OID_FWD6: net->forwarding6 = v != 0; break;
	case OID_FWD4: net->forwarding4 = v != 0; break;
	case OID_RTADV: net->accept_rtadv = v != 0; break;
	case OID_HLIM: net->hlim = (uint8_t)v; break;
	case OID_TTL: net->ttl = (uint8_t)v; break;
	}
}

/* One NAME or NAME=VALUE argument; returns its exit status. */
static int one(struct sim_node *n, const char *arg, bool value_only)
{
	char name[96];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	if (len >= sizeof name)
		len = sizeof name - 1;
	memcpy(name, arg, len);
	name[len] = '\0';
	size_t i = 0;
	while (i < sizeof oids / sizeof oids[0] && strcmp(oids[i].name, name) != 0)
		i++;
	if (i == sizeof oids / sizeof oids[0] || !n->net) {
		apps_say(n, "sysctl: unknown oid '%s'", name);
		return 1;
	}
	long old = get_oid(n->net, oids[i].oid), v;
	if (!eq) {
		if (value_only)
			apps_say(n, "%ld", old);
		else
			apps_say(n, "%s: %ld", name, old);
		return 0;
	}
	if (!apps_parse_long(eq + 1, -0x7fffffffL, 0x7fffffffL, &v)) {
		apps_say(n, "sysctl: invalid integer '%s'", eq + 1);
		return 1;
	}
	if (v < oids[i].min || v > oids[i].max) {
		apps_say(n, "sysctl: %s: Invalid argument", name);
		return 1;
	}
	set_oid(n->net, oids[i].oid, v);
	if (value_only)
		apps_say(n, "%ld -> %ld", old, get_oid(n->net, oids[i].oid));
	else
		apps_say(n, "%s: %ld -> %ld", name, old, get_oid(n->net, oids[i].oid));
	return 0;
}

int cmd_sysctl(struct sim_node *n, int argc, char **argv)
{
	int i = 1;
	bool value_only = false;
	if (i < argc && strcmp(argv[i], "-n") == 0) {
		value_only = true;
		i++;
	}
	if (i >= argc || argv[i][0] == '-') {
		apps_say(n, "usage: sysctl [-bdehiNnoqx] name[=value] ...\n"
		            "       sysctl [-bdehNnoqx] -a");
		return APPS_EX_USAGE;
	}
	int rc = 0;
	for (; i < argc; i++)
		if (one(n, argv[i], value_only) != 0)
			rc = 1;
	return rc;
}
