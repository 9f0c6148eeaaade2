/*
 * TCP (RFC 9293): connections and their state machine, segment arrival,
 * and the application API. Output and timers are in tcp_output.c.
 *
 * Simplifications, on purpose: out-of-order segments are dropped (and a
 * duplicate ACK sent) and recovered by retransmission; no window scaling,
 * SACK or timestamps; no delayed ACK; no urgent data.
 *
 * Connection records live in slots that are reused but never freed before
 * the node: a timer event queued for a freed slot finds a stale generation
 * and does nothing, and an application callback that closes the
 * connection is noticed through the slot's incarnation number.
 */
#include "tcp_var.h"

#include <stdlib.h>
#include <string.h>

static const char *const tcp_state_names[TCP_NSTATES] = {
	"CLOSED",     "LISTEN",   "SYN_SENT", "SYN_RCVD",   "ESTABLISHED", "CLOSE_WAIT",
	"FIN_WAIT_1", "CLOSING",  "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
};

const char *tcp_state_name(enum tcp_state s)
{
	return (unsigned)s < TCP_NSTATES ? tcp_state_names[s] : "?";
}

/* ---- connection records ---------------------------------------------------- */

static struct tcp_conn *conn_alloc(struct transport_node *tp)
{
	struct tcp_conn *c = NULL;
	for (size_t i = 0; i < tp->nconns && !c; i++)
		if (!tp->conns[i]->in_use)
			c = tp->conns[i];
	if (!c) {
		if (tp->nconns == tp->conncap) {
			size_t cap = tp->conncap ? tp->conncap * 2 : 8;
			struct tcp_conn **a = realloc(tp->conns, cap * sizeof *a);
			if (!a)
				return NULL;
			tp->conns = a;
			tp->conncap = cap;
		}
		if (!(c = calloc(1, sizeof *c)))
			return NULL;
		c->timer.when = SIM_NEVER;
		tp->conns[tp->nconns++] = c;
	}
	/* Keep the incarnation and the timer's generation across reuse. */
	uint32_t inc = c->incarnation + 1;
	struct sim_timer timer = c->timer;
	memset(c, 0, sizeof *c);
	c->incarnation = inc;
	c->timer = timer;
	timer_cancel(&c->timer);
	c->tp = tp;
	c->in_use = true;
	c->rto = TCP_RTO_INIT;
	c->ssthresh = 1u << 30;
	return c;
}

static void conn_free(struct tcp_conn *c)
{
	free(c->sbuf);
	c->sbuf = NULL;
	c->slen = c->scap = 0;
	timer_cancel(&c->timer);
	c->in_use = false;
	c->incarnation++;
}

void tcp_free_all(struct transport_node *tp)
{
	for (size_t i = 0; i < tp->nconns; i++) {
		free(tp->conns[i]->sbuf);
		free(tp->conns[i]);
	}
	free(tp->conns);
	tp->conns = NULL;
	tp->nconns = tp->conncap = 0;
	for (size_t i = 0; i < tp->nlis; i++)
		free(tp->lis[i]);
	free(tp->lis);
	tp->lis = NULL;
	tp->nlis = tp->liscap = 0;
}

bool tcp_port_busy(struct transport_node *tp, uint8_t family, uint16_t port)
{
	for (size_t i = 0; i < tp->nconns; i++) {
		const struct tcp_conn *c = tp->conns[i];
		if (c->in_use && c->local.family == family && c->local.port == port)
			return true;
	}
	return false;
}

static bool alive(const struct tcp_conn *c, uint32_t inc)
{
	return c->in_use && c->incarnation == inc && c->state != TCPS_CLOSED;
}

/* ---- the state machine ----------------------------------------------------- */

/* Every change of state goes through here (DESIGN.md): the observer sees
 * it, and entering TIME_WAIT or CLOSED does what those states mean. */
void tcp_state_transition(struct tcp_conn *c, enum tcp_state to)
{
	enum tcp_state from = c->state;
	if (from == to)
		return;
	c->state = to;
	struct transport_node *tp = c->tp;
	if (tp->state_fn)
		tp->state_fn(tp->state_user, c, from, to);
	if (to == TCPS_ESTABLISHED)
		c->passive ? tp->tcpstat.accepts++ : tp->tcpstat.connects++;
	if (to == TCPS_TIME_WAIT)
		tcp_timer_2msl(c);
	if (to == TCPS_CLOSED) {
		timer_cancel(&c->timer);
		if (c->released)
			conn_free(c);
	}
}

