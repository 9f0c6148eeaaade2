/*
 * PPP end to end (sim/link/ppp*.c, lcp.c, ipcp.c, ipv6cp.c, ppp_auth.c):
 * two ppp_links back to back through a simulation, each one's frames fed
 * to the other's ppp_input by a zero-delay event. The client is the
 * seed's ppp(8) (`set authname ""`, `set authkey "secret"`, sk0's MAC
 * 00:0f:ea:2c:d5:18), the server the ISP. Expected bytes are written out
 * from the RFCs' figures; the CHAP response is computed here with libmd
 * from RFC 1994's formula.
 */
#include <CUnit/CUnit.h>
#include <md5.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/sim.h"
#include "link/ppp.h"

int suite_ppp(void);

#define MAXF 128
#define FLEN 96

struct end {
	struct sim *sim;
	struct ppp_link *l;
	struct end *peer;
	char log[8][128];
	int nlog;
	int auth_calls;
	bool auth_ok;
	char auth_msg[64];
	bool up4, up6;
	uint8_t my4[4], his4[4], my6[8], his6[8];
	char why[128];
	int downs;
	sim_time down_at;
	uint8_t f[MAXF][FLEN]; /* frames sent (first FLEN bytes) */
	size_t flen[MAXF];
	sim_time ft[MAXF];
	int nf;
	bool drop;             /* lose everything this end sends */
	int ip_in;
	int ip_family;
};

static void deliver(struct sim *sim, void *obj, uint64_t arg)
{
	struct end *to = obj;
	struct pbuf *p = (struct pbuf *)(uintptr_t)arg;
	ppp_input(to->l, pbuf_data(p), p->len);
	pbuf_release(sim, p);
}

static void cb_send(void *user, const uint8_t *frame, size_t len)
{
	struct end *e = user;
	if (e->nf < MAXF) {
		memcpy(e->f[e->nf], frame, len < FLEN ? len : FLEN);
		e->flen[e->nf] = len;
		e->ft[e->nf] = e->sim->now;
		e->nf++;
	}
	if (e->drop)
		return;
	struct pbuf *p = pbuf_copy(e->sim, frame, len);
	sim_after(e->sim, 0, deliver, e->peer, (uint64_t)(uintptr_t)p);
}

static void cb_log(void *user, const char *msg)
{
	struct end *e = user;
	if (e->nlog < 8)
		snprintf(e->log[e->nlog++], sizeof e->log[0], "%s", msg);
}

static void cb_auth(void *user, bool ok, const char *msg)
{
	struct end *e = user;
	e->auth_calls++;
	e->auth_ok = ok;
	snprintf(e->auth_msg, sizeof e->auth_msg, "%s", msg);
}

static void cb_ip4(void *user, const uint8_t my[4], const uint8_t his[4])
{
	struct end *e = user;
	e->up4 = true;
	memcpy(e->my4, my, 4);
	memcpy(e->his4, his, 4);
}

static void cb_ip6(void *user, const uint8_t my[8], const uint8_t his[8])
{
	struct end *e = user;
	e->up6 = true;
	memcpy(e->my6, my, 8);
	memcpy(e->his6, his, 8);
}

static void cb_down(void *user, const char *why)
{
	struct end *e = user;
	e->downs++;
	e->down_at = e->sim->now;
	snprintf(e->why, sizeof e->why, "%s", why);
}

static void cb_ip_input(void *user, int family, const uint8_t *pkt, size_t len)
{
	(void)pkt;
	(void)len;
	struct end *e = user;
	e->ip_in++;
	e->ip_family = family;
}

static const uint8_t k7_mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t isp_ifid[8] = { 0x02, 0x0c, 0x86, 0xff, 0xfe, 0x75, 0x24, 0x1b };
static const uint8_t k7_ifid[8] = { 0x02, 0x0f, 0xea, 0xff, 0xfe, 0x2c, 0xd5, 0x18 };
static const uint8_t isp_ip[4] = { 203, 0, 113, 1 }, k7_ip[4] = { 203, 0, 113, 77 };

