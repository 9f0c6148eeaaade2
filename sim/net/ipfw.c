/*
 * ipfw(4) in the kernel of the seed's gateway: the rule chain of a node
 * and the net->filter hook that runs it on every IP packet, in (dir 0,
 * the interface it arrived on) and out (dir 1, the interface it leaves
 * by). Matching follows ip_fw2.c of FreeBSD 7: a rule matches when every
 * part does; the rule's packet and byte counters count every match
 * (count and skipto rules too); the first rule whose action is final
 * decides. Bytes are whole IP packets, as ipfw's bcnt.
 *
 * A packet reinjected from a divert socket starts at the first rule
 * numbered above the one that diverted it (ipfw_chk's divert cookie), so
 * a diverted packet never loops through its divert rule again.
 */
#include "ipfw.h"
#include "net.h"

#include <stdlib.h>
#include <string.h>

#define IP6_HDR 40
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/* ---- the packet as the rules see it ------------------------------------ */

struct fw_pkt {
	int family;             /* 4 or 6 */
	const uint8_t *src, *dst;
	uint8_t proto;          /* upper layer, after IPv6 extension headers */
	size_t l4off;           /* where it starts */
	bool has_ports;         /* TCP/UDP header present (first fragment) */
	uint16_t sport, dport;
};

/* IPv6: walk hop-by-hop, routing, destination options, AH and fragment
 * headers to the upper layer (ipfw_chk does the same). */
static bool parse6(const uint8_t *ip, size_t len, struct fw_pkt *p)
{
	uint8_t nxt = ip[6];
	size_t off = IP6_HDR;
	bool first = true;
	for (int guard = 0; guard < 8; guard++) {
		if (nxt != 0 && nxt != 43 && nxt != 60 && nxt != 51 && nxt != 44)
			break;
		if (off + 8 > len)
			return false;
		uint8_t next = ip[off];
		if (nxt == 44) {
			first = (rd16(ip + off + 2) & 0xfff8) == 0;
			off += 8;
		} else if (nxt == 51) {
			off += ((size_t)ip[off + 1] + 2) * 4;
		} else {
			off += ((size_t)ip[off + 1] + 1) * 8;
		}
		nxt = next;
		if (!first)
			break;
	}
	p->family = 6;
	p->src = ip + 8;
	p->dst = ip + 24;
	p->proto = nxt;
	p->l4off = off;
	p->has_ports = first && (nxt == IPPROTO4_TCP || nxt == IPPROTO4_UDP) && off + 4 <= len;
	return true;
}

static bool parse4(const uint8_t *ip, size_t len, struct fw_pkt *p)
{
	size_t hlen = (size_t)(ip[0] & 15) * 4;
	if (hlen < 20 || hlen > len)
		return false;
	bool first = (rd16(ip + 6) & 0x1fff) == 0;
	p->family = 4;
	p->src = ip + 12;
	p->dst = ip + 16;
	p->proto = ip[9];
	p->l4off = hlen;
	p->has_ports = first && (p->proto == IPPROTO4_TCP || p->proto == IPPROTO4_UDP) &&
	               hlen + 4 <= len;
	return true;
}

static bool fw_parse(const uint8_t *ip, size_t len, struct fw_pkt *p)
{
	memset(p, 0, sizeof *p);
	if (len < 20)
		return false;
	bool ok = (ip[0] >> 4) == 6 ? len >= IP6_HDR && parse6(ip, len, p)
	          : (ip[0] >> 4) == 4 ? parse4(ip, len, p) : false;
	if (ok && p->has_ports) {
		p->sport = rd16(ip + p->l4off);
		p->dport = rd16(ip + p->l4off + 2);
	}
	return ok;
}

/* ---- matching ---------------------------------------------------------------- */

