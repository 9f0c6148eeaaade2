/*
 * POP3 (RFC 1939) for the mail jail: the server and a scripted client.
 *
 *   pop3d [-6] [-p PORT] [-d MAILDIR]      server, port 110, mailboxes MAILDIR/USER
 *                                          (mbox, default /var/mail), IPv4 (-6: also IPv6)
 *   pop3 [-p PORT] ADDR USER PASS          client: USER, PASS, STAT, LIST, RETR of every
 *                                          message, QUIT; prints the dialogue as RFC 1939's
 *                                          examples do, "C: " what it sent, "S: " each
 *                                          line received (dot-stuffed lines as on the wire)
 *
 * Any password opens an existing or empty maildrop (the jail's story is
 * the path to it, not its passwords). DELE marks a message; nothing is
 * written back to the mbox file.
 */
#include "svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POP3_PORT 110
#define POP3_LINE 256

/* ---- server ------------------------------------------------------------------------------- */

enum pop3_state { POP3_USER, POP3_PASS, POP3_TRANSACTION, POP3_CLOSED, POP3_NSTATES };

static const char *const pop3_state_names[POP3_NSTATES] = {
	"AUTHORIZATION(USER)", "AUTHORIZATION(PASS)", "TRANSACTION", "CLOSED",
};

struct pop3_sess {
	struct svc_sess base;       /* first: svc allocates and hands out sessions */
	enum pop3_state state;
	char user[40];
	struct svc_mbox mb;
	bool deleted[SVC_MAX_MSGS];
};

