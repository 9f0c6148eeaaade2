/*
 * suite_trace: the text trace and the pcap writer (sim/trace/).
 *
 * Every expected line below is what tcpdump 4.99.3 (libpcap 1.10.3)
 * printed for the same bytes: the packets were written to pcap files by
 * this file's TRACE_TEST_DUMP mode and read back with
 *     tcpdump -n -t -r FILE          (-e for the with_link cases,
 *                                     -S for the cut ones: absolute seq)
 * and the output pasted here, trailing blanks dropped. While writing the
 * printers every case was also compared with tcpdump cut at every length
 * (the NN_t.pcap files); the `cuts` table keeps a sample of those. To
 * regenerate after adding a case:
 *     cc -std=c11 -D_DEFAULT_SOURCE -DTRACE_TEST_DUMP $(libnet-config --defines) \
 *        -Itests -Isim -Itranslator tests/test_trace.c tests/pktbuild.c \
 *        sim/trace/print*.c sim/trace/pcap_out.c -lnet -lpcap -o /tmp/tdump
 *     mkdir DIR && /tmp/tdump DIR   # DIR/NN.pcap, DIR/NN_t.pcap; our lines on stdout
 * Packets are built with libnet (tests/pktbuild.h, and libnet directly for
 * TCP options, Ethernet and ARP), never by the code under test.
 */
#include "pktbuild.h"

#include <arpa/inet.h>
#include <libnet.h>
#include "trace/trace.h"
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TRACE_TEST_DUMP
#include <CUnit/CUnit.h>
#endif

#define PKT_MAX 2048

/* ---- packet builders ---------------------------------------------------- */

static const uint8_t mac_a[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t mac_b[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };
static const uint8_t mac_ns[6] = { 0x33, 0x33, 0xff, 0x75, 0x24, 0x1b };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static libnet_t *ln_open(void)
{
	char err[LIBNET_ERRBUF_SIZE];
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, err);

	if (!l)
		fprintf(stderr, "test_trace: libnet_init: %s\n", err);
	return l;
}

/* libnet_adv_cull_packet refuses LIBNET_NONE: coalesce and copy. */
static size_t ln_finish(libnet_t *l, uint8_t *out)
{
	uint8_t *pkt = NULL;
	uint32_t n = 0;
	size_t len = 0;

	if (libnet_pblock_coalesce(l, &pkt, &n) != -1 && n <= PKT_MAX) {
		memcpy(out, pkt, n);
		len = n;
	}
	if (pkt)
		libnet_adv_free_packet(l, pkt);
	libnet_destroy(l);
	return len;
}

/* Ethernet II around bytes already built. */
static size_t eth_wrap(uint8_t *out, const uint8_t dst[6], const uint8_t src[6], uint16_t type,
                       const uint8_t *payload, size_t plen)
{
	libnet_t *l = ln_open();

	if (!l || libnet_build_ethernet(dst, src, type, payload, (uint32_t)plen, l, 0) == -1) {
		if (l)
			libnet_destroy(l);
		return 0;
	}
	return ln_finish(l, out);
}

static size_t arp_frame(uint8_t *out, uint16_t op, const uint8_t *sha, const char *spa,
                        const uint8_t *tha, const char *tpa, const uint8_t *edst)
{
	uint8_t s[4], t[4];
	libnet_t *l = ln_open();

	pb_addr4(spa, s);
	pb_addr4(tpa, t);
	if (!l || libnet_build_arp(ARPHRD_ETHER, ETHERTYPE_IP, 6, 4, op, sha, s, tha, t, NULL, 0, l,
	                           0) == -1 ||
	    libnet_build_ethernet(edst, sha, ETHERTYPE_ARP, NULL, 0, l, 0) == -1) {
		if (l)
			libnet_destroy(l);
		return 0;
	}
	return ln_finish(l, out);
}

struct tcp_spec {
	int ver;
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opts;
	size_t optlen;
	const char *data;
};

static size_t tcp_pkt(uint8_t *out, const struct tcp_spec *s)
{
	uint32_t dlen = s->data ? (uint32_t)strlen(s->data) : 0;
	uint32_t l4 = (uint32_t)(LIBNET_TCP_H + s->optlen + dlen);
	libnet_t *l = ln_open();
	libnet_ptag_t t = 0;

	if (!l)
		return 0;
	if (s->optlen)
		t = libnet_build_tcp_options(s->opts, (uint32_t)s->optlen, l, 0);
	if (t != -1)
		t = libnet_build_tcp(s->sport, s->dport, s->seq, s->ack, s->flags, s->win, 0, 0,
		                     (uint16_t)l4, (const uint8_t *)s->data, dlen, l, 0);
	if (t != -1 && s->ver == 4) {
		uint8_t a[4], b[4];
		uint32_t src, dst;
		pb_addr4(s->src, a);
		pb_addr4(s->dst, b);
		memcpy(&src, a, 4);
		memcpy(&dst, b, 4);
		t = libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + l4), 0, 1, 0x4000, 64, IPPROTO_TCP, 0,
		                      src, dst, NULL, 0, l, 0);
	} else if (t != -1) {
		struct libnet_in6_addr src, dst;
		pb_addr6(s->src, (uint8_t *)&src);
		pb_addr6(s->dst, (uint8_t *)&dst);
		t = libnet_build_ipv6(0, 0, (uint16_t)l4, IPPROTO_TCP, 64, src, dst, NULL, 0, l, 0);
	}
	if (t == -1) {
		libnet_destroy(l);
		return 0;
	}
	return ln_finish(l, out);
}

/* Shorthands over pktbuild for the many IPv6/IPv4 one-header packets. */
static size_t ip6_l4(uint8_t *out, const char *src, const char *dst, uint8_t hlim,
                     const struct pb_l4 *l4)
{
	struct pb_ip6 ip = { .src = src, .dst = dst, .hlim = hlim };
	return pb_ip6(out, PKT_MAX, &ip, l4);
}

static size_t ip4_l4(uint8_t *out, const char *src, const char *dst, const struct pb_l4 *l4)
{
	struct pb_ip4 ip = { .src = src, .dst = dst, .ttl = 64, .id = 7 };
	return pb_ip4(out, PKT_MAX, &ip, l4);
}

static size_t icmp6(uint8_t *out, const char *src, const char *dst, uint8_t type, uint8_t code,
                    uint32_t word, const uint8_t *payload, size_t plen)
{
	struct pb_l4 l4 = { .proto = 58, .type = type, .code = code, .word = word,
		            .payload = payload, .payload_len = plen };
	return ip6_l4(out, src, dst, 255, &l4);
}

/* ---- the cases -------------------------------------------------------- */

static const uint8_t data8[8] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' };

/* Target address + one link-layer address option (RFC 4861 4.3/4.4). */
static size_t nd_body(uint8_t *body, const char *target, uint8_t opt, const uint8_t mac[6])
{
	pb_addr6(target, body);
	body[16] = opt;
	body[17] = 1;
	memcpy(body + 18, mac, 6);
	return 24;
}

