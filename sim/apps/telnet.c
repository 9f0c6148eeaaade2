/*
 * telnet(1) as a TCP client, with FreeBSD's transcript:
 *
 *   Trying 2001:5c0:8fff:ffff::c3...
 *   Connected to 2001:5c0:8fff:ffff::c3.
 *   Escape character is '^]'.
 *   ...what the server sends, line by line...
 *   Connection closed by foreign host.
 *
 * `telnet [-s LINE]... HOST [PORT]`, HOST an IPv6 or IPv4 address or a name
 * looked up in DNS (apps/resolver.c); each address is tried in turn, with
 * "telnet: connect to address ADDR: REASON" for one that fails. What the
 * user types: each -s LINE is typed once connected, and while telnet holds
 * the node's terminal every later command line of that node
 * (`at +1s freefall# GET / HTTP/1.0`) is typed into it. A scenario line
 * cannot be empty, so a line that is one quoted string ('' or "...") is
 * typed without its quotes: `at +1s freefall# ''` presses just Enter.
 * Typed text is echoed as the terminal does in telnet's line mode and
 * sent with CR LF. The server's telnet commands (IAC ...) are removed from
 * the output and every option it offers is refused, as telnet does when
 * it has nothing to negotiate.
 */
#include "apps_int.h"
#include "resolver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TELNET_PORT 23
#define TELNET_LINE_MAX 4096
#define TELNET_TYPED_MAX 16

/* RFC 854 commands. */
enum { TN_SE = 240, TN_SB = 250, TN_WILL = 251, TN_WONT = 252, TN_DO = 253, TN_DONT = 254,
       TN_IAC = 255 };

/* The session. */
enum telnet_state { TS_RESOLVING, TS_CONNECTING, TS_CONNECTED, TS_CLOSED, TS_NSTATES };
static const char *const telnet_state_names[TS_NSTATES] = { "RESOLVING", "CONNECTING",
	                                                    "CONNECTED", "CLOSED" };
enum telnet_event { TE_RESOLVED, TE_CONNECTED, TE_REFUSED, TE_PEER_CLOSED, TE_TYPED };

/* Where the byte stream from the server is, as to telnet commands. */
enum iac_state { IAC_DATA, IAC_CMD, IAC_OPTION, IAC_SUB, IAC_SUB_IAC };

struct telnet {
	struct sim_node *node;
	enum telnet_state state;
	struct tcp_conn *tcp;
	char host[256];              /* as typed: "Connected to HOST." */
	char addr[APPS_ADDRSTRLEN];  /* numeric: "Trying ADDR..." */
	uint16_t port;
	struct tp_addr addrs[RESOLVER_MAX_ADDRS]; /* what the name resolved to */
	size_t naddrs, next_addr;
	const char *resolve_err;     /* TE_RESOLVED with no address: why */
	enum iac_state iac;
	uint8_t iac_verb;
	char line[TELNET_LINE_MAX + 1]; /* server output not yet ended by a newline */
	size_t len;
	char *typed[TELNET_TYPED_MAX];  /* typed before the connection was up, */
	bool echoed[TELNET_TYPED_MAX];  /* ... at the terminal (-s lines are not) */
	size_t ntyped;
};

static void say(struct telnet *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct telnet *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	apps_vsay(t->node, fmt, ap);
	va_end(ap);
}

/* ---- output from the server ---------------------------------------------------- */

static void flush_line(struct telnet *t)
{
	t->line[t->len] = '\0';
	say(t, "%s", t->line);
	t->len = 0;
}

static void out_byte(struct telnet *t, uint8_t c)
{
	if (c == '\r' || c == '\0')
		return; /* CR LF and CR NUL end a line on the terminal (RFC 854) */
	if (c == '\n') {
		flush_line(t);
		return;
	}
	t->line[t->len++] = (char)c;
	if (t->len == TELNET_LINE_MAX)
		flush_line(t);
}

/* WILL x -> DONT x, DO x -> WONT x: nothing is negotiated. */
static void refuse_option(struct telnet *t, uint8_t verb, uint8_t opt)
{
	uint8_t reply[3] = { TN_IAC, 0, opt };
	if (verb == TN_WILL)
		reply[1] = TN_DONT;
	else if (verb == TN_DO)
		reply[1] = TN_WONT;
	else
		return; /* WONT/DONT need no answer when nothing was enabled */
	tcp_send(t->tcp, reply, sizeof reply);
}

static void in_byte(struct telnet *t, uint8_t c)
{
	switch (t->iac) {
	case IAC_DATA:
		if (c == TN_IAC)
			t->iac = IAC_CMD;
		else
			out_byte(t, c);
		break;
	case IAC_CMD:
		if (c == TN_IAC) {
			out_byte(t, c); /* IAC IAC: a data byte 255 */
			t->iac = IAC_DATA;
		} else if (c >= TN_WILL && c <= TN_DONT) {
			t->iac_verb = c;
			t->iac = IAC_OPTION;
		} else {
			t->iac = c == TN_SB ? IAC_SUB : IAC_DATA;
		}
		break;
	case IAC_OPTION:
		refuse_option(t, t->iac_verb, c);
		t->iac = IAC_DATA;
		break;
	case IAC_SUB:
		if (c == TN_IAC)
			t->iac = IAC_SUB_IAC;
		break;
	case IAC_SUB_IAC:
		t->iac = c == TN_SE ? IAC_DATA : IAC_SUB;
		break;
	}
}

