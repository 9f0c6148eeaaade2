/*
 * PPP inside PPPoE (tcpdump's print-ppp.c, the non-verbose line): control
 * protocols as "LCP, Conf-Request (0x01), id 1, length 24", PAP and CHAP
 * with their peer names, values and messages, IPv4/IPv6 through the IP
 * printers, anything else by name ("LQM") or number.
 *
 * Lengths follow tcpdump: `length` is what the PPPoE header says the PPP
 * frame has (it decides what tcpdump calls short), `caplen` what was
 * captured (the bound on every read here). A control packet's "length N"
 * is the frame's length after an optional ff03 address/control prefix,
 * protocol field included (tcpdump prints its `length + 2`).
 */
#include "trace.h"

#define PPP_ADDR_CTRL 0xff03

struct ppp_name {
	uint16_t proto;
	const char *name;
};

/* tcpdump's ppptype2str, the protocols the simulator can meet. */
static const struct ppp_name ppp_names[] = {
	{ 0x0021, "IP" },     { 0x0057, "IPV6" },  { 0x8021, "IPCP" },
	{ 0x8057, "IP6CP" },  { 0x80fd, "CCP" },   { 0xc021, "LCP" },
	{ 0xc023, "PAP" },    { 0xc025, "LQM" },   { 0xc223, "CHAP" },
};

/* tcpdump's cpcodes: RFC 1661 codes, then RFC 2153/1570/1962 ones. */
static const char *const cp_codes[] = {
	"Vendor-Extension", "Conf-Request", "Conf-Ack", "Conf-Nack", "Conf-Reject",
	"Term-Request", "Term-Ack", "Code-Reject", "Prot-Reject", "Echo-Request",
	"Echo-Reply", "Disc-Req", "Ident", "Time-Rem", "Reset-Req", "Reset-Ack",
};

static const char *const pap_codes[] = { NULL, "Auth-Req", "Auth-ACK", "Auth-NACK" };
static const char *const chap_codes[] = { NULL, "Challenge", "Response", "Success", "Fail" };

static const char *ppp_name(uint16_t proto)
{
	for (size_t i = 0; i < sizeof ppp_names / sizeof ppp_names[0]; i++)
		if (ppp_names[i].proto == proto)
			return ppp_names[i].name;
	return NULL;
}

static bool is_ctrl_proto(uint16_t proto)
{
	return proto == 0xc021 || proto == 0x8021 || proto == 0x8057 || proto == 0x80fd;
}

/* tcpdump's fn_print_char: M- for the high bit, ^X for control bytes. */
static void put_char(struct trace_buf *b, uint8_t c)
{
	if (c & 0x80) {
		tb_put(b, "M-");
		c &= 0x7f;
	}
	if (c < 0x20 || c == 0x7f)
		tb_put(b, "^%c", c ^ 0x40);
	else
		tb_put(b, "%c", c);
}

/* `n` bytes at p + off as text; false (and tcpdump's marker) when the
 * capture ends first. */
static bool put_text(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (off + i >= caplen) {
			tb_trunc(b, "ppp");
			return false;
		}
		put_char(b, p[off + i]);
	}
	return true;
}

/* LCP, IPCP, IPV6CP, CCP: code, id and length only (no -v). */
static void print_ctrl(struct trace_buf *b, const char *name, const uint8_t *p, size_t caplen,
                       size_t length)
{
	tb_put(b, "%s, ", name);
	if (length < 4 || caplen < 2) {
		tb_put(b, "[|%s]", name);
		return;
	}
	const char *code = p[0] < sizeof cp_codes / sizeof cp_codes[0] ? cp_codes[p[0]]
	                                                               : "Unknown Opcode";
	tb_put(b, "%s (0x%02x), id %u, length %zu", code, p[0], p[1], length + 2);
}

/* Code, id and the length field shared by PAP and CHAP; false when the
 * capture is too short for them. */
static bool auth_header(struct trace_buf *b, const char *name, const char *const *codes,
                        size_t ncodes, const uint8_t *p, size_t caplen, uint16_t *len)
{
	if (caplen < 4) {
		tb_trunc(b, "ppp");
		return false;
	}
	const char *code = p[0] > 0 && p[0] < ncodes ? codes[p[0]] : "unknown";
	tb_put(b, "%s, %s (0x%02x), id %u", name, code, p[0], p[1]);
	*len = tr_rd16(p + 2);
	return true;
}

/* PAP (RFC 1334 2.2): Peer-ID and Password of a request ("Name", as
 * tcpdump labels it), the message of an Ack or Nak. */
