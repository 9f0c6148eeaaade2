/*
 * The option-negotiation automaton of RFC 1661 section 4, shared by LCP,
 * IPCP and IPV6CP: the state table of section 4.1 as data, one transition
 * function that runs the actions, the restart timer and counters of 4.6,
 * and the packet classification of section 5 that turns received packets
 * into events. What is protocol-specific (options, This-Layer-*) comes
 * through struct ppp_fsm_ops.
 */
#include <string.h>

#include "ppp_var.h"

const char *const ppp_fsm_state_names[PPP_FSM_NSTATES] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing",
	"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

const char *const ppp_fsm_event_names[PPP_FSM_NEVENTS] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

struct ppp_fsm_rule {
	uint8_t next;
	uint16_t act;
};

/* Shorthands for the table; the "r" (restart) and "p" (passive) options
 * of the RFC are not taken: Open in Stopped/Stopping/Opened stays put. */
#define NO {0xff, PPP_A_ILLEGAL}
#define S0 {PPP_INITIAL, 0}
#define S1 {PPP_STARTING, 0}
#define S2 {PPP_CLOSED, 0}
#define S3 {PPP_STOPPED, 0}
#define S4 {PPP_CLOSING, 0}
#define S5 {PPP_STOPPING, 0}
#define S6 {PPP_REQ_SENT, 0}
#define S7 {PPP_ACK_RCVD, 0}
#define S8 {PPP_ACK_SENT, 0}
#define S9 {PPP_OPENED, 0}
#define R(s, a) {(s), (a)}
enum {
	TLD = PPP_A_TLD, TLS = PPP_A_TLS, IRC = PPP_A_IRC, ZRC = PPP_A_ZRC, SCR = PPP_A_SCR,
	SCA = PPP_A_SCA, SCN = PPP_A_SCN, STR = PPP_A_STR, STA = PPP_A_STA, SCJ = PPP_A_SCJ,
	SER = PPP_A_SER, TLU = PPP_A_TLU, TLF = PPP_A_TLF,
};

/* RFC 1661 section 4.1, one row per state, columns in event order:
 *   Up Down Open Close TO+ TO- RCR+ RCR- RCA RCN RTR RTA RUC RXJ+ RXJ- RXR */
