/*
 * `v6lab addr` (sim/labs/addr*.c), the calculations of lab 1: every
 * expected text below is worked out by hand from the RFCs and the seed,
 * the arithmetic in the comments; the code under test is only run.
 */
#include "labs/addr.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 16

int suite_addrcalc(void);

struct outcome {
	int rc;
	char *out;
	char *err;
};

/* Run `v6lab addr LINE` (LINE split on spaces), capturing both streams. */
static struct outcome run(const char *line)
{
	struct outcome o = { 0 };
	char buf[512], *argv[MAX_ARGS + 1] = { "addr" };
	int argc = 1;
	size_t on = 0, en = 0;

	snprintf(buf, sizeof buf, "%s", line);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && argc < MAX_ARGS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	FILE *out = open_memstream(&o.out, &on), *err = open_memstream(&o.err, &en);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	o.rc = v6lab_addr_run(argc, argv, out, err);
	fclose(out);
	fclose(err);
	return o;
}

static void done(struct outcome *o)
{
	free(o->out);
	free(o->err);
}

/* Exit 0, exactly `want` on stdout, nothing on stderr. */
static void expect_out(const char *line, const char *want)
{
	struct outcome o = run(line);
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(o.out, want);
	CU_ASSERT_STRING_EQUAL(o.err, "");
	if (strcmp(o.out, want) != 0)
		fprintf(stderr, "\n$ v6lab addr %s\n--- got\n%s--- want\n%s", line, o.out, want);
	done(&o);
}

/* Exit 2, nothing on stdout, exactly `want` on stderr. */
static void expect_err(const char *line, const char *want)
{
	struct outcome o = run(line);
	CU_ASSERT_EQUAL(o.rc, 2);
	CU_ASSERT_STRING_EQUAL(o.out, "");
	CU_ASSERT_STRING_EQUAL(o.err, want);
	if (strcmp(o.err, want) != 0)
		fprintf(stderr, "\n$ v6lab addr %s\n--- got\n%s--- want\n%s", line, o.err, want);
	done(&o);
}

/* One line of the output (n from 0), copied into buf; "" when absent. */
static const char *line_of(const char *text, int n, char *buf, size_t cap)
{
	for (; n > 0 && text; n--) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	size_t l = text ? strcspn(text, "\n") : 0;
	snprintf(buf, cap, "%.*s", (int)(l < cap ? l : cap - 1), text ? text : "");
	return buf;
}

/* ---- eui64 ------------------------------------------------------------ */

/*
 * The seed's k7:sk0, 00:0f:ea:2c:d5:18 (RFC 4291 appendix A):
 *   split after the OUI, ff:fe between: 00:0f:ea | ff:fe | 2c:d5:18
 *   first octet 0x00 = 0000 0000, u/l is 0x02 -> 0000 0010 = 0x02
 *   identifier 02 0f ea ff fe 2c d5 18 -> 020f:eaff:fe2c:d518
 *   fe80::/64 + it -> fe80:0:0:0:020f:eaff:fe2c:d518, RFC 5952: leading
 *   zeros dropped, the zero run as "::" -> fe80::20f:eaff:fe2c:d518
 *   under the seed's sk0 prefix 2001:44b8:7bf1:a51::/64 ->
 *   2001:44b8:7bf1:a51:20f:eaff:fe2c:d518 (the seed's ifconfig sk0)
 */
static void test_eui64_seed(void)
{
	expect_out("eui64 00:0f:ea:2c:d5:18 2001:44b8:7bf1:a51::/64",
	           "MAC address           00:0f:ea:2c:d5:18\n"
	           "ff:fe inserted        00:0f:ea:ff:fe:2c:d5:18  (between the OUI 00:0f:ea and the "
	           "rest 2c:d5:18: 48 bits become 64)\n"
	           "u/l bit flipped       02:0f:ea:ff:fe:2c:d5:18  (first octet 0x00 xor 0x02 = 0x02: "
	           "the u/l bit was 0, a universal (globally unique) MAC, so the modified EUI-64 "
	           "writes 1)\n"
	           "interface identifier  020f:eaff:fe2c:d518\n"
	           "link-local address    fe80::20f:eaff:fe2c:d518\n"
	           "SLAAC address         2001:44b8:7bf1:a51:20f:eaff:fe2c:d518  "
	           "(2001:44b8:7bf1:a51::/64 + the identifier)\n");
}

