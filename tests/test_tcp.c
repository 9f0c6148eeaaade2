/*
 * TCP (and UDP, IPv4, ARP, ICMP) between simulated nodes: two hosts on an
 * Ethernet link, every frame captured by a tap. Expected segments are
 * built independently with libnet (LIBNET_NONE); sequence numbers, ports
 * and IP identifications, which come from the scenario's PRNG and counters,
 * are read from the captured packets and must be consistent with each
 * other (ack = seq + 1, ...).
 */
#include <CUnit/CUnit.h>
#include <libnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "pktbuild.h"
#include "transport/transport.h"

int suite_tcp(void);

#define MAXFRAMES 8192
#define SNAP 1600

struct frame {
	uint8_t data[SNAP];
	size_t len;
	bool lost;
	const struct sim_iface *from;
	sim_time time;
};

/* Two hosts, a and b, on one Ethernet link, and what the test saw. */
struct lab {
	struct sim *sim;
	struct sim_node *a, *b;
	struct sim_iface *ia, *ib;
	struct sim_link *link;
	struct frame *f;
	size_t nf;
	/* state changes seen, as "a:SYN_SENT" strings */
	char states[64][32];
	int nstates;
	/* what the applications received */
	uint8_t rx_a[200000], rx_b[200000];
	size_t nrx_a, nrx_b;
	int connected, accepted, closed_a, closed_b, errors_a, errors_b;
	char err_a[64], err_b[64];
	struct tcp_conn *ca, *cb; /* client on a, server side on b */
	bool b_closes_on_fin, a_closes_on_fin, b_echo;
};

static const uint8_t MAC_A[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t MAC_B[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };
#define IP_A "192.0.2.1"
#define IP_B "192.0.2.2"
#define IP6_A "2001:db8:1::a"
#define IP6_B "2001:db8:1::b"

static void tap(void *user, const struct sim_frame_info *fi)
{
	struct lab *L = user;
	if (L->nf >= MAXFRAMES)
		return;
	struct frame *f = &L->f[L->nf++];
	f->len = fi->len < SNAP ? fi->len : SNAP;
	memcpy(f->data, fi->data, f->len);
	f->lost = fi->lost;
	f->from = fi->from;
	f->time = fi->time;
}

static void on_state(void *user, const struct tcp_conn *c, enum tcp_state from, enum tcp_state to)
{
	struct lab *L = user;
	(void)from;
	struct tp_addr local;
	tcp_conn_endpoints(c, &local, NULL);
	/* Which node: the server side uses the well-known port. */
	const char *who = local.port < 1024 ? "b" : "a";
	if (L->nstates < 64)
		snprintf(L->states[L->nstates++], 32, "%s:%s", who, tcp_state_name(to));
}

static struct lab *lab_new(double loss, uint64_t seed)
{
	struct lab *L = calloc(1, sizeof *L);
	CU_ASSERT_FATAL(L != NULL);
	L->f = calloc(MAXFRAMES, sizeof *L->f);
	CU_ASSERT_FATAL(L->f != NULL);
	L->sim = sim_new(seed, 0);
	L->a = sim_node_add(L->sim, "a", NODE_HOST);
	L->b = sim_node_add(L->sim, "b", NODE_HOST);
	CU_ASSERT_FATAL(L->a && L->b);
	L->ia = sim_iface_add(L->a, "em0", MAC_A);
	L->ib = sim_iface_add(L->b, "em0", MAC_B);
	L->link = sim_link_add(L->sim, "lan", LINK_ETHERNET);
	CU_ASSERT_FATAL(L->ia && L->ib && L->link);
	L->link->delay = 1 * SIM_MS;
	sim_link_attach(L->link, L->ia);
	sim_link_attach(L->link, L->ib);
	net_node_init(L->a);
	net_node_init(L->b);
	net_iface_up(L->ia);
	net_iface_up(L->ib);
	uint8_t a4[4], b4[4], a6[16], b6[16];
	pb_addr4(IP_A, a4);
	pb_addr4(IP_B, b4);
	pb_addr6(IP6_A, a6);
	pb_addr6(IP6_B, b6);
	CU_ASSERT(in4_addr_add(L->ia, a4, 24, NULL) == 0);
	CU_ASSERT(in4_addr_add(L->ib, b4, 24, NULL) == 0);
	in6_addr_add(L->ia, a6, 64, 0, SIM_NEVER, SIM_NEVER);
	in6_addr_add(L->ib, b6, 64, 0, SIM_NEVER, SIM_NEVER);
	transport_node_init(L->a);
	transport_node_init(L->b);
	tcp_trace_states(L->a, on_state, L);
	tcp_trace_states(L->b, on_state, L);
	sim_run_until(L->sim, 3 * SIM_S); /* DAD and router solicitations settle */
	sim_link_tap(L->link, tap, L);
	L->link->loss = loss;
	return L;
}

static void lab_free(struct lab *L)
{
	for (size_t i = 0; i < L->sim->nnodes; i++) {
		transport_node_free(L->sim->nodes[i]);
		net_node_free(L->sim->nodes[i]);
	}
	sim_free(L->sim);
	free(L->f);
	free(L);
}

static void run_for(struct lab *L, sim_time d)
{
	sim_run_until(L->sim, L->sim->now + d);
}

/* ---- frame access ---- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The IP packet of a frame, or NULL when it is not TCP (proto) over IP. */
static const uint8_t *ip_of(const struct frame *f, uint8_t proto, size_t *len, size_t *l4off)
{
	if (f->len < 14)
		return NULL;
	uint16_t et = rd16(f->data + 12);
	const uint8_t *ip = f->data + 14;
	*len = f->len - 14;
	if (et == 0x0800 && *len >= 20 && ip[9] == proto) {
		*l4off = (size_t)(ip[0] & 15) * 4;
		*len = rd16(ip + 2);
		return ip;
	}
	if (et == 0x86dd && *len >= 40 && ip[6] == proto) {
		*l4off = 40;
		*len = 40 + (size_t)rd16(ip + 4);
		return ip;
	}
	return NULL;
}

/* The k-th TCP segment seen (lost ones included when `lost`). */
static const struct frame *nth_tcp(struct lab *L, int k, bool lost)
{
	size_t len, off;
	for (size_t i = 0; i < L->nf; i++) {
		if (!ip_of(&L->f[i], 6, &len, &off) || (L->f[i].lost && !lost))
			continue;
		if (k-- == 0)
			return &L->f[i];
	}
	return NULL;
}

static const uint8_t *tcp_of(const struct frame *f)
{
	size_t len, off;
	const uint8_t *ip = ip_of(f, 6, &len, &off);
	return ip ? ip + off : NULL;
}

static int count_tcp_flags(struct lab *L, const struct sim_iface *from, uint8_t flags)
{
	int n = 0;
	for (size_t i = 0; i < L->nf; i++) {
		const uint8_t *t = tcp_of(&L->f[i]);
		if (t && L->f[i].from == from && (t[13] & flags) == flags)
			n++;
	}
	return n;
}

/* ---- expected segments, built with libnet ---- */

struct exp_seg {
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t mss;          /* 0: no option */
	uint16_t ip_id;        /* IPv4 */
	uint8_t tclass;        /* IPv6 */
	uint32_t flow;
	const uint8_t *data;
	size_t dlen;
	bool zero_window;      /* a RST for no connection advertises 0 */
};

static size_t build_expected(const struct exp_seg *e, int family, uint8_t *out, size_t cap)
{
	char errbuf[LIBNET_ERRBUF_SIZE];
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, errbuf);
	CU_ASSERT_FATAL(l != NULL);
	uint8_t opt[4] = { 2, 4, (uint8_t)(e->mss >> 8), (uint8_t)e->mss };
	uint32_t optlen = e->mss ? 4 : 0;
	if (optlen)
		CU_ASSERT_FATAL(libnet_build_tcp_options(opt, optlen, l, 0) != -1);
	uint32_t tcplen = LIBNET_TCP_H + optlen + (uint32_t)e->dlen;
	CU_ASSERT_FATAL(libnet_build_tcp(e->sport, e->dport, e->seq, e->ack, e->flags,
	                                 e->zero_window ? 0 : 65535, 0, 0,
	                                 (uint16_t)tcplen, e->dlen ? e->data : NULL,
	                                 (uint32_t)e->dlen, l, 0) != -1);
	if (family == 4) {
		uint8_t s[4], d[4];
		uint32_t src, dst;
		pb_addr4(e->src, s);
		pb_addr4(e->dst, d);
		memcpy(&src, s, 4);
		memcpy(&dst, d, 4);
		CU_ASSERT_FATAL(libnet_build_ipv4((uint16_t)(20 + tcplen), 0, e->ip_id, 0x4000, 64, 6, 0,
		                                  src, dst, NULL, 0, l, 0) != -1);
	} else {
		struct libnet_in6_addr s, d;
		pb_addr6(e->src, (uint8_t *)&s);
		pb_addr6(e->dst, (uint8_t *)&d);
		CU_ASSERT_FATAL(libnet_build_ipv6(e->tclass, e->flow, (uint16_t)tcplen, 6, 64, s, d, NULL,
		                                  0, l, 0) != -1);
	}
	uint8_t *pkt = NULL;
	uint32_t n = 0;
	CU_ASSERT_FATAL(libnet_pblock_coalesce(l, &pkt, &n) != -1);
	CU_ASSERT_FATAL(n <= cap);
	memcpy(out, pkt, n);
	libnet_adv_free_packet(l, pkt);
	libnet_destroy(l);
	/* Checksums with the tests' own RFC 1071 code, not libnet's. */
	if (family == 4)
		pb_fix_ip4_hdr(out);
	CU_ASSERT(pb_set_l4_csum(out, n, PB_CSUM_OK) == 0);
	return n;
}

