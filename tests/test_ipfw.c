/*
 * ipfw: the rule parser (good rules in their `ipfw list` form, bad ones
 * with ipfw(8)'s own messages, from sbin/ipfw/ipfw2.c), matching on a
 * gateway node like the seed's (em0 on the LAN, tun1 the IPv6 tunnel),
 * counters, skipto/count, the default rule, and the `ipfw` command's
 * output: `show` laid out as the seed's 2008-05-13 post shows it.
 * Packets are built with libnet (pktbuild), not by the code under test.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "core/sim.h"
#include "net/ipfw.h"
#include "net/net.h"
#include "pktbuild.h"

int suite_ipfw(void);

#define GW_EM0_4 "203.0.113.1"
#define GW_EM0_6 "2001:df0:9::1"
#define GW_TUN1_6 "2001:5c0:8fff:ffff::c3"
#define CLIENT6 "2001:5c0:8fff:ffff::2"
#define START_UNIX (1210687810ull * SIM_S) /* 2008-05-13 14:10:10 UTC */

/* ---- parser ------------------------------------------------------------- */

static int parse_line(const char *text, struct ipfw_rule *r, char *err, size_t errlen)
{
	char buf[512];
	char *argv[64];
	snprintf(buf, sizeof buf, "%s", text);
	int argc = ipfw_split(buf, argv, 64);
	return ipfw_parse(argc, argv, r, err, errlen);
}

