/*
 * DNS codec (RFC 1035 section 4) against messages written out byte by
 * byte from section 4.1: header (4.1.1), question (4.1.2), resource record
 * (4.1.3) and compression pointers (4.1.4); malformed messages (truncated
 * anywhere, pointer loops, forward pointers, labels over 63 octets,
 * reserved label types) refused with the offset of the fault.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dns.h"
#include "pktbuild.h"
#include "trace/trace.h"

int suite_dns(void);

/* id 0x3039 (12345), RD; one question www.barnet.com.au A IN. */
static const uint8_t QUERY_A[] = {
	0x30, 0x39, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 6, 'b', 'a', 'r', 'n', 'e', 't', 3, 'c', 'o', 'm', 2, 'a', 'u', 0,
	0x00, 0x01, 0x00, 0x01,
};

/* The answer: QR AA RD, NOERROR, one A record named by a pointer to the
 * question (0xc00c), TTL 3600, 202.83.176.248. */
static const uint8_t ANSWER_A[] = {
	0x30, 0x39, 0x85, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 6, 'b', 'a', 'r', 'n', 'e', 't', 3, 'c', 'o', 'm', 2, 'a', 'u', 0,
	0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04,
	202, 83, 176, 248,
};

/* AAAA answer for 2001:df0:9::ca53:b0f8, id 7, no RD. */
static const uint8_t ANSWER_AAAA[] = {
	0x00, 0x07, 0x84, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 6, 'b', 'a', 'r', 'n', 'e', 't', 3, 'c', 'o', 'm', 2, 'a', 'u', 0,
	0x00, 0x1c, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x10,
	0x20, 0x01, 0x0d, 0xf0, 0x00, 0x09, 0, 0, 0, 0, 0, 0, 0xca, 0x53, 0xb0, 0xf8,
};

/* NXDOMAIN for nope.barnet.com.au A: QR AA RD, rcode 3, no RA. */
static const uint8_t NXDOMAIN[] = {
	0xe2, 0xc6, 0x85, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	4, 'n', 'o', 'p', 'e', 6, 'b', 'a', 'r', 'n', 'e', 't', 3, 'c', 'o', 'm', 2, 'a', 'u', 0,
	0x00, 0x01, 0x00, 0x01,
};

static void test_encode_query(void)
{
	uint8_t buf[512];
	size_t n = dns_encode_query(buf, sizeof buf, 12345, true, "www.barnet.com.au", DNS_T_A);
	CU_ASSERT_EQUAL(n, sizeof QUERY_A);
	CU_ASSERT(n == sizeof QUERY_A && memcmp(buf, QUERY_A, n) == 0);
	/* The trailing dot names the same thing. */
	n = dns_encode_query(buf, sizeof buf, 12345, true, "www.barnet.com.au.", DNS_T_A);
	CU_ASSERT(n == sizeof QUERY_A && memcmp(buf, QUERY_A, n) == 0);
	/* Does not fit: nothing written is claimed. */
	CU_ASSERT_EQUAL(dns_encode_query(buf, sizeof QUERY_A - 1, 1, true, "www.barnet.com.au",
	                                 DNS_T_A), 0);
}

/* Messages are large: each test takes one from the heap. */
static struct dns_msg *new_msg(void)
{
	struct dns_msg *m = calloc(1, sizeof *m);
	CU_ASSERT_FATAL(m != NULL);
	return m;
}

static void answer_msg(struct dns_msg *mp, uint16_t id, uint16_t flags, uint16_t type, const uint8_t *rdata,
                       uint16_t rdlen)
{
	struct dns_msg *m = mp;
	memset(m, 0, sizeof *m);
	m->h.id = id;
	m->h.flags = flags;
	m->has_question = true;
	strcpy(m->q.name, "www.barnet.com.au");
	m->q.qtype = type;
	m->q.qclass = DNS_C_IN;
	m->nrr = 1;
	strcpy(m->rr[0].name, "WWW.BarNet.com.au"); /* case does not matter (RFC 4343) */
	m->rr[0].type = type;
	m->rr[0].rclass = DNS_C_IN;
	m->rr[0].ttl = 3600;
	m->rr[0].rdlength = rdlen;
	memcpy(m->rr[0].rdata, rdata, rdlen);
}

