/*
 * suite_xlate — header translation (RFC 7915 sections 4.1 and 5.1) and
 * NAPT sessions (RFC 6146), through the public API only. Every expected
 * packet is built with libnet (tests/pktbuild.c) from the RFC's rules.
 */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <string.h>

static struct tu_capture cap;

/* ---- packet shorthands ---- */

static struct pb_l4 tcp_seg(uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags,
                            const char *data)
{
	struct pb_l4 l4 = { .proto = 6, .sport = sp, .dport = dp, .seq = seq, .ack = ack,
	                    .flags = flags, .win = 65535 };
	if (data) {
		l4.payload = (const uint8_t *)data;
		l4.payload_len = strlen(data);
	}
	return l4;
}

static struct pb_l4 udp_dgram(uint16_t sp, uint16_t dp, const uint8_t *data, size_t len)
{
	struct pb_l4 l4 = { .proto = 17, .sport = sp, .dport = dp, .payload = data,
	                    .payload_len = len };
	return l4;
}

/*
 * The IPv4 packet RFC 7915 section 5.1 makes of an IPv6 packet: TOS =
 * traffic class, TTL = hop limit - 1, no options, MF 0, offset 0, DF set
 * only when the IPv4 packet is larger than 1260 bytes. `id` is left to the
 * translator for an unfragmented packet, so the caller reads it from the
 * output.
 */
static size_t expect4(uint8_t *out, const char *src, const char *dst, uint8_t ttl, uint8_t tos,
                      uint16_t id, const struct pb_l4 *l4)
{
	struct pb_ip4 ip = { .src = src, .dst = dst, .ttl = ttl, .tos = tos, .id = id };
	size_t len = pb_ip4(out, PB_MAX, &ip, l4);

	if (len > 1260) {
		ip.df = 1;
		len = pb_ip4(out, PB_MAX, &ip, l4);
	}
	return len;
}

/* RFC 7915 section 4.1: traffic class = TOS, flow label 0, hop limit =
 * TTL - 1, no fragment header for an unfragmented packet. */
static size_t expect6(uint8_t *out, const char *src, const char *dst, uint8_t hlim, uint8_t tc,
                      const struct pb_l4 *l4)
{
	struct pb_ip6 ip = { .src = src, .dst = dst, .hlim = hlim, .tclass = tc };

	return pb_ip6(out, PB_MAX, &ip, l4);
}

static int one_translated(int family)
{
	return cap.n == 1 && cap.overflow == 0 && cap.pkt[0].family == family &&
	       cap.pkt[0].kind == NAT6TO4_OUT_TRANSLATED;
}

/* ---- sessions seen through nat6to4_sessions_walk ---- */

struct walk {
	size_t n;
	struct nat6to4_session_info s[8];
};

static void walk_fn(void *user, const struct nat6to4_session_info *s)
{
	struct walk *w = user;

	if (w->n < 8)
		w->s[w->n] = *s;
	w->n++;
}

static struct walk sessions(const nat6to4 *nat)
{
	struct walk w = { 0 };
	size_t n = nat6to4_sessions_walk(nat, walk_fn, &w);

	CU_ASSERT_EQUAL(n, w.n);
	return w;
}

/* One TCP session in `state` (RFC 6146 section 3.5.2 state names). */
static void assert_tcp_session(const nat6to4 *nat, const char *server6, uint16_t pool_port,
                               const char *state)
{
	struct walk w = sessions(nat);
	uint8_t a6[16], a4[4], s6[16], s4[4];

	CU_ASSERT_EQUAL_FATAL(w.n, 1);
	pb_addr6(TU_CLIENT6, a6);
	pb_addr4(TU_POOL4, a4);
	pb_addr6(server6, s6);
	pb_addr4(TU_SERVER4, s4);
	CU_ASSERT_EQUAL(w.s[0].proto, 6);
	CU_ASSERT(memcmp(w.s[0].v6_addr, a6, 16) == 0);
	CU_ASSERT_EQUAL(w.s[0].v6_port, 40000);
	CU_ASSERT(memcmp(w.s[0].v4_addr, a4, 4) == 0);
	CU_ASSERT_EQUAL(w.s[0].v4_port, pool_port);
	CU_ASSERT(memcmp(w.s[0].remote4, s4, 4) == 0);
	CU_ASSERT_EQUAL(w.s[0].remote_port, 80);
	CU_ASSERT(memcmp(w.s[0].remote6, s6, 16) == 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.s[0].state);
	if (strcmp(w.s[0].state, state) != 0)
		fprintf(stderr, "\nsession state %s, expected %s\n", w.s[0].state, state);
	CU_ASSERT_STRING_EQUAL(w.s[0].state, state);
	CU_ASSERT_FALSE(w.s[0].is_static);
}

