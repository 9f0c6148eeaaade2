/*
 * v6lab engine: virtual clock, event heap, PRNG, packet buffers, nodes,
 * interfaces, links and the taps that watch every frame.
 *
 * Determinism rules (DESIGN.md): time is virtual (ns since the scenario's
 * start), events run in (time, insertion order), every random choice comes
 * from sim->prng, nothing depends on pointer values, hash order, the locale
 * or the environment.
 */
#ifndef V6LAB_SIM_H
#define V6LAB_SIM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sim_time; /* nanoseconds since the scenario's start */
#define SIM_US 1000ull
#define SIM_MS 1000000ull
#define SIM_S 1000000000ull
#define SIM_NEVER UINT64_MAX

struct sim;
struct sim_node;
struct sim_iface;
struct sim_link;

/* Allocation that cannot fail (core/alloc.c): on overflow or exhaustion
 * the simulator stops with a message rather than run half a scenario. */
void *sim_xrealloc(void *p, size_t nmemb, size_t size);
void *sim_xcalloc(size_t nmemb, size_t size);
char *sim_xstrdup(const char *s);

/* ------------------------------------------------------------------ */
/* PRNG (core/prng.c): xoshiro256** seeded through splitmix64           */
/* ------------------------------------------------------------------ */
struct sim_prng {
	uint64_t s[4];
};
void prng_seed(struct sim_prng *r, uint64_t seed);
uint64_t prng_next(struct sim_prng *r);
uint32_t prng_below(struct sim_prng *r, uint32_t n); /* uniform in [0, n), n > 0 */
double prng_unit(struct sim_prng *r);                /* uniform in [0, 1) */

/* ------------------------------------------------------------------ */
/* Events (core/event.c): a 4-ary min-heap of small records             */
/* ------------------------------------------------------------------ */
typedef void (*sim_event_fn)(struct sim *sim, void *obj, uint64_t arg);

struct sim_event {
	sim_time time;
	uint64_t seq;     /* insertion order breaks ties */
	sim_event_fn fn;
	void *obj;
	uint64_t arg;
};

struct sim_heap {
	struct sim_event *ev;
	size_t n, cap;
	uint64_t next_seq;
};

void heap_init(struct sim_heap *h);
void heap_free(struct sim_heap *h);
void heap_push(struct sim_heap *h, sim_time t, sim_event_fn fn, void *obj, uint64_t arg);
bool heap_pop(struct sim_heap *h, struct sim_event *out);
const struct sim_event *heap_peek(const struct sim_heap *h);

/*
 * Cancellable timers without searching the heap: the owner keeps a
 * generation number, passes it as `arg`, and bumps it to cancel; the
 * handler ignores an event whose arg is not the current generation.
 */
struct sim_timer {
	uint64_t gen;
	sim_time when; /* SIM_NEVER when not armed */
};
void timer_arm(struct sim *sim, struct sim_timer *t, sim_time when, sim_event_fn fn, void *obj);
void timer_cancel(struct sim_timer *t);
static inline bool timer_current(const struct sim_timer *t, uint64_t arg) { return t->gen == arg; }

/* ------------------------------------------------------------------ */
/* Packet buffers (core/pbuf.c): pooled, reference-counted               */
/* ------------------------------------------------------------------ */
#define PBUF_SIZE 2048
#define PBUF_HEADROOM 128

/*
 * A frame in flight. Frames delivered to receivers are shared (refs > 1)
 * and therefore READ-ONLY: a receiver parses through pointers and copies
 * into a new pbuf what it sends on (forwarding rewrites the hop limit).
 */
struct pbuf {
	uint32_t refs;
	uint32_t len;      /* bytes from data() */
	uint32_t off;      /* data() == buf + off */
	uint32_t next;     /* free-list link (pool index) */
	uint8_t buf[PBUF_SIZE];
};

