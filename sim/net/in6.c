/*
 * IPv6 interface addresses and multicast groups: adding/removing
 * addresses (with their solicited-node group, connected route and DAD),
 * joining groups (with the Ethernet multicast filter), scope ids.
 */
#include "nd_var.h"

#include <stdlib.h>
#include <string.h>

struct in6_ifstate *in6_ifstate_get(struct sim_iface *ifp)
{
	if (!ifp->in6)
		ifp->in6 = calloc(1, sizeof *ifp->in6);
	return ifp->in6;
}

void in6_scope_embed(uint8_t a[16], uint32_t index)
{
	if (in6_is_link_scoped(a)) {
		a[2] = (uint8_t)(index >> 8);
		a[3] = (uint8_t)index;
	}
}

uint32_t in6_scope_clear(uint8_t a[16])
{
	if (!in6_is_link_scoped(a))
		return 0;
	uint32_t index = (uint32_t)a[2] << 8 | a[3];
	a[2] = a[3] = 0;
	return index;
}

void in6_solicited_node(const uint8_t addr[16], uint8_t group[16])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff };
	memcpy(group, pfx, sizeof pfx);
	memcpy(group + 13, addr + 13, 3);
}

bool in6_joined(const struct sim_iface *ifp, const uint8_t group[16])
{
	const struct in6_ifstate *s = ifp->in6;
	if (!s)
		return false;
	for (size_t i = 0; i < s->ngroups; i++)
		if (memcmp(s->groups[i], group, 16) == 0)
			return true;
	return false;
}

/* Groups are never left (an address removal keeps its solicited-node
 * group: another address may share it; a stray membership is harmless). */
void in6_join(struct sim_iface *ifp, const uint8_t group[16])
{
	struct in6_ifstate *s = in6_ifstate_get(ifp);
	if (!s || !in6_is_multicast(group) || in6_joined(ifp, group))
		return;
	if (s->ngroups == s->gcap) {
		size_t cap = s->gcap ? s->gcap * 2 : 4;
		uint8_t(*g)[16] = realloc(s->groups, cap * sizeof *g);
		if (!g)
			return;
		s->groups = g;
		s->gcap = cap;
	}
	memcpy(s->groups[s->ngroups++], group, 16);
	if (ifp->link && ifp->link->kind == LINK_ETHERNET) {
		uint8_t mac[6];
		ether_map_ip6_multicast(group, mac);
		sim_link_join(ifp, mac);
	}
}

struct in6_ifaddr *in6_addr_find(struct sim_iface *ifp, const uint8_t addr[16])
{
	struct in6_ifstate *s = ifp->in6;
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->naddr; i++)
		if (memcmp(s->addr[i].addr, addr, 16) == 0)
			return &s->addr[i];
	return NULL;
}

static bool in6_same_prefix(const uint8_t *a, const uint8_t *b, uint8_t plen)
{
	size_t whole = plen / 8;
	unsigned rest = plen % 8;
	if (memcmp(a, b, whole) != 0)
		return false;
	return !rest || ((a[whole] ^ b[whole]) & (0xff << (8 - rest))) == 0;
}

static sim_time lifetime_end(const struct sim *sim, sim_time lifetime)
{
	if (lifetime == SIM_NEVER || lifetime > SIM_NEVER - sim->now)
		return SIM_NEVER;
	return sim->now + lifetime;
}

/* The connected route of an address's prefix ("fe80::%sk0/64 link#1 U"). */
static void in6_connected_route(struct sim_iface *ifp, const uint8_t addr[16], uint8_t plen)
{
	struct net_node *net = ifp->node->net;
	if (!net || plen >= 128)
		return;
	struct route r = { .family = 6, .plen = plen, .ifp = ifp, .flags = RTF_UP,
	                   .expires = SIM_NEVER };
	memcpy(r.dst, addr, 16);
	in6_scope_embed(r.dst, ifp->index);
	route_add(&net->rt6, &r); /* already there: fine */
}

int in6_addr_add(struct sim_iface *ifp, const uint8_t addr[16], uint8_t plen, uint8_t flags,
                 sim_time valid, sim_time preferred)
{
	struct sim *sim = ifp->node->sim;
	struct in6_ifstate *s = in6_ifstate_get(ifp);
	if (!s || plen > 128 || in6_is_multicast(addr) || in6_is_unspec(addr))
		return -2;
	struct in6_ifaddr *a = in6_addr_find(ifp, addr);
	if (a) {
		a->valid_until = lifetime_end(sim, valid);
		a->preferred_until = lifetime_end(sim, preferred);
		nd_lifetimes_update(ifp);
		return -1;
	}
	if (s->naddr == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 2;
		struct in6_ifaddr *na = realloc(s->addr, cap * sizeof *na);
		if (!na)
			return -2;
		s->addr = na;
		s->cap = cap;
	}
	a = &s->addr[s->naddr++];
	memset(a, 0, sizeof *a);
	memcpy(a->addr, addr, 16);
	a->plen = plen;
	a->flags = flags & (IN6_IFF_TENTATIVE | IN6_IFF_AUTOCONF | IN6_IFF_DEPRECATED);
	a->valid_until = lifetime_end(sim, valid);
	a->preferred_until = lifetime_end(sim, preferred);
	uint8_t sn[16];
	in6_solicited_node(addr, sn);
	in6_join(ifp, sn);
	in6_connected_route(ifp, addr, plen);
	if (a->flags & IN6_IFF_TENTATIVE) {
		/* RFC 4862 5.4.2: a random delay first, spreading a LAN's
		 * simultaneous starts (FreeBSD: IN6_IFAUPDATE_DADDELAY). */
		sim_time delay = (sim_time)prng_below(&sim->prng, ND_MAX_RTR_SOLICITATION_DELAY_MS) * SIM_MS;
		nd_dad_start(ifp, addr, delay);
	}
	if (valid != SIM_NEVER || preferred != SIM_NEVER)
		nd_lifetimes_update(ifp);
	return 0;
}

int in6_addr_del(struct sim_iface *ifp, const uint8_t addr[16])
{
	struct in6_ifstate *s = ifp->in6;
	struct in6_ifaddr *a = in6_addr_find(ifp, addr);
	if (!s || !a)
		return -1;
	uint8_t plen = a->plen;
	size_t i = (size_t)(a - s->addr);
	memmove(&s->addr[i], &s->addr[i + 1], (s->naddr - i - 1) * sizeof *s->addr);
	s->naddr--;
	nd_dad_stop(ifp, addr);
	/* The connected route goes when no other address uses that prefix. */
	struct net_node *net = ifp->node->net;
	if (!net || plen >= 128)
		return 0;
	uint8_t pfx[16];
	memcpy(pfx, addr, 16);
	for (size_t j = 0; j < s->naddr; j++)
		if (s->addr[j].plen == plen && in6_same_prefix(pfx, s->addr[j].addr, plen))
			return 0;
	in6_scope_embed(pfx, ifp->index);
	route_delete(&net->rt6, 6, pfx, plen);
	return 0;
}
