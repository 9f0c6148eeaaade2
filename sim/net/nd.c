/*
 * Neighbor Discovery, address resolution half (RFC 4861 7): the
 * neighbour cache of each interface with its reachability states,
 * Neighbor Solicitations and Advertisements, BSD's one-packet hold queue.
 */
#include "nd_var.h"

#include <stdlib.h>
#include <string.h>

const char *const nd_state_names[] = { "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE" };

void nd_timer_init(struct sim_timer *t)
{
	t->gen = 0;
	t->when = SIM_NEVER;
}

struct nd_ifstate *nd_ifstate_get(struct sim_iface *ifp)
{
	struct in6_ifstate *s = in6_ifstate_get(ifp);
	if (!s)
		return NULL;
	if (!s->nd) {
		struct nd_ifstate *nd = calloc(1, sizeof *nd);
		if (!nd)
			return NULL;
		nd->base_reachable_ms = ND_REACHABLE_TIME_MS;
		/* RFC 4861 6.3.2: ReachableTime is BaseReachableTime x [0.5, 1.5). */
		nd->reachable_ms = ND_REACHABLE_TIME_MS / 2 +
		                   prng_below(&ifp->node->sim->prng, ND_REACHABLE_TIME_MS);
		nd->retrans_ms = ND_RETRANS_TIMER_MS;
		nd_timer_init(&nd->dad_timer);
		nd_timer_init(&nd->rs_timer);
		nd_timer_init(&nd->life_timer);
		s->nd = nd;
	}
	return s->nd;
}

void nd_ifstate_free(struct sim *sim, struct nd_ifstate *nd)
{
	if (!nd)
		return;
	for (size_t i = 0; i < nd->nall; i++) {
		if (nd->all[i]->hold)
			pbuf_release(sim, nd->all[i]->hold);
		free(nd->all[i]);
	}
	free(nd->all);
	free(nd->slot);
	free(nd->dad);
	if (nd->rtadv)
		free(nd->rtadv->pfx);
	free(nd->rtadv);
	free(nd);
}

/* ---- the cache: open addressing with linear probing ------------------- */

static uint32_t nd_hash(const uint8_t a[16])
{
	/* FNV-1a over the interface identifier and the last prefix bytes. */
	uint32_t h = 2166136261u;
	for (int i = 4; i < 16; i++)
		h = (h ^ a[i]) * 16777619u;
	return h;
}

static struct nd_entry *nd_lookup(struct nd_ifstate *nd, const uint8_t a[16])
{
	if (!nd->slot)
		return NULL;
	for (uint32_t i = nd_hash(a) & nd->mask;; i = (i + 1) & nd->mask) {
		struct nd_entry *e = nd->slot[i];
		if (!e)
			return NULL;
		if (memcmp(e->addr, a, 16) == 0)
			return e;
	}
}

static void nd_slot_put(struct nd_ifstate *nd, struct nd_entry *e)
{
	uint32_t i = nd_hash(e->addr) & nd->mask;
	while (nd->slot[i])
		i = (i + 1) & nd->mask;
	nd->slot[i] = e;
}

/* Keep the table at most half full. */
static bool nd_grow(struct nd_ifstate *nd)
{
	uint32_t cap = nd->slot ? (nd->mask + 1) * 2 : 8;
	struct nd_entry **ns = calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	struct nd_entry **old = nd->slot;
	uint32_t oldcap = old ? nd->mask + 1 : 0;
	nd->slot = ns;
	nd->mask = cap - 1;
	for (uint32_t i = 0; i < oldcap; i++)
		if (old[i])
			nd_slot_put(nd, old[i]);
	free(old);
	return true;
}

static struct nd_entry *nd_create(struct sim_iface *ifp, struct nd_ifstate *nd, const uint8_t a[16])
{
	if ((nd->n + 1) * 2 > (nd->slot ? nd->mask + 1 : 0) && !nd_grow(nd))
		return NULL;
	struct nd_entry *e = nd->free;
	if (e) {
		nd->free = e->next_free;
	} else {
		if (nd->nall == nd->allcap) {
			size_t cap = nd->allcap ? nd->allcap * 2 : 4;
			struct nd_entry **na = realloc(nd->all, cap * sizeof *na);
			if (!na)
				return NULL;
			nd->all = na;
			nd->allcap = cap;
		}
		e = calloc(1, sizeof *e);
		if (!e)
			return NULL;
		nd_timer_init(&e->timer);
		nd->all[nd->nall++] = e;
	}
	uint64_t gen = e->timer.gen;
	memset(e, 0, sizeof *e);
	e->timer.gen = gen;
	e->timer.when = SIM_NEVER;
	e->ifp = ifp;
	memcpy(e->addr, a, 16);
	e->in_use = true;
	nd_slot_put(nd, e);
	nd->n++;
	return e;
}