struct pbuf *pbuf_alloc(struct sim *sim);               /* refs 1, off HEADROOM, len 0 */
void pbuf_hold(struct pbuf *p);
void pbuf_release(struct sim *sim, struct pbuf *p);     /* back to the pool at 0 refs */
struct pbuf *pbuf_copy(struct sim *sim, const uint8_t *data, size_t len);
static inline uint8_t *pbuf_data(struct pbuf *p) { return p->buf + p->off; }
uint8_t *pbuf_prepend(struct pbuf *p, size_t n);        /* room for a header in front */
uint8_t *pbuf_append(struct pbuf *p, size_t n);         /* room at the end; NULL if full */

struct pbuf_pool {
	struct pbuf **chunks;  /* grown in chunks; pbufs never move */
	size_t nchunks;
	uint32_t free_head;    /* 1-based index, 0 = empty */
	uint32_t count, in_use, peak;
};

/* ------------------------------------------------------------------ */
/* Output: per-node transcript lines, in time order (core/output.c)      */
/* ------------------------------------------------------------------ */
struct sim_line {
	sim_time time;
	uint32_t node;        /* node id */
	uint8_t is_command;   /* a prompt + command line, not output */
	char *text;           /* without newline */
};

struct sim_output {
	struct sim_line *lines;
	size_t n, cap;
};

