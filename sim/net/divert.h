/*
 * ipfw(8) and divert(4) sockets, IPv4 and IPv6 (the seed's 2008 patch
 * "netinet6/ip6_divert.c"). ipfw runs as the node's net->filter hook on
 * every IP packet entering (dir 0) or leaving (dir 1) an interface; a
 * `divert PORT` rule hands the packet to the process bound to that port,
 * which may write it back (reinjection) — rule processing then continues
 * after the rule that diverted it, so a packet never loops.
 */
#ifndef V6LAB_DIVERT_H
#define V6LAB_DIVERT_H

#include "../core/sim.h"

enum { DIVERT_IN = 0, DIVERT_OUT = 1 };

/* Where a diverted packet was taken, as FreeBSD encodes it in the
 * sockaddr of recvfrom(): direction, interface, and the rule number. */
struct divert_info {
	int dir;                    /* DIVERT_IN / DIVERT_OUT */
	char ifname[16];            /* interface it arrived on / was leaving by */
	uint16_t rule;              /* number of the rule that diverted it */
};

struct divert_sock;

/* A diverted packet (starting at its IP header). The buffer is valid during the call. */
typedef void (*divert_recv_fn)(void *user, struct divert_sock *s, const uint8_t *pkt, size_t len,
                               const struct divert_info *info);

/* bind() a divert socket of `family` (4 or 6) to `port`. NULL if taken. */
struct divert_sock *divert_bind(struct sim_node *n, int family, uint16_t port, divert_recv_fn fn,
                                void *user);
void divert_close(struct divert_sock *s);

/*
 * sendto() on a divert socket: reinject `pkt` in the direction of `info`
 * (inbound: as if it arrived on info->ifname; outbound: routed out), with
 * rule processing resuming after info->rule. A packet whose IP version is
 * not the socket's family is accepted (returns len) and lost — the seed's
 * 2008-05-12 bug — and counted in divert_stats.wrong_family.
 */
long divert_send(struct divert_sock *s, const uint8_t *pkt, size_t len,
                 const struct divert_info *info);

struct divert_stats {
	uint64_t diverted;          /* handed to a bound socket */
	uint64_t no_socket;         /* matched a divert rule with no socket bound: dropped */
	uint64_t reinjected;
	uint64_t wrong_family;      /* written to a socket of the other family: lost */
};
void divert_get_stats(const struct sim_node *n, struct divert_stats *out);

#endif /* V6LAB_DIVERT_H */
