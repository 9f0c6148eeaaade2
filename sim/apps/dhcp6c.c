/*
 * dhcp6c(8) of WIDE-DHCPv6 (the FreeBSD net/dhcp6 port of 2009) as a
 * requesting router for prefix delegation (RFC 8415):
 *
 *   dhcp6c [-c configfile] [-dDfi] [-k ctlkey] [-p pidfile] interface
 *
 * Solicit (after 0-1 s), Advertises collected for the first RT, Request,
 * Reply: the delegated prefix is carved by sla-id/sla-len onto every
 * prefix-interface of the IA (WIDE's add_ifprefix), which gets
 * prefix::EUI-64 with infinite lifetimes, tentative until DAD passes.
 * Renew at T1, Rebind at T2 (until the valid lifetime ends), Release on
 * SIGTERM (`killall dhcp6c`).
 * Retransmissions follow RFC 8415 section 15 with RAND from sim->prng.
 *
 * Logging is WIDE's dprintf: with -f, lines "Nov/06/2009 11:59:35: fname:
 * msg" go to the node's output when their level passes the threshold
 * (none: LOG_ERR, -d: LOG_INFO, -D: LOG_DEBUG); without -f they go to
 * syslog, which the simulation does not show. One interface per dhcp6c.
 */
#include "apps_int.h"
#include "../conf/dhcp6c_conf.h"
#include "../net/dhcp6.h"
#include "../transport/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DHCP6C_CONF "/usr/local/etc/dhcp6c.conf"
#define DHCP6C_CTLKEY "/usr/local/etc/dhcp6cctlkey"
#define DHCP6C_DUID_FILE "/var/db/dhcp6c_duid"
#define DHCP6C_PIDFILE "/var/run/dhcp6c.pid"

/* RFC 8415 section 7.6 */
#define SOL_MAX_DELAY (1 * SIM_S)
#define SOL_TIMEOUT (1 * SIM_S)
#define SOL_MAX_RT (3600 * SIM_S)
#define REQ_TIMEOUT (1 * SIM_S)
#define REQ_MAX_RT (30 * SIM_S)
#define REQ_MAX_RC 10
#define REN_TIMEOUT (10 * SIM_S)
#define REN_MAX_RT (600 * SIM_S)
#define REB_TIMEOUT (10 * SIM_S)
#define REB_MAX_RT (600 * SIM_S)
#define REL_TIMEOUT (1 * SIM_S)
#define REL_MAX_RC 4

#define DH6C_MAX_ADDRS 8

enum dh6c_state { DH6C_INIT, DH6C_SOLICIT, DH6C_REQUEST, DH6C_BOUND, DH6C_RENEW, DH6C_REBIND,
                  DH6C_RELEASE, DH6C_EXITED, DH6C_NSTATES };
static const char *const dh6c_state_names[DH6C_NSTATES] = {
	"INIT", "SOLICIT", "REQUEST", "BOUND", "RENEW", "REBIND", "RELEASE", "EXITED",
};

struct dh6c_addr {                 /* an address add_ifprefix configured */
	struct sim_iface *ifp;
	uint8_t addr[16];
	uint8_t plen;
};

struct dhcp6c {
	struct sim_node *node;
	struct sim_iface *ifp;         /* the interface DHCPv6 runs on (tun0) */
	struct dhcp6c_conf conf;
	const struct dh6conf_if *ifc;  /* its `interface` block, NULL if none */
	int thresh;                    /* highest syslog level printed */
	bool foreground;
	struct dhcp6_duid duid;
	struct udp_sock *sock;
	enum dh6c_state state;
	/* the message exchange in progress (RFC 8415 15) */
	uint32_t xid;
	unsigned tries, mrc;
	sim_time rt, irt, mrt, deadline, started, last_sent;
	struct sim_timer rtx;
	/* Advertise kept while soliciting */
	bool have_adv;
	int adv_pref;
	struct dhcp6_msg adv;
	/* the binding */
	struct dhcp6_duid server;
	struct dhcp6_iapd lease;
	sim_time lease_at;
	struct sim_timer t1;
	struct dh6c_addr addrs[DH6C_MAX_ADDRS];
	size_t naddrs;
};

static void state_transition(struct dhcp6c *c, enum dh6c_state to);

/* ---- logging (WIDE's dprintf with -f) ---------------------------------------- */

