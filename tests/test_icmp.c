/*
 * suite_icmp — ICMP translation, RFC 7915 sections 4.2 (ICMPv4 -> ICMPv6)
 * and 5.2 (ICMPv6 -> ICMPv4), table-driven, plus echo with identifier
 * mapping (RFC 6146 3.5.3), Packet Too Big / Fragmentation Needed MTU
 * arithmetic, and the Time Exceeded errors the translator originates.
 * Expected packets are built with libnet from the RFC's tables.
 */
#include <arpa/inet.h>
#include "testutil.h"

#include <CUnit/Basic.h>
#include <string.h>

int suite_icmp(void);

static struct tu_capture cap;

#define ROUTER4   "198.51.100.1"
#define ROUTER4_6 "2001:df0:9::c633:6401" /* ROUTER4 under the /96 prefix */
#define ROUTER6   "2001:db8:1::1"

/* ---- echo (RFC 7915 4.2 / 5.2: 8 <-> 128, 0 <-> 129) ---- */

static const uint8_t ping_data[] = "k7 ping6 2001:df0:9::ca53:b0f8";

static void test_echo_napt_both_ways(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 req = { .proto = 58, .type = 128, .word = 0x1234u << 16 | 7,
	                     .payload = ping_data, .payload_len = sizeof ping_data };
	size_t len = pb_ip6(in, sizeof in, &ip6, &req);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 4);
	const uint8_t *o = cap.pkt[0].data;
	uint16_t id4 = tu_rd16(o + 24); /* the identifier is the NAPT "port": its choice */
	struct pb_ip4 ip4 = { .src = TU_POOL4, .dst = TU_SERVER4, .ttl = 63, .id = tu_rd16(o + 4) };
	struct pb_l4 req4 = { .proto = 1, .type = 8, .word = (uint32_t)id4 << 16 | 7,
	                      .payload = ping_data, .payload_len = sizeof ping_data };
	size_t elen = pb_ip4(exp, sizeof exp, &ip4, &req4);
	TU_ASSERT_SAME(o, cap.pkt[0].len, exp, elen);

	struct pb_ip4 rip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 57, .id = 99 };
	struct pb_l4 rep = { .proto = 1, .type = 0, .word = (uint32_t)id4 << 16 | 7,
	                     .payload = ping_data, .payload_len = sizeof ping_data };
	len = pb_ip4(in, sizeof in, &rip, &rep);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0 + TU_SEC), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 6);
	struct pb_ip6 eip = { .src = TU_SERVER6, .dst = TU_CLIENT6, .hlim = 56 };
	struct pb_l4 rep6 = { .proto = 58, .type = 129, .word = 0x1234u << 16 | 7,
	                      .payload = ping_data, .payload_len = sizeof ping_data };
	elen = pb_ip6(exp, sizeof exp, &eip, &rep6);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	CU_ASSERT(pb_l4_csum_ok(cap.pkt[0].data, cap.pkt[0].len));
	nat6to4_free(nat);
}

/* Stateless: the identifier is left alone. */
static void test_echo_stateless(void)
{
	nat6to4 *nat = tu_nat(tu_conf_stateless);
	uint8_t in[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip4 ip4 = { .src = TU_SL_PEER4, .dst = TU_SL_HOST4, .ttl = 64, .id = 5 };
	struct pb_l4 req = { .proto = 1, .type = 8, .word = 0xbeefu << 16 | 1,
	                     .payload = ping_data, .payload_len = sizeof ping_data };
	size_t len = pb_ip4(in, sizeof in, &ip4, &req);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 6);
	struct pb_ip6 eip = { .src = TU_SL_PEER6, .dst = TU_SL_HOST6, .hlim = 63 };
	struct pb_l4 req6 = req;
	req6.proto = 58;
	req6.type = 128;
	size_t elen = pb_ip6(exp, sizeof exp, &eip, &req6);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	nat6to4_free(nat);
}

/* ---- the tables ---- */

struct icmp_row {
	uint8_t type, code;
	uint32_t word;
	int translated;          /* 0: RFC says drop */
	uint8_t out_type, out_code;
	uint32_t out_word;
};

