/*
 * The ladder model (ladder.h): the scenario runs quietly with a tap on
 * every link (scn_run_opts.frame_tap); each frame on a chosen link inside
 * the time window becomes an arrow from its sender's column to its
 * receivers' columns, labelled with trace_format's summary (no link
 * layer). Columns are the nodes that send or receive, in order of first
 * appearance, plus "(LINK)" for a link's edge.
 */
#include "ladder.h"

#include "../scenario/scn_int.h"
#include "../trace/trace.h"

#include <stdlib.h>
#include <string.h>

struct ladder_collector {
	const struct scn *s;
	sim_time from, to;       /* the window */
	bool *chosen;            /* per scenario link */
	struct ladder *l;
};

void ladder_format_time(sim_time t, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%06llu", (unsigned long long)(t / SIM_S),
	         (unsigned long long)(t % SIM_S / SIM_US));
}

/* ---- the links chosen -------------------------------------------------- */

static long link_index(const struct scn *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if (strlen(s->links[i].name) == len && strncmp(s->links[i].name, name, len) == 0)
			return (long)i;
	return -1;
}

/* "lan, wan" for the error message. */
static void link_names(const struct scn *s, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nlinks && n < cap; i++) {
		int w = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", s->links[i].name);
		n += w < 0 ? 0 : (size_t)w;
	}
}

/* Mark the links of a comma-separated list (NULL: every link). */
static int choose_links(const struct scn *s, const char *list, bool *chosen, struct scn_diag *d)
{
	char names[256];

	if (!list) {
		for (size_t i = 0; i < s->nlinks; i++)
			chosen[i] = true;
		return 0;
	}
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		long i = link_index(s, p, len);
		if (i < 0) {
			link_names(s, names, sizeof names);
			return scn_error(s, d, (struct scn_pos){ 0, 0 },
			                 "--links: unknown link '%.*s' at offset %zu (links: %s)",
			                 (int)(len > 64 ? 64 : len), p, (size_t)(p - list), names);
		}
		chosen[i] = true;
		p += len;
		if (*p == '\0')
			return 0;
	}
}

/* ---- columns and receivers --------------------------------------------- */

static size_t column(struct ladder *l, const char *name)
{
	for (size_t i = 0; i < l->ncols; i++)
		if (strcmp(l->cols[i], name) == 0)
			return i;
	l->cols = sim_xrealloc(l->cols, l->ncols + 1, sizeof *l->cols);
	l->cols[l->ncols] = sim_xstrdup(name);
	return l->ncols++;
}

static size_t edge_column(struct ladder *l, const struct sim_link *k)
{
	char name[SIM_NAME_MAX + 2];
	snprintf(name, sizeof name, "(%s)", k->name);
	return column(l, name);
}

static bool is_group(const struct sim_frame_info *f)
{
	return f->link->kind == LINK_ETHERNET && f->len >= 6 && (f->data[0] & 1);
}

static bool owns_dst(const struct sim_iface *ifp, const struct sim_frame_info *f)
{
	return f->len >= 6 && memcmp(ifp->mac, f->data, 6) == 0;
}

static bool other_node(const struct sim_iface *ifp, const struct sim_frame_info *f)
{
	return !f->from || ifp->node != f->from->node;
}

/*
 * The interfaces that receive the frame, in the link's order: every other
 * one for a group address or a p2p link; for Ethernet unicast the owner
 * of the destination MAC, else the promiscuous ports (bridges). Returns
 * how many were put in out (room for the link's interfaces).
 */
