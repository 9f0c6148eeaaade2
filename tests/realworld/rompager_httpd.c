/* rompager-httpd — a tiny real HTTP/1.1 server for tests/realworld.sh.
 *
 * It answers like the embedded device of the seed (Allegro RomPager 4.34):
 * the same headers in the same order, a 32-byte text/xml body; a path given
 * with -u serves a file instead (the 10 MB download of the real-world test).
 * One request per connection, then it closes, as RomPager did.  A POST
 * (not a RomPager thing: the test's upload through the translator) is
 * answered with the SHA-256 of its body, `sha256 HEX`, and logged the same.  Every
 * request is logged with the client's address and port, so the test can
 * check that the server saw the translator's pool4 address and not the
 * IPv6 client.
 *
 *   rompager-httpd -l ADDR -p PORT [-f FILE -u PATH] [-L LOGFILE]
 *
 * Connections are served one after the other (tests are sequential); a
 * client that says nothing is dropped after a few seconds so that it cannot
 * hold the server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sha2.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX 4096
#define IO_TIMEOUT_S 5

/* The seed device's document, spaced out to 32 bytes like the simulator's. */
static const char rompager_body[] = "<?xml version=\"1.0\" ?><status />";

struct options {
	const char *addr;
	int port;
	const char *file;     /* served at url, if given */
	const char *url;
	const char *logpath;
};

static void usage(void)
{
	fprintf(stderr, "usage: rompager-httpd -l ADDR -p PORT [-f FILE -u PATH] [-L LOGFILE]\n");
	exit(2);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int c;
	memset(o, 0, sizeof *o);
	while ((c = getopt(argc, argv, "l:p:f:u:L:")) != -1) {
		switch (c) {
		case 'l': o->addr = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 'f': o->file = optarg; break;
		case 'u': o->url = optarg; break;
		case 'L': o->logpath = optarg; break;
		default: usage();
		}
	}
	if (!o->addr || o->port < 1 || o->port > 65535 || (!o->file != !o->url))
		usage();
	return 0;
}

/* IPv4 or IPv6 listening socket on addr:port. */
static int listen_on(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		len = sizeof *s4;
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		len = sizeof *s6;
	} else {
		fprintf(stderr, "rompager-httpd: -l %s: not an IPv4 or IPv6 address\n", addr);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "rompager-httpd: %s port %d: %s\n", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void peer_name(const struct sockaddr_storage *ss, char *buf, size_t len, int *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)len);
		*port = ntohs(s4->sin_port);
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, buf, (socklen_t)len);
		*port = ntohs(s6->sin6_port);
	}
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* A request ends at its empty line; a bare Enter typed in telnet counts
 * too, which RomPager answered as well. */
static bool request_complete(const char *r, size_t len)
{
	if (len >= REQ_MAX - 1)
		return true;
	if (strncmp(r, "\r\n", 2) == 0 || r[0] == '\n')
		return true;
	return strstr(r, "\r\n\r\n") != NULL || strstr(r, "\n\n") != NULL;
}

/* telnet sends a typed CR as CR NUL (RFC 854); the NULs mean nothing here
 * and would stop the string functions short.  Returns the new length. */
static size_t drop_nuls(char *p, size_t n)
{
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\0')
			p[out++] = p[i];
	return out;
}

/* Reads the request head; false when the client closed or timed out first. */
static bool read_request(int fd, char *req, size_t *len)
{
	*len = 0;
	req[0] = '\0';
	while (!request_complete(req, *len)) {
		ssize_t r = read(fd, req + *len, REQ_MAX - 1 - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		*len += drop_nuls(req + *len, (size_t)r);
		req[*len] = '\0';
	}
	return true;
}

static void http_date(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The seed's headers, in the seed's order. */
static bool send_head(int fd, const char *type, unsigned long long length)
{
	char date[64], head[512];
	http_date(date, sizeof date);
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 200 OK\r\n"
	                 "Content-Type: %s\r\n"
	                 "Date: %s\r\n"
	                 "Expires: Thu, 26 Oct 1995 00:00:00 GMT\r\n"
	                 "Last-Modified: %s\r\n"
	                 "Pragma: no-cache\r\n"
	                 "Content-Length: %llu\r\n"
	                 "Server: Allegro-Software-RomPager/4.34\r\n"
	                 "\r\n",
	                 type, date, date, length);
	return n > 0 && (size_t)n < sizeof head && write_all(fd, head, (size_t)n);
}

static bool send_file(int fd, const char *path, bool head_only)
{
	int in = open(path, O_RDONLY);
	struct stat st;
	if (in < 0 || fstat(in, &st) < 0) {
		fprintf(stderr, "rompager-httpd: %s: %s\n", path, strerror(errno));
		if (in >= 0)
			close(in);
		return false;
	}
	bool ok = send_head(fd, "application/octet-stream", (unsigned long long)st.st_size);
	char buf[65536];
	ssize_t r;
	while (ok && !head_only && (r = read(in, buf, sizeof buf)) > 0)
		ok = write_all(fd, buf, (size_t)r);
	close(in);
	return ok;
}

/* The path of "METHOD PATH VERSION", or "" for a bare Enter. */
static void request_target(const char *req, char *method, char *path, size_t len)
{
	method[0] = path[0] = '\0';
	if (sscanf(req, "%15s", method) != 1)
		return;
	const char *p = req + strlen(method);
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, " \r\n");
	if (n >= len)
		n = len - 1;
	memcpy(path, p, n);
	path[n] = '\0';
}

