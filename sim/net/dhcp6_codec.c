/*
 * DHCPv6 message and option codec (RFC 8415 sections 8 and 21, RFC 3646
 * for DNS servers). Decoding checks every length before it reads and names
 * the offset of the first bad option; encoding writes options in the order
 * WIDE-DHCPv6's dhcp6_set_options does, so captures look like the seed's.
 */
#include "dhcp6.h"

#include <stdio.h>
#include <string.h>

const uint8_t dhcp6_all_agents[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2 };

#define IA_PD_FIXED 12     /* IAID, T1, T2 */
#define IAPREFIX_FIXED 25  /* preferred, valid, prefix-length, prefix */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- the walker -------------------------------------------------------------- */

void dhcp6_opt_iter_init(struct dhcp6_opt_iter *it, const uint8_t *p, size_t len, size_t base)
{
	it->p = p;
	it->len = len;
	it->pos = 0;
	it->base = base;
}

static int fail(struct dhcp6_error *err, enum dhcp6_err code, size_t offset, uint16_t option)
{
	if (err) {
		err->code = code;
		err->offset = offset;
		err->option = option;
	}
	return -1;
}

int dhcp6_opt_next(struct dhcp6_opt_iter *it, struct dhcp6_opt *o, struct dhcp6_error *err)
{
	size_t left = it->len - it->pos;
	if (left == 0)
		return 0;
	size_t at = it->base + it->pos;
	if (left < 4)
		return fail(err, DHCP6_ERR_OPTHDR, at, left >= 2 ? rd16(it->p + it->pos) : 0);
	const uint8_t *h = it->p + it->pos;
	o->code = rd16(h);
	o->len = rd16(h + 2);
	if (o->len > left - 4)
		return fail(err, DHCP6_ERR_OPTLEN, at, o->code);
	o->val = h + 4;
	o->offset = at;
	it->pos += 4 + (size_t)o->len;
	return 1;
}

/* ---- decoding ------------------------------------------------------------------ */

static int dec_duid(const struct dhcp6_opt *o, struct dhcp6_duid *d, struct dhcp6_error *err)
{
	if (d->len)
		return fail(err, DHCP6_ERR_DUP, o->offset, o->code);
	if (o->len < 2 || o->len > DHCP6_DUID_MAX)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	d->len = o->len;
	memcpy(d->id, o->val, o->len);
	return 0;
}

/* Status Code: 2-byte code, then a UTF-8 message (kept cut). */
static int dec_status(const struct dhcp6_opt *o, bool *has, uint16_t *code, char *msg,
                      size_t msglen, struct dhcp6_error *err)
{
	if (*has)
		return fail(err, DHCP6_ERR_DUP, o->offset, o->code);
	if (o->len < 2)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	*has = true;
	*code = rd16(o->val);
	if (msg) {
		size_t n = o->len - 2u < msglen - 1 ? o->len - 2u : msglen - 1;
		memcpy(msg, o->val + 2, n);
		msg[n] = '\0';
	}
	return 0;
}

static int dec_iaprefix(const struct dhcp6_opt *o, struct dhcp6_iapd *ia, struct dhcp6_error *err)
{
	if (o->len < IAPREFIX_FIXED)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	if (ia->nprefix == DHCP6_MAX_PREFIX)
		return fail(err, DHCP6_ERR_TOOMANY, o->offset, o->code);
	struct dhcp6_prefix *p = &ia->prefix[ia->nprefix];
	memset(p, 0, sizeof *p);
	p->preferred = rd32(o->val);
	p->valid = rd32(o->val + 4);
	p->plen = o->val[8];
	memcpy(p->addr, o->val + 9, 16);
	if (p->plen > 128)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	struct dhcp6_opt_iter it;
	struct dhcp6_opt sub;
	dhcp6_opt_iter_init(&it, o->val + IAPREFIX_FIXED, o->len - IAPREFIX_FIXED,
	                    o->offset + 4 + IAPREFIX_FIXED);
	int r;
	while ((r = dhcp6_opt_next(&it, &sub, err)) == 1)
		if (sub.code == DH6OPT_STATUS_CODE &&
		    dec_status(&sub, &p->has_status, &p->status, NULL, 0, err) < 0)
			return -1;
	if (r < 0)
		return -1;
	ia->nprefix++;
	return 0;
}