static const struct ppp_fsm_rule fsm_table[PPP_FSM_NSTATES][PPP_FSM_NEVENTS] = {
	[PPP_INITIAL] = { S2, NO, R(PPP_STARTING, TLS), S0, NO, NO, NO, NO, NO, NO, NO, NO, NO,
	                  NO, NO, NO },
	[PPP_STARTING] = { R(PPP_REQ_SENT, IRC | SCR), NO, S1, R(PPP_INITIAL, TLF), NO, NO, NO,
	                   NO, NO, NO, NO, NO, NO, NO, NO, NO },
	[PPP_CLOSED] = { NO, S0, R(PPP_REQ_SENT, IRC | SCR), S2, NO, NO, R(PPP_CLOSED, STA),
	                 R(PPP_CLOSED, STA), R(PPP_CLOSED, STA), R(PPP_CLOSED, STA),
	                 R(PPP_CLOSED, STA), S2, R(PPP_CLOSED, SCJ), S2, R(PPP_CLOSED, TLF), S2 },
	[PPP_STOPPED] = { NO, R(PPP_STARTING, TLS), S3, S2, NO, NO,
	                  R(PPP_ACK_SENT, IRC | SCR | SCA), R(PPP_REQ_SENT, IRC | SCR | SCN),
	                  R(PPP_STOPPED, STA), R(PPP_STOPPED, STA), R(PPP_STOPPED, STA), S3,
	                  R(PPP_STOPPED, SCJ), S3, R(PPP_STOPPED, TLF), S3 },
	[PPP_CLOSING] = { NO, S0, S5, S4, R(PPP_CLOSING, STR), R(PPP_CLOSED, TLF), S4, S4, S4, S4,
	                  R(PPP_CLOSING, STA), R(PPP_CLOSED, TLF), R(PPP_CLOSING, SCJ), S4,
	                  R(PPP_CLOSED, TLF), S4 },
	[PPP_STOPPING] = { NO, S1, S5, S4, R(PPP_STOPPING, STR), R(PPP_STOPPED, TLF), S5, S5, S5,
	                   S5, R(PPP_STOPPING, STA), R(PPP_STOPPED, TLF), R(PPP_STOPPING, SCJ),
	                   S5, R(PPP_STOPPED, TLF), S5 },
	[PPP_REQ_SENT] = { NO, S1, S6, R(PPP_CLOSING, IRC | STR), R(PPP_REQ_SENT, SCR),
	                   R(PPP_STOPPED, TLF), R(PPP_ACK_SENT, SCA), R(PPP_REQ_SENT, SCN),
	                   R(PPP_ACK_RCVD, IRC), R(PPP_REQ_SENT, IRC | SCR),
	                   R(PPP_REQ_SENT, STA), S6, R(PPP_REQ_SENT, SCJ), S6,
	                   R(PPP_STOPPED, TLF), S6 },
	[PPP_ACK_RCVD] = { NO, S1, S7, R(PPP_CLOSING, IRC | STR), R(PPP_REQ_SENT, SCR),
	                   R(PPP_STOPPED, TLF), R(PPP_OPENED, SCA | TLU), R(PPP_ACK_RCVD, SCN),
	                   R(PPP_REQ_SENT, SCR), R(PPP_REQ_SENT, SCR), R(PPP_REQ_SENT, STA), S6,
	                   R(PPP_ACK_RCVD, SCJ), S6, R(PPP_STOPPED, TLF), S7 },
	[PPP_ACK_SENT] = { NO, S1, S8, R(PPP_CLOSING, IRC | STR), R(PPP_ACK_SENT, SCR),
	                   R(PPP_STOPPED, TLF), R(PPP_ACK_SENT, SCA), R(PPP_REQ_SENT, SCN),
	                   R(PPP_OPENED, IRC | TLU), R(PPP_ACK_SENT, IRC | SCR),
	                   R(PPP_REQ_SENT, STA), S8, R(PPP_ACK_SENT, SCJ), S8,
	                   R(PPP_STOPPED, TLF), S8 },
	[PPP_OPENED] = { NO, R(PPP_STARTING, TLD), S9, R(PPP_CLOSING, TLD | IRC | STR), NO, NO,
	                 R(PPP_ACK_SENT, TLD | SCR | SCA), R(PPP_REQ_SENT, TLD | SCR | SCN),
	                 R(PPP_REQ_SENT, TLD | SCR), R(PPP_REQ_SENT, TLD | SCR),
	                 R(PPP_STOPPING, TLD | ZRC | STA), R(PPP_REQ_SENT, TLD | SCR),
	                 R(PPP_OPENED, SCJ), S9, R(PPP_STOPPING, TLD | IRC | STR),
	                 R(PPP_OPENED, SER) },
};

static bool timer_state(enum ppp_fsm_state s)
{
	return s == PPP_CLOSING || s == PPP_STOPPING || s == PPP_REQ_SENT ||
	       s == PPP_ACK_RCVD || s == PPP_ACK_SENT;
}

