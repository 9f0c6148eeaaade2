/*
 * ARP (RFC 826) for IPv4 over Ethernet, the way FreeBSD's if_ether.c
 * behaves: a per-interface cache sorted by address, one packet held while
 * a resolution is pending (la_hold, a newer one replaces it), a request a
 * second up to ARP_MAXTRIES, then the entry is "down" for ARP_DOWN and
 * packets to it are dropped; resolved entries live ARP_MAX_AGE.
 * One timer per table, armed at the earliest deadline of its entries.
 */
#include "net.h"

#include <stdlib.h>
#include <string.h>

#define ARP_LEN 28
#define ARP_MAXTRIES 5
#define ARP_RETRY (1 * SIM_S)
#define ARP_DOWN (20 * SIM_S)     /* net.link.ether.inet.host_down_time */
#define ARP_MAX_AGE (1200 * SIM_S) /* net.link.ether.inet.max_age */
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2

static const uint8_t ether_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static struct arp_table *table_of(struct sim_iface *ifp)
{
	if (!ifp->in4)
		return NULL;
	if (!ifp->in4->arp) {
		struct arp_table *t = calloc(1, sizeof *t);
		if (!t)
			return NULL;
		t->timer.when = SIM_NEVER;
		ifp->in4->arp = t;
	}
	return ifp->in4->arp;
}

/* Index of ip in the sorted table, or where it would go (*found false). */
static size_t find(const struct arp_table *t, const uint8_t ip[4], bool *found)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(t->e[mid].ip, ip, 4);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct arp_entry *arp_lookup(const struct sim_iface *ifp, const uint8_t ip[4])
{
	bool found;
	const struct arp_table *t = ifp->in4 ? ifp->in4->arp : NULL;
	if (!t)
		return NULL;
	size_t i = find(t, ip, &found);
	return found ? &t->e[i] : NULL;
}

static struct arp_entry *insert(struct arp_table *t, size_t at, const uint8_t ip[4])
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct arp_entry *e = realloc(t->e, cap * sizeof *e);
		if (!e)
			return NULL;
		t->e = e;
		t->cap = cap;
	}
	memmove(&t->e[at + 1], &t->e[at], (t->n - at) * sizeof *t->e);
	t->n++;
	struct arp_entry *e = &t->e[at];
	memset(e, 0, sizeof *e);
	memcpy(e->ip, ip, 4);
	return e;
}

static void remove_at(struct sim *sim, struct arp_table *t, size_t at)
{
	if (t->e[at].hold)
		pbuf_release(sim, t->e[at].hold);
	memmove(&t->e[at], &t->e[at + 1], (t->n - at - 1) * sizeof *t->e);
	t->n--;
}

void arp_table_free(struct sim *sim, struct arp_table *t)
{
	while (t->n)
		remove_at(sim, t, t->n - 1);
	free(t->e);
	t->e = NULL;
	t->cap = 0;
	timer_cancel(&t->timer);
}

/* ---- packets ----------------------------------------------------------- */

static void arp_send(struct sim_iface *ifp, uint16_t op, const uint8_t tha[6], const uint8_t spa[4],
                     const uint8_t tpa[4], const uint8_t *dst_mac)
{
	struct pbuf *p = pbuf_alloc(ifp->node->sim);
	uint8_t *a = p ? pbuf_append(p, ARP_LEN) : NULL;
	if (!a) {
		if (p)
			pbuf_release(ifp->node->sim, p);
		return;
	}
	wr16(a, 1);          /* hardware: Ethernet */
	wr16(a + 2, ETHERTYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	wr16(a + 6, op);
	memcpy(a + 8, ifp->mac, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	ether_output(ifp, dst_mac, ETHERTYPE_ARP, p);
}

/* Our address on ifp for talking to `ip`: same subnet, else the first. */
static const uint8_t *my_addr(const struct sim_iface *ifp, const uint8_t ip[4])
{
	const struct in4_ifstate *st = ifp->in4;
	if (!st || !st->naddr)
		return NULL;
	for (size_t i = 0; i < st->naddr; i++) {
		uint8_t plen = st->addr[i].plen;
		uint32_t m = plen ? ~0u << (32 - plen) : 0;
		uint32_t a = (uint32_t)st->addr[i].addr[0] << 24 | st->addr[i].addr[1] << 16 |
		             st->addr[i].addr[2] << 8 | st->addr[i].addr[3];
		uint32_t b = (uint32_t)ip[0] << 24 | ip[1] << 16 | ip[2] << 8 | ip[3];
		if (((a ^ b) & m) == 0)
			return st->addr[i].addr;
	}
	return st->addr[0].addr;
}

static void request(struct sim_iface *ifp, struct arp_table *t, const uint8_t ip[4])
{
	static const uint8_t zero[6];
	const uint8_t *spa = my_addr(ifp, ip);
	if (!spa)
		return;
	t->requests++;
	arp_send(ifp, ARPOP_REQUEST, zero, spa, ip, ether_bcast);
}

/* ---- timers ------------------------------------------------------------ */

static void arp_timer(struct sim *sim, void *obj, uint64_t arg);

static void rearm(struct sim_iface *ifp, struct arp_table *t)
{
	sim_time next = SIM_NEVER;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].deadline < next)
			next = t->e[i].deadline;
	if (next == SIM_NEVER)
		timer_cancel(&t->timer);
	else if (next != t->timer.when)
		timer_arm(ifp->node->sim, &t->timer, next, arp_timer, ifp);
}

