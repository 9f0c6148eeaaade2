/*
 * The capture diff engine (sim/diff/): captures written here with
 * libpcap's pcap_dump from packets built with libnet (pktbuild.h) or by
 * hand, then compared; the report must name the field that was changed,
 * by its protocol name, with both values and the offset computed here
 * from the protocol layouts (not from the code under test).
 */
#include "pktbuild.h"
#include "diff/fields.h"
#include "diff/pcapdiff.h"

#include <CUnit/CUnit.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXP 8
#define T0 1257508740u   /* 2009-11-06 11:59:00 UTC */

struct frame {
	uint8_t b[PB_MAX];
	size_t len, caplen;  /* caplen 0: all of it */
	uint64_t ts_ns;
};

struct cap {
	int dlt;
	bool nsec;
	size_t n;
	struct frame f[MAXP];
};

struct outcome {
	int rc;
	struct pcapdiff_result r;
	char *report;
};

static void cap_add(struct cap *c, const uint8_t *p, size_t len)
{
	if (c->n >= MAXP || len > PB_MAX)
		return;
	struct frame *f = &c->f[c->n];
	memcpy(f->b, p, len);
	f->len = len;
	f->caplen = 0;
	f->ts_ns = (uint64_t)(T0 + c->n) * 1000000000u;
	c->n++;
}

static void write_cap(const char *path, const struct cap *c)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(
		c->dlt, 65535, c->nsec ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (size_t i = 0; i < c->n; i++) {
		const struct frame *f = &c->f[i];
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)(f->caplen ? f->caplen : f->len),
		                         .len = (bpf_u_int32)f->len };
		h.ts.tv_sec = (time_t)(f->ts_ns / 1000000000u);
		h.ts.tv_usec = (suseconds_t)(f->ts_ns % 1000000000u / (c->nsec ? 1u : 1000u));
		pcap_dump((u_char *)d, &h, f->b);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

/* Write both captures into a fresh directory, compare them, keep the
 * report, remove the files. */
