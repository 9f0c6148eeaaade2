/*
 * nat6to4d on a simulated FreeBSD gateway: the seed's 2008 daemon, built
 * around the real libnat6to4 and fed by ipfw divert sockets (net/divert.h):
 *
 *   nat6to4d [-dB] [-c /usr/local/etc/nat6to4.conf] [-4 8664] [-6 8666]
 *   nat6to4ctl show sessions|counters
 *
 * IPv6 packets diverted to the IPv6 port are translated with nat6to4_6to4
 * and the IPv4 result is written to the IPv4 socket; IPv4 packets diverted
 * to the IPv4 port go the other way. A translation is a new packet of the
 * other family, so it is written as an outbound packet (routed out of the
 * interface its destination says) with rule 0: the whole rule set sees it,
 * as it would see a packet the gateway itself sent. An ICMP error the core
 * makes goes back to the sender through the socket of the input's family.
 *
 * -d stays in the foreground and logs one line per diverted packet:
 *   nat6to4d: 6to4 tcp 2001:db8::2.40000 > 2001:df0:9::ca53:b0f8.80: translated
 *       -> tcp 203.0.113.1.1024 > 202.83.176.248.80
 * (one line; tcpdump -n's ADDR.PORT spelling), or "dropped (REASON)" /
 * "error-sent (REASON) -> icmp6 ..." with the core's reason names.
 *
 * -B reproduces the seed's 2008-05-12 bug on purpose: translated IPv6
 * packets are written to the IPv4 divert socket ("I actually had pushed the
 * data in the wrong IPv4 socket"). sendto() accepts them and they are lost;
 * the kernel's divert counters (nat6to4ctl show counters) say so.
 *
 * The packets the core produces are collected during its call and written
 * after it returns: a write can reinject a packet that ipfw diverts to us
 * again, and the core is not re-entered from inside its own callback.
 */
#include "apps_int.h"
#include "../net/divert.h"
#include "nat6to4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CONF "/usr/local/etc/nat6to4.conf"
#define DEFAULT_PORT4 8664
#define DEFAULT_PORT6 8666
#define MAX_OUT 8                              /* packets per translation kept */
#define OUT_MAX (PBUF_SIZE - PBUF_HEADROOM)    /* largest packet the stack sends */
#define DESC_MAX 160

struct nat6to4d {
	struct sim_node *node;
	bool running;
	bool debug;           /* -d: a log line per packet */
	bool bug_wrong_sock;  /* -B: the seed's 2008-05-12 bug */
	uint32_t pid;
	uint16_t port4, port6;
	char conf[128];
	nat6to4 *nat;
	struct divert_sock *s4, *s6;
	uint64_t written[2];  /* packets written, [0] IPv4 socket, [1] IPv6 socket */
	uint64_t overflow;    /* produced packets beyond MAX_OUT: not written */
};

/* What the core produced during one call. */
struct out_pkt {
	uint8_t data[OUT_MAX];
	size_t len;
	uint8_t family;
	enum nat6to4_out_kind kind;
};
struct out_list {
	struct out_pkt p[MAX_OUT];
	int n;
	uint64_t overflow;
};

/* ---- describing packets for the -d log ----------------------------------- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static const char *icmp_name(int family, uint8_t type)
{
	static const struct { uint8_t fam, type; const char *name; } names[] = {
		{ 6, 1, "unreachable" }, { 6, 2, "packet too big" }, { 6, 3, "time exceeded" },
		{ 6, 4, "parameter problem" }, { 6, 128, "echo request" }, { 6, 129, "echo reply" },
		{ 4, 0, "echo reply" }, { 4, 3, "unreachable" }, { 4, 8, "echo request" },
		{ 4, 11, "time exceeded" }, { 4, 12, "parameter problem" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].fam == family && names[i].type == type)
			return names[i].name;
	return NULL;
}

/* The upper layer of a packet whose addresses are already in `a`, `b`. */
static void describe_l4(char *buf, size_t len, int family, uint8_t proto, const char *a,
                        const char *b, const uint8_t *l4, size_t l4len, bool first_frag)
{
	if ((proto == 6 || proto == 17) && first_frag && l4len >= 4) {
		snprintf(buf, len, "%s %s.%u > %s.%u", proto == 6 ? "tcp" : "udp", a, rd16(l4), b,
		         rd16(l4 + 2));
	} else if ((proto == 58 || proto == 1) && first_frag && l4len >= 2) {
		const char *name = icmp_name(family, l4[0]);
		if (name)
			snprintf(buf, len, "%s %s > %s %s", proto == 58 ? "icmp6" : "icmp", a, b, name);
		else
			snprintf(buf, len, "%s %s > %s type %u code %u", proto == 58 ? "icmp6" : "icmp",
			         a, b, l4[0], l4[1]);
	} else {
		snprintf(buf, len, "%s %s > %s proto %u%s", family == 6 ? "ip6" : "ip", a, b, proto,
		         first_frag ? "" : " (fragment)");
	}
}