/* ---- the TCP exchange of the seed: web server behind the gateway ---- */

/* Client -> server segment through the translator, compared with libnet. */
static void tcp_out(nat6to4 *nat, const char *server6, uint16_t pool_port, struct pb_l4 seg,
                    uint64_t now)
{
	uint8_t in[PB_MAX], exp[PB_MAX];
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = server6, .hlim = 64, .tclass = 0x28 };
	size_t len = pb_ip6(in, sizeof in, &ip, &seg);
	struct nat6to4_verdict v = tu_6to4(nat, &cap, in, len, now);

	TU_ASSERT_VERDICT(v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(4));
	const uint8_t *o = cap.pkt[0].data;
	CU_ASSERT(pb_ip4_hdr_ok(o, cap.pkt[0].len));
	CU_ASSERT(pb_l4_csum_ok(o, cap.pkt[0].len));
	seg.sport = pool_port;
	size_t elen = expect4(exp, TU_POOL4, TU_SERVER4, 63, 0x28, tu_rd16(o + 4), &seg);
	TU_ASSERT_SAME(o, cap.pkt[0].len, exp, elen);
}

/* Server -> client segment; must come back from the address form used. */
static void tcp_in(nat6to4 *nat, const char *server6, uint16_t pool_port, struct pb_l4 seg,
                   uint64_t now)
{
	uint8_t in[PB_MAX], exp[PB_MAX];
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 50, .tos = 0x10,
	                     .id = 0x1111, .df = 1 };
	seg.dport = pool_port;
	size_t len = pb_ip4(in, sizeof in, &ip, &seg);
	struct nat6to4_verdict v = tu_4to6(nat, &cap, in, len, now);

	TU_ASSERT_VERDICT(v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(6));
	CU_ASSERT(pb_l4_csum_ok(cap.pkt[0].data, cap.pkt[0].len));
	seg.dport = 40000;
	size_t elen = expect6(exp, server6, TU_CLIENT6, 49, 0x10, &seg);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
}

static void tcp_exchange(const char *server6)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint64_t t = TU_T0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint8_t in[PB_MAX];
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = server6, .hlim = 64, .tclass = 0x28 };
	struct pb_l4 syn = tcp_seg(40000, 80, 1000, 0, 0x02, NULL);
	size_t len = pb_ip6(in, sizeof in, &ip, &syn);
	tu_6to4(nat, &cap, in, len, t);
	CU_ASSERT_FATAL(one_translated(4));
	uint16_t p = tu_rd16(cap.pkt[0].data + 20); /* pool port: the translator's choice */
	CU_ASSERT(p >= 1024); /* RFC 6146 3.5.1.1: no well-known port for a high one */
	CU_ASSERT_EQUAL(cap.pkt[0].data[9], 6);
	CU_ASSERT_EQUAL(cap.pkt[0].data[8], 63);
	CU_ASSERT_EQUAL(cap.pkt[0].data[6] & 0x40, 0); /* 40 bytes <= 1260: DF 0 */
	tcp_out(nat, server6, p, syn, t); /* retransmitted SYN: same binding */
	assert_tcp_session(nat, server6, p, "V6_INIT");

	tcp_in(nat, server6, p, tcp_seg(80, 0, 5000, 1001, 0x12, NULL), t + TU_SEC);
	assert_tcp_session(nat, server6, p, "ESTABLISHED");
	tcp_out(nat, server6, p, tcp_seg(40000, 80, 1001, 5001, 0x18, "GET / HTTP/1.0\r\n\r\n"),
	        t + 2 * TU_SEC);
	tcp_in(nat, server6, p, tcp_seg(80, 0, 5001, 1019, 0x18,
	                                "HTTP/1.0 200 OK\r\nServer: Allegro-Software-RomPager/4.34\r\n\r\n"),
	       t + 3 * TU_SEC);
	assert_tcp_session(nat, server6, p, "ESTABLISHED");
	tcp_out(nat, server6, p, tcp_seg(40000, 80, 1019, 5060, 0x11, NULL), t + 4 * TU_SEC);
	assert_tcp_session(nat, server6, p, "V6_FIN_RCV");
	tcp_in(nat, server6, p, tcp_seg(80, 0, 5060, 1020, 0x11, NULL), t + 5 * TU_SEC);
	assert_tcp_session(nat, server6, p, "V6_FIN_V4_FIN");

	/* Both FINs seen: the transitory timer (RFC 6146: 4 minutes). */
	CU_ASSERT_EQUAL(nat6to4_expire(nat, t + 10 * TU_SEC), 0);
	CU_ASSERT_EQUAL(sessions(nat).n, 1);
	CU_ASSERT(nat6to4_expire(nat, t + 3 * 3600 * TU_SEC) >= 1);
	CU_ASSERT_EQUAL(sessions(nat).n, 0);
	nat6to4_free(nat);
}

