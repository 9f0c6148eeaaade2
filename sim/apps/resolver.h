/*
 * getaddrinfo(3) for the simulated commands (telnet NAME): asks the first
 * `nameserver` of the node's /etc/resolv.conf (127.0.0.1 without one) for
 * the name's AAAA records, then its A records, over UDP, and hands back
 * the addresses IPv6 first, as FreeBSD's default address selection
 * policy orders them. A numeric address needs no lookup and is answered
 * at once.
 */
#ifndef V6LAB_RESOLVER_H
#define V6LAB_RESOLVER_H

#include "../transport/transport.h"

#define RESOLVER_MAX_ADDRS 8

/* FreeBSD's gai_strerror texts. */
#define RESOLVER_ENONAME "hostname nor servname provided, or not known"
#define RESOLVER_EAGAIN "Temporary failure in name resolution"

/* n addresses (n > 0), or n == 0 and err one of the texts above. */
typedef void (*resolver_done_fn)(void *user, const struct tp_addr *addrs, size_t n,
                                 const char *err);

/*
 * Start resolving `name`; `done` is called exactly once — before this
 * returns when the name is a numeric address. The lookup's state is the
 * node's until the simulation ends. Returns 0, or -1 (nothing called)
 * when the node has no transport.
 */
int resolver_lookup(struct sim_node *n, const char *name, resolver_done_fn done, void *user);

/* The first `nameserver` of the node's /etc/resolv.conf, as text, into
 * buf; "127.0.0.1" (the resolver's default) when there is none. */
void resolver_nameserver(const struct sim_node *n, char *buf, size_t len);

#endif /* V6LAB_RESOLVER_H */