static void check_good(const char *in, unsigned num, const char *list)
{
	struct ipfw_rule r;
	char err[IPFW_ERRLEN], out[512];
	int rc = parse_line(in, &r, err, sizeof err);
	if (rc != 0)
		printf("\n  [%s]: %s", in, err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	ipfw_format(&r, out, sizeof out);
	if (strcmp(out, list) != 0 || r.num != num)
		printf("\n  [%s]\n    got %u [%s]\n    exp %u [%s]", in, r.num, out, num, list);
	CU_ASSERT_STRING_EQUAL(out, list);
	CU_ASSERT_EQUAL(r.num, num);
}

static void test_parse_good(void)
{
	/* The seed's rules (the first one's address was lost in the post). */
	check_good("1005 divert 8664 ip from any to 203.0.113.1", 1005,
	           "divert 8664 ip from any to 203.0.113.1");
	check_good("1006 allow ipv6-icmp from any to me6 via tun1", 1006,
	           "allow ipv6-icmp from any to me6 via tun1");
	check_good("1006 divert 8666 ip6 from any to me6 via tun1", 1006,
	           "divert 8666 ip6 from any to me6 via tun1");
	/* Action synonyms, protocol names and numbers. */
	check_good("accept tcp from any to any", 0, "allow tcp from any to any");
	check_good("pass icmp6 from any to any", 0, "allow ipv6-icmp from any to any");
	check_good("permit ipv4 from any to any", 0, "allow ip4 from any to any");
	check_good("drop all from any to any", 0, "deny ip from any to any");
	check_good("deny 17 from any to any", 0, "deny udp from any to any");
	check_good("deny 41 from any to any", 0, "deny ipv6 from any to any");
	check_good("count ipv6 from any to any", 0, "count ip6 from any to any");
	check_good("skipto 2000 ip from any to any", 0, "skipto 2000 ip from any to any");
	check_good("unreach host ip from any to any", 0, "reject ip from any to any");
	check_good("reject ip from any to any", 0, "reject ip from any to any");
	check_good("unreach port udp from any to any", 0, "unreach port udp from any to any");
	check_good("unreach 13 ip from any to any", 0, "unreach filter-prohib ip from any to any");
	check_good("unreach 200 ip from any to any", 0, "unreach 200 ip from any to any");
	check_good("unreach6 admin-prohib ip6 from any to any", 0,
	           "unreach6 admin-prohib ip6 from any to any");
	check_good("reset tcp from any to any", 0, "reset tcp from any to any");
	/* Addresses: prefixes masked, IPv6 in inet_ntop form, not, me. */
	check_good("allow ip from 10.1.2.3/8 to not me", 0, "allow ip from 10.0.0.0/8 to not me");
	check_good("allow ip from 2001:DF0:0009::0202:0083:0176:0248 to any", 0,
	           "allow ip from 2001:df0:9:0:202:83:176:248 to any");
	check_good("allow ip from 2001:df0:9:1:2::/48 to me6", 0,
	           "allow ip from 2001:df0:9::/48 to me6");
	check_good("allow ip from 192.0.2.1/0 to any", 0, "allow ip from any to any");
	/* Ports: lists, ranges, service names, not. */
	check_good("allow tcp from any 1024-65535 to any http,https", 0,
	           "allow tcp from any 1024-65535 to any 80,443");
	check_good("allow udp from any to any not 53", 0, "allow udp from any to any not 53");
	check_good("allow tcp from any any to any 389", 0, "allow tcp from any to any 389");
	/* Options, in the order given; out is "not in". */
	check_good("deny ip from any to any in recv tun1", 0, "deny ip from any to any in recv tun1");
	check_good("deny ip from any to any out xmit em0", 0, "deny ip from any to any out xmit em0");
	check_good("deny ip from any to any not in", 0, "deny ip from any to any out");
	check_good("deny ip from any to any not via em0", 0, "deny ip from any to any not via em0");
	check_good("deny ip from any to any !via em0 via any", 0,
	           "deny ip from any to any not via em0");
	/* No protocol: straight to the options, printed with the defaults. */
	check_good("allow in via tun1", 0, "allow ip from any to any in via tun1");
	check_good("  100   count   ip from any to any   # a comment", 100,
	           "count ip from any to any");
}

static void check_bad(const char *in, const char *msg)
{
	struct ipfw_rule r;
	char err[IPFW_ERRLEN];
	int rc = parse_line(in, &r, err, sizeof err);
	CU_ASSERT_EQUAL(rc, -1);
	if (rc != -1 || strcmp(err, msg) != 0)
		printf("\n  [%s]\n    got [%s]\n    exp [%s]", in, rc ? err : "(accepted)", msg);
	CU_ASSERT_STRING_EQUAL(err, msg);
}

static void test_parse_bad(void)
{
	check_bad("frob ip from any to any", "invalid action frob");
	check_bad("", "missing action");
	check_bad("1000", "missing action");
	check_bad("allow", "missing protocol");
	check_bad("allow ip any to any", "missing ``from''");
	check_bad("allow ip from any", "missing ``to''");
	check_bad("allow ip from any 80 me", "missing ``to''");
	check_bad("allow ip from", "missing source address");
	check_bad("allow ip from any to", "missing dst address");
	check_bad("divert", "missing argument for divert");
	check_bad("divert 0 ip from any to any", "illegal argument for divert");
	check_bad("divert natd ip from any to any", "illegal divert/tee port");
	check_bad("skipto x ip from any to any", "illegal argument for skipto");
	check_bad("skipto 65535 ip from any to any", "illegal argument for skipto");
	check_bad("unreach", "missing reject code");
	check_bad("unreach frob ip from any to any", "unknown ICMP unreachable code ``frob''");
	check_bad("unreach6 host ip6 from any to any", "unknown ICMPv6 unreachable code ``host''");
	check_bad("allow frob from any to any", "unrecognised option [-1] frob");
	check_bad("allow ip from any to any frob", "unrecognised option [-1] frob");
	check_bad("allow ip from any to any keep-state", "unrecognised option [-1] keep-state");
	check_bad("allow ip from any to any via", "recv, xmit, via require interface name or address");
	check_bad("allow ip from 1.2.3.4/33 to any", "bad width ``33''");
	check_bad("allow ip from 2001:db8::/129 to any", "bad width ``129''");
	check_bad("allow ip from www.barnet.com.au to any", "hostname ``www.barnet.com.au'' unknown");
	check_bad("allow ip from 2001:db8::g to any", "bad address \"2001:db8::g\"");
	check_bad("allow ip from not any to any", "not any never matches");
	check_bad("allow ip from any to any not not in", "double \"not\" not allowed");
	check_bad("allow tcp from any to any 80;81", "invalid separator <;> in <80;81>");
	check_bad("70000 allow ip from any to any", "getsockopt(IP_FW_ADD): Invalid argument");
}

/* ---- a gateway node ---------------------------------------------------------- */

struct gw {
	struct sim *sim;
	struct sim_node *n;
	struct sim_iface *em0, *tun1;
};

static void addr6(struct sim_iface *ifp, const char *text)
{
	uint8_t a[16];
	CU_ASSERT_EQUAL_FATAL(inet_pton(AF_INET6, text, a), 1);
	in6_addr_add(ifp, a, 64, 0, SIM_NEVER, SIM_NEVER);
}

static void gw_new(struct gw *g)
{
	static const uint8_t mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
	g->sim = sim_new(1, START_UNIX);
	g->n = sim_node_add(g->sim, "gw", NODE_FREEBSD);
	g->em0 = sim_iface_add(g->n, "em0", mac);
	g->tun1 = sim_iface_add(g->n, "tun1", NULL);
	net_node_init(g->n);
	apps_node_init(g->n);
	addr6(g->em0, GW_EM0_6);
	addr6(g->tun1, GW_TUN1_6);
	uint8_t a4[4];
	inet_pton(AF_INET, GW_EM0_4, a4);
	in4_addr_add(g->em0, a4, 24, NULL);
}

static void add(struct gw *g, const char *rule)
{
	struct ipfw_rule r;
	char err[IPFW_ERRLEN];
	int rc = parse_line(rule, &r, err, sizeof err);
	if (rc)
		printf("\n  [%s]: %s", rule, err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ipfw_add(g->n, &r));
}

/* Counters of the index-th rule. */
static uint64_t pcnt(struct gw *g, size_t index) { return ipfw_chain(g->n)->r[index].pcnt; }
static uint64_t bcnt(struct gw *g, size_t index) { return ipfw_chain(g->n)->r[index].bcnt; }

struct pkt {
	uint8_t b[PB_MAX];
	size_t len;
};

static struct pkt *tcp6(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	static struct pkt p;
	struct pb_ip6 ip = { .src = src, .dst = dst, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 6, .sport = sport, .dport = dport, .seq = 1, .flags = 0x02,
	                    .win = 65535 };
	p.len = pb_ip6(p.b, sizeof p.b, &ip, &l4);
	CU_ASSERT_FATAL(p.len > 0);
	return &p;
}

static struct pkt *echo6(const char *src, const char *dst)
{
	static struct pkt p;
	static const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pb_ip6 ip = { .src = src, .dst = dst, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 58, .type = 128, .word = 0x12340001, .payload = data,
	                    .payload_len = sizeof data };
	p.len = pb_ip6(p.b, sizeof p.b, &ip, &l4);
	CU_ASSERT_FATAL(p.len > 0);
	return &p;
}

static struct pkt *udp4(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	static struct pkt p;
	static const uint8_t data[4] = { 'a', 'b', 'c', 'd' };
	struct pb_ip4 ip = { .src = src, .dst = dst, .ttl = 64, .id = 7 };
	struct pb_l4 l4 = { .proto = 17, .sport = sport, .dport = dport, .payload = data,
	                    .payload_len = sizeof data };
	p.len = pb_ip4(p.b, sizeof p.b, &ip, &l4);
	CU_ASSERT_FATAL(p.len > 0);
	return &p;
}

static bool check(struct gw *g, struct sim_iface *ifp, int dir, const struct pkt *p)
{
	return ipfw_check(g->n, ifp, dir, p->b, p->len, 0);
}

/* ---- matching ------------------------------------------------------------------ */

static void test_default_rule(void)
{
	struct gw g;
	gw_new(&g);
	const struct ipfw_chain *c = ipfw_chain(g.n);
	CU_ASSERT_EQUAL(c->n, 1);
	CU_ASSERT_EQUAL(c->r[0].num, 65535);
	struct pkt *p = tcp6(CLIENT6, GW_TUN1_6, 40000, 80);
	CU_ASSERT_FALSE(check(&g, g.tun1, DIVERT_IN, p));
	CU_ASSERT_EQUAL(pcnt(&g, 0), 1);
	CU_ASSERT_EQUAL(bcnt(&g, 0), p->len);
	CU_ASSERT_EQUAL(bcnt(&g, 0), 60); /* 40 + a 20-byte SYN */
	/* The hook is installed: the stack offers every packet to ipfw. */
	CU_ASSERT_PTR_NOT_NULL(g.n->net->filter);
	/* 65535 cannot be added, deleted or flushed away. */
	struct ipfw_rule r = { .num = 65535, .action = IPFW_DENY };
	CU_ASSERT_PTR_NULL(ipfw_add(g.n, &r));
	CU_ASSERT_EQUAL(ipfw_delete(g.n, 65535), 0);
	ipfw_flush(g.n);
	CU_ASSERT_EQUAL(ipfw_chain(g.n)->n, 1);
	sim_free(g.sim);
}

static void test_seed_rules_match(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "1005 divert 8664 ip from any to " GW_EM0_4);
	add(&g, "1006 allow ipv6-icmp from any to me6 via tun1");
	add(&g, "1006 divert 8666 ip6 from any to me6 via tun1");
	/* ICMPv6 to the gateway through the tunnel: allowed by the first 1006. */
	struct pkt *p = echo6(CLIENT6, GW_TUN1_6);
	CU_ASSERT_FALSE(check(&g, g.tun1, DIVERT_IN, p));
	CU_ASSERT_EQUAL(pcnt(&g, 1), 1);
	CU_ASSERT_EQUAL(bcnt(&g, 1), 56); /* 40 + 8 + 8 */
	/* TCP to the gateway through the tunnel: diverted (nobody bound). */
	p = tcp6(CLIENT6, GW_TUN1_6, 40000, 80);
	CU_ASSERT_TRUE(check(&g, g.tun1, DIVERT_IN, p));
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1);
	struct divert_stats ds;
	divert_get_stats(g.n, &ds);
	CU_ASSERT_EQUAL(ds.no_socket, 1);
	CU_ASSERT_EQUAL(ds.diverted, 0);
	/* The same arriving on em0: not via tun1, the default rule. */
	CU_ASSERT_FALSE(check(&g, g.em0, DIVERT_IN, p));
	CU_ASSERT_EQUAL(pcnt(&g, 3), 1);
	/* To an address that is not the gateway's: not me6. */
	p = tcp6(CLIENT6, "2001:5c0:8fff:ffff::99", 40000, 80);
	CU_ASSERT_FALSE(check(&g, g.tun1, DIVERT_IN, p));
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1);
	/* IPv4 to the gateway's address: divert 8664. */
	struct pkt *q = udp4("202.83.176.248", GW_EM0_4, 53, 40000);
	CU_ASSERT_TRUE(check(&g, g.em0, DIVERT_IN, q));
	CU_ASSERT_EQUAL(pcnt(&g, 0), 1);
	CU_ASSERT_EQUAL(bcnt(&g, 0), 32); /* 20 + 8 + 4 */
	CU_ASSERT_EQUAL(pcnt(&g, 3), 2);
	sim_free(g.sim);
}

