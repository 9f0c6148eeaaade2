/*
 * udpblast: a small UDP packets-per-second meter for `make bench-real`.
 *
 *   udpblast send ADDR PORT [-s BYTES] [-r PPS] [-t SECONDS] [-b BATCH]
 *   udpblast recv PORT [-a ADDR] [-t SECONDS] [-i IDLE_MS]
 *
 * The sender hands batches of datagrams to the kernel with sendmmsg(2),
 * either flat out (-r 0, the default) or paced to PPS from the monotonic
 * clock, for SECONDS. The receiver drains its socket with recvmmsg(2) until
 * SECONDS have passed or, once traffic started, nothing arrived for IDLE_MS;
 * its rate is taken between the first and the last packet, so the time
 * spent waiting for the sender does not dilute it.
 *
 * Each side prints exactly one line of key=value pairs on stdout, for
 * bench/real.sh to read:
 *   udpblast send pkts=N seconds=S pps=R size=B
 *   udpblast recv pkts=N seconds=S pps=R bytes=B
 * Errors go to stderr with the program's name; exit status 2 is a usage or
 * setup error, 1 an I/O error during the run.
 */
#define _GNU_SOURCE /* sendmmsg, recvmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH 256
#define MAX_SIZE 9000
#define RCV_SLOT 2048 /* receive buffer per message: any datagram this bench sends */

struct opts {
	const char *addr;   /* send: destination; recv: address to bind (NULL: any) */
	const char *port;
	long size;          /* payload bytes */
	double rate;        /* packets/s, 0 = flat out */
	double seconds;     /* run (send) or give up (recv) after this long */
	long batch;         /* messages per sendmmsg */
	long idle_ms;       /* recv: stop this long after the last packet */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpblast send ADDR PORT [-s BYTES] [-r PPS] [-t SECONDS] [-b BATCH]\n"
		"       udpblast recv PORT [-a ADDR] [-t SECONDS] [-i IDLE_MS]\n");
	exit(2);
}

/* A number option in [lo, hi], or a usage error naming the option. */
static double num_arg(const char *opt, const char *s, double lo, double hi)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "udpblast: %s: '%s' is not a number from %g to %g\n", opt, s, lo, hi);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv, int first, struct opts *o)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1] || a[2] || i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		switch (a[1]) {
		case 's': o->size = (long)num_arg(a, v, 0, MAX_SIZE); break;
		case 'r': o->rate = num_arg(a, v, 0, 1e9); break;
		case 't': o->seconds = num_arg(a, v, 0.01, 3600); break;
		case 'b': o->batch = (long)num_arg(a, v, 1, MAX_BATCH); break;
		case 'i': o->idle_ms = (long)num_arg(a, v, 1, 60000); break;
		case 'a': o->addr = v; break;
		default: usage();
		}
	}
}

/* Resolves numeric ADDR/PORT (no DNS: the bench names addresses). */
static int resolve(const char *addr, const char *port, int passive, struct sockaddr_storage *ss,
		   socklen_t *len, int *family)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | (passive ? AI_PASSIVE : 0) };
	struct addrinfo *res;
	/* A wildcard receiver listens on IPv6 with v4-mapped addresses allowed. */
	hints.ai_family = addr ? AF_UNSPEC : AF_INET6;
	int rc = getaddrinfo(addr, port, &hints, &res);
	if (rc) {
		fprintf(stderr, "udpblast: %s port %s: %s\n", addr ? addr : "*", port, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	*family = res->ai_family;
	freeaddrinfo(res);
	return 0;
}

/* Big socket buffers, so the meter itself is not where packets are lost.
 * SO_*BUFFORCE works as root past rmem_max; otherwise the plain one. */
static void grow_buffer(int fd, int force_opt, int opt)
{
	int bytes = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof bytes) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof bytes);
}

/* How many packets should have left by time t, for a paced sender. */
static uint64_t due(const struct opts *o, double elapsed)
{
	return (uint64_t)(elapsed * o->rate);
}