#define PTR4(p) ((uint32_t)(p) << 24) /* ICMPv4 pointer: first byte of the word */
#define DROP 0, 0, 0, 0

/* RFC 7915 section 4.2, with Figure 3 for the pointers (mtu6 1280). */
static const struct icmp_row rows_4to6[] = {
	{ 3, 0, 0, 1, 1, 0, 0 },   { 3, 1, 0, 1, 1, 0, 0 },
	{ 3, 2, 0, 1, 4, 1, 6 },   /* protocol unreachable: pointer at Next Header */
	{ 3, 3, 0, 1, 1, 4, 0 },
	{ 3, 4, 1400, 1, 2, 0, 1280 }, /* min(1400 + 20, mtu6 1280) */
	{ 3, 5, 0, 1, 1, 0, 0 },   { 3, 6, 0, 1, 1, 0, 0 },  { 3, 7, 0, 1, 1, 0, 0 },
	{ 3, 8, 0, 1, 1, 0, 0 },   { 3, 9, 0, 1, 1, 1, 0 },  { 3, 10, 0, 1, 1, 1, 0 },
	{ 3, 11, 0, 1, 1, 0, 0 },  { 3, 12, 0, 1, 1, 0, 0 }, { 3, 13, 0, 1, 1, 1, 0 },
	{ 3, 14, 0, DROP },        { 3, 15, 0, 1, 1, 1, 0 }, { 3, 16, 0, DROP },
	{ 11, 0, 0, 1, 3, 0, 0 },  { 11, 1, 0, 1, 3, 1, 0 },
	{ 12, 0, PTR4(0), 1, 4, 0, 0 },  { 12, 0, PTR4(1), 1, 4, 0, 1 },
	{ 12, 0, PTR4(2), 1, 4, 0, 4 },  { 12, 0, PTR4(3), 1, 4, 0, 4 },
	{ 12, 0, PTR4(4), DROP },        { 12, 0, PTR4(5), DROP },
	{ 12, 0, PTR4(6), DROP },        { 12, 0, PTR4(7), DROP },
	{ 12, 0, PTR4(8), 1, 4, 0, 7 },  { 12, 0, PTR4(9), 1, 4, 0, 6 },
	{ 12, 0, PTR4(10), DROP },       { 12, 0, PTR4(11), DROP },
	{ 12, 0, PTR4(12), 1, 4, 0, 8 }, { 12, 0, PTR4(15), 1, 4, 0, 8 },
	{ 12, 0, PTR4(16), 1, 4, 0, 24 }, { 12, 0, PTR4(19), 1, 4, 0, 24 },
	{ 12, 0, PTR4(20), DROP },       /* not listed in Figure 3 */
	{ 12, 1, 0, DROP },              /* missing a required option */
	{ 12, 2, PTR4(8), 1, 4, 0, 7 },  /* bad length: as code 0 */
	{ 12, 3, PTR4(0), DROP },
	{ 4, 0, 0, DROP },   /* source quench */
	{ 5, 0, 0, DROP },   /* redirect */
	{ 9, 0, 0, DROP },   { 10, 0, 0, DROP },  /* router advertisement/solicitation */
	{ 13, 0, 0, DROP },  { 14, 0, 0, DROP },  /* timestamp */
	{ 15, 0, 0, DROP },  { 16, 0, 0, DROP },  /* information */
	{ 17, 0, 0, DROP },  { 18, 0, 0, DROP },  /* address mask */
	{ 40, 0, 0, DROP },  /* unknown */
};

