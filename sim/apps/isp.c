/*
 * The `isp` node's broadband access server (a BRAS, as Internode ran one
 * for the seed's ADSL line): a PPPoE access concentrator on the customer
 * side, one PPP peer per PPPoE session that authenticates the customer,
 * gives it an IPv4 address from a pool (IPCP) and its interface identifier
 * (IPV6CP), and one virtual interface per session (ng0, ng1, ... like the
 * netgraph nodes of a FreeBSD mpd BRAS) that the IPv6/IPv4 stack routes
 * through: the customer's delegated prefix points at it, and dhcp6s serves
 * on it. The upstream is an ordinary interface of the node.
 *
 * Configured by `isp` commands run on the node, one statement each, or by
 * the same statements in a file (`isp -f /etc/isp.conf`):
 *
 *   isp auth pap|chap [user NAME] secret SECRET
 *   isp ipcp local ADDR pool FIRST[-LAST]
 *   isp delegate PREFIX/LEN            the customer's prefix (the /60)
 *   isp echo PERIOD FAILURES           LCP echo from the BRAS (default off)
 *   isp pppoe IFACE [ac-name NAME] [service NAME]   start serving
 *   isp show                           the sessions
 *
 * Everything but `pppoe` and `show` only records settings, so `pppoe` goes
 * last. `delegate` is one customer's prefix, as on the seed's line: a
 * second session at the same time gets no route for it. The IPV6CP interface identifier is the EUI-64 of the PPPoE
 * interface's MAC (the seed's fe80::20c:86ff:fe75:241b from
 * 00:0c:86:75:24:1b).
 */
#include "apps_int.h"
#include "../link/ppp.h"
#include "../link/pppoe.h"
#include "../net/dhcp6.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISP_MAX_SESSIONS 4
#define ISP_LINE_MAX 256

struct isp_node;

struct isp_session {
	struct isp_node *isp;
	struct pppoe_session *pppoe;   /* NULL when the slot is free */
	struct ppp_link *ppp;
	struct sim_iface *ifp;         /* ngN, kept for reuse: ifaces cannot be removed */
	uint8_t his_ip4[4];
	uint8_t his_ifid[8];
	bool ip4_up, ip6_up;
};

struct isp_node {
	struct sim_node *node;
	struct pppoe_ac *ac;
	struct sim_iface *pppoe_if;
	struct ppp_conf conf;          /* template for every session */
	uint8_t pool_first[4];
	uint32_t pool_size, pool_next;
	uint8_t delegate[16];
	uint8_t delegate_plen;         /* 0: none */
	struct isp_session sess[ISP_MAX_SESSIONS];
};

static void isp_free(struct sim *sim, void *user)
{
	struct isp_node *isp = user;
	(void)sim;
	for (int i = 0; i < ISP_MAX_SESSIONS; i++)
		if (isp->sess[i].ppp)
			ppp_free(isp->sess[i].ppp);
	if (isp->ac)
		pppoe_ac_stop(isp->ac);
	free(isp);
}

static struct isp_node *isp_get(struct sim_node *n)
{
	struct apps_node *an = n->apps;
	if (!an->isp) {
		struct isp_node *isp = sim_xcalloc(1, sizeof *isp);
		isp->node = n;
		isp->conf = (struct ppp_conf){ .authenticator = true, .auth = PPP_AUTH_PAP,
			                       .mru = PPPOE_MTU, .ipcp = true, .ipv6cp = true,
			                       .restart_ms = 3000, .max_configure = 10,
			                       .max_terminate = 2, .max_failure = 5 };
		an->isp = isp;
		sim_on_free(n->sim, isp_free, isp);
	}
	return an->isp;
}

/* ---- one session's virtual interface ------------------------------------ */

/* IP leaving through ngN: framed by PPP into the session. */
static void ng_output(struct sim_iface *ifp, struct pbuf *p, int family)
{
	struct isp_session *s = ifp->output_user;
	if (!s || !s->ppp || ppp_output_ip(s->ppp, family, pbuf_data(p), p->len) < 0)
		ifp->oerrors++;
	else
		ifp->opackets++;
	pbuf_release(ifp->node->sim, p);
}

