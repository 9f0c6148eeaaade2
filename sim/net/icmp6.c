/*
 * ICMPv6 (RFC 4443): echo answered in the kernel, echo replies and errors
 * handed to the node's listeners (ping6), ND messages to nd.c, and the
 * errors this node sends, with RFC 4443 2.4's rules and a rate limit.
 */
#include "cksum.h"
#include "nd_var.h"

#include <stdlib.h>
#include <string.h>

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ICMP6_ERRPPS_LIMIT 100       /* FreeBSD net.inet6.icmp6.errppslimit */
#define ICMP6_ERR_MAX 1280           /* error + invoking packet fit the minimum MTU */

void icmp6_listen(struct sim_node *n, const struct icmp6_listener *l)
{
	struct net_node *net = n->net;
	if (!net || !l)
		return;
	if (net->icmp6_nl == net->icmp6_lcap) {
		size_t cap = net->icmp6_lcap ? net->icmp6_lcap * 2 : 2;
		struct icmp6_listener *nl = realloc(net->icmp6_l, cap * sizeof *nl);
		if (!nl)
			return;
		net->icmp6_l = nl;
		net->icmp6_lcap = cap;
	}
	net->icmp6_l[net->icmp6_nl++] = *l;
}

/* Drop the emptied slots once no callback is running. */
static void icmp6_listeners_compact(struct net_node *net)
{
	size_t j = 0;
	for (size_t i = 0; i < net->icmp6_nl; i++)
		if (net->icmp6_l[i].echo_reply || net->icmp6_l[i].error)
			net->icmp6_l[j++] = net->icmp6_l[i];
	net->icmp6_nl = j;
}

void icmp6_unlisten(struct sim_node *n, void *user)
{
	struct net_node *net = n->net;
	if (!net)
		return;
	for (size_t i = 0; i < net->icmp6_nl; i++) {
		if (net->icmp6_l[i].user == user) {
			net->icmp6_l[i].echo_reply = NULL;
			net->icmp6_l[i].error = NULL;
		}
	}
	if (!net->icmp6_busy)
		icmp6_listeners_compact(net);
}

/* An echo reply (dlen bytes of data) or error to every listener, in
 * registration order. */
static void icmp6_notify(struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                         const uint8_t *icmp, size_t icmplen)
{
	struct net_node *net = ifp->node->net;
	net->icmp6_busy++;
	/* Listeners added by a callback are not called for this packet. */
	size_t nl = net->icmp6_nl;
	for (size_t i = 0; i < nl; i++) {
		struct icmp6_listener l = net->icmp6_l[i];
		if (icmp[0] == ICMP6_ECHO_REPLY && l.echo_reply)
			l.echo_reply(l.user, ifp, ip6, len, nd_rd16(icmp + 4), nd_rd16(icmp + 6),
			             icmp + 8, icmplen - 8);
		else if (icmp[0] < 128 && l.error)
			l.error(l.user, ifp, ip6, len, icmp[0], icmp[1], icmp + 8, icmplen - 8);
	}
	if (--net->icmp6_busy == 0)
		icmp6_listeners_compact(net);
}

/* The kernel answers echo requests itself (RFC 4443 4.2). */
static void icmp6_echo_reply(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp,
                             size_t icmplen)
{
	struct sim_node *n = ifp->node;
	uint8_t buf[PBUF_SIZE];
	if (icmplen > sizeof buf)
		return;
	const uint8_t *req_src = ip6 + 8, *req_dst = ip6 + 24;
	if (in6_is_unspec(req_src) || in6_is_multicast(req_src))
		return;
	/* Reply from the address asked; to a multicast echo, from ours. */
	struct sim_iface *oif = in6_is_link_scoped(req_src) ? ifp : NULL;
	const uint8_t *src = in6_is_multicast(req_dst) ? ip6_select_source(n, req_src, ifp) : req_dst;
	if (!src)
		return;
	memcpy(buf, icmp, icmplen);
	buf[0] = ICMP6_ECHO_REPLY;
	buf[2] = buf[3] = 0;
	uint16_t c = ip6_checksum(src, req_src, 58, buf, icmplen);
	nd_wr16(buf + 2, c);
	uint8_t s[16];
	memcpy(s, src, 16); /* src may point into an address array ip6_output reads */
	ip6_output(n, s, req_src, 58, 0, buf, icmplen, oif, NULL);
}

