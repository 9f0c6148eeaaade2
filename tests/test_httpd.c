/*
 * The seed's services on two simulated hosts of one Ethernet link:
 * `telnet` from a to the RomPager device on b (the transcript of
 * 2008-05-13 line for line, and the response byte for byte against the
 * seed's text assembled here), telnet's refusal messages, the jail's
 * `httpd` access log in Common Log Format, and `named` answering `host`.
 * The virtual clock starts at 2008-05-13 14:10:20 UTC, so the reply
 * comes at the seed's 14:10:23.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/apps.h"
#include "net/net.h"
#include "pktbuild.h"
#include "transport/transport.h"

int suite_httpd(void);

#define START_UNIX 1210687820ull /* 2008-05-13 14:10:20 UTC */
#define IP_A "192.0.2.1"
#define IP_B "192.0.2.195"

static const uint8_t MAC_A[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t MAC_B[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };

struct lab {
	struct sim *sim;
	struct sim_node *a, *b;
	uint8_t from_b[4096]; /* TCP payload b sent from port 80, in order */
	size_t nfrom_b;
};

/* Ethernet + IPv4 + TCP from b's port 80: keep the payload. Segments are
 * never retransmitted on this loss-free link. */
static void tap(void *user, const struct sim_frame_info *f)
{
	struct lab *L = user;
	const uint8_t *p = f->data;
	if (f->len < 14 + 20 + 20 || p[12] != 0x08 || p[13] != 0x00 || p[14 + 9] != 6)
		return;
	size_t ihl = (size_t)(p[14] & 0x0f) * 4, tot = (size_t)(p[16] << 8 | p[17]);
	const uint8_t *tcp = p + 14 + ihl;
	if (14 + tot > f->len || ihl + 20 > tot || (tcp[0] << 8 | tcp[1]) != 80)
		return;
	size_t thl = (size_t)(tcp[12] >> 4) * 4;
	if (ihl + thl > tot)
		return;
	size_t n = tot - ihl - thl;
	if (L->nfrom_b + n <= sizeof L->from_b) {
		memcpy(L->from_b + L->nfrom_b, tcp + thl, n);
		L->nfrom_b += n;
	}
}

static struct lab *lab_new(void)
{
	struct lab *L = calloc(1, sizeof *L);
	CU_ASSERT_FATAL(L != NULL);
	L->sim = sim_new(20080513, START_UNIX * SIM_S);
	L->a = sim_node_add(L->sim, "freefall", NODE_FREEBSD);
	L->b = sim_node_add(L->sim, "rompager", NODE_HOST);
	struct sim_iface *ia = sim_iface_add(L->a, "em0", MAC_A);
	struct sim_iface *ib = sim_iface_add(L->b, "em0", MAC_B);
	struct sim_link *link = sim_link_add(L->sim, "lan", LINK_ETHERNET);
	CU_ASSERT_FATAL(L->a && L->b && ia && ib && link);
	link->delay = 100 * SIM_US;
	sim_link_attach(link, ia);
	sim_link_attach(link, ib);
	net_node_init(L->a);
	net_node_init(L->b);
	net_iface_up(ia);
	net_iface_up(ib);
	uint8_t a4[4], b4[4];
	pb_addr4(IP_A, a4);
	pb_addr4(IP_B, b4);
	CU_ASSERT(in4_addr_add(ia, a4, 24, NULL) == 0);
	CU_ASSERT(in4_addr_add(ib, b4, 24, NULL) == 0);
	transport_node_init(L->a);
	transport_node_init(L->b);
	sim_link_tap(link, tap, L);
	return L;
}

/* As the scenario runner does: commands, then transport, then the stack. */
static void lab_free(struct lab *L)
{
	for (size_t i = 0; i < L->sim->nnodes; i++) {
		apps_node_free(L->sim->nodes[i]);
		transport_node_free(L->sim->nodes[i]);
		net_node_free(L->sim->nodes[i]);
	}
	sim_free(L->sim);
	free(L);
}

/* Node a's output lines (commands left out), joined with '\n'. */
static void output_of(const struct lab *L, const struct sim_node *n, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < L->sim->out.n; i++) {
		const struct sim_line *l = &L->sim->out.lines[i];
		if (l->node != n->id || l->is_command)
			continue;
		int k = snprintf(buf + o, len - o, "%s\n", l->text);
		if (k < 0 || (size_t)k >= len - o)
			return;
		o += (size_t)k;
	}
}

