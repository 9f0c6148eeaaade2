/*
 * Neighbor Discovery (RFC 4861) between simulated nodes on one Ethernet
 * segment: the NS/NA exchange byte for byte against libnet-built frames,
 * the cache states over time (REACHABLE, STALE, DELAY, PROBE), the hold
 * queue, resolution failure with its ICMPv6 error, DAD and its collision,
 * and messages the rules say to ignore.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "nettest.h"
#include "pktbuild.h"

int suite_nd(void);

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
#define LL_A "fe80::ff:fe00:a"
#define LL_B "fe80::ff:fe00:b"

struct lan {
	struct sim *sim;
	struct sim_link *link;
	struct sim_iface *a, *b;
	struct nt_capture cap;
};

static struct lan lan; /* big capture buffer: static, reset per test */

/* Two hosts up on one segment, past DAD and router solicitation. */
static void lan_up(void)
{
	memset(&lan, 0, sizeof lan);
	lan.sim = sim_new(4861, 0);
	lan.link = sim_link_add(lan.sim, "lan", LINK_ETHERNET);
	lan.a = nt_node(lan.sim, "a", NODE_HOST, "em0", MAC_A, lan.link);
	lan.b = nt_node(lan.sim, "b", NODE_HOST, "em0", MAC_B, lan.link);
	sim_link_tap(lan.link, nt_tap, &lan.cap);
	net_iface_up(lan.a);
	net_iface_up(lan.b);
	sim_run_until(lan.sim, 3 * SIM_S);
	lan.cap.n = 0;
}

static void lan_down(void)
{
	sim_free(lan.sim);
}

static const uint8_t *addr(const char *text)
{
	static uint8_t b[4][16];
	static int i;
	i = (i + 1) % 4;
	pb_addr6(text, b[i]);
	return b[i];
}

static void test_ns_na_bytes(void)
{
	lan_up();
	struct nt_listener la;
	nt_listen(lan.a->node, &la);
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr(LL_B), NULL), -1);
	CU_ASSERT_EQUAL(nt_ping(lan.a->node, NULL, LL_B, lan.a, 7, 1, 0, 8), 0);
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr(LL_B), NULL), ND_INCOMPLETE);
	sim_run_until(lan.sim, 3 * SIM_S + 100 * SIM_MS);

	uint8_t exp[200];
	static const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x0b };
	size_t n = nt_build_ns(exp, sizeof exp, sn_mac, MAC_A, LL_A, "ff02::1:ff00:b", LL_B, MAC_A);
	CU_ASSERT_FATAL(lan.cap.n >= 4);
	CU_ASSERT_TRUE(nt_same("NS", lan.cap.f[0].data, lan.cap.f[0].len, exp, n));
	n = nt_build_na(exp, sizeof exp, MAC_A, MAC_B, LL_B, LL_A, LL_B, 0x60000000u, MAC_B);
	CU_ASSERT_TRUE(nt_same("NA", lan.cap.f[1].data, lan.cap.f[1].len, exp, n));
	/* Then the held echo request, and its reply. */
	CU_ASSERT_EQUAL(lan.cap.f[2].data[14 + 40], 128);
	CU_ASSERT_EQUAL(memcmp(lan.cap.f[2].data, MAC_B, 6), 0);
	CU_ASSERT_EQUAL(lan.cap.f[3].data[14 + 40], 129);
	CU_ASSERT_EQUAL(la.replies, 1);
	CU_ASSERT_EQUAL(la.last_seq, 1);
	CU_ASSERT_EQUAL(la.last_hlim, 64);
	uint8_t mac[6];
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr(LL_B), mac), ND_REACHABLE);
	CU_ASSERT_EQUAL(memcmp(mac, MAC_B, 6), 0);
	/* B learned A from the NS's source option (STALE), then sent: DELAY. */
	CU_ASSERT_EQUAL(nd_state_of(lan.b, addr(LL_A), mac), ND_DELAY);
	CU_ASSERT_EQUAL(memcmp(mac, MAC_A, 6), 0);
	icmp6_unlisten(lan.a->node, &la);
	lan_down();
}

