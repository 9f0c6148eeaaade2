/*
 * ARP over Ethernet for IPv4 (RFC 826; tcpdump's print-arp.c):
 * "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
 * "ARP, Reply 10.0.0.2 is-at 00:11:22:33:44:55, length 28".
 */
#include "trace.h"

#define ARP_FIXED 8 /* hrd, pro, hln, pln, op */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static const char *arp_op_name(uint16_t op)
{
	switch (op) {
	case 1: return "Request";
	case 2: return "Reply";
	case 3: return "Reverse Request";
	case 4: return "Reverse Reply";
	case 8: return "Inverse Request";
	case 9: return "Inverse Reply";
	case 10: return "NACK Reply";
	default: return NULL;
	}
}

static void print_hw(struct trace_buf *b, const uint8_t *a, size_t n)
{
	if (n == 6) {
		tb_mac(b, a);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tb_put(b, i ? ":%02x" : "%02x", a[i]);
}

void print_arp(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (caplen < ARP_FIXED) {
		tb_trunc(b, "arp");
		return;
	}
	uint16_t hrd = tr_rd16(p), pro = tr_rd16(p + 2), op = tr_rd16(p + 6);
	size_t hln = p[4], pln = p[5];
	const uint8_t *sha = p + ARP_FIXED, *spa = sha + hln, *tha = spa + pln, *tpa = tha + hln;

	if (caplen < ARP_FIXED + 2 * hln + 2 * pln) {
		tb_trunc(b, "arp");
		return;
	}
	if (!b->link)
		tb_put(b, "ARP, "); /* with -e the ethertype said it */
	if (pro != 0x0800 || pln != 4 || hln == 0) {
		tb_put(b, "%s (len %zu), %s (len %zu)", hrd == 1 ? "Ethernet" : "Unknown Hardware",
		       hln, pro == 0x0800 ? "IPv4" : "Unknown Protocol", pln);
	} else if (op == 1) {
		tb_put(b, "Request who-has ");
		tb_ip4addr(b, tpa);
		if (!all_zero(tha, hln)) {
			tb_put(b, " (");
			print_hw(b, tha, hln);
			tb_put(b, ")");
		}
		tb_put(b, " tell ");
		tb_ip4addr(b, spa);
	} else if (op == 2) {
		tb_put(b, "Reply ");
		tb_ip4addr(b, spa);
		tb_put(b, " is-at ");
		print_hw(b, sha, hln);
	} else if (arp_op_name(op)) {
		tb_put(b, "%s", arp_op_name(op));
	} else {
		tb_put(b, "Unknown (%u) arp-#%u", op, op);
	}
	tb_put(b, ", length %zu", length);
}
