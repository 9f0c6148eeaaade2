/*
 * netstat -rn as FreeBSD 8 prints the routing tables (usr.bin/netstat/
 * route.c): "Routing tables", then per family a header and one row per
 * route in table order. Column widths are FreeBSD's numeric ones:
 * Internet 18/18/6 with Refs and Use, Internet6 33/29/8 without them; an
 * address longer than its column pushes the rest of the row right, as
 * "%-*s " does. Connected routes show "link#N" as their gateway.
 */
#include "apps_int.h"

#include <stdio.h>
#include <string.h>

static void fmt_rtflags(char *buf, size_t len, uint32_t f)
{
	static const struct { uint32_t bit; char c; } bits[] = {
		{ RTF_UP, 'U' }, { RTF_GATEWAY, 'G' }, { RTF_HOST, 'H' }, { RTF_DYNAMIC, 'D' },
		{ RTF_CLONING, 'C' }, { RTF_LLINFO, 'L' }, { RTF_STATIC, 'S' }, { RTF_PROTO1, '1' },
	};
	size_t k = 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0] && k + 1 < len; i++)
		if (f & bits[i].bit)
			buf[k++] = bits[i].c;
	buf[k] = '\0';
}

/* A network: FreeBSD 8 prints all four octets and the length. */
static void fmt_net4(char *buf, size_t len, const uint8_t a[4], unsigned plen)
{
	snprintf(buf, len, "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3], plen);
}

static void fmt_dst(char *buf, size_t len, const struct route *r)
{
	bool host = (r->flags & RTF_HOST) || r->plen == (r->family == 4 ? 32 : 128);
	if (r->plen == 0) {
		snprintf(buf, len, "default");
	} else if (r->family == 4) {
		if (host)
			apps_fmt4(buf, len, r->dst);
		else
			fmt_net4(buf, len, r->dst, r->plen);
	} else {
		uint8_t a[16];
		memcpy(a, r->dst, 16);
		if (in6_is_link_scoped(a))
			in6_scope_clear(a);
		char text[APPS_ADDRSTRLEN];
		apps_fmt6(text, sizeof text, a, r->ifp);
		if (host)
			snprintf(buf, len, "%s", text);
		else
			snprintf(buf, len, "%s/%u", text, r->plen);
	}
}

static void fmt_gw(char *buf, size_t len, const struct route *r)
{
	if (!(r->flags & RTF_GATEWAY))
		snprintf(buf, len, "link#%u", r->ifp ? r->ifp->index : 0);
	else if (r->family == 4)
		apps_fmt4(buf, len, r->gateway);
	else
		apps_fmt6(buf, len, r->gateway, r->ifp);
}

static void print_row(struct sim_node *n, const struct route *r)
{
	char dst[APPS_ADDRSTRLEN + 8], gw[APPS_ADDRSTRLEN], flags[16], line[256];
	fmt_dst(dst, sizeof dst, r);
	fmt_gw(gw, sizeof gw, r);
	fmt_rtflags(flags, sizeof flags, r->flags);
	const char *ifname = r->ifp ? r->ifp->name : "---";
	int k;
	if (r->family == 4)
		k = snprintf(line, sizeof line, "%-18s %-18s %-6.6s %6u %8llu %6.6s", dst, gw, flags,
		             r->refs, (unsigned long long)r->use, ifname);
	else
		k = snprintf(line, sizeof line, "%-33s %-29s %-6.6s %8.8s", dst, gw, flags, ifname);
	sim_time now = n->sim->now;
	/* FreeBSD 8 keeps RA lifetimes in the ND prefix and router lists, not in
	 * the routing table: only neighbour (L) entries show an Expire. */
	bool shows_expire = r->flags & RTF_LLINFO;
	if (shows_expire && r->expires != SIM_NEVER && r->expires > now && k > 0 &&
	    (size_t)k < sizeof line)
		snprintf(line + k, sizeof line - (size_t)k, " %6d", (int)((r->expires - now) / SIM_S));
	apps_say(n, "%s", line);
}

static void print_table(struct sim_node *n, const struct route_table *t, int family)
{
	if (family == 4) {
		apps_say(n, "\nInternet:");
		apps_say(n, "%-18.18s %-18.18s %-6.6s %6.6s %8.8s %6.6s %6s", "Destination", "Gateway",
		         "Flags", "Refs", "Use", "Netif", "Expire");
	} else {
		apps_say(n, "\nInternet6:");
		apps_say(n, "%-33.33s %-29.29s %-6.6s  %8.8s %6s", "Destination", "Gateway", "Flags",
		         "Netif", "Expire");
	}
	for (size_t i = 0; i < t->n; i++)
		print_row(n, &t->r[i]);
}

static const char netstat_usage[] =
	"usage: netstat [-AaLnSWx] [-f protocol_family | -p protocol]\n"
	"               [-M core] [-N system]\n"
	"       netstat -i | -I interface [-abdhnW] [-f address_family]\n"
	"               [-M core] [-N system]\n"
	"       netstat -w wait [-I interface] [-d] [-M core] [-N system] [-q howmany]\n"
	"       netstat -s [-s] [-z] [-f protocol_family | -p protocol]\n"
	"               [-M core] [-N system]\n"
	"       netstat -m [-M core] [-N system]\n"
	"       netstat -r [-AanW] [-f address_family] [-M core] [-N system]\n"
	"       netstat -rs [-s] [-M core] [-N system]\n"
	"       netstat -g [-W] [-f address_family] [-M core] [-N system]";

int cmd_netstat(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	apps_opt_init(&o);
	bool routes = false;
	int family = 0, c;
	while ((c = apps_getopt(&o, argc, argv, "rnaWf:")) != -1) {
		if (c == 'r') {
			routes = true;
		} else if (c == 'f') {
			if (strcmp(o.arg, "inet") == 0) {
				family = 4;
			} else if (strcmp(o.arg, "inet6") == 0) {
				family = 6;
			} else {
				apps_say(n, "netstat: %s: unknown address family", o.arg);
				return 1;
			}
		} else if (c == '?') {
			if (o.bad)
				apps_say(n, "netstat: %s -- %c",
				         o.missing ? "option requires an argument" : "illegal option", o.bad);
			apps_say(n, "%s", netstat_usage);
			return APPS_EX_USAGE;
		}
	}
	if (!routes || o.ind != argc) {
		apps_say(n, "%s", netstat_usage);
		return APPS_EX_USAGE;
	}
	apps_say(n, "Routing tables");
	if (!n->net)
		return 0;
	if (family != 6)
		print_table(n, &n->net->rt4, 4);
	if (family != 4)
		print_table(n, &n->net->rt6, 6);
	return 0;
}