static void reply(struct pop3_sess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply(struct pop3_sess *s, const char *fmt, ...)
{
	char buf[POP3_LINE + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof buf - 2 ? (size_t)n : sizeof buf - 3;
	memcpy(buf + len, "\r\n", 3);
	svc_send(&s->base, buf);
}

static void pop3_go(struct pop3_sess *s, enum pop3_state to)
{
	struct svc_maild *d = s->base.server;
	s->state = to;
	if (to == POP3_TRANSACTION)
		svc_mbox_load(&s->mb, d->srv.node, d->dir, s->user);
	else if (to == POP3_CLOSED)
		svc_close(&s->base);
	(void)pop3_state_names;
}

static void maildrop_size(const struct pop3_sess *s, size_t *count, size_t *octets)
{
	*count = *octets = 0;
	for (size_t i = 0; i < s->mb.n; i++)
		if (!s->deleted[i]) {
			(*count)++;
			*octets += s->mb.size[i];
		}
}

/* A message number argument: 1-based, present and not deleted; else -ERR sent. */
static bool msg_arg(struct pop3_sess *s, const char *arg, size_t *idx)
{
	long k;
	if (!arg || !apps_parse_long(arg, 1, SVC_MAX_MSGS, &k) || (size_t)k > s->mb.n ||
	    s->deleted[k - 1]) {
		reply(s, "-ERR no such message");
		return false;
	}
	*idx = (size_t)k - 1;
	return true;
}

/* RETR: the message, every line starting with '.' stuffed, then the lone dot. */
static void send_message(struct pop3_sess *s, size_t i)
{
	reply(s, "+OK %zu octets", s->mb.size[i]);
	const char *p = s->mb.msg[i];
	size_t cap = 2 * s->mb.size[i] + 8, o = 0;
	char *out = sim_xcalloc(cap, 1);
	bool bol = true;
	for (; *p; p++) {
		if (bol && *p == '.')
			out[o++] = '.';
		out[o++] = *p;
		bol = *p == '\n';
	}
	memcpy(out + o, ".\r\n", 4);
	svc_send(&s->base, out);
	free(out);
}

static void do_list(struct pop3_sess *s, const char *arg)
{
	size_t count, octets, i;
	if (arg) {
		if (msg_arg(s, arg, &i))
			reply(s, "+OK %zu %zu", i + 1, s->mb.size[i]);
		return;
	}
	maildrop_size(s, &count, &octets);
	reply(s, "+OK %zu messages (%zu octets)", count, octets);
	for (i = 0; i < s->mb.n; i++)
		if (!s->deleted[i])
			reply(s, "%zu %zu", i + 1, s->mb.size[i]);
	reply(s, ".");
}

static void transaction(struct pop3_sess *s, const char *cmd, const char *arg)
{
	size_t count, octets, i;
	if (strcasecmp(cmd, "STAT") == 0) {
		maildrop_size(s, &count, &octets);
		reply(s, "+OK %zu %zu", count, octets);
	} else if (strcasecmp(cmd, "LIST") == 0) {
		do_list(s, arg);
	} else if (strcasecmp(cmd, "RETR") == 0) {
		if (msg_arg(s, arg, &i))
			send_message(s, i);
	} else if (strcasecmp(cmd, "DELE") == 0) {
		if (msg_arg(s, arg, &i)) {
			s->deleted[i] = true;
			reply(s, "+OK message %zu deleted", i + 1);
		}
	} else if (strcasecmp(cmd, "RSET") == 0) {
		memset(s->deleted, 0, sizeof s->deleted);
		maildrop_size(s, &count, &octets);
		reply(s, "+OK maildrop has %zu messages (%zu octets)", count, octets);
	} else if (strcasecmp(cmd, "NOOP") == 0) {
		reply(s, "+OK");
	} else {
		reply(s, "-ERR unknown command");
	}
}

static void authorization(struct pop3_sess *s, const char *cmd, const char *arg)
{
	size_t count, octets;
	if (strcasecmp(cmd, "USER") == 0 && arg && strlen(arg) < sizeof s->user) {
		snprintf(s->user, sizeof s->user, "%s", arg);
		reply(s, "+OK Password required for %s.", s->user);
		pop3_go(s, POP3_PASS);
	} else if (strcasecmp(cmd, "PASS") == 0 && s->state == POP3_PASS) {
		pop3_go(s, POP3_TRANSACTION);
		maildrop_size(s, &count, &octets);
		reply(s, "+OK %s's maildrop has %zu message%s (%zu octets)", s->user, count,
		      count == 1 ? "" : "s", octets);
	} else if (strcasecmp(cmd, "PASS") == 0) {
		reply(s, "-ERR USER first");
	} else {
		reply(s, "-ERR unknown command");
	}
}

static void command(struct pop3_sess *s, char *line)
{
	char *cmd = line, *arg = strchr(line, ' ');
	if (arg) {
		*arg++ = '\0';
		if (!*arg)
			arg = NULL;
	}
	if (strcasecmp(cmd, "QUIT") == 0) {
		reply(s, "+OK POP3 server signing off");
		pop3_go(s, POP3_CLOSED);
	} else if (s->state == POP3_TRANSACTION) {
		transaction(s, cmd, arg);
	} else {
		authorization(s, cmd, arg);
	}
}

static void on_command(struct svc_sess *base, char *line)
{
	command((struct pop3_sess *)(void *)base, line);
}

static void on_line_too_long(struct svc_sess *base)
{
	reply((struct pop3_sess *)(void *)base, "-ERR line too long");
}

static void on_overflow(struct svc_sess *base)
{
	pop3_go((struct pop3_sess *)(void *)base, POP3_CLOSED);
}

static void on_accepted(struct svc_sess *base)
{
	struct pop3_sess *s = (struct pop3_sess *)(void *)base;
	s->state = POP3_USER;
	reply(s, "+OK POP3 ready");
}

static void free_sess(struct svc_sess *base)
{
	svc_mbox_free(&((struct pop3_sess *)(void *)base)->mb);
}

int cmd_pop3d(struct sim_node *n, int argc, char **argv)
{
	static const struct svc_mail_proto proto = {
		.name = "pop3d", .port = POP3_PORT, .sess_size = sizeof(struct pop3_sess),
		.line_max = POP3_LINE, .accepted = on_accepted, .command = on_command,
		.line_too_long = on_line_too_long, .overflow = on_overflow, .free_sess = free_sess,
	};
	return svc_maild_cmd(n, argc, argv, &proto);
}

/* ---- client -------------------------------------------------------------------------------- */

enum pop3c_state {
	POP3C_CONNECTING, POP3C_GREETING, POP3C_USER, POP3C_PASS, POP3C_STAT, POP3C_LIST,
	POP3C_RETR, POP3C_QUIT, POP3C_DONE, POP3C_NSTATES
};

static const char *const pop3c_state_names[POP3C_NSTATES] = {
	"CONNECTING", "GREETING", "USER", "PASS", "STAT", "LIST", "RETR", "QUIT", "DONE",
};

struct pop3c {
	struct svc_mailc base;      /* first: the connection, as svc_mailc_cmd made it */
	enum pop3c_state state;
	bool multiline;             /* inside a multi-line answer, until "." */
	long nmsgs, retr;           /* from STAT; the message RETR is fetching */
};

static void pop3c_send(struct pop3c *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pop3c_send(struct pop3c *c, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	svc_mailc_send(&c->base, buf);
}

/* The one place the client changes state: each state's command goes out on entry. */
static void pop3c_go(struct pop3c *c, enum pop3c_state to)
{
	c->state = to;
	switch (to) {
	case POP3C_USER: pop3c_send(c, "USER %s", c->base.user); break;
	case POP3C_PASS: pop3c_send(c, "PASS %s", c->base.pass); break;
	case POP3C_STAT: pop3c_send(c, "STAT"); break;
	case POP3C_LIST: pop3c_send(c, "LIST"); break;
	case POP3C_RETR: pop3c_send(c, "RETR %ld", c->retr); break;
	case POP3C_QUIT: pop3c_send(c, "QUIT"); break;
	case POP3C_DONE:
		svc_mailc_close(&c->base);
		break;
	case POP3C_CONNECTING:
	case POP3C_GREETING:
	case POP3C_NSTATES:
		break;
	}
	(void)pop3c_state_names;
}

/* After a complete answer (one line, or a multi-line one's final dot). */
static void pop3c_next(struct pop3c *c, bool ok)
{
	if (!ok && c->state != POP3C_RETR) {
		pop3c_go(c, c->state == POP3C_QUIT ? POP3C_DONE : POP3C_QUIT);
		return;
	}
	switch (c->state) {
	case POP3C_GREETING: pop3c_go(c, POP3C_USER); break;
	case POP3C_USER: pop3c_go(c, POP3C_PASS); break;
	case POP3C_PASS: pop3c_go(c, POP3C_STAT); break;
	case POP3C_STAT: pop3c_go(c, POP3C_LIST); break;
	case POP3C_LIST:
	case POP3C_RETR:
		c->retr++;
		pop3c_go(c, c->retr <= c->nmsgs ? POP3C_RETR : POP3C_QUIT);
		break;
	case POP3C_QUIT: pop3c_go(c, POP3C_DONE); break;
	default: break;
	}
}

static void pop3c_line(struct pop3c *c, const char *line)
{
	apps_say(c->base.node, "S:%s%s", *line ? " " : "", line);
	if (c->multiline) {
		if (strcmp(line, ".") == 0) {
			c->multiline = false;
			pop3c_next(c, true);
		}
		return;
	}
	bool ok = strncmp(line, "+OK", 3) == 0;
	if (ok && c->state == POP3C_STAT && sscanf(line + 3, "%ld", &c->nmsgs) != 1)
		c->nmsgs = 0;
	if (ok && (c->state == POP3C_LIST || c->state == POP3C_RETR)) {
		c->multiline = true;
		return;
	}
	pop3c_next(c, ok);
}

static void pop3c_data(void *user, struct tcp_conn *conn, const uint8_t *data, size_t len)
{
	struct pop3c *c = user;
	char line[1024];
	(void)conn;
	if (c->state == POP3C_DONE || !svc_rx_add(&c->base.rx, data, len))
		return;
	for (int rc; c->state != POP3C_DONE && (rc = svc_rx_line(&c->base.rx, line, sizeof line)) != 0;)
		pop3c_line(c, rc > 0 ? line : "(line too long)");
}

static void pop3c_connected(struct svc_mailc *base)
{
	pop3c_go((struct pop3c *)(void *)base, POP3C_GREETING);
}

/* The server closes after its +OK to QUIT: the normal end. */
static bool pop3c_close_expected(struct svc_mailc *base)
{
	struct pop3c *c = (struct pop3c *)(void *)base;
	return c->state == POP3C_QUIT && !c->multiline;
}

static void pop3c_end(struct svc_mailc *base)
{
	pop3c_go((struct pop3c *)(void *)base, POP3C_DONE);
}

int cmd_pop3(struct sim_node *n, int argc, char **argv)
{
	static const struct svc_mailc_proto proto = {
		.name = "pop3", .port = POP3_PORT, .size = sizeof(struct pop3c),
		.connected = pop3c_connected, .data = pop3c_data,
		.close_expected = pop3c_close_expected, .end = pop3c_end,
	};
	return svc_mailc_cmd(n, argc, argv, &proto);
}
