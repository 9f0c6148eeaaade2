/*
 * v6lab network layer: Ethernet, IPv6 (ND, SLAAC, ICMPv6), IPv4 (ARP,
 * ICMP), routing tables and forwarding. Every node kind except `bridge`
 * runs this stack. Addresses are as on the wire: uint8_t[16] for IPv6,
 * uint8_t[4] for IPv4.
 */
#ifndef V6LAB_NET_H
#define V6LAB_NET_H

#include "../core/sim.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd

/* ---- routing (net/route.c) ------------------------------------------ */

/* FreeBSD route flags as netstat -rn prints them (U G H S C L ...). */
#define RTF_UP      0x1
#define RTF_GATEWAY 0x2
#define RTF_HOST    0x4
#define RTF_STATIC  0x800
#define RTF_LLINFO  0x400   /* L: link-layer info (neighbour entries) */
#define RTF_PROTO1  0x8000  /* 1 */
#define RTF_CLONING 0x100   /* C */
#define RTF_DYNAMIC 0x10    /* D: learned (RA default route) */

struct route {
	uint8_t family;        /* 4 or 6 */
	uint8_t dst[16];       /* IPv4 in the first 4 bytes */
	uint8_t plen;
	uint8_t gateway[16];   /* all zero when directly connected */
	struct sim_iface *ifp;
	uint32_t flags;        /* RTF_* */
	uint32_t refs;
	uint64_t use;          /* packets routed with it (netstat's Use) */
	sim_time expires;      /* SIM_NEVER unless learned with a lifetime */
};

struct route_table {
	struct route *r;
	size_t n, cap;
};

/* Longest-prefix match; NULL when nothing matches. Counts `use`. */
struct route *route_lookup(struct route_table *t, const uint8_t *dst);
int route_add(struct route_table *t, const struct route *r);    /* -1: exists (EEXIST) */
int route_delete(struct route_table *t, uint8_t family, const uint8_t *dst, uint8_t plen); /* -1: ESRCH */
void route_expire(struct route_table *t, sim_time now);
/*
 * Notes for users of the table (netstat, route):
 * - entries are kept sorted by (dst, plen) so listings are deterministic;
 *   a pointer from route_lookup is valid until the next add/delete;
 * - IPv6 link-local (fe80::/10) and link-local multicast (ff02::/16)
 *   destinations carry their scope id (if_index) in bytes 2-3, as KAME
 *   does ("fe80::%sk0/64" is stored as fe80:1::/64): in6_scope_embed()
 *   before lookup or delete, in6_scope_clear() before printing. Gateways
 *   are stored without it (their scope is r->ifp).
 */
void route_free(struct route_table *t);
/* The route with exactly this dst/plen, NULL if none. */
struct route *route_find(struct route_table *t, const uint8_t *dst, uint8_t plen);
/* Next expiry among the routes out of ifp (any ifp when NULL), SIM_NEVER if none. */
sim_time route_next_expiry(const struct route_table *t, const struct sim_iface *ifp);
/* Remove every route out of ifp (interface going away). */
void route_flush_iface(struct route_table *t, const struct sim_iface *ifp);

/* ---- the per-node network state (net/stack.c) ----------------------- */

