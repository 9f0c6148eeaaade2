/*
 * Links: a frame sent on an interface is serialised at the link's
 * bandwidth behind the frames the interface already queued, shown to the
 * taps as it goes onto the wire, lost with the link's probability (one
 * PRNG draw per frame, none when loss is 0), and delivered after the
 * propagation delay.
 *
 * Ethernet delivery gives the same result as every NIC filtering, without
 * an event per NIC: unicast reaches the NIC owning the destination MAC,
 * multicast the NICs that joined the group, broadcast every other NIC,
 * and promiscuous NICs (bridge ports) see everything. A NIC drops unicast
 * it does not own, so a unicast MAC nobody on the segment owns reaches
 * only the promiscuous NICs. A whole delivery is one event at arrival time
 * that hands the frame to each receiver in turn, in attachment order.
 *
 * Events carry the sending interface as obj and the pbuf as arg (a
 * pointer used as data, never for ordering).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

#define ETH_HLEN 14
#define ETHERTYPE_VLAN 0x8100

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- membership tables ---- */

void link_attach_tables(struct sim_link *link, struct sim_iface *ifp)
{
	if (link->kind != LINK_ETHERNET)
		return;
	if (!link->unicast)
		link->unicast = sim_xcalloc(1, sizeof *link->unicast);
	mac_table_add(link->unicast, ifp->mac, ifp);
	if (ifp->promisc) {
		link->promisc = sim_xrealloc(link->promisc, link->npromisc + 1, sizeof *link->promisc);
		link->promisc[link->npromisc++] = ifp;
	}
}

void sim_link_join(struct sim_iface *ifp, const uint8_t mac[6])
{
	struct sim_link *link = ifp->link;
	if (!link || link->kind != LINK_ETHERNET)
		return;
	if (!link->multicast)
		link->multicast = sim_xcalloc(1, sizeof *link->multicast);
	mac_table_add(link->multicast, mac, ifp);
}

void sim_link_leave(struct sim_iface *ifp, const uint8_t mac[6])
{
	struct sim_link *link = ifp->link;
	if (link && link->multicast)
		mac_table_remove(link->multicast, mac, ifp);
}

void link_free(struct sim_link *link)
{
	mac_table_free(link->unicast);
	mac_table_free(link->multicast);
	free(link->ifaces);
	free(link->promisc);
	free(link->taps);
	free(link);
}

/* ---- delivery ---- */

static void deliver_one(struct sim_iface *ifp, struct pbuf *p)
{
	if (!(ifp->flags & SIM_IFF_UP) || !ifp->input)
		return;
	ifp->ipackets++;
	ifp->ibytes += p->len;
	ifp->input(ifp, p);
}

static void deliver_promisc(struct sim_link *link, const struct sim_iface *from, struct pbuf *p)
{
	for (size_t i = 0; i < link->npromisc; i++)
		if (link->promisc[i] != from)
			deliver_one(link->promisc[i], p);
}

/*
 * The members of one MAC's set, by index: an input handler may join a
 * group and so move the arrays; members are never removed, only counted
 * down. Returns how many were handed the frame.
 */
static size_t deliver_set(struct mac_table *t, const uint8_t mac[6], bool check_mac,
                          const struct sim_iface *from, struct pbuf *p)
{
	uint32_t idx;
	size_t n = 0;
	if (!t || !mac_hash_get(&t->h, mac, &idx))
		return 0;
	for (uint32_t i = 0; i < t->sets[idx].n; i++) {
		struct mac_member m = t->sets[idx].m[i];
		if (m.refs == 0 || m.ifp == from || m.ifp->promisc)
			continue;
		if (check_mac && memcmp(m.ifp->mac, mac, 6) != 0)
			continue; /* stale: the MAC was written behind our back */
		deliver_one(m.ifp, p);
		n++;
	}
	return n;
}

/* A unicast MAC the table does not know: someone may have written
 * ifp->mac directly after attaching; find its owner the slow way. */
static void deliver_scan(struct sim_link *link, const uint8_t mac[6],
                         const struct sim_iface *from, struct pbuf *p)
{
	for (size_t i = 0; i < link->nifaces; i++) {
		struct sim_iface *ifp = link->ifaces[i];
		if (ifp != from && !ifp->promisc && memcmp(ifp->mac, mac, 6) == 0)
			deliver_one(ifp, p);
	}
}

static void deliver_ether(struct sim_link *link, const struct sim_iface *from, struct pbuf *p)
{
	const uint8_t *dst = pbuf_data(p);
	if (memcmp(dst, bcast, 6) == 0) {
		for (size_t i = 0; i < link->nifaces; i++)
			if (link->ifaces[i] != from)
				deliver_one(link->ifaces[i], p);
		return;
	}
	if (dst[0] & 1) {
		deliver_set(link->multicast, dst, false, from, p);
	} else if (deliver_set(link->unicast, dst, true, from, p) == 0) {
		deliver_scan(link, dst, from, p);
	}
	deliver_promisc(link, from, p);
}

