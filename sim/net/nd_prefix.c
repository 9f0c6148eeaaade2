/*
 * The prefix list (RFC 4861 6.3.4, FreeBSD's nd_prefix list) as `ndp -p`
 * shows it: prefixes learnt from RAs with the lifetimes last advertised
 * and the routers that advertised them, and the prefixes of configured
 * addresses, which FreeBSD also keeps there (in6_control and
 * in6_ifattach_linklocal add them) with infinite lifetimes.
 */
#include "nd_dump.h"
#include "nd_var.h"

#include <string.h>

_Static_assert(ND_MAX_ROUTERS <= ND_PREFIX_MAX_ROUTERS, "nd_prefix_info holds every router");

static void prefix_mask(uint8_t out[16], const uint8_t in[16], uint8_t plen)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;
		out[i] = bits >= 8 ? in[i] : (uint8_t)(in[i] & (0xff00 >> bits));
	}
}

static bool prefix_contains(const uint8_t pfx[16], uint8_t plen, const uint8_t addr[16])
{
	uint8_t m[16];
	prefix_mask(m, addr, plen);
	return memcmp(m, pfx, 16) == 0;
}

static struct nd_prefix *prefix_find(struct nd_ifstate *nd, const uint8_t pfx[16], uint8_t plen)
{
	for (size_t i = 0; i < nd->nprefixes; i++)
		if (nd->prefixes[i].plen == plen && memcmp(nd->prefixes[i].prefix, pfx, 16) == 0)
			return &nd->prefixes[i];
	return NULL;
}

/* FreeBSD's nd6_timer deletes a prefix once a whole second has passed
 * its expiry (time_second - lastupdate > vltime). */
static bool prefix_dead(const struct nd_prefix *p, sim_time now)
{
	return p->expire != SIM_NEVER && now / SIM_S > p->expire / SIM_S;
}

static void prefix_purge(struct nd_ifstate *nd, sim_time now)
{
	size_t k = 0;
	for (size_t i = 0; i < nd->nprefixes; i++)
		if (!prefix_dead(&nd->prefixes[i], now))
			nd->prefixes[k++] = nd->prefixes[i];
	nd->nprefixes = k;
}

static void prefix_set_lifetimes(struct nd_prefix *p, sim_time now, uint32_t vltime,
                                 uint32_t pltime)
{
	p->vltime = vltime;
	p->pltime = pltime;
	p->expire = vltime == ND_INFINITE_LIFETIME ? SIM_NEVER : now + (sim_time)vltime * SIM_S;
}

/* A new prefix goes to the head, as nd6_prelist_add's LIST_INSERT_HEAD. */
static struct nd_prefix *prefix_new(struct nd_ifstate *nd, const uint8_t pfx[16], uint8_t plen)
{
	if (nd->nprefixes == ND_MAX_PREFIXES)
		return NULL;
	memmove(&nd->prefixes[1], &nd->prefixes[0], nd->nprefixes * sizeof *nd->prefixes);
	nd->nprefixes++;
	struct nd_prefix *p = &nd->prefixes[0];
	memset(p, 0, sizeof *p);
	memcpy(p->prefix, pfx, 16);
	p->plen = plen;
	return p;
}

static void prefix_add_router(struct nd_prefix *p, const uint8_t *router)
{
	for (size_t i = 0; i < p->nrouters; i++)
		if (memcmp(p->routers[i], router, 16) == 0)
			return;
	if (p->nrouters < ND_MAX_ROUTERS)
		memcpy(p->routers[p->nrouters++], router, 16);
}

/* FreeBSD's prelist_update, the list part (addresses are slaac.c's). */
void nd_prefix_learn(struct sim_iface *ifp, const uint8_t *router, const uint8_t prefix[16],
                     uint8_t plen, uint8_t flags, uint32_t vltime, uint32_t pltime)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	bool onlink = flags & 0x80, autonomous = flags & 0x40;
	sim_time now = ifp->node->sim->now;
	if (!nd || plen > 128 || in6_is_linklocal(prefix) || in6_is_multicast(prefix))
		return;
	prefix_purge(nd, now);
	uint8_t pfx[16];
	prefix_mask(pfx, prefix, plen);
	struct nd_prefix *p = prefix_find(nd, pfx, plen);
	if (!p) {
		/* Nothing to learn from a withdrawal or a prefix with neither flag. */
		if (!vltime || !(onlink || autonomous) || !(p = prefix_new(nd, pfx, plen)))
			return;
		/* Kept for its addresses only, an off-link prefix expires at once. */
		if (!onlink)
			prefix_set_lifetimes(p, now, 0, 0);
	}
	p->autonomous |= autonomous;
	if (onlink) {
		p->onlink = true;
		prefix_set_lifetimes(p, now, vltime, pltime);
	}
	if (router)
		prefix_add_router(p, router);
}