struct net_node {
	struct route_table rt6, rt4;
	bool forwarding6;      /* net.inet6.ip6.forwarding */
	bool forwarding4;      /* net.inet.ip.forwarding */
	bool accept_rtadv;     /* net.inet6.ip6.accept_rtadv: hosts yes, routers no */
	uint8_t hlim;          /* net.inet6.ip6.hlim, default 64 */
	uint8_t ttl;           /* net.inet.ip.ttl, default 64 */
	uint16_t ip4_id;       /* next IPv4 identification */
	/* Local delivery of upper-layer protocols (set by transport/ and apps/). */
	void (*deliver6)(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
	                 uint8_t proto, const uint8_t *l4, size_t l4len);
	void (*deliver4)(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
	                 uint8_t proto, const uint8_t *l4, size_t l4len);
	/* Divert hook (the divert story): when set, every IP packet entering or
	 * leaving is offered to it first; returns true when it took the packet. */
	bool (*filter)(struct sim_node *n, struct sim_iface *ifp, int dir, const uint8_t *ip,
	               size_t len);
	/* ipfw rules and divert sockets (net/ipfw.c, net/divert.c): NULL
	 * until ipfw is first used; they install `filter`. */
	struct ipfw_state *ipfw;
	/* A hidden router of a `path` link: forwards whatever arrives on one
	 * interface out of the other, decrementing the hop limit / TTL. */
	bool path_hop;
	/* IPv4 per-node state: ICMP listeners, counters (net/ip4.c, made on first use). */
	struct ip4_node *ip4;
	/* ICMPv6 listeners (ping6 instances), see icmp6_listen. */
	struct icmp6_listener *icmp6_l;
	size_t icmp6_nl, icmp6_lcap;
	unsigned icmp6_busy;       /* > 0 while listeners are being called */
	/* ICMPv6 error rate limit (FreeBSD icmp6errppslim, 100/s). */
	sim_time icmp6_err_sec;
	uint32_t icmp6_err_count;
	uint64_t ip6_forwarded, ip6_dropped;   /* statistics (netstat -s) */
};

/* Give a node its stack (called for every node kind but bridge; a second
 * call does nothing). FreeBSD defaults: hlim/ttl 64; routers and the ISP
 * forward and ignore RAs, other kinds accept them. A `path` hop sets
 * net->path_hop itself. The state is freed by sim_free (a hook). */
void net_node_init(struct sim_node *n);
/* Bring an interface up (after it is attached to its link): SIM_IFF_UP |
 * SIM_IFF_RUNNING, ff02::1 (and ff02::2 on routers), the EUI-64 link-local
 * address with DAD (random 0-1 s delay, 1 probe, 1 s), then on hosts up
 * to 3 router solicitations 4 s apart. */
void net_iface_up(struct sim_iface *ifp);
/* Frame input from the link (set as ifp->input by net_node_init / up).
 * Neither takes the link's reference to `frame` (the link releases it
 * after input returns); frames are read-only. */
void ether_input(struct sim_iface *ifp, struct pbuf *frame);
void p2p_input(struct sim_iface *ifp, struct pbuf *frame);
/* Free a node's network state: IPv6 (here) and IPv4 (in4_ifstate_free,
 * ip4_node_free). Safe on a node without it, and twice. */
void net_node_free(struct sim_node *n);
/* Prepend an Ethernet header (dst, ifp's MAC, ethertype) to the packet in
 * `p` and send it on ifp's link. Takes the pbuf. */
void ether_output(struct sim_iface *ifp, const uint8_t dst_mac[6], uint16_t ethertype,
                  struct pbuf *p);
/* The Ethernet address of an IPv6 multicast group: 33:33 + its low 32 bits. */
void ether_map_ip6_multicast(const uint8_t group[16], uint8_t mac[6]);

/* ---- IPv6 (net/ip6.c) ------------------------------------------------ */

#define IN6_IFF_TENTATIVE  0x02
#define IN6_IFF_DUPLICATED 0x04
#define IN6_IFF_DEPRECATED 0x10
#define IN6_IFF_AUTOCONF   0x40
#define IN6_IFF_NOTREADY (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)

struct in6_ifaddr {
	uint8_t addr[16];
	uint8_t plen;
	uint8_t flags;          /* IN6_IFF_* */
	sim_time valid_until;   /* SIM_NEVER = infinite */
	sim_time preferred_until;
};

struct in6_ifstate {
	struct in6_ifaddr *addr;
	size_t naddr, cap;
	uint8_t (*groups)[16];  /* joined multicast groups */
	size_t ngroups, gcap;
	struct nd_ifstate *nd;  /* neighbour cache, router/prefix lists, timers */
};

