/*
 * Routing: the table (longest-prefix match, EEXIST/ESRCH, masking, order,
 * expiry, scoped link-local prefixes, IPv4) and IPv6 forwarding through a
 * router: hop-limit decrement, Time Exceeded, no route (code 0), a
 * link-local source leaving its link (code 2, RFC 4443 3.1), Packet Too
 * Big, and a `path` of hidden routers.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "nettest.h"
#include "pktbuild.h"

int suite_route(void);

static const uint8_t *a6(const char *text)
{
	static uint8_t b[4][16];
	static int i;
	i = (i + 1) % 4;
	pb_addr6(text, b[i]);
	return b[i];
}

static int add6(struct route_table *t, const char *dst, uint8_t plen, const char *gw,
                struct sim_iface *ifp)
{
	struct route r = { .family = 6, .plen = plen, .ifp = ifp, .flags = RTF_UP };
	pb_addr6(dst, r.dst);
	if (gw) {
		pb_addr6(gw, r.gateway);
		r.flags |= RTF_GATEWAY | RTF_STATIC;
	}
	return route_add(t, &r);
}

static void test_longest_prefix(void)
{
	struct route_table t = { 0 };
	struct sim_iface i1 = { 0 }, i2 = { 0 }, i3 = { 0 };
	CU_ASSERT_PTR_NULL(route_lookup(&t, a6("2001:db8::1")));
	CU_ASSERT_EQUAL(add6(&t, "::", 0, "fe80::1", &i1), 0);
	CU_ASSERT_EQUAL(add6(&t, "2001:db8::", 32, NULL, &i2), 0);
	CU_ASSERT_EQUAL(add6(&t, "2001:db8:1::", 48, NULL, &i3), 0);
	CU_ASSERT_EQUAL(add6(&t, "2001:db8:1::80", 128, NULL, &i1), 0);
	CU_ASSERT_EQUAL(add6(&t, "2001:db8:1:8000::", 49, NULL, &i2), 0);
	CU_ASSERT_PTR_EQUAL(route_lookup(&t, a6("2001:4f8:fff6::21"))->ifp, &i1);
	CU_ASSERT_PTR_EQUAL(route_lookup(&t, a6("2001:db8:2::1"))->ifp, &i2);
	CU_ASSERT_PTR_EQUAL(route_lookup(&t, a6("2001:db8:1::1"))->ifp, &i3);
	CU_ASSERT_EQUAL(route_lookup(&t, a6("2001:db8:1::80"))->plen, 128);
	CU_ASSERT_EQUAL(route_lookup(&t, a6("2001:db8:1::81"))->plen, 48);
	/* The 49th bit decides. */
	CU_ASSERT_EQUAL(route_lookup(&t, a6("2001:db8:1:7fff::1"))->plen, 48);
	CU_ASSERT_EQUAL(route_lookup(&t, a6("2001:db8:1:8000::1"))->plen, 49);
	/* Use counts the lookups (netstat's Use column). */
	CU_ASSERT_EQUAL(route_find(&t, a6("::"), 0)->use, 1u);
	CU_ASSERT_EQUAL(route_find(&t, a6("2001:db8:1::"), 48)->use, 3u);
	route_free(&t);
}

static void test_add_delete(void)
{
	struct route_table t = { 0 };
	struct sim_iface i1 = { 0 };
	/* Host bits are masked away: the same prefix twice is EEXIST. */
	CU_ASSERT_EQUAL(add6(&t, "2001:db8:1::5", 64, NULL, &i1), 0);
	CU_ASSERT_EQUAL(add6(&t, "2001:db8:1::", 64, NULL, &i1), -1);
	CU_ASSERT_PTR_NOT_NULL(route_find(&t, a6("2001:db8:1::"), 64));
	CU_ASSERT_EQUAL(add6(&t, "2001:db8:1::", 63, NULL, &i1), 0);
	CU_ASSERT_EQUAL(route_delete(&t, 6, a6("2001:db8:2::"), 64), -1);
	CU_ASSERT_EQUAL(route_delete(&t, 6, a6("2001:db8:1::"), 48), -1);
	CU_ASSERT_EQUAL(route_delete(&t, 6, a6("2001:db8:1::77"), 64), 0);
	CU_ASSERT_PTR_NULL(route_find(&t, a6("2001:db8:1::"), 64));
	CU_ASSERT_EQUAL(t.n, 1u);
	struct route bad = { .family = 6, .plen = 129 };
	CU_ASSERT_NOT_EQUAL(route_add(&t, &bad), 0);
	route_free(&t);
}

