/*
 * ipfw(8) rule syntax: words to struct ipfw_rule and back. The grammar and
 * the messages follow sbin/ipfw/ipfw2.c of FreeBSD 7 (the seed's gateway
 * ran 6.3 with the same ipfw2 front end): the action first, then the
 * protocol (a rule without one goes straight to the options, as ipfw2
 * does), `from` SRC [ports] `to` DST [ports], then options. Messages are
 * ipfw's own errx() texts, quoting style included (``x'').
 *
 * Printing follows show_ipfw(): "allow", "deny", "unreach host", ...,
 * then " ip6 from any to me6 via tun1". Addresses are printed with
 * inet_ntop, as ipfw does; ports always numerically (no -N).
 */
#include "ipfw.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct name_num {
	const char *name;
	int num;
};

/* /etc/protocols of FreeBSD, the entries a gateway's rules name; the
 * first name of a number is the one `ipfw list` prints. */
static const struct name_num protocols[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "ipencap", 4 }, { "tcp", 6 }, { "udp", 17 },
	{ "ipv6", 41 }, { "ipv6-route", 43 }, { "ipv6-frag", 44 }, { "gre", 47 },
	{ "esp", 50 }, { "ah", 51 }, { "ipv6-icmp", 58 }, { "ipv6-nonxt", 59 },
	{ "ipv6-opts", 60 }, { "pim", 103 }, { "sctp", 132 },
	/* aliases */
	{ "IPv6-ICMP", 58 }, { "icmp6", 58 }, { "ICMP", 1 }, { "TCP", 6 }, { "UDP", 17 },
};

/* icmpcodes[] of ipfw2.c (unreach) and icmp6codes[] of ipv6.c (unreach6). */
static const struct name_num icmp_codes[] = {
	{ "net", 0 }, { "host", 1 }, { "protocol", 2 }, { "port", 3 }, { "needfrag", 4 },
	{ "srcfail", 5 }, { "net-unknown", 6 }, { "host-unknown", 7 }, { "isolated", 8 },
	{ "net-prohib", 9 }, { "host-prohib", 10 }, { "tosnet", 11 }, { "toshost", 12 },
	{ "filter-prohib", 13 }, { "host-precedence", 14 }, { "precedence-cutoff", 15 },
};
static const struct name_num icmp6_codes[] = {
	{ "no-route", 0 }, { "admin-prohib", 1 }, { "address", 3 }, { "port", 4 },
};

/* The services of /etc/services a port list may name. */
static const struct name_num services[] = {
	{ "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 }, { "domain", 53 }, { "http", 80 },
	{ "pop3", 110 }, { "imap", 143 }, { "ldap", 389 }, { "https", 443 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const struct name_num *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].num;
	return -1;
}

static const char *name_of(const struct name_num *t, size_t n, int num)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].num == num)
			return t[i].name;
	return NULL;
}

/* ---- the word cursor and its errors ------------------------------------ */

struct cursor {
	int argc, i;
	char **argv;
	char *err;
	size_t errlen;
	bool failed;
};

static const char *peek(const struct cursor *c) { return c->i < c->argc ? c->argv[c->i] : NULL; }
static bool at(const struct cursor *c, const char *word)
{
	const char *w = peek(c);
	return w && strcmp(w, word) == 0;
}

static int fail(struct cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cursor *c, const char *fmt, ...)
{
	if (!c->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	c->failed = true;
	return -1;
}

/* Whole-word unsigned decimal number; false when not one or above max. */
static bool whole_number(const char *s, unsigned long max, unsigned long *out)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > max)
		return false;
	*out = v;
	return true;
}

/* ---- action ---------------------------------------------------------- */

