/*
 * The Authenticate phase: PAP (RFC 1334) and CHAP with MD5 (RFC 1994),
 * as the client (`set authname` / `set authkey`) and as the authenticator
 * (the ISP). The messages are ppp(8)'s: PAP "Greetings!!" / "Login
 * incorrect", CHAP "Welcome!!" / "Invalid!!"; a client that is refused
 * hangs up with the line ppp(8) logs ("Pap Input: FAILURE (Login
 * incorrect)"), an authenticator that refuses with "Auth failed".
 */
#include <md5.h>
#include <stdio.h>
#include <string.h>

#include "ppp_var.h"

enum { PAP_REQ = 1, PAP_ACK, PAP_NAK };
enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE, CHAP_SUCCESS, CHAP_FAILURE };
#define CHAP_SERVER_NAME "isp"

void chap_md5_response(uint8_t id, const char *secret, const uint8_t *chal, size_t clen,
                       uint8_t out[16])
{
	MD5_CTX ctx;
	MD5Init(&ctx);
	MD5Update(&ctx, &id, 1);
	MD5Update(&ctx, (const uint8_t *)secret, strlen(secret));
	MD5Update(&ctx, chal, clen);
	MD5Final(out, &ctx);
}

static void auth_send(struct ppp_link *l, uint16_t proto, uint8_t code, uint8_t id,
                      const uint8_t *d, size_t n)
{
	uint8_t buf[600];
	if (n > sizeof buf - 4)
		n = sizeof buf - 4;
	buf[0] = code;
	buf[1] = id;
	ppp_wr16(buf + 2, (uint16_t)(n + 4));
	if (n)
		memcpy(buf + 4, d, n);
	ppp_send_proto(l, proto, buf, n + 4);
}

/* PAP Ack/Nak and CHAP Success/Failure: a message (PAP: length first). */
static void auth_send_msg(struct ppp_link *l, uint16_t proto, uint8_t code, uint8_t id,
                          const char *msg)
{
	uint8_t d[256];
	size_t n = strlen(msg), at = 0;
	if (n > 254)
		n = 254;
	if (proto == PPP_PAP)
		d[at++] = (uint8_t)n;
	memcpy(d + at, msg, n);
	auth_send(l, proto, code, id, d, at + n);
}

static enum ppp_auth server_role(const struct ppp_link *l)
{
	return (l->lcps.rejected & (1u << 3)) ? PPP_AUTH_NONE : l->lcps.want_auth;
}

static void check_done(struct ppp_link *l)
{
	struct auth_state *a = &l->auth;
	if (a->done || !a->server_ok || !a->client_ok)
		return;
	a->done = true;
	ppp_auth_done(l);
}

static void fail(struct ppp_link *l, const char *msg, const char *why)
{
	auth_stop(l);
	if (l->cb.auth_result)
		l->cb.auth_result(l->cb.user, false, msg);
	ppp_hangup(l, why);
}

/* ---- client ------------------------------------------------------------- */

static void pap_send_req(struct ppp_link *l)
{
	uint8_t d[2 + 64 + 64];
	size_t nl = strnlen(l->conf.authname, sizeof l->conf.authname - 1);
	size_t kl = strnlen(l->conf.authkey, sizeof l->conf.authkey - 1);
	d[0] = (uint8_t)nl;
	memcpy(d + 1, l->conf.authname, nl);
	d[1 + nl] = (uint8_t)kl;
	memcpy(d + 2 + nl, l->conf.authkey, kl);
	auth_send(l, PPP_PAP, PAP_REQ, l->auth.cid, d, 2 + nl + kl);
}

static void pap_client_tick(struct sim *sim, void *obj, uint64_t arg)
{
	struct ppp_link *l = obj;
	struct auth_state *a = &l->auth;
	if (!timer_current(&a->ctimer, arg) || a->client_ok)
		return;
	if (a->ctries >= l->lcp.max_configure) {
		fail(l, "no response", "Pap: no response from the peer");
		return;
	}
	a->cid++;
	a->ctries++;
	pap_send_req(l);
	timer_arm(sim, &a->ctimer, sim->now + (sim_time)l->lcp.restart_ms * SIM_MS,
	          pap_client_tick, l);
}

