/*
 * PPP internals shared by ppp.c, ppp_fsm.c, lcp.c, lqr.c, ppp_auth.c,
 * ipcp.c and ipv6cp.c (and the unit tests). Everything else uses ppp.h.
 */
#ifndef V6LAB_PPP_VAR_H
#define V6LAB_PPP_VAR_H

#include "ppp.h"

/* Control-protocol packet codes (RFC 1661 section 5). */
enum ppp_code {
	PPP_CONF_REQ = 1, PPP_CONF_ACK, PPP_CONF_NAK, PPP_CONF_REJ, PPP_TERM_REQ, PPP_TERM_ACK,
	PPP_CODE_REJ, PPP_PROTO_REJ, PPP_ECHO_REQ, PPP_ECHO_REP, PPP_DISC_REQ
};

/* RFC 1661 section 4.1: the events of the automaton. */
enum ppp_fsm_event {
	PPP_EV_UP, PPP_EV_DOWN, PPP_EV_OPEN, PPP_EV_CLOSE, PPP_EV_TO_PLUS, PPP_EV_TO_MINUS,
	PPP_EV_RCR_PLUS, PPP_EV_RCR_MINUS, PPP_EV_RCA, PPP_EV_RCN, PPP_EV_RTR, PPP_EV_RTA,
	PPP_EV_RUC, PPP_EV_RXJ_PLUS, PPP_EV_RXJ_MINUS, PPP_EV_RXR, PPP_FSM_NEVENTS
};
extern const char *const ppp_fsm_event_names[PPP_FSM_NEVENTS];

/* Actions, one bit each; a transition runs them in this bit order, which
 * is the order every combined entry of the RFC's table lists them in
 * ("tld,irc,str", "irc,scr,sca", "sca,tlu", "tld,zrc,sta"). */
enum ppp_fsm_action {
	PPP_A_TLD = 1u << 0, PPP_A_TLS = 1u << 1, PPP_A_IRC = 1u << 2, PPP_A_ZRC = 1u << 3,
	PPP_A_SCR = 1u << 4, PPP_A_SCA = 1u << 5, PPP_A_SCN = 1u << 6, PPP_A_STR = 1u << 7,
	PPP_A_STA = 1u << 8, PPP_A_SCJ = 1u << 9, PPP_A_SER = 1u << 10, PPP_A_TLU = 1u << 11,
	PPP_A_TLF = 1u << 12,
	PPP_A_ILLEGAL = 1u << 15 /* "-" in the table: the event cannot occur there */
};

/* What a protocol thinks of the peer's Configure-Request. */
enum ppp_cr_verdict { PPP_CR_ACK, PPP_CR_NAK, PPP_CR_REJ, PPP_CR_BAD };

#define PPP_FSM_MAXOPT 256 /* options we build or answer with */

struct ppp_fsm;

/* The per-protocol part of LCP / IPCP / IPV6CP. */
struct ppp_fsm_ops {
	uint16_t proto;
	const char *name;
	/* Our Configure-Request options; returns their length. */
	size_t (*build_req)(struct ppp_fsm *f, uint8_t *out, size_t room);
	/* The peer's options: fill `reply` (the Ack copy, the Nak'd or the
	 * Rejected options). may_nak false once Max-Failure Naks were sent. */
	enum ppp_cr_verdict (*rcv_req)(struct ppp_fsm *f, const uint8_t *opt, size_t len,
	                               uint8_t *reply, size_t room, size_t *rlen, bool may_nak);
	/* Our request was Acked (contents already checked by the FSM). */
	void (*rcv_ack)(struct ppp_fsm *f);
	/* Nak / Reject of our request: adjust what we ask; false = malformed. */
	bool (*rcv_nak)(struct ppp_fsm *f, const uint8_t *opt, size_t len);
	bool (*rcv_rej)(struct ppp_fsm *f, const uint8_t *opt, size_t len);
	/* Codes 8 and up (LCP only; NULL: Unknown-Code). Returns the event. */
	enum ppp_fsm_event (*rcv_extra)(struct ppp_fsm *f, uint8_t code, uint8_t id,
	                                const uint8_t *data, size_t len);
	void (*ser)(struct ppp_fsm *f);  /* RXR in Opened: answer an Echo-Request */
	/* This-Layer-Up/-Down/-Started/-Finished. */
	void (*tlu)(struct ppp_fsm *f);
	void (*tld)(struct ppp_fsm *f);
	void (*tls)(struct ppp_fsm *f);
	void (*tlf)(struct ppp_fsm *f);
};

