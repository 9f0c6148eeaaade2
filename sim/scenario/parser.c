/*
 * The scenario parser: one directive per line, checked as far as a line
 * can be checked on its own (syntax, values, duplicates, times in order).
 * Whether names resolve is validate.c's job, so that nodes may be
 * declared after the links that use them.
 */
#include "scn_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	struct scn *s;
	struct scn_diag *d;
	struct scn_lex l;
	int line;                /* current line; heredocs move it on */
	bool have_at;
	sim_time last_at;
	int last_at_line;
	sim_time window_start;   /* time of the preceding `at` */
};

#define TIME_HINT "(expected a time such as 10s, 1.5s or 250ms)"

static int perr(struct parser *p, struct scn_pos at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, struct scn_pos at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_verror(p->s, p->d, at, fmt, ap);
	va_end(ap);
	return -1;
}

static int word(struct parser *p, char *buf, size_t cap, const char *what)
{
	return lex_word(&p->l, buf, cap, what);
}

/* NODE:IFACE */
static int parse_ref(struct parser *p, struct scn_ref *r, const char *what)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (word(p, w, sizeof w, what) < 0)
		return -1;
	char *colon = strchr(w, ':');
	if (!colon)
		return perr(p, at, "invalid interface '%s' (expected NODE:IFACE, as in k7:sk0)", w);
	*colon = '\0';
	if (!scn_valid_name(w) || strlen(w) >= sizeof r->node || !scn_valid_name(colon + 1) ||
	    strlen(colon + 1) >= sizeof r->iface) {
		*colon = ':';
		return perr(p, at, "invalid interface '%s' (expected NODE:IFACE, as in k7:sk0)", w);
	}
	strcpy(r->node, w);
	strcpy(r->iface, colon + 1);
	r->pos = at;
	return 0;
}

static int parse_time_word(struct parser *p, sim_time *t, const char *what)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (word(p, w, sizeof w, what) < 0)
		return -1;
	if (!scn_parse_duration(w, t))
		return perr(p, at, "invalid time '%s' " TIME_HINT, w);
	return 0;
}

/* ---- seed, start, end ------------------------------------------------ */

static int once(struct parser *p, bool *has, struct scn_pos *where, const char *kw,
                struct scn_pos kwpos)
{
	if (*has)
		return perr(p, kwpos, "'%s' is already set on line %d", kw, where->line);
	*has = true;
	*where = kwpos;
	return 0;
}

static int p_seed(struct parser *p, struct scn_pos kw)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (once(p, &p->s->has_seed, &p->s->seed_pos, "seed", kw) < 0 || word(p, w, sizeof w, "seed") < 0)
		return -1;
	if (!scn_parse_u64(w, &p->s->seed))
		return perr(p, at, "invalid seed '%s' (expected a number)", w);
	return lex_expect_end(&p->l);
}

