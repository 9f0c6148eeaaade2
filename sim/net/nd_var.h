/*
 * Internal state of Neighbor Discovery (RFC 4861) and SLAAC (RFC 4862),
 * shared by nd.c (neighbour cache, NS/NA), nd_dad.c (duplicate address
 * detection), nd_rtr.c (RS/RA, default routers, rtadvd) and slaac.c.
 * Not for other modules: they use net.h.
 */
#ifndef V6LAB_ND_VAR_H
#define V6LAB_ND_VAR_H

#include "net.h"

/* RFC 4861 section 10 constants, in ms. */
#define ND_MAX_MULTICAST_SOLICIT 3
#define ND_MAX_UNICAST_SOLICIT 3
#define ND_RETRANS_TIMER_MS 1000
#define ND_REACHABLE_TIME_MS 30000
#define ND_DELAY_FIRST_PROBE_MS 5000
#define ND_MAX_RTR_SOLICITATIONS 3
#define ND_RTR_SOLICITATION_INTERVAL_MS 4000
#define ND_MAX_RTR_SOLICITATION_DELAY_MS 1000
#define ND_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS 16000
#define ND_MAX_INITIAL_RTR_ADVERTISEMENTS 3
#define ND_MIN_DELAY_BETWEEN_RAS_MS 3000
#define ND_MAX_RA_DELAY_TIME_MS 500
#define ND_DAD_TRANSMITS 1

/* ICMPv6 types of ND. */
#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_REDIRECT 137

/* Option types (RFC 4861 4.6). */
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
#define ND_OPT_PREFIX_INFORMATION 3
#define ND_OPT_MTU 5

#define ND_NA_FLAG_ROUTER 0x80
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20

/*
 * A neighbour. Entries are never freed while the interface lives (a
 * timer event may still point at one): a deleted entry goes to a free
 * list and its timer generation keeps counting, so stale events miss.
 */
struct nd_entry {
	struct sim_iface *ifp;
	struct pbuf *hold;          /* BSD's ln_hold: one packet awaiting resolution */
	struct nd_entry *next_free;
	sim_time reachable_until;   /* REACHABLE reads as STALE after this */
	struct sim_timer timer;     /* retransmission / DELAY / PROBE */
	uint8_t addr[16];
	uint8_t mac[6];
	uint8_t state;              /* enum nd_state */
	uint8_t asked;              /* solicitations sent in this state */
	bool is_router;
	bool in_use;
};

/* An address under DAD: one NS, then RetransTimer of silence. */
struct nd_dad {
	uint8_t addr[16];
	sim_time due;               /* when to send the NS / to declare success */
	uint8_t sent;
};

#define ND_MAX_ROUTERS 4
struct nd_router {
	uint8_t addr[16];
	sim_time expires;
};

/* A prefix learnt from RAs (FreeBSD's nd_prefix, the list `ndp -p` shows;
 * nd_prefix.c). Prefixes of configured addresses are not stored here:
 * nd_prefix_dump derives them from the addresses. */
#define ND_MAX_PREFIXES 8
struct nd_prefix {
	uint8_t prefix[16];         /* host bits clear, no scope */
	uint8_t plen;
	bool onlink, autonomous;    /* the L and A flags: once set, never cleared */
	uint32_t vltime, pltime;    /* as last advertised with L, in s */
	sim_time expire;            /* SIM_NEVER for an infinite vltime */
	uint8_t routers[ND_MAX_ROUTERS][16];
	size_t nrouters;
};

/* rtadvd on one interface. */
struct nd_rtadv {
	struct nd_ra_prefix *pfx;
	size_t npfx;
	uint16_t lifetime_s;
	uint32_t min_interval_ms, max_interval_ms;
	unsigned sent;              /* RAs sent (the first 3 come quicker) */
	sim_time last_mcast;        /* SIM_NEVER before the first */
	struct sim_timer timer;
};

