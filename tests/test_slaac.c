/*
 * SLAAC (RFC 4862) and router discovery: the EUI-64 identifier of the
 * seed's k7 (00:0f:ea:2c:d5:18), its link-local address and DAD at
 * interface start, router solicitations, rtadvd's advertisement checked
 * against the RFC 4861 4.2 layout written out here, the address and
 * routes an RA gives, and lifetimes running out.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "nettest.h"
#include "pktbuild.h"

int suite_slaac(void);

static const uint8_t K7_MAC[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t RTR_MAC[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };
#define K7_LL "fe80::20f:eaff:fe2c:d518"
#define RTR_LL "fe80::20c:86ff:fe75:241b"
#define PREFIX "2001:44b8:7bf1:a51::"
#define K7_GLOBAL "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"

static struct nt_capture cap;

static const uint8_t *addr(const char *text)
{
	static uint8_t b[4][16];
	static int i;
	i = (i + 1) % 4;
	pb_addr6(text, b[i]);
	return b[i];
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* An RA as RFC 4861 4.2 / 4.6 lay it out: IPv6 header + RA + SLLA + MTU +
 * one prefix option. Returns the IPv6 packet length. */
static size_t build_ra(uint8_t *out, const char *src, uint16_t lifetime, const char *prefix,
                       uint32_t valid, uint32_t preferred, const uint8_t sll[6], uint32_t mtu)
{
	uint8_t *ip = out, *ra = out + 40;
	size_t len = 16 + 8 + 8 + 32;
	memset(out, 0, 40 + len);
	ip[0] = 0x60;
	ip[5] = (uint8_t)len;
	ip[6] = 58;
	ip[7] = 255;
	pb_addr6(src, ip + 8);
	pb_addr6("ff02::1", ip + 24);
	ra[0] = 134;
	ra[4] = 64;
	ra[6] = (uint8_t)(lifetime >> 8), ra[7] = (uint8_t)lifetime;
	ra[16] = 1, ra[17] = 1;
	memcpy(ra + 18, sll, 6);
	ra[24] = 5, ra[25] = 1;
	wr32(ra + 28, mtu);
	uint8_t *pi = ra + 32;
	pi[0] = 3, pi[1] = 4, pi[2] = 64, pi[3] = 0xc0;
	wr32(pi + 4, valid);
	wr32(pi + 8, preferred);
	pb_addr6(prefix, pi + 16);
	/* Checksum over the pseudo-header, by pktbuild's own RFC 1071 sum. */
	uint8_t ph[8] = { 0, 0, 0, (uint8_t)len, 0, 0, 0, 58 };
	uint32_t sum = pb_sum(ip + 8, 32, 0);
	sum = pb_sum(ph, 8, sum);
	uint16_t c = (uint16_t)~pb_fold(pb_sum(ra, len, sum));
	ra[2] = (uint8_t)(c >> 8), ra[3] = (uint8_t)c;
	return 40 + len;
}

static struct sim_iface *k7_up(struct sim *sim, struct sim_link *lan)
{
	struct sim_iface *sk0 = nt_node(sim, "k7", NODE_FREEBSD, "sk0", K7_MAC, lan);
	net_iface_up(sk0);
	return sk0;
}

static void test_eui64(void)
{
	uint8_t id[8], ll[16];
	static const uint8_t want[8] = { 0x02, 0x0f, 0xea, 0xff, 0xfe, 0x2c, 0xd5, 0x18 };
	in6_eui64(K7_MAC, id);
	CU_ASSERT_EQUAL(memcmp(id, want, 8), 0);
	struct sim *sim = sim_new(1, 0);
	struct sim_iface *sk0 = nt_node(sim, "k7", NODE_FREEBSD, "sk0", K7_MAC, NULL);
	slaac_linklocal(sk0, ll);
	CU_ASSERT_EQUAL(memcmp(ll, addr(K7_LL), 16), 0);
	/* A MAC-less interface (tun0) borrows sk0's, as in the seed. */
	static const uint8_t none[6];
	struct sim_iface *tun0 = sim_iface_add(sk0->node, "tun0", none);
	slaac_linklocal(tun0, ll);
	CU_ASSERT_EQUAL(memcmp(ll, addr(K7_LL), 16), 0);
	/* A locally administered MAC gets the bit cleared. */
	static const uint8_t local[6] = { 0x02, 0, 0, 0, 0, 0x0a };
	in6_eui64(local, id);
	CU_ASSERT_EQUAL(id[0], 0x00);
	sim_free(sim);
}

