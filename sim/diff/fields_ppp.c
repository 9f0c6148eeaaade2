/*
 * PPPoE and PPP fields: the PPPoE header (RFC 2516: pppoe.version,
 * pppoe.type, pppoe.code, pppoe.session_id, pppoe.payload_length) and
 * discovery tags ("pppoe.tag Host-Uniq", with "type" and "length"); PPP
 * (RFC 1661: ppp.address, ppp.control, ppp.protocol) with IPv4/IPv6
 * walked further; the control protocols LCP, IPCP, IPV6CP, CCP (code,
 * identifier, length, options as "lcp.option MRU", "ipv6cp.option
 * Interface-Identifier", echo magic numbers) and PAP/CHAP.
 */
#include "fields.h"

#include <stdio.h>

#define PPPOE_HDR 6
#define CP_HDR 4

static const char *tag_name(uint16_t type, char *buf, size_t len)
{
	switch (type) {
	case 0x0000: return "EOL";
	case 0x0101: return "Service-Name";
	case 0x0102: return "AC-Name";
	case 0x0103: return "Host-Uniq";
	case 0x0104: return "AC-Cookie";
	case 0x0105: return "Vendor-Specific";
	case 0x0110: return "Relay-Session-ID";
	case 0x0120: return "PPP-Max-Payload";
	case 0x0201: return "Service-Name-Error";
	case 0x0202: return "AC-System-Error";
	case 0x0203: return "Generic-Error";
	default:
		snprintf(buf, len, "0x%04x", type);
		return buf;
	}
}

/* Text tags print as text; Host-Uniq, AC-Cookie and unknown ones are
 * opaque bytes. */
static enum pd_fmt tag_fmt(uint16_t type)
{
	return type == 0x0101 || type == 0x0102 || (type >= 0x0201 && type <= 0x0203) ? PD_TEXT
	                                                                               : PD_BYTES;
}

static void pppoe_tags(struct pd_fields *fs, size_t off, size_t end)
{
	while (off < end) {
		char nb[8];
		if (end - off < 4 || end - off - 4 < pd_rd16(fs->pkt + off + 2)) {
			pd_rest(fs, "pppoe.tag malformed", off, end);
			return;
		}
		uint16_t type = pd_rd16(fs->pkt + off);
		size_t vlen = pd_rd16(fs->pkt + off + 2);
		const char *n = tag_name(type, nb, sizeof nb);

		pd_addf(fs, off, 2, PD_HEX, "pppoe.tag %s type", n);
		pd_addf(fs, off + 2, 2, PD_DEC, "pppoe.tag %s length", n);
		pd_addf(fs, off + 4, vlen, tag_fmt(type), "pppoe.tag %s", n);
		off += 4 + vlen;
	}
}

void pdf_pppoe(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + PPPOE_HDR) {
		pd_rest(fs, "pppoe.truncated", off, end);
		return;
	}
	const uint8_t *p = fs->pkt + off;
	size_t pend = off + PPPOE_HDR + pd_rd16(p + 4);

	if (pend > end)
		pend = end;
	pd_bits(fs, "pppoe.version", off, 1, 4, 0xf, PD_DEC);
	pd_bits(fs, "pppoe.type", off, 1, 0, 0xf, PD_DEC);
	pd_add(fs, "pppoe.code", off + 1, 1, PD_HEX);
	pd_add(fs, "pppoe.session_id", off + 2, 2, PD_HEX);
	pd_add(fs, "pppoe.payload_length", off + 4, 2, PD_DEC);
	if (p[1] == 0)
		pdf_ppp(fs, off + PPPOE_HDR, pend);
	else
		pppoe_tags(fs, off + PPPOE_HDR, pend);
	pd_rest(fs, "frame.trailer", pend, end);
}

static const char *cp_prefix(uint16_t proto)
{
	switch (proto) {
	case 0xc021: return "lcp";
	case 0x8021: return "ipcp";
	case 0x8057: return "ipv6cp";
	case 0x80fd: return "ccp";
	default: return NULL;
	}
}

static const char *cp_opt_name(uint16_t proto, uint8_t type, char *buf, size_t len)
{
	static const char *const lcp[] = { NULL, "MRU", "ACCM", "Auth-Prot", "Quality-Prot",
		                           "Magic-Number", NULL, "PFC", "ACFC" };
	if (proto == 0xc021 && type < sizeof lcp / sizeof lcp[0] && lcp[type])
		return lcp[type];
	if (proto == 0x8021 && (type == 2 || type == 3 || type == 129 || type == 131))
		return type == 2 ? "IP-Comp" : type == 3 ? "IP-Address"
		       : type == 129 ? "Primary-DNS" : "Secondary-DNS";
	if (proto == 0x8057 && (type == 1 || type == 2))
		return type == 1 ? "Interface-Identifier" : "IPv6-Compression";
	snprintf(buf, len, "%u", type);
	return buf;
}

static enum pd_fmt cp_opt_fmt(uint16_t proto, uint8_t type, size_t vlen)
{
	if (vlen == 4 && proto == 0x8021 && type != 2)
		return PD_IP4;
	if (vlen <= 4 && proto == 0xc021 && type == 1)
		return PD_DEC;
	return vlen <= 4 ? PD_HEX : PD_BYTES;
}