static void test_match_proto(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "100 count ip4 from any to any");
	add(&g, "200 count ip6 from any to any");
	add(&g, "300 count udp from any to any");
	add(&g, "400 count icmp from any to any");
	add(&g, "500 count ipv6-icmp from any to any");
	add(&g, "600 count not tcp from any to any");
	check(&g, g.em0, DIVERT_IN, udp4("192.0.2.9", GW_EM0_4, 1, 2));
	check(&g, g.tun1, DIVERT_IN, echo6(CLIENT6, GW_TUN1_6));
	check(&g, g.tun1, DIVERT_IN, tcp6(CLIENT6, GW_TUN1_6, 1, 2));
	CU_ASSERT_EQUAL(pcnt(&g, 0), 1); /* ip4: the UDP/IPv4 packet */
	CU_ASSERT_EQUAL(pcnt(&g, 1), 2); /* ip6: echo + TCP */
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1); /* udp */
	CU_ASSERT_EQUAL(pcnt(&g, 3), 0); /* icmp is not ICMPv6 */
	CU_ASSERT_EQUAL(pcnt(&g, 4), 1); /* ipv6-icmp */
	CU_ASSERT_EQUAL(pcnt(&g, 5), 2); /* not tcp */
	CU_ASSERT_EQUAL(pcnt(&g, 6), 3); /* all reach the default rule */
	sim_free(g.sim);
}

