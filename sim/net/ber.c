/*
 * BER (X.690) as LDAP uses it: see ber.h for the subset and what is refused.
 */
#include "ber.h"

#include <string.h>

const char *ber_strerror(enum ber_err e)
{
	switch (e) {
	case BER_OK: return "no error";
	case BER_ETRUNC: return "truncated element";
	case BER_EINDEF: return "indefinite length";
	case BER_ELENGTH: return "bad length";
	case BER_ETAG: return "multi-byte tag";
	case BER_ETYPE: return "unexpected tag";
	case BER_EVALUE: return "bad value";
	}
	return "unknown error";
}

/*
 * Tag and length of the element at buf: the header's size in *hdr and the
 * content length in *clen. 1 done, 0 more bytes needed, -1 malformed.
 */
static int read_header(const uint8_t *buf, size_t len, size_t *hdr, size_t *clen,
                       enum ber_err *err)
{
	if (len < 2)
		return 0;
	if ((buf[0] & 0x1f) == 0x1f) {
		*err = BER_ETAG;
		return -1;
	}
	uint8_t l0 = buf[1];
	if (l0 < 0x80) {
		*hdr = 2;
		*clen = l0;
		return 1;
	}
	size_t n = l0 & 0x7fu;
	if (n == 0) {
		*err = BER_EINDEF;
		return -1;
	}
	if (n > 4) { /* LDAP messages are far below 4 GiB; more octets is an attack */
		*err = BER_ELENGTH;
		return -1;
	}
	if (len < 2 + n)
		return 0;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | buf[2 + i];
	*hdr = 2 + n;
	*clen = v;
	return 1;
}

int ber_frame(const uint8_t *buf, size_t len, size_t *total, enum ber_err *err)
{
	size_t hdr, clen;
	enum ber_err e = BER_OK;
	int rc = read_header(buf, len, &hdr, &clen, &e);
	if (rc < 0 && err)
		*err = e;
	if (rc <= 0)
		return rc;
	if (clen > SIZE_MAX - hdr) {
		if (err)
			*err = BER_ELENGTH;
		return -1;
	}
	*total = hdr + clen;
	return len >= *total;
}

void ber_reader_init(struct ber_reader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = BER_OK;
}

void ber_reader_sub(struct ber_reader *r, const struct ber_tlv *t)
{
	ber_reader_init(r, t->val, t->len);
}

bool ber_at_end(const struct ber_reader *r)
{
	return r->off >= r->len;
}

static bool fail(struct ber_reader *r, enum ber_err e)
{
	if (r->err == BER_OK)
		r->err = e;
	return false;
}

bool ber_next(struct ber_reader *r, struct ber_tlv *t)
{
	if (r->err != BER_OK)
		return false;
	size_t avail = r->len - r->off, hdr, clen;
	enum ber_err e = BER_ETRUNC;
	int rc = read_header(r->p + r->off, avail, &hdr, &clen, &e);
	if (rc < 0)
		return fail(r, e);
	/* Within its enclosing element, a header that does not fit or content
	 * running past the end is a truncated (or lying) length. */
	if (rc == 0 || clen > avail - hdr)
		return fail(r, BER_ETRUNC);
	t->tag = r->p[r->off];
	t->val = r->p + r->off + hdr;
	t->len = clen;
	r->off += hdr + clen;
	return true;
}

bool ber_expect(struct ber_reader *r, uint8_t tag, struct ber_tlv *t)
{
	if (!ber_next(r, t))
		return false;
	return t->tag == tag || fail(r, BER_ETYPE);
}

bool ber_tlv_int(const struct ber_tlv *t, long *v)
{
	if (t->len < 1 || t->len > 4) /* LDAP integers are 0..2^31-1 */
		return false;
	uint32_t u = t->val[0] & 0x80 ? UINT32_MAX : 0;
	for (size_t i = 0; i < t->len; i++)
		u = u << 8 | t->val[i];
	*v = (long)(int32_t)u;
	return true;
}

bool ber_get_int(struct ber_reader *r, uint8_t tag, long *v)
{
	struct ber_tlv t;
	if (!ber_expect(r, tag, &t))
		return false;
	return ber_tlv_int(&t, v) || fail(r, BER_EVALUE);
}

