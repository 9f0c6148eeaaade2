/*
 * `named [-p PORT] [-c ZONEFILE]`: an authoritative DNS server over UDP,
 * IPv4 and IPv6, for the BarNet names of the seed. The zone is a file on
 * the node (default /etc/namedb/named.zone), one record a line:
 *
 *   ; comment
 *   www.barnet.com.au  A     202.83.176.248
 *   www.barnet.com.au  3600 IN AAAA  2001:df0:9::ca53:b0f8
 *
 * (NAME [TTL] [IN] A|AAAA ADDRESS). Queries for A, AAAA or ANY are answered
 * from it (authoritative, no recursion); a name it has but not with that
 * type gets an empty NOERROR answer, a name it does not have NXDOMAIN, a
 * message that does not decode FORMERR, another opcode NOTIMP (RFC 1035
 * 4.1.1). A bad zone line stops the server with FILE:LINE: and why.
 */
#include "apps_int.h"
#include "../net/dns.h"
#include "../transport/transport.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAMED_ZONE_DEFAULT "/etc/namedb/named.zone"
#define NAMED_TTL_DEFAULT 3600

struct zone_rr {
	char name[256];
	uint16_t type;
	uint32_t ttl;
	uint8_t addr[16];
};

struct named {
	struct sim_node *node;
	struct zone_rr *rr;
	size_t nrr;
	struct udp_sock *sock4, *sock6;
	struct dns_msg msg;        /* scratch for one query and its answer */
};

/* ---- the zone file ------------------------------------------------------------ */

static int zone_error(struct sim_node *n, const char *path, int line, const char *what,
                      const char *word)
{
	apps_say(n, "named: %s:%d: %s '%s'", path, line, what, word);
	return -1;
}

/* One line of the zone: a record added, 0 for a blank or comment line,
 * -1 (reported) for a line that is not NAME [TTL] [IN] A|AAAA ADDRESS. */
static int zone_line(struct named *d, const char *path, int lineno, char *line)
{
	char *w[6];
	int nw = 0;
	char *semi = strchr(line, ';');
	if (semi)
		*semi = '\0';
	for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t && nw < 6;
	     t = strtok_r(NULL, " \t\r", &save))
		w[nw++] = t;
	if (nw == 0)
		return 0;
	struct zone_rr rr = { .ttl = NAMED_TTL_DEFAULT };
	int i = 1;
	long ttl;
	if (i < nw && apps_parse_long(w[i], 0, 2147483647L, &ttl)) {
		rr.ttl = (uint32_t)ttl;
		i++;
	}
	if (i < nw && strcasecmp(w[i], "IN") == 0)
		i++;
	if (i + 2 != nw)
		return zone_error(d->node, path, lineno, "expected NAME [TTL] [IN] A|AAAA ADDRESS for",
		                  w[0]);
	if (strcasecmp(w[i], "A") == 0 && apps_parse4(w[i + 1], rr.addr))
		rr.type = DNS_T_A;
	else if (strcasecmp(w[i], "AAAA") == 0 && inet_pton(AF_INET6, w[i + 1], rr.addr) == 1)
		rr.type = DNS_T_AAAA;
	else
		return zone_error(d->node, path, lineno, "bad record", w[i + 1]);
	size_t len = strlen(w[0]);
	if (len > 0 && w[0][len - 1] == '.')
		w[0][--len] = '\0';
	uint8_t probe[DNS_UDP_MAX];
	if (len >= sizeof rr.name || dns_encode_query(probe, sizeof probe, 0, false, w[0], 1) == 0)
		return zone_error(d->node, path, lineno, "bad name", w[0]);
	memcpy(rr.name, w[0], len + 1);
	d->rr = sim_xrealloc(d->rr, d->nrr + 1, sizeof *d->rr);
	d->rr[d->nrr++] = rr;
	return 0;
}

static int zone_load(struct named *d, const char *path)
{
	const struct sim_file *f = sim_file_get(d->node, path);
	if (!f) {
		apps_say(d->node, "named: %s: file not found", path);
		return -1;
	}
	int lineno = 0;
	for (size_t at = 0; at < f->len;) {
		char line[1024];
		size_t end = at;
		while (end < f->len && f->data[end] != '\n')
			end++;
		lineno++;
		if (end - at >= sizeof line)
			return zone_error(d->node, path, lineno, "line too long at", "...");
		memcpy(line, f->data + at, end - at);
		line[end - at] = '\0';
		if (zone_line(d, path, lineno, line) < 0)
			return -1;
		at = end + 1;
	}
	return 0;
}

/* ---- answering ------------------------------------------------------------------ */

static bool type_matches(uint16_t have, uint16_t asked)
{
	return asked == DNS_T_ANY || have == asked;
}