/*
 * A locally administered MAC, 02:00:00:00:00:01: 0x02 xor 0x02 = 0x00, so
 * the identifier is 00 00 00 ff fe 00 00 01 = 0000:00ff:fe00:0001 and the
 * link-local address fe80::ff:fe00:1. Uppercase and '-' read the same.
 */
static void test_eui64_local(void)
{
	char b[256];
	struct outcome o = run("eui64 02-00-00-00-00-01");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 2, b, sizeof b),
	                       "u/l bit flipped       00:00:00:ff:fe:00:00:01  (first octet 0x02 xor "
	                       "0x02 = 0x00: the u/l bit was 1, a locally administered MAC, so the "
	                       "modified EUI-64 writes 0)");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 3, b, sizeof b), "interface identifier  0000:00ff:fe00:0001");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 4, b, sizeof b), "link-local address    fe80::ff:fe00:1");
	done(&o);
	o = run("eui64 00-0F-EA-2C-D5-18");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 4, b, sizeof b), "link-local address    fe80::20f:eaff:fe2c:d518");
	done(&o);
	/* single-digit octets, as some systems print them: 0:f:ea:2c:d5:18 */
	o = run("eui64 0:f:ea:2c:d5:18");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 3, b, sizeof b), "interface identifier  020f:eaff:fe2c:d518");
	done(&o);
}

/* 01:00:5e:00:00:01 has the group bit 0x01 set: computed, and said. */
static void test_eui64_group_note(void)
{
	char b[256];
	struct outcome o = run("eui64 01:00:5e:00:00:01");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 3, b, sizeof b),
	                       "note: bit 0x01 of the first octet is set: a group (multicast) MAC, "
	                       "which no interface has as its own address");
	/* 0x01 xor 0x02 = 0x03: 03 00 5e ff fe 00 00 01 */
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 4, b, sizeof b), "interface identifier  0300:5eff:fe00:0001");
	done(&o);
}

static void test_eui64_errors(void)
{
	expect_err("eui64 00:0f:ea:2c:d5",
	           "v6lab addr eui64: '00:0f:ea:2c:d5' is not a MAC address: 5 octets, expected 6\n");
	expect_err("eui64 00:0f:ea:2c:d5:18:00",
	           "v6lab addr eui64: '00:0f:ea:2c:d5:18:00' is not a MAC address: more than 6 "
	           "octets\n");
	expect_err("eui64 00:0f:zz:2c:d5:18",
	           "v6lab addr eui64: '00:0f:zz:2c:d5:18' is not a MAC address: octet 3 is 'zz', "
	           "expected 1 or 2 hex digits (write it like 00:0f:ea:2c:d5:18)\n");
	expect_err("eui64 00:0f:ea:2c:d5:180",
	           "v6lab addr eui64: '00:0f:ea:2c:d5:180' is not a MAC address: octet 6 is '180', "
	           "expected 1 or 2 hex digits (write it like 00:0f:ea:2c:d5:18)\n");
	expect_err("eui64 00::0f:ea:2c:d5",
	           "v6lab addr eui64: '00::0f:ea:2c:d5' is not a MAC address: octet 2 is '', "
	           "expected 1 or 2 hex digits (write it like 00:0f:ea:2c:d5:18)\n");
	expect_err("eui64 00:0f-ea:2c:d5:18",
	           "v6lab addr eui64: '00:0f-ea:2c:d5:18' is not a MAC address: '-' after octet 2, "
	           "expected ':'\n");
	expect_err("eui64 00:0f:ea:2c:d5:18x",
	           "v6lab addr eui64: '00:0f:ea:2c:d5:18x' is not a MAC address: 'x' after octet 6\n");
	expect_err("eui64", "v6lab addr eui64: expected MAC [PREFIX/64], e.g. eui64 "
	                    "00:0f:ea:2c:d5:18\n");
	/* the seed's delegated /60 is not where SLAAC forms addresses */
	expect_err("eui64 00:0f:ea:2c:d5:18 2001:44b8:7bf1:a50::/60",
	           "v6lab addr eui64: '2001:44b8:7bf1:a50::/60': a 64-bit interface identifier "
	           "needs a /64 prefix, not /60 (RFC 4291 section 2.5.1)\n");
}

