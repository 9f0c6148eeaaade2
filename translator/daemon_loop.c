/*
 * The daemon's event loop: one poll() over the TUN device, the signalfd
 * and the control socket (and its clients).
 *
 * Hot path: a TUN wakeup drains up to TUN_BATCH packets with read() until
 * EAGAIN, each translated by libnat6to4 whose emit() callback write()s the
 * result straight back to the TUN device. Nothing else makes a system call
 * per packet: the clock is read once per batch (clock_gettime is a vDSO
 * call) and logging happens only with -d.
 *
 * Signals come in through a signalfd, so no handler and no global flag:
 * SIGHUP reloads the file, SIGTERM and SIGINT end the loop.
 */
#include "daemon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define TUN_BATCH 64
#define EXPIRE_EVERY_NS 1000000000ull

uint64_t daemon_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * One packet out, in one writev(): with a virtio-net header, the header
 * first and the checksum field replaced when offload_finish says so (the
 * core's buffer is not ours to write into, so the field goes out as its
 * own piece); then the core's headers and, with scatter output, the
 * payload straight from the packet we read (never copied).
 */
static ssize_t write_packet(struct daemon *d, const struct nat6to4_out *out)
{
	struct virtio_net_hdr oh;
	struct iovec iov[5];
	uint16_t field;
	int n = 0;

	if (d->vnet_hdr) {
		size_t at = offload_finish(&d->cur, out->data, out->len,
		                           out->kind == NAT6TO4_OUT_TRANSLATED, &oh, &field);
		iov[n++] = (struct iovec){ &oh, sizeof oh };
		if (at) {
			iov[n++] = (struct iovec){ (void *)out->data, at };
			iov[n++] = (struct iovec){ &field, 2 };
			iov[n++] = (struct iovec){ (void *)(out->data + at + 2), out->len - at - 2 };
		} else {
			iov[n++] = (struct iovec){ (void *)out->data, out->len };
		}
	} else {
		iov[n++] = (struct iovec){ (void *)out->data, out->len };
	}
	if (out->tail_len)
		iov[n++] = (struct iovec){ (void *)out->tail, out->tail_len };
	ssize_t w = writev(d->tun_fd, iov, n);
	return d->vnet_hdr && w >= (ssize_t)sizeof oh ? w - (ssize_t)sizeof oh : w;
}

static void emit_to_tun(void *user, const struct nat6to4_out *out)
{
	struct daemon *d = user;

	/* A TUN write is netif_rx(): it does not block; a failure (no buffer,
	 * device down) loses this packet only, as a router would. */
	if (write_packet(d, out) == (ssize_t)(out->len + out->tail_len))
		d->stats.tun_writes++;
	else
		d->stats.tun_write_errors++;
}

/* "2001:db8::1 > 2001:db8:64::c000:201 proto 58" for the -d log line. */
static void describe(const uint8_t *p, size_t len, char *buf, size_t size)
{
	char s[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN];

	if (len >= 40 && p[0] >> 4 == 6) {
		inet_ntop(AF_INET6, p + 8, s, sizeof s);
		inet_ntop(AF_INET6, p + 24, t, sizeof t);
		snprintf(buf, size, "%s > %s proto %u", s, t, p[6]);
	} else if (len >= 20 && p[0] >> 4 == 4) {
		inet_ntop(AF_INET, p + 12, s, sizeof s);
		inet_ntop(AF_INET, p + 16, t, sizeof t);
		snprintf(buf, size, "%s > %s proto %u", s, t, p[9]);
	} else {
		snprintf(buf, size, "unparsable (first byte 0x%02x)", len ? p[0] : 0);
	}
}

void daemon_packet(struct daemon *d, const uint8_t *pkt, size_t len, uint64_t now)
{
	/* Anything that is not IPv4 goes to the 6to4 side, whose checks count
	 * it (truncated, bad-version, ...): the core is where drops are counted. */
	int v4 = len > 0 && pkt[0] >> 4 == 4;
	struct nat6to4_verdict v = v4 ? nat6to4_4to6(d->nat, pkt, len, now, emit_to_tun, d)
	                              : nat6to4_6to4(d->nat, pkt, len, now, emit_to_tun, d);

	if (d->log.debug) {
		char what[160];
		describe(pkt, len, what, sizeof what);
		dlog(&d->log, LOG_DEBUG, "%s %s len %zu: %s (%s)", v4 ? "4to6" : "6to4", what, len,
		     nat6to4_result_name(v.result), nat6to4_reason_name(v.reason));
	}
}

/* A read with a virtio-net header in front of the packet. */
static void vnet_packet(struct daemon *d, size_t n, uint64_t now)
{
	uint8_t *pkt = d->buf + sizeof d->cur.in;

	if (n < sizeof d->cur.in) {
		d->stats.offload_drops++;
		return;
	}
	memcpy(&d->cur.in, d->buf, sizeof d->cur.in);
	n -= sizeof d->cur.in;
	if (d->cur.in.gso_type != VIRTIO_NET_HDR_GSO_NONE)
		d->stats.gso_reads++;
	if (n == 0 || offload_prepare(&d->cur, pkt, n, d->cfg) < 0) {
		d->stats.offload_drops++;
		return;
	}
	daemon_packet(d, pkt, n, now);
}

