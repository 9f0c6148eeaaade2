/*
 * Topology: nodes, their interfaces, links and what is attached to them,
 * the files placed on nodes, and `path` links built from hidden routers.
 * Names are checked here (length, uniqueness) so that a bad scenario gets
 * an error from the parser instead of a truncated or shadowed name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

static bool name_ok(const char *name, size_t max)
{
	return name && name[0] != '\0' && strlen(name) < max;
}

/* ---- nodes ---- */

struct sim_node *sim_node_add(struct sim *sim, const char *name, enum sim_node_kind kind)
{
	if (!name_ok(name, SIM_NAME_MAX) || sim_node_find(sim, name) || sim->nnodes >= UINT32_MAX)
		return NULL;
	struct sim_node *n = sim_xcalloc(1, sizeof *n);
	n->sim = sim;
	n->id = (uint32_t)sim->nnodes;
	memcpy(n->name, name, strlen(name) + 1);
	n->kind = kind;
	sim->nodes = sim_xrealloc(sim->nodes, sim->nnodes + 1, sizeof *sim->nodes);
	sim->nodes[sim->nnodes++] = n;
	if (kind == NODE_BRIDGE)
		bridge_node_init(n);
	return n;
}

struct sim_node *sim_node_find(const struct sim *sim, const char *name)
{
	for (size_t i = 0; name && i < sim->nnodes; i++)
		if (strcmp(sim->nodes[i]->name, name) == 0)
			return sim->nodes[i];
	return NULL;
}

/* ---- interfaces ---- */

/* A locally administered MAC made of the node id and the interface's
 * position: unique in a scenario of up to 2^24 nodes, no PRNG draw. */
static void default_mac(const struct sim_node *node, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = (uint8_t)(node->id >> 16);
	mac[3] = (uint8_t)(node->id >> 8);
	mac[4] = (uint8_t)node->id;
	mac[5] = (uint8_t)node->nifaces;
}

struct sim_iface *sim_iface_add(struct sim_node *node, const char *name, const uint8_t mac[6])
{
	if (!name_ok(name, sizeof ((struct sim_iface *)0)->name) ||
	    node->nifaces >= SIM_MAX_IFACES || sim_iface_find(node, name))
		return NULL;
	struct sim_iface *ifp = sim_xcalloc(1, sizeof *ifp);
	ifp->node = node;
	memcpy(ifp->name, name, strlen(name) + 1);
	ifp->index = ++node->next_ifindex;
	if (mac)
		memcpy(ifp->mac, mac, 6);
	else
		default_mac(node, ifp->mac);
	ifp->mtu = 1500;
	ifp->flags = SIM_IFF_BROADCAST | SIM_IFF_SIMPLEX | SIM_IFF_MULTICAST;
	node->ifaces[node->nifaces++] = ifp;
	if (node->kind == NODE_BRIDGE)
		bridge_port_init(ifp);
	return ifp;
}

struct sim_iface *sim_iface_find(const struct sim_node *node, const char *name)
{
	for (int i = 0; name && i < node->nifaces; i++)
		if (strcmp(node->ifaces[i]->name, name) == 0)
			return node->ifaces[i];
	return NULL;
}

struct sim_iface *sim_iface_by_index(const struct sim_node *node, uint32_t index)
{
	for (int i = 0; i < node->nifaces; i++)
		if (node->ifaces[i]->index == index)
			return node->ifaces[i];
	return NULL;
}

void sim_iface_set_mac(struct sim_iface *ifp, const uint8_t mac[6])
{
	struct sim_link *link = ifp->link;
	if (link && link->unicast)
		mac_table_remove(link->unicast, ifp->mac, ifp);
	memcpy(ifp->mac, mac, 6);
	if (link && link->unicast)
		mac_table_add(link->unicast, ifp->mac, ifp);
}

void sim_iface_set_promisc(struct sim_iface *ifp, bool on)
{
	if (ifp->promisc == on)
		return;
	ifp->promisc = on;
	struct sim_link *link = ifp->link;
	if (!link)
		return;
	if (on) {
		link->promisc = sim_xrealloc(link->promisc, link->npromisc + 1, sizeof *link->promisc);
		link->promisc[link->npromisc++] = ifp;
		return;
	}
	for (size_t i = 0; i < link->npromisc; i++) {
		if (link->promisc[i] == ifp) {
			memmove(&link->promisc[i], &link->promisc[i + 1],
			        (link->npromisc - i - 1) * sizeof *link->promisc);
			link->npromisc--;
			return;
		}
	}
}

/* ---- links ---- */

struct sim_link *sim_link_add(struct sim *sim, const char *name, enum sim_link_kind kind)
{
	if (!name_ok(name, SIM_NAME_MAX) || sim_link_find(sim, name) || sim->nlinks >= UINT32_MAX)
		return NULL;
	struct sim_link *l = sim_xcalloc(1, sizeof *l);
	l->sim = sim;
	l->id = (uint32_t)sim->nlinks;
	memcpy(l->name, name, strlen(name) + 1);
	l->kind = kind;
	l->mtu = 1500;
	sim->links = sim_xrealloc(sim->links, sim->nlinks + 1, sizeof *sim->links);
	sim->links[sim->nlinks++] = l;
	return l;
}

struct sim_link *sim_link_find(const struct sim *sim, const char *name)
{
	for (size_t i = 0; name && i < sim->nlinks; i++)
		if (strcmp(sim->links[i]->name, name) == 0)
			return sim->links[i];
	return NULL;
}

/* -1: already attached somewhere, or a point-to-point link already has
 * both ends. */