/* The first ngN no session uses, created on first need. */
static struct sim_iface *ng_iface(struct isp_node *isp, int slot)
{
	char name[16];
	struct isp_session *s = &isp->sess[slot];
	if (!s->ifp) {
		snprintf(name, sizeof name, "ng%d", slot);
		s->ifp = sim_iface_find(isp->node, name);
		if (!s->ifp)
			s->ifp = sim_iface_add(isp->node, name, NULL);
	}
	if (s->ifp) {
		s->ifp->output = ng_output;
		s->ifp->output_user = s;
		s->ifp->mtu = PPPOE_MTU;
	}
	return s->ifp;
}

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };

/* IPV6CP opened: our link-local on ngN, the customer's prefix behind it,
 * DHCPv6 served there. No DAD: IPV6CP made the identifiers unique. */
static void ng_up6(struct isp_session *s, const uint8_t my[8], const uint8_t his[8])
{
	struct sim_iface *ifp = s->ifp;
	uint8_t ll[16] = { 0xfe, 0x80 };

	memcpy(ll + 8, my, 8);
	memcpy(s->his_ifid, his, 8);
	ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING | SIM_IFF_POINTOPOINT | SIM_IFF_MULTICAST;
	in6_join(ifp, all_nodes);
	in6_join(ifp, all_routers);
	in6_addr_add(ifp, ll, 64, 0, SIM_NEVER, SIM_NEVER);
	if (s->isp->delegate_plen) {
		struct route r = { .family = 6, .plen = s->isp->delegate_plen, .ifp = ifp,
			           .flags = RTF_UP | RTF_STATIC };
		memcpy(r.dst, s->isp->delegate, 16);
		route_add(&s->isp->node->net->rt6, &r);
	}
	dhcp6s_add_iface(s->isp->node, ifp);
	s->ip6_up = true;
}

static void ng_down6(struct isp_session *s)
{
	struct sim_iface *ifp = s->ifp;
	if (!s->ip6_up)
		return;
	s->ip6_up = false;
	route_flush_iface(&s->isp->node->net->rt6, ifp);
	while (ifp->in6 && ifp->in6->naddr > 0)
		in6_addr_del(ifp, ifp->in6->addr[0].addr);
}

static void ng_down4(struct isp_session *s)
{
	if (!s->ip4_up)
		return;
	s->ip4_up = false;
	in4_addr_delete(s->ifp, s->isp->conf.my_ip4);
	route_flush_iface(&s->isp->node->net->rt4, s->ifp);
}

/* ---- PPP callbacks ---------------------------------------------------------- */

static void cb_send(void *user, const uint8_t *frame, size_t len)
{
	struct isp_session *s = user;
	if (s->pppoe)
		pppoe_send(s->pppoe, frame, len);
}

static void cb_ipcp_up(void *user, const uint8_t my[4], const uint8_t his[4])
{
	struct isp_session *s = user;
	s->ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING | SIM_IFF_POINTOPOINT | SIM_IFF_MULTICAST;
	in4_addr_add(s->ifp, my, 32, his);
	s->ip4_up = true;
}

static void cb_ipv6cp_up(void *user, const uint8_t my[8], const uint8_t his[8])
{
	ng_up6(user, my, his);
}

static void cb_ncp_down(void *user, uint16_t proto)
{
	struct isp_session *s = user;
	if (proto == PPP_IPV6CP)
		ng_down6(s);
	else if (proto == PPP_IPCP)
		ng_down4(s);
}

/* LCP finished (auth failed, echo lost, the customer hung up): end the
 * PPPoE session too, as an access concentrator does. */
static void cb_link_down(void *user, const char *why)
{
	struct isp_session *s = user;
	(void)why;
	ng_down6(s);
	ng_down4(s);
	if (s->pppoe)
		pppoe_ac_close(s->isp->ac, s->pppoe);
}

static void cb_ip_input(void *user, int family, const uint8_t *pkt, size_t len)
{
	struct isp_session *s = user;
	s->ifp->ipackets++;
	s->ifp->ibytes += len;
	if (family == 6)
		ip6_input(s->ifp, pkt, len);
	else
		ip4_input(s->ifp, pkt, len);
}

/* ---- PPPoE callbacks: a session is a PPP peer ------------------------------ */

/* A slot without a PPPoE session; its old PPP link (kept after the
 * session ended: that may have happened inside the link's own callback)
 * is freed now. */
static int free_slot(struct isp_node *isp)
{
	for (int i = 0; i < ISP_MAX_SESSIONS; i++) {
		struct isp_session *s = &isp->sess[i];
		if (s->pppoe)
			continue;
		if (s->ppp)
			ppp_free(s->ppp);
		s->ppp = NULL;
		return i;
	}
	return -1;
}

