/*
 * ppp.conf: sections, words and ppp(8)'s command tables (see ppp_conf.h).
 * The tables keep ppp(8)'s names, aliases and usage strings so that what
 * is reported reads as ppp(8) reports it; commands ppp(8) knows but the
 * model has no use for (set log, set timeout, ...) are accepted and
 * ignored rather than called invalid.
 */
#include "ppp_conf.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 40
#define LINE_MAX_LEN 512
#define DEF_MRU 1500
#define MIN_MRU 296
#define MAX_MRU 2048
#define MIN_MTU 296
#define MAX_MTU 2048

/* A command being run: its words, where the handler's own start, and
 * where problems go. */
struct cmd_ctx {
	struct ppp_settings *s;
	int argc, argn;
	char **argv;
	int lineno;
	ppp_conf_warn_fn warn;
	void *user;
	int *warned;                 /* counts the warnings of this line */
};

typedef int (*cmd_fn)(struct cmd_ctx *c);

struct cmd {
	const char *name, *alias;
	cmd_fn fn;
	const char *syntax;
	const struct cmd *sub;       /* a list command (set, nat): its table, fn NULL */
};

static void warnf(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warnf(struct cmd_ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->warned)
		(*c->warned)++;
	if (c->warn)
		c->warn(c->user, c->lineno, msg);
}

/* ---- words --------------------------------------------------------------- */

/*
 * Split as ppp(8)'s MakeArgs(PARSE_REDUCE): blanks separate words, double
 * quotes group and are removed, a backslash keeps the next character, a
 * '#' starting a word ends the line. -1 for an unterminated quote.
 */
static int split_words(const char *line, char *buf, size_t bufsz, char **argv)
{
	int argc = 0;
	size_t o = 0;
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\n' || *p == '\r')
			return argc;
		if (argc == MAX_WORDS || o + 1 >= bufsz)
			return -1;
		argv[argc++] = buf + o;
		bool quoted = false;
		while (*p && (quoted || (*p != ' ' && *p != '\t')) && *p != '\n' && *p != '\r') {
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			if (*p == '\\' && p[1])
				p++;
			if (o + 2 >= bufsz)
				return -1;
			buf[o++] = *p++;
		}
		if (quoted)
			return -1;
		buf[o++] = '\0';
	}
}

/* Strict unsigned decimal within [0, max]. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

/* ---- set ----------------------------------------------------------------- */

static const char *arg0(const struct cmd_ctx *c)
{
	return c->argc > c->argn ? c->argv[c->argn] : "";
}

static int set_authkey(struct cmd_ctx *c)
{
	copy_str(c->s->authkey, sizeof c->s->authkey, arg0(c));
	return 0;
}

static int set_authname(struct cmd_ctx *c)
{
	copy_str(c->s->authname, sizeof c->s->authname, arg0(c));
	return 0;
}

/* "PPPoE:IFACE[:SERVICE]": ppp(8)'s netgraph PPPoE device. */
static int set_device(struct cmd_ctx *c)
{
	struct ppp_settings *s = c->s;
	const char *d = arg0(c);
	copy_str(s->device, sizeof s->device, d);
	s->device_pppoe = strncasecmp(d, "PPPoE:", 6) == 0;
	s->pppoe_iface[0] = s->pppoe_service[0] = '\0';
	if (!s->device_pppoe)
		return 0;
	const char *ifname = d + 6, *colon = strchr(ifname, ':');
	size_t n = colon ? (size_t)(colon - ifname) : strlen(ifname);
	if (n == 0 || n >= sizeof s->pppoe_iface) {
		warnf(c, "%s: Invalid device", d);
		return 1;
	}
	memcpy(s->pppoe_iface, ifname, n);
	s->pppoe_iface[n] = '\0';
	if (colon)
		copy_str(s->pppoe_service, sizeof s->pppoe_service, colon + 1);
	return 0;
}

static int set_cd(struct cmd_ctx *c)
{
	char v[16];
	unsigned long secs;
	if (c->argc != c->argn + 1)
		return -1;
	copy_str(v, sizeof v, c->argv[c->argn]);
	size_t n = strlen(v);
	bool bang = n > 0 && v[n - 1] == '!';
	if (bang)
		v[n - 1] = '\0';
	if (strcasecmp(v, "off") == 0)
		secs = 0;
	else if (!parse_uint(v, 3600, &secs))
		return -1;
	c->s->cd_s = (uint32_t)secs;
	c->s->cd_required = bang;
	return 0;
}

