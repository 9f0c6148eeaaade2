/*
 * divert sockets (sim/net/divert.h) on a gateway like the seed's: gw's
 * tun1 (2001:5c0:8fff:ffff::c3) on a point-to-point link to a client,
 * ipfw `divert 8666 ip6 from any to me6`, and a "process" in this file
 * bound to the port. Checked: a diverted packet reaches the socket as an
 * event (never inside the stack's call) with where it was taken; written
 * back it goes on after its rule (a following `count` rule sees it once,
 * the divert rule does not see it again) and is answered; with nobody
 * bound it is dropped and counted; written to the IPv4 socket it is
 * accepted and lost (the seed's 2008-05-12 bug); several packets keep
 * their order. Packets are built with libnet (pktbuild) or by the stack.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/sim.h"
#include "net/divert.h"
#include "net/ipfw.h"
#include "net/net.h"
#include "pktbuild.h"

int suite_divert(void);

#define GW6 "2001:5c0:8fff:ffff::c3"
#define CLIENT6 "2001:5c0:8fff:ffff::2"
#define GW4 "192.0.2.1"
#define CLIENT4 "192.0.2.2"
#define MAXP 16

enum proc_mode { KEEP, WRITE_BACK, WRONG_SOCKET };

/* The process reading the divert sockets (nat6to4d's place). */
struct proc {
	enum proc_mode mode;
	struct divert_sock *s6, *s4;
	int n;
	uint8_t pkt[MAXP][256];
	size_t len[MAXP];
	struct divert_info info[MAXP];
	sim_time at[MAXP];
	long rc;
};

/* IP packets on the point-to-point link, as sent. */
struct wire {
	int n;
	const struct sim_iface *from[64];
	uint8_t pkt[64][128];
	size_t len[64];
};

struct gw {
	struct sim *sim;
	struct sim_node *gw, *client;
	struct sim_iface *tun1, *tun0;
	struct proc proc;
	struct wire wire;
	int in_stack;   /* > 0 while a packet is inside ip6_input (re-entrancy check) */
	int reentered;
};

static void wire_tap(void *user, const struct sim_frame_info *f)
{
	struct wire *w = user;
	if (w->n < 64 && !f->lost) {
		size_t l = f->len < 128 ? f->len : 128;
		memcpy(w->pkt[w->n], f->data, l);
		w->len[w->n] = f->len;
		w->from[w->n] = f->from;
		w->n++;
	}
}

static void on_divert(void *user, struct divert_sock *s, const uint8_t *pkt, size_t len,
                      const struct divert_info *info)
{
	struct gw *g = user;
	struct proc *p = &g->proc;
	if (g->in_stack)
		g->reentered++;
	if (p->n < MAXP) {
		memcpy(p->pkt[p->n], pkt, len < 256 ? len : 256);
		p->len[p->n] = len;
		p->info[p->n] = *info;
		p->at[p->n] = g->sim->now;
		p->n++;
	}
	if (p->mode == WRITE_BACK)
		p->rc = divert_send(s, pkt, len, info);
	else if (p->mode == WRONG_SOCKET)
		p->rc = divert_send(p->s4, pkt, len, info);
}

static void addrs(struct sim_iface *ifp, const char *a6, const char *a4)
{
	uint8_t a[16];
	inet_pton(AF_INET6, a6, a);
	in6_addr_add(ifp, a, 64, 0, SIM_NEVER, SIM_NEVER);
	inet_pton(AF_INET, a4, a);
	in4_addr_add(ifp, a, 24, NULL);
}