void icmp6_input(struct sim_iface *ifp, const uint8_t *ip6, size_t len, const uint8_t *icmp,
                 size_t icmplen)
{
	(void)len;
	if (icmplen < 4 || !ifp->node->net)
		return;
	if (ip6_checksum(ip6 + 8, ip6 + 24, 58, icmp, icmplen) != 0) {
		ifp->ierrors++;
		return;
	}
	uint8_t type = icmp[0];
	if (type == ICMP6_ECHO_REQUEST) {
		if (icmplen >= 8)
			icmp6_echo_reply(ifp, ip6, icmp, icmplen);
	} else if (type == ICMP6_ECHO_REPLY || (type >= 1 && type <= 4)) {
		if (icmplen >= 8)
			icmp6_notify(ifp, ip6, len, icmp, icmplen);
	} else if (type >= ND_ROUTER_SOLICIT && type <= ND_REDIRECT) {
		nd_input(ifp, ip6, len, icmp, icmplen);
	}
}

/* RFC 4443 2.4 (e): which packets never cause an error. */
static bool icmp6_error_allowed(const uint8_t *pkt, size_t len, uint8_t type, uint8_t code)
{
	const uint8_t *src = pkt + 8, *dst = pkt + 24;
	if (in6_is_unspec(src) || in6_is_multicast(src))
		return false;
	/* To a multicast destination only Packet Too Big and the
	 * unrecognised-option Parameter Problem are sent (e.3). */
	if (in6_is_multicast(dst) && type != 2 && !(type == 4 && code == 2))
		return false;
	/* Never about an ICMPv6 error or a redirect (e.1). */
	if (pkt[6] == 58 && len >= 41 && (pkt[40] < 128 || pkt[40] == ND_REDIRECT))
		return false;
	return true;
}

static bool icmp6_ratelimited(struct sim_node *n)
{
	struct net_node *net = n->net;
	sim_time now = n->sim->now;
	if (now - net->icmp6_err_sec >= SIM_S || now < net->icmp6_err_sec) {
		net->icmp6_err_sec = now;
		net->icmp6_err_count = 0;
	}
	return ++net->icmp6_err_count > ICMP6_ERRPPS_LIMIT;
}

void icmp6_error_if(struct sim_node *n, struct sim_iface *in_ifp, const uint8_t *pkt, size_t len,
                    uint8_t type, uint8_t code, uint32_t param)
{
	if (!n->net || len < 40 || !icmp6_error_allowed(pkt, len, type, code) ||
	    icmp6_ratelimited(n))
		return;
	const uint8_t *osrc = pkt + 8, *odst = pkt + 24;
	uint8_t buf[ICMP6_ERR_MAX - 40];
	size_t carried = len < sizeof buf - 8 ? len : sizeof buf - 8;
	buf[0] = type;
	buf[1] = code;
	buf[2] = buf[3] = 0;
	nd_wr32(buf + 4, param);
	memcpy(buf + 8, pkt, carried);
	/* Back out of the interface it came in on when the source is
	 * link-scoped (or on a path hop, which has no routes); a packet of
	 * our own goes back to us. */
	struct sim_iface *oif = NULL, *local = NULL;
	if (ip6_is_local(n, osrc, &local))
		oif = local;
	else if (in_ifp && (in6_is_link_scoped(osrc) || n->net->path_hop))
		oif = in_ifp;
	else if (in6_is_link_scoped(osrc))
		return;
	/* From the address the packet was sent to when it is ours (icmp6_reflect). */
	uint8_t src[16];
	const uint8_t *s = NULL;
	if (!in6_is_multicast(odst) && ip6_is_local(n, odst, NULL))
		s = odst;
	else
		s = ip6_select_source(n, osrc, oif);
	if (!s)
		return;
	memcpy(src, s, 16);
	nd_wr16(buf + 2, ip6_checksum(src, osrc, 58, buf, 8 + carried));
	uint8_t dst[16];
	memcpy(dst, osrc, 16);
	ip6_output(n, src, dst, 58, 0, buf, 8 + carried, oif, NULL);
}

void icmp6_error(struct sim_node *n, const uint8_t *offending, size_t len, uint8_t type,
                 uint8_t code, uint32_t param)
{
	icmp6_error_if(n, NULL, offending, len, type, code, param);
}
