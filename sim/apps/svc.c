/*
 * Shared plumbing of the jail services: see svc.h.
 */
#include "svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- receive buffer ----------------------------------------------------------------------- */

bool svc_rx_add(struct svc_rx *rx, const uint8_t *p, size_t n)
{
	if (n > rx->max - rx->len || rx->len > rx->max)
		return false;
	if (rx->len + n > rx->cap) {
		size_t cap = rx->cap ? rx->cap : 512;
		while (cap < rx->len + n)
			cap *= 2;
		rx->data = sim_xrealloc(rx->data, cap, 1);
		rx->cap = cap;
	}
	memcpy(rx->data + rx->len, p, n);
	rx->len += n;
	return true;
}

void svc_rx_consume(struct svc_rx *rx, size_t n)
{
	if (n >= rx->len) {
		rx->len = 0;
		return;
	}
	memmove(rx->data, rx->data + n, rx->len - n);
	rx->len -= n;
}

int svc_rx_line(struct svc_rx *rx, char *out, size_t cap)
{
	const uint8_t *nl = rx->len ? memchr(rx->data, '\n', rx->len) : NULL;
	if (!nl)
		return 0;
	size_t used = (size_t)(nl - rx->data) + 1, n = used - 1;
	if (n > 0 && rx->data[n - 1] == '\r')
		n--;
	int rc = n < cap ? 1 : -1;
	if (rc == 1) {
		memcpy(out, rx->data, n);
		out[n] = '\0';
	}
	svc_rx_consume(rx, used);
	return rc;
}

void svc_rx_free(struct svc_rx *rx)
{
	free(rx->data);
	memset(rx, 0, sizeof *rx);
}

/* ---- server sessions ---------------------------------------------------------------------- */

static struct svc_sess *free_slot(struct svc_server *srv)
{
	for (size_t i = 0; i < srv->nsess; i++)
		if (!srv->sess[i]->active)
			return srv->sess[i];
	srv->sess = sim_xrealloc(srv->sess, srv->nsess + 1, sizeof *srv->sess);
	struct svc_sess *s = sim_xcalloc(1, srv->size);
	srv->sess[srv->nsess++] = s;
	return s;
}

/* The session's own part (after the svc_sess header) starts zeroed for each connection. */
static void reset_slot(struct svc_server *srv, struct svc_sess *s)
{
	if (srv->free_sess)
		srv->free_sess(s);
	svc_rx_free(&s->rx);
	free(s->out);
	memset(s, 0, srv->size);
}

struct svc_accept {
	struct svc_server *srv;
	struct tcp_callbacks cb;
	void (*accepted)(struct svc_sess *s);
};

static void on_accept(void *user, struct tcp_conn *c)
{
	struct svc_accept *a = user;
	struct svc_sess *s = free_slot(a->srv);
	reset_slot(a->srv, s);
	s->active = true;
	s->conn = c;
	s->server = a->srv;
	s->rx.max = 64 * 1024; /* a client sending more without a line end is cut off */
	struct tcp_callbacks cb = a->cb;
	cb.user = s;
	tcp_set_callbacks(c, &cb);
	a->accepted(s);
	svc_flush(s);
}

bool svc_server_start(struct svc_server *srv, struct sim_node *n, const char *name,
                      uint16_t port, bool v6, size_t size, const struct tcp_callbacks *cb,
                      void (*accepted)(struct svc_sess *s))
{
	struct svc_accept *a = sim_xcalloc(1, sizeof *a);
	*a = (struct svc_accept){ .srv = srv, .cb = *cb, .accepted = accepted };
	srv->node = n;
	srv->size = size < sizeof(struct svc_sess) ? sizeof(struct svc_sess) : size;
	srv->lis4 = tcp_listen(n, 4, port, on_accept, a);
	if (v6 && srv->lis4)
		srv->lis6 = tcp_listen(n, 6, port, on_accept, a);
	if (!srv->lis4 || (v6 && !srv->lis6)) {
		if (srv->lis4)
			tcp_unlisten(srv->lis4);
		srv->lis4 = NULL;
		free(a);
		apps_say(n, "%s: bind: Address already in use", name);
		return false;
	}
	srv->acc = a;
	return true;
}

void svc_server_release(struct svc_server *srv)
{
	for (size_t i = 0; i < srv->nsess; i++) {
		if (srv->free_sess)
			srv->free_sess(srv->sess[i]);
		svc_rx_free(&srv->sess[i]->rx);
		free(srv->sess[i]->out);
		free(srv->sess[i]);
	}
	free(srv->sess);
	free(srv->acc);
	srv->sess = NULL;
	srv->acc = NULL;
	srv->nsess = 0;
}

void svc_send(struct svc_sess *s, const char *text)
{
	size_t n = strlen(text);
	if (!s->active || !s->conn)
		return;
	if (s->outlen + n > s->outcap) {
		s->outcap = 2 * (s->outlen + n);
		s->out = sim_xrealloc(s->out, s->outcap, 1);
	}
	memcpy(s->out + s->outlen, text, n);
	s->outlen += n;
}