static int dec_iapd(const struct dhcp6_opt *o, struct dhcp6_msg *m, struct dhcp6_error *err)
{
	if (o->len < IA_PD_FIXED)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	if (m->niapd == DHCP6_MAX_IAPD)
		return fail(err, DHCP6_ERR_TOOMANY, o->offset, o->code);
	struct dhcp6_iapd *ia = &m->iapd[m->niapd];
	memset(ia, 0, sizeof *ia);
	ia->iaid = rd32(o->val);
	ia->t1 = rd32(o->val + 4);
	ia->t2 = rd32(o->val + 8);
	struct dhcp6_opt_iter it;
	struct dhcp6_opt sub;
	dhcp6_opt_iter_init(&it, o->val + IA_PD_FIXED, o->len - IA_PD_FIXED,
	                    o->offset + 4 + IA_PD_FIXED);
	int r;
	while ((r = dhcp6_opt_next(&it, &sub, err)) == 1) {
		if (sub.code == DH6OPT_IAPREFIX && dec_iaprefix(&sub, ia, err) < 0)
			return -1;
		if (sub.code == DH6OPT_STATUS_CODE &&
		    dec_status(&sub, &ia->has_status, &ia->status, NULL, 0, err) < 0)
			return -1;
	}
	if (r < 0)
		return -1;
	m->niapd++;
	return 0;
}

static int dec_list16(const struct dhcp6_opt *o, struct dhcp6_msg *m, struct dhcp6_error *err)
{
	if (o->len % 2)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	for (size_t i = 0; i + 1 < o->len; i += 2) {
		if (m->noro == DHCP6_MAX_ORO)
			return fail(err, DHCP6_ERR_TOOMANY, o->offset, o->code);
		m->oro[m->noro++] = rd16(o->val + i);
	}
	return 0;
}

static int dec_dns(const struct dhcp6_opt *o, struct dhcp6_msg *m, struct dhcp6_error *err)
{
	if (o->len % 16)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	for (size_t i = 0; i < o->len; i += 16) {
		if (m->ndns == DHCP6_MAX_DNS)
			return fail(err, DHCP6_ERR_TOOMANY, o->offset, o->code);
		memcpy(m->dns[m->ndns++], o->val + i, 16);
	}
	return 0;
}

/* A fixed-length option that may appear once. */
static int dec_once(const struct dhcp6_opt *o, bool *has, uint16_t want, struct dhcp6_error *err)
{
	if (*has)
		return fail(err, DHCP6_ERR_DUP, o->offset, o->code);
	if (o->len != want)
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	*has = true;
	return 0;
}

static int dec_option(const struct dhcp6_opt *o, struct dhcp6_msg *m, struct dhcp6_error *err)
{
	switch (o->code) {
	case DH6OPT_CLIENTID: return dec_duid(o, &m->clientid, err);
	case DH6OPT_SERVERID: return dec_duid(o, &m->serverid, err);
	case DH6OPT_ORO: return dec_list16(o, m, err);
	case DH6OPT_DNS_SERVERS: return dec_dns(o, m, err);
	case DH6OPT_IA_PD: return dec_iapd(o, m, err);
	case DH6OPT_STATUS_CODE:
		return dec_status(o, &m->has_status, &m->status, m->status_msg, sizeof m->status_msg,
		                  err);
	case DH6OPT_RAPID_COMMIT: return dec_once(o, &m->rapid_commit, 0, err);
	case DH6OPT_PREFERENCE:
		if (dec_once(o, &m->has_pref, 1, err) < 0)
			return -1;
		m->pref = o->val[0];
		return 0;
	case DH6OPT_ELAPSED_TIME:
		if (dec_once(o, &m->has_elapsed, 2, err) < 0)
			return -1;
		m->elapsed = rd16(o->val);
		return 0;
	case DH6OPT_IAPREFIX: /* only inside an IA_PD */
		return fail(err, DHCP6_ERR_BADLEN, o->offset, o->code);
	default: return 0; /* unknown options are ignored (RFC 8415 16) */
	}
}

