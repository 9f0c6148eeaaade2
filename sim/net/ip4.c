/*
 * IPv4 input, output and forwarding (RFC 791, RFC 1812 for the router
 * part): header validation with its checksum, local delivery to ICMP or
 * to the upper layers (net->deliver4), forwarding with TTL decrement and
 * ICMP errors, output through the rt4 routing table and ARP.
 * No fragmentation or reassembly: a fragment addressed to the node is
 * dropped (and counted), a packet too big for the next hop is refused.
 */
#include "net.h"
#include "cksum.h"

#include <stdlib.h>
#include <string.h>

#define IP4_HDRLEN 20
#define IP4_DF 0x4000
#define IP4_MF 0x2000
#define IP4_OFFMASK 0x1fff
/* Direction argument of net->filter (the divert hook). */
#define FILTER_IN 0
#define FILTER_OUT 1

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static const uint8_t ip4_bcast[4] = { 255, 255, 255, 255 };

/* ---- per-node state ------------------------------------------------- */

struct ip4_node *ip4_node(struct sim_node *n)
{
	if (!n->net)
		return NULL;
	if (!n->net->ip4)
		n->net->ip4 = calloc(1, sizeof *n->net->ip4);
	return n->net->ip4;
}

void ip4_node_free(struct sim_node *n)
{
	if (!n->net || !n->net->ip4)
		return;
	free(n->net->ip4->listeners);
	free(n->net->ip4);
	n->net->ip4 = NULL;
}

/* ---- addresses -------------------------------------------------------- */

static void mask4(uint8_t out[4], const uint8_t a[4], uint8_t plen)
{
	for (int i = 0; i < 4; i++) {
		int bits = plen > i * 8 ? plen - i * 8 : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		out[i] = a[i] & m;
	}
}

static bool same_subnet(const uint8_t a[4], const uint8_t b[4], uint8_t plen)
{
	uint8_t ma[4], mb[4];
	mask4(ma, a, plen);
	mask4(mb, b, plen);
	return memcmp(ma, mb, 4) == 0;
}

/* The connected route: the subnet, or the peer of a point-to-point link. */
static void connected_route(struct sim_iface *ifp, const struct in4_ifaddr *ia, bool add)
{
	struct net_node *net = ifp->node->net;
	if (!net)
		return;
	struct route r;
	memset(&r, 0, sizeof r);
	r.family = 4;
	r.ifp = ifp;
	r.flags = RTF_UP;
	r.expires = SIM_NEVER;
	if (memcmp(ia->peer, "\0\0\0\0", 4) != 0) {
		memcpy(r.dst, ia->peer, 4);
		r.plen = 32;
		r.flags |= RTF_HOST;
	} else {
		mask4(r.dst, ia->addr, ia->plen);
		r.plen = ia->plen;
	}
	if (add)
		route_add(&net->rt4, &r);
	else
		route_delete(&net->rt4, 4, r.dst, r.plen);
}

int in4_addr_add(struct sim_iface *ifp, const uint8_t addr[4], uint8_t plen, const uint8_t *peer)
{
	if (plen > 32)
		return -1;
	if (!ifp->in4 && !(ifp->in4 = calloc(1, sizeof *ifp->in4)))
		return -1;
	struct in4_ifstate *st = ifp->in4;
	for (size_t i = 0; i < st->naddr; i++)
		if (memcmp(st->addr[i].addr, addr, 4) == 0)
			return -1;
	if (st->naddr == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 2;
		struct in4_ifaddr *a = realloc(st->addr, cap * sizeof *a);
		if (!a)
			return -1;
		st->addr = a;
		st->cap = cap;
	}
	struct in4_ifaddr *ia = &st->addr[st->naddr++];
	memset(ia, 0, sizeof *ia);
	memcpy(ia->addr, addr, 4);
	ia->plen = plen;
	if (peer)
		memcpy(ia->peer, peer, 4);
	connected_route(ifp, ia, true);
	return 0;
}

int in4_addr_delete(struct sim_iface *ifp, const uint8_t addr[4])
{
	struct in4_ifstate *st = ifp->in4;
	for (size_t i = 0; st && i < st->naddr; i++) {
		if (memcmp(st->addr[i].addr, addr, 4) != 0)
			continue;
		connected_route(ifp, &st->addr[i], false);
		memmove(&st->addr[i], &st->addr[i + 1], (st->naddr - i - 1) * sizeof st->addr[0]);
		st->naddr--;
		return 0;
	}
	return -1;
}

