/*
 * IPCP (RFC 1332): the IP-Address option (3). The client (`set ifaddr`
 * with no arguments) asks for 0.0.0.0 and takes the address the peer Naks
 * back; it accepts whatever address the peer gives itself (HISADDR). The
 * authenticator offers its own address and Naks the client onto the one
 * configured for it (his_ip4). Other options are rejected.
 */
#include <string.h>

#include "ppp_var.h"

enum { CI_ADDRS = 1, CI_COMPRESS = 2, CI_ADDR = 3 };

static struct ppp_link *lnk(struct ppp_fsm *f) { return f->owner; }
static bool zero4(const uint8_t a[4]) { return !(a[0] | a[1] | a[2] | a[3]); }

void ipcp_setup(struct ppp_link *l)
{
	memcpy(l->ipcps.want, l->conf.my_ip4, 4);
	memset(l->ipcps.his, 0, 4);
	l->ipcps.addr_rejected = false;
}

static size_t ipcp_build_req(struct ppp_fsm *f, uint8_t *out, size_t room)
{
	struct ipcp_state *s = &lnk(f)->ipcps;
	return s->addr_rejected ? 0 : ppp_opt_put(out, room, 0, CI_ADDR, s->want, 4);
}

/* The peer's address: what the configuration assigns it, if anything. */
static void his_addr(struct ppp_link *l, const uint8_t *o, struct ppp_optreply *r)
{
	const uint8_t *assign = l->conf.his_ip4;
	if (!zero4(assign) && memcmp(o + 2, assign, 4) != 0) {
		ppp_optreply_nak(r, o, CI_ADDR, assign, 4);
		return;
	}
	if (zero4(o + 2)) { /* asks for one and we have none to give */
		ppp_optreply_rej(r, o);
		return;
	}
	memcpy(l->ipcps.his, o + 2, 4);
}

static enum ppp_cr_verdict ipcp_rcv_req(struct ppp_fsm *f, const uint8_t *opt, size_t len,
                                        uint8_t *reply, size_t room, size_t *rlen, bool may_nak)
{
	struct ppp_link *l = lnk(f);
	struct ppp_optreply r = { .may_nak = may_nak };
	memset(l->ipcps.his, 0, 4);
	for (size_t at = 0; at < len; at += opt[at + 1]) {
		const uint8_t *o = opt + at;
		if (o[0] == CI_ADDR && o[1] == 6)
			his_addr(l, o, &r);
		else
			ppp_optreply_rej(&r, o);
	}
	return ppp_optreply_finish(&r, opt, len, reply, room, rlen);
}

static bool ipcp_rcv_nak(struct ppp_fsm *f, const uint8_t *opt, size_t len)
{
	struct ppp_link *l = lnk(f);
	for (size_t at = 0; at < len; at += opt[at + 1]) {
		const uint8_t *o = opt + at;
		/* A fixed address of ours (`set ifaddr` with one) is not negotiable. */
		if (o[0] == CI_ADDR && o[1] == 6 && zero4(l->conf.my_ip4) && !zero4(o + 2))
			memcpy(l->ipcps.want, o + 2, 4);
	}
	return true;
}

static bool ipcp_rcv_rej(struct ppp_fsm *f, const uint8_t *opt, size_t len)
{
	for (size_t at = 0; at < len; at += opt[at + 1])
		if (opt[at] == CI_ADDR)
			lnk(f)->ipcps.addr_rejected = true;
	return true;
}

static void ipcp_tlu(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	if (l->cb.ipcp_up)
		l->cb.ipcp_up(l->cb.user, l->ipcps.want, l->ipcps.his);
}

static void ipcp_tld(struct ppp_fsm *f)
{
	struct ppp_link *l = lnk(f);
	if (l->cb.ncp_down)
		l->cb.ncp_down(l->cb.user, PPP_IPCP);
}

static void ipcp_tls(struct ppp_fsm *f)
{
	ipcp_setup(lnk(f));
}

const struct ppp_fsm_ops ppp_ipcp_ops = {
	.proto = PPP_IPCP,
	.name = "IPCP",
	.build_req = ipcp_build_req,
	.rcv_req = ipcp_rcv_req,
	.rcv_nak = ipcp_rcv_nak,
	.rcv_rej = ipcp_rcv_rej,
	.tlu = ipcp_tlu,
	.tld = ipcp_tld,
	.tls = ipcp_tls,
};