int dhcp6_decode(const uint8_t *p, size_t len, struct dhcp6_msg *m, struct dhcp6_error *err)
{
	memset(m, 0, sizeof *m);
	if (err)
		memset(err, 0, sizeof *err);
	if (len < 4)
		return fail(err, DHCP6_ERR_SHORT, 0, 0);
	m->type = p[0];
	m->xid = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	struct dhcp6_opt_iter it;
	struct dhcp6_opt o;
	dhcp6_opt_iter_init(&it, p + 4, len - 4, 4);
	int r;
	while ((r = dhcp6_opt_next(&it, &o, err)) == 1)
		if (dec_option(&o, m, err) < 0)
			return -1;
	return r;
}

/* ---- encoding ------------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t cap, n;
	bool overflow;
};

static uint8_t *w_take(struct wbuf *w, size_t n)
{
	if (w->overflow || n > w->cap - w->n) {
		w->overflow = true;
		return NULL;
	}
	uint8_t *at = w->p + w->n;
	w->n += n;
	return at;
}

static void w16(struct wbuf *w, uint16_t v)
{
	uint8_t *p = w_take(w, 2);
	if (p) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	}
}

static void w32(struct wbuf *w, uint32_t v)
{
	w16(w, (uint16_t)(v >> 16));
	w16(w, (uint16_t)v);
}

static void wbytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = w_take(w, n);
	if (p && n)
		memcpy(p, src, n);
}

/* Option header with its length filled in by opt_end. */
static size_t opt_begin(struct wbuf *w, uint16_t code)
{
	size_t at = w->n;
	w16(w, code);
	w16(w, 0);
	return at;
}

static void opt_end(struct wbuf *w, size_t at)
{
	if (w->overflow)
		return;
	size_t len = w->n - at - 4;
	w->p[at + 2] = (uint8_t)(len >> 8);
	w->p[at + 3] = (uint8_t)len;
}

static void enc_status(struct wbuf *w, uint16_t code, const char *msg)
{
	size_t at = opt_begin(w, DH6OPT_STATUS_CODE);
	w16(w, code);
	if (msg)
		wbytes(w, msg, strlen(msg));
	opt_end(w, at);
}

static void enc_iapd(struct wbuf *w, const struct dhcp6_iapd *ia)
{
	size_t at = opt_begin(w, DH6OPT_IA_PD);
	w32(w, ia->iaid);
	w32(w, ia->t1);
	w32(w, ia->t2);
	for (size_t i = 0; i < ia->nprefix && i < DHCP6_MAX_PREFIX; i++) {
		const struct dhcp6_prefix *p = &ia->prefix[i];
		size_t pat = opt_begin(w, DH6OPT_IAPREFIX);
		w32(w, p->preferred);
		w32(w, p->valid);
		wbytes(w, &p->plen, 1);
		wbytes(w, p->addr, 16);
		if (p->has_status)
			enc_status(w, p->status, NULL);
		opt_end(w, pat);
	}
	if (ia->has_status)
		enc_status(w, ia->status, NULL);
	opt_end(w, at);
}

