/*
 * Network layer fields: IPv4 (RFC 791: ip.version, ip.hdr_len, ip.dsfield,
 * ip.len, ip.id, ip.flags, ip.frag_offset, ip.ttl, ip.proto, ip.checksum,
 * ip.src, ip.dst, ip.options) and IPv6 (RFC 8200: ip6.version, ip6.tclass,
 * ip6.flow, ip6.plen, ip6.nxt, ip6.hlim, ip6.src, ip6.dst and the
 * extension headers ip6.hopopts.*, ip6.dstopts.*, ip6.routing.*,
 * ip6.fragment.*). The walk stops at the length the header declares: the
 * bytes after it (Ethernet padding) are "frame.trailer". A later fragment's
 * bytes are opaque; a first fragment's upper layer is walked as far as it
 * goes. IP inside IP (6in4, ICMP quotes) is walked again, to PD_MAX_DEPTH.
 */
#include "fields.h"

#include <stdio.h>

#define IP4_HDRLEN 20
#define IP6_HDRLEN 40

enum { P_ICMP = 1, P_IPV4 = 4, P_TCP = 6, P_UDP = 17, P_IPV6 = 41, P_ICMP6 = 58 };
enum { NH_HBH = 0, NH_ROUTING = 43, NH_FRAG = 44, NH_DSTOPT = 60 };

void pdf_upper(struct pd_fields *fs, uint8_t proto, size_t off, size_t end)
{
	switch (proto) {
	case P_TCP:
		pdf_tcp(fs, off, end);
		break;
	case P_UDP:
		pdf_udp(fs, off, end);
		break;
	case P_ICMP:
		pdf_icmp4(fs, off, end);
		break;
	case P_ICMP6:
		pdf_icmp6(fs, off, end);
		break;
	case P_IPV4:
		pdf_ip4(fs, off, end);
		break;
	case P_IPV6:
		pdf_ip6(fs, off, end);
		break;
	default:
		pd_rest(fs, "ip.payload", off, end);
		break;
	}
}

void pdf_ip_raw(struct pd_fields *fs, size_t off, size_t end)
{
	if (end <= off) {
		return;
	}
	switch (fs->pkt[off] >> 4) {
	case 4:
		pdf_ip4(fs, off, end);
		break;
	case 6:
		pdf_ip6(fs, off, end);
		break;
	default:
		pd_rest(fs, "ip.unknown_version", off, end);
		break;
	}
}

/* Enter one more IP header, or say no (the bytes are then opaque). */
static bool enter(struct pd_fields *fs, const char *name, size_t off, size_t end)
{
	if (fs->depth >= PD_MAX_DEPTH) {
		pd_rest(fs, name, off, end);
		return false;
	}
	fs->depth++;
	return true;
}

static void ip4_fixed(struct pd_fields *fs, size_t off)
{
	pd_bits(fs, "ip.version", off, 1, 4, 0xf, PD_DEC);
	pd_bits(fs, "ip.hdr_len", off, 1, 0, 0xf, PD_DEC);
	pd_add(fs, "ip.dsfield", off + 1, 1, PD_HEX);
	pd_add(fs, "ip.len", off + 2, 2, PD_DEC);
	pd_add(fs, "ip.id", off + 4, 2, PD_HEX);
	pd_bits(fs, "ip.flags", off + 6, 2, 13, 0x7, PD_HEX);
	pd_bits(fs, "ip.frag_offset", off + 6, 2, 0, 0x1fff, PD_DEC);
	pd_add(fs, "ip.ttl", off + 8, 1, PD_DEC);
	pd_add(fs, "ip.proto", off + 9, 1, PD_DEC);
	pd_add(fs, "ip.checksum", off + 10, 2, PD_HEX);
	pd_add(fs, "ip.src", off + 12, 4, PD_IP4);
	pd_add(fs, "ip.dst", off + 16, 4, PD_IP4);
}

void pdf_ip4(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + IP4_HDRLEN) {
		pd_rest(fs, "ip.truncated", off, end);
		return;
	}
	if (!enter(fs, "ip.encapsulated", off, end))
		return;
	const uint8_t *p = fs->pkt + off;
	size_t hl = (size_t)(p[0] & 0xf) * 4, tot = pd_rd16(p + 2);
	size_t frag = pd_rd16(p + 6) & 0x1fff;

	ip4_fixed(fs, off);
	if (hl < IP4_HDRLEN)
		hl = IP4_HDRLEN;    /* a bad hdr_len: compare the rest as payload */
	size_t pend = tot > hl ? off + tot : off + hl;
	if (pend > end)
		pend = end;
	size_t hend = off + hl < pend ? off + hl : pend;
	pd_rest(fs, "ip.options", off + IP4_HDRLEN, hend);
	if (frag != 0)
		pd_rest(fs, "ip.fragment", hend, pend);
	else
		pdf_upper(fs, p[9], hend, pend);
	pd_rest(fs, "frame.trailer", pend, end);
	fs->depth--;
}