/* gw and client up, router solicitations and DAD over, at t = 20 s. */
static struct gw *gw_new(void)
{
	static struct gw g;
	memset(&g, 0, sizeof g);
	g.sim = sim_new(7, 0);
	g.gw = sim_node_add(g.sim, "gw", NODE_FREEBSD);
	g.client = sim_node_add(g.sim, "client", NODE_FREEBSD);
	g.tun1 = sim_iface_add(g.gw, "tun1", NULL);
	g.tun0 = sim_iface_add(g.client, "tun0", NULL);
	struct sim_link *l = sim_link_add(g.sim, "wan", LINK_P2P);
	l->delay = 10 * SIM_MS;
	sim_link_attach(l, g.tun1);
	sim_link_attach(l, g.tun0);
	net_node_init(g.gw);
	net_node_init(g.client);
	addrs(g.tun1, GW6, GW4);
	addrs(g.tun0, CLIENT6, CLIENT4);
	net_iface_up(g.tun1);
	net_iface_up(g.tun0);
	sim_run_until(g.sim, 20 * SIM_S);
	sim_link_tap(l, wire_tap, &g.wire);
	return &g;
}

static void rule(struct gw *g, const char *text)
{
	char buf[256], err[IPFW_ERRLEN];
	char *argv[32];
	struct ipfw_rule r;
	snprintf(buf, sizeof buf, "%s", text);
	int argc = ipfw_split(buf, argv, 32);
	CU_ASSERT_EQUAL_FATAL(ipfw_parse(argc, argv, &r, err, sizeof err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ipfw_add(g->gw, &r));
}

static void bind_both(struct gw *g, enum proc_mode mode)
{
	g->proc.mode = mode;
	g->proc.s6 = divert_bind(g->gw, 6, 8666, on_divert, g);
	g->proc.s4 = divert_bind(g->gw, 4, 8664, on_divert, g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->proc.s6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->proc.s4);
}

static void unbind(struct gw *g)
{
	divert_close(g->proc.s6);
	divert_close(g->proc.s4);
	g->proc.s6 = g->proc.s4 = NULL;
}

static uint64_t pcnt(struct gw *g, size_t i) { return ipfw_chain(g->gw)->r[i].pcnt; }

/* An echo request from the client to gw (8 bytes of data), by its stack. */
static void ping_gw(struct gw *g, uint16_t seq)
{
	uint8_t d[16], msg[16] = { 128, 0, 0, 0, 0x12, 0x34, (uint8_t)(seq >> 8), (uint8_t)seq };
	inet_pton(AF_INET6, GW6, d);
	CU_ASSERT_EQUAL(ip6_output(g->client, NULL, d, 58, 0, msg, sizeof msg, NULL, NULL), 0);
}

/* ICMPv6 type of the i-th packet on the wire from `from`, -1 if none. */
static int wire_icmp6(const struct gw *g, const struct sim_iface *from, int k, uint16_t *seq)
{
	for (int i = 0; i < g->wire.n; i++) {
		const uint8_t *p = g->wire.pkt[i];
		if (g->wire.from[i] != from || (p[0] >> 4) != 6 || p[6] != 58 || g->wire.len[i] < 48)
			continue;
		if (k-- == 0) {
			if (seq)
				*seq = (uint16_t)(p[46] << 8 | p[47]);
			return p[40];
		}
	}
	return -1;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_delivered_as_event(void)
{
	struct gw *g = gw_new();
	rule(g, "1000 divert 8666 ip6 from any to me6");
	bind_both(g, KEEP);
	uint8_t pkt[PB_MAX];
	struct pb_ip6 ip = { .src = CLIENT6, .dst = GW6, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 6, .sport = 40000, .dport = 80, .seq = 1000, .flags = 0x02,
	                    .win = 65535 };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &l4);
	CU_ASSERT_FATAL(len == 60);
	sim_time t0 = g->sim->now;
	g->in_stack = 1;
	ip6_input(g->tun1, pkt, len);
	g->in_stack = 0;
	CU_ASSERT_EQUAL(g->proc.n, 0); /* not from inside the stack */
	sim_run_until(g->sim, t0);
	CU_ASSERT_EQUAL_FATAL(g->proc.n, 1);
	CU_ASSERT_EQUAL(g->reentered, 0);
	CU_ASSERT_EQUAL(g->proc.at[0], t0);
	CU_ASSERT_EQUAL(g->proc.len[0], len);
	CU_ASSERT_EQUAL(memcmp(g->proc.pkt[0], pkt, len), 0);
	CU_ASSERT_EQUAL(g->proc.info[0].dir, DIVERT_IN);
	CU_ASSERT_STRING_EQUAL(g->proc.info[0].ifname, "tun1");
	CU_ASSERT_EQUAL(g->proc.info[0].rule, 1000);
	struct divert_stats st;
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.diverted, 1);
	CU_ASSERT_EQUAL(st.no_socket, 0);
	CU_ASSERT_EQUAL(st.reinjected, 0);
	/* Taken: nothing answered the SYN. */
	sim_run_until(g->sim, t0 + SIM_S);
	CU_ASSERT_EQUAL(g->wire.n, 0);
	unbind(g);
	sim_free(g->sim);
}

