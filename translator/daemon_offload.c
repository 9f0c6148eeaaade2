/*
 * TUN offloads: the virtio-net header in front of every packet when the
 * device is opened with IFF_VNET_HDR (tun_linux.c).
 *
 * Why: with TUN_F_TSO6 the kernel hands us a whole TCP
 * super-packet (up to 64 KB, many segments) in one read; we translate its
 * headers once and write one IPv4 super-packet that the kernel cuts into
 * segments (or passes as is to a veth that takes GSO). With TUN_F_CSUM
 * the kernel no longer computes checksums for us either: a packet may
 * arrive CHECKSUM_PARTIAL, its TCP/UDP checksum field holding only the
 * pseudo-header sum, to be completed by whoever sends it on the wire.
 *
 * libnat6to4 updates TCP/UDP checksums incrementally (RFC 1624), which is
 * exactly what a partial checksum needs too — once flipped: the core
 * treats the field as a complemented checksum C, so we hand it ~P (P the
 * partial sum) and flip its result back. Worked through: the core stores
 * ~(~C + ~m + m') = ~(P + ~m + m'), flipped gives P + ~m + m', the
 * partial sum over the new pseudo-header. Anything else partial (not
 * TCP/UDP, or an IPv4 packet the core might fragment into IPv6 fragments,
 * which must carry a finished checksum) is completed here in software.
 *
 * The core is not told any of this: IPv4 packets are never handed to us as
 * super-packets (no TSO4 is asked for), so its mtu6 checks only ever see
 * real packet sizes; the IPv6 super-packets go 6->4, where the core has no
 * size limit to apply (the kernel's IPv4 output does, per segment).
 */
#include "daemon.h"
#include "internal.h"

#include <linux/virtio_net.h>
#include <string.h>

#define PROTO_TCP 6
#define PROTO_UDP 17

/* Where the upper-layer header starts and which protocol it is; 0 when
 * the packet is not plain IPv4 or IPv6 followed directly by TCP/UDP. */
static size_t plain_l4(const uint8_t *pkt, size_t len, uint8_t *proto)
{
	if (len >= 20 && pkt[0] >> 4 == 4) {
		size_t ihl = (size_t)(pkt[0] & 15) * 4;
		*proto = pkt[9];
		return ihl >= 20 && ihl < len ? ihl : 0;
	}
	if (len >= 40 && pkt[0] >> 4 == 6) {
		*proto = pkt[6];
		return 40;
	}
	return 0;
}

/* Finish a partial checksum: the field already holds the pseudo-header sum. */
static void complete_checksum(uint8_t *pkt, size_t len, size_t start, size_t field, bool udp)
{
	uint16_t c = csum_finish(csum_add(0, pkt + start, len - start));

	if (udp && c == 0)
		c = 0xffff; /* zero means "no checksum" to UDP over IPv4 */
	memcpy(pkt + field, &c, 2);
}

static void flip(uint8_t *field)
{
	uint16_t v;

	memcpy(&v, field, 2);
	v = (uint16_t)~v;
	/* ~P == 0 would read as "no UDP checksum" to the core: use the other
	 * ones'-complement zero for P instead (0x0000 for 0xffff). */
	if (v == 0)
		v = 0xffff;
	memcpy(field, &v, 2);
}

int offload_prepare(struct offload_pkt *op, uint8_t *pkt, size_t len,
                    const nat6to4_config *cfg)
{
	const struct virtio_net_hdr *h = &op->in;
	bool gso = h->gso_type != VIRTIO_NET_HDR_GSO_NONE;
	uint8_t proto = 0;

	op->partial = false;
	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return gso ? -1 : 0; /* a super-packet always comes partial */
	size_t start = h->csum_start, field = start + h->csum_offset;
	if (start > len || field + 2 > len)
		return -1; /* the kernel never does this; counted and dropped */
	size_t l4 = plain_l4(pkt, len, &proto);
	bool tcp_udp = l4 != 0 && l4 == start && (proto == PROTO_TCP || proto == PROTO_UDP);
	/* 4->6 bigger than mtu6 may leave as IPv6 fragments: finish it now. */
	bool may_fragment = pkt[0] >> 4 == 4 && len - start + 40 > cfg->mtu6;
	if (!tcp_udp || may_fragment) {
		if (gso)
			return -1; /* only IPv6 TCP/UDP super-packets are asked for */
		complete_checksum(pkt, len, start, field, proto == PROTO_UDP);
		return 0;
	}
	flip(pkt + field);
	op->partial = true;
	return 0;
}

/* The virtio-net header for a GSO super-packet's translation. */
static void gso_header(const struct virtio_net_hdr *in, const uint8_t *out, size_t l4,
                       struct virtio_net_hdr *oh)
{
	uint8_t ecn = in->gso_type & VIRTIO_NET_HDR_GSO_ECN;
	uint8_t type = in->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
	bool to4 = out[0] >> 4 == 4;

	if (type == VIRTIO_NET_HDR_GSO_TCPV4 || type == VIRTIO_NET_HDR_GSO_TCPV6)
		type = to4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
	oh->gso_type = (uint8_t)(type | ecn);
	oh->gso_size = in->gso_size;
	/* Headers grow or shrink by the IP header's change; the L4 header stays. */
	size_t l4_hdr = in->hdr_len > in->csum_start ? in->hdr_len - in->csum_start : 0;
	oh->hdr_len = (uint16_t)(l4 + l4_hdr);
}

size_t offload_finish(const struct offload_pkt *op, const uint8_t *out, size_t len,
                      bool translated, struct virtio_net_hdr *oh, uint16_t *field)
{
	uint8_t proto = 0;

	memset(oh, 0, sizeof *oh);
	if (!op->partial || !translated)
		return 0; /* finished checksums: ICMP errors, untouched packets */
	size_t l4 = plain_l4(out, len, &proto);
	size_t at = l4 + op->in.csum_offset;
	if (l4 == 0 || at + 2 > len)
		return 0;
	memcpy(field, out + at, 2);
	flip((uint8_t *)field);
	oh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	oh->csum_start = (uint16_t)l4;
	oh->csum_offset = op->in.csum_offset;
	if (op->in.gso_type != VIRTIO_NET_HDR_GSO_NONE)
		gso_header(&op->in, out, l4, oh);
	return at;
}
