/*
 * nat6to4d's TUN offloads (translator/daemon_offload.c) around the real
 * core: packets that arrive CHECKSUM_PARTIAL (their TCP/UDP checksum field
 * holding only the pseudo-header sum) and GSO super-packets. Each packet is
 * built with libnet (tests/pktbuild.c), turned into its partial form here
 * (the pseudo-header summed by this file), run through offload_prepare, the
 * core and offload_finish, and then finished the way the kernel does it:
 * the one's complement sum from csum_start on, stored at csum_offset. The
 * result must carry a valid checksum (checked by pktbuild's own RFC 1071
 * code) and the virtio-net header the kernel needs to cut it up.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "pktbuild.h"

int suite_offload(void);

#define CLIENT6 "2001:db8:6::2"
#define SERVER6 "2001:df0:9::c000:250" /* 192.0.2.80 */
#define POOL4 "192.0.2.1"

struct capture {
	const struct offload_pkt *op;
	uint8_t data[PB_MAX + 64];
	size_t len;
	struct virtio_net_hdr oh;
	int n;
};

static void capture(void *user, const struct nat6to4_out *out)
{
	struct capture *c = user;
	uint16_t field;
	size_t at;

	c->n++;
	if (out->len > sizeof c->data)
		return;
	memcpy(c->data, out->data, out->len);
	c->len = out->len;
	at = offload_finish(c->op, out->data, out->len, out->kind == NAT6TO4_OUT_TRANSLATED,
	                    &c->oh, &field);
	if (at)
		memcpy(c->data + at, &field, 2);
}

/* The translator and its configuration (offload_prepare reads mtu6). */
static nat6to4_config *cfg;

static nat6to4 *new_nat(void)
{
	static const char conf[] = "prefix 2001:df0:9::/96\npool4 " POOL4 "\nmtu6 1500\n";
	char err[256];

	nat6to4_config_free(cfg);
	cfg = nat6to4_config_parse(conf, sizeof conf - 1, "t.conf", NULL, NULL, err, sizeof err);
	return cfg ? nat6to4_new(cfg, err, sizeof err) : NULL;
}

static int cleanup(void)
{
	nat6to4_config_free(cfg);
	cfg = NULL;
	return 0;
}

/* The partial form: the field holds the folded pseudo-header sum. */
static void make_partial(uint8_t *pkt, size_t len, size_t l4, size_t field)
{
	uint8_t ph[40] = { 0 };
	size_t ulen = len - l4, n;
	uint8_t proto = pkt[0] >> 4 == 6 ? pkt[6] : pkt[9];

	if (pkt[0] >> 4 == 6) {
		memcpy(ph, pkt + 8, 32);
		n = 40;
		ph[34] = (uint8_t)(ulen >> 8);
		ph[35] = (uint8_t)ulen;
		ph[39] = proto;
	} else {
		memcpy(ph, pkt + 12, 8);
		n = 12;
		ph[9] = proto;
		ph[10] = (uint8_t)(ulen >> 8);
		ph[11] = (uint8_t)ulen;
	}
	uint16_t p = pb_fold(pb_sum(ph, n, 0)); /* host order: written big-endian */
	pkt[field] = (uint8_t)(p >> 8);
	pkt[field + 1] = (uint8_t)p;
}

/* What the kernel (or a NIC) does with a CHECKSUM_PARTIAL packet. */
static void kernel_finish(uint8_t *pkt, size_t len, const struct virtio_net_hdr *h)
{
	uint16_t c = (uint16_t)~pb_fold(pb_sum(pkt + h->csum_start, len - h->csum_start, 0));
	uint8_t *at = pkt + h->csum_start + h->csum_offset;

	at[0] = (uint8_t)(c >> 8);
	at[1] = (uint8_t)c;
}

static size_t tcp6(uint8_t *pkt, size_t payload_len, uint8_t flags)
{
	static uint8_t payload[8000];
	struct pb_ip6 ip = { .src = CLIENT6, .dst = SERVER6, .hlim = 64 };
	struct pb_l4 l4 = { .proto = 6, .sport = 40000, .dport = 80, .seq = 1000, .ack = 1,
		            .flags = flags, .win = 512, .payload = payload,
		            .payload_len = payload_len };

	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	return pb_ip6(pkt, PB_MAX, &ip, &l4);
}

/* A TCP super-packet of 8000 bytes, partial: one IPv4 super-packet out
 * whose finished checksum is right, headed for the kernel's TCPv4 GSO. */
