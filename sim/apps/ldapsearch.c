/*
 * ldapsearch(1), OpenLDAP 2.4's client, the subset a scenario needs:
 *
 *   ldapsearch -x [-H ldap://HOST[:PORT]] [-h HOST] [-p PORT] -b BASE
 *              [-s base|one|sub] [-D BINDDN] [-w PASSWD] [-L[L[L]]] [FILTER [ATTR...]]
 *
 * HOST is an address (IPv6 in brackets in a URL). It binds (simple,
 * message 1), searches (message 2), prints what comes back in OpenLDAP's
 * "extended LDIF" and unbinds (message 3), as the real tool does:
 *
 *   # extended LDIF          ...       # search result
 *   #                                  search: 2
 *   # LDAPv3                           result: 0 Success
 *   # base <BASE> with scope subtree
 *   # filter: (uid=edwin)              # numResponses: 2
 *   # requesting: ALL                  # numEntries: 1
 *
 * Values that are not safe LDIF strings are printed base64 ("attr:: ");
 * long lines are not folded (OpenLDAP's width differs between versions).
 */
#include "ldap.h"
#include "svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LDAPC_TEXT 256

enum ldapc_state { LDAPC_CONNECTING, LDAPC_BINDING, LDAPC_SEARCHING, LDAPC_DONE, LDAPC_NSTATES };

static const char *const ldapc_state_names[LDAPC_NSTATES] = {
	"CONNECTING", "BINDING", "SEARCHING", "DONE",
};

struct ldapc {
	struct sim_node *node;
	enum ldapc_state state;
	struct tcp_conn *conn;
	struct svc_rx rx;
	int ldif;                   /* -L count: 0 extended LDIF .. 3 plain */
	long scope;
	char base[LDAPC_TEXT], binddn[LDAPC_TEXT], passwd[LDAPC_TEXT], filter[LDAPC_TEXT];
	char attrs[16][64];
	int nattrs;
	int nresponses, nentries;
};

static void ldapc_go(struct ldapc *c, enum ldapc_state to);

/* ---- output ------------------------------------------------------------------------------- */

static const char *scope_name(long scope)
{
	return scope == LDAP_SCOPE_BASE ? "baseObject" : scope == LDAP_SCOPE_ONE ? "oneLevel"
	                                                                           : "subtree";
}

static void print_header(struct ldapc *c)
{
	struct sim_node *n = c->node;
	if (c->ldif == 0)
		apps_say(n, "# extended LDIF");
	else if (c->ldif < 3)
		apps_say(n, "version: 1");
	if (c->ldif > 0 && c->ldif < 3)
		apps_say(n, "%s", ""); /* the blank line after it: apps_say drops a trailing one */
	if (c->ldif >= 2)
		return;
	char req[16 * 65 + 8] = "";
	size_t used = 0;
	for (int i = 0; i < c->nattrs; i++)
		used += (size_t)snprintf(req + used, sizeof req - used, "%s ", c->attrs[i]);
	apps_say(n, "#\n# LDAPv3\n# base <%s> with scope %s\n# filter: %s\n# requesting: %s\n#",
	         c->base, scope_name(c->scope), c->filter, c->nattrs ? req : "ALL");
	apps_say(n, "%s", "");
}

/* ldap_dn2ufn(3): the RDN values, the trailing dc= ones as a domain name. */
static void dn2ufn(const char *dn, char *out, size_t cap)
{
	char vals[16][LDAPC_TEXT];
	bool dc[16];
	int n = 0;
	for (const char *p = dn; *p && n < 16;) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		const char *v = eq ? eq + 1 : p;
		size_t vlen = len - (size_t)(v - p);
		snprintf(vals[n], sizeof vals[n], "%.*s", (int)vlen, v);
		dc[n++] = eq && eq - p == 2 && strncasecmp(p, "dc", 2) == 0;
		p += len + (p[len] == ',');
	}
	int domain = n;
	while (domain > 0 && dc[domain - 1])
		domain--;
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n && used < cap; i++) {
		const char *sep = i == 0 ? "" : i > domain ? "." : ", ";
		used += (size_t)snprintf(out + used, cap - used, "%s%s", sep, vals[i]);
	}
}

