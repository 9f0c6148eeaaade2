/*
 * 6in4 tunnel interfaces (RFC 4213), gif(4)-style: see tunnel.h.
 *
 * A tunnel's state hangs off its interface (ifp->output_user, with
 * ifp->output == tunnel_output marking the interface as a tunnel), so a
 * node needs no table of its own: input finds the tunnel by walking the
 * node's interfaces, which also keeps the lookup order deterministic
 * (interface order). Every tunnel of a node keeps the same `prev`, the
 * deliver4 hook that was installed before the first tunnel chained in.
 */
#include "tunnel.h"

#include <stdlib.h>
#include <string.h>

#define IP6_HDRLEN 40

struct tunnel {
	struct sim_iface *ifp;
	bool configured;
	uint8_t local4[4], remote4[4];
	/* net->deliver4 before the tunnels took it: every other protocol. */
	void (*prev)(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
	             uint8_t proto, const uint8_t *l4, size_t l4len);
	struct tunnel_stats st;
};

static void tunnel_output(struct sim_iface *ifp, struct pbuf *p, int family);

bool tunnel_name_ok(const char *name)
{
	if (strncmp(name, "gif", 3) != 0 && strncmp(name, "tun", 3) != 0)
		return false;
	const char *d = name + 3;
	if (*d == '\0' || strlen(d) > 4)
		return false;
	for (; *d; d++)
		if (*d < '0' || *d > '9')
			return false;
	return true;
}

bool tunnel_is(const struct sim_iface *ifp)
{
	return ifp && ifp->output == tunnel_output && ifp->output_user;
}

static struct tunnel *tunnel_of(const struct sim_iface *ifp)
{
	return tunnel_is(ifp) ? ifp->output_user : NULL;
}

static void tunnel_free_hook(struct sim *sim, void *user)
{
	(void)sim;
	struct tunnel *t = user;
	if (t->ifp && t->ifp->output_user == t)
		t->ifp->output_user = NULL;
	free(t);
}

/* ---- output -------------------------------------------------------------- */

/* An IPv6 packet routed out of the tunnel: behind an IPv4 header, then
 * through the node's IPv4 output (routing, ARP, ipfw) like any packet. */
static void tunnel_output(struct sim_iface *ifp, struct pbuf *p, int family)
{
	struct tunnel *t = ifp->output_user;
	struct sim_node *n = ifp->node;
	size_t len = p->len;
	int rc = -1;
	if (t && t->configured && family == 6)
		rc = ip4_output_df(n, t->local4, t->remote4, TUNNEL_PROTO, TUNNEL_TTL, false,
		                   pbuf_data(p), len, NULL);
	if (rc == 0) {
		t->st.encap++;
		ifp->opackets++;
		ifp->obytes += len;
	} else {
		if (t)
			t->st.encap_failed++;
		ifp->oerrors++;
	}
	pbuf_release(n->sim, p);
}

/* ---- input --------------------------------------------------------------- */

/* The tunnel of node n whose endpoints are (dst, src) of the outer header. */
static struct tunnel *tunnel_match(struct sim_node *n, const uint8_t *ip4)
{
	for (int i = 0; i < n->nifaces; i++) {
		struct tunnel *t = tunnel_of(n->ifaces[i]);
		if (t && t->configured && (n->ifaces[i]->flags & SIM_IFF_UP) &&
		    memcmp(t->remote4, ip4 + 12, 4) == 0 && memcmp(t->local4, ip4 + 16, 4) == 0)
			return t;
	}
	return NULL;
}

/* Any tunnel of the node, for the chained hook. */
static struct tunnel *tunnel_any(struct sim_node *n)
{
	for (int i = 0; i < n->nifaces; i++)
		if (tunnel_of(n->ifaces[i]))
			return tunnel_of(n->ifaces[i]);
	return NULL;
}

static void tunnel_deliver4(struct sim_node *n, struct sim_iface *ifp, const uint8_t *ip4,
                            size_t len, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	struct tunnel *t = proto == TUNNEL_PROTO && len >= 20 ? tunnel_match(n, ip4) : NULL;
	if (t) {
		/* RFC 4213 3.6: only IPv6 inside, then the inner header's own checks. */
		if (l4len < IP6_HDRLEN || (l4[0] >> 4) != 6) {
			t->st.bad_inner++;
			t->ifp->ierrors++;
			return;
		}
		t->st.decap++;
		t->ifp->ipackets++;
		t->ifp->ibytes += l4len;
		ip6_input(t->ifp, l4, l4len);
		return;
	}
	struct tunnel *any = tunnel_any(n);
	if (any && any->prev)
		any->prev(n, ifp, ip4, len, proto, l4, l4len);
	else if (!ip4_is_broadcast(ifp, ip4 + 16))
		icmp4_error(n, ip4, len, ICMP4_UNREACH, ICMP4_UNREACH_PROTOCOL, 0);
}

/*
 * Put the tunnels' hook in front of whatever delivers IPv4 now, once per
 * node: when another tunnel exists the hook is already in the chain
 * (possibly behind the transport, which passes protocol 41 on), and
 * chaining again would make a loop.
 */
static void tunnel_chain(struct tunnel *t)
{
	struct sim_node *n = t->ifp->node;
	for (int i = 0; i < n->nifaces; i++) {
		struct tunnel *other = tunnel_of(n->ifaces[i]);
		if (other && other != t) {
			t->prev = other->prev;
			return;
		}
	}
	if (!n->net)
		return;
	t->prev = n->net->deliver4;
	n->net->deliver4 = tunnel_deliver4;
}

/* ---- configuration ----------------------------------------------------- */

struct sim_iface *tunnel_create(struct sim_node *n, const char *name)
{
	static const uint8_t nomac[6];
	if (!tunnel_name_ok(name) || sim_iface_find(n, name))
		return NULL;
	struct sim_iface *ifp = sim_iface_add(n, name, nomac); /* the next if_index */
	if (!ifp)
		return NULL;
	struct tunnel *t = sim_xcalloc(1, sizeof *t);
	t->ifp = ifp;
	sim_on_free(n->sim, tunnel_free_hook, t);
	ifp->flags = SIM_IFF_POINTOPOINT | SIM_IFF_MULTICAST;
	ifp->mtu = TUNNEL_MTU;
	ifp->output = tunnel_output;
	ifp->output_user = t;
	tunnel_chain(t);
	return ifp;
}

int tunnel_set_endpoints(struct sim_iface *ifp, const uint8_t local4[4], const uint8_t remote4[4])
{
	struct tunnel *t = tunnel_of(ifp);
	if (!t)
		return -1;
	memcpy(t->local4, local4, 4);
	memcpy(t->remote4, remote4, 4);
	t->configured = true;
	ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	if (ifp->node->net)
		in6_join(ifp, (const uint8_t[16]){ 0xff, 0x02, [15] = 1 });
	return 0;
}

bool tunnel_endpoints(const struct sim_iface *ifp, uint8_t local4[4], uint8_t remote4[4])
{
	const struct tunnel *t = tunnel_of(ifp);
	if (!t || !t->configured)
		return false;
	memcpy(local4, t->local4, 4);
	memcpy(remote4, t->remote4, 4);
	return true;
}

void tunnel_get_stats(const struct sim_iface *ifp, struct tunnel_stats *out)
{
	const struct tunnel *t = tunnel_of(ifp);
	if (t)
		*out = t->st;
	else
		memset(out, 0, sizeof *out);
}