static void test_reinject_continues_after_rule(void)
{
	struct gw *g = gw_new();
	rule(g, "1000 divert 8666 ip6 from any to me6");
	rule(g, "1100 count ip6 from any to me6");
	bind_both(g, WRITE_BACK);
	ping_gw(g, 0);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	CU_ASSERT_EQUAL_FATAL(g->proc.n, 1);        /* the request only: the reply is not to me6 */
	CU_ASSERT_EQUAL(g->proc.pkt[0][40], 128);
	CU_ASSERT_EQUAL(g->proc.rc, (long)g->proc.len[0]);
	CU_ASSERT_EQUAL(pcnt(g, 0), 1);             /* divert: once, not again on reinjection */
	CU_ASSERT_EQUAL(pcnt(g, 1), 1);             /* count: the reinjected request */
	CU_ASSERT_EQUAL(pcnt(g, 2), 2);             /* 65535: request in, reply out */
	/* Input processing went on: gw answered the echo request. */
	CU_ASSERT_EQUAL(wire_icmp6(g, g->tun0, 0, NULL), 128);
	CU_ASSERT_EQUAL(wire_icmp6(g, g->tun1, 0, NULL), 129);
	struct divert_stats st;
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.diverted, 1);
	CU_ASSERT_EQUAL(st.reinjected, 1);
	CU_ASSERT_EQUAL(st.wrong_family, 0);
	unbind(g);
	sim_free(g->sim);
}

static void test_no_socket(void)
{
	struct gw *g = gw_new();
	rule(g, "1000 divert 8666 ip6 from any to me6");
	rule(g, "1100 count ip6 from any to me6");
	ping_gw(g, 0);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	struct divert_stats st;
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.no_socket, 1);
	CU_ASSERT_EQUAL(st.diverted, 0);
	CU_ASSERT_EQUAL(pcnt(g, 0), 1);
	CU_ASSERT_EQUAL(pcnt(g, 1), 0);
	CU_ASSERT_EQUAL(wire_icmp6(g, g->tun1, 0, NULL), -1); /* no answer */
	/* Bound when diverted, closed before the process read it: dropped too. */
	bind_both(g, KEEP);
	uint8_t pkt[PB_MAX];
	struct pb_ip6 ip = { .src = CLIENT6, .dst = GW6, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 17, .sport = 1, .dport = 2 };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &l4);
	ip6_input(g->tun1, pkt, len); /* diverted and queued for the process */
	unbind(g);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(g->proc.n, 0);
	CU_ASSERT_EQUAL(st.no_socket, 2);
	CU_ASSERT_EQUAL(pcnt(g, 0), 2);
	sim_free(g->sim);
}