/* RFC 2849 SAFE-STRING: else the value goes out base64. */
static bool ldif_safe(const uint8_t *v, size_t len)
{
	if (len && (v[0] == ' ' || v[0] == ':' || v[0] == '<' || v[len - 1] == ' '))
		return false;
	for (size_t i = 0; i < len; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return false;
	return true;
}

static void base64(const uint8_t *v, size_t len, char *out, size_t cap)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < len && o + 5 <= cap; i += 3) {
		uint32_t x = (uint32_t)v[i] << 16 | (i + 1 < len ? (uint32_t)v[i + 1] << 8 : 0) |
		             (i + 2 < len ? v[i + 2] : 0);
		out[o++] = tab[x >> 18 & 63];
		out[o++] = tab[x >> 12 & 63];
		out[o++] = i + 1 < len ? tab[x >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[x & 63] : '=';
	}
	out[o] = '\0';
}

static void print_value(struct ldapc *c, const char *name, const uint8_t *v, size_t len)
{
	if (ldif_safe(v, len)) {
		apps_say(c->node, "%s: %.*s", name, (int)len, (const char *)v);
		return;
	}
	char b64[4 * LDAPC_TEXT];
	base64(v, len < 3 * (LDAPC_TEXT - 1) ? len : 3 * (LDAPC_TEXT - 1), b64, sizeof b64);
	apps_say(c->node, "%s:: %s", name, b64);
}

/* ---- responses ---------------------------------------------------------------------------- */

static bool print_attr(struct ldapc *c, const struct ber_tlv *pa)
{
	struct ber_reader r, vals;
	struct ber_tlv set, v;
	char type[64];
	ber_reader_sub(&r, pa);
	if (!ber_get_str(&r, BER_OCTETS, type, sizeof type) || !ber_expect(&r, BER_SET, &set))
		return false;
	ber_reader_sub(&vals, &set);
	while (!ber_at_end(&vals)) {
		if (!ber_expect(&vals, BER_OCTETS, &v))
			return false;
		print_value(c, type, v.val, v.len);
	}
	return true;
}

static bool print_entry(struct ldapc *c, const struct ber_tlv *op)
{
	struct ber_reader r, list;
	struct ber_tlv dn, attrs, pa;
	char ufn[2 * LDAPC_TEXT], dnbuf[LDAPC_TEXT];
	ber_reader_sub(&r, op);
	if (!ber_expect(&r, BER_OCTETS, &dn) || !ber_expect(&r, BER_SEQUENCE, &attrs) ||
	    dn.len >= sizeof dnbuf)
		return false;
	memcpy(dnbuf, dn.val, dn.len);
	dnbuf[dn.len] = '\0';
	c->nentries++;
	if (c->nresponses++)
		apps_say(c->node, "%s", "");
	if (c->ldif < 2) {
		dn2ufn(dnbuf, ufn, sizeof ufn);
		apps_say(c->node, "# %s", ufn);
	}
	print_value(c, "dn", dn.val, dn.len);
	ber_reader_sub(&list, &attrs);
	while (!ber_at_end(&list))
		if (!ber_expect(&list, BER_SEQUENCE, &pa) || !print_attr(c, &pa))
			return false;
	return true;
}

static bool parse_result(const struct ber_tlv *op, long *code)
{
	struct ber_reader r;
	ber_reader_sub(&r, op);
	return ber_get_int(&r, BER_ENUMERATED, code);
}