/* Retry, give up, or expire what is due. */
static void arp_timer(struct sim *sim, void *obj, uint64_t arg)
{
	struct sim_iface *ifp = obj;
	struct arp_table *t = ifp->in4 ? ifp->in4->arp : NULL;
	if (!t || !timer_current(&t->timer, arg))
		return;
	t->timer.when = SIM_NEVER;
	for (size_t i = 0; i < t->n;) {
		struct arp_entry *e = &t->e[i];
		if (e->deadline > sim->now) {
			i++;
		} else if (e->state == ARP_INCOMPLETE && e->asked < ARP_MAXTRIES) {
			e->asked++;
			e->deadline = sim->now + ARP_RETRY;
			request(ifp, t, e->ip);
			i++;
		} else if (e->state == ARP_INCOMPLETE) {
			e->state = ARP_FAILED; /* host is down: drop for a while */
			if (e->hold) {
				pbuf_release(sim, e->hold);
				e->hold = NULL;
				t->dropped++;
			}
			e->deadline = sim->now + ARP_DOWN;
			i++;
		} else {
			remove_at(sim, t, i);
		}
	}
	rearm(ifp, t);
}

/* ---- output -------------------------------------------------------------- */

static bool multicast_mac(const uint8_t ip[4], uint8_t mac[6])
{
	if (ip[0] < 224 || ip[0] > 239)
		return false;
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = ip[1] & 0x7f;
	mac[4] = ip[2];
	mac[5] = ip[3];
	return true;
}

void arp_output(struct sim_iface *ifp, const uint8_t nh[4], struct pbuf *pkt)
{
	struct sim *sim = ifp->node->sim;
	uint8_t mac[6];
	if (ip4_is_broadcast(ifp, nh)) {
		ether_output(ifp, ether_bcast, ETHERTYPE_IPV4, pkt);
		return;
	}
	if (multicast_mac(nh, mac)) {
		ether_output(ifp, mac, ETHERTYPE_IPV4, pkt);
		return;
	}
	struct arp_table *t = table_of(ifp);
	bool found;
	size_t i = t ? find(t, nh, &found) : 0;
	if (!t || (!found && !insert(t, i, nh))) {
		pbuf_release(sim, pkt);
		return;
	}
	struct arp_entry *e = &t->e[i];
	if (found && e->state == ARP_RESOLVED) {
		ether_output(ifp, e->mac, ETHERTYPE_IPV4, pkt);
		return;
	}
	if (found && e->state == ARP_FAILED) {
		t->dropped++;
		pbuf_release(sim, pkt);
		return;
	}
	if (e->hold) {
		t->dropped++;
		pbuf_release(sim, e->hold);
	}
	e->hold = pkt;
	if (!found) {
		e->state = ARP_INCOMPLETE;
		e->asked = 1;
		e->deadline = sim->now + ARP_RETRY;
		request(ifp, t, nh);
		rearm(ifp, t);
	}
}

/* ---- input ------------------------------------------------------------- */

/* RFC 826 "merge": learn or refresh sender -> MAC, release the held packet. */
static void learn(struct sim_iface *ifp, struct arp_table *t, const uint8_t ip[4],
                  const uint8_t mac[6], bool create)
{
	bool found;
	size_t i = find(t, ip, &found);
	if (!found && (!create || !insert(t, i, ip)))
		return;
	struct arp_entry *e = &t->e[i];
	memcpy(e->mac, mac, 6);
	e->state = ARP_RESOLVED;
	e->asked = 0;
	e->deadline = ifp->node->sim->now + ARP_MAX_AGE;
	if (e->hold) {
		struct pbuf *p = e->hold;
		e->hold = NULL;
		ether_output(ifp, e->mac, ETHERTYPE_IPV4, p);
	}
	rearm(ifp, t);
}

void arp_input(struct sim_iface *ifp, const uint8_t *arp, size_t len)
{
	if (len < ARP_LEN || rd16(arp) != 1 || rd16(arp + 2) != ETHERTYPE_IPV4 || arp[4] != 6 ||
	    arp[5] != 4)
		return;
	uint16_t op = rd16(arp + 6);
	const uint8_t *sha = arp + 8, *spa = arp + 14, *tpa = arp + 24;
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY)
		return;
	if (memcmp(sha, ifp->mac, 6) == 0 || (sha[0] & 1))
		return; /* our own frame looped, or a nonsense sender */
	struct arp_table *t = table_of(ifp);
	if (!t)
		return;
	bool for_me = false;
	for (size_t i = 0; i < ifp->in4->naddr; i++)
		if (memcmp(ifp->in4->addr[i].addr, tpa, 4) == 0)
			for_me = true;
	bool probe = memcmp(spa, "\0\0\0\0", 4) == 0; /* RFC 5227 probe: don't learn */
	if (!probe)
		learn(ifp, t, spa, sha, for_me);
	if (for_me && op == ARPOP_REQUEST) {
		t->replies++;
		arp_send(ifp, ARPOP_REPLY, sha, tpa, spa, sha);
	}
}
