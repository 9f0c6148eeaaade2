/*
 * The commands of sim/apps on a two-node LAN built through the core API:
 * k7 (sk0, the seed's MAC 00:0f:ea:2c:d5:18) and peer (em0, the seed's
 * PPP peer MAC 00:0c:86:75:24:1b), 5 ms apart. Output is compared line
 * by line with FreeBSD 8's formats as the seed shows them; round-trip
 * times follow from the link delay (2 x 5 ms, twice that when Neighbor
 * Discovery or ARP runs first); the echo request on the wire is compared
 * with one built by libnet.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "core/sim.h"
#include "net/net.h"
#include "net/nd_var.h" /* ndp tests pin ReachableTime */
#include "pktbuild.h"

int suite_apps(void);

#define START_UNIX (1257508740ull * SIM_S) /* 2009-11-06 11:59:00 UTC */
#define K7_LL "fe80::20f:eaff:fe2c:d518"
#define PEER_LL "fe80::20c:86ff:fe75:241b"

static const uint8_t k7_mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t peer_mac[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };

struct lan {
	struct sim *sim;
	struct sim_node *k7, *peer;
	struct sim_iface *sk0, *em0;
	struct sim_link *link;
	/* frames seen on the link */
	uint8_t frames[64][256];
	size_t flen[64];
	sim_time ftime[64];
	size_t nframes;
};

static void tap(void *user, const struct sim_frame_info *f)
{
	struct lan *l = user;
	if (l->nframes < 64 && !f->lost) {
		size_t len = f->len < 256 ? f->len : 256;
		memcpy(l->frames[l->nframes], f->data, len);
		l->flen[l->nframes] = len;
		l->ftime[l->nframes] = f->time;
		l->nframes++;
	}
}

/* Both nodes up, DAD and router solicitations over, at t = 5 s. */
static struct lan *lan_new(void)
{
	static struct lan l;
	memset(&l, 0, sizeof l);
	l.sim = sim_new(1, START_UNIX);
	l.k7 = sim_node_add(l.sim, "k7", NODE_FREEBSD);
	l.peer = sim_node_add(l.sim, "peer", NODE_FREEBSD);
	l.sk0 = sim_iface_add(l.k7, "sk0", k7_mac);
	l.em0 = sim_iface_add(l.peer, "em0", peer_mac);
	l.link = sim_link_add(l.sim, "lan", LINK_ETHERNET);
	l.link->delay = 5 * SIM_MS;
	sim_link_attach(l.link, l.sk0);
	sim_link_attach(l.link, l.em0);
	sim_link_tap(l.link, tap, &l);
	net_node_init(l.k7);
	net_node_init(l.peer);
	apps_node_init(l.k7);
	apps_node_init(l.peer);
	net_iface_up(l.sk0);
	net_iface_up(l.em0);
	sim_run_until(l.sim, 5 * SIM_S);
	return &l;
}

/* Index of the next transcript line: what a command prints comes after. */
static size_t mark(const struct lan *l)
{
	return l->sim->out.n;
}

/* The output lines of node since m (commands excluded), n of them at most. */
static size_t lines_of(const struct lan *l, const struct sim_node *node, size_t m,
                       const char **out, sim_time *times, size_t max)
{
	size_t k = 0;
	for (size_t i = m; i < l->sim->out.n && k < max; i++) {
		const struct sim_line *s = &l->sim->out.lines[i];
		if (s->node != node->id || s->is_command)
			continue;
		if (times)
			times[k] = s->time;
		out[k++] = s->text;
	}
	return k;
}

/* Every expected line, in order, and nothing else. */
static int same_lines(const struct lan *l, const struct sim_node *node, size_t m,
                      const char *const *exp, size_t nexp)
{
	const char *got[64];
	size_t n = lines_of(l, node, m, got, NULL, 64);
	int ok = n == nexp;
	for (size_t i = 0; i < n || i < nexp; i++) {
		const char *g = i < n ? got[i] : "(none)", *e = i < nexp ? exp[i] : "(none)";
		if (strcmp(g, e) != 0) {
			printf("\n  line %zu\n    got [%s]\n    exp [%s]", i, g, e);
			ok = 0;
		}
	}
	return ok;
}
#define ASSERT_LINES(l, node, m, ...)                                                     \
	do {                                                                              \
		static const char *const exp_[] = { __VA_ARGS__ };                        \
		CU_ASSERT_TRUE(same_lines((l), (node), (m), exp_, sizeof exp_ / sizeof exp_[0])); \
	} while (0)

static void lan_free(struct lan *l)
{
	sim_free(l->sim);
}

/* ---- ping6 ---- */

static void test_ping6_linklocal_scope(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 2 " PEER_LL "%sk0"), 0);
	CU_ASSERT_EQUAL(apps_running(l->k7), 1);
	sim_run_until(l->sim, 30 * SIM_S);
	CU_ASSERT_EQUAL(apps_running(l->k7), 0);
	/* The first probe waits for ND (one more round trip): 20 ms, then 10. */
	ASSERT_LINES(l, l->k7, m,
	             "PING6(56=40+8+8 bytes) " K7_LL "%sk0 --> " PEER_LL "%sk0",
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=0 hlim=64 time=20.000 ms",
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=1 hlim=64 time=10.000 ms",
	             "",
	             "--- " PEER_LL "%sk0 ping6 statistics ---",
	             "2 packets transmitted, 2 packets received, 0.0% packet loss",
	             "round-trip min/avg/max/std-dev = 10.000/15.000/20.000/5.000 ms");
	lan_free(l);
}

