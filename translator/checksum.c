/* Internet checksums: RFC 1071 sums and RFC 1624 incremental updates. */
#include "internal.h"

uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;

	/* Four bytes at a time into a 64-bit accumulator: no carries lost. */
	while (len >= 4) {
		uint32_t w;
		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;
		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		/* The odd byte is the high-order byte of a word padded with zero. */
		uint8_t last[2] = { p[0], 0 };
		uint16_t h;
		memcpy(&h, last, 2);
		acc += h;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). Sums are raw (memory-order)
 * ones'-complement accumulators, as csum_add returns them; the arithmetic
 * is byte-order independent, so no conversion is needed.
 */
uint16_t csum_update(uint16_t field_raw, uint32_t old_sum, uint32_t new_sum)
{
	uint32_t acc = (uint16_t)~field_raw;
	acc += (uint16_t)~csum_fold(old_sum);
	acc += csum_fold(new_sum);
	return (uint16_t)~csum_fold(acc);
}

uint32_t csum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint32_t ulen, uint8_t proto)
{
	uint8_t tail[8] = {
		(uint8_t)(ulen >> 24), (uint8_t)(ulen >> 16), (uint8_t)(ulen >> 8), (uint8_t)ulen,
		0, 0, 0, proto,
	};
	uint32_t sum = csum_add(0, src, 16);
	sum = csum_add(sum, dst, 16);
	return csum_add(sum, tail, sizeof tail);
}

uint32_t csum_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint16_t ulen, uint8_t proto)
{
	uint8_t tail[4] = { 0, proto, (uint8_t)(ulen >> 8), (uint8_t)ulen };
	uint32_t sum = csum_add(0, src, 4);
	sum = csum_add(sum, dst, 4);
	return csum_add(sum, tail, sizeof tail);
}