static void test_wrong_family(void)
{
	struct gw *g = gw_new();
	rule(g, "1000 divert 8666 ip6 from any to me6");
	rule(g, "1100 count ip6 from any to me6");
	bind_both(g, WRONG_SOCKET);
	ping_gw(g, 0);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	CU_ASSERT_EQUAL_FATAL(g->proc.n, 1);
	CU_ASSERT_EQUAL(g->proc.rc, (long)g->proc.len[0]); /* sendto() said yes */
	struct divert_stats st;
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.wrong_family, 1);
	CU_ASSERT_EQUAL(st.reinjected, 0);
	CU_ASSERT_EQUAL(pcnt(g, 1), 0);                   /* ... but it never came back */
	CU_ASSERT_EQUAL(wire_icmp6(g, g->tun1, 0, NULL), -1);
	/* An IPv4 packet into the IPv6 socket: the same. */
	uint8_t pkt[PB_MAX];
	struct pb_ip4 ip = { .src = CLIENT4, .dst = GW4, .ttl = 64 };
	struct pb_l4 l4 = { .proto = 17, .sport = 1, .dport = 2 };
	size_t len = pb_ip4(pkt, sizeof pkt, &ip, &l4);
	struct divert_info info = { .dir = DIVERT_IN, .ifname = "tun1", .rule = 1000 };
	CU_ASSERT_EQUAL(divert_send(g->proc.s6, pkt, len, &info), (long)len);
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.wrong_family, 2);
	unbind(g);
	sim_free(g->sim);
}

static void test_order_preserved(void)
{
	struct gw *g = gw_new();
	rule(g, "1000 divert 8666 ip6 from any to me6");
	bind_both(g, KEEP);
	for (uint16_t seq = 0; seq < 5; seq++)
		ping_gw(g, seq);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	CU_ASSERT_EQUAL_FATAL(g->proc.n, 5);
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(g->proc.pkt[i][47], i); /* read in arrival order */
		CU_ASSERT_EQUAL(g->proc.info[i].rule, 1000);
	}
	/* Written back in that order (later, outside any callback): answered in it. */
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(divert_send(g->proc.s6, g->proc.pkt[i], g->proc.len[i],
		                            &g->proc.info[i]), (long)g->proc.len[i]);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	for (int i = 0; i < 5; i++) {
		uint16_t seq = 0xffff;
		CU_ASSERT_EQUAL(wire_icmp6(g, g->tun1, i, &seq), 129);
		CU_ASSERT_EQUAL(seq, i);
	}
	CU_ASSERT_EQUAL(pcnt(g, 0), 5);
	struct divert_stats st;
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.reinjected, 5);
	unbind(g);
	sim_free(g->sim);
}

static void test_outbound(void)
{
	struct gw *g = gw_new();
	rule(g, "1000 divert 8666 ip6 from me6 to any out xmit tun1");
	bind_both(g, WRITE_BACK);
	ping_gw(g, 3);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	CU_ASSERT_EQUAL_FATAL(g->proc.n, 1);
	CU_ASSERT_EQUAL(g->proc.pkt[0][40], 129);          /* gw's echo reply, on its way out */
	CU_ASSERT_EQUAL(g->proc.info[0].dir, DIVERT_OUT);
	CU_ASSERT_STRING_EQUAL(g->proc.info[0].ifname, "tun1");
	uint16_t seq = 0;
	CU_ASSERT_EQUAL(wire_icmp6(g, g->tun1, 0, &seq), 129); /* routed and sent */
	CU_ASSERT_EQUAL(seq, 3);
	CU_ASSERT_EQUAL(pcnt(g, 0), 1);
	CU_ASSERT_EQUAL(pcnt(g, 1), 2);                     /* request in, reply out after 1000 */
	/* No route: sendto() fails, nothing counted as reinjected. */
	uint8_t pkt[PB_MAX];
	struct pb_ip6 ip = { .src = GW6, .dst = "2001:db8::1", .hlim = 64 };
	struct pb_l4 l4 = { .proto = 17, .sport = 1, .dport = 2 };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &l4);
	struct divert_info info = { .dir = DIVERT_OUT, .rule = 1000 };
	CU_ASSERT_EQUAL(divert_send(g->proc.s6, pkt, len, &info), -1);
	struct divert_stats st;
	divert_get_stats(g->gw, &st);
	CU_ASSERT_EQUAL(st.reinjected, 1);
	unbind(g);
	sim_free(g->sim);
}

