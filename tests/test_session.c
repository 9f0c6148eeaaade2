/*
 * NAPT sessions (translator/session.c): RFC 6146 BIB and session table.
 *
 * The configuration is built directly (struct nat6to4_config from
 * internal.h), not parsed. Expected values come from the RFC and from the
 * inputs (the pool, the timeouts, the host's own port), never from the
 * code under test; determinism is checked by feeding two tables the same
 * inputs. Time boundary, as documented in session.c: a session refreshed
 * at t is alive at t+timeout-1ns and gone at t+timeout.
 */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int suite_session(void);

#define SEC 1000000000ull
#define T0 (1000 * SEC) /* any epoch: the core never reads a clock */
#define V4(a, b, c, d) ((n64_v4)(a) << 24 | (n64_v4)(b) << 16 | (n64_v4)(c) << 8 | (n64_v4)(d))

#define POOL4  V4(203, 0, 113, 1)      /* the gateway's IPv4 address */
#define SERVER V4(202, 83, 176, 248)   /* an IPv4-only server of the seed */
#define PEER_B V4(198, 51, 100, 7)

enum { TO_UDP = 300, TO_EST = 7440, TO_TRANS = 240, TO_ICMP = 60 };

/* A NAPT config: prefix 2001:df0:9::/96, one pool address, all defaults. */
static struct nat6to4_config *config_base(void)
{
	struct nat6to4_config *c = calloc(1, sizeof *c);
	static const uint8_t prefix[16] = { 0x20, 0x01, 0x0d, 0xf0, 0x00, 0x09 };
	memcpy(c->prefix[0].addr, prefix, 16);
	c->prefix[0].len = 96;
	c->prefix[0].form = NAT6TO4_FORM_RFC6052;
	c->nprefix = 1;
	c->pool[0] = (struct n64_pool){ POOL4, POOL4, 1024, 65535 };
	c->npool = 1;
	c->mtu6 = 1280;
	c->timeout_s[N64_TO_UDP] = TO_UDP;
	c->timeout_s[N64_TO_TCP_EST] = TO_EST;
	c->timeout_s[N64_TO_TCP_TRANS] = TO_TRANS;
	c->timeout_s[N64_TO_ICMP] = TO_ICMP;
	c->max_sessions = 65536;
	return c;
}

/* 2001:df0:9:1::<n> */
static void host6(uint32_t n, uint8_t out[16])
{
	static const uint8_t base[16] = { 0x20, 0x01, 0x0d, 0xf0, 0x00, 0x09, 0x00, 0x01 };
	memcpy(out, base, 16);
	out[12] = (uint8_t)(n >> 24);
	out[13] = (uint8_t)(n >> 16);
	out[14] = (uint8_t)(n >> 8);
	out[15] = (uint8_t)n;
}

static enum nat6to4_reason out6(struct n64_sessions *s, uint8_t proto, uint32_t host,
                                uint16_t sport, n64_v4 dst4, uint16_t dport, uint8_t flags,
                                uint64_t now, n64_v4 *v4, uint16_t *port4)
{
	uint8_t src6[16];
	host6(host, src6);
	struct n64_flow6 f = { proto, src6, sport, dst4, dport, 0, flags };
	return sessions_out(s, &f, now, v4, port4);
}

/* Outbound packet whose result we only want to be OK. */
static void out_ok(struct n64_sessions *s, uint8_t proto, uint32_t host, uint16_t sport,
                   n64_v4 dst4, uint16_t dport, uint8_t flags, uint64_t now)
{
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(out6(s, proto, host, sport, dst4, dport, flags, now, &v4, &p), NAT6TO4_R_OK);
}

static enum nat6to4_reason in4(struct n64_sessions *s, uint8_t proto, n64_v4 src4, uint16_t sport,
                               n64_v4 dst4, uint16_t dport, uint8_t flags, uint64_t now,
                               uint8_t v6[16], uint16_t *port6)
{
	uint8_t tmp6[16];
	uint16_t tmpport;
	uint8_t prefix_idx;
	struct n64_flow4 f = { proto, src4, sport, dst4, dport, flags };
	return sessions_in(s, &f, now, v6 ? v6 : tmp6, port6 ? port6 : &tmpport, &prefix_idx);
}

static uint64_t active(const struct n64_sessions *s)
{
	uint64_t c, e, a, b;
	sessions_counts(s, &c, &e, &a, &b);
	return a;
}

static uint64_t bindings(const struct n64_sessions *s)
{
	uint64_t c, e, a, b;
	sessions_counts(s, &c, &e, &a, &b);
	return b;
}

/* ---- walk collector ---- */

#define MAX_SEEN 64
struct seen {
	size_t n;
	struct nat6to4_session_info info[MAX_SEEN];
};

static void collect(void *user, const struct nat6to4_session_info *si)
{
	struct seen *w = user;
	if (w->n < MAX_SEEN)
		w->info[w->n] = *si;
	w->n++;
}

/* The only session of the table (its walk must visit exactly one). */
static struct nat6to4_session_info only_session(const struct n64_sessions *s,
                                                const struct nat6to4_config *cfg)
{
	struct seen w = { 0 };
	CU_ASSERT_EQUAL(sessions_walk(s, cfg, collect, &w), 1);
	CU_ASSERT_EQUAL(w.n, 1);
	if (w.n == 0)
		w.info[0].state = "(no session)";
	return w.info[0];
}