/* RFC 7915 section 5.2, with Figure 6 for the pointers (mtu6 1280). */
static const struct icmp_row rows_6to4[] = {
	{ 1, 0, 0, 1, 3, 1, 0 },  { 1, 1, 0, 1, 3, 10, 0 }, { 1, 2, 0, 1, 3, 1, 0 },
	{ 1, 3, 0, 1, 3, 1, 0 },  { 1, 4, 0, 1, 3, 3, 0 },
	{ 1, 5, 0, DROP },        { 1, 6, 0, DROP },        { 1, 7, 0, DROP },
	{ 2, 0, 1280, 1, 3, 4, 1260 }, /* min(1280 - 20, mtu6 1280 - 20) */
	{ 3, 0, 0, 1, 11, 0, 0 }, { 3, 1, 0, 1, 11, 1, 0 },
	{ 4, 0, 0, 1, 12, 0, PTR4(0) },  { 4, 0, 1, 1, 12, 0, PTR4(1) },
	{ 4, 0, 2, DROP },               { 4, 0, 3, DROP },
	{ 4, 0, 4, 1, 12, 0, PTR4(2) },  { 4, 0, 5, 1, 12, 0, PTR4(2) },
	{ 4, 0, 6, 1, 12, 0, PTR4(9) },  { 4, 0, 7, 1, 12, 0, PTR4(8) },
	{ 4, 0, 8, 1, 12, 0, PTR4(12) }, { 4, 0, 23, 1, 12, 0, PTR4(12) },
	{ 4, 0, 24, 1, 12, 0, PTR4(16) }, { 4, 0, 39, 1, 12, 0, PTR4(16) },
	{ 4, 0, 40, DROP },              /* not listed in Figure 6 */
	{ 4, 1, 0, 1, 3, 2, 0 },         /* unrecognized next header -> protocol unreachable */
	{ 4, 2, 0, DROP },  { 4, 3, 0, DROP },
	{ 100, 0, 0, DROP },             /* unknown error type */
	{ 130, 0, 0, DROP }, { 131, 0, 0, DROP }, { 132, 0, 0, DROP }, /* MLD */
	{ 133, 0, 0, DROP }, { 134, 0, 0, DROP }, { 135, 0, 0, DROP }, /* ND */
	{ 136, 0, 0, DROP }, { 137, 0, 0, DROP },
	{ 200, 0, 0, DROP },             /* unknown informational */
};

static void row_failed(const char *dir, const struct icmp_row *r)
{
	fprintf(stderr, "  (row %s type %u code %u word 0x%x)\n", dir, r->type, r->code, r->word);
}

/*
 * The server side answers the client's SYN with an ICMPv4 error from a
 * router; the IPv6 client must get the ICMPv6 error with the packet it sent
 * inside (its hop limit as the IPv4 TTL it had: RFC 7915 4.3 does not
 * decrement an inner TTL).
 */
static int one_row_4to6(const struct icmp_row *r)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t inner4[PB_MAX], in[PB_MAX], exp[PB_MAX], inner6[PB_MAX];
	int ok = 1;

	if (!nat)
		return 0;
	uint16_t p = tu_open_tcp(nat, &cap, TU_SERVER6, TU_T0);
	size_t ilen = cap.pkt[0].len;
	memcpy(inner4, cap.pkt[0].data, ilen);
	struct pb_ip4 ip = { .src = ROUTER4, .dst = TU_POOL4, .ttl = 30, .id = 0x777 };
	struct pb_l4 err = { .proto = 1, .type = r->type, .code = r->code, .word = r->word,
	                     .payload = inner4, .payload_len = ilen };
	size_t len = pb_ip4(in, sizeof in, &ip, &err);
	struct nat6to4_verdict v = tu_4to6(nat, &cap, in, len, TU_T0 + TU_SEC);

	if (!r->translated) {
		ok = p && tu_verdict_is("icmp 4to6 drop", v, NAT6TO4_DROPPED,
		                        NAT6TO4_R_ICMP_UNTRANSLATABLE) && cap.n == 0;
	} else if (!p || !tu_verdict_is("icmp 4to6", v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK) ||
	           cap.n != 1 || cap.pkt[0].family != 6) {
		ok = 0;
	} else {
		struct pb_ip6 i6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = inner4[8] };
		struct pb_l4 syn = { .proto = 6, .sport = 40000, .dport = 80, .seq = 1000,
		                     .flags = 0x02, .win = 65535 };
		size_t i6len = pb_ip6(inner6, sizeof inner6, &i6, &syn);
		struct pb_ip6 o6 = { .src = ROUTER4_6, .dst = TU_CLIENT6, .hlim = 29 };
		struct pb_l4 e6 = { .proto = 58, .type = r->out_type, .code = r->out_code,
		                    .word = r->out_word, .payload = inner6, .payload_len = i6len };
		size_t elen = pb_ip6(exp, sizeof exp, &o6, &e6);
		ok = tu_same("icmp 4to6", cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	}
	if (!ok)
		row_failed("4to6", r);
	nat6to4_free(nat);
	return ok;
}