static size_t c_echo6(uint8_t *o)
{
	return icmp6(o, "2001:db8::1", "2001:db8::2", 128, 0, 1234u << 16 | 0, data8, 8);
}
static size_t c_echoreply6(uint8_t *o)
{
	return icmp6(o, "2001:4f8:fff6::21", "2001:44b8:7bf1:a51:20f:eaff:fe2c:d518", 129, 0,
	             0x4c2e0003, data8, 8);
}
static size_t c_ns(uint8_t *o)
{
	uint8_t b[24];
	return icmp6(o, "fe80::20f:eaff:fe2c:d518", "ff02::1:ff75:241b", 135, 0, 0, b,
	             nd_body(b, "fe80::20c:86ff:fe75:241b", 1, mac_a));
}
static size_t c_ns_dad(uint8_t *o)
{
	uint8_t b[24];
	nd_body(b, "fe80::20f:eaff:fe2c:d518", 1, mac_a);
	return icmp6(o, "::", "ff02::1:ff2c:d518", 135, 0, 0, b, 16);
}
static size_t c_na(uint8_t *o)
{
	uint8_t b[24];
	return icmp6(o, "fe80::20c:86ff:fe75:241b", "fe80::20f:eaff:fe2c:d518", 136, 0, 0x60000000u,
	             b, nd_body(b, "fe80::20c:86ff:fe75:241b", 2, mac_b));
}
static size_t c_rs(uint8_t *o)
{
	uint8_t b[8] = { 1, 1 };
	memcpy(b + 2, mac_a, 6);
	return icmp6(o, "fe80::20f:eaff:fe2c:d518", "ff02::2", 133, 0, 0, b, 8);
}
static size_t c_ra(uint8_t *o)
{
	uint8_t b[8 + 32 + 8] = { 0 };
	b[8] = 3; /* prefix information: 2001:db8:1::/64, L and A, lifetimes */
	b[9] = 4;
	b[10] = 64;
	b[11] = 0xc0;
	b[15] = 0x78; /* valid 2592000 s would do too; small values keep it short */
	b[19] = 0x3c;
	pb_addr6("2001:db8:1::", b + 24);
	b[40] = 1;
	b[41] = 1;
	memcpy(b + 42, mac_b, 6);
	return icmp6(o, "fe80::20c:86ff:fe75:241b", "ff02::1", 134, 0, 64u << 24 | 1800, b,
	             sizeof b);
}
/* An ICMPv6 error carrying an echo request to `dst` (RFC 4443 2.4 (c)). */
static size_t err6(uint8_t *o, uint8_t type, uint8_t code, uint32_t word, const char *isrc,
                   const char *idst, uint8_t iproto)
{
	uint8_t inner[PKT_MAX];
	struct pb_l4 l4 = { .proto = iproto, .type = 128, .word = 0x00010002, .sport = 40000,
		            .dport = 33434, .payload = data8, .payload_len = 8 };
	size_t n = ip6_l4(inner, isrc, idst, 64, &l4);
	return icmp6(o, "2001:db8::fe", isrc, type, code, word, inner, n);
}
static size_t c_unreach_route(uint8_t *o)
{
	return err6(o, 1, 0, 0, "2001:db8:1::10", "2001:db8:9::1", 58);
}
static size_t c_unreach_scope(uint8_t *o)
{
	return err6(o, 1, 2, 0, "fe80::1", "2001:db8:9::1", 58);
}
static size_t c_unreach_addr(uint8_t *o)
{
	return err6(o, 1, 3, 0, "2001:db8:1::10", "2001:db8:2::99", 58);
}
static size_t c_unreach_port(uint8_t *o)
{
	return err6(o, 1, 4, 0, "2001:db8:1::10", "2001:db8:2::1", 17);
}
static size_t c_ptb(uint8_t *o)
{
	return err6(o, 2, 0, 1280, "2001:db8:1::10", "2001:db8:2::1", 58);
}
static size_t c_timex(uint8_t *o)
{
	return err6(o, 3, 0, 0, "2001:db8:1::10", "2001:4f8:fff6::21", 58);
}
static size_t c_paramprob(uint8_t *o)
{
	return err6(o, 4, 1, 40, "2001:db8:1::10", "2001:db8:2::1", 58);
}
static size_t c_mld1(uint8_t *o)
{
	uint8_t g[16];
	pb_addr6("ff02::1:ff2c:d518", g);
	return icmp6(o, "fe80::20f:eaff:fe2c:d518", "ff02::1:ff2c:d518", 131, 0, 0, g, 16);
}
/* libnet 1.1.6's hop-by-hop builder does not place the options it is given,
 * so this one is laid out by hand: HBH with a Router Alert (RFC 2711) and a
 * Pad2, then an MLDv2 report with one record (RFC 3810 5.2). */
