/*
 * ldapd: a jail's LDAP server (RFC 4511 subset) over TCP port 389.
 *
 *   ldapd [-6] [-p PORT] [-f FILE]
 *
 * The directory is an LDIF file placed on the node (default
 * /usr/local/etc/openldap/directory.ldif): entries separated by blank
 * lines, each "dn: ..." then "attr: value" lines ('#' comments, lines
 * starting with a space continue the previous one). It listens on the
 * node's IPv4 addresses (a FreeBSD 6.3 jail has one), and on IPv6 too
 * with -6.
 *
 * Every bind succeeds (simple, anonymous or any password: the point is
 * the path, not the access control); a search answers each entry in
 * scope that matches the filter, then SearchResultDone; an unbind closes
 * the connection. A PDU that does not decode closes it too, as slapd
 * does after a protocol error.
 */
#include "ldap.h"
#include "svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LDAPD_CONF "/usr/local/etc/openldap/directory.ldif"
#define LDAP_DN_MAX 256
#define LDAP_VAL_MAX 256
#define LDAP_REPLY_MAX 16384

struct ldap_attr {
	char name[64];
	char value[LDAP_VAL_MAX];
};

struct ldap_entry {
	char dn[LDAP_DN_MAX];
	char ndn[LDAP_DN_MAX];      /* normalised: lower case, no blanks around ',' and '=' */
	struct ldap_attr *attrs;
	size_t nattrs;
};

struct ldapd {
	struct svc_server srv;      /* first: the sessions' server pointer is the ldapd */
	struct ldap_entry *e;
	size_t ne;
};

/* ---- the directory (LDIF) ----------------------------------------------------------------- */

/* DN comparison form: case and the blanks around separators do not matter. */
static void dn_normalise(const char *dn, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = dn; *p && n + 1 < cap; p++) {
		if (*p == ' ' && (n == 0 || out[n - 1] == ',' || out[n - 1] == '=' || p[1] == ',' ||
		                  p[1] == '=' || p[1] == '\0'))
			continue;
		out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	out[n] = '\0';
}

/* Copy, cut to fit (an over-long LDIF value is kept as far as it goes). */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	n = n < cap ? n : cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void entry_add_attr(struct ldap_entry *e, const char *name, const char *value)
{
	e->attrs = sim_xrealloc(e->attrs, e->nattrs + 1, sizeof *e->attrs);
	struct ldap_attr *a = &e->attrs[e->nattrs++];
	copy_cut(a->name, sizeof a->name, name);
	copy_cut(a->value, sizeof a->value, value);
}

/* One "name: value" line into the entry being read (a "dn:" starts a new one). */
static bool ldif_line(struct ldapd *d, char *line, bool *in_entry)
{
	char *colon = strchr(line, ':');
	if (!colon || colon == line || colon[1] == ':' || colon[1] == '<')
		return false; /* base64 and URL values are not in this subset */
	*colon = '\0';
	const char *value = colon + 1 + strspn(colon + 1, " ");
	if (strcasecmp(line, "dn") == 0) {
		if (*in_entry)
			return false; /* two DNs without a blank line between */
		d->e = sim_xrealloc(d->e, d->ne + 1, sizeof *d->e);
		struct ldap_entry *e = &d->e[d->ne++];
		memset(e, 0, sizeof *e);
		copy_cut(e->dn, sizeof e->dn, value);
		dn_normalise(e->dn, e->ndn, sizeof e->ndn);
		*in_entry = true;
		return true;
	}
	if (!*in_entry)
		return false;
	entry_add_attr(&d->e[d->ne - 1], line, value);
	return true;
}

/* Next logical LDIF line (continuations folded) into buf; false at the end. */
static bool ldif_next(const char **pp, const char *end, char *buf, size_t cap, int *lineno)
{
	const char *p = *pp;
	if (p >= end)
		return false;
	size_t n = 0;
	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *text = n ? p + 1 : p; /* a continuation's leading blank is dropped */
		size_t tlen = n ? len - 1 : len;
		if (tlen > 0 && text[tlen - 1] == '\r')
			tlen--;
		if (n + tlen >= cap)
			tlen = cap - 1 - n;
		memcpy(buf + n, text, tlen);
		n += tlen;
		(*lineno)++;
		p = nl ? nl + 1 : end;
	} while (p < end && *p == ' ' && n > 0);
	buf[n] = '\0';
	*pp = p;
	return true;
}