static void test_match_addresses(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "100 count ip from any to me");
	add(&g, "200 count ip from any to me6");
	add(&g, "300 count ip from 2001:5c0:8fff::/48 to any");
	add(&g, "400 count ip from 192.0.2.0/24 to any");
	add(&g, "500 count ip from not 192.0.2.0/24 to not me6");
	add(&g, "600 count ip from any to " GW_EM0_6);
	check(&g, g.em0, DIVERT_IN, udp4("192.0.2.9", GW_EM0_4, 1, 2));     /* a */
	check(&g, g.em0, DIVERT_IN, udp4("198.51.100.1", "198.51.100.2", 1, 2)); /* b */
	check(&g, g.tun1, DIVERT_IN, tcp6(CLIENT6, GW_TUN1_6, 1, 2));       /* c */
	check(&g, g.tun1, DIVERT_IN, tcp6("2001:db8::1", GW_EM0_6, 1, 2));  /* d */
	check(&g, g.tun1, DIVERT_IN, tcp6("2001:db8::1", "2001:db8::2", 1, 2)); /* e */
	CU_ASSERT_EQUAL(pcnt(&g, 0), 3); /* me: a, and (FreeBSD 7) c, d */
	CU_ASSERT_EQUAL(pcnt(&g, 1), 2); /* me6: c, d */
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1); /* c */
	CU_ASSERT_EQUAL(pcnt(&g, 3), 1); /* a */
	CU_ASSERT_EQUAL(pcnt(&g, 4), 2); /* b, e (an IPv4 prefix never matches IPv6) */
	CU_ASSERT_EQUAL(pcnt(&g, 5), 1); /* d */
	sim_free(g.sim);
}