/* The seed's form: no %iface typed, the only interface is the zone. */
static void test_ping6_seed_form(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 " PEER_LL), 0);
	sim_run_until(l->sim, 20 * SIM_S);
	ASSERT_LINES(l, l->k7, m,
	             "PING6(56=40+8+8 bytes) " K7_LL "%sk0 --> " PEER_LL,
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=0 hlim=64 time=20.000 ms",
	             "",
	             "--- " PEER_LL " ping6 statistics ---",
	             "1 packets transmitted, 1 packets received, 0.0% packet loss",
	             "round-trip min/avg/max/std-dev = 20.000/20.000/20.000/0.000 ms");
	/* The summary comes with the last reply, not after a wait. */
	const char *got[8];
	sim_time t[8];
	size_t n = lines_of(l, l->k7, m, got, t, 8);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	CU_ASSERT_EQUAL(t[5], 5 * SIM_S + 20 * SIM_MS);
	lan_free(l);
}

/* No answer: one more interval after the probe, then MAXWAIT (10 s). */
static void test_ping6_no_answer_timing(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 fe80::99%sk0"), 0);
	sim_run_until(l->sim, 15 * SIM_S + 999 * SIM_MS);
	CU_ASSERT_EQUAL(apps_running(l->k7), 1);
	sim_run_until(l->sim, 17 * SIM_S);
	const char *got[8];
	sim_time t[8];
	size_t n = lines_of(l, l->k7, m, got, t, 8);
	ASSERT_LINES(l, l->k7, m, "PING6(56=40+8+8 bytes) " K7_LL "%sk0 --> fe80::99%sk0", "",
	             "--- fe80::99%sk0 ping6 statistics ---",
	             "1 packets transmitted, 0 packets received, 100.0% packet loss");
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_EQUAL(t[3], 16 * SIM_S);
	CU_ASSERT_EQUAL(apps_running(l->k7), 0);
	lan_free(l);
}

/* The echo request as FreeBSD's ping6 sends it, against libnet's. */
static void test_ping6_wire(void)
{
	struct lan *l = lan_new();
	size_t first = l->nframes;
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 -h 7 " PEER_LL "%sk0"), 0);
	sim_run_until(l->sim, 7 * SIM_S);
	const uint8_t *req = NULL;
	size_t rlen = 0;
	for (size_t i = first; i < l->nframes && !req; i++) {
		const uint8_t *f = l->frames[i];
		if (l->flen[i] >= 62 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 58 && f[54] == 128) {
			req = f + 14;
			rlen = l->flen[i] - 14;
		}
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);
	/* Payload: struct tv32 of the sending time (t = 5 s), big-endian. */
	uint32_t sec = (uint32_t)(START_UNIX / SIM_S + 5);
	uint8_t stamp[8] = { (uint8_t)(sec >> 24), (uint8_t)(sec >> 16), (uint8_t)(sec >> 8),
		             (uint8_t)sec, 0, 0, 0, 0 };
	uint16_t id = (uint16_t)(req[44] << 8 | req[45]);
	uint8_t exp[PB_MAX];
	struct pb_ip6 ip = { .src = K7_LL, .dst = PEER_LL, .hlim = 7 };
	struct pb_l4 l4 = { .proto = 58, .type = 128, .code = 0, .word = (uint32_t)id << 16 | 0,
		            .payload = stamp, .payload_len = sizeof stamp };
	size_t elen = pb_ip6(exp, sizeof exp, &ip, &l4);
	CU_ASSERT_EQUAL(rlen, elen);
	CU_ASSERT_TRUE(rlen == elen && memcmp(req, exp, elen) == 0);
	lan_free(l);
}

static void test_ping6_no_route(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 2001:db8:99::1"), 1);
	ASSERT_LINES(l, l->k7, m, "ping6: UDP connect: No route to host");
	CU_ASSERT_EQUAL(apps_running(l->k7), 0);
	lan_free(l);
}

/* A router without a route answers Destination Unreachable: -v shows it. */
static void test_ping6_verbose_error(void)
{
	struct lan *l = lan_new();
	l->peer->net->forwarding6 = true;
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet6 2001:db8:1::1 prefixlen 64"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ifconfig em0 inet6 2001:db8:1::2 prefixlen 64"), 0);
	sim_run_until(l->sim, 8 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route add -inet6 default 2001:db8:1::2"), 0);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -v -c 1 2001:db8:99::1"), 0);
	sim_run_until(l->sim, 30 * SIM_S);
	const char *got[16];
	size_t n = lines_of(l, l->k7, m, got, NULL, 16);
	CU_ASSERT_EQUAL_FATAL(n, 10);
	CU_ASSERT_STRING_EQUAL(got[0], "PING6(56=40+8+8 bytes) 2001:db8:1::1 --> 2001:db8:99::1");
	/* 8 + the quoted request (40 + 16) */
	CU_ASSERT_STRING_EQUAL(got[1], "64 bytes from 2001:db8:1::2: No Route to Destination");
	CU_ASSERT_STRING_EQUAL(got[2], "Vr TC  Flow Plen Nxt Hlim");
	CU_ASSERT_EQUAL(strncmp(got[3], " 6 00 00000 0010  3a   ", 23), 0);
	CU_ASSERT_STRING_EQUAL(got[4], "2001:db8:1::1->2001:db8:99::1");
	CU_ASSERT_STRING_EQUAL(got[5], "ICMP6: type = 128, code = 0");
	CU_ASSERT_STRING_EQUAL(got[6], "");
	CU_ASSERT_STRING_EQUAL(got[9], "1 packets transmitted, 0 packets received, 100.0% packet loss");
	/* Without -v, FreeBSD's ICMP6_FILTER hides the error. */
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 2001:db8:99::1"), 0);
	sim_run_until(l->sim, 50 * SIM_S);
	ASSERT_LINES(l, l->k7, m, "PING6(56=40+8+8 bytes) 2001:db8:1::1 --> 2001:db8:99::1", "",
	             "--- 2001:db8:99::1 ping6 statistics ---",
	             "1 packets transmitted, 0 packets received, 100.0% packet loss");
	lan_free(l);
}

