/*
 * A delegating router's DHCPv6 server (RFC 8415 with IA_PD), for the
 * `isp` node, in the manner of WIDE's dhcp6s:
 *
 *   dhcp6s [-dDf] [-P prefix/len] [-n count] [-t T1,T2] [-l pltime,vltime] interface...
 *
 * It delegates prefixes of length `len` from a pool of `count` of them
 * starting at `prefix` (default: 16 /60s from 2001:44b8:7bf1:a50::/60, the
 * seed's), preferred/valid lifetimes 3600/7200 s, T1/T2 1800/2880 s. The
 * lease table is keyed by DUID + IAID: a client gets the same prefix back
 * (Solicit, Request, after a Release too while the pool lasts); Renew and
 * Rebind extend it, Release frees it. It works on any interface, virtual
 * ones without a link (a PPP tun) included; dhcp6s_add_iface serves one
 * that appears later. Options instead of dhcp6s.conf: WIDE's server only
 * delegates statically configured prefixes, a pool is this model's.
 */
#include "apps_int.h"
#include "../conf/dhcp6c_conf.h" /* syslog levels */
#include "../net/dhcp6.h"
#include "../transport/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DH6S_MAX_IF 8
#define DH6S_MAX_LEASES 64

struct dh6s_lease {
	struct dhcp6_duid duid;
	uint32_t iaid;
	uint32_t index;          /* which prefix of the pool */
	bool bound;
	sim_time expires;
};

struct dhcp6s {
	struct sim_node *node;
	struct udp_sock *sock;
	struct dhcp6_duid duid;
	int thresh;
	bool foreground;
	char ifnames[DH6S_MAX_IF][16];
	size_t nif;
	uint8_t pool[16];
	uint8_t plen;
	uint32_t count, t1, t2, pltime, vltime;
	struct dh6s_lease leases[DH6S_MAX_LEASES];
	size_t nleases;
};