static void test_sorted_and_expiry(void)
{
	struct route_table t = { 0 };
	struct sim_iface i1 = { 0 };
	const char *in[] = { "2001:db8:2::", "::", "fe80::", "2001:db8:1::", "2001:db8::" };
	const uint8_t pl[] = { 64, 0, 64, 64, 32 };
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(add6(&t, in[i], pl[i], NULL, &i1), 0);
	const char *order[] = { "::", "2001:db8::", "2001:db8:1::", "2001:db8:2::", "fe80::" };
	for (size_t i = 0; i < 5 && i < t.n; i++)
		CU_ASSERT_EQUAL(memcmp(t.r[i].dst, a6(order[i]), 16), 0);
	t.r[1].expires = 10 * SIM_S;
	t.r[3].expires = 20 * SIM_S;
	CU_ASSERT_EQUAL(route_next_expiry(&t, NULL), 10 * SIM_S);
	route_expire(&t, 10 * SIM_S);
	CU_ASSERT_EQUAL(t.n, 4u);
	CU_ASSERT_PTR_NULL(route_find(&t, a6("2001:db8::"), 32));
	CU_ASSERT_EQUAL(route_next_expiry(&t, NULL), 20 * SIM_S);
	route_expire(&t, 30 * SIM_S);
	CU_ASSERT_EQUAL(t.n, 3u);
	CU_ASSERT_EQUAL(route_next_expiry(&t, NULL), SIM_NEVER);
	route_flush_iface(&t, &i1);
	CU_ASSERT_EQUAL(t.n, 0u);
	route_free(&t);
}

static void test_scoped_linklocal(void)
{
	struct route_table t = { 0 };
	struct sim_iface i1 = { .index = 1 }, i2 = { .index = 2 };
	uint8_t p1[16], p2[16], q[16];
	memcpy(p1, a6("fe80::"), 16);
	memcpy(p2, p1, 16);
	in6_scope_embed(p1, 1);
	in6_scope_embed(p2, 2);
	struct route r1 = { .family = 6, .plen = 64, .ifp = &i1, .flags = RTF_UP };
	struct route r2 = r1;
	r2.ifp = &i2;
	memcpy(r1.dst, p1, 16);
	memcpy(r2.dst, p2, 16);
	/* fe80::%em0/64 and fe80::%em1/64 are two routes. */
	CU_ASSERT_EQUAL(route_add(&t, &r1), 0);
	CU_ASSERT_EQUAL(route_add(&t, &r2), 0);
	memcpy(q, a6("fe80::1234"), 16);
	in6_scope_embed(q, 2);
	CU_ASSERT_PTR_EQUAL(route_lookup(&t, q)->ifp, &i2);
	CU_ASSERT_PTR_NULL(route_lookup(&t, a6("fe80::1234")));
	CU_ASSERT_EQUAL(in6_scope_clear(q), 2u);
	CU_ASSERT_EQUAL(memcmp(q, a6("fe80::1234"), 16), 0);
	/* Global addresses never carry a scope. */
	memcpy(q, a6("2001:db8::1"), 16);
	in6_scope_embed(q, 7);
	CU_ASSERT_EQUAL(memcmp(q, a6("2001:db8::1"), 16), 0);
	route_free(&t);
}

static void test_ipv4_table(void)
{
	struct route_table t = { 0 };
	struct sim_iface i1 = { 0 }, i2 = { 0 };
	struct route d = { .family = 4, .plen = 0, .ifp = &i1, .flags = RTF_UP | RTF_GATEWAY };
	struct route n = { .family = 4, .plen = 24, .ifp = &i2, .flags = RTF_UP,
	                   .dst = { 192, 0, 2, 77 } };
	CU_ASSERT_EQUAL(route_add(&t, &d), 0);
	CU_ASSERT_EQUAL(route_add(&t, &n), 0);
	const uint8_t in[4] = { 192, 0, 2, 9 }, out[4] = { 198, 51, 100, 1 };
	CU_ASSERT_PTR_EQUAL(route_lookup(&t, in)->ifp, &i2);
	CU_ASSERT_PTR_EQUAL(route_lookup(&t, out)->ifp, &i1);
	CU_ASSERT_EQUAL(route_find(&t, (const uint8_t[4]){ 192, 0, 2, 0 }, 24)->dst[3], 0);
	CU_ASSERT_NOT_EQUAL(route_add(&t, &(struct route){ .family = 4, .plen = 33 }), 0);
	route_free(&t);
}