static void test_ping6_usage(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -z " PEER_LL), 64);
	ASSERT_LINES(l, l->k7, m, "ping6: illegal option -- z",
	             "usage: ping6 [-dfHmnNoqrRtvwW] [-a addrtype] [-b bufsiz] [-c count] [-g gateway]",
	             "             [-h hoplimit] [-I interface] [-i wait] [-l preload] [-P policy]",
	             "             [-p pattern] [-S sourceaddr] [-s packetsize] [hops ...] host");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 0 " PEER_LL), 1);
	ASSERT_LINES(l, l->k7, m, "ping6: illegal number of packets -- 0");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c"), 64);
	const char *got[8];
	CU_ASSERT_EQUAL(lines_of(l, l->k7, m, got, NULL, 8), 4);
	CU_ASSERT_STRING_EQUAL(got[0], "ping6: option requires an argument -- c");
	/* Clustered flags and an attached argument, as getopt(3) takes them;
	 * -q leaves only the banner and the statistics; -s 20: 68 = 40+8+20. */
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -qc1 -s20 " PEER_LL "%sk0"), 0);
	sim_run_until(l->sim, 10 * SIM_S);
	ASSERT_LINES(l, l->k7, m, "PING6(68=40+8+20 bytes) " K7_LL "%sk0 --> " PEER_LL "%sk0", "",
	             "--- " PEER_LL "%sk0 ping6 statistics ---",
	             "1 packets transmitted, 1 packets received, 0.0% packet loss",
	             "round-trip min/avg/max/std-dev = 20.000/20.000/20.000/0.000 ms");
	lan_free(l);
}

/* `| grep` keeps filtering a running ping; ^C prints the statistics. */
static void test_ping6_grep_and_interrupt(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 " PEER_LL "%sk0 | grep icmp_seq=1"), 0);
	sim_run_until(l->sim, 8 * SIM_S + 500 * SIM_MS);
	ASSERT_LINES(l, l->k7, m, "16 bytes from " PEER_LL "%sk0, icmp_seq=1 hlim=64 time=10.000 ms");
	apps_interrupt(l->k7);
	CU_ASSERT_EQUAL(apps_running(l->k7), 0);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -i 0.5 " PEER_LL "%sk0"), 0);
	sim_run_until(l->sim, 9 * SIM_S + 600 * SIM_MS);
	apps_interrupt(l->k7);
	sim_run_until(l->sim, 20 * SIM_S);
	/* ND is done already: 10 ms each; probes at 8.5, 9 and 9.5 s. */
	ASSERT_LINES(l, l->k7, m, "PING6(56=40+8+8 bytes) " K7_LL "%sk0 --> " PEER_LL "%sk0",
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=0 hlim=64 time=10.000 ms",
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=1 hlim=64 time=10.000 ms",
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=2 hlim=64 time=10.000 ms",
	             "^C", "--- " PEER_LL "%sk0 ping6 statistics ---",
	             "3 packets transmitted, 3 packets received, 0.0% packet loss",
	             "round-trip min/avg/max/std-dev = 10.000/10.000/10.000/0.000 ms");
	lan_free(l);
}

/* Malformed command lines: a message and a non-zero status, never a crash. */
static void test_bad_input(void)
{
	static const char *const bad[] = {
		"ping6", "ping6 -c", "ping6 -c x " PEER_LL, "ping6 -s 100000 " PEER_LL,
		"ping6 -h 300 " PEER_LL, "ping6 -i abc " PEER_LL, "ping6 zz::zz::1",
		"ping6 " PEER_LL "%nope0", "ping6 -I nope0 " PEER_LL, "ping6 -S 2001:db8::7 " PEER_LL,
		"ping", "ping -c 1 300.1.1.1", "ping -s -1 10.0.0.1", "ping -q",
		"ifconfig sk0 inet6", "ifconfig sk0 inet6 zz prefixlen 64",
		"ifconfig sk0 inet6 2001:db8::1 prefixlen 200", "ifconfig sk0 inet 10.0.0.1/40",
		"ifconfig sk0 mtu", "ifconfig sk0 mtu 10", "ifconfig sk0 frob", "ifconfig -z",
		"netstat", "netstat -f", "netstat -rn -f ipx", "netstat -x", "route", "route add",
		"route frob", "route add -inet6 default", "route add -inet6 zz fe80::1%sk0",
		"route add -inet6 default fe80::1%nope0", "route add -inet6 2001:db8::/64 2001:db8:77::1",
		"route add 10.0.0.0/33 10.0.0.1", "route delete 10.9.9.9", "sysctl", "sysctl -x",
		"sysctl =", "sysctl net.inet6.ip6.forwarding=x", "sysctl net.inet6.ip6.forwarding=2",
		"rtadvd -z sk0", "rtadvd nope0", "\\\\\\", "\"\"", "a | ", " | grep x", "ls | grep",
		"ifconfig \"sk0",
	};
	struct lan *l = lan_new();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t m = mark(l);
		int rc = apps_run(l->k7, bad[i]);
		const char *got[64];
		size_t n = lines_of(l, l->k7, m, got, NULL, 64);
		if (rc == 0 || n == 0)
			printf("\n  [%s]: rc %d, %zu lines", bad[i], rc, n);
		CU_ASSERT(rc != 0 && n > 0);
	}
	CU_ASSERT_EQUAL(apps_running(l->k7), 0);
	lan_free(l);
}

