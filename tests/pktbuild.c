/*
 * pktbuild — libnet-built test packets (see pktbuild.h). libnet is used in
 * LIBNET_NONE mode: build top-down (upper layer first, IP header last),
 * then libnet_pblock_coalesce() + copy + libnet_adv_free_packet(), because
 * libnet_adv_cull_packet() refuses that mode.
 */
#include "pktbuild.h"

#include <arpa/inet.h>
#include <libnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned pb_libnet_csum_fixups;

/* ---- RFC 1071 checksum, written for the tests (not the translator's) ---- */

uint32_t pb_sum(const uint8_t *data, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (i < len)
		sum += (uint32_t)data[i] << 8; /* odd byte, padded with zero */
	return sum;
}

uint16_t pb_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

void pb_addr6(const char *text, uint8_t out[16])
{
	if (inet_pton(AF_INET6, text, out) != 1) {
		fprintf(stderr, "pktbuild: bad IPv6 address %s\n", text);
		abort();
	}
}

void pb_addr4(const char *text, uint8_t out[4])
{
	if (inet_pton(AF_INET, text, out) != 1) {
		fprintf(stderr, "pktbuild: bad IPv4 address %s\n", text);
		abort();
	}
}

/* ---- walking a built packet ---- */

static int ip6_is_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

/* Upper-layer offset; *fragment set when the packet is a real fragment. */
static size_t l4_walk(const uint8_t *pkt, size_t len, uint8_t *proto, int *fragment)
{
	*fragment = 0;
	if (len >= 20 && pkt[0] >> 4 == 4) {
		size_t ihl = (size_t)(pkt[0] & 15) * 4;
		*proto = pkt[9];
		*fragment = (rd16(pkt + 6) & 0x3fff) != 0;
		return ihl >= 20 && ihl <= len ? ihl : 0;
	}
	if (len < 40 || pkt[0] >> 4 != 6)
		return 0;
	uint8_t nh = pkt[6];
	size_t off = 40;
	while (ip6_is_ext(nh)) {
		if (off + 8 > len)
			return 0;
		if (nh == 44) {
			if ((rd16(pkt + off + 2) & 0xfff9) != 0)
				*fragment = 1;
			nh = pkt[off];
			off += 8;
		} else {
			uint8_t next = pkt[off];
			off += ((size_t)pkt[off + 1] + 1) * 8;
			nh = next;
		}
	}
	*proto = nh;
	return off <= len ? off : 0;
}

size_t pb_l4_offset(const uint8_t *pkt, size_t len, uint8_t *proto)
{
	int fragment;

	return l4_walk(pkt, len, proto, &fragment);
}

static size_t csum_field(uint8_t proto)
{
	switch (proto) {
	case 6: return 16;
	case 17: return 6;
	case 1: case 58: return 2;
	default: return 0;
	}
}

/* Sum of pseudo-header + upper layer; l4len/off out. -1 when unusable. */
static int l4_sum(const uint8_t *pkt, size_t len, uint32_t *sum, size_t *off_out,
                  uint8_t *proto_out)
{
	uint8_t proto;
	int fragment;
	size_t off = l4_walk(pkt, len, &proto, &fragment);
	size_t end;

	if (off == 0 || fragment || csum_field(proto) == 0)
		return -1;
	end = pkt[0] >> 4 == 4 ? rd16(pkt + 2) : (size_t)rd16(pkt + 4) + 40;
	if (end > len || end < off + csum_field(proto) + 2)
		return -1;
	uint32_t s = 0;
	if (pkt[0] >> 4 == 4 && proto != 1) {
		s = pb_sum(pkt + 12, 8, 0) + proto + (uint32_t)(end - off);
	} else if (pkt[0] >> 4 == 6) {
		s = pb_sum(pkt + 8, 32, 0) + proto + (uint32_t)(end - off);
	}
	*sum = pb_sum(pkt + off, end - off, s);
	*off_out = off;
	*proto_out = proto;
	return 0;
}

int pb_l4_residual(const uint8_t *pkt, size_t len)
{
	uint32_t sum;
	size_t off;
	uint8_t proto;

	if (l4_sum(pkt, len, &sum, &off, &proto) != 0)
		return -1;
	return pb_fold(sum);
}

int pb_l4_csum_ok(const uint8_t *pkt, size_t len)
{
	uint8_t proto;
	int fragment;
	size_t off = l4_walk(pkt, len, &proto, &fragment);

	if (off && pkt[0] >> 4 == 4 && proto == 17 && off + 8 <= len && rd16(pkt + off + 6) == 0)
		return 0; /* "no checksum" is not a valid checksum for our purposes */
	return pb_l4_residual(pkt, len) == 0xffff;
}

int pb_ip4_hdr_ok(const uint8_t *pkt, size_t len)
{
	size_t ihl;

	if (len < 20 || pkt[0] >> 4 != 4)
		return 0;
	ihl = (size_t)(pkt[0] & 15) * 4;
	return ihl >= 20 && ihl <= len && pb_fold(pb_sum(pkt, ihl, 0)) == 0xffff;
}