/* ---- subnets ---------------------------------------------------------- */

/*
 * The seed's 2001:DF0:9::/48 (2008-04-12, "65536 subnets"): 64 - 48 = 16
 * bits, 2^16 = 65,536 /64s, the 16 bits being the fourth group: :0: to
 * :ffff:, subnet n = 2001:df0:9:HEX(n)::/64 (65,535 = 0xffff).
 * Each /64: 2^64 = 18,446,744,073,709,551,616 (2^32 = 4,294,967,296,
 * squared). The /48: 2^80 = 2^64 * 2^16 = 18,446,744,073,709,551,616 *
 * 65,536 = 1,208,925,819,614,629,174,706,176 -- about 1.2 * 10^24, the
 * seed's "something like 1.2 * 1024".
 */
static void test_subnets_seed(void)
{
	expect_out("subnets 2001:df0:9::/48 64",
	           "2001:df0:9::/48 into /64: 64 - 48 = 16 subnet bits, 2^16 = 65,536 subnets\n"
	           "each /64 holds 2^64 = 18,446,744,073,709,551,616 addresses; the /48 holds 2^80 = "
	           "1,208,925,819,614,629,174,706,176\n"
	           "  subnet 0       2001:df0:9::/64\n"
	           "  subnet 1       2001:df0:9:1::/64\n"
	           "  subnet 2       2001:df0:9:2::/64\n"
	           "  ...\n"
	           "  subnet 65,533  2001:df0:9:fffd::/64\n"
	           "  subnet 65,534  2001:df0:9:fffe::/64\n"
	           "  subnet 65,535  2001:df0:9:ffff::/64\n");
	/* "/64" is read like "64" */
	struct outcome o = run("subnets 2001:df0:9::/48 /64");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "2^16 = 65,536 subnets"));
	done(&o);
}

/*
 * The seed's dhcp6c.conf: the /60 2001:44b8:7bf1:a50::/60 delegated,
 * sla-id 1, sla-len 4 on sk0. 60 + 4 = 64; the 4 bits 60..63 are the low
 * nibble of the fourth group (bits 48..63): 0xa50 | 0001 = 0xa51 ->
 * 2001:44b8:7bf1:a51::/64, the prefix of the seed's sk0 address.
 * 2^4 = 16 subnets; the /60 holds 2^68 = 2^64 * 16 =
 * 295,147,905,179,352,825,856 addresses.
 */
static void test_subnets_sla_seed(void)
{
	expect_out("subnets 2001:44b8:7bf1:a50::/60 64 --sla-id 1 --sla-len 4",
	           "2001:44b8:7bf1:a50::/60 into /64: 64 - 60 = 4 subnet bits, 2^4 = 16 subnets\n"
	           "each /64 holds 2^64 = 18,446,744,073,709,551,616 addresses; the /60 holds 2^68 = "
	           "295,147,905,179,352,825,856\n"
	           "dhcp6c sla-id 1, sla-len 4: 2001:44b8:7bf1:a51::/64  (sla-id 1 = 0001 in binary, "
	           "written into bits 60 to 63)\n");
	/* sla-id 15 = 1111: a5f; sla-id 0: the /60's own first /64, a50 */
	char b[256];
	struct outcome o = run("subnets 2001:44b8:7bf1:a50::/60 64 --sla-len 4 --sla-id 15");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 2, b, sizeof b),
	                       "dhcp6c sla-id 15, sla-len 4: 2001:44b8:7bf1:a5f::/64  (sla-id 15 = "
	                       "1111 in binary, written into bits 60 to 63)");
	done(&o);
}

/*
 * A /56 with sla-len 6 makes a /62: sla-id 5 = 000101 into bits 56..61,
 * bits 62..63 zero: the last byte of the fourth group is 0001 0100 =
 * 0x14 -> a114::/62. dhcp6c adds a 64-bit identifier: 62 + 64 = 126.
 */