/* "tcp A.P > B.Q", "icmp6 A > B echo request", or "N bytes" when too short. */
static void describe(char *buf, size_t len, int family, const uint8_t *pkt, size_t plen)
{
	char a[APPS_ADDRSTRLEN], b[APPS_ADDRSTRLEN];
	if (family == 6 && plen >= 40 && pkt[0] >> 4 == 6) {
		apps_fmt6(a, sizeof a, pkt + 8, NULL);
		apps_fmt6(b, sizeof b, pkt + 24, NULL);
		describe_l4(buf, len, 6, pkt[6], a, b, pkt + 40, plen - 40, true);
		return;
	}
	size_t hlen = plen >= 20 ? (size_t)(pkt[0] & 15) * 4 : 0;
	if (family == 4 && hlen >= 20 && hlen <= plen && pkt[0] >> 4 == 4) {
		apps_fmt4(a, sizeof a, pkt + 12);
		apps_fmt4(b, sizeof b, pkt + 16);
		bool first = (rd16(pkt + 6) & 0x1fff) == 0;
		describe_l4(buf, len, 4, pkt[9], a, b, pkt + hlen, plen - hlen, first);
		return;
	}
	snprintf(buf, len, "%zu bytes", plen);
}

static void log_verdict(struct nat6to4d *d, int family, const uint8_t *pkt, size_t len,
                        struct nat6to4_verdict v, const struct out_list *out)
{
	char in[DESC_MAX], res[DESC_MAX + 48] = "";
	describe(in, sizeof in, family, pkt, len);
	if (out->n > 0) {
		char o[DESC_MAX];
		describe(o, sizeof o, out->p[0].family, out->p[0].data, out->p[0].len);
		snprintf(res, sizeof res, " -> %s%s", o, out->n > 1 ? " (fragmented)" : "");
	}
	const char *dir = family == 6 ? "6to4" : "4to6";
	if (v.reason == NAT6TO4_R_OK)
		sim_say(d->node, "nat6to4d: %s %s: %s%s", dir, in, nat6to4_result_name(v.result), res);
	else
		sim_say(d->node, "nat6to4d: %s %s: %s (%s)%s", dir, in, nat6to4_result_name(v.result),
		        nat6to4_reason_name(v.reason), res);
}

/* ---- the packet path -------------------------------------------------------- */

static void collect(void *user, const struct nat6to4_out *o)
{
	struct out_list *l = user;
	if (l->n >= MAX_OUT || o->len > OUT_MAX) {
		l->overflow++;
		return;
	}
	struct out_pkt *p = &l->p[l->n++];
	memcpy(p->data, o->data, o->len);
	p->len = o->len;
	p->family = o->family;
	p->kind = o->kind;
}

/* The socket a produced packet is written to: its own family's, except
 * translated IPv6 under -B (the seed's bug). */
static struct divert_sock *socket_for(struct nat6to4d *d, const struct out_pkt *p)
{
	if (p->family == 6 && p->kind == NAT6TO4_OUT_TRANSLATED && d->bug_wrong_sock)
		return d->s4;
	return p->family == 6 ? d->s6 : d->s4;
}

static void write_out(struct nat6to4d *d, const struct out_list *out)
{
	/* Routed out, every rule applies: a new packet, not a reinjected one. */
	struct divert_info info;
	memset(&info, 0, sizeof info);
	info.dir = DIVERT_OUT;
	info.rule = 0;
	for (int i = 0; i < out->n && d->running; i++) {
		struct divert_sock *s = socket_for(d, &out->p[i]);
		if (!s)
			continue;
		d->written[s == d->s6]++;
		divert_send(s, out->p[i].data, out->p[i].len, &info);
	}
}

static void on_divert(void *user, struct divert_sock *s, const uint8_t *pkt, size_t len,
                      const struct divert_info *info)
{
	(void)info;
	struct nat6to4d *d = user;
	if (!d->running || !d->nat)
		return;
	struct out_list *out = sim_xcalloc(1, sizeof *out); /* 15 KB: not on the stack */
	uint64_t now = d->node->sim->now;
	int family = s == d->s6 ? 6 : 4;
	struct nat6to4_verdict v = family == 6 ? nat6to4_6to4(d->nat, pkt, len, now, collect, out)
	                                       : nat6to4_4to6(d->nat, pkt, len, now, collect, out);
	d->overflow += out->overflow;
	if (d->debug)
		log_verdict(d, family, pkt, len, v, out);
	write_out(d, out);
	free(out);
}

