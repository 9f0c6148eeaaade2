/*
 * The engine: the event heap (time, then insertion order), the run loop,
 * cancellable timers, the packet-buffer pool, the transcript store,
 * topology names and files, and the cleanup hooks of sim_free.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"

int suite_heap(void);

static void noop(struct sim *sim, void *obj, uint64_t arg)
{
	(void)sim, (void)obj, (void)arg;
}

static void test_equal_times_keep_insertion_order(void)
{
	struct sim_heap h;
	heap_init(&h);
	/* 2,000 events over only 5 distinct times, pushed in a scrambled order. */
	for (uint64_t i = 0; i < 2000; i++)
		heap_push(&h, (i * 7) % 5, noop, NULL, i);
	struct sim_event e, prev = { 0 };
	size_t n = 0;
	int bad = 0;
	while (heap_pop(&h, &e)) {
		if (n > 0 && (e.time < prev.time || (e.time == prev.time && e.arg <= prev.arg)))
			bad++;
		prev = e;
		n++;
	}
	CU_ASSERT_EQUAL(n, 2000);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_PTR_NULL(heap_peek(&h));
	heap_free(&h);
}

/* Reference: an array kept sorted by (time, push number). */
struct refq {
	uint64_t t[4096], id[4096];
	size_t n;
};

static void ref_push(struct refq *q, uint64_t t, uint64_t id)
{
	size_t i = q->n++;
	while (i > 0 && q->t[i - 1] > t) { /* equal times stay behind: FIFO */
		q->t[i] = q->t[i - 1];
		q->id[i] = q->id[i - 1];
		i--;
	}
	q->t[i] = t;
	q->id[i] = id;
}

