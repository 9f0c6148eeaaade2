/*
 * rtadvd(8) without a configuration file, as FreeBSD 8 runs it: on each
 * interface named, advertise every prefix of its non-link-local addresses
 * with the defaults of rtadvd.conf(5): valid lifetime 2592000 s,
 * preferred 604800 s, on-link and autonomous, router lifetime 1800 s. It
 * daemonizes and prints nothing; the advertising is nd.c's.
 */
#include "apps_int.h"

#include <string.h>

#define RTADVD_MAXPREFIX 16
#define RTADVD_VALID 2592000u
#define RTADVD_PREFERRED 604800u
#define RTADVD_ROUTER_LIFETIME 1800u

/* The prefixes of ifp's global addresses, each once. */
static size_t collect(struct sim_iface *ifp, struct nd_ra_prefix *p)
{
	size_t np = 0;
	for (size_t i = 0; ifp->in6 && i < ifp->in6->naddr && np < RTADVD_MAXPREFIX; i++) {
		const struct in6_ifaddr *a = &ifp->in6->addr[i];
		if (in6_is_link_scoped(a->addr) || a->plen == 0 || a->plen > 64)
			continue;
		struct nd_ra_prefix x = { .plen = a->plen, .valid_s = RTADVD_VALID,
			                  .preferred_s = RTADVD_PREFERRED, .onlink = true,
			                  .autonomous = true };
		for (unsigned b = 0; b < a->plen; b++)
			if (a->addr[b / 8] & (0x80 >> (b % 8)))
				x.prefix[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		bool seen = false;
		for (size_t k = 0; k < np && !seen; k++)
			seen = p[k].plen == x.plen && memcmp(p[k].prefix, x.prefix, 16) == 0;
		if (!seen)
			p[np++] = x;
	}
	return np;
}

int cmd_rtadvd(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	apps_opt_init(&o);
	int c;
	while ((c = apps_getopt(&o, argc, argv, "dDfMRsc:p:F:")) != -1) {
		if (c == '?') {
			apps_say(n, "usage: rtadvd [-dDfMRs] [-c conffile] [-p pidfile] interfaces...");
			return APPS_EX_USAGE;
		}
	}
	if (o.ind >= argc) {
		apps_say(n, "usage: rtadvd [-dDfMRs] [-c conffile] [-p pidfile] interfaces...");
		return APPS_EX_USAGE;
	}
	for (int i = o.ind; i < argc; i++) {
		struct sim_iface *ifp = sim_iface_find(n, argv[i]);
		if (!ifp || !n->net) {
			apps_say(n, "rtadvd: <getconfig> can't get information of %s", argv[i]);
			return 1;
		}
	}
	for (int i = o.ind; i < argc; i++) {
		struct sim_iface *ifp = sim_iface_find(n, argv[i]);
		struct nd_ra_prefix p[RTADVD_MAXPREFIX];
		size_t np = collect(ifp, p);
		nd_rtadv_start(ifp, p, np, RTADVD_ROUTER_LIFETIME);
	}
	return 0;
}
