/*
 * nat6to4d — the IPv6/IPv4 translator daemon on Linux.
 *
 *   nat6to4d -c FILE [-f] [-d]
 *
 * Start-up, in this order so that every refusal happens while stderr is
 * still the terminal: parse FILE (a bad one: "FILE:LINE:COL: message",
 * exit 2), look up the user, create the translator, open the TUN device
 * and the control socket (exit 1 on failure), then detach unless -f.
 *
 * Then the process splits (OpenBSD-style privilege separation, reduced to
 * the minimum): the worker drops to the configured user and runs the loop;
 * the supervisor keeps root only to remove the control socket and the
 * pidfile (in root-owned /run) when the worker ends. It does nothing else:
 * it forwards SIGHUP/SIGTERM/SIGINT to the worker and waits. The pidfile
 * holds the supervisor's pid, so `kill -HUP $(cat pidfile)` works.
 */
#include "daemon.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#define EXIT_CONFIG 2
#define EXIT_USAGE 2

struct options {
	const char *conf;
	int foreground, debug;
};

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "nat6to4d: %s\n", msg);
	fprintf(stderr, "usage: nat6to4d -c FILE [-f] [-d]\n");
	return EXIT_USAGE;
}

/* Returns -1 to go on, or the exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	while ((ch = getopt(argc, argv, ":c:fdh")) != -1) {
		switch (ch) {
		case 'c': o->conf = optarg; break;
		case 'f': o->foreground = 1; break;
		case 'd': o->debug = 1; break;
		case 'h': usage(NULL); return 0;
		case ':': return usage("option -c needs a file");
		default: {
			char msg[48];
			snprintf(msg, sizeof msg, "unknown option -%c", optopt);
			return usage(msg);
		}
		}
	}
	if (optind < argc)
		return usage("unexpected argument");
	if (!o->conf)
		return usage("-c FILE is required");
	return -1;
}

static int write_pidfile(const char *path, pid_t pid, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f) != 0) {
		snprintf(err, errlen, "pidfile %.256s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* setgroups, setgid, setuid, then make sure root cannot come back. */
static int drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(user);

	if (!pw) {
		snprintf(err, errlen, "user %s: no such user", user);
		return -1;
	}
	if (setgroups(1, &pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		snprintf(err, errlen, "dropping privileges to %s: %s", user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		snprintf(err, errlen, "dropping privileges to %s: could regain root", user);
		return -1;
	}
	return 0;
}

/* The worker: the user's privileges, the poll loop. */
static int worker(struct daemon *d, const sigset_t *sigs)
{
	char err[512];

	/* Dies with the supervisor (kill -9) rather than translate orphaned. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 1;
	if (drop_privileges(d->dconf.user, err, sizeof err) < 0) {
		dlog(&d->log, LOG_ERR, "%s", err);
		return 1;
	}
	d->sig_fd = signalfd(-1, sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sig_fd < 0) {
		dlog(&d->log, LOG_ERR, "signalfd: %s", strerror(errno));
		return 1;
	}
	dlog(&d->log, LOG_INFO, "translating on %s as %s, control socket %s", d->dconf.tun_device,
	     d->dconf.user, d->dconf.control_socket);
	return daemon_loop(d);
}

/* The supervisor: forward signals, wait, clean up as root. */
static int supervise(struct daemon *d, pid_t child, const sigset_t *sigs)
{
	int status = 0;

	close(d->tun_fd);
	close(d->ctl_fd);
	for (;;) {
		int sig = sigwaitinfo(sigs, NULL);
		if (sig == SIGCHLD) {
			pid_t p = waitpid(child, &status, WNOHANG);
			if (p == child)
				break;
		} else if (sig > 0) {
			kill(child, sig);
		}
	}
	unlink(d->dconf.control_socket);
	if (d->dconf.pidfile[0])
		unlink(d->dconf.pidfile);
	if (WIFSIGNALED(status)) {
		dlog(&d->log, LOG_ERR, "worker killed by %s", strsignal(WTERMSIG(status)));
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Config, translator, TUN device, control socket; returns an exit status
 * on failure, -1 when everything is open. */
static int open_all(struct daemon *d, char *err, size_t errlen)
{
	d->cfg = daemon_conf_load(d->conf_path, &d->dconf, err, errlen);
	if (!d->cfg)
		return EXIT_CONFIG;
	d->nat = nat6to4_new(d->cfg, err, errlen);
	if (!d->nat)
		return EXIT_CONFIG;
	nat6to4_set_scatter(d->nat, true); /* payloads go out by writev, uncopied */
	d->tun_fd = tun_open(d->dconf.tun_device, d->dconf.offload, d->offloads, sizeof d->offloads,
	                     err, errlen);
	if (d->tun_fd < 0)
		return 1;
	d->vnet_hdr = d->dconf.offload;
	d->ctl_fd = ctl_listen(d->dconf.control_socket, err, errlen);
	if (d->ctl_fd < 0)
		return 1;
	return -1;
}

static int run(struct daemon *d)
{
	char err[512];
	sigset_t sigs;
	int rc = open_all(d, err, sizeof err);
	pid_t child;

	if (rc >= 0) {
		fprintf(stderr, "nat6to4d: %s\n", err);
		return rc;
	}
	if (!d->log.foreground && daemon(0, 0) < 0) {
		fprintf(stderr, "nat6to4d: daemon: %s\n", strerror(errno));
		unlink(d->dconf.control_socket);
		return 1;
	}
	if (d->dconf.pidfile[0] && write_pidfile(d->dconf.pidfile, getpid(), err, sizeof err) < 0)
		dlog(&d->log, LOG_WARNING, "%s", err);
	/* Blocked before fork: the worker reads them from a signalfd, the
	 * supervisor with sigwaitinfo; none is lost in between. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	child = fork();
	if (child < 0) {
		dlog(&d->log, LOG_ERR, "fork: %s", strerror(errno));
		unlink(d->dconf.control_socket);
		return 1;
	}
	if (child == 0) {
		sigdelset(&sigs, SIGCHLD);
		return worker(d, &sigs);
	}
	return supervise(d, child, &sigs);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct daemon *d;
	int rc = parse_options(argc, argv, &o);

	if (rc >= 0)
		return rc;
	/* The packet buffer makes the state big: heap, not stack. */
	d = calloc(1, sizeof *d);
	if (!d) {
		fprintf(stderr, "nat6to4d: out of memory\n");
		return 1;
	}
	d->conf_path = o.conf;
	d->tun_fd = d->ctl_fd = d->sig_fd = -1;
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		d->clients[i].fd = -1;
	dlog_open(&d->log, o.foreground, o.debug);
	rc = run(d);
	ctl_close_all(d);
	nat6to4_free(d->nat);
	nat6to4_config_free(d->cfg);
	free(d);
	return rc;
}