static void chap_respond(struct ppp_link *l, uint8_t id, const uint8_t *d, size_t n)
{
	if (n < 1 || d[0] == 0 || (size_t)d[0] + 1 > n)
		return;
	uint8_t r[1 + 16 + 64];
	r[0] = 16;
	chap_md5_response(id, l->conf.authkey, d + 1, d[0], r + 1);
	size_t nl = strnlen(l->conf.authname, sizeof l->conf.authname - 1);
	memcpy(r + 17, l->conf.authname, nl);
	auth_send(l, PPP_CHAP, CHAP_RESPONSE, id, r, 17 + nl);
}

static void client_result(struct ppp_link *l, bool ok, const char *proto, const uint8_t *m,
                          size_t mn)
{
	char msg[128], why[192];
	snprintf(msg, sizeof msg, "%.*s", (int)(mn < 127 ? mn : 127), (const char *)m);
	if (!ok) {
		snprintf(why, sizeof why, "%s Input: FAILURE (%s)", proto, msg);
		fail(l, msg, why);
		return;
	}
	if (l->auth.client_ok)
		return;
	l->auth.client_ok = true;
	timer_cancel(&l->auth.ctimer);
	if (l->cb.auth_result)
		l->cb.auth_result(l->cb.user, true, msg);
	check_done(l);
}

/* ---- server ------------------------------------------------------------- */

static void chap_send_challenge(struct ppp_link *l)
{
	struct auth_state *a = &l->auth;
	uint8_t d[1 + 16 + sizeof CHAP_SERVER_NAME];
	d[0] = 16;
	memcpy(d + 1, a->challenge, 16);
	memcpy(d + 17, CHAP_SERVER_NAME, sizeof CHAP_SERVER_NAME - 1);
	auth_send(l, PPP_CHAP, CHAP_CHALLENGE, a->sid, d, 16 + sizeof CHAP_SERVER_NAME);
}

static void chap_server_tick(struct sim *sim, void *obj, uint64_t arg)
{
	struct ppp_link *l = obj;
	struct auth_state *a = &l->auth;
	if (!timer_current(&a->stimer, arg) || a->server_ok)
		return;
	if (a->stries >= l->lcp.max_configure) {
		fail(l, "no response", "Chap: no response from the peer");
		return;
	}
	a->stries++;
	chap_send_challenge(l);
	timer_arm(sim, &a->stimer, sim->now + (sim_time)l->lcp.restart_ms * SIM_MS,
	          chap_server_tick, l);
}

static bool name_ok(const struct ppp_link *l, const uint8_t *name, size_t n)
{
	size_t want = strnlen(l->conf.authname, sizeof l->conf.authname);
	return want == 0 || (n == want && memcmp(name, l->conf.authname, n) == 0);
}

static void server_result(struct ppp_link *l, uint16_t proto, uint8_t id, bool ok)
{
	const char *msg = proto == PPP_PAP ? (ok ? "Greetings!!" : "Login incorrect")
	                                   : (ok ? "Welcome!!" : "Invalid!!");
	auth_send_msg(l, proto, proto == PPP_PAP ? (ok ? PAP_ACK : PAP_NAK)
	                                         : (ok ? CHAP_SUCCESS : CHAP_FAILURE),
	              id, msg);
	if (!ok) {
		fail(l, msg, "Auth failed");
		return;
	}
	bool first = !l->auth.server_ok;
	l->auth.server_ok = true;
	timer_cancel(&l->auth.stimer);
	if (first && l->cb.auth_result)
		l->cb.auth_result(l->cb.user, true, msg);
	check_done(l);
}

static void pap_server(struct ppp_link *l, uint8_t id, const uint8_t *d, size_t n)
{
	if (server_role(l) != PPP_AUTH_PAP || n < 1 || (size_t)d[0] + 2 > n)
		return;
	const uint8_t *name = d + 1, *key = d + 2 + d[0];
	size_t nl = d[0], kl = d[1 + nl];
	if (2 + nl + kl > n)
		return;
	if (l->auth.server_ok) { /* a retransmission: the same answer again */
		auth_send_msg(l, PPP_PAP, PAP_ACK, id, "Greetings!!");
		return;
	}
	bool ok = name_ok(l, name, nl) && kl == strlen(l->conf.authkey) &&
	          memcmp(key, l->conf.authkey, kl) == 0;
	server_result(l, PPP_PAP, id, ok);
}

