/*
 * IMAP4rev1 (RFC 3501), the subset a mail client's first look needs: the
 * server for the mail jail and a scripted client.
 *
 *   imapd [-6] [-p PORT] [-d MAILDIR]   server, port 143, INBOX = MAILDIR/USER (mbox,
 *                                       default /var/mail), IPv4 (-6: also IPv6)
 *   imap [-p PORT] ADDR USER PASS       client: CAPABILITY, LOGIN, SELECT INBOX, FETCH n
 *                                       (BODY[]) of every message, LOGOUT; prints the
 *                                       dialogue: "C: " what it sent, "S: " each line
 *                                       received (a literal's lines too)
 *
 * Server commands: CAPABILITY, NOOP, LOGOUT, LOGIN (atoms or quoted
 * strings; any password), SELECT / EXAMINE INBOX, FETCH SET ITEMS with
 * BODY[], BODY.PEEK[], RFC822, RFC822.SIZE, FLAGS, UID. Fetching a body
 * sets \Seen, and the FETCH response then carries the new FLAGS.
 */
#include "svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMAP_PORT 143
#define IMAP_LINE 512

/* ---- server ------------------------------------------------------------------------------- */

enum imap_state { IMAP_NOTAUTH, IMAP_AUTH, IMAP_SELECTED, IMAP_LOGOUT, IMAP_NSTATES };

static const char *const imap_state_names[IMAP_NSTATES] = {
	"NOT AUTHENTICATED", "AUTHENTICATED", "SELECTED", "LOGOUT",
};

struct imap_sess {
	struct svc_sess base;       /* first: svc allocates and hands out sessions */
	enum imap_state state;
	char user[40];
	struct svc_mbox mb;
	bool seen[SVC_MAX_MSGS];
	bool read_only;
};

/* A growing output buffer for one response. */
struct obuf {
	char *p;
	size_t len, cap;
};

