/*
 * A PPP link (RFC 1661): the phases Dead -> Establish -> Authenticate ->
 * Network -> Terminate, the demultiplexing of received frames by protocol,
 * and IP/IPv6 in the network phase. LCP, authentication, LQR and the NCPs
 * live in their own files; this one wires them together.
 *
 * Callbacks must not free the link: ppp_free only marks it and stops its
 * timers, and the memory goes with the simulation (events already queued
 * for it find stale timer generations).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp_var.h"

struct ppp_link_box {
	struct ppp_link link;
	bool dead;
};

static struct ppp_link_box *box(struct ppp_link *l) { return (struct ppp_link_box *)l; }

void ppp_log(struct ppp_link *l, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (l->cb.log)
		l->cb.log(l->cb.user, msg);
}

void ppp_send_proto(struct ppp_link *l, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t frame[2 + 1500];
	if (box(l)->dead || !l->lower_up || len > sizeof frame - 2 || !l->cb.send)
		return;
	ppp_wr16(frame, proto);
	memcpy(frame + 2, pkt, len);
	lqr_count_out(l, len + 2);
	l->cb.send(l->cb.user, frame, len + 2);
}

void ppp_fsm_output(void *owner, uint16_t proto, const uint8_t *pkt, size_t len)
{
	ppp_send_proto(owner, proto, pkt, len);
}

void ppp_set_phase(struct ppp_link *l, enum ppp_phase phase)
{
	if (l->phase == phase)
		return;
	l->phase = phase;
	if (l->cb.phase)
		l->cb.phase(l->cb.user, phase);
}

struct ppp_link *ppp_new(struct sim *sim, const struct ppp_conf *conf, const struct ppp_cb *cb)
{
	struct ppp_link_box *b = sim_xcalloc(1, sizeof *b);
	struct ppp_link *l = &b->link;
	l->sim = sim;
	l->conf = *conf;
	l->conf.authname[sizeof l->conf.authname - 1] = '\0';
	l->conf.authkey[sizeof l->conf.authkey - 1] = '\0';
	l->cb = *cb;
	l->phase = PPP_PHASE_DEAD;
	ppp_fsm_init(&l->lcp, sim, &ppp_lcp_ops, l, ppp_fsm_output, conf);
	ppp_fsm_init(&l->ipcp, sim, &ppp_ipcp_ops, l, ppp_fsm_output, conf);
	ppp_fsm_init(&l->ipv6cp, sim, &ppp_ipv6cp_ops, l, ppp_fsm_output, conf);
	l->lcps.echo_timer.when = SIM_NEVER;
	l->lqr.timer.when = SIM_NEVER;
	l->auth.ctimer.when = l->auth.stimer.when = SIM_NEVER;
	lcp_setup(l);
	l->lcps.his_mru = 1500;
	ipcp_setup(l);
	ipv6cp_setup(l);
	return l;
}

static void free_hook(struct sim *sim, void *user)
{
	(void)sim;
	free(user);
}

void ppp_free(struct ppp_link *l)
{
	if (!l || box(l)->dead)
		return;
	box(l)->dead = true;
	ppp_fsm_stop(&l->lcp);
	ppp_fsm_stop(&l->ipcp);
	ppp_fsm_stop(&l->ipv6cp);
	lcp_echo_stop(l);
	lqr_stop(l);
	auth_stop(l);
	sim_on_free(l->sim, free_hook, box(l));
}

void ppp_lower_up(struct ppp_link *l, uint16_t lower_mtu)
{
	l->lower_mtu = lower_mtu;
	l->lower_up = true;
	ppp_fsm_event(&l->lcp, PPP_EV_UP);
}

void ppp_lower_down(struct ppp_link *l)
{
	l->lower_up = false;
	ppp_fsm_event(&l->lcp, PPP_EV_DOWN);
	ppp_set_phase(l, PPP_PHASE_DEAD);
}

void ppp_open(struct ppp_link *l)
{
	l->why[0] = '\0';
	ppp_fsm_event(&l->lcp, PPP_EV_OPEN);
}

void ppp_close(struct ppp_link *l, const char *why)
{
	snprintf(l->why, sizeof l->why, "%s", why ? why : "");
	ppp_fsm_event(&l->lcp, PPP_EV_CLOSE);
}

/* LCP This-Layer-Finished: ppp(8) now hangs the device up. */
void ppp_lcp_finished(struct ppp_link *l, const char *why)
{
	if (why)
		snprintf(l->why, sizeof l->why, "%s", why);
	ppp_set_phase(l, PPP_PHASE_DEAD);
	if (l->cb.link_down)
		l->cb.link_down(l->cb.user, l->why[0] ? l->why : "LCP negotiation failed");
}

void ppp_hangup(struct ppp_link *l, const char *why)
{
	snprintf(l->why, sizeof l->why, "%s", why);
	ppp_fsm_event(&l->lcp, PPP_EV_DOWN); /* tld takes the NCPs down with it */
	ppp_set_phase(l, PPP_PHASE_DEAD);
	if (l->cb.link_down)
		l->cb.link_down(l->cb.user, l->why);
}

