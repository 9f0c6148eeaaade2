/*
 * LCP (RFC 1661 section 6): the options ppp(8) uses over PPPoE — MRU (1),
 * Authentication-Protocol (3), Quality-Protocol (4, LQR), Magic-Number
 * (5); compression options (PFC 7, ACFC 8) are not offered and are
 * rejected, as RFC 2516 section 7 asks of ACFC. Also Protocol-Reject,
 * Echo-Request/-Reply (ppp(8)'s `enable echo`) and Discard-Request.
 */
#include <string.h>

#include "ppp_var.h"

enum { CI_MRU = 1, CI_AUTH = 3, CI_QUALITY = 4, CI_MAGIC = 5, CI_PFC = 7, CI_ACFC = 8 };
#define LCP_MIN_MRU 64
#define CHAP_MD5 5
#define ECHO_DEFAULT_PERIOD 10 /* s, ppp(8) `set echoperiod` */
#define ECHO_DEFAULT_LOST 5    /* ppp(8) hangs up with more than 5 unanswered */

static struct ppp_link *lnk(struct ppp_fsm *f) { return f->owner; }
static bool rejected(const struct lcp_state *s, int type) { return s->rejected & (1u << type); }

static uint32_t new_magic(struct ppp_link *l)
{
	uint32_t m;
	do
		m = (uint32_t)prng_next(&l->sim->prng);
	while (m == 0);
	return m;
}

/* Our wants back to the configuration, at each start of the layer, so
 * that a renegotiation warns about the MRU again, as the seed shows. */
void lcp_setup(struct ppp_link *l)
{
	struct lcp_state *s = &l->lcps;
	s->want_mru = l->conf.mru ? l->conf.mru : 1500;
	s->want_magic = new_magic(l);
	s->want_auth = l->conf.authenticator ? l->conf.auth : PPP_AUTH_NONE;
	s->want_lqr = l->conf.lqr ? (l->conf.lqr_period_s ? l->conf.lqr_period_s : 30) * 100 : 0;
	s->rejected = 0;
	s->my_lqr_on = false;
	/* The his_* side is not touched: tld runs after the peer's request
	 * that caused it was parsed (RCR in Opened: tld,scr,sca). */
}

static size_t put_auth(uint8_t *out, size_t room, size_t n, enum ppp_auth a)
{
	uint8_t v[3];
	ppp_wr16(v, a == PPP_AUTH_PAP ? PPP_PAP : PPP_CHAP);
	v[2] = CHAP_MD5;
	return ppp_opt_put(out, room, n, CI_AUTH, v, a == PPP_AUTH_PAP ? 2 : 3);
}

/* ppp(8)'s order: MRU, Magic-Number, Quality-Protocol, Auth-Protocol. */
static size_t lcp_build_req(struct ppp_fsm *f, uint8_t *out, size_t room)
{
	struct ppp_link *l = lnk(f);
	struct lcp_state *s = &l->lcps;
	uint8_t v[6];
	size_t n = 0;
	if (l->lower_mtu && s->want_mru > l->lower_mtu) {
		ppp_log(l, "Warning: deflink: Reducing configured MRU from %u to %u",
		        (unsigned)s->want_mru, (unsigned)l->lower_mtu);
		s->want_mru = l->lower_mtu;
	}
	if (!rejected(s, CI_MRU)) {
		ppp_wr16(v, s->want_mru);
		n = ppp_opt_put(out, room, n, CI_MRU, v, 2);
	}
	if (s->want_magic && !rejected(s, CI_MAGIC)) {
		ppp_wr32(v, s->want_magic);
		n = ppp_opt_put(out, room, n, CI_MAGIC, v, 4);
	}
	if (s->want_lqr && !rejected(s, CI_QUALITY)) {
		ppp_wr16(v, PPP_LQR);
		ppp_wr32(v + 2, s->want_lqr);
		n = ppp_opt_put(out, room, n, CI_QUALITY, v, 6);
	}
	if (s->want_auth != PPP_AUTH_NONE && !rejected(s, CI_AUTH))
		n = put_auth(out, room, n, s->want_auth);
	return n;
}