void pb_fix_ip4_hdr(uint8_t *pkt)
{
	size_t ihl = (size_t)(pkt[0] & 15) * 4;

	wr16(pkt + 10, 0);
	wr16(pkt + 10, (uint16_t)~pb_fold(pb_sum(pkt, ihl, 0)));
}

int pb_set_l4_csum(uint8_t *pkt, size_t len, enum pb_csum mode)
{
	uint32_t sum;
	size_t off;
	uint8_t proto;

	if (l4_sum(pkt, len, &sum, &off, &proto) != 0)
		return -1;
	uint8_t *field = pkt + off + csum_field(proto);
	wr16(field, 0);
	if (l4_sum(pkt, len, &sum, &off, &proto) != 0)
		return -1;
	uint16_t good = (uint16_t)~pb_fold(sum);
	if (good == 0 && proto == 17)
		good = 0xffff; /* RFC 768: a computed zero is sent as all ones */
	switch (mode) {
	case PB_CSUM_OK: wr16(field, good); break;
	case PB_CSUM_ZERO: wr16(field, 0); break;
	case PB_CSUM_BAD: wr16(field, (uint16_t)(good + PB_BAD_DELTA)); break;
	}
	return 0;
}

/* ---- building with libnet ---- */

static libnet_t *pb_open(void)
{
	char err[LIBNET_ERRBUF_SIZE];
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, err);

	if (!l)
		fprintf(stderr, "pktbuild: libnet_init: %s\n", err);
	return l;
}

static size_t pb_finish(libnet_t *l, uint8_t *out, size_t cap)
{
	uint8_t *pkt = NULL;
	uint32_t n = 0;
	size_t len = 0;

	if (libnet_pblock_coalesce(l, &pkt, &n) == -1) {
		fprintf(stderr, "pktbuild: coalesce: %s\n", libnet_geterror(l));
	} else if (n > cap) {
		fprintf(stderr, "pktbuild: packet of %u bytes does not fit\n", n);
		libnet_adv_free_packet(l, pkt);
	} else {
		memcpy(out, pkt, n);
		len = n;
		libnet_adv_free_packet(l, pkt);
	}
	libnet_destroy(l);
	return len;
}

/* The upper layer; returns its length on the wire, or -1. */
static long build_l4(libnet_t *l, const struct pb_l4 *l4)
{
	static const uint8_t nothing[1];
	uint8_t copy[PB_MAX]; /* libnet's ICMPv6 builder wants a non-const payload */
	uint32_t plen = (uint32_t)l4->payload_len;
	const uint8_t *pl = plen ? l4->payload : NULL;
	libnet_ptag_t t;

	if (plen > sizeof copy)
		return -1;
	switch (l4->proto) {
	case 6:
		t = libnet_build_tcp(l4->sport, l4->dport, l4->seq, l4->ack, l4->flags, l4->win,
		                     0, 0, (uint16_t)(LIBNET_TCP_H + plen), pl, plen, l, 0);
		return t == -1 ? -1 : (long)(LIBNET_TCP_H + plen);
	case 17:
		t = libnet_build_udp(l4->sport, l4->dport, (uint16_t)(LIBNET_UDP_H + plen), 0,
		                     pl, plen, l, 0);
		return t == -1 ? -1 : (long)(LIBNET_UDP_H + plen);
	case 1: /* the echo builder writes the generic type/code/sum/word layout */
		t = libnet_build_icmpv4_echo(l4->type, l4->code, 0, (uint16_t)(l4->word >> 16),
		                             (uint16_t)l4->word, pl, plen, l, 0);
		return t == -1 ? -1 : (long)(8 + plen);
	case 58:
		if (plen)
			memcpy(copy, l4->payload, plen);
		t = libnet_build_icmpv6_echo(l4->type, l4->code, 0, (uint16_t)(l4->word >> 16),
		                             (uint16_t)l4->word, plen ? copy : NULL, plen, l, 0);
		return t == -1 ? -1 : (long)(8 + plen);
	default:
		t = libnet_build_data(plen ? pl : nothing, plen, l, 0);
		return t == -1 ? -1 : (long)plen;
	}
}

/* After coalescing: check libnet's upper-layer checksum with our own
 * routine, fix it where libnet was wrong, then apply the requested mode.
 * Observed with libnet 1.1.6: IPv4 and plain IPv6 TCP/UDP/ICMPv6 sums are
 * right; behind IPv6 extension headers they are wrong (pseudo-header
 * taken from the wrong place), so those are recomputed here. */
static void settle_l4_csum(uint8_t *pkt, size_t len, const struct pb_l4 *l4)
{
	if (csum_field(l4->proto) == 0)
		return;
	if (pb_l4_residual(pkt, len) != 0xffff) {
		pb_libnet_csum_fixups++;
		pb_set_l4_csum(pkt, len, PB_CSUM_OK);
	}
	if (l4->csum != PB_CSUM_OK)
		pb_set_l4_csum(pkt, len, l4->csum);
}

