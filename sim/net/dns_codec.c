/*
 * DNS wire format (RFC 1035 section 4): decoding with a bounds check
 * before every read, and the encoder the name server and `host` use.
 * See dns.h for the rules on names and compression pointers.
 */
#include "dns.h"

#include <stdio.h>
#include <string.h>

#define PTR_HOPS_MAX 64 /* more pointers than a 255-octet name can need */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int fail(struct dns_error *err, size_t off, const char *what)
{
	if (err) {
		err->offset = off;
		err->what = what;
	}
	return -1;
}

const char *dns_type_name(uint16_t type)
{
	switch (type) {
	case DNS_T_A: return "A";
	case DNS_T_NS: return "NS";
	case DNS_T_CNAME: return "CNAME";
	case DNS_T_SOA: return "SOA";
	case DNS_T_PTR: return "PTR";
	case DNS_T_MX: return "MX";
	case DNS_T_TXT: return "TXT";
	case DNS_T_AAAA: return "AAAA";
	case DNS_T_ANY: return "ANY";
	default: return NULL;
	}
}

const char *dns_rcode_name(unsigned rcode)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL",
		                             "NXDOMAIN", "NOTIMP", "REFUSED" };
	return rcode < sizeof names / sizeof names[0] ? names[rcode] : NULL;
}

/* Append one label's octets to the text, escaped as BIND prints them. */
static bool put_label(char *out, size_t cap, size_t *o, const uint8_t *lab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char tmp[5];
		uint8_t c = lab[i];
		if (c == '.' || c == '\\')
			snprintf(tmp, sizeof tmp, "\\%c", c);
		else if (c > 0x20 && c < 0x7f)
			snprintf(tmp, sizeof tmp, "%c", c);
		else
			snprintf(tmp, sizeof tmp, "\\%03u", c);
		size_t k = strlen(tmp);
		if (*o + k >= cap)
			return false;
		memcpy(out + *o, tmp, k);
		*o += k;
	}
	out[*o] = '\0';
	return true;
}

int dns_name_decode(const uint8_t *msg, size_t len, size_t off, char *out, size_t cap,
                    size_t *next, struct dns_error *err)
{
	size_t pos = off, o = 0, wire = 0, limit = off; /* a pointer must go below `limit` */
	bool jumped = false;
	int hops = 0;

	if (cap == 0)
		return fail(err, off, "no room for the name");
	out[0] = '\0';
	for (;;) {
		if (pos >= len)
			return fail(err, pos, "name runs past the end of the message");
		uint8_t b = msg[pos];
		if ((b & 0xc0) == 0xc0) {
			if (pos + 2 > len)
				return fail(err, pos, "truncated compression pointer");
			size_t to = rd16(msg + pos) & 0x3fff;
			/* Strictly backwards, so following pointers always ends. */
			if (to >= limit || ++hops > PTR_HOPS_MAX)
				return fail(err, pos, "compression pointer does not point backwards (loop)");
			if (!jumped && next)
				*next = pos + 2;
			jumped = true;
			limit = to;
			pos = to;
			continue;
		}
		if (b & 0xc0)
			return fail(err, pos, "reserved label type");
		wire += 1u + b;
		if (wire > DNS_NAME_WIRE_MAX)
			return fail(err, pos, "name longer than 255 octets");
		if (b == 0)
			break;
		if (pos + 1 + b > len)
			return fail(err, pos, "label runs past the end of the message");
		if (o > 0) {
			if (o + 1 >= cap)
				return fail(err, pos, "name too long for the buffer");
			out[o++] = '.';
			out[o] = '\0';
		}
		if (!put_label(out, cap, &o, msg + pos + 1, b))
			return fail(err, pos, "name too long for the buffer");
		pos += 1u + b;
	}
	if (!jumped && next)
		*next = pos + 1;
	return 0;
}

