/*
 * The jails' LDAP, POP3 and IMAP servers with their clients, over a
 * two-node LAN: k7 (the client) and jail (the servers), 100 us apart.
 * Client output is compared line by line with the formats of OpenLDAP's
 * ldapsearch and RFC 1939 / RFC 3501's dialogue examples; what the
 * servers put on the wire is compared with bytes written out by hand from
 * the RFCs (the BindResponse of RFC 4511 4.2.2, POP3 and IMAP replies
 * spelled out with their CR LFs and octet counts).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/apps.h"
#include "core/sim.h"
#include "net/net.h"
#include "pktbuild.h"
#include "transport/transport.h"

int suite_mailsrv(void);

#define START_UNIX (1210717800ull * SIM_S) /* 2008-05-13 22:30:00 UTC */
#define K7_IP "202.83.176.1"
#define JAIL_IP "202.83.176.250"
#define K7_IP6 "2001:df0:9::7"
#define JAIL_IP6 "2001:df0:9::ca53:b0fa"

static const uint8_t k7_mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t jail_mac[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };

static const char ldif[] = "# BarNet's people\n"
                           "dn: uid=edwin,ou=people,dc=barnet,dc=com,dc=au\n"
                           "objectClass: inetOrgPerson\n"
                           "uid: edwin\n"
                           "cn: Edwin Groothuis\n"
                           "mail: edwin@barnet.com.au\n"
                           "\n"
                           "dn: uid=noc,ou=people,dc=barnet,dc=com,dc=au\n"
                           "uid: noc\n"
                           "cn: Network\n"
                           "  Operations\n" /* a continuation line: "Network Operations" */
                           "mail: noc@barnet.com.au\n";

static const char mbox[] = "From noc@barnet.com.au Tue May 13 22:00:00 2008\n"
                           "From: noc@barnet.com.au\n"
                           "Subject: dots\n"
                           "\n"
                           ".one\n"
                           "..two\n"
                           "\n"
                           "From edwin@barnet.com.au Tue May 13 22:10:00 2008\n"
                           "Subject: second\n"
                           "\n"
                           "Hi\n";

#define MAXSEG 256

struct lan {
	struct sim *sim;
	struct sim_node *k7, *jail;
	struct sim_iface *sk0, *em0;
	struct sim_link *link;
	/* TCP payloads seen on the link, in order */
	struct { uint16_t sport, dport; size_t len; uint8_t data[1500]; } seg[MAXSEG];
	size_t nseg;
};

/* Ethernet + IPv4 or IPv6 + TCP: keep the payload of data segments. */
static void tap(void *user, const struct sim_frame_info *f)
{
	struct lan *l = user;
	const uint8_t *p = f->data;
	size_t len = f->len, ip;
	if (len < 14 || l->nseg == MAXSEG)
		return;
	uint16_t type = (uint16_t)(p[12] << 8 | p[13]);
	if (type == 0x0800 && len >= 34 && p[23] == 6)
		ip = 14 + (size_t)(p[14] & 0x0f) * 4;
	else if (type == 0x86dd && len >= 54 && p[20] == 6)
		ip = 54;
	else
		return;
	if (len < ip + 20 || len < ip + (size_t)(p[ip + 12] >> 4) * 4)
		return;
	size_t hl = (size_t)(p[ip + 12] >> 4) * 4;
	if (len == ip + hl)
		return;
	l->seg[l->nseg].sport = (uint16_t)(p[ip] << 8 | p[ip + 1]);
	l->seg[l->nseg].dport = (uint16_t)(p[ip + 2] << 8 | p[ip + 3]);
	l->seg[l->nseg].len = len - ip - hl;
	memcpy(l->seg[l->nseg].data, p + ip + hl, len - ip - hl);
	l->nseg++;
}