static int p_start(struct parser *p, struct scn_pos kw)
{
	char date[SCN_WORD_MAX], tod[SCN_WORD_MAX], zone[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (once(p, &p->s->has_start, &p->s->start_pos, "start", kw) < 0 ||
	    word(p, date, sizeof date, "date (YYYY-MM-DD)") < 0 ||
	    word(p, tod, sizeof tod, "time of day (HH:MM:SS)") < 0)
		return -1;
	if (!scn_parse_date(date, tod, &p->s->start_unix_ns)) {
		char both[2 * SCN_WORD_MAX + 2];
		snprintf(both, sizeof both, "%s %s", date, tod);
		return perr(p, at, "invalid start '%s' (expected YYYY-MM-DD HH:MM:SS UTC)", both);
	}
	if (!lex_done(&p->l)) {
		struct scn_pos zat = lex_pos(&p->l);
		if (word(p, zone, sizeof zone, "time zone") < 0)
			return -1;
		if (strcmp(zone, "UTC") != 0)
			return perr(p, zat, "time zone '%s' is not supported (write the time in UTC)",
			            zone);
	}
	return lex_expect_end(&p->l);
}

static int p_end(struct parser *p, struct scn_pos kw)
{
	if (once(p, &p->s->has_end, &p->s->end_pos, "end", kw) < 0 ||
	    parse_time_word(p, &p->s->end, "time") < 0)
		return -1;
	return lex_expect_end(&p->l);
}

/* ---- node ------------------------------------------------------------ */

static int p_node(struct parser *p, struct scn_pos kw)
{
	static const char *const kinds[] = { "freebsd", "host", "router", "bridge", "isp" };
	static const enum sim_node_kind kindv[] = { NODE_FREEBSD, NODE_HOST, NODE_ROUTER,
		                                    NODE_BRIDGE, NODE_ISP };
	char name[SCN_WORD_MAX], kind[SCN_WORD_MAX];
	struct scn_pos nat = lex_pos(&p->l);

	if (word(p, name, sizeof name, "node name") < 0)
		return -1;
	if (!scn_valid_name(name) || strlen(name) >= SIM_NAME_MAX)
		return perr(p, nat, "invalid node name '%s' (letters, digits, '-', '_', '.')", name);
	const struct scn_node *old = scn_find_node(p->s, name);
	if (old) {
		return perr(p, nat, "node '%s' is already defined on line %d", name,
		            old->pos.line);
	}
	struct scn_pos kat = lex_pos(&p->l);
	if (word(p, kind, sizeof kind, "node kind (freebsd, host, router, bridge or isp)") < 0)
		return -1;
	size_t k = 0;
	while (k < 5 && strcmp(kind, kinds[k]) != 0)
		k++;
	if (k == 5)
		return perr(p, kat,
		            "unknown node kind '%s' (expected freebsd, host, router, bridge or isp)",
		            kind);
	struct scn_node *n = scn_grow(&p->s->nodes, &p->s->nnodes, sizeof *n);
	if (!n)
		return perr(p, kw, "out of memory");
	strcpy(n->name, name);
	n->kind = kindv[k];
	n->pos = nat;
	/* `user NAME`: whose prompt the transcript shows (the seed's
	 * `[~] edwin@freefall>`); root when not given. */
	if (lex_keyword(&p->l, "user")) {
		struct scn_pos uat = lex_pos(&p->l);
		if (word(p, kind, sizeof kind, "user name") < 0)
			return -1;
		if (!scn_valid_name(kind) || strlen(kind) >= sizeof n->user)
			return perr(p, uat, "invalid user name '%s' (letters, digits, '-', '_', '.')",
			            kind);
		strcpy(n->user, kind);
	}
	return lex_expect_end(&p->l);
}

/* ---- link ------------------------------------------------------------ */

enum link_opt { LO_DELAY, LO_BANDWIDTH, LO_LOSS, LO_MTU, LO_ROUTERS, LO_COUNT };
static const char *const link_opts[LO_COUNT] = { "delay", "bandwidth", "loss", "mtu",
	                                         "routers" };

static int link_option(struct parser *p, struct scn_link *k, enum link_opt o, struct scn_pos at)
{
	char w[SCN_WORD_MAX];
	struct scn_pos vat = lex_pos(&p->l);
	bool ok = true;

	if (word(p, w, sizeof w, link_opts[o]) < 0)
		return -1;
	if ((k->kind == LINK_PATH) != (o == LO_ROUTERS) && o != LO_DELAY) {
		return perr(p, at, "'%s' is not a setting of %s %s link", link_opts[o],
		            k->kind == LINK_ETHERNET ? "an" : "a", scn_link_kind_name(k->kind));
	}
	switch (o) {
	case LO_DELAY:
		if (!scn_parse_duration(w, &k->delay))
			return perr(p, vat, "invalid delay '%s' " TIME_HINT, w);
		break;
	case LO_BANDWIDTH:
		ok = scn_parse_bandwidth(w, &k->bandwidth_bps);
		if (!ok)
			return perr(p, vat, "invalid bandwidth '%s' (expected e.g. 10Mbit, 1Gbps, 64kbit)", w);
		break;
	case LO_LOSS:
		if (!scn_parse_loss(w, &k->loss))
			return perr(p, vat, "invalid loss '%s' (expected a rate such as 1%% or 0.01)", w);
		break;
	case LO_MTU:
		if (!scn_parse_u32_range(w, 576, 65535, &k->mtu))
			return perr(p, vat, "invalid mtu '%s' (expected a number from 576 to 65535)", w);
		break;
	case LO_ROUTERS:
		if (!scn_parse_u32_range(w, 1, 64, &k->routers))
			return perr(p, vat, "invalid router count '%s' (expected 1 to 64)", w);
		break;
	default:
		break;
	}
	return 0;
}

static int link_kind(struct parser *p, struct scn_link *k)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (word(p, w, sizeof w, "link kind (ethernet, p2p or path)") < 0)
		return -1;
	if (strcmp(w, "ethernet") == 0)
		k->kind = LINK_ETHERNET;
	else if (strcmp(w, "p2p") == 0)
		k->kind = LINK_P2P;
	else if (strcmp(w, "path") == 0)
		k->kind = LINK_PATH;
	else
		return perr(p, at, "unknown link kind '%s' (expected ethernet, p2p or path)", w);
	return 0;
}

static int link_end(struct parser *p, struct scn_link *k)
{
	struct scn_ref r;

	if (parse_ref(p, &r, "interface") < 0)
		return -1;
	const struct scn_link *on = scn_iface_link(p->s, r.node, r.iface);
	for (size_t i = 0; !on && i < k->nends; i++)
		if (strcmp(k->ends[i].node, r.node) == 0 && strcmp(k->ends[i].iface, r.iface) == 0)
			on = k;
	if (on) {
		return perr(p, r.pos, "interface %s:%s is already on link '%s' (line %d)", r.node,
		            r.iface, on == k ? k->name : on->name, on == k ? p->line : on->pos.line);
	}
	struct scn_ref *e = scn_grow(&k->ends, &k->nends, sizeof *e);
	if (!e)
		return perr(p, r.pos, "out of memory");
	*e = r;
	return 0;
}

