/*
 * suite_frag — fragments both ways (RFC 7915 4.1 and 5.1.1) and path MTU
 * (RFC 7915 section 4 / 4.1: DF=1 too big -> Fragmentation Needed, DF=0 ->
 * IPv6 fragments). Expected fragments are slices of a whole datagram that
 * libnet built with the right checksum, re-wrapped by libnet.
 */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <string.h>

int suite_frag(void);

static struct tu_capture cap;
static uint8_t body[4000];

/* The client's small UDP datagram [client]:5353 -> [server]:53 opens the
 * session; returns the pool port. */
static uint16_t open_udp(nat6to4 *nat)
{
	uint8_t in[PB_MAX];
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 d = { .proto = 17, .sport = 5353, .dport = 53, .payload = body, .payload_len = 8 };
	size_t len = pb_ip6(in, sizeof in, &ip, &d);

	tu_6to4(nat, &cap, in, len, TU_T0);
	return cap.n == 1 && cap.pkt[0].family == 4 ? tu_rd16(cap.pkt[0].data + 20) : 0;
}

static void fill_body(void)
{
	for (size_t i = 0; i < sizeof body; i++)
		body[i] = (uint8_t)(i * 7 + 1);
}

/* IPv6 fragments -> IPv4 fragments: ID = low 16 bits of the fragment ID,
 * MF = M, offset copied, DF 0 (RFC 7915 5.1.1). */
static void test_frag_6to4(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t full6[PB_MAX], full4[PB_MAX], in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	uint16_t p = open_udp(nat);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64, .tclass = 0x20 };
	struct pb_l4 d = { .proto = 17, .sport = 5353, .dport = 53, .payload = body, .payload_len = 1000 };
	size_t len6 = pb_ip6(full6, sizeof full6, &ip, &d);
	CU_ASSERT_FATAL(len6 == 40 + 1008);
	struct pb_l4 d4 = d;
	d4.sport = p;
	struct pb_ip4 ip4 = { .src = TU_POOL4, .dst = TU_SERVER4, .ttl = 63, .tos = 0x20 };
	size_t len4 = pb_ip4(full4, sizeof full4, &ip4, &d4);
	CU_ASSERT_FATAL(len4 == 20 + 1008);

	static const struct { uint16_t off, len; int more; } piece[] = { { 0, 600, 1 }, { 600, 408, 0 } };
	for (int i = 0; i < 2; i++) {
		struct pb_ip6 f6 = ip;
		f6.next = 1;
		f6.ext[0] = (struct pb_ext){ .type = PB_EXT_FRAG, .frag_off = piece[i].off,
		                             .more = piece[i].more, .frag_id = 0x0001abcd };
		struct pb_l4 raw = { .proto = 17, .payload = full6 + 40 + piece[i].off,
		                     .payload_len = piece[i].len };
		size_t len = pb_ip6(in, sizeof in, &f6, &raw);
		TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0 + TU_SEC), NAT6TO4_TRANSLATED,
		                  NAT6TO4_R_OK);
		CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 4);
		struct pb_ip4 e4 = ip4;
		e4.id = 0xabcd;
		e4.mf = piece[i].more;
		e4.frag_off = piece[i].off;
		struct pb_l4 eraw = { .proto = 17, .payload = full4 + 20 + piece[i].off,
		                      .payload_len = piece[i].len };
		size_t elen = pb_ip4(exp, sizeof exp, &e4, &eraw);
		TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	}
	nat6to4_free(nat);
}

/* IPv4 fragments -> IPv6 with a Fragment Header: ID low 16 bits = IPv4
 * ID, high 16 bits 0; M = MF; offset copied (RFC 7915 4.1). The second
 * fragment has no ports: it must reach the same client all the same. */