static struct lan *lan_new(void)
{
	static struct lan l;
	memset(&l, 0, sizeof l);
	l.sim = sim_new(20080513, START_UNIX);
	l.k7 = sim_node_add(l.sim, "k7", NODE_FREEBSD);
	l.jail = sim_node_add(l.sim, "jail", NODE_FREEBSD);
	l.sk0 = sim_iface_add(l.k7, "sk0", k7_mac);
	l.em0 = sim_iface_add(l.jail, "em0", jail_mac);
	l.link = sim_link_add(l.sim, "lan", LINK_ETHERNET);
	l.link->delay = 100 * SIM_US;
	sim_link_attach(l.link, l.sk0);
	sim_link_attach(l.link, l.em0);
	net_node_init(l.k7);
	net_node_init(l.jail);
	net_iface_up(l.sk0);
	net_iface_up(l.em0);
	uint8_t a4[4], a6[16];
	pb_addr4(K7_IP, a4);
	CU_ASSERT(in4_addr_add(l.sk0, a4, 24, NULL) == 0);
	pb_addr4(JAIL_IP, a4);
	CU_ASSERT(in4_addr_add(l.em0, a4, 24, NULL) == 0);
	pb_addr6(K7_IP6, a6);
	in6_addr_add(l.sk0, a6, 64, 0, SIM_NEVER, SIM_NEVER);
	pb_addr6(JAIL_IP6, a6);
	in6_addr_add(l.em0, a6, 64, 0, SIM_NEVER, SIM_NEVER);
	transport_node_init(l.k7);
	transport_node_init(l.jail);
	apps_node_init(l.k7);
	apps_node_init(l.jail);
	sim_file_put(l.jail, "/etc/ldap/barnet.ldif", ldif, strlen(ldif), "test");
	sim_file_put(l.jail, "/var/mail/edwin", mbox, strlen(mbox), "test");
	sim_run_until(l.sim, 5 * SIM_S); /* DAD over */
	sim_link_tap(l.link, tap, &l);
	return &l;
}

static void lan_free(struct lan *l)
{
	apps_node_free(l->k7);
	apps_node_free(l->jail);
	transport_node_free(l->k7);
	transport_node_free(l->jail);
	net_node_free(l->k7);
	net_node_free(l->jail);
	sim_free(l->sim);
}

static void run_for(struct lan *l, sim_time d)
{
	sim_run_until(l->sim, l->sim->now + d);
}

/* Every expected line of node's output since mark m, in order, and nothing else. */
static int same_lines(const struct lan *l, const struct sim_node *node, size_t m,
                      const char *const *exp, size_t nexp)
{
	size_t k = 0;
	int ok = 1;
	for (size_t i = m; i < l->sim->out.n; i++) {
		const struct sim_line *s = &l->sim->out.lines[i];
		if (s->node != node->id || s->is_command)
			continue;
		const char *e = k < nexp ? exp[k] : "(none)";
		if (strcmp(s->text, e) != 0) {
			printf("\n  line %zu\n    got [%s]\n    exp [%s]", k, s->text, e);
			ok = 0;
		}
		k++;
	}
	if (k != nexp) {
		printf("\n  %zu lines, expected %zu", k, nexp);
		ok = 0;
	}
	return ok;
}
#define ASSERT_LINES(l, node, m, ...)                                                     \
	do {                                                                              \
		static const char *const exp_[] = { __VA_ARGS__ };                        \
		CU_ASSERT_TRUE(same_lines((l), (node), (m), exp_, sizeof exp_ / sizeof exp_[0])); \
	} while (0)

/* Whether some output line of node since m equals text. */
static bool said(const struct lan *l, const struct sim_node *node, size_t m, const char *text)
{
	for (size_t i = m; i < l->sim->out.n; i++)
		if (l->sim->out.lines[i].node == node->id && strcmp(l->sim->out.lines[i].text, text) == 0)
			return true;
	return false;
}

/* Everything sent from port sport (the server's side of one conversation), concatenated. */
static size_t stream_from(const struct lan *l, uint16_t sport, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < l->nseg; i++)
		if (l->seg[i].sport == sport && n + l->seg[i].len <= cap) {
			memcpy(buf + n, l->seg[i].data, l->seg[i].len);
			n += l->seg[i].len;
		}
	return n;
}

static void assert_stream(const struct lan *l, uint16_t sport, const char *exp)
{
	static uint8_t buf[8192];
	size_t n = stream_from(l, sport, buf, sizeof buf - 1);
	buf[n] = '\0';
	CU_ASSERT_EQUAL(n, strlen(exp));
	if (n != strlen(exp) || memcmp(buf, exp, n) != 0)
		printf("\n  got [%s]\n  exp [%s]", (char *)buf, exp);
	CU_ASSERT(memcmp(buf, exp, n) == 0);
}