/* Options headers and routing: next header, length, the rest as bytes
 * (the routing header's type and segments left named, they change). */
static size_t ext_generic(struct pd_fields *fs, const char *pfx, uint8_t nh, size_t off,
                          size_t pend)
{
	if (pend < off + 8)
		return 0;
	size_t hlen = ((size_t)fs->pkt[off + 1] + 1) * 8;
	if (pend < off + hlen)
		return 0;
	pd_addf(fs, off, 1, PD_DEC, "%s.nxt", pfx);
	pd_addf(fs, off + 1, 1, PD_DEC, "%s.len", pfx);
	if (nh == NH_ROUTING) {
		pd_addf(fs, off + 2, 1, PD_DEC, "%s.type", pfx);
		pd_addf(fs, off + 3, 1, PD_DEC, "%s.segleft", pfx);
		pd_rest(fs, "ip6.routing.data", off + 4, off + hlen);
	} else {
		char name[PD_NAME_MAX];
		snprintf(name, sizeof name, "%s.options", pfx);
		pd_rest(fs, name, off + 2, off + hlen);
	}
	return hlen;
}

static size_t ext_frag(struct pd_fields *fs, size_t off, size_t pend, bool *later)
{
	if (pend < off + 8)
		return 0;
	pd_add(fs, "ip6.fragment.nxt", off, 1, PD_DEC);
	pd_add(fs, "ip6.fragment.reserved", off + 1, 1, PD_HEX);
	pd_bits(fs, "ip6.fragment.offset", off + 2, 2, 3, 0x1fff, PD_DEC);
	pd_bits(fs, "ip6.fragment.res", off + 2, 2, 1, 0x3, PD_DEC);
	pd_bits(fs, "ip6.fragment.more", off + 2, 2, 0, 0x1, PD_DEC);
	pd_add(fs, "ip6.fragment.id", off + 4, 4, PD_HEX);
	*later = (pd_rd16(fs->pkt + off + 2) & 0xfff8) != 0;
	return 8;
}

/* The extension headers, then the upper layer. */
static void ip6_chain(struct pd_fields *fs, uint8_t nh, size_t off, size_t pend)
{
	for (;;) {
		size_t adv;
		bool later = false;

		if (nh == NH_HBH)
			adv = ext_generic(fs, "ip6.hopopts", nh, off, pend);
		else if (nh == NH_DSTOPT)
			adv = ext_generic(fs, "ip6.dstopts", nh, off, pend);
		else if (nh == NH_ROUTING)
			adv = ext_generic(fs, "ip6.routing", nh, off, pend);
		else if (nh == NH_FRAG)
			adv = ext_frag(fs, off, pend, &later);
		else {
			pdf_upper(fs, nh, off, pend);
			return;
		}
		if (adv == 0) {
			pd_rest(fs, "ip6.truncated", off, pend);
			return;
		}
		if (later) {
			pd_rest(fs, "ip6.fragment.data", off + adv, pend);
			return;
		}
		nh = fs->pkt[off];
		off += adv;
	}
}

void pdf_ip6(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + IP6_HDRLEN) {
		pd_rest(fs, "ip6.truncated", off, end);
		return;
	}
	if (!enter(fs, "ip6.encapsulated", off, end))
		return;
	const uint8_t *p = fs->pkt + off;

	pd_bits(fs, "ip6.version", off, 4, 28, 0xf, PD_DEC);
	pd_bits(fs, "ip6.tclass", off, 4, 20, 0xff, PD_HEX);
	pd_bits(fs, "ip6.flow", off, 4, 0, 0xfffff, PD_HEX);
	pd_add(fs, "ip6.plen", off + 4, 2, PD_DEC);
	pd_add(fs, "ip6.nxt", off + 6, 1, PD_DEC);
	pd_add(fs, "ip6.hlim", off + 7, 1, PD_DEC);
	pd_add(fs, "ip6.src", off + 8, 16, PD_IP6);
	pd_add(fs, "ip6.dst", off + 24, 16, PD_IP6);
	size_t pend = off + IP6_HDRLEN + pd_rd16(p + 4);
	if (pend > end)
		pend = end;
	ip6_chain(fs, p[6], off + IP6_HDRLEN, pend);
	pd_rest(fs, "frame.trailer", pend, end);
	fs->depth--;
}
