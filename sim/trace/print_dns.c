/*
 * DNS (RFC 1035; tcpdump's print-domain.c without -v):
 *   query     "18022+ A? www.barnet.com.au. (35)"
 *   response  "18022*- 1/0/0 A 202.83.176.248 (51)"
 *             "58054 NXDomain*- 0/0/0 (36)"
 * id, opcode, then for a query '+' (RD) and the counts of sections a query
 * should not have; for a response the rcode, '*' (AA), '-' (no RA), '|'
 * (TC), the an/ns/ar counts and the answers; the question(s) of a query;
 * the message length in parentheses. What does not decode ends in
 * " [|domain]", as tcpdump's truncation does.
 */
#include "trace.h"
#include "../net/dns.h"

#include <stdio.h>

static const char *op_suffix(unsigned op, char *buf, size_t len)
{
	static const char *const ops[] = { "", " inv_q", " stat", " op3", " notify", " update" };
	if (op < sizeof ops / sizeof ops[0])
		return ops[op];
	snprintf(buf, len, " op%u", op);
	return buf;
}

static const char *rcode_suffix(unsigned rcode, char *buf, size_t len)
{
	static const char *const names[] = { "", " FormErr", " ServFail", " NXDomain",
		                             " NotImp", " Refused" };
	if (rcode < sizeof names / sizeof names[0])
		return names[rcode];
	snprintf(buf, len, " Resp%u", rcode);
	return buf;
}

static void put_type(struct trace_buf *b, uint16_t type)
{
	const char *name = dns_type_name(type);
	if (name)
		tb_put(b, "%s", name);
	else
		tb_put(b, "Type%u", type);
}

/* A name with its trailing dot ("." for the root). */
static void put_name(struct trace_buf *b, const char *name)
{
	tb_put(b, "%s.", name);
}

static void put_answer(struct trace_buf *b, const struct dns_rr *rr)
{
	tb_put(b, " ");
	put_type(b, rr->type);
	if (rr->type == DNS_T_A && rr->rdlength == 4) {
		tb_put(b, " ");
		tb_ip4addr(b, rr->rdata);
	} else if (rr->type == DNS_T_AAAA && rr->rdlength == 16) {
		tb_put(b, " ");
		tb_ip6addr(b, rr->rdata);
	}
}

/* The flags and counts tcpdump prints before it reads the question. */
static void print_flags(struct trace_buf *b, const struct dns_header *h)
{
	char tmp[16];
	if (h->flags & DNS_F_QR) {
		tb_put(b, "%s", rcode_suffix(h->flags & DNS_F_RCODE, tmp, sizeof tmp));
		tb_put(b, "%s%s%s", h->flags & DNS_F_AA ? "*" : "", h->flags & DNS_F_RA ? "" : "-",
		       h->flags & DNS_F_TC ? "|" : "");
		if (h->qdcount != 1)
			tb_put(b, " [%uq]", h->qdcount);
		return;
	}
	tb_put(b, "%s", h->flags & DNS_F_RD ? "+" : "");
	if (h->qdcount != 1)
		tb_put(b, " [%uq]", h->qdcount);
	if (h->ancount)
		tb_put(b, " [%ua]", h->ancount);
	if (h->nscount)
		tb_put(b, " [%un]", h->nscount);
	if (h->arcount)
		tb_put(b, " [%uau]", h->arcount);
}

static void print_answers(struct trace_buf *b, const struct dns_msg *m)
{
	bool first = true;
	for (size_t i = 0; i < m->nrr; i++) {
		if (m->rr[i].section != DNS_S_ANSWER)
			continue;
		if (!first)
			tb_put(b, ",");
		put_answer(b, &m->rr[i]);
		first = false;
	}
}

/* Whether the question section is all there (tcpdump reads it first). */
static bool questions_ok(const uint8_t *p, size_t have, unsigned qdcount)
{
	char name[DNS_NAME_TEXT_MAX];
	size_t off = DNS_HDR_LEN;
	for (unsigned i = 0; i < qdcount; i++) {
		if (dns_name_decode(p, have, off, name, sizeof name, &off, NULL) < 0 || off + 4 > have)
			return false;
		off += 4;
	}
	return true;
}

void print_dns(struct trace_buf *b, const uint8_t *p, size_t caplen, size_t length)
{
	struct dns_msg m;
	char tmp[16];
	size_t have = caplen < length ? caplen : length;
	if (have < DNS_HDR_LEN) {
		tb_trunc(b, "domain");
		return;
	}
	struct dns_header h = { tr_rd16(p), tr_rd16(p + 2), tr_rd16(p + 4),
		                tr_rd16(p + 6), tr_rd16(p + 8), tr_rd16(p + 10) };
	tb_put(b, "%u%s", h.id, op_suffix((h.flags & DNS_F_OPCODE) >> 11, tmp, sizeof tmp));
	print_flags(b, &h);
	if (!questions_ok(p, have, h.qdcount)) {
		tb_trunc(b, "domain");
		return;
	}
	if (h.flags & DNS_F_QR)
		tb_put(b, " %u/%u/%u", h.ancount, h.nscount, h.arcount);
	if (dns_decode(p, have, &m, NULL) < 0) {
		tb_trunc(b, "domain");
		return;
	}
	if (h.flags & DNS_F_QR) {
		print_answers(b, &m);
	} else if (m.has_question) {
		tb_put(b, " ");
		put_type(b, m.q.qtype);
		tb_put(b, "? ");
		put_name(b, m.q.name);
	}
	tb_put(b, " (%zu)", length);
}
