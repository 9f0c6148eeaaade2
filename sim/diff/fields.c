/*
 * Field sets: adding fields (with the occurrence number that lets two
 * frames' fields be paired by name), reading and printing their values,
 * and the entry point that picks the first walker from the link type.
 */
#include "fields.h"
#include "../trace/trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DLT_LINUX_SLL_ 113     /* tcpdump -i any, Linux cooked v1 */
#define DLT_LINUX_SLL2_ 276    /* Linux cooked v2 */

static void push(struct pd_fields *fs, const struct pd_field *nf)
{
	if (fs->overflow)
		return;
	struct pd_field *f = &fs->f[fs->n];
	*f = *nf;
	if (fs->n == PD_MAX_FIELDS - 1 && f->len > 0) {
		/* The last slot keeps the rest of the frame, so nothing is left
		 * uncompared: a frame this rich is compared as bytes from here. */
		snprintf(f->name, sizeof f->name, "frame.rest");
		f->len = (uint32_t)(fs->caplen - f->off);
		f->mask = 0;
		f->fmt = PD_BYTES;
		fs->overflow = true;
	}
	f->occ = 0;
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].name, f->name) == 0)
			f->occ++;
	fs->n++;
}

static void add_field(struct pd_fields *fs, const char *name, size_t off, size_t len,
                      unsigned shift, uint32_t mask, enum pd_fmt fmt)
{
	if (len == 0 || off > fs->caplen || len > fs->caplen - off)
		return;
	struct pd_field f = { .off = (uint32_t)off, .len = (uint32_t)len, .mask = mask,
	                      .shift = (uint8_t)shift, .fmt = (uint8_t)fmt };
	snprintf(f.name, sizeof f.name, "%s", name);
	push(fs, &f);
}

void pd_add(struct pd_fields *fs, const char *name, size_t off, size_t len, enum pd_fmt fmt)
{
	add_field(fs, name, off, len, 0, 0, fmt);
}

void pd_addf(struct pd_fields *fs, size_t off, size_t len, enum pd_fmt fmt, const char *fmt_name,
             ...)
{
	char name[PD_NAME_MAX];
	va_list ap;

	va_start(ap, fmt_name);
	vsnprintf(name, sizeof name, fmt_name, ap);
	va_end(ap);
	add_field(fs, name, off, len, 0, 0, fmt);
}

void pd_bits(struct pd_fields *fs, const char *name, size_t off, size_t len, unsigned shift,
             uint32_t mask, enum pd_fmt fmt)
{
	add_field(fs, name, off, len, shift, mask, fmt);
}

void pd_rest(struct pd_fields *fs, const char *name, size_t off, size_t end)
{
	if (end > fs->caplen)
		end = fs->caplen;
	if (off < end)
		add_field(fs, name, off, end - off, 0, 0, PD_BYTES);
}

static void pseudo(struct pd_fields *fs, const char *name, uint64_t val, enum pd_fmt fmt)
{
	struct pd_field f = { .val = val, .fmt = (uint8_t)fmt };
	snprintf(f.name, sizeof f.name, "%s", name);
	push(fs, &f);
}

uint64_t pd_value(const struct pd_fields *fs, const struct pd_field *f)
{
	if (f->len == 0)
		return f->val;
	uint64_t v = 0;
	for (uint32_t i = 0; i < f->len && i < 8; i++)
		v = v << 8 | fs->pkt[f->off + i];
	return f->mask ? (v >> f->shift) & f->mask : v;
}

static bool numeric(const struct pd_field *f)
{
	return f->len == 0 || f->mask != 0 ||
	       (f->len <= 4 && (f->fmt == PD_DEC || f->fmt == PD_HEX || f->fmt == PD_TCPFLAGS));
}

bool pd_same_value(const struct pd_fields *a, const struct pd_field *fa,
                   const struct pd_fields *b, const struct pd_field *fb)
{
	if (numeric(fa) && numeric(fb))
		return pd_value(a, fa) == pd_value(b, fb);
	return fa->len == fb->len && memcmp(a->pkt + fa->off, b->pkt + fb->off, fa->len) == 0;
}

static void put_tcpflags(struct trace_buf *b, uint64_t v)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE",
		                             "CWR", "AE" };
	const char *sep = "";

	tb_put(b, "0x%03x (", (unsigned)v);
	for (unsigned i = 0; i < 9; i++)
		if (v & (1u << i)) {
			tb_put(b, "%s%s", sep, names[i]);
			sep = ", ";
		}
	tb_put(b, "%s)", *sep ? "" : "none");
}

/* Time of day, UTC, computed without the C library's time zone code. */
static void put_time(struct trace_buf *b, uint64_t ns)
{
	uint64_t s = ns / 1000000000u;
	unsigned day_s = (unsigned)(s % 86400u);

	tb_put(b, "%02u:%02u:%02u.", day_s / 3600, day_s / 60 % 60, day_s % 60);
	if (ns % 1000u == 0)
		tb_put(b, "%06u", (unsigned)(ns % 1000000000u / 1000u));
	else
		tb_put(b, "%09u", (unsigned)(ns % 1000000000u));
}