static void print_pap(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	uint16_t len;

	if (length < 4) {
		tb_trunc(b, "ppp");
		return;
	}
	if (!auth_header(b, "PAP", pap_codes, 4, p, caplen, &len))
		return;
	if (len > length) {
		tb_put(b, ", length %u > packet size", len);
		return;
	}
	if (len < 4) {
		tb_put(b, ", length %u < PAP header length", len);
		return;
	}
	if (p[0] < 1 || p[0] > 3)
		return;
	if (len < (p[0] == 1 ? 6 : 5)) {
		tb_put(b, "[|pap]");
		return;
	}
	size_t off = 4;
	for (int field = 0; field < (p[0] == 1 ? 2 : 1); field++) {
		if (off + 1 > caplen) {
			tb_trunc(b, "ppp");
			return;
		}
		size_t n = p[off++];
		if (len - off < n)
			return; /* tcpdump stops quietly when a field overruns */
		tb_put(b, p[0] != 1 ? ", Msg " : field == 0 ? ", Peer " : ", Name ");
		if (!put_text(b, p, caplen, off, n))
			return;
		off += n;
	}
}

/* CHAP (RFC 1994 4): Value in hex and Name of a Challenge or Response,
 * the message of Success or Failure. */
static void print_chap(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	uint16_t len;

	if (length < 1) {
		tb_trunc(b, "ppp");
		return;
	}
	if (!auth_header(b, "CHAP", chap_codes, 5, p, caplen, &len))
		return;
	size_t off = 4;
	if (p[0] == 1 || p[0] == 2) {
		if (length < off + 1 || off + 1 > caplen)
			return;
		size_t vlen = p[off++];
		if (length - off < vlen)
			return;
		tb_put(b, ", Value ");
		for (size_t i = 0; i < vlen; i++, off++) {
			if (off >= caplen) {
				tb_trunc(b, "ppp");
				return;
			}
			tb_put(b, "%02x", p[off]);
		}
		tb_put(b, ", Name ");
		put_text(b, p, caplen, off, len > off ? len - off : 0);
	} else if (p[0] == 3 || p[0] == 4) {
		tb_put(b, ", Msg ");
		put_text(b, p, caplen, off, len > off ? len - off : 0);
	}
}

/* IP inside PPP: the IP printers, which print "IP6 " unless an Ethernet
 * header was printed; here no IP header follows the link header directly,
 * so the version is always named, as tcpdump -e does inside PPPoE. */
static void print_ppp_ip(struct trace_buf *b, int ver, const uint8_t *p, size_t caplen,
                         size_t length)
{
	bool link = b->link;

	b->link = false;
	if (ver == 6)
		print_ip6(b, p, caplen, length);
	else
		print_ip4(b, p, caplen, length);
	b->link = link;
}

static void print_payload(struct trace_buf *b, uint16_t proto, const uint8_t *p, size_t caplen,
                          size_t length)
{
	const char *name = ppp_name(proto);

	if (proto == 0x0021)
		print_ppp_ip(b, 4, p, caplen, length);
	else if (proto == 0x0057)
		print_ppp_ip(b, 6, p, caplen, length);
	else if (is_ctrl_proto(proto))
		print_ctrl(b, name, p, caplen, length);
	else if (proto == 0xc023)
		print_pap(b, p, caplen, length);
	else if (proto == 0xc223)
		print_chap(b, p, caplen, length);
	else if (name)
		tb_put(b, "%s ", name); /* tcpdump hex-dumps the rest */
	else
		tb_put(b, "unknown PPP protocol (0x%04x) ", proto);
}

void print_ppp(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (caplen > length)
		caplen = length;
	/* RFC 1662 address/control bytes (absent in PPPoE, RFC 2516 7). */
	if (caplen >= 2 && tr_rd16(p) == PPP_ADDR_CTRL) {
		p += 2;
		caplen -= 2;
		length -= 2;
	}
	if (length < 2 || caplen < 1) {
		tb_trunc(b, "ppp");
		return;
	}
	uint16_t proto;
	/* Protocol-Field-Compression: an odd first byte is a 1-byte field. */
	if (p[0] & 1) {
		proto = p[0];
		p++;
		caplen--;
		length--;
	} else {
		if (caplen < 2) {
			tb_trunc(b, "ppp");
			return;
		}
		proto = tr_rd16(p);
		p += 2;
		caplen -= 2;
		length -= 2;
	}
	print_payload(b, proto, p, caplen, length);
}