/* The seed's demo of 2008-05-13: Enter on an empty line is the request. */
static void test_rompager_transcript(void)
{
	struct lab *L = lab_new();
	char out[4096];
	CU_ASSERT_EQUAL(apps_run(L->b, "rompager"), 0);
	sim_run_until(L->sim, 3 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet " IP_B " 80"), 0);
	sim_run_until(L->sim, 3 * SIM_S + 400 * SIM_MS);
	CU_ASSERT_EQUAL(apps_run(L->a, "''"), 0); /* typed into telnet, not run */
	sim_run_until(L->sim, 5 * SIM_S);
	output_of(L, L->a, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out,
	                       "Trying " IP_B "...\n"
	                       "Connected to " IP_B ".\n"
	                       "Escape character is '^]'.\n"
	                       "\n"
	                       "HTTP/1.1 200 OK\n"
	                       "Content-Type: text/xml; charset=\"utf-8\"\n"
	                       "Date: Tue, 13 May 2008 14:10:23 GMT\n"
	                       "Expires: Thu, 26 Oct 1995 00:00:00 GMT\n"
	                       "Last-Modified: Tue, 13 May 2008 14:10:23 GMT\n"
	                       "Pragma: no-cache\n"
	                       "Content-Length: 32\n"
	                       "Server: Allegro-Software-RomPager/4.34\n"
	                       "\n"
	                       "<?xml version=\"1.0\" ?><status />"
	                       "Connection closed by foreign host.\n");
	/* Byte for byte on the wire: the seed's lines with CR LF, and a
	 * 32-byte body with no line end (see apps/httpd.c). */
	static const char *const seed[] = {
		"HTTP/1.1 200 OK",
		"Content-Type: text/xml; charset=\"utf-8\"",
		"Date: Tue, 13 May 2008 14:10:23 GMT",
		"Expires: Thu, 26 Oct 1995 00:00:00 GMT",
		"Last-Modified: Tue, 13 May 2008 14:10:23 GMT",
		"Pragma: no-cache",
		"Content-Length: 32",
		"Server: Allegro-Software-RomPager/4.34",
		"",
	};
	char expect[1024] = "";
	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		strcat(expect, seed[i]);
		strcat(expect, "\r\n");
	}
	const char *body = "<?xml version=\"1.0\" ?><status />";
	CU_ASSERT_EQUAL(strlen(body), 32);
	strcat(expect, body);
	CU_ASSERT_EQUAL(L->nfrom_b, strlen(expect));
	CU_ASSERT(L->nfrom_b == strlen(expect) && memcmp(L->from_b, expect, L->nfrom_b) == 0);
	/* The terminal is the shell's again: the next line runs as a command. */
	CU_ASSERT_EQUAL(apps_run(L->a, "no-such-command"), APPS_EX_NOTFOUND);
	lab_free(L);
}

static void test_telnet_refused(void)
{
	struct lab *L = lab_new();
	char out[1024];
	sim_run_until(L->sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet " IP_B " 80"), 0);
	sim_run_until(L->sim, 2 * SIM_S);
	output_of(L, L->a, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "Trying " IP_B "...\n"
	                            "telnet: connect to address " IP_B ": Connection refused\n"
	                            "telnet: Unable to connect to remote host\n");
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet 198.51.100.1 23"), 1);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet"), APPS_EX_USAGE);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet " IP_B " gopher"), 1);
	output_of(L, L->a, out, sizeof out);
	CU_ASSERT(strstr(out, "Trying 198.51.100.1...\n"
	                      "telnet: connect to address 198.51.100.1: No route to host\n"
	                      "telnet: Unable to connect to remote host\n"
	                      "usage: telnet [-s line] ... host-name [port]\n"
	                      "telnet: gopher: bad port number\n") != NULL);
	lab_free(L);
}

