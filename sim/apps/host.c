/*
 * `host [-t TYPE] NAME [SERVER]`: BIND 9's host(1) as FreeBSD ships it,
 * over UDP to SERVER (an IPv4 or IPv6 address) or to the first
 * `nameserver` of the node's /etc/resolv.conf:
 *
 *   Using domain server:
 *   Name: 202.83.176.250
 *   Address: 202.83.176.250#53
 *   Aliases: 
 *
 *   www.barnet.com.au has address 202.83.176.248
 *   www.barnet.com.au has IPv6 address 2001:df0:9::ca53:b0f8
 *
 * Without -t it asks for A, AAAA and MX in turn and stays silent about
 * an empty answer; with -t an empty answer is "NAME has no TYPE record".
 * An error rcode ends it: "Host NAME not found: 3(NXDOMAIN)". Two tries
 * of 5 seconds each, then ";; connection timed out; no servers could be
 * reached".
 */
#include "resolver.h"
#include "apps_int.h"
#include "../net/dns.h"
#include "../transport/transport.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HOST_TIMEOUT (5 * SIM_S)
#define HOST_TRIES 2
#define HOST_MAXQ 3

struct host_job {
	struct sim_node *node;
	struct udp_sock *sock;
	struct sim_timer timer;
	struct tp_addr server;
	char server_text[APPS_ADDRSTRLEN];
	bool show_server;          /* SERVER given on the command line */
	bool explicit_type;        /* -t given */
	bool done;
	char name[256];
	uint16_t types[HOST_MAXQ];
	size_t ntypes, cur;
	int tries;
	uint16_t id;
	struct dns_msg msg;
};

static void finish(struct host_job *j)
{
	j->done = true;
	timer_cancel(&j->timer);
	if (j->sock)
		udp_close(j->sock);
	j->sock = NULL;
}

static void timeout_event(struct sim *sim, void *obj, uint64_t arg);

static void send_query(struct host_job *j)
{
	uint8_t q[DNS_UDP_MAX];
	struct sim *sim = j->node->sim;
	j->id = (uint16_t)prng_below(&sim->prng, 65536);
	size_t len = dns_encode_query(q, sizeof q, j->id, true, j->name, j->types[j->cur]);
	const char *err = NULL;
	if (len == 0) {
		apps_say(j->node, "host: '%s' is not a legal name (label too long)", j->name);
		finish(j);
		return;
	}
	j->tries++;
	if (udp_sendto(j->sock, &j->server, q, len, &err) < 0)
		apps_say(j->node, ";; send to %s failed: %s", j->server_text, err ? err : "error");
	timer_arm(sim, &j->timer, sim->now + HOST_TIMEOUT, timeout_event, j);
}

static void timeout_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct host_job *j = obj;
	(void)sim;
	if (!timer_current(&j->timer, arg) || j->done)
		return;
	j->timer.when = SIM_NEVER;
	if (j->tries < HOST_TRIES) {
		send_query(j);
		return;
	}
	apps_say(j->node, ";; connection timed out; no servers could be reached");
	finish(j);
}

static void print_server(struct host_job *j)
{
	if (!j->show_server)
		return;
	j->show_server = false; /* once, before the first answer */
	apps_say(j->node, "Using domain server:");
	apps_say(j->node, "Name: %s", j->server_text);
	apps_say(j->node, "Address: %s#%u", j->server_text, j->server.port);
	apps_say(j->node, "Aliases: ");
	apps_say(j->node, "%s", "");
}

static void print_answers(struct host_job *j)
{
	const struct dns_msg *m = &j->msg;
	size_t shown = 0;
	for (size_t i = 0; i < m->nrr; i++) {
		const struct dns_rr *rr = &m->rr[i];
		char text[APPS_ADDRSTRLEN];
		if (rr->section != DNS_S_ANSWER)
			continue;
		if (rr->type == DNS_T_A && rr->rdlength == 4) {
			apps_fmt4(text, sizeof text, rr->rdata);
			apps_say(j->node, "%s has address %s", rr->name, text);
			shown++;
		} else if (rr->type == DNS_T_AAAA && rr->rdlength == 16) {
			apps_fmt6(text, sizeof text, rr->rdata, NULL);
			apps_say(j->node, "%s has IPv6 address %s", rr->name, text);
			shown++;
		}
	}
	if (shown == 0 && j->explicit_type) {
		const char *t = dns_type_name(j->types[j->cur]);
		apps_say(j->node, "%s has no %s record", j->name, t ? t : "?");
	}
}

