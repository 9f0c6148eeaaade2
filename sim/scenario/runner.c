/*
 * The runner: builds the simulation a validated scenario describes, runs
 * it, and hands the result to the verdict. Building follows the order the
 * modules need: nodes, interfaces, links; then every stack (net,
 * transport, apps), addresses, files, interfaces up; then taps, the
 * timeline and the expectation polls.
 */
#include "expect.h"
#include "replay.h"
#include "../apps/apps.h"
#include "../net/net.h"
#include "../trace/trace.h"
#include "../transport/transport.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SETTLE_STEP (100 * SIM_MS)  /* after the timeline: commands finishing */
#define SETTLE_MAX (60 * SIM_S)

/* A run in progress (scenario.h's scn_session_*). */
struct scn_session {
	struct scn *s;
	const struct scn_run_opts *o;
	struct scn_diag *d;
	struct sim *sim;
	struct sim_link **links;       /* per scenario link: the captured link */
	struct trace_pcap **pcaps;
	struct scn_replay_run *replays; /* per `at`: its replay bound to its link */
	struct xp_set x;
};

static const struct scn_iface *iface_conf(const struct scn *s, const char *node,
                                          const char *iface)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (strcmp(s->ifaces[i].ref.node, node) == 0 && strcmp(s->ifaces[i].ref.iface, iface) == 0)
			return &s->ifaces[i];
	return NULL;
}

/* The interface of a link end, created on first use with its MAC (the
 * `iface` line's, or the core's deterministic default) and MTU. */
static struct sim_iface *end_iface(struct scn_session *r, const struct scn_link *k,
                                   const struct scn_ref *ref)
{
	struct sim_node *n = sim_node_find(r->sim, ref->node);
	const struct scn_iface *conf = iface_conf(r->s, ref->node, ref->iface);
	struct sim_iface *ifp = n ? sim_iface_add(n, ref->iface, conf && conf->has_mac ? conf->mac
	                                                                               : NULL)
	                          : NULL;

	if (!ifp) {
		scn_error(r->s, r->d, ref->pos, "cannot create interface %s:%s", ref->node, ref->iface);
		return NULL;
	}
	if (conf && conf->mtu)
		ifp->mtu = conf->mtu;
	else if (k->mtu)
		ifp->mtu = k->mtu;
	return ifp;
}

static int build_link(struct scn_session *r, size_t li)
{
	const struct scn_link *k = &r->s->links[li];
	struct sim_iface *ends[2];

	if (k->kind == LINK_PATH) {
		for (int i = 0; i < 2; i++)
			if (!(ends[i] = end_iface(r, k, &k->ends[i])))
				return -1;
		r->links[li] = sim_path_add(r->sim, k->name, ends[0], ends[1], k->routers, k->delay);
		if (!r->links[li])
			return scn_error(r->s, r->d, k->pos, "cannot build path link '%s'", k->name);
		return 0;
	}
	struct sim_link *l = sim_link_add(r->sim, k->name, k->kind);
	if (!l)
		return scn_error(r->s, r->d, k->pos, "cannot create link '%s'", k->name);
	l->delay = k->delay;
	l->bandwidth_bps = k->bandwidth_bps;
	l->loss = k->loss;
	if (k->mtu)
		l->mtu = k->mtu;
	r->links[li] = l;
	for (size_t i = 0; i < k->nends; i++) {
		struct sim_iface *ifp = end_iface(r, k, &k->ends[i]);
		if (!ifp)
			return -1;
		if (sim_link_attach(l, ifp) < 0)
			return scn_error(r->s, r->d, k->ends[i].pos, "cannot attach %s:%s to link '%s'",
			                 k->ends[i].node, k->ends[i].iface, k->name);
	}
	return 0;
}

static int build_topology(struct scn_session *r)
{
	for (size_t i = 0; i < r->s->nnodes; i++)
		if (!sim_node_add(r->sim, r->s->nodes[i].name, r->s->nodes[i].kind))
			return scn_error(r->s, r->d, r->s->nodes[i].pos, "cannot create node '%s'",
			                 r->s->nodes[i].name);
	for (size_t i = 0; i < r->s->nlinks; i++)
		if (build_link(r, i) < 0)
			return -1;
	return 0;
}