static void test_random_against_sorted_reference(void)
{
	static struct refq q;
	struct sim_heap h;
	struct sim_prng r;
	heap_init(&h);
	q.n = 0;
	prng_seed(&r, 12345);
	uint64_t id = 0;
	int mismatches = 0;
	for (int op = 0; op < 20000; op++) {
		bool push = q.n == 0 || (q.n < 4096 && prng_below(&r, 3) != 0);
		if (push) {
			uint64_t t = prng_below(&r, 50); /* many collisions */
			heap_push(&h, t, noop, NULL, id);
			ref_push(&q, t, id);
			id++;
			continue;
		}
		struct sim_event e;
		CU_ASSERT_FATAL(heap_pop(&h, &e));
		if (e.time != q.t[0] || e.arg != q.id[0])
			mismatches++;
		memmove(q.t, q.t + 1, (q.n - 1) * sizeof q.t[0]);
		memmove(q.id, q.id + 1, (q.n - 1) * sizeof q.id[0]);
		q.n--;
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	CU_ASSERT_EQUAL(h.n, q.n);
	heap_free(&h);
}

/* ---- run loop ---- */

struct trace {
	sim_time at[16];
	uint64_t arg[16];
	int n;
};

static void record(struct sim *sim, void *obj, uint64_t arg)
{
	struct trace *t = obj;
	if (t->n < 16) {
		t->at[t->n] = sim->now;
		t->arg[t->n] = arg;
	}
	t->n++;
	if (arg == 99)
		sim->stop = true;
}

static void test_run_until(void)
{
	struct sim *sim = sim_new(1, 0);
	struct trace t = { 0 };
	sim_at(sim, 30, record, &t, 3);
	sim_at(sim, 10, record, &t, 1);
	sim_after(sim, 20, record, &t, 2);
	sim_at(sim, 50, record, &t, 5);
	sim_run_until(sim, 30); /* inclusive */
	CU_ASSERT_EQUAL(t.n, 3);
	CU_ASSERT_EQUAL(t.at[0], 10);
	CU_ASSERT_EQUAL(t.at[2], 30);
	CU_ASSERT_EQUAL(sim->events_run, 3);
	sim_run_until(sim, 40); /* nothing due: the clock still moves to 40 */
	CU_ASSERT_EQUAL(sim->now, 40);
	CU_ASSERT_EQUAL(t.n, 3);
	sim_after(sim, 5, record, &t, 4);           /* 45 */
	sim_at(sim, 1, record, &t, 6);              /* in the past: runs now, last */
	sim_run_until(sim, 100);
	CU_ASSERT_EQUAL(t.n, 6);
	CU_ASSERT_EQUAL(t.arg[3], 6);
	CU_ASSERT_EQUAL(t.at[3], 40);
	CU_ASSERT_EQUAL(t.arg[4], 4);
	CU_ASSERT_EQUAL(t.at[5], 50);
	CU_ASSERT_EQUAL(sim->now, 100);
	/* stop: the loop ends at the event that set it, the clock stays there. */
	sim_at(sim, 150, record, &t, 99);
	sim_at(sim, 160, record, &t, 7);
	sim_run_until(sim, 1000);
	CU_ASSERT_EQUAL(sim->now, 150);
	CU_ASSERT_EQUAL(t.n, 7);
	CU_ASSERT_EQUAL(sim->heap.n, 1);
	sim_free(sim);
}

/* ---- timers ---- */

struct owner {
	struct sim_timer timer;
	int fired;
	sim_time when;
};

static void timer_fired(struct sim *sim, void *obj, uint64_t arg)
{
	struct owner *o = obj;
	if (!timer_current(&o->timer, arg))
		return; /* cancelled or re-armed since */
	o->fired++;
	o->when = sim->now;
	o->timer.when = SIM_NEVER;
}

static void test_timers_cancel_rearm(void)
{
	struct sim *sim = sim_new(1, 0);
	struct owner a = { .timer = { 0, SIM_NEVER } }, b = a, c = a;
	timer_arm(sim, &a.timer, 100, timer_fired, &a);
	timer_arm(sim, &a.timer, 250, timer_fired, &a); /* re-arm later */
	timer_arm(sim, &b.timer, 300, timer_fired, &b);
	timer_arm(sim, &b.timer, 120, timer_fired, &b); /* re-arm earlier */
	timer_arm(sim, &c.timer, 200, timer_fired, &c);
	timer_cancel(&c.timer);
	CU_ASSERT_EQUAL(c.timer.when, SIM_NEVER);
	CU_ASSERT_EQUAL(a.timer.when, 250);
	sim_run_until(sim, 1000);
	CU_ASSERT_EQUAL(a.fired, 1);
	CU_ASSERT_EQUAL(a.when, 250);
	CU_ASSERT_EQUAL(b.fired, 1);
	CU_ASSERT_EQUAL(b.when, 120);
	CU_ASSERT_EQUAL(c.fired, 0);
	/* Stale events still ran (and were ignored): 5 pushed, 5 popped. */
	CU_ASSERT_EQUAL(sim->events_run, 5);
	sim_free(sim);
}

/* ---- packet buffers ---- */

static void test_pbuf_pool(void)
{
	struct sim *sim = sim_new(1, 0);
	static struct pbuf *held[600];
	for (int i = 0; i < 600; i++)
		held[i] = pbuf_alloc(sim);
	CU_ASSERT_EQUAL(sim->pool.in_use, 600);
	CU_ASSERT_EQUAL(sim->pool.peak, 600);
	CU_ASSERT(sim->pool.count >= 600);
	size_t chunks = sim->pool.nchunks;
	int dup = 0;
	for (int i = 1; i < 600; i++)
		dup += held[i] == held[i - 1];
	CU_ASSERT_EQUAL(dup, 0);
	for (int i = 0; i < 600; i++)
		pbuf_release(sim, held[i]);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	/* Recycled, not reallocated: another 600 fit in the same chunks. */
	for (int i = 0; i < 600; i++)
		held[i] = pbuf_alloc(sim);
	CU_ASSERT_EQUAL(sim->pool.nchunks, chunks);
	CU_ASSERT_EQUAL(sim->pool.peak, 600);
	for (int i = 0; i < 600; i++)
		pbuf_release(sim, held[i]);

	struct pbuf *p = pbuf_alloc(sim);
	pbuf_hold(p);
	pbuf_release(sim, p);
	CU_ASSERT_EQUAL(sim->pool.in_use, 1); /* still referenced once */
	CU_ASSERT_EQUAL(p->off, PBUF_HEADROOM);
	uint8_t *tail = pbuf_append(p, 4);
	memcpy(tail, "\x0a\x0b\x0c\x0d", 4);
	uint8_t *head = pbuf_prepend(p, 2);
	CU_ASSERT_PTR_EQUAL(head, pbuf_data(p));
	head[0] = 1, head[1] = 2;
	CU_ASSERT_EQUAL(p->len, 6);
	CU_ASSERT_EQUAL(memcmp(pbuf_data(p), "\x01\x02\x0a\x0b\x0c\x0d", 6), 0);
	CU_ASSERT_PTR_NULL(pbuf_prepend(p, PBUF_HEADROOM)); /* only 126 left */
	CU_ASSERT_PTR_NULL(pbuf_append(p, PBUF_SIZE));
	CU_ASSERT_PTR_NOT_NULL(pbuf_append(p, PBUF_SIZE - PBUF_HEADROOM + 2 - 6));
	CU_ASSERT_PTR_NULL(pbuf_append(p, 1));
	pbuf_release(sim, p);
	pbuf_release(sim, p); /* a double release is ignored */
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);

	uint8_t big[PBUF_SIZE];
	memset(big, 0x5a, sizeof big);
	CU_ASSERT_PTR_NULL(pbuf_copy(sim, big, PBUF_SIZE - PBUF_HEADROOM + 1));
	struct pbuf *c = pbuf_copy(sim, big, 1500);
	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT_EQUAL(c->len, 1500);
	CU_ASSERT_EQUAL(pbuf_data(c)[1499], 0x5a);
	pbuf_release(sim, c);
	sim_free(sim);
}