static bool ldif_load(struct ldapd *d, struct sim_node *n, const char *path)
{
	const struct sim_file *f = sim_file_get(n, path);
	if (!f) {
		apps_say(n, "ldapd: %s: No such file or directory", path);
		return false;
	}
	char line[512];
	int lineno = 0, start;
	bool in_entry = false;
	for (const char *p = f->data, *end = f->data + f->len;;) {
		start = lineno + 1;
		if (!ldif_next(&p, end, line, sizeof line, &lineno))
			return true;
		if (line[0] == '#')
			continue;
		if (line[0] == '\0') {
			in_entry = false;
			continue;
		}
		if (strncasecmp(line, "version:", 8) == 0 && !in_entry)
			continue;
		if (!ldif_line(d, line, &in_entry)) {
			apps_say(n, "ldapd: %s: line %d: bad LDIF line", path, start);
			return false;
		}
	}
}

/* ---- search --------------------------------------------------------------------------------- */

static bool entry_has(const void *entry, const char *attr, const char *value)
{
	const struct ldap_entry *e = entry;
	for (size_t i = 0; i < e->nattrs; i++)
		if (strcasecmp(e->attrs[i].name, attr) == 0 &&
		    (!value || strcasecmp(e->attrs[i].value, value) == 0))
			return true;
	return false;
}

/* Whether ndn is base itself (0), one level below (1), or deeper (2); -1 when not under it. */
static int dn_depth(const char *ndn, const char *nbase)
{
	size_t n = strlen(ndn), b = strlen(nbase);
	if (b == 0)
		return strchr(ndn, ',') ? 2 : 1;
	if (n == b)
		return strcmp(ndn, nbase) == 0 ? 0 : -1;
	if (n < b + 1 || ndn[n - b - 1] != ',' || strcmp(ndn + n - b, nbase) != 0)
		return -1;
	const char *comma = strchr(ndn, ',');
	return comma == ndn + n - b - 1 ? 1 : 2;
}

static bool in_scope(const struct ldap_entry *e, const char *nbase, long scope)
{
	int depth = dn_depth(e->ndn, nbase);
	if (scope == LDAP_SCOPE_BASE)
		return depth == 0;
	if (scope == LDAP_SCOPE_ONE)
		return depth == 1;
	return depth >= 0;
}

/* Whether the attribute is one the request asked for (no list, or "*": all). */
static bool wanted(const struct ber_tlv *attrs, const char *name)
{
	struct ber_reader r;
	struct ber_tlv t;
	if (attrs->len == 0)
		return true;
	ber_reader_sub(&r, attrs);
	while (ber_next(&r, &t))
		if ((t.len == 1 && t.val[0] == '*') ||
		    (t.len == strlen(name) && strncasecmp((const char *)t.val, name, t.len) == 0))
			return true;
	return false;
}

static bool seen_before(const struct ldap_entry *e, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcasecmp(e->attrs[j].name, e->attrs[i].name) == 0)
			return true;
	return false;
}

