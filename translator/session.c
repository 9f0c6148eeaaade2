/*
 * NAPT state of RFC 6146: the Binding Information Base (BIB) and the
 * session table, with the TCP state machine of section 3.5.2.
 *
 * Built for the per-packet path:
 *   - every array is allocated once, with calloc, in table_create(); pages
 *     no session ever touched cost nothing, and the packet path never
 *     allocates;
 *   - entries refer to each other by 32-bit index; index 0 is "none", so
 *     zeroed memory is an empty table (no initialisation pass over 16 M slots);
 *   - three index-chained hash tables with power-of-two buckets: BIB by
 *     (proto, v6, port), BIB by (proto, pool4 addr, port), sessions by
 *     (bib, remote4, remote port);
 *   - each timer class has a constant timeout, so one FIFO list per class,
 *     ordered by expiry: a refresh moves the session to the tail, expiry
 *     pops from the head, both O(1).
 *
 * Time: a session is alive while now < expires_ns, expires_ns being the
 * time of the last refresh plus the timeout: at last+timeout-1ns it is
 * alive, at last+timeout it is gone. Callers must pass a now_ns that does
 * not go backwards (it never crashes if it does; expiry just gets late).
 * Every sessions_out/sessions_in first drops what has expired, so results
 * do not depend on whether or when sessions_expire() is called.
 *
 * Choices where RFC 6146 leaves room or the contract is silent:
 *   - a v4 SYN opening a session (static binding, or EIF) enters V4_INIT
 *     with the TCP_INCOMING_SYN timer (6 s); the SYN is translated at
 *     once, not stored;
 *   - a TCP segment other than SYN from the v4 side, for a binding with no
 *     session to that remote, gives NAT6TO4_R_NOT_SYN (as from the v6 side);
 *   - a protocol other than 6, 17, 1 gives NAT6TO4_R_UNSUPPORTED_PROTO;
 *   - a session opened from the v4 side takes the prefix index of another
 *     session of its binding with the same remote address, else 0;
 *   - sessions dropped by a reload count as expired, so that
 *     created == expired + active always holds.
 */
#include "internal.h"

#include <stdlib.h>

#define NONE 0u              /* the null index of every table */
#define NS_PER_S 1000000000ull
#define TCP_INCOMING_SYN_S 6 /* RFC 6146 3.5.2.2, not configurable */

/* Timer classes: the first four are enum n64_timeout. */
enum timer_class { CLS_UDP, CLS_TCP_EST, CLS_TCP_TRANS, CLS_ICMP, CLS_TCP_SYN4, CLS_COUNT };

/* RFC 6146 3.5.2 TCP states; UDP and ICMP sessions stay in TCP_NONE. */
enum tcp_state {
	TCP_NONE,
	TCP_V4_INIT,
	TCP_V6_INIT,
	TCP_ESTABLISHED,
	TCP_V4_FIN_RCV,
	TCP_V6_FIN_RCV,
	TCP_V6_FIN_V4_FIN,
	TCP_TRANS,
};

static const char *const tcp_state_name[] = {
	[TCP_NONE] = "CLOSED",
	[TCP_V4_INIT] = "V4_INIT",
	[TCP_V6_INIT] = "V6_INIT",
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_V4_FIN_RCV] = "V4_FIN_RCV",
	[TCP_V6_FIN_RCV] = "V6_FIN_RCV",
	[TCP_V6_FIN_V4_FIN] = "V6_FIN_V4_FIN",
	[TCP_TRANS] = "TRANS",
};

enum side { FROM_V6, FROM_V4 };

/* 40 bytes. */
struct n64_session {
	uint64_t expires_ns;
	uint32_t bib;            /* owning BIB entry; NONE when the slot is free */
	n64_v4 remote4;
	uint16_t remote_port;
	uint8_t prefix_idx;      /* prefix under which the v6 host knows remote4 */
	uint8_t tcp_state;
	uint32_t hnext;          /* hash chain; free-list link when free */
	uint32_t lprev, lnext;   /* FIFO of its timer class */
	uint32_t bprev, bnext;   /* sessions of the same BIB entry */
};

/* 44 bytes. */
struct n64_bib {
	uint8_t v6[16];
	n64_v4 v4;
	uint16_t v6port, v4port;
	uint8_t proto;           /* 0 when the slot is free */
	uint8_t is_static;
	uint16_t unused;
	uint32_t nsessions;
	uint32_t sessions;       /* head of its session list */
	uint32_t next6, next4;   /* hash chains; next6 is the free-list link */
};

struct fifo {
	uint32_t head, tail;
};

struct n64_sessions {
	/* What the packet path needs from the configuration, copied in. */
	uint64_t timeout_ns[CLS_COUNT];
	enum n64_filtering filtering;
	struct n64_pool pool[N64_MAX_POOLS];
	int npool;
	uint32_t max_sessions;