static void dlog(struct dhcp6c *c, int level, const char *fname, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void dlog_text(struct dhcp6c *c, int level, const char *fname, const char *msg)
{
	static const char *const month[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	if (!c->foreground || level > c->thresh)
		return; /* syslog: not part of the transcript */
	time_t t = (time_t)(sim_unix_ns(c->node->sim) / SIM_S);
	struct tm tm;
	gmtime_r(&t, &tm);
	sim_say(c->node, "%3s/%02d/%04d %02d:%02d:%02d: %s%s%s", month[tm.tm_mon], tm.tm_mday,
	        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, fname, *fname ? ": " : "", msg);
}

static void dlog(struct dhcp6c *c, int level, const char *fname, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	dlog_text(c, level, fname, buf);
}

static void conf_log(void *user, int level, const char *fname, const char *msg)
{
	dlog_text(user, level, fname, msg);
}

/* ---- retransmission (RFC 8415 section 15) -------------------------------------- */

/* RAND uniform in [-0.1, 0.1]; the first Solicit's is strictly positive. */
static double rand_factor(struct dhcp6c *c, bool positive)
{
	double u = prng_unit(&c->node->sim->prng);
	return positive ? 0.1 * (1.0 - u) : 0.2 * u - 0.1;
}

static sim_time next_rt(struct dhcp6c *c)
{
	if (c->tries == 0)
		return (sim_time)((double)c->irt *
		                  (1.0 + rand_factor(c, c->state == DH6C_SOLICIT)));
	sim_time rt = (sim_time)((double)c->rt * (2.0 + rand_factor(c, false)));
	if (c->mrt && rt > c->mrt)
		rt = (sim_time)((double)c->mrt * (1.0 + rand_factor(c, false)));
	return rt;
}

static void send_message(struct dhcp6c *c);
static void rtx_event(struct sim *sim, void *obj, uint64_t arg);

/* Transmit (again) and wait RT for an answer; the last RT is cut at MRD. */
static void transmit(struct dhcp6c *c)
{
	struct sim *sim = c->node->sim;
	c->rt = next_rt(c);
	if (c->tries == 0) {
		c->started = sim->now;
		c->xid = prng_below(&sim->prng, 1u << 24);
		dlog(c, DH6LOG_DEBUG, "client6_send", "a new XID (%x) is generated", c->xid);
	}
	c->tries++;
	c->last_sent = sim->now;
	send_message(c);
	sim_time when = sim->now + c->rt;
	if (c->deadline != SIM_NEVER && when > c->deadline)
		when = c->deadline;
	timer_arm(sim, &c->rtx, when, rtx_event, c);
}

static void begin_exchange(struct dhcp6c *c, sim_time irt, sim_time mrt, unsigned mrc,
                           sim_time deadline, sim_time delay)
{
	c->irt = irt;
	c->mrt = mrt;
	c->mrc = mrc;
	c->deadline = deadline;
	c->tries = 0;
	if (delay)
		timer_arm(c->node->sim, &c->rtx, c->node->sim->now + delay, rtx_event, c);
	else
		transmit(c);
}

/* The exchange got no answer in time (MRC or MRD reached). */
static void exchange_failed(struct dhcp6c *c)
{
	switch (c->state) {
	case DH6C_RENEW: state_transition(c, DH6C_REBIND); break;
	case DH6C_REBIND: state_transition(c, DH6C_SOLICIT); break; /* the lease is gone */
	case DH6C_RELEASE:
		dlog(c, DH6LOG_INFO, "client6_timo", "no responses were received");
		state_transition(c, DH6C_EXITED);
		break;
	default:
		dlog(c, DH6LOG_INFO, "client6_timo", "no responses were received");
		state_transition(c, DH6C_SOLICIT);
		break;
	}
}

static void rtx_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct dhcp6c *c = obj;
	if (!timer_current(&c->rtx, arg) || c->state == DH6C_EXITED)
		return;
	c->rtx.when = SIM_NEVER;
	if (c->state == DH6C_SOLICIT && c->have_adv) {
		char id[3 * DHCP6_DUID_MAX + 1];
		dhcp6_duid_str(&c->adv.serverid, id, sizeof id);
		dlog(c, DH6LOG_DEBUG, "select_server", "picked a server (ID: %s)", id);
		state_transition(c, DH6C_REQUEST);
		return;
	}
	if ((c->mrc && c->tries >= c->mrc) || (c->deadline != SIM_NEVER && sim->now >= c->deadline)) {
		exchange_failed(c);
		return;
	}
	transmit(c);
}

/* ---- messages out ---------------------------------------------------------------- */

static const uint8_t msg_of_state[DH6C_NSTATES] = {
	[DH6C_SOLICIT] = DH6_SOLICIT, [DH6C_REQUEST] = DH6_REQUEST, [DH6C_RENEW] = DH6_RENEW,
	[DH6C_REBIND] = DH6_REBIND,   [DH6C_RELEASE] = DH6_RELEASE,
};

/* The IA_PD of the message: empty in a Solicit, the advertised one in a
 * Request (T1/T2 zero, as WIDE sends it), the binding afterwards. */
static void add_iapd(struct dhcp6c *c, struct dhcp6_msg *m)
{
	if (!c->ifc || !c->ifc->send_iapd)
		return;
	struct dhcp6_iapd *ia = &m->iapd[0];
	m->niapd = 1;
	ia->iaid = c->ifc->iapd;
	if (c->state == DH6C_REQUEST) {
		for (size_t i = 0; i < c->adv.niapd; i++)
			if (c->adv.iapd[i].iaid == ia->iaid) {
				*ia = c->adv.iapd[i];
				ia->t1 = ia->t2 = 0;
				ia->has_status = false;
			}
	} else if (c->state != DH6C_SOLICIT) {
		*ia = c->lease;
	}
}

static void build_message(struct dhcp6c *c, struct dhcp6_msg *m)
{
	memset(m, 0, sizeof *m);
	m->type = msg_of_state[c->state];
	m->xid = c->xid;
	m->clientid = c->duid;
	if (c->state == DH6C_REQUEST)
		m->serverid = c->adv.serverid;
	else if (c->state == DH6C_RENEW || c->state == DH6C_RELEASE)
		m->serverid = c->server;
	m->rapid_commit = c->state == DH6C_SOLICIT && c->ifc && c->ifc->rapid_commit;
	m->has_elapsed = true;
	sim_time el = (c->node->sim->now - c->started) / (10 * SIM_MS);
	m->elapsed = c->tries <= 1 ? 0 : (uint16_t)(el > 0xffff ? 0xffff : el);
	for (size_t i = 0; c->state != DH6C_RELEASE && c->ifc && i < c->ifc->nreq; i++)
		m->oro[m->noro++] = c->ifc->req[i];
	add_iapd(c, m);
}

static void send_message(struct dhcp6c *c)
{
	struct dhcp6_msg m;
	uint8_t buf[DHCP6_MSG_MAX];
	build_message(c, &m);
	size_t len = dhcp6_encode(&m, buf, sizeof buf);
	struct tp_addr to = { .family = 6, .port = DHCP6_SERVER_PORT, .ifp = c->ifp };
	memcpy(to.addr, dhcp6_all_agents, 16);
	const char *err = "No buffer space available";
	char nb[16];
	if (len == 0 || udp_sendto(c->sock, &to, buf, len, &err) != 0) {
		dlog(c, DH6LOG_ERR, "client6_send", "transmit failed: %s", err);
		return;
	}
	dlog(c, DH6LOG_DEBUG, "client6_send", "send %s to ff02::1:2%%%s",
	     dhcp6_msg_name(m.type, nb, sizeof nb), c->ifp->name);
}

/* ---- delegated prefixes onto the prefix interfaces -------------------------------- */

/* WIDE's get_default_ifid: the interface ID of its link-local address, or
 * the EUI-64 of its MAC before it has one. */
static void default_ifid(struct sim_iface *ifp, uint8_t id[8])
{
	for (size_t i = 0; ifp->in6 && i < ifp->in6->naddr; i++)
		if (in6_is_linklocal(ifp->in6->addr[i].addr)) {
			memcpy(id, ifp->in6->addr[i].addr + 8, 8);
			return;
		}
	in6_eui64(ifp->mac, id);
}

static void add_ifprefix(struct dhcp6c *c, const struct dhcp6_prefix *p,
                         const struct dh6conf_pif *pif)
{
	struct sim_iface *pifp = sim_iface_find(c->node, pif->ifname);
	uint8_t addr[16], plen, id[8];
	if (!pifp || c->naddrs == DH6C_MAX_ADDRS)
		return;
	if (!dhcp6_carve(p->addr, p->plen, pif->sla_id, (uint8_t)pif->sla_len, addr, &plen)) {
		dlog(c, DH6LOG_INFO, "add_ifprefix", "invalid prefix length %d + %d + %d", p->plen,
		     pif->sla_len, 64);
		return;
	}
	default_ifid(pifp, id);
	memcpy(addr + 8, id, 8);
	/* WIDE adds it with SIOCAIFADDR_IN6; FreeBSD's in6_update_ifa marks a
	 * new address tentative and runs DAD on it like any other, so it is
	 * no source (and no answer to NS) until the probe passes. */
	in6_addr_add(pifp, addr, plen, IN6_IFF_TENTATIVE, SIM_NEVER, SIM_NEVER);
	struct dh6c_addr *a = &c->addrs[c->naddrs++];
	a->ifp = pifp;
	memcpy(a->addr, addr, 16);
	a->plen = plen;
	char text[APPS_ADDRSTRLEN];
	apps_fmt6(text, sizeof text, addr, NULL);
	dlog(c, DH6LOG_DEBUG, "ifaddrconf", "add an address %s/%d on %s", text, plen, pifp->name);
}

static void remove_ifprefixes(struct dhcp6c *c)
{
	char text[APPS_ADDRSTRLEN];
	for (size_t i = 0; i < c->naddrs; i++) {
		struct dh6c_addr *a = &c->addrs[i];
		in6_addr_del(a->ifp, a->addr);
		apps_fmt6(text, sizeof text, a->addr, NULL);
		dlog(c, DH6LOG_DEBUG, "ifaddrconf", "remove an address %s/%d on %s", text, a->plen,
		     a->ifp->name);
	}
	c->naddrs = 0;
	c->lease.nprefix = 0;
}

static bool have_prefix(const struct dhcp6c *c, const struct dhcp6_prefix *p)
{
	for (size_t i = 0; i < c->lease.nprefix; i++)
		if (c->lease.prefix[i].plen == p->plen && !memcmp(c->lease.prefix[i].addr, p->addr, 16))
			return true;
	return false;
}

/* update_prefix for each prefix of the IA_PD the Reply carries. */
static void update_prefixes(struct dhcp6c *c, const struct dhcp6_iapd *ia)
{
	const struct dh6conf_iapd *iac = dhcp6c_conf_iapd(&c->conf, ia->iaid);
	char text[APPS_ADDRSTRLEN];
	for (size_t i = 0; i < ia->nprefix; i++) {
		const struct dhcp6_prefix *p = &ia->prefix[i];
		bool create = !have_prefix(c, p);
		apps_fmt6(text, sizeof text, p->addr, NULL);
		dlog(c, DH6LOG_DEBUG, "update_prefix", "%s a prefix %s/%d pltime=%lu, vltime=%lu",
		     create ? "create" : "update", text, p->plen, (unsigned long)p->preferred,
		     (unsigned long)p->valid);
		for (size_t k = 0; create && p->valid && iac && k < iac->npif; k++) {
			if (strcmp(iac->pif[k].ifname, c->ifp->name) == 0)
				dlog(c, DH6LOG_INFO, "update_prefix", "skip %s as a prefix interface",
				     c->ifp->name);
			else
				add_ifprefix(c, p, &iac->pif[k]);
		}
	}
}

/* ---- the binding -------------------------------------------------------------------- */

/* T1/T2 of the binding; zero ones are the client's to choose: 0.5 and 0.8
 * of the shortest preferred lifetime (RFC 8415 21.21). */
static void lease_times(const struct dhcp6_iapd *ia, uint32_t *t1, uint32_t *t2, uint32_t *valid)
{
	uint32_t pl = DHCP6_INFINITY;
	*valid = 0;
	for (size_t i = 0; i < ia->nprefix; i++) {
		if (ia->prefix[i].preferred < pl)
			pl = ia->prefix[i].preferred;
		if (ia->prefix[i].valid > *valid)
			*valid = ia->prefix[i].valid;
	}
	*t1 = ia->t1;
	*t2 = ia->t2;
	if (*t1 == 0 || *t2 == 0) {
		*t1 = pl == DHCP6_INFINITY ? pl : pl / 2;
		*t2 = pl == DHCP6_INFINITY ? pl : (uint32_t)((uint64_t)pl * 4 / 5);
	}
}

static sim_time lease_deadline(const struct dhcp6c *c, uint32_t secs)
{
	return secs == DHCP6_INFINITY ? SIM_NEVER : c->lease_at + (sim_time)secs * SIM_S;
}

static void t1_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct dhcp6c *c = obj;
	(void)sim;
	if (timer_current(&c->t1, arg) && c->state == DH6C_BOUND)
		state_transition(c, DH6C_RENEW);
}