static void print_done(struct ldapc *c, long msgid, long code)
{
	struct sim_node *n = c->node;
	if (c->nresponses++)
		apps_say(n, "%s", "");
	if (c->ldif < 2)
		apps_say(n, "# search result");
	if (c->ldif < 1)
		apps_say(n, "search: %ld\nresult: %ld %s", msgid, code, ldap_result_text(code));
	else if (code != LDAP_SUCCESS)
		apps_say(n, "%s (%ld)", ldap_result_text(code), code);
	if (c->ldif >= 2)
		return;
	apps_say(n, "\n# numResponses: %d", c->nresponses);
	if (c->nentries)
		apps_say(n, "# numEntries: %d", c->nentries);
}

/* One LDAPMessage from the server; false when it makes no sense. */
static bool handle_pdu(struct ldapc *c, const uint8_t *pdu, size_t len)
{
	struct ber_reader top, msg;
	struct ber_tlv seq, op;
	long msgid, code;
	ber_reader_init(&top, pdu, len);
	if (!ber_expect(&top, BER_SEQUENCE, &seq))
		return false;
	ber_reader_sub(&msg, &seq);
	if (!ber_get_int(&msg, BER_INTEGER, &msgid) || !ber_next(&msg, &op))
		return false;
	if (c->state == LDAPC_BINDING && op.tag == LDAP_BIND_RESP && msgid == 1) {
		if (!parse_result(&op, &code))
			return false;
		if (code != LDAP_SUCCESS) {
			apps_say(c->node, "ldap_bind: %s (%ld)", ldap_result_text(code), code);
			ldapc_go(c, LDAPC_DONE);
		} else {
			ldapc_go(c, LDAPC_SEARCHING);
		}
		return true;
	}
	if (c->state != LDAPC_SEARCHING || msgid != 2)
		return false;
	if (op.tag == LDAP_SEARCH_ENTRY)
		return print_entry(c, &op);
	if (op.tag != LDAP_SEARCH_DONE || !parse_result(&op, &code))
		return false;
	print_done(c, msgid, code);
	ldapc_go(c, LDAPC_DONE);
	return true;
}

/* ---- requests and the state machine ------------------------------------------------------- */

static void send_pdu(struct ldapc *c, struct ber_writer *w)
{
	long len = ber_finish(w);
	if (len > 0 && c->conn)
		tcp_send(c->conn, w->buf, (size_t)len);
}

static void send_bind(struct ldapc *c)
{
	uint8_t buf[2 * LDAPC_TEXT + 32];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, 1);
	ber_begin(&w, LDAP_BIND_REQ);
	ber_put_int(&w, BER_INTEGER, 3);
	ber_put_str(&w, BER_OCTETS, c->binddn);
	ber_put_str(&w, LDAP_AUTH_SIMPLE, c->passwd);
	ber_end(&w);
	ber_end(&w);
	send_pdu(c, &w);
}

static void send_search(struct ldapc *c)
{
	uint8_t buf[4096];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, 2);
	ber_begin(&w, LDAP_SEARCH_REQ);
	ber_put_str(&w, BER_OCTETS, c->base);
	ber_put_int(&w, BER_ENUMERATED, c->scope);
	ber_put_int(&w, BER_ENUMERATED, 0); /* neverDerefAliases */
	ber_put_int(&w, BER_INTEGER, 0);    /* no size limit */
	ber_put_int(&w, BER_INTEGER, 0);    /* no time limit */
	ber_put_bool(&w, BER_BOOLEAN, false);
	ldap_filter_encode(&w, c->filter);  /* checked when the command started */
	ber_begin(&w, BER_SEQUENCE);
	for (int i = 0; i < c->nattrs; i++)
		ber_put_str(&w, BER_OCTETS, c->attrs[i]);
	ber_end(&w);
	ber_end(&w);
	ber_end(&w);
	send_pdu(c, &w);
}

static void send_unbind(struct ldapc *c)
{
	uint8_t buf[16];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, 3);
	ber_put_octets(&w, LDAP_UNBIND_REQ, NULL, 0);
	ber_end(&w);
	send_pdu(c, &w);
}

