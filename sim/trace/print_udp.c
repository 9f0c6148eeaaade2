/*
 * UDP (RFC 768; tcpdump's print-udp.c): "SRC.SPORT > DST.DPORT: UDP, length N".
 * When extension headers came first the IPv6 printer has shown the
 * addresses already, and only the ports are printed, as tcpdump does.
 */
#include "trace.h"

#define UDP_HDR 8

/* Addresses (when the IP header's protocol is UDP itself) and ports. */
static void print_endpoints(struct trace_buf *b, int ipver, const uint8_t *ip, long sport,
                            long dport)
{
	bool direct = ipver == 6 ? ip[6] == 17 : ip[9] == 17;

	if (!direct) {
		if (sport >= 0)
			tb_put(b, "%ld > %ld: ", sport, dport);
		return;
	}
	if (ipver == 6)
		tb_ip6addr(b, ip + 8);
	else
		tb_ip4addr(b, ip + 12);
	if (sport >= 0)
		tb_put(b, ".%ld", sport);
	tb_put(b, " > ");
	if (ipver == 6)
		tb_ip6addr(b, ip + 24);
	else
		tb_ip4addr(b, ip + 16);
	if (sport >= 0)
		tb_put(b, ".%ld", dport);
	tb_put(b, ": ");
}

/* Port-specific payload printers hang here: DHCPv6 (546/547), DNS (53). `p` is the
 * payload, `caplen` what of it was captured. */
static void print_payload(struct trace_buf *b, unsigned sport, unsigned dport, const uint8_t *p,
                          size_t caplen, size_t ulen)
{
	if (sport == 546 || sport == 547 || dport == 546 || dport == 547) {
		print_dhcp6(b, p, caplen, ulen);
		return;
	}
	if (sport == 53 || dport == 53) {
		print_dns(b, p, caplen, ulen);
		return;
	}
	tb_put(b, "UDP, length %zu", ulen);
}

void print_udp(struct trace_buf *b, int ipver, const uint8_t *ip, const uint8_t *p,
               size_t caplen, size_t length)
{
	if (caplen < 4) {
		print_endpoints(b, ipver, ip, -1, -1);
		tb_trunc(b, "udp");
		return;
	}
	unsigned sport = tr_rd16(p), dport = tr_rd16(p + 2);

	print_endpoints(b, ipver, ip, sport, dport);
	if (length < UDP_HDR) {
		tb_put(b, "truncated-udp %zu", length);
		return;
	}
	if (caplen < UDP_HDR) {
		tb_trunc(b, "udp");
		return;
	}
	size_t ulen = tr_rd16(p + 4);
	if (ulen < UDP_HDR) {
		tb_put(b, "truncated-udplength %zu", ulen);
		return;
	}
	/* In a first fragment the datagram goes on in the next ones: its own
	 * length is what is shown. */
	if (ulen > length && !b->frag) {
		tb_put(b, "UDP, bad length %zu > %zu", ulen - UDP_HDR, length - UDP_HDR);
		return;
	}
	print_payload(b, sport, dport, p + UDP_HDR, caplen - UDP_HDR, ulen - UDP_HDR);
}