/* skipto N / divert N: ipfw2's "chkarg". */
static int parse_action_arg(struct cursor *c, struct ipfw_rule *r, const char *name)
{
	const char *w = peek(c);
	unsigned long v;
	if (!w)
		return fail(c, "missing argument for %s", name);
	if (isdigit((unsigned char)*w)) {
		if (!whole_number(w, 65535, &v) || v == 0 || v >= 65535)
			return fail(c, "illegal argument for %s", name);
	} else if (r->action == IPFW_DIVERT) {
		return fail(c, "illegal divert/tee port"); /* not in /etc/services "divert" */
	} else {
		return fail(c, "illegal argument for %s", name);
	}
	r->arg = (uint16_t)v;
	c->i++;
	return 0;
}

/* unreach CODE / unreach6 CODE: a number below 256 or a name. */
static int parse_code(struct cursor *c, struct ipfw_rule *r, bool v6)
{
	const char *w = peek(c);
	if (!w)
		return fail(c, v6 ? "missing unreach code" : "missing reject code");
	unsigned long v;
	int code = whole_number(w, 255, &v) ? (int)v
	           : v6 ? lookup(icmp6_codes, NELEM(icmp6_codes), w)
	                : lookup(icmp_codes, NELEM(icmp_codes), w);
	if (code < 0)
		return fail(c, v6 ? "unknown ICMPv6 unreachable code ``%s''"
		                  : "unknown ICMP unreachable code ``%s''", w);
	r->arg = (uint16_t)code;
	c->i++;
	return 0;
}

static int parse_action(struct cursor *c, struct ipfw_rule *r)
{
	const char *w = peek(c);
	if (!w)
		return fail(c, "missing action");
	c->i++;
	if (!strcmp(w, "allow") || !strcmp(w, "accept") || !strcmp(w, "pass") ||
	    !strcmp(w, "permit"))
		r->action = IPFW_ALLOW;
	else if (!strcmp(w, "deny") || !strcmp(w, "drop"))
		r->action = IPFW_DENY;
	else if (!strcmp(w, "count"))
		r->action = IPFW_COUNT;
	else if (!strcmp(w, "reject") || !strcmp(w, "reset") || !strcmp(w, "reset6")) {
		r->action = strcmp(w, "reset6") ? IPFW_REJECT : IPFW_UNREACH6;
		r->arg = strcmp(w, "reject") ? IPFW_RST : 1; /* reject = unreach host */
	} else if (!strcmp(w, "unreach") || !strcmp(w, "unreach6")) {
		r->action = w[7] ? IPFW_UNREACH6 : IPFW_REJECT;
		return parse_code(c, r, w[7] != '\0');
	} else if (!strcmp(w, "skipto") || !strcmp(w, "divert")) {
		r->action = w[0] == 's' ? IPFW_SKIPTO : IPFW_DIVERT;
		return parse_action_arg(c, r, w);
	} else
		return fail(c, "invalid action %s", w);
	return 0;
}

/* ---- protocol ------------------------------------------------------------ */

/* add_proto_compat(): false when the word is no protocol at all. */
static bool parse_proto(const char *w, struct ipfw_rule *r)
{
	if (!strcmp(w, "ip") || !strcmp(w, "all")) {
		r->proto_kind = IPFW_P_ALL;
	} else if (!strcmp(w, "ip4") || !strcmp(w, "ipv4")) {
		r->proto_kind = IPFW_P_IP4;
	} else if (!strcmp(w, "ip6") || !strcmp(w, "ipv6")) {
		r->proto_kind = IPFW_P_IP6;
	} else {
		unsigned long v;
		int p = whole_number(w, 255, &v) && v > 0 ? (int)v
		                                          : lookup(protocols, NELEM(protocols), w);
		if (p <= 0)
			return false;
		r->proto_kind = IPFW_P_NUM;
		r->proto = (uint8_t)p;
	}
	return true;
}

/* ---- addresses ------------------------------------------------------------ */

static void mask_bits(uint8_t *a, size_t bytes, unsigned plen)
{
	for (size_t i = 0; i < bytes; i++) {
		unsigned bits = plen > i * 8 ? plen - (unsigned)i * 8 : 0;
		a[i] &= bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
	}
}

