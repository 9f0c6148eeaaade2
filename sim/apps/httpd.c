/*
 * Two IPv4-only web servers, like the devices and jails of the seed:
 *
 *   rompager [PORT]
 *     The embedded device of 2008-05-13: whatever it is asked, it answers
 *     with exactly the seed's headers (Date and Last-Modified from the
 *     virtual clock), a 32-byte text/xml body, and closes.
 *   httpd [-p PORT] [-l LOGFILE]
 *     A jail's web server: a small page for GET/HEAD of "/", 404 for any
 *     other path, 400 for what is not HTTP, and one Common Log Format line
 *     per request appended to LOGFILE on the node. Its first field is the
 *     client address the server saw: behind nat6to4d that is the
 *     gateway's pool4 address, not the IPv6 client — the "you would lose
 *     the information of who it really was who asked it" of the seed.
 *
 * Both run until the simulation ends; each connection's state is freed
 * when the server closes it (or at teardown).
 */
#include "apps_int.h"
#include "../transport/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HTTPD_REQ_MAX 4096
#define HTTPD_LOG_DEFAULT "/var/log/httpd-access.log"

/*
 * The 32-byte body. The seed's page does not show it: its text was inside
 * <...> and vanished when the post was rendered. It cannot have ended in a
 * line end either: the page has one empty line (the end of the headers)
 * and then "Connection closed by foreign host.", which telnet printed
 * right after the body on the same line. So: scripts/mkcapture.c's
 * document, <?xml version="1.0"?><status/>, spaced out to 32 bytes instead
 * of ending in CR LF.
 */
static const char rompager_body[] = "<?xml version=\"1.0\" ?><status />";
/* Apache 2.2's default page, which a fresh FreeBSD 6.3 jail served. */
static const char httpd_page[] = "<html><body><h1>It works!</h1></body></html>\n";

enum httpd_kind { HTTPD_ROMPAGER, HTTPD_APACHE };

struct http_conn {
	struct httpd_srv *srv;
	struct tcp_conn *tcp;      /* NULL when the slot is free */
	char req[HTTPD_REQ_MAX + 1];
	size_t len;
};

struct httpd_srv {
	struct sim_node *node;
	enum httpd_kind kind;
	char log_path[256];
	struct tcp_listener *lis;
	struct http_conn **conns;  /* slots reused once a connection is done */
	size_t nconns;
};

/* ---- dates from the virtual clock (UTC, no locale) ---------------------- */

static const char *const wday_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static bool now_utc(const struct sim *sim, struct tm *tm)
{
	time_t t = (time_t)(sim_unix_ns(sim) / SIM_S);
	return gmtime_r(&t, tm) != NULL;
}

/* RFC 1123 (RFC 9110 IMF-fixdate): "Tue, 13 May 2008 14:10:23 GMT". */
static void http_date(const struct sim *sim, char *buf, size_t len)
{
	struct tm tm;
	if (!now_utc(sim, &tm)) {
		snprintf(buf, len, "Thu, 01 Jan 1970 00:00:00 GMT");
		return;
	}
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday_names[tm.tm_wday % 7],
	         tm.tm_mday, month_names[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	         tm.tm_sec);
}