/* The IA_PD of ours in a Reply, NULL when the server gave none or refused it. */
static const struct dhcp6_iapd *our_iapd(struct dhcp6c *c, const struct dhcp6_msg *m)
{
	char sb[16];
	for (size_t i = 0; c->ifc && i < m->niapd; i++) {
		const struct dhcp6_iapd *ia = &m->iapd[i];
		if (ia->iaid != c->ifc->iapd)
			continue;
		if (ia->has_status && ia->status != DH6ST_SUCCESS) {
			dlog(c, DH6LOG_INFO, "update_ia", "status code for PD-%lu: %s",
			     (unsigned long)ia->iaid, dhcp6_status_name(ia->status, sb, sizeof sb));
			return NULL;
		}
		return ia->nprefix ? ia : NULL;
	}
	return NULL;
}

static void recv_reply(struct dhcp6c *c, const struct dhcp6_msg *m)
{
	char sb[16];
	/* After a rapid-commit Solicit only a Reply that commits too will do
	 * (RFC 3315 17.1.4, as WIDE's client6_recvreply checks it). */
	if (c->state == DH6C_SOLICIT && !m->rapid_commit) {
		dlog(c, DH6LOG_INFO, "client6_recvreply", "no rapid commit");
		return;
	}
	if (m->has_status)
		dlog(c, DH6LOG_INFO, "client6_recvreply", "status code: %s",
		     dhcp6_status_name(m->status, sb, sizeof sb));
	if (c->state == DH6C_RELEASE) {
		state_transition(c, DH6C_EXITED);
		return;
	}
	const struct dhcp6_iapd *ia = our_iapd(c, m);
	if (!ia && c->ifc && c->ifc->send_iapd) {
		remove_ifprefixes(c);
		state_transition(c, DH6C_SOLICIT);
		return;
	}
	c->server = m->serverid;
	if (ia) {
		update_prefixes(c, ia);
		c->lease = *ia;
		c->lease.has_status = false;
	}
	c->lease_at = c->node->sim->now;
	dlog(c, DH6LOG_DEBUG, "client6_recvreply", "got an expected reply, sleeping.");
	state_transition(c, DH6C_BOUND);
}