void in4_ifstate_free(struct sim_iface *ifp)
{
	if (!ifp->in4)
		return;
	if (ifp->in4->arp) {
		arp_table_free(ifp->node->sim, ifp->in4->arp);
		free(ifp->in4->arp);
	}
	free(ifp->in4->addr);
	free(ifp->in4);
	ifp->in4 = NULL;
}

bool ip4_is_local(struct sim_node *n, const uint8_t addr[4], struct sim_iface **ifpp)
{
	for (int i = 0; i < n->nifaces; i++) {
		struct in4_ifstate *st = n->ifaces[i]->in4;
		for (size_t j = 0; st && j < st->naddr; j++) {
			if (memcmp(st->addr[j].addr, addr, 4) == 0) {
				if (ifpp)
					*ifpp = n->ifaces[i];
				return true;
			}
		}
	}
	return false;
}

/* 255.255.255.255 or the directed broadcast of one of ifp's subnets. */
static bool is_bcast_on(const struct sim_iface *ifp, const uint8_t a[4])
{
	if (memcmp(a, ip4_bcast, 4) == 0)
		return true;
	const struct in4_ifstate *st = ifp->in4;
	for (size_t i = 0; st && i < st->naddr; i++) {
		uint8_t plen = st->addr[i].plen;
		if (plen >= 31 || !same_subnet(a, st->addr[i].addr, plen))
			continue;
		uint8_t net[4];
		mask4(net, a, plen);
		uint8_t host[4];
		for (int k = 0; k < 4; k++)
			host[k] = a[k] ^ net[k];
		uint8_t allones[4];
		mask4(allones, ip4_bcast, plen);
		for (int k = 0; k < 4; k++)
			allones[k] ^= 0xff;
		if (memcmp(host, allones, 4) == 0)
			return true;
	}
	return false;
}

bool ip4_is_broadcast(const struct sim_iface *ifp, const uint8_t a[4])
{
	return is_bcast_on(ifp, a);
}

struct sim_iface *ip4_route(struct sim_node *n, const uint8_t dst[4], uint8_t nh[4])
{
	if (!n->net)
		return NULL;
	uint8_t key[16] = { 0 };
	memcpy(key, dst, 4);
	struct route *r = route_lookup(&n->net->rt4, key);
	if (!r || !r->ifp)
		return NULL;
	if ((r->flags & RTF_GATEWAY) && memcmp(r->gateway, "\0\0\0\0", 4) != 0)
		memcpy(nh, r->gateway, 4);
	else
		memcpy(nh, dst, 4);
	return r->ifp;
}

/* The address of ifp on the same subnet as dst, else its first one. */
static const uint8_t *iface_source(const struct sim_iface *ifp, const uint8_t dst[4])
{
	const struct in4_ifstate *st = ifp->in4;
	if (!st || st->naddr == 0)
		return NULL;
	for (size_t i = 0; i < st->naddr; i++)
		if (same_subnet(dst, st->addr[i].addr, st->addr[i].plen) ||
		    memcmp(dst, st->addr[i].peer, 4) == 0)
			return st->addr[i].addr;
	return st->addr[0].addr;
}

const uint8_t *ip4_select_source(struct sim_node *n, const uint8_t dst[4])
{
	struct sim_iface *lifp;
	if (ip4_is_local(n, dst, &lifp))
		return dst;
	uint8_t nh[4];
	struct sim_iface *ifp = ip4_route(n, dst, nh);
	return ifp ? iface_source(ifp, dst) : NULL;
}

/* ---- checksums ---------------------------------------------------------- */

uint16_t ip4_checksum(const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
                      const uint8_t *l4, size_t l4len)
{
	uint8_t ph[12];
	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = proto;
	wr16(ph + 10, (uint16_t)l4len);
	return inet_cksum_fold(inet_cksum_add(inet_cksum_add(0, ph, sizeof ph), l4, l4len));
}

static bool hdr_cksum_ok(const uint8_t *ip, size_t hlen)
{
	return inet_cksum(ip, hlen) == 0;
}

/* ---- output ---------------------------------------------------------- */

/* Hand a finished IPv4 packet to the interface's link layer. */
void ip4_if_output(struct sim_iface *ifp, const uint8_t nh[4], struct pbuf *p)
{
	if (ifp->output && (ifp->flags & SIM_IFF_UP))
		ifp->output(ifp, p, 4); /* tun0 of ppp(8), a tunnel: no ARP */
	else if (ifp->link && ifp->link->kind == LINK_ETHERNET)
		arp_output(ifp, nh, p);
	else if (ifp->link)
		sim_link_send(ifp, p);
	else
		pbuf_release(ifp->node->sim, p);
}