/* ---- forwarding: h1 -- lan1 -- r -- lan2 -- h2 ------------------------ */

static struct {
	struct sim *sim;
	struct sim_iface *h1, *r1, *r2, *h2;
	struct nt_capture cap2;
	struct nt_listener l1, l2;
} w;

static const uint8_t M_H1[6] = { 2, 0, 0, 0, 1, 1 }, M_R1[6] = { 2, 0, 0, 0, 1, 0xfe };
static const uint8_t M_R2[6] = { 2, 0, 0, 0, 2, 0xfe }, M_H2[6] = { 2, 0, 0, 0, 2, 2 };

static void world_up(void)
{
	memset(&w, 0, sizeof w);
	w.sim = sim_new(8200, 0);
	struct sim_link *lan1 = sim_link_add(w.sim, "lan1", LINK_ETHERNET);
	struct sim_link *lan2 = sim_link_add(w.sim, "lan2", LINK_ETHERNET);
	w.h1 = nt_node(w.sim, "h1", NODE_HOST, "em0", M_H1, lan1);
	w.r1 = nt_node(w.sim, "r", NODE_ROUTER, "em0", M_R1, lan1);
	w.r2 = sim_iface_add(w.r1->node, "em1", M_R2);
	sim_link_attach(lan2, w.r2);
	w.h2 = nt_node(w.sim, "h2", NODE_HOST, "em0", M_H2, lan2);
	sim_link_tap(lan2, nt_tap, &w.cap2);
	struct sim_iface *all[] = { w.h1, w.r1, w.r2, w.h2 };
	for (int i = 0; i < 4; i++)
		net_iface_up(all[i]);
	in6_addr_add(w.r1, a6("2001:db8:1::1"), 64, 0, SIM_NEVER, SIM_NEVER);
	in6_addr_add(w.r2, a6("2001:db8:2::1"), 64, 0, SIM_NEVER, SIM_NEVER);
	struct nd_ra_prefix p1 = { .plen = 64, .onlink = true, .autonomous = true };
	struct nd_ra_prefix p2 = p1;
	pb_addr6("2001:db8:1::", p1.prefix);
	pb_addr6("2001:db8:2::", p2.prefix);
	nd_rtadv_start(w.r1, &p1, 1, 0);
	nd_rtadv_start(w.r2, &p2, 1, 0);
	nt_listen(w.h1->node, &w.l1);
	nt_listen(w.h2->node, &w.l2);
	sim_run_until(w.sim, 30 * SIM_S);
	w.cap2.n = 0;
}

#define H1 "2001:db8:1::ff:fe00:101"
#define H2 "2001:db8:2::ff:fe00:202"

static void test_forward_hlim(void)
{
	world_up();
	CU_ASSERT_TRUE(ip6_is_local(w.h1->node, a6(H1), NULL));
	CU_ASSERT_TRUE(ip6_is_local(w.h2->node, a6(H2), NULL));
	CU_ASSERT_EQUAL(nt_ping(w.h1->node, NULL, H2, NULL, 1, 1, 0, 56), 0);
	sim_run_until(w.sim, 31 * SIM_S);
	CU_ASSERT_EQUAL(w.l1.replies, 1);
	CU_ASSERT_EQUAL(w.l1.last_hlim, 63);  /* one router on the way back */
	CU_ASSERT_EQUAL(memcmp(w.l1.reply_src, a6(H2), 16), 0);
	int req = nt_find_icmp6(&w.cap2, 0, 128);
	CU_ASSERT_FATAL(req >= 0);
	CU_ASSERT_EQUAL(w.cap2.f[req].data[14 + 7], 63);
	CU_ASSERT_EQUAL(memcmp(w.cap2.f[req].data + 6, M_R2, 6), 0);
	/* The router forwarded it unchanged but for the hop limit. */
	CU_ASSERT_TRUE(pb_l4_csum_ok(w.cap2.f[req].data + 14, w.cap2.f[req].len - 14));
	CU_ASSERT_EQUAL(w.r1->node->net->ip6_forwarded, 2u);
	sim_free(w.sim);
}