/* Remove with backward-shift deletion, so no tombstones accumulate. */
static void nd_delete(struct nd_ifstate *nd, struct nd_entry *e)
{
	struct sim *sim = e->ifp->node->sim;
	uint32_t i = nd_hash(e->addr) & nd->mask;
	while (nd->slot[i] != e)
		i = (i + 1) & nd->mask;
	nd->slot[i] = NULL;
	for (uint32_t j = (i + 1) & nd->mask; nd->slot[j]; j = (j + 1) & nd->mask) {
		struct nd_entry *m = nd->slot[j];
		nd->slot[j] = NULL;
		nd_slot_put(nd, m);
	}
	nd->n--;
	timer_cancel(&e->timer);
	if (e->hold)
		pbuf_release(sim, e->hold);
	e->hold = NULL;
	e->in_use = false;
	e->next_free = nd->free;
	nd->free = e;
}

/* REACHABLE silently becomes STALE when ReachableTime has passed. */
static uint8_t nd_state_now(const struct nd_entry *e, sim_time now)
{
	if (e->state == ND_REACHABLE && now >= e->reachable_until)
		return ND_STALE;
	return e->state;
}

static void nd_set_reachable(struct nd_entry *e, struct nd_ifstate *nd)
{
	e->state = ND_REACHABLE;
	e->asked = 0;
	e->reachable_until = e->ifp->node->sim->now + (sim_time)nd->reachable_ms * SIM_MS;
	timer_cancel(&e->timer);
}

int nd_state_of(struct sim_iface *ifp, const uint8_t addr[16], uint8_t mac[6])
{
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	struct nd_entry *e = nd ? nd_lookup(nd, addr) : NULL;
	if (!e)
		return -1;
	if (mac)
		memcpy(mac, e->mac, 6);
	return nd_state_now(e, ifp->node->sim->now);
}

static int nd_entry_cmp(const void *a, const void *b)
{
	const struct nd_entry *x = *(const struct nd_entry *const *)a;
	const struct nd_entry *y = *(const struct nd_entry *const *)b;
	return memcmp(x->addr, y->addr, 16);
}

void nd_foreach(struct sim_iface *ifp,
                void (*fn)(void *user, const uint8_t addr[16], const uint8_t mac[6], int state,
                           bool is_router),
                void *user)
{
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	if (!nd || !nd->n)
		return;
	/* Sorted copy: hash order must never show. */
	struct nd_entry **v = malloc(nd->n * sizeof *v);
	if (!v)
		return;
	size_t k = 0;
	for (uint32_t i = 0; i <= nd->mask; i++)
		if (nd->slot[i])
			v[k++] = nd->slot[i];
	qsort(v, k, sizeof *v, nd_entry_cmp);
	for (size_t i = 0; i < k; i++)
		fn(user, v[i]->addr, v[i]->mac, nd_state_now(v[i], ifp->node->sim->now),
		   v[i]->is_router);
	free(v);
}

/* ---- sending -------------------------------------------------------------- */

void nd_send(struct sim_iface *ifp, const uint8_t src[16], const uint8_t dst[16], uint8_t *msg,
             size_t len)
{
	msg[2] = msg[3] = 0;
	nd_wr16(msg + 2, ip6_checksum(src, dst, 58, msg, len));
	ip6_output(ifp->node, src, dst, 58, 255, msg, len, ifp, NULL);
}

/*
 * A Neighbor Solicitation for target: to its solicited-node group, or to
 * dst_unicast (PROBE). src NULL = DAD (from ::, no source option).
 */