static void ob_add(struct obuf *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = sim_xrealloc(o->p, o->cap, 1);
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void ob_printf(struct obuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ob_printf(struct obuf *o, const char *fmt, ...)
{
	char buf[IMAP_LINE];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		ob_add(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void reply(struct imap_sess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply(struct imap_sess *s, const char *fmt, ...)
{
	char buf[IMAP_LINE + 64];
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

static void imap_go(struct imap_sess *s, enum imap_state to)
{
	struct svc_maild *d = s->base.server;
	enum imap_state from = s->state;
	s->state = to;
	if (to == IMAP_SELECTED && from != IMAP_SELECTED) {
		svc_mbox_load(&s->mb, d->srv.node, d->dir, s->user);
		memset(s->seen, 0, sizeof s->seen);
	} else if (to == IMAP_LOGOUT) {
		svc_close(&s->base);
	}
	(void)imap_state_names;
}

/* Next argument: an atom, or a quoted string (\" and \\ escapes). NULL when none. */
static char *next_arg(char **pp)
{
	char *p = *pp + strspn(*pp, " ");
	if (!*p)
		return NULL;
	char *start = p, *o = p;
	if (*p == '"') {
		start = o = ++p;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1])
				p++;
			*o++ = *p++;
		}
		if (*p != '"')
			return NULL;
		p++;
	} else {
		while (*p && *p != ' ')
			o = ++p;
	}
	if (*p)
		p++;
	*o = '\0';
	*pp = p;
	return start;
}

/* ---- FETCH ---- */

enum { F_BODY = 1, F_PEEK = 2, F_RFC822 = 4, F_SIZE = 8, F_FLAGS = 16, F_UID = 32 };

/* The items, with or without parentheses, into F_* bits; 0 when one is unknown. */
static unsigned parse_items(char *items)
{
	static const struct { const char *name; unsigned bit; } known[] = {
		{ "BODY[]", F_BODY }, { "BODY.PEEK[]", F_PEEK }, { "RFC822", F_RFC822 },
		{ "RFC822.SIZE", F_SIZE }, { "FLAGS", F_FLAGS }, { "UID", F_UID },
	};
	size_t n = strlen(items);
	if (n >= 2 && items[0] == '(' && items[n - 1] == ')') {
		items[n - 1] = '\0';
		items++;
	}
	unsigned bits = 0;
	for (char *w; (w = next_arg(&items)) != NULL;) {
		unsigned bit = 0;
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strcasecmp(w, known[i].name) == 0)
				bit = known[i].bit;
		if (!bit)
			return 0;
		bits |= bit;
	}
	return bits;
}

/* A sequence number or '*' (the last message) at *pp; false when neither. */
static bool seq_num(const char **pp, size_t nmsgs, unsigned long *v)
{
	const char *p = *pp;
	if (*p == '*') {
		*v = nmsgs;
		*pp = p + 1;
		return true;
	}
	if (*p < '0' || *p > '9')
		return false;
	*v = 0;
	while (*p >= '0' && *p <= '9' && *v < 100000)
		*v = *v * 10 + (unsigned long)(*p++ - '0');
	*pp = p;
	return *v > 0;
}

/* A sequence set ("1", "2:4", "1:*", "1,3") into a bitmap of message indexes. */
static bool parse_set(const char *set, size_t nmsgs, bool *want)
{
	const char *p = set;
	while (*p) {
		unsigned long lo, hi;
		if (!seq_num(&p, nmsgs, &lo))
			return false;
		hi = lo;
		if (*p == ':' && (p++, !seq_num(&p, nmsgs, &hi)))
			return false;
		if (*p && *p != ',')
			return false;
		if (lo > hi) {
			unsigned long t = lo;
			lo = hi;
			hi = t;
		}
		for (unsigned long k = lo; k >= 1 && k <= hi && k <= nmsgs; k++)
			want[k - 1] = true;
		p += *p == ',';
	}
	return true;
}

static void fetch_one(struct imap_sess *s, size_t i, unsigned items)
{
	struct obuf o = { 0 };
	bool set_seen = (items & (F_BODY | F_RFC822)) && !s->seen[i] && !s->read_only;
	if (set_seen)
		s->seen[i] = true;
	ob_printf(&o, "* %zu FETCH (", i + 1);
	const char *sep = "";
	if (items & F_UID)
		ob_printf(&o, "%sUID %zu", sep, i + 1), sep = " ";
	if (items & F_SIZE)
		ob_printf(&o, "%sRFC822.SIZE %zu", sep, s->mb.size[i]), sep = " ";
	if ((items & F_FLAGS) || set_seen)
		ob_printf(&o, "%sFLAGS (%s)", sep, s->seen[i] ? "\\Seen" : ""), sep = " ";
	const char *body = items & F_RFC822 ? "RFC822" : items & (F_BODY | F_PEEK) ? "BODY[]" : NULL;
	if (body) {
		ob_printf(&o, "%s%s {%zu}\r\n", sep, body, s->mb.size[i]);
		ob_add(&o, s->mb.msg[i], s->mb.size[i]);
	}
	ob_add(&o, ")\r\n", 3);
	svc_send(&s->base, o.p);
	free(o.p);
}

static void do_fetch(struct imap_sess *s, const char *tag, char *args)
{
	bool want[SVC_MAX_MSGS] = { false };
	char *set = next_arg(&args);
	unsigned items = parse_items(args + strspn(args, " "));
	if (!set || !items || !parse_set(set, s->mb.n, want)) {
		reply(s, "%s BAD Invalid FETCH arguments", tag);
		return;
	}
	for (size_t i = 0; i < s->mb.n; i++)
		if (want[i])
			fetch_one(s, i, items);
	reply(s, "%s OK FETCH completed", tag);
}

/* ---- commands by state ---- */

static void do_select(struct imap_sess *s, const char *tag, const char *cmd, char *args)
{
	char *box = next_arg(&args);
	if (!box || strcasecmp(box, "INBOX") != 0) {
		reply(s, "%s NO Mailbox does not exist", tag);
		return;
	}
	s->read_only = strcasecmp(cmd, "EXAMINE") == 0;
	imap_go(s, IMAP_SELECTED);
	reply(s, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
	reply(s, "* %zu EXISTS", s->mb.n);
	reply(s, "* %zu RECENT", s->mb.n);
	reply(s, "* OK [UIDVALIDITY 1] UIDs valid");
	reply(s, "* OK [UIDNEXT %zu] Predicted next UID", s->mb.n + 1);
	reply(s, "%s OK [%s] %s completed", tag, s->read_only ? "READ-ONLY" : "READ-WRITE",
	      s->read_only ? "EXAMINE" : "SELECT");
}

static void do_login(struct imap_sess *s, const char *tag, char *args)
{
	char *user = next_arg(&args), *pass = next_arg(&args);
	if (!user || !pass || strlen(user) >= sizeof s->user) {
		reply(s, "%s BAD Invalid LOGIN arguments", tag);
		return;
	}
	snprintf(s->user, sizeof s->user, "%s", user);
	imap_go(s, IMAP_AUTH);
	reply(s, "%s OK LOGIN completed", tag);
}

static void command(struct imap_sess *s, char *line)
{
	char *p = line, *tag = next_arg(&p), *cmd = tag ? next_arg(&p) : NULL;
	if (!cmd) {
		reply(s, "%s BAD Missing command", tag ? tag : "*");
	} else if (strcasecmp(cmd, "CAPABILITY") == 0) {
		reply(s, "* CAPABILITY IMAP4rev1");
		reply(s, "%s OK CAPABILITY completed", tag);
	} else if (strcasecmp(cmd, "NOOP") == 0) {
		reply(s, "%s OK NOOP completed", tag);
	} else if (strcasecmp(cmd, "LOGOUT") == 0) {
		reply(s, "* BYE IMAP4rev1 Server logging out");
		reply(s, "%s OK LOGOUT completed", tag);
		imap_go(s, IMAP_LOGOUT);
	} else if (strcasecmp(cmd, "LOGIN") == 0 && s->state == IMAP_NOTAUTH) {
		do_login(s, tag, p);
	} else if ((strcasecmp(cmd, "SELECT") == 0 || strcasecmp(cmd, "EXAMINE") == 0) &&
	           s->state != IMAP_NOTAUTH) {
		do_select(s, tag, cmd, p);
	} else if (strcasecmp(cmd, "FETCH") == 0 && s->state == IMAP_SELECTED) {
		do_fetch(s, tag, p);
	} else {
		reply(s, "%s BAD Command unknown or not valid in this state", tag);
	}
}

static void on_command(struct svc_sess *base, char *line)
{
	command((struct imap_sess *)(void *)base, line);
}

static void on_line_too_long(struct svc_sess *base)
{
	reply((struct imap_sess *)(void *)base, "* BAD Line too long");
}

static void on_overflow(struct svc_sess *base)
{
	imap_go((struct imap_sess *)(void *)base, IMAP_LOGOUT);
}

static void on_accepted(struct svc_sess *base)
{
	struct imap_sess *s = (struct imap_sess *)(void *)base;
	s->state = IMAP_NOTAUTH;
	reply(s, "* OK IMAP4rev1 ready");
}

static void free_sess(struct svc_sess *base)
{
	svc_mbox_free(&((struct imap_sess *)(void *)base)->mb);
}

int cmd_imapd(struct sim_node *n, int argc, char **argv)
{
	static const struct svc_mail_proto proto = {
		.name = "imapd", .port = IMAP_PORT, .sess_size = sizeof(struct imap_sess),
		.line_max = IMAP_LINE, .accepted = on_accepted, .command = on_command,
		.line_too_long = on_line_too_long, .overflow = on_overflow, .free_sess = free_sess,
	};
	return svc_maild_cmd(n, argc, argv, &proto);
}

/* ---- client -------------------------------------------------------------------------------- */

enum imapc_state {
	IMAPC_CONNECTING, IMAPC_GREETING, IMAPC_CAPABILITY, IMAPC_LOGIN, IMAPC_SELECT,
	IMAPC_FETCH, IMAPC_LOGOUT, IMAPC_DONE, IMAPC_NSTATES
};

static const char *const imapc_state_names[IMAPC_NSTATES] = {
	"CONNECTING", "GREETING", "CAPABILITY", "LOGIN", "SELECT", "FETCH", "LOGOUT", "DONE",
};

struct imapc {
	struct svc_mailc base;      /* first: the connection, as svc_mailc_cmd made it */
	enum imapc_state state;
	char tag[8];                /* of the command in flight: a001, a002, ... */
	int ntag;
	size_t literal;             /* bytes of a {N} literal still to come */
	long exists, fetch;
};

static void imapc_send(struct imapc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void imapc_send(struct imapc *c, const char *fmt, ...)
{
	char cmd[160], buf[180];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	snprintf(c->tag, sizeof c->tag, "a%03d", ++c->ntag % 1000);
	snprintf(buf, sizeof buf, "%s %s", c->tag, cmd);
	svc_mailc_send(&c->base, buf);
}

/* The one place the client changes state: each state's command goes out on entry. */
static void imapc_go(struct imapc *c, enum imapc_state to)
{
	c->state = to;
	switch (to) {
	case IMAPC_CAPABILITY: imapc_send(c, "CAPABILITY"); break;
	case IMAPC_LOGIN: imapc_send(c, "LOGIN %s %s", c->base.user, c->base.pass); break;
	case IMAPC_SELECT: imapc_send(c, "SELECT INBOX"); break;
	case IMAPC_FETCH: imapc_send(c, "FETCH %ld (BODY[])", c->fetch); break;
	case IMAPC_LOGOUT: imapc_send(c, "LOGOUT"); break;
	case IMAPC_DONE:
		svc_mailc_close(&c->base);
		break;
	case IMAPC_CONNECTING:
	case IMAPC_GREETING:
	case IMAPC_NSTATES:
		break;
	}
	(void)imapc_state_names;
}

/* The command in flight completed (tagged OK, or NO/BAD when !ok). */
static void imapc_next(struct imapc *c, bool ok)
{
	if (!ok && c->state != IMAPC_FETCH && c->state != IMAPC_CAPABILITY) {
		imapc_go(c, c->state == IMAPC_LOGOUT ? IMAPC_DONE : IMAPC_LOGOUT);
		return;
	}
	switch (c->state) {
	case IMAPC_GREETING: imapc_go(c, IMAPC_CAPABILITY); break;
	case IMAPC_CAPABILITY: imapc_go(c, IMAPC_LOGIN); break;
	case IMAPC_LOGIN: imapc_go(c, IMAPC_SELECT); break;
	case IMAPC_SELECT:
	case IMAPC_FETCH:
		c->fetch++;
		imapc_go(c, c->fetch <= c->exists ? IMAPC_FETCH : IMAPC_LOGOUT);
		break;
	case IMAPC_LOGOUT: imapc_go(c, IMAPC_DONE); break;
	default: break;
	}
}

static void imapc_line(struct imapc *c, const char *line)
{
	size_t n = strlen(line), tl = strlen(c->tag);
	apps_say(c->base.node, "S:%s%s", *line ? " " : "", line);
	long k;
	int end = 0;
	if (sscanf(line, "* %ld EXISTS%n", &k, &end) == 1 && end > 0 && !line[end] && k >= 0)
		c->exists = k;
	const char *brace = n > 2 && line[n - 1] == '}' ? strrchr(line, '{') : NULL;
	unsigned long lit;
	char close;
	if (brace && sscanf(brace, "{%lu%c", &lit, &close) == 2 && close == '}' && lit < (1u << 20)) {
		c->literal = lit;
		return;
	}
	if (c->state == IMAPC_GREETING) {
		imapc_next(c, strncmp(line, "* OK", 4) == 0);
		return;
	}
	if (strncmp(line, c->tag, tl) == 0 && line[tl] == ' ')
		imapc_next(c, strncmp(line + tl + 1, "OK", 2) == 0);
}

/* Lines of a literal: printed like any line, without looking inside them. */
static void imapc_literal(struct imapc *c)
{
	size_t avail = c->base.rx.len < c->literal ? c->base.rx.len : c->literal;
	const uint8_t *nl = avail ? memchr(c->base.rx.data, '\n', avail) : NULL;
	size_t take = nl ? (size_t)(nl - c->base.rx.data) + 1 : avail;
	if (!nl && c->base.rx.len < c->literal)
		return; /* the rest of this line is still on its way */
	size_t text = take - (nl != NULL);
	if (text && c->base.rx.data[text - 1] == '\r')
		text--;
	apps_say(c->base.node, "S:%s%.*s", text ? " " : "", (int)text, (const char *)c->base.rx.data);
	svc_rx_consume(&c->base.rx, take);
	c->literal -= take;
}

static void imapc_data(void *user, struct tcp_conn *conn, const uint8_t *data, size_t len)
{
	struct imapc *c = user;
	char line[1024];
	(void)conn;
	if (c->state == IMAPC_DONE || !svc_rx_add(&c->base.rx, data, len))
		return;
	while (c->state != IMAPC_DONE && c->base.rx.len) {
		size_t before = c->base.rx.len;
		if (c->literal) {
			imapc_literal(c);
		} else {
			int rc = svc_rx_line(&c->base.rx, line, sizeof line);
			if (rc == 0)
				return;
			imapc_line(c, rc > 0 ? line : "(line too long)");
		}
		if (c->state != IMAPC_DONE && c->base.rx.len == before)
			return; /* waiting for more of a literal line */
	}
}

static void imapc_connected(struct svc_mailc *base)
{
	imapc_go((struct imapc *)(void *)base, IMAPC_GREETING);
}

static void imapc_end(struct svc_mailc *base)
{
	imapc_go((struct imapc *)(void *)base, IMAPC_DONE);
}

int cmd_imap(struct sim_node *n, int argc, char **argv)
{
	static const struct svc_mailc_proto proto = {
		.name = "imap", .port = IMAP_PORT, .size = sizeof(struct imapc),
		.connected = imapc_connected, .data = imapc_data, .end = imapc_end,
	};
	return svc_mailc_cmd(n, argc, argv, &proto);
}
