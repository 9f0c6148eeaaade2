/*
 * Internal header shared by the translation paths only: core.c, xlate.c,
 * icmp.c and frag.c. Parsed views of IPv4/IPv6 packets, header writers,
 * and the contracts between those four files.
 */
#ifndef N64_XLATE_H
#define N64_XLATE_H

#include "internal.h"

#define N64_IP6_HLEN   40
#define N64_IP4_HLEN   20
#define N64_FRAG_HLEN  8
#define N64_ICMP_HLEN  8

#define N64_PROTO_ICMP   1
#define N64_PROTO_TCP    6
#define N64_PROTO_UDP    17
#define N64_PROTO_FRAG6  44
#define N64_PROTO_ICMP6  58

/* IPv4 flags/offset field bits (host order). */
#define N64_IP4_DF 0x4000
#define N64_IP4_MF 0x2000
#define N64_IP4_OFFMASK 0x1fff

/* Largest ICMP error we send or translate (RFC 4443 2.4(c), RFC 1812 4.3.2.3). */
#define N64_ICMP6_ERR_MAX 1280
#define N64_ICMP4_ERR_MAX 576

/* ---- byte access (network order, unaligned) ---- */

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline n64_v4 rdv4(const uint8_t *p) { return rd32(p); }
static inline void wrv4(uint8_t *p, n64_v4 v) { wr32(p, v); }

/*
 * Inline sums for the per-packet path's short fixed-size pieces (addresses,
 * the IPv4 header, a port): same accumulator as csum_add, without a call
 * and a generic loop. len must be a multiple of 4.
 */
static inline uint32_t csum_add_words(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		acc += w;
	}
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}
static inline uint32_t csum_add16(uint32_t sum, const uint8_t *p)
{
	uint16_t h;
	memcpy(&h, p, 2);
	uint64_t acc = (uint64_t)sum + h;
	return (uint32_t)((acc & 0xffffffffu) + (acc >> 32));
}

static inline struct nat6to4_verdict n64_verdict(enum nat6to4_result res, enum nat6to4_reason r)
{
	struct nat6to4_verdict v = { res, r };
	return v;
}
static inline struct nat6to4_verdict n64_drop(enum nat6to4_reason r)
{
	return n64_verdict(NAT6TO4_DROPPED, r);
}
static inline struct nat6to4_verdict n64_ok(void)
{
	return n64_verdict(NAT6TO4_TRANSLATED, NAT6TO4_R_OK);
}

/* ---- parsed packets (xlate.c) ---- */

struct n64_ip6 {
	const uint8_t *hdr;     /* fixed header */
	size_t len;             /* usable bytes from hdr: 40 + payload length, less if truncated */
	uint32_t plen;          /* payload length field as sent */
	uint32_t l4off;         /* offset of the upper-layer header from hdr */
	uint8_t proto;          /* upper-layer protocol after the extension headers */
	bool has_frag;          /* a fragment header is present */
	bool frag_more;         /* its M flag */
	uint16_t frag_off;      /* its offset, in bytes */
	uint32_t frag_id;
	uint32_t segleft_at;    /* offset of a nonzero Segments Left field, 0 if none */
};

struct n64_ip4 {
	const uint8_t *hdr;
	size_t len;             /* usable bytes: total length, less if truncated */
	uint16_t total;         /* total length field as sent */
	uint16_t ihl;           /* header length in bytes */
	uint16_t frag_off;      /* fragment offset in bytes */
	bool df, mf;
	bool src_route;         /* unexpired LSRR/SSRR option present */
	uint8_t proto;
};

static inline bool ip6_is_fragment(const struct n64_ip6 *ip)
{
	return ip->has_frag && (ip->frag_more || ip->frag_off != 0);
}
static inline bool ip4_is_fragment(const struct n64_ip4 *ip)
{
	return ip->mf || ip->frag_off != 0;
}

/*
 * Parse and validate. `inner` relaxes the checks for the packet quoted in
 * an ICMP error: it may be truncated (len < length field), and the IPv4
 * header checksum is not verified.
 */
enum nat6to4_reason ip6_parse(const uint8_t *pkt, size_t len, bool inner, struct n64_ip6 *ip);
enum nat6to4_reason ip4_parse(const uint8_t *pkt, size_t len, bool inner, struct n64_ip4 *ip);

/* Write a 20-byte IPv4 header (no options), checksum included. */
void ip4_write(uint8_t *o, uint8_t tos, uint16_t total, uint16_t id, uint16_t flags_off,
               uint8_t ttl, uint8_t proto, const uint8_t src[4], const uint8_t dst[4]);