static void test_forward_errors(void)
{
	world_up();
	/* Hop limit 1: Time Exceeded from the router. */
	nt_ping(w.h1->node, NULL, H2, NULL, 1, 1, 1, 8);
	sim_run_until(w.sim, 31 * SIM_S);
	CU_ASSERT_EQUAL(w.l1.errors, 1);
	CU_ASSERT_EQUAL(w.l1.err_type, 3);
	CU_ASSERT_EQUAL(w.l1.err_code, 0);
	CU_ASSERT_EQUAL(nt_count_icmp6(&w.cap2, 128), 0);
	/* No route at the router: Destination Unreachable, no route (code 0).
	 * (The host's default route sends everything to the router.) */
	nt_ping(w.h1->node, NULL, "2001:4f8:fff6::21", NULL, 1, 2, 0, 8);
	sim_run_until(w.sim, 32 * SIM_S);
	CU_ASSERT_EQUAL(w.l1.errors, 2);
	CU_ASSERT_EQUAL(w.l1.err_type, 1);
	CU_ASSERT_EQUAL(w.l1.err_code, 0);
	/* A link-local source towards another link: beyond scope (code 2). */
	uint8_t ll[16];
	slaac_linklocal(w.h1, ll);
	nt_ping(w.h1->node, ll, H2, NULL, 1, 3, 0, 8);
	sim_run_until(w.sim, 33 * SIM_S);
	CU_ASSERT_EQUAL(w.l1.errors, 3);
	CU_ASSERT_EQUAL(w.l1.err_type, 1);
	CU_ASSERT_EQUAL(w.l1.err_code, 2);
	CU_ASSERT_EQUAL(nt_count_icmp6(&w.cap2, 128), 0);
	/* Bigger than the next link's MTU: Packet Too Big with that MTU. */
	w.r2->mtu = 1280;
	nt_ping(w.h1->node, NULL, H2, NULL, 1, 4, 0, 1300);
	sim_run_until(w.sim, 34 * SIM_S);
	CU_ASSERT_EQUAL(w.l1.errors, 4);
	CU_ASSERT_EQUAL(w.l1.err_type, 2);
	CU_ASSERT_EQUAL(nt_count_icmp6(&w.cap2, 128), 0);
	/* A host does not forward: a packet for someone else is dropped. */
	CU_ASSERT_FALSE(w.h2->node->net->forwarding6);
	CU_ASSERT_TRUE(w.r1->node->net->forwarding6);
	sim_free(w.sim);
}

static void test_error_rate_limit(void)
{
	world_up();
	/* A first exchange, so that the router knows h1 (else its one-packet
	 * hold queue would keep a single error of the burst). */
	nt_ping(w.h1->node, NULL, H2, NULL, 1, 0, 0, 8);
	sim_run_until(w.sim, 30 * SIM_S + 100 * SIM_MS);
	CU_ASSERT_EQUAL(w.l1.replies, 1);
	/* 150 packets dying at the router in the same second: 100 errors
	 * (FreeBSD's net.inet6.icmp6.errppslimit), the rest dropped. */
	for (uint16_t i = 0; i < 150; i++)
		nt_ping(w.h1->node, NULL, H2, NULL, 1, i, 1, 8);
	sim_run_until(w.sim, 30 * SIM_S + 500 * SIM_MS);
	CU_ASSERT_EQUAL(w.l1.errors, 100);
	sim_run_until(w.sim, 32 * SIM_S);
	nt_ping(w.h1->node, NULL, H2, NULL, 1, 999, 1, 8);
	sim_run_until(w.sim, 33 * SIM_S);
	CU_ASSERT_EQUAL(w.l1.errors, 101);
	sim_free(w.sim);
}