/* ---- LDAP ---- */

static void test_ldapsearch_entry(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -f /etc/ldap/barnet.ldif"), 0);
	size_t m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->k7, "ldapsearch -x -H ldap://" JAIL_IP
	                                " -b dc=barnet,dc=com,dc=au (uid=edwin)"), 0);
	run_for(l, 2 * SIM_S);
	ASSERT_LINES(l, l->k7, m,
	             "# extended LDIF",
	             "#",
	             "# LDAPv3",
	             "# base <dc=barnet,dc=com,dc=au> with scope subtree",
	             "# filter: (uid=edwin)",
	             "# requesting: ALL",
	             "#",
	             "",
	             "# edwin, people, barnet.com.au",
	             "dn: uid=edwin,ou=people,dc=barnet,dc=com,dc=au",
	             "objectClass: inetOrgPerson",
	             "uid: edwin",
	             "cn: Edwin Groothuis",
	             "mail: edwin@barnet.com.au",
	             "",
	             "# search result",
	             "search: 2",
	             "result: 0 Success",
	             "",
	             "# numResponses: 2",
	             "# numEntries: 1");
	/* On the wire: ldapsearch's anonymous simple bind, then the server's
	 * BindResponse { success, "", "" } (RFC 4511 4.2, 4.2.2, 4.1.9). */
	static const uint8_t bind[] = { 0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01,
		                        0x03, 0x04, 0x00, 0x80, 0x00 };
	static const uint8_t bound[] = { 0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01,
		                         0x00, 0x04, 0x00, 0x04, 0x00 };
	static const uint8_t unbind[] = { 0x30, 0x05, 0x02, 0x01, 0x03, 0x42, 0x00 };
	CU_ASSERT_FATAL(l->nseg >= 6);
	CU_ASSERT(l->seg[0].dport == 389 && l->seg[0].len == sizeof bind &&
	          memcmp(l->seg[0].data, bind, sizeof bind) == 0);
	CU_ASSERT(l->seg[1].sport == 389 && l->seg[1].len == sizeof bound &&
	          memcmp(l->seg[1].data, bound, sizeof bound) == 0);
	/* The entry: 159 octets, lengths of 128 and more in long form. DN 42
	 * octets; attributes 32 (objectClass) + 16 (uid) + 25 (cn) + 31 (mail) = 104. */
	static const uint8_t entry_head[] = {
		0x30, 0x81, 0x9c, 0x02, 0x01, 0x02,  /* message: 156 octets, id 2 */
		0x64, 0x81, 0x96, 0x04, 0x2a,        /* SearchResultEntry: 150; objectName: 42 */
	};
	static const uint8_t attrs_head[] = {
		0x30, 0x68, 0x30, 0x1e, 0x04, 0x0b, 'o', 'b', 'j', 'e', 'c', 't', 'C', 'l', 'a', 's',
		's', 0x31, 0x0f, 0x04, 0x0d, 'i', 'n', 'e', 't', 'O', 'r', 'g', 'P', 'e', 'r', 's',
		'o', 'n', 0x30, 0x0e, 0x04, 0x03, 'u', 'i', 'd', 0x31, 0x07, 0x04, 0x05, 'e', 'd',
		'w', 'i', 'n',
	};
	CU_ASSERT(l->seg[3].sport == 389 && l->seg[3].len == 159);
	CU_ASSERT(memcmp(l->seg[3].data, entry_head, sizeof entry_head) == 0);
	CU_ASSERT(memcmp(l->seg[3].data + 11 + 42, attrs_head, sizeof attrs_head) == 0);
	/* done (0x65: success), then the unbind */
	static const uint8_t done[] = { 0x30, 0x0c, 0x02, 0x01, 0x02, 0x65, 0x07, 0x0a, 0x01,
		                        0x00, 0x04, 0x00, 0x04, 0x00 };
	CU_ASSERT(l->seg[4].len == sizeof done && memcmp(l->seg[4].data, done, sizeof done) == 0);
	CU_ASSERT(l->seg[5].len == sizeof unbind && memcmp(l->seg[5].data, unbind, sizeof unbind) == 0);
	lan_free(l);
}