/* ---- messages in -------------------------------------------------------------------- */

/* Keep the most preferred Advertise; 255 ends the collection at once, the
 * first one shortens it to IRT after the last Solicit (WIDE's reset timer). */
static void recv_advert(struct dhcp6c *c, const struct dhcp6_msg *m)
{
	char id[3 * DHCP6_DUID_MAX + 1];
	int pref = m->has_pref ? m->pref : -1;
	dhcp6_duid_str(&m->serverid, id, sizeof id);
	dlog(c, DH6LOG_DEBUG, "client6_recvadvert", "server ID: %s, pref=%d", id, pref);
	for (size_t i = 0; c->ifc && c->ifc->send_iapd && i < m->niapd; i++)
		if (m->iapd[i].has_status && m->iapd[i].status == DH6ST_NOPREFIXAVAIL) {
			dlog(c, DH6LOG_INFO, "client6_recvadvert", "advertise contains %s status",
			     "NoPrefixAvail");
			return;
		}
	if (m->has_status && m->status == DH6ST_NOPREFIXAVAIL) {
		dlog(c, DH6LOG_INFO, "client6_recvadvert", "advertise contains %s status",
		     "NoPrefixAvail");
		return;
	}
	bool first = !c->have_adv;
	if (first || pref > c->adv_pref) {
		c->adv = *m;
		c->adv_pref = pref;
		c->have_adv = true;
	}
	if (pref == 255) {
		state_transition(c, DH6C_REQUEST);
	} else if (first) {
		struct sim *sim = c->node->sim;
		sim_time at = c->last_sent + c->irt;
		if (at < sim->now)
			at = sim->now;
		dlog(c, DH6LOG_DEBUG, "client6_recvadvert", "reset timer for %s to %d.%06d",
		     c->ifp->name, (int)((at - sim->now) / SIM_S),
		     (int)((at - sim->now) % SIM_S / SIM_US));
		timer_arm(sim, &c->rtx, at, rtx_event, c);
	}
}

