/*
 * The frames `tcpdump` shows: a tap on every link of the simulation keeps
 * a copy of its last SHELL_RING_FRAMES frames. Copies, because the pbufs
 * the taps see go back to the pool as soon as the frame is delivered.
 */
#include "shell_int.h"

#include <stdlib.h>
#include <string.h>

void shell_ring_init(struct shell_ring *r, size_t cap)
{
	*r = (struct shell_ring){ .slots = calloc(cap ? cap : 1, sizeof *r->slots),
	                          .cap = cap ? cap : 1 };
	if (!r->slots)
		r->cap = 0; /* nothing is kept: push says no */
}

void shell_ring_free(struct shell_ring *r)
{
	for (size_t i = 0; i < r->cap; i++)
		free(r->slots[i].data);
	free(r->slots);
	*r = (struct shell_ring){ 0 };
}

bool shell_ring_push(struct shell_ring *r, const struct sim_frame_info *f)
{
	if (r->cap == 0)
		return false;
	struct shell_frame *slot = &r->slots[r->total % r->cap];
	uint8_t *copy = realloc(slot->data, f->len ? f->len : 1);
	if (!copy)
		return false;
	memcpy(copy, f->data, f->len);
	*slot = (struct shell_frame){ .time = f->time, .from = f->from, .lost = f->lost,
	                              .len = (uint32_t)f->len, .data = copy };
	r->total++;
	return true;
}

size_t shell_ring_count(const struct shell_ring *r)
{
	return r->total < r->cap ? (size_t)r->total : r->cap;
}

const struct shell_frame *shell_ring_get(const struct shell_ring *r, size_t i)
{
	size_t n = shell_ring_count(r);
	if (i >= n)
		return NULL;
	uint64_t oldest = r->total - n;
	return &r->slots[(oldest + i) % r->cap];
}

static void ring_tap(void *user, const struct sim_frame_info *f)
{
	shell_ring_push(user, f);
}

int shell_capture_attach(struct shell_capture *c, struct sim *sim, size_t per_link)
{
	c->rings = calloc(sim->nlinks ? sim->nlinks : 1, sizeof *c->rings);
	if (!c->rings)
		return -1;
	c->nrings = sim->nlinks;
	for (size_t i = 0; i < sim->nlinks; i++) {
		shell_ring_init(&c->rings[i], per_link);
		sim_link_tap(sim->links[i], ring_tap, &c->rings[i]);
	}
	return 0;
}

void shell_capture_free(struct shell_capture *c)
{
	for (size_t i = 0; i < c->nrings; i++)
		shell_ring_free(&c->rings[i]);
	free(c->rings);
	*c = (struct shell_capture){ 0 };
}

const struct shell_ring *shell_capture_ring(const struct shell_capture *c,
                                            const struct sim_link *l)
{
	return l && l->id < c->nrings ? &c->rings[l->id] : NULL;
}