void tcp_drop(struct tcp_conn *c, const char *reason, bool send_rst)
{
	if (send_rst && c->state >= TCPS_SYN_RECEIVED)
		tcp_send_rst(c);
	struct tcp_callbacks cb = c->cb;
	bool notify = !c->released && cb.error;
	c->tp->tcpstat.drops++;
	tcp_state_transition(c, TCPS_CLOSED);
	if (notify)
		cb.error(cb.user, c, reason);
}

static uint16_t mss_for(uint8_t family, uint32_t mtu)
{
	uint32_t hdrs = family == 4 ? 40 : 60;
	uint32_t mss = mtu > hdrs + 64 ? mtu - hdrs : 64;
	return (uint16_t)(mss < TCP_MSS_MAX ? mss : TCP_MSS_MAX);
}

/* RFC 3390 initial window. */
static uint32_t initial_cwnd(uint16_t mss)
{
	uint32_t w = 2u * mss > 4380 ? 2u * mss : 4380;
	return w < 4u * mss ? w : 4u * mss;
}

static void set_peer_mss(struct tcp_conn *c, uint16_t peer_mss)
{
	if (!peer_mss) /* RFC 9293 3.7.1: 536 by default; IPv6: 1220 (RFC 8200 8.3) */
		peer_mss = c->local.family == 4 ? 536 : 1220;
	c->mss = peer_mss < c->our_mss ? peer_mss : c->our_mss;
	c->cwnd = initial_cwnd(c->mss);
}

static void init_sequence(struct tcp_conn *c)
{
	c->iss = (uint32_t)prng_next(&c->tp->node->sim->prng);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->buf_seq = c->iss + 1;
}

/* ---- segment arrival -------------------------------------------------------- */

struct seg {
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win, mss;
	const uint8_t *data;
	size_t dlen;
};

static bool parse_seg(const uint8_t *l4, size_t len, struct seg *s)
{
	size_t hlen = (size_t)(l4[12] >> 4) * 4;
	if (hlen < TCP_HDRLEN || hlen > len)
		return false;
	memset(s, 0, sizeof *s);
	s->seq = tp_rd32(l4 + 4);
	s->ack = tp_rd32(l4 + 8);
	s->flags = l4[13];
	s->win = tp_rd16(l4 + 14);
	s->data = l4 + hlen;
	s->dlen = len - hlen;
	for (size_t i = TCP_HDRLEN; i < hlen;) {
		uint8_t kind = l4[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hlen || l4[i + 1] < 2 || i + l4[i + 1] > hlen)
			break; /* a malformed option ends the list */
		if (kind == TCPOPT_MSS && l4[i + 1] == 4)
			s->mss = tp_rd16(l4 + i + 2);
		i += l4[i + 1];
	}
	return true;
}

static uint32_t seg_len(const struct seg *s)
{
	return (uint32_t)s->dlen + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
}

/* RFC 9293 3.10.7.1: a segment for no connection is answered by a RST. */
static void reply_rst(struct transport_node *tp, const struct tp_pkt *pkt, const struct seg *s)
{
	if (s->flags & TH_RST)
		return;
	if (s->flags & TH_ACK)
		tcp_emit(tp, &pkt->dst, &pkt->src, s->ack, 0, TH_RST, 0, 0, NULL, 0);
	else
		tcp_emit(tp, &pkt->dst, &pkt->src, 0, s->seq + seg_len(s), TH_RST | TH_ACK, 0, 0,
		         NULL, 0);
}

static struct tcp_listener *find_listener(struct transport_node *tp, const struct tp_pkt *pkt)
{
	for (size_t i = 0; i < tp->nlis; i++)
		if (tp->lis[i]->port == pkt->dst.port && tp->lis[i]->family == pkt->dst.family)
			return tp->lis[i];
	return NULL;
}

