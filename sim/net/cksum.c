/* RFC 1071 internet checksum, shared by the sim's IPv4 and IPv6 modules. */
#include "cksum.h"

uint32_t inet_cksum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	/* 64-bit accumulator: no carry folding needed inside the loop. */
	uint64_t acc = sum;
	size_t i = 0;
	for (; i + 1 < len; i += 2)
		acc += (uint32_t)data[i] << 8 | data[i + 1];
	if (i < len)
		acc += (uint32_t)data[i] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t inet_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t inet_cksum(const uint8_t *data, size_t len)
{
	return inet_cksum_fold(inet_cksum_add(0, data, len));
}
