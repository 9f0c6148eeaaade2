/*
 * nat6to4d in the simulation (sim/apps/nat6to4d.c) on a gateway with ipfw
 * divert rules (net/ipfw.c, net/divert.c): an IPv6-only client on lan6,
 * the gateway, an IPv4-only server on lan4. The client reaches the server
 * at 2001:df0:9::c000:250 (RFC 6052 /96 of 192.0.2.80, written out by
 * hand); the gateway's translator NAPTs it to its own 192.0.2.1.
 * Checked: an ICMPv6 echo and a UDP exchange translated both ways, the -d
 * log lines, the session table, the seed's wrong-socket bug (-B) losing
 * the reply with the divert counters saying so, and a bad configuration
 * refused with file:line:col.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps_int.h"
#include "core/sim.h"
#include "net/divert.h"
#include "net/net.h"
#include "nettest.h"
#include "pktbuild.h"
#include "transport/transport.h"

int suite_nat6to4d(void);

#define CONF "/usr/local/etc/nat6to4.conf"
#define CLIENT6 "2001:db8:6::2"
#define SERVER6 "2001:df0:9::c000:250"  /* 192.0.2.80 = c0.00.02.50 */

struct gwnet {
	struct sim *sim;
	struct sim_node *client, *gw, *server;
	struct sim_iface *em0, *sk1, *sk0, *fxp0;
	struct nt_capture cap4;
	/* the server's UDP echo and the client's socket */
	struct udp_sock *echo, *csock;
	int creplies;
	struct tp_addr cfrom;
	uint8_t cdata[64];
	size_t clen;
};
static struct gwnet G;

static void addr4(struct sim_iface *ifp, const char *t)
{
	uint8_t a[4];
	pb_addr4(t, a);
	in4_addr_add(ifp, a, 24, NULL);
}

static void addr6(struct sim_iface *ifp, const char *t)
{
	uint8_t a[16];
	pb_addr6(t, a);
	in6_addr_add(ifp, a, 64, 0, SIM_NEVER, SIM_NEVER);
}

static void route6(struct sim_node *n, struct sim_iface *ifp, const char *dst, uint8_t plen,
                   const char *gw)
{
	struct route r = { .family = 6, .plen = plen, .ifp = ifp, .expires = SIM_NEVER,
		           .flags = RTF_UP | RTF_GATEWAY | RTF_STATIC };
	pb_addr6(dst, r.dst);
	pb_addr6(gw, r.gateway);
	route_add(&n->net->rt6, &r);
}

static void echo_recv(void *user, struct udp_sock *s, const struct tp_addr *from,
                      const struct tp_addr *to, const uint8_t *data, size_t len)
{
	(void)user, (void)to;
	udp_sendto(s, from, data, len, NULL);
}

static void client_recv(void *user, struct udp_sock *s, const struct tp_addr *from,
                        const struct tp_addr *to, const uint8_t *data, size_t len)
{
	(void)s, (void)to;
	struct gwnet *g = user;
	g->creplies++;
	g->cfrom = *from;
	g->clen = len < sizeof g->cdata ? len : sizeof g->cdata;
	memcpy(g->cdata, data, g->clen);
}

static struct sim_node *node(const char *name, struct sim_iface **ifp, const char *ifname,
                             uint8_t last, struct sim_link *l)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 1, last };
	*ifp = nt_node(G.sim, name, NODE_FREEBSD, ifname, mac, l);
	struct sim_node *n = (*ifp)->node;
	transport_node_init(n);
	apps_node_init(n);
	return n;
}

static int setup(void)
{
	memset(&G, 0, sizeof G);
	G.sim = sim_new(13, 1210687823ull * SIM_S); /* 2008-05-13 14:10:23 UTC */
	struct sim_link *lan6 = sim_link_add(G.sim, "lan6", LINK_ETHERNET);
	struct sim_link *lan4 = sim_link_add(G.sim, "lan4", LINK_ETHERNET);
	lan6->delay = lan4->delay = SIM_MS;
	sim_link_tap(lan4, nt_tap, &G.cap4);
	G.client = node("freefall", &G.em0, "em0", 1, lan6);
	G.gw = node("gw", &G.sk1, "sk1", 2, lan6);
	G.server = node("rompager", &G.fxp0, "fxp0", 3, lan4);
	static const uint8_t m[6] = { 2, 0, 0, 0, 1, 4 };
	G.sk0 = sim_iface_add(G.gw, "sk0", m);
	if (!G.sk0 || sim_link_attach(lan4, G.sk0) != 0)
		return -1;
	addr6(G.em0, CLIENT6);
	addr6(G.sk1, "2001:db8:6::1");
	addr4(G.sk0, "192.0.2.1");
	addr4(G.fxp0, "192.0.2.80");
	route6(G.client, G.em0, "2001:df0:9::", 96, "2001:db8:6::1");
	net_iface_up(G.em0);
	net_iface_up(G.sk1);
	net_iface_up(G.sk0);
	net_iface_up(G.fxp0);
	G.echo = udp_bind(G.server, 4, 7, echo_recv, &G);
	G.csock = udp_bind(G.client, 6, 40000, client_recv, &G);
	static const char conf[] = "# the gateway's translator\n"
	                           "prefix 2001:df0:9::/96\n"
	                           "pool4 192.0.2.1\n";
	if (!G.echo || !G.csock || sim_file_put(G.gw, CONF, conf, sizeof conf - 1, "test") != 0)
		return -1;
	sim_run_until(G.sim, 3 * SIM_S);
	return 0;
}