static void test_ldapsearch_attrs_scope_ldif(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -6 -f /etc/ldap/barnet.ldif"), 0);
	size_t m = l->sim->out.n;
	/* over IPv6, one level, two attributes asked for, plain LDIF */
	CU_ASSERT_EQUAL(apps_run(l->k7, "ldapsearch -x -LLL -H ldap://[" JAIL_IP6 "]:389/"
	                                " -s one -b ou=people,dc=barnet,dc=com,dc=au"
	                                " (objectClass=*) cn mail"), 0);
	run_for(l, 2 * SIM_S);
	ASSERT_LINES(l, l->k7, m,
	             "dn: uid=edwin,ou=people,dc=barnet,dc=com,dc=au",
	             "cn: Edwin Groothuis",
	             "mail: edwin@barnet.com.au",
	             "",
	             "dn: uid=noc,ou=people,dc=barnet,dc=com,dc=au",
	             "cn: Network Operations",
	             "mail: noc@barnet.com.au",
	             "");
	/* the base alone: nothing one level below it */
	m = l->sim->out.n;
	apps_run(l->k7, "ldapsearch -x -H ldap://" JAIL_IP " -s base"
	                " -b uid=noc,ou=people,dc=barnet,dc=com,dc=au (uid=edwin) uid");
	run_for(l, 2 * SIM_S);
	ASSERT_LINES(l, l->k7, m,
	             "# extended LDIF",
	             "#",
	             "# LDAPv3",
	             "# base <uid=noc,ou=people,dc=barnet,dc=com,dc=au> with scope baseObject",
	             "# filter: (uid=edwin)",
	             "# requesting: uid ",
	             "#",
	             "",
	             "# search result",
	             "search: 2",
	             "result: 0 Success",
	             "",
	             "# numResponses: 1");
	lan_free(l);
}

static void test_ldap_errors(void)
{
	struct lan *l = lan_new();
	size_t m = l->sim->out.n;
	/* nothing listens yet: the SYN is answered with a reset */
	apps_run(l->k7, "ldapsearch -x -H ldap://" JAIL_IP " -b dc=barnet,dc=com,dc=au");
	run_for(l, 1 * SIM_S);
	ASSERT_LINES(l, l->k7, m, "ldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)");
	m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -f /nope.ldif"), 1);
	ASSERT_LINES(l, l->jail, m, "ldapd: /nope.ldif: No such file or directory");
	sim_file_put(l->jail, "/bad.ldif", "dn: a=b\nno colon here\n", 23, "test");
	m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -f /bad.ldif"), 1);
	ASSERT_LINES(l, l->jail, m, "ldapd: /bad.ldif: line 2: bad LDIF line");
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -f /etc/ldap/barnet.ldif"), 0);
	m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -f /etc/ldap/barnet.ldif"), 1);
	ASSERT_LINES(l, l->jail, m, "ldapd: bind: Address already in use");
	m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->k7, "ldapsearch -x -H ldap://" JAIL_IP " -b dc=x (uid=*a)"), 1);
	CU_ASSERT_EQUAL(apps_run(l->k7, "ldapsearch -H ldap://" JAIL_IP " -b dc=x"), 1);
	ASSERT_LINES(l, l->k7, m, "ldapsearch: ldap_search_ext: Bad search filter (-7)",
	             "ldap_sasl_interactive_bind_s: Unknown authentication method (-6)");
	m = l->sim->out.n;
	apps_run(l->k7, "ldapsearch -x -H ldap://" JAIL_IP " -b dc=example,dc=com");
	run_for(l, 1 * SIM_S);
	CU_ASSERT_TRUE(said(l, l->k7, m, "result: 32 No such object"));
	lan_free(l);
}

/* A client that sends what it is given and records whether the server hung up. */
struct raw_client {
	int closed, errors;
};

static void raw_closed(void *user, struct tcp_conn *c)
{
	((struct raw_client *)user)->closed++;
	tcp_close(c);
}

static void raw_error(void *user, struct tcp_conn *c, const char *reason)
{
	(void)reason;
	((struct raw_client *)user)->errors++;
	tcp_close(c);
}

