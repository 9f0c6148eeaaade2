/*
 * PPPoE (tcpdump's print-pppoe.c, RFC 2516): the code by name, "[ses 0xN]"
 * when there is a session id, then for discovery packets every tag, as
 * " [Name]" when empty, " [Name "text"]" when its value is mostly
 * printable (cut to 79 characters, the rest shown as '.'), otherwise
 * " [Name 0xHEX]". Session frames (code 0) are "PPPoE  [ses 0x1] " and
 * the PPP frame. Like tcpdump, the header's length is trusted only as far
 * as the Ethernet payload goes ("[len N > M!]"), tags are read while they
 * start inside it, and a read past the capture ends the line "[|pppoe]".
 */
#include "trace.h"

#define PPPOE_HDRLEN 6
#define MAXTAGPRINT 80
#define PADI_MAX 1484    /* RFC 2516 5.1: a PADI is at most 1484 octets */

static const char *code_name(uint8_t code)
{
	switch (code) {
	case 0x09: return "PADI";
	case 0x07: return "PADO";
	case 0x19: return "PADR";
	case 0x65: return "PADS";
	case 0xa7: return "PADT";
	case 0x00: return "";       /* session data */
	default: return NULL;
	}
}

static const char *tag_name(uint16_t type)
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
	default: return NULL;
	}
}

static void put_tag_name(struct trace_buf *b, uint16_t type)
{
	const char *n = tag_name(type);
	if (n)
		tb_put(b, "%s", n);
	else
		tb_put(b, "TAG-0x%x", type);
}

/*
 * One tag value: its first 79 bytes judge whether it is text, then either
 * that text or every byte in hex. A value the capture cuts prints nothing
 * (tcpdump checks the whole value first): returns false.
 */
static bool print_tag_value(struct trace_buf *b, uint16_t type, const uint8_t *v, size_t len,
                            size_t avail)
{
	char text[MAXTAGPRINT];
	size_t n = 0;
	unsigned ascii = 0, garbage = 0;

	if (len > avail)
		return false;
	for (size_t i = 0; i < len && n < MAXTAGPRINT - 1; i++) {
		if (v[i] >= 0x20 && v[i] <= 0x7e) {
			text[n++] = (char)v[i];
			ascii++;
		} else {
			text[n++] = '.';
			garbage++;
		}
	}
	text[n] = '\0';
	tb_put(b, " [");
	put_tag_name(b, type);
	if (ascii > garbage) {
		tb_put(b, " \"%s\"]", text);
		return true;
	}
	tb_put(b, " 0x");
	for (size_t i = 0; i < len; i++)
		tb_put(b, "%02X", v[i]);
	tb_put(b, "]");
	return true;
}

/* Tags while they start inside the PPPoE payload; EOL ends the list. */
static void print_tags(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t plen)
{
	size_t off = 0;
	uint16_t type = 0xffff;

	while (type != 0 && off < plen) {
		if (caplen < 4 || off > caplen - 4) {
			tb_put(b, " [|pppoe]");
			return;
		}
		type = tr_rd16(p + off);
		uint16_t len = tr_rd16(p + off + 2);
		off += 4;
		if (len == 0) {
			tb_put(b, " [");
			put_tag_name(b, type);
			tb_put(b, "]");
		} else if (!print_tag_value(b, type, p + off, len, caplen - off)) {
			tb_put(b, " [|pppoe]");
			return;
		}
		off += len;
	}
}

void print_pppoe(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (length < PPPOE_HDRLEN || caplen < PPPOE_HDRLEN) {
		tb_put(b, " [|pppoe]");
		return;
	}
	length -= PPPOE_HDRLEN;
	caplen -= PPPOE_HDRLEN;
	unsigned ver = p[0] >> 4, type = p[0] & 0x0f;
	uint8_t code = p[1];
	uint16_t sid = tr_rd16(p + 2);
	size_t plen = tr_rd16(p + 4);

	if (ver != 1)
		tb_put(b, " [ver %u]", ver);
	if (type != 1)
		tb_put(b, " [type %u]", type);
	const char *cn = code_name(code);
	if (cn)
		tb_put(b, "PPPoE %s", cn);
	else
		tb_put(b, "PPPoE PAD-%x", code);
	if (code == 0x09 && plen > PADI_MAX - PPPOE_HDRLEN)
		tb_put(b, " [len %zu!]", plen);
	if (plen > length) {
		tb_put(b, " [len %zu > %zu!]", plen, length);
		plen = length;
	}
	if (sid)
		tb_put(b, " [ses 0x%x]", sid);
	if (code != 0) {
		print_tags(b, p + PPPOE_HDRLEN, caplen, plen);
		return;
	}
	tb_put(b, " ");
	print_ppp(b, p + PPPOE_HDRLEN, caplen < plen ? caplen : plen, plen);
}