static void enc_simple(struct wbuf *w, const struct dhcp6_msg *m)
{
	if (m->clientid.len) {
		w16(w, DH6OPT_CLIENTID);
		w16(w, m->clientid.len);
		wbytes(w, m->clientid.id, m->clientid.len);
	}
	if (m->serverid.len) {
		w16(w, DH6OPT_SERVERID);
		w16(w, m->serverid.len);
		wbytes(w, m->serverid.id, m->serverid.len);
	}
	if (m->rapid_commit) {
		w16(w, DH6OPT_RAPID_COMMIT);
		w16(w, 0);
	}
	if (m->has_pref) {
		w16(w, DH6OPT_PREFERENCE);
		w16(w, 1);
		wbytes(w, &m->pref, 1);
	}
	if (m->has_elapsed) {
		w16(w, DH6OPT_ELAPSED_TIME);
		w16(w, 2);
		w16(w, m->elapsed);
	}
	if (m->has_status)
		enc_status(w, m->status, m->status_msg);
}

size_t dhcp6_encode(const struct dhcp6_msg *m, uint8_t *buf, size_t cap)
{
	struct wbuf w = { .p = buf, .cap = cap };
	wbytes(&w, &m->type, 1);
	uint8_t xid[3] = { (uint8_t)(m->xid >> 16), (uint8_t)(m->xid >> 8), (uint8_t)m->xid };
	wbytes(&w, xid, 3);
	enc_simple(&w, m);
	if (m->noro) {
		size_t at = opt_begin(&w, DH6OPT_ORO);
		for (size_t i = 0; i < m->noro && i < DHCP6_MAX_ORO; i++)
			w16(&w, m->oro[i]);
		opt_end(&w, at);
	}
	if (m->ndns) {
		size_t at = opt_begin(&w, DH6OPT_DNS_SERVERS);
		for (size_t i = 0; i < m->ndns && i < DHCP6_MAX_DNS; i++)
			wbytes(&w, m->dns[i], 16);
		opt_end(&w, at);
	}
	for (size_t i = 0; i < m->niapd && i < DHCP6_MAX_IAPD; i++)
		enc_iapd(&w, &m->iapd[i]);
	return w.overflow ? 0 : w.n;
}

/* ---- names ---------------------------------------------------------------------- */

const char *dhcp6_opt_name(uint16_t code)
{
	switch (code) {
	case DH6OPT_CLIENTID: return "client ID";
	case DH6OPT_SERVERID: return "server ID";
	case DH6OPT_IA_NA: return "IA_NA";
	case DH6OPT_ORO: return "option request";
	case DH6OPT_PREFERENCE: return "preference";
	case DH6OPT_ELAPSED_TIME: return "elapsed time";
	case DH6OPT_STATUS_CODE: return "status code";
	case DH6OPT_RAPID_COMMIT: return "rapid commit";
	case DH6OPT_DNS_SERVERS: return "DNS";
	case DH6OPT_IA_PD: return "IA_PD";
	case DH6OPT_IAPREFIX: return "IA_PD prefix";
	default: return NULL;
	}
}

void dhcp6_strerror(const struct dhcp6_error *err, char *buf, size_t len)
{
	static const char *const what[] = {
		[DHCP6_OK] = "no error",
		[DHCP6_ERR_SHORT] = "message shorter than its 4-byte header",
		[DHCP6_ERR_OPTHDR] = "option header truncated",
		[DHCP6_ERR_OPTLEN] = "option runs past its container",
		[DHCP6_ERR_BADLEN] = "option length not allowed by its format",
		[DHCP6_ERR_DUP] = "option repeated",
		[DHCP6_ERR_TOOMANY] = "too many options of this kind",
		[DHCP6_ERR_NOSPACE] = "no space to encode",
	};
	const char *w = (size_t)err->code < sizeof what / sizeof what[0] ? what[err->code] : "?";
	const char *name = dhcp6_opt_name(err->option);
	if (err->code == DHCP6_ERR_SHORT || err->code == DHCP6_OK)
		snprintf(buf, len, "offset %zu: %s", err->offset, w);
	else if (name)
		snprintf(buf, len, "offset %zu: option %u (%s): %s", err->offset, err->option, name, w);
	else
		snprintf(buf, len, "offset %zu: option %u: %s", err->offset, err->option, w);
}

