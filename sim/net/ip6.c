/*
 * IPv6 input, local delivery, forwarding and output (RFC 8200), as the
 * FreeBSD 8 kernel does it: ip6_input -> ip6_forward / upper layers;
 * ip6_output with routing, scope and source address selection.
 */
#include "cksum.h"
#include "nd_var.h"

#include <string.h>

#define IP6_HDR 40
#define IPPROTO_HOPOPTS 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_ICMPV6 58
#define IPPROTO_NONE 59
#define IPPROTO_DSTOPTS 60

#define ICMP6_DST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROB 4

uint16_t ip6_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
                      const uint8_t *l4, size_t l4len)
{
	uint8_t ph[8] = { (uint8_t)(l4len >> 24), (uint8_t)(l4len >> 16), (uint8_t)(l4len >> 8),
	                  (uint8_t)l4len, 0, 0, 0, proto };
	uint32_t sum = inet_cksum_add(0, src, 16);
	sum = inet_cksum_add(sum, dst, 16);
	sum = inet_cksum_add(sum, ph, sizeof ph);
	return inet_cksum_fold(inet_cksum_add(sum, l4, l4len));
}

uint32_t ip6_if_mtu(const struct sim_iface *ifp)
{
	uint32_t mtu = ifp->mtu ? ifp->mtu : 1500;
	if (ifp->link && ifp->link->mtu && ifp->link->mtu < mtu)
		mtu = ifp->link->mtu;
	const struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	if (nd && nd->linkmtu && nd->linkmtu < mtu)
		mtu = nd->linkmtu;
	return mtu;
}

/* A usable (not tentative, not duplicated) address of ifp equal to a. */
static bool ip6_addr_on(struct sim_iface *ifp, const uint8_t a[16])
{
	struct in6_ifaddr *ia = in6_addr_find(ifp, a);
	return ia && !(ia->flags & IN6_IFF_NOTREADY);
}

bool ip6_is_local(struct sim_node *n, const uint8_t addr[16], struct sim_iface **ifp)
{
	for (int i = 0; i < n->nifaces; i++) {
		if (ip6_addr_on(n->ifaces[i], addr)) {
			if (ifp)
				*ifp = n->ifaces[i];
			return true;
		}
	}
	return false;
}

/* ---- source address selection (RFC 6724, the rules a host needs) ---- */

static unsigned common_prefix_len(const uint8_t *a, const uint8_t *b)
{
	unsigned n = 0;
	for (int i = 0; i < 16; i++) {
		uint8_t x = a[i] ^ b[i];
		if (!x) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			n++;
			x = (uint8_t)(x << 1);
		}
		break;
	}
	return n;
}

/* Larger is better: scope fits (rule 2), not deprecated (rule 3), on the
 * outgoing interface (rule 5), longest matching prefix (rule 8). */
static uint32_t source_score(const struct in6_ifaddr *ia, const uint8_t dst[16], bool on_oif)
{
	bool dst_global = !in6_is_link_scoped(dst);
	bool src_global = !in6_is_linklocal(ia->addr);
	uint32_t score = (dst_global == src_global) ? 1u << 16 : 0;
	if (!(ia->flags & IN6_IFF_DEPRECATED))
		score |= 1u << 15;
	if (on_oif)
		score |= 1u << 14;
	return score | common_prefix_len(ia->addr, dst);
}

const uint8_t *ip6_select_source(struct sim_node *n, const uint8_t dst[16],
                                 struct sim_iface *oif)
{
	/* A link-scoped destination needs a link-local source on its link. */
	bool link_scoped = in6_is_link_scoped(dst);
	if (link_scoped && !oif)
		return NULL;
	const uint8_t *best = NULL;
	uint32_t best_score = 0;
	for (int i = 0; i < n->nifaces; i++) {
		struct sim_iface *ifp = n->ifaces[i];
		if (!ifp->in6 || (link_scoped && ifp != oif))
			continue;
		for (size_t k = 0; k < ifp->in6->naddr; k++) {
			const struct in6_ifaddr *ia = &ifp->in6->addr[k];
			if (ia->flags & IN6_IFF_NOTREADY)
				continue;
			if (memcmp(ia->addr, dst, 16) == 0)
				return ia->addr; /* rule 1 */
			/* A link-local of another interface is useless here. */
			if (in6_is_linklocal(ia->addr) && oif && ifp != oif)
				continue;
			if (link_scoped && !in6_is_linklocal(ia->addr))
				continue;
			uint32_t s = source_score(ia, dst, ifp == oif);
			if (!best || s > best_score) {
				best = ia->addr;
				best_score = s;
			}
		}
	}
	return best;
}

