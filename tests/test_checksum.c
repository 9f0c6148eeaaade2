/*
 * suite_checksum: translator/checksum.c against RFC 1071's worked example,
 * a known IPv4 header, a deliberately naive reference sum written here
 * (big-endian 16-bit words, carry folded at every step), hand-built
 * pseudo-headers (RFC 768, RFC 8200 8.1), and the RFC 1624 update against
 * full recomputation, including a wrong checksum that must stay wrong by
 * the same amount.
 */
#include "internal.h"

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

int suite_checksum(void);

/* ---- independent reference ---- */

/* RFC 1071 section 4.1 as literally as possible: 16-bit big-endian words. */
static uint16_t ref_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		sum += (uint32_t)p[len - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

/* A raw (memory-order) 16-bit value from checksum.c, as a number. */
static uint16_t as_be(uint16_t raw)
{
	uint8_t b[2];
	memcpy(b, &raw, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint16_t rd_be(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Deterministic pseudo-random bytes (xorshift32), no libc rand state. */
static uint32_t rng_state = 0x6d2b79f5u;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}
static void fill_random(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rng();
}

/* ---- tests ---- */

/* RFC 1071 1.(a)/4: bytes 00 01 f2 03 f4 f5 f6 f7 sum to dd f2. */
static void test_rfc1071_example(void)
{
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	uint16_t folded = csum_fold(csum_add(0, data, sizeof data));
	CU_ASSERT_EQUAL(as_be(folded), 0xddf2);
	CU_ASSERT_EQUAL(as_be(csum_finish(csum_add(0, data, sizeof data))), 0x220d);
	/* Byte-order independence (RFC 1071 2.(B)): swapped input, swapped sum. */
	static const uint8_t swapped[] = { 0x01, 0x00, 0x03, 0xf2, 0xf5, 0xf4, 0xf7, 0xf6 };
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, swapped, sizeof swapped))), 0xf2dd);
}

/* The odd byte is the high half of a zero-padded word. */
static void test_odd_length(void)
{
	static const uint8_t one[] = { 0xab };
	static const uint8_t three[] = { 0x12, 0x34, 0x56 };

	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, one, 1))), 0xab00);
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, three, 3))), 0x1234 + 0x5600);
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, three, 0))), 0);
}

/* A captured IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum is b861. */
static void test_ip4_header(void)
{
	uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	                  0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, h, 20))), 0xffff); /* verifies */
	h[10] = h[11] = 0;
	uint16_t c = csum_finish(csum_add(0, h, 20));
	CU_ASSERT_EQUAL(as_be(c), 0xb861);
}

/* Random contents and lengths (odd ones, and ones crossing 4-byte steps) vs the reference. */
static void test_against_reference(void)
{
	static uint8_t buf[3001];

	for (int iter = 0; iter < 400; iter++) {
		size_t len = rng() % sizeof buf;
		fill_random(buf, len);
		CU_ASSERT_EQUAL_FATAL(as_be(csum_fold(csum_add(0, buf, len))), ref_sum(buf, len));
	}
}

/* Summing in even-sized pieces equals summing the whole. */
static void test_accumulate_in_pieces(void)
{
	uint8_t buf[200];
	fill_random(buf, sizeof buf);

	uint32_t whole = csum_add(0, buf, sizeof buf);
	uint32_t parts = csum_add(csum_add(csum_add(0, buf, 2), buf + 2, 38), buf + 40, 160);
	CU_ASSERT_EQUAL(csum_fold(whole), csum_fold(parts));
	CU_ASSERT_EQUAL(as_be(csum_fold(parts)), ref_sum(buf, sizeof buf));
}

/* 64 KiB of 0xff: carries must not be lost in the accumulator. */
static void test_no_lost_carries(void)
{
	static uint8_t buf[65536];
	memset(buf, 0xff, sizeof buf);
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, buf, sizeof buf))), 0xffff);
	memset(buf, 0x80, sizeof buf);
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_add(0, buf, sizeof buf))), ref_sum(buf, sizeof buf));
	/* Starting from a non-zero accumulator. */
	uint32_t start = csum_add(0, buf, 1000);
	CU_ASSERT_EQUAL(csum_fold(csum_add(start, buf, 1000)), csum_fold(csum_add(0, buf, 2000)));
}