struct nd_ifstate {
	/* Neighbour cache: open addressing (linear probing) over entry
	 * pointers, power-of-two size; a host has 1-2 entries, a router one
	 * per host of the LAN. */
	struct nd_entry **slot;
	uint32_t mask, n;
	struct nd_entry **all;      /* every entry ever allocated, to free */
	size_t nall, allcap;
	struct nd_entry *free;
	/* Per-link parameters, from RAs (RFC 4861 6.3.2). */
	uint32_t base_reachable_ms, reachable_ms, retrans_ms;
	uint8_t chlim;              /* 0 = net.inet6.ip6.hlim */
	uint32_t linkmtu;           /* 0 = the interface's */
	/* DAD */
	struct nd_dad *dad;
	size_t ndad, dadcap;
	struct sim_timer dad_timer;
	/* Router solicitation (hosts). */
	uint8_t rs_left;
	struct sim_timer rs_timer;
	/* Default router list, and the timer expiring routers/prefixes/addresses. */
	struct nd_router routers[ND_MAX_ROUTERS];
	size_t nrouters;
	struct sim_timer life_timer;
	struct nd_prefix prefixes[ND_MAX_PREFIXES]; /* newest first, as FreeBSD's list */
	size_t nprefixes;
	struct nd_rtadv *rtadv;
};

struct nd_ifstate *nd_ifstate_get(struct sim_iface *ifp);
void nd_ifstate_free(struct sim *sim, struct nd_ifstate *nd);
void nd_timer_init(struct sim_timer *t);

/* Option walk: 0 ok, -1 malformed (zero length, overruns). For each
 * option fn(user, type, data, len_bytes) is called. */
int nd_options(const uint8_t *opt, size_t len,
               void (*fn)(void *user, uint8_t type, const uint8_t *o, size_t olen), void *user);
/* The link-layer address option of `type`: 1 found, 0 absent, -1 malformed. */
int nd_find_lladdr(const uint8_t *opt, size_t len, uint8_t type, uint8_t mac[6]);
/* Send an ND message (ICMPv6 with checksum filled in here), hlim 255, out of ifp. */
void nd_send(struct sim_iface *ifp, const uint8_t src[16], const uint8_t dst[16], uint8_t *msg,
             size_t len);
/* Unsolicited knowledge of a neighbour's MAC (NS/RS/RA source option):
 * RFC 4861 7.2.3 / 6.2.6 / 6.3.4: create STALE, or STALE when it changed. */
void nd_neighbor_learn(struct sim_iface *ifp, const uint8_t addr[16], const uint8_t mac[6],
                       int is_router);
void nd_ns_send(struct sim_iface *ifp, const uint8_t *src, const uint8_t target[16],
                const uint8_t *dst_unicast);

/* nd_dad.c */
void nd_dad_start(struct sim_iface *ifp, const uint8_t addr[16], sim_time delay);
void nd_dad_stop(struct sim_iface *ifp, const uint8_t addr[16]);
/* An NS/NA about a tentative address of ours: DAD failed (RFC 4862 5.4.3/5.4.4). */
void nd_dad_duplicate(struct sim_iface *ifp, const uint8_t addr[16]);

/* nd_rtr.c */
void nd_rs_start(struct sim_iface *ifp);
void nd_rs_input(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp, size_t len);
void nd_ra_input(struct sim_iface *ifp, const uint8_t *ip6, const uint8_t *icmp, size_t len);
/* Re-arm the interface's lifetime timer for the nearest expiry. */
void nd_lifetimes_update(struct sim_iface *ifp);
/* A link-local address finished DAD (starts router solicitation). */
void nd_linklocal_ready(struct sim_iface *ifp);

/* nd_prefix.c: a Prefix Information option from `router` (NULL when the
 * RA's router lifetime is 0: FreeBSD then records no advertising router). */
void nd_prefix_learn(struct sim_iface *ifp, const uint8_t *router, const uint8_t prefix[16],
                     uint8_t plen, uint8_t flags, uint32_t vltime, uint32_t pltime);

static inline uint16_t nd_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t nd_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void nd_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void nd_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif /* V6LAB_ND_VAR_H */