#define ASSERT_STATE(s, cfg, name, expires)                                 \
	do {                                                                \
		struct nat6to4_session_info si_ = only_session(s, cfg);     \
		CU_ASSERT_STRING_EQUAL(si_.state ? si_.state : "", name);   \
		CU_ASSERT_EQUAL(si_.expires_ns, (uint64_t)(expires));       \
	} while (0)

/* ------------------------------------------------------------------ */

static void test_eim_same_mapping_any_destination(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 a, b, c;
	uint16_t pa, pb, pc;
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, SERVER, 53, 0, T0, &a, &pa), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, PEER_B, 53, 0, T0 + SEC, &b, &pb), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, SERVER, 123, 0, T0 + 2 * SEC, &c, &pc), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(a, POOL4);
	CU_ASSERT_EQUAL(b, a);
	CU_ASSERT_EQUAL(c, a);
	CU_ASSERT_EQUAL(pb, pa);
	CU_ASSERT_EQUAL(pc, pa);
	CU_ASSERT_EQUAL(active(s), 3);
	CU_ASSERT_EQUAL(bindings(s), 1);
	/* Another host port is another binding. */
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5001, SERVER, 53, 0, T0, &b, &pb), NAT6TO4_R_OK);
	CU_ASSERT_NOT_EQUAL(pb, pa);
	CU_ASSERT_EQUAL(bindings(s), 2);
	sessions_free(s);
	free(cfg);
}

/* Every (proto, pool4 addr, port) is bound at most once. */
static bool mappings_distinct(const n64_v4 *v4, const uint16_t *port, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (v4[i] == v4[j] && port[i] == port[j])
				return false;
	return true;
}

static void test_deterministic_allocation(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->pool[0] = (struct n64_pool){ V4(203, 0, 113, 1), V4(203, 0, 113, 4), 2000, 2099 };
	struct n64_sessions *s1 = sessions_new(cfg), *s2 = sessions_new(cfg);
	enum { N = 300 };
	n64_v4 v1[N], v2[N];
	uint16_t p1[N], p2[N];
	bool all_ok = true, same = true;
	for (int i = 0; i < N; i++) {
		/* Many hosts on the same few ports: collisions force probing. */
		uint32_t host = (uint32_t)(i * 7919 % 97);
		uint16_t sport = (uint16_t)(2000 + i % 5);
		all_ok &= out6(s1, 17, host, sport, SERVER, 53, 0, T0, &v1[i], &p1[i]) == NAT6TO4_R_OK;
		all_ok &= out6(s2, 17, host, sport, SERVER, 53, 0, T0, &v2[i], &p2[i]) == NAT6TO4_R_OK;
		same &= v1[i] == v2[i] && p1[i] == p2[i];
	}
	CU_ASSERT_TRUE(all_ok);
	CU_ASSERT_TRUE(same);
	/* EIM: a repeated (host, port) got its earlier mapping; distinct
	 * pairs got distinct mappings, all inside the pool. */
	uint64_t distinct = 0;
	bool eim_ok = true, in_pool = true;
	for (int i = 0; i < N; i++) {
		bool repeat = false;
		for (int j = 0; j < i; j++) {
			bool same_key = j * 7919 % 97 == i * 7919 % 97 && j % 5 == i % 5;
			bool same_map = v1[j] == v1[i] && p1[j] == p1[i];
			eim_ok &= same_key == same_map;
			repeat |= same_key;
		}
		distinct += !repeat;
		in_pool &= v1[i] >= V4(203, 0, 113, 1) && v1[i] <= V4(203, 0, 113, 4) &&
		           p1[i] >= 2000 && p1[i] <= 2099;
	}
	CU_ASSERT_TRUE(eim_ok);
	CU_ASSERT_TRUE(in_pool);
	CU_ASSERT_EQUAL(bindings(s1), distinct);
	sessions_free(s1);
	sessions_free(s2);
	free(cfg);
}

static void test_distinct_bindings_get_distinct_ports(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->pool[0].port_lo = 3000;
	cfg->pool[0].port_hi = 3099;
	struct n64_sessions *s = sessions_new(cfg);
	enum { N = 100 }; /* exactly fills the 100 ports */
	n64_v4 v[N];
	uint16_t p[N];
	bool all_ok = true;
	for (int i = 0; i < N; i++)
		all_ok &= out6(s, 6, (uint32_t)i, 3000, SERVER, 80, N64_TCP_SYN, T0, &v[i], &p[i]) ==
		          NAT6TO4_R_OK;
	CU_ASSERT_TRUE(all_ok);
	CU_ASSERT_TRUE(mappings_distinct(v, p, N));
	CU_ASSERT_EQUAL(bindings(s), N);
	sessions_free(s);
	free(cfg);
}