/* ADDR[/LEN], IPv4 or IPv6; the host bits are cleared as ipfw does. */
static int parse_net(struct cursor *c, const char *w, struct ipfw_addr *a)
{
	char host[64];
	const char *slash = strchr(w, '/');
	size_t hl = slash ? (size_t)(slash - w) : strlen(w);
	if (hl >= sizeof host)
		return fail(c, "hostname ``%s'' unknown", w);
	memcpy(host, w, hl);
	host[hl] = '\0';
	bool v6 = strchr(host, ':') != NULL;
	memset(a->addr, 0, sizeof a->addr);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, a->addr) != 1)
		return fail(c, v6 ? "bad address \"%s\"" : "hostname ``%s'' unknown", host);
	unsigned long plen = v6 ? 128 : 32;
	if (slash && !whole_number(slash + 1, v6 ? 128 : 32, &plen))
		return fail(c, "bad width ``%s''", slash + 1);
	a->kind = v6 ? IPFW_A_NET6 : IPFW_A_NET4;
	a->plen = (uint8_t)plen;
	mask_bits(a->addr, v6 ? 16 : 4, a->plen);
	if (a->plen == 0) { /* x/0 is "any" */
		if (a->not)
			return fail(c, "not any never matches");
		a->kind = IPFW_A_ANY;
	}
	return 0;
}

/* [not] any | me | me6 | ADDR[/LEN] */
static int parse_addr(struct cursor *c, struct ipfw_addr *a, const char *missing)
{
	if (at(c, "not")) {
		a->not = true;
		c->i++;
	}
	const char *w = peek(c);
	if (!w)
		return fail(c, "%s", missing);
	c->i++;
	if (!strcmp(w, "any")) {
		if (a->not)
			return fail(c, "not any never matches");
		a->kind = IPFW_A_ANY;
		return 0;
	}
	if (!strcmp(w, "me") || !strcmp(w, "me6")) {
		a->kind = w[2] ? IPFW_A_ME6 : IPFW_A_ME;
		return 0;
	}
	return parse_net(c, w, a);
}

/* ---- ports --------------------------------------------------------------- */

/* One port: a number or a service name; its length in *used, -1 if none. */
static long port_at(const char *s, size_t *used)
{
	size_t n = 0;
	if (isdigit((unsigned char)*s)) {
		long v = 0;
		while (isdigit((unsigned char)s[n]) && v <= 65535)
			v = v * 10 + (s[n++] - '0');
		*used = n;
		return v <= 65535 ? v : -1;
	}
	char name[32];
	while (isalnum((unsigned char)s[n]) && n < sizeof name - 1) {
		name[n] = s[n];
		n++;
	}
	name[n] = '\0';
	*used = n;
	return n ? lookup(services, NELEM(services), name) : -1;
}

/* fill_newports(): "80", "80,443", "1024-65535"; 0 when it is no port list. */
static int parse_ports(struct cursor *c, const char *w, struct ipfw_ports *p)
{
	const char *s = w;
	while (*s) {
		size_t used;
		long a = port_at(s, &used), b;
		if (a < 0)
			break;
		s += used;
		b = a;
		if (*s == '-') {
			b = port_at(s + 1, &used);
			if (b < 0)
				break;
			s += 1 + used;
		}
		if (*s && *s != ',')
			return fail(c, "invalid separator <%c> in <%s>", *s, w);
		if (p->n == IPFW_MAX_PORTS)
			return fail(c, "too many ports/ranges");
		p->lo[p->n] = (uint16_t)a;
		p->hi[p->n] = (uint16_t)b;
		p->n++;
		if (*s == ',')
			s++;
	}
	return p->n;
}

/* Optional [not] PORTS after an address. */
static int parse_opt_ports(struct cursor *c, struct ipfw_ports *p, bool *dangling_not)
{
	if (at(c, "not")) {
		c->i++;
		*dangling_not = true;
	}
	const char *w = peek(c);
	if (!w)
		return 0;
	if (!strcmp(w, "any")) {
		c->i++;
		return 0;
	}
	int n = parse_ports(c, w, p);
	if (n < 0)
		return -1;
	if (n > 0) {
		c->i++;
		p->not = *dangling_not;
		*dangling_not = false;
	}
	return 0;
}