/* Every node but a bridge runs the stack; the hidden routers of path
 * links (not in the scenario) only forward. */
static void init_stacks(struct scn_session *r)
{
	for (size_t i = 0; i < r->sim->nnodes; i++) {
		struct sim_node *n = r->sim->nodes[i];
		if (n->kind == NODE_BRIDGE)
			continue;
		net_node_init(n);
		if (!scn_find_node(r->s, n->name)) {
			n->net->path_hop = true;
			continue;
		}
		transport_node_init(n);
		apps_node_init(n);
	}
}

static int add_addresses(struct scn_session *r)
{
	for (size_t i = 0; i < r->s->nifaces; i++) {
		const struct scn_iface *f = &r->s->ifaces[i];
		struct sim_node *n = sim_node_find(r->sim, f->ref.node);
		struct sim_iface *ifp = n ? sim_iface_find(n, f->ref.iface) : NULL;
		for (size_t j = 0; ifp && j < f->naddrs; j++) {
			const struct scn_addr *a = &f->addrs[j];
			/* Tentative: like FreeBSD at boot, configured addresses go through DAD. */
			int rc = a->family == 6 ? in6_addr_add(ifp, a->addr, a->plen, IN6_IFF_TENTATIVE,
			                                       SIM_NEVER, SIM_NEVER)
			                        : in4_addr_add(ifp, a->addr, a->plen, NULL);
			if (rc < 0)
				return scn_error(r->s, r->d, a->pos, "cannot add this address to %s:%s",
				                 f->ref.node, f->ref.iface);
		}
	}
	return 0;
}

static int place_files(struct scn_session *r)
{
	char origin[300];

	for (size_t i = 0; i < r->s->nfiles; i++) {
		const struct scn_file *f = &r->s->files[i];
		struct sim_node *n = sim_node_find(r->sim, f->node);
		if (f->from)
			snprintf(origin, sizeof origin, "%s", f->from);
		else
			snprintf(origin, sizeof origin, "%s:%d", r->s->file, f->pos.line + 1);
		if (!n || sim_file_put(n, f->path, f->data ? f->data : "", f->len, origin) < 0)
			return scn_error(r->s, r->d, f->pos, "cannot place %s:%s", f->node, f->path);
	}
	return 0;
}

static void ifaces_up(struct scn_session *r)
{
	for (size_t i = 0; i < r->sim->nnodes; i++) {
		struct sim_node *n = r->sim->nodes[i];
		if (n->kind == NODE_BRIDGE)
			continue;
		for (int j = 0; j < n->nifaces; j++)
			net_iface_up(n->ifaces[j]);
	}
}

static int open_captures(struct scn_session *r)
{
	char path[4096], err[256];

	for (size_t i = 0; r->o->out_dir && i < r->s->nlinks; i++) {
		struct sim_link *l = r->links[i];
		int n = snprintf(path, sizeof path, "%s/%s.pcap", r->o->out_dir, l->name);
		if (n < 0 || (size_t)n >= sizeof path)
			return scn_error(r->s, r->d, r->s->links[i].pos, "capture path too long");
		r->pcaps[i] = trace_pcap_open(path, trace_link_dlt(l), r->sim->start_unix_ns, err,
		                              sizeof err);
		if (!r->pcaps[i])
			return scn_error(r->s, r->d, (struct scn_pos){ 0, 0 }, "%s", err);
		sim_link_tap(l, trace_pcap_tap, r->pcaps[i]);
	}
	return 0;
}

/* Close every capture; -1 when one could not be written. */
static int close_captures(struct scn_session *r)
{
	int rc = 0;

	for (size_t i = 0; r->pcaps && i < r->s->nlinks; i++) {
		if (r->pcaps[i] && trace_pcap_close(r->pcaps[i]) < 0) {
			fprintf(stderr, "v6lab: cannot write %s/%s.pcap\n", r->o->out_dir,
			        r->s->links[i].name);
			rc = -1;
		}
		r->pcaps[i] = NULL;
	}
	return rc;
}

