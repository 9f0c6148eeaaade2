/*
 * TCP output: segments with the pseudo-header checksum and the MSS option
 * on SYNs, the sliding window (peer's window and a Reno-style congestion
 * window), and the retransmission timer of RFC 6298 with exponential
 * backoff and Karn's rule (no RTT sample from a retransmitted segment).
 */
#include "tcp_var.h"

#include <string.h>

void tcp_emit(struct transport_node *tp, const struct tp_addr *src, const struct tp_addr *dst,
              uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, uint16_t mss_opt,
              const uint8_t *data, size_t len)
{
	uint8_t seg[TCP_HDRLEN + 4 + TCP_MSS_MAX];
	size_t hlen = TCP_HDRLEN + (mss_opt ? 4 : 0);
	if (len > TCP_MSS_MAX)
		return;
	tp_wr16(seg, src->port);
	tp_wr16(seg + 2, dst->port);
	tp_wr32(seg + 4, seq);
	tp_wr32(seg + 8, (flags & TH_ACK) ? ack : 0);
	seg[12] = (uint8_t)(hlen / 4) << 4;
	seg[13] = flags;
	tp_wr16(seg + 14, win);
	tp_wr16(seg + 16, 0);
	tp_wr16(seg + 18, 0);
	if (mss_opt) {
		seg[20] = TCPOPT_MSS;
		seg[21] = 4;
		tp_wr16(seg + 22, mss_opt);
	}
	if (len)
		memcpy(seg + hlen, data, len);
	tp_wr16(seg + 16, tp_cksum(dst->family, src->addr, dst->addr, IPPROTO4_TCP, seg, hlen + len));
	tp->tcpstat.sndtotal++;
	if (flags & TH_RST)
		tp->tcpstat.sndrst++;
	/* DF on, as FreeBSD's path MTU discovery does (net.inet.tcp.path_mtu_discovery). */
	tp_ip_output(tp->node, src, dst, IPPROTO4_TCP, true, seg, hlen + len, NULL);
}

static void conn_emit(struct tcp_conn *c, uint32_t seq, uint8_t flags, const uint8_t *data,
                      size_t len)
{
	uint16_t mss_opt = (flags & TH_SYN) ? c->our_mss : 0;
	if (flags & TH_ACK)
		c->ack_pending = false;
	tcp_emit(c->tp, &c->local, &c->remote, seq, c->rcv_nxt, flags, (uint16_t)TCP_RCV_WND, mss_opt,
	         data, len);
}

void tcp_send_ack(struct tcp_conn *c)
{
	/* snd_max, not snd_nxt: after a go-back the peer may be further on. */
	conn_emit(c, c->snd_max, TH_ACK, NULL, 0);
}

void tcp_send_rst(struct tcp_conn *c)
{
	conn_emit(c, c->snd_max, TH_RST | TH_ACK, NULL, 0);
}

/* ---- RTO (RFC 6298) ------------------------------------------------------ */

static sim_time rto_backed_off(const struct tcp_conn *c)
{
	sim_time rto = c->rto;
	for (uint32_t i = 0; i < c->rxtshift && rto < TCP_RTO_MAX; i++)
		rto *= 2;
	return rto < TCP_RTO_MAX ? rto : TCP_RTO_MAX;
}

void tcp_rtt_sample(struct tcp_conn *c, sim_time r)
{
	if (!c->have_rtt) {                     /* 2.2 */
		c->srtt = r;
		c->rttvar = r / 2;
		c->have_rtt = true;
	} else {                                /* 2.3: beta 1/4, alpha 1/8 */
		sim_time d = c->srtt > r ? c->srtt - r : r - c->srtt;
		c->rttvar = (3 * c->rttvar + d) / 4;
		c->srtt = (7 * c->srtt + r) / 8;
	}
	sim_time k = 4 * c->rttvar > TCP_CLOCK_G ? 4 * c->rttvar : TCP_CLOCK_G;
	c->rto = c->srtt + k;
	if (c->rto < TCP_RTO_MIN)
		c->rto = TCP_RTO_MIN;
	if (c->rto > TCP_RTO_MAX)
		c->rto = TCP_RTO_MAX;
}

static void tcp_timer(struct sim *sim, void *obj, uint64_t arg);

void tcp_timer_rearm(struct tcp_conn *c)
{
	struct sim *sim = c->tp->node->sim;
	sim_time when = sim->now + rto_backed_off(c);
	if (c->state == TCPS_SYN_SENT && when > c->est_deadline)
		when = c->est_deadline;
	timer_arm(sim, &c->timer, when, tcp_timer, c);
}

void tcp_timer_2msl(struct tcp_conn *c)
{
	struct sim *sim = c->tp->node->sim;
	timer_arm(sim, &c->timer, sim->now + 2 * TCP_MSL, tcp_timer, c);
}

/* The retransmission timeout: back off, collapse the congestion window,
 * go back to snd_una and send again (RFC 6298 5.4-5.6, RFC 5681 3.1). */