static void test_subnets_sla_not_64(void)
{
	char b[256];
	struct outcome o = run("subnets 2001:44b8:7bf1:a100::/56 62 --sla-id 5 --sla-len 6");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 2, b, sizeof b),
	                       "dhcp6c sla-id 5, sla-len 6: 2001:44b8:7bf1:a114::/62  (sla-id 5 = "
	                       "000101 in binary, written into bits 56 to 61)");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 3, b, sizeof b),
	                       "note: dhcp6c adds a 64-bit interface identifier, so it refuses this: "
	                       "56 + 6 + 64 = 126, not 128");
	done(&o);
}

/*
 * Few enough to list them all: a /62 holds 2^2 = 4 /64s, bits 62..63 =
 * the low two bits of the fourth group: 0, 1, 2, 3. A /32 into /35: the
 * three bits after the /32 are the top of the third group, steps of
 * 0x2000: 0, 2000, ..., e000 (8 subnets, all listed).
 */
static void test_subnets_small(void)
{
	expect_out("subnets 2001:db8::/62 64",
	           "2001:db8::/62 into /64: 64 - 62 = 2 subnet bits, 2^2 = 4 subnets\n"
	           "each /64 holds 2^64 = 18,446,744,073,709,551,616 addresses; the /62 holds 2^66 = "
	           "73,786,976,294,838,206,464\n"
	           "  subnet 0  2001:db8::/64\n"
	           "  subnet 1  2001:db8:0:1::/64\n"
	           "  subnet 2  2001:db8:0:2::/64\n"
	           "  subnet 3  2001:db8:0:3::/64\n");
	char b[256];
	struct outcome o = run("subnets 2001:db8::/32 35");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 3, b, sizeof b), "  subnet 1  2001:db8:2000::/35");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 9, b, sizeof b), "  subnet 7  2001:db8:e000::/35");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 10, b, sizeof b), "");
	done(&o);
	/* NEWLEN = LEN: 2^0 = 1, the prefix itself */
	o = run("subnets 2001:db8::/32 32");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 0, b, sizeof b),
	                       "2001:db8::/32 into /32: 32 - 32 = 0 subnet bits, 2^0 = 1 subnet");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 2, b, sizeof b), "  subnet 0  2001:db8::/32");
	done(&o);
}

/*
 * The edges: ::/0 into /64 has 2^64 subnets, the last numbered
 * 2^64 - 1 = 18,446,744,073,709,551,615 (still a 64-bit number);
 * ::/0 into /128 has 2^128 =
 * 340,282,366,920,938,463,463,374,607,431,768,211,456, the last labelled
 * by formula, every bit one: ffff:...:ffff/128.
 */
static void test_subnets_edges(void)
{
	char b[256];
	struct outcome o = run("subnets ::/0 64");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 8, b, sizeof b),
	                       "  subnet 18,446,744,073,709,551,615  ffff:ffff:ffff:ffff::/64");
	done(&o);
	o = run("subnets ::/0 128");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 0, b, sizeof b),
	                       "::/0 into /128: 128 - 0 = 128 subnet bits, 2^128 = "
	                       "340,282,366,920,938,463,463,374,607,431,768,211,456 subnets");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 7, b, sizeof b),
	                       "  subnet 2^128 - 2  ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 8, b, sizeof b),
	                       "  subnet 2^128 - 1  ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	done(&o);
}

static void test_subnets_errors(void)
{
	expect_err("subnets 2001:df0:9::/48 40",
	           "v6lab addr subnets: NEWLEN /40 is shorter than the prefix's /48: a /48 cannot "
	           "hold a bigger /40\n");
	expect_err("subnets 2001:df0:9::/48 129",
	           "v6lab addr subnets: NEWLEN '129' is not a prefix length 0 to 128\n");
	expect_err("subnets 2001:df0:9:: 64",
	           "v6lab addr subnets: '2001:df0:9::' is not an IPv6 prefix: no '/LEN' (write it "
	           "like 2001:df0:9::/48)\n");
	expect_err("subnets 2001:dg0:9::/48 64",
	           "v6lab addr subnets: '2001:dg0:9::/48' is not an IPv6 prefix: '2001:dg0:9::' is "
	           "not an IPv6 address\n");
	expect_err("subnets 2001:df0:9::/129 64",
	           "v6lab addr subnets: '2001:df0:9::/129' is not an IPv6 prefix: length '129' is "
	           "not 0 to 128\n");
	expect_err("subnets /48 64",
	           "v6lab addr subnets: '/48' is not an IPv6 prefix: the address before '/' is "
	           "missing\n");
	/* ::1 is bit 127; 2001:df0:9:1::/48 has bit 63 (the last of the fourth group) */
	expect_err("subnets 2001:df0:9::1/48 64",
	           "v6lab addr subnets: '2001:df0:9::1/48' is not an IPv6 prefix: bit 127 is set, "
	           "after the first 48 (the prefix is the address with every bit after /48 zero)\n");
	expect_err("subnets 2001:df0:9:1::/48 64",
	           "v6lab addr subnets: '2001:df0:9:1::/48' is not an IPv6 prefix: bit 63 is set, "
	           "after the first 48 (the prefix is the address with every bit after /48 zero)\n");
	expect_err("subnets 2001:df0:9::/48",
	           "v6lab addr subnets: expected PREFIX/LEN NEWLEN, e.g. subnets 2001:df0:9::/48 64\n");
}