static struct tcp_conn *find_conn(struct transport_node *tp, const struct tp_pkt *pkt)
{
	size_t alen = pkt->dst.family == 4 ? 4 : 16;
	for (size_t i = 0; i < tp->nconns; i++) {
		struct tcp_conn *c = tp->conns[i];
		if (c->in_use && c->state != TCPS_CLOSED && c->local.family == pkt->dst.family &&
		    c->local.port == pkt->dst.port && c->remote.port == pkt->src.port &&
		    memcmp(c->local.addr, pkt->dst.addr, alen) == 0 &&
		    memcmp(c->remote.addr, pkt->src.addr, alen) == 0)
			return c;
	}
	return NULL;
}

/* LISTEN (3.10.7.2): a SYN makes a connection in SYN_RECEIVED. */
static void listen_input(struct tcp_listener *l, const struct tp_pkt *pkt, const struct seg *s)
{
	struct transport_node *tp = l->tp;
	if (s->flags & TH_RST)
		return;
	if (s->flags & TH_ACK) {
		reply_rst(tp, pkt, s);
		return;
	}
	if (!(s->flags & TH_SYN))
		return;
	size_t pending = 0; /* kern.ipc.somaxconn: at most this many half-open */
	for (size_t i = 0; i < tp->nconns; i++)
		pending += tp->conns[i]->in_use && tp->conns[i]->listener == l;
	if (pending >= TCP_BACKLOG)
		return;
	struct tcp_conn *c = conn_alloc(tp);
	if (!c)
		return;
	c->local = pkt->dst;
	c->remote = pkt->src;
	c->passive = true;
	c->released = true; /* nobody holds it until it is accepted */
	c->listener = l;
	c->state = TCPS_LISTEN;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->snd_wnd = s->win;
	c->snd_wl1 = s->seq;
	c->our_mss = mss_for(c->local.family, pkt->ifp && pkt->ifp->mtu ? pkt->ifp->mtu : 1500);
	set_peer_mss(c, s->mss);
	init_sequence(c);
	tcp_state_transition(c, TCPS_SYN_RECEIVED);
	tcp_output(c, false);
}