static void tcp_timer(struct sim *sim, void *obj, uint64_t arg)
{
	struct tcp_conn *c = obj;
	if (!timer_current(&c->timer, arg) || !c->in_use)
		return;
	c->timer.when = SIM_NEVER;
	if (c->state == TCPS_TIME_WAIT) {
		tcp_state_transition(c, TCPS_CLOSED);
		return;
	}
	const char *why = c->softerr ? c->softerr : "Operation timed out";
	if (c->state == TCPS_SYN_SENT && sim->now >= c->est_deadline) {
		c->tp->tcpstat.timeoutdrop++;
		tcp_drop(c, why, false);
		return;
	}
	bool pending = c->snd_una != c->snd_max || c->slen > c->snd_nxt - c->buf_seq;
	if (!pending)
		return;
	if (++c->rxtshift > TCP_MAXRXTSHIFT) {
		c->tp->tcpstat.timeoutdrop++;
		tcp_drop(c, why, true);
		return;
	}
	uint32_t flight = c->snd_max - c->snd_una;
	c->ssthresh = flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
	c->cwnd = c->mss;
	c->snd_nxt = c->snd_una;
	c->timing = false; /* Karn */
	c->dupacks = 0;
	tcp_timer_rearm(c);
	tcp_output(c, false);
}

/* ---- output ---------------------------------------------------------------- */

static bool can_send_data(enum tcp_state s)
{
	return s == TCPS_ESTABLISHED || s == TCPS_CLOSE_WAIT || s == TCPS_FIN_WAIT_1 ||
	       s == TCPS_CLOSING || s == TCPS_LAST_ACK;
}

static bool can_send_fin(enum tcp_state s)
{
	return s == TCPS_FIN_WAIT_1 || s == TCPS_CLOSING || s == TCPS_LAST_ACK;
}

enum out_result { OUT_NONE, OUT_SENT, OUT_FIN };

/* One segment starting at snd_nxt, if the windows allow it. */
static enum out_result output_one(struct tcp_conn *c)
{
	uint32_t off = c->snd_nxt - c->buf_seq;
	if (off > c->slen)
		return OUT_NONE; /* the FIN is already out */
	size_t avail = c->slen - off;
	uint32_t flight = c->snd_nxt - c->snd_una;
	uint32_t wnd = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
	size_t usable = wnd > flight ? wnd - flight : 0;
	if (usable == 0 && flight == 0 && avail > 0)
		usable = 1; /* window probe, so a closed window reopens */
	size_t n = avail < c->mss ? avail : c->mss;
	if (n > usable)
		n = usable;
	/* Sender SWS avoidance (RFC 9293 3.8.6.2.1): no small segment while
	 * more data waits for the window, unless nothing is in flight. */
	if (n < avail && n < c->mss && flight > 0)
		n = 0;
	bool fin = c->fin_queued && can_send_fin(c->state) && off + n == c->slen;
	if (n == 0 && !fin)
		return OUT_NONE;
	uint8_t flags = TH_ACK | (n && off + n == c->slen ? TH_PUSH : 0) | (fin ? TH_FIN : 0);
	bool is_new = c->snd_nxt == c->snd_max;
	conn_emit(c, c->snd_nxt, flags, n ? c->sbuf + off : NULL, n);
	if (!is_new)
		c->tp->tcpstat.sndrexmitpack++;
	else if (!c->timing) {
		c->timing = true;
		c->rtt_seq = c->snd_nxt;
		c->rtt_start = c->tp->node->sim->now;
	}
	c->snd_nxt += (uint32_t)n + (fin ? 1 : 0);
	if (SEQ_GT(c->snd_nxt, c->snd_max))
		c->snd_max = c->snd_nxt;
	return fin ? OUT_FIN : OUT_SENT;
}

static void output_syn(struct tcp_conn *c)
{
	uint8_t flags = TH_SYN | (c->state == TCPS_SYN_RECEIVED ? TH_ACK : 0);
	if (c->snd_nxt == c->snd_max && !c->timing) {
		c->timing = true;
		c->rtt_seq = c->iss;
		c->rtt_start = c->tp->node->sim->now;
	} else if (c->snd_nxt != c->snd_max) {
		c->tp->tcpstat.sndrexmitpack++;
	}
	conn_emit(c, c->iss, flags, NULL, 0);
	c->snd_nxt = c->iss + 1;
	if (SEQ_GT(c->snd_nxt, c->snd_max))
		c->snd_max = c->snd_nxt;
}

void tcp_output(struct tcp_conn *c, bool ack_now)
{
	/* Any segment sent below carries the ACK; a callback that already
	 * sent one (tcp_send, tcp_close) cleared the flag. */
	if (ack_now)
		c->ack_pending = true;
	if (c->state == TCPS_SYN_SENT || c->state == TCPS_SYN_RECEIVED) {
		if (c->snd_nxt == c->iss)
			output_syn(c);
	} else if (can_send_data(c->state)) {
		while (output_one(c) == OUT_SENT)
			;
	}
	if (c->snd_una != c->snd_max && c->timer.when == SIM_NEVER)
		tcp_timer_rearm(c);
	if (c->ack_pending && c->state != TCPS_SYN_SENT)
		tcp_send_ack(c);
}

void tcp_retransmit_first(struct tcp_conn *c)
{
	uint32_t save = c->snd_nxt;
	uint32_t cwnd = c->cwnd;
	c->snd_nxt = c->snd_una;
	c->cwnd = c->mss; /* exactly one segment */
	c->timing = false;
	output_one(c);
	c->cwnd = cwnd;
	if (SEQ_GT(save, c->snd_nxt))
		c->snd_nxt = save;
}