static void test_tcp_napt_exchange(void) { tcp_exchange(TU_SERVER6); }
static void test_tcp_napt_decimal_form(void) { tcp_exchange(TU_SERVER6_DEC); }

/* An established session lives 2 h 4 min (RFC 6146 TCP_EST), not 4 min. */
static void test_tcp_established_timeout(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint64_t t = TU_T0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = tu_open_tcp(nat, &cap, TU_SERVER6, t);
	CU_ASSERT_FATAL(p != 0);
	tcp_in(nat, TU_SERVER6, p, tcp_seg(80, 0, 5000, 1001, 0x12, NULL), t);
	struct walk w = sessions(nat);
	CU_ASSERT_EQUAL_FATAL(w.n, 1);
	CU_ASSERT(w.s[0].expires_ns >= t + 7200 * TU_SEC);
	CU_ASSERT_EQUAL(nat6to4_expire(nat, t + 600 * TU_SEC), 0);
	CU_ASSERT_EQUAL(sessions(nat).n, 1);
	CU_ASSERT_EQUAL(nat6to4_expire(nat, t + 7441 * TU_SEC), 1);
	CU_ASSERT_EQUAL(sessions(nat).n, 0);
	nat6to4_free(nat);
}

/* ---- UDP ---- */

static const uint8_t dns_query[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                     3, 'w', 'w', 'w', 0, 0, 1, 0, 1 };

/* Client's UDP to the server; returns the pool port. */
static uint16_t udp_out(nat6to4 *nat, uint64_t now)
{
	uint8_t in[PB_MAX], exp[PB_MAX];
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 10 };
	struct pb_l4 d = udp_dgram(5353, 53, dns_query, sizeof dns_query);
	size_t len = pb_ip6(in, sizeof in, &ip, &d);

	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, now), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	if (!one_translated(4))
		return 0;
	const uint8_t *o = cap.pkt[0].data;
	d.sport = tu_rd16(o + 20);
	size_t elen = expect4(exp, TU_POOL4, TU_SERVER4, 9, 0, tu_rd16(o + 4), &d);
	TU_ASSERT_SAME(o, cap.pkt[0].len, exp, elen);
	return d.sport;
}

static void udp_reply(nat6to4 *nat, uint16_t pool_port, enum pb_csum csum, uint64_t now)
{
	uint8_t in[PB_MAX], exp[PB_MAX];
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 7 };
	struct pb_l4 d = udp_dgram(53, pool_port, dns_query, sizeof dns_query);
	d.csum = csum;
	size_t len = pb_ip4(in, sizeof in, &ip, &d);

	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, now), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(6));
	/* IPv6 forbids a zero UDP checksum: the translator computes it
	 * (RFC 7915 4.5, RFC 6146 3.4); the libnet packet has the right one. */
	CU_ASSERT(pb_l4_csum_ok(cap.pkt[0].data, cap.pkt[0].len));
	d.dport = 5353;
	d.csum = PB_CSUM_OK;
	size_t elen = expect6(exp, TU_SERVER6, TU_CLIENT6, 59, 0, &d);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
}