static void test_subnets_sla_errors(void)
{
	/* /60 to /64 leaves 4 bits: sla-len 8 cannot be right */
	expect_err("subnets 2001:44b8:7bf1:a50::/60 64 --sla-id 1 --sla-len 8",
	           "v6lab addr subnets: --sla-len 8 does not fit /60 into /64: the SLA ID fills the "
	           "4 bits between them, so sla-len must be 64 - 60 = 4\n");
	/* 4 bits hold 0..15 (2^4 - 1) */
	expect_err("subnets 2001:44b8:7bf1:a50::/60 64 --sla-id 16 --sla-len 4",
	           "v6lab addr subnets: --sla-id 16 does not fit in sla-len 4 bits (0 to 15)\n");
	expect_err("subnets 2001:44b8:7bf1:a50::/60 64 --sla-id 1",
	           "v6lab addr subnets: --sla-id and --sla-len go together (dhcp6c.conf needs both)\n");
	expect_err("subnets 2001:44b8:7bf1:a50::/60 64 --sla-len 4 --sla-id",
	           "v6lab addr subnets: --sla-id needs a value\n");
	/* dhcp6c's sla-id is 32 bits: 2^32 = 4294967296 is one too many */
	expect_err("subnets 2001:44b8:7bf1:a50::/60 64 --sla-id 4294967296 --sla-len 4",
	           "v6lab addr subnets: --sla-id '4294967296' is not a number 0 to 4294967295 "
	           "(dhcp6c's sla-id is 32 bits)\n");
	expect_err("subnets 2001:44b8:7bf1:a50::/60 64 --sla 1",
	           "v6lab addr subnets: unknown option '--sla' (--sla-id N --sla-len L)\n");
}

/* ---- map -------------------------------------------------------------- */

/*
 * The seed (2008-05-03): 202.83.176.248 is 2001:0DF0:0009::CA53:B0F8, or
 * 2001:DF0:0009::0202:0083:0176:0248 "to prevent nasty dec-to-hex
 * conversion errors". 202 = 12*16+10 = 0xca, 83 = 5*16+3 = 0x53,
 * 176 = 11*16 = 0xb0, 248 = 15*16+8 = 0xf8. The decimal form's first
 * group :202: is, as a number, 2*256 + 0*16 + 2 = 0x0202 = 514.
 * RFC 5952 writes 2001:df0:9:0:202:83:176:248 (no "::" for one zero group).
 */
static void test_map_seed(void)
{
	expect_out("map 2001:df0:9::/96 202.83.176.248",
	           "202.83.176.248 under 2001:df0:9::/96, RFC 6052 form: 2001:df0:9::ca53:b0f8\n"
	           "  202.83.176.248 = ca 53 b0 f8 in hex, written into bits 96 to 127\n");
	expect_out("map 2001:df0:9::/96 2001:df0:9::ca53:b0f8",
	           "2001:df0:9::ca53:b0f8 under 2001:df0:9::/96, RFC 6052 form: 202.83.176.248\n"
	           "  202.83.176.248 = ca 53 b0 f8 in hex, read from bits 96 to 127\n");
	expect_out("map 2001:df0:9::/64 202.83.176.248 decimal",
	           "202.83.176.248 under 2001:df0:9::/64, decimal form: 2001:df0:9:0:202:83:176:248\n"
	           "  the last four 16-bit groups are the octets in decimal digits: :202:83:176:248 "
	           "(group :202: is 0x0202 = 514 as a number: written as text, no dec-to-hex "
	           "conversion)\n");
	/* the seed's own spelling, leading zeros and all, reads the same */
	expect_out("map 2001:df0:9::/64 2001:DF0:0009::0202:0083:0176:0248 decimal",
	           "2001:DF0:0009::0202:0083:0176:0248 under 2001:df0:9::/64, decimal form: "
	           "202.83.176.248\n"
	           "  the last four 16-bit groups are the octets in decimal digits: :202:83:176:248 "
	           "(group :202: is 0x0202 = 514 as a number: read as text, no dec-to-hex "
	           "conversion)\n");
}