/* ---- output ----------------------------------------------------------- */

void ip6_if_output(struct sim_iface *ifp, const uint8_t nh[16], struct pbuf *p)
{
	struct sim *sim = ifp->node->sim;
	if (ifp->output && (ifp->flags & SIM_IFF_UP)) {
		ifp->output(ifp, p, 6); /* tun0 of ppp(8), a tunnel: no neighbour discovery */
		return;
	}
	if (!ifp->link || !(ifp->flags & SIM_IFF_UP)) {
		ifp->oerrors++;
		pbuf_release(sim, p);
		return;
	}
	if (ifp->link->kind != LINK_ETHERNET) {
		sim_link_send(ifp, p);
	} else if (in6_is_multicast(nh)) {
		uint8_t mac[6];
		ether_map_ip6_multicast(nh, mac);
		ether_output(ifp, mac, ETHERTYPE_IPV6, p);
	} else {
		nd_output(ifp, nh, p);
	}
}

/* A packet to ourselves goes through "lo0": an event at the same time
 * (no re-entry into the sender), then ip6_input on the owning interface. */
static void ip6_loop_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct pbuf *p = obj;
	uint32_t node = (uint32_t)(arg >> 8);
	unsigned idx = (unsigned)(arg & 0xff);
	if (node < sim->nnodes && (int)idx < sim->nodes[node]->nifaces)
		ip6_input(sim->nodes[node]->ifaces[idx], pbuf_data(p), p->len);
	pbuf_release(sim, p);
}

static void ip6_loopback(struct sim_iface *ifp, struct pbuf *p)
{
	struct sim_node *n = ifp->node;
	unsigned idx = 0;
	while ((int)idx < n->nifaces && n->ifaces[idx] != ifp)
		idx++;
	sim_after(n->sim, 0, ip6_loop_event, p, (uint64_t)n->id << 8 | idx);
}

/* Where dst goes: interface and next hop; false when there is no route. */
static bool ip6_route(struct sim_node *n, const uint8_t dst[16], struct sim_iface **oif,
                      uint8_t nh[16])
{
	memcpy(nh, dst, 16);
	if (in6_is_link_scoped(dst)) {
		if (*oif)
			return true;
		/* No %scope: the route that matches the unscoped address (the
		 * default route, in the seed) names the interface. */
		struct route *r = route_lookup(&n->net->rt6, dst);
		if (!r || !r->ifp)
			return false;
		*oif = r->ifp;
		return true;
	}
	struct route *r = route_lookup(&n->net->rt6, dst);
	if (*oif && (!r || r->ifp != *oif))
		return true; /* forced interface: dst taken as on-link there */
	if (!r || !r->ifp)
		return false;
	*oif = r->ifp;
	if (r->flags & RTF_GATEWAY)
		memcpy(nh, r->gateway, 16);
	return true;
}

static void ip6_fix_checksum(uint8_t *pkt, size_t len)
{
	size_t at;
	switch (pkt[6]) {
	case IPPROTO_ICMPV6: at = 2; break;
	case IPPROTO_UDP: at = 6; break;
	case IPPROTO_TCP: at = 16; break;
	default: return;
	}
	uint8_t *l4 = pkt + IP6_HDR;
	size_t l4len = len - IP6_HDR;
	if (l4len < at + 2)
		return;
	l4[at] = l4[at + 1] = 0;
	uint16_t c = ip6_checksum(pkt + 8, pkt + 24, pkt[6], l4, l4len);
	if (pkt[6] == IPPROTO_UDP && c == 0)
		c = 0xffff;
	l4[at] = (uint8_t)(c >> 8);
	l4[at + 1] = (uint8_t)c;
}