/* A bridge (no IP stack): commands refuse politely. */
static void test_bridge_node(void)
{
	struct lan *l = lan_new();
	struct sim_node *sw = sim_node_add(l->sim, "sw", NODE_BRIDGE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sim_iface_add(sw, "p0", NULL));
	apps_node_init(sw);
	static const char *const cmds[] = {
		"ifconfig p0 inet6 2001:db8::1 prefixlen 64", "ifconfig p0 inet 10.0.0.9/24",
		"ping6 ::1", "ping 127.0.0.1", "route add -inet6 default ::1",
		"sysctl net.inet6.ip6.forwarding=1", "rtadvd p0",
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		CU_ASSERT_NOT_EQUAL(apps_run(sw, cmds[i]), 0);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(sw, "netstat -rn"), 0);
	ASSERT_LINES(l, sw, m, "Routing tables");
	lan_free(l);
}

/* ---- ping (IPv4) ---- */

static void test_ping4(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet 10.0.0.1/24"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ifconfig em0 inet 10.0.0.2 netmask 255.255.255.0"), 0);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping -c 1 10.0.0.2"), 0);
	sim_run_until(l->sim, 20 * SIM_S);
	/* ARP first: two round trips. */
	ASSERT_LINES(l, l->k7, m, "PING 10.0.0.2 (10.0.0.2): 56 data bytes",
	             "64 bytes from 10.0.0.2: icmp_seq=0 ttl=64 time=20.000 ms", "",
	             "--- 10.0.0.2 ping statistics ---",
	             "1 packets transmitted, 1 packets received, 0.0% packet loss",
	             "round-trip min/avg/max/stddev = 20.000/20.000/20.000/0.000 ms");
	lan_free(l);
}

/* ---- ifconfig ---- */

static void test_ifconfig_show_and_set(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0"), 0);
	ASSERT_LINES(l, l->k7, m,
	             "sk0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500",
	             "\tether 00:0f:ea:2c:d5:18",
	             "\tinet6 " K7_LL "%sk0 prefixlen 64 scopeid 0x1 ",
	             "\tmedia: Ethernet autoselect (100baseTX <full-duplex>)", "\tstatus: active");
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet6 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518 prefixlen 64"), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet 10.0.0.1/24"), 0);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0"), 0);
	/* DAD still running on the new address: FreeBSD says "tentative". */
	ASSERT_LINES(l, l->k7, m,
	             "sk0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500",
	             "\tether 00:0f:ea:2c:d5:18",
	             "\tinet6 " K7_LL "%sk0 prefixlen 64 scopeid 0x1 ",
	             "\tinet6 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518 prefixlen 64 tentative ",
	             "\tinet 10.0.0.1 netmask 0xffffff00 broadcast 10.0.0.255",
	             "\tmedia: Ethernet autoselect (100baseTX <full-duplex>)", "\tstatus: active");
	sim_run_until(l->sim, 10 * SIM_S);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 | grep 2001"), 0);
	ASSERT_LINES(l, l->k7, m, "\tinet6 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518 prefixlen 64 ");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig xl0"), 1);
	ASSERT_LINES(l, l->k7, m, "ifconfig: interface xl0 does not exist");
	lan_free(l);
}

/* ---- route and netstat ---- */

static void test_route_and_netstat(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route add -inet6 default " PEER_LL "%sk0"), 0);
	ASSERT_LINES(l, l->k7, m, "add net default: gateway " PEER_LL "%sk0");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route add -inet6 default " PEER_LL "%sk0"), 1);
	ASSERT_LINES(l, l->k7, m, "route: writing to routing socket: File exists",
	             "add net default: gateway " PEER_LL "%sk0: route already in table");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "netstat -rn | grep default"), 0);
	/* 33-wide destination, 29-wide gateway, flags, 8-wide Netif. */
	ASSERT_LINES(l, l->k7, m,
	             "default                           " PEER_LL "%sk0  UGS         sk0");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "netstat -rn"), 0);
	const char *got[32];
	size_t n = lines_of(l, l->k7, m, got, NULL, 32);
	CU_ASSERT_FATAL(n >= 7);
	CU_ASSERT_STRING_EQUAL(got[0], "Routing tables");
	CU_ASSERT_STRING_EQUAL(got[1], "");
	CU_ASSERT_STRING_EQUAL(got[2], "Internet:");
	CU_ASSERT_STRING_EQUAL(got[3], "Destination        Gateway            Flags    Refs      Use  Netif Expire");
	CU_ASSERT_STRING_EQUAL(got[4], "");
	CU_ASSERT_STRING_EQUAL(got[5], "Internet6:");
	CU_ASSERT_STRING_EQUAL(got[6], "Destination                       Gateway                       Flags      Netif Expire");
	int has_ll = 0;
	for (size_t i = 7; i < n; i++)
		has_ll |= strcmp(got[i], "fe80::%sk0/64                     link#1                        U           sk0") == 0;
	CU_ASSERT_TRUE(has_ll);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route delete -inet6 2001:db8::/64"), 1);
	ASSERT_LINES(l, l->k7, m, "route: writing to routing socket: No such process",
	             "delete net 2001:db8::/64: not in table");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route delete -inet6 default"), 0);
	ASSERT_LINES(l, l->k7, m, "delete net default");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route add default " PEER_LL "%sk0"), 68);
	ASSERT_LINES(l, l->k7, m, "route: bad address: " PEER_LL "%sk0");
	/* IPv4: the Internet table with Refs and Use. */
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet 10.0.0.1/24"), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "route add default 10.0.0.2"), 0);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "netstat -rn -f inet | grep default"), 0);
	ASSERT_LINES(l, l->k7, m, "default            10.0.0.2           UGS         0        0    sk0");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "netstat -rn -f inet | grep link"), 0);
	ASSERT_LINES(l, l->k7, m, "10.0.0.0/24        link#1             U           0        0    sk0");
	lan_free(l);
}

/* ---- sysctl ---- */

