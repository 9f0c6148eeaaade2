/*
 * ppp(8) in interactive mode, as the seed runs it on k7:
 *
 *   [~] root@k7>ppp pppoe6
 *   Loading /lib/libalias_cuseeme.so        (x7, when `nat enable yes`)
 *   Working in interactive mode
 *   Using interface: tun0
 *   ppp ON k7> dial
 *   ppp ON k7> Warning: deflink: Reducing configured MRU from 1500 to 1492
 *   Ppp ON k7> ...
 *   PPP ON k7>
 *
 * It reads /etc/ppp/ppp.conf (conf/ppp_conf.c), owns tun0, runs PPPoE
 * (link/pppoe.c) under PPP (link/ppp.c), gives tun0 its addresses when
 * IPCP / IPV6CP open and installs the sticky routes (`add default
 * HISADDR6`). Lines typed while it runs whose first word is one of its
 * commands (`dial`, `close`, `quit`, `set ...`) go to its prompt; others
 * run in another terminal, as in the seed.
 *
 * The terminal is modelled the way ppp's prompt.c drives it: the prompt is
 * printed without a newline when something asks for it (a phase change, an
 * NCP coming up, a command typed), and a message printed while the prompt
 * is on screen lands after it ("PPp ON k7> Warning: ..."). The line on
 * screen enters the transcript when it ends, when the node runs another
 * command (the user looks at another terminal), or, when the link's news
 * put it there, after TERM_QUIET of nothing more on it (so "PPP ON k7> "
 * is seen when the link comes up; the prompt answering a typed command
 * waits for the next one). A
 * message arriving later is shown after the same prompt again, as the
 * screen would show it.
 */
#include "apps_int.h"
#include "../conf/ppp_conf.h"
#include "../link/ppp.h"
#include "../link/pppoe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ppp(8)'s link, as its datalink sees it. */
enum pppd_state { PPPD_CLOSED, PPPD_OPENING, PPPD_UP, PPPD_REDIAL, PPPD_QUIT, PPPD_NSTATES };
static const char *const pppd_state_names[PPPD_NSTATES] = {
	"closed", "opening", "up", "redial-wait", "quit",
};

enum pppd_event { EV_DIAL, EV_CARRIER, EV_LOST, EV_CLOSE, EV_REDIAL_TIMER, EV_QUIT };

/* The terminal ppp's prompt writes to (prompt.c's needprompt/nonewline). */
struct term {
	char line[512];              /* on screen, not ended yet */
	size_t len;
	char shown[512];             /* what was on screen when it was put in the transcript */
	bool needprompt, nonewline;
	struct sim_timer quiet;      /* flushes a line left alone for TERM_QUIET */
	bool typing;                 /* a typed command is being answered: no quiet flush */
};

struct pppd {
	struct sim_node *node;
	struct ppp_settings cfg;
	char label[64];
	struct sim_iface *tun, *dev;
	struct ppp_link *link;
	struct pppoe_session *session;
	bool stopping;               /* we are stopping the session: ignore its `down` */
	enum pppd_state state;
	enum ppp_phase phase;
	bool ipcp_up, ipv6cp_up, user_closed;
	uint8_t my4[4], his4[4], my6[16], his6[16];
	uint32_t tries;              /* dials since the link last reached the network phase */
	uint64_t gen;                /* bumped per dial: stale deferred events are ignored */
	struct sim_timer cd_timer, redial_timer;
	struct term term;
};

/* FreeBSD 8's /etc/libalias.conf: libalias loads each at start-up. */
static const char *const libalias_modules[] = {
	"/lib/libalias_cuseeme.so", "/lib/libalias_ftp.so", "/lib/libalias_irc.so",
	"/lib/libalias_nbt.so", "/lib/libalias_pptp.so", "/lib/libalias_skinny.so",
	"/lib/libalias_smedia.so",
};

#define ECHO_FAILURES 5
/* Longer than the gaps between a prompt and the message that follows it
 * while the link comes up (a few round trips), short enough for a
 * scenario to see the prompt soon. */