static struct ppp_conf client_conf(void)
{
	struct ppp_conf c = { .mru = 1500, .ipcp = true, .ipv6cp = true };
	snprintf(c.authkey, sizeof c.authkey, "secret");
	memcpy(c.mac, k7_mac, 6);
	return c;
}

static struct ppp_conf server_conf(enum ppp_auth auth, const char *key)
{
	struct ppp_conf c = { .authenticator = true, .auth = auth, .mru = 1492, .ipcp = true,
	                      .ipv6cp = true };
	snprintf(c.authkey, sizeof c.authkey, "%s", key);
	memcpy(c.my_ip4, isp_ip, 4);
	memcpy(c.his_ip4, k7_ip, 4);
	memcpy(c.my_ifid, isp_ifid, 8);
	return c;
}

struct pair {
	struct sim *sim;
	struct end c, s;
};

static void pair_start(struct pair *p, const struct ppp_conf *cc, const struct ppp_conf *sc)
{
	memset(p, 0, sizeof *p);
	p->sim = sim_new(20091106, 0);
	struct end *ends[2] = { &p->c, &p->s };
	const struct ppp_conf *confs[2] = { cc, sc };
	for (int i = 0; i < 2; i++) {
		struct end *e = ends[i];
		e->sim = p->sim;
		e->peer = ends[1 - i];
		struct ppp_cb cb = { .send = cb_send, .log = cb_log, .auth_result = cb_auth,
		                     .ipcp_up = cb_ip4, .ipv6cp_up = cb_ip6, .link_down = cb_down,
		                     .ip_input = cb_ip_input, .user = e };
		e->l = ppp_new(p->sim, confs[i], &cb);
	}
	for (int i = 0; i < 2; i++) {
		ppp_open(ends[i]->l);
		ppp_lower_up(ends[i]->l, 1492);
	}
}

static void pair_free(struct pair *p)
{
	ppp_free(p->c.l);
	ppp_free(p->s.l);
	sim_free(p->sim);
}

/* Index of the n-th frame an end sent with this protocol and code, or -1. */
static int find(const struct end *e, uint16_t proto, int code, int nth)
{
	for (int i = 0; i < e->nf; i++)
		if (e->flen[i] >= 3 && (e->f[i][0] << 8 | e->f[i][1]) == proto &&
		    (code < 0 || e->f[i][2] == code) && nth-- == 0)
			return i;
	return -1;
}

static void test_lcp_mru_and_request_bytes(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	CU_ASSERT_EQUAL(p.c.nlog, 1);
	CU_ASSERT_STRING_EQUAL(p.c.log[0], "Warning: deflink: Reducing configured MRU from 1500 to 1492");
	CU_ASSERT_EQUAL(p.s.nlog, 0);
	CU_ASSERT_EQUAL(ppp_mtu(p.c.l), 1492);
	CU_ASSERT_EQUAL(ppp_phase_of(p.c.l), PPP_PHASE_NETWORK);
	/* RFC 1661 5.1 + 6.1 + 6.4: protocol c021, Configure-Request, id,
	 * length 14, MRU (type 1, length 4) 1492, Magic-Number (5, 6). */
	int i = find(&p.c, 0xc021, 1, 0);
	CU_ASSERT_FATAL(i >= 0);
	uint8_t want[16] = { 0xc0, 0x21, 0x01, p.c.f[i][3], 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
	                     0x05, 0x06, p.c.f[i][12], p.c.f[i][13], p.c.f[i][14], p.c.f[i][15] };
	CU_ASSERT_EQUAL(p.c.flen[i], 16);
	CU_ASSERT_EQUAL(memcmp(p.c.f[i], want, 16), 0);
	CU_ASSERT_NOT_EQUAL(p.c.f[i][12] | p.c.f[i][13] | p.c.f[i][14] | p.c.f[i][15], 0);
	/* The server's Configure-Ack repeats exactly those options. */
	int a = find(&p.s, 0xc021, 2, 0);
	CU_ASSERT_FATAL(a >= 0);
	CU_ASSERT_EQUAL(p.s.flen[a], 16);
	CU_ASSERT_EQUAL(p.s.f[a][3], p.c.f[i][3]);
	CU_ASSERT_EQUAL(memcmp(p.s.f[a] + 4, want + 4, 12), 0);
	/* Its own request asks PAP: Auth-Protocol (3, length 4) c023. */
	int r = find(&p.s, 0xc021, 1, 0);
	CU_ASSERT_FATAL(r >= 0);
	CU_ASSERT_EQUAL(p.s.flen[r], 20);
	static const uint8_t auth_pap[4] = { 0x03, 0x04, 0xc0, 0x23 };
	CU_ASSERT_EQUAL(memcmp(p.s.f[r] + 16, auth_pap, 4), 0);
	pair_free(&p);
}