/* A packet to one of our own addresses loops back, one event later. */
static void loop_deliver(struct sim *sim, void *obj, uint64_t arg)
{
	struct pbuf *p = obj;
	struct sim_node *n = arg < sim->nnodes ? sim->nodes[arg] : NULL;
	struct sim_iface *ifp = NULL;
	if (n && p->len >= IP4_HDRLEN && ip4_is_local(n, pbuf_data(p) + 16, &ifp))
		ip4_input(ifp, pbuf_data(p), p->len);
	pbuf_release(sim, p);
}

/* A pbuf holding the header (identification from net->ip4_id) and l4. */
static struct pbuf *ip4_build(struct sim_node *n, const uint8_t src[4], const uint8_t dst[4],
                              uint8_t proto, uint8_t ttl, bool df, const uint8_t *l4,
                              size_t l4len)
{
	struct pbuf *p = pbuf_alloc(n->sim);
	uint8_t *ip = p ? pbuf_append(p, IP4_HDRLEN + l4len) : NULL;
	if (!ip) {
		if (p)
			pbuf_release(n->sim, p);
		return NULL;
	}
	ip[0] = 0x45;
	ip[1] = 0;
	wr16(ip + 2, (uint16_t)(IP4_HDRLEN + l4len));
	wr16(ip + 4, n->net->ip4_id++);
	wr16(ip + 6, df ? IP4_DF : 0);
	ip[8] = ttl;
	ip[9] = proto;
	wr16(ip + 10, 0);
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	wr16(ip + 10, inet_cksum(ip, IP4_HDRLEN));
	memcpy(ip + IP4_HDRLEN, l4, l4len);
	return p;
}

int ip4_output_df(struct sim_node *n, const uint8_t *src, const uint8_t dst[4], uint8_t proto,
                  uint8_t ttl, bool df, const uint8_t *l4, size_t l4len,
                  const char **err_reason)
{
	const char *dummy;
	if (!err_reason)
		err_reason = &dummy;
	if (!n->net) {
		*err_reason = "Network is down";
		return -1;
	}
	uint8_t nh[4];
	struct sim_iface *ifp = NULL;
	bool local = ip4_is_local(n, dst, &ifp);
	if (!local && dst[0] == 127) { /* no lo0 in the simulator */
		*err_reason = "Can't assign requested address";
		return -1;
	}
	if (!local && !(ifp = ip4_route(n, dst, nh))) {
		*err_reason = "No route to host";
		return -1;
	}
	if (!src)
		src = local ? dst : iface_source(ifp, dst);
	if (!src) {
		*err_reason = "Can't assign requested address";
		return -1;
	}
	size_t mtu = ifp->mtu ? ifp->mtu : 1500;
	if (IP4_HDRLEN + l4len > mtu || IP4_HDRLEN + l4len > PBUF_SIZE - PBUF_HEADROOM) {
		*err_reason = "Message too long";
		return -1;
	}
	struct pbuf *p = ip4_build(n, src, dst, proto, ttl, df, l4, l4len);
	if (!p) {
		*err_reason = "No buffer space available";
		return -1;
	}
	if (n->net->filter && n->net->filter(n, ifp, FILTER_OUT, pbuf_data(p), p->len))
		pbuf_release(n->sim, p); /* taken by the divert hook */
	else if (local)
		sim_after(n->sim, 0, loop_deliver, p, n->id);
	else
		ip4_if_output(ifp, nh, p);
	return 0;
}

int ip4_output(struct sim_node *n, const uint8_t *src, const uint8_t dst[4], uint8_t proto,
               uint8_t ttl, const uint8_t *l4, size_t l4len, const char **err_reason)
{
	return ip4_output_df(n, src, dst, proto, ttl, false, l4, l4len, err_reason);
}

/* ---- input ------------------------------------------------------------ */