static void send_raw(struct lan *l, const uint8_t *pdu, size_t len, struct raw_client *rc)
{
	struct tp_addr dst = { .family = 4, .port = 389 };
	pb_addr4(JAIL_IP, dst.addr);
	const struct tcp_callbacks cb = { .closed = raw_closed, .error = raw_error, .user = rc };
	const char *err = NULL;
	struct tcp_conn *c = tcp_connect(l->k7, &dst, &cb, &err);
	CU_ASSERT_FATAL(c != NULL);
	tcp_send(c, pdu, len);
	run_for(l, 1 * SIM_S);
}

/* Malformed PDUs: the server hangs up, and goes on serving. */
static void test_ldapd_malformed(void)
{
	static const uint8_t indefinite[] = { 0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00 };
	static const uint8_t lying[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x63, 0x10, 0x04 };
	static const uint8_t huge[] = { 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02 };
	static const uint8_t search_junk[] = { 0x30, 0x08, 0x02, 0x01, 0x05, 0x63, 0x03, 0x04, 0x01,
		                               'x' };
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->jail, "ldapd -f /etc/ldap/barnet.ldif"), 0);
	struct raw_client r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 };
	send_raw(l, indefinite, sizeof indefinite, &r1);
	send_raw(l, lying, sizeof lying, &r2);
	send_raw(l, huge, sizeof huge, &r3);
	CU_ASSERT_EQUAL(r1.closed + r1.errors, 1);
	CU_ASSERT_EQUAL(r2.closed + r2.errors, 1);
	CU_ASSERT_EQUAL(r3.closed + r3.errors, 1); /* 2 GiB announced: refused at once */
	/* a SearchRequest missing its fields: answered with protocolError, connection kept */
	size_t before = l->nseg;
	send_raw(l, search_junk, sizeof search_junk, &r4);
	static const uint8_t proto_err[] = { 0x30, 0x0c, 0x02, 0x01, 0x05, 0x65, 0x07, 0x0a, 0x01,
		                             0x02, 0x04, 0x00, 0x04, 0x00 };
	bool seen = false;
	for (size_t i = before; i < l->nseg; i++)
		seen |= l->seg[i].sport == 389 && l->seg[i].len == sizeof proto_err &&
		        memcmp(l->seg[i].data, proto_err, sizeof proto_err) == 0;
	CU_ASSERT_TRUE(seen);
	size_t m = l->sim->out.n;
	apps_run(l->k7, "ldapsearch -x -LLL -H ldap://" JAIL_IP " -b dc=barnet,dc=com,dc=au uid=noc uid");
	run_for(l, 1 * SIM_S);
	ASSERT_LINES(l, l->k7, m, "dn: uid=noc,ou=people,dc=barnet,dc=com,dc=au", "uid: noc", "");
	lan_free(l);
}

/* ---- POP3 ---- */

/* The messages in CR LF form: 25 + 15 + 2 + 6 + 7 = 55 and 17 + 2 + 4 = 23 octets. */
#define MSG1 "From: noc@barnet.com.au\r\nSubject: dots\r\n\r\n.one\r\n..two\r\n"
#define MSG2 "Subject: second\r\n\r\nHi\r\n"

static void test_pop3_retr_dot_stuffing(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->jail, "pop3d"), 0);
	size_t m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->k7, "pop3 " JAIL_IP " edwin secret"), 0);
	run_for(l, 2 * SIM_S);
	ASSERT_LINES(l, l->k7, m,
	             "S: +OK POP3 ready",
	             "C: USER edwin",
	             "S: +OK Password required for edwin.",
	             "C: PASS secret",
	             "S: +OK edwin's maildrop has 2 messages (78 octets)",
	             "C: STAT",
	             "S: +OK 2 78",
	             "C: LIST",
	             "S: +OK 2 messages (78 octets)",
	             "S: 1 55",
	             "S: 2 23",
	             "S: .",
	             "C: RETR 1",
	             "S: +OK 55 octets",
	             "S: From: noc@barnet.com.au",
	             "S: Subject: dots",
	             "S:",
	             "S: ..one",
	             "S: ...two",
	             "S: .",
	             "C: RETR 2",
	             "S: +OK 23 octets",
	             "S: Subject: second",
	             "S:",
	             "S: Hi",
	             "S: .",
	             "C: QUIT",
	             "S: +OK POP3 server signing off");
	/* RFC 1939 on the wire: greeting first, lines dot-stuffed (section 3). */
	assert_stream(l, 110,
	              "+OK POP3 ready\r\n"
	              "+OK Password required for edwin.\r\n"
	              "+OK edwin's maildrop has 2 messages (78 octets)\r\n"
	              "+OK 2 78\r\n"
	              "+OK 2 messages (78 octets)\r\n1 55\r\n2 23\r\n.\r\n"
	              "+OK 55 octets\r\nFrom: noc@barnet.com.au\r\nSubject: dots\r\n\r\n"
	              "..one\r\n...two\r\n.\r\n"
	              "+OK 23 octets\r\n" MSG2 ".\r\n"
	              "+OK POP3 server signing off\r\n");
	lan_free(l);
}