	struct n64_session *sess;    /* [sess_cap + 1], index 0 unused */
	uint32_t sess_cap, sess_top, sess_free, sess_active;
	struct n64_bib *bib;         /* [bib_cap + 1], index 0 unused */
	uint32_t bib_cap, bib_top, bib_free, bib_active;
	uint32_t *sess_bucket, *bib6_bucket, *bib4_bucket;
	uint32_t sess_mask, bib_mask;    /* buckets - 1 */
	unsigned sess_shift, bib_shift;  /* 64 - log2(buckets) */

	struct fifo fifo[CLS_COUNT];
	uint64_t next_expiry_ns;     /* no head expires before this */
	uint64_t created, expired;
};

/* ------------------------------------------------------------------ */
/* Hashing: seedless, multiplicative, bucket from the top bits          */
/* ------------------------------------------------------------------ */

/*
 * Keys are combined as whole words, each word multiplied by its own odd
 * constant (independent multiplies, so the latency is about one), and
 * the bucket is the top bits of a last multiply, which depend on every
 * bit of the combined value.
 */
#define K1 0x9e3779b97f4a7c15ull
#define K2 0xc2b2ae3d27d4eb4full
#define K3 0x165667b19e3779f9ull
#define K4 0xbf58476d1ce4e5b9ull

static inline uint32_t bucket_of(uint64_t h, unsigned shift)
{
	return (uint32_t)((h * K4) >> shift);
}

/* Every output bit depends on every input bit: for choices made by
 * modulo (pool address, first port), where low bits must be good too. */
static inline uint64_t avalanche(uint64_t h)
{
	h = (h ^ (h >> 32)) * 0xd6e8feb86659fd93ull;
	h = (h ^ (h >> 32)) * 0xd6e8feb86659fd93ull;
	return h ^ (h >> 32);
}

static inline uint64_t hash_host(const uint8_t v6[16])
{
	uint64_t hi, lo;
	memcpy(&hi, v6, 8);
	memcpy(&lo, v6 + 8, 8);
	return hi * K1 ^ (lo ^ (lo >> 32)) * K2;
}

static inline uint64_t hash_bib6(uint8_t proto, const uint8_t v6[16], uint16_t port)
{
	return hash_host(v6) ^ ((uint64_t)proto << 16 | port) * K3;
}

static inline uint64_t hash_bib4(uint8_t proto, n64_v4 v4, uint16_t port)
{
	return ((uint64_t)v4 << 24 | (uint64_t)port << 8 | proto) * K1;
}

static inline uint64_t hash_sess(uint32_t bib, n64_v4 remote4, uint16_t rport)
{
	return ((uint64_t)bib << 32 | remote4) * K1 ^ (uint64_t)rport * K2;
}

/* ------------------------------------------------------------------ */
/* Timers                                                               */
/* ------------------------------------------------------------------ */

static enum timer_class class_of(uint8_t proto, uint8_t state)
{
	if (proto == 17)
		return CLS_UDP;
	if (proto == 1)
		return CLS_ICMP;
	switch (state) {
	case TCP_V4_INIT:
		return CLS_TCP_SYN4;
	case TCP_ESTABLISHED:
	case TCP_V4_FIN_RCV:
	case TCP_V6_FIN_RCV:
		return CLS_TCP_EST;
	default:
		return CLS_TCP_TRANS;
	}
}