static void test_icmp4_to_icmp6_table(void)
{
	for (size_t i = 0; i < sizeof rows_4to6 / sizeof rows_4to6[0]; i++)
		CU_ASSERT(one_row_4to6(&rows_4to6[i]));
}

/*
 * A router on the IPv6 side answers the server's SYN-ACK with an ICMPv6
 * error; the server must get the ICMPv4 error about the packet it sent.
 * The outer source is the translator's pool address (RFC 6146 3.5.3: the
 * router has no IPv4 address of its own).
 */
static int one_row_6to4(const struct icmp_row *r)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], inner6[PB_MAX], exp[PB_MAX], inner4[PB_MAX], synack[PB_MAX];
	int ok = 1;

	if (!nat)
		return 0;
	uint16_t p = tu_open_tcp(nat, &cap, TU_SERVER6, TU_T0);
	struct pb_ip4 sip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 50, .id = 1, .df = 1 };
	struct pb_l4 sa = { .proto = 6, .sport = 80, .dport = p, .seq = 5000, .ack = 1001,
	                    .flags = 0x12, .win = 65535 };
	size_t len = pb_ip4(synack, sizeof synack, &sip, &sa);
	tu_4to6(nat, &cap, synack, len, TU_T0);
	if (!p || cap.n != 1) {
		nat6to4_free(nat);
		row_failed("6to4 (no session)", r);
		return 0;
	}
	size_t ilen = cap.pkt[0].len;
	memcpy(inner6, cap.pkt[0].data, ilen);
	struct pb_ip6 ip = { .src = ROUTER6, .dst = TU_SERVER6, .hlim = 30 };
	struct pb_l4 err = { .proto = 58, .type = r->type, .code = r->code, .word = r->word,
	                     .payload = inner6, .payload_len = ilen };
	len = pb_ip6(in, sizeof in, &ip, &err);
	struct nat6to4_verdict v = tu_6to4(nat, &cap, in, len, TU_T0 + TU_SEC);

	if (!r->translated) {
		ok = tu_verdict_is("icmp 6to4 drop", v, NAT6TO4_DROPPED, NAT6TO4_R_ICMP_UNTRANSLATABLE) &&
		     cap.n == 0;
	} else if (!tu_verdict_is("icmp 6to4", v, NAT6TO4_TRANSLATED, NAT6TO4_R_OK) ||
	           cap.n != 1 || cap.pkt[0].family != 4 || cap.pkt[0].len < 48) {
		ok = 0;
	} else {
		const uint8_t *o = cap.pkt[0].data;
		/* inner and outer IPv4 identification: the translator's choice */
		struct pb_ip4 i4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = inner6[7],
		                     .id = tu_rd16(o + 28 + 4) };
		size_t i4len = pb_ip4(inner4, sizeof inner4, &i4, &sa);
		struct pb_ip4 o4 = { .src = TU_POOL4, .dst = TU_SERVER4, .ttl = 29,
		                     .id = tu_rd16(o + 4) };
		struct pb_l4 e4 = { .proto = 1, .type = r->out_type, .code = r->out_code,
		                    .word = r->out_word, .payload = inner4, .payload_len = i4len };
		size_t elen = pb_ip4(exp, sizeof exp, &o4, &e4);
		ok = tu_same("icmp 6to4", o, cap.pkt[0].len, exp, elen);
	}
	if (!ok)
		row_failed("6to4", r);
	nat6to4_free(nat);
	return ok;
}

static void test_icmp6_to_icmp4_table(void)
{
	for (size_t i = 0; i < sizeof rows_6to4 / sizeof rows_6to4[0]; i++)
		CU_ASSERT(one_row_6to4(&rows_6to4[i]));
}

/* ---- MTU arithmetic ---- */

static const char conf_mtu1500[] =
	"prefix 2001:df0:9::/96\n"
	"pool4 203.0.113.1\n"
	"mtu6 1500\n";