static uint8_t ip6_default_hlim(struct sim_node *n, struct sim_iface *oif)
{
	const struct nd_ifstate *nd = oif && oif->in6 ? oif->in6->nd : NULL;
	if (nd && nd->chlim)
		return nd->chlim;
	return n->net->hlim ? n->net->hlim : 64;
}

int ip6_output(struct sim_node *n, const uint8_t *src, const uint8_t dst[16], uint8_t proto,
               uint8_t hlim, const uint8_t *l4, size_t l4len, struct sim_iface *oif,
               const char **err_reason)
{
	const char *dummy;
	if (!err_reason)
		err_reason = &dummy;
	uint8_t nh[16];
	/* To ourselves no route is needed: it goes through "lo0". */
	struct sim_iface *lifp = NULL;
	bool local = n->net && !in6_is_multicast(dst) && ip6_is_local(n, dst, &lifp);
	if (local && !oif)
		oif = lifp;
	if (!n->net || (!local && !ip6_route(n, dst, &oif, nh))) {
		*err_reason = "No route to host";
		return -1;
	}
	const uint8_t *s = src ? src : ip6_select_source(n, dst, oif);
	if (!s) {
		*err_reason = "Can't assign requested address";
		return -1;
	}
	if (l4len > 0xffff || IP6_HDR + l4len > PBUF_SIZE - PBUF_HEADROOM ||
	    IP6_HDR + l4len > ip6_if_mtu(oif)) {
		*err_reason = "Message too long";
		return -1;
	}
	struct pbuf *p = pbuf_alloc(n->sim);
	uint8_t *pkt = p ? pbuf_append(p, IP6_HDR + l4len) : NULL;
	if (!pkt) {
		if (p)
			pbuf_release(n->sim, p);
		*err_reason = "No buffer space available";
		return -1;
	}
	pkt[0] = 0x60;
	pkt[1] = pkt[2] = pkt[3] = 0;
	pkt[4] = (uint8_t)(l4len >> 8);
	pkt[5] = (uint8_t)l4len;
	pkt[6] = proto;
	pkt[7] = hlim ? hlim : ip6_default_hlim(n, oif);
	memcpy(pkt + 8, s, 16);
	memcpy(pkt + 24, dst, 16);
	memcpy(pkt + IP6_HDR, l4, l4len);
	if (!src)
		ip6_fix_checksum(pkt, IP6_HDR + l4len);
	if (n->net->filter && n->net->filter(n, oif, 1, pkt, IP6_HDR + l4len)) {
		pbuf_release(n->sim, p);
		return 0;
	}
	if (local) {
		ip6_loopback(lifp, p);
		return 0;
	}
	ip6_if_output(oif, nh, p);
	return 0;
}

/* ---- forwarding --------------------------------------------------------- */

static struct sim_iface *path_other_side(struct sim_node *n, struct sim_iface *ifp)
{
	for (int i = 0; i < n->nifaces; i++)
		if (n->ifaces[i] != ifp)
			return n->ifaces[i];
	return NULL;
}

static void ip6_forward(struct sim_iface *ifp, const uint8_t *pkt, size_t len)
{
	struct sim_node *n = ifp->node;
	struct net_node *net = n->net;
	const uint8_t *src = pkt + 8, *dst = pkt + 24;
	/* Never forwarded: from ::, to a link-local (not ours) destination. */
	if (in6_is_unspec(src) || in6_is_linklocal(dst)) {
		net->ip6_dropped++;
		return;
	}
	if (pkt[7] <= 1) {
		icmp6_error_if(n, ifp, pkt, len, ICMP6_TIME_EXCEEDED, 0, 0);
		return;
	}
	struct sim_iface *oif;
	uint8_t nh[16];
	memcpy(nh, dst, 16);
	if (net->path_hop) {
		oif = path_other_side(n, ifp);
		if (!oif)
			return;
	} else {
		struct route *r = route_lookup(&net->rt6, dst);
		if (!r || !r->ifp) {
			icmp6_error_if(n, ifp, pkt, len, ICMP6_DST_UNREACH, 0, 0);
			return;
		}
		oif = r->ifp;
		if (r->flags & RTF_GATEWAY)
			memcpy(nh, r->gateway, 16);
		/* RFC 4443 3.1 code 2: a link-local source cannot leave its link. */
		if (in6_is_linklocal(src) && oif != ifp) {
			icmp6_error_if(n, ifp, pkt, len, ICMP6_DST_UNREACH, 2, 0);
			return;
		}
	}
	uint32_t mtu = ip6_if_mtu(oif);
	if (len > mtu) {
		icmp6_error_if(n, ifp, pkt, len, ICMP6_PACKET_TOO_BIG, 0, mtu);
		return;
	}
	if (net->filter && net->filter(n, oif, 1, pkt, len))
		return;
	/* The received frame is shared and read-only: forward a copy. */
	struct pbuf *p = pbuf_copy(n->sim, pkt, len);
	if (!p)
		return;
	pbuf_data(p)[7]--;
	net->ip6_forwarded++;
	ip6_if_output(oif, nh, p);
}