static void test_linklocal_at_up(void)
{
	memset(&cap, 0, sizeof cap);
	struct sim *sim = sim_new(2, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	sim_link_tap(lan, nt_tap, &cap);
	struct sim_iface *sk0 = k7_up(sim, lan);
	struct in6_ifaddr *ia = in6_addr_find(sk0, addr(K7_LL));
	CU_ASSERT_FATAL(ia != NULL);
	CU_ASSERT_EQUAL(ia->plen, 64);
	CU_ASSERT_TRUE(ia->flags & IN6_IFF_TENTATIVE);
	CU_ASSERT_TRUE(in6_joined(sk0, addr("ff02::1")));
	CU_ASSERT_TRUE(in6_joined(sk0, addr("ff02::1:ff2c:d518")));
	CU_ASSERT_FALSE(in6_joined(sk0, addr("ff02::2")));
	/* fe80::%sk0/64, stored with the scope id embedded (KAME). */
	uint8_t dst[16];
	memcpy(dst, addr("fe80::"), 16);
	in6_scope_embed(dst, sk0->index);
	struct route *r = route_find(&sk0->node->net->rt6, dst, 64);
	CU_ASSERT_TRUE(r && r->ifp == sk0 && r->flags == RTF_UP);
	CU_ASSERT_EQUAL(ip6_is_local(sk0->node, addr(K7_LL), NULL), false);
	sim_run_until(sim, 2 * SIM_S + 1);
	CU_ASSERT_EQUAL(in6_addr_find(sk0, addr(K7_LL))->flags & IN6_IFF_NOTREADY, 0);
	CU_ASSERT_TRUE(ip6_is_local(sk0->node, addr(K7_LL), NULL));
	/* One DAD probe, then router solicitations from the link-local: three,
	 * 4 s apart, with the source link-layer option. */
	sim_run_until(sim, 20 * SIM_S);
	CU_ASSERT_EQUAL(nt_count_icmp6(&cap, 135), 1);
	CU_ASSERT_EQUAL(nt_count_icmp6(&cap, 133), 3);
	int rs = nt_find_icmp6(&cap, 0, 133), rs2 = nt_find_icmp6(&cap, rs + 1, 133);
	CU_ASSERT_FATAL(rs >= 0 && rs2 > rs);
	CU_ASSERT_EQUAL(cap.f[rs2].at - cap.f[rs].at, 4 * SIM_S);
	const uint8_t *ip = cap.f[rs].data + 14;
	CU_ASSERT_EQUAL(memcmp(ip + 8, addr(K7_LL), 16), 0);
	CU_ASSERT_EQUAL(memcmp(ip + 24, addr("ff02::2"), 16), 0);
	CU_ASSERT_EQUAL(ip[7], 255);
	CU_ASSERT_EQUAL(cap.f[rs].len, 14 + 40 + 16u);
	CU_ASSERT_EQUAL(memcmp(ip + 40 + 10, K7_MAC, 6), 0);
	CU_ASSERT_TRUE(pb_l4_csum_ok(ip, cap.f[rs].len - 14));
	sim_free(sim);
}

static void test_ra_gives_address(void)
{
	memset(&cap, 0, sizeof cap);
	struct sim *sim = sim_new(3, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	sim_link_tap(lan, nt_tap, &cap);
	struct sim_iface *em0 = nt_node(sim, "r", NODE_ROUTER, "em0", RTR_MAC, lan);
	net_iface_up(em0);
	struct nd_ra_prefix p = { .plen = 64, .onlink = true, .autonomous = true };
	pb_addr6(PREFIX, p.prefix);
	CU_ASSERT_EQUAL(nd_rtadv_start(em0, &p, 1, 0), 0);
	CU_ASSERT_TRUE(in6_joined(em0, addr("ff02::2")));
	sim_run_until(sim, 3 * SIM_S);
	struct sim_iface *sk0 = k7_up(sim, lan);
	sim_run_until(sim, 8 * SIM_S);
	/* The RS is answered 0-0.5 s later (before the unsolicited one at 16 s). */
	int rs = nt_find_icmp6(&cap, 0, 133), ra = nt_find_icmp6(&cap, 0, 134);
	CU_ASSERT_FATAL(rs >= 0 && ra > rs);
	CU_ASSERT_TRUE(cap.f[ra].at - cap.f[rs].at <= 500 * SIM_MS);
	uint8_t exp[200];
	size_t n = build_ra(exp, RTR_LL, 1800, PREFIX, 2592000, 604800, RTR_MAC, 1500);
	CU_ASSERT_TRUE(nt_same("RA", cap.f[ra].data + 14, cap.f[ra].len - 14, exp, n));
	static const uint8_t allnodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	CU_ASSERT_EQUAL(memcmp(cap.f[ra].data, allnodes, 6), 0);
	/* DAD of the new address (from ::), then it is usable. */
	int dad = nt_find_icmp6(&cap, ra, 135);
	CU_ASSERT_FATAL(dad > ra);
	CU_ASSERT_EQUAL(memcmp(cap.f[dad].data + 14 + 40 + 8, addr(K7_GLOBAL), 16), 0);
	CU_ASSERT_TRUE(in6_is_unspec(cap.f[dad].data + 14 + 8));
	struct in6_ifaddr *ia = in6_addr_find(sk0, addr(K7_GLOBAL));
	CU_ASSERT_FATAL(ia != NULL);
	CU_ASSERT_EQUAL(ia->plen, 64);
	CU_ASSERT_EQUAL(ia->flags, IN6_IFF_AUTOCONF);
	CU_ASSERT_EQUAL(ia->valid_until - cap.f[ra].at, 2592000ull * SIM_S);
	/* Default route via the router's link-local on sk0, the prefix on-link. */
	struct route_table *t = &sk0->node->net->rt6;
	struct route *def = route_find(t, addr("::"), 0);
	CU_ASSERT_FATAL(def != NULL);
	CU_ASSERT_EQUAL(memcmp(def->gateway, addr(RTR_LL), 16), 0);
	CU_ASSERT_PTR_EQUAL(def->ifp, sk0);
	CU_ASSERT_EQUAL(def->flags, RTF_UP | RTF_GATEWAY);
	struct route *pr = route_find(t, addr(PREFIX), 64);
	CU_ASSERT_TRUE(pr && pr->ifp == sk0 && !(pr->flags & RTF_GATEWAY));
	CU_ASSERT_EQUAL(nd_router_count(sk0), 1u);
	CU_ASSERT_EQUAL(memcmp(ip6_select_source(sk0->node, addr("2001:4f8:fff6::21"), NULL),
	                       addr(K7_GLOBAL), 16), 0);
	/* No more solicitations once answered. */
	int nrs = nt_count_icmp6(&cap, 133);
	sim_run_until(sim, 20 * SIM_S);
	CU_ASSERT_EQUAL(nt_count_icmp6(&cap, 133), nrs);
	/* As rtadvd: the answer restarts the schedule, the next one 16 s
	 * later (MAX_INITIAL_RTR_ADVERT_INTERVAL for the first three). */
	sim_run_until(sim, cap.f[ra].at + 16 * SIM_S - 1);
	CU_ASSERT_EQUAL(nt_count_icmp6(&cap, 134), 1);
	sim_run_until(sim, cap.f[ra].at + 16 * SIM_S);
	CU_ASSERT_EQUAL(nt_count_icmp6(&cap, 134), 2);
	sim_free(sim);
}

static void test_lifetimes_expire(void)
{
	struct sim *sim = sim_new(4, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_iface *sk0 = k7_up(sim, lan);
	sim_run_until(sim, 10 * SIM_S);
	uint8_t ra[200];
	size_t n = build_ra(ra, "fe80::1", 40, PREFIX, 60, 30, RTR_MAC, 1480);
	ip6_input(sk0, ra, n);
	struct in6_ifaddr *ia = in6_addr_find(sk0, addr(K7_GLOBAL));
	CU_ASSERT_FATAL(ia != NULL);
	CU_ASSERT_TRUE(ia->flags & IN6_IFF_TENTATIVE);
	CU_ASSERT_EQUAL(ip6_if_mtu(sk0), 1480u);   /* the MTU option */
	CU_ASSERT_EQUAL(nd_state_of(sk0, addr("fe80::1"), NULL), ND_STALE);
	sim_run_until(sim, 12 * SIM_S + 1);
	CU_ASSERT_EQUAL(in6_addr_find(sk0, addr(K7_GLOBAL))->flags, IN6_IFF_AUTOCONF);
	sim_run_until(sim, 40 * SIM_S + 1);
	CU_ASSERT_EQUAL(in6_addr_find(sk0, addr(K7_GLOBAL))->flags,
	                IN6_IFF_AUTOCONF | IN6_IFF_DEPRECATED);
	CU_ASSERT_PTR_NOT_NULL(route_find(&sk0->node->net->rt6, addr("::"), 0));
	sim_run_until(sim, 50 * SIM_S + 1);
	CU_ASSERT_PTR_NULL(route_find(&sk0->node->net->rt6, addr("::"), 0));
	CU_ASSERT_EQUAL(nd_router_count(sk0), 0u);
	CU_ASSERT_PTR_NOT_NULL(in6_addr_find(sk0, addr(K7_GLOBAL)));
	sim_run_until(sim, 70 * SIM_S + 1);
	CU_ASSERT_PTR_NULL(in6_addr_find(sk0, addr(K7_GLOBAL)));
	CU_ASSERT_PTR_NULL(route_find(&sk0->node->net->rt6, addr(PREFIX), 64));
	sim_free(sim);
}

static void test_two_hour_rule(void)
{
	struct sim *sim = sim_new(5, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_iface *sk0 = k7_up(sim, lan);
	sim_run_until(sim, 10 * SIM_S);
	uint8_t ra[200];
	size_t n = build_ra(ra, "fe80::1", 1800, PREFIX, 86400, 3600, RTR_MAC, 1500);
	ip6_input(sk0, ra, n);
	sim_run_until(sim, 20 * SIM_S);
	/* A later RA claiming 10 s cannot cut it below two hours (5.5.3 e). */
	n = build_ra(ra, "fe80::1", 1800, PREFIX, 10, 10, RTR_MAC, 1500);
	ip6_input(sk0, ra, n);
	struct in6_ifaddr *ia = in6_addr_find(sk0, addr(K7_GLOBAL));
	CU_ASSERT_FATAL(ia != NULL);
	CU_ASSERT_EQUAL(ia->valid_until, 20 * SIM_S + 7200 * SIM_S);
	CU_ASSERT_EQUAL(ia->preferred_until, 30 * SIM_S);
	/* preferred > valid: the prefix option is ignored (5.5.3 c). */
	n = build_ra(ra, "fe80::1", 1800, "2001:db8:1::", 10, 20, RTR_MAC, 1500);
	ip6_input(sk0, ra, n);
	CU_ASSERT_PTR_NULL(in6_addr_find(sk0, addr("2001:db8:1:0:20f:eaff:fe2c:d518")));
	/* An RA from a global source is not an RA (RFC 4861 6.1.2). */
	n = build_ra(ra, "2001:db8::1", 1800, "2001:db8:2::", 100, 50, RTR_MAC, 1500);
	ip6_input(sk0, ra, n);
	CU_ASSERT_PTR_NULL(in6_addr_find(sk0, addr("2001:db8:2:0:20f:eaff:fe2c:d518")));
	sim_free(sim);
}

int suite_slaac(void)
{
	CU_pSuite s = CU_add_suite("slaac", NULL, NULL);
	if (!s || !CU_add_test(s, "eui64", test_eui64) ||
	    !CU_add_test(s, "linklocal_at_up", test_linklocal_at_up) ||
	    !CU_add_test(s, "ra_gives_address", test_ra_gives_address) ||
	    !CU_add_test(s, "lifetimes_expire", test_lifetimes_expire) ||
	    !CU_add_test(s, "two_hour_rule", test_two_hour_rule))
		return -1;
	return 0;
}
