/*
 * A node's network stack: FreeBSD defaults per node kind, bringing an
 * interface up, Ethernet framing and the dispatch of received frames by
 * ethertype (Ethernet) or IP version (point-to-point links).
 */
#include "nd_var.h"
#include "../link/pppoe.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };

static bool iface_is_ether(const struct sim_iface *ifp)
{
	return !ifp->link || ifp->link->kind == LINK_ETHERNET;
}

static void iface_set_input(struct sim_iface *ifp)
{
	ifp->input = iface_is_ether(ifp) ? ether_input : p2p_input;
}

static void net_node_free_hook(struct sim *sim, void *user)
{
	(void)sim;
	net_node_free(user);
}

void net_node_init(struct sim_node *n)
{
	if (n->net || n->kind == NODE_BRIDGE)
		return;
	struct net_node *net = calloc(1, sizeof *net);
	if (!net)
		return;
	/* FreeBSD 8 defaults; routers (and the ISP) forward and ignore RAs. */
	bool router = n->kind == NODE_ROUTER || n->kind == NODE_ISP;
	net->forwarding6 = router;
	net->forwarding4 = router;
	net->accept_rtadv = !router;
	net->hlim = 64;
	net->ttl = 64;
	n->net = net;
	/* Freed with the simulation (net_node_free before is fine too). */
	sim_on_free(n->sim, net_node_free_hook, n);
	for (int i = 0; i < n->nifaces; i++)
		iface_set_input(n->ifaces[i]);
}

static void in6_ifstate_free(struct sim *sim, struct sim_iface *ifp)
{
	if (!ifp->in6)
		return;
	nd_ifstate_free(sim, ifp->in6->nd);
	free(ifp->in6->addr);
	free(ifp->in6->groups);
	free(ifp->in6);
	ifp->in6 = NULL;
}

void net_node_free(struct sim_node *n)
{
	if (!n->net)
		return;
	for (int i = 0; i < n->nifaces; i++) {
		in6_ifstate_free(n->sim, n->ifaces[i]);
		in4_ifstate_free(n->ifaces[i]);
	}
	ip4_node_free(n);
	route_free(&n->net->rt6);
	route_free(&n->net->rt4);
	free(n->net->icmp6_l);
	free(n->net);
	n->net = NULL;
}

void net_iface_up(struct sim_iface *ifp)
{
	struct sim_node *n = ifp->node;
	if (!n->net)
		net_node_init(n);
	if (!n->net || !nd_ifstate_get(ifp))
		return;
	iface_set_input(ifp);
	ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING | SIM_IFF_MULTICAST;
	ifp->flags |= iface_is_ether(ifp) ? SIM_IFF_BROADCAST | SIM_IFF_SIMPLEX : SIM_IFF_POINTOPOINT;
	in6_join(ifp, all_nodes);
	if (n->net->forwarding6 || n->net->path_hop)
		in6_join(ifp, all_routers);
	/* Every IPv6 interface gets its link-local address (RFC 4862 5.3). */
	uint8_t ll[16];
	slaac_linklocal(ifp, ll);
	bool have_ll = false;
	for (size_t i = 0; i < ifp->in6->naddr; i++)
		have_ll |= in6_is_linklocal(ifp->in6->addr[i].addr);
	if (!have_ll)
		in6_addr_add(ifp, ll, 64, IN6_IFF_TENTATIVE, SIM_NEVER, SIM_NEVER);
	nd_iface_start(ifp);
}

void ether_map_ip6_multicast(const uint8_t group[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group + 12, 4);
}

void ether_output(struct sim_iface *ifp, const uint8_t dst_mac[6], uint16_t ethertype,
                  struct pbuf *p)
{
	uint8_t *eh = pbuf_prepend(p, 14);
	if (!eh) {
		ifp->oerrors++;
		pbuf_release(ifp->node->sim, p);
		return;
	}
	memcpy(eh, dst_mac, 6);
	memcpy(eh + 6, ifp->mac, 6);
	eh[12] = (uint8_t)(ethertype >> 8);
	eh[13] = (uint8_t)ethertype;
	sim_link_send(ifp, p);
}

void ether_input(struct sim_iface *ifp, struct pbuf *frame)
{
	const uint8_t *d = pbuf_data(frame);
	size_t len = frame->len;
	if (len < 14 || !ifp->node->net) {
		ifp->ierrors++;
		return;
	}
	/* A unicast frame for another station (a bridge flooding it) is not ours. */
	if (!(d[0] & 1) && memcmp(d, ifp->mac, 6) != 0)
		return;
	uint16_t type = nd_rd16(d + 12);
	switch (type) {
	case ETHERTYPE_IPV6:
		ip6_input(ifp, d + 14, len - 14);
		break;
	case ETHERTYPE_IPV4:
		ip4_input(ifp, d + 14, len - 14);
		break;
	case ETHERTYPE_ARP:
		arp_input(ifp, d + 14, len - 14);
		break;
	case ETHERTYPE_PPPOE_DISC:
		pppoe_input(ifp, type, d, len);
		break;
	case ETHERTYPE_PPPOE_SESS:
		pppoe_input(ifp, type, d, len);
		break;
	default:
		break;
	}
}

void p2p_input(struct sim_iface *ifp, struct pbuf *frame)
{
	const uint8_t *d = pbuf_data(frame);
	if (frame->len < 1 || !ifp->node->net) {
		ifp->ierrors++;
		return;
	}
	if ((d[0] >> 4) == 6)
		ip6_input(ifp, d, frame->len);
	else if ((d[0] >> 4) == 4)
		ip4_input(ifp, d, frame->len);
	else
		ifp->ierrors++;
}
