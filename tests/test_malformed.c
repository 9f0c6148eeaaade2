/*
 * suite_malformed — bad input is dropped with a reason that says why, and
 * never read past its end (run under -fsanitize=address: every packet is
 * handed over in a heap block of exactly its length). Also the session
 * table limit and the per-reason counters.
 */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

int suite_malformed(void);

static struct tu_capture cap;

/* Translate a copy in a block of exactly len bytes, so ASan sees over-reads. */
static struct nat6to4_verdict run_exact(nat6to4 *nat, int dir, const uint8_t *pkt, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct nat6to4_verdict v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	if (len)
		memcpy(copy, pkt, len);
	v = dir == NAT6TO4_DIR_6TO4 ? tu_6to4(nat, &cap, copy, len, TU_T0)
	                            : tu_4to6(nat, &cap, copy, len, TU_T0);
	free(copy);
	return v;
}

static int reason_in(enum nat6to4_reason r, const enum nat6to4_reason *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == r)
			return 1;
	return 0;
}

/* Every prefix 0..len-1 of a valid packet: dropped, for a length reason. */
static void sweep(nat6to4 *nat, int dir, const uint8_t *pkt, size_t len,
                  const enum nat6to4_reason *ok, size_t nok)
{
	for (size_t n = 0; n < len; n++) {
		struct nat6to4_verdict v = run_exact(nat, dir, pkt, n);
		int good = v.result == NAT6TO4_DROPPED && reason_in(v.reason, ok, nok) && cap.n == 0;
		if (!good)
			fprintf(stderr, "\ntruncated to %zu of %zu bytes: %s/%s, %d emitted\n", n, len,
			        nat6to4_result_name(v.result), nat6to4_reason_name(v.reason), cap.n);
		CU_ASSERT(good);
	}
}

static const uint8_t some_data[] = "GET / HTTP/1.0\r\nHost: rompager\r\n\r\n";

static void test_truncated_6to4(void)
{
	static const enum nat6to4_reason why[] = { NAT6TO4_R_TRUNCATED, NAT6TO4_R_BAD_LENGTH,
	                                           NAT6TO4_R_BAD_EXT_HEADER };
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t pkt[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64, .next = 2,
	                     .ext = { { .type = PB_EXT_HBH }, { .type = PB_EXT_DSTOPT } } };
	struct pb_l4 syn = { .proto = 6, .sport = 40000, .dport = 80, .flags = 0x02, .win = 1024,
	                     .payload = some_data, .payload_len = sizeof some_data };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &syn);
	CU_ASSERT_FATAL(len > 100);
	sweep(nat, NAT6TO4_DIR_6TO4, pkt, len, why, 3);
	/* and the whole packet is fine */
	struct nat6to4_verdict v = run_exact(nat, NAT6TO4_DIR_6TO4, pkt, len);
	TU_ASSERT_VERDICT(v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	nat6to4_free(nat);
}