static void test_match_ports(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "100 count tcp from any to any 80,1000-2000");
	add(&g, "200 count ip from any 53 to any");
	add(&g, "300 count udp from any to any not 2");
	check(&g, g.tun1, DIVERT_IN, tcp6(CLIENT6, GW_TUN1_6, 40000, 80));
	check(&g, g.tun1, DIVERT_IN, tcp6(CLIENT6, GW_TUN1_6, 40000, 1500));
	check(&g, g.tun1, DIVERT_IN, tcp6(CLIENT6, GW_TUN1_6, 40000, 2001));
	check(&g, g.em0, DIVERT_IN, udp4("192.0.2.9", GW_EM0_4, 53, 80));
	check(&g, g.em0, DIVERT_IN, udp4("192.0.2.9", GW_EM0_4, 54, 2));
	check(&g, g.tun1, DIVERT_IN, echo6(CLIENT6, GW_TUN1_6));
	CU_ASSERT_EQUAL(pcnt(&g, 0), 2); /* 80 and 1500 over TCP; not 2001, not UDP 80 */
	CU_ASSERT_EQUAL(pcnt(&g, 1), 1); /* source port 53 (ICMPv6 has no ports) */
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1); /* UDP to 80, not to 2 */
	sim_free(g.sim);
}

static void test_match_direction_iface(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "100 count ip from any to any in");
	add(&g, "200 count ip from any to any out");
	add(&g, "300 count ip from any to any via tun1");
	add(&g, "400 count ip from any to any recv tun1");
	add(&g, "500 count ip from any to any xmit tun1");
	add(&g, "600 count ip from any to any not via tun1");
	struct pkt *p = tcp6(CLIENT6, GW_TUN1_6, 1, 2);
	check(&g, g.tun1, DIVERT_IN, p);
	check(&g, g.tun1, DIVERT_OUT, p);
	check(&g, g.em0, DIVERT_OUT, p);
	CU_ASSERT_EQUAL(pcnt(&g, 0), 1);
	CU_ASSERT_EQUAL(pcnt(&g, 1), 2);
	CU_ASSERT_EQUAL(pcnt(&g, 2), 2);
	CU_ASSERT_EQUAL(pcnt(&g, 3), 1);
	CU_ASSERT_EQUAL(pcnt(&g, 4), 1);
	CU_ASSERT_EQUAL(pcnt(&g, 5), 1);
	sim_free(g.sim);
}

static void test_skipto_count_deny(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "100 skipto 300 tcp from any to any");
	add(&g, "200 deny ip from any to any");
	add(&g, "300 count tcp from any to any");
	add(&g, "300 count ip from any to any");
	add(&g, "400 deny udp from any to any");
	struct pkt *t = tcp6(CLIENT6, GW_TUN1_6, 1, 2);
	CU_ASSERT_FALSE(check(&g, g.tun1, DIVERT_IN, t)); /* skips the deny, allowed at 65535 */
	CU_ASSERT_EQUAL(pcnt(&g, 0), 1);
	CU_ASSERT_EQUAL(pcnt(&g, 1), 0);
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1); /* skipto lands on the first 300 */
	CU_ASSERT_EQUAL(pcnt(&g, 3), 1);
	CU_ASSERT_EQUAL(pcnt(&g, 5), 1);
	CU_ASSERT_TRUE(check(&g, g.tun1, DIVERT_IN, echo6(CLIENT6, GW_TUN1_6))); /* rule 200 */
	CU_ASSERT_EQUAL(pcnt(&g, 1), 1);
	CU_ASSERT_EQUAL(pcnt(&g, 3), 1);
	/* A skipto backwards only moves on to the next rule. */
	add(&g, "350 skipto 100 udp from any to any");
	CU_ASSERT_TRUE(ipfw_check(g.n, g.em0, DIVERT_IN, udp4("192.0.2.9", GW_EM0_4, 1, 2)->b, 32,
	                          250));
	CU_ASSERT_EQUAL(pcnt(&g, 4), 1); /* 350 */
	CU_ASSERT_EQUAL(pcnt(&g, 5), 1); /* 400 denied it */
	CU_ASSERT_EQUAL(pcnt(&g, 0), 1); /* started after 250: 100 not seen again */
	sim_free(g.sim);
}