/* ---- options ------------------------------------------------------------ */

static int parse_iface_opt(struct cursor *c, struct ipfw_rule *r, uint8_t kind, bool not)
{
	const char *w = peek(c);
	if (!w)
		return fail(c, "recv, xmit, via require interface name or address");
	c->i++;
	if (!strcmp(w, "any"))
		return 0; /* "effectively ignore this command" */
	if (isdigit((unsigned char)*w))
		return fail(c, "bad ip address ``%s''", w); /* by address: not modelled */
	struct ipfw_opt *o = &r->opt[r->nopt++];
	o->kind = kind;
	o->not = not;
	snprintf(o->ifname, sizeof o->ifname, "%s", w);
	return 0;
}

static int parse_options(struct cursor *c, struct ipfw_rule *r, bool not)
{
	while (peek(c)) {
		const char *s = peek(c);
		c->i++;
		bool neg = !strcmp(s, "not") || s[0] == '!';
		if (neg && not)
			return fail(c, "double \"not\" not allowed");
		if (neg) {
			not = true;
			if (!strcmp(s, "not") || !strcmp(s, "!"))
				continue;
			s++; /* "!via" */
		}
		if (r->nopt == IPFW_MAX_OPTS)
			return fail(c, "too many options");
		if (!strcmp(s, "in") || !strcmp(s, "out")) {
			struct ipfw_opt *o = &r->opt[r->nopt++];
			o->kind = IPFW_O_IN;
			o->not = not != (s[0] == 'o'); /* out is "not in" */
		} else if (!strcmp(s, "via") || !strcmp(s, "recv") || !strcmp(s, "xmit")) {
			uint8_t k = s[0] == 'v' ? IPFW_O_VIA : s[0] == 'r' ? IPFW_O_RECV : IPFW_O_XMIT;
			if (parse_iface_opt(c, r, k, not) < 0)
				return -1;
		} else {
			return fail(c, "unrecognised option [-1] %s", s);
		}
		not = false;
	}
	return 0;
}

/* ---- the rule ------------------------------------------------------------- */

/* proto from SRC [ports] to DST [ports]; *not carries a "not" left over. */
static int parse_body(struct cursor *c, struct ipfw_rule *r, bool *not)
{
	if (!at(c, "from"))
		return fail(c, "missing ``from''");
	c->i++;
	if (parse_addr(c, &r->src, "missing source address") < 0)
		return -1;
	if (parse_opt_ports(c, &r->sport, not) < 0)
		return -1;
	if (!at(c, "to"))
		return fail(c, "missing ``to''");
	c->i++;
	if (*not) {
		r->dst.not = true;
		*not = false;
	}
	if (parse_addr(c, &r->dst, "missing dst address") < 0)
		return -1;
	return parse_opt_ports(c, &r->dport, not);
}

int ipfw_parse(int argc, char **argv, struct ipfw_rule *r, char *err, size_t errlen)
{
	struct cursor c = { .argc = argc, .argv = argv, .err = err, .errlen = errlen };
	memset(r, 0, sizeof *r);
	if (err && errlen)
		err[0] = '\0';
	unsigned long num;
	if (peek(&c) && isdigit((unsigned char)*peek(&c))) {
		if (!whole_number(peek(&c), 65535, &num))
			return fail(&c, "getsockopt(IP_FW_ADD): Invalid argument");
		r->num = (uint16_t)num;
		c.i++;
	}
	if (parse_action(&c, r) < 0)
		return -1;
	bool not = false;
	if (at(&c, "not")) {
		not = true;
		c.i++;
	}
	if (!peek(&c))
		return fail(&c, "missing protocol");
	if (parse_proto(peek(&c), r)) {
		c.i++;
		r->proto_not = not;
		not = false;
		if (parse_body(&c, r, &not) < 0)
			return -1;
	}
	return parse_options(&c, r, not);
}