/* Content-Length of a request head, or -1. */
static long long content_length(const char *req)
{
	for (const char *p = req; (p = strchr(p, '\n')) != NULL;) {
		p++;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			return strtoll(p + 15, NULL, 10);
	}
	return -1;
}

/* Reads the body (its first bytes may already be in req after the head)
 * and answers its SHA-256; the hex digest goes to *hex for the log. */
static bool answer_upload(int fd, const char *req, size_t len, char hex[SHA256_DIGEST_STRING_LENGTH])
{
	const char *end = strstr(req, "\r\n\r\n");
	long long want = content_length(req);
	SHA2_CTX ctx;
	char buf[65536];
	long long got = 0;

	if (!end || want < 0)
		return false;
	SHA256Init(&ctx);
	size_t already = len - (size_t)(end + 4 - req);
	SHA256Update(&ctx, (const uint8_t *)end + 4, already);
	got = (long long)already;
	while (got < want) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		SHA256Update(&ctx, (const uint8_t *)buf, (size_t)r);
		got += r;
	}
	SHA256End(&ctx, hex);
	char body[100];
	int n = snprintf(body, sizeof body, "sha256 %s\n", hex);
	return send_head(fd, "text/plain", (unsigned long long)n) && write_all(fd, body, (size_t)n);
}

static void serve(int fd, const struct options *o, const char *who, int port, FILE *log)
{
	char req[REQ_MAX], method[16], path[256];
	size_t len;
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S, .tv_usec = 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (!read_request(fd, req, &len)) {
		fprintf(log, "client %s port %d: no request\n", who, port);
		return;
	}
	request_target(req, method, path, sizeof path);
	bool head_only = strcmp(method, "HEAD") == 0;
	bool ok;
	char hex[SHA256_DIGEST_STRING_LENGTH] = "";
	if (strcmp(method, "POST") == 0) {
		ok = answer_upload(fd, req, len, hex);
		fprintf(log, "client %s port %d: POST %s sha256 %s %s\n", who, port, path,
		        hex[0] ? hex : "-", ok ? "200 sent" : "aborted");
		return;
	}
	if (o->url && strcmp(path, o->url) == 0) {
		ok = send_file(fd, o->file, head_only);
	} else {
		ok = send_head(fd, "text/xml; charset=\"utf-8\"", sizeof rompager_body - 1) &&
		     (head_only || write_all(fd, rompager_body, sizeof rompager_body - 1));
	}
	fprintf(log, "client %s port %d: %s %s %s\n", who, port,
	        method[0] ? method : "-", path[0] ? path : "-", ok ? "200 sent" : "200 aborted");
}

int main(int argc, char **argv)
{
	struct options o;
	parse_args(argc, argv, &o);
	FILE *log = stdout;
	if (o.logpath && !(log = fopen(o.logpath, "a"))) {
		fprintf(stderr, "rompager-httpd: %s: %s\n", o.logpath, strerror(errno));
		return 1;
	}
	setvbuf(log, NULL, _IOLBF, 0);
	/* A client that goes away mid-download must not kill the server. */
	signal(SIGPIPE, SIG_IGN);
	int lfd = listen_on(o.addr, o.port);
	if (lfd < 0)
		return 1;
	fprintf(log, "listening on %s port %d\n", o.addr, o.port);
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept(lfd, (struct sockaddr *)&ss, &sl);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "rompager-httpd: accept: %s\n", strerror(errno));
			return 1;
		}
		char who[INET6_ADDRSTRLEN];
		int port;
		peer_name(&ss, who, sizeof who, &port);
		serve(fd, &o, who, port, log);
		close(fd);
	}
}
