/*
 * pktbuild — build IPv4/IPv6 test packets with libnet (LIBNET_NONE mode),
 * independently of the translator under test.
 *
 * Checksums: libnet fills TCP/UDP/ICMP/ICMPv6 checksums itself; every
 * checksum it writes is then re-checked with this file's own RFC 1071
 * routine (never translator/checksum.c) and corrected where libnet 1.1.6
 * gets it wrong (pb_libnet_csum_fixups counts those). Packets can also be
 * built with a deliberately wrong checksum or a zero UDP checksum.
 */
#ifndef PKTBUILD_H
#define PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#define PB_MAX 9000 /* bytes; large enough for the PMTU tests */

enum pb_csum {
	PB_CSUM_OK = 0, /* correct checksum                                   */
	PB_CSUM_ZERO,   /* checksum field 0 (IPv4 UDP "no checksum")           */
	PB_CSUM_BAD,    /* correct value plus PB_BAD_DELTA: wrong on purpose   */
};
#define PB_BAD_DELTA 0x1234

/* The upper layer. proto 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6; any other
 * value carries `payload` as raw bytes with no header of its own. */
struct pb_l4 {
	uint8_t proto;
	uint16_t sport, dport;       /* TCP, UDP */
	uint32_t seq, ack;           /* TCP */
	uint8_t flags;               /* TCP flags byte */
	uint16_t win;                /* TCP */
	uint8_t type, code;          /* ICMP, ICMPv6 */
	uint32_t word;               /* ICMP bytes 4-7: id<<16|seq, pointer<<24, MTU */
	const uint8_t *payload;
	size_t payload_len;
	enum pb_csum csum;
};

/* IPv6 extension headers, in the order they appear on the wire. */
enum pb_ext_type { PB_EXT_HBH = 0, PB_EXT_ROUTING = 43, PB_EXT_FRAG = 44, PB_EXT_DSTOPT = 60 };

struct pb_ext {
	enum pb_ext_type type;
	uint8_t segleft;             /* ROUTING (type 0, one address) */
	uint16_t frag_off;           /* FRAG: offset in bytes, multiple of 8 */
	int more;                    /* FRAG: M flag */
	uint32_t frag_id;            /* FRAG */
};
#define PB_MAX_EXT 4

struct pb_ip6 {
	const char *src, *dst;       /* textual addresses */
	uint8_t hlim, tclass;
	uint32_t flow;
	int next;
	struct pb_ext ext[PB_MAX_EXT];
};

struct pb_ip4 {
	const char *src, *dst;
	uint8_t ttl, tos;
	uint16_t id;
	int df, mf;
	uint16_t frag_off;           /* bytes, multiple of 8 */
	const uint8_t *opts;         /* IPv4 options, padded to 4 bytes by libnet */
	size_t optlen;
};

/*
 * Build IP header(s) + upper layer into out. Returns the packet length, or
 * 0 on failure (message on stderr). With a FRAG extension header or MF /
 * frag_off in IPv4, the upper layer is NOT built: `l4->payload` is taken
 * as the fragment's raw bytes and l4->proto as the next header/protocol.
 */
size_t pb_ip6(uint8_t *out, size_t cap, const struct pb_ip6 *ip, const struct pb_l4 *l4);
size_t pb_ip4(uint8_t *out, size_t cap, const struct pb_ip4 *ip, const struct pb_l4 *l4);

/* Offset of the upper-layer header in a built packet (after IPv4 options
 * or IPv6 extension headers), its protocol in *proto; 0 when not found. */
size_t pb_l4_offset(const uint8_t *pkt, size_t len, uint8_t *proto);

/* RFC 1071 one's complement sum of data, added to `sum` (not folded). */
uint32_t pb_sum(const uint8_t *data, size_t len, uint32_t sum);
uint16_t pb_fold(uint32_t sum);

/*
 * One's complement sum of pseudo-header (TCP/UDP/ICMPv6) + upper layer of
 * an unfragmented packet, folded: 0xffff when the checksum is right. The
 * difference from 0xffff is how wrong it is, which RFC 7915's incremental
 * update must preserve. Returns -1 when the packet cannot be walked.
 */
int pb_l4_residual(const uint8_t *pkt, size_t len);
/* 1 when the upper-layer checksum is valid (an IPv4 UDP zero is not). */
int pb_l4_csum_ok(const uint8_t *pkt, size_t len);
/* 1 when the IPv4 header checksum is valid. */
int pb_ip4_hdr_ok(const uint8_t *pkt, size_t len);
/* Rewrite the upper-layer checksum of an unfragmented packet: correct,
 * zero or wrong by PB_BAD_DELTA. Returns 0, or -1. */
int pb_set_l4_csum(uint8_t *pkt, size_t len, enum pb_csum mode);
/* Recompute the IPv4 header checksum after editing header bytes. */
void pb_fix_ip4_hdr(uint8_t *pkt);

/* Textual address to bytes (aborts the test program on a typo). */
void pb_addr6(const char *text, uint8_t out[16]);
void pb_addr4(const char *text, uint8_t out[4]);

extern unsigned pb_libnet_csum_fixups;

#endif /* PKTBUILD_H */
