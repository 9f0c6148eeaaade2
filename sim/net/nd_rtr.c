/*
 * Router discovery (RFC 4861 6): hosts solicit routers when their
 * link-local address is ready and learn default routers, link parameters
 * and prefixes from advertisements; a router running rtadvd advertises
 * (unsolicited and in answer to solicitations, timing as FreeBSD's
 * rtadvd). Also the per-interface timer expiring what RAs gave.
 */
#include "nd_var.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };

#define RTADV_MAX_INTERVAL_MS 600000u  /* rtadvd maxinterval default */
#define RTADV_MIN_INTERVAL_MS 198000u  /* 0.33 x maxinterval */
#define RTADV_DEFAULT_LIFETIME 1800    /* 3 x maxinterval, in s */
#define RTADV_PREFIX_VALID 2592000u    /* rtadvd defaults, in s */
#define RTADV_PREFIX_PREFERRED 604800u

static bool nd_is_host(const struct sim_node *n)
{
	return n->net && n->net->accept_rtadv && !n->net->forwarding6 && !n->net->path_hop;
}

/* The usable link-local address of ifp, NULL while it is tentative. */
static const uint8_t *nd_linklocal(struct sim_iface *ifp)
{
	struct in6_ifstate *s = ifp->in6;
	for (size_t i = 0; s && i < s->naddr; i++)
		if (in6_is_linklocal(s->addr[i].addr) && !(s->addr[i].flags & IN6_IFF_NOTREADY))
			return s->addr[i].addr;
	return NULL;
}

/* ---- router solicitation (hosts) ------------------------------------- */

static void nd_rs_send(struct sim_iface *ifp)
{
	uint8_t msg[16] = { ND_ROUTER_SOLICIT, 0 };
	static const uint8_t unspec[16];
	const uint8_t *ll = nd_linklocal(ifp);
	uint8_t src[16];
	memcpy(src, ll ? ll : unspec, 16);
	size_t len = 8;
	if (ll && ifp->link && ifp->link->kind == LINK_ETHERNET) {
		msg[8] = ND_OPT_SOURCE_LINKADDR;
		msg[9] = 1;
		memcpy(msg + 10, ifp->mac, 6);
		len = 16;
	}
	nd_send(ifp, src, all_routers, msg, len);
}

static void nd_rs_timer(struct sim *sim, void *obj, uint64_t arg)
{
	struct sim_iface *ifp = obj;
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	if (!nd || !timer_current(&nd->rs_timer, arg))
		return;
	nd->rs_timer.when = SIM_NEVER;
	if (!nd->rs_left || nd->nrouters)
		return;
	nd->rs_left--;
	nd_rs_send(ifp);
	if (nd->rs_left)
		timer_arm(sim, &nd->rs_timer, sim->now + ND_RTR_SOLICITATION_INTERVAL_MS * SIM_MS,
		          nd_rs_timer, ifp);
}

void nd_rs_start(struct sim_iface *ifp)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	if (!nd || !nd_is_host(ifp->node))
		return;
	nd->rs_left = ND_MAX_RTR_SOLICITATIONS;
	timer_arm(ifp->node->sim, &nd->rs_timer, ifp->node->sim->now, nd_rs_timer, ifp);
}

void nd_linklocal_ready(struct sim_iface *ifp)
{
	/* rtsold solicits once the link-local address can be the source. */
	nd_rs_start(ifp);
}

/* ---- default router list and lifetimes (hosts) ------------------------ */

static struct route *nd_default_route(struct sim_node *n)
{
	static const uint8_t any[16];
	return route_find(&n->net->rt6, any, 0);
}

/* RFC 4861 6.3.6, as FreeBSD's defrouter_select: one default route, via
 * the first router of the list, unless one is set already (static). */
static void nd_defrouter_select(struct sim_iface *ifp, struct nd_ifstate *nd)
{
	struct sim_node *n = ifp->node;
	if (!nd->nrouters || nd_default_route(n))
		return;
	struct route r = { .family = 6, .plen = 0, .ifp = ifp, .flags = RTF_UP | RTF_GATEWAY,
	                   .expires = SIM_NEVER };
	memcpy(r.gateway, nd->routers[0].addr, 16);
	route_add(&n->net->rt6, &r);
}