/*
 * Send an IPv6 packet whose upper-layer payload is `l4` (checksum already
 * filled in by the caller using ip6_checksum). src may be NULL: source
 * address selection (RFC 6724, the subset a host needs); then ip6_output
 * computes the ICMPv6/UDP/TCP checksum itself once the source is known.
 * `oif` forces the outgoing interface (link-local destinations with
 * %scope); NULL = route (a link-local destination without a scope goes
 * out of the interface of the route that matches it, the default route in
 * the seed's `ping6 fe80::20c:86ff:fe75:241b`). hlim 0 = the default
 * (the RA's Cur Hop Limit on that interface, else net.inet6.ip6.hlim).
 * A packet to one of the node's own addresses is looped back (event at
 * the same time). No fragmentation: bigger than the MTU is EMSGSIZE.
 * Returns 0, or -1 with *err_reason ("No route to host", ...) set.
 */
int ip6_output(struct sim_node *n, const uint8_t *src, const uint8_t dst[16], uint8_t proto,
               uint8_t hlim, const uint8_t *l4, size_t l4len, struct sim_iface *oif,
               const char **err_reason);
/* Upper-layer checksum over the pseudo-header (RFC 8200 8.1). */
uint16_t ip6_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
                      const uint8_t *l4, size_t l4len);
/* Source address selection for dst (optionally out of oif). NULL if none. */
const uint8_t *ip6_select_source(struct sim_node *n, const uint8_t dst[16],
                                 struct sim_iface *oif);
bool ip6_is_local(struct sim_node *n, const uint8_t addr[16], struct sim_iface **ifp);
void ip6_input(struct sim_iface *ifp, const uint8_t *pkt, size_t len);
/*
 * Add an address (ifconfig, SLAAC). valid/preferred are lifetimes from now
 * (SIM_NEVER = infinite). With IN6_IFF_TENTATIVE in flags the address
 * runs DAD (RFC 4862) and is unusable until it passes; without it, it is
 * usable at once. Joins its solicited-node group and adds the connected
 * route of its prefix (plen < 128). Returns 0, -1 if already present
 * (lifetimes updated), -2 on bad arguments.
 */
int in6_addr_add(struct sim_iface *ifp, const uint8_t addr[16], uint8_t plen, uint8_t flags,
                 sim_time valid, sim_time preferred);
int in6_addr_del(struct sim_iface *ifp, const uint8_t addr[16]); /* -1: not found */
struct in6_ifaddr *in6_addr_find(struct sim_iface *ifp, const uint8_t addr[16]);
void in6_join(struct sim_iface *ifp, const uint8_t group[16]);
bool in6_joined(const struct sim_iface *ifp, const uint8_t group[16]);
/* The in6 state of ifp, created on first use (NULL only when out of memory). */
struct in6_ifstate *in6_ifstate_get(struct sim_iface *ifp);
/* Send a built IPv6 packet (in p) to next hop nh out of ifp: ND on
 * Ethernet, straight onto p2p links. Takes the pbuf. */
void ip6_if_output(struct sim_iface *ifp, const uint8_t nh[16], struct pbuf *p);
/* Effective IPv6 MTU of ifp (link, interface, RA MTU option). */
uint32_t ip6_if_mtu(const struct sim_iface *ifp);

/* Address helpers. */
static inline bool in6_is_unspec(const uint8_t a[16])
{
	for (int i = 0; i < 16; i++)
		if (a[i])
			return false;
	return true;
}
static inline bool in6_is_multicast(const uint8_t a[16]) { return a[0] == 0xff; }
static inline bool in6_is_linklocal(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}
/* Link-local unicast or link-local (ff02) / interface-local multicast. */
static inline bool in6_is_link_scoped(const uint8_t a[16])
{
	return in6_is_linklocal(a) || (a[0] == 0xff && ((a[1] & 0x0f) <= 2));
}
/* KAME embedded scope ids (see route.c notes). */
void in6_scope_embed(uint8_t a[16], uint32_t index);
uint32_t in6_scope_clear(uint8_t a[16]);
/* Solicited-node multicast group of addr (ff02::1:ffXX:XXXX). */
void in6_solicited_node(const uint8_t addr[16], uint8_t group[16]);
/* EUI-64 interface identifier from a MAC (u/l bit flipped): 8 bytes. */
void in6_eui64(const uint8_t mac[6], uint8_t id[8]);

/* ---- ICMPv6 (net/icmp6.c) ------------------------------------------- */