/* ---- input ---------------------------------------------------------------- */

/* Walk extension headers to the upper layer; deliver it. */
static void ip6_deliver(struct sim_iface *ifp, const uint8_t *pkt, size_t len)
{
	struct sim_node *n = ifp->node;
	uint8_t nxt = pkt[6];
	size_t off = IP6_HDR, nxt_at = 6;
	for (;;) {
		if (nxt == IPPROTO_HOPOPTS && nxt_at != 6) {
			icmp6_error_if(n, ifp, pkt, len, ICMP6_PARAM_PROB, 1, (uint32_t)nxt_at);
			return;
		}
		if (nxt != IPPROTO_HOPOPTS && nxt != IPPROTO_DSTOPTS && nxt != IPPROTO_ROUTING)
			break;
		if (off + 8 > len)
			return;
		/* A routing header with segments left is not processed (type 0 is
		 * deprecated, RFC 5095): parameter problem at its type field. */
		if (nxt == IPPROTO_ROUTING && pkt[off + 3] != 0) {
			icmp6_error_if(n, ifp, pkt, len, ICMP6_PARAM_PROB, 0, (uint32_t)off + 2);
			return;
		}
		nxt_at = off;
		nxt = pkt[off];
		off += ((size_t)pkt[off + 1] + 1) * 8;
		if (off > len)
			return;
	}
	const uint8_t *l4 = pkt + off;
	size_t l4len = len - off;
	if (nxt == IPPROTO_ICMPV6) {
		icmp6_input(ifp, pkt, len, l4, l4len);
	} else if (nxt == IPPROTO_NONE || nxt == IPPROTO_FRAGMENT) {
		/* nothing to deliver; no reassembly in the simulator */
	} else if (n->net->deliver6) {
		n->net->deliver6(n, ifp, pkt, len, nxt, l4, l4len);
	} else if (nxt == IPPROTO_UDP) {
		icmp6_error_if(n, ifp, pkt, len, ICMP6_DST_UNREACH, 4, 0);
	} else if (nxt != IPPROTO_TCP) {
		icmp6_error_if(n, ifp, pkt, len, ICMP6_PARAM_PROB, 1, (uint32_t)nxt_at);
	}
}

void ip6_input(struct sim_iface *ifp, const uint8_t *pkt, size_t len)
{
	struct sim_node *n = ifp->node;
	struct net_node *net = n->net;
	if (!net || len < IP6_HDR || (pkt[0] >> 4) != 6)
		goto bad;
	size_t plen = nd_rd16(pkt + 4);
	if (IP6_HDR + plen > len)
		goto bad;
	len = IP6_HDR + plen; /* drop the link's padding */
	const uint8_t *dst = pkt + 24;
	if (in6_is_multicast(pkt + 8))
		goto bad;
	if (net->filter && net->filter(n, ifp, 0, pkt, len))
		return;
	if (in6_is_multicast(dst)) {
		if (in6_joined(ifp, dst))
			ip6_deliver(ifp, pkt, len);
		return;
	}
	/* Link-local destinations must be ours on this very link; others may
	 * be on any interface (BSD's weak host model). */
	if (in6_is_linklocal(dst) ? ip6_addr_on(ifp, dst) : ip6_is_local(n, dst, NULL)) {
		ip6_deliver(ifp, pkt, len);
		return;
	}
	if (net->forwarding6 || net->path_hop) {
		ip6_forward(ifp, pkt, len);
		return;
	}
	net->ip6_dropped++;
	return;
bad:
	ifp->ierrors++;
}