#define TERM_QUIET SIM_S

static void pppd_transition(struct pppd *st, enum pppd_event ev);

/* ---- the terminal ------------------------------------------------------------ */

static void term_end_line(struct pppd *st)
{
	struct term *t = &st->term;
	t->line[t->len] = '\0';
	sim_say(st->node, "%s", t->line);
	t->len = 0;
	t->shown[0] = '\0';
}

/* Put the line on screen into the transcript (the user switched terminals). */
static void term_flush(struct pppd *st)
{
	struct term *t = &st->term;
	timer_cancel(&t->quiet);
	if (t->len == 0)
		return;
	t->line[t->len] = '\0';
	sim_say(st->node, "%s", t->line);
	memcpy(t->shown, t->line, t->len + 1);
	t->len = 0;
}

static void term_quiet(struct sim *sim, void *obj, uint64_t arg)
{
	struct pppd *st = obj;
	(void)sim;
	if (timer_current(&st->term.quiet, arg))
		term_flush(st);
}

/* Text onto the screen; '\n' ends the line on screen. */
static void term_write(struct pppd *st, const char *text)
{
	struct term *t = &st->term;
	if (t->len == 0 && t->shown[0]) {
		/* The screen still shows the line we put in the transcript. */
		t->len = (size_t)snprintf(t->line, sizeof t->line, "%s", t->shown);
		t->shown[0] = '\0';
	}
	for (; *text; text++) {
		if (*text == '\n')
			term_end_line(st);
		else if (t->len + 1 < sizeof t->line)
			t->line[t->len++] = *text;
	}
	if (t->len > 0 && !t->typing)
		timer_arm(st->node->sim, &t->quiet, st->node->sim->now + TERM_QUIET, term_quiet, st);
	else
		timer_cancel(&t->quiet);
}