static void test_port_preservation(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(out6(s, 17, 1, 40000, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, POOL4);
	CU_ASSERT_EQUAL(p, 40000);
	/* Taken now: a second host with the same port gets another one. */
	CU_ASSERT_EQUAL(out6(s, 17, 2, 40000, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_NOT_EQUAL(p, 40000);
	CU_ASSERT_TRUE(p >= 1024);
	/* Each protocol has its own port space. */
	CU_ASSERT_EQUAL(out6(s, 6, 2, 40000, SERVER, 80, N64_TCP_SYN, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(p, 40000);
	/* ICMP echo identifiers too. */
	CU_ASSERT_EQUAL(out6(s, 1, 3, 0x1234, SERVER, 0, 0, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(p, 0x1234);
	/* A port outside the pool's range cannot be kept. */
	CU_ASSERT_EQUAL(out6(s, 17, 4, 53, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_TRUE(p >= 1024);
	sessions_free(s);
	free(cfg);
}

static void test_pool_exhaustion(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->pool[0].port_lo = 1024;
	cfg->pool[0].port_hi = 1027;
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v[4];
	uint16_t p[4];
	unsigned seen_ports = 0;
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(out6(s, 17, (uint32_t)i, 5000, SERVER, 53, 0, T0, &v[i], &p[i]), NAT6TO4_R_OK);
		CU_ASSERT_EQUAL(v[i], POOL4);
		if (p[i] >= 1024 && p[i] <= 1027)
			seen_ports |= 1u << (p[i] - 1024);
	}
	CU_ASSERT_EQUAL(seen_ports, 0xf);
	n64_v4 v4;
	uint16_t port;
	CU_ASSERT_EQUAL(out6(s, 17, 9, 5000, SERVER, 53, 0, T0, &v4, &port), NAT6TO4_R_POOL_EXHAUSTED);
	CU_ASSERT_EQUAL(bindings(s), 4);
	/* New sessions of existing bindings still work. */
	CU_ASSERT_EQUAL(out6(s, 17, 0, 5000, PEER_B, 53, 0, T0, &v4, &port), NAT6TO4_R_OK);
	/* TCP ports are another space. */
	CU_ASSERT_EQUAL(out6(s, 6, 9, 5000, SERVER, 80, N64_TCP_SYN, T0, &v4, &port), NAT6TO4_R_OK);
	/* Once the UDP bindings expire their ports are free again. */
	CU_ASSERT_EQUAL(out6(s, 17, 9, 5000, SERVER, 53, 0, T0 + TO_UDP * SEC, &v4, &port), NAT6TO4_R_OK);
	CU_ASSERT_TRUE(port >= 1024 && port <= 1027);
	sessions_free(s);
	free(cfg);
}

static void test_table_full(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->max_sessions = 4;
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p, p0;
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, V4(192, 0, 2, 1), 53, 0, T0, &v4, &p0), NAT6TO4_R_OK);
	for (uint32_t i = 2; i <= 4; i++)
		out_ok(s, 17, 1, 5000, V4(192, 0, 2, i), 53, 0, T0 + 100 * SEC);
	CU_ASSERT_EQUAL(active(s), 4);
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, V4(192, 0, 2, 5), 53, 0, T0 + 100 * SEC, &v4, &p),
	                NAT6TO4_R_TABLE_FULL);
	CU_ASSERT_EQUAL(out6(s, 6, 1, 80, V4(192, 0, 2, 5), 80, N64_TCP_SYN, T0 + 100 * SEC, &v4, &p),
	                NAT6TO4_R_TABLE_FULL);
	/* Inbound to the binding from a new remote (EIF) needs a slot too. */
	CU_ASSERT_EQUAL(in4(s, 17, V4(192, 0, 2, 9), 53, POOL4, p0, 0, T0 + 100 * SEC, NULL, NULL),
	                NAT6TO4_R_TABLE_FULL);
	CU_ASSERT_EQUAL(active(s), 4);
	/* When the first one has expired its slot is reused. */
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, V4(192, 0, 2, 5), 53, 0, T0 + TO_UDP * SEC, &v4, &p),
	                NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(active(s), 4);
	sessions_free(s);
	free(cfg);
}

/* Created (or last refreshed) at t, a session of timeout `to` seconds is
 * alive at t+to-1ns and expires at exactly t+to. */
static void check_expiry_at(struct n64_sessions *s, uint64_t t, uint32_t to)
{
	CU_ASSERT_EQUAL(sessions_expire(s, t + to * SEC - 1), 0);
	CU_ASSERT_EQUAL(active(s), 1);
	CU_ASSERT_EQUAL(sessions_expire(s, t + to * SEC), 1);
	CU_ASSERT_EQUAL(active(s), 0);
	CU_ASSERT_EQUAL(bindings(s), 0);
}

static void test_expiry_udp_icmp(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	out_ok(s, 17, 1, 5000, SERVER, 53, 0, T0);
	check_expiry_at(s, T0, TO_UDP);
	/* A refresh (either direction) restarts the timer. */
	n64_v4 v4;
	uint16_t p;
	uint64_t t = T0 + 1000 * SEC;
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, SERVER, 53, 0, t, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(in4(s, 17, SERVER, 53, v4, p, 0, t + 100 * SEC, NULL, NULL), NAT6TO4_R_OK);
	check_expiry_at(s, t + 100 * SEC, TO_UDP);
	t = T0 + 2000 * SEC;
	out_ok(s, 1, 1, 77, SERVER, 0, 0, t);
	check_expiry_at(s, t, TO_ICMP);
	sessions_free(s);
	free(cfg);
}

static void test_expiry_is_lazy_too(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(in4(s, 17, SERVER, 53, v4, p, 0, T0 + TO_UDP * SEC - 1, NULL, NULL), NAT6TO4_R_OK);
	/* No sessions_expire() call: the lookup itself sees it gone. */
	CU_ASSERT_EQUAL(in4(s, 17, SERVER, 53, v4, p, 0, T0 + (2 * TO_UDP) * SEC - 1, NULL, NULL),
	                NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(active(s), 0);
	uint64_t c, e, a, b;
	sessions_counts(s, &c, &e, &a, &b);
	CU_ASSERT_EQUAL(c, 1);
	CU_ASSERT_EQUAL(e, 1);
	sessions_free(s);
	free(cfg);
}

static void test_expiry_tcp(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	/* V6_INIT: transitory timer. */
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_SYN, T0, &v4, &p), NAT6TO4_R_OK);
	check_expiry_at(s, T0, TO_TRANS);
	/* ESTABLISHED: established timer from the last packet. */
	uint64_t t = T0 + 1000 * SEC;
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_SYN, t, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_SYN | N64_TCP_ACK, t + SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	check_expiry_at(s, t + SEC, TO_EST);
	sessions_free(s);
	free(cfg);
}

/* v6 SYN, v4 SYN+ACK: the handshake, ESTABLISHED at `t`. */
static void handshake(struct n64_sessions *s, const struct nat6to4_config *cfg, uint64_t t,
                      n64_v4 *v4, uint16_t *p)
{
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_SYN, t - 2 * SEC, v4, p), NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V6_INIT", t - 2 * SEC + TO_TRANS * SEC);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, *v4, *p, N64_TCP_SYN | N64_TCP_ACK, t - SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "ESTABLISHED", t - SEC + TO_EST * SEC);
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_ACK, t);
	ASSERT_STATE(s, cfg, "ESTABLISHED", t + TO_EST * SEC);
}