static void chap_server(struct ppp_link *l, uint8_t id, const uint8_t *d, size_t n)
{
	struct auth_state *a = &l->auth;
	if (server_role(l) != PPP_AUTH_CHAP_MD5 || id != a->sid || n < 1 ||
	    (size_t)d[0] + 1 > n)
		return;
	if (a->server_ok) {
		auth_send_msg(l, PPP_CHAP, CHAP_SUCCESS, id, "Welcome!!");
		return;
	}
	uint8_t want[16];
	chap_md5_response(id, l->conf.authkey, a->challenge, 16, want);
	bool ok = d[0] == 16 && memcmp(d + 1, want, 16) == 0 &&
	          name_ok(l, d + 1 + d[0], n - 1 - d[0]);
	server_result(l, PPP_CHAP, id, ok);
}

/* ---- input and the phase ------------------------------------------------ */

void pap_input(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	if (len < 4 || ppp_rd16(pkt + 2) < 4 || ppp_rd16(pkt + 2) > len)
		return;
	size_t n = ppp_rd16(pkt + 2) - 4;
	const uint8_t *d = pkt + 4;
	if (pkt[0] == PAP_REQ) {
		pap_server(l, pkt[1], d, n);
	} else if ((pkt[0] == PAP_ACK || pkt[0] == PAP_NAK) && l->lcps.his_auth == PPP_AUTH_PAP &&
	           pkt[1] == l->auth.cid) {
		size_t mn = n >= 1 && (size_t)d[0] + 1 <= n ? d[0] : 0;
		client_result(l, pkt[0] == PAP_ACK, "Pap", d + 1, mn);
	}
}

void chap_input(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	if (len < 4 || ppp_rd16(pkt + 2) < 4 || ppp_rd16(pkt + 2) > len)
		return;
	size_t n = ppp_rd16(pkt + 2) - 4;
	const uint8_t *d = pkt + 4;
	switch (pkt[0]) {
	case CHAP_CHALLENGE:
		if (l->lcps.his_auth == PPP_AUTH_CHAP_MD5)
			chap_respond(l, pkt[1], d, n);
		break;
	case CHAP_RESPONSE:
		chap_server(l, pkt[1], d, n);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if (l->lcps.his_auth == PPP_AUTH_CHAP_MD5)
			client_result(l, pkt[0] == CHAP_SUCCESS, "Chap", d, n);
		break;
	default:
		break;
	}
}

void auth_start(struct ppp_link *l)
{
	struct auth_state *a = &l->auth;
	auth_stop(l);
	a->client_ok = l->lcps.his_auth == PPP_AUTH_NONE;
	a->server_ok = server_role(l) == PPP_AUTH_NONE;
	a->done = false;
	a->ctries = a->stries = 0;
	if (l->lcps.his_auth == PPP_AUTH_PAP) {
		a->ctries = 1;
		a->cid++;
		pap_send_req(l);
		timer_arm(l->sim, &a->ctimer, l->sim->now + (sim_time)l->lcp.restart_ms * SIM_MS,
		          pap_client_tick, l);
	}
	if (server_role(l) == PPP_AUTH_CHAP_MD5) {
		a->sid++;
		for (int i = 0; i < 16; i++)
			a->challenge[i] = (uint8_t)prng_below(&l->sim->prng, 256);
		a->stries = 1;
		chap_send_challenge(l);
		timer_arm(l->sim, &a->stimer, l->sim->now + (sim_time)l->lcp.restart_ms * SIM_MS,
		          chap_server_tick, l);
	}
	check_done(l);
}

void auth_stop(struct ppp_link *l)
{
	timer_cancel(&l->auth.ctimer);
	timer_cancel(&l->auth.stimer);
}
