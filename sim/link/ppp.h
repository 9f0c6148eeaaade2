/*
 * PPP (RFC 1661) over any lower layer: the option-negotiation automaton
 * shared by LCP, IPCP (RFC 1332) and IPV6CP (RFC 5072), authentication
 * (PAP RFC 1334, CHAP-MD5 RFC 1994), LCP echo and LQR, and the network
 * phase carrying IPv4/IPv6. Used by ppp(8)'s model on the client and by the
 * `isp` node as the peer. Frames start at the protocol field.
 */
#ifndef V6LAB_PPP_H
#define V6LAB_PPP_H

#include "../core/sim.h"

#define PPP_IP 0x0021
#define PPP_IPV6 0x0057
#define PPP_IPCP 0x8021
#define PPP_IPV6CP 0x8057
#define PPP_LCP 0xc021
#define PPP_PAP 0xc023
#define PPP_LQR 0xc025
#define PPP_CHAP 0xc223

enum ppp_phase { PPP_PHASE_DEAD, PPP_PHASE_ESTABLISH, PPP_PHASE_AUTHENTICATE,
                 PPP_PHASE_NETWORK, PPP_PHASE_TERMINATE };
enum ppp_auth { PPP_AUTH_NONE, PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5 };

struct ppp_conf {
	bool authenticator;          /* the ISP side asks for authentication */
	enum ppp_auth auth;          /* what the authenticator asks for */
	char authname[64];           /* client: who we are; server: expected name ("" any) */
	char authkey[64];            /* the shared secret */
	uint16_t mru;                /* wanted MRU (ppp(8) default 1500; reduced to the lower MTU) */
	bool echo;                   /* LCP echo every echo_period_s, down after echo_failures */
	uint32_t echo_period_s, echo_failures;
	bool lqr;                    /* negotiate Quality-Protocol LQR, send LQRs every lqr_period_s */
	uint32_t lqr_period_s;
	bool ipcp, ipv6cp;           /* network protocols to open */
	uint8_t my_ip4[4], his_ip4[4];   /* 0.0.0.0 = let the peer assign / accept the peer's */
	uint8_t my_ifid[8];          /* IPV6CP interface identifier (0 = none yet: made from the MAC) */
	uint8_t mac[6];              /* the lower device's MAC (PPPoE: sk0's), for my_ifid; 0 = random */
	uint32_t restart_ms;         /* restart timer, default 3000 */
	uint32_t max_configure, max_terminate, max_failure; /* defaults 10, 2, 5 */
	/* Authenticator only: like an L2TP LNS behind the access concentrator,
	 * restart LCP once after the first successful authentication; the
	 * client renegotiates (and warns about its MRU again, as the seed shows). */
	bool renegotiate_after_auth;
};

struct ppp_cb {
	/* Hand a frame to the lower layer (PPPoE session). */
	void (*send)(void *user, const uint8_t *frame, size_t len);
	/* Messages as ppp(8) logs them ("Warning: deflink: Reducing configured MRU from 1500 to 1492"). */
	void (*log)(void *user, const char *msg);
	void (*phase)(void *user, enum ppp_phase phase);
	void (*auth_result)(void *user, bool ok, const char *msg);
	void (*ipcp_up)(void *user, const uint8_t my[4], const uint8_t his[4]);
	void (*ipv6cp_up)(void *user, const uint8_t my_ifid[8], const uint8_t his_ifid[8]);
	void (*ncp_down)(void *user, uint16_t proto);   /* PPP_IPCP or PPP_IPV6CP left Opened */
	void (*link_down)(void *user, const char *why); /* LCP finished (This-Layer-Finished) */
	/* An IPv4 or IPv6 packet arrived in the network phase. */
	void (*ip_input)(void *user, int family, const uint8_t *pkt, size_t len);
	void *user;
};

struct ppp_link;

struct ppp_link *ppp_new(struct sim *sim, const struct ppp_conf *conf, const struct ppp_cb *cb);
void ppp_free(struct ppp_link *l);
/* The lower layer came up with this MTU (PPPoE: 1492) / went down. */
void ppp_lower_up(struct ppp_link *l, uint16_t lower_mtu);
void ppp_lower_down(struct ppp_link *l);
/* Administrative Open / Close of LCP (RFC 1661 events). */
void ppp_open(struct ppp_link *l);
void ppp_close(struct ppp_link *l, const char *why);
/* A frame from the lower layer. */
void ppp_input(struct ppp_link *l, const uint8_t *frame, size_t len);
/* Send an IP packet (family 4 or 6) in the network phase; -1 if that NCP is not Opened. */
int ppp_output_ip(struct ppp_link *l, int family, const uint8_t *pkt, size_t len);
enum ppp_phase ppp_phase_of(const struct ppp_link *l);
uint16_t ppp_mtu(const struct ppp_link *l);   /* negotiated peer MRU */

/* The RFC 1661 automaton (ppp_fsm.c), exposed for tests. */
enum ppp_fsm_state { PPP_INITIAL, PPP_STARTING, PPP_CLOSED, PPP_STOPPED, PPP_CLOSING,
                     PPP_STOPPING, PPP_REQ_SENT, PPP_ACK_RCVD, PPP_ACK_SENT, PPP_OPENED,
                     PPP_FSM_NSTATES };
extern const char *const ppp_fsm_state_names[PPP_FSM_NSTATES];
/* The automaton state of PPP_LCP, PPP_IPCP or PPP_IPV6CP on a link (for
 * the step view's node state; another protocol: PPP_INITIAL). */
enum ppp_fsm_state ppp_fsm_state_of(const struct ppp_link *l, uint16_t proto);

#endif /* V6LAB_PPP_H */