static struct outcome diff_caps(const struct cap *a, const struct cap *b,
                                const struct pcapdiff_opts *o)
{
	struct outcome out = { 0 };
	size_t sz = 0;
	char dir[] = "/tmp/pcapdiff-XXXXXX", pa[64], pb[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(pa, sizeof pa, "%s/saved.pcap", dir);
	snprintf(pb, sizeof pb, "%s/now.pcap", dir);
	write_cap(pa, a);
	write_cap(pb, b);
	FILE *f = open_memstream(&out.report, &sz);
	out.rc = pcapdiff_files(pa, pb, o, f, &out.r);
	fclose(f);
	unlink(pa);
	unlink(pb);
	rmdir(dir);
	return out;
}

/* The report holds `want`; print it all when it does not. */
static int has(const struct outcome *o, const char *want)
{
	if (o->report && strstr(o->report, want))
		return 1;
	fprintf(stderr, "\nwanted: %s\nreport:\n%s\n", want, o->report ? o->report : "(none)");
	return 0;
}
#define ASSERT_HAS(o, s) CU_ASSERT_TRUE(has(&(o), (s)))

static void done(struct outcome *o)
{
	free(o->report);
	o->report = NULL;
}

/* ---- packet builders -------------------------------------------------- */

static const uint8_t MAC_K7[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t MAC_BRAS[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };

static size_t ether(uint8_t *o, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(o, dst, 6);
	memcpy(o + 6, src, 6);
	o[12] = (uint8_t)(type >> 8);
	o[13] = (uint8_t)type;
	return 14;
}

static size_t ip6_pkt(uint8_t *o, uint8_t hlim, const struct pb_l4 *l4)
{
	struct pb_ip6 ip = { .src = "2001:44b8:7bf1:a51::1", .dst = "2001:4f8:fff6::21",
		             .hlim = hlim };
	size_t n = pb_ip6(o, PB_MAX, &ip, l4);
	CU_ASSERT_FATAL(n > 0);
	return n;
}

static size_t ip4_pkt(uint8_t *o, uint8_t ttl, uint16_t id, const struct pb_l4 *l4)
{
	struct pb_ip4 ip = { .src = "192.0.2.1", .dst = "202.83.176.248", .ttl = ttl, .id = id };
	size_t n = pb_ip4(o, PB_MAX, &ip, l4);
	CU_ASSERT_FATAL(n > 0);
	return n;
}

static size_t echo6(uint8_t *o, uint8_t type, uint16_t seq, uint8_t hlim)
{
	static const uint8_t data[8] = "v6lab!!";
	struct pb_l4 l4 = { .proto = 58, .type = type, .word = 0x00010000u | seq,
		            .payload = data, .payload_len = sizeof data };
	return ip6_pkt(o, hlim, &l4);
}

/* An Ethernet frame around an IPv6 echo request. */
static size_t eth_echo6(uint8_t *o, uint8_t hlim)
{
	size_t n = ether(o, MAC_BRAS, MAC_K7, 0x86dd);
	return n + echo6(o + n, 128, 1, hlim);
}

static struct cap *new_cap(int dlt)
{
	struct cap *c = calloc(1, sizeof *c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	c->dlt = dlt;
	return c;
}

/* Compare a one-packet capture with one holding `q` instead of `p`. */
static struct outcome diff_one(int dlt, const uint8_t *p, size_t plen, const uint8_t *q,
                               size_t qlen, const struct pcapdiff_opts *o)
{
	struct cap *a = new_cap(dlt), *b = new_cap(dlt);
	cap_add(a, p, plen);
	cap_add(b, q, qlen);
	struct outcome out = diff_caps(a, b, o);
	free(a);
	free(b);
	return out;
}

/* PPPoE: a discovery PADI with Service-Name and Host-Uniq tags. */
static size_t padi(uint8_t *o, uint8_t uniq)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t n = ether(o, bcast, MAC_K7, 0x8863);
	const uint8_t body[] = { 0x11, 0x09, 0x00, 0x00, 0x00, 10,
		                 0x01, 0x01, 0x00, 0x00, 0x01, 0x03, 0x00, 0x02, 0x01, uniq };
	memcpy(o + n, body, sizeof body);
	return n + sizeof body;
}

/* PPPoE session carrying PPP (proto) with an LCP-style Conf-Request
 * holding an MRU option. */
static size_t lcp_confreq(uint8_t *o, uint16_t sid, uint16_t proto, uint16_t mru)
{
	size_t n = ether(o, MAC_BRAS, MAC_K7, 0x8864);
	const uint8_t body[] = { 0x11, 0x00, (uint8_t)(sid >> 8), (uint8_t)sid, 0x00, 10,
		                 (uint8_t)(proto >> 8), (uint8_t)proto, 0x01, 0x01, 0x00, 0x08,
		                 0x01, 0x04, (uint8_t)(mru >> 8), (uint8_t)mru };
	memcpy(o + n, body, sizeof body);
	return n + sizeof body;
}

static size_t arp_req(uint8_t *o, uint16_t op, uint8_t tpa_last)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t n = ether(o, bcast, MAC_K7, 0x0806);
	uint8_t body[28] = { 0x00, 0x01, 0x08, 0x00, 6, 4, (uint8_t)(op >> 8), (uint8_t)op };
	memcpy(body + 8, MAC_K7, 6);
	pb_addr4("192.0.2.10", body + 14);
	pb_addr4("192.0.2.0", body + 24);
	body[27] = tpa_last;
	memcpy(o + n, body, sizeof body);
	return n + sizeof body;
}

static void test_identical(void)
{
	struct cap *c = new_cap(DLT_EN10MB);
	uint8_t p[PB_MAX];

	cap_add(c, p, eth_echo6(p, 64));
	cap_add(c, p, arp_req(p, 1, 1));
	cap_add(c, p, padi(p, 2));
	cap_add(c, p, lcp_confreq(p, 1, 0xc021, 1492));
	struct outcome o = diff_caps(c, c, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_SAME);
	CU_ASSERT_EQUAL(o.r.compared, 4);
	CU_ASSERT_EQUAL(o.r.differing + o.r.missing + o.r.extra, 0);
	CU_ASSERT_STRING_EQUAL(o.report, "");
	done(&o);
	free(c);
}

static void test_ether(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = eth_echo6(p, 64);

	memcpy(q, p, n);
	q[11] = 0x19;
	struct outcome o = diff_one(DLT_EN10MB, p, n, q, n, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	CU_ASSERT_EQUAL(o.r.differing, 1);
	CU_ASSERT_EQUAL(o.r.first_differing, 1);
	ASSERT_HAS(o, "packet #1 differs (saved 11:59:00.000000, now 11:59:00.000000):\n"
	              "  eth.src: saved 00:0f:ea:2c:d5:18, now 00:0f:ea:2c:d5:19 (offset 6)\n");
	/* Both decodes, tcpdump -e style. */
	ASSERT_HAS(o, "  saved: 00:0f:ea:2c:d5:18 > 00:0c:86:75:24:1b, ethertype IPv6");
	ASSERT_HAS(o, "  now:   00:0f:ea:2c:d5:19 > 00:0c:86:75:24:1b, ethertype IPv6");
	ASSERT_HAS(o, "1 packets compared: 1 differ, 0 missing, 0 extra");
	done(&o);
	memcpy(q, p, n);
	q[0] = 0x33;
	o = diff_one(DLT_EN10MB, p, n, q, n, NULL);
	ASSERT_HAS(o, "  eth.dst: saved 00:0c:86:75:24:1b, now 33:0c:86:75:24:1b (offset 0)\n");
	done(&o);
}

static void test_arp(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = arp_req(p, 1, 1);

	struct outcome o = diff_one(DLT_EN10MB, p, n, q, arp_req(q, 1, 2), NULL);
	/* 14 Ethernet + 8 fixed + 6 sha + 4 spa + 6 tha */
	ASSERT_HAS(o, "  arp.dst.proto_ipv4: saved 192.0.2.1, now 192.0.2.2 (offset 38)\n");
	done(&o);
	o = diff_one(DLT_EN10MB, p, n, q, arp_req(q, 2, 1), NULL);
	ASSERT_HAS(o, "  arp.opcode: saved 1, now 2 (offset 20)\n");
	done(&o);
}

static void test_ipv4(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	char want[128];
	struct pb_l4 udp = { .proto = 17, .sport = 40000, .dport = 9 };
	size_t n = ip4_pkt(p, 64, 1, &udp), m = ip4_pkt(q, 63, 1, &udp);

	struct outcome o = diff_one(DLT_RAW, p, n, q, m, NULL);
	ASSERT_HAS(o, "  ip.ttl: saved 64, now 63 (offset 8)\n");
	snprintf(want, sizeof want, "  ip.checksum: saved 0x%04x, now 0x%04x (offset 10)\n",
	         p[10] << 8 | p[11], q[10] << 8 | q[11]);
	ASSERT_HAS(o, want);
	CU_ASSERT_PTR_NULL(strstr(o.report, "udp."));   /* TTL is not in UDP's sum */
	done(&o);
	m = ip4_pkt(q, 64, 2, &udp);
	o = diff_one(DLT_RAW, p, n, q, m, NULL);
	ASSERT_HAS(o, "  ip.id: saved 0x0001, now 0x0002 (offset 4)\n");
	done(&o);
}

static void test_ipv6(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = eth_echo6(p, 64), m = eth_echo6(q, 63);

	struct outcome o = diff_one(DLT_EN10MB, p, n, q, m, NULL);
	ASSERT_HAS(o, "  ip6.hlim: saved 64, now 63 (offset 21)\n");
	/* The hop limit is not in the ICMPv6 pseudo-header: nothing else differs. */
	CU_ASSERT_PTR_NULL(strstr(o.report, "icmp6.checksum"));
	done(&o);
}

static void test_icmp4(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	struct pb_l4 e1 = { .proto = 1, .type = 8, .word = 0x00070001 };
	struct pb_l4 e2 = { .proto = 1, .type = 8, .word = 0x00070002 };
	size_t n = ip4_pkt(p, 64, 1, &e1), m = ip4_pkt(q, 64, 1, &e2);
	char want[128];

	struct outcome o = diff_one(DLT_RAW, p, n, q, m, NULL);
	snprintf(want, sizeof want, "  icmp.checksum: saved 0x%04x, now 0x%04x (offset 22)\n",
	         p[22] << 8 | p[23], q[22] << 8 | q[23]);
	ASSERT_HAS(o, want);
	ASSERT_HAS(o, "  icmp.seq: saved 1, now 2 (offset 26)\n");
	done(&o);
}

static size_t ns6(uint8_t *o, const char *target, uint8_t mac_last)
{
	uint8_t body[24];
	pb_addr6(target, body);
	body[16] = 1;
	body[17] = 1;
	memcpy(body + 18, MAC_K7, 6);
	body[23] = mac_last;
	struct pb_l4 l4 = { .proto = 58, .type = 135, .payload = body, .payload_len = sizeof body };
	return ip6_pkt(o, 255, &l4);
}

static void test_icmp6_nd(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = ns6(p, "fe80::1", 0x18);

	struct outcome o = diff_one(DLT_RAW, p, n, q, ns6(q, "fe80::2", 0x18), NULL);
	ASSERT_HAS(o, "  icmp6.checksum: saved 0x");
	ASSERT_HAS(o, "  icmp6.nd.target: saved fe80::1, now fe80::2 (offset 48)\n");
	done(&o);
	o = diff_one(DLT_RAW, p, n, q, ns6(q, "fe80::1", 0x19), NULL);
	/* 40 IPv6 + 24 NS + option type and length */
	ASSERT_HAS(o, "  icmp6.option slla: saved 00:0f:ea:2c:d5:18, now 00:0f:ea:2c:d5:19 "
	              "(offset 66)\n");
	done(&o);
	o = diff_one(DLT_RAW, p, echo6(p, 128, 1, 64), q, echo6(q, 129, 1, 64), NULL);
	ASSERT_HAS(o, "  icmp6.type: saved 128, now 129 (offset 40)\n");
	done(&o);
}

static void test_udp(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	static const uint8_t data[4] = { 1, 2, 3, 4 };
	struct pb_l4 good = { .proto = 17, .sport = 40000, .dport = 9, .payload = data,
		              .payload_len = 4 };
	struct pb_l4 bad = good;
	char want[128];

	bad.csum = PB_CSUM_BAD;
	size_t n = ip6_pkt(p, 64, &good), m = ip6_pkt(q, 64, &bad);
	struct outcome o = diff_one(DLT_RAW, p, n, q, m, NULL);
	snprintf(want, sizeof want, "  udp.checksum: saved 0x%04x, now 0x%04x (offset 46)\n",
	         p[46] << 8 | p[47], q[46] << 8 | q[47]);
	ASSERT_HAS(o, want);
	done(&o);
}

/* IPv4 + TCP SYN with one MSS option, by hand (checksums left 0). */
static size_t syn_mss(uint8_t *o, uint16_t mss)
{
	const uint8_t pkt[44] = {
		0x45, 0, 0, 44, 0, 1, 0, 0, 64, 6, 0, 0, 192, 0, 2, 1, 202, 83, 176, 248,
		0x9c, 0x40, 0, 80, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0x60, 0x02, 0xff, 0xff, 0, 0, 0, 0,
		2, 4, (uint8_t)(mss >> 8), (uint8_t)mss,
	};
	memcpy(o, pkt, sizeof pkt);
	return sizeof pkt;
}

static void test_tcp(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	struct pb_l4 a = { .proto = 6, .sport = 40000, .dport = 80, .seq = 1000, .flags = 0x02,
		           .win = 65535 };
	struct pb_l4 b = a;

	b.seq = 1001;
	struct outcome o = diff_one(DLT_RAW, p, ip6_pkt(p, 64, &a), q, ip6_pkt(q, 64, &b), NULL);
	ASSERT_HAS(o, "  tcp.seq: saved 1000, now 1001 (offset 44)\n");
	ASSERT_HAS(o, "  tcp.checksum: saved 0x");
	done(&o);
	b = a;
	b.flags = 0x12;
	b.win = 1024;
	o = diff_one(DLT_RAW, p, ip6_pkt(p, 64, &a), q, ip6_pkt(q, 64, &b), NULL);
	ASSERT_HAS(o, "  tcp.flags: saved 0x002 (SYN), now 0x012 (SYN, ACK) (offset 52)\n");
	ASSERT_HAS(o, "  tcp.window: saved 65535, now 1024 (offset 54)\n");
	done(&o);
	o = diff_one(DLT_RAW, p, syn_mss(p, 1460), q, syn_mss(q, 1440), NULL);
	ASSERT_HAS(o, "  tcp.option mss: saved 1460, now 1440 (offset 42)\n");
	done(&o);
}

static void test_pppoe(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = padi(p, 2);

	struct outcome o = diff_one(DLT_EN10MB, p, n, q, padi(q, 3), NULL);
	/* 14 Ethernet + 6 PPPoE + Service-Name (4) + Host-Uniq type and length */
	ASSERT_HAS(o, "  pppoe.tag Host-Uniq: saved 0x0102, now 0x0103 (offset 28)\n");
	done(&o);
	n = lcp_confreq(p, 1, 0xc021, 1492);
	o = diff_one(DLT_EN10MB, p, n, q, lcp_confreq(q, 2, 0xc021, 1492), NULL);
	ASSERT_HAS(o, "  pppoe.session_id: saved 0x0001, now 0x0002 (offset 16)\n");
	done(&o);
}

static void test_ppp_lcp(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = lcp_confreq(p, 1, 0xc021, 1492);

	struct outcome o = diff_one(DLT_EN10MB, p, n, q, lcp_confreq(q, 1, 0xc021, 1500), NULL);
	/* 14 + 6 PPPoE + 2 protocol + 4 LCP header + option type and length */
	ASSERT_HAS(o, "  lcp.option MRU: saved 1492, now 1500 (offset 28)\n");
	done(&o);
	o = diff_one(DLT_EN10MB, p, n, q, lcp_confreq(q, 1, 0x8021, 1492), NULL);
	ASSERT_HAS(o, "  ppp.protocol: saved 0xc021, now 0x8021 (offset 20)\n");
	ASSERT_HAS(o, "  lcp.code: saved 1, now absent (offset 22)\n");
	ASSERT_HAS(o, "  ipcp.code: saved absent, now 1 (offset 22)\n");
	done(&o);
}

/* A DHCPv6 Solicit from k7: Elapsed Time, then IA_PD, empty or holding an
 * IA Prefix for 2001:44b8:7bf1:a50::/60. */
static size_t solicit(uint8_t *o, uint32_t xid, bool with_prefix)
{
	uint8_t m[80] = { 1, (uint8_t)(xid >> 16), (uint8_t)(xid >> 8), (uint8_t)xid,
		          0, 8, 0, 2, 0, 0,
		          0, 25, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	size_t len = 26;
	if (with_prefix) {
		const uint8_t iapfx[29] = { 0, 26, 0, 25, 0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20, 60 };
		memcpy(m + len, iapfx, sizeof iapfx);
		pb_addr6("2001:44b8:7bf1:a50::", m + len + 13);
		len += sizeof iapfx;
		m[13] = 12 + 29;
	}
	struct pb_l4 l4 = { .proto = 17, .sport = 546, .dport = 547, .payload = m,
		            .payload_len = len };
	return ip6_pkt(o, 1, &l4);
}

static void test_dhcp6(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = solicit(p, 0x123456, false);

	struct outcome o = diff_one(DLT_RAW, p, n, q, solicit(q, 0x123456, true), NULL);
	/* 40 IPv6 + 8 UDP + 4 header + 6 Elapsed Time + IA_PD's code */
	ASSERT_HAS(o, "  dhcp6.option 25 length: saved 12, now 41 (offset 60)\n");
	ASSERT_HAS(o, "  dhcp6.option 26 prefixlen: saved absent, now 60 (offset 86)\n");
	ASSERT_HAS(o, "  dhcp6.option 26 prefix: saved absent, now 2001:44b8:7bf1:a50:: "
	              "(offset 87)\n");
	done(&o);
	o = diff_one(DLT_RAW, p, n, q, solicit(q, 0x123457, false), NULL);
	ASSERT_HAS(o, "  dhcp6.xid: saved 0x123456, now 0x123457 (offset 49)\n");
	done(&o);
}

/* An AAAA answer for www.example.com from a jail's named. */
static size_t dns_answer(uint8_t *o, uint16_t id, const char *addr)
{
	uint8_t m[80] = { (uint8_t)(id >> 8), (uint8_t)id, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		          3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm',
		          0, 0, 28, 0, 1,
		          0xc0, 12, 0, 28, 0, 1, 0, 0, 0x0e, 0x10, 0, 16 };
	size_t len = 45;
	pb_addr6(addr, m + len);
	len += 16;
	struct pb_l4 l4 = { .proto = 17, .sport = 53, .dport = 40000, .payload = m,
		            .payload_len = len };
	return ip4_pkt(o, 64, 1, &l4);
}

static void test_dns(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	size_t n = dns_answer(p, 0x1234, "2001:db8::1");

	struct outcome o = diff_one(DLT_RAW, p, n, q, dns_answer(q, 0x1235, "2001:db8::1"), NULL);
	ASSERT_HAS(o, "  dns.id: saved 0x1234, now 0x1235 (offset 28)\n");
	done(&o);
	o = diff_one(DLT_RAW, p, n, q, dns_answer(q, 0x1234, "2001:db8::2"), NULL);
	/* 20 + 8 + 12 header + 21 question + 2 name pointer + 10 */
	ASSERT_HAS(o, "  dns.aaaa: saved 2001:db8::1, now 2001:db8::2 (offset 73)\n");
	done(&o);
}

static void test_truncated_packet(void)
{
	struct cap *a = new_cap(DLT_EN10MB), *b = new_cap(DLT_EN10MB);
	uint8_t p[PB_MAX];
	size_t n = eth_echo6(p, 64);   /* 14 + 40 + 8 + 8 = 70 */

	CU_ASSERT_EQUAL(n, 70);
	cap_add(a, p, n);
	cap_add(b, p, n);
	b->f[0].caplen = 50;           /* snapped inside the IPv6 header */
	struct outcome o = diff_caps(a, b, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	ASSERT_HAS(o, "  frame.cap_len: saved 70, now 50\n");
	ASSERT_HAS(o, "  ip6.truncated: saved absent, now 36 bytes (offset 14)\n");
	ASSERT_HAS(o, "[|ip6]\n");   /* the decode says where the capture ends */
	done(&o);
	/* A payload length that promises more than the frame has. */
	memcpy(b->f[0].b, p, n);
	b->f[0].caplen = 0;
	b->f[0].b[14 + 4] = 0x40;
	o = diff_caps(a, b, NULL);
	ASSERT_HAS(o, "  ip6.plen: saved 16, now 16400 (offset 18)\n");
	done(&o);
	free(a);
	free(b);
}

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n = -1;
	if (f && fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	if (f)
		fclose(f);
	return n;
}

static void test_truncated_file(void)
{
	struct cap *c = new_cap(DLT_EN10MB);
	uint8_t p[PB_MAX];
	char dir[] = "/tmp/pcapdiff-XXXXXX", full[64], cut[64], want[160];
	struct pcapdiff_result r;

	for (int i = 0; i < 3; i++)
		cap_add(c, p, eth_echo6(p, 64));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(full, sizeof full, "%s/full.pcap", dir);
	snprintf(cut, sizeof cut, "%s/cut.pcap", dir);
	write_cap(full, c);
	write_cap(cut, c);
	CU_ASSERT_EQUAL(file_size(full), 24 + 3 * (16 + 70));
	CU_ASSERT_EQUAL(truncate(cut, 24 + 2 * (16 + 70) + 16 + 30), 0);
	CU_ASSERT_EQUAL(pcapdiff_files(full, cut, NULL, NULL, &r), PCAPDIFF_UNREADABLE);
	snprintf(want, sizeof want, "%s: packet #3, offset %d: ", cut, 24 + 2 * (16 + 70));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.error, want));
	CU_ASSERT_EQUAL(r.compared, 2);
	/* Cut inside the file header: no packet to name. */
	CU_ASSERT_EQUAL(truncate(cut, 10), 0);
	CU_ASSERT_EQUAL(pcapdiff_files(cut, full, NULL, NULL, &r), PCAPDIFF_UNREADABLE);
	CU_ASSERT_EQUAL(strncmp(r.error, cut, strlen(cut)), 0);
	/* Not a capture at all. */
	FILE *f = fopen(cut, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("this is not a capture, it is a transcript\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(pcapdiff_files(full, cut, NULL, NULL, &r), PCAPDIFF_UNREADABLE);
	CU_ASSERT_EQUAL(strncmp(r.error, cut, strlen(cut)), 0);
	CU_ASSERT_EQUAL(pcapdiff_files(full, "/nonexistent/x.pcap", NULL, NULL, &r),
	                PCAPDIFF_UNREADABLE);
	unlink(full);
	unlink(cut);
	rmdir(dir);
	free(c);
}

static void test_linktypes(void)
{
	struct cap *a = new_cap(DLT_EN10MB), *b = new_cap(DLT_RAW);
	uint8_t p[PB_MAX];
	char want[160];
	size_t n = eth_echo6(p, 64);

	cap_add(a, p, n);
	cap_add(b, p + 14, n - 14);
	struct outcome o = diff_caps(a, b, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	CU_ASSERT_TRUE(o.r.linktype_differs);
	CU_ASSERT_EQUAL(o.r.differing, 0);     /* the IP packets are the same */
	snprintf(want, sizeof want, "frame.linktype: saved EN10MB (%d), now RAW (%d); ",
	         DLT_EN10MB, DLT_RAW);
	ASSERT_HAS(o, want);
	done(&o);
	const char *ign[] = { "frame.linktype" };
	struct pcapdiff_opts opts = { .ignore = ign, .n_ignore = 1 };
	o = diff_caps(a, b, &opts);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_SAME);
	done(&o);
	b->f[0].b[7] = 63;
	o = diff_caps(a, b, &opts);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	ASSERT_HAS(o, "  ip6.hlim: saved 64, now 63 (offset 21, now 7)\n");
	done(&o);
	free(a);
	free(b);
}

static void test_counts(void)
{
	struct cap *a = new_cap(DLT_RAW), *b = new_cap(DLT_RAW);
	uint8_t p[PB_MAX];

	for (uint16_t i = 0; i < 4; i++) {
		size_t n = echo6(p, 128, i, 64);
		cap_add(a, p, n);
		if (i < 3)
			cap_add(b, p, n);
	}
	struct outcome o = diff_caps(a, b, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	CU_ASSERT_EQUAL(o.r.compared, 3);
	CU_ASSERT_EQUAL(o.r.missing, 1);
	CU_ASSERT_EQUAL(o.r.extra, 0);
	ASSERT_HAS(o, "packet #4 missing (saved has 4 packets, now 3): 11:59:03.000000 IP6 "
	              "2001:44b8:7bf1:a51::1 > 2001:4f8:fff6::21: ICMP6, echo request");
	done(&o);
	o = diff_caps(b, a, NULL);
	CU_ASSERT_EQUAL(o.r.extra, 1);
	ASSERT_HAS(o, "packet #4 extra (saved has 3 packets, now 4)");
	done(&o);
	b->n = 0;
	o = diff_caps(a, b, NULL);
	CU_ASSERT_EQUAL(o.r.missing, 4);
	CU_ASSERT_EQUAL(o.r.compared, 0);
	ASSERT_HAS(o, "packet #1 missing (saved has 4 packets, now 0)");
	ASSERT_HAS(o, "packet #4 missing (saved has 4 packets, now 0)");
	done(&o);
	free(a);
	free(b);
}

static void test_ignore(void)
{
	uint8_t p[PB_MAX], q[PB_MAX];
	struct pb_l4 udp = { .proto = 17, .sport = 40000, .dport = 9 };
	size_t n = ip4_pkt(p, 64, 1, &udp), m = ip4_pkt(q, 64, 2, &udp);
	const char *id_only[] = { "ip.id" };
	const char *id_sum[] = { "ip.id", "ip.checksum" };
	struct pcapdiff_opts o1 = { .ignore = id_only, .n_ignore = 1 };
	struct pcapdiff_opts o2 = { .ignore = id_sum, .n_ignore = 2 };

	struct outcome o = diff_one(DLT_RAW, p, n, q, m, &o1);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	CU_ASSERT_PTR_NULL(strstr(o.report, "ip.id:"));
	ASSERT_HAS(o, "  ip.checksum: ");
	done(&o);
	o = diff_one(DLT_RAW, p, n, q, m, &o2);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_SAME);
	CU_ASSERT_EQUAL(o.r.differing, 0);
	CU_ASSERT_STRING_EQUAL(o.report, "");
	done(&o);
	/* A pattern covers the fields inside it, not a longer name. */
	const char *opt[] = { "tcp.option" };
	struct pcapdiff_opts o3 = { .ignore = opt, .n_ignore = 1 };
	o = diff_one(DLT_RAW, p, syn_mss(p, 1460), q, syn_mss(q, 1440), &o3);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_SAME);
	done(&o);
	const char *ip[] = { "ip" };
	struct pcapdiff_opts o4 = { .ignore = ip, .n_ignore = 1 };
	o = diff_one(DLT_RAW, p, echo6(p, 128, 1, 64), q, echo6(q, 128, 1, 63), &o4);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);   /* "ip" is not "ip6" */
	done(&o);
}

static void test_time(void)
{
	struct cap *a = new_cap(DLT_RAW), *b = new_cap(DLT_RAW);
	uint8_t p[PB_MAX];
	size_t n = echo6(p, 128, 1, 64);

	cap_add(a, p, n);
	cap_add(b, p, n);
	b->f[0].ts_ns += 1000000;
	struct outcome o = diff_caps(a, b, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_DIFFERENT);
	ASSERT_HAS(o, "packet #1 differs (saved 11:59:00.000000, now 11:59:00.001000):\n"
	              "  frame.time: saved 11:59:00.000000, now 11:59:00.001000 (+1000000 ns)\n");
	done(&o);
	struct pcapdiff_opts it = { .ignore_time = true };
	o = diff_caps(a, b, &it);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_SAME);
	done(&o);
	/* Nanosecond files (tcpdump --time-stamp-precision=nano) against
	 * microsecond ones: the same instants are the same. */
	b->f[0].ts_ns = a->f[0].ts_ns;
	b->nsec = true;
	o = diff_caps(a, b, NULL);
	CU_ASSERT_EQUAL(o.rc, PCAPDIFF_SAME);
	done(&o);
	b->f[0].ts_ns += 500;
	o = diff_caps(a, b, NULL);
	ASSERT_HAS(o, "  frame.time: saved 11:59:00.000000, now 11:59:00.000000500 (+500 ns)\n");
	done(&o);
	free(a);
	free(b);
}

static void test_max(void)
{
	struct cap *a = new_cap(DLT_RAW), *b = new_cap(DLT_RAW);
	uint8_t p[PB_MAX];

	for (uint16_t i = 0; i < 5; i++) {
		cap_add(a, p, echo6(p, 128, i, 64));
		cap_add(b, p, echo6(p, 128, i, 63));
	}
	struct pcapdiff_opts mx = { .max_packets = 2, .max_fields = 1 };
	struct outcome o = diff_caps(a, b, &mx);
	CU_ASSERT_EQUAL(o.r.differing, 5);
	ASSERT_HAS(o, "packet #2 differs");
	CU_ASSERT_PTR_NULL(strstr(o.report, "packet #3"));
	ASSERT_HAS(o, "5 packets compared: 5 differ, 0 missing, 0 extra");
	done(&o);
	free(a);
	free(b);
}

static void test_field_known(void)
{
	CU_ASSERT_TRUE(pcapdiff_field_known("ip.id"));
	CU_ASSERT_TRUE(pcapdiff_field_known("ip6.hlim"));
	CU_ASSERT_TRUE(pcapdiff_field_known("tcp"));
	CU_ASSERT_TRUE(pcapdiff_field_known("dhcp6.option 25 length"));
	CU_ASSERT_TRUE(pcapdiff_field_known("frame.time"));
	CU_ASSERT_FALSE(pcapdiff_field_known("ipp.id"));
	CU_ASSERT_FALSE(pcapdiff_field_known("ip."));
	CU_ASSERT_FALSE(pcapdiff_field_known(""));
}

/* Every byte a walker is given ends up in a field, and no field reaches
 * past the capture, whatever the bytes: mutated and cut real packets. */
static bool covered(const struct pd_fields *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->f[i].len && (fs->f[i].off > fs->caplen ||
		                     fs->f[i].len > fs->caplen - fs->f[i].off))
			return false;
	for (size_t k = 0; k < fs->caplen; k++) {
		bool in = false;
		for (size_t i = 0; i < fs->n && !in; i++)
			in = fs->f[i].len && fs->f[i].off <= k && k < fs->f[i].off + fs->f[i].len;
		if (!in) {
			fprintf(stderr, "\nbyte %zu of %zu not covered\n", k, fs->caplen);
			return false;
		}
	}
	return true;
}

