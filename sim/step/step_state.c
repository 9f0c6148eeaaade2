/*
 * Node state snapshots for the step view (step.h): what ifconfig, ndp -an,
 * netstat -rn and the daemons would show, one line per fact, so that the
 * change from one step to the next is a line diff. The words are the
 * tools' own (tentative, REACHABLE, link#1, U/G/H flags).
 */
#include "step.h"

#include "../apps/apps_int.h"
#include "../net/dhcp6.h"
#include "../net/net.h"
#include "../scenario/scn_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void step_lines_add(struct step_lines *l, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = sim_xrealloc(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = sim_xstrdup(line);
}

void step_lines_free(struct step_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct step_lines){ 0 };
}

/* ---- one node ------------------------------------------------------------ */

static void iface_lines(struct step_lines *l, struct sim_iface *ifp)
{
	char text[APPS_ADDRSTRLEN];

	step_lines_add(l, "%s: %s mtu %u", ifp->name, (ifp->flags & SIM_IFF_UP) ? "UP" : "DOWN",
	               ifp->mtu);
	for (size_t i = 0; ifp->in4 && i < ifp->in4->naddr; i++) {
		apps_fmt4(text, sizeof text, ifp->in4->addr[i].addr);
		step_lines_add(l, "%s: inet %s/%u", ifp->name, text, ifp->in4->addr[i].plen);
	}
	for (size_t i = 0; ifp->in6 && i < ifp->in6->naddr; i++) {
		const struct in6_ifaddr *a = &ifp->in6->addr[i];
		apps_fmt6(text, sizeof text, a->addr, ifp);
		step_lines_add(l, "%s: inet6 %s prefixlen %u%s%s%s%s", ifp->name, text, a->plen,
		               (a->flags & IN6_IFF_TENTATIVE) ? " tentative" : "",
		               (a->flags & IN6_IFF_DUPLICATED) ? " duplicated" : "",
		               (a->flags & IN6_IFF_DEPRECATED) ? " deprecated" : "",
		               (a->flags & IN6_IFF_AUTOCONF) ? " autoconf" : "");
	}
	for (size_t i = 0; ifp->in6 && i < ifp->in6->ngroups; i++) {
		apps_fmt6(text, sizeof text, ifp->in6->groups[i], NULL);
		step_lines_add(l, "%s: group %s", ifp->name, text);
	}
}

struct nd_walk {
	struct step_lines *l;
	const struct sim_iface *ifp;
};

static void neighbor_line(void *user, const uint8_t addr[16], const uint8_t mac[6], int state,
                          bool is_router)
{
	struct nd_walk *w = user;
	char text[APPS_ADDRSTRLEN], ll[24] = "(incomplete)";

	apps_fmt6(text, sizeof text, addr, w->ifp);
	if (state != ND_INCOMPLETE)
		snprintf(ll, sizeof ll, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		         mac[4], mac[5]);
	step_lines_add(w->l, "%s: neighbor %s lladdr %s %s%s", w->ifp->name, text, ll,
	               state >= ND_INCOMPLETE && state <= ND_PROBE ? nd_state_names[state] : "?",
	               is_router ? " router" : "");
}

/* netstat -rn's words: U up, G gateway, H host, D dynamic, L link info, S static. */
static void route_flags(char *buf, size_t len, uint32_t f)
{
	snprintf(buf, len, "%s%s%s%s%s%s", (f & RTF_UP) ? "U" : "", (f & RTF_GATEWAY) ? "G" : "",
	         (f & RTF_HOST) ? "H" : "", (f & RTF_DYNAMIC) ? "D" : "",
	         (f & RTF_LLINFO) ? "L" : "", (f & RTF_STATIC) ? "S" : "");
}

static void route_line(struct step_lines *l, const struct route *r)
{
	char dst[APPS_ADDRSTRLEN], gw[APPS_ADDRSTRLEN], flags[16];
	uint8_t a[16];

	if (r->family == 4) {
		apps_fmt4(dst, sizeof dst, r->dst);
		apps_fmt4(gw, sizeof gw, r->gateway);
	} else {
		memcpy(a, r->dst, 16);
		if (in6_is_link_scoped(a))
			in6_scope_clear(a);
		apps_fmt6(dst, sizeof dst, a, r->ifp);
		apps_fmt6(gw, sizeof gw, r->gateway, r->ifp);
	}
	if (!(r->flags & RTF_GATEWAY))
		snprintf(gw, sizeof gw, "link#%u", r->ifp ? r->ifp->index : 0);
	route_flags(flags, sizeof flags, r->flags);
	char plen[8] = "";
	if (r->plen == 0)
		snprintf(dst, sizeof dst, "default");
	else
		snprintf(plen, sizeof plen, "/%u", r->plen);
	step_lines_add(l, "route%s %s%s %s %s %s", r->family == 4 ? "" : "6", dst, plen, gw, flags,
	               r->ifp ? r->ifp->name : "---");
}

static void session_line(void *user, const char *line)
{
	step_lines_add(user, "nat6to4d: session %s", line);
}