void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
                  size_t len)
{
	uint8_t buf[1500];
	/* Code-Reject / Protocol-Reject carry what was received: truncate it
	 * to fit (RFC 1661 5.6, 5.7) rather than exceed the MRU. */
	if (len > sizeof buf - 4)
		len = sizeof buf - 4;
	buf[0] = code;
	buf[1] = id;
	ppp_wr16(buf + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(buf + 4, data, len);
	f->output(f->owner, f->ops->proto, buf, len + 4);
}

static void fsm_timeout(struct sim *sim, void *obj, uint64_t arg);

static void arm_restart(struct ppp_fsm *f)
{
	timer_arm(f->sim, &f->timer, f->sim->now + (sim_time)f->restart_ms * SIM_MS, fsm_timeout, f);
}

static void act_scr(struct ppp_fsm *f)
{
	uint8_t opts[PPP_FSM_MAXOPT];
	size_t n = f->ops->build_req ? f->ops->build_req(f, opts, sizeof opts) : 0;
	if (f->restart_count)
		f->restart_count--;
	f->req_id = f->next_id++;
	f->req_open = true;
	memcpy(f->req, opts, n);
	f->req_len = n;
	ppp_fsm_send(f, PPP_CONF_REQ, f->req_id, opts, n);
	arm_restart(f);
}

static void act_str(struct ppp_fsm *f)
{
	if (f->restart_count)
		f->restart_count--;
	ppp_fsm_send(f, PPP_TERM_REQ, f->next_id++, NULL, 0);
	arm_restart(f);
}

static void act_scj(struct ppp_fsm *f)
{
	ppp_fsm_send(f, PPP_CODE_REJ, f->next_id++, f->rx, f->rx ? f->rx_len : 0);
}

/* Section 4.6: irc loads Max-Terminate for the Terminate-Requests of
 * Closing/Stopping, Max-Configure otherwise; zrc empties the counter but
 * still waits one restart period (Opened + RTR -> Stopping). */
static void act_irc(struct ppp_fsm *f)
{
	bool term = f->state == PPP_CLOSING || f->state == PPP_STOPPING;
	f->restart_count = term ? f->max_terminate : f->max_configure;
}

/* Run the actions of `act` in their fixed order; tlu and tlf come last
 * because they may start other layers (or end this one). */
static void run_actions(struct ppp_fsm *f, unsigned act)
{
	const struct ppp_fsm_ops *o = f->ops;
	if ((act & PPP_A_TLD) && o->tld)
		o->tld(f);
	if ((act & PPP_A_TLS) && o->tls)
		o->tls(f);
	if (act & PPP_A_IRC)
		act_irc(f);
	if (act & PPP_A_ZRC) {
		f->restart_count = 0;
		arm_restart(f);
	}
	if (act & PPP_A_SCR)
		act_scr(f);
	if (act & PPP_A_SCA) {
		f->naks_sent = 0;
		ppp_fsm_send(f, PPP_CONF_ACK, f->rx_id, f->reply, f->reply_len);
	}
	if (act & PPP_A_SCN)
		ppp_fsm_send(f, f->reply_code == PPP_CONF_REJ ? PPP_CONF_REJ : PPP_CONF_NAK, f->rx_id,
		             f->reply, f->reply_len);
	if (act & PPP_A_STR)
		act_str(f);
	if (act & PPP_A_STA)
		ppp_fsm_send(f, PPP_TERM_ACK, f->rx_id, NULL, 0);
	if (act & PPP_A_SCJ)
		act_scj(f);
	if ((act & PPP_A_SER) && o->ser)
		o->ser(f);
	if ((act & PPP_A_TLU) && o->tlu)
		o->tlu(f);
	if ((act & PPP_A_TLF) && o->tlf)
		o->tlf(f);
}

/* The one transition function: look the (state, event) pair up, move,
 * stop the restart timer when leaving the states that run it, act. */
unsigned ppp_fsm_event(struct ppp_fsm *f, enum ppp_fsm_event ev)
{
	if ((unsigned)ev >= PPP_FSM_NEVENTS || (unsigned)f->state >= PPP_FSM_NSTATES)
		return PPP_A_ILLEGAL;
	const struct ppp_fsm_rule *r = &fsm_table[f->state][ev];
	if (r->act & PPP_A_ILLEGAL)
		return PPP_A_ILLEGAL; /* cannot happen in this state: ignore it */
	unsigned act = r->act;
	/* Max-Failure counts Naks sent without an Ack sent (4.6); a new
	 * negotiation started by Up or Open begins from zero. */
	if ((ev == PPP_EV_UP || ev == PPP_EV_OPEN) && (act & PPP_A_IRC))
		f->naks_sent = 0;
	f->state = (enum ppp_fsm_state)r->next;
	if (!timer_state(f->state))
		timer_cancel(&f->timer);
	run_actions(f, act);
	return act;
}

static void fsm_timeout(struct sim *sim, void *obj, uint64_t arg)
{
	(void)sim;
	struct ppp_fsm *f = obj;
	if (!timer_current(&f->timer, arg) || !timer_state(f->state))
		return;
	f->timer.when = SIM_NEVER;
	ppp_fsm_event(f, f->restart_count > 0 ? PPP_EV_TO_PLUS : PPP_EV_TO_MINUS);
}

void ppp_fsm_init(struct ppp_fsm *f, struct sim *sim, const struct ppp_fsm_ops *ops,
                  void *owner, void (*output)(void *, uint16_t, const uint8_t *, size_t),
                  const struct ppp_conf *conf)
{
	memset(f, 0, sizeof *f);
	f->ops = ops;
	f->sim = sim;
	f->owner = owner;
	f->output = output;
	f->state = PPP_INITIAL;
	f->timer.when = SIM_NEVER;
	f->restart_ms = conf && conf->restart_ms ? conf->restart_ms : 3000;
	f->max_configure = conf && conf->max_configure ? conf->max_configure : 10;
	f->max_terminate = conf && conf->max_terminate ? conf->max_terminate : 2;
	f->max_failure = conf && conf->max_failure ? conf->max_failure : 5;
	f->next_id = 1;
}

void ppp_fsm_stop(struct ppp_fsm *f)
{
	timer_cancel(&f->timer);
}

/* ---- option helpers ---------------------------------------------------- */

bool ppp_opt_valid(const uint8_t *opt, size_t len)
{
	size_t at = 0;
	while (at < len) {
		if (len - at < 2 || opt[at + 1] < 2 || opt[at + 1] > len - at)
			return false;
		at += opt[at + 1];
	}
	return true;
}

size_t ppp_opt_put(uint8_t *out, size_t room, size_t at, uint8_t type, const uint8_t *val,
                   uint8_t vlen)
{
	if (at > room || room - at < (size_t)vlen + 2 || vlen > 253)
		return at;
	out[at] = type;
	out[at + 1] = (uint8_t)(vlen + 2);
	if (vlen)
		memcpy(out + at + 2, val, vlen);
	return at + 2 + vlen;
}

/* A Nak carries our suggestion; once Max-Failure Naks went unheeded it
 * becomes a Reject of the option as received (RFC 1661 4.6). */
void ppp_optreply_nak(struct ppp_optreply *r, const uint8_t *orig, uint8_t type,
                      const uint8_t *val, uint8_t vlen)
{
	if (!r->may_nak) {
		ppp_optreply_rej(r, orig);
		return;
	}
	r->nak_len = ppp_opt_put(r->nak, sizeof r->nak, r->nak_len, type, val, vlen);
}

void ppp_optreply_rej(struct ppp_optreply *r, const uint8_t *orig)
{
	r->rej_len = ppp_opt_put(r->rej, sizeof r->rej, r->rej_len, orig[0], orig + 2,
	                         (uint8_t)(orig[1] - 2));
}

/* Rejects win over Naks, Naks over the Ack (RFC 1661 5.3, 5.4). */
enum ppp_cr_verdict ppp_optreply_finish(const struct ppp_optreply *r, const uint8_t *opt,
                                        size_t len, uint8_t *reply, size_t room, size_t *rlen)
{
	const uint8_t *src = opt;
	size_t n = len;
	enum ppp_cr_verdict v = PPP_CR_ACK;
	if (r->rej_len) {
		src = r->rej, n = r->rej_len, v = PPP_CR_REJ;
	} else if (r->nak_len) {
		src = r->nak, n = r->nak_len, v = PPP_CR_NAK;
	}
	if (n > room)
		n = room;
	if (n)
		memcpy(reply, src, n);
	*rlen = n;
	return v;
}

/* ---- received packets -> events (RFC 1661 section 5) ------------------- */

static int rcv_conf_req(struct ppp_fsm *f, uint8_t id, const uint8_t *d, size_t n)
{
	if (!ppp_opt_valid(d, n) || !f->ops->rcv_req)
		return -1;
	size_t rlen = 0;
	enum ppp_cr_verdict v = f->ops->rcv_req(f, d, n, f->reply, sizeof f->reply, &rlen,
	                                        f->naks_sent < f->max_failure);
	if (v == PPP_CR_BAD)
		return -1;
	f->rx_id = id;
	f->reply_len = rlen;
	f->reply_code = v == PPP_CR_ACK ? PPP_CONF_ACK : v == PPP_CR_NAK ? PPP_CONF_NAK
	                                                                 : PPP_CONF_REJ;
	if (v == PPP_CR_NAK)
		f->naks_sent++;
	return v == PPP_CR_ACK ? PPP_EV_RCR_PLUS : PPP_EV_RCR_MINUS;
}

/* Ack, Nak and Reject answer our last request only, once (a late copy of
 * an answer would otherwise look like a crossed connection). */
static int rcv_conf_answer(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *d,
                           size_t n)
{
	if (!f->req_open || id != f->req_id || !ppp_opt_valid(d, n))
		return -1;
	if (code == PPP_CONF_ACK) {
		/* Section 5.2: the options must match what we sent exactly. */
		if (n != f->req_len || (n && memcmp(d, f->req, n) != 0))
			return -1;
		if (f->ops->rcv_ack)
			f->ops->rcv_ack(f);
		f->req_open = false;
		return PPP_EV_RCA;
	}
	bool ok = code == PPP_CONF_NAK ? (!f->ops->rcv_nak || f->ops->rcv_nak(f, d, n))
	                               : (!f->ops->rcv_rej || f->ops->rcv_rej(f, d, n));
	if (!ok)
		return -1;
	f->req_open = false;
	return PPP_EV_RCN;
}

/* Code-Reject: rejecting one of the codes every implementation must know
 * (1-7) means we cannot talk at all (RXJ-); an extension code is RXJ+. */
static int rcv_code_rej(const uint8_t *d, size_t n)
{
	if (n < 1)
		return -1;
	return d[0] >= PPP_CONF_REQ && d[0] <= PPP_CODE_REJ ? PPP_EV_RXJ_MINUS : PPP_EV_RXJ_PLUS;
}

static int classify(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *d, size_t n)
{
	switch (code) {
	case PPP_CONF_REQ:
		return rcv_conf_req(f, id, d, n);
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		return rcv_conf_answer(f, code, id, d, n);
	case PPP_TERM_REQ:
		f->rx_id = id;
		return PPP_EV_RTR;
	case PPP_TERM_ACK:
		return PPP_EV_RTA;
	case PPP_CODE_REJ:
		return rcv_code_rej(d, n);
	default:
		if (f->ops->rcv_extra)
			return (int)f->ops->rcv_extra(f, code, id, d, n);
		return PPP_EV_RUC;
	}
}

void ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	if (len < 4)
		return;
	size_t plen = ppp_rd16(pkt + 2);
	if (plen < 4 || plen > len)
		return; /* section 5: a bad Length means the packet is discarded */
	/* Nothing is received before the lower layer is Up. */
	if (f->state == PPP_INITIAL || f->state == PPP_STARTING)
		return;
	f->rx = pkt;
	f->rx_len = plen;
	int ev = classify(f, pkt[0], pkt[1], pkt + 4, plen - 4);
	if (ev >= 0 && ev < PPP_FSM_NEVENTS)
		ppp_fsm_event(f, (enum ppp_fsm_event)ev);
	f->rx = NULL;
}
