/*
 * Internal contracts between the files of libnat6to4. Nothing outside
 * translator/ includes this header; everything else uses nat6to4.h.
 *
 * Byte-order convention inside the core:
 *   - IPv6 addresses: uint8_t[16] as on the wire.
 *   - IPv4 addresses: uint32_t in HOST byte order (n64_v4 below).
 *   - ports and ICMP echo identifiers: uint16_t in HOST byte order.
 * Converting at the edges keeps the comparisons and hashing simple.
 */
#ifndef NAT6TO4_INTERNAL_H
#define NAT6TO4_INTERNAL_H

#include "nat6to4.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t n64_v4; /* IPv4 address, host byte order */

/* ------------------------------------------------------------------ */
/* Configuration (config.c)                                            */
/* ------------------------------------------------------------------ */

#define N64_MAX_PREFIXES 16
#define N64_MAX_MAPS     256
#define N64_MAX_POOLS    16
#define N64_MAX_STATICS  1024

enum n64_mode { N64_MODE_NAPT = 0, N64_MODE_STATELESS = 1 };
enum n64_filtering { N64_FILTER_ENDPOINT_INDEPENDENT = 0, N64_FILTER_ADDRESS_DEPENDENT = 1 };
enum n64_timeout { N64_TO_UDP = 0, N64_TO_TCP_EST = 1, N64_TO_TCP_TRANS = 2, N64_TO_ICMP = 3, N64_TO_COUNT };

struct n64_prefix {
	uint8_t addr[16];        /* host bits zeroed */
	uint8_t len;             /* 32,40,48,56,64,96 (rfc6052); <=64 (decimal) */
	uint8_t form;            /* enum nat6to4_addr_form */
};

/* `map V6[/LEN] V4[/LEN]`: the host bits of both sides must be equal in number. */
struct n64_map {
	uint8_t v6[16];
	uint8_t v6len;           /* 128 - v6len == 32 - v4len */
	n64_v4 v4;
	uint8_t v4len;
};

struct n64_pool {
	n64_v4 first, last;      /* inclusive address range */
	uint16_t port_lo, port_hi; /* inclusive; default 1024-65535 */
};

struct n64_static {
	uint8_t proto;           /* 6, 17 or 1 */
	uint8_t v6[16];
	uint16_t v6port;         /* echo identifier for icmp */
	n64_v4 v4;
	uint16_t v4port;
};

struct nat6to4_config {
	enum n64_mode mode;
	enum n64_filtering filtering;
	struct n64_prefix prefix[N64_MAX_PREFIXES];
	int nprefix;
	struct n64_map map[N64_MAX_MAPS];
	int nmap;
	struct n64_pool pool[N64_MAX_POOLS];
	int npool;
	struct n64_static statics[N64_MAX_STATICS];
	int nstatic;
	uint32_t mtu6;                    /* default 1280 */
	uint32_t timeout_s[N64_TO_COUNT]; /* defaults 300, 7440, 240, 60 */
	uint32_t max_sessions;            /* default 65536 */
	bool allow_private;               /* default false */
};

/* Semantic checks shared by parse and nat6to4_new (pool present in NAPT
 * mode, statics inside a pool, ...). Returns 0 or -1 with err. */
int config_validate(const struct nat6to4_config *cfg, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Checksums (checksum.c) — RFC 1071 sums, RFC 1624 updates            */
/* ------------------------------------------------------------------ */

/* Add `len` bytes at `data` to a 32-bit ones'-complement accumulator. */
uint32_t csum_add(uint32_t sum, const void *data, size_t len);
/* Fold an accumulator to 16 bits (NOT complemented). */
uint16_t csum_fold(uint32_t sum);
/* Final checksum field value for data whose accumulator is `sum`. */
static inline uint16_t csum_finish(uint32_t sum) { return (uint16_t)~csum_fold(sum); }
/*
 * RFC 1624 eqn. 3 update of a checksum field (network byte order value as
 * read from the packet with memcpy, i.e. raw): remove the contribution
 * `old_sum`, add `new_sum`. A checksum that was wrong stays wrong by the
 * same amount, which is what RFC 7915 asks for.
 */
uint16_t csum_update(uint16_t field_raw, uint32_t old_sum, uint32_t new_sum);
/* Pseudo-header sums (upper-layer length and protocol included). */
uint32_t csum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint32_t ulen, uint8_t proto);
uint32_t csum_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint16_t ulen, uint8_t proto);

/* ------------------------------------------------------------------ */
/* Address mapping (addrmap.c)                                         */
/* ------------------------------------------------------------------ */

/*
 * IPv6 -> IPv4 using `map` entries first (longest v6len first), then the
 * prefixes in configuration order. On success writes v4 and the index of
 * the prefix used (0xff when a `map` entry matched) and returns
 * NAT6TO4_R_OK; otherwise NAT6TO4_R_DST_NOT_MAPPED, or NAT6TO4_R_PRIVATE_ADDR
 * when the well-known prefix 64:ff9b::/96 embeds a non-global IPv4 address
 * and allow-private is no (RFC 6052 section 3.1).
 */
enum nat6to4_reason addrmap_6to4(const struct nat6to4_config *cfg, const uint8_t v6[16],
                                 n64_v4 *v4, uint8_t *prefix_idx);
/*
 * IPv4 -> IPv6: a `map` entry covering v4 wins; otherwise the prefix with
 * index prefix_idx (0 when the caller has no preference). Returns
 * NAT6TO4_R_OK or NAT6TO4_R_SRC_NOT_MAPPED (no prefix and no map).
 */
enum nat6to4_reason addrmap_4to6(const struct nat6to4_config *cfg, n64_v4 v4,
                                 uint8_t prefix_idx, uint8_t v6[16]);
