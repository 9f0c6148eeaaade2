/*
 * ndp(8) as FreeBSD 8 prints it (usr.sbin/ndp): `ndp -a` / `-an` (the
 * neighbour cache with the host's own addresses as permanent entries),
 * `ndp -c` (flush it), `ndp -r` (default routers), `ndp -p` (the prefix
 * list: flags, lifetimes, advertising routers). Names are never looked
 * up, so -n changes nothing. Expire counts down in virtual time, in whole
 * seconds as the kernel's time_second does.
 */
#include "apps_int.h"
#include "../net/nd_dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ndp.c's column widths: address, link-layer address, interface. */
#define W_ADDR 36
#define W_LL 17
#define W_IF 6

static const char ndp_usage[] =
	"usage: ndp [-nt] hostname\n"
	"       ndp [-nt] -a | -c | -p | -r | -H | -P | -R\n"
	"       ndp [-nt] -A wait\n"
	"       ndp [-nt] -d hostname\n"
	"       ndp [-nt] -f filename\n"
	"       ndp [-nt] -i interface [flags...]\n"
	"       ndp [-nt] -I [interface|delete]\n"
	"       ndp [-nt] -s nodename etheraddr [temp] [proxy]";

/* One line of the table: a neighbour, or one of our own addresses. */
struct ndp_row {
	uint8_t addr[16];
	uint8_t mac[6];
	int state;               /* enum nd_state; INCOMPLETE shows "(incomplete)" */
	bool permanent, is_router;
	uint8_t asked;
	sim_time expire;
};

struct ndp_rows {
	struct ndp_row *v;
	size_t n, cap;
};

static struct ndp_row *row_add(struct ndp_rows *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct ndp_row *nv = realloc(r->v, cap * sizeof *nv);
		if (!nv)
			return NULL;
		r->v = nv;
		r->cap = cap;
	}
	struct ndp_row *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	return row;
}

static void add_neighbor(void *user, const struct nd_info *e)
{
	struct ndp_row *row = row_add(user);
	if (!row)
		return;
	memcpy(row->addr, e->addr, 16);
	memcpy(row->mac, e->mac, 6);
	row->state = e->state;
	row->is_router = e->is_router;
	row->asked = e->asked;
	row->expire = e->expire;
}

static int row_cmp(const void *a, const void *b)
{
	return memcmp(((const struct ndp_row *)a)->addr, ((const struct ndp_row *)b)->addr, 16);
}

/* ND runs on Ethernet interfaces only (not tun0, gif0, lo0). */
static bool has_lladdr(const struct sim_iface *ifp)
{
	return !(ifp->flags & (SIM_IFF_POINTOPOINT | SIM_IFF_LOOPBACK)) && ifp->link &&
	       ifp->link->kind == LINK_ETHERNET;
}

/* sec2str: "1d2h3m4s" without the leading zero units. */
static void fmt_duration(char *buf, size_t len, uint64_t total)
{
	uint64_t d = total / 86400, h = total / 3600 % 24, m = total / 60 % 60, s = total % 60;
	size_t k = 0;
	if (d)
		k += (size_t)snprintf(buf + k, len - k, "%llud", (unsigned long long)d);
	if (d || h)
		k += (size_t)snprintf(buf + k, len - k, "%lluh", (unsigned long long)h);
	if (d || h || m)
		k += (size_t)snprintf(buf + k, len - k, "%llum", (unsigned long long)m);
	snprintf(buf + k, len - k, "%llus", (unsigned long long)s);
}

/* The kernel's expiry in whole seconds against time_second, as ndp shows it. */
static void fmt_expire(char *buf, size_t len, const struct ndp_row *row, sim_time now)
{
	uint64_t exp_s = row->expire / SIM_S, now_s = now / SIM_S;
	if (row->permanent)
		snprintf(buf, len, "permanent");
	else if (row->expire != SIM_NEVER && exp_s > now_s)
		fmt_duration(buf, len, exp_s - now_s);
	else
		snprintf(buf, len, "expired");
}

static char state_letter(int state)
{
	switch (state) {
	case ND_INCOMPLETE: return 'I';
	case ND_REACHABLE: return 'R';
	case ND_STALE: return 'S';
	case ND_DELAY: return 'D';
	case ND_PROBE: return 'P';
	default: return '?';
	}
}

