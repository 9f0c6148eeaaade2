/*
 * Internals shared by socket.c, udp.c and tcp.c (not for applications).
 */
#ifndef V6LAB_TP_PRIV_H
#define V6LAB_TP_PRIV_H

#include "transport.h"

#define TP_EPHEMERAL_FIRST 49152 /* net.inet.ip.portrange.first */
#define TP_EPHEMERAL_LAST 65535

struct udp_sock {
	struct transport_node *tp;
	uint8_t family;
	uint16_t port;
	udp_recv_fn recv;
	void *user;
};

struct tcp_listener {
	struct transport_node *tp;
	uint8_t family;
	uint16_t port;
	tcp_accept_fn accept;
	void *user;
};

struct transport_node {
	struct sim_node *node;
	/* Hooks that were in net_node before us: other protocols go there. */
	void (*next_deliver6)(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip6,
	                      size_t len, uint8_t proto, const uint8_t *l4, size_t l4len);
	void (*next_deliver4)(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip4,
	                      size_t len, uint8_t proto, const uint8_t *l4, size_t l4len);
	struct udp_sock **udp;      /* in bind order */
	size_t nudp, udpcap;
	struct tcp_listener **lis;  /* in listen order */
	size_t nlis, liscap;
	struct tcp_conn **conns;    /* slots, reused, freed only with the node */
	size_t nconns, conncap;
	tcp_state_fn state_fn;
	void *state_user;
	struct tcp_stats tcpstat;
	uint64_t udp_in, udp_out, udp_noport, udp_badsum;
};

/* The packet being delivered, for ICMP errors about it. */
struct tp_pkt {
	struct sim_iface *ifp;
	const uint8_t *ip;
	size_t iplen;
	struct tp_addr src, dst;   /* addresses and ports from the packet */
};

struct transport_node *tp_of(struct sim_node *n);
bool tp_port_in_use(struct transport_node *tp, uint8_t proto, uint8_t family, uint16_t port);
uint16_t tp_ephemeral_port(struct transport_node *tp, uint8_t proto, uint8_t family);
/* Source address toward dst (into src->addr); -1 with *err when none. */
int tp_select_source(struct sim_node *n, const struct tp_addr *dst, struct tp_addr *src,
                     const char **err);
uint16_t tp_cksum(uint8_t family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
                  const uint8_t *l4, size_t len);
int tp_ip_output(struct sim_node *n, const struct tp_addr *src, const struct tp_addr *dst,
                 uint8_t proto, bool df, const uint8_t *l4, size_t len, const char **err);
/* MTU of the interface that leads to dst (for the MSS option). */
uint32_t tp_path_mtu(struct sim_node *n, const struct tp_addr *dst);
/* The ICMP "port unreachable" of the packet's family. */
void tp_port_unreach(struct sim_node *n, const struct tp_pkt *pkt);
bool tp_is_linklocal6(const uint8_t a[16]);

void udp_input(struct transport_node *tp, const struct tp_pkt *pkt, const uint8_t *l4,
               size_t len);
void tcp_input(struct transport_node *tp, const struct tp_pkt *pkt, const uint8_t *l4,
               size_t len);
/* A connection (any state but CLOSED) uses the local port. */
bool tcp_port_busy(struct transport_node *tp, uint8_t family, uint16_t port);
void tcp_free_all(struct transport_node *tp);
/* An ICMP error about a segment we sent (local -> remote): `hard` drops
 * a connection still in SYN_SENT at once, else the error is remembered
 * (and ends a connect that has been retrying a while). */
void tcp_ctlinput(struct transport_node *tp, const struct tp_addr *local,
                  const struct tp_addr *remote, bool hard, const char *err);
void udp_free_all(struct transport_node *tp);

static inline uint16_t tp_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t tp_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void tp_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void tp_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* V6LAB_TP_PRIV_H */