struct ppp_fsm {
	const struct ppp_fsm_ops *ops;
	struct sim *sim;
	void *owner; /* the ppp_link (a test's own struct in test_pppfsm) */
	void (*output)(void *owner, uint16_t proto, const uint8_t *pkt, size_t len);
	enum ppp_fsm_state state;
	struct sim_timer timer;
	uint32_t restart_ms, max_configure, max_terminate, max_failure;
	uint32_t restart_count, naks_sent;
	uint8_t next_id;           /* identifier of our next request */
	uint8_t req_id;            /* identifier of our last Configure-Request */
	bool req_open;             /* ... and no Ack/Nak/Reject for it yet */
	uint8_t req[PPP_FSM_MAXOPT];   /* its options, to check an Ack against */
	size_t req_len;
	/* The answer to the peer's last Configure-Request (sca / scn). */
	uint8_t rx_id, reply_code;
	uint8_t reply[PPP_FSM_MAXOPT];
	size_t reply_len;
	/* The packet being processed, for scj and ser (NULL outside input). */
	const uint8_t *rx;
	size_t rx_len;
};

void ppp_fsm_init(struct ppp_fsm *f, struct sim *sim, const struct ppp_fsm_ops *ops,
                  void *owner, void (*output)(void *, uint16_t, const uint8_t *, size_t),
                  const struct ppp_conf *conf);
/* Run one event; returns the actions taken (PPP_A_ILLEGAL for "-"). */
unsigned ppp_fsm_event(struct ppp_fsm *f, enum ppp_fsm_event ev);
/* A control packet (code, id, length, data) of this protocol. */
void ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len);
/* Send code/id/data of this protocol (Echo, Protocol-Reject, ...). */
void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
                  size_t len);
void ppp_fsm_stop(struct ppp_fsm *f); /* cancel the restart timer (ppp_free) */

/* ---- option helpers (ppp_fsm.c) ---- */
/* Walk options: returns false when one is malformed (length < 2 or past the end). */
bool ppp_opt_valid(const uint8_t *opt, size_t len);
size_t ppp_opt_put(uint8_t *out, size_t room, size_t at, uint8_t type, const uint8_t *val,
                   uint8_t vlen);
/* Building the answer to a Configure-Request, option by option. */
struct ppp_optreply {
	uint8_t nak[PPP_FSM_MAXOPT], rej[PPP_FSM_MAXOPT];
	size_t nak_len, rej_len;
	bool may_nak;
};
void ppp_optreply_nak(struct ppp_optreply *r, const uint8_t *orig, uint8_t type,
                      const uint8_t *val, uint8_t vlen);
void ppp_optreply_rej(struct ppp_optreply *r, const uint8_t *orig);
enum ppp_cr_verdict ppp_optreply_finish(const struct ppp_optreply *r, const uint8_t *opt,
                                        size_t len, uint8_t *reply, size_t room, size_t *rlen);
static inline uint16_t ppp_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t ppp_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void ppp_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void ppp_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* ---- per-protocol state of a link ---- */
struct lcp_state {
	uint16_t want_mru;
	uint32_t want_magic;
	enum ppp_auth want_auth;     /* authenticator: what we ask the peer to do */
	uint32_t want_lqr;           /* our LQR reporting period (1/100 s), 0 = none */
	uint32_t rejected;           /* option types the peer rejected (bit = type) */
	uint16_t his_mru;
	uint32_t his_magic;
	enum ppp_auth his_auth;      /* what the peer wants us to do */
	uint32_t his_lqr;            /* period the peer asked of us, 1/100 s */
	bool his_lqr_on, my_lqr_on;  /* Quality-Protocol acked in each direction */
	/* LCP echo (ppp(8) `enable echo`) */
	struct sim_timer echo_timer;
	uint32_t echo_sent, echo_recv;
};