static int ip6_has_frag(const struct pb_ip6 *ip)
{
	for (int i = 0; i < ip->next; i++)
		if (ip->ext[i].type == PB_EXT_FRAG)
			return 1;
	return 0;
}

/* Extension headers, innermost first as libnet wants; returns their length. */
static long build_ext6(libnet_t *l, const struct pb_ip6 *ip, uint8_t upper)
{
	static const uint8_t padn6[6] = { 1, 4, 0, 0, 0, 0 }; /* RFC 8200 PadN */
	uint8_t rt[20] = { 0 }; /* 4 reserved bytes + one address, routing type 0 */
	long total = 0;

	pb_addr6("2001:db8:ffff::1", rt + 4);
	for (int i = ip->next - 1; i >= 0; i--) {
		const struct pb_ext *e = &ip->ext[i];
		uint8_t nh = i == ip->next - 1 ? upper : (uint8_t)ip->ext[i + 1].type;
		libnet_ptag_t t = -1;

		switch (e->type) {
		case PB_EXT_HBH:
			t = libnet_build_ipv6_hbhopts(nh, 0, padn6, sizeof padn6, l, 0);
			total += 8;
			break;
		case PB_EXT_DSTOPT:
			t = libnet_build_ipv6_destopts(nh, 0, padn6, sizeof padn6, l, 0);
			total += 8;
			break;
		case PB_EXT_ROUTING:
			t = libnet_build_ipv6_routing(nh, 2, 0, e->segleft, rt, sizeof rt, l, 0);
			total += 24;
			break;
		case PB_EXT_FRAG:
			/* libnet 1.1.6 stores these two fields without htons/htonl:
			 * hand it values already in network byte order. */
			t = libnet_build_ipv6_frag(nh, 0,
			                           htons((uint16_t)((e->frag_off & 0xfff8) | (e->more ? 1 : 0))),
			                           htonl(e->frag_id), NULL, 0, l, 0);
			total += 8;
			break;
		}
		if (t == -1)
			return -1;
	}
	return total;
}

size_t pb_ip6(uint8_t *out, size_t cap, const struct pb_ip6 *ip, const struct pb_l4 *l4)
{
	struct libnet_in6_addr src, dst;
	libnet_t *l = pb_open();
	int frag = ip6_has_frag(ip);
	struct pb_l4 raw = *l4;

	if (!l)
		return 0;
	if (frag)
		raw.proto = 255; /* fragment: payload bytes as given, no header */
	pb_addr6(ip->src, (uint8_t *)&src);
	pb_addr6(ip->dst, (uint8_t *)&dst);
	long l4len = build_l4(l, &raw);
	long extlen = l4len < 0 ? -1 : build_ext6(l, ip, l4->proto);
	uint8_t first = ip->next ? (uint8_t)ip->ext[0].type : l4->proto;
	if (extlen < 0 || libnet_build_ipv6(ip->tclass, ip->flow, (uint16_t)(extlen + l4len), first,
	                                    ip->hlim, src, dst, NULL, 0, l, 0) == -1) {
		fprintf(stderr, "pktbuild: ipv6: %s\n", libnet_geterror(l));
		libnet_destroy(l);
		return 0;
	}
	size_t len = pb_finish(l, out, cap);
	if (len && !frag)
		settle_l4_csum(out, len, l4);
	return len;
}

size_t pb_ip4(uint8_t *out, size_t cap, const struct pb_ip4 *ip, const struct pb_l4 *l4)
{
	uint8_t s[4], d[4];
	uint32_t src, dst;
	libnet_t *l = pb_open();
	int frag = ip->mf || ip->frag_off;
	struct pb_l4 raw = *l4;
	size_t optlen = (ip->optlen + 3) & ~(size_t)3;

	if (!l)
		return 0;
	if (frag)
		raw.proto = 255;
	pb_addr4(ip->src, s);
	pb_addr4(ip->dst, d);
	memcpy(&src, s, 4);
	memcpy(&dst, d, 4);
	long l4len = build_l4(l, &raw);
	uint16_t fl = (uint16_t)((ip->df ? 0x4000 : 0) | (ip->mf ? 0x2000 : 0) | (ip->frag_off >> 3));
	if (l4len < 0 ||
	    (ip->optlen && libnet_build_ipv4_options(ip->opts, (uint32_t)ip->optlen, l, 0) == -1) ||
	    libnet_build_ipv4((uint16_t)(20 + optlen + (size_t)l4len), ip->tos, ip->id, fl, ip->ttl,
	                      l4->proto, 0, src, dst, NULL, 0, l, 0) == -1) {
		fprintf(stderr, "pktbuild: ipv4: %s\n", libnet_geterror(l));
		libnet_destroy(l);
		return 0;
	}
	size_t len = pb_finish(l, out, cap);
	if (len && !pb_ip4_hdr_ok(out, len)) {
		pb_libnet_csum_fixups++;
		pb_fix_ip4_hdr(out);
	}
	if (len && !frag)
		settle_l4_csum(out, len, l4);
	return len;
}