/* The captured segment equals the libnet-built one, byte for byte. */
static void assert_segment(const struct frame *f, int family, struct exp_seg e)
{
	CU_ASSERT_FATAL(f != NULL);
	size_t len, off;
	const uint8_t *ip = ip_of(f, 6, &len, &off);
	CU_ASSERT_FATAL(ip != NULL);
	if (family == 4) {
		e.ip_id = rd16(ip + 4);
	} else {
		e.tclass = (uint8_t)((ip[0] & 15) << 4 | ip[1] >> 4);
		e.flow = (uint32_t)(ip[1] & 15) << 16 | rd16(ip + 2);
	}
	uint8_t exp[PB_MAX];
	size_t elen = build_expected(&e, family, exp, sizeof exp);
	CU_ASSERT(pb_l4_csum_ok(ip, len) == 1);
	CU_ASSERT_EQUAL(len, elen);
	if (len == elen && memcmp(ip, exp, len) != 0) {
		for (size_t i = 0; i < len; i++)
			if (ip[i] != exp[i]) {
				fprintf(stderr, "\n  segment differs at offset %zu: %02x, expected %02x\n", i,
				        ip[i], exp[i]);
				break;
			}
		CU_FAIL("segment bytes differ from the libnet-built one");
	}
}

/* ---- applications ---- */

static void a_connected(void *user, struct tcp_conn *c)
{
	struct lab *L = user;
	(void)c;
	L->connected++;
}

static void a_data(void *user, struct tcp_conn *c, const uint8_t *d, size_t n)
{
	struct lab *L = user;
	(void)c;
	if (L->nrx_a + n <= sizeof L->rx_a) {
		memcpy(L->rx_a + L->nrx_a, d, n);
		L->nrx_a += n;
	}
}

static void a_closed(void *user, struct tcp_conn *c)
{
	struct lab *L = user;
	L->closed_a++;
	if (L->a_closes_on_fin)
		tcp_close(c);
}

static void a_error(void *user, struct tcp_conn *c, const char *reason)
{
	struct lab *L = user;
	(void)c;
	L->errors_a++;
	snprintf(L->err_a, sizeof L->err_a, "%s", reason);
}

static void b_data(void *user, struct tcp_conn *c, const uint8_t *d, size_t n)
{
	struct lab *L = user;
	if (L->nrx_b + n <= sizeof L->rx_b) {
		memcpy(L->rx_b + L->nrx_b, d, n);
		L->nrx_b += n;
	}
	if (L->b_echo)
		tcp_send(c, d, n);
}

static void b_closed(void *user, struct tcp_conn *c)
{
	struct lab *L = user;
	L->closed_b++;
	if (L->b_closes_on_fin)
		tcp_close(c);
}

static void b_error(void *user, struct tcp_conn *c, const char *reason)
{
	struct lab *L = user;
	(void)c;
	L->errors_b++;
	snprintf(L->err_b, sizeof L->err_b, "%s", reason);
}

static void b_accept(void *user, struct tcp_conn *c)
{
	struct lab *L = user;
	struct tcp_callbacks cb = { NULL, b_data, b_closed, b_error, L };
	tcp_set_callbacks(c, &cb);
	L->accepted++;
	L->cb = c;
}

/* b listens on port, a connects to it; runs until established. */
static void open_conn(struct lab *L, int family, uint16_t port, sim_time wait)
{
	CU_ASSERT_FATAL(tcp_listen(L->b, family, port, b_accept, L) != NULL);
	struct tp_addr dst = { .family = (uint8_t)family, .port = port };
	if (family == 4)
		pb_addr4(IP_B, dst.addr);
	else
		pb_addr6(IP6_B, dst.addr);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	const char *err = NULL;
	L->ca = tcp_connect(L->a, &dst, &cb, &err);
	CU_ASSERT_FATAL(L->ca != NULL);
	run_for(L, wait);
}

static bool states_are(struct lab *L, const char *const *want, int n)
{
	bool ok = L->nstates == n;
	for (int i = 0; ok && i < n; i++)
		ok = strcmp(L->states[i], want[i]) == 0;
	if (!ok) {
		fprintf(stderr, "\n  states seen:");
		for (int i = 0; i < L->nstates; i++)
			fprintf(stderr, " %s", L->states[i]);
		fprintf(stderr, "\n");
	}
	return ok;
}

