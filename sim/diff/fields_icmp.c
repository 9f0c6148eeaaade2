/*
 * ICMP fields: ICMPv4 (RFC 792: icmp.type, icmp.code, icmp.checksum,
 * icmp.ident, icmp.seq, icmp.mtu, the quoted packet walked as IP) and
 * ICMPv6 (RFC 4443, RFC 4861: icmp6.type, icmp6.code, icmp6.checksum,
 * icmp6.echo.id, icmp6.echo.seq, icmp6.mtu, icmp6.nd.target, icmp6.ra.*,
 * and ND options as "icmp6.option slla", "icmp6.option prefix valid",
 * "icmp6.option mtu", each with its "type" and "length" bytes).
 */
#include "fields.h"

#include <stdio.h>

#define ICMP_HDR 8

static void common(struct pd_fields *fs, const char *pfx, size_t off)
{
	pd_addf(fs, off, 1, PD_DEC, "%s.type", pfx);
	pd_addf(fs, off + 1, 1, PD_DEC, "%s.code", pfx);
	pd_addf(fs, off + 2, 2, PD_HEX, "%s.checksum", pfx);
}

void pdf_icmp4(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + ICMP_HDR) {
		pd_rest(fs, "icmp.truncated", off, end);
		return;
	}
	uint8_t type = fs->pkt[off], code = fs->pkt[off + 1];

	common(fs, "icmp", off);
	switch (type) {
	case 0:
	case 8:
	case 13:
	case 14:
		pd_add(fs, "icmp.ident", off + 4, 2, PD_DEC);
		pd_add(fs, "icmp.seq", off + 6, 2, PD_DEC);
		pd_rest(fs, "icmp.data", off + 8, end);
		return;
	case 3:
	case 4:
	case 5:
	case 11:
	case 12:
		if (type == 3 && code == 4) {
			pd_add(fs, "icmp.unused", off + 4, 2, PD_HEX);
			pd_add(fs, "icmp.mtu", off + 6, 2, PD_DEC);
		} else if (type == 5) {
			pd_add(fs, "icmp.redir_gw", off + 4, 4, PD_IP4);
		} else if (type == 12) {
			pd_add(fs, "icmp.pointer", off + 4, 1, PD_DEC);
			pd_add(fs, "icmp.unused", off + 5, 3, PD_HEX);
		} else {
			pd_add(fs, "icmp.unused", off + 4, 4, PD_HEX);
		}
		pdf_ip_raw(fs, off + 8, end);   /* the packet in error */
		return;
	default:
		pd_add(fs, "icmp.rest", off + 4, 4, PD_HEX);
		pd_rest(fs, "icmp.data", off + 8, end);
		return;
	}
}

static const char *nd_opt_name(uint8_t type, char *buf, size_t len)
{
	switch (type) {
	case 1: return "slla";
	case 2: return "tlla";
	case 3: return "prefix";
	case 4: return "redirected";
	case 5: return "mtu";
	case 25: return "rdnss";
	case 31: return "dnssl";
	default:
		snprintf(buf, len, "%u", type);
		return buf;
	}
}

/* The value of one ND option, [off, oend) after its type and length. */
static void nd_opt_value(struct pd_fields *fs, uint8_t type, const char *n, size_t off,
                         size_t oend)
{
	if ((type == 1 || type == 2) && oend - off == 6) {
		pd_addf(fs, off, 6, PD_MAC, "icmp6.option %s", n);
	} else if (type == 3 && oend - off == 30) {
		pd_addf(fs, off, 1, PD_DEC, "icmp6.option %s prefixlen", n);
		pd_addf(fs, off + 1, 1, PD_HEX, "icmp6.option %s flags", n);
		pd_addf(fs, off + 2, 4, PD_DEC, "icmp6.option %s valid", n);
		pd_addf(fs, off + 6, 4, PD_DEC, "icmp6.option %s preferred", n);
		pd_addf(fs, off + 10, 4, PD_HEX, "icmp6.option %s reserved", n);
		pd_addf(fs, off + 14, 16, PD_IP6, "icmp6.option %s", n);
	} else if (type == 5 && oend - off == 6) {
		pd_addf(fs, off, 2, PD_HEX, "icmp6.option %s reserved", n);
		pd_addf(fs, off + 2, 4, PD_DEC, "icmp6.option %s", n);
	} else if (type == 25 && oend - off >= 6 && (oend - off - 6) % 16 == 0) {
		pd_addf(fs, off, 2, PD_HEX, "icmp6.option %s reserved", n);
		pd_addf(fs, off + 2, 4, PD_DEC, "icmp6.option %s lifetime", n);
		for (size_t a = off + 6; a < oend; a += 16)
			pd_addf(fs, a, 16, PD_IP6, "icmp6.option %s", n);
	} else if (off < oend) {
		pd_addf(fs, off, oend - off, PD_BYTES, "icmp6.option %s", n);
	}
}