/* The peer's Authentication-Protocol: PAP, or CHAP with MD5; anything
 * else is Nak'd with CHAP-MD5. */
static void his_auth(struct lcp_state *s, const uint8_t *o, struct ppp_optreply *r)
{
	uint16_t proto = o[1] >= 4 ? ppp_rd16(o + 2) : 0;
	if (proto == PPP_PAP && o[1] == 4) {
		s->his_auth = PPP_AUTH_PAP;
	} else if (proto == PPP_CHAP && o[1] == 5 && o[4] == CHAP_MD5) {
		s->his_auth = PPP_AUTH_CHAP_MD5;
	} else {
		uint8_t v[3] = { PPP_CHAP >> 8, PPP_CHAP & 0xff, CHAP_MD5 };
		ppp_optreply_nak(r, o, CI_AUTH, v, 3);
	}
}

static void his_quality(struct lcp_state *s, const uint8_t *o, uint32_t period,
                        struct ppp_optreply *r)
{
	if (o[1] == 8 && ppp_rd16(o + 2) == PPP_LQR) {
		s->his_lqr = ppp_rd32(o + 4);
		s->his_lqr_on = true;
		return;
	}
	uint8_t v[6];
	ppp_wr16(v, PPP_LQR);
	ppp_wr32(v + 2, period);
	ppp_optreply_nak(r, o, CI_QUALITY, v, 6);
}

static void his_magic(struct ppp_link *l, const uint8_t *o, struct ppp_optreply *r)
{
	uint32_t m = ppp_rd32(o + 2);
	/* Zero, or our own number: a looped-back link or a collision (RFC 1661
	 * 6.4); Nak with a fresh random number. */
	if (m == 0 || m == l->lcps.want_magic) {
		uint8_t v[4];
		ppp_wr32(v, new_magic(l));
		ppp_optreply_nak(r, o, CI_MAGIC, v, 4);
		return;
	}
	l->lcps.his_magic = m;
}

static void his_option(struct ppp_link *l, const uint8_t *o, struct ppp_optreply *r)
{
	struct lcp_state *s = &l->lcps;
	switch (o[0]) {
	case CI_MRU:
		if (o[1] != 4)
			ppp_optreply_rej(r, o);
		else if (ppp_rd16(o + 2) < LCP_MIN_MRU) {
			uint8_t v[2];
			ppp_wr16(v, 1500);
			ppp_optreply_nak(r, o, CI_MRU, v, 2);
		} else
			s->his_mru = ppp_rd16(o + 2);
		break;
	case CI_AUTH:
		if (o[1] < 4)
			ppp_optreply_rej(r, o);
		else
			his_auth(s, o, r);
		break;
	case CI_QUALITY:
		if (o[1] < 4)
			ppp_optreply_rej(r, o);
		else
			his_quality(s, o, s->want_lqr ? s->want_lqr : 3000, r);
		break;
	case CI_MAGIC:
		if (o[1] != 6)
			ppp_optreply_rej(r, o);
		else
			his_magic(l, o, r);
		break;
	default: /* PFC, ACFC, ACCM and the rest */
		ppp_optreply_rej(r, o);
	}
}

static enum ppp_cr_verdict lcp_rcv_req(struct ppp_fsm *f, const uint8_t *opt, size_t len,
                                       uint8_t *reply, size_t room, size_t *rlen, bool may_nak)
{
	struct ppp_link *l = lnk(f);
	struct lcp_state *s = &l->lcps;
	struct ppp_optreply r = { .may_nak = may_nak };
	s->his_mru = 1500;
	s->his_magic = 0;
	s->his_auth = PPP_AUTH_NONE;
	s->his_lqr = 0;
	s->his_lqr_on = false;
	for (size_t at = 0; at < len; at += opt[at + 1])
		his_option(l, opt + at, &r);
	return ppp_optreply_finish(&r, opt, len, reply, room, rlen);
}

