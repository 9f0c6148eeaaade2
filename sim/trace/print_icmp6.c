/*
 * ICMPv6 (RFC 4443), Neighbor Discovery (RFC 4861) and MLD (RFC 2710,
 * 3810), worded as tcpdump's print-icmp6.c without -v:
 *   "ICMP6, echo request, id 1234, seq 0, length 16"
 *   "ICMP6, neighbor solicitation, who has fe80::1, length 32"
 *   "ICMP6, destination unreachable, unreachable route 2001:db8::9, length 56"
 * A field past the capture ends the line with " [|icmp6]".
 */
#include "trace.h"

#define ICMP6_HDR 8

static const char *icmp6_type_name(uint8_t t)
{
	switch (t) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded in-transit";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 138: return "router renumbering";
	case 141: return "inverse neighbor solicitation";
	case 142: return "inverse neighbor advertisement";
	case 143: return "multicast listener report v2";
	case 200: return "mtrace response";
	case 201: return "mtrace";
	default: return NULL;
	}
}

static const char *unreach_code_name(uint8_t c)
{
	switch (c) {
	case 0: return "unreachable route";
	case 1: return " unreachable prohibited";
	case 2: return "beyond scope";
	case 3: return "unreachable address";
	case 4: return "unreachable port";
	default: return NULL;
	}
}

/* The TCP/UDP header inside an ICMPv6 error's packet, for "udp port 53".
 * Returns the offset of its destination port in p, 0 when not there. */