static void test_numbering_delete_zero(void)
{
	struct gw g;
	gw_new(&g);
	add(&g, "count ip from any to any");
	add(&g, "count ip from any to any");
	add(&g, "1000 count ip from any to any");
	add(&g, "count ip from any to any");
	add(&g, "150 count ip from any to any");
	const struct ipfw_chain *c = ipfw_chain(g.n);
	static const uint16_t nums[] = { 100, 150, 200, 1000, 1100, 65535 };
	CU_ASSERT_EQUAL_FATAL(c->n, 6);
	for (size_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(c->r[i].num, nums[i]);
	check(&g, g.tun1, DIVERT_IN, tcp6(CLIENT6, GW_TUN1_6, 1, 2));
	CU_ASSERT_TRUE(ipfw_zero(g.n, 150));
	CU_ASSERT_EQUAL(pcnt(&g, 1), 0);
	CU_ASSERT_EQUAL(pcnt(&g, 2), 1);
	CU_ASSERT_FALSE(ipfw_zero(g.n, 151));
	CU_ASSERT_EQUAL(ipfw_delete(g.n, 1000), 1);
	CU_ASSERT_EQUAL(ipfw_delete(g.n, 1000), 0);
	CU_ASSERT_TRUE(ipfw_zero(g.n, 0));
	CU_ASSERT_EQUAL(pcnt(&g, 4), 0); /* the default rule is zeroed too */
	sim_free(g.sim);
}

/* ---- reject actions, on the wire ------------------------------------------ */

/* gw's tun1 on a point-to-point link to a client (no Neighbor Discovery
 * in the way), every packet on the link recorded. */
struct wan {
	struct gw g;
	struct sim_node *client;
	struct sim_iface *tun0;
	int n;
	uint8_t pkt[32][256];
	size_t len[32];
	const struct sim_iface *from[32];
};

static void wan_tap(void *user, const struct sim_frame_info *f)
{
	struct wan *w = user;
	if (w->n < 32 && f->len <= 256) {
		memcpy(w->pkt[w->n], f->data, f->len);
		w->len[w->n] = f->len;
		w->from[w->n] = f->from;
		w->n++;
	}
}

static struct wan *wan_new(void)
{
	static struct wan w;
	memset(&w, 0, sizeof w);
	gw_new(&w.g);
	w.client = sim_node_add(w.g.sim, "client", NODE_FREEBSD);
	w.tun0 = sim_iface_add(w.client, "tun0", NULL);
	struct sim_link *l = sim_link_add(w.g.sim, "wan", LINK_P2P);
	sim_link_attach(l, w.g.tun1);
	sim_link_attach(l, w.tun0);
	net_node_init(w.client);
	addr6(w.tun0, CLIENT6);
	uint8_t a4[4];
	inet_pton(AF_INET, "192.0.2.2", a4);
	in4_addr_add(w.tun0, a4, 24, NULL);
	inet_pton(AF_INET, "192.0.2.1", a4);
	in4_addr_add(w.g.tun1, a4, 24, NULL);
	net_iface_up(w.g.tun1);
	net_iface_up(w.tun0);
	sim_run_until(w.g.sim, 20 * SIM_S);
	sim_link_tap(l, wan_tap, &w);
	return &w;
}

/* The packet `p` arrives at gw through the link (as the client sent it). */
static void arrive(struct wan *w, const struct pkt *p)
{
	if ((p->b[0] >> 4) == 6)
		ip6_input(w->g.tun1, p->b, p->len);
	else
		ip4_input(w->g.tun1, p->b, p->len);
	sim_run_until(w->g.sim, w->g.sim->now + SIM_S);
}

static void test_reject_actions(void)
{
	struct wan *w = wan_new();
	add(&w->g, "100 reset tcp from any to any 80");
	add(&w->g, "200 unreach port udp from any to any");
	add(&w->g, "300 unreach6 admin-prohib ip6 from any to any 23");
	/* reset: RFC 793 for a SYN without ACK: seq 0, ack = its seq + 1, RST|ACK. */
	arrive(w, tcp6(CLIENT6, GW_TUN1_6, 40000, 80));
	CU_ASSERT_EQUAL_FATAL(w->n, 1);
	uint8_t exp[PB_MAX];
	struct pb_ip6 ip = { .src = GW_TUN1_6, .dst = CLIENT6, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 6, .sport = 80, .dport = 40000, .seq = 0, .ack = 2,
	                    .flags = 0x14, .win = 0 };
	size_t elen = pb_ip6(exp, sizeof exp, &ip, &l4);
	CU_ASSERT_EQUAL(w->len[0], elen);
	CU_ASSERT_EQUAL(memcmp(w->pkt[0], exp, elen), 0);
	CU_ASSERT_EQUAL(pcnt(&w->g, 0), 1);
	/* unreach port over IPv4: ICMP 3/3 back to the sender, quoting it. */
	struct pkt *u = udp4("192.0.2.2", "192.0.2.1", 5000, 9);
	arrive(w, u);
	CU_ASSERT_EQUAL_FATAL(w->n, 2);
	const uint8_t *e = w->pkt[1];
	CU_ASSERT_EQUAL(e[0] >> 4, 4);
	CU_ASSERT_EQUAL(e[9], 1);
	CU_ASSERT_EQUAL(memcmp(e + 16, (const uint8_t[]){ 192, 0, 2, 2 }, 4), 0);
	CU_ASSERT_EQUAL(e[20], 3);
	CU_ASSERT_EQUAL(e[21], 3);
	CU_ASSERT_EQUAL(memcmp(e + 28, u->b, 28), 0);
	/* unreach6 admin-prohib: ICMPv6 1/1 back to the sender. */
	arrive(w, tcp6(CLIENT6, GW_TUN1_6, 40001, 23));
	CU_ASSERT_EQUAL_FATAL(w->n, 3);
	e = w->pkt[2];
	CU_ASSERT_EQUAL(e[6], 58);
	CU_ASSERT_EQUAL(e[40], 1);
	CU_ASSERT_EQUAL(e[41], 1);
	CU_ASSERT_EQUAL(pcnt(&w->g, 2), 1);
	/* No reset in answer to a reset; nothing for a non-TCP packet. */
	struct pkt *r = tcp6(CLIENT6, GW_TUN1_6, 40002, 80);
	r->b[40 + 13] = 0x04;
	r->b[40 + 16] = r->b[40 + 17] = 0; /* the checksum no longer matters to ipfw */
	arrive(w, r);
	CU_ASSERT_EQUAL(w->n, 3);
	CU_ASSERT_EQUAL(pcnt(&w->g, 0), 2);
	sim_free(w->g.sim);
}

/* Truncated and garbled packets: matched or not, never read past their end
 * (run under ASan by make check). */
static void test_malformed(void)
{
	struct wan *w = wan_new();
	add(&w->g, "100 count tcp from any 1-65535 to me 80");
	add(&w->g, "200 reset tcp from any to any 81");
	add(&w->g, "300 unreach port udp from any to any");
	add(&w->g, "400 divert 8666 ip from any to any");
	struct pkt *good = tcp6(CLIENT6, GW_TUN1_6, 40000, 81);
	uint8_t buf[128];
	uint32_t x = 20080513;
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)round % 90;
		memcpy(buf, good->b, sizeof buf < good->len ? sizeof buf : good->len);
		for (int k = 0; k < 4; k++) { /* a few random bytes changed */
			x = x * 1103515245u + 12345u;
			buf[(x >> 8) % 64] = (uint8_t)(x >> 24);
		}
		if (round & 1)
			buf[0] = (uint8_t)(0x40 | (buf[0] & 0x0f)); /* an IPv4 header, of sorts */
		ipfw_check(w->g.n, w->g.tun1, round & 2 ? DIVERT_OUT : DIVERT_IN, buf, len, 0);
	}
	CU_ASSERT_FALSE(ipfw_check(w->g.n, w->g.tun1, DIVERT_IN, buf, 0, 0));
	CU_ASSERT_FALSE(ipfw_check(w->g.n, w->g.tun1, DIVERT_IN, buf, 19, 0));
	sim_run_until(w->g.sim, w->g.sim->now + SIM_S);
	sim_free(w->g.sim);
}