static void test_tcp_close_from_v6(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	uint64_t t = T0 + 10 * SEC;
	handshake(s, cfg, t, &v4, &p);
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_FIN | N64_TCP_ACK, t + SEC);
	ASSERT_STATE(s, cfg, "V6_FIN_RCV", t + SEC + TO_EST * SEC);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_ACK, t + 2 * SEC, NULL, NULL), NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V6_FIN_RCV", t + 2 * SEC + TO_EST * SEC);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_FIN | N64_TCP_ACK, t + 3 * SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V6_FIN_V4_FIN", t + 3 * SEC + TO_TRANS * SEC);
	/* The last ACK passes but does not extend the session. */
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_ACK, t + 4 * SEC);
	ASSERT_STATE(s, cfg, "V6_FIN_V4_FIN", t + 3 * SEC + TO_TRANS * SEC);
	CU_ASSERT_EQUAL(sessions_expire(s, t + 3 * SEC + TO_TRANS * SEC), 1);
	CU_ASSERT_EQUAL(bindings(s), 0);
	sessions_free(s);
	free(cfg);
}

static void test_tcp_close_from_v4(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	uint64_t t = T0 + 10 * SEC;
	handshake(s, cfg, t, &v4, &p);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_FIN | N64_TCP_ACK, t + SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V4_FIN_RCV", t + SEC + TO_EST * SEC);
	/* A v4 FIN again is not the v6 FIN. */
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_FIN | N64_TCP_ACK, t + 2 * SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V4_FIN_RCV", t + 2 * SEC + TO_EST * SEC);
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_FIN | N64_TCP_ACK, t + 3 * SEC);
	ASSERT_STATE(s, cfg, "V6_FIN_V4_FIN", t + 3 * SEC + TO_TRANS * SEC);
	sessions_free(s);
	free(cfg);
}

static void test_tcp_rst_trans(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	uint64_t t = T0 + 10 * SEC;
	handshake(s, cfg, t, &v4, &p);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_RST, t + SEC, NULL, NULL), NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "TRANS", t + SEC + TO_TRANS * SEC);
	/* Another RST changes nothing, not even the timer. */
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_RST, t + 2 * SEC);
	ASSERT_STATE(s, cfg, "TRANS", t + SEC + TO_TRANS * SEC);
	/* Any other segment: the connection lives on. */
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_ACK, t + 3 * SEC);
	ASSERT_STATE(s, cfg, "ESTABLISHED", t + 3 * SEC + TO_EST * SEC);
	/* RST from the v6 side, then nothing: gone after tcp-trans. */
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_RST | N64_TCP_ACK, t + 4 * SEC);
	ASSERT_STATE(s, cfg, "TRANS", t + 4 * SEC + TO_TRANS * SEC);
	CU_ASSERT_EQUAL(sessions_expire(s, t + 4 * SEC + TO_TRANS * SEC), 1);
	sessions_free(s);
	free(cfg);
}

static void test_tcp_init_timers(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_SYN, T0, &v4, &p), NAT6TO4_R_OK);
	/* V6_INIT: only a retransmitted v6 SYN restarts the timer. */
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_ACK, T0 + 10 * SEC);
	ASSERT_STATE(s, cfg, "V6_INIT", T0 + TO_TRANS * SEC);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, v4, p, N64_TCP_RST | N64_TCP_ACK, T0 + 15 * SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V6_INIT", T0 + TO_TRANS * SEC);
	out_ok(s, 6, 1, 5000, SERVER, 80, N64_TCP_SYN, T0 + 20 * SEC);
	ASSERT_STATE(s, cfg, "V6_INIT", T0 + 20 * SEC + TO_TRANS * SEC);
	sessions_free(s);

	/* V4_INIT (via a static binding): TCP_INCOMING_SYN, 6 s, not
	 * extended by the v4 side retransmitting its SYN. */
	cfg->statics[0] = (struct n64_static){ 6, { 0 }, 22, POOL4, 2222 };
	host6(7, cfg->statics[0].v6);
	cfg->nstatic = 1;
	s = sessions_new(cfg);
	CU_ASSERT_EQUAL(in4(s, 6, PEER_B, 40000, POOL4, 2222, N64_TCP_SYN, T0, NULL, NULL), NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V4_INIT", T0 + 6 * SEC);
	CU_ASSERT_EQUAL(in4(s, 6, PEER_B, 40000, POOL4, 2222, N64_TCP_SYN, T0 + 3 * SEC, NULL, NULL),
	                NAT6TO4_R_OK);
	ASSERT_STATE(s, cfg, "V4_INIT", T0 + 6 * SEC);
	/* No answer from the v6 server within 6 s: gone. */
	CU_ASSERT_EQUAL(sessions_expire(s, T0 + 6 * SEC - 1), 0);
	CU_ASSERT_EQUAL(sessions_expire(s, T0 + 6 * SEC), 1);
	CU_ASSERT_EQUAL(bindings(s), 1);
	sessions_free(s);
	free(cfg);
}