/* One table line; a long address borrows from the next columns' widths. */
static void say_row(struct sim_node *n, const struct sim_iface *ifp, const struct ndp_row *row)
{
	char host[APPS_ADDRSTRLEN], ll[24], expire[32], probes[8] = "";
	apps_fmt6(host, sizeof host, row->addr, ifp);
	if (row->state != ND_INCOMPLETE)
		snprintf(ll, sizeof ll, "%x:%x:%x:%x:%x:%x", row->mac[0], row->mac[1], row->mac[2],
		         row->mac[3], row->mac[4], row->mac[5]);
	else
		snprintf(ll, sizeof ll, "(incomplete)");
	int aw = (int)strlen(host), lw = (int)strlen(ll), iw = (int)strlen(ifp->name);
	if (aw < W_ADDR)
		aw = W_ADDR;
	if (lw < W_ADDR + W_LL - aw)
		lw = W_ADDR + W_LL - aw;
	if (iw < W_ADDR + W_LL + W_IF - aw - lw)
		iw = W_ADDR + W_LL + W_IF - aw - lw;
	fmt_expire(expire, sizeof expire, row, n->sim->now);
	if (row->asked)
		snprintf(probes, sizeof probes, " %u", row->asked);
	apps_say(n, "%-*.*s %-*.*s %*.*s %-9.9s %c %s%s", aw, aw, host, lw, lw, ll, iw, iw,
	         ifp->name, expire, state_letter(row->state), row->is_router ? "R" : "", probes);
}

/* Neighbours and own addresses of one interface, in address order. */
static void list_iface(struct sim_node *n, struct sim_iface *ifp)
{
	struct ndp_rows rows = { 0 };
	for (size_t i = 0; ifp->in6 && i < ifp->in6->naddr; i++) {
		struct ndp_row *row = row_add(&rows);
		if (!row)
			break;
		memcpy(row->addr, ifp->in6->addr[i].addr, 16);
		memcpy(row->mac, ifp->mac, 6);
		row->state = ND_REACHABLE;
		row->permanent = true;
	}
	nd_dump(ifp, add_neighbor, &rows);
	if (rows.n)
		qsort(rows.v, rows.n, sizeof *rows.v, row_cmp);
	for (size_t i = 0; i < rows.n; i++)
		say_row(n, ifp, &rows.v[i]);
	free(rows.v);
}

static void ndp_list(struct sim_node *n)
{
	apps_say(n, "%-*.*s %-*.*s %*.*s %-9.9s %1s %5s", W_ADDR, W_ADDR, "Neighbor", W_LL, W_LL,
	         "Linklayer Address", W_IF, W_IF, "Netif", "Expire", "S", "Flags");
	for (int i = 0; i < n->nifaces; i++)
		if (has_lladdr(n->ifaces[i]))
			list_iface(n, n->ifaces[i]);
}

struct flush_ctx {
	struct sim_node *node;
	struct sim_iface *ifp;
};

/* delete() in ndp.c: "host (numeric host) deleted"; both numeric here. */
static void say_deleted(void *user, const uint8_t addr[16])
{
	const struct flush_ctx *c = user;
	char host[APPS_ADDRSTRLEN];
	apps_fmt6(host, sizeof host, addr, c->ifp);
	apps_say(c->node, "%s (%s) deleted", host, host);
}

static void ndp_flush(struct sim_node *n)
{
	for (int i = 0; i < n->nifaces; i++) {
		struct flush_ctx c = { n, n->ifaces[i] };
		if (has_lladdr(c.ifp))
			nd_flush(c.ifp, say_deleted, &c);
	}
}