/* `link NAME down`: every frame sent on it is lost (captured as sent, as
 * a pulled cable leaves the sender none the wiser); `up` restores the
 * scenario's loss. A path link: its first hop. */
static void link_action(struct scn_session *r, const struct scn_at *a)
{
	for (size_t i = 0; i < r->s->nlinks; i++)
		if (strcmp(r->s->links[i].name, a->link) == 0 && r->links[i])
			r->links[i]->loss = a->link_up ? r->s->links[i].loss : 1.0;
}

static void at_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct scn_session *r = obj;
	const struct scn_at *a = &r->s->ats[arg];
	if (a->replay)
		return; /* its packets are scheduled by setup() */
	if (a->link[0]) {
		link_action(r, a);
		return;
	}
	struct sim_node *n = sim_node_find(sim, a->node);

	if (r->o->command_hook)
		r->o->command_hook(r->o->command_hook_user, sim->now, a->node, a->cmd);
	if (n)
		apps_run(n, a->cmd); /* prompt, output and errors go to the transcript */
}

static bool commands_running(const struct sim *sim)
{
	for (size_t i = 0; i < sim->nnodes; i++)
		if (sim->nodes[i]->apps && apps_running(sim->nodes[i]) > 0)
			return true;
	return false;
}

/* Until `end` if given; otherwise past the last `at`, the last window and
 * the last replayed packet. */
static sim_time planned_end(const struct scn *s)
{
	if (s->has_end)
		return s->end;
	sim_time end = xp_last_window_end(s);
	if (s->nats && s->ats[s->nats - 1].time > end)
		end = s->ats[s->nats - 1].time;
	for (size_t i = 0; i < s->nats; i++) /* every replayed packet goes out */
		if (s->ats[i].packets && s->ats[i].time + scn_replay_span(s->ats[i].packets) > end)
			end = s->ats[i].time + scn_replay_span(s->ats[i].packets);
	return end;
}

/* To the planned end, and then (without `end`) while commands are still
 * running (a ping6 -c 5), up to a bound. */
static void run(struct scn_session *r)
{
	sim_time end = planned_end(r->s);

	if (r->sim->now <= end) /* events at `now` itself still run */
		sim_run_until(r->sim, end);
	if (r->s->has_end)
		return;
	sim_time limit = end + SETTLE_MAX;
	while (commands_running(r->sim) && r->sim->now < limit)
		sim_run_until(r->sim, r->sim->now + SETTLE_STEP);
}

static int setup(struct scn_session *r)
{
	if (build_topology(r) < 0)
		return -1;
	init_stacks(r);
	if (add_addresses(r) < 0 || place_files(r) < 0)
		return -1;
	ifaces_up(r);
	if (open_captures(r) < 0 ||
	    xp_init(&r->x, r->s, r->sim, r->links,
	            r->o->trace ? (r->o->out ? r->o->out : stdout) : NULL, r->d) < 0)
		return -1;
	for (size_t i = 0; i < r->s->nlinks; i++)
		if (r->o->trace || r->x.watch[i].n)
			sim_link_tap(r->links[i], xp_tap, &r->x.watch[i]);
	for (size_t i = 0; r->o->frame_tap && i < r->s->nlinks; i++)
		sim_link_tap(r->links[i], r->o->frame_tap, r->o->frame_tap_user);
	/* Commands first: a poll at the same time sees what the command did. */
	for (size_t i = 0; i < r->s->nats; i++) {
		const struct scn_at *a = &r->s->ats[i];
		if (a->replay) {
			const struct scn_link *k = scn_find_link(r->s, a->link);
			r->replays[i] = (struct scn_replay_run){ a->packets,
				                                 k ? r->links[k - r->s->links] : NULL };
			scn_replay_schedule(&r->replays[i], r->sim, a->time);
		}
		sim_at(r->sim, a->time, at_event, r, i);
	}
	xp_schedule(&r->x);
	return 0;
}

