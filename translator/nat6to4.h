/*
 * libnat6to4 — IPv6 <-> IPv4 translator core.
 *
 * This is the only public header of the core. The core is pure: it takes
 * packet bytes, the current time and a context, and hands every packet it
 * produces to a callback. It never reads a clock, a socket or a file, and it
 * has no global state, so the simulator, the daemon, the CLI, the tests and
 * the benchmarks all drive exactly the same code.
 *
 * Standards: RFC 7915 (header translation), RFC 6052 (address embedding),
 * RFC 6146 (stateful NAPT: BIB, sessions, TCP state machine), RFC 1624
 * (incremental checksum update).
 */
#ifndef NAT6TO4_H
#define NAT6TO4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NAT6TO4_VERSION "0.1.0"

typedef struct nat6to4_config nat6to4_config;
typedef struct nat6to4 nat6to4;

/* ------------------------------------------------------------------ */
/* Configuration (nat6to4.conf(5))                                     */
/* ------------------------------------------------------------------ */

/*
 * Hook for directives the core does not know (the daemon's `tun-device`,
 * `user`, ...). Called with the directive keyword and its arguments.
 * Return 0 when handled, 1 when the keyword is unknown to the hook too
 * (the parser then reports "unknown directive"), -1 when the arguments are
 * invalid, with a message in err (the parser prefixes file:line:col).
 */
typedef int (*nat6to4_directive_fn)(void *user, const char *keyword,
                                    const char *const *args, int nargs,
                                    char *err, size_t errlen);

/*
 * Parse the text of a nat6to4.conf. On error returns NULL and writes
 * "FILE:LINE:COL: message" into err. `filename` is used only in messages.
 * `extra` may be NULL.
 */
nat6to4_config *nat6to4_config_parse(const char *text, size_t len,
                                     const char *filename,
                                     nat6to4_directive_fn extra, void *extra_user,
                                     char *err, size_t errlen);

/* A configuration with every default and no prefix, pool or mapping. */
nat6to4_config *nat6to4_config_new(void);
void nat6to4_config_free(nat6to4_config *cfg);

/*
 * Write the configuration back in normalised form (one directive per line,
 * canonical address spelling, every default made explicit). snprintf
 * semantics: returns the length the full text needs.
 */