static void nd_router_remove(struct sim_iface *ifp, struct nd_ifstate *nd, size_t i)
{
	struct route *d = nd_default_route(ifp->node);
	if (d && d->ifp == ifp && (d->flags & RTF_GATEWAY) && !(d->flags & RTF_STATIC) &&
	    memcmp(d->gateway, nd->routers[i].addr, 16) == 0) {
		static const uint8_t any[16];
		route_delete(&ifp->node->net->rt6, 6, any, 0);
	}
	memmove(&nd->routers[i], &nd->routers[i + 1], (nd->nrouters - i - 1) * sizeof *nd->routers);
	nd->nrouters--;
	nd_defrouter_select(ifp, nd);
}

static void nd_router_update(struct sim_iface *ifp, struct nd_ifstate *nd, const uint8_t a[16],
                             uint16_t lifetime_s)
{
	size_t i = 0;
	while (i < nd->nrouters && memcmp(nd->routers[i].addr, a, 16) != 0)
		i++;
	if (!lifetime_s) {
		if (i < nd->nrouters)
			nd_router_remove(ifp, nd, i);
		return;
	}
	if (i == nd->nrouters) {
		if (nd->nrouters == ND_MAX_ROUTERS)
			return;
		memcpy(nd->routers[nd->nrouters++].addr, a, 16);
	}
	nd->routers[i].expires = ifp->node->sim->now + (sim_time)lifetime_s * SIM_S;
	nd_defrouter_select(ifp, nd);
}

size_t nd_router_count(struct sim_iface *ifp)
{
	return ifp->in6 && ifp->in6->nd ? ifp->in6->nd->nrouters : 0;
}

const uint8_t *nd_router_addr(struct sim_iface *ifp, size_t i, sim_time *expires)
{
	if (i >= nd_router_count(ifp))
		return NULL;
	if (expires)
		*expires = ifp->in6->nd->routers[i].expires;
	return ifp->in6->nd->routers[i].addr;
}

static void nd_life_timer(struct sim *sim, void *obj, uint64_t arg);

void nd_lifetimes_update(struct sim_iface *ifp)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	struct net_node *net = ifp->node->net;
	if (!nd || !net)
		return;
	sim_time next = route_next_expiry(&net->rt6, ifp);
	for (size_t i = 0; i < nd->nrouters; i++)
		if (nd->routers[i].expires < next)
			next = nd->routers[i].expires;
	for (size_t i = 0; i < ifp->in6->naddr; i++) {
		const struct in6_ifaddr *a = &ifp->in6->addr[i];
		if (a->valid_until < next)
			next = a->valid_until;
		if (!(a->flags & IN6_IFF_DEPRECATED) && a->preferred_until < next)
			next = a->preferred_until;
	}
	if (next == SIM_NEVER)
		timer_cancel(&nd->life_timer);
	else if (next != nd->life_timer.when)
		timer_arm(ifp->node->sim, &nd->life_timer, next, nd_life_timer, ifp);
}

static void nd_life_timer(struct sim *sim, void *obj, uint64_t arg)
{
	struct sim_iface *ifp = obj;
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	if (!nd || !timer_current(&nd->life_timer, arg))
		return;
	nd->life_timer.when = SIM_NEVER;
	for (size_t i = 0; i < nd->nrouters;) {
		if (nd->routers[i].expires <= sim->now)
			nd_router_remove(ifp, nd, i);
		else
			i++;
	}
	for (size_t i = 0; i < ifp->in6->naddr;) {
		struct in6_ifaddr *a = &ifp->in6->addr[i];
		if (a->valid_until <= sim->now) {
			uint8_t gone[16];
			memcpy(gone, a->addr, 16);
			in6_addr_del(ifp, gone);
			continue;
		}
		if (a->preferred_until <= sim->now)
			a->flags |= IN6_IFF_DEPRECATED;
		i++;
	}
	route_expire(&ifp->node->net->rt6, sim->now);
	nd_lifetimes_update(ifp);
}

/* ---- router advertisement input (hosts) ------------------------------- */

struct ra_ctx {
	struct sim_iface *ifp;
	const uint8_t *router;      /* for the prefix list; NULL: router lifetime 0 */
};

static void ra_option(void *user, uint8_t type, const uint8_t *o, size_t olen)
{
	struct ra_ctx *c = user;
	struct sim_iface *ifp = c->ifp;
	if (type == ND_OPT_MTU && olen == 8) {
		uint32_t mtu = nd_rd32(o + 4);
		/* RFC 4861 6.3.4: only a sane value no larger than the link's. */
		if (mtu >= 1280 && mtu <= (ifp->mtu ? ifp->mtu : 1500))
			ifp->in6->nd->linkmtu = mtu;
	} else if (type == ND_OPT_PREFIX_INFORMATION && olen == 32) {
		uint8_t plen = o[2], flags = o[3];
		if (plen > 128)
			return;
		nd_prefix_learn(ifp, c->router, o + 16, plen, flags, nd_rd32(o + 4), nd_rd32(o + 8));
		slaac_prefix(ifp, o + 16, plen, flags & 0x80, flags & 0x40, nd_rd32(o + 4),
		             nd_rd32(o + 8));
	}
}