static int link_body(struct parser *p, struct scn_link *k, struct scn_pos kw)
{
	unsigned seen = 0;

	while (!lex_done(&p->l)) {
		struct scn_pos at = lex_pos(&p->l);
		enum link_opt o = LO_COUNT;
		for (int i = 0; i < LO_COUNT; i++)
			if (lex_keyword(&p->l, link_opts[i]))
				o = (enum link_opt)i;
		if (o == LO_COUNT) {
			if (seen)
				return lex_expect_end(&p->l);
			if (link_end(p, k) < 0)
				return -1;
			continue;
		}
		if (seen & (1u << o))
			return perr(p, at, "'%s' is given twice", link_opts[o]);
		seen |= 1u << o;
		if (link_option(p, k, o, at) < 0)
			return -1;
	}
	size_t want = k->kind == LINK_ETHERNET ? 1 : 2;
	if (k->nends < want || (k->kind != LINK_ETHERNET && k->nends > 2)) {
		return perr(p, k->nends > 2 ? k->ends[2].pos : kw, "a %s link joins %s interfaces (found %zu)",
		            scn_link_kind_name(k->kind), want == 1 ? "one or more" : "exactly 2",
		            k->nends);
	}
	if (k->kind == LINK_PATH && !(seen & (1u << LO_ROUTERS)))
		return perr(p, kw, "path link '%s' needs 'routers N'", k->name);
	return 0;
}

static int p_link(struct parser *p, struct scn_pos kw)
{
	char name[SCN_WORD_MAX];
	struct scn_pos nat = lex_pos(&p->l);
	struct scn_link k = { .pos = nat };

	if (word(p, name, sizeof name, "link name") < 0)
		return -1;
	if (!scn_valid_name(name) || strlen(name) >= SIM_NAME_MAX)
		return perr(p, nat, "invalid link name '%s' (letters, digits, '-', '_', '.')", name);
	const struct scn_link *old = scn_find_link(p->s, name);
	if (old) {
		return perr(p, nat, "link '%s' is already defined on line %d", name,
		            old->pos.line);
	}
	strcpy(k.name, name);
	if (link_kind(p, &k) < 0 || link_body(p, &k, kw) < 0) {
		free(k.ends);
		return -1;
	}
	struct scn_link *n = scn_grow(&p->s->links, &p->s->nlinks, sizeof *n);
	if (!n) {
		free(k.ends);
		return perr(p, kw, "out of memory");
	}
	*n = k;
	return 0;
}

/* ---- iface ------------------------------------------------------------ */

static int iface_addr(struct parser *p, struct scn_iface *f, int family)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);
	struct scn_addr a = { .pos = at };

	if (word(p, w, sizeof w, family == 6 ? "IPv6 address" : "IPv4 address") < 0)
		return -1;
	if (!scn_parse_prefix(w, &a, true) || a.family != family)
		return perr(p, at, family == 6 ?
		            "invalid IPv6 address '%s' (expected ADDR/LEN, as in 2001:db8::1/64)" :
		            "invalid IPv4 address '%s' (expected ADDR/LEN, as in 192.0.2.1/24)", w);
	struct scn_addr *n = scn_grow(&f->addrs, &f->naddrs, sizeof *n);
	if (!n)
		return perr(p, at, "out of memory");
	*n = a;
	return 0;
}

static int iface_setting(struct parser *p, struct scn_iface *f)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (lex_keyword(&p->l, "inet6"))
		return iface_addr(p, f, 6);
	if (lex_keyword(&p->l, "inet"))
		return iface_addr(p, f, 4);
	if (lex_keyword(&p->l, "ether")) {
		if (f->has_mac)
			return perr(p, at, "'%s' is given twice", "ether");
		struct scn_pos vat = lex_pos(&p->l);
		if (word(p, w, sizeof w, "MAC address") < 0)
			return -1;
		if (!scn_parse_mac(w, f->mac))
			return perr(p, vat,
			            "invalid MAC address '%s' (expected 6 hex bytes, as in 00:0f:ea:2c:d5:18)",
			            w);
		if (f->mac[0] & 1)
			return perr(p, vat, "MAC address '%s' is a multicast address", w);
		f->has_mac = true;
		return 0;
	}
	if (lex_keyword(&p->l, "mtu")) {
		if (f->mtu)
			return perr(p, at, "'%s' is given twice", "mtu");
		struct scn_pos vat = lex_pos(&p->l);
		if (word(p, w, sizeof w, "mtu") < 0)
			return -1;
		if (!scn_parse_u32_range(w, 576, 65535, &f->mtu))
			return perr(p, vat, "invalid mtu '%s' (expected a number from 576 to 65535)", w);
		return 0;
	}
	if (word(p, w, sizeof w, "setting") < 0)
		return -1;
	return perr(p, at, "unknown interface setting '%s' (expected ether, mtu, inet6 or inet)", w);
}

