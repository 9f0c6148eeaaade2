/*
 * 6in4 tunnels (sim/link/tunnel.c, RFC 4213): the gateway's tun1 and the
 * broker's gif0 over one Ethernet segment, plus a third IPv4 host that
 * sends protocol 41 from an address that is no tunnel's endpoint.
 * Expected frames are built with libnet (tests/pktbuild.c): the outer IPv4
 * header from RFC 791's fields with RFC 4213 3.3/3.5's values (protocol
 * 41, TTL 64, DF clear), the inner ICMPv6 echo from RFC 4443.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "core/sim.h"
#include "link/tunnel.h"
#include "net/net.h"
#include "nettest.h"
#include "pktbuild.h"

int suite_tunnel(void);

#define GW4 "192.0.2.1"
#define BROKER4 "192.0.2.2"
#define ROGUE4 "192.0.2.3"
#define GW6 "2001:db8:1::2"
#define BROKER6 "2001:db8:1::1"

struct tnet {
	struct sim *sim;
	struct sim_node *gw, *broker, *rogue;
	struct sim_iface *sk0, *em0, *rg0, *tun1, *gif0;
	struct nt_capture cap;
};

static struct tnet T;

static void addr4(struct sim_iface *ifp, const char *text)
{
	uint8_t a[4];
	pb_addr4(text, a);
	in4_addr_add(ifp, a, 24, NULL);
}

static void addr6(struct sim_iface *ifp, const char *text)
{
	uint8_t a[16];
	pb_addr6(text, a);
	in6_addr_add(ifp, a, 64, 0, SIM_NEVER, SIM_NEVER);
}

static int endpoints(struct sim_iface *ifp, const char *l, const char *r)
{
	uint8_t a[4], b[4];
	pb_addr4(l, a);
	pb_addr4(r, b);
	return tunnel_set_endpoints(ifp, a, b);
}

/* Three hosts on one segment, both tunnel ends configured, at t = 3 s. */
static int setup(void)
{
	static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 },
	                     m3[6] = { 2, 0, 0, 0, 0, 3 };
	memset(&T, 0, sizeof T);
	T.sim = sim_new(7, 1210687823ull * SIM_S);
	struct sim_link *l = sim_link_add(T.sim, "v4", LINK_ETHERNET);
	l->delay = SIM_MS;
	sim_link_tap(l, nt_tap, &T.cap);
	T.sk0 = nt_node(T.sim, "gw", NODE_FREEBSD, "sk0", m1, l);
	T.em0 = nt_node(T.sim, "broker", NODE_ROUTER, "em0", m2, l);
	T.rg0 = nt_node(T.sim, "rogue", NODE_FREEBSD, "rg0", m3, l);
	T.gw = T.sk0->node;
	T.broker = T.em0->node;
	T.rogue = T.rg0->node;
	apps_node_init(T.gw);
	addr4(T.sk0, GW4);
	addr4(T.em0, BROKER4);
	addr4(T.rg0, ROGUE4);
	net_iface_up(T.sk0);
	net_iface_up(T.em0);
	net_iface_up(T.rg0);
	T.tun1 = tunnel_create(T.gw, "tun1");
	T.gif0 = tunnel_create(T.broker, "gif0");
	if (!T.tun1 || !T.gif0)
		return -1;
	if (endpoints(T.tun1, GW4, BROKER4) != 0 || endpoints(T.gif0, BROKER4, GW4) != 0)
		return -1;
	addr6(T.tun1, GW6);
	addr6(T.gif0, BROKER6);
	sim_run_until(T.sim, 3 * SIM_S);
	T.cap.n = 0;
	return 0;
}

static int teardown(void)
{
	apps_node_free(T.gw);
	sim_free(T.sim);
	return 0;
}

/* Index of the first IPv4 frame with protocol `proto` from ifp at or after start. */
static int find_ip4(int start, const struct sim_iface *ifp, uint8_t proto)
{
	for (int i = start; i < T.cap.n; i++) {
		const struct nt_frame *f = &T.cap.f[i];
		if (f->from == ifp && f->len >= 34 && f->data[12] == 0x08 && f->data[13] == 0 &&
		    f->data[23] == proto)
			return i;
	}
	return -1;
}