void svc_flush(struct svc_sess *s)
{
	if (s->active && s->conn && s->outlen)
		tcp_send(s->conn, (const uint8_t *)s->out, s->outlen);
	s->outlen = 0;
}

void svc_close(struct svc_sess *s)
{
	svc_flush(s);
	if (s->active && s->conn)
		tcp_close(s->conn);
	s->conn = NULL;
	s->active = false;
}

void svc_on_closed(void *user, struct tcp_conn *c)
{
	(void)c;
	svc_close(user);
}

void svc_on_error(void *user, struct tcp_conn *c, const char *reason)
{
	(void)c;
	(void)reason;
	svc_close(user); /* gives the CLOSED handle back */
}

/* ---- clients ------------------------------------------------------------------------------- */

bool svc_parse_dst(struct sim_node *n, const char *text, uint16_t port, struct tp_addr *dst)
{
	memset(dst, 0, sizeof *dst);
	dst->port = port;
	if (apps_parse4(text, dst->addr)) {
		dst->family = 4;
		return true;
	}
	struct sim_iface *scope = NULL;
	if (apps_parse6(n, text, dst->addr, &scope) != 0)
		return false;
	dst->family = 6;
	dst->ifp = scope;
	return true;
}

/* ---- mbox mailboxes ------------------------------------------------------------------------ */

static bool safe_user(const char *user)
{
	if (!*user || strlen(user) > 32)
		return false;
	for (const char *p = user; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return false;
	return user[0] != '.';
}

/* Append text[0..len) to the message being built, with CR LF line ends. */
static void add_line(char **msg, size_t *mlen, const char *line, size_t len)
{
	*msg = sim_xrealloc(*msg, *mlen + len + 3, 1);
	memcpy(*msg + *mlen, line, len);
	(*msg)[*mlen + len] = '\r';
	(*msg)[*mlen + len + 1] = '\n';
	*mlen += len + 2;
	(*msg)[*mlen] = '\0';
}

static void finish_msg(struct svc_mbox *mb, char *msg, size_t mlen)
{
	/* The blank line that separates mbox messages is not the message's. */
	if (mlen >= 4 && memcmp(msg + mlen - 4, "\r\n\r\n", 4) == 0) {
		mlen -= 2;
		msg[mlen] = '\0';
	}
	if (mb->n == SVC_MAX_MSGS) {
		free(msg);
		return;
	}
	mb->msg[mb->n] = msg ? msg : sim_xstrdup("");
	mb->size[mb->n++] = mlen;
	mb->total += mlen;
}

void svc_mbox_load(struct svc_mbox *mb, const struct sim_node *n, const char *dir,
                   const char *user)
{
	char path[256];
	memset(mb, 0, sizeof *mb);
	if (!safe_user(user) || (size_t)snprintf(path, sizeof path, "%s/%s", dir, user) >= sizeof path)
		return;
	const struct sim_file *f = sim_file_get(n, path);
	if (!f)
		return;
	char *msg = NULL;
	size_t mlen = 0;
	bool in_msg = false;
	for (const char *p = f->data, *end = f->data + f->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len >= 5 && memcmp(p, "From ", 5) == 0) {
			if (in_msg)
				finish_msg(mb, msg, mlen);
			msg = NULL;
			mlen = 0;
			in_msg = true;
		} else if (in_msg) {
			add_line(&msg, &mlen, p, len);
		}
		p = nl ? nl + 1 : end;
	}
	if (in_msg)
		finish_msg(mb, msg, mlen);
}

void svc_mbox_free(struct svc_mbox *mb)
{
	for (size_t i = 0; i < mb->n; i++)
		free(mb->msg[i]);
	memset(mb, 0, sizeof *mb);
}

/* ---- line-based mail daemons ------------------------------------------------------------------ */

static void maild_on_data(void *user, struct tcp_conn *c, const uint8_t *data, size_t len)
{
	struct svc_sess *s = user;
	const struct svc_mail_proto *p = ((struct svc_maild *)s->server)->proto;
	char line[1024];
	size_t cap = p->line_max < sizeof line ? p->line_max : sizeof line;
	(void)c;
	if (!svc_rx_add(&s->rx, data, len)) {
		p->overflow(s);
		return;
	}
	while (s->active) {
		int rc = svc_rx_line(&s->rx, line, cap);
		if (rc == 0)
			return;
		if (rc < 0)
			p->line_too_long(s);
		else
			p->command(s, line);
		svc_flush(s);
	}
}

static void maild_free(struct sim *sim, void *user)
{
	struct svc_maild *d = user;
	(void)sim;
	svc_server_release(&d->srv);
	free(d);
}

