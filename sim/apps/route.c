/*
 * route(8) add/delete as FreeBSD 8 reports them: "add net default:
 * gateway fe80::1%sk0" on success; on failure the routing socket's
 * complaint first ("route: writing to routing socket: File exists"),
 * then the same line ending in ": route already in table" / ": not in
 * table". IPv6 needs -inet6, as on FreeBSD (otherwise the gateway is not
 * an IPv4 address: "route: bad address: ...").
 */
#include "apps_int.h"

#include <stdio.h>
#include <string.h>

static const char route_usage[] =
	"usage: route [-dnqtv] command [[modifiers] args]";

struct route_req {
	bool add, inet6, host, net;
	const char *dest_text, *gw_text;
	struct route r;
};

/* DST: "default", ADDR or ADDR/LEN (with a %scope for IPv6 link-locals). */
static bool parse_dest(struct sim_node *n, struct route_req *q)
{
	char text[APPS_ADDRSTRLEN];
	snprintf(text, sizeof text, "%s", q->dest_text);
	long plen = -1;
	char *slash = strchr(text, '/');
	if (slash) {
		*slash = '\0';
		if (!apps_parse_long(slash + 1, 0, q->inet6 ? 128 : 32, &plen))
			return false;
	}
	memset(q->r.dst, 0, sizeof q->r.dst);
	if (strcmp(text, "default") == 0) {
		plen = 0;
	} else if (q->inet6) {
		struct sim_iface *scope;
		if (apps_parse6(n, text, q->r.dst, &scope) != 0)
			return false;
		if (scope && in6_is_link_scoped(q->r.dst))
			in6_scope_embed(q->r.dst, scope->index);
	} else if (!apps_parse4(text, q->r.dst)) {
		return false;
	}
	if (plen < 0)
		plen = q->net ? (q->inet6 ? 64 : 24) : (q->inet6 ? 128 : 32);
	q->host = plen == (q->inet6 ? 128 : 32);
	q->r.plen = (uint8_t)plen;
	return true;
}

static bool same_prefix(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	for (unsigned i = 0; i < plen; i++)
		if ((a[i / 8] ^ b[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* The interface whose connected network holds gw (ifa_ifwithnet). */
static struct sim_iface *connected_iface(struct sim_node *n, const uint8_t *gw, bool inet6)
{
	for (int i = 0; i < n->nifaces; i++) {
		struct sim_iface *ifp = n->ifaces[i];
		for (size_t k = 0; inet6 && ifp->in6 && k < ifp->in6->naddr; k++) {
			const struct in6_ifaddr *a = &ifp->in6->addr[k];
			if (!in6_is_link_scoped(a->addr) && same_prefix(a->addr, gw, a->plen))
				return ifp;
		}
		for (size_t k = 0; !inet6 && ifp->in4 && k < ifp->in4->naddr; k++) {
			const struct in4_ifaddr *a = &ifp->in4->addr[k];
			if (same_prefix(a->addr, gw, a->plen) || memcmp(a->peer, gw, 4) == 0)
				return ifp;
		}
	}
	return NULL;
}

/* GW and the interface that reaches it: its %scope, or a connected network. */
static int parse_gateway(struct sim_node *n, struct route_req *q)
{
	struct sim_iface *scope = NULL;
	if (q->inet6 ? apps_parse6(n, q->gw_text, q->r.gateway, &scope) != 0
	             : !apps_parse4(q->gw_text, q->r.gateway))
		return -1;
	q->r.ifp = scope ? scope : connected_iface(n, q->r.gateway, q->inet6);
	return q->r.ifp ? 0 : -2;
}

/* "add net default: gateway X" + the outcome, as newroute() prints it. */
static void report(struct sim_node *n, const struct route_req *q, const char *err)
{
	char gw[APPS_ADDRSTRLEN + 16] = "";
	if (q->gw_text)
		snprintf(gw, sizeof gw, ": gateway %s", q->gw_text);
	apps_say(n, "%s %s %s%s%s%s", q->add ? "add" : "delete", q->host ? "host" : "net",
	         q->dest_text, gw, err ? ": " : "", err ? err : "");
}

static int do_route(struct sim_node *n, struct route_req *q)
{
	struct route_table *t = q->inet6 ? &n->net->rt6 : &n->net->rt4;
	q->r.family = q->inet6 ? 6 : 4;
	q->r.expires = SIM_NEVER;
	q->r.flags = RTF_UP | RTF_STATIC | (q->host ? RTF_HOST : 0);
	if (!q->add) {
		if (route_delete(t, q->r.family, q->r.dst, q->r.plen) != 0) {
			apps_say(n, "route: writing to routing socket: No such process");
			report(n, q, "not in table");
			return 1;
		}
		report(n, q, NULL);
		return 0;
	}
	int g = parse_gateway(n, q);
	if (g == -1) {
		apps_say(n, "route: bad address: %s", q->gw_text);
		return 68;
	}
	if (g == -2) {
		apps_say(n, "route: writing to routing socket: Network is unreachable");
		report(n, q, "Network is unreachable");
		return 1;
	}
	q->r.flags |= RTF_GATEWAY;
	if (route_add(t, &q->r) != 0) {
		apps_say(n, "route: writing to routing socket: File exists");
		report(n, q, "route already in table");
		return 1;
	}
	report(n, q, NULL);
	return 0;
}

int cmd_route(struct sim_node *n, int argc, char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-' && strchr("dnqtv", argv[i][1]) && argv[i][1])
		i++;
	if (i >= argc || (strcmp(argv[i], "add") != 0 && strcmp(argv[i], "delete") != 0)) {
		if (i < argc)
			apps_say(n, "route: %s: bad command", argv[i]);
		apps_say(n, "%s", route_usage);
		return APPS_EX_USAGE;
	}
	struct route_req q = { .add = strcmp(argv[i], "add") == 0 };
	for (i++; i < argc; i++) {
		if (strcmp(argv[i], "-inet6") == 0)
			q.inet6 = true;
		else if (strcmp(argv[i], "-inet") == 0)
			q.inet6 = false;
		else if (strcmp(argv[i], "-net") == 0)
			q.net = true;
		else if (strcmp(argv[i], "-host") == 0)
			q.net = false;
		else if (!q.dest_text)
			q.dest_text = argv[i];
		else if (!q.gw_text)
			q.gw_text = argv[i];
		else
			break;
	}
	if (!q.dest_text || (q.add && !q.gw_text) || i < argc) {
		apps_say(n, "%s", route_usage);
		return APPS_EX_USAGE;
	}
	if (!n->net) {
		apps_say(n, "route: socket: Protocol not supported");
		return 1;
	}
	if (!parse_dest(n, &q)) {
		apps_say(n, "route: bad address: %s", q.dest_text);
		return 68;
	}
	return do_route(n, &q);
}
