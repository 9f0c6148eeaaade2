/*
 * Routing tables for both families: a small array kept sorted by
 * (dst, plen), longest-prefix match by a linear scan. Tables hold a
 * handful of routes even on the 1,000-host LAN (neighbours live in the ND
 * cache, not here), so a scan beats a radix tree in cache behaviour.
 */
#include "net.h"

#include <stdlib.h>
#include <string.h>

static size_t addr_len(uint8_t family) { return family == 4 ? 4 : 16; }

/* Does `a` fall in prefix/plen? Bytes compared whole, then the last bits. */
static bool prefix_match(const uint8_t *prefix, uint8_t plen, const uint8_t *a)
{
	size_t whole = plen / 8;
	if (memcmp(prefix, a, whole) != 0)
		return false;
	unsigned rest = plen % 8;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return ((prefix[whole] ^ a[whole]) & mask) == 0;
}

/* Order of the listing: destination bytes, then prefix length. */
static int route_cmp(const struct route *r, const uint8_t *dst, uint8_t plen)
{
	int c = memcmp(r->dst, dst, addr_len(r->family));
	if (c)
		return c;
	return (int)r->plen - (int)plen;
}

struct route *route_lookup(struct route_table *t, const uint8_t *dst)
{
	struct route *best = NULL;
	for (size_t i = 0; i < t->n; i++) {
		struct route *r = &t->r[i];
		if (best && r->plen <= best->plen)
			continue;
		if (prefix_match(r->dst, r->plen, dst))
			best = r;
	}
	if (best)
		best->use++;
	return best;
}

struct route *route_find(struct route_table *t, const uint8_t *dst, uint8_t plen)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].plen == plen && memcmp(t->r[i].dst, dst, addr_len(t->r[i].family)) == 0)
			return &t->r[i];
	return NULL;
}

int route_add(struct route_table *t, const struct route *r)
{
	size_t alen = addr_len(r->family);
	if (r->plen > alen * 8)
		return -2;
	/* Keep the host bits clear so equal prefixes compare equal. */
	struct route nr = *r;
	for (size_t i = 0; i < 16; i++) {
		unsigned bit0 = (unsigned)i * 8;
		if (i >= alen)
			nr.dst[i] = 0;
		else if (bit0 >= nr.plen)
			nr.dst[i] = 0;
		else if (bit0 + 8 > nr.plen)
			nr.dst[i] &= (uint8_t)(0xff << (bit0 + 8 - nr.plen));
	}
	size_t pos = 0;
	while (pos < t->n && route_cmp(&t->r[pos], nr.dst, nr.plen) < 0)
		pos++;
	if (pos < t->n && route_cmp(&t->r[pos], nr.dst, nr.plen) == 0)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct route *nrs = realloc(t->r, cap * sizeof *nrs);
		if (!nrs)
			return -3;
		t->r = nrs;
		t->cap = cap;
	}
	memmove(&t->r[pos + 1], &t->r[pos], (t->n - pos) * sizeof *t->r);
	if (nr.expires == 0)
		nr.expires = SIM_NEVER;
	t->r[pos] = nr;
	t->n++;
	return 0;
}

static void route_remove_at(struct route_table *t, size_t i)
{
	memmove(&t->r[i], &t->r[i + 1], (t->n - i - 1) * sizeof *t->r);
	t->n--;
}

int route_delete(struct route_table *t, uint8_t family, const uint8_t *dst, uint8_t plen)
{
	for (size_t i = 0; i < t->n; i++) {
		struct route *r = &t->r[i];
		/* dst may carry host bits: route(8) masks them, so does this. */
		if (r->family == family && r->plen == plen && prefix_match(r->dst, plen, dst)) {
			route_remove_at(t, i);
			return 0;
		}
	}
	return -1;
}

void route_expire(struct route_table *t, sim_time now)
{
	size_t j = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].expires > now)
			t->r[j++] = t->r[i];
	t->n = j;
}

sim_time route_next_expiry(const struct route_table *t, const struct sim_iface *ifp)
{
	sim_time next = SIM_NEVER;
	for (size_t i = 0; i < t->n; i++)
		if ((!ifp || t->r[i].ifp == ifp) && t->r[i].expires < next)
			next = t->r[i].expires;
	return next;
}

void route_flush_iface(struct route_table *t, const struct sim_iface *ifp)
{
	size_t j = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].ifp != ifp)
			t->r[j++] = t->r[i];
	t->n = j;
}

void route_free(struct route_table *t)
{
	free(t->r);
	t->r = NULL;
	t->n = t->cap = 0;
}