int sim_link_attach(struct sim_link *link, struct sim_iface *ifp)
{
	if (ifp->link || (link->kind != LINK_ETHERNET && link->nifaces >= 2))
		return -1;
	link->ifaces = sim_xrealloc(link->ifaces, link->nifaces + 1, sizeof *link->ifaces);
	link->ifaces[link->nifaces++] = ifp;
	ifp->link = link;
	if (link->kind != LINK_ETHERNET)
		ifp->flags = (ifp->flags & ~(uint32_t)(SIM_IFF_BROADCAST | SIM_IFF_SIMPLEX)) |
		             SIM_IFF_POINTOPOINT | SIM_IFF_MULTICAST;
	link_attach_tables(link, ifp);
	return 0;
}

void sim_link_tap(struct sim_link *link, sim_tap_fn fn, void *user)
{
	link->taps = sim_xrealloc(link->taps, link->ntaps + 1, sizeof *link->taps);
	link->taps[link->ntaps++] = (struct sim_tap){ fn, user };
}

/* ---- files ---- */

int sim_file_put(struct sim_node *node, const char *path, const char *data, size_t len,
                 const char *origin)
{
	if (!path || path[0] != '/' || (!data && len))
		return -1;
	struct sim_file *f = (struct sim_file *)sim_file_get(node, path);
	if (!f) {
		node->files = sim_xrealloc(node->files, node->nfiles + 1, sizeof *node->files);
		f = &node->files[node->nfiles++];
		f->path = sim_xstrdup(path);
	} else {
		free(f->data);
		free(f->origin);
	}
	f->data = sim_xrealloc(NULL, len + 1, 1);
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	f->origin = sim_xstrdup(origin ? origin : "");
	return 0;
}

const struct sim_file *sim_file_get(const struct sim_node *node, const char *path)
{
	for (size_t i = 0; path && i < node->nfiles; i++)
		if (strcmp(node->files[i].path, path) == 0)
			return &node->files[i];
	return NULL;
}

/* ---- path links ---- */

static bool hop_names_ok(const struct sim *sim, const char *name, uint32_t routers)
{
	char buf[SIM_NAME_MAX + 16];
	if (!name_ok(name, SIM_NAME_MAX) || sim_link_find(sim, name))
		return false;
	for (uint32_t i = 1; i <= routers; i++) {
		int a = snprintf(buf, sizeof buf, "%s-r%u", name, i);
		if (a < 0 || a >= SIM_NAME_MAX || sim_node_find(sim, buf))
			return false;
		a = snprintf(buf, sizeof buf, "%s-%u", name, i + 1);
		if (a < 0 || a >= SIM_NAME_MAX || sim_link_find(sim, buf))
			return false;
	}
	return true;
}

/* One point-to-point hop between two interfaces. */
static struct sim_link *hop(struct sim *sim, const char *name, struct sim_iface *a,
                            struct sim_iface *b, sim_time delay)
{
	struct sim_link *l = sim_link_add(sim, name, LINK_P2P);
	l->delay = delay;
	sim_link_attach(l, a);
	sim_link_attach(l, b);
	return l;
}

/*
 * Every name is checked before anything is created, so a failure (NULL)
 * leaves the topology untouched. The last hop gets the remainder of the
 * division so the hops add up to exactly `delay`.
 */
struct sim_link *sim_path_add(struct sim *sim, const char *name, struct sim_iface *a,
                              struct sim_iface *b, uint32_t routers, sim_time delay)
{
	if (!a || !b || a == b || a->link || b->link || routers > 1000 ||
	    !hop_names_ok(sim, name, routers))
		return NULL;
	sim_time each = delay / (routers + 1);
	struct sim_link *first = NULL;
	struct sim_iface *prev = a;
	char buf[SIM_NAME_MAX + 16];
	for (uint32_t i = 1; i <= routers; i++) {
		snprintf(buf, sizeof buf, "%s-r%u", name, i);
		struct sim_node *r = sim_node_add(sim, buf, NODE_ROUTER);
		struct sim_iface *p0 = sim_iface_add(r, "p0", NULL);
		struct sim_iface *p1 = sim_iface_add(r, "p1", NULL);
		if (i > 1)
			snprintf(buf, sizeof buf, "%s-%u", name, i);
		struct sim_link *l = hop(sim, i == 1 ? name : buf, prev, p0, each);
		if (!first)
			first = l;
		prev = p1;
	}
	snprintf(buf, sizeof buf, "%s-%u", name, routers + 1);
	struct sim_link *last = hop(sim, routers == 0 ? name : buf, prev, b,
	                            delay - each * routers);
	if (!first)
		first = last;
	first->routers = routers;
	return first;
}

/* ---- teardown ---- */

static void node_free(struct sim_node *n)
{
	if (n->bridge)
		bridge_node_free(n);
	for (int i = 0; i < n->nifaces; i++)
		free(n->ifaces[i]);
	for (size_t i = 0; i < n->nfiles; i++) {
		free(n->files[i].path);
		free(n->files[i].data);
		free(n->files[i].origin);
	}
	free(n->files);
	free(n);
}

void topo_free(struct sim *sim)
{
	for (size_t i = 0; i < sim->nlinks; i++)
		link_free(sim->links[i]);
	free(sim->links);
	for (size_t i = 0; i < sim->nnodes; i++)
		node_free(sim->nodes[i]);
	free(sim->nodes);
	sim->links = NULL;
	sim->nodes = NULL;
	sim->nlinks = sim->nnodes = 0;
}