static void lcp_rcv_ack(struct ppp_fsm *f)
{
	struct lcp_state *s = &lnk(f)->lcps;
	s->my_lqr_on = s->want_lqr && !rejected(s, CI_QUALITY);
}

static void nak_option(struct ppp_link *l, const uint8_t *o)
{
	struct lcp_state *s = &l->lcps;
	if (o[0] == CI_MRU && o[1] == 4) {
		uint16_t mru = ppp_rd16(o + 2);
		if (mru >= LCP_MIN_MRU && (!l->lower_mtu || mru <= l->lower_mtu))
			s->want_mru = mru;
	} else if (o[0] == CI_MAGIC && o[1] == 6) {
		s->want_magic = new_magic(l);
	} else if (o[0] == CI_QUALITY && o[1] == 8 && ppp_rd16(o + 2) == PPP_LQR) {
		s->want_lqr = ppp_rd32(o + 4);
	} else if (o[0] == CI_QUALITY) {
		s->rejected |= 1u << CI_QUALITY; /* only LQR is known here */
	} else if (o[0] == CI_AUTH && o[1] >= 4) {
		uint16_t p = ppp_rd16(o + 2);
		if (p == PPP_PAP)
			s->want_auth = PPP_AUTH_PAP;
		else if (p == PPP_CHAP && o[1] == 5 && o[4] == CHAP_MD5)
			s->want_auth = PPP_AUTH_CHAP_MD5;
	}
}

static bool lcp_rcv_nak(struct ppp_fsm *f, const uint8_t *opt, size_t len)
{
	for (size_t at = 0; at < len; at += opt[at + 1])
		nak_option(lnk(f), opt + at);
	return true;
}

static bool lcp_rcv_rej(struct ppp_fsm *f, const uint8_t *opt, size_t len)
{
	struct ppp_link *l = lnk(f);
	for (size_t at = 0; at < len; at += opt[at + 1])
		if (opt[at] < 32)
			l->lcps.rejected |= 1u << opt[at];
	return true;
}

/* ---- extension codes ---------------------------------------------------- */

static enum ppp_fsm_event rcv_proto_rej(struct ppp_link *l, const uint8_t *d, size_t n)
{
	if (n < 2)
		return PPP_FSM_NEVENTS;
	uint16_t proto = ppp_rd16(d);
	if (proto == PPP_LCP)
		return PPP_EV_RXJ_MINUS;
	ppp_protocol_rejected(l, proto);
	return PPP_EV_RXJ_PLUS;
}

static enum ppp_fsm_event lcp_rcv_extra(struct ppp_fsm *f, uint8_t code, uint8_t id,
                                        const uint8_t *d, size_t n)
{
	(void)id;
	struct ppp_link *l = lnk(f);
	switch (code) {
	case PPP_PROTO_REJ:
		return rcv_proto_rej(l, d, n);
	case PPP_ECHO_REQ:
	case PPP_DISC_REQ:
		return n >= 4 ? PPP_EV_RXR : PPP_FSM_NEVENTS;
	case PPP_ECHO_REP:
		if (n < 4)
			return PPP_FSM_NEVENTS;
		if (f->state == PPP_OPENED && ppp_rd32(d) != l->lcps.want_magic)
			l->lcps.echo_recv++;
		return PPP_EV_RXR;
	default:
		return PPP_EV_RUC;
	}
}

/* ser: an Echo-Reply with our magic number and the request's data. A
 * request carrying our own magic number is our own, looped back. */
static void lcp_ser(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	if (!f->rx || f->rx_len < 8 || f->rx[0] != PPP_ECHO_REQ)
		return;
	if (l->lcps.want_magic && ppp_rd32(f->rx + 4) == l->lcps.want_magic)
		return;
	uint8_t buf[1500];
	size_t n = f->rx_len - 4;
	if (n > sizeof buf)
		n = sizeof buf;
	memcpy(buf, f->rx + 4, n);
	ppp_wr32(buf, rejected(&l->lcps, CI_MAGIC) ? 0 : l->lcps.want_magic);
	ppp_fsm_send(f, PPP_ECHO_REP, f->rx[1], buf, n);
}