static void test_truncated_4to6(void)
{
	static const enum nat6to4_reason why[] = { NAT6TO4_R_TRUNCATED, NAT6TO4_R_BAD_LENGTH,
	                                           NAT6TO4_R_BAD_IP4_HEADER };
	static const uint8_t nops[4] = { 1, 1, 1, 1 };
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t pkt[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = tu_open_tcp(nat, &cap, TU_SERVER6, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 50, .id = 5,
	                     .opts = nops, .optlen = sizeof nops };
	struct pb_l4 sa = { .proto = 6, .sport = 80, .dport = p, .seq = 5, .ack = 1001,
	                    .flags = 0x12, .win = 1024, .payload = some_data,
	                    .payload_len = sizeof some_data };
	size_t len = pb_ip4(pkt, sizeof pkt, &ip, &sa);
	CU_ASSERT_FATAL(len > 60);
	sweep(nat, NAT6TO4_DIR_4TO6, pkt, len, why, 3);
	struct nat6to4_verdict v = run_exact(nat, NAT6TO4_DIR_4TO6, pkt, len);
	TU_ASSERT_VERDICT(v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	nat6to4_free(nat);
}

/* An ICMP error cut inside its inner packet, lengths kept consistent. */
static void test_truncated_icmp_error(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], inner[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	CU_ASSERT_FATAL(tu_open_tcp(nat, &cap, TU_SERVER6, TU_T0) != 0);
	memcpy(inner, cap.pkt[0].data, cap.pkt[0].len);
	for (size_t cut = 0; cut < 20; cut++) {
		struct pb_ip4 ip = { .src = "198.51.100.1", .dst = TU_POOL4, .ttl = 30, .id = 1 };
		struct pb_l4 e = { .proto = 1, .type = 3, .code = 3, .payload = inner, .payload_len = cut };
		size_t len = pb_ip4(in, sizeof in, &ip, &e);
		struct nat6to4_verdict v = run_exact(nat, NAT6TO4_DIR_4TO6, in, len);
		if (v.reason != NAT6TO4_R_ICMP_INNER_BAD)
			fprintf(stderr, "\ninner cut at %zu: %s\n", cut, nat6to4_reason_name(v.reason));
		TU_ASSERT_VERDICT(v, NAT6TO4_DROPPED, NAT6TO4_R_ICMP_INNER_BAD);
		CU_ASSERT_EQUAL(cap.n, 0);
	}
	/* the IPv6 side: an ICMPv6 error quoting 39 bytes of an IPv6 header */
	struct pb_ip6 i6 = { .src = TU_SERVER6, .dst = TU_CLIENT6, .hlim = 60 };
	struct pb_l4 t = { .proto = 6, .sport = 80, .dport = 40000, .flags = 0x12 };
	pb_ip6(inner, sizeof inner, &i6, &t);
	struct pb_ip6 o6 = { .src = "2001:db8:1::1", .dst = TU_SERVER6, .hlim = 30 };
	struct pb_l4 e6 = { .proto = 58, .type = 1, .code = 4, .payload = inner, .payload_len = 39 };
	size_t len = pb_ip6(in, sizeof in, &o6, &e6);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, in, len), NAT6TO4_DROPPED,
	                  NAT6TO4_R_ICMP_INNER_BAD);
	nat6to4_free(nat);
}

/* A small valid IPv6 UDP packet and a small valid IPv4 one (no session
 * needed to reach the header checks). */
static size_t valid6(uint8_t *pkt)
{
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 d = { .proto = 17, .sport = 1, .dport = 2, .payload = some_data, .payload_len = 10 };
	return pb_ip6(pkt, PB_MAX, &ip, &d);
}

static size_t valid4(uint8_t *pkt)
{
	struct pb_ip4 ip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 64, .id = 1 };
	struct pb_l4 d = { .proto = 17, .sport = 2, .dport = 1, .payload = some_data, .payload_len = 10 };
	return pb_ip4(pkt, PB_MAX, &ip, &d);
}

static void test_bad_headers(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t p6[PB_MAX], p4[PB_MAX], b[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	size_t l6 = valid6(p6), l4 = valid4(p4);

	/* wrong version, and each family handed to the other direction */
	memcpy(b, p6, l6);
	b[0] = (uint8_t)(0x50 | (b[0] & 15));
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, b, l6), NAT6TO4_DROPPED, NAT6TO4_R_BAD_VERSION);
	/* an IPv4 packet long enough to be an IPv6 header: only the version is wrong */
	struct pb_ip4 big = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 64, .id = 1 };
	struct pb_l4 bd = { .proto = 17, .sport = 2, .dport = 1, .payload = some_data,
	                    .payload_len = sizeof some_data };
	size_t lb = pb_ip4(b, sizeof b, &big, &bd);
	CU_ASSERT(lb >= 40);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, b, lb), NAT6TO4_DROPPED, NAT6TO4_R_BAD_VERSION);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_4TO6, p6, l6), NAT6TO4_DROPPED, NAT6TO4_R_BAD_VERSION);

	/* IHL below 5 */
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		memcpy(b, p4, l4);
		b[0] = (uint8_t)(0x40 | ihl);
		TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_4TO6, b, l4), NAT6TO4_DROPPED,
		                  NAT6TO4_R_BAD_IP4_HEADER);
	}
	/* IPv4 total length beyond the buffer, and below the header */
	memcpy(b, p4, l4);
	tu_wr16(b + 2, (uint16_t)(l4 + 1));
	pb_fix_ip4_hdr(b);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_4TO6, b, l4), NAT6TO4_DROPPED, NAT6TO4_R_BAD_LENGTH);
	tu_wr16(b + 2, 19);
	pb_fix_ip4_hdr(b);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_4TO6, b, l4), NAT6TO4_DROPPED, NAT6TO4_R_BAD_LENGTH);
	/* IPv4 header checksum wrong */
	memcpy(b, p4, l4);
	b[10] ^= 0x40;
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_4TO6, b, l4), NAT6TO4_DROPPED,
	                  NAT6TO4_R_BAD_IP4_CHECKSUM);
	/* IPv6 payload length beyond the buffer */
	memcpy(b, p6, l6);
	tu_wr16(b + 4, (uint16_t)(l6 - 40 + 1));
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, b, l6), NAT6TO4_DROPPED, NAT6TO4_R_BAD_LENGTH);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* Link-layer padding after the IP packet is not part of it (RFC 1812
 * 5.2.2: only a length field larger than what arrived is an error). */
