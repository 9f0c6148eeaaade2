/*
 * Transport fields: UDP (RFC 768: udp.srcport, udp.dstport, udp.length,
 * udp.checksum; DHCPv6 on 546/547 and DNS on 53 walked further) and TCP
 * (RFC 9293: tcp.srcport, tcp.dstport, tcp.seq, tcp.ack, tcp.hdr_len,
 * tcp.flags, tcp.window, tcp.checksum, tcp.urgent_pointer, options as
 * "tcp.option mss", "tcp.option wscale", "tcp.option ts val", each with
 * its "kind" and "length" bytes, then tcp.payload).
 */
#include "fields.h"

#include <stdio.h>

#define UDP_HDR 8
#define TCP_HDR 20

void pdf_udp(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + UDP_HDR) {
		pd_rest(fs, "udp.truncated", off, end);
		return;
	}
	const uint8_t *p = fs->pkt + off;
	unsigned sport = pd_rd16(p), dport = pd_rd16(p + 2);
	size_t ulen = pd_rd16(p + 4);

	pd_add(fs, "udp.srcport", off, 2, PD_DEC);
	pd_add(fs, "udp.dstport", off + 2, 2, PD_DEC);
	pd_add(fs, "udp.length", off + 4, 2, PD_DEC);
	pd_add(fs, "udp.checksum", off + 6, 2, PD_HEX);
	/* The datagram ends where its length says, if that is inside the IP
	 * payload; a first fragment's length reaches past it. */
	size_t uend = ulen >= UDP_HDR && off + ulen < end ? off + ulen : end;
	if (sport == 546 || sport == 547 || dport == 546 || dport == 547)
		pdf_dhcp6(fs, off + UDP_HDR, uend);
	else if (sport == 53 || dport == 53)
		pdf_dns(fs, off + UDP_HDR, uend);
	else
		pd_rest(fs, "udp.payload", off + UDP_HDR, uend);
	pd_rest(fs, "udp.padding", uend, end);
}

static const char *tcp_opt_name(uint8_t kind, char *buf, size_t len)
{
	switch (kind) {
	case 0: return "eol";
	case 1: return "nop";
	case 2: return "mss";
	case 3: return "wscale";
	case 4: return "sackok";
	case 5: return "sack";
	case 8: return "ts";
	default:
		snprintf(buf, len, "%u", kind);
		return buf;
	}
}

static void tcp_opt_value(struct pd_fields *fs, uint8_t kind, const char *n, size_t off,
                          size_t oend)
{
	size_t vlen = oend - off;

	if (kind == 8 && vlen == 8) {
		pd_add(fs, "tcp.option ts val", off, 4, PD_DEC);
		pd_add(fs, "tcp.option ts ecr", off + 4, 4, PD_DEC);
	} else if ((kind == 2 && vlen == 2) || (kind == 3 && vlen == 1)) {
		pd_addf(fs, off, vlen, PD_DEC, "tcp.option %s", n);
	} else if (vlen > 0) {
		pd_addf(fs, off, vlen, PD_BYTES, "tcp.option %s", n);
	}
}

static void tcp_options(struct pd_fields *fs, size_t off, size_t end)
{
	while (off < end) {
		char nb[8];
		uint8_t kind = fs->pkt[off];
		const char *n = tcp_opt_name(kind, nb, sizeof nb);

		if (kind == 0) {
			pd_add(fs, "tcp.option eol", off, 1, PD_DEC);
			pd_rest(fs, "tcp.option padding", off + 1, end);
			return;
		}
		if (kind == 1) {
			pd_add(fs, "tcp.option nop", off, 1, PD_DEC);
			off++;
			continue;
		}
		if (end - off < 2 || fs->pkt[off + 1] < 2 || end - off < fs->pkt[off + 1]) {
			pd_rest(fs, "tcp.option malformed", off, end);
			return;
		}
		size_t olen = fs->pkt[off + 1];
		pd_addf(fs, off, 1, PD_DEC, "tcp.option %s kind", n);
		pd_addf(fs, off + 1, 1, PD_DEC, "tcp.option %s length", n);
		tcp_opt_value(fs, kind, n, off + 2, off + olen);
		off += olen;
	}
}

void pdf_tcp(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + TCP_HDR) {
		pd_rest(fs, "tcp.truncated", off, end);
		return;
	}
	size_t hl = (size_t)(fs->pkt[off + 12] >> 4) * 4;

	pd_add(fs, "tcp.srcport", off, 2, PD_DEC);
	pd_add(fs, "tcp.dstport", off + 2, 2, PD_DEC);
	pd_add(fs, "tcp.seq", off + 4, 4, PD_DEC);
	pd_add(fs, "tcp.ack", off + 8, 4, PD_DEC);
	pd_bits(fs, "tcp.hdr_len", off + 12, 2, 12, 0xf, PD_DEC);
	pd_bits(fs, "tcp.reserved", off + 12, 2, 9, 0x7, PD_HEX);
	pd_bits(fs, "tcp.flags", off + 12, 2, 0, 0x1ff, PD_TCPFLAGS);
	pd_add(fs, "tcp.window", off + 14, 2, PD_DEC);
	pd_add(fs, "tcp.checksum", off + 16, 2, PD_HEX);
	pd_add(fs, "tcp.urgent_pointer", off + 18, 2, PD_DEC);
	if (hl < TCP_HDR)
		hl = TCP_HDR;   /* a bad data offset: the rest is payload */
	size_t oend = off + hl < end ? off + hl : end;
	tcp_options(fs, off + TCP_HDR, oend);
	pd_rest(fs, "tcp.payload", oend, end);
}