void pd_format_time(char *buf, size_t len, uint64_t ns)
{
	struct trace_buf b = { .s = buf, .cap = len };

	if (len > 0)
		buf[0] = '\0';
	put_time(&b, ns);
}

static void put_text(struct trace_buf *b, const uint8_t *p, size_t n)
{
	tb_put(b, "\"");
	for (size_t i = 0; i < n && i < 40; i++)
		tb_put(b, p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' ? "%c" : "\\x%02x", p[i]);
	tb_put(b, n > 40 ? "\"..." : "\"");
}

/* Labels as the walker measured them (fields_dns.c): lengths inside. */
static void put_dnsname(struct trace_buf *b, const uint8_t *p, size_t n)
{
	size_t at = 0;

	while (at < n && p[at] != 0) {
		if ((p[at] & 0xc0) == 0xc0 && at + 1 < n) {
			tb_put(b, "<ptr %u>", (unsigned)((p[at] & 0x3f) << 8 | p[at + 1]));
			return;
		}
		size_t l = p[at++];
		for (size_t i = 0; i < l && at < n; i++, at++)
			tb_put(b, p[at] > 0x20 && p[at] < 0x7f ? "%c" : "\\%03u", p[at]);
		tb_put(b, ".");
	}
	if (at == 0)
		tb_put(b, ".");
}

void pd_format(char *buf, size_t len, const struct pd_fields *fs, const struct pd_field *f)
{
	struct trace_buf b = { .s = buf, .cap = len };
	const uint8_t *p = f->len ? fs->pkt + f->off : NULL;

	if (len > 0)
		buf[0] = '\0';
	if (numeric(f)) {
		uint64_t v = pd_value(fs, f);
		if (f->fmt == PD_TIME)
			put_time(&b, v);
		else if (f->fmt == PD_TCPFLAGS)
			put_tcpflags(&b, v);
		else if (f->fmt == PD_HEX)
			tb_put(&b, "0x%0*llx", f->mask ? 1 : (int)f->len * 2, (unsigned long long)v);
		else
			tb_put(&b, "%llu", (unsigned long long)v);
	} else if (f->fmt == PD_MAC && f->len == 6) {
		tb_mac(&b, p);
	} else if (f->fmt == PD_IP4 && f->len == 4) {
		tb_ip4addr(&b, p);
	} else if (f->fmt == PD_IP6 && f->len == 16) {
		tb_ip6addr(&b, p);
	} else if (f->fmt == PD_DNSNAME) {
		put_dnsname(&b, p, f->len);
	} else if (f->fmt == PD_TEXT) {
		put_text(&b, p, f->len);
	} else if (f->len <= 8) {
		tb_put(&b, "0x");
		for (uint32_t i = 0; i < f->len; i++)
			tb_put(&b, "%02x", p[i]);
	} else {
		tb_put(&b, "%u bytes", f->len);
	}
}

bool pd_dlt_is_raw(int dlt)
{
	/* DLT_RAW is 12 (14 on OpenBSD), LINKTYPE_RAW 101, DLT_IPV4/6 228/229. */
	return dlt == 12 || dlt == 14 || dlt == TRACE_DLT_RAW || dlt == 228 || dlt == 229;
}

long pd_net_offset(int dlt, const uint8_t *pkt, size_t caplen)
{
	size_t at;
	uint16_t type;

	if (pd_dlt_is_raw(dlt))
		return 0;
	if (dlt == TRACE_DLT_EN10MB)
		at = 12;
	else if (dlt == DLT_LINUX_SLL_)
		at = 14;
	else if (dlt == DLT_LINUX_SLL2_)
		at = 0;
	else
		return -1;
	if (caplen < at + 2 || (dlt == DLT_LINUX_SLL2_ && caplen < 20))
		return -1;
	type = pd_rd16(pkt + at);
	if (type != 0x0800 && type != 0x86dd)
		return -1;
	return dlt == DLT_LINUX_SLL2_ ? 20 : dlt == DLT_LINUX_SLL_ ? 16 : 14;
}

void pd_walk(struct pd_fields *fs, int dlt, const uint8_t *pkt, size_t caplen, size_t wirelen,
             uint64_t ts_ns, size_t base)
{
	fs->pkt = pkt;
	fs->caplen = caplen;
	fs->n = 0;
	fs->overflow = false;
	fs->depth = 0;
	if (base > caplen)
		base = caplen;
	pseudo(fs, "frame.time", ts_ns, PD_TIME);
	pseudo(fs, "frame.len", wirelen >= base ? wirelen - base : 0, PD_DEC);
	pseudo(fs, "frame.cap_len", caplen - base, PD_DEC);
	if (base > 0 || pd_dlt_is_raw(dlt))
		pdf_ip_raw(fs, base, caplen);
	else if (dlt == TRACE_DLT_EN10MB)
		pdf_ether(fs, 0, caplen);
	else if (dlt == DLT_LINUX_SLL_ || dlt == DLT_LINUX_SLL2_)
		pdf_sll(fs, 0, caplen, dlt == DLT_LINUX_SLL_ ? 1 : 2);
	else
		pd_rest(fs, "frame.data", 0, caplen);
}
