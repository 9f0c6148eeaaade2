/*
 * Route and address expectations: is the route in the node's table, is
 * the address on the interface (and usable: not tentative, not a
 * duplicate)? When not, what is there instead, for the verdict.
 */
#include "expect.h"
#include "../net/net.h"

#include <arpa/inet.h>
#include <string.h>

/* Link-local addresses may carry the KAME scope id in bytes 2-3 inside the
 * stack: compare them without it. */
static bool same_addr(int family, const uint8_t *a, const uint8_t *b)
{
	if (family == 4)
		return memcmp(a, b, 4) == 0;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return memcmp(a, b, 2) == 0 && memcmp(a + 4, b + 4, 12) == 0;
	return memcmp(a, b, 16) == 0;
}

static void put(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
	size_t used = strlen(buf);
	if (used < len)
		snprintf(buf + used, len - used, fmt, a, b);
}

static void describe_route(const struct route *r, char *buf, size_t len)
{
	char dst[INET6_ADDRSTRLEN + 8], gw[INET6_ADDRSTRLEN];
	uint8_t a[16];
	static const uint8_t zero[16];

	memcpy(a, r->dst, 16);
	if (r->family == 6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		a[2] = a[3] = 0;
	inet_ntop(r->family == 4 ? AF_INET : AF_INET6, a, dst, INET6_ADDRSTRLEN);
	snprintf(dst + strlen(dst), 8, "/%u", r->plen);
	put(buf, len, "%s%s", buf[0] ? "; " : "", dst);
	if (memcmp(r->gateway, zero, r->family == 4 ? 4 : 16) != 0) {
		memcpy(a, r->gateway, 16);
		if (r->family == 6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
			a[2] = a[3] = 0;
		inet_ntop(r->family == 4 ? AF_INET : AF_INET6, a, gw, sizeof gw);
		put(buf, len, " via %s%s", gw, "");
	}
	if (r->ifp)
		put(buf, len, " on %s%s", r->ifp->name, "");
}

static bool route_fits(const struct route *r, const struct scn_expect *e)
{
	if (r->plen != e->prefix.plen || !same_addr(e->prefix.family, r->dst, e->prefix.addr))
		return false;
	if (e->via && !same_addr(e->prefix.family, r->gateway, e->via_addr.addr))
		return false;
	if (e->via_scope[0] && (!r->ifp || strcmp(r->ifp->name, e->via_scope) != 0))
		return false;
	return !e->iface[0] || (r->ifp && strcmp(r->ifp->name, e->iface) == 0);
}

bool xp_has_route(struct sim_node *n, const struct scn_expect *e, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!n->net) {
		snprintf(buf, len, "%s has no network stack", n->name);
		return false;
	}
	const struct route_table *t = e->prefix.family == 4 ? &n->net->rt4 : &n->net->rt6;
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].family == e->prefix.family && route_fits(&t->r[i], e))
			return true;
	for (size_t i = 0; i < t->n; i++)
		describe_route(&t->r[i], buf, len);
	if (!buf[0])
		snprintf(buf, len, "no IPv%d routes", e->prefix.family);
	return false;
}

static bool has6(struct sim_iface *ifp, const struct scn_expect *e, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], pl[8];

	for (size_t i = 0; ifp->in6 && i < ifp->in6->naddr; i++) {
		const struct in6_ifaddr *ia = &ifp->in6->addr[i];
		bool usable = !(ia->flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED));
		if (usable && same_addr(6, ia->addr, e->prefix.addr) &&
		    (!e->has_plen || ia->plen == e->prefix.plen))
			return true;
		uint8_t shown[16];
		memcpy(shown, ia->addr, 16);
		if (shown[0] == 0xfe && (shown[1] & 0xc0) == 0x80)
			shown[2] = shown[3] = 0;
		inet_ntop(AF_INET6, shown, a, sizeof a);
		snprintf(pl, sizeof pl, "/%u", ia->plen);
		put(buf, len, "%s%s", buf[0] ? "; " : "", a);
		put(buf, len, "%s%s", pl, ia->flags & IN6_IFF_TENTATIVE ? " tentative" :
		                          ia->flags & IN6_IFF_DUPLICATED ? " duplicated" : "");
	}
	return false;
}

static bool has4(struct sim_iface *ifp, const struct scn_expect *e, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN], pl[8];

	for (size_t i = 0; ifp->in4 && i < ifp->in4->naddr; i++) {
		const struct in4_ifaddr *ia = &ifp->in4->addr[i];
		if (same_addr(4, ia->addr, e->prefix.addr) && (!e->has_plen || ia->plen == e->prefix.plen))
			return true;
		inet_ntop(AF_INET, ia->addr, a, sizeof a);
		snprintf(pl, sizeof pl, "/%u", ia->plen);
		put(buf, len, "%s%s", buf[0] ? "; " : "", a);
		put(buf, len, "%s%s", pl, "");
	}
	return false;
}

bool xp_has_address(struct sim_node *n, const struct scn_expect *e, char *buf, size_t len)
{
	struct sim_iface *ifp = sim_iface_find(n, e->iface);

	buf[0] = '\0';
	if (!ifp) {
		snprintf(buf, len, "%s has no interface %s", n->name, e->iface);
		return false;
	}
	if (e->prefix.family == 6 ? has6(ifp, e, buf, len) : has4(ifp, e, buf, len))
		return true;
	if (!buf[0])
		snprintf(buf, len, "no IPv%d address on %s", e->prefix.family, e->iface);
	return false;
}