static int p_iface(struct parser *p, struct scn_pos kw)
{
	struct scn_iface f = { .mtu = 0 };

	if (parse_ref(p, &f.ref, "interface (NODE:IFACE)") < 0)
		return -1;
	for (size_t i = 0; i < p->s->nifaces; i++) {
		const struct scn_ref *o = &p->s->ifaces[i].ref;
		if (strcmp(o->node, f.ref.node) == 0 && strcmp(o->iface, f.ref.iface) == 0) {
			return perr(p, f.ref.pos, "interface %s:%s is already set up on line %d",
			            o->node, o->iface, o->pos.line);
		}
	}
	if (lex_done(&p->l))
		return perr(p, lex_pos(&p->l), "%s",
		            "missing interface settings (ether, mtu, inet6 or inet)");
	while (!lex_done(&p->l)) {
		if (iface_setting(p, &f) < 0) {
			free(f.addrs);
			return -1;
		}
	}
	struct scn_iface *n = scn_grow(&p->s->ifaces, &p->s->nifaces, sizeof *n);
	if (!n) {
		free(f.addrs);
		return perr(p, kw, "out of memory");
	}
	*n = f;
	return 0;
}

/* ---- file ------------------------------------------------------------- */

/* The heredoc's lines up to the line that is exactly `tag` (blanks after
 * it allowed); p->line moves to that line. */
static int heredoc(struct parser *p, struct scn_file *f, const char *tag, struct scn_pos at)
{
	size_t tl = strlen(tag);

	for (size_t ln = (size_t)p->line + 1; ln <= p->s->nlines; ln++) {
		const char *b = p->s->lines[ln];
		const char *end = p->s->src + p->s->srclen;
		size_t n = 0;
		while (b + n < end && b[n] != '\n')
			n++;
		while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r'))
			n--;
		if (n != tl || memcmp(b, tag, tl) != 0)
			continue;
		const char *first = p->s->lines[p->line + 1]; /* ln > p->line */
		f->len = (size_t)(b - first);
		f->data = scn_strndup(first, f->len);
		p->line = (int)ln;
		return f->data ? 0 : perr(p, at, "out of memory");
	}
	return perr(p, at, "heredoc '<<%s' has no end (no line '%s' before the end of the file)",
	            tag, tag);
}

static int file_source(struct parser *p, struct scn_file *f)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);

	if (lex_keyword(&p->l, "from")) {
		f->from_pos = lex_pos(&p->l);
		if (word(p, w, sizeof w, "path after 'from'") < 0)
			return -1;
		f->from = scn_strndup(w, strlen(w));
		return f->from ? lex_expect_end(&p->l) : perr(p, at, "out of memory");
	}
	if (lex_done(&p->l))
		return perr(p, at, "missing 'from PATH' or '<<TAG' after the file name");
	if (word(p, w, sizeof w, "file source") < 0)
		return -1;
	if (strncmp(w, "<<", 2) != 0)
		return perr(p, at, "expected 'from PATH' or '<<TAG', not '%s'", w);
	const char *tag = w + 2;
	char tagbuf[SCN_WORD_MAX];
	if (*tag == '\0') {
		if (word(p, tagbuf, sizeof tagbuf, "heredoc tag after '<<'") < 0)
			return -1;
		tag = tagbuf;
	}
	if (!scn_valid_name(tag))
		return perr(p, at, "invalid heredoc tag '%s' (letters and digits, as in <<EOF)", tag);
	if (lex_expect_end(&p->l) < 0)
		return -1;
	return heredoc(p, f, tag, at);
}

static int p_file(struct parser *p, struct scn_pos kw)
{
	char w[SCN_WORD_MAX];
	struct scn_pos at = lex_pos(&p->l);
	struct scn_file f = { .pos = at };

	if (word(p, w, sizeof w, "NODE:/PATH") < 0)
		return -1;
	char *colon = strchr(w, ':');
	if (colon)
		*colon = '\0';
	if (!colon || !scn_valid_name(w) || strlen(w) >= sizeof f.node || colon[1] != '/') {
		if (colon)
			*colon = ':';
		return perr(p, at, "invalid file '%s' (expected NODE:/PATH, as in k7:/etc/rc.conf)", w);
	}
	strcpy(f.node, w);
	for (size_t i = 0; i < p->s->nfiles; i++) {
		if (strcmp(p->s->files[i].node, w) == 0 && strcmp(p->s->files[i].path, colon + 1) == 0) {
			return perr(p, at, "file %s:%s is already placed on line %d", w, colon + 1,
			            p->s->files[i].pos.line);
		}
	}
	f.path = scn_strndup(colon + 1, strlen(colon + 1));
	if (!f.path || file_source(p, &f) < 0) {
		free(f.path);
		free(f.from);
		free(f.data);
		return f.path ? -1 : perr(p, kw, "out of memory");
	}
	struct scn_file *n = scn_grow(&p->s->files, &p->s->nfiles, sizeof *n);
	if (!n) {
		free(f.path);
		free(f.from);
		free(f.data);
		return perr(p, kw, "out of memory");
	}
	*n = f;
	return 0;
}