static void test_sysctl(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.forwarding=1"), 0);
	CU_ASSERT_TRUE(l->peer->net->forwarding6);
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.forwarding net.inet6.ip6.hlim"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl -n net.inet.ip.forwarding"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.frobnicate=1"), 1);
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.hlim=300"), 1);
	ASSERT_LINES(l, l->peer, m, "net.inet6.ip6.forwarding: 0 -> 1",
	             "net.inet6.ip6.forwarding: 1", "net.inet6.ip6.hlim: 64", "0",
	             "sysctl: unknown oid 'net.inet6.ip6.frobnicate'",
	             "sysctl: net.inet6.ip6.hlim: Invalid argument");
	lan_free(l);
}

/* ---- shell ---- */

static void test_shell(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "frobnicate -x"), 127);
	ASSERT_LINES(l, l->k7, m, "frobnicate: Command not found.");
	/* The command line itself goes into the transcript as a command. */
	const struct sim_line *cmd = &l->sim->out.lines[m];
	CU_ASSERT_TRUE(cmd->is_command && cmd->node == l->k7->id);
	CU_ASSERT_STRING_EQUAL(cmd->text, "frobnicate -x");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "  "), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig 'sk0"), 1);
	ASSERT_LINES(l, l->k7, m, "Unmatched '.");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "netstat -rn | grep Internet"), 0);
	ASSERT_LINES(l, l->k7, m, "Internet:", "Internet6:");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 | grep -v inet"), 0);
	ASSERT_LINES(l, l->k7, m,
	             "sk0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500",
	             "\tether 00:0f:ea:2c:d5:18",
	             "\tmedia: Ethernet autoselect (100baseTX <full-duplex>)", "\tstatus: active");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 | head"), 127);
	ASSERT_LINES(l, l->k7, m, "head: Command not found.");
	/* Freed with pings still running (v6 and v4): listeners go too. */
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet 10.0.0.1/24"), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 " PEER_LL "%sk0"), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping 10.0.0.2"), 0);
	sim_run_until(l->sim, 7 * SIM_S);
	CU_ASSERT_EQUAL(apps_running(l->k7), 2);
	apps_node_free(l->k7); /* teardown only: its timer events must not run again */
	CU_ASSERT_PTR_NULL(l->k7->apps);
	lan_free(l);
}

/* ---- rtadvd ---- */

static void test_rtadvd(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.forwarding=1"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ifconfig em0 inet6 2001:db8:5::1 prefixlen 64"), 0);
	sim_run_until(l->sim, 8 * SIM_S);
	size_t first = l->nframes;
	CU_ASSERT_EQUAL(apps_run(l->peer, "rtadvd em0"), 0);
	sim_run_until(l->sim, 30 * SIM_S);
	/* An RA with the FreeBSD defaults on the wire. */
	const uint8_t *ra = NULL;
	size_t ralen = 0;
	for (size_t i = first; i < l->nframes && !ra; i++)
		if (l->flen[i] >= 14 + 40 + 16 && l->frames[i][20] == 58 && l->frames[i][54] == 134) {
			ra = l->frames[i] + 54;
			ralen = l->flen[i] - 54;
		}
	CU_ASSERT_PTR_NOT_NULL_FATAL(ra);
	CU_ASSERT_EQUAL(ra[6] << 8 | ra[7], 1800);
	int prefix_ok = 0;
	for (size_t off = 16; off + 8 <= ralen && ra[off + 1]; off += (size_t)ra[off + 1] * 8) {
		const uint8_t *o = ra + off;
		if (o[0] == 3 && off + 32 <= ralen) {
			uint32_t valid = (uint32_t)o[4] << 24 | o[5] << 16 | o[6] << 8 | o[7];
			uint32_t pref = (uint32_t)o[8] << 24 | o[9] << 16 | o[10] << 8 | o[11];
			uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05 };
			prefix_ok = o[2] == 64 && (o[3] & 0xc0) == 0xc0 && valid == 2592000 &&
			            pref == 604800 && memcmp(o + 16, want, 16) == 0;
		}
	}
	CU_ASSERT_TRUE(prefix_ok);
	size_t m = mark(l);
	/* A single zero group is not shortened to "::" (BIND's inet_ntop). */
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 | grep 2001"), 0);
	ASSERT_LINES(l, l->k7, m, "\tinet6 2001:db8:5:0:20f:eaff:fe2c:d518 prefixlen 64 autoconf ");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->peer, "rtadvd"), 64);
	ASSERT_LINES(l, l->peer, m, "usage: rtadvd [-dDfMRs] [-c conffile] [-p pidfile] interfaces...");
	lan_free(l);
}

/* ---- ndp ---- */

#define NDP_HEADER \
	"Neighbor                             Linklayer Address  Netif Expire    S Flags"

/*
 * k7 pings peer at 5 s: NS out, NA back at 5.010 s, so k7's entry stays
 * REACHABLE until 5.010 + ReachableTime (pinned to 30 s: FreeBSD draws it
 * at random around 30 s) = 35.010 s; Expire is that second minus the
 * current one. peer learnt k7 STALE from the NS; its NA (5.005 s) used the
 * entry, which started DELAY (5 s, until 10.005 s), then one unicast probe
 * (PROBE, 1 sent, RetransTimer 1 s) answered at 10.015 s.
 */