void nd_ns_send(struct sim_iface *ifp, const uint8_t *src, const uint8_t target[16],
                const uint8_t *dst_unicast)
{
	static const uint8_t unspec[16];
	uint8_t msg[32] = { ND_NEIGHBOR_SOLICIT, 0 };
	uint8_t dst[16];
	size_t len = 24;
	memcpy(msg + 8, target, 16);
	if (dst_unicast)
		memcpy(dst, dst_unicast, 16);
	else
		in6_solicited_node(target, dst);
	if (src && ifp->link && ifp->link->kind == LINK_ETHERNET) {
		msg[24] = ND_OPT_SOURCE_LINKADDR;
		msg[25] = 1;
		memcpy(msg + 26, ifp->mac, 6);
		len = 32;
	}
	nd_send(ifp, src ? src : unspec, dst, msg, len);
}

/* Source of an NS for resolution (RFC 4861 7.2.2): the held packet's
 * source when it is ours on this interface, else the usual selection. */
static const uint8_t *nd_ns_source(struct nd_entry *e)
{
	struct sim_iface *ifp = e->ifp;
	if (e->hold && e->hold->len >= 40) {
		const uint8_t *hsrc = pbuf_data(e->hold) + 8;
		struct in6_ifaddr *ia = in6_addr_find(ifp, hsrc);
		if (ia && !(ia->flags & IN6_IFF_NOTREADY))
			return ia->addr;
	}
	return ip6_select_source(ifp->node, e->addr, ifp);
}

static void nd_solicit(struct nd_entry *e, bool unicast)
{
	uint8_t src[16];
	const uint8_t *s = nd_ns_source(e);
	if (!s)
		return;
	memcpy(src, s, 16);
	nd_ns_send(e->ifp, src, e->addr, unicast ? e->addr : NULL);
}

static void nd_entry_timer(struct sim *sim, void *obj, uint64_t arg);

static void nd_arm(struct nd_entry *e, uint32_t ms)
{
	struct sim *sim = e->ifp->node->sim;
	timer_arm(sim, &e->timer, sim->now + (sim_time)ms * SIM_MS, nd_entry_timer, e);
}

static void nd_xmit_frame(struct nd_entry *e, struct pbuf *p)
{
	ether_output(e->ifp, e->mac, ETHERTYPE_IPV6, p);
}

/* Out of retries while INCOMPLETE: the held packet's sender learns the
 * address is unreachable (RFC 4861 7.2.2, FreeBSD nd6_llinfo_timer). */
static void nd_resolution_failed(struct nd_ifstate *nd, struct nd_entry *e)
{
	struct pbuf *hold = e->hold;
	e->hold = NULL;
	struct sim_iface *ifp = e->ifp;
	nd_delete(nd, e);
	if (hold) {
		icmp6_error(ifp->node, pbuf_data(hold), hold->len, 1, 3, 0);
		pbuf_release(ifp->node->sim, hold);
	}
}

static void nd_entry_timer(struct sim *sim, void *obj, uint64_t arg)
{
	(void)sim;
	struct nd_entry *e = obj;
	if (!timer_current(&e->timer, arg) || !e->in_use)
		return;
	e->timer.when = SIM_NEVER;
	struct nd_ifstate *nd = e->ifp->in6->nd;
	switch (e->state) {
	case ND_INCOMPLETE:
		if (e->asked >= ND_MAX_MULTICAST_SOLICIT) {
			nd_resolution_failed(nd, e);
			return;
		}
		e->asked++;
		nd_solicit(e, false);
		nd_arm(e, nd->retrans_ms);
		break;
	case ND_DELAY:
		e->state = ND_PROBE;
		e->asked = 1;
		nd_solicit(e, true);
		nd_arm(e, nd->retrans_ms);
		break;
	case ND_PROBE:
		if (e->asked >= ND_MAX_UNICAST_SOLICIT) {
			nd_delete(nd, e);
			return;
		}
		e->asked++;
		nd_solicit(e, true);
		nd_arm(e, nd->retrans_ms);
		break;
	default:
		break;
	}
}

void nd_output(struct sim_iface *ifp, const uint8_t nh[16], struct pbuf *pkt)
{
	struct sim *sim = ifp->node->sim;
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	struct nd_entry *e = nd ? nd_lookup(nd, nh) : NULL;
	if (!e) {
		e = nd ? nd_create(ifp, nd, nh) : NULL;
		if (!e) {
			pbuf_release(sim, pkt);
			return;
		}
		e->state = ND_INCOMPLETE;
		e->hold = pkt;
		e->asked = 1;
		nd_solicit(e, false);
		nd_arm(e, nd->retrans_ms);
		return;
	}
	switch (nd_state_now(e, sim->now)) {
	case ND_INCOMPLETE:
		/* One packet waits; a newer one replaces it (BSD ln_hold). */
		if (e->hold)
			pbuf_release(sim, e->hold);
		e->hold = pkt;
		return;
	case ND_STALE:
		/* RFC 4861 7.3.3: sending on a STALE entry starts the DELAY wait. */
		e->state = ND_DELAY;
		e->asked = 0;
		nd_arm(e, ND_DELAY_FIRST_PROBE_MS);
		break;
	default:
		break;
	}
	nd_xmit_frame(e, pkt);
}

