/*
 * LDAP search filters both ways: RFC 4515 text into the BER of RFC 4511
 * section 4.5.1 (ldapsearch), and that BER evaluated against an entry
 * (ldapd). Plus the result code texts OpenLDAP's ldap_err2string prints.
 */
#include "ldap.h"

#include <string.h>
#include <strings.h>

const char *ldap_result_text(long code)
{
	switch (code) {
	case 0: return "Success";
	case 1: return "Operations error";
	case 2: return "Protocol error";
	case 7: return "Authentication method not supported";
	case 32: return "No such object";
	case 49: return "Invalid credentials";
	case 53: return "Server is unwilling to perform";
	}
	return "Other (e.g., implementation specific) error";
}

/* ---- text to BER -------------------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* An assertion value up to ')': RFC 4515 escapes (\2a) decoded; a bare '*' is refused here. */
static bool parse_value(const char **pp, char *out, size_t cap)
{
	const char *p = *pp;
	size_t n = 0;
	while (*p && *p != ')') {
		int c = (unsigned char)*p++;
		if (c == '(' || c == '*')
			return false;
		if (c == '\\') {
			int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
			if (lo < 0)
				return false;
			c = hi << 4 | lo;
			p += 2;
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*pp = p;
	return true;
}

static bool parse_filter(struct ber_writer *w, const char **pp, int depth);

static bool parse_list(struct ber_writer *w, const char **pp, uint8_t tag, int depth)
{
	ber_begin(w, tag);
	int count = 0;
	while (**pp == '(') {
		if (!parse_filter(w, pp, depth + 1))
			return false;
		count++;
	}
	ber_end(w);
	return tag == LDAP_FILTER_NOT ? count == 1 : count >= 1;
}

static bool parse_item(struct ber_writer *w, const char **pp)
{
	char attr[64], value[256];
	const char *p = *pp;
	size_t n = strcspn(p, "=()~<>*");
	if (n == 0 || n >= sizeof attr || p[n] != '=')
		return false; /* ~=, >=, <= and substrings are not in this subset */
	memcpy(attr, p, n);
	attr[n] = '\0';
	p += n + 1;
	if (p[0] == '*' && p[1] == ')') {
		ber_put_str(w, LDAP_FILTER_PRESENT, attr);
		*pp = p + 1;
		return true;
	}
	if (!parse_value(&p, value, sizeof value))
		return false;
	ber_begin(w, LDAP_FILTER_EQUALITY);
	ber_put_str(w, BER_OCTETS, attr);
	ber_put_str(w, BER_OCTETS, value);
	ber_end(w);
	*pp = p;
	return true;
}

static bool parse_filter(struct ber_writer *w, const char **pp, int depth)
{
	const char *p = *pp;
	if (depth > LDAP_FILTER_DEPTH || *p != '(')
		return false;
	p++;
	bool ok;
	if (*p == '&' || *p == '|' || *p == '!') {
		uint8_t tag = *p == '&' ? LDAP_FILTER_AND : *p == '|' ? LDAP_FILTER_OR : LDAP_FILTER_NOT;
		p++;
		ok = parse_list(w, &p, tag, depth);
	} else {
		ok = parse_item(w, &p);
	}
	if (!ok || *p != ')')
		return false;
	*pp = p + 1;
	return true;
}

bool ldap_filter_encode(struct ber_writer *w, const char *text)
{
	const char *p = text;
	/* OpenLDAP accepts a filter without its outer parentheses: "uid=edwin". */
	char wrapped[320];
	if (*p != '(') {
		size_t n = strlen(p);
		if (n + 3 > sizeof wrapped)
			return false;
		wrapped[0] = '(';
		memcpy(wrapped + 1, p, n);
		wrapped[n + 1] = ')';
		wrapped[n + 2] = '\0';
		p = wrapped;
	}
	return parse_filter(w, &p, 0) && *p == '\0';
}

/* ---- BER evaluated against an entry ------------------------------------------------------- */

static int eval_list(const struct ber_tlv *f, const struct ldap_attrs_view *v, int depth)
{
	struct ber_reader r;
	struct ber_tlv t;
	int all = 1, any = 0, count = 0;
	ber_reader_sub(&r, f);
	while (!ber_at_end(&r)) {
		if (!ber_next(&r, &t))
			return -1;
		int m = ldap_filter_eval(&t, v, depth + 1);
		if (m < 0)
			return -1;
		all &= m;
		any |= m;
		count++;
	}
	if (f->tag == LDAP_FILTER_NOT)
		return count == 1 ? !all : -1;
	return f->tag == LDAP_FILTER_AND ? all : any;
}

static int eval_equality(const struct ber_tlv *f, const struct ldap_attrs_view *v)
{
	struct ber_reader r;
	char attr[64], value[256];
	ber_reader_sub(&r, f);
	if (!ber_get_str(&r, BER_OCTETS, attr, sizeof attr))
		return -1;
	if (!ber_get_str(&r, BER_OCTETS, value, sizeof value))
		return r.err == BER_EVALUE ? 0 : -1; /* a value longer than any we hold */
	return ber_at_end(&r) ? v->has(v->entry, attr, value) : -1;
}

int ldap_filter_eval(const struct ber_tlv *f, const struct ldap_attrs_view *v, int depth)
{
	char attr[64];
	if (depth > LDAP_FILTER_DEPTH)
		return -1;
	switch (f->tag) {
	case LDAP_FILTER_AND:
	case LDAP_FILTER_OR:
	case LDAP_FILTER_NOT:
		return eval_list(f, v, depth);
	case LDAP_FILTER_EQUALITY:
		return eval_equality(f, v);
	case LDAP_FILTER_PRESENT:
		if (f->len == 0 || f->len >= sizeof attr || memchr(f->val, '\0', f->len))
			return -1;
		memcpy(attr, f->val, f->len);
		attr[f->len] = '\0';
		/* Every entry has an objectClass, whether the LDIF lists it or not. */
		return strcasecmp(attr, "objectClass") == 0 || v->has(v->entry, attr, NULL);
	}
	return 0; /* a choice this server does not implement matches nothing (Undefined) */
}