/* ndp -r: "fe80::1%sk0 if=sk0, flags=, pref=medium, expire=29m50s". */
static void ndp_routers(struct sim_node *n)
{
	uint64_t now_s = n->sim->now / SIM_S;
	for (int i = 0; i < n->nifaces; i++) {
		struct sim_iface *ifp = n->ifaces[i];
		for (size_t k = 0; k < nd_router_count(ifp); k++) {
			sim_time expires;
			const uint8_t *a = nd_router_addr(ifp, k, &expires);
			char host[APPS_ADDRSTRLEN], left[32] = "Never";
			apps_fmt6(host, sizeof host, a, ifp);
			if (expires != SIM_NEVER) {
				uint64_t exp_s = expires / SIM_S;
				fmt_duration(left, sizeof left, exp_s > now_s ? exp_s - now_s : 0);
			}
			apps_say(n, "%s if=%s, flags=, pref=medium, expire=%s", host, ifp->name, left);
		}
	}
}

/* The state an advertising router's neighbour entry shows in ndp -p. */
static const char *router_state(struct sim_iface *ifp, const uint8_t a[16])
{
	int st = nd_state_of(ifp, a, NULL);
	if (st < 0)
		return "no neighbor state";
	return st == ND_INCOMPLETE ? "unreachable" : "reachable";
}

struct plist_ctx {
	struct sim_node *node;
	struct sim_iface *ifp;
};

/* plist() in ndp.c: two lines a prefix, then its advertising routers. */
static void say_prefix(void *user, const struct nd_prefix_info *p)
{
	const struct plist_ctx *c = user;
	struct sim_node *n = c->node;
	char pfx[APPS_ADDRSTRLEN], vl[16] = "infinity", pl[16] = "infinity", exp[48];
	apps_fmt6(pfx, sizeof pfx, p->prefix, c->ifp);
	apps_say(n, "%s/%u if=%s", pfx, p->plen, c->ifp->name);
	if (p->vltime != ND_INFINITE_LIFETIME)
		snprintf(vl, sizeof vl, "%u", p->vltime);
	if (p->pltime != ND_INFINITE_LIFETIME)
		snprintf(pl, sizeof pl, "%u", p->pltime);
	uint64_t exp_s = p->expire / SIM_S, now_s = n->sim->now / SIM_S;
	if (p->expire == SIM_NEVER)
		snprintf(exp, sizeof exp, ", expire=Never");
	else if (exp_s >= now_s) {
		char left[32];
		fmt_duration(left, sizeof left, exp_s - now_s);
		snprintf(exp, sizeof exp, ", expire=%s", left);
	} else
		snprintf(exp, sizeof exp, ", expired");
	apps_say(n, "flags=%s%s%s vltime=%s, pltime=%s%s, ref=%u", p->onlink ? "L" : "",
	         p->autonomous ? "A" : "", p->installed ? "O" : "", vl, pl, exp, p->refs);
	if (!p->nrouters) {
		apps_say(n, "  No advertising router");
		return;
	}
	apps_say(n, "  advertised by");
	for (size_t i = 0; i < p->nrouters; i++) {
		char host[APPS_ADDRSTRLEN];
		apps_fmt6(host, sizeof host, p->routers[i], c->ifp);
		apps_say(n, "    %s (%s)", host, router_state(c->ifp, p->routers[i]));
	}
}

static void ndp_prefixes(struct sim_node *n)
{
	for (int i = 0; i < n->nifaces; i++) {
		struct plist_ctx c = { n, n->ifaces[i] };
		nd_prefix_dump(c.ifp, say_prefix, &c);
	}
}

static int ndp_bad_usage(struct sim_node *n, const struct apps_opt *o)
{
	if (o && o->bad)
		apps_say(n, "ndp: illegal option -- %c", o->bad);
	apps_say(n, "%s", ndp_usage);
	return APPS_EX_USAGE;
}

int cmd_ndp(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	char mode = 0;
	int c;
	apps_opt_init(&o);
	while ((c = apps_getopt(&o, argc, argv, "acnpr")) != -1) {
		if (c == '?')
			return ndp_bad_usage(n, &o);
		if (c == 'a' || c == 'c' || c == 'p' || c == 'r') {
			if (mode && mode != c)
				return ndp_bad_usage(n, NULL);
			mode = (char)c;
		}
	}
	if (!mode || o.ind != argc)
		return ndp_bad_usage(n, NULL);
	if (mode == 'a')
		ndp_list(n);
	else if (mode == 'c')
		ndp_flush(n);
	else if (mode == 'p')
		ndp_prefixes(n);
	else
		ndp_routers(n);
	return 0;
}
