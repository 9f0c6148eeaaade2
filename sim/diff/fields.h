/*
 * Field tables of the capture diff: a packet walked into named fields.
 *
 * Each fields_*.c file knows one protocol family and maps byte ranges of a
 * frame to names, walking headers the way the trace printers do: every
 * read bounds-checked against `end`, the lesser of what was captured and
 * what the enclosing header says. The walkers cover every byte they are
 * given, in order: a header that does not fit becomes "PROTO.truncated",
 * a payload no walker knows "PROTO.payload", bytes after the length an IP
 * header declares "frame.trailer". So two frames whose field lists agree
 * name by name and byte by byte are the same frame, and a change of any
 * byte shows up under the name of the field that holds it.
 *
 * Names follow Wireshark's display filter names where they exist
 * (ip.ttl, ip6.hlim, tcp.seq, udp.checksum, eth.src) and the issue's
 * forms for options and tags ("tcp.option mss", "lcp.option MRU",
 * "pppoe.tag Host-Uniq", "dhcp6.option 25 length").
 */
#ifndef V6LAB_DIFF_FIELDS_H
#define V6LAB_DIFF_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PD_NAME_MAX 48
#define PD_MAX_FIELDS 320
#define PD_MAX_DEPTH 4      /* IP in IP in an ICMP error in ...: then bytes */

/* How a value prints. */
enum pd_fmt {
	PD_DEC,       /* unsigned decimal */
	PD_HEX,       /* 0x and two digits a byte */
	PD_MAC,       /* 00:0f:ea:2c:d5:18 */
	PD_IP4,       /* 192.0.2.1 */
	PD_IP6,       /* RFC 5952 */
	PD_BYTES,     /* opaque: length, first differing byte */
	PD_TEXT,      /* mostly printable bytes, quoted */
	PD_TCPFLAGS,  /* 0x012 (SYN, ACK) */
	PD_DNSNAME,   /* DNS labels in place: www.example.com. */
	PD_TIME,      /* pseudo-field: nanoseconds since the epoch */
};

struct pd_field {
	char name[PD_NAME_MAX];
	uint32_t off;          /* in the frame */
	uint32_t len;          /* bytes; 0 for a pseudo-field (frame.*) */
	uint32_t mask;         /* bit field: (big-endian value >> shift) & mask */
	uint8_t shift;
	uint8_t fmt;           /* enum pd_fmt */
	uint16_t occ;          /* how many earlier fields have the same name */
	uint64_t val;          /* pseudo-fields: the value itself */
};

struct pd_fields {
	const uint8_t *pkt;    /* the frame */
	size_t caplen;         /* bytes of it captured: no read at or past this */
	size_t n;
	bool overflow;         /* more fields than PD_MAX_FIELDS: the rest is one */
	unsigned depth;        /* IP headers entered (tunnels, ICMP quotes) */
	struct pd_field f[PD_MAX_FIELDS];
};

/* ---- fields.c: building and reading ---------------------------------- */

/*
 * Walk a frame of link type `dlt` from byte `base` (0, or the network
 * layer when two captures of different link types are compared; the
 * network layer is then walked as raw IP). Adds the frame.* pseudo-fields
 * first (time, wire and captured length counted from `base`).
 */
void pd_walk(struct pd_fields *fs, int dlt, const uint8_t *pkt, size_t caplen, size_t wirelen,
             uint64_t ts_ns, size_t base);
/* Offset of the network layer (IPv4/IPv6) in a frame of link type dlt,
 * or -1 when the frame carries something else or the type is unknown. */
long pd_net_offset(int dlt, const uint8_t *pkt, size_t caplen);
bool pd_dlt_is_raw(int dlt);

/* Add a field of `len` bytes at `off`; nothing when it would end past
 * fs->caplen (the walkers check first; this is the last guard). */
void pd_add(struct pd_fields *fs, const char *name, size_t off, size_t len, enum pd_fmt fmt);
/* Same with a printf-made name ("tcp.option %s"). */
void pd_addf(struct pd_fields *fs, size_t off, size_t len, enum pd_fmt fmt, const char *fmt_name,
             ...) __attribute__((format(printf, 5, 6)));
/* A bit field inside `len` bytes at `off`. */
void pd_bits(struct pd_fields *fs, const char *name, size_t off, size_t len, unsigned shift,
             uint32_t mask, enum pd_fmt fmt);
/* Bytes [off, end) as one opaque field, when there are any. */
void pd_rest(struct pd_fields *fs, const char *name, size_t off, size_t end);

/* The numeric value of a field of up to 4 bytes (bit fields masked). */
uint64_t pd_value(const struct pd_fields *fs, const struct pd_field *f);
/* Two fields (one from each frame) hold the same value. */
bool pd_same_value(const struct pd_fields *a, const struct pd_field *fa,
                   const struct pd_fields *b, const struct pd_field *fb);
/* The value as text ("64", "0x1c2d", "fe80::1", "\"k7\"", "6 bytes"). */
void pd_format(char *buf, size_t len, const struct pd_fields *fs, const struct pd_field *f);

/* UTC time of day, HH:MM:SS.uuuuuu, or 9 digits when there are
 * nanoseconds to show; no time zone code involved. */
void pd_format_time(char *buf, size_t len, uint64_t ns);

static inline uint16_t pd_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* ---- one walker per protocol: cover [off, end) of fs->pkt ------------- */

void pdf_ether(struct pd_fields *fs, size_t off, size_t end);
void pdf_sll(struct pd_fields *fs, size_t off, size_t end, int version);
void pdf_ethertype(struct pd_fields *fs, uint16_t type, size_t off, size_t end);
void pdf_arp(struct pd_fields *fs, size_t off, size_t end);
void pdf_ip_raw(struct pd_fields *fs, size_t off, size_t end);
void pdf_ip4(struct pd_fields *fs, size_t off, size_t end);
void pdf_ip6(struct pd_fields *fs, size_t off, size_t end);
/* After the IP header(s): `proto` the upper-layer protocol number. */
void pdf_upper(struct pd_fields *fs, uint8_t proto, size_t off, size_t end);
void pdf_icmp4(struct pd_fields *fs, size_t off, size_t end);
void pdf_icmp6(struct pd_fields *fs, size_t off, size_t end);
void pdf_udp(struct pd_fields *fs, size_t off, size_t end);
void pdf_tcp(struct pd_fields *fs, size_t off, size_t end);
void pdf_pppoe(struct pd_fields *fs, size_t off, size_t end);
void pdf_ppp(struct pd_fields *fs, size_t off, size_t end);
void pdf_dhcp6(struct pd_fields *fs, size_t off, size_t end);
void pdf_dns(struct pd_fields *fs, size_t off, size_t end);

#endif /* V6LAB_DIFF_FIELDS_H */
