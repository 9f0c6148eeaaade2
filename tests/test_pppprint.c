/*
 * suite_pppprint: the PPP printer (sim/trace/print_ppp.c) inside PPPoE.
 *
 * Every frame below is written out by hand, byte by byte, from the RFCs'
 * packet formats: RFC 1661 5 (code, identifier, length, then options: MRU
 * 1, Quality-Protocol 4, Magic-Number 5), RFC 1332 3.3 (IP-Address 3),
 * RFC 5072 4.1 (Interface-Identifier 1), RFC 1334 2.2 (PAP), RFC 1994 4
 * (CHAP), RFC 1989 (LQR) and RFC 8200/4443 for the IPv6 echo. Each frame
 * starts at the PPP protocol field, as in a PPPoE session (RFC 2516 7).
 *
 * Expected lines: what tcpdump 4.99.3 (libpcap 1.10.3) printed for the
 * same frames inside a PPPoE session (ses 0x1), after its "PPPoE  [ses
 * 0x1] " prefix, trailing blanks dropped. To regenerate after adding a
 * case:
 *     cc -std=c11 -D_DEFAULT_SOURCE -DPPPPRINT_DUMP -Isim -Itranslator \
 *        tests/test_pppprint.c sim/trace/print*.c -lpcap -o /tmp/pdump
 *     /tmp/pdump /tmp/ppp.pcap     # our lines on stdout
 *     tcpdump -n -t -r /tmp/ppp.pcap
 */
#include "trace/trace.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PPPPRINT_DUMP
#include <CUnit/CUnit.h>
#endif

#define FRAME_MAX 256

struct ppp_case {
	const char *what;
	const char *hex;     /* the PPP frame, spaces for reading */
	const char *expect;  /* tcpdump -n, after "PPPoE  [ses 0x1] " */
};