/* Fill d->msg's records for its question; returns the rcode. */
static unsigned lookup(struct named *d)
{
	struct dns_msg *m = &d->msg;
	bool known = false;
	m->nrr = 0;
	for (size_t i = 0; i < d->nrr; i++) {
		const struct zone_rr *z = &d->rr[i];
		if (!dns_name_equal(z->name, m->q.name))
			continue;
		known = true;
		if (!type_matches(z->type, m->q.qtype) || m->nrr == DNS_MAX_RR)
			continue;
		struct dns_rr *rr = &m->rr[m->nrr++];
		memset(rr, 0, sizeof *rr);
		rr->section = DNS_S_ANSWER;
		snprintf(rr->name, sizeof rr->name, "%s", m->q.name); /* the asker's case */
		rr->type = z->type;
		rr->rclass = DNS_C_IN;
		rr->ttl = z->ttl;
		rr->rdlength = z->type == DNS_T_A ? 4 : 16;
		memcpy(rr->rdata, z->addr, rr->rdlength);
	}
	return known ? DNS_R_NOERROR : DNS_R_NXDOMAIN;
}

/* The rcode for a query that decoded, before looking anything up. */
static int check_query(const struct dns_msg *m)
{
	if ((m->h.flags & DNS_F_OPCODE) != 0)
		return DNS_R_NOTIMP;
	if (m->h.qdcount != 1 || m->h.ancount != 0)
		return DNS_R_FORMERR;
	if (m->q.qclass != DNS_C_IN)
		return DNS_R_REFUSED;
	return -1;
}

static void reply(struct named *d, struct udp_sock *s, const struct tp_addr *to, unsigned rcode)
{
	struct dns_msg *m = &d->msg;
	uint8_t out[DNS_UDP_MAX];
	m->h.flags = (uint16_t)(DNS_F_QR | (m->h.flags & (DNS_F_OPCODE | DNS_F_RD)) | rcode);
	if (rcode == DNS_R_NOERROR || rcode == DNS_R_NXDOMAIN)
		m->h.flags |= DNS_F_AA;
	size_t len = dns_encode(out, sizeof out, m);
	if (len == 0) { /* too big for 512 bytes: the question alone, truncated */
		m->nrr = 0;
		m->h.flags |= DNS_F_TC;
		len = dns_encode(out, sizeof out, m);
	}
	if (len > 0)
		udp_sendto(s, to, out, len, NULL);
}

static void on_query(void *user, struct udp_sock *s, const struct tp_addr *from,
                     const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct named *d = user;
	struct dns_msg *m = &d->msg;
	struct dns_error err;
	(void)to;
	if (len < DNS_HDR_LEN || (data[2] & 0x80))
		return; /* no header to answer with, or a response: ignored */
	if (dns_decode(data, len, m, &err) < 0) {
		uint16_t id = (uint16_t)(data[0] << 8 | data[1]), flags = (uint16_t)(data[2] << 8);
		memset(m, 0, sizeof *m);
		m->h.id = id;
		m->h.flags = flags;
		reply(d, s, from, DNS_R_FORMERR);
		return;
	}
	int rcode = check_query(m);
	m->nrr = 0;
	if (rcode >= 0) {
		m->has_question = m->has_question && rcode != DNS_R_FORMERR;
		reply(d, s, from, (unsigned)rcode);
		return;
	}
	reply(d, s, from, lookup(d));
}

static void named_free(struct sim *sim, void *user)
{
	struct named *d = user;
	(void)sim;
	free(d->rr);
	free(d);
}

int cmd_named(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	long port = DNS_PORT;
	const char *zone = NAMED_ZONE_DEFAULT;
	int c;
	apps_opt_init(&o);
	while ((c = apps_getopt(&o, argc, argv, "p:c:")) != -1) {
		if ((c == 'p' && apps_parse_long(o.arg, 1, 65535, &port)) || c == 'c') {
			if (c == 'c')
				zone = o.arg;
			continue;
		}
		apps_say(n, "usage: named [-p port] [-c zonefile]");
		return APPS_EX_USAGE;
	}
	if (o.ind != argc || !n->tp) {
		apps_say(n, "usage: named [-p port] [-c zonefile]");
		return APPS_EX_USAGE;
	}
	struct named *d = sim_xcalloc(1, sizeof *d);
	d->node = n;
	if (zone_load(d, zone) < 0) {
		free(d->rr);
		free(d);
		return 1;
	}
	d->sock4 = udp_bind(n, 4, (uint16_t)port, on_query, d);
	d->sock6 = udp_bind(n, 6, (uint16_t)port, on_query, d);
	if (!d->sock4 && !d->sock6) {
		apps_say(n, "named: could not listen on UDP port %ld: address in use", port);
		free(d->rr);
		free(d);
		return 1;
	}
	sim_on_free(n->sim, named_free, d);
	return 0;
}