/* ---- the command -------------------------------------------------------------- */

static int same_output(struct gw *g, size_t from, const char *const *exp, size_t nexp)
{
	size_t k = 0;
	int ok = 1;
	for (size_t i = from; i < g->sim->out.n; i++) {
		const struct sim_line *s = &g->sim->out.lines[i];
		if (s->is_command)
			continue;
		const char *e = k < nexp ? exp[k] : "(none)";
		if (strcmp(s->text, e) != 0) {
			printf("\n  line %zu\n    got [%s]\n    exp [%s]", k, s->text, e);
			ok = 0;
		}
		k++;
	}
	if (k != nexp) {
		printf("\n  %zu lines, expected %zu", k, nexp);
		ok = 0;
	}
	return ok;
}
#define ASSERT_OUTPUT(g, from, ...)                                                    \
	do {                                                                           \
		static const char *const exp_[] = { __VA_ARGS__ };                     \
		CU_ASSERT_TRUE(same_output((g), (from), exp_, sizeof exp_ / sizeof exp_[0])); \
	} while (0)

static void test_show_seed(void)
{
	struct gw g;
	gw_new(&g);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw -q add 1005 divert 8664 ip from any to " GW_EM0_4), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw -q add 1006 allow ipv6-icmp from any to me6 via tun1"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw -q add 1006 divert 8666 ip6 from any to me6 via tun1"), 0);
	/* The seed's counters of 2008-05-13, set directly. */
	struct ipfw_chain *c = ipfw_chain(g.n);
	static const uint64_t pc[] = { 606, 452, 517, 79349 }, bc[] = { 245695, 33304, 51742, 20349420 };
	CU_ASSERT_EQUAL_FATAL(c->n, 4);
	for (size_t i = 0; i < 4; i++) {
		c->r[i].pcnt = pc[i];
		c->r[i].bcnt = bc[i];
	}
	size_t m = g.sim->out.n;
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw show"), 0);
	ASSERT_OUTPUT(&g, m,
	              "01005   606   245695 divert 8664 ip from any to 203.0.113.1",
	              "01006   452    33304 allow ipv6-icmp from any to me6 via tun1",
	              "01006   517    51742 divert 8666 ip6 from any to me6 via tun1",
	              "65535 79349 20349420 allow ip from any to any");
	m = g.sim->out.n;
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw list"), 0);
	ASSERT_OUTPUT(&g, m, "01005 divert 8664 ip from any to 203.0.113.1",
	              "01006 allow ipv6-icmp from any to me6 via tun1",
	              "01006 divert 8666 ip6 from any to me6 via tun1",
	              "65535 allow ip from any to any");
	/* Widths follow the largest counters: after zeroing, one digit. */
	m = g.sim->out.n;
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw zero"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw show 1006"), 0);
	ASSERT_OUTPUT(&g, m, "Accounting cleared.",
	              "01006 0 0 allow ipv6-icmp from any to me6 via tun1",
	              "01006 0 0 divert 8666 ip6 from any to me6 via tun1");
	sim_free(g.sim);
}