const char *dhcp6_msg_name(uint8_t type, char *buf, size_t len)
{
	switch (type) {
	case DH6_SOLICIT: return "solicit";
	case DH6_ADVERTISE: return "advertise";
	case DH6_REQUEST: return "request";
	case DH6_CONFIRM: return "confirm";
	case DH6_RENEW: return "renew";
	case DH6_REBIND: return "rebind";
	case DH6_REPLY: return "reply";
	case DH6_RELEASE: return "release";
	case DH6_DECLINE: return "decline";
	case DH6_RECONFIGURE: return "reconfigure";
	case DH6_INFORM_REQ: return "information request";
	default: snprintf(buf, len, "msg%u", type); return buf;
	}
}

const char *dhcp6_msg_tcpdump_name(uint8_t type, char *buf, size_t len)
{
	switch (type) {
	case DH6_INFORM_REQ: return "inf-req";
	case 12: return "relay-fwd";
	case 13: return "relay-reply";
	case 14: return "leasequery";
	case 15: return "leasequery-reply";
	default:
		if (type >= DH6_SOLICIT && type <= DH6_RECONFIGURE)
			return dhcp6_msg_name(type, buf, len);
		snprintf(buf, len, "msgtype-%u", type);
		return buf;
	}
}

const char *dhcp6_status_name(uint16_t status, char *buf, size_t len)
{
	switch (status) {
	case DH6ST_SUCCESS: return "success";
	case DH6ST_UNSPECFAIL: return "unspec failure";
	case DH6ST_NOADDRSAVAIL: return "no addresses";
	case DH6ST_NOBINDING: return "no binding";
	case DH6ST_NOTONLINK: return "not on-link";
	case DH6ST_USEMULTICAST: return "use multicast";
	case DH6ST_NOPREFIXAVAIL: return "no prefixes";
	default: snprintf(buf, len, "code%u", status); return buf;
	}
}

/* ---- DUIDs and prefixes -------------------------------------------------------- */

void dhcp6_duid_llt(struct dhcp6_duid *d, uint32_t t, const uint8_t mac[6])
{
	const uint8_t head[8] = { 0, 1, 0, 1, (uint8_t)(t >> 24), (uint8_t)(t >> 16),
		                  (uint8_t)(t >> 8), (uint8_t)t };
	memcpy(d->id, head, sizeof head);
	memcpy(d->id + 8, mac, 6);
	d->len = 14;
}

void dhcp6_duid_str(const struct dhcp6_duid *d, char *buf, size_t len)
{
	size_t n = 0;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < d->len && n + 4 <= len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%02x", i ? ":" : "", d->id[i]);
}

bool dhcp6_duid_eq(const struct dhcp6_duid *a, const struct dhcp6_duid *b)
{
	return a->len == b->len && memcmp(a->id, b->id, a->len) == 0;
}

bool dhcp6_carve(const uint8_t prefix[16], uint8_t plen, uint32_t sla_id, uint8_t sla_len,
                 uint8_t out[16], uint8_t *out_plen)
{
	unsigned total = (unsigned)plen + sla_len;
	if (plen > 128 || total > 64 || sla_len > 32)
		return false;
	memset(out, 0, 16);
	for (unsigned b = 0; b < plen; b++)
		if (prefix[b / 8] & (0x80 >> (b % 8)))
			out[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	/* The SLA ID's low sla_len bits go just before the 64-bit interface ID. */
	for (unsigned i = 0; i < sla_len; i++) {
		unsigned bit = 63 - i; /* bit index counted from the prefix's start */
		if (sla_id & (1u << i))
			out[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	}
	*out_plen = (uint8_t)total;
	return true;
}