static void test_tcp_super_packet(void)
{
	static uint8_t pkt[PB_MAX];
	static struct capture c;
	nat6to4 *nat = new_nat();
	size_t len = tcp6(pkt, 0, 0x02);
	struct offload_pkt op = { .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		                          .gso_type = VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN,
		                          .hdr_len = 60, .gso_size = 1440, .csum_start = 40,
		                          .csum_offset = 16 } };

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	/* The SYN first (NAPT: no session, no data), then the data. */
	c = (struct capture){ .op = &op };
	nat6to4_6to4(nat, pkt, len, 1000000000ull, capture, &c);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	len = tcp6(pkt, 8000, 0x18);
	CU_ASSERT_EQUAL_FATAL(len, 40 + 20 + 8000);
	make_partial(pkt, len, 40, 56);
	CU_ASSERT_EQUAL(pb_l4_csum_ok(pkt, len), 0); /* partial is not finished */
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), 0);
	CU_ASSERT_TRUE(op.partial);
	c = (struct capture){ .op = &op };
	struct nat6to4_verdict v = nat6to4_6to4(nat, pkt, len, 1001000000ull, capture, &c);
	CU_ASSERT_EQUAL(v.result, NAT6TO4_TRANSLATED);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_EQUAL(c.len, 20 + 20 + 8000);
	CU_ASSERT_EQUAL(c.oh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CU_ASSERT_EQUAL(c.oh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN);
	CU_ASSERT_EQUAL(c.oh.gso_size, 1440);
	CU_ASSERT_EQUAL(c.oh.hdr_len, 40);
	CU_ASSERT_EQUAL(c.oh.csum_start, 20);
	CU_ASSERT_EQUAL(c.oh.csum_offset, 16);
	CU_ASSERT_EQUAL(pb_ip4_hdr_ok(c.data, c.len), 1);
	kernel_finish(c.data, c.len, &c.oh);
	CU_ASSERT_EQUAL(pb_l4_csum_ok(c.data, c.len), 1);
	nat6to4_free(nat);
}

/* UDP both ways, not GSO: the reply comes back partial from the IPv4 side. */
static void test_udp_partial_both_ways(void)
{
	static uint8_t pkt[PB_MAX];
	static struct capture c;
	nat6to4 *nat = new_nat();
	const uint8_t data[] = "a DNS query, say";
	struct pb_ip6 ip6 = { .src = CLIENT6, .dst = SERVER6, .hlim = 64 };
	struct pb_l4 q = { .proto = 17, .sport = 5353, .dport = 53, .payload = data,
		           .payload_len = sizeof data };
	size_t len = pb_ip6(pkt, PB_MAX, &ip6, &q);
	struct offload_pkt op = { .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 40,
		                          .csum_offset = 6 } };

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	make_partial(pkt, len, 40, 46);
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), 0);
	c = (struct capture){ .op = &op };
	nat6to4_6to4(nat, pkt, len, 1000000000ull, capture, &c);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_EQUAL(c.oh.csum_start, 20);
	CU_ASSERT_EQUAL(c.oh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	kernel_finish(c.data, c.len, &c.oh);
	CU_ASSERT_EQUAL(pb_l4_csum_ok(c.data, c.len), 1);

	/* The answer, to the pool4 port the query got. */
	uint16_t port = (uint16_t)(c.data[20] << 8 | c.data[21]);
	struct pb_ip4 ip4 = { .src = "192.0.2.80", .dst = POOL4, .ttl = 64 };
	struct pb_l4 a = { .proto = 17, .sport = 53, .dport = port, .payload = data,
		           .payload_len = sizeof data };
	len = pb_ip4(pkt, PB_MAX, &ip4, &a);
	make_partial(pkt, len, 20, 26);
	op = (struct offload_pkt){ .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20,
		                           .csum_offset = 6 } };
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), 0);
	c = (struct capture){ .op = &op };
	nat6to4_4to6(nat, pkt, len, 2000000000ull, capture, &c);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_EQUAL(c.data[0] >> 4, 6);
	CU_ASSERT_EQUAL(c.oh.csum_start, 40);
	kernel_finish(c.data, c.len, &c.oh);
	CU_ASSERT_EQUAL(pb_l4_csum_ok(c.data, c.len), 1);
	nat6to4_free(nat);
}