static void test_ndp_cache(void)
{
	struct lan *l = lan_new();
	nd_ifstate_get(l->sk0)->reachable_ms = 30000;
	CU_ASSERT_EQUAL(apps_run(l->k7, "ifconfig sk0 inet6 2001:df0:9::ca53:b0f8 prefixlen 64"), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 " PEER_LL "%sk0"), 0);
	sim_run_until(l->sim, 6 * SIM_S);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -an"), 0);
	ASSERT_LINES(l, l->k7, m, NDP_HEADER,
	             "2001:df0:9::ca53:b0f8                0:f:ea:2c:d5:18      sk0 permanent R ",
	             "fe80::20c:86ff:fe75:241b%sk0         0:c:86:75:24:1b      sk0 29s       R ",
	             "fe80::20f:eaff:fe2c:d518%sk0         0:f:ea:2c:d5:18      sk0 permanent R ");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ndp -a | grep 20f"), 0);
	ASSERT_LINES(l, l->peer, m,
	             "fe80::20f:eaff:fe2c:d518%em0         0:f:ea:2c:d5:18      em0 4s        D ");
	sim_run_until(l->sim, 10 * SIM_S + 8 * SIM_MS);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ndp -n -a | grep 20f"), 0);
	ASSERT_LINES(l, l->peer, m,
	             "fe80::20f:eaff:fe2c:d518%em0         0:f:ea:2c:d5:18      em0 1s        P  1");
	sim_run_until(l->sim, 34 * SIM_S);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -an | grep 20c"), 0);
	ASSERT_LINES(l, l->k7, m,
	             "fe80::20c:86ff:fe75:241b%sk0         0:c:86:75:24:1b      sk0 1s        R ");
	/* Past ReachableTime: STALE, for FreeBSD's nd6_gctimer (1 day) from 35 s. */
	sim_run_until(l->sim, 36 * SIM_S);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -an | grep 20c"), 0);
	ASSERT_LINES(l, l->k7, m,
	             "fe80::20c:86ff:fe75:241b%sk0         0:c:86:75:24:1b      sk0 23h59m59s S ");
	lan_free(l);
}

/* An unanswered address: INCOMPLETE with its first NS sent; ndp -c empties
 * the cache (own addresses stay) and resolution starts over afterwards. */
static void test_ndp_incomplete_and_flush(void)
{
	struct lan *l = lan_new();
	nd_ifstate_get(l->sk0)->reachable_ms = 30000;
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 " PEER_LL "%sk0"), 0);
	sim_run_until(l->sim, 6 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 fe80::99%sk0"), 0);
	sim_run_until(l->sim, 6 * SIM_S + 500 * SIM_MS);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -a | grep sk0"), 0);
	ASSERT_LINES(l, l->k7, m,
	             "fe80::99%sk0                         (incomplete)         sk0 1s        I  1",
	             "fe80::20c:86ff:fe75:241b%sk0         0:c:86:75:24:1b      sk0 29s       R ",
	             "fe80::20f:eaff:fe2c:d518%sk0         0:f:ea:2c:d5:18      sk0 permanent R ");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -c"), 0);
	ASSERT_LINES(l, l->k7, m, "fe80::99%sk0 (fe80::99%sk0) deleted",
	             "fe80::20c:86ff:fe75:241b%sk0 (fe80::20c:86ff:fe75:241b%sk0) deleted");
	static const uint8_t peer_ll[16] = { 0xfe, 0x80, [8] = 0x02, 0x0c, 0x86, 0xff,
		                             0xfe, 0x75, 0x24, 0x1b };
	CU_ASSERT_EQUAL(nd_state_of(l->sk0, peer_ll, NULL), -1);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -an"), 0);
	ASSERT_LINES(l, l->k7, m, NDP_HEADER,
	             "fe80::20f:eaff:fe2c:d518%sk0         0:f:ea:2c:d5:18      sk0 permanent R ");
	/* A new ping resolves again: 20 ms, the echo waits for an NS/NA round
	 * trip (before peer's own probe at 10 s would teach k7 its MAC). */
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ping6 -c 1 " PEER_LL "%sk0 | grep bytes"), 0);
	sim_run_until(l->sim, 7 * SIM_S);
	ASSERT_LINES(l, l->k7, m, "PING6(56=40+8+8 bytes) " K7_LL "%sk0 --> " PEER_LL "%sk0",
	             "16 bytes from " PEER_LL "%sk0, icmp_seq=0 hlim=64 time=20.000 ms");
	/* The flushed INCOMPLETE entry's retransmissions (due at 7 s) never come. */
	static const uint8_t dead[16] = { 0xfe, 0x80, [15] = 0x99 };
	sim_run_until(l->sim, 20 * SIM_S);
	CU_ASSERT_EQUAL(nd_state_of(l->sk0, dead, NULL), -1);
	int late_ns = 0;
	CU_ASSERT_TRUE_FATAL(l->nframes < 64); /* the tap kept every frame */
	for (size_t i = 0; i < l->nframes; i++)
		late_ns += l->ftime[i] > 6 * SIM_S + 500 * SIM_MS && l->flen[i] >= 78 &&
		           l->frames[i][54] == 135 && memcmp(l->frames[i] + 62, dead, 16) == 0;
	CU_ASSERT_EQUAL(late_ns, 0);
	CU_ASSERT_EQUAL(nd_state_of(l->sk0, peer_ll, NULL), ND_REACHABLE);
	lan_free(l);
}

/* ndp -r and the R flag: peer advertises itself as a router (RA). */
static void test_ndp_router(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.forwarding=1"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "rtadvd em0"), 0);
	sim_run_until(l->sim, 40 * SIM_S);
	sim_time last_ra = 0;
	for (size_t i = 0; i < l->nframes; i++)
		if (l->flen[i] >= 14 + 40 + 16 && l->frames[i][20] == 58 && l->frames[i][54] == 134)
			last_ra = l->ftime[i];
	CU_ASSERT_FATAL(last_ra > 0);
	/* Router Lifetime 1800 s from the RA's arrival (5 ms later), in whole seconds. */
	unsigned left = (unsigned)((last_ra + 5 * SIM_MS) / SIM_S + 1800 - 40);
	char exp[128];
	snprintf(exp, sizeof exp, PEER_LL "%%sk0 if=sk0, flags=, pref=medium, expire=%um%us",
	         left / 60, left % 60);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -r"), 0);
	const char *got[4];
	CU_ASSERT_EQUAL_FATAL(lines_of(l, l->k7, m, got, NULL, 4), 1);
	CU_ASSERT_STRING_EQUAL(got[0], exp);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -an | grep 20c"), 0);
	CU_ASSERT_EQUAL_FATAL(lines_of(l, l->k7, m, got, NULL, 4), 1);
	size_t len = strlen(got[0]);
	CU_ASSERT_TRUE(len > 2 && strcmp(got[0] + len - 2, " R") == 0);
	lan_free(l);
}

/* When the last RA sent up to `until` reached k7 (5 ms on the link), 0 if none. */
static sim_time last_ra_arrival(const struct lan *l, sim_time until)
{
	sim_time t = 0;
	for (size_t i = 0; i < l->nframes; i++)
		if (l->flen[i] >= 14 + 40 + 16 && l->frames[i][20] == 58 &&
		    l->frames[i][54] == 134 && l->ftime[i] <= until)
			t = l->ftime[i] + 5 * SIM_MS;
	return t;
}

/*
 * ndp -p on a host that formed its address by SLAAC from peer's rtadvd
 * (FreeBSD's defaults: vltime 30 days, pltime 7 days): the prefix with
 * L, A and O, ref 1 (the autoconf address), expire = the last RA's second
 * + 2592000 s, counting down; then fe80::/64 of the link-local address.
 * Peer, the router, lists its configured prefix without a router.
 */
static void test_ndp_prefixes(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.forwarding=1"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ifconfig em0 inet6 2001:db8:5::1 prefixlen 64"), 0);
	CU_ASSERT_EQUAL(apps_run(l->peer, "rtadvd em0"), 0);
	sim_run_until(l->sim, 60 * SIM_S);
	/* The three initial RAs come within 16 s each; the next not before 198 s. */
	sim_time ra = last_ra_arrival(l, 60 * SIM_S);
	CU_ASSERT_TRUE_FATAL(ra > 10 * SIM_S && ra < 60 * SIM_S);
	unsigned since = (unsigned)(60 - ra / SIM_S); /* whole seconds gone of 2592000 */
	char exp60[96], exp120[96];
	snprintf(exp60, sizeof exp60,
	         "flags=LAO vltime=2592000, pltime=604800, expire=29d23h59m%us, ref=1", 60 - since);
	snprintf(exp120, sizeof exp120,
	         "flags=LAO vltime=2592000, pltime=604800, expire=29d23h58m%us, ref=1", 60 - since);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p"), 0);
	const char *const at60[] = { "2001:db8:5::/64 if=sk0", exp60, "  advertised by",
		                     "    " PEER_LL "%sk0 (reachable)", "fe80::%sk0/64 if=sk0",
		                     "flags=LAO vltime=infinity, pltime=infinity, expire=Never, ref=0",
		                     "  No advertising router" };
	CU_ASSERT_TRUE(same_lines(l, l->k7, m, at60, 7));
	sim_run_until(l->sim, 120 * SIM_S);
	CU_ASSERT_EQUAL(last_ra_arrival(l, 120 * SIM_S), ra);
	CU_ASSERT_TRUE(l->nframes < 64); /* the tap saw every frame */
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p | grep flags=LAO"), 0);
	const char *const at120[] = { exp120,
		                      "flags=LAO vltime=infinity, pltime=infinity, expire=Never, ref=0" };
	CU_ASSERT_TRUE(same_lines(l, l->k7, m, at120, 2));
	/* With the neighbour cache flushed the router has no entry. */
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -c"), 0);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p | grep %sk0"), 0);
	ASSERT_LINES(l, l->k7, m, "    " PEER_LL "%sk0 (no neighbor state)", "fe80::%sk0/64 if=sk0");
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->peer, "ndp -p"), 0);
	ASSERT_LINES(l, l->peer, m, "2001:db8:5::/64 if=em0",
	             "flags=LO vltime=infinity, pltime=infinity, expire=Never, ref=1",
	             "  No advertising router", "fe80::%em0/64 if=em0",
	             "flags=LAO vltime=infinity, pltime=infinity, expire=Never, ref=0",
	             "  No advertising router");
	lan_free(l);
}