/* Common Log Format's "[13/May/2008:14:10:23 +0000]". */
static void clf_date(const struct sim *sim, char *buf, size_t len)
{
	struct tm tm;
	if (!now_utc(sim, &tm)) {
		snprintf(buf, len, "[01/Jan/1970:00:00:00 +0000]");
		return;
	}
	snprintf(buf, len, "[%02d/%s/%04d:%02d:%02d:%02d +0000]", tm.tm_mday,
	         month_names[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- connections ------------------------------------------------------------ */

static void conn_done(struct http_conn *hc, bool reset)
{
	if (reset)
		tcp_abort(hc->tcp);
	else
		tcp_close(hc->tcp);
	hc->tcp = NULL;
	hc->len = 0;
}

/* A request is complete at its empty line; an empty line alone (a bare
 * Enter typed in telnet) counts too, which RomPager answers as well. */
static bool request_complete(const struct http_conn *hc)
{
	const char *r = hc->req;
	if (hc->len == HTTPD_REQ_MAX)
		return true;
	if (strncmp(r, "\r\n", 2) == 0 || r[0] == '\n')
		return true;
	return strstr(r, "\r\n\r\n") != NULL || strstr(r, "\n\n") != NULL;
}

static void send_text(struct http_conn *hc, const char *text, size_t len)
{
	tcp_send(hc->tcp, (const uint8_t *)text, len);
}

/* The seed's headers, in the seed's order. */
static void rompager_answer(struct http_conn *hc)
{
	char date[64], head[512];
	http_date(hc->srv->node->sim, date, sizeof date);
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 200 OK\r\n"
	                 "Content-Type: text/xml; charset=\"utf-8\"\r\n"
	                 "Date: %s\r\n"
	                 "Expires: Thu, 26 Oct 1995 00:00:00 GMT\r\n"
	                 "Last-Modified: %s\r\n"
	                 "Pragma: no-cache\r\n"
	                 "Content-Length: %zu\r\n"
	                 "Server: Allegro-Software-RomPager/4.34\r\n"
	                 "\r\n%s",
	                 date, date, sizeof rompager_body - 1, rompager_body);
	if (n > 0 && (size_t)n < sizeof head)
		send_text(hc, head, (size_t)n);
}

/* The request line without its line end (CLF's %r). */
static void request_line(const struct http_conn *hc, char *buf, size_t len)
{
	size_t n = strcspn(hc->req, "\r\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, hc->req, n);
	buf[n] = '\0';
}

static void append_log(struct httpd_srv *srv, const char *line)
{
	const struct sim_file *f = sim_file_get(srv->node, srv->log_path);
	size_t old = f ? f->len : 0, add = strlen(line);
	char *data = sim_xrealloc(NULL, old + add + 1, 1);
	if (old)
		memcpy(data, f->data, old);
	memcpy(data + old, line, add + 1);
	sim_file_put(srv->node, srv->log_path, data, old + add, "httpd");
	free(data);
}

/* Status and body for the request line "METHOD PATH VERSION". */
static int apache_route(const char *line, bool *head_only)
{
	char method[16], path[256], version[16];
	*head_only = false;
	if (sscanf(line, "%15s %255s %15s", method, path, version) < 2)
		return 400;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return 501;
	*head_only = strcmp(method, "HEAD") == 0;
	return strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0 ? 200 : 404;
}

static const char *status_text(int code)
{
	switch (code) {
	case 200: return "OK";
	case 404: return "Not Found";
	case 501: return "Not Implemented";
	default: return "Bad Request";
	}
}

static void apache_answer(struct http_conn *hc)
{
	struct httpd_srv *srv = hc->srv;
	char line[512], date[64], clf[64], head[512], who[APPS_ADDRSTRLEN], logline[1024];
	bool head_only;
	request_line(hc, line, sizeof line);
	int code = apache_route(line, &head_only);
	const char *body = code == 200 ? httpd_page : status_text(code);
	size_t blen = strlen(body);
	http_date(srv->node->sim, date, sizeof date);
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: Apache/2.2.8 (FreeBSD)\r\n"
	                 "Content-Length: %zu\r\nConnection: close\r\n"
	                 "Content-Type: text/html\r\n\r\n",
	                 code, status_text(code), date, blen);
	if (n > 0 && (size_t)n < sizeof head)
		send_text(hc, head, (size_t)n);
	if (!head_only)
		send_text(hc, body, blen);
	struct tp_addr remote;
	tcp_conn_endpoints(hc->tcp, NULL, &remote);
	apps_fmt4(who, sizeof who, remote.addr);
	clf_date(srv->node->sim, clf, sizeof clf);
	char bytes[24];
	snprintf(bytes, sizeof bytes, "%zu", head_only ? (size_t)0 : blen);
	snprintf(logline, sizeof logline, "%s - - %s \"%s\" %d %s\n", who, clf, line, code,
	         head_only ? "-" : bytes);
	append_log(srv, logline);
}

static void on_data(void *user, struct tcp_conn *c, const uint8_t *data, size_t len)
{
	struct http_conn *hc = user;
	(void)c;
	if (!hc->tcp)
		return;
	size_t room = HTTPD_REQ_MAX - hc->len, take = len < room ? len : room;
	memcpy(hc->req + hc->len, data, take);
	hc->len += take;
	hc->req[hc->len] = '\0';
	/* NUL bytes would hide the rest of the request from the string
	 * functions: such a request is answered as it stands. */
	if (memchr(data, '\0', take) == NULL && !request_complete(hc))
		return;
	if (hc->srv->kind == HTTPD_ROMPAGER)
		rompager_answer(hc);
	else
		apache_answer(hc);
	conn_done(hc, false);
}

/* The client closed before a complete request: close our side too. */
static void on_closed(void *user, struct tcp_conn *c)
{
	struct http_conn *hc = user;
	(void)c;
	if (hc->tcp)
		conn_done(hc, false);
}

static void on_error(void *user, struct tcp_conn *c, const char *reason)
{
	struct http_conn *hc = user;
	(void)c;
	(void)reason;
	if (hc->tcp)
		conn_done(hc, false);
}

static struct http_conn *conn_slot(struct httpd_srv *srv)
{
	for (size_t i = 0; i < srv->nconns; i++)
		if (!srv->conns[i]->tcp)
			return srv->conns[i];
	srv->conns = sim_xrealloc(srv->conns, srv->nconns + 1, sizeof *srv->conns);
	struct http_conn *hc = sim_xcalloc(1, sizeof *hc);
	hc->srv = srv;
	srv->conns[srv->nconns++] = hc;
	return hc;
}

static void on_accept(void *user, struct tcp_conn *c)
{
	struct httpd_srv *srv = user;
	struct http_conn *hc = conn_slot(srv);
	struct tcp_callbacks cb = { NULL, on_data, on_closed, on_error, hc };
	hc->tcp = c;
	hc->len = 0;
	hc->req[0] = '\0';
	tcp_set_callbacks(c, &cb);
}

static void srv_free(struct sim *sim, void *user)
{
	struct httpd_srv *srv = user;
	(void)sim;
	for (size_t i = 0; i < srv->nconns; i++)
		free(srv->conns[i]);
	free(srv->conns);
	free(srv);
}

static int start_server(struct sim_node *n, const char *prog, enum httpd_kind kind, long port,
                        const char *log_path)
{
	if (!n->tp) {
		apps_say(n, "%s: socket: Protocol not supported", prog);
		return 1;
	}
	struct httpd_srv *srv = sim_xcalloc(1, sizeof *srv);
	srv->node = n;
	srv->kind = kind;
	snprintf(srv->log_path, sizeof srv->log_path, "%s", log_path);
	srv->lis = tcp_listen(n, 4, (uint16_t)port, on_accept, srv);
	if (!srv->lis) {
		free(srv);
		apps_say(n, "%s: bind: Address already in use", prog);
		return 1;
	}
	sim_on_free(n->sim, srv_free, srv);
	return 0;
}

int cmd_rompager(struct sim_node *n, int argc, char **argv)
{
	long port = 80;
	if (argc > 2 || (argc == 2 && !apps_parse_long(argv[1], 1, 65535, &port))) {
		apps_say(n, "usage: rompager [port]");
		return APPS_EX_USAGE;
	}
	return start_server(n, "rompager", HTTPD_ROMPAGER, port, "");
}

int cmd_httpd(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	long port = 80;
	const char *log_path = HTTPD_LOG_DEFAULT;
	int c;
	apps_opt_init(&o);
	while ((c = apps_getopt(&o, argc, argv, "p:l:")) != -1) {
		if (c == 'p' && apps_parse_long(o.arg, 1, 65535, &port))
			continue;
		if (c == 'l' && o.arg[0] == '/') {
			log_path = o.arg;
			continue;
		}
		apps_say(n, "usage: httpd [-p port] [-l /path/to/access.log]");
		return APPS_EX_USAGE;
	}
	if (o.ind != argc) {
		apps_say(n, "usage: httpd [-p port] [-l /path/to/access.log]");
		return APPS_EX_USAGE;
	}
	return start_server(n, "httpd", HTTPD_APACHE, port, log_path);
}