/* Send an ICMPv6 error about `offending` back to its source (RFC 4443:
 * rate limits, never about an error or a multicast destination). */
void icmp6_error(struct sim_node *n, const uint8_t *offending, size_t len, uint8_t type,
                 uint8_t code, uint32_t param);
/* Same, sent back out of in_ifp (the interface the offending packet came
 * in on): needed when its source is link-local, and on path hops. */
void icmp6_error_if(struct sim_node *n, struct sim_iface *in_ifp, const uint8_t *offending,
                    size_t len, uint8_t type, uint8_t code, uint32_t param);
void icmp6_input(struct sim_iface *ifp, const uint8_t *ip6, size_t len, const uint8_t *icmp,
                 size_t icmplen);

/* Echo replies and errors are handed to the node's ping6 (apps/). */
struct icmp6_listener {
	void (*echo_reply)(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
	                   uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen);
	void (*error)(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
	              uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen);
	void *user;
};
/* Several listeners per node (one per ping6); each sees every echo reply
 * and error and filters on its own id. Unlisten by the `user` pointer;
 * safe from inside a callback. */
void icmp6_listen(struct sim_node *n, const struct icmp6_listener *l);
void icmp6_unlisten(struct sim_node *n, void *user);

/* ---- Neighbor Discovery + SLAAC (net/nd.c, net/slaac.c) ------------- */

enum nd_state { ND_INCOMPLETE, ND_REACHABLE, ND_STALE, ND_DELAY, ND_PROBE };

/* Resolve next-hop `nh` on ifp and send the IPv6 packet `pkt` (queued while
 * INCOMPLETE, like BSD's ln_hold). Takes the pbuf. */
void nd_output(struct sim_iface *ifp, const uint8_t nh[16], struct pbuf *pkt);
void nd_input(struct sim_iface *ifp, const uint8_t *ip6, size_t len, const uint8_t *icmp,
              size_t icmplen);
void nd_iface_start(struct sim_iface *ifp); /* DAD for its addresses, RS if a host */

/* rtadvd: advertise prefixes on an interface (apps/rtadvd.c configures it). */
struct nd_ra_prefix {
	uint8_t prefix[16];
	uint8_t plen;
	uint32_t valid_s, preferred_s;
	bool onlink, autonomous;
};
/* A lifetime of 0 in a prefix or router_lifetime_s 0 takes rtadvd's
 * default (valid 2592000 s, preferred 604800 s, router 1800 s). The
 * first RA goes after 16 s, solicited ones after 0-0.5 s. */
int nd_rtadv_start(struct sim_iface *ifp, const struct nd_ra_prefix *p, size_t np,
                   uint16_t router_lifetime_s);
void nd_rtadv_stop(struct sim_iface *ifp);

/* Neighbour cache inspection (ndp -a, tests): state of addr on ifp, -1
 * when no entry; its link-layer address in mac (if not NULL, INCOMPLETE
 * leaves it zero). REACHABLE past its ReachableTime reads as STALE. */
int nd_state_of(struct sim_iface *ifp, const uint8_t addr[16], uint8_t mac[6]);
extern const char *const nd_state_names[];
/* Call fn for every neighbour entry of ifp, sorted by address. */
void nd_foreach(struct sim_iface *ifp,
                void (*fn)(void *user, const uint8_t addr[16], const uint8_t mac[6], int state,
                           bool is_router),
                void *user);
/* Default routers learned from RAs on ifp (ndp -r): count, and the i-th. */
size_t nd_router_count(struct sim_iface *ifp);
const uint8_t *nd_router_addr(struct sim_iface *ifp, size_t i, sim_time *expires);
/* SLAAC (net/slaac.c): prefix information from an RA (RFC 4862 5.5.3). */
void slaac_prefix(struct sim_iface *ifp, const uint8_t prefix[16], uint8_t plen, bool onlink,
                  bool autonomous, uint32_t valid_s, uint32_t preferred_s);
/* The link-local address an interface gets when it comes up. */
void slaac_linklocal(struct sim_iface *ifp, uint8_t addr[16]);

#include "net4.h"

#endif /* V6LAB_NET_H */