void nd_ra_input(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp, size_t len)
{
	const uint8_t *src = ip6 + 8;
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	uint8_t mac[6];
	/* RFC 4861 6.1.2: from a link-local address, options well formed. */
	if (!nd || !nd_is_host(ifp->node) || !in6_is_linklocal(src))
		return;
	int has_sll = nd_find_lladdr(icmp + 16, len - 16, ND_OPT_SOURCE_LINKADDR, mac);
	if (has_sll < 0)
		return;
	if (icmp[4])
		nd->chlim = icmp[4];
	uint32_t reachable = nd_rd32(icmp + 8), retrans = nd_rd32(icmp + 12);
	if (reachable && reachable != nd->base_reachable_ms) {
		nd->base_reachable_ms = reachable;
		nd->reachable_ms = reachable / 2 + prng_below(&ifp->node->sim->prng, reachable ? reachable : 1);
	}
	if (retrans)
		nd->retrans_ms = retrans;
	if (has_sll)
		nd_neighbor_learn(ifp, src, mac, 1);
	struct ra_ctx c = { ifp, nd_rd16(icmp + 6) ? src : NULL };
	nd_options(icmp + 16, len - 16, ra_option, &c);
	uint8_t router[16];
	memcpy(router, src, 16);
	nd_router_update(ifp, nd, router, nd_rd16(icmp + 6));
	/* An answer: no more solicitations. */
	nd->rs_left = 0;
	timer_cancel(&nd->rs_timer);
	nd_lifetimes_update(ifp);
}

/* ---- rtadvd (routers) ----------------------------------------------------- */

static void nd_rtadv_timer(struct sim *sim, void *obj, uint64_t arg);

static size_t nd_ra_build(struct sim_iface *ifp, const struct nd_rtadv *ra, uint8_t *msg,
                          size_t cap)
{
	size_t len = 16;
	if (cap < 32 + 32 * ra->npfx)
		return 0;
	memset(msg, 0, 16);
	msg[0] = ND_ROUTER_ADVERT;
	msg[4] = 64; /* AdvCurHopLimit */
	nd_wr16(msg + 6, ra->lifetime_s);
	if (ifp->link && ifp->link->kind == LINK_ETHERNET) {
		msg[len] = ND_OPT_SOURCE_LINKADDR;
		msg[len + 1] = 1;
		memcpy(msg + len + 2, ifp->mac, 6);
		len += 8;
	}
	memset(msg + len, 0, 8);
	msg[len] = ND_OPT_MTU;
	msg[len + 1] = 1;
	nd_wr32(msg + len + 4, ifp->mtu ? ifp->mtu : 1500);
	len += 8;
	for (size_t i = 0; i < ra->npfx; i++) {
		const struct nd_ra_prefix *p = &ra->pfx[i];
		uint8_t *o = msg + len;
		memset(o, 0, 32);
		o[0] = ND_OPT_PREFIX_INFORMATION;
		o[1] = 4;
		o[2] = p->plen;
		o[3] = (uint8_t)((p->onlink ? 0x80 : 0) | (p->autonomous ? 0x40 : 0));
		nd_wr32(o + 4, p->valid_s);
		nd_wr32(o + 8, p->preferred_s);
		memcpy(o + 16, p->prefix, 16);
		len += 32;
	}
	return len;
}

/* rtadvd's ra_timer_update: uniform in [min, max), the first
 * MAX_INITIAL_RTR_ADVERTISEMENTS capped at 16 s. */
static sim_time nd_rtadv_interval(struct sim *sim, const struct nd_rtadv *ra)
{
	uint32_t ms = ra->min_interval_ms +
	              prng_below(&sim->prng, ra->max_interval_ms - ra->min_interval_ms);
	if (ra->sent < ND_MAX_INITIAL_RTR_ADVERTISEMENTS && ms > ND_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS)
		ms = ND_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS;
	return (sim_time)ms * SIM_MS;
}