static void test_states_over_time(void)
{
	lan_up();
	nt_ping(lan.a->node, NULL, LL_B, lan.a, 7, 1, 0, 8);
	sim_run_until(lan.sim, 4 * SIM_S);
	CU_ASSERT_EQUAL(nd_state_of(lan.b, addr(LL_A), NULL), ND_DELAY);
	/* DELAY_FIRST_PROBE_TIME (5 s) later: PROBE, a unicast NS to A ... */
	int before = nt_count_icmp6(&lan.cap, 135);
	sim_run_until(lan.sim, 8 * SIM_S + 50 * SIM_MS);
	int ns = nt_find_icmp6(&lan.cap, 4, 135);
	CU_ASSERT_FATAL(ns >= 0);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 135), before + 1);
	CU_ASSERT_EQUAL(memcmp(lan.cap.f[ns].data, MAC_A, 6), 0);            /* unicast */
	CU_ASSERT_EQUAL(memcmp(lan.cap.f[ns].data + 14 + 24, addr(LL_A), 16), 0);
	CU_ASSERT_EQUAL(lan.cap.f[ns].at, 8 * SIM_S);
	/* ... answered (solicited NA): REACHABLE again. */
	CU_ASSERT_EQUAL(nd_state_of(lan.b, addr(LL_A), NULL), ND_REACHABLE);
	/* ReachableTime is at most 45 s: STALE by then, with no traffic. */
	sim_run_until(lan.sim, 60 * SIM_S);
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr(LL_B), NULL), ND_STALE);
	CU_ASSERT_EQUAL(nd_state_of(lan.b, addr(LL_A), NULL), ND_STALE);
	/* Sending on STALE: DELAY, the packet goes at once. */
	int frames = lan.cap.n;
	nt_ping(lan.a->node, NULL, LL_B, lan.a, 7, 2, 0, 8);
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr(LL_B), NULL), ND_DELAY);
	sim_run_until(lan.sim, 60 * SIM_S + 10 * SIM_MS);
	CU_ASSERT_EQUAL(lan.cap.f[frames].data[14 + 40], 128);
	lan_down();
}

static void test_hold_queue(void)
{
	lan_up();
	struct nt_listener la;
	nt_listen(lan.a->node, &la);
	/* Two packets while INCOMPLETE: only the newest waits (ln_hold). */
	nt_ping(lan.a->node, NULL, LL_B, lan.a, 9, 1, 0, 8);
	nt_ping(lan.a->node, NULL, LL_B, lan.a, 9, 2, 0, 8);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 135), 1); /* the first asked */
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 128), 0); /* both wait */
	sim_run_until(lan.sim, 4 * SIM_S);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 135), 1);  /* one NS for both */
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 128), 1);
	CU_ASSERT_EQUAL(la.replies, 1);
	CU_ASSERT_EQUAL(la.last_seq, 2);
	lan_down();
}

static void test_resolution_fails(void)
{
	lan_up();
	struct nt_listener la;
	nt_listen(lan.a->node, &la);
	nt_ping(lan.a->node, NULL, "fe80::dead", lan.a, 9, 1, 0, 8);
	sim_run_until(lan.sim, 5 * SIM_S + 500 * SIM_MS);
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr("fe80::dead"), NULL), ND_INCOMPLETE);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 135), 3); /* MAX_MULTICAST_SOLICIT */
	CU_ASSERT_EQUAL(la.errors, 0);
	sim_run_until(lan.sim, 6 * SIM_S + 500 * SIM_MS);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 135), 3);
	CU_ASSERT_EQUAL(lan.cap.f[2].at - lan.cap.f[0].at, 2 * SIM_S); /* 1 s apart */
	CU_ASSERT_EQUAL(nd_state_of(lan.a, addr("fe80::dead"), NULL), -1);
	/* The sender hears "address unreachable" (type 1 code 3). */
	CU_ASSERT_EQUAL(la.errors, 1);
	CU_ASSERT_EQUAL(la.err_type, 1);
	CU_ASSERT_EQUAL(la.err_code, 3);
	lan_down();
}

