/*
 * Packet buffers from a pool that grows by chunks and gives nothing back
 * before sim_free: a run allocates a few chunks at its busiest moment and
 * then recycles them, never one malloc per frame.
 *
 * Pbufs are named by a 1-based pool index (chunk * PBUF_CHUNK + slot + 1).
 * The `next` field links the free list while a pbuf is free and holds the
 * pbuf's own index while it is in use, so release finds its slot without
 * a search and without another field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

#define PBUF_CHUNK 256u

static struct pbuf *pbuf_at(const struct pbuf_pool *pool, uint32_t index)
{
	uint32_t i = index - 1;
	return &pool->chunks[i / PBUF_CHUNK][i % PBUF_CHUNK];
}

/* Add a chunk and thread its pbufs onto the free list, lowest index first. */
static void pool_grow(struct pbuf_pool *pool)
{
	if (pool->count > UINT32_MAX - PBUF_CHUNK) {
		fprintf(stderr, "v6lab: packet buffer pool exhausted\n");
		abort(); /* more pbufs than indexes can name: stop like out of memory */
	}
	pool->chunks = sim_xrealloc(pool->chunks, pool->nchunks + 1, sizeof *pool->chunks);
	struct pbuf *c = sim_xrealloc(NULL, PBUF_CHUNK, sizeof *c);
	pool->chunks[pool->nchunks++] = c;
	uint32_t base = pool->count;
	for (uint32_t k = PBUF_CHUNK; k-- > 0;) {
		c[k].refs = 0;
		c[k].next = pool->free_head;
		pool->free_head = base + k + 1;
	}
	pool->count += PBUF_CHUNK;
}

struct pbuf *pbuf_alloc(struct sim *sim)
{
	struct pbuf_pool *pool = &sim->pool;
	if (pool->free_head == 0)
		pool_grow(pool);
	uint32_t index = pool->free_head;
	struct pbuf *p = pbuf_at(pool, index);
	pool->free_head = p->next;
	p->next = index;
	p->refs = 1;
	p->len = 0;
	p->off = PBUF_HEADROOM;
	if (++pool->in_use > pool->peak)
		pool->peak = pool->in_use;
	return p;
}

void pbuf_hold(struct pbuf *p)
{
	p->refs++;
}

void pbuf_release(struct sim *sim, struct pbuf *p)
{
	if (!p || p->refs == 0)
		return; /* a double release must not corrupt the free list */
	if (--p->refs > 0)
		return;
	struct pbuf_pool *pool = &sim->pool;
	uint32_t index = p->next;
	p->next = pool->free_head;
	pool->free_head = index;
	pool->in_use--;
}

struct pbuf *pbuf_copy(struct sim *sim, const uint8_t *data, size_t len)
{
	if (len > PBUF_SIZE - PBUF_HEADROOM)
		return NULL;
	struct pbuf *p = pbuf_alloc(sim);
	if (len)
		memcpy(pbuf_data(p), data, len);
	p->len = (uint32_t)len;
	return p;
}

uint8_t *pbuf_prepend(struct pbuf *p, size_t n)
{
	if (n > p->off)
		return NULL;
	p->off -= (uint32_t)n;
	p->len += (uint32_t)n;
	return pbuf_data(p);
}

uint8_t *pbuf_append(struct pbuf *p, size_t n)
{
	if (n > PBUF_SIZE - p->off - p->len)
		return NULL;
	uint8_t *end = pbuf_data(p) + p->len;
	p->len += (uint32_t)n;
	return end;
}

void pbuf_pool_free(struct pbuf_pool *pool)
{
	for (size_t i = 0; i < pool->nchunks; i++)
		free(pool->chunks[i]);
	free(pool->chunks);
	memset(pool, 0, sizeof *pool);
}