static uint64_t add_saturated(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void fifo_append(struct n64_sessions *s, enum timer_class c, uint32_t x)
{
	struct fifo *q = &s->fifo[c];
	s->sess[x].lnext = NONE;
	s->sess[x].lprev = q->tail;
	if (q->tail)
		s->sess[q->tail].lnext = x;
	else
		q->head = x;
	q->tail = x;
	/* Only a new head can lower the earliest expiry. */
	if (q->head == x && s->sess[x].expires_ns < s->next_expiry_ns)
		s->next_expiry_ns = s->sess[x].expires_ns;
}

static void fifo_unlink(struct n64_sessions *s, enum timer_class c, uint32_t x)
{
	struct fifo *q = &s->fifo[c];
	struct n64_session *e = &s->sess[x];
	if (e->lprev)
		s->sess[e->lprev].lnext = e->lnext;
	else
		q->head = e->lnext;
	if (e->lnext)
		s->sess[e->lnext].lprev = e->lprev;
	else
		q->tail = e->lprev;
}

/* (Re)start the timer of session x in class `to` (it was in class `from`). */
static void session_arm(struct n64_sessions *s, uint32_t x, enum timer_class from,
                        enum timer_class to, uint64_t now_ns)
{
	s->sess[x].expires_ns = add_saturated(now_ns, s->timeout_ns[to]);
	if (from == to && s->fifo[to].tail == x)
		return; /* already last: the common case of one busy flow */
	fifo_unlink(s, from, x);
	fifo_append(s, to, x);
}

/* ------------------------------------------------------------------ */
/* BIB entries                                                          */
/* ------------------------------------------------------------------ */

static uint32_t bib_find6(const struct n64_sessions *s, uint8_t proto, const uint8_t v6[16],
                          uint16_t port)
{
	uint32_t b = s->bib6_bucket[bucket_of(hash_bib6(proto, v6, port), s->bib_shift)];
	for (; b; b = s->bib[b].next6) {
		const struct n64_bib *e = &s->bib[b];
		if (e->v6port == port && e->proto == proto && memcmp(e->v6, v6, 16) == 0)
			return b;
	}
	return NONE;
}

static uint32_t bib_find4(const struct n64_sessions *s, uint8_t proto, n64_v4 v4, uint16_t port)
{
	uint32_t b = s->bib4_bucket[bucket_of(hash_bib4(proto, v4, port), s->bib_shift)];
	for (; b; b = s->bib[b].next4) {
		const struct n64_bib *e = &s->bib[b];
		if (e->v4 == v4 && e->v4port == port && e->proto == proto)
			return b;
	}
	return NONE;
}

/* Caller has checked that neither key is present. NONE when full. */
static uint32_t bib_insert(struct n64_sessions *s, uint8_t proto, const uint8_t v6[16],
                           uint16_t v6port, n64_v4 v4, uint16_t v4port, bool is_static)
{
	uint32_t b;
	if (s->bib_free) {
		b = s->bib_free;
		s->bib_free = s->bib[b].next6;
	} else if (s->bib_top < s->bib_cap) {
		b = ++s->bib_top;
	} else {
		return NONE;
	}
	struct n64_bib *e = &s->bib[b];
	memset(e, 0, sizeof *e);
	memcpy(e->v6, v6, 16);
	e->v6port = v6port;
	e->v4 = v4;
	e->v4port = v4port;
	e->proto = proto;
	e->is_static = is_static;
	uint32_t *h6 = &s->bib6_bucket[bucket_of(hash_bib6(proto, v6, v6port), s->bib_shift)];
	uint32_t *h4 = &s->bib4_bucket[bucket_of(hash_bib4(proto, v4, v4port), s->bib_shift)];
	e->next6 = *h6;
	*h6 = b;
	e->next4 = *h4;
	*h4 = b;
	s->bib_active++;
	return b;
}

static void bib_remove(struct n64_sessions *s, uint32_t b)
{
	struct n64_bib *e = &s->bib[b];
	uint32_t *p = &s->bib6_bucket[bucket_of(hash_bib6(e->proto, e->v6, e->v6port), s->bib_shift)];
	while (*p != b)
		p = &s->bib[*p].next6;
	*p = e->next6;
	p = &s->bib4_bucket[bucket_of(hash_bib4(e->proto, e->v4, e->v4port), s->bib_shift)];
	while (*p != b)
		p = &s->bib[*p].next4;
	*p = e->next4;
	e->proto = 0;
	e->next6 = s->bib_free;
	s->bib_free = b;
	s->bib_active--;
}

/* A session of BIB entry b with this remote address (any port), or NONE. */
static uint32_t bib_session_with_remote(const struct n64_sessions *s, uint32_t b, n64_v4 remote4)
{
	for (uint32_t x = s->bib[b].sessions; x; x = s->sess[x].bnext)
		if (s->sess[x].remote4 == remote4)
			return x;
	return NONE;
}

/* ------------------------------------------------------------------ */
/* Sessions                                                             */
/* ------------------------------------------------------------------ */

static uint32_t sess_find(const struct n64_sessions *s, uint32_t b, n64_v4 remote4, uint16_t rport)
{
	uint32_t x = s->sess_bucket[bucket_of(hash_sess(b, remote4, rport), s->sess_shift)];
	for (; x; x = s->sess[x].hnext) {
		const struct n64_session *e = &s->sess[x];
		if (e->bib == b && e->remote4 == remote4 && e->remote_port == rport)
			return x;
	}
	return NONE;
}

static bool sess_slot_available(const struct n64_sessions *s)
{
	return s->sess_active < s->max_sessions && (s->sess_free || s->sess_top < s->sess_cap);
}

/* Caller has checked sess_slot_available() and that the key is absent. */
static uint32_t sess_insert(struct n64_sessions *s, uint32_t b, n64_v4 remote4, uint16_t rport,
                            uint8_t prefix_idx, uint8_t state, uint64_t expires_ns)
{
	uint32_t x;
	if (s->sess_free) {
		x = s->sess_free;
		s->sess_free = s->sess[x].hnext;
	} else {
		x = ++s->sess_top;
	}
	struct n64_session *e = &s->sess[x];
	memset(e, 0, sizeof *e);
	e->bib = b;
	e->remote4 = remote4;
	e->remote_port = rport;
	e->prefix_idx = prefix_idx;
	e->tcp_state = state;
	e->expires_ns = expires_ns;
	uint32_t *h = &s->sess_bucket[bucket_of(hash_sess(b, remote4, rport), s->sess_shift)];
	e->hnext = *h;
	*h = x;
	struct n64_bib *owner = &s->bib[b];
	e->bnext = owner->sessions;
	if (owner->sessions)
		s->sess[owner->sessions].bprev = x;
	owner->sessions = x;
	owner->nsessions++;
	fifo_append(s, class_of(owner->proto, state), x);
	s->sess_active++;
	return x;
}

/* Remove session x; its BIB entry goes with its last session unless static. */
static void sess_remove(struct n64_sessions *s, uint32_t x)
{
	struct n64_session *e = &s->sess[x];
	uint32_t b = e->bib;
	struct n64_bib *owner = &s->bib[b];
	uint32_t *p = &s->sess_bucket[bucket_of(hash_sess(b, e->remote4, e->remote_port), s->sess_shift)];
	while (*p != x)
		p = &s->sess[*p].hnext;
	*p = e->hnext;
	if (e->bprev)
		s->sess[e->bprev].bnext = e->bnext;
	else
		owner->sessions = e->bnext;
	if (e->bnext)
		s->sess[e->bnext].bprev = e->bprev;
	fifo_unlink(s, class_of(owner->proto, e->tcp_state), x);
	e->bib = NONE;
	e->hnext = s->sess_free;
	s->sess_free = x;
	s->sess_active--;
	if (--owner->nsessions == 0 && !owner->is_static)
		bib_remove(s, b);
}

/* Drop every session whose time has come; returns how many. */
static size_t reap(struct n64_sessions *s, uint64_t now_ns)
{
	size_t n = 0;
	uint64_t next = UINT64_MAX;
	for (int c = 0; c < CLS_COUNT; c++) {
		uint32_t x;
		while ((x = s->fifo[c].head) != NONE && s->sess[x].expires_ns <= now_ns) {
			sess_remove(s, x);
			n++;
		}
		if (x && s->sess[x].expires_ns < next)
			next = s->sess[x].expires_ns;
	}
	s->next_expiry_ns = next;
	s->expired += n;
	return n;
}

static inline void reap_if_due(struct n64_sessions *s, uint64_t now_ns)
{
	if (now_ns >= s->next_expiry_ns)
		reap(s, now_ns);
}

/* ------------------------------------------------------------------ */
/* TCP state machine, RFC 6146 section 3.5.2.2                          */
/* ------------------------------------------------------------------ */

/*
 * Next state of an existing TCP session for a segment with `flags` arriving
 * from `side`. *refresh says whether the timer restarts when the timer
 * class does not change (a change of class always restarts it).
 */
static uint8_t tcp_transition(uint8_t state, enum side side, uint8_t flags, bool *refresh)
{
	bool syn = flags & N64_TCP_SYN, fin = flags & N64_TCP_FIN, rst = flags & N64_TCP_RST;
	*refresh = false;
	switch (state) {
	case TCP_V4_INIT:
		return side == FROM_V6 && syn ? TCP_ESTABLISHED : state;
	case TCP_V6_INIT:
		if (side == FROM_V4 && syn)
			return TCP_ESTABLISHED;
		*refresh = side == FROM_V6 && syn; /* retransmitted SYN */
		return state;
	case TCP_ESTABLISHED:
		*refresh = true;
		if (rst)
			return TCP_TRANS;
		if (fin)
			return side == FROM_V4 ? TCP_V4_FIN_RCV : TCP_V6_FIN_RCV;
		return state;
	case TCP_V4_FIN_RCV:
		*refresh = true;
		return side == FROM_V6 && fin ? TCP_V6_FIN_V4_FIN : state;
	case TCP_V6_FIN_RCV:
		*refresh = true;
		return side == FROM_V4 && fin ? TCP_V6_FIN_V4_FIN : state;
	case TCP_TRANS:
		return rst ? state : TCP_ESTABLISHED;
	default: /* TCP_V6_FIN_V4_FIN: only the timer ends it */
		return state;
	}
}

/* A packet of an existing session: state machine and timer. */
static void session_packet(struct n64_sessions *s, uint32_t x, enum side side, uint8_t flags,
                           uint64_t now_ns)
{
	struct n64_session *e = &s->sess[x];
	uint8_t proto = s->bib[e->bib].proto;
	enum timer_class from = class_of(proto, e->tcp_state);
	if (proto != 6) {
		session_arm(s, x, from, from, now_ns);
		return;
	}
	bool refresh;
	e->tcp_state = tcp_transition(e->tcp_state, side, flags, &refresh);
	enum timer_class to = class_of(proto, e->tcp_state);
	if (refresh || to != from)
		session_arm(s, x, from, to, now_ns);
}

/* ------------------------------------------------------------------ */
/* Pool4 address and port allocation                                    */
/* ------------------------------------------------------------------ */

static uint64_t pool_naddr(const struct n64_pool *p)
{
	if (p->last < p->first || p->port_hi < p->port_lo)
		return 0;
	return (uint64_t)p->last - p->first + 1;
}

/* The n-th address over all pools, in configuration order. */
static const struct n64_pool *pool_addr(const struct n64_sessions *s, uint64_t n, n64_v4 *v4)
{
	for (int i = 0; i < s->npool; i++) {
		uint64_t count = pool_naddr(&s->pool[i]);
		if (n < count) {
			*v4 = s->pool[i].first + (uint32_t)n;
			return &s->pool[i];
		}
		n -= count;
	}
	return NULL;
}

/* Probe the ports of one address from `start` on; true when one is free. */
static bool probe_address(const struct n64_sessions *s, uint8_t proto, const struct n64_pool *p,
                          n64_v4 v4, uint32_t start, uint16_t *port4)
{
	uint32_t nports = (uint32_t)p->port_hi - p->port_lo + 1;
	for (uint32_t i = 0; i < nports; i++) {
		uint16_t port = (uint16_t)(p->port_lo + (start + i) % nports);
		if (!bib_find4(s, proto, v4, port)) {
			*port4 = port;
			return true;
		}
	}
	return false;
}

/*
 * Deterministic choice of a free (pool4 address, port) for a new binding.
 * The address starts from a hash of the IPv6 host alone, so one host's
 * bindings share an address while it has ports (RFC 6146 3.5.1.1 "paired"
 * pooling); the original port is kept when free (port preservation);
 * otherwise ports are probed from a hash of the whole key. At most one
 * probe per existing binding fails, so this ends quickly unless the pool
 * is nearly exhausted.
 */
static bool pool_allocate(const struct n64_sessions *s, uint8_t proto, const uint8_t v6[16],
                          uint16_t port, n64_v4 *v4, uint16_t *port4)
{
	uint64_t total = 0;
	for (int i = 0; i < s->npool; i++)
		total += pool_naddr(&s->pool[i]);
	if (total == 0)
		return false;
	uint64_t first = avalanche(hash_host(v6)) % total;
	uint64_t port_hash = avalanche(hash_bib6(proto, v6, port));
	for (uint64_t k = 0; k < total; k++) {
		const struct n64_pool *p = pool_addr(s, (first + k) % total, v4);
		if (k == 0 && port >= p->port_lo && port <= p->port_hi &&
		    !bib_find4(s, proto, *v4, port)) {
			*port4 = port;
			return true;
		}
		uint32_t nports = (uint32_t)p->port_hi - p->port_lo + 1;
		if (probe_address(s, proto, p, *v4, (uint32_t)(port_hash % nports), port4))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Creation, configuration                                              */
/* ------------------------------------------------------------------ */

/* log2 of the bucket count for n entries: load factor at most 1. */
static unsigned bucket_bits(uint64_t n)
{
	unsigned bits = 4;
	while ((1ull << bits) < n && bits < 31)
		bits++;
	return bits;
}

static void copy_config(struct n64_sessions *s, const struct nat6to4_config *cfg)
{
	for (int c = 0; c < N64_TO_COUNT; c++)
		s->timeout_ns[c] = (uint64_t)cfg->timeout_s[c] * NS_PER_S;
	s->timeout_ns[CLS_TCP_SYN4] = TCP_INCOMING_SYN_S * NS_PER_S;
	s->filtering = cfg->filtering;
	s->npool = cfg->npool < 0 ? 0 : cfg->npool > N64_MAX_POOLS ? N64_MAX_POOLS : cfg->npool;
	memcpy(s->pool, cfg->pool, sizeof s->pool);
	s->max_sessions = cfg->max_sessions;
}

/* Statics of cfg; a duplicate of an earlier one (either key) is skipped. */
static void install_statics(struct n64_sessions *s, const struct nat6to4_config *cfg)
{
	int n = cfg->nstatic < 0 ? 0 : cfg->nstatic > N64_MAX_STATICS ? N64_MAX_STATICS : cfg->nstatic;
	for (int i = 0; i < n; i++) {
		const struct n64_static *st = &cfg->statics[i];
		if (bib_find6(s, st->proto, st->v6, st->v6port) ||
		    bib_find4(s, st->proto, st->v4, st->v4port))
			continue;
		bib_insert(s, st->proto, st->v6, st->v6port, st->v4, st->v4port, true);
	}
}

static void table_destroy(struct n64_sessions *s)
{
	if (!s)
		return;
	free(s->sess);
	free(s->bib);
	free(s->sess_bucket);
	free(s->bib6_bucket);
	free(s->bib4_bucket);
	free(s);
}

static struct n64_sessions *table_create(const struct nat6to4_config *cfg)
{
	uint64_t nstatic = cfg->nstatic > 0 ? (uint64_t)cfg->nstatic : 0;
	if ((uint64_t)cfg->max_sessions + nstatic >= (1u << 31))
		return NULL;
	struct n64_sessions *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	copy_config(s, cfg);
	s->sess_cap = cfg->max_sessions;
	s->bib_cap = (uint32_t)(cfg->max_sessions + nstatic);
	s->sess_shift = 64 - bucket_bits(s->sess_cap);
	s->bib_shift = 64 - bucket_bits(s->bib_cap);
	s->sess_mask = (uint32_t)((1ull << (64 - s->sess_shift)) - 1);
	s->bib_mask = (uint32_t)((1ull << (64 - s->bib_shift)) - 1);
	s->sess = calloc((size_t)s->sess_cap + 1, sizeof *s->sess);
	s->bib = calloc((size_t)s->bib_cap + 1, sizeof *s->bib);
	s->sess_bucket = calloc((size_t)s->sess_mask + 1, sizeof(uint32_t));
	s->bib6_bucket = calloc((size_t)s->bib_mask + 1, sizeof(uint32_t));
	s->bib4_bucket = calloc((size_t)s->bib_mask + 1, sizeof(uint32_t));
	if (!s->sess || !s->bib || !s->sess_bucket || !s->bib6_bucket || !s->bib4_bucket) {
		table_destroy(s);
		return NULL;
	}
	s->next_expiry_ns = UINT64_MAX;
	install_statics(s, cfg);
	return s;
}

struct n64_sessions *sessions_new(const struct nat6to4_config *cfg)
{
	return table_create(cfg);
}

void sessions_free(struct n64_sessions *s)
{
	table_destroy(s);
}

/* ------------------------------------------------------------------ */
/* The packet path                                                      */
/* ------------------------------------------------------------------ */

static bool proto_supported(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 1;
}

/* First packet of a flow from the IPv6 side: binding (EIM) and session. */
static enum nat6to4_reason open_outbound(struct n64_sessions *s, const struct n64_flow6 *f,
                                         uint64_t now_ns, uint32_t *bib)
{
	if (f->proto == 6 && !(f->tcp_flags & N64_TCP_SYN))
		return NAT6TO4_R_NOT_SYN;
	if (!sess_slot_available(s))
		return NAT6TO4_R_TABLE_FULL;
	if (!*bib) {
		n64_v4 v4 = 0;
		uint16_t port4 = 0;
		if (!pool_allocate(s, f->proto, f->src6, f->sport, &v4, &port4))
			return NAT6TO4_R_POOL_EXHAUSTED;
		*bib = bib_insert(s, f->proto, f->src6, f->sport, v4, port4, false);
		if (!*bib)
			return NAT6TO4_R_TABLE_FULL; /* cannot happen: one BIB slot per session slot */
	}
	uint8_t state = f->proto == 6 ? TCP_V6_INIT : TCP_NONE;
	enum timer_class c = class_of(f->proto, state);
	sess_insert(s, *bib, f->dst4, f->dport, f->prefix_idx, state,
	            add_saturated(now_ns, s->timeout_ns[c]));
	s->created++;
	return NAT6TO4_R_OK;
}

enum nat6to4_reason sessions_out(struct n64_sessions *s, const struct n64_flow6 *f,
                                 uint64_t now_ns, n64_v4 *src4, uint16_t *sport4)
{
	if (!proto_supported(f->proto))
		return NAT6TO4_R_UNSUPPORTED_PROTO;
	reap_if_due(s, now_ns);
	uint32_t b = bib_find6(s, f->proto, f->src6, f->sport);
	uint32_t x = b ? sess_find(s, b, f->dst4, f->dport) : NONE;
	if (x) {
		session_packet(s, x, FROM_V6, f->tcp_flags, now_ns);
	} else {
		enum nat6to4_reason r = open_outbound(s, f, now_ns, &b);
		if (r != NAT6TO4_R_OK)
			return r;
	}
	*src4 = s->bib[b].v4;
	*sport4 = s->bib[b].v4port;
	return NAT6TO4_R_OK;
}

/* First packet of a flow from the IPv4 side to an existing binding. */
static enum nat6to4_reason open_inbound(struct n64_sessions *s, uint32_t b,
                                        const struct n64_flow4 *f, uint64_t now_ns, uint32_t *sess)
{
	/* Statics exist to accept connections from the IPv4 side. */
	uint32_t same_remote = bib_session_with_remote(s, b, f->src4);
	if (!s->bib[b].is_static && s->filtering == N64_FILTER_ADDRESS_DEPENDENT && !same_remote)
		return NAT6TO4_R_FILTERED;
	if (f->proto == 6 && !(f->tcp_flags & N64_TCP_SYN))
		return NAT6TO4_R_NOT_SYN;
	if (!sess_slot_available(s))
		return NAT6TO4_R_TABLE_FULL;
	uint8_t state = f->proto == 6 ? TCP_V4_INIT : TCP_NONE;
	uint8_t prefix_idx = same_remote ? s->sess[same_remote].prefix_idx : 0;
	enum timer_class c = class_of(f->proto, state);
	*sess = sess_insert(s, b, f->src4, f->sport, prefix_idx, state,
	                    add_saturated(now_ns, s->timeout_ns[c]));
	s->created++;
	return NAT6TO4_R_OK;
}

enum nat6to4_reason sessions_in(struct n64_sessions *s, const struct n64_flow4 *f,
                                uint64_t now_ns, uint8_t dst6[16], uint16_t *dport6,
                                uint8_t *prefix_idx)
{
	if (!proto_supported(f->proto))
		return NAT6TO4_R_UNSUPPORTED_PROTO;
	reap_if_due(s, now_ns);
	uint32_t b = bib_find4(s, f->proto, f->dst4, f->dport);
	if (!b)
		return NAT6TO4_R_NO_SESSION;
	uint32_t x = sess_find(s, b, f->src4, f->sport);
	if (x) {
		session_packet(s, x, FROM_V4, f->tcp_flags, now_ns);
	} else {
		enum nat6to4_reason r = open_inbound(s, b, f, now_ns, &x);
		if (r != NAT6TO4_R_OK)
			return r;
	}
	memcpy(dst6, s->bib[b].v6, 16);
	*dport6 = s->bib[b].v6port;
	*prefix_idx = s->sess[x].prefix_idx;
	return NAT6TO4_R_OK;
}

/* ------------------------------------------------------------------ */
/* Read-only lookups (packets inside ICMP errors)                       */
/* ------------------------------------------------------------------ */

bool sessions_find_by6(const struct n64_sessions *s, uint8_t proto, const uint8_t v6[16],
                       uint16_t port, n64_v4 *v4, uint16_t *port4)
{
	uint32_t b = bib_find6(s, proto, v6, port);
	if (!b)
		return false;
	*v4 = s->bib[b].v4;
	*port4 = s->bib[b].v4port;
	return true;
}

bool sessions_find_by4(const struct n64_sessions *s, uint8_t proto, n64_v4 v4, uint16_t port,
                       n64_v4 remote4, uint8_t v6[16], uint16_t *port6, uint8_t *prefix_idx)
{
	uint32_t b = bib_find4(s, proto, v4, port);
	if (!b)
		return false;
	uint32_t x = bib_session_with_remote(s, b, remote4);
	memcpy(v6, s->bib[b].v6, 16);
	*port6 = s->bib[b].v6port;
	*prefix_idx = x ? s->sess[x].prefix_idx : 0;
	return true;
}

/* ------------------------------------------------------------------ */
/* Expiry, counters, memory                                             */
/* ------------------------------------------------------------------ */

size_t sessions_expire(struct n64_sessions *s, uint64_t now_ns)
{
	return reap(s, now_ns);
}

void sessions_counts(const struct n64_sessions *s, uint64_t *created, uint64_t *expired,
                     uint64_t *active, uint64_t *bindings)
{
	*created = s->created;
	*expired = s->expired;
	*active = s->sess_active;
	*bindings = s->bib_active;
}

size_t sessions_bytes_per_session(const struct n64_sessions *s)
{
	size_t bytes = sizeof *s
	             + ((size_t)s->sess_cap + 1) * sizeof *s->sess
	             + ((size_t)s->bib_cap + 1) * sizeof *s->bib
	             + ((size_t)s->sess_mask + 1) * sizeof(uint32_t)
	             + 2 * ((size_t)s->bib_mask + 1) * sizeof(uint32_t);
	size_t slots = s->sess_cap ? s->sess_cap : 1;
	return (bytes + slots - 1) / slots;
}

/* ------------------------------------------------------------------ */
/* Reload: rebuild under the new configuration, keep what still fits    */
/* ------------------------------------------------------------------ */

/* Copy old session x into table t if it is still valid there. */
static bool migrate_session(struct n64_sessions *t, const struct n64_sessions *old, uint32_t x,
                            const struct nat6to4_config *cfg, uint64_t now_ns)
{
	const struct n64_session *e = &old->sess[x];
	const struct n64_bib *ob = &old->bib[e->bib];
	enum timer_class c = class_of(ob->proto, e->tcp_state);
	uint64_t last = e->expires_ns >= old->timeout_ns[c] ? e->expires_ns - old->timeout_ns[c] : 0;
	uint64_t expires = add_saturated(last, t->timeout_ns[c]);
	if (expires <= now_ns || !addrmap_in_pool(cfg, ob->v4) || !sess_slot_available(t))
		return false;
	uint32_t b = bib_find6(t, ob->proto, ob->v6, ob->v6port);
	if (b && (t->bib[b].v4 != ob->v4 || t->bib[b].v4port != ob->v4port))
		return false; /* a new static maps this host elsewhere */
	if (!b) {
		if (bib_find4(t, ob->proto, ob->v4, ob->v4port))
			return false; /* its pool4 port now belongs to a new static */
		b = bib_insert(t, ob->proto, ob->v6, ob->v6port, ob->v4, ob->v4port, false);
		if (!b)
			return false;
	}
	sess_insert(t, b, e->remote4, e->remote_port, e->prefix_idx, e->tcp_state, expires);
	return true;
}

/*
 * Builds a fresh table for cfg (new size, pool, statics, timeouts) and
 * moves the surviving sessions into it, so indices never dangle. Returns
 * -1 when memory for the new table is lacking: the old one stays as it
 * was. If max-sessions shrank below the live count, the sessions that do
 * not fit (the last in class order) are dropped.
 */
long sessions_reload(struct n64_sessions *s, const struct nat6to4_config *cfg, uint64_t now_ns)
{
	struct n64_sessions *t = table_create(cfg);
	if (!t)
		return -1;
	long kept = 0;
	/* Class by class, oldest first: each new FIFO stays ordered. */
	for (int c = 0; c < CLS_COUNT; c++)
		for (uint32_t x = s->fifo[c].head; x; x = s->sess[x].lnext)
			kept += migrate_session(t, s, x, cfg, now_ns);
	t->created = s->created;
	/* Sessions dropped here count as expired: created = expired + active. */
	t->expired = s->expired + (s->sess_active - (uint64_t)kept);
	/* Swap contents: the caller's pointer stays valid. */
	struct n64_sessions tmp = *s;
	*s = *t;
	*t = tmp;
	table_destroy(t);
	return kept;
}

/* ------------------------------------------------------------------ */
/* Walk, in the order (proto, v6 host, v6 port, remote4, remote port)   */
/* ------------------------------------------------------------------ */

struct walk_key {
	uint8_t key[25];         /* big-endian: memcmp order is the walk order */
	uint32_t idx;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void walk_key_make(const struct n64_sessions *s, uint32_t x, struct walk_key *k)
{
	const struct n64_session *e = &s->sess[x];
	const struct n64_bib *b = &s->bib[e->bib];
	k->key[0] = b->proto;
	memcpy(k->key + 1, b->v6, 16);
	put16(k->key + 17, b->v6port);
	put32(k->key + 19, e->remote4);
	put16(k->key + 23, e->remote_port);
	k->idx = x;
}

static int walk_key_cmp(const void *a, const void *b)
{
	return memcmp(((const struct walk_key *)a)->key, ((const struct walk_key *)b)->key,
	              sizeof ((const struct walk_key *)a)->key);
}

static void session_info(const struct n64_sessions *s, const struct nat6to4_config *cfg,
                         uint32_t x, struct nat6to4_session_info *info)
{
	const struct n64_session *e = &s->sess[x];
	const struct n64_bib *b = &s->bib[e->bib];
	memset(info, 0, sizeof *info);
	info->proto = b->proto;
	memcpy(info->v6_addr, b->v6, 16);
	info->v6_port = b->v6port;
	put32(info->v4_addr, b->v4);
	info->v4_port = b->v4port;
	put32(info->remote4, e->remote4);
	info->remote_port = e->remote_port;
	if (addrmap_4to6(cfg, e->remote4, e->prefix_idx, info->remote6) != NAT6TO4_R_OK)
		memset(info->remote6, 0, 16);
	info->state = b->proto == 6 ? tcp_state_name[e->tcp_state] : b->proto == 17 ? "UDP" : "ICMP";
	info->expires_ns = e->expires_ns;
	info->is_static = b->is_static;
}

size_t sessions_walk(const struct n64_sessions *s, const struct nat6to4_config *cfg,
                     nat6to4_session_fn fn, void *user)
{
	size_t n = 0;
	struct walk_key *keys = s->sess_active ? malloc(s->sess_active * sizeof *keys) : NULL;
	struct nat6to4_session_info info;
	if (!keys) {
		/* No memory to sort (or nothing to visit): slot order is still
		 * deterministic for a given input sequence. */
		for (uint32_t x = 1; x <= s->sess_top; x++)
			if (s->sess[x].bib) {
				session_info(s, cfg, x, &info);
				fn(user, &info);
				n++;
			}
		return n;
	}
	for (uint32_t x = 1; x <= s->sess_top && n < s->sess_active; x++)
		if (s->sess[x].bib)
			walk_key_make(s, x, &keys[n++]);
	qsort(keys, n, sizeof *keys, walk_key_cmp);
	for (size_t i = 0; i < n; i++) {
		session_info(s, cfg, keys[i].idx, &info);
		fn(user, &info);
	}
	free(keys);
	return n;
}
