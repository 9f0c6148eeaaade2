/*
 * The engine: a 4-ary min-heap of events keyed by (time, insertion order),
 * cancellable timers by generation number, the run loop, and the life of
 * a struct sim. A 4-ary heap halves the depth of a binary one and keeps a
 * node's children in one or two cache lines of 40-byte events.
 */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

#define ARITY 4

static bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void heap_init(struct sim_heap *h)
{
	memset(h, 0, sizeof *h);
}

void heap_free(struct sim_heap *h)
{
	free(h->ev);
	memset(h, 0, sizeof *h);
}

void heap_push(struct sim_heap *h, sim_time t, sim_event_fn fn, void *obj, uint64_t arg)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 1024;
		h->ev = sim_xrealloc(h->ev, h->cap, sizeof *h->ev);
	}
	struct sim_event e = { .time = t, .seq = h->next_seq++, .fn = fn, .obj = obj, .arg = arg };
	size_t i = h->n++;
	while (i > 0) {
		size_t parent = (i - 1) / ARITY;
		if (!ev_before(&e, &h->ev[parent]))
			break;
		h->ev[i] = h->ev[parent];
		i = parent;
	}
	h->ev[i] = e;
}

/* Move the last event down from the root to its place. */
static void sift_down(struct sim_heap *h, struct sim_event e)
{
	size_t i = 0, n = h->n;
	for (;;) {
		size_t first = i * ARITY + 1;
		if (first >= n)
			break;
		size_t best = first, end = first + ARITY < n ? first + ARITY : n;
		for (size_t c = first + 1; c < end; c++)
			if (ev_before(&h->ev[c], &h->ev[best]))
				best = c;
		if (!ev_before(&h->ev[best], &e))
			break;
		h->ev[i] = h->ev[best];
		i = best;
	}
	h->ev[i] = e;
}

bool heap_pop(struct sim_heap *h, struct sim_event *out)
{
	if (h->n == 0)
		return false;
	*out = h->ev[0];
	struct sim_event last = h->ev[--h->n];
	if (h->n > 0)
		sift_down(h, last);
	return true;
}

const struct sim_event *heap_peek(const struct sim_heap *h)
{
	return h->n ? &h->ev[0] : NULL;
}

/* ---- timers ---- */

void timer_arm(struct sim *sim, struct sim_timer *t, sim_time when, sim_event_fn fn, void *obj)
{
	t->gen++; /* an event already queued for this timer is now stale */
	t->when = when;
	sim_at(sim, when, fn, obj, t->gen);
}

void timer_cancel(struct sim_timer *t)
{
	t->gen++;
	t->when = SIM_NEVER;
}

/* ---- scheduling and the run loop ---- */

void sim_at(struct sim *sim, sim_time when, sim_event_fn fn, void *obj, uint64_t arg)
{
	/* The past cannot be scheduled: a late event runs now, after the
	 * events already queued for now (insertion order). */
	if (when < sim->now)
		when = sim->now;
	heap_push(&sim->heap, when, fn, obj, arg);
}

void sim_after(struct sim *sim, sim_time delay, sim_event_fn fn, void *obj, uint64_t arg)
{
	sim_time when = delay > SIM_NEVER - sim->now ? SIM_NEVER : sim->now + delay;
	sim_at(sim, when, fn, obj, arg);
}

void sim_run_until(struct sim *sim, sim_time until)
{
	struct sim_event e;
	while (!sim->stop) {
		const struct sim_event *next = heap_peek(&sim->heap);
		if (!next || next->time > until)
			break;
		heap_pop(&sim->heap, &e);
		sim->now = e.time;
		sim->events_run++;
		e.fn(sim, e.obj, e.arg);
	}
	/* SIM_NEVER means "until nothing is left": the clock stays at the
	 * last event instead of jumping to the end of time. */
	if (!sim->stop && until != SIM_NEVER && sim->now < until)
		sim->now = until;
}

/* ---- life of a simulation ---- */

struct sim *sim_new(uint64_t seed, sim_time start_unix_ns)
{
	struct sim *sim = sim_xcalloc(1, sizeof *sim);
	sim->start_unix_ns = start_unix_ns;
	prng_seed(&sim->prng, seed);
	heap_init(&sim->heap);
	return sim;
}

void sim_on_free(struct sim *sim, void (*fn)(struct sim *sim, void *user), void *user)
{
	if (sim->nfree_hooks == sim->free_hooks_cap) {
		sim->free_hooks_cap = sim->free_hooks_cap ? sim->free_hooks_cap * 2 : 8;
		sim->free_hooks = sim_xrealloc(sim->free_hooks, sim->free_hooks_cap,
		                               sizeof *sim->free_hooks);
	}
	sim->free_hooks[sim->nfree_hooks++] = (struct sim_free_hook){ fn, user };
}

void sim_free(struct sim *sim)
{
	if (!sim)
		return;
	/* Modules first, newest first, while nodes and links still exist. */
	while (sim->nfree_hooks > 0) {
		struct sim_free_hook h = sim->free_hooks[--sim->nfree_hooks];
		h.fn(sim, h.user);
	}
	free(sim->free_hooks);
	topo_free(sim);
	heap_free(&sim->heap); /* pending events only point into freed memory */
	pbuf_pool_free(&sim->pool);
	output_free(&sim->out);
	free(sim);
}
