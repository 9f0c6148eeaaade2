/*
 * RFC 1071 internet checksum for the simulator's IPv4 and IPv6 modules
 * (the translator library keeps its own, internal one).
 */
#ifndef V6LAB_CKSUM_H
#define V6LAB_CKSUM_H

#include <stddef.h>
#include <stdint.h>

/* One's complement sum of `len` bytes added to `sum`, not folded; bytes are
 * taken as big-endian 16-bit words, an odd last byte padded with zero. */
uint32_t inet_cksum_add(uint32_t sum, const uint8_t *data, size_t len);
/* Fold a sum to 16 bits and complement it: the value for the header field. */
uint16_t inet_cksum_fold(uint32_t sum);
/* Checksum of one buffer (IPv4 header, ICMPv4 message). */
uint16_t inet_cksum(const uint8_t *data, size_t len);

#endif /* V6LAB_CKSUM_H */