static size_t c_mld2_hbh(uint8_t *o)
{
	uint8_t b[8 + 8 + 20] = { 58, 0, 5, 2, 0, 0, 1, 0, 143, 0, 0, 0, 0, 0, 0, 1, 4 };
	pb_addr6("ff02::1:ff2c:d518", b + 16 + 4);
	struct pb_l4 l4 = { .proto = 0, .payload = b, .payload_len = sizeof b };
	return ip6_l4(o, "fe80::20f:eaff:fe2c:d518", "ff02::16", 1, &l4);
}
static size_t c_mld_query1(uint8_t *o)
{
	uint8_t g[16] = { 0 };
	return icmp6(o, "fe80::1", "ff02::1", 130, 0, 10000u << 16, g, 16);
}
static size_t c_mld_query2(uint8_t *o)
{
	uint8_t g[20] = { 0 };
	g[16] = 2;   /* QRV */
	g[17] = 125; /* QQIC */
	return icmp6(o, "fe80::1", "ff02::1", 130, 0, 10000u << 16, g, 20);
}
static size_t c_mld_done(uint8_t *o)
{
	uint8_t g[16];
	pb_addr6("ff02::1:ff2c:d518", g);
	return icmp6(o, "fe80::20f:eaff:fe2c:d518", "ff02::2", 132, 0, 0, g, 16);
}
static size_t c_redirect(uint8_t *o)
{
	uint8_t b[32];
	pb_addr6("fe80::1", b);
	pb_addr6("2001:db8:5::5", b + 16);
	return icmp6(o, "fe80::fe", "2001:db8:1::10", 137, 0, 0, b, 32);
}
static size_t c_icmp6_unknown(uint8_t *o)
{
	return icmp6(o, "2001:db8::1", "2001:db8::2", 250, 0, 0, NULL, 0);
}
static size_t c_udp6(uint8_t *o)
{
	struct pb_l4 l4 = { .proto = 17, .sport = 50000, .dport = 7777, .payload = data8,
		            .payload_len = 8 };
	return ip6_l4(o, "2001:db8:1::10", "2001:db8:2::1", 64, &l4);
}
static size_t c_dhcp6(uint8_t *o)
{
	static const uint8_t solicit[4] = { 1, 0x12, 0x34, 0x56 };
	struct pb_l4 l4 = { .proto = 17, .sport = 546, .dport = 547, .payload = solicit,
		            .payload_len = 4 };
	return ip6_l4(o, "fe80::20f:eaff:fe2c:d518", "ff02::1:2", 1, &l4);
}
static size_t c_frag6_first(uint8_t *o)
{
	uint8_t udp[16] = { 0xc3, 0x50, 0x1e, 0x61, 0x05, 0xdc, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pb_ip6 ip = { .src = "2001:db8:1::10", .dst = "2001:db8:2::1", .hlim = 64,
		             .next = 1,
		             .ext = { { .type = PB_EXT_FRAG, .more = 1, .frag_id = 0x1234 } } };
	struct pb_l4 l4 = { .proto = 17, .payload = udp, .payload_len = sizeof udp };
	return pb_ip6(o, PKT_MAX, &ip, &l4);
}
static size_t c_frag6_later(uint8_t *o)
{
	struct pb_ip6 ip = { .src = "2001:db8:1::10", .dst = "2001:db8:2::1", .hlim = 64,
		             .next = 1,
		             .ext = { { .type = PB_EXT_FRAG, .frag_off = 1232, .frag_id = 0x1234 } } };
	struct pb_l4 l4 = { .proto = 17, .payload = data8, .payload_len = 8 };
	return pb_ip6(o, PKT_MAX, &ip, &l4);
}
static size_t c_rthdr_udp(uint8_t *o)
{
	struct pb_ip6 ip = { .src = "2001:db8:1::10", .dst = "2001:db8:2::1", .hlim = 64,
		             .next = 1, .ext = { { .type = PB_EXT_ROUTING, .segleft = 1 } } };
	struct pb_l4 l4 = { .proto = 17, .sport = 1000, .dport = 2000, .payload = data8,
		            .payload_len = 4 };
	return pb_ip6(o, PKT_MAX, &ip, &l4);
}
static size_t c_dstopt_tcp(uint8_t *o)
{
	struct pb_ip6 ip = { .src = "2001:db8:1::10", .dst = "2001:db8:2::1", .hlim = 64,
		             .next = 1, .ext = { { .type = PB_EXT_DSTOPT } } };
	struct pb_l4 l4 = { .proto = 6, .sport = 1025, .dport = 23, .seq = 100, .flags = 0x02,
		            .win = 8192 };
	return pb_ip6(o, PKT_MAX, &ip, &l4);
}
static size_t c_proto6_unknown(uint8_t *o)
{
	struct pb_l4 l4 = { .proto = 99, .payload = data8, .payload_len = 8 };
	return ip6_l4(o, "2001:db8:1::10", "2001:db8:2::1", 64, &l4);
}
static size_t c_nonext6(uint8_t *o)
{
	struct pb_l4 l4 = { .proto = 59 };
	return ip6_l4(o, "2001:db8:1::10", "2001:db8:2::1", 64, &l4);
}

static const uint8_t opt_mss[4] = { 2, 4, 0x05, 0xb4 };
static const uint8_t opt_full[20] = { 2, 4, 0x05, 0xa0, 1, 3, 3, 6, 4, 2, 8, 10,
	                              0, 0, 0x30, 0x39, 0, 0, 0, 0 };
static const uint8_t opt_sack[12] = { 1, 1, 5, 10, 0x00, 0x01, 0x11, 0x71, 0x00, 0x01, 0x13, 0x65 };

static size_t c_tcp4_syn(uint8_t *o)
{
	struct tcp_spec s = { 4, "10.0.0.1", "10.0.0.2", 1024, 80, 1, 0, 0x02, 65535, opt_mss, 4, NULL };
	return tcp_pkt(o, &s);
}
static size_t c_tcp4_synack(uint8_t *o)
{
	struct tcp_spec s = { 4, "202.83.176.248", "203.0.113.1", 80, 40000, 3000000000u, 2,
		              0x12, 5840, opt_full, sizeof opt_full, NULL };
	return tcp_pkt(o, &s);
}
static size_t c_tcp4_get(uint8_t *o)
{
	struct tcp_spec s = { 4, "203.0.113.1", "202.83.176.248", 40001, 80, 1001, 5001, 0x18,
		              65535, NULL, 0, "GET / HTTP/1.0\r\nHost: x\r\n\r\n" };
	return tcp_pkt(o, &s);
}
static size_t c_tcp4_resp(uint8_t *o)
{
	struct tcp_spec s = { 4, "202.83.176.248", "203.0.113.1", 80, 40002, 7001, 1029, 0x18, 5840,
		              NULL, 0,
		              "HTTP/1.0 200 OK\r\nServer: Allegro-Software-RomPager/4.34\r\n\r\n" };
	return tcp_pkt(o, &s);
}
static size_t c_tcp4_rst(uint8_t *o)
{
	struct tcp_spec s = { 4, "10.0.0.2", "10.0.0.1", 23, 1030, 0, 77, 0x14, 0, NULL, 0, NULL };
	return tcp_pkt(o, &s);
}
static size_t c_tcp6_sack(uint8_t *o)
{
	struct tcp_spec s = { 6, "2001:db8:1::10", "2001:df0:9::ca53:b0f8", 40003, 23, 5000, 70000,
		              0x10, 1000, opt_sack, sizeof opt_sack, NULL };
	return tcp_pkt(o, &s);
}
static size_t c_tcp6_fin_data(uint8_t *o)
{
	struct tcp_spec s = { 6, "2001:db8:1::10", "2001:df0:9::202:83:176:248", 40004, 2323, 10,
		              20, 0x19, 1000, NULL, 0, "bye\r\n" };
	return tcp_pkt(o, &s);
}
static size_t c_udp4(uint8_t *o)
{
	struct pb_l4 l4 = { .proto = 17, .sport = 5000, .dport = 5001, .payload = data8,
		            .payload_len = 3 };
	return ip4_l4(o, "192.0.2.10", "198.51.100.7", &l4);
}
static size_t c_echo4(uint8_t *o)
{
	struct pb_l4 l4 = { .proto = 1, .type = 8, .word = 0x0001000a, .payload = data8,
		            .payload_len = 8 };
	return ip4_l4(o, "10.0.0.1", "10.0.0.2", &l4);
}
static size_t err4(uint8_t *o, uint8_t type, uint8_t code, uint32_t word, uint8_t iproto)
{
	uint8_t inner[PKT_MAX];
	struct pb_l4 il4 = { .proto = iproto, .sport = 40000, .dport = 33434, .type = 8,
		             .word = 0x00010001, .payload = data8, .payload_len = 8 };
	size_t n = ip4_l4(inner, "10.0.0.1", "10.9.9.9", &il4);
	struct pb_l4 l4 = { .proto = 1, .type = type, .code = code, .word = word,
		            .payload = inner, .payload_len = n };
	return ip4_l4(o, "10.0.0.254", "10.0.0.1", &l4);
}
static size_t c_unreach4_port(uint8_t *o) { return err4(o, 3, 3, 0, 17); }
static size_t c_unreach4_host(uint8_t *o) { return err4(o, 3, 1, 0, 1); }
static size_t c_unreach4_frag(uint8_t *o) { return err4(o, 3, 4, 1400, 1); }
static size_t c_timex4(uint8_t *o) { return err4(o, 11, 0, 0, 1); }
static size_t c_frag4_later(uint8_t *o)
{
	struct pb_ip4 ip = { .src = "10.0.0.1", .dst = "10.0.0.2", .ttl = 64, .id = 9,
		             .frag_off = 1480 };
	struct pb_l4 l4 = { .proto = 17, .payload = data8, .payload_len = 8 };
	return pb_ip4(o, PKT_MAX, &ip, &l4);
}
static size_t c_proto4_unknown(uint8_t *o)
{
	struct pb_l4 l4 = { .proto = 99, .payload = data8, .payload_len = 4 };
	return ip4_l4(o, "10.0.0.1", "10.0.0.2", &l4);
}

/* Ethernet frames. */
static size_t c_eth_ns(uint8_t *o)
{
	uint8_t ip[PKT_MAX];
	size_t n = c_ns(ip);
	return eth_wrap(o, mac_ns, mac_a, 0x86dd, ip, n);
}
static size_t c_eth_tcp4(uint8_t *o)
{
	uint8_t ip[PKT_MAX];
	size_t n = c_tcp4_syn(ip);
	return eth_wrap(o, mac_b, mac_a, 0x0800, ip, n);
}
static size_t c_arp_req(uint8_t *o)
{
	static const uint8_t zero[6];
	return arp_frame(o, ARPOP_REQUEST, mac_a, "10.0.0.1", zero, "10.0.0.2", mac_bcast);
}
static size_t c_arp_reply(uint8_t *o)
{
	return arp_frame(o, ARPOP_REPLY, mac_b, "10.0.0.2", mac_a, "10.0.0.1", mac_a);
}
static size_t c_eth_unknown(uint8_t *o)
{
	return eth_wrap(o, mac_bcast, mac_a, 0x88b5, data8, 8);
}

static size_t c_unreach_code6(uint8_t *o)
{
	return err6(o, 1, 6, 0, "2001:db8:1::10", "2001:db8:9::1", 58);
}
static size_t c_unreach_code9(uint8_t *o)
{
	return err6(o, 1, 9, 0, "2001:db8:1::10", "2001:db8:9::1", 58);
}
static size_t c_paramprob4(uint8_t *o) { return err4(o, 12, 0, 20u << 24, 1); }
static size_t c_redirect4(uint8_t *o) { return err4(o, 5, 1, 0x0a0000fe, 1); }
static size_t c_quench4(uint8_t *o) { return err4(o, 4, 0, 0, 1); }
static const uint8_t opt_odd[8] = { 2, 3, 5, 0xb4, 0x99, 4, 1, 0 };
static const uint8_t opt_bad[4] = { 1, 30, 4, 0 };
static size_t c_tcp4_oddopts(uint8_t *o)
{
	struct tcp_spec s = { 4, "10.0.0.1", "10.0.0.2", 1031, 80, 5, 0, 0x02, 512, opt_odd, 8, NULL };
	return tcp_pkt(o, &s);
}
static size_t c_tcp4_badopt(uint8_t *o)
{
	struct tcp_spec s = { 4, "10.0.0.1", "10.0.0.2", 1032, 80, 5, 0, 0x02, 512, opt_bad, 4, NULL };
	return tcp_pkt(o, &s);
}
static size_t c_ip4_opts_udp(uint8_t *o)
{
	static const uint8_t ra[4] = { 0x94, 4, 0, 0 }; /* router alert */
	struct pb_ip4 ip = { .src = "10.0.0.1", .dst = "224.0.0.22", .ttl = 1, .opts = ra,
		             .optlen = 4 };
	struct pb_l4 l4 = { .proto = 17, .sport = 9, .dport = 9, .payload = data8,
		            .payload_len = 2 };
	return pb_ip4(o, PKT_MAX, &ip, &l4);
}
static size_t c_udp4_short(uint8_t *o)
{
	size_t n = c_udp4(o);
	o[24] = 0;
	o[25] = 50; /* the UDP length claims more than the IP packet holds */
	return n;
}
static size_t c_tcp4_badhlen(uint8_t *o)
{
	size_t n = c_tcp4_syn(o);
	o[32] = 0x30; /* data offset 3 words */
	return n;
}
static size_t c_ip4_in_ip6(uint8_t *o)
{
	uint8_t inner[PKT_MAX];
	struct pb_l4 l4 = { .proto = 4, .payload = inner, .payload_len = c_echo4(inner) };
	return ip6_l4(o, "2001:db8::1", "2001:db8::2", 64, &l4);
}
static size_t c_eth_pppoed(uint8_t *o)
{
	static const uint8_t padi[10] = { 0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 0 };
	return eth_wrap(o, mac_bcast, mac_a, 0x8863, padi, sizeof padi);
}

struct tcase {
	const char *name;
	size_t (*build)(uint8_t *out);
	int dlt;
	bool with_link;
	const char *expect; /* tcpdump -n -t -r (-e) */
};

#define RAW TRACE_DLT_RAW
#define ETH TRACE_DLT_EN10MB

static const struct tcase cases[] = {
	{ "echo6", c_echo6, RAW, false,
	  "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 1234, seq 0, length 16" },
	{ "echoreply6", c_echoreply6, RAW, false,
	  "IP6 2001:4f8:fff6::21 > 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518: ICMP6, echo reply, id 19502, seq 3, length 16" },
	{ "ns", c_ns, RAW, false,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::1:ff75:241b: ICMP6, neighbor solicitation, who has fe80::20c:86ff:fe75:241b, length 32" },
	{ "ns_dad", c_ns_dad, RAW, false,
	  "IP6 :: > ff02::1:ff2c:d518: ICMP6, neighbor solicitation, who has fe80::20f:eaff:fe2c:d518, length 24" },
	{ "na", c_na, RAW, false,
	  "IP6 fe80::20c:86ff:fe75:241b > fe80::20f:eaff:fe2c:d518: ICMP6, neighbor advertisement, tgt is fe80::20c:86ff:fe75:241b, length 32" },
	{ "rs", c_rs, RAW, false,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::2: ICMP6, router solicitation, length 16" },
	{ "ra", c_ra, RAW, false,
	  "IP6 fe80::20c:86ff:fe75:241b > ff02::1: ICMP6, router advertisement, length 56" },
	{ "unreach_route", c_unreach_route, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unreachable route 2001:db8:9::1, length 64" },
	{ "unreach_scope", c_unreach_scope, RAW, false,
	  "IP6 2001:db8::fe > fe80::1: ICMP6, destination unreachable, beyond scope 2001:db8:9::1, source address fe80::1, length 64" },
	{ "unreach_addr", c_unreach_addr, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unreachable address 2001:db8:2::99, length 64" },
	{ "unreach_port", c_unreach_port, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unreachable port, 2001:db8:2::1 udp port 33434, length 64" },
	{ "ptb", c_ptb, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, packet too big, mtu 1280, length 64" },
	{ "timex", c_timex, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, time exceeded in-transit for 2001:4f8:fff6::21, length 64" },
	{ "paramprob", c_paramprob, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, parameter problem, next header - octet 40, length 64" },
	{ "mld1", c_mld1, RAW, false,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::1:ff2c:d518: ICMP6, multicast listener reportmax resp delay: 0 addr: ff02::1:ff2c:d518, length 24" },
	{ "mld2_hbh", c_mld2_hbh, RAW, false,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28" },
	{ "redirect", c_redirect, RAW, false,
	  "IP6 fe80::fe > 2001:db8:1::10: ICMP6, redirect, 2001:db8:5::5 to fe80::1, length 40" },
	{ "icmp6_unknown", c_icmp6_unknown, RAW, false,
	  "IP6 2001:db8::1 > 2001:db8::2: ICMP6, unknown icmp6 type (250), length 8" },
	{ "udp6", c_udp6, RAW, false,
	  "IP6 2001:db8:1::10.50000 > 2001:db8:2::1.7777: UDP, length 8" },
	{ "dhcp6", c_dhcp6, RAW, false, NULL }, /* tcpdump decodes it; we do not yet */
	{ "frag6_first", c_frag6_first, RAW, false,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: frag (0|16) 50000 > 7777: UDP, length 1492" },
	{ "frag6_later", c_frag6_later, RAW, false,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: frag (1232|8)" },
	{ "rthdr_udp", c_rthdr_udp, RAW, false,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: RT6 (len=2, type=0 [Deprecated], segleft=1, rsv=0x94fc, [0]2001:db8:ffff::1) 1000 > 2000: UDP, length 4" },
	{ "dstopt_tcp", c_dstopt_tcp, RAW, false,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: DSTOPT 1025 > 23: Flags [S], seq 100, win 8192, length 0" },
	{ "proto6_unknown", c_proto6_unknown, RAW, false,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1:  ip-proto-99 8" },
	{ "nonext6", c_nonext6, RAW, false,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: no next header" },
	{ "tcp4_syn", c_tcp4_syn, RAW, false,
	  "IP 10.0.0.1.1024 > 10.0.0.2.80: Flags [S], seq 1, win 65535, options [mss 1460], length 0" },
	{ "tcp4_synack", c_tcp4_synack, RAW, false,
	  "IP 202.83.176.248.80 > 203.0.113.1.40000: Flags [S.], seq 3000000000, ack 2, win 5840, options [mss 1440,nop,wscale 6,sackOK,TS val 12345 ecr 0], length 0" },
	{ "tcp4_get", c_tcp4_get, RAW, false,
	  "IP 203.0.113.1.40001 > 202.83.176.248.80: Flags [P.], seq 1001:1028, ack 5001, win 65535, length 27: HTTP: GET / HTTP/1.0" },
	{ "tcp4_resp", c_tcp4_resp, RAW, false,
	  "IP 202.83.176.248.80 > 203.0.113.1.40002: Flags [P.], seq 7001:7060, ack 1029, win 5840, length 59: HTTP: HTTP/1.0 200 OK" },
	{ "tcp4_rst", c_tcp4_rst, RAW, false,
	  "IP 10.0.0.2.23 > 10.0.0.1.1030: Flags [R.], seq 0, ack 77, win 0, length 0" },
	{ "tcp6_sack", c_tcp6_sack, RAW, false,
	  "IP6 2001:db8:1::10.40003 > 2001:df0:9::ca53:b0f8.23: Flags [.], ack 70000, win 1000, options [nop,nop,sack 1 {2:502}], length 0" },
	{ "tcp6_fin_data", c_tcp6_fin_data, RAW, false,
	  "IP6 2001:db8:1::10.40004 > 2001:df0:9:0:202:83:176:248.2323: Flags [FP.], seq 10:15, ack 20, win 1000, length 5" },
	{ "udp4", c_udp4, RAW, false,
	  "IP 192.0.2.10.5000 > 198.51.100.7.5001: UDP, length 3" },
	{ "echo4", c_echo4, RAW, false,
	  "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 10, length 16" },
	{ "unreach4_port", c_unreach4_port, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP 10.9.9.9 udp port 33434 unreachable, length 44" },
	{ "unreach4_host", c_unreach4_host, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP host 10.9.9.9 unreachable, length 44" },
	{ "unreach4_frag", c_unreach4_frag, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP 10.9.9.9 unreachable - need to frag (mtu 1400), length 44" },
	{ "timex4", c_timex4, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP time exceeded in-transit, length 44" },
	{ "frag4_later", c_frag4_later, RAW, false,
	  "IP 10.0.0.1 > 10.0.0.2: ip-proto-17" },
	{ "proto4_unknown", c_proto4_unknown, RAW, false,
	  "IP 10.0.0.1 > 10.0.0.2:  ip-proto-99 4" },
	{ "eth_ns", c_eth_ns, ETH, false,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::1:ff75:241b: ICMP6, neighbor solicitation, who has fe80::20c:86ff:fe75:241b, length 32" },
	{ "eth_ns_e", c_eth_ns, ETH, true,
	  "00:0f:ea:2c:d5:18 > 33:33:ff:75:24:1b, ethertype IPv6 (0x86dd), length 86: fe80::20f:eaff:fe2c:d518 > ff02::1:ff75:241b: ICMP6, neighbor solicitation, who has fe80::20c:86ff:fe75:241b, length 32" },
	{ "eth_tcp4", c_eth_tcp4, ETH, false,
	  "IP 10.0.0.1.1024 > 10.0.0.2.80: Flags [S], seq 1, win 65535, options [mss 1460], length 0" },
	{ "eth_tcp4_e", c_eth_tcp4, ETH, true,
	  "00:0f:ea:2c:d5:18 > 00:0c:86:75:24:1b, ethertype IPv4 (0x0800), length 58: 10.0.0.1.1024 > 10.0.0.2.80: Flags [S], seq 1, win 65535, options [mss 1460], length 0" },
	{ "arp_req", c_arp_req, ETH, false,
	  "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28" },
	{ "arp_reply", c_arp_reply, ETH, false,
	  "ARP, Reply 10.0.0.2 is-at 00:0c:86:75:24:1b, length 28" },
	{ "arp_req_e", c_arp_req, ETH, true,
	  "00:0f:ea:2c:d5:18 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28" },
	{ "unreach_code6", c_unreach_code6, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unknown unreach code (6)" },
	{ "unreach_code9", c_unreach_code9, RAW, false,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unknown unreach code (9)" },
	{ "paramprob4", c_paramprob4, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP parameter problem - octet 20, length 44" },
	{ "redirect4", c_redirect4, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP redirect 10.9.9.9 to host 10.0.0.254, length 44" },
	{ "quench4", c_quench4, RAW, false,
	  "IP 10.0.0.254 > 10.0.0.1: ICMP source quench, length 44" },
	{ "tcp4_oddopts", c_tcp4_oddopts, RAW, false,
	  "IP 10.0.0.1.1031 > 10.0.0.2.80: Flags [S], seq 5, win 512, options [mss 1460[len 3],unknown-153 0x0100], length 0" },
	{ "tcp4_badopt", c_tcp4_badopt, RAW, false,
	  "IP 10.0.0.1.1032 > 10.0.0.2.80: Flags [S], seq 5, win 512, options [nop,[bad opt]]" },
	{ "ip4_opts_udp", c_ip4_opts_udp, RAW, false,
	  "IP 10.0.0.1.9 > 224.0.0.22.9: UDP, length 2" },
	{ "udp4_short", c_udp4_short, RAW, false,
	  "IP 192.0.2.10.5000 > 198.51.100.7.5001: UDP, bad length 42 > 3" },
	{ "tcp4_badhlen", c_tcp4_badhlen, RAW, false,
	  "IP 10.0.0.1.1024 > 10.0.0.2.80:  tcp 12 [bad hdr length 12 - too short, < 20]" },
	{ "ip4_in_ip6", c_ip4_in_ip6, RAW, false,
	  "IP6 2001:db8::1 > 2001:db8::2: IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 10, length 16" },
	{ "mld_query1", c_mld_query1, RAW, false,
	  "IP6 fe80::1 > ff02::1: ICMP6, multicast listener querymax resp delay: 10000 addr: ::, length 24" },
	{ "mld_query2", c_mld_query2, RAW, false,
	  "IP6 fe80::1 > ff02::1: ICMP6, multicast listener query v2 [gaddr ::], length 28" },
	{ "mld_done", c_mld_done, RAW, false,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::2: ICMP6, multicast listener donemax resp delay: 0 addr: ff02::1:ff2c:d518, length 24" },
	{ "eth_pppoed", c_eth_pppoed, ETH, false, "PPPoE PADI [Service-Name]" },
	{ "eth_unknown", c_eth_unknown, ETH, false,
	  "00:0f:ea:2c:d5:18 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 22:" },
	{ "eth_unknown_e", c_eth_unknown, ETH, true,
	  "00:0f:ea:2c:d5:18 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 22:" },
};
#define NCASES (sizeof cases / sizeof cases[0])

#ifdef TRACE_TEST_DUMP
/*
 * Development mode (see the top of the file): DIR/NN.pcap holds case NN,
 * DIR/NN_t.pcap the same packet cut at every length below its own, with
 * the wire length kept (tcpdump -s style). Our line for each is printed,
 * one per packet in file order, for a line-by-line diff with tcpdump's.
 */
int main(int argc, char **argv);

static void dump_case(const char *dir, size_t i, const uint8_t *pkt, size_t n)
{
	const struct tcase *c = &cases[i];
	char path[512], line[1024];
	int pdlt = c->dlt == RAW ? DLT_RAW : DLT_EN10MB;
	pcap_t *dead = pcap_open_dead(pdlt, 65535);

	snprintf(path, sizeof path, "%s/%02zu.pcap", dir, i);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
	pcap_dump((u_char *)d, &h, pkt);
	pcap_dump_close(d);
	trace_format(line, sizeof line, c->dlt, pkt, n, c->with_link);
	printf("%02zu %s %s\t%s\n", i, c->name, c->with_link ? "-e" : "--", line);

	snprintf(path, sizeof path, "%s/%02zu_t.pcap", dir, i);
	d = pcap_dump_open(dead, path);
	for (size_t cut = 0; cut < n; cut++) {
		h.caplen = (bpf_u_int32)cut;
		pcap_dump((u_char *)d, &h, pkt);
		trace_format_snap(line, sizeof line, c->dlt, pkt, cut, n, c->with_link);
		printf("%02zu_t %s %s\t%s\n", i, c->name, c->with_link ? "-e" : "--", line);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

int main(int argc, char **argv)
{
	uint8_t pkt[PKT_MAX];

	if (argc != 2)
		return 2;
	for (size_t i = 0; i < NCASES; i++) {
		size_t n = cases[i].build(pkt);
		if (n == 0) {
			fprintf(stderr, "case %s: build failed\n", cases[i].name);
			return 1;
		}
		dump_case(argv[1], i, pkt, n);
	}
	return 0;
}
#else
/* ---- the suite ---------------------------------------------------------- */

static bool check_line(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return true;
	fprintf(stderr, "\n%s:\n  got:  %s\n  want: %s\n", what, got, want);
	return false;
}

/* Every case, whole: the line tcpdump printed for it. */
static void test_decode_cases(void)
{
	uint8_t pkt[PKT_MAX];
	char line[1024];

	for (size_t i = 0; i < NCASES; i++) {
		const struct tcase *c = &cases[i];
		size_t n = c->build(pkt);
		CU_ASSERT_FATAL(n > 0);
		size_t w = trace_format(line, sizeof line, c->dlt, pkt, n, c->with_link);
		CU_ASSERT_EQUAL(w, strlen(line));
		if (c->expect)
			CU_ASSERT_TRUE(check_line(c->name, line, c->expect));
	}
}

/* DHCPv6 and PPPoE are the next issue's: until their printers exist the
 * ports and ethertypes reach their dispatch points and get the generic forms
 * (tcpdump says "dhcp6 solicit" and "PPPoE PADI [Service-Name]"). */
static void test_dispatch_points(void)
{
	uint8_t pkt[PKT_MAX];
	char line[256];
	size_t n = c_dhcp6(pkt);

	trace_format(line, sizeof line, RAW, pkt, n, false);
	CU_ASSERT_STRING_EQUAL(line, "IP6 fe80::20f:eaff:fe2c:d518.546 > ff02::1:2.547: dhcp6 solicit");
	n = c_eth_pppoed(pkt);
	trace_format(line, sizeof line, ETH, pkt, n, false);
	CU_ASSERT_STRING_EQUAL(line, "PPPoE PADI [Service-Name]");
	trace_format(line, sizeof line, ETH, pkt, n, true);
	CU_ASSERT_STRING_EQUAL(line, "00:0f:ea:2c:d5:18 > ff:ff:ff:ff:ff:ff, ethertype PPPoE D "
	                             "(0x8863), length 24: PPPoE PADI [Service-Name]");
}

/* Captures cut short (tcpdump -s): the [|proto] forms tcpdump -S printed
 * for the same packet cut at `cut` bytes, trailing blanks dropped. */
struct tcut {
	size_t (*build)(uint8_t *out);
	int dlt;
	bool with_link;
	size_t cut;
	const char *expect;
};

static const struct tcut cuts[] = {
	{ c_echo6, RAW, false, 20,
	  " [|ip6]" },
	{ c_echo6, RAW, false, 41,
	  "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request [|icmp6]" },
	{ c_echo6, RAW, false, 44,
	  "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request [|icmp6]" },
	{ c_echo6, RAW, false, 47,
	  "IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request [|icmp6]" },
	{ c_unreach_route, RAW, false, 60,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unreachable route [|icmp6]" },
	{ c_unreach_port, RAW, false, 89,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unreachable port [|icmp6]" },
	{ c_unreach_port, RAW, false, 92,
	  "IP6 2001:db8::fe > 2001:db8:1::10: ICMP6, destination unreachable, unreachable port, 2001:db8:2::1 udp port 33434, length 64" },
	{ c_ns, RAW, false, 50,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::1:ff75:241b: ICMP6, neighbor solicitation [|icmp6]" },
	{ c_mld1, RAW, false, 42,
	  "IP6 fe80::20f:eaff:fe2c:d518 > ff02::1:ff2c:d518: ICMP6, multicast listener report, length 24" },
	{ c_tcp4_synack, RAW, false, 45,
	  "IP 202.83.176.248.80 > 203.0.113.1.40000: Flags [S.], seq 3000000000, ack 2, win 5840, options [mss 1440,nop, [|tcp]" },
	{ c_tcp4_synack, RAW, false, 47,
	  "IP 202.83.176.248.80 > 203.0.113.1.40000: Flags [S.], seq 3000000000, ack 2, win 5840, options [mss 1440,nop,wscale [|tcp]>" },
	{ c_tcp4_synack, RAW, false, 52,
	  "IP 202.83.176.248.80 > 203.0.113.1.40000: Flags [S.], seq 3000000000, ack 2, win 5840, options [mss 1440,nop,wscale 6,sackOK,TS [|tcp]>" },
	{ c_tcp6_sack, RAW, false, 66,
	  "IP6 2001:db8:1::10.40003 > 2001:df0:9::ca53:b0f8.23: Flags [.], ack 70000, win 1000, options [nop,nop,sack 1  [|tcp]>" },
	{ c_tcp4_get, RAW, false, 43,
	  "IP 203.0.113.1.40001 > 202.83.176.248.80: Flags [P.], seq 1001:1028, ack 5001, win 65535, length 27: HTTP" },
	{ c_tcp4_get, RAW, false, 50,
	  "IP 203.0.113.1.40001 > 202.83.176.248.80: Flags [P.], seq 1001:1028, ack 5001, win 65535, length 27: HTTP [|http]" },
	{ c_frag6_first, RAW, false, 43,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1:  [|frag6]" },
	{ c_frag6_first, RAW, false, 48,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: frag (0|16)" },
	{ c_rthdr_udp, RAW, false, 43,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1: RT6 (len=2, type=0 [Deprecated] [|rt6]" },
	{ c_udp6, RAW, false, 42,
	  "IP6 2001:db8:1::10 > 2001:db8:2::1:  [|udp]" },
	{ c_udp6, RAW, false, 45,
	  "IP6 2001:db8:1::10.50000 > 2001:db8:2::1.7777:  [|udp]" },
	{ c_arp_req, ETH, false, 20,
	  " [|arp]" },
	{ c_arp_req, ETH, false, 30,
	  " [|arp]" },
	{ c_arp_req, ETH, true, 30,
	  "00:0f:ea:2c:d5:18 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42:  [|arp]" },
	{ c_eth_ns, ETH, true, 10,
	  " [|ether]" },
	{ c_eth_ns, ETH, true, 30,
	  "00:0f:ea:2c:d5:18 > 33:33:ff:75:24:1b, ethertype IPv6 (0x86dd), length 86:  [|ip6]" },
	{ c_eth_tcp4, ETH, true, 40,
	  "00:0f:ea:2c:d5:18 > 00:0c:86:75:24:1b, ethertype IPv4 (0x0800), length 58: 10.0.0.1.1024 > 10.0.0.2.80:  [|tcp]" },
	{ c_timex4, RAW, false, 30,
	  "IP 10.0.0.254 > 10.0.0.1:  [|icmp]" },
	{ c_unreach4_port, RAW, false, 50,
	  "IP 10.0.0.254 > 10.0.0.1:  [|icmp]" },	{ c_tcp4_oddopts, RAW, false, 47,
	  "IP 10.0.0.1.1031 > 10.0.0.2.80: Flags [S], seq 5, win 512, options [mss 1460[len 3],unknown-153 0x01 [|tcp]>" },
	{ c_udp4_short, RAW, false, 26,
	  "IP 192.0.2.10.5000 > 198.51.100.7.5001:  [|udp]" },
	{ c_ip4_in_ip6, RAW, false, 40,
	  "IP6 2001:db8::1 > 2001:db8::2:  [|ip]" },
	{ c_ip4_in_ip6, RAW, false, 41,
	  "IP6 2001:db8::1 > 2001:db8::2: IP  [|ip]" },
	{ c_eth_tcp4, ETH, false, 34,
	  "IP 10.0.0.1 > 10.0.0.2: [|tcp]" },
	{ c_tcp4_badopt, RAW, false, 42,
	  "IP 10.0.0.1.1032 > 10.0.0.2.80: Flags [S], seq 5, win 512, options [nop, [|tcp]" },
};

static void test_truncated(void)
{
	uint8_t pkt[PKT_MAX];
	char line[1024], what[64];

	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		const struct tcut *c = &cuts[i];
		size_t n = c->build(pkt);
		CU_ASSERT_FATAL(n > c->cut);
		trace_format_snap(line, sizeof line, c->dlt, pkt, c->cut, n, c->with_link);
		snprintf(what, sizeof what, "cut #%zu at %zu", i, c->cut);
		CU_ASSERT_TRUE(check_line(what, line, c->expect));
	}
}

/*
 * Every case cut at every length, each copy in a heap block of exactly the
 * captured size, so AddressSanitizer sees any read past the capture. The
 * header of the link must always be reported truncated when it is cut.
 */
static void test_never_reads_past_capture(void)
{
	uint8_t pkt[PKT_MAX];
	char line[1024];

	for (size_t i = 0; i < NCASES; i++) {
		const struct tcase *c = &cases[i];
		size_t n = c->build(pkt);
		size_t hdr = c->dlt == ETH ? 14 : 20;
		for (size_t cut = 0; cut <= n; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			CU_ASSERT_FATAL(copy != NULL);
			memcpy(copy, pkt, cut);
			size_t w = trace_format_snap(line, sizeof line, c->dlt, copy, cut, n, c->with_link);
			CU_ASSERT_EQUAL(w, strlen(line));
			if (cut < hdr)
				CU_ASSERT_PTR_NOT_NULL(strstr(line, "[|"));
			free(copy);
		}
	}
}

/* A buffer too small: cut and terminated, the full length still returned. */
static void test_small_buffer(void)
{
	uint8_t pkt[PKT_MAX];
	size_t n = c_echo6(pkt);
	char full[256];
	size_t want = trace_format(full, sizeof full, RAW, pkt, n, false);
	char *small = malloc(10);

	CU_ASSERT_FATAL(small != NULL);
	CU_ASSERT_EQUAL(trace_format(small, 10, RAW, pkt, n, false), want);
	CU_ASSERT_EQUAL(strlen(small), 9);
	CU_ASSERT_EQUAL(memcmp(small, full, 9), 0);
	CU_ASSERT_EQUAL(trace_format(small, 0, RAW, pkt, n, false), want);
	free(small);
	CU_ASSERT_EQUAL(trace_format(full, sizeof full, 999, pkt, n, false), strlen(full));
	CU_ASSERT_STRING_EQUAL(full, "unknown link type 999, length 56");
	trace_format(full, sizeof full, RAW, NULL, 0, false);
	CU_ASSERT_STRING_EQUAL(full, " [|ip]");
}

/* RFC 5952 text, checked against the C library's inet_ntop. */
static void test_ip6_text(void)
{
	static const char *const addrs[] = {
		"::", "::1", "1::", "2001:db8::1", "2001:db8:0:0:1:0:0:1", "fe80::1:0:0:1",
		"2001:0:0:1::1", "1:0:2:0:3:0:4:0", "::ffff:10.0.0.1", "::10.0.0.1", "ff02::1:ff2c:d518",
		"2001:df0:9::202:83:176:248", "1:2:3:4:5:6:7:8", "0:1::", "::ffff:0:0",
	};
	char got[64], want[INET6_ADDRSTRLEN];
	uint8_t a[16];

	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		struct trace_buf b = { .s = got, .cap = sizeof got };
		pb_addr6(addrs[i], a);
		tb_ip6addr(&b, a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(inet_ntop(AF_INET6, a, want, sizeof want));
		CU_ASSERT_TRUE(check_line(addrs[i], got, want));
	}
}

/* 2009-11-06 11:59:00 UTC, the seed's date. */
#define START_NS (1257508740ull * 1000000000ull)

static void test_trace_line(void)
{
	struct sim sim;
	struct sim_link link;
	uint8_t pkt[PKT_MAX];
	char line[512];

	memset(&sim, 0, sizeof sim);
	memset(&link, 0, sizeof link);
	sim.start_unix_ns = START_NS;
	snprintf(link.name, sizeof link.name, "lan");
	struct sim_frame_info f = { .link = &link, .time = 10 * SIM_S + 10544 * SIM_US + 999,
		                    .data = pkt, .len = c_eth_ns(pkt) };
	trace_line(line, sizeof line, &sim, &f, ETH);
	CU_ASSERT_STRING_EQUAL(line, "11:59:10.010544 lan IP6 fe80::20f:eaff:fe2c:d518 > "
	                             "ff02::1:ff75:241b: ICMP6, neighbor solicitation, who has "
	                             "fe80::20c:86ff:fe75:241b, length 32");
	/* Past midnight the clock wraps; a lost frame says so. */
	f.time = 12 * 3600 * SIM_S + SIM_US;
	f.lost = true;
	f.len = c_echo4(pkt);
	trace_line(line, sizeof line, &sim, &f, RAW);
	CU_ASSERT_STRING_EQUAL(line, "23:59:00.000001 lan IP 10.0.0.1 > 10.0.0.2: ICMP echo "
	                             "request, id 1, seq 10, length 16 (lost)");
	f.time += 61 * SIM_S;
	char small[12];
	trace_line(small, sizeof small, &sim, &f, RAW);
	CU_ASSERT_STRING_EQUAL(small, "00:00:01.00");
}

/* ---- pcap writer ---- */

struct frames {
	uint8_t data[3][PKT_MAX];
	size_t len[3];
	sim_time time[3];
};

static void make_frames(struct frames *fr, bool eth)
{
	fr->len[0] = eth ? c_eth_ns(fr->data[0]) : c_echo6(fr->data[0]);
	fr->len[1] = eth ? c_arp_req(fr->data[1]) : c_tcp4_syn(fr->data[1]);
	fr->len[2] = eth ? c_eth_tcp4(fr->data[2]) : c_ra(fr->data[2]);
	fr->time[0] = 0;
	fr->time[1] = 1500 * SIM_US + 999; /* sub-microsecond part dropped */
	fr->time[2] = 3601 * SIM_S + 7 * SIM_US;
}

static int write_frames(const char *path, int dlt, const struct frames *fr)
{
	char err[256];
	struct trace_pcap *w = trace_pcap_open(path, dlt, START_NS, err, sizeof err);

	if (!w) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		struct sim_frame_info f = { .time = fr->time[i], .data = fr->data[i], .len = fr->len[i] };
		trace_pcap_tap(w, &f);
	}
	if (trace_pcap_count(w) != 3)
		return -1;
	return trace_pcap_close(w);
}

static long file_size_and_bytes(const char *path, uint8_t *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	size_t n = fread(buf, 1, cap, fp);
	fclose(fp);
	return (long)n;
}

static void check_readback(const char *path, int want_dlt, const struct frames *fr)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *data;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(pcap_datalink(p), want_dlt);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(pcap_next_ex(p, &h, &data), 1);
		uint64_t ns = START_NS + fr->time[i];
		CU_ASSERT_EQUAL((uint64_t)h->ts.tv_sec, ns / 1000000000u);
		CU_ASSERT_EQUAL((uint64_t)h->ts.tv_usec, ns % 1000000000u / 1000u);
		CU_ASSERT_EQUAL(h->caplen, fr->len[i]);
		CU_ASSERT_EQUAL(h->len, fr->len[i]);
		CU_ASSERT_EQUAL(memcmp(data, fr->data[i], fr->len[i]), 0);
	}
	CU_ASSERT_EQUAL(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

static void test_pcap_roundtrip(void)
{
	char dir[] = "/tmp/v6lab-trace-XXXXXX", a[128], b[128], tmp[140];
	static struct frames fr;
	static uint8_t ba[65536], bb[65536];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (int eth = 0; eth <= 1; eth++) {
		make_frames(&fr, eth);
		int dlt = eth ? ETH : RAW;
		snprintf(a, sizeof a, "%s/a.pcap", dir);
		snprintf(b, sizeof b, "%s/b.pcap", dir);
		snprintf(tmp, sizeof tmp, "%s.tmp", a);
		CU_ASSERT_EQUAL(write_frames(a, dlt, &fr), 0);
		CU_ASSERT_EQUAL(access(tmp, F_OK), -1); /* renamed into place */
		check_readback(a, eth ? DLT_EN10MB : DLT_RAW, &fr);
		/* Same frames, same bytes. */
		CU_ASSERT_EQUAL(write_frames(b, dlt, &fr), 0);
		long na = file_size_and_bytes(a, ba, sizeof ba), nb = file_size_and_bytes(b, bb, sizeof bb);
		CU_ASSERT(na > 24);
		CU_ASSERT_EQUAL(na, nb);
		CU_ASSERT_EQUAL(memcmp(ba, bb, (size_t)na), 0);
		/* The file header names LINKTYPE_RAW (101) or LINKTYPE_ETHERNET (1). */
		uint32_t lt = (uint32_t)ba[20] | (uint32_t)ba[21] << 8 | (uint32_t)ba[22] << 16 |
		              (uint32_t)ba[23] << 24;
		CU_ASSERT_EQUAL(lt, eth ? 1u : 101u);
		remove(a);
		remove(b);
	}
	rmdir(dir);
}

static void test_pcap_errors(void)
{
	char err[256] = "";

	CU_ASSERT_PTR_NULL(trace_pcap_open("/nonexistent-dir/x.pcap", ETH, 0, err, sizeof err));
	CU_ASSERT(strlen(err) > 0);
	err[0] = '\0';
	CU_ASSERT_PTR_NULL(trace_pcap_open("/tmp/x.pcap", 4242, 0, err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "link type"));
	CU_ASSERT_EQUAL(trace_pcap_close(NULL), -1);

	struct sim_link link;
	memset(&link, 0, sizeof link);
	link.kind = LINK_ETHERNET;
	CU_ASSERT_EQUAL(trace_link_dlt(&link), ETH);
	link.kind = LINK_P2P;
	CU_ASSERT_EQUAL(trace_link_dlt(&link), RAW);
	link.kind = LINK_PATH;
	CU_ASSERT_EQUAL(trace_link_dlt(&link), RAW);
}

int suite_trace(void);

int suite_trace(void)
{
	CU_pSuite s = CU_add_suite("trace", NULL, NULL);

	if (!s || !CU_add_test(s, "decode_cases", test_decode_cases) ||
	    !CU_add_test(s, "dispatch_points", test_dispatch_points) ||
	    !CU_add_test(s, "truncated", test_truncated) ||
	    !CU_add_test(s, "never_reads_past_capture", test_never_reads_past_capture) ||
	    !CU_add_test(s, "small_buffer", test_small_buffer) ||
	    !CU_add_test(s, "ip6_text", test_ip6_text) ||
	    !CU_add_test(s, "trace_line", test_trace_line) ||
	    !CU_add_test(s, "pcap_roundtrip", test_pcap_roundtrip) ||
	    !CU_add_test(s, "pcap_errors", test_pcap_errors))
		return -1;
	return 0;
}
#endif
