/*
 * The scenario's PRNG: xoshiro256** (Blackman & Vigna), its 256-bit state
 * filled from the 64-bit seed by splitmix64 as the authors recommend, so
 * that neighbouring seeds give unrelated streams. Every random choice of a
 * run (loss, ISNs, transaction ids, jitter) comes from here.
 */
#include "sim.h"

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void prng_seed(struct sim_prng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t prng_next(struct sim_prng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/*
 * Lemire's multiply-and-reject: the high 32 bits of x*n are uniform in
 * [0, n) once the few low products that would favour small values are
 * rejected, so there is no modulo bias even for n close to 2^32.
 */
uint32_t prng_below(struct sim_prng *r, uint32_t n)
{
	if (n == 0)
		return 0; /* caller error: no valid answer, but no division by zero */
	uint64_t m = (prng_next(r) >> 32) * (uint64_t)n;
	uint32_t low = (uint32_t)m;
	if (low < n) {
		uint32_t threshold = (uint32_t)(-n) % n; /* 2^32 mod n */
		while (low < threshold) {
			m = (prng_next(r) >> 32) * (uint64_t)n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* The top 53 bits make every double in [0, 1) with step 2^-53 equally likely. */
double prng_unit(struct sim_prng *r)
{
	return (double)(prng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