/* The SYN (or SYN-ACK) is acknowledged: timing, buffer, window. */
static void ack_advance(struct tcp_conn *c, uint32_t ack)
{
	if (c->timing && SEQ_GT(ack, c->rtt_seq)) {
		tcp_rtt_sample(c, c->tp->node->sim->now - c->rtt_start);
		c->timing = false;
	}
	uint32_t end = c->buf_seq + (uint32_t)c->slen;
	uint32_t upto = SEQ_LT(ack, end) ? ack : end;
	if (SEQ_GT(upto, c->buf_seq)) {
		size_t k = upto - c->buf_seq;
		memmove(c->sbuf, c->sbuf + k, c->slen - k);
		c->slen -= k;
		c->buf_seq = upto;
	}
	uint32_t acked = ack - c->snd_una;
	c->snd_una = ack;
	if (SEQ_LT(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->rxtshift = 0;
	c->dupacks = 0;
	if (c->cwnd < c->ssthresh) /* RFC 5681: slow start, then congestion avoidance */
		c->cwnd += acked < c->mss ? acked : c->mss;
	else
		c->cwnd += (uint32_t)c->mss * c->mss / c->cwnd > 0 ? (uint32_t)c->mss * c->mss / c->cwnd : 1;
	if (c->cwnd > TCP_SNDBUF_MAX)
		c->cwnd = TCP_SNDBUF_MAX;
	if (c->snd_una == c->snd_max)
		timer_cancel(&c->timer);
	else
		tcp_timer_rearm(c);
}

/* SYN_SENT (3.10.7.3). */
static void syn_sent_input(struct tcp_conn *c, const struct tp_pkt *pkt, const struct seg *s)
{
	bool ack_ok = (s->flags & TH_ACK) && SEQ_GT(s->ack, c->iss) && SEQ_LEQ(s->ack, c->snd_max);
	if ((s->flags & TH_ACK) && !ack_ok) {
		reply_rst(c->tp, pkt, s);
		return;
	}
	if (s->flags & TH_RST) {
		if (ack_ok)
			tcp_drop(c, "Connection refused", false);
		return;
	}
	if (!(s->flags & TH_SYN))
		return;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->snd_wnd = s->win;
	c->snd_wl1 = s->seq;
	c->snd_wl2 = s->ack;
	set_peer_mss(c, s->mss);
	if (!ack_ok) { /* simultaneous open: answer with SYN-ACK */
		tcp_state_transition(c, TCPS_SYN_RECEIVED);
		c->snd_nxt = c->iss;
		tcp_output(c, false);
		return;
	}
	ack_advance(c, s->ack);
	tcp_state_transition(c, TCPS_ESTABLISHED);
	c->ack_pending = true; /* the third segment of the handshake */
	uint32_t inc = c->incarnation;
	if (c->cb.connected)
		c->cb.connected(c->cb.user, c);
	if (alive(c, inc))
		tcp_output(c, false);
}

/* RFC 9293 3.10.7.4 first check: is the segment in the receive window? */
static bool acceptable(const struct tcp_conn *c, const struct seg *s)
{
	uint32_t len = seg_len(s), lo = c->rcv_nxt, hi = c->rcv_nxt + TCP_RCV_WND;
	if (len == 0)
		return SEQ_GEQ(s->seq, lo) && SEQ_LT(s->seq, hi);
	uint32_t last = s->seq + len - 1;
	return (SEQ_GEQ(s->seq, lo) && SEQ_LT(s->seq, hi)) || (SEQ_GEQ(last, lo) && SEQ_LT(last, hi));
}

/* SYN_RECEIVED + acceptable ACK: ESTABLISHED, and the application hears
 * of it. Returns false when the connection went away meanwhile. */
static bool handshake_done(struct tcp_conn *c)
{
	tcp_state_transition(c, TCPS_ESTABLISHED);
	uint32_t inc = c->incarnation;
	if (c->passive) {
		struct tcp_listener *l = c->listener;
		c->listener = NULL;
		if (!l) { /* the listener was closed meanwhile */
			tcp_send_rst(c);
			tcp_state_transition(c, TCPS_CLOSED);
			return false;
		}
		c->released = false;
		l->accept(l->user, c);
	} else if (c->cb.connected) {
		c->cb.connected(c->cb.user, c);
	}
	if (!alive(c, inc))
		return false;
	if (c->fin_queued && c->state == TCPS_ESTABLISHED)
		tcp_state_transition(c, TCPS_FIN_WAIT_1);
	return true;
}

/* Our FIN is acknowledged: FIN_WAIT_1, CLOSING and LAST_ACK move on. */
static void our_fin_acked(struct tcp_conn *c)
{
	if (c->state == TCPS_FIN_WAIT_1)
		tcp_state_transition(c, TCPS_FIN_WAIT_2);
	else if (c->state == TCPS_CLOSING)
		tcp_state_transition(c, TCPS_TIME_WAIT);
	else if (c->state == TCPS_LAST_ACK)
		tcp_state_transition(c, TCPS_CLOSED);
}

/* The ACK field in a synchronized state. False: stop processing. */
static bool ack_input(struct tcp_conn *c, const struct seg *s)
{
	if (SEQ_GT(s->ack, c->snd_max)) { /* acks what we never sent */
		tcp_send_ack(c);
		return false;
	}
	uint32_t old_wnd = c->snd_wnd;
	if (SEQ_LT(c->snd_wl1, s->seq) || (c->snd_wl1 == s->seq && SEQ_LEQ(c->snd_wl2, s->ack))) {
		c->snd_wnd = s->win;
		c->snd_wl1 = s->seq;
		c->snd_wl2 = s->ack;
	}
	if (SEQ_GT(s->ack, c->snd_una)) {
		ack_advance(c, s->ack);
	} else if (s->ack == c->snd_una && s->dlen == 0 && !(s->flags & TH_FIN) &&
	           c->snd_una != c->snd_max && s->win == old_wnd && ++c->dupacks == 3) {
		/* RFC 5681 3.2 fast retransmit, without fast recovery. */
		uint32_t flight = c->snd_max - c->snd_una;
		c->ssthresh = flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
		c->cwnd = c->ssthresh;
		tcp_retransmit_first(c);
	}
	if (tcp_fin_sent(c) && c->slen == 0 && c->snd_una == c->buf_seq + 1)
		our_fin_acked(c);
	return c->state != TCPS_CLOSED;
}

/* Data and FIN in order: to the application. Every such segment is
 * acknowledged (by the next segment out, or a pure ACK). */
static void data_input(struct tcp_conn *c, struct seg *s)
{
	c->ack_pending = true;
	if (SEQ_LT(s->seq, c->rcv_nxt)) { /* trim what we already have */
		uint32_t skip = c->rcv_nxt - s->seq;
		if (skip > s->dlen)
			return;
		s->data += skip;
		s->dlen -= skip;
		s->seq = c->rcv_nxt;
	}
	if (s->seq != c->rcv_nxt) {
		c->tp->tcpstat.rcvoutoforder++; /* dropped; a duplicate ACK asks again */
		return;
	}
	bool fin = s->flags & TH_FIN;
	if (s->dlen > TCP_RCV_WND) {
		s->dlen = TCP_RCV_WND;
		fin = false;
	}
	bool takes_data = c->state == TCPS_ESTABLISHED || c->state == TCPS_FIN_WAIT_1 ||
	                  c->state == TCPS_FIN_WAIT_2;
	if (s->dlen && takes_data) {
		uint32_t inc = c->incarnation;
		c->rcv_nxt += (uint32_t)s->dlen;
		if (!c->released && c->cb.data)
			c->cb.data(c->cb.user, c, s->data, s->dlen);
		if (!alive(c, inc))
			return;
	}
	if (fin && (takes_data || c->state == TCPS_SYN_RECEIVED)) {
		c->rcv_nxt++;
		if (c->state == TCPS_ESTABLISHED || c->state == TCPS_SYN_RECEIVED)
			tcp_state_transition(c, TCPS_CLOSE_WAIT);
		else if (c->state == TCPS_FIN_WAIT_1)
			tcp_state_transition(c, TCPS_CLOSING);
		else
			tcp_state_transition(c, TCPS_TIME_WAIT);
		if (!c->released && c->cb.closed)
			c->cb.closed(c->cb.user, c);
	}
}

static void sync_input(struct tcp_conn *c, const struct tp_pkt *pkt, struct seg *s)
{
	if (c->state == TCPS_SYN_RECEIVED && (s->flags & TH_SYN) && !(s->flags & TH_ACK) &&
	    s->seq == c->irs) { /* the peer did not get our SYN-ACK */
		c->snd_nxt = c->iss;
		tcp_output(c, false);
		return;
	}
	if (!acceptable(c, s)) {
		if (!(s->flags & TH_RST))
			tcp_send_ack(c);
		c->tp->tcpstat.rcvduppack++;
		return;
	}
	if (s->flags & TH_RST) {
		/* Nobody to tell (a passive open not yet accepted, or closed
		 * by the application): just go away. */
		if (c->released)
			tcp_state_transition(c, TCPS_CLOSED);
		else
			tcp_drop(c, c->state == TCPS_SYN_RECEIVED ? "Connection refused"
			                                         : "Connection reset by peer",
			         false);
		return;
	}
	if (s->flags & TH_SYN) { /* RFC 5961 4: a challenge ACK */
		tcp_send_ack(c);
		return;
	}
	if (!(s->flags & TH_ACK))
		return;
	if (c->state == TCPS_SYN_RECEIVED) {
		if (!SEQ_GT(s->ack, c->snd_una) || SEQ_GT(s->ack, c->snd_max)) {
			reply_rst(c->tp, pkt, s);
			return;
		}
		c->snd_wnd = s->win;
		c->snd_wl1 = s->seq;
		c->snd_wl2 = s->ack;
		ack_advance(c, s->ack);
		if (!handshake_done(c))
			return;
	}
	if (!ack_input(c, s))
		return;
	uint32_t inc = c->incarnation;
	if (s->dlen || (s->flags & TH_FIN))
		data_input(c, s);
	if (alive(c, inc))
		tcp_output(c, false);
}

void tcp_input(struct transport_node *tp, const struct tp_pkt *pkt, const uint8_t *l4,
               size_t len)
{
	struct seg s;
	tp->tcpstat.rcvtotal++;
	if (!parse_seg(l4, len, &s))
		return;
	/* Never to or from a multicast or broadcast address. */
	if ((pkt->dst.family == 6 && (pkt->dst.addr[0] == 0xff || pkt->src.addr[0] == 0xff)) ||
	    (pkt->dst.family == 4 && (ip4_is_broadcast(pkt->ifp, pkt->dst.addr) ||
	                              pkt->dst.addr[0] >= 224 || pkt->src.addr[0] >= 224)))
		return;
	struct tcp_conn *c = find_conn(tp, pkt);
	if (!c) {
		struct tcp_listener *l = find_listener(tp, pkt);
		if (l)
			listen_input(l, pkt, &s);
		else
			reply_rst(tp, pkt, &s);
		return;
	}
	if (c->state == TCPS_SYN_SENT)
		syn_sent_input(c, pkt, &s);
	else
		sync_input(c, pkt, &s);
}

/* ---- ICMP errors (FreeBSD's tcp_ctlinput and tcp_notify) ---------------- */

void tcp_ctlinput(struct transport_node *tp, const struct tp_addr *local,
                  const struct tp_addr *remote, bool hard, const char *err)
{
	size_t alen = local->family == 4 ? 4 : 16;
	for (size_t i = 0; i < tp->nconns; i++) {
		struct tcp_conn *c = tp->conns[i];
		if (!c->in_use || c->state == TCPS_CLOSED || c->local.family != local->family ||
		    c->local.port != local->port || c->remote.port != remote->port ||
		    memcmp(c->local.addr, local->addr, alen) != 0 ||
		    memcmp(c->remote.addr, remote->addr, alen) != 0)
			continue;
		if (hard && c->state == TCPS_SYN_SENT) {
			tcp_drop(c, err, false);
		} else if (c->state < TCPS_ESTABLISHED || strcmp(err, "No route to host") != 0) {
			/* Remembered, and fatal only to a connection that has been
			 * trying for a while (t_rxtshift > 3); an established one
			 * ignores unreachables (routes come back). */
			c->softerr = err;
			if (c->state < TCPS_ESTABLISHED && c->rxtshift > 3)
				tcp_drop(c, err, false);
		}
		return;
	}
}

/* ---- the application API ---------------------------------------------------- */

struct tcp_listener *tcp_listen(struct sim_node *n, int family, uint16_t port,
                                tcp_accept_fn accept, void *user)
{
	struct transport_node *tp = tp_of(n);
	if (!tp || (family != 4 && family != 6) || port == 0 || !accept)
		return NULL;
	for (size_t i = 0; i < tp->nlis; i++)
		if (tp->lis[i]->port == port && tp->lis[i]->family == family)
			return NULL; /* EADDRINUSE */
	if (tp->nlis == tp->liscap) {
		size_t cap = tp->liscap ? tp->liscap * 2 : 4;
		struct tcp_listener **a = realloc(tp->lis, cap * sizeof *a);
		if (!a)
			return NULL;
		tp->lis = a;
		tp->liscap = cap;
	}
	struct tcp_listener *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->tp = tp;
	l->family = (uint8_t)family;
	l->port = port;
	l->accept = accept;
	l->user = user;
	tp->lis[tp->nlis++] = l;
	return l;
}

void tcp_unlisten(struct tcp_listener *l)
{
	if (!l)
		return;
	struct transport_node *tp = l->tp;
	for (size_t i = 0; i < tp->nconns; i++)
		if (tp->conns[i]->listener == l)
			tp->conns[i]->listener = NULL;
	for (size_t i = 0; i < tp->nlis; i++) {
		if (tp->lis[i] != l)
			continue;
		memmove(&tp->lis[i], &tp->lis[i + 1], (tp->nlis - i - 1) * sizeof tp->lis[0]);
		tp->nlis--;
		break;
	}
	free(l);
}

struct tcp_conn *tcp_connect(struct sim_node *n, const struct tp_addr *dst,
                             const struct tcp_callbacks *cb, const char **err)
{
	const char *dummy;
	if (!err)
		err = &dummy;
	struct transport_node *tp = tp_of(n);
	if (!tp || (dst->family != 4 && dst->family != 6) || dst->port == 0) {
		*err = "Invalid argument";
		return NULL;
	}
	struct tp_addr src;
	if (tp_select_source(n, dst, &src, err) != 0)
		return NULL;
	src.port = tp_ephemeral_port(tp, IPPROTO4_TCP, dst->family);
	struct tcp_conn *c = src.port ? conn_alloc(tp) : NULL;
	if (!c) {
		*err = "Can't assign requested address";
		return NULL;
	}
	c->local = src;
	c->remote = *dst;
	if (cb)
		c->cb = *cb;
	c->our_mss = mss_for(dst->family, tp_path_mtu(n, dst));
	c->mss = c->our_mss;
	c->cwnd = initial_cwnd(c->mss);
	c->est_deadline = n->sim->now + TCP_KEEPINIT;
	init_sequence(c);
	tp->tcpstat.connattempt++;
	tcp_state_transition(c, TCPS_SYN_SENT);
	tcp_output(c, false);
	return c;
}

void tcp_set_callbacks(struct tcp_conn *c, const struct tcp_callbacks *cb)
{
	if (c && c->in_use && !c->released)
		c->cb = *cb;
}

long tcp_send(struct tcp_conn *c, const uint8_t *data, size_t len)
{
	if (!c || !c->in_use || c->released || c->fin_queued)
		return -1;
	if (c->state != TCPS_SYN_SENT && c->state != TCPS_SYN_RECEIVED &&
	    c->state != TCPS_ESTABLISHED && c->state != TCPS_CLOSE_WAIT)
		return -1;
	if (len > TCP_SNDBUF_MAX - c->slen)
		return -1;
	if (c->slen + len > c->scap) {
		size_t cap = c->scap ? c->scap : 4096;
		while (cap < c->slen + len)
			cap *= 2;
		uint8_t *b = realloc(c->sbuf, cap);
		if (!b)
			return -1;
		c->sbuf = b;
		c->scap = cap;
	}
	if (len)
		memcpy(c->sbuf + c->slen, data, len);
	c->slen += len;
	tcp_output(c, false);
	return (long)len;
}

void tcp_close(struct tcp_conn *c)
{
	if (!c || !c->in_use || c->released)
		return;
	c->released = true;
	memset(&c->cb, 0, sizeof c->cb);
	switch (c->state) {
	case TCPS_CLOSED:
		conn_free(c);
		break;
	case TCPS_SYN_SENT:
		tcp_state_transition(c, TCPS_CLOSED);
		break;
	case TCPS_SYN_RECEIVED:
		c->fin_queued = true; /* sent once established */
		break;
	case TCPS_ESTABLISHED:
		c->fin_queued = true;
		tcp_state_transition(c, TCPS_FIN_WAIT_1);
		tcp_output(c, false);
		break;
	case TCPS_CLOSE_WAIT:
		c->fin_queued = true;
		tcp_state_transition(c, TCPS_LAST_ACK);
		tcp_output(c, false);
		break;
	default:
		break; /* already closing */
	}
}

void tcp_abort(struct tcp_conn *c)
{
	if (!c || !c->in_use || c->released)
		return;
	c->released = true;
	memset(&c->cb, 0, sizeof c->cb);
	if (c->state == TCPS_CLOSED) {
		conn_free(c);
		return;
	}
	if (c->state >= TCPS_SYN_RECEIVED && c->state != TCPS_TIME_WAIT)
		tcp_send_rst(c);
	c->tp->tcpstat.drops++;
	tcp_state_transition(c, TCPS_CLOSED);
}

enum tcp_state tcp_conn_state(const struct tcp_conn *c)
{
	return c && c->in_use ? c->state : TCPS_CLOSED;
}

void tcp_conn_endpoints(const struct tcp_conn *c, struct tp_addr *local, struct tp_addr *remote)
{
	if (local)
		*local = c->local;
	if (remote)
		*remote = c->remote;
}

size_t tcp_conn_unacked(const struct tcp_conn *c)
{
	return c->slen;
}

void tcp_trace_states(struct sim_node *n, tcp_state_fn fn, void *user)
{
	struct transport_node *tp = tp_of(n);
	if (!tp)
		return;
	tp->state_fn = fn;
	tp->state_user = user;
}

const struct tcp_conn *tcp_conn_at(struct sim_node *n, size_t i)
{
	struct transport_node *tp = tp_of(n);
	for (size_t k = 0; tp && k < tp->nconns; k++) {
		if (!tp->conns[k]->in_use)
			continue;
		if (i-- == 0)
			return tp->conns[k];
	}
	return NULL;
}

bool tcp_listener_at(struct sim_node *n, size_t i, struct tp_addr *local)
{
	struct transport_node *tp = tp_of(n);
	if (!tp || i >= tp->nlis)
		return false;
	memset(local, 0, sizeof *local);
	local->family = tp->lis[i]->family;
	local->port = tp->lis[i]->port;
	return true;
}

const struct tcp_stats *tcp_get_stats(struct sim_node *n)
{
	struct transport_node *tp = tp_of(n);
	return tp ? &tp->tcpstat : NULL;
}
