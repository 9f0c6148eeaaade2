/*
 * divert(4) sockets for IPv4 and IPv6 (the seed's netinet6/ip6_divert.c
 * patch for FreeBSD 6.3). A packet a `divert PORT` rule takes is queued
 * for the socket bound to that port in the packet's family and handed to
 * it by an event at the same virtual time (a process reads its socket
 * later, never from inside the stack's call); with no socket bound it is
 * dropped and counted (no_socket), as div_input drops it.
 *
 * sendto() reinjects: inbound packets as if they arrived on the interface
 * named in the address, outbound ones routed and sent; either way ipfw
 * resumes after the rule number carried in the address. A packet of the
 * other IP version is accepted and lost (wrong_family): the 2008-05-12
 * bug of the seed, where nat6to4d wrote its IPv6 packets into the IPv4
 * divert socket and sendto() said yes.
 */
#include "ipfw.h"
#include "net.h"

#include <stdlib.h>
#include <string.h>

struct divert_sock {
	struct divert_state *st;
	int family;
	uint16_t port;
	divert_recv_fn fn;
	void *user;
};

/* A packet waiting for its socket to "read" it. */
struct divert_pending {
	struct pbuf *p;
	int family;
	uint16_t port;
	struct divert_info info;
};

struct divert_state {
	struct sim_node *node;          /* NULL once the node's state is gone */
	struct divert_sock **socks;
	size_t nsocks, scap;
	struct divert_pending *q;       /* FIFO: q[head..n) */
	size_t qhead, qn, qcap;
	struct divert_stats stats;
};

static struct divert_state *divert_state_get(struct sim_node *n)
{
	struct ipfw_state *st = ipfw_state_get(n);
	if (!st)
		return NULL;
	if (!st->divert) {
		st->divert = sim_xcalloc(1, sizeof *st->divert);
		st->divert->node = n;
	}
	return st->divert;
}

static struct divert_sock *find_sock(const struct divert_state *d, int family, uint16_t port)
{
	for (size_t i = 0; d && i < d->nsocks; i++)
		if (d->socks[i]->family == family && d->socks[i]->port == port)
			return d->socks[i];
	return NULL;
}

static void free_state(struct divert_state *d)
{
	free(d->socks);
	free(d->q);
	free(d);
}

/* ---- sockets ------------------------------------------------------------ */

struct divert_sock *divert_bind(struct sim_node *n, int family, uint16_t port, divert_recv_fn fn,
                                void *user)
{
	if ((family != 4 && family != 6) || port == 0 || !fn)
		return NULL;
	struct divert_state *d = divert_state_get(n);
	if (!d || find_sock(d, family, port))
		return NULL; /* EADDRINUSE */
	struct divert_sock *s = sim_xcalloc(1, sizeof *s);
	*s = (struct divert_sock){ .st = d, .family = family, .port = port, .fn = fn, .user = user };
	if (d->nsocks == d->scap) {
		d->scap = d->scap ? d->scap * 2 : 4;
		d->socks = sim_xrealloc(d->socks, d->scap, sizeof *d->socks);
	}
	d->socks[d->nsocks++] = s;
	return s;
}

void divert_close(struct divert_sock *s)
{
	if (!s)
		return;
	struct divert_state *d = s->st;
	for (size_t i = 0; i < d->nsocks; i++) {
		if (d->socks[i] == s) {
			memmove(d->socks + i, d->socks + i + 1, (d->nsocks - i - 1) * sizeof *d->socks);
			d->nsocks--;
			break;
		}
	}
	free(s);
	/* The node went first (sim_free): the last socket takes the state. */
	if (!d->node && d->nsocks == 0)
		free_state(d);
}

void divert_state_release(struct sim *sim, struct divert_state *d)
{
	if (!d)
		return;
	for (size_t i = d->qhead; i < d->qn; i++)
		pbuf_release(sim, d->q[i].p);
	d->qhead = d->qn = 0;
	d->node = NULL;
	if (d->nsocks == 0)
		free_state(d);
}

void divert_get_stats(const struct sim_node *n, struct divert_stats *out)
{
	const struct divert_state *d = n->net && n->net->ipfw ? n->net->ipfw->divert : NULL;
	if (d)
		*out = d->stats;
	else
		memset(out, 0, sizeof *out);
}

/* ---- ipfw -> socket --------------------------------------------------- */

/* One queued packet to its socket (each queued packet has one event, so
 * the head is always this event's packet: order is kept). */
static void deliver_event(struct sim *sim, void *obj, uint64_t arg)
{
	(void)arg;
	struct divert_state *d = obj;
	if (d->qhead == d->qn)
		return;
	struct divert_pending e = d->q[d->qhead++];
	if (d->qhead == d->qn)
		d->qhead = d->qn = 0;
	struct divert_sock *s = find_sock(d, e.family, e.port);
	if (s) {
		d->stats.diverted++;
		s->fn(s->user, s, pbuf_data(e.p), e.p->len, &e.info);
	} else {
		d->stats.no_socket++; /* closed while the packet waited */
	}
	pbuf_release(sim, e.p);
}

