/*
 * TCP (RFC 9293; tcpdump's print-tcp.c) without -v:
 * "SRC.SPORT > DST.DPORT: Flags [S.], seq 1, ack 2, win 65535,
 *  options [mss 1460], length 0".
 * Sequence numbers are printed absolute (tcpdump -S, and what tcpdump
 * prints for the first packet of a conversation): a one-line decoder has
 * no per-conversation state. HTTP's first line is shown as tcpdump does.
 */
#include "trace.h"

#include <string.h>

#define TCP_HDR 20
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10
#define TH_URG 0x20

static void print_endpoints(struct trace_buf *b, int ipver, const uint8_t *ip, long sport,
                            long dport)
{
	bool direct = ipver == 6 ? ip[6] == 6 : ip[9] == 6;

	if (direct || sport < 0) {
		if (ipver == 6)
			tb_ip6addr(b, ip + 8);
		else
			tb_ip4addr(b, ip + 12);
	}
	if (sport >= 0)
		tb_put(b, direct ? ".%ld" : "%ld", sport);
	tb_put(b, " > ");
	if (direct || sport < 0) {
		if (ipver == 6)
			tb_ip6addr(b, ip + 24);
		else
			tb_ip4addr(b, ip + 16);
	}
	if (sport >= 0)
		tb_put(b, direct ? ".%ld: " : "%ld: ", dport);
	else
		tb_put(b, ":");
}

static void print_flags(struct trace_buf *b, uint8_t f)
{
	static const char bits[] = "FSRP.UEW"; /* tcpdump's order, lowest bit first */
	char s[9];
	size_t n = 0;

	for (int i = 0; i < 8; i++)
		if (f & (1u << i))
			s[n++] = bits[i];
	s[n] = '\0';
	tb_put(b, "Flags [%s]", n ? s : "none");
}

static const char *opt_name(uint8_t kind)
{
	switch (kind) {
	case 0: return "eol";
	case 1: return "nop";
	case 2: return "mss";
	case 3: return "wscale";
	case 4: return "sackOK";
	case 5: return "sack";
	case 8: return "TS";
	default: return NULL;
	}
}

/* One option's value; false when it is longer than what was captured. */
static bool print_opt_value(struct trace_buf *b, uint8_t kind, const uint8_t *v, size_t dlen,
                            uint32_t sack_base)
{
	switch (kind) {
	case 2:
		tb_put(b, " %u", tr_rd16(v));
		break;
	case 3:
		tb_put(b, " %u", v[0]);
		break;
	case 8:
		tb_put(b, " val %u ecr %u", tr_rd32(v), tr_rd32(v + 4));
		break;
	case 5:
		if (dlen % 8) {
			tb_put(b, " invalid sack");
			break;
		}
		tb_put(b, " %zu ", dlen / 8);
		for (size_t i = 0; i < dlen; i += 8)
			tb_put(b, "{%u:%u}", tr_rd32(v + i) - sack_base, tr_rd32(v + i + 4) - sack_base);
		break;
	default:
		break;
	}
	return true;
}

/* An option tcpdump has no name for: " 0x" and its bytes, as far as they
 * were captured. */
static bool print_opt_hex(struct trace_buf *b, const uint8_t *v, size_t dlen, size_t avail)
{
	tb_put(b, " 0x");
	for (size_t i = 0; i < dlen; i++) {
		if (i >= avail)
			return false;
		tb_put(b, "%02x", v[i]);
	}
	return true;
}

/* Fixed data length of an option, or SIZE_MAX for "whatever len says". */
static size_t opt_fixed_len(uint8_t kind)
{
	switch (kind) {
	case 2: return 2;
	case 3: return 1;
	case 8: return 8;
	case 4: return 0;
	default: return SIZE_MAX;
	}
}

enum opt_result { OPT_NEXT, OPT_END, OPT_BAD, OPT_TRUNC, OPT_TRUNC_VALUE };

/* The option at o[*i]: name and value, *i moved past it (by the length the
 * kind has, not the one it claims, as tcpdump does). */
static enum opt_result print_one_opt(struct trace_buf *b, const uint8_t *o, size_t *i,
                                     size_t hlen, size_t avail, uint32_t sack_base)
{
	size_t at = *i;
	if (at >= avail)
		return OPT_TRUNC;
	uint8_t kind = o[at];
	const char *name = opt_name(kind);
	if (kind <= 1) {
		tb_put(b, "%s", name);
		*i = at + 1;
		return kind == 0 ? OPT_END : OPT_NEXT;
	}
	if (at + 1 >= avail)
		return OPT_TRUNC;
	size_t len = o[at + 1], want = opt_fixed_len(kind);
	if (len < 2 || len > hlen - at)
		return OPT_BAD;
	size_t dlen = want != SIZE_MAX ? want : len - 2;
	const uint8_t *v = o + at + 2;
	size_t vavail = avail - at - 2;

	if (name)
		tb_put(b, "%s", name);
	else
		tb_put(b, "unknown-%u", kind);
	if (at + 2 + dlen > hlen)
		return OPT_BAD;
	if (!name) {
		if (!print_opt_hex(b, v, dlen, vavail))
			return OPT_TRUNC_VALUE;
	} else if (dlen > vavail) {
		if (kind == 5 && dlen % 8 == 0)
			tb_put(b, " %zu ", dlen / 8); /* printed before the blocks are read */
		return OPT_TRUNC_VALUE;
	} else {
		print_opt_value(b, kind, v, dlen, sack_base);
	}
	if (dlen + 2 != len)
		tb_put(b, "[len %zu]", len);
	*i = at + 2 + dlen;
	return OPT_NEXT;
}

