/*
 * IPv6 (RFC 8200; tcpdump's print-ip6.c, print-frag6.c, print-rt6.c,
 * print-ip6opts.c): "IP6 SRC > DST: " then the extension headers in their
 * short forms ("HBH ", "DSTOPT ", "RT6 (...) ", "frag (OFF|LEN) ") and the
 * upper layer. TCP and UDP print the addresses themselves, with ports.
 */
#include "trace.h"

#define IP6_HDRLEN 40

enum { NH_HBH = 0, NH_IPV4 = 4, NH_TCP = 6, NH_UDP = 17, NH_IPV6 = 41, NH_ROUTING = 43,
       NH_FRAG = 44, NH_ICMP6 = 58, NH_NONE = 59, NH_DSTOPT = 60 };

/* Hop-by-hop and destination options: the names only, as tcpdump without -v. */
static size_t print_opts(struct trace_buf *b, const char *name, const uint8_t *p, size_t avail)
{
	if (avail < 2) {
		tb_trunc(b, name[0] == 'H' ? "hbhopt" : "dstopt");
		return 0;
	}
	size_t hlen = ((size_t)p[1] + 1) * 8;
	if (avail < hlen) {
		tb_trunc(b, name[0] == 'H' ? "hbhopt" : "dstopt");
		return 0;
	}
	tb_put(b, "%s ", name);
	return hlen;
}

/* Routing header: "RT6 (len=2, type=0 [Deprecated], segleft=1, rsv=0x0, [0]ADDR) ". */
static size_t print_routing(struct trace_buf *b, const uint8_t *p, size_t avail)
{
	if (avail < 1) {
		tb_trunc(b, "ip6");
		return 0;
	}
	tb_put(b, "RT6");
	if (avail >= 2)
		tb_put(b, " (len=%u", p[1]);
	if (avail >= 3)
		tb_put(b, ", type=%u%s", p[2], p[2] == 0 ? " [Deprecated]" : "");
	if (avail < 4) {
		tb_trunc(b, "rt6");
		return 0;
	}
	size_t hlen = ((size_t)p[1] + 1) * 8;
	tb_put(b, ", segleft=%u", p[3]);
	if (p[2] == 0) {
		if (avail < 8) {
			tb_trunc(b, "rt6");
			return 0;
		}
		tb_put(b, ", rsv=0x%x", tr_rd32(p + 4));
		size_t naddr = p[1] / 2;
		for (size_t i = 0; i < naddr; i++) {
			if (avail < 8 + 16 * (i + 1)) {
				tb_trunc(b, "rt6");
				return 0;
			}
			tb_put(b, ", [%zu]", i);
			tb_ip6addr(b, p + 8 + 16 * i);
		}
	}
	tb_put(b, ") ");
	return hlen;
}

/* Fragment header: "frag (OFFSET|LENGTH) "; a later fragment ends the line. */
static size_t print_frag(struct trace_buf *b, const uint8_t *p, size_t avail, size_t left,
                         bool *later)
{
	if (avail < 4) {
		tb_trunc(b, "frag6");
		return 0;
	}
	unsigned off = tr_rd16(p + 2) & 0xfff8;
	tb_put(b, "frag (%u|%zu)", off, left >= 8 ? left - 8 : 0);
	*later = off != 0;
	if (!*later)
		tb_put(b, " ");
	/* Nothing captured after the header: the line ends there, silently. */
	return avail <= 8 ? 0 : 8;
}

static void print_upper(struct trace_buf *b, uint8_t nh, const uint8_t *ip6, const uint8_t *p,
                        size_t avail, size_t left)
{
	switch (nh) {
	case NH_ICMP6:
		print_icmp6(b, ip6, p, avail, left);
		break;
	case NH_TCP:
		print_tcp(b, 6, ip6, p, avail, left);
		break;
	case NH_UDP:
		print_udp(b, 6, ip6, p, avail, left);
		break;
	case NH_IPV4:
		print_ip4(b, p, avail, left);
		break;
	case NH_IPV6:
		print_ip6(b, p, avail, left);
		break;
	case NH_NONE:
		tb_put(b, "no next header");
		break;
	default:
		tb_put(b, " ip-proto-%u %zu", nh, left);
		break;
	}
}

/* The headers after the fixed one, up to the upper layer. */
static void print_chain(struct trace_buf *b, const uint8_t *ip6, size_t avail, size_t len)
{
	uint8_t nh = ip6[6];
	size_t off = IP6_HDRLEN;

	for (;;) {
		const uint8_t *p = ip6 + off;
		size_t cav = avail - off, left = len - off, adv;
		bool later = false;

		switch (nh) {
		case NH_HBH:
			adv = print_opts(b, "HBH", p, cav);
			break;
		case NH_DSTOPT:
			adv = print_opts(b, "DSTOPT", p, cav);
			break;
		case NH_ROUTING:
			adv = print_routing(b, p, cav);
			break;
		case NH_FRAG:
			b->frag = true;
			adv = print_frag(b, p, cav, left, &later);
			if (later)
				return;
			break;
		default:
			print_upper(b, nh, ip6, p, cav, left);
			return;
		}
		if (adv == 0 || adv > cav)
			return;
		nh = p[0];
		off += adv;
	}
}

void print_ip6(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (caplen < IP6_HDRLEN) {
		tb_trunc(b, "ip6");
		return;
	}
	if (!b->link)
		tb_put(b, "IP6 ");
	if (p[0] >> 4 != 6) {
		tb_put(b, "version error: %u != 6", p[0] >> 4);
		return;
	}
	size_t len = (size_t)tr_rd16(p + 4) + IP6_HDRLEN;
	if (len > length) {
		tb_put(b, "[header+payload length %zu > length %zu] (invalid)", len, length);
		return;
	}
	size_t avail = caplen < len ? caplen : len; /* the snapshot ends with the payload */
	uint8_t nh = p[6];

	if (nh != NH_TCP && nh != NH_UDP) {
		tb_ip6addr(b, p + 8);
		tb_put(b, " > ");
		tb_ip6addr(b, p + 24);
		tb_put(b, ": ");
	}
	print_chain(b, p, avail, len);
}
