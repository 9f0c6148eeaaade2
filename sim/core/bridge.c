/*
 * NODE_BRIDGE: a transparent learning switch (IEEE 802.1D without spanning
 * tree), as the Linksys modem in "Bridged Mode Only". Its ports are
 * promiscuous, so they see every frame of their segment; a frame's source
 * MAC is learned on the port it came in on, and the frame goes out of the
 * port its destination was learned on (nowhere if that is the port it came
 * from), or out of every other port when the destination is a group or
 * unknown or its entry is older than BRIDGE_AGE.
 *
 * Frames are forwarded without a copy: received frames are read-only and
 * the link never writes to one, so a port sends the same pbuf with a
 * reference of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

#define ETH_HLEN 14

struct bridge_entry {
	int port;         /* index in node->ifaces */
	sim_time seen;
};

struct bridge_state {
	struct mac_hash learned;   /* MAC -> index in e */
	struct bridge_entry *e;
	uint32_t n, cap;
	uint64_t forwarded, flooded, filtered;
};

int bridge_node_init(struct sim_node *n)
{
	if (!n->bridge)
		n->bridge = sim_xcalloc(1, sizeof *n->bridge);
	return 0;
}

void bridge_port_init(struct sim_iface *ifp)
{
	ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	ifp->input = bridge_input;
	sim_iface_set_promisc(ifp, true);
}

void bridge_node_free(struct sim_node *n)
{
	if (!n->bridge)
		return;
	mac_hash_free(&n->bridge->learned);
	free(n->bridge->e);
	free(n->bridge);
	n->bridge = NULL;
}

static void learn(struct bridge_state *b, const uint8_t mac[6], int port, sim_time now)
{
	uint32_t idx;
	if (!mac_hash_get(&b->learned, mac, &idx)) {
		if (b->n == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 16;
			b->e = sim_xrealloc(b->e, b->cap, sizeof *b->e);
		}
		idx = b->n++;
		mac_hash_put(&b->learned, mac, idx);
	}
	b->e[idx] = (struct bridge_entry){ port, now };
}

int bridge_lookup(const struct sim_node *n, const uint8_t mac[6])
{
	const struct bridge_state *b = n->bridge;
	uint32_t idx;
	if (!b || !mac_hash_get(&b->learned, mac, &idx))
		return -1;
	if (n->sim->now - b->e[idx].seen > BRIDGE_AGE)
		return -1;
	return b->e[idx].port;
}

static int port_of(const struct sim_iface *ifp)
{
	for (int i = 0; i < ifp->node->nifaces; i++)
		if (ifp->node->ifaces[i] == ifp)
			return i;
	return -1;
}

static void send_port(struct sim_iface *out, struct pbuf *frame)
{
	if (!out->link || !(out->flags & SIM_IFF_UP))
		return;
	pbuf_hold(frame);
	sim_link_send(out, frame);
}

void bridge_input(struct sim_iface *ifp, struct pbuf *frame)
{
	struct sim_node *n = ifp->node;
	struct bridge_state *b = n->bridge;
	int in = port_of(ifp);
	if (!b || in < 0 || frame->len < ETH_HLEN)
		return;
	const uint8_t *dst = pbuf_data(frame), *src = dst + 6;
	if (!(src[0] & 1))
		learn(b, src, in, n->sim->now);
	for (int i = 0; i < n->nifaces; i++)
		if (memcmp(dst, n->ifaces[i]->mac, 6) == 0)
			return; /* to the bridge itself, which has no stack */
	int out = (dst[0] & 1) ? -1 : bridge_lookup(n, dst);
	if (out == in) {
		b->filtered++; /* both ends on the same segment: already delivered */
		return;
	}
	if (out >= 0) {
		b->forwarded++;
		send_port(n->ifaces[out], frame);
		return;
	}
	b->flooded++;
	for (int i = 0; i < n->nifaces; i++)
		if (i != in)
			send_port(n->ifaces[i], frame);
}
