/*
 * Link Quality Reports (RFC 1989), when Quality-Protocol LQR was
 * negotiated in either direction (ppp(8) `enable lqr`): a 48-byte report
 * every period, the counters of section 2.6, and ppp(8)'s rule that more
 * than 5 reports sent without one received means the link is lost.
 */
#include <string.h>

#include "ppp_var.h"

#define LQR_LEN 48
#define LQR_MAX_LOST 5

static uint32_t lqr_period_ms(const struct ppp_link *l)
{
	/* The peer's Reporting-Period is how often it wants our reports; when
	 * only ours was acked, report at our own period. Units: 1/100 s. */
	if (l->lcps.his_lqr_on && l->lcps.his_lqr)
		return l->lcps.his_lqr * 10;
	if (l->lcps.my_lqr_on)
		return l->lcps.want_lqr * 10;
	return 0;
}

static void lqr_send(struct ppp_link *l)
{
	struct lqr_state *q = &l->lqr;
	uint8_t p[LQR_LEN];
	q->out_lqrs++;
	/* Section 2.6 / 2.7: our magic, what we last heard of the peer's output,
	 * what we had received when its last report arrived, and our output. */
	const uint32_t v[12] = {
		l->lcps.want_magic, q->peer_out_lqrs,    q->peer_out_packets, q->peer_out_octets,
		q->save_in_lqrs,    q->save_in_packets,  q->save_in_discards, q->save_in_errors,
		q->save_in_octets,  q->out_lqrs,         q->out_packets,      q->out_octets,
	};
	for (int i = 0; i < 12; i++)
		ppp_wr32(p + 4 * i, v[i]);
	ppp_send_proto(l, PPP_LQR, p, sizeof p);
}

static void lqr_tick(struct sim *sim, void *obj, uint64_t arg)
{
	struct ppp_link *l = obj;
	struct lqr_state *q = &l->lqr;
	if (!timer_current(&q->timer, arg) || l->lcp.state != PPP_OPENED)
		return;
	if (q->resent > LQR_MAX_LOST) {
		ppp_hangup(l, "Too many LQR packets lost");
		return;
	}
	lqr_send(l);
	q->resent++;
	timer_arm(sim, &q->timer, sim->now + (sim_time)lqr_period_ms(l) * SIM_MS, lqr_tick, l);
}

void lqr_start(struct ppp_link *l)
{
	struct lqr_state *q = &l->lqr;
	q->resent = 0;
	uint32_t ms = lqr_period_ms(l);
	if (ms)
		timer_arm(l->sim, &q->timer, l->sim->now + (sim_time)ms * SIM_MS, lqr_tick, l);
}

void lqr_stop(struct ppp_link *l)
{
	timer_cancel(&l->lqr.timer);
}

void lqr_input(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	struct lqr_state *q = &l->lqr;
	if (len < LQR_LEN || l->lcp.state != PPP_OPENED ||
	    !(l->lcps.his_lqr_on || l->lcps.my_lqr_on))
		return;
	/* Our own magic number: the link is looped back (RFC 1989 2.7). */
	if (l->lcps.want_magic && ppp_rd32(pkt) == l->lcps.want_magic)
		return;
	q->in_lqrs++;
	q->peer_out_lqrs = ppp_rd32(pkt + 36);
	q->peer_out_packets = ppp_rd32(pkt + 40);
	q->peer_out_octets = ppp_rd32(pkt + 44);
	q->save_in_lqrs = q->in_lqrs;
	q->save_in_packets = q->in_packets;
	q->save_in_discards = q->in_discards;
	q->save_in_errors = q->in_errors;
	q->save_in_octets = q->in_octets;
	q->resent = 0;
	/* Without a timer of our own, a report answers a report (2.5). */
	if (!lqr_period_ms(l))
		lqr_send(l);
}

void lqr_count_in(struct ppp_link *l, size_t octets)
{
	l->lqr.in_packets++;
	l->lqr.in_octets += (uint32_t)octets;
}

void lqr_count_out(struct ppp_link *l, size_t octets)
{
	l->lqr.out_packets++;
	l->lqr.out_octets += (uint32_t)octets;
}