static void test_trailing_bytes_ignored(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t p6[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	size_t l6 = valid6(p6);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, p6, l6), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n == 1);
	size_t plain = cap.pkt[0].len;
	memset(p6 + l6, 0, 6);
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, p6, l6 + 6), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT(cap.n == 1 && cap.pkt[0].len == plain);
	nat6to4_free(nat);
}

/* An extension header whose length runs past the end of the packet. */
static void test_ext_header_past_end(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t pkt[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64, .next = 2,
	                     .ext = { { .type = PB_EXT_HBH }, { .type = PB_EXT_DSTOPT } } };
	struct pb_l4 d = { .proto = 17, .sport = 1, .dport = 2, .payload = some_data, .payload_len = 4 };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &d);
	pkt[48 + 1] = 20; /* destination options: (20 + 1) * 8 bytes */
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, pkt, len), NAT6TO4_DROPPED,
	                  NAT6TO4_R_BAD_EXT_HEADER);
	pkt[48 + 1] = 0;
	pkt[40 + 1] = 255; /* hop-by-hop: 2048 bytes */
	TU_ASSERT_VERDICT(run_exact(nat, NAT6TO4_DIR_6TO4, pkt, len), NAT6TO4_DROPPED,
	                  NAT6TO4_R_BAD_EXT_HEADER);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* Deterministic xorshift32, so a failure can be replayed. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_random_bytes(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t pkt[256], a6[16], a4[4];
	uint32_t seed = 20081106;

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	pb_addr6(TU_SERVER6, a6);
	pb_addr4(TU_POOL4, a4);
	for (int i = 0; i < 4000; i++) {
		size_t len = rnd(&seed) % sizeof pkt;
		int dir = i & 1;
		for (size_t k = 0; k < len; k++)
			pkt[k] = (uint8_t)rnd(&seed);
		/* pure noise: must be dropped */
		struct nat6to4_verdict v = run_exact(nat, dir, pkt, len);
		CU_ASSERT(v.result == NAT6TO4_DROPPED && cap.n == 0);
		/* noise with a plausible header, to get past the first checks:
		 * whatever happens, the verdict and the output must agree */
		if (dir == NAT6TO4_DIR_6TO4 && len >= 40) {
			pkt[0] = (uint8_t)(0x60 | (pkt[0] & 15));
			tu_wr16(pkt + 4, (uint16_t)(len - 40));
			memcpy(pkt + 24, a6, 16);
		} else if (dir == NAT6TO4_DIR_4TO6 && len >= 20) {
			pkt[0] = 0x45;
			tu_wr16(pkt + 2, (uint16_t)len);
			memcpy(pkt + 16, a4, 4);
			pb_fix_ip4_hdr(pkt);
		}
		v = run_exact(nat, dir, pkt, len);
		CU_ASSERT(v.result == NAT6TO4_DROPPED ? cap.n == 0 : cap.n >= 1);
		CU_ASSERT(v.result != NAT6TO4_TRANSLATED || v.reason == NAT6TO4_R_OK);
	}
	nat6to4_free(nat);
}