void divert_packet(struct sim_node *n, uint16_t port, const struct divert_info *info,
                   const uint8_t *ip, size_t len)
{
	struct divert_state *d = divert_state_get(n);
	if (!d)
		return;
	int family = ip[0] >> 4;
	struct pbuf *p = find_sock(d, family, port) ? pbuf_copy(n->sim, ip, len) : NULL;
	if (!p) {
		d->stats.no_socket++;
		return;
	}
	if (d->qn == d->qcap) {
		d->qcap = d->qcap ? d->qcap * 2 : 16;
		d->q = sim_xrealloc(d->q, d->qcap, sizeof *d->q);
	}
	d->q[d->qn++] = (struct divert_pending){ p, family, port, *info };
	sim_after(n->sim, 0, deliver_event, d, 0);
}

/* ---- socket -> stack (reinjection) ----------------------------------------- */

/* Inbound: input processing on the named interface, ipfw resuming after
 * the rule (the filter hook recognises this very buffer). */
static int reinject_in(struct sim_node *n, struct pbuf *p, int family,
                       const struct divert_info *info)
{
	struct sim_iface *ifp = sim_iface_find(n, info->ifname);
	if (!ifp)
		return -1; /* EADDRNOTAVAIL */
	struct ipfw_state *st = n->net->ipfw;
	st->resume_pkt = pbuf_data(p);
	st->resume_dir = DIVERT_IN;
	st->resume_after = info->rule;
	if (family == 6)
		ip6_input(ifp, pbuf_data(p), p->len);
	else
		ip4_input(ifp, pbuf_data(p), p->len);
	st->resume_pkt = NULL;
	return 0;
}

/* Where an outbound packet goes; NULL when there is no route. A packet
 * to one of our own addresses is looped back: *local is set. */
static struct sim_iface *route_out(struct sim_node *n, int family, const uint8_t *pkt,
                                   const struct divert_info *info, uint8_t nh[16], bool *local)
{
	struct sim_iface *ifp = NULL;
	const uint8_t *dst = pkt + (family == 6 ? 24 : 16);
	*local = family == 6 ? !in6_is_multicast(dst) && ip6_is_local(n, dst, &ifp)
	                     : ip4_is_local(n, dst, &ifp);
	if (*local)
		return ifp;
	if (family == 4)
		return ip4_route(n, dst, nh);
	memcpy(nh, dst, 16);
	if (in6_is_link_scoped(dst))
		return sim_iface_find(n, info->ifname); /* its scope: the interface given */
	struct route *r = route_lookup(&n->net->rt6, dst);
	if (!r || !r->ifp)
		return NULL;
	if (r->flags & RTF_GATEWAY)
		memcpy(nh, r->gateway, 16);
	return r->ifp;
}

/* Outbound: routed, ipfw resuming after the rule on the way out, sent. */
static int reinject_out(struct sim_node *n, struct pbuf *p, int family,
                        const struct divert_info *info)
{
	uint8_t nh[16];
	bool local;
	struct sim_iface *oif = route_out(n, family, pbuf_data(p), info, nh, &local);
	if (!oif)
		return -1; /* EHOSTUNREACH */
	uint32_t mtu = family == 6 ? ip6_if_mtu(oif) : (oif->mtu ? oif->mtu : 1500);
	if (!local && p->len > mtu)
		return -1; /* EMSGSIZE */
	if (ipfw_check(n, oif, DIVERT_OUT, pbuf_data(p), p->len, info->rule))
		return 0; /* taken by a later rule: still accepted */
	if (local) {
		if (family == 6)
			ip6_input(oif, pbuf_data(p), p->len);
		else
			ip4_input(oif, pbuf_data(p), p->len);
	} else if (family == 6) {
		pbuf_hold(p);
		ip6_if_output(oif, nh, p);
	} else {
		pbuf_hold(p);
		ip4_if_output(oif, nh, p);
	}
	return 0;
}

long divert_send(struct divert_sock *s, const uint8_t *pkt, size_t len,
                 const struct divert_info *info)
{
	if (!s || !pkt || !info || !s->st->node)
		return -1;
	struct divert_state *d = s->st;
	struct sim_node *n = d->node;
	size_t hdr = s->family == 6 ? 40 : 20;
	if (len == 0 || len > PBUF_SIZE - PBUF_HEADROOM)
		return -1; /* EINVAL / EMSGSIZE */
	if ((pkt[0] >> 4) != s->family) {
		d->stats.wrong_family++; /* accepted, and never seen again */
		return (long)len;
	}
	if (len < hdr || !n->net || !n->net->ipfw)
		return -1;
	struct pbuf *p = pbuf_copy(n->sim, pkt, len);
	if (!p)
		return -1;
	int rc = info->dir == DIVERT_IN ? reinject_in(n, p, s->family, info)
	                                : reinject_out(n, p, s->family, info);
	pbuf_release(n->sim, p);
	if (rc < 0)
		return -1;
	d->stats.reinjected++;
	return (long)len;
}