/* The jail's server: page, access log with the address it saw. */
static void test_httpd_log(void)
{
	struct lab *L = lab_new();
	char out[2048];
	CU_ASSERT_EQUAL(apps_run(L->b, "httpd -l /var/log/httpd-access.log"), 0);
	sim_run_until(L->sim, 3 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet -s 'GET / HTTP/1.0' -s '' " IP_B " 80"), 0);
	sim_run_until(L->sim, 4 * SIM_S);
	output_of(L, L->a, out, sizeof out);
	CU_ASSERT(strstr(out, "Escape character is '^]'.\nGET / HTTP/1.0\n\nHTTP/1.1 200 OK\n") !=
	          NULL);
	CU_ASSERT(strstr(out, "\n<html><body><h1>It works!</h1></body></html>\n"
	                      "Connection closed by foreign host.\n") != NULL);
	const struct sim_file *f = sim_file_get(L->b, "/var/log/httpd-access.log");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_STRING_EQUAL(f->data,
	                       IP_A " - - [13/May/2008:14:10:23 +0000] \"GET / HTTP/1.0\" 200 45\n");
	/* cat shows it; a path that is not there gets cat's message. */
	CU_ASSERT_EQUAL(apps_run(L->b, "cat /var/log/httpd-access.log"), 0);
	CU_ASSERT_EQUAL(apps_run(L->b, "cat /nonexistent"), 1);
	output_of(L, L->b, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out,
	                       IP_A " - - [13/May/2008:14:10:23 +0000] \"GET / HTTP/1.0\" 200 45\n"
	                       "cat: /nonexistent: No such file or directory\n");
	lab_free(L);
}

static void test_named_and_host(void)
{
	static const char zone[] = "; BarNet\n"
	                           "www.barnet.com.au. A 202.83.176.248\n"
	                           "www.barnet.com.au 600 IN AAAA 2001:df0:9::ca53:b0f8\n";
	struct lab *L = lab_new();
	char out[2048];
	sim_file_put(L->b, "/etc/namedb/named.zone", zone, sizeof zone - 1, "test");
	CU_ASSERT_EQUAL(apps_run(L->b, "named"), 0);
	sim_run_until(L->sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "host www.barnet.com.au " IP_B), 0);
	sim_run_until(L->sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "host -t AAAA nope.barnet.com.au " IP_B), 0);
	sim_run_until(L->sim, 3 * SIM_S);
	output_of(L, L->a, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "Using domain server:\n"
	                            "Name: " IP_B "\n"
	                            "Address: " IP_B "#53\n"
	                            "Aliases: \n"
	                            "\n"
	                            "www.barnet.com.au has address 202.83.176.248\n"
	                            "www.barnet.com.au has IPv6 address 2001:df0:9::ca53:b0f8\n"
	                            "Using domain server:\n"
	                            "Name: " IP_B "\n"
	                            "Address: " IP_B "#53\n"
	                            "Aliases: \n"
	                            "\n"
	                            "Host nope.barnet.com.au not found: 3(NXDOMAIN)\n");
	lab_free(L);
}