static size_t receivers(const struct sim_frame_info *f, const struct sim_iface **out)
{
	const struct sim_link *k = f->link;
	bool every = k->kind != LINK_ETHERNET || is_group(f);
	size_t n = 0;

	for (size_t i = 0; i < k->nifaces; i++)
		if (other_node(k->ifaces[i], f) && (every || owns_dst(k->ifaces[i], f)))
			out[n++] = k->ifaces[i];
	for (size_t i = 0; n == 0 && !every && i < k->nifaces; i++)
		if (other_node(k->ifaces[i], f) && k->ifaces[i]->promisc)
			out[n++] = k->ifaces[i];
	return n;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Receivers' columns, ascending, each once; the link's edge when none. */
static void arrow_targets(struct ladder *l, struct ladder_arrow *a, const struct sim_frame_info *f)
{
	const struct sim_iface **ifs = sim_xcalloc(f->link->nifaces + 1, sizeof *ifs);
	size_t n = receivers(f, ifs);

	a->to = sim_xcalloc(n + 1, sizeof *a->to);
	for (size_t i = 0; i < n; i++)
		a->to[i] = column(l, ifs[i]->node->name);
	if (n == 0 && f->from)
		a->to[n++] = edge_column(l, f->link);
	free(ifs);
	qsort(a->to, n, sizeof *a->to, cmp_size);
	a->nto = 0;
	for (size_t i = 0; i < n; i++)
		if (a->nto == 0 || a->to[a->nto - 1] != a->to[i])
			a->to[a->nto++] = a->to[i];
}

static void add_arrow(struct ladder *l, const struct sim_frame_info *f)
{
	char label[LADDER_LABEL_MAX];

	l->arrows = sim_xrealloc(l->arrows, l->narrows + 1, sizeof *l->arrows);
	struct ladder_arrow *a = &l->arrows[l->narrows++];
	*a = (struct ladder_arrow){ .time = f->time, .lost = f->lost, .multicast = is_group(f) };
	a->from = f->from ? column(l, f->from->node->name) : edge_column(l, f->link);
	arrow_targets(l, a, f);
	size_t n = trace_format(label, sizeof label, trace_link_dlt(f->link), f->data, f->len,
	                        false);
	if (f->lost && n + 8 < sizeof label)
		memcpy(label + n, " (lost)", 8);
	a->label = sim_xstrdup(label);
}

void ladder_collector_tap(void *user, const struct sim_frame_info *f)
{
	struct ladder_collector *c = user;

	if (f->time < c->from || f->time > c->to)
		return;
	long i = link_index(c->s, f->link->name, strlen(f->link->name));
	if (i >= 0 && c->chosen[i])
		add_arrow(c->l, f);
}

/* ---- the run ----------------------------------------------------------- */

struct ladder_collector *ladder_collector_begin(const struct scn *s, const struct ladder_opts *o,
                                               struct scn_diag *d)
{
	bool *chosen = sim_xcalloc(s->nlinks + 1, sizeof *chosen);

	if (choose_links(s, o->links, chosen, d) < 0) {
		free(chosen);
		return NULL;
	}
	struct ladder_collector *c = sim_xcalloc(1, sizeof *c);
	*c = (struct ladder_collector){ .s = s, .from = o->from, .to = o->to, .chosen = chosen,
	                                .l = sim_xcalloc(1, sizeof *c->l) };
	return c;
}

struct ladder *ladder_collector_end(struct ladder_collector *c, int run_rc)
{
	struct ladder *l = c->l;

	free(c->chosen);
	free(c);
	if (run_rc == SCN_EXIT_INVALID) {
		ladder_free(l);
		return NULL;
	}
	l->run_rc = run_rc;
	return l;
}

int ladder_collect(struct scn *s, const struct ladder_opts *o, struct ladder **out,
                   struct scn_diag *d)
{
	*out = NULL;
	struct ladder_collector *c = ladder_collector_begin(s, o, d);
	if (!c)
		return SCN_EXIT_INVALID;
	struct scn_run_opts ro = {
		.quiet = true, .out = o->out ? o->out : stderr, .has_seed = o->has_seed,
		.seed = o->seed, .frame_tap = ladder_collector_tap, .frame_tap_user = c,
	};
	int rc = scn_run(s, &ro, d);
	*out = ladder_collector_end(c, rc);
	return rc;
}

void ladder_free(struct ladder *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->ncols; i++)
		free(l->cols[i]);
	for (size_t i = 0; i < l->narrows; i++) {
		free(l->arrows[i].to);
		free(l->arrows[i].label);
	}
	free(l->cols);
	free(l->arrows);
	free(l);
}