/* Partial where the core cannot keep it partial: finished in software. */
static void test_finished_in_software(void)
{
	static uint8_t pkt[PB_MAX];
	nat6to4 *nat = new_nat();
	struct pb_ip6 ip6 = { .src = CLIENT6, .dst = SERVER6, .hlim = 64 };
	struct pb_l4 echo = { .proto = 58, .type = 128, .word = 0x12340001 };
	size_t len = pb_ip6(pkt, PB_MAX, &ip6, &echo);
	struct offload_pkt op = { .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 40,
		                          .csum_offset = 2 } };

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	make_partial(pkt, len, 40, 42);
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), 0);
	CU_ASSERT_FALSE(op.partial);
	CU_ASSERT_EQUAL(pb_l4_csum_ok(pkt, len), 1);

	/* IPv4 UDP bigger than mtu6 (1500) without DF: may become fragments. */
	static uint8_t big[1600];
	struct pb_ip4 ip4 = { .src = "192.0.2.80", .dst = POOL4, .ttl = 64 };
	struct pb_l4 u = { .proto = 17, .sport = 53, .dport = 1024, .payload = big,
		           .payload_len = sizeof big };
	len = pb_ip4(pkt, PB_MAX, &ip4, &u);
	make_partial(pkt, len, 20, 26);
	op = (struct offload_pkt){ .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20,
		                           .csum_offset = 6 } };
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), 0);
	CU_ASSERT_FALSE(op.partial);
	CU_ASSERT_EQUAL(pb_l4_csum_ok(pkt, len), 1);
	nat6to4_free(nat);
}

/* Headers the kernel should never send are refused, not trusted. */
static void test_bad_headers(void)
{
	static uint8_t pkt[PB_MAX];
	nat6to4 *nat = new_nat();
	size_t len = tcp6(pkt, 100, 0x18);
	struct offload_pkt op;

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	op = (struct offload_pkt){ .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		                           .csum_start = (uint16_t)len, .csum_offset = 16 } };
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), -1);
	op = (struct offload_pkt){ .in = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .gso_size = 1440 } };
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), -1);
	op = (struct offload_pkt){ .in = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		                           .gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .csum_start = 20,
		                           .csum_offset = 16 } };
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), -1); /* start is not the TCP header */
	op = (struct offload_pkt){ .in = { 0 } };
	CU_ASSERT_EQUAL(offload_prepare(&op, pkt, len, cfg), 0); /* nothing to do */
	CU_ASSERT_FALSE(op.partial);
	nat6to4_free(nat);
}

/* Random virtio-net headers on random cuts of real packets: offload_prepare
 * and the core must never read outside the packet (ASan+UBSan run this) and
 * whatever is accepted must translate or be dropped, never crash. */
static void test_random_headers(void)
{
	static uint8_t pkt[PB_MAX], copy[PB_MAX];
	nat6to4 *nat = new_nat();
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t full = tcp6(pkt, 1000, 0x18);
	int refused = 0, accepted = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	for (int i = 0; i < 4000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		size_t len = 1 + (size_t)(x % full);
		struct offload_pkt op = { .in = {
			.flags = (uint8_t)(x >> 16 & 1), .gso_type = (uint8_t)(x >> 20 & 0x85),
			.hdr_len = (uint16_t)(x >> 24), .gso_size = (uint16_t)(x >> 32),
			.csum_start = (uint16_t)(x >> 40 & 0x7ff), .csum_offset = (uint16_t)(x >> 52 & 0x1f) } };
		memcpy(copy, pkt, len);
		if (offload_prepare(&op, copy, len, cfg) < 0) {
			refused++;
			continue;
		}
		accepted++;
		struct capture c = { .op = &op };
		nat6to4_6to4(nat, copy, len, 1000000000ull + (uint64_t)i, capture, &c);
	}
	printf("(%d refused, %d accepted) ", refused, accepted);
	CU_ASSERT_TRUE(refused > 0 && accepted > 0);
	nat6to4_free(nat);
}

/* ---- scatter output (nat6to4_set_scatter), which the daemon writes with writev ---- */

struct joined {
	uint8_t data[PB_MAX + 64];
	size_t len, tail_len;
	int n;
};

static void join(void *user, const struct nat6to4_out *out)
{
	struct joined *j = user;

	j->n++;
	if (out->len + out->tail_len > sizeof j->data)
		return;
	memcpy(j->data, out->data, out->len);
	if (out->tail_len)
		memcpy(j->data + out->len, out->tail, out->tail_len);
	j->len = out->len + out->tail_len;
	j->tail_len = out->tail_len;
}

