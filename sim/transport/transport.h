/*
 * v6lab transport layer: UDP and TCP for both IPv4 and IPv6, and the small
 * socket API the simulated applications (telnet, httpd, dns, ...) use.
 *
 * Everything is callback driven (the simulator has no threads): data is
 * handed to the application as soon as it arrives in order, so the
 * receive window stays open. Handles (udp_sock, tcp_conn, tcp_listener)
 * belong to the node's transport state; a handle is valid until the
 * application gives it back (udp_close, tcp_close/tcp_abort,
 * tcp_unlisten) — also after an error callback, like a BSD socket after
 * ECONNRESET, until close().
 */
#ifndef V6LAB_TRANSPORT_H
#define V6LAB_TRANSPORT_H

#include "../net/net.h"

/* An endpoint. IPv4 addresses live in the first 4 bytes of addr. */
struct tp_addr {
	uint8_t family;          /* 4 or 6 */
	uint8_t addr[16];
	uint16_t port;
	struct sim_iface *ifp;   /* scope of an IPv6 link-local address, else NULL */
};

/* Set up a node's transport (after net_node_init): takes over
 * net->deliver4/deliver6 for TCP and UDP and hands every other protocol
 * to the hook that was there before (or answers "protocol unreachable"). */
void transport_node_init(struct sim_node *n);
void transport_node_free(struct sim_node *n);

/* ---- UDP (transport/udp.c) ------------------------------------------- */

struct udp_sock;
typedef void (*udp_recv_fn)(void *user, struct udp_sock *s, const struct tp_addr *from,
                            const struct tp_addr *to, const uint8_t *data, size_t len);

/* Bind a socket to port (0: an ephemeral port) on every address of the
 * family. NULL when the port is taken or family is not 4 or 6. */
struct udp_sock *udp_bind(struct sim_node *n, int family, uint16_t port, udp_recv_fn recv,
                          void *user);
/* 0, or -1 with *err ("No route to host", "Message too long", ...). */
int udp_sendto(struct udp_sock *s, const struct tp_addr *to, const uint8_t *data, size_t len,
               const char **err);
uint16_t udp_local_port(const struct udp_sock *s);
void udp_close(struct udp_sock *s);

/* ---- TCP (transport/tcp.c): RFC 9293 ----------------------------------- */

/* FreeBSD's order and names (netinet/tcp_fsm.h). */
enum tcp_state {
	TCPS_CLOSED,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_FIN_WAIT_2,
	TCPS_TIME_WAIT,
	TCP_NSTATES
};
/* "CLOSED", "LISTEN", "SYN_SENT", ... as netstat prints them. */
const char *tcp_state_name(enum tcp_state s);

struct tcp_conn;
struct tcp_listener;

struct tcp_callbacks {
	/* Active open completed. */
	void (*connected)(void *user, struct tcp_conn *c);
	/* In-order data from the peer. */
	void (*data)(void *user, struct tcp_conn *c, const uint8_t *data, size_t len);
	/* The peer sent FIN: no more data will come. */
	void (*closed)(void *user, struct tcp_conn *c);
	/* Refused, reset or timed out ("Connection refused", "Connection reset
	 * by peer", "Operation timed out"); the connection is CLOSED. */
	void (*error)(void *user, struct tcp_conn *c, const char *reason);
	void *user;
};

/* A new connection reached ESTABLISHED: the application sets its
 * callbacks (tcp_set_callbacks) or closes it. */
typedef void (*tcp_accept_fn)(void *user, struct tcp_conn *c);

struct tcp_listener *tcp_listen(struct sim_node *n, int family, uint16_t port,
                                tcp_accept_fn accept, void *user);
void tcp_unlisten(struct tcp_listener *l);

/* Active open to dst (family, address, port, scope). NULL with *err when
 * there is no route or source address. */
struct tcp_conn *tcp_connect(struct sim_node *n, const struct tp_addr *dst,
                             const struct tcp_callbacks *cb, const char **err);
void tcp_set_callbacks(struct tcp_conn *c, const struct tcp_callbacks *cb);
/* Queue data (sent once established). len, or -1 when the connection can
 * no longer send. */
long tcp_send(struct tcp_conn *c, const uint8_t *data, size_t len);
/* Orderly close (FIN after the queued data); the handle is given back. */
void tcp_close(struct tcp_conn *c);
/* Reset the connection (RST); the handle is given back. */
void tcp_abort(struct tcp_conn *c);

enum tcp_state tcp_conn_state(const struct tcp_conn *c);
void tcp_conn_endpoints(const struct tcp_conn *c, struct tp_addr *local, struct tp_addr *remote);
/* Bytes queued but not yet acknowledged by the peer. */
size_t tcp_conn_unacked(const struct tcp_conn *c);

/* Observe every state change of the node's connections (tests, traces). */
typedef void (*tcp_state_fn)(void *user, const struct tcp_conn *c, enum tcp_state from,
                             enum tcp_state to);
void tcp_trace_states(struct sim_node *n, tcp_state_fn fn, void *user);

/* Read-only walk over the node's connections for netstat, in creation
 * order; returns NULL past the end. */
const struct tcp_conn *tcp_conn_at(struct sim_node *n, size_t i);

/* Listening TCP sockets and bound UDP sockets, for netstat -a: the i-th
 * one's local endpoint (address all zero: any); false past the end. */
bool tcp_listener_at(struct sim_node *n, size_t i, struct tp_addr *local);
bool udp_sock_at(struct sim_node *n, size_t i, struct tp_addr *local);

/* TCP counters of a node, as in netstat -s. */
struct tcp_stats {
	uint64_t sndtotal, sndrexmitpack, rcvtotal, rcvbadsum, rcvoutoforder, rcvduppack,
	    connattempt, accepts, connects, drops, timeoutdrop, sndrst;
};
const struct tcp_stats *tcp_get_stats(struct sim_node *n);

#endif /* V6LAB_TRANSPORT_H */
