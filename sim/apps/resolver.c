/*
 * The stub resolver behind resolver_lookup (see resolver.h): RD queries,
 * AAAA then A, two tries of 5 seconds each per query, answers matched by
 * id and server port. An NXDOMAIN ends the lookup (the name does not
 * exist for any type); no address at all is "not known"; no answer at
 * all is a temporary failure.
 */
#include "resolver.h"
#include "apps_int.h"
#include "../net/dns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RES_TIMEOUT (5 * SIM_S)
#define RES_TRIES 2

struct lookup {
	struct sim_node *node;
	struct udp_sock *sock;
	struct sim_timer timer;
	struct tp_addr server;
	char name[256];
	int step;               /* 0: AAAA, 1: A, 2: done */
	int tries;
	bool answered;          /* some server reply came */
	uint16_t id;
	struct tp_addr found[RESOLVER_MAX_ADDRS];
	size_t nfound;
	resolver_done_fn done;
	void *user;
	struct dns_msg msg;
};

static const uint16_t step_type[2] = { DNS_T_AAAA, DNS_T_A };

static void lookup_free(struct sim *sim, void *user)
{
	(void)sim;
	free(user);
}

static void finish(struct lookup *l, const char *err)
{
	l->step = 2;
	timer_cancel(&l->timer);
	if (l->sock)
		udp_close(l->sock);
	l->sock = NULL;
	l->done(l->user, l->found, l->nfound, l->nfound ? NULL : err);
}

static void timeout_event(struct sim *sim, void *obj, uint64_t arg);

static void ask(struct lookup *l)
{
	uint8_t q[DNS_UDP_MAX];
	struct sim *sim = l->node->sim;
	l->id = (uint16_t)prng_below(&sim->prng, 65536);
	size_t len = dns_encode_query(q, sizeof q, l->id, true, l->name, step_type[l->step]);
	if (len == 0) {
		finish(l, RESOLVER_ENONAME);
		return;
	}
	l->tries++;
	udp_sendto(l->sock, &l->server, q, len, NULL); /* a lost query times out */
	timer_arm(sim, &l->timer, sim->now + RES_TIMEOUT, timeout_event, l);
}

static void next_step(struct lookup *l)
{
	l->tries = 0;
	if (++l->step == 2)
		finish(l, l->answered ? RESOLVER_ENONAME : RESOLVER_EAGAIN);
	else
		ask(l);
}

static void timeout_event(struct sim *sim, void *obj, uint64_t arg)
{
	struct lookup *l = obj;
	(void)sim;
	if (!timer_current(&l->timer, arg) || l->step == 2)
		return;
	l->timer.when = SIM_NEVER;
	if (l->tries < RES_TRIES)
		ask(l);
	else
		next_step(l);
}

static void keep_addresses(struct lookup *l)
{
	for (size_t i = 0; i < l->msg.nrr && l->nfound < RESOLVER_MAX_ADDRS; i++) {
		const struct dns_rr *rr = &l->msg.rr[i];
		struct tp_addr *a = &l->found[l->nfound];
		if (rr->section != DNS_S_ANSWER || rr->type != step_type[l->step])
			continue;
		memset(a, 0, sizeof *a);
		a->family = rr->type == DNS_T_AAAA ? 6 : 4;
		memcpy(a->addr, rr->rdata, a->family == 6 ? 16 : 4);
		l->nfound++;
	}
}

static void on_reply(void *user, struct udp_sock *s, const struct tp_addr *from,
                     const struct tp_addr *to, const uint8_t *data, size_t len)
{
	struct lookup *l = user;
	(void)s;
	(void)to;
	if (l->step == 2 || from->port != l->server.port ||
	    dns_decode(data, len, &l->msg, NULL) < 0 || l->msg.h.id != l->id ||
	    !(l->msg.h.flags & DNS_F_QR))
		return;
	timer_cancel(&l->timer);
	l->answered = true;
	unsigned rcode = l->msg.h.flags & DNS_F_RCODE;
	if (rcode == DNS_R_NXDOMAIN) {
		finish(l, RESOLVER_ENONAME);
		return;
	}
	if (rcode == DNS_R_NOERROR)
		keep_addresses(l);
	next_step(l);
}

void resolver_nameserver(const struct sim_node *n, char *buf, size_t len)
{
	const struct sim_file *f = sim_file_get(n, "/etc/resolv.conf");
	const char *p = f ? strstr(f->data, "nameserver") : NULL;
	char word[APPS_ADDRSTRLEN];
	if (!p || sscanf(p, "nameserver %63s", word) != 1)
		snprintf(word, sizeof word, "127.0.0.1");
	snprintf(buf, len, "%s", word);
}

/* The first nameserver line of /etc/resolv.conf, else the local host. */
static void pick_server(struct lookup *l)
{
	char word[APPS_ADDRSTRLEN];
	struct sim_iface *scope = NULL;
	resolver_nameserver(l->node, word, sizeof word);
	memset(&l->server, 0, sizeof l->server);
	l->server.port = DNS_PORT;
	if (apps_parse6(l->node, word, l->server.addr, &scope) == 0) {
		l->server.family = 6;
		l->server.ifp = scope;
	} else {
		l->server.family = 4;
		if (!apps_parse4(word, l->server.addr))
			apps_parse4("127.0.0.1", l->server.addr);
	}
}

/* A numeric address: no lookup. */
static bool numeric(struct sim_node *n, const char *name, struct tp_addr *a)
{
	struct sim_iface *scope = NULL;
	memset(a, 0, sizeof *a);
	if (apps_parse6(n, name, a->addr, &scope) == 0) {
		a->family = 6;
		a->ifp = scope;
		return true;
	}
	if (apps_parse4(name, a->addr)) {
		a->family = 4;
		return true;
	}
	return false;
}

int resolver_lookup(struct sim_node *n, const char *name, resolver_done_fn done, void *user)
{
	struct tp_addr a;
	if (!n->tp)
		return -1;
	if (numeric(n, name, &a)) {
		done(user, &a, 1, NULL);
		return 0;
	}
	struct lookup *l = sim_xcalloc(1, sizeof *l);
	l->node = n;
	l->done = done;
	l->user = user;
	l->timer.when = SIM_NEVER;
	sim_on_free(n->sim, lookup_free, l);
	if (strlen(name) >= sizeof l->name) {
		finish(l, RESOLVER_ENONAME);
		return 0;
	}
	strcpy(l->name, name);
	pick_server(l);
	l->sock = udp_bind(n, l->server.family, 0, on_reply, l);
	if (!l->sock) {
		finish(l, RESOLVER_EAGAIN);
		return 0;
	}
	ask(l);
	return 0;
}