/* The same packet through a scattering and a plain translator: the same
 * bytes, and a tail exactly when one is wanted. */
static void same_both_ways(nat6to4 *plain, nat6to4 *scat, uint8_t *pkt, size_t len, bool to4,
                           uint64_t now, bool want_tail)
{
	static struct joined a, b;

	a = (struct joined){ 0 };
	b = (struct joined){ 0 };
	if (to4) {
		nat6to4_6to4(plain, pkt, len, now, join, &a);
		nat6to4_6to4(scat, pkt, len, now, join, &b);
	} else {
		nat6to4_4to6(plain, pkt, len, now, join, &a);
		nat6to4_4to6(scat, pkt, len, now, join, &b);
	}
	CU_ASSERT_TRUE(a.n >= 1);
	CU_ASSERT_EQUAL(a.n, b.n);
	CU_ASSERT_EQUAL(a.len, b.len);
	CU_ASSERT_EQUAL(memcmp(a.data, b.data, a.len), 0);
	CU_ASSERT_EQUAL(a.tail_len, 0);
	if (want_tail) {
		CU_ASSERT_TRUE(b.tail_len > 0 && b.tail_len < len);
	} else {
		CU_ASSERT_EQUAL(b.tail_len, 0);
	}
}

static void test_scatter_output(void)
{
	static uint8_t pkt[PB_MAX];
	static uint8_t payload[1600];
	nat6to4 *plain = new_nat(), *scat = new_nat();
	struct pb_ip6 ip6 = { .src = CLIENT6, .dst = SERVER6, .hlim = 64 };
	struct pb_ip4 ip4 = { .src = "192.0.2.80", .dst = POOL4, .ttl = 64 };
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scat);
	nat6to4_set_scatter(scat, true);
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i ^ 0x5a);
	len = tcp6(pkt, 0, 0x02); /* SYN: small, whole */
	same_both_ways(plain, scat, pkt, len, true, 1000000000ull, false);
	len = tcp6(pkt, 8000, 0x18); /* data: headers + tail */
	same_both_ways(plain, scat, pkt, len, true, 1001000000ull, true);

	struct pb_l4 u = { .proto = 17, .sport = 5353, .dport = 53, .payload = payload,
		           .payload_len = 1000 };
	len = pb_ip6(pkt, PB_MAX, &ip6, &u);
	same_both_ways(plain, scat, pkt, len, true, 1002000000ull, true);
	/* Answers to the pool4 port both got (the same: same sequence of calls). */
	struct pb_l4 a = { .proto = 17, .sport = 53, .dport = 5353, .payload = payload,
		           .payload_len = 1000 };
	static struct joined j;
	j = (struct joined){ 0 };
	nat6to4_6to4(plain, pkt, len, 1002000000ull, join, &j);
	a.dport = (uint16_t)(j.data[20] << 8 | j.data[21]);
	len = pb_ip4(pkt, PB_MAX, &ip4, &a);
	same_both_ways(plain, scat, pkt, len, false, 1003000000ull, true);
	/* A zero UDP checksum is computed over everything: no tail. */
	struct pb_l4 z = a;
	z.csum = PB_CSUM_ZERO;
	len = pb_ip4(pkt, PB_MAX, &ip4, &z);
	same_both_ways(plain, scat, pkt, len, false, 1004000000ull, false);
	/* Bigger than mtu6 without DF: fragments, made from a whole copy. */
	a.payload_len = sizeof payload;
	len = pb_ip4(pkt, PB_MAX, &ip4, &a);
	same_both_ways(plain, scat, pkt, len, false, 1005000000ull, false);
	nat6to4_free(plain);
	nat6to4_free(scat);
}

int suite_offload(void)
{
	CU_pSuite s = CU_add_suite("offload", NULL, cleanup);

	if (!s)
		return -1;
	if (!CU_add_test(s, "tcp_super_packet", test_tcp_super_packet) ||
	    !CU_add_test(s, "udp_partial_both_ways", test_udp_partial_both_ways) ||
	    !CU_add_test(s, "finished_in_software", test_finished_in_software) ||
	    !CU_add_test(s, "bad_headers", test_bad_headers) ||
	    !CU_add_test(s, "scatter_output", test_scatter_output) ||
	    !CU_add_test(s, "random_headers", test_random_headers))
		return -1;
	return 0;
}