/* peer advertises 2001:db8:7::/64 (L and A) and 2001:db8:8::/64 (A only),
 * both valid 100 s and preferred 50 s, from t = 5 s; run until `until`. */
static struct lan *expiry_lan(sim_time until)
{
	struct lan *l = lan_new();
	struct nd_ra_prefix p[2] = {
		{ .prefix = { 0x20, 0x01, 0x0d, 0xb8, 0, 7 }, .plen = 64, .valid_s = 100,
		  .preferred_s = 50, .onlink = true, .autonomous = true },
		{ .prefix = { 0x20, 0x01, 0x0d, 0xb8, 0, 8 }, .plen = 64, .valid_s = 100,
		  .preferred_s = 50, .onlink = false, .autonomous = true },
	};
	CU_ASSERT_EQUAL(apps_run(l->peer, "sysctl net.inet6.ip6.forwarding=1"), 0);
	CU_ASSERT_EQUAL(nd_rtadv_start(l->em0, p, 2, 0), 0);
	sim_run_until(l->sim, until);
	return l;
}

/*
 * Lifetimes from the RA, expiry in virtual time. The A-only prefix is
 * kept for its address with lifetimes 0 (prelist_update) and goes once a
 * whole second has passed (nd6_timer); so does the other one 100 s after
 * the last RA once rtadvd stops. The run is deterministic: a second run
 * stops just after the first RA it found.
 */