static void cp_options(struct pd_fields *fs, const char *pfx, uint16_t proto, size_t off,
                       size_t end)
{
	while (off < end) {
		char nb[8];
		if (end - off < 2 || fs->pkt[off + 1] < 2 || end - off < fs->pkt[off + 1]) {
			pd_addf(fs, off, end - off, PD_BYTES, "%s.option malformed", pfx);
			return;
		}
		uint8_t type = fs->pkt[off];
		size_t olen = fs->pkt[off + 1];
		const char *n = cp_opt_name(proto, type, nb, sizeof nb);

		pd_addf(fs, off, 1, PD_DEC, "%s.option %s type", pfx, n);
		pd_addf(fs, off + 1, 1, PD_DEC, "%s.option %s length", pfx, n);
		if (olen > 2)
			pd_addf(fs, off + 2, olen - 2, cp_opt_fmt(proto, type, olen - 2),
			        "%s.option %s", pfx, n);
		off += olen;
	}
}

/* LCP, IPCP, IPV6CP, CCP: code, identifier, length, then by code. */
static void ppp_cp(struct pd_fields *fs, uint16_t proto, size_t off, size_t end)
{
	const char *pfx = cp_prefix(proto);

	if (end < off + CP_HDR) {
		pd_addf(fs, off, end - off, PD_BYTES, "%s.truncated", pfx);
		return;
	}
	uint8_t code = fs->pkt[off];
	size_t len = pd_rd16(fs->pkt + off + 2);
	size_t cend = len >= CP_HDR && off + len < end ? off + len : end;

	pd_addf(fs, off, 1, PD_DEC, "%s.code", pfx);
	pd_addf(fs, off + 1, 1, PD_DEC, "%s.identifier", pfx);
	pd_addf(fs, off + 2, 2, PD_DEC, "%s.length", pfx);
	off += CP_HDR;
	if (code >= 1 && code <= 4) {
		cp_options(fs, pfx, proto, off, cend);
	} else if (code == 8 && cend >= off + 2) {
		pd_addf(fs, off, 2, PD_HEX, "%s.rejected_protocol", pfx);
		pd_addf(fs, off + 2, cend - off - 2, PD_BYTES, "%s.data", pfx);
	} else if (code >= 9 && code <= 11 && cend >= off + 4) {
		pd_addf(fs, off, 4, PD_HEX, "%s.magic_number", pfx);
		pd_addf(fs, off + 4, cend - off - 4, PD_BYTES, "%s.data", pfx);
	} else if (cend > off) {
		pd_addf(fs, off, cend - off, PD_BYTES, "%s.data", pfx);
	}
	pd_rest(fs, "ppp.padding", cend, end);
}

/* PAP and CHAP: the header, then length-prefixed names and values. */
static void ppp_auth(struct pd_fields *fs, const char *pfx, size_t off, size_t end)
{
	if (end < off + CP_HDR) {
		pd_addf(fs, off, end - off, PD_BYTES, "%s.truncated", pfx);
		return;
	}
	uint8_t code = fs->pkt[off];
	bool chap = pfx[0] == 'c';

	pd_addf(fs, off, 1, PD_DEC, "%s.code", pfx);
	pd_addf(fs, off + 1, 1, PD_DEC, "%s.identifier", pfx);
	pd_addf(fs, off + 2, 2, PD_DEC, "%s.length", pfx);
	off += CP_HDR;
	/* PAP Auth-Req: two counted strings; CHAP Challenge/Response: one
	 * counted value, then the name; Ack/Nak, Success/Failure: a message
	 * (counted in PAP, the rest in CHAP). */
	int counted = chap ? (code <= 2 ? 1 : 0) : (code == 1 ? 2 : 1);
	static const char *const names[2][2] = { { "peer_id", "password" }, { "value", "name" } };
	for (int i = 0; i < counted && off < end; i++) {
		size_t n = fs->pkt[off];
		const char *what = code == 1 || chap ? names[chap][i] : "message";
		if (end - off - 1 < n) {
			pd_addf(fs, off, end - off, PD_BYTES, "%s.malformed", pfx);
			return;
		}
		pd_addf(fs, off, 1, PD_DEC, "%s.%s length", pfx, what);
		pd_addf(fs, off + 1, n, chap ? PD_BYTES : PD_TEXT, "%s.%s", pfx, what);
		off += 1 + n;
	}
	if (off < end)
		pd_addf(fs, off, end - off, PD_TEXT, "%s.%s", pfx,
		        chap && code <= 2 ? "name" : "message");
}

void pdf_ppp(struct pd_fields *fs, size_t off, size_t end)
{
	if (end >= off + 2 && pd_rd16(fs->pkt + off) == 0xff03) {
		pd_add(fs, "ppp.address", off, 1, PD_HEX);
		pd_add(fs, "ppp.control", off + 1, 1, PD_HEX);
		off += 2;
	}
	/* Protocol-Field-Compression: an odd first byte is a 1-byte field. */
	size_t plen = end > off && (fs->pkt[off] & 1) ? 1 : 2;
	if (end < off + plen) {
		pd_rest(fs, "ppp.truncated", off, end);
		return;
	}
	uint16_t proto = plen == 1 ? fs->pkt[off] : pd_rd16(fs->pkt + off);

	pd_add(fs, "ppp.protocol", off, plen, PD_HEX);
	off += plen;
	if (proto == 0x0021)
		pdf_ip4(fs, off, end);
	else if (proto == 0x0057)
		pdf_ip6(fs, off, end);
	else if (cp_prefix(proto))
		ppp_cp(fs, proto, off, end);
	else if (proto == 0xc023 || proto == 0xc223)
		ppp_auth(fs, proto == 0xc023 ? "pap" : "chap", off, end);
	else
		pd_rest(fs, "ppp.payload", off, end);
}