/*
 * ", options [mss 1460,nop,wscale 3]". tcpdump's rules: a length below 2
 * or beyond the header is "[bad opt]", a length unlike the kind's is shown
 * as "[len N]", a capture that ends is " [|tcp]", followed by ">" when it
 * ends inside the value of an option after the first.
 */
static bool print_options(struct trace_buf *b, const uint8_t *o, size_t hlen, size_t avail,
                          uint32_t sack_base)
{
	size_t i = 0;
	bool first = true;
	enum opt_result r = OPT_NEXT;

	tb_put(b, ", options [");
	while (i < hlen && r == OPT_NEXT) {
		if (!first)
			tb_put(b, ",");
		r = print_one_opt(b, o, &i, hlen, avail, sack_base);
		if (r == OPT_BAD) {
			tb_put(b, first ? "[bad opt]" : "[bad opt]]");
			return false;
		}
		if (r == OPT_TRUNC || r == OPT_TRUNC_VALUE) {
			tb_trunc(b, "tcp");
			if (r == OPT_TRUNC_VALUE && !first)
				tb_put(b, ">");
			return false;
		}
		first = false;
	}
	tb_put(b, "]");
	return true;
}

/* tcpdump's HTTP one-liner: ": HTTP", then ": FIRST LINE" for a request
 * or a response, " [|http]" when the line does not end in the capture. */
static void print_http(struct trace_buf *b, const uint8_t *d, size_t avail, size_t length);

void print_tcp(struct trace_buf *b, int ipver, const uint8_t *ip, const uint8_t *p,
               size_t caplen, size_t length)
{
	if (caplen < 4) {
		print_endpoints(b, ipver, ip, -1, -1);
		tb_trunc(b, "tcp");
		return;
	}
	unsigned sport = tr_rd16(p), dport = tr_rd16(p + 2);

	print_endpoints(b, ipver, ip, sport, dport);
	if (caplen < TCP_HDR) {
		tb_trunc(b, "tcp");
		return;
	}
	size_t hlen = (size_t)(p[12] >> 4) * 4;
	if (hlen < TCP_HDR) {
		tb_put(b, " tcp %zu [bad hdr length %zu - too short, < %d]", length - hlen, hlen,
		       TCP_HDR);
		return;
	}
	uint32_t seq = tr_rd32(p + 4), ack = tr_rd32(p + 8);
	uint8_t flags = p[13];

	print_flags(b, flags);
	if (hlen > length) {
		tb_put(b, " [bad hdr length %zu - too long, > %zu]", hlen, length);
		return;
	}
	size_t dlen = length - hlen;
	if (dlen > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		tb_put(b, ", seq %u", seq);
		if (dlen > 0)
			tb_put(b, ":%u", seq + (uint32_t)dlen);
	}
	if (flags & TH_ACK)
		tb_put(b, ", ack %u", ack);
	tb_put(b, ", win %u", tr_rd16(p + 14));
	if (flags & TH_URG)
		tb_put(b, ", urg %u", tr_rd16(p + 18));
	if (hlen > TCP_HDR &&
	    !print_options(b, p + TCP_HDR, hlen - TCP_HDR, caplen - TCP_HDR,
	                   (flags & TH_ACK) ? ack - 1 : 0))
		return;
	tb_put(b, ", length %zu", dlen);
	if (dlen > 0 && (sport == 80 || dport == 80 || sport == 8080 || dport == 8080))
		print_http(b, p + hlen, caplen > hlen ? caplen - hlen : 0, dlen);
}

static bool is_method(const uint8_t *d, size_t n)
{
	static const char *const methods[] = { "OPTIONS", "GET", "HEAD", "POST", "PUT",
		                               "DELETE", "TRACE", "CONNECT" };
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strlen(methods[i]) == n && memcmp(methods[i], d, n) == 0)
			return true;
	return false;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A token counts only when the blank after it was captured too. Returns
 * the index after the token, 0 when there is none. */
static size_t token_end(const uint8_t *d, size_t n, size_t i)
{
	size_t start = i;
	while (i < n && !is_space(d[i]))
		i++;
	return i < n && i > start ? i : 0;
}

/* "GET / ..." or "HTTP/1.0 200 ...": a method first, or a three-digit code
 * second. */
static bool is_reqresp(const uint8_t *d, size_t n)
{
	size_t e1 = token_end(d, n, 0);
	if (e1 == 0)
		return false;
	if (is_method(d, e1))
		return true;
	size_t s2 = e1;
	while (s2 < n && d[s2] == ' ')
		s2++;
	size_t e2 = token_end(d, n, s2);
	return e2 == s2 + 3 && d[s2] >= '1' && d[s2] <= '9' && d[s2 + 1] >= '0' &&
	       d[s2 + 1] <= '9' && d[s2 + 2] >= '0' && d[s2 + 2] <= '9';
}

static void print_http(struct trace_buf *b, const uint8_t *d, size_t avail, size_t length)
{
	size_t n = avail < length ? avail : length;

	tb_put(b, ": HTTP");
	if (!is_reqresp(d, n))
		return;
	for (size_t i = 0; i < n; i++) {
		if (d[i] == '\n' || (d[i] == '\r' && i + 1 < n && d[i + 1] == '\n')) {
			tb_put(b, ": %.*s", (int)i, (const char *)d);
			return;
		}
		if ((d[i] < 0x20 || d[i] > 0x7e) && d[i] != '\t' && d[i] != '\r')
			return;
	}
	tb_trunc(b, "http"); /* the first line does not end in the capture */
}