/*
 * The client sends a big UDP datagram (IPv4 total length `total4`); an IPv4
 * router returns Fragmentation Needed with next-hop MTU `adv`, carrying the
 * first 548 bytes (RFC 1812 4.3.2.3). Returns the MTU of the ICMPv6 Packet
 * Too Big the client gets, -1 when none (the whole packet is checked too).
 */
static long ptb_4to6(uint16_t adv, size_t total4)
{
	static uint8_t body[2000];
	uint8_t in[PB_MAX], big[PB_MAX], exp[PB_MAX], inner6[PB_MAX];
	nat6to4 *nat = tu_nat(conf_mtu1500);
	long mtu = -1;

	if (!nat)
		return -1;
	memset(body, 0x33, sizeof body);
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 d = { .proto = 17, .sport = 6000, .dport = 9, .payload = body,
	                   .payload_len = total4 - 28 };
	size_t len = pb_ip6(in, sizeof in, &ip6, &d);
	tu_6to4(nat, &cap, in, len, TU_T0);
	if (cap.n == 1 && cap.pkt[0].len == total4) {
		memcpy(big, cap.pkt[0].data, total4);
		struct pb_ip4 rip = { .src = ROUTER4, .dst = TU_POOL4, .ttl = 30, .id = 2 };
		struct pb_l4 fn = { .proto = 1, .type = 3, .code = 4, .word = adv,
		                    .payload = big, .payload_len = 548 };
		len = pb_ip4(in, sizeof in, &rip, &fn);
		tu_4to6(nat, &cap, in, len, TU_T0 + TU_SEC);
	} else {
		cap.n = 0;
	}
	if (cap.n == 1 && cap.pkt[0].family == 6 && cap.pkt[0].len >= 48) {
		mtu = (long)tu_rd32(cap.pkt[0].data + 44);
		/* the inner packet: the client's datagram, hop limit 63, cut
		 * where the IPv4 router cut it (528 bytes after the header) */
		struct pb_ip6 i6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 63 };
		pb_ip6(inner6, sizeof inner6, &i6, &d);
		struct pb_ip6 o6 = { .src = ROUTER4_6, .dst = TU_CLIENT6, .hlim = 29 };
		struct pb_l4 e6 = { .proto = 58, .type = 2, .code = 0, .word = (uint32_t)mtu,
		                    .payload = inner6, .payload_len = 40 + 528 };
		size_t elen = pb_ip6(exp, sizeof exp, &o6, &e6);
		CU_ASSERT(tu_same("ptb_4to6", cap.pkt[0].data, cap.pkt[0].len, exp, elen));
	}
	nat6to4_free(nat);
	return mtu;
}

static void test_frag_needed_to_ptb_mtu(void)
{
	/* RFC 7915 4.2: minimum(advertised MTU + 20, MTU of the IPv6 next hop) */
	CU_ASSERT_EQUAL(ptb_4to6(1400, 1450), 1420);
	CU_ASSERT_EQUAL(ptb_4to6(1492, 1500), 1500);
	CU_ASSERT_EQUAL(ptb_4to6(1200, 1450), 1220);
	/*
	 * MTU 0 (a router from before RFC 1191): the greatest RFC 1191 plateau
	 * below the returned Total Length, 1400 -> 1006. RFC 7915 says to use it
	 * as the likely path MTU; we read that as the IPv4 path MTU, so it goes
	 * through the same +20 / mtu6 formula: 1026. (AMBIGUOUS: a literal
	 * reading would put 1006 itself in the ICMPv6 message.)
	 */
	CU_ASSERT_EQUAL(ptb_4to6(0, 1400), 1026);
	CU_ASSERT_EQUAL(ptb_4to6(0, 1800), 1500); /* plateau 1492 + 20, capped by mtu6 */
}

/*
 * IPv6 Packet Too Big about the server's reply (an IPv4 datagram of 1428
 * bytes, DF set, translated to 1448 bytes of IPv6). The IPv6 router quotes
 * its first 200 bytes. Returns the next-hop MTU of the ICMPv4
 * Fragmentation Needed the server gets, -1 when none.
 */