static void test_lns_renegotiation(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	sc.renegotiate_after_auth = true;
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	/* The seed: the warning once at dial, once more on renegotiation. */
	CU_ASSERT_EQUAL(p.c.nlog, 2);
	CU_ASSERT_STRING_EQUAL(p.c.log[1], "Warning: deflink: Reducing configured MRU from 1500 to 1492");
	CU_ASSERT_TRUE(find(&p.c, 0xc023, 1, 1) >= 0); /* authenticated twice */
	CU_ASSERT_TRUE(p.c.up4 && p.c.up6);
	CU_ASSERT_EQUAL(memcmp(p.c.my6, k7_ifid, 8), 0);
	CU_ASSERT_EQUAL(ppp_phase_of(p.c.l), PPP_PHASE_NETWORK);
	CU_ASSERT_EQUAL(ppp_phase_of(p.s.l), PPP_PHASE_NETWORK);
	CU_ASSERT_EQUAL(p.c.downs + p.s.downs, 0);
	pair_free(&p);
}

static void test_lcp_lqr_option(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	cc.lqr = true;
	cc.lqr_period_s = 30;
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 70 * SIM_S);
	int i = find(&p.c, 0xc021, 1, 0);
	CU_ASSERT_FATAL(i >= 0);
	/* RFC 1989 2.4: Quality-Protocol type 4, length 8, c025, period in
	 * hundredths of a second (30 s = 3000 = 0x0bb8). */
	static const uint8_t q[8] = { 0x04, 0x08, 0xc0, 0x25, 0x00, 0x00, 0x0b, 0xb8 };
	CU_ASSERT_EQUAL(p.c.flen[i], 24);
	CU_ASSERT_EQUAL(memcmp(p.c.f[i] + 16, q, 8), 0);
	/* Both ends send 48-byte LQRs (the server at the period we asked). */
	int c1 = find(&p.c, 0xc025, -1, 0), s1 = find(&p.s, 0xc025, -1, 0);
	CU_ASSERT_FATAL(c1 >= 0 && s1 >= 0);
	CU_ASSERT_EQUAL(p.c.flen[c1], 50);
	CU_ASSERT_EQUAL(p.s.flen[s1], 50);
	CU_ASSERT_EQUAL(p.c.downs + p.s.downs, 0);
	/* The second report from the client carries the server's Out counters
	 * of the one before (LastOutLQRs = 1). */
	int c2 = find(&p.c, 0xc025, -1, 1);
	CU_ASSERT_FATAL(c2 >= 0);
	CU_ASSERT_EQUAL(p.c.f[c2][2 + 7], 1);
	pair_free(&p);
}