static void on_reply(void *user, struct udp_sock *s, const struct tp_addr *from,
                     const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct host_job *j = user;
	struct dns_error err;
	(void)s;
	(void)to;
	if (j->done || from->port != j->server.port || dns_decode(data, len, &j->msg, &err) < 0)
		return; /* a stray or broken datagram: keep waiting (the timer runs) */
	if (j->msg.h.id != j->id || !(j->msg.h.flags & DNS_F_QR))
		return;
	timer_cancel(&j->timer);
	print_server(j);
	unsigned rcode = j->msg.h.flags & DNS_F_RCODE;
	if (rcode != DNS_R_NOERROR) {
		const char *r = dns_rcode_name(rcode);
		apps_say(j->node, "Host %s not found: %u(%s)", j->name, rcode, r ? r : "?");
		finish(j);
		return;
	}
	print_answers(j);
	if (++j->cur == j->ntypes) {
		finish(j);
		return;
	}
	j->tries = 0;
	send_query(j);
}

static void host_free(struct sim *sim, void *user)
{
	struct host_job *j = user;
	(void)sim;
	free(j);
}

static uint16_t type_code(const char *name)
{
	static const uint16_t known[] = { DNS_T_A, DNS_T_NS, DNS_T_CNAME, DNS_T_SOA, DNS_T_PTR,
		                          DNS_T_MX, DNS_T_TXT, DNS_T_AAAA, DNS_T_ANY };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcasecmp(name, dns_type_name(known[i])) == 0)
			return known[i];
	return 0;
}

/* The server's address from the argument or /etc/resolv.conf. */
static bool pick_server(struct host_job *j, const char *arg)
{
	char word[APPS_ADDRSTRLEN] = "";
	if (arg) {
		snprintf(word, sizeof word, "%s", arg);
		j->show_server = true;
	} else {
		resolver_nameserver(j->node, word, sizeof word);
	}
	struct sim_iface *scope = NULL;
	memset(&j->server, 0, sizeof j->server);
	j->server.port = DNS_PORT;
	if (apps_parse6(j->node, word, j->server.addr, &scope) == 0)
		j->server.family = 6;
	else if (apps_parse4(word, j->server.addr))
		j->server.family = 4;
	else {
		apps_say(j->node, "host: couldn't get address for '%s': not found", word);
		return false;
	}
	j->server.ifp = scope;
	snprintf(j->server_text, sizeof j->server_text, "%s", word);
	return true;
}

static int usage(struct sim_node *n)
{
	apps_say(n, "Usage: host [-t type] hostname [server]");
	return APPS_EX_USAGE;
}

int cmd_host(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt o;
	uint16_t type = 0;
	int c;
	apps_opt_init(&o);
	while ((c = apps_getopt(&o, argc, argv, "t:")) != -1) {
		if (c != 't')
			return usage(n);
		type = type_code(o.arg);
		if (!type) {
			apps_say(n, "host: invalid type: %s", o.arg);
			return 1;
		}
	}
	if (o.ind >= argc || argc - o.ind > 2 || !n->tp || strlen(argv[o.ind]) >= 256)
		return usage(n);
	struct host_job *j = sim_xcalloc(1, sizeof *j);
	j->node = n;
	j->timer.when = SIM_NEVER;
	snprintf(j->name, sizeof j->name, "%s", argv[o.ind]);
	if (!pick_server(j, argc - o.ind == 2 ? argv[o.ind + 1] : NULL)) {
		free(j);
		return 1;
	}
	j->explicit_type = type != 0;
	if (type) {
		j->types[j->ntypes++] = type;
	} else {
		j->types[j->ntypes++] = DNS_T_A;
		j->types[j->ntypes++] = DNS_T_AAAA;
		j->types[j->ntypes++] = DNS_T_MX;
	}
	j->sock = udp_bind(n, j->server.family, 0, on_reply, j);
	if (!j->sock) {
		apps_say(n, "host: socket: No buffer space available");
		free(j);
		return 1;
	}
	sim_on_free(n->sim, host_free, j);
	send_query(j);
	return 0;
}
