/*
 * Stateless address autoconfiguration (RFC 4862): the EUI-64 interface
 * identifier, the link-local address an interface gets when it comes up,
 * and addresses formed from the prefixes routers advertise.
 */
#include "nd_var.h"

#include <string.h>

#define SLAAC_TWO_HOURS (2 * 3600 * SIM_S)
#define SLAAC_ID_BITS 64

void in6_eui64(const uint8_t mac[6], uint8_t id[8])
{
	/* RFC 4291 appendix A: insert ff:fe, flip the universal/local bit. */
	id[0] = mac[0] ^ 0x02;
	id[1] = mac[1];
	id[2] = mac[2];
	id[3] = 0xff;
	id[4] = 0xfe;
	id[5] = mac[3];
	id[6] = mac[4];
	id[7] = mac[5];
}

static bool mac_is_zero(const uint8_t mac[6])
{
	static const uint8_t zero[6];
	return memcmp(mac, zero, 6) == 0;
}

/* Interfaces without a MAC (tun0, p2p) borrow the first one the node has,
 * as FreeBSD's in6_get_hw_ifid does (the seed's tun0 shows sk0's). */
static void slaac_ifid(struct sim_iface *ifp, uint8_t id[8])
{
	const uint8_t *mac = ifp->mac;
	struct sim_node *n = ifp->node;
	for (int i = 0; mac_is_zero(mac) && i < n->nifaces; i++)
		mac = n->ifaces[i]->mac;
	if (mac_is_zero(mac)) {
		/* No hardware address anywhere: a stable one from the node id. */
		uint8_t made[6] = { 0x02, 0, 0, (uint8_t)(n->id >> 16), (uint8_t)(n->id >> 8),
		                    (uint8_t)n->id };
		in6_eui64(made, id);
		return;
	}
	in6_eui64(mac, id);
}

void slaac_linklocal(struct sim_iface *ifp, uint8_t addr[16])
{
	memset(addr, 0, 16);
	addr[0] = 0xfe;
	addr[1] = 0x80;
	slaac_ifid(ifp, addr + 8);
}

static sim_time slaac_lifetime(uint32_t s)
{
	return s == 0xffffffffu ? SIM_NEVER : (sim_time)s * SIM_S;
}

/* RFC 4861 6.3.4: the on-link flag makes (or refreshes, or with a zero
 * lifetime removes) the prefix's connected route. */
static void slaac_onlink(struct sim_iface *ifp, const uint8_t prefix[16], uint8_t plen,
                         uint32_t valid_s)
{
	struct route_table *t = &ifp->node->net->rt6;
	struct route r = { .family = 6, .plen = plen, .ifp = ifp, .flags = RTF_UP };
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;
		r.dst[i] = bits >= 8 ? prefix[i] : (uint8_t)(prefix[i] & (0xff00 >> bits));
	}
	if (!valid_s) {
		struct route *old = route_find(t, r.dst, plen);
		if (old && old->ifp == ifp && !(old->flags & RTF_GATEWAY))
			route_delete(t, 6, r.dst, plen);
		return;
	}
	route_add(t, &r); /* EEXIST: refresh the one there */
	struct route *have = route_find(t, r.dst, plen);
	if (!have || have->ifp != ifp || (have->flags & (RTF_GATEWAY | RTF_STATIC)))
		return;
	sim_time life = slaac_lifetime(valid_s);
	have->expires = life == SIM_NEVER ? SIM_NEVER : ifp->node->sim->now + life;
}

/* RFC 4862 5.5.3 (e): an existing autoconfigured address's lifetimes;
 * the two-hour rule keeps a forged RA from killing it at once. */
static void slaac_refresh(struct sim_iface *ifp, struct in6_ifaddr *ia, uint32_t valid_s,
                          uint32_t preferred_s)
{
	sim_time now = ifp->node->sim->now;
	sim_time valid = slaac_lifetime(valid_s), preferred = slaac_lifetime(preferred_s);
	sim_time remaining = ia->valid_until == SIM_NEVER ? SIM_NEVER : ia->valid_until - now;
	if (valid > SLAAC_TWO_HOURS || valid > remaining)
		ia->valid_until = valid == SIM_NEVER ? SIM_NEVER : now + valid;
	else if (remaining > SLAAC_TWO_HOURS)
		ia->valid_until = now + SLAAC_TWO_HOURS;
	ia->preferred_until = preferred == SIM_NEVER ? SIM_NEVER : now + preferred;
	if (ia->preferred_until > now)
		ia->flags &= (uint8_t)~IN6_IFF_DEPRECATED;
	nd_lifetimes_update(ifp);
}

void slaac_prefix(struct sim_iface *ifp, const uint8_t prefix[16], uint8_t plen, bool onlink,
                  bool autonomous, uint32_t valid_s, uint32_t preferred_s)
{
	if (!ifp->node->net || in6_is_linklocal(prefix) || in6_is_multicast(prefix) || plen > 128)
		return;
	if (onlink)
		slaac_onlink(ifp, prefix, plen, valid_s);
	/* 5.5.3 (a)-(d): autonomous, sane lifetimes, an identifier that fits. */
	if (!autonomous || preferred_s > valid_s || plen != 128 - SLAAC_ID_BITS)
		return;
	uint8_t addr[16];
	memcpy(addr, prefix, 8);
	slaac_ifid(ifp, addr + 8);
	struct in6_ifaddr *ia = in6_addr_find(ifp, addr);
	if (ia) {
		if (ia->flags & IN6_IFF_AUTOCONF)
			slaac_refresh(ifp, ia, valid_s, preferred_s);
		return;
	}
	if (!valid_s)
		return;
	in6_addr_add(ifp, addr, plen, IN6_IFF_TENTATIVE | IN6_IFF_AUTOCONF, slaac_lifetime(valid_s),
	             slaac_lifetime(preferred_s));
}