static size_t inner_port(const uint8_t *p, size_t avail, uint8_t *proto)
{
	if (avail < 40)
		return 0;
	uint8_t nh = p[6];
	size_t off = 40;

	while (off < avail) {
		switch (nh) {
		case 6:
		case 17:
			*proto = nh;
			return off + 4 <= avail ? off + 2 : 0;
		case 0:
		case 43:
		case 60:
			if (off + 2 > avail)
				return 0;
			nh = p[off];
			off += ((size_t)p[off + 1] + 1) * 8;
			break;
		case 44:
			if (off + 4 > avail || (tr_rd16(p + off + 2) & 0xfff8) != 0)
				return 0;
			nh = p[off];
			off += 8;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* Destination Unreachable: the code, then what was unreachable. */
static bool print_unreach(struct trace_buf *b, uint8_t code, const uint8_t *inner, size_t avail)
{
	const char *name = unreach_code_name(code);
	uint8_t proto = 0;
	size_t port;

	if (name)
		tb_put(b, ", %s", name);
	else
		tb_put(b, ", unknown unreach code (%u)", code);
	switch (code) {
	case 0:
	case 1:
	case 3:
		if (avail < 40)
			return false;
		tb_put(b, " ");
		tb_ip6addr(b, inner + 24);
		return true;
	case 2:
		if (avail < 40)
			return false;
		tb_put(b, " ");
		tb_ip6addr(b, inner + 24);
		tb_put(b, ", source address ");
		tb_ip6addr(b, inner + 8);
		return true;
	case 4:
		port = inner_port(inner, avail, &proto);
		if (!port)
			return false;
		tb_put(b, ", ");
		tb_ip6addr(b, inner + 24);
		tb_put(b, " %s port %u", proto == 6 ? "tcp" : "udp", tr_rd16(inner + port));
		return true;
	default:
		return true;
	}
}

/* Time Exceeded and Parameter Problem. */
static bool print_timex(struct trace_buf *b, uint8_t code, const uint8_t *inner, size_t avail)
{
	if (code == 0) {
		if (avail < 40)
			return false;
		tb_put(b, " for ");
		tb_ip6addr(b, inner + 24);
	} else if (code == 1) {
		tb_put(b, " (reassembly)");
	} else {
		tb_put(b, ", unknown code (%u)", code);
	}
	return true;
}

static bool print_paramprob(struct trace_buf *b, const uint8_t *p, size_t caplen)
{
	static const char *const what[] = { "erroneous", "next header", "option" };

	if (caplen < ICMP6_HDR + 40)
		return false;
	if (p[1] < 3)
		tb_put(b, ", %s - octet %u", what[p[1]], tr_rd32(p + 4));
	else
		tb_put(b, ", code-#%u", p[1]);
	return true;
}

/* MLDv1 report/done and the short query: delay and group. */
static bool print_mld(struct trace_buf *b, const uint8_t *p, size_t caplen)
{
	if (caplen < 24)
		return true; /* tcpdump leaves it out silently */
	tb_put(b, "max resp delay: %u addr: ", tr_rd16(p + 4));
	tb_ip6addr(b, p + 8);
	return true;
}

/* MLDv2 query (RFC 3810 5.1): " [gaddr G, N source(s)]". */
static bool print_mld2_query(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (caplen < 24)
		return false;
	tb_put(b, " [gaddr ");
	tb_ip6addr(b, p + 8);
	if (caplen < 28)
		return false;
	unsigned nsrcs = tr_rd16(p + 26);
	if (nsrcs > 0) {
		if (length < 28 + (size_t)nsrcs * 16)
			tb_put(b, " invalid number of sources");
		else
			tb_put(b, ", %u source(s)", nsrcs);
	}
	tb_put(b, "]");
	return true;
}

/* Type-specific part; false when it ran off the capture. */
static bool print_body(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	const uint8_t *inner = p + ICMP6_HDR;
	size_t iav = caplen > ICMP6_HDR ? caplen - ICMP6_HDR : 0;

	switch (p[0]) {
	case 1:
		return caplen >= 2 && print_unreach(b, p[1], inner, iav);
	case 2:
		if (caplen < 8)
			return false;
		tb_put(b, ", mtu %u", tr_rd32(p + 4));
		return true;
	case 3:
		return caplen >= 2 && print_timex(b, p[1], inner, iav);
	case 4:
		return print_paramprob(b, p, caplen);
	case 128:
	case 129:
		if (caplen < 8)
			return false;
		tb_put(b, ", id %u, seq %u", tr_rd16(p + 4), tr_rd16(p + 6));
		return true;
	case 130:
		if (length == 24)
			return print_mld(b, p, caplen);
		if (length < 28) {
			tb_put(b, " unknown-version (len %zu) ", length);
			return true;
		}
		tb_put(b, " v2");
		return print_mld2_query(b, p, caplen, length);
	case 131:
	case 132:
		return print_mld(b, p, caplen);
	case 135:
	case 136:
		if (caplen < 24)
			return false;
		tb_put(b, p[0] == 135 ? ", who has " : ", tgt is ");
		tb_ip6addr(b, p + 8);
		return true;
	case 137:
		if (caplen < 40)
			return false;
		tb_put(b, ", ");
		tb_ip6addr(b, p + 24); /* the destination, then the better first hop */
		tb_put(b, " to ");
		tb_ip6addr(b, p + 8);
		return true;
	case 143:
		if (caplen < 8)
			return false;
		tb_put(b, ", %u group record(s)", tr_rd16(p + 6));
		return true;
	default:
		return true;
	}
}

void print_icmp6(struct trace_buf *b, const uint8_t *ip6, const uint8_t *p, size_t caplen,
                 size_t length)
{
	(void)ip6; /* checksum verification is tcpdump -vv's; not shown here */
	if (length == 0) {
		tb_put(b, "ICMP6, length 0 (invalid)");
		return;
	}
	if (caplen < 1) {
		tb_trunc(b, "icmp6");
		return;
	}
	const char *name = icmp6_type_name(p[0]);

	if (name)
		tb_put(b, "ICMP6, %s", name);
	else
		tb_put(b, "ICMP6, unknown icmp6 type (%u)", p[0]);
	if (caplen < 2 || !print_body(b, p, caplen, length)) {
		tb_trunc(b, "icmp6");
		return;
	}
	if (p[0] == 1 && !unreach_code_name(p[1]))
		return; /* tcpdump hex-dumps the rest instead of a length */
	tb_put(b, ", length %zu", length);
}
