/*
 * nat6to4d — the translator daemon on Linux (TUN device). Internal header
 * shared by nat6to4d.c, daemon_conf.c, daemon_log.c, daemon_loop.c,
 * daemon_ctl.c and tun_linux.c; not installed, not part of libnat6to4.
 *
 * The daemon keeps all its state in one struct daemon passed around; there
 * are no global variables (signals arrive through a signalfd, so not even a
 * sig_atomic_t flag is needed).
 */
#ifndef NAT6TO4_DAEMON_H
#define NAT6TO4_DAEMON_H

#include "nat6to4.h"

#include <linux/virtio_net.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- daemon directives (daemon_conf.c) ----------------------------------- */

#define DCONF_IFNAMSIZ 16   /* Linux IFNAMSIZ: 15 characters and a NUL       */
#define DCONF_SUNPATH 108   /* sizeof(sockaddr_un.sun_path) on Linux         */
#define DCONF_PATHMAX 4096
#define DCONF_USERMAX 33    /* useradd(8) allows 32 characters               */

#define DCONF_DEFAULT_TUN "nat64"
#define DCONF_DEFAULT_USER "nobody"
#define DCONF_DEFAULT_SOCKET "/run/nat6to4d.sock"

struct daemon_conf {
	char tun_device[DCONF_IFNAMSIZ];
	char user[DCONF_USERMAX];
	char control_socket[DCONF_SUNPATH];
	char pidfile[DCONF_PATHMAX];   /* "" when no pidfile is written */
	bool offload;                  /* TUN offloads (virtio-net header); default yes */
	unsigned seen;                 /* bit per directive: each at most once */
};

void daemon_conf_defaults(struct daemon_conf *dc);

/* The nat6to4_directive_fn hook: user is a struct daemon_conf. */
int daemon_conf_directive(void *user, const char *keyword, const char *const *args, int nargs,
                          char *err, size_t errlen);

/* Parse configuration text with the daemon directives (defaults first). */
nat6to4_config *daemon_conf_parse(const char *text, size_t len, const char *filename,
                                  struct daemon_conf *dc, char *err, size_t errlen);

/* Read and parse a file; "FILE: cannot open: reason" when it cannot be read. */
nat6to4_config *daemon_conf_load(const char *path, struct daemon_conf *dc, char *err,
                                 size_t errlen);

/* The daemon directives in the configuration file's syntax, one per line. */
size_t daemon_conf_format(const struct daemon_conf *dc, char *buf, size_t len);

/* ---- logging (daemon_log.c) ---------------------------------------------- */

struct daemon_log {
	int foreground;   /* stderr instead of syslog */
	int debug;        /* one line per packet */
};

void dlog_open(struct daemon_log *lg, int foreground, int debug);
void dlog(const struct daemon_log *lg, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- the TUN device (tun_linux.c) ---------------------------------------- */

/* Open or create TUN device NAME (IFF_TUN|IFF_NO_PI), nonblocking. With
 * offload, also IFF_VNET_HDR and the offloads of daemon_offload.c; *what
 * says which were granted ("csum,tso6", or "" for none). */
int tun_open(const char *name, bool offload, char *what, size_t whatlen, char *err,
             size_t errlen);

/* ---- TUN offloads (daemon_offload.c) ------------------------------------- */

/* One packet read with its virtio-net header (IFF_VNET_HDR). */
struct offload_pkt {
	struct virtio_net_hdr in;  /* as read */
	bool partial;              /* its TCP/UDP checksum field was flipped */
};

/* Before the core: turn a partial checksum into one the core's RFC 1624
 * updates keep right, or finish it. -1: a header we cannot honour (drop). */
int offload_prepare(struct offload_pkt *op, uint8_t *pkt, size_t len,
                    const nat6to4_config *cfg);
/* After the core, for one packet it emitted: the header to write in front
 * of it; when the checksum field must be flipped back, its offset (the
 * new value in *field), else 0. */
size_t offload_finish(const struct offload_pkt *op, const uint8_t *out, size_t len,
                      bool translated, struct virtio_net_hdr *oh, uint16_t *field);

/* ---- the control socket (daemon_ctl.c) ----------------------------------- */

#define CTL_MAX_CLIENTS 8

struct ctl_client {
	int fd;            /* -1: slot free */
	char in[256];
	size_t inlen;
	char *out;         /* the whole answer, written as the socket accepts it */
	size_t outlen, outoff;
};

struct daemon;

/* Listen on PATH (a stale socket nobody answers on is replaced). */
int ctl_listen(const char *path, char *err, size_t errlen);
/* Accept a client on the listening socket into a free slot. */
void ctl_accept(struct daemon *d);
/* Client slot i is readable or writable (revents from poll). */
void ctl_service(struct daemon *d, int i, short revents);
void ctl_close_all(struct daemon *d);
/* The answer to one command line; malloc'ed text (NULL on no memory). */
char *ctl_answer(struct daemon *d, const char *line, size_t *len);

/* ---- the daemon and its loop (daemon_loop.c) ----------------------------- */

struct daemon_stats {
	uint64_t tun_reads, tun_writes, tun_write_errors, wakeups, reloads, reloads_refused;
	uint64_t offload_drops;   /* a virtio-net header we could not honour */
	uint64_t gso_reads;       /* super-packets read (each many segments) */
};

struct daemon {
	const char *conf_path;
	struct daemon_log log;
	struct daemon_conf dconf;
	nat6to4_config *cfg;     /* in force, for `show config` */
	nat6to4 *nat;
	int tun_fd, ctl_fd, sig_fd;
	bool vnet_hdr;           /* packets on tun_fd carry a virtio-net header */
	char offloads[64];       /* the offloads granted, for the log and `show` */
	struct offload_pkt cur;  /* the packet being translated (vnet_hdr only) */
	uint64_t last_expire_ns;
	struct daemon_stats stats;
	struct ctl_client clients[CTL_MAX_CLIENTS];
	uint8_t buf[65536 + 64]; /* one packet read from the TUN device */
};

uint64_t daemon_now_ns(void);

/* Translate one packet read from the TUN device and write the results. */
void daemon_packet(struct daemon *d, const uint8_t *pkt, size_t len, uint64_t now);

/* Reload d->conf_path; the old configuration stays when the new one is bad. */
void daemon_reload(struct daemon *d);

/* Run until SIGTERM or SIGINT; returns the exit status. sig_fd must be set. */
int daemon_loop(struct daemon *d);

#endif
