/*
 * DHCPv6 (RFC 8415; tcpdump's print-dhcp6.c without -v): "dhcp6 solicit",
 * "dhcp6 advertise", "dhcp6 request", "dhcp6 reply", "dhcp6 renew", ...
 * and "dhcp6 msgtype-N" for a type tcpdump does not name.
 */
#include "trace.h"
#include "../net/dhcp6.h"

void print_dhcp6(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	char nb[24];
	tb_put(b, "dhcp6");
	if (caplen < 1 || length < 1) {
		tb_trunc(b, "dhcp6");
		return;
	}
	tb_put(b, " %s", dhcp6_msg_tcpdump_name(p[0], nb, sizeof nb));
}