/* What client6_recv and client6_recv{advert,reply} check before use. */
static bool acceptable(struct dhcp6c *c, const struct dhcp6_msg *m)
{
	if (m->xid != c->xid || c->tries == 0) {
		dlog(c, DH6LOG_INFO, "client6_recv", "XID mismatch");
		return false;
	}
	if (!m->serverid.len) {
		dlog(c, DH6LOG_INFO, "client6_recv", "no server ID option");
		return false;
	}
	if (!m->clientid.len) {
		dlog(c, DH6LOG_INFO, "client6_recv", "no client ID option");
		return false;
	}
	if (!dhcp6_duid_eq(&m->clientid, &c->duid)) {
		dlog(c, DH6LOG_INFO, "client6_recv", "client DUID mismatch");
		return false;
	}
	return true;
}

/* A Reply answers Request, Renew, Rebind and Release; in the Solicit state
 * it is expected only when our Solicit asked for rapid commit (RFC 8415
 * 18.2.1): the server may then answer it with a Reply at once. */
static bool reply_expected(const struct dhcp6c *c)
{
	if (c->state == DH6C_SOLICIT)
		return c->ifc && c->ifc->rapid_commit;
	return c->state != DH6C_BOUND;
}

static void dispatch(struct dhcp6c *c, const struct dhcp6_msg *m, const char *from)
{
	char nb[16];
	if (m->type == DH6_ADVERTISE && c->state == DH6C_SOLICIT)
		recv_advert(c, m);
	else if (m->type == DH6_REPLY && reply_expected(c))
		recv_reply(c, m);
	else if (m->type == DH6_REPLY || m->type == DH6_ADVERTISE)
		dlog(c, DH6LOG_INFO, "client6_recv", "unexpected %s",
		     dhcp6_msg_name(m->type, nb, sizeof nb));
	else
		dlog(c, DH6LOG_INFO, "client6_recv", "received an unexpected message (%s) from %s",
		     dhcp6_msg_name(m->type, nb, sizeof nb), from);
}

