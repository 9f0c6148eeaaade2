/*
 * DHCPv6 with prefix delegation (RFC 8415): the codec against messages
 * written out byte by byte from section 8's message format and section
 * 21's option formats (Client/Server Identifier 21.2/21.3, Elapsed Time
 * 21.9, IA_PD 21.21, IA Prefix 21.22, Status Code 21.13, DUID-LLT 11.2);
 * every truncated or malformed option refused with its offset; then
 * dhcp6c and dhcp6s on two nodes: Bound with the seed's address on sk0,
 * Renew at T1, Release, the Solicit backoff with no server, rapid commit
 * (one Solicit, one Reply, bound), and a Reply without Rapid Commit to a
 * Solicit ignored as WIDE's dhcp6c ignores it; the address put on sk0
 * tentative and probed by DAD (one NS from ::, as libnet builds it) before
 * it is a source, and left unused when another node answers the probe.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "nettest.h"
#include "apps/apps.h"
#include "net/dhcp6.h"
#include "ntpkt.h"
#include "pktbuild.h"
#include "transport/transport.h"

int suite_dhcp6(void);

/* A Solicit as WIDE's dhcp6c sends it for `send ia-pd 0`: type 1, xid
 * 0x123456; Client ID = DUID-LLT (type 1, hw 1, time 0x12804e37, MAC
 * 00:0f:ea:2c:d5:18); Elapsed Time 0; IA_PD IAID 0, T1 0, T2 0. */