static int teardown(void)
{
	udp_close(G.echo);
	udp_close(G.csock);
	transport_node_free(G.client);
	transport_node_free(G.gw);
	transport_node_free(G.server);
	sim_free(G.sim);
	return 0;
}

/* The gateway's output lines since transcript index m, k-th of them. */
static const char *gw_line(size_t m, size_t k)
{
	for (size_t i = m; i < G.sim->out.n; i++) {
		const struct sim_line *s = &G.sim->out.lines[i];
		if (s->node == G.gw->id && !s->is_command && k-- == 0)
			return s->text;
	}
	return "(none)";
}

static void run(const char *cmd, int want)
{
	int rc = apps_run(G.gw, cmd);
	if (rc != want)
		printf("\n  `%s` exited %d, expected %d: %s", cmd, rc, want,
		       gw_line(G.sim->out.n ? G.sim->out.n - 1 : 0, 0));
	CU_ASSERT_EQUAL(rc, want);
}

/* The seed's shape of rules: replies to the pool address and IPv6 from
 * the client side go to the daemon; ICMPv6 to the gateway itself (ND)
 * is allowed first. */
static void rules(void)
{
	run("ipfw add 1005 divert 8664 ip from any to 192.0.2.1 in via sk0", 0);
	run("ipfw add 1006 allow ipv6-icmp from any to me6 via sk1", 0);
	run("ipfw add 1007 divert 8666 ip6 from any to 2001:df0:9::/96 in via sk1", 0);
}

static void test_bad_config_refused(void)
{
	static const char bad[] = "prefix 2001:df0:9::/96\n"
	                          "pool4 192.0.2.1\n"
	                          "mtu6 12\n";
	sim_file_put(G.gw, "/etc/bad.conf", bad, sizeof bad - 1, "test");
	size_t m = G.sim->out.n;
	run("nat6to4d -c /etc/bad.conf", 1);
	const char *l = gw_line(m, 0);
	CU_ASSERT_EQUAL(strncmp(l, "nat6to4d: /etc/bad.conf:3:", 26), 0);
	if (strncmp(l, "nat6to4d: /etc/bad.conf:3:", 26) != 0)
		printf("\n  got [%s]", l);
	m = G.sim->out.n;
	run("nat6to4d -c /etc/none.conf", 1);
	CU_ASSERT_STRING_EQUAL(gw_line(m, 0), "nat6to4d: /etc/none.conf: No such file or directory");
	m = G.sim->out.n;
	run("nat6to4ctl show sessions", 1);
	CU_ASSERT_STRING_EQUAL(gw_line(m, 0), "nat6to4ctl: nat6to4d is not running");
	run("nat6to4d -x", APPS_EX_USAGE);
	run("nat6to4d -4 0", 1);
}

static void test_ping_translated(void)
{
	rules();
	size_t m = G.sim->out.n;
	run("nat6to4d -d", 0);
	CU_ASSERT_STRING_EQUAL(gw_line(m, 0),
	                       "nat6to4d: " CONF ": divert6 port 8666, divert4 port 8664");
	struct nt_listener lis;
	nt_listen(G.client, &lis);
	uint8_t src[16];
	pb_addr6(CLIENT6, src);
	m = G.sim->out.n;
	G.cap4.n = 0;
	CU_ASSERT_EQUAL(nt_ping(G.client, src, SERVER6, NULL, 0x2008, 5, 64, 8), 0);
	sim_run_until(G.sim, G.sim->now + SIM_S);
	CU_ASSERT_EQUAL(lis.replies, 1);
	CU_ASSERT_EQUAL(lis.last_seq, 5);
	uint8_t s6[16];
	pb_addr6(SERVER6, s6);
	CU_ASSERT_EQUAL(memcmp(lis.reply_src, s6, 16), 0);
	CU_ASSERT_STRING_EQUAL(gw_line(m, 0),
	                       "nat6to4d: 6to4 icmp6 2001:db8:6::2 > 2001:df0:9::c000:250 echo request: "
	                       "translated -> icmp 192.0.2.1 > 192.0.2.80 echo request");
	CU_ASSERT_STRING_EQUAL(gw_line(m, 1),
	                       "nat6to4d: 4to6 icmp 192.0.2.80 > 192.0.2.1 echo reply: "
	                       "translated -> icmp6 2001:df0:9::c000:250 > 2001:db8:6::2 echo reply");
	/* On the IPv4 side the request is the gateway's: 192.0.2.1 -> .80, ICMP echo. */
	int found = 0;
	for (int i = 0; i < G.cap4.n; i++) {
		const uint8_t *f = G.cap4.f[i].data;
		if (G.cap4.f[i].from == G.sk0 && G.cap4.f[i].len >= 42 && f[12] == 8 && f[13] == 0 &&
		    f[23] == 1 && memcmp(f + 26, "\xc0\x00\x02\x01\xc0\x00\x02\x50", 8) == 0 &&
		    f[34] == 8)
			found++;
	}
	CU_ASSERT_EQUAL(found, 1);
	icmp6_unlisten(G.client, &lis);
}

