/*
 * Link layer fields: Ethernet II (eth.dst, eth.src, eth.type), 802.1Q
 * tags, Linux cooked captures (sll.*, what `tcpdump -i any` writes) and
 * ARP (RFC 826: arp.opcode, arp.src.hw_mac, arp.src.proto_ipv4, ...).
 * The ethertype picks the next walker.
 */
#include "fields.h"

#define ETHER_HDRLEN 14
#define ARP_FIXED 8

void pdf_ethertype(struct pd_fields *fs, uint16_t type, size_t off, size_t end)
{
	switch (type) {
	case 0x0800:
		pdf_ip4(fs, off, end);
		break;
	case 0x86dd:
		pdf_ip6(fs, off, end);
		break;
	case 0x0806:
		pdf_arp(fs, off, end);
		break;
	case 0x8863:
	case 0x8864:
		pdf_pppoe(fs, off, end);
		break;
	default:
		pd_rest(fs, "eth.payload", off, end);
		break;
	}
}

void pdf_ether(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + ETHER_HDRLEN) {
		pd_rest(fs, "eth.truncated", off, end);
		return;
	}
	pd_add(fs, "eth.dst", off, 6, PD_MAC);
	pd_add(fs, "eth.src", off + 6, 6, PD_MAC);
	size_t at = off + 12;
	uint16_t type = pd_rd16(fs->pkt + at);
	/* 802.1Q: the tag, then the real type (one level, as the sim never
	 * stacks them; a second tag is walked the same way). */
	while ((type == 0x8100 || type == 0x88a8) && end >= at + 6) {
		pd_add(fs, "vlan.tpid", at, 2, PD_HEX);
		pd_bits(fs, "vlan.priority", at + 2, 2, 13, 0x7, PD_DEC);
		pd_bits(fs, "vlan.dei", at + 2, 2, 12, 0x1, PD_DEC);
		pd_bits(fs, "vlan.id", at + 2, 2, 0, 0xfff, PD_DEC);
		at += 4;
		type = pd_rd16(fs->pkt + at);
	}
	pd_add(fs, "eth.type", at, 2, PD_HEX);
	if (type < 0x0600) {
		/* 802.3 length: LLC is not a protocol of the simulator. */
		pd_rest(fs, "eth.llc", at + 2, end);
		return;
	}
	pdf_ethertype(fs, type, at + 2, end);
}

void pdf_sll(struct pd_fields *fs, size_t off, size_t end, int version)
{
	size_t hlen = version == 1 ? 16 : 20;

	if (end < off + hlen) {
		pd_rest(fs, "sll.truncated", off, end);
		return;
	}
	if (version == 1) {
		pd_add(fs, "sll.pkttype", off, 2, PD_DEC);
		pd_add(fs, "sll.hatype", off + 2, 2, PD_DEC);
		pd_add(fs, "sll.halen", off + 4, 2, PD_DEC);
		pd_add(fs, "sll.src", off + 6, 8, PD_BYTES);
		pd_add(fs, "sll.etype", off + 14, 2, PD_HEX);
		pdf_ethertype(fs, pd_rd16(fs->pkt + off + 14), off + 16, end);
		return;
	}
	pd_add(fs, "sll.etype", off, 2, PD_HEX);
	pd_add(fs, "sll.reserved", off + 2, 2, PD_HEX);
	pd_add(fs, "sll.ifindex", off + 4, 4, PD_DEC);
	pd_add(fs, "sll.hatype", off + 8, 2, PD_DEC);
	pd_add(fs, "sll.pkttype", off + 10, 1, PD_DEC);
	pd_add(fs, "sll.halen", off + 11, 1, PD_DEC);
	pd_add(fs, "sll.src", off + 12, 8, PD_BYTES);
	pdf_ethertype(fs, pd_rd16(fs->pkt + off), off + 20, end);
}

/* Hardware and protocol addresses: names by what they hold for Ethernet
 * and IPv4, plain bytes for anything else. */
static void arp_addr(struct pd_fields *fs, const char *who, size_t off, size_t hln, size_t pln)
{
	pd_addf(fs, off, hln, hln == 6 ? PD_MAC : PD_BYTES, "arp.%s.hw_mac", who);
	pd_addf(fs, off + hln, pln, pln == 4 ? PD_IP4 : PD_BYTES, "arp.%s.proto_ipv4", who);
}

void pdf_arp(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + ARP_FIXED) {
		pd_rest(fs, "arp.truncated", off, end);
		return;
	}
	const uint8_t *p = fs->pkt + off;
	size_t hln = p[4], pln = p[5];

	pd_add(fs, "arp.hw.type", off, 2, PD_DEC);
	pd_add(fs, "arp.proto.type", off + 2, 2, PD_HEX);
	pd_add(fs, "arp.hw.size", off + 4, 1, PD_DEC);
	pd_add(fs, "arp.proto.size", off + 5, 1, PD_DEC);
	pd_add(fs, "arp.opcode", off + 6, 2, PD_DEC);
	size_t need = ARP_FIXED + 2 * (hln + pln);
	if (end < off + need) {
		pd_rest(fs, "arp.truncated", off + ARP_FIXED, end);
		return;
	}
	arp_addr(fs, "src", off + ARP_FIXED, hln, pln);
	arp_addr(fs, "dst", off + ARP_FIXED + hln + pln, hln, pln);
	pd_rest(fs, "frame.trailer", off + need, end);
}