static void test_walk_covers(void)
{
	struct pd_fields *fs = calloc(1, sizeof *fs);
	uint8_t base[8][PB_MAX], q[PB_MAX];
	size_t len[8];
	int dlt[8] = { DLT_EN10MB, DLT_EN10MB, DLT_EN10MB, DLT_EN10MB, DLT_RAW, DLT_RAW,
		       DLT_RAW, DLT_RAW };
	uint32_t rnd = 20091106;
	unsigned bad = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	len[0] = eth_echo6(base[0], 64);
	len[1] = arp_req(base[1], 1, 1);
	len[2] = padi(base[2], 2);
	len[3] = lcp_confreq(base[3], 1, 0xc021, 1492);
	len[4] = solicit(base[4], 1, true);
	len[5] = dns_answer(base[5], 1, "2001:db8::1");
	len[6] = syn_mss(base[6], 1460);
	len[7] = ns6(base[7], "fe80::1", 1);
	for (int it = 0; it < 4000; it++) {
		int k = it % 8;
		memcpy(q, base[k], len[k]);
		for (int j = 0; j < 1 + it % 4; j++) {
			rnd = rnd * 1103515245u + 12345u;
			q[(rnd >> 8) % len[k]] = (uint8_t)(rnd >> 20);
		}
		rnd = rnd * 1103515245u + 12345u;
		size_t cl = it % 3 == 0 ? (rnd >> 8) % (len[k] + 1) : len[k];
		pd_walk(fs, dlt[k], q, cl, len[k], 0, 0);
		if (!covered(fs))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	free(fs);
}

int suite_pcapdiff(void);

int suite_pcapdiff(void)
{
	CU_pSuite s = CU_add_suite("pcapdiff", NULL, NULL);

	if (!s || !CU_add_test(s, "identical", test_identical) ||
	    !CU_add_test(s, "ether", test_ether) || !CU_add_test(s, "arp", test_arp) ||
	    !CU_add_test(s, "ipv4", test_ipv4) || !CU_add_test(s, "ipv6", test_ipv6) ||
	    !CU_add_test(s, "icmp4", test_icmp4) || !CU_add_test(s, "icmp6_nd", test_icmp6_nd) ||
	    !CU_add_test(s, "udp", test_udp) || !CU_add_test(s, "tcp", test_tcp) ||
	    !CU_add_test(s, "pppoe", test_pppoe) || !CU_add_test(s, "ppp_lcp", test_ppp_lcp) ||
	    !CU_add_test(s, "dhcp6", test_dhcp6) || !CU_add_test(s, "dns", test_dns) ||
	    !CU_add_test(s, "truncated_packet", test_truncated_packet) ||
	    !CU_add_test(s, "truncated_file", test_truncated_file) ||
	    !CU_add_test(s, "linktypes", test_linktypes) ||
	    !CU_add_test(s, "counts", test_counts) || !CU_add_test(s, "ignore", test_ignore) ||
	    !CU_add_test(s, "time", test_time) || !CU_add_test(s, "max", test_max) ||
	    !CU_add_test(s, "field_known", test_field_known) ||
	    !CU_add_test(s, "walk_covers", test_walk_covers))
		return -1;
	return 0;
}