static void client6_recv(void *user, struct udp_sock *s, const struct tp_addr *from,
                         const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct dhcp6c *c = user;
	(void)s;
	char src[APPS_ADDRSTRLEN], nb[16];
	if (c->state == DH6C_EXITED || to->ifp != c->ifp) {
		if (c->state != DH6C_EXITED)
			dlog(c, DH6LOG_INFO, "client6_recv", "unexpected interface (%u)",
			     to->ifp ? to->ifp->index : 0);
		return;
	}
	if (len < 4) {
		dlog(c, DH6LOG_INFO, "client6_recv", "short packet (%zu bytes)", len);
		return;
	}
	apps_fmt6(src, sizeof src, from->addr, from->ifp);
	dlog(c, DH6LOG_DEBUG, "client6_recv", "receive %s from %s on %s",
	     dhcp6_msg_name(data[0], nb, sizeof nb), src, c->ifp->name);
	struct dhcp6_msg m;
	if (dhcp6_decode(data, len, &m, NULL) < 0) {
		dlog(c, DH6LOG_INFO, "client6_recv", "failed to parse options");
		return;
	}
	if (acceptable(c, &m))
		dispatch(c, &m, src);
}

/* ---- the state machine ---------------------------------------------------------- */

/*
 * Every state change goes through here: it starts the state's message
 * exchange (RFC 8415 18.2: IRT, MRT, MRC and MRD of Solicit, Request,
 * Renew, Rebind, Release) or its timers.
 */
static void state_transition(struct dhcp6c *c, enum dh6c_state to)
{
	struct sim *sim = c->node->sim;
	uint32_t t1, t2, valid;
	c->state = to;
	timer_cancel(&c->rtx);
	timer_cancel(&c->t1);
	lease_times(&c->lease, &t1, &t2, &valid);
	switch (to) {
	case DH6C_INIT:
		break;
	case DH6C_SOLICIT:
		c->have_adv = false;
		begin_exchange(c, SOL_TIMEOUT, SOL_MAX_RT, 0, SIM_NEVER,
		               prng_below(&sim->prng, (uint32_t)(SOL_MAX_DELAY / SIM_US)) * SIM_US);
		break;
	case DH6C_REQUEST:
		begin_exchange(c, REQ_TIMEOUT, REQ_MAX_RT, REQ_MAX_RC, SIM_NEVER, 0);
		break;
	case DH6C_BOUND:
		if (lease_deadline(c, t1) != SIM_NEVER)
			timer_arm(sim, &c->t1, lease_deadline(c, t1), t1_event, c);
		break;
	case DH6C_RENEW:
		begin_exchange(c, REN_TIMEOUT, REN_MAX_RT, 0, lease_deadline(c, t2), 0);
		break;
	case DH6C_REBIND:
		begin_exchange(c, REB_TIMEOUT, REB_MAX_RT, 0, lease_deadline(c, valid), 0);
		break;
	case DH6C_RELEASE:
		begin_exchange(c, REL_TIMEOUT, 0, REL_MAX_RC, SIM_NEVER, 0);
		remove_ifprefixes(c); /* WIDE's release_all_ia removes them at once */
		break;
	case DH6C_EXITED:
	case DH6C_NSTATES:
		remove_ifprefixes(c);
		dlog(c, DH6LOG_INFO, "check_exit", "exiting");
		udp_close(c->sock);
		c->sock = NULL;
		if (c->node->apps && c->node->apps->dhcp6c == c)
			c->node->apps->dhcp6c = NULL;
		break;
	}
}