/* Drain the TUN device: up to TUN_BATCH packets per wakeup. */
static void tun_drain(struct daemon *d)
{
	uint64_t now = daemon_now_ns();

	d->stats.wakeups++;
	for (int i = 0; i < TUN_BATCH; i++) {
		ssize_t n = read(d->tun_fd, d->buf, sizeof d->buf);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				dlog(&d->log, LOG_ERR, "tun read: %s", strerror(errno));
			return;
		}
		d->stats.tun_reads++;
		if (d->vnet_hdr)
			vnet_packet(d, (size_t)n, now);
		else
			daemon_packet(d, d->buf, (size_t)n, now);
	}
}

/* Directives that only a restart can change: say so rather than ignore. */
static void note_restart_only(struct daemon *d, const struct daemon_conf *nc)
{
	static const char *const names[] = { "tun-device", "user", "control-socket", "pidfile",
	                                     "offload" };
	const char *oldv[] = { d->dconf.tun_device, d->dconf.user, d->dconf.control_socket,
	                       d->dconf.pidfile, d->dconf.offload ? "yes" : "no" };
	const char *newv[] = { nc->tun_device, nc->user, nc->control_socket, nc->pidfile,
	                       nc->offload ? "yes" : "no" };

	for (int i = 0; i < 5; i++)
		if (strcmp(oldv[i], newv[i]) != 0)
			dlog(&d->log, LOG_WARNING, "reload: %s changed to '%s'; it takes effect "
			     "after a restart (still '%s')", names[i], newv[i], oldv[i]);
}

void daemon_reload(struct daemon *d)
{
	char err[512];
	struct daemon_conf nc;
	nat6to4_config *cfg = daemon_conf_load(d->conf_path, &nc, err, sizeof err);
	long kept;

	if (!cfg) {
		d->stats.reloads_refused++;
		dlog(&d->log, LOG_ERR, "reload refused, keeping the old configuration: %s", err);
		return;
	}
	kept = nat6to4_reload(d->nat, cfg, daemon_now_ns(), err, sizeof err);
	if (kept < 0) {
		d->stats.reloads_refused++;
		dlog(&d->log, LOG_ERR, "reload refused, keeping the old configuration: %s: %s",
		     d->conf_path, err);
		nat6to4_config_free(cfg);
		return;
	}
	note_restart_only(d, &nc);
	nat6to4_config_free(d->cfg);
	d->cfg = cfg;
	d->stats.reloads++;
	dlog(&d->log, LOG_INFO, "reloaded %s: %ld session%s kept", d->conf_path, kept,
	     kept == 1 ? "" : "s");
}

/* Returns 1 when the loop must end. */
static int on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			daemon_reload(d);
		} else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			dlog(&d->log, LOG_INFO, "%s: exiting", strsignal((int)si.ssi_signo));
			return 1;
		}
	}
	return 0;
}

static void expire_tick(struct daemon *d)
{
	uint64_t now = daemon_now_ns();

	if (now - d->last_expire_ns >= EXPIRE_EVERY_NS) {
		nat6to4_expire(d->nat, now);
		d->last_expire_ns = now;
	}
}

enum { P_TUN, P_SIG, P_CTL, P_CLIENTS };

static int poll_timeout_ms(const struct daemon *d)
{
	uint64_t since = daemon_now_ns() - d->last_expire_ns;

	return since >= EXPIRE_EVERY_NS ? 0 : (int)((EXPIRE_EVERY_NS - since) / 1000000) + 1;
}

static nfds_t fill_pollfds(const struct daemon *d, struct pollfd *pfd)
{
	nfds_t n = P_CLIENTS;

	pfd[P_TUN] = (struct pollfd){ .fd = d->tun_fd, .events = POLLIN };
	pfd[P_SIG] = (struct pollfd){ .fd = d->sig_fd, .events = POLLIN };
	pfd[P_CTL] = (struct pollfd){ .fd = d->ctl_fd, .events = POLLIN };
	for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
		const struct ctl_client *c = &d->clients[i];
		/* fd -1 is ignored by poll(): the slot keeps its index */
		pfd[n++] = (struct pollfd){ .fd = c->fd,
		                            .events = (short)(c->out ? POLLOUT : POLLIN) };
	}
	return n;
}

int daemon_loop(struct daemon *d)
{
	struct pollfd pfd[P_CLIENTS + CTL_MAX_CLIENTS];

	d->last_expire_ns = daemon_now_ns();
	for (;;) {
		nfds_t n = fill_pollfds(d, pfd);
		int r = poll(pfd, n, poll_timeout_ms(d));
		if (r < 0 && errno != EINTR) {
			dlog(&d->log, LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		if (r > 0 && (pfd[P_TUN].revents & POLLIN))
			tun_drain(d);
		if (r > 0 && (pfd[P_SIG].revents & POLLIN) && on_signal(d))
			return 0;
		if (r > 0 && (pfd[P_CTL].revents & POLLIN))
			ctl_accept(d);
		for (int i = 0; r > 0 && i < CTL_MAX_CLIENTS; i++)
			if (pfd[P_CLIENTS + i].revents)
				ctl_service(d, i, pfd[P_CLIENTS + i].revents);
		expire_tick(d);
	}
}