/* The next pool address, round robin. */
static void pool_take(struct isp_node *isp, uint8_t out[4])
{
	uint32_t a = (uint32_t)isp->pool_first[0] << 24 | (uint32_t)isp->pool_first[1] << 16 |
	             (uint32_t)isp->pool_first[2] << 8 | isp->pool_first[3];
	a += (isp->pool_size ? isp->pool_next++ % isp->pool_size : 0);
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(a >> (24 - 8 * i));
}

static void ac_session_up(void *user, struct pppoe_session *ps)
{
	struct isp_node *isp = user;
	int slot = free_slot(isp);
	if (slot < 0 || !ng_iface(isp, slot)) {
		pppoe_ac_close(isp->ac, ps);
		return;
	}
	struct isp_session *s = &isp->sess[slot];
	struct ppp_conf conf = isp->conf;
	struct ppp_cb cb = { .send = cb_send, .ipcp_up = cb_ipcp_up, .ipv6cp_up = cb_ipv6cp_up,
		             .ncp_down = cb_ncp_down, .link_down = cb_link_down,
		             .ip_input = cb_ip_input, .user = s };
	s->isp = isp;
	s->pppoe = ps;
	pppoe_session_set_user(ps, s);
	if (isp->pool_size)
		pool_take(isp, conf.his_ip4);
	memcpy(s->his_ip4, conf.his_ip4, 4);
	in6_eui64(isp->pppoe_if->mac, conf.my_ifid);
	s->ppp = ppp_new(isp->node->sim, &conf, &cb);
	ppp_lower_up(s->ppp, PPPOE_MTU);
	ppp_open(s->ppp);
}

static void ac_session_down(void *user, struct pppoe_session *ps)
{
	struct isp_session *s = pppoe_session_user(ps);
	(void)user;
	if (!s)
		return;
	s->pppoe = NULL;
	ng_down6(s);
	ng_down4(s);
	if (s->ppp) {
		/* Freed later: this may run inside the PPP link's own callback. */
		ppp_lower_down(s->ppp);
	}
	s->ifp->flags &= ~(uint32_t)(SIM_IFF_UP | SIM_IFF_RUNNING);
}

static void ac_recv(void *user, struct pppoe_session *ps, const uint8_t *ppp, size_t len)
{
	struct isp_session *s = pppoe_session_user(ps);
	(void)user;
	if (s && s->ppp)
		ppp_input(s->ppp, ppp, len);
}

/* ---- the `isp` command -------------------------------------------------- */

static const char isp_usage[] =
	"usage: isp auth pap|chap [user NAME] secret SECRET\n"
	"       isp ipcp local ADDR pool FIRST[-LAST]\n"
	"       isp delegate PREFIX/LEN\n"
	"       isp echo PERIOD FAILURES\n"
	"       isp pppoe IFACE [ac-name NAME] [service NAME]\n"
	"       isp show\n"
	"       isp -f FILE";

static bool copy_str(char *dst, size_t room, const char *src)
{
	if (strlen(src) >= room)
		return false;
	memcpy(dst, src, strlen(src) + 1);
	return true;
}

/* isp auth pap|chap [user NAME] secret SECRET */
static int isp_auth(struct isp_node *isp, int argc, char **argv, const char **err)
{
	struct ppp_conf *c = &isp->conf;
	if (argc < 4 || (strcmp(argv[1], "pap") != 0 && strcmp(argv[1], "chap") != 0))
		return *err = "auth: pap or chap, then the secret", -1;
	c->auth = strcmp(argv[1], "pap") == 0 ? PPP_AUTH_PAP : PPP_AUTH_CHAP_MD5;
	c->authname[0] = '\0';
	c->authkey[0] = '\0';
	for (int i = 2; i < argc; i += 2) {
		bool ok = i + 1 < argc;
		if (ok && strcmp(argv[i], "user") == 0)
			ok = copy_str(c->authname, sizeof c->authname, argv[i + 1]);
		else if (ok && strcmp(argv[i], "secret") == 0)
			ok = copy_str(c->authkey, sizeof c->authkey, argv[i + 1]);
		else
			ok = false;
		if (!ok)
			return *err = "auth: expected `user NAME` or `secret SECRET`", -1;
	}
	return 0;
}

