/*
 * ifconfig(8) as FreeBSD 8 prints and configures interfaces:
 *   sk0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
 *   	ether 00:0f:ea:2c:d5:18
 *   	inet6 fe80::20f:eaff:fe2c:d518%sk0 prefixlen 64 scopeid 0x1 
 *   	inet 10.0.0.1 netmask 0xffffff00 broadcast 10.0.0.255
 *   	media: Ethernet autoselect (100baseTX <full-duplex>)
 *   	status: active
 * The trailing blank after an inet6 line is FreeBSD's (each field ends in
 * a space). Configuring: `IFACE inet6 ADDR [prefixlen N] [alias]`,
 * `IFACE inet ADDR[/LEN] [netmask M]`, `IFACE up|down`, `IFACE mtu N`;
 * 6in4 tunnels (link/tunnel.c): `gif0 create`, `gif0 tunnel LOCAL REMOTE`,
 * shown with FreeBSD 8's "tunnel inet LOCAL --> REMOTE" line.
 */
#include "apps_int.h"
#include "../link/tunnel.h"

#include <stdio.h>
#include <string.h>

/* printb(): the value in hex, then the names of the bits set. */
static void fmt_flags(char *buf, size_t len, uint32_t flags)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ 0x1, "UP" }, { 0x2, "BROADCAST" }, { 0x4, "DEBUG" }, { 0x8, "LOOPBACK" },
		{ 0x10, "POINTOPOINT" }, { 0x20, "SMART" }, { 0x40, "RUNNING" }, { 0x80, "NOARP" },
		{ 0x100, "PROMISC" }, { 0x200, "ALLMULTI" }, { 0x400, "OACTIVE" },
		{ 0x800, "SIMPLEX" }, { 0x1000, "LINK0" }, { 0x2000, "LINK1" }, { 0x4000, "LINK2" },
		{ 0x8000, "MULTICAST" },
	};
	int k = snprintf(buf, len, "flags=%x<", flags);
	bool any = false;
	for (size_t i = 0; i < sizeof names / sizeof names[0] && k > 0 && (size_t)k < len; i++) {
		if (flags & names[i].bit) {
			k += snprintf(buf + k, len - (size_t)k, "%s%s", any ? "," : "", names[i].name);
			any = true;
		}
	}
	if (k > 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, ">");
}

