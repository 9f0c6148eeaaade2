/*
 * v6lab IPv4: addresses, ARP, ICMP, input/output/forwarding.
 * Included by net.h; addresses as on the wire (uint8_t[4]).
 */
#ifndef V6LAB_NET4_H
#define V6LAB_NET4_H

#include "../core/sim.h"

/* ---- IPv4 (net/ip4.c, net/arp.c, net/icmp4.c) ------------------------ */

#define IPPROTO4_ICMP 1
#define IPPROTO4_TCP 6
#define IPPROTO4_UDP 17

struct in4_ifaddr {
	uint8_t addr[4];
	uint8_t plen;
	uint8_t peer[4];        /* point-to-point destination, or zero */
};

struct in4_ifstate {
	struct in4_ifaddr *addr;
	size_t naddr, cap;
	struct arp_table *arp;
};

/*
 * Send an IPv4 packet carrying `l4` (its checksum already filled in, see
 * ip4_checksum). src NULL: the address of the outgoing interface. The
 * identification comes from net->ip4_id. Returns 0, or -1 with
 * *err_reason ("No route to host", "Message too long", ...) set.
 */
int ip4_output(struct sim_node *n, const uint8_t *src, const uint8_t dst[4], uint8_t proto,
               uint8_t ttl, const uint8_t *l4, size_t l4len, const char **err_reason);
/* Same with the DF bit chosen by the caller (TCP sets it, as FreeBSD does). */
int ip4_output_df(struct sim_node *n, const uint8_t *src, const uint8_t dst[4], uint8_t proto,
                  uint8_t ttl, bool df, const uint8_t *l4, size_t l4len,
                  const char **err_reason);
void ip4_input(struct sim_iface *ifp, const uint8_t *pkt, size_t len);
/* A finished IPv4 packet onto the interface's link layer (ARP on Ethernet,
 * the output hook of a virtual interface); takes the pbuf. */
void ip4_if_output(struct sim_iface *ifp, const uint8_t nh[4], struct pbuf *p);
/* Upper-layer (TCP/UDP) checksum over the IPv4 pseudo-header (RFC 9293 3.1). */
uint16_t ip4_checksum(const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
                      const uint8_t *l4, size_t l4len);
/* Source address for dst: the first address of the route's interface. */
const uint8_t *ip4_select_source(struct sim_node *n, const uint8_t dst[4]);
/* One of the node's addresses (ifp, when not NULL, receives its iface). */
bool ip4_is_local(struct sim_node *n, const uint8_t addr[4], struct sim_iface **ifp);
/* 255.255.255.255 or the directed broadcast of one of ifp's subnets. */
bool ip4_is_broadcast(const struct sim_iface *ifp, const uint8_t a[4]);
/* The interface (and next hop) a packet to dst leaves by; NULL: no route. */
struct sim_iface *ip4_route(struct sim_node *n, const uint8_t dst[4], uint8_t nh[4]);

/* Add an address (and its connected route when ifp has a node stack). */
int in4_addr_add(struct sim_iface *ifp, const uint8_t addr[4], uint8_t plen, const uint8_t *peer);
int in4_addr_delete(struct sim_iface *ifp, const uint8_t addr[4]);
void in4_ifstate_free(struct sim_iface *ifp);

/* ---- ARP (net/arp.c): RFC 826 ---------------------------------------- */

enum arp_state { ARP_INCOMPLETE, ARP_RESOLVED, ARP_FAILED };

struct arp_entry {
	uint8_t ip[4];
	uint8_t mac[6];
	uint8_t state;          /* enum arp_state */
	uint8_t asked;          /* requests sent while INCOMPLETE */
	sim_time deadline;      /* next retry, or when the entry expires */
	struct pbuf *hold;      /* one packet waiting for resolution (BSD la_hold) */
};

/* Entries sorted by address (binary search, deterministic listing). */
struct arp_table {
	struct arp_entry *e;
	size_t n, cap;
	struct sim_timer timer; /* at the earliest entry deadline */
	uint64_t requests, replies, dropped;
};

/* Resolve nh on ifp and send the IPv4 packet pkt (takes the pbuf). */
void arp_output(struct sim_iface *ifp, const uint8_t nh[4], struct pbuf *pkt);
void arp_input(struct sim_iface *ifp, const uint8_t *arp, size_t len);
const struct arp_entry *arp_lookup(const struct sim_iface *ifp, const uint8_t ip[4]);
void arp_table_free(struct sim *sim, struct arp_table *t);

/* ---- ICMP (net/icmp4.c): RFC 792 ------------------------------------- */

#define ICMP4_ECHOREPLY 0
#define ICMP4_UNREACH 3
#define ICMP4_ECHO 8
#define ICMP4_TIMXCEED 11
#define ICMP4_PARAMPROB 12
#define ICMP4_UNREACH_NET 0
#define ICMP4_UNREACH_HOST 1
#define ICMP4_UNREACH_PROTOCOL 2
#define ICMP4_UNREACH_PORT 3
#define ICMP4_UNREACH_NEEDFRAG 4

/* Send an ICMP error about `offending` (an IPv4 packet) back to its
 * source; never about an ICMP error, a broadcast, a non-first fragment.
 * param: the pointer (PARAMPROB) or next-hop MTU (NEEDFRAG). */
void icmp4_error(struct sim_node *n, const uint8_t *offending, size_t len, uint8_t type,
                 uint8_t code, uint32_t param);
void icmp4_input(struct sim_iface *ifp, const uint8_t *ip4, size_t len, const uint8_t *icmp,
                 size_t icmplen);
/* Send an echo request (ping); src NULL selects it. 0, or -1 + reason. */
int icmp4_echo_send(struct sim_node *n, const uint8_t *src, const uint8_t dst[4], uint8_t ttl,
                    uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen,
                    const char **err_reason);

/* Echo replies and errors are handed to the node's ping (apps/), every
 * listener in registration order (each ping filters on its id). */
struct icmp4_listener {
	void (*echo_reply)(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
	                   uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen);
	void (*error)(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
	              uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen);
	void *user;
};
int icmp4_listen(struct sim_node *n, const struct icmp4_listener *l);
void icmp4_unlisten(struct sim_node *n, void *user);

/* ---- per-node IPv4 state (net_node->ip4), made on first use ---------- */

struct ip4_node {
	struct icmp4_listener *listeners;
	size_t nlisteners, lcap;
	uint32_t lbusy;           /* callbacks running: unlisten only blanks slots */
	sim_time icmp_lim_start;  /* net.inet.icmp.icmplim: errors per second */
	uint32_t icmp_lim_count;
	uint64_t ipackets, forwarded, delivered, badsum, badhdr, noroute, fragdropped,
	    icmp_out, icmp_in;
};
struct ip4_node *ip4_node(struct sim_node *n);
void ip4_node_free(struct sim_node *n);

#endif /* V6LAB_NET4_H */