/* ---- at --------------------------------------------------------------- */

static int at_time(struct parser *p, sim_time *t)
{
	char w[SCN_WORD_MAX], prev[32];
	struct scn_pos at = lex_pos(&p->l);
	bool rel;
	sim_time v;

	if (word(p, w, sizeof w, "time") < 0)
		return -1;
	rel = w[0] == '+';
	if (!scn_parse_duration(w + rel, &v))
		return perr(p, at, "invalid time '%s' (expected a time such as 10s, 1.5s, 250ms or +2s)",
		            w);
	if (rel && !p->have_at)
		return perr(p, at, "relative time '%s' with no 'at' before it", w);
	*t = rel ? p->last_at + v : v;
	if (*t > 1000000ull * SIM_S)
		return perr(p, at, "time '%s' is too far in the future", w);
	if (!rel && p->have_at && v < p->last_at) {
		scn_format_duration(p->last_at, prev, sizeof prev);
		return perr(p, at, "time %s is before the previous 'at' (%s on line %d)", w, prev,
		            p->last_at_line);
	}
	return 0;
}

static int add_at(struct parser *p, const struct scn_at *a)
{
	struct scn_at *n = scn_grow(&p->s->ats, &p->s->nats, sizeof *n);
	if (!n)
		return perr(p, a->pos, "out of memory");
	*n = *a;
	p->have_at = true;
	p->last_at = p->window_start = a->time;
	p->last_at_line = p->line;
	return 0;
}

/* A NAME word (node, link, interface) into dst: `expected` says what is
 * missing when there is no word, `kind` fills "invalid KIND name '...'". */
static int name_word(struct parser *p, const char *expected, const char *kind, char *dst,
                     size_t cap, struct scn_pos *pos)
{
	char w[SCN_WORD_MAX];

	*pos = lex_pos(&p->l);
	if (word(p, w, sizeof w, expected) < 0)
		return -1;
	if (!scn_valid_name(w) || strlen(w) >= cap)
		return perr(p, *pos, "invalid %s name '%s'", kind, w);
	strcpy(dst, w);
	return 0;
}

/* `at T link NAME down|up`: the cable pulled / plugged back in. */
static int at_link(struct parser *p, struct scn_at *a)
{
	char w[SCN_WORD_MAX];

	if (name_word(p, "link name", "link", a->link, sizeof a->link, &a->node_pos) < 0)
		return -1;
	struct scn_pos upos = lex_pos(&p->l);
	if (word(p, w, sizeof w, "'down' or 'up'") < 0)
		return -1;
	if (strcmp(w, "down") != 0 && strcmp(w, "up") != 0)
		return perr(p, upos, "expected 'down' or 'up' after 'link %s', not '%s'", a->link, w);
	a->link_up = strcmp(w, "up") == 0;
	if (!lex_done(&p->l))
		return perr(p, lex_pos(&p->l), "unexpected words after 'link %s %s'", a->link, w);
	return add_at(p, a);
}

static void at_clear(struct scn_at *a)
{
	free(a->replay);
	free(a->filter);
}

/* `at T replay FILE on LINK [filter "EXPR"]`: a saved capture put onto a
 * link (replay.c); whether FILE and LINK fit is validation's job. */
static int at_replay(struct parser *p, struct scn_at *a)
{
	a->file_pos = lex_pos(&p->l);
	if (lex_done(&p->l))
		return perr(p, a->file_pos, "missing capture file after 'replay'");
	if (lex_string_or_word(&p->l, &a->replay, "capture file") < 0)
		return -1;
	if (a->replay[0] == '\0')
		return perr(p, a->file_pos, "empty capture file name");
	if (!lex_keyword(&p->l, "on"))
		return perr(p, lex_pos(&p->l), "expected 'on LINK' after the capture file");
	if (name_word(p, "link name", "link", a->link, sizeof a->link, &a->node_pos) < 0)
		return -1;
	while (!lex_done(&p->l)) {
		struct scn_pos at = lex_pos(&p->l);
		if (!lex_keyword(&p->l, "filter"))
			return lex_expect_end(&p->l);
		if (a->filter)
			return perr(p, at, "'%s' is given twice", "filter");
		a->filter_pos = lex_pos(&p->l);
		if (lex_string(&p->l, &a->filter, "pcap filter") < 0)
			return -1;
	}
	return add_at(p, a);
}