/* ---- the session's state machine ------------------------------------------------ */

/* The line and its CR LF in one write, as telnet sends a line. */
static void send_typed(struct telnet *t, const char *text)
{
	char buf[TELNET_LINE_MAX + 2];
	int n = snprintf(buf, sizeof buf, "%s\r\n", text);
	if (n > 0 && (size_t)n < sizeof buf)
		tcp_send(t->tcp, (const uint8_t *)buf, (size_t)n);
}

static void release_terminal(struct telnet *t)
{
	const struct apps_node *an = t->node->apps;
	if (an && an->fg.user == t)
		apps_set_foreground(t->node, NULL);
}

static void connected(struct telnet *t)
{
	say(t, "Connected to %s.", t->host);
	say(t, "Escape character is '^]'.");
	for (size_t i = 0; i < t->ntyped; i++) {
		if (!t->echoed[i])
			say(t, "%s", t->typed[i]);
		send_typed(t, t->typed[i]);
		free(t->typed[i]);
	}
	t->ntyped = 0;
}

/* Kept until connected (a terminal buffers what is typed meanwhile). */
static void queue_line(struct telnet *t, const char *text, bool echoed)
{
	if (t->ntyped == TELNET_TYPED_MAX)
		return;
	size_t n = strlen(text);
	t->typed[t->ntyped] = sim_xrealloc(NULL, n + 1, 1);
	memcpy(t->typed[t->ntyped], text, n + 1);
	t->echoed[t->ntyped++] = echoed;
}

static void cb_connected(void *user, struct tcp_conn *c);
static void cb_data(void *user, struct tcp_conn *c, const uint8_t *data, size_t len);
static void cb_closed(void *user, struct tcp_conn *c);
static void cb_error(void *user, struct tcp_conn *c, const char *reason);

/* Connect to the next address; false when none is left to try. */
static bool try_next(struct telnet *t)
{
	struct tcp_callbacks cb = { cb_connected, cb_data, cb_closed, cb_error, t };
	while (t->next_addr < t->naddrs) {
		struct tp_addr dst = t->addrs[t->next_addr++];
		const char *err = NULL;
		if (dst.family == 6)
			apps_fmt6(t->addr, sizeof t->addr, dst.addr, dst.ifp);
		else
			apps_fmt4(t->addr, sizeof t->addr, dst.addr);
		dst.port = t->port;
		say(t, "Trying %s...", t->addr);
		t->tcp = tcp_connect(t->node, &dst, &cb, &err);
		if (t->tcp)
			return true;
		say(t, "telnet: connect to address %s: %s", t->addr, err ? err : "No route to host");
	}
	return false;
}

/* Tried every address: FreeBSD's last word. */
static enum telnet_state next_or_give_up(struct telnet *t)
{
	if (try_next(t))
		return TS_CONNECTING;
	say(t, "telnet: Unable to connect to remote host");
	return TS_CLOSED;
}

/* The one place the session changes state. `arg` is the reason of
 * TE_REFUSED, the text of TE_TYPED. */
static void telnet_transition(struct telnet *t, enum telnet_event ev, const char *arg)
{
	enum telnet_state next = t->state;
	switch (ev) {
	case TE_RESOLVED:
		if (t->state != TS_RESOLVING)
			break;
		if (t->naddrs == 0) {
			say(t, "telnet: %s: %s", t->host, t->resolve_err);
			next = TS_CLOSED;
		} else {
			next = next_or_give_up(t);
		}
		break;
	case TE_CONNECTED:
		if (t->state == TS_CONNECTING) {
			connected(t);
			next = TS_CONNECTED;
		}
		break;
	case TE_REFUSED:
		tcp_close(t->tcp); /* give the handle back */
		next = TS_CLOSED;
		if (t->state == TS_CONNECTING) {
			say(t, "telnet: connect to address %s: %s", t->addr, arg);
			next = next_or_give_up(t);
		} else if (t->state == TS_CONNECTED) {
			say(t, "%.*sConnection closed by foreign host.", (int)t->len, t->line);
			t->len = 0;
		}
		break;
	case TE_PEER_CLOSED:
		if (t->state == TS_CONNECTED) {
			/* An unfinished line stays on screen before the message. */
			say(t, "%.*sConnection closed by foreign host.", (int)t->len, t->line);
			t->len = 0;
			tcp_close(t->tcp);
			next = TS_CLOSED;
		}
		break;
	case TE_TYPED:
		say(t, "%s", arg); /* the terminal's echo */
		if (t->state == TS_CONNECTED)
			send_typed(t, arg);
		else if (t->state != TS_CLOSED)
			queue_line(t, arg, true);
		break;
	}
	if (next == TS_CLOSED)
		release_terminal(t);
	t->state = next;
}