static void test_frag_4to6(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t full6[PB_MAX], full4[PB_MAX], in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	uint16_t p = open_udp(nat);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip4 ip4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .tos = 0x48, .id = 0x5151 };
	struct pb_l4 d4 = { .proto = 17, .sport = 53, .dport = p, .payload = body, .payload_len = 1000 };
	size_t len4 = pb_ip4(full4, sizeof full4, &ip4, &d4);
	CU_ASSERT_FATAL(len4 == 20 + 1008);
	struct pb_l4 d6 = d4;
	d6.dport = 5353;
	struct pb_ip6 ip6 = { .src = TU_SERVER6, .dst = TU_CLIENT6, .hlim = 59, .tclass = 0x48 };
	size_t len6 = pb_ip6(full6, sizeof full6, &ip6, &d6);
	CU_ASSERT_FATAL(len6 == 40 + 1008);

	static const struct { uint16_t off, len; int more; } piece[] = { { 0, 504, 1 }, { 504, 504, 0 } };
	for (int i = 0; i < 2; i++) {
		struct pb_ip4 f4 = ip4;
		f4.mf = piece[i].more;
		f4.frag_off = piece[i].off;
		struct pb_l4 raw = { .proto = 17, .payload = full4 + 20 + piece[i].off,
		                     .payload_len = piece[i].len };
		size_t len = pb_ip4(in, sizeof in, &f4, &raw);
		TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0 + TU_SEC), NAT6TO4_TRANSLATED,
		                  NAT6TO4_R_OK);
		CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 6);
		struct pb_ip6 e6 = ip6;
		e6.next = 1;
		e6.ext[0] = (struct pb_ext){ .type = PB_EXT_FRAG, .frag_off = piece[i].off,
		                             .more = piece[i].more, .frag_id = 0x5151 };
		struct pb_l4 eraw = { .proto = 17, .payload = full6 + 40 + piece[i].off,
		                      .payload_len = piece[i].len };
		size_t elen = pb_ip6(exp, sizeof exp, &e6, &eraw);
		TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	}
	nat6to4_free(nat);
}

/* NAPT: a non-first fragment whose first fragment was never seen has no
 * ports to find a session with -> dropped (frag-no-first). */
static void test_frag_no_first_napt(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	uint16_t p = open_udp(nat);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip4 f4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 0x6262,
	                     .frag_off = 504 };
	struct pb_l4 raw = { .proto = 17, .payload = body, .payload_len = 100 };
	size_t len = pb_ip4(in, sizeof in, &f4, &raw);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED, NAT6TO4_R_FRAG_NO_FIRST);
	CU_ASSERT_EQUAL(cap.n, 0);

	struct pb_ip6 f6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64, .next = 1,
	                     .ext = { { .type = PB_EXT_FRAG, .frag_off = 504, .frag_id = 77 } } };
	len = pb_ip6(in, sizeof in, &f6, &raw);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED, NAT6TO4_R_FRAG_NO_FIRST);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* Stateless: addresses alone decide, so a lone non-first fragment goes. */
static void test_frag_stateless_non_first(void)
{
	nat6to4 *nat = tu_nat(tu_conf_stateless);
	uint8_t in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	struct pb_ip4 f4 = { .src = TU_SL_PEER4, .dst = TU_SL_HOST4, .ttl = 60, .id = 0x0102,
	                     .frag_off = 1000 };
	struct pb_l4 raw = { .proto = 6, .payload = body, .payload_len = 77 };
	size_t len = pb_ip4(in, sizeof in, &f4, &raw);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n == 1);
	struct pb_ip6 e6 = { .src = TU_SL_PEER6, .dst = TU_SL_HOST6, .hlim = 59, .next = 1,
	                     .ext = { { .type = PB_EXT_FRAG, .frag_off = 1000, .frag_id = 0x0102 } } };
	size_t elen = pb_ip6(exp, sizeof exp, &e6, &raw);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	nat6to4_free(nat);
}

/* RFC 7915 section 1.4: fragmented ICMP is not translated. */
static void test_frag_icmp_dropped(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	struct pb_ip4 f4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 0x0707, .mf = 1 };
	static const uint8_t echo_reply_start[16] = { 0, 0, 0x12, 0x34, 0, 1, 0, 1 };
	struct pb_l4 raw = { .proto = 1, .payload = echo_reply_start, .payload_len = 16 };
	size_t len = pb_ip4(in, sizeof in, &f4, &raw);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED, NAT6TO4_R_FRAG_ICMP);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* The server's reply of 1400 bytes would be 1420 bytes of IPv6, more than
 * mtu6 (1280 by default). */
static size_t big_reply(uint8_t *out, uint16_t pool_port, int df)
{
	struct pb_ip4 ip4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 60, .id = 0x2222, .df = df };
	struct pb_l4 d = { .proto = 17, .sport = 53, .dport = pool_port, .payload = body,
	                   .payload_len = 1400 - 28 };

	return pb_ip4(out, PB_MAX, &ip4, &d);
}