static void test_udp_napt_both_ways(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = udp_out(nat, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	udp_reply(nat, p, PB_CSUM_OK, TU_T0 + TU_SEC);
	struct walk w = sessions(nat);
	CU_ASSERT_EQUAL_FATAL(w.n, 1);
	CU_ASSERT_EQUAL(w.s[0].proto, 17);
	CU_ASSERT_EQUAL(w.s[0].v6_port, 5353);
	CU_ASSERT_EQUAL(w.s[0].v4_port, p);
	CU_ASSERT_EQUAL(w.s[0].remote_port, 53);
	CU_ASSERT_STRING_EQUAL(w.s[0].state, "UDP");
	/* RFC 6146 3.5.1: UDP session lifetime at least 2 minutes. */
	CU_ASSERT(w.s[0].expires_ns >= TU_T0 + TU_SEC + 120 * TU_SEC);
	CU_ASSERT_EQUAL(nat6to4_expire(nat, TU_T0 + 100 * TU_SEC), 0);
	CU_ASSERT_EQUAL(nat6to4_expire(nat, TU_T0 + 3600 * TU_SEC), 1);
	CU_ASSERT_EQUAL(sessions(nat).n, 0);
	/* After expiry the binding is gone: the same reply finds nothing. */
	uint8_t in[PB_MAX];
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 7 };
	struct pb_l4 d = udp_dgram(53, p, dns_query, sizeof dns_query);
	size_t len = pb_ip4(in, sizeof in, &ip, &d);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0 + 3601 * TU_SEC), NAT6TO4_DROPPED,
	                  NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

static void test_udp_zero_checksum_4to6(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = udp_out(nat, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	udp_reply(nat, p, PB_CSUM_ZERO, TU_T0 + TU_SEC);
	nat6to4_free(nat);
}

/* RFC 7915 4.5: a fragmented IPv4 UDP datagram with zero checksum cannot
 * get one computed (the other fragments are elsewhere): drop it. */
static void test_udp_zero_checksum_fragment_dropped(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t full[PB_MAX], frag[PB_MAX], body[200];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = udp_out(nat, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	memset(body, 0xab, sizeof body);
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 99 };
	struct pb_l4 d = udp_dgram(53, p, body, sizeof body);
	d.csum = PB_CSUM_ZERO;
	size_t flen = pb_ip4(full, sizeof full, &ip, &d);
	CU_ASSERT_FATAL(flen == 20 + 8 + sizeof body);
	ip.mf = 1;
	struct pb_l4 first = { .proto = 17, .payload = full + 20, .payload_len = 104 };
	size_t len = pb_ip4(frag, sizeof frag, &ip, &first);
	CU_ASSERT_EQUAL(tu_rd16(frag + 20 + 6), 0); /* the zero checksum is in this fragment */
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, frag, len, TU_T0 + TU_SEC), NAT6TO4_DROPPED,
	                  NAT6TO4_R_FRAG_UDP_NO_CSUM);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* ---- DF and the 1260-byte threshold (RFC 7915 5.1) ---- */

static void df_case(size_t payload, int want_df)
{
	static uint8_t body[1400];
	uint8_t in[PB_MAX], exp[PB_MAX];
	nat6to4 *nat = tu_nat(tu_conf_napt);

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	memset(body, 0x5a, sizeof body);
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 d = udp_dgram(7000, 7, body, payload);
	size_t len = pb_ip6(in, sizeof in, &ip, &d);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(4));
	const uint8_t *o = cap.pkt[0].data;
	CU_ASSERT_EQUAL(cap.pkt[0].len, 28 + payload);
	CU_ASSERT_EQUAL((o[6] & 0x40) != 0, want_df);
	d.sport = tu_rd16(o + 20);
	size_t elen = expect4(exp, TU_POOL4, TU_SERVER4, 63, 0, tu_rd16(o + 4), &d);
	TU_ASSERT_SAME(o, cap.pkt[0].len, exp, elen);
	nat6to4_free(nat);
}

static void test_df_threshold_1260(void)
{
	df_case(1232, 0); /* IPv4 packet of exactly 1260 bytes: DF 0 */
	df_case(1233, 1); /* 1261 bytes: DF 1 */
	df_case(10, 0);
}