static const struct ppp_case cases[] = {
	/* LCP Configure-Request: MRU 1492, Quality-Protocol LQR with a
	 * reporting period of 1000 (10 s), Magic-Number 0x1a2b3c4d. */
	{ "lcp_confreq", "c021 01 01 0016  01 04 05d4  04 08 c025 000003e8  05 06 1a2b3c4d",
	  "LCP, Conf-Request (0x01), id 1, length 24" },
	{ "lcp_confack", "c021 02 01 0016  01 04 05d4  04 08 c025 000003e8  05 06 1a2b3c4d",
	  "LCP, Conf-Ack (0x02), id 1, length 24" },
	{ "lcp_confnak", "c021 03 02 0008  01 04 05d4", "LCP, Conf-Nack (0x03), id 2, length 10" },
	{ "lcp_confrej", "c021 04 03 0007  0d 03 06", "LCP, Conf-Reject (0x04), id 3, length 9" },
	{ "lcp_termreq", "c021 05 04 0004", "LCP, Term-Request (0x05), id 4, length 6" },
	{ "lcp_termack", "c021 06 04 0004", "LCP, Term-Ack (0x06), id 4, length 6" },
	{ "lcp_coderej", "c021 07 05 0008  0c 01 0004", "LCP, Code-Reject (0x07), id 5, length 10" },
	{ "lcp_protrej", "c021 08 06 000a  80fd 01 01 0004",
	  "LCP, Prot-Reject (0x08), id 6, length 12" },
	{ "lcp_echoreq", "c021 09 07 0008  1a2b3c4d", "LCP, Echo-Request (0x09), id 7, length 10" },
	{ "lcp_echorep", "c021 0a 07 0008  5a6b7c8d", "LCP, Echo-Reply (0x0a), id 7, length 10" },
	{ "lcp_discreq", "c021 0b 01 0004", "LCP, Disc-Req (0x0b), id 1, length 6" },
	{ "lcp_vendor", "c021 00 01 0004", "LCP, Vendor-Extension (0x00), id 1, length 6" },
	{ "lcp_resetack", "c021 0f 01 0004", "LCP, Reset-Ack (0x0f), id 1, length 6" },
	{ "lcp_badcode", "c021 10 01 0004", "LCP, Unknown Opcode (0x10), id 1, length 6" },
	/* Auth-Protocol PAP (c023) and CHAP with MD5 (c223, algorithm 5). */
	{ "lcp_auth_pap", "c021 01 01 0012  01 04 05d4  03 04 c023  05 06 1a2b3c4d",
	  "LCP, Conf-Request (0x01), id 1, length 20" },
	{ "lcp_auth_chap", "c021 01 01 0013  01 04 05d4  03 05 c223 05  05 06 1a2b3c4d",
	  "LCP, Conf-Request (0x01), id 1, length 21" },
	/* IPCP: the client asks for 0.0.0.0, the server Naks with 203.0.0.113. */
	{ "ipcp_confreq", "8021 01 01 000a  03 06 00000000",
	  "IPCP, Conf-Request (0x01), id 1, length 12" },
	{ "ipcp_confnak", "8021 03 01 000a  03 06 cb000071",
	  "IPCP, Conf-Nack (0x03), id 1, length 12" },
	{ "ipcp_termreq", "8021 05 02 0004", "IPCP, Term-Request (0x05), id 2, length 6" },
	/* IPV6CP: k7's identifier 020f:eaff:fe2c:d518, the ISP's 020c:86ff:fe75:241b. */
	{ "ipv6cp_confreq", "8057 01 01 000e  01 0a 020feafffe2cd518",
	  "IP6CP, Conf-Request (0x01), id 1, length 16" },
	{ "ipv6cp_confack", "8057 02 01 000e  01 0a 020c86fffe75241b",
	  "IP6CP, Conf-Ack (0x02), id 1, length 16" },
	{ "ipv6cp_confrej", "8057 04 02 0006  0206", "IP6CP, Conf-Reject (0x04), id 2, length 8" },
	{ "ccp_confreq", "80fd 01 01 0004", "CCP, Conf-Request (0x01), id 1, length 6" },
	/* PAP: empty Peer-ID (the seed's `set authname ""`), Password "secret". */
	{ "pap_req", "c023 01 01 000c  00  06 736563726574",
	  "PAP, Auth-Req (0x01), id 1, Peer , Name secret" },
	{ "pap_ack", "c023 02 01 0005  00", "PAP, Auth-ACK (0x02), id 1, Msg" },
	{ "pap_nak", "c023 03 01 0013  0e 4c6f67696e20696e636f72726563",
	  "PAP, Auth-NACK (0x03), id 1, Msg Login incorrec" },
	{ "pap_ctrl_chars", "c023 01 01 000b  02 01ff  41 03 617f62",
	  "PAP, Auth-Req (0x01), id 1, Peer ^AM-^?" },
	{ "pap_badcode", "c023 09 01 0004", "PAP, unknown (0x09), id 1" },
	{ "pap_too_long", "c023 01 01 0014  00 06 736563726574",
	  "PAP, Auth-Req (0x01), id 1, length 20 > packet size" },
	{ "pap_short_req", "c023 01 01 0005  00", "PAP, Auth-Req (0x01), id 1[|pap]" },
	/* CHAP: a 16-byte challenge from "bras", k7's response without a name. */
	{ "chap_challenge", "c223 01 01 0019  10 000102030405060708090a0b0c0d0e0f 62726173",
	  "CHAP, Challenge (0x01), id 1, Value 000102030405060708090a0b0c0d0e0f, Name bras" },
	{ "chap_response", "c223 02 01 0015  10 101112131415161718191a1b1c1d1e1f",
	  "CHAP, Response (0x02), id 1, Value 101112131415161718191a1b1c1d1e1f, Name" },
	{ "chap_success", "c223 03 01 000c  57656c636f6d6521",
	  "CHAP, Success (0x03), id 1, Msg Welcome!" },
	{ "chap_failure", "c223 04 01 0004", "CHAP, Fail (0x04), id 1, Msg" },
	{ "chap_badcode", "c223 05 01 0004", "CHAP, unknown (0x05), id 1" },
	{ "chap_short_value", "c223 01 01 0015  10 0001020304050607", "CHAP, Challenge (0x01), id 1" },
	{ "chap_msg_past_end", "c223 03 01 000c  57656c",
	  "CHAP, Success (0x03), id 1, Msg Wel [|ppp]" },
	/* LQR (RFC 1989 2.6): twelve 32-bit counters, all zero here. */
	{ "lqr", "c025 000000000000000000000000 000000000000000000000000"
	         "000000000000000000000000 000000000000000000000000",
	  "LQM" },
	/* IPv6 in PPP: an echo request between the two link-local addresses. */
	{ "ipv6_echo", "0057 60000000 0010 3a 40  fe80000000000000020feafffe2cd518"
	               "fe80000000000000020c86fffe75241b  80 00 048e 1234 0000 0000000000000000",
	  "IP6 fe80::20f:eaff:fe2c:d518 > fe80::20c:86ff:fe75:241b: ICMP6, echo request, id 4660, "
	  "seq 0, length 16" },
	/* IPv4 in PPP: ICMP echo request 203.0.0.113 -> 203.0.0.1 (RFC 792). */
	{ "ipv4_echo", "0021 45000024 0001 0000 40 01 e465 cb000071 cb000001"
	               "08 00 f7fb 0001 0003 0000000000000000",
	  "IP 203.0.0.113 > 203.0.0.1: ICMP echo request, id 1, seq 3, length 16" },
	{ "unknown_proto", "8099 61626364", "unknown PPP protocol (0x8099)" },
	/* RFC 1662 address/control prefix, Protocol-Field-Compression. */
	{ "addr_ctrl", "ff03 c021 01 01 0004", "LCP, Conf-Request (0x01), id 1, length 6" },
	{ "pfc_ip", "21 45", "IP  [|ip]" },
	/* Short frames: the length field claims more than the frame holds. */
	{ "lcp_cut", "c021 01 01 0010 01 04 05", "LCP, Conf-Request (0x01), id 1, length 9" },
	{ "lcp_code_only", "c021 01", "LCP, [|LCP]" },
	{ "lcp_no_body", "c021", "LCP, [|LCP]" },
	{ "one_byte", "c0", " [|ppp]" },
};