int ipfw_split(char *line, char **argv, int max)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	int argc = 0;
	char *p = line;
	while (argc < max) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* ---- printing ------------------------------------------------------------ */

struct out {
	char *buf;
	size_t len, at;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	if (o->at >= o->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->at, o->len - o->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->at = o->at + (size_t)n < o->len ? o->at + (size_t)n : o->len - 1;
}

static void put_action(struct out *o, const struct ipfw_rule *r)
{
	const char *code;
	switch (r->action) {
	case IPFW_ALLOW: put(o, "allow"); break;
	case IPFW_DENY: put(o, "deny"); break;
	case IPFW_COUNT: put(o, "count"); break;
	case IPFW_SKIPTO: put(o, "skipto %u", r->arg); break;
	case IPFW_DIVERT: put(o, "divert %u", r->arg); break;
	case IPFW_REJECT:
		if (r->arg == IPFW_RST)
			put(o, "reset");
		else if (r->arg == 1)
			put(o, "reject");
		else if ((code = name_of(icmp_codes, NELEM(icmp_codes), r->arg)))
			put(o, "unreach %s", code);
		else
			put(o, "unreach %u", r->arg);
		break;
	case IPFW_UNREACH6:
		if (r->arg == IPFW_RST)
			put(o, "reset6");
		else if ((code = name_of(icmp6_codes, NELEM(icmp6_codes), r->arg)))
			put(o, "unreach6 %s", code);
		else
			put(o, "unreach6 %u", r->arg);
		break;
	}
}

static void put_proto(struct out *o, const struct ipfw_rule *r)
{
	if (r->proto_not)
		put(o, " not");
	if (r->proto_kind == IPFW_P_NUM) {
		const char *name = name_of(protocols, NELEM(protocols), r->proto);
		if (name)
			put(o, " %s", name);
		else
			put(o, " %u", r->proto);
	} else {
		put(o, " %s", r->proto_kind == IPFW_P_IP4 ? "ip4" : r->proto_kind == IPFW_P_IP6 ? "ip6"
		                                                                               : "ip");
	}
}

static void put_addr(struct out *o, const char *word, const struct ipfw_addr *a)
{
	put(o, " %s%s ", word, a->not ? " not" : "");
	char text[INET6_ADDRSTRLEN];
	switch (a->kind) {
	case IPFW_A_ANY: put(o, "any"); return;
	case IPFW_A_ME: put(o, "me"); return;
	case IPFW_A_ME6: put(o, "me6"); return;
	default: break;
	}
	bool v6 = a->kind == IPFW_A_NET6;
	inet_ntop(v6 ? AF_INET6 : AF_INET, a->addr, text, sizeof text);
	put(o, "%s", text);
	if (a->plen < (v6 ? 128 : 32))
		put(o, "/%u", a->plen);
}

static void put_ports(struct out *o, const struct ipfw_ports *p)
{
	if (!p->n)
		return;
	if (p->not)
		put(o, " not");
	for (unsigned i = 0; i < p->n; i++) {
		put(o, "%c%u", i ? ',' : ' ', p->lo[i]);
		if (p->hi[i] != p->lo[i])
			put(o, "-%u", p->hi[i]);
	}
}

static void put_opt(struct out *o, const struct ipfw_opt *op)
{
	if (op->kind == IPFW_O_IN) {
		put(o, op->not ? " out" : " in");
		return;
	}
	const char *word = op->kind == IPFW_O_VIA ? "via" : op->kind == IPFW_O_RECV ? "recv" : "xmit";
	put(o, "%s %s %s", op->not ? " not" : "", word, op->ifname);
}

void ipfw_format(const struct ipfw_rule *r, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	if (!len)
		return;
	buf[0] = '\0';
	put_action(&o, r);
	put_proto(&o, r);
	put_addr(&o, "from", &r->src);
	put_ports(&o, &r->sport);
	put_addr(&o, "to", &r->dst);
	put_ports(&o, &r->dport);
	for (unsigned i = 0; i < r->nopt; i++)
		put_opt(&o, &r->opt[i]);
}
