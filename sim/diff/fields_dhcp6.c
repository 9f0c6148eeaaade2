/*
 * DHCPv6 fields (RFC 8415): dhcp6.msgtype, dhcp6.xid (relay messages:
 * dhcp6.hopcount, dhcp6.linkaddr, dhcp6.peeraddr), then every option as
 * "dhcp6.option N code", "dhcp6.option N length" and its value, with the
 * options the simulator uses taken apart: IA_NA/IA_PD (3, 25: iaid, t1,
 * t2, then their own options), IA Address (5) and IA Prefix (26: preferred,
 * valid, prefixlen, prefix), Elapsed Time (8), Status Code (13), DNS
 * servers (23), Relay Message (9, a whole message walked again).
 */
#include "fields.h"

#define DHCP6_HDR 4
#define RELAY_HDR 34
#define MAX_NEST 4

static void options(struct pd_fields *fs, size_t off, size_t end, int depth);
static void message(struct pd_fields *fs, size_t off, size_t end, int depth);

/* Fixed fields at the start of an option's value, then nested options. */
static void nested(struct pd_fields *fs, unsigned code, size_t off, size_t vend, int depth)
{
	static const struct { unsigned code; size_t fixed; } shapes[] = {
		{ 3, 12 }, { 25, 12 }, { 5, 24 }, { 26, 25 },
	};
	size_t fixed = 0;

	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		if (shapes[i].code == code)
			fixed = shapes[i].fixed;
	if (vend - off < fixed) {
		pd_addf(fs, off, vend - off, PD_BYTES, "dhcp6.option %u", code);
		return;
	}
	if (code == 3 || code == 25) {
		pd_addf(fs, off, 4, PD_HEX, "dhcp6.option %u iaid", code);
		pd_addf(fs, off + 4, 4, PD_DEC, "dhcp6.option %u t1", code);
		pd_addf(fs, off + 8, 4, PD_DEC, "dhcp6.option %u t2", code);
	} else if (code == 5) {
		pd_addf(fs, off, 16, PD_IP6, "dhcp6.option %u addr", code);
		pd_addf(fs, off + 16, 4, PD_DEC, "dhcp6.option %u preferred", code);
		pd_addf(fs, off + 20, 4, PD_DEC, "dhcp6.option %u valid", code);
	} else {
		pd_addf(fs, off, 4, PD_DEC, "dhcp6.option %u preferred", code);
		pd_addf(fs, off + 4, 4, PD_DEC, "dhcp6.option %u valid", code);
		pd_addf(fs, off + 8, 1, PD_DEC, "dhcp6.option %u prefixlen", code);
		pd_addf(fs, off + 9, 16, PD_IP6, "dhcp6.option %u prefix", code);
	}
	options(fs, off + fixed, vend, depth + 1);
}

static void value(struct pd_fields *fs, unsigned code, size_t off, size_t vend, int depth)
{
	size_t vlen = vend - off;

	if (code == 3 || code == 25 || code == 5 || code == 26) {
		nested(fs, code, off, vend, depth);
	} else if (code == 9) {
		message(fs, off, vend, depth + 1);
	} else if (code == 8 && vlen == 2) {
		pd_add(fs, "dhcp6.option 8", off, 2, PD_DEC);
	} else if (code == 13 && vlen >= 2) {
		pd_add(fs, "dhcp6.option 13 status", off, 2, PD_DEC);
		pd_addf(fs, off + 2, vlen - 2, PD_TEXT, "dhcp6.option 13 message");
	} else if (code == 23 && vlen % 16 == 0) {
		for (size_t a = off; a < vend; a += 16)
			pd_add(fs, "dhcp6.option 23", a, 16, PD_IP6);
	} else if (vlen > 0) {
		pd_addf(fs, off, vlen, vlen <= 4 ? PD_HEX : PD_BYTES, "dhcp6.option %u", code);
	}
}

static void options(struct pd_fields *fs, size_t off, size_t end, int depth)
{
	if (depth > MAX_NEST) {
		pd_rest(fs, "dhcp6.options", off, end);
		return;
	}
	while (off < end) {
		if (end - off < 4 || end - off - 4 < pd_rd16(fs->pkt + off + 2)) {
			pd_rest(fs, "dhcp6.option malformed", off, end);
			return;
		}
		unsigned code = pd_rd16(fs->pkt + off);
		size_t vlen = pd_rd16(fs->pkt + off + 2);

		pd_addf(fs, off, 2, PD_DEC, "dhcp6.option %u code", code);
		pd_addf(fs, off + 2, 2, PD_DEC, "dhcp6.option %u length", code);
		value(fs, code, off + 4, off + 4 + vlen, depth);
		off += 4 + vlen;
	}
}

static void message(struct pd_fields *fs, size_t off, size_t end, int depth)
{
	if (end <= off)
		return;
	uint8_t type = fs->pkt[off];
	bool relay = type == 12 || type == 13;

	if (end - off < (relay ? RELAY_HDR : DHCP6_HDR) || depth > MAX_NEST) {
		pd_rest(fs, "dhcp6.truncated", off, end);
		return;
	}
	pd_add(fs, "dhcp6.msgtype", off, 1, PD_DEC);
	if (relay) {
		pd_add(fs, "dhcp6.hopcount", off + 1, 1, PD_DEC);
		pd_add(fs, "dhcp6.linkaddr", off + 2, 16, PD_IP6);
		pd_add(fs, "dhcp6.peeraddr", off + 18, 16, PD_IP6);
		options(fs, off + RELAY_HDR, end, depth);
		return;
	}
	pd_add(fs, "dhcp6.xid", off + 1, 3, PD_HEX);
	options(fs, off + DHCP6_HDR, end, depth);
}

void pdf_dhcp6(struct pd_fields *fs, size_t off, size_t end)
{
	message(fs, off, end, 0);
}