/* SearchResultEntry: the attributes grouped by name in the order the LDIF has them. */
static void send_entry(struct svc_sess *s, long msgid, const struct ldap_entry *e,
                       const struct ber_tlv *attrs, bool types_only)
{
	uint8_t buf[LDAP_REPLY_MAX];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, msgid);
	ber_begin(&w, LDAP_SEARCH_ENTRY);
	ber_put_str(&w, BER_OCTETS, e->dn);
	ber_begin(&w, BER_SEQUENCE);
	for (size_t i = 0; i < e->nattrs; i++) {
		if (seen_before(e, i) || !wanted(attrs, e->attrs[i].name))
			continue;
		ber_begin(&w, BER_SEQUENCE);
		ber_put_str(&w, BER_OCTETS, e->attrs[i].name);
		ber_begin(&w, BER_SET);
		for (size_t j = i; j < e->nattrs && !types_only; j++)
			if (strcasecmp(e->attrs[j].name, e->attrs[i].name) == 0)
				ber_put_str(&w, BER_OCTETS, e->attrs[j].value);
		ber_end(&w);
		ber_end(&w);
	}
	ber_end(&w);
	ber_end(&w);
	ber_end(&w);
	long len = ber_finish(&w);
	if (len > 0)
		tcp_send(s->conn, buf, (size_t)len);
}

/* An LDAPResult-shaped response (BindResponse, SearchResultDone). */
static void send_result(struct svc_sess *s, long msgid, uint8_t op, long code)
{
	uint8_t buf[64];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, msgid);
	ber_begin(&w, op);
	ber_put_int(&w, BER_ENUMERATED, code);
	ber_put_str(&w, BER_OCTETS, "");
	ber_put_str(&w, BER_OCTETS, "");
	ber_end(&w);
	ber_end(&w);
	long len = ber_finish(&w);
	if (len > 0)
		tcp_send(s->conn, buf, (size_t)len);
}

struct search_req {
	char base[LDAP_DN_MAX];
	long scope, deref, sizelimit, timelimit;
	bool types_only;
	struct ber_tlv filter, attrs;
};

static bool parse_search(const struct ber_tlv *op, struct search_req *q)
{
	struct ber_reader r;
	ber_reader_sub(&r, op);
	return ber_get_str(&r, BER_OCTETS, q->base, sizeof q->base) &&
	       ber_get_int(&r, BER_ENUMERATED, &q->scope) &&
	       ber_get_int(&r, BER_ENUMERATED, &q->deref) &&
	       ber_get_int(&r, BER_INTEGER, &q->sizelimit) &&
	       ber_get_int(&r, BER_INTEGER, &q->timelimit) &&
	       ber_get_bool(&r, BER_BOOLEAN, &q->types_only) && ber_next(&r, &q->filter) &&
	       ber_expect(&r, BER_SEQUENCE, &q->attrs) && q->scope >= 0 && q->scope <= 2;
}

static void do_search(struct svc_sess *s, long msgid, const struct ber_tlv *op)
{
	struct ldapd *d = s->server;
	struct search_req q;
	char nbase[LDAP_DN_MAX];
	if (!parse_search(op, &q)) {
		send_result(s, msgid, LDAP_SEARCH_DONE, LDAP_PROTOCOL_ERROR);
		return;
	}
	dn_normalise(q.base, nbase, sizeof nbase);
	bool base_found = nbase[0] == '\0';
	for (size_t i = 0; i < d->ne; i++)
		base_found |= dn_depth(d->e[i].ndn, nbase) >= 0;
	if (!base_found) {
		send_result(s, msgid, LDAP_SEARCH_DONE, LDAP_NO_SUCH_OBJECT);
		return;
	}
	long sent = 0;
	for (size_t i = 0; i < d->ne; i++) {
		const struct ldap_attrs_view v = { .has = entry_has, .entry = &d->e[i] };
		if (!in_scope(&d->e[i], nbase, q.scope))
			continue;
		int m = ldap_filter_eval(&q.filter, &v, 0);
		if (m < 0) {
			send_result(s, msgid, LDAP_SEARCH_DONE, LDAP_PROTOCOL_ERROR);
			return;
		}
		if (m && (q.sizelimit == 0 || sent < q.sizelimit)) {
			send_entry(s, msgid, &d->e[i], &q.attrs, q.types_only);
			sent++;
		}
	}
	send_result(s, msgid, LDAP_SEARCH_DONE, LDAP_SUCCESS);
}

/* ---- the protocol ---------------------------------------------------------------------------- */