/* ---- starting and stopping ----------------------------------------------- */

static void daemon_stop(struct nat6to4d *d)
{
	if (d->s4)
		divert_close(d->s4);
	if (d->s6)
		divert_close(d->s6);
	d->s4 = d->s6 = NULL;
	nat6to4_free(d->nat);
	d->nat = NULL;
	d->running = false;
}

static void free_hook(struct sim *sim, void *user)
{
	(void)sim;
	struct nat6to4d *d = user;
	daemon_stop(d);
	if (d->node->apps && d->node->apps->nat6to4d == d)
		d->node->apps->nat6to4d = NULL;
	free(d);
}

int nat6to4d_terminate(struct sim_node *n)
{
	struct nat6to4d *d = n->apps ? n->apps->nat6to4d : NULL;
	if (!d || !d->running)
		return -1;
	if (d->debug)
		sim_say(n, "nat6to4d: exiting on signal 15");
	daemon_stop(d);
	return 0;
}

struct start_opts {
	bool debug, bug;
	const char *conf;
	long port4, port6;
};

static int usage(struct sim_node *n)
{
	apps_say(n, "usage: nat6to4d [-dB] [-c config] [-4 divert4-port] [-6 divert6-port]");
	return APPS_EX_USAGE;
}

static int parse_opts(struct sim_node *n, int argc, char **argv, struct start_opts *o)
{
	struct apps_opt g;
	apps_opt_init(&g);
	int c;
	while ((c = apps_getopt(&g, argc, argv, "dBc:4:6:")) != -1) {
		switch (c) {
		case 'd': o->debug = true; break;
		case 'B': o->bug = true; break;
		case 'c': o->conf = g.arg; break;
		case '4':
		case '6':
			if (!apps_parse_long(g.arg, 1, 65535, c == '4' ? &o->port4 : &o->port6)) {
				apps_say(n, "nat6to4d: %s: invalid divert port", g.arg);
				return 1;
			}
			break;
		default:
			return usage(n);
		}
	}
	return g.ind < argc ? usage(n) : 0;
}

/* The configuration from the node's file system, or NULL with a message. */
static nat6to4 *load(struct sim_node *n, const char *path)
{
	const struct sim_file *f = sim_file_get(n, path);
	if (!f) {
		apps_say(n, "nat6to4d: %s: No such file or directory", path);
		return NULL;
	}
	char err[256];
	nat6to4_config *cfg = nat6to4_config_parse(f->data, f->len, path, NULL, NULL, err, sizeof err);
	if (!cfg) {
		apps_say(n, "nat6to4d: %s", err);
		return NULL;
	}
	nat6to4 *nat = nat6to4_new(cfg, err, sizeof err);
	nat6to4_config_free(cfg);
	if (!nat)
		apps_say(n, "nat6to4d: %s: %s", path, err);
	return nat;
}

/* The node's daemon record, made (with its free hook) on first start. */
static struct nat6to4d *daemon_of(struct sim_node *n)
{
	if (!n->apps->nat6to4d) {
		struct nat6to4d *d = sim_xcalloc(1, sizeof *d);
		d->node = n;
		n->apps->nat6to4d = d;
		sim_on_free(n->sim, free_hook, d);
	}
	return n->apps->nat6to4d;
}

static bool bind_both(struct sim_node *n, struct nat6to4d *d)
{
	d->s6 = divert_bind(n, 6, d->port6, on_divert, d);
	d->s4 = d->s6 ? divert_bind(n, 4, d->port4, on_divert, d) : NULL;
	if (d->s4)
		return true;
	apps_say(n, "nat6to4d: bind(divert %u): Address already in use",
	         d->s6 ? d->port4 : d->port6);
	return false;
}