static long ptb_6to4(uint32_t adv)
{
	static uint8_t body[1600];
	uint8_t in[PB_MAX], big6[PB_MAX], exp[PB_MAX], inner4[PB_MAX];
	nat6to4 *nat = tu_nat(conf_mtu1500);
	long mtu = -1;

	if (!nat)
		return -1;
	memset(body, 0x44, sizeof body);
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 q = { .proto = 17, .sport = 6000, .dport = 9, .payload = body, .payload_len = 4 };
	size_t len = pb_ip6(in, sizeof in, &ip6, &q);
	tu_6to4(nat, &cap, in, len, TU_T0);
	uint16_t p = cap.n == 1 ? tu_rd16(cap.pkt[0].data + 20) : 0;
	struct pb_ip4 sip = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 50, .id = 1, .df = 1 };
	struct pb_l4 r = { .proto = 17, .sport = 9, .dport = p, .payload = body, .payload_len = 1400 };
	len = pb_ip4(in, sizeof in, &sip, &r);
	tu_4to6(nat, &cap, in, len, TU_T0);
	if (p && cap.n == 1 && cap.pkt[0].len == 1448) {
		memcpy(big6, cap.pkt[0].data, cap.pkt[0].len);
		struct pb_ip6 rip = { .src = ROUTER6, .dst = TU_SERVER6, .hlim = 30 };
		struct pb_l4 ptb = { .proto = 58, .type = 2, .code = 0, .word = adv,
		                     .payload = big6, .payload_len = 200 };
		len = pb_ip6(in, sizeof in, &rip, &ptb);
		tu_6to4(nat, &cap, in, len, TU_T0 + TU_SEC);
	} else {
		cap.n = 0;
	}
	if (cap.n == 1 && cap.pkt[0].family == 4 && cap.pkt[0].len >= 56) {
		const uint8_t *o = cap.pkt[0].data;
		mtu = (long)tu_rd32(o + 24);
		/*
		 * The inner packet: the server's datagram as it sent it, TTL 49
		 * (its hop limit after our first translation, not decremented
		 * again), cut where the IPv6 router cut it. Its Total Length
		 * says 1428 > 1260, so DF is 1 (RFC 7915 5.1 applied to the
		 * inner header as to any). Identification: the translator's.
		 */
		struct pb_ip4 i4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 49,
		                     .id = tu_rd16(o + 28 + 4), .df = 1 };
		size_t i4len = pb_ip4(inner4, sizeof inner4, &i4, &r);
		CU_ASSERT(i4len == 1428);
		struct pb_ip4 o4 = { .src = TU_POOL4, .dst = TU_SERVER4, .ttl = 29, .id = tu_rd16(o + 4) };
		struct pb_l4 e4 = { .proto = 1, .type = 3, .code = 4, .word = (uint32_t)mtu,
		                    .payload = inner4, .payload_len = 20 + 160 };
		size_t elen = pb_ip4(exp, sizeof exp, &o4, &e4);
		CU_ASSERT(tu_same("ptb_6to4", o, cap.pkt[0].len, exp, elen));
	}
	nat6to4_free(nat);
	return mtu;
}

static void test_ptb_to_frag_needed_mtu(void)
{
	/* RFC 7915 5.2: minimum(advertised MTU - 20, MTU of the IPv6 next hop - 20) */
	CU_ASSERT_EQUAL(ptb_6to4(1400), 1380);
	CU_ASSERT_EQUAL(ptb_6to4(1600), 1480);
	CU_ASSERT_EQUAL(ptb_6to4(1280), 1260);
}

/* ---- errors about errors, errors about echo ---- */

/* RFC 1812 / RFC 4443: no ICMP error about an ICMP error; the translator
 * drops one rather than translate it. */