int svc_maild_cmd(struct sim_node *n, int argc, char **argv, const struct svc_mail_proto *proto)
{
	struct apps_opt g;
	const char *dir = "/var/mail";
	long port = proto->port;
	bool v6 = false;
	int ch;
	apps_opt_init(&g);
	while ((ch = apps_getopt(&g, argc, argv, "6d:p:")) != -1) {
		if (ch == '6')
			v6 = true;
		else if (ch == 'd' && strlen(g.arg) < sizeof ((struct svc_maild *)0)->dir)
			dir = g.arg;
		else if (ch != 'p' || !apps_parse_long(g.arg, 1, 65535, &port)) {
			apps_say(n, "usage: %s [-6] [-p port] [-d maildir]", proto->name);
			return APPS_EX_USAGE;
		}
	}
	if (!n->tp)
		return 1;
	struct svc_maild *d = sim_xcalloc(1, sizeof *d);
	sim_on_free(n->sim, maild_free, d);
	snprintf(d->dir, sizeof d->dir, "%s", dir);
	d->proto = proto;
	d->srv.free_sess = proto->free_sess;
	static const struct tcp_callbacks cb = { .data = maild_on_data, .closed = svc_on_closed,
		                                 .error = svc_on_error };
	return svc_server_start(&d->srv, n, proto->name, (uint16_t)port, v6, proto->sess_size, &cb,
	                        proto->accepted) ? 0 : 1;
}

/* ---- line-based mail clients ---------------------------------------------------------------- */

void svc_mailc_send(struct svc_mailc *c, const char *line)
{
	char buf[200];
	int n = snprintf(buf, sizeof buf - 2, "%s", line);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof buf - 2 ? (size_t)n : sizeof buf - 3;

	apps_say(c->node, "C: %.*s", (int)len, buf);
	memcpy(buf + len, "\r\n", 2);
	if (c->conn)
		tcp_send(c->conn, (const uint8_t *)buf, len + 2);
}

void svc_mailc_close(struct svc_mailc *c)
{
	if (c->conn)
		tcp_close(c->conn);
	c->conn = NULL;
	svc_rx_free(&c->rx);
	c->closed = true;
}

/* Refused, unreachable, or gone in the middle: say so the way the clients do. */
static void mailc_lost(struct svc_mailc *c, const char *reason)
{
	if (c->closed)
		return;
	if (!c->connected)
		apps_say(c->node, "%s: connect to address %s: %s", c->proto->name, c->addr, reason);
	else
		apps_say(c->node, "%s: connection closed by foreign host", c->proto->name);
	c->proto->end(c);
}

static void mailc_connected(void *user, struct tcp_conn *conn)
{
	struct svc_mailc *c = user;
	(void)conn;
	c->connected = true;
	c->proto->connected(c);
}

static void mailc_closed(void *user, struct tcp_conn *conn)
{
	struct svc_mailc *c = user;
	(void)conn;
	if (c->proto->close_expected && c->proto->close_expected(c))
		c->proto->end(c);
	else
		mailc_lost(c, "Connection closed");
}

static void mailc_error(void *user, struct tcp_conn *conn, const char *reason)
{
	(void)conn;
	mailc_lost(user, reason);
}

static void mailc_free(struct sim *sim, void *user)
{
	struct svc_mailc *c = user;
	(void)sim;
	svc_rx_free(&c->rx);
	free(c);
}

int svc_mailc_cmd(struct sim_node *n, int argc, char **argv, const struct svc_mailc_proto *proto)
{
	struct apps_opt g;
	long port = proto->port;
	int ch;
	apps_opt_init(&g);
	while ((ch = apps_getopt(&g, argc, argv, "p:")) != -1)
		if (ch != 'p' || !apps_parse_long(g.arg, 1, 65535, &port))
			break;
	if (ch != -1 || argc - g.ind != 3 || strlen(argv[g.ind]) >= APPS_ADDRSTRLEN ||
	    strlen(argv[g.ind + 1]) >= 64 || strlen(argv[g.ind + 2]) >= 64) {
		apps_say(n, "usage: %s [-p port] address user password", proto->name);
		return APPS_EX_USAGE;
	}
	struct tp_addr dst;
	if (!svc_parse_dst(n, argv[g.ind], (uint16_t)port, &dst) || !n->tp) {
		apps_say(n, "%s: %s: hostname nor servname provided, or not known", proto->name,
		         argv[g.ind]);
		return 1;
	}
	struct svc_mailc *c = sim_xcalloc(1, proto->size);
	sim_on_free(n->sim, mailc_free, c);
	c->node = n;
	c->proto = proto;
	c->rx.max = 256 * 1024;
	snprintf(c->addr, sizeof c->addr, "%s", argv[g.ind]);
	snprintf(c->user, sizeof c->user, "%s", argv[g.ind + 1]);
	snprintf(c->pass, sizeof c->pass, "%s", argv[g.ind + 2]);
	const struct tcp_callbacks cb = { .connected = mailc_connected, .data = proto->data,
		                          .closed = mailc_closed, .error = mailc_error, .user = c };
	const char *err = "No route to host";
	c->conn = tcp_connect(n, &dst, &cb, &err);
	if (!c->conn) {
		mailc_lost(c, err);
		return 1;
	}
	return 0;
}