/* ---- wrong checksums stay wrong by the same amount (RFC 7915 4.5/5.5) ---- */

/* One packet each way, bad then good. proto 6, 17 or ICMP echo. */
static void bad_csum_case(uint8_t proto)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];
	static const uint8_t data[] = "payload with a checksum";

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	for (int good = 0; good <= 1; good++) {
		struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
		struct pb_l4 l4 = { .proto = proto, .sport = 40001, .dport = 80, .flags = 0x02,
		                    .win = 1000, .payload = data, .payload_len = sizeof data,
		                    .csum = good ? PB_CSUM_OK : PB_CSUM_BAD };
		if (proto == 58) {
			l4.type = 128;
			l4.word = 0x4242u << 16 | 1;
		}
		size_t len = pb_ip6(in, sizeof in, &ip6, &l4);
		int in_res = pb_l4_residual(in, len);
		TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
		CU_ASSERT_FATAL(one_translated(4));
		CU_ASSERT_EQUAL(pb_l4_csum_ok(cap.pkt[0].data, cap.pkt[0].len), good);
		CU_ASSERT_EQUAL(pb_l4_residual(cap.pkt[0].data, cap.pkt[0].len), in_res);
		uint16_t port = tu_rd16(cap.pkt[0].data + 20 + (proto == 58 ? 4 : 0));

		/* and back: server -> pool port (or echo reply with the identifier) */
		struct pb_ip4 ip4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 64, .id = 3 };
		struct pb_l4 r = l4;
		r.sport = 80;
		r.dport = port;
		r.flags = 0x12;
		if (proto == 58) {
			r.proto = 1;
			r.type = 0;
			r.word = (uint32_t)port << 16 | 1;
		}
		len = pb_ip4(in, sizeof in, &ip4, &r);
		in_res = pb_l4_residual(in, len);
		TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
		CU_ASSERT_FATAL(one_translated(6));
		CU_ASSERT_EQUAL(pb_l4_csum_ok(cap.pkt[0].data, cap.pkt[0].len), good);
		CU_ASSERT_EQUAL(pb_l4_residual(cap.pkt[0].data, cap.pkt[0].len), in_res);
	}
	nat6to4_free(nat);
}

static void test_bad_checksum_tcp(void) { bad_csum_case(6); }
static void test_bad_checksum_udp(void) { bad_csum_case(17); }
static void test_bad_checksum_icmp(void) { bad_csum_case(58); }

/* ---- IPv6 extension headers (RFC 7915 5.1) ---- */

static void test_ext_headers_skipped(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64, .next = 3,
	                     .ext = { { .type = PB_EXT_HBH }, { .type = PB_EXT_DSTOPT },
	                              { .type = PB_EXT_ROUTING, .segleft = 0 } } };
	struct pb_l4 d = udp_dgram(5353, 53, dns_query, sizeof dns_query);
	size_t len = pb_ip6(in, sizeof in, &ip, &d);
	CU_ASSERT_FATAL(pb_l4_csum_ok(in, len));
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(4));
	const uint8_t *o = cap.pkt[0].data;
	d.sport = tu_rd16(o + 20);
	size_t elen = expect4(exp, TU_POOL4, TU_SERVER4, 63, 0, tu_rd16(o + 4), &d);
	TU_ASSERT_SAME(o, cap.pkt[0].len, exp, elen);
	nat6to4_free(nat);
}

/* RFC 7915 5.1: segments left nonzero -> not translated, ICMPv6 Parameter
 * Problem code 0 pointing at the Segments Left field (offset 40 + 3). */
static void test_routing_segments_left(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64, .next = 1,
	                     .ext = { { .type = PB_EXT_ROUTING, .segleft = 1 } } };
	struct pb_l4 d = udp_dgram(5353, 53, dns_query, sizeof dns_query);
	size_t len = pb_ip6(in, sizeof in, &ip, &d);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_ERROR_SENT,
	                  NAT6TO4_R_SEGMENTS_LEFT);
	CU_ASSERT_FATAL(cap.n == 1);
	CU_ASSERT(tu_check_err6(&cap.pkt[0], 4, 0, 43, in, len));
	nat6to4_free(nat);
}