#define NCASES (sizeof cases / sizeof cases[0])

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex text (blanks ignored) into bytes; 0 on a malformed table entry. */
static size_t unhex(const char *s, uint8_t *out, size_t room)
{
	size_t n = 0;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		int hi = hexval(s[0]), lo = s[1] ? hexval(s[1]) : -1;
		if (hi < 0 || lo < 0 || n == room)
			return 0;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

/* print_ppp into buf, trailing blanks dropped as trace_format does. */
static void format_ppp(char *buf, size_t len, const uint8_t *p, size_t caplen, size_t length)
{
	struct trace_buf b = { .s = buf, .cap = len };
	buf[0] = '\0';
	print_ppp(&b, p, caplen, length);
	while (b.n > 0 && b.n < len && buf[b.n - 1] == ' ')
		buf[--b.n] = '\0';
}

/* Ethernet + PPPoE session header (RFC 2516 4, ses 0x1) around a PPP frame. */
static size_t pppoe_wrap(uint8_t *out, const uint8_t *ppp, size_t len)
{
	static const uint8_t hdr[20] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x00, 0x0f, 0xea, 0x2c,
		                         0xd5, 0x18, 0x88, 0x64, 0x11, 0x00, 0x00, 0x01 };
	memcpy(out, hdr, 20);
	out[18] = (uint8_t)(len >> 8);
	out[19] = (uint8_t)len;
	memcpy(out + 20, ppp, len);
	return 20 + len;
}