static void test_command(void)
{
	struct gw g;
	gw_new(&g);
	size_t m = g.sim->out.n;
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw add allow tcp from any to me 80"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw add frob"), 65);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw add allow ip to any"), 64);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw zero 100 300"), 69);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw delete 300"), 69);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw show 300"), 69);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw delete 100"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw add 200 deny ip from any to any"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw flush"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw -f flush"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw list"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw frob"), 64);
	ASSERT_OUTPUT(&g, m, "00100 allow tcp from any to me 80",
	              "ipfw: invalid action frob",
	              "ipfw: missing ``from''",
	              "Entry 100 cleared.",
	              "ipfw: rule 300: setsockopt(IP_FW_ZERO): Invalid argument",
	              "ipfw: rule 300: setsockopt(IP_FW_DEL): Invalid argument",
	              "ipfw: rule 300 does not exist",
	              "00200 deny ip from any to any",
	              "Are you sure? [yn] ",
	              "Flushed all rules.",
	              "65535 allow ip from any to any",
	              "ipfw: bad command `frob'");
	sim_free(g.sim);
}

static void test_rules_file(void)
{
	struct gw g;
	gw_new(&g);
	static const char rules[] =
	    "# the seed's gateway\n"
	    "add 1005 divert 8664 ip from any to 203.0.113.1\n"
	    "\n"
	    "add 1006 allow ipv6-icmp from any to me6 via tun1   # ND, ping6\n"
	    "-q add 1006 divert 8666 ip6 from any to me6 via tun1\n"
	    "add 1007 frob ip from any to any\n"
	    "add 1008 deny ip from any to any\n";
	CU_ASSERT_EQUAL(sim_file_put(g.n, "/etc/ipfw.rules", rules, sizeof rules - 1, "test"), 0);
	size_t m = g.sim->out.n;
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw /etc/ipfw.rules"), 65);
	ASSERT_OUTPUT(&g, m, "01005 divert 8664 ip from any to 203.0.113.1",
	              "01006 allow ipv6-icmp from any to me6 via tun1",
	              "Line 6: invalid action frob");
	CU_ASSERT_EQUAL(ipfw_chain(g.n)->n, 4); /* three rules and the default: 1008 never read */
	m = g.sim->out.n;
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw -q flush"), 0);
	CU_ASSERT_EQUAL(apps_run(g.n, "ipfw -q /etc/ipfw.rules"), 65);
	ASSERT_OUTPUT(&g, m, "Line 6: invalid action frob");
	sim_free(g.sim);
}

int suite_ipfw(void)
{
	CU_pSuite s = CU_add_suite("ipfw", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "parse_good", test_parse_good) ||
	    !CU_add_test(s, "parse_bad", test_parse_bad) ||
	    !CU_add_test(s, "default_rule", test_default_rule) ||
	    !CU_add_test(s, "seed_rules_match", test_seed_rules_match) ||
	    !CU_add_test(s, "match_proto", test_match_proto) ||
	    !CU_add_test(s, "match_addresses", test_match_addresses) ||
	    !CU_add_test(s, "match_ports", test_match_ports) ||
	    !CU_add_test(s, "match_direction_iface", test_match_direction_iface) ||
	    !CU_add_test(s, "skipto_count_deny", test_skipto_count_deny) ||
	    !CU_add_test(s, "numbering_delete_zero", test_numbering_delete_zero) ||
	    !CU_add_test(s, "reject_actions", test_reject_actions) ||
	    !CU_add_test(s, "malformed", test_malformed) ||
	    !CU_add_test(s, "show_seed", test_show_seed) ||
	    !CU_add_test(s, "command", test_command) ||
	    !CU_add_test(s, "rules_file", test_rules_file))
		return -1;
	return 0;
}