static void test_encode_answers(void)
{
	static const uint8_t a[4] = { 202, 83, 176, 248 };
	uint8_t buf[512];
	struct dns_msg *msg = new_msg();
	answer_msg(msg, 12345, DNS_F_QR | DNS_F_AA | DNS_F_RD, DNS_T_A, a, 4);
	size_t n = dns_encode(buf, sizeof buf, msg);
	CU_ASSERT(n == sizeof ANSWER_A && memcmp(buf, ANSWER_A, n) == 0);
	answer_msg(msg, 7, DNS_F_QR | DNS_F_AA, DNS_T_AAAA, ANSWER_AAAA + sizeof ANSWER_AAAA - 16, 16);
	n = dns_encode(buf, sizeof buf, msg);
	CU_ASSERT(n == sizeof ANSWER_AAAA && memcmp(buf, ANSWER_AAAA, n) == 0);
	free(msg);
}

static void test_decode_answer(void)
{
	struct dns_error err = { 0, NULL };
	struct dns_msg *msg = new_msg();
	CU_ASSERT_EQUAL_FATAL(dns_decode(ANSWER_A, sizeof ANSWER_A, msg, &err), 0);
	CU_ASSERT_EQUAL(msg->h.id, 12345);
	CU_ASSERT_EQUAL(msg->h.flags, 0x8500);
	CU_ASSERT_STRING_EQUAL(msg->q.name, "www.barnet.com.au");
	CU_ASSERT_EQUAL(msg->q.qtype, DNS_T_A);
	CU_ASSERT_EQUAL(msg->nrr, 1);
	CU_ASSERT_STRING_EQUAL(msg->rr[0].name, "www.barnet.com.au");
	CU_ASSERT_EQUAL(msg->rr[0].ttl, 3600);
	CU_ASSERT_EQUAL(msg->rr[0].rdlength, 4);
	CU_ASSERT_EQUAL(msg->rr[0].rdata[0], 202);
	CU_ASSERT_EQUAL(msg->rr[0].rdata[3], 248);
	CU_ASSERT_EQUAL(dns_decode(ANSWER_AAAA, sizeof ANSWER_AAAA, msg, &err), 0);
	CU_ASSERT_EQUAL(msg->rr[0].type, DNS_T_AAAA);
	CU_ASSERT_EQUAL(msg->rr[0].rdata[15], 0xf8);
	free(msg);
}

