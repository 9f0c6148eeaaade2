/*
 * Expectations during the run. A link's tap hands each frame to the packet
 * expectations of that link whose window contains the frame's time, and
 * runs their pcap filter on it with a pcap header stamped from the virtual
 * clock; route and address expectations poll every XP_POLL until they
 * hold or their window closes.
 */
#include "expect.h"
#include "../trace/trace.h"

#include <stdlib.h>
#include <string.h>

sim_time xp_last_window_end(const struct scn *s)
{
	sim_time end = 0;

	for (size_t i = 0; i < s->nexpects; i++)
		if (s->expects[i].start + s->expects[i].duration > end)
			end = s->expects[i].start + s->expects[i].duration;
	return end;
}

static int init_packet(struct xp_state *st, const struct scn *s, struct sim *sim,
                       struct sim_link **links, struct xp_set *x, struct scn_diag *d)
{
	const struct scn_expect *e = st->e;
	size_t li = (size_t)(scn_find_link(s, e->link) - s->links);
	char err[PCAP_ERRBUF_SIZE + 64];

	if (scn_compile_filter(e->text, s->links[li].kind, &st->prog, err, sizeof err) < 0)
		return scn_error(s, d, e->text_pos, "invalid filter: %s", err);
	st->has_prog = true;
	st->dlt = trace_link_dlt(links[li]);
	if (e->has_from) {
		struct sim_node *n = sim_node_find(sim, e->from.node);
		st->from = n ? sim_iface_find(n, e->from.iface) : NULL;
	}
	struct xp_watch *w = &x->watch[li];
	struct xp_state **nx = realloc(w->xs, (w->n + 1) * sizeof *nx);
	if (!nx)
		return scn_error(s, d, e->pos, "out of memory");
	w->xs = nx;
	w->xs[w->n++] = st;
	return 0;
}

int xp_init(struct xp_set *x, const struct scn *s, struct sim *sim, struct sim_link **links,
            FILE *trace, struct scn_diag *d)
{
	memset(x, 0, sizeof *x);
	x->xs = calloc(s->nexpects ? s->nexpects : 1, sizeof *x->xs);
	x->watch = calloc(s->nlinks ? s->nlinks : 1, sizeof *x->watch);
	if (!x->xs || !x->watch)
		return scn_error(s, d, (struct scn_pos){ 0, 0 }, "out of memory");
	x->n = s->nexpects;
	x->nwatch = s->nlinks;
	for (size_t i = 0; i < s->nlinks; i++) {
		x->watch[i].dlt = trace_link_dlt(links[i]);
		x->watch[i].trace = trace;
		x->watch[i].sim = sim;
	}
	for (size_t i = 0; i < s->nexpects; i++) {
		struct xp_state *st = &x->xs[i];
		st->e = &s->expects[i];
		st->sim = sim;
		if (st->e->kind == EXP_PACKET || st->e->kind == EXP_NO_PACKET) {
			if (init_packet(st, s, sim, links, x, d) < 0)
				return -1;
		} else {
			st->node = sim_node_find(sim, st->e->node);
		}
	}
	return 0;
}

static void keep_frame(struct xp_frame *k, const struct sim_frame_info *f)
{
	k->time = f->time;
	k->len = (uint32_t)f->len;
	k->caplen = (uint32_t)(f->len < XP_SNAP ? f->len : XP_SNAP);
	memcpy(k->data, f->data, k->caplen);
}

static void offer(struct xp_state *st, const struct sim_frame_info *f)
{
	const struct scn_expect *e = st->e;
	struct pcap_pkthdr h;
	uint64_t t = st->sim->start_unix_ns + f->time;

	if (f->time < e->start || f->time > e->start + e->duration)
		return;
	if (e->kind == EXP_PACKET && st->held)
		return; /* decided: no more work for this one */
	keep_frame(&st->recent[st->nrecent++ % XP_RECENT], f);
	if (st->from && f->from != st->from)
		return;
	h.ts.tv_sec = (time_t)(t / SIM_S);
	h.ts.tv_usec = (suseconds_t)(t % SIM_S / SIM_US);
	h.caplen = h.len = (bpf_u_int32)f->len;
	if (!pcap_offline_filter(&st->prog, &h, f->data))
		return;
	if (st->seen++ == 0 && e->kind == EXP_NO_PACKET)
		keep_frame(&st->first_match, f);
	if (e->kind == EXP_PACKET && st->seen >= e->count) {
		st->held = true;
		st->held_at = f->time;
	}
}

void xp_tap(void *user, const struct sim_frame_info *f)
{
	struct xp_watch *w = user;

	if (w->trace) {
		char line[512];
		trace_line(line, sizeof line, w->sim, f, w->dlt);
		fprintf(w->trace, "%s\n", line);
	}
	for (size_t i = 0; i < w->n; i++)
		offer(w->xs[i], f);
}

static void poll_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct xp_state *st = obj;
	const struct scn_expect *e = st->e;
	bool ok;

	(void)arg;
	if (st->held || !st->node)
		return;
	ok = e->kind == EXP_ROUTE ? xp_has_route(st->node, e, st->desc, sizeof st->desc)
	                          : xp_has_address(st->node, e, st->desc, sizeof st->desc);
	if (ok) {
		st->held = true;
		st->held_at = sim->now;
	} else if (sim->now + XP_POLL <= e->start + e->duration) {
		sim_at(sim, sim->now + XP_POLL, poll_event, st, 0);
	}
}

void xp_schedule(struct xp_set *x)
{
	for (size_t i = 0; i < x->n; i++) {
		struct xp_state *st = &x->xs[i];
		if (st->e->kind == EXP_ROUTE || st->e->kind == EXP_ADDRESS)
			sim_at(st->sim, st->e->start, poll_event, st, 0);
	}
}

void xp_free(struct xp_set *x)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->xs[i].has_prog)
			pcap_freecode(&x->xs[i].prog);
	for (size_t i = 0; i < x->nwatch; i++)
		free(x->watch[i].xs);
	free(x->xs);
	free(x->watch);
	memset(x, 0, sizeof *x);
}