/* ---- transcript ---- */

static void test_output_lines(void)
{
	struct sim *sim = sim_new(1, 0);
	struct sim_node *a = sim_node_add(sim, "k7", NODE_FREEBSD);
	struct sim_node *b = sim_node_add(sim, "isc", NODE_HOST);
	CU_ASSERT_FATAL(a && b);
	sim_say_command(a, "ping6 -c 1 ::1");
	sim->now = 5;
	sim_say(a, "PING6(56=40+8+8 bytes) %s --> %s\n", "::1", "::1");
	sim_say(b, "one\ntwo\n\nfour\n");
	sim->now = 9;
	sim_say(a, "%s", "");
	char longline[1000];
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	sim_say(b, "%s!", longline);
	const struct sim_output *o = &sim->out;
	CU_ASSERT_EQUAL_FATAL(o->n, 8);
	CU_ASSERT(o->lines[0].is_command);
	CU_ASSERT_STRING_EQUAL(o->lines[0].text, "ping6 -c 1 ::1");
	CU_ASSERT_STRING_EQUAL(o->lines[1].text, "PING6(56=40+8+8 bytes) ::1 --> ::1");
	CU_ASSERT_EQUAL(o->lines[1].time, 5);
	CU_ASSERT(!o->lines[1].is_command);
	CU_ASSERT_EQUAL(o->lines[2].node, b->id);
	CU_ASSERT_STRING_EQUAL(o->lines[3].text, "two");
	CU_ASSERT_STRING_EQUAL(o->lines[4].text, "");
	CU_ASSERT_STRING_EQUAL(o->lines[5].text, "four");
	CU_ASSERT_STRING_EQUAL(o->lines[6].text, "");
	CU_ASSERT_EQUAL(o->lines[6].time, 9);
	CU_ASSERT_EQUAL(strlen(o->lines[7].text), 1000);
	CU_ASSERT_EQUAL(o->lines[7].text[999], '!');
	sim_free(sim);
}

/* ---- topology names, files, cleanup hooks ---- */