/* prompt_Printf: a message while the prompt may be on screen. */
static void term_printf(struct pppd *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void term_printf(struct pppd *st, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	term_write(st, buf);
	st->term.nonewline = true;
}

/* prompt_Display: "ppp", "Ppp", "PPp" or "PPP" as in ppp's prompt.c. */
static void term_display(struct pppd *st)
{
	struct term *t = &st->term;
	const char *pconnect = "ppp";
	if (!t->needprompt || st->state == PPPD_QUIT)
		return;
	t->needprompt = false;
	if (t->nonewline)
		t->nonewline = false;
	else
		term_write(st, "\n");
	if (st->ipcp_up || (!st->cfg.ipcp && st->ipv6cp_up))
		pconnect = "PPP";
	else if (st->phase == PPP_PHASE_NETWORK)
		pconnect = "PPp";
	else if (st->phase == PPP_PHASE_AUTHENTICATE)
		pconnect = "Ppp";
	char prompt[SIM_NAME_MAX + 16];
	snprintf(prompt, sizeof prompt, "%s ON %s> ", pconnect, st->node->name);
	term_write(st, prompt);
}

/* A message as ppp's log_Printf shows it: "Warning: ..." as given; a
 * message without a level is a Phase one. */
static void log_line(struct pppd *st, const char *msg)
{
	if (!msg || !*msg)
		return;
	size_t n = strlen(msg);
	bool nl = msg[n - 1] == '\n';
	bool leveled = strncmp(msg, "Warning: ", 9) == 0 || strncmp(msg, "Error: ", 7) == 0 ||
	               strncmp(msg, "Phase: ", 7) == 0 || strncmp(msg, "Alert: ", 7) == 0;
	term_printf(st, "%s%s%s", leveled ? "" : "Phase: ", msg, nl ? "" : "\n");
}

static void ppp_warn(void *user, int line, const char *msg)
{
	(void)line;
	term_printf(user, "Warning: %s\n", msg);
}

/* ---- tun0 ------------------------------------------------------------------- */

/* IP leaving through tun0 goes into the PPP link (or is lost if its NCP is not open). */
static void tun_output(struct sim_iface *ifp, struct pbuf *p, int family)
{
	struct pppd *st = ifp->output_user;
	size_t len = p->len;
	if (st && st->link && ppp_output_ip(st->link, family, pbuf_data(p), len) == 0) {
		ifp->opackets++;
		ifp->obytes += len;
	} else {
		ifp->oerrors++;
	}
	pbuf_release(ifp->node->sim, p);
}

static struct sim_iface *tun_open(struct pppd *st)
{
	struct sim_node *n = st->node;
	struct sim_iface *ifp = sim_iface_find(n, "tun0");
	static const uint8_t nomac[6];
	if (!ifp)
		ifp = sim_iface_add(n, "tun0", nomac); /* the next if_index, as tun(4) cloning */
	if (!ifp)
		return NULL;
	ifp->flags = SIM_IFF_POINTOPOINT | SIM_IFF_MULTICAST;
	ifp->mtu = 1500;
	ifp->output = tun_output;
	ifp->output_user = st;
	return ifp;
}

/* The classful mask ppp(8) gives the interface when `set ifaddr` gave none
 * (the seed's tun0: "netmask 0xffffff00"). */
static uint8_t classful_plen(const uint8_t a[4])
{
	if (a[0] < 128)
		return 8;
	return a[0] < 192 ? 16 : 24;
}

static uint8_t mask_plen(const uint8_t m[4])
{
	uint8_t plen = 0;
	for (int i = 0; i < 4; i++)
		for (int b = 7; b >= 0 && (m[i] >> b & 1); b--)
			plen++;
	return plen;
}

/* Install the sticky routes of one family now that its NCP is up. */
static void routes_add(struct pppd *st, int family)
{
	struct net_node *net = st->node->net;
	for (size_t i = 0; net && i < st->cfg.nroutes; i++) {
		const struct ppp_conf_route *c = &st->cfg.routes[i];
		if (c->family != family)
			continue;
		struct route r = { .family = (uint8_t)family, .plen = c->plen, .ifp = st->tun,
		                   .flags = RTF_UP | RTF_GATEWAY | RTF_STATIC, .expires = SIM_NEVER };
		memcpy(r.dst, c->dst, 16);
		if (c->gw == PPP_GW_ADDR)
			memcpy(r.gateway, c->gw_addr, 16);
		else
			memcpy(r.gateway, family == 6 ? st->his6 : st->his4, family == 6 ? 16 : 4);
		struct route_table *t = family == 6 ? &net->rt6 : &net->rt4;
		route_delete(t, r.family, r.dst, r.plen); /* ppp(8) replaces (RTM_CHANGE) */
		route_add(t, &r);
	}
}

static void routes_del(struct pppd *st, int family)
{
	struct net_node *net = st->node->net;
	for (size_t i = 0; net && i < st->cfg.nroutes; i++) {
		const struct ppp_conf_route *c = &st->cfg.routes[i];
		if (c->family == family)
			route_delete(family == 6 ? &net->rt6 : &net->rt4, (uint8_t)family, c->dst, c->plen);
	}
}

static void tun_up(struct pppd *st)
{
	st->tun->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	uint16_t mtu = st->cfg.mtu ? st->cfg.mtu : (st->link ? ppp_mtu(st->link) : 0);
	st->tun->mtu = mtu ? mtu : 1500;
}

static void tun_down_family(struct pppd *st, int family)
{
	routes_del(st, family);
	if (family == 6) {
		in6_addr_del(st->tun, st->my6);
		st->ipv6cp_up = false;
	} else {
		in4_addr_delete(st->tun, st->my4);
		st->ipcp_up = false;
	}
	if (!st->ipcp_up && !st->ipv6cp_up)
		st->tun->flags &= ~(uint32_t)(SIM_IFF_UP | SIM_IFF_RUNNING);
}

/* ---- PPP's callbacks ------------------------------------------------------------ */

static void cb_send(void *user, const uint8_t *frame, size_t len)
{
	struct pppd *st = user;
	if (st->session)
		pppoe_send(st->session, frame, len);
}

static void cb_log(void *user, const char *msg)
{
	log_line(user, msg);
	term_display(user);
}

/* ppp's bundle_NewPhase asks for the prompt: it shows the phase. */
static void cb_phase(void *user, enum ppp_phase phase)
{
	struct pppd *st = user;
	if (phase == st->phase)
		return;
	st->phase = phase;
	if (phase == PPP_PHASE_NETWORK)
		st->tries = 0; /* the dial worked */
	st->term.needprompt = true;
	term_display(st);
}

static void cb_auth_result(void *user, bool ok, const char *msg)
{
	if (!ok)
		log_line(user, msg);
	term_display(user);
}

static void cb_ipcp_up(void *user, const uint8_t my[4], const uint8_t his[4])
{
	struct pppd *st = user;
	uint8_t plen = st->cfg.netmask[0] ? mask_plen(st->cfg.netmask) : classful_plen(my);
	memcpy(st->my4, my, 4);
	memcpy(st->his4, his, 4);
	tun_up(st);
	in4_addr_add(st->tun, my, plen, his);
	st->ipcp_up = true;
	routes_add(st, 4);
	st->term.needprompt = true; /* ipcp_LayerUp: log_DisplayPrompts() */
	term_display(st);
}

static bool has_hisaddr6_route(const struct pppd *st)
{
	for (size_t i = 0; i < st->cfg.nroutes; i++)
		if (st->cfg.routes[i].gw == PPP_GW_HISADDR6)
			return true;
	return false;
}

/*
 * tun0 gets fe80::MY-IFID/64 (the seed: fe80::20f:eaff:fe2c:d518%tun0),
 * the IPv6 sticky routes go via fe80::HIS-IFID%tun0. ppp(8) on FreeBSD 8
 * re-sets its sticky routes when IPV6CP opens before IPCP has, and the
 * kernel refuses the change of the unscoped "::/" default: the seed's
 * "Warning: ::/: Change route failed: errno: No such process". The route
 * is in place all the same (the seed's netstat shows it).
 */
static void cb_ipv6cp_up(void *user, const uint8_t my_ifid[8], const uint8_t his_ifid[8])
{
	struct pppd *st = user;
	static const uint8_t ll[8] = { 0xfe, 0x80 };
	memcpy(st->my6, ll, 8);
	memcpy(st->my6 + 8, my_ifid, 8);
	memcpy(st->his6, ll, 8);
	memcpy(st->his6 + 8, his_ifid, 8);
	tun_up(st);
	in6_addr_add(st->tun, st->my6, 64, 0, SIM_NEVER, SIM_NEVER);
	st->ipv6cp_up = true;
	routes_add(st, 6);
	if (!st->ipcp_up && st->cfg.ipcp && has_hisaddr6_route(st))
		term_printf(st, "Warning: ::/: Change route failed: errno: No such process\n");
	st->term.needprompt = true;
	term_display(st);
}

static void cb_ncp_down(void *user, uint16_t proto)
{
	struct pppd *st = user;
	tun_down_family(st, proto == PPP_IPV6CP ? 6 : 4);
	term_display(st);
}

/* LCP finished. Not from inside PPP: the link is taken down by an event. */
static void lost_event(struct sim *sim, void *obj, uint64_t gen)
{
	struct pppd *st = obj;
	(void)sim;
	if (gen == st->gen)
		pppd_transition(st, EV_LOST);
	term_display(st);
}

static void cb_link_down(void *user, const char *why)
{
	struct pppd *st = user;
	if (!st->user_closed && st->state != PPPD_QUIT)
		log_line(st, why);
	if (st->ipcp_up)
		tun_down_family(st, 4);
	if (st->ipv6cp_up)
		tun_down_family(st, 6);
	sim_after(st->node->sim, 0, lost_event, st, st->gen);
	term_display(st);
}

static void cb_ip_input(void *user, int family, const uint8_t *pkt, size_t len)
{
	struct pppd *st = user;
	st->tun->ipackets++;
	st->tun->ibytes += len;
	if (family == 6)
		ip6_input(st->tun, pkt, len);
	else
		ip4_input(st->tun, pkt, len);
}

/* ---- PPPoE's callbacks --------------------------------------------------------- */

static void pppoe_up(void *user, struct pppoe_session *s)
{
	struct pppd *st = user;
	if (s == st->session)
		pppd_transition(st, EV_CARRIER);
	term_display(st);
}

static void pppoe_down(void *user, const char *why)
{
	struct pppd *st = user;
	if (st->stopping)
		return;
	log_line(st, why);
	pppd_transition(st, EV_LOST);
	term_display(st);
}

static void pppoe_recv(void *user, const uint8_t *frame, size_t len)
{
	struct pppd *st = user;
	if (st->link)
		ppp_input(st->link, frame, len);
}

/* ---- the link: dial, carrier, lost, redial ---------------------------------------- */

static void cd_timeout(struct sim *sim, void *obj, uint64_t arg)
{
	struct pppd *st = obj;
	(void)sim;
	if (!timer_current(&st->cd_timer, arg))
		return;
	st->cd_timer.when = SIM_NEVER;
	pppd_transition(st, EV_LOST); /* no carrier (no PADS) within `set cd` */
	term_display(st);
}

static void redial_timeout(struct sim *sim, void *obj, uint64_t arg)
{
	struct pppd *st = obj;
	(void)sim;
	if (!timer_current(&st->redial_timer, arg))
		return;
	st->redial_timer.when = SIM_NEVER;
	pppd_transition(st, EV_REDIAL_TIMER);
	term_display(st);
}

static bool start_link(struct pppd *st)
{
	static const struct pppoe_client_cb cb0 = { pppoe_up, pppoe_down, pppoe_recv, NULL };
	struct pppoe_client_cb cb = cb0;
	cb.user = st;
	st->gen++;
	st->tries++;
	st->user_closed = false;
	st->stopping = false;
	if (!st->dev) {
		term_printf(st, "Warning: deflink: %s: No such device\n", st->cfg.device);
		return false;
	}
	st->session = pppoe_client_start(st->dev, st->cfg.pppoe_service, &cb);
	if (!st->session)
		return false;
	if (st->phase != PPP_PHASE_ESTABLISH) {
		st->phase = PPP_PHASE_ESTABLISH; /* bundle_NewPhase at dial */
		st->term.needprompt = true;
	}
	ppp_open(st->link);
	if (st->cfg.cd_s)
		timer_arm(st->node->sim, &st->cd_timer, st->node->sim->now + st->cfg.cd_s * SIM_S,
		          cd_timeout, st);
	return true;
}

/* PADT (when the session is up) and PPP's lower layer down. */
static void stop_link(struct pppd *st, bool was_up)
{
	timer_cancel(&st->cd_timer);
	st->cd_timer.when = SIM_NEVER;
	st->gen++;
	if (st->session) {
		st->stopping = true;
		pppoe_client_stop(st->session);
		st->session = NULL;
		st->stopping = false;
	}
	if (was_up)
		ppp_lower_down(st->link);
	if (st->phase != PPP_PHASE_DEAD) {
		st->phase = PPP_PHASE_DEAD;
		st->term.needprompt = true;
	}
}

/* After a lost link: again after `set redial` seconds, while attempts last (0: always). */
static enum pppd_state after_lost(struct pppd *st)
{
	uint32_t max = st->cfg.redial_attempts;
	if (st->user_closed || (max && st->tries > max))
		return PPPD_CLOSED;
	timer_arm(st->node->sim, &st->redial_timer,
	          st->node->sim->now + (sim_time)st->cfg.redial_s * SIM_S, redial_timeout, st);
	return PPPD_REDIAL;
}

/* ppp(8)'s datalink automaton, reduced to what a PPPoE link needs. */
static void pppd_transition(struct pppd *st, enum pppd_event ev)
{
	enum pppd_state s = st->state, next = s;
	switch (ev) {
	case EV_DIAL:
	case EV_REDIAL_TIMER:
		if (s == PPPD_CLOSED || s == PPPD_REDIAL) {
			timer_cancel(&st->redial_timer);
			next = start_link(st) ? PPPD_OPENING : PPPD_CLOSED;
		}
		break;
	case EV_CARRIER:
		if (s == PPPD_OPENING) {
			timer_cancel(&st->cd_timer);
			st->cd_timer.when = SIM_NEVER;
			ppp_lower_up(st->link, PPPOE_MTU);
			next = PPPD_UP;
		}
		break;
	case EV_LOST:
		if (s == PPPD_OPENING || s == PPPD_UP) {
			stop_link(st, s == PPPD_UP);
			next = after_lost(st);
		}
		break;
	case EV_CLOSE:
		st->user_closed = true;
		timer_cancel(&st->redial_timer);
		if (s == PPPD_UP)
			ppp_close(st->link, "close"); /* LCP terminates, then EV_LOST */
		else if (s == PPPD_OPENING)
			stop_link(st, false);
		next = s == PPPD_UP ? PPPD_UP : PPPD_CLOSED;
		break;
	case EV_QUIT:
		st->state = PPPD_QUIT; /* no prompt any more while PPP winds down */
		timer_cancel(&st->redial_timer);
		if (s == PPPD_UP)
			ppp_close(st->link, "quit");
		stop_link(st, s == PPPD_UP);
		next = PPPD_QUIT;
		break;
	}
	st->state = next;
}

/* ---- the prompt's commands ---------------------------------------------------- */

static void foreground_off(struct pppd *st)
{
	apps_set_foreground(st->node, NULL);
}

/* `show link`, reduced to the state of the one link. */
static void show_cmd(struct pppd *st, int argc, char **argv)
{
	if (argc > 1 && strncasecmp(argv[1], "link", strlen(argv[1])) == 0) {
		term_printf(st, "Name: deflink\n");
		term_printf(st, " State:           %s\n", pppd_state_names[st->state]);
		term_printf(st, " Device:          %s\n", st->cfg.device);
		return;
	}
	term_printf(st, "Use ``show ?'' to get a list.\n");
}

/* A line typed at the prompt, its words already split. */
static int prompt_command(struct pppd *st, const char *line, int argc, char **argv)
{
	const char *w = argv[0];
	if (strcasecmp(w, "dial") == 0 || strcasecmp(w, "call") == 0 ||
	    strcasecmp(w, "open") == 0) {
		pppd_transition(st, EV_DIAL);
	} else if (strcasecmp(w, "close") == 0 || strcasecmp(w, "down") == 0) {
		pppd_transition(st, EV_CLOSE);
	} else if (strcasecmp(w, "quit") == 0 || strcasecmp(w, "bye") == 0) {
		pppd_transition(st, EV_QUIT);
		foreground_off(st);
	} else if (strcasecmp(w, "show") == 0) {
		show_cmd(st, argc, argv);
	} else {
		/* set, enable, add, ...: the settings apply from the next dial on. */
		return ppp_conf_command(&st->cfg, line, 0, ppp_warn, st) ? 1 : 0;
	}
	return 0;
}

static bool fg_owns(void *user, const char *word)
{
	(void)user;
	return ppp_conf_is_command(word);
}

/* Typed at "ppp ON k7> ": the echo ends the line on screen. */
static int fg_run(void *user, const char *cmdline)
{
	struct pppd *st = user;
	char buf[256];
	char *argv[16];
	int argc = 0;
	term_printf(st, "%s\n", cmdline);
	snprintf(buf, sizeof buf, "%s", cmdline);
	for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w && argc < 16;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	st->term.nonewline = true; /* prompt_Read: the next prompt needs no newline */
	st->term.needprompt = true;
	st->term.typing = true;
	int rc = argc ? prompt_command(st, cmdline, argc, argv) : 0;
	term_display(st);
	st->term.typing = false;
	return rc;
}

static void fg_other(void *user)
{
	term_flush(user);
}

/* ---- the command and its lifetime ----------------------------------------------- */

static void pppd_free_hook(struct sim *sim, void *user)
{
	struct pppd *st = user;
	(void)sim;
	if (st->session) {
		st->stopping = true;
		pppoe_client_stop(st->session);
	}
	if (st->link)
		ppp_free(st->link);
	if (st->tun && st->tun->output_user == st)
		st->tun->output_user = NULL;
	free(st);
}

static struct pppd *pppd_get(struct sim_node *n)
{
	if (!n->apps)
		apps_node_init(n);
	if (!n->apps)
		return NULL;
	if (!n->apps->ppp) {
		struct pppd *st = sim_xcalloc(1, sizeof *st);
		st->node = n;
		st->state = PPPD_QUIT;
		st->cd_timer.when = st->redial_timer.when = SIM_NEVER;
		sim_on_free(n->sim, pppd_free_hook, st);
		n->apps->ppp = st;
	}
	return n->apps->ppp;
}

/* The PPP engine's settings from ppp.conf's. */
static void make_ppp_conf(const struct pppd *st, struct ppp_conf *pc)
{
	const struct ppp_settings *c = &st->cfg;
	memset(pc, 0, sizeof *pc);
	pc->authenticator = c->enable_pap || c->enable_chap;
	pc->auth = c->enable_chap ? PPP_AUTH_CHAP_MD5 : c->enable_pap ? PPP_AUTH_PAP : PPP_AUTH_NONE;
	snprintf(pc->authname, sizeof pc->authname, "%s", c->authname);
	snprintf(pc->authkey, sizeof pc->authkey, "%s", c->authkey);
	pc->mru = c->mru;
	pc->echo = c->echo;
	pc->echo_period_s = c->echo_period_s;
	pc->echo_failures = ECHO_FAILURES;
	pc->lqr = c->lqr;
	pc->lqr_period_s = c->lqr_period_s;
	pc->ipcp = c->ipcp;
	pc->ipv6cp = c->ipv6cp;
	if (c->ifaddr_set && c->my_plen == 32)
		memcpy(pc->my_ip4, c->my_ip4, 4);
	if (c->ifaddr_set && c->his_plen == 32)
		memcpy(pc->his_ip4, c->his_ip4, 4);
	/* ppp(8)'s IPV6CP uses the EUI-64 of the host's Ethernet interface. */
	if (st->dev)
		in6_eui64(st->dev->mac, pc->my_ifid);
	pc->restart_ms = 3000;
	pc->max_configure = 10;
	pc->max_terminate = 2;
	pc->max_failure = 5;
}

/* Warnings of the file are kept until the prompt exists (ppp reads the
 * label after "Using interface: tun0"). */
struct pending {
	char text[2048];
	size_t len;
};

static void pending_warn(void *user, int line, const char *msg)
{
	struct pending *p = user;
	(void)line;
	int k = snprintf(p->text + p->len, sizeof p->text - p->len, "Warning: %s\n", msg);
	if (k > 0 && p->len + (size_t)k < sizeof p->text)
		p->len += (size_t)k;
}

/* The Ethernet interface of "PPPoE:sk0" (NULL: dial says so). */
static struct sim_iface *find_device(struct pppd *st)
{
	if (!st->cfg.device_pppoe)
		return NULL;
	return sim_iface_find(st->node, st->cfg.pppoe_iface);
}

static void start_session(struct pppd *st)
{
	static const struct ppp_cb cb0 = {
		cb_send, cb_log, cb_phase, cb_auth_result, cb_ipcp_up, cb_ipv6cp_up,
		cb_ncp_down, cb_link_down, cb_ip_input, NULL,
	};
	struct ppp_cb cb = cb0;
	struct ppp_conf pc;
	struct apps_fg fg = { fg_owns, fg_run, fg_other, st };
	cb.user = st;
	if (st->link)
		ppp_free(st->link);
	st->dev = find_device(st);
	make_ppp_conf(st, &pc);
	st->link = ppp_new(st->node->sim, &pc, &cb);
	st->state = PPPD_CLOSED;
	st->phase = PPP_PHASE_DEAD;
	st->ipcp_up = st->ipv6cp_up = st->user_closed = false;
	st->tries = 0;
	timer_cancel(&st->term.quiet);
	uint64_t gen = st->term.quiet.gen;
	memset(&st->term, 0, sizeof st->term);
	st->term.quiet.gen = gen; /* events of the old timer stay stale */
	st->term.quiet.when = SIM_NEVER;
	st->term.nonewline = st->term.needprompt = true; /* prompt_Create */
	apps_set_foreground(st->node, &fg);
}

/* `ppp [-interactive] [LABEL]`: only ppp(8)'s interactive mode. */
int cmd_ppp(struct sim_node *n, int argc, char **argv)
{
	struct pending warnings = { .len = 0 };
	const char *label = "default";
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-interactive") != 0 && strcmp(argv[i], "-quiet") != 0)
			label = argv[i];
	struct pppd *st = pppd_get(n);
	if (!st)
		return 1;
	if (st->state != PPPD_QUIT) {
		apps_say(n, "ppp: tun0: Device busy");
		return 1;
	}
	const struct sim_file *f = sim_file_get(n, PPP_CONF_PATH);
	if (!f) {
		apps_say(n, "%s: %s : File not found", label, PPP_CONF_PATH);
		return 1;
	}
	if (ppp_conf_load(&st->cfg, f->data, label, pending_warn, &warnings) < 0) {
		apps_say(n, "%s: Configuration label not found", label);
		return 1;
	}
	snprintf(st->label, sizeof st->label, "%s", label);
	for (size_t i = 0; st->cfg.nat && i < sizeof libalias_modules / sizeof *libalias_modules; i++)
		apps_say(n, "Loading %s", libalias_modules[i]);
	apps_say(n, "Working in interactive mode");
	st->tun = tun_open(st);
	if (!st->tun) {
		apps_say(n, "ppp: No tunnel device is available");
		return 1;
	}
	apps_say(n, "Using interface: %s", st->tun->name);
	start_session(st);
	warnings.text[warnings.len] = '\0';
	st->term.typing = true;
	term_printf(st, "%s", warnings.text);
	term_display(st);
	st->term.typing = false;
	return 0;
}

/* ---- read-only: the state for the step view ------------------------------------ */

/* ppp(8)'s bundle.c PhaseNames. */
static const char *const phase_names[] = {
	[PPP_PHASE_DEAD] = "Dead", [PPP_PHASE_ESTABLISH] = "Establish",
	[PPP_PHASE_AUTHENTICATE] = "Authenticate", [PPP_PHASE_NETWORK] = "Network",
	[PPP_PHASE_TERMINATE] = "Terminate",
};

static const char *fsm_name(const struct ppp_link *l, uint16_t proto)
{
	enum ppp_fsm_state s = ppp_fsm_state_of(l, proto);
	return s < PPP_FSM_NSTATES ? ppp_fsm_state_names[s] : "?";
}

bool ppp_status(const struct sim_node *n, char *buf, size_t len)
{
	const struct pppd *st = n->apps ? n->apps->ppp : NULL;
	if (!st || st->state == PPPD_QUIT || !st->link)
		return false;
	snprintf(buf, len, "phase %s, LCP %s, IPCP %s, IPV6CP %s",
	         (unsigned)st->phase < sizeof phase_names / sizeof *phase_names
	                 ? phase_names[st->phase] : "?",
	         fsm_name(st->link, PPP_LCP), fsm_name(st->link, PPP_IPCP),
	         fsm_name(st->link, PPP_IPV6CP));
	return true;
}