static void test_no_error_about_error(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t inner[PB_MAX], in[PB_MAX], quoted[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	CU_ASSERT_FATAL(tu_open_tcp(nat, &cap, TU_SERVER6, TU_T0) != 0);
	memcpy(quoted, cap.pkt[0].data, 28); /* what the inner error itself quotes */
	/* 4to6: an ICMPv4 error quoting an ICMPv4 error sent by the pool */
	struct pb_ip4 iip = { .src = TU_POOL4, .dst = TU_SERVER4, .ttl = 63, .id = 3 };
	struct pb_l4 ierr = { .proto = 1, .type = 3, .code = 3, .payload = quoted, .payload_len = 28 };
	size_t ilen = pb_ip4(inner, sizeof inner, &iip, &ierr);
	struct pb_ip4 oip = { .src = ROUTER4, .dst = TU_POOL4, .ttl = 30, .id = 4 };
	struct pb_l4 oerr = { .proto = 1, .type = 3, .code = 1, .payload = inner, .payload_len = ilen };
	size_t len = pb_ip4(in, sizeof in, &oip, &oerr);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED,
	                  NAT6TO4_R_ICMP_ERROR_NESTED);
	CU_ASSERT_EQUAL(cap.n, 0);

	/* 6to4: an ICMPv6 error quoting an ICMPv6 error sent to the client */
	struct pb_ip6 i6 = { .src = TU_SERVER6, .dst = TU_CLIENT6, .hlim = 60 };
	struct pb_l4 e6 = { .proto = 58, .type = 1, .code = 4, .payload = quoted, .payload_len = 28 };
	ilen = pb_ip6(inner, sizeof inner, &i6, &e6);
	struct pb_ip6 o6 = { .src = ROUTER6, .dst = TU_SERVER6, .hlim = 30 };
	struct pb_l4 oe6 = { .proto = 58, .type = 1, .code = 0, .payload = inner, .payload_len = ilen };
	len = pb_ip6(in, sizeof in, &o6, &oe6);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_DROPPED,
	                  NAT6TO4_R_ICMP_ERROR_NESTED);
	CU_ASSERT_EQUAL(cap.n, 0);
	nat6to4_free(nat);
}

/* An error about an echo request is translated, the inner echo mapped back
 * to the client's identifier (RFC 6146 3.5.3 / RFC 7915 4.3). */
static void test_error_about_echo(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX], inner4[PB_MAX], inner6[PB_MAX], exp[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 64 };
	struct pb_l4 req = { .proto = 58, .type = 128, .word = 0x1234u << 16 | 1,
	                     .payload = ping_data, .payload_len = sizeof ping_data };
	size_t len = pb_ip6(in, sizeof in, &ip6, &req);
	tu_6to4(nat, &cap, in, len, TU_T0);
	CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 4);
	size_t ilen = cap.pkt[0].len;
	memcpy(inner4, cap.pkt[0].data, ilen);
	struct pb_ip4 rip = { .src = ROUTER4, .dst = TU_POOL4, .ttl = 30, .id = 2 };
	struct pb_l4 unr = { .proto = 1, .type = 3, .code = 1, .payload = inner4, .payload_len = ilen };
	len = pb_ip4(in, sizeof in, &rip, &unr);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
	CU_ASSERT_FATAL(cap.n == 1 && cap.pkt[0].family == 6);
	struct pb_ip6 i6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 63 };
	size_t i6len = pb_ip6(inner6, sizeof inner6, &i6, &req);
	struct pb_ip6 o6 = { .src = ROUTER4_6, .dst = TU_CLIENT6, .hlim = 29 };
	struct pb_l4 e6 = { .proto = 58, .type = 1, .code = 0, .payload = inner6, .payload_len = i6len };
	size_t elen = pb_ip6(exp, sizeof exp, &o6, &e6);
	TU_ASSERT_SAME(cap.pkt[0].data, cap.pkt[0].len, exp, elen);
	nat6to4_free(nat);
}

/* ---- Time Exceeded originated by the translator (RFC 7915 4.1 / 5.1) ---- */