static void show_inet6(struct sim_node *n, struct sim_iface *ifp, const struct in6_ifaddr *a)
{
	char text[APPS_ADDRSTRLEN], line[256];
	apps_fmt6(text, sizeof text, a->addr, ifp);
	int k = snprintf(line, sizeof line, "\tinet6 %s prefixlen %u ", text, a->plen);
	static const struct { uint8_t bit; const char *word; } words[] = {
		{ IN6_IFF_TENTATIVE, "tentative " }, { IN6_IFF_DUPLICATED, "duplicated " },
		{ IN6_IFF_DEPRECATED, "deprecated " }, { IN6_IFF_AUTOCONF, "autoconf " },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if ((a->flags & words[i].bit) && k > 0 && (size_t)k < sizeof line)
			k += snprintf(line + k, sizeof line - (size_t)k, "%s", words[i].word);
	if (in6_is_link_scoped(a->addr) && k > 0 && (size_t)k < sizeof line)
		snprintf(line + k, sizeof line - (size_t)k, "scopeid 0x%x ", ifp->index);
	apps_say(n, "%s", line);
}

static void show_inet(struct sim_node *n, struct sim_iface *ifp, const struct in4_ifaddr *a)
{
	char addr[20], peer[20], bcast[20];
	uint32_t mask = a->plen ? 0xffffffffu << (32 - a->plen) : 0;
	apps_fmt4(addr, sizeof addr, a->addr);
	if (ifp->flags & SIM_IFF_POINTOPOINT) {
		apps_fmt4(peer, sizeof peer, a->peer);
		apps_say(n, "\tinet %s --> %s netmask 0x%x ", addr, peer, mask);
		return;
	}
	if (!(ifp->flags & SIM_IFF_BROADCAST)) {
		apps_say(n, "\tinet %s netmask 0x%x ", addr, mask);
		return;
	}
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(a->addr[i] | ~(uint8_t)(mask >> (24 - 8 * i)));
	apps_fmt4(bcast, sizeof bcast, b);
	apps_say(n, "\tinet %s netmask 0x%x broadcast %s", addr, mask, bcast);
}

/* The active media a FreeBSD NIC would report for the link's speed. */
static const char *media_of(const struct sim_link *l)
{
	if (!l || l->bandwidth_bps == 0 || l->bandwidth_bps > 100000000ull)
		return l && l->bandwidth_bps > 100000000ull ? "1000baseT" : "100baseTX";
	return l->bandwidth_bps > 10000000ull ? "100baseTX" : "10baseT/UTP";
}

static void show_iface(struct sim_node *n, struct sim_iface *ifp)
{
	char flags[160];
	fmt_flags(flags, sizeof flags, ifp->flags);
	apps_say(n, "%s: %s metric 0 mtu %u", ifp->name, flags, ifp->mtu);
	uint8_t tl[4], tr[4];
	if (tunnel_endpoints(ifp, tl, tr)) {
		char a[20], b[20];
		apps_fmt4(a, sizeof a, tl);
		apps_fmt4(b, sizeof b, tr);
		apps_say(n, "\ttunnel inet %s --> %s", a, b);
	}
	bool ether = !(ifp->flags & (SIM_IFF_POINTOPOINT | SIM_IFF_LOOPBACK)) &&
	             (!ifp->link || ifp->link->kind == LINK_ETHERNET);
	if (ether)
		apps_say(n, "\tether %02x:%02x:%02x:%02x:%02x:%02x", ifp->mac[0], ifp->mac[1],
		         ifp->mac[2], ifp->mac[3], ifp->mac[4], ifp->mac[5]);
	for (size_t i = 0; ifp->in6 && i < ifp->in6->naddr; i++)
		show_inet6(n, ifp, &ifp->in6->addr[i]);
	for (size_t i = 0; ifp->in4 && i < ifp->in4->naddr; i++)
		show_inet(n, ifp, &ifp->in4->addr[i]);
	if (!ether)
		return;
	if (ifp->link) {
		apps_say(n, "\tmedia: Ethernet autoselect (%s <full-duplex>)", media_of(ifp->link));
		apps_say(n, "\tstatus: active");
	} else {
		apps_say(n, "\tmedia: Ethernet autoselect (none)");
		apps_say(n, "\tstatus: no carrier");
	}
}

/* inet6 ADDR[/LEN] [prefixlen N] [alias|delete|-alias] */
static int set_inet6(struct sim_node *n, struct sim_iface *ifp, int argc, char **argv)
{
	char text[APPS_ADDRSTRLEN];
	snprintf(text, sizeof text, "%s", argv[0]);
	long plen = 64;
	char *slash = strchr(text, '/');
	if (slash) {
		*slash = '\0';
		if (!apps_parse_long(slash + 1, 0, 128, &plen)) {
			apps_say(n, "ifconfig: %s: bad value", slash + 1);
			return 1;
		}
	}
	uint8_t a[16];
	struct sim_iface *scope;
	if (apps_parse6(n, text, a, &scope) != 0) {
		apps_say(n, "ifconfig: %s: bad value", argv[0]);
		return 1;
	}
	bool del = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "prefixlen") == 0 && i + 1 < argc) {
			if (!apps_parse_long(argv[++i], 0, 128, &plen)) {
				apps_say(n, "ifconfig: %s: bad value", argv[i]);
				return 1;
			}
		} else if (strcmp(argv[i], "delete") == 0 || strcmp(argv[i], "-alias") == 0) {
			del = true;
		} else if (strcmp(argv[i], "alias") != 0 && strcmp(argv[i], "add") != 0) {
			apps_say(n, "ifconfig: %s: bad value", argv[i]);
			return 1;
		}
	}
	if (del) {
		if (in6_addr_del(ifp, a) != 0) {
			apps_say(n, "ifconfig: ioctl (SIOCDIFADDR): Can't assign requested address");
			return 1;
		}
		return 0;
	}
	/* FreeBSD runs DAD on a configured address too. */
	if (in6_addr_add(ifp, a, (uint8_t)plen, IN6_IFF_TENTATIVE, SIM_NEVER, SIM_NEVER) == -2) {
		apps_say(n, "ifconfig: ioctl (SIOCAIFADDR): Invalid argument");
		return 1;
	}
	return 0;
}

static bool parse_mask(const char *s, long *plen)
{
	uint8_t m[4];
	uint32_t v = 0;
	if (strncmp(s, "0x", 2) == 0) {
		for (s += 2; *s; s++) {
			int d = *s >= '0' && *s <= '9' ? *s - '0' :
			        *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
			if (d < 0 || v > 0x0fffffffu)
				return false;
			v = v << 4 | (uint32_t)d;
		}
	} else if (apps_parse4(s, m)) {
		v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
	} else {
		return false;
	}
	long len = 0;
	while (len < 32 && (v & (0x80000000u >> len)))
		len++;
	*plen = len;
	return true;
}