static int p_at(struct parser *p, struct scn_pos kw)
{
	char w[SCN_WORD_MAX];
	struct scn_at a = { .pos = kw };

	if (at_time(p, &a.time) < 0)
		return -1;
	a.node_pos = lex_pos(&p->l);
	size_t wstart = p->l.i;
	if (word(p, w, sizeof w, "'NODE#' and a command") < 0)
		return -1;
	if (strcmp(w, "link") == 0)
		return at_link(p, &a);
	if (strcmp(w, "replay") == 0) {
		if (at_replay(p, &a) == 0)
			return 0;
		at_clear(&a);
		return -1;
	}
	char *hash = strchr(w, '#');
	if (!hash)
		return perr(p, a.node_pos,
		            "expected 'NODE#' before the command (as in 'k7# ping6 ::1'), not '%s'", w);
	*hash = '\0';
	if (!scn_valid_name(w) || strlen(w) >= sizeof a.node)
		return perr(p, a.node_pos, "invalid node name '%s'", w);
	strcpy(a.node, w);
	p->l.i = wstart + (size_t)(hash - w) + 1; /* `k7#ping6` needs no blank */
	if (lex_done(&p->l))
		return perr(p, lex_pos(&p->l), "missing command after '%s#'", a.node);
	a.cmd = lex_rest(&p->l);
	if (!a.cmd || add_at(p, &a) < 0) {
		free(a.cmd);
		return a.cmd ? -1 : perr(p, kw, "out of memory");
	}
	return 0;
}

/* ---- expect ----------------------------------------------------------- */

static int exp_from(struct parser *p, struct scn_expect *e, struct scn_pos at)
{
	if (e->has_from)
		return perr(p, at, "'%s' is given twice", "from");
	e->has_from = true;
	return parse_ref(p, &e->from, "interface after 'from' (NODE:IFACE)");
}

static int exp_packet(struct parser *p, struct scn_expect *e, bool none)
{
	char w[SCN_WORD_MAX];

	e->kind = none ? EXP_NO_PACKET : EXP_PACKET;
	e->count = 1;
	if (!lex_keyword(&p->l, "on"))
		return perr(p, lex_pos(&p->l), "expected 'on LINK' after 'packet'");
	if (name_word(p, "link name", "link", e->link, sizeof e->link, &e->link_pos) < 0)
		return -1;
	e->text_pos = lex_pos(&p->l);
	if (lex_string(&p->l, &e->text, "pcap filter") < 0)
		return -1;
	bool have_count = false;
	while (!lex_done(&p->l)) {
		struct scn_pos at = lex_pos(&p->l);
		if (lex_keyword(&p->l, "from")) {
			if (exp_from(p, e, at) < 0)
				return -1;
		} else if (lex_keyword(&p->l, "count")) {
			if (none)
				return perr(p, at, "'count' does not go with 'no packet'");
			if (have_count)
				return perr(p, at, "'%s' is given twice", "count");
			have_count = true;
			struct scn_pos vat = lex_pos(&p->l);
			if (word(p, w, sizeof w, "count") < 0)
				return -1;
			if (!scn_parse_u32_range(w, 1, 1000000, &e->count))
				return perr(p, vat, "invalid count '%s' (expected a number from 1 to 1000000)",
				            w);
		} else {
			return lex_expect_end(&p->l);
		}
	}
	return 0;
}

/* The IFACE after an `on` keyword of a route or address expectation. */
static int on_iface(struct parser *p, struct scn_expect *e)
{
	return name_word(p, "interface after 'on'", "interface", e->iface, sizeof e->iface,
	                 &e->iface_pos);
}

static int exp_route(struct parser *p, struct scn_expect *e)
{
	e->kind = EXP_ROUTE;
	e->text_pos = lex_pos(&p->l);
	if (lex_string_or_word(&p->l, &e->text, "prefix") < 0)
		return -1;
	bool dflt = strcmp(e->text, "default") == 0;
	if (!dflt && !scn_parse_prefix(e->text, &e->prefix, false))
		return perr(p, e->text_pos,
		            "invalid prefix '%s' (expected ADDR/LEN, as in 2001:db8::/64, or default)",
		            e->text);
	while (!lex_done(&p->l)) {
		struct scn_pos at = lex_pos(&p->l);
		if (lex_keyword(&p->l, "via")) {
			if (e->via)
				return perr(p, at, "'%s' is given twice", "via");
			e->via_pos = lex_pos(&p->l);
			if (lex_string_or_word(&p->l, &e->via, "gateway address") < 0)
				return -1;
			char *pct = strchr(e->via, '%');
			if (pct) {
				if (strlen(pct + 1) >= sizeof e->via_scope || !scn_valid_name(pct + 1))
					return perr(p, e->via_pos, "invalid gateway '%s'", e->via);
				strcpy(e->via_scope, pct + 1);
				*pct = '\0';
			}
			bool ok = scn_parse_prefix(e->via, &e->via_addr, false) &&
			          e->via_addr.plen == (e->via_addr.family == 6 ? 128 : 32);
			if (pct)
				*pct = '%';
			if (!ok || strchr(e->via, '/'))
				return perr(p, e->via_pos, "invalid gateway '%s' (expected an address)", e->via);
		} else if (lex_keyword(&p->l, "on")) {
			if (e->iface[0])
				return perr(p, at, "'%s' is given twice", "on");
			if (on_iface(p, e) < 0)
				return -1;
		} else {
			return lex_expect_end(&p->l);
		}
	}
	if (dflt) {
		e->prefix.family = e->via && e->via_addr.family == 4 ? 4 : 6;
		e->prefix.plen = 0;
	} else if (e->via && e->via_addr.family != e->prefix.family) {
		return perr(p, e->via_pos, "gateway '%s' is not of the prefix's address family", e->via);
	}
	return 0;
}