/* telnet NAME: AAAA (none), then A from the node's resolver. */
static void test_telnet_by_name(void)
{
	static const char zone[] = "www.barnet.com.au A " IP_B "\n";
	static const char resolv[] = "domain barnet.com.au\nnameserver " IP_B "\n";
	struct lab *L = lab_new();
	char out[2048];
	sim_file_put(L->b, "/etc/namedb/named.zone", zone, sizeof zone - 1, "test");
	sim_file_put(L->a, "/etc/resolv.conf", resolv, sizeof resolv - 1, "test");
	CU_ASSERT_EQUAL(apps_run(L->b, "named"), 0);
	CU_ASSERT_EQUAL(apps_run(L->b, "rompager"), 0);
	sim_run_until(L->sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet -s '' www.barnet.com.au http"), 0);
	sim_run_until(L->sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(apps_run(L->a, "telnet nope.barnet.com.au 80"), 0);
	sim_run_until(L->sim, 3 * SIM_S);
	output_of(L, L->a, out, sizeof out);
	const char *head = "Trying " IP_B "...\n"
	                   "Connected to www.barnet.com.au.\n"
	                   "Escape character is '^]'.\n"
	                   "\n"
	                   "HTTP/1.1 200 OK\n";
	CU_ASSERT(strncmp(out, head, strlen(head)) == 0);
	const char *tail = strstr(out, "<status />Connection closed by foreign host.\n");
	CU_ASSERT_FATAL(tail != NULL);
	CU_ASSERT_STRING_EQUAL(tail + strlen("<status />Connection closed by foreign host.\n"),
	                       "telnet: nope.barnet.com.au: hostname nor servname provided, or not "
	                       "known\n");
	lab_free(L);
}

struct udp_seen {
	uint8_t data[512];
	size_t len;
	int n;
};

static void udp_record(void *user, struct udp_sock *s, const struct tp_addr *from,
                       const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct udp_seen *u = user;
	(void)s;
	(void)from;
	(void)to;
	u->n++;
	u->len = len < sizeof u->data ? len : sizeof u->data;
	memcpy(u->data, data, u->len);
}

/* RFC 1035 4.1.1: FORMERR for what does not decode (a question whose name
 * points at itself), NOTIMP for an inverse query; the id is kept. */
static void test_named_formerr(void)
{
	static const char zone[] = "www.barnet.com.au A 202.83.176.248\n";
	static const uint8_t loop[] = { 0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		                        0xc0, 0x0c, 0, 1, 0, 1 };
	static const uint8_t iquery[] = { 0x12, 0x34, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* QR, opcode 0, RD kept, rcode 1, no sections. */
	static const uint8_t formerr[] = { 0xbe, 0xef, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* QR, opcode 1 (IQUERY) kept, rcode 4. */
	static const uint8_t notimp[] = { 0x12, 0x34, 0x88, 0x04, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct lab *L = lab_new();
	struct udp_seen seen = { .n = 0 };
	sim_file_put(L->b, "/etc/namedb/named.zone", zone, sizeof zone - 1, "test");
	CU_ASSERT_EQUAL(apps_run(L->b, "named"), 0);
	struct udp_sock *s = udp_bind(L->a, 4, 5353, udp_record, &seen);
	CU_ASSERT_FATAL(s != NULL);
	struct tp_addr to = { .family = 4, .port = 53 };
	pb_addr4(IP_B, to.addr);
	sim_run_until(L->sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(udp_sendto(s, &to, loop, sizeof loop, NULL), 0);
	sim_run_until(L->sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(seen.n, 1);
	CU_ASSERT(seen.len == sizeof formerr && memcmp(seen.data, formerr, sizeof formerr) == 0);
	CU_ASSERT_EQUAL(udp_sendto(s, &to, iquery, sizeof iquery, NULL), 0);
	sim_run_until(L->sim, 3 * SIM_S);
	CU_ASSERT_EQUAL(seen.n, 2);
	CU_ASSERT(seen.len == sizeof notimp && memcmp(seen.data, notimp, sizeof notimp) == 0);
	lab_free(L);
}

static void test_named_bad_zone(void)
{
	static const char zone[] = "www.barnet.com.au A 202.83.176\n";
	struct lab *L = lab_new();
	char out[512];
	sim_file_put(L->b, "/etc/namedb/named.zone", zone, sizeof zone - 1, "test");
	CU_ASSERT_EQUAL(apps_run(L->b, "named"), 1);
	output_of(L, L->b, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "named: /etc/namedb/named.zone:1: bad record '202.83.176'\n");
	lab_free(L);
}

int suite_httpd(void)
{
	CU_pSuite s = CU_add_suite("httpd", NULL, NULL);
	if (!s || !CU_add_test(s, "rompager_transcript", test_rompager_transcript) ||
	    !CU_add_test(s, "telnet_refused", test_telnet_refused) ||
	    !CU_add_test(s, "httpd_log", test_httpd_log) ||
	    !CU_add_test(s, "named_and_host", test_named_and_host) ||
	    !CU_add_test(s, "named_bad_zone", test_named_bad_zone) ||
	    !CU_add_test(s, "telnet_by_name", test_telnet_by_name) ||
	    !CU_add_test(s, "named_formerr", test_named_formerr))
		return -1;
	return 0;
}