static void test_dad(void)
{
	lan_up();
	const uint8_t *g1 = addr("2001:db8::1");
	CU_ASSERT_EQUAL(in6_addr_add(lan.a, g1, 64, 0, SIM_NEVER, SIM_NEVER), 0);
	/* B runs DAD for a fresh address: NS from ::, no source option. */
	const uint8_t *g2 = addr("2001:db8::2");
	CU_ASSERT_EQUAL(in6_addr_add(lan.b, g2, 64, IN6_IFF_TENTATIVE, SIM_NEVER, SIM_NEVER), 0);
	CU_ASSERT_TRUE(in6_addr_find(lan.b, g2)->flags & IN6_IFF_TENTATIVE);
	/* Not usable yet: a global destination gets the link-local source
	 * (as the seed's k7 before it had a global address). */
	const uint8_t *s0 = ip6_select_source(lan.b->node, g1, NULL);
	CU_ASSERT_TRUE(s0 && in6_is_linklocal(s0));
	sim_run_until(lan.sim, 3 * SIM_S + 999 * SIM_MS);
	CU_ASSERT_FATAL(lan.cap.n == 1);
	uint8_t exp[200];
	static const uint8_t sn2[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x02 };
	size_t n = nt_build_ns(exp, sizeof exp, sn2, MAC_B, "::", "ff02::1:ff00:2", "2001:db8::2",
	                       NULL);
	CU_ASSERT_TRUE(nt_same("DAD NS", lan.cap.f[0].data, lan.cap.f[0].len, exp, n));
	sim_run_until(lan.sim, 5 * SIM_S);
	CU_ASSERT_EQUAL(in6_addr_find(lan.b, g2)->flags & IN6_IFF_NOTREADY, 0);
	CU_ASSERT_EQUAL(memcmp(ip6_select_source(lan.b->node, g1, NULL), g2, 16), 0);

	/* Collision: B tries A's address; A defends it with an NA to all nodes. */
	lan.cap.n = 0;
	CU_ASSERT_EQUAL(in6_addr_add(lan.b, g1, 64, IN6_IFF_TENTATIVE, SIM_NEVER, SIM_NEVER), 0);
	sim_run_until(lan.sim, 8 * SIM_S);
	CU_ASSERT_EQUAL(in6_addr_find(lan.b, g1)->flags & IN6_IFF_NOTREADY, IN6_IFF_DUPLICATED);
	CU_ASSERT_EQUAL(in6_addr_find(lan.a, g1)->flags & IN6_IFF_NOTREADY, 0);
	int na = nt_find_icmp6(&lan.cap, 0, 136);
	CU_ASSERT_FATAL(na >= 0);
	static const uint8_t allnodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	n = nt_build_na(exp, sizeof exp, allnodes, MAC_A, "2001:db8::1", "ff02::1", "2001:db8::1",
	                0x20000000u, MAC_A);
	CU_ASSERT_TRUE(nt_same("DAD NA", lan.cap.f[na].data, lan.cap.f[na].len, exp, n));
	/* A duplicated address is never a source. */
	CU_ASSERT_EQUAL(memcmp(ip6_select_source(lan.b->node, g1, NULL), g2, 16), 0);
	lan_down();
}

