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

#endif /* V6LAB_ND_DUMP_H */