/* The echo request nt_ping sends: id, seq, 8 data bytes 0..7. */
static size_t echo6(uint8_t *out, size_t cap, const char *src, const char *dst, uint16_t id,
                    uint16_t seq)
{
	static const uint8_t data[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct pb_ip6 ip = { .src = src, .dst = dst, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 58, .type = 128, .word = (uint32_t)id << 16 | seq,
		            .payload = data, .payload_len = sizeof data };
	return pb_ip6(out, cap, &ip, &l4);
}

static void test_encapsulation_bytes(void)
{
	struct nt_listener lis;
	nt_listen(T.gw, &lis);
	uint16_t id = T.gw->net->ip4_id; /* the next identification the gateway uses */
	uint8_t src[16];
	pb_addr6(GW6, src);
	CU_ASSERT_EQUAL(nt_ping(T.gw, src, BROKER6, NULL, 0x1234, 1, 64, 8), 0);
	sim_run_until(T.sim, T.sim->now + SIM_S);

	uint8_t inner[PB_MAX], outer[PB_MAX];
	size_t ilen = echo6(inner, sizeof inner, GW6, BROKER6, 0x1234, 1);
	CU_ASSERT_EQUAL(ilen, 56);
	struct pb_ip4 ip = { .src = GW4, .dst = BROKER4, .ttl = 64, .id = id };
	struct pb_l4 raw = { .proto = 41, .payload = inner, .payload_len = ilen };
	size_t olen = pb_ip4(outer, sizeof outer, &ip, &raw);
	CU_ASSERT_EQUAL(olen, 76);
	/* RFC 791 fields by hand, so a libnet default could not hide a wrong one. */
	CU_ASSERT_EQUAL(outer[0], 0x45);
	CU_ASSERT_EQUAL(outer[6] & 0x40, 0);  /* DF clear */
	CU_ASSERT_EQUAL(outer[8], 64);
	CU_ASSERT_EQUAL(outer[9], 41);

	int i = find_ip4(0, T.sk0, 41);
	CU_ASSERT_FATAL(i >= 0);
	const struct nt_frame *f = &T.cap.f[i];
	CU_ASSERT_TRUE(nt_same("6in4 from gw", f->data + 14, f->len - 14, outer, olen));
	CU_ASSERT_TRUE(pb_ip4_hdr_ok(f->data + 14, f->len - 14));

	/* The broker decapsulated, answered through its own tunnel, and the
	 * gateway decapsulated the reply for ping. */
	CU_ASSERT_TRUE(find_ip4(i + 1, T.em0, 41) > i);
	CU_ASSERT_EQUAL(lis.replies, 1);
	CU_ASSERT_EQUAL(lis.last_id, 0x1234);
	struct tunnel_stats gs, bs;
	tunnel_get_stats(T.tun1, &gs);
	tunnel_get_stats(T.gif0, &bs);
	CU_ASSERT_EQUAL(gs.encap, 1);
	CU_ASSERT_EQUAL(gs.decap, 1);
	CU_ASSERT_EQUAL(bs.decap, 1);
	CU_ASSERT_EQUAL(bs.encap, 1);
	icmp6_unlisten(T.gw, &lis);
}

/* Protocol 41 from an address that is not the tunnel's remote endpoint:
 * not decapsulated (RFC 4213 3.6); FreeBSD's rip_input then answers
 * "protocol unreachable", which the node's deliver4 chain does too. */
static void test_wrong_source_dropped(void)
{
	T.cap.n = 0;
	struct tunnel_stats before, after;
	tunnel_get_stats(T.gif0, &before);
	uint8_t inner[PB_MAX], dst[4];
	size_t ilen = echo6(inner, sizeof inner, GW6, BROKER6, 0x4321, 7);
	pb_addr4(BROKER4, dst);
	CU_ASSERT_EQUAL(ip4_output(T.rogue, NULL, dst, 41, 64, inner, ilen, NULL), 0);
	sim_run_until(T.sim, T.sim->now + SIM_S);
	tunnel_get_stats(T.gif0, &after);
	CU_ASSERT_EQUAL(after.decap, before.decap);
	CU_ASSERT_EQUAL(after.encap, before.encap); /* no echo reply went out */
	CU_ASSERT_EQUAL(find_ip4(0, T.em0, 41), -1);
	int i = find_ip4(0, T.em0, 1);
	CU_ASSERT_FATAL(i >= 0);
	const uint8_t *icmp = T.cap.f[i].data + 14 + 20;
	CU_ASSERT_EQUAL(icmp[0], 3); /* destination unreachable */
	CU_ASSERT_EQUAL(icmp[1], 2); /* protocol */
}

/* From the right endpoint but not IPv6 inside: counted, not delivered. */
static void test_bad_inner(void)
{
	struct tunnel_stats before, after;
	tunnel_get_stats(T.gif0, &before);
	uint8_t junk[40] = { 0x45 }, dst[4];
	pb_addr4(BROKER4, dst);
	CU_ASSERT_EQUAL(ip4_output(T.gw, NULL, dst, 41, 64, junk, sizeof junk, NULL), 0);
	CU_ASSERT_EQUAL(ip4_output(T.gw, NULL, dst, 41, 64, junk, 10, NULL), 0);
	sim_run_until(T.sim, T.sim->now + SIM_S);
	tunnel_get_stats(T.gif0, &after);
	CU_ASSERT_EQUAL(after.bad_inner, before.bad_inner + 2);
	CU_ASSERT_EQUAL(after.decap, before.decap);
}

/* Without endpoints nothing is sent and the failure is counted. */
static void test_unconfigured(void)
{
	struct sim_iface *g = tunnel_create(T.gw, "gif7");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_PTR_NULL(tunnel_create(T.gw, "gif7"));
	CU_ASSERT_PTR_NULL(tunnel_create(T.gw, "em9"));
	CU_ASSERT_FALSE(tunnel_name_ok("gif"));
	CU_ASSERT_FALSE(tunnel_name_ok("gifx"));
	CU_ASSERT_TRUE(tunnel_name_ok("tun1"));
	CU_ASSERT_TRUE(tunnel_is(g));
	CU_ASSERT_FALSE(tunnel_is(T.sk0));
	CU_ASSERT_EQUAL(g->mtu, 1280);
	CU_ASSERT_EQUAL(g->flags, SIM_IFF_POINTOPOINT | SIM_IFF_MULTICAST);
	uint8_t a[4], b[4];
	CU_ASSERT_FALSE(tunnel_endpoints(g, a, b));
	CU_ASSERT_EQUAL(tunnel_set_endpoints(T.sk0, a, b), -1);
}

/* The last n output lines of the gateway. */
static const char *line_back(size_t k)
{
	size_t seen = 0;
	for (size_t i = T.sim->out.n; i-- > 0;) {
		const struct sim_line *s = &T.sim->out.lines[i];
		if (s->node != T.gw->id || s->is_command)
			continue;
		if (seen++ == k)
			return s->text;
	}
	return "";
}

static void test_ifconfig(void)
{
	CU_ASSERT_EQUAL(apps_run(T.gw, "ifconfig gif3 create"), 0);
	CU_ASSERT_EQUAL(apps_run(T.gw, "ifconfig gif3 tunnel 192.0.2.1 198.51.100.9"), 0);
	CU_ASSERT_EQUAL(apps_run(T.gw, "ifconfig gif3"), 0);
	CU_ASSERT_STRING_EQUAL(line_back(1),
	                       "gif3: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> metric 0 mtu 1280");
	CU_ASSERT_STRING_EQUAL(line_back(0), "\ttunnel inet 192.0.2.1 --> 198.51.100.9");
	CU_ASSERT_EQUAL(apps_run(T.gw, "ifconfig gif3 create"), 1);
	CU_ASSERT_STRING_EQUAL(line_back(0), "ifconfig: SIOCIFCREATE2: File exists");
	CU_ASSERT_EQUAL(apps_run(T.gw, "ifconfig sk0 tunnel 192.0.2.1 198.51.100.9"), 1);
	CU_ASSERT_STRING_EQUAL(line_back(0), "ifconfig: SIOCSIFPHYADDR: Invalid argument");
	CU_ASSERT_EQUAL(apps_run(T.gw, "ifconfig gif3 tunnel 192.0.2.1 nowhere"), 1);
	CU_ASSERT_STRING_EQUAL(line_back(0), "ifconfig: nowhere: bad value");
}

int suite_tunnel(void)
{
	CU_pSuite s = CU_add_suite("tunnel", setup, teardown);
	if (!s)
		return -1;
	if (!CU_add_test(s, "encapsulation_bytes", test_encapsulation_bytes) ||
	    !CU_add_test(s, "wrong_source_dropped", test_wrong_source_dropped) ||
	    !CU_add_test(s, "bad_inner", test_bad_inner) ||
	    !CU_add_test(s, "unconfigured", test_unconfigured) ||
	    !CU_add_test(s, "ifconfig", test_ifconfig))
		return -1;
	return 0;
}
