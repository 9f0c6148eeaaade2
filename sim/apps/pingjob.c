/*
 * What ping and ping6 share: the job pool, FreeBSD's send/wait timing and
 * its statistics. The timing is FreeBSD's main loop on the virtual clock:
 * one probe per interval; once the last is sent, one more interval, then
 * wait 2 * the longest round trip in whole seconds (at least 1) if any
 * reply came, or 10 s (MAXWAIT) if none did; the summary follows. A run
 * whose every probe was answered ends at the last reply.
 */
#include "apps_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PING_MAXWAIT (10 * SIM_S)

struct ping_job *ping_job_new(struct sim_node *n)
{
	struct apps_node *an = n->apps;
	for (size_t i = 0; i < an->njobs; i++) {
		if (!an->jobs[i]->active) {
			struct ping_job *j = an->jobs[i];
			struct sim_timer keep = j->timer; /* its generation outlives the run */
			memset(j, 0, sizeof *j);
			j->timer = keep;
			j->node = n;
			return j;
		}
	}
	if (an->njobs == an->cap) {
		size_t cap = an->cap ? an->cap * 2 : 2;
		an->jobs = sim_xrealloc(an->jobs, cap, sizeof *an->jobs);
		an->cap = cap;
	}
	struct ping_job *j = sim_xcalloc(1, sizeof *j);
	j->node = n;
	j->timer.when = SIM_NEVER;
	an->jobs[an->njobs++] = j;
	return j;
}

struct ping_job *ping_job_find(struct sim_node *n, bool v6, uint16_t ident)
{
	struct apps_node *an = n->apps;
	for (size_t i = 0; an && i < an->njobs; i++) {
		struct ping_job *j = an->jobs[i];
		if (j->active && j->v6 == v6 && j->ident == ident)
			return j;
	}
	return NULL;
}

/* Timestamp as FreeBSD's struct tv32: seconds, microseconds, big-endian. */
static void put_stamp(const struct sim *sim, uint8_t *p)
{
	uint64_t ns = sim_unix_ns(sim);
	uint32_t sec = (uint32_t)(ns / SIM_S), usec = (uint32_t)(ns % SIM_S / SIM_US);
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(sec >> (24 - 8 * i));
		p[4 + i] = (uint8_t)(usec >> (24 - 8 * i));
	}
}

/* Round trip from the stamp in a reply, in ms at microsecond resolution. */
static double stamp_rtt(const struct sim *sim, const uint8_t *p)
{
	uint64_t ns = sim_unix_ns(sim);
	int64_t now_us = (int64_t)(uint32_t)(ns / SIM_S) * 1000000 + (int64_t)(ns % SIM_S / SIM_US);
	uint32_t sec = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	uint32_t usec = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	int64_t then_us = (int64_t)sec * 1000000 + usec;
	return (double)(now_us - then_us) / 1000.0;
}

void ping_fill_payload(struct ping_job *j, uint8_t *data)
{
	memset(data, 0, j->datalen < 8 ? j->datalen : 8);
	for (uint32_t i = 8; i < j->datalen; i++)
		data[i] = (uint8_t)i;
	if (j->timing)
		put_stamp(j->node->sim, data);
}

/* Square root by Newton's method: the binaries do not link libm. */
static double root(double x)
{
	if (!(x > 0))
		return 0.0;
	double r = x > 1 ? x : 1;
	for (int i = 0; i < 200; i++) {
		double next = 0.5 * (r + x / r);
		if (next >= r)
			break;
		r = next;
	}
	return r;
}

/* After ^C the terminal's echo "^C" is where the summary's newline lands. */
static void summary(struct ping_job *j, bool interrupted)
{
	char loss[64] = "";
	if (j->ntransmitted) {
		if (j->nreceived > j->ntransmitted)
			snprintf(loss, sizeof loss, "-- somebody's duplicating packets!");
		else
			snprintf(loss, sizeof loss, "%.1f%% packet loss",
			         (double)(j->ntransmitted - j->nreceived) * 100.0 / (double)j->ntransmitted);
	}
	char dups[32] = "";
	if (j->nrepeats)
		snprintf(dups, sizeof dups, "+%ld duplicates, ", j->nrepeats);
	ping_say(j, "%s\n--- %s %s statistics ---", interrupted ? "^C" : "", j->host,
	         j->v6 ? "ping6" : "ping");
	ping_say(j, "%ld packets transmitted, %ld packets received, %s%s", j->ntransmitted,
	         j->nreceived, dups, loss);
	if (j->nreceived && j->timing) {
		double num = (double)(j->nreceived + j->nrepeats);
		double avg = j->tsum / num;
		double var = j->tsumsq / num - avg * avg;
		double dev = root(var);
		ping_say(j, "round-trip min/avg/max/%s = %.3f/%.3f/%.3f/%.3f ms",
		         j->v6 ? "std-dev" : "stddev", j->tmin, avg, j->tmax, dev);
	}
}