static void do_bind(struct svc_sess *s, long msgid, const struct ber_tlv *op)
{
	struct ber_reader r;
	struct ber_tlv name, auth;
	long version;
	ber_reader_sub(&r, op);
	if (!ber_get_int(&r, BER_INTEGER, &version) || !ber_expect(&r, BER_OCTETS, &name) ||
	    !ber_next(&r, &auth) || version < 2 || version > 3) {
		send_result(s, msgid, LDAP_BIND_RESP, LDAP_PROTOCOL_ERROR);
		return;
	}
	/* Any simple bind is welcome; SASL is not offered. */
	send_result(s, msgid, LDAP_BIND_RESP,
	            auth.tag == LDAP_AUTH_SIMPLE ? LDAP_SUCCESS : LDAP_AUTH_METHOD_NOT_SUPPORTED);
}

/* One LDAPMessage; false when the connection is to be closed. */
static bool handle_pdu(struct svc_sess *s, const uint8_t *pdu, size_t len)
{
	struct ber_reader top, msg;
	struct ber_tlv seq, op;
	long msgid;
	ber_reader_init(&top, pdu, len);
	if (!ber_expect(&top, BER_SEQUENCE, &seq))
		return false;
	ber_reader_sub(&msg, &seq);
	if (!ber_get_int(&msg, BER_INTEGER, &msgid) || !ber_next(&msg, &op))
		return false;
	switch (op.tag) {
	case LDAP_BIND_REQ:
		do_bind(s, msgid, &op);
		return true;
	case LDAP_SEARCH_REQ:
		do_search(s, msgid, &op);
		return true;
	case LDAP_ABANDON_REQ:
		return true; /* every search is already answered in full */
	default:
		return false; /* UnbindRequest, or what this server does not speak */
	}
}

static void on_data(void *user, struct tcp_conn *c, const uint8_t *data, size_t len)
{
	struct svc_sess *s = user;
	(void)c;
	if (!svc_rx_add(&s->rx, data, len)) {
		svc_close(s);
		return;
	}
	while (s->active) {
		size_t total = 0; /* known as soon as the header is in */
		int rc = ber_frame(s->rx.data, s->rx.len, &total, NULL);
		/* A PDU larger than the buffer would ever hold is refused at once. */
		if (rc < 0 || total > s->rx.max || (rc == 1 && !handle_pdu(s, s->rx.data, total))) {
			svc_close(s);
			return;
		}
		if (rc == 0)
			return;
		svc_rx_consume(&s->rx, total);
	}
}

static void on_accepted(struct svc_sess *s)
{
	(void)s; /* LDAP clients speak first */
}

static void ldapd_free(struct sim *sim, void *user)
{
	struct ldapd *d = user;
	(void)sim;
	svc_server_release(&d->srv);
	for (size_t i = 0; i < d->ne; i++)
		free(d->e[i].attrs);
	free(d->e);
	free(d);
}

int cmd_ldapd(struct sim_node *n, int argc, char **argv)
{
	struct apps_opt g;
	const char *path = LDAPD_CONF;
	long port = LDAP_PORT;
	bool v6 = false;
	int ch;
	apps_opt_init(&g);
	while ((ch = apps_getopt(&g, argc, argv, "6f:p:")) != -1) {
		if (ch == '6')
			v6 = true;
		else if (ch == 'f')
			path = g.arg;
		else if (ch != 'p' || !apps_parse_long(g.arg, 1, 65535, &port)) {
			apps_say(n, "usage: ldapd [-6] [-p port] [-f file.ldif]");
			return APPS_EX_USAGE;
		}
	}
	if (!n->tp)
		return 1;
	struct ldapd *d = sim_xcalloc(1, sizeof *d);
	sim_on_free(n->sim, ldapd_free, d);
	if (!ldif_load(d, n, path))
		return 1;
	static const struct tcp_callbacks cb = { .data = on_data, .closed = svc_on_closed,
		                                 .error = svc_on_error };
	return svc_server_start(&d->srv, n, "ldapd", (uint16_t)port, v6, sizeof(struct svc_sess),
	                        &cb, on_accepted) ? 0 : 1;
}