static void test_ndp_prefix_expiry(void)
{
	struct lan *l = expiry_lan(20 * SIM_S);
	sim_time first_ra = 0;
	for (sim_time t = 0; !first_ra && t < 20 * SIM_S; t += SIM_MS)
		first_ra = last_ra_arrival(l, t);
	sim_time ra = last_ra_arrival(l, 20 * SIM_S);
	CU_ASSERT_TRUE_FATAL(first_ra > 5 * SIM_S && ra >= first_ra);
	nd_rtadv_stop(l->em0);
	unsigned ra_s = (unsigned)(ra / SIM_S), left = ra_s + 100 - 20;
	char exp[96];
	snprintf(exp, sizeof exp, "flags=LAO vltime=100, pltime=50, expire=%um%us, ref=1",
	         left / 60, left % 60);
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p"), 0);
	const char *const at20[] = { "2001:db8:7::/64 if=sk0", exp, "  advertised by",
		                     "    " PEER_LL "%sk0 (reachable)", "fe80::%sk0/64 if=sk0",
		                     "flags=LAO vltime=infinity, pltime=infinity, expire=Never, ref=0",
		                     "  No advertising router" };
	CU_ASSERT_TRUE(same_lines(l, l->k7, m, at20, 7));
	/* In the second of its expiry: 0s; the next second it is gone. */
	sim_run_until(l->sim, (sim_time)(ra_s + 100) * SIM_S);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p | grep expire=0s"), 0);
	ASSERT_LINES(l, l->k7, m, "flags=LAO vltime=100, pltime=50, expire=0s, ref=1");
	sim_run_until(l->sim, (sim_time)(ra_s + 101) * SIM_S);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p"), 0);
	ASSERT_LINES(l, l->k7, m, "fe80::%sk0/64 if=sk0",
	             "flags=LAO vltime=infinity, pltime=infinity, expire=Never, ref=0",
	             "  No advertising router");
	lan_free(l);

	/* Just after the first RA: both prefixes, the A-only one newest. Its
	 * O is the connected route the simulator makes for every address
	 * (in6.c); FreeBSD would route an off-link prefix's address nowhere. */
	l = expiry_lan(first_ra + SIM_MS);
	m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -p | grep -v fe80::%sk0/64"), 0);
	const char *const early[] = { "2001:db8:8::/64 if=sk0",
		                      "flags=AO vltime=0, pltime=0, expire=0s, ref=1", "  advertised by",
		                      "    " PEER_LL "%sk0 (reachable)", "2001:db8:7::/64 if=sk0",
		                      "flags=LAO vltime=100, pltime=50, expire=1m40s, ref=1",
		                      "  advertised by", "    " PEER_LL "%sk0 (reachable)",
		                      "flags=LAO vltime=infinity, pltime=infinity, expire=Never, ref=0",
		                      "  No advertising router" };
	CU_ASSERT_TRUE(same_lines(l, l->k7, m, early, 10));
	lan_free(l);
}

static void test_ndp_usage(void)
{
	struct lan *l = lan_new();
	size_t m = mark(l);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -x"), APPS_EX_USAGE);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp"), APPS_EX_USAGE);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ndp -a -c"), APPS_EX_USAGE);
	const char *got[32];
	size_t n = lines_of(l, l->k7, m, got, NULL, 32);
	CU_ASSERT_EQUAL_FATAL(n, 3 * 8 + 1);
	CU_ASSERT_STRING_EQUAL(got[0], "ndp: illegal option -- x");
	CU_ASSERT_STRING_EQUAL(got[1], "usage: ndp [-nt] hostname");
	CU_ASSERT_STRING_EQUAL(got[2], "       ndp [-nt] -a | -c | -p | -r | -H | -P | -R");
	lan_free(l);
}

int suite_apps(void)
{
	CU_pSuite s = CU_add_suite("apps", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "ping6_linklocal_scope", test_ping6_linklocal_scope) ||
	    !CU_add_test(s, "ping6_seed_form", test_ping6_seed_form) ||
	    !CU_add_test(s, "ping6_no_answer_timing", test_ping6_no_answer_timing) ||
	    !CU_add_test(s, "ping6_wire", test_ping6_wire) ||
	    !CU_add_test(s, "ping6_no_route", test_ping6_no_route) ||
	    !CU_add_test(s, "ping6_verbose_error", test_ping6_verbose_error) ||
	    !CU_add_test(s, "ping6_usage", test_ping6_usage) ||
	    !CU_add_test(s, "ping6_grep_and_interrupt", test_ping6_grep_and_interrupt) ||
	    !CU_add_test(s, "bad_input", test_bad_input) ||
	    !CU_add_test(s, "bridge_node", test_bridge_node) ||
	    !CU_add_test(s, "ping4", test_ping4) ||
	    !CU_add_test(s, "ifconfig_show_and_set", test_ifconfig_show_and_set) ||
	    !CU_add_test(s, "route_and_netstat", test_route_and_netstat) ||
	    !CU_add_test(s, "sysctl", test_sysctl) ||
	    !CU_add_test(s, "shell", test_shell) ||
	    !CU_add_test(s, "rtadvd", test_rtadvd) ||
	    !CU_add_test(s, "ndp_cache", test_ndp_cache) ||
	    !CU_add_test(s, "ndp_incomplete_and_flush", test_ndp_incomplete_and_flush) ||
	    !CU_add_test(s, "ndp_router", test_ndp_router) ||
	    !CU_add_test(s, "ndp_prefixes", test_ndp_prefixes) ||
	    !CU_add_test(s, "ndp_prefix_expiry", test_ndp_prefix_expiry) ||
	    !CU_add_test(s, "ndp_usage", test_ndp_usage))
		return -1;
	return 0;
}