/* ---- IPv4 options (RFC 7915 4.1) ---- */

static void test_ip4_options_ignored(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], exp[PB_MAX];
	static const uint8_t router_alert[4] = { 0x94, 4, 0, 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = udp_out(nat, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 7,
	                     .opts = router_alert, .optlen = sizeof router_alert };
	struct pb_l4 d = udp_dgram(53, p, dns_query, sizeof dns_query);
	size_t len = pb_ip4(in, sizeof in, &ip, &d);
	CU_ASSERT_FATAL((in[0] & 15) == 6);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(6));
	d.dport = 5353;
	size_t elen = expect6(exp, TU_SERVER6, TU_CLIENT6, 59, 0, &d);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	nat6to4_free(nat);
}

/* Unexpired loose source route -> ICMPv4 Destination Unreachable, Source
 * Route Failed (type 3 code 5) back to the sender. */
static void test_ip4_source_route(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];
	/* NOP, then LSRR: length 7, pointer 4 (first address not yet used) */
	static const uint8_t lsrr[8] = { 0x01, 0x83, 7, 4, 198, 51, 100, 1 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = udp_out(nat, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 7,
	                     .opts = lsrr, .optlen = sizeof lsrr };
	struct pb_l4 d = udp_dgram(53, p, dns_query, sizeof dns_query);
	size_t len = pb_ip4(in, sizeof in, &ip, &d);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_ERROR_SENT,
	                  NAT6TO4_R_SOURCE_ROUTE);
	CU_ASSERT_FATAL(cap.n == 1);
	CU_ASSERT(tu_check_err4(&cap.pkt[0], 3, 5, 0, in, len));
	nat6to4_free(nat);
}

/* ---- stateless mode: addresses from `map` and the prefix, ports kept ---- */

static void test_stateless_udp_both_ways(void)
{
	nat6to4 *nat = tu_nat(tu_conf_stateless);
	uint8_t in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip6 = { .src = TU_SL_HOST6, .dst = TU_SL_PEER6, .hlim = 64, .tclass = 0xb8 };
	struct pb_l4 d = udp_dgram(5000, 53, dns_query, sizeof dns_query);
	size_t len = pb_ip6(in, sizeof in, &ip6, &d);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(4));
	size_t elen = expect4(exp, TU_SL_HOST4, TU_SL_PEER4, 63, 0xb8,
	                      tu_rd16(cap.pkt[0].data + 4), &d);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);

	struct pb_ip4 ip4 = { .src = TU_SL_PEER4, .dst = TU_SL_HOST4, .ttl = 64, .id = 1, .df = 1 };
	struct pb_l4 r = udp_dgram(53, 5000, dns_query, sizeof dns_query);
	len = pb_ip4(in, sizeof in, &ip4, &r);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(one_translated(6));
	elen = expect6(exp, TU_SL_PEER6, TU_SL_HOST6, 63, 0, &r);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	CU_ASSERT_EQUAL(sessions(nat).n, 0); /* stateless keeps no sessions */
	nat6to4_free(nat);
}