/* ---- receiving ------------------------------------------------------------ */

int nd_options(const uint8_t *opt, size_t len,
               void (*fn)(void *user, uint8_t type, const uint8_t *o, size_t olen), void *user)
{
	while (len > 0) {
		if (len < 2 || opt[1] == 0 || (size_t)opt[1] * 8 > len)
			return -1;
		size_t olen = (size_t)opt[1] * 8;
		if (fn)
			fn(user, opt[0], opt, olen);
		opt += olen;
		len -= olen;
	}
	return 0;
}

struct lladdr_find {
	uint8_t type;
	uint8_t *mac;
	int found;
};

static void lladdr_cb(void *user, uint8_t type, const uint8_t *o, size_t olen)
{
	struct lladdr_find *f = user;
	if (type == f->type && olen >= 8 && !f->found) {
		memcpy(f->mac, o + 2, 6);
		f->found = 1;
	}
}

int nd_find_lladdr(const uint8_t *opt, size_t len, uint8_t type, uint8_t mac[6])
{
	struct lladdr_find f = { type, mac, 0 };
	if (nd_options(opt, len, lladdr_cb, &f) < 0)
		return -1;
	return f.found;
}

/* A held packet can go now that the entry has a link-layer address. */
static void nd_release_hold(struct nd_entry *e)
{
	struct pbuf *p = e->hold;
	e->hold = NULL;
	if (p)
		nd_xmit_frame(e, p);
}

void nd_neighbor_learn(struct sim_iface *ifp, const uint8_t addr[16], const uint8_t mac[6],
                       int is_router)
{
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	if (!nd || in6_is_unspec(addr) || in6_is_multicast(addr))
		return;
	struct nd_entry *e = nd_lookup(nd, addr);
	if (!e) {
		e = nd_create(ifp, nd, addr);
		if (!e)
			return;
		memcpy(e->mac, mac, 6);
		e->state = ND_STALE;
	} else if (e->state == ND_INCOMPLETE || memcmp(e->mac, mac, 6) != 0) {
		bool was_incomplete = e->state == ND_INCOMPLETE;
		memcpy(e->mac, mac, 6);
		e->state = ND_STALE;
		e->asked = 0;
		timer_cancel(&e->timer);
		if (was_incomplete)
			nd_release_hold(e);
	}
	if (is_router >= 0)
		e->is_router = is_router;
}

static void nd_na_send(struct sim_iface *ifp, const uint8_t target[16], const uint8_t dst[16],
                       bool solicited)
{
	uint8_t msg[32] = { ND_NEIGHBOR_ADVERT, 0 };
	struct net_node *net = ifp->node->net;
	msg[4] = ND_NA_FLAG_OVERRIDE;
	if (solicited)
		msg[4] |= ND_NA_FLAG_SOLICITED;
	if (net->forwarding6 || net->path_hop)
		msg[4] |= ND_NA_FLAG_ROUTER;
	memcpy(msg + 8, target, 16);
	size_t len = 24;
	if (ifp->link && ifp->link->kind == LINK_ETHERNET) {
		msg[24] = ND_OPT_TARGET_LINKADDR;
		msg[25] = 1;
		memcpy(msg + 26, ifp->mac, 6);
		len = 32;
	}
	nd_send(ifp, target, dst, msg, len);
}