static void test_pap_ok_ncps(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	CU_ASSERT_TRUE(p.c.auth_ok);
	CU_ASSERT_STRING_EQUAL(p.c.auth_msg, "Greetings!!");
	/* RFC 1334 2.2.1: c023, code 1, id, length 12, Peer-ID "" , Passwd "secret". */
	int i = find(&p.c, 0xc023, 1, 0);
	CU_ASSERT_FATAL(i >= 0);
	uint8_t want[14] = { 0xc0, 0x23, 0x01, p.c.f[i][3], 0x00, 0x0c, 0x00, 0x06,
	                     's', 'e', 'c', 'r', 'e', 't' };
	CU_ASSERT_EQUAL(p.c.flen[i], 14);
	CU_ASSERT_EQUAL(memcmp(p.c.f[i], want, 14), 0);
	/* IPCP: the client asked 0.0.0.0, was Nak'd onto its address. */
	CU_ASSERT_TRUE(p.c.up4);
	CU_ASSERT_EQUAL(memcmp(p.c.my4, k7_ip, 4), 0);
	CU_ASSERT_EQUAL(memcmp(p.c.his4, isp_ip, 4), 0);
	int r = find(&p.c, 0x8021, 1, 0);
	CU_ASSERT_FATAL(r >= 0);
	static const uint8_t ask0[6] = { 0x03, 0x06, 0, 0, 0, 0 };
	CU_ASSERT_EQUAL(memcmp(p.c.f[r] + 6, ask0, 6), 0);
	/* IPV6CP: the seed's identifiers. */
	CU_ASSERT_TRUE(p.c.up6);
	CU_ASSERT_TRUE(p.s.up6);
	CU_ASSERT_EQUAL(memcmp(p.c.my6, k7_ifid, 8), 0);
	CU_ASSERT_EQUAL(memcmp(p.c.his6, isp_ifid, 8), 0);
	CU_ASSERT_EQUAL(memcmp(p.s.his6, k7_ifid, 8), 0);
	/* RFC 5072 4.1: Interface-Identifier type 1, length 10. */
	int v = find(&p.c, 0x8057, 1, 0);
	CU_ASSERT_FATAL(v >= 0);
	uint8_t v6[16] = { 0x80, 0x57, 0x01, p.c.f[v][3], 0x00, 0x0e, 0x01, 0x0a,
	                   0x02, 0x0f, 0xea, 0xff, 0xfe, 0x2c, 0xd5, 0x18 };
	CU_ASSERT_EQUAL(p.c.flen[v], 16);
	CU_ASSERT_EQUAL(memcmp(p.c.f[v], v6, 16), 0);
	/* IPv6 through the link. */
	uint8_t pkt[40] = { 0x60 };
	CU_ASSERT_EQUAL(ppp_output_ip(p.c.l, 6, pkt, sizeof pkt), 0);
	sim_run_until(p.sim, 11 * SIM_S);
	CU_ASSERT_EQUAL(p.s.ip_in, 1);
	CU_ASSERT_EQUAL(p.s.ip_family, 6);
	pair_free(&p);
}

static void test_pap_wrong_secret(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "other");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	CU_ASSERT_EQUAL(p.c.auth_calls, 1);
	CU_ASSERT_FALSE(p.c.auth_ok);
	CU_ASSERT_STRING_EQUAL(p.c.auth_msg, "Login incorrect");
	CU_ASSERT_EQUAL(p.c.downs, 1);
	CU_ASSERT_STRING_EQUAL(p.c.why, "Pap Input: FAILURE (Login incorrect)");
	CU_ASSERT_EQUAL(p.s.downs, 1);
	CU_ASSERT_STRING_EQUAL(p.s.why, "Auth failed");
	CU_ASSERT_FALSE(p.c.up4 || p.c.up6);
	CU_ASSERT_EQUAL(ppp_phase_of(p.c.l), PPP_PHASE_DEAD);
	CU_ASSERT_EQUAL(ppp_output_ip(p.c.l, 6, (const uint8_t *)"x", 1), -1);
	pair_free(&p);
}

