/*
 * 6in4 tunnel interfaces (RFC 4213 3: IPv6 in IPv4, protocol 41), as
 * FreeBSD's gif(4) — and the `tun1` the seed's freenet6/gw6c client set
 * up towards the tunnel broker. The same code runs on both ends: the
 * gateway and the broker each have a tunnel interface whose endpoints are
 * (local4, remote4) and (remote4, local4).
 *
 * Output: an IPv6 packet routed out of the interface is put behind an
 * IPv4 header (protocol 41, TTL TUNNEL_TTL, DF clear as gif(4) leaves it
 * for IPv6 inside, TOS 0) and sent with ip4_output, so it goes through the IPv4 routing table,
 * ARP and the ipfw hook like any packet of the node.
 * Input: an IPv4 protocol-41 packet delivered locally whose outer source
 * is a tunnel's remote endpoint and whose destination is its local one is
 * stripped of its header and handed to ip6_input on that interface. The
 * tunnels chain themselves in front of net->deliver4 (whatever was there
 * keeps every other protocol); a protocol-41 packet no tunnel claims goes
 * to it too, as FreeBSD's rip_input answers "protocol unreachable".
 */
#ifndef V6LAB_TUNNEL_H
#define V6LAB_TUNNEL_H

#include "../net/net.h"

#define TUNNEL_PROTO 41   /* IPPROTO_IPV6 */
#define TUNNEL_TTL 64     /* RFC 4213 3.3 (FreeBSD's net.inet.ip.gifttl is 30) */
#define TUNNEL_MTU 1280   /* RFC 4213 3.2 static MTU; gif(4)'s GIF_MTU */

/* Cloning names gif(4) and tun(4) accept: "gif0", "tun1". */
bool tunnel_name_ok(const char *name);

/*
 * `ifconfig NAME create`: a tunnel interface with no endpoints yet
 * (POINTOPOINT|MULTICAST, mtu TUNNEL_MTU, down). NULL when the name is not
 * a tunnel name, the interface exists, or the node is full.
 */
struct sim_iface *tunnel_create(struct sim_node *n, const char *name);

/* Is ifp a tunnel interface (made by tunnel_create)? */
bool tunnel_is(const struct sim_iface *ifp);

/*
 * `ifconfig NAME tunnel LOCAL4 REMOTE4`: set the endpoints and mark the
 * interface UP and RUNNING (no link-local address is made: the scenario
 * gives the addresses). 0, or -1 when ifp is not a tunnel.
 */
int tunnel_set_endpoints(struct sim_iface *ifp, const uint8_t local4[4], const uint8_t remote4[4]);

/* The endpoints; false when ifp is not a tunnel or has none set. */
bool tunnel_endpoints(const struct sim_iface *ifp, uint8_t local4[4], uint8_t remote4[4]);

struct tunnel_stats {
	uint64_t encap;          /* IPv6 packets sent inside IPv4 */
	uint64_t encap_failed;   /* ip4_output refused (no route, too big) or no endpoints */
	uint64_t decap;          /* IPv6 packets taken out and handed to ip6_input */
	uint64_t bad_inner;      /* protocol 41 whose payload is not IPv6 */
};
/* Counters of one tunnel (zeros when ifp is not one). */
void tunnel_get_stats(const struct sim_iface *ifp, struct tunnel_stats *out);

#endif /* V6LAB_TUNNEL_H */