static void collect_stats(const struct scn_session *r, struct scn_stats *st)
{
	const struct sim *sim = r->sim;
	*st = (struct scn_stats){ .simulated = sim->now, .events = sim->events_run,
	                          .pbuf_peak = sim->pool.peak, .nodes = sim->nnodes,
	                          .links = sim->nlinks };
	for (size_t i = 0; i < sim->nlinks; i++) {
		st->frames += sim->links[i]->frames;
		st->bytes += sim->links[i]->bytes;
	}
}

static void teardown(struct scn_session *r)
{
	/* Frames sent while the nodes shut down (a PADT from ppp's free hook)
	 * must not reach the captures and watches being freed here. */
	for (size_t i = 0; r->sim && i < r->sim->nlinks; i++)
		r->sim->links[i]->ntaps = 0;
	close_captures(r);
	xp_free(&r->x);
	for (size_t i = 0; r->sim && i < r->sim->nnodes; i++) {
		struct sim_node *n = r->sim->nodes[i];
		if (n->apps)
			apps_node_free(n);
		if (n->tp)
			transport_node_free(n);
		if (n->net)
			net_node_free(n);
	}
	if (r->sim)
		sim_free(r->sim);
	free(r->links);
	free(r->pcaps);
	free(r->replays);
}

struct scn_session *scn_session_open(struct scn *s, const struct scn_run_opts *o,
                                     struct scn_diag *d)
{
	struct scn_session *r = calloc(1, sizeof *r);

	if (!r) {
		scn_error(s, d, (struct scn_pos){ 0, 0 }, "out of memory");
		return NULL;
	}
	*r = (struct scn_session){ .s = s, .o = o, .d = d };
	r->sim = sim_new(o->has_seed ? o->seed : s->seed, s->start_unix_ns);
	r->links = calloc(s->nlinks + 1, sizeof *r->links);
	r->pcaps = calloc(s->nlinks + 1, sizeof *r->pcaps);
	r->replays = calloc(s->nats + 1, sizeof *r->replays);
	if (!r->sim || !r->links || !r->pcaps || !r->replays || setup(r) < 0) {
		if (!r->sim || !r->links || !r->pcaps || !r->replays)
			scn_error(s, d, (struct scn_pos){ 0, 0 }, "out of memory");
		teardown(r);
		free(r);
		return NULL;
	}
	return r;
}

struct sim *scn_session_sim(struct scn_session *r)
{
	return r->sim;
}

sim_time scn_session_planned_end(const struct scn_session *r)
{
	return planned_end(r->s);
}

void scn_session_run_until(struct scn_session *r, sim_time t)
{
	if (t >= r->sim->now)
		sim_run_until(r->sim, t);
}

int scn_session_command(struct scn_session *r, const char *node, const char *cmd)
{
	struct sim_node *n = sim_node_find(r->sim, node);

	if (!n || !n->apps)
		return -1;
	apps_run(n, cmd);
	return 0;
}

int scn_session_finish(struct scn_session *r)
{
	FILE *out = r->o->out ? r->o->out : stdout;

	run(r);
	if (!r->o->quiet)
		scn_print_transcript(r->s, r->sim, out);
	size_t failed = xp_verdicts(&r->x, r->s, out, r->o);
	if (r->o->stats)
		collect_stats(r, r->o->stats);
	int capture_rc = close_captures(r);
	return failed || capture_rc < 0 ? SCN_EXIT_FAIL : SCN_EXIT_PASS;
}

void scn_session_close(struct scn_session *r)
{
	if (!r)
		return;
	teardown(r);
	free(r);
}

int scn_run(struct scn *s, const struct scn_run_opts *o, struct scn_diag *d)
{
	struct scn_session *r = scn_session_open(s, o, d);

	if (!r)
		return SCN_EXIT_INVALID;
	int rc = scn_session_finish(r);
	scn_session_close(r);
	return rc;
}