static void test_hop_limit_exceeded_6to4(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	struct pb_ip6 ip6 = { .src = TU_CLIENT6, .dst = TU_SERVER6, .hlim = 1 };
	struct pb_l4 d = { .proto = 17, .sport = 33434, .dport = 33435, .payload = ping_data,
	                   .payload_len = sizeof ping_data };
	size_t len = pb_ip6(in, sizeof in, &ip6, &d);
	TU_ASSERT_VERDICT(tu_6to4(nat, &cap, in, len, TU_T0), NAT6TO4_ERROR_SENT,
	                  NAT6TO4_R_HOP_LIMIT);
	CU_ASSERT_FATAL(cap.n == 1);
	CU_ASSERT_EQUAL(cap.pkt[0].kind, NAT6TO4_OUT_ICMP_ERROR);
	CU_ASSERT_EQUAL(cap.pkt[0].family, 6);
	CU_ASSERT(tu_check_err6(&cap.pkt[0], 3, 0, 0, in, len));
	CU_ASSERT(pb_l4_csum_ok(cap.pkt[0].data, cap.pkt[0].len));
	/* From the translator itself, so traceroute6 shows it as a hop: its pool4
	 * address 203.0.113.1 under 2001:df0:9::/96 (RFC 6052), not the target. */
	uint8_t own6[16];
	inet_pton(AF_INET6, "2001:df0:9::cb00:7101", own6);
	CU_ASSERT(memcmp(cap.pkt[0].data + 8, own6, 16) == 0);
	struct nat6to4_counters c;
	nat6to4_get_counters(nat, &c);
	CU_ASSERT_EQUAL(c.packets[NAT6TO4_DIR_6TO4][NAT6TO4_R_HOP_LIMIT], 1);
	CU_ASSERT_EQUAL(c.icmp_errors_out, 1);
	nat6to4_free(nat);
}

static void test_ttl_exceeded_4to6(void)
{
	nat6to4 *nat = tu_nat(tu_conf_napt);
	uint8_t in[PB_MAX];

	CU_ASSERT_PTR_NOT_NULL_FATAL(nat);
	uint16_t p = tu_open_tcp(nat, &cap, TU_SERVER6, TU_T0);
	CU_ASSERT_FATAL(p != 0);
	struct pb_ip4 ip4 = { .src = TU_SERVER4, .dst = TU_POOL4, .ttl = 1, .id = 9, .df = 1 };
	struct pb_l4 sa = { .proto = 6, .sport = 80, .dport = p, .seq = 5000, .ack = 1001,
	                    .flags = 0x12, .win = 65535 };
	size_t len = pb_ip4(in, sizeof in, &ip4, &sa);
	TU_ASSERT_VERDICT(tu_4to6(nat, &cap, in, len, TU_T0), NAT6TO4_ERROR_SENT,
	                  NAT6TO4_R_HOP_LIMIT);
	CU_ASSERT_FATAL(cap.n == 1);
	CU_ASSERT_EQUAL(cap.pkt[0].kind, NAT6TO4_OUT_ICMP_ERROR);
	CU_ASSERT_EQUAL(cap.pkt[0].family, 4);
	CU_ASSERT(tu_check_err4(&cap.pkt[0], 11, 0, 0, in, len));
	CU_ASSERT(pb_ip4_hdr_ok(cap.pkt[0].data, cap.pkt[0].len));
	static const uint8_t own4[4] = { 203, 0, 113, 1 }; /* the translator's pool4 address */
	CU_ASSERT(memcmp(cap.pkt[0].data + 12, own4, 4) == 0);
	nat6to4_free(nat);
}

int suite_icmp(void)
{
	CU_pSuite s = CU_add_suite("icmp", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "echo_napt_both_ways", test_echo_napt_both_ways) ||
	    !CU_add_test(s, "echo_stateless", test_echo_stateless) ||
	    !CU_add_test(s, "icmp4_to_icmp6_table", test_icmp4_to_icmp6_table) ||
	    !CU_add_test(s, "icmp6_to_icmp4_table", test_icmp6_to_icmp4_table) ||
	    !CU_add_test(s, "frag_needed_to_ptb_mtu", test_frag_needed_to_ptb_mtu) ||
	    !CU_add_test(s, "ptb_to_frag_needed_mtu", test_ptb_to_frag_needed_mtu) ||
	    !CU_add_test(s, "no_error_about_error", test_no_error_about_error) ||
	    !CU_add_test(s, "error_about_echo", test_error_about_echo) ||
	    !CU_add_test(s, "hop_limit_exceeded_6to4", test_hop_limit_exceeded_6to4) ||
	    !CU_add_test(s, "ttl_exceeded_4to6", test_ttl_exceeded_4to6))
		return -1;
	return 0;
}