bool dns_name_equal(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

static int decode_rr(const uint8_t *msg, size_t len, size_t *pos, struct dns_rr *rr,
                     struct dns_error *err)
{
	size_t at = *pos;
	if (dns_name_decode(msg, len, at, rr->name, sizeof rr->name, pos, err) < 0)
		return -1;
	if (*pos + 10 > len)
		return fail(err, *pos, "truncated resource record");
	const uint8_t *p = msg + *pos;
	rr->type = rd16(p);
	rr->rclass = rd16(p + 2);
	rr->ttl = rd32(p + 4);
	rr->rdlength = rd16(p + 8);
	if (*pos + 10 + rr->rdlength > len)
		return fail(err, *pos + 8, "rdata runs past the end of the message");
	if ((rr->type == DNS_T_A && rr->rdlength != 4) ||
	    (rr->type == DNS_T_AAAA && rr->rdlength != 16))
		return fail(err, *pos + 8, "address record with a wrong rdata length");
	size_t keep = rr->rdlength < DNS_RDATA_MAX ? rr->rdlength : DNS_RDATA_MAX;
	memcpy(rr->rdata, p + 10, keep);
	*pos += 10u + rr->rdlength;
	return 0;
}

static int decode_question(const uint8_t *msg, size_t len, size_t *pos, struct dns_question *q,
                           struct dns_error *err)
{
	if (dns_name_decode(msg, len, *pos, q->name, sizeof q->name, pos, err) < 0)
		return -1;
	if (*pos + 4 > len)
		return fail(err, *pos, "truncated question");
	q->qtype = rd16(msg + *pos);
	q->qclass = rd16(msg + *pos + 2);
	*pos += 4;
	return 0;
}

int dns_decode(const uint8_t *msg, size_t len, struct dns_msg *m, struct dns_error *err)
{
	memset(m, 0, sizeof *m);
	if (len < DNS_HDR_LEN)
		return fail(err, len, "truncated header");
	m->h = (struct dns_header){ rd16(msg), rd16(msg + 2), rd16(msg + 4),
		                    rd16(msg + 6), rd16(msg + 8), rd16(msg + 10) };
	size_t pos = DNS_HDR_LEN;
	for (unsigned i = 0; i < m->h.qdcount; i++) {
		struct dns_question scratch;
		struct dns_question *q = i == 0 ? &m->q : &scratch;
		if (decode_question(msg, len, &pos, q, err) < 0)
			return -1;
		m->has_question = true;
	}
	const unsigned counts[3] = { m->h.ancount, m->h.nscount, m->h.arcount };
	for (int s = 0; s < 3; s++) {
		for (unsigned i = 0; i < counts[s]; i++) {
			struct dns_rr scratch;
			struct dns_rr *rr = m->nrr < DNS_MAX_RR ? &m->rr[m->nrr] : &scratch;
			if (decode_rr(msg, len, &pos, rr, err) < 0)
				return -1;
			rr->section = (enum dns_section)s;
			if (m->nrr < DNS_MAX_RR)
				m->nrr++;
		}
	}
	return 0;
}

/* ---- encoding ---------------------------------------------------------- */

struct wbuf {
	uint8_t *p;
	size_t cap, len;
	bool bad;
};

static void put(struct wbuf *w, const void *data, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = true;
		return;
	}
	memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void put16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2];
	wr16(b, v);
	put(w, b, 2);
}

static void put32(struct wbuf *w, uint32_t v)
{
	put16(w, (uint16_t)(v >> 16));
	put16(w, (uint16_t)v);
}

/* Text name to labels. No escapes: the zone files here hold host names. */
static void put_name(struct wbuf *w, const char *name)
{
	size_t total = 1, n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--; /* "www.barnet.com.au." is the same name */
	for (size_t i = 0; i < n;) {
		size_t l = 0;
		while (i + l < n && name[i + l] != '.')
			l++;
		total += 1 + l;
		if (l == 0 || l > DNS_LABEL_MAX || total > DNS_NAME_WIRE_MAX) {
			w->bad = true;
			return;
		}
		uint8_t lb = (uint8_t)l;
		put(w, &lb, 1);
		put(w, name + i, l);
		i += l + (i + l < n);
	}
	put(w, "", 1);
}

size_t dns_encode(uint8_t *buf, size_t cap, const struct dns_msg *m)
{
	struct wbuf w = { buf, cap, 0, false };
	uint16_t counts[3] = { 0, 0, 0 };
	for (size_t i = 0; i < m->nrr; i++)
		counts[m->rr[i].section]++;
	put16(&w, m->h.id);
	put16(&w, m->h.flags);
	put16(&w, m->has_question ? 1 : 0);
	for (int s = 0; s < 3; s++)
		put16(&w, counts[s]);
	if (m->has_question) {
		put_name(&w, m->q.name);
		put16(&w, m->q.qtype);
		put16(&w, m->q.qclass);
	}
	for (int s = 0; s < 3; s++) {
		for (size_t i = 0; i < m->nrr; i++) {
			const struct dns_rr *rr = &m->rr[i];
			if ((int)rr->section != s)
				continue;
			if (m->has_question && dns_name_equal(rr->name, m->q.name))
				put16(&w, 0xc000 | DNS_HDR_LEN); /* the question's name */
			else
				put_name(&w, rr->name);
			put16(&w, rr->type);
			put16(&w, rr->rclass);
			put32(&w, rr->ttl);
			if (rr->rdlength > DNS_RDATA_MAX)
				w.bad = true; /* only what the struct can hold is encoded */
			put16(&w, rr->rdlength);
			put(&w, rr->rdata, rr->rdlength);
		}
	}
	return w.bad ? 0 : w.len;
}

size_t dns_encode_query(uint8_t *buf, size_t cap, uint16_t id, bool rd, const char *name,
                        uint16_t qtype)
{
	static const struct dns_msg zero;
	struct dns_msg m = zero;
	m.h.id = id;
	m.h.flags = rd ? DNS_F_RD : 0;
	m.has_question = true;
	if (strlen(name) >= sizeof m.q.name)
		return 0;
	strcpy(m.q.name, name);
	m.q.qtype = qtype;
	m.q.qclass = DNS_C_IN;
	return dns_encode(buf, cap, &m);
}