static void test_chap_ok(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_CHAP_MD5, "secret");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	CU_ASSERT_TRUE(p.c.auth_ok);
	CU_ASSERT_STRING_EQUAL(p.c.auth_msg, "Welcome!!");
	CU_ASSERT_TRUE(p.c.up6);
	/* RFC 1994 4.1: Challenge c223 code 1: Value-Size 16, Value, Name. */
	int ch = find(&p.s, 0xc223, 1, 0), rs = find(&p.c, 0xc223, 2, 0);
	CU_ASSERT_FATAL(ch >= 0 && rs >= 0);
	CU_ASSERT_EQUAL(p.s.f[ch][6], 16);
	/* Response: same id, Value-Size 16, MD5(id || secret || challenge), Name "". */
	uint8_t id = p.s.f[ch][3];
	CU_ASSERT_EQUAL(p.c.f[rs][3], id);
	CU_ASSERT_EQUAL(p.c.flen[rs], 2 + 4 + 1 + 16);
	CU_ASSERT_EQUAL(p.c.f[rs][6], 16);
	uint8_t md[16];
	MD5_CTX ctx;
	MD5Init(&ctx);
	MD5Update(&ctx, &id, 1);
	MD5Update(&ctx, (const uint8_t *)"secret", 6);
	MD5Update(&ctx, p.s.f[ch] + 7, 16);
	MD5Final(md, &ctx);
	CU_ASSERT_EQUAL(memcmp(p.c.f[rs] + 7, md, 16), 0);
	pair_free(&p);
}

static void test_chap_wrong(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_CHAP_MD5, "nope");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	CU_ASSERT_FALSE(p.c.auth_ok);
	CU_ASSERT_STRING_EQUAL(p.c.auth_msg, "Invalid!!");
	CU_ASSERT_STRING_EQUAL(p.c.why, "Chap Input: FAILURE (Invalid!!)");
	CU_ASSERT_EQUAL(p.s.downs, 1);
	CU_ASSERT_FALSE(p.c.up4 || p.c.up6);
	pair_free(&p);
}

static void test_echo_loss(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	cc.echo = true;
	cc.echo_period_s = 10;
	cc.echo_failures = 3;
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 35 * SIM_S);
	/* Answered: Echo-Requests at 10, 20, 30 s and their replies. */
	CU_ASSERT_TRUE(find(&p.c, 0xc021, 9, 2) >= 0);
	CU_ASSERT_TRUE(find(&p.s, 0xc021, 10, 2) >= 0);
	CU_ASSERT_EQUAL(p.c.downs, 0);
	/* RFC 1661 5.8: Echo-Reply carries the replier's magic number. */
	int rq = find(&p.c, 0xc021, 9, 0), rp = find(&p.s, 0xc021, 10, 0);
	CU_ASSERT_EQUAL(p.c.f[rq][3], p.s.f[rp][3]);
	CU_ASSERT_NOT_EQUAL(memcmp(p.c.f[rq] + 6, p.s.f[rp] + 6, 4), 0);
	/* The peer goes silent after 35 s: requests at 40, 50, 60 s go
	 * unanswered, and at 70 s the link is given up. */
	p.s.drop = true;
	sim_run_until(p.sim, 100 * SIM_S);
	CU_ASSERT_EQUAL(p.c.downs, 1);
	CU_ASSERT_STRING_EQUAL(p.c.why, "Too many LCP ECHO packets lost");
	CU_ASSERT_EQUAL(p.c.down_at, 70 * SIM_S);
	CU_ASSERT_EQUAL(ppp_phase_of(p.c.l), PPP_PHASE_DEAD);
	pair_free(&p);
}

