/*
 * Duplicate Address Detection (RFC 4862 5.4): a tentative address is
 * probed with DupAddrDetectTransmits (1) Neighbor Solicitations from ::
 * to its solicited-node group, RetransTimer (1 s) apart; silence makes it
 * usable, an NA for it or another node's DAD NS marks it DUPLICATED.
 * One timer per interface serves all its tentative addresses.
 */
#include "nd_var.h"

#include <stdlib.h>
#include <string.h>

static void nd_dad_timer(struct sim *sim, void *obj, uint64_t arg);

static void nd_dad_rearm(struct sim_iface *ifp, struct nd_ifstate *nd)
{
	sim_time next = SIM_NEVER;
	for (size_t i = 0; i < nd->ndad; i++)
		if (nd->dad[i].due < next)
			next = nd->dad[i].due;
	if (next == SIM_NEVER)
		timer_cancel(&nd->dad_timer);
	else if (next != nd->dad_timer.when)
		timer_arm(ifp->node->sim, &nd->dad_timer, next, nd_dad_timer, ifp);
}

static void nd_dad_remove(struct nd_ifstate *nd, size_t i)
{
	memmove(&nd->dad[i], &nd->dad[i + 1], (nd->ndad - i - 1) * sizeof *nd->dad);
	nd->ndad--;
}

static ptrdiff_t nd_dad_index(struct nd_ifstate *nd, const uint8_t addr[16])
{
	for (size_t i = 0; i < nd->ndad; i++)
		if (memcmp(nd->dad[i].addr, addr, 16) == 0)
			return (ptrdiff_t)i;
	return -1;
}

void nd_dad_start(struct sim_iface *ifp, const uint8_t addr[16], sim_time delay)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	if (!nd || nd_dad_index(nd, addr) >= 0)
		return;
	if (nd->ndad == nd->dadcap) {
		size_t cap = nd->dadcap ? nd->dadcap * 2 : 2;
		struct nd_dad *d = realloc(nd->dad, cap * sizeof *d);
		if (!d)
			return;
		nd->dad = d;
		nd->dadcap = cap;
	}
	struct nd_dad *d = &nd->dad[nd->ndad++];
	memcpy(d->addr, addr, 16);
	d->due = ifp->node->sim->now + delay;
	d->sent = 0;
	nd_dad_rearm(ifp, nd);
}

void nd_dad_stop(struct sim_iface *ifp, const uint8_t addr[16])
{
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	ptrdiff_t i = nd ? nd_dad_index(nd, addr) : -1;
	if (i < 0)
		return;
	nd_dad_remove(nd, (size_t)i);
	nd_dad_rearm(ifp, nd);
}

void nd_dad_duplicate(struct sim_iface *ifp, const uint8_t addr[16])
{
	struct in6_ifaddr *ia = in6_addr_find(ifp, addr);
	if (!ia || !(ia->flags & IN6_IFF_TENTATIVE))
		return;
	ia->flags = (uint8_t)((ia->flags & ~IN6_IFF_TENTATIVE) | IN6_IFF_DUPLICATED);
	nd_dad_stop(ifp, addr);
}

/* The address passed: usable from now on. */
static void nd_dad_success(struct sim_iface *ifp, const uint8_t addr[16])
{
	struct in6_ifaddr *ia = in6_addr_find(ifp, addr);
	if (!ia)
		return;
	ia->flags &= (uint8_t)~IN6_IFF_TENTATIVE;
	if (in6_is_linklocal(addr))
		nd_linklocal_ready(ifp);
}

static void nd_dad_timer(struct sim *sim, void *obj, uint64_t arg)
{
	struct sim_iface *ifp = obj;
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	if (!nd || !timer_current(&nd->dad_timer, arg))
		return;
	nd->dad_timer.when = SIM_NEVER;
	for (size_t i = 0; i < nd->ndad;) {
		struct nd_dad *d = &nd->dad[i];
		if (d->due > sim->now) {
			i++;
			continue;
		}
		if (d->sent < ND_DAD_TRANSMITS) {
			d->sent++;
			d->due = sim->now + (sim_time)nd->retrans_ms * SIM_MS;
			uint8_t target[16];
			memcpy(target, d->addr, 16);
			nd_ns_send(ifp, NULL, target, NULL);
			i++;
			continue;
		}
		uint8_t addr[16];
		memcpy(addr, d->addr, 16);
		nd_dad_remove(nd, i);
		nd_dad_success(ifp, addr);
	}
	nd_dad_rearm(ifp, nd);
}

void nd_iface_start(struct sim_iface *ifp)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	if (!nd)
		return;
	/* Tentative addresses configured while the interface was down. */
	bool ll_ready = false;
	for (size_t i = 0; i < ifp->in6->naddr; i++) {
		const struct in6_ifaddr *a = &ifp->in6->addr[i];
		if ((a->flags & IN6_IFF_TENTATIVE) && nd_dad_index(nd, a->addr) < 0)
			nd_dad_start(ifp, a->addr, 0);
		if (in6_is_linklocal(a->addr) && !(a->flags & IN6_IFF_NOTREADY))
			ll_ready = true;
	}
	if (ll_ready && !nd->nrouters && !nd->rs_left)
		nd_rs_start(ifp);
}