static void test_no_route_locally(void)
{
	struct sim *sim = sim_new(9, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	struct sim_iface *em0 = nt_node(sim, "h", NODE_HOST, "em0", M_H1, lan);
	net_iface_up(em0);
	sim_run_until(sim, 3 * SIM_S);
	const char *why = NULL;
	uint8_t msg[8] = { 128 };
	CU_ASSERT_EQUAL(ip6_output(em0->node, NULL, a6("2001:db8::1"), 58, 0, msg, 8, NULL, &why),
	                -1);
	CU_ASSERT_STRING_EQUAL(why, "No route to host");
	/* A link-local destination with no scope and no route either. */
	CU_ASSERT_EQUAL(ip6_output(em0->node, NULL, a6("fe80::1"), 58, 0, msg, 8, NULL, &why), -1);
	/* Ourselves: looped back, answered by the kernel. */
	struct nt_listener l;
	nt_listen(em0->node, &l);
	uint8_t ll[16];
	slaac_linklocal(em0, ll);
	CU_ASSERT_EQUAL(nt_ping(em0->node, NULL, "fe80::ff:fe00:101", em0, 5, 5, 0, 8), 0);
	sim_run_until(sim, 3 * SIM_S + 1);
	CU_ASSERT_EQUAL(l.replies, 1);
	CU_ASSERT_EQUAL(memcmp(l.reply_src, ll, 16), 0);
	/* An address of our own with no route to it at all (a /128). */
	CU_ASSERT_EQUAL(in6_addr_add(em0, a6("2001:db8::99"), 128, 0, SIM_NEVER, SIM_NEVER), 0);
	CU_ASSERT_EQUAL(nt_ping(em0->node, NULL, "2001:db8::99", NULL, 5, 6, 0, 8), 0);
	sim_run_until(sim, 3 * SIM_S + 2);
	CU_ASSERT_EQUAL(l.replies, 2);
	CU_ASSERT_EQUAL(l.last_seq, 6);
	sim_free(sim);
}

static void test_path_hops(void)
{
	struct sim *sim = sim_new(10, 0);
	static const uint8_t ma[6] = { 2, 0, 0, 0, 0, 0xa }, mb[6] = { 2, 0, 0, 0, 0, 0xb };
	struct sim_iface *a = nt_node(sim, "a", NODE_HOST, "up0", ma, NULL);
	struct sim_iface *b = nt_node(sim, "b", NODE_HOST, "em0", mb, NULL);
	sim_path_add(sim, "core", a, b, 7, 92 * SIM_MS);
	for (size_t i = 0; i < sim->nnodes; i++) {
		net_node_init(sim->nodes[i]);
		if (strncmp(sim->nodes[i]->name, "core-r", 6) == 0)
			sim->nodes[i]->net->path_hop = true;
		for (int k = 0; k < sim->nodes[i]->nifaces; k++)
			net_iface_up(sim->nodes[i]->ifaces[k]);
	}
	in6_addr_add(a, a6("2001:db8:a::1"), 64, 0, SIM_NEVER, SIM_NEVER);
	in6_addr_add(b, a6("2001:4f8:fff6::21"), 64, 0, SIM_NEVER, SIM_NEVER);
	struct route d = { .family = 6, .ifp = a, .flags = RTF_UP };
	route_add(&a->node->net->rt6, &d);
	d.ifp = b;
	route_add(&b->node->net->rt6, &d);
	struct nt_listener l;
	nt_listen(a->node, &l);
	sim_run_until(sim, 3 * SIM_S);
	nt_ping(a->node, NULL, "2001:4f8:fff6::21", NULL, 1, 1, 0, 8);
	sim_run_until(sim, 4 * SIM_S);
	/* 64 - 7 on the way back (the seed's hlim=56 counts the BRAS too). */
	CU_ASSERT_EQUAL(l.replies, 1);
	CU_ASSERT_EQUAL(l.last_hlim, 57);
	/* Hop limit 3 dies at the third hidden router, which says so. */
	nt_ping(a->node, NULL, "2001:4f8:fff6::21", NULL, 1, 2, 3, 8);
	sim_run_until(sim, 5 * SIM_S);
	CU_ASSERT_EQUAL(l.errors, 1);
	CU_ASSERT_EQUAL(l.err_type, 3);
	sim_free(sim);
}

int suite_route(void)
{
	CU_pSuite s = CU_add_suite("route", NULL, NULL);
	if (!s || !CU_add_test(s, "longest_prefix", test_longest_prefix) ||
	    !CU_add_test(s, "add_delete", test_add_delete) ||
	    !CU_add_test(s, "sorted_and_expiry", test_sorted_and_expiry) ||
	    !CU_add_test(s, "scoped_linklocal", test_scoped_linklocal) ||
	    !CU_add_test(s, "ipv4_table", test_ipv4_table) ||
	    !CU_add_test(s, "forward_hlim", test_forward_hlim) ||
	    !CU_add_test(s, "forward_errors", test_forward_errors) ||
	    !CU_add_test(s, "error_rate_limit", test_error_rate_limit) ||
	    !CU_add_test(s, "no_route_locally", test_no_route_locally) ||
	    !CU_add_test(s, "path_hops", test_path_hops))
		return -1;
	return 0;
}
