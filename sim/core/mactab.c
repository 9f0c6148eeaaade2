/*
 * MAC tables: which interfaces a link hands a destination MAC to, and the
 * bridge's learned addresses. Open addressing over a power-of-two array,
 * linear probing, a multiplicative hash of the 48-bit MAC: the layout
 * depends only on the MACs inserted and their order, so it is the same on
 * every machine; nothing ever iterates over it in hash order.
 */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

#define USED (1ull << 48)

static uint64_t mac_key(const uint8_t mac[6])
{
	uint64_t k = 0;
	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k | USED;
}

static uint32_t mac_slot(uint64_t key, uint32_t cap)
{
	/* Fibonacci hashing: the top bits of key * 2^64/phi, masked. */
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

bool mac_hash_get(const struct mac_hash *h, const uint8_t mac[6], uint32_t *val)
{
	if (h->cap == 0)
		return false;
	uint64_t key = mac_key(mac);
	for (uint32_t i = mac_slot(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
		if (h->keys[i] == key) {
			*val = h->vals[i];
			return true;
		}
		if (h->keys[i] == 0)
			return false; /* the load factor keeps at least one slot empty */
	}
}

static void insert(uint64_t *keys, uint32_t *vals, uint32_t cap, uint64_t key, uint32_t val)
{
	uint32_t i = mac_slot(key, cap);
	while (keys[i] != 0 && keys[i] != key)
		i = (i + 1) & (cap - 1);
	keys[i] = key;
	vals[i] = val;
}

/* Double when more than half full: probes stay short for 1,000+ hosts. */
static void grow(struct mac_hash *h)
{
	uint32_t cap = h->cap ? h->cap * 2 : 16;
	uint64_t *keys = sim_xcalloc(cap, sizeof *keys);
	uint32_t *vals = sim_xcalloc(cap, sizeof *vals);
	for (uint32_t i = 0; i < h->cap; i++)
		if (h->keys[i])
			insert(keys, vals, cap, h->keys[i], h->vals[i]);
	free(h->keys);
	free(h->vals);
	h->keys = keys;
	h->vals = vals;
	h->cap = cap;
}

void mac_hash_put(struct mac_hash *h, const uint8_t mac[6], uint32_t val)
{
	uint32_t old;
	if (!mac_hash_get(h, mac, &old)) {
		if ((h->n + 1) * 2 > h->cap)
			grow(h);
		h->n++;
	}
	insert(h->keys, h->vals, h->cap, mac_key(mac), val);
}

void mac_hash_free(struct mac_hash *h)
{
	free(h->keys);
	free(h->vals);
	memset(h, 0, sizeof *h);
}

/* ---- MAC -> set of interfaces ---- */

struct mac_set *mac_table_set(struct mac_table *t, const uint8_t mac[6], bool create)
{
	uint32_t idx;
	if (mac_hash_get(&t->h, mac, &idx))
		return &t->sets[idx];
	if (!create)
		return NULL;
	if (t->nsets == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->sets = sim_xrealloc(t->sets, t->cap, sizeof *t->sets);
	}
	idx = t->nsets++;
	memset(&t->sets[idx], 0, sizeof t->sets[idx]);
	mac_hash_put(&t->h, mac, idx);
	return &t->sets[idx];
}

/* Counted: two groups can map to one MAC (33:33 + low 32 bits). */
void mac_table_add(struct mac_table *t, const uint8_t mac[6], struct sim_iface *ifp)
{
	struct mac_set *s = mac_table_set(t, mac, true);
	for (uint32_t i = 0; i < s->n; i++) {
		if (s->m[i].ifp == ifp) {
			s->m[i].refs++;
			return;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 2;
		s->m = sim_xrealloc(s->m, s->cap, sizeof *s->m);
	}
	s->m[s->n++] = (struct mac_member){ ifp, 1 };
}

void mac_table_remove(struct mac_table *t, const uint8_t mac[6], struct sim_iface *ifp)
{
	struct mac_set *s = mac_table_set(t, mac, false);
	if (!s)
		return;
	for (uint32_t i = 0; i < s->n; i++) {
		if (s->m[i].ifp == ifp && s->m[i].refs > 0) {
			s->m[i].refs--;
			return;
		}
	}
}

void mac_table_free(struct mac_table *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nsets; i++)
		free(t->sets[i].m);
	free(t->sets);
	mac_hash_free(&t->h);
	free(t);
}