/* ppp(8)'s phase and automata; nat6to4d's session count and sessions. */
static void daemon_lines(struct step_lines *l, const struct sim_node *n)
{
	char ppp[128];

	if (ppp_status(n, ppp, sizeof ppp))
		step_lines_add(l, "ppp: %s", ppp);
	struct step_lines sessions = { 0 };
	long count = nat6to4d_sessions(n, session_line, &sessions);
	if (count >= 0)
		step_lines_add(l, "nat6to4d: %ld session%s", count, count == 1 ? "" : "s");
	for (size_t i = 0; i < sessions.n; i++)
		step_lines_add(l, "%s", sessions.v[i]);
	step_lines_free(&sessions);
}

static void node_lines(struct step_lines *l, struct sim_node *n)
{
	for (int i = 0; i < n->nifaces; i++) {
		iface_lines(l, n->ifaces[i]);
		if (n->ifaces[i]->in6 && n->ifaces[i]->in6->nd) {
			struct nd_walk w = { l, n->ifaces[i] };
			nd_foreach(n->ifaces[i], neighbor_line, &w);
		}
	}
	for (size_t i = 0; i < n->net->rt6.n; i++)
		route_line(l, &n->net->rt6.r[i]);
	for (size_t i = 0; i < n->net->rt4.n; i++)
		route_line(l, &n->net->rt4.r[i]);
	if (n->apps && n->apps->dhcp6c)
		step_lines_add(l, "dhcp6c: %s", dhcp6c_state_name(n));
	daemon_lines(l, n);
}

void step_snap_take(struct step_snap *snap, const struct scn *s, struct sim *sim)
{
	snap->nodes = sim_xcalloc(sim->nnodes + 1, sizeof *snap->nodes);
	snap->n = 0;
	for (size_t i = 0; i < sim->nnodes; i++) {
		struct sim_node *n = sim->nodes[i];
		if (!n->net || !scn_find_node(s, n->name))
			continue;
		struct step_node_state *ns = &snap->nodes[snap->n++];
		ns->name = sim_xstrdup(n->name);
		node_lines(&ns->lines, n);
	}
}

void step_snap_free(struct step_snap *snap)
{
	for (size_t i = 0; i < snap->n; i++) {
		free(snap->nodes[i].name);
		step_lines_free(&snap->nodes[i].lines);
	}
	free(snap->nodes);
	*snap = (struct step_snap){ 0 };
}

/* ---- the diff ------------------------------------------------------------ */

/* LCS lengths of the suffixes: len[i][j] for a[i..], b[j..]. */
static size_t *lcs_table(const struct step_lines *a, const struct step_lines *b)
{
	size_t w = b->n + 1;
	size_t *len = sim_xcalloc((a->n + 1) * w, sizeof *len);

	for (size_t i = a->n; i-- > 0;)
		for (size_t j = b->n; j-- > 0;) {
			if (strcmp(a->v[i], b->v[j]) == 0)
				len[i * w + j] = len[(i + 1) * w + j + 1] + 1;
			else if (len[(i + 1) * w + j] >= len[i * w + j + 1])
				len[i * w + j] = len[(i + 1) * w + j];
			else
				len[i * w + j] = len[i * w + j + 1];
		}
	return len;
}

size_t step_lines_diff(const struct step_lines *a, const struct step_lines *b, const char *indent,
                       FILE *out)
{
	size_t *len = lcs_table(a, b), w = b->n + 1, i = 0, j = 0, shown = 0;

	while (i < a->n || j < b->n) {
		if (i < a->n && j < b->n && strcmp(a->v[i], b->v[j]) == 0) {
			i++, j++;
		} else if (j == b->n || (i < a->n && len[(i + 1) * w + j] >= len[i * w + j + 1])) {
			if (out)
				fprintf(out, "%s- %s\n", indent, a->v[i]);
			i++, shown++;
		} else {
			if (out)
				fprintf(out, "%s+ %s\n", indent, b->v[j]);
			j++, shown++;
		}
	}
	free(len);
	return shown;
}

static const struct step_lines *lines_of(const struct step_snap *snap, const char *name)
{
	for (size_t i = 0; i < snap->n; i++)
		if (strcmp(snap->nodes[i].name, name) == 0)
			return &snap->nodes[i].lines;
	return NULL;
}

void step_snap_diff(const struct step_snap *a, const struct step_snap *b, const char *since,
                    FILE *out)
{
	static const struct step_lines none;
	bool any = false;

	fprintf(out, "node states that changed%s%s:\n", since ? " " : "", since ? since : "");
	for (size_t i = 0; i < b->n; i++) {
		const struct step_lines *before = lines_of(a, b->nodes[i].name);
		const struct step_lines *after = &b->nodes[i].lines;
		if (!before)
			before = &none;
		if (step_lines_diff(before, after, "", NULL) == 0)
			continue;
		fprintf(out, "  %s\n", b->nodes[i].name);
		step_lines_diff(before, after, "    ", out);
		any = true;
	}
	if (!any)
		fputs("  (none)\n", out);
}
