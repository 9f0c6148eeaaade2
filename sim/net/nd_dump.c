/*
 * ndp(8)'s view of the neighbour cache (nd_dump.h): the entries with the
 * expiry FreeBSD 8's kernel reports, and the flush of `ndp -c`.
 */
#include "nd_dump.h"
#include "nd_var.h"

#include <stdlib.h>
#include <string.h>

static int entry_cmp(const void *a, const void *b)
{
	const struct nd_entry *x = *(const struct nd_entry *const *)a;
	const struct nd_entry *y = *(const struct nd_entry *const *)b;
	return memcmp(x->addr, y->addr, 16);
}

/* The live entries of nd in address order (malloc'd; NULL when none). */
static struct nd_entry **sorted_entries(const struct nd_ifstate *nd, size_t *count)
{
	*count = 0;
	if (!nd || !nd->n)
		return NULL;
	struct nd_entry **v = malloc(nd->n * sizeof *v);
	if (!v)
		return NULL;
	for (uint32_t i = 0; i <= nd->mask; i++)
		if (nd->slot[i])
			v[(*count)++] = nd->slot[i];
	qsort(v, *count, sizeof *v, entry_cmp);
	return v;
}

/*
 * FreeBSD 8 keeps one expiry per entry: ReachableTime while REACHABLE,
 * nd6_gctimer once STALE (nd.c goes STALE lazily, at reachable_until),
 * its retransmission or DELAY timer otherwise. An entry learned STALE
 * from a neighbour's NS or RA has no recorded time: counted from 0.
 */
static sim_time entry_expire(const struct nd_entry *e, int state)
{
	switch (state) {
	case ND_REACHABLE:
		return e->reachable_until;
	case ND_STALE:
		return e->reachable_until + ND_GC_TIMER;
	default:
		return e->timer.when;
	}
}

void nd_dump(struct sim_iface *ifp, void (*fn)(void *user, const struct nd_info *e),
             void *user)
{
	size_t k;
	struct nd_entry **v = sorted_entries(ifp->in6 ? ifp->in6->nd : NULL, &k);
	for (size_t i = 0; i < k; i++) {
		struct nd_info info = { .is_router = v[i]->is_router, .asked = v[i]->asked };
		memcpy(info.addr, v[i]->addr, 16);
		memcpy(info.mac, v[i]->mac, 6);
		info.state = nd_state_of(ifp, v[i]->addr, NULL);
		info.expire = entry_expire(v[i], info.state);
		fn(user, &info);
	}
	free(v);
}

size_t nd_flush(struct sim_iface *ifp, void (*fn)(void *user, const uint8_t addr[16]),
                void *user)
{
	struct nd_ifstate *nd = ifp->in6 ? ifp->in6->nd : NULL;
	size_t k;
	struct nd_entry **v = sorted_entries(nd, &k);
	for (size_t i = 0; i < k; i++) {
		struct nd_entry *e = v[i];
		if (fn)
			fn(user, e->addr);
		/* Entries are recycled, never freed (nd_var.h): pending timer
		 * events miss them through the generation count. */
		timer_cancel(&e->timer);
		if (e->hold)
			pbuf_release(ifp->node->sim, e->hold);
		e->hold = NULL;
		e->in_use = false;
		e->next_free = nd->free;
		nd->free = e;
	}
	if (k) {
		memset(nd->slot, 0, ((size_t)nd->mask + 1) * sizeof *nd->slot);
		nd->n = 0;
	}
	free(v);
	return k;
}