#ifdef PPPPRINT_DUMP
int main(int argc, char **argv)
{
	uint8_t ppp[FRAME_MAX], frame[FRAME_MAX + 20];
	char line[512];
	if (argc != 2)
		return 2;
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pd ? pcap_dump_open(pd, argv[1]) : NULL;
	if (!d)
		return 1;
	for (size_t i = 0; i < NCASES; i++) {
		size_t n = unhex(cases[i].hex, ppp, sizeof ppp);
		size_t fl = pppoe_wrap(frame, ppp, n);
		struct pcap_pkthdr h = { .ts = { (long)(1000 + i), 0 }, .caplen = (bpf_u_int32)fl,
			                 .len = (bpf_u_int32)fl };
		pcap_dump((u_char *)d, &h, frame);
		format_ppp(line, sizeof line, ppp, n, n);
		printf("PPPoE  [ses 0x1] %s\n", line);
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return 0;
}
#else

static void test_tcpdump_lines(void)
{
	uint8_t ppp[FRAME_MAX];
	char line[512];

	for (size_t i = 0; i < NCASES; i++) {
		size_t n = unhex(cases[i].hex, ppp, sizeof ppp);
		CU_ASSERT_FATAL(n > 0);
		format_ppp(line, sizeof line, ppp, n, n);
		if (strcmp(line, cases[i].expect) != 0)
			fprintf(stderr, "\n%s:\n  got    \"%s\"\n  wanted \"%s\"\n", cases[i].what, line,
			        cases[i].expect);
		CU_ASSERT_STRING_EQUAL(line, cases[i].expect);
	}
}

/*
 * Every case cut at every length, and with the PPPoE length claiming more
 * than was captured: no read past caplen (ASan watches the heap copy), and
 * a short capture of a control packet never prints its code.
 */
static void test_cut_everywhere(void)
{
	uint8_t ppp[FRAME_MAX];
	char line[512];

	for (size_t i = 0; i < NCASES; i++) {
		size_t n = unhex(cases[i].hex, ppp, sizeof ppp);
		for (size_t cut = 0; cut <= n; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			CU_ASSERT_FATAL(copy != NULL);
			memcpy(copy, ppp, cut);
			format_ppp(line, sizeof line, copy, cut, n);
			CU_ASSERT(strlen(line) > 0);
			format_ppp(line, sizeof line, copy, cut, cut);
			CU_ASSERT(strlen(line) > 0);
			free(copy);
		}
	}
	static const uint8_t lcp[] = { 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };
	format_ppp(line, sizeof line, lcp, 3, 6); /* code captured, id not */
	CU_ASSERT_STRING_EQUAL(line, "LCP, [|LCP]");
}

/* A buffer too small for the line: cut, NUL-terminated, length measured. */
static void test_small_buffer(void)
{
	uint8_t ppp[FRAME_MAX];
	char line[8];
	struct trace_buf b = { .s = line, .cap = sizeof line };
	size_t n = unhex(cases[0].hex, ppp, sizeof ppp);

	print_ppp(&b, ppp, n, n);
	CU_ASSERT_EQUAL(b.n, strlen(cases[0].expect));
	CU_ASSERT_STRING_EQUAL(line, "LCP, Co");
}

/* The frame inside its PPPoE session header, through the whole decoder:
 * once print_pppoe is hooked into the Ethernet printer the line is
 * tcpdump's in full. */
static void test_through_ethernet(void)
{
	uint8_t ppp[FRAME_MAX], frame[FRAME_MAX + 20];
	char line[512];
	size_t n = unhex(cases[0].hex, ppp, sizeof ppp);
	size_t fl = pppoe_wrap(frame, ppp, n);

	trace_format(line, sizeof line, TRACE_DLT_EN10MB, frame, fl, false);
	CU_ASSERT_STRING_EQUAL(line, "PPPoE  [ses 0x1] LCP, Conf-Request (0x01), id 1, length 24");
}

int suite_pppprint(void);

int suite_pppprint(void)
{
	CU_pSuite s = CU_add_suite("pppprint", NULL, NULL);

	if (!s || !CU_add_test(s, "tcpdump_lines", test_tcpdump_lines) ||
	    !CU_add_test(s, "cut_everywhere", test_cut_everywhere) ||
	    !CU_add_test(s, "small_buffer", test_small_buffer) ||
	    !CU_add_test(s, "through_ethernet", test_through_ethernet))
		return -1;
	return 0;
}
#endif