static const uint8_t SOLICIT[] = {
	0x01, 0x12, 0x34, 0x56,
	0x00, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01, 0x12, 0x80, 0x4e, 0x37,
	0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18,
	0x00, 0x08, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x19, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* A Reply delegating 2001:44b8:7bf1:a50::/60: xid 0xabcdef, Client ID as
 * above, Server ID DUID-LLT(0x12804e00, 00:0c:86:75:24:1b), IA_PD IAID 0
 * T1 1800 T2 2880 with an IA Prefix preferred 3600 valid 7200. */
static const uint8_t REPLY[] = {
	0x07, 0xab, 0xcd, 0xef,
	0x00, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01, 0x12, 0x80, 0x4e, 0x37,
	0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18,
	0x00, 0x02, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01, 0x12, 0x80, 0x4e, 0x00,
	0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b,
	0x00, 0x19, 0x00, 0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x08,
	0x00, 0x00, 0x0b, 0x40,
	0x00, 0x1a, 0x00, 0x19, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x00, 0x1c, 0x20, 0x3c,
	0x20, 0x01, 0x44, 0xb8, 0x7b, 0xf1, 0x0a, 0x50, 0, 0, 0, 0, 0, 0, 0, 0,
};

static const uint8_t K7_MAC[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t ISP_MAC[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };

static void test_encode_solicit(void)
{
	struct dhcp6_msg m;
	memset(&m, 0, sizeof m);
	m.type = DH6_SOLICIT;
	m.xid = 0x123456;
	dhcp6_duid_llt(&m.clientid, 0x12804e37, K7_MAC);
	m.has_elapsed = true;
	m.niapd = 1;
	uint8_t buf[256];
	size_t len = dhcp6_encode(&m, buf, sizeof buf);
	CU_ASSERT_TRUE(nt_same("solicit", buf, len, SOLICIT, sizeof SOLICIT));
	CU_ASSERT_EQUAL(dhcp6_encode(&m, buf, sizeof SOLICIT - 1), 0); /* too small */
}

static void test_encode_reply(void)
{
	struct dhcp6_msg m;
	memset(&m, 0, sizeof m);
	m.type = DH6_REPLY;
	m.xid = 0xabcdef;
	dhcp6_duid_llt(&m.clientid, 0x12804e37, K7_MAC);
	dhcp6_duid_llt(&m.serverid, 0x12804e00, ISP_MAC);
	m.niapd = 1;
	m.iapd[0] = (struct dhcp6_iapd){ .iaid = 0, .t1 = 1800, .t2 = 2880, .nprefix = 1 };
	m.iapd[0].prefix[0] = (struct dhcp6_prefix){ .preferred = 3600, .valid = 7200, .plen = 60 };
	pb_addr6("2001:44b8:7bf1:a50::", m.iapd[0].prefix[0].addr);
	uint8_t buf[256];
	size_t len = dhcp6_encode(&m, buf, sizeof buf);
	CU_ASSERT_TRUE(nt_same("reply", buf, len, REPLY, sizeof REPLY));
}

static void test_decode_roundtrip(void)
{
	struct dhcp6_msg m;
	struct dhcp6_error e;
	CU_ASSERT_EQUAL_FATAL(dhcp6_decode(REPLY, sizeof REPLY, &m, &e), 0);
	CU_ASSERT_EQUAL(m.type, DH6_REPLY);
	CU_ASSERT_EQUAL(m.xid, 0xabcdef);
	CU_ASSERT_EQUAL(m.clientid.len, 14);
	CU_ASSERT_EQUAL(m.serverid.id[13], 0x1b);
	CU_ASSERT_EQUAL_FATAL(m.niapd, 1);
	CU_ASSERT_EQUAL(m.iapd[0].t1, 1800);
	CU_ASSERT_EQUAL(m.iapd[0].t2, 2880);
	CU_ASSERT_EQUAL_FATAL(m.iapd[0].nprefix, 1);
	CU_ASSERT_EQUAL(m.iapd[0].prefix[0].plen, 60);
	CU_ASSERT_EQUAL(m.iapd[0].prefix[0].valid, 7200);
	CU_ASSERT_EQUAL(m.iapd[0].prefix[0].addr[7], 0x50);
	uint8_t buf[256];
	size_t len = dhcp6_encode(&m, buf, sizeof buf);
	CU_ASSERT_TRUE(nt_same("re-encoded", buf, len, REPLY, sizeof REPLY));
	char s[64];
	dhcp6_duid_str(&m.clientid, s, sizeof s);
	CU_ASSERT_STRING_EQUAL(s, "00:01:00:01:12:80:4e:37:00:0f:ea:2c:d5:18");
}

/* Decode `p` and expect error `code` at `offset` on option `opt`. */
static void expect_err(const uint8_t *p, size_t len, enum dhcp6_err code, size_t offset,
                       uint16_t opt)
{
	struct dhcp6_msg m;
	struct dhcp6_error e;
	CU_ASSERT_EQUAL(dhcp6_decode(p, len, &m, &e), -1);
	CU_ASSERT_EQUAL(e.code, code);
	CU_ASSERT_EQUAL(e.offset, offset);
	CU_ASSERT_EQUAL(e.option, opt);
}

static void test_truncated_everywhere(void)
{
	/* Every cut of the Reply is refused, except at option boundaries. */
	static const size_t ends[] = { 4, 22, 40 };
	for (size_t cut = 0; cut < sizeof REPLY; cut++) {
		bool boundary = false;
		for (size_t k = 0; k < 3; k++)
			boundary |= cut == ends[k];
		struct dhcp6_msg m;
		struct dhcp6_error e;
		int r = dhcp6_decode(REPLY, cut, &m, &e);
		CU_ASSERT_EQUAL(r, boundary ? 0 : -1);
	}
	expect_err(REPLY, 3, DHCP6_ERR_SHORT, 0, 0);
	expect_err(REPLY, 6, DHCP6_ERR_OPTHDR, 4, 1);      /* 2 bytes of header */
	expect_err(REPLY, 20, DHCP6_ERR_OPTLEN, 4, 1);     /* Client ID cut */
	expect_err(REPLY, 60, DHCP6_ERR_OPTLEN, 40, 25);   /* IA_PD cut */
}

static void test_malformed_options(void)
{
	uint8_t b[sizeof REPLY];
	memcpy(b, REPLY, sizeof b);
	b[43] = 0x2a; /* IA_PD claims one byte more than there is */
	expect_err(b, sizeof b, DHCP6_ERR_OPTLEN, 40, 25);
	memcpy(b, REPLY, sizeof b);
	b[59] = 0x1a; /* IA Prefix longer than its IA_PD */
	expect_err(b, sizeof b, DHCP6_ERR_OPTLEN, 56, 26);
	/* IA Prefix shorter than its 25 fixed bytes, IA_PD resized to match */
	memcpy(b, REPLY, sizeof b);
	b[59] = 0x18;
	b[43] = 0x28;
	expect_err(b, sizeof b - 1, DHCP6_ERR_BADLEN, 56, 26);
	/* IA_PD shorter than IAID+T1+T2 */
	static const uint8_t shortia[] = { 7, 0, 0, 1, 0, 25, 0, 4, 0, 0, 0, 0 };
	expect_err(shortia, sizeof shortia, DHCP6_ERR_BADLEN, 4, 25);
	static const uint8_t elapsed3[] = { 1, 0, 0, 1, 0, 8, 0, 3, 0, 0, 0 };
	expect_err(elapsed3, sizeof elapsed3, DHCP6_ERR_BADLEN, 4, 8);
	static const uint8_t pref2[] = { 2, 0, 0, 1, 0, 7, 0, 2, 0, 0 };
	expect_err(pref2, sizeof pref2, DHCP6_ERR_BADLEN, 4, 7);
	static const uint8_t rapid1[] = { 1, 0, 0, 1, 0, 14, 0, 1, 0 };
	expect_err(rapid1, sizeof rapid1, DHCP6_ERR_BADLEN, 4, 14);
	static const uint8_t oro3[] = { 1, 0, 0, 1, 0, 6, 0, 3, 0, 23, 0 };
	expect_err(oro3, sizeof oro3, DHCP6_ERR_BADLEN, 4, 6);
	static const uint8_t dns15[23] = { 7, 0, 0, 1, 0, 23, 0, 15 };
	expect_err(dns15, sizeof dns15, DHCP6_ERR_BADLEN, 4, 23);
	static const uint8_t duid1[] = { 7, 0, 0, 1, 0, 2, 0, 1, 0 };
	expect_err(duid1, sizeof duid1, DHCP6_ERR_BADLEN, 4, 2);
	static const uint8_t status1[] = { 7, 0, 0, 1, 0, 13, 0, 1, 0 };
	expect_err(status1, sizeof status1, DHCP6_ERR_BADLEN, 4, 13);
	static const uint8_t twoclients[] = { 7, 0, 0, 1, 0, 1, 0, 2, 0, 3, 0, 1, 0, 2, 0, 3 };
	expect_err(twoclients, sizeof twoclients, DHCP6_ERR_DUP, 10, 1);
	static const uint8_t toplevel_prefix[33] = { 7, 0, 0, 1, 0, 26, 0, 25 };
	expect_err(toplevel_prefix, sizeof toplevel_prefix, DHCP6_ERR_BADLEN, 4, 26);
	/* An unknown option is skipped, its length still checked. */
	static const uint8_t unknown[] = { 7, 0, 0, 1, 0x12, 0x34, 0, 2, 9, 9 };
	struct dhcp6_msg m;
	CU_ASSERT_EQUAL(dhcp6_decode(unknown, sizeof unknown, &m, NULL), 0);
	expect_err(unknown, sizeof unknown - 1, DHCP6_ERR_OPTLEN, 4, 0x1234);
	struct dhcp6_error e = { DHCP6_ERR_OPTLEN, 40, 25 };
	char text[96];
	dhcp6_strerror(&e, text, sizeof text);
	CU_ASSERT_STRING_EQUAL(text, "offset 40: option 25 (IA_PD): option runs past its container");
}

static void test_carve(void)
{
	uint8_t p[16], out[16], want[16], plen;
	pb_addr6("2001:44b8:7bf1:a50::", p);
	CU_ASSERT_TRUE(dhcp6_carve(p, 60, 1, 4, out, &plen));
	pb_addr6("2001:44b8:7bf1:a51::", want);
	CU_ASSERT_EQUAL(plen, 64);
	CU_ASSERT_EQUAL(memcmp(out, want, 16), 0);
	CU_ASSERT_TRUE(dhcp6_carve(p, 60, 0x1f, 4, out, &plen)); /* only sla-len bits count */
	pb_addr6("2001:44b8:7bf1:a5f::", want);
	CU_ASSERT_EQUAL(memcmp(out, want, 16), 0);
	CU_ASSERT_FALSE(dhcp6_carve(p, 60, 1, 5, out, &plen));  /* 60 + 5 + 64 > 128 */
	char nb[16];
	CU_ASSERT_STRING_EQUAL(dhcp6_msg_tcpdump_name(11, nb, sizeof nb), "inf-req");
	CU_ASSERT_STRING_EQUAL(dhcp6_msg_tcpdump_name(99, nb, sizeof nb), "msgtype-99");
}

/* ---- client and server on two nodes ------------------------------------------------- */

static const char CONF[] = "interface em0 {\n\tsend ia-pd 0;\n};\n"
                           "id-assoc pd {\n\tprefix-interface sk0 {\n\t\tsla-id 1;\n"
                           "\t\tsla-len 4;\n\t};\n};\n";

static struct nt_capture cap;    /* the WAN: DHCPv6 */
static struct nt_capture lancap; /* the LAN: sk0's DAD */

struct pd_lab {
	struct sim *sim;
	struct sim_node *k7, *isp;
	struct sim_iface *sk0;
};

/* A rapid-commit client: WIDE's `send rapid-commit;`. */
static const char RAPID_CONF[] = "interface em0 {\n\tsend ia-pd 0;\n\tsend rapid-commit;\n};\n"
                                 "id-assoc pd {\n\tprefix-interface sk0 {\n\t\tsla-id 1;\n"
                                 "\t\tsla-len 4;\n\t};\n};\n";

static void lab_conf(struct pd_lab *l, bool server, const char *conf)
{
	static const uint8_t em0_mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x19 };
	l->sim = sim_new(20091106, 1257508740ull * SIM_S); /* 2009-11-06 11:59:00 UTC */
	struct sim_link *wan = sim_link_add(l->sim, "wan", LINK_ETHERNET);
	struct sim_link *lan = sim_link_add(l->sim, "lan", LINK_ETHERNET);
	memset(&cap, 0, sizeof cap);
	memset(&lancap, 0, sizeof lancap);
	sim_link_tap(wan, nt_tap, &cap);
	sim_link_tap(lan, nt_tap, &lancap);
	struct sim_iface *em0 = nt_node(l->sim, "k7", NODE_FREEBSD, "em0", em0_mac, wan);
	l->k7 = em0->node;
	l->sk0 = sim_iface_add(l->k7, "sk0", K7_MAC);
	sim_link_attach(lan, l->sk0);
	struct sim_iface *eth0 = nt_node(l->sim, "isp", NODE_ISP, "eth0", ISP_MAC, wan);
	l->isp = eth0->node;
	transport_node_init(l->k7);
	transport_node_init(l->isp);
	net_iface_up(em0);
	net_iface_up(l->sk0);
	net_iface_up(eth0);
	sim_file_put(l->k7, "/usr/local/etc/dhcp6c.conf", conf, strlen(conf), "test");
	sim_run_until(l->sim, 5 * SIM_S);
	if (server)
		CU_ASSERT_EQUAL(apps_run(l->isp, "dhcp6s -t 300,480 -l 600,1200 eth0"), 0);
	CU_ASSERT_EQUAL(apps_run(l->k7, "dhcp6c -f -d em0"), 0);
}

static void lab(struct pd_lab *l, bool server)
{
	lab_conf(l, server, CONF);
}

static void lab_free(struct pd_lab *l)
{
	transport_node_free(l->k7);
	transport_node_free(l->isp);
	sim_free(l->sim);
}

/* Index of the n-th DHCPv6 message of `type` in the capture, -1 if none. */
static int find_dhcp6(int type, int nth)
{
	for (int i = 0; i < cap.n; i++) {
		const uint8_t *f = cap.f[i].data;
		if (cap.f[i].len > 14 + 40 + 8 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 17 &&
		    f[14 + 40 + 8] == type && nth-- == 0)
			return i;
	}
	return -1;
}

static bool has_addr(struct sim_iface *ifp, const char *text)
{
	uint8_t a[16];
	pb_addr6(text, a);
	return in6_addr_find(ifp, a) != NULL;
}

static void test_bound_and_renew(void)
{
	struct pd_lab l;
	lab(&l, true);
	sim_run_until(l.sim, 10 * SIM_S);
	CU_ASSERT_STRING_EQUAL(dhcp6c_state_name(l.k7), "BOUND");
	CU_ASSERT_TRUE(has_addr(l.sk0, "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"));
	int solicit = find_dhcp6(DH6_SOLICIT, 0), reply = find_dhcp6(DH6_REPLY, 0);
	CU_ASSERT_TRUE(solicit >= 0 && find_dhcp6(DH6_ADVERTISE, 0) > solicit);
	CU_ASSERT_TRUE_FATAL(reply >= 0);
	/* The first Solicit waits 0-1 s (SOL_MAX_DELAY). */
	CU_ASSERT_TRUE(cap.f[solicit].at >= 5 * SIM_S && cap.f[solicit].at <= 6 * SIM_S);
	CU_ASSERT_EQUAL(find_dhcp6(DH6_RENEW, 0), -1);
	sim_run_until(l.sim, 400 * SIM_S);
	int renew = find_dhcp6(DH6_RENEW, 0);
	CU_ASSERT_TRUE_FATAL(renew >= 0);
	sim_time t1_at = cap.f[reply].at + 300 * SIM_S; /* T1 from the Reply */
	CU_ASSERT_TRUE(cap.f[renew].at >= t1_at && cap.f[renew].at < t1_at + SIM_MS);
	CU_ASSERT_TRUE(find_dhcp6(DH6_REPLY, 1) > renew);
	CU_ASSERT_STRING_EQUAL(dhcp6c_state_name(l.k7), "BOUND");
	CU_ASSERT_EQUAL(apps_run(l.k7, "killall dhcp6c"), 0);
	sim_run_until(l.sim, 410 * SIM_S);
	CU_ASSERT_TRUE(find_dhcp6(DH6_RELEASE, 0) > renew);
	CU_ASSERT_FALSE(has_addr(l.sk0, "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"));
	CU_ASSERT_STRING_EQUAL(dhcp6c_state_name(l.k7), "EXITED");
	/* Same DUID + IAID: the same prefix again. */
	CU_ASSERT_EQUAL(apps_run(l.k7, "dhcp6c em0"), 0);
	sim_run_until(l.sim, 420 * SIM_S);
	CU_ASSERT_TRUE(has_addr(l.sk0, "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"));
	lab_free(&l);
}

/* The DHCPv6 message of capture frame i, decoded (false: it is not one). */
static bool frame_msg(int i, struct dhcp6_msg *m)
{
	const size_t off = 14 + 40 + 8;
	return i >= 0 && cap.f[i].len > off && dhcp6_decode(cap.f[i].data + off, cap.f[i].len - off, m, NULL) == 0;
}

/* A transcript line of the node (dhcp6c -f's log) ending with `tail`. */
static bool said(const struct sim *sim, const char *tail)
{
	size_t n = strlen(tail);
	for (size_t i = 0; i < sim->out.n; i++) {
		size_t len = strlen(sim->out.lines[i].text);
		if (len >= n && strcmp(sim->out.lines[i].text + len - n, tail) == 0)
			return true;
	}
	return false;
}

/* `send rapid-commit;` (RFC 8415 18.2.1): the Solicit carries Rapid Commit,
 * dhcp6s answers it with a Reply that carries it too and commits; the client
 * is bound from that Reply: no Advertise, no Request, no second Solicit. */
static void test_rapid_commit(void)
{
	struct pd_lab l;
	struct dhcp6_msg m;
	lab_conf(&l, true, RAPID_CONF);
	sim_run_until(l.sim, 60 * SIM_S);
	int solicit = find_dhcp6(DH6_SOLICIT, 0), reply = find_dhcp6(DH6_REPLY, 0);
	CU_ASSERT_TRUE_FATAL(frame_msg(solicit, &m));
	CU_ASSERT_TRUE(m.rapid_commit);
	CU_ASSERT_TRUE_FATAL(reply > solicit && frame_msg(reply, &m));
	CU_ASSERT_TRUE(m.rapid_commit);
	CU_ASSERT_EQUAL(find_dhcp6(DH6_ADVERTISE, 0), -1);
	CU_ASSERT_EQUAL(find_dhcp6(DH6_REQUEST, 0), -1);
	CU_ASSERT_EQUAL(find_dhcp6(DH6_SOLICIT, 1), -1);
	CU_ASSERT_STRING_EQUAL(dhcp6c_state_name(l.k7), "BOUND");
	CU_ASSERT_TRUE(has_addr(l.sk0, "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"));
	CU_ASSERT_FALSE(said(l.sim, "unexpected reply"));
	lab_free(&l);
}

/* A server that answers every Solicit with a Reply delegating
 * 2001:44b8:7bf1:a50::/60, without Rapid Commit: not what RFC 3315 17.1.4
 * lets a rapid-commit client take, nor what any client takes in Solicit. */
static void reply_to_solicit(void *user, struct udp_sock *s, const struct tp_addr *from,
                             const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct dhcp6_msg q, r = { .type = DH6_REPLY, .niapd = 1 };
	uint8_t buf[DHCP6_MSG_MAX];
	(void)user;
	(void)to;
	if (dhcp6_decode(data, len, &q, NULL) < 0 || q.type != DH6_SOLICIT || q.niapd != 1)
		return;
	r.xid = q.xid;
	r.clientid = q.clientid;
	dhcp6_duid_llt(&r.serverid, 0x12804e00, ISP_MAC);
	r.iapd[0] = (struct dhcp6_iapd){ .iaid = q.iapd[0].iaid, .t1 = 300, .t2 = 480, .nprefix = 1 };
	r.iapd[0].prefix[0] = (struct dhcp6_prefix){ .preferred = 600, .valid = 1200, .plen = 60 };
	pb_addr6("2001:44b8:7bf1:a50::", r.iapd[0].prefix[0].addr);
	size_t n = dhcp6_encode(&r, buf, sizeof buf);
	if (n)
		udp_sendto(s, from, buf, n, NULL);
}

static void reply_without_commit(const char *conf, const char *logged)
{
	struct pd_lab l;
	lab_conf(&l, false, conf);
	struct udp_sock *srv = udp_bind(l.isp, 6, 547, reply_to_solicit, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	in6_join(sim_iface_find(l.isp, "eth0"), dhcp6_all_agents);
	sim_run_until(l.sim, 12 * SIM_S);
	CU_ASSERT_TRUE(find_dhcp6(DH6_REPLY, 0) > find_dhcp6(DH6_SOLICIT, 0));
	CU_ASSERT_TRUE(said(l.sim, logged));
	CU_ASSERT_STRING_EQUAL(dhcp6c_state_name(l.k7), "SOLICIT");
	CU_ASSERT_TRUE(find_dhcp6(DH6_SOLICIT, 2) >= 0); /* still soliciting */
	CU_ASSERT_FALSE(has_addr(l.sk0, "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"));
	udp_close(srv);
	lab_free(&l);
}

static void test_reply_without_commit(void)
{
	reply_without_commit(RAPID_CONF, "client6_recvreply: no rapid commit");
	reply_without_commit(CONF, "client6_recv: unexpected reply");
}

/* No server: Solicits at RT = IRT(1+RAND), RAND in (0, 0.1], then
 * RT = 2RT(1+RAND/2)... i.e. each gap in [1.9, 2.1] x the previous one,
 * capped near SOL_MAX_RT (3600 s) within +-10%. */
static void test_solicit_backoff(void)
{
	struct pd_lab l;
	lab(&l, false);
	sim_run_until(l.sim, 3 * 3600 * SIM_S);
	int n = 0;
	sim_time at[64];
	for (int i; n < 64 && (i = find_dhcp6(DH6_SOLICIT, n)) >= 0; n++)
		at[n] = cap.f[i].at;
	CU_ASSERT_TRUE_FATAL(n >= 13);
	double g0 = (double)(at[1] - at[0]) / SIM_S;
	CU_ASSERT_TRUE(g0 > 1.0 && g0 <= 1.1);
	for (int i = 2; i < n; i++) {
		double prev = (double)(at[i - 1] - at[i - 2]), gap = (double)(at[i] - at[i - 1]);
		if (gap < 0.9 * 3600 * SIM_S)
			CU_ASSERT_TRUE(gap >= 1.9 * prev && gap <= 2.1 * prev);
		CU_ASSERT_TRUE(gap <= 1.1 * 3600 * SIM_S);
	}
	double last = (double)(at[n - 1] - at[n - 2]) / SIM_S;
	CU_ASSERT_TRUE(last >= 0.9 * 3600 && last <= 1.1 * 3600);
	lab_free(&l);
}

/* ---- the address on sk0 goes through DAD (FreeBSD's in6_update_ifa) ------------ */

#define PD_ADDR "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518"

/* Index of the n-th Neighbor Solicitation from :: for the delegated
 * address on the LAN, -1 if none. */
static int find_dad_ns(int nth)
{
	static const uint8_t unspec[16];
	uint8_t pd[16];
	pb_addr6(PD_ADDR, pd);
	for (int i = 0; i < lancap.n; i++) {
		const uint8_t *f = lancap.f[i].data;
		if (lancap.f[i].len >= 14 + 40 + 24 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 58 &&
		    f[54] == 135 && memcmp(f + 22, unspec, 16) == 0 && memcmp(f + 62, pd, 16) == 0 &&
		    nth-- == 0)
			return i;
	}
	return -1;
}

/* IN6_IFF_* of text on ifp; -1 when ifp does not have it. */
static int addr_flags(struct sim_iface *ifp, const char *text)
{
	uint8_t a[16];
	pb_addr6(text, a);
	const struct in6_ifaddr *ia = in6_addr_find(ifp, a);
	return ia ? ia->flags : -1;
}

/* Run in 1 ms steps until dhcp6c is bound (at most until `limit`). */
static void run_until_bound(struct pd_lab *l, sim_time limit)
{
	while (strcmp(dhcp6c_state_name(l->k7), "BOUND") != 0 && l->sim->now < limit)
		sim_run_until(l->sim, l->sim->now + SIM_MS);
}

/* Whether k7 would send to www.isc.org from the delegated address. */
static bool sources_from_pd(struct pd_lab *l)
{
	uint8_t far[16], pd[16];
	pb_addr6("2001:4f8:fff6::21", far);
	pb_addr6(PD_ADDR, pd);
	const uint8_t *src = ip6_select_source(l->k7, far, NULL);
	return src && memcmp(src, pd, 16) == 0;
}

static void test_pd_address_dad(void)
{
	struct pd_lab l;
	uint8_t pd[16], exp[128];
	pb_addr6(PD_ADDR, pd);
	lab(&l, true);
	run_until_bound(&l, 20 * SIM_S);
	CU_ASSERT_STRING_EQUAL_FATAL(dhcp6c_state_name(l.k7), "BOUND");
	/* Added by the Reply, tentative: no source, not an address of ours yet. */
	sim_time bound_at = l.sim->now;
	CU_ASSERT_EQUAL(addr_flags(l.sk0, PD_ADDR), IN6_IFF_TENTATIVE);
	CU_ASSERT_FALSE(sources_from_pd(&l));
	CU_ASSERT_FALSE(ip6_is_local(l.k7, pd, NULL));
	/* Usable RetransTimer (1 s) after its one probe, which waits 0-1 s. */
	while (addr_flags(l.sk0, PD_ADDR) == IN6_IFF_TENTATIVE && l.sim->now < bound_at + 3 * SIM_S)
		sim_run_until(l.sim, l.sim->now + SIM_MS);
	sim_time usable_at = l.sim->now;
	CU_ASSERT_EQUAL(addr_flags(l.sk0, PD_ADDR), 0);
	int ns = find_dad_ns(0);
	CU_ASSERT_TRUE_FATAL(ns >= 0);
	CU_ASSERT_EQUAL(find_dad_ns(1), -1); /* DupAddrDetectTransmits 1 */
	CU_ASSERT_TRUE(lancap.f[ns].at >= bound_at - SIM_MS && lancap.f[ns].at < bound_at + SIM_S);
	CU_ASSERT_TRUE(usable_at >= lancap.f[ns].at + SIM_S &&
	               usable_at <= lancap.f[ns].at + SIM_S + SIM_MS);
	static const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0x2c, 0xd5, 0x18 };
	size_t n = nt_build_ns(exp, sizeof exp, sn_mac, K7_MAC, "::", "ff02::1:ff2c:d518", PD_ADDR,
	                       NULL);
	CU_ASSERT_TRUE(nt_same("DAD NS", lancap.f[ns].data, lancap.f[ns].len, exp, n));
	CU_ASSERT_TRUE(sources_from_pd(&l));
	CU_ASSERT_TRUE(ip6_is_local(l.k7, pd, NULL));
	lab_free(&l);
}

/* Another node on the LAN already has the address: its NA to the probe
 * marks ours duplicated (RFC 4862 5.4.4), and k7 never sends from it. */
static void test_pd_address_duplicate(void)
{
	static const uint8_t pc_mac[6] = { 0x00, 0x13, 0xd4, 0xa1, 0x5e, 0x07 };
	struct pd_lab l;
	uint8_t pd[16];
	pb_addr6(PD_ADDR, pd);
	lab(&l, true);
	struct sim_iface *em0 = nt_node(l.sim, "pc", NODE_FREEBSD, "em0", pc_mac, l.sk0->link);
	net_iface_up(em0);
	CU_ASSERT_EQUAL(in6_addr_add(em0, pd, 64, 0, SIM_NEVER, SIM_NEVER), 0);
	sim_run_until(l.sim, 20 * SIM_S);
	CU_ASSERT_STRING_EQUAL(dhcp6c_state_name(l.k7), "BOUND");
	CU_ASSERT_EQUAL(addr_flags(l.sk0, PD_ADDR), IN6_IFF_DUPLICATED);
	CU_ASSERT_TRUE(find_dad_ns(0) >= 0);
	CU_ASSERT_TRUE(nt_find_icmp6(&lancap, 0, 136) > find_dad_ns(0));
	CU_ASSERT_FALSE(sources_from_pd(&l));
	CU_ASSERT_FALSE(ip6_is_local(l.k7, pd, NULL));
	lab_free(&l);
}

int suite_dhcp6(void)
{
	CU_pSuite s = CU_add_suite("dhcp6", NULL, NULL);
	if (!s || !CU_add_test(s, "encode_solicit", test_encode_solicit) ||
	    !CU_add_test(s, "encode_reply", test_encode_reply) ||
	    !CU_add_test(s, "decode_roundtrip", test_decode_roundtrip) ||
	    !CU_add_test(s, "truncated_everywhere", test_truncated_everywhere) ||
	    !CU_add_test(s, "malformed_options", test_malformed_options) ||
	    !CU_add_test(s, "carve", test_carve) ||
	    !CU_add_test(s, "bound_and_renew", test_bound_and_renew) ||
	    !CU_add_test(s, "solicit_backoff", test_solicit_backoff) ||
	    !CU_add_test(s, "rapid_commit", test_rapid_commit) ||
	    !CU_add_test(s, "reply_without_commit", test_reply_without_commit) ||
	    !CU_add_test(s, "pd_address_dad", test_pd_address_dad) ||
	    !CU_add_test(s, "pd_address_duplicate", test_pd_address_duplicate))
		return -1;
	return 0;
}