/* Write a 40-byte IPv6 header, flow label 0. */
void ip6_write(uint8_t *o, uint8_t tclass, uint16_t plen, uint8_t nh, uint8_t hlim,
               const uint8_t src[16], const uint8_t dst[16]);
/* Write an 8-byte fragment header. */
void frag6_write(uint8_t *o, uint8_t nh, uint16_t off_bytes, bool more, uint32_t id);

static inline uint8_t ip6_tclass(const uint8_t *h) { return (uint8_t)(h[0] << 4 | h[1] >> 4); }

/*
 * A transport header moving from one pseudo-header to another: the old and
 * new addresses (4 or 16 bytes each) and, in NAPT, a port or echo
 * identifier to rewrite at offset port_at (-1: none).
 */
struct n64_readdr {
	const uint8_t *osrc, *odst;
	size_t oalen;
	const uint8_t *nsrc, *ndst;
	size_t nalen;
	int port_at;
	uint16_t port;
};

/*
 * TCP/UDP: update the checksum incrementally (RFC 1624, so a wrong one
 * stays wrong) and rewrite the port, as far as l4len bytes hold them.
 * Other protocols are left alone.
 */
void l4_readdress(uint8_t *l4, size_t l4len, uint8_t proto, const struct n64_readdr *r);

/* The two directions of the translator (xlate.c), called by core.c. */
struct nat6to4_verdict xlate_6to4(struct nat6to4 *nat, const uint8_t *pkt, size_t len, uint64_t now);
struct nat6to4_verdict xlate_4to6(struct nat6to4 *nat, const uint8_t *pkt, size_t len, uint64_t now);

/* ---- ICMP (icmp.c) ---- */

static inline bool icmp4_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}
static inline bool icmp6_is_error(uint8_t type) { return type < 128; }

/*
 * Send an ICMP error about the input packet back to its sender, unless the
 * rules forbid one (non-first fragment, multicast/broadcast or unspecified
 * addresses). Returns ERROR_SENT, or DROPPED, with `reason`.
 */
struct nat6to4_verdict icmp6_send_error(struct nat6to4 *nat, const struct n64_ip6 *ip,
                                        uint8_t type, uint8_t code, uint32_t param,
                                        enum nat6to4_reason reason);
struct nat6to4_verdict icmp4_send_error(struct nat6to4 *nat, const struct n64_ip4 *ip,
                                        uint8_t type, uint8_t code, uint32_t rest,
                                        enum nat6to4_reason reason);

/*
 * ICMP echo request/reply between ICMPv4 and ICMPv6 (to6 selects the
 * direction): type, identifier and the checksum, which covers a
 * pseudo-header in ICMPv6 only. `ulen` is the ICMPv6 message length.
 */
void icmp_echo_xlate(uint8_t *l4, size_t l4len, bool to6, const struct n64_readdr *r, uint32_t ulen);

/* Translate an ICMP error (outer packet and the packet inside). */
struct nat6to4_verdict icmp_error_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip);
struct nat6to4_verdict icmp_error_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip);

/* ---- fragments (frag.c) ---- */

/* What identifies the fragments of one packet, per direction. */
struct n64_frag_key {
	uint8_t dir;            /* NAT6TO4_DIR_* */
	uint8_t proto;
	uint32_t id;
	uint8_t src[16], dst[16]; /* IPv4: first 4 bytes, rest zero */
};

struct n64_frag_table *frag_table_new(void);
void frag_table_free(struct n64_frag_table *t);
/* Remember the translated addresses of a first fragment. */
void frag_remember(struct n64_frag_table *t, const struct n64_frag_key *k,
                   const uint8_t *xsrc, const uint8_t *xdst, size_t alen, uint64_t now);
/* Addresses for a later fragment; false when the first was not seen. */
bool frag_lookup(struct n64_frag_table *t, const struct n64_frag_key *k,
                 uint8_t *xsrc, uint8_t *xdst, size_t alen, uint64_t now);
/* A fresh non-zero IPv4 Identification (RFC 7915 section 5.1.1 / 6). */
uint16_t frag_next_id4(struct n64_frag_table *t);
/*
 * nat->out holds a translated IPv6 packet with a fragment header right
 * after the 40-byte header, larger than mtu: emit it as fragments of at
 * most mtu bytes each.
 */
void frag_emit6(struct nat6to4 *nat, size_t total, uint32_t mtu);

#endif /* N64_XLATE_H */
