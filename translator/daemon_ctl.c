/*
 * The control socket: a UNIX stream socket on which nat6to4ctl sends one
 * command line and reads the answer until the daemon closes the
 * connection. Commands: `show sessions`, `show counters`, `show config`.
 * An unknown command is answered with a line starting "error: ".
 *
 * Clients are nonblocking and served from the main poll loop (a slow
 * reader of a big session table must never stall translation); the answer
 * is built whole, then written as the socket accepts it.
 */
#define _GNU_SOURCE /* accept4 */
#include "daemon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

/* ---- a growing text buffer ------------------------------------------------ */

struct text {
	char *s;
	size_t len, cap;
	int oom;
};

static void tprintf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap : 4096;
		while (cap <= t->len + (size_t)n)
			cap *= 2;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->oom = 1;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
}

/* ---- the answers ---------------------------------------------------------- */

static void show_config(struct daemon *d, struct text *t)
{
	size_t n = nat6to4_config_format(d->cfg, NULL, 0);
	char *buf = malloc(n + 1);

	if (!buf) {
		t->oom = 1;
		return;
	}
	nat6to4_config_format(d->cfg, buf, n + 1);
	tprintf(t, "# %s (in force)\n%s", d->conf_path, buf);
	free(buf);
	n = daemon_conf_format(&d->dconf, NULL, 0);
	buf = malloc(n + 1);
	if (!buf) {
		t->oom = 1;
		return;
	}
	daemon_conf_format(&d->dconf, buf, n + 1);
	tprintf(t, "%s", buf);
	free(buf);
}

static void show_counters(struct daemon *d, struct text *t)
{
	struct nat6to4_counters c;

	nat6to4_get_counters(d->nat, &c);
	tprintf(t, "%-22s %14s %14s\n", "reason", "6to4", "4to6");
	for (int r = 0; r < NAT6TO4_REASON_COUNT; r++)
		tprintf(t, "%-22s %14llu %14llu\n", nat6to4_reason_name((enum nat6to4_reason)r),
		        (unsigned long long)c.packets[0][r], (unsigned long long)c.packets[1][r]);
	tprintf(t, "%-22s %14llu %14llu\n", "emitted", (unsigned long long)c.emitted[0],
	        (unsigned long long)c.emitted[1]);
	tprintf(t, "\n%-22s %14llu\n", "fragments-out", (unsigned long long)c.fragments_out);
	tprintf(t, "%-22s %14llu\n", "icmp-errors-out", (unsigned long long)c.icmp_errors_out);
	tprintf(t, "%-22s %14llu\n", "sessions-created", (unsigned long long)c.sessions_created);
	tprintf(t, "%-22s %14llu\n", "sessions-expired", (unsigned long long)c.sessions_expired);
	tprintf(t, "%-22s %14llu\n", "sessions-active", (unsigned long long)c.sessions_active);
	tprintf(t, "%-22s %14llu\n", "bindings-active", (unsigned long long)c.bindings_active);
	tprintf(t, "\n%-22s %14llu\n", "tun-reads", (unsigned long long)d->stats.tun_reads);
	tprintf(t, "%-22s %14llu\n", "tun-writes", (unsigned long long)d->stats.tun_writes);
	tprintf(t, "%-22s %14llu\n", "tun-write-errors",
	        (unsigned long long)d->stats.tun_write_errors);
	tprintf(t, "%-22s %14llu\n", "tun-wakeups", (unsigned long long)d->stats.wakeups);
	tprintf(t, "%-22s %14s\n", "tun-offloads", d->vnet_hdr ? (d->offloads[0] ? d->offloads : "none granted") : "off");
	tprintf(t, "%-22s %14llu\n", "tun-super-packets", (unsigned long long)d->stats.gso_reads);
	tprintf(t, "%-22s %14llu\n", "tun-offload-drops", (unsigned long long)d->stats.offload_drops);
	tprintf(t, "%-22s %14llu\n", "reloads", (unsigned long long)d->stats.reloads);
	tprintf(t, "%-22s %14llu\n", "reloads-refused",
	        (unsigned long long)d->stats.reloads_refused);
}

struct walk {
	struct text *t;
	uint64_t now;
};

