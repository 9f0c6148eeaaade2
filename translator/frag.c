/*
 * Fragments: the memory that lets NAPT translate the later fragments of a
 * packet the way its first fragment (the one with the ports) went, the
 * IPv4 Identification generator, and fragmenting 4->6 packets larger than
 * mtu6.
 *
 * The memory is a fixed open-addressed table allocated once; an entry
 * lives FRAG_LIFETIME_NS of the caller's clock after its last use. Later
 * fragments that arrive before their first fragment are not queued: they
 * are dropped (FRAG_NO_FIRST), and the sender's retransmission repairs it.
 */
#include "xlate.h"
#include <stdlib.h>

#define FRAG_SLOTS        1024u  /* power of two */
#define FRAG_PROBES       8u     /* slots looked at per key */
#define FRAG_LIFETIME_NS  2000000000ull

struct frag_entry {
	bool used;
	uint64_t expires_ns;
	struct n64_frag_key key;
	uint8_t xsrc[16], xdst[16];  /* translated addresses */
};

struct n64_frag_table {
	uint16_t last_id4;           /* IPv4 Identification generator */
	struct frag_entry slot[FRAG_SLOTS];
};

struct n64_frag_table *frag_table_new(void)
{
	return calloc(1, sizeof(struct n64_frag_table));
}

void frag_table_free(struct n64_frag_table *t)
{
	free(t);
}

/* FNV-1a over the key's fields: deterministic, no pointer values. */
static uint32_t frag_hash(const struct n64_frag_key *k)
{
	uint8_t head[6] = { k->dir, k->proto, (uint8_t)(k->id >> 24), (uint8_t)(k->id >> 16),
	                    (uint8_t)(k->id >> 8), (uint8_t)k->id };
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < sizeof head; i++)
		h = (h ^ head[i]) * 16777619u;
	for (size_t i = 0; i < 16; i++)
		h = (h ^ k->src[i]) * 16777619u;
	for (size_t i = 0; i < 16; i++)
		h = (h ^ k->dst[i]) * 16777619u;
	return h;
}

static bool frag_key_equal(const struct n64_frag_key *a, const struct n64_frag_key *b)
{
	return a->dir == b->dir && a->proto == b->proto && a->id == b->id &&
	       memcmp(a->src, b->src, 16) == 0 && memcmp(a->dst, b->dst, 16) == 0;
}

static bool frag_live(const struct frag_entry *e, uint64_t now)
{
	return e->used && e->expires_ns > now;
}

void frag_remember(struct n64_frag_table *t, const struct n64_frag_key *k,
                   const uint8_t *xsrc, const uint8_t *xdst, size_t alen, uint64_t now)
{
	uint32_t h = frag_hash(k);
	struct frag_entry *victim = NULL;

	for (uint32_t i = 0; i < FRAG_PROBES; i++) {
		struct frag_entry *e = &t->slot[(h + i) & (FRAG_SLOTS - 1)];
		if (!frag_live(e, now)) { /* free: take the first one seen */
			if (!victim || frag_live(victim, now))
				victim = e;
			continue;
		}
		if (frag_key_equal(&e->key, k)) { /* same packet again: refresh */
			victim = e;
			break;
		}
		/* All taken: evict the one closest to expiry. */
		if (!victim || (frag_live(victim, now) && e->expires_ns < victim->expires_ns))
			victim = e;
	}
	victim->used = true;
	victim->expires_ns = now + FRAG_LIFETIME_NS;
	victim->key = *k;
	memset(victim->xsrc, 0, sizeof victim->xsrc);
	memset(victim->xdst, 0, sizeof victim->xdst);
	memcpy(victim->xsrc, xsrc, alen);
	memcpy(victim->xdst, xdst, alen);
}

bool frag_lookup(struct n64_frag_table *t, const struct n64_frag_key *k,
                 uint8_t *xsrc, uint8_t *xdst, size_t alen, uint64_t now)
{
	uint32_t h = frag_hash(k);

	for (uint32_t i = 0; i < FRAG_PROBES; i++) {
		struct frag_entry *e = &t->slot[(h + i) & (FRAG_SLOTS - 1)];
		if (frag_live(e, now) && frag_key_equal(&e->key, k)) {
			e->expires_ns = now + FRAG_LIFETIME_NS;
			memcpy(xsrc, e->xsrc, alen);
			memcpy(xdst, e->xdst, alen);
			return true;
		}
	}
	return false;
}

/* A counter, not a clock or a random number: the output stays reproducible. */
uint16_t frag_next_id4(struct n64_frag_table *t)
{
	if (++t->last_id4 == 0)
		t->last_id4 = 1;
	return t->last_id4;
}

/*
 * Split in place: fragment k's headers are written just before its payload,
 * over the tail of fragment k-1, which emit() has already consumed.
 */
void frag_emit6(struct nat6to4 *nat, size_t total, uint32_t mtu)
{
	const size_t hl = N64_IP6_HLEN + N64_FRAG_HLEN;
	uint8_t head[N64_IP6_HLEN + N64_FRAG_HLEN];
	size_t payload = total - hl;
	size_t chunk = mtu > hl + 8 ? ((mtu - hl) & ~(size_t)7) : 8;

	memcpy(head, nat->out, hl);
	uint16_t fo = rd16(head + N64_IP6_HLEN + 2);
	uint16_t first_off = fo & 0xfff8;
	bool last_more = fo & 1;
	for (size_t off = 0; off < payload; off += chunk) {
		size_t n = payload - off < chunk ? payload - off : chunk;
		bool last = off + n == payload;
		uint8_t *p = nat->out + off;
		memcpy(p, head, hl);
		wr16(p + 4, (uint16_t)(N64_FRAG_HLEN + n));
		wr16(p + N64_IP6_HLEN + 2,
		     (uint16_t)(((first_off + off) & 0xfff8) | (last ? last_more : 1)));
		nat->ctr.fragments_out++;
		core_emit(nat, p, hl + n, 6, NAT6TO4_OUT_TRANSLATED);
	}
}