/* True when v4 is inside one of the pool4 ranges. */
bool addrmap_in_pool(const struct nat6to4_config *cfg, n64_v4 v4);

/* ------------------------------------------------------------------ */
/* NAPT sessions (session.c) — RFC 6146 BIB + session table            */
/* ------------------------------------------------------------------ */

struct n64_sessions; /* opaque to the other files */

/* TCP flags as they appear in byte 13 of the TCP header. */
#define N64_TCP_FIN 0x01
#define N64_TCP_SYN 0x02
#define N64_TCP_RST 0x04
#define N64_TCP_ACK 0x10

/* A flow as seen on the IPv6 side, outbound (6->4). */
struct n64_flow6 {
	uint8_t proto;           /* 6, 17, or 1 for ICMP echo */
	const uint8_t *src6;     /* IPv6 host */
	uint16_t sport;          /* or echo identifier */
	n64_v4 dst4;             /* IPv4 peer (already mapped from the IPv6 dst) */
	uint16_t dport;          /* 0 for ICMP echo */
	uint8_t prefix_idx;      /* prefix the host used to address dst4 */
	uint8_t tcp_flags;       /* 0 unless proto 6 */
};

/* A flow as seen on the IPv4 side, inbound (4->6). */
struct n64_flow4 {
	uint8_t proto;
	n64_v4 src4;             /* IPv4 peer */
	uint16_t sport;          /* 0 for ICMP echo */
	n64_v4 dst4;             /* pool4 address */
	uint16_t dport;          /* pool4 port, or echo identifier */
	uint8_t tcp_flags;
};

struct n64_sessions *sessions_new(const struct nat6to4_config *cfg);
void sessions_free(struct n64_sessions *s);
/* Swap in a new configuration (pool, statics, timeouts); drop what no
 * longer fits. Returns the number of sessions kept. */
long sessions_reload(struct n64_sessions *s, const struct nat6to4_config *cfg, uint64_t now_ns);

/*
 * Outbound packet: find or create BIB entry + session, refresh its timer,
 * run the TCP state machine. On NAT6TO4_R_OK writes the pool4 source
 * address and port to use. Other results: NAT6TO4_R_TABLE_FULL,
 * NAT6TO4_R_POOL_EXHAUSTED, NAT6TO4_R_NOT_SYN.
 */
enum nat6to4_reason sessions_out(struct n64_sessions *s, const struct n64_flow6 *f,
                                 uint64_t now_ns, n64_v4 *src4, uint16_t *sport4);
/*
 * Inbound packet: look up the binding of (proto, dst4, dport), apply the
 * filtering policy, refresh/create the session, run the TCP state machine.
 * On NAT6TO4_R_OK writes the IPv6 host and port, and the prefix index under
 * which the host knows src4. Other results: NAT6TO4_R_NO_SESSION,
 * NAT6TO4_R_FILTERED, NAT6TO4_R_TABLE_FULL.
 */
enum nat6to4_reason sessions_in(struct n64_sessions *s, const struct n64_flow4 *f,
                                uint64_t now_ns, uint8_t dst6[16], uint16_t *dport6,
                                uint8_t *prefix_idx);
/*
 * Read-only lookups for the packet inside an ICMP error (no state change,
 * no creation). find_by6: binding of (proto, v6 host, port) -> pool4
 * address/port. find_by4: binding of (proto, pool4 addr, port) -> v6 host,
 * port, and the prefix index of the session with `remote4` (0 if none).
 * Return true when found.
 */
bool sessions_find_by6(const struct n64_sessions *s, uint8_t proto, const uint8_t v6[16],
                       uint16_t port, n64_v4 *v4, uint16_t *port4);
bool sessions_find_by4(const struct n64_sessions *s, uint8_t proto, n64_v4 v4, uint16_t port,
                       n64_v4 remote4, uint8_t v6[16], uint16_t *port6, uint8_t *prefix_idx);

size_t sessions_expire(struct n64_sessions *s, uint64_t now_ns);
size_t sessions_walk(const struct n64_sessions *s, const struct nat6to4_config *cfg,
                     nat6to4_session_fn fn, void *user);
void sessions_counts(const struct n64_sessions *s, uint64_t *created, uint64_t *expired,
                     uint64_t *active, uint64_t *bindings);
size_t sessions_bytes_per_session(const struct n64_sessions *s);

/* ------------------------------------------------------------------ */
/* The context (core.c) and the translation paths (xlate.c, icmp.c, frag.c) */
/* ------------------------------------------------------------------ */

#define N64_BUF_SIZE (65535 + 256) /* largest IP packet plus header growth */

struct nat6to4 {
	struct nat6to4_config cfg;
	struct n64_sessions *sessions;      /* NULL in stateless mode */
	struct n64_frag_table *frags;       /* fragment -> translation memory (frag.c) */
	struct nat6to4_counters ctr;        /* sessions_* fields filled on read */
	nat6to4_emit_fn emit;               /* of the call in progress */
	void *emit_user;
	bool scatter;                       /* nat6to4_set_scatter */
	const uint8_t *tail;                /* the next translated packet's tail */
	size_t tail_len;
	int dir;                            /* NAT6TO4_DIR_* of the call in progress */
	uint8_t out[N64_BUF_SIZE];          /* translated packet */
	uint8_t err[1280];                  /* ICMP error being built */
};

/* Hand a produced packet to the caller and count it. */
void core_emit(struct nat6to4 *nat, const uint8_t *data, size_t len, uint8_t family,
               enum nat6to4_out_kind kind);

#endif /* NAT6TO4_INTERNAL_H */