static void test_pop3_errors(void)
{
	struct lan *l = lan_new();
	size_t m = l->sim->out.n;
	apps_run(l->k7, "pop3 " JAIL_IP " edwin secret");
	run_for(l, 1 * SIM_S);
	ASSERT_LINES(l, l->k7, m, "pop3: connect to address " JAIL_IP ": Connection refused");
	CU_ASSERT_EQUAL(apps_run(l->jail, "pop3d -6"), 0);
	m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->jail, "pop3d"), 1);
	ASSERT_LINES(l, l->jail, m, "pop3d: bind: Address already in use");
	/* over IPv6, a user without a maildrop */
	m = l->sim->out.n;
	apps_run(l->k7, "pop3 " JAIL_IP6 " nobody x");
	run_for(l, 1 * SIM_S);
	CU_ASSERT_TRUE(said(l, l->k7, m, "S: +OK nobody's maildrop has 0 messages (0 octets)"));
	CU_ASSERT_TRUE(said(l, l->k7, m, "S: +OK POP3 server signing off"));
	CU_ASSERT_EQUAL(apps_run(l->k7, "pop3 " JAIL_IP " edwin"), APPS_EX_USAGE);
	lan_free(l);
}

/* ---- IMAP ---- */

static void test_imap_fetch(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->jail, "imapd"), 0);
	size_t m = l->sim->out.n;
	CU_ASSERT_EQUAL(apps_run(l->k7, "imap " JAIL_IP " edwin secret"), 0);
	run_for(l, 2 * SIM_S);
	ASSERT_LINES(l, l->k7, m,
	             "S: * OK IMAP4rev1 ready",
	             "C: a001 CAPABILITY",
	             "S: * CAPABILITY IMAP4rev1",
	             "S: a001 OK CAPABILITY completed",
	             "C: a002 LOGIN edwin secret",
	             "S: a002 OK LOGIN completed",
	             "C: a003 SELECT INBOX",
	             "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
	             "S: * 2 EXISTS",
	             "S: * 2 RECENT",
	             "S: * OK [UIDVALIDITY 1] UIDs valid",
	             "S: * OK [UIDNEXT 3] Predicted next UID",
	             "S: a003 OK [READ-WRITE] SELECT completed",
	             "C: a004 FETCH 1 (BODY[])",
	             "S: * 1 FETCH (FLAGS (\\Seen) BODY[] {55}",
	             "S: From: noc@barnet.com.au",
	             "S: Subject: dots",
	             "S:",
	             "S: .one",
	             "S: ..two",
	             "S: )",
	             "S: a004 OK FETCH completed",
	             "C: a005 FETCH 2 (BODY[])",
	             "S: * 2 FETCH (FLAGS (\\Seen) BODY[] {23}",
	             "S: Subject: second",
	             "S:",
	             "S: Hi",
	             "S: )",
	             "S: a005 OK FETCH completed",
	             "C: a006 LOGOUT",
	             "S: * BYE IMAP4rev1 Server logging out",
	             "S: a006 OK LOGOUT completed");
	/* RFC 3501 on the wire: the greeting, a literal of exactly {55} octets (no stuffing) */
	assert_stream(l, 143,
	              "* OK IMAP4rev1 ready\r\n"
	              "* CAPABILITY IMAP4rev1\r\na001 OK CAPABILITY completed\r\n"
	              "a002 OK LOGIN completed\r\n"
	              "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
	              "* 2 EXISTS\r\n* 2 RECENT\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n"
	              "* OK [UIDNEXT 3] Predicted next UID\r\n"
	              "a003 OK [READ-WRITE] SELECT completed\r\n"
	              "* 1 FETCH (FLAGS (\\Seen) BODY[] {55}\r\n" MSG1 ")\r\n"
	              "a004 OK FETCH completed\r\n"
	              "* 2 FETCH (FLAGS (\\Seen) BODY[] {23}\r\n" MSG2 ")\r\n"
	              "a005 OK FETCH completed\r\n"
	              "* BYE IMAP4rev1 Server logging out\r\na006 OK LOGOUT completed\r\n");
	lan_free(l);
}