/* The one place the client changes state: each state's entry action. */
static void ldapc_go(struct ldapc *c, enum ldapc_state to)
{
	enum ldapc_state from = c->state;
	c->state = to;
	switch (to) {
	case LDAPC_CONNECTING:
		break;
	case LDAPC_BINDING:
		send_bind(c);
		break;
	case LDAPC_SEARCHING:
		print_header(c);
		send_search(c);
		break;
	case LDAPC_DONE:
		if (from == LDAPC_SEARCHING || from == LDAPC_BINDING)
			send_unbind(c);
		if (c->conn)
			tcp_close(c->conn);
		c->conn = NULL;
		svc_rx_free(&c->rx);
		break;
	case LDAPC_NSTATES:
		break;
	}
	(void)ldapc_state_names;
}

/* The connection failed or went away before the answer was complete. */
static void lost(struct ldapc *c)
{
	if (c->state == LDAPC_DONE)
		return;
	apps_say(c->node, "%s: Can't contact LDAP server (-1)",
	         c->state == LDAPC_SEARCHING ? "ldap_result" : "ldap_sasl_bind(SIMPLE)");
	if (c->conn)
		tcp_close(c->conn);
	c->conn = NULL;
	c->state = LDAPC_DONE;
	svc_rx_free(&c->rx);
}

static void on_connected(void *user, struct tcp_conn *conn)
{
	(void)conn;
	ldapc_go(user, LDAPC_BINDING);
}

static void on_data(void *user, struct tcp_conn *conn, const uint8_t *data, size_t len)
{
	struct ldapc *c = user;
	(void)conn;
	if (c->state == LDAPC_DONE)
		return;
	if (!svc_rx_add(&c->rx, data, len)) {
		lost(c);
		return;
	}
	while (c->state != LDAPC_DONE) {
		size_t total = 0;
		int rc = ber_frame(c->rx.data, c->rx.len, &total, NULL);
		if (rc < 0 || total > c->rx.max || (rc == 1 && !handle_pdu(c, c->rx.data, total))) {
			lost(c);
			return;
		}
		if (rc == 0)
			return;
		svc_rx_consume(&c->rx, total);
	}
}

static void on_closed(void *user, struct tcp_conn *conn)
{
	(void)conn;
	lost(user);
}

static void on_error(void *user, struct tcp_conn *conn, const char *reason)
{
	(void)conn;
	(void)reason;
	lost(user);
}

/* ---- the command ---------------------------------------------------------------------------- */

static void ldapc_free(struct sim *sim, void *user)
{
	struct ldapc *c = user;
	(void)sim;
	svc_rx_free(&c->rx);
	free(c);
}

static int usage(struct sim_node *n)
{
	apps_say(n, "usage: ldapsearch [options] [filter [attributes...]]");
	return APPS_EX_USAGE;
}

/* "ldap://HOST[:PORT][/...]", HOST an address, IPv6 in brackets. */
static bool parse_url(const char *url, char *host, size_t cap, long *port)
{
	if (strncasecmp(url, "ldap://", 7) != 0)
		return false;
	const char *h = url + 7, *end;
	if (*h == '[') {
		end = strchr(++h, ']');
		if (!end)
			return false;
	} else {
		end = h + strcspn(h, ":/");
	}
	if ((size_t)(end - h) >= cap || end == h)
		return false;
	memcpy(host, h, (size_t)(end - h));
	host[end - h] = '\0';
	const char *rest = end + (*end == ']');
	if (*rest == ':') {
		char num[8];
		size_t len = strcspn(rest + 1, "/");
		if (len == 0 || len >= sizeof num)
			return false;
		memcpy(num, rest + 1, len);
		num[len] = '\0';
		return apps_parse_long(num, 1, 65535, port);
	}
	return *rest == '\0' || *rest == '/';
}