size_t nat6to4_config_format(const nat6to4_config *cfg, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Address mapping (RFC 6052 and the seed's "decimal" form)            */
/* ------------------------------------------------------------------ */

enum nat6to4_addr_form {
	NAT6TO4_FORM_RFC6052 = 0, /* /32 /40 /48 /56 /64 /96, u-octet zero     */
	NAT6TO4_FORM_DECIMAL = 1, /* 2001:df0:9::202:83:176:248, prefix <= /64 */
};

/* IPv4 -> IPv6. Returns 0, or -1 when plen is not valid for the form. */
int nat6to4_addr_embed(const uint8_t prefix[16], int plen,
                       enum nat6to4_addr_form form,
                       const uint8_t v4[4], uint8_t v6[16]);

/*
 * IPv6 -> IPv4. Returns 0, or -1 when v6 is not inside the prefix or is not
 * a mapped address of that form (decimal: a group that is not 0-255 written
 * in decimal digits; RFC 6052: nonzero u-octet is accepted, bits ignored).
 */
int nat6to4_addr_extract(const uint8_t prefix[16], int plen,
                         enum nat6to4_addr_form form,
                         const uint8_t v6[16], uint8_t v4[4]);

/* ------------------------------------------------------------------ */
/* The translator context                                              */
/* ------------------------------------------------------------------ */

/* Create a translator from a configuration (copied; cfg may be freed). */
nat6to4 *nat6to4_new(const nat6to4_config *cfg, char *err, size_t errlen);
void nat6to4_free(nat6to4 *nat);

/*
 * Replace the configuration, keeping the sessions that are still valid
 * under the new one (their pool address still in pool4, their protocol's
 * timeout not yet passed). Returns the number of sessions kept, or -1 with
 * err set (the old configuration stays in force).
 */
long nat6to4_reload(nat6to4 *nat, const nat6to4_config *cfg, uint64_t now_ns,
                    char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Translating packets                                                 */
/* ------------------------------------------------------------------ */

enum nat6to4_out_kind {
	NAT6TO4_OUT_TRANSLATED = 0, /* to the other family, onward            */
	NAT6TO4_OUT_ICMP_ERROR = 1, /* same family as the input, to its sender */
};

struct nat6to4_out {
	const uint8_t *data;  /* starts at the IP header; valid during the call */
	size_t len;
	uint8_t family;       /* 4 or 6 */
	enum nat6to4_out_kind kind;
	/* Only with nat6to4_set_scatter(nat, true): the packet goes on with
	 * these tail_len bytes, the unchanged rest of the caller's own packet
	 * (NULL and 0 otherwise). */
	const uint8_t *tail;
	size_t tail_len;
};

typedef void (*nat6to4_emit_fn)(void *user, const struct nat6to4_out *out);

/*
 * Scatter output, for callers that write with writev(): a translated TCP
 * or UDP packet (not a fragment, more than 256 bytes) is emitted as its
 * new headers in `data` plus `tail` pointing into the input, so its payload
 * is not copied. Off by default: every packet contiguous in `data`.
 */
void nat6to4_set_scatter(nat6to4 *nat, bool on);

enum nat6to4_result {
	NAT6TO4_TRANSLATED = 0,
	NAT6TO4_DROPPED = 1,
	NAT6TO4_ERROR_SENT = 2,
};

/* X(NAME, "short-name", "what it means") — the single table of reasons. */
#define NAT6TO4_REASONS(X)                                                        \
	X(OK,               "ok",                "translated")                         \
	X(TRUNCATED,        "truncated",         "packet shorter than its headers")    \
	X(BAD_VERSION,      "bad-version",       "IP version field does not match")    \
	X(BAD_LENGTH,       "bad-length",        "length field disagrees with packet") \
	X(BAD_IP4_HEADER,   "bad-ip4-header",    "IPv4 header length invalid")         \
	X(BAD_IP4_CHECKSUM, "bad-ip4-checksum",  "IPv4 header checksum wrong")         \
	X(BAD_EXT_HEADER,   "bad-ext-header",    "malformed IPv6 extension header")    \
	X(UNSUPPORTED_PROTO,"unsupported-proto", "no translation for this protocol")   \
	X(HOP_LIMIT,        "hop-limit",         "hop limit/TTL exceeded")             \
	X(SEGMENTS_LEFT,    "segments-left",     "routing header with segments left")  \
	X(SOURCE_ROUTE,     "source-route",      "IPv4 unexpired source route option") \
	X(DST_NOT_MAPPED,   "dst-not-mapped",    "destination address not mapped")     \
	X(SRC_NOT_MAPPED,   "src-not-mapped",    "source address not mapped")          \
	X(PRIVATE_ADDR,     "private-addr",      "non-global IPv4 in well-known prefix")\
	X(NO_SESSION,       "no-session",        "no session or binding for packet")   \
	X(NOT_SYN,          "not-syn",           "TCP segment other than SYN opens no session") \
	X(FILTERED,         "filtered",          "refused by address-dependent filtering") \
	X(TABLE_FULL,       "table-full",        "session table full")                 \
	X(POOL_EXHAUSTED,   "pool-exhausted",    "no free pool4 address and port")     \
	X(ICMP_UNTRANSLATABLE, "icmp-untranslatable", "ICMP type/code has no translation") \
	X(ICMP_ERROR_NESTED,"icmp-error-nested", "ICMP error about an ICMP error")     \
	X(ICMP_INNER_BAD,   "icmp-inner-bad",    "packet inside ICMP error unusable")  \
	X(FRAG_NEEDED,      "frag-needed",       "too big for mtu6 with DF set")       \
	X(FRAG_ICMP,        "frag-icmp",         "fragmented ICMP packet")             \
	X(FRAG_UDP_NO_CSUM, "frag-udp-no-csum",  "fragmented IPv4 UDP with zero checksum") \
	X(FRAG_NO_FIRST,    "frag-no-first",     "non-first fragment of unknown packet")

enum nat6to4_reason {
#define NAT6TO4_REASON_ENUM(name, shortname, text) NAT6TO4_R_##name,
	NAT6TO4_REASONS(NAT6TO4_REASON_ENUM)
#undef NAT6TO4_REASON_ENUM
	NAT6TO4_REASON_COUNT
};

struct nat6to4_verdict {
	enum nat6to4_result result;
	enum nat6to4_reason reason;
};

/*
 * Translate one packet. `pkt` starts at the IP header (no link layer).
 * `now_ns` is the caller's clock (any epoch, monotonic). Every packet
 * produced is handed to emit() before the call returns, in order: the
 * translation (one, or several fragments), or an ICMP error back to the
 * sender. The input buffer is never written.
 */
struct nat6to4_verdict nat6to4_6to4(nat6to4 *nat, const uint8_t *pkt, size_t len,
                                    uint64_t now_ns, nat6to4_emit_fn emit, void *user);
struct nat6to4_verdict nat6to4_4to6(nat6to4 *nat, const uint8_t *pkt, size_t len,
                                    uint64_t now_ns, nat6to4_emit_fn emit, void *user);

const char *nat6to4_reason_name(enum nat6to4_reason r);  /* "table-full"   */
const char *nat6to4_reason_text(enum nat6to4_reason r);  /* explanation    */
const char *nat6to4_result_name(enum nat6to4_result r);  /* "translated"... */

/* ------------------------------------------------------------------ */
/* Counters and sessions                                               */
/* ------------------------------------------------------------------ */

enum { NAT6TO4_DIR_6TO4 = 0, NAT6TO4_DIR_4TO6 = 1 };

struct nat6to4_counters {
	uint64_t packets[2][NAT6TO4_REASON_COUNT]; /* [direction][reason] */
	uint64_t emitted[2];          /* packets handed to emit(), by input direction */
	uint64_t fragments_out;       /* of those, fragments made by the translator  */
	uint64_t icmp_errors_out;     /* of those, ICMP errors back to a sender       */
	uint64_t sessions_created;
	uint64_t sessions_expired;
	uint64_t sessions_active;
	uint64_t bindings_active;     /* BIB entries, static ones included */
};

void nat6to4_get_counters(const nat6to4 *nat, struct nat6to4_counters *out);

struct nat6to4_session_info {
	uint8_t proto;           /* 6 TCP, 17 UDP, 1 ICMP echo (ports are ids) */
	uint8_t v6_addr[16];     /* the IPv6 host                               */
	uint16_t v6_port;
	uint8_t v4_addr[4];      /* its pool4 address and port                  */
	uint16_t v4_port;
	uint8_t remote4[4];      /* the IPv4 peer                               */
	uint16_t remote_port;
	uint8_t remote6[16];     /* the IPv4 peer as the IPv6 host addresses it */
	const char *state;       /* "ESTABLISHED", "V6_INIT", ... or "UDP"      */
	uint64_t expires_ns;     /* in the caller's clock                        */
	int is_static;           /* binding came from a `static` directive      */
};

typedef void (*nat6to4_session_fn)(void *user, const struct nat6to4_session_info *s);

/* Visit every live session, in a deterministic order. Returns the count. */
size_t nat6to4_sessions_walk(const nat6to4 *nat, nat6to4_session_fn fn, void *user);

/* Expire sessions whose time has passed; returns how many were removed.
 * Translation also expires lazily, so calling this is optional. */
size_t nat6to4_expire(nat6to4 *nat, uint64_t now_ns);

/* Bytes of memory the context uses per session slot (for benchmarks). */
size_t nat6to4_bytes_per_session(const nat6to4 *nat);

#ifdef __cplusplus
}
#endif
#endif /* NAT6TO4_H */