/* Authentication finished both ways: open the NCPs (RFC 1661 3.5). */
void ppp_auth_done(struct ppp_link *l)
{
	if (l->conf.authenticator && l->conf.renegotiate_after_auth && !l->renegotiated) {
		/* The LNS takes over: a fresh LCP (Down, Up: a new Configure-Request
		 * that the client, in Opened, answers with tld,scr,sca). */
		l->renegotiated = true;
		ppp_fsm_event(&l->lcp, PPP_EV_DOWN);
		ppp_fsm_event(&l->lcp, PPP_EV_UP);
		return;
	}
	ppp_set_phase(l, PPP_PHASE_NETWORK);
	if (l->conf.ipcp) {
		ppp_fsm_event(&l->ipcp, PPP_EV_OPEN);
		ppp_fsm_event(&l->ipcp, PPP_EV_UP);
	}
	if (l->conf.ipv6cp) {
		ppp_fsm_event(&l->ipv6cp, PPP_EV_OPEN);
		ppp_fsm_event(&l->ipv6cp, PPP_EV_UP);
	}
}

/* The peer does not speak an NCP (or its network protocol): RXJ- there. */
void ppp_protocol_rejected(struct ppp_link *l, uint16_t proto)
{
	if (proto == PPP_IPCP || proto == PPP_IP)
		ppp_fsm_event(&l->ipcp, PPP_EV_RXJ_MINUS);
	else if (proto == PPP_IPV6CP || proto == PPP_IPV6)
		ppp_fsm_event(&l->ipv6cp, PPP_EV_RXJ_MINUS);
}

static bool ncp_enabled(const struct ppp_link *l, uint16_t proto)
{
	return (proto == PPP_IPCP && l->conf.ipcp) || (proto == PPP_IPV6CP && l->conf.ipv6cp);
}

static void network_input(struct ppp_link *l, uint16_t proto, const uint8_t *frame, size_t len)
{
	const uint8_t *p = frame + 2;
	size_t n = len - 2;
	struct ppp_fsm *ncp = proto == PPP_IPCP || proto == PPP_IP ? &l->ipcp : &l->ipv6cp;
	uint16_t cp = proto == PPP_IPCP || proto == PPP_IP ? PPP_IPCP : PPP_IPV6CP;
	if (!ncp_enabled(l, cp)) {
		lcp_send_protocol_reject(l, frame, len);
		return;
	}
	if (l->phase != PPP_PHASE_NETWORK)
		return; /* RFC 1661 3.5: NCP packets before the Network phase are dropped */
	if (proto == cp) {
		ppp_fsm_input(ncp, p, n);
	} else if (ncp->state == PPP_OPENED && l->cb.ip_input) {
		l->cb.ip_input(l->cb.user, proto == PPP_IP ? 4 : 6, p, n);
	} else {
		l->lqr.in_discards++;
	}
}

void ppp_input(struct ppp_link *l, const uint8_t *frame, size_t len)
{
	if (box(l)->dead || !l->lower_up)
		return;
	if (len < 2) {
		l->lqr.in_errors++;
		return;
	}
	lqr_count_in(l, len);
	uint16_t proto = ppp_rd16(frame);
	const uint8_t *p = frame + 2;
	size_t n = len - 2;
	bool lcp_open = l->lcp.state == PPP_OPENED;
	switch (proto) {
	case PPP_LCP:
		if (n >= 1 && p[0] == PPP_TERM_REQ && lcp_open)
			snprintf(l->why, sizeof l->why, "Peer terminated the link");
		ppp_fsm_input(&l->lcp, p, n);
		break;
	case PPP_PAP:
		if (lcp_open)
			pap_input(l, p, n);
		break;
	case PPP_CHAP:
		if (lcp_open)
			chap_input(l, p, n);
		break;
	case PPP_LQR:
		lqr_input(l, p, n);
		break;
	case PPP_IPCP:
	case PPP_IPV6CP:
	case PPP_IP:
	case PPP_IPV6:
		if (lcp_open)
			network_input(l, proto, frame, len);
		break;
	default:
		lcp_send_protocol_reject(l, frame, len);
	}
}

int ppp_output_ip(struct ppp_link *l, int family, const uint8_t *pkt, size_t len)
{
	struct ppp_fsm *ncp = family == 4 ? &l->ipcp : &l->ipv6cp;
	if (box(l)->dead || (family != 4 && family != 6) || ncp->state != PPP_OPENED ||
	    len > ppp_mtu(l))
		return -1;
	ppp_send_proto(l, family == 4 ? PPP_IP : PPP_IPV6, pkt, len);
	return 0;
}

enum ppp_phase ppp_phase_of(const struct ppp_link *l)
{
	return l->phase;
}

enum ppp_fsm_state ppp_fsm_state_of(const struct ppp_link *l, uint16_t proto)
{
	switch (proto) {
	case PPP_LCP:
		return l->lcp.state;
	case PPP_IPCP:
		return l->ipcp.state;
	case PPP_IPV6CP:
		return l->ipv6cp.state;
	}
	return PPP_INITIAL;
}

uint16_t ppp_mtu(const struct ppp_link *l)
{
	uint16_t mtu = l->lcps.his_mru ? l->lcps.his_mru : 1500;
	return l->lower_mtu && l->lower_mtu < mtu ? l->lower_mtu : mtu;
}
