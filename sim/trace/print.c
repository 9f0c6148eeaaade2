/*
 * Text trace: the output buffer, address formatting, and the entry points
 * that pick a printer from the link type (tcpdump's netdissect.c + util).
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tb_put(struct trace_buf *b, const char *fmt, ...)
{
	char *at = b->n < b->cap ? b->s + b->n : NULL;
	size_t room = b->n < b->cap ? b->cap - b->n : 0;
	va_list ap;

	va_start(ap, fmt);
	int w = vsnprintf(at, room, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->n += (size_t)w;
}

void tb_trunc(struct trace_buf *b, const char *proto)
{
	tb_put(b, " [|%s]", proto);
}

void tb_ip4addr(struct trace_buf *b, const uint8_t a[4])
{
	tb_put(b, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void tb_mac(struct trace_buf *b, const uint8_t m[6])
{
	tb_put(b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/*
 * RFC 5952 text, as tcpdump and inet_ntop print it: the longest run of two
 * or more zero groups (the first on a tie) becomes "::", and the IPv4-
 * compatible / -mapped forms end in dotted quad. Written out rather than
 * inet_ntop so the output never depends on the C library.
 */
void tb_ip6addr(struct trace_buf *b, const uint8_t a[16])
{
	uint16_t w[8];
	int best = -1, bestlen = 0;

	for (int i = 0; i < 8; i++)
		w[i] = tr_rd16(a + 2 * i);
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	if (bestlen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			tb_put(b, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			tb_put(b, ":");
		if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
			tb_ip4addr(b, a + 12);
			break;
		}
		tb_put(b, "%x", w[i]);
	}
}

/* Raw IP link: the version nibble decides, as DLT_RAW readers do. */
void print_ip_raw(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	if (caplen < 1) {
		tb_trunc(b, "ip");
		return;
	}
	switch (p[0] >> 4) {
	case 4:
		print_ip4(b, p, caplen, length);
		break;
	case 6:
		print_ip6(b, p, caplen, length);
		break;
	default:
		tb_put(b, "IP%u", p[0] >> 4);
		break;
	}
}

static bool dlt_is_raw(int dlt)
{
	/* DLT_RAW is 12 on most platforms, 14 on OpenBSD; 101 is LINKTYPE_RAW,
	 * 228/229 DLT_IPV4/DLT_IPV6. */
	return dlt == 12 || dlt == 14 || dlt == TRACE_DLT_RAW || dlt == 228 || dlt == 229;
}

size_t trace_format_snap(char *buf, size_t len, int dlt, const uint8_t *pkt, size_t caplen,
                         size_t wirelen, bool with_link)
{
	struct trace_buf b = { .s = buf, .cap = len, .link = with_link };

	if (len > 0)
		buf[0] = '\0';
	if (!pkt)
		caplen = 0;
	if (wirelen < caplen)
		wirelen = caplen;
	if (dlt == TRACE_DLT_EN10MB)
		print_ether(&b, pkt, caplen, wirelen, with_link);
	else if (dlt_is_raw(dlt))
		print_ip_raw(&b, pkt, caplen, wirelen);
	else
		tb_put(&b, "unknown link type %d, length %zu", dlt, wirelen);
	/* Printers that stop early (a short fragment header) leave a blank. */
	while (b.n > 0 && b.n < len && buf[b.n - 1] == ' ')
		buf[--b.n] = '\0';
	return b.n;
}

size_t trace_format(char *buf, size_t len, int dlt, const uint8_t *pkt, size_t caplen,
                    bool with_link)
{
	return trace_format_snap(buf, len, dlt, pkt, caplen, caplen, with_link);
}

void trace_line(char *buf, size_t len, const struct sim *sim, const struct sim_frame_info *f,
                int dlt)
{
	struct trace_buf b = { .s = buf, .cap = len };
	uint64_t ns = sim->start_unix_ns + f->time;
	uint64_t s = ns / SIM_S;
	unsigned day_s = (unsigned)(s % 86400u);

	if (len == 0)
		return;
	buf[0] = '\0';
	tb_put(&b, "%02u:%02u:%02u.%06u %s ", day_s / 3600, day_s / 60 % 60, day_s % 60,
	       (unsigned)(ns % SIM_S / SIM_US), f->link ? f->link->name : "?");
	size_t used = b.n < len ? b.n : len - 1;
	b.n += trace_format(buf + used, len - used, dlt, f->data, f->len, false);
	if (f->lost)
		tb_put(&b, " (lost)");
}