static int exp_address(struct parser *p, struct scn_expect *e)
{
	e->kind = EXP_ADDRESS;
	e->text_pos = lex_pos(&p->l);
	if (lex_string_or_word(&p->l, &e->text, "address") < 0)
		return -1;
	if (!scn_parse_prefix(e->text, &e->prefix, false))
		return perr(p, e->text_pos, "invalid address '%s'", e->text);
	e->has_plen = strchr(e->text, '/') != NULL;
	if (!lex_keyword(&p->l, "on"))
		return perr(p, lex_pos(&p->l), "missing 'on IFACE' after the address");
	return on_iface(p, e);
}

static int exp_node(struct parser *p, struct scn_expect *e)
{
	char w[SCN_WORD_MAX];

	e->node_pos = lex_pos(&p->l);
	if (word(p, e->node, sizeof e->node, "node name") < 0)
		return -1;
	if (!scn_valid_name(e->node))
		return perr(p, e->node_pos, "invalid node name '%s'", e->node);
	struct scn_pos vat = lex_pos(&p->l);
	if (lex_keyword(&p->l, "says")) {
		e->kind = EXP_SAYS;
		e->text_pos = lex_pos(&p->l);
		if (lex_string(&p->l, &e->text, "text") < 0)
			return -1;
		if (e->text[0] == '\0')
			return perr(p, e->text_pos, "empty text (it would match any line)");
		return 0;
	}
	if (lex_keyword(&p->l, "matches")) {
		e->kind = EXP_MATCHES;
		e->text_pos = lex_pos(&p->l);
		return lex_regex(&p->l, &e->text);
	}
	if (lex_keyword(&p->l, "route"))
		return exp_route(p, e);
	if (lex_keyword(&p->l, "address"))
		return exp_address(p, e);
	if (word(p, w, sizeof w, "expectation (says, matches, route or address)") < 0)
		return -1;
	return perr(p, vat, "unknown expectation '%s' (expected says, matches, route or address)", w);
}

static int exp_body(struct parser *p, struct scn_expect *e, struct scn_pos kw)
{
	struct scn_pos mat = lex_pos(&p->l);
	bool within = lex_keyword(&p->l, "within");

	if (!within && !lex_keyword(&p->l, "for"))
		return perr(p, mat, "expected 'within D' or 'for D' after 'expect'");
	if (parse_time_word(p, &e->duration, "duration") < 0)
		return -1;
	if (e->duration == 0)
		return perr(p, mat, "a window of 0s holds nothing");
	if (lex_keyword(&p->l, "packet")) {
		if (exp_packet(p, e, false) < 0)
			return -1;
	} else if (lex_keyword(&p->l, "no")) {
		if (!lex_keyword(&p->l, "packet"))
			return perr(p, lex_pos(&p->l), "expected 'packet' after 'no'");
		if (exp_packet(p, e, true) < 0)
			return -1;
	} else if (exp_node(p, e) < 0) {
		return -1;
	}
	if (within && e->kind == EXP_NO_PACKET)
		return perr(p, mat, "'no packet' goes with 'for D', not 'within D'");
	if (!within && e->kind != EXP_NO_PACKET)
		return perr(p, mat, "'for D' goes with 'no packet' (use 'within D' here)");
	if (lex_expect_end(&p->l) < 0)
		return -1;
	size_t b = (size_t)kw.col - 1;
	e->text_src = scn_strndup(p->l.line + b, p->l.last_end - b);
	return e->text_src ? 0 : perr(p, kw, "out of memory");
}

static void expect_clear(struct scn_expect *e)
{
	free(e->text);
	free(e->via);
	free(e->text_src);
}

static int p_expect(struct parser *p, struct scn_pos kw)
{
	struct scn_expect e = { .pos = kw, .line = p->line, .start = p->window_start,
		                .goal = (int)p->s->ngoals - 1 };

	if (exp_body(p, &e, kw) < 0) {
		expect_clear(&e);
		return -1;
	}
	struct scn_expect *n = scn_grow(&p->s->expects, &p->s->nexpects, sizeof *n);
	if (!n) {
		expect_clear(&e);
		return perr(p, kw, "out of memory");
	}
	*n = e;
	return 0;
}

/* ---- goal ------------------------------------------------------------- */

/* `goal "TEXT" hint "TEXT"`: what `v6lab lab check` reports as met or not
 * met; the expectations after it, up to the next goal line, are its. */