static void test_udp_exchange(void)
{
	struct tp_addr to = { .family = 6, .port = 7 };
	pb_addr6(SERVER6, to.addr);
	size_t m = G.sim->out.n;
	CU_ASSERT_EQUAL(udp_sendto(G.csock, &to, (const uint8_t *)"BarNet", 6, NULL), 0);
	sim_run_until(G.sim, G.sim->now + SIM_S);
	CU_ASSERT_EQUAL(G.creplies, 1);
	CU_ASSERT_EQUAL(G.clen, 6);
	CU_ASSERT_EQUAL(memcmp(G.cdata, "BarNet", 6), 0);
	CU_ASSERT_EQUAL(G.cfrom.port, 7);
	CU_ASSERT_EQUAL(memcmp(G.cfrom.addr, to.addr, 16), 0);
	const char *l0 = gw_line(m, 0);
	CU_ASSERT_EQUAL(strncmp(l0, "nat6to4d: 6to4 udp 2001:db8:6::2.40000 > 2001:df0:9::c000:250.7: "
	                            "translated -> udp 192.0.2.1.", 93), 0);
	if (strncmp(l0, "nat6to4d: 6to4 udp", 18) != 0)
		printf("\n  got [%s]", l0);
	m = G.sim->out.n;
	run("nat6to4ctl show sessions", 0);
	const char *head = gw_line(m, 0);
	CU_ASSERT_EQUAL(strncmp(head, "Proto IPv6 endpoint", 19), 0);
	int udp = 0, icmp = 0;
	for (size_t k = 1; k < 4; k++) {
		const char *r = gw_line(m, k);
		udp += strncmp(r, "udp   2001:db8:6::2.40000 ", 26) == 0 && strstr(r, " 192.0.2.80.7 ");
		icmp += strncmp(r, "icmp  2001:db8:6::2.8200 ", 25) == 0;
	}
	CU_ASSERT_EQUAL(udp, 1);
	CU_ASSERT_EQUAL(icmp, 1); /* the echo id 0x2008 = 8200 */
	m = G.sim->out.n;
	run("nat6to4ctl show counters", 0);
	CU_ASSERT_STRING_EQUAL(gw_line(m, 0), "6to4:");
	CU_ASSERT_STRING_EQUAL(gw_line(m, 1), "\t2 packets received");
	CU_ASSERT_STRING_EQUAL(gw_line(m, 2), "\t2 packets translated");
}

/* -B: translated IPv6 goes to the IPv4 socket, is accepted, and is lost. */
static void test_wrong_socket_bug(void)
{
	CU_ASSERT_EQUAL(nat6to4d_terminate(G.gw), 0);
	struct divert_stats before, after;
	divert_get_stats(G.gw, &before);
	run("nat6to4d -B", 0);
	struct nt_listener lis;
	nt_listen(G.client, &lis);
	uint8_t src[16];
	pb_addr6(CLIENT6, src);
	CU_ASSERT_EQUAL(nt_ping(G.client, src, SERVER6, NULL, 0x2009, 1, 64, 8), 0);
	sim_run_until(G.sim, G.sim->now + SIM_S);
	CU_ASSERT_EQUAL(lis.replies, 0);
	divert_get_stats(G.gw, &after);
	CU_ASSERT_EQUAL(after.wrong_family, before.wrong_family + 1);
	CU_ASSERT_EQUAL(after.diverted, before.diverted + 2); /* request and reply */
	size_t m = G.sim->out.n;
	run("nat6to4ctl show counters | grep wrong", 0);
	CU_ASSERT_STRING_EQUAL(gw_line(m, 0), "\t1 packets lost, wrong address family");
	icmp6_unlisten(G.client, &lis);
}

int suite_nat6to4d(void)
{
	CU_pSuite s = CU_add_suite("nat6to4d", setup, teardown);
	if (!s)
		return -1;
	if (!CU_add_test(s, "bad_config_refused", test_bad_config_refused) ||
	    !CU_add_test(s, "ping_translated", test_ping_translated) ||
	    !CU_add_test(s, "udp_exchange", test_udp_exchange) ||
	    !CU_add_test(s, "wrong_socket_bug", test_wrong_socket_bug))
		return -1;
	return 0;
}