int cmd_nat6to4d(struct sim_node *n, int argc, char **argv)
{
	struct start_opts o = { .conf = DEFAULT_CONF, .port4 = DEFAULT_PORT4,
		                .port6 = DEFAULT_PORT6 };
	int rc = parse_opts(n, argc, argv, &o);
	if (rc != 0)
		return rc;
	if (!n->net || !n->apps) {
		apps_say(n, "nat6to4d: socket(PF_INET6, SOCK_RAW, IPPROTO_DIVERT): Protocol not supported");
		return 1;
	}
	if (n->apps->nat6to4d && n->apps->nat6to4d->running) {
		apps_say(n, "nat6to4d: already running, pid %u", n->apps->nat6to4d->pid);
		return 1;
	}
	nat6to4 *nat = load(n, o.conf);
	if (!nat)
		return 1;
	struct nat6to4d *d = daemon_of(n);
	d->debug = o.debug;
	d->bug_wrong_sock = o.bug;
	d->port4 = (uint16_t)o.port4;
	d->port6 = (uint16_t)o.port6;
	snprintf(d->conf, sizeof d->conf, "%s", o.conf);
	d->nat = nat;
	if (!bind_both(n, d)) {
		daemon_stop(d);
		return 1;
	}
	d->running = true;
	d->pid = apps_new_pid(n);
	if (d->debug)
		apps_say(n, "nat6to4d: %s: divert6 port %u, divert4 port %u%s", d->conf, d->port6,
		         d->port4, d->bug_wrong_sock ? ", translated IPv6 to the IPv4 socket (-B)" : "");
	return 0;
}

/* ---- nat6to4ctl show sessions|counters ---------------------------------- */

struct row {
	char c[6][APPS_ADDRSTRLEN + 8];
};
struct table {
	struct row *rows;
	size_t n, cap;
	sim_time now;
};

static void endpoint6(char *buf, size_t len, const uint8_t a[16], uint16_t port)
{
	char t[APPS_ADDRSTRLEN];
	apps_fmt6(t, sizeof t, a, NULL);
	snprintf(buf, len, "%s.%u", t, port);
}

static void endpoint4(char *buf, size_t len, const uint8_t a[4], uint16_t port)
{
	char t[20];
	apps_fmt4(t, sizeof t, a);
	snprintf(buf, len, "%s.%u", t, port);
}

/* One session in the columns of `nat6to4ctl show sessions`. */
static void session_row(struct row *r, const struct nat6to4_session_info *s, sim_time now)
{
	const char *proto = s->proto == 6 ? "tcp" : s->proto == 17 ? "udp" : "icmp";
	snprintf(r->c[0], sizeof r->c[0], "%s", proto);
	endpoint6(r->c[1], sizeof r->c[1], s->v6_addr, s->v6_port);
	endpoint4(r->c[2], sizeof r->c[2], s->v4_addr, s->v4_port);
	endpoint4(r->c[3], sizeof r->c[3], s->remote4, s->remote_port);
	snprintf(r->c[4], sizeof r->c[4], "%s", s->state ? s->state : "-");
	if (s->is_static)
		snprintf(r->c[5], sizeof r->c[5], "static");
	else /* seconds left, rounded up as a countdown shows them */
		snprintf(r->c[5], sizeof r->c[5], "%llu",
		         (unsigned long long)(s->expires_ns > now
		                                  ? (s->expires_ns - now + SIM_S - 1) / SIM_S : 0));
}

static void add_session(void *user, const struct nat6to4_session_info *s)
{
	struct table *t = user;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = sim_xrealloc(t->rows, t->cap, sizeof *t->rows);
	}
	session_row(&t->rows[t->n++], s, t->now);
}

static void show_sessions(struct sim_node *n, struct nat6to4d *d)
{
	static const char *const head[6] = { "Proto", "IPv6 endpoint", "Pool4 endpoint",
		                             "Remote", "State", "Expire" };
	struct table t = { .now = n->sim->now };
	nat6to4_expire(d->nat, n->sim->now);
	nat6to4_sessions_walk(d->nat, add_session, &t);
	int w[6];
	for (int k = 0; k < 6; k++) {
		w[k] = (int)strlen(head[k]);
		for (size_t i = 0; i < t.n; i++)
			if ((int)strlen(t.rows[i].c[k]) > w[k])
				w[k] = (int)strlen(t.rows[i].c[k]);
	}
	apps_say(n, "%-*s %-*s %-*s %-*s %-*s %s", w[0], head[0], w[1], head[1], w[2], head[2],
	         w[3], head[3], w[4], head[4], head[5]);
	for (size_t i = 0; i < t.n; i++) {
		const struct row *r = &t.rows[i];
		apps_say(n, "%-*s %-*s %-*s %-*s %-*s %s", w[0], r->c[0], w[1], r->c[1], w[2],
		         r->c[2], w[3], r->c[3], w[4], r->c[4], r->c[5]);
	}
	free(t.rows);
}