static void nd_rtadv_send(struct sim_iface *ifp, struct nd_rtadv *ra)
{
	uint8_t msg[PBUF_SIZE - PBUF_HEADROOM - 40];
	const uint8_t *ll = nd_linklocal(ifp);
	size_t len = nd_ra_build(ifp, ra, msg, sizeof msg);
	if (!ll || !len)
		return;
	uint8_t src[16];
	memcpy(src, ll, 16);
	nd_send(ifp, src, all_nodes, msg, len);
	ra->sent++;
	ra->last_mcast = ifp->node->sim->now;
}

static void nd_rtadv_timer(struct sim *sim, void *obj, uint64_t arg)
{
	struct sim_iface *ifp = obj;
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	struct nd_rtadv *ra = nd ? nd->rtadv : NULL;
	if (!ra || !timer_current(&ra->timer, arg))
		return;
	ra->timer.when = SIM_NEVER;
	if (!nd_linklocal(ifp)) {
		/* Our link-local is still under DAD: try again in a second. */
		timer_arm(sim, &ra->timer, sim->now + SIM_S, nd_rtadv_timer, ifp);
		return;
	}
	nd_rtadv_send(ifp, ra);
	timer_arm(sim, &ra->timer, sim->now + nd_rtadv_interval(sim, ra), nd_rtadv_timer, ifp);
}

int nd_rtadv_start(struct sim_iface *ifp, const struct nd_ra_prefix *p, size_t np,
                   uint16_t router_lifetime_s)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	if (!nd || (np && !p) || np > 32)
		return -1;
	struct nd_ra_prefix *copy = np ? calloc(np, sizeof *copy) : NULL;
	if (np && !copy)
		return -1;
	for (size_t i = 0; i < np; i++) {
		copy[i] = p[i];
		if (!copy[i].valid_s)
			copy[i].valid_s = RTADV_PREFIX_VALID;
		if (!copy[i].preferred_s)
			copy[i].preferred_s = RTADV_PREFIX_PREFERRED;
		if (copy[i].plen > 128)
			copy[i].plen = 128;
	}
	struct nd_rtadv *ra = nd->rtadv;
	if (!ra) {
		ra = calloc(1, sizeof *ra);
		if (!ra) {
			free(copy);
			return -1;
		}
		nd_timer_init(&ra->timer);
		ra->last_mcast = SIM_NEVER;
		nd->rtadv = ra;
	}
	free(ra->pfx);
	ra->pfx = copy;
	ra->npfx = np;
	ra->lifetime_s = router_lifetime_s ? router_lifetime_s : RTADV_DEFAULT_LIFETIME;
	ra->min_interval_ms = RTADV_MIN_INTERVAL_MS;
	ra->max_interval_ms = RTADV_MAX_INTERVAL_MS;
	in6_join(ifp, all_routers);
	struct sim *sim = ifp->node->sim;
	if (ra->timer.when == SIM_NEVER)
		timer_arm(sim, &ra->timer, sim->now + nd_rtadv_interval(sim, ra), nd_rtadv_timer, ifp);
	return 0;
}

void nd_rtadv_stop(struct sim_iface *ifp)
{
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	if (!nd || !nd->rtadv)
		return;
	timer_cancel(&nd->rtadv->timer);
	free(nd->rtadv->pfx);
	free(nd->rtadv);
	nd->rtadv = NULL;
}

void nd_rs_input(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp, size_t len)
{
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	struct nd_rtadv *ra = nd ? nd->rtadv : NULL;
	const uint8_t *src = ip6 + 8;
	uint8_t mac[6];
	int has_sll = nd_find_lladdr(icmp + 8, len - 8, ND_OPT_SOURCE_LINKADDR, mac);
	/* RFC 4861 6.1.1: no source option from the unspecified address. */
	if (!ra || has_sll < 0 || (in6_is_unspec(src) && has_sll))
		return;
	if (has_sll)
		nd_neighbor_learn(ifp, src, mac, 0);
	/* 6.2.6: answer after 0-500 ms, never within 3 s of the last RA. */
	struct sim *sim = ifp->node->sim;
	sim_time t = sim->now + (sim_time)prng_below(&sim->prng, ND_MAX_RA_DELAY_TIME_MS) * SIM_MS;
	if (ra->last_mcast != SIM_NEVER && t < ra->last_mcast + ND_MIN_DELAY_BETWEEN_RAS_MS * SIM_MS)
		t = ra->last_mcast + ND_MIN_DELAY_BETWEEN_RAS_MS * SIM_MS;
	if (t < ra->timer.when)
		timer_arm(sim, &ra->timer, t, nd_rtadv_timer, ifp);
}