static bool parse_scope(const char *s, long *scope)
{
	static const char *const names[] = { "base", "one", "sub" };
	for (long i = 0; i < 3; i++)
		if (strcasecmp(s, names[i]) == 0) {
			*scope = i;
			return true;
		}
	return false;
}

/* Options into c, host and port; -1 usage, 1 other error (printed), 0 fine. */
static int parse_opts(struct sim_node *n, struct ldapc *c, int argc, char **argv, char *host,
                      size_t hcap, long *port)
{
	struct apps_opt g;
	int ch;
	bool simple = false;
	apps_opt_init(&g);
	while ((ch = apps_getopt(&g, argc, argv, "xH:h:p:b:s:D:w:L")) != -1) {
		bool ok = true;
		switch (ch) {
		case 'x': simple = true; break;
		case 'H': ok = parse_url(g.arg, host, hcap, port); break;
		case 'h': ok = snprintf(host, hcap, "%s", g.arg) < (int)hcap; break;
		case 'p': ok = apps_parse_long(g.arg, 1, 65535, port); break;
		case 'b': ok = snprintf(c->base, sizeof c->base, "%s", g.arg) < (int)sizeof c->base; break;
		case 's': ok = parse_scope(g.arg, &c->scope); break;
		case 'D': ok = snprintf(c->binddn, sizeof c->binddn, "%s", g.arg) < (int)sizeof c->binddn; break;
		case 'w': ok = snprintf(c->passwd, sizeof c->passwd, "%s", g.arg) < (int)sizeof c->passwd; break;
		case 'L': c->ldif += c->ldif < 3; break;
		default: ok = false; break;
		}
		if (!ok) {
			if (ch == 'H')
				apps_say(n, "Could not parse LDAP URI(s)=%s (3)", g.arg);
			return ch == 'H' ? 1 : -1;
		}
	}
	if (!simple) {
		apps_say(n, "ldap_sasl_interactive_bind_s: Unknown authentication method (-6)");
		return 1;
	}
	snprintf(c->filter, sizeof c->filter, "%s", g.ind < argc ? argv[g.ind++] : "(objectclass=*)");
	for (; g.ind < argc && c->nattrs < 16; g.ind++)
		snprintf(c->attrs[c->nattrs++], sizeof c->attrs[0], "%s", argv[g.ind]);
	return 0;
}

int cmd_ldapsearch(struct sim_node *n, int argc, char **argv)
{
	struct ldapc tmp = { .node = n, .scope = LDAP_SCOPE_SUB };
	char host[APPS_ADDRSTRLEN] = "127.0.0.1";
	long port = LDAP_PORT;
	int rc = parse_opts(n, &tmp, argc, argv, host, sizeof host, &port);
	if (rc != 0)
		return rc < 0 ? usage(n) : rc;
	uint8_t probe[512];
	struct ber_writer w;
	ber_writer_init(&w, probe, sizeof probe);
	if (!ldap_filter_encode(&w, tmp.filter)) {
		apps_say(n, "ldapsearch: ldap_search_ext: Bad search filter (-7)");
		return 1;
	}
	struct tp_addr dst;
	if (!svc_parse_dst(n, host, (uint16_t)port, &dst) || !n->tp) {
		apps_say(n, "ldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)");
		return 1;
	}
	struct ldapc *c = sim_xcalloc(1, sizeof *c);
	*c = tmp;
	c->rx.max = 256 * 1024;
	sim_on_free(n->sim, ldapc_free, c);
	const struct tcp_callbacks cb = { .connected = on_connected, .data = on_data,
		                          .closed = on_closed, .error = on_error, .user = c };
	const char *err = NULL;
	c->conn = tcp_connect(n, &dst, &cb, &err);
	if (!c->conn) {
		c->state = LDAPC_DONE;
		apps_say(n, "ldap_sasl_bind(SIMPLE): Can't contact LDAP server (-1)");
		return 1;
	}
	return 0;
}