/* ---- callbacks ------------------------------------------------------------------- */

static void cb_connected(void *user, struct tcp_conn *c)
{
	struct telnet *t = user;
	t->tcp = c;
	telnet_transition(t, TE_CONNECTED, NULL);
}

static void cb_data(void *user, struct tcp_conn *c, const uint8_t *data, size_t len)
{
	struct telnet *t = user;
	(void)c;
	for (size_t i = 0; i < len && t->state == TS_CONNECTED; i++)
		in_byte(t, data[i]);
}

static void cb_closed(void *user, struct tcp_conn *c)
{
	(void)c;
	telnet_transition(user, TE_PEER_CLOSED, NULL);
}

static void cb_error(void *user, struct tcp_conn *c, const char *reason)
{
	struct telnet *t = user;
	t->tcp = c; /* an error may come before tcp_connect returned */
	telnet_transition(t, TE_REFUSED, reason);
}

static bool fg_owns(void *user, const char *word)
{
	(void)user;
	(void)word;
	return true; /* everything typed goes to the remote side */
}

/* A line typed at telnet's terminal; one quoted string loses its quotes. */
static int fg_run(void *user, const char *cmdline)
{
	char text[TELNET_LINE_MAX];
	size_t n = strlen(cmdline);
	if (n >= 2 && (cmdline[0] == '\'' || cmdline[0] == '"') && cmdline[n - 1] == cmdline[0] &&
	    memchr(cmdline + 1, cmdline[0], n - 2) == NULL)
		snprintf(text, sizeof text, "%.*s", (int)(n - 2), cmdline + 1);
	else
		snprintf(text, sizeof text, "%s", cmdline);
	telnet_transition(user, TE_TYPED, text);
	return 0;
}

static void telnet_free(struct sim *sim, void *user)
{
	struct telnet *t = user;
	(void)sim;
	for (size_t i = 0; i < t->ntyped; i++)
		free(t->typed[i]);
	free(t);
}

/* ---- the command ------------------------------------------------------------------- */

static void on_resolved(void *user, const struct tp_addr *addrs, size_t n, const char *err)
{
	struct telnet *t = user;
	t->naddrs = n < RESOLVER_MAX_ADDRS ? n : RESOLVER_MAX_ADDRS;
	memcpy(t->addrs, addrs, t->naddrs * sizeof *addrs);
	t->resolve_err = err;
	telnet_transition(t, TE_RESOLVED, NULL);
}

/* A number or a name of /etc/services (the ones of the seed's services). */
static bool parse_port(const char *text, long *port)
{
	static const struct {
		const char *name;
		long port;
	} services[] = { { "smtp", 25 }, { "domain", 53 }, { "http", 80 }, { "pop3", 110 },
		         { "imap", 143 }, { "ldap", 389 }, { "telnet", 23 } };
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
		if (strcmp(text, services[i].name) == 0) {
			*port = services[i].port;
			return true;
		}
	}
	return apps_parse_long(text, 1, 65535, port);
}

static int usage(struct sim_node *n)
{
	apps_say(n, "usage: telnet [-s line] ... host-name [port]");
	return APPS_EX_USAGE;
}

/* The -s lines: typed (and echoed) once the connection is up. */
static void type_lines(struct telnet *t, int argc, char **argv)
{
	struct apps_opt o;
	apps_opt_init(&o);
	while (apps_getopt(&o, argc, argv, "s:") == 's')
		queue_line(t, o.arg, false);
}

int cmd_telnet(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	long port = TELNET_PORT;
	int c;
	apps_opt_init(&o);
	while ((c = apps_getopt(&o, argc, argv, "s:")) != -1)
		if (c != 's')
			return usage(n);
	if (o.ind >= argc || argc - o.ind > 2)
		return usage(n);
	if (argc - o.ind == 2 && !parse_port(argv[o.ind + 1], &port)) {
		apps_say(n, "telnet: %s: bad port number", argv[o.ind + 1]);
		return 1;
	}
	if (!n->tp) {
		apps_say(n, "telnet: socket: Protocol not supported");
		return 1;
	}
	struct telnet *t = sim_xcalloc(1, sizeof *t);
	t->node = n;
	t->state = TS_RESOLVING;
	t->port = (uint16_t)port;
	snprintf(t->host, sizeof t->host, "%s", argv[o.ind]);
	sim_on_free(n->sim, telnet_free, t);
	type_lines(t, argc, argv); /* the -s lines wait for the connection */
	/* The terminal is telnet's from now on: what is typed while the name
	 * is looked up or the connection is made waits for it. */
	struct apps_fg fg = { fg_owns, fg_run, NULL, t };
	apps_set_foreground(n, &fg);
	resolver_lookup(n, t->host, on_resolved, t); /* a numeric HOST: done already */
	return t->state == TS_CLOSED ? 1 : 0;
}

const char *telnet_state_name(int state)
{
	return state >= 0 && state < TS_NSTATES ? telnet_state_names[state] : "?";
}
