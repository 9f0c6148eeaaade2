/*
 * IPv4 (RFC 791; tcpdump's print-ip.c) without -v: "IP SRC > DST: " and
 * the upper layer; TCP and UDP print the addresses with their ports. A
 * fragment other than the first has no upper-layer header to show:
 * "IP SRC > DST: ip-proto-17".
 */
#include "trace.h"

#define IP4_MINHDR 20

static void print_upper(struct trace_buf *b, uint8_t proto, const uint8_t *ip,
                        const uint8_t *p, size_t avail, size_t left)
{
	switch (proto) {
	case 1:
		print_icmp4(b, p, avail, left);
		break;
	case 6:
		print_tcp(b, 4, ip, p, avail, left);
		break;
	case 17:
		print_udp(b, 4, ip, p, avail, left);
		break;
	case 4:
		print_ip4(b, p, avail, left);
		break;
	case 41:
		print_ip6(b, p, avail, left);
		break;
	default:
		tb_put(b, " ip-proto-%u %zu", proto, left);
		break;
	}
}

static void print_addrs(struct trace_buf *b, const uint8_t *p)
{
	tb_ip4addr(b, p + 12);
	tb_put(b, " > ");
	tb_ip4addr(b, p + 16);
}

void print_ip4(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (caplen < 1) {
		tb_trunc(b, "ip"); /* not even the version */
		return;
	}
	if (!b->link)
		tb_put(b, "IP ");
	if (caplen < IP4_MINHDR) {
		tb_trunc(b, "ip");
		return;
	}
	if (p[0] >> 4 != 4) {
		if (p[0] >> 4 == 6)
			tb_put(b, "IP6, wrong link-layer encapsulation (invalid)");
		else
			tb_put(b, "IP%u (invalid)", p[0] >> 4);
		return;
	}
	size_t len = tr_rd16(p + 2), hlen = (size_t)(p[0] & 0xf) * 4;
	if (len > length) {
		tb_put(b, "[total length %zu > length %zu] (invalid)", len, length);
		return;
	}
	if (hlen < IP4_MINHDR) {
		tb_put(b, "bad-hlen %zu (invalid)", hlen);
		return;
	}
	if (len < hlen) {
		tb_put(b, "bad-len %zu (invalid)", len);
		return;
	}
	size_t avail = caplen < len ? caplen : len; /* the snapshot ends with the payload */
	uint16_t off = tr_rd16(p + 6) & 0x1fff;
	uint8_t proto = p[9];

	if (off != 0) {
		print_addrs(b, p);
		tb_put(b, ": ip-proto-%u", proto);
		return;
	}
	if (proto != 6 && proto != 17) {
		print_addrs(b, p);
		tb_put(b, ": ");
	}
	if (avail < hlen) {
		tb_put(b, " [remaining caplen(%zu) < header length(%zu)]", avail, hlen);
		tb_trunc(b, "ip");
		return;
	}
	b->frag = (tr_rd16(p + 6) & 0x2000) != 0;
	print_upper(b, proto, p, p + hlen, avail - hlen, len - hlen);
}