static bool is_router_of(struct sim_iface *ifp, const uint8_t a[16])
{
	for (size_t i = 0; i < nd_router_count(ifp); i++)
		if (memcmp(nd_router_addr(ifp, i, NULL), a, 16) == 0)
			return true;
	return false;
}

/* O: the on-link route of the prefix is in the table (NDPRF_ONLINK). */
static bool prefix_installed(struct sim_iface *ifp, const uint8_t pfx[16], uint8_t plen)
{
	uint8_t dst[16];
	memcpy(dst, pfx, 16);
	if (in6_is_linklocal(dst))
		in6_scope_embed(dst, ifp->index);
	struct route *r = ifp->node->net ? route_find(&ifp->node->net->rt6, dst, plen) : NULL;
	return r && r->ifp == ifp && !(r->flags & RTF_GATEWAY);
}

/* ref: the addresses built on the prefix (ia6_ndpr); FreeBSD never links
 * the link-local address to fe80::/64, which shows ref=0. */
static unsigned prefix_refs(struct sim_iface *ifp, const uint8_t pfx[16], uint8_t plen)
{
	unsigned refs = 0;
	for (size_t i = 0; !in6_is_linklocal(pfx) && i < ifp->in6->naddr; i++)
		refs += ifp->in6->addr[i].plen == plen &&
		        prefix_contains(pfx, plen, ifp->in6->addr[i].addr);
	return refs;
}

static void info_fill(struct sim_iface *ifp, struct nd_prefix_info *info)
{
	info->installed = prefix_installed(ifp, info->prefix, info->plen);
	info->refs = prefix_refs(ifp, info->prefix, info->plen);
}

/* The prefix of configured address i, unless listed already: by an RA or
 * by a newer address (FreeBSD keeps one entry per prefix). */
static bool configured_prefix(struct sim_iface *ifp, struct nd_ifstate *nd, size_t i,
                              struct nd_prefix_info *info)
{
	const struct in6_ifaddr *a = &ifp->in6->addr[i];
	if (a->plen >= 128 || (a->flags & IN6_IFF_AUTOCONF))
		return false;
	prefix_mask(info->prefix, a->addr, a->plen);
	if (nd && prefix_find(nd, info->prefix, a->plen))
		return false;
	for (size_t j = i + 1; j < ifp->in6->naddr; j++) {
		const struct in6_ifaddr *b = &ifp->in6->addr[j];
		if (b->plen == a->plen && !(b->flags & IN6_IFF_AUTOCONF) &&
		    prefix_contains(info->prefix, a->plen, b->addr))
			return false;
	}
	info->plen = a->plen;
	info->onlink = true;
	/* in6_ifattach_linklocal sets A on fe80::/64 too. */
	info->autonomous = in6_is_linklocal(info->prefix);
	info->vltime = info->pltime = ND_INFINITE_LIFETIME;
	info->expire = SIM_NEVER;
	info_fill(ifp, info);
	return true;
}

/* Prefixes of configured addresses, newest first; fe80::/64 last, as it
 * is made when the interface attaches, before any other. */
static void dump_configured(struct sim_iface *ifp, struct nd_ifstate *nd,
                            void (*fn)(void *user, const struct nd_prefix_info *p), void *user)
{
	for (int linklocal = 0; linklocal < 2; linklocal++)
		for (size_t i = ifp->in6->naddr; i-- > 0;) {
			struct nd_prefix_info info = { .plen = 0 };
			if (in6_is_linklocal(ifp->in6->addr[i].addr) == (bool)linklocal &&
			    configured_prefix(ifp, nd, i, &info))
				fn(user, &info);
		}
}

void nd_prefix_dump(struct sim_iface *ifp, void (*fn)(void *user, const struct nd_prefix_info *p),
                    void *user)
{
	if (!ifp->in6)
		return;
	struct nd_ifstate *nd = ifp->in6->nd;
	sim_time now = ifp->node->sim->now;
	for (size_t i = 0; nd && i < nd->nprefixes; i++) {
		const struct nd_prefix *p = &nd->prefixes[i];
		if (prefix_dead(p, now))
			continue;
		struct nd_prefix_info info = { .plen = p->plen, .onlink = p->onlink,
		                               .autonomous = p->autonomous, .vltime = p->vltime,
		                               .pltime = p->pltime, .expire = p->expire };
		memcpy(info.prefix, p->prefix, 16);
		/* A router gone from the default router list leaves the prefix's
		 * list too (defrtrlist_del calls pfxrtr_del). */
		for (size_t r = 0; r < p->nrouters; r++)
			if (is_router_of(ifp, p->routers[r]))
				memcpy(info.routers[info.nrouters++], p->routers[r], 16);
		info_fill(ifp, &info);
		fn(user, &info);
	}
	dump_configured(ifp, nd, fn, user);
}
