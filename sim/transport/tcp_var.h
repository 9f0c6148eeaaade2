/*
 * TCP internals shared by tcp.c (connections, input, state machine) and
 * tcp_output.c (segments out, retransmission timer, RTO).
 */
#ifndef V6LAB_TCP_VAR_H
#define V6LAB_TCP_VAR_H

#include "tp_priv.h"

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PUSH 0x08
#define TH_ACK 0x10

#define TCP_HDRLEN 20
#define TCPOPT_MSS 2
#define TCP_RCV_WND 65535u           /* apps read at once: the window stays open */
#define TCP_SNDBUF_MAX (1u << 20)
#define TCP_MSS_MAX (PBUF_SIZE - PBUF_HEADROOM - 40 - TCP_HDRLEN - 24)
#define TCP_RTO_INIT (1 * SIM_S)      /* RFC 6298 2.1 */
#define TCP_RTO_MIN (1 * SIM_S)       /* RFC 6298 2.4 */
#define TCP_RTO_MAX (64 * SIM_S)      /* FreeBSD TCPTV_REXMTMAX */
#define TCP_CLOCK_G SIM_MS            /* clock granularity G of RFC 6298 */
#define TCP_MAXRXTSHIFT 12            /* then the connection is dropped */
#define TCP_KEEPINIT (75 * SIM_S)     /* net.inet.tcp.keepinit: connect timeout */
#define TCP_MSL (30 * SIM_S)          /* net.inet.tcp.msl */
#define TCP_BACKLOG 128               /* kern.ipc.somaxconn */

#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

struct tcp_conn {
	struct transport_node *tp;
	uint32_t incarnation;      /* bumped when the slot is freed or reused */
	bool in_use;
	bool released;             /* the application gave the handle back */
	bool passive;              /* created by a listener */
	bool fin_queued;           /* close requested: FIN after the queued data */
	bool ack_pending;          /* data or FIN received and not yet acknowledged */
	enum tcp_state state;
	struct tp_addr local, remote;
	struct tcp_callbacks cb;
	struct tcp_listener *listener;  /* passive, until accepted */
	/* RFC 9293 3.3.1 send and receive sequence variables. */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	uint32_t rcv_nxt;
	/* Data not yet acknowledged; sbuf[0] has sequence number buf_seq. */
	uint8_t *sbuf;
	size_t slen, scap;
	uint32_t buf_seq;
	uint16_t mss;              /* what we send per segment */
	uint16_t our_mss;          /* what we advertise */
	uint32_t cwnd, ssthresh, dupacks;
	/* RFC 6298 */
	sim_time srtt, rttvar, rto;
	bool have_rtt, timing;
	uint32_t rtt_seq;
	sim_time rtt_start;
	uint32_t rxtshift;
	sim_time est_deadline;     /* SYN_SENT gives up then */
	const char *softerr;       /* last ICMP error, reported on timeout */
	struct sim_timer timer;    /* retransmission, or 2*MSL in TIME_WAIT */
};

/* tcp.c */
void tcp_state_transition(struct tcp_conn *c, enum tcp_state to);
/* Close with an error for the application (and a RST when asked). */
void tcp_drop(struct tcp_conn *c, const char *reason, bool send_rst);

/* tcp_output.c */
void tcp_emit(struct transport_node *tp, const struct tp_addr *src, const struct tp_addr *dst,
              uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, uint16_t mss_opt,
              const uint8_t *data, size_t len);
/* Send what the windows allow; ack_now: an ACK even with nothing else. */
void tcp_output(struct tcp_conn *c, bool ack_now);
void tcp_send_ack(struct tcp_conn *c);
void tcp_send_rst(struct tcp_conn *c);
/* Retransmit the first unacknowledged segment (fast retransmit). */
void tcp_retransmit_first(struct tcp_conn *c);
void tcp_rtt_sample(struct tcp_conn *c, sim_time rtt);
void tcp_timer_rearm(struct tcp_conn *c);
void tcp_timer_2msl(struct tcp_conn *c);
/* Our FIN went out (it sits right after the last queued byte). */
static inline bool tcp_fin_sent(const struct tcp_conn *c)
{
	return c->fin_queued && SEQ_GT(c->snd_max, c->buf_seq + (uint32_t)c->slen);
}

#endif /* V6LAB_TCP_VAR_H */
