/*
 * The scenario PRNG: xoshiro256** seeded by splitmix64. Expected values
 * come from the published splitmix64 outputs for seed 0 and from a
 * reference transcription of both algorithms written here, separately
 * from sim/core/prng.c (different structure, same published constants);
 * the fixed vectors were also checked with an independent Python run.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "core/sim.h"

int suite_prng(void);

/* ---- reference transcription of the published algorithms ---- */

struct ref {
	uint64_t s0, s1, s2, s3;
};

static uint64_t ref_splitmix(uint64_t *state)
{
	*state += UINT64_C(0x9E3779B97F4A7C15);
	uint64_t z = *state;
	z ^= z >> 30;
	z *= UINT64_C(0xBF58476D1CE4E5B9);
	z ^= z >> 27;
	z *= UINT64_C(0x94D049BB133111EB);
	z ^= z >> 31;
	return z;
}

static struct ref ref_seed(uint64_t seed)
{
	struct ref r;
	r.s0 = ref_splitmix(&seed);
	r.s1 = ref_splitmix(&seed);
	r.s2 = ref_splitmix(&seed);
	r.s3 = ref_splitmix(&seed);
	return r;
}

static uint64_t ref_next(struct ref *r)
{
	uint64_t x = r->s1 * 5;
	uint64_t out = ((x << 7) | (x >> 57)) * 9;
	uint64_t t = r->s1 << 17;
	r->s2 ^= r->s0;
	r->s3 ^= r->s1;
	r->s1 ^= r->s2;
	r->s0 ^= r->s3;
	r->s2 ^= t;
	r->s3 = (r->s3 << 45) | (r->s3 >> 19);
	return out;
}

/* ---- tests ---- */

static void test_splitmix_seed_state(void)
{
	/* The first four splitmix64 outputs for seed 0, as published. */
	static const uint64_t published[4] = {
		UINT64_C(0xe220a8397b1dcdaf), UINT64_C(0x6e789e6aa1b965f4),
		UINT64_C(0x06c45d188009454f), UINT64_C(0xf88bb8a8724c81ec),
	};
	struct sim_prng p;
	prng_seed(&p, 0);
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(p.s[i], published[i]);
}

static void test_fixed_sequence(void)
{
	/* Seed 20091106 (the Internode story's date). */
	static const uint64_t expect[6] = {
		UINT64_C(0x7ad158df2e15a4ad), UINT64_C(0x318cf564fe78f980),
		UINT64_C(0xa98edb83424e01b3), UINT64_C(0x802d9d0519667ff2),
		UINT64_C(0x14e4e8d77afb54a2), UINT64_C(0xc4ce77a1fd86470d),
	};
	struct sim_prng p;
	prng_seed(&p, 20091106);
	for (int i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(prng_next(&p), expect[i]);
}

static void test_matches_reference(void)
{
	static const uint64_t seeds[] = { 0, 1, 42, UINT64_MAX, UINT64_C(0x8261c4e2d138b86c) };
	for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		struct sim_prng p;
		struct ref r = ref_seed(seeds[k]);
		prng_seed(&p, seeds[k]);
		int mismatches = 0;
		for (int i = 0; i < 10000; i++)
			mismatches += prng_next(&p) != ref_next(&r);
		CU_ASSERT_EQUAL(mismatches, 0);
	}
}

static void test_seeds_differ(void)
{
	struct sim_prng a, b, c;
	prng_seed(&a, 1);
	prng_seed(&b, 2);
	prng_seed(&c, 1);
	int same_ab = 0, same_ac = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t x = prng_next(&a), y = prng_next(&b), z = prng_next(&c);
		same_ab += x == y;
		same_ac += x == z;
	}
	CU_ASSERT_EQUAL(same_ab, 0);
	CU_ASSERT_EQUAL(same_ac, 100);
}

static void test_below_range_and_uniform(void)
{
	struct sim_prng p;
	prng_seed(&p, 7);
	enum { N = 10, DRAWS = 100000 };
	unsigned count[N] = { 0 };
	int out_of_range = 0;
	for (int i = 0; i < DRAWS; i++) {
		uint32_t v = prng_below(&p, N);
		if (v >= N)
			out_of_range++;
		else
			count[v]++;
	}
	CU_ASSERT_EQUAL(out_of_range, 0);
	/* Chi-square with 9 degrees of freedom: 27.9 is the 0.1% tail. */
	double chi2 = 0, e = DRAWS / (double)N;
	for (int i = 0; i < N; i++)
		chi2 += (count[i] - e) * (count[i] - e) / e;
	CU_ASSERT(chi2 < 27.9);
	/* n = 1 has one answer; n = 0 must not divide by zero. */
	CU_ASSERT_EQUAL(prng_below(&p, 1), 0);
	CU_ASSERT_EQUAL(prng_below(&p, 0), 0);
	for (int i = 0; i < 1000; i++)
		CU_ASSERT_FATAL(prng_below(&p, UINT32_MAX) < UINT32_MAX);
}

/*
 * n = 3 * 2^30: a plain `x % n` on 32 bits hits [0, 2^30) twice as often
 * as the rest (half the draws instead of a third); a multiply-and-shift
 * without rejection (x * n >> 32) hits every multiple of 3 twice as often
 * instead. Both would show here as a half where a third is due.
 */
static void test_below_no_modulo_bias(void)
{
	struct sim_prng p;
	prng_seed(&p, 99);
	const uint32_t n = UINT32_C(3) << 30;
	int low = 0, mult3 = 0, draws = 60000;
	for (int i = 0; i < draws; i++) {
		uint32_t v = prng_below(&p, n);
		low += v < (UINT32_C(1) << 30);
		mult3 += v % 3 == 0;
	}
	double frac = low / (double)draws, frac3 = mult3 / (double)draws;
	CU_ASSERT(frac > 0.32 && frac < 0.347);
	CU_ASSERT(frac3 > 0.32 && frac3 < 0.347);
}

static void test_unit_interval(void)
{
	struct sim_prng p;
	prng_seed(&p, 3);
	double sum = 0;
	int bad = 0;
	for (int i = 0; i < 100000; i++) {
		double u = prng_unit(&p);
		bad += !(u >= 0.0 && u < 1.0);
		sum += u;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(sum / 100000 > 0.49 && sum / 100000 < 0.51);
}

int suite_prng(void)
{
	CU_pSuite s = CU_add_suite("prng", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "splitmix_seed_state", test_splitmix_seed_state) ||
	    !CU_add_test(s, "fixed_sequence", test_fixed_sequence) ||
	    !CU_add_test(s, "matches_reference", test_matches_reference) ||
	    !CU_add_test(s, "seeds_differ", test_seeds_differ) ||
	    !CU_add_test(s, "below_range_and_uniform", test_below_range_and_uniform) ||
	    !CU_add_test(s, "below_no_modulo_bias", test_below_no_modulo_bias) ||
	    !CU_add_test(s, "unit_interval", test_unit_interval))
		return -1;
	return 0;
}