/* isp ipcp local ADDR pool FIRST[-LAST] */
static int isp_ipcp(struct isp_node *isp, int argc, char **argv, const char **err)
{
	uint8_t last[4];
	char first[32];
	if (argc != 5 || strcmp(argv[1], "local") != 0 || strcmp(argv[3], "pool") != 0 ||
	    !apps_parse4(argv[2], isp->conf.my_ip4) || strlen(argv[4]) >= sizeof first)
		return *err = "ipcp: local ADDR pool FIRST[-LAST]", -1;
	snprintf(first, sizeof first, "%s", argv[4]);
	char *dash = strchr(first, '-');
	if (dash)
		*dash = '\0';
	if (!apps_parse4(first, isp->pool_first) || (dash && !apps_parse4(dash + 1, last)))
		return *err = "ipcp: bad pool address", -1;
	uint32_t lo = 0, hi = 0;
	for (int i = 0; i < 4; i++) {
		lo = lo << 8 | isp->pool_first[i];
		hi = hi << 8 | (dash ? last[i] : isp->pool_first[i]);
	}
	if (hi < lo)
		return *err = "ipcp: the pool ends before it starts", -1;
	isp->pool_size = hi - lo + 1;
	isp->pool_next = 0;
	return 0;
}

/* isp delegate PREFIX/LEN */
static int isp_delegate(struct isp_node *isp, int argc, char **argv, const char **err)
{
	char text[APPS_ADDRSTRLEN];
	long plen;
	struct sim_iface *scope;
	if (argc != 2 || strlen(argv[1]) >= sizeof text)
		return *err = "delegate: PREFIX/LEN", -1;
	snprintf(text, sizeof text, "%s", argv[1]);
	char *slash = strchr(text, '/');
	if (!slash)
		return *err = "delegate: PREFIX/LEN", -1;
	*slash = '\0';
	if (!apps_parse_long(slash + 1, 1, 128, &plen) ||
	    apps_parse6(isp->node, text, isp->delegate, &scope) != 0 || scope)
		return *err = "delegate: bad prefix", -1;
	isp->delegate_plen = (uint8_t)plen;
	return 0;
}

/* isp echo PERIOD FAILURES */
static int isp_echo(struct isp_node *isp, int argc, char **argv, const char **err)
{
	long period, failures;
	if (argc != 3 || !apps_parse_long(argv[1], 1, 3600, &period) ||
	    !apps_parse_long(argv[2], 1, 100, &failures))
		return *err = "echo: PERIOD FAILURES (seconds, count)", -1;
	isp->conf.echo = true;
	isp->conf.echo_period_s = (uint32_t)period;
	isp->conf.echo_failures = (uint32_t)failures;
	return 0;
}

/* isp pppoe IFACE [ac-name NAME] [service NAME] */
static int isp_pppoe(struct isp_node *isp, int argc, char **argv, const char **err)
{
	const char *ac_name = isp->node->name, *service = "";
	if (argc < 2 || argc % 2 != 0)
		return *err = "pppoe: IFACE [ac-name NAME] [service NAME]", -1;
	for (int i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "ac-name") == 0)
			ac_name = argv[i + 1];
		else if (strcmp(argv[i], "service") == 0)
			service = argv[i + 1];
		else
			return *err = "pppoe: IFACE [ac-name NAME] [service NAME]", -1;
	}
	if (isp->ac)
		return *err = "pppoe: already serving", -1;
	isp->pppoe_if = sim_iface_find(isp->node, argv[1]);
	if (!isp->pppoe_if)
		return *err = "pppoe: no such interface", -1;
	struct pppoe_ac_cb cb = { .session_up = ac_session_up, .session_down = ac_session_down,
		                  .recv = ac_recv, .user = isp };
	isp->ac = pppoe_ac_start(isp->pppoe_if, ac_name, service, &cb);
	if (!isp->ac)
		return *err = "pppoe: cannot start the access concentrator", -1;
	return 0;
}

static const char *const phase_names[] = { "Dead", "Establish", "Authenticate", "Network",
	                                   "Terminate" };