const char *dhcp6c_state_name(const struct sim_node *n)
{
	const struct dhcp6c *c = n->apps ? n->apps->dhcp6c : NULL;
	return c ? dh6c_state_names[c->state] : "EXITED";
}

int dhcp6c_terminate(struct sim_node *n)
{
	struct dhcp6c *c = n->apps ? n->apps->dhcp6c : NULL;
	if (!c)
		return -1;
	bool bound = c->lease.nprefix && (c->state == DH6C_BOUND || c->state == DH6C_RENEW ||
	                                  c->state == DH6C_REBIND);
	sim_file_put(n, DHCP6C_PIDFILE, "", 0, "dhcp6c"); /* unlink(pid_file), roughly */
	state_transition(c, bound ? DH6C_RELEASE : DH6C_EXITED);
	return 0;
}

/* ---- starting: client6_init, ifinit, cfparse ------------------------------------- */

/* get_duid: the saved DUID (uint16 length, little-endian as on i386/amd64,
 * then the DUID), else a new DUID-LLT from the first interface with a MAC. */
static void get_duid(struct dhcp6c *c)
{
	struct sim_node *n = c->node;
	const struct sim_file *f = sim_file_get(n, DHCP6C_DUID_FILE);
	char text[3 * DHCP6_DUID_MAX + 1];
	if (f && f->len >= 2) {
		size_t len = (uint8_t)f->data[0] | (size_t)(uint8_t)f->data[1] << 8;
		if (len >= 2 && len <= DHCP6_DUID_MAX && len + 2 <= f->len) {
			c->duid.len = (uint16_t)len;
			memcpy(c->duid.id, f->data + 2, len);
			dhcp6_duid_str(&c->duid, text, sizeof text);
			dlog(c, DH6LOG_DEBUG, "get_duid", "extracted an existing DUID from %s: %s",
			     DHCP6C_DUID_FILE, text);
			return;
		}
	}
	static const uint8_t zero[6];
	const uint8_t *mac = zero;
	for (int i = 0; i < n->nifaces && mac == zero; i++)
		if (memcmp(n->ifaces[i]->mac, zero, 6) != 0)
			mac = n->ifaces[i]->mac;
	uint64_t secs = sim_unix_ns(n->sim) / SIM_S;
	dhcp6_duid_llt(&c->duid, (uint32_t)(secs - DHCP6_EPOCH_2000), mac);
	dhcp6_duid_str(&c->duid, text, sizeof text);
	dlog(c, DH6LOG_DEBUG, "get_duid", "generated a new DUID: %s", text);
	char buf[2 + DHCP6_DUID_MAX];
	buf[0] = (char)(c->duid.len & 0xff);
	buf[1] = (char)(c->duid.len >> 8);
	memcpy(buf + 2, c->duid.id, c->duid.len);
	sim_file_put(n, DHCP6C_DUID_FILE, buf, 2u + c->duid.len, "dhcp6c");
	dlog(c, DH6LOG_DEBUG, "get_duid", "saved generated DUID to %s", DHCP6C_DUID_FILE);
}

static void free_hook(struct sim *sim, void *user)
{
	(void)sim;
	free(user); /* the socket, if still open, goes with the transport state */
}

static int usage(struct sim_node *n)
{
	apps_say(n, "usage: dhcp6c [-c configfile] [-dDfi] [-p pid-file] interface "
	            "[interfaces...]");
	return APPS_EX_USAGE;
}

struct dh6c_opts {
	const char *conffile, *keyfile, *pidfile;
	int debug;
	bool foreground;
	int ifarg;
};