static void test_ipv4(void)
{
	struct gw *g = gw_new();
	rule(g, "1005 divert 8664 ip from any to " GW4);
	bind_both(g, WRITE_BACK);
	uint8_t dst[4];
	inet_pton(AF_INET, GW4, dst);
	static const uint8_t data[8] = { 0 };
	CU_ASSERT_EQUAL(icmp4_echo_send(g->client, NULL, dst, 64, 0x77, 9, data, sizeof data, NULL),
	                0);
	sim_run_until(g->sim, g->sim->now + SIM_S);
	CU_ASSERT_EQUAL_FATAL(g->proc.n, 1);
	CU_ASSERT_EQUAL(g->proc.pkt[0][0] >> 4, 4);
	CU_ASSERT_EQUAL(g->proc.info[0].rule, 1005);
	/* Reinjected into the IPv4 input: gw's echo reply goes out. */
	int replies = 0;
	for (int i = 0; i < g->wire.n; i++)
		replies += g->wire.from[i] == g->tun1 && (g->wire.pkt[i][0] >> 4) == 4 &&
		           g->wire.pkt[i][9] == 1 && g->wire.pkt[i][20] == 0;
	CU_ASSERT_EQUAL(replies, 1);
	CU_ASSERT_EQUAL(pcnt(g, 0), 1);
	unbind(g);
	sim_free(g->sim);
}

static void test_bind(void)
{
	struct gw *g = gw_new();
	struct divert_sock *a = divert_bind(g->gw, 6, 8666, on_divert, g);
	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_PTR_NULL(divert_bind(g->gw, 6, 8666, on_divert, g)); /* EADDRINUSE */
	struct divert_sock *b = divert_bind(g->gw, 4, 8666, on_divert, g);
	CU_ASSERT_PTR_NOT_NULL(b);                                     /* the other family */
	CU_ASSERT_PTR_NULL(divert_bind(g->gw, 6, 0, on_divert, g));
	CU_ASSERT_PTR_NULL(divert_bind(g->gw, 5, 1, on_divert, g));
	divert_close(a);
	a = divert_bind(g->gw, 6, 8666, on_divert, g);
	CU_ASSERT_PTR_NOT_NULL(a);
	/* Garbage written: refused or lost, never a crash. */
	static const uint8_t junk[3] = { 0x60, 0, 0 };
	struct divert_info info = { .dir = DIVERT_IN, .ifname = "tun1" };
	CU_ASSERT_EQUAL(divert_send(a, junk, sizeof junk, &info), -1);
	CU_ASSERT_EQUAL(divert_send(a, junk, 0, &info), -1);
	struct divert_info nowhere = { .dir = DIVERT_IN, .ifname = "gif9" };
	uint8_t pkt[PB_MAX];
	struct pb_ip6 ip = { .src = CLIENT6, .dst = GW6, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 17, .sport = 1, .dport = 2 };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &l4);
	CU_ASSERT_EQUAL(divert_send(a, pkt, len, &nowhere), -1);
	divert_close(a);
	/* b stays open across sim_free: its close afterwards is still safe. */
	sim_free(g->sim);
	divert_close(b);
}

int suite_divert(void)
{
	CU_pSuite s = CU_add_suite("divert", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "delivered_as_event", test_delivered_as_event) ||
	    !CU_add_test(s, "reinject_continues_after_rule", test_reinject_continues_after_rule) ||
	    !CU_add_test(s, "no_socket", test_no_socket) ||
	    !CU_add_test(s, "wrong_family", test_wrong_family) ||
	    !CU_add_test(s, "order_preserved", test_order_preserved) ||
	    !CU_add_test(s, "outbound", test_outbound) ||
	    !CU_add_test(s, "ipv4", test_ipv4) ||
	    !CU_add_test(s, "bind", test_bind))
		return -1;
	return 0;
}
