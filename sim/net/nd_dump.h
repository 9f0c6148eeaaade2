/*
 * The neighbour cache as ndp(8) reads and flushes it: what FreeBSD's
 * kernel hands ndp through the routing socket (state, router flag,
 * solicitations sent, expiry) and its RTM_DELETE of every entry.
 * Public, unlike nd_var.h: apps/ndp.c uses it.
 */
#ifndef V6LAB_ND_DUMP_H
#define V6LAB_ND_DUMP_H

#include "net.h"

/* FreeBSD's net.inet6.icmp6.nd6_gctimer: a STALE entry's lifetime. */
#define ND_GC_TIMER (86400 * SIM_S)

struct nd_info {
	uint8_t addr[16];
	uint8_t mac[6];          /* zero while INCOMPLETE */
	int state;               /* enum nd_state, read as nd_state_of reads it */
	bool is_router;
	uint8_t asked;           /* solicitations sent in this state (ndp's last column) */
	sim_time expire;         /* FreeBSD's la_expire: when its timer acts on the entry */
};

/* Every entry of ifp, sorted by address (hash order must never show). */
void nd_dump(struct sim_iface *ifp, void (*fn)(void *user, const struct nd_info *e),
             void *user);
/* Delete every entry of ifp (ndp -c), calling fn with each address first,
 * in address order. Held packets are dropped. Returns how many. */
size_t nd_flush(struct sim_iface *ifp, void (*fn)(void *user, const uint8_t addr[16]),
                void *user);

/* One entry of the prefix list (ndp -p), FreeBSD's struct in6_prefix. */
#define ND_INFINITE_LIFETIME 0xffffffffu
#define ND_PREFIX_MAX_ROUTERS 4
struct nd_prefix_info {
	uint8_t prefix[16];      /* no scope: print with the interface */
	uint8_t plen;
	bool onlink, autonomous; /* the RA's L and A flags */
	bool installed;          /* O: its on-link route is in the table */
	uint32_t vltime, pltime; /* in s, ND_INFINITE_LIFETIME */
	sim_time expire;         /* SIM_NEVER for an infinite vltime */
	unsigned refs;           /* addresses formed from or configured in it */
	uint8_t routers[ND_PREFIX_MAX_ROUTERS][16]; /* advertising routers */
	size_t nrouters;
};

/* The prefix list of ifp (nd_prefix.c): prefixes learnt from RAs, newest
 * first, then those of configured addresses (lifetimes infinite, no
 * advertising router). */
void nd_prefix_dump(struct sim_iface *ifp, void (*fn)(void *user, const struct nd_prefix_info *p),
                    void *user);

#endif /* V6LAB_ND_DUMP_H */