/*
 * RFC 6052 under the /48 itself (section 2.2): bits 48..63 take ca53,
 * bits 64..71 (u) are 0, bits 72..87 take b0f8, the rest 0:
 * 2001:0df0:0009:ca53 | 00 b0 | f8 00 | 0000 | 0000 ->
 * 2001:df0:9:ca53:b0:f800::. Under a /32 the 32 bits fill 32..63 whole.
 */
static void test_map_rfc6052_lengths(void)
{
	expect_out("map 2001:df0:9::/48 202.83.176.248",
	           "202.83.176.248 under 2001:df0:9::/48, RFC 6052 form: 2001:df0:9:ca53:b0:f800::\n"
	           "  202.83.176.248 = ca 53 b0 f8 in hex, written into bits 48 to 63 and 72 to 87 "
	           "(bits 64 to 71, the u octet, stay 0)\n");
	char b[256];
	struct outcome o = run("map 2001:df0::/32 202.83.176.248");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 0, b, sizeof b),
	                       "202.83.176.248 under 2001:df0::/32, RFC 6052 form: 2001:df0:ca53:b0f8::");
	done(&o);
}

static void test_map_errors(void)
{
	expect_err("map 2001:df0:9::/96 202.83.176.248 decimal",
	           "v6lab addr map: '2001:df0:9::/96': the decimal form needs a prefix of /64 or "
	           "shorter (its four groups are the last 64 bits), got /96\n");
	expect_err("map 2001:df0:9::/80 202.83.176.248",
	           "v6lab addr map: '2001:df0:9::/80': prefix length 80 is not one of 32, 40, 48, "
	           "56, 64, 96 (RFC 6052 section 2.2)\n");
	expect_err("map 2001:df0:9::/96 2001:df0:8::ca53:b0f8",
	           "v6lab addr map: 2001:df0:8::ca53:b0f8 is not inside 2001:df0:9::/96\n");
	/* ca53 is not decimal digits 0-255 */
	expect_err("map 2001:df0:9::/64 2001:df0:9::ca53:b0f8 decimal",
	           "v6lab addr map: 2001:df0:9::ca53:b0f8 does not embed an IPv4 address in the "
	           "decimal form under 2001:df0:9::/64 (the last four groups must each be 0 to 255 "
	           "in decimal digits, the bits before them zero)\n");
	expect_err("map 2001:df0:9::/96 202.83.176",
	           "v6lab addr map: '202.83.176' is neither an IPv4 nor an IPv6 address\n");
	expect_err("map 2001:df0:9::/96 202.83.176.248 hex",
	           "v6lab addr map: unknown form 'hex' (rfc6052 or decimal)\n");
	expect_err("map 2001:df0:9::/96",
	           "v6lab addr map: expected PREFIX/LEN ADDRESS [rfc6052|decimal], e.g. map "
	           "2001:df0:9::/96 202.83.176.248\n");
}

/* ---- sweep ------------------------------------------------------------ */

/*
 * The seed's "seventeen days" for a /64, computed honestly:
 *   2^64 = 18,446,744,073,709,551,616 addresses
 *   at 10^6 probes/s: 18,446,744,073,709.55 s, printed rounded
 *   / 86,400 = 213,503,982.33 days; / 365 = 584,942.42 years
 *   seventeen days = 17 * 86,400 = 1,468,800 s;
 *   2^64 / 1,468,800 = 12,559,057,784,388.3 probes/s (1.26 * 10^13)
 *   what seventeen days does sweep: 2^32 / 1,468,800 = 2,924.1 probes/s
 */