static void test_tcp_not_syn(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_ACK, T0, &v4, &p), NAT6TO4_R_NOT_SYN);
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_FIN, T0, &v4, &p), NAT6TO4_R_NOT_SYN);
	CU_ASSERT_EQUAL(active(s), 0);
	CU_ASSERT_EQUAL(bindings(s), 0);
	/* With a binding, a v4 segment other than SYN opens nothing either. */
	CU_ASSERT_EQUAL(out6(s, 6, 1, 5000, SERVER, 80, N64_TCP_SYN, T0, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(in4(s, 6, PEER_B, 80, v4, p, N64_TCP_ACK, T0, NULL, NULL), NAT6TO4_R_NOT_SYN);
	CU_ASSERT_EQUAL(active(s), 1);
	/* ...but a SYN does (EIF), in V4_INIT. */
	CU_ASSERT_EQUAL(in4(s, 6, PEER_B, 80, v4, p, N64_TCP_SYN, T0, NULL, NULL), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(active(s), 2);
	sessions_free(s);
	free(cfg);
}

static void test_inbound_without_binding(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(in4(s, 17, SERVER, 53, POOL4, 40000, 0, T0, NULL, NULL), NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 80, POOL4, 40000, N64_TCP_SYN, T0, NULL, NULL),
	                NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(out6(s, 17, 1, 40000, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
	/* The UDP binding does not open the same TCP port, nor another address. */
	CU_ASSERT_EQUAL(in4(s, 6, SERVER, 53, v4, p, N64_TCP_SYN, T0, NULL, NULL), NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(in4(s, 17, SERVER, 53, v4 + 1, p, 0, T0, NULL, NULL), NAT6TO4_R_NO_SESSION);
	CU_ASSERT_EQUAL(in4(s, 58, SERVER, 53, v4, p, 0, T0, NULL, NULL), NAT6TO4_R_UNSUPPORTED_PROTO);
	CU_ASSERT_EQUAL(active(s), 1);
	sessions_free(s);
	free(cfg);
}

static void test_filtering_adf_vs_eif(void)
{
	for (int adf = 0; adf <= 1; adf++) {
		struct nat6to4_config *cfg = config_base();
		cfg->filtering = adf ? N64_FILTER_ADDRESS_DEPENDENT : N64_FILTER_ENDPOINT_INDEPENDENT;
		struct n64_sessions *s = sessions_new(cfg);
		n64_v4 v4;
		uint16_t p, port6;
		uint8_t v6[16], want6[16];
		host6(1, want6);
		CU_ASSERT_EQUAL(out6(s, 17, 1, 5000, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
		/* Same remote address, another port: allowed by both. */
		CU_ASSERT_EQUAL(in4(s, 17, SERVER, 5353, v4, p, 0, T0, v6, &port6), NAT6TO4_R_OK);
		CU_ASSERT_EQUAL(memcmp(v6, want6, 16), 0);
		CU_ASSERT_EQUAL(port6, 5000);
		CU_ASSERT_EQUAL(active(s), 2);
		/* Another remote address: only endpoint-independent filtering lets it in. */
		CU_ASSERT_EQUAL(in4(s, 17, PEER_B, 53, v4, p, 0, T0, NULL, NULL),
		                adf ? NAT6TO4_R_FILTERED : NAT6TO4_R_OK);
		CU_ASSERT_EQUAL(active(s), adf ? 2 : 3);
		sessions_free(s);
		free(cfg);
	}
}

static void test_static_binding_inbound(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->filtering = N64_FILTER_ADDRESS_DEPENDENT; /* statics accept anyway */
	static const uint8_t server6[16] = { 0x20, 0x01, 0x0d, 0xf0, 0x00, 0x09, 0, 0,
	                                     0, 0, 0, 0, 0, 0, 0, 0x80 };
	cfg->statics[0] = (struct n64_static){ 6, { 0 }, 80, POOL4, 8080 };
	memcpy(cfg->statics[0].v6, server6, 16);
	cfg->statics[1] = (struct n64_static){ 17, { 0 }, 53, POOL4, 53 };
	memcpy(cfg->statics[1].v6, server6, 16);
	cfg->nstatic = 2;
	struct n64_sessions *s = sessions_new(cfg);
	CU_ASSERT_EQUAL(bindings(s), 2);
	CU_ASSERT_EQUAL(active(s), 0);
	uint8_t v6[16];
	uint16_t port6;
	CU_ASSERT_EQUAL(in4(s, 6, PEER_B, 50000, POOL4, 8080, N64_TCP_SYN, T0, v6, &port6), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(memcmp(v6, server6, 16), 0);
	CU_ASSERT_EQUAL(port6, 80);
	struct nat6to4_session_info si = only_session(s, cfg);
	CU_ASSERT_STRING_EQUAL(si.state, "V4_INIT");
	CU_ASSERT_EQUAL(si.expires_ns, T0 + 6 * SEC); /* TCP_INCOMING_SYN */
	CU_ASSERT_EQUAL(si.is_static, 1);
	/* The server's SYN+ACK leaves from its static mapping. */
	struct n64_flow6 f = { 6, server6, 80, PEER_B, 50000, 0, N64_TCP_SYN | N64_TCP_ACK };
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(sessions_out(s, &f, T0 + SEC, &v4, &p), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, POOL4);
	CU_ASSERT_EQUAL(p, 8080);
	ASSERT_STATE(s, cfg, "ESTABLISHED", T0 + SEC + TO_EST * SEC);
	/* UDP static: inbound from anyone, even under ADF. */
	CU_ASSERT_EQUAL(in4(s, 17, SERVER, 4444, POOL4, 53, 0, T0 + 2 * SEC, v6, &port6), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(port6, 53);
	/* Expired sessions leave the static bindings in place. */
	CU_ASSERT_EQUAL(sessions_expire(s, T0 + 2 * TO_EST * SEC), 2);
	CU_ASSERT_EQUAL(bindings(s), 2);
	/* Dynamic allocation never hands out a static's port. */
	CU_ASSERT_EQUAL(out6(s, 6, 1, 8080, SERVER, 80, N64_TCP_SYN, T0 + 2 * TO_EST * SEC, &v4, &p),
	                NAT6TO4_R_OK);
	CU_ASSERT_NOT_EQUAL(p, 8080);
	sessions_free(s);
	free(cfg);
}

static void test_find_changes_nothing(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->prefix[1] = cfg->prefix[0];
	cfg->prefix[1].addr[5] = 0x0a; /* 2001:df0:a::/96 */
	cfg->nprefix = 2;
	struct n64_sessions *s = sessions_new(cfg);
	uint8_t src6[16];
	host6(1, src6);
	struct n64_flow6 f = { 6, src6, 5000, SERVER, 80, 1, N64_TCP_SYN };
	n64_v4 v4, fv4;
	uint16_t p, fp, port6;
	uint8_t v6[16], prefix_idx = 9;
	CU_ASSERT_EQUAL(sessions_out(s, &f, T0, &v4, &p), NAT6TO4_R_OK);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_TRUE(sessions_find_by6(s, 6, src6, 5000, &fv4, &fp));
		CU_ASSERT_EQUAL(fv4, v4);
		CU_ASSERT_EQUAL(fp, p);
		CU_ASSERT_TRUE(sessions_find_by4(s, 6, v4, p, SERVER, v6, &port6, &prefix_idx));
		CU_ASSERT_EQUAL(memcmp(v6, src6, 16), 0);
		CU_ASSERT_EQUAL(port6, 5000);
		CU_ASSERT_EQUAL(prefix_idx, 1);
	}
	CU_ASSERT_TRUE(sessions_find_by4(s, 6, v4, p, PEER_B, v6, &port6, &prefix_idx));
	CU_ASSERT_EQUAL(prefix_idx, 0);
	CU_ASSERT_FALSE(sessions_find_by4(s, 17, v4, p, SERVER, v6, &port6, &prefix_idx));
	CU_ASSERT_FALSE(sessions_find_by6(s, 6, src6, 5001, &fv4, &fp));
	ASSERT_STATE(s, cfg, "V6_INIT", T0 + TO_TRANS * SEC);
	CU_ASSERT_EQUAL(active(s), 1);
	sessions_free(s);
	free(cfg);
}

static void test_reload_keeps_and_drops(void)
{
	struct nat6to4_config *cfg = config_base();
	const n64_v4 other = V4(203, 0, 113, 2);
	cfg->pool[1] = (struct n64_pool){ other, other, 1024, 65535 };
	cfg->npool = 2;
	struct n64_sessions *s = sessions_new(cfg);
	/* Hosts until both pool addresses are in use (host hash picks one). */
	int on_first = 0, on_other = 0;
	for (uint32_t h = 1; h <= 64 && !(on_first >= 2 && on_other >= 2); h++) {
		n64_v4 v4;
		uint16_t p;
		CU_ASSERT_EQUAL(out6(s, 17, h, 5000, SERVER, 53, 0, T0, &v4, &p), NAT6TO4_R_OK);
		on_first += v4 == POOL4;
		on_other += v4 == other;
	}
	CU_ASSERT_TRUE(on_first >= 2 && on_other >= 2);
	/* Pool reduced to `other`; one new static. */
	struct nat6to4_config *c2 = config_base();
	c2->pool[0] = cfg->pool[1];
	c2->statics[0] = (struct n64_static){ 17, { 0 }, 53, other, 53 };
	host6(999, c2->statics[0].v6);
	c2->nstatic = 1;
	CU_ASSERT_EQUAL(sessions_reload(s, c2, T0 + SEC), on_other);
	CU_ASSERT_EQUAL(active(s), (uint64_t)on_other);
	CU_ASSERT_EQUAL(bindings(s), (uint64_t)on_other + 1);
	n64_v4 v4;
	uint16_t p;
	uint8_t v999[16];
	host6(999, v999);
	CU_ASSERT_TRUE(sessions_find_by6(s, 17, v999, 53, &v4, &p));
	CU_ASSERT_EQUAL(v4, other);
	CU_ASSERT_EQUAL(p, 53);
	uint64_t created, expired, act, bib;
	sessions_counts(s, &created, &expired, &act, &bib);
	CU_ASSERT_EQUAL(created, (uint64_t)(on_first + on_other));
	CU_ASSERT_EQUAL(expired, (uint64_t)on_first);
	sessions_free(s);
	free(cfg);
	free(c2);
}

static void test_reload_new_timeouts(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	out_ok(s, 17, 1, 5000, SERVER, 53, 0, T0);
	out_ok(s, 17, 2, 5000, SERVER, 53, 0, T0 + 20 * SEC);
	cfg->timeout_s[N64_TO_UDP] = 15;
	/* At T0+30: the first was idle 30 s > 15 s, the second 10 s. */
	CU_ASSERT_EQUAL(sessions_reload(s, cfg, T0 + 30 * SEC), 1);
	struct nat6to4_session_info si = only_session(s, cfg);
	uint8_t h2[16];
	host6(2, h2);
	CU_ASSERT_EQUAL(memcmp(si.v6_addr, h2, 16), 0);
	CU_ASSERT_EQUAL(si.expires_ns, T0 + 35 * SEC);
	/* The new timeout applies to refreshes from now on. */
	out_ok(s, 17, 2, 5000, SERVER, 53, 0, T0 + 31 * SEC);
	check_expiry_at(s, T0 + 31 * SEC, 15);
	sessions_free(s);
	free(cfg);
}

static int info_cmp(const struct nat6to4_session_info *a, const struct nat6to4_session_info *b)
{
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	int c = memcmp(a->v6_addr, b->v6_addr, 16);
	if (c)
		return c;
	if (a->v6_port != b->v6_port)
		return a->v6_port < b->v6_port ? -1 : 1;
	c = memcmp(a->remote4, b->remote4, 4);
	if (c)
		return c;
	return a->remote_port < b->remote_port ? -1 : a->remote_port > b->remote_port;
}

static void test_walk_order_and_fields(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	/* Created out of order on purpose. */
	out_ok(s, 17, 3, 6000, PEER_B, 53, 0, T0);
	out_ok(s, 6, 2, 7000, SERVER, 80, N64_TCP_SYN, T0);
	out_ok(s, 17, 1, 6000, SERVER, 53, 0, T0);
	out_ok(s, 1, 1, 0x42, SERVER, 0, 0, T0);
	out_ok(s, 17, 1, 5000, PEER_B, 53, 0, T0);
	out_ok(s, 17, 1, 5000, SERVER, 53, 0, T0);
	struct seen w = { 0 };
	CU_ASSERT_EQUAL(sessions_walk(s, cfg, collect, &w), 6);
	CU_ASSERT_EQUAL(w.n, 6);
	for (size_t i = 1; i < w.n; i++)
		CU_ASSERT_TRUE(info_cmp(&w.info[i - 1], &w.info[i]) < 0);
	CU_ASSERT_EQUAL(w.info[0].proto, 1);
	CU_ASSERT_STRING_EQUAL(w.info[0].state, "ICMP");
	CU_ASSERT_EQUAL(w.info[1].proto, 6);
	CU_ASSERT_STRING_EQUAL(w.info[1].state, "V6_INIT");
	CU_ASSERT_STRING_EQUAL(w.info[2].state, "UDP");
	/* 2001:df0:9:1::1 port 5000 -> 202.83.176.248:53 is the fourth
	 * (proto 17; host ::1; port 5000; remote 198.51.100.7 first). */
	const struct nat6to4_session_info *u = &w.info[3];
	uint8_t h1[16];
	host6(1, h1);
	CU_ASSERT_EQUAL(memcmp(u->v6_addr, h1, 16), 0);
	CU_ASSERT_EQUAL(u->v6_port, 5000);
	static const uint8_t server4[4] = { 202, 83, 176, 248 };
	static const uint8_t pool4[4] = { 203, 0, 113, 1 };
	/* The seed: 2001:DF0:9::CA53:B0F8 = 202.83.176.248. */
	static const uint8_t server6[16] = { 0x20, 0x01, 0x0d, 0xf0, 0x00, 0x09, 0, 0,
	                                     0, 0, 0, 0, 0xca, 0x53, 0xb0, 0xf8 };
	CU_ASSERT_EQUAL(memcmp(u->remote4, server4, 4), 0);
	CU_ASSERT_EQUAL(u->remote_port, 53);
	CU_ASSERT_EQUAL(memcmp(u->remote6, server6, 16), 0);
	CU_ASSERT_EQUAL(memcmp(u->v4_addr, pool4, 4), 0);
	CU_ASSERT_EQUAL(u->expires_ns, T0 + TO_UDP * SEC);
	CU_ASSERT_EQUAL(u->is_static, 0);
	sessions_free(s);
	free(cfg);
}

static void test_unsupported_proto(void)
{
	struct nat6to4_config *cfg = config_base();
	struct n64_sessions *s = sessions_new(cfg);
	n64_v4 v4;
	uint16_t p;
	CU_ASSERT_EQUAL(out6(s, 58, 1, 1, SERVER, 0, 0, T0, &v4, &p), NAT6TO4_R_UNSUPPORTED_PROTO);
	CU_ASSERT_EQUAL(active(s), 0);
	sessions_free(s);
	free(cfg);
}

static void count_only(void *user, const struct nat6to4_session_info *si)
{
	(void)si;
	(*(size_t *)user)++;
}

/* Random traffic on a tiny table: the bookkeeping always adds up. */
static void test_random_traffic_invariants(void)
{
	struct nat6to4_config *cfg = config_base();
	cfg->max_sessions = 64;
	cfg->pool[0].port_lo = 1024;
	cfg->pool[0].port_hi = 1055;
	cfg->timeout_s[N64_TO_UDP] = 3;
	cfg->timeout_s[N64_TO_ICMP] = 2;
	cfg->timeout_s[N64_TO_TCP_TRANS] = 4;
	cfg->timeout_s[N64_TO_TCP_EST] = 9;
	cfg->filtering = N64_FILTER_ADDRESS_DEPENDENT;
	struct n64_sessions *s = sessions_new(cfg);
	static const uint8_t protos[] = { 6, 17, 1, 58 };
	uint32_t rng = 12345;
	uint64_t now = T0;
	bool ok = true;
	for (int i = 0; i < 20000 && ok; i++) {
		rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5; /* xorshift32 */
		uint8_t proto = protos[rng & 3];
		uint8_t flags = (uint8_t)(rng >> 8);
		now += (rng >> 16) % 250 * (SEC / 1000); /* 0-249 ms */
		n64_v4 v4;
		uint16_t p;
		if (rng & 0x80000000u)
			out6(s, proto, (rng >> 4) & 15, (uint16_t)(1024 + ((rng >> 12) & 7)),
			     V4(192, 0, 2, (rng >> 20) & 3), 80, flags, now, &v4, &p);
		else
			in4(s, proto, V4(192, 0, 2, (rng >> 20) & 3), 80, POOL4,
			    (uint16_t)(1024 + ((rng >> 12) & 31)), flags, now, NULL, NULL);
		if (i % 997 == 0)
			sessions_expire(s, now);
		uint64_t c, e, a, b;
		sessions_counts(s, &c, &e, &a, &b);
		size_t walked = 0;
		sessions_walk(s, cfg, count_only, &walked);
		ok = c == e + a && a <= 64 && b <= a && walked == a;
	}
	CU_ASSERT_TRUE(ok);
	uint64_t c, e, a, b;
	sessions_counts(s, &c, &e, &a, &b);
	CU_ASSERT_TRUE(c > 64); /* the table really was recycled */
	sessions_expire(s, now + 10 * SEC);
	CU_ASSERT_EQUAL(active(s), 0);
	CU_ASSERT_EQUAL(bindings(s), 0);
	sessions_free(s);
	free(cfg);
}

/* A million live sessions fit, are found again, and cost <= 128 B each. */
static void test_million_sessions(void)
{
	enum { N = 1000000 };
	struct nat6to4_config *cfg = config_base();
	cfg->max_sessions = 1u << 20;
	cfg->pool[0] = (struct n64_pool){ V4(100, 64, 0, 0), V4(100, 64, 0, 255), 1024, 65535 };
	struct n64_sessions *s = sessions_new(cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(sessions_bytes_per_session(s) <= 128);
	CU_ASSERT_TRUE(sessions_bytes_per_session(s) >= 40); /* at least a session record */
	n64_v4 *v4 = malloc(N * sizeof *v4);
	uint16_t *p = malloc(N * sizeof *p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	long bad = 0;
	for (uint32_t i = 0; i < N; i++)
		bad += out6(s, 17, i / 16, (uint16_t)(10000 + i % 16), SERVER, 53, 0, T0, &v4[i], &p[i]) !=
		       NAT6TO4_R_OK;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(active(s), N);
	CU_ASSERT_EQUAL(bindings(s), N);
	for (uint32_t i = 0; i < N; i++) {
		n64_v4 a;
		uint16_t q, port6;
		uint8_t v6[16], want6[16], pi;
		bad += out6(s, 17, i / 16, (uint16_t)(10000 + i % 16), SERVER, 53, 0, T0 + SEC, &a, &q) !=
		       NAT6TO4_R_OK || a != v4[i] || q != p[i];
		host6(i / 16, want6);
		bad += !sessions_find_by4(s, 17, v4[i], p[i], SERVER, v6, &port6, &pi) ||
		       memcmp(v6, want6, 16) != 0 || port6 != 10000 + i % 16;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(active(s), N);
	CU_ASSERT_EQUAL(sessions_expire(s, T0 + SEC + TO_UDP * SEC), N);
	CU_ASSERT_EQUAL(bindings(s), 0);
	free(v4);
	free(p);
	sessions_free(s);
	free(cfg);
}

int suite_session(void)
{
	CU_pSuite suite = CU_add_suite("session", NULL, NULL);
	if (!suite)
		return -1;
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "eim_same_mapping_any_destination", test_eim_same_mapping_any_destination },
		{ "deterministic_allocation", test_deterministic_allocation },
		{ "distinct_bindings_get_distinct_ports", test_distinct_bindings_get_distinct_ports },
		{ "port_preservation", test_port_preservation },
		{ "pool_exhaustion", test_pool_exhaustion },
		{ "table_full", test_table_full },
		{ "expiry_udp_icmp", test_expiry_udp_icmp },
		{ "expiry_is_lazy_too", test_expiry_is_lazy_too },
		{ "expiry_tcp", test_expiry_tcp },
		{ "tcp_close_from_v6", test_tcp_close_from_v6 },
		{ "tcp_close_from_v4", test_tcp_close_from_v4 },
		{ "tcp_rst_trans", test_tcp_rst_trans },
		{ "tcp_init_timers", test_tcp_init_timers },
		{ "tcp_not_syn", test_tcp_not_syn },
		{ "inbound_without_binding", test_inbound_without_binding },
		{ "filtering_adf_vs_eif", test_filtering_adf_vs_eif },
		{ "static_binding_inbound", test_static_binding_inbound },
		{ "find_changes_nothing", test_find_changes_nothing },
		{ "reload_keeps_and_drops", test_reload_keeps_and_drops },
		{ "reload_new_timeouts", test_reload_new_timeouts },
		{ "walk_order_and_fields", test_walk_order_and_fields },
		{ "unsupported_proto", test_unsupported_proto },
		{ "random_traffic_invariants", test_random_traffic_invariants },
		{ "million_sessions", test_million_sessions },
	};
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