static void nd_options(struct pd_fields *fs, size_t off, size_t end)
{
	while (off < end) {
		char nb[8];
		if (end - off < 2 || fs->pkt[off + 1] == 0 ||
		    end - off < (size_t)fs->pkt[off + 1] * 8) {
			pd_rest(fs, "icmp6.option malformed", off, end);
			return;
		}
		uint8_t type = fs->pkt[off];
		size_t olen = (size_t)fs->pkt[off + 1] * 8;
		const char *n = nd_opt_name(type, nb, sizeof nb);

		pd_addf(fs, off, 1, PD_DEC, "icmp6.option %s type", n);
		pd_addf(fs, off + 1, 1, PD_DEC, "icmp6.option %s length", n);
		nd_opt_value(fs, type, n, off + 2, off + olen);
		off += olen;
	}
}

/* ND message bodies: the fixed part, then options from the returned offset. */
static size_t nd_body(struct pd_fields *fs, uint8_t type, size_t off, size_t end)
{
	size_t need = type == 134 ? 16 : type == 137 ? 40 : type == 133 ? 8 : 24;

	if (end < off + need)
		return 0;
	if (type == 134) {
		pd_add(fs, "icmp6.ra.cur_hop_limit", off + 4, 1, PD_DEC);
		pd_add(fs, "icmp6.ra.flags", off + 5, 1, PD_HEX);
		pd_add(fs, "icmp6.ra.router_lifetime", off + 6, 2, PD_DEC);
		pd_add(fs, "icmp6.ra.reachable_time", off + 8, 4, PD_DEC);
		pd_add(fs, "icmp6.ra.retrans_timer", off + 12, 4, PD_DEC);
		return off + need;
	}
	if (type == 136) {
		pd_bits(fs, "icmp6.na.flags", off + 4, 4, 29, 0x7, PD_HEX);
		pd_bits(fs, "icmp6.reserved", off + 4, 4, 0, 0x1fffffff, PD_HEX);
	} else {
		pd_add(fs, "icmp6.reserved", off + 4, 4, PD_HEX);
	}
	if (type != 133)
		pd_add(fs, "icmp6.nd.target", off + 8, 16, PD_IP6);
	if (type == 137)
		pd_add(fs, "icmp6.nd.destination", off + 24, 16, PD_IP6);
	return off + need;
}

void pdf_icmp6(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + ICMP_HDR) {
		pd_rest(fs, "icmp6.truncated", off, end);
		return;
	}
	uint8_t type = fs->pkt[off];

	common(fs, "icmp6", off);
	if (type >= 1 && type <= 4) {
		pd_add(fs, type == 2 ? "icmp6.mtu" : type == 4 ? "icmp6.pointer" : "icmp6.reserved",
		       off + 4, 4, type == 2 || type == 4 ? PD_DEC : PD_HEX);
		pdf_ip_raw(fs, off + 8, end);   /* as much of the packet in error as fits */
	} else if (type == 128 || type == 129) {
		pd_add(fs, "icmp6.echo.id", off + 4, 2, PD_DEC);
		pd_add(fs, "icmp6.echo.seq", off + 6, 2, PD_DEC);
		pd_rest(fs, "icmp6.data", off + 8, end);
	} else if (type >= 133 && type <= 137) {
		size_t opts = nd_body(fs, type, off, end);
		if (opts == 0)
			pd_rest(fs, "icmp6.truncated", off + 4, end);
		else
			nd_options(fs, opts, end);
	} else {
		pd_rest(fs, "icmp6.data", off + 4, end);
	}
}