static void test_topology_names_and_files(void)
{
	struct sim *sim = sim_new(1, 0);
	struct sim_node *k7 = sim_node_add(sim, "k7", NODE_FREEBSD);
	CU_ASSERT_FATAL(k7 != NULL);
	CU_ASSERT_PTR_NULL(sim_node_add(sim, "k7", NODE_HOST));
	CU_ASSERT_PTR_NULL(sim_node_add(sim, "", NODE_HOST));
	CU_ASSERT_PTR_NULL(sim_node_add(sim, "a-name-that-is-far-too-long-for-it", NODE_HOST));
	CU_ASSERT_PTR_EQUAL(sim_node_find(sim, "k7"), k7);
	CU_ASSERT_PTR_NULL(sim_node_find(sim, "k8"));
	const uint8_t mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
	struct sim_iface *sk0 = sim_iface_add(k7, "sk0", mac);
	struct sim_iface *lo0 = sim_iface_add(k7, "lo0", NULL);
	CU_ASSERT_FATAL(sk0 && lo0);
	CU_ASSERT_PTR_NULL(sim_iface_add(k7, "sk0", NULL));
	CU_ASSERT_EQUAL(sk0->index, 1);
	CU_ASSERT_EQUAL(lo0->index, 2);
	CU_ASSERT_PTR_EQUAL(sim_iface_by_index(k7, 2), lo0);
	CU_ASSERT_PTR_NULL(sim_iface_by_index(k7, 3));
	CU_ASSERT_EQUAL(memcmp(sk0->mac, mac, 6), 0);
	CU_ASSERT(memcmp(lo0->mac, sk0->mac, 6) != 0);
	CU_ASSERT_EQUAL(sk0->mtu, 1500);
	for (int i = 2; i < SIM_MAX_IFACES; i++) {
		char name[8] = "em0";
		name[2] = (char)('0' + i);
		CU_ASSERT(sim_iface_add(k7, name, NULL) != NULL);
	}
	CU_ASSERT_PTR_NULL(sim_iface_add(k7, "em9", NULL)); /* table full */

	CU_ASSERT_EQUAL(sim_file_put(k7, "/etc/ppp/ppp.conf", "default:\n", 9, "scn:12"), 0);
	CU_ASSERT_EQUAL(sim_file_put(k7, "relative", "x", 1, NULL), -1);
	const struct sim_file *f = sim_file_get(k7, "/etc/ppp/ppp.conf");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_STRING_EQUAL(f->data, "default:\n");
	CU_ASSERT_EQUAL(sim_file_put(k7, "/etc/ppp/ppp.conf", "a\0b", 3, "scn:13"), 0);
	f = sim_file_get(k7, "/etc/ppp/ppp.conf");
	CU_ASSERT_EQUAL(k7->nfiles, 1);
	CU_ASSERT_EQUAL(f->len, 3);
	CU_ASSERT_EQUAL(memcmp(f->data, "a\0b", 4), 0);
	CU_ASSERT_STRING_EQUAL(f->origin, "scn:13");
	CU_ASSERT_PTR_NULL(sim_file_get(k7, "/etc/rc.conf"));
	sim_free(sim);
}

struct hook_log {
	int order[4];
	int n;
};

struct hook_user {
	struct hook_log *log;
	int id;
};

static void hook(struct sim *sim, void *user)
{
	struct hook_user *u = user;
	CU_ASSERT_EQUAL(sim->nnodes, 1); /* nodes still there for the modules */
	if (u->log->n < 4)
		u->log->order[u->log->n++] = u->id;
}

static void test_free_hooks_reverse(void)
{
	struct hook_log log = { { 0 }, 0 };
	struct hook_user u[3] = { { &log, 1 }, { &log, 2 }, { &log, 3 } };
	struct sim *sim = sim_new(1, 0);
	sim_node_add(sim, "n", NODE_HOST);
	for (int i = 0; i < 3; i++)
		sim_on_free(sim, hook, &u[i]);
	sim_free(sim);
	CU_ASSERT_EQUAL(log.n, 3);
	CU_ASSERT_EQUAL(log.order[0], 3);
	CU_ASSERT_EQUAL(log.order[1], 2);
	CU_ASSERT_EQUAL(log.order[2], 1);
}

int suite_heap(void)
{
	CU_pSuite s = CU_add_suite("heap", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "equal_times_keep_insertion_order",
	                 test_equal_times_keep_insertion_order) ||
	    !CU_add_test(s, "random_against_sorted_reference", test_random_against_sorted_reference) ||
	    !CU_add_test(s, "run_until", test_run_until) ||
	    !CU_add_test(s, "timers_cancel_rearm", test_timers_cancel_rearm) ||
	    !CU_add_test(s, "pbuf_pool", test_pbuf_pool) ||
	    !CU_add_test(s, "output_lines", test_output_lines) ||
	    !CU_add_test(s, "topology_names_and_files", test_topology_names_and_files) ||
	    !CU_add_test(s, "free_hooks_reverse", test_free_hooks_reverse))
		return -1;
	return 0;
}