/* inet ADDR[/LEN] [netmask M] [alias]; the default mask is the class's. */
static int set_inet(struct sim_node *n, struct sim_iface *ifp, int argc, char **argv)
{
	char text[32];
	snprintf(text, sizeof text, "%s", argv[0]);
	char *slash = strchr(text, '/');
	long plen = -1;
	if (slash) {
		*slash = '\0';
		if (!apps_parse_long(slash + 1, 0, 32, &plen)) {
			apps_say(n, "ifconfig: %s: bad value", argv[0]);
			return 1;
		}
	}
	uint8_t a[4];
	if (!apps_parse4(text, a)) {
		apps_say(n, "ifconfig: %s: bad value", argv[0]);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "netmask") == 0 && i + 1 < argc) {
			if (!parse_mask(argv[++i], &plen)) {
				apps_say(n, "ifconfig: %s: bad value", argv[i]);
				return 1;
			}
		} else if (strcmp(argv[i], "alias") != 0 && strcmp(argv[i], "add") != 0) {
			apps_say(n, "ifconfig: %s: bad value", argv[i]);
			return 1;
		}
	}
	if (plen < 0)
		plen = a[0] < 128 ? 8 : a[0] < 192 ? 16 : 24;
	if (in4_addr_add(ifp, a, (uint8_t)plen, NULL) < 0) {
		apps_say(n, "ifconfig: ioctl (SIOCAIFADDR): File exists");
		return 1;
	}
	return 0;
}

/* tunnel LOCAL4 REMOTE4 (gif(4)'s SIOCSIFPHYADDR) */
static int set_tunnel(struct sim_node *n, struct sim_iface *ifp, int argc, char **argv)
{
	uint8_t l[4], r[4];
	if (argc != 3 || !apps_parse4(argv[1], l) || !apps_parse4(argv[2], r)) {
		apps_say(n, "ifconfig: %s: bad value", argc > 1 ? argv[argc > 2 ? 2 : 1] : "tunnel");
		return 1;
	}
	if (tunnel_set_endpoints(ifp, l, r) != 0) {
		apps_say(n, "ifconfig: SIOCSIFPHYADDR: Invalid argument");
		return 1;
	}
	return 0;
}

static int configure(struct sim_node *n, struct sim_iface *ifp, int argc, char **argv)
{
	bool inet = strcmp(argv[0], "inet6") == 0 || strcmp(argv[0], "inet") == 0;
	if (inet && !n->net) {
		/* A bridge has no IP stack: FreeBSD's socket(AF_INET6) would fail. */
		apps_say(n, "ifconfig: socket: Protocol not supported");
		return 1;
	}
	if (strcmp(argv[0], "inet6") == 0 && argc >= 2)
		return set_inet6(n, ifp, argc - 1, argv + 1);
	if (strcmp(argv[0], "inet") == 0 && argc >= 2)
		return set_inet(n, ifp, argc - 1, argv + 1);
	if (strcmp(argv[0], "tunnel") == 0)
		return set_tunnel(n, ifp, argc, argv);
	for (int i = 0; i < argc; i++) {
		long v;
		if (strcmp(argv[i], "up") == 0) {
			bool was_up = ifp->flags & SIM_IFF_UP;
			ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
			if (!was_up && n->net)
				net_iface_up(ifp);
		} else if (strcmp(argv[i], "down") == 0) {
			ifp->flags &= ~(uint32_t)(SIM_IFF_UP | SIM_IFF_RUNNING);
		} else if (strcmp(argv[i], "mtu") == 0 && i + 1 < argc) {
			if (!apps_parse_long(argv[++i], 72, 65535, &v)) {
				apps_say(n, "ifconfig: ioctl (set mtu): Invalid argument");
				return 1;
			}
			ifp->mtu = (uint32_t)v;
		} else {
			apps_say(n, "ifconfig: %s: bad value", argv[i]);
			return 1;
		}
	}
	return 0;
}

int cmd_ifconfig(struct sim_node *n, int argc, char **argv)
{
	int first = 1;
	if (argc > 1 && strcmp(argv[1], "-a") == 0)
		first = 2;
	if (argc <= first) {
		for (int i = 0; i < n->nifaces; i++)
			show_iface(n, n->ifaces[i]);
		return 0;
	}
	if (argv[first][0] == '-') {
		apps_say(n, "usage: ifconfig [-L] [-C] [-g groupname] interface address_family\n"
		            "                [address [dest_address]] [parameters]\n"
		            "       ifconfig interface create\n"
		            "       ifconfig -a [-L] [-C] [-g groupname] [-d] [-m] [-u] [-v] [address_family]\n"
		            "       ifconfig -l [-d] [-u] [address_family]\n"
		            "       ifconfig [-L] [-C] [-g groupname] [-d] [-m] [-u] [-v]");
		return APPS_EX_USAGE;
	}
	if (argc == first + 2 && strcmp(argv[first + 1], "create") == 0) {
		if (!n->net || !tunnel_name_ok(argv[first])) {
			apps_say(n, "ifconfig: SIOCIFCREATE2: Invalid argument");
			return 1;
		}
		if (!tunnel_create(n, argv[first])) {
			apps_say(n, "ifconfig: SIOCIFCREATE2: File exists");
			return 1;
		}
		return 0;
	}
	struct sim_iface *ifp = sim_iface_find(n, argv[first]);
	if (!ifp) {
		apps_say(n, "ifconfig: interface %s does not exist", argv[first]);
		return 1;
	}
	if (argc == first + 1) {
		show_iface(n, ifp);
		return 0;
	}
	return configure(n, ifp, argc - first - 1, argv + first + 1);
}
