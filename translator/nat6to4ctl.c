/*
 * nat6to4ctl — look inside a running nat6to4d through its control socket.
 *
 *   nat6to4ctl [-s PATH] show sessions|counters|config
 *
 * Sends the command as one line, copies the answer to stdout until the
 * daemon closes the connection. Exit 0; 1 when the daemon cannot be
 * reached or refuses the command ("error: ..." on stderr); 2 usage.
 */
#include "daemon.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "nat6to4ctl: %s\n", msg);
	fprintf(stderr, "usage: nat6to4ctl [-s PATH] show sessions|counters|config\n");
	return 2;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "nat6to4ctl: %s: path too long\n", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "nat6to4ctl: %s: %s (is nat6to4d running?)\n", path,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy the answer to stdout; an "error: " answer goes to stderr, exit 1. */
static int relay(int fd)
{
	char buf[65536];
	ssize_t n;
	int first = 1, is_error = 0;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "nat6to4ctl: read: %s\n", strerror(errno));
			return 1;
		}
		if (first)
			is_error = n >= 7 && memcmp(buf, "error: ", 7) == 0;
		first = 0;
		if (write_all(is_error ? 2 : 1, buf, (size_t)n) < 0)
			return 1;
	}
	if (first) {
		fprintf(stderr, "nat6to4ctl: the daemon closed the connection without answering\n");
		return 1;
	}
	return is_error;
}

int main(int argc, char **argv)
{
	const char *path = DCONF_DEFAULT_SOCKET;
	char cmd[64];
	int ch, fd, rc;

	while ((ch = getopt(argc, argv, "+s:h")) != -1) {
		if (ch == 's')
			path = optarg;
		else
			return usage(ch == 'h' ? NULL : "unknown option");
	}
	if (argc - optind != 2 || strcmp(argv[optind], "show") != 0)
		return usage("expected: show sessions|counters|config");
	if (strcmp(argv[optind + 1], "sessions") && strcmp(argv[optind + 1], "counters") &&
	    strcmp(argv[optind + 1], "config"))
		return usage("show what? sessions, counters or config");
	snprintf(cmd, sizeof cmd, "show %s\n", argv[optind + 1]);
	fd = connect_to(path);
	if (fd < 0)
		return 1;
	if (write_all(fd, cmd, strlen(cmd)) < 0) {
		fprintf(stderr, "nat6to4ctl: %s: write: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	rc = relay(fd);
	close(fd);
	return rc;
}