static void nd_ns_input(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp,
                        size_t len)
{
	const uint8_t *src = ip6 + 8, *dst = ip6 + 24, *target = icmp + 8;
	uint8_t mac[6];
	int has_sll = nd_find_lladdr(icmp + 24, len - 24, ND_OPT_SOURCE_LINKADDR, mac);
	bool dad = in6_is_unspec(src);
	if (has_sll < 0 || in6_is_multicast(target))
		return;
	if (dad) {
		/* From ::, only to the solicited-node group and without SLLA. */
		uint8_t sn[16];
		in6_solicited_node(target, sn);
		if (memcmp(dst, sn, 16) != 0 || has_sll)
			return;
	}
	struct in6_ifaddr *ia = in6_addr_find(ifp, target);
	if (!ia)
		return;
	if (ia->flags & IN6_IFF_TENTATIVE) {
		/* Someone else is trying our tentative address (RFC 4862 5.4.3). */
		if (dad)
			nd_dad_duplicate(ifp, target);
		return;
	}
	if (ia->flags & IN6_IFF_DUPLICATED)
		return;
	if (dad) {
		static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
		nd_na_send(ifp, target, all_nodes, false);
		return;
	}
	if (has_sll)
		nd_neighbor_learn(ifp, src, mac, -1);
	uint8_t to[16];
	memcpy(to, src, 16);
	nd_na_send(ifp, target, to, true);
}

/* RFC 4861 7.2.5: what an advertisement does to an existing entry. */
static void nd_na_update(struct nd_ifstate *nd, struct nd_entry *e, uint8_t flags, int has_tll,
                         const uint8_t mac[6])
{
	bool solicited = flags & ND_NA_FLAG_SOLICITED, override = flags & ND_NA_FLAG_OVERRIDE;
	if (e->state == ND_INCOMPLETE) {
		if (!has_tll)
			return;
		memcpy(e->mac, mac, 6);
		if (solicited)
			nd_set_reachable(e, nd);
		else {
			e->state = ND_STALE;
			timer_cancel(&e->timer);
		}
		e->is_router = flags & ND_NA_FLAG_ROUTER;
		nd_release_hold(e);
		return;
	}
	bool differs = has_tll && memcmp(e->mac, mac, 6) != 0;
	if (!override && differs) {
		if (nd_state_now(e, e->ifp->node->sim->now) == ND_REACHABLE) {
			e->state = ND_STALE;
			timer_cancel(&e->timer);
		}
		return;
	}
	if (has_tll)
		memcpy(e->mac, mac, 6);
	if (solicited) {
		nd_set_reachable(e, nd);
	} else if (differs) {
		e->state = ND_STALE;
		timer_cancel(&e->timer);
	}
	e->is_router = flags & ND_NA_FLAG_ROUTER;
}

static void nd_na_input(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp,
                        size_t len)
{
	const uint8_t *dst = ip6 + 24, *target = icmp + 8;
	uint8_t flags = icmp[4], mac[6];
	int has_tll = nd_find_lladdr(icmp + 24, len - 24, ND_OPT_TARGET_LINKADDR, mac);
	if (has_tll < 0 || in6_is_multicast(target))
		return;
	if (in6_is_multicast(dst) && (flags & ND_NA_FLAG_SOLICITED))
		return;
	struct in6_ifaddr *ia = in6_addr_find(ifp, target);
	if (ia) {
		/* An answer about our own address: DAD failed if it was tentative;
		 * otherwise someone else uses it and we keep ours (FreeBSD logs it). */
		if (ia->flags & IN6_IFF_TENTATIVE)
			nd_dad_duplicate(ifp, target);
		return;
	}
	struct nd_ifstate *nd = nd_ifstate_get(ifp);
	struct nd_entry *e = nd ? nd_lookup(nd, target) : NULL;
	if (e)
		nd_na_update(nd, e, flags, has_tll, mac);
}

void nd_input(struct sim_iface *ifp, const uint8_t *ip6, size_t len, const uint8_t *icmp,
              size_t icmplen)
{
	(void)len;
	/* RFC 4861 7.1.1 / 7.1.2 / 6.1: hop limit 255 (never forwarded), code 0. */
	if (ip6[7] != 255 || icmp[1] != 0)
		return;
	switch (icmp[0]) {
	case ND_NEIGHBOR_SOLICIT:
		if (icmplen >= 24)
			nd_ns_input(ifp, ip6, icmp, icmplen);
		break;
	case ND_NEIGHBOR_ADVERT:
		if (icmplen >= 24)
			nd_na_input(ifp, ip6, icmp, icmplen);
		break;
	case ND_ROUTER_SOLICIT:
		if (icmplen >= 8)
			nd_rs_input(ifp, ip6, icmp, icmplen);
		break;
	case ND_ROUTER_ADVERT:
		if (icmplen >= 16)
			nd_ra_input(ifp, ip6, icmp, icmplen);
		break;
	default:
		break; /* redirects are not followed */
	}
}