/* DF set: RFC 7915 4 / RFC 1191: Fragmentation Needed, next-hop MTU =
 * mtu6 - 20 (the IPv6 header is 20 bytes bigger). */
static void test_pmtu_df_set(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	uint16_t p = open_udp(nat);
	CU_ASSERT_FATAL(p != 0);
	size_t len = big_reply(in, p, 1);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_ERROR_SENT,
	                  NAT6TO4_R_FRAG_NEEDED);
	CU_ASSERT_FATAL(cap.n == 1);
	CU_ASSERT(tu_check_err4(&cap.pkt[0], 3, 4, 1260, in, len));
	nat6to4_free(nat);
}

/* Check one translator-made IPv6 fragment; returns its data length. */
static size_t check_fragment(const struct tu_pkt *f, uint16_t want_off, int last)
{
	uint8_t s[16], d[16];

	pb_addr6(TU_SERVER6, s);
	pb_addr6(TU_CLIENT6, d);
	CU_ASSERT(f->family == 6 && f->kind == NAT6TO4_OUT_TRANSLATED);
	CU_ASSERT(f->len <= 1280 && f->len > 48);
	if (f->len <= 48 || f->len > PB_MAX)
		return 0;
	const uint8_t *q = f->data;
	CU_ASSERT_EQUAL(tu_rd32(q), 0x60000000u); /* TOS 0, flow label 0 */
	CU_ASSERT_EQUAL(tu_rd16(q + 4), f->len - 40);
	CU_ASSERT_EQUAL(q[6], 44);
	CU_ASSERT_EQUAL(q[7], 59);
	CU_ASSERT(memcmp(q + 8, s, 16) == 0 && memcmp(q + 24, d, 16) == 0);
	CU_ASSERT_EQUAL(q[40], 17);
	CU_ASSERT_EQUAL(tu_rd16(q + 42) & 0xfff8, want_off);
	CU_ASSERT_EQUAL(tu_rd16(q + 42) & 1, last ? 0 : 1);
	CU_ASSERT_EQUAL(tu_rd32(q + 44), 0x2222u); /* IPv4 ID, high 16 bits zero */
	size_t n = f->len - 48;
	if (!last)
		CU_ASSERT_EQUAL(n % 8, 0);
	return n;
}

/* DF clear: the translator fragments so every IPv6 packet fits mtu6, and
 * the fragments carry exactly the translated datagram. */
static void test_pmtu_df_clear(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], exp6[PB_MAX], joined[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	fill_body();
	uint16_t p = open_udp(nat);
	CU_ASSERT_FATAL(p != 0);
	size_t len = big_reply(in, p, 0);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n >= 2 && cap.overflow == 0);

	size_t total = 0;
	for (int i = 0; i < cap.n; i++) {
		size_t n = check_fragment(&cap.pkt[i], (uint16_t)total, i == cap.n - 1);
		CU_ASSERT_FATAL(n > 0 && total + n <= sizeof joined);
		memcpy(joined + total, cap.pkt[i].data + 48, n);
		total += n;
	}
	struct pb_ip6 ip6 = { .src = TU_SERVER6, .dst = TU_CLIENT6, .hlim = 59 };
	struct pb_l4 d = { .proto = 17, .sport = 53, .dport = 5353, .payload = body,
	                   .payload_len = 1400 - 28 };
	size_t elen = pb_ip6(exp6, sizeof exp6, &ip6, &d);
	TU_ASSERT_SAME(joined, total, exp6 + 40, elen - 40);

	struct nat6to4_counters c;
	nat6to4_get_counters(nat, &c);
	CU_ASSERT_EQUAL(c.fragments_out, (uint64_t)cap.n);
	nat6to4_free(nat);
}

int suite_frag(void)
{
	CU_pSuite s = CU_add_suite("frag", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "frag_6to4", test_frag_6to4) ||
	    !CU_add_test(s, "frag_4to6", test_frag_4to6) ||
	    !CU_add_test(s, "frag_no_first_napt", test_frag_no_first_napt) ||
	    !CU_add_test(s, "frag_stateless_non_first", test_frag_stateless_non_first) ||
	    !CU_add_test(s, "frag_icmp_dropped", test_frag_icmp_dropped) ||
	    !CU_add_test(s, "pmtu_df_set", test_pmtu_df_set) ||
	    !CU_add_test(s, "pmtu_df_clear", test_pmtu_df_clear))
		return -1;
	return 0;
}