static void finish(struct ping_job *j, bool interrupted)
{
	timer_cancel(&j->timer);
	summary(j, interrupted);
	j->active = false;
	if (j->listening) {
		if (j->v6)
			icmp6_unlisten(j->node, j);
		else
			icmp4_unlisten(j->node, j);
		j->listening = false;
	}
}

static void send_probe(struct ping_job *j)
{
	if (j->v6)
		ping6_send(j);
	else
		ping4_send(j);
}

static void tick(struct sim *sim, void *obj, uint64_t gen)
{
	struct ping_job *j = obj;
	if (!j->active || !timer_current(&j->timer, gen))
		return;
	j->timer.when = SIM_NEVER;
	sim_time wait = j->interval;
	if (j->npackets == 0 || j->ntransmitted < j->npackets) {
		send_probe(j);
	} else if (j->almost_done) {
		finish(j, false);
		return;
	} else {
		j->almost_done = true;
		if (j->nreceived) {
			uint64_t s = (uint64_t)(2 * j->tmax / 1000);
			wait = (s ? s : 1) * SIM_S;
		} else {
			wait = PING_MAXWAIT;
		}
	}
	timer_arm(sim, &j->timer, sim->now + wait, tick, j);
}

void ping_say(struct ping_job *j, const char *fmt, ...)
{
	struct apps_node *an = j->node->apps;
	const char *saved = an->grep;
	bool saved_invert = an->grep_invert;
	an->grep = j->has_grep ? j->grep : NULL;
	an->grep_invert = j->grep_invert;
	va_list ap;
	va_start(ap, fmt);
	apps_vsay(j->node, fmt, ap);
	va_end(ap);
	an->grep = saved;
	an->grep_invert = saved_invert;
}

void ping_job_start(struct ping_job *j)
{
	struct sim *sim = j->node->sim;
	struct apps_node *an = j->node->apps;
	j->active = true;
	j->has_grep = an->grep != NULL;
	if (an->grep) {
		snprintf(j->grep, sizeof j->grep, "%s", an->grep);
		j->grep_invert = an->grep_invert;
	}
	j->tmin = 999999999.0;
	j->timing = j->datalen >= 8;
	if (j->v6)
		ping6_listen(j);
	else
		ping4_listen(j);
	send_probe(j);
	if (j->active)
		timer_arm(sim, &j->timer, sim->now + j->interval, tick, j);
}

double ping_job_reply(struct ping_job *j, uint16_t seq, const uint8_t *data, size_t dlen,
                      bool *dup)
{
	double rtt = -1;
	j->nreceived++;
	if (j->timing && dlen >= 8) {
		rtt = stamp_rtt(j->node->sim, data);
		j->tsum += rtt;
		j->tsumsq += rtt * rtt;
		if (rtt < j->tmin)
			j->tmin = rtt;
		if (rtt > j->tmax)
			j->tmax = rtt;
	}
	unsigned bit = seq % PING_DUP_BITS;
	*dup = j->rcvd[bit / 8] & (1u << (bit % 8));
	if (*dup) {
		j->nrepeats++;
		j->nreceived--;
	} else {
		j->rcvd[bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
	return rtt;
}

void ping_job_check_done(struct ping_job *j)
{
	if (j->active && j->npackets && j->nreceived >= j->npackets)
		finish(j, false);
}

void apps_interrupt(struct sim_node *n)
{
	struct apps_node *an = n->apps;
	for (size_t i = 0; an && i < an->njobs; i++)
		if (an->jobs[i]->active)
			finish(an->jobs[i], true);
}
