/*
 * Links: who receives a frame (unicast, multicast, broadcast, promiscuous
 * bridge ports), when (serialisation + propagation, queueing), loss from
 * the seeded PRNG, MTU, the taps, the learning bridge and `path` links.
 * Frames are raw bytes written here: destination MAC, source MAC,
 * EtherType (IEEE 802.3 layout), then filler.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "core/sim.h"

int suite_link(void);

/* What every receiving interface saw, in order. */
struct rx {
	const struct sim_iface *ifp;
	sim_time at;
	size_t len;
	uint8_t first[16];
};

static struct {
	struct rx rx[256];
	int n;
} seen;

static void rx_reset(void)
{
	memset(&seen, 0, sizeof seen);
}

static void rx_input(struct sim_iface *ifp, struct pbuf *frame)
{
	if (seen.n < 256) {
		struct rx *r = &seen.rx[seen.n];
		r->ifp = ifp;
		r->at = ifp->node->sim->now;
		r->len = frame->len;
		memcpy(r->first, pbuf_data(frame), frame->len < 16 ? frame->len : 16);
	}
	seen.n++;
}

static int rx_count(const struct sim_iface *ifp)
{
	int n = 0;
	for (int i = 0; i < seen.n && i < 256; i++)
		n += seen.rx[i].ifp == ifp;
	return n;
}

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t ALLNODES[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

/* An Ethernet frame of `len` bytes (>= 14) from ifp to dst. */
static struct pbuf *frame(struct sim *sim, const struct sim_iface *from, const uint8_t dst[6],
                          size_t len, uint16_t ethertype)
{
	struct pbuf *p = pbuf_alloc(sim);
	uint8_t *d = pbuf_append(p, len);
	CU_ASSERT_FATAL(d != NULL);
	memset(d, 0xa5, len);
	memcpy(d, dst, 6);
	memcpy(d + 6, from->mac, 6);
	d[12] = (uint8_t)(ethertype >> 8);
	d[13] = (uint8_t)ethertype;
	return p;
}

/* A host with one up interface that records what it receives. */
static struct sim_iface *host(struct sim *sim, const char *name, struct sim_link *l)
{
	struct sim_node *n = sim_node_add(sim, name, NODE_HOST);
	CU_ASSERT_FATAL(n != NULL);
	struct sim_iface *ifp = sim_iface_add(n, "em0", NULL);
	CU_ASSERT_FATAL(ifp != NULL);
	ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	ifp->input = rx_input;
	if (l)
		CU_ASSERT_EQUAL(sim_link_attach(l, ifp), 0);
	return ifp;
}

static void test_unicast_only_addressed(void)
{
	rx_reset();
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	lan->delay = 3 * SIM_US;
	struct sim_iface *h[100];
	for (int i = 0; i < 100; i++) {
		char name[8] = { 'h', (char)('0' + i / 10), (char)('0' + i % 10), 0 };
		h[i] = host(sim, name, lan);
	}
	sim_link_send(h[0], frame(sim, h[0], h[42]->mac, 60, 0x86dd));
	sim_run_until(sim, SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 1);
	CU_ASSERT_PTR_EQUAL(seen.rx[0].ifp, h[42]);
	CU_ASSERT_EQUAL(seen.rx[0].at, 3 * SIM_US);
	CU_ASSERT_EQUAL(h[42]->ipackets, 1);
	CU_ASSERT_EQUAL(h[42]->ibytes, 60);
	CU_ASSERT_EQUAL(h[0]->opackets, 1);
	CU_ASSERT_EQUAL(h[0]->obytes, 60);
	CU_ASSERT_EQUAL(h[1]->ipackets, 0);
	/* One event for the delivery, not one per NIC of the segment. */
	CU_ASSERT_EQUAL(sim->events_run, 1);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);

	/* A MAC nobody owns reaches nobody; a changed MAC is followed. */
	const uint8_t nobody[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	sim_link_send(h[1], frame(sim, h[1], nobody, 60, 0x86dd));
	sim_run_until(sim, 2 * SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 1);
	sim_iface_set_mac(h[7], nobody);
	sim_link_send(h[1], frame(sim, h[1], nobody, 60, 0x86dd));
	/* An interface that is down does not receive. */
	h[9]->flags &= ~(uint32_t)SIM_IFF_UP;
	sim_link_send(h[1], frame(sim, h[1], h[9]->mac, 60, 0x86dd));
	sim_run_until(sim, 3 * SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 2);
	CU_ASSERT_PTR_EQUAL(seen.rx[1].ifp, h[7]);
	CU_ASSERT_EQUAL(h[9]->ipackets, 0);
	/* ... and does not send either. */
	sim_link_send(h[9], frame(sim, h[9], h[1]->mac, 60, 0x86dd));
	CU_ASSERT_EQUAL(h[9]->oerrors, 1);
	CU_ASSERT_EQUAL(h[9]->opackets, 0);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	sim_free(sim);
}

static void test_multicast_only_members(void)
{
	rx_reset();
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_iface *a = host(sim, "a", lan), *b = host(sim, "b", lan);
	struct sim_iface *c = host(sim, "c", lan), *d = host(sim, "d", lan);
	sim_link_join(a, ALLNODES); /* the sender's own copy is not looped back */
	sim_link_join(b, ALLNODES);
	sim_link_join(d, ALLNODES);
	sim_link_join(d, ALLNODES); /* two groups, one MAC: counted */
	sim_link_send(a, frame(sim, a, ALLNODES, 86, 0x86dd));
	sim_run_until(sim, SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 2);
	CU_ASSERT_EQUAL(rx_count(b), 1);
	CU_ASSERT_EQUAL(rx_count(d), 1);
	CU_ASSERT_EQUAL(rx_count(c), 0);
	CU_ASSERT_EQUAL(rx_count(a), 0);
	/* b leaves; d leaves once and is still a member. */
	sim_link_leave(b, ALLNODES);
	sim_link_leave(d, ALLNODES);
	sim_link_leave(c, ALLNODES); /* never joined: harmless */
	sim_link_send(a, frame(sim, a, ALLNODES, 86, 0x86dd));
	const uint8_t solicited[6] = { 0x33, 0x33, 0xff, 0x2c, 0xd5, 0x18 };
	sim_link_send(a, frame(sim, a, solicited, 86, 0x86dd)); /* no member */
	sim_run_until(sim, 2 * SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 3);
	CU_ASSERT_PTR_EQUAL(seen.rx[2].ifp, d);
	sim_free(sim);
}

static void test_broadcast_all_but_sender(void)
{
	rx_reset();
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_iface *h[5];
	for (int i = 0; i < 5; i++) {
		char name[4] = { 'h', (char)('0' + i), 0 };
		h[i] = host(sim, name, lan);
	}
	sim_link_send(h[2], frame(sim, h[2], BCAST, 42, 0x0806));
	sim_run_until(sim, SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 4);
	CU_ASSERT_EQUAL(rx_count(h[2]), 0);
	/* In order of attachment. */
	CU_ASSERT_PTR_EQUAL(seen.rx[0].ifp, h[0]);
	CU_ASSERT_PTR_EQUAL(seen.rx[2].ifp, h[3]);
	CU_ASSERT_EQUAL(memcmp(seen.rx[3].first + 6, h[2]->mac, 6), 0);
	sim_free(sim);
}

/* 10 Mbit/s: 1,250 bytes take exactly 1 ms on the wire. */
static void test_delay_and_bandwidth(void)
{
	rx_reset();
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	lan->delay = 5 * SIM_MS;
	lan->bandwidth_bps = 10000000;
	struct sim_iface *a = host(sim, "a", lan), *b = host(sim, "b", lan);
	sim_link_send(a, frame(sim, a, b->mac, 1250, 0x86dd));
	sim_link_send(a, frame(sim, a, b->mac, 1250, 0x86dd)); /* queues behind */
	sim_link_send(b, frame(sim, b, a->mac, 125, 0x86dd));  /* own queue: 0.1 ms */
	sim_run_until(sim, 10 * SIM_MS);
	sim_link_send(a, frame(sim, a, b->mac, 1250, 0x86dd)); /* idle again */
	sim_run_until(sim, 30 * SIM_MS);
	CU_ASSERT_EQUAL_FATAL(seen.n, 4);
	CU_ASSERT_PTR_EQUAL(seen.rx[0].ifp, a);
	CU_ASSERT_EQUAL(seen.rx[0].at, 5 * SIM_MS + 100 * SIM_US);
	CU_ASSERT_EQUAL(seen.rx[1].at, 6 * SIM_MS);
	CU_ASSERT_EQUAL(seen.rx[2].at, 7 * SIM_MS);
	CU_ASSERT_EQUAL(seen.rx[3].at, 16 * SIM_MS);
	CU_ASSERT_EQUAL(sim->now, 30 * SIM_MS);
	sim_free(sim);
}

/* ---- taps and loss ---- */

struct tapped {
	sim_time at[2048];
	const struct sim_iface *from[2048];
	bool lost[2048];
	uint8_t first[2048];
	int n;
};

static void tap(void *user, const struct sim_frame_info *f)
{
	struct tapped *t = user;
	if (t->n < 2048) {
		t->at[t->n] = f->time;
		t->from[t->n] = f->from;
		t->lost[t->n] = f->lost;
		t->first[t->n] = f->len > 20 ? f->data[20] : 0;
	}
	t->n++;
}

static void test_taps_see_every_frame(void)
{
	rx_reset();
	static struct tapped t1, t2;
	memset(&t1, 0, sizeof t1);
	memset(&t2, 0, sizeof t2);
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	lan->bandwidth_bps = 8000000; /* 1 byte/us */
	sim_link_tap(lan, tap, &t1);
	sim_link_tap(lan, tap, &t2);
	struct sim_iface *a = host(sim, "a", lan), *b = host(sim, "b", lan);
	const uint8_t nobody[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct pbuf *p = frame(sim, a, b->mac, 100, 0x86dd);
	pbuf_data(p)[20] = 1;
	sim_link_send(a, p);
	p = frame(sim, a, nobody, 100, 0x86dd); /* nobody receives, the tap sees it */
	pbuf_data(p)[20] = 2;
	sim_link_send(a, p);
	sim_link_send(b, frame(sim, b, BCAST, 60, 0x0806));
	sim_run_until(sim, SIM_MS);
	CU_ASSERT_EQUAL(t1.n, 3);
	CU_ASSERT_EQUAL(t2.n, 3);
	/* The second frame of `a` goes onto the wire when the first is out,
	 * after b's broadcast, which b's own idle interface sent at once. */
	CU_ASSERT_EQUAL(t1.first[0], 1);
	CU_ASSERT_EQUAL(t1.at[0], 0);
	CU_ASSERT_PTR_EQUAL(t1.from[1], b);
	CU_ASSERT_EQUAL(t1.at[1], 0);
	CU_ASSERT_EQUAL(t1.first[2], 2);
	CU_ASSERT_PTR_EQUAL(t1.from[2], a);
	CU_ASSERT_EQUAL(t1.at[2], 100 * SIM_US);
	CU_ASSERT_EQUAL(lan->frames, 3);
	CU_ASSERT_EQUAL(lan->bytes, 260);
	CU_ASSERT_EQUAL(seen.n, 2);
	sim_free(sim);
}

/* Which of 1,000 frames arrive, as a bitmap; the taps see all of them. */
static int loss_run(uint64_t seed, double loss, uint8_t bitmap[125], uint64_t prng_after[4])
{
	static struct tapped t;
	memset(&t, 0, sizeof t);
	rx_reset();
	struct sim *sim = sim_new(seed, 0);
	struct sim_link *l = sim_link_add(sim, "p2p", LINK_P2P);
	l->loss = loss;
	sim_link_tap(l, tap, &t);
	struct sim_node *na = sim_node_add(sim, "a", NODE_ROUTER);
	struct sim_iface *a = sim_iface_add(na, "p0", NULL);
	a->flags |= SIM_IFF_UP;
	struct sim_iface *b = host(sim, "b", NULL);
	sim_link_attach(l, a);
	sim_link_attach(l, b);
	CU_ASSERT_EQUAL(sim_link_attach(l, host(sim, "c", NULL)), -1); /* two ends only */
	for (int i = 0; i < 1000; i++) {
		struct pbuf *p = pbuf_alloc(sim);
		uint8_t *d = pbuf_append(p, 40);
		memset(d, 0, 40);
		d[0] = 0x60;
		d[8] = (uint8_t)(i >> 8), d[9] = (uint8_t)i;
		sim_link_send(a, p);
	}
	sim_run_until(sim, SIM_S);
	memset(bitmap, 0, 125);
	int lost_in_taps = 0;
	for (int i = 0; i < seen.n && i < 256; i++) {
		int k = seen.rx[i].first[8] << 8 | seen.rx[i].first[9];
		bitmap[k / 8] |= (uint8_t)(1u << (k % 8));
	}
	for (int i = 0; i < t.n && i < 2048; i++)
		lost_in_taps += t.lost[i];
	CU_ASSERT_EQUAL(t.n, 1000);
	CU_ASSERT_EQUAL(lost_in_taps, 1000 - seen.n);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	memcpy(prng_after, sim->prng.s, sizeof sim->prng.s);
	int got = seen.n;
	sim_free(sim);
	return got;
}

static void test_loss_deterministic(void)
{
	uint8_t m1[125], m2[125], m3[125];
	uint64_t s1[4], s2[4], s3[4];
	struct sim_prng fresh;
	/* 0.8 loss keeps the deliveries under the recorder's 256 entries. */
	int n1 = loss_run(20091106, 0.8, m1, s1);
	int n2 = loss_run(20091106, 0.8, m2, s2);
	int n3 = loss_run(20091107, 0.8, m3, s3);
	CU_ASSERT_EQUAL(n1, n2);
	CU_ASSERT_EQUAL(memcmp(m1, m2, sizeof m1), 0);
	CU_ASSERT(memcmp(m1, m3, sizeof m1) != 0);
	CU_ASSERT(n1 > 150 && n1 < 250);
	CU_ASSERT(n3 > 150 && n3 < 250);
	/* Exactly one draw per frame. */
	prng_seed(&fresh, 20091106);
	for (int i = 0; i < 1000; i++)
		prng_next(&fresh);
	CU_ASSERT_EQUAL(memcmp(fresh.s, s1, sizeof s1), 0);
	/* No loss: every frame arrives and the PRNG is not touched. */
	CU_ASSERT_EQUAL(loss_run(5, 0.0, m1, s1), 1000);
	prng_seed(&fresh, 5);
	CU_ASSERT_EQUAL(memcmp(fresh.s, s1, sizeof s1), 0);
}

static void test_mtu(void)
{
	rx_reset();
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_iface *a = host(sim, "a", lan), *b = host(sim, "b", lan);
	sim_link_send(a, frame(sim, a, b->mac, 1514, 0x86dd)); /* 1500 + 14: fits */
	sim_link_send(a, frame(sim, a, b->mac, 1515, 0x86dd)); /* one too many */
	sim_link_send(a, frame(sim, a, b->mac, 1518, 0x8100)); /* 802.1Q: +4 */
	sim_link_send(a, frame(sim, a, b->mac, 1519, 0x8100));
	struct pbuf *runt = pbuf_alloc(sim);
	pbuf_append(runt, 10);
	memset(pbuf_data(runt), 0xff, 10);
	sim_link_send(a, runt);
	lan->mtu = 1492;
	sim_link_send(a, frame(sim, a, b->mac, 1507, 0x86dd));
	sim_run_until(sim, SIM_MS);
	CU_ASSERT_EQUAL(seen.n, 2);
	CU_ASSERT_EQUAL(seen.rx[0].len, 1514);
	CU_ASSERT_EQUAL(seen.rx[1].len, 1518);
	CU_ASSERT_EQUAL(a->oerrors, 4);
	CU_ASSERT_EQUAL(a->opackets, 2);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	sim_free(sim);
}

/* ---- the learning bridge ---- */

static int taps_n(const struct tapped *t) { return t->n; }

static void test_bridge_learns_and_forwards(void)
{
	rx_reset();
	static struct tapped on_lan, on_adsl;
	memset(&on_lan, 0, sizeof on_lan);
	memset(&on_adsl, 0, sizeof on_adsl);
	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_link *adsl = sim_link_add(sim, "adsl", LINK_ETHERNET);
	lan->delay = 1 * SIM_MS;
	adsl->delay = 5 * SIM_MS;
	sim_link_tap(lan, tap, &on_lan);
	sim_link_tap(adsl, tap, &on_adsl);
	struct sim_node *linksys = sim_node_add(sim, "linksys", NODE_BRIDGE);
	CU_ASSERT_FATAL(linksys && linksys->bridge);
	struct sim_iface *lan0 = sim_iface_add(linksys, "lan0", NULL);
	struct sim_iface *wan0 = sim_iface_add(linksys, "wan0", NULL);
	CU_ASSERT(lan0->promisc && (lan0->flags & SIM_IFF_UP));
	struct sim_iface *k7 = host(sim, "k7", lan);
	sim_link_attach(lan, lan0);
	sim_link_attach(adsl, wan0);
	struct sim_iface *bras = host(sim, "bras", adsl);
	struct sim_iface *other = host(sim, "other", adsl);

	/* k7 -> bras: unknown to the bridge, flooded to wan0, then unicast on adsl. */
	sim_link_send(k7, frame(sim, k7, bras->mac, 100, 0x8863));
	sim_run_until(sim, 100 * SIM_MS);
	CU_ASSERT_EQUAL(rx_count(bras), 1);
	CU_ASSERT_EQUAL(rx_count(other), 0);
	CU_ASSERT_EQUAL(seen.rx[0].at, 6 * SIM_MS);
	CU_ASSERT_EQUAL(bridge_lookup(linksys, k7->mac), 0);
	CU_ASSERT_EQUAL(bridge_lookup(linksys, bras->mac), -1);
	CU_ASSERT_EQUAL(taps_n(&on_adsl), 1);
	CU_ASSERT_PTR_EQUAL(on_adsl.from[0], wan0);

	/* bras -> k7: learned on lan0, forwarded there. */
	sim_link_send(bras, frame(sim, bras, k7->mac, 100, 0x8863));
	sim_run_until(sim, 200 * SIM_MS);
	CU_ASSERT_EQUAL(rx_count(k7), 1);
	CU_ASSERT_EQUAL(bridge_lookup(linksys, bras->mac), 1);

	/* bras -> other: both behind wan0, the bridge filters it once it has
	 * heard from `other` (before that it floods: unknown destination). */
	sim_link_send(other, frame(sim, other, bras->mac, 100, 0x86dd));
	sim_run_until(sim, 250 * SIM_MS);
	CU_ASSERT_EQUAL(bridge_lookup(linksys, other->mac), 1);
	int lan_before = taps_n(&on_lan);
	sim_link_send(bras, frame(sim, bras, other->mac, 100, 0x86dd));
	sim_run_until(sim, 300 * SIM_MS);
	CU_ASSERT_EQUAL(rx_count(other), 1);
	CU_ASSERT_EQUAL(taps_n(&on_lan), lan_before);

	/* A broadcast from k7 reaches both hosts on adsl, once each. */
	sim_link_send(k7, frame(sim, k7, BCAST, 60, 0x8863));
	sim_run_until(sim, 400 * SIM_MS);
	CU_ASSERT_EQUAL(rx_count(bras), 3);
	CU_ASSERT_EQUAL(rx_count(other), 2);
	CU_ASSERT_EQUAL(rx_count(k7), 1);

	/* Entries age out: after BRIDGE_AGE the bridge floods again. */
	sim_run_until(sim, 400 * SIM_MS + BRIDGE_AGE + SIM_S);
	CU_ASSERT_EQUAL(bridge_lookup(linksys, bras->mac), -1);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	sim_free(sim);
}

/* ---- path links ---- */

static void test_path_builder(void)
{
	struct sim *sim = sim_new(1, 0);
	struct sim_iface *bras = host(sim, "bras", NULL);
	struct sim_iface *isc = host(sim, "isc", NULL);
	struct sim_link *core = sim_path_add(sim, "core", bras, isc, 7, 92 * SIM_MS);
	CU_ASSERT_FATAL(core != NULL);
	CU_ASSERT_STRING_EQUAL(core->name, "core");
	CU_ASSERT_EQUAL(core->routers, 7);
	CU_ASSERT_PTR_EQUAL(bras->link, core);
	CU_ASSERT_EQUAL(sim->nnodes, 2 + 7);
	CU_ASSERT_EQUAL(sim->nlinks, 8);
	sim_time total = 0;
	for (size_t i = 0; i < sim->nlinks; i++) {
		CU_ASSERT_EQUAL(sim->links[i]->kind, LINK_P2P);
		CU_ASSERT_EQUAL(sim->links[i]->nifaces, 2);
		total += sim->links[i]->delay;
	}
	CU_ASSERT_EQUAL(total, 92 * SIM_MS);
	CU_ASSERT_PTR_NOT_NULL(sim_link_find(sim, "core-2"));
	CU_ASSERT_PTR_NOT_NULL(sim_link_find(sim, "core-8"));
	CU_ASSERT_PTR_NULL(sim_link_find(sim, "core-9"));
	for (int i = 1; i <= 7; i++) {
		char name[16] = "core-r0";
		name[6] = (char)('0' + i);
		struct sim_node *r = sim_node_find(sim, name);
		CU_ASSERT_FATAL(r != NULL);
		CU_ASSERT_EQUAL(r->kind, NODE_ROUTER);
		CU_ASSERT_EQUAL(r->nifaces, 2);
		CU_ASSERT_PTR_NOT_NULL(sim_iface_find(r, "p0"));
		CU_ASSERT_PTR_NOT_NULL(sim_iface_find(r, "p1"));
	}
	struct sim_node *r1 = sim_node_find(sim, "core-r1");
	CU_ASSERT_PTR_EQUAL(sim_iface_find(r1, "p0")->link, core);
	CU_ASSERT_PTR_EQUAL(isc->link, sim_link_find(sim, "core-8"));

	/* The remainder goes on the last hop: 100 ns over 3 hops. */
	struct sim_iface *x = host(sim, "x", NULL), *y = host(sim, "y", NULL);
	CU_ASSERT_FATAL(sim_path_add(sim, "inet", x, y, 2, 100) != NULL);
	CU_ASSERT_EQUAL(sim_link_find(sim, "inet")->delay, 33);
	CU_ASSERT_EQUAL(sim_link_find(sim, "inet-2")->delay, 33);
	CU_ASSERT_EQUAL(sim_link_find(sim, "inet-3")->delay, 34);
	/* Failures leave the topology untouched. */
	size_t nodes = sim->nnodes, links = sim->nlinks;
	struct sim_iface *u = host(sim, "u", NULL), *v = host(sim, "v", NULL);
	nodes += 2;
	CU_ASSERT_PTR_NULL(sim_path_add(sim, "core", u, v, 1, SIM_MS)); /* name taken */
	CU_ASSERT_PTR_NULL(sim_path_add(sim, "p", u, bras, 1, SIM_MS)); /* bras attached */
	sim_node_add(sim, "q-r2", NODE_HOST);
	nodes++;
	CU_ASSERT_PTR_NULL(sim_path_add(sim, "q", u, v, 3, SIM_MS));     /* q-r2 exists */
	CU_ASSERT_EQUAL(sim->nnodes, nodes);
	CU_ASSERT_EQUAL(sim->nlinks, links);
	/* No routers: one hop a-b with the whole delay. */
	struct sim_link *direct = sim_path_add(sim, "direct", u, v, 0, 7 * SIM_MS);
	CU_ASSERT_FATAL(direct != NULL);
	CU_ASSERT_EQUAL(direct->delay, 7 * SIM_MS);
	CU_ASSERT(u->flags & SIM_IFF_POINTOPOINT);
	sim_free(sim);
}

int suite_link(void)
{
	CU_pSuite s = CU_add_suite("link", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "unicast_only_addressed", test_unicast_only_addressed) ||
	    !CU_add_test(s, "multicast_only_members", test_multicast_only_members) ||
	    !CU_add_test(s, "broadcast_all_but_sender", test_broadcast_all_but_sender) ||
	    !CU_add_test(s, "delay_and_bandwidth", test_delay_and_bandwidth) ||
	    !CU_add_test(s, "taps_see_every_frame", test_taps_see_every_frame) ||
	    !CU_add_test(s, "loss_deterministic", test_loss_deterministic) ||
	    !CU_add_test(s, "mtu", test_mtu) ||
	    !CU_add_test(s, "bridge_learns_and_forwards", test_bridge_learns_and_forwards) ||
	    !CU_add_test(s, "path_builder", test_path_builder))
		return -1;
	return 0;
}
