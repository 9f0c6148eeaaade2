/*
 * IPV6CP (RFC 5072): the Interface-Identifier option (1). Ours comes from
 * the configuration, else from the PPPoE device's MAC by the modified
 * EUI-64 rule as FreeBSD's ppp does (00:0f:ea:2c:d5:18 gives
 * 02:0f:ea:ff:fe:2c:d5:18, so tun0 gets fe80::20f:eaff:fe2c:d518), else
 * at random. A zero or colliding identifier from the peer is Nak'd with a
 * fresh random one (section 4.1). Other options are rejected.
 */
#include <string.h>

#include "../net/net.h"
#include "ppp_var.h"

enum { CI_IFID = 1 };

static struct ppp_link *lnk(struct ppp_fsm *f) { return f->owner; }

static bool zero8(const uint8_t a[8])
{
	uint8_t acc = 0;
	for (int i = 0; i < 8; i++)
		acc |= a[i];
	return acc == 0;
}

/* Random, non-zero, different from `avoid`, "u" bit clear (local scope). */
static void random_ifid(struct ppp_link *l, const uint8_t avoid[8], uint8_t out[8])
{
	do {
		uint64_t v = prng_next(&l->sim->prng);
		for (int i = 0; i < 8; i++)
			out[i] = (uint8_t)(v >> (8 * i));
		out[0] &= (uint8_t)~0x02;
	} while (zero8(out) || memcmp(out, avoid, 8) == 0);
}

void ipv6cp_setup(struct ppp_link *l)
{
	static const uint8_t nomac[6];
	struct ipv6cp_state *s = &l->ipv6cps;
	memset(s->his, 0, 8);
	if (!zero8(l->conf.my_ifid))
		memcpy(s->want, l->conf.my_ifid, 8);
	else if (memcmp(l->conf.mac, nomac, 6) != 0)
		in6_eui64(l->conf.mac, s->want);
	else
		random_ifid(l, s->his, s->want);
}

static size_t ipv6cp_build_req(struct ppp_fsm *f, uint8_t *out, size_t room)
{
	return ppp_opt_put(out, room, 0, CI_IFID, lnk(f)->ipv6cps.want, 8);
}

static void his_ifid(struct ppp_link *l, const uint8_t *o, struct ppp_optreply *r)
{
	struct ipv6cp_state *s = &l->ipv6cps;
	if (zero8(o + 2) || memcmp(o + 2, s->want, 8) == 0) {
		uint8_t sug[8];
		random_ifid(l, s->want, sug);
		ppp_optreply_nak(r, o, CI_IFID, sug, 8);
		return;
	}
	memcpy(s->his, o + 2, 8);
}

static enum ppp_cr_verdict ipv6cp_rcv_req(struct ppp_fsm *f, const uint8_t *opt, size_t len,
                                          uint8_t *reply, size_t room, size_t *rlen,
                                          bool may_nak)
{
	struct ppp_link *l = lnk(f);
	struct ppp_optreply r = { .may_nak = may_nak };
	memset(l->ipv6cps.his, 0, 8);
	for (size_t at = 0; at < len; at += opt[at + 1]) {
		const uint8_t *o = opt + at;
		if (o[0] == CI_IFID && o[1] == 10)
			his_ifid(l, o, &r);
		else
			ppp_optreply_rej(&r, o);
	}
	return ppp_optreply_finish(&r, opt, len, reply, room, rlen);
}

/* The peer suggests another identifier for us: take it unless it is
 * zero or the peer's own. */
static bool ipv6cp_rcv_nak(struct ppp_fsm *f, const uint8_t *opt, size_t len)
{
	struct ipv6cp_state *s = &lnk(f)->ipv6cps;
	for (size_t at = 0; at < len; at += opt[at + 1]) {
		const uint8_t *o = opt + at;
		if (o[0] != CI_IFID || o[1] != 10)
			continue;
		if (!zero8(o + 2) && memcmp(o + 2, s->his, 8) != 0)
			memcpy(s->want, o + 2, 8);
		else
			random_ifid(lnk(f), s->his, s->want);
	}
	return true;
}

static void ipv6cp_tlu(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	if (l->cb.ipv6cp_up)
		l->cb.ipv6cp_up(l->cb.user, l->ipv6cps.want, l->ipv6cps.his);
}

static void ipv6cp_tld(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	if (l->cb.ncp_down)
		l->cb.ncp_down(l->cb.user, PPP_IPV6CP);
}

static void ipv6cp_tls(struct ppp_fsm *f)
{
	ipv6cp_setup(lnk(f));
}

const struct ppp_fsm_ops ppp_ipv6cp_ops = {
	.proto = PPP_IPV6CP,
	.name = "IPV6CP",
	.build_req = ipv6cp_build_req,
	.rcv_req = ipv6cp_rcv_req,
	.rcv_nak = ipv6cp_rcv_nak,
	.tlu = ipv6cp_tlu,
	.tld = ipv6cp_tld,
	.tls = ipv6cp_tls,
};