static int parse_opts(struct sim_node *n, int argc, char **argv, struct dh6c_opts *o)
{
	struct apps_opt g;
	apps_opt_init(&g);
	*o = (struct dh6c_opts){ DHCP6C_CONF, DHCP6C_CTLKEY, DHCP6C_PIDFILE, 0, false, 0 };
	int ch;
	while ((ch = apps_getopt(&g, argc, argv, "c:dDfik:p:")) != -1) {
		switch (ch) {
		case 'c': o->conffile = g.arg; break;
		case 'd': o->debug = 1; break;
		case 'D': o->debug = 2; break;
		case 'f': o->foreground = true; break;
		case 'k': o->keyfile = g.arg; break;
		case 'p': o->pidfile = g.arg; break;
		case 'i': break; /* information-only mode: not modelled */
		default: return usage(n);
		}
	}
	if (g.ind >= argc)
		return usage(n);
	o->ifarg = g.ind;
	return 0;
}

static bool if_exists(void *user, const char *name)
{
	struct dhcp6c *c = user;
	return sim_iface_find(c->node, name) != NULL;
}

/* client6_init: DUID, control key (absent in the seed), the socket. */
static int client6_init(struct dhcp6c *c, const struct dh6c_opts *o)
{
	get_duid(c);
	if (!sim_file_get(c->node, o->keyfile)) {
		dlog(c, DH6LOG_ERR, "dhcp6_ctl_authinit", "failed to open %s: %s", o->keyfile,
		     "No such file or directory");
		dlog(c, DH6LOG_NOTICE, "client6_init",
		     "failed initialize control message authentication");
		dlog(c, DH6LOG_NOTICE, "client6_init", "skip opening control port");
	}
	c->sock = udp_bind(c->node, 6, DHCP6_CLIENT_PORT, client6_recv, c);
	if (!c->sock) {
		dlog(c, DH6LOG_ERR, "client6_init", "bind: %s", "Address already in use");
		return -1;
	}
	return 0;
}

/* ifinit for the interface, then cfparse; messages as WIDE's main() logs them. */
static int configure(struct dhcp6c *c, const struct dh6c_opts *o, const char *ifname)
{
	c->ifp = sim_iface_find(c->node, ifname);
	if (!c->ifp) {
		dlog(c, DH6LOG_ERR, "ifinit", "invalid interface(%s): %s", ifname,
		     "Device not configured");
		dlog(c, DH6LOG_ERR, "main", "failed to initialize %s", ifname);
		return -1;
	}
	const struct sim_file *f = sim_file_get(c->node, o->conffile);
	if (!f) {
		/* ENOENT is not fatal to WIDE: it runs without configuration. */
		dlog(c, DH6LOG_ERR, "cfparse", "fopen(%s): %s", o->conffile,
		     "No such file or directory");
		return 0;
	}
	if (dhcp6c_conf_parse(o->conffile, f->data, &c->conf, conf_log, c) < 0 ||
	    dhcp6c_conf_check(o->conffile, &c->conf, if_exists, conf_log, c) < 0) {
		dlog(c, DH6LOG_ERR, "main", "failed to parse configuration file");
		return -1;
	}
	c->ifc = dhcp6c_conf_if(&c->conf, ifname);
	return 0;
}

int cmd_dhcp6c(struct sim_node *n, int argc, char **argv)
{
	struct dh6c_opts o;
	if (parse_opts(n, argc, argv, &o) != 0)
		return APPS_EX_USAGE;
	if (!n->net || !n->apps || !n->tp)
		return 1; /* a node without the stack (a bridge) */
	struct dhcp6c *c = sim_xcalloc(1, sizeof *c);
	sim_on_free(n->sim, free_hook, c);
	c->node = n;
	c->foreground = o.foreground;
	c->thresh = o.debug == 0 ? DH6LOG_ERR : o.debug == 1 ? DH6LOG_INFO : DH6LOG_DEBUG;
	c->rtx.when = c->t1.when = SIM_NEVER;
	if (client6_init(c, &o) < 0)
		return 1;
	if (configure(c, &o, argv[o.ifarg]) < 0) {
		udp_close(c->sock);
		return 1;
	}
	char pid[16];
	int plen = snprintf(pid, sizeof pid, "%u\n", apps_new_pid(n));
	sim_file_put(n, o.pidfile, pid, (size_t)plen, "dhcp6c");
	n->apps->dhcp6c = c;
	state_transition(c, DH6C_SOLICIT);
	return 0;
}