static void test_sweep_default(void)
{
	expect_out("sweep",
	           "a /64 holds 2^64 = 18,446,744,073,709,551,616 addresses\n"
	           "at 1,000,000 probes/s, one probe per address, a sweep takes 18,446,744,073,710 s\n"
	           "  = 213,503,982.3 days = 584,942.4 years (of 365 days)\n"
	           "seventeen days (17 x 86,400 = 1,468,800 s) would need 2^64 / 1,468,800 = "
	           "12,559,057,784,388 probes/s (about 1.26e13)\n"
	           "the seed's \"seventeen days\" is far too short for a /64: it is what 2^32 "
	           "addresses (every IPv4 address) take at 2,924 probes/s; a /64 has 2^32 = "
	           "4,294,967,296 times as many\n");
}

/*
 * A /96 (2^32 addresses) at 1 probe/s: 4,294,967,296 s / 86,400 =
 * 49,710.27 days, / 365 = 136.19 years. At 10^9 probes/s a /64 still
 * takes 2^64 / 10^9 = 18,446,744,073.7 s = 584.9 years.
 */
static void test_sweep_rates(void)
{
	char b[256];
	struct outcome o = run("sweep --len 96 --rate 1");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 0, b, sizeof b),
	                       "a /96 holds 2^32 = 4,294,967,296 addresses");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 2, b, sizeof b),
	                       "  = 49,710.3 days = 136.2 years (of 365 days)");
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "2^32 / 1,468,800 = 2,924 probes/s (about 2.92e3)"));
	done(&o);
	o = run("sweep --rate 1000000000");
	CU_ASSERT_STRING_EQUAL(line_of(o.out, 2, b, sizeof b),
	                       "  = 213,504.0 days = 584.9 years (of 365 days)");
	done(&o);
}

static void test_sweep_errors(void)
{
	expect_err("sweep --rate 0",
	           "v6lab addr sweep: --rate '0' is not a whole number of probes per second, 1 to "
	           "1000000000000000000\n");
	expect_err("sweep --rate 1e6",
	           "v6lab addr sweep: --rate '1e6' is not a whole number of probes per second, 1 to "
	           "1000000000000000000\n");
	expect_err("sweep --len 129", "v6lab addr sweep: --len '129' is not a prefix length 0 to 128\n");
	expect_err("sweep --rate", "v6lab addr sweep: --rate needs a value\n");
	expect_err("sweep --fast 1",
	           "v6lab addr sweep: unknown option '--fast' (--rate PPS, --len LEN)\n");
}

/* ---- the dispatcher --------------------------------------------------- */

static void test_dispatch(void)
{
	expect_err("subnet 2001:df0:9::/48 64",
	           "v6lab addr: unknown calculation 'subnet' (eui64, subnets, map or sweep)\n");
	struct outcome o = run("");
	CU_ASSERT_EQUAL(o.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "v6lab addr: missing calculation"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "usage: v6lab addr eui64 MAC"));
	done(&o);
	o = run("map --help");
	CU_ASSERT_EQUAL(o.rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "v6lab addr map PREFIX/LEN ADDRESS [rfc6052|decimal]"));
	done(&o);
}

int suite_addrcalc(void)
{
	CU_pSuite s = CU_add_suite("addrcalc", NULL, NULL);
	if (!s)
		return -1;
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "eui64_seed", test_eui64_seed },
		{ "eui64_local", test_eui64_local },
		{ "eui64_group_note", test_eui64_group_note },
		{ "eui64_errors", test_eui64_errors },
		{ "subnets_seed", test_subnets_seed },
		{ "subnets_sla_seed", test_subnets_sla_seed },
		{ "subnets_sla_not_64", test_subnets_sla_not_64 },
		{ "subnets_small", test_subnets_small },
		{ "subnets_edges", test_subnets_edges },
		{ "subnets_errors", test_subnets_errors },
		{ "subnets_sla_errors", test_subnets_sla_errors },
		{ "map_seed", test_map_seed },
		{ "map_rfc6052_lengths", test_map_rfc6052_lengths },
		{ "map_errors", test_map_errors },
		{ "sweep_default", test_sweep_default },
		{ "sweep_rates", test_sweep_rates },
		{ "sweep_errors", test_sweep_errors },
		{ "dispatch", test_dispatch },
	};
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