static int set_dial(struct cmd_ctx *c)
{
	copy_str(c->s->dial, sizeof c->s->dial, arg0(c));
	return 0;
}

static int set_login(struct cmd_ctx *c)
{
	copy_str(c->s->login, sizeof c->s->login, arg0(c));
	return 0;
}

/* "secs[+inc[-max]][.next] [attempts]": the model keeps secs and attempts. */
static int set_redial(struct cmd_ctx *c)
{
	char v[32];
	unsigned long secs, tries = c->s->redial_attempts;
	if (c->argc < c->argn + 1 || c->argc > c->argn + 2)
		return -1;
	copy_str(v, sizeof v, c->argv[c->argn]);
	v[strcspn(v, "+.")] = '\0';
	if (strcasecmp(v, "random") == 0)
		secs = 0;
	else if (!parse_uint(v, 86400, &secs))
		return -1;
	if (c->argc == c->argn + 2 && !parse_uint(c->argv[c->argn + 1], 1000000, &tries))
		return -1;
	c->s->redial_s = (uint32_t)secs;
	c->s->redial_attempts = (uint32_t)tries;
	return 0;
}

/* ADDR[/BITS] into addr and width (no /BITS: 32). */
static bool parse_ip4_range(const char *text, uint8_t addr[4], uint8_t *plen)
{
	char a[32];
	unsigned long bits = 32;
	copy_str(a, sizeof a, text);
	char *slash = strchr(a, '/');
	if (slash) {
		*slash = '\0';
		if (!parse_uint(slash + 1, 32, &bits))
			return false;
	}
	*plen = (uint8_t)bits;
	return inet_pton(AF_INET, a, addr) == 1;
}

static int set_ifaddr(struct cmd_ctx *c)
{
	struct ppp_settings *s = c->s;
	int n = c->argc - c->argn;
	if (n > 4)
		return -1;
	memset(s->my_ip4, 0, 4);
	memset(s->his_ip4, 0, 4);
	memset(s->netmask, 0, 4);
	s->my_plen = s->his_plen = 0;
	s->ifaddr_set = n > 0;
	if (n > 0 && !parse_ip4_range(c->argv[c->argn], s->my_ip4, &s->my_plen))
		return 1;
	if (n > 1 && !parse_ip4_range(c->argv[c->argn + 1], s->his_ip4, &s->his_plen))
		return 4;
	if (n > 2 && inet_pton(AF_INET, c->argv[c->argn + 2], s->netmask) != 1)
		return 1;
	return 0;
}

/* "set mru|mtu [max[imum]] [value]": 0 or no value = the default. */
static int size_value(struct cmd_ctx *c, const char *what, unsigned long min, unsigned long max,
                      uint16_t *out, uint16_t dflt)
{
	int at = c->argn;
	unsigned long v = 0;
	if (at < c->argc && (strcasecmp(c->argv[at], "max") == 0 ||
	                     strcasecmp(c->argv[at], "maximum") == 0))
		at++;
	if (c->argc > at + 1)
		return -1;
	if (at < c->argc && !parse_uint(c->argv[at], 1000000, &v))
		return -1;
	if (v && v < min) {
		warnf(c, "%s %lu: too small - min %lu", what, v, min);
		return 1;
	}
	if (v > max) {
		warnf(c, "%s %lu: too big - max %lu", what, v, max);
		return 1;
	}
	*out = v ? (uint16_t)v : dflt;
	return 0;
}

static int set_mru(struct cmd_ctx *c)
{
	return size_value(c, "MRU", MIN_MRU, MAX_MRU, &c->s->mru, DEF_MRU);
}

static int set_mtu(struct cmd_ctx *c)
{
	return size_value(c, "MTU", MIN_MTU, MAX_MTU, &c->s->mtu, 0);
}