static void session_row(void *user, const struct nat6to4_session_info *s)
{
	struct walk *w = user;
	char v6[INET6_ADDRSTRLEN], v4[INET_ADDRSTRLEN], r4[INET_ADDRSTRLEN], r6[INET6_ADDRSTRLEN];
	const char *proto = s->proto == 6 ? "tcp" : s->proto == 17 ? "udp" : "icmp";
	char expires[24];

	inet_ntop(AF_INET6, s->v6_addr, v6, sizeof v6);
	inet_ntop(AF_INET, s->v4_addr, v4, sizeof v4);
	inet_ntop(AF_INET, s->remote4, r4, sizeof r4);
	inet_ntop(AF_INET6, s->remote6, r6, sizeof r6);
	if (s->expires_ns > w->now)
		snprintf(expires, sizeof expires, "%llus",
		         (unsigned long long)((s->expires_ns - w->now + 999999999ull) / 1000000000ull));
	else
		snprintf(expires, sizeof expires, "now");
	tprintf(w->t, "%-5s %-39s %5u  %-15s %5u  %-15s %5u  %-39s %-12s %8s%s\n", proto, v6,
	        s->v6_port, v4, s->v4_port, r4, s->remote_port, r6, s->state, expires,
	        s->is_static ? " static" : "");
}

static void show_sessions(struct daemon *d, struct text *t)
{
	struct walk w = { t, daemon_now_ns() };
	size_t n;

	tprintf(t, "%-5s %-39s %5s  %-15s %5s  %-15s %5s  %-39s %-12s %8s\n", "proto", "ipv6-host",
	        "port", "pool4", "port", "remote4", "port", "remote6", "state", "expires");
	n = nat6to4_sessions_walk(d->nat, session_row, &w);
	tprintf(t, "%zu session%s\n", n, n == 1 ? "" : "s");
}

char *ctl_answer(struct daemon *d, const char *line, size_t *len)
{
	struct text t = { 0 };
	char cmd[2][32] = { "", "" };
	char extra[2];
	int n = sscanf(line, "%31s %31s %1s", cmd[0], cmd[1], extra);

	if (n == 2 && strcmp(cmd[0], "show") == 0 && strcmp(cmd[1], "config") == 0)
		show_config(d, &t);
	else if (n == 2 && strcmp(cmd[0], "show") == 0 && strcmp(cmd[1], "counters") == 0)
		show_counters(d, &t);
	else if (n == 2 && strcmp(cmd[0], "show") == 0 && strcmp(cmd[1], "sessions") == 0)
		show_sessions(d, &t);
	else
		tprintf(&t, "error: unknown command '%.64s' (try: show sessions|counters|config)\n",
		        line);
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	*len = t.len;
	return t.s;
}

/* ---- the socket ------------------------------------------------------------- */

/* A daemon already answering on PATH must not lose its socket to us. */
static int someone_listens(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int alive;

	if (fd < 0)
		return 0;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0;
	close(fd);
	return alive;
}

int ctl_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode) || someone_listens(&sa)) {
			snprintf(err, errlen, "control-socket %s: %s", path,
			         S_ISSOCK(st.st_mode) ? "another daemon is answering on it"
			                              : "exists and is not a socket");
			return -1;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0) {
		snprintf(err, errlen, "control-socket %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Only root (who runs nat6to4ctl) may connect. */
	chmod(path, 0600);
	return fd;
}

static void client_close(struct ctl_client *c)
{
	close(c->fd);
	free(c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

void ctl_accept(struct daemon *d)
{
	int fd = accept4(d->ctl_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
		if (d->clients[i].fd < 0) {
			memset(&d->clients[i], 0, sizeof d->clients[i]);
			d->clients[i].fd = fd;
			return;
		}
	}
	dlog(&d->log, LOG_WARNING, "control socket: %d clients already, refusing one",
	     CTL_MAX_CLIENTS);
	close(fd);
}

static void client_read(struct daemon *d, struct ctl_client *c)
{
	ssize_t n = read(c->fd, c->in + c->inlen, sizeof c->in - 1 - c->inlen);
	char *nl;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	nl = strchr(c->in, '\n');
	if (!nl && c->inlen < sizeof c->in - 1)
		return;
	if (nl)
		*nl = '\0';
	c->out = ctl_answer(d, c->in, &c->outlen);
	if (!c->out)
		client_close(c);
}

static void client_write(struct ctl_client *c)
{
	ssize_t n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff == c->outlen)
		client_close(c);
}

void ctl_service(struct daemon *d, int i, short revents)
{
	struct ctl_client *c = &d->clients[i];

	if (c->fd < 0)
		return;
	if (c->out && (revents & (POLLOUT | POLLERR | POLLHUP)))
		client_write(c);
	else if (!c->out && (revents & (POLLIN | POLLERR | POLLHUP)))
		client_read(d, c);
}

void ctl_close_all(struct daemon *d)
{
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (d->clients[i].fd >= 0)
			client_close(&d->clients[i]);
}
