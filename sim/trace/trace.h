/*
 * v6lab captures and text trace.
 *
 * Two taps watch the frames of a link (sim_link_tap):
 *   - a pcap writer per link (pcap_out.c), timestamps from the virtual
 *     clock, written to PATH.tmp and renamed on close;
 *   - a tcpdump -n style one-line decoder (print*.c), one file per protocol
 *     like tcpdump's print-*.c, every read bounds-checked against the
 *     captured length, `[|proto]` where the capture ends too early.
 *
 * Link types: Ethernet links carry DLT_EN10MB frames, p2p and path links
 * raw IP packets (LINKTYPE_RAW, 101 in the file). The decoder accepts the
 * platform's DLT_RAW, LINKTYPE_RAW and DLT_IPV4/DLT_IPV6 for raw IP.
 */
#ifndef V6LAB_TRACE_H
#define V6LAB_TRACE_H

#include "../core/sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_DLT_EN10MB 1    /* DLT_EN10MB == LINKTYPE_ETHERNET everywhere */
#define TRACE_DLT_RAW 101     /* LINKTYPE_RAW: the same number on every platform */

/* ---- pcap writer (pcap_out.c) ---------------------------------------- */

struct trace_pcap;

/*
 * Open a capture for writing: `dlt` is TRACE_DLT_EN10MB, TRACE_DLT_RAW or
 * the platform's DLT_RAW; `start_unix_ns` the wall-clock date of virtual
 * time 0. Writes go to PATH.tmp until trace_pcap_close renames it to PATH.
 * NULL and a message in err on failure.
 */
struct trace_pcap *trace_pcap_open(const char *path, int dlt, uint64_t start_unix_ns, char *err,
                                   size_t errlen);
/* A sim_tap_fn: `user` is the struct trace_pcap. Lost frames are written
 * too: the capture is the sender's view of the link. */
void trace_pcap_tap(void *user, const struct sim_frame_info *f);
/* Flush, close and rename into place. 0, or -1 when any write failed (the
 * .tmp file is then removed and PATH left untouched). Frees the writer. */
int trace_pcap_close(struct trace_pcap *w);
/* Frames written so far. */
uint64_t trace_pcap_count(const struct trace_pcap *w);
/* The link type that fits a link: TRACE_DLT_EN10MB or TRACE_DLT_RAW. */
int trace_link_dlt(const struct sim_link *link);

/* ---- text trace (print.c) -------------------------------------------- */

/*
 * One tcpdump -n line for a packet, without timestamp, NUL-terminated in
 * buf (cut to len-1 bytes). `with_link` adds the Ethernet header like
 * tcpdump -e. Returns the length of the full line (like snprintf).
 */
size_t trace_format(char *buf, size_t len, int dlt, const uint8_t *pkt, size_t caplen,
                    bool with_link);
/* Same for a packet captured short: `wirelen` is its length on the wire,
 * `caplen` what was kept (tcpdump -s). */
size_t trace_format_snap(char *buf, size_t len, int dlt, const uint8_t *pkt, size_t caplen,
                         size_t wirelen, bool with_link);
/* "HH:MM:SS.uuuuuu LINK <trace_format>" with the time of the frame on the
 * virtual clock (UTC, from sim->start_unix_ns); " (lost)" is appended when
 * the link's loss model dropped the frame. */
void trace_line(char *buf, size_t len, const struct sim *sim, const struct sim_frame_info *f,
                int dlt);

/* ---- internals shared by the print*.c files -------------------------- */

/* Output being built: `n` counts every byte asked for, `cap` bounds what is
 * stored, so a short buffer never stops the decode from being measured. */
struct trace_buf {
	char *s;
	size_t cap;
	size_t n;
	bool link;      /* Ethernet header printed (-e): IP printers drop "IP6 " */
	bool frag;      /* inside a fragment: UDP's length may exceed what is here */
};

void tb_put(struct trace_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* tcpdump's truncation marker: " [|proto]". */
void tb_trunc(struct trace_buf *b, const char *proto);
void tb_ip6addr(struct trace_buf *b, const uint8_t a[16]);
void tb_ip4addr(struct trace_buf *b, const uint8_t a[4]);
void tb_mac(struct trace_buf *b, const uint8_t m[6]);

static inline uint16_t tr_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t tr_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Every printer gets the bytes captured (`caplen`, the bound on reads) and
 * the length the enclosing header says the protocol has (`length`, what
 * "length N" prints); like tcpdump's (bp, length) with ndo_snapend.
 */
void print_ether(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t wirelen,
                 bool with_link);
void print_arp(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
void print_ip6(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
void print_ip4(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
/* Raw IP: the version nibble picks the printer. */
void print_ip_raw(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);

/* Upper layers: `ip` points at the IPv6 or IPv4 header (addresses for the
 * TCP/UDP line and the checksum context), `ipver` is 6 or 4. */
void print_icmp6(struct trace_buf *b, const uint8_t *ip6, const uint8_t *p, size_t caplen,
                 size_t length);
void print_icmp4(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
void print_udp(struct trace_buf *b, int ipver, const uint8_t *ip, const uint8_t *p,
               size_t caplen, size_t length);
void print_tcp(struct trace_buf *b, int ipver, const uint8_t *ip, const uint8_t *p,
               size_t caplen, size_t length);
/* PPPoE (print_pppoe.c): `p` at the PPPoE header, `length` the Ethernet
 * payload's length; session frames go on to print_ppp. */
void print_pppoe(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
/* DHCPv6 (print_dhcp6.c): `p` at the message, after the UDP header. */
void print_dhcp6(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
/* DNS (print_dns.c): `p` at the message, after the UDP header. */
void print_dns(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);
/* A PPP frame (print_ppp.c): `p` at the protocol field (an ff03
 * address/control prefix is skipped), `length` the PPP frame's length as
 * the PPPoE header gives it. Called by print_pppoe for session frames. */
void print_ppp(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length);

#endif /* V6LAB_TRACE_H */