/* Copy, decrement the TTL (incremental checksum update, RFC 1624) and send. */
static void forward_copy(struct sim_node *n, struct sim_iface *oif, const uint8_t nh[4],
                         const uint8_t *pkt, size_t len)
{
	struct pbuf *p = pbuf_copy(n->sim, pkt, len);
	if (!p)
		return;
	uint8_t *ip = pbuf_data(p);
	ip[8]--;
	uint32_t sum = (uint32_t)(uint16_t)~rd16(ip + 10) + 0xfeff; /* HC' = ~(~HC + ~m + m') */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	wr16(ip + 10, (uint16_t)~sum);
	if (n->net->filter && n->net->filter(n, oif, FILTER_OUT, ip, len)) {
		pbuf_release(n->sim, p);
		return;
	}
	n->net->ip4->forwarded++;
	ip4_if_output(oif, nh, p);
}

static void ip4_forward(struct sim_iface *ifp, const uint8_t *pkt, size_t len)
{
	struct sim_node *n = ifp->node;
	if (pkt[8] <= 1) {
		icmp4_error(n, pkt, len, ICMP4_TIMXCEED, 0, 0);
		return;
	}
	uint8_t nh[4];
	struct sim_iface *oif;
	if (n->net->path_hop) {
		/* A hidden router of a path link: out of the other interface. */
		oif = n->nifaces == 2 ? n->ifaces[n->ifaces[0] == ifp ? 1 : 0] : NULL;
		memcpy(nh, pkt + 16, 4);
	} else {
		oif = ip4_route(n, pkt + 16, nh);
	}
	if (!oif) {
		n->net->ip4->noroute++;
		icmp4_error(n, pkt, len, ICMP4_UNREACH, ICMP4_UNREACH_HOST, 0);
		return;
	}
	if (oif->mtu && len > oif->mtu) {
		if (rd16(pkt + 6) & IP4_DF)
			icmp4_error(n, pkt, len, ICMP4_UNREACH, ICMP4_UNREACH_NEEDFRAG, oif->mtu);
		n->net->ip4->fragdropped++;
		return;
	}
	forward_copy(n, oif, nh, pkt, len);
}

static void ip4_local(struct sim_iface *ifp, const uint8_t *pkt, size_t len, size_t hlen)
{
	struct sim_node *n = ifp->node;
	if (rd16(pkt + 6) & (IP4_MF | IP4_OFFMASK)) {
		n->net->ip4->fragdropped++; /* no reassembly in the simulator */
		return;
	}
	n->net->ip4->delivered++;
	uint8_t proto = pkt[9];
	if (proto == IPPROTO4_ICMP)
		icmp4_input(ifp, pkt, len, pkt + hlen, len - hlen);
	else if (n->net->deliver4)
		n->net->deliver4(n, ifp, pkt, len, proto, pkt + hlen, len - hlen);
	else if (!is_bcast_on(ifp, pkt + 16))
		icmp4_error(n, pkt, len, ICMP4_UNREACH, ICMP4_UNREACH_PROTOCOL, 0);
}

/* Header checks of RFC 1812 5.2.2; returns the header length, 0 if bad. */
static size_t ip4_validate(const uint8_t *pkt, size_t len, size_t *totlen)
{
	if (len < IP4_HDRLEN || pkt[0] >> 4 != 4)
		return 0;
	size_t hlen = (size_t)(pkt[0] & 15) * 4;
	size_t tot = rd16(pkt + 2);
	if (hlen < IP4_HDRLEN || hlen > len || tot < hlen || tot > len)
		return 0;
	*totlen = tot; /* Ethernet padding beyond the total length is ignored */
	return hlen;
}

void ip4_input(struct sim_iface *ifp, const uint8_t *pkt, size_t len)
{
	struct sim_node *n = ifp->node;
	struct ip4_node *st = ip4_node(n);
	if (!st)
		return;
	st->ipackets++;
	size_t hlen = ip4_validate(pkt, len, &len);
	if (!hlen) {
		st->badhdr++;
		return;
	}
	if (!hdr_cksum_ok(pkt, hlen)) {
		st->badsum++;
		return;
	}
	if (n->net->filter && n->net->filter(n, ifp, FILTER_IN, pkt, len))
		return;
	const uint8_t *dst = pkt + 16;
	if (ip4_is_local(n, dst, NULL) || is_bcast_on(ifp, dst)) {
		ip4_local(ifp, pkt, len, hlen);
		return;
	}
	/* Never forward broadcast, multicast, loopback (RFC 1812 5.3.7), or
	 * from an unusable source. */
	if (dst[0] >= 224 || dst[0] == 127 || pkt[12] == 0 || pkt[12] == 127 || pkt[12] >= 224)
		return;
	if (n->net->forwarding4 || n->net->path_hop)
		ip4_forward(ifp, pkt, len);
}