/* An IPv4 packet to a pool port nobody bound is dropped (RFC 6146 3.5). */
static void test_napt_unknown_binding(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 7 };
	struct pb_l4 d = udp_dgram(53, 4242, dns_query, sizeof dns_query);
	size_t len = pb_ip4(in, sizeof in, &ip, &d);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED, NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(cap.n, 0);
	/* a TCP segment other than SYN opens nothing from the IPv6 side */
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 ack = tcp_seg(40000, 80, 1, 1, 0x10, NULL);
	len = pb_ip6(in, sizeof in, &ip6, &ack);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED, NAT6TO4_R_NOT_SYN);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* libnet itself: the checksums pktbuild hands out are right (checked with
 * pktbuild's own RFC 1071 code; a wrong one here would void every test). */
static void test_pktbuild_checksums(void)
{
	uint8_t b[PB_MAX];
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 1 };
	struct pb_ip4 ip4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 1 };
	uint8_t protos[] = { 6, 17, 58 };

	for (size_t i = 0; i < sizeof protos; i++) {
		struct pb_l4 l4 = { .proto = protos[i], .sport = 1, .dport = 2, .type = 128,
		                    .payload = dns_query, .payload_len = 5 };
		size_t len = pb_ip6(b, sizeof b, &ip6, &l4);
		CU_ASSERT(len > 40 && pb_l4_csum_ok(b, len));
		l4.csum = PB_CSUM_BAD;
		len = pb_ip6(b, sizeof b, &ip6, &l4);
		CU_ASSERT(len > 40 && !pb_l4_csum_ok(b, len));
		l4.proto = protos[i] == 58 ? 1 : protos[i];
		l4.type = 8;
		l4.csum = PB_CSUM_OK;
		len = pb_ip4(b, sizeof b, &ip4, &l4);
		CU_ASSERT(len > 20 && pb_l4_csum_ok(b, len) && pb_ip4_hdr_ok(b, len));
	}
	/* Behind extension headers libnet 1.1.6 sums the wrong pseudo-header;
	 * pktbuild must have corrected it. */
	struct pb_ip6 ext = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 9, .next = 2,
	                      .ext = { { .type = PB_EXT_HBH }, { .type = PB_EXT_DSTOPT } } };
	struct pb_l4 u = { .proto = 17, .sport = 1, .dport = 2, .payload = dns_query, .payload_len = 5 };
	size_t len = pb_ip6(b, sizeof b, &ext, &u);
	CU_ASSERT(len == 40 + 16 + 13 && pb_l4_csum_ok(b, len));
	/* libnet 1.1.6 does not byte-swap the fragment header: check the
	 * compensation, against RFC 8200 section 4.5's layout. */
	struct pb_ip6 fr = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 9, .next = 1,
	                     .ext = { { .type = PB_EXT_FRAG, .frag_off = 1208, .more = 1,
	                                .frag_id = 0x01020304 } } };
	len = pb_ip6(b, sizeof b, &fr, &u);
	static const uint8_t frag_hdr[8] = { 17, 0, 1208 >> 8, (1208 & 0xf8) | 1, 1, 2, 3, 4 };
	CU_ASSERT(len == 48 + 5 && b[6] == 44 && memcmp(b + 40, frag_hdr, 8) == 0);
	/* RFC 1071 section 3 example: 0001 f203 f4f5 f6f7 sums to ddf2 */
	static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	CU_ASSERT_EQUAL(pb_fold(pb_sum(ex, sizeof ex, 0)), 0xddf2);
}

int suite_xlate(void);
int suite_xlate(void)
{
	CU_pSuite s = CU_add_suite("xlate", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "pktbuild_checksums", test_pktbuild_checksums) ||
	    !CU_add_test(s, "tcp_napt_exchange", test_tcp_napt_exchange) ||
	    !CU_add_test(s, "tcp_napt_decimal_form", test_tcp_napt_decimal_form) ||
	    !CU_add_test(s, "tcp_established_timeout", test_tcp_established_timeout) ||
	    !CU_add_test(s, "udp_napt_both_ways", test_udp_napt_both_ways) ||
	    !CU_add_test(s, "udp_zero_checksum_4to6", test_udp_zero_checksum_4to6) ||
	    !CU_add_test(s, "udp_zero_checksum_fragment_dropped", test_udp_zero_checksum_fragment_dropped) ||
	    !CU_add_test(s, "df_threshold_1260", test_df_threshold_1260) ||
	    !CU_add_test(s, "bad_checksum_tcp", test_bad_checksum_tcp) ||
	    !CU_add_test(s, "bad_checksum_udp", test_bad_checksum_udp) ||
	    !CU_add_test(s, "bad_checksum_icmp", test_bad_checksum_icmp) ||
	    !CU_add_test(s, "ext_headers_skipped", test_ext_headers_skipped) ||
	    !CU_add_test(s, "routing_segments_left", test_routing_segments_left) ||
	    !CU_add_test(s, "ip4_options_ignored", test_ip4_options_ignored) ||
	    !CU_add_test(s, "ip4_source_route", test_ip4_source_route) ||
	    !CU_add_test(s, "stateless_udp_both_ways", test_stateless_udp_both_ways) ||
	    !CU_add_test(s, "napt_unknown_binding", test_napt_unknown_binding))
		return -1;
	return 0;
}