static int goal_body(struct parser *p, struct scn_goal *g)
{
	struct scn_pos tat = lex_pos(&p->l);

	if (lex_string(&p->l, &g->text, "goal text") < 0)
		return -1;
	if (g->text[0] == '\0')
		return perr(p, tat, "empty goal text");
	for (size_t i = 0; i < p->s->ngoals; i++)
		if (strcmp(p->s->goals[i].text, g->text) == 0)
			return perr(p, tat, "goal \"%s\" is already set on line %d", g->text,
			            p->s->goals[i].pos.line);
	if (!lex_keyword(&p->l, "hint"))
		return perr(p, lex_pos(&p->l), "expected 'hint \"TEXT\"' after the goal text");
	struct scn_pos hat = lex_pos(&p->l);
	if (lex_string(&p->l, &g->hint, "hint text") < 0)
		return -1;
	if (g->hint[0] == '\0')
		return perr(p, hat, "empty hint text");
	return lex_expect_end(&p->l);
}

static int p_goal(struct parser *p, struct scn_pos kw)
{
	struct scn_goal g = { .pos = kw };

	if (goal_body(p, &g) < 0) {
		free(g.text);
		free(g.hint);
		return -1;
	}
	struct scn_goal *n = scn_grow(&p->s->goals, &p->s->ngoals, sizeof *n);
	if (!n) {
		free(g.text);
		free(g.hint);
		return perr(p, kw, "out of memory");
	}
	*n = g;
	return 0;
}

/* A goal with no expectation would be met by doing nothing. */
static int goals_have_expects(struct parser *p)
{
	for (size_t g = 0; g < p->s->ngoals; g++) {
		bool any = false;
		for (size_t i = 0; i < p->s->nexpects && !any; i++)
			any = p->s->expects[i].goal == (int)g;
		if (!any)
			return perr(p, p->s->goals[g].pos,
			            "goal \"%s\" has no expectations (put 'expect' lines after it)",
			            p->s->goals[g].text);
	}
	return 0;
}

/* ---- the file as a whole ----------------------------------------------- */

static const struct {
	const char *kw;
	int (*fn)(struct parser *, struct scn_pos);
} directives[] = {
	{ "seed", p_seed }, { "start", p_start }, { "node", p_node },     { "link", p_link },
	{ "iface", p_iface }, { "file", p_file }, { "at", p_at },         { "expect", p_expect },
	{ "end", p_end },     { "goal", p_goal },
};

static int parse_line(struct parser *p)
{
	char kw[SCN_WORD_MAX];

	lex_start(&p->l, p->s, p->d, p->line);
	if (lex_done(&p->l))
		return 0;
	struct scn_pos at = lex_pos(&p->l);
	if (word(p, kw, sizeof kw, "keyword") < 0)
		return -1;
	for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++)
		if (strcmp(kw, directives[i].kw) == 0)
			return directives[i].fn(p, at);
	return perr(p, at,
	            "unknown keyword '%s' (expected seed, start, node, link, iface, file, at, expect "
	            "or end)", kw);
}

/* Index the lines; a NUL byte is refused (it would cut strings short). */
static int split_lines(struct scn *s, struct scn_diag *d)
{
	size_t n = 1;

	for (size_t i = 0; i < s->srclen; i++)
		n += s->src[i] == '\n';
	s->lines = calloc(n + 1, sizeof *s->lines);
	if (!s->lines)
		return scn_error(s, d, (struct scn_pos){ 0, 0 }, "out of memory");
	s->lines[1] = s->src;
	s->nlines = 1;
	int col = 1;
	for (size_t i = 0; i < s->srclen; i++, col++) {
		if (s->src[i] == '\0')
			return scn_error(s, d, (struct scn_pos){ (int)s->nlines, col }, "NUL byte in the file");
		if (s->src[i] == '\n' && i + 1 < s->srclen) {
			s->lines[++s->nlines] = s->src + i + 1;
			col = 0;
		}
	}
	return 0;
}

struct scn *scn_parse(const char *file, const char *dir, const char *text, size_t len,
                      struct scn_diag *d)
{
	struct scn *s = calloc(1, sizeof *s);

	if (!s || !(s->file = scn_strndup(file, strlen(file))) ||
	    !(s->dir = scn_strndup(dir ? dir : ".", strlen(dir ? dir : "."))) ||
	    !(s->src = scn_strndup(text, len))) {
		scn_error(NULL, d, (struct scn_pos){ 0, 0 }, "out of memory");
		scn_free(s);
		return NULL;
	}
	s->srclen = len;
	s->seed = 1;
	if (split_lines(s, d) < 0) {
		scn_free(s);
		return NULL;
	}
	struct parser p = { .s = s, .d = d };
	for (p.line = 1; (size_t)p.line <= s->nlines; p.line++) {
		if (parse_line(&p) < 0) {
			scn_free(s);
			return NULL;
		}
	}
	if (goals_have_expects(&p) < 0) {
		scn_free(s);
		return NULL;
	}
	return s;
}