static int do_send(const struct opts *o)
{
	struct sockaddr_storage dst;
	socklen_t dlen;
	int family;
	if (resolve(o->addr, o->port, 0, &dst, &dlen, &family) < 0)
		return 2;
	int fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, dlen) < 0) {
		fprintf(stderr, "udpblast: send to %s port %s: %s\n", o->addr, o->port, strerror(errno));
		return 2;
	}
	grow_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF);

	static char payload[MAX_SIZE];
	memset(payload, 'x', sizeof payload);
	struct iovec iov[MAX_BATCH];
	struct mmsghdr msg[MAX_BATCH];
	memset(msg, 0, sizeof msg);
	for (int i = 0; i < MAX_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = payload, .iov_len = (size_t)o->size };
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}

	uint64_t sent = 0;
	double start = now_s(), elapsed = 0;
	while ((elapsed = now_s() - start) < o->seconds) {
		uint64_t want = (uint64_t)o->batch;
		if (o->rate > 0) {
			uint64_t d = due(o, elapsed);
			if (d <= sent)
				continue; /* paced: spin until the clock allows more */
			if (d - sent < want)
				want = d - sent;
		}
		int n = sendmmsg(fd, msg, (unsigned)want, 0);
		if (n < 0) {
			/* A full queue somewhere on the path is the benchmark's business:
			 * count what got out and keep going. */
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR ||
			    errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
				continue;
			fprintf(stderr, "udpblast: sendmmsg: %s\n", strerror(errno));
			return 1;
		}
		sent += (uint64_t)n;
	}
	printf("udpblast send pkts=%llu seconds=%.3f pps=%.0f size=%ld\n", (unsigned long long)sent,
	       elapsed, elapsed > 0 ? (double)sent / elapsed : 0.0, o->size);
	close(fd);
	return 0;
}

static int open_receiver(const struct opts *o)
{
	struct sockaddr_storage me;
	socklen_t mlen;
	int family;
	if (resolve(o->addr, o->port, 1, &me, &mlen, &family) < 0)
		return -1;
	int fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0) {
		fprintf(stderr, "udpblast: socket: %s\n", strerror(errno));
		return -1;
	}
	int off = 0;
	if (family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	if (bind(fd, (struct sockaddr *)&me, mlen) < 0) {
		fprintf(stderr, "udpblast: bind %s port %s: %s\n", o->addr ? o->addr : "*", o->port,
			strerror(errno));
		close(fd);
		return -1;
	}
	grow_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF);
	/* Wake up regularly to notice the idle and overall deadlines. */
	struct timeval tv = { .tv_sec = 0, .tv_usec = 50000 };
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static int do_recv(const struct opts *o)
{
	int fd = open_receiver(o);
	if (fd < 0)
		return 2;
	static char bufs[MAX_BATCH][RCV_SLOT];
	struct iovec iov[MAX_BATCH];
	struct mmsghdr msg[MAX_BATCH];
	memset(msg, 0, sizeof msg);
	for (int i = 0; i < MAX_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = RCV_SLOT };
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	uint64_t pkts = 0, bytes = 0;
	double start = now_s(), first = 0, last = 0;
	for (;;) {
		double t = now_s();
		if (t - start >= o->seconds || (pkts && (t - last) * 1000 >= (double)o->idle_ms))
			break;
		int n = recvmmsg(fd, msg, MAX_BATCH, 0, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				continue;
			fprintf(stderr, "udpblast: recvmmsg: %s\n", strerror(errno));
			return 1;
		}
		t = now_s();
		if (!pkts)
			first = t;
		last = t;
		pkts += (uint64_t)n;
		for (int i = 0; i < n; i++)
			bytes += msg[i].msg_len;
	}
	double span = last - first;
	printf("udpblast recv pkts=%llu seconds=%.3f pps=%.0f bytes=%llu\n", (unsigned long long)pkts, span,
	       span > 0 ? (double)pkts / span : 0.0, (unsigned long long)bytes);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .size = 64, .rate = 0, .seconds = 2, .batch = 64, .idle_ms = 500 };
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && strcmp(argv[1], "send") == 0) {
		o.addr = argv[2];
		o.port = argv[3];
		parse_opts(argc, argv, 4, &o);
		return do_send(&o);
	}
	if (argc >= 3 && strcmp(argv[1], "recv") == 0) {
		o.port = argv[2];
		o.seconds = 30;
		parse_opts(argc, argv, 3, &o);
		return do_recv(&o);
	}
	usage();
	return 2;
}