static void test_protocol_reject(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	/* An unknown protocol (0x0031, bridging): LCP Protocol-Reject (code 8)
	 * with the protocol and the information field (RFC 1661 5.7). */
	static const uint8_t odd[5] = { 0x00, 0x31, 0xde, 0xad, 0x01 };
	ppp_input(p.c.l, odd, sizeof odd);
	int i = find(&p.c, 0xc021, 8, 0);
	CU_ASSERT_FATAL(i >= 0);
	CU_ASSERT_EQUAL(p.c.flen[i], 2 + 4 + 5);
	CU_ASSERT_EQUAL(p.c.f[i][5], 9);
	CU_ASSERT_EQUAL(memcmp(p.c.f[i] + 6, odd, 5), 0);
	/* Malformed frames change nothing. */
	static const uint8_t bad_lcp[5] = { 0xc0, 0x21, 0x01, 0x09, 0x00 };
	ppp_input(p.c.l, bad_lcp, sizeof bad_lcp);
	ppp_input(p.c.l, odd, 1);
	sim_run_until(p.sim, 12 * SIM_S);
	CU_ASSERT_EQUAL(ppp_phase_of(p.c.l), PPP_PHASE_NETWORK);
	pair_free(&p);
}

static void test_ipv6cp_collision(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	memcpy(sc.my_ifid, k7_ifid, 8); /* both ends start with the same identifier */
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	CU_ASSERT_TRUE(p.c.up6 && p.s.up6);
	CU_ASSERT_NOT_EQUAL(memcmp(p.c.my6, p.c.his6, 8), 0);
	CU_ASSERT_EQUAL(memcmp(p.c.my6, p.s.his6, 8), 0);
	CU_ASSERT_EQUAL(memcmp(p.s.my6, p.c.his6, 8), 0);
	/* A Configure-Nak (code 3) with an identifier was sent. */
	CU_ASSERT_TRUE(find(&p.c, 0x8057, 3, 0) >= 0 || find(&p.s, 0x8057, 3, 0) >= 0);
	pair_free(&p);
}

static void test_close(void)
{
	struct ppp_conf cc = client_conf(), sc = server_conf(PPP_AUTH_PAP, "secret");
	struct pair p;
	pair_start(&p, &cc, &sc);
	sim_run_until(p.sim, 10 * SIM_S);
	ppp_close(p.c.l, "User requested");
	sim_run_until(p.sim, 30 * SIM_S);
	CU_ASSERT_TRUE(find(&p.c, 0xc021, 5, 0) >= 0);
	CU_ASSERT_TRUE(find(&p.s, 0xc021, 6, 0) >= 0);
	CU_ASSERT_EQUAL(p.c.downs, 1);
	CU_ASSERT_STRING_EQUAL(p.c.why, "User requested");
	CU_ASSERT_EQUAL(p.s.downs, 1);
	CU_ASSERT_STRING_EQUAL(p.s.why, "Peer terminated the link");
	pair_free(&p);
}

int suite_ppp(void)
{
	CU_pSuite s = CU_add_suite("ppp", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "lcp_mru_1492_warning_request_bytes", test_lcp_mru_and_request_bytes) ||
	    !CU_add_test(s, "lcp_quality_protocol_lqr", test_lcp_lqr_option) ||
	    !CU_add_test(s, "lns_renegotiation_second_warning", test_lns_renegotiation) ||
	    !CU_add_test(s, "pap_ok_ipcp_ipv6cp", test_pap_ok_ncps) ||
	    !CU_add_test(s, "pap_wrong_secret", test_pap_wrong_secret) ||
	    !CU_add_test(s, "chap_md5_ok", test_chap_ok) ||
	    !CU_add_test(s, "chap_md5_wrong", test_chap_wrong) ||
	    !CU_add_test(s, "lcp_echo_loss", test_echo_loss) ||
	    !CU_add_test(s, "protocol_reject", test_protocol_reject) ||
	    !CU_add_test(s, "ipv6cp_identifier_collision", test_ipv6cp_collision) ||
	    !CU_add_test(s, "close_terminate", test_close))
		return -1;
	return 0;
}
