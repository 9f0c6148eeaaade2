/*
 * The transport layer's per-node state and its seams with the network
 * layer: the deliver4/deliver6 hooks (checksum check, then UDP or TCP),
 * ephemeral ports, source selection, checksums and output for both
 * families, ICMP port unreachable.
 */
#include "tp_priv.h"

#include <stdlib.h>
#include <string.h>

bool tp_is_linklocal6(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

struct transport_node *tp_of(struct sim_node *n)
{
	return n ? n->tp : NULL;
}

/* ---- input ----------------------------------------------------------------- */

static void fill_pkt(struct tp_pkt *pkt, uint8_t family, struct sim_iface *ifp, const uint8_t *ip,
                     size_t iplen, const uint8_t *l4)
{
	memset(pkt, 0, sizeof *pkt);
	pkt->ifp = ifp;
	pkt->ip = ip;
	pkt->iplen = iplen;
	pkt->src.family = pkt->dst.family = family;
	size_t alen = family == 4 ? 4 : 16;
	memcpy(pkt->src.addr, ip + (family == 4 ? 12 : 8), alen);
	memcpy(pkt->dst.addr, ip + (family == 4 ? 16 : 24), alen);
	pkt->src.port = tp_rd16(l4);
	pkt->dst.port = tp_rd16(l4 + 2);
	/* Replies to a link-local peer must leave by the interface it is on. */
	if (family == 6 && (tp_is_linklocal6(pkt->src.addr) || tp_is_linklocal6(pkt->dst.addr)))
		pkt->src.ifp = pkt->dst.ifp = ifp;
}

/* Checksum, then UDP or TCP. Both need at least the two ports. */
static void tp_deliver(struct sim_node *n, uint8_t family, struct sim_iface *ifp, const uint8_t *ip,
                       size_t len, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	struct transport_node *tp = n->tp;
	size_t hdr = proto == IPPROTO4_UDP ? 8 : 20;
	if (l4len < hdr) {
		if (proto == IPPROTO4_UDP)
			tp->udp_badsum++;
		else
			tp->tcpstat.rcvbadsum++;
		return;
	}
	struct tp_pkt pkt;
	fill_pkt(&pkt, family, ifp, ip, len, l4);
	/* An IPv4 UDP checksum of zero means "none" (RFC 768). */
	bool nosum = proto == IPPROTO4_UDP && family == 4 && tp_rd16(l4 + 6) == 0;
	if (!nosum && tp_cksum(family, pkt.src.addr, pkt.dst.addr, proto, l4, l4len) != 0) {
		if (proto == IPPROTO4_UDP)
			tp->udp_badsum++;
		else
			tp->tcpstat.rcvbadsum++;
		return;
	}
	if (proto == IPPROTO4_UDP)
		udp_input(tp, &pkt, l4, l4len);
	else
		tcp_input(tp, &pkt, l4, l4len);
}

static void deliver6(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                     uint8_t proto, const uint8_t *l4, size_t l4len)
{
	struct transport_node *tp = n->tp;
	if (tp && (proto == IPPROTO4_TCP || proto == IPPROTO4_UDP))
		tp_deliver(n, 6, ifp, ip6, len, proto, l4, l4len);
	else if (tp && tp->next_deliver6)
		tp->next_deliver6(n, ifp, ip6, len, proto, l4, l4len);
	else if (l4 == ip6 + 40 && !(ip6[24] == 0xff))
		/* RFC 8200 4: unrecognized Next Header, pointer to its field. */
		icmp6_error(n, ip6, len, 4, 1, 6);
}

static void deliver4(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
                     uint8_t proto, const uint8_t *l4, size_t l4len)
{
	struct transport_node *tp = n->tp;
	if (tp && (proto == IPPROTO4_TCP || proto == IPPROTO4_UDP))
		tp_deliver(n, 4, ifp, ip4, len, proto, l4, l4len);
	else if (tp && tp->next_deliver4)
		tp->next_deliver4(n, ifp, ip4, len, proto, l4, l4len);
	else if (!ip4_is_broadcast(ifp, ip4 + 16))
		icmp4_error(n, ip4, len, ICMP4_UNREACH, ICMP4_UNREACH_PROTOCOL, 0);
}

/* An ICMP error quoting one of our TCP segments: which connection, and
 * whether the peer refused it or the way there failed. */
static void icmp_to_tcp(struct transport_node *tp, uint8_t family, const uint8_t *inner,
                        size_t len, bool hard, const char *err)
{
	size_t hlen = family == 4 ? (size_t)(inner[0] & 15) * 4 : 40;
	uint8_t proto = family == 4 ? inner[9] : inner[6];
	if (hlen < 20 || len < hlen + 8 || proto != IPPROTO4_TCP)
		return;
	struct tp_addr local = { .family = family }, remote = { .family = family };
	size_t alen = family == 4 ? 4 : 16;
	memcpy(local.addr, inner + (family == 4 ? 12 : 8), alen);
	memcpy(remote.addr, inner + (family == 4 ? 16 : 24), alen);
	local.port = tp_rd16(inner + hlen);
	remote.port = tp_rd16(inner + hlen + 2);
	tcp_ctlinput(tp, &local, &remote, hard, err);
}

static void icmp4_err(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
                      uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen)
{
	(void)ifp;
	(void)ip4;
	(void)len;
	if (innerlen < 20 || inner[0] >> 4 != 4 || (type != ICMP4_UNREACH && type != ICMP4_TIMXCEED))
		return;
	if (type == ICMP4_UNREACH && code == ICMP4_UNREACH_NEEDFRAG)
		return; /* path MTU discovery is not modelled */
	/* As FreeBSD's tcp_ctlinput: port unreachable, administratively
	 * prohibited (13) and time exceeded end a SYN_SENT connection. */
	bool refused = type == ICMP4_UNREACH &&
	               (code == ICMP4_UNREACH_PROTOCOL || code == ICMP4_UNREACH_PORT);
	bool hard = type == ICMP4_TIMXCEED || code == ICMP4_UNREACH_PORT || code == 13;
	icmp_to_tcp(user, 4, inner, innerlen, hard,
	            refused ? "Connection refused" : "No route to host");
}

static void icmp6_err(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                      uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen)
{
	(void)ifp;
	(void)ip6;
	(void)len;
	/* RFC 4443: 1 destination unreachable (code 4: port), 3 time exceeded. */
	if (innerlen < 40 || inner[0] >> 4 != 6 || (type != 1 && type != 3))
		return;
	/* tcp6_ctlinput only notes them (soft errors). */
	icmp_to_tcp(user, 6, inner, innerlen, false,
	            type == 1 && code == 4 ? "Connection refused" : "No route to host");
}

void transport_node_init(struct sim_node *n)
{
	if (!n->net || n->tp)
		return;
	struct transport_node *tp = calloc(1, sizeof *tp);
	if (!tp)
		return;
	tp->node = n;
	tp->next_deliver6 = n->net->deliver6;
	tp->next_deliver4 = n->net->deliver4;
	n->net->deliver6 = deliver6;
	n->net->deliver4 = deliver4;
	n->tp = tp;
	icmp4_listen(n, &(struct icmp4_listener){ .error = icmp4_err, .user = tp });
	icmp6_listen(n, &(struct icmp6_listener){ .error = icmp6_err, .user = tp });
}

void transport_node_free(struct sim_node *n)
{
	struct transport_node *tp = n->tp;
	if (!tp)
		return;
	if (n->net && n->net->deliver6 == deliver6)
		n->net->deliver6 = tp->next_deliver6;
	if (n->net && n->net->deliver4 == deliver4)
		n->net->deliver4 = tp->next_deliver4;
	if (n->net) {
		icmp4_unlisten(n, tp);
		icmp6_unlisten(n, tp);
	}
	tcp_free_all(tp);
	udp_free_all(tp);
	free(tp);
	n->tp = NULL;
}

/* ---- ports --------------------------------------------------------------- */

bool tp_port_in_use(struct transport_node *tp, uint8_t proto, uint8_t family, uint16_t port)
{
	if (proto == IPPROTO4_UDP) {
		for (size_t i = 0; i < tp->nudp; i++)
			if (tp->udp[i]->port == port && tp->udp[i]->family == family)
				return true;
		return false;
	}
	for (size_t i = 0; i < tp->nlis; i++)
		if (tp->lis[i]->port == port && tp->lis[i]->family == family)
			return true;
	return tcp_port_busy(tp, family, port);
}

/* FreeBSD picks ephemeral ports at random (portrange.randomized): a random
 * start from the scenario's PRNG, then the first free port from there. */
uint16_t tp_ephemeral_port(struct transport_node *tp, uint8_t proto, uint8_t family)
{
	uint32_t span = TP_EPHEMERAL_LAST - TP_EPHEMERAL_FIRST + 1;
	uint32_t start = prng_below(&tp->node->sim->prng, span);
	for (uint32_t k = 0; k < span; k++) {
		uint16_t port = (uint16_t)(TP_EPHEMERAL_FIRST + (start + k) % span);
		if (!tp_port_in_use(tp, proto, family, port))
			return port;
	}
	return 0;
}

/* ---- output ------------------------------------------------------------ */

int tp_select_source(struct sim_node *n, const struct tp_addr *dst, struct tp_addr *src,
                     const char **err)
{
	const uint8_t *a;
	if (dst->family == 4)
		a = ip4_select_source(n, dst->addr);
	else
		a = ip6_select_source(n, dst->addr, dst->ifp);
	if (!a) {
		*err = dst->family == 4 && !ip4_route(n, dst->addr, (uint8_t[4]){ 0 })
		           ? "No route to host"
		           : "Can't assign requested address";
		return -1;
	}
	src->family = dst->family;
	memset(src->addr, 0, sizeof src->addr);
	memcpy(src->addr, a, dst->family == 4 ? 4 : 16);
	src->ifp = dst->ifp;
	return 0;
}

uint16_t tp_cksum(uint8_t family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
                  const uint8_t *l4, size_t len)
{
	return family == 4 ? ip4_checksum(src, dst, proto, l4, len)
	                   : ip6_checksum(src, dst, proto, l4, len);
}

int tp_ip_output(struct sim_node *n, const struct tp_addr *src, const struct tp_addr *dst,
                 uint8_t proto, bool df, const uint8_t *l4, size_t len, const char **err)
{
	const char *dummy;
	if (!err)
		err = &dummy;
	if (dst->family == 4)
		return ip4_output_df(n, src->addr, dst->addr, proto, n->net->ttl ? n->net->ttl : 64, df,
		                     l4, len, err);
	return ip6_output(n, src->addr, dst->addr, proto, n->net->hlim ? n->net->hlim : 64, l4, len,
	                  dst->ifp, err);
}

uint32_t tp_path_mtu(struct sim_node *n, const struct tp_addr *dst)
{
	struct sim_iface *ifp = dst->ifp;
	if (!ifp && dst->family == 4) {
		uint8_t nh[4];
		ifp = ip4_route(n, dst->addr, nh);
	} else if (!ifp && n->net) {
		struct route *r = route_lookup(&n->net->rt6, dst->addr);
		ifp = r ? r->ifp : NULL;
	}
	return ifp && ifp->mtu ? ifp->mtu : 1500;
}

void tp_port_unreach(struct sim_node *n, const struct tp_pkt *pkt)
{
	if (pkt->dst.family == 4) {
		if (!ip4_is_broadcast(pkt->ifp, pkt->dst.addr))
			icmp4_error(n, pkt->ip, pkt->iplen, ICMP4_UNREACH, ICMP4_UNREACH_PORT, 0);
	} else if (pkt->dst.addr[0] != 0xff) {
		icmp6_error(n, pkt->ip, pkt->iplen, 1, 4, 0); /* RFC 4443 3.1 code 4 */
	}
}