struct lqr_state {
	struct sim_timer timer;
	uint32_t resent;             /* LQRs sent since the last one received */
	/* RFC 1989 counters of this end */
	uint32_t out_lqrs, out_packets, out_octets;
	uint32_t in_lqrs, in_packets, in_octets, in_discards, in_errors;
	/* From the last LQR received: the peer's Out counters and our In counters saved then. */
	uint32_t peer_out_lqrs, peer_out_packets, peer_out_octets;
	uint32_t save_in_lqrs, save_in_packets, save_in_discards, save_in_errors, save_in_octets;
};

struct auth_state {
	struct sim_timer ctimer;     /* client: PAP request retransmission */
	struct sim_timer stimer;     /* server: CHAP challenge retransmission */
	uint32_t ctries, stries;
	uint8_t cid, sid;            /* our PAP request / our CHAP challenge ids */
	uint8_t challenge[16];
	bool server_ok, client_ok;   /* each direction finished */
	bool done;
};

struct ipcp_state {
	uint8_t want[4], his[4];
	bool addr_rejected;
};

struct ipv6cp_state {
	uint8_t want[8], his[8];
};

struct ppp_link {
	struct sim *sim;
	struct ppp_conf conf;
	struct ppp_cb cb;
	enum ppp_phase phase;
	uint16_t lower_mtu;
	bool lower_up;
	struct ppp_fsm lcp, ipcp, ipv6cp;
	struct lcp_state lcps;
	struct lqr_state lqr;
	struct auth_state auth;
	struct ipcp_state ipcps;
	struct ipv6cp_state ipv6cps;
	bool renegotiated;           /* conf.renegotiate_after_auth done */
	char why[128];               /* why the link goes down, for cb->link_down */
};

extern const struct ppp_fsm_ops ppp_lcp_ops, ppp_ipcp_ops, ppp_ipv6cp_ops;

/* ppp.c: frame (protocol + packet) to the lower layer, and phase changes. */
void ppp_send_proto(struct ppp_link *l, uint16_t proto, const uint8_t *pkt, size_t len);
void ppp_fsm_output(void *owner, uint16_t proto, const uint8_t *pkt, size_t len);
void ppp_set_phase(struct ppp_link *l, enum ppp_phase phase);
void ppp_log(struct ppp_link *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ppp_auth_done(struct ppp_link *l);            /* both directions authenticated */
void ppp_lcp_finished(struct ppp_link *l, const char *why);
void ppp_protocol_rejected(struct ppp_link *l, uint16_t proto);
/* Give up on the link as ppp(8) hangs up its device: every layer Down,
 * no more packets, cb->link_down(why). */
void ppp_hangup(struct ppp_link *l, const char *why);

/* lcp.c */
void lcp_setup(struct ppp_link *l);              /* wants back to the configuration */
void lcp_send_protocol_reject(struct ppp_link *l, const uint8_t *frame, size_t len);
void lcp_echo_start(struct ppp_link *l);
void lcp_echo_stop(struct ppp_link *l);


/* lqr.c */
void lqr_start(struct ppp_link *l);
void lqr_stop(struct ppp_link *l);
void lqr_input(struct ppp_link *l, const uint8_t *pkt, size_t len);
void lqr_count_in(struct ppp_link *l, size_t octets);
void lqr_count_out(struct ppp_link *l, size_t octets);

/* ppp_auth.c */
void auth_start(struct ppp_link *l);
void auth_stop(struct ppp_link *l);
void pap_input(struct ppp_link *l, const uint8_t *pkt, size_t len);
void chap_input(struct ppp_link *l, const uint8_t *pkt, size_t len);
/* RFC 1994: MD5(id || secret || challenge), exposed for tests. */
void chap_md5_response(uint8_t id, const char *secret, const uint8_t *chal, size_t clen,
                       uint8_t out[16]);

/* ipcp.c / ipv6cp.c */
void ipcp_setup(struct ppp_link *l);
void ipv6cp_setup(struct ppp_link *l);

#endif /* V6LAB_PPP_VAR_H */