/* A client typing by hand: RFC822, sets, peeking, commands out of state. */
struct typed {
	uint8_t got[4096];
	size_t n;
};

static void typed_data(void *user, struct tcp_conn *c, const uint8_t *d, size_t len)
{
	struct typed *t = user;
	(void)c;
	if (t->n + len < sizeof t->got) {
		memcpy(t->got + t->n, d, len);
		t->n += len;
	}
}

static void test_imap_commands(void)
{
	struct lan *l = lan_new();
	CU_ASSERT_EQUAL(apps_run(l->jail, "imapd -6"), 0);
	struct typed t = { .n = 0 };
	struct tp_addr dst = { .family = 6, .port = 143 };
	pb_addr6(JAIL_IP6, dst.addr);
	const struct tcp_callbacks cb = { .data = typed_data, .user = &t };
	const char *err = NULL;
	struct tcp_conn *c = tcp_connect(l->k7, &dst, &cb, &err);
	CU_ASSERT_FATAL(c != NULL);
	static const char cmds[] = "x1 SELECT INBOX\r\n"
	                           "x2 LOGIN \"edwin\" \"a b\"\r\n"
	                           "x3 SELECT Drafts\r\n"
	                           "x4 EXAMINE inbox\r\n"
	                           "x5 FETCH 2:* (RFC822.SIZE FLAGS BODY.PEEK[])\r\n"
	                           "x6 FETCH 2 RFC822\r\n"
	                           "x7 FETCH 9 FROB\r\n"
	                           "x8 NOOP\r\n";
	tcp_send(c, (const uint8_t *)cmds, strlen(cmds));
	run_for(l, 1 * SIM_S);
	t.got[t.n] = '\0';
	static const char exp[] =
	        "* OK IMAP4rev1 ready\r\n"
	        "x1 BAD Command unknown or not valid in this state\r\n"
	        "x2 OK LOGIN completed\r\n"
	        "x3 NO Mailbox does not exist\r\n"
	        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
	        "* 2 EXISTS\r\n* 2 RECENT\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n"
	        "* OK [UIDNEXT 3] Predicted next UID\r\n"
	        "x4 OK [READ-ONLY] EXAMINE completed\r\n"
	        "* 2 FETCH (RFC822.SIZE 23 FLAGS () BODY[] {23}\r\n" MSG2 ")\r\n"
	        "x5 OK FETCH completed\r\n"
	        "* 2 FETCH (RFC822 {23}\r\n" MSG2 ")\r\n"  /* read-only: \Seen not set */
	        "x6 OK FETCH completed\r\n"
	        "x7 BAD Invalid FETCH arguments\r\n"
	        "x8 OK NOOP completed\r\n";
	CU_ASSERT_EQUAL(t.n, strlen(exp));
	CU_ASSERT_STRING_EQUAL((char *)t.got, exp);
	tcp_close(c);
	run_for(l, 1 * SIM_S);
	lan_free(l);
}

int suite_mailsrv(void)
{
	CU_pSuite s = CU_add_suite("mailsrv", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "ldapsearch_entry", test_ldapsearch_entry) ||
	    !CU_add_test(s, "ldapsearch_attrs_scope_ldif", test_ldapsearch_attrs_scope_ldif) ||
	    !CU_add_test(s, "ldap_errors", test_ldap_errors) ||
	    !CU_add_test(s, "ldapd_malformed", test_ldapd_malformed) ||
	    !CU_add_test(s, "pop3_retr_dot_stuffing", test_pop3_retr_dot_stuffing) ||
	    !CU_add_test(s, "pop3_errors", test_pop3_errors) ||
	    !CU_add_test(s, "imap_fetch", test_imap_fetch) ||
	    !CU_add_test(s, "imap_commands", test_imap_commands))
		return -1;
	return 0;
}