/* isp show: one line per session, like a BRAS's "show subscribers". */
static int isp_show(struct isp_node *isp, int argc, char **argv, const char **err)
{
	char a4[32], a6[APPS_ADDRSTRLEN];
	(void)argv;
	if (argc != 1)
		return *err = "show: no arguments", -1;
	apps_say(isp->node, "Iface Session Phase        IPv4            IPv6 peer");
	for (int i = 0; i < ISP_MAX_SESSIONS; i++) {
		const struct isp_session *s = &isp->sess[i];
		if (!s->pppoe)
			continue;
		uint8_t ll[16] = { 0xfe, 0x80 };
		memcpy(ll + 8, s->his_ifid, 8);
		apps_fmt4(a4, sizeof a4, s->his_ip4);
		apps_fmt6(a6, sizeof a6, ll, s->ifp);
		enum ppp_phase ph = s->ppp ? ppp_phase_of(s->ppp) : PPP_PHASE_DEAD;
		apps_say(isp->node, "%-5s 0x%-5x %-12s %-15s %s", s->ifp->name,
		         pppoe_session_id(s->pppoe), phase_names[ph], s->ip4_up ? a4 : "-",
		         s->ip6_up ? a6 : "-");
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct isp_node *isp, int argc, char **argv, const char **err);
} isp_cmds[] = {
	{ "auth", isp_auth },   { "delegate", isp_delegate }, { "echo", isp_echo },
	{ "ipcp", isp_ipcp },   { "pppoe", isp_pppoe },       { "show", isp_show },
};

static int isp_statement(struct isp_node *isp, int argc, char **argv, const char **err)
{
	for (size_t i = 0; i < sizeof isp_cmds / sizeof isp_cmds[0]; i++)
		if (strcmp(argv[0], isp_cmds[i].name) == 0)
			return isp_cmds[i].fn(isp, argc, argv, err);
	*err = NULL; /* the caller names the word */
	return -1;
}

/* Words of one configuration line ("..." quoting, # comments). */
static int split_line(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;
	while (argc < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (*p == '"') {
			argv[argc++] = ++p;
			while (*p && *p != '"')
				p++;
			if (!*p)
				return -1;
		} else {
			argv[argc++] = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (!*p)
				break;
		}
		*p++ = '\0';
	}
	return argc;
}

/* One line of a configuration file; 0 when fine or empty, else -1 and
 * the message in msg. */
static int isp_line(struct isp_node *isp, const char *text, size_t n, char *msg, size_t len)
{
	char line[ISP_LINE_MAX], *argv[16];
	const char *err = NULL;
	int argc = -2;
	if (n < sizeof line) {
		memcpy(line, text, n);
		line[n] = '\0';
		argc = split_line(line, argv, 16);
	}
	if (argc == 0)
		return 0;
	if (argc > 0 && isp_statement(isp, argc, argv, &err) == 0)
		return 0;
	if (argc == -2)
		snprintf(msg, len, "line too long");
	else if (argc == -1)
		snprintf(msg, len, "unterminated quote");
	else if (!err)
		snprintf(msg, len, "unknown statement '%s'", argv[0]);
	else
		snprintf(msg, len, "%s", err);
	return -1;
}

/* isp -f FILE: every statement of the file, errors as FILE:LINE: message. */
static int isp_file(struct isp_node *isp, const char *path)
{
	const struct sim_file *f = sim_file_get(isp->node, path);
	if (!f) {
		apps_say(isp->node, "isp: %s: No such file or directory", path);
		return 1;
	}
	int lineno = 0, rc = 0;
	for (const char *p = f->data; *p;) {
		const char *nl = strchr(p, '\n');
		char msg[ISP_LINE_MAX + 32];
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (isp_line(isp, p, n, msg, sizeof msg) < 0) {
			apps_say(isp->node, "isp: %s:%d: %s", path, lineno, msg);
			rc = 1;
		}
		p += n + (nl != NULL);
	}
	return rc;
}

int cmd_isp(struct sim_node *n, int argc, char **argv)
{
	const char *err = NULL;
	if (n->kind != NODE_ISP) {
		apps_say(n, "isp: %s is not an isp node", n->name);
		return 1;
	}
	struct isp_node *isp = isp_get(n);
	if (argc == 3 && strcmp(argv[1], "-f") == 0)
		return isp_file(isp, argv[2]);
	if (argc < 2) {
		apps_say(n, "%s", isp_usage);
		return APPS_EX_USAGE;
	}
	if (isp_statement(isp, argc - 1, argv + 1, &err) == 0)
		return 0;
	if (err) {
		apps_say(n, "isp: %s", err);
		return 1;
	}
	apps_say(n, "isp: unknown statement '%s'\n%s", argv[1], isp_usage);
	return APPS_EX_USAGE;
}