/* Every proper prefix of a valid message is refused, never read past. */
static void test_truncated_everywhere(void)
{
	struct dns_error err;
	struct dns_msg *msg = new_msg();
	for (size_t len = 0; len < sizeof ANSWER_AAAA; len++) {
		err.what = NULL;
		CU_ASSERT_EQUAL(dns_decode(ANSWER_AAAA, len, msg, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(err.what);
		CU_ASSERT(err.offset <= len);
	}
	free(msg);
}

static void expect_fault(const uint8_t *m, size_t len, size_t offset, const char *word)
{
	struct dns_error err = { 0, NULL };
	struct dns_msg *msg = new_msg();
	CU_ASSERT_EQUAL(dns_decode(m, len, msg, &err), -1);
	free(msg);
	CU_ASSERT_EQUAL(err.offset, offset);
	CU_ASSERT(err.what != NULL && strstr(err.what, word) != NULL);
}

static void test_malformed(void)
{
	/* A question whose name is a pointer to itself (offset 12). */
	static const uint8_t self[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1 };
	expect_fault(self, sizeof self, 12, "loop");
	/* Two pointers pointing at each other: 12 -> 14 (forward) -> 12. */
	static const uint8_t pair[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		                        0xc0, 0x0e, 0xc0, 0x0c, 0, 1, 0, 1 };
	expect_fault(pair, sizeof pair, 12, "loop");
	/* An answer whose name "a" ends in a pointer back to itself. */
	static const uint8_t loop2[] = { 0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0,
		                         1, 'a', 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0 };
	expect_fault(loop2, sizeof loop2, 14, "loop");
	/* A label of 64 octets (0x40 is a reserved label type, 01). */
	uint8_t big[12 + 1 + 64 + 5] = { 0, 1, 0, 0, 0, 1 };
	big[12] = 64;
	expect_fault(big, sizeof big, 12, "reserved");
	/* 10xxxxxx: reserved too (RFC 1035 4.1.4). */
	static const uint8_t ext[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 1, 0, 1 };
	expect_fault(ext, sizeof ext, 12, "reserved");
	/* A pointer past the message. */
	static const uint8_t past[] = { 0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0,
		                        0xc0, 0xff, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0 };
	expect_fault(past, sizeof past, 12, "loop"); /* 0xff is not before 12 */
	/* A names of 4 x 63-octet labels: 256 octets on the wire. */
	uint8_t longname[12 + 4 * 64 + 1 + 4] = { 0, 1, 0, 0, 0, 1 };
	for (int i = 0; i < 4; i++) {
		longname[12 + i * 64] = 63;
		memset(longname + 12 + i * 64 + 1, 'x', 63);
	}
	expect_fault(longname, sizeof longname, 12 + 3 * 64, "255");
	/* An A record with 5 octets of rdata. */
	uint8_t bad_a[sizeof ANSWER_A + 1];
	memcpy(bad_a, ANSWER_A, sizeof ANSWER_A);
	bad_a[sizeof ANSWER_A - 5] = 5;
	expect_fault(bad_a, sizeof bad_a, sizeof ANSWER_A - 6, "rdata length");
}

static void test_encode_refuses_bad_names(void)
{
	uint8_t buf[512];
	char label64[80];
	memset(label64, 'x', 64);
	label64[64] = '\0';
	CU_ASSERT_EQUAL(dns_encode_query(buf, sizeof buf, 1, true, label64, DNS_T_A), 0);
	CU_ASSERT_EQUAL(dns_encode_query(buf, sizeof buf, 1, true, "a..b", DNS_T_A), 0);
	/* The root is the empty name: one zero octet. */
	CU_ASSERT_EQUAL(dns_encode_query(buf, sizeof buf, 1, true, "", DNS_T_A), 12 + 1 + 4);
	CU_ASSERT_EQUAL(buf[12], 0);
}

static void test_name_text(void)
{
	/* A label holding '.', a backslash and a byte 0x07, as BIND prints it. */
	static const uint8_t m[] = { 4, 'a', '.', '\\', 7, 0 };
	char out[64];
	size_t next = 0;
	struct dns_error err;
	CU_ASSERT_EQUAL(dns_name_decode(m, sizeof m, 0, out, sizeof out, &next, &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "a\\.\\\\\\007");
	CU_ASSERT_EQUAL(next, 6);
	CU_ASSERT_EQUAL(dns_name_decode(m, sizeof m, 0, out, 4, &next, &err), -1);
	CU_ASSERT(dns_name_equal("WWW.barnet.COM.au", "www.BARNET.com.AU"));
	CU_ASSERT(!dns_name_equal("www.barnet.com", "www.barnet.com.au"));
	CU_ASSERT_STRING_EQUAL(dns_type_name(DNS_T_AAAA), "AAAA");
	CU_ASSERT_STRING_EQUAL(dns_rcode_name(DNS_R_NXDOMAIN), "NXDOMAIN");
	CU_ASSERT_PTR_NULL(dns_rcode_name(16));
}

/*
 * The printer against tcpdump 4.99 itself: these packets were written to
 * a pcap (LINKTYPE_RAW) and `tcpdump -n -r` printed the lines below, which
 * are pasted here as they came (timestamps removed).
 */
struct dns_pkt {
	const uint8_t *msg;
	size_t len;
	bool v6, response;
	size_t cut;          /* bytes of the IP packet captured, 0: all */
	const char *tcpdump;
};

static size_t build_udp(const struct dns_pkt *d, uint8_t *pkt, size_t cap)
{
	struct pb_l4 l4 = { .proto = 17, .sport = d->response ? 53 : 49152,
		            .dport = d->response ? 49152 : 53, .payload = d->msg,
		            .payload_len = d->len };
	const char *client6 = "2001:df0:9::1", *server6 = "2001:df0:9::ca53:b0f8";
	const char *client4 = "202.83.176.1", *server4 = "202.83.176.248";
	if (d->v6) {
		struct pb_ip6 ip = { .src = d->response ? server6 : client6,
			             .dst = d->response ? client6 : server6, .hlim = 64 };
		return pb_ip6(pkt, cap, &ip, &l4);
	}
	struct pb_ip4 ip = { .src = d->response ? server4 : client4,
		             .dst = d->response ? client4 : server4, .ttl = 64, .id = 1 };
	return pb_ip4(pkt, cap, &ip, &l4);
}

static void test_print_like_tcpdump(void)
{
	static const struct dns_pkt pkts[] = {
		{ QUERY_A, sizeof QUERY_A, false, false, 0,
		  "IP 202.83.176.1.49152 > 202.83.176.248.53: 12345+ A? www.barnet.com.au. (35)" },
		{ ANSWER_A, sizeof ANSWER_A, false, true, 0,
		  "IP 202.83.176.248.53 > 202.83.176.1.49152: 12345*- 1/0/0 A 202.83.176.248 (51)" },
		{ QUERY_A, sizeof QUERY_A, true, false, 0,
		  "IP6 2001:df0:9::1.49152 > 2001:df0:9::ca53:b0f8.53: 12345+ A? www.barnet.com.au. "
		  "(35)" },
		{ ANSWER_AAAA, sizeof ANSWER_AAAA, true, true, 0,
		  "IP6 2001:df0:9::ca53:b0f8.53 > 2001:df0:9::1.49152: 7*- 1/0/0 AAAA "
		  "2001:df0:9::ca53:b0f8 (63)" },
		{ NXDOMAIN, sizeof NXDOMAIN, false, true, 0,
		  "IP 202.83.176.248.53 > 202.83.176.1.49152: 58054 NXDomain*- 0/0/0 (36)" },
		{ ANSWER_A, sizeof ANSWER_A, false, true, 20 + 8 + 30,
		  "IP 202.83.176.248.53 > 202.83.176.1.49152: 12345*- [|domain]" },
		{ ANSWER_A, sizeof ANSWER_A, false, true, 20 + 8 + 8,
		  "IP 202.83.176.248.53 > 202.83.176.1.49152:  [|domain]" },
	};
	for (size_t i = 0; i < sizeof pkts / sizeof pkts[0]; i++) {
		uint8_t pkt[600];
		char line[300];
		size_t len = build_udp(&pkts[i], pkt, sizeof pkt);
		CU_ASSERT_FATAL(len > 0);
		size_t cap = pkts[i].cut ? pkts[i].cut : len;
		trace_format_snap(line, sizeof line, TRACE_DLT_RAW, pkt, cap, len, false);
		CU_ASSERT_STRING_EQUAL(line, pkts[i].tcpdump);
		if (strcmp(line, pkts[i].tcpdump) != 0)
			printf("\n  got      %s\n  tcpdump  %s\n", line, pkts[i].tcpdump);
	}
}

/* Every mutation of valid messages decodes or is refused, and prints,
 * without reading past the end (run under ASan in make check). */
static void test_mutations_never_crash(void)
{
	struct dns_msg *msg = new_msg();
	uint32_t x = 20080513; /* a fixed LCG: the same bytes every run */
	const uint8_t *base[2] = { ANSWER_A, ANSWER_AAAA };
	const size_t blen[2] = { sizeof ANSWER_A, sizeof ANSWER_AAAA };
	int ok = 0, refused = 0;
	for (int round = 0; round < 20000; round++) {
		uint8_t m[80];
		size_t len = blen[round & 1];
		memcpy(m, base[round & 1], len);
		for (int k = 0; k < 3; k++) {
			x = x * 1103515245u + 12345u;
			m[(x >> 8) % len] = (uint8_t)(x >> 20);
		}
		x = x * 1103515245u + 12345u;
		len -= (x >> 16) % 4 == 0 ? (x >> 8) % len : 0;
		uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees overreads */
		CU_ASSERT_FATAL(copy != NULL);
		memcpy(copy, m, len);
		struct dns_error err = { 0, NULL };
		if (dns_decode(copy, len, msg, &err) == 0) {
			ok++;
			CU_ASSERT(msg->nrr <= DNS_MAX_RR);
		} else {
			refused++;
			CU_ASSERT(err.what != NULL && err.offset <= len);
		}
		char line[400];
		struct trace_buf b = { line, sizeof line, 0, false, false };
		print_dns(&b, copy, len, len);
		free(copy);
	}
	CU_ASSERT(ok > 0 && refused > 0);
	free(msg);
}

int suite_dns(void)
{
	CU_pSuite s = CU_add_suite("dns", NULL, NULL);
	if (!s || !CU_add_test(s, "encode_query", test_encode_query) ||
	    !CU_add_test(s, "encode_answers", test_encode_answers) ||
	    !CU_add_test(s, "decode_answer", test_decode_answer) ||
	    !CU_add_test(s, "truncated_everywhere", test_truncated_everywhere) ||
	    !CU_add_test(s, "malformed", test_malformed) ||
	    !CU_add_test(s, "encode_refuses_bad_names", test_encode_refuses_bad_names) ||
	    !CU_add_test(s, "name_text", test_name_text) ||
	    !CU_add_test(s, "print_like_tcpdump", test_print_like_tcpdump) ||
	    !CU_add_test(s, "mutations_never_crash", test_mutations_never_crash))
		return -1;
	return 0;
}