static bool prefix_match(const uint8_t *a, const uint8_t *net, unsigned plen)
{
	for (unsigned i = 0; i < plen / 8; i++)
		if (a[i] != net[i])
			return false;
	unsigned rest = plen % 8;
	return !rest || ((a[plen / 8] ^ net[plen / 8]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool addr_match(struct sim_node *n, const struct ipfw_addr *a, const struct fw_pkt *p,
                       const uint8_t *addr)
{
	bool m;
	switch (a->kind) {
	case IPFW_A_ANY: m = true; break;
	/* O_IP_DST_ME falls through to the IPv6 test in FreeBSD 7. */
	case IPFW_A_ME: m = p->family == 4 ? ip4_is_local(n, addr, NULL) : ip6_is_local(n, addr, NULL); break;
	case IPFW_A_ME6: m = p->family == 6 && ip6_is_local(n, addr, NULL); break;
	case IPFW_A_NET4: m = p->family == 4 && prefix_match(addr, a->addr, a->plen); break;
	default: m = p->family == 6 && prefix_match(addr, a->addr, a->plen); break;
	}
	return m != a->not;
}

static bool ports_match(const struct ipfw_ports *ps, const struct fw_pkt *p, uint16_t port)
{
	if (!ps->n)
		return true;
	bool m = false;
	for (unsigned i = 0; p->has_ports && i < ps->n && !m; i++)
		m = port >= ps->lo[i] && port <= ps->hi[i];
	return m != ps->not;
}

static bool proto_match(const struct ipfw_rule *r, const struct fw_pkt *p)
{
	bool m;
	switch (r->proto_kind) {
	case IPFW_P_IP4: m = p->family == 4; break;
	case IPFW_P_IP6: m = p->family == 6; break;
	case IPFW_P_NUM: m = p->proto == r->proto; break;
	default: m = true; break;
	}
	return m != r->proto_not;
}

static bool opt_match(const struct ipfw_opt *o, const struct sim_iface *ifp, int dir)
{
	bool named = ifp && strcmp(ifp->name, o->ifname) == 0;
	bool m;
	switch (o->kind) {
	case IPFW_O_IN: m = dir == DIVERT_IN; break;
	case IPFW_O_VIA: m = named; break;
	case IPFW_O_RECV: m = dir == DIVERT_IN && named; break;
	default: m = dir == DIVERT_OUT && named; break;
	}
	return m != o->not;
}

static bool rule_match(struct sim_node *n, const struct ipfw_rule *r, const struct fw_pkt *p,
                       const struct sim_iface *ifp, int dir)
{
	if (!proto_match(r, p) || !addr_match(n, &r->src, p, p->src) ||
	    !addr_match(n, &r->dst, p, p->dst) || !ports_match(&r->sport, p, p->sport) ||
	    !ports_match(&r->dport, p, p->dport))
		return false;
	for (unsigned i = 0; i < r->nopt; i++)
		if (!opt_match(&r->opt[i], ifp, dir))
			return false;
	return true;
}

/* ---- reject actions ------------------------------------------------------ */

/* RFC 793 "Reset Generation": seq from the segment's ACK, else ACK its
 * sequence space; never in answer to a RST. */
static void send_rst(struct sim_node *n, const struct fw_pkt *p, const uint8_t *ip, size_t len)
{
	if (p->proto != IPPROTO4_TCP || !p->has_ports || p->l4off + 20 > len)
		return;
	const uint8_t *th = ip + p->l4off;
	uint8_t flags = th[13];
	if (flags & TH_RST)
		return;
	size_t doff = (size_t)(th[12] >> 4) * 4;
	size_t dlen = p->l4off + doff <= len ? len - p->l4off - doff : 0;
	uint8_t rst[20] = { 0 };
	wr16(rst, p->dport);
	wr16(rst + 2, p->sport);
	if (flags & TH_ACK) {
		memcpy(rst + 4, th + 8, 4);
		rst[13] = TH_RST;
	} else {
		uint32_t ack = rd32(th + 4) + (uint32_t)dlen + !!(flags & TH_SYN) + !!(flags & TH_FIN);
		wr32(rst + 8, ack);
		rst[13] = TH_RST | TH_ACK;
	}
	rst[12] = 5 << 4;
	if (p->family == 4) {
		wr16(rst + 16, ip4_checksum(p->dst, p->src, IPPROTO4_TCP, rst, sizeof rst));
		ip4_output(n, p->dst, p->src, IPPROTO4_TCP, n->net->ttl, rst, sizeof rst, NULL);
	} else {
		wr16(rst + 16, ip6_checksum(p->dst, p->src, IPPROTO4_TCP, rst, sizeof rst));
		ip6_output(n, p->dst, p->src, IPPROTO4_TCP, 0, rst, sizeof rst, NULL, NULL);
	}
}

/* unreach / reject / reset (O_REJECT, which falls through to O_UNREACH6 for
 * IPv6 packets) and unreach6: the packet is dropped either way. */
static void send_reject(struct sim_node *n, const struct ipfw_rule *r, const struct fw_pkt *p,
                        struct sim_iface *ifp, int dir, const uint8_t *ip, size_t len)
{
	if (r->action == IPFW_UNREACH6 && p->family != 6) {
		return; /* unreach6 / reset6 answer IPv6 packets only: plain deny */
	} else if (r->arg == IPFW_RST) {
		send_rst(n, p, ip, len);
	} else if (p->family == 4 && r->action == IPFW_REJECT) {
		icmp4_error(n, ip, len, ICMP4_UNREACH, (uint8_t)r->arg, 0);
	} else if (p->family == 6 && dir == DIVERT_IN) {
		icmp6_error_if(n, ifp, ip, len, 1, (uint8_t)r->arg, 0);
	} else if (p->family == 6) {
		icmp6_error(n, ip, len, 1, (uint8_t)r->arg, 0);
	}
}

/* ---- running the chain ------------------------------------------------------ */

/* Index of the first rule numbered above `after`. */
static size_t first_after(const struct ipfw_chain *c, uint32_t after)
{
	size_t i = 0;
	while (i < c->n && c->r[i].num <= after)
		i++;
	return i;
}

bool ipfw_check(struct sim_node *n, struct sim_iface *ifp, int dir, const uint8_t *ip,
                size_t len, uint32_t after)
{
	struct ipfw_state *st = ipfw_state_get(n);
	struct fw_pkt p;
	if (!st || !fw_parse(ip, len, &p))
		return false; /* not IP: the stack's own checks drop it */
	if (after >= IPFW_DEFAULT_RULE)
		return true; /* a cookie past the default rule: "invalid", dropped */
	struct ipfw_chain *c = &st->chain;
	for (size_t i = first_after(c, after); i < c->n; i++) {
		struct ipfw_rule *r = &c->r[i];
		if (!rule_match(n, r, &p, ifp, dir))
			continue;
		r->pcnt++;
		r->bcnt += len;
		switch (r->action) {
		case IPFW_ALLOW:
			return false;
		case IPFW_DENY:
			return true;
		case IPFW_COUNT:
			break;
		case IPFW_SKIPTO: /* forward only: never to this rule or before */
			while (i + 1 < c->n && c->r[i + 1].num < r->arg)
				i++;
			break;
		case IPFW_DIVERT: {
			struct divert_info info = { .dir = dir, .rule = r->num };
			if (ifp)
				memcpy(info.ifname, ifp->name, sizeof info.ifname);
			divert_packet(n, r->arg, &info, ip, len);
			return true;
		}
		default:
			send_reject(n, r, &p, ifp, dir, ip, len);
			return true;
		}
	}
	return false;
}

/* net->filter: a reinjected packet (marked by divert.c) resumes. */
static bool ipfw_filter(struct sim_node *n, struct sim_iface *ifp, int dir, const uint8_t *ip,
                        size_t len)
{
	struct ipfw_state *st = n->net->ipfw;
	uint32_t after = 0;
	if (st && st->resume_pkt == ip && st->resume_dir == dir) {
		after = st->resume_after;
		st->resume_pkt = NULL;
	}
	return ipfw_check(n, ifp, dir, ip, len, after);
}

/* ---- the chain of a node --------------------------------------------------- */

static void ipfw_free_hook(struct sim *sim, void *user)
{
	struct ipfw_state *st = user;
	struct sim_node *n = st->node;
	if (n->net && n->net->ipfw == st) {
		n->net->ipfw = NULL;
		n->net->filter = NULL;
	}
	divert_state_release(sim, st->divert);
	free(st->chain.r);
	free(st);
}

static void chain_insert(struct ipfw_chain *c, size_t at, const struct ipfw_rule *r)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->r = sim_xrealloc(c->r, c->cap, sizeof *c->r);
	}
	memmove(c->r + at + 1, c->r + at, (c->n - at) * sizeof *c->r);
	c->r[at] = *r;
	c->n++;
}

struct ipfw_state *ipfw_state_get(struct sim_node *n)
{
	if (!n->net)
		return NULL;
	if (n->net->ipfw)
		return n->net->ipfw;
	struct ipfw_state *st = sim_xcalloc(1, sizeof *st);
	st->node = n;
	struct ipfw_rule def = { .num = IPFW_DEFAULT_RULE, .action = IPFW_ALLOW };
	chain_insert(&st->chain, 0, &def);
	n->net->ipfw = st;
	n->net->filter = ipfw_filter;
	sim_on_free(n->sim, ipfw_free_hook, st);
	return st;
}

struct ipfw_chain *ipfw_chain(struct sim_node *n)
{
	struct ipfw_state *st = ipfw_state_get(n);
	return st ? &st->chain : NULL;
}

const struct ipfw_rule *ipfw_add(struct sim_node *n, const struct ipfw_rule *r)
{
	struct ipfw_chain *c = ipfw_chain(n);
	if (!c || r->num >= IPFW_DEFAULT_RULE)
		return NULL;
	struct ipfw_rule add = *r;
	add.pcnt = add.bcnt = 0;
	if (add.num == 0) {
		/* After the last rule but the default one, autoinc_step apart. */
		uint16_t last = c->n > 1 ? c->r[c->n - 2].num : 0;
		add.num = last < IPFW_DEFAULT_RULE - IPFW_AUTOINC_STEP ? last + IPFW_AUTOINC_STEP : last;
	}
	size_t at = first_after(c, add.num);
	chain_insert(c, at, &add);
	return &c->r[at];
}

size_t ipfw_delete(struct sim_node *n, uint16_t num)
{
	struct ipfw_chain *c = ipfw_chain(n);
	size_t removed = 0;
	if (!c || num == IPFW_DEFAULT_RULE)
		return 0;
	for (size_t i = 0; i < c->n;) {
		if (c->r[i].num == num) {
			memmove(c->r + i, c->r + i + 1, (c->n - i - 1) * sizeof *c->r);
			c->n--;
			removed++;
		} else {
			i++;
		}
	}
	return removed;
}

bool ipfw_zero(struct sim_node *n, uint16_t num)
{
	struct ipfw_chain *c = ipfw_chain(n);
	bool found = false;
	for (size_t i = 0; c && i < c->n; i++) {
		if (num == 0 || c->r[i].num == num) {
			c->r[i].pcnt = c->r[i].bcnt = 0;
			found = true;
		}
	}
	return found;
}

void ipfw_flush(struct sim_node *n)
{
	struct ipfw_chain *c = ipfw_chain(n);
	if (!c)
		return;
	c->r[0] = c->r[c->n - 1]; /* the default rule, counters kept */
	c->n = 1;
}