static int period(struct cmd_ctx *c, const char *what, uint32_t *out)
{
	unsigned long v;
	if (c->argc != c->argn + 1 || !parse_uint(c->argv[c->argn], 1000000, &v))
		return -1;
	if (v < 1) {
		warnf(c, "%lu: Invalid %s period - min 1", v, what);
		return 1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int set_echoperiod(struct cmd_ctx *c)
{
	return period(c, "echo", &c->s->echo_period_s);
}

static int set_lqrperiod(struct cmd_ctx *c)
{
	return period(c, "lqr", &c->s->lqr_period_s);
}

/* Known to ppp(8), nothing to do in the model. */
static int ignored(struct cmd_ctx *c)
{
	(void)c;
	return 0;
}

static const struct cmd set_cmds[] = {
	{ "accmap", NULL, ignored, "set accmap hex-value", NULL },
	{ "authkey", "key", set_authkey, "set authkey|key key", NULL },
	{ "authname", NULL, set_authname, "set authname name", NULL },
	{ "cd", NULL, set_cd, "set cd value[!]", NULL },
	{ "chapretry", NULL, ignored, "set chapretry value [attempts]", NULL },
	{ "ctsrts", "crtscts", ignored, "set ctsrts on|off", NULL },
	{ "device", "line", set_device, "set device|line device-name[,device-name]", NULL },
	{ "dial", NULL, set_dial, "set dial chat-script", NULL },
	{ "dns", NULL, ignored, "set dns pri-addr [sec-addr]", NULL },
	{ "echoperiod", NULL, set_echoperiod, "set echoperiod value", NULL },
	{ "hangup", NULL, ignored, "set hangup chat-script", NULL },
	{ "ifaddr", NULL, set_ifaddr, "set ifaddr [src-addr [dst-addr [netmask [trg-addr]]]]",
	  NULL },
	{ "ifqueue", NULL, ignored, "set ifqueue packets", NULL },
	{ "ipcpretry", "ipcpretries", ignored, "set ipcpretry value [attempts]", NULL },
	{ "ipv6cpretry", "ipv6cpretries", ignored, "set ipv6cpretry value [attempts]", NULL },
	{ "lcpretry", "lcpretries", ignored, "set lcpretry value [attempts]", NULL },
	{ "log", NULL, ignored, "set log [local] [+|-]all|async|cbcp|ccp|chat|...", NULL },
	{ "login", NULL, set_login, "set login chat-script", NULL },
	{ "logout", NULL, ignored, "set logout chat-script", NULL },
	{ "lqrperiod", NULL, set_lqrperiod, "set lqrperiod value", NULL },
	{ "mode", NULL, ignored, "set mode interactive|auto|ddial|background", NULL },
	{ "mru", NULL, set_mru, "set mru [max[imum]] [value]", NULL },
	{ "mtu", NULL, set_mtu, "set mtu [max[imum]] [value]", NULL },
	{ "nbns", NULL, ignored, "set nbns pri-addr [sec-addr]", NULL },
	{ "openmode", NULL, ignored, "set openmode active|passive [secs]", NULL },
	{ "papretry", NULL, ignored, "set papretry value [attempts]", NULL },
	{ "parity", NULL, ignored, "set parity [odd|even|none]", NULL },
	{ "phone", NULL, ignored, "set phone phone1[:phone2[...]]", NULL },
	{ "reconnect", NULL, ignored, "set reconnect value ntries", NULL },
	{ "redial", NULL, set_redial, "set redial secs[+inc[-incmax]][.next] [attempts]", NULL },
	{ "server", "socket", ignored, "set server|socket TcpPort|LocalName|none|open|closed "
	  "[password [mask]]", NULL },
	{ "speed", NULL, ignored, "set speed value|sync", NULL },
	{ "stopped", NULL, ignored, "set stopped [LCPseconds [CCPseconds]]", NULL },
	{ "timeout", NULL, ignored, "set timeout idletime", NULL },
	{ "urgent", NULL, ignored, "set urgent [tcp|udp] [+|-]port...", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- enable / disable / accept / deny -------------------------------------- */

enum neg_verb { NEG_ENABLE, NEG_DISABLE, NEG_ACCEPT, NEG_DENY };

/* One option of the verb's list; false for an option ppp(8) does not have. */
static bool negotiate_one(struct ppp_settings *s, enum neg_verb verb, const char *opt)
{
	static const char *const known[] = {
		"acfcomp", "deflate", "dns", "enddisc", "filter-decapsulation", "force-scripts",
		"idcheck", "iface-alias", "keep-session", "loopback", "mppe", "mschap",
		"mschapv2", "nas-ip-address", "nas-identifier", "passwdauth", "pred1",
		"protocomp", "proxy", "proxyall", "shortseq", "sroutes", "throughput", "utmp",
		"vjcomp", NULL,
	};
	bool on = verb == NEG_ENABLE || verb == NEG_ACCEPT;
	bool mine = verb == NEG_ENABLE || verb == NEG_DISABLE;
	if (strcasecmp(opt, "lqr") == 0) {
		if (mine)
			s->lqr = on;
	} else if (strcasecmp(opt, "echo") == 0) {
		if (mine)
			s->echo = on;
	} else if (strcasecmp(opt, "ipcp") == 0) {
		s->ipcp = mine ? on : s->ipcp;
	} else if (strcasecmp(opt, "ipv6cp") == 0 || strcasecmp(opt, "ipv6") == 0) {
		s->ipv6cp = mine ? on : s->ipv6cp;
	} else if (strcasecmp(opt, "pap") == 0) {
		*(mine ? &s->enable_pap : &s->accept_pap) = on;
	} else if (strcasecmp(opt, "chap") == 0 || strcasecmp(opt, "chap05") == 0) {
		*(mine ? &s->enable_chap : &s->accept_chap) = on;
	} else {
		for (int i = 0; known[i]; i++)
			if (strcasecmp(opt, known[i]) == 0)
				return true;
		return false;
	}
	return true;
}

static int negotiate(struct cmd_ctx *c, enum neg_verb verb)
{
	if (c->argc == c->argn)
		return -1;
	/* Each option is looked up on its own: a bad one does not stop the rest. */
	for (int i = c->argn; i < c->argc; i++)
		if (!negotiate_one(c->s, verb, c->argv[i]))
			warnf(c, "%s %s: Invalid command", c->argv[c->argn - 1], c->argv[i]);
	return 0;
}

static int cmd_enable(struct cmd_ctx *c) { return negotiate(c, NEG_ENABLE); }
static int cmd_disable(struct cmd_ctx *c) { return negotiate(c, NEG_DISABLE); }
static int cmd_accept(struct cmd_ctx *c) { return negotiate(c, NEG_ACCEPT); }
static int cmd_deny(struct cmd_ctx *c) { return negotiate(c, NEG_DENY); }

/* ---- nat ------------------------------------------------------------------- */

static int yes_no(struct cmd_ctx *c, bool *out)
{
	if (c->argc != c->argn + 1)
		return -1;
	if (strcasecmp(c->argv[c->argn], "yes") == 0)
		*out = true;
	else if (strcasecmp(c->argv[c->argn], "no") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static int nat_enable(struct cmd_ctx *c)
{
	return yes_no(c, &c->s->nat);
}

static int nat_option(struct cmd_ctx *c)
{
	bool dummy;
	return yes_no(c, &dummy);
}

static const struct cmd nat_cmds[] = {
	{ "addr", NULL, ignored, "nat addr [addr_local addr_alias]", NULL },
	{ "deny_incoming", NULL, nat_option, "nat deny_incoming yes|no", NULL },
	{ "enable", NULL, nat_enable, "nat enable yes|no", NULL },
	{ "log", NULL, nat_option, "nat log yes|no", NULL },
	{ "port", NULL, ignored, "nat port proto localaddr:port[-port] aliasport[-aliasport]",
	  NULL },
	{ "proxy", NULL, ignored, "nat proxy server host[:port] ...", NULL },
	{ "same_ports", NULL, nat_option, "nat same_ports yes|no", NULL },
	{ "target", NULL, ignored, "nat target addr", NULL },
	{ "unregistered_only", NULL, nat_option, "nat unregistered_only yes|no", NULL },
	{ "use_sockets", NULL, nat_option, "nat use_sockets yes|no", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- add ------------------------------------------------------------------- */

/* A route's destination: default, or ADDR[/BITS] of either family. */
static bool parse_dest(const char *text, struct ppp_conf_route *r)
{
	char a[64];
	unsigned long bits;
	if (strcasecmp(text, "default") == 0) {
		r->plen = 0;
		return true;
	}
	copy_str(a, sizeof a, text);
	char *slash = strchr(a, '/');
	if (slash)
		*slash = '\0';
	r->family = strchr(a, ':') ? 6 : 4;
	if (inet_pton(r->family == 6 ? AF_INET6 : AF_INET, a, r->dst) != 1)
		return false;
	unsigned long max = r->family == 6 ? 128 : 32;
	if (slash && !parse_uint(slash + 1, max, &bits))
		return false;
	r->plen = (uint8_t)(slash ? bits : max);
	return true;
}

static bool parse_gateway(const char *text, struct ppp_conf_route *r)
{
	if (strcasecmp(text, "HISADDR") == 0) {
		r->gw = PPP_GW_HISADDR;
		return !r->family || r->family == 4 ? (r->family = 4, true) : false;
	}
	if (strcasecmp(text, "HISADDR6") == 0) {
		r->gw = PPP_GW_HISADDR6;
		return !r->family || r->family == 6 ? (r->family = 6, true) : false;
	}
	int fam = strchr(text, ':') ? 6 : 4;
	if (r->family && r->family != fam)
		return false;
	r->family = fam;
	r->gw = PPP_GW_ADDR;
	return inet_pton(fam == 6 ? AF_INET6 : AF_INET, text, r->gw_addr) == 1;
}

/* "add[!] dest[/bits] [mask] gateway": a sticky route when the gateway is
 * HISADDR or HISADDR6 (ppp(8) keeps it across link changes). */
static int cmd_add(struct cmd_ctx *c)
{
	struct ppp_conf_route r;
	int n = c->argc - c->argn;
	if (n != 2 && n != 3)
		return -1;
	memset(&r, 0, sizeof r);
	if (!parse_dest(c->argv[c->argn], &r) || !parse_gateway(c->argv[c->argc - 1], &r))
		return -1;
	if (c->s->nroutes == PPP_CONF_MAX_ROUTES) {
		warnf(c, "add: Too many routes");
		return 1;
	}
	c->s->routes[c->s->nroutes++] = r;
	return 0;
}

/* ---- the command table and dispatch ----------------------------------------- */

/* Words of the prompt that belong to ppp: `dial` at k7's prompt goes to it. */
static const struct cmd top_cmds[] = {
	{ "accept", NULL, cmd_accept, "accept option ..", NULL },
	{ "add", "add!", cmd_add, "add dest mask gateway", NULL },
	{ "allow", "auth", ignored, "allow users|modes ....", NULL },
	{ "bg", "!bg", ignored, "[!]bg command", NULL },
	{ "clear", NULL, ignored, "clear ipcp|ipv6cp|physical [current|overall|peak]...", NULL },
	{ "close", NULL, ignored, "close [lcp|ccp]", NULL },
	{ "delete", "delete!", ignored, "delete dest", NULL },
	{ "deny", NULL, cmd_deny, "deny option ..", NULL },
	{ "dial", "call", ignored, "dial|call [system ...]", NULL },
	{ "disable", NULL, cmd_disable, "disable option ..", NULL },
	{ "down", NULL, ignored, "down [ccp|lcp]", NULL },
	{ "enable", NULL, cmd_enable, "enable option ..", NULL },
	{ "help", "?", ignored, "help|? [command]", NULL },
	{ "ident", NULL, ignored, "ident text...", NULL },
	{ "iface", "interface", ignored, "iface option ...", NULL },
	{ "load", NULL, ignored, "load [system ...]", NULL },
	{ "nat", "alias", NULL, "nat option yes|no", nat_cmds },
	{ "open", NULL, ignored, "open! [lcp|ccp|ipcp]", NULL },
	{ "quit", "bye", ignored, "quit|bye [all]", NULL },
	{ "resolv", NULL, ignored, "resolv reload|restore|rewrite|readonly|writable", NULL },
	{ "set", "setup", NULL, "set[up] var value", set_cmds },
	{ "shell", "!", ignored, "shell|! [sh command]", NULL },
	{ "show", NULL, ignored, "show var", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ppp(8)'s FindCommand: an exact name or alias, else a unique prefix. */
static const struct cmd *find_cmd(const struct cmd *t, const char *word, int *nmatch)
{
	const struct cmd *found = NULL;
	size_t len = strlen(word);
	*nmatch = 0;
	for (; t->name; t++) {
		if (strcasecmp(word, t->name) == 0 || (t->alias && strcasecmp(word, t->alias) == 0)) {
			*nmatch = 1;
			return t;
		}
		if (strncasecmp(word, t->name, len) == 0 ||
		    (t->alias && strncasecmp(word, t->alias, len) == 0)) {
			found = t;
			(*nmatch)++;
		}
	}
	return found;
}

/* The words up to and including argv[argn], as ppp(8)'s mkPrefix. */
static void prefix(const struct cmd_ctx *c, int argn, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int i = 0; i <= argn && i < c->argc && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? " " : "", c->argv[i]);
}

/* FindExec: look the word at argn up in t, run it, report as ppp(8) does. */
static int find_exec(struct cmd_ctx *c, const struct cmd *t)
{
	char pfx[160];
	int nmatch, val = 1;
	prefix(c, c->argn, pfx, sizeof pfx);
	const struct cmd *cmd = c->argn < c->argc ? find_cmd(t, c->argv[c->argn], &nmatch) : NULL;
	if (cmd && nmatch > 1) {
		warnf(c, "%s: Ambiguous command", pfx);
		return 1;
	}
	if (!cmd) {
		warnf(c, "%s: Invalid command", pfx);
		return 1;
	}
	struct cmd_ctx sub = *c;
	sub.argn = c->argn + 1;
	if (cmd->sub && sub.argn < sub.argc)
		return find_exec(&sub, cmd->sub);
	val = cmd->sub ? -1 : cmd->fn(&sub);
	if (val == -1)
		warnf(c, "Usage: %s", cmd->syntax);
	else if (val)
		warnf(c, "%s: Failed %d", pfx, val);
	return val;
}

int ppp_conf_command(struct ppp_settings *s, const char *line, int lineno,
                     ppp_conf_warn_fn warn, void *user)
{
	char buf[LINE_MAX_LEN + MAX_WORDS + 2];
	char *argv[MAX_WORDS + 1];
	int warned = 0;
	struct cmd_ctx c = { .s = s, .argv = argv, .lineno = lineno, .warn = warn, .user = user,
	                     .warned = &warned };
	if (strlen(line) > LINE_MAX_LEN) {
		warnf(&c, "%s: %d: Syntax error", PPP_CONF_PATH, lineno);
		return 1;
	}
	c.argc = split_words(line, buf, sizeof buf, argv);
	if (c.argc < 0) {
		if (lineno > 0)
			warnf(&c, "%s: %d: Syntax error", PPP_CONF_PATH, lineno);
		else
			warnf(&c, "Syntax error");
		return 1;
	}
	if (c.argc == 0)
		return 0;
	int rc = find_exec(&c, top_cmds);
	return rc ? rc : warned ? 1 : 0;
}

bool ppp_conf_is_command(const char *word)
{
	for (const struct cmd *t = top_cmds; t->name; t++)
		if (strcasecmp(word, t->name) == 0 || (t->alias && strcasecmp(word, t->alias) == 0))
			return true;
	return false;
}

/* ---- sections ---------------------------------------------------------------- */

void ppp_conf_defaults(struct ppp_settings *s)
{
	memset(s, 0, sizeof *s);
	s->mru = DEF_MRU;
	s->echo_period_s = 10;
	s->lqr_period_s = 30;
	s->ipcp = s->ipv6cp = true;
	s->accept_pap = s->accept_chap = true;
	s->cd_s = 5;
}

/* One physical line of the text: [*p, end of line), the next one after. */
struct line_iter {
	const char *p;
	int lineno;
	char buf[LINE_MAX_LEN + 1];
	bool indented;
};

/* Next line into it->buf (cut at LINE_MAX_LEN); false at the end. */
static bool next_line(struct line_iter *it)
{
	if (!it->p || !*it->p)
		return false;
	const char *nl = strchr(it->p, '\n');
	size_t n = nl ? (size_t)(nl - it->p) : strlen(it->p);
	size_t keep = n < LINE_MAX_LEN ? n : LINE_MAX_LEN;
	memcpy(it->buf, it->p, keep);
	it->buf[keep] = '\0';
	if (keep > 0 && it->buf[keep - 1] == '\r')
		it->buf[keep - 1] = '\0';
	it->indented = it->buf[0] == ' ' || it->buf[0] == '\t';
	it->p = nl ? nl + 1 : it->p + n;
	it->lineno++;
	return true;
}

/* Blank or comment only. */
static bool is_empty(const char *line)
{
	line += strspn(line, " \t");
	return *line == '\0' || *line == '#';
}

/* ppp(8)'s GetLabel: "name:" (or "name :") alone on its line. */
static bool get_label(const struct line_iter *it, char *label, size_t len,
                      ppp_conf_warn_fn warn, void *user)
{
	char buf[LINE_MAX_LEN + MAX_WORDS + 2], msg[200];
	char *argv[MAX_WORDS + 1];
	int argc = split_words(it->buf, buf, sizeof buf, argv);
	if (argc == 2 && strcmp(argv[1], ":") == 0) {
		copy_str(label, len, argv[0]);
		return true;
	}
	size_t n = argc == 1 ? strlen(argv[0]) : 0;
	if (argc != 1 || n < 2 || argv[0][n - 1] != ':') {
		snprintf(msg, sizeof msg, "Bad label in %s (line %d) - missing colon", PPP_CONF_PATH,
		         it->lineno);
		if (warn)
			warn(user, it->lineno, msg);
		return false;
	}
	argv[0][n - 1] = '\0';
	copy_str(label, len, argv[0]);
	return true;
}

/* A line at column 0 that is not a label line: `!include` and friends. */
static bool is_control(const char *line)
{
	return line[strspn(line, " \t")] == '!';
}

static void warn_control(const struct line_iter *it, ppp_conf_warn_fn warn, void *user)
{
	char msg[LINE_MAX_LEN + 64];
	snprintf(msg, sizeof msg, "%s: %s: Invalid command", PPP_CONF_PATH,
	         it->buf + strspn(it->buf, " \t"));
	if (warn)
		warn(user, it->lineno, msg);
}

int ppp_conf_select(struct ppp_settings *s, const char *text, const char *label,
                    ppp_conf_warn_fn warn, void *user)
{
	struct line_iter it = { .p = text };
	char name[LINE_MAX_LEN];
	bool in = false, found = false;
	while (next_line(&it)) {
		if (it.indented) {
			if (in && !is_empty(it.buf))
				ppp_conf_command(s, it.buf, it.lineno, warn, user);
			continue;
		}
		if (is_empty(it.buf))
			continue;
		if (in)
			break; /* the next section starts: ours is done */
		if (is_control(it.buf)) {
			warn_control(&it, warn, user);
			continue;
		}
		if (get_label(&it, name, sizeof name, warn, user) && strcmp(name, label) == 0)
			in = found = true;
	}
	return found ? 0 : -1;
}

int ppp_conf_load(struct ppp_settings *s, const char *text, const char *label,
                  ppp_conf_warn_fn warn, void *user)
{
	ppp_conf_defaults(s);
	if (strcmp(label, "default") != 0)
		(void)ppp_conf_select(s, text, "default", warn, user);
	return ppp_conf_select(s, text, label, warn, user);
}

/* Counts what it forwards, for ppp_conf_check's result. */
struct check_ctx {
	ppp_conf_warn_fn warn;
	void *user;
	int count;
};

static void check_warn(void *user, int line, const char *msg)
{
	struct check_ctx *k = user;
	k->count++;
	if (k->warn)
		k->warn(k->user, line, msg);
}

int ppp_conf_check(const char *text, ppp_conf_warn_fn warn, void *user)
{
	struct check_ctx k = { .warn = warn, .user = user };
	struct line_iter it = { .p = text };
	struct ppp_settings scratch;
	char name[LINE_MAX_LEN];
	bool in = false;
	ppp_conf_defaults(&scratch);
	while (next_line(&it)) {
		if (is_empty(it.buf))
			continue;
		if (it.indented) {
			/* Lines before the first label belong to no section: ppp(8) never reads them. */
			if (in)
				ppp_conf_command(&scratch, it.buf, it.lineno, check_warn, &k);
			continue;
		}
		if (is_control(it.buf)) {
			warn_control(&it, check_warn, &k);
			continue;
		}
		in = get_label(&it, name, sizeof name, check_warn, &k);
		if (scratch.nroutes == PPP_CONF_MAX_ROUTES)
			scratch.nroutes = 0; /* each section has its own room */
	}
	return k.count;
}
