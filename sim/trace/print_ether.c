/*
 * Ethernet II (tcpdump's print-ether.c): with_link prints the header like
 * tcpdump -e ("SRC > DST, ethertype IPv6 (0x86dd), length 86: "); the
 * ethertype picks the next printer.
 */
#include "trace.h"

#define ETHER_HDRLEN 14

static const char *ethertype_name(uint16_t type)
{
	switch (type) {
	case 0x0800: return "IPv4";
	case 0x0806: return "ARP";
	case 0x86dd: return "IPv6";
	case 0x8100: return "802.1Q";
	case 0x8863: return "PPPoE D";
	case 0x8864: return "PPPoE S";
	default: return "Unknown";
	}
}

static void print_link_header(struct trace_buf *b, const uint8_t *p, uint16_t type,
                              size_t wirelen)
{
	tb_mac(b, p + 6);
	tb_put(b, " > ");
	tb_mac(b, p);
	tb_put(b, ", ethertype %s (0x%04x), length %zu: ", ethertype_name(type), type, wirelen);
}

/* The payload's printer by ethertype; false for a type tcpdump has no
 * printer for (the caller prints the generic form). */
static bool print_ethertype(struct trace_buf *b, uint16_t type, const uint8_t *p, size_t caplen,
                            size_t length)
{
	switch (type) {
	case 0x0800:
		print_ip4(b, p, caplen, length);
		return true;
	case 0x86dd:
		print_ip6(b, p, caplen, length);
		return true;
	case 0x0806:
		print_arp(b, p, caplen, length);
		return true;
	case 0x8863: /* PPPoE discovery */
	case 0x8864: /* PPPoE session: PPP follows */
		print_pppoe(b, p, caplen, length);
		return true;
	default:
		return false;
	}
}

void print_ether(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t wirelen,
                 bool with_link)
{
	if (caplen < ETHER_HDRLEN) {
		tb_trunc(b, "ether");
		return;
	}
	uint16_t type = tr_rd16(p + 12);

	if (with_link)
		print_link_header(b, p, type, wirelen);
	if (type < 0x0600) {
		/* 802.3 length field: LLC is not a protocol of the simulator. */
		if (!with_link) {
			tb_mac(b, p + 6);
			tb_put(b, " > ");
			tb_mac(b, p);
			tb_put(b, ", 802.3, length %u:", type);
		}
		tb_put(b, " LLC");
		return;
	}
	if (!print_ethertype(b, type, p + ETHER_HDRLEN, caplen - ETHER_HDRLEN,
	                     wirelen - ETHER_HDRLEN)) {
		if (!with_link)
			print_link_header(b, p, type, wirelen);
		/* tcpdump follows with a hex dump; a one-line trace ends here. */
		if (b->n > 0 && b->n < b->cap && b->s[b->n - 1] == ' ')
			b->s[--b->n] = '\0';
	}
}
