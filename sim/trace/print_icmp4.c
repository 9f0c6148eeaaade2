/*
 * ICMP (RFC 792, 1191; tcpdump's print-icmp.c) without -v:
 *   "ICMP echo request, id 1, seq 1, length 64"
 *   "ICMP 10.0.0.2 udp port 53 unreachable, length 36"
 *   "ICMP time exceeded in-transit, length 36"
 * The message is composed first and printed whole, as tcpdump does, so a
 * capture that ends inside what it needs prints only " [|icmp]".
 */
#include "trace.h"

#include <stdio.h>

#define ICMP_HDR 8

static const char *icmp_type_name(uint8_t t)
{
	switch (t) {
	case 0: return "echo reply";
	case 3: return "unreachable";
	case 4: return "source quench";
	case 5: return "redirect";
	case 8: return "echo request";
	case 9: return "router advertisement";
	case 10: return "router solicitation";
	case 11: return "time exceeded";
	case 12: return "parameter problem";
	case 13: return "time stamp request";
	case 14: return "time stamp reply";
	case 15: return "information request";
	case 16: return "information reply";
	case 17: return "address mask request";
	case 18: return "address mask reply";
	default: return NULL;
	}
}

/* "%s" stands for the inner packet's destination; 0 = the default wording. */
static const char *unreach_fmt(uint8_t code)
{
	static const char *const f[] = {
		"net %s unreachable", "host %s unreachable", NULL, NULL, NULL,
		"%s unreachable - source route failed", "net %s unreachable - unknown",
		"host %s unreachable - unknown", "%s unreachable - source host isolated",
		"net %s unreachable - admin prohibited", "host %s unreachable - admin prohibited",
		"net %s unreachable - tos prohibited", "host %s unreachable - tos prohibited",
		"host %s unreachable - admin prohibited filter",
		"host %s unreachable - host precedence violation",
		"host %s unreachable - precedence cutoff",
	};
	return code < sizeof f / sizeof f[0] ? f[code] : NULL;
}

static void ip4str(char *s, size_t n, const uint8_t *a)
{
	snprintf(s, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* Destination unreachable: needs the inner IP header (and ports). */
static bool fmt_unreach(char *s, size_t n, const uint8_t *p, size_t caplen)
{
	const uint8_t *oip = p + ICMP_HDR;
	char dst[16];

	if (caplen < ICMP_HDR + 20)
		return false;
	ip4str(dst, sizeof dst, oip + 16);
	uint8_t code = p[1];
	size_t ohl = (size_t)(oip[0] & 0xf) * 4;

	if (code == 2) {
		snprintf(s, n, "%s protocol %u unreachable", dst, oip[9]);
	} else if (code == 3) {
		if (caplen < ICMP_HDR + ohl + 4)
			return false;
		unsigned port = tr_rd16(oip + ohl + 2);
		if (oip[9] == 6 || oip[9] == 17)
			snprintf(s, n, "%s %s port %u unreachable", dst, oip[9] == 6 ? "tcp" : "udp", port);
		else
			snprintf(s, n, "%s protocol %u port %u unreachable", dst, oip[9], port);
	} else if (code == 4) {
		unsigned mtu = tr_rd16(p + 6);
		if (mtu)
			snprintf(s, n, "%s unreachable - need to frag (mtu %u)", dst, mtu);
		else
			snprintf(s, n, "%s unreachable - need to frag", dst);
	} else if (unreach_fmt(code)) {
		snprintf(s, n, unreach_fmt(code), dst);
	} else {
		snprintf(s, n, "%s unreachable - #%u", dst, code);
	}
	return true;
}

static bool fmt_redirect(char *s, size_t n, const uint8_t *p, size_t caplen)
{
	static const char *const f[] = { "redirect %s to net %s", "redirect %s to host %s",
		                         "redirect-tos %s to net %s", "redirect-tos %s to host %s" };
	char dst[16], gw[16];

	if (caplen < ICMP_HDR + 20)
		return false;
	ip4str(dst, sizeof dst, p + ICMP_HDR + 16);
	ip4str(gw, sizeof gw, p + 4);
	if (p[1] < 4)
		snprintf(s, n, f[p[1]], dst, gw);
	else
		snprintf(s, n, "redirect-#%u %s to %s", p[1], dst, gw);
	return true;
}

static bool fmt_message(char *s, size_t n, const uint8_t *p, size_t caplen)
{
	const char *name = icmp_type_name(p[0]);

	switch (p[0]) {
	case 0:
	case 8:
		if (caplen < 8)
			return false;
		snprintf(s, n, "%s, id %u, seq %u", name, tr_rd16(p + 4), tr_rd16(p + 6));
		return true;
	case 3:
		return fmt_unreach(s, n, p, caplen);
	case 5:
		return fmt_redirect(s, n, p, caplen);
	case 11:
		if (caplen < ICMP_HDR + 20) /* tcpdump wants the inner header here */
			return false;
		if (p[1] == 0)
			snprintf(s, n, "time exceeded in-transit");
		else if (p[1] == 1)
			snprintf(s, n, "ip reassembly time exceeded");
		else
			snprintf(s, n, "time exceeded-#%u", p[1]);
		return true;
	case 12:
		if (p[1] == 0) {
			if (caplen < 5)
				return false;
			snprintf(s, n, "parameter problem - octet %u", p[4]);
		} else {
			snprintf(s, n, "parameter problem code %u", p[1]);
		}
		return true;
	default:
		if (name)
			snprintf(s, n, "%s", name);
		else
			snprintf(s, n, "type-#%u", p[0]);
		return true;
	}
}

void print_icmp4(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	char msg[128];

	if (caplen < 2 || !fmt_message(msg, sizeof msg, p, caplen)) {
		tb_trunc(b, "icmp");
		return;
	}
	tb_put(b, "ICMP %s, length %zu", msg, length);
}