/* RFC 768 / RFC 793 IPv4 pseudo-header, laid out by hand. */
static void test_pseudo4(void)
{
	const uint8_t src[4] = { 202, 83, 176, 248 }, dst[4] = { 10, 0, 0, 1 };
	uint8_t ph[12];
	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = 17;
	ph[10] = 0x05;
	ph[11] = 0xdc; /* 1500 */
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_pseudo4(src, dst, 1500, 17))), ref_sum(ph, sizeof ph));
}

/* RFC 8200 8.1 IPv6 pseudo-header: 32-bit length, 3 zero bytes, next header. */
static void test_pseudo6(void)
{
	const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xf0, 0, 9, [14] = 0xca, [15] = 0x53 };
	const uint8_t dst[16] = { 0x20, 0x01, 0x44, 0xb8, 0x7b, 0xf1, 0x0a, 0x51, [15] = 1 };
	uint8_t ph[40];
	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = 0x00;
	ph[33] = 0x01; /* 70000: exercises the high half of the length */
	ph[34] = 0x11;
	ph[35] = 0x70;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = 58;
	CU_ASSERT_EQUAL(as_be(csum_fold(csum_pseudo6(src, dst, 70000, 58))), ref_sum(ph, sizeof ph));
}

/*
 * A UDP-like segment with its checksum at offset 6 over a pseudo-header;
 * change the addresses and a port, update incrementally, compare with a
 * full recomputation. Returns the verification residual after the update.
 */
struct seg {
	uint8_t src[4], dst[4];
	uint8_t l4[64];
};

static uint16_t seg_residual(const struct seg *s)
{
	uint32_t sum = csum_pseudo4(s->src, s->dst, sizeof s->l4, 17);
	return as_be(csum_fold(csum_add(sum, s->l4, sizeof s->l4)));
}

static void seg_set_correct(struct seg *s)
{
	s->l4[6] = s->l4[7] = 0;
	uint16_t c = csum_finish(csum_add(csum_pseudo4(s->src, s->dst, sizeof s->l4, 17), s->l4,
	                                  sizeof s->l4));
	memcpy(s->l4 + 6, &c, 2);
}

/* Rewrite addresses and the source port, updating the checksum per RFC 1624. */
static void seg_rewrite(struct seg *s, const uint8_t nsrc[4], const uint8_t ndst[4], uint16_t port)
{
	uint32_t old_sum = csum_add(csum_add(csum_add(0, s->src, 4), s->dst, 4), s->l4, 2);
	memcpy(s->src, nsrc, 4);
	memcpy(s->dst, ndst, 4);
	s->l4[0] = (uint8_t)(port >> 8);
	s->l4[1] = (uint8_t)port;
	uint32_t new_sum = csum_add(csum_add(csum_add(0, s->src, 4), s->dst, 4), s->l4, 2);
	uint16_t c;
	memcpy(&c, s->l4 + 6, 2);
	c = csum_update(c, old_sum, new_sum);
	memcpy(s->l4 + 6, &c, 2);
}

static void test_update_matches_recompute(void)
{
	for (int iter = 0; iter < 2000; iter++) {
		struct seg s;
		fill_random((uint8_t *)&s, sizeof s);
		seg_set_correct(&s);
		CU_ASSERT_EQUAL_FATAL(seg_residual(&s), 0xffff);

		uint8_t nsrc[4], ndst[4];
		fill_random(nsrc, 4);
		fill_random(ndst, 4);
		seg_rewrite(&s, nsrc, ndst, (uint16_t)rng());
		uint16_t updated = rd_be(s.l4 + 6);
		CU_ASSERT_EQUAL_FATAL(seg_residual(&s), 0xffff);

		seg_set_correct(&s);
		uint16_t full = rd_be(s.l4 + 6);
		/* Equal, or the two ones'-complement zeros (0x0000 / 0xffff). */
		CU_ASSERT_FATAL(updated == full || (updated ^ full) == 0xffff);
	}
}