void lcp_send_protocol_reject(struct ppp_link *l, const uint8_t *frame, size_t len)
{
	if (l->lcp.state != PPP_OPENED)
		return; /* RFC 1661 5.7: only in the Opened state */
	ppp_fsm_send(&l->lcp, PPP_PROTO_REJ, l->lcp.next_id++, frame, len);
}

/* ---- echo (ppp(8) `enable echo`) ----------------------------------------- */

static void echo_tick(struct sim *sim, void *obj, uint64_t arg)
{
	struct ppp_link *l = obj;
	struct lcp_state *s = &l->lcps;
	if (!timer_current(&s->echo_timer, arg) || l->lcp.state != PPP_OPENED)
		return;
	uint32_t lost = l->conf.echo_failures ? l->conf.echo_failures : ECHO_DEFAULT_LOST;
	if (s->echo_sent - s->echo_recv >= lost) {
		ppp_hangup(l, "Too many LCP ECHO packets lost");
		return;
	}
	uint8_t d[8];
	ppp_wr32(d, rejected(s, CI_MAGIC) ? 0 : s->want_magic);
	ppp_wr32(d + 4, s->echo_sent);
	ppp_fsm_send(&l->lcp, PPP_ECHO_REQ, l->lcp.next_id++, d, sizeof d);
	s->echo_sent++;
	uint32_t period = l->conf.echo_period_s ? l->conf.echo_period_s : ECHO_DEFAULT_PERIOD;
	timer_arm(sim, &s->echo_timer, sim->now + period * SIM_S, echo_tick, l);
}

/* Echo runs only when LQR does not watch the link (ppp(8) prefers LQR). */
void lcp_echo_start(struct ppp_link *l)
{
	struct lcp_state *s = &l->lcps;
	s->echo_sent = s->echo_recv = 0;
	if (!l->conf.echo || s->his_lqr_on || s->my_lqr_on)
		return;
	uint32_t period = l->conf.echo_period_s ? l->conf.echo_period_s : ECHO_DEFAULT_PERIOD;
	timer_arm(l->sim, &s->echo_timer, l->sim->now + period * SIM_S, echo_tick, l);
}

void lcp_echo_stop(struct ppp_link *l)
{
	timer_cancel(&l->lcps.echo_timer);
}

/* ---- This-Layer actions -------------------------------------------------- */

static void lcp_tlu(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	lcp_echo_start(l);
	lqr_start(l);
	ppp_set_phase(l, PPP_PHASE_AUTHENTICATE);
	auth_start(l);
}

static void lcp_tld(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	lcp_echo_stop(l);
	lqr_stop(l);
	auth_stop(l);
	ppp_fsm_event(&l->ipcp, PPP_EV_DOWN);
	ppp_fsm_event(&l->ipv6cp, PPP_EV_DOWN);
	bool ending = f->state == PPP_CLOSING || f->state == PPP_STOPPING;
	ppp_set_phase(l, ending ? PPP_PHASE_TERMINATE : PPP_PHASE_ESTABLISH);
	if (!ending)
		lcp_setup(l);
}

static void lcp_tls(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	lcp_setup(l);
	ppp_set_phase(l, PPP_PHASE_ESTABLISH);
}

static void lcp_tlf(struct ppp_fsm *f)
{
	ppp_lcp_finished(lnk(f), NULL);
}

const struct ppp_fsm_ops ppp_lcp_ops = {
	.proto = PPP_LCP,
	.name = "LCP",
	.build_req = lcp_build_req,
	.rcv_req = lcp_rcv_req,
	.rcv_ack = lcp_rcv_ack,
	.rcv_nak = lcp_rcv_nak,
	.rcv_rej = lcp_rcv_rej,
	.rcv_extra = lcp_rcv_extra,
	.ser = lcp_ser,
	.tlu = lcp_tlu,
	.tld = lcp_tld,
	.tls = lcp_tls,
	.tlf = lcp_tlf,
};