/* ---- tests ---- */

static void test_state_names(void)
{
	static const char *const freebsd[] = { "CLOSED",      "LISTEN",     "SYN_SENT",
	                                       "SYN_RCVD",    "ESTABLISHED", "CLOSE_WAIT",
	                                       "FIN_WAIT_1",  "CLOSING",    "LAST_ACK",
	                                       "FIN_WAIT_2",  "TIME_WAIT" };
	CU_ASSERT_EQUAL(TCP_NSTATES, 11);
	for (int s = 0; s < TCP_NSTATES; s++)
		CU_ASSERT_STRING_EQUAL(tcp_state_name((enum tcp_state)s), freebsd[s]);
	CU_ASSERT_STRING_EQUAL(tcp_state_name((enum tcp_state)99), "?");
}

static void handshake(int family)
{
	struct lab *L = lab_new(0, 7);
	open_conn(L, family, 80, 1 * SIM_S);
	const char *src = family == 4 ? IP_A : IP6_A, *dst = family == 4 ? IP_B : IP6_B;
	uint16_t mss = family == 4 ? 1460 : 1440;
	const struct frame *syn = nth_tcp(L, 0, true), *synack = nth_tcp(L, 1, true),
	                   *ack = nth_tcp(L, 2, true);
	CU_ASSERT_FATAL(syn && synack && ack);
	const uint8_t *t1 = tcp_of(syn), *t2 = tcp_of(synack), *t3 = tcp_of(ack);
	uint16_t eph = rd16(t1);
	uint32_t iss_a = rd32(t1 + 4), iss_b = rd32(t2 + 4);
	CU_ASSERT(eph >= 49152);
	CU_ASSERT_EQUAL(syn->from, L->ia);
	CU_ASSERT_EQUAL(synack->from, L->ib);
	CU_ASSERT_EQUAL(t1[13], 0x02);
	CU_ASSERT_EQUAL(t2[13], 0x12);
	CU_ASSERT_EQUAL(t3[13], 0x10);
	CU_ASSERT_EQUAL(rd32(t2 + 8), iss_a + 1);
	CU_ASSERT_EQUAL(rd32(t3 + 4), iss_a + 1);
	CU_ASSERT_EQUAL(rd32(t3 + 8), iss_b + 1);
	assert_segment(syn, family,
	               (struct exp_seg){ .src = src, .dst = dst, .sport = eph, .dport = 80,
	                                 .seq = iss_a, .flags = 0x02, .mss = mss });
	assert_segment(synack, family,
	               (struct exp_seg){ .src = dst, .dst = src, .sport = 80, .dport = eph,
	                                 .seq = iss_b, .ack = iss_a + 1, .flags = 0x12, .mss = mss });
	assert_segment(ack, family,
	               (struct exp_seg){ .src = src, .dst = dst, .sport = eph, .dport = 80,
	                                 .seq = iss_a + 1, .ack = iss_b + 1, .flags = 0x10 });
	CU_ASSERT(nth_tcp(L, 3, true) == NULL); /* nothing more */
	CU_ASSERT_EQUAL(L->connected, 1);
	CU_ASSERT_EQUAL(L->accepted, 1);
	struct tp_addr lis;
	CU_ASSERT(tcp_listener_at(L->b, 0, &lis) && lis.port == 80 && lis.family == family);
	CU_ASSERT(!tcp_listener_at(L->b, 1, &lis));
	CU_ASSERT(!tcp_listener_at(L->a, 0, &lis));
	CU_ASSERT_EQUAL(tcp_conn_state(L->ca), TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(tcp_conn_state(L->cb), TCPS_ESTABLISHED);
	static const char *const want[] = { "a:SYN_SENT", "b:SYN_RCVD", "a:ESTABLISHED",
		                            "b:ESTABLISHED" };
	CU_ASSERT(states_are(L, want, 4));
	lab_free(L);
}

static void test_handshake4(void) { handshake(4); }
static void test_handshake6(void) { handshake(6); }

/* Before the first IPv4 segment: ARP request (broadcast) and reply. */
static void test_arp_before_syn(void)
{
	struct lab *L = lab_new(0, 7);
	open_conn(L, 4, 80, 1 * SIM_S);
	const struct frame *req = NULL, *rep = NULL;
	for (size_t i = 0; i < L->nf && !rep; i++) {
		if (L->f[i].len < 42 || rd16(L->f[i].data + 12) != 0x0806)
			continue;
		if (!req)
			req = &L->f[i];
		else
			rep = &L->f[i];
	}
	CU_ASSERT_FATAL(req && rep);
	static const uint8_t want_req[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18,
		                              192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2 };
	static const uint8_t want_rep[28] = { 0, 1, 8, 0, 6, 4, 0, 2, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b,
		                              192, 0, 2, 2, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18,
		                              192, 0, 2, 1 };
	CU_ASSERT(memcmp(req->data, "\xff\xff\xff\xff\xff\xff", 6) == 0);
	CU_ASSERT(memcmp(req->data + 14, want_req, 28) == 0);
	CU_ASSERT(memcmp(rep->data, MAC_A, 6) == 0);
	CU_ASSERT(memcmp(rep->data + 14, want_rep, 28) == 0);
	uint8_t b4[4];
	pb_addr4(IP_B, b4);
	const struct arp_entry *e = arp_lookup(L->ia, b4);
	CU_ASSERT_FATAL(e != NULL);
	CU_ASSERT_EQUAL(e->state, ARP_RESOLVED);
	CU_ASSERT(memcmp(e->mac, MAC_B, 6) == 0);
	lab_free(L);
}

static void fill_pattern(uint8_t *buf, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

static void test_data_both_ways(void)
{
	struct lab *L = lab_new(0, 11);
	open_conn(L, 4, 80, 1 * SIM_S);
	static uint8_t up[20000], down[7000];
	fill_pattern(up, sizeof up, 1);
	fill_pattern(down, sizeof down, 2);
	CU_ASSERT_EQUAL(tcp_send(L->ca, up, sizeof up), (long)sizeof up);
	CU_ASSERT_FATAL(L->cb != NULL);
	CU_ASSERT_EQUAL(tcp_send(L->cb, down, sizeof down), (long)sizeof down);
	run_for(L, 5 * SIM_S);
	CU_ASSERT_EQUAL(L->nrx_b, sizeof up);
	CU_ASSERT(memcmp(L->rx_b, up, sizeof up) == 0);
	CU_ASSERT_EQUAL(L->nrx_a, sizeof down);
	CU_ASSERT(memcmp(L->rx_a, down, sizeof down) == 0);
	CU_ASSERT_EQUAL(tcp_conn_unacked(L->ca), 0);
	CU_ASSERT_EQUAL(tcp_conn_unacked(L->cb), 0);
	/* No segment bigger than the MSS, none retransmitted on a clean link. */
	for (size_t i = 0; i < L->nf; i++) {
		size_t len, off;
		const uint8_t *ip = ip_of(&L->f[i], 6, &len, &off);
		if (ip)
			CU_ASSERT(len - off - (size_t)(ip[off + 12] >> 4) * 4 <= 1460);
	}
	CU_ASSERT_EQUAL(tcp_get_stats(L->a)->sndrexmitpack, 0);
	/* The first data segment: seq right after the SYN, PSH only at the end. */
	const struct frame *d1 = nth_tcp(L, 3, false);
	CU_ASSERT_FATAL(d1 != NULL);
	const uint8_t *t = tcp_of(d1);
	CU_ASSERT_EQUAL(rd32(t + 4), rd32(tcp_of(nth_tcp(L, 0, false)) + 4) + 1);
	lab_free(L);
}

static void test_close_client_first(void)
{
	struct lab *L = lab_new(0, 12);
	L->b_closes_on_fin = true;
	open_conn(L, 4, 80, 1 * SIM_S);
	tcp_send(L->ca, (const uint8_t *)"GET / HTTP/1.0\r\n\r\n", 18);
	tcp_close(L->ca);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(L->nrx_b, 18);
	CU_ASSERT_EQUAL(L->closed_b, 1);
	CU_ASSERT_EQUAL(count_tcp_flags(L, L->ia, 0x01), 1);
	CU_ASSERT_EQUAL(count_tcp_flags(L, L->ib, 0x01), 1);
	static const char *const want[] = { "a:SYN_SENT",   "b:SYN_RCVD",   "a:ESTABLISHED",
		                            "b:ESTABLISHED", "a:FIN_WAIT_1", "b:CLOSE_WAIT",
		                            "b:LAST_ACK",    "a:FIN_WAIT_2", "a:TIME_WAIT",
		                            "b:CLOSED" };
	CU_ASSERT(states_are(L, want, 10));
	/* TIME_WAIT lasts 2*MSL = 60 s. */
	run_for(L, 58 * SIM_S);
	CU_ASSERT_EQUAL(L->nstates, 10);
	run_for(L, 2 * SIM_S);
	CU_ASSERT_EQUAL(L->nstates, 11);
	CU_ASSERT_STRING_EQUAL(L->states[10], "a:CLOSED");
	CU_ASSERT(tcp_conn_at(L->a, 0) == NULL);
	CU_ASSERT(tcp_conn_at(L->b, 0) == NULL);
	lab_free(L);
}

static void test_close_server_first(void)
{
	struct lab *L = lab_new(0, 13);
	L->a_closes_on_fin = true;
	open_conn(L, 6, 80, 1 * SIM_S);
	static const uint8_t page[] = "HTTP/1.0 200 OK\r\nServer: Allegro-Software-RomPager/4.34\r\n\r\n";
	tcp_send(L->cb, page, sizeof page - 1);
	tcp_close(L->cb);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(L->nrx_a, sizeof page - 1);
	CU_ASSERT(memcmp(L->rx_a, page, sizeof page - 1) == 0);
	CU_ASSERT_EQUAL(L->closed_a, 1);
	static const char *const want[] = { "a:SYN_SENT",   "b:SYN_RCVD",   "a:ESTABLISHED",
		                            "b:ESTABLISHED", "b:FIN_WAIT_1", "a:CLOSE_WAIT",
		                            "a:LAST_ACK",    "b:FIN_WAIT_2", "b:TIME_WAIT",
		                            "a:CLOSED" };
	CU_ASSERT(states_are(L, want, 10));
	lab_free(L);
}

/* Both close at once: the FINs cross, both go through CLOSING. */
static void test_simultaneous_close(void)
{
	struct lab *L = lab_new(0, 14);
	open_conn(L, 4, 80, 1 * SIM_S);
	tcp_close(L->ca);
	tcp_close(L->cb);
	run_for(L, 1 * SIM_S);
	static const char *const want[] = { "a:SYN_SENT",   "b:SYN_RCVD", "a:ESTABLISHED",
		                            "b:ESTABLISHED", "a:FIN_WAIT_1", "b:FIN_WAIT_1",
		                            "b:CLOSING",     "a:CLOSING",  "a:TIME_WAIT",
		                            "b:TIME_WAIT" };
	CU_ASSERT(states_are(L, want, 10));
	lab_free(L);
}

static void test_rst_closed_port(void)
{
	struct lab *L = lab_new(0, 15);
	struct tp_addr dst = { .family = 4, .port = 8080 };
	pb_addr4(IP_B, dst.addr);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	L->ca = tcp_connect(L->a, &dst, &cb, NULL);
	CU_ASSERT_FATAL(L->ca != NULL);
	run_for(L, 1 * SIM_S);
	const struct frame *syn = nth_tcp(L, 0, true), *rst = nth_tcp(L, 1, true);
	CU_ASSERT_FATAL(syn && rst);
	const uint8_t *t1 = tcp_of(syn);
	assert_segment(rst, 4,
	               (struct exp_seg){ .src = IP_B, .dst = IP_A, .sport = 8080, .dport = rd16(t1),
	                                 .seq = 0, .ack = rd32(t1 + 4) + 1, .flags = 0x14,
	                                 .zero_window = true });
	CU_ASSERT_EQUAL(L->errors_a, 1);
	CU_ASSERT_STRING_EQUAL(L->err_a, "Connection refused");
	CU_ASSERT_EQUAL(L->connected, 0);
	CU_ASSERT_EQUAL(tcp_conn_state(L->ca), TCPS_CLOSED);
	CU_ASSERT(tcp_send(L->ca, (const uint8_t *)"x", 1) == -1);
	tcp_close(L->ca);
	CU_ASSERT(tcp_conn_at(L->a, 0) == NULL);
	CU_ASSERT(nth_tcp(L, 2, true) == NULL); /* no retransmission after the RST */
	lab_free(L);
}

static void test_abort_sends_rst(void)
{
	struct lab *L = lab_new(0, 16);
	open_conn(L, 4, 23, 1 * SIM_S);
	tcp_send(L->ca, (const uint8_t *)"ls\r\n", 4);
	run_for(L, 1 * SIM_S);
	const uint8_t *last = tcp_of(nth_tcp(L, 4, false)); /* b's ACK of the data */
	CU_ASSERT_FATAL(last != NULL);
	tcp_abort(L->ca);
	run_for(L, 1 * SIM_S);
	const uint8_t *rst = tcp_of(nth_tcp(L, 5, false));
	CU_ASSERT_FATAL(rst != NULL);
	CU_ASSERT_EQUAL(rst[13], 0x14);
	CU_ASSERT_EQUAL(rd32(rst + 4), rd32(last + 8)); /* at the sequence b expects */
	CU_ASSERT_EQUAL(L->errors_b, 1);
	CU_ASSERT_STRING_EQUAL(L->err_b, "Connection reset by peer");
	CU_ASSERT_EQUAL(tcp_conn_state(L->cb), TCPS_CLOSED);
	tcp_close(L->cb);
	CU_ASSERT(tcp_conn_at(L->b, 0) == NULL);
	CU_ASSERT(nth_tcp(L, 6, false) == NULL); /* b does not answer a RST */
	lab_free(L);
}

/* Loss 0.3 each way (fixed seed): everything still arrives, in order. */
static void lossy(int family)
{
	struct lab *L = lab_new(0.3, 20091106);
	L->b_echo = true;
	L->b_closes_on_fin = true;
	open_conn(L, family, 80, 30 * SIM_S);
	CU_ASSERT_FATAL(tcp_conn_state(L->ca) == TCPS_ESTABLISHED);
	static uint8_t up[60000];
	fill_pattern(up, sizeof up, (uint32_t)family);
	CU_ASSERT_EQUAL(tcp_send(L->ca, up, sizeof up), (long)sizeof up);
	run_for(L, 1200 * SIM_S);
	CU_ASSERT_EQUAL(L->nrx_b, sizeof up);
	CU_ASSERT(memcmp(L->rx_b, up, L->nrx_b) == 0);
	CU_ASSERT_EQUAL(L->nrx_a, sizeof up); /* echoed back */
	CU_ASSERT(memcmp(L->rx_a, up, L->nrx_a) == 0);
	CU_ASSERT(tcp_get_stats(L->a)->sndrexmitpack > 0);
	CU_ASSERT(tcp_get_stats(L->b)->sndrexmitpack > 0);
	size_t lost = 0;
	for (size_t i = 0; i < L->nf; i++)
		lost += L->f[i].lost;
	CU_ASSERT(lost > L->nf / 5); /* the link really lost about 30% */
	CU_ASSERT_EQUAL(L->errors_a + L->errors_b, 0);
	/* and the connection closes cleanly despite the loss */
	tcp_close(L->ca);
	run_for(L, 600 * SIM_S);
	CU_ASSERT_EQUAL(L->closed_b, 1);
	CU_ASSERT(tcp_conn_at(L->b, 0) == NULL);
	lab_free(L);
}

static void test_lossy4(void) { lossy(4); }
static void test_lossy6(void) { lossy(6); }

/* The SYN to a silent host is retried with a doubling timeout (1, 2, 4 s
 * ...), then the connect times out after 75 s. */
static void test_syn_backoff_timeout(void)
{
	struct lab *L = lab_new(1.0, 17);
	struct tp_addr dst = { .family = 4, .port = 80 };
	pb_addr4(IP_B, dst.addr);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	L->ca = tcp_connect(L->a, &dst, &cb, NULL);
	CU_ASSERT_FATAL(L->ca != NULL);
	/* Every frame is lost: ARP never resolves, the SYNs go nowhere. */
	run_for(L, 74 * SIM_S);
	CU_ASSERT_EQUAL(L->errors_a, 0);
	CU_ASSERT_EQUAL(tcp_conn_state(L->ca), TCPS_SYN_SENT);
	run_for(L, 2 * SIM_S);
	CU_ASSERT_EQUAL(L->errors_a, 1);
	CU_ASSERT_STRING_EQUAL(L->err_a, "Operation timed out");
	CU_ASSERT_EQUAL(tcp_conn_state(L->ca), TCPS_CLOSED);
	tcp_close(L->ca);
	lab_free(L);
}

static bool drop_tcp(struct sim_node *n, struct sim_iface *ifp, int dir, const uint8_t *ip,
                     size_t len)
{
	(void)n;
	(void)ifp;
	(void)dir;
	return len >= 20 && ip[0] >> 4 == 4 && ip[9] == 6;
}

/* A host without TCP answers "protocol unreachable": a soft error that
 * ends the connect once it has been retrying a while (after the 5th SYN,
 * FreeBSD's t_rxtshift > 3), as "Connection refused". */
static void test_icmp_soft_error(void)
{
	struct lab *L = lab_new(0, 25);
	transport_node_free(L->b);
	struct tp_addr dst = { .family = 4, .port = 80 };
	pb_addr4(IP_B, dst.addr);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	L->ca = tcp_connect(L->a, &dst, &cb, NULL);
	CU_ASSERT_FATAL(L->ca != NULL);
	run_for(L, 14 * SIM_S);
	CU_ASSERT_EQUAL(L->errors_a, 0);
	run_for(L, 2 * SIM_S);
	CU_ASSERT_EQUAL(L->errors_a, 1);
	CU_ASSERT_STRING_EQUAL(L->err_a, "Connection refused");
	CU_ASSERT_EQUAL(count_tcp_flags(L, L->ia, 0x02), 5);
	int unreach = 0;
	for (size_t i = 0; i < L->nf; i++) {
		size_t len, off;
		const uint8_t *ip = ip_of(&L->f[i], 1, &len, &off);
		unreach += ip && ip[off] == 3 && ip[off + 1] == 2;
	}
	CU_ASSERT_EQUAL(unreach, 5);
	tcp_close(L->ca);
	lab_free(L);
}

static void test_syn_retransmit_times(void)
{
	struct lab *L = lab_new(0, 18);
	/* b swallows every TCP segment: no answer, no reset. */
	L->b->net->filter = drop_tcp;
	struct tp_addr dst = { .family = 4, .port = 80 };
	pb_addr4(IP_B, dst.addr);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	sim_time t0 = L->sim->now;
	L->ca = tcp_connect(L->a, &dst, &cb, NULL);
	CU_ASSERT_FATAL(L->ca != NULL);
	run_for(L, 80 * SIM_S);
	sim_time times[10];
	int n = 0;
	for (size_t i = 0; i < L->nf && n < 10; i++)
		if (tcp_of(&L->f[i]) && tcp_of(&L->f[i])[13] == 0x02)
			times[n++] = L->f[i].time - t0;
	/* RTO 1 s, doubled each time: SYNs at 0, 1, 3, 7, 15, 31, 63 s;
	 * the connect gives up at 75 s. */
	static const sim_time want[] = { 0, 1, 3, 7, 15, 31, 63 };
	CU_ASSERT_EQUAL(n, 7);
	for (int i = 0; i < n && i < 7; i++)
		CU_ASSERT_EQUAL(times[i] / SIM_S, want[i]);
	CU_ASSERT_EQUAL(L->errors_a, 1);
	CU_ASSERT(count_tcp_flags(L, L->ia, 0x04) == 0); /* a timeout in SYN_SENT: no RST */
	tcp_close(L->ca);
	lab_free(L);
}

/* ---- UDP ---- */

struct udp_seen {
	uint8_t data[64];
	size_t len;
	struct tp_addr from;
	int n;
};

static void echo_recv(void *user, struct udp_sock *s, const struct tp_addr *from,
                      const struct tp_addr *to, const uint8_t *data, size_t len)
{
	(void)user;
	(void)to;
	udp_sendto(s, from, data, len, NULL);
}

static void client_recv(void *user, struct udp_sock *s, const struct tp_addr *from,
                        const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct udp_seen *u = user;
	(void)s;
	(void)to;
	u->n++;
	u->from = *from;
	u->len = len < sizeof u->data ? len : sizeof u->data;
	memcpy(u->data, data, u->len);
}

static void udp_echo(int family)
{
	struct lab *L = lab_new(0, 19);
	struct udp_sock *srv = udp_bind(L->b, family, 7, echo_recv, NULL);
	struct udp_seen seen = { .n = 0 };
	struct udp_sock *cli = udp_bind(L->a, family, 0, client_recv, &seen);
	CU_ASSERT_FATAL(srv && cli);
	CU_ASSERT(udp_bind(L->b, family, 7, echo_recv, NULL) == NULL); /* port taken */
	struct tp_addr bound;
	CU_ASSERT(udp_sock_at(L->b, 0, &bound) && bound.port == 7 && bound.family == family);
	CU_ASSERT(!udp_sock_at(L->b, 1, &bound));
	struct tp_addr to = { .family = (uint8_t)family, .port = 7 };
	if (family == 4)
		pb_addr4(IP_B, to.addr);
	else
		pb_addr6(IP6_B, to.addr);
	CU_ASSERT(udp_sendto(cli, &to, (const uint8_t *)"hello", 5, NULL) == 0);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(seen.n, 1);
	CU_ASSERT_EQUAL(seen.len, 5);
	CU_ASSERT(memcmp(seen.data, "hello", 5) == 0);
	CU_ASSERT_EQUAL(seen.from.port, 7);
	CU_ASSERT(memcmp(seen.from.addr, to.addr, family == 4 ? 4 : 16) == 0);
	/* The request on the wire: built independently, checksum included. */
	size_t len = 0, off = 0;
	const uint8_t *ip = NULL;
	for (size_t i = 0; i < L->nf && !ip; i++)
		ip = ip_of(&L->f[i], 17, &len, &off);
	CU_ASSERT_FATAL(ip != NULL);
	uint8_t exp[PB_MAX];
	size_t elen;
	struct pb_l4 l4 = { .proto = 17, .sport = udp_local_port(cli), .dport = 7,
		            .payload = (const uint8_t *)"hello", .payload_len = 5 };
	if (family == 4) {
		struct pb_ip4 h = { .src = IP_A, .dst = IP_B, .ttl = 64, .id = rd16(ip + 4) };
		elen = pb_ip4(exp, sizeof exp, &h, &l4);
	} else {
		struct pb_ip6 h = { .src = IP6_A, .dst = IP6_B, .hlim = 64,
			            .tclass = (uint8_t)((ip[0] & 15) << 4 | ip[1] >> 4),
			            .flow = (uint32_t)(ip[1] & 15) << 16 | rd16(ip + 2) };
		elen = pb_ip6(exp, sizeof exp, &h, &l4);
	}
	CU_ASSERT_EQUAL(len, elen);
	CU_ASSERT(len == elen && memcmp(ip, exp, len) == 0);
	/* A closed port answers with ICMP port unreachable. */
	size_t before = L->nf;
	to.port = 9;
	CU_ASSERT(udp_sendto(cli, &to, (const uint8_t *)"x", 1, NULL) == 0);
	run_for(L, 1 * SIM_S);
	bool unreach = false;
	for (size_t i = before; i < L->nf; i++) {
		const uint8_t *p4 = ip_of(&L->f[i], 1, &len, &off);
		const uint8_t *p6 = ip_of(&L->f[i], 58, &len, &off);
		if (family == 4 && p4)
			unreach |= p4[off] == 3 && p4[off + 1] == 3;
		if (family == 6 && p6)
			unreach |= p6[off] == 1 && p6[off + 1] == 4;
	}
	CU_ASSERT(unreach);
	CU_ASSERT_EQUAL(seen.n, 1);
	udp_close(cli);
	udp_close(srv);
	lab_free(L);
}

static void test_udp_echo4(void) { udp_echo(4); }
static void test_udp_echo6(void) { udp_echo(6); }

/* ---- IPv4 and ICMP: ping, and a corrupted header is dropped ---- */

struct ping_seen {
	int replies, errors;
	uint16_t id, seq;
	uint8_t ttl;
	uint8_t type, code;
};

static void ping_reply(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
                       uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen)
{
	struct ping_seen *p = user;
	(void)ifp;
	(void)len;
	(void)data;
	(void)dlen;
	p->replies++;
	p->id = id;
	p->seq = seq;
	p->ttl = ip4[8];
}

static void ping_error(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
                       uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen)
{
	struct ping_seen *p = user;
	(void)ifp;
	(void)ip4;
	(void)len;
	(void)inner;
	(void)innerlen;
	p->errors++;
	p->type = type;
	p->code = code;
}

static void test_ping4(void)
{
	struct lab *L = lab_new(0, 21);
	struct ping_seen ps = { 0 };
	struct icmp4_listener l = { ping_reply, ping_error, &ps };
	CU_ASSERT(icmp4_listen(L->a, &l) == 0);
	uint8_t b4[4];
	pb_addr4(IP_B, b4);
	uint8_t data[56];
	fill_pattern(data, sizeof data, 3);
	CU_ASSERT(icmp4_echo_send(L->a, NULL, b4, 64, 0x1234, 0, data, sizeof data, NULL) == 0);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(ps.replies, 1);
	CU_ASSERT_EQUAL(ps.id, 0x1234);
	CU_ASSERT_EQUAL(ps.seq, 0);
	CU_ASSERT_EQUAL(ps.ttl, 64);
	/* The reply on the wire, built with libnet. */
	size_t len = 0, off = 0;
	const uint8_t *rep = NULL;
	for (size_t i = 0; i < L->nf; i++) {
		const uint8_t *ip = ip_of(&L->f[i], 1, &len, &off);
		if (ip && ip[off] == 0)
			rep = ip;
	}
	CU_ASSERT_FATAL(rep != NULL);
	struct pb_ip4 h = { .src = IP_B, .dst = IP_A, .ttl = 64, .id = rd16(rep + 4) };
	struct pb_l4 l4 = { .proto = 1, .type = 0, .word = 0x12340000u, .payload = data,
		            .payload_len = sizeof data };
	uint8_t exp[PB_MAX];
	size_t elen = pb_ip4(exp, sizeof exp, &h, &l4);
	CU_ASSERT(elen == len && memcmp(rep, exp, len) == 0);
	/* No route: the error comes back at once, nothing is sent. */
	const char *why = NULL;
	uint8_t far[4] = { 198, 51, 100, 1 };
	CU_ASSERT(icmp4_echo_send(L->a, NULL, far, 64, 1, 1, NULL, 0, &why) == -1);
	CU_ASSERT_STRING_EQUAL(why, "No route to host");
	/* A ping to ourselves loops back. */
	uint8_t a4[4];
	pb_addr4(IP_A, a4);
	size_t nf = L->nf;
	CU_ASSERT(icmp4_echo_send(L->a, NULL, a4, 64, 0x1234, 1, NULL, 0, NULL) == 0);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(ps.replies, 2);
	CU_ASSERT_EQUAL(L->nf, nf);
	icmp4_unlisten(L->a, &ps);
	lab_free(L);
}

/* A router between two links: TTL decremented, TTL 1 gives Time Exceeded,
 * an unknown network gives Host Unreachable. */
static void test_forward4(void)
{
	struct sim *sim = sim_new(5, 0);
	struct sim_node *h1 = sim_node_add(sim, "h1", NODE_HOST);
	struct sim_node *r = sim_node_add(sim, "r", NODE_ROUTER);
	struct sim_node *h2 = sim_node_add(sim, "h2", NODE_HOST);
	struct sim_iface *i1 = sim_iface_add(h1, "em0", NULL), *r0 = sim_iface_add(r, "em0", NULL),
	                 *r1 = sim_iface_add(r, "em1", NULL), *i2 = sim_iface_add(h2, "em0", NULL);
	struct sim_link *l1 = sim_link_add(sim, "l1", LINK_ETHERNET);
	struct sim_link *l2 = sim_link_add(sim, "l2", LINK_ETHERNET);
	sim_link_attach(l1, i1);
	sim_link_attach(l1, r0);
	sim_link_attach(l2, r1);
	sim_link_attach(l2, i2);
	struct sim_node *all[] = { h1, r, h2 };
	for (int k = 0; k < 3; k++)
		net_node_init(all[k]);
	struct sim_iface *ifs[] = { i1, r0, r1, i2 };
	const char *addrs[] = { "10.0.1.2", "10.0.1.1", "10.0.2.1", "10.0.2.2" };
	for (int k = 0; k < 4; k++) {
		uint8_t a[4];
		net_iface_up(ifs[k]);
		pb_addr4(addrs[k], a);
		CU_ASSERT(in4_addr_add(ifs[k], a, 24, NULL) == 0);
	}
	CU_ASSERT(r->net->forwarding4);
	struct route def = { .family = 4, .plen = 0, .flags = RTF_UP | RTF_GATEWAY | RTF_STATIC,
		             .expires = SIM_NEVER };
	def.ifp = i1;
	pb_addr4("10.0.1.1", def.gateway);
	CU_ASSERT(route_add(&h1->net->rt4, &def) == 0);
	def.ifp = i2;
	pb_addr4("10.0.2.1", def.gateway);
	CU_ASSERT(route_add(&h2->net->rt4, &def) == 0);
	struct ping_seen ps = { 0 };
	struct icmp4_listener l = { ping_reply, ping_error, &ps };
	icmp4_listen(h1, &l);
	uint8_t dst[4];
	pb_addr4("10.0.2.2", dst);
	CU_ASSERT(icmp4_echo_send(h1, NULL, dst, 64, 7, 0, NULL, 0, NULL) == 0);
	sim_run_until(sim, sim->now + 2 * SIM_S);
	CU_ASSERT_EQUAL(ps.replies, 1);
	CU_ASSERT_EQUAL(ps.ttl, 63); /* one router on the way back */
	CU_ASSERT(icmp4_echo_send(h1, NULL, dst, 1, 7, 1, NULL, 0, NULL) == 0);
	sim_run_until(sim, sim->now + 1 * SIM_S);
	CU_ASSERT_EQUAL(ps.errors, 1);
	CU_ASSERT_EQUAL(ps.type, ICMP4_TIMXCEED);
	CU_ASSERT_EQUAL(ps.code, 0);
	pb_addr4("172.16.0.1", dst);
	CU_ASSERT(icmp4_echo_send(h1, NULL, dst, 64, 7, 2, NULL, 0, NULL) == 0);
	sim_run_until(sim, sim->now + 1 * SIM_S);
	CU_ASSERT_EQUAL(ps.errors, 2);
	CU_ASSERT_EQUAL(ps.type, ICMP4_UNREACH);
	CU_ASSERT_EQUAL(ps.code, ICMP4_UNREACH_HOST);
	CU_ASSERT_EQUAL(r->net->ip4->forwarded, 2);
	for (int k = 0; k < 3; k++)
		net_node_free(all[k]);
	sim_free(sim);
}

/* TCP to a link-local address: the scope (interface) goes with it. */
static void test_linklocal6(void)
{
	struct lab *L = lab_new(0, 23);
	CU_ASSERT_FATAL(tcp_listen(L->b, 6, 23, b_accept, L) != NULL);
	struct tp_addr dst = { .family = 6, .port = 23, .ifp = L->ia };
	bool found = false;
	for (size_t i = 0; L->ib->in6 && i < L->ib->in6->naddr && !found; i++)
		if (L->ib->in6->addr[i].addr[0] == 0xfe && (L->ib->in6->addr[i].addr[1] & 0xc0) == 0x80) {
			memcpy(dst.addr, L->ib->in6->addr[i].addr, 16);
			found = true;
		}
	CU_ASSERT_FATAL(found);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	L->ca = tcp_connect(L->a, &dst, &cb, NULL);
	CU_ASSERT_FATAL(L->ca != NULL);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(L->connected, 1);
	CU_ASSERT_FATAL(L->cb != NULL);
	struct tp_addr local, remote;
	tcp_conn_endpoints(L->cb, &local, &remote);
	CU_ASSERT(remote.addr[0] == 0xfe && remote.ifp == L->ib); /* b answers out of em0 */
	tcp_send(L->cb, (const uint8_t *)"login: ", 7);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(L->nrx_a, 7);
	const struct frame *syn = nth_tcp(L, 0, false);
	CU_ASSERT_FATAL(syn != NULL);
	CU_ASSERT(syn->data[14 + 8] == 0xfe); /* from a's link-local address */
	lab_free(L);
}

/* A connection to one of the node's own addresses loops back inside the
 * node: it works, and nothing appears on the link. */
static void test_self_connect4(void)
{
	struct lab *L = lab_new(0, 26);
	CU_ASSERT_FATAL(tcp_listen(L->a, 4, 80, b_accept, L) != NULL);
	struct tp_addr dst = { .family = 4, .port = 80 };
	pb_addr4(IP_A, dst.addr);
	struct tcp_callbacks cb = { a_connected, a_data, a_closed, a_error, L };
	L->ca = tcp_connect(L->a, &dst, &cb, NULL);
	CU_ASSERT_FATAL(L->ca != NULL);
	tcp_send(L->ca, (const uint8_t *)"GET /", 5);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(L->connected, 1);
	CU_ASSERT_EQUAL(L->accepted, 1);
	CU_ASSERT_EQUAL(L->nrx_b, 5);
	CU_ASSERT_EQUAL(L->nf, 0);
	lab_free(L);
}

/* ARP: requests once a second, five in all, one packet held (the last
 * one wins), then the host is "down" for 20 s and packets are dropped. */
static void test_arp_retries_hold(void)
{
	struct lab *L = lab_new(0, 24);
	uint8_t ghost[4] = { 192, 0, 2, 99 }, b4[4];
	pb_addr4(IP_B, b4);
	for (uint16_t seq = 0; seq < 3; seq++)
		CU_ASSERT(icmp4_echo_send(L->a, NULL, ghost, 64, 5, seq, NULL, 0, NULL) == 0);
	run_for(L, 10 * SIM_S);
	int requests = 0;
	sim_time first = 0, last = 0;
	for (size_t i = 0; i < L->nf; i++) {
		const struct frame *f = &L->f[i];
		if (f->len >= 42 && rd16(f->data + 12) == 0x0806 && rd16(f->data + 20) == 1 &&
		    memcmp(f->data + 38, ghost, 4) == 0) {
			if (!requests++)
				first = f->time;
			last = f->time;
		}
	}
	CU_ASSERT_EQUAL(requests, 5);
	CU_ASSERT_EQUAL(last - first, 4 * SIM_S);
	const struct arp_entry *e = arp_lookup(L->ia, ghost);
	CU_ASSERT_FATAL(e != NULL);
	CU_ASSERT_EQUAL(e->state, ARP_FAILED);
	CU_ASSERT(e->hold == NULL);
	CU_ASSERT_EQUAL(L->ia->in4->arp->dropped, 3); /* two replaced, one given up */
	/* While down: dropped at once, no new request. */
	size_t nf = L->nf;
	CU_ASSERT(icmp4_echo_send(L->a, NULL, ghost, 64, 5, 3, NULL, 0, NULL) == 0);
	run_for(L, 5 * SIM_S);
	CU_ASSERT_EQUAL(L->nf, nf);
	/* After the down time the entry is gone and ARP asks again. */
	run_for(L, 20 * SIM_S);
	CU_ASSERT(arp_lookup(L->ia, ghost) == NULL);
	CU_ASSERT(icmp4_echo_send(L->a, NULL, ghost, 64, 5, 4, NULL, 0, NULL) == 0);
	run_for(L, 100 * SIM_MS);
	CU_ASSERT_EQUAL(L->nf, nf + 1);
	/* The hold queue keeps the newest packet: b sees seq 2 of 0..2 only. */
	struct ping_seen ps = { 0 };
	struct icmp4_listener l = { ping_reply, ping_error, &ps };
	icmp4_listen(L->a, &l);
	for (uint16_t seq = 0; seq < 3; seq++)
		icmp4_echo_send(L->a, NULL, b4, 64, 6, seq, NULL, 0, NULL);
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(ps.replies, 1);
	CU_ASSERT_EQUAL(ps.seq, 2);
	lab_free(L);
}

/* A `path` link of 3 hidden routers: each decrements the TTL, over
 * point-to-point hops that carry bare IP packets. */
static void test_path4(void)
{
	struct sim *sim = sim_new(6, 0);
	struct sim_node *h1 = sim_node_add(sim, "h1", NODE_HOST);
	struct sim_node *h2 = sim_node_add(sim, "h2", NODE_HOST);
	struct sim_iface *i1 = sim_iface_add(h1, "em0", NULL), *i2 = sim_iface_add(h2, "em0", NULL);
	CU_ASSERT_FATAL(sim_path_add(sim, "core", i1, i2, 3, 40 * SIM_MS) != NULL);
	for (size_t k = 0; k < sim->nnodes; k++) {
		struct sim_node *n = sim->nodes[k];
		net_node_init(n);
		n->net->path_hop = n != h1 && n != h2;
		for (int j = 0; j < n->nifaces; j++)
			net_iface_up(n->ifaces[j]);
	}
	uint8_t a1[4], a2[4];
	pb_addr4("10.9.0.1", a1);
	pb_addr4("10.9.0.2", a2);
	CU_ASSERT(in4_addr_add(i1, a1, 24, NULL) == 0);
	CU_ASSERT(in4_addr_add(i2, a2, 24, NULL) == 0);
	struct ping_seen ps = { 0 };
	struct icmp4_listener l = { ping_reply, ping_error, &ps };
	icmp4_listen(h1, &l);
	CU_ASSERT(icmp4_echo_send(h1, NULL, a2, 64, 9, 0, NULL, 0, NULL) == 0);
	sim_run_until(sim, sim->now + 79 * SIM_MS);
	CU_ASSERT_EQUAL(ps.replies, 0); /* 2 x 40 ms */
	sim_run_until(sim, sim->now + 2 * SIM_MS);
	CU_ASSERT_EQUAL(ps.replies, 1);
	CU_ASSERT_EQUAL(ps.ttl, 61);
	/* TTL 3 dies at the third router, which has no address to answer from. */
	CU_ASSERT(icmp4_echo_send(h1, NULL, a2, 3, 9, 1, NULL, 0, NULL) == 0);
	sim_run_until(sim, sim->now + 1 * SIM_S);
	CU_ASSERT_EQUAL(ps.replies, 1);
	CU_ASSERT_EQUAL(ps.errors, 0);
	for (size_t k = 0; k < sim->nnodes; k++)
		net_node_free(sim->nodes[k]);
	sim_free(sim);
}

/* Malformed input is dropped without reading past the end. */
static void test_ip4_malformed(void)
{
	struct lab *L = lab_new(0, 22);
	uint8_t pkt[64];
	struct pb_ip4 h = { .src = IP_A, .dst = IP_B, .ttl = 64 };
	struct pb_l4 l4 = { .proto = 1, .type = 8, .word = 0x00010001u };
	size_t n = pb_ip4(pkt, sizeof pkt, &h, &l4);
	CU_ASSERT_FATAL(n == 28);
	struct ip4_node *st = ip4_node(L->b);
	uint64_t bad0 = st->badhdr, sum0 = st->badsum;
	for (size_t cut = 0; cut < n; cut++)
		ip4_input(L->ib, pkt, cut);          /* truncated: bad header */
	CU_ASSERT_EQUAL(st->badhdr - bad0, n);   /* < 20 bytes, then total length > len */
	pkt[8] ^= 1;                             /* TTL changed, checksum not */
	ip4_input(L->ib, pkt, n);
	CU_ASSERT_EQUAL(st->badsum - sum0, 1);
	uint8_t arp[27] = { 0 };
	arp_input(L->ib, arp, sizeof arp);       /* short ARP: ignored */
	run_for(L, 1 * SIM_S);
	CU_ASSERT_EQUAL(L->nf, 0);
	lab_free(L);
}

int suite_tcp(void)
{
	CU_pSuite s = CU_add_suite("tcp", NULL, NULL);
	if (!s)
		return -1;
	struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
		{ "state_names", test_state_names },
		{ "handshake4", test_handshake4 },
		{ "handshake6", test_handshake6 },
		{ "arp_before_syn", test_arp_before_syn },
		{ "data_both_ways", test_data_both_ways },
		{ "close_client_first", test_close_client_first },
		{ "close_server_first", test_close_server_first },
		{ "simultaneous_close", test_simultaneous_close },
		{ "rst_closed_port", test_rst_closed_port },
		{ "abort_sends_rst", test_abort_sends_rst },
		{ "lossy4", test_lossy4 },
		{ "lossy6", test_lossy6 },
		{ "syn_backoff_timeout", test_syn_backoff_timeout },
		{ "syn_retransmit_times", test_syn_retransmit_times },
		{ "icmp_soft_error", test_icmp_soft_error },
		{ "udp_echo4", test_udp_echo4 },
		{ "udp_echo6", test_udp_echo6 },
		{ "ping4", test_ping4 },
		{ "forward4", test_forward4 },
		{ "path4", test_path4 },
		{ "linklocal6", test_linklocal6 },
		{ "self_connect4", test_self_connect4 },
		{ "arp_retries_hold", test_arp_retries_hold },
		{ "ip4_malformed", test_ip4_malformed },
	};
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