/* max-sessions 2: the third flow finds the table full. */
static void test_table_full(void)
{
	static const char conf[] = "prefix 2001:df0:9::/96\npool4 203.0.113.1\nmax-sessions 2\n";
	nat6to4 *nat = tu_nat(conf);
	uint8_t pkt[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	for (int i = 0; i < 3; i++) {
		struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
		struct pb_l4 d = { .proto = 17, .sport = (uint16_t)(5000 + i), .dport = 53,
		                   .payload = some_data, .payload_len = 8 };
		size_t len = pb_ip6(pkt, sizeof pkt, &ip, &d);
		struct nat6to4_verdict v = run_exact(nat, NAT6TO4_DIR_6TO4, pkt, len);
		if (i < 2) {
			TU_ASSERT_VERDICT(v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
		} else {
			TU_ASSERT_VERDICT(v, NAT6TO4_DROPPED, NAT6TO4_R_TABLE_FULL);
		}
	}
	struct nat6to4_counters c;
	nat6to4_get_counters(nat, &c);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_6TO4][NAT6TO4_R_OK], 2);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_6TO4][NAT6TO4_R_TABLE_FULL], 1);
	CU_ASSERT_EQUAL(c.sessions_active, 2);
	CU_ASSERT_EQUAL(c.emitted[NAT6TO4_DIR_6TO4], 2);
	nat6to4_free(nat);
}

/* Each verdict counted once, under its direction and reason. */
static void test_counters_by_reason(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t p6[PB_MAX], p4[PB_MAX], b[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	size_t l6 = valid6(p6), l4 = valid4(p4);
	run_exact(nat, NAT6TO4_DIR_6TO4, p6, l6);          /* ok */
	run_exact(nat, NAT6TO4_DIR_6TO4, p6, l6);          /* ok */
	run_exact(nat, NAT6TO4_DIR_6TO4, p6, 10);          /* truncated */
	run_exact(nat, NAT6TO4_DIR_4TO6, p4, l4);          /* no session for port 1? */
	memcpy(b, p4, l4);
	b[10] ^= 1;
	run_exact(nat, NAT6TO4_DIR_4TO6, b, l4);           /* bad header checksum */
	run_exact(nat, NAT6TO4_DIR_4TO6, p6, l6);          /* bad version */

	struct nat6to4_counters c;
	nat6to4_get_counters(nat, &c);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_6TO4][NAT6TO4_R_OK], 2);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_6TO4][NAT6TO4_R_TRUNCATED], 1);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_4TO6][NAT6TO4_R_NO_SESSION], 1);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_4TO6][NAT6TO4_R_BAD_IP4_CHECKSUM], 1);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_4TO6][NAT6TO4_R_BAD_VERSION], 1);
	uint64_t total = 0;
	for (int d = 0; d < 2; d++)
		for (int r = 0; r < NAT6TO4_REASON_COUNT; r++)
			total += c.packets[d][r];
	CU_ASSERT_EQUAL(total, 6);
	CU_ASSERT_EQUAL(c.emitted[NAT6TO4_DIR_6TO4], 2);
	CU_ASSERT_EQUAL(c.emitted[NAT6TO4_DIR_4TO6], 0);
	CU_ASSERT_EQUAL(c.sessions_active, 1);
	CU_ASSERT_STRING_EQUAL(nat6to4_reason_name(NAT6TO4_R_TABLE_FULL), "table-full");
	nat6to4_free(nat);
}

int suite_malformed(void)
{
	CU_pSuite s = CU_add_suite("malformed", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "truncated_6to4", test_truncated_6to4) ||
	    !CU_add_test(s, "truncated_4to6", test_truncated_4to6) ||
	    !CU_add_test(s, "truncated_icmp_error", test_truncated_icmp_error) ||
	    !CU_add_test(s, "bad_headers", test_bad_headers) ||
	    !CU_add_test(s, "trailing_bytes_ignored", test_trailing_bytes_ignored) ||
	    !CU_add_test(s, "ext_header_past_end", test_ext_header_past_end) ||
	    !CU_add_test(s, "random_bytes", test_random_bytes) ||
	    !CU_add_test(s, "table_full", test_table_full) ||
	    !CU_add_test(s, "counters_by_reason", test_counters_by_reason))
		return -1;
	return 0;
}