/* netstat -s style: a heading per direction, the verdicts that happened. */
static void show_direction(struct sim_node *n, const struct nat6to4_counters *c, int dir)
{
	uint64_t total = 0;
	for (int r = 0; r < NAT6TO4_REASON_COUNT; r++)
		total += c->packets[dir][r];
	apps_say(n, "%s:", dir == NAT6TO4_DIR_6TO4 ? "6to4" : "4to6");
	apps_say(n, "\t%llu packets received", (unsigned long long)total);
	apps_say(n, "\t%llu packets translated", (unsigned long long)c->packets[dir][NAT6TO4_R_OK]);
	for (int r = 1; r < NAT6TO4_REASON_COUNT; r++)
		if (c->packets[dir][r])
			apps_say(n, "\t%llu %s (%s)", (unsigned long long)c->packets[dir][r],
			         nat6to4_reason_name((enum nat6to4_reason)r),
			         nat6to4_reason_text((enum nat6to4_reason)r));
	apps_say(n, "\t%llu packets emitted", (unsigned long long)c->emitted[dir]);
}

static void show_counters(struct sim_node *n, struct nat6to4d *d)
{
	struct nat6to4_counters c;
	nat6to4_get_counters(d->nat, &c);
	show_direction(n, &c, NAT6TO4_DIR_6TO4);
	show_direction(n, &c, NAT6TO4_DIR_4TO6);
	apps_say(n, "sessions:");
	apps_say(n, "\t%llu active, %llu created, %llu expired, %llu bindings",
	         (unsigned long long)c.sessions_active, (unsigned long long)c.sessions_created,
	         (unsigned long long)c.sessions_expired, (unsigned long long)c.bindings_active);
	apps_say(n, "\t%llu fragments made, %llu ICMP errors sent",
	         (unsigned long long)c.fragments_out, (unsigned long long)c.icmp_errors_out);
	apps_say(n, "nat6to4d:");
	apps_say(n, "\t%llu written to divert4 port %u, %llu to divert6 port %u",
	         (unsigned long long)d->written[0], d->port4, (unsigned long long)d->written[1],
	         d->port6);
	if (d->overflow)
		apps_say(n, "\t%llu produced packets not written", (unsigned long long)d->overflow);
	struct divert_stats ds;
	divert_get_stats(n, &ds);
	apps_say(n, "divert:");
	apps_say(n, "\t%llu packets diverted", (unsigned long long)ds.diverted);
	apps_say(n, "\t%llu packets dropped, no socket bound", (unsigned long long)ds.no_socket);
	apps_say(n, "\t%llu packets reinjected", (unsigned long long)ds.reinjected);
	apps_say(n, "\t%llu packets lost, wrong address family", (unsigned long long)ds.wrong_family);
}

int cmd_nat6to4ctl(struct sim_node *n, int argc, char **argv)
{
	bool sessions = argc == 3 && strcmp(argv[1], "show") == 0 && strcmp(argv[2], "sessions") == 0;
	bool counters = argc == 3 && strcmp(argv[1], "show") == 0 && strcmp(argv[2], "counters") == 0;
	if (!sessions && !counters) {
		apps_say(n, "usage: nat6to4ctl show sessions|counters");
		return APPS_EX_USAGE;
	}
	struct nat6to4d *d = n->apps ? n->apps->nat6to4d : NULL;
	if (!d || !d->running) {
		apps_say(n, "nat6to4ctl: nat6to4d is not running");
		return 1;
	}
	if (sessions)
		show_sessions(n, d);
	else
		show_counters(n, d);
	return 0;
}

/* ---- read-only: the sessions for the step view -------------------------- */

struct session_lines {
	void (*fn)(void *user, const char *line);
	void *user;
	sim_time now;
	long n;
};

/* A session whose time has passed is gone for nat6to4ctl (it expires them
 * first); here it is skipped instead, so looking changes nothing. */
static void session_line(void *user, const struct nat6to4_session_info *s)
{
	struct session_lines *sl = user;
	struct row r;
	char line[sizeof r.c];
	if (!s->is_static && s->expires_ns <= sl->now)
		return;
	session_row(&r, s, sl->now);
	snprintf(line, sizeof line, "%s %s %s %s %s%s", r.c[0], r.c[1], r.c[2], r.c[3], r.c[4],
	         s->is_static ? " static" : "");
	sl->fn(sl->user, line);
	sl->n++;
}

long nat6to4d_sessions(const struct sim_node *n, void (*fn)(void *user, const char *line),
                       void *user)
{
	const struct nat6to4d *d = n->apps ? n->apps->nat6to4d : NULL;
	if (!d || !d->running)
		return -1;
	struct session_lines sl = { fn, user, n->sim->now, 0 };
	nat6to4_sessions_walk(d->nat, session_line, &sl);
	return sl.n;
}