/* An IPv4 address changed for an IPv6 one: the sums have different lengths. */
static void test_update_across_families(void)
{
	uint8_t l4[40];
	const uint8_t s4[4] = { 192, 0, 2, 1 }, d4[4] = { 202, 83, 176, 248 };
	uint8_t s6[16], d6[16];
	fill_random(l4, sizeof l4);
	fill_random(s6, 16);
	fill_random(d6, 16);

	l4[16] = l4[17] = 0;
	uint16_t c = csum_finish(csum_add(csum_pseudo4(s4, d4, sizeof l4, 6), l4, sizeof l4));
	memcpy(l4 + 16, &c, 2);
	uint32_t old_sum = csum_add(csum_add(0, s4, 4), d4, 4);
	uint32_t new_sum = csum_add(csum_add(0, s6, 16), d6, 16);
	c = csum_update(c, old_sum, new_sum);
	memcpy(l4 + 16, &c, 2);
	uint32_t check = csum_add(csum_pseudo6(s6, d6, sizeof l4, 6), l4, sizeof l4);
	CU_ASSERT_EQUAL(as_be(csum_fold(check)), 0xffff);
}

/* RFC 7915 asks that a wrong checksum stays wrong: the residual is unchanged. */
static void test_bad_checksum_stays_bad(void)
{
	for (int iter = 0; iter < 500; iter++) {
		struct seg s;
		fill_random((uint8_t *)&s, sizeof s);
		seg_set_correct(&s);
		uint16_t delta = (uint16_t)(1 + rng() % 0xfffe);
		uint16_t c = rd_be(s.l4 + 6);
		uint32_t bad = (uint32_t)c + delta;
		bad = (bad & 0xffff) + (bad >> 16);
		s.l4[6] = (uint8_t)(bad >> 8);
		s.l4[7] = (uint8_t)bad;
		uint16_t before = seg_residual(&s);
		CU_ASSERT_NOT_EQUAL_FATAL(before, 0xffff);

		uint8_t nsrc[4], ndst[4];
		fill_random(nsrc, 4);
		fill_random(ndst, 4);
		seg_rewrite(&s, nsrc, ndst, (uint16_t)rng());
		CU_ASSERT_EQUAL_FATAL(seg_residual(&s), before);
	}
}

/* Removing nothing and adding nothing leaves the field alone. */
static void test_update_identity(void)
{
	const uint8_t w[4] = { 0x12, 0x34, 0xab, 0xcd };
	uint32_t sum = csum_add(0, w, 4);
	uint16_t field;
	const uint8_t fb[2] = { 0x5a, 0xa5 };
	memcpy(&field, fb, 2);
	CU_ASSERT_EQUAL(csum_update(field, sum, sum), field);
	CU_ASSERT_EQUAL(csum_update(field, 0, 0), field);
}

int suite_checksum(void)
{
	CU_pSuite s = CU_add_suite("checksum", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "rfc1071_example", test_rfc1071_example) ||
	    !CU_add_test(s, "odd_length", test_odd_length) ||
	    !CU_add_test(s, "ip4_header", test_ip4_header) ||
	    !CU_add_test(s, "against_reference", test_against_reference) ||
	    !CU_add_test(s, "accumulate_in_pieces", test_accumulate_in_pieces) ||
	    !CU_add_test(s, "no_lost_carries", test_no_lost_carries) ||
	    !CU_add_test(s, "pseudo4", test_pseudo4) ||
	    !CU_add_test(s, "pseudo6", test_pseudo6) ||
	    !CU_add_test(s, "update_matches_recompute", test_update_matches_recompute) ||
	    !CU_add_test(s, "update_across_families", test_update_across_families) ||
	    !CU_add_test(s, "bad_checksum_stays_bad", test_bad_checksum_stays_bad) ||
	    !CU_add_test(s, "update_identity", test_update_identity))
		return -1;
	return 0;
}