static void deliver(struct sim *sim, struct sim_link *link, const struct sim_iface *from,
                    struct pbuf *p)
{
	if (link->kind == LINK_ETHERNET) {
		deliver_ether(link, from, p);
	} else if (!from) {
		/* Injected: no end sent it, so both ends hear it. */
		for (size_t i = 0; i < link->nifaces; i++)
			deliver_one(link->ifaces[i], p);
	} else if (link->nifaces == 2) {
		deliver_one(link->ifaces[link->ifaces[0] == from ? 1 : 0], p);
	}
	pbuf_release(sim, p);
}

static void deliver_ev(struct sim *sim, void *obj, uint64_t arg)
{
	const struct sim_iface *from = obj;
	deliver(sim, from->link, from, (struct pbuf *)(uintptr_t)arg);
}

/* An injected frame: obj is the link, there is no sender. */
static void deliver_injected_ev(struct sim *sim, void *obj, uint64_t arg)
{
	deliver(sim, obj, NULL, (struct pbuf *)(uintptr_t)arg);
}

/* ---- transmission ---- */

/* Time on the wire, rounded up to a whole nanosecond. */
static sim_time serialisation(const struct sim_link *link, size_t len)
{
	if (link->bandwidth_bps == 0)
		return 0;
	return ((uint64_t)len * 8 * SIM_S + link->bandwidth_bps - 1) / link->bandwidth_bps;
}

/* The frame goes onto the wire now: taps, loss, then arrival. `from` is
 * NULL for an injected frame. */
static void transmit_on(struct sim *sim, struct sim_link *link, struct sim_iface *from,
                        struct pbuf *p)
{
	bool lost = link->loss > 0 && prng_unit(&sim->prng) < link->loss;
	link->frames++;
	link->bytes += p->len;
	struct sim_frame_info info = {
		.link = link, .from = from, .time = sim->now,
		.data = pbuf_data(p), .len = p->len, .lost = lost,
	};
	for (size_t i = 0; i < link->ntaps; i++)
		link->taps[i].fn(link->taps[i].user, &info);
	if (lost) {
		pbuf_release(sim, p);
		return;
	}
	sim_time arrival = sim->now + serialisation(link, p->len) + link->delay;
	if (from)
		sim_at(sim, arrival, deliver_ev, from, (uint64_t)(uintptr_t)p);
	else
		sim_at(sim, arrival, deliver_injected_ev, link, (uint64_t)(uintptr_t)p);
}

static void transmit(struct sim *sim, struct sim_iface *from, struct pbuf *p)
{
	transmit_on(sim, from->link, from, p);
}

static void transmit_ev(struct sim *sim, void *obj, uint64_t arg)
{
	transmit(sim, obj, (struct pbuf *)(uintptr_t)arg);
}

/* Ethernet: a header, and no more payload than the MTU (+4 for a VLAN tag). */
static bool frame_fits(const struct sim_link *link, const struct pbuf *p)
{
	if (link->kind != LINK_ETHERNET)
		return p->len > 0 && (link->mtu == 0 || p->len <= link->mtu);
	if (p->len < ETH_HLEN)
		return false;
	const uint8_t *d = p->buf + p->off;
	size_t max = (size_t)link->mtu + ETH_HLEN;
	if ((d[12] << 8 | d[13]) == ETHERTYPE_VLAN)
		max += 4;
	return link->mtu == 0 || p->len <= max;
}

void sim_link_send(struct sim_iface *ifp, struct pbuf *frame)
{
	struct sim *sim = ifp->node->sim;
	struct sim_link *link = ifp->link;
	if (!frame)
		return;
	/* A down interface neither sends nor receives (FreeBSD: ENETDOWN). */
	if (!link || !(ifp->flags & SIM_IFF_UP) || !frame_fits(link, frame)) {
		ifp->oerrors++;
		pbuf_release(sim, frame);
		return;
	}
	ifp->opackets++;
	ifp->obytes += frame->len;
	/* Back-to-back frames queue behind the one being serialised. */
	sim_time start = ifp->tx_busy_until > sim->now ? ifp->tx_busy_until : sim->now;
	ifp->tx_busy_until = start + serialisation(link, frame->len);
	if (start == sim->now)
		transmit(sim, ifp, frame);
	else
		sim_at(sim, start, transmit_ev, ifp, (uint64_t)(uintptr_t)frame);
}

/*
 * A frame from outside the simulation (a replayed capture): it goes onto
 * the wire now, as if a host on the segment that is not simulated had
 * sent it — taps see it (from NULL), the loss model applies, and after
 * serialisation and delay it is delivered like any other frame (Ethernet:
 * by destination MAC; p2p: to both ends). No interface queues it, and no
 * size limit applies beyond the pbuf's: a real capture may hold what the
 * simulated MTU would refuse, and the receivers judge it.
 */
void sim_link_inject(struct sim_link *link, struct pbuf *frame)
{
	if (!frame)
		return;
	if (frame->len == 0 || (link->kind == LINK_ETHERNET && frame->len < ETH_HLEN)) {
		pbuf_release(link->sim, frame);
		return;
	}
	transmit_on(link->sim, link, NULL, frame);
}