static void slog(struct dhcp6s *s, int level, const char *fname, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void slog(struct dhcp6s *s, int level, const char *fname, const char *fmt, ...)
{
	static const char *const month[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	if (!s->foreground || level > s->thresh)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	time_t t = (time_t)(sim_unix_ns(s->node->sim) / SIM_S);
	struct tm tm;
	gmtime_r(&t, &tm);
	sim_say(s->node, "%3s/%02d/%04d %02d:%02d:%02d: %s: %s", month[tm.tm_mon], tm.tm_mday,
	        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, fname, buf);
}

/* ---- the lease table ------------------------------------------------------------- */

/* The pool's i-th prefix: the first one plus i in its last bits. */
static void pool_prefix(const struct dhcp6s *s, uint32_t index, uint8_t out[16])
{
	memcpy(out, s->pool, 16);
	uint32_t carry = index;
	for (int bit = s->plen - 1; bit >= 0 && carry; bit--) {
		unsigned v = (out[bit / 8] >> (7 - bit % 8)) & 1u;
		unsigned sum = v + (carry & 1u);
		carry = (carry >> 1) + (sum >> 1);
		if (sum & 1u)
			out[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		else
			out[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	}
}

static struct dh6s_lease *find_lease(struct dhcp6s *s, const struct dhcp6_duid *d, uint32_t iaid)
{
	for (size_t i = 0; i < s->nleases; i++)
		if (s->leases[i].iaid == iaid && dhcp6_duid_eq(&s->leases[i].duid, d))
			return &s->leases[i];
	return NULL;
}

static bool in_use(const struct dhcp6s *s, uint32_t index, sim_time now)
{
	for (size_t i = 0; i < s->nleases; i++)
		if (s->leases[i].index == index && s->leases[i].bound && s->leases[i].expires > now)
			return true;
	return false;
}

/* The client's lease, made on first sight: its old prefix if it had one,
 * else a prefix nobody was given, else one no binding holds now. */
static struct dh6s_lease *lease_for(struct dhcp6s *s, const struct dhcp6_duid *d, uint32_t iaid)
{
	sim_time now = s->node->sim->now;
	struct dh6s_lease *l = find_lease(s, d, iaid);
	if (l)
		return in_use(s, l->index, now) && !l->bound ? NULL : l;
	for (uint32_t idx = 0; idx < s->count; idx++) {
		bool given = false;
		for (size_t i = 0; i < s->nleases && !given; i++)
			given = s->leases[i].index == idx;
		if (given || s->nleases == DH6S_MAX_LEASES)
			continue;
		l = &s->leases[s->nleases++];
		*l = (struct dh6s_lease){ .duid = *d, .iaid = iaid, .index = idx };
		return l;
	}
	for (size_t i = 0; i < s->nleases; i++)
		if (!in_use(s, s->leases[i].index, now)) {
			s->leases[i] = (struct dh6s_lease){ .duid = *d, .iaid = iaid,
				                            .index = s->leases[i].index };
			return &s->leases[i];
		}
	return NULL;
}

/* ---- answers ---------------------------------------------------------------------- */

static void fill_iapd(struct dhcp6s *s, struct dhcp6_iapd *ia, const struct dh6s_lease *l,
                      uint16_t fail_status)
{
	if (!l) {
		ia->has_status = true;
		ia->status = fail_status;
		return;
	}
	ia->t1 = s->t1;
	ia->t2 = s->t2;
	ia->nprefix = 1;
	ia->prefix[0] = (struct dhcp6_prefix){ .preferred = s->pltime, .valid = s->vltime,
		                               .plen = s->plen };
	pool_prefix(s, l->index, ia->prefix[0].addr);
}

/* One answer IA_PD per IA_PD of the request. */
static void answer_ias(struct dhcp6s *s, const struct dhcp6_msg *q, struct dhcp6_msg *a)
{
	sim_time now = s->node->sim->now;
	for (size_t i = 0; i < q->niapd; i++) {
		struct dhcp6_iapd *ia = &a->iapd[a->niapd++];
		memset(ia, 0, sizeof *ia);
		ia->iaid = q->iapd[i].iaid;
		struct dh6s_lease *l;
		switch (q->type) {
		case DH6_SOLICIT: l = lease_for(s, &q->clientid, ia->iaid); break;
		case DH6_REQUEST: l = lease_for(s, &q->clientid, ia->iaid); break;
		default: l = find_lease(s, &q->clientid, ia->iaid); break;
		}
		if (l && q->type != DH6_SOLICIT && q->type != DH6_REQUEST && !l->bound)
			l = NULL; /* Renew/Rebind of what we do not hold */
		bool commit = q->type != DH6_SOLICIT || q->rapid_commit;
		if (l && commit) {
			l->bound = true;
			l->expires = now + (sim_time)s->vltime * SIM_S;
		}
		fill_iapd(s, ia, l, q->type == DH6_SOLICIT || q->type == DH6_REQUEST
		                        ? DH6ST_NOPREFIXAVAIL : DH6ST_NOBINDING);
	}
}

static void release(struct dhcp6s *s, const struct dhcp6_msg *q, struct dhcp6_msg *a)
{
	for (size_t i = 0; i < q->niapd; i++) {
		struct dh6s_lease *l = find_lease(s, &q->clientid, q->iapd[i].iaid);
		if (l)
			l->bound = false; /* its prefix stays reserved for this client */
	}
	a->has_status = true;
	a->status = DH6ST_SUCCESS;
	snprintf(a->status_msg, sizeof a->status_msg, "released");
}

static void send_answer(struct dhcp6s *s, const struct dhcp6_msg *a, const struct tp_addr *to)
{
	uint8_t buf[DHCP6_MSG_MAX];
	char dst[APPS_ADDRSTRLEN], nb[16];
	size_t len = dhcp6_encode(a, buf, sizeof buf);
	struct tp_addr peer = *to;
	peer.port = DHCP6_CLIENT_PORT;
	const char *err = "No buffer space available";
	apps_fmt6(dst, sizeof dst, peer.addr, peer.ifp);
	if (len == 0 || udp_sendto(s->sock, &peer, buf, len, &err) != 0) {
		slog(s, DH6LOG_ERR, "server6_send", "transmit failed: %s", err);
		return;
	}
	slog(s, DH6LOG_DEBUG, "server6_send", "transmit %s to %s",
	     dhcp6_msg_name(a->type, nb, sizeof nb), dst);
}

/* ---- requests in ------------------------------------------------------------------- */

static bool serves(const struct dhcp6s *s, const struct sim_iface *ifp)
{
	for (size_t i = 0; ifp && i < s->nif; i++)
		if (strcmp(s->ifnames[i], ifp->name) == 0)
			return true;
	return false;
}

/* RFC 8415 16: what a server must find in each message before answering. */
static bool valid_request(const struct dhcp6s *s, const struct dhcp6_msg *q)
{
	if (!q->clientid.len)
		return false;
	switch (q->type) {
	case DH6_SOLICIT:
	case DH6_REBIND: return !q->serverid.len;
	case DH6_REQUEST:
	case DH6_RENEW:
	case DH6_RELEASE: return dhcp6_duid_eq(&q->serverid, &s->duid);
	default: return false;
	}
}

static void answer(struct dhcp6s *s, const struct dhcp6_msg *q, const struct tp_addr *from)
{
	struct dhcp6_msg a;
	memset(&a, 0, sizeof a);
	a.type = q->type == DH6_SOLICIT && !q->rapid_commit ? DH6_ADVERTISE : DH6_REPLY;
	a.xid = q->xid;
	a.clientid = q->clientid;
	a.serverid = s->duid;
	a.rapid_commit = q->type == DH6_SOLICIT && q->rapid_commit;
	if (q->type == DH6_RELEASE)
		release(s, q, &a);
	else
		answer_ias(s, q, &a);
	send_answer(s, &a, from);
}

static void server6_recv(void *user, struct udp_sock *sock, const struct tp_addr *from,
                         const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct dhcp6s *s = user;
	(void)sock;
	char src[APPS_ADDRSTRLEN], nb[16];
	struct dhcp6_msg q;
	if (!s->sock || !serves(s, to->ifp) || len < 4)
		return;
	apps_fmt6(src, sizeof src, from->addr, from->ifp);
	slog(s, DH6LOG_DEBUG, "server6_recv", "received %s from %s",
	     dhcp6_msg_name(data[0], nb, sizeof nb), src);
	if (dhcp6_decode(data, len, &q, NULL) < 0) {
		slog(s, DH6LOG_INFO, "server6_recv", "failed to parse options");
		return;
	}
	if (valid_request(s, &q))
		answer(s, &q, from);
}

/* ---- the command ---------------------------------------------------------------------- */

int dhcp6s_terminate(struct sim_node *n)
{
	struct dhcp6s *s = n->apps ? n->apps->dhcp6s : NULL;
	if (!s)
		return -1;
	udp_close(s->sock);
	s->sock = NULL;
	n->apps->dhcp6s = NULL;
	return 0;
}

int dhcp6s_add_iface(struct sim_node *n, struct sim_iface *ifp)
{
	struct dhcp6s *s = n->apps ? n->apps->dhcp6s : NULL;
	if (!s)
		return -1;
	in6_join(ifp, dhcp6_all_agents);
	if (!serves(s, ifp) && s->nif < DH6S_MAX_IF)
		snprintf(s->ifnames[s->nif++], sizeof s->ifnames[0], "%s", ifp->name);
	return 0;
}

static void free_hook(struct sim *sim, void *user)
{
	(void)sim;
	free(user);
}

static int usage(struct sim_node *n)
{
	apps_say(n, "usage: dhcp6s [-dDf] [-P prefix/len] [-n count] [-t T1,T2] "
	            "[-l pltime,vltime] interface...");
	return APPS_EX_USAGE;
}

static bool parse_pair(const char *arg, uint32_t *a, uint32_t *b)
{
	unsigned long x, y;
	char tail;
	if (sscanf(arg, "%lu,%lu%c", &x, &y, &tail) != 2 || x > 0xffffffffUL || y > 0xffffffffUL)
		return false;
	*a = (uint32_t)x;
	*b = (uint32_t)y;
	return true;
}

static bool parse_pool(struct sim_node *n, struct dhcp6s *s, const char *arg)
{
	char buf[APPS_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	long plen;
	struct sim_iface *scope;
	if (!slash || (size_t)(slash - arg) >= sizeof buf)
		return false;
	memcpy(buf, arg, (size_t)(slash - arg));
	buf[slash - arg] = '\0';
	if (!apps_parse_long(slash + 1, 1, 64, &plen) || apps_parse6(n, buf, s->pool, &scope) != 0)
		return false;
	s->plen = (uint8_t)plen;
	return true;
}

static int parse_opts(struct sim_node *n, struct dhcp6s *s, int argc, char **argv)
{
	struct apps_opt g;
	apps_opt_init(&g);
	long count;
	int ch;
	while ((ch = apps_getopt(&g, argc, argv, "dDfP:n:t:l:")) != -1) {
		bool ok = true;
		switch (ch) {
		case 'd': s->thresh = DH6LOG_INFO; break;
		case 'D': s->thresh = DH6LOG_DEBUG; break;
		case 'f': s->foreground = true; break;
		case 'P': ok = parse_pool(n, s, g.arg); break;
		case 'n': ok = apps_parse_long(g.arg, 1, 65536, &count); s->count = (uint32_t)count; break;
		case 't': ok = parse_pair(g.arg, &s->t1, &s->t2); break;
		case 'l': ok = parse_pair(g.arg, &s->pltime, &s->vltime); break;
		default: ok = false; break;
		}
		if (!ok)
			return -1;
	}
	if (g.ind >= argc)
		return -1;
	for (int i = g.ind; i < argc && s->nif < DH6S_MAX_IF; i++)
		snprintf(s->ifnames[s->nif++], sizeof s->ifnames[0], "%s", argv[i]);
	return 0;
}

static void server_duid(struct dhcp6s *s)
{
	static const uint8_t zero[6];
	const uint8_t *mac = zero;
	struct sim_node *n = s->node;
	for (int i = 0; i < n->nifaces && mac == zero; i++)
		if (memcmp(n->ifaces[i]->mac, zero, 6) != 0)
			mac = n->ifaces[i]->mac;
	uint64_t secs = sim_unix_ns(n->sim) / SIM_S;
	dhcp6_duid_llt(&s->duid, (uint32_t)(secs - DHCP6_EPOCH_2000), mac);
}

int cmd_dhcp6s(struct sim_node *n, int argc, char **argv)
{
	static const uint8_t seed_pool[16] = { 0x20, 0x01, 0x44, 0xb8, 0x7b, 0xf1, 0x0a, 0x50 };
	struct dhcp6s tmp = { .node = n, .thresh = DH6LOG_ERR, .plen = 60, .count = 16,
		              .t1 = 1800, .t2 = 2880, .pltime = 3600, .vltime = 7200 };
	memcpy(tmp.pool, seed_pool, 16);
	if (parse_opts(n, &tmp, argc, argv) < 0)
		return usage(n);
	if (!n->net || !n->apps || !n->tp)
		return 1; /* a node without the stack (a bridge) */
	for (size_t i = 0; i < tmp.nif; i++)
		if (!sim_iface_find(n, tmp.ifnames[i])) {
			apps_say(n, "dhcp6s: invalid interface(%s): Device not configured",
			         tmp.ifnames[i]);
			return 1;
		}
	struct dhcp6s *s = sim_xcalloc(1, sizeof *s);
	*s = tmp;
	sim_on_free(n->sim, free_hook, s);
	s->sock = udp_bind(n, 6, DHCP6_SERVER_PORT, server6_recv, s);
	if (!s->sock) {
		apps_say(n, "dhcp6s: bind: Address already in use");
		return 1;
	}
	server_duid(s);
	for (size_t i = 0; i < s->nif; i++)
		in6_join(sim_iface_find(n, s->ifnames[i]), dhcp6_all_agents);
	n->apps->dhcp6s = s;
	return 0;
}
