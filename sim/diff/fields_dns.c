/*
 * DNS fields (RFC 1035): dns.id, dns.flags, the four counts, then each
 * question (dns.qry.name, dns.qry.type, dns.qry.class) and resource record
 * (dns.resp.name, .type, .class, .ttl, .len, then dns.a, dns.aaaa or
 * dns.resp.data). Names are the bytes in place: labels up to the root or
 * a compression pointer, never followed, so the walk is linear.
 */
#include "fields.h"

#define DNS_HDR 12

/* Length of the name at off, in place; 0 when it runs past end. */
static size_t name_len(const struct pd_fields *fs, size_t off, size_t end)
{
	size_t at = off;

	while (at < end) {
		uint8_t l = fs->pkt[at];
		if (l == 0)
			return at + 1 - off;
		if ((l & 0xc0) == 0xc0)
			return at + 2 <= end ? at + 2 - off : 0;
		if (l & 0xc0)
			return 0;   /* 0x40/0x80: extended label types, not walked */
		at += 1 + (size_t)l;
	}
	return 0;
}

/* One question (rr false) or resource record; returns the next offset,
 * or 0 when it does not fit (the caller then stops). */
static size_t entry(struct pd_fields *fs, bool rr, size_t off, size_t end)
{
	const char *pfx = rr ? "dns.resp" : "dns.qry";
	size_t nl = name_len(fs, off, end);
	size_t fixed = rr ? 10 : 4;

	if (nl == 0 || end - off - nl < fixed)
		return 0;
	size_t at = off + nl;
	if (rr && end - at - fixed < pd_rd16(fs->pkt + at + 8))
		return 0;
	pd_addf(fs, off, nl, PD_DNSNAME, "%s.name", pfx);
	pd_addf(fs, at, 2, PD_DEC, "%s.type", pfx);
	pd_addf(fs, at + 2, 2, PD_DEC, "%s.class", pfx);
	if (!rr)
		return at + 4;
	uint16_t type = pd_rd16(fs->pkt + at), rdlen = pd_rd16(fs->pkt + at + 8);
	pd_add(fs, "dns.resp.ttl", at + 4, 4, PD_DEC);
	pd_add(fs, "dns.resp.len", at + 8, 2, PD_DEC);
	if (type == 1 && rdlen == 4)
		pd_add(fs, "dns.a", at + 10, 4, PD_IP4);
	else if (type == 28 && rdlen == 16)
		pd_add(fs, "dns.aaaa", at + 10, 16, PD_IP6);
	else
		pd_add(fs, "dns.resp.data", at + 10, rdlen, PD_BYTES);
	return at + 10 + rdlen;
}

void pdf_dns(struct pd_fields *fs, size_t off, size_t end)
{
	if (end < off + DNS_HDR) {
		pd_rest(fs, "dns.truncated", off, end);
		return;
	}
	const uint8_t *p = fs->pkt + off;
	unsigned qd = pd_rd16(p + 4);
	unsigned rrs = (unsigned)pd_rd16(p + 6) + pd_rd16(p + 8) + pd_rd16(p + 10);

	pd_add(fs, "dns.id", off, 2, PD_HEX);
	pd_add(fs, "dns.flags", off + 2, 2, PD_HEX);
	pd_add(fs, "dns.count.queries", off + 4, 2, PD_DEC);
	pd_add(fs, "dns.count.answers", off + 6, 2, PD_DEC);
	pd_add(fs, "dns.count.auth_rr", off + 8, 2, PD_DEC);
	pd_add(fs, "dns.count.add_rr", off + 10, 2, PD_DEC);
	off += DNS_HDR;
	for (unsigned i = 0; i < qd + rrs && off < end; i++) {
		size_t next = entry(fs, i >= qd, off, end);
		if (next == 0)
			break;
		off = next;
	}
	pd_rest(fs, "dns.malformed", off, end);
}