/* Append one line (or several, split at '\n') of a node's output. */
void sim_say(struct sim_node *node, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_vsay(struct sim_node *node, const char *fmt, va_list ap);
/* Record the command a node is running, shown with its prompt. */
void sim_say_command(struct sim_node *node, const char *cmdline);

/* ------------------------------------------------------------------ */
/* Topology (core/topo.c)                                              */
/* ------------------------------------------------------------------ */
enum sim_node_kind { NODE_FREEBSD, NODE_HOST, NODE_ROUTER, NODE_BRIDGE, NODE_ISP };
enum sim_link_kind { LINK_ETHERNET, LINK_P2P, LINK_PATH };

#define SIM_IFF_UP          0x1
#define SIM_IFF_BROADCAST   0x2
#define SIM_IFF_LOOPBACK    0x8
#define SIM_IFF_POINTOPOINT 0x10
#define SIM_IFF_RUNNING     0x40
#define SIM_IFF_SIMPLEX     0x800
#define SIM_IFF_MULTICAST   0x8000

#define SIM_MAX_IFACES 8
#define SIM_NAME_MAX 32

struct sim_iface {
	struct sim_node *node;
	struct sim_link *link;        /* NULL when not attached */
	char name[16];                /* "sk0", "em0", "tun0" */
	uint32_t index;               /* FreeBSD if_index: the IPv6 scope id */
	uint8_t mac[6];
	uint32_t mtu;
	uint32_t flags;               /* IFF_* */
	sim_time tx_busy_until;       /* serialisation on the link */
	uint64_t ipackets, opackets, ibytes, obytes, ierrors, oerrors, drops;
	/* Protocol state of this interface, owned by the net/ modules. */
	struct in6_ifstate *in6;      /* addresses, groups, ND (net/ip6 + nd) */
	struct in4_ifstate *in4;      /* addresses, ARP (net/ip4 + arp) */
	/* Frames received are handed here (set by the node kind's stack). */
	void (*input)(struct sim_iface *ifp, struct pbuf *frame);
	/* A virtual interface with no link of its own (ppp(8)'s tun0, a 6in4
	 * tunnel's gif0): IP packets leaving through it are handed here instead
	 * of to a link; the owner frames them (PPP, IPv4) and takes the pbuf.
	 * What it receives it passes to ip6_input/ip4_input on this iface. */
	void (*output)(struct sim_iface *ifp, struct pbuf *ip_packet, int family);
	void *output_user;
	/* Receives every frame on its segment (bridge ports); change it with
	 * sim_iface_set_promisc so the link's list follows. */
	bool promisc;
};

struct sim_node {
	struct sim *sim;
	uint32_t id;                  /* index in sim->nodes */
	char name[SIM_NAME_MAX];
	enum sim_node_kind kind;
	struct sim_iface *ifaces[SIM_MAX_IFACES];
	int nifaces;
	uint32_t next_ifindex;
	/* Owned by the modules named, NULL until they set it up. */
	struct net_node *net;         /* routing tables, forwarding, sysctls (net/) */
	struct transport_node *tp;    /* sockets, TCP/UDP (transport/) */
	struct apps_node *apps;       /* running commands (apps/) */
	struct bridge_state *bridge;  /* NODE_BRIDGE only (core/bridge.c) */
	struct sim_file *files;       /* files placed by the scenario (`file` lines) */
	size_t nfiles;
};

/* A file on a node's simulated filesystem (ppp.conf, dhcp6c.conf, ...). */
struct sim_file {
	char *path;                   /* "/etc/ppp/ppp.conf" */
	char *data;                   /* NUL-terminated copy */
	size_t len;
	char *origin;                 /* where it came from, for file:line errors */
};

/* A frame on a link, as the taps see it. */
struct sim_frame_info {
	const struct sim_link *link;
	const struct sim_iface *from; /* sending interface; NULL: injected (replay) */
	sim_time time;                /* when it went onto the link */
	const uint8_t *data;
	size_t len;
	bool lost;                    /* dropped by the link's loss model */
};

typedef void (*sim_tap_fn)(void *user, const struct sim_frame_info *f);

struct sim_tap {
	sim_tap_fn fn;
	void *user;
};

/* Link type of a link's capture: DLT_EN10MB for ethernet, DLT_RAW for p2p/path. */
struct sim_link {
	struct sim *sim;
	uint32_t id;
	char name[SIM_NAME_MAX];
	enum sim_link_kind kind;
	sim_time delay;               /* propagation, one way */
	uint64_t bandwidth_bps;       /* 0 = infinite */
	double loss;                  /* probability a frame is lost */
	uint32_t mtu;
	uint32_t routers;             /* LINK_PATH: forwarding nodes in a row */
	struct sim_iface **ifaces;
	size_t nifaces;
	/* Ethernet delivery without every NIC filtering: unicast MAC -> iface,
	 * multicast MAC -> ifaces that joined (core/link.c). */
	struct mac_table *unicast;
	struct mac_table *multicast;
	struct sim_tap *taps;
	size_t ntaps;
	uint64_t frames, bytes;
	/* Promiscuous interfaces attached (bridge ports): they get every frame. */
	struct sim_iface **promisc;
	size_t npromisc;
};

struct sim {
	sim_time now;
	sim_time start_unix_ns;       /* wall-clock date of time 0 (the scenario's `start`) */
	struct sim_prng prng;
	struct sim_heap heap;
	struct pbuf_pool pool;
	struct sim_node **nodes;
	size_t nnodes;
	struct sim_link **links;
	size_t nlinks;
	struct sim_output out;
	uint64_t events_run;
	bool stop;
	/* Cleanup registered by modules (sim_on_free), run in reverse order. */
	struct sim_free_hook *free_hooks;
	size_t nfree_hooks, free_hooks_cap;
};

struct sim_free_hook {
	void (*fn)(struct sim *sim, void *user);
	void *user;
};

struct sim *sim_new(uint64_t seed, sim_time start_unix_ns);
void sim_free(struct sim *sim);
/* Register a module's cleanup (node states, ...): sim_free runs the hooks
 * in reverse order of registration, before nodes and links are freed. */
void sim_on_free(struct sim *sim, void (*fn)(struct sim *sim, void *user), void *user);

/* Schedule fn(sim, obj, arg) at an absolute time / after a delay. */
void sim_at(struct sim *sim, sim_time when, sim_event_fn fn, void *obj, uint64_t arg);
void sim_after(struct sim *sim, sim_time delay, sim_event_fn fn, void *obj, uint64_t arg);
/* Run events up to and including time `until` (sim->now ends at until). */
void sim_run_until(struct sim *sim, sim_time until);

struct sim_node *sim_node_add(struct sim *sim, const char *name, enum sim_node_kind kind);
struct sim_node *sim_node_find(const struct sim *sim, const char *name);
struct sim_iface *sim_iface_add(struct sim_node *node, const char *name, const uint8_t mac[6]);
struct sim_iface *sim_iface_find(const struct sim_node *node, const char *name);
struct sim_iface *sim_iface_by_index(const struct sim_node *node, uint32_t index);
/* Change an interface's MAC (`ifconfig ether`), keeping its link's
 * delivery table right; use it instead of writing ifp->mac once attached. */
void sim_iface_set_mac(struct sim_iface *ifp, const uint8_t mac[6]);
void sim_iface_set_promisc(struct sim_iface *ifp, bool on);

struct sim_link *sim_link_add(struct sim *sim, const char *name, enum sim_link_kind kind);
struct sim_link *sim_link_find(const struct sim *sim, const char *name);
int sim_link_attach(struct sim_link *link, struct sim_iface *ifp);
void sim_link_tap(struct sim_link *link, sim_tap_fn fn, void *user);

/*
 * Send a frame on the interface's link. Ethernet: `frame` starts at the
 * Ethernet header; p2p/path: at the IP header. Takes over the caller's
 * reference. Delivery: after serialisation (bandwidth) and delay, to the
 * interface owning the destination MAC, to the members of a multicast
 * group, or to every other interface for broadcast; p2p: the other end.
 * Promiscuous interfaces (bridge ports) get every frame; a unicast MAC no
 * interface owns reaches only them (a NIC drops what is not its own). A
 * down interface neither sends nor receives; an oversized frame is
 * dropped and counted in oerrors.
 */
void sim_link_send(struct sim_iface *ifp, struct pbuf *frame);

/*
 * Put a frame from outside the simulation onto a link (scenario `replay`):
 * taps see it with `from` NULL, then it is delivered as sim_link_send's
 * frames are (Ethernet: by destination MAC; p2p: to both ends). Takes over
 * the caller's reference; an Ethernet frame shorter than its header is
 * dropped.
 */
void sim_link_inject(struct sim_link *link, struct pbuf *frame);

/* Multicast membership of an interface on its Ethernet segment. */
void sim_link_join(struct sim_iface *ifp, const uint8_t mac[6]);
void sim_link_leave(struct sim_iface *ifp, const uint8_t mac[6]);

/* Place (replace) a file on a node; NULL from get when absent. */
int sim_file_put(struct sim_node *node, const char *path, const char *data, size_t len,
                 const char *origin);
const struct sim_file *sim_file_get(const struct sim_node *node, const char *path);

/*
 * A `path` link: `routers` forwarding nodes in a row between a and b, the
 * total delay split evenly over routers+1 point-to-point hops. The hidden
 * routers are named "<link>-r1".."<link>-rN" (kind NODE_ROUTER). The link
 * returned is the first hop, whose capture is the link's capture.
 */
struct sim_link *sim_path_add(struct sim *sim, const char *name, struct sim_iface *a,
                              struct sim_iface *b, uint32_t routers, sim_time delay);

/*
 * NODE_BRIDGE (core/bridge.c): a learning switch between its interfaces.
 * sim_node_add creates the state and sim_iface_add makes every interface
 * of a bridge a promiscuous, up port whose input is bridge_input: nothing
 * else needs to be called. Learned entries age out after BRIDGE_AGE.
 */
#define BRIDGE_AGE (300 * SIM_S)
int bridge_node_init(struct sim_node *n);
void bridge_port_init(struct sim_iface *ifp);
void bridge_input(struct sim_iface *ifp, struct pbuf *frame);
void bridge_node_free(struct sim_node *n);
/* Port (index in node->ifaces) a MAC was learned on, -1 when unknown. */
int bridge_lookup(const struct sim_node *n, const uint8_t mac[6]);

/* Unix time of the virtual clock, for Date: headers and log lines. */
static inline uint64_t sim_unix_ns(const struct sim *sim) { return sim->start_unix_ns + sim->now; }

#endif /* V6LAB_SIM_H */