static void test_ignored_messages(void)
{
	lan_up();
	uint8_t f[200];
	static const uint8_t sn_b[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x0b };
	size_t n = nt_build_ns(f, sizeof f, sn_b, MAC_A, LL_A, "ff02::1:ff00:b", LL_B, MAC_A);
	/* Hop limit 254: it crossed a router, so it is not ND (RFC 4861 7.1.1). */
	f[14 + 7] = 254;
	ip6_input(lan.b, f + 14, n - 14);
	sim_run_until(lan.sim, 3 * SIM_S + 100 * SIM_MS);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 136), 0);
	CU_ASSERT_EQUAL(nd_state_of(lan.b, addr(LL_A), NULL), -1);
	/* A bad checksum: dropped too. */
	f[14 + 7] = 255;
	f[14 + 40 + 2] ^= 0x55;
	ip6_input(lan.b, f + 14, n - 14);
	sim_run_until(lan.sim, 3 * SIM_S + 200 * SIM_MS);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 136), 0);
	/* Truncated options (length 0): dropped. */
	f[14 + 40 + 2] ^= 0x55;
	f[14 + 40 + 25] = 0;
	ip6_input(lan.b, f + 14, n - 14);
	sim_run_until(lan.sim, 3 * SIM_S + 300 * SIM_MS);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 136), 0);
	/* The same NS intact: answered, and A is learned as STALE. */
	f[14 + 40 + 25] = 1;
	ip6_input(lan.b, f + 14, n - 14);
	sim_run_until(lan.sim, 3 * SIM_S + 400 * SIM_MS);
	CU_ASSERT_EQUAL(nt_count_icmp6(&lan.cap, 136), 1);
	CU_ASSERT_EQUAL(nd_state_of(lan.b, addr(LL_A), NULL), ND_DELAY);
	/* Every truncation of it is survived (lengths checked before reads). */
	for (size_t cut = 0; cut < n - 14; cut++)
		ip6_input(lan.b, f + 14, cut);
	lan_down();
}

/* A listener that stops listening from inside its own callback (ping6
 * finishing on its last reply). */
struct once {
	struct sim_node *n;
	int replies;
};

static void once_reply(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                       uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen)
{
	(void)ifp, (void)ip6, (void)len, (void)id, (void)seq, (void)data, (void)dlen;
	struct once *o = user;
	o->replies++;
	icmp6_unlisten(o->n, o);
}

static void test_icmp6_listeners(void)
{
	lan_up();
	struct once o = { lan.a->node, 0 };
	struct icmp6_listener l1 = { once_reply, NULL, &o };
	icmp6_listen(lan.a->node, &l1);
	struct nt_listener l2;
	nt_listen(lan.a->node, &l2);
	nt_ping(lan.a->node, NULL, LL_B, lan.a, 1, 1, 0, 8);
	sim_run_until(lan.sim, 4 * SIM_S);
	nt_ping(lan.a->node, NULL, LL_B, lan.a, 1, 2, 0, 8);
	sim_run_until(lan.sim, 5 * SIM_S);
	CU_ASSERT_EQUAL(o.replies, 1);
	CU_ASSERT_EQUAL(l2.replies, 2);
	CU_ASSERT_EQUAL(lan.a->node->net->icmp6_nl, 1u);
	/* An echo request to all nodes: B answers from its link-local. */
	nt_ping(lan.a->node, NULL, "ff02::1", lan.a, 1, 3, 0, 8);
	sim_run_until(lan.sim, 6 * SIM_S);
	CU_ASSERT_EQUAL(l2.replies, 3);
	CU_ASSERT_EQUAL(memcmp(l2.reply_src, addr(LL_B), 16), 0);
	lan_down();
}

int suite_nd(void)
{
	CU_pSuite s = CU_add_suite("nd", NULL, NULL);
	if (!s || !CU_add_test(s, "ns_na_bytes", test_ns_na_bytes) ||
	    !CU_add_test(s, "states_over_time", test_states_over_time) ||
	    !CU_add_test(s, "hold_queue", test_hold_queue) ||
	    !CU_add_test(s, "resolution_fails", test_resolution_fails) ||
	    !CU_add_test(s, "dad", test_dad) ||
	    !CU_add_test(s, "ignored_messages", test_ignored_messages) ||
	    !CU_add_test(s, "icmp6_listeners", test_icmp6_listeners))
		return -1;
	return 0;
}