bool ber_get_bool(struct ber_reader *r, uint8_t tag, bool *v)
{
	struct ber_tlv t;
	if (!ber_expect(r, tag, &t))
		return false;
	if (t.len != 1)
		return fail(r, BER_EVALUE);
	*v = t.val[0] != 0;
	return true;
}

bool ber_get_str(struct ber_reader *r, uint8_t tag, char *buf, size_t cap)
{
	struct ber_tlv t;
	if (!ber_expect(r, tag, &t))
		return false;
	if (cap == 0 || t.len >= cap || memchr(t.val, '\0', t.len))
		return fail(r, BER_EVALUE);
	memcpy(buf, t.val, t.len);
	buf[t.len] = '\0';
	return true;
}

/* ---- writer ------------------------------------------------------------------------------- */

void ber_writer_init(struct ber_writer *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof *w);
	w->buf = buf;
	w->cap = buf ? cap : 0;
}

static bool room(struct ber_writer *w, size_t n)
{
	if (w->failed || n > w->cap - w->len) {
		w->failed = true;
		return false;
	}
	return true;
}

static size_t len_octets(size_t len)
{
	size_t n = 1;
	if (len >= 0x80)
		for (size_t v = len; v; v >>= 8)
			n++;
	return n;
}

static void put_len(uint8_t *p, size_t len, size_t n)
{
	if (n == 1) {
		p[0] = (uint8_t)len;
		return;
	}
	p[0] = (uint8_t)(0x80 | (n - 1));
	for (size_t i = n - 1; i >= 1; i--, len >>= 8)
		p[i] = (uint8_t)len;
}

static void put_tlv(struct ber_writer *w, uint8_t tag, const void *val, size_t len)
{
	size_t n = len_octets(len);
	if (!room(w, 1 + n) || !room(w, 1 + n + len))
		return;
	w->buf[w->len] = tag;
	put_len(w->buf + w->len + 1, len, n);
	if (len)
		memcpy(w->buf + w->len + 1 + n, val, len);
	w->len += 1 + n + len;
}

void ber_begin(struct ber_writer *w, uint8_t tag)
{
	if (w->depth == BER_MAX_DEPTH)
		w->failed = true;
	if (!room(w, 1))
		return;
	w->buf[w->len++] = tag;
	w->open[w->depth++] = w->len;
}

void ber_end(struct ber_writer *w)
{
	if (w->depth == 0)
		w->failed = true;
	if (w->failed)
		return;
	size_t start = w->open[--w->depth], clen = w->len - start, n = len_octets(clen);
	if (!room(w, n))
		return;
	/* The content was written first: make room for its length in front. */
	memmove(w->buf + start + n, w->buf + start, clen);
	put_len(w->buf + start, clen, n);
	w->len += n;
}

void ber_put_int(struct ber_writer *w, uint8_t tag, long v)
{
	uint8_t b[sizeof(long)];
	size_t n = sizeof b;
	unsigned long u = (unsigned long)v;
	for (size_t i = sizeof b; i-- > 0; u >>= 8)
		b[i] = (uint8_t)u;
	size_t skip = 0;
	/* Drop leading octets that only repeat the sign of the next one. */
	while (n - skip > 1 && ((b[skip] == 0x00 && !(b[skip + 1] & 0x80)) ||
	                        (b[skip] == 0xff && (b[skip + 1] & 0x80))))
		skip++;
	put_tlv(w, tag, b + skip, n - skip);
}

void ber_put_bool(struct ber_writer *w, uint8_t tag, bool v)
{
	uint8_t b = v ? 0xff : 0x00; /* DER's TRUE, what OpenLDAP sends */
	put_tlv(w, tag, &b, 1);
}

void ber_put_octets(struct ber_writer *w, uint8_t tag, const void *p, size_t len)
{
	put_tlv(w, tag, p, len);
}

void ber_put_str(struct ber_writer *w, uint8_t tag, const char *s)
{
	put_tlv(w, tag, s, strlen(s));
}

long ber_finish(const struct ber_writer *w)
{
	return w->failed || w->depth != 0 ? -1 : (long)w->len;
}
